//! The store as the app uses it: creation, refusals that change nothing, the schema
//! upgrade from a database made by the first schema, atomic actions, NFC, template
//! pinning, search, backups and unit history.

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::*;
use kiemtra_core::plan::InspectionPatch;
use kiemtra_core::{Ctx, Error, Store};

use crate::support::{assert_vietnamese, dump};

fn ctx() -> Ctx {
    Ctx::new(Utc.with_ymd_and_hms(2026, 10, 13, 8, 30, 0).unwrap(), "Bế Thị Hà")
}

fn fresh(dir: &Path) -> Store {
    let (mut s, created) = Store::init(&dir.join("k.sqlite3"), &ctx()).unwrap();
    assert!(created);
    s.load_sample_plan(&ctx()).unwrap();
    s
}

fn inspection(s: &Store, name: &str) -> String {
    let u = s.resolve_unit(name).unwrap();
    s.inspection_for_unit(&u.id).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

#[test]
fn sample_plan_has_fourteen_units_on_the_right_checklists_and_loads_once() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let plan = s.current_plan().unwrap();
    let ov = s
        .plan_overview(&plan.id, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .unwrap();
    assert_eq!(ov.inspections.len(), 14);
    let so = ov.inspections.iter().filter(|i| i.unit_kind == UnitKind::So).count();
    assert_eq!(so, 4);
    assert!(ov
        .inspections
        .iter()
        .any(|i| i.unit_name == "phường Thục Phán" && i.unit_kind == UnitKind::Phuong));
    for i in &ov.inspections {
        let t = s.template(&s.inspection_template_id(&i.id).unwrap()).unwrap();
        assert_eq!(t.kind, i.unit_kind.template_kind(), "{}", i.unit_name);
        assert_eq!(i.state, InspectionState::Planned);
    }
    let team = ov.team.unwrap();
    assert_eq!(
        team.members.iter().filter(|m| m.role == MemberRole::TruongDoan).count(),
        1
    );
    let (_, again) = s.load_sample_plan(&ctx()).unwrap();
    assert!(!again);
    assert_eq!(s.units(false).unwrap().len(), 14);
}

#[test]
fn a_database_from_a_newer_app_is_refused_and_left_untouched_with_its_wal() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("k.sqlite3");
    drop(fresh(d.path()));
    // A newer app wrote to it and its changes still sit in the -wal file, as when a live
    // database is copied onto a USB stick: copy both files while the writer is open.
    let copy = d.path().join("copy.sqlite3");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        std::fs::copy(&path, &copy).unwrap();
        std::fs::copy(d.path().join("k.sqlite3-wal"), d.path().join("copy.sqlite3-wal")).unwrap();
    }
    let wal = d.path().join("copy.sqlite3-wal");
    let before = (std::fs::read(&copy).unwrap(), std::fs::read(&wal).unwrap());
    assert!(!before.1.is_empty());
    let err = Store::open(&copy).err().expect("refused");
    assert!(matches!(err, Error::DbTooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("phiên bản mới hơn"), "{err}");
    let after = (std::fs::read(&copy).unwrap(), std::fs::read(&wal).unwrap_or_default());
    assert!(after == before, "the database or its -wal file was changed");
}

#[test]
fn two_laptops_give_the_same_records_the_same_ids() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mut sa, mut sb) = (fresh(a.path()), fresh(b.path()));
    assert_ne!(sa.device_id(), sb.device_id());
    let (pa, pb) = (sa.current_plan().unwrap(), sb.current_plan().unwrap());
    assert_eq!(pa.id, pb.id);
    let ids = |s: &Store| -> Vec<String> {
        let p = s.current_plan().unwrap();
        s.plan_overview(&p.id, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
            .unwrap()
            .inspections
            .iter()
            .map(|i| format!("{}/{}", i.id, i.unit_id))
            .collect()
    };
    assert_eq!(ids(&sa), ids(&sb));
    assert_eq!(
        sa.templates().unwrap().iter().map(|t| &t.id).collect::<Vec<_>>(),
        sb.templates().unwrap().iter().map(|t| &t.id).collect::<Vec<_>>()
    );
    assert_eq!(
        sa.team(&pa.id).unwrap().unwrap().members[0].id,
        sb.team(&pb.id).unwrap().unwrap().members[0].id
    );
    // The same criterion scored on both laptops is the same response record.
    let (ia, ib) = (inspection(&sa, "ha lang"), inspection(&sb, "ha lang"));
    let p = ResponsePatch {
        self_score: Some(Some(0.5)),
        ..Default::default()
    };
    sa.set_response(&ctx(), &ia, "1.1.1", &p).unwrap();
    sb.set_response(&ctx(), &ib, "1.1.1", &p).unwrap();
    sa.set_figure(&ctx(), &ia, "ho_so_tiep_nhan", 10.0).unwrap();
    sb.set_figure(&ctx(), &ib, "ho_so_tiep_nhan", 12.0).unwrap();
    drop((sa, sb));
    let q = |dir: &Path, sql: &str| -> String {
        rusqlite::Connection::open(dir.join("k.sqlite3"))
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    for sql in [
        "SELECT id FROM response WHERE item_code = '1.1.1'",
        "SELECT id FROM figure WHERE key = 'ho_so_tiep_nhan'",
    ] {
        assert_eq!(q(a.path(), sql), q(b.path(), sql), "{sql}");
    }
    // Each changed field carries the clock of its last change, for field-by-field merging.
    let clock = q(
        a.path(),
        "SELECT hlc FROM field_clock WHERE entity = 'figure' AND field = 'value'",
    );
    assert!(
        clock.ends_with(&q(a.path(), "SELECT value FROM meta WHERE key = 'device_id'")),
        "{clock}"
    );
}

#[test]
fn the_sample_plan_is_recognised_after_it_was_edited() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let plan = s.current_plan().unwrap();
    let id = inspection(&s, "ha lang");
    s.set_figure(&ctx(), &id, "ho_so_tiep_nhan", 1081.0).unwrap();
    let patch = kiemtra_core::plan::PlanPatch {
        title: Some("Kế hoạch kiểm tra CCHC năm 2026 (sửa)".into()),
        ..Default::default()
    };
    s.update_plan(&ctx(), &plan.id, &patch).unwrap();
    let (again, loaded) = s.load_sample_plan(&ctx()).unwrap();
    assert!(!loaded);
    assert_eq!(again, plan.id);
    assert_eq!(s.plans().unwrap().len(), 1);
    assert_eq!(
        s.figure_values(&inspection(&s, "ha lang")).unwrap()["ho_so_tiep_nhan"],
        1081.0
    );
}

#[test]
fn a_refusal_midway_through_an_action_rolls_all_of_it_back() {
    let d = tempfile::tempdir().unwrap();
    let s = fresh(d.path());
    let a = s.resolve_unit("vinh quy").unwrap();
    let b = s.resolve_unit("trung khanh").unwrap();
    drop(s);
    let path = d.path().join("k.sqlite3");
    let before = dump(&path);
    let mut s = Store::open(&path).unwrap();
    // The merge first retires both units, then fails creating the new one: its name is taken.
    let e = s
        .merge_units(&ctx(), &[a.id.clone(), b.id.clone()], "xã Hạ Lang", UnitKind::Xa, None)
        .unwrap_err();
    assert!(e.to_string().contains("Đã có đơn vị «xã Hạ Lang»"), "{e}");
    assert!(s.unit(&a.id).unwrap().active && s.unit(&b.id).unwrap().active);
    let e = s
        .merge_units(&ctx(), &[a.id.clone(), a.id.clone()], "xã Mới", UnitKind::Xa, None)
        .unwrap_err();
    assert!(e.to_string().contains("kể hai lần"), "{e}");
    drop(s);
    assert_eq!(dump(&path), before);
}

#[test]
fn damaged_foreign_and_empty_files_are_refused_and_left_untouched() {
    let d = tempfile::tempdir().unwrap();
    let garbage = d.path().join("garbage.sqlite3");
    std::fs::write(
        &garbage,
        b"this is not a database at all, just some words in a file........",
    )
    .unwrap();
    let e = Store::open(&garbage).err().unwrap();
    assert_eq!(e.code(), "db_damaged");
    assert!(e.to_string().contains("bị hỏng"), "{e}");
    assert_eq!(
        std::fs::read(&garbage).unwrap(),
        b"this is not a database at all, just some words in a file........"
    );

    let empty = d.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(Store::open(&empty).err().unwrap().code(), "db_damaged");

    let foreign = d.path().join("foreign.sqlite3");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();
    let e = Store::open(&foreign).err().unwrap();
    assert!(e.to_string().contains("chương trình khác"), "{e}");
    assert_eq!(std::fs::read(&foreign).unwrap(), before);

    // A real database with its middle overwritten: refused on open or by the integrity check.
    let path = d.path().join("k.sqlite3");
    drop(fresh(d.path()));
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 8192] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let refused = match Store::open(&path) {
        Err(e) => e.code() == "db_damaged",
        Ok(s) => !s
            .integrity_problems()
            .unwrap_or_else(|_| vec!["unreadable".into()])
            .is_empty(),
    };
    assert!(refused, "a damaged database went unnoticed");
}

#[test]
fn missing_database_and_unwritable_folder_get_clear_messages() {
    let d = tempfile::tempdir().unwrap();
    let e = Store::open(&d.path().join("nothing.sqlite3")).err().unwrap();
    assert_eq!(e.code(), "db_missing");
    assert!(e.to_string().contains("kiemtra init"), "{e}");
    // A folder that cannot be created: its parent is a file.
    let file = d.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let e = Store::init(&file.join("sub").join("k.sqlite3"), &ctx()).err().unwrap();
    assert!(e.to_string().contains("Không tạo được thư mục"), "{e}");
    // /proc refuses new files even to root.
    let e = Store::init(Path::new("/proc/kiemtra-test/k.sqlite3"), &ctx())
        .err()
        .unwrap();
    assert!(matches!(e.code(), "read_only" | "io"), "{e}");
}

#[test]
fn a_schema_1_database_is_upgraded_with_a_backup_and_nothing_lost() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("old.sqlite3");
    std::fs::copy(fixture("schema-1.sqlite3"), &path).unwrap();
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), kiemtra_core::store::latest_schema());
    // The file as it was is kept beside it.
    let backup = d.path().join("old.sqlite3.schema1.bak");
    assert!(backup.exists());
    let kept: i64 = rusqlite::Connection::open(&backup)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 1, "the backup is the database as it was");
    // Data survived: the response, the figure, the finding, and they are now searchable.
    let id = inspection(&s, "doai duong");
    let r = s.responses(&id).unwrap();
    assert_eq!(r["1.1.1"].self_score, Some(0.75));
    assert_eq!(r["1.1.1"].status.as_deref(), Some("cham"));
    assert_eq!(s.figure_values(&id).unwrap()["ho_so_tiep_nhan"], 512.0);
    let hits = s.search("duong day nong", 10).unwrap();
    assert!(
        hits.iter()
            .any(|h| h.entity == "finding" && h.unit_name.as_deref() == Some("xã Đoài Dương")),
        "{hits:?}"
    );
    let hits = s.search("ban hanh muon", 10).unwrap();
    assert!(hits.iter().any(|h| h.entity == "note"), "{hits:?}");
    // And the upgraded database takes new work, with the clock moving on from the old one.
    s.set_figure(&ctx(), &id, "ho_so_truc_tuyen", 200.0).unwrap();
    let (_, card) = s.score_card(&id).unwrap();
    assert_eq!(card.item("1.1.1").unwrap().score, Some(0.375));
}

#[test]
fn the_2026_holidays_are_corrected_on_installed_laptops_and_the_users_own_days_kept() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("k.sqlite3");
    drop(Store::init(&path, &ctx()).unwrap());
    // The list as schema 7 shipped it, with a day the user entered himself on 31/8 and a
    // shipped day he renamed.
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "DELETE FROM holiday WHERE date IN ('2026-08-22', '2026-08-31', '2026-11-24', '2027-11-24');
             UPDATE holiday SET name = 'Tết Nguyên đán (28 tháng Chạp)' WHERE date = '2026-02-16';
             INSERT INTO holiday(date, kind, name, source) VALUES ('2026-08-31', 'nghi', 'Nghỉ theo quyết định của tỉnh', 'nguoi_dung');
             UPDATE holiday SET name = 'Giỗ Tổ (tên do người dùng sửa)', source = 'nguoi_dung' WHERE date = '2026-04-27';
             DROP TABLE thumbnail;
             DROP TABLE report;
             ALTER TABLE team DROP COLUMN sign_authority;
             ALTER TABLE team DROP COLUMN sign_on_behalf;
             ALTER TABLE team DROP COLUMN sign_title;
             PRAGMA user_version = 7;",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), kiemtra_core::store::latest_schema());
    let days = s.holidays(Some(2026)).unwrap();
    let day = |date: &str| days.iter().find(|h| h.date == date).cloned();
    assert_eq!(
        day("2026-02-16").unwrap().name,
        "Tết Nguyên đán (29 tháng Chạp, ngày cuối năm Ất Tỵ)"
    );
    let worked = day("2026-08-22").expect("the make-up Saturday");
    assert_eq!(worked.kind, kiemtra_core::calendar::HolidayKind::LamBu);
    assert!(worked.shipped);
    assert_eq!(
        day("2026-11-24").unwrap().kind,
        kiemtra_core::calendar::HolidayKind::Nghi
    );
    // The user's own entries are his.
    let own = day("2026-08-31").unwrap();
    assert_eq!(own.name, "Nghỉ theo quyết định của tỉnh");
    assert!(!own.shipped);
    assert_eq!(day("2026-04-27").unwrap().name, "Giỗ Tổ (tên do người dùng sửa)");
    // The deadlines' calendar counts them: Saturday 22/8 is worked, 31/8 and 24/11 are not.
    let cal = s.calendar().unwrap();
    let sat = chrono::NaiveDate::from_ymd_opt(2026, 8, 22).unwrap();
    let mon = chrono::NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
    let culture = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    assert!(cal.is_working_day(sat));
    assert!(!cal.is_working_day(mon));
    assert!(!cal.is_working_day(culture));
}

#[test]
fn a_photo_reaches_the_window_as_a_small_thumbnail_made_once() {
    use sha2::Digest;
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let id = inspection(&s, "ha lang");
    // A 3000 × 2000 photo (a few MB as a PNG).
    let photo = d.path().join("mot-cua.png");
    image::RgbImage::from_fn(3000, 2000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x ^ y) % 256) as u8])
    })
    .save(&photo)
    .unwrap();
    let bytes = std::fs::read(&photo).unwrap();
    let sha = format!("{:x}", sha2::Sha256::digest(&bytes));
    s.add_evidence(&ctx(), &id, "1.1.1", "", None, "Ảnh bộ phận một cửa", Some(&photo))
        .unwrap();
    let t = s.attachment_thumbnail(&sha).unwrap().expect("a thumbnail");
    assert!(
        t.len() < 40_000 && t.len() * 50 < bytes.len(),
        "{} of {}",
        t.len(),
        bytes.len()
    );
    let img = image::load_from_memory(&t).unwrap();
    assert_eq!((img.width(), img.height()), (160, 107));
    // Made once, then read back as kept.
    let kept: i64 = rusqlite::Connection::open(s.path())
        .unwrap()
        .query_row("SELECT count(*) FROM thumbnail WHERE sha256 = ?1", [&sha], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 1);
    assert_eq!(s.attachment_thumbnail(&sha).unwrap().unwrap(), t);
    // A PDF has none; an unknown attachment is not found.
    let pdf = d.path().join("bao-cao.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <<>> endobj\n").unwrap();
    let pdf_sha = format!("{:x}", sha2::Sha256::digest(std::fs::read(&pdf).unwrap()));
    s.add_evidence(&ctx(), &id, "1.1.1", "", None, "Báo cáo", Some(&pdf))
        .unwrap();
    assert_eq!(s.attachment_thumbnail(&pdf_sha).unwrap(), None);
    assert_eq!(s.attachment_thumbnail(&"0".repeat(64)).unwrap_err().code(), "not_found");
}

#[test]
fn a_refused_action_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let id = inspection(&s, "ha lang");
    s.set_figure(&ctx(), &id, "ho_so_da_giai_quyet", 1068.0).unwrap();
    drop(s);
    let path = d.path().join("k.sqlite3");
    let before = dump(&path);
    let mut s = Store::open(&path).unwrap();
    let refusals: Vec<Error> = vec![
        s.set_figure(&ctx(), &id, "ho_so_dung_han", 1069.0).unwrap_err(),
        s.set_figure(&ctx(), &id, "ho_so_tiep_nhan", -1.0).unwrap_err(),
        s.set_figure(&ctx(), &id, "ho_so_tiep_nhan", 10.5).unwrap_err(),
        s.set_figure(&ctx(), &id, "ty_le_dvsn_tu_chu", 120.0).unwrap_err(),
        s.set_figure_text(&ctx(), &id, "ho_so_tiep_nhan", "một nghìn")
            .unwrap_err(),
        s.set_figure_text(&ctx(), &id, "so_ho_so_ma", "1").unwrap_err(),
        s.set_response(
            &ctx(),
            &id,
            "3.3.1",
            &ResponsePatch {
                team_score: Some(Some(5.5)),
                ..Default::default()
            },
        )
        .unwrap_err(),
        s.set_response(
            &ctx(),
            &id,
            "3.3.1",
            &ResponsePatch {
                self_score: Some(Some(-1.0)),
                ..Default::default()
            },
        )
        .unwrap_err(),
        s.set_response(
            &ctx(),
            &id,
            "1.1.1",
            &ResponsePatch {
                status: Some(Some("tuyet".into())),
                ..Default::default()
            },
        )
        .unwrap_err(),
        s.set_response(
            &ctx(),
            &id,
            "9.9",
            &ResponsePatch {
                team_score: Some(Some(1.0)),
                ..Default::default()
            },
        )
        .unwrap_err(),
        s.add_finding(&ctx(), &id, "12", FindingKind::Shortcoming, "x")
            .unwrap_err(),
        s.add_finding(&ctx(), &id, "3", FindingKind::Shortcoming, "   ")
            .unwrap_err(),
        s.add_recommendation(&ctx(), &id, None, "Khắc phục", "UBND xã", Some("31/02/2026"))
            .unwrap_err(),
    ];
    for e in &refusals {
        assert_vietnamese(&e.to_string());
    }
    // Each refusal says what kind it is, for a window or a script to act on.
    let codes: Vec<&str> = refusals.iter().map(Error::code).collect();
    assert_eq!(
        codes,
        [
            "figure_inconsistent",
            "figure_inconsistent",
            "bad_number",
            "figure_inconsistent",
            "bad_number",
            "bad_choice",
            "score_out_of_range",
            "score_out_of_range",
            "bad_choice",
            "not_found",
            "bad_choice",
            "required",
            "bad_date",
        ]
    );
    assert!(refusals[0].to_string().contains("1.069") && refusals[0].to_string().contains("1.068"));
    assert!(refusals[6].to_string().contains("vượt điểm tối đa"));
    drop(s);
    assert_eq!(dump(&path), before, "a refused action changed the database");
}

#[test]
fn text_is_stored_in_nfc_and_every_change_is_audited() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let id = inspection(&s, "ha lang");
    let nfd = "Cha\u{0302}\u{0301}p ha\u{0300}nh ky\u{0309} lua\u{0302}\u{0323}t"; // "Chấp hành kỷ luật", decomposed
    let fid = s.add_finding(&ctx(), &id, "5", FindingKind::Achieved, nfd).unwrap();
    let f = s.findings(&id).unwrap().into_iter().find(|f| f.id == fid).unwrap();
    assert_eq!(f.text, "Chấp hành kỷ luật");
    assert!(s
        .search("chap hanh ky luat", 5)
        .unwrap()
        .iter()
        .any(|h| h.entity_id == fid));
    let audit = s.audit(5).unwrap();
    let entry = audit
        .iter()
        .find(|a| a.entity == "finding" && a.field == "text")
        .unwrap();
    assert_eq!(entry.inspector, "Bế Thị Hà");
    assert_eq!(entry.new_value.as_deref(), Some("Chấp hành kỷ luật"));
    assert_eq!(entry.device_id, s.device_id());
    // Saving the same value again changes nothing and logs nothing.
    let n = s.set_response(
        &ctx(),
        &id,
        "3.3.1",
        &ResponsePatch {
            self_score: Some(Some(2.5)),
            ..Default::default()
        },
    );
    assert_eq!(n.unwrap(), 1);
    drop(s);
    let path = d.path().join("k.sqlite3");
    let before = dump(&path);
    let mut s = Store::open(&path).unwrap();
    let patch = ResponsePatch {
        self_score: Some(Some(2.5)),
        ..Default::default()
    };
    assert_eq!(s.set_response(&ctx(), &id, "3.3.1", &patch).unwrap(), 0);
    drop(s);
    assert_eq!(dump(&path), before, "an unchanged save wrote something");
}

#[test]
fn an_inspection_stays_on_its_template_version() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let ha_lang = inspection(&s, "ha lang");
    let before = s.inspection_template_id(&ha_lang).unwrap();
    let src = s.export_template(TemplateKind::Xa, None).unwrap();
    // A province edits the checklist: new version, an item's text changed.
    let edited = src
        .replacen("version = \"2026.1\"", "version = \"2026.2\"", 1)
        .replacen(
            "Ban hành kế hoạch CCHC năm của UBND xã",
            "Ban hành kế hoạch CCHC năm (sửa đổi)",
            1,
        );
    let (info, created) = s.import_template(&ctx(), &edited).unwrap();
    assert!(created);
    assert_eq!(info.version, "2026.2");
    // Same file again: nothing new.
    assert!(!s.import_template(&ctx(), &edited).unwrap().1);
    // Same version, other content: refused.
    let clash = edited.replacen("(sửa đổi)", "(sửa lần hai)", 1);
    assert!(s
        .import_template(&ctx(), &clash)
        .unwrap_err()
        .to_string()
        .contains("đã có với nội dung khác"));
    assert_eq!(s.inspection_template_id(&ha_lang).unwrap(), before);
    let cl = s.checklist(&ha_lang).unwrap();
    assert_eq!(cl.template_version, "2026.1");
    // A unit added now (kiểm tra đột xuất) starts on the new version.
    let plan = s.current_plan().unwrap();
    let (_, insp) = s
        .add_unit_to_plan(
            &ctx(),
            &plan.id,
            UnitKind::Xa,
            "xã Đông Khê",
            true,
            Some("2026-11-10"),
            None,
        )
        .unwrap();
    let cl = s.checklist(&insp).unwrap();
    assert_eq!(cl.template_version, "2026.2");
    assert!(cl.inspection.unannounced);
    assert!(cl
        .items
        .iter()
        .any(|i| i.criterion.text == "Ban hành kế hoạch CCHC năm (sửa đổi)"));
    // "dong khe" finds Đông Khê (đ folded to d).
    let hits = s.search("dong khe", 5).unwrap();
    assert_eq!(hits.first().map(|h| h.text.as_str()), Some("xã Đông Khê"));
    assert_eq!(s.resolve_unit("dong khe").unwrap().name, "xã Đông Khê");
}

#[test]
fn backup_is_a_consistent_copy_and_never_overwrites() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let id = inspection(&s, "ha lang");
    s.set_figure(&ctx(), &id, "ho_so_tiep_nhan", 1081.0).unwrap();
    let dest = d.path().join("sao-luu.sqlite3");
    let size = s.backup(&dest).unwrap();
    assert!(size > 0);
    let e = s.backup(&dest).unwrap_err();
    assert!(e.to_string().contains("Đã có tệp"), "{e}");
    let e = s.backup(&d.path().join("no-such-dir").join("x.sqlite3")).unwrap_err();
    assert!(e.to_string().contains("không tồn tại"), "{e}");
    let copy = Store::open(&dest).unwrap();
    let cid = inspection(&copy, "ha lang");
    assert_eq!(copy.figure_values(&cid).unwrap()["ho_so_tiep_nhan"], 1081.0);
    assert!(copy.integrity_problems().unwrap().is_empty());
}

#[test]
fn renames_and_merges_keep_history() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let u = s.resolve_unit("thuc phan").unwrap();
    s.rename_unit(
        &ctx(),
        &u.id,
        "phường Thục Phán mới",
        Some("2026-12-01"),
        "Nghị quyết của UBTVQH",
    )
    .unwrap();
    let h = s.unit_history(&u.id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].old_name, "phường Thục Phán");
    assert_eq!(h[0].new_name, "phường Thục Phán mới");
    // The inspection follows the unit under its new name.
    let plan = s.current_plan().unwrap();
    let ov = s
        .plan_overview(&plan.id, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .unwrap();
    assert!(ov.inspections.iter().any(|i| i.unit_name == "phường Thục Phán mới"));

    let a = s.resolve_unit("vinh quy").unwrap();
    let b = s.resolve_unit("trung khanh").unwrap();
    let new_id = s.merge_units(
        &ctx(),
        &[a.id.clone(), b.id.clone()],
        "xã Trùng Khánh",
        UnitKind::Xa,
        Some("2026-12-15"),
    );
    let new_id = new_id.unwrap();
    let old = s.unit(&a.id).unwrap();
    assert!(!old.active);
    assert_eq!(old.successor_id.as_deref(), Some(new_id.as_str()));
    assert_eq!(s.unit_history(&new_id).unwrap().len(), 2);
    // The active unit wins when a name is typed.
    assert_eq!(s.resolve_unit("trung khanh").unwrap().id, new_id);
    // The old unit's inspection and data are still there.
    assert!(s.inspection_for_unit(&a.id).is_ok());
}

#[test]
fn ambiguous_and_unknown_unit_names() {
    let d = tempfile::tempdir().unwrap();
    let s = fresh(d.path());
    let e = s.resolve_unit("ha").unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("xã Hạ Lang") && m.contains("xã Hà Quảng") && m.contains("xã Trường Hà"),
        "{m}"
    );
    assert_eq!(s.resolve_unit("HẠ LANG").unwrap().name, "xã Hạ Lang");
    assert_eq!(s.resolve_unit("so cong thuong").unwrap().name, "Sở Công Thương");
    assert_eq!(s.resolve_unit("nowhere").unwrap_err().code(), "not_found");
    // Typed words start words of the name: "ang" is inside "Lang", not at its start.
    assert_eq!(s.resolve_unit("ang").unwrap_err().code(), "not_found");
    assert_eq!(s.resolve_unit("lang h").unwrap().name, "xã Hạ Lang");
}

#[test]
fn the_fields_of_a_document_show_the_text_it_prints() {
    use kiemtra_core::document::{DocEdits, DocPatch};
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let id = inspection(&s, "ha lang");
    let now = ctx().now;
    for kind in [DocumentKind::BienBan, DocumentKind::ThongBao] {
        let t = s.document_model(&id, kind, now).unwrap().editable_texts();
        assert!(t.opening.starts_with("Thực hiện "), "{kind:?}: {}", t.opening);
        assert!(t.closing.ends_with("./."), "{kind:?}: {}", t.closing);
        assert!(!t.issuing_body.is_empty());
        let patch = DocPatch {
            edits: Some(DocEdits {
                opening: Some("Mở đầu đã sửa.".into()),
                closing: Some("Kết thúc đã sửa./.".into()),
                issuing_body: Some("Đoàn kiểm tra số 2".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        s.edit_document(&ctx(), &id, kind, &patch).unwrap();
        let t = s.document_model(&id, kind, now).unwrap().editable_texts();
        assert_eq!(
            (t.opening.as_str(), t.closing.as_str(), t.issuing_body.as_str()),
            ("Mở đầu đã sửa.", "Kết thúc đã sửa./.", "Đoàn kiểm tra số 2"),
            "{kind:?}"
        );
    }
}

#[test]
fn an_issued_document_cannot_be_changed_or_deleted() {
    let d = tempfile::tempdir().unwrap();
    let s = fresh(d.path());
    let id = inspection(&s, "ha lang");
    drop(s);
    let c = rusqlite::Connection::open(d.path().join("k.sqlite3")).unwrap();
    let common = "'2026-10-14T08:00:00.000Z', 'dev', '1790000000000-00000-dev'";
    c.execute(
        "INSERT INTO attachment VALUES ('abc', 3, 'application/pdf', 'tb.pdf', x'255044', '2026-10-14T08:00:00.000Z')",
        [],
    )
    .unwrap();
    // Issuing needs the bytes, a number and a date.
    let no_number = c.execute(
        &format!("INSERT INTO document(id, inspection_id, kind, status, snapshot_sha256, date, updated_at, device_id, hlc) VALUES ('d0', ?1, 'thong_bao', 'issued', 'abc', '2026-10-14', {common})"),
        [&id],
    );
    assert!(no_number.is_err());
    c.execute(
        &format!("INSERT INTO document(id, inspection_id, kind, status, snapshot_sha256, number, date, updated_at, device_id, hlc) VALUES ('d1', ?1, 'thong_bao', 'issued', 'abc', '05', '2026-10-14', {common})"),
        [&id],
    )
    .unwrap();
    for sql in [
        "UPDATE document SET content = '{\"x\":1}' WHERE id = 'd1'",
        "UPDATE document SET number = '06' WHERE id = 'd1'",
        "UPDATE document SET status = 'draft' WHERE id = 'd1'",
        "UPDATE document SET deleted = 1 WHERE id = 'd1'",
        "DELETE FROM document WHERE id = 'd1'",
    ] {
        let e = c.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("Văn bản đã ban hành không được"), "{sql}: {e}");
    }
    let number: String = c
        .query_row("SELECT number FROM document WHERE id = 'd1'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(number, "05");
}

#[test]
fn undo_steps_back_one_action_at_a_time_and_never_past_the_setup() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let i = inspection(&s, "ha lang");
    assert!(
        s.last_undoable().unwrap().is_none(),
        "loading the sample plan is not undoable"
    );
    let team = |x: f64| ResponsePatch {
        team_score: Some(Some(x)),
        ..Default::default()
    };
    s.set_response(&ctx(), &i, "1.1.1", &team(0.5)).unwrap();
    s.set_response(&ctx(), &i, "1.1.1", &team(0.25)).unwrap();
    s.set_figure(&ctx(), &i, "ho_so_tiep_nhan", 120.0).unwrap();
    let f = s
        .add_finding(
            &ctx(),
            &i,
            "1",
            FindingKind::Shortcoming,
            "Chưa ban hành kế hoạch kiểm tra",
        )
        .unwrap();
    let score = |s: &Store| s.checklist(&i).unwrap().card.item("1.1.1").unwrap().score;
    let figure = |s: &Store| s.figure_values(&i).unwrap().get("ho_so_tiep_nhan").copied();

    assert_eq!(s.last_undoable().unwrap().unwrap().action, "thêm nhận xét");
    let u = s.undo_last(&ctx()).unwrap();
    assert_eq!(u.action, "thêm nhận xét");
    assert!(s.findings(&i).unwrap().iter().all(|x| x.id != f));
    assert!(s
        .search("ke hoach kiem tra", 10)
        .unwrap()
        .iter()
        .all(|h| h.entity_id != f));

    s.undo_last(&ctx()).unwrap();
    assert_eq!(figure(&s), None);
    s.undo_last(&ctx()).unwrap();
    assert_eq!(score(&s), Some(0.5));
    s.undo_last(&ctx()).unwrap();
    assert_eq!(score(&s), None);
    assert_eq!(s.inspection_row(&i).unwrap().state, InspectionState::Planned);
    let e = s.undo_last(&ctx()).unwrap_err();
    assert_vietnamese(&e.to_string());

    // What was withdrawn by an undo can be entered again.
    s.set_response(&ctx(), &i, "1.1.1", &team(0.5)).unwrap();
    assert_eq!(score(&s), Some(0.5));
    s.set_figure(&ctx(), &i, "ho_so_tiep_nhan", 120.0).unwrap();
    assert_eq!(figure(&s), Some(120.0));
}

/// A clock or version vector in the database that does not read is an error naming the
/// record, never a silent empty one (which would let a change pass for unseen, or lose it).
#[test]
fn a_damaged_clock_in_the_database_is_an_error_naming_the_record() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let i = inspection(&s, "ha lang");
    let f = s.add_finding(&ctx(), &i, "1", FindingKind::Shortcoming, "Gốc").unwrap();
    let c = rusqlite::Connection::open(d.path().join("k.sqlite3")).unwrap();
    let good: String = c
        .query_row(
            "SELECT vv FROM field_clock WHERE entity = 'finding' AND entity_id = ?1 AND field = 'text'",
            [&f],
            |r| r.get(0),
        )
        .unwrap();
    c.execute(
        "UPDATE field_clock SET vv = '{\"x\":\"hỏng\"}' WHERE entity = 'finding' AND entity_id = ?1 AND field = 'text'",
        [&f],
    )
    .unwrap();
    let before = dump(&d.path().join("k.sqlite3"));
    let e = s.update_finding(&ctx(), &f, "Sửa").unwrap_err();
    assert_eq!(e.code(), "db_corrupt", "{e}");
    let m = e.to_string();
    assert!(m.contains("finding.text") && m.contains(&f), "{m}");
    assert!(m.contains("kiemtra check"), "{m}");
    assert_vietnamese(&m);
    let plan = s.current_plan().unwrap();
    let e = s
        .export_exchange(&ctx(), &plan.id, &[], &d.path().join("x.kiemtra"))
        .unwrap_err();
    assert_eq!(e.code(), "db_corrupt", "{e}");
    assert_eq!(dump(&d.path().join("k.sqlite3")), before, "nothing written");
    // «kiemtra check» finds it.
    let problems = s.integrity_problems().unwrap();
    assert!(
        problems.len() == 1 && problems[0].contains("finding.text"),
        "{problems:?}"
    );
    // The laptop's own last clock, damaged: an error, not a clock started again from zero.
    c.execute(
        "UPDATE field_clock SET vv = ?2 WHERE entity = 'finding' AND entity_id = ?1 AND field = 'text'",
        [&f, &good],
    )
    .unwrap();
    c.execute("UPDATE meta SET value = 'hỏng' WHERE key = 'hlc'", [])
        .unwrap();
    let e = s.update_finding(&ctx(), &f, "Sửa").unwrap_err();
    assert_eq!(e.code(), "db_corrupt", "{e}");
    assert!(e.to_string().contains("hlc"), "{e}");
    assert_eq!(s.integrity_problems().unwrap().len(), 1);
    c.execute("UPDATE meta SET value = '1790000000000-100000' WHERE key = 'hlc'", [])
        .unwrap();
    s.update_finding(&ctx(), &f, "Sửa").unwrap();
    assert!(s.integrity_problems().unwrap().is_empty());
}

#[test]
fn refusals_carry_a_code_a_window_can_act_on() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(d.path());
    let id = inspection(&s, "ha lang");
    let code = |r: Result<usize, Error>| {
        let e = r.unwrap_err();
        assert_vietnamese(&e.to_string());
        e.code()
    };
    let dates = |start: &str, end: &str| InspectionPatch {
        scheduled_start: Some(start.into()),
        scheduled_end: Some(end.into()),
        ..Default::default()
    };
    let e = s
        .update_inspection(&ctx(), &id, &dates("31/11/2026", "02/12/2026"))
        .unwrap_err();
    assert_eq!(e.code(), "bad_date");
    // A day the calendar lacks is called that, not a wrong way of writing a date.
    assert!(
        e.to_string()
            .contains("«31/11/2026» không có trong lịch: tháng 11 năm 2026 chỉ có 30 ngày"),
        "{e}"
    );
    assert_eq!(
        code(s.update_inspection(&ctx(), &id, &dates("05/11/2026", "02/11/2026"))),
        "bad_range"
    );
    let e = s.add_unit(&ctx(), UnitKind::Xa, "xã Hạ Lang").unwrap_err();
    assert_eq!(
        (e.code(), e.to_string()),
        ("duplicate", "Đã có đơn vị «xã Hạ Lang».".to_string())
    );
    assert_eq!(s.undo_last(&ctx()).unwrap_err().code(), "nothing_to_undo");
    let other = d.path().join("k.sqlite3");
    assert_eq!(s.backup(&other).unwrap_err().code(), "file_exists");
    let e = s.resolve_unit("xa").unwrap_err();
    assert_eq!(
        (e.code(), e.refusal()),
        ("ambiguous", Some(kiemtra_core::Refusal::Ambiguous))
    );

    // On a unit's own laptop the team's work is refused as unit mode.
    let unit = s.resolve_unit("ha lang").unwrap();
    s.set_self_assessment_unit(Some(&unit.id)).unwrap();
    let e = s
        .set_response(
            &ctx(),
            &id,
            "1.1.1",
            &ResponsePatch {
                team_score: Some(Some(0.5)),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "unit_mode");
    // Serialised for the window and the CLI's --json: {code, message}.
    let j = serde_json::to_value(&e).unwrap();
    assert_eq!(j["code"], "unit_mode");
    assert_eq!(j["message"], e.to_string());
}

#[test]
fn a_stored_value_that_does_not_parse_is_an_error_naming_the_record_never_a_default() {
    let d = tempfile::tempdir().unwrap();
    let s = fresh(d.path());
    let unit = s.resolve_unit("ha lang").unwrap();
    let plan = s.current_plan().unwrap();
    let id = inspection(&s, "ha lang");
    drop(s);
    let path = d.path().join("k.sqlite3");
    let corrupt = |sql: &str, arg: &str| {
        let c = rusqlite::Connection::open(&path).unwrap();
        // As a file edited by another tool could hold: the schema's checks let nothing bad in.
        c.pragma_update(None, "ignore_check_constraints", true).unwrap();
        assert_eq!(c.execute(sql, [arg]).unwrap(), 1, "{sql}");
    };
    let check = |e: Error, at: &str, value: &str| {
        let m = e.to_string();
        assert_eq!(e.code(), "db_corrupt", "{m}");
        assert!(
            m.starts_with(&format!("Dữ liệu hỏng ở {at} («{value}» không phải ")),
            "{m}"
        );
        assert!(
            m.ends_with("hãy chạy «kiemtra check» và khôi phục từ bản sao lưu."),
            "{m}"
        );
        assert_vietnamese(&m);
    };

    // A unit's kind (it read back as «xã» before).
    corrupt("UPDATE unit SET kind = 'huyen' WHERE id = ?1", &unit.id);
    let before = dump(&path);
    let s = Store::open(&path).unwrap();
    let at = format!("bảng unit, bản ghi «{}», cột kind", unit.id);
    check(s.unit(&unit.id).unwrap_err(), &at, "huyen");
    check(s.units(false).unwrap_err(), &at, "huyen");
    check(s.inspection_row(&id).unwrap_err(), &at, "huyen");
    drop(s);
    assert_eq!(dump(&path), before, "reading corrupt data changed the database");
    corrupt("UPDATE unit SET kind = 'xa' WHERE id = ?1", &unit.id);

    // An inspection's state (it read back as «kế hoạch»), a date that does not exist (it
    // printed as a blank), a list that is not JSON (it read back empty).
    corrupt("UPDATE inspection SET state = 'xong' WHERE id = ?1", &id);
    let s = Store::open(&path).unwrap();
    check(
        s.inspection_row(&id).unwrap_err(),
        &format!("bảng inspection, bản ghi «{id}», cột state"),
        "xong",
    );
    drop(s);
    corrupt("UPDATE inspection SET state = 'planned' WHERE id = ?1", &id);
    corrupt("UPDATE plan SET date = '2026-02-30' WHERE id = ?1", &plan.id);
    let s = Store::open(&path).unwrap();
    check(
        s.current_plan().unwrap_err(),
        &format!("bảng plan, bản ghi «{}», cột date", plan.id),
        "2026-02-30",
    );
    drop(s);
    corrupt(
        "UPDATE plan SET date = NULL, legal_bases = 'Luật' WHERE id = ?1",
        &plan.id,
    );
    let s = Store::open(&path).unwrap();
    check(
        s.plan(&plan.id).unwrap_err(),
        &format!("bảng plan, bản ghi «{}», cột legal_bases", plan.id),
        "Luật",
    );
}
