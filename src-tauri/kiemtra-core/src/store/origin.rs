//! The origin version of what the app ships: the sample plan every first start loads and the
//! checklists (whose id is their content's hash). Each of their fields is written with the
//! same version on every laptop ([`Hlc::origin`]: millisecond 0, device
//! [`ORIGIN_DEVICE`](crate::domain::clock::ORIGIN_DEVICE), a counter from the value; an
//! empty version vector; by [`ORIGIN_BY`]), not with the clock of the laptop's first start.
//! Any real change covers it, so a laptop started after the lead edited the sample takes the
//! lead's values without a conflict, and two laptops' untouched copies are one version.
//! The audit log keeps the laptop's own clock of the action that loaded them.
//!
//! Schema 10 ([`migrate`]) gives the origin version to what older databases hold: the
//! checklists' fields, and the sample's fields that still carry the version this laptop's
//! own sample load wrote (never edited since).

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::clock::{Hlc, Vv};
use crate::error::Result;
use crate::store::{db_hlc, db_vv, value_text};

/// Who "made" an origin version (shown where a version's author is).
pub const ORIGIN_BY: &str = "(dữ liệu có sẵn của ứng dụng)";
/// When: the origin's millisecond 0.
pub const ORIGIN_AT: &str = "1970-01-01T00:00:00.000Z";
/// The audit log's action of loading the sample plan.
pub(crate) const SAMPLE_ACTION: &str = "nạp kế hoạch mẫu 2026";

/// Give field `field` of record `id` of `entity` the origin version of `value`, replacing
/// whatever clock and concurrent versions it had.
pub(crate) fn set_origin(conn: &Connection, entity: &str, id: &str, field: &str, value: Option<&str>) -> Result<()> {
    let origin = crate::format::exchange_file::FieldVersion {
        v: serde_json::Value::Null,
        h: Some(Hlc::origin(value)),
        vv: Vv::default(),
        by: ORIGIN_BY.into(),
        at: ORIGIN_AT.into(),
    };
    crate::store::exchange::write_clock(conn, entity, id, field, &origin, &[])
}

/// A field's value as its record holds it, as text (what [`Hlc::origin`] is taken from).
fn column_text(conn: &Connection, entity: &str, id: &str, field: &str) -> Result<Option<Option<String>>> {
    Ok(conn
        .query_row(&format!("SELECT {field} FROM {entity} WHERE id = ?1"), [id], |r| {
            r.get::<_, Value>(0)
        })
        .optional()?
        .map(|v| value_text(&v)))
}

/// A value kept in `field_version` (JSON) as the column takes it.
fn json_to_sql(json: &str) -> Value {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Number(n)) => match n.as_i64() {
            Some(i) if !n.is_f64() => Value::Integer(i),
            _ => Value::Real(n.as_f64().unwrap_or(0.0)),
        },
        Ok(serde_json::Value::String(s)) => Value::Text(s),
        _ => Value::Null,
    }
}

/// One version of a field as stored: value (JSON text for a waiting one, None for the
/// shown one, whose value is the record's), clock, vector, author, time.
struct Stored {
    value: Option<String>,
    hlc: Hlc,
    vv: Vv,
    by: String,
    at: String,
}

/// Schema 10: the origin version for what an older database holds of the app's own data.
///
/// - Every field of every checklist but `deleted` (its content is fixed by its id, on
///   every laptop).
/// - Every field of the sample plan's records whose versions include the one this laptop's
///   sample load wrote (the audit log's rows of that action, by clock): that version goes.
///   If it was the only one, the field takes the origin version; if others wait beside it
///   (the lead's edit met the sample loaded later, as a conflict), the newest of them shows
///   and each of them now covers the sample's version, so the laptops that received it
///   drop it too when they get this laptop's next file.
///
/// Other laptops' sample loads, received before this upgrade, are real versions here; they
/// hold the same values and are covered by any later edit.
pub(crate) fn migrate(conn: &Connection) -> Result<()> {
    // The checklists.
    let rows: Vec<(String, String)> = conn
        .prepare("SELECT entity_id, field FROM field_clock WHERE entity = 'template' AND field <> 'deleted'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, field) in rows {
        if let Some(v) = column_text(conn, "template", &id, &field)? {
            set_origin(conn, "template", &id, &field, v.as_deref())?;
        }
    }
    // The sample's fields.
    let loaded: Vec<(String, String, String, String)> = conn
        .prepare(
            "SELECT DISTINCT entity, entity_id, field, hlc FROM audit_log WHERE action = ?1 AND entity <> 'template'",
        )?
        .query_map([SAMPLE_ACTION], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut shown_changed = false;
    for (entity, id, field, load) in loaded {
        let load = db_hlc(&load, &entity, &id, &field)?;
        let mut versions: Vec<Stored> = Vec::new();
        if let Some((h, vv, by, at)) = conn
            .query_row(
                "SELECT hlc, vv, inspector, at FROM field_clock WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
                params![entity, id, field],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
        {
            versions.push(Stored {
                value: None,
                hlc: db_hlc(&h, &entity, &id, &field)?,
                vv: db_vv(&vv, &entity, &id, &field)?,
                by,
                at,
            });
        }
        let waiting: Vec<(String, String, String, String, String)> = conn
            .prepare_cached(
                "SELECT value, hlc, vv, inspector, at FROM field_version WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
            )?
            .query_map(params![entity, id, field], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (v, h, vv, by, at) in waiting {
            versions.push(Stored {
                value: Some(v),
                hlc: db_hlc(&h, &entity, &id, &field)?,
                vv: db_vv(&vv, &entity, &id, &field)?,
                by,
                at,
            });
        }
        let (sample, mut rest): (Vec<Stored>, Vec<Stored>) = versions.into_iter().partition(|v| v.hlc == load);
        if sample.is_empty() {
            // Edited since (or merged over): a real version, left as it is.
            continue;
        }
        if rest.is_empty() {
            let Some(value) = column_text(conn, &entity, &id, &field)? else {
                continue;
            };
            set_origin(conn, &entity, &id, &field, value.as_deref())?;
            continue;
        }
        // The sample's version waited against real ones: they stay, and now cover it.
        let mut seen = Vv::default();
        for s in &sample {
            seen.join(&s.vv);
        }
        for r in rest.iter_mut() {
            r.vv.join(&seen);
        }
        rest.sort_by(|a, b| b.hlc.cmp(&a.hlc));
        let main = &rest[0];
        let shown: Value = conn.query_row(&format!("SELECT {field} FROM {entity} WHERE id = ?1"), [&id], |x| {
            x.get(0)
        })?;
        if let Some(v) = &main.value {
            conn.execute(
                &format!("UPDATE {entity} SET {field} = ?1 WHERE id = ?2"),
                params![json_to_sql(v), id],
            )?;
            shown_changed = true;
        }
        conn.execute(
            "UPDATE field_clock SET hlc = ?4, vv = ?5, inspector = ?6, at = ?7
             WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
            params![
                entity,
                id,
                field,
                main.hlc.to_string(),
                main.vv.to_json(),
                main.by,
                main.at
            ],
        )?;
        conn.execute(
            "DELETE FROM field_version WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
            params![entity, id, field],
        )?;
        for r in &rest[1..] {
            let value = match &r.value {
                Some(v) => v.clone(),
                // The record's value was a real version's: it waits beside the new one.
                None => crate::store::exchange::to_json(&shown).to_string(),
            };
            conn.execute(
                "INSERT INTO field_version(entity, entity_id, field, value, hlc, vv, inspector, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![entity, id, field, value, r.hlc.to_string(), r.vv.to_json(), r.by, r.at],
            )?;
        }
    }
    if shown_changed {
        crate::store::search::rebuild(conn)?;
    }
    Ok(())
}
