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

use crate::error::{Error, Refusal, Result};
use crate::store::{Ctx, Store};

/// Actions that set the database up rather than record an inspection: never undone.
/// Actions undo never goes past: setting up, and issuing a document (an issued document is
/// frozen; a later change makes a new version instead).
const NOT_UNDOABLE: &[&str] = &[
    "nạp kế hoạch mẫu 2026",
    "cài bộ tiêu chí mặc định",
    "nhập bộ tiêu chí",
    "ban hành văn bản",
];

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
    hlc: String,
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
}

impl Store {
    /// The newest action of this laptop that has not been undone yet. One pass from the
    /// newest audit row back: an undo is always newer than what it undid, so the undone
    /// clocks are known before their rows are reached. It stops at the first candidate, so
    /// the cost does not grow with the length of the history.
    pub fn last_undoable(&self) -> Result<Option<UndoableAction>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT hlc, action, at FROM audit_log WHERE device_id = ?1 ORDER BY seq DESC")?;
        let mut rows = st.query(params![self.device_id()])?;
        let mut undone: HashSet<String> = HashSet::new();
        while let Some(r) = rows.next()? {
            let (hlc, action, at): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            if action.starts_with(UNDO_PREFIX) {
                if let Some((_, h)) = action.rsplit_once('#') {
                    undone.insert(h.to_string());
                }
                continue;
            }
            if undone.contains(&hlc) {
                continue;
            }
            if NOT_UNDOABLE.contains(&action.as_str()) {
                return Ok(None);
            }
            return Ok(Some(UndoableAction { action, at, hlc }));
        }
        Ok(None)
    }

    /// Reverse the newest action of this laptop not undone yet.
    pub fn undo_last(&mut self, ctx: &Ctx) -> Result<Undone> {
        let Some(last) = self.last_undoable()? else {
            return Err(Refusal::NothingToUndo.err("Không còn thay đổi nào để hoàn tác."));
        };
        let label = format!("{UNDO_PREFIX}{} #{}", last.action, last.hlc);
        let action = last.action.clone();
        self.write(ctx, &label, |w| {
            let conn = w.conn();
            let entries: Vec<Entry> = conn
                .prepare(
                    "SELECT seq, entity, entity_id, field, old_value FROM audit_log WHERE hlc = ?1 ORDER BY seq DESC",
                )?
                .query_map([&last.hlc], |r| {
                    Ok(Entry {
                        seq: r.get(0)?,
                        entity: r.get(1)?,
                        entity_id: r.get(2)?,
                        field: r.get(3)?,
                        old: r.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let first_seq = entries.iter().map(|e| e.seq).min().unwrap_or(0);
            let mut column_types: HashMap<String, HashMap<String, String>> = HashMap::new();
            let mut created_done: HashSet<(String, String)> = HashSet::new();
            let (mut changes, mut kept) = (0, 0);
            for e in &entries {
                if !is_record_table(&e.entity) {
                    continue;
                }
                let clock: Option<String> = conn
                    .query_row(
                        "SELECT hlc FROM field_clock WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
                        params![e.entity, e.entity_id, e.field],
                        |r| r.get(0),
                    )
                    .optional()?;
                if clock.as_deref() != Some(last.hlc.as_str()) {
                    kept += 1;
                    continue;
                }
                let existed_before: bool = conn.query_row(
                    "SELECT EXISTS(SELECT 1 FROM audit_log WHERE entity = ?1 AND entity_id = ?2 AND seq < ?3)",
                    params![e.entity, e.entity_id, first_seq],
                    |r| r.get(0),
                )?;
                if !existed_before {
                    // Created by this action: withdraw the record (once).
                    if created_done.insert((e.entity.clone(), e.entity_id.clone())) {
                        w.delete(&e.entity, &e.entity_id)?;
                        changes += 1;
                    }
                    continue;
                }
                if !column_types.contains_key(&e.entity) {
                    let types = conn
                        .prepare(&format!("SELECT name, type FROM pragma_table_info('{}')", e.entity))?
                        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
                    column_types.insert(e.entity.clone(), types);
                }
                let ty = column_types[&e.entity]
                    .get(&e.field)
                    .map(String::as_str)
                    .unwrap_or("TEXT");
                let value = typed(e.old.as_deref(), ty).ok_or_else(|| {
                    Error::corrupt(
                        "audit_log",
                        &e.seq.to_string(),
                        "old_value",
                        e.old.as_deref().unwrap_or_default(),
                        &format!("một giá trị kiểu {ty} của cột {}.{}", e.entity, e.field),
                    )
                })?;
                changes += w.update(&e.entity, &e.entity_id, &[(e.field.as_str(), value)])?;
            }
            if changes > 0 {
                crate::search::rebuild(w.conn())?;
            }
            Ok(Undone { action, changes, kept })
        })
    }
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
    )
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
