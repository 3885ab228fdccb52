//! The official documents, driven through `kiemtra doc …` as a team lead would, and checked
//! the way a clerk and a PDF reader see them: `qpdf --check`, `pdffonts` (every font embedded
//! and subset), `pdftotext` (the text comes back exactly), the layout read back from the PDF
//! (positions and sizes with `pdftotext -bbox`, rules and fonts from the content streams with
//! lopdf), and the pages rendered with `pdftoppm` against committed reference images.
//!
//! Set UPDATE_REFERENCE=1 to rewrite the reference images after an intended layout change
//! (then look at them: tests/reference/*.png).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{assert_vietnamese, dump, Kiemtra};
use kiemtra_core::text::nfc;
use serde_json::Value;

/// Every document test runs on the same day (the draft's date line shows the month).
pub(crate) const NOW: &str = "2026-10-16T09:00:00+07:00";

pub(crate) const MM: f64 = 72.0 / 25.4;
pub(crate) const PAGE_W: f64 = 210.0 * MM;
pub(crate) const PAGE_H: f64 = 297.0 * MM;

pub(crate) fn k() -> Kiemtra {
    Kiemtra::ready_at(NOW)
}

pub(crate) fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} is needed for this test (scripts/setup.sh --test installs it): {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

pub(crate) fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Xã Hạ Lang as the team leaves it: figures, scores, findings in three areas, causes and
/// two numbered recommendations.
pub(crate) fn fill_ha_lang(k: &Kiemtra) {
    for (key, v) in [
        ("ho_so_tiep_nhan", "1.081"),
        ("ho_so_truc_tuyen", "434"),
        ("ho_so_da_giai_quyet", "1.068"),
        ("ho_so_dung_han", "924"),
        ("ho_so_dang_giai_quyet", "13"),
        ("ho_so_buu_chinh", "94"),
        ("van_ban_di", "3.601"),
        ("van_ban_ky_so", "3.432"),
    ] {
        k.ok(&["figure", "set", "ha lang", key, v]);
    }
    k.ok(&[
        "checklist",
        "set",
        "ha lang",
        "1.1.1",
        "--status",
        "dung_han",
        "--self",
        "0,75",
    ]);
    k.ok(&["checklist", "set", "ha lang", "1.4.1", "--status", "dat"]);
    for (area, kind, text) in [
        ("1", "dat_duoc", "UBND xã ban hành Kế hoạch cải cách hành chính năm 2026 kịp thời, xác định rõ nhiệm vụ, thời hạn và trách nhiệm của từng bộ phận; tổ chức kiểm tra công tác cải cách hành chính đối với 100 % bộ phận chuyên môn theo kế hoạch."),
        ("3", "dat_duoc", "221 thủ tục hành chính được công khai đầy đủ tại Trung tâm Phục vụ hành chính công; tiếp nhận 1.081 hồ sơ, trong đó 434 hồ sơ trực tuyến (40,1 %)."),
        ("7", "dat_duoc", "3.432 trên 3.601 văn bản đi được ký số (95,3 %); hệ thống quản lý văn bản và điều hành được sử dụng thường xuyên."),
        ("3", "ton_tai", "Tỷ lệ hồ sơ giải quyết đúng hạn mới đạt 86,5 %; một số hồ sơ quá hạn chưa có văn bản xin lỗi người dân."),
        ("3", "nguyen_nhan", "Công chức kiêm nhiệm nhiều việc, chưa thường xuyên theo dõi thời hạn giải quyết trên hệ thống."),
    ] {
        k.ok(&["finding", "add", "ha lang", "--area", area, "--kind", kind, text]);
    }
    k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Rà soát toàn bộ hồ sơ quá hạn, gửi văn bản xin lỗi người dân",
        "--owner",
        "Chủ tịch UBND xã",
        "--deadline",
        "31/12/2026",
        "--area",
        "3",
    ]);
    k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Tăng tỷ lệ văn bản đi được ký số lên 100 %",
        "--owner",
        "Văn phòng HĐND và UBND xã",
        "--deadline",
        "31/03/2027",
    ]);
}

/// What the documents need before they can be issued.
pub(crate) fn complete_plan(k: &Kiemtra) {
    k.ok(&["plan", "set", "--number", "125", "--date", "15/04/2026"]);
    k.ok(&[
        "team",
        "set",
        "--decision-number",
        "1520",
        "--decision-date",
        "08/07/2026",
    ]);
}

// ---------------------------------------------------------------------------------------
// Reading PDFs back

#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub(crate) page: usize,
    pub(crate) text: String,
    pub(crate) x0: f64,
    pub(crate) y0: f64,
    pub(crate) x1: f64,
    pub(crate) y1: f64,
}

/// Words with their boxes (points, origin top left), from `pdftotext -bbox`.
pub(crate) fn words(pdf: &Path) -> Vec<Word> {
    let html = tool("pdftotext", &["-bbox", s(pdf), "-"]);
    let mut out = Vec::new();
    let mut page = 0;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let attr = |name: &str| -> f64 {
                let k = format!("{name}=\"");
                let i = rest.find(&k).unwrap() + k.len();
                rest[i..i + rest[i..].find('"').unwrap()].parse().unwrap()
            };
            let text = &rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()];
            let text = text
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"");
            out.push(Word {
                page,
                text: nfc(&text),
                x0: attr("xMin"),
                y0: attr("yMin"),
                x1: attr("xMax"),
                y1: attr("yMax"),
            });
        }
    }
    out
}

#[derive(Debug, Clone)]
pub(crate) struct Shown {
    pub(crate) page: usize,
    pub(crate) font: String,
    pub(crate) size: f64,
    pub(crate) x: f64,
    pub(crate) y: f64,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    pub(crate) page: usize,
    pub(crate) x0: f64,
    pub(crate) y0: f64,
    pub(crate) x1: f64,
    pub(crate) y1: f64,
}

/// The text-showing operations (font, size, position) and the drawn line segments of every
/// page, from the content streams (y from the top of the page, like pdftotext).
pub(crate) fn ops(pdf: &Path) -> (Vec<Shown>, Vec<Segment>) {
    let doc = lopdf::Document::load(pdf).expect("lopdf reads the file");
    let mut shown = Vec::new();
    let mut segs = Vec::new();
    for (n, (_, page_id)) in doc.get_pages().into_iter().enumerate() {
        let fonts: BTreeMap<Vec<u8>, String> = doc
            .get_page_fonts(page_id)
            .unwrap()
            .into_iter()
            .map(|(k, d)| {
                (
                    k,
                    String::from_utf8_lossy(d.get(b"BaseFont").unwrap().as_name().unwrap()).to_string(),
                )
            })
            .collect();
        let content = lopdf::content::Content::decode(&doc.get_page_content(page_id)).unwrap();
        let (mut font, mut size, mut x, mut y) = (String::new(), 0.0, 0.0, 0.0);
        let mut start = (0.0, 0.0);
        let num = |o: &lopdf::Object| {
            o.as_float()
                .map(|f| f as f64)
                .or_else(|_| o.as_i64().map(|i| i as f64))
                .unwrap()
        };
        for op in content.operations {
            match op.operator.as_str() {
                "Tf" => {
                    font = fonts[op.operands[0].as_name().unwrap()].clone();
                    size = num(&op.operands[1]);
                }
                "Tm" => {
                    x = num(&op.operands[4]);
                    y = PAGE_H - num(&op.operands[5]);
                }
                "Tj" | "TJ" => shown.push(Shown {
                    page: n + 1,
                    font: font.clone(),
                    size,
                    x,
                    y,
                }),
                "m" => start = (num(&op.operands[0]), PAGE_H - num(&op.operands[1])),
                "l" => {
                    let end = (num(&op.operands[0]), PAGE_H - num(&op.operands[1]));
                    segs.push(Segment {
                        page: n + 1,
                        x0: start.0,
                        y0: start.1,
                        x1: end.0,
                        y1: end.1,
                    });
                    start = end;
                }
                _ => {}
            }
        }
    }
    (shown, segs)
}

pub(crate) fn find<'a>(w: &'a [Word], page: usize, text: &str) -> &'a Word {
    w.iter()
        .find(|x| x.page == page && x.text == text)
        .unwrap_or_else(|| panic!("«{text}» not on page {page}"))
}

/// The whole content comes back from the PDF: the words `pdftotext -raw` returns, in order,
/// are the document's words (the repeated header row of a table split across pages and the
/// page numbers are the only additions).
fn assert_text_round_trip(k: &Kiemtra, pdf: &Path, kind: &str) {
    let written: Vec<String> = k
        .ok(&["doc", "text", "ha lang", "--kind", kind])
        .split_whitespace()
        .map(nfc)
        .collect();
    let raw = nfc(&tool("pdftotext", &["-raw", s(pdf), "-"]));
    let read: Vec<String> = raw.split_whitespace().map(|w| w.to_string()).collect();
    let written_set: HashSet<&String> = written.iter().collect();
    // Nothing split, nothing invented: every word read is a word written (or a page number).
    for w in &read {
        assert!(
            written_set.contains(w) || w.chars().all(|c| c.is_ascii_digit()) || w.chars().all(|c| c == '…'),
            "pdftotext returned «{w}», which was not written"
        );
    }
    // Everything written comes back, in order.
    let mut it = read.iter();
    for w in &written {
        assert!(
            it.any(|r| r == w),
            "«{w}» is missing from the PDF text (or out of order)"
        );
    }
}

/// The PDF's text with every run of white space made one space, in reading order and in
/// layout order (columns side by side), for phrase checks.
pub(crate) fn phrases(pdf: &Path) -> String {
    let join = |t: String| nfc(&t).split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "{}\n{}",
        join(tool("pdftotext", &[s(pdf), "-"])),
        join(tool("pdftotext", &["-layout", s(pdf), "-"]))
    )
}

pub(crate) fn assert_pdf_sound(pdf: &Path) {
    let check = tool("qpdf", &["--check", s(pdf)]);
    assert!(check.contains("No syntax or stream encoding errors"), "{check}");
    let fonts = tool("pdffonts", &[s(pdf)]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts: {fonts}");
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        assert!(cols[0].contains("+LiberationSerif"), "not the subset serif: {r}");
        // name type type encoding emb sub uni object ID
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "font not embedded, subset, with ToUnicode: {r}"
        );
    }
}

pub(crate) fn assert_inside_margins(w: &[Word]) {
    for x in w {
        let page_number = x.y1 < 20.0 * MM && x.text.chars().all(|c| c.is_ascii_digit());
        if page_number {
            continue;
        }
        assert!(
            x.x0 >= 30.0 * MM - 0.5,
            "«{}» p{} left of the 30 mm margin: {:.1}",
            x.text,
            x.page,
            x.x0
        );
        assert!(
            x.x1 <= PAGE_W - 15.0 * MM + 0.5,
            "«{}» p{} right of the 15 mm margin",
            x.text,
            x.page
        );
        assert!(x.y0 >= 20.0 * MM - 1.0, "«{}» p{} in the top margin", x.text, x.page);
        assert!(
            x.y1 <= PAGE_H - 20.0 * MM + 1.0,
            "«{}» p{} in the bottom margin",
            x.text,
            x.page
        );
    }
}

/// Page numbers: none on page 1; centred in the top margin from page 2.
pub(crate) fn assert_page_numbers(w: &[Word], pages: usize) {
    let mid = (30.0 * MM + PAGE_W - 15.0 * MM) / 2.0;
    assert!(
        !w.iter().any(|x| x.page == 1 && x.y1 < 20.0 * MM),
        "page 1 shows a number"
    );
    for p in 2..=pages {
        let n = find(w, p, &p.to_string());
        assert!(n.y1 < 20.0 * MM, "page number {p} is not in the top margin");
        assert!(
            ((n.x0 + n.x1) / 2.0 - mid).abs() < 1.0,
            "page number {p} is not centred"
        );
    }
}

fn render_png(pdf: &Path, page: usize, out_stem: &Path) -> PathBuf {
    let p = page.to_string();
    tool(
        "pdftoppm",
        &[
            "-r",
            "50",
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            &p,
            "-l",
            &p,
            s(pdf),
            s(out_stem),
        ],
    );
    out_stem.with_extension("png")
}

/// Compare a rendered page with its committed reference image: at most 0.2 % of the pixels
/// may differ by more than 25 % grey (a moved line or a changed word differs by far more).
pub(crate) fn assert_matches_reference(k: &Kiemtra, pdf: &Path, page: usize, name: &str) {
    let reference = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/reference")
        .join(format!("{name}.png"));
    let got = render_png(pdf, page, &k.path(name));
    if std::env::var_os("UPDATE_REFERENCE").is_some() {
        std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
        std::fs::copy(&got, &reference).unwrap();
        return;
    }
    assert!(
        reference.exists(),
        "no reference image {}; run with UPDATE_REFERENCE=1",
        reference.display()
    );
    let out = Command::new("compare")
        .args(["-metric", "AE", "-fuzz", "25%", s(&got), s(&reference), "null:"])
        .output()
        .expect("ImageMagick's compare (scripts/setup.sh --test installs it)");
    let diff: f64 = String::from_utf8_lossy(&out.stderr)
        .split_whitespace()
        .next()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("compare said: {}", String::from_utf8_lossy(&out.stderr)));
    let ident = tool("identify", &["-format", "%w %h", s(&got)]);
    let (w, h) = ident.split_once(' ').unwrap();
    let total = w.parse::<f64>().unwrap() * h.parse::<f64>().unwrap();
    assert!(
        diff / total <= 0.002,
        "{name}: page {page} differs from {} in {diff} of {total} pixels; look at {}",
        reference.display(),
        got.display()
    );
}

// ---------------------------------------------------------------------------------------

#[test]
fn the_thong_bao_is_printed_as_a_draft_then_issued_and_frozen() {
    let k = k();
    fill_ha_lang(&k);

    // The draft: blank number and day, dotted blanks where the plan lacks its number.
    let draft = k.path("du-thao.pdf");
    let out = k.ok(&["doc", "pdf", "ha lang", "--kind", "thong-bao", "--out", s(&draft)]);
    assert!(out.contains("dự thảo"), "{out}");
    assert_pdf_sound(&draft);
    let text = nfc(&tool("pdftotext", &["-layout", s(&draft), "-"]));
    assert!(text.contains("/TB-ĐKT"), "{text}");
    assert!(!text.contains("05/TB-ĐKT"));
    assert!(
        text.contains("tháng 10 năm 2026") && !text.contains("ngày 16 tháng 10"),
        "the day is left blank: {text}"
    );
    assert!(text.contains("Kế hoạch số ……/KH-UBND"), "{text}");

    // Issuing is refused while the plan and the team's decision lack their numbers; nothing
    // changes.
    let before = dump(&k.db);
    let msg = k.refused(&["doc", "issue", "ha lang", "--number", "5", "--date", "20/10/2026"]);
    assert_vietnamese(&msg);
    assert!(
        msg.contains("số kế hoạch kiểm tra") && msg.contains("số quyết định thành lập đoàn"),
        "{msg}"
    );
    assert_eq!(dump(&k.db), before);

    complete_plan(&k);
    let issued = k.path("05-TB-DKT.pdf");
    // Nothing is missing now, but the checklist is far from scored and the Biên bản is not
    // signed: issuing asks to be confirmed, with its own code, and changes nothing.
    let before = dump(&k.db);
    let o = k.run(&[
        "--json",
        "doc",
        "issue",
        "ha lang",
        "--number",
        "5",
        "--date",
        "20/10/2026",
    ]);
    let e: Value = serde_json::from_str(&o.stdout).expect("a JSON refusal");
    assert_eq!(e["code"], "document_unconfirmed", "{e}");
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("6/82 tiêu chí đã chấm")
            && msg.contains("biên bản kiểm tra chưa ban hành")
            && msg.contains("--force"),
        "{msg}"
    );
    assert_eq!(dump(&k.db), before);
    let shown = k.ok(&["doc", "show", "ha lang"]);
    assert!(
        shown.contains("Cần xác nhận khi ban hành (--force): 6/82 tiêu chí đã chấm"),
        "{shown}"
    );
    let out = k.ok(&[
        "doc",
        "issue",
        "ha lang",
        "--number",
        "5",
        "--date",
        "20/10/2026",
        "--force",
        "--out",
        s(&issued),
    ]);
    assert!(out.contains("05/TB-ĐKT ngày 20/10/2026"), "{out}");
    assert_eq!(k.json(&["inspection", "show", "ha lang"])["state"], "conclusion_issued");
    // Issuing is a formal act: undo does not reach behind it.
    let msg = k.refused(&["undo"]);
    assert!(msg.contains("Không còn thay đổi"), "{msg}");
    assert_pdf_sound(&issued);
    let docs = k.json(&["doc", "show", "ha lang"]);
    let tb = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "thong_bao")
        .unwrap();
    assert_eq!(tb["status"], "issued");
    assert_eq!(tb["changed_since_issue"], false);
    let sha = tb["snapshot_sha256"].as_str().unwrap().to_string();

    // The text round trip, and what the clerk reads.
    assert_text_round_trip(&k, &issued, "thong-bao");
    let text = phrases(&issued);
    for expected in [
        "Số: 05/TB-ĐKT",
        "Cao Bằng, ngày 20 tháng 10 năm 2026",
        "THÔNG BÁO",
        "Kế hoạch số 125/KH-UBND ngày 15 tháng 4 năm 2026",
        "Quyết định số 1520/QĐ-UBND ngày 08 tháng 7 năm 2026",
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "III. KIẾN NGHỊ",
        "trước ngày 31 tháng 3 năm 2027",
        "PHÓ GIÁM ĐỐC SỞ NỘI VỤ",
        "Nguyễn Văn An",
        "- Lưu: VT, ĐKT.",
    ] {
        assert!(text.contains(expected), "«{expected}» missing:\n{text}");
    }

    // The layout read back from the PDF.
    let w = words(&issued);
    let pages = w.iter().map(|x| x.page).max().unwrap();
    assert_inside_margins(&w);
    assert_page_numbers(&w, pages);
    // Header: issuing body on the left, national name on the right, on the same top line;
    // "Số" and the place-and-date line on one baseline.
    let ubnd = find(&w, 1, "UBND");
    let cong = find(&w, 1, "CỘNG");
    assert!(ubnd.x1 < PAGE_W / 2.0 && cong.x0 > ubnd.x1, "two columns");
    assert!(
        (ubnd.y0 - cong.y0).abs() < 2.0,
        "parent body and national name on one line"
    );
    let so = find(&w, 1, "Số:");
    let place = find(&w, 1, "Cao");
    assert!((so.y1 - place.y1).abs() < 1.5, "Số and the date line on one baseline");
    let (shown, segs) = ops(&issued);
    // The rule under the motto is as long as the motto; the rule under the issuing body is
    // 1/3–1/2 of its line; under the summary too.
    let motto_l = find(&w, 1, "Độc");
    let motto_r = find(&w, 1, "phúc");
    let motto_rule = segs
        .iter()
        .find(|g| g.page == 1 && (g.y0 - g.y1).abs() < 0.1 && g.y0 > motto_l.y1 && g.y0 < motto_l.y1 + 8.0)
        .expect("a rule under the motto");
    assert!(
        ((motto_rule.x1 - motto_rule.x0) - (motto_r.x1 - motto_l.x0)).abs() < 2.0,
        "{motto_rule:?}"
    );
    let body_line: Vec<&Word> = w
        .iter()
        .filter(|x| x.page == 1 && x.text == "CẢI" && x.x1 < PAGE_W / 2.0)
        .collect();
    let body_last = body_line.last().expect("issuing body's last line");
    let body_line_w: Vec<&Word> = w
        .iter()
        .filter(|x| x.page == 1 && (x.y1 - body_last.y1).abs() < 0.5 && x.x1 < PAGE_W / 2.0)
        .collect();
    let line_w = body_line_w.last().unwrap().x1 - body_line_w[0].x0;
    let body_rule = segs
        .iter()
        .find(|g| g.page == 1 && g.y0 > body_last.y1 && g.y0 < body_last.y1 + 8.0 && g.x1 < PAGE_W / 2.0)
        .expect("a rule under the issuing body");
    let ratio = (body_rule.x1 - body_rule.x0) / line_w;
    assert!((1.0 / 3.0..=0.5).contains(&ratio), "rule is {ratio:.2} of the line");
    // Sizes and faces: national name 12 pt bold, motto 13 pt bold, body 14 pt, Nơi nhận
    // 12 pt bold italic with its list in 11 pt.
    let sizes_of = |font: &str| -> HashSet<u32> {
        shown
            .iter()
            .filter(|t| t.font.ends_with(font))
            .map(|t| (t.size * 10.0).round() as u32)
            .collect()
    };
    assert_eq!(
        sizes_of("LiberationSerif-BoldItalic"),
        HashSet::from([120]),
        "Nơi nhận: is 12 pt bold italic"
    );
    assert!(sizes_of("LiberationSerif-Bold").is_superset(&HashSet::from([120, 130, 140])));
    // The opening paragraph's first line is shown in the regular face at 14 pt.
    let opening = find(&w, 1, "Thực");
    let first_line = shown
        .iter()
        .filter(|t| t.page == 1 && (t.x - opening.x0).abs() < 0.5)
        .min_by(|a, b| (a.y - opening.y1).abs().total_cmp(&(b.y - opening.y1).abs()))
        .expect("the opening line's text operation");
    assert!(
        first_line.font.ends_with("+LiberationSerif") && (first_line.size - 14.0).abs() < 0.01,
        "{first_line:?}"
    );
    let noi_nhan = shown.iter().find(|t| t.font.ends_with("BoldItalic")).unwrap();
    assert!(noi_nhan.x <= 30.0 * MM + 0.5, "Nơi nhận: at the left margin");
    let list: Vec<&Shown> = shown.iter().filter(|t| (t.size - 11.0).abs() < 0.01).collect();
    assert!(list
        .iter()
        .all(|t| t.font.ends_with("+LiberationSerif") && t.x < PAGE_W / 2.0 && t.y > noi_nhan.y));
    let dashes = w
        .iter()
        .filter(|x| x.page == pages && x.text == "-" && x.x0 < 30.0 * MM + 0.5)
        .count();
    assert_eq!(dashes, 5, "five recipients, each on its own dashed line in 11 pt");
    let signer_title = w.iter().find(|x| x.page == pages && x.text == "TRƯỞNG").unwrap();
    assert!(
        (noi_nhan.y - signer_title.y1).abs() < 6.0,
        "Nơi nhận level with the signer's title"
    );
    // Body paragraphs: a 12,7 mm first-line indent.
    assert!(
        (opening.x0 - (30.0 * MM + 12.7 * MM)).abs() < 1.0,
        "first-line indent: {:.1}",
        opening.x0
    );

    crate::clerk_layout::assert_clerk_accepts(&issued, "THÔNG BÁO", "the issued Thông báo");
    assert_matches_reference(&k, &issued, 1, "thong-bao-ha-lang-trang-1");
    assert_matches_reference(&k, &issued, pages, "thong-bao-ha-lang-trang-cuoi");

    // Frozen: the issued file is kept byte for byte, whatever changes later.
    let again = k.path("lan-2.pdf");
    k.ok(&["doc", "pdf", "ha lang", "--out", s(&again)]);
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&issued).unwrap());
    let finding = k.json(&["finding", "list", "ha lang"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    k.ok(&["finding", "edit", "ha lang", &finding, "Nội dung sửa sau khi ban hành."]);
    let shown = k.json(&["doc", "show", "ha lang"]);
    let tb = shown
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "thong_bao")
        .unwrap()
        .clone();
    assert_eq!(tb["changed_since_issue"], true, "the changed finding is noticed");
    assert!(k
        .ok(&["doc", "show", "ha lang"])
        .contains("đã thay đổi sau khi ban hành"));
    let msg = k.refused(&["doc", "issue", "ha lang", "--number", "6", "--date", "21/10/2026"]);
    assert!(msg.contains("đã ban hành") && msg.contains("phiên bản mới"), "{msg}");
    let out = k.ok(&[
        "doc",
        "edit",
        "ha lang",
        "--closing",
        "Đề nghị UBND xã Hạ Lang nghiêm túc thực hiện./.",
    ]);
    assert!(out.contains("phiên bản mới 2"), "{out}");
    let v1 = k.path("v1.pdf");
    k.ok(&["doc", "pdf", "ha lang", "--version", "1", "--out", s(&v1)]);
    assert_eq!(
        std::fs::read(&v1).unwrap(),
        std::fs::read(&issued).unwrap(),
        "version 1 is printed byte for byte"
    );
    let v2 = k.path("v2.pdf");
    k.ok(&["doc", "pdf", "ha lang", "--out", s(&v2)]);
    let v2_text = nfc(&tool("pdftotext", &[s(&v2), "-"]));
    assert!(v2_text.contains("nghiêm túc thực hiện") && v2_text.contains("Nội dung sửa sau khi ban hành"));
    assert!(!v2_text.contains("05/TB-ĐKT"), "the new version is a draft");
    let docs = k.json(&["doc", "show", "ha lang"]);
    let versions: Vec<&Value> = docs
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "thong_bao")
        .collect();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1]["snapshot_sha256"], sha.as_str());
    assert_eq!(versions[0]["supersedes_id"], versions[1]["id"]);
    // The database refuses a change to the issued record even from outside the app.
    let conn = rusqlite::Connection::open(&k.db).unwrap();
    let err = conn
        .execute("UPDATE document SET content = '{}' WHERE status = 'issued'", [])
        .unwrap_err()
        .to_string();
    assert!(err.contains("không được sửa"), "{err}");
}

#[test]
fn the_bien_ban_has_both_parties_and_is_signed_on_site() {
    let k = k();
    fill_ha_lang(&k);
    complete_plan(&k);
    k.ok(&["units", "set", "ha lang", "--head", "Lục Văn Hùng"]);
    k.ok(&[
        "doc",
        "edit",
        "ha lang",
        "--kind",
        "bien-ban",
        "--start-time",
        "8 giờ 00",
        "--end-time",
        "11 giờ 30",
        "--unit-comments",
        "UBND xã Hạ Lang thống nhất với kết quả kiểm tra sơ bộ của Đoàn.",
    ]);
    let pdf = k.path("bien-ban.pdf");
    k.ok(&[
        "doc",
        "issue",
        "ha lang",
        "--kind",
        "bien-ban",
        "--number",
        "12",
        "--date",
        "13/10/2026",
        "--force",
        "--out",
        s(&pdf),
    ]);
    assert_eq!(k.json(&["inspection", "show", "ha lang"])["state"], "minutes_signed");
    assert_pdf_sound(&pdf);
    assert_text_round_trip(&k, &pdf, "bien-ban");
    let text = phrases(&pdf);
    for expected in [
        "Số: 12/BB-ĐKT",
        "BIÊN BẢN",
        "Thời gian bắt đầu: 8 giờ 00, ngày 13 tháng 10 năm 2026.",
        "ĐẠI DIỆN UBND XÃ HẠ LANG",
        "TRƯỞNG ĐOÀN KIỂM TRA",
        "THƯ KÝ",
        "Lục Văn Hùng",
        "Bế Thị Hà",
        "thống nhất với kết quả kiểm tra sơ bộ",
        "kết thúc vào 11 giờ 30",
        "- Lưu: VT, Hồ sơ ĐKT.",
    ] {
        assert!(text.contains(expected), "«{expected}» missing:\n{text}");
    }
    // Mẫu 1.9 has no place-and-date line in the header.
    assert!(!text.contains("Cao Bằng, ngày"), "{text}");
    let w = words(&pdf);
    let pages = w.iter().map(|x| x.page).max().unwrap();
    assert_inside_margins(&w);
    assert_page_numbers(&w, pages);
    // Both parties sign side by side on the last page: the unit on the left, the team lead
    // on the right, at the same height.
    let unit = w
        .iter()
        .find(|x| x.page == pages && x.text == "ĐẠI")
        .expect("unit's block on the last page");
    let lead = w
        .iter()
        .find(|x| x.page == pages && x.text == "TRƯỞNG" && x.x0 > PAGE_W / 2.0)
        .expect("team lead's block on the last page, on the right");
    assert!((unit.y0 - lead.y0).abs() < 1.0 && unit.x1 < PAGE_W / 2.0);
    crate::clerk_layout::assert_clerk_accepts(&pdf, "BIÊN BẢN", "the issued Biên bản");
    assert_matches_reference(&k, &pdf, 1, "bien-ban-ha-lang-trang-1");
    assert_matches_reference(&k, &pdf, pages, "bien-ban-ha-lang-trang-cuoi");
}

#[test]
fn two_hundred_findings_and_a_long_name_paginate_cleanly() {
    let k = k();
    k.ok(&[
        "units",
        "rename",
        "ha lang",
        "xã Hạ Lang (hợp nhất thị trấn Thanh Nhật, xã Thị Hoa, xã Việt Chu, xã Cô Ngân và xã An Lạc)",
    ]);
    for i in 1..=200 {
        let area = ((i % 7) + 1).to_string();
        let kind = if i % 3 == 0 { "ton_tai" } else { "dat_duoc" };
        let text = format!(
            "Nhận xét số {i}: đơn vị đã triển khai nội dung cải cách hành chính theo kế hoạch, có văn bản chỉ đạo, \
             phân công trách nhiệm cụ thể và báo cáo kết quả đúng thời hạn quy định của tỉnh."
        );
        k.ok(&["finding", "add", "ha lang", "--area", &area, "--kind", kind, &text]);
    }
    let pdf = k.path("dai.pdf");
    k.ok(&["doc", "pdf", "ha lang", "--out", s(&pdf)]);
    assert_pdf_sound(&pdf);
    let w = words(&pdf);
    let pages = w.iter().map(|x| x.page).max().unwrap();
    assert!(pages >= 12, "200 findings on only {pages} pages?");
    assert_inside_margins(&w);
    assert_page_numbers(&w, pages);
    let text = nfc(&tool("pdftotext", &[s(&pdf), "-"]))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for i in 1..=200 {
        assert!(
            text.contains(&format!("Nhận xét số {i}: đơn vị")),
            "finding {i} missing"
        );
    }
    assert!(text.contains("Thị Hoa, xã Việt Chu"), "the long name is printed whole");
    assert_text_round_trip(&k, &pdf, "thong-bao");
    // The signature and Nơi nhận stay together on the last page, after some text.
    let last: Vec<&Word> = w.iter().filter(|x| x.page == pages).collect();
    assert!(last.iter().any(|x| x.text == "Nơi"));
    assert!(last.iter().any(|x| x.text == "Nguyễn"));
    assert!(
        last.iter().any(|x| x.text == "Trên"),
        "the closing paragraph is on the signature's page"
    );
    crate::clerk_layout::assert_clerk_accepts(&pdf, "THÔNG BÁO", "200 findings");
    // No page is left nearly empty before the end, and none overflows.
    for p in 1..pages {
        let bottom = w.iter().filter(|x| x.page == p).map(|x| x.y1).fold(0.0, f64::max);
        assert!(
            bottom > PAGE_H - 20.0 * MM - 60.0,
            "page {p} ends at {bottom:.0} pt, far from the bottom"
        );
    }
}

#[test]
fn text_the_font_cannot_show_is_refused_and_decomposed_text_prints_whole() {
    let k = k();
    // Typed on a keyboard that sends decomposed accents: stored and printed as NFC.
    let decomposed = "Ha\u{323} Lang đa\u{303} co\u{302}ng khai thu\u{309} tu\u{323}c";
    k.ok(&[
        "finding", "add", "ha lang", "--area", "3", "--kind", "dat_duoc", decomposed,
    ]);
    let pdf = k.path("nfc.pdf");
    k.ok(&["doc", "pdf", "ha lang", "--out", s(&pdf)]);
    let text = tool("pdftotext", &[s(&pdf), "-"]);
    assert!(text.contains("Hạ Lang đã công khai thủ tục"), "{text}");

    k.ok(&[
        "finding",
        "add",
        "ha lang",
        "--area",
        "3",
        "--kind",
        "ton_tai",
        "Người dân phàn nàn 🙂 về thời gian chờ",
    ]);
    let out = k.path("emoji.pdf");
    let msg = k.refused(&["doc", "pdf", "ha lang", "--out", s(&out)]);
    assert_vietnamese(&msg);
    assert!(msg.contains("U+1F642") && msg.contains("phàn nàn"), "{msg}");
    assert!(!out.exists(), "no file is written when the document is refused");
}

#[test]
fn the_whole_plan_is_printed_into_a_folder() {
    let k = k();
    fill_ha_lang(&k);
    let dir = k.path("thong-bao");
    let out = k.json(&["doc", "batch", "--kind", "thong-bao", "--out", s(&dir)]);
    let files = out["files"].as_array().unwrap();
    assert_eq!(files.len(), 14);
    for f in files {
        let p = dir.join(f["file"].as_str().unwrap());
        assert_pdf_sound(&p);
        let text = nfc(&tool("pdftotext", &[s(&p), "-"]));
        assert!(text.contains(f["unit"].as_str().unwrap()), "{}", p.display());
    }
    assert!(dir.join("thong-bao-xa-ha-lang.pdf").exists());
    // A second run does not overwrite what is there.
    let msg = k.refused(&["doc", "batch", "--kind", "thong-bao", "--out", s(&dir)]);
    assert!(msg.contains("Đã có tệp"), "{msg}");
    let bb = k.path("bien-ban");
    k.ok(&["doc", "batch", "--kind", "bb", "--out", s(&bb)]);
    assert_eq!(std::fs::read_dir(&bb).unwrap().count(), 14);
    let msg = k.refused(&["doc", "batch", "--kind", "quyet-dinh", "--out", s(&bb)]);
    assert!(msg.contains("bien-ban") && msg.contains("thong-bao"), "{msg}");
}

#[test]
fn undo_takes_back_a_document_edit_then_the_change_before_it() {
    let k = k();
    complete_plan(&k);
    k.ok(&["plan", "set", "--number", "126"]);
    let generated = k.json(&["doc", "show", "ha lang"])[0]["edits"]["opening"].clone();
    assert!(generated.is_null(), "{generated}");
    k.ok(&["doc", "edit", "ha lang", "--opening", "Đoạn mở đầu do Đoàn viết lại."]);
    let text = |k: &Kiemtra| nfc(&k.ok(&["doc", "text", "ha lang"]));
    assert!(text(&k).contains("Đoạn mở đầu do Đoàn viết lại."));
    let out = k.ok(&["undo"]);
    assert!(out.contains("sửa văn bản") && !out.contains("(0 thay đổi)"), "{out}");
    let t = text(&k);
    assert!(
        !t.contains("Đoạn mở đầu do Đoàn viết lại.") && t.contains("Kế hoạch số 126/KH-UBND"),
        "{t}"
    );
    assert!(k.json(&["doc", "show", "ha lang"])[0]["edits"]["opening"].is_null());
    // The next undo reaches the change before the edit: the plan's number goes back.
    let out = k.ok(&["undo"]);
    assert!(out.contains("sửa kế hoạch") && !out.contains("(0 thay đổi)"), "{out}");
    assert!(text(&k).contains("Kế hoạch số 125/KH-UBND"));
}

/// The documents' kinds as `doc show --json` lists them, the current version of `kind`.
fn current(k: &Kiemtra, kind: &str) -> Value {
    k.json(&["doc", "show", "ha lang"])
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap()
        .clone()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// The body of a document's resolved text (`doc text --json`).
fn body(k: &Kiemtra, kind: &str) -> Vec<Value> {
    k.json(&["doc", "text", "ha lang", "--kind", kind])["body"]
        .as_array()
        .unwrap()
        .clone()
}

fn para(el: &Value) -> Option<&str> {
    (el["t"] == "Para").then(|| el["c"].as_str().unwrap())
}

#[test]
fn issuing_names_everything_missing_at_once_before_the_confirmation() {
    let k = k();
    fill_ha_lang(&k);
    // A Biên bản with nothing of its own given yet, issued without a number or a date.
    let before = dump(&k.db);
    let o = k.run(&["--json", "doc", "issue", "ha lang", "--kind", "bien-ban"]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    let e: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(e["code"], "document_incomplete");
    let msg = e["message"].as_str().unwrap();
    assert_vietnamese(msg);
    for expected in [
        "số văn bản",
        "ngày ban hành văn bản",
        "số kế hoạch kiểm tra",
        "ngày ban hành kế hoạch",
        "số quyết định thành lập đoàn kiểm tra",
        "giờ bắt đầu buổi làm việc",
        "giờ kết thúc buổi làm việc",
        "họ tên người đại diện UBND xã Hạ Lang",
        "ý kiến của UBND xã Hạ Lang (mục III)",
    ] {
        assert!(msg.contains(expected), "«{expected}» not named: {msg}");
    }
    assert_eq!(dump(&k.db), before, "a refused issue changes nothing");
    // The document view's list is the same list (less the number and date, given at issue).
    let missing = strings(&current(&k, "bien_ban")["missing"]);
    assert_eq!(
        msg,
        format!(
            "Chưa ban hành được biên bản kiểm tra: còn thiếu số văn bản; ngày ban hành văn bản; {}.",
            missing.join("; ")
        )
    );
    assert!(k
        .ok(&["doc", "show", "ha lang"])
        .contains(&format!("Còn thiếu để ban hành: {}.", missing.join("; "))));

    // All the data given, a blank the user leaves in a paragraph of their own is named by
    // its section, and is all that is named.
    complete_plan(&k);
    k.ok(&["units", "set", "ha lang", "--head", "Lục Văn Hùng"]);
    k.ok(&[
        "doc",
        "edit",
        "ha lang",
        "--kind",
        "bien-ban",
        "--start-time",
        "8 giờ 00",
        "--end-time",
        "16 giờ 30",
        "--unit-comments",
        "UBND xã Hạ Lang thống nhất với kết quả kiểm tra sơ bộ.",
        "--opening",
        "Thực hiện Kế hoạch số ……/KH-UBND, Đoàn kiểm tra làm việc tại UBND xã Hạ Lang.",
    ]);
    let msg = k.refused(&[
        "doc",
        "issue",
        "ha lang",
        "--kind",
        "bien-ban",
        "--number",
        "12",
        "--date",
        "14/10/2026",
    ]);
    assert_eq!(
        msg,
        "Lỗi: Chưa ban hành được biên bản kiểm tra: còn thiếu chỗ trống «……» trong đoạn mở đầu (do người dùng sửa).\n"
    );
    let doc = current(&k, "bien_ban");
    let opening = doc["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == "opening")
        .unwrap()
        .clone();
    assert_eq!(
        (opening["edited"].as_bool(), opening["stale"].as_bool()),
        (Some(true), Some(true))
    );
    // The opening given back to the generated text, the Biên bản is complete; what is left
    // is to confirm the checklist scored in part.
    k.ok(&["doc", "edit", "ha lang", "--kind", "bien-ban", "--opening", ""]);
    assert!(current(&k, "bien_ban")["missing"].as_array().unwrap().is_empty());
    let warnings = strings(&current(&k, "bien_ban")["warnings"]);
    assert_eq!(warnings, ["6/82 tiêu chí đã chấm"]);
    let o = k.run(&[
        "--json",
        "doc",
        "issue",
        "ha lang",
        "--kind",
        "bien-ban",
        "--number",
        "12",
        "--date",
        "14/10/2026",
    ]);
    let e: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(e["code"], "document_unconfirmed");
    k.ok(&[
        "doc",
        "issue",
        "ha lang",
        "--kind",
        "bien-ban",
        "--number",
        "12",
        "--date",
        "14/10/2026",
        "--force",
    ]);
    // The Thông báo after a signed Biên bản asks only about the checklist.
    assert_eq!(
        strings(&current(&k, "thong_bao")["warnings"]),
        ["6/82 tiêu chí đã chấm"]
    );
}

#[test]
fn an_edited_opening_keeps_the_plan_and_decision_references_live() {
    let k = k();
    fill_ha_lang(&k);
    // The opening as generated while the plan and the decision have no numbers yet, with
    // its last words rewritten by the team lead.
    let generated = body(&k, "thong-bao")
        .iter()
        .find_map(|el| para(el).map(str::to_string))
        .unwrap();
    assert!(generated.contains("Kế hoạch số ……/KH-UBND"), "{generated}");
    let mine = generated.replace("thông báo kết quả kiểm tra như sau:", "xin thông báo kết quả như sau:");
    assert_ne!(mine, generated);
    k.ok(&["doc", "edit", "ha lang", "--opening", &mine]);
    let section = |k: &Kiemtra| {
        current(k, "thong_bao")["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["key"] == "opening")
            .unwrap()
            .clone()
    };
    assert_eq!(section(&k)["edited"], true);
    assert_eq!(section(&k)["stale"], false);
    assert!(section_is_generated(&k, "closing"));
    complete_plan(&k);
    let opening = body(&k, "thong-bao")
        .iter()
        .find_map(|el| para(el).map(str::to_string))
        .unwrap();
    assert!(
        opening.contains("Kế hoạch số 125/KH-UBND ngày 15 tháng 4 năm 2026")
            && opening.contains("Quyết định số 1520/QĐ-UBND ngày 08 tháng 7 năm 2026")
            && opening.contains("xin thông báo kết quả như sau:")
            && !opening.contains("……"),
        "{opening}"
    );
    // What the edit field shows is the text as it reads now.
    assert_eq!(current(&k, "thong_bao")["edits"]["opening"], opening.as_str());
    assert!(current(&k, "thong_bao")["missing"].as_array().unwrap().is_empty());
    // Printed, the Thông báo quotes them.
    let pdf = k.path("tb.pdf");
    k.ok(&["doc", "pdf", "ha lang", "--out", s(&pdf)]);
    let text = phrases(&pdf);
    assert!(
        text.contains("Kế hoạch số 125/KH-UBND") && text.contains("xin thông báo kết quả như sau"),
        "{text}"
    );

    // A reference rewritten by hand is the user's: when the data it quoted changes, the
    // section is flagged.
    let by_hand = opening.replace(
        "Quyết định số 1520/QĐ-UBND",
        "Quyết định số 1520/QĐ-UBND (đã đính chính)",
    );
    k.ok(&["doc", "edit", "ha lang", "--opening", &by_hand]);
    assert_eq!(section(&k)["stale"], false);
    k.ok(&["team", "set", "--decision-number", "1521"]);
    assert_eq!(section(&k)["stale"], true, "the decision it quotes by hand changed");
    assert!(k.ok(&["doc", "show", "ha lang"]).contains("Đoạn mở đầu (cần xem lại)"));
}

fn section_is_generated(k: &Kiemtra, key: &str) -> bool {
    current(k, "thong_bao")["sections"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["key"] == key && x["edited"] == false)
}

#[test]
fn the_bien_ban_of_a_two_day_visit_says_its_hours_causes_and_owners() {
    let k = k();
    fill_ha_lang(&k);
    complete_plan(&k);
    k.ok(&["units", "set", "ha lang", "--head", "Lục Văn Hùng"]);
    k.ok(&[
        "inspection",
        "set",
        "ha lang",
        "--actual-start",
        "13/10/2026",
        "--actual-end",
        "14/10/2026",
    ]);
    k.ok(&[
        "doc",
        "edit",
        "ha lang",
        "--kind",
        "bien-ban",
        "--start-time",
        "8 giờ 00",
        "--end-time",
        "16 giờ 30",
        "--unit-comments",
        "UBND xã Hạ Lang thống nhất với kết quả kiểm tra sơ bộ của Đoàn.",
    ]);
    // The draft as the clerk reads it before the signing, then the issued minutes.
    let draft = k.path("bb-du-thao.pdf");
    k.ok(&["doc", "pdf", "ha lang", "--kind", "bien-ban", "--out", s(&draft)]);
    let check = |text: String| {
        for expected in [
        "Thời gian bắt đầu: 8 giờ 00, ngày 13 tháng 10 năm 2026.",
        "Biên bản kết thúc vào 16 giờ 30 ngày 14/10/2026,",
        "Lục Văn Hùng",
        "Nguyên nhân:",
        "- Công chức kiêm nhiệm nhiều việc",
        "1. Rà soát toàn bộ hồ sơ quá hạn, gửi văn bản xin lỗi người dân (thực hiện: Chủ tịch UBND xã; thời hạn: 31/12/2026);",
        "2. Tăng tỷ lệ văn bản đi được ký số lên 100 % (thực hiện: Văn phòng HĐND và UBND xã; thời hạn: 31/03/2027).",
    ] {
        assert!(text.contains(expected), "«{expected}» missing:\n{text}");
    }
        assert!(!text.contains("cùng ngày") && !text.contains("……"), "{text}");
    };
    check(phrases(&draft));
    let pdf = k.path("bb.pdf");
    k.ok(&[
        "doc",
        "issue",
        "ha lang",
        "--kind",
        "bien-ban",
        "--number",
        "12",
        "--date",
        "14/10/2026",
        "--force",
        "--out",
        s(&pdf),
    ]);
    check(phrases(&pdf));
    // The unit's opinion is its text, without the dotted lines left for a hand.
    let b = body(&k, "bien-ban");
    let iii = b
        .iter()
        .position(|el| el["t"] == "Heading" && el["c"].as_str().unwrap().starts_with("III."))
        .unwrap();
    assert_eq!(
        para(&b[iii + 1]),
        Some("UBND xã Hạ Lang thống nhất với kết quả kiểm tra sơ bộ của Đoàn.")
    );
    assert_eq!(
        b[iii + 2]["t"],
        "Heading",
        "nothing but the opinion: {:?}",
        &b[iii..iii + 3]
    );
    assert!(!b.iter().any(|el| el["t"] == "Blank"), "no dotted lines left");
}

#[test]
fn numbered_items_run_in_order_and_lists_end_with_semicolons_and_a_stop() {
    let k = k();
    fill_ha_lang(&k);
    for kind in ["bien-ban", "thong-bao"] {
        let b = body(&k, kind);
        // Inside each section (between two headings), numbered sub-headings run 1, 2, 3.
        let mut n = 0;
        for el in &b {
            match el["t"].as_str().unwrap() {
                "Heading" => n = 0,
                "Sub" => {
                    let t = el["c"].as_str().unwrap();
                    let num: usize = t.split('.').next().unwrap().parse().unwrap_or(0);
                    if num > 0 {
                        n += 1;
                        assert_eq!(num, n, "{kind}: «{t}» after {}", n - 1);
                    }
                }
                _ => {}
            }
        }
        // Every run of dashed items: ";" after each, "." after the last.
        let mut run: Vec<&str> = Vec::new();
        let mut runs = 0;
        for el in b.iter().chain([&Value::Null]) {
            match para(el).filter(|t| t.starts_with("- ")) {
                Some(t) => run.push(t),
                None if !run.is_empty() => {
                    runs += 1;
                    let (last, rest) = run.split_last().unwrap();
                    assert!(last.ends_with('.'), "{kind}: {last}");
                    assert!(rest.iter().all(|t| t.ends_with(';')), "{kind}: {rest:?}");
                    run.clear();
                }
                None => {}
            }
        }
        assert!(runs >= 2, "{kind}: {runs} lists");
    }
    // Read back from the PDF: the Biên bản's section II names area 3 (the second with
    // findings) "2.", not "3.".
    let pdf = k.path("bb.pdf");
    k.ok(&["doc", "pdf", "ha lang", "--kind", "bien-ban", "--out", s(&pdf)]);
    let text = phrases(&pdf);
    let ii = text.find("II. KẾT QUẢ KIỂM TRA SƠ BỘ").unwrap();
    let section = &text[ii..text.find("III. Ý KIẾN").unwrap()];
    assert!(section.contains("2. Cải cách thủ tục hành chính"), "{section}");
    assert!(!section.contains("3. Cải cách thủ tục hành chính"), "{section}");
}
