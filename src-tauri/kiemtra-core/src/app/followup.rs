//! After the visit: the conclusion deadline (15 working days after the visit ends), the
//! follow-up of every recommendation (state, the unit's remediation report and its
//! evidence, overdue items) and re-inspections (kiểm tra lại) that carry the unresolved
//! recommendations over.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::Calendar;
use crate::domain::deadline::ymd;
pub use crate::domain::deadline::{deadline_mark, week_of, DeadlineMark, DeadlineState, CONCLUSION_WORKING_DAYS};
use crate::domain::model::*;
use crate::domain::text::{fmt_date, nfc, parse_date};
use crate::error::{Error, Refusal, Result};
use crate::store::stored::RowExt;
use crate::store::{stable_id, text, Ctx, Store, W};

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
        let mut issued = HashMap::new();
        let mut st = self.conn.prepare_cached(
            "SELECT d.inspection_id, min(d.date) FROM document d JOIN inspection s ON s.id = d.inspection_id
             WHERE s.plan_id = ?1 AND d.kind = 'thong_bao' AND d.status = 'issued' AND d.deleted = 0
             GROUP BY d.inspection_id",
        )?;
        let mut rows = st.query([plan_id])?;
        while let Some(r) = rows.next()? {
            let inspection: String = r.get(0)?;
            let date = r.stored_date(1, "document", &format!("thông báo của cuộc kiểm tra {inspection}"))?;
            issued.insert(inspection, date.unwrap_or_default());
        }
        Ok(DeadlineInputs { cal, issued })
    }

    /// Recommendation counts per inspection of a plan: (open, overdue as of `today`).
    /// Recommendations carried into a re-inspection are counted there, not in the original.
    pub(crate) fn recommendation_counts(
        &self,
        plan_id: &str,
        today: NaiveDate,
    ) -> Result<HashMap<String, (usize, usize)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT r.inspection_id,
                    sum(r.state <> 'da_khac_phuc'),
                    sum(r.state <> 'da_khac_phuc' AND r.deadline IS NOT NULL AND r.deadline < ?2)
             FROM recommendation r JOIN inspection s ON s.id = r.inspection_id
             WHERE s.plan_id = ?1 AND r.deleted = 0 AND s.deleted = 0
               AND NOT EXISTS (SELECT 1 FROM recommendation c WHERE c.origin_id = r.id AND c.deleted = 0)
             GROUP BY r.inspection_id",
        )?;
        let mut out = HashMap::new();
        let mut rows = st.query(params![plan_id, today.to_string()])?;
        while let Some(r) = rows.next()? {
            out.insert(
                r.get::<_, String>(0)?,
                (r.get::<_, i64>(1)? as usize, r.get::<_, i64>(2)? as usize),
            );
        }
        Ok(out)
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
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {REC_COLUMNS}, s.id, u.id, u.name, s.follows_id IS NOT NULL
             FROM recommendation r JOIN inspection s ON s.id = r.inspection_id JOIN unit u ON u.id = s.unit_id
             LEFT JOIN recommendation o ON o.id = r.origin_id
             WHERE s.plan_id = ?1 AND r.deleted = 0 AND s.deleted = 0
               AND NOT EXISTS (SELECT 1 FROM recommendation c WHERE c.origin_id = r.id AND c.deleted = 0)
             ORDER BY CASE u.kind WHEN 'so' THEN 0 ELSE 1 END, coalesce(s.scheduled_start, '9999'), s.rowid, r.number"
        ))?;
        let mut items = Vec::new();
        let (mut open, mut overdue_n, mut remedied) = (0, 0, 0);
        let mut rows = st.query([plan_id])?;
        while let Some(r) = rows.next()? {
            let rec = rec_from_row(r)?;
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
                inspection_id: r.get(REC_N)?,
                unit_id: r.get(REC_N + 1)?,
                unit_name: r.get(REC_N + 2)?,
                reinspection: r.get::<_, i64>(REC_N + 3)? == 1,
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
                let of: Option<String> = w
                    .conn()
                    .query_row("SELECT inspection_id FROM recommendation WHERE id = ?1", [o], |r| {
                        r.get(0)
                    })
                    .optional()?;
                if let Some(of) = of {
                    settle_inspection(w, &of)?;
                }
            }
            Ok(n)
        })
    }

    /// One recommendation, whole.
    pub fn recommendation(&self, recommendation_id: &str) -> Result<Recommendation> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {REC_COLUMNS} FROM recommendation r LEFT JOIN recommendation o ON o.id = r.origin_id
                     WHERE r.id = ?1 AND r.deleted = 0"
                ),
                [recommendation_id],
                rec_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
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
        let existing: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM inspection WHERE follows_id = ?1 AND deleted = 0",
                [original_id],
                |r| r.get(0),
            )
            .optional()?;
        if existing.is_some() {
            return Err(Refusal::Duplicate.err(format!(
                "«{}» đã có cuộc kiểm tra lại sau lần kiểm tra này; hãy mở cuộc kiểm tra lại đó.",
                row.unit_name
            )));
        }
        let (plan_id, template_id): (String, String) = self.conn.query_row(
            "SELECT plan_id, template_id FROM inspection WHERE id = ?1",
            [original_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
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
            let taken: bool = w
                .conn()
                .query_row("SELECT count(*) FROM inspection WHERE id = ?1", [&id], |r| {
                    r.get::<_, i64>(0)
                })?
                > 0;
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
    let (state, open, total): (InspectionState, i64, i64) = w.conn().query_row(
        "SELECT s.state,
                (SELECT count(*) FROM recommendation r WHERE r.inspection_id = s.id AND r.deleted = 0 AND r.state <> 'da_khac_phuc'
                   AND NOT EXISTS (SELECT 1 FROM recommendation c WHERE c.origin_id = r.id AND c.deleted = 0 AND c.state = 'da_khac_phuc')),
                (SELECT count(*) FROM recommendation r WHERE r.inspection_id = s.id AND r.deleted = 0)
         FROM inspection s WHERE s.id = ?1",
        [inspection_id],
        |r| Ok((r.stored(0, "inspection", inspection_id)?, r.get(1)?, r.get(2)?)),
    )?;
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

/// The columns `rec_from_row` reads (a recommendation `r`, its origin `o`).
pub(crate) const REC_COLUMNS: &str = "r.id, r.number, r.area_code, r.text, r.owner, r.deadline, r.state, r.report_number, \
     r.report_date, r.report_note, r.report_attachment_sha256, r.report_attachment_name, r.origin_id, o.number, r.inspection_id";
const REC_N: usize = 15;

pub(crate) fn rec_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Recommendation> {
    let id: String = r.get(0)?;
    Ok(Recommendation {
        deadline: r.stored_date(5, "recommendation", &id)?,
        state: r.stored(6, "recommendation", &id)?,
        report_date: r.stored_date(8, "recommendation", &id)?,
        id,
        number: r.get(1)?,
        area_code: r.get(2)?,
        text: r.get(3)?,
        owner: r.get(4)?,
        report_number: r.get(7)?,
        report_note: r.get(9)?,
        report_attachment_sha256: r.get(10)?,
        report_attachment_name: r.get(11)?,
        origin_id: r.get(12)?,
        origin_number: r.get(13)?,
        inspection_id: r.get(14)?,
    })
}
