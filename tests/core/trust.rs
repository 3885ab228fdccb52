//! The team's keys (issue 13), on simulated laptops: the lead, two members, the inspected
//! unit's laptop and a stranger. Who made a file is proven; a unit's file carries its
//! self-assessment and nothing else; a stranger's, another team's, an altered file and a file
//! a removed laptop made afterwards are refused, each with its message, and the database is
//! byte for byte as before (dump compared).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::exchange::{ImportSummary, Unprotected};
use kiemtra_core::model::FindingKind;
use kiemtra_core::{Ctx, Error, Store};

use crate::support::{assert_vietnamese, dump};

struct Laptop {
    store: Store,
    dir: PathBuf,
    name: String,
}

struct Team {
    _tmp: tempfile::TempDir,
    clock: DateTime<Utc>,
    files: usize,
}

impl Team {
    fn new() -> Team {
        Team {
            _tmp: tempfile::tempdir().unwrap(),
            clock: Utc.with_ymd_and_hms(2026, 10, 5, 1, 0, 0).unwrap(),
            files: 0,
        }
    }
    fn ctx(&mut self, who: &str) -> Ctx {
        self.clock += Duration::seconds(1);
        Ctx::new(self.clock, who)
    }
    fn laptop(&mut self, name: &str, sample: bool) -> Laptop {
        let ctx = self.ctx(name);
        let dir = self._tmp.path().join(name);
        let (mut store, _) = Store::init(&dir.join("k.sqlite3"), &ctx).unwrap();
        if sample {
            store.load_sample_plan(&ctx).unwrap();
        }
        Laptop {
            store,
            dir,
            name: name.to_string(),
        }
    }
    fn file(&mut self, l: &Laptop, what: &str) -> PathBuf {
        self.files += 1;
        l.dir.join(format!("{}-{what}.kiemtra", self.files))
    }
    fn export(&mut self, l: &Laptop, units: &[String]) -> PathBuf {
        let ctx = self.ctx(&l.name);
        let out = self.file(l, "tep");
        let plan = l.store.current_plan().unwrap();
        l.store.export_exchange(&ctx, &plan.id, units, &out).unwrap();
        out
    }
    fn import(&mut self, l: &mut Laptop, f: &Path) -> kiemtra_core::Result<ImportSummary> {
        let ctx = self.ctx(&l.name);
        l.store.import_exchange(&ctx, f, None, &mut |_, _| {})
    }
}

/// The refusal's code and message; the database is as before, byte for byte.
fn refused_unchanged(t: &mut Team, l: &mut Laptop, f: &Path, code: &str, words: &[&str]) -> String {
    let before = dump(l.store.path());
    let ctx = t.ctx(&l.name);
    let preview = l.store.preview_exchange(&ctx, f).unwrap_err();
    let err = t.import(l, f).unwrap_err();
    assert_eq!(preview.code(), err.code());
    assert_eq!(err.code(), code, "{err}");
    let m = err.to_string();
    assert_vietnamese(&m);
    assert!(m.contains("Dữ liệu không bị thay đổi"), "{m}");
    for w in words {
        assert!(m.contains(w), "expected «{w}» in: {m}");
    }
    assert_eq!(dump(l.store.path()), before, "a refused file changed the database");
    m
}

fn ha_lang(s: &Store) -> (String, String) {
    let (u, i) = s.resolve_inspection("ha lang").unwrap();
    (u.id, i)
}

fn team_score(s: &Store, insp: &str, code: &str) -> Option<f64> {
    s.responses(insp).unwrap().get(code).and_then(|r| r.team_score)
}

fn set_team(s: &mut Store, ctx: &Ctx, insp: &str, code: &str, x: f64) -> kiemtra_core::Result<usize> {
    s.set_response(
        ctx,
        insp,
        code,
        &ResponsePatch {
            team_score: Some(Some(x)),
            ..Default::default()
        },
    )
}

/// A lead and a member who joined from the lead's invitation.
fn lead_and_member(t: &mut Team) -> (Laptop, Laptop) {
    let mut lead = t.laptop("an", true);
    let mut member = t.laptop("binh", true);
    let ctx = t.ctx("An");
    let view = lead
        .store
        .team_create(&ctx, "Đoàn kiểm tra CCHC tỉnh", "Nguyễn Văn An")
        .unwrap();
    assert!(view.is_lead);
    let invite = t.file(&lead, "moi-binh");
    let ctx = t.ctx("An");
    let inv = lead.store.team_invite(&ctx, "Trần Thị Bình", &invite).unwrap();
    assert_eq!(inv.fingerprint, view.fingerprint);
    let ctx = t.ctx("Bình");
    let joined = member.store.team_join(&ctx, &invite).unwrap();
    // The short code two people read to each other is the same on both laptops.
    assert_eq!(joined.fingerprint, view.fingerprint);
    assert!(!joined.is_lead);
    assert_eq!(joined.member, "Trần Thị Bình");
    assert_eq!(member.store.member_name().unwrap().as_deref(), Some("Trần Thị Bình"));
    // Joining twice is refused and changes nothing.
    let before = dump(member.store.path());
    let ctx = t.ctx("Bình");
    assert_eq!(member.store.team_join(&ctx, &invite).unwrap_err().code(), "team_state");
    assert_eq!(dump(member.store.path()), before);
    (lead, member)
}

#[test]
fn members_merge_and_each_file_names_its_maker_as_verified() {
    let mut t = Team::new();
    let (mut lead, mut member) = lead_and_member(&mut t);
    let (_, h) = ha_lang(&lead.store);
    let ctx = t.ctx("An");
    set_team(&mut lead.store, &ctx, &h, "1.1.1", 0.5).unwrap();
    let f = t.export(&lead, &[]);
    // Encrypted: nothing of the plan is readable in the file's bytes.
    let bytes = std::fs::read(&f).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n"));
    for plain in ["Hạ Lang".as_bytes(), b"kiemtra.json", b"records.json", b"PK\x03\x04"] {
        assert!(!bytes.windows(plain.len()).any(|w| w == plain), "plaintext in the file");
    }
    let s = t.import(&mut member, &f).unwrap();
    assert!(s.protected);
    let v = s.verified.unwrap();
    assert_eq!(v.member, "Nguyễn Văn An");
    assert_eq!(v.role_label, "trưởng đoàn");
    assert_eq!(team_score(&member.store, &h, "1.1.1"), Some(0.5));
    // The member's edit comes back, signed by the member.
    let ctx = t.ctx("Bình");
    let finding = member
        .store
        .add_finding(&ctx, &h, "3", FindingKind::Shortcoming, "Chưa công khai đủ TTHC")
        .unwrap();
    let f = t.export(&member, &[]);
    let s = t.import(&mut lead, &f).unwrap();
    assert_eq!(s.verified.as_ref().unwrap().member, "Trần Thị Bình");
    assert!(lead.store.findings(&h).unwrap().iter().any(|x| x.id == finding));
    // The exchange screen's list and the audit log name the member, verified.
    let got = lead.store.received_files(10).unwrap();
    assert_eq!(got.len(), 1);
    assert!(got[0].verified);
    assert_eq!(got[0].from, "Trần Thị Bình");
    assert_eq!(got[0].changes.added, 1);
    let audit = lead.store.audit(50).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action.contains("Trần Thị Bình") && a.action.contains("đã xác minh")),
        "{:?}",
        audit.iter().map(|a| &a.action).collect::<Vec<_>>()
    );
    // Both laptops list the same team.
    let a = lead.store.team_view().unwrap().unwrap();
    let b = member.store.team_view().unwrap().unwrap();
    assert_eq!(a.laptops.len(), 2);
    assert_eq!(a.fingerprint, b.fingerprint);
}

#[test]
fn the_unit_sends_its_self_assessment_and_its_attempt_at_the_teams_results_is_refused() {
    let mut t = Team::new();
    let (mut lead, _) = lead_and_member(&mut t);
    let (hl_unit, h) = ha_lang(&lead.store);
    let ctx = t.ctx("An");
    set_team(&mut lead.store, &ctx, &h, "1.1.1", 0.5).unwrap();
    // The lead invites the unit; its laptop opens the invitation.
    let invite = t.file(&lead, "moi-ha-lang");
    let ctx = t.ctx("An");
    lead.store.self_invite(&ctx, &hl_unit, &invite).unwrap();
    let mut unit = t.laptop("ha-lang", false);
    let ctx = t.ctx("Xã Hạ Lang");
    let (view, s) = unit.store.self_join(&ctx, &invite, None).unwrap();
    assert_eq!(view.role_label, "đơn vị tự đánh giá");
    assert!(s.total.added > 0);
    assert_eq!(
        unit.store.self_assessment_unit().unwrap().as_deref(),
        Some(hl_unit.as_str())
    );
    // It has the unit's checklist, not the other units'.
    let (_, uh) = ha_lang(&unit.store);
    assert_eq!(uh, h);
    assert!(unit.store.resolve_inspection("doai duong").is_err());
    // Its self-assessment comes back and fills the self fields only.
    let ctx = t.ctx("Xã Hạ Lang");
    unit.store
        .set_self_score(&ctx, &h, "1.1.1", Some(Some(0.75)), Some("Kế hoạch CCHC số 12/KH-UBND"))
        .unwrap();
    let f = t.export(&unit, &[]);
    let s = t.import(&mut lead, &f).unwrap();
    assert_eq!(s.verified.as_ref().unwrap().role_label, "đơn vị tự đánh giá");
    let r = lead.store.responses(&h).unwrap()["1.1.1"].clone();
    assert_eq!(r.self_score, Some(0.75));
    assert_eq!(r.self_note, "Kế hoạch CCHC số 12/KH-UBND");
    assert_eq!(r.team_score, Some(0.5));
    // The issue's story: unit mode off, the team's score raised, a file exported.
    unit.store.set_self_assessment_unit(None).unwrap();
    let ctx = t.ctx("Xã Hạ Lang");
    set_team(&mut unit.store, &ctx, &h, "1.1.1", 0.75).unwrap();
    let f = t.export(&unit, &[]);
    refused_unchanged(
        &mut t,
        &mut lead,
        &f,
        "exchange_forbidden",
        &["xã Hạ Lang", "chấm điểm của đoàn", "1.1.1", "cả tệp bị từ chối"],
    );
    assert_eq!(team_score(&lead.store, &h, "1.1.1"), Some(0.5));
    // A finding and a recommendation in its name: refused too.
    let mut unit2 = t.laptop("ha-lang-2", false);
    let invite = t.file(&lead, "moi-ha-lang-2");
    let ctx = t.ctx("An");
    lead.store.self_invite(&ctx, &hl_unit, &invite).unwrap();
    let ctx = t.ctx("Xã Hạ Lang");
    unit2.store.self_join(&ctx, &invite, None).unwrap();
    unit2.store.set_self_assessment_unit(None).unwrap();
    let ctx = t.ctx("Xã Hạ Lang");
    unit2
        .store
        .add_finding(&ctx, &h, "1", FindingKind::Achieved, "Đơn vị tự khen")
        .unwrap();
    let f = t.export(&unit2, &[]);
    refused_unchanged(&mut t, &mut lead, &f, "exchange_forbidden", &["ghi nhận xét của đoàn"]);
    // The unit's laptop cannot read the team's files for the whole plan.
    let f = t.export(&lead, &[]);
    let err = t.import(&mut unit, &f).unwrap_err();
    assert_eq!(err.code(), "exchange_not_team", "{err}");
}

/// A unit's invitation and the Đề cương handed over with it are written both or neither:
/// when one cannot be written, the other is not left behind and the roster is as it was.
#[test]
fn a_units_invitation_and_its_outline_are_written_both_or_neither() {
    let mut t = Team::new();
    let (mut lead, _) = lead_and_member(&mut t);
    let (hl_unit, _) = ha_lang(&lead.store);
    let laptops = |l: &Laptop| -> Vec<String> {
        let v = l.store.team_view().unwrap().unwrap();
        v.laptops.iter().map(|x| x.id.clone()).collect()
    };
    let before = laptops(&lead);
    let invite = t.file(&lead, "moi-ha-lang");
    let outline = kiemtra_core::team::outline_path(&invite);
    // The outline's name taken by a folder: even replacing, it cannot be written.
    std::fs::create_dir_all(&outline).unwrap();
    let ctx = t.ctx("An");
    let err = lead.store.self_invite_replacing(&ctx, &hl_unit, &invite).unwrap_err();
    assert_vietnamese(&err.to_string());
    assert!(!invite.exists(), "no invitation without its outline");
    assert_eq!(laptops(&lead), before, "no unit laptop left in the roster");
    std::fs::remove_dir(&outline).unwrap();
    // The invitation's name taken by a folder: the outline written first is taken away.
    std::fs::create_dir_all(&invite).unwrap();
    let ctx = t.ctx("An");
    let err = lead.store.self_invite_replacing(&ctx, &hl_unit, &invite).unwrap_err();
    assert_vietnamese(&err.to_string());
    assert!(!outline.exists(), "no outline without its invitation");
    assert_eq!(laptops(&lead), before, "no unit laptop left in the roster");
    std::fs::remove_dir(&invite).unwrap();
    // Both written; the invitation says where the outline is.
    let ctx = t.ctx("An");
    let inv = lead.store.self_invite(&ctx, &hl_unit, &invite).unwrap();
    assert_eq!(inv.outline_path.as_deref(), outline.to_str());
    assert!(invite.is_file());
    assert!(std::fs::read(&outline).unwrap().starts_with(b"%PDF-"));
    assert_eq!(laptops(&lead).len(), before.len() + 1);
    // A member's invitation has none.
    let ctx = t.ctx("An");
    let member = lead
        .store
        .team_invite(&ctx, "Lê Văn Cường", &t.file(&lead, "moi-cuong"))
        .unwrap();
    assert_eq!(member.outline_path, None);
}

#[test]
fn a_strangers_file_another_teams_and_an_altered_one_are_refused_and_change_nothing() {
    let mut t = Team::new();
    let (mut lead, member) = lead_and_member(&mut t);
    let (_, h) = ha_lang(&lead.store);
    // Another team's file.
    let mut other = t.laptop("doan-khac", true);
    let ctx = t.ctx("Lê Văn C");
    other.store.team_create(&ctx, "Đoàn khác", "Lê Văn C").unwrap();
    let ctx = t.ctx("Lê Văn C");
    set_team(&mut other.store, &ctx, &h, "1.1.1", 0.25).unwrap();
    let f = t.export(&other, &[]);
    refused_unchanged(&mut t, &mut lead, &f, "exchange_not_team", &["không phải của đoàn này"]);
    // A stranger without keys: an unprotected file, refused unless the user allows it.
    let stranger = t.laptop("nguoi-la", true);
    let f = t.export(&stranger, &[]);
    let m = refused_unchanged(
        &mut t,
        &mut lead,
        &f,
        "exchange_unprotected",
        &["Tệp không được bảo vệ"],
    );
    assert!(m.contains("--allow-unprotected"), "{m}");
    let ctx = t.ctx("An");
    let s = lead
        .store
        .import_exchange_with(&ctx, &f, None, Unprotected::Allow, &mut |_, _| {})
        .unwrap();
    assert!(!s.protected && s.verified.is_none());
    // The member's file, one byte changed in the middle: refused as altered.
    let f = t.export(&member, &[]);
    let mut bytes = std::fs::read(&f).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    let bad = t.file(&member, "sua-1-byte");
    std::fs::write(&bad, &bytes).unwrap();
    refused_unchanged(
        &mut t,
        &mut lead,
        &bad,
        "exchange_altered",
        &["đã bị sửa sau khi được tạo"],
    );
    // Cut short: refused as altered too.
    let cut = t.file(&member, "cat");
    std::fs::write(&cut, &std::fs::read(&f).unwrap()[..bytes.len() - 100]).unwrap();
    refused_unchanged(&mut t, &mut lead, &cut, "exchange_altered", &[]);
    // The genuine file still imports.
    t.import(&mut lead, &f).unwrap();
}

/// Someone who learned the team's period recipient can make a file that decrypts: its
/// signature and roster are what the import checks, so it is refused.
#[test]
fn a_file_that_decrypts_but_is_not_signed_by_the_team_is_refused() {
    use kiemtra_core::exchange::file;
    let mut t = Team::new();
    let (mut lead, member) = lead_and_member(&mut t);
    // A genuine file of the member, opened with the member's keys (read from its database).
    let f = t.export(&member, &[]);
    let conn = rusqlite::Connection::open(member.store.path()).unwrap();
    let identity: String = conn
        .query_row(
            "SELECT identity FROM key_period ORDER BY period DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let recipient: String = conn
        .query_row(
            "SELECT recipient FROM key_period ORDER BY period DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let id = kiemtra_core::format::sealed::Identity::parse(&identity).unwrap();
    let to = kiemtra_core::format::sealed::Recipient::parse(&recipient).unwrap();
    let reader =
        kiemtra_core::format::sealed::open(std::io::BufReader::new(std::fs::File::open(&f).unwrap()), &[&id]).unwrap();
    let pkg = file::Package::open(reader).unwrap();
    let (manifest, records, roster) = (pkg.manifest.clone(), pkg.records.clone(), pkg.roster.clone().unwrap());
    let forge = |sign: &dyn Fn(&[u8]) -> String, roster: &[u8], m: file::Manifest| {
        let mut zip = file::write_signed(
            std::io::Cursor::new(Vec::new()),
            m,
            &records,
            &mut |_| Ok(()),
            Some(file::Signing { roster, sign }),
        )
        .unwrap()
        .into_inner();
        file::seal_bytes(&mut zip);
        kiemtra_core::format::sealed::seal(&zip, std::slice::from_ref(&to), Vec::new()).unwrap()
    };
    // Signed by a key of nobody's, with the team's genuine roster.
    let nobody = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let mut m = manifest.clone();
    m.created_at = "2026-10-05T02:00:00.000Z".into();
    let bytes = forge(&|b| kiemtra_core::domain::trust::sign_manifest(&nobody, b), &roster, m);
    let p = t.file(&member, "gia-chu-ky");
    std::fs::write(&p, bytes).unwrap();
    refused_unchanged(&mut t, &mut lead, &p, "exchange_altered", &["chữ ký"]);
    // A roster of the forger's own making, naming the forger's key for the member's laptop.
    let mut r: kiemtra_core::domain::trust::SignedRoster = serde_json::from_slice(&roster).unwrap();
    let mut body: kiemtra_core::domain::trust::Roster = serde_json::from_str(&r.body).unwrap();
    for l in &mut body.laptops {
        l.verify_key = kiemtra_core::domain::trust::verify_key_text(&nobody);
    }
    body.serial += 10;
    r = body.sign(&nobody);
    let bytes = forge(
        &|b| kiemtra_core::domain::trust::sign_manifest(&nobody, b),
        &serde_json::to_vec(&r).unwrap(),
        manifest,
    );
    let p = t.file(&member, "gia-danh-sach");
    std::fs::write(&p, bytes).unwrap();
    refused_unchanged(&mut t, &mut lead, &p, "exchange_altered", &["trưởng đoàn"]);
}

#[test]
fn a_removed_laptops_later_files_are_refused_and_its_earlier_ones_still_read() {
    let mut t = Team::new();
    let (mut lead, mut lost) = lead_and_member(&mut t);
    let mut other = t.laptop("cuong", true);
    let invite = t.file(&lead, "moi-cuong");
    let ctx = t.ctx("An");
    lead.store.team_invite(&ctx, "Phạm Văn Cường", &invite).unwrap();
    let ctx = t.ctx("Cường");
    other.store.team_join(&ctx, &invite).unwrap();
    let (_, h) = ha_lang(&lead.store);
    // Before it is lost: a file the lead receives, and one the other member receives later.
    let ctx = t.ctx("Bình");
    lost.store
        .add_finding(&ctx, &h, "3", FindingKind::Shortcoming, "Trước khi mất máy")
        .unwrap();
    let before = t.export(&lost, &[]);
    t.import(&mut lead, &before).unwrap();
    // The lead removes it: a new key period.
    let lost_id = lost.store.team_view().unwrap().unwrap().laptop_id;
    let ctx = t.ctx("An");
    let view = lead.store.team_revoke(&ctx, "Trần Thị Bình").unwrap();
    assert_eq!(view.period, 2);
    assert!(view.laptops.iter().any(|l| l.id == lost_id && !l.active));
    let ctx = t.ctx("An");
    assert_eq!(
        lead.store.team_revoke(&ctx, "Nguyễn Văn An").unwrap_err().code(),
        "team_state"
    );
    // Whoever holds the lost laptop makes a file afterwards: refused by the lead.
    let ctx = t.ctx("Bình");
    lost.store
        .add_finding(&ctx, &h, "3", FindingKind::Shortcoming, "Sau khi bị thu hồi")
        .unwrap();
    let after = t.export(&lost, &[]);
    refused_unchanged(
        &mut t,
        &mut lead,
        &after,
        "exchange_revoked",
        &["Trần Thị Bình", "thu hồi"],
    );
    // The other member: the lead's next file brings the new roster and period.
    let f = t.export(&lead, &[]);
    t.import(&mut other, &f).unwrap();
    assert_eq!(other.store.team_view().unwrap().unwrap().period, 2);
    refused_unchanged(&mut t, &mut other, &after, "exchange_revoked", &["thu hồi"]);
    // The file it made before its removal still reads.
    t.import(&mut other, &before).unwrap();
    // Files of the new period: the removed laptop cannot open them.
    let ctx = t.ctx("Cường");
    other
        .store
        .add_finding(&ctx, &h, "3", FindingKind::Shortcoming, "Kỳ khóa mới")
        .unwrap();
    let f = t.export(&other, &[]);
    let err = t.import(&mut lost, &f).unwrap_err();
    assert_eq!(err.code(), "exchange_not_team", "{err}");
    t.import(&mut lead, &f).unwrap();
}

#[test]
fn invitations_that_are_not_are_refused() {
    let mut t = Team::new();
    let (lead, _) = lead_and_member(&mut t);
    let mut fresh = t.laptop("moi", true);
    let before = dump(fresh.store.path());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("rỗng", vec![]),
        ("không phải JSON", b"xin chao".to_vec()),
        ("định dạng khác", br#"{"format":"khac","version":1}"#.to_vec()),
    ];
    for (name, bytes) in cases {
        let p = fresh.dir.join(format!("{name}.kiemtra-moi"));
        std::fs::write(&p, bytes).unwrap();
        let ctx = t.ctx("Mới");
        let err: Error = fresh.store.team_join(&ctx, &p).unwrap_err();
        assert_eq!(err.code(), "invite_invalid", "{name}: {err}");
        assert_vietnamese(&err.to_string());
    }
    // A genuine invitation with its roster changed (another member's key put in).
    let invite = t.file(&lead, "moi");
    let ctx = t.ctx("An");
    let mut lead = lead;
    lead.store.team_invite(&ctx, "Đỗ Văn Dũng", &invite).unwrap();
    let text = std::fs::read_to_string(&invite).unwrap();
    let tampered = text.replacen("Đỗ Văn Dũng", "Đỗ Văn Dung", 1);
    let p = fresh.dir.join("sua.kiemtra-moi");
    std::fs::write(&p, tampered).unwrap();
    let ctx = t.ctx("Mới");
    let err = fresh.store.team_join(&ctx, &p).unwrap_err();
    assert_eq!(err.code(), "invite_invalid", "{err}");
    // A member's invitation opened as a unit's, and the other way round.
    let ctx = t.ctx("Mới");
    assert_eq!(
        fresh.store.self_join(&ctx, &invite, None).unwrap_err().code(),
        "invite_invalid"
    );
    assert_eq!(dump(fresh.store.path()), before);
    // Only the lead invites.
    let ctx = t.ctx("Mới");
    fresh.store.team_join(&ctx, &invite).unwrap();
    let ctx = t.ctx("Mới");
    let err = fresh
        .store
        .team_invite(&ctx, "Ai đó", &fresh.dir.join("x.kiemtra-moi"))
        .unwrap_err();
    assert_eq!(err.code(), "team_state", "{err}");
}
