//! Plans, teams, units (with their renames and merges) and inspections; the sample plan.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::domain::model::*;
use crate::domain::text::{fold, matches_words, nfc, parse_date};
use crate::error::{Error, Refusal, Result};
use crate::store::{opt_text, stable_id, text, Ctx, Store, Value, W};

pub const SAMPLE_PLAN: &str = include_str!("../../../../assets/sample-plan-2026.toml");
/// The action loading the sample plan is logged as.
const SAMPLE_ACTION: &str = crate::store::origin::SAMPLE_ACTION;

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
    /// The code after "TB-" in the documents' numbers ("ĐKT", a Tổ's or the agency's own).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub symbol: Option<String>,
    /// The issuing body its documents' header names; empty: the team's own name.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub issuing_body: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub kind: Option<TeamKind>,
    /// How the team's documents are signed by default: "" (directly), "TM.", "KT.", "TL.",
    /// "TUQ.", "Q.".
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sign_authority: Option<String>,
    /// What the authority is exercised for ("TỔ KIỂM TRA", "CHÁNH THANH TRA").
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sign_on_behalf: Option<String>,
    /// The signer's title ("PHÓ CHÁNH THANH TRA"); empty: "TRƯỞNG ĐOÀN" or "TỔ TRƯỞNG".
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sign_title: Option<String>,
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

/// One unit the window's form adds to a plan («Thêm đơn vị đột xuất…»): dates typed the
/// Vietnamese way ("09/3/2026") or ISO, empty when not scheduled yet.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Deserialize)]
pub struct NewUnit {
    pub kind: UnitKind,
    pub name: String,
    pub head_name: String,
    pub head_title: String,
    pub unannounced: bool,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// A plan a user creates (`kiemtra plan new`, the window's form): the plan, its team, and
/// optionally the earlier plan it starts from. Dates are typed the Vietnamese way
/// ("09/3/2020") or ISO; empty texts are "not given".
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewPlan {
    pub title: String,
    pub year: i32,
    /// The body issuing the plan: "Thanh tra tỉnh Cao Bằng", "Ủy ban nhân dân tỉnh Cao Bằng".
    pub issuing_body: String,
    /// The body above it ("UBND tỉnh Cao Bằng" above Thanh tra tỉnh); may be empty.
    #[serde(default)]
    pub parent_body: String,
    /// "22/KH-TTr" (the symbol after the slash), or "22" with `symbol`.
    #[serde(default)]
    pub number: String,
    /// The plan's symbol ("KH-TTr"); when empty, taken from `number` or "KH".
    #[serde(default)]
    pub symbol: String,
    #[serde(default)]
    pub date: String,
    /// The place name of the documents' date line ("Cao Bằng"); when empty, the province
    /// named in the issuing body or its parent.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub legal_bases: Vec<String>,
    #[serde(default)]
    pub period_start: String,
    #[serde(default)]
    pub period_end: String,
    #[serde(default)]
    pub signer_name: String,
    #[serde(default)]
    pub signer_title: String,
    /// The team's name; when empty, "Đoàn kiểm tra …" or "Tổ kiểm tra …" after the plan.
    #[serde(default)]
    pub team_name: String,
    #[serde(default)]
    pub team_kind: Option<TeamKind>,
    /// The code after "TB-" in the documents' numbers; when empty, "ĐKT" for a Đoàn and
    /// "TKT" for a Tổ.
    #[serde(default)]
    pub team_symbol: String,
    /// Whose header and seal the team's documents carry; when empty, the plan's issuing
    /// body for a Tổ, the team's own name for a Đoàn.
    #[serde(default)]
    pub team_issuing_body: String,
    #[serde(default)]
    pub standing_agency: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub decision_date: String,
    #[serde(default)]
    pub decision_signer: String,
    #[serde(default)]
    pub decision_signer_title: String,
    /// The id of an earlier plan to copy the units, the team and the checklist versions from,
    /// carrying its open recommendations into the new plan's follow-up.
    #[serde(default)]
    pub from_plan: Option<String>,
}

/// What `create_plan` made.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct CreatedPlan {
    pub plan_id: String,
    pub team_id: String,
    /// Units copied from the earlier plan.
    pub units: usize,
    /// Members copied from the earlier plan's team.
    pub members: usize,
    /// Open recommendations of the earlier plan now followed up in the new one.
    pub carried: usize,
}

/// The province named in a body's name: "Thanh tra tỉnh Cao Bằng" → "Cao Bằng".
fn place_in(body: &str) -> Option<String> {
    let lower = body.to_lowercase();
    ["thành phố ", "tỉnh "]
        .iter()
        .filter_map(|k| lower.rfind(k).map(|i| (i, k.len())))
        .max()
        .map(|(i, n)| body[i + n..].trim().to_string())
        .filter(|p| !p.is_empty() && p.chars().next().is_some_and(char::is_uppercase))
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
    let exists: Vec<String> = crate::store::plan::active_unit_names(w)?;
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
    if crate::store::plan::inspection_recorded(w, &id)? == Some(true) {
        // Taken out of the plan earlier and added again: the same record comes back.
        w.update(
            "inspection",
            &id,
            &[
                ("deleted", Value::Integer(0)),
                ("template_id", Value::Text(template_id.into())),
                ("scheduled_start", date_value(scheduled.0)?),
                ("scheduled_end", date_value(scheduled.1)?),
                ("unannounced", Value::Integer(unannounced as i64)),
            ],
        )?;
        return Ok(id);
    }
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

/// Lines of unit names ("name" or "name;kind"), each with its line number: a bad line is
/// refused naming it.
/// One unit of a list added at once, with where it was in the list ("Dòng 3").
struct Listed {
    /// Where the unit was listed ("Dòng 3"), said before a refusal; empty for one unit.
    at: String,
    name: String,
    unannounced: bool,
    kind: UnitKind,
    head_name: String,
    head_title: String,
    start: Option<String>,
    end: Option<String>,
}

fn parse_unit_lines(text: &str, default: Option<UnitKind>) -> Result<Vec<(usize, String, UnitKind)>> {
    let mut out: Vec<(usize, String, UnitKind)> = vec![];
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let t = raw.trim().trim_start_matches('\u{feff}');
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let (name, kind) = match t.rsplit_once(';') {
            Some((n, k)) => (nfc(n), Some(k.trim())),
            None => (nfc(t), None),
        };
        if name.is_empty() {
            return Err(Refusal::Required.err(format!("Dòng {line}: thiếu tên đơn vị. Không đơn vị nào được thêm.")));
        }
        let kind = match kind {
            Some(k) if !k.is_empty() => UnitKind::parse(k).ok_or_else(|| {
                Refusal::BadChoice.err(format!(
                    "Dòng {line}: loại đơn vị «{k}» không hợp lệ. Chọn một trong: {}. Không đơn vị nào được thêm.",
                    UnitKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
                ))
            })?,
            _ => default.ok_or_else(|| {
                Refusal::Required.err(format!(
                    "Dòng {line}: «{name}» chưa có loại đơn vị: ghi «{name};phong» (so, xa, phuong, phong, ban, don_vi) hoặc dùng --kind. Không đơn vị nào được thêm."
                ))
            })?,
        };
        if let Some((first, _, _)) = out.iter().find(|(_, n, _)| fold(n) == fold(&name)) {
            return Err(Refusal::Duplicate.err(format!(
                "Dòng {line}: «{name}» đã có ở dòng {first}. Không đơn vị nào được thêm."
            )));
        }
        out.push((line, name, kind));
    }
    Ok(out)
}

/// The checklist a new inspection of a unit of `kind` takes: its kind's current version
/// (the agency checklist is installed the first time a plan takes a phòng, ban or đơn vị;
/// that action is then one undo does not go past).
fn template_for(w: &mut W<'_>, kind: UnitKind) -> Result<String> {
    let (id, installed) = crate::store::templates::template_for_kind(w, kind.template_kind())?;
    if installed {
        w.barrier = true;
    }
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
        if crate::store::plan::plan_recorded(&self.conn, &plan_id)? {
            return Ok((plan_id, false));
        }
        let so = self.current_template_id(TemplateKind::So)?;
        let xa = self.current_template_id(TemplateKind::Xa)?;
        let id = self.write(ctx, SAMPLE_ACTION, |w| {
            w.barrier = true;
            // Shipped data: every laptop writes the same version of it (store/origin.rs),
            // so the laptop that starts later does not compete with the edits it receives.
            w.origin.set(true);
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
                let existing: Option<String> = crate::store::plan::active_unit_named(w, &nfc(&u.name))?;
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
        crate::store::plan::plans(&self.conn)
    }

    /// The plan commands work on: the one this session chose ([`Store::choose_plan`],
    /// `--plan`), else the one in use on this laptop ([`Store::use_plan`]), else the newest
    /// year's (the first made, if a year has several).
    pub fn current_plan(&self) -> Result<Plan> {
        if let Some(id) = &self.chosen_plan {
            return self.plan(id);
        }
        if let Some(id) = crate::store::meta::get(&self.conn, crate::store::meta::PLAN_IN_USE)? {
            return crate::store::plan::plan(&self.conn, &id)?.ok_or_else(|| {
                Refusal::NotFound.err(format!(
                    "Kế hoạch đang dùng trên máy này (mã {id}) không còn. Hãy chọn kế hoạch khác: «kiemtra plan list», rồi «kiemtra plan use KẾ_HOẠCH»."
                ))
            });
        }
        self.plans()?.into_iter().next().ok_or(Error::NotFound {
            what: "kế hoạch kiểm tra",
            key: "(chưa có; chạy «kiemtra plan new …» để lập kế hoạch, hoặc «kiemtra plan load-sample» để nạp kế hoạch mẫu 2026)".into(),
        })
    }

    /// The window's welcome: the only plan is the sample loaded at the first start, no plan
    /// was chosen on this laptop yet, and nothing was changed here since it was loaded.
    pub fn sample_untouched(&self) -> Result<bool> {
        let f: SampleFile = toml::from_str(SAMPLE_PLAN).expect("the embedded sample plan is valid");
        let sample = stable_id(&["sample-plan", &f.plan.year.to_string()]);
        let plans = self.plans()?;
        if plans.len() != 1 || plans[0].id != sample || self.plan_in_use()?.is_some() {
            return Ok(false);
        }
        Ok(
            match crate::store::audit::newest_not_undone(&self.conn, self.device_id(), i64::MAX)? {
                None => true,
                Some(a) => a.action == SAMPLE_ACTION,
            },
        )
    }

    /// The id of the plan in use on this laptop, if one was chosen (`kiemtra plan use`).
    pub fn plan_in_use(&self) -> Result<Option<String>> {
        crate::store::meta::get(&self.conn, crate::store::meta::PLAN_IN_USE)
    }

    /// Find a plan by its id, its year ("2020") or a fragment of its title that ignores case
    /// and diacritics ("thanh tra"); an ambiguous name lists the candidates.
    pub fn resolve_plan(&self, query: &str) -> Result<Plan> {
        let q = query.trim();
        if q.is_empty() {
            return Err(Refusal::Required.err("Hãy gõ mã, năm hoặc một phần tên kế hoạch."));
        }
        let all = self.plans()?;
        if let Some(p) = all.iter().find(|p| p.id == q) {
            return Ok(p.clone());
        }
        let pool: Vec<&Plan> = match q.parse::<i32>() {
            Ok(year) if q.len() == 4 => all.iter().filter(|p| p.year == year).collect(),
            _ => {
                let by_id: Vec<&Plan> = all.iter().filter(|p| q.len() >= 4 && p.id.starts_with(q)).collect();
                if by_id.is_empty() {
                    all.iter()
                        .filter(|p| matches_words(q, &p.title) || fold(&p.title).contains(&fold(q)))
                        .collect()
                } else {
                    by_id
                }
            }
        };
        match pool.as_slice() {
            [p] => Ok((*p).clone()),
            [] => Err(Error::NotFound {
                what: "kế hoạch",
                key: format!("{q} (xem «kiemtra plan list»)"),
            }),
            many => Err(Error::Ambiguous {
                query: q.into(),
                candidates: many
                    .iter()
                    .map(|p| format!("{} ({}, mã {})", p.title, p.year, &p.id[..8.min(p.id.len())]))
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        }
    }

    /// Work on this plan for the rest of this session (the CLI's `--plan`), without changing
    /// the plan in use on this laptop.
    pub fn choose_plan(&mut self, query: &str) -> Result<Plan> {
        let p = self.resolve_plan(query)?;
        self.chosen_plan = Some(p.id.clone());
        Ok(p)
    }

    /// Close a plan (read-only: still printed and searched; every change to it is refused
    /// with `plan_closed`) or reopen it. The state travels in exchange files. Returns whether
    /// it changed.
    pub fn close_plan(&mut self, ctx: &Ctx, plan_id: &str, closed: bool) -> Result<bool> {
        self.plan(plan_id)?;
        let label = if closed {
            "đóng kế hoạch"
        } else {
            "mở lại kế hoạch"
        };
        let n = self.write(ctx, label, |w| {
            w.update("plan", plan_id, &[("closed", Value::Integer(closed as i64))])
        })?;
        Ok(n > 0)
    }

    /// Make a plan the one in use on this laptop (a setting of this laptop, like unit mode:
    /// neither logged nor exchanged).
    pub fn use_plan(&mut self, query: &str) -> Result<Plan> {
        let p = self.resolve_plan(query)?;
        crate::store::meta::set(&self.conn, crate::store::meta::PLAN_IN_USE, &p.id)?;
        self.chosen_plan = None;
        Ok(p)
    }

    /// Create a plan with its team (one action). With `from_plan`, the earlier plan's units
    /// (each on the checklist version it was inspected on), its team's members and its open
    /// recommendations (into the follow-up of the unit's new inspection, pointing at their
    /// origin) come along. Refused: an empty title or issuing body, a year outside
    /// 2000–2100, a date that does not parse, a period or a decision out of order, a
    /// number the same issuing body already gave a plan that year.
    pub fn create_plan(&mut self, ctx: &Ctx, n: &NewPlan) -> Result<CreatedPlan> {
        let title = nfc(&n.title);
        if title.is_empty() {
            return Err(Refusal::Required.err("Tên kế hoạch không được để trống (--title)."));
        }
        let issuing_body = nfc(&n.issuing_body);
        if issuing_body.is_empty() {
            return Err(Refusal::Required
                .err("Hãy cho biết cơ quan ban hành kế hoạch (--issuing-body), ví dụ «Thanh tra tỉnh Cao Bằng»."));
        }
        if !(2000..=2100).contains(&n.year) {
            return Err(Refusal::BadNumber.err(format!(
                "Năm kế hoạch «{}» không hợp lệ: hãy ghi năm từ 2000 đến 2100.",
                n.year
            )));
        }
        let parent_body = nfc(&n.parent_body);
        let number = nfc(&n.number);
        let symbol = match (nfc(&n.symbol), number.split_once('/')) {
            (s, _) if !s.is_empty() => s,
            (_, Some((_, s))) if !s.trim().is_empty() => s.trim().to_string(),
            _ => "KH".to_string(),
        };
        let date = date_value(Some(&n.date))?;
        let (ps, pe) = (date_value(Some(&n.period_start))?, date_value(Some(&n.period_end))?);
        check_range(
            crate::store::value_text(&ps).as_deref(),
            crate::store::value_text(&pe).as_deref(),
            "Thời gian thực hiện kế hoạch",
        )?;
        let decision_date = date_value(Some(&n.decision_date))?;
        let place = match nfc(&n.place) {
            p if !p.is_empty() => p,
            _ => place_in(&issuing_body).or_else(|| place_in(&parent_body)).ok_or_else(|| {
                Refusal::Required.err(format!(
                    "Không đọc được địa danh từ «{issuing_body}»: hãy ghi địa danh của dòng ngày tháng (--place), ví dụ «Cao Bằng»."
                ))
            })?,
        };
        let from = match &n.from_plan {
            Some(q) => Some(self.resolve_plan(q)?),
            None => None,
        };
        let from_team = match &from {
            Some(p) => self.team(&p.id)?,
            None => None,
        };
        let kind = n
            .team_kind
            .or(from_team.as_ref().map(|t| t.kind))
            .unwrap_or(TeamKind::Doan);
        let pick = |typed: &str, earlier: Option<&str>, default: String| -> String {
            match nfc(typed) {
                t if !t.is_empty() => t,
                _ => earlier.filter(|e| !e.is_empty()).map(str::to_string).unwrap_or(default),
            }
        };
        let team_name = pick(
            &n.team_name,
            None,
            format!(
                "{} {}",
                match kind {
                    TeamKind::Doan => "Đoàn kiểm tra",
                    TeamKind::To => "Tổ kiểm tra",
                },
                // "Kế hoạch kiểm tra công tác … năm 2020" → "Tổ kiểm tra công tác … năm 2020".
                title
                    .strip_prefix("Kế hoạch kiểm tra ")
                    .or_else(|| title.strip_prefix("Kế hoạch "))
                    .map(str::to_string)
                    .unwrap_or_else(|| title.clone())
            ),
        );
        let team_symbol = pick(
            &n.team_symbol,
            from_team.as_ref().map(|t| t.symbol.as_str()),
            match kind {
                TeamKind::Doan => "ĐKT".into(),
                TeamKind::To => "TKT".into(),
            },
        );
        // A Đoàn's header is the body above it and its own name; a Tổ formed inside an
        // agency uses the agency's header (and seal).
        let (team_parent, team_issuing) = match kind {
            TeamKind::Doan => (issuing_body.clone(), String::new()),
            TeamKind::To => (parent_body.clone(), issuing_body.clone()),
        };
        let team_issuing = match nfc(&n.team_issuing_body) {
            t if !t.is_empty() => t,
            _ => team_issuing,
        };
        let standing = pick(
            &n.standing_agency,
            from_team.as_ref().map(|t| t.standing_agency.as_str()),
            String::new(),
        );
        let mut copies: Vec<crate::store::plan::FirstVisit> = vec![];
        let mut carried: Vec<(String, Recommendation)> = vec![];
        if let Some(p) = &from {
            copies = crate::store::plan::plan_first_visits(&self.conn, &p.id)?;
            carried = crate::store::plan::plan_open_recommendations(&self.conn, &p.id)?;
        }
        // A unit merged away since is inspected (and followed up) as its successor.
        let mut successor: HashMap<String, String> = HashMap::new();
        for u in self.units(true)? {
            if let (false, Some(s)) = (u.active, &u.successor_id) {
                successor.insert(u.id.clone(), s.clone());
            }
        }
        let live = |mut id: String| -> String {
            let mut hops = 0;
            while let Some(next) = successor.get(&id) {
                id = next.clone();
                hops += 1;
                if hops > 64 {
                    break;
                }
            }
            id
        };
        let members = from_team.as_ref().map(|t| t.members.clone()).unwrap_or_default();
        let bases: Vec<String> = n.legal_bases.iter().map(|b| nfc(b)).filter(|b| !b.is_empty()).collect();
        let bases = if bases.is_empty() {
            from.as_ref().map(|p| p.legal_bases.clone()).unwrap_or_default()
        } else {
            bases
        };
        self.write(ctx, "lập kế hoạch kiểm tra", |w| {
            if !number.is_empty() {
                let taken = crate::store::plan::plans_numbered(w, &issuing_body, n.year, &number)?;
                if let Some(t) = taken.first() {
                    return Err(Refusal::Duplicate.err(format!(
                        "{issuing_body} đã có kế hoạch số {number} năm {} («{t}»). Hãy kiểm tra lại số kế hoạch.",
                        n.year
                    )));
                }
            }
            let plan_id = w.new_id();
            w.insert(
                "plan",
                &plan_id,
                &[
                    ("number", text(&number)),
                    ("symbol", text(&symbol)),
                    ("date", date.clone()),
                    ("year", Value::Integer(n.year as i64)),
                    ("title", text(&title)),
                    ("issuing_body", text(&issuing_body)),
                    ("parent_body", text(&parent_body)),
                    ("place", text(&place)),
                    (
                        "legal_bases",
                        Value::Text(serde_json::to_string(&bases).expect("strings serialise")),
                    ),
                    ("period_start", ps.clone()),
                    ("period_end", pe.clone()),
                    ("signer_name", text(&n.signer_name)),
                    ("signer_title", text(&n.signer_title)),
                ],
            )?;
            let team_id = stable_id(&[&plan_id, "team"]);
            w.insert(
                "team",
                &team_id,
                &[
                    ("plan_id", Value::Text(plan_id.clone())),
                    ("name", text(&team_name)),
                    ("symbol", text(&team_symbol)),
                    ("parent_body", text(&team_parent)),
                    ("standing_agency", text(&standing)),
                    ("decision_number", text(&n.decision_number)),
                    ("decision_date", decision_date.clone()),
                    ("decision_signer", text(&n.decision_signer)),
                    ("decision_signer_title", text(&n.decision_signer_title)),
                    ("kind", Value::Text(kind.as_str().into())),
                    ("issuing_body", text(&team_issuing)),
                ],
            )?;
            for (i, m) in members.iter().enumerate() {
                let mid = stable_id(&[&team_id, "member", &i.to_string()]);
                w.insert(
                    "team_member",
                    &mid,
                    &[
                        ("team_id", Value::Text(team_id.clone())),
                        ("name", text(&m.name)),
                        ("role", Value::Text(m.role.as_str().into())),
                        ("agency", text(&m.agency)),
                        ("title", text(&m.title)),
                        ("position", Value::Integer(i as i64)),
                    ],
                )?;
            }
            let mut inspections: HashMap<String, String> = HashMap::new();
            for v in &copies {
                let unit = live(v.unit_id.clone());
                if inspections.contains_key(&unit) {
                    continue;
                }
                // The same checklist version, unless the unit was merged into one of
                // another kind since.
                let tpl = if unit == v.unit_id {
                    v.template_id.clone()
                } else {
                    let kind = crate::store::plan::unit_kind_in(w, &unit)?;
                    template_for(w, kind)?
                };
                let id = insert_inspection(w, &plan_id, &unit, &tpl, (None, None), false, None)?;
                inspections.insert(unit, id);
            }
            let mut numbers: HashMap<String, i64> = HashMap::new();
            for (unit, r) in &carried {
                let unit = live(unit.clone());
                let insp = match inspections.get(&unit) {
                    Some(i) => i.clone(),
                    None => {
                        let kind = crate::store::plan::unit_kind_in(w, &unit)?;
                        let tpl = template_for(w, kind)?;
                        let id = insert_inspection(w, &plan_id, &unit, &tpl, (None, None), false, None)?;
                        inspections.insert(unit.clone(), id.clone());
                        id
                    }
                };
                let number = numbers.entry(insp.clone()).or_insert(0);
                *number += 1;
                let rid = stable_id(&["carried", &insp, &r.id]);
                w.insert(
                    "recommendation",
                    &rid,
                    &[
                        ("inspection_id", Value::Text(insp.clone())),
                        ("area_code", r.area_code.clone().map(Value::Text).unwrap_or(Value::Null)),
                        ("number", Value::Integer(*number)),
                        ("text", Value::Text(r.text.clone())),
                        ("owner", Value::Text(r.owner.clone())),
                        ("deadline", r.deadline.clone().map(Value::Text).unwrap_or(Value::Null)),
                        ("state", Value::Text(r.state.as_str().into())),
                        ("origin_id", Value::Text(r.id.clone())),
                    ],
                )?;
            }
            Ok(CreatedPlan {
                plan_id,
                team_id,
                units: inspections.len(),
                members: members.len(),
                carried: carried.len(),
            })
        })
    }

    pub fn plan(&self, id: &str) -> Result<Plan> {
        crate::store::plan::plan(&self.conn, id)?.ok_or_else(|| Error::NotFound {
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
        crate::store::plan::team(&self.conn, plan_id)
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
        if let Some(v) = &p.symbol {
            if v.trim().is_empty() {
                return Err(Refusal::Required
                    .err("Ký hiệu văn bản của đoàn không được để trống (ví dụ «ĐKT»: số văn bản là «05/TB-ĐKT»)."));
            }
            fields.push(("symbol", text(v)));
        }
        if let Some(v) = &p.issuing_body {
            fields.push(("issuing_body", text(v)));
        }
        if let Some(k) = p.kind {
            fields.push(("kind", Value::Text(k.as_str().into())));
        }
        let upper = |v: &str| nfc(v).to_uppercase();
        if let Some(v) = &p.sign_authority {
            let a = crate::app::document::normalise_authority(v)?;
            fields.push(("sign_authority", Value::Text(a)));
        }
        if let Some(v) = &p.sign_on_behalf {
            fields.push(("sign_on_behalf", Value::Text(upper(v))));
        }
        if let Some(v) = &p.sign_title {
            fields.push(("sign_title", Value::Text(upper(v))));
        }
        let team = self.team(plan_id)?;
        self.write(ctx, "sửa đoàn kiểm tra", |w| {
            w.update("team", &team_id, &fields)?;
            // TM. and KT. stand for someone: what for must be said.
            if let Some(t) = &team {
                let now = |f: &str, old: &str| {
                    fields
                        .iter()
                        .find(|(c, _)| *c == f)
                        .map(|(_, v)| crate::store::value_text(v).unwrap_or_default())
                        .unwrap_or_else(|| old.to_string())
                };
                let a = now("sign_authority", &t.sign_authority);
                if !a.is_empty() && now("sign_on_behalf", &t.sign_on_behalf).trim().is_empty() {
                    return Err(Refusal::Required.err(format!(
                        "Ký «{a}» cần ghi thay mặt, thay cho ai (ví dụ «TM. TỔ KIỂM TRA», «KT. CHÁNH THANH TRA»)."
                    )));
                }
            }
            Ok(fields.len())
        })
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
            let (leaders, count): (i64, i64) = crate::store::plan::member_counts(w, &team_id)?;
            if role == MemberRole::TruongDoan && leaders > 0 {
                return Err(Refusal::Duplicate
                    .err("Đoàn đã có trưởng đoàn; hãy đổi vai trò của người cũ trước khi thêm trưởng đoàn mới."));
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

    /// The units a plan inspects, departments first.
    pub fn plan_units(&self, plan_id: &str) -> Result<Vec<Unit>> {
        crate::store::plan::plan_units(&self.conn, plan_id)
    }

    pub fn units(&self, include_inactive: bool) -> Result<Vec<Unit>> {
        crate::store::plan::units(&self.conn, include_inactive)
    }

    pub fn unit(&self, id: &str) -> Result<Unit> {
        crate::store::plan::unit(&self.conn, id)?.ok_or_else(|| Error::NotFound {
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
        resolve_among(self.units(true)?, q)
    }

    /// A unit of the plan in use ([`Store::current_plan`]) named by id or name fragment, as
    /// [`Store::resolve_unit`] finds one; a unit of no plan, or only of other plans, is
    /// refused saying so.
    pub fn resolve_plan_unit(&self, query: &str) -> Result<(Plan, Unit)> {
        let plan = self.current_plan()?;
        let q = query.trim();
        let pool = crate::store::plan::plan_units(&self.conn, &plan.id)?;
        if let Some(u) = pool.iter().find(|u| u.id == q) {
            return Ok((plan, u.clone()));
        }
        match resolve_among(pool, q) {
            Ok(u) => Ok((plan, u)),
            Err(Error::NotFound { .. }) => {
                let u = self.resolve_unit(q)?;
                match crate::store::plan::inspection_for_unit(&self.conn, &u.id)? {
                    None => Err(Refusal::NotFound.err(format!("«{}» chưa có trong kế hoạch kiểm tra nào.", u.name))),
                    Some(_) => Err(Refusal::NotFound.err(format!(
                        "«{}» không có trong kế hoạch «{}» ({}). Chọn kế hoạch khác với --plan hoặc «kiemtra plan use».",
                        u.name, plan.title, plan.year
                    ))),
                }
            }
            Err(e) => Err(e),
        }
    }
}

/// The unit of `all` a query names: an exact name (with or without its kind word) wins,
/// else every typed word must begin a word of the name; active units win over merged ones.
fn resolve_among(all: Vec<Unit>, q: &str) -> Result<Unit> {
    {
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
}

impl Store {
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
            let others: Vec<String> = crate::store::plan::other_active_unit_names(w, &u.id)?;
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
        crate::store::plan::unit_history(&self.conn, unit_id)
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
        let dup: i64 = crate::store::plan::first_visits(&self.conn, plan_id, unit_id)?;
        if dup > 0 {
            return Err(Refusal::Duplicate.err(format!("«{}» đã có trong kế hoạch kiểm tra.", u.name)));
        }
        let (s, e) = (date_value(start)?, date_value(end)?);
        check_range(
            crate::store::value_text(&s).as_deref(),
            crate::store::value_text(&e).as_deref(),
            "Lịch kiểm tra",
        )?;
        self.write(ctx, "thêm đơn vị vào kế hoạch", |w| {
            let tpl = template_for(w, u.kind)?;
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
        let plan = self.plan(plan_id)?;
        let (s, e) = (date_value(start)?, date_value(end)?);
        check_range(
            crate::store::value_text(&s).as_deref(),
            crate::store::value_text(&e).as_deref(),
            "Lịch kiểm tra",
        )?;
        self.write(ctx, "thêm đơn vị vào kế hoạch", |w| {
            let tpl = template_for(w, kind)?;
            // A unit another plan already inspects is the same unit (its history goes on).
            let unit_id = match crate::store::plan::active_unit_named(w, &nfc(name))? {
                Some(id) if crate::store::plan::unit_kind_in(w, &id)? == kind => {
                    if crate::store::plan::inspection_recorded(w, &stable_id(&["inspection", plan_id, &id]))?
                        == Some(false)
                    {
                        return Err(Refusal::Duplicate.err(format!(
                            "Đã có đơn vị «{}» trong kế hoạch «{}».",
                            nfc(name),
                            plan.title
                        )));
                    }
                    id
                }
                _ => insert_unit(w, None, kind, name, "", "")?,
            };
            let insp = insert_inspection(w, plan_id, &unit_id, &tpl, (start, end), unannounced, None)?;
            Ok((unit_id, insp))
        })
    }

    /// One unit added to a plan from the window's form: its kind, name, head and head's
    /// title, schedule, and whether the visit is unannounced (kiểm tra đột xuất). A unit of
    /// that name and kind another plan inspects is the same unit (what the form says of its
    /// head is the newer word). One action, one transaction; a refusal adds nothing.
    pub fn add_new_unit_to_plan(&mut self, ctx: &Ctx, plan_id: &str, u: &NewUnit) -> Result<(String, String)> {
        let (s, e) = (date_value(u.start.as_deref())?, date_value(u.end.as_deref())?);
        check_range(
            crate::store::value_text(&s).as_deref(),
            crate::store::value_text(&e).as_deref(),
            "Lịch kiểm tra",
        )?;
        let listed = vec![Listed {
            at: String::new(),
            name: nfc(&u.name),
            unannounced: u.unannounced,
            kind: u.kind,
            head_name: nfc(u.head_name.trim()),
            head_title: nfc(u.head_title.trim()),
            start: crate::store::value_text(&s),
            end: crate::store::value_text(&e),
        }];
        Ok(self.add_listed_units(ctx, plan_id, listed)?.remove(0))
    }

    /// Units typed or pasted one per line ("Phòng Tổ chức cán bộ;phong"; the kind after a
    /// semicolon, else `kind`), added to a plan in one action: a bad line (an unknown kind,
    /// no kind at all, a name twice, a unit already in the plan) refuses the whole list,
    /// naming its line, and nothing is added. Blank lines and lines starting with # are
    /// skipped. Returns each unit's and inspection's ids.
    pub fn add_units_from_lines(
        &mut self,
        ctx: &Ctx,
        plan_id: &str,
        lines: &str,
        kind: Option<UnitKind>,
    ) -> Result<Vec<(String, String)>> {
        let parsed = parse_unit_lines(lines, kind)?;
        if parsed.is_empty() {
            return Err(Refusal::Required.err("Danh sách không có đơn vị nào (mỗi dòng một tên đơn vị)."));
        }
        let listed = parsed
            .into_iter()
            .map(|(line, name, kind)| Listed {
                at: format!("Dòng {line}"),
                name,
                unannounced: false,
                kind,
                head_name: String::new(),
                head_title: String::new(),
                start: None,
                end: None,
            })
            .collect();
        self.add_listed_units(ctx, plan_id, listed)
    }

    /// Units read from an .xlsx workbook (see [`crate::format::unit_sheet`]: a header row,
    /// then name, kind, head and title, schedule), added to a plan in one action. A bad row
    /// (in the file, or a unit the plan has already) refuses the whole list naming its row
    /// and column; nothing is added.
    pub fn add_units_from_xlsx(&mut self, ctx: &Ctx, plan_id: &str, path: &Path) -> Result<Vec<(String, String)>> {
        use crate::format::unit_sheet;
        let bytes = crate::store::files::read_bounded(path, unit_sheet::MAX_FILE_BYTES, "một danh sách đơn vị")?;
        let rows = unit_sheet::read_unit_sheet(&bytes)?;
        let iso = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        let listed = rows
            .into_iter()
            .map(|u| Listed {
                at: u.name_at,
                name: u.name,
                unannounced: false,
                kind: u.kind,
                head_name: u.head_name,
                head_title: u.head_title,
                start: iso(u.start),
                end: iso(u.end),
            })
            .collect();
        self.add_listed_units(ctx, plan_id, listed)
    }

    fn add_listed_units(&mut self, ctx: &Ctx, plan_id: &str, listed: Vec<Listed>) -> Result<Vec<(String, String)>> {
        let plan = self.plan(plan_id)?;
        self.write(ctx, "thêm đơn vị vào kế hoạch", |w| {
            let mut out = vec![];
            for u in &listed {
                let tpl = template_for(w, u.kind)?;
                let at = |e: Error| match e {
                    Error::Refused { kind, message } if !u.at.is_empty() => Error::Refused {
                        kind,
                        message: format!("{}: {message} Không đơn vị nào được thêm.", u.at),
                    },
                    e => e,
                };
                let unit_id = match crate::store::plan::active_unit_named(w, &u.name)? {
                    Some(id) if crate::store::plan::unit_kind_in(w, &id)? == u.kind => {
                        if crate::store::plan::inspection_recorded(w, &stable_id(&["inspection", plan_id, &id]))?
                            == Some(false)
                        {
                            let dup = format!("ã có đơn vị «{}» trong kế hoạch «{}».", u.name, plan.title);
                            let first = if u.at.is_empty() { "Đ" } else { "đ" };
                            return Err(at(Refusal::Duplicate.err(format!("{first}{dup}"))));
                        }
                        // The same unit another plan inspects: what the list says of its head
                        // is the newer word.
                        let mut fields = vec![];
                        if !u.head_name.is_empty() {
                            fields.push(("head_name", text(&u.head_name)));
                        }
                        if !u.head_title.is_empty() {
                            fields.push(("head_title", text(&u.head_title)));
                        }
                        w.update("unit", &id, &fields)?;
                        id
                    }
                    _ => {
                        let id = insert_unit(w, None, u.kind, &u.name, &u.head_title, "").map_err(at)?;
                        if !u.head_name.is_empty() {
                            w.update("unit", &id, &[("head_name", text(&u.head_name))])?;
                        }
                        id
                    }
                };
                let insp = insert_inspection(
                    w,
                    plan_id,
                    &unit_id,
                    &tpl,
                    (u.start.as_deref(), u.end.as_deref()),
                    u.unannounced,
                    None,
                )
                .map_err(at)?;
                out.push((unit_id, insp));
            }
            Ok(out)
        })
    }

    /// A unit named by id or name fragment, and the inspection its commands work on.
    /// Among the units of the plan in use ([`Store::current_plan`]).
    pub fn resolve_inspection(&self, query: &str) -> Result<(Unit, String)> {
        let (plan, u) = self.resolve_plan_unit(query)?;
        let id = crate::store::plan::inspection_in_plan(&self.conn, &plan.id, &u.id)?
            .expect("a unit of the plan has an inspection in it");
        Ok((u, id))
    }

    /// The inspection a unit's commands work on: its newest in the plan in use, else (a unit
    /// no longer in that plan) its newest in the newest plan.
    pub fn inspection_for_unit(&self, unit_id: &str) -> Result<String> {
        if let Ok(plan) = self.current_plan() {
            if let Some(id) = crate::store::plan::inspection_in_plan(&self.conn, &plan.id, unit_id)? {
                return Ok(id);
            }
        }
        crate::store::plan::inspection_for_unit(&self.conn, unit_id)?.ok_or_else(|| {
            let name = self.unit(unit_id).map(|u| u.name).unwrap_or_else(|_| unit_id.into());
            Refusal::NotFound.err(format!("«{name}» chưa có trong kế hoạch kiểm tra nào."))
        })
    }

    /// Take a unit out of a plan before its visit starts: its inspection gets the record's
    /// tombstone (kept, with its history in the audit log, and merged like any deletion);
    /// the unit itself stays. Refused once anything was recorded for the inspection.
    pub fn remove_unit_from_plan(&mut self, ctx: &Ctx, plan_id: &str, unit_id: &str) -> Result<Unit> {
        let plan = self.plan(plan_id)?;
        let u = self.unit(unit_id)?;
        let Some(insp) = crate::store::plan::inspection_in_plan(&self.conn, plan_id, unit_id)? else {
            return Err(Refusal::NotFound.err(format!("«{}» không có trong kế hoạch «{}».", u.name, plan.title)));
        };
        let row = self.inspection_row(&insp)?;
        self.write(ctx, "đưa đơn vị ra khỏi kế hoạch", |w| {
            let state = crate::store::plan::inspection_state(w, &insp)?;
            let recorded = crate::store::plan::recorded_for(w, &insp)?;
            if state != InspectionState::Planned || !recorded.is_empty() || row.actual_start.is_some() {
                let what = if recorded.is_empty() {
                    format!("cuộc kiểm tra đã bắt đầu ({})", state.label())
                } else {
                    format!(
                        "đã ghi {}",
                        recorded
                            .iter()
                            .map(|(what, n)| format!("{n} {what}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                return Err(Refusal::UnitRecorded.err(format!(
                    "Không thể đưa «{}» ra khỏi kế hoạch: {what}. Chỉ đưa ra được đơn vị chưa bắt đầu kiểm tra; hãy giữ đơn vị và ghi lý do vào nhận xét, hoặc hoàn tác các thay đổi đã ghi.",
                    u.name
                )));
            }
            w.delete("inspection", &insp)
        })?;
        Ok(u)
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

    /// The inspections `filter` selects (see [`crate::store::plan::inspection_rows`]), each
    /// with its template id; their scores are left for the caller.
    pub(crate) fn inspection_rows(&self, filter: &str, arg: &str) -> Result<Vec<(InspectionRow, String)>> {
        crate::store::plan::inspection_rows(&self.conn, filter, arg)
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
            .inspection_rows(crate::store::plan::BY_ID, inspection_id)?
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
        crate::store::plan::inspection_template_id(&self.conn, inspection_id)?.ok_or_else(|| Error::NotFound {
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
        let rows = self.inspection_rows(crate::store::plan::BY_PLAN, plan_id)?;
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

    fn plan_inputs(
        &self,
        plan_id: &str,
    ) -> Result<(
        crate::store::responses::PlanResponses,
        crate::store::responses::PlanFigures,
    )> {
        crate::store::responses::plan_inputs(&self.conn, plan_id)
    }

    /// Rank the units of a plan by the share of the applicable points they earned, then
    /// by points; equal results share a rank (1, 2, 2, 4).
    /// Every visit of a plan (re-inspections too) with its score card, scored as the ranking
    /// scores them (one read of the plan's responses and figures).
    pub(crate) fn plan_cards(&self, plan_id: &str) -> Result<Vec<(InspectionRow, crate::domain::scoring::ScoreCard)>> {
        let rows = self.inspection_rows(crate::store::plan::BY_PLAN, plan_id)?;
        let (responses, figures) = self.plan_inputs(plan_id)?;
        let (er, ef) = (HashMap::new(), HashMap::new());
        let mut out = Vec::new();
        for (row, tpl) in rows {
            let t = self.template(&tpl)?;
            let c = crate::domain::scoring::score(
                &t,
                responses.get(&row.id).unwrap_or(&er),
                figures.get(&row.id).unwrap_or(&ef),
            );
            out.push((row, c));
        }
        Ok(out)
    }

    pub fn ranking(&self, plan_id: &str) -> Result<Vec<RankRow>> {
        self.ranking_by(plan_id, None)
    }

    /// The areas of a plan's checklists (by code; the first template's title), in order.
    pub fn plan_areas(&self, plan_id: &str) -> Result<Vec<AreaTitle>> {
        let ids = crate::store::plan::plan_template_ids(&self.conn, plan_id)?;
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
        let rows = self.inspection_rows(crate::store::plan::BY_PLAN_FIRST_VISITS, plan_id)?;
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
