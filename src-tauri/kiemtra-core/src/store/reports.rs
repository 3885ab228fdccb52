//! The plan's documents in the store (table `report`, schema 9): the versions of a plan's
//! report of a kind, and the findings of all the plan's inspections in one read. The
//! schema's triggers refuse any change to an issued record, as for `document`.

use serde::de::DeserializeOwned;

use crate::domain::model::{DocumentKind, Finding};
use crate::error::Result;
use crate::store::documents::DocumentRow;
use crate::store::stored::RowExt;
use crate::store::Store;

/// Every version of a plan's report of `kind` that is not deleted, newest first.
pub(crate) fn report_rows<S: DeserializeOwned, C: DeserializeOwned>(
    store: &Store,
    plan_id: &str,
    kind: DocumentKind,
) -> Result<Vec<DocumentRow<S, C>>> {
    crate::store::documents::versions(store, crate::store::documents::PLAN_DOCUMENTS, plan_id, kind)
}

/// The findings of every inspection of a plan that is not deleted, with their inspection, by
/// area, kind and position.
pub(crate) fn plan_findings(store: &Store, plan_id: &str) -> Result<Vec<(String, Finding)>> {
    let mut st = store.conn.prepare_cached(
        "SELECT f.id, f.area_code, f.kind, f.text, f.position, f.inspection_id FROM finding f
         JOIN inspection s ON s.id = f.inspection_id
         WHERE s.plan_id = ?1 AND s.deleted = 0 AND f.deleted = 0
         ORDER BY CAST(f.area_code AS INTEGER), f.area_code, f.position",
    )?;
    let v = st
        .query_map([plan_id], |r| {
            let id: String = r.get(0)?;
            Ok((
                r.get(5)?,
                Finding {
                    kind: r.stored(2, "finding", &id)?,
                    id,
                    area_code: r.get(1)?,
                    text: r.get(3)?,
                    position: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}
