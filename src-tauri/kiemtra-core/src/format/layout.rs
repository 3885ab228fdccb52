//! A small layout engine for Decree-30 documents on top of printpdf's low-level operations.
//!
//! printpdf draws glyphs and lines; it does not wrap, justify, paginate or build tables. This
//! module does: paragraphs wrapped at spaces (a Vietnamese syllable is never split), justified
//! with explicit gaps, first-line indents and paragraph spacing; side-by-side columns (the
//! header, the signature blocks); bordered tables whose header row is repeated on each page;
//! blocks kept together (the signature with Nơi nhận); headings and lead-ins (a paragraph
//! ending in ":", a label such as "Nội dung:") kept with what follows, a table's header row
//! with its first two rows; no single line of a paragraph left alone at the top or bottom
//! of a page; page numbers centred in the top margin from page 2.
//!
//! All measures are in points; y grows downwards from the top of the text area until
//! [`render`] turns pages into PDF operations.

use printpdf::{
    FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt,
    TextItem, TextMatrix,
};

use super::fonts::{fonts, Face, FONT_BYTES};
use crate::domain::text::excerpt;
use crate::error::{Error, Result};

pub const PT_PER_MM: f32 = 72.0 / 25.4;

pub fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

/// Ascent and descent of Liberation Serif (hhea), in em: used to place a baseline in a line.
const ASCENT: f32 = 0.891;
const DESCENT: f32 = 0.216;

#[derive(Debug, Clone, Copy)]
pub struct PageSetup {
    pub width: f32,
    pub height: f32,
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
    /// Size of the page numbers (pages 2…), centred in the top margin.
    pub number_size: f32,
}

impl PageSetup {
    /// A4 portrait with margins inside Decree 30's ranges (top and bottom 20–25 mm, left
    /// 30–35 mm, right 15–20 mm).
    pub fn a4() -> PageSetup {
        PageSetup {
            width: mm(210.0),
            height: mm(297.0),
            top: mm(20.0),
            bottom: mm(20.0),
            left: mm(30.0),
            right: mm(15.0),
            number_size: 13.0,
        }
    }
    pub fn text_width(&self) -> f32 {
        self.width - self.left - self.right
    }
    pub fn text_height(&self) -> f32 {
        self.height - self.top - self.bottom
    }
}

#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub face: Face,
}

pub fn run(text: impl Into<String>, face: Face) -> Run {
    Run {
        text: text.into(),
        face,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

/// A horizontal rule under a paragraph's last line, centred on it.
#[derive(Debug, Clone, Copy)]
pub struct RuleBelow {
    /// Length as a fraction of the widest line of the paragraph (Decree 30: 1/3–1/2 under the
    /// issuing body and the summary, the full line under the motto).
    pub fraction: f32,
    /// Distance below the last baseline.
    pub gap: f32,
    pub thickness: f32,
}

#[derive(Debug, Clone)]
pub struct Para {
    pub runs: Vec<Run>,
    pub size: f32,
    /// Distance between baselines.
    pub leading: f32,
    pub align: Align,
    pub first_indent: f32,
    pub indent: f32,
    pub before: f32,
    pub after: f32,
    pub keep_with_next: bool,
    pub rule: Option<RuleBelow>,
    /// Break into lines of even length (centred headings: "ĐOÀN KIỂM TRA CÔNG TÁC / CẢI CÁCH
    /// HÀNH CHÍNH" rather than a long line and a short one), between phrases: never inside a
    /// listed word pair, after a preposition or a prefix if it can be helped, preferably
    /// before "tại", "của", "năm"… ([`super::phrases::break_cost`]).
    pub balance: bool,
    /// Never break inside a listed word pair ("tối | đa", "nhà | nước") unless the pair is
    /// wider than the line (table cells).
    pub phrases: bool,
    /// Fill the line with dots (a blank to be written in by hand).
    pub dots: bool,
}

impl Para {
    pub fn new(runs: Vec<Run>, size: f32) -> Para {
        Para {
            runs,
            size,
            leading: (size * 1.2).round(),
            align: Align::Left,
            first_indent: 0.0,
            indent: 0.0,
            before: 0.0,
            after: 0.0,
            keep_with_next: false,
            rule: None,
            balance: false,
            phrases: false,
            dots: false,
        }
    }
    pub fn balance(mut self) -> Para {
        self.balance = true;
        self
    }
    pub fn phrases(mut self) -> Para {
        self.phrases = true;
        self
    }
    pub fn align(mut self, a: Align) -> Para {
        self.align = a;
        self
    }
    pub fn after(mut self, pt: f32) -> Para {
        self.after = pt;
        self
    }
    pub fn before(mut self, pt: f32) -> Para {
        self.before = pt;
        self
    }
    pub fn leading(mut self, pt: f32) -> Para {
        self.leading = pt;
        self
    }
    pub fn first_indent(mut self, pt: f32) -> Para {
        self.first_indent = pt;
        self
    }
    pub fn indent(mut self, pt: f32) -> Para {
        self.indent = pt;
        self
    }
    pub fn keep_with_next(mut self) -> Para {
        self.keep_with_next = true;
        self
    }
    pub fn rule(mut self, fraction: f32) -> Para {
        self.rule = Some(RuleBelow {
            fraction,
            gap: self.size * 0.3,
            thickness: 0.6,
        });
        self
    }
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    /// Offset from the left edge of the area the columns are laid out in.
    pub x: f32,
    pub width: f32,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Column widths in points.
    pub widths: Vec<f32>,
    pub header: Vec<Vec<Vec<Para>>>,
    pub rows: Vec<Vec<Vec<Para>>>,
    pub pad: f32,
    pub before: f32,
    pub after: f32,
}

#[derive(Debug, Clone)]
pub enum Block {
    Para(Para),
    Table(Table),
    /// Side by side, kept on one page.
    Columns(Vec<Column>),
    /// Kept together on one page when it fits on one.
    Keep(Vec<Block>),
    Space(f32),
}

/// One thing drawn on a page, in page coordinates with y from the top of the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    Text {
        x: f32,
        baseline: f32,
        face: Face,
        size: f32,
        items: Vec<Piece>,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        thickness: f32,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    /// Extra space in points (justification).
    Gap(f32),
}

/// An unbreakable piece of a flow: a line of a paragraph, a table row, a kept block.
#[derive(Debug, Clone, Default)]
struct Chunk {
    before: f32,
    height: f32,
    after: f32,
    keep_with_next: bool,
    /// Table header to repeat above this chunk when it starts a page.
    header: Option<usize>,
    /// Marks relative to the chunk's top-left corner.
    marks: Vec<Mark>,
}

impl Chunk {
    fn shifted(&self, dx: f32, dy: f32) -> Vec<Mark> {
        self.marks.iter().map(|m| shift(m, dx, dy)).collect()
    }
}

fn shift(m: &Mark, dx: f32, dy: f32) -> Mark {
    match m {
        Mark::Text {
            x,
            baseline,
            face,
            size,
            items,
        } => Mark::Text {
            x: x + dx,
            baseline: baseline + dy,
            face: *face,
            size: *size,
            items: items.clone(),
        },
        Mark::Rule {
            x1,
            y1,
            x2,
            y2,
            thickness,
        } => Mark::Rule {
            x1: x1 + dx,
            y1: y1 + dy,
            x2: x2 + dx,
            y2: y2 + dy,
            thickness: *thickness,
        },
    }
}

// ---------------------------------------------------------------------------------------
// Paragraphs

#[derive(Debug, Clone)]
enum Tok {
    Word(Vec<(Face, String)>, f32),
    Space(Face, usize, f32),
    Break,
}

fn tokens(p: &Para) -> Vec<Tok> {
    let f = fonts();
    let mut out: Vec<Tok> = Vec::new();
    for r in &p.runs {
        for ch in r.text.chars() {
            match ch {
                '\n' => out.push(Tok::Break),
                ' ' | '\t' => {
                    let w = f.width(r.face, p.size, " ");
                    match out.last_mut() {
                        Some(Tok::Space(_, n, width)) => {
                            *n += 1;
                            *width += w;
                        }
                        _ => out.push(Tok::Space(r.face, 1, w)),
                    }
                }
                c => {
                    let w = f.advance(r.face, c).unwrap_or(0) as f32 * p.size / 1000.0;
                    match out.last_mut() {
                        Some(Tok::Word(pieces, width)) => {
                            *width += w;
                            match pieces.last_mut() {
                                Some((face, s)) if *face == r.face => s.push(c),
                                _ => pieces.push((r.face, c.to_string())),
                            }
                        }
                        _ => out.push(Tok::Word(vec![(r.face, c.to_string())], w)),
                    }
                }
            }
        }
    }
    out
}

/// A word wider than a whole line (a long address, a row of dots) is cut between characters;
/// words that fit are never cut.
fn split_long_word(pieces: &[(Face, String)], size: f32, avail: f32) -> Vec<(Vec<(Face, String)>, f32)> {
    let f = fonts();
    let mut parts = Vec::new();
    let mut cur: Vec<(Face, String)> = Vec::new();
    let mut w = 0.0;
    for (face, s) in pieces {
        for c in s.chars() {
            let cw = f.advance(*face, c).unwrap_or(0) as f32 * size / 1000.0;
            if w + cw > avail && w > 0.0 {
                parts.push((std::mem::take(&mut cur), w));
                w = 0.0;
            }
            match cur.last_mut() {
                Some((cf, cs)) if cf == face => cs.push(c),
                _ => cur.push((*face, c.to_string())),
            }
            w += cw;
        }
    }
    if !cur.is_empty() {
        parts.push((cur, w));
    }
    parts
}

struct LineBox {
    /// Words and the spaces between them (no leading or trailing space).
    toks: Vec<Tok>,
    natural: f32,
    /// The last line of the paragraph or a line ended by a forced break: not justified.
    last: bool,
}

fn word_text(pieces: &[(Face, String)]) -> String {
    pieces.iter().map(|(_, s)| s.as_str()).collect()
}

/// For each token: a space is `glued` when the words either side form a listed pair; a
/// word's `run` is its width with the glued words after it (what must fit on its line).
fn glue(toks: &[Tok]) -> (Vec<bool>, Vec<f32>) {
    let n = toks.len();
    let mut glued = vec![false; n];
    for i in 1..n.saturating_sub(1) {
        if let (Tok::Word(a, _), Tok::Space(..), Tok::Word(b, _)) = (&toks[i - 1], &toks[i], &toks[i + 1]) {
            glued[i] = super::phrases::compound(&word_text(a), &word_text(b));
        }
    }
    let mut run = vec![0.0f32; n];
    let mut i = n;
    while i > 0 {
        i -= 1;
        if let Tok::Word(_, w) = &toks[i] {
            run[i] = *w;
            if i + 2 < n && glued[i + 1] {
                if let Tok::Space(_, _, sw) = &toks[i + 1] {
                    run[i] += sw + run[i + 2];
                }
            }
        }
    }
    (glued, run)
}

/// The smallest width a paragraph can be set in without cutting a word (nor a listed pair,
/// for a paragraph that keeps them): its widest unbreakable run plus its indents.
pub fn min_width(p: &Para) -> f32 {
    let toks = tokens(p);
    let widest = if p.phrases || p.balance {
        let (glued, run) = glue(&toks);
        (0..toks.len())
            .filter(|&i| i < 1 || !glued[i - 1])
            .map(|i| run[i])
            .fold(0.0, f32::max)
    } else {
        toks.iter()
            .map(|t| match t {
                Tok::Word(_, w) => *w,
                _ => 0.0,
            })
            .fold(0.0, f32::max)
    };
    widest + p.indent + p.first_indent.max(0.0)
}

/// The lines a paragraph is set in at `width`.
fn set_lines(p: &Para, width: f32) -> Vec<LineBox> {
    let lines = break_lines(p, width);
    if p.balance && lines.len() > 1 {
        if let Some(b) = balanced_lines(p, width) {
            return b;
        }
    }
    lines
}

/// The smallest width (to a point) in which a paragraph is set in at most `n` lines, never
/// less than [`min_width`] (a table header of two lines rather than three).
pub fn width_for_lines(p: &Para, n: usize) -> f32 {
    let lo0 = min_width(p);
    let whole =
        p.indent + p.first_indent.max(0.0) + break_lines(p, f32::MAX).iter().map(|l| l.natural).fold(0.0, f32::max);
    if set_lines(p, lo0 + 0.01).len() <= n {
        return lo0;
    }
    let (mut lo, mut hi) = (lo0, whole + 0.01);
    while hi - lo > 1.0 {
        let mid = (lo + hi) / 2.0;
        if set_lines(p, mid).len() <= n {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

fn break_lines(p: &Para, width: f32) -> Vec<LineBox> {
    let toks = tokens(p);
    let (glued, run) = if p.phrases || p.balance {
        glue(&toks)
    } else {
        (vec![false; toks.len()], Vec::new())
    };
    let mut pending_glued = false;
    let mut lines: Vec<LineBox> = Vec::new();
    let mut cur: Vec<Tok> = Vec::new();
    let mut cur_w = 0.0f32;
    let mut pending_space: Option<Tok> = None;
    let avail = |first: bool| width - p.indent - if first { p.first_indent } else { 0.0 };
    let finish = |lines: &mut Vec<LineBox>, cur: &mut Vec<Tok>, cur_w: &mut f32, last: bool| {
        lines.push(LineBox {
            toks: std::mem::take(cur),
            natural: *cur_w,
            last,
        });
        *cur_w = 0.0;
    };
    for (idx, t) in toks.into_iter().enumerate() {
        match t {
            Tok::Break => {
                pending_space = None;
                finish(&mut lines, &mut cur, &mut cur_w, true);
            }
            Tok::Space(..) => {
                if !cur.is_empty() {
                    pending_glued = glued[idx];
                    pending_space = Some(t);
                } else if lines.is_empty() || matches!(lines.last(), Some(l) if l.last) {
                    // Spaces at the start of a paragraph or after a forced break are kept
                    // (a blank left for the clerk: "Số:      /TB-ĐKT").
                    if let Tok::Space(_, _, w) = &t {
                        cur_w += w;
                    }
                    cur.push(t);
                }
            }
            Tok::Word(pieces, w) => {
                let space_w = match &pending_space {
                    Some(Tok::Space(_, _, sw)) => *sw,
                    _ => 0.0,
                };
                let a = avail(lines.is_empty());
                // The first word of a listed pair brings the pair (when the pair fits a line).
                let continuing = pending_space.is_some() && std::mem::take(&mut pending_glued);
                let need = match run.get(idx) {
                    Some(&r) if !continuing && r <= avail(false) + 0.01 => r,
                    _ => w,
                };
                if !cur.is_empty() && cur_w + space_w + need > a + 0.01 {
                    pending_space = None;
                    finish(&mut lines, &mut cur, &mut cur_w, false);
                }
                let a = avail(lines.is_empty());
                if cur.is_empty() && w > a {
                    let parts = split_long_word(&pieces, p.size, a);
                    let n = parts.len();
                    for (i, (pc, pw)) in parts.into_iter().enumerate() {
                        cur.push(Tok::Word(pc, pw));
                        cur_w = pw;
                        if i + 1 < n {
                            finish(&mut lines, &mut cur, &mut cur_w, false);
                        }
                    }
                    pending_space = None;
                    continue;
                }
                if let Some(s) = pending_space.take() {
                    if !cur.is_empty() {
                        cur_w += space_w;
                        cur.push(s);
                    }
                }
                cur_w += w;
                cur.push(Tok::Word(pieces, w));
            }
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        finish(&mut lines, &mut cur, &mut cur_w, true);
    }
    if let Some(l) = lines.last_mut() {
        l.last = true;
    }
    lines
}

/// Lines of even length broken between phrases: the fewest lines, then the least cost of
/// its breaks ([`super::phrases::break_cost`]) and of uneven lines (the squares of what each
/// line leaves of the measure). A small dynamic programme over the words (titles and
/// headings have a few dozen). None when a word is wider than the line or the paragraph has
/// forced breaks (the greedy lines are kept).
fn balanced_lines(p: &Para, width: f32) -> Option<Vec<LineBox>> {
    const LINE: f32 = 1000.0;
    const UNEVEN: f32 = 150.0;
    let toks = tokens(p);
    if toks.iter().any(|t| matches!(t, Tok::Break)) {
        return None;
    }
    // Words with the space before each (none before the first).
    let mut words: Vec<(usize, f32, f32)> = Vec::new(); // (token index, width, space before)
    let mut space = 0.0;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Word(_, w) => {
                words.push((i, *w, if words.is_empty() { 0.0 } else { space }));
                space = 0.0;
            }
            Tok::Space(_, _, w) => space += w,
            Tok::Break => {}
        }
    }
    let m = words.len();
    if m < 2 {
        return None;
    }
    let text = |k: usize| match &toks[words[k].0] {
        Tok::Word(pc, _) => word_text(pc),
        _ => String::new(),
    };
    let texts: Vec<String> = (0..m).map(text).collect();
    let caps = !p.text().chars().any(char::is_lowercase);
    let avail = |first: bool| width - p.indent - if first { p.first_indent } else { 0.0 };
    // best[j]: the cheapest way to set words 0..j; from[j]: where its last line starts.
    let mut best = vec![f32::INFINITY; m + 1];
    let mut from = vec![0usize; m + 1];
    best[0] = 0.0;
    for j in 1..=m {
        let mut w = 0.0;
        for i in (0..j).rev() {
            w += words[i].1 + if i + 1 < j { words[i + 1].2 } else { 0.0 };
            let a = avail(i == 0);
            if w > a + 0.01 {
                if i + 1 == j {
                    return None;
                }
                break;
            }
            if !best[i].is_finite() {
                continue;
            }
            let slack = (a - w) / a;
            let brk = if j < m {
                super::phrases::break_cost(&texts[j - 1], &texts[j], caps)
            } else {
                0.0
            };
            let cost = best[i] + LINE + UNEVEN * slack * slack + brk;
            if cost < best[j] {
                best[j] = cost;
                from[j] = i;
            }
        }
    }
    let mut cuts = vec![m];
    let mut j = m;
    while j > 0 {
        j = from[j];
        cuts.push(j);
    }
    cuts.reverse();
    let lines = cuts
        .windows(2)
        .map(|c| {
            let (a, b) = (words[c[0]].0, words[c[1] - 1].0);
            let toks: Vec<Tok> = toks[a..=b].to_vec();
            let natural = toks
                .iter()
                .map(|t| match t {
                    Tok::Word(_, w) | Tok::Space(_, _, w) => *w,
                    Tok::Break => 0.0,
                })
                .sum();
            LineBox {
                toks,
                natural,
                last: c[1] == m,
            }
        })
        .collect();
    Some(lines)
}

fn baseline_in(leading: f32, size: f32) -> f32 {
    (leading - (ASCENT + DESCENT) * size) / 2.0 + ASCENT * size
}

/// The marks of one line, from x = 0 at the left edge of the paragraph's area.
fn line_marks(p: &Para, l: &LineBox, width: f32, first: bool, baseline: f32) -> (Vec<Mark>, f32, f32) {
    let left = p.indent + if first { p.first_indent } else { 0.0 };
    let avail = width - left;
    let gaps = l.toks.iter().filter(|t| matches!(t, Tok::Space(..))).count();
    let (x0, extra) = match p.align {
        Align::Left => (left, 0.0),
        Align::Center => (left + (avail - l.natural) / 2.0, 0.0),
        Align::Right => (left + avail - l.natural, 0.0),
        Align::Justify if !l.last && gaps > 0 => (left, (avail - l.natural).max(0.0) / gaps as f32),
        Align::Justify => (left, 0.0),
    };
    let mut marks = Vec::new();
    let mut x = x0;
    // Group consecutive tokens of one face into one text mark.
    let mut cur: Option<(Face, f32, Vec<Piece>)> = None;
    let push = |face: Face, piece: Piece, x: f32, cur: &mut Option<(Face, f32, Vec<Piece>)>, marks: &mut Vec<Mark>| {
        match cur {
            Some((f, _, items)) if *f == face => match (items.last_mut(), piece) {
                (Some(Piece::Text(s)), Piece::Text(t)) => s.push_str(&t),
                (_, pc) => items.push(pc),
            },
            _ => {
                if let Some((f, sx, items)) = cur.take() {
                    marks.push(Mark::Text {
                        x: sx,
                        baseline,
                        face: f,
                        size: p.size,
                        items,
                    });
                }
                *cur = Some((face, x, vec![piece]));
            }
        }
    };
    for t in &l.toks {
        match t {
            Tok::Word(pieces, _) => {
                for (face, s) in pieces {
                    push(*face, Piece::Text(s.clone()), x, &mut cur, &mut marks);
                    x += fonts().width(*face, p.size, s);
                }
            }
            Tok::Space(face, n, w) => {
                push(*face, Piece::Text(" ".repeat(*n)), x, &mut cur, &mut marks);
                x += w;
                if extra > 0.0 {
                    push(*face, Piece::Gap(extra), x, &mut cur, &mut marks);
                    x += extra;
                }
            }
            Tok::Break => {}
        }
    }
    if let Some((f, sx, items)) = cur.take() {
        marks.push(Mark::Text {
            x: sx,
            baseline,
            face: f,
            size: p.size,
            items,
        });
    }
    (marks, x0, x)
}

/// A line of dots from the indent to the right edge.
fn dot_line(p: &Para, width: f32) -> String {
    let dot = fonts().width(Face::Regular, p.size, "…").max(1.0);
    let n = ((width - p.indent - p.first_indent) / dot).floor().max(1.0) as usize;
    "…".repeat(n)
}

/// A paragraph that ends in ":" introduces what follows it (a list, a table, a label's
/// content) and is never left at the foot of a page without it.
pub fn is_lead_in(p: &Para) -> bool {
    p.runs
        .iter()
        .rev()
        .map(|r| r.text.trim_end())
        .find(|t| !t.is_empty())
        .is_some_and(|t| t.ends_with(':'))
}

fn para_chunks(p: &Para, width: f32) -> Vec<Chunk> {
    if p.dots {
        let mut q = p.clone();
        q.dots = false;
        q.runs = vec![Run {
            text: dot_line(p, width),
            face: Face::Regular,
        }];
        q.align = Align::Left;
        return para_chunks(&q, width);
    }
    let lines = set_lines(p, width);
    let n = lines.len();
    // A lead-in ("… như sau:", a label such as "Nội dung:") introduces what follows.
    let keep_last = p.keep_with_next || is_lead_in(p);
    let base = baseline_in(p.leading, p.size);
    let mut widest: (f32, f32) = (f32::MAX, 0.0);
    let mut out = Vec::with_capacity(n);
    for (i, l) in lines.iter().enumerate() {
        let (marks, x0, x1) = line_marks(p, l, width, i == 0, base);
        if !l.toks.is_empty() && x1 - x0 > widest.1 - widest.0 {
            widest = (x0, x1);
        }
        out.push(Chunk {
            before: if i == 0 { p.before } else { 0.0 },
            height: p.leading,
            after: if i + 1 == n { p.after } else { 0.0 },
            // No single line left at the bottom or the top of a page.
            keep_with_next: (i + 1 == n && keep_last) || (n >= 2 && (i == 0 || i + 2 == n)),
            header: None,
            marks,
        });
    }
    if let (Some(r), Some(last)) = (p.rule, out.last_mut()) {
        let (x0, x1) = if widest.0 == f32::MAX { (0.0, width) } else { widest };
        let len = (x1 - x0) * r.fraction;
        let mid = (x0 + x1) / 2.0;
        let y = base + p.size * DESCENT + r.gap;
        last.marks.push(Mark::Rule {
            x1: mid - len / 2.0,
            y1: y,
            x2: mid + len / 2.0,
            y2: y,
            thickness: r.thickness,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Stacking, columns, tables

/// Lay `blocks` out one under the other in `width`, as one unbreakable chunk.
fn stack(blocks: &[Block], width: f32, headers: &mut Vec<Chunk>) -> Chunk {
    let chunks = flow(blocks, width, headers);
    let mut y = 0.0;
    let mut marks = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        if i > 0 {
            y += c.before;
        }
        marks.extend(c.shifted(0.0, y));
        y += c.height + c.after;
    }
    let last_after = chunks.last().map(|c| c.after).unwrap_or(0.0);
    Chunk {
        before: chunks.first().map(|c| c.before).unwrap_or(0.0),
        height: (y - last_after).max(0.0),
        after: last_after,
        keep_with_next: chunks.last().map(|c| c.keep_with_next).unwrap_or(false),
        header: None,
        marks,
    }
}

fn table_row(cells: &[Vec<Para>], t: &Table, headers: &mut Vec<Chunk>) -> Chunk {
    let mut x = 0.0;
    let mut marks = Vec::new();
    let mut h: f32 = 0.0;
    let mut laid = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let w = t.widths.get(i).copied().unwrap_or(0.0);
        let blocks: Vec<Block> = cell.iter().cloned().map(Block::Para).collect();
        let c = stack(&blocks, w - 2.0 * t.pad, headers);
        h = h.max(c.height + 2.0 * t.pad);
        laid.push((x, c));
        x += w;
    }
    for (x, c) in &laid {
        marks.extend(c.shifted(x + t.pad, t.pad));
    }
    let total: f32 = t.widths.iter().sum();
    let rule = |x1, y1, x2, y2| Mark::Rule {
        x1,
        y1,
        x2,
        y2,
        thickness: 0.5,
    };
    marks.push(rule(0.0, 0.0, total, 0.0));
    marks.push(rule(0.0, h, total, h));
    let mut x = 0.0;
    marks.push(rule(0.0, 0.0, 0.0, h));
    for w in &t.widths {
        x += w;
        marks.push(rule(x, 0.0, x, h));
    }
    Chunk {
        before: 0.0,
        height: h,
        after: 0.0,
        keep_with_next: false,
        header: None,
        marks,
    }
}

fn flow(blocks: &[Block], width: f32, headers: &mut Vec<Chunk>) -> Vec<Chunk> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Para(p) => out.extend(para_chunks(p, width)),
            Block::Space(h) => out.push(Chunk {
                height: *h,
                ..Chunk::default()
            }),
            Block::Keep(inner) => out.push(stack(inner, width, headers)),
            Block::Columns(cols) => {
                let mut marks = Vec::new();
                let mut h: f32 = 0.0;
                let mut keep = false;
                let mut after: f32 = 0.0;
                for c in cols {
                    let s = stack(&c.blocks, c.width, headers);
                    h = h.max(s.height);
                    after = after.max(s.after);
                    keep |= s.keep_with_next;
                    marks.extend(s.shifted(c.x, 0.0));
                }
                out.push(Chunk {
                    height: h,
                    after,
                    keep_with_next: keep,
                    marks,
                    ..Chunk::default()
                });
            }
            Block::Table(t) => {
                let mut head = Chunk::default();
                for (i, row) in t.header.iter().enumerate() {
                    let r = table_row(row, t, headers);
                    head.marks.extend(r.shifted(0.0, head.height));
                    head.height += r.height;
                    let _ = i;
                }
                let header_index = if t.header.is_empty() {
                    None
                } else {
                    headers.push(head.clone());
                    Some(headers.len() - 1)
                };
                if !t.header.is_empty() {
                    head.before = t.before;
                    head.keep_with_next = true;
                    out.push(head);
                }
                let n = t.rows.len();
                for (i, row) in t.rows.iter().enumerate() {
                    let mut r = table_row(row, t, headers);
                    r.header = header_index;
                    // The header row and the first two rows start the table together (all of
                    // a table of two rows), so its lead-in is never apart from its first rows.
                    r.keep_with_next = i == 0 && n > 1;
                    if i == 0 && t.header.is_empty() {
                        r.before = t.before;
                    }
                    if i + 1 == n {
                        r.after = t.after;
                    }
                    out.push(r);
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Pages

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub marks: Vec<Mark>,
}

/// Break the flow into pages and number pages 2….
pub fn paginate(setup: &PageSetup, blocks: &[Block]) -> Vec<Page> {
    let mut headers = Vec::new();
    let chunks = flow(blocks, setup.text_width(), &mut headers);
    let avail = setup.text_height();
    let mut pages = vec![Page::default()];
    let mut y = 0.0f32;
    let mut at_top = true;
    let mut i = 0;
    while i < chunks.len() {
        let c = &chunks[i];
        // The group this chunk must stay with.
        let mut j = i;
        let mut group_h = c.height;
        while chunks[j].keep_with_next && j + 1 < chunks.len() {
            j += 1;
            group_h += chunks[j].before + chunks[j - 1].after + chunks[j].height;
        }
        let before = if at_top { 0.0 } else { c.before };
        let fits_here = y + before + group_h <= avail + 0.01;
        let fits_alone = c.header.map(|h| headers[h].height).unwrap_or(0.0) + group_h <= avail + 0.01;
        let chunk_fits = y + before + c.height <= avail + 0.01;
        if !at_top && (!chunk_fits || (!fits_here && fits_alone)) {
            pages.push(Page::default());
            y = 0.0;
            at_top = true;
            if let Some(h) = c.header {
                let head = &headers[h];
                pages
                    .last_mut()
                    .unwrap()
                    .marks
                    .extend(head.shifted(setup.left, setup.top));
                y = head.height;
            }
            continue;
        }
        let before = if at_top { 0.0 } else { c.before };
        y += before;
        pages
            .last_mut()
            .unwrap()
            .marks
            .extend(c.shifted(setup.left, setup.top + y));
        y += c.height + c.after;
        at_top = false;
        i += 1;
    }
    // Page numbers: centred in the top margin, from page 2 (Decree 30, I.7).
    for (n, page) in pages.iter_mut().enumerate().skip(1) {
        let label = (n + 1).to_string();
        let w = fonts().width(Face::Regular, setup.number_size, &label);
        page.marks.push(Mark::Text {
            x: setup.left + (setup.text_width() - w) / 2.0,
            baseline: setup.top / 2.0 + setup.number_size * 0.35,
            face: Face::Regular,
            size: setup.number_size,
            items: vec![Piece::Text(label)],
        });
    }
    pages
}

/// Check every character of the blocks against the typeface before drawing anything.
pub fn check_glyphs(blocks: &[Block]) -> Result<()> {
    fn para(p: &Para) -> Result<()> {
        for r in &p.runs {
            let shown: String = r.text.chars().filter(|c| *c != '\n' && *c != '\t').collect();
            let place = format!("«{}»", excerpt(&p.text(), 60));
            fonts().check(r.face, &shown, &place)?;
        }
        Ok(())
    }
    for b in blocks {
        match b {
            Block::Para(p) => para(p)?,
            Block::Keep(bs) => check_glyphs(bs)?,
            Block::Columns(cs) => {
                for c in cs {
                    check_glyphs(&c.blocks)?;
                }
            }
            Block::Table(t) => {
                for row in t.header.iter().chain(&t.rows) {
                    for cell in row {
                        for p in cell {
                            para(p)?;
                        }
                    }
                }
            }
            Block::Space(_) => {}
        }
    }
    Ok(())
}

pub struct PdfMeta<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub author: &'a str,
    /// Creation and modification date (seconds since 1970, UTC).
    pub unix_time: i64,
    /// The file identifier written in the trailer: the content hash, so two renderings of the
    /// same content share it.
    pub id: [u8; 16],
}

/// Draw the pages with the embedded, subset faces and return the PDF's bytes.
pub fn render(setup: &PageSetup, pages: &[Page], meta: &PdfMeta<'_>) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(meta.title);
    let mut warnings = Vec::new();
    let mut ids: Vec<Option<FontId>> = vec![None; 4];
    let used: Vec<bool> = Face::ALL
        .iter()
        .map(|f| {
            pages.iter().any(|p| {
                p.marks
                    .iter()
                    .any(|m| matches!(m, Mark::Text { face, .. } if face == f))
            })
        })
        .collect();
    for face in Face::ALL {
        if used[face.index()] {
            let parsed = ParsedFont::from_bytes(FONT_BYTES[face.index()], 0, &mut warnings)
                .ok_or_else(|| Error::Internal("Không đọc được phông chữ gắn trong ứng dụng.".into()))?;
            ids[face.index()] = Some(doc.add_font(&parsed));
        }
    }
    let h = setup.height;
    let mut out_pages = Vec::with_capacity(pages.len());
    for page in pages {
        let mut ops = Vec::with_capacity(page.marks.len() * 5);
        let mut thickness = -1.0f32;
        for m in &page.marks {
            match m {
                Mark::Text {
                    x,
                    baseline,
                    face,
                    size,
                    items,
                } => {
                    let id = ids[face.index()].clone().expect("font of a used face");
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(id),
                        size: Pt(*size),
                    });
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(Pt(*x), Pt(h - baseline)),
                    });
                    let items = items
                        .iter()
                        .map(|it| match it {
                            Piece::Text(s) => TextItem::Text(s.clone()),
                            Piece::Gap(g) => TextItem::Offset(-g * 1000.0 / size),
                        })
                        .collect();
                    ops.push(Op::ShowText { items });
                    ops.push(Op::EndTextSection);
                }
                Mark::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    thickness: t,
                } => {
                    if (*t - thickness).abs() > 1e-3 {
                        ops.push(Op::SetOutlineThickness { pt: Pt(*t) });
                        thickness = *t;
                    }
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: Point {
                                        x: Pt(*x1),
                                        y: Pt(h - y1),
                                    },
                                    bezier: false,
                                },
                                LinePoint {
                                    p: Point {
                                        x: Pt(*x2),
                                        y: Pt(h - y2),
                                    },
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                }
            }
        }
        out_pages.push(PdfPage::new(
            Mm(setup.width / PT_PER_MM),
            Mm(setup.height / PT_PER_MM),
            ops,
        ));
    }
    doc.with_pages(out_pages);
    let when = printpdf::OffsetDateTime::from_unix_timestamp(meta.unix_time)
        .unwrap_or_else(|_| printpdf::OffsetDateTime::epoch());
    let info = &mut doc.metadata.info;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    info.document_title = meta.title.to_string();
    info.subject = meta.subject.to_string();
    info.author = meta.author.to_string();
    info.creator = "Kiểm tra CCHC".into();
    info.producer = "Kiểm tra CCHC (printpdf)".into();
    let opts = PdfSaveOptions {
        subset_fonts: true,
        ..Default::default()
    };
    let mut save_warnings = Vec::new();
    let bytes = doc.save(&opts, &mut save_warnings);
    Ok(set_file_id(bytes, &meta.id))
}

/// printpdf writes a random trailer /ID; replace both strings with the content hash (same
/// length, so no offset moves).
fn set_file_id(mut bytes: Vec<u8>, id: &[u8; 16]) -> Vec<u8> {
    let hex: String = id.iter().map(|b| format!("{b:02X}")).collect();
    let key = b"/ID";
    let Some(start) = bytes.windows(3).rposition(|w| w == key) else {
        return bytes;
    };
    let mut i = start + 3;
    let mut replaced = 0;
    while i < bytes.len() && replaced < 2 {
        if bytes[i] == b'(' {
            let end = match bytes[i + 1..].iter().position(|b| *b == b')') {
                Some(e) => i + 1 + e,
                None => break,
            };
            if end - (i + 1) == 32 {
                bytes[i + 1..end].copy_from_slice(hex.as_bytes());
            }
            replaced += 1;
            i = end + 1;
        } else {
            i += 1;
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Para {
        Para::new(vec![run(text, Face::Regular)], 14.0)
            .leading(18.0)
            .align(Align::Justify)
            .first_indent(mm(12.7))
            .after(6.0)
    }

    /// Where each line of text ends, per baseline.
    fn line_ends(page: &Page) -> Vec<(f32, f32)> {
        let mut ends: Vec<(f32, f32)> = Vec::new();
        for m in &page.marks {
            if let Mark::Text {
                x,
                baseline,
                face,
                size,
                items,
            } = m
            {
                let w: f32 = items
                    .iter()
                    .map(|i| match i {
                        Piece::Text(s) => fonts().width(*face, *size, s),
                        Piece::Gap(g) => *g,
                    })
                    .sum();
                let end = x + w;
                match ends.iter_mut().find(|(b, _)| (b - baseline).abs() < 0.01) {
                    Some(e) => e.1 = e.1.max(end),
                    None => ends.push((*baseline, end)),
                }
            }
        }
        ends
    }

    #[test]
    fn justified_lines_end_flush_with_the_right_margin() {
        let setup = PageSetup::a4();
        let text = "Đoàn kiểm tra đã kiểm tra hồ sơ, tài liệu, sổ sách và tài khoản phần mềm của đơn vị; \
                    tỷ lệ hồ sơ giải quyết đúng hạn đạt 86,5 %, tỷ lệ văn bản đi được ký số đạt 95,3 %. "
            .repeat(4);
        let pages = paginate(&setup, &[Block::Para(body(&text))]);
        let ends = line_ends(&pages[0]);
        assert!(ends.len() >= 5);
        let right = setup.width - setup.right;
        for (_, end) in &ends[..ends.len() - 1] {
            assert!(
                (end - right).abs() < 0.05,
                "a justified line ends at {end}, not {right}"
            );
        }
        assert!(ends.last().unwrap().1 < right - 1.0, "the last line is not stretched");
    }

    #[test]
    fn words_are_never_cut_unless_longer_than_a_line() {
        let p = body("Cải cách hành chính nhà nước giai đoạn 2021–2030 tại Ủy ban nhân dân xã Hạ Lang");
        let lines = break_lines(&p, mm(60.0));
        let words: Vec<String> = lines
            .iter()
            .flat_map(|l| l.toks.iter())
            .filter_map(|t| match t {
                Tok::Word(pieces, _) => Some(pieces.iter().map(|(_, s)| s.as_str()).collect()),
                _ => None,
            })
            .collect();
        assert_eq!(words.join(" "), p.text());
        let long = body(&"…".repeat(200));
        let lines = break_lines(&long, mm(60.0));
        assert!(lines.len() > 2, "a row of dots wider than the line is cut");
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let setup = PageSetup::a4();
        let cell = |s: &str| vec![Para::new(vec![run(s, Face::Regular)], 13.0)];
        let t = Table {
            widths: vec![setup.text_width() * 0.7, setup.text_width() * 0.3],
            header: vec![vec![cell("Chỉ tiêu"), cell("Kết quả")]],
            rows: (1..=120)
                .map(|i| vec![cell(&format!("Dòng {i}")), cell(&i.to_string())])
                .collect(),
            pad: 4.0,
            before: 0.0,
            after: 0.0,
        };
        let pages = paginate(&setup, &[Block::Table(t)]);
        assert!(pages.len() >= 3);
        for (n, p) in pages.iter().enumerate() {
            let first_text = p.marks.iter().find_map(|m| match m {
                Mark::Text { items, .. } => match &items[0] {
                    Piece::Text(s) => Some(s.clone()),
                    _ => None,
                },
                _ => None,
            });
            assert_eq!(
                first_text.as_deref(),
                Some("Chỉ tiêu"),
                "page {} starts with the header",
                n + 1
            );
        }
    }

    fn on_page(pages: &[Page], t: &str) -> usize {
        pages
            .iter()
            .position(|p| {
                p.marks.iter().any(
                    |m| matches!(m, Mark::Text { items, .. } if items.iter().any(|i| matches!(i, Piece::Text(s) if s.contains(t)))),
                )
            })
            .unwrap_or_else(|| panic!("«{t}» not drawn"))
    }

    fn small_table(rows: usize) -> Table {
        let cell = |s: &str| vec![Para::new(vec![run(s, Face::Regular)], 13.0).leading(16.0)];
        Table {
            widths: vec![mm(120.0), mm(45.0)],
            header: vec![vec![cell("Chỉ tiêu"), cell("Kết quả")]],
            rows: (1..=rows)
                .map(|i| vec![cell(&format!("Dòng {i}")), cell("1")])
                .collect(),
            pad: 4.0,
            before: 0.0,
            after: 0.0,
        }
    }

    #[test]
    fn a_lead_in_moves_to_the_next_page_with_what_it_introduces() {
        let setup = PageSetup::a4();
        // 29 one-line paragraphs (24 pt each) leave 32 pt: room for the lead-in, not for
        // the table it introduces.
        let mut blocks: Vec<Block> = (0..29).map(|i| Block::Para(body(&format!("Đoạn {i}.")))).collect();
        blocks.push(Block::Para(body("Một số chỉ tiêu chủ yếu:")));
        blocks.push(Block::Table(small_table(6)));
        let pages = paginate(&setup, &blocks);
        assert_eq!(on_page(&pages, "Đoạn 28."), 0);
        assert_eq!(on_page(&pages, "chủ yếu:"), 1, "the lead-in goes with the table");
        assert_eq!(on_page(&pages, "Chỉ tiêu"), 1);
        // A label with nothing after its colon is a lead-in too.
        let label = Para::new(vec![run("Nội dung: ", Face::Bold)], 14.0);
        assert!(is_lead_in(&label));
        assert!(!is_lead_in(&body("Đoạn 1.")));
    }

    #[test]
    fn a_table_starts_with_its_header_and_two_rows_together() {
        let setup = PageSetup::a4();
        // 28 paragraphs leave 56 pt: the header and one row would fit, not a second row.
        let mut blocks: Vec<Block> = (0..28).map(|i| Block::Para(body(&format!("Đoạn {i}.")))).collect();
        blocks.push(Block::Table(small_table(6)));
        let pages = paginate(&setup, &blocks);
        assert_eq!(on_page(&pages, "Chỉ tiêu"), 1, "the header is not left with one row");
        assert_eq!(on_page(&pages, "Dòng 2"), 1);
        // A table of two rows is never split.
        let mut blocks: Vec<Block> = (0..28).map(|i| Block::Para(body(&format!("Đoạn {i}.")))).collect();
        blocks.push(Block::Table(small_table(2)));
        let pages = paginate(&setup, &blocks);
        assert_eq!(on_page(&pages, "Chỉ tiêu"), on_page(&pages, "Dòng 2"));
    }

    fn line_texts(lines: &[LineBox]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                l.toks
                    .iter()
                    .map(|t| match t {
                        Tok::Word(pc, _) => word_text(pc),
                        Tok::Space(..) => " ".into(),
                        Tok::Break => String::new(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_balanced_title_breaks_between_phrases() {
        let p = Para::new(
            vec![run(
                "Kết quả kiểm tra công tác cải cách hành chính năm 2026 tại UBND xã Hạ Lang",
                Face::Bold,
            )],
            14.0,
        )
        .align(Align::Center)
        .balance();
        let lines = line_texts(&set_lines(&p, mm(145.0)));
        assert_eq!(
            lines,
            [
                "Kết quả kiểm tra công tác cải cách hành chính",
                "năm 2026 tại UBND xã Hạ Lang"
            ]
        );
        let head = Para::new(
            vec![run("ĐOÀN KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", Face::Bold)],
            12.0,
        )
        .balance();
        assert_eq!(
            line_texts(&set_lines(&head, mm(70.0))),
            ["ĐOÀN KIỂM TRA CÔNG TÁC", "CẢI CÁCH HÀNH CHÍNH"]
        );
    }

    #[test]
    fn a_cell_keeps_a_word_pair_on_one_line_and_asks_for_the_width_of_it() {
        let cell = |t: &str| Para::new(vec![run(t, Face::Bold)], 13.0);
        let plain = cell("Điểm tối đa");
        let pair = cell("Điểm tối đa").phrases();
        let w = fonts().width(Face::Bold, 13.0, "Điểm tối") + 1.0;
        assert_eq!(line_texts(&break_lines(&plain, w)), ["Điểm tối", "đa"]);
        assert_eq!(line_texts(&break_lines(&pair, w)), ["Điểm", "tối đa"]);
        assert!((min_width(&pair) - fonts().width(Face::Bold, 13.0, "tối đa")).abs() < 0.01);
        assert!((min_width(&plain) - fonts().width(Face::Bold, 13.0, "Điểm")).abs() < 0.01);
        // A pair wider than the line is still broken rather than overflowing.
        let narrow = fonts().width(Face::Bold, 13.0, "Điểm") + 1.0;
        assert!(fonts().width(Face::Bold, 13.0, "tối đa") > narrow);
        assert_eq!(line_texts(&break_lines(&pair, narrow)), ["Điểm", "tối", "đa"]);
        // Three lines in a narrow column; at the width asked for two, two.
        let team = cell("Đoàn kiểm tra chấm").balance();
        let two = width_for_lines(&team, 2);
        assert_eq!(set_lines(&team, two).len(), 2);
        assert!(set_lines(&team, two - 2.0).len() > 2);
    }

    #[test]
    fn a_kept_block_moves_whole_to_the_next_page() {
        let setup = PageSetup::a4();
        let mut blocks: Vec<Block> = (0..40).map(|i| Block::Para(body(&format!("Đoạn {i}.")))).collect();
        let sign: Vec<Block> = (0..8).map(|i| Block::Para(body(&format!("Chữ ký {i}")))).collect();
        blocks.push(Block::Keep(sign));
        let pages = paginate(&setup, &blocks);
        let on = |p: &Page, t: &str| {
            p.marks
                .iter()
                .any(|m| matches!(m, Mark::Text { items, .. } if items.iter().any(|i| *i == Piece::Text(t.into()))))
        };
        let page_of = |t: &str| pages.iter().position(|p| on(p, t)).unwrap();
        assert_eq!(page_of("Chữ ký 0"), page_of("Chữ ký 7"), "the kept block is not split");
    }
}
