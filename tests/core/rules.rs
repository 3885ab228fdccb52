//! The rules every write obeys, driven through each way a write reaches the store: a user
//! action (what the CLI and the window call), an undo, a choice in the conflict list and an
//! import. Each rule that used to live in one wrapper only has a case here that passed
//! through another path before.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::document::{DocEdits, DocPatch};
use kiemtra_core::exchange::Keep;
use kiemtra_core::followup::RemediationPatch;
use kiemtra_core::model::*;
use kiemtra_core::{Ctx, Store};

use crate::support::{assert_vietnamese, dump};

struct Laptop {
    store: Store,
    dir: PathBuf,
}

struct World {
    _tmp: tempfile::TempDir,
    at: DateTime<Utc>,
    files: usize,
}

impl World {
    fn new() -> World {
        World {
            _tmp: tempfile::tempdir().unwrap(),
            at: Utc.with_ymd_and_hms(2026, 10, 13, 1, 0, 0).unwrap(),
            files: 0,
        }
    }
    fn ctx(&mut self) -> Ctx {
        self.at += Duration::seconds(1);
        Ctx::new(self.at, "Nông Văn Tú")
    }
    fn laptop(&mut self, name: &str) -> Laptop {
        let ctx = self.ctx();
        let dir = self._tmp.path().join(name);
        let (mut store, _) = Store::init(&dir.join("k.sqlite3"), &ctx).unwrap();
        store.load_sample_plan(&ctx).unwrap();
        Laptop { store, dir }
    }
    fn export(&mut self, l: &Laptop, units: &[String]) -> PathBuf {
        let ctx = self.ctx();
        self.files += 1;
        let out = l.dir.join(format!("tep-{}.kiemtra", self.files));
        let plan = l.store.current_plan().unwrap();
        l.store.export_exchange(&ctx, &plan.id, units, &out).unwrap();
        out
    }
    fn import(&mut self, l: &mut Laptop, f: &Path) -> kiemtra_core::Result<kiemtra_core::exchange::ImportSummary> {
        let ctx = self.ctx();
        // (Laptops without team keys: the rules hold on unprotected files too.)
        l.store.import_exchange_with(
            &ctx,
            f,
            None,
            kiemtra_core::exchange::Unprotected::Allow,
            &mut |_, _| {},
        )
    }
}

fn inspection(s: &Store, name: &str) -> String {
    s.resolve_inspection(name).unwrap().1
}

fn team(x: f64) -> ResponsePatch {
    ResponsePatch {
        team_score: Some(Some(x)),
        ..Default::default()
    }
}

fn refused<T: std::fmt::Debug>(r: kiemtra_core::Result<T>, contains: &str) -> String {
    let e = r.expect_err("refused").to_string();
    assert!(e.contains(contains), "«{contains}» not in: {e}");
    assert_vietnamese(&e);
    e
}

/// A laptop in unit mode for xã Hạ Lang, holding the team's file, with the unit's own
/// work done.
fn unit_laptop(w: &mut World) -> Laptop {
    let mut u = w.laptop("may-don-vi");
    let ha_lang = u.store.resolve_unit("ha lang").unwrap();
    u.store.set_self_assessment_unit(Some(&ha_lang.id)).unwrap();
    u
}

#[test]
fn unit_mode_holds_on_every_write_not_only_where_a_wrapper_checked() {
    let mut w = World::new();
    let mut team_laptop = w.laptop("may-doan");
    let h = inspection(&team_laptop.store, "ha lang");
    let c = w.ctx();
    let f = team_laptop
        .store
        .add_finding(&c, &h, "3", FindingKind::Shortcoming, "Còn 13 hồ sơ quá hạn")
        .unwrap();
    let file = w.export(&team_laptop, &[]);
    let mut u = unit_laptop(&mut w);
    w.import(&mut u, &file).unwrap();
    let h = inspection(&u.store, "ha lang");
    let dd = inspection(&u.store, "doai duong");
    let before = dump(u.store.path());
    let self_score = ResponsePatch {
        self_score: Some(Some(0.5)),
        ..Default::default()
    };
    let c = w.ctx();
    let s = &mut u.store;
    // Each of these went through before (only four write operations checked unit mode).
    refused(s.set_response(&c, &dd, "1.1.1", &self_score), "đơn vị khác");
    refused(s.set_self_score(&c, &dd, "1.1.1", Some(Some(0.5)), None), "đơn vị khác");
    refused(
        s.add_finding(&c, &h, "3", FindingKind::Shortcoming, "Đơn vị tự ghi"),
        "tự đánh giá",
    );
    refused(s.update_finding(&c, &f, "Đơn vị sửa nhận xét của đoàn"), "tự đánh giá");
    refused(s.delete_finding(&c, &f), "tự đánh giá");
    refused(
        s.add_recommendation(&c, &h, None, "Tự kiến nghị", "", None),
        "tự đánh giá",
    );
    refused(s.set_self_figure(&c, &dd, "ho_so_tiep_nhan", 10.0), "đơn vị khác");
    refused(
        s.add_evidence(&c, &dd, "1.1.1", "12/KH-UBND", None, "", None),
        "đơn vị khác",
    );
    let edit = DocPatch {
        edits: Some(DocEdits {
            opening: Some("Đơn vị tự viết phần mở đầu".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    refused(s.edit_document(&c, &h, DocumentKind::ThongBao, &edit), "tự đánh giá");
    // And what a wrapper did check still holds.
    refused(s.set_response(&c, &h, "1.1.1", &team(0.5)), "tự đánh giá");
    refused(s.set_figure(&c, &h, "ho_so_tiep_nhan", 10.0), "tự đánh giá");
    assert_eq!(before, dump(s.path()), "nothing refused was written");

    // The unit's own work passes, and its undo too.
    s.set_self_score(&c, &h, "1.1.1", Some(Some(0.5)), Some("Kế hoạch số 12/KH-UBND"))
        .unwrap();
    s.set_self_figure(&c, &h, "ho_so_tiep_nhan", 1081.0).unwrap();
    s.add_evidence(&c, &h, "1.1.1", "12/KH-UBND", None, "", None).unwrap();
    let c = w.ctx();
    for _ in 0..3 {
        u.store.undo_last(&c).unwrap();
    }
    let r = u.store.responses(&h).unwrap();
    assert!(r.get("1.1.1").is_none_or(|r| r.self_score.is_none()), "{r:?}");
}

/// Two laptops set the same field without seeing each other: a conflict on the lead's.
fn conflict_on(w: &mut World, set: impl Fn(&mut Store, &Ctx, &str, usize)) -> (Laptop, String) {
    let mut a = w.laptop("may-a");
    let mut b = w.laptop("may-b");
    let h = inspection(&a.store, "ha lang");
    let c = w.ctx();
    set(&mut a.store, &c, &h, 0);
    let c = w.ctx();
    set(&mut b.store, &c, &h, 1);
    let f = w.export(&b, &[]);
    w.import(&mut a, &f).unwrap();
    let conflicts = a.store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let id = conflicts[0].id.clone();
    (a, id)
}

#[test]
fn a_choice_in_the_conflict_list_obeys_the_rules_of_a_normal_edit() {
    let mut w = World::new();
    // A figure: no negative value, no part above its whole.
    let (mut a, id) = conflict_on(&mut w, |s, c, h, i| {
        s.set_figure(c, h, "ho_so_tiep_nhan", [1081.0, 1080.0][i]).unwrap();
        s.set_figure(c, h, "ho_so_da_giai_quyet", 1068.0).unwrap();
    });
    let before = dump(a.store.path());
    let c = w.ctx();
    refused(
        a.store.resolve_conflict(&c, &id, Keep::Value("-5".into())),
        "không được âm",
    );
    refused(
        a.store.resolve_conflict(&c, &id, Keep::Value("1.000".into())),
        "vượt quá",
    );
    assert_eq!(before, dump(a.store.path()));
    a.store.resolve_conflict(&c, &id, Keep::Value("1.081".into())).unwrap();

    // A team score: within the criterion's maximum.
    let mut w = World::new();
    let (mut a, id) = conflict_on(&mut w, |s, c, h, i| {
        s.set_response(c, h, "1.1.1", &team([0.5, 0.75][i])).unwrap();
    });
    let c = w.ctx();
    refused(
        a.store.resolve_conflict(&c, &id, Keep::Value("7".into())),
        "vượt điểm tối đa",
    );
    a.store.resolve_conflict(&c, &id, Keep::Value("0,25".into())).unwrap();

    // A recommendation: "đã khắc phục" only with the unit's report. Two laptops wrote the
    // report number; the lead's rewrite may not leave a remedied one without a report.
    let mut w = World::new();
    let mut a = w.laptop("may-a");
    let h = inspection(&a.store, "ha lang");
    let c = w.ctx();
    let (rid, _) = a
        .store
        .add_recommendation(&c, &h, None, "Gửi văn bản xin lỗi", "Chủ tịch UBND xã", None)
        .unwrap();
    let f = w.export(&a, &[]);
    let mut b = w.laptop("may-b");
    w.import(&mut b, &f).unwrap();
    let report = |n: &str, state: Option<RecommendationState>| RemediationPatch {
        report_number: Some(n.into()),
        state,
        ..Default::default()
    };
    let c = w.ctx();
    a.store
        .update_followup(&c, &rid, &report("15/BC-UBND", Some(RecommendationState::Remedied)))
        .unwrap();
    let c = w.ctx();
    b.store.update_followup(&c, &rid, &report("16/BC-UBND", None)).unwrap();
    let f = w.export(&b, &[]);
    w.import(&mut a, &f).unwrap();
    let conflicts = a.store.conflicts().unwrap();
    let number = conflicts
        .iter()
        .find(|c| c.field == "report_number")
        .expect("the report number in conflict");
    let before = dump(a.store.path());
    let c = w.ctx();
    refused(
        a.store.resolve_conflict(&c, &number.id, Keep::Value(" ".into())),
        "số hoặc ngày báo cáo",
    );
    assert_eq!(before, dump(a.store.path()));
    a.store
        .resolve_conflict(&c, &number.id, Keep::Value("15/BC-UBND".into()))
        .unwrap();
}

#[test]
fn an_undo_that_would_break_a_rule_is_refused_and_changes_nothing() {
    let mut w = World::new();
    let mut a = w.laptop("may-a");
    let mut b = w.laptop("may-b");
    let h = inspection(&a.store, "ha lang");
    let c = w.ctx();
    a.store.set_figure(&c, &h, "ho_so_tiep_nhan", 40.0).unwrap();
    let c = w.ctx();
    a.store.set_figure(&c, &h, "ho_so_tiep_nhan", 100.0).unwrap();
    let f = w.export(&a, &[]);
    w.import(&mut b, &f).unwrap();
    let c = w.ctx();
    b.store.set_figure(&c, &h, "ho_so_da_giai_quyet", 90.0).unwrap();
    let f = w.export(&b, &[]);
    w.import(&mut a, &f).unwrap();
    // a's last action is the 100: undoing it would leave 90 resolved of 40 received.
    let before = dump(a.store.path());
    let c = w.ctx();
    refused(a.store.undo_last(&c), "vượt quá");
    assert_eq!(before, dump(a.store.path()));
}

#[test]
fn an_import_obeys_the_rules_on_what_it_changes() {
    let mut w = World::new();
    let mut a = w.laptop("may-a");
    let mut b = w.laptop("may-b");
    let h = inspection(&a.store, "ha lang");
    let c = w.ctx();
    a.store.set_response(&c, &h, "1.1.1", &team(0.5)).unwrap();
    // Another program (or a damaged build) wrote a score above the maximum behind the
    // app's back; the file carries it with a valid clock.
    {
        let conn = rusqlite::Connection::open(a.store.path()).unwrap();
        conn.execute(
            "UPDATE response SET team_score = 7 WHERE inspection_id = ?1 AND item_code = '1.1.1'",
            [&h],
        )
        .unwrap();
    }
    let f = w.export(&a, &[]);
    let before = dump(b.store.path());
    let e = refused(w.import(&mut b, &f), "vượt điểm tối đa");
    assert!(e.contains("không bị thay đổi"), "{e}");
    assert_eq!(before, dump(b.store.path()));
}

#[test]
fn undo_reaches_past_an_action_whose_fields_changed_since_and_keeps_the_index() {
    let mut w = World::new();
    let mut a = w.laptop("may-a");
    let h = inspection(&a.store, "ha lang");
    let c = w.ctx();
    a.store
        .add_finding(
            &c,
            &h,
            "3",
            FindingKind::Shortcoming,
            "Chưa niêm yết thủ tục hành chính",
        )
        .unwrap();
    assert_eq!(a.store.search("niem yet", 10).unwrap().len(), 1);
    let c = w.ctx();
    a.store.set_response(&c, &h, "1.1.1", &team(0.5)).unwrap();
    let c = w.ctx();
    let u = a.store.undo_last(&c).unwrap();
    assert_eq!(u.changes, 2, "the score, and the inspection's state it had moved");
    let c = w.ctx();
    let u = a.store.undo_last(&c).unwrap();
    assert_eq!((u.action.as_str(), u.changes), ("thêm nhận xét", 1));
    assert!(
        a.store.search("niem yet", 10).unwrap().is_empty(),
        "the index follows the undo"
    );
    let c = w.ctx();
    assert!(a.store.undo_last(&c).is_err(), "nothing before loading the plan");
}

#[test]
fn undo_never_names_an_action_it_cannot_revert() {
    let mut w = World::new();
    let mut a = w.laptop("may-a");
    let mut b = w.laptop("may-b");
    let h = inspection(&a.store, "ha lang");
    let c = w.ctx();
    let f = a
        .store
        .add_finding(&c, &h, "3", FindingKind::Shortcoming, "Còn hồ sơ quá hạn")
        .unwrap();
    let file = w.export(&a, &[]);
    w.import(&mut b, &file).unwrap();
    let c = w.ctx();
    a.store.set_response(&c, &h, "1.1.1", &team(0.5)).unwrap();
    // The same finding rewritten on both laptops: a conflict on a once b's file is in.
    let c = w.ctx();
    b.store.update_finding(&c, &f, "Còn 13 hồ sơ quá hạn (máy b)").unwrap();
    let c = w.ctx();
    a.store.update_finding(&c, &f, "Còn 13 hồ sơ quá hạn (máy a)").unwrap();
    let file = w.export(&b, &[]);
    w.import(&mut a, &file).unwrap();
    let conflict = a.store.conflicts().unwrap().remove(0);
    let c = w.ctx();
    a.store.resolve_conflict(&c, &conflict.id, Keep::Mine).unwrap();
    // Keeping the value shown changed no field undo could give back, and the edit before it
    // was overwritten by that choice: undo names neither, it offers the score.
    let offered = a.store.last_undoable().unwrap().expect("something to undo");
    assert_eq!(offered.action, "chấm tiêu chí");
    let c = w.ctx();
    let u = a.store.undo_last(&c).unwrap();
    assert_eq!((u.action.as_str(), u.changes), ("chấm tiêu chí", 2));
    assert!(a.store.responses(&h).unwrap().values().all(|r| r.team_score.is_none()));
    // Then the finding it added (the one action left), and nothing after it.
    let c = w.ctx();
    let u = a.store.undo_last(&c).unwrap();
    assert_eq!((u.action.as_str(), u.changes), ("thêm nhận xét", 1));
    assert!(a.store.last_undoable().unwrap().is_none());
}

#[test]
fn ranking_by_area_counts_scored_criteria_as_the_score_card_does() {
    let mut w = World::new();
    let mut a = w.laptop("may-a");
    let h = inspection(&a.store, "ha lang");
    let c = w.ctx();
    // No feedback received: the criterion on feedback handled does not apply. It is the only
    // one settled in area 3.
    a.store.set_figure(&c, &h, "phan_anh_kien_nghi", 0.0).unwrap();
    a.store.set_figure(&c, &h, "phan_anh_da_xu_ly", 0.0).unwrap();
    let plan = a.store.current_plan().unwrap();
    let (_, card) = a.store.score_card(&h).unwrap();
    let area3 = card.area("3").unwrap();
    assert_eq!(area3.scored_items, 1);
    let total = a.store.ranking_by(&plan.id, None).unwrap();
    let by_area = a.store.ranking_by(&plan.id, Some("3")).unwrap();
    let row = |v: &[kiemtra_core::plan::RankRow]| v.iter().find(|r| r.inspection_id == h).cloned().unwrap();
    assert!(row(&total).rank.is_some());
    assert!(
        row(&by_area).rank.is_some(),
        "ranked on its total, ranked in the area too"
    );
    assert_eq!(row(&by_area).scored_items, area3.scored_items);
    assert_eq!(row(&by_area).scorable_items, area3.scorable_items);
}

#[test]
fn undo_takes_back_a_document_edit_then_the_action_before_it() {
    let mut w = World::new();
    let mut a = w.laptop("may-a");
    let h = inspection(&a.store, "ha lang");
    let c = w.ctx();
    a.store.set_response(&c, &h, "1.1.1", &team(0.5)).unwrap();
    let edit = |text: &str| DocPatch {
        edits: Some(DocEdits {
            closing: Some(text.into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let c = w.ctx();
    a.store
        .edit_document(&c, &h, DocumentKind::ThongBao, &edit("Đoạn kết thứ nhất"))
        .unwrap();
    let c = w.ctx();
    a.store
        .edit_document(&c, &h, DocumentKind::ThongBao, &edit("Đoạn kết thứ hai"))
        .unwrap();
    let closing = |s: &Store| s.document(&h, DocumentKind::ThongBao).unwrap().edits.closing;
    let c = w.ctx();
    let u = a.store.undo_last(&c).unwrap();
    assert_eq!((u.action.as_str(), u.changes), ("sửa văn bản", 1));
    assert_eq!(closing(&a.store).as_deref(), Some("Đoạn kết thứ nhất"));
    let c = w.ctx();
    assert!(a.store.undo_last(&c).unwrap().changes > 0);
    let c = w.ctx();
    assert_eq!(
        a.store.undo_last(&c).unwrap().action,
        "chấm tiêu chí",
        "undo went on to the score"
    );
}

#[test]
fn the_checks_an_inspector_welcomes_are_computed_by_the_core() {
    let mut w = World::new();
    let mut a = w.laptop("may-a");
    let h = inspection(&a.store, "ha lang");
    let c = w.ctx();
    let conflict = |s: &Store| {
        s.score_card(&h)
            .unwrap()
            .1
            .item("1.1.1")
            .unwrap()
            .level_conflict
            .clone()
    };
    // A level chosen (đúng hạn gives 0,75 of 1.1.1) and a team score that says otherwise.
    let level = ResponsePatch {
        status: Some(Some("dung_han".into())),
        ..Default::default()
    };
    a.store.set_response(&c, &h, "1.1.1", &level).unwrap();
    assert_eq!(conflict(&a.store), None);
    a.store.set_response(&c, &h, "1.1.1", &team(0.25)).unwrap();
    let said = conflict(&a.store).expect("a team score against its level is pointed out");
    assert!(said.contains("0,25") && said.contains("0,75"), "{said}");
    assert_vietnamese(&said);
    a.store.set_response(&c, &h, "1.1.1", &team(0.75)).unwrap();
    assert_eq!(conflict(&a.store), None, "the same score as the level");

    // Resolved − on time ≠ late: said, not refused (the figure typed last may be the wrong one).
    a.store.set_figure(&c, &h, "ho_so_da_giai_quyet", 100.0).unwrap();
    a.store.set_figure(&c, &h, "ho_so_dung_han", 80.0).unwrap();
    assert!(
        a.store.figure_contradictions(&h).unwrap().0.is_empty(),
        "late not known yet"
    );
    a.store.set_figure(&c, &h, "ho_so_tre_han", 15.0).unwrap();
    let (team_side, unit_side) = a.store.figure_contradictions(&h).unwrap();
    assert_eq!(team_side.len(), 1, "{team_side:?}");
    assert!(
        team_side[0].contains("= 20") && team_side[0].contains("(15)"),
        "{team_side:?}"
    );
    assert!(unit_side.is_empty());
    a.store.set_figure(&c, &h, "ho_so_tre_han", 20.0).unwrap();
    assert!(a.store.figure_contradictions(&h).unwrap().0.is_empty());

    // A deadline already past asks for confirmation (today is 13/10/2026); a date that does
    // not exist is refused as such; the deadline a recommendation already has is not asked again.
    let e = a
        .store
        .confirm_deadline(&c, None, Some("30/09/2026"), false)
        .unwrap_err();
    assert_eq!(e.code(), "deadline_past");
    assert!(
        e.to_string().contains("30/09/2026") && e.to_string().contains("13/10/2026"),
        "{e}"
    );
    assert_vietnamese(&e.to_string());
    a.store.confirm_deadline(&c, None, Some("30/09/2026"), true).unwrap();
    a.store.confirm_deadline(&c, None, Some("13/10/2026"), false).unwrap();
    a.store.confirm_deadline(&c, None, Some(""), false).unwrap();
    assert_eq!(
        a.store
            .confirm_deadline(&c, None, Some("31/11/2026"), false)
            .unwrap_err()
            .code(),
        "bad_date"
    );
    let (id, _) = a
        .store
        .add_recommendation(&c, &h, None, "Cập nhật hồ sơ", "UBND xã", Some("30/09/2026"))
        .unwrap();
    a.store
        .confirm_deadline(&c, Some(&id), Some("30/09/2026"), false)
        .unwrap();
    assert_eq!(
        a.store
            .confirm_deadline(&c, Some(&id), Some("29/09/2026"), false)
            .unwrap_err()
            .code(),
        "deadline_past"
    );
}
