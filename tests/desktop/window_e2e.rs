//! Issue 15's window, tried as a new inspector would at 1366×768: undo after a document
//! edit, a refused value kept in its field, the keyboard (focus on the first criterion, ↓ on
//! a level, Enter on a recommendation), the checks an inspector welcomes, the window's size
//! and nothing cut. Screenshots 50–59 go to tests/artifacts/.

use crate::e2e::{fill_and_leave, laptop_screen, open_app, open_ha_lang, wait_pages};
use crate::elements::{ENTER, TAB};
use crate::support::start_driver;
use crate::webdriver::Session;

/// Ctrl+Z pressed in the element (WebDriver's Control key, then the null key releasing it).
const CTRL_Z: &str = "\u{E009}z\u{E000}";
/// Ctrl+Enter.
const CTRL_ENTER: &str = "\u{E009}\u{E007}\u{E000}";
/// Alt+Shift+2.
const ALT_SHIFT_2: &str = "\u{E00A}\u{E008}2\u{E000}";
const DOWN: &str = "\u{E015}";
const UP: &str = "\u{E013}";

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

#[test]
fn the_keyboard_goes_where_the_inspector_looks() {
    let dir = tempfile::tempdir().unwrap();
    let d = start_driver(&dir.path().join("kiemtra.sqlite3"), &[]);
    let s = open_app(&d);
    open_ha_lang(&s);
    // The unit opens with the focus on its first criterion.
    wait_focus(&s, "status-1.1.1");
    // ↓ on a level goes to the next criterion's level and chooses nothing; ↑ comes back.
    let levels: Vec<String> = s
        .script(
            "return Array.from(document.querySelectorAll('select[data-col=status]')).map((e) => e.dataset.test);",
            serde_json::json!([]),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(levels.len() >= 3, "{levels:?}");
    s.type_keys(&s.find("[data-test='status-1.1.1']").unwrap(), DOWN);
    wait_focus(&s, &levels[1]);
    s.wait_value("[data-test='status-1.1.1']", "");
    s.type_keys(&s.find(&format!("[data-test='{}']", levels[1])).unwrap(), DOWN);
    wait_focus(&s, &levels[2]);
    s.type_keys(&s.find(&format!("[data-test='{}']", levels[2])).unwrap(), UP);
    wait_focus(&s, &levels[1]);
    s.wait_value(&format!("[data-test='{}']", levels[1]), "");
    // The guides are out of the Tab path.
    let in_tab_path = s.script(
        "return Array.from(document.querySelectorAll('[data-test=checklist] summary')).filter((e) => e.tabIndex >= 0).length;",
        serde_json::json!([]),
    );
    assert_eq!(in_tab_path.as_u64(), Some(0));
    // Another area: the focus is on its first criterion (by a click, and by Alt+Shift+number).
    s.click_css("[data-test=area-3]");
    let first3 = s
        .script(
            "return document.querySelector('[data-test=checklist] tr[data-test^=\"item-\"] :is(select, input):not(:disabled)').dataset.test;",
            serde_json::json!([]),
        )
        .as_str()
        .unwrap()
        .to_string();
    assert!(first3.ends_with("-3.1.1"), "{first3}");
    wait_focus(&s, &first3);
    s.type_keys(&s.find(&format!("[data-test='{first3}']")).unwrap(), ALT_SHIFT_2);
    s.wait_text("[data-test=area-2]", "area 2 open", |_| {
        s.find_all("[data-test=area-2].active").len() == 1
    });
    let first2 = s.focused();
    assert!(first2.ends_with("-2.1.1"), "focus on «{first2}»");
    s.screenshot("52-ban-phim-linh-vuc");

    // Enter in the deadline adds a recommendation, as Ctrl+Enter adds a finding; Ctrl+Enter
    // in the recommendation's text too. The focus goes back to the text for the next one.
    s.click_css("[data-test=tab-findings]");
    s.fill(
        "[data-test=rec-text]",
        "Cập nhật đầy đủ thủ tục hành chính lên Cổng dịch vụ công",
    );
    s.fill("[data-test=rec-owner]", "Công chức Văn phòng - Thống kê");
    s.fill("[data-test=rec-deadline]", "30/12/2026");
    s.type_keys(&s.find("[data-test=rec-deadline]").unwrap(), ENTER);
    s.wait_text("[data-test=recommendation]", "recommendation 1", |t| t.starts_with('1'));
    wait_focus(&s, "rec-text");
    s.wait_value("[data-test=rec-text]", "");
    s.fill("[data-test=rec-text]", "Niêm yết công khai thủ tục tại bộ phận một cửa");
    s.type_keys(&s.find("[data-test=rec-text]").unwrap(), CTRL_ENTER);
    s.wait_text("[data-test=tab-findings]", "two recommendations", |t| {
        t.contains("kiến nghị (2)")
    });
    s.screenshot("53-ban-phim-kien-nghi");
    s.quit();
}

#[test]
fn the_window_points_out_what_contradicts_itself() {
    let dir = tempfile::tempdir().unwrap();
    let d = start_driver(&dir.path().join("kiemtra.sqlite3"), &[]);
    let s = open_app(&d);
    open_ha_lang(&s);
    // The level «đúng hạn» gives 1.1.1 0,75; the team types 0,25: both are shown, marked.
    s.select("[data-test='status-1.1.1']", "dung_han");
    s.wait_text("[data-test='score-1.1.1']", "0,75", |t| t == "0,75");
    assert!(s.find_all("[data-test='conflict-1.1.1']").is_empty());
    s.fill("[data-test='team-1.1.1']", "0,25");
    s.type_keys(&s.find("[data-test='team-1.1.1']").unwrap(), TAB);
    let said = s.wait_text("[data-test='conflict-1.1.1']", "the contradiction", |t| !t.is_empty());
    assert!(said.contains("0,25") && said.contains("0,75"), "{said}");
    let team = s.find("[data-test='team-1.1.1']").unwrap();
    assert!(s.attr(&team, "class").unwrap_or_default().contains("conflict"));
    s.screenshot("54-diem-khac-muc-dat");

    // Resolved 100, on time 80, late 15: pointed out beside the figures.
    s.click_css("[data-test=tab-figures]");
    for (key, v) in [
        ("ho_so_da_giai_quyet", "100"),
        ("ho_so_dung_han", "80"),
        ("ho_so_tre_han", "15"),
    ] {
        fill_and_leave(&s, &format!("[data-test=figure-{key}]"), v);
    }
    let w = s.wait_text("[data-test=figure-warnings]", "the figures that disagree", |t| {
        t.contains("khác")
    });
    assert!(w.contains("= 20") && w.contains("(15)"), "{w}");
    s.screenshot("55-so-lieu-khong-khop");
    fill_and_leave(&s, "[data-test=figure-ho_so_tre_han]", "20");
    s.wait_text("[data-test=tab-figures]", "figures agree", |_| {
        s.find_all("[data-test=figure-warnings]").is_empty()
    });

    // A deadline already past asks before the recommendation is added.
    s.click_css("[data-test=tab-findings]");
    s.fill("[data-test=rec-text]", "Bổ sung sổ theo dõi hồ sơ");
    s.fill("[data-test=rec-deadline]", "01/01/2025");
    s.click_css("[data-test=rec-add]");
    let asked = s.wait_text("[data-test=deadline-confirm]", "the question", |t| t.contains("đã qua"));
    assert!(asked.contains("01/01/2025"), "{asked}");
    assert!(
        s.find_all("[data-test=recommendation]").is_empty(),
        "added before it was confirmed"
    );
    s.screenshot("56-han-da-qua");
    s.click_css("[data-test=deadline-confirm-yes]");
    s.wait_text("[data-test=recommendation]", "recommendation 1", |t| t.starts_with('1'));
    assert!(s.find_all("[data-test=deadline-confirm]").is_empty());
    s.quit();
}

/// What is cut on the screen shown: a select whose chosen text, an input whose value or
/// placeholder, a label, button or heading whose text is wider than the room it has. Only
/// what is visible counts (a transparent select under the text it shows does not).
const CUT: &str = r#"
const ctx = document.createElement('canvas').getContext('2d');
const width = (t, el) => {
  const cs = getComputedStyle(el);
  ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  return ctx.measureText(t).width;
};
const shown = (el) => {
  const r = el.getBoundingClientRect();
  const cs = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && Number(cs.opacity) > 0.05;
};
const room = (el, arrow) => {
  const cs = getComputedStyle(el);
  return el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - arrow;
};
const name = (el) => el.dataset.test || el.id || el.getAttribute('aria-label') || el.tagName.toLowerCase();
const cut = [];
for (const el of document.querySelectorAll('select')) {
  if (!shown(el)) continue;
  const t = el.selectedOptions[0]?.text ?? '';
  if (width(t, el) > room(el, 24) + 1) cut.push(`select ${name(el)}: «${t}»`);
}
for (const el of document.querySelectorAll('input:not([type=checkbox]):not([type=radio]):not([type=file]), textarea')) {
  if (!shown(el)) continue;
  if (el.tagName === 'TEXTAREA') {
    if (el.value && el.scrollHeight > el.clientHeight + 2 && el.rows <= 2) cut.push(`textarea ${name(el)}: «${el.value}»`);
    else if (!el.value && el.placeholder && width(el.placeholder, el) > room(el, 0) * Math.max(1, el.rows) + 1) cut.push(`placeholder ${name(el)}: «${el.placeholder}»`);
    continue;
  }
  const t = el.value || el.placeholder;
  if (t && width(t, el) > room(el, el.type === 'number' ? 18 : 0) + 1) cut.push(`${el.value ? 'input' : 'placeholder'} ${name(el)}: «${t}»`);
}
for (const el of document.querySelectorAll('label, button, th, h1, h2, h3, .level-text')) {
  if (!shown(el)) continue;
  if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') cut.push(`${el.tagName.toLowerCase()} ${name(el)}: «${el.textContent.trim()}»`);
}
return cut;
"#;

fn cut_text(s: &Session, screen: &str) -> Vec<String> {
    s.script(CUT, serde_json::json!([]))
        .as_array()
        .unwrap()
        .iter()
        .map(|v| format!("{screen}: {}", v.as_str().unwrap()))
        .collect()
}

#[test]
fn the_window_fits_1366_by_768_and_cuts_no_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = start_driver(&dir.path().join("kiemtra.sqlite3"), &[]);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    s.wait("[data-test=unit-filter]");
    // The window opens within a 1366×768 screen (taskbar and title bar included).
    let rect = crate::webdriver::call("GET", &s.url("/window/rect"), None).unwrap();
    let (w, h) = (rect["width"].as_f64().unwrap(), rect["height"].as_f64().unwrap());
    assert!(w <= 1366.0 && h <= 728.0, "the window opens at {w}×{h}");
    laptop_screen(&s);
    let inner = s.script("return [window.innerWidth, window.innerHeight];", serde_json::json!([]));
    assert_eq!(inner[0].as_f64(), Some(1366.0), "{inner}");
    let mut cut = cut_text(&s, "kế hoạch");
    s.screenshot("57-ke-hoach-1366");

    open_ha_lang(&s);
    // Levels chosen: the longest label of area 1 shown whole.
    s.select("[data-test='status-1.1.1']", "dung_han");
    s.wait_text("[data-test='score-1.1.1']", "0,75", |t| t == "0,75");
    let level = s.wait_text("[data-test='level-text-1.1.1']", "the level", |t| {
        t.starts_with("Ban hành đúng thời hạn")
    });
    assert!(level.ends_with("UBND tỉnh"), "{level}");
    cut.extend(cut_text(&s, "tiêu chí"));
    s.screenshot("58-tieu-chi-1366");
    s.click_css("[data-test=tab-figures]");
    cut.extend(cut_text(&s, "số liệu"));
    s.click_css("[data-test=tab-findings]");
    s.fill("[data-test=rec-text]", "Niêm yết đầy đủ thủ tục hành chính");
    s.fill("[data-test=rec-deadline]", "31/12/2026");
    s.click_css("[data-test=rec-add]");
    s.wait_text("[data-test=recommendation]", "recommendation 1", |t| t.starts_with('1'));
    cut.extend(cut_text(&s, "kiến nghị"));
    s.click_css("[data-test=tab-documents]");
    s.wait_text("[data-test=doc-symbol]", "the Biên bản", |t| t.starts_with("/BB"));
    wait_pages(&s);
    cut.extend(cut_text(&s, "biên bản"));
    s.click_css("[data-test=doc-kind-thong_bao]");
    s.wait_text("[data-test=doc-symbol]", "the Thông báo", |t| t.starts_with("/TB"));
    s.wait_text("[data-test=doc-preview] .preview-head", "its pages drawn", |t| {
        !t.contains("đang dựng")
    });
    wait_pages(&s);
    cut.extend(cut_text(&s, "thông báo"));
    s.screenshot("59-van-ban-1366");
    for (nav, name) in [
        ("nav-followup", "theo dõi"),
        ("nav-team", "kế hoạch & đoàn"),
        ("nav-settings", "cài đặt"),
    ] {
        s.click_css(&format!("[data-test={nav}]"));
        std::thread::sleep(std::time::Duration::from_millis(700));
        cut.extend(cut_text(&s, name));
    }
    // The plan's signer on two lines shows both.
    s.click_css("[data-test=nav-team]");
    let title = s.find("[data-test=plan-signer_title]").unwrap();
    assert_eq!(s.value(&title), "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH");
    assert!(cut.is_empty(), "cut at 1366×768:\n{}", cut.join("\n"));

    // Reopening the unit returns to the tab and the document last used.
    open_ha_lang(&s);
    s.wait("[data-test=doc-preview]");
    s.wait_text("[data-test=doc-kind-thong_bao]", "the Thông báo chosen", |_| {
        s.find_all("[data-test=doc-kind-thong_bao].active").len() == 1
    });
    s.click_css("[data-test=tab-checklist]");
    s.click_css("[data-test=area-4]");
    open_ha_lang(&s);
    s.wait_text("[data-test=area-4]", "area 4 again", |_| {
        s.find_all("[data-test=area-4].active").len() == 1
    });
    s.quit();
}

/// The database file is whole on disk a moment after a change in the window: the
/// write-ahead log is checkpointed into it once the window is quiet, so a data folder copied
/// by hand (without its -wal) holds the change. (Before, the log kept it until the app
/// closed: 1 MB of changes in `-wal` after this session.)
#[test]
fn the_database_file_alone_holds_the_windows_changes_a_moment_later() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    let d = start_driver(&db, &[]);
    let s = open_app(&d);
    // A change: the plan in use is written.
    s.click_css("[data-test=welcome-sample]");
    s.wait_text("[data-test=save-state]", "saved", |t| t.contains("Đã lưu"));
    let wal = dir.path().join("kiemtra.sqlite3-wal");
    let start = std::time::Instant::now();
    while std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 0 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the log still holds {:?} bytes",
            std::fs::metadata(&wal).map(|m| m.len())
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // The file alone, copied by hand while the window is open, holds the change.
    let copy = dir.path().join("chep-tay.sqlite3");
    std::fs::copy(&db, &copy).unwrap();
    let store = kiemtra_core::Store::open(&copy).unwrap();
    assert!(store.plan_in_use().unwrap().is_some(), "the sample is the plan in use");
    s.quit();
}

/// The window opens at the size and place it had when it was last closed (kept in
/// `window-state.json` beside the database by tauri-plugin-window-state).
#[test]
fn the_window_opens_where_it_was_left() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    std::fs::write(
        dir.path().join("window-state.json"),
        r#"{"main":{"width":1100,"height":640,"x":30,"y":40,"prev_x":30,"prev_y":40,"maximized":false,"visible":true,"decorated":true,"fullscreen":false}}"#,
    )
    .unwrap();
    let d = start_driver(&db, &[]);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    s.wait("[data-test=unit-filter]");
    let rect = crate::webdriver::call("GET", &s.url("/window/rect"), None).unwrap();
    // Not the 1280×700 a first start opens at.
    assert_eq!(
        (
            rect["width"].as_f64(),
            rect["height"].as_f64(),
            rect["x"].as_f64(),
            rect["y"].as_f64()
        ),
        (Some(1100.0), Some(640.0), Some(30.0), Some(40.0)),
        "{rect}"
    );
    s.quit();
}
