//! Vietnamese text: NFC normalisation at the boundary, diacritic folding for search
//! (đ/Đ included, which SQLite's own folding misses), and number/date formatting the
//! Vietnamese way ("1.081", "86,5 %", "ngày 05 tháng 01 năm 2026").

use chrono::{Datelike, NaiveDate};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Refusal, Result};

/// Normalise user text to NFC and trim surrounding white space.
pub fn nfc(s: &str) -> String {
    s.trim().nfc().collect()
}

/// Fold text for search: lower case, no diacritics, đ → d, punctuation → space.
/// "Đoài Dương" → "doai duong"; "Hạ Lang" → "ha lang".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            _ => c,
        };
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                out.push(l);
            }
            last_space = false;
        } else if !last_space {
            out.push(' ');
            last_space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Every typed word starts a word of `text`, in any order, diacritics and case ignored
/// (đ included): "ha lang" and "lang h" find "xã Hạ Lang", "ang" does not. A query with
/// no word matches everything. How units are found from a typed name (the command line's
/// `resolve_unit`) and how the window filters its lists.
pub fn matches_words(query: &str, text: &str) -> bool {
    let q = fold(query);
    let t = fold(text);
    let words: Vec<&str> = t.split(' ').collect();
    q.split_whitespace().all(|w| words.iter().any(|n| n.starts_with(w)))
}

/// "1081" → "1.081"; "-1234567" → "-1.234.567".
pub fn fmt_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Round half away from zero to `decimals` places.
pub fn round_to(x: f64, decimals: u32) -> f64 {
    let f = 10f64.powi(decimals as i32);
    // The small nudge keeps 86.5 (stored as 86.4999…) rounding the way a person expects.
    let y = x * f;
    (y + y.signum() * 1e-9).round() / f
}

/// A decimal number the Vietnamese way, with at most `max_decimals` places and no
/// trailing zeros: 12.82 → "12,82"; 1081.0 → "1.081"; 0.75 → "0,75".
pub fn fmt_num(x: f64, max_decimals: u32) -> String {
    let r = round_to(x, max_decimals);
    let neg = r < 0.0;
    let s = format!("{:.*}", max_decimals as usize, r.abs());
    let (int_part, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (s.clone(), String::new()),
    };
    let int_val: i64 = int_part.parse().unwrap_or(0);
    let mut out = fmt_int(int_val);
    if !frac.is_empty() {
        out.push(',');
        out.push_str(&frac);
    }
    if neg && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("-{out}")
    } else {
        out
    }
}

/// A score: up to three decimals, so that halves of quarter points show exactly
/// ("7,5", "0,25", "0,375", "10").
pub fn fmt_score(x: f64) -> String {
    fmt_num(x, 3)
}

/// A label inside a sentence: first letter in lower case, acronyms kept ("Số hồ sơ TTHC"
/// → "số hồ sơ TTHC").
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A percentage from a value already in percent, one decimal kept: 86.517 → "86,5 %"; 100 → "100,0 %".
pub fn fmt_percent(pct: f64) -> String {
    let r = round_to(pct, 1);
    let whole = r.trunc() as i64;
    let tenth = ((r - r.trunc()).abs() * 10.0).round() as i64;
    // The sign is written apart: -0.5 has no whole part to carry it.
    let sign = if r < 0.0 { "-" } else { "" };
    format!("{sign}{},{} %", fmt_int(whole.abs()), tenth)
}

/// The date line of an official document: "ngày 05 tháng 01 năm 2026".
/// Decree 30: a day below 10 and the months 1 and 2 take a leading zero.
pub fn fmt_date_long(d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {} năm {}", d.day(), month, d.year())
}

/// A short date: "05/01/2026".
pub fn fmt_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Parse a date typed as "2026-01-05", "05/01/2026" or "5/1/2026". The year has four
/// digits and lies between 1990 and 2100 ("31/12/26" is refused, not read as year 26).
pub fn parse_date(s: &str) -> Result<NaiveDate> {
    let t = s.trim();
    let bad = || {
        Refusal::BadDate.err(format!(
            "Ngày «{t}» không hợp lệ: hãy viết theo dạng ngày/tháng/năm với năm đủ bốn chữ số (05/01/2026) hoặc 2026-01-05."
        ))
    };
    let year_ok = |y: &str| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit());
    let d = if let Some((y, _)) = t.split_once('-') {
        if !year_ok(y) {
            return Err(bad());
        }
        NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| bad())?
    } else {
        match t.rsplit_once('/') {
            Some((_, y)) if year_ok(y) => NaiveDate::parse_from_str(t, "%d/%m/%Y").map_err(|_| not_in_calendar(t))?,
            _ => return Err(bad()),
        }
    };
    if !(1990..=2100).contains(&d.year()) {
        return Err(bad());
    }
    Ok(d)
}

/// Why "31/11/2026" or "29/02/2026" is refused: written right, but no such day. Other
/// texts are refused for their form.
fn not_in_calendar(t: &str) -> crate::error::Error {
    let parts: Vec<&str> = t.split('/').collect();
    let num = |s: &str| s.trim().parse::<u32>().ok();
    if let [d, m, y] = parts[..] {
        if let (Some(d), Some(m), Some(y)) = (num(d), num(m), y.trim().parse::<i32>().ok()) {
            if !(1..=12).contains(&m) && d >= 1 {
                return Refusal::BadDate.err(format!("Ngày «{t}» không có: một năm chỉ có 12 tháng."));
            }
            if let Some(first) = NaiveDate::from_ymd_opt(y, m, 1) {
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(y + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(y, m + 1, 1)
                };
                if let Some(next) = next {
                    let days = (next - first).num_days();
                    if d == 0 || d as i64 > days {
                        return Refusal::BadDate.err(format!(
                            "Ngày «{t}» không có trong lịch: tháng {m} năm {y} chỉ có {days} ngày."
                        ));
                    }
                }
            }
        }
    }
    Refusal::BadDate.err(format!(
        "Ngày «{t}» không hợp lệ: hãy viết theo dạng ngày/tháng/năm với năm đủ bốn chữ số (05/01/2026) hoặc 2026-01-05."
    ))
}

/// The largest number a figure or score may hold (a thousand billion): anything larger is
/// a typing slip, and refusing it keeps every number exactly representable.
pub const MAX_NUMBER: f64 = 999_999_999_999.0;

/// Parse a number typed the Vietnamese way. Integers take dots as thousands separators
/// ("1.081" → 1081); decimals take a comma ("12,82"), or a dot when there is no comma.
pub fn parse_number(s: &str, integer: bool, what: &str) -> Result<f64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || {
        Refusal::BadNumber.err(if integer {
            format!(
                "{what}: «{}» không phải là số nguyên (ví dụ: 1081 hoặc 1.081).",
                s.trim()
            )
        } else {
            format!("{what}: «{}» không phải là số (ví dụ: 12,82).", s.trim())
        })
    };
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'))
    {
        return Err(bad());
    }
    let normalised = if integer {
        let groups: Vec<&str> = t.trim_start_matches('-').split('.').collect();
        let grouped_ok = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
        if t.contains(',') || !grouped_ok {
            return Err(bad());
        }
        t.replace('.', "")
    } else if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else {
        t.clone()
    };
    let v: f64 = normalised.parse().map_err(|_| bad())?;
    if !v.is_finite() {
        return Err(bad());
    }
    if v.abs() > MAX_NUMBER {
        return Err(Refusal::BadNumber.err(format!("{what}: «{}» quá lớn.", s.trim())));
    }
    Ok(v)
}

/// The first `max` characters of `s`, with "…" when there was more (for naming a value
/// in a message without quoting all of it).
pub fn excerpt(s: &str, max: usize) -> String {
    let t: String = s.chars().take(max).collect();
    if s.chars().count() > max {
        format!("{t}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_diacritics_and_d_bar() {
        assert_eq!(fold("Hạ Lang"), "ha lang");
        assert_eq!(fold("Đoài Dương"), "doai duong");
        assert_eq!(fold("xã Đông Khê"), "xa dong khe");
        assert_eq!(
            fold("  Sở Văn hóa, Thể thao và Du lịch "),
            "so van hoa the thao va du lich"
        );
        // decomposed input folds the same as composed
        assert_eq!(fold("Ha\u{0323} Lang"), "ha lang");
    }

    #[test]
    fn nfc_composes() {
        assert_eq!(nfc(" Ha\u{0323} "), "Hạ");
    }

    #[test]
    fn numbers_the_vietnamese_way() {
        assert_eq!(fmt_int(1081), "1.081");
        assert_eq!(fmt_int(3601), "3.601");
        assert_eq!(fmt_int(221), "221");
        assert_eq!(fmt_int(1_234_567), "1.234.567");
        assert_eq!(fmt_num(12.82, 2), "12,82");
        assert_eq!(fmt_num(1081.0, 2), "1.081");
        assert_eq!(fmt_score(0.75), "0,75");
        assert_eq!(fmt_percent(434.0 / 1081.0 * 100.0), "40,1 %");
        assert_eq!(fmt_percent(924.0 / 1068.0 * 100.0), "86,5 %");
        assert_eq!(fmt_percent(3432.0 / 3601.0 * 100.0), "95,3 %");
        assert_eq!(fmt_percent(100.0), "100,0 %");
        assert_eq!(fmt_percent(24.0 / 33.0 * 100.0), "72,7 %");
        assert_eq!(fmt_percent(-0.5), "-0,5 %");
        assert_eq!(fmt_percent(-12.34), "-12,3 %");
        assert_eq!(fmt_percent(-0.04), "0,0 %");
    }

    #[test]
    fn typed_words_start_words_of_the_name() {
        assert!(matches_words("ha lang", "xã Hạ Lang"));
        assert!(matches_words("lang h", "xã Hạ Lang"));
        assert!(matches_words("dong khe", "xã Đông Khê"));
        assert!(matches_words("  ", "xã Hạ Lang"));
        assert!(!matches_words("ang", "xã Hạ Lang"));
        assert!(!matches_words("ha", ""));
    }

    #[test]
    fn dates_with_decree_padding() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(fmt_date_long(d), "ngày 05 tháng 01 năm 2026");
        let d = NaiveDate::from_ymd_opt(2026, 4, 15).unwrap();
        assert_eq!(fmt_date_long(d), "ngày 15 tháng 4 năm 2026");
        let d = NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
        assert_eq!(fmt_date_long(d), "ngày 09 tháng 12 năm 2026");
        assert_eq!(
            parse_date("05/01/2026").unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
        );
        assert_eq!(
            parse_date("2026-01-05").unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
        );
        assert!(parse_date("31/02/2026").is_err());
        // A day written right that the calendar does not have is called that, not a bad form.
        let m = parse_date("31/11/2026").unwrap_err().to_string();
        assert_eq!(
            m,
            "Ngày «31/11/2026» không có trong lịch: tháng 11 năm 2026 chỉ có 30 ngày."
        );
        let m = parse_date("29/2/2026").unwrap_err().to_string();
        assert!(m.contains("tháng 2 năm 2026 chỉ có 28 ngày"), "{m}");
        assert!(parse_date("29/2/2028").is_ok());
        let m = parse_date("05/13/2026").unwrap_err().to_string();
        assert!(m.contains("chỉ có 12 tháng"), "{m}");
        let m = parse_date("ab/11/2026").unwrap_err().to_string();
        assert!(m.contains("hãy viết theo dạng ngày/tháng/năm"), "{m}");
        assert!(parse_date("31/12/26").is_err());
        assert!(parse_date("0026-12-31").is_err());
        assert!(parse_date("01/01/1800").is_err());
    }

    #[test]
    fn parsing_numbers() {
        assert_eq!(parse_number("1.081", true, "x").unwrap(), 1081.0);
        assert_eq!(parse_number("1081", true, "x").unwrap(), 1081.0);
        assert!(parse_number("10,5", true, "x").is_err());
        assert!(parse_number("1.08", true, "x").is_err());
        assert!(parse_number("abc", true, "x").is_err());
        assert_eq!(parse_number("12,82", false, "x").unwrap(), 12.82);
        assert_eq!(parse_number("12.82", false, "x").unwrap(), 12.82);
        assert!(parse_number("NaN", false, "x").is_err());
        assert!(parse_number("inf", false, "x").is_err());
        assert!(parse_number("1e3", true, "x").is_err());
        assert!(parse_number("1e3", false, "x").is_err());
        assert!(parse_number("99999999999999999999", true, "x")
            .unwrap_err()
            .to_string()
            .contains("quá lớn"));
    }
}
