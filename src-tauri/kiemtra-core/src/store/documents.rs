//! The official documents in the store (table `document`): the versions of an inspection's
//! document of a kind, an issued one's PDF, the dates the conclusions were issued. The
//! schema's triggers refuse any change to an issued record (`document_issued`).

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::de::DeserializeOwned;

use crate::domain::model::{DocumentKind, DocumentStatus, InspectionState};
use crate::error::Result;
use crate::store::stored::{IsoDate, Json, RowExt};
use crate::store::{Store, W};

/// A table of official documents kept in versions, an issued version frozen by the schema's
/// triggers: `document` (an inspection's Biên bản and Thông báo) and `report` (the plan's
/// report). Both have the same columns but the one naming what a version belongs to; reading
/// versions and merging an exchange file's concurrent edit into a new version go through this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocumentTable {
    pub table: &'static str,
    /// The column naming the version's owner (its inspection, its plan).
    pub owner: &'static str,
}

/// An inspection's documents.
pub(crate) const INSPECTION_DOCUMENTS: DocumentTable = DocumentTable {
    table: "document",
    owner: "inspection_id",
};

/// A plan's documents.
pub(crate) const PLAN_DOCUMENTS: DocumentTable = DocumentTable {
    table: "report",
    owner: "plan_id",
};

impl DocumentTable {
    /// The document table `table` is, if it is one.
    pub(crate) fn of(table: &str) -> Option<DocumentTable> {
        [INSPECTION_DOCUMENTS, PLAN_DOCUMENTS]
            .into_iter()
            .find(|d| d.table == table)
    }
}

/// One version of a document as stored: the signer and the content are JSON, read as `S`
/// and `C` (a value that does not read is corrupt data naming the record).
pub(crate) struct DocumentRow<S, C> {
    pub id: String,
    pub version: u32,
    pub status: DocumentStatus,
    pub number: String,
    pub date: Option<NaiveDate>,
    pub symbol: String,
    pub signer: S,
    pub recipients: Vec<String>,
    pub content: C,
    pub snapshot_sha256: Option<String>,
    pub issued_at: Option<String>,
    pub supersedes_id: Option<String>,
}

/// The plan and the unit of an inspection that is not deleted; None when there is none.
pub(crate) fn inspection_plan_and_unit(store: &Store, inspection_id: &str) -> Result<Option<(String, String)>> {
    Ok(store
        .conn
        .query_row(
            "SELECT plan_id, unit_id FROM inspection WHERE id = ?1 AND deleted = 0",
            [inspection_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Every version of an inspection's document of `kind` that is not deleted, newest first.
pub(crate) fn document_rows<S: DeserializeOwned, C: DeserializeOwned>(
    store: &Store,
    inspection_id: &str,
    kind: DocumentKind,
) -> Result<Vec<DocumentRow<S, C>>> {
    versions(store, INSPECTION_DOCUMENTS, inspection_id, kind)
}

/// The versions of `owner`'s document of `kind` in table `t` that are not deleted, newest first.
pub(crate) fn versions<S: DeserializeOwned, C: DeserializeOwned>(
    store: &Store,
    t: DocumentTable,
    owner: &str,
    kind: DocumentKind,
) -> Result<Vec<DocumentRow<S, C>>> {
    let DocumentTable {
        table,
        owner: owner_column,
    } = t;
    let mut st = store.conn.prepare_cached(&format!(
        "SELECT id, version, status, number, date, symbol, signer, recipients, content, snapshot_sha256,
                    issued_at, supersedes_id
             FROM {table} WHERE {owner_column} = ?1 AND kind = ?2 AND deleted = 0 ORDER BY version DESC"
    ))?;
    let rows = st
        .query_map(params![owner, kind.as_str()], |r| {
            let id: String = r.get(0)?;
            Ok(DocumentRow {
                version: r.get::<_, i64>(1)? as u32,
                status: r.stored(2, table, &id)?,
                number: r.get(3)?,
                date: r.stored::<_, Option<IsoDate>>(4, table, &id)?.map(|d| d.date),
                symbol: r.get(5)?,
                signer: r.stored::<_, Json<S>>(6, table, &id)?.0,
                recipients: r.stored::<_, Json<Vec<String>>>(7, table, &id)?.0,
                content: r.stored::<_, Json<C>>(8, table, &id)?.0,
                snapshot_sha256: r.get(9)?,
                issued_at: r.get(10)?,
                supersedes_id: r.get(11)?,
                id,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The inspection and the kind of a document version that is not deleted; None when there
/// is none.
pub(crate) fn document_inspection_and_kind(store: &Store, document_id: &str) -> Result<Option<(String, DocumentKind)>> {
    Ok(store
        .conn
        .query_row(
            "SELECT inspection_id, kind FROM document WHERE id = ?1 AND deleted = 0",
            [document_id],
            |r| Ok((r.get(0)?, r.stored(1, "document", document_id)?)),
        )
        .optional()?)
}

/// Within the issuing write: store an issued document's PDF once, by its SHA-256 (a PDF
/// stored already is kept as it is).
pub(crate) fn store_issued_pdf(w: &W<'_>, sha: &str, bytes: &[u8], file_name: &str) -> Result<()> {
    w.conn().execute(
        "INSERT INTO attachment(sha256, size, media_type, original_name, data, created_at)
                 VALUES (?1, ?2, 'application/pdf', ?3, ?4, ?5) ON CONFLICT(sha256) DO NOTHING",
        params![sha, bytes.len() as i64, file_name, bytes, w.ctx.stamp()],
    )?;
    Ok(())
}

/// Within a write: the state of an inspection (the record must exist).
pub(crate) fn inspection_state(w: &W<'_>, inspection_id: &str) -> Result<InspectionState> {
    Ok(w.conn()
        .query_row("SELECT state FROM inspection WHERE id = ?1", [inspection_id], |r| {
            r.stored(0, "inspection", inspection_id)
        })?)
}

/// The date each inspection of a plan had its Thông báo (conclusion) issued, the earliest
/// when several versions were; "" for an issued one without a date.
pub(crate) fn issued_conclusion_dates(store: &Store, plan_id: &str) -> Result<HashMap<String, String>> {
    let mut issued = HashMap::new();
    let mut st = store.conn.prepare_cached(
        "SELECT d.inspection_id, min(d.date) FROM document d JOIN inspection s ON s.id = d.inspection_id
             WHERE s.plan_id = ?1 AND d.kind = 'thong_bao' AND d.status = 'issued' AND d.deleted = 0
             GROUP BY d.inspection_id",
    )?;
    let mut rows = st.query([plan_id])?;
    while let Some(r) = rows.next()? {
        let inspection: String = r.get(0)?;
        let date = r.stored_date(1, "document", &format!("thông báo của cuộc kiểm tra {inspection}"))?;
        issued.insert(inspection, date.unwrap_or_default());
    }
    Ok(issued)
}
