//! After the visit: the conclusion deadline (15 working days after the visit ends), the
//! follow-up of every recommendation (state, the unit's remediation report and its
//! evidence, overdue items) and re-inspections (kiểm tra lại) that carry the unresolved
//! recommendations over.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::Calendar;
use crate::domain::deadline::ymd;
pub use crate::domain::deadline::{deadline_mark, week_of, DeadlineMark, DeadlineState, CONCLUSION_WORKING_DAYS};
use crate::domain::model::*;
use crate::domain::text::{fmt_date, nfc, parse_date};
use crate::error::{Error, Refusal, Result};
use crate::store::{stable_id, text, Ctx, Store, Value, W};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineRow {
    pub inspection_id: String,
    pub unit_id: String,
    pub unit_name: String,
    pub reinspection: bool,
    pub mark: DeadlineMark,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineView {
    pub today: String,
    /// Monday and Sunday of the current week.
    pub week_start: String,
    pub week_end: String,
    pub rows: Vec<DeadlineRow>,
    /// Inspections without a visit end date (no deadline yet).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub without_dates: usize,
}

/// One recommendation as the follow-up screen lists it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct FollowUp {
    pub recommendation: Recommendation,
    pub inspection_id: String,
    pub unit_id: String,
    pub unit_name: String,
    /// The recommendation belongs to a re-inspection (it was carried over).
    pub reinspection: bool,
    /// Past its deadline and not remedied.
    pub overdue: bool,
    /// Calendar days past the deadline (0 when not overdue).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub days_overdue: i64,
    /// Not remedied and due in the current week.
    pub due_this_week: bool,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct FollowUpView {
    pub today: String,
    pub items: Vec<FollowUp>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub open: usize,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub overdue: usize,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub remedied: usize,
}

/// A change to a recommendation's follow-up (None leaves a field as it is; an empty report
/// number, date or note clears it).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RemediationPatch {
    #[cfg_attr(feature = "ts", ts(optional))]
    pub state: Option<RecommendationState>,
    /// The number of the unit's remediation report (báo cáo kết quả khắc phục).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub report_number: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub report_date: Option<String>,
    /// What the unit did, as its report says.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub report_note: Option<String>,
    /// A scan of the report or a photo of the result (the desktop fills it from a dialog).
    #[cfg_attr(feature = "ts", ts(optional, type = "string"))]
    pub evidence_file: Option<PathBuf>,
    /// Remove the attached evidence.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub clear_evidence: Option<bool>,
}

/// What starting a re-inspection made.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Reinspection {
    pub inspection_id: String,
    pub follows_id: String,
    pub unit_name: String,
    pub template_version: String,
    /// The carried recommendations: (new number, original number, text).
    pub carried: Vec<CarriedRecommendation>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct CarriedRecommendation {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub number: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub original_number: i64,
    pub text: String,
    pub state: RecommendationState,
}

/// What the deadlines of a plan's inspections are computed from: the calendar, and the date
/// of each inspection's issued Thông báo.
pub(crate) struct DeadlineInputs {
    pub cal: Calendar,
    pub issued: HashMap<String, String>,
}

impl DeadlineInputs {
    /// An inspection's deadline, from the end of a visit that took place: its actual end, or
    /// its scheduled end once the visit has begun (a planned visit has none yet).
    pub fn mark(&self, row: &InspectionRow, today: NaiveDate) -> Option<DeadlineMark> {
        let end = row.actual_end.as_deref().or(if row.state == InspectionState::Planned {
            None
        } else {
            row.scheduled_end.as_deref()
        })?;
        let end = ymd(end)?;
        let issued = match self.issued.get(&row.id) {
            Some(d) => Some(d.as_str()),
            // Marked as issued by hand, without a document in the app.
            None if row.state.rank() >= InspectionState::ConclusionIssued.rank() => Some(""),
            None => None,
        };
        Some(deadline_mark(&self.cal, end, issued, today))
    }
}

impl Store {
    pub(crate) fn deadline_inputs(&self, plan_id: &str) -> Result<DeadlineInputs> {
        let cal = self.calendar()?;
        let issued = crate::store::documents::issued_conclusion_dates(self, plan_id)?;
        Ok(DeadlineInputs { cal, issued })
    }

    /// Recommendation counts per inspection of a plan: (open, overdue as of `today`).
    /// Recommendations carried into a re-inspection are counted there, not in the original.
    pub(crate) fn recommendation_counts(
        &self,
        plan_id: &str,
        today: NaiveDate,
    ) -> Result<HashMap<String, (usize, usize)>> {
        crate::store::followup::recommendation_counts(self, plan_id, today)
    }

    /// The conclusion deadline of every inspection of a plan whose visit has an end date.
    pub fn deadlines(&self, plan_id: &str, today: NaiveDate) -> Result<DeadlineView> {
        self.plan(plan_id)?;
        let dl = self.deadline_inputs(plan_id)?;
        let (monday, sunday) = week_of(today);
        let mut rows = Vec::new();
        let mut without_dates = 0;
        for (i, _) in self.inspection_rows("s.plan_id = ?1", plan_id)? {
            match dl.mark(&i, today) {
                Some(mark) => rows.push(DeadlineRow {
                    inspection_id: i.id,
                    unit_id: i.unit_id,
                    unit_name: i.unit_name,
                    reinspection: i.follows_id.is_some(),
                    mark,
                }),
                None => without_dates += 1,
            }
        }
        rows.sort_by(|a, b| {
            a.mark
                .deadline
                .cmp(&b.mark.deadline)
                .then(a.unit_name.cmp(&b.unit_name))
        });
        Ok(DeadlineView {
            today: today.to_string(),
            week_start: monday.to_string(),
            week_end: sunday.to_string(),
            rows,
            without_dates,
        })
    }

    /// Every recommendation of a plan with its follow-up, in plan order (units, then
    /// numbers); `overdue_only` keeps those past their deadline and not remedied.
    pub fn followups(&self, plan_id: &str, today: NaiveDate, overdue_only: bool) -> Result<FollowUpView> {
        self.plan(plan_id)?;
        let (_, sunday) = week_of(today);
        let mut items = Vec::new();
        let (mut open, mut overdue_n, mut remedied) = (0, 0, 0);
        for r in crate::store::followup::plan_recommendations(self, plan_id)? {
            let rec = r.recommendation;
            let done = rec.state == RecommendationState::Remedied;
            let deadline = rec.deadline.as_deref().and_then(ymd);
            let overdue = !done && deadline.is_some_and(|d| d < today);
            let days_overdue = match (overdue, deadline) {
                (true, Some(d)) => (today - d).num_days(),
                _ => 0,
            };
            let due_this_week = !done && deadline.is_some_and(|d| d >= today && d <= sunday);
            if done {
                remedied += 1;
            } else {
                open += 1;
            }
            if overdue {
                overdue_n += 1;
            }
            if overdue_only && !overdue {
                continue;
            }
            items.push(FollowUp {
                recommendation: rec,
                inspection_id: r.inspection_id,
                unit_id: r.unit_id,
                unit_name: r.unit_name,
                reinspection: r.reinspection,
                overdue,
                days_overdue,
                due_this_week,
            });
        }
        Ok(FollowUpView {
            today: today.to_string(),
            items,
            open,
            overdue: overdue_n,
            remedied,
        })
    }

    /// Record the follow-up of a recommendation: its state and the unit's remediation
    /// report (number, date, what was done, a scan). "Đã khắc phục" needs the report's
    /// number or date. When every recommendation of a concluded inspection is remedied, the
    /// inspection moves to "đã báo cáo khắc phục".
    pub fn update_followup(&mut self, ctx: &Ctx, recommendation_id: &str, p: &RemediationPatch) -> Result<usize> {
        let cur = self.recommendation(recommendation_id)?;
        let mut fields: Vec<(&str, Value)> = vec![];
        if let Some(s) = p.state {
            fields.push(("state", Value::Text(s.as_str().into())));
        }
        let report_number = p.report_number.as_deref().map(|n| nfc(n.trim()));
        if let Some(n) = &report_number {
            if n.chars().count() > 100 {
                return Err(Refusal::TooLong.err("Số báo cáo dài quá 100 ký tự."));
            }
            fields.push(("report_number", text(n)));
        }
        let mut report_date = cur.report_date.clone();
        if let Some(d) = &p.report_date {
            let v = match d.trim() {
                "" => None,
                d => Some(parse_date(d)?),
            };
            if let Some(v) = v {
                if v > ctx.today() {
                    return Err(Refusal::BadDate.err(format!(
                        "Ngày báo cáo khắc phục {} ở sau hôm nay: hãy kiểm tra lại.",
                        fmt_date(v)
                    )));
                }
            }
            report_date = v.map(|v| v.to_string());
            fields.push((
                "report_date",
                report_date.clone().map(Value::Text).unwrap_or(Value::Null),
            ));
        }
        if let Some(n) = &p.report_note {
            if n.chars().count() > 20_000 {
                return Err(Refusal::TooLong.err("Nội dung báo cáo khắc phục dài quá 20.000 ký tự."));
            }
            fields.push(("report_note", text(n)));
        }
        let file = match &p.evidence_file {
            Some(path) => Some(crate::app::checklist::read_attachment_file(path)?),
            None => None,
        };
        if let Some(f) = &file {
            fields.push(("report_attachment_sha256", Value::Text(f.sha.clone())));
            fields.push(("report_attachment_name", Value::Text(f.name.clone())));
        } else if p.clear_evidence == Some(true) {
            fields.push(("report_attachment_sha256", Value::Null));
            fields.push(("report_attachment_name", Value::Null));
        }
        let state = p.state.unwrap_or(cur.state);
        let number = report_number.unwrap_or(cur.report_number.clone());
        if state == RecommendationState::Remedied && number.is_empty() && report_date.is_none() {
            return Err(Refusal::RecommendationState.err(format!(
                "Kiến nghị số {}: để ghi «đã khắc phục», hãy ghi số hoặc ngày báo cáo kết quả khắc phục của đơn vị trước (màn hình «Theo dõi khắc phục», hoặc lệnh kiemtra followup set).",
                cur.number
            )));
        }
        let inspection_id = cur.inspection_id.clone();
        let origin_id = cur.origin_id.clone();
        self.write(ctx, "cập nhật khắc phục kiến nghị", |w| {
            if let Some(f) = &file {
                crate::app::checklist::store_attachment(w, f)?;
            }
            let n = w.update("recommendation", recommendation_id, &fields)?;
            settle_inspection(w, &inspection_id)?;
            // A carried recommendation remedied settles the original visit's item too.
            if let Some(o) = &origin_id {
                let of = crate::store::findings::recommendation_inspection_in(w, o)?;
                if let Some(of) = of {
                    settle_inspection(w, &of)?;
                }
            }
            Ok(n)
        })
    }

    /// One recommendation, whole.
    pub fn recommendation(&self, recommendation_id: &str) -> Result<Recommendation> {
        crate::store::findings::recommendation(self, recommendation_id)?.ok_or_else(|| Error::NotFound {
            what: "kiến nghị",
            key: recommendation_id.into(),
        })
    }

    /// Start a re-inspection (kiểm tra lại) of the inspection a unit's commands work on: a
    /// new inspection in the same plan, on the original's checklist version, following it,
    /// with the recommendations not yet remedied carried over (renumbered from 1, each
    /// remembering the one it carries).
    pub fn reinspect(&mut self, ctx: &Ctx, original_id: &str) -> Result<Reinspection> {
        let row = self.inspection_row(original_id)?;
        if matches!(row.state, InspectionState::Planned | InspectionState::InProgress) {
            return Err(Refusal::InspectionState.err(format!(
                "Cuộc kiểm tra «{}» chưa kết thúc ({}): chỉ kiểm tra lại sau khi đã ký biên bản hoặc ban hành thông báo.",
                row.unit_name,
                row.state.label()
            )));
        }
        let existing = crate::store::followup::reinspection_of(self, original_id)?;
        if existing.is_some() {
            return Err(Refusal::Duplicate.err(format!(
                "«{}» đã có cuộc kiểm tra lại sau lần kiểm tra này; hãy mở cuộc kiểm tra lại đó.",
                row.unit_name
            )));
        }
        let (plan_id, template_id) = crate::store::followup::inspection_plan_and_template(self, original_id)?;
        let unresolved: Vec<Recommendation> = self
            .recommendations(original_id)?
            .into_iter()
            .filter(|r| r.state != RecommendationState::Remedied)
            .collect();
        let unit_name = row.unit_name.clone();
        let unit_id = row.unit_id.clone();
        let template_version = row.template_version.clone();
        self.write(ctx, "bắt đầu kiểm tra lại", |w| {
            // Two laptops starting the same re-inspection make the same records.
            let mut id = stable_id(&["reinspection", original_id]);
            let taken = crate::store::followup::inspection_exists(w, &id)?;
            if taken {
                id = w.new_id();
            }
            w.insert(
                "inspection",
                &id,
                &[
                    ("plan_id", Value::Text(plan_id.clone())),
                    ("unit_id", Value::Text(unit_id.clone())),
                    ("template_id", Value::Text(template_id.clone())),
                    ("unannounced", Value::Integer(0)),
                    ("follows_id", Value::Text(original_id.into())),
                ],
            )?;
            let mut carried = Vec::new();
            for (k, r) in unresolved.iter().enumerate() {
                let number = k as i64 + 1;
                let rid = stable_id(&["carried", &id, &r.id]);
                w.insert(
                    "recommendation",
                    &rid,
                    &[
                        ("inspection_id", Value::Text(id.clone())),
                        ("area_code", r.area_code.clone().map(Value::Text).unwrap_or(Value::Null)),
                        ("number", Value::Integer(number)),
                        ("text", Value::Text(r.text.clone())),
                        ("owner", Value::Text(r.owner.clone())),
                        ("deadline", r.deadline.clone().map(Value::Text).unwrap_or(Value::Null)),
                        ("state", Value::Text(r.state.as_str().into())),
                        ("origin_id", Value::Text(r.id.clone())),
                    ],
                )?;
                carried.push(CarriedRecommendation {
                    number,
                    original_number: r.number,
                    text: r.text.clone(),
                    state: r.state,
                });
            }
            Ok(Reinspection {
                inspection_id: id,
                follows_id: original_id.into(),
                unit_name: unit_name.clone(),
                template_version: template_version.clone(),
                carried,
            })
        })
    }
}

/// A concluded inspection whose recommendations are all remedied moves to "đã báo cáo
/// khắc phục" (and back, if one is reopened). A recommendation carried into a re-inspection
/// counts as remedied once its copy there is.
pub(crate) fn settle_inspection(w: &W<'_>, inspection_id: &str) -> Result<()> {
    let (state, open, total) = crate::store::followup::remediation_counts(w, inspection_id)?;
    let next = match (state, open) {
        (InspectionState::ConclusionIssued, 0) if total > 0 => Some(InspectionState::RemediationReported),
        (InspectionState::RemediationReported, n) if n > 0 => Some(InspectionState::ConclusionIssued),
        _ => None,
    };
    if let Some(s) = next {
        w.update(
            "inspection",
            inspection_id,
            &[("state", Value::Text(s.as_str().into()))],
        )?;
    }
    Ok(())
}
