//! Findings (table `finding`) and numbered recommendations (table `recommendation`) in the
//! store: the reads the use cases need, and the next position or number a new one takes.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::model::{Finding, Recommendation};
use crate::error::Result;
use crate::store::stored::RowExt;
use crate::store::{Store, W};

/// The position a new finding takes in its inspection's area (after the last one).
pub(crate) fn next_finding_position(w: &W<'_>, inspection_id: &str, area: &str) -> Result<i64> {
    Ok(w.conn().query_row(
        "SELECT coalesce(max(position), 0) + 1 FROM finding WHERE inspection_id = ?1 AND area_code = ?2",
        params![inspection_id, area],
        |r| r.get(0),
    )?)
}

/// An inspection's findings by area, kind (achieved, shortcoming, cause) and position.
pub(crate) fn findings(store: &Store, inspection_id: &str) -> Result<Vec<Finding>> {
    let mut st = store.conn.prepare_cached(
        "SELECT id, area_code, kind, text, position FROM finding
         WHERE inspection_id = ?1 AND deleted = 0
         ORDER BY CAST(area_code AS INTEGER), CASE kind WHEN 'dat_duoc' THEN 0 WHEN 'ton_tai' THEN 1 ELSE 2 END, position",
    )?;
    let v = st
        .query_map([inspection_id], |r| {
            let id: String = r.get(0)?;
            Ok(Finding {
                kind: r.stored(2, "finding", &id)?,
                id,
                area_code: r.get(1)?,
                text: r.get(3)?,
                position: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The number a new recommendation of an inspection takes (numbers are never reused).
pub(crate) fn next_recommendation_number(w: &W<'_>, inspection_id: &str) -> Result<i64> {
    Ok(w.conn().query_row(
        "SELECT coalesce(max(number), 0) + 1 FROM recommendation WHERE inspection_id = ?1",
        [inspection_id],
        |r| r.get(0),
    )?)
}

/// The inspection of a recommendation that is not deleted; None when there is none.
pub(crate) fn live_recommendation_inspection(store: &Store, recommendation_id: &str) -> Result<Option<String>> {
    Ok(store
        .conn
        .query_row(
            "SELECT inspection_id FROM recommendation WHERE id = ?1 AND deleted = 0",
            [recommendation_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn inspection_of(conn: &Connection, recommendation_id: &str) -> rusqlite::Result<String> {
    conn.query_row(
        "SELECT inspection_id FROM recommendation WHERE id = ?1",
        [recommendation_id],
        |r| r.get(0),
    )
}

/// The inspection of a recommendation, deleted or not (the record must exist).
pub(crate) fn recommendation_inspection(store: &Store, recommendation_id: &str) -> Result<String> {
    Ok(inspection_of(&store.conn, recommendation_id)?)
}

/// Within a write: the inspection of a recommendation, deleted or not; None when there is none.
pub(crate) fn recommendation_inspection_in(w: &W<'_>, recommendation_id: &str) -> Result<Option<String>> {
    Ok(inspection_of(w.conn(), recommendation_id).optional()?)
}

/// An inspection's recommendations that are not deleted, by number.
pub(crate) fn recommendations(store: &Store, inspection_id: &str) -> Result<Vec<Recommendation>> {
    let mut st = store.conn.prepare_cached(&format!(
        "SELECT {} FROM recommendation r LEFT JOIN recommendation o ON o.id = r.origin_id
             WHERE r.inspection_id = ?1 AND r.deleted = 0 ORDER BY r.number",
        REC_COLUMNS
    ))?;
    let v = st
        .query_map([inspection_id], rec_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// One recommendation that is not deleted, whole; None when there is none.
pub(crate) fn recommendation(store: &Store, recommendation_id: &str) -> Result<Option<Recommendation>> {
    Ok(store
        .conn
        .query_row(
            &format!(
                "SELECT {REC_COLUMNS} FROM recommendation r LEFT JOIN recommendation o ON o.id = r.origin_id
                     WHERE r.id = ?1 AND r.deleted = 0"
            ),
            [recommendation_id],
            rec_from_row,
        )
        .optional()?)
}

/// The columns `rec_from_row` reads (a recommendation `r`, its origin `o`).
pub(crate) const REC_COLUMNS: &str = "r.id, r.number, r.area_code, r.text, r.owner, r.deadline, r.state, r.report_number, \
     r.report_date, r.report_note, r.report_attachment_sha256, r.report_attachment_name, r.origin_id, o.number, r.inspection_id";
/// How many columns `REC_COLUMNS` has (the columns a query selects after them start here).
pub(crate) const REC_N: usize = 15;

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
