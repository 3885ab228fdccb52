//! Two laptops merging in the real window: another laptop's exchange file (made here with
//! the core, as that laptop would) is previewed, imported with a progress bar, and the
//! finding both laptops edited waits in the conflict list with both values and who wrote
//! them; the team lead keeps the other laptop's text and the inspection shows it.
//!
//! Native dialogs cannot be driven, so `KIEMTRA_E2E_IMPORT_FILE` hands the file to the
//! "Chọn tệp…" button (test-only; the app reads it nowhere else).

mod webdriver;

#[path = "e2e_support.rs"]
mod support;

use std::time::{Duration, Instant};

use chrono::Utc;
use kiemtra_core::model::FindingKind;
use kiemtra_core::{Ctx, Store};
use support::start_driver;
use webdriver::Session;

#[test]
fn the_team_lead_imports_a_file_and_settles_a_conflict_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("may-truong-doan").join("kiemtra.sqlite3");
    let other_db = dir.path().join("may-khac").join("kiemtra.sqlite3");
    let ctx = |who: &str| Ctx::new(Utc::now(), who);

    // Both laptops have the plan and a finding on xã Hạ Lang; each then edits it.
    let (mut lead, _) = Store::init(&db, &ctx("Nguyễn Văn An")).unwrap();
    lead.load_sample_plan(&ctx("Nguyễn Văn An")).unwrap();
    let (_, h) = lead.resolve_inspection("ha lang").unwrap();
    let f = lead
        .add_finding(
            &ctx("Nguyễn Văn An"),
            &h,
            "3",
            FindingKind::Shortcoming,
            "Tỷ lệ hồ sơ đúng hạn thấp",
        )
        .unwrap();
    let first = dir.path().join("dau.kiemtra");
    let plan = lead.current_plan().unwrap();
    lead.export_exchange(&ctx("Nguyễn Văn An"), &plan.id, &[], &first)
        .unwrap();
    let (mut other, _) = Store::init(&other_db, &ctx("Hoàng Thị Bình")).unwrap();
    other.load_sample_plan(&ctx("Hoàng Thị Bình")).unwrap();
    other
        .import_exchange(&ctx("Hoàng Thị Bình"), &first, None, &mut |_, _| {})
        .unwrap();
    lead.update_finding(&ctx("Nguyễn Văn An"), &f, "Tỷ lệ đúng hạn 86,5 % (máy trưởng đoàn)")
        .unwrap();
    std::thread::sleep(Duration::from_millis(5));
    other
        .update_finding(
            &ctx("Hoàng Thị Bình"),
            &f,
            "Tỷ lệ đúng hạn chỉ 86,5 %, còn 13 hồ sơ quá hạn",
        )
        .unwrap();
    other
        .set_figure(&ctx("Hoàng Thị Bình"), &h, "ho_so_tiep_nhan", 1081.0)
        .unwrap();
    let file = dir.path().join("may-binh.kiemtra");
    other
        .export_exchange(&ctx("Hoàng Thị Bình"), &plan.id, &[], &file)
        .unwrap();
    drop(lead);
    drop(other);

    std::env::set_var("KIEMTRA_E2E_IMPORT_FILE", &file);
    let d = start_driver(&db);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    s.wait("[data-test=unit-filter]");
    s.click_css("[data-test=nav-exchange]");
    s.click_css("[data-test=pick-file]");
    s.wait("[data-test=preview-table]");
    let rows = s.script(
        "return Array.from(document.querySelectorAll('[data-test=preview-row]'))\
         .map((r) => Array.from(r.querySelectorAll('td')).map((c) => c.textContent.trim()));",
        serde_json::json!([]),
    );
    let ha_lang = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[0] == "xã Hạ Lang")
        .unwrap_or_else(|| panic!("xã Hạ Lang in the preview: {rows}"));
    // Thêm: the figure; Sửa: at least the finding; Xóa: none; Xung đột: the finding.
    assert_eq!(ha_lang[1], "1", "{ha_lang}");
    assert!(ha_lang[2].as_str().unwrap().parse::<u32>().unwrap() >= 1, "{ha_lang}");
    assert_eq!(ha_lang[3], "0", "{ha_lang}");
    assert_eq!(ha_lang[4], "1", "{ha_lang}");
    s.screenshot("14-trao-doi-xem-truoc");
    s.click_css("[data-test=import-file]");
    s.wait_text("[data-test=import-result]", "the import summary", |t| {
        t.contains("xung đột 1")
    });
    let badge = s.wait_text("[data-test=conflict-count]", "the conflict badge", |t| t == "1");
    assert_eq!(badge, "1");
    let versions: Vec<String> = s
        .find_all("[data-test=conflict-version]")
        .iter()
        .map(|v| s.text(v))
        .collect();
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert!(versions
        .iter()
        .any(|v| v.contains("(máy trưởng đoàn)") && v.contains("Nguyễn Văn An")));
    assert!(versions
        .iter()
        .any(|v| v.contains("còn 13 hồ sơ quá hạn") && v.contains("Hoàng Thị Bình")));
    s.screenshot("15-trao-doi-xung-dot");
    // Keep the other laptop's version.
    let all = s.find_all("[data-test=conflict-version]");
    let theirs = all
        .iter()
        .find(|v| s.text(v).contains("còn 13 hồ sơ quá hạn"))
        .expect("the other laptop's version");
    let idx = all.iter().position(|v| s.text(v) == s.text(theirs)).unwrap();
    s.script(
        "document.querySelectorAll('[data-test=keep-version]')[arguments[0]].click();",
        serde_json::json!([idx]),
    );
    let start = Instant::now();
    while !s.find_all("[data-test=conflict]").is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the conflict stays after choosing"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        s.find_all("[data-test=conflict-count]").is_empty(),
        "the badge goes away"
    );
    // The inspection shows the chosen text and the imported figure.
    s.click_css("[data-test=nav-plan]");
    s.fill("[data-test=unit-filter]", "ha lang");
    let start = Instant::now();
    while s.find_all("[data-test=unit-row]").len() != 1 {
        assert!(start.elapsed() < Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(50));
    }
    let filter = s.find("[data-test=unit-filter]").unwrap();
    s.type_keys(&filter, webdriver::ENTER);
    s.wait_text("[data-test=unit-name]", "xã Hạ Lang", |t| t == "xã Hạ Lang");
    s.click_css("[data-test=tab-findings]");
    s.wait("[data-test=finding] textarea");
    let text = s.script(
        "return document.querySelector('[data-test=finding] textarea').value;",
        serde_json::json!([]),
    );
    assert_eq!(text, "Tỷ lệ đúng hạn chỉ 86,5 %, còn 13 hồ sơ quá hạn");
    s.screenshot("16-trao-doi-da-chon");
    s.quit();
}
