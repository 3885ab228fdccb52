//! What undo (app/undo.rs) reads from the audit log and the `undone` table, the columns of
//! the tables it gives values back to, and its own mark in `undone`.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;
use crate::store::W;

/// The newest row of an action in the audit log.
pub(crate) struct ActionRow {
    pub seq: i64,
    pub hlc: String,
    pub action: String,
    pub at: String,
    /// An action undo never goes past (setting up, issuing a document).
    pub barrier: bool,
}

/// The newest audit row of this laptop (`device_id`) below `below` (a row number) whose
/// action has not been undone and is not itself an undo (both read from the `undone` table).
pub(crate) fn newest_not_undone(conn: &Connection, device_id: &str, below: i64) -> Result<Option<ActionRow>> {
    let mut st = conn.prepare_cached(
        "SELECT a.seq, a.hlc, a.action, a.at, a.barrier FROM audit_log a
             WHERE a.device_id = ?1 AND a.seq < ?2
               AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.hlc = a.hlc)
               AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.undo_hlc = a.hlc)
             ORDER BY a.seq DESC LIMIT 1",
    )?;
    Ok(st
        .query_row(params![device_id, below], |r| {
            Ok(ActionRow {
                seq: r.get(0)?,
                hlc: r.get(1)?,
                action: r.get(2)?,
                at: r.get(3)?,
                barrier: r.get(4)?,
            })
        })
        .optional()?)
}

/// One field change in the audit log.
pub(crate) struct Entry {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// An action's rows: back from its newest (`seq`), while they carry its clock (`clock`).
pub(crate) fn action_entries(conn: &Connection, seq: i64, clock: &str) -> Result<Vec<Entry>> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut st = conn.prepare_cached(
        "SELECT seq, hlc, entity, entity_id, field, old_value, new_value FROM audit_log
                     WHERE seq <= ?1 ORDER BY seq DESC",
    )?;
    let mut rows = st.query([seq])?;
    while let Some(r) = rows.next()? {
        if r.get::<_, String>(1)? != clock {
            break;
        }
        entries.push(Entry {
            seq: r.get(0)?,
            entity: r.get(2)?,
            entity_id: r.get(3)?,
            field: r.get(4)?,
            old: r.get(5)?,
            new: r.get(6)?,
        });
    }
    Ok(entries)
}

/// The clock (as stored) of the last change to a field (None: it has none).
pub(crate) fn field_clock(conn: &Connection, entity: &str, id: &str, field: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT hlc FROM field_clock WHERE entity = ?1 AND entity_id = ?2 AND field = ?3")?
        .query_row(params![entity, id, field], |r| r.get(0))
        .optional()?)
}

/// Whether the action with this clock is an undo.
pub(crate) fn is_undo(conn: &Connection, clock: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM undone WHERE undo_hlc = ?1)")?
        .query_row([clock], |r| r.get(0))?)
}

/// The value the action with this clock last wrote into a field (None: none, or it wrote
/// none).
pub(crate) fn value_written(
    conn: &Connection,
    clock: &str,
    entity: &str,
    id: &str,
    field: &str,
) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT new_value FROM audit_log WHERE hlc = ?1 AND entity = ?2 AND entity_id = ?3 AND field = ?4
             ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(params![clock, entity, id, field], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Whether the audit log has a row of the record older than `seq` (it existed before).
pub(crate) fn logged_before(conn: &Connection, entity: &str, id: &str, seq: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM audit_log WHERE entity = ?1 AND entity_id = ?2 AND seq < ?3)")?
        .query_row(params![entity, id, seq], |r| r.get(0))?)
}

/// Record that the action with clock `hlc` was undone (by the action `undo_hlc`; None when
/// the undo changed nothing). `undone` is the undo's own bookkeeping, not a record that
/// travels: it is written here, in the undo's transaction, not through `W::insert`.
pub(crate) fn mark_undone(w: &W<'_>, hlc: &str, undo_hlc: Option<String>, at: String) -> Result<()> {
    w.conn()
        .prepare_cached("INSERT INTO undone(hlc, undo_hlc, at) VALUES (?1, ?2, ?3)")?
        .execute(params![hlc, undo_hlc, at])?;
    Ok(())
}

/// What a field of a record holds now (None: there is no such record). `table` and `field`
/// are names undo read from the audit log and checked against the table's columns.
pub(crate) fn current_value(conn: &Connection, table: &str, id: &str, field: &str) -> Result<Option<Value>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {field} FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get::<_, Value>(0))
        .optional()?)
}

/// A column's declared type and default value.
pub(crate) struct Column {
    pub ty: String,
    pub default: Value,
}

/// The columns of a table, by name.
pub(crate) fn table_columns(conn: &Connection, table: &str) -> Result<HashMap<String, Column>> {
    let mut st = conn.prepare_cached("SELECT name, type, dflt_value FROM pragma_table_info(?1)")?;
    let rows = st.query_map([table], |r| {
        let ty: String = r.get(1)?;
        let dflt: Option<String> = r.get(2)?;
        Ok((r.get::<_, String>(0)?, ty, dflt))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (name, ty, dflt) = row?;
        // Defaults in the schema are literals: '' or a number.
        let default = match dflt.as_deref() {
            None | Some("NULL") => Value::Null,
            Some(d) if d.starts_with('\'') => Value::Text(d.trim_matches('\'').replace("''", "'")),
            Some(d) => typed(Some(d), &ty).unwrap_or_else(|| Value::Text(d.into())),
        };
        out.insert(name, Column { ty, default });
    }
    Ok(out)
}

/// The audit log keeps values as text; give them back their column's type (None: the text
/// is not one of that type).
pub(crate) fn typed(old: Option<&str>, ty: &str) -> Option<Value> {
    Some(match old {
        None => Value::Null,
        Some(s) => match ty {
            "INTEGER" => Value::Integer(s.parse().ok()?),
            "REAL" => Value::Real(s.parse().ok()?),
            _ => Value::Text(s.into()),
        },
    })
}
