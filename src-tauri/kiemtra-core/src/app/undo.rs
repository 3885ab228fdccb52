//! Undo of the last change made on this laptop.
//!
//! Every action writes its field changes to the audit log under one clock value, so the
//! last action can be reversed field by field: a record it created is tombstoned, a field
//! it changed gets its old value back. The undo is itself an action (logged, with its own
//! clock, so it travels in exchange files like any edit). A field that someone changed
//! again since (another laptop's edit merged in) is left alone. Undoing again goes one
//! action further back.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::domain::clock::Hlc;
use crate::error::{Error, Refusal, Result};
use crate::store::audit::{Column, Entry};
use crate::store::{db_hlc, Ctx, Store, W};

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

impl Store {
    /// The newest action of this laptop that has not been undone yet (None when there is
    /// none, or when it is one undo never goes past: setting up, issuing a document). What
    /// was undone, and what undid it, are read from the `undone` table, never from labels.
    pub fn last_undoable(&self) -> Result<Option<UndoableAction>> {
        match crate::store::audit::newest_not_undone(self, self.device_id())? {
            Some(a) if !a.barrier => {
                let hlc = a.hlc.parse::<Hlc>().map_err(|_| Error::Corrupt {
                    what: format!("đồng hồ ở dòng {} của nhật ký thay đổi", a.seq),
                })?;
                Ok(Some(UndoableAction {
                    action: a.action,
                    at: a.at,
                    hlc,
                    seq: a.seq,
                }))
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
            // The action's rows: back from its newest, while they carry its clock.
            let entries: Vec<Entry> = crate::store::audit::action_entries(w, last.seq, &last.hlc.to_string())?;
            let first_seq = entries.iter().map(|e| e.seq).min().unwrap_or(0);
            let mut columns: HashMap<String, HashMap<String, Column>> = HashMap::new();
            let mut created_done: HashSet<(String, String)> = HashSet::new();
            let (mut changes, mut kept) = (0, 0);
            for e in &entries {
                if !is_record_table(&e.entity) {
                    continue;
                }
                let clock = crate::store::audit::field_clock(w, &e.entity, &e.entity_id, &e.field)?;
                let same = match &clock {
                    Some(h) => db_hlc(h, &e.entity, &e.entity_id, &e.field)? == last.hlc,
                    None => false,
                };
                if !same && !restored_by_undo(w, e, clock.as_deref())? {
                    kept += 1;
                    continue;
                }
                let existed_before = crate::store::audit::logged_before(w, &e.entity, &e.entity_id, first_seq)?;
                if !columns.contains_key(&e.entity) {
                    columns.insert(e.entity.clone(), crate::store::audit::table_columns(w, &e.entity)?);
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
                    (Some(old), Some(c)) => crate::store::audit::typed(Some(old), &c.ty).ok_or_else(|| {
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
            crate::store::audit::mark_undone(w, &last.hlc.to_string(), undo_hlc, w.ctx.stamp())?;
            Ok(Undone { action, changes, kept })
        })
    }
}

/// A field last written by an undo on this laptop that gave it back the value `e` wrote: it
/// still holds that action's change (undoing again goes on from there).
fn restored_by_undo(w: &W<'_>, e: &Entry, clock: Option<&str>) -> Result<bool> {
    let Some(clock) = clock else { return Ok(false) };
    if !crate::store::audit::is_undo(w, clock)? {
        return Ok(false);
    }
    let now = crate::store::audit::value_written(w, clock, &e.entity, &e.entity_id, &e.field)?;
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
