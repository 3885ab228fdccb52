//! What the window asks of the core beyond the command line's verbs (issue 14): one unit
//! added to a plan from a form with its head, schedule and đột xuất mark; search hits that
//! say where they open (the inspection, the area, the criterion).

use std::path::Path;

use chrono::{TimeZone, Utc};
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::*;
use kiemtra_core::plan::NewUnit;
use kiemtra_core::{Ctx, Store};

use crate::support::dump;

fn ctx() -> Ctx {
    Ctx::new(Utc.with_ymd_and_hms(2026, 10, 13, 8, 30, 0).unwrap(), "Bế Thị Hà")
}

fn fresh(path: &Path) -> Store {
    let (mut s, _) = Store::init(path, &ctx()).unwrap();
    s.load_sample_plan(&ctx()).unwrap();
    s
}

fn unit(name: &str) -> NewUnit {
    NewUnit {
        kind: UnitKind::Xa,
        name: name.into(),
        head_name: " Nông Văn Tú ".into(),
        head_title: "Chủ tịch UBND xã".into(),
        unannounced: true,
        start: Some("18/11/2026".into()),
        end: Some("19/11/2026".into()),
    }
}

#[test]
fn an_unannounced_unit_is_added_with_its_head_and_schedule_in_one_action() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("k.sqlite3");
    let mut s = fresh(&db);
    let plan = s.current_plan().unwrap();
    let (unit_id, insp) = s.add_new_unit_to_plan(&ctx(), &plan.id, &unit("xã Đông Khê")).unwrap();
    let u = s.unit(&unit_id).unwrap();
    assert_eq!(
        (u.head_name.as_str(), u.head_title.as_str()),
        ("Nông Văn Tú", "Chủ tịch UBND xã")
    );
    let row = s.inspection_row(&insp).unwrap();
    assert!(row.unannounced);
    assert_eq!(row.scheduled_start.as_deref(), Some("2026-11-18"));
    assert_eq!(row.scheduled_end.as_deref(), Some("2026-11-19"));
    assert_eq!(s.last_undoable().unwrap().unwrap().action, "thêm đơn vị vào kế hoạch");
    // It is scored like any other unit.
    let p = ResponsePatch {
        status: Some(Some("dung_han".into())),
        ..Default::default()
    };
    s.set_response(&ctx(), &insp, "1.1.1", &p).unwrap();
    assert!(s.checklist_live(&insp).unwrap().1.card.total > 0.0);

    // Refusals change nothing and say why, without a list's line number.
    let before = dump(&db);
    let e = s
        .add_new_unit_to_plan(&ctx(), &plan.id, &unit("xã Đông Khê"))
        .unwrap_err();
    assert!(
        e.to_string().starts_with("Đã có đơn vị «xã Đông Khê» trong kế hoạch"),
        "{e}"
    );
    let e = s.add_new_unit_to_plan(&ctx(), &plan.id, &unit("  ")).unwrap_err();
    assert_eq!(e.to_string(), "Tên đơn vị không được để trống.");
    let mut bad = unit("xã Thông Nông");
    bad.end = Some("10/11/2026".into());
    let e = s.add_new_unit_to_plan(&ctx(), &plan.id, &bad).unwrap_err();
    assert!(e.to_string().contains("Lịch kiểm tra"), "{e}");
    bad.end = Some("31/02/2026".into());
    assert!(s.add_new_unit_to_plan(&ctx(), &plan.id, &bad).is_err());
    assert_eq!(dump(&db), before);
}

#[test]
fn every_search_hit_says_where_it_opens() {
    let d = tempfile::tempdir().unwrap();
    let mut s = fresh(&d.path().join("k.sqlite3"));
    let plan = s.current_plan().unwrap();
    let doai = s.resolve_unit("doai duong").unwrap();
    let insp = s.inspection_for_unit(&doai.id).unwrap();
    s.add_finding(
        &ctx(),
        &insp,
        "3",
        FindingKind::Shortcoming,
        "Niêm yết thủ tục chưa đầy đủ",
    )
    .unwrap();
    s.add_recommendation(&ctx(), &insp, Some("2"), "Rà soát văn bản quy phạm", "", None)
        .unwrap();
    s.add_evidence(
        &ctx(),
        &insp,
        "1.2",
        "77/BC-UBND",
        None,
        "Báo cáo quý tự kiểm tra",
        None,
    )
    .unwrap();
    let note = ResponsePatch {
        note: Some("Đối chiếu sổ theo dõi đường dây nóng".into()),
        ..Default::default()
    };
    s.set_response(&ctx(), &insp, "1.1", &note).unwrap();

    let hit = |q: &str, entity: &str| {
        s.search_plan(&plan.id, q, 20)
            .unwrap()
            .into_iter()
            .find(|h| h.entity == entity)
            .unwrap_or_else(|| panic!("no {entity} for {q}"))
    };
    let h = hit("doai duong", "unit");
    assert_eq!(
        (h.unit_id.as_deref(), h.inspection_id.as_deref()),
        (Some(doai.id.as_str()), Some(insp.as_str()))
    );
    let h = hit("niem yet thu tuc chua", "finding");
    assert_eq!(
        (h.inspection_id.as_deref(), h.area.as_deref(), h.code),
        (Some(insp.as_str()), Some("3"), None)
    );
    let h = hit("ra soat van ban quy pham", "recommendation");
    assert_eq!(
        (h.inspection_id.as_deref(), h.area.as_deref()),
        (Some(insp.as_str()), Some("2"))
    );
    let h = hit("77/bc-ubnd", "evidence");
    assert_eq!(
        (h.inspection_id.as_deref(), h.area.as_deref(), h.code.as_deref()),
        (Some(insp.as_str()), Some("1"), Some("1.2"))
    );
    let h = hit("duong day nong so theo doi", "note");
    assert_eq!(
        (h.unit_id.as_deref(), h.code.as_deref(), h.area.as_deref()),
        (Some(doai.id.as_str()), Some("1.1"), Some("1"))
    );
    // A criterion belongs to no unit: it opens on an inspection of the plan on its checklist.
    let h = hit("ke hoach cai cach hanh chinh", "criterion");
    let code = h.code.clone().unwrap();
    assert_eq!(h.area.as_deref(), code.split('.').next());
    let opened = h.inspection_id.clone().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 10, 13).unwrap();
    let overview = s.plan_overview(&plan.id, today).unwrap();
    assert!(overview.inspections.iter().any(|i| i.id == opened));
    assert_eq!(s.inspection_template_id(&opened).unwrap(), h.entity_id[..36]);
}
