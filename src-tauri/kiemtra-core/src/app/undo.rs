//! Undo of the last change made on this laptop.
//!
//! Every action writes its field changes to the audit log under one clock value, so the
//! last action can be reversed field by field: a record it created is tombstoned, a field
//! it changed gets its old value back. The undo is itself an action (logged, with its own
//! clock, so it travels in exchange files like any edit). A field that someone changed
//! again since (another laptop's edit merged in) is left alone. Undoing again goes one
//! action further back.

use std::collections::{HashMap, HashSet};

use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::domain::clock::Hlc;
use crate::error::{Error, Refusal, Result};
use crate::store::{db_hlc, Ctx, Store};

const UNDO_PREFIX: &str = "hoàn tác: ";

/// The action an undo would reverse.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UndoableAction {
    /// What the user did, in Vietnamese ("chấm tiêu chí").
    pub action: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    hlc: Hlc,
    /// Its newest row in the audit log (an action's rows are written together, one after
    /// the other, in its transaction).
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    seq: i64,
}

/// What an undo did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Undone {
    pub action: String,
    /// Fields given back their old value, plus records withdrawn.
    pub changes: usize,
    /// Fields left as they are because they were changed again since.
    pub kept: usize,
}

struct Entry {
    seq: i64,
    entity: String,
    entity_id: String,
    field: String,
    old: Option<String>,
    new: Option<String>,
}

impl Store {
    /// The newest action of this laptop that has not been undone yet (None when there is
    /// none, or when it is one undo never goes past: setting up, issuing a document). What
    /// was undone, and what undid it, are read from the `undone` table, never from labels.
    pub fn last_undoable(&self) -> Result<Option<UndoableAction>> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.seq, a.hlc, a.action, a.at, a.barrier FROM audit_log a
             WHERE a.device_id = ?1
               AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.hlc = a.hlc)
               AND NOT EXISTS (SELECT 1 FROM undone u WHERE u.undo_hlc = a.hlc)
             ORDER BY a.seq DESC LIMIT 1",
        )?;
        let row: Option<(i64, String, String, String, bool)> = st
            .query_row(params![self.device_id()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        match row {
            Some((seq, hlc, action, at, false)) => {
                let hlc = hlc.parse::<Hlc>().map_err(|_| Error::Corrupt {
                    what: format!("đồng hồ ở dòng {seq} của nhật ký thay đổi"),
                })?;
                Ok(Some(UndoableAction { action, at, hlc, seq }))
            }
            _ => Ok(None),
        }
    }

    /// Reverse the newest action of this laptop not undone yet. The undo is an action of its
    /// own, through the same write path (so it obeys the same rules, and the search index
    /// follows the records it changed); it is recorded as done even when every field had
    /// been changed again since, so the next undo goes one action further back.
    pub fn undo_last(&mut self, ctx: &Ctx) -> Result<Undone> {
        let Some(last) = self.last_undoable()? else {
            return Err(Refusal::NothingToUndo.err("Không còn thay đổi nào để hoàn tác."));
        };
        let label = format!("{UNDO_PREFIX}{}", last.action);
        let action = last.action.clone();
        self.write(ctx, &label, |w| {
            let conn = w.conn();
            // The action's rows: back from its newest, while they carry its clock.
            let mut entries: Vec<Entry> = Vec::new();
            {
                let mut st = conn.prepare_cached(
                    "SELECT seq, hlc, entity, entity_id, field, old_value, new_value FROM audit_log
                     WHERE seq <= ?1 ORDER BY seq DESC",
                )?;
                let mut rows = st.query([last.seq])?;
                let clock = last.hlc.to_string();
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
            }
            let first_seq = entries.iter().map(|e| e.seq).min().unwrap_or(0);
            let mut columns: HashMap<String, HashMap<String, Column>> = HashMap::new();
            let mut created_done: HashSet<(String, String)> = HashSet::new();
            let (mut changes, mut kept) = (0, 0);
            for e in &entries {
                if !is_record_table(&e.entity) {
                    continue;
                }
                let clock: Option<String> = conn
                    .prepare_cached("SELECT hlc FROM field_clock WHERE entity = ?1 AND entity_id = ?2 AND field = ?3")?
                    .query_row(params![e.entity, e.entity_id, e.field], |r| r.get(0))
                    .optional()?;
                let same = match &clock {
                    Some(h) => db_hlc(h, &e.entity, &e.entity_id, &e.field)? == last.hlc,
                    None => false,
                };
                if !same && !restored_by_undo(conn, e, clock.as_deref())? {
                    kept += 1;
                    continue;
                }
                let existed_before: bool = conn
                    .prepare_cached(
                        "SELECT EXISTS(SELECT 1 FROM audit_log WHERE entity = ?1 AND entity_id = ?2 AND seq < ?3)",
                    )?
                    .query_row(params![e.entity, e.entity_id, first_seq], |r| r.get(0))?;
                if !columns.contains_key(&e.entity) {
                    columns.insert(e.entity.clone(), table_columns(conn, &e.entity)?);
                }
                let cols = &columns[&e.entity];
                if !existed_before && !SHARED_RECORDS.contains(&e.entity.as_str()) {
                    // Created by this action: withdraw the record (once).
                    if created_done.insert((e.entity.clone(), e.entity_id.clone())) {
                        w.delete(&e.entity, &e.entity_id)?;
                        changes += 1;
                    }
                    continue;
                }
                if !existed_before && ["id", "inspection_id", "item_code"].contains(&e.field.as_str()) {
                    // The natural key of a shared record stays; its values go back.
                    continue;
                }
                let value = match (&e.old, cols.get(&e.field)) {
                    (Some(old), Some(c)) => typed(Some(old), &c.ty).ok_or_else(|| {
                        Error::corrupt(
                            "audit_log",
                            &e.seq.to_string(),
                            "old_value",
                            old,
                            &format!("một giá trị kiểu {} của cột {}.{}", c.ty, e.entity, e.field),
                        )
                    })?,
                    (None, Some(c)) => c.default.clone(),
                    (_, None) => continue,
                };
                changes += w.update(&e.entity, &e.entity_id, &[(e.field.as_str(), value)])?;
            }
            let undo_hlc = if changes > 0 { Some(w.hlc()?.to_string()) } else { None };
            w.conn()
                .prepare_cached("INSERT INTO undone(hlc, undo_hlc, at) VALUES (?1, ?2, ?3)")?
                .execute(params![last.hlc.to_string(), undo_hlc, w.ctx.stamp()])?;
            Ok(Undone { action, changes, kept })
        })
    }
}

/// A field last written by an undo on this laptop that gave it back the value `e` wrote: it
/// still holds that action's change (undoing again goes on from there).
fn restored_by_undo(conn: &rusqlite::Connection, e: &Entry, clock: Option<&str>) -> Result<bool> {
    let Some(clock) = clock else { return Ok(false) };
    let by_undo: bool = conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM undone WHERE undo_hlc = ?1)")?
        .query_row([clock], |r| r.get(0))?;
    if !by_undo {
        return Ok(false);
    }
    let now: Option<String> = conn
        .prepare_cached(
            "SELECT new_value FROM audit_log WHERE hlc = ?1 AND entity = ?2 AND entity_id = ?3 AND field = ?4
             ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(params![clock, e.entity, e.entity_id, e.field], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(now == e.new)
}

/// Tables whose records have an `id` and a tombstone (what `W::update` and `W::delete` handle).
fn is_record_table(t: &str) -> bool {
    matches!(
        t,
        "plan"
            | "team"
            | "team_member"
            | "unit"
            | "unit_event"
            | "inspection"
            | "response"
            | "figure"
            | "self_figure"
            | "evidence"
            | "finding"
            | "recommendation"
            | "document"
    )
}

/// Records that hold several people's fields under one natural key (a criterion's response
/// holds the team's score and the unit's self score): undoing the action that created one
/// gives its fields back their defaults instead of withdrawing the record, which would take
/// the others' fields with it.
const SHARED_RECORDS: &[&str] = &["response"];

struct Column {
    ty: String,
    default: Value,
}

fn table_columns(conn: &rusqlite::Connection, table: &str) -> Result<HashMap<String, Column>> {
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
fn typed(old: Option<&str>, ty: &str) -> Option<Value> {
    Some(match old {
        None => Value::Null,
        Some(s) => match ty {
            "INTEGER" => Value::Integer(s.parse().ok()?),
            "REAL" => Value::Real(s.parse().ok()?),
            _ => Value::Text(s.into()),
        },
    })
}
