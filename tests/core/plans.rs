//! Plans as the core makes them (issue 16): an old database takes the new unit kinds after
//! its upgrade, a plan is created with typed refusals, and a unit leaves a plan or stays.

use std::path::Path;

use chrono::{TimeZone, Utc};
use kiemtra_core::model::*;
use kiemtra_core::plan::NewPlan;
use kiemtra_core::{Ctx, Store};

use crate::support::dump;

fn ctx() -> Ctx {
    Ctx::new(Utc.with_ymd_and_hms(2020, 10, 5, 2, 0, 0).unwrap(), "Bế Thị Hà")
}

fn thanh_tra() -> NewPlan {
    NewPlan {
        title: "Kế hoạch kiểm tra công tác cải cách hành chính năm 2020".into(),
        year: 2020,
        issuing_body: "Thanh tra tỉnh Cao Bằng".into(),
        parent_body: "UBND tỉnh Cao Bằng".into(),
        number: "22/KH-TTr".into(),
        date: "09/3/2020".into(),
        team_kind: Some(TeamKind::To),
        decision_number: "114/QĐ-TTr".into(),
        decision_date: "24/9/2020".into(),
        ..Default::default()
    }
}

#[test]
fn a_schema_1_database_takes_a_plan_of_phong_after_its_upgrade() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("old.sqlite3");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/schema-1.sqlite3"),
        &path,
    )
    .unwrap();
    let mut s = Store::open(&path).unwrap();
    let old_plans = s.plans().unwrap().len();
    let made = s.create_plan(&ctx(), &thanh_tra()).unwrap();
    assert_eq!(made.units, 0);
    s.choose_plan("2020").unwrap();
    let (_, insp) = s
        .add_unit_to_plan(
            &ctx(),
            &made.plan_id,
            UnitKind::Phong,
            "Văn phòng Thanh tra tỉnh",
            false,
            None,
            None,
        )
        .unwrap();
    let (tpl, card) = s.score_card(&insp).unwrap();
    assert_eq!(tpl.kind, TemplateKind::CoQuan);
    assert!(card.applicable_max > 90.0, "{}", card.applicable_max);
    assert_eq!(s.plans().unwrap().len(), old_plans + 1);
    let team = s.team(&made.plan_id).unwrap().unwrap();
    assert_eq!(team.kind, TeamKind::To);
    assert_eq!(team.issuing_body, "Thanh tra tỉnh Cao Bằng");
    assert_eq!(team.parent_body, "UBND tỉnh Cao Bằng");
    assert_eq!(team.symbol, "TKT");
    let c = rusqlite::Connection::open(&path).unwrap();
    let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    // The widened CHECKs still refuse a kind nobody knows.
    let e = c
        .execute(
            "UPDATE unit SET kind = 'huyen' WHERE name = 'Văn phòng Thanh tra tỉnh'",
            [],
        )
        .unwrap_err();
    assert!(e.to_string().contains("CHECK"), "{e}");
}

#[test]
fn a_plan_number_is_given_once_per_body_and_year_and_refusals_change_nothing() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("k.sqlite3");
    let (mut s, _) = Store::init(&path, &ctx()).unwrap();
    s.create_plan(&ctx(), &thanh_tra()).unwrap();
    let before = dump(&path);
    let e = s.create_plan(&ctx(), &thanh_tra()).unwrap_err();
    assert_eq!(e.code(), "duplicate");
    // Another year, or another body, may use the number.
    let e = s
        .create_plan(
            &ctx(),
            &NewPlan {
                year: 2000 - 1,
                ..thanh_tra()
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "bad_number");
    assert_eq!(dump(&path), before);
    s.create_plan(
        &ctx(),
        &NewPlan {
            year: 2021,
            ..thanh_tra()
        },
    )
    .unwrap();
    s.create_plan(
        &ctx(),
        &NewPlan {
            issuing_body: "Sở Nội vụ tỉnh Cao Bằng".into(),
            ..thanh_tra()
        },
    )
    .unwrap();
    assert_eq!(s.plans().unwrap().len(), 3);
    let e = s.resolve_plan("2020").unwrap_err();
    assert_eq!(e.code(), "ambiguous");
    assert_eq!(s.resolve_plan("2021").unwrap().year, 2021);
}

#[test]
fn the_sample_is_untouched_until_a_plan_is_chosen_or_anything_changes() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("k.sqlite3");
    let (mut s, _) = Store::init(&path, &ctx()).unwrap();
    assert!(!s.sample_untouched().unwrap(), "no plan at all");
    let (sample, _) = s.load_sample_plan(&ctx()).unwrap();
    assert!(s.sample_untouched().unwrap());
    // A change to it: no longer untouched.
    s.update_plan(
        &ctx(),
        &sample,
        &kiemtra_core::plan::PlanPatch {
            number: Some("125/KH-UBND".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!s.sample_untouched().unwrap());
    s.undo_last(&ctx()).unwrap();
    assert!(s.sample_untouched().unwrap(), "the change was undone");

    let d2 = tempfile::tempdir().unwrap();
    let (mut s, _) = Store::init(&d2.path().join("k.sqlite3"), &ctx()).unwrap();
    let (sample, _) = s.load_sample_plan(&ctx()).unwrap();
    // Chosen: the user has decided to work on it.
    s.use_plan(&sample).unwrap();
    assert!(!s.sample_untouched().unwrap());

    let d3 = tempfile::tempdir().unwrap();
    let (mut s, _) = Store::init(&d3.path().join("k.sqlite3"), &ctx()).unwrap();
    s.load_sample_plan(&ctx()).unwrap();
    // Another plan beside it.
    s.create_plan(&ctx(), &thanh_tra()).unwrap();
    assert!(!s.sample_untouched().unwrap());
}

#[test]
fn a_team_carries_the_seal_the_form_names_else_its_kind_decides() {
    let d = tempfile::tempdir().unwrap();
    let (mut s, _) = Store::init(&d.path().join("k.sqlite3"), &ctx()).unwrap();
    let to = s.create_plan(&ctx(), &thanh_tra()).unwrap();
    let team = s.team(&to.plan_id).unwrap().unwrap();
    assert_eq!(team.issuing_body, "Thanh tra tỉnh Cao Bằng");
    // Named after the plan when the form leaves the name empty, "kiểm tra" said once.
    assert_eq!(team.name, "Tổ kiểm tra công tác cải cách hành chính năm 2020");
    let doan = s
        .create_plan(
            &ctx(),
            &NewPlan {
                year: 2021,
                team_kind: Some(TeamKind::Doan),
                ..thanh_tra()
            },
        )
        .unwrap();
    assert_eq!(s.team(&doan.plan_id).unwrap().unwrap().issuing_body, "");
    let named = s
        .create_plan(
            &ctx(),
            &NewPlan {
                year: 2022,
                team_issuing_body: " Văn phòng Thanh tra tỉnh ".into(),
                ..thanh_tra()
            },
        )
        .unwrap();
    assert_eq!(
        s.team(&named.plan_id).unwrap().unwrap().issuing_body,
        "Văn phòng Thanh tra tỉnh"
    );
}
