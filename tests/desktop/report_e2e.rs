//! The province's report in the window (issue 14): «Báo cáo» shows the plan's Báo cáo kết
//! quả kiểm tra as it prints, who issues it (the Đoàn or Sở Nội vụ), what is missing and what
//! to confirm; the draft is saved as PDF through the save dialog, then issued after the
//! confirmation and frozen. Its texts are edited there as `doc edit --kind bao-cao` does:
//! each starts with what prints, a changed one prints, «Khôi phục nội dung tự động» gives the
//! generated one back, and an issued report is read-only until a new version is made.

use chrono::Utc;
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::FindingKind;
use kiemtra_core::plan::{PlanPatch, TeamPatch};
use kiemtra_core::{Ctx, Store};
use serde_json::json;

use crate::e2e::fill_and_leave;
use crate::elements::{until, ENTER};
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
    preview_drawn(&s);
    s.screenshot("72-bao-cao-ban-hanh");
    s.quit();
    drop(d);
    let store = Store::open(&db).unwrap();
    let plan = store.current_plan().unwrap();
    let info = store.report(&plan.id).unwrap();
    assert_eq!(info.status, kiemtra_core::model::DocumentStatus::Issued);
    assert_eq!(info.number, "03");
}

/// What the report prints, as the preview's text shows it.
fn printed(s: &Session) -> Vec<String> {
    let v = s.script(
        "return Array.from(document.querySelectorAll('[data-test=report-printed]')).map(p => p.textContent);",
        json!([]),
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap_or_default().to_string())
        .collect()
}

fn source(s: &Session, key: &str) -> String {
    s.text(&s.wait(&format!("[data-test=report-source-{key}]")))
}

fn show(s: &Session, css: &str) {
    s.wait(css);
    s.script(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
        json!([css]),
    );
}

/// Type into a field in the middle of the window (clear of the sticky bar) and leave it;
/// each new line typed with the Enter key.
fn edit(s: &Session, css: &str, text: &str) {
    show(s, css);
    fill_and_leave(s, css, &text.replace('\n', ENTER));
}

/// Click an element once it is in the middle of the window.
fn press(s: &Session, css: &str) {
    show(s, css);
    s.click_css(css);
}

#[test]
fn the_reports_texts_are_edited_restored_and_frozen_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    prepared(&db);
    {
        let ctx = Ctx::new(Utc::now(), "Bế Thị Hà");
        let mut store = Store::open(&db).unwrap();
        for unit in ["ha lang", "doai duong"] {
            let (_, id) = store.resolve_inspection(unit).unwrap();
            store
                .add_finding(&ctx, &id, "1", FindingKind::Achieved, "Ban hành kế hoạch CCHC kịp thời")
                .unwrap();
        }
    }
    let out = dir.path().join("bao-cao.pdf");
    let d = start_driver(&db, &[("KIEMTRA_E2E_REPORT_FILE", out.as_path())]);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    crate::e2e::laptop_screen(&s);
    s.click_css("[data-test=nav-ranking]");
    s.click_css("[data-test=open-report]");
    s.wait_text("[data-test=report-status]", "a draft", |t| t.starts_with("dự thảo"));

    // Each field starts with what prints: the achievements drawn from the findings.
    let item = "Ban hành kế hoạch CCHC kịp thời (xã Hạ Lang, xã Đoài Dương)";
    let ach = "[data-test=report-achievements]";
    until(&s, "the generated achievements", || {
        s.value(&s.wait(ach)).lines().any(|l| l == item)
    });
    let generated = s.value(&s.wait(ach));
    assert_eq!(source(&s, "achievements"), "tự động theo dữ liệu");
    let prov = "[data-test=report-to_province]";
    let generated_prov = s.value(&s.wait(prov));
    let n_prov = generated_prov.lines().count();
    assert!(n_prov >= 2, "{generated_prov}");
    assert!(
        printed(&s)
            .iter()
            .any(|l| *l == format!("1. {};", generated_prov.lines().next().unwrap())),
        "{:#?}",
        printed(&s)
    );

    // An achievement rewritten, a recommendation to UBND tỉnh added: both print.
    let mine = generated.replace(
        item,
        "Ban hành kế hoạch CCHC sớm, đủ nội dung (xã Hạ Lang, xã Đoài Dương)",
    );
    edit(&s, ach, &mine);
    s.wait_text("[data-test=report-source-achievements]", "the user's", |t| {
        t == "do bạn sửa"
    });
    edit(&s, prov, &format!("{generated_prov}\nBiểu dương xã Hạ Lang"));
    s.wait_text("[data-test=report-source-to_province]", "the user's", |t| {
        t == "do bạn sửa"
    });
    until(&s, "the edits printed", || {
        let p = printed(&s);
        p.iter()
            .any(|l| l == "- Ban hành kế hoạch CCHC sớm, đủ nội dung (xã Hạ Lang, xã Đoài Dương).")
            && p.iter()
                .any(|l| *l == format!("{}. Biểu dương xã Hạ Lang.", n_prov + 1))
    });
    assert!(!printed(&s).iter().any(|l| l.contains("kịp thời")));
    show(&s, ach);
    // The preview drawn again, at the page with the achievements.
    s.wait("[data-test=report-preview][aria-busy=false]");
    s.script(
        "const p = document.querySelector('[data-test=report-preview]'); \
         const i = p.querySelectorAll('img')[1]; if (i) p.scrollTop = i.offsetTop;",
        json!([]),
    );
    preview_drawn(&s);
    s.screenshot("73-bao-cao-sua-noi-dung");
    press(&s, "[data-test=report-save-pdf]");
    s.wait_text("[data-test=notice]", "the saved notice", |t| {
        t.contains("Đã lưu báo cáo")
    });
    let text = std::process::Command::new("pdftotext")
        .args([out.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("sớm, đủ nội dung") && text.contains("Biểu dương xã Hạ Lang."),
        "{text}"
    );

    // «Khôi phục nội dung tự động»: the generated achievements are back; undo brings the
    // user's back, and restoring again leaves the generated ones.
    press(&s, "[data-test=report-reset-achievements]");
    s.wait_value(ach, &generated);
    s.wait_text("[data-test=report-source-achievements]", "generated", |t| {
        t == "tự động theo dữ liệu"
    });
    assert!(s.find_all("[data-test=report-reset-achievements]").is_empty());
    assert!(
        printed(&s).iter().any(|l| *l == format!("- {item}.")),
        "{:#?}",
        printed(&s)
    );
    s.click_css("[data-test=undo]");
    s.wait_value(ach, &mine);
    press(&s, "[data-test=report-reset-achievements]");
    s.wait_value(ach, &generated);

    // A missing signer's name points at its field.
    edit(&s, "[data-test=report-signer-name]", " ");
    let goto = "[data-test=report-missing-goto][data-section-of=signer_name]";
    s.wait_text(goto, "the missing name", |t| t.contains("họ tên người ký"));
    press(&s, goto);
    until(&s, "the signer's name focused", || s.focused() == "report-signer-name");
    press(&s, "[data-test=report-reset-signer]");
    until(&s, "the signer back", || s.find_all(goto).is_empty());

    // Issued: the texts are read-only; a new version is a draft that leaves it as issued.
    show(&s, "[data-test=report-number]");
    s.fill("[data-test=report-number]", "4");
    press(&s, "[data-test=report-issue]");
    press(&s, "[data-test=report-confirm-yes]");
    s.wait_text("[data-test=report-status]", "issued", |t| t.starts_with("đã ban hành"));
    s.wait("[data-test=report-issued-hint]");
    for f in [
        "achievements",
        "to_province",
        "opening",
        "closing",
        "recipients",
        "signer-name",
    ] {
        let e = s.wait(&format!("[data-test=report-{f}]"));
        assert_eq!(s.attr(&e, "readonly").as_deref(), Some("true"), "{f} is editable");
    }
    assert!(s.find_all("[data-test^=report-reset-]").is_empty());
    assert!(printed(&s)
        .iter()
        .any(|l| *l == format!("{}. Biểu dương xã Hạ Lang.", n_prov + 1)));
    show(&s, "[data-test=report-issued-hint]");
    preview_drawn(&s);
    s.screenshot("74-bao-cao-da-ban-hanh-chi-doc");
    press(&s, "[data-test=report-new-version]");
    s.wait("[data-test=report-unlocked]");
    edit(&s, "[data-test=report-closing]", "Kính báo cáo Chủ tịch UBND tỉnh./.");
    s.wait_text("[data-test=report-status]", "a new draft", |t| {
        t == "dự thảo (phiên bản 2)"
    });
    let versions = s.text(&s.wait("[data-test=report-versions]"));
    assert!(versions.contains("đã ban hành số 04/BC-ĐKT"), "{versions}");
    assert!(s.find(ach).is_ok_and(|e| s.attr(&e, "readonly").is_none()));
    s.quit();
    drop(d);

    let store = Store::open(&db).unwrap();
    let plan = store.current_plan().unwrap();
    let v = store.report_versions(&plan.id).unwrap();
    assert_eq!(
        (v[0].version, v[0].status),
        (2, kiemtra_core::model::DocumentStatus::Draft)
    );
    assert_eq!(
        (v[1].version, v[1].status),
        (1, kiemtra_core::model::DocumentStatus::Issued)
    );
    // Version 1 is as issued: the recommendation added, the generated achievements.
    let issued = store.render_report(&plan.id, Some(1), Utc::now()).unwrap();
    assert!(issued.issued);
    let t = issued.model.texts();
    assert!(t.iter().any(|l| l.ends_with("Biểu dương xã Hạ Lang.")), "{t:#?}");
    assert!(t.iter().any(|l| *l == format!("- {item}.")), "{t:#?}");
    assert!(!t.iter().any(|l| l.contains("Kính báo cáo Chủ tịch UBND tỉnh./.")));
}

/// The preview has drawn the pages of the version shown (the issued one's stored PDF after
/// issuing, not the draft's pages still on screen while it redraws).
fn preview_drawn(s: &Session) {
    until(s, "the preview drawn", || {
        s.script(
            "const p = document.querySelector('[data-test=report-preview]'); \
             return p && p.getAttribute('aria-busy') === 'false' && p.querySelectorAll('[data-test=report-page]').length > 0;",
            json!([]),
        ) == json!(true)
    });
}
