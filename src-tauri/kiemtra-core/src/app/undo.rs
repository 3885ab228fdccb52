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
use crate::store::records::Connection;
use crate::store::{db_hlc, Ctx, Store, Value};

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
    /// The newest action of this laptop that has not been undone yet and that an undo can
    /// still revert (None when there is none, or when it is one undo never goes past:
    /// setting up, issuing a document). An action none of whose changes can be given back
    /// (every field changed again since, by a merge or a conflict choice; a conflict choice
    /// that kept the value it showed) is never named: undo passes over it. What was undone,
    /// and what undid it, are read from the `undone` table, never from labels.
    pub fn last_undoable(&self) -> Result<Option<UndoableAction>> {
        Ok(next_undo(&self.conn, self.device_id())?.map(|(a, _, _)| a))
    }

    /// Reverse the newest action of this laptop not undone yet that can be reverted. The
    /// undo is an action of its own, through the same write path (so it obeys the same rules,
    /// and the search index follows the records it changed). Newer actions with nothing left
    /// to revert are recorded as undone with it, so the next undo goes on from there.
    pub fn undo_last(&mut self, ctx: &Ctx) -> Result<Undone> {
        let Some((last, _, _)) = next_undo(&self.conn, self.device_id())? else {
            return Err(Refusal::NothingToUndo.err("Không còn thay đổi nào để hoàn tác."));
        };
        let label = format!("{UNDO_PREFIX}{}", last.action);
        let device = self.device_id().to_string();
        let action = last.action.clone();
        self.write(ctx, &label, |w| {
            // Planned again inside the transaction: what it reads cannot move under it.
            let Some((again, plan, passed)) = next_undo(crate::store::records::reader(w), &device)? else {
                return Err(Refusal::NothingToUndo.err("Không còn thay đổi nào để hoàn tác."));
            };
            debug_assert_eq!(again.hlc, last.hlc);
            let mut changes = 0;
            for op in &plan.ops {
                changes += match op {
                    Op::Withdraw { entity, id } => w.update(entity, id, &[("deleted", Value::Integer(1))])?,
                    Op::Set {
                        entity,
                        id,
                        field,
                        value,
                    } => w.update(entity, id, &[(field.as_str(), value.clone())])?,
                };
            }
            let undo_hlc = if changes > 0 { Some(w.hlc()?.to_string()) } else { None };
            for h in passed {
                crate::store::audit::mark_undone(w, &h, None, w.ctx.stamp())?;
            }
            crate::store::audit::mark_undone(w, &again.hlc.to_string(), undo_hlc, w.ctx.stamp())?;
            Ok(Undone {
                action,
                changes,
                kept: plan.kept,
            })
        })
    }
}

/// How many actions with nothing left to revert undo passes over, at most, looking for one
/// it can revert (they are rare: each is an action a merge overwrote whole).
const MAX_PASSED: usize = 1000;

/// The action the next undo reverses, what reversing it writes, and the actions passed over
/// on the way (newer ones with nothing left to revert), read on `conn` (the store's, or the
/// undo's own transaction).
fn next_undo(conn: &Connection, device: &str) -> Result<Option<(UndoableAction, UndoPlan, Vec<String>)>> {
    let mut below = i64::MAX;
    let mut passed = Vec::new();
    for _ in 0..MAX_PASSED {
        let Some(a) = crate::store::audit::newest_not_undone(conn, device, below)? else {
            return Ok(None);
        };
        if a.barrier {
            return Ok(None);
        }
        let hlc = a.hlc.parse::<Hlc>().map_err(|_| Error::Corrupt {
            what: format!("đồng hồ ở dòng {} của nhật ký thay đổi", a.seq),
        })?;
        let plan = undo_plan(conn, a.seq, &hlc)?;
        if !plan.ops.is_empty() {
            let action = UndoableAction {
                action: a.action,
                at: a.at,
                hlc,
            };
            return Ok(Some((action, plan, passed)));
        }
        passed.push(a.hlc);
        below = plan.first_seq;
    }
    Ok(None)
}

/// One write an undo makes.
enum Op {
    /// A record the action created: tombstoned.
    Withdraw { entity: String, id: String },
    /// A field the action changed: its value before the action (or its column's default).
    Set {
        entity: String,
        id: String,
        field: String,
        value: Value,
    },
}

/// What undoing one action writes: only writes that change something.
struct UndoPlan {
    ops: Vec<Op>,
    /// Fields left as they are because they were changed again since.
    kept: usize,
    /// The action's oldest row in the audit log.
    first_seq: i64,
}

/// What reversing the action whose newest audit row is `seq` would write now. Reads only.
fn undo_plan(conn: &Connection, seq: i64, hlc: &Hlc) -> Result<UndoPlan> {
    // The action's rows: back from its newest, while they carry its clock.
    let entries: Vec<Entry> = crate::store::audit::action_entries(conn, seq, &hlc.to_string())?;
    let first_seq = entries.iter().map(|e| e.seq).min().unwrap_or(seq);
    // A field written twice by the action goes back to its value before the first write;
    // whether it still holds the action's change is judged on the last write.
    let mut fields: Vec<(&str, &str, &str)> = Vec::new();
    let mut oldest: HashMap<(&str, &str, &str), &Entry> = HashMap::new();
    let mut newest: HashMap<(&str, &str, &str), &Entry> = HashMap::new();
    for e in &entries {
        if !is_record_table(&e.entity) {
            continue;
        }
        let k = (e.entity.as_str(), e.entity_id.as_str(), e.field.as_str());
        if let std::collections::hash_map::Entry::Vacant(v) = newest.entry(k) {
            v.insert(e);
            fields.push(k);
        }
        // Entries run newest first: the last one seen is the oldest.
        oldest.insert(k, e);
    }
    let mut columns: HashMap<String, HashMap<String, Column>> = HashMap::new();
    let mut withdrawn: HashSet<(String, String)> = HashSet::new();
    let mut ops = Vec::new();
    let mut kept = 0;
    for k in fields {
        let (entity, id, field) = k;
        let (first, last) = (oldest[&k], newest[&k]);
        let clock = crate::store::audit::field_clock(conn, entity, id, field)?;
        let same = match &clock {
            Some(h) => db_hlc(h, entity, id, field)? == *hlc,
            None => false,
        };
        if !same && !restored_by_undo(conn, last, clock.as_deref())? {
            kept += 1;
            continue;
        }
        if !columns.contains_key(entity) {
            columns.insert(entity.to_string(), crate::store::audit::table_columns(conn, entity)?);
        }
        let cols = &columns[entity];
        let existed_before = crate::store::audit::logged_before(conn, entity, id, first_seq)?;
        if !existed_before && !SHARED_RECORDS.contains(&entity) {
            // Created by this action: withdraw the record (once), unless it is gone already.
            if withdrawn.insert((entity.to_string(), id.to_string()))
                && crate::store::audit::current_value(conn, entity, id, "deleted")? == Some(Value::Integer(0))
            {
                ops.push(Op::Withdraw {
                    entity: entity.to_string(),
                    id: id.to_string(),
                });
            }
            continue;
        }
        if !existed_before && ["id", "inspection_id", "item_code"].contains(&field) {
            // The natural key of a shared record stays; its values go back.
            continue;
        }
        let value = match (&first.old, cols.get(field)) {
            (Some(old), Some(c)) => crate::store::audit::typed(Some(old), &c.ty).ok_or_else(|| {
                Error::corrupt(
                    "audit_log",
                    &first.seq.to_string(),
                    "old_value",
                    old,
                    &format!("một giá trị kiểu {} của cột {}.{}", c.ty, entity, field),
                )
            })?,
            (None, Some(c)) => c.default.clone(),
            (_, None) => continue,
        };
        if crate::store::audit::current_value(conn, entity, id, field)?.as_ref() == Some(&value) {
            continue;
        }
        ops.push(Op::Set {
            entity: entity.to_string(),
            id: id.to_string(),
            field: field.to_string(),
            value,
        });
    }
    Ok(UndoPlan { ops, kept, first_seq })
}

/// A field last written by an undo on this laptop that gave it back the value `e` wrote: it
/// still holds that action's change (undoing again goes on from there).
fn restored_by_undo(conn: &Connection, e: &Entry, clock: Option<&str>) -> Result<bool> {
    let Some(clock) = clock else { return Ok(false) };
    if !crate::store::audit::is_undo(conn, clock)? {
        return Ok(false);
    }
    let now = crate::store::audit::value_written(conn, clock, &e.entity, &e.entity_id, &e.field)?;
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
            | "report"
    )
}

/// Records that hold several people's fields under one natural key (a criterion's response
/// holds the team's score and the unit's self score): undoing the action that created one
/// gives its fields back their defaults instead of withdrawing the record, which would take
/// the others' fields with it.
const SHARED_RECORDS: &[&str] = &["response"];
