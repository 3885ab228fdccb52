//! What a văn thư (clerk) rejects at a glance, read back from the PDFs with the layout
//! helpers of `documents.rs` (positioned words from `pdftotext -bbox`, fonts and rules from
//! the content streams): a lead-in line or a heading alone at the foot of a page, a table's
//! lead-in apart from its first rows, a title that breaks inside a word pair or after a
//! preposition, a table cell that splits a word pair, a wrapped recipient under its dash.
//!
//! The page breaks are swept (a finding or the opening grows a line at a time), so every
//! lead-in meets the foot of a page in some step.

use std::path::Path;

use crate::common::Kiemtra;
use crate::documents::{fill_ha_lang, k, ops, s, words, Segment, Shown, Word, MM, PAGE_W};
use kiemtra_core::format::phrases::{break_cost, compound, FORBIDDEN};

const LEFT: f64 = 30.0 * MM;
const RIGHT: f64 = PAGE_W - 15.0 * MM;
const TOP: f64 = 20.0 * MM;

/// One line of text as read back: the words on one page at one height, left to right.
#[derive(Debug, Clone)]
pub(crate) struct TextLine {
    pub(crate) page: usize,
    pub(crate) words: Vec<Word>,
}

impl TextLine {
    pub(crate) fn text(&self) -> String {
        self.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
    }
    fn x0(&self) -> f64 {
        self.words[0].x0
    }
    fn x1(&self) -> f64 {
        self.words.last().unwrap().x1
    }
    fn top(&self) -> f64 {
        self.words.iter().map(|w| w.y0).fold(f64::MAX, f64::min)
    }
    fn bottom(&self) -> f64 {
        self.words.iter().map(|w| w.y1).fold(0.0, f64::max)
    }
    fn first(&self) -> &str {
        &self.words[0].text
    }
    fn last(&self) -> &str {
        &self.words.last().unwrap().text
    }
}

/// A PDF read back once: its words, lines, text operations and rules.
pub(crate) struct Read {
    pub(crate) words: Vec<Word>,
    pub(crate) lines: Vec<TextLine>,
    shown: Vec<Shown>,
    segs: Vec<Segment>,
}

pub(crate) fn read(pdf: &Path) -> Read {
    let words = words(pdf);
    let (shown, segs) = ops(pdf);
    Read {
        lines: text_lines(&words),
        words,
        shown,
        segs,
    }
}

fn is_page_number(w: &Word) -> bool {
    w.y1 < TOP && w.text.chars().all(|c| c.is_ascii_digit())
}

/// The words grouped into lines (same page, bottoms within 1.5 pt), top to bottom; page
/// numbers left out. Columns side by side make one line.
pub(crate) fn text_lines(w: &[Word]) -> Vec<TextLine> {
    let mut sorted: Vec<&Word> = w.iter().filter(|x| !is_page_number(x)).collect();
    sorted.sort_by(|a, b| (a.page, a.y1).partial_cmp(&(b.page, b.y1)).unwrap());
    let mut lines: Vec<TextLine> = Vec::new();
    for x in sorted {
        match lines.last_mut() {
            Some(l) if l.page == x.page && (l.words[0].y1 - x.y1).abs() < 1.5 => l.words.push(x.clone()),
            _ => lines.push(TextLine {
                page: x.page,
                words: vec![x.clone()],
            }),
        }
    }
    for l in &mut lines {
        l.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// One row of a table: its box (from its left and right borders) and the x of its column
/// rules.
#[derive(Debug, Clone)]
struct Row {
    page: usize,
    y0: f64,
    y1: f64,
    xs: Vec<f64>,
}

/// The part of a table drawn on one page: its rows, top to bottom.
#[derive(Debug, Clone)]
struct TablePart {
    page: usize,
    rows: Vec<Row>,
}

impl TablePart {
    fn top(&self) -> f64 {
        self.rows[0].y0
    }
    fn bottom(&self) -> f64 {
        self.rows.last().unwrap().y1
    }
}

/// The tables drawn on each page, from the vertical rules (only table rows draw them):
/// rows whose boxes touch make one table.
fn tables(segs: &[Segment]) -> Vec<TablePart> {
    let mut rows: Vec<Row> = Vec::new();
    for g in segs
        .iter()
        .filter(|g| (g.x0 - g.x1).abs() < 0.1 && (g.y1 - g.y0).abs() > 1.0)
    {
        let (y0, y1) = (g.y0.min(g.y1), g.y0.max(g.y1));
        match rows
            .iter_mut()
            .find(|r| r.page == g.page && (r.y0 - y0).abs() < 0.1 && (r.y1 - y1).abs() < 0.1)
        {
            Some(r) => r.xs.push(g.x0),
            None => rows.push(Row {
                page: g.page,
                y0,
                y1,
                xs: vec![g.x0],
            }),
        }
    }
    for r in &mut rows {
        r.xs.sort_by(f64::total_cmp);
        r.xs.dedup_by(|a, b| (*a - *b).abs() < 0.1);
    }
    rows.sort_by(|a, b| (a.page, a.y0).partial_cmp(&(b.page, b.y0)).unwrap());
    let mut parts: Vec<TablePart> = Vec::new();
    for r in rows {
        match parts.last_mut() {
            Some(t) if t.page == r.page && (t.bottom() - r.y0).abs() < 0.5 => t.rows.push(r),
            _ => parts.push(TablePart {
                page: r.page,
                rows: vec![r],
            }),
        }
    }
    parts
}

/// The line begins a heading: bold, and numbered "I." or "1.".
fn is_heading(l: &TextLine, shown: &[Shown]) -> bool {
    let first = &l.words[0];
    let numbered = first
        .text
        .strip_suffix('.')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || "IVX".contains(c)));
    numbered
        && shown.iter().any(|t| {
            t.page == l.page
                && t.font.ends_with("-Bold")
                && (t.x - first.x0).abs() < 1.0
                && (t.y - first.y1).abs() < 5.0
        })
}

/// No page but the last ends with a lead-in (a line ending in ":", a label such as
/// "Nội dung:") or a heading: what they introduce is on the next page. `what` names the
/// document in the message.
pub(crate) fn lead_ins_at_page_foot(r: &Read, what: &str) -> Vec<String> {
    let mut faults = Vec::new();
    let (w, shown, lines) = (&r.words, &r.shown, &r.lines);
    let pages = w.iter().map(|x| x.page).max().unwrap();
    for p in 1..pages {
        let Some(last) = lines
            .iter()
            .filter(|l| l.page == p)
            .max_by(|a, b| a.bottom().total_cmp(&b.bottom()))
        else {
            continue;
        };
        if last.last().ends_with(':') {
            faults.push(format!(
                "{what}: page {p} ends with the lead-in «{}», and what it introduces is on page {}",
                last.text(),
                p + 1
            ));
        }
        if is_heading(last, shown) {
            faults.push(format!("{what}: page {p} ends with the heading «{}»", last.text()));
        }
    }
    faults
}

/// A table that starts on one page and goes on to the next shows at least its header row
/// and two rows where it starts (a table of three rows or fewer is not split at all).
pub(crate) fn tables_apart_from_their_first_rows(r: &Read, what: &str) -> Vec<String> {
    let mut faults = Vec::new();
    let (w, lines) = (&r.words, &r.lines);
    let parts = tables(&r.segs);
    let pages = w.iter().map(|x| x.page).max().unwrap();
    for t in parts.iter().filter(|t| t.page < pages) {
        let text_above = lines.iter().any(|l| l.page == t.page && l.bottom() < t.top());
        let text_below = lines.iter().any(|l| l.page == t.page && l.top() > t.bottom());
        let next_starts_with_table = parts
            .iter()
            .any(|n| n.page == t.page + 1 && !lines.iter().any(|l| l.page == n.page && l.bottom() < n.top()));
        if text_above && !text_below && next_starts_with_table {
            let first = lines
                .iter()
                .find(|l| l.page == t.page && l.top() > t.top())
                .map(|l| l.text())
                .unwrap_or_default();
            if t.rows.len() < 3 {
                faults.push(format!(
                    "{what}: the table starting «{first}» shows only {} row(s) at the foot of page {} and goes on to page {}",
                    t.rows.len(),
                    t.page,
                    t.page + 1
                ));
            }
        }
    }
    faults
}

/// The centred lines under the type name `title` on page 1 (the summary), in order.
pub(crate) fn summary_lines(r: &Read, title: &str) -> Vec<TextLine> {
    let lines = &r.lines;
    let mid = (LEFT + RIGHT) / 2.0;
    let start = lines
        .iter()
        .position(|l| l.page == 1 && l.text() == title)
        .unwrap_or_else(|| panic!("no line «{title}» on page 1"));
    lines[start + 1..]
        .iter()
        .take_while(|l| l.page == 1 && ((l.x0() + l.x1()) / 2.0 - mid).abs() < 3.0)
        .cloned()
        .collect()
}

/// The summary breaks between phrases: never inside a listed word pair ("hành | chính"),
/// after a preposition or a prefix ("tại |", "xã | Hạ Lang"), nor inside a name.
pub(crate) fn assert_summary_breaks_between_phrases(r: &Read, title: &str, what: &str) -> usize {
    let lines = summary_lines(r, title);
    assert!(!lines.is_empty(), "{what}: no summary under «{title}»");
    let shown: Vec<String> = lines.iter().map(|l| l.text()).collect();
    for pair in lines.windows(2) {
        let (a, b) = (pair[0].last(), pair[1].first());
        let cost = break_cost(a, b, false);
        assert!(
            cost < FORBIDDEN,
            "{what}: the summary breaks inside «{a} {b}»: {shown:?}"
        );
        assert!(
            cost < 400.0,
            "{what}: the summary breaks after «{a}», before «{b}»: {shown:?}"
        );
    }
    lines.len()
}

/// No cell of any table (header or body) splits a listed word pair over two lines.
/// Returns every cell line, for the caller to check what was printed.
pub(crate) fn assert_table_cells_keep_word_pairs(r: &Read, what: &str) -> Vec<String> {
    let w = &r.words;
    let mut cell_lines = Vec::new();
    for t in tables(&r.segs) {
        for r in &t.rows {
            for c in r.xs.windows(2) {
                let inside: Vec<Word> = w
                    .iter()
                    .filter(|x| x.page == r.page && x.x0 >= c[0] && x.x1 <= c[1] && x.y0 >= r.y0 && x.y1 <= r.y1)
                    .cloned()
                    .collect();
                let lines = text_lines(&inside);
                for pair in lines.windows(2) {
                    let (a, b) = (pair[0].last(), pair[1].first());
                    assert!(
                        !compound(a, b),
                        "{what}: a table cell on page {} breaks «{a} {b}»: «{}» / «{}»",
                        r.page,
                        pair[0].text(),
                        pair[1].text()
                    );
                }
                cell_lines.extend(lines.iter().map(|l| l.text()));
            }
        }
    }
    cell_lines
}

/// Nơi nhận: every dashed line's text starts at one x, and a recipient that wraps goes on
/// under its text, not under the dash. Returns how many lines wrapped.
pub(crate) fn assert_recipients_hang(r: &Read, what: &str) -> usize {
    let w = &r.words;
    let lines = &r.lines;
    // On the last page, or, for a report with a Phụ lục after its signatures, above it.
    let is_noi = |l: &&TextLine| l.words.windows(2).any(|p| p[0].text == "Nơi" && p[1].text == "nhận:");
    let appendix = lines
        .iter()
        .find(|l| l.words.len() == 2 && l.words[0].text == "PHỤ" && l.words[1].text == "LỤC");
    let pages = match appendix {
        Some(a) => a.page,
        None => w.iter().map(|x| x.page).max().unwrap(),
    };
    let noi = lines
        .iter()
        .find(|l| l.page == pages && is_noi(l))
        .unwrap_or_else(|| panic!("{what}: no «Nơi nhận:» on the last page (or the Phụ lục's first)"));
    let end = appendix
        .filter(|a| a.page == pages)
        .map(|a| a.words[0].y0)
        .unwrap_or(f64::MAX);
    let noi_x = noi.words.iter().find(|x| x.text == "Nơi").unwrap().x0;
    let zone: Vec<Word> = w
        .iter()
        .filter(|x| {
            x.page == pages && x.y0 > noi.bottom() - 0.5 && x.y1 < end && x.x0 < PAGE_W / 2.0 && x.x0 >= noi_x - 0.5
        })
        .cloned()
        .collect();
    let list = text_lines(&zone);
    assert!(!list.is_empty(), "{what}: nothing under «Nơi nhận:»");
    assert_eq!(list[0].first(), "-", "{what}: the first recipient has no dash");
    let text_x: Vec<f64> = list
        .iter()
        .filter(|l| l.first() == "-" && l.words.len() > 1)
        .map(|l| l.words[1].x0)
        .collect();
    let x = text_x[0];
    assert!(
        text_x.iter().all(|t| (t - x).abs() < 0.5),
        "{what}: the recipients' text does not start at one x: {text_x:?}"
    );
    let mut wrapped = 0;
    for l in list.iter().filter(|l| l.first() != "-") {
        wrapped += 1;
        assert!(
            (l.x0() - x).abs() < 1.0,
            "{what}: the wrapped recipient line «{}» starts at {:.1} pt, not under the text at {x:.1} pt (the dash is at {:.1})",
            l.text(),
            l.x0(),
            list[0].x0()
        );
    }
    wrapped
}

fn assert_none(faults: Vec<String>) {
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// Every check a clerk makes on a document's pages.
pub(crate) fn assert_clerk_accepts(pdf: &Path, title: &str, what: &str) {
    let r = read(pdf);
    assert_none(lead_ins_at_page_foot(&r, what));
    assert_none(tables_apart_from_their_first_rows(&r, what));
    assert_summary_breaks_between_phrases(&r, title, what);
    assert_table_cells_keep_word_pairs(&r, what);
    assert_recipients_hang(&r, what);
}

// ---------------------------------------------------------------------------------------

/// About one line of body text more per step.
fn filler(step: usize) -> String {
    (0..step)
        .map(|i| format!("rà soát, bổ sung hồ sơ lần {}, đúng quy định;", i + 1))
        .collect::<Vec<_>>()
        .join(" ")
}

fn pdf_of(k: &Kiemtra, kind: &str, name: &str) -> std::path::PathBuf {
    let pdf = k.path(name);
    let _ = std::fs::remove_file(&pdf);
    k.ok(&["doc", "pdf", "ha lang", "--kind", kind, "--out", s(&pdf)]);
    pdf
}

/// Render the document once per step, with its opening grown by `filler(step)`, and
/// collect what a clerk would reject at the page breaks.
fn sweep_page_breaks(k: &Kiemtra, kind: &str, what: &str, opening: &str, steps: std::ops::Range<usize>) {
    let mut faults = Vec::new();
    for step in steps {
        let grown = opening.replacen("{}", &filler(step), 1);
        k.ok(&["doc", "edit", "ha lang", "--kind", kind, "--opening", &grown]);
        let r = read(&pdf_of(k, kind, "sweep.pdf"));
        let what = format!("{what}, step {step}");
        faults.extend(lead_ins_at_page_foot(&r, &what));
        faults.extend(tables_apart_from_their_first_rows(&r, &what));
    }
    assert_none(faults);
}

/// The Thông báo's opening grows about half a line a step, pushing every page break down
/// through the headings, the lead-ins ("Kết quả theo từng lĩnh vực:", "Đề nghị … các nội
/// dung sau:") and the score and figures tables.
#[test]
fn the_thong_bao_keeps_lead_ins_and_headings_with_what_follows() {
    let k = k();
    fill_ha_lang(&k);
    sweep_page_breaks(
        &k,
        "thong-bao",
        "Thông báo",
        "Thực hiện Kế hoạch kiểm tra công tác cải cách hành chính năm 2026, Đoàn kiểm tra đã làm việc với UBND xã Hạ Lang; {} Đoàn kiểm tra thông báo kết quả như sau:",
        0..64,
    );
}

/// The Biên bản's opening grows, so the foot of page 1 passes "Nội dung:", "2. Đại diện
/// …:", "1. Đoàn kiểm tra:", "Thành phần tham dự:", and later pages' feet the headings and
/// the tables.
#[test]
fn the_bien_ban_keeps_lead_ins_and_headings_with_what_follows() {
    let k = k();
    fill_ha_lang(&k);
    sweep_page_breaks(
        &k,
        "bien-ban",
        "Biên bản",
        "Thực hiện Kế hoạch kiểm tra công tác cải cách hành chính năm 2026, Đoàn kiểm tra làm việc với UBND xã Hạ Lang: {}",
        6..50,
    );
}

#[test]
fn the_summary_breaks_between_phrases() {
    let k = k();
    fill_ha_lang(&k);
    for (name, kinds) in [
        ("xã Hạ Lang", ["thong-bao", "bien-ban"]),
        (
            "thị trấn Hạ Lang, huyện Hạ Lang, tỉnh Cao Bằng",
            ["thong-bao", "bien-ban"],
        ),
        (
            "xã Hạ Lang (hợp nhất thị trấn Thanh Nhật, xã Thị Hoa, xã Việt Chu, xã Cô Ngân và xã An Lạc)",
            ["thong-bao", "bien-ban"],
        ),
    ] {
        k.ok(&["units", "rename", "ha lang", name]);
        for kind in kinds {
            let pdf = pdf_of(&k, kind, "tom-tat.pdf");
            let title = if kind == "thong-bao" {
                "THÔNG BÁO"
            } else {
                "BIÊN BẢN"
            };
            let n = assert_summary_breaks_between_phrases(&read(&pdf), title, &format!("{kind} for {name}"));
            assert!(n >= 2, "{kind} for {name}: the summary fits one line, nothing checked");
        }
    }
}

#[test]
fn table_headers_and_cells_keep_their_word_pairs_whole() {
    let k = k();
    fill_ha_lang(&k);
    for kind in ["thong-bao", "bien-ban"] {
        let pdf = pdf_of(&k, kind, "bang.pdf");
        let cells = assert_table_cells_keep_word_pairs(&read(&pdf), kind);
        // The pairs the issue names are printed, each on one line of its cell.
        for pair in ["tối đa", "tự chấm", "nhà nước", "điện tử"] {
            assert!(
                cells.iter().any(|c| c.contains(pair)),
                "{kind}: «{pair}» is not on one line of a cell: {cells:?}"
            );
        }
    }
}

#[test]
fn a_wrapped_recipient_goes_on_under_its_text() {
    let k = k();
    fill_ha_lang(&k);
    let long = "Ủy ban nhân dân tỉnh Cao Bằng (để báo cáo kết quả kiểm tra công tác cải cách hành chính năm 2026)";
    for kind in ["thong-bao", "bien-ban"] {
        k.ok(&[
            "doc",
            "edit",
            "ha lang",
            "--kind",
            kind,
            "--recipient",
            long,
            "--recipient",
            "UBND xã Hạ Lang",
            "--recipient",
            "Thành viên Đoàn kiểm tra công tác cải cách hành chính năm 2026 của tỉnh",
            "--recipient",
            "Lưu: VT, ĐKT",
        ]);
        let pdf = pdf_of(&k, kind, "noi-nhan.pdf");
        let wrapped = assert_recipients_hang(&read(&pdf), kind);
        assert!(
            wrapped >= 2,
            "{kind}: only {wrapped} recipient line(s) wrapped, nothing checked"
        );
    }
}
