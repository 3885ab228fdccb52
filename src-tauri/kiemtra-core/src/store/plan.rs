//! Plans, their team and its members, units (with their renames and merges) and the
//! inspections of a plan, as stored: the reads the plan's use cases make, row by row.
//! Writes go through [`W`]'s methods in the use cases; the reads made inside a write take
//! the write (`&W`), the others the connection.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::domain::model::*;
use crate::error::Result;
use crate::store::stored::{Json, RowExt};
use crate::store::W;

/// An inspection row's filter: the inspection itself (`?1` = its id).
pub(crate) const BY_ID: &str = "s.id = ?1";
/// An inspection row's filter: every inspection of a plan (`?1` = the plan's id).
pub(crate) const BY_PLAN: &str = "s.plan_id = ?1";
/// An inspection row's filter: a plan's inspections, re-inspections left out.
pub(crate) const BY_PLAN_FIRST_VISITS: &str = "s.plan_id = ?1 AND s.follows_id IS NULL";

fn plan_from_row(r: &Row) -> rusqlite::Result<Plan> {
    let id: String = r.get("id")?;
    Ok(Plan {
        legal_bases: r.stored::<_, Json<Vec<String>>>("legal_bases", "plan", &id)?.0,
        date: r.stored_date("date", "plan", &id)?,
        period_start: r.stored_date("period_start", "plan", &id)?,
        period_end: r.stored_date("period_end", "plan", &id)?,
        id,
        number: r.get("number")?,
        symbol: r.get("symbol")?,
        year: r.get("year")?,
        title: r.get("title")?,
        issuing_body: r.get("issuing_body")?,
        parent_body: r.get("parent_body")?,
        place: r.get("place")?,
        signer_name: r.get("signer_name")?,
        signer_title: r.get("signer_title")?,
        closed: r.get::<_, i64>("closed")? == 1,
    })
}

pub(crate) fn unit_from_row(r: &Row) -> rusqlite::Result<Unit> {
    let id: String = r.get("id")?;
    Ok(Unit {
        kind: r.stored("kind", "unit", &id)?,
        id,
        name: r.get("name")?,
        head_name: r.get("head_name")?,
        head_title: r.get("head_title")?,
        address: r.get("address")?,
        active: r.get::<_, i64>("active")? == 1,
        successor_id: r.get("successor_id")?,
    })
}

// ---- plans --------------------------------------------------------------------------

/// Whether a plan record `id` is stored, deleted or not.
pub(crate) fn plan_recorded(conn: &Connection, id: &str) -> Result<bool> {
    let existing: Option<i64> = conn
        .query_row("SELECT deleted FROM plan WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    Ok(existing.is_some())
}

/// The live plans, the newest year first (the first made first within a year).
pub(crate) fn plans(conn: &Connection) -> Result<Vec<Plan>> {
    let mut st = conn.prepare("SELECT * FROM plan WHERE deleted = 0 ORDER BY year DESC, rowid")?;
    let v = st.query_map([], plan_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A live plan.
pub(crate) fn plan(conn: &Connection, id: &str) -> Result<Option<Plan>> {
    Ok(conn
        .query_row("SELECT * FROM plan WHERE id = ?1 AND deleted = 0", [id], plan_from_row)
        .optional()?)
}

/// The live plans of an issuing body and year with this number (as a write sees them).
pub(crate) fn plans_numbered(w: &W<'_>, issuing_body: &str, year: i32, number: &str) -> Result<Vec<String>> {
    let mut st = w.conn().prepare(
        "SELECT title FROM plan WHERE deleted = 0 AND issuing_body = ?1 AND year = ?2 AND number = ?3 AND number <> ''",
    )?;
    let v = st
        .query_map(params![issuing_body, year, number], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

// ---- team ---------------------------------------------------------------------------

/// A plan's team (its first, if several) with its live members in order.
pub(crate) fn team(conn: &Connection, plan_id: &str) -> Result<Option<Team>> {
    let team = conn
        .query_row(
            "SELECT id, plan_id, name, symbol, parent_body, standing_agency, decision_number, decision_date,
                    decision_signer, decision_signer_title, kind, issuing_body,
                    sign_authority, sign_on_behalf, sign_title
             FROM team WHERE plan_id = ?1 AND deleted = 0 ORDER BY rowid LIMIT 1",
            [plan_id],
            |r| {
                let id: String = r.get(0)?;
                Ok(Team {
                    decision_date: r.stored_date(7, "team", &id)?,
                    kind: r.stored(10, "team", &id)?,
                    id,
                    plan_id: r.get(1)?,
                    name: r.get(2)?,
                    symbol: r.get(3)?,
                    parent_body: r.get(4)?,
                    standing_agency: r.get(5)?,
                    decision_number: r.get(6)?,
                    decision_signer: r.get(8)?,
                    decision_signer_title: r.get(9)?,
                    issuing_body: r.get(11)?,
                    sign_authority: r.get(12)?,
                    sign_on_behalf: r.get(13)?,
                    sign_title: r.get(14)?,
                    members: vec![],
                })
            },
        )
        .optional()?;
    let Some(mut team) = team else { return Ok(None) };
    let mut st = conn.prepare(
        "SELECT id, name, role, agency, title FROM team_member WHERE team_id = ?1 AND deleted = 0 ORDER BY position, rowid",
    )?;
    team.members = st
        .query_map([&team.id], |r| {
            let id: String = r.get(0)?;
            Ok(Member {
                role: r.stored(2, "team_member", &id)?,
                id,
                name: r.get(1)?,
                agency: r.get(3)?,
                title: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(team))
}

/// A team's live members: how many lead it (trưởng đoàn), and how many there are.
pub(crate) fn member_counts(w: &W<'_>, team_id: &str) -> Result<(i64, i64)> {
    Ok(w.conn().query_row(
        "SELECT count(*) FILTER (WHERE role = 'truong_doan'), count(*) FROM team_member WHERE team_id = ?1 AND deleted = 0",
        [team_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

// ---- units --------------------------------------------------------------------------

/// The live units (and the merged-away ones when `include_inactive`), departments first.
pub(crate) fn units(conn: &Connection, include_inactive: bool) -> Result<Vec<Unit>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM unit WHERE deleted = 0 AND (active = 1 OR ?1) ORDER BY CASE kind WHEN 'so' THEN 0 ELSE 1 END, rowid",
    )?;
    let v = st
        .query_map([include_inactive], unit_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A live unit.
pub(crate) fn unit(conn: &Connection, id: &str) -> Result<Option<Unit>> {
    Ok(conn
        .query_row("SELECT * FROM unit WHERE id = ?1 AND deleted = 0", [id], unit_from_row)
        .optional()?)
}

/// A unit's name, whatever its state.
pub(crate) fn unit_name(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT name FROM unit WHERE id = ?1", [id], |r| r.get(0))
        .optional()?)
}

/// The names of the live, active units (as a write sees them).
pub(crate) fn active_unit_names(w: &W<'_>) -> Result<Vec<String>> {
    let mut st = w
        .conn()
        .prepare("SELECT name FROM unit WHERE deleted = 0 AND active = 1")?;
    let v = st
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The names of the live, active units other than `unit_id` (as a write sees them).
pub(crate) fn other_active_unit_names(w: &W<'_>, unit_id: &str) -> Result<Vec<String>> {
    let mut st = w
        .conn()
        .prepare("SELECT name FROM unit WHERE deleted = 0 AND active = 1 AND id <> ?1")?;
    let v = st
        .query_map([unit_id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A unit's kind (as a write sees it; the unit must exist).
pub(crate) fn unit_kind_in(w: &W<'_>, unit_id: &str) -> Result<UnitKind> {
    Ok(w.conn()
        .query_row("SELECT kind FROM unit WHERE id = ?1", [unit_id], |r| {
            r.stored(0, "unit", unit_id)
        })?)
}

/// The live, active unit with exactly this name (as a write sees it).
pub(crate) fn active_unit_named(w: &W<'_>, name: &str) -> Result<Option<String>> {
    Ok(w.conn()
        .query_row(
            "SELECT id FROM unit WHERE name = ?1 AND deleted = 0 AND active = 1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// A unit's history (renames, merges), in the order it was recorded.
pub(crate) fn unit_history(conn: &Connection, unit_id: &str) -> Result<Vec<UnitEvent>> {
    let mut st = conn.prepare(
        "SELECT id, unit_id, event, old_name, new_name, related_unit_id, effective_date, note, hlc
         FROM unit_event WHERE unit_id = ?1 AND deleted = 0",
    )?;
    let v = st
        .query_map([unit_id], |r| {
            Ok((
                UnitEvent {
                    id: r.get(0)?,
                    unit_id: r.get(1)?,
                    event: r.get(2)?,
                    old_name: r.get(3)?,
                    new_name: r.get(4)?,
                    related_unit_id: r.get(5)?,
                    effective_date: r.get(6)?,
                    note: r.get(7)?,
                },
                r.get::<_, String>(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // In the order they were recorded: by clock, compared as numbers.
    let mut v = v
        .into_iter()
        .map(|(e, h)| {
            let h = match h.as_str() {
                "" => None,
                h => Some(crate::store::db_hlc(h, "unit_event", &e.id, "hlc")?),
            };
            Ok((h, e))
        })
        .collect::<Result<Vec<_>>>()?;
    v.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.id.cmp(&y.id)));
    Ok(v.into_iter().map(|(_, e)| e).collect())
}

// ---- inspections --------------------------------------------------------------------

/// How many live first inspections (not re-inspections) of a unit a plan has.
pub(crate) fn first_visits(conn: &Connection, plan_id: &str, unit_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM inspection WHERE plan_id = ?1 AND unit_id = ?2 AND follows_id IS NULL AND deleted = 0",
        params![plan_id, unit_id],
        |r| r.get(0),
    )?)
}

/// The inspection a unit's commands work on: its newest in the newest plan.
pub(crate) fn inspection_for_unit(conn: &Connection, unit_id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT s.id FROM inspection s JOIN plan p ON p.id = s.plan_id
             WHERE s.unit_id = ?1 AND s.deleted = 0 AND p.deleted = 0
             ORDER BY p.year DESC, s.follows_id IS NOT NULL DESC, s.rowid DESC LIMIT 1",
            [unit_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The live inspections `filter` selects (a condition on `s`, the inspection, and `u`, its
/// unit, with `arg` as `?1`: [`BY_ID`], [`BY_PLAN`], [`BY_PLAN_FIRST_VISITS`]), departments
/// first, then by their schedule, each with its template id. Their scores, deadlines and
/// recommendations are left empty for the caller.
pub(crate) fn inspection_rows(conn: &Connection, filter: &str, arg: &str) -> Result<Vec<(InspectionRow, String)>> {
    let sql = format!(
        "SELECT s.id, s.unit_id, u.name, u.kind, s.scheduled_start, s.scheduled_end, s.actual_start, s.actual_end,
                s.state, s.unannounced, s.follows_id, t.version, s.template_id
         FROM inspection s JOIN unit u ON u.id = s.unit_id JOIN template t ON t.id = s.template_id
         WHERE s.deleted = 0 AND {filter}
         ORDER BY CASE u.kind WHEN 'so' THEN 0 ELSE 1 END, coalesce(s.scheduled_start, '9999'), s.rowid"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let v = st
        .query_map([arg], |r| {
            let id: String = r.get(0)?;
            let unit_id: String = r.get(1)?;
            Ok((
                InspectionRow {
                    unit_kind: r.stored(3, "unit", &unit_id)?,
                    scheduled_start: r.stored_date(4, "inspection", &id)?,
                    scheduled_end: r.stored_date(5, "inspection", &id)?,
                    actual_start: r.stored_date(6, "inspection", &id)?,
                    actual_end: r.stored_date(7, "inspection", &id)?,
                    state: r.stored(8, "inspection", &id)?,
                    id,
                    unit_id,
                    unit_name: r.get(2)?,
                    unannounced: r.get::<_, i64>(9)? == 1,
                    follows_id: r.get(10)?,
                    template_version: r.get(11)?,
                    scored_items: 0,
                    scorable_items: 0,
                    score: 0.0,
                    applicable_max: 0.0,
                    percent: None,
                    deadline: None,
                    open_recommendations: 0,
                    overdue_recommendations: 0,
                },
                r.get::<_, String>(12)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The template a live inspection is scored on.
pub(crate) fn inspection_template_id(conn: &Connection, inspection_id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT template_id FROM inspection WHERE id = ?1 AND deleted = 0",
            [inspection_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The templates a plan's live inspections are scored on, each once.
pub(crate) fn plan_template_ids(conn: &Connection, plan_id: &str) -> Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT template_id FROM inspection WHERE plan_id = ?1 AND deleted = 0 ORDER BY template_id",
    )?;
    let ids = st
        .query_map([plan_id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// A plan's live first inspections (not re-inspections): unit and template, in the order
/// they were added.
pub(crate) fn plan_first_visits(conn: &Connection, plan_id: &str) -> Result<Vec<FirstVisit>> {
    let mut st = conn.prepare(
        "SELECT unit_id, template_id FROM inspection
         WHERE plan_id = ?1 AND follows_id IS NULL AND deleted = 0 ORDER BY rowid",
    )?;
    let v = st
        .query_map([plan_id], |r| {
            Ok(FirstVisit {
                unit_id: r.get(0)?,
                template_id: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A first inspection of a plan, as [`plan_first_visits`] reads it.
#[derive(Debug, Clone)]
pub(crate) struct FirstVisit {
    pub unit_id: String,
    pub template_id: String,
}

/// The live recommendations of a plan not yet remedied and not carried on into another
/// inspection (a re-inspection's copy stands for its original): each with the unit of its
/// inspection. In the order of their inspections, then their numbers.
pub(crate) fn plan_open_recommendations(conn: &Connection, plan_id: &str) -> Result<Vec<(String, Recommendation)>> {
    let mut st = conn.prepare(&format!(
        "SELECT {}, s.unit_id FROM recommendation r JOIN inspection s ON s.id = r.inspection_id
              LEFT JOIN recommendation o ON o.id = r.origin_id
         WHERE s.plan_id = ?1 AND s.deleted = 0 AND r.deleted = 0 AND r.state <> 'da_khac_phuc'
           AND NOT EXISTS (SELECT 1 FROM recommendation c JOIN inspection cs ON cs.id = c.inspection_id
                           WHERE c.origin_id = r.id AND c.deleted = 0 AND cs.plan_id = ?1)
         ORDER BY s.rowid, r.number",
        crate::store::findings::REC_COLUMNS
    ))?;
    let v = st
        .query_map([plan_id], |r| {
            let unit: String = r.get(crate::store::findings::REC_N)?;
            Ok((unit, crate::store::findings::rec_from_row(r)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// What was recorded for an inspection, per kind of record (only the kinds with rows): a
/// response with a score, a status or a note, a figure, the unit's figure, evidence, a
/// finding, a recommendation, a document.
pub(crate) fn recorded_for(w: &W<'_>, inspection_id: &str) -> Result<Vec<(&'static str, i64)>> {
    let counts = [
        (
            "điểm hoặc ghi chú tiêu chí",
            "SELECT count(*) FROM response WHERE inspection_id = ?1 AND deleted = 0
               AND (self_score IS NOT NULL OR team_score IS NOT NULL OR status IS NOT NULL OR note <> '' OR self_note <> '')",
        ),
        ("số liệu", "SELECT count(*) FROM figure WHERE inspection_id = ?1 AND deleted = 0"),
        ("số liệu đơn vị tự báo cáo", "SELECT count(*) FROM self_figure WHERE inspection_id = ?1 AND deleted = 0"),
        ("tài liệu kiểm chứng", "SELECT count(*) FROM evidence WHERE inspection_id = ?1 AND deleted = 0"),
        ("nhận xét", "SELECT count(*) FROM finding WHERE inspection_id = ?1 AND deleted = 0"),
        ("kiến nghị", "SELECT count(*) FROM recommendation WHERE inspection_id = ?1 AND deleted = 0"),
        ("văn bản", "SELECT count(*) FROM document WHERE inspection_id = ?1 AND deleted = 0"),
        ("cuộc kiểm tra lại", "SELECT count(*) FROM inspection WHERE follows_id = ?1 AND deleted = 0"),
    ];
    let mut out = vec![];
    for (what, sql) in counts {
        let n: i64 = w.conn().query_row(sql, [inspection_id], |r| r.get(0))?;
        if n > 0 {
            out.push((what, n));
        }
    }
    Ok(out)
}

/// Whether an inspection record `id` is stored, deleted or not (as a write sees it).
pub(crate) fn inspection_recorded(w: &W<'_>, id: &str) -> Result<Option<bool>> {
    Ok(w.conn()
        .query_row("SELECT deleted FROM inspection WHERE id = ?1", [id], |r| {
            r.get::<_, i64>(0)
        })
        .optional()?
        .map(|d| d == 1))
}

/// The live units a plan inspects (first visits), as [`units`] orders them.
pub(crate) fn plan_units(conn: &Connection, plan_id: &str) -> Result<Vec<Unit>> {
    let mut st = conn.prepare_cached(
        "SELECT * FROM unit WHERE deleted = 0 AND id IN
            (SELECT unit_id FROM inspection WHERE plan_id = ?1 AND deleted = 0)
         ORDER BY CASE kind WHEN 'so' THEN 0 ELSE 1 END, rowid",
    )?;
    let v = st
        .query_map([plan_id], unit_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// The inspection of a unit in a plan its commands work on: the newest re-inspection, else
/// the first visit.
pub(crate) fn inspection_in_plan(conn: &Connection, plan_id: &str, unit_id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT id FROM inspection WHERE plan_id = ?1 AND unit_id = ?2 AND deleted = 0
             ORDER BY follows_id IS NOT NULL DESC, rowid DESC LIMIT 1",
            params![plan_id, unit_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// An inspection's state (as a write sees it).
pub(crate) fn inspection_state(w: &W<'_>, inspection_id: &str) -> Result<InspectionState> {
    Ok(w.conn()
        .query_row("SELECT state FROM inspection WHERE id = ?1", [inspection_id], |r| {
            r.stored(0, "inspection", inspection_id)
        })?)
}

/// Forget the sample plan a first start loaded, on a laptop where nothing else was ever done
/// (`Store::sample_untouched`), so that the records an invitation brings are taken in as
/// they are rather than meeting the sample's copies as concurrent versions (the sample's
/// blank plan number, written later, would show instead of the team's). One transaction;
/// the checklist templates, which never change, stay.
pub(crate) fn forget_untouched_sample(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    for t in crate::format::exchange_file::TABLES.iter().rev() {
        if *t != "template" {
            tx.execute(&format!("DELETE FROM {t}"), [])?;
        }
    }
    tx.execute_batch(
        "DELETE FROM field_version; DELETE FROM field_clock; DELETE FROM audit_log; DELETE FROM undone;
         DELETE FROM search_row; DELETE FROM search_index;",
    )?;
    tx.commit()?;
    Ok(())
}
