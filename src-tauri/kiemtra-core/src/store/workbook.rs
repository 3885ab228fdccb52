//! What a plan's workbook reads across its inspections and nothing else does: every finding
//! of the plan with its unit, and the units' self-assessed totals.

use std::collections::HashMap;

use crate::domain::model::FindingKind;
use crate::error::Result;
use crate::store::stored::RowExt;
use crate::store::Store;

/// A finding of a plan, with the unit it is about.
pub(crate) struct PlanFinding {
    pub unit_name: String,
    pub area_code: String,
    pub kind: FindingKind,
    pub text: String,
    /// Its inspection is a re-inspection.
    pub reinspection: bool,
}

/// Every finding of a plan that is not deleted, in plan order (the department first, then by
/// scheduled start), then by area, kind (achieved, shortcoming, cause) and position.
pub(crate) fn plan_findings(store: &Store, plan_id: &str) -> Result<Vec<PlanFinding>> {
    let mut st = store.conn.prepare_cached(
        "SELECT u.name, f.area_code, f.kind, f.text, s.follows_id IS NOT NULL, f.id
                 FROM finding f JOIN inspection s ON s.id = f.inspection_id JOIN unit u ON u.id = s.unit_id
                 WHERE s.plan_id = ?1 AND f.deleted = 0 AND s.deleted = 0
                 ORDER BY CASE u.kind WHEN 'so' THEN 0 ELSE 1 END, coalesce(s.scheduled_start, '9999'), s.rowid,
                          CAST(f.area_code AS INTEGER), f.area_code,
                          CASE f.kind WHEN 'dat_duoc' THEN 0 WHEN 'ton_tai' THEN 1 ELSE 2 END, f.position",
    )?;
    let mut rows = st.query([plan_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let unit_name: String = r.get(0)?;
        let area_code: String = r.get(1)?;
        let kind: FindingKind = r.stored(2, "finding", &r.get::<_, String>(5)?)?;
        let text: String = r.get(3)?;
        let reinspection: bool = r.get::<_, i64>(4)? == 1;
        out.push(PlanFinding {
            unit_name,
            area_code,
            kind,
            text,
            reinspection,
        });
    }
    Ok(out)
}

/// The unit's self-assessed total per inspection of a plan (only those with self scores).
pub(crate) fn self_totals(store: &Store, plan_id: &str) -> Result<HashMap<String, f64>> {
    let mut st = store.conn.prepare_cached(
        "SELECT r.inspection_id, sum(r.self_score) FROM response r JOIN inspection s ON s.id = r.inspection_id
             WHERE s.plan_id = ?1 AND r.deleted = 0 AND s.deleted = 0 AND r.self_score IS NOT NULL
             GROUP BY r.inspection_id",
    )?;
    let v = st
        .query_map([plan_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?)))?
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    Ok(v)
}
