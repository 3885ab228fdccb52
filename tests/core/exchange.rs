//! Exchange files between simulated laptops: the issue's story, deletions against edits,
//! issued documents against edits, attachments, atomicity, and property tests with random
//! edit scripts on 2–5 laptops exchanging files in random orders.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::exchange::Keep;
use kiemtra_core::model::{DocumentKind, FindingKind};
use kiemtra_core::{Ctx, Store};
use proptest::prelude::*;

struct Laptop {
    store: Store,
    name: String,
    dir: PathBuf,
    ha_lang: String,
}

struct World {
    _tmp: tempfile::TempDir,
    laptops: Vec<Laptop>,
    clock: DateTime<Utc>,
    files: usize,
    /// The laptops are one team (laptop 0 the lead): every file is sealed and signed.
    protected: bool,
}

impl World {
    /// `n` laptops of one team: laptop 0 made the team key and invited the others, who
    /// joined; every file between them is encrypted and signed.
    fn new(n: usize) -> World {
        let mut w = World::plain(n);
        let ctx = w.ctx(0);
        w.laptops[0]
            .store
            .team_create(&ctx, "Đoàn kiểm tra CCHC", "An")
            .unwrap();
        for i in 1..n {
            let ctx = w.ctx(0);
            let invite = w.laptops[0].dir.join(format!("moi-{i}.kiemtra-moi"));
            let name = w.laptops[i].name.clone();
            w.laptops[0].store.team_invite(&ctx, &name, &invite).unwrap();
            let ctx = w.ctx(i);
            w.laptops[i].store.team_join(&ctx, &invite).unwrap();
        }
        w.protected = true;
        w
    }

    /// `n` laptops without team keys: files of the unprotected format, imported with the
    /// user's explicit choice.
    fn plain(n: usize) -> World {
        let tmp = tempfile::tempdir().unwrap();
        let clock = Utc.with_ymd_and_hms(2026, 9, 15, 1, 0, 0).unwrap();
        let laptops = (0..n)
            .map(|i| {
                let dir = tmp.path().join(format!("may-{i}"));
                let name = ["An", "Bình", "Cường", "Dung", "Đức"][i].to_string();
                let ctx = Ctx::new(clock, &name);
                let (mut store, _) = Store::init(&dir.join("kiemtra.sqlite3"), &ctx).unwrap();
                store.load_sample_plan(&ctx).unwrap();
                let (_, ha_lang) = store.resolve_inspection("ha lang").unwrap();
                Laptop {
                    store,
                    name,
                    dir,
                    ha_lang,
                }
            })
            .collect();
        World {
            _tmp: tmp,
            laptops,
            clock,
            files: 0,
            protected: false,
        }
    }

    fn ctx(&mut self, i: usize) -> Ctx {
        self.clock += Duration::seconds(1);
        Ctx::new(self.clock, &self.laptops[i].name)
    }

    fn export(&mut self, i: usize) -> PathBuf {
        let ctx = self.ctx(i);
        self.files += 1;
        let l = &self.laptops[i];
        let out = l.dir.join(format!("tep-{}.kiemtra", self.files));
        let plan = l.store.current_plan().unwrap();
        l.store.export_exchange(&ctx, &plan.id, &[], &out).unwrap();
        out
    }

    fn import(&mut self, i: usize, file: &Path) -> kiemtra_core::exchange::ImportSummary {
        let ctx = self.ctx(i);
        let how = if self.protected {
            kiemtra_core::exchange::Unprotected::Refuse
        } else {
            kiemtra_core::exchange::Unprotected::Allow
        };
        let l = &mut self.laptops[i];
        l.store
            .import_exchange_with(&ctx, file, None, how, &mut |_, _| {})
            .unwrap()
    }

    fn send(&mut self, from: usize, to: usize) {
        let f = self.export(from);
        self.import(to, &f);
    }

    /// Everyone exports; everyone imports every file (in the given order).
    fn sync_all(&mut self, order: &[usize]) {
        let files: Vec<PathBuf> = (0..self.laptops.len()).map(|i| self.export(i)).collect();
        for to in 0..self.laptops.len() {
            for &from in order {
                if from != to {
                    let f = files[from].clone();
                    self.import(to, &f);
                }
            }
        }
    }
}

/// What the laptops must agree on: every record's merged fields, every field's clock and
/// vector, every pending version. (Not: audit logs, import logs, when a row was last written
/// locally.)
fn state(store: &Store) -> String {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let mut out = String::new();
    for t in kiemtra_core::exchange::file::TABLES {
        let cols: Vec<String> = conn
            .prepare(&format!("PRAGMA table_info({t})"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(|c| c.unwrap())
            .filter(|c| !["updated_at", "device_id", "hlc"].contains(&c.as_str()))
            // When a laptop installed a template is its own.
            .filter(|c| !(*t == "template" && c == "imported_at"))
            .collect();
        let sql = format!("SELECT {} FROM {t} ORDER BY id", cols.join(", "));
        let mut st = conn.prepare(&sql).unwrap();
        let rows = st
            .query_map([], |r| {
                Ok((0..cols.len())
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        for r in rows {
            out.push_str(&format!("{t}: {}\n", r.unwrap()));
        }
    }
    for sql in [
        "SELECT entity, entity_id, field, hlc, vv, inspector, at FROM field_clock
         WHERE NOT (entity = 'template' AND field = 'imported_at') ORDER BY 1, 2, 3",
        "SELECT entity, entity_id, field, value, hlc, vv FROM field_version ORDER BY 1, 2, 3, 5",
        "SELECT sha256, size FROM attachment ORDER BY 1",
    ] {
        let mut st = conn.prepare(sql).unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        for r in rows {
            out.push_str(&r.unwrap());
            out.push('\n');
        }
    }
    out
}

/// The lines two states do not share (empty when equal).
fn diff(a: &str, b: &str) -> String {
    let la: BTreeSet<&str> = a.lines().collect();
    let lb: BTreeSet<&str> = b.lines().collect();
    let only_a: Vec<&&str> = la.difference(&lb).take(4).collect();
    let only_b: Vec<&&str> = lb.difference(&la).take(4).collect();
    if only_a.is_empty() && only_b.is_empty() {
        return String::new();
    }
    let cut = |s: &&&str| s.chars().take(400).collect::<String>();
    format!(
        "only in the first:\n{}\nonly in the second:\n{}",
        only_a.iter().map(cut).collect::<Vec<_>>().join("\n"),
        only_b.iter().map(cut).collect::<Vec<_>>().join("\n")
    )
}

fn finding_text(store: &Store, id: &str) -> String {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.query_row("SELECT text FROM finding WHERE id = ?1", [id], |r| r.get(0))
        .unwrap()
}

fn deleted(store: &Store, table: &str, id: &str) -> bool {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.query_row(&format!("SELECT deleted FROM {table} WHERE id = ?1"), [id], |r| {
        r.get::<_, i64>(0)
    })
    .unwrap()
        == 1
}

#[test]
fn three_inspectors_merge_in_any_order_and_a_concurrent_edit_waits_for_the_team_lead() {
    let mut w = World::new(3);
    // An writes a finding; everyone gets it.
    let ctx = w.ctx(0);
    let h = w.laptops[0].ha_lang.clone();
    let f = w.laptops[0]
        .store
        .add_finding(&ctx, &h, "3", FindingKind::Shortcoming, "Tỷ lệ hồ sơ đúng hạn thấp")
        .unwrap();
    w.sync_all(&[0, 1, 2]);
    // Each fills a different area; An and Bình both edit the finding.
    let c0 = w.ctx(0);
    let l = &mut w.laptops[0];
    l.store
        .set_response(
            &c0,
            &l.ha_lang,
            "1.1.1",
            &ResponsePatch {
                status: Some(Some("dung_han".into())),
                ..Default::default()
            },
        )
        .unwrap();
    l.store
        .update_finding(&c0, &f, "Tỷ lệ hồ sơ đúng hạn mới đạt 86,5 % (An)")
        .unwrap();
    let c1 = w.ctx(1);
    let l = &mut w.laptops[1];
    l.store
        .set_response(
            &c1,
            &l.ha_lang,
            "3.3.1",
            &ResponsePatch {
                self_score: Some(Some(5.0)),
                ..Default::default()
            },
        )
        .unwrap();
    l.store
        .update_finding(&c1, &f, "Tỷ lệ đúng hạn chỉ đạt 86,5 %, còn 13 hồ sơ quá hạn (Bình)")
        .unwrap();
    let c2 = w.ctx(2);
    let l = &mut w.laptops[2];
    l.store.set_figure(&c2, &l.ha_lang, "ho_so_tiep_nhan", 1081.0).unwrap();
    let files: Vec<PathBuf> = (0..3).map(|i| w.export(i)).collect();

    // The team lead (laptop 2) previews, then imports B then A; a second lead in A then B.
    let ctx = w.ctx(2);
    let preview = w.laptops[2].store.preview_exchange(&ctx, &files[1]).unwrap();
    assert_eq!(preview.total.changed, 1, "the finding changes");
    assert!(preview
        .units
        .iter()
        .any(|u| u.name == "xã Hạ Lang" && u.changes.added == 1));
    let before_second = state(&w.laptops[2].store);
    w.import(2, &files[1]);
    assert_ne!(state(&w.laptops[2].store), before_second);
    let s = w.import(2, &files[0]);
    assert_eq!(s.total.conflicts, 1, "{s:?}");
    let conflicts = w.laptops[2].store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!(c.entity, "finding");
    let values: BTreeSet<&str> = c.versions.iter().map(|v| v.value.as_str()).collect();
    assert!(values.contains("Tỷ lệ hồ sơ đúng hạn mới đạt 86,5 % (An)"));
    assert!(values.contains("Tỷ lệ đúng hạn chỉ đạt 86,5 %, còn 13 hồ sơ quá hạn (Bình)"));
    let who: BTreeSet<&str> = c.versions.iter().map(|v| v.inspector.as_str()).collect();
    assert_eq!(who, BTreeSet::from(["An", "Bình"]));
    // Edits to different fields all survive.
    let card = w.laptops[2]
        .store
        .checklist_live(&w.laptops[2].ha_lang.clone())
        .unwrap()
        .1;
    assert_eq!(card.responses["1.1.1"].status.as_deref(), Some("dung_han"));
    assert_eq!(card.responses["3.3.1"].self_score, Some(5.0));
    // Importing a file again changes nothing.
    let again = w.import(2, &files[0]);
    assert!(again.already_imported && again.total.is_empty());

    // The order does not matter: laptop 1 imports A then C.
    w.import(1, &files[0]);
    w.import(1, &files[2]);
    w.import(0, &files[2]);
    w.import(0, &files[1]);
    assert_eq!(diff(&state(&w.laptops[0].store), &state(&w.laptops[2].store)), "");
    assert_eq!(diff(&state(&w.laptops[1].store), &state(&w.laptops[2].store)), "");

    // The lead rewrites the finding; the merged file settles it everywhere.
    let ctx = w.ctx(2);
    let id = w.laptops[2].store.conflicts().unwrap()[0].id.clone();
    w.laptops[2]
        .store
        .resolve_conflict(
            &ctx,
            &id,
            Keep::Value("Tỷ lệ hồ sơ đúng hạn đạt 86,5 %; còn 13 hồ sơ quá hạn.".into()),
        )
        .unwrap();
    assert!(w.laptops[2].store.conflicts().unwrap().is_empty());
    let merged = w.export(2);
    w.import(0, &merged);
    w.import(1, &merged);
    for l in &w.laptops {
        assert!(
            l.store.conflicts().unwrap().is_empty(),
            "{} still has a conflict",
            l.name
        );
        assert_eq!(
            finding_text(&l.store, &f),
            "Tỷ lệ hồ sơ đúng hạn đạt 86,5 %; còn 13 hồ sơ quá hạn."
        );
    }
    assert_eq!(diff(&state(&w.laptops[0].store), &state(&w.laptops[2].store)), "");
    assert_eq!(diff(&state(&w.laptops[1].store), &state(&w.laptops[2].store)), "");
    // Search sees the merged text.
    let hits = w.laptops[0].store.search("13 ho so qua han", 10).unwrap();
    assert!(hits.iter().any(|h| h.entity_id == f));
}

#[test]
fn a_deletion_does_not_erase_an_edit_it_did_not_see() {
    let mut w = World::new(2);
    let ctx = w.ctx(0);
    let h = w.laptops[0].ha_lang.clone();
    let f = w.laptops[0]
        .store
        .add_finding(&ctx, &h, "2", FindingKind::Achieved, "Ban hành đủ văn bản")
        .unwrap();
    let g = w.laptops[0]
        .store
        .add_finding(&ctx, &h, "2", FindingKind::Achieved, "Rà soát văn bản kịp thời")
        .unwrap();
    w.send(0, 1);
    // A deletes both; B edits f meanwhile (and leaves g alone).
    let c = w.ctx(0);
    w.laptops[0].store.delete_finding(&c, &f).unwrap();
    w.laptops[0].store.delete_finding(&c, &g).unwrap();
    let c = w.ctx(1);
    w.laptops[1]
        .store
        .update_finding(&c, &f, "Ban hành đủ 12 văn bản chỉ đạo")
        .unwrap();
    w.sync_all(&[1, 0]);
    for l in &w.laptops {
        assert!(
            !deleted(&l.store, "finding", &f),
            "{}: the edited finding is kept",
            l.name
        );
        assert_eq!(finding_text(&l.store, &f), "Ban hành đủ 12 văn bản chỉ đạo");
        assert!(
            deleted(&l.store, "finding", &g),
            "{}: the untouched one is deleted",
            l.name
        );
        let c = l.store.conflicts().unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].field, "deleted");
    }
    assert_eq!(diff(&state(&w.laptops[0].store), &state(&w.laptops[1].store)), "");
    // The lead confirms the deletion; it travels.
    let ctx = w.ctx(0);
    let id = w.laptops[0].store.conflicts().unwrap()[0].id.clone();
    w.laptops[0]
        .store
        .resolve_conflict(&ctx, &id, Keep::Theirs(None))
        .unwrap();
    assert!(deleted(&w.laptops[0].store, "finding", &f));
    w.send(0, 1);
    assert!(deleted(&w.laptops[1].store, "finding", &f));
    assert_eq!(diff(&state(&w.laptops[0].store), &state(&w.laptops[1].store)), "");
}

#[test]
fn an_issued_document_never_changes_a_concurrent_edit_becomes_a_new_version() {
    let mut w = World::new(2);
    let ctx = w.ctx(0);
    {
        let s = &mut w.laptops[0].store;
        let plan = s.current_plan().unwrap();
        s.update_plan(
            &ctx,
            &plan.id,
            &kiemtra_core::plan::PlanPatch {
                number: Some("125".into()),
                date: Some("15/04/2026".into()),
                ..Default::default()
            },
        )
        .unwrap();
        s.update_team(
            &ctx,
            &plan.id,
            &kiemtra_core::plan::TeamPatch {
                decision_number: Some("1520".into()),
                decision_date: Some("08/07/2026".into()),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let h = w.laptops[0].ha_lang.clone();
    let edit = |closing: &str| kiemtra_core::document::DocPatch {
        edits: Some(kiemtra_core::document::DocEdits {
            closing: Some(closing.into()),
            report_due: Some("31/12/2026".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    w.laptops[0]
        .store
        .edit_document(&ctx, &h, DocumentKind::ThongBao, &edit("Đoạn kết dự thảo./."))
        .unwrap();
    w.send(0, 1);
    // A issues number 05; B, not knowing, edits the draft's closing.
    let c = w.ctx(0);
    w.laptops[0]
        .store
        .issue_document(&c, &h, DocumentKind::ThongBao, "5", "20/10/2026", true)
        .unwrap();
    let issued_pdf = w.laptops[0]
        .store
        .render_document(&h, DocumentKind::ThongBao, c.now)
        .unwrap()
        .bytes;
    let c = w.ctx(1);
    w.laptops[1]
        .store
        .edit_document(&c, &h, DocumentKind::ThongBao, &edit("Đoạn kết do Bình sửa./."))
        .unwrap();
    w.sync_all(&[0, 1]);
    for l in &w.laptops {
        let versions = l.store.document_versions(&h, DocumentKind::ThongBao).unwrap();
        assert_eq!(versions.len(), 2, "{}: the issued one and a new draft", l.name);
        let issued = versions.iter().find(|v| v.number == "05").expect("the issued version");
        let draft = versions.iter().find(|v| v.number.is_empty()).expect("the new draft");
        assert_eq!(draft.supersedes_id, issued.id);
        assert_eq!(draft.edits.closing.as_deref(), Some("Đoạn kết do Bình sửa./."));
        let bytes = l
            .store
            .render_document_version(issued.id.as_deref().unwrap(), c.now)
            .unwrap()
            .bytes;
        assert_eq!(
            bytes, issued_pdf,
            "{}: the issued PDF is the same bytes everywhere",
            l.name
        );
    }
    assert_eq!(diff(&state(&w.laptops[0].store), &state(&w.laptops[1].store)), "");
}

/// The plan's report (table `report`, keyed by the plan) merges as an inspection's document
/// does: Bình's edit of the achievements, made while An issued the same version, becomes a new
/// draft version on both laptops, whichever way the files go, and importing again changes
/// nothing.
#[test]
fn an_issued_report_never_changes_a_concurrent_edit_becomes_a_new_version() {
    use kiemtra_core::model::DocumentStatus;
    use kiemtra_core::report::{ReportEdits, ReportPatch};
    let mut w = World::new(2);
    let ctx = w.ctx(0);
    let plan = w.laptops[0].store.current_plan().unwrap().id;
    let h = w.laptops[0].ha_lang.clone();
    {
        let s = &mut w.laptops[0].store;
        s.update_plan(
            &ctx,
            &plan,
            &kiemtra_core::plan::PlanPatch {
                number: Some("125".into()),
                date: Some("15/04/2026".into()),
                ..Default::default()
            },
        )
        .unwrap();
        s.update_team(
            &ctx,
            &plan,
            &kiemtra_core::plan::TeamPatch {
                decision_number: Some("1520".into()),
                decision_date: Some("08/07/2026".into()),
                ..Default::default()
            },
        )
        .unwrap();
        s.set_response(
            &ctx,
            &h,
            "1.1.1",
            &ResponsePatch {
                status: Some(Some("dung_han".into())),
                ..Default::default()
            },
        )
        .unwrap();
    }
    let achievements = |line: &str| ReportPatch {
        edits: Some(ReportEdits {
            achievements: Some(vec![line.to_string()]),
            ..Default::default()
        }),
        ..Default::default()
    };
    w.laptops[0]
        .store
        .edit_report(&ctx, &plan, &achievements("Các đơn vị ban hành kế hoạch kịp thời."))
        .unwrap();
    w.send(0, 1);
    // An issues it as number 07; Bình, not knowing, edits the draft's achievements.
    let c = w.ctx(0);
    let issued = w.laptops[0]
        .store
        .issue_report(&c, &plan, "7", "30/11/2026", true)
        .unwrap();
    assert_eq!(issued.status, DocumentStatus::Issued);
    let issued_pdf = w.laptops[0].store.render_report(&plan, None, c.now).unwrap().bytes;
    let c = w.ctx(1);
    let edited = "Các đơn vị công khai đầy đủ thủ tục hành chính (Bình sửa).";
    w.laptops[1]
        .store
        .edit_report(&c, &plan, &achievements(edited))
        .unwrap();
    let files = [w.export(0), w.export(1)];
    w.import(0, &files[1].clone());
    w.import(1, &files[0].clone());
    let check = |w: &World| {
        for l in &w.laptops {
            let versions = l.store.report_versions(&plan).unwrap();
            assert_eq!(versions.len(), 2, "{}: the issued report and a new draft", l.name);
            let (draft, first) = (&versions[0], &versions[1]);
            assert_eq!(
                (first.version, first.status, first.number.as_str()),
                (1, DocumentStatus::Issued, "07"),
                "{}: the issued version stays version 1",
                l.name
            );
            assert_eq!(
                (draft.version, draft.status, draft.number.as_str()),
                (2, DocumentStatus::Draft, ""),
                "{}",
                l.name
            );
            assert_eq!(
                draft.supersedes_id, first.id,
                "{}: the draft supersedes the issued one",
                l.name
            );
            assert_eq!(draft.edits.achievements, Some(vec![edited.to_string()]), "{}", l.name);
            assert_eq!(
                first.edits.achievements,
                Some(vec!["Các đơn vị ban hành kế hoạch kịp thời.".to_string()]),
                "{}: the issued version keeps what was issued",
                l.name
            );
            let bytes = l.store.render_report(&plan, Some(1), w.clock).unwrap().bytes;
            assert_eq!(
                bytes, issued_pdf,
                "{}: the issued PDF is the same bytes everywhere",
                l.name
            );
        }
        assert_eq!(diff(&state(&w.laptops[0].store), &state(&w.laptops[1].store)), "");
    };
    check(&w);
    let before = state(&w.laptops[0].store);
    // The same files again, and fresh files both ways: nothing changes.
    for (to, f) in [(0, &files[1]), (1, &files[0])] {
        let again = w.import(to, f);
        assert!(again.already_imported);
    }
    w.sync_all(&[0, 1]);
    w.sync_all(&[1, 0]);
    check(&w);
    assert_eq!(diff(&before, &state(&w.laptops[0].store)), "");
}

#[test]
fn photos_travel_once_and_are_checked() {
    let mut w = World::new(2);
    let ctx = w.ctx(0);
    let h = w.laptops[0].ha_lang.clone();
    let photo = w.laptops[0].dir.join("anh.jpg");
    let bytes: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&photo, &bytes).unwrap();
    for code in ["1.1.1", "3.3.1", "7.1.1"] {
        w.laptops[0]
            .store
            .add_evidence(&ctx, &h, code, "", None, "Ảnh chụp bộ phận một cửa", Some(&photo))
            .unwrap();
    }
    let f = w.export(0);
    let size = std::fs::metadata(&f).unwrap().len();
    assert!(
        size < bytes.len() as u64 + 60_000,
        "one photo referenced three times travels once ({size} bytes)"
    );
    let s = w.import(1, &f);
    assert_eq!(s.attachments_added, 1);
    let ev = w.laptops[1].store.evidence(&h, None).unwrap();
    assert_eq!(ev.len(), 3);
    let (_, _, got) = w.laptops[1]
        .store
        .attachment(ev[0].attachment_sha256.as_deref().unwrap())
        .unwrap();
    assert_eq!(got, bytes);
}

// ---------------------------------------------------------------------------------------
// Property tests

#[derive(Debug, Clone)]
enum Op {
    /// A laptop writes a note on one of three criteria.
    Note(usize, usize),
    /// A laptop edits one of the shared findings.
    Edit(usize, usize),
    /// A laptop deletes one of the shared findings.
    Delete(usize, usize),
    /// A laptop enters a figure.
    Figure(usize, usize),
    /// A laptop sends its file to another.
    Send(usize, usize),
}

fn op(n: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..n, 0..3usize).prop_map(|(l, c)| Op::Note(l, c)),
        (0..n, 0..3usize).prop_map(|(l, f)| Op::Edit(l, f)),
        (0..n, 0..3usize).prop_map(|(l, f)| Op::Delete(l, f)),
        (0..n, 0..2usize).prop_map(|(l, k)| Op::Figure(l, k)),
        (0..n, 0..n).prop_map(|(a, b)| Op::Send(a, b)),
    ]
}

fn scenario() -> impl Strategy<Value = (usize, Vec<Op>, Vec<usize>)> {
    (2..=5usize).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec(op(n), 1..24),
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        )
    })
}

const CODES: [&str; 3] = ["1.1.1", "2.1.1", "3.3.1"];
const KEYS: [&str; 2] = ["ho_so_tiep_nhan", "van_ban_di"];

/// A field as the model tracks it: (entity, id, field).
type Field = (String, String, String);

proptest! {
    // The failures proptest has found stay beside this file, in exchange.proptest-regressions,
    // and run first every time (by default proptest would look under tests/proptest-regressions/
    // once it finds the binary's main.rs).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12),
        failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"))),
        .. ProptestConfig::default()
    })]

    /// Laptops edit at random and exchange files in random orders; after everyone has
    /// everyone's file they are identical, no acknowledged edit is lost, and conflicts stand
    /// exactly where the same field changed on laptops that had not seen each other's change.
    #[test]
    fn laptops_converge_and_keep_every_concurrent_edit((n, ops, order) in scenario()) {
        let mut w = World::new(n);
        let h = w.laptops[0].ha_lang.clone();
        let ctx = w.ctx(0);
        let findings: Vec<String> = (0..3)
            .map(|i| w.laptops[0].store.add_finding(&ctx, &h, "3", FindingKind::Shortcoming, &format!("Nhận xét gốc {i}")).unwrap())
            .collect();
        let first = w.export(0);
        for i in 1..n {
            w.import(i, &first);
        }
        // The model: every write has an id; each laptop knows a set of writes.
        let mut known: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut writes: Vec<(Field, String, BTreeSet<usize>)> = Vec::new(); // field, value, what its writer knew
        let response_id = |code: &str| kiemtra_core::store::stable_id(&["response", &h, code]);
        let figure_id = |key: &str| kiemtra_core::store::stable_id(&["figure", &h, key]);
        for (i, o) in ops.iter().enumerate() {
            let record = |w: &mut World, l: usize, field: Field, value: String, known: &mut Vec<BTreeSet<usize>>, writes: &mut Vec<(Field, String, BTreeSet<usize>)>| {
                let _ = w;
                let id = writes.len();
                writes.push((field, value, known[l].clone()));
                known[l].insert(id);
            };
            match *o {
                Op::Note(l, c) => {
                    let ctx = w.ctx(l);
                    let text = format!("ghi chú {i} của máy {l}");
                    w.laptops[l].store.set_response(&ctx, &h, CODES[c], &ResponsePatch { note: Some(text.clone()), ..Default::default() }).unwrap();
                    record(&mut w, l, ("response".into(), response_id(CODES[c]), "note".into()), text, &mut known, &mut writes);
                }
                Op::Edit(l, f) => {
                    let ctx = w.ctx(l);
                    let text = format!("sửa {i} của máy {l}");
                    if w.laptops[l].store.update_finding(&ctx, &findings[f], &text).is_ok() {
                        record(&mut w, l, ("finding".into(), findings[f].clone(), "text".into()), text, &mut known, &mut writes);
                    }
                }
                Op::Delete(l, f) => {
                    let ctx = w.ctx(l);
                    if w.laptops[l].store.delete_finding(&ctx, &findings[f]).is_ok() {
                        record(&mut w, l, ("finding".into(), findings[f].clone(), "deleted".into()), "1".into(), &mut known, &mut writes);
                    }
                }
                Op::Figure(l, k) => {
                    let ctx = w.ctx(l);
                    let v = 1000 + i as i64;
                    w.laptops[l].store.set_figure(&ctx, &h, KEYS[k], v as f64).unwrap();
                    record(&mut w, l, ("figure".into(), figure_id(KEYS[k]), "value".into()), format!("{v}"), &mut known, &mut writes);
                }
                Op::Send(a, b) => {
                    if a != b {
                        w.send(a, b);
                        let k = known[a].clone();
                        known[b].extend(k);
                    }
                }
            }
        }
        w.sync_all(&order);
        // Identical everywhere.
        let reference = state(&w.laptops[0].store);
        for l in &w.laptops[1..] {
            prop_assert_eq!(diff(&state(&l.store), &reference), "", "laptop {} differs", l.name);
        }
        // Per field: the writes nobody saw overwritten are all still there, and a conflict
        // stands exactly when they hold different values.
        let mut by_field: BTreeMap<Field, Vec<usize>> = BTreeMap::new();
        for (i, (f, _, _)) in writes.iter().enumerate() {
            by_field.entry(f.clone()).or_default().push(i);
        }
        let store = &w.laptops[0].store;
        let conflicts = store.conflicts().unwrap();
        let conn = rusqlite::Connection::open(store.path()).unwrap();
        for (field, ids) in &by_field {
            if field.2 == "deleted" {
                continue;
            }
            let last: BTreeSet<&str> = ids
                .iter()
                .filter(|i| !ids.iter().any(|j| writes[*j].2.contains(i)))
                .map(|i| writes[*i].1.as_str())
                .collect();
            let shown: rusqlite::types::Value = conn
                .query_row(&format!("SELECT {} FROM {} WHERE id = ?1", field.2, field.0), [&field.1], |r| r.get(0))
                .unwrap();
            let shown = match shown {
                rusqlite::types::Value::Text(s) => s,
                rusqlite::types::Value::Real(f) => format!("{}", f as i64),
                other => format!("{other:?}"),
            };
            let c = conflicts.iter().find(|c| c.entity == field.0 && c.entity_id == field.1 && c.field == field.2);
            let mut have: BTreeSet<String> = BTreeSet::from([shown.clone()]);
            if let Some(c) = c {
                for v in &c.versions {
                    have.insert(if field.0 == "figure" { v.value.replace('.', "") } else { v.value.clone() });
                }
            }
            let want: BTreeSet<String> = last.iter().map(|s| s.to_string()).collect();
            prop_assert_eq!(&have, &want, "field {:?}", field);
            prop_assert_eq!(c.is_some(), want.len() > 1, "conflict on {:?}", field);
        }
        // Deletions: a finding is shown deleted only if its deletion saw every last edit.
        for f in &findings {
            let field: Field = ("finding".into(), f.clone(), "deleted".into());
            let Some(dels) = by_field.get(&field) else { continue };
            let text_field: Field = ("finding".into(), f.clone(), "text".into());
            let edits = by_field.get(&text_field).cloned().unwrap_or_default();
            let last_edits: Vec<usize> = edits.iter().copied().filter(|i| !edits.iter().any(|j| writes[*j].2.contains(i)) && !dels.iter().any(|d| writes[*d].2.contains(i))).collect();
            let is_deleted: i64 = conn.query_row("SELECT deleted FROM finding WHERE id = ?1", [f], |r| r.get(0)).unwrap();
            prop_assert_eq!(is_deleted == 1, last_edits.is_empty(), "finding {} deleted={} unseen edits={:?}", f, is_deleted, last_edits);
        }
        // Importing everything again changes nothing.
        let before = state(&w.laptops[0].store);
        let again = w.export(1);
        w.import(0, &again);
        prop_assert_eq!(diff(&state(&w.laptops[0].store), &before), "");
    }
}

#[test]
fn a_refused_import_changes_nothing() {
    let mut w = World::plain(2);
    let ctx = w.ctx(0);
    let h = w.laptops[0].ha_lang.clone();
    w.laptops[0]
        .store
        .add_finding(&ctx, &h, "1", FindingKind::Achieved, "Một nhận xét")
        .unwrap();
    let f = w.export(0);
    // The same file with a record whose value breaks a rule of the schema (a kind that does
    // not exist): the whole import is refused.
    let pkg_bytes = std::fs::read(&f).unwrap();
    let mut pkg = kiemtra_core::exchange::file::Package::open(std::io::Cursor::new(pkg_bytes)).unwrap();
    let mut records = pkg.records.clone();
    let rec = records.records.iter_mut().find(|r| r.t == "finding").unwrap();
    rec.f.get_mut("kind").unwrap().main.v = serde_json::json!("khong_co");
    let bad = w.laptops[0].dir.join("hong.kiemtra");
    let _ = pkg.attachment("0".repeat(64).as_str());
    let mut bytes = kiemtra_core::exchange::file::write(
        std::io::Cursor::new(Vec::new()),
        pkg.manifest.clone(),
        &records,
        &mut |_| Ok(()),
    )
    .unwrap()
    .into_inner();
    kiemtra_core::exchange::file::seal_bytes(&mut bytes);
    std::fs::write(&bad, bytes).unwrap();
    let before = state(&w.laptops[1].store);
    let ctx = w.ctx(1);
    let err = w.laptops[1]
        .store
        .import_exchange_with(
            &ctx,
            &bad,
            None,
            kiemtra_core::exchange::Unprotected::Allow,
            &mut |_, _| {},
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("Dữ liệu không bị thay đổi"), "{err}");
    assert_eq!(diff(&state(&w.laptops[1].store), &before), "");
    let _: HashMap<(), ()> = HashMap::new();
}

#[test]
fn a_copied_database_is_a_new_laptop() {
    let mut w = World::new(1);
    let ctx = w.ctx(0);
    let h = w.laptops[0].ha_lang.clone();
    let f = w.laptops[0]
        .store
        .add_finding(&ctx, &h, "3", FindingKind::Shortcoming, "Gốc")
        .unwrap();
    let original = w.laptops[0].store.device_id().to_string();
    // Copy the file to a USB stick and open it on "another laptop".
    let copy = w.laptops[0].dir.join("usb").join("kiemtra.sqlite3");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    w.laptops[0].store.backup(&copy).unwrap();
    let mut other = Store::open(&copy).unwrap();
    assert_ne!(other.device_id(), original, "the copy takes a new device id");
    assert_eq!(Store::open(w.laptops[0].store.path()).unwrap().device_id(), original);
    // Both edit the finding: the merge sees two laptops, not one.
    let c = w.ctx(0);
    w.laptops[0].store.update_finding(&c, &f, "Sửa trên máy gốc").unwrap();
    other.update_finding(&c, &f, "Sửa trên bản sao").unwrap();
    let out = w.export(0);
    other.import_exchange(&c, &out, None, &mut |_, _| {}).unwrap();
    let conflicts = other.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1, "two edits, two laptops, one conflict");
}

#[test]
fn after_an_import_the_database_file_alone_holds_it() {
    let mut w = World::new(2);
    let ctx = w.ctx(0);
    let h = w.laptops[0].ha_lang.clone();
    let f = w.laptops[0]
        .store
        .add_finding(&ctx, &h, "3", FindingKind::Shortcoming, "Ghi trên máy của An")
        .unwrap();
    w.send(0, 1);
    // The write-ahead log is emptied: the file copied by hand, without its -wal, is whole.
    let db = w.laptops[1].store.path().to_path_buf();
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    assert_eq!(
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0),
        0,
        "the log was emptied"
    );
    let copy = w.laptops[1].dir.join("chep-tay").join("kiemtra.sqlite3");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(&db, &copy).unwrap();
    let other = Store::open(&copy).unwrap();
    assert_eq!(finding_text(&other, &f), "Ghi trên máy của An");
}

#[test]
fn two_laptops_numbering_a_recommendation_alike_are_flagged() {
    let mut w = World::new(2);
    let h = w.laptops[0].ha_lang.clone();
    let c = w.ctx(0);
    w.laptops[0]
        .store
        .add_recommendation(&c, &h, None, "Gửi văn bản xin lỗi", "UBND xã", None)
        .unwrap();
    let c = w.ctx(1);
    w.laptops[1]
        .store
        .add_recommendation(&c, &h, None, "Cập nhật hồ sơ công chức", "UBND xã", None)
        .unwrap();
    let f = w.export(0);
    let s = w.import(1, &f);
    assert_eq!(s.warnings.len(), 1, "{s:?}");
    assert!(
        s.warnings[0].contains("xã Hạ Lang") && s.warnings[0].contains("cùng số 1"),
        "{}",
        s.warnings[0]
    );
}

#[test]
fn a_rewritten_figure_is_read_as_it_is_shown() {
    let mut w = World::new(2);
    let h = w.laptops[0].ha_lang.clone();
    let c = w.ctx(0);
    w.laptops[0]
        .store
        .set_figure(&c, &h, "ho_so_tiep_nhan", 1075.0)
        .unwrap();
    let c = w.ctx(1);
    w.laptops[1]
        .store
        .set_figure(&c, &h, "ho_so_tiep_nhan", 1081.0)
        .unwrap();
    w.sync_all(&[0, 1]);
    let c = w.ctx(0);
    let conflict = w.laptops[0].store.conflicts().unwrap().remove(0);
    assert!(
        conflict.versions.iter().any(|v| v.value == "1.081"),
        "{:?}",
        conflict.versions
    );
    w.laptops[0]
        .store
        .resolve_conflict(&c, &conflict.id, Keep::Value("1.090".into()))
        .unwrap();
    let figures = w.laptops[0].store.figure_values(&h).unwrap();
    assert_eq!(figures["ho_so_tiep_nhan"], 1090.0);
}

/// The time part of a laptop's last clock (meta 'hlc'), as a test sets it.
fn set_last_clock(store: &Store, stamp: &str) {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.execute("UPDATE meta SET value = ?1 WHERE key = 'hlc'", [stamp])
        .unwrap();
}

/// The clock of a finding's text: (ms, counter), read from its text without the app's type.
fn text_clock(store: &Store, id: &str) -> (u64, u32) {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let h: String = conn
        .query_row(
            "SELECT hlc FROM field_clock WHERE entity = 'finding' AND entity_id = ?1 AND field = 'text'",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let mut p = h.splitn(3, '-');
    (p.next().unwrap().parse().unwrap(), p.next().unwrap().parse().unwrap())
}

/// A laptop whose clock once ran years ahead (then was set right) keeps stamping that
/// millisecond with a counter that goes past 99 999: its files still import, its newest
/// edit wins without a conflict, and the preview says its clock looks wrong.
#[test]
fn a_laptop_whose_clock_ran_ahead_keeps_exchanging_past_counter_99_999() {
    let mut w = World::new(2);
    let h = w.laptops[0].ha_lang.clone();
    let c = w.ctx(0);
    let f = w.laptops[0]
        .store
        .add_finding(&c, &h, "3", FindingKind::Shortcoming, "Gốc")
        .unwrap();
    w.sync_all(&[0, 1]);
    // 03/05/2031 10:00 in Vietnam; the laptop's clock is back in 2026 now.
    let ahead = Utc.with_ymd_and_hms(2031, 5, 3, 3, 0, 0).unwrap().timestamp_millis();
    set_last_clock(&w.laptops[0].store, &format!("{ahead:013}-99998"));
    let c = w.ctx(0);
    w.laptops[0].store.update_finding(&c, &f, "Sửa 1").unwrap();
    assert_eq!(text_clock(&w.laptops[0].store, &f).1, 99_999);
    // Laptop 1 gets the edit stamped 99 999 ...
    w.send(0, 1);
    // ... then three more, stamped 100 000 and on.
    for i in 2..=4 {
        let c = w.ctx(0);
        w.laptops[0].store.update_finding(&c, &f, &format!("Sửa {i}")).unwrap();
    }
    let newest = text_clock(&w.laptops[0].store, &f);
    assert_eq!(newest, (ahead as u64, 100_002));
    let file = w.export(0);
    let c = w.ctx(1);
    let preview = w.laptops[1].store.preview_exchange(&c, &file).unwrap();
    let warning =
        "Tệp có thay đổi ghi thời điểm 03/05/2031, vượt quá giờ của máy này hơn một ngày: đồng hồ máy gửi có thể sai.";
    assert!(preview.warnings.iter().any(|x| x == warning), "{:?}", preview.warnings);
    let s = w.import(1, &file);
    assert!(s.warnings.iter().any(|x| x == warning), "{:?}", s.warnings);
    assert_eq!(finding_text(&w.laptops[1].store, &f), "Sửa 4", "the newest edit wins");
    assert!(
        w.laptops[1].store.conflicts().unwrap().is_empty(),
        "no conflict: one laptop's edits in order"
    );
    // Laptop 1's own next edit comes after everything it received, and wins on laptop 0.
    let c = w.ctx(1);
    w.laptops[1].store.update_finding(&c, &f, "Sửa trên máy 2").unwrap();
    assert!(text_clock(&w.laptops[1].store, &f) > newest);
    w.send(1, 0);
    assert_eq!(finding_text(&w.laptops[0].store, &f), "Sửa trên máy 2");
    assert!(w.laptops[0].store.conflicts().unwrap().is_empty());
    w.sync_all(&[1, 0]);
    assert_eq!(diff(&state(&w.laptops[0].store), &state(&w.laptops[1].store)), "");
}

/// A file whose changes are stamped more than a day after this laptop's clock is imported,
/// with a warning naming the day; a few hours ahead is no cause for one.
#[test]
fn a_file_from_a_laptop_whose_clock_is_ahead_is_imported_with_a_warning() {
    let mut w = World::new(2);
    let h = w.laptops[0].ha_lang.clone();
    let now = w.clock;
    // Six hours ahead: said nothing about.
    let c = Ctx::new(now + Duration::hours(6), "An");
    w.laptops[0]
        .store
        .add_finding(&c, &h, "3", FindingKind::Shortcoming, "Hơi sớm")
        .unwrap();
    let f = w.export(0);
    let c = Ctx::new(now, "Bình");
    let s = w.laptops[1].store.preview_exchange(&c, &f).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // Years ahead (the laptop's clock set to 2031).
    let c = Ctx::new(Utc.with_ymd_and_hms(2031, 5, 2, 18, 30, 0).unwrap(), "An");
    w.laptops[0]
        .store
        .add_finding(&c, &h, "3", FindingKind::Shortcoming, "Năm 2031")
        .unwrap();
    let f = w.export(0);
    let c = Ctx::new(now, "Bình");
    let warning =
        "Tệp có thay đổi ghi thời điểm 03/05/2031, vượt quá giờ của máy này hơn một ngày: đồng hồ máy gửi có thể sai.";
    let s = w.laptops[1].store.preview_exchange(&c, &f).unwrap();
    assert_eq!(s.warnings, vec![warning.to_string()]);
    assert_eq!(s.total.added, 2);
    let s = w.laptops[1]
        .store
        .import_exchange(&c, &f, None, &mut |_, _| {})
        .unwrap();
    assert_eq!(s.warnings, vec![warning.to_string()]);
    assert_eq!(w.laptops[1].store.findings(&h).unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------
// The sample plan every first start loads

/// A laptop started for the first time at `at` (so the sample plan is loaded then).
fn first_start(dir: &Path, at: DateTime<Utc>, name: &str) -> Store {
    let ctx = Ctx::new(at, name);
    let (mut store, _) = Store::init(&dir.join("kiemtra.sqlite3"), &ctx).unwrap();
    store.load_sample_plan(&ctx).unwrap();
    store
}

/// The lead edits the sample plan (its number, a unit's schedule, a member taken out of the
/// team) before a member's laptop starts for the first time; the member takes the lead's
/// file: the lead's values show, with no conflict, and the member's file back changes
/// nothing on the lead. `team`: the two laptops are one team (the member joined through its
/// invitation), else plain files between laptops without a team.
fn the_sample_loaded_later_does_not_compete_with_the_leads_edits(team: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 9, 15, 1, 0, 0).unwrap();
    let mut lead = first_start(&tmp.path().join("truong-doan"), t0, "An");
    let plan = lead.current_plan().unwrap();
    if team {
        lead.team_create(&Ctx::new(t0 + Duration::seconds(5), "An"), "Đoàn kiểm tra CCHC", "An")
            .unwrap();
    }
    // T1: the lead numbers the plan, moves Hạ Lang's visit, takes a member out.
    let t1 = t0 + Duration::hours(2);
    let c1 = Ctx::new(t1, "An");
    lead.update_plan(
        &c1,
        &plan.id,
        &kiemtra_core::plan::PlanPatch {
            number: Some("25".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let (_, ha_lang) = lead.resolve_inspection("ha lang").unwrap();
    lead.update_inspection(
        &c1,
        &ha_lang,
        &kiemtra_core::plan::InspectionPatch {
            scheduled_start: Some("2026-10-05".into()),
            scheduled_end: Some("2026-10-06".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let gone = lead.remove_member(&c1, &plan.id, "Bế Thị Hà").unwrap();
    let invite = tmp.path().join("moi-binh.kiemtra-moi");
    if team {
        lead.team_invite(&Ctx::new(t1 + Duration::seconds(1), "An"), "Bình", &invite)
            .unwrap();
    }
    let how = if team {
        kiemtra_core::exchange::Unprotected::Refuse
    } else {
        kiemtra_core::exchange::Unprotected::Allow
    };
    let to_member = tmp.path().join("truong-doan.kiemtra");
    lead.export_exchange(&Ctx::new(t1 + Duration::seconds(2), "An"), &plan.id, &[], &to_member)
        .unwrap();

    // T2, a day later: the member's laptop starts for the first time (the sample loads now).
    let t2 = t1 + Duration::days(1);
    let mut member = first_start(&tmp.path().join("thanh-vien"), t2, "Bình");
    if team {
        member
            .team_join(&Ctx::new(t2 + Duration::seconds(1), "Bình"), &invite)
            .unwrap();
    }
    let s = member
        .import_exchange_with(
            &Ctx::new(t2 + Duration::seconds(2), "Bình"),
            &to_member,
            None,
            how,
            &mut |_, _| {},
        )
        .unwrap();
    assert_eq!(s.total.conflicts, 0, "{s:?}");
    assert!(
        member.conflicts().unwrap().is_empty(),
        "{:?}",
        member.conflicts().unwrap()
    );
    assert_eq!(member.plan(&plan.id).unwrap().number, "25", "the lead's number shows");
    let row = member.inspection_row(&ha_lang).unwrap();
    assert_eq!(
        (row.scheduled_start.as_deref(), row.scheduled_end.as_deref()),
        (Some("2026-10-05"), Some("2026-10-06")),
        "the lead's schedule shows"
    );
    let members = member.team(&plan.id).unwrap().unwrap().members;
    assert!(
        members.iter().all(|m| m.id != gone.id),
        "the member the lead took out is out"
    );
    assert_eq!(members.len(), 5);
    // What both laptops say about the plan is the same, clocks included.
    assert_eq!(diff(&state(&member), &state(&lead)), "");

    // The member's file back changes nothing on the lead.
    let before = state(&lead);
    let to_lead = tmp.path().join("thanh-vien.kiemtra");
    member
        .export_exchange(&Ctx::new(t2 + Duration::seconds(3), "Bình"), &plan.id, &[], &to_lead)
        .unwrap();
    let s = lead
        .import_exchange_with(
            &Ctx::new(t2 + Duration::seconds(4), "An"),
            &to_lead,
            None,
            how,
            &mut |_, _| {},
        )
        .unwrap();
    assert!(s.total.is_empty(), "{s:?}");
    assert_eq!(s.fields_changed, 0, "{s:?}");
    assert!(lead.conflicts().unwrap().is_empty());
    assert_eq!(lead.plan(&plan.id).unwrap().number, "25");
    assert_eq!(diff(&state(&lead), &before), "", "nothing changed on the lead");
}

#[test]
fn a_member_laptop_started_after_the_leads_edits_takes_them_without_conflict() {
    the_sample_loaded_later_does_not_compete_with_the_leads_edits(true);
}

#[test]
fn a_laptop_without_a_team_started_after_the_edits_takes_them_without_conflict() {
    the_sample_loaded_later_does_not_compete_with_the_leads_edits(false);
}

#[test]
fn two_laptops_that_never_touched_the_sample_exchange_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 9, 15, 1, 0, 0).unwrap();
    let mut a = first_start(&tmp.path().join("a"), t0, "An");
    let mut b = first_start(&tmp.path().join("b"), t0 + Duration::days(3), "Bình");
    let plan = a.current_plan().unwrap();
    let (sa, sb) = (state(&a), state(&b));
    assert_eq!(
        diff(&sa, &sb),
        "",
        "two untouched samples are the same, clocks included"
    );
    let fa = tmp.path().join("a.kiemtra");
    let fb = tmp.path().join("b.kiemtra");
    a.export_exchange(&Ctx::new(t0 + Duration::days(4), "An"), &plan.id, &[], &fa)
        .unwrap();
    b.export_exchange(&Ctx::new(t0 + Duration::days(4), "Bình"), &plan.id, &[], &fb)
        .unwrap();
    let allow = kiemtra_core::exchange::Unprotected::Allow;
    for (to, file) in [(&mut a, &fb), (&mut b, &fa)] {
        let s = to
            .import_exchange_with(
                &Ctx::new(t0 + Duration::days(5), "X"),
                file,
                None,
                allow,
                &mut |_, _| {},
            )
            .unwrap();
        assert!(s.total.is_empty(), "{s:?}");
        assert_eq!(s.fields_changed, 0, "{s:?}");
        assert!(to.conflicts().unwrap().is_empty());
    }
    assert_eq!(diff(&state(&a), &sa), "", "nothing changed on the first");
    assert_eq!(diff(&state(&b), &sb), "", "nothing changed on the second");
    // Still the welcome's untouched sample on both.
    assert!(a.sample_untouched().unwrap() && b.sample_untouched().unwrap());
}

/// Make a database look as schema 9 left it: the origin versions of what the app ships
/// become the clock of the action that wrote them on this laptop (as every laptop wrote them
/// before), with its vector, author and time.
fn as_schema_9(path: &Path) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(
        "UPDATE field_clock SET
            hlc = (SELECT a.hlc FROM audit_log a WHERE a.entity = field_clock.entity
                AND a.entity_id = field_clock.entity_id AND a.field = field_clock.field ORDER BY a.seq LIMIT 1),
            inspector = (SELECT a.inspector FROM audit_log a WHERE a.entity = field_clock.entity
                AND a.entity_id = field_clock.entity_id AND a.field = field_clock.field ORDER BY a.seq LIMIT 1),
            at = (SELECT a.at FROM audit_log a WHERE a.entity = field_clock.entity
                AND a.entity_id = field_clock.entity_id AND a.field = field_clock.field ORDER BY a.seq LIMIT 1)
         WHERE hlc LIKE '0000000000000-%';
         UPDATE field_clock SET vv = json_object(substr(hlc, 21), hlc) WHERE vv = '{}';
         PRAGMA user_version = 9;",
    )
    .unwrap();
    let origins: i64 = c
        .query_row(
            "SELECT count(*) FROM field_clock WHERE hlc LIKE '0000000000000-%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(origins, 0);
}

/// The plan number's version shown and the versions waiting beside it (clock, vector).
fn number_versions(path: &Path, plan: &str) -> (String, String, Vec<(String, String)>) {
    let c = rusqlite::Connection::open(path).unwrap();
    let (h, vv) = c
        .query_row(
            "SELECT hlc, vv FROM field_clock WHERE entity = 'plan' AND entity_id = ?1 AND field = 'number'",
            [plan],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let mut st = c
        .prepare("SELECT hlc, value FROM field_version WHERE entity = 'plan' AND entity_id = ?1 AND field = 'number'")
        .unwrap();
    let alt = st
        .query_map([plan], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    (h, vv, alt)
}

/// Databases of schema 9 where the lead's edit met the sample a member's laptop loaded
/// later: the member's laptop shows its blank sample number with the lead's waiting beside
/// it, the lead's shows its number with the member's blank waiting. Upgrading settles both:
/// the member's laptop drops its own sample version (the lead's shows), and its next file
/// takes the member's blank off the lead's too; untouched fields take the origin version.
#[test]
fn upgrading_settles_the_sample_a_laptop_loaded_after_the_leads_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 9, 15, 1, 0, 0).unwrap();
    let lead_dir = tmp.path().join("truong-doan");
    let mut lead = first_start(&lead_dir, t0, "An");
    let plan = lead.current_plan().unwrap();
    lead.update_plan(
        &Ctx::new(t0 + Duration::hours(2), "An"),
        &plan.id,
        &kiemtra_core::plan::PlanPatch {
            number: Some("25".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let member_dir = tmp.path().join("thanh-vien");
    let member = first_start(&member_dir, t0 + Duration::days(1), "Bình");
    let (lead_path, member_path) = (lead.path().to_path_buf(), member.path().to_path_buf());
    drop((lead, member));
    as_schema_9(&lead_path);
    as_schema_9(&member_path);
    // What schema 9's merge left on each side (the member's blank is the newer).
    let (lead_h, lead_vv, _) = number_versions(&lead_path, &plan.id);
    let (member_h, member_vv, _) = number_versions(&member_path, &plan.id);
    assert!(member_h > lead_h);
    {
        let c = rusqlite::Connection::open(&member_path).unwrap();
        c.execute(
            "INSERT INTO field_version(entity, entity_id, field, value, hlc, vv, inspector, at)
             VALUES ('plan', ?1, 'number', '\"25\"', ?2, ?3, 'An', '2026-09-15T03:00:00.000Z')",
            rusqlite::params![plan.id, lead_h, lead_vv],
        )
        .unwrap();
        let c = rusqlite::Connection::open(&lead_path).unwrap();
        c.execute(
            "INSERT INTO field_version(entity, entity_id, field, value, hlc, vv, inspector, at)
             VALUES ('plan', ?1, 'number', '\"\"', ?2, ?3, 'Bình', '2026-09-16T03:00:00.000Z')",
            rusqlite::params![plan.id, member_h, member_vv],
        )
        .unwrap();
    }
    let mut member = Store::open(&member_path).unwrap();
    let mut lead = Store::open(&lead_path).unwrap();
    assert_eq!(member.schema_version().unwrap(), kiemtra_core::store::latest_schema());
    // The member's laptop: its own sample version is gone, the lead's number shows, and it
    // has now seen the blank it replaces.
    assert!(
        member.conflicts().unwrap().is_empty(),
        "{:?}",
        member.conflicts().unwrap()
    );
    assert_eq!(member.plan(&plan.id).unwrap().number, "25");
    let (h, vv, alt) = number_versions(&member_path, &plan.id);
    assert_eq!(h, lead_h);
    assert!(vv.contains(&member_h) && vv.contains(&lead_h), "{vv}");
    assert!(alt.is_empty());
    // The lead's laptop still holds the member's blank (it was not its own sample load)…
    assert_eq!(lead.conflicts().unwrap().len(), 1);
    assert_eq!(lead.plan(&plan.id).unwrap().number, "25");
    // …until the member's next file.
    let f = tmp.path().join("thanh-vien.kiemtra");
    member
        .export_exchange(&Ctx::new(t0 + Duration::days(2), "Bình"), &plan.id, &[], &f)
        .unwrap();
    let allow = kiemtra_core::exchange::Unprotected::Allow;
    let s = lead
        .import_exchange_with(&Ctx::new(t0 + Duration::days(2), "An"), &f, None, allow, &mut |_, _| {})
        .unwrap();
    assert_eq!(s.total.conflicts, 0, "{s:?}");
    assert!(lead.conflicts().unwrap().is_empty(), "{:?}", lead.conflicts().unwrap());
    assert_eq!(lead.plan(&plan.id).unwrap().number, "25");
    // Fields nobody edited carry the origin version on both, the checklists' too.
    let back = tmp.path().join("truong-doan.kiemtra");
    lead.export_exchange(&Ctx::new(t0 + Duration::days(3), "An"), &plan.id, &[], &back)
        .unwrap();
    let s = member
        .import_exchange_with(
            &Ctx::new(t0 + Duration::days(3), "Bình"),
            &back,
            None,
            allow,
            &mut |_, _| {},
        )
        .unwrap();
    assert!(s.total.is_empty(), "{s:?}");
    assert_eq!(diff(&state(&lead), &state(&member)), "");
    let c = rusqlite::Connection::open(&member_path).unwrap();
    let not_origin: i64 = c
        .query_row(
            "SELECT count(*) FROM field_clock WHERE hlc NOT LIKE '0000000000000-%'
               AND NOT (entity = 'plan' AND field = 'number') AND entity <> 'template' OR (entity = 'template' AND field <> 'deleted' AND hlc NOT LIKE '0000000000000-%')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(not_origin, 0, "every untouched field has the origin version");
}
