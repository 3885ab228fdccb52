//! The conclusion deadline: the 15th working day after a visit ends, and where an
//! inspection stands against it on a given day (today comes in as an argument).

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::domain::calendar::Calendar;

/// A conclusion is expected within this many working days of the end of the visit.
pub const CONCLUSION_WORKING_DAYS: u32 = 15;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// Issued on or before the deadline.
    Issued,
    /// Issued after the deadline.
    IssuedLate,
    /// Not issued, and the deadline has passed.
    Overdue,
    /// Not issued; the deadline falls in the current week (Monday to Sunday).
    DueThisWeek,
    /// Not issued; the deadline is later.
    Upcoming,
}

impl DeadlineState {
    pub fn label(self) -> &'static str {
        match self {
            DeadlineState::Issued => "đã ban hành đúng hạn",
            DeadlineState::IssuedLate => "đã ban hành, trễ hạn",
            DeadlineState::Overdue => "quá hạn",
            DeadlineState::DueThisWeek => "đến hạn tuần này",
            DeadlineState::Upcoming => "còn hạn",
        }
    }

    /// The word of a table cell, next to the date or the days overdue: "quá hạn 3 ngày",
    /// "06/11/2026 · tuần này".
    pub fn short_label(self) -> &'static str {
        match self {
            DeadlineState::Issued => "đã ban hành",
            DeadlineState::IssuedLate => "ban hành trễ",
            DeadlineState::Overdue => "quá hạn",
            DeadlineState::DueThisWeek => "tuần này",
            DeadlineState::Upcoming => "còn hạn",
        }
    }
}

/// The conclusion deadline of one inspection.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineMark {
    /// The last day of the visit (actual, else scheduled), YYYY-MM-DD.
    pub visit_end: String,
    /// The 15th working day after it.
    pub deadline: String,
    pub state: DeadlineState,
    /// Working days from today to the deadline; negative once it has passed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub working_days_left: i64,
    /// Calendar days past the deadline when overdue (a weekend after a Friday deadline is
    /// overdue by 1 or 2 days but by 0 working days), else 0.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub days_overdue: i64,
    /// The date of the issued Thông báo, when there is one.
    pub issued_date: Option<String>,
    /// Years between the visit and the deadline that the holiday list lacks (only weekends
    /// were skipped for them).
    pub missing_years: Vec<i32>,
}

/// One row of `kiemtra deadline` and of the plan screen's "due this week".
/// Monday and Sunday of the week holding `d`.
pub fn week_of(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = d - Duration::days(d.weekday().num_days_from_monday() as i64);
    (monday, monday + Duration::days(6))
}

pub(crate) fn ymd(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The deadline of a visit that ended on `visit_end`, as of `today`.
pub fn deadline_mark(cal: &Calendar, visit_end: NaiveDate, issued: Option<&str>, today: NaiveDate) -> DeadlineMark {
    let deadline = cal.add_working_days(visit_end, CONCLUSION_WORKING_DAYS);
    let (_, sunday) = week_of(today);
    let state = match issued.and_then(ymd) {
        Some(d) if d <= deadline => DeadlineState::Issued,
        Some(_) => DeadlineState::IssuedLate,
        None if issued.is_some() => DeadlineState::Issued,
        None if today > deadline => DeadlineState::Overdue,
        None if deadline <= sunday => DeadlineState::DueThisWeek,
        None => DeadlineState::Upcoming,
    };
    DeadlineMark {
        visit_end: visit_end.to_string(),
        deadline: deadline.to_string(),
        state,
        working_days_left: cal.working_days_between(today, deadline),
        days_overdue: if state == DeadlineState::Overdue {
            (today - deadline).num_days()
        } else {
            0
        },
        issued_date: issued.map(str::to_string).filter(|s| !s.is_empty()),
        missing_years: cal.missing_years(visit_end, deadline),
    }
}
