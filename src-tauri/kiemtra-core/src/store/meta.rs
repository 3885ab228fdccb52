//! The `meta` table: this laptop's own settings, one value per key (never exchanged, never
//! audited), such as the unit it self-assesses for.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

/// The key of unit mode: the unit this laptop self-assesses for.
pub(crate) const SELF_ASSESSMENT_UNIT: &str = "self_assessment_unit";
/// The key of the plan in use on this laptop (`kiemtra plan use`): a plan id.
pub(crate) const PLAN_IN_USE: &str = "plan_in_use";

/// The value of `key`, if set.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Set `key` to `value` (replacing what it held).
pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// Unset `key`.
pub(crate) fn remove(conn: &Connection, key: &str) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [key])?;
    Ok(())
}
