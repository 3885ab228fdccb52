//! The window formats numbers and dates and filters its lists as the user types, in
//! TypeScript (`ui/src/lib/format.ts`, `ui/src/lib/filter.ts`). So that it writes exactly
//! what the core writes, this test computes the core's answers for a list of inputs into
//! `ui/src/lib/core-vectors.json`, and `ui/src/lib/core-vectors.test.ts` checks that the
//! TypeScript gives the same answers. The test fails when the committed file is not what
//! the core computes (`UPDATE_BINDINGS=1 cargo test -p kiemtra-core vectors` rewrites it).

use std::path::Path;

use serde::Serialize;

use kiemtra_core::text::{fmt_date, fmt_percent, fmt_score, fold, matches_words, parse_date};

/// Scores and counts (`fmt_score`, `fmtScore`): at most three decimals, none trailing.
const NUMBERS: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    12.0,
    100.0,
    86.5,
    1081.0,
    3601.0,
    1000.0,
    999.0,
    0.375,
    0.75,
    0.25,
    7.5,
    12.82,
    0.1 + 0.2,
    1.0 / 3.0,
    2.0 / 3.0,
    0.0005,
    -0.0005,
    1.0005,
    2.0005,
    999.9995,
    0.0004,
    -0.0004,
    1e-10,
    -1e-10,
    -7.25,
    -0.001,
    -1081.0,
    -1_234_567.0,
    1_234_567.891,
    12_345.678_9,
    999_999_999_999.0,
    -999_999_999_999.0,
    123_456_789_012.5,
];

/// Percentages (`fmt_percent`, `fmtPercent`): always one decimal.
const PERCENTS: &[f64] = &[
    0.0,
    -0.0,
    100.0,
    86.5,
    86.45,
    86.449,
    86.55,
    40.1,
    434.0 / 1081.0 * 100.0,
    924.0 / 1068.0 * 100.0,
    3432.0 / 3601.0 * 100.0,
    24.0 / 33.0 * 100.0,
    100.0 / 3.0,
    200.0 / 3.0,
    99.95,
    99.94,
    0.05,
    0.04,
    12.82,
    50.0,
    -0.5,
    -0.04,
    -0.05,
    -12.34,
    -100.0,
    1081.0,
    123_456.78,
    999_999_999_999.0,
];

/// Dates as stored (YYYY-MM-DD) → as shown (`fmt_date`, `fmtDate`).
const DATES: &[&str] = &[
    "2026-01-05",
    "2026-02-09",
    "2026-10-13",
    "2026-12-31",
    "2028-02-29",
    "1990-01-01",
    "2100-12-31",
];

/// Text folded for search (`fold`).
const FOLDS: &[&str] = &[
    "Hạ Lang",
    "xã Hạ Lang",
    "Đoài Dương",
    "ĐOÀI DƯƠNG",
    "xã Đông Khê",
    "đĐ đđ ĐĐ",
    "  Sở Văn hóa, Thể thao và Du lịch ",
    "Sở Nội vụ  ĐÀO tạo",
    "Ha\u{0323} Lang",
    "D\u{0300}",
    "phường Thục Phán",
    "Nguyễn Thị Ánh Tuyết",
    "Kế hoạch số 125/KH-UBND",
    "Ứng dụng CNTT (điểm 0,5)",
    "ÀÁẢÃẠ ÈÉẺẼẸ ÌÍỈĨỊ ÒÓỎÕỌ ÙÚỦŨỤ ỲÝỶỸỴ",
    "Ơ ơ Ư ư Ă ă Â â Ê ê Ô ô",
    "Tab\tand\nnewline\u{a0}nbsp",
    "a\"b «c» – d…",
    "1.081 hồ sơ; 86,5 %",
    "Zürich naïve café",
    "",
    "   ",
    "—",
];

/// (query, name): does every typed word start a word of the name (`matches_words`)?
const MATCHES: &[(&str, &str)] = &[
    ("ang", "Hạ Lang"),
    ("ha lang", "Hạ Lang"),
    ("ha lang", "xã Hạ Lang"),
    ("lang ha", "xã Hạ Lang"),
    ("lang h", "xã Hạ Lang"),
    ("HẠ LANG", "xã Hạ Lang"),
    ("ha\u{0323} lang", "xã Hạ Lang"),
    ("hal", "xã Hạ Lang"),
    ("xa", "xã Hạ Lang"),
    ("ha ha", "xã Hạ Lang"),
    ("xa ha lang tinh", "xã Hạ Lang"),
    ("quang", "xã Hạ Lang"),
    ("quang", "xã Hà Quảng"),
    ("doai duong", "Đoài Dương"),
    ("Đoài Dương", "phường Đoài Dương"),
    ("doai", "phường Đoài Dương"),
    ("oai", "Đoài Dương"),
    ("duong", "Đoài Dương"),
    ("dong khe", "Đông Khê"),
    ("dong khe", "xã Đông Khê"),
    ("DONG", "xã Đông Khê"),
    ("khe dong", "xã Đông Khê"),
    ("ong", "xã Đông Khê"),
    ("thuc phan", "phường Thục Phán"),
    ("so noi vu", "Sở Nội vụ"),
    ("so noi-vu", "Sở Nội vụ"),
    ("noi.vu", "Sở Nội vụ"),
    ("kh ubnd", "Kế hoạch số 125/KH-UBND"),
    ("125", "Kế hoạch số 125/KH-UBND"),
    ("25", "Kế hoạch số 125/KH-UBND"),
    ("", "xã Hạ Lang"),
    ("   ", "xã Hạ Lang"),
    ("-", "xã Hạ Lang"),
    ("ha", ""),
    ("", ""),
];

#[derive(Serialize)]
struct Vectors {
    fmt_score: Vec<(f64, String)>,
    fmt_percent: Vec<(f64, String)>,
    fmt_date: Vec<(&'static str, String)>,
    fold: Vec<(&'static str, String)>,
    matches_words: Vec<(&'static str, &'static str, bool)>,
}

fn vectors() -> Vectors {
    Vectors {
        fmt_score: NUMBERS.iter().map(|&x| (x, fmt_score(x))).collect(),
        fmt_percent: PERCENTS.iter().map(|&x| (x, fmt_percent(x))).collect(),
        fmt_date: DATES
            .iter()
            .map(|&d| (d, fmt_date(parse_date(d).expect("a valid date"))))
            .collect(),
        fold: FOLDS.iter().map(|&s| (s, fold(s))).collect(),
        matches_words: MATCHES.iter().map(|&(q, t)| (q, t, matches_words(q, t))).collect(),
    }
}

/// One vector a line, so that a change reads as a change of that line.
fn json(v: &Vectors) -> String {
    fn section<T: Serialize>(out: &mut String, name: &str, rows: &[T], last: bool) {
        out.push_str(&format!("  \"{name}\": [\n"));
        for (i, r) in rows.iter().enumerate() {
            let comma = if i + 1 < rows.len() { "," } else { "" };
            out.push_str(&format!(
                "    {}{comma}\n",
                serde_json::to_string(r).expect("serialises")
            ));
        }
        out.push_str(if last { "  ]\n" } else { "  ],\n" });
    }
    let mut out = String::from(
        "{\n  \"_generated\": \"by the core (tests/core/ui_vectors.rs); do not edit: run UPDATE_BINDINGS=1 cargo test -p kiemtra-core vectors\",\n",
    );
    section(&mut out, "fmt_score", &v.fmt_score, false);
    section(&mut out, "fmt_percent", &v.fmt_percent, false);
    section(&mut out, "fmt_date", &v.fmt_date, false);
    section(&mut out, "fold", &v.fold, false);
    section(&mut out, "matches_words", &v.matches_words, true);
    out.push_str("}\n");
    out
}

#[test]
fn ui_vectors_match_the_core() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/core-vectors.json");
    let want = json(&vectors());
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/lib/core-vectors.json is not what the core computes: \
         run `UPDATE_BINDINGS=1 cargo test -p kiemtra-core vectors` and commit it"
    );
}

#[test]
fn the_vectors_hold_the_cases_the_window_relies_on() {
    let v = vectors();
    let pct = |x: f64| v.fmt_percent.iter().find(|(i, _)| *i == x).map(|(_, o)| o.as_str());
    assert_eq!(pct(100.0), Some("100,0 %"));
    assert_eq!(pct(86.5), Some("86,5 %"));
    assert_eq!(pct(-0.5), Some("-0,5 %"));
    let num = |x: f64| v.fmt_score.iter().find(|(i, _)| *i == x).map(|(_, o)| o.as_str());
    assert_eq!(num(1081.0), Some("1.081"));
    assert_eq!(num(0.375), Some("0,375"));
    assert_eq!(num(-0.0005), Some("-0,001"));
    let m = |q: &str, t: &str| v.matches_words.iter().find(|r| r.0 == q && r.1 == t).map(|r| r.2);
    assert_eq!(m("ang", "Hạ Lang"), Some(false));
    assert_eq!(m("ha lang", "xã Hạ Lang"), Some(true));
    assert_eq!(m("doai duong", "Đoài Dương"), Some(true));
    assert_eq!(m("dong khe", "xã Đông Khê"), Some(true));
    assert_eq!(m("ong", "xã Đông Khê"), Some(false));
}
