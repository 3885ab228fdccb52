//! The province's report in the window (issue 14): «Báo cáo» shows the plan's Báo cáo kết
//! quả kiểm tra as it prints, who issues it (the Đoàn or Sở Nội vụ), what is missing and what
//! to confirm; the draft is saved as PDF through the save dialog, then issued after the
//! confirmation and frozen.

use chrono::Utc;
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::FindingKind;
use kiemtra_core::plan::{PlanPatch, TeamPatch};
use kiemtra_core::{Ctx, Store};
use serde_json::json;

use crate::elements::until;
use crate::support::start_driver;
use crate::webdriver::Session;

/// The sample plan with its numbers, a scored criterion and a shortcoming in two units.
fn prepared(db: &std::path::Path) {
    let ctx = Ctx::new(Utc::now(), "Bế Thị Hà");
    let (mut store, _) = Store::init(db, &ctx).unwrap();
    let (plan, _) = store.load_sample_plan(&ctx).unwrap();
    store.use_plan(&plan).unwrap();
    store
        .update_plan(
            &ctx,
            &plan,
            &PlanPatch {
                number: Some("125/KH-UBND".into()),
                date: Some("15/04/2026".into()),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .update_team(
            &ctx,
            &plan,
            &TeamPatch {
                decision_number: Some("1520/QĐ-UBND".into()),
                decision_date: Some("08/07/2026".into()),
                ..Default::default()
            },
        )
        .unwrap();
    for unit in ["ha lang", "doai duong"] {
        let (_, id) = store.resolve_inspection(unit).unwrap();
        store
            .set_response(
                &ctx,
                &id,
                "1.1.1",
                &ResponsePatch {
                    team_score: Some(Some(0.5)),
                    ..Default::default()
                },
            )
            .unwrap();
        store
            .add_finding(
                &ctx,
                &id,
                "3",
                FindingKind::Shortcoming,
                "Tỷ lệ hồ sơ giải quyết đúng hạn chưa đạt yêu cầu",
            )
            .unwrap();
    }
}

#[test]
fn the_report_is_shown_saved_and_issued_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    prepared(&db);
    let out = dir.path().join("bao-cao.pdf");
    let d = start_driver(&db, &[("KIEMTRA_E2E_REPORT_FILE", out.as_path())]);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    crate::e2e::laptop_screen(&s);

    s.click_css("[data-test=nav-ranking]");
    s.click_css("[data-test=open-report]");
    s.wait_text("[data-test=report-status]", "a draft", |t| t.starts_with("dự thảo"));
    until(&s, "the report's pages", || {
        !s.find_all("[data-test=report-page]").is_empty()
    });
    // Units not inspected yet: issuing will ask to confirm.
    let warnings = s.text(&s.wait("[data-test=report-warnings]"));
    assert!(warnings.contains("Cần xác nhận"), "{warnings}");
    s.screenshot("70-bao-cao-du-thao");

    // Sở Nội vụ's summary: its own symbol.
    s.click_css("[data-test=report-by-agency]");
    until(&s, "the Sở Nội vụ's symbol", || {
        s.script("return document.querySelector('.issue span').textContent;", json!([])) == json!("/BC-SNV")
    });
    s.click_css("[data-test=report-by-team]");
    until(&s, "the team's symbol", || {
        s.script("return document.querySelector('.issue span').textContent;", json!([])) == json!("/BC-ĐKT")
    });

    // The draft saved as PDF through the save dialog.
    s.click_css("[data-test=report-save-pdf]");
    s.wait_text("[data-test=notice]", "the saved notice", |t| {
        t.contains("Đã lưu báo cáo")
    });
    let text = std::process::Command::new("pdftotext")
        .args([out.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("BÁO CÁO"), "{text}");
    assert!(text.contains("Kế hoạch số 125/KH-UBND"), "{text}");
    assert!(text.contains("xã Hạ Lang") && text.contains("xã Đoài Dương"), "{text}");

    // Issued: without a number it names what is missing; then the confirmation, then frozen.
    assert_eq!(s.value(&s.wait("[data-test=report-number]")), "");
    s.click_css("[data-test=report-issue]");
    s.wait_text("[data-test=error]", "the missing number", |t| t.contains("số"));
    s.fill("[data-test=report-number]", "3");
    s.click_css("[data-test=report-issue]");
    s.wait("[data-test=report-confirm]");
    s.screenshot("71-bao-cao-xac-nhan");
    s.click_css("[data-test=report-confirm-yes]");
    let status = s.wait_text("[data-test=report-status]", "issued", |t| t.starts_with("đã ban hành"));
    assert!(status.contains("03/BC-ĐKT"), "{status}");
    assert!(
        s.find_all("[data-test=report-issue]").is_empty(),
        "an issued report is frozen"
    );
    s.screenshot("72-bao-cao-ban-hanh");
    s.quit();
    drop(d);
    let store = Store::open(&db).unwrap();
    let plan = store.current_plan().unwrap();
    let info = store.report(&plan.id).unwrap();
    assert_eq!(info.status, kiemtra_core::model::DocumentStatus::Issued);
    assert_eq!(info.number, "03");
}
