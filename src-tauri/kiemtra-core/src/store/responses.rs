//! What is recorded on an inspection's checklist, as stored: responses per criterion, the
//! team's figures (`figure`) and the unit's (`self_figure`), evidence, and the attachments'
//! bytes (kept once by SHA-256). Writes go through [`W`]'s methods in the use cases, but
//! for an attachment's bytes, which are content-addressed and never change.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::model::*;
use crate::error::Result;
use crate::store::stored::RowExt;
use crate::store::W;

/// Per inspection, its responses by criterion code.
pub(crate) type PlanResponses = HashMap<String, HashMap<String, Response>>;
/// Per inspection, its team figures by key.
pub(crate) type PlanFigures = HashMap<String, HashMap<String, f64>>;

/// An inspection's live responses, by criterion code.
pub(crate) fn responses(conn: &Connection, inspection_id: &str) -> Result<HashMap<String, Response>> {
    let mut st = conn.prepare_cached(
        "SELECT item_code, self_score, team_score, status, note, self_note FROM response WHERE inspection_id = ?1 AND deleted = 0",
    )?;
    let v = st
        .query_map([inspection_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Response {
                    self_score: r.get(1)?,
                    team_score: r.get(2)?,
                    status: r.get(3)?,
                    note: r.get(4)?,
                    self_note: r.get(5)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    Ok(v)
}

/// The response record of a criterion, live or withdrawn (as a write sees it).
pub(crate) fn response_id(w: &W<'_>, inspection_id: &str, code: &str) -> Result<Option<String>> {
    Ok(w.conn()
        .query_row(
            "SELECT id FROM response WHERE inspection_id = ?1 AND item_code = ?2",
            params![inspection_id, code],
            |r| r.get(0),
        )
        .optional()?)
}

/// The scores of a plan's live inspections: their live responses (scores and levels, no
/// notes) and their live team figures, in two queries.
pub(crate) fn plan_inputs(conn: &Connection, plan_id: &str) -> Result<(PlanResponses, PlanFigures)> {
    let mut responses: PlanResponses = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT r.inspection_id, r.item_code, r.self_score, r.team_score, r.status
         FROM response r JOIN inspection s ON s.id = r.inspection_id
         WHERE s.plan_id = ?1 AND r.deleted = 0 AND s.deleted = 0",
    )?;
    let mut rows = st.query([plan_id])?;
    while let Some(r) = rows.next()? {
        responses.entry(r.get(0)?).or_default().insert(
            r.get(1)?,
            Response {
                self_score: r.get(2)?,
                team_score: r.get(3)?,
                status: r.get(4)?,
                note: String::new(),
                self_note: String::new(),
            },
        );
    }
    let mut figures: PlanFigures = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT f.inspection_id, f.key, f.value FROM figure f JOIN inspection s ON s.id = f.inspection_id
         WHERE s.plan_id = ?1 AND f.deleted = 0 AND s.deleted = 0",
    )?;
    let mut rows = st.query([plan_id])?;
    while let Some(r) = rows.next()? {
        figures.entry(r.get(0)?).or_default().insert(r.get(1)?, r.get(2)?);
    }
    Ok((responses, figures))
}

// ---- figures ------------------------------------------------------------------------

/// An inspection's live figures in `table` (`figure` or `self_figure`), by key.
pub(crate) fn figure_map(conn: &Connection, table: &str, inspection_id: &str) -> Result<HashMap<String, f64>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT key, value FROM {table} WHERE inspection_id = ?1 AND deleted = 0"
    ))?;
    let v = st
        .query_map([inspection_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?)))?
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    Ok(v)
}

/// The record of a figure in `table`, live or deleted (as a write sees it).
pub(crate) fn figure_id(w: &W<'_>, table: &str, inspection_id: &str, key: &str) -> Result<Option<String>> {
    Ok(w.conn()
        .query_row(
            &format!("SELECT id FROM {table} WHERE inspection_id = ?1 AND key = ?2"),
            params![inspection_id, key],
            |r| r.get(0),
        )
        .optional()?)
}

/// The record of a live figure in `table`.
pub(crate) fn live_figure_id(conn: &Connection, table: &str, inspection_id: &str, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            &format!("SELECT id FROM {table} WHERE inspection_id = ?1 AND key = ?2 AND deleted = 0"),
            params![inspection_id, key],
            |r| r.get(0),
        )
        .optional()?)
}

// ---- evidence and attachments -------------------------------------------------------

/// How many live evidence items each criterion of an inspection has.
pub(crate) fn evidence_counts(conn: &Connection, inspection_id: &str) -> Result<HashMap<String, usize>> {
    let mut ev_counts: HashMap<String, usize> = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT item_code, count(*) FROM evidence WHERE inspection_id = ?1 AND deleted = 0 GROUP BY item_code",
    )?;
    let mut rows = st.query([inspection_id])?;
    while let Some(r) = rows.next()? {
        ev_counts.insert(r.get(0)?, r.get::<_, i64>(1)? as usize);
    }
    Ok(ev_counts)
}

/// How many live evidence items of an inspection the unit provided.
pub(crate) fn unit_evidence_count(conn: &Connection, inspection_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM evidence WHERE inspection_id = ?1 AND deleted = 0 AND source = 'don_vi'",
        [inspection_id],
        |r| r.get(0),
    )?)
}

/// An inspection's live evidence (of one criterion, or all), by criterion then as added,
/// with its attachment's size and media type.
pub(crate) fn evidence(conn: &Connection, inspection_id: &str, code: Option<&str>) -> Result<Vec<Evidence>> {
    let mut st = conn.prepare_cached(
        "SELECT e.id, e.item_code, e.doc_number, e.doc_date, e.description, e.attachment_sha256, e.attachment_name, a.size, a.media_type, e.source
         FROM evidence e LEFT JOIN attachment a ON a.sha256 = e.attachment_sha256
         WHERE e.inspection_id = ?1 AND e.deleted = 0 AND (?2 IS NULL OR e.item_code = ?2)
         ORDER BY e.item_code, e.rowid",
    )?;
    let v = st
        .query_map(params![inspection_id, code], |r| {
            let id: String = r.get(0)?;
            Ok(Evidence {
                doc_date: r.stored_date(3, "evidence", &id)?,
                source: r.stored(9, "evidence", &id)?,
                id,
                item_code: r.get(1)?,
                doc_number: r.get(2)?,
                description: r.get(4)?,
                attachment_sha256: r.get(5)?,
                attachment_name: r.get(6)?,
                attachment_size: r.get(7)?,
                media_type: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Who provided an evidence item (its stored `source`), deleted or not.
pub(crate) fn evidence_source(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT source FROM evidence WHERE id = ?1", [id], |r| r.get(0))
        .optional()?)
}

/// Store an attachment's bytes once; true when they were not there yet. (The bytes are
/// found by their hash and never change: no clock, no audit.)
pub(crate) fn store_attachment(w: &W<'_>, sha: &str, bytes: &[u8], media: &str, name: &str) -> Result<bool> {
    Ok(w.conn().execute(
        "INSERT INTO attachment(sha256, size, media_type, original_name, data, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(sha256) DO NOTHING",
        params![sha, bytes.len() as i64, media, name, bytes, w.ctx.stamp()],
    )? == 1)
}

/// An attachment's original name, media type and bytes.
pub(crate) fn attachment(conn: &Connection, sha256: &str) -> Result<Option<(String, String, Vec<u8>)>> {
    Ok(conn
        .query_row(
            "SELECT original_name, media_type, data FROM attachment WHERE sha256 = ?1",
            [sha256],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// A stored thumbnail of an attachment at `px`: Some(empty) when it is known to be no image.
pub(crate) fn thumbnail(conn: &Connection, sha256: &str, px: u32) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row(
            "SELECT data FROM thumbnail WHERE sha256 = ?1 AND px = ?2",
            rusqlite::params![sha256, px],
            |r| r.get(0),
        )
        .optional()?)
}

/// Keep a thumbnail made from an attachment (a local cache row: no record, never exchanged).
pub(crate) fn save_thumbnail(conn: &Connection, sha256: &str, px: u32, data: &[u8]) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO thumbnail(sha256, px, data) VALUES (?1, ?2, ?3)",
        rusqlite::params![sha256, px, data],
    )?;
    Ok(())
}

/// How many attachments are stored.
pub(crate) fn attachment_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM attachment", [], |r| r.get(0))?)
}
