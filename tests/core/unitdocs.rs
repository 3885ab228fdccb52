//! The unit's self-inspection documents each laptop lists (issue 14): the team's laptop its
//! outline for the unit; the unit's laptop, after joining, the outline it was given and its
//! own report, which says its self total; both print there.

use chrono::{TimeZone, Utc};
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::DocumentKind;
use kiemtra_core::{Ctx, Store};

#[test]
fn the_team_lists_the_outline_and_the_units_laptop_its_outline_and_its_report() {
    let tmp = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 10, 5, 1, 0, 0).unwrap();
    let ctx = Ctx::new(now, "Nguyễn Văn An");
    let (mut lead, _) = Store::init(&tmp.path().join("doan").join("k.sqlite3"), &ctx).unwrap();
    let (plan, _) = lead.load_sample_plan(&ctx).unwrap();
    lead.update_plan(
        &ctx,
        &plan,
        &kiemtra_core::plan::PlanPatch {
            number: Some("125/KH-UBND".into()),
            date: Some("15/04/2026".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let (unit, insp) = lead.resolve_inspection("ha lang").unwrap();
    let listed = lead.unit_documents(&insp).unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].kind, DocumentKind::DeCuong);
    assert_eq!(listed[0].title, "Đề cương báo cáo tự kiểm tra");
    assert_eq!(listed[0].file_name, "de-cuong-bao-cao-tu-kiem-tra-xa-ha-lang.pdf");
    assert!(listed[0].about.contains("phiên bản 2026.1"), "{}", listed[0].about);

    lead.team_create(&ctx, "Đoàn kiểm tra CCHC tỉnh", "Nguyễn Văn An")
        .unwrap();
    let invite = tmp.path().join("moi-ha-lang.kiemtra-moi");
    lead.self_invite(&ctx, &unit.id, &invite).unwrap();
    // The unit's laptop, as the window first starts it: the sample plan loaded, later.
    let ctx = Ctx::new(now + chrono::Duration::hours(1), "xã Hạ Lang");
    let (mut laptop, _) = Store::init(&tmp.path().join("don-vi").join("k.sqlite3"), &ctx).unwrap();
    laptop.load_sample_plan(&ctx).unwrap();
    laptop.self_join(&ctx, &invite, None).unwrap();
    let (_, own) = laptop.resolve_inspection("ha lang").unwrap();
    assert_eq!(own, insp);
    laptop
        .set_response(
            &ctx,
            &own,
            "1.1.1",
            &ResponsePatch {
                self_score: Some(Some(0.75)),
                ..Default::default()
            },
        )
        .unwrap();
    let listed = laptop.unit_documents(&own).unwrap();
    let kinds: Vec<_> = listed.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [DocumentKind::DeCuong, DocumentKind::TuKiemTra]);
    let report = &listed[1];
    assert_eq!(report.title, "Báo cáo kết quả tự kiểm tra");
    assert_eq!(report.file_name, "bao-cao-tu-kiem-tra-xa-ha-lang.pdf");
    assert!(
        report.about.contains("UBND xã Hạ Lang") && report.about.contains("tự chấm 0,75/"),
        "{}",
        report.about
    );
    // The unit's laptop has the plan as the team set it: its report cites it.
    assert_eq!(laptop.current_plan().unwrap().number, "125/KH-UBND");
    for d in &listed {
        let r = laptop.render_unit_document(&own, d.kind, now).unwrap();
        assert!(r.pages > 0 && r.bytes.starts_with(b"%PDF"), "{:?}", d.kind);
    }
    // The team's laptop does not print the unit's own report: the unit does, from its laptop.
    let e = lead.unit_document(&insp, DocumentKind::TuKiemTra).unwrap_err();
    assert_eq!(e.code(), "bad_choice");
    assert!(e.to_string().contains("máy tự đánh giá"), "{e}");
    // Another unit's inspection on the team's laptop is no "own" one: only its outline.
    let (_, other) = lead.resolve_inspection("doai duong").unwrap();
    assert_eq!(lead.unit_documents(&other).unwrap().len(), 1);
}
