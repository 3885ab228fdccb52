//! The follow-up after the visit in the store: a plan's recommendations with their units,
//! the counts of open and overdue ones, what settles an inspection's remediation state, and
//! what starting a re-inspection reads.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use crate::domain::model::{InspectionState, Recommendation};
use crate::error::Result;
use crate::store::findings::{rec_from_row, REC_COLUMNS, REC_N};
use crate::store::stored::RowExt;
use crate::store::{Store, W};

/// A recommendation of a plan and where it belongs.
pub(crate) struct PlanRecommendation {
    pub recommendation: Recommendation,
    pub inspection_id: String,
    pub unit_id: String,
    pub unit_name: String,
    /// Its inspection is a re-inspection.
    pub reinspection: bool,
}

/// Every recommendation of a plan that is not carried into a re-inspection, in plan order
/// (the department first, then by scheduled start, then numbers).
pub(crate) fn plan_recommendations(store: &Store, plan_id: &str) -> Result<Vec<PlanRecommendation>> {
    let mut st = store.conn.prepare_cached(&format!(
        "SELECT {REC_COLUMNS}, s.id, u.id, u.name, s.follows_id IS NOT NULL
             FROM recommendation r JOIN inspection s ON s.id = r.inspection_id JOIN unit u ON u.id = s.unit_id
             LEFT JOIN recommendation o ON o.id = r.origin_id
             WHERE s.plan_id = ?1 AND r.deleted = 0 AND s.deleted = 0
               AND NOT EXISTS (SELECT 1 FROM recommendation c WHERE c.origin_id = r.id AND c.deleted = 0)
             ORDER BY CASE u.kind WHEN 'so' THEN 0 ELSE 1 END, coalesce(s.scheduled_start, '9999'), s.rowid, r.number"
    ))?;
    let mut out = Vec::new();
    let mut rows = st.query([plan_id])?;
    while let Some(r) = rows.next()? {
        out.push(PlanRecommendation {
            recommendation: rec_from_row(r)?,
            inspection_id: r.get(REC_N)?,
            unit_id: r.get(REC_N + 1)?,
            unit_name: r.get(REC_N + 2)?,
            reinspection: r.get::<_, i64>(REC_N + 3)? == 1,
        });
    }
    Ok(out)
}

/// Recommendation counts per inspection of a plan: (open, overdue as of `today`).
/// Recommendations carried into a re-inspection are counted there, not in the original.
pub(crate) fn recommendation_counts(
    store: &Store,
    plan_id: &str,
    today: NaiveDate,
) -> Result<HashMap<String, (usize, usize)>> {
    let mut st = store.conn.prepare_cached(
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

/// Within a write: an inspection's state, how many of its recommendations are still open
/// (one carried into a re-inspection counts as remedied once its copy there is), and how many
/// it has.
pub(crate) fn remediation_counts(w: &W<'_>, inspection_id: &str) -> Result<(InspectionState, i64, i64)> {
    Ok(w.conn().query_row(
        "SELECT s.state,
                (SELECT count(*) FROM recommendation r WHERE r.inspection_id = s.id AND r.deleted = 0 AND r.state <> 'da_khac_phuc'
                   AND NOT EXISTS (SELECT 1 FROM recommendation c WHERE c.origin_id = r.id AND c.deleted = 0 AND c.state = 'da_khac_phuc')),
                (SELECT count(*) FROM recommendation r WHERE r.inspection_id = s.id AND r.deleted = 0)
         FROM inspection s WHERE s.id = ?1",
        [inspection_id],
        |r| Ok((r.stored(0, "inspection", inspection_id)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// The re-inspection that follows an inspection, if one has been started (and not deleted).
pub(crate) fn reinspection_of(store: &Store, original_id: &str) -> Result<Option<String>> {
    Ok(store
        .conn
        .query_row(
            "SELECT id FROM inspection WHERE follows_id = ?1 AND deleted = 0",
            [original_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// An inspection's plan and checklist template (the record must exist).
pub(crate) fn inspection_plan_and_template(store: &Store, inspection_id: &str) -> Result<(String, String)> {
    Ok(store.conn.query_row(
        "SELECT plan_id, template_id FROM inspection WHERE id = ?1",
        [inspection_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Within a write: whether an inspection record with this id exists (deleted or not).
pub(crate) fn inspection_exists(w: &W<'_>, id: &str) -> Result<bool> {
    Ok(w.conn()
        .query_row("SELECT count(*) FROM inspection WHERE id = ?1", [id], |r| {
            r.get::<_, i64>(0)
        })?
        > 0)
}
