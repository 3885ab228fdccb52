//! What the two documents say, and how it is laid out on the page.
//!
//! [`DocModel`] is the resolved text of a document (every default filled in, every blank
//! marked); it is what an issued document freezes. [`blocks`] turns it into the layout of
//! Decree 30 (Appendix I; Appendix III Mẫu 1.4 for the Thông báo, Mẫu 1.9 for the Biên bản).

use serde::{Deserialize, Serialize};

use super::fonts::{fonts, Face};
use super::layout::{self, mm, run, Align, Block, Column, PageSetup, Para, Table};
use crate::domain::model::DocumentKind;

/// A blank the clerk fills by hand in a draft.
pub const BLANK: &str = "……";

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "c")]
pub enum El {
    /// "I. KẾT QUẢ ĐẠT ĐƯỢC": bold, upper case.
    Heading(String),
    /// "1. Cải cách thể chế": bold.
    Sub(String),
    /// A justified body paragraph with a first-line indent.
    Para(String),
    /// A paragraph whose label is bold ("Thời gian bắt đầu:" …).
    Labeled(String, String),
    /// A short italic label kept with what follows ("Kết quả đạt được:").
    Label(String),
    /// Lines of dots to be filled in by hand.
    Blank(u32),
    /// The last paragraph, kept on the page of the signatures.
    Closing(String),
    /// A table: header, rows, column widths as fractions of the text width, and which columns
    /// are numbers (right-aligned).
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<f32>,
        numeric: Vec<bool>,
        /// Rows drawn in bold (a total).
        bold_last: bool,
    },
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignBlock {
    /// Authority and titles, one per line, printed in bold capitals.
    pub lines: Vec<String>,
    /// Under the titles, in italics: "(Ký, ghi rõ họ tên)".
    pub note: String,
    pub name: String,
}

/// The resolved content of a document: exactly what is printed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocModel {
    pub kind: DocumentKind,
    pub parent_body: String,
    pub issuing_body: String,
    /// "05/TB-ĐKT"; a draft has "      /TB-ĐKT".
    pub number_line: String,
    /// "Cao Bằng, ngày 05 tháng 10 năm 2026"; None when the form has no date line (Mẫu 1.9).
    pub date_line: Option<String>,
    pub title: String,
    pub summary: String,
    /// A rule under the summary (Mẫu 1.4).
    pub summary_rule: bool,
    pub body: Vec<El>,
    /// Signature blocks in rows of two (left, right); an empty block leaves its side blank.
    pub signatures: Vec<(Option<SignBlock>, Option<SignBlock>)>,
    /// Nơi nhận, each without its dash and final punctuation; the last is "Lưu: VT, …".
    pub recipients: Vec<String>,
    /// A Phụ lục after the signatures (the plan's report: a table per unit), headed by its
    /// first element; empty for the other documents.
    #[serde(default)]
    pub appendix: Vec<El>,
    pub draft: bool,
}

/// The texts of a document a user may rewrite, as it prints them: what their fields show
/// until the user changes them.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditableTexts {
    pub issuing_body: String,
    /// The opening paragraph ("Thực hiện Kế hoạch số …").
    pub opening: String,
    /// The last paragraph, kept with the signatures.
    pub closing: String,
}

impl DocModel {
    /// The texts a user may rewrite. The opening is the first body paragraph of both
    /// documents (the Biên bản's time and place lines before it are labelled lines), the
    /// closing is the [`El::Closing`] paragraph.
    pub fn editable_texts(&self) -> EditableTexts {
        let find = |pick: fn(&El) -> Option<&String>| self.body.iter().find_map(pick).cloned().unwrap_or_default();
        EditableTexts {
            issuing_body: self.issuing_body.clone(),
            opening: find(|el| match el {
                El::Para(s) => Some(s),
                _ => None,
            }),
            closing: find(|el| match el {
                El::Closing(s) => Some(s),
                _ => None,
            }),
        }
    }

    /// Every piece of text of the document in drawing order (for checks and search).
    pub fn texts(&self) -> Vec<String> {
        let mut v = vec![
            self.parent_body.to_uppercase(),
            self.issuing_body.to_uppercase(),
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
            "Độc lập - Tự do - Hạnh phúc".into(),
            format!("Số: {}", self.number_line),
        ];
        v.extend(self.date_line.clone());
        v.push(self.title.clone());
        v.push(self.summary.clone());
        for el in &self.body {
            body_texts(&mut v, el);
        }
        let sign = |v: &mut Vec<String>, b: &SignBlock| {
            v.extend(b.lines.iter().map(|l| l.to_uppercase()));
            if !b.note.is_empty() {
                v.push(b.note.clone());
            }
            v.push(b.name.clone());
        };
        let recipients = |v: &mut Vec<String>| {
            v.push("Nơi nhận:".into());
            let n = self.recipients.len();
            for (i, r) in self.recipients.iter().enumerate() {
                v.push(format!("- {r}{}", if i + 1 == n { "." } else { ";" }));
            }
        };
        let rows = self.signatures.len();
        for (i, (l, r)) in self.signatures.iter().enumerate() {
            match l {
                Some(l) => sign(&mut v, l),
                None if i + 1 == rows && !self.recipients.is_empty() => recipients(&mut v),
                None => {}
            }
            if let Some(r) = r {
                sign(&mut v, r);
            }
        }
        if self.signatures.last().is_some_and(|(l, _)| l.is_some()) && !self.recipients.is_empty() {
            recipients(&mut v);
        }
        for el in &self.appendix {
            body_texts(&mut v, el);
        }
        v
    }
}

fn body_texts(v: &mut Vec<String>, el: &El) {
    match el {
        El::Heading(s) | El::Sub(s) | El::Para(s) | El::Label(s) | El::Closing(s) => v.push(s.clone()),
        El::Blank(_) => {}
        El::Labeled(a, b) => v.push(format!("{a} {b}")),
        El::Table { header, rows, .. } => {
            v.extend(header.iter().cloned());
            for r in rows {
                v.extend(r.iter().cloned());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Layout

pub const BODY: f32 = 14.0;
const BODY_LEADING: f32 = 18.0;
const PARA_AFTER: f32 = 6.0;
const INDENT: f32 = 12.7 * 72.0 / 25.4;

fn body_para(text: &str) -> Para {
    Para::new(vec![run(text, Face::Regular)], BODY)
        .leading(BODY_LEADING)
        .align(Align::Justify)
        .first_indent(INDENT)
        .after(PARA_AFTER)
}

fn centered(text: &str, face: Face, size: f32) -> Para {
    Para::new(vec![run(text, face)], size).align(Align::Center)
}

/// The widths of the header's two columns: the right one holds the national name.
fn header_columns(setup: &PageSetup) -> (f32, f32) {
    let qh = fonts().width(Face::Bold, 12.0, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    let right = (qh + mm(8.0)).max(mm(90.0));
    (setup.text_width() - right, right)
}

pub fn blocks(m: &DocModel, setup: &PageSetup) -> Vec<Block> {
    let tw = setup.text_width();
    let (lw, rw) = header_columns(setup);
    let mut out = Vec::new();

    // Header (ô 1–4): issuing body on the left, national name and motto on the right.
    let mut left = Vec::new();
    if !m.parent_body.is_empty() {
        left.push(Block::Para(
            centered(&m.parent_body.to_uppercase(), Face::Regular, 12.0)
                .leading(15.0)
                .balance(),
        ));
    }
    left.push(Block::Para(
        centered(&m.issuing_body.to_uppercase(), Face::Bold, 12.0)
            .leading(15.0)
            .balance()
            .rule(0.4),
    ));
    let right = vec![
        Block::Para(centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Face::Bold, 12.0).leading(15.0)),
        Block::Para(
            centered("Độc lập - Tự do - Hạnh phúc", Face::Bold, 13.0)
                .leading(16.0)
                .rule(1.0),
        ),
    ];
    out.push(Block::Columns(vec![
        Column {
            x: 0.0,
            width: lw,
            blocks: left,
        },
        Column {
            x: lw,
            width: rw,
            blocks: right,
        },
    ]));
    let mut number_col = vec![Block::Para(
        centered(&format!("Số: {}", m.number_line), Face::Regular, 13.0).leading(18.0),
    )];
    number_col.insert(0, Block::Space(8.0));
    let mut date_col = vec![Block::Space(8.0)];
    if let Some(d) = &m.date_line {
        date_col.push(Block::Para(centered(d, Face::Italic, 14.0).leading(18.0)));
    }
    out.push(Block::Columns(vec![
        Column {
            x: 0.0,
            width: lw,
            blocks: number_col,
        },
        Column {
            x: lw,
            width: rw,
            blocks: date_col,
        },
    ]));

    // Type name and summary (ô 5a).
    out.push(Block::Para(
        centered(&m.title, Face::Bold, 14.0)
            .leading(18.0)
            .before(if m.date_line.is_some() { 18.0 } else { 14.0 })
            .keep_with_next(),
    ));
    let mut summary = Para::new(vec![run(&m.summary, Face::Bold)], 14.0)
        .align(Align::Center)
        .leading(18.0)
        .after(14.0)
        .indent(mm(10.0))
        .balance();
    summary.first_indent = 0.0;
    // Centre within the text width, with a margin on both sides for long summaries.
    let summary = Block::Columns(vec![Column {
        x: mm(10.0),
        width: tw - mm(20.0),
        blocks: vec![Block::Para(if m.summary_rule {
            summary.indent(0.0).rule(0.4)
        } else {
            summary.indent(0.0)
        })],
    }]);
    out.push(summary);

    // Content (ô 6).
    for el in &m.body {
        body_blocks(&mut out, el, tw);
    }
    signature_blocks(&mut out, m, lw, tw);
    // The Phụ lục: its headings centred (the first well below the signatures), the rest as
    // the body is laid out.
    for (i, el) in m.appendix.iter().enumerate() {
        match el {
            El::Heading(h) => out.push(Block::Para(
                centered(h, Face::Bold, 14.0)
                    .leading(18.0)
                    .before(if i == 0 { 36.0 } else { 0.0 })
                    .after(PARA_AFTER)
                    .balance()
                    .keep_with_next(),
            )),
            _ => body_blocks(&mut out, el, tw),
        }
    }
    out
}

fn body_blocks(out: &mut Vec<Block>, el: &El, tw: f32) {
    {
        match el {
            El::Heading(s) => out.push(Block::Para(
                Para::new(vec![run(s, Face::Bold)], BODY)
                    .leading(BODY_LEADING)
                    .align(Align::Justify)
                    .first_indent(INDENT)
                    .before(6.0)
                    .after(PARA_AFTER)
                    .keep_with_next(),
            )),
            El::Sub(s) => out.push(Block::Para(
                Para::new(vec![run(s, Face::Bold)], BODY)
                    .leading(BODY_LEADING)
                    .align(Align::Justify)
                    .first_indent(INDENT)
                    .after(PARA_AFTER)
                    .keep_with_next(),
            )),
            El::Para(s) => {
                for line in s.split('\n') {
                    out.push(Block::Para(body_para(line)));
                }
            }
            El::Label(s) => out.push(Block::Para(
                Para::new(vec![run(s, Face::Italic)], BODY)
                    .leading(BODY_LEADING)
                    .first_indent(INDENT)
                    .after(PARA_AFTER)
                    .keep_with_next(),
            )),
            El::Blank(n) => {
                for _ in 0..*n {
                    let mut p = body_para("");
                    p.dots = true;
                    p.first_indent = 0.0;
                    p.after = 2.0;
                    out.push(Block::Para(p));
                }
            }
            El::Closing(s) => {
                let mut p = body_para(s);
                p.keep_with_next = true;
                out.push(Block::Para(p));
            }
            El::Labeled(label, text) => out.push(Block::Para(
                Para::new(
                    vec![run(format!("{label} "), Face::Bold), run(text, Face::Regular)],
                    BODY,
                )
                .leading(BODY_LEADING)
                .align(Align::Justify)
                .first_indent(INDENT)
                .after(PARA_AFTER),
            )),
            El::Table {
                header,
                rows,
                widths,
                numeric,
                bold_last,
            } => {
                let size = 13.0;
                // Cells never break inside a listed word pair; header cells are balanced too
                // ("Đơn vị / tự chấm").
                let cell = |s: &str, face: Face, align: Align| {
                    vec![Para::new(vec![run(s, face)], size).leading(16.0).align(align).phrases()]
                };
                let head = |s: &str| {
                    let mut c = cell(s, Face::Bold, Align::Center);
                    c[0].balance = true;
                    c
                };
                let n = rows.len();
                let pad = 4.0;
                let header: Vec<Vec<Vec<Para>>> = vec![header.iter().map(|h| head(h)).collect()];
                let body: Vec<Vec<Vec<Para>>> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let face = if *bold_last && i + 1 == n {
                            Face::Bold
                        } else {
                            Face::Regular
                        };
                        r.iter()
                            .enumerate()
                            .map(|(j, c)| {
                                let align = if numeric.get(j).copied().unwrap_or(false) {
                                    Align::Right
                                } else {
                                    Align::Left
                                };
                                cell(c, face, align)
                            })
                            .collect()
                    })
                    .collect();
                let widths = column_widths(widths, &header, &body, pad, tw);
                let t = Table {
                    widths,
                    header,
                    rows: body,
                    pad,
                    before: 2.0,
                    after: 10.0,
                };
                out.push(Block::Table(t));
            }
        }
    }
}

/// Signatures and Nơi nhận, kept together (ô 7, 8, 9b).
fn signature_blocks(out: &mut Vec<Block>, m: &DocModel, lw: f32, tw: f32) {
    let sign = |b: &SignBlock| -> Vec<Block> {
        let mut v: Vec<Block> = b
            .lines
            .iter()
            .map(|l| Block::Para(centered(&l.to_uppercase(), Face::Bold, 14.0).leading(17.0)))
            .collect();
        if !b.note.is_empty() {
            v.push(Block::Para(centered(&b.note, Face::Italic, 13.0).leading(17.0)));
        }
        v.push(Block::Space(mm(24.0)));
        v.push(Block::Para(centered(&b.name, Face::Bold, 14.0).leading(17.0)));
        v
    };
    let mut tail: Vec<Block> = vec![Block::Space(10.0)];
    let half = tw / 2.0;
    let n_rows = m.signatures.len();
    for (i, (l, r)) in m.signatures.iter().enumerate() {
        let mut cols = Vec::new();
        let is_last = i + 1 == n_rows;
        // Mẫu 1.4: Nơi nhận sits on the left of the signer's block, level with its first line.
        if is_last && l.is_none() && !m.recipients.is_empty() {
            cols.push(Column {
                x: 0.0,
                width: lw,
                blocks: recipients_blocks(&m.recipients),
            });
        } else if let Some(l) = l {
            cols.push(Column {
                x: 0.0,
                width: half,
                blocks: sign(l),
            });
        }
        if let Some(r) = r {
            let (x, w) = if l.is_none() { (lw, tw - lw) } else { (half, half) };
            cols.push(Column {
                x,
                width: w,
                blocks: sign(r),
            });
        }
        tail.push(Block::Columns(cols));
        tail.push(Block::Space(12.0));
    }
    if m.signatures.last().is_some_and(|(l, _)| l.is_some()) && !m.recipients.is_empty() {
        tail.push(Block::Columns(vec![Column {
            x: 0.0,
            width: lw,
            blocks: recipients_blocks(&m.recipients),
        }]));
    }
    out.push(Block::Keep(tail));
}

/// Column widths in points: the model's fractions of the text width, widened where a
/// column's widest unbreakable word or word pair (header or cell, with the padding) would
/// not fit or its header would take more than two lines, the room taken from the columns that have more than they need, in proportion
/// to what they can spare. Within the text width; if even the minimums do not fit, they are
/// shared out in proportion.
pub fn column_widths(
    fractions: &[f32],
    header: &[Vec<Vec<Para>>],
    rows: &[Vec<Vec<Para>>],
    pad: f32,
    tw: f32,
) -> Vec<f32> {
    let mut widths: Vec<f32> = fractions.iter().map(|f| f * tw).collect();
    let mut need = vec![0.0f32; widths.len()];
    for (i, row) in header.iter().chain(rows).enumerate() {
        for (j, cell) in row.iter().enumerate().take(widths.len()) {
            for p in cell {
                let w = if i < header.len() {
                    layout::width_for_lines(p, 2)
                } else {
                    layout::min_width(p)
                };
                need[j] = need[j].max(w + 2.0 * pad + 0.5);
            }
        }
    }
    let total_need: f32 = need.iter().sum();
    if total_need > tw {
        return need.iter().map(|n| n * tw / total_need).collect();
    }
    let short: f32 = widths.iter().zip(&need).map(|(w, n)| (n - w).max(0.0)).sum();
    if short <= 0.0 {
        return widths;
    }
    let spare: f32 = widths.iter().zip(&need).map(|(w, n)| (w - n).max(0.0)).sum();
    let take = short / spare;
    for (w, n) in widths.iter_mut().zip(&need) {
        if *w < *n {
            *w = *n;
        } else {
            *w -= (*w - n) * take;
        }
    }
    widths
}

fn recipients_blocks(list: &[String]) -> Vec<Block> {
    let mut v = vec![Block::Para(
        Para::new(vec![run("Nơi nhận:", Face::BoldItalic)], 12.0).leading(17.0),
    )];
    let n = list.len();
    // A recipient that wraps goes on under its text, not under the dash (a hanging indent).
    let dash = fonts().width(Face::Regular, 11.0, "- ");
    for (i, r) in list.iter().enumerate() {
        let end = if i + 1 == n { "." } else { ";" };
        v.push(Block::Para(
            Para::new(vec![run(format!("- {r}{end}"), Face::Regular)], 11.0)
                .leading(13.0)
                .phrases()
                .indent(dash)
                .first_indent(-dash),
        ));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_columns_are_widened_from_the_widest_one() {
        let tw = PageSetup::a4().text_width();
        let cell = |t: &str| vec![Para::new(vec![run(t, Face::Bold)], 13.0).phrases().balance()];
        let header = vec![vec![cell("Lĩnh vực"), cell("Điểm tối đa"), cell("Đơn vị tự chấm")]];
        let rows = vec![vec![cell("Cải cách thể chế"), cell("9"), cell("0,75")]];
        let w = column_widths(&[0.8, 0.1, 0.1], &header, &rows, 4.0, tw);
        assert!(
            (w.iter().sum::<f32>() - tw).abs() < 0.01,
            "within the text width: {w:?}"
        );
        for (j, text) in [(1, "tối đa"), (2, "tự chấm")] {
            assert!(w[j] >= fonts().width(Face::Bold, 13.0, text) + 8.0, "column {j}: {w:?}");
        }
        assert!(w[0] < 0.8 * tw, "the wide column gave the room");
        // Wide enough already: the model's fractions are kept.
        let w = column_widths(&[0.5, 0.25, 0.25], &header, &rows, 4.0, tw);
        assert_eq!(w, vec![0.5 * tw, 0.25 * tw, 0.25 * tw]);
    }
}
