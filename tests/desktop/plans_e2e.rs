//! Any plan, any year, any issuing body in the real window (issue 16): Thanh tra tỉnh Cao
//! Bằng's own 2020 inspection (seeds/001) set up through the window's form from the first-run
//! welcome, its Văn phòng and four phòng pasted in, a phòng scored and its Thông báo headed by
//! the agency with the Tổ's own symbol; then the plan picker, a unit taken out of a plan (and
//! one refused), and a closed plan that refuses a change.

use chrono::{TimeZone, Utc};
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::{TeamKind, UnitKind};
use kiemtra_core::plan::NewPlan;
use kiemtra_core::{Ctx, Store};
use serde_json::json;

use crate::elements::{until, wait_rows, ENTER, TAB};
use crate::support::start_driver;
use crate::webdriver::Session;

const PHONG: [&str; 5] = [
    "Văn phòng Thanh tra tỉnh",
    "Phòng Thanh tra kinh tế - xã hội",
    "Phòng Thanh tra giải quyết khiếu nại, tố cáo",
    "Phòng Phòng, chống tham nhũng",
    "Phòng Giám sát, kiểm tra và xử lý sau thanh tra",
];
const TITLE_2020: &str = "Kế hoạch kiểm tra công tác cải cách hành chính năm 2020";

fn value_of(s: &Session, css: &str) -> String {
    s.value(&s.wait(css))
}

#[test]
fn thanh_tra_tinh_sets_up_its_own_inspection_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    let d = start_driver(&db, &[]);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    crate::e2e::laptop_screen(&s);

    // ---- first run: the sample is ready, and the welcome offers a plan of one's own -----
    s.wait_text("[data-test=welcome]", "the welcome", |t| {
        t.contains("Dùng kế hoạch mẫu Cao Bằng 2026") && t.contains("Tạo kế hoạch mới")
    });
    assert_eq!(wait_rows(&s, 14).len(), 14);
    s.screenshot("40-chao-mung");

    // «Dùng kế hoạch mẫu» answers the welcome (and it stays answered: the plan is chosen).
    s.click_css("[data-test=welcome-sample]");
    s.wait_text("[data-test=notice]", "the sample in use", |t| {
        t.starts_with("Đang dùng")
    });
    assert!(s.find_all("[data-test=welcome]").is_empty());

    // ---- the form: refusals keep what was typed ------------------------------------------
    s.click_css("[data-test=plan-new]");
    s.wait("[data-test=new-plan]");
    s.fill("[data-test=np-year]", "2020");
    s.fill("[data-test=np-number]", "22/KH-TTr");
    s.fill("[data-test=np-date]", "09/3/2020");
    s.fill("[data-test=np-issuing_body]", "Thanh tra tỉnh Cao Bằng");
    s.fill("[data-test=np-parent_body]", "UBND tỉnh Cao Bằng");
    s.fill(
        "[data-test=np-legal_bases]",
        &format!(
            "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư{ENTER}\
             Kế hoạch cải cách hành chính năm 2020 của Thanh tra tỉnh"
        ),
    );
    s.select("[data-test=np-team_kind]", "to");
    s.fill(
        "[data-test=np-team_name]",
        "Tổ kiểm tra việc thực hiện nhiệm vụ cải cách hành chính năm 2020",
    );
    s.fill("[data-test=np-decision_number]", "114/QĐ-TTr");
    s.fill("[data-test=np-decision_date]", "24/9/2020");
    s.fill("[data-test=np-decision_signer_title]", "Chánh Thanh tra tỉnh");
    s.fill("[data-test=np-decision_signer]", "Hoàng Văn Minh");
    // No title yet: the core's message beside the form, everything typed still there.
    s.click_css("[data-test=new-plan-create]");
    let msg = s.wait_text("[data-test=new-plan-error]", "the missing title", |t| !t.is_empty());
    assert!(msg.starts_with("Tên kế hoạch không được để trống"), "{msg}");
    assert_eq!(value_of(&s, "[data-test=np-issuing_body]"), "Thanh tra tỉnh Cao Bằng");
    assert_eq!(value_of(&s, "[data-test=np-decision_number]"), "114/QĐ-TTr");
    assert_eq!(value_of(&s, "[data-test=np-team_kind]"), "to");
    // A date that does not exist.
    s.fill("[data-test=np-title]", TITLE_2020);
    s.fill("[data-test=np-date]", "31/02/2020");
    s.click_css("[data-test=new-plan-create]");
    s.wait_text("[data-test=new-plan-error]", "the bad date", |t| {
        t.contains("31/02/2020")
    });
    assert_eq!(value_of(&s, "[data-test=np-title]"), TITLE_2020);
    s.screenshot("41-tao-ke-hoach-tu-choi");
    s.fill("[data-test=np-date]", "09/3/2020");
    s.click_css("[data-test=new-plan-create]");
    let notice = s.wait_text("[data-test=notice]", "the plan made", |t| t.starts_with("Đã lập"));
    assert!(
        notice.starts_with(&format!("Đã lập «{TITLE_2020}»; đây là kế hoạch đang dùng.")),
        "{notice}"
    );
    s.wait_text("[data-test=plan-title]", "the new plan", |t| t == TITLE_2020);
    assert!(s.find_all("[data-test=new-plan]").is_empty(), "the form closed");
    assert!(s.find_all("[data-test=welcome]").is_empty(), "the welcome answered");
    assert!(s.find_all("[data-test=unit-row]").is_empty());
    s.wait_text("[data-test=units-empty]", "an empty plan", |t| {
        t.contains("chưa có đơn vị")
    });
    s.wait_text("[data-test=plan-chip]", "the chip", |t| t == "KH 2020");
    let options = s.script(
        "return Array.from(document.querySelectorAll('[data-test=plan-picker] option')).map((o) => o.textContent);",
        json!([]),
    );
    assert_eq!(options.as_array().unwrap().len(), 2, "{options}");
    s.screenshot("42-ke-hoach-moi");

    // ---- the Văn phòng and four phòng, pasted; a bad line refuses the list -------------
    s.click_css("[data-test=units-open]");
    s.select("[data-test=units-kind]", "phong");
    // Typed line by line (WebDriver's Enter; a pasted list has the same newlines).
    let pasted = PHONG.join(ENTER);
    s.fill(
        "[data-test=units-lines]",
        &format!("{pasted}{ENTER}Ban Quản lý dự án;ban quan ly"),
    );
    s.click_css("[data-test=units-add]");
    let msg = s.wait_text("[data-test=units-error]", "the bad line", |t| !t.is_empty());
    assert!(
        msg.starts_with("Dòng 6: loại đơn vị «ban quan ly» không hợp lệ"),
        "{msg}"
    );
    assert!(s.find_all("[data-test=unit-row]").is_empty(), "nothing added");
    s.screenshot("43-them-don-vi-tu-choi");
    s.fill("[data-test=units-lines]", &pasted);
    s.click_css("[data-test=units-add]");
    s.wait_text("[data-test=notice]", "the units added", |t| {
        t.starts_with("Đã thêm 5 đơn vị")
    });
    assert_eq!(wait_rows(&s, 5), PHONG.to_vec());
    let kinds = s.script(
        "return Array.from(document.querySelectorAll('[data-test=unit-row] .badge')).map((b) => b.textContent.trim());",
        json!([]),
    );
    assert_eq!(kinds, json!(["phòng", "phòng", "phòng", "phòng", "phòng"]));
    s.screenshot("44-don-vi-phong");

    // ---- a phòng scored on the agency's checklist --------------------------------------
    s.click_css(&format!("[data-test=unit-row][data-unit='{}'] strong", PHONG[1]));
    s.wait_text("[data-test=unit-name]", "the phòng", |t| t == PHONG[1]);
    s.select("[data-test='status-1.1']", "day_du");
    s.wait_text("[data-test='score-1.1']", "5", |t| t == "5");
    s.wait_text("[data-test=save-state]", "saved", |t| t.contains("Đã lưu"));
    s.screenshot("45-cham-diem-phong");

    // ---- its Thông báo: the agency's header, the Tổ's own symbol -------------------------
    s.click_css("[data-test=tab-documents]");
    s.click_css("[data-test=doc-kind-thong_bao]");
    s.wait("[data-test=doc-preview][data-state=ready]");
    s.wait_text("[data-test=doc-symbol]", "the Tổ's symbol", |t| t == "/TB-TKT");
    let printed = s
        .script(
            "return Array.from(document.querySelectorAll('[data-test=doc-text] p')).map((p) => p.textContent);",
            json!([]),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(printed[0], "UBND TỈNH CAO BẰNG", "{printed:?}");
    assert_eq!(printed[1], "THANH TRA TỈNH CAO BẰNG", "{printed:?}");
    assert!(
        printed[4].starts_with("Số: ") && printed[4].ends_with("/TB-TKT"),
        "{printed:?}"
    );
    let all = printed.join("\n");
    assert!(all.contains("Kế hoạch số 22/KH-TTr"), "{all}");
    assert!(all.contains("Quyết định số 114/QĐ-TTr"), "{all}");
    assert!(!all.contains("ĐKT"), "{all}");
    s.script("window.scrollTo(0, 0);", json!([]));
    s.screenshot("46-thong-bao-thanh-tra");

    // ---- the team screen: a Tổ, its symbol editable --------------------------------------
    s.click_css("[data-test=nav-team]");
    s.wait_value("[data-test=team-kind]", "to");
    s.wait_value("[data-test=team-symbol]", "TKT");
    s.wait_value("[data-test=team-issuing_body]", "Thanh tra tỉnh Cao Bằng");
    s.wait_text("[data-test=team-heading]", "a Tổ", |t| t == "Tổ kiểm tra");
    s.fill("[data-test=team-symbol]", "TTr");
    s.type_keys(&s.find("[data-test=team-symbol]").unwrap(), TAB);
    s.wait_text("[data-test=save-state]", "saved", |t| t.contains("Đã lưu"));
    s.wait_value("[data-test=team-symbol]", "TTr");
    s.click_css("[data-test=nav-plan]");
    s.click_css(&format!("[data-test=unit-row][data-unit='{}'] strong", PHONG[1]));
    s.click_css("[data-test=tab-documents]");
    s.click_css("[data-test=doc-kind-thong_bao]");
    s.wait_text("[data-test=doc-symbol]", "the symbol set", |t| t == "/TB-TTr");
    s.quit();
}

/// A unit list as a province keeps it in Excel: a header row, then one unit per row.
fn unit_book(path: &std::path::Path, rows: &[&[&str]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

const HEADER: &[&str] = &["Tên đơn vị", "Loại", "Thủ trưởng", "Chức vụ", "Từ ngày", "Đến ngày"];

/// Two plans in one database: the sample, and a 2020 plan of Thanh tra tỉnh with two phòng,
/// one already scored.
fn two_plans(db: &std::path::Path) -> (String, String) {
    let ctx = Ctx::new(Utc.with_ymd_and_hms(2020, 9, 28, 2, 0, 0).unwrap(), "Bế Thị Hà");
    let (mut store, _) = Store::init(db, &ctx).unwrap();
    let (sample, _) = store.load_sample_plan(&ctx).unwrap();
    let made = store
        .create_plan(
            &ctx,
            &NewPlan {
                title: TITLE_2020.into(),
                year: 2020,
                issuing_body: "Thanh tra tỉnh Cao Bằng".into(),
                parent_body: "UBND tỉnh Cao Bằng".into(),
                number: "22/KH-TTr".into(),
                team_kind: Some(TeamKind::To),
                ..Default::default()
            },
        )
        .unwrap();
    let added = store
        .add_units_from_lines(&ctx, &made.plan_id, &PHONG[..2].join("\n"), Some(UnitKind::Phong))
        .unwrap();
    store
        .set_response(
            &ctx,
            &added[1].1,
            "1.1",
            &ResponsePatch {
                status: Some(Some("day_du".into())),
                ..Default::default()
            },
        )
        .unwrap();
    store.use_plan(&sample).unwrap();
    (sample, made.plan_id)
}

#[test]
fn plans_are_picked_units_taken_out_and_a_closed_plan_refuses_changes_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    let (sample, plan_2020) = two_plans(&db);
    // Stands in for the open dialog of «Nhập từ tệp Excel…».
    let book = dir.path().join("danh-sach-don-vi.xlsx");
    let d = start_driver(&db, &[("KIEMTRA_E2E_UNITS_FILE", &book)]);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    crate::e2e::laptop_screen(&s);

    // The sample in use; no welcome (a plan was chosen).
    wait_rows(&s, 14);
    assert!(s.find_all("[data-test=welcome]").is_empty());
    s.wait_value("[data-test=plan-picker]", &sample);

    // ---- the picker switches plans ------------------------------------------------------
    s.select("[data-test=plan-picker]", &plan_2020);
    s.wait_text("[data-test=plan-title]", "the 2020 plan", |t| t == TITLE_2020);
    assert_eq!(wait_rows(&s, 2), PHONG[..2].to_vec());
    s.wait_text("[data-test=notice]", "the plan in use", |t| t.starts_with("Đang dùng"));
    // Every screen follows: the ranking lists the 2020 plan's units.
    s.click_css("[data-test=nav-ranking]");
    s.wait_text("[data-test=ranking] tbody", "the 2020 ranking", |t| {
        t.contains(PHONG[1]) && !t.contains("Hạ Lang")
    });
    s.click_css("[data-test=nav-plan]");
    wait_rows(&s, 2);
    s.screenshot("47-chon-ke-hoach");

    // ---- a unit with something recorded stays; one without leaves ------------------------
    let remove = |unit: &str| {
        s.click_css(&format!(
            "[data-test=unit-row][data-unit='{unit}'] [data-test=unit-remove]"
        ));
        s.wait_text("[data-test=remove-confirm]", "the question", |t| t.contains(unit));
        s.click_css("[data-test=remove-yes]");
    };
    remove(PHONG[1]);
    let msg = s.wait_text("[data-test=error]", "the refusal", |t| !t.is_empty());
    assert!(
        msg.starts_with(&format!("Không thể đưa «{}» ra khỏi kế hoạch: đã ghi", PHONG[1])),
        "{msg}"
    );
    assert_eq!(wait_rows(&s, 2).len(), 2);
    s.screenshot("48-dua-ra-tu-choi");
    remove(PHONG[0]);
    s.wait_text("[data-test=notice]", "the unit taken out", |t| {
        t.starts_with(&format!("Đã đưa «{}» ra khỏi kế hoạch", PHONG[0]))
    });
    assert_eq!(wait_rows(&s, 1), vec![PHONG[1].to_string()]);

    // ---- closed: read-only, a score change refused with the core's message ---------------
    s.click_css("[data-test=plan-close]");
    s.click_css("[data-test=plan-close-yes]");
    s.wait_text("[data-test=plan-closed]", "the closed mark", |t| {
        t == "Kế hoạch đã đóng"
    });
    s.wait_text("[data-test=closed-banner]", "the banner", |t| {
        t.contains("Kế hoạch đã đóng")
    });
    let picker = s.script(
        "return document.querySelector('[data-test=plan-picker]').selectedOptions[0].textContent;",
        json!([]),
    );
    assert!(picker.as_str().unwrap().ends_with("· đã đóng"), "{picker}");
    assert!(s.find_all("[data-test=unit-remove]").is_empty());
    s.click_css(&format!("[data-test=unit-row][data-unit='{}'] strong", PHONG[1]));
    s.wait_value("[data-test='status-1.1']", "day_du");
    s.select("[data-test='status-1.1']", "khong");
    let msg = s.wait_text("[data-test=error]", "the closed refusal", |t| !t.is_empty());
    assert!(msg.starts_with(&format!("Kế hoạch «{TITLE_2020}» đã đóng")), "{msg}");
    s.wait_value("[data-test='status-1.1']", "day_du");
    s.wait_text("[data-test='score-1.1']", "still 5", |t| t == "5");
    // Still printable: its Thông báo is drawn.
    s.click_css("[data-test=tab-documents]");
    s.click_css("[data-test=doc-kind-thong_bao]");
    s.wait("[data-test=doc-preview][data-state=ready]");
    s.click_css("[data-test=tab-checklist]");
    s.script("window.scrollTo(0, 0);", json!([]));
    s.screenshot("49-ke-hoach-da-dong");

    // ---- reopened; back to the sample ----------------------------------------------------
    s.click_css("[data-test=nav-plan]");
    s.click_css("[data-test=plan-reopen]");
    until(&s, "the mark gone", || s.find_all("[data-test=plan-closed]").is_empty());
    assert!(s.find_all("[data-test=closed-banner]").is_empty());

    // ---- units read from an Excel list: a bad row refuses it, naming row and column -------
    unit_book(
        &book,
        &[
            HEADER,
            &["Ban Quản lý dự án", "ban", "", "", "", ""],
            &["Trung tâm Thông tin", "huyện", "", "", "", ""],
        ],
    );
    s.click_css("[data-test=units-open]");
    s.click_css("[data-test=units-xlsx]");
    let msg = s.wait_text("[data-test=units-error]", "the bad row", |t| !t.is_empty());
    assert!(
        msg.contains("Dòng 3, cột B (Loại): loại đơn vị «huyện» không hợp lệ")
            && msg.contains("Không đơn vị nào được thêm"),
        "{msg}"
    );
    assert_eq!(wait_rows(&s, 1).len(), 1);
    unit_book(
        &book,
        &[
            HEADER,
            &[
                "Ban Quản lý dự án",
                "ban",
                "Hà Văn Nam",
                "Trưởng ban",
                "01/10/2020",
                "02/10/2020",
            ],
            &[
                "Trung tâm Thông tin",
                "đơn vị sự nghiệp",
                "Lò Thị Mai",
                "Giám đốc",
                "",
                "",
            ],
        ],
    );
    s.click_css("[data-test=units-xlsx]");
    s.wait_text("[data-test=notice]", "the units read", |t| {
        t.starts_with("Đã thêm 2 đơn vị từ bảng tính")
    });
    // (The table lists units by their schedule.)
    let mut listed = wait_rows(&s, 3);
    listed.sort();
    assert_eq!(listed, vec!["Ban Quản lý dự án", PHONG[1], "Trung tâm Thông tin"]);
    s.wait_text(
        "[data-test=unit-row][data-unit='Ban Quản lý dự án']",
        "its schedule",
        |t| t.contains("01/10 – 02/10/2020"),
    );

    s.select("[data-test=plan-picker]", &sample);
    wait_rows(&s, 14);
    s.quit();

    // The plan in use is stored in the database.
    let store = Store::open(&db).unwrap();
    assert_eq!(store.plan_in_use().unwrap().as_deref(), Some(sample.as_str()));
    assert!(!store.plan(&plan_2020).unwrap().closed);
}
