//! The window does what the command line does (issue 14): an unannounced unit added from the
//! plan screen with its head and schedule, opened and scored; the top bar's search finding
//! "doai duong" and a criterion, each opened where it was found; a unit renamed and merged
//! with its history shown; the checklist versions listed, one exported, a province's edited
//! version imported and a broken one refused naming the item and field.

use serde_json::json;

use crate::elements::{rows, until, wait_rows};
use crate::support::start_driver;
use crate::webdriver::Session;

/// Click an element after scrolling it to the middle of the window (a row below the fold).
fn press(s: &Session, css: &str) {
    s.wait(css);
    s.script(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
        json!([css]),
    );
    s.click_css(css);
}

fn search(s: &Session, q: &str) {
    s.fill("[data-test=search]", q);
    s.wait("[data-test=search-results] [data-test=search-hit]");
}

#[test]
fn the_window_adds_units_searches_and_adapts_the_checklist() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    let import = dir.path().join("bo-tieu-chi-cao-bang.toml");
    let export = dir.path().join("xuat.toml");
    let d = start_driver(
        &db,
        &[
            ("KIEMTRA_E2E_TEMPLATE_FILE", import.as_path()),
            ("KIEMTRA_E2E_TEMPLATE_EXPORT_FILE", export.as_path()),
        ],
    );
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    crate::e2e::laptop_screen(&s);
    s.click_css("[data-test=welcome-sample]");
    assert_eq!(wait_rows(&s, 14).len(), 14);

    // ---- search: typed without diacritics, opened where it was found --------------------
    search(&s, "doai duong");
    let first = s.wait("[data-test=search-hit]");
    assert_eq!(
        s.script(
            "return document.querySelector('[data-test=search-hit]').dataset.entity;",
            json!([])
        ),
        json!("unit")
    );
    s.screenshot("60-tim-kiem");
    let t = s.script(
        "return document.querySelector('[data-test=search-hit] .text').textContent;",
        json!([]),
    );
    assert_eq!(t, json!("xã Đoài Dương"));
    s.click(&first);
    s.wait_text("[data-test=unit-name]", "the unit found", |t| t == "xã Đoài Dương");
    // A criterion: its area, its row shown.
    search(&s, "doi thoai voi nguoi dan");
    s.click_css("[data-test=search-hit][data-entity=criterion]");
    s.wait("[data-test=checklist] tr[data-found=true]");
    let found = s.text(&s.wait("[data-test=checklist] tr[data-found=true]"));
    assert!(fold_ok(&found, "đối thoại với người dân"), "{found}");
    s.screenshot("61-tim-tieu-chi");

    // ---- an unannounced unit, with its head and schedule -------------------------------
    s.click_css("[data-test=nav-plan]");
    wait_rows(&s, 14);
    s.click_css("[data-test=unit-new-open]");
    s.select("[data-test=nu-kind]", "xa");
    s.fill("[data-test=nu-name]", "xã Đông Khê");
    s.fill("[data-test=nu-head]", "Nông Văn Tú");
    s.fill("[data-test=nu-head-title]", "Chủ tịch UBND xã");
    s.fill("[data-test=nu-start]", "18/11/2026");
    s.fill("[data-test=nu-end]", "10/11/2026");
    s.click_css("[data-test=unit-new-add]");
    let msg = s.wait_text("[data-test=unit-new-error]", "the bad schedule", |t| !t.is_empty());
    assert!(msg.contains("Lịch kiểm tra"), "{msg}");
    assert_eq!(rows(&s).len(), 14, "nothing added");
    s.screenshot("62-them-don-vi-dot-xuat-tu-choi");
    s.fill("[data-test=nu-end]", "19/11/2026");
    s.click_css("[data-test=unit-new-add]");
    s.wait_text("[data-test=notice]", "the unit added", |t| {
        t.starts_with("Đã thêm «xã Đông Khê» vào kế hoạch (kiểm tra đột xuất).")
    });
    assert_eq!(wait_rows(&s, 15).last().map(String::as_str), Some("xã Đông Khê"));
    let row = s.text(&s.wait("[data-test=unit-row][data-unit='xã Đông Khê']"));
    assert!(row.contains("đột xuất") && row.contains("18/11 – 19/11/2026"), "{row}");
    s.screenshot("63-don-vi-dot-xuat");
    press(&s, "[data-test=unit-row][data-unit='xã Đông Khê'] strong");
    s.wait_text("[data-test=unit-name]", "the new unit", |t| t == "xã Đông Khê");
    let head = s.text(&s.wait(".meta"));
    assert!(head.contains("Chủ tịch UBND xã Nông Văn Tú"), "{head}");
    s.select("[data-test='status-1.1.1']", "dung_han");
    s.wait_text("[data-test='score-1.1.1']", "scored", |t| t == "0,75");
    s.wait_text("[data-test=total]", "the total", |t| t.starts_with("0,75"));
    s.screenshot("64-cham-don-vi-dot-xuat");

    // ---- rename and merge, with the history ---------------------------------------------
    s.click_css("[data-test=nav-plan]");
    wait_rows(&s, 15);
    press(
        &s,
        "[data-test=unit-row][data-unit='xã Đông Khê'] [data-test=unit-manage]",
    );
    s.wait_text("[data-test=unit-history]", "no history yet", |t| {
        t.contains("Chưa đổi tên")
    });
    s.fill("[data-test=rename-name]", "xã Hạ Lang");
    press(&s, "[data-test=rename-go]");
    let msg = s.wait_text("[data-test=unit-card-error]", "a name taken", |t| !t.is_empty());
    assert_eq!(msg, "Đã có đơn vị «xã Hạ Lang».");
    s.fill("[data-test=rename-name]", "xã Đông Khê Thượng");
    s.fill("[data-test=rename-date]", "01/12/2026");
    press(&s, "[data-test=rename-go]");
    s.wait_text("[data-test=unit-history]", "the rename", |t| {
        t.contains("Đổi tên «xã Đông Khê» thành «xã Đông Khê Thượng» từ ngày 01/12/2026")
    });
    until(&s, "the renamed row", || {
        rows(&s).contains(&"xã Đông Khê Thượng".to_string())
    });
    s.screenshot("65-doi-ten-don-vi");
    press(&s, "[data-test=merge-with][data-unit='xã Đoài Dương']");
    s.fill("[data-test=merge-name]", "xã Đông Khê Đoài Dương");
    press(&s, "[data-test=merge-go]");
    s.wait_text("[data-test=unit-history]", "the merge", |t| {
        t.contains("Hình thành từ sáp nhập «xã Đông Khê Thượng»")
            && t.contains("Hình thành từ sáp nhập «xã Đoài Dương»")
    });
    // The old units keep their inspections; the old one's history says where it went.
    press(
        &s,
        "[data-test=unit-row][data-unit='xã Đoài Dương'] [data-test=unit-manage]",
    );
    s.wait_text("[data-test=unit-history]", "merged into", |t| {
        t.contains("Sáp nhập vào «xã Đông Khê Đoài Dương»")
    });
    s.screenshot("66-sap-nhap-don-vi");

    // ---- checklist versions: list, export, import an edited one, a refused one ----------
    s.click_css("[data-test=nav-settings]");
    s.wait("[data-test=template][data-kind=xa]");
    press(&s, "[data-test=template][data-kind=xa] [data-test=template-export]");
    s.wait_text("[data-test=notice]", "exported", |t| {
        t.starts_with("Đã xuất bộ tiêu chí")
    });
    let source = std::fs::read_to_string(&export).unwrap();
    assert!(source.contains("version = \"2026.1\""), "the file as imported");
    let edited = source
        .replace("version = \"2026.1\"", "version = \"2026.1-cao-bang\"")
        .replace(
            "Ban hành kế hoạch CCHC năm của UBND xã\"",
            "Ban hành kế hoạch CCHC năm của UBND xã (theo hướng dẫn của tỉnh)\"",
        );
    assert_ne!(edited, source);
    std::fs::write(&import, &edited).unwrap();
    press(&s, "[data-test=template-import]");
    s.wait_text("[data-test=notice]", "imported", |t| {
        t.starts_with("Đã nhập bộ tiêu chí") && t.contains("phiên bản 2026.1-cao-bang")
    });
    let listed = s.text(&s.wait("[data-test=template][data-version='2026.1-cao-bang']"));
    assert!(listed.contains("đang dùng"), "{listed}");
    s.screenshot("67-nhap-bo-tieu-chi");
    // A broken item: refused naming the item and field; nothing added.
    let before = s.find_all("[data-test=template]").len();
    std::fs::write(
        &import,
        edited
            .replace("version = \"2026.1-cao-bang\"", "version = \"2026.2-cao-bang\"")
            .replacen("max = 0.75", "max = 0.7", 1),
    )
    .unwrap();
    press(&s, "[data-test=template-import]");
    let msg = s.wait_text("[data-test=template-error]", "the refusal", |t| !t.is_empty());
    assert!(
        msg.starts_with("Bộ tiêu chí không hợp lệ: mục «1.1.1», trường «max»"),
        "{msg}"
    );
    assert_eq!(s.find_all("[data-test=template]").len(), before);
    s.screenshot("68-bo-tieu-chi-tu-choi");

    // A new unit now starts on the province's version.
    s.click_css("[data-test=nav-plan]");
    s.click_css("[data-test=unit-new-open]");
    s.fill("[data-test=nu-name]", "xã Thông Nông");
    s.click_css("[data-test=nu-unannounced]");
    s.click_css("[data-test=unit-new-add]");
    s.wait_text("[data-test=notice]", "added", |t| {
        t.starts_with("Đã thêm «xã Thông Nông» vào kế hoạch.")
    });
    press(&s, "[data-test=unit-row][data-unit='xã Thông Nông'] strong");
    s.wait_text("[data-test=unit-name]", "the unit", |t| t == "xã Thông Nông");
    let v = s.text(&s.wait(".head .muted.small"));
    assert!(v.ends_with("phiên bản 2026.1-cao-bang"), "{v}");
    s.screenshot("69-don-vi-bo-tieu-chi-moi");
    s.quit();
}

fn fold_ok(text: &str, want: &str) -> bool {
    kiemtra_core::text::fold(text).contains(&kiemtra_core::text::fold(want))
}
