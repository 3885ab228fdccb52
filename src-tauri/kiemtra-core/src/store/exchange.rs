//! The exchange's storage: what the merge engine (app/exchange.rs) reads and writes. The
//! records of every merged table, generically by their columns; each field's clock and the
//! concurrent versions waiting beside it (`field_clock`, `field_version`); the audit rows of
//! what an import changed; attachments; the log of imported files; and the reads an export
//! and the conflict screen make.
//!
//! An import writes in its own immediate transaction ([`MergeTx`]), directly and with the
//! clocks the file carries, not through `W` (which stamps this laptop's clock on every
//! change): the rules every write obeys are checked on what it touched afterwards.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use crate::domain::clock::{Hlc, Vv};
use crate::error::{Error, Result};
use crate::format::exchange_file::{FieldState, FieldVersion, Manifest, Record};
use crate::store::documents::DocumentTable;
use crate::store::{db_hlc, db_vv, Store};

// ---------------------------------------------------------------------------------------
// The import's transaction

/// An import's (or a preview's) one immediate transaction. Dropped without `commit`, it
/// rolls back. It reads as a connection, for the storage functions below and the rules.
pub(crate) struct MergeTx<'a>(Transaction<'a>);

/// Begin the immediate transaction an import (or a preview) merges in.
pub(crate) fn begin_merge(store: &mut Store) -> Result<MergeTx<'_>> {
    Ok(MergeTx(
        store.conn.transaction_with_behavior(TransactionBehavior::Immediate)?,
    ))
}

impl MergeTx<'_> {
    pub(crate) fn commit(self) -> Result<()> {
        self.0.commit()?;
        Ok(())
    }

    pub(crate) fn rollback(self) -> Result<()> {
        self.0.rollback()?;
        Ok(())
    }
}

impl std::ops::Deref for MergeTx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.0
    }
}

/// Why the schema refused a row from a file (a constraint, a type): whether it was a
/// uniqueness constraint, and the error as the app names it.
pub(crate) struct Rejected {
    pub unique: bool,
    pub cause: Error,
}

impl From<rusqlite::Error> for Rejected {
    fn from(e: rusqlite::Error) -> Rejected {
        let unique = e.to_string().contains("UNIQUE");
        Rejected {
            unique,
            cause: Error::from(e),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Values

pub(crate) fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => serde_json::Value::from(*i),
        Value::Real(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::Text(s) => serde_json::Value::String(s.clone()),
        Value::Blob(_) => serde_json::Value::Null,
    }
}

/// A concurrent version kept in `field_version` (its value is JSON text).
fn stored_version(v: &str, entity: &str, id: &str, field: &str) -> Result<serde_json::Value> {
    serde_json::from_str(v).map_err(|_| {
        Error::corrupt(
            "field_version",
            &format!("{entity} {id} {field}"),
            "value",
            v,
            "dữ liệu JSON đúng dạng",
        )
    })
}

/// A clock as the database keeps it ("" for none).
pub(crate) fn clock_text(h: &Option<Hlc>) -> String {
    h.as_ref().map(Hlc::to_string).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Tables and records

/// The columns of a table that merge (everything but the id and the record's own clock).
pub(crate) fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(&format!("PRAGMA table_info({table})"))?;
    let cols = st
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // When this laptop installed a template is its own business, not something to merge.
    Ok(cols
        .into_iter()
        .filter(|c| !["id", "updated_at", "device_id", "hlc"].contains(&c.as_str()))
        .filter(|c| !(table == "template" && c == "imported_at"))
        .collect())
}

/// [`columns`] of a table, read outside an import.
pub(crate) fn store_columns(store: &Store, table: &str) -> Result<Vec<String>> {
    columns(&store.conn, table)
}

/// The ids of every record of `table` (deleted or not).
pub(crate) fn record_ids(conn: &Connection, table: &str) -> Result<HashSet<String>> {
    let mut st = conn.prepare(&format!("SELECT id FROM {table}"))?;
    let ids = st
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The values of `cols` of record `id` of `table`, by column (None: no such record).
pub(crate) fn record_values(
    conn: &Connection,
    table: &str,
    id: &str,
    cols: &[String],
) -> Result<Option<HashMap<String, Value>>> {
    let select = format!("SELECT {} FROM {table} WHERE id = ?1", cols.join(", "));
    Ok(conn
        .prepare_cached(&select)?
        .query_row([id], |r| {
            let mut h = HashMap::new();
            for (i, c) in cols.iter().enumerate() {
                h.insert(c.clone(), r.get::<_, Value>(i)?);
            }
            Ok(h)
        })
        .optional()?)
}

/// Insert a record with the columns `names` (its id, fields and own clock) set to `vals`.
pub(crate) fn insert_row(
    conn: &Connection,
    table: &str,
    names: &[String],
    vals: &[Value],
) -> Result<std::result::Result<(), Rejected>> {
    let sql = format!(
        "INSERT INTO {table}({}) VALUES ({})",
        names.join(", "),
        (1..=names.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut st = conn.prepare_cached(&sql)?;
    Ok(st
        .execute(rusqlite::params_from_iter(vals.iter()))
        .map(|_| ())
        .map_err(Rejected::from))
}

/// Set one column of a record (nothing else: neither its own clock nor the field's).
pub(crate) fn set_column(
    conn: &Connection,
    table: &str,
    id: &str,
    field: &str,
    value: &Value,
) -> std::result::Result<(), Rejected> {
    conn.execute(
        &format!("UPDATE {table} SET {field} = ?1 WHERE id = ?2"),
        params![value, id],
    )?;
    Ok(())
}

/// Set the columns `sets` of a record and its own clock, in one UPDATE (so that the
/// frozen-document trigger sees the record as it was before).
pub(crate) fn update_row(
    conn: &Connection,
    table: &str,
    id: &str,
    sets: &[(String, Value)],
    updated_at: String,
    device: String,
    hlc: String,
) -> Result<std::result::Result<(), Rejected>> {
    let mut assigns: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, (c, _))| format!("{c} = ?{}", i + 1))
        .collect();
    let n = sets.len();
    assigns.push(format!("updated_at = ?{}", n + 1));
    assigns.push(format!("device_id = ?{}", n + 2));
    assigns.push(format!("hlc = ?{}", n + 3));
    let sql = format!("UPDATE {table} SET {} WHERE id = ?{}", assigns.join(", "), n + 4);
    let mut vals: Vec<Value> = sets.iter().map(|(_, v)| v.clone()).collect();
    vals.push(Value::Text(updated_at));
    vals.push(Value::Text(device));
    vals.push(Value::Text(hlc));
    vals.push(Value::Text(id.to_string()));
    let mut st = conn.prepare_cached(&sql)?;
    Ok(st
        .execute(rusqlite::params_from_iter(vals.iter()))
        .map(|_| ())
        .map_err(Rejected::from))
}

/// Whether template `id` is stored here.
pub(crate) fn template_exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(
        conn.query_row("SELECT EXISTS(SELECT 1 FROM template WHERE id = ?1)", [id], |x| {
            x.get(0)
        })?,
    )
}

/// Insert a template's item (the columns `names` set to `vals`) unless it is there.
pub(crate) fn insert_template_item(
    conn: &Connection,
    names: &[&String],
    vals: &[Value],
) -> Result<std::result::Result<(), Rejected>> {
    let sql = format!(
        "INSERT OR IGNORE INTO template_item({}) VALUES ({})",
        names.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
        (1..=names.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut st = conn.prepare_cached(&sql)?;
    Ok(st
        .execute(rusqlite::params_from_iter(vals.iter()))
        .map(|_| ())
        .map_err(Rejected::from))
}

/// Whether version `id` of a document of table `t` exists.
pub(crate) fn document_exists(conn: &Connection, t: DocumentTable, id: &str) -> Result<bool> {
    Ok(conn.query_row(
        &format!("SELECT EXISTS(SELECT 1 FROM {} WHERE id = ?1)", t.table),
        [id],
        |r| r.get(0),
    )?)
}

/// The version number a new document of `kind` of `owner` (its inspection, its plan) takes in
/// table `t`.
pub(crate) fn next_document_version(conn: &Connection, t: DocumentTable, owner: &Value, kind: &Value) -> Result<i64> {
    Ok(conn.query_row(
        &format!(
            "SELECT coalesce(max(version), 0) + 1 FROM {} WHERE {} = ?1 AND kind = ?2",
            t.table, t.owner
        ),
        params![owner, kind],
        |r| r.get(0),
    )?)
}

/// Insert version `id` of a document into table `t` with `fields` and its own clock.
pub(crate) fn insert_document(
    conn: &Connection,
    t: DocumentTable,
    id: &str,
    fields: &[(&str, Value)],
    updated_at: String,
    device: String,
    hlc: String,
) -> Result<()> {
    let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
    let sql = format!(
        "INSERT INTO {}(id, {}, updated_at, device_id, hlc) VALUES (?1, {}, ?{}, ?{}, ?{})",
        t.table,
        names.join(", "),
        (2..=names.len() + 1)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", "),
        names.len() + 2,
        names.len() + 3,
        names.len() + 4
    );
    let mut vals: Vec<Value> = vec![Value::Text(id.to_string())];
    vals.extend(fields.iter().map(|(_, v)| v.clone()));
    vals.push(Value::Text(updated_at));
    vals.push(Value::Text(device));
    vals.push(Value::Text(hlc));
    conn.execute(&sql, rusqlite::params_from_iter(vals.iter()))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Field clocks and versions

/// Every field of one record as this laptop holds it: the value the record shows, with the
/// clock, vector, author and time of the change that wrote it, and the concurrent versions
/// waiting beside it. `values` are the record's column values.
pub(crate) fn field_states(
    conn: &Connection,
    table: &str,
    id: &str,
    values: impl IntoIterator<Item = (String, Value)>,
) -> Result<BTreeMap<String, FieldState>> {
    let mut out: BTreeMap<String, FieldState> = values
        .into_iter()
        .map(|(c, v)| {
            (
                c,
                FieldState {
                    main: FieldVersion {
                        v: to_json(&v),
                        h: None,
                        vv: Vv::default(),
                        by: String::new(),
                        at: String::new(),
                    },
                    alt: vec![],
                },
            )
        })
        .collect();
    let mut st = conn
        .prepare_cached("SELECT field, hlc, vv, inspector, at FROM field_clock WHERE entity = ?1 AND entity_id = ?2")?;
    let rows = st.query_map(params![table, id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for r in rows {
        let (f, h, vv, by, at) = r?;
        if let Some(s) = out.get_mut(&f) {
            s.main.h = Some(db_hlc(&h, table, id, &f)?);
            s.main.vv = db_vv(&vv, table, id, &f)?;
            s.main.by = by;
            s.main.at = at;
        }
    }
    let mut st = conn.prepare_cached(
        "SELECT field, value, hlc, vv, inspector, at FROM field_version WHERE entity = ?1 AND entity_id = ?2",
    )?;
    let rows = st.query_map(params![table, id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    for r in rows {
        let (f, v, h, vv, by, at) = r?;
        if let Some(s) = out.get_mut(&f) {
            s.alt.push(FieldVersion {
                v: stored_version(&v, table, id, &f)?,
                h: Some(db_hlc(&h, table, id, &f)?),
                vv: db_vv(&vv, table, id, &f)?,
                by,
                at,
            });
        }
    }
    // Oldest first, by clock (numerically; not by the clocks' text).
    for s in out.values_mut() {
        s.alt.sort_by(|a, b| a.h.cmp(&b.h));
    }
    Ok(out)
}

/// Whether any field of the record has a concurrent version waiting.
pub(crate) fn has_pending(conn: &Connection, table: &str, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM field_version WHERE entity = ?1 AND entity_id = ?2)")?
        .query_row(params![table, id], |r| r.get(0))?)
}

/// The clock and vector (as stored) of every field of the record that has one.
pub(crate) fn field_clocks(conn: &Connection, table: &str, id: &str) -> Result<HashMap<String, (String, String)>> {
    let mut st = conn.prepare_cached("SELECT field, hlc, vv FROM field_clock WHERE entity = ?1 AND entity_id = ?2")?;
    let mut local: HashMap<String, (String, String)> = HashMap::new();
    let rows = st.query_map(params![table, id], |r| {
        Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
    })?;
    for r in rows {
        let (f, h, vv) = r?;
        local.insert(f, (h, vv));
    }
    Ok(local)
}

/// Replace a field's clock (`main`; none: the field has none) and its concurrent versions.
pub(crate) fn write_clock(
    conn: &Connection,
    table: &str,
    id: &str,
    field: &str,
    main: &FieldVersion,
    alt: &[FieldVersion],
) -> Result<()> {
    match &main.h {
        None => {
            conn.prepare_cached("DELETE FROM field_clock WHERE entity = ?1 AND entity_id = ?2 AND field = ?3")?
                .execute(params![table, id, field])?;
        }
        Some(h) => {
            conn.prepare_cached(
                "INSERT INTO field_clock(entity, entity_id, field, hlc, vv, inspector, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc, vv = excluded.vv,
                    inspector = excluded.inspector, at = excluded.at",
            )?
            .execute(params![table, id, field, h.to_string(), main.vv.to_json(), main.by, main.at])?;
        }
    }
    conn.prepare_cached("DELETE FROM field_version WHERE entity = ?1 AND entity_id = ?2 AND field = ?3")?
        .execute(params![table, id, field])?;
    insert_versions(conn, table, id, field, alt)
}

/// A field's concurrent versions, beside the one its record shows.
fn insert_versions(conn: &Connection, table: &str, id: &str, field: &str, alt: &[FieldVersion]) -> Result<()> {
    for a in alt {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO field_version(entity, entity_id, field, value, hlc, vv, inspector, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            table,
            id,
            field,
            a.v.to_string(),
            clock_text(&a.h),
            a.vv.to_json(),
            a.by,
            a.at
        ])?;
    }
    Ok(())
}

/// The clocks of a field of a record new on this laptop (nothing to replace).
pub(crate) fn insert_clock(
    conn: &Connection,
    table: &str,
    id: &str,
    field: &str,
    main: &FieldVersion,
    alt: &[FieldVersion],
) -> Result<()> {
    if let Some(h) = &main.h {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO field_clock(entity, entity_id, field, hlc, vv, inspector, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![table, id, field, h.to_string(), main.vv.to_json(), main.by, main.at])?;
    }
    insert_versions(conn, table, id, field, alt)
}

/// One row of the audit log for a change an import brought, with the clock, laptop, author
/// and time of the change itself.
#[allow(clippy::too_many_arguments)]
pub(crate) fn log_merged(
    conn: &Connection,
    hlc: &Hlc,
    at: String,
    inspector: &str,
    action: &str,
    table: &str,
    id: &str,
    field: &str,
    old: Option<String>,
    new: Option<String>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log(hlc, at, device_id, inspector, action, entity, entity_id, field, old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        hlc.to_string(),
        at,
        hlc.device,
        inspector,
        action,
        table,
        id,
        field,
        old,
        new
    ])?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The import's frame

/// Foreign keys are checked at the commit (or by [`broken_foreign_keys`]), not row by row:
/// a file's records come in any order.
pub(crate) fn defer_foreign_keys(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    Ok(())
}

/// How many references point at no record.
pub(crate) fn broken_foreign_keys(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?)
}

/// Whether the attachment with this hash is stored here.
pub(crate) fn has_attachment(conn: &Connection, sha: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM attachment WHERE sha256 = ?1)")?
        .query_row([sha], |r| r.get(0))?)
}

pub(crate) fn insert_attachment(
    conn: &Connection,
    sha: &str,
    media_type: &str,
    name: &str,
    bytes: &[u8],
    created_at: String,
) -> Result<()> {
    conn.execute(
        "INSERT INTO attachment(sha256, size, media_type, original_name, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![sha, bytes.len() as i64, media_type, name, bytes, created_at],
    )?;
    Ok(())
}

/// Whether the file with this hash was imported before.
pub(crate) fn import_logged(conn: &Connection, sha: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM import_log WHERE sha256 = ?1)",
        [sha],
        |r| r.get(0),
    )?)
}

/// The laptop, inspector and time of an earlier import of the file with this hash.
pub(crate) fn import_log_entry(store: &Store, sha: &str) -> Result<Option<(String, String, String)>> {
    Ok(store
        .conn
        .query_row(
            "SELECT device_id, inspector, imported_at FROM import_log WHERE sha256 = ?1",
            [sha],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// Who made a file, as its signatures proved (for the import log).
pub(crate) struct Signer<'a> {
    pub laptop_id: &'a str,
    pub member: &'a str,
    pub seq: u64,
}

/// Log an imported file: its hash and name, who sent it (proven, for a protected file), when
/// it was made and imported, and what it changed (JSON).
pub(crate) fn log_import(
    conn: &Connection,
    sha: &str,
    file_name: String,
    manifest: &Manifest,
    imported_at: String,
    summary: String,
    signer: Option<Signer<'_>>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO import_log(sha256, file_name, device_id, inspector, imported_at, summary, laptop_id, member, seq, made_at, verified)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            sha,
            file_name,
            manifest.device_id,
            manifest.inspector,
            imported_at,
            summary,
            signer.as_ref().map(|s| s.laptop_id),
            signer.as_ref().map(|s| s.member),
            signer.as_ref().map(|s| s.seq as i64),
            manifest.created_at,
            signer.is_some()
        ],
    )?;
    Ok(())
}

/// A file received here, as the import log has it.
pub(crate) struct ReceivedRow {
    pub sha256: String,
    pub file_name: String,
    pub laptop_id: Option<String>,
    pub member: Option<String>,
    pub inspector: String,
    pub made_at: Option<String>,
    pub imported_at: String,
    pub verified: bool,
    pub summary: String,
}

/// The files imported here, newest first.
pub(crate) fn received(store: &Store, limit: usize) -> Result<Vec<ReceivedRow>> {
    let mut st = store.conn.prepare(
        "SELECT sha256, file_name, laptop_id, member, inspector, made_at, imported_at, verified, summary
           FROM import_log ORDER BY imported_at DESC, rowid DESC LIMIT ?1",
    )?;
    let rows = st
        .query_map([limit as i64], |r| {
            Ok(ReceivedRow {
                sha256: r.get(0)?,
                file_name: r.get(1)?,
                laptop_id: r.get(2)?,
                member: r.get(3)?,
                inspector: r.get(4)?,
                made_at: r.get(5)?,
                imported_at: r.get(6)?,
                verified: r.get(7)?,
                summary: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// ---------------------------------------------------------------------------------------
// Units, for the summary and the conflict screen

/// The unit a record belongs to (None: the plan, the team, a template…).
pub(crate) fn unit_of_record(conn: &Connection, t: &str, id: &str) -> Result<Option<String>> {
    let sql = match t {
        "unit" => return Ok(Some(id.to_string())),
        "unit_event" => "SELECT unit_id FROM unit_event WHERE id = ?1",
        "inspection" => "SELECT unit_id FROM inspection WHERE id = ?1",
        "response" | "figure" | "self_figure" | "evidence" | "finding" | "recommendation" | "document" => {
            return Ok(conn
                .query_row(
                    &format!("SELECT s.unit_id FROM {t} x JOIN inspection s ON s.id = x.inspection_id WHERE x.id = ?1"),
                    [id],
                    |r| r.get(0),
                )
                .optional()?)
        }
        _ => return Ok(None),
    };
    Ok(conn.query_row(sql, [id], |r| r.get(0)).optional()?)
}

/// The inspection a record of `t` (one with an `inspection_id`) belongs to.
pub(crate) fn inspection_of_record(conn: &Connection, t: &str, id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(&format!("SELECT inspection_id FROM {t} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// A unit's name (None: no such unit).
pub(crate) fn unit_name(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT name FROM unit WHERE id = ?1", [id], |r| r.get(0))
        .optional()?)
}

/// The name of the unit a record belongs to, read outside any transaction of the store's.
pub(crate) fn record_unit_name(store: &Store, entity: &str, id: &str) -> Result<Option<String>> {
    let tx = store.conn.unchecked_transaction()?;
    let u = unit_of_record(&tx, entity, id)?;
    drop(tx);
    match u {
        Some(u) => unit_name(&store.conn, &u),
        None => Ok(None),
    }
}

/// Recommendations sharing a number within an inspection: the unit's name, the number and
/// how many, by unit and number.
pub(crate) fn duplicate_recommendation_numbers(conn: &Connection) -> Result<Vec<(String, i64, i64)>> {
    let mut st = conn.prepare(
        "SELECT u.name, r.number, count(*) FROM recommendation r JOIN inspection s ON s.id = r.inspection_id
             JOIN unit u ON u.id = s.unit_id WHERE r.deleted = 0
             GROUP BY r.inspection_id, r.number HAVING count(*) > 1 ORDER BY u.name, r.number",
    )?;
    let dups = st.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
    })?;
    let mut out = Vec::new();
    for d in dups {
        out.push(d?);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// What an export takes

fn ids(conn: &Connection, sql: &str, arg: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(sql)?;
    let v = st
        .query_map([arg], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The inspections of a plan.
pub(crate) fn plan_inspections(store: &Store, plan_id: &str) -> Result<Vec<String>> {
    ids(&store.conn, "SELECT id FROM inspection WHERE plan_id = ?1", plan_id)
}

/// The unit an inspection inspects.
pub(crate) fn inspection_unit(store: &Store, id: &str) -> Result<String> {
    Ok(store
        .conn
        .query_row("SELECT unit_id FROM inspection WHERE id = ?1", [id], |r| {
            r.get::<_, String>(0)
        })?)
}

/// The inspection a re-inspection follows (None: none, or no such inspection).
pub(crate) fn inspection_follows(store: &Store, id: &str) -> Result<Option<String>> {
    Ok(store
        .conn
        .query_row("SELECT follows_id FROM inspection WHERE id = ?1", [id], |r| {
            r.get::<_, Option<String>>(0)
        })
        .optional()?
        .flatten())
}

/// The other inspections the recommendations of an inspection were carried from.
pub(crate) fn origin_inspections(store: &Store, id: &str) -> Result<Vec<String>> {
    let mut st = store.conn.prepare_cached(
        "SELECT DISTINCT o.inspection_id FROM recommendation r JOIN recommendation o ON o.id = r.origin_id
         WHERE r.inspection_id = ?1 AND o.inspection_id <> ?1",
    )?;
    let v = st
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// An inspection's unit, template and plan.
pub(crate) fn inspection_refs(store: &Store, id: &str) -> Result<(String, String, String)> {
    Ok(store.conn.query_row(
        "SELECT unit_id, template_id, plan_id FROM inspection WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// The units a unit's history points at: its successor, then the units of its events.
pub(crate) fn linked_units(store: &Store, unit: &str) -> Result<Vec<String>> {
    let mut linked = ids(
        &store.conn,
        "SELECT successor_id FROM unit WHERE id = ?1 AND successor_id IS NOT NULL",
        unit,
    )?;
    linked.extend(ids(
        &store.conn,
        "SELECT related_unit_id FROM unit_event WHERE unit_id = ?1 AND related_unit_id IS NOT NULL",
        unit,
    )?);
    Ok(linked)
}

/// The teams of a plan.
pub(crate) fn plan_teams(store: &Store, plan_id: &str) -> Result<Vec<String>> {
    ids(&store.conn, "SELECT id FROM team WHERE plan_id = ?1", plan_id)
}

/// The members of a team.
pub(crate) fn team_members(store: &Store, team_id: &str) -> Result<Vec<String>> {
    ids(&store.conn, "SELECT id FROM team_member WHERE team_id = ?1", team_id)
}

/// The events of a unit.
pub(crate) fn unit_events(store: &Store, unit_id: &str) -> Result<Vec<String>> {
    ids(&store.conn, "SELECT id FROM unit_event WHERE unit_id = ?1", unit_id)
}

/// The plan-level documents (the province's report) of a plan, for an export.
pub(crate) fn plan_reports(store: &Store, plan_id: &str) -> Result<Vec<String>> {
    ids(&store.conn, "SELECT id FROM report WHERE plan_id = ?1", plan_id)
}

/// The records of table `t` that belong to an inspection.
pub(crate) fn inspection_records(store: &Store, t: &str, inspection_id: &str) -> Result<Vec<String>> {
    ids(
        &store.conn,
        &format!("SELECT id FROM {t} WHERE inspection_id = ?1"),
        inspection_id,
    )
}

/// Record `id` of table `t` as an exchange file carries it: its columns `cols` with their
/// clocks and concurrent versions.
pub(crate) fn exchange_record(store: &Store, t: &str, id: &str, cols: &[String]) -> Result<Record> {
    let conn = &store.conn;
    let select = format!("SELECT {} FROM {t} WHERE id = ?1", cols.join(", "));
    let row: Vec<Value> = conn.prepare_cached(&select)?.query_row([id], |r| {
        (0..cols.len())
            .map(|i| r.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<_>>>()
    })?;
    let f = field_states(conn, t, id, cols.iter().cloned().zip(row))?;
    Ok(Record {
        t: t.to_string(),
        id: id.to_string(),
        f,
    })
}

/// The items of a template, in order, with `template_id` first and then the other columns
/// of `item_cols`.
pub(crate) fn template_items(
    store: &Store,
    template_id: &str,
    item_cols: &[String],
) -> Result<Vec<BTreeMap<String, serde_json::Value>>> {
    let mut st = store.conn.prepare_cached(&format!(
        "SELECT template_id, {} FROM template_item WHERE template_id = ?1 ORDER BY position",
        item_cols
            .iter()
            .filter(|c| *c != "template_id")
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    ))?;
    let names: Vec<String> = std::iter::once("template_id".to_string())
        .chain(item_cols.iter().filter(|c| *c != "template_id").cloned())
        .collect();
    let rows = st.query_map([template_id], |r| {
        let mut m = BTreeMap::new();
        for (i, n) in names.iter().enumerate() {
            m.insert(n.clone(), to_json(&r.get::<_, Value>(i)?));
        }
        Ok(m)
    })?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r?);
    }
    Ok(out)
}

/// An attachment's size, media type and original name.
pub(crate) fn attachment_ref(store: &Store, sha: &str) -> Result<(i64, String, String)> {
    Ok(store.conn.query_row(
        "SELECT size, media_type, original_name FROM attachment WHERE sha256 = ?1",
        [sha],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// An attachment's bytes.
pub(crate) fn attachment_data(store: &Store, sha: &str) -> Result<Vec<u8>> {
    Ok(store
        .conn
        .query_row("SELECT data FROM attachment WHERE sha256 = ?1", [sha], |r| r.get(0))?)
}

/// A unit's name, read outside an import.
pub(crate) fn store_unit_name(store: &Store, id: &str) -> Result<Option<String>> {
    unit_name(&store.conn, id)
}

// ---------------------------------------------------------------------------------------
// Conflicts

/// The fields that have concurrent versions waiting, in order.
pub(crate) fn conflict_keys(store: &Store) -> Result<Vec<(String, String, String)>> {
    let mut st = store
        .conn
        .prepare("SELECT DISTINCT entity, entity_id, field FROM field_version ORDER BY entity, entity_id, field")?;
    let keys = st
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(keys)
}

/// The value a record shows for `field`.
pub(crate) fn shown_value(store: &Store, entity: &str, id: &str, field: &str) -> Result<Value> {
    Ok(store
        .conn
        .query_row(&format!("SELECT {field} FROM {entity} WHERE id = ?1"), [id], |r| {
            r.get(0)
        })?)
}

/// The clock, author and time of the shown version of a field (None: it has no clock).
pub(crate) fn shown_clock(
    store: &Store,
    entity: &str,
    id: &str,
    field: &str,
) -> Result<Option<(String, String, String)>> {
    Ok(store
        .conn
        .query_row(
            "SELECT hlc, inspector, at FROM field_clock WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
            params![entity, id, field],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// A version of a field waiting beside the shown one.
pub(crate) struct Pending {
    pub value: serde_json::Value,
    pub hlc: Hlc,
    pub by: String,
    pub at: String,
}

/// The versions of a field in conflict, newest clock first.
pub(crate) fn pending_versions(store: &Store, entity: &str, id: &str, field: &str) -> Result<Vec<Pending>> {
    let mut st = store.conn.prepare_cached(
        "SELECT value, hlc, inspector, at FROM field_version WHERE entity = ?1 AND entity_id = ?2 AND field = ?3",
    )?;
    let rows = st
        .query_map(params![entity, id, field], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = rows
        .into_iter()
        .map(|(v, h, by, at)| {
            Ok(Pending {
                value: stored_version(&v, entity, id, field)?,
                hlc: db_hlc(&h, entity, id, field)?,
                by,
                at,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by(|a, b| b.hlc.cmp(&a.hlc));
    Ok(out)
}

/// A finding's area and text.
pub(crate) fn finding_area_text(store: &Store, id: &str) -> Result<(String, String)> {
    Ok(store
        .conn
        .query_row("SELECT area_code, text FROM finding WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?)
}

/// A recommendation's number.
pub(crate) fn recommendation_number(store: &Store, id: &str) -> Result<i64> {
    Ok(store
        .conn
        .query_row("SELECT number FROM recommendation WHERE id = ?1", [id], |r| r.get(0))?)
}

/// The criterion a response answers.
pub(crate) fn response_item_code(store: &Store, id: &str) -> Result<String> {
    Ok(store
        .conn
        .query_row("SELECT item_code FROM response WHERE id = ?1", [id], |r| r.get(0))?)
}

/// The key of a figure (`table`: figure or self_figure).
pub(crate) fn figure_key(store: &Store, table: &str, id: &str) -> Result<String> {
    Ok(store
        .conn
        .query_row(&format!("SELECT key FROM {table} WHERE id = ?1"), [id], |r| r.get(0))?)
}

/// The declared type of a column ("TEXT", "REAL", "INTEGER").
pub(crate) fn column_type(store: &Store, table: &str, column: &str) -> Result<String> {
    Ok(store.conn.query_row(
        &format!("SELECT type FROM pragma_table_info('{table}') WHERE name = ?1"),
        [column],
        |r| r.get(0),
    )?)
}
