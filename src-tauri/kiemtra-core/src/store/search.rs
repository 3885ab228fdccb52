//! Diacritic-insensitive search over units, criteria, findings, recommendations, evidence
//! and notes. Text is folded by `text::fold` (đ → d included) into an FTS5 index that the
//! store keeps up to date inside the same transaction as the change itself.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::model::SearchHit;
use crate::domain::text::fold;
use crate::error::Result;

/// Put (or replace) one record in the index.
pub fn index(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    unit_id: Option<&str>,
    reference: &str,
    display: &str,
) -> Result<()> {
    unindex(conn, entity, entity_id)?;
    let folded = fold(&format!("{display} {reference}"));
    if folded.is_empty() {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO search_index(folded, entity, entity_id, unit_id, reference, display) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![folded, entity, entity_id, unit_id, reference, display])?;
    let rowid = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO search_row(entity, entity_id, rowid_fts) VALUES (?1, ?2, ?3)")?
        .execute(params![entity, entity_id, rowid])?;
    Ok(())
}

pub fn unindex(conn: &Connection, entity: &str, entity_id: &str) -> Result<()> {
    let old: Option<i64> = conn
        .prepare_cached("SELECT rowid_fts FROM search_row WHERE entity = ?1 AND entity_id = ?2")?
        .query_row(params![entity, entity_id], |r| r.get(0))
        .optional()?;
    if let Some(rowid) = old {
        conn.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?
            .execute([rowid])?;
        conn.prepare_cached("DELETE FROM search_row WHERE entity = ?1 AND entity_id = ?2")?
            .execute(params![entity, entity_id])?;
    }
    Ok(())
}

/// Re-index one record of `table` after it changed (every write and every import ends
/// with this for the records it touched): it is indexed as the rebuild would index it, or
/// removed when it is deleted.
pub fn reindex(conn: &Connection, table: &str, id: &str) -> Result<()> {
    let (entity, sql) = match SETS
        .iter()
        .find(|(e, _)| *e == table || (table == "response" && *e == "note"))
    {
        Some(s) => *s,
        None => return Ok(()),
    };
    let key = match entity {
        "unit" => "id",
        "note" => "r.id",
        "finding" => "f.id",
        "recommendation" => "r.id",
        "evidence" => "e.id",
        _ => return Ok(()),
    };
    let row: Option<(Option<String>, String, String)> = conn
        .query_row(&format!("{sql} AND {key} = ?1"), [id], |r| {
            Ok((r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    match row {
        Some((unit, reference, display)) => index(conn, entity, id, unit.as_deref(), &reference, &display),
        None => unindex(conn, entity, id),
    }
}

const SETS: &[(&str, &str)] = &[
    ("unit", "SELECT id, id, '', name FROM unit WHERE deleted = 0"),
    (
        "criterion",
        "SELECT t.id || ':' || i.code, NULL, i.code, i.text FROM template_item i JOIN template t ON t.id = i.template_id WHERE t.deleted = 0",
    ),
    (
        "finding",
        "SELECT f.id, s.unit_id, 'lĩnh vực ' || f.area_code, f.text FROM finding f JOIN inspection s ON s.id = f.inspection_id WHERE f.deleted = 0",
    ),
    (
        "recommendation",
        "SELECT r.id, s.unit_id, 'kiến nghị ' || r.number, r.text || CASE WHEN r.owner <> '' THEN ' (' || r.owner || ')' ELSE '' END FROM recommendation r JOIN inspection s ON s.id = r.inspection_id WHERE r.deleted = 0",
    ),
    (
        "evidence",
        "SELECT e.id, s.unit_id, e.item_code, trim(replace(e.doc_number || ' ' || e.description || ' ' || coalesce(e.attachment_name, ''), '  ', ' ')) FROM evidence e JOIN inspection s ON s.id = e.inspection_id WHERE e.deleted = 0",
    ),
    (
        "note",
        "SELECT r.id, s.unit_id, r.item_code, r.note FROM response r JOIN inspection s ON s.id = r.inspection_id WHERE r.deleted = 0 AND r.note <> ''",
    ),
];

/// Rebuild the whole index from the records (used by the migration that creates it).
pub fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM search_index", [])?;
    conn.execute("DELETE FROM search_row", [])?;
    for (entity, sql) in SETS {
        let mut st = conn.prepare(sql)?;
        let rows: Vec<(String, Option<String>, String, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, unit, reference, display) in rows {
            index(conn, entity, &id, unit.as_deref(), &reference, &display)?;
        }
    }
    Ok(())
}

/// The folded words of a query, without characters FTS5 would read as syntax.
fn words(q: &str) -> Vec<String> {
    fold(q)
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Every typed word must start a word of the text, in any order.
fn fts_query(q: &str) -> Option<String> {
    let w = words(q);
    (!w.is_empty()).then(|| w.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "))
}

/// The typed words next to each other, the last one a prefix ("ky so" → "ký số…").
fn phrase_query(q: &str) -> Option<String> {
    let w = words(q);
    (w.len() > 1).then(|| format!("\"{}\"*", w.join(" ")))
}

/// Hits where the typed words stand together come first, then the others; within each,
/// units, then criteria, then the rest, best match first.
pub fn search(conn: &Connection, q: &str, limit: usize) -> Result<Vec<SearchHit>> {
    search_in(conn, q, limit, None)
}

/// [`search`] among the records of one plan's units (criteria, which belong to no unit, and
/// units in no plan included), or of every unit when `plan_id` is None.
pub fn search_in(conn: &Connection, q: &str, limit: usize, plan_id: Option<&str>) -> Result<Vec<SearchHit>> {
    let mut hits: Vec<SearchHit> = Vec::new();
    for fq in [phrase_query(q), fts_query(q)].into_iter().flatten() {
        if hits.len() >= limit {
            break;
        }
        for h in run(conn, &fq, limit, plan_id)? {
            if hits.len() < limit && !hits.iter().any(|x| x.entity == h.entity && x.entity_id == h.entity_id) {
                hits.push(h);
            }
        }
    }
    Ok(hits)
}

fn run(conn: &Connection, fq: &str, limit: usize, plan_id: Option<&str>) -> Result<Vec<SearchHit>> {
    let mut st = conn.prepare_cached(
        "SELECT s.entity, s.entity_id, u.name,
                CASE WHEN t.id IS NULL THEN s.reference
                     ELSE s.reference || ', bộ tiêu chí ' || CASE t.kind WHEN 'so' THEN 'sở' WHEN 'co_quan' THEN 'phòng, ban, đơn vị' ELSE 'xã, phường' END || ' ' || t.version
                END,
                s.display
         FROM search_index s
         LEFT JOIN unit u ON u.id = s.unit_id
         LEFT JOIN template t ON s.entity = 'criterion' AND t.id = substr(s.entity_id, 1, 36)
         WHERE search_index MATCH ?1
           AND (?3 IS NULL OR s.unit_id IS NULL OR s.unit_id = ''
                OR s.unit_id IN (SELECT unit_id FROM inspection WHERE plan_id = ?3 AND deleted = 0)
                OR s.unit_id NOT IN (SELECT unit_id FROM inspection WHERE deleted = 0))
         ORDER BY CASE s.entity WHEN 'unit' THEN 0 WHEN 'criterion' THEN 1 ELSE 2 END, s.rank
         LIMIT ?2",
    )?;
    let hits = st
        .query_map(params![fq, limit as i64, plan_id], |r| {
            Ok(SearchHit {
                entity: r.get(0)?,
                entity_id: r.get(1)?,
                unit_name: r.get(2)?,
                reference: r.get(3)?,
                text: r.get(4)?,
                unit_id: None,
                inspection_id: None,
                area: None,
                code: None,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    hits.into_iter().map(|h| locate(conn, h, plan_id)).collect()
}

/// The inspection of a unit a search opens: its first visit in `plan_id` first, else its
/// latest visit.
const UNIT_INSPECTION: &str = "SELECT s.id FROM inspection s JOIN plan p ON p.id = s.plan_id
     WHERE s.unit_id = ?1 AND s.deleted = 0
     ORDER BY (s.plan_id = ?2) DESC, (s.follows_id IS NULL) DESC, p.year DESC, s.rowid DESC LIMIT 1";

/// The area of a criterion in an inspection's checklist.
const ITEM_AREA: &str = "SELECT i.area_code FROM template_item i JOIN inspection s ON s.template_id = i.template_id
     WHERE s.id = ?1 AND i.code = ?2";

/// An inspection, a unit and an area or criterion code, as a locating query reads them.
type Place = (Option<String>, Option<String>, Option<String>);

/// Where a hit is: its unit, the inspection that shows it, its area and criterion.
fn locate(conn: &Connection, mut h: SearchHit, plan_id: Option<&str>) -> Result<SearchHit> {
    let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Option<Place>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_row(p, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?)
    };
    let plan = plan_id.unwrap_or("");
    match h.entity.as_str() {
        "unit" => {
            h.unit_id = Some(h.entity_id.clone());
            h.inspection_id = conn
                .prepare_cached(UNIT_INSPECTION)?
                .query_row(params![h.entity_id, plan], |r| r.get(0))
                .optional()?;
        }
        "criterion" => {
            let (template, code) = h.entity_id.split_at(h.entity_id.find(':').unwrap_or(0));
            let code = code.trim_start_matches(':');
            h.code = Some(code.to_string());
            h.area = conn
                .prepare_cached("SELECT area_code FROM template_item WHERE template_id = ?1 AND code = ?2")?
                .query_row(params![template, code], |r| r.get(0))
                .optional()?;
            // The inspection on that checklist version: in the plan searched first.
            if let Some((insp, unit, _)) = one(
                "SELECT s.id, s.unit_id, NULL FROM inspection s JOIN plan p ON p.id = s.plan_id
                 WHERE s.template_id = ?1 AND s.deleted = 0
                 ORDER BY (s.plan_id = ?2) DESC, p.year DESC, s.rowid LIMIT 1",
                &[&template, &plan],
            )? {
                h.inspection_id = insp;
                h.unit_id = unit;
            }
        }
        "finding" | "recommendation" | "evidence" | "note" => {
            let sql = match h.entity.as_str() {
                "finding" => "SELECT f.inspection_id, s.unit_id, f.area_code FROM finding f JOIN inspection s ON s.id = f.inspection_id WHERE f.id = ?1",
                "recommendation" => "SELECT r.inspection_id, s.unit_id, r.area_code FROM recommendation r JOIN inspection s ON s.id = r.inspection_id WHERE r.id = ?1",
                "evidence" => "SELECT e.inspection_id, s.unit_id, e.item_code FROM evidence e JOIN inspection s ON s.id = e.inspection_id WHERE e.id = ?1",
                _ => "SELECT r.inspection_id, s.unit_id, r.item_code FROM response r JOIN inspection s ON s.id = r.inspection_id WHERE r.id = ?1",
            };
            if let Some((insp, unit, third)) = one(sql, &[&h.entity_id])? {
                h.unit_id = unit;
                if matches!(h.entity.as_str(), "finding" | "recommendation") {
                    h.area = third.filter(|a| !a.is_empty());
                } else if let (Some(i), Some(code)) = (&insp, &third) {
                    h.area = conn
                        .prepare_cached(ITEM_AREA)?
                        .query_row(params![i, code], |r| r.get(0))
                        .optional()?;
                    h.code = third;
                }
                h.inspection_id = insp;
            }
        }
        _ => {}
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_is_folded_word_prefixes() {
        assert_eq!(fts_query("Đoài  Dương").unwrap(), "\"doai\"* \"duong\"*");
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("a\"b").unwrap(), "\"a\"* \"b\"*");
        assert_eq!(phrase_query("Ký số").unwrap(), "\"ky so\"*");
        assert_eq!(phrase_query("hạ"), None);
    }
}
