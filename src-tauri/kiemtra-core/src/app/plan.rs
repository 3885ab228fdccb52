//! Plans, teams, units (with their renames and merges) and inspections; the sample plan.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::domain::model::*;
use crate::domain::text::{fold, matches_words, nfc, parse_date};
use crate::error::{Error, Refusal, Result};
use crate::store::stored::{Json, RowExt};
use crate::store::{opt_text, stable_id, text, Ctx, Store, W};

pub const SAMPLE_PLAN: &str = include_str!("../../../../assets/sample-plan-2026.toml");

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct PlanOverview {
    pub plan: Plan,
    pub team: Option<Team>,
    pub inspections: Vec<InspectionRow>,
    /// The day the deadlines and overdue markers were computed for.
    pub today: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct AreaTitle {
    pub code: String,
    pub title: String,
}

/// "10" after "9": area codes compared as numbers where they are numbers.
fn natural(code: &str) -> (u64, String) {
    (code.parse().unwrap_or(u64::MAX), code.to_string())
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct RankRow {
    /// None while nothing of the unit has been scored.
    pub rank: Option<usize>,
    pub inspection_id: String,
    pub unit_id: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub total: f64,
    pub applicable_max: f64,
    pub percent: Option<f64>,
    /// Per area code: the score.
    pub areas: Vec<(String, f64)>,
    pub scored_items: usize,
    pub scorable_items: usize,
}

/// Fields of a plan a user may change (None = leave as is; Some("") = clear). Also what
/// the desktop's plan screen sends.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PlanPatch {
    #[cfg_attr(feature = "ts", ts(optional))]
    pub number: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub date: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub title: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub issuing_body: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub signer_name: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub signer_title: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub period_start: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub period_end: Option<String>,
    /// The legal bases cited by documents, in order (replaces the list).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub legal_bases: Option<Vec<String>>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TeamPatch {
    #[cfg_attr(feature = "ts", ts(optional))]
    pub name: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub decision_number: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub decision_date: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub decision_signer: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub decision_signer_title: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub standing_agency: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub parent_body: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InspectionPatch {
    #[cfg_attr(feature = "ts", ts(optional))]
    pub state: Option<InspectionState>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub scheduled_start: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub scheduled_end: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub actual_start: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub actual_end: Option<String>,
}

// ---- sample plan file ---------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleFile {
    plan: SamplePlan,
    team: SampleTeam,
    unit: Vec<SampleUnit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SamplePlan {
    number: String,
    symbol: String,
    date: Option<String>,
    year: i32,
    title: String,
    issuing_body: String,
    parent_body: String,
    place: String,
    legal_bases: Vec<String>,
    period_start: Option<String>,
    period_end: Option<String>,
    signer_name: String,
    signer_title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleTeam {
    name: String,
    symbol: String,
    parent_body: String,
    standing_agency: String,
    decision_number: String,
    decision_date: Option<String>,
    decision_signer: String,
    decision_signer_title: String,
    member: Vec<SampleMember>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleMember {
    name: String,
    role: String,
    agency: String,
    title: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleUnit {
    kind: String,
    name: String,
    #[serde(default)]
    head_title: String,
    #[serde(default)]
    address: String,
    scheduled_start: Option<String>,
    scheduled_end: Option<String>,
}

/// A date typed by a user, stored as ISO "YYYY-MM-DD"; empty clears it.
fn date_value(s: Option<&str>) -> Result<Value> {
    match s.map(str::trim) {
        None | Some("") => Ok(Value::Null),
        Some(t) => Ok(Value::Text(parse_date(t)?.format("%Y-%m-%d").to_string())),
    }
}

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

fn insert_unit(
    w: &W<'_>,
    id: Option<String>,
    kind: UnitKind,
    name: &str,
    head_title: &str,
    address: &str,
) -> Result<String> {
    let name = nfc(name);
    if name.is_empty() {
        return Err(Refusal::Required.err("Tên đơn vị không được để trống."));
    }
    let exists: Vec<String> = {
        let mut st = w
            .conn()
            .prepare("SELECT name FROM unit WHERE deleted = 0 AND active = 1")?;
        let v = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        v
    };
    if exists.iter().any(|n| fold(n) == fold(&name)) {
        return Err(Refusal::Duplicate.err(format!("Đã có đơn vị «{name}».")));
    }
    let id = id.unwrap_or_else(|| w.new_id());
    w.insert(
        "unit",
        &id,
        &[
            ("kind", Value::Text(kind.as_str().into())),
            ("name", Value::Text(name.clone())),
            ("head_title", text(head_title)),
            ("address", text(address)),
        ],
    )?;
    Ok(id)
}

fn insert_inspection(
    w: &W<'_>,
    plan_id: &str,
    unit_id: &str,
    template_id: &str,
    scheduled: (Option<&str>, Option<&str>),
    unannounced: bool,
    follows: Option<&str>,
) -> Result<String> {
    // One plan inspects a unit once (re-inspections aside): every laptop gives that
    // inspection the same id.
    let id = match follows {
        None => stable_id(&["inspection", plan_id, unit_id]),
        Some(_) => w.new_id(),
    };
    w.insert(
        "inspection",
        &id,
        &[
            ("plan_id", Value::Text(plan_id.into())),
            ("unit_id", Value::Text(unit_id.into())),
            ("template_id", Value::Text(template_id.into())),
            ("scheduled_start", date_value(scheduled.0)?),
            ("scheduled_end", date_value(scheduled.1)?),
            ("unannounced", Value::Integer(unannounced as i64)),
            ("follows_id", opt_text(follows)),
        ],
    )?;
    Ok(id)
}

fn check_range(start: Option<&str>, end: Option<&str>, what: &str) -> Result<()> {
    if let (Some(s), Some(e)) = (start, end) {
        if !s.is_empty() && !e.is_empty() && e < s {
            return Err(Refusal::BadRange.err(format!("{what}: ngày kết thúc trước ngày bắt đầu.")));
        }
    }
    Ok(())
}

impl Store {
    /// Load Cao Bằng's 2026 plan (14 units, each bound to its kind's current checklist).
    /// Loading it again changes nothing. Returns the plan id and whether it was loaded now.
    pub fn load_sample_plan(&mut self, ctx: &Ctx) -> Result<(String, bool)> {
        let f: SampleFile = toml::from_str(SAMPLE_PLAN).expect("the embedded sample plan is valid");
        // The sample's records have ids derived from the sample itself: loading it on two
        // laptops gives the same records, and loading it again (even after the plan was
        // edited) is recognised.
        let plan_id = stable_id(&["sample-plan", &f.plan.year.to_string()]);
        let existing: Option<i64> = self
            .conn
            .query_row("SELECT deleted FROM plan WHERE id = ?1", [&plan_id], |r| r.get(0))
            .optional()?;
        if existing.is_some() {
            return Ok((plan_id, false));
        }
        let so = self.current_template_id(TemplateKind::So)?;
        let xa = self.current_template_id(TemplateKind::Xa)?;
        let id = self.write(ctx, "nạp kế hoạch mẫu 2026", |w| {
            w.barrier = true;
            let p = &f.plan;
            let plan_id = plan_id.clone();
            w.insert(
                "plan",
                &plan_id,
                &[
                    ("number", text(&p.number)),
                    ("symbol", text(&p.symbol)),
                    ("date", date_value(p.date.as_deref())?),
                    ("year", Value::Integer(p.year as i64)),
                    ("title", text(&p.title)),
                    ("issuing_body", text(&p.issuing_body)),
                    ("parent_body", text(&p.parent_body)),
                    ("place", text(&p.place)),
                    (
                        "legal_bases",
                        Value::Text(
                            serde_json::to_string(&p.legal_bases.iter().map(|b| nfc(b)).collect::<Vec<_>>()).unwrap(),
                        ),
                    ),
                    ("period_start", date_value(p.period_start.as_deref())?),
                    ("period_end", date_value(p.period_end.as_deref())?),
                    ("signer_name", text(&p.signer_name)),
                    ("signer_title", text(&p.signer_title)),
                ],
            )?;
            let t = &f.team;
            let team_id = stable_id(&[&plan_id, "team"]);
            w.insert(
                "team",
                &team_id,
                &[
                    ("plan_id", Value::Text(plan_id.clone())),
                    ("name", text(&t.name)),
                    ("symbol", text(&t.symbol)),
                    ("parent_body", text(&t.parent_body)),
                    ("standing_agency", text(&t.standing_agency)),
                    ("decision_number", text(&t.decision_number)),
                    ("decision_date", date_value(t.decision_date.as_deref())?),
                    ("decision_signer", text(&t.decision_signer)),
                    ("decision_signer_title", text(&t.decision_signer_title)),
                ],
            )?;
            for (i, m) in t.member.iter().enumerate() {
                let role = MemberRole::parse(&m.role).expect("sample roles are valid");
                let mid = stable_id(&[&team_id, "member", &i.to_string()]);
                w.insert(
                    "team_member",
                    &mid,
                    &[
                        ("team_id", Value::Text(team_id.clone())),
                        ("name", text(&m.name)),
                        ("role", Value::Text(role.as_str().into())),
                        ("agency", text(&m.agency)),
                        ("title", text(&m.title)),
                        ("position", Value::Integer(i as i64)),
                    ],
                )?;
            }
            for u in &f.unit {
                let kind = UnitKind::parse(&u.kind).expect("sample kinds are valid");
                let existing: Option<String> = w
                    .conn()
                    .query_row(
                        "SELECT id FROM unit WHERE name = ?1 AND deleted = 0 AND active = 1",
                        [nfc(&u.name)],
                        |r| r.get(0),
                    )
                    .optional()?;
                let unit_id = match existing {
                    Some(id) => id,
                    None => insert_unit(
                        w,
                        Some(stable_id(&["sample-unit", &fold(&u.name)])),
                        kind,
                        &u.name,
                        &u.head_title,
                        &u.address,
                    )?,
                };
                let tpl = if kind == UnitKind::So { &so } else { &xa };
                insert_inspection(
                    w,
                    &plan_id,
                    &unit_id,
                    tpl,
                    (u.scheduled_start.as_deref(), u.scheduled_end.as_deref()),
                    false,
                    None,
                )?;
            }
            Ok(plan_id)
        })?;
        Ok((id, true))
    }

    pub fn plans(&self) -> Result<Vec<Plan>> {
        let mut st = self
            .conn
            .prepare("SELECT * FROM plan WHERE deleted = 0 ORDER BY year DESC, rowid")?;
        let v = st.query_map([], plan_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(v)
    }

    /// The plan commands work on when none is named: the newest year's (the first made,
    /// if a year has several), whatever was edited last.
    pub fn current_plan(&self) -> Result<Plan> {
        self.plans()?.into_iter().next().ok_or(Error::NotFound {
            what: "kế hoạch kiểm tra",
            key: "(chưa có; chạy «kiemtra plan load-sample» để nạp kế hoạch mẫu 2026)".into(),
        })
    }

    pub fn plan(&self, id: &str) -> Result<Plan> {
        self.conn
            .query_row("SELECT * FROM plan WHERE id = ?1 AND deleted = 0", [id], plan_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "kế hoạch",
                key: id.into(),
            })
    }

    pub fn update_plan(&mut self, ctx: &Ctx, plan_id: &str, p: &PlanPatch) -> Result<usize> {
        self.plan(plan_id)?;
        let mut fields: Vec<(&str, Value)> = vec![];
        if let Some(v) = &p.number {
            fields.push(("number", text(v)));
        }
        if let Some(v) = &p.date {
            fields.push(("date", date_value(Some(v))?));
        }
        if let Some(v) = &p.title {
            if v.trim().is_empty() {
                return Err(Refusal::Required.err("Tên kế hoạch không được để trống."));
            }
            fields.push(("title", text(v)));
        }
        if let Some(v) = &p.issuing_body {
            fields.push(("issuing_body", text(v)));
        }
        if let Some(v) = &p.signer_name {
            fields.push(("signer_name", text(v)));
        }
        if let Some(v) = &p.signer_title {
            fields.push(("signer_title", text(v)));
        }
        if let Some(v) = &p.period_start {
            fields.push(("period_start", date_value(Some(v))?));
        }
        if let Some(v) = &p.period_end {
            fields.push(("period_end", date_value(Some(v))?));
        }
        if let Some(bases) = &p.legal_bases {
            let bases: Vec<String> = bases.iter().map(|b| nfc(b)).filter(|b| !b.is_empty()).collect();
            fields.push((
                "legal_bases",
                Value::Text(serde_json::to_string(&bases).expect("strings serialise")),
            ));
        }
        self.write(ctx, "sửa kế hoạch", |w| w.update("plan", plan_id, &fields))
    }

    pub fn team(&self, plan_id: &str) -> Result<Option<Team>> {
        let team = self
            .conn
            .query_row(
                "SELECT id, plan_id, name, symbol, parent_body, standing_agency, decision_number, decision_date,
                        decision_signer, decision_signer_title
                 FROM team WHERE plan_id = ?1 AND deleted = 0 ORDER BY rowid LIMIT 1",
                [plan_id],
                |r| {
                    let id: String = r.get(0)?;
                    Ok(Team {
                        decision_date: r.stored_date(7, "team", &id)?,
                        id,
                        plan_id: r.get(1)?,
                        name: r.get(2)?,
                        symbol: r.get(3)?,
                        parent_body: r.get(4)?,
                        standing_agency: r.get(5)?,
                        decision_number: r.get(6)?,
                        decision_signer: r.get(8)?,
                        decision_signer_title: r.get(9)?,
                        members: vec![],
                    })
                },
            )
            .optional()?;
        let Some(mut team) = team else { return Ok(None) };
        let mut st = self.conn.prepare(
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

    fn team_id(&self, plan_id: &str) -> Result<String> {
        self.team(plan_id)?.map(|t| t.id).ok_or(Error::NotFound {
            what: "đoàn kiểm tra của kế hoạch",
            key: plan_id.into(),
        })
    }

    pub fn update_team(&mut self, ctx: &Ctx, plan_id: &str, p: &TeamPatch) -> Result<usize> {
        let team_id = self.team_id(plan_id)?;
        let mut fields: Vec<(&str, Value)> = vec![];
        if let Some(v) = &p.name {
            fields.push(("name", text(v)));
        }
        if let Some(v) = &p.decision_number {
            fields.push(("decision_number", text(v)));
        }
        if let Some(v) = &p.decision_date {
            fields.push(("decision_date", date_value(Some(v))?));
        }
        if let Some(v) = &p.decision_signer {
            fields.push(("decision_signer", text(v)));
        }
        if let Some(v) = &p.decision_signer_title {
            fields.push(("decision_signer_title", text(v)));
        }
        if let Some(v) = &p.standing_agency {
            fields.push(("standing_agency", text(v)));
        }
        if let Some(v) = &p.parent_body {
            fields.push(("parent_body", text(v)));
        }
        self.write(ctx, "sửa đoàn kiểm tra", |w| w.update("team", &team_id, &fields))
    }

    pub fn add_member(
        &mut self,
        ctx: &Ctx,
        plan_id: &str,
        name: &str,
        role: MemberRole,
        agency: &str,
        title: &str,
    ) -> Result<String> {
        let team_id = self.team_id(plan_id)?;
        if nfc(name).is_empty() {
            return Err(Refusal::Required.err("Họ tên thành viên không được để trống."));
        }
        self.write(ctx, "thêm thành viên đoàn", |w| {
            let (leaders, count): (i64, i64) = w.conn().query_row(
                "SELECT count(*) FILTER (WHERE role = 'truong_doan'), count(*) FROM team_member WHERE team_id = ?1 AND deleted = 0",
                [&team_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if role == MemberRole::TruongDoan && leaders > 0 {
                return Err(Refusal::Duplicate.err(
                    "Đoàn đã có trưởng đoàn; hãy đổi vai trò của người cũ trước khi thêm trưởng đoàn mới.",
                ));
            }
            let id = w.new_id();
            w.insert(
                "team_member",
                &id,
                &[
                    ("team_id", Value::Text(team_id.clone())),
                    ("name", text(name)),
                    ("role", Value::Text(role.as_str().into())),
                    ("agency", text(agency)),
                    ("title", text(title)),
                    ("position", Value::Integer(count)),
                ],
            )?;
            Ok(id)
        })
    }

    pub fn remove_member(&mut self, ctx: &Ctx, plan_id: &str, query: &str) -> Result<Member> {
        let team = self.team(plan_id)?.ok_or(Error::NotFound {
            what: "đoàn kiểm tra",
            key: plan_id.into(),
        })?;
        let q = fold(query);
        let found: Vec<&Member> = team
            .members
            .iter()
            .filter(|m| m.id == query || fold(&m.name).contains(&q))
            .collect();
        let m = match found.as_slice() {
            [m] => (*m).clone(),
            [] => {
                return Err(Error::NotFound {
                    what: "thành viên",
                    key: query.into(),
                })
            }
            many => {
                return Err(Error::Ambiguous {
                    query: query.into(),
                    candidates: many.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join("; "),
                })
            }
        };
        self.write(ctx, "bớt thành viên đoàn", |w| w.delete("team_member", &m.id))?;
        Ok(m)
    }

    // ---- units ----------------------------------------------------------------------

    pub fn units(&self, include_inactive: bool) -> Result<Vec<Unit>> {
        let mut st = self.conn.prepare_cached(
            "SELECT * FROM unit WHERE deleted = 0 AND (active = 1 OR ?1) ORDER BY CASE kind WHEN 'so' THEN 0 ELSE 1 END, rowid",
        )?;
        let v = st
            .query_map([include_inactive], unit_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(v)
    }

    pub fn unit(&self, id: &str) -> Result<Unit> {
        self.conn
            .query_row("SELECT * FROM unit WHERE id = ?1 AND deleted = 0", [id], unit_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "đơn vị",
                key: id.into(),
            })
    }

    /// Find a unit by id or by a name fragment that ignores case and diacritics: every
    /// typed word must begin a word of the name ("ha lang" → xã Hạ Lang). An ambiguous
    /// fragment lists the candidates.
    pub fn resolve_unit(&self, query: &str) -> Result<Unit> {
        let q = query.trim();
        if let Ok(u) = self.unit(q) {
            return Ok(u);
        }
        let all = self.units(true)?;
        let fq = fold(q);
        if fq.is_empty() {
            return Err(Refusal::Required.err("Hãy gõ tên đơn vị."));
        }
        // An exact name (with or without its kind word) wins.
        let exact: Vec<&Unit> = all
            .iter()
            .filter(|u| {
                let f = fold(&u.name);
                f == fq || f.split_once(' ').map(|(_, rest)| rest == fq).unwrap_or(false)
            })
            .collect();
        let pool: Vec<&Unit> = if !exact.is_empty() {
            exact
        } else {
            all.iter().filter(|u| matches_words(q, &u.name)).collect()
        };
        // Prefer units still active over merged-away ones.
        let active: Vec<&Unit> = pool.iter().copied().filter(|u| u.active).collect();
        let pool = if active.is_empty() { pool } else { active };
        match pool.as_slice() {
            [u] => Ok((*u).clone()),
            [] => Err(Error::NotFound {
                what: "đơn vị",
                key: q.into(),
            }),
            many => Err(Error::Ambiguous {
                query: q.into(),
                candidates: many.iter().map(|u| u.name.clone()).collect::<Vec<_>>().join("; "),
            }),
        }
    }

    pub fn add_unit(&mut self, ctx: &Ctx, kind: UnitKind, name: &str) -> Result<String> {
        self.write(ctx, "thêm đơn vị", |w| insert_unit(w, None, kind, name, "", ""))
    }

    pub fn update_unit(
        &mut self,
        ctx: &Ctx,
        unit_id: &str,
        head_name: Option<&str>,
        head_title: Option<&str>,
        address: Option<&str>,
    ) -> Result<usize> {
        self.unit(unit_id)?;
        let mut fields = vec![];
        if let Some(v) = head_name {
            fields.push(("head_name", text(v)));
        }
        if let Some(v) = head_title {
            fields.push(("head_title", text(v)));
        }
        if let Some(v) = address {
            fields.push(("address", text(v)));
        }
        self.write(ctx, "sửa thông tin đơn vị", |w| {
            w.update("unit", unit_id, &fields)
        })
    }

    /// Rename a unit, keeping the old name in its history.
    pub fn rename_unit(
        &mut self,
        ctx: &Ctx,
        unit_id: &str,
        new_name: &str,
        effective: Option<&str>,
        note: &str,
    ) -> Result<()> {
        let u = self.unit(unit_id)?;
        let new_name = nfc(new_name);
        if new_name.is_empty() {
            return Err(Refusal::Required.err("Tên mới không được để trống."));
        }
        if new_name == u.name {
            return Ok(());
        }
        self.write(ctx, "đổi tên đơn vị", |w| {
            let others: Vec<String> = {
                let mut st = w
                    .conn()
                    .prepare("SELECT name FROM unit WHERE deleted = 0 AND active = 1 AND id <> ?1")?;
                let v = st
                    .query_map([&u.id], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                v
            };
            if others.iter().any(|o| fold(o) == fold(&new_name)) {
                return Err(Refusal::Duplicate.err(format!("Đã có đơn vị «{new_name}».")));
            }
            w.update("unit", &u.id, &[("name", Value::Text(new_name.clone()))])?;
            let eid = w.new_id();
            w.insert(
                "unit_event",
                &eid,
                &[
                    ("unit_id", Value::Text(u.id.clone())),
                    ("event", Value::Text("rename".into())),
                    ("old_name", Value::Text(u.name.clone())),
                    ("new_name", Value::Text(new_name.clone())),
                    ("effective_date", date_value(effective)?),
                    ("note", text(note)),
                ],
            )?;
            Ok(())
        })
    }

    /// Merge units into a new one; the old ones stay (inactive) with their history and
    /// inspections, each pointing at its successor.
    pub fn merge_units(
        &mut self,
        ctx: &Ctx,
        unit_ids: &[String],
        new_name: &str,
        kind: UnitKind,
        effective: Option<&str>,
    ) -> Result<String> {
        let mut distinct = unit_ids.to_vec();
        distinct.sort();
        distinct.dedup();
        if distinct.len() < unit_ids.len() {
            return Err(Refusal::Duplicate.err("Một đơn vị được kể hai lần; hãy kể mỗi đơn vị sáp nhập một lần."));
        }
        if unit_ids.len() < 2 {
            return Err(Refusal::BadArgument.err("Cần ít nhất hai đơn vị để sáp nhập."));
        }
        let olds: Vec<Unit> = unit_ids.iter().map(|id| self.unit(id)).collect::<Result<_>>()?;
        if let Some(u) = olds.iter().find(|u| !u.active) {
            return Err(Refusal::UnitMerged.err(format!("Đơn vị «{}» đã được sáp nhập trước đó.", u.name)));
        }
        self.write(ctx, "sáp nhập đơn vị", |w| {
            // The new unit may keep the name of one of the old ones.
            for u in &olds {
                w.update("unit", &u.id, &[("active", Value::Integer(0))])?;
            }
            let new_id = insert_unit(w, None, kind, new_name, "", "")?;
            for u in &olds {
                w.update("unit", &u.id, &[("successor_id", Value::Text(new_id.clone()))])?;
                for (unit, event, related) in [(&u.id, "merged_into", &new_id), (&new_id, "formed_by_merge", &u.id)] {
                    let eid = w.new_id();
                    w.insert(
                        "unit_event",
                        &eid,
                        &[
                            ("unit_id", Value::Text(unit.clone())),
                            ("event", Value::Text(event.into())),
                            ("old_name", Value::Text(u.name.clone())),
                            ("new_name", text(new_name)),
                            ("related_unit_id", Value::Text(related.clone())),
                            ("effective_date", date_value(effective)?),
                        ],
                    )?;
                }
            }
            Ok(new_id)
        })
    }

    pub fn unit_history(&self, unit_id: &str) -> Result<Vec<UnitEvent>> {
        let mut st = self.conn.prepare(
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

    // ---- inspections ----------------------------------------------------------------

    /// Add a unit to a plan (an unannounced inspection when `unannounced`), on the
    /// current checklist of its kind.
    pub fn add_inspection(
        &mut self,
        ctx: &Ctx,
        plan_id: &str,
        unit_id: &str,
        unannounced: bool,
        start: Option<&str>,
        end: Option<&str>,
    ) -> Result<String> {
        self.plan(plan_id)?;
        let u = self.unit(unit_id)?;
        if !u.active {
            return Err(Refusal::UnitMerged.err(format!(
                "Đơn vị «{}» đã được sáp nhập; hãy kiểm tra đơn vị mới.",
                u.name
            )));
        }
        let dup: i64 = self.conn.query_row(
            "SELECT count(*) FROM inspection WHERE plan_id = ?1 AND unit_id = ?2 AND follows_id IS NULL AND deleted = 0",
            params![plan_id, unit_id],
            |r| r.get(0),
        )?;
        if dup > 0 {
            return Err(Refusal::Duplicate.err(format!("«{}» đã có trong kế hoạch kiểm tra.", u.name)));
        }
        let tpl = self.current_template_id(u.kind.template_kind())?;
        let (s, e) = (date_value(start)?, date_value(end)?);
        check_range(
            crate::store::value_text(&s).as_deref(),
            crate::store::value_text(&e).as_deref(),
            "Lịch kiểm tra",
        )?;
        self.write(ctx, "thêm đơn vị vào kế hoạch", |w| {
            insert_inspection(w, plan_id, unit_id, &tpl, (start, end), unannounced, None)
        })
    }

    /// A new unit added straight into a plan (an unannounced inspection, kiểm tra đột
    /// xuất, when `unannounced`): one action, one transaction.
    #[allow(clippy::too_many_arguments)]
    pub fn add_unit_to_plan(
        &mut self,
        ctx: &Ctx,
        plan_id: &str,
        kind: UnitKind,
        name: &str,
        unannounced: bool,
        start: Option<&str>,
        end: Option<&str>,
    ) -> Result<(String, String)> {
        self.plan(plan_id)?;
        let tpl = self.current_template_id(kind.template_kind())?;
        let (s, e) = (date_value(start)?, date_value(end)?);
        check_range(
            crate::store::value_text(&s).as_deref(),
            crate::store::value_text(&e).as_deref(),
            "Lịch kiểm tra",
        )?;
        self.write(ctx, "thêm đơn vị vào kế hoạch", |w| {
            let unit_id = insert_unit(w, None, kind, name, "", "")?;
            let insp = insert_inspection(w, plan_id, &unit_id, &tpl, (start, end), unannounced, None)?;
            Ok((unit_id, insp))
        })
    }

    /// A unit named by id or name fragment, and the inspection its commands work on.
    pub fn resolve_inspection(&self, query: &str) -> Result<(Unit, String)> {
        let u = self.resolve_unit(query)?;
        let id = self.inspection_for_unit(&u.id)?;
        Ok((u, id))
    }

    /// The inspection a unit's commands work on: its newest in the newest plan.
    pub fn inspection_for_unit(&self, unit_id: &str) -> Result<String> {
        self.conn
            .query_row(
                "SELECT s.id FROM inspection s JOIN plan p ON p.id = s.plan_id
                 WHERE s.unit_id = ?1 AND s.deleted = 0 AND p.deleted = 0
                 ORDER BY p.year DESC, s.follows_id IS NOT NULL DESC, s.rowid DESC LIMIT 1",
                [unit_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                let name = self.unit(unit_id).map(|u| u.name).unwrap_or_else(|_| unit_id.into());
                Refusal::NotFound.err(format!("«{name}» chưa có trong kế hoạch kiểm tra nào."))
            })
    }

    pub fn update_inspection(&mut self, ctx: &Ctx, inspection_id: &str, p: &InspectionPatch) -> Result<usize> {
        let row = self.inspection_row(inspection_id)?;
        let mut fields: Vec<(&str, Value)> = vec![];
        if let Some(s) = p.state {
            fields.push(("state", Value::Text(s.as_str().into())));
        }
        for (col, v) in [
            ("scheduled_start", &p.scheduled_start),
            ("scheduled_end", &p.scheduled_end),
            ("actual_start", &p.actual_start),
            ("actual_end", &p.actual_end),
        ] {
            if let Some(v) = v {
                fields.push((col, date_value(Some(v))?));
            }
        }
        let get = |col: &str, cur: &Option<String>| -> Option<String> {
            fields
                .iter()
                .find(|(c, _)| *c == col)
                .map(|(_, v)| crate::store::value_text(v))
                .unwrap_or_else(|| cur.clone())
        };
        check_range(
            get("scheduled_start", &row.scheduled_start).as_deref(),
            get("scheduled_end", &row.scheduled_end).as_deref(),
            "Lịch kiểm tra",
        )?;
        check_range(
            get("actual_start", &row.actual_start).as_deref(),
            get("actual_end", &row.actual_end).as_deref(),
            "Thời gian kiểm tra thực tế",
        )?;
        self.write(ctx, "sửa cuộc kiểm tra", |w| {
            w.update("inspection", inspection_id, &fields)
        })
    }

    pub(crate) fn inspection_rows(&self, filter: &str, arg: &str) -> Result<Vec<(InspectionRow, String)>> {
        let sql = format!(
            "SELECT s.id, s.unit_id, u.name, u.kind, s.scheduled_start, s.scheduled_end, s.actual_start, s.actual_end,
                    s.state, s.unannounced, s.follows_id, t.version, s.template_id
             FROM inspection s JOIN unit u ON u.id = s.unit_id JOIN template t ON t.id = s.template_id
             WHERE s.deleted = 0 AND {filter}
             ORDER BY CASE u.kind WHEN 'so' THEN 0 ELSE 1 END, coalesce(s.scheduled_start, '9999'), s.rowid"
        );
        let mut st = self.conn.prepare_cached(&sql)?;
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

    pub fn inspection_row(&self, inspection_id: &str) -> Result<InspectionRow> {
        let card = self.score_card(inspection_id)?.1;
        self.inspection_row_scored(inspection_id, &card)
    }

    /// The row of an inspection whose score card the caller already has.
    pub(crate) fn inspection_row_scored(
        &self,
        inspection_id: &str,
        card: &crate::domain::scoring::ScoreCard,
    ) -> Result<InspectionRow> {
        let (mut row, _) = self
            .inspection_rows("s.id = ?1", inspection_id)?
            .pop()
            .ok_or_else(|| Error::NotFound {
                what: "cuộc kiểm tra",
                key: inspection_id.into(),
            })?;
        row.scored_items = card.scored_items;
        row.scorable_items = card.scorable_items;
        row.score = card.total;
        row.applicable_max = card.applicable_max;
        row.percent = card.percent;
        Ok(row)
    }

    pub fn inspection_template_id(&self, inspection_id: &str) -> Result<String> {
        self.conn
            .query_row(
                "SELECT template_id FROM inspection WHERE id = ?1 AND deleted = 0",
                [inspection_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "cuộc kiểm tra",
                key: inspection_id.into(),
            })
    }

    /// The plan screen: the plan, its team, and every inspection with its state,
    /// checklist progress and score (computed from responses and figures in two queries),
    /// its conclusion deadline and its open and overdue recommendations as of `today`.
    pub fn plan_overview(&self, plan_id: &str, today: chrono::NaiveDate) -> Result<PlanOverview> {
        let plan = self.plan(plan_id)?;
        let team = self.team(plan_id)?;
        let rows = self.inspection_rows("s.plan_id = ?1", plan_id)?;
        let (responses, figures) = self.plan_inputs(plan_id)?;
        let dl = self.deadline_inputs(plan_id)?;
        let counts = self.recommendation_counts(plan_id, today)?;
        let empty_r = HashMap::new();
        let empty_f = HashMap::new();
        let mut inspections = Vec::with_capacity(rows.len());
        for (mut row, tpl) in rows {
            let t = self.template(&tpl)?;
            let card = crate::domain::scoring::score(
                &t,
                responses.get(&row.id).unwrap_or(&empty_r),
                figures.get(&row.id).unwrap_or(&empty_f),
            );
            row.scored_items = card.scored_items;
            row.scorable_items = card.scorable_items;
            row.score = card.total;
            row.applicable_max = card.applicable_max;
            row.percent = card.percent;
            row.deadline = dl.mark(&row, today);
            if let Some((open, overdue)) = counts.get(&row.id) {
                row.open_recommendations = *open;
                row.overdue_recommendations = *overdue;
            }
            inspections.push(row);
        }
        Ok(PlanOverview {
            plan,
            team,
            inspections,
            today: today.to_string(),
        })
    }

    #[allow(clippy::type_complexity)]
    fn plan_inputs(
        &self,
        plan_id: &str,
    ) -> Result<(
        HashMap<String, HashMap<String, Response>>,
        HashMap<String, HashMap<String, f64>>,
    )> {
        let mut responses: HashMap<String, HashMap<String, Response>> = HashMap::new();
        let mut st = self.conn.prepare_cached(
            "SELECT r.inspection_id, r.item_code, r.self_score, r.team_score, r.status
             FROM response r JOIN inspection s ON s.id = r.inspection_id
             WHERE s.plan_id = ?1 AND r.deleted = 0 AND s.deleted = 0",
        )?;
        let mut rows = st.query([plan_id])?;
        while let Some(r) = rows.next()? {
            responses.entry(r.get(0)?).or_default().insert(
                r.get(1)?,
                Response {
                    self_score: r.get(2)?,
                    team_score: r.get(3)?,
                    status: r.get(4)?,
                    note: String::new(),
                    self_note: String::new(),
                },
            );
        }
        let mut figures: HashMap<String, HashMap<String, f64>> = HashMap::new();
        let mut st = self.conn.prepare_cached(
            "SELECT f.inspection_id, f.key, f.value FROM figure f JOIN inspection s ON s.id = f.inspection_id
             WHERE s.plan_id = ?1 AND f.deleted = 0 AND s.deleted = 0",
        )?;
        let mut rows = st.query([plan_id])?;
        while let Some(r) = rows.next()? {
            figures.entry(r.get(0)?).or_default().insert(r.get(1)?, r.get(2)?);
        }
        Ok((responses, figures))
    }

    /// Rank the units of a plan by the share of the applicable points they earned, then
    /// by points; equal results share a rank (1, 2, 2, 4).
    pub fn ranking(&self, plan_id: &str) -> Result<Vec<RankRow>> {
        self.ranking_by(plan_id, None)
    }

    /// The areas of a plan's checklists (by code; the first template's title), in order.
    pub fn plan_areas(&self, plan_id: &str) -> Result<Vec<AreaTitle>> {
        let mut st = self.conn.prepare_cached(
            "SELECT DISTINCT template_id FROM inspection WHERE plan_id = ?1 AND deleted = 0 ORDER BY template_id",
        )?;
        let ids = st
            .query_map([plan_id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out: Vec<AreaTitle> = Vec::new();
        for id in ids {
            for a in &self.template(&id)?.areas {
                if !out.iter().any(|x| x.code == a.code) {
                    out.push(AreaTitle {
                        code: a.code.clone(),
                        title: a.title.clone(),
                    });
                }
            }
        }
        out.sort_by_key(|a| natural(&a.code));
        Ok(out)
    }

    /// Rank by the whole score (None) or by one area: the area's share of its applicable
    /// points, then its points. For an area, `total`, `applicable_max` and `percent` are
    /// the area's.
    pub fn ranking_by(&self, plan_id: &str, area: Option<&str>) -> Result<Vec<RankRow>> {
        if let Some(a) = area {
            if !self.plan_areas(plan_id)?.iter().any(|x| x.code == a) {
                return Err(Refusal::BadChoice.err(format!(
                    "Lĩnh vực «{a}» không có trong bộ tiêu chí của kế hoạch. Chọn một trong: {}.",
                    self.plan_areas(plan_id)?
                        .iter()
                        .map(|a| format!("{} ({})", a.code, a.title))
                        .collect::<Vec<_>>()
                        .join("; ")
                )));
            }
        }
        let rows = self.inspection_rows("s.plan_id = ?1 AND s.follows_id IS NULL", plan_id)?;
        let (responses, figures) = self.plan_inputs(plan_id)?;
        let (er, ef) = (HashMap::new(), HashMap::new());
        let mut out: Vec<RankRow> = Vec::new();
        for (row, tpl) in rows {
            let t = self.template(&tpl)?;
            let c = crate::domain::scoring::score(
                &t,
                responses.get(&row.id).unwrap_or(&er),
                figures.get(&row.id).unwrap_or(&ef),
            );
            let (total, max, scored, scorable) = match area {
                None => (c.total, c.applicable_max, c.scored_items, c.scorable_items),
                // The area's own counts, made by the function that makes the card's.
                Some(code) => match c.area(code) {
                    Some(a) => (a.score, a.applicable_max, a.scored_items, a.scorable_items),
                    None => (0.0, 0.0, 0, 0),
                },
            };
            out.push(RankRow {
                rank: None,
                inspection_id: row.id.clone(),
                unit_id: row.unit_id,
                unit_name: row.unit_name,
                unit_kind: row.unit_kind,
                total,
                applicable_max: max,
                percent: (max > 0.0).then(|| crate::domain::text::round_to(100.0 * total / max, 4)),
                areas: c.areas.iter().map(|a| (a.code.clone(), a.score)).collect(),
                scored_items: scored,
                scorable_items: scorable,
            });
        }
        let key = |r: &RankRow| (r.scored_items > 0, r.percent.unwrap_or(-1.0), r.total);
        out.sort_by(|a, b| {
            key(b)
                .partial_cmp(&key(a))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.unit_name.cmp(&b.unit_name))
        });
        for i in 0..out.len() {
            if out[i].scored_items == 0 {
                continue;
            }
            out[i].rank = if i > 0 && key(&out[i]) == key(&out[i - 1]) {
                out[i - 1].rank
            } else {
                Some(i + 1)
            };
        }
        Ok(out)
    }
}
