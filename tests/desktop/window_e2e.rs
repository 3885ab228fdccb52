//! Issue 15's window, tried as a new inspector would at 1366×768: undo after a document
//! edit, a refused value kept in its field, the keyboard (focus on the first criterion, ↓ on
//! a level, Enter on a recommendation), the checks an inspector welcomes, the window's size
//! and nothing cut. Screenshots 50–59 go to tests/artifacts/.

use crate::e2e::{fill_and_leave, open_app, open_ha_lang, wait_pages};
use crate::elements::{ENTER, TAB};
use crate::support::start_driver;
use crate::webdriver::Session;

/// Ctrl+Z pressed in the element (WebDriver's Control key, then the null key releasing it).
const CTRL_Z: &str = "\u{E009}z\u{E000}";

fn wait_focus(s: &Session, want: &str) {
    let start = std::time::Instant::now();
    loop {
        let f = s.focused();
        if f == want {
            return;
        }
        if start.elapsed() > std::time::Duration::from_secs(10) {
            s.screenshot(&format!("failure-focus-{want}"));
            panic!("focus on «{f}», not on «{want}»");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Scroll an element to the middle of the window (clear of the sticky top bar).
fn show(s: &Session, css: &str) {
    s.wait(css);
    s.script(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
        serde_json::json!([css]),
    );
}

#[test]
fn undo_reverts_a_document_edit_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let d = start_driver(&dir.path().join("kiemtra.sqlite3"), &[]);
    let s = open_app(&d);
    open_ha_lang(&s);
    s.click_css("[data-test=tab-documents]");
    s.click_css("[data-test=doc-kind-thong_bao]");
    wait_pages(&s);
    show(&s, "[data-test=doc-closing]");
    let closing = s.find("[data-test=doc-closing]").unwrap();
    let generated = s.value(&closing);
    assert!(generated.starts_with("Trên đây"), "{generated}");
    s.wait_text("[data-test=doc-source-closing]", "generated", |t| {
        t == "tự động theo dữ liệu"
    });

    // «Hoàn tác» after an edit: the generated text is back, and stays back when the field
    // is visited and left again.
    let mine = "Đề nghị UBND xã Hạ Lang nghiêm túc thực hiện các kiến nghị trên./.";
    fill_and_leave(&s, "[data-test=doc-closing]", mine);
    s.wait_text("[data-test=doc-source-closing]", "the user's", |t| t == "do bạn sửa");
    s.click_css("[data-test=undo]");
    s.wait_text("[data-test=notice]", "the undo", |t| {
        t.contains("Đã hoàn tác: sửa văn bản")
    });
    s.wait_value("[data-test=doc-closing]", &generated);
    s.wait_text("[data-test=doc-source-closing]", "generated again", |t| {
        t == "tự động theo dữ liệu"
    });
    s.click_css("[data-test=doc-closing]");
    s.type_keys(&s.find("[data-test=doc-closing]").unwrap(), TAB);
    std::thread::sleep(std::time::Duration::from_millis(500));
    s.wait_value("[data-test=doc-closing]", &generated);
    s.wait_text("[data-test=doc-source-closing]", "not saved again", |t| {
        t == "tự động theo dữ liệu"
    });

    // Ctrl+Z after an edit, pressed where the focus went (the next field, untouched).
    fill_and_leave(&s, "[data-test=doc-closing]", mine);
    s.wait_text("[data-test=doc-source-closing]", "the user's", |t| t == "do bạn sửa");
    let next = s.focused();
    assert_eq!(next, "doc-recipients");
    s.type_keys(&s.find("[data-test=doc-recipients]").unwrap(), CTRL_Z);
    s.wait_value("[data-test=doc-closing]", &generated);
    s.wait_text("[data-test=doc-source-closing]", "generated again", |t| {
        t == "tự động theo dữ liệu"
    });
    s.type_keys(&s.find("[data-test=doc-recipients]").unwrap(), TAB);
    std::thread::sleep(std::time::Duration::from_millis(500));
    s.wait_value("[data-test=doc-closing]", &generated);
    s.wait_text("[data-test=doc-source-closing]", "not saved again", |t| {
        t == "tự động theo dữ liệu"
    });
    s.screenshot("50-hoan-tac-van-ban");
    s.quit();
}

#[test]
fn a_refused_value_stays_in_its_field_with_the_message_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = start_driver(&dir.path().join("kiemtra.sqlite3"), &[]);
    let s = open_app(&d);
    open_ha_lang(&s);
    let page_top = || {
        s.script(
            "return document.querySelector('main').getBoundingClientRect().top + window.scrollY;",
            serde_json::json!([]),
        )
        .as_f64()
        .unwrap()
    };
    let top_before = page_top();

    // 1.4.1 is worth at most 0,5: 5 is refused, and stays where it was typed, marked, with
    // the focus in it (Enter had moved on) and the core's message under it.
    let team = "[data-test='team-1.4.1']";
    s.fill(team, "5");
    s.type_keys(&s.find(team).unwrap(), ENTER);
    let beside = s.wait_text("[data-test=field-error]", "the message beside the field", |t| {
        !t.is_empty()
    });
    assert!(beside.contains("1.4.1") && beside.contains("0,5"), "{beside}");
    s.wait_value(team, "5");
    wait_focus(&s, "team-1.4.1");
    let f = s.find(team).unwrap();
    assert_eq!(s.attr(&f, "aria-invalid").as_deref(), Some("true"));
    assert!(s.attr(&f, "class").unwrap_or_default().contains("invalid"));
    assert_eq!(
        s.text(&s.find("[data-test='score-1.4.1']").unwrap()),
        "",
        "nothing was scored"
    );
    // The message is under the field, not elsewhere on the page.
    let (field, bubble) = {
        let r = s.script(
            "const f = document.querySelector(arguments[0]).getBoundingClientRect(); \
             const b = document.querySelector('[data-test=field-error]').getBoundingClientRect(); \
             return [f.left, f.bottom, b.left, b.top];",
            serde_json::json!([team]),
        );
        let v: Vec<f64> = r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
        ((v[0], v[1]), (v[2], v[3]))
    };
    assert!(
        (bubble.1 - field.1).abs() < 12.0 && (bubble.0 - field.0).abs() < 300.0,
        "field {field:?}, message {bubble:?}"
    );
    // The banner overlays the page: nothing below the top bar moved down.
    s.wait("[data-test=error]");
    assert!(
        (page_top() - top_before).abs() < 1.0,
        "the page moved from {top_before} to {}",
        page_top()
    );
    s.screenshot("51-gia-tri-bi-tu-choi");

    // Typing again takes the mark away; a right value is saved.
    s.fill(team, "0,5");
    assert!(s.find_all("[data-test=field-error]").is_empty());
    s.type_keys(&s.find(team).unwrap(), TAB);
    s.wait_text("[data-test='score-1.4.1']", "0,5", |t| t == "0,5");
    let f = s.find(team).unwrap();
    assert_eq!(s.attr(&f, "aria-invalid").unwrap_or_default(), "");
    s.quit();
}
