//! Two laptops merging in the real window: another laptop's exchange file (made here with
//! the core, as that laptop would) is previewed, imported with a progress bar and a backup,
//! and the two fields both laptops changed wait in the conflict list with both values, who
//! wrote them, on which laptop and when. The team lead keeps its own text of the finding and
//! rewrites the figure; the inspection shows both choices, and the same file again is
//! recognised as already imported. Neither laptop has the team's key: the file is not
//! protected, so the window shows the core's warning first and goes on after «Vẫn nhập».
//!
//! Native dialogs cannot be driven, so `KIEMTRA_E2E_IMPORT_FILE` hands the file to the
//! "Chọn tệp…" button (test-only; the app reads it nowhere else).

use std::time::{Duration, Instant};

use crate::elements::ENTER;
use crate::support::start_driver;
use crate::webdriver::Session;
use chrono::Utc;
use kiemtra_core::exchange::Unprotected;
use kiemtra_core::model::FindingKind;
use kiemtra_core::{Ctx, Store};

/// Wait until `cond` holds (the window answers asynchronously).
fn until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_team_lead_imports_a_file_and_settles_conflicts_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("may-truong-doan").join("kiemtra.sqlite3");
    let other_db = dir.path().join("may-khac").join("kiemtra.sqlite3");
    let ctx = |who: &str| Ctx::new(Utc::now(), who);
    let (an, binh) = ("Nguyễn Văn An", "Hoàng Thị Bình");

    // Both laptops have the plan and a finding on xã Hạ Lang.
    let (mut lead, _) = Store::init(&db, &ctx(an)).unwrap();
    lead.load_sample_plan(&ctx(an)).unwrap();
    let (_, h) = lead.resolve_inspection("ha lang").unwrap();
    let f = lead
        .add_finding(&ctx(an), &h, "3", FindingKind::Shortcoming, "Tỷ lệ hồ sơ đúng hạn thấp")
        .unwrap();
    let first = dir.path().join("dau.kiemtra");
    let plan = lead.current_plan().unwrap();
    lead.export_exchange(&ctx(an), &plan.id, &[], &first).unwrap();
    let (mut other, _) = Store::init(&other_db, &ctx(binh)).unwrap();
    other.load_sample_plan(&ctx(binh)).unwrap();
    other
        .import_exchange_with(&ctx(binh), &first, None, Unprotected::Allow, &mut |_, _| {})
        .unwrap();
    let lead_device = lead.device_id()[..8].to_string();
    let other_device = other.device_id()[..8].to_string();

    // Then, without seeing each other, both change the finding and the figure; the other
    // laptop also adds a recommendation.
    lead.update_finding(&ctx(an), &f, "Tỷ lệ đúng hạn 86,5 % (máy trưởng đoàn)")
        .unwrap();
    lead.set_figure(&ctx(an), &h, "ho_so_tiep_nhan", 1075.0).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    other
        .update_finding(&ctx(binh), &f, "Tỷ lệ đúng hạn chỉ 86,5 %, còn 13 hồ sơ quá hạn")
        .unwrap();
    other.set_figure(&ctx(binh), &h, "ho_so_tiep_nhan", 1081.0).unwrap();
    other
        .add_recommendation(
            &ctx(binh),
            &h,
            Some("3"),
            "Rà soát, xử lý dứt điểm hồ sơ quá hạn",
            "Văn phòng HĐND và UBND xã",
            None,
        )
        .unwrap();
    let file = dir.path().join("may-binh.kiemtra");
    other.export_exchange(&ctx(binh), &plan.id, &[], &file).unwrap();
    drop(lead);
    drop(other);

    let out = dir.path().join("ha-lang-tu-may-truong-doan.kiemtra");
    let d = start_driver(
        &db,
        &[("KIEMTRA_E2E_IMPORT_FILE", &file), ("KIEMTRA_E2E_EXPORT_FILE", &out)],
    );
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    s.wait("[data-test=unit-filter]");
    s.click_css("[data-test=nav-exchange]");

    // Export xã Hạ Lang alone (the save dialog answered by KIEMTRA_E2E_EXPORT_FILE).
    s.click_css("[data-test=export-some]");
    s.wait("[data-test=export-unit]");
    let units = s.find_all("[data-test=export-unit]");
    assert_eq!(units.len(), 14);
    let ha_lang = units
        .iter()
        .find(|u| s.text(u) == "xã Hạ Lang")
        .expect("xã Hạ Lang among the units to export");
    s.click(ha_lang);
    s.click_css("[data-test=export-file]");
    let notice = s.wait_text("[data-test=notice]", "the export notice", |t| {
        t.starts_with("Đã xuất 1 đơn vị")
    });
    assert!(
        notice.contains(&out.display().to_string()) && notice.contains("bản ghi") && notice.contains("trường"),
        "{notice}"
    );
    s.screenshot("14-trao-doi-xuat");
    // What the other laptop would get from it: the lead's changes to xã Hạ Lang, nothing else.
    let mut other = Store::open(&other_db).unwrap();
    let seen = other
        .preview_exchange_with(&ctx(binh), &out, Unprotected::Allow)
        .unwrap();
    let names: Vec<&str> = seen.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["xã Hạ Lang"], "{seen:?}");
    assert_eq!(seen.total.conflicts, 2, "{seen:?}");
    drop(other);

    // Not protected: the core's warning, nothing previewed until «Vẫn nhập».
    s.click_css("[data-test=pick-file]");
    let warning = s.wait_text("[data-test=unprotected-message]", "the unprotected warning", |t| {
        !t.is_empty()
    });
    assert!(warning.starts_with("Tệp không được bảo vệ"), "{warning}");
    assert!(s.find_all("[data-test=preview]").is_empty());
    s.click_css("[data-test=import-anyway]");

    // The preview: what the file would change, per unit, before anything is written.
    s.wait("[data-test=preview-row]");
    s.wait_text("[data-test=preview-unprotected]", "the unprotected mark", |t| {
        t.starts_with("Tệp không được bảo vệ")
    });
    let preview = s.text(&s.find("[data-test=preview]").unwrap());
    assert!(
        preview.contains("may-binh.kiemtra") && preview.contains(binh),
        "{preview}"
    );
    assert!(preview.contains(&other_device), "{preview}");
    assert!(s.find_all("[data-test=already]").is_empty(), "not imported yet");
    let rows = s.script(
        "return Array.from(document.querySelectorAll('[data-test=preview-row]'))\
         .map((r) => Array.from(r.querySelectorAll('td')).map((c) => c.textContent.trim()));",
        serde_json::json!([]),
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1, "only xã Hạ Lang changed: {rows:?}");
    // Thêm: the recommendation; Sửa: the finding and the figure; Xóa: none; Xung đột: both.
    assert_eq!(
        rows[0],
        serde_json::json!(["xã Hạ Lang", "1", "2", "0", "2"]),
        "{rows:?}"
    );
    s.screenshot("15-trao-doi-xem-truoc");

    // Import: the bar reaches the end, the summary names the backup, which exists.
    s.click_css("[data-test=import-file]");
    s.wait_text("[data-test=import-result]", "the import summary", |t| {
        t.contains("xung đột 2")
    });
    let done = s.wait_text("[data-test=import-progress-text]", "the finished progress", |t| {
        t.starts_with("Đã gộp")
    });
    let counts: Vec<&str> = done
        .trim_start_matches("Đã gộp ")
        .trim_end_matches(" bản ghi.")
        .split(" / ")
        .collect();
    assert!(
        counts.len() == 2 && counts[0] == counts[1] && counts[0] != "0",
        "{done}"
    );
    let bar = s.script(
        "return document.querySelector('[data-test=import-progress]').getAttribute('aria-valuenow');",
        serde_json::json!([]),
    );
    assert_eq!(bar, "100");
    let backup = s.text(&s.find("[data-test=import-backup] code").unwrap());
    assert!(
        backup.contains("sao-luu") && std::path::Path::new(&backup).is_file(),
        "the backup before the import: {backup}"
    );
    assert!(s.find_all("[data-test=preview]").is_empty(), "the preview is gone");
    let badge = s.wait_text("[data-test=conflict-count]", "the conflict badge", |t| t == "2");
    assert_eq!(badge, "2");
    s.screenshot("16-trao-doi-da-nhap");

    // The conflicts: each version with its value, who, which laptop and when.
    let conflicts: Vec<String> = s.find_all("[data-test=conflict]").iter().map(|c| s.text(c)).collect();
    assert_eq!(conflicts.len(), 2, "{conflicts:?}");
    let finding = conflicts
        .iter()
        .find(|c| c.starts_with("Nhận xét lĩnh vực 3"))
        .unwrap_or_else(|| panic!("the finding's conflict: {conflicts:?}"));
    assert!(finding.contains("(xã Hạ Lang) — nội dung"), "{finding}");
    let versions: Vec<String> = s
        .find_all("[data-test=conflict-version]")
        .iter()
        .map(|v| s.text(v))
        .collect();
    assert_eq!(versions.len(), 4, "two versions of each: {versions:?}");
    let today = chrono::Local::now().format("%d/%m/%Y").to_string();
    let mine = versions
        .iter()
        .find(|v| v.contains("(máy trưởng đoàn)"))
        .expect("the lead's version");
    assert!(
        mine.contains(an) && mine.contains(&lead_device) && mine.contains(&today),
        "{mine}"
    );
    assert!(!mine.contains("đang dùng"), "the newer version is shown: {mine}");
    let theirs = versions
        .iter()
        .find(|v| v.contains("còn 13 hồ sơ quá hạn"))
        .expect("the other laptop's version");
    assert!(
        theirs.contains(binh) && theirs.contains(&other_device) && theirs.contains("đang dùng"),
        "{theirs}"
    );
    assert!(
        versions.iter().any(|v| v.starts_with("1.075") && v.contains(an)),
        "{versions:?}"
    );
    assert!(
        versions.iter().any(|v| v.starts_with("1.081") && v.contains(binh)),
        "{versions:?}"
    );
    // The badge in the top bar leads to the list.
    s.click_css("[data-test=conflict-count]");
    until("the conflict list scrolled into view", || {
        s.script(
            "const r = document.querySelector('[data-test=conflicts]').getBoundingClientRect();\
             const end = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1;\
             return window.scrollY > 0 && r.top >= 0 && (r.top < 150 || end);",
            serde_json::json!([]),
        ) == true
    });
    s.screenshot("17-trao-doi-xung-dot");

    // Keep the lead's own text of the finding (not the one shown now).
    let idx = versions.iter().position(|v| v == mine).unwrap();
    s.script(
        "document.querySelectorAll('[data-test=keep-version]')[arguments[0]].click();",
        serde_json::json!([idx]),
    );
    until("one conflict left", || s.find_all("[data-test=conflict]").len() == 1);
    s.wait_text("[data-test=conflict-count]", "the badge counting one", |t| t == "1");

    // Rewrite the figure: the box starts with the value shown.
    s.click_css("[data-test=rewrite]");
    s.wait_value("[data-test=rewrite-text]", "1.081");
    s.fill("[data-test=rewrite-text]", "1.090");
    s.screenshot("18-trao-doi-viet-lai");
    s.click_css("[data-test=rewrite-save]");
    until("no conflict left", || s.find_all("[data-test=conflict]").is_empty());
    assert!(
        s.find_all("[data-test=conflict-count]").is_empty(),
        "the badge goes away"
    );

    // The same file again: recognised, nothing to do.
    s.click_css("[data-test=pick-file]");
    s.click_css("[data-test=import-anyway]");
    s.wait_text("[data-test=already]", "already imported", |t| {
        t.contains("đã nhập trước đây")
    });
    s.click_css("[data-test=import-cancel]");
    until("the preview closed", || s.find_all("[data-test=preview]").is_empty());

    // The inspection shows the chosen text and the rewritten figure.
    s.click_css("[data-test=nav-plan]");
    s.fill("[data-test=unit-filter]", "ha lang");
    until("xã Hạ Lang alone in the list", || {
        s.find_all("[data-test=unit-row]").len() == 1
    });
    let filter = s.find("[data-test=unit-filter]").unwrap();
    s.type_keys(&filter, ENTER);
    s.wait_text("[data-test=unit-name]", "xã Hạ Lang", |t| t == "xã Hạ Lang");
    s.click_css("[data-test=tab-figures]");
    s.wait_value("[data-test=figure-ho_so_tiep_nhan]", "1.090");
    s.click_css("[data-test=tab-findings]");
    s.wait("[data-test=finding] textarea");
    let texts = s.script(
        "return Array.from(document.querySelectorAll('[data-test=finding] textarea')).map((t) => t.value);",
        serde_json::json!([]),
    );
    assert_eq!(texts, serde_json::json!(["Tỷ lệ đúng hạn 86,5 % (máy trưởng đoàn)"]));
    let listed = s.script(
        "return Array.from(document.querySelectorAll('textarea')).map((t) => t.value)\
         .includes('Rà soát, xử lý dứt điểm hồ sơ quá hạn');",
        serde_json::json!([]),
    );
    assert_eq!(listed, true, "the imported recommendation is listed");
    s.screenshot("19-trao-doi-da-chon");
    s.quit();
}
