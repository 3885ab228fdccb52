//! The real app, end to end: the release-shaped binary in a real window under Xvfb, driven
//! through tauri-driver and WebKitWebDriver, on a fresh temporary data folder. An inspector
//! opens xã Hạ Lang, scores, enters figures, writes a finding and a recommendation, is
//! refused a wrong score, undoes a change, prints the Thông báo as a draft, is refused
//! issuing it while the plan has no number, completes the plan and the team, issues it, closes
//! the app and finds everything again.
//! Screenshots of every screen go to tests/artifacts/ (or $KIEMTRA_ARTIFACTS).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::elements::{ENTER, TAB};
use crate::support::{start_driver, Driver};
use crate::webdriver::Session;

/// The app, its window the size of the laptop screen it is made for (1366×768).
pub(crate) fn open_app(d: &Driver) -> Session {
    let t = Instant::now();
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    s.wait("[data-test=unit-filter]");
    eprintln!("app open in {:?}", t.elapsed());
    laptop_screen(&s);
    s
}

/// The window at 1366×768.
pub(crate) fn laptop_screen(s: &Session) {
    crate::webdriver::call(
        "POST",
        &s.url("/window/rect"),
        Some(serde_json::json!({"x": 0, "y": 0, "width": 1366, "height": 768})),
    )
    .unwrap();
    let start = Instant::now();
    while s.script("return window.innerWidth;", serde_json::json!([])).as_f64() != Some(1366.0) {
        assert!(start.elapsed() < Duration::from_secs(10), "the window was not resized");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(crate) fn open_ha_lang(s: &Session) {
    s.click_css("[data-test=nav-plan]");
    s.fill("[data-test=unit-filter]", "ha lang");
    // Typing without diacritics leaves exactly xã Hạ Lang.
    let start = Instant::now();
    loop {
        let rows = s.find_all("[data-test=unit-row]");
        if rows.len() == 1 {
            // Its number in the plan stays 11 while the list is filtered.
            let text = s.text(&rows[0]);
            assert!(text.starts_with("11") && text.contains("xã Hạ Lang"), "{text}");
            break;
        }
        if start.elapsed() > Duration::from_secs(10) {
            s.screenshot("failure-filter");
            let f = s.find("[data-test=unit-filter]").unwrap();
            panic!("filter «{}» left {} rows", s.value(&f), rows.len());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let f = s.find("[data-test=unit-filter]").unwrap();
    s.type_keys(&f, ENTER);
    s.wait_text("[data-test=unit-name]", "xã Hạ Lang", |t| t == "xã Hạ Lang");
}

/// Wait until the Văn bản tab's preview has drawn the current PDF; the number of pages.
pub(crate) fn wait_pages(s: &Session) -> usize {
    s.wait("[data-test=doc-preview][data-state=ready]");
    let drawn = s.script(
        "return Array.from(document.querySelectorAll('[data-test=doc-page]'))\
         .filter((i) => i.complete && i.naturalWidth > 1000 && i.naturalHeight > i.naturalWidth).length;",
        serde_json::json!([]),
    );
    let drawn = drawn.as_u64().unwrap_or(0) as usize;
    let head = s.text(&s.find("[data-test=doc-preview] .preview-head").unwrap());
    assert!(drawn >= 1, "no page drawn (preview: «{head}»)");
    assert!(
        head.contains(&format!("{drawn} trang")),
        "{drawn} pages drawn, preview says «{head}»"
    );
    drawn
}

/// Print through the system dialog to a file and check what came out: one A4 sheet per
/// page of the document, each page's image at the scale it was drawn (180 dpi), so the
/// sheet is the PDF page 1:1. Opt-in (KIEMTRA_E2E_PRINT=1): it presses the dialog's keys
/// with xdotool (Tab, Down, Return picks the first printer, which must be "Print to File":
/// a machine without printers, such as CI), and GTK writes output.pdf in the app's folder.
fn print_to_file(s: &Session, d: &Driver, dir: &Path, pages: usize) {
    let xdotool = |args: &[&str]| {
        std::process::Command::new("xdotool")
            .env("DISPLAY", &d.display)
            .args(args)
            .output()
            .expect("xdotool (apt install xdotool) for KIEMTRA_E2E_PRINT")
    };
    let out = dir.join("output.pdf");
    let _ = std::fs::remove_file(&out);
    s.script("window.scrollTo(0, 0);", serde_json::json!([]));
    s.click_css("[data-test=doc-print]");
    let start = Instant::now();
    while xdotool(&["search", "--name", "^(Print|In)$"]).stdout.is_empty() {
        assert!(start.elapsed() < Duration::from_secs(10), "no print dialog");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    s.screenshot("13-hop-thoai-in");
    xdotool(&[
        "search",
        "--name",
        "^(Print|In)$",
        "windowfocus",
        "--sync",
        "key",
        "--delay",
        "300",
        "Tab",
        "Down",
        "Return",
    ]);
    let tool = |cmd: &str, args: &[&str]| {
        let o = std::process::Command::new(cmd).args(args).output().expect(cmd);
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let start = Instant::now();
    let info = loop {
        let info = tool("pdfinfo", &[out.to_str().unwrap()]);
        if info.contains("Pages:") {
            break info;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "nothing printed to {}",
            out.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(info.contains("595 x 842 pts (A4)"), "{info}");
    assert!(
        info.contains(&format!("Pages:           {pages}\n")),
        "{pages} pages expected: {info}"
    );
    let images = tool("pdfimages", &["-list", out.to_str().unwrap()]);
    let ppi: Vec<&str> = images
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(12))
        .collect();
    assert_eq!(ppi, vec!["180"; pages], "{images}");
}

/// Type into a field and leave it (Tab), which saves it; wait for the saved indicator.
pub(crate) fn fill_and_leave(s: &Session, css: &str, text: &str) {
    s.fill(css, text);
    s.type_keys(&s.find(css).unwrap(), TAB);
    s.wait_text("[data-test=save-state]", "saved", |t| t.contains("Đã lưu"));
}

#[test]
fn an_inspection_in_the_real_window_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    let d = start_driver(&db, &[]);

    // ---- first run: a fresh data folder gets the sample plan ---------------------------
    let s = open_app(&d);
    s.wait_text("[data-test=plan-title]", "the 2026 plan", |t| t.contains("năm 2026"));
    assert_eq!(
        s.find_all("[data-test=unit-row]").len(),
        14,
        "the sample plan lists 14 units"
    );
    s.screenshot("01-ke-hoach");

    open_ha_lang(&s);

    // Two criteria scored: one by its level, one by the team's own score.
    s.select("[data-test='status-1.1.1']", "dung_han");
    s.wait_text("[data-test='score-1.1.1']", "0,75", |t| t == "0,75");
    s.fill("[data-test='team-1.4.1']", "0,5");
    s.type_keys(&s.find("[data-test='team-1.4.1']").unwrap(), ENTER);
    s.wait_text("[data-test='score-1.4.1']", "0,5", |t| t == "0,5");
    s.wait_text("[data-test=save-state]", "saved", |t| t.contains("Đã lưu"));
    s.wait_text("[data-test=area-1]", "area 1 = 1,25", |t| t.contains("1,25"));
    s.wait_text("[data-test=total]", "total 1,25", |t| t.starts_with("1,25"));

    // A score above the maximum is refused with a Vietnamese message; the score stays, the
    // value typed stays in the field to be corrected (window_e2e.rs looks closer).
    s.fill("[data-test='team-1.4.1']", "5");
    s.type_keys(&s.find("[data-test='team-1.4.1']").unwrap(), ENTER);
    let msg = s.wait_text("[data-test=error]", "a refusal", |t| !t.is_empty());
    assert!(msg.contains("1.4.1") && msg.contains("0,5"), "message: {msg}");
    assert!(msg
        .chars()
        .any(|c| "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ".contains(c)));
    s.wait_value("[data-test='team-1.4.1']", "5");
    s.wait_text("[data-test='score-1.4.1']", "still 0,5", |t| t == "0,5");
    s.screenshot("02-tieu-chi-tu-choi");

    // Undo: a self score entered by mistake is taken back.
    s.fill("[data-test='self-1.4.1']", "0,25");
    s.type_keys(&s.find("[data-test='self-1.4.1']").unwrap(), ENTER);
    s.wait_text("[data-test=save-state]", "saved", |t| t.contains("Đã lưu"));
    s.wait_value("[data-test='self-1.4.1']", "0,25");
    s.click_css("[data-test=undo]");
    s.wait_text("[data-test=notice]", "the undo notice", |t| {
        t.contains("Đã hoàn tác: chấm tiêu chí")
    });
    s.wait_value("[data-test='self-1.4.1']", "");
    s.wait_text("[data-test='score-1.4.1']", "the team score kept", |t| t == "0,5");
    s.screenshot("03-tieu-chi");

    // Figures: the derived rate and the rule-computed score follow at once.
    s.click_css("[data-test=tab-figures]");
    s.fill("[data-test=figure-ho_so_tiep_nhan]", "1.081");
    s.type_keys(&s.find("[data-test=figure-ho_so_tiep_nhan]").unwrap(), ENTER);
    s.fill("[data-test=figure-ho_so_truc_tuyen]", "433");
    s.type_keys(&s.find("[data-test=figure-ho_so_truc_tuyen]").unwrap(), ENTER);
    s.wait_text("[data-test=rate-ty_le_truc_tuyen]", "40,1 %", |t| t.contains("40,1 %"));
    s.wait_value("[data-test=figure-ho_so_tiep_nhan]", "1.081");
    s.screenshot("04-so-lieu");
    // Rules scored from the figures add to the total shown in the header.
    let total = s.wait_text("[data-test=total]", "a total above 1,25", |t| !t.starts_with("1,25 "));
    let total = total.split(" /").next().unwrap().trim().to_string();

    // A finding and a numbered recommendation with owner and deadline.
    s.click_css("[data-test=tab-findings]");
    s.select("[data-test=finding-kind]", "ton_tai");
    s.fill(
        "[data-test=finding-text]",
        "Chưa niêm yết công khai đầy đủ thủ tục hành chính tại bộ phận một cửa",
    );
    s.click_css("[data-test=finding-add]");
    s.wait_text("[data-test=finding]", "the finding", |t| t.contains("tồn tại"));
    // Its cause: a Thông báo is not issued without one.
    s.select("[data-test=finding-kind]", "nguyen_nhan");
    s.fill(
        "[data-test=finding-text]",
        "Công chức một cửa kiêm nhiệm, chưa được bố trí thời gian cập nhật thủ tục",
    );
    s.click_css("[data-test=finding-add]");
    s.wait_text("[data-test=tab-findings]", "two findings", |t| {
        t.starts_with("Nhận xét (2)")
    });
    s.fill(
        "[data-test=rec-text]",
        "Niêm yết đầy đủ, kịp thời các thủ tục hành chính",
    );
    s.fill("[data-test=rec-owner]", "Văn phòng HĐND và UBND xã");
    s.fill("[data-test=rec-deadline]", "31/12/2026");
    s.click_css("[data-test=rec-add]");
    s.wait_text("[data-test=recommendation]", "recommendation 1", |t| t.starts_with('1'));
    s.screenshot("05-nhan-xet-kien-nghi");

    // The Thông báo, drawn as the PDF it prints: a draft that cannot be issued while the
    // plan has no number.
    s.click_css("[data-test=tab-documents]");
    s.click_css("[data-test=doc-kind-thong_bao]");
    s.wait_text("[data-test=doc-status]", "a draft", |t| t == "dự thảo (phiên bản 1)");
    let missing = s.wait_text("[data-test=doc-missing]", "what is missing", |t| {
        t.contains("số kế hoạch")
    });
    assert!(missing.contains("số quyết định thành lập đoàn"), "{missing}");
    // The recommendation's deadline gives the report date; the team gives the signer.
    assert!(
        !missing.contains("hạn báo cáo") && !missing.contains("người ký"),
        "{missing}"
    );
    let draft_pages = wait_pages(&s);
    // The number field is empty, with no grey example that looks filled in.
    let number = s.find("[data-test=doc-number]").unwrap();
    assert_eq!(s.value(&number), "");
    assert_eq!(s.attr(&number, "placeholder").unwrap_or_default(), "");
    // «Ban hành…» without a number names everything missing at once, the number with the
    // plan's and the decision's, before anything is asked.
    s.click_css("[data-test=doc-issue]");
    let lacking = s.wait_text("[data-test=doc-issue-missing]", "everything missing", |t| {
        t.contains("số văn bản")
    });
    assert!(
        lacking.contains("số kế hoạch") && lacking.contains("số quyết định thành lập đoàn"),
        "{lacking}"
    );
    assert!(
        s.find_all("[data-test=doc-confirm]").is_empty(),
        "asked to confirm while data is missing"
    );
    s.fill("[data-test=doc-number]", "5");
    s.fill("[data-test=doc-date]", "20/10/2026");
    s.click_css("[data-test=doc-issue]");
    let lacking = s.wait_text("[data-test=doc-issue-missing]", "what is still missing", |t| {
        t.contains("số kế hoạch")
    });
    assert!(!lacking.contains("số văn bản"), "{lacking}");
    assert!(
        s.find_all("[data-test=doc-confirm]").is_empty(),
        "asked to confirm while data is missing"
    );
    s.wait_text("[data-test=doc-status]", "still a draft", |t| t.starts_with("dự thảo"));
    assert_eq!(s.find_all("[data-test=doc-version]").len(), 1);
    s.screenshot("09-van-ban-du-thao");

    // The other screens, for the record.
    s.click_css("[data-test=nav-ranking]");
    s.wait_text(
        "[data-test=ranking] tbody tr:first-child",
        "xã Hạ Lang ranked first",
        |t| t.starts_with('1') && t.contains("xã Hạ Lang"),
    );
    // Units with nothing scored are not ranked.
    s.wait_text("[data-test=ranking] tbody tr:nth-child(2)", "an unranked unit", |t| {
        t.starts_with('—') && !t.contains('%')
    });
    s.wait("[data-test=chart]");
    s.screenshot("06-xep-hang");
    // The plan and the team, edited in the window.
    s.click_css("[data-test=nav-team]");
    s.wait("[data-test=members]");
    let members = s.find_all("[data-test=member]").len();
    s.fill("[data-test=plan-number]", "125/KH-UBND");
    s.type_keys(&s.find("[data-test=plan-number]").unwrap(), TAB);
    s.wait_text("[data-test=save-state]", "saved", |t| t.contains("Đã lưu"));
    s.fill("[data-test=plan-date]", "31/02/2026");
    s.type_keys(&s.find("[data-test=plan-date]").unwrap(), TAB);
    let msg = s.wait_text("[data-test=error]", "a refused date", |t| !t.is_empty());
    assert!(msg.contains("31/02/2026"), "message: {msg}");
    s.wait_value("[data-test=plan-date]", "31/02/2026");
    s.wait_text("[data-test=field-error]", "the message beside the date", |t| {
        t.contains("31/02/2026")
    });
    s.fill("[data-test=member-name]", "Nông Văn Tuấn");
    s.click_css("[data-test=member-add]");
    s.wait_text("[data-test=members]", "the new member", |t| t.contains("Nông Văn Tuấn"));
    assert_eq!(s.find_all("[data-test=member]").len(), members + 1);
    // What the documents still lack: the plan's date, the team's decision.
    fill_and_leave(&s, "[data-test=plan-date]", "15/09/2026");
    s.wait_value("[data-test=plan-date]", "15/09/2026");
    fill_and_leave(&s, "[data-test=team-decision_number]", "2051/QĐ-UBND");
    fill_and_leave(&s, "[data-test=team-decision_date]", "22/09/2026");
    s.wait_value("[data-test=team-decision_date]", "22/09/2026");
    assert!(s.find_all("[data-test=error]").is_empty());
    s.screenshot("07-ke-hoach-doan");
    s.click_css("[data-test=nav-settings]");
    let dir_shown = s.wait_text("[data-test=data-dir]", "the data folder", |t| !t.is_empty());
    assert_eq!(Path::new(&dir_shown), db.parent().unwrap());
    s.screenshot("08-du-lieu");
    s.click_css("[data-test=nav-plan]");
    s.wait_text(
        "[data-test=unit-row][data-unit='xã Hạ Lang'] [data-test=unit-score]",
        &total,
        |t| t.starts_with(&format!("{total} /")),
    );

    // The Thông báo again: nothing missing now. Its closing rewritten, it is issued as
    // number 5 of 20/10/2026, and the inspection moves on.
    open_ha_lang(&s);
    s.click_css("[data-test=tab-documents]");
    s.click_css("[data-test=doc-kind-thong_bao]");
    s.wait_text("[data-test=doc-status]", "a draft", |t| t.starts_with("dự thảo"));
    wait_pages(&s);
    let missing: Vec<String> = s
        .find_all("[data-test=doc-missing]")
        .iter()
        .map(|e| s.text(e))
        .collect();
    assert!(missing.is_empty(), "nothing should be missing: {missing:?}");
    let closing = "Trên đây là Thông báo kết quả kiểm tra công tác cải cách hành chính năm 2026 tại UBND xã Hạ Lang; \
                   đề nghị UBND xã nghiêm túc thực hiện./.";
    fill_and_leave(&s, "[data-test=doc-closing]", closing);
    s.wait_value("[data-test=doc-closing]", closing);
    s.fill("[data-test=doc-number]", "5");
    s.fill("[data-test=doc-date]", "20/10/2026");
    s.click_css("[data-test=doc-issue]");
    // Nothing is missing, but few criteria are scored and the Biên bản is not signed:
    // issuing asks, listing both, and goes through only when confirmed.
    assert!(s.find_all("[data-test=doc-issue-missing]").is_empty());
    let warnings = s.wait_text("[data-test=doc-warnings]", "the warnings", |t| {
        t.contains("tiêu chí đã chấm")
    });
    assert!(warnings.contains("biên bản kiểm tra chưa ban hành"), "{warnings}");
    s.screenshot("14-van-ban-xac-nhan");
    let confirm = s.find("[data-test=doc-issue-confirm]").unwrap();
    assert_eq!(s.text(&confirm), "Vẫn ban hành");
    s.click(&confirm);
    let status = s.wait_text("[data-test=doc-status]", "issued", |t| t.contains("05/TB-ĐKT"));
    assert!(
        status.starts_with("đã ban hành số 05/TB-ĐKT ngày 20/10/2026"),
        "{status}"
    );
    s.wait_text("[data-test=notice]", "the issue notice", |t| {
        t.starts_with("Đã ban hành")
    });
    s.wait_value("[data-test=inspection-state]", "conclusion_issued");
    let issued_pages = wait_pages(&s);
    assert!(
        (draft_pages..=draft_pages + 1).contains(&issued_pages),
        "draft {draft_pages} pages, issued {issued_pages}"
    );
    let head = s.text(&s.find("[data-test=doc-preview] .preview-head").unwrap());
    assert!(!head.contains("dự thảo"), "{head}");
    s.screenshot("10-van-ban-ban-hanh");
    s.script(
        "document.querySelector('[data-test=doc-versions]').scrollIntoView({block: 'end'});",
        serde_json::json!([]),
    );
    s.screenshot("11-van-ban-nguoi-ky");
    if std::env::var_os("KIEMTRA_E2E_PRINT").is_some() {
        print_to_file(&s, &d, dir.path(), issued_pages);
    }
    s.quit();

    // ---- second run: everything is where it was ---------------------------------------
    let s = open_app(&d);
    open_ha_lang(&s);
    // The unit opens where it was left, on the Thông báo.
    s.wait_text("[data-test=doc-status]", "the issued Thông báo", |t| {
        t.contains("05/TB-ĐKT")
    });
    s.click_css("[data-test=tab-checklist]");
    s.wait_text("[data-test='score-1.1.1']", "0,75", |t| t == "0,75");
    s.wait_value("[data-test='status-1.1.1']", "dung_han");
    s.wait_value("[data-test='team-1.4.1']", "0,5");
    s.wait_value("[data-test='self-1.4.1']", "");
    s.click_css("[data-test=tab-figures]");
    s.wait_value("[data-test=figure-ho_so_tiep_nhan]", "1.081");
    s.wait_text("[data-test=rate-ty_le_truc_tuyen]", "40,1 %", |t| t.contains("40,1 %"));
    s.click_css("[data-test=tab-findings]");
    s.wait_text("[data-test=finding]", "the finding", |t| t.contains("tồn tại"));
    let rec = s.find("[data-test=recommendation] textarea").unwrap();
    assert_eq!(s.value(&rec), "Niêm yết đầy đủ, kịp thời các thủ tục hành chính");
    s.click_css("[data-test=nav-team]");
    s.wait_value("[data-test=plan-number]", "125/KH-UBND");
    s.wait_text("[data-test=members]", "the new member", |t| t.contains("Nông Văn Tuấn"));
    // The issued Thông báo is still issued, and still drawn.
    open_ha_lang(&s);
    s.click_css("[data-test=tab-documents]");
    s.click_css("[data-test=doc-kind-thong_bao]");
    s.wait_text("[data-test=doc-status]", "issued", |t| t.contains("05/TB-ĐKT"));
    wait_pages(&s);
    // The Biên bản, a draft with its own fields.
    s.click_css("[data-test=doc-kind-bien_ban]");
    s.wait_text("[data-test=doc-status]", "a draft", |t| t == "dự thảo (phiên bản 1)");
    s.wait("[data-test=doc-unit_attendees]");
    wait_pages(&s);
    s.screenshot("12-bien-ban");
    s.quit();
}
