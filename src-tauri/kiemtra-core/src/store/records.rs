//! Reading back the records an action touched, for the write path's rules (app/rules.rs):
//! the checks are the rules', the reads are here. They take a connection, so that the same
//! checks run on a local write (its transaction, [`reader`]) and on an import.

use std::collections::HashMap;

pub(crate) use rusqlite::Connection;
use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::store::{Value, W};

/// The connection a write reads through (its transaction): what the rules' reads and the
/// search index take while the write runs.
pub(crate) fn reader<'a>(w: &'a W<'_>) -> &'a Connection {
    w.conn()
}

/// Read some columns of one record (None when there is no such record).
pub(crate) fn columns(
    conn: &Connection,
    table: &str,
    id: &str,
    cols: &[&str],
) -> Result<Option<HashMap<String, Value>>> {
    let sql = format!("SELECT {} FROM {table} WHERE id = ?1", cols.join(", "));
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |r| {
            let mut m = HashMap::new();
            for (i, c) in cols.iter().enumerate() {
                m.insert(c.to_string(), r.get::<_, Value>(i)?);
            }
            Ok(m)
        })
        .optional()?)
}

/// The plan a record of the plan's own tables belongs to (the plan, its team and members,
/// its inspections and what hangs from them), with its title and whether it is closed;
/// None for shared records (units, templates).
pub(crate) fn plan_of(conn: &Connection, table: &str, id: &str) -> Result<Option<(String, bool)>> {
    let sql = match table {
        "plan" => "SELECT p.title, p.closed FROM plan p WHERE p.id = ?1",
        "team" => "SELECT p.title, p.closed FROM team t JOIN plan p ON p.id = t.plan_id WHERE t.id = ?1",
        "team_member" => {
            "SELECT p.title, p.closed FROM team_member m JOIN team t ON t.id = m.team_id
             JOIN plan p ON p.id = t.plan_id WHERE m.id = ?1"
        }
        "inspection" => "SELECT p.title, p.closed FROM inspection s JOIN plan p ON p.id = s.plan_id WHERE s.id = ?1",
        "report" => "SELECT p.title, p.closed FROM report r JOIN plan p ON p.id = r.plan_id WHERE r.id = ?1",
        "response" | "figure" | "self_figure" | "evidence" | "finding" | "recommendation" | "document" => {
            return Ok(conn
                .prepare_cached(&format!(
                    "SELECT p.title, p.closed FROM {table} x JOIN inspection s ON s.id = x.inspection_id
                     JOIN plan p ON p.id = s.plan_id WHERE x.id = ?1"
                ))?
                .query_row([id], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? == 1)))
                .optional()?)
        }
        _ => return Ok(None),
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? == 1)))
        .optional()?)
}

/// A response as the rules read it: checklist version, criterion, self score, team score, level.
pub(crate) type StoredResponse = (String, String, Option<f64>, Option<f64>, Option<String>);

/// The response with its inspection's checklist version, in one query.
pub(crate) fn response(conn: &Connection, id: &str) -> Result<Option<StoredResponse>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.template_id, r.item_code, r.self_score, r.team_score, r.status
             FROM response r JOIN inspection s ON s.id = r.inspection_id WHERE r.id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?)
}

/// The inspection a record of `table` (a figure, a response, evidence…) belongs to.
pub(crate) fn inspection_of(conn: &Connection, table: &str, id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(&format!("SELECT inspection_id FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The unit (its id and name) whose inspection a record of `table` belongs to.
pub(crate) fn owner(conn: &Connection, table: &str, id: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT s.unit_id, u.name FROM {table} x JOIN inspection s ON s.id = x.inspection_id
             JOIN unit u ON u.id = s.unit_id WHERE x.id = ?1"
        ))?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}
