//! Working days: weekends, Vietnam's public holidays and make-up Saturdays, from a yearly
//! list the user can edit (seeded from `assets/holidays-vn.toml`).

use std::collections::{BTreeSet, HashSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::domain::text::{fmt_date, parse_date};
use crate::error::{Error, Refusal, Result};

pub const SHIPPED_HOLIDAYS: &str = include_str!("../../../../assets/holidays-vn.toml");

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A day off (nghỉ lễ, Tết, nghỉ bù, nghỉ hoán đổi).
    Nghi,
    /// A Saturday or Sunday worked to make up for a swapped day (làm bù).
    LamBu,
}

impl HolidayKind {
    pub const ALL: &'static [HolidayKind] = &[HolidayKind::Nghi, HolidayKind::LamBu];
    pub fn as_str(self) -> &'static str {
        match self {
            HolidayKind::Nghi => "nghi",
            HolidayKind::LamBu => "lam_bu",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            HolidayKind::Nghi => "ngày nghỉ",
            HolidayKind::LamBu => "ngày làm bù",
        }
    }
    pub fn parse(s: &str) -> Option<HolidayKind> {
        match s {
            "nghi" => Some(HolidayKind::Nghi),
            "lam_bu" => Some(HolidayKind::LamBu),
            _ => None,
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holiday {
    /// YYYY-MM-DD.
    pub date: String,
    pub kind: HolidayKind,
    pub name: String,
    /// Shipped with the app (not added by the user).
    pub shipped: bool,
    /// "thứ Hai"…"Chủ nhật".
    pub weekday: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShippedFile {
    year: Vec<ShippedYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShippedYear {
    year: i32,
    days: Vec<ShippedDay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShippedDay {
    date: String,
    kind: String,
    name: String,
}

/// The shipped list (2026 and 2027), checked: every date in its year, known kinds, days
/// off on weekdays and make-up days on weekends.
pub fn shipped() -> Result<Vec<Holiday>> {
    let f: ShippedFile = toml::from_str(SHIPPED_HOLIDAYS)
        .map_err(|e| Error::Internal(format!("Danh sách ngày nghỉ kèm theo ứng dụng bị lỗi: {e}")))?;
    let mut out = Vec::new();
    for y in f.year {
        for d in y.days {
            let date = parse_date(&d.date)?;
            let kind = HolidayKind::parse(&d.kind)
                .ok_or_else(|| Error::Internal(format!("Loại ngày «{}» không có.", d.kind)))?;
            if date.year() != y.year {
                return Err(Error::Internal(format!("Ngày {} không thuộc năm {}.", d.date, y.year)));
            }
            check_kind(date, kind)?;
            out.push(Holiday {
                date: date.to_string(),
                kind,
                name: d.name,
                shipped: true,
                weekday: weekday_name(date).into(),
            });
        }
    }
    Ok(out)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

pub(crate) fn check_kind(d: NaiveDate, kind: HolidayKind) -> Result<()> {
    match kind {
        HolidayKind::Nghi if is_weekend(d) => Err(Refusal::BadDate.err(format!(
            "{} là {}: thứ Bảy, Chủ nhật đã là ngày nghỉ. Nếu ngày lễ rơi vào cuối tuần, hãy ghi ngày nghỉ bù.",
            fmt_date(d),
            weekday_name(d)
        ))),
        HolidayKind::LamBu if !is_weekend(d) => Err(Refusal::BadDate.err(format!(
            "{} là {}: chỉ thứ Bảy hoặc Chủ nhật mới có thể là ngày làm bù.",
            fmt_date(d),
            weekday_name(d)
        ))),
        _ => Ok(()),
    }
}

pub fn weekday_name(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "thứ Hai",
        Weekday::Tue => "thứ Ba",
        Weekday::Wed => "thứ Tư",
        Weekday::Thu => "thứ Năm",
        Weekday::Fri => "thứ Sáu",
        Weekday::Sat => "thứ Bảy",
        Weekday::Sun => "Chủ nhật",
    }
}

/// Fewer days off than this in a year: its list is taken as missing (see `Calendar::covers`).
pub const MIN_DAYS_OFF: usize = 5;

/// Which days are worked.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    off: HashSet<NaiveDate>,
    on: HashSet<NaiveDate>,
    years: BTreeSet<i32>,
}

impl Calendar {
    pub fn new(days: &[Holiday]) -> Calendar {
        let mut c = Calendar::default();
        for h in days {
            if let Ok(d) = NaiveDate::parse_from_str(&h.date, "%Y-%m-%d") {
                c.years.insert(d.year());
                match h.kind {
                    HolidayKind::Nghi => c.off.insert(d),
                    HolidayKind::LamBu => c.on.insert(d),
                };
            }
        }
        c
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.on.contains(&d) {
            return true;
        }
        !is_weekend(d) && !self.off.contains(&d)
    }

    /// The `n`-th working day after `from` (`from` itself does not count).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days in `(from, to]`; negative when `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        let mut n = 0;
        let mut d = a;
        while d < b {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        sign * n
    }

    /// Whether the holiday list has the year: at least `MIN_DAYS_OFF` days off (Vietnam has
    /// 11 a year; a year with one day the user added is not a list). Otherwise deadlines say
    /// the list is missing.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year) && self.off.iter().filter(|d| d.year() == year).count() >= MIN_DAYS_OFF
    }

    /// The years in `[from, to]` the list lacks.
    pub fn missing_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        (from.year()..=to.year()).filter(|y| !self.covers(*y)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_shipped_list_reads_and_covers_2026_and_2027() {
        let days = shipped().unwrap();
        let c = Calendar::new(&days);
        assert!(c.covers(2026) && c.covers(2027) && !c.covers(2028));
        assert!(!c.is_working_day(d("2026-09-02")));
        assert!(c.is_working_day(d("2026-01-10")), "make-up Saturday");
        assert!(!c.is_working_day(d("2026-01-11")));
    }

    #[test]
    fn weekends_only_without_holidays() {
        let c = Calendar::default();
        // Friday 16/10/2026 + 15 working days = Friday 06/11/2026.
        assert_eq!(c.add_working_days(d("2026-10-16"), 15), d("2026-11-06"));
        assert_eq!(c.working_days_between(d("2026-10-16"), d("2026-11-06")), 15);
        assert_eq!(c.working_days_between(d("2026-11-06"), d("2026-10-16")), -15);
        assert_eq!(c.add_working_days(d("2026-10-17"), 1), d("2026-10-19"));
    }

    fn shipped_calendar() -> Calendar {
        Calendar::new(&shipped().unwrap())
    }

    #[test]
    fn fifteen_working_days_skip_the_national_day() {
        // Friday 28/8/2026: 31/8 (swapped for Saturday 22/8) and 1–2/9 are off, so the 15th
        // working day is Wednesday 23/9.
        let c = shipped_calendar();
        assert_eq!(c.add_working_days(d("2026-08-28"), 15), d("2026-09-23"));
        // Friday 21/8: the next working day is the make-up Saturday.
        assert_eq!(c.add_working_days(d("2026-08-21"), 1), d("2026-08-22"));
        assert_eq!(
            Calendar::default().add_working_days(d("2026-08-28"), 15),
            d("2026-09-18")
        );
    }

    #[test]
    fn fifteen_working_days_skip_tet() {
        // Friday 6/2/2026: Tết takes 16–20/2 → Friday 6/3.
        let c = shipped_calendar();
        assert_eq!(c.add_working_days(d("2026-02-06"), 15), d("2026-03-06"));
        // 2027: Tết takes 5/2 and 8–11/2 (five working days); Friday 29/1/2027 → Friday
        // 26/2/2027 instead of 19/2.
        assert_eq!(c.add_working_days(d("2027-01-29"), 15), d("2027-02-26"));
        assert_eq!(
            Calendar::default().add_working_days(d("2027-01-29"), 15),
            d("2027-02-19")
        );
    }

    #[test]
    fn fifteen_working_days_across_the_year_end() {
        // Friday 18/12/2026 → 21–31/12 give 9, 1/1/2027 is off, 4–8/1 give 5, Monday 11/1/2027.
        let c = shipped_calendar();
        assert_eq!(c.add_working_days(d("2026-12-18"), 15), d("2027-01-11"));
        assert_eq!(c.working_days_between(d("2026-12-18"), d("2027-01-11")), 15);
        assert!(c.missing_years(d("2026-12-18"), d("2027-01-11")).is_empty());
        // Into a year the list lacks: only weekends are skipped, and it says so.
        assert_eq!(c.add_working_days(d("2027-12-17"), 15), d("2028-01-07"));
        assert_eq!(c.missing_years(d("2027-12-17"), d("2028-01-07")), vec![2028]);
    }

    #[test]
    fn one_day_added_for_a_new_year_is_not_a_list() {
        let mut days = shipped().unwrap();
        days.push(Holiday {
            date: "2028-01-03".into(),
            kind: HolidayKind::Nghi,
            name: "Tết Dương lịch (nghỉ bù)".into(),
            shipped: false,
            weekday: "thứ Hai".into(),
        });
        let c = Calendar::new(&days);
        assert!(!c.covers(2028));
        assert!(!c.is_working_day(d("2028-01-03")), "the day still counts");
        assert_eq!(c.missing_years(d("2027-12-20"), d("2028-01-10")), vec![2028]);
    }

    #[test]
    fn a_make_up_saturday_is_a_working_day() {
        // 2/1/2026 (Friday) was swapped for Saturday 10/1/2026.
        let c = shipped_calendar();
        assert_eq!(c.add_working_days(d("2025-12-31"), 1), d("2026-01-05"));
        assert_eq!(c.add_working_days(d("2026-01-08"), 2), d("2026-01-10"));
        assert_eq!(c.add_working_days(d("2026-01-09"), 1), d("2026-01-10"));
        assert_eq!(c.add_working_days(d("2026-01-10"), 1), d("2026-01-12"));
    }

    #[test]
    fn a_holiday_on_a_weekend_and_a_make_up_on_a_weekday_are_refused() {
        assert!(check_kind(d("2026-11-28"), HolidayKind::Nghi).is_err());
        assert!(check_kind(d("2026-11-24"), HolidayKind::LamBu).is_err());
        assert!(check_kind(d("2026-11-24"), HolidayKind::Nghi).is_ok());
    }
}
