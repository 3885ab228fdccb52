//! The plan's report: Báo cáo kết quả kiểm tra công tác cải cách hành chính năm YYYY
//! (…/BC-ĐKT, Mẫu 1.4 with the type name BÁO CÁO), for the whole plan.
//!
//! Stored as the inspection's documents are (table `report`, keyed by the plan): a draft
//! holds only what the user changed (opening, the common achievements and shortcomings, the
//! recommendations, closing, recipients, signer, who signs), the rest comes from the plan's
//! data each time it is printed; issuing numbers it, checks what is missing, renders and
//! freezes it (the resolved text and the PDF, stored once by SHA-256).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::app::document::{
    clean_recipient, content, count_pages, decision_ref, list, long_date_or_blank, normalise_signer, numbered,
    pad_number, plan_ref, render_model, signer_block, team_header, team_words, vn_date, with_archive_line, DocModel,
    El, Rendered, SectionInfo, Signer,
};
use crate::domain::model::{DocumentKind, DocumentStatus, FindingKind, MemberRole, Plan, Team, UnitKind};
use crate::domain::scoring::ScoreCard;
use crate::domain::text::{fmt_date, fmt_date_long, fmt_percent, fmt_score, fold, lower_first, nfc, parse_date};
use crate::error::{Refusal, Result};
use crate::store::{text as text_value, Ctx, Store, Value};

/// Who issues and signs the report: the team (its lead reports to the Chairman), or the
/// standing agency (Sở Nội vụ sums the results up for the Chairman).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportBy {
    #[default]
    Team,
    StandingAgency,
}

/// What a user may change in the report before it is issued. `None`: as generated.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportEdits {
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub by: Option<ReportBy>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub issuing_body: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub opening: Option<String>,
    /// The common achievements, one per line (replaces those drawn from the findings).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub achievements: Option<Vec<String>>,
    /// The common shortcomings and their causes, one per line.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub shortcomings: Option<Vec<String>>,
    /// Recommendations to UBND tỉnh, one per line (numbered when printed).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub to_province: Option<Vec<String>>,
    /// Recommendations to the units, one per line.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub to_units: Option<Vec<String>>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub closing: Option<String>,
}

/// A change to the report: set fields replace, an empty text or list restores the default.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportPatch {
    #[cfg_attr(feature = "ts", ts(optional))]
    pub edits: Option<ReportEdits>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub signer: Option<Signer>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub recipients: Option<Vec<String>>,
}

/// One version of the plan's report as screens and commands show it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ReportInfo {
    pub id: Option<String>,
    pub plan_id: String,
    pub kind: DocumentKind,
    pub version: u32,
    pub status: DocumentStatus,
    pub number: String,
    pub date: Option<String>,
    pub symbol: String,
    pub issued_at: Option<String>,
    pub snapshot_sha256: Option<String>,
    pub supersedes_id: Option<String>,
    pub edits: ReportEdits,
    pub by: ReportBy,
    pub signer: Signer,
    pub signer_edited: bool,
    pub recipients: Vec<String>,
    pub recipients_edited: bool,
    /// What must be filled in before it can be issued (besides the number and date).
    pub missing: Vec<String>,
    /// For each item of `missing`, in order: the section (a key of `sections`, or
    /// "signer_name") where it is filled in; None when it is filled in on another screen.
    pub missing_sections: Vec<Option<String>>,
    /// The texts a user may rewrite: which are the user's and which are generated from the
    /// plan's data (keys: the fields of [`ReportEdits`] and "recipients", "signer").
    pub sections: Vec<SectionInfo>,
    /// What issuing asks to confirm: units not inspected yet, checklists not fully scored.
    pub warnings: Vec<String>,
    /// For an issued version: the plan's data no longer gives the same text.
    pub changed_since_issue: bool,
}

/// The report's texts a user may rewrite, as they print: the user's where changed, else
/// generated from the plan's data. Lists hold one item per line without its final mark; in
/// the achievements and shortcomings a line ending with ":" is a label (the area, "Nguyên
/// nhân:") over the items after it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportTexts {
    pub issuing_body: String,
    pub opening: String,
    pub achievements: Vec<String>,
    pub shortcomings: Vec<String>,
    pub to_province: Vec<String>,
    pub to_units: Vec<String>,
    pub closing: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stored {
    #[serde(default)]
    edits: ReportEdits,
    /// The texts as issued (absent in versions issued before they were kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issued_texts: Option<ReportTexts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    snapshot: Option<DocModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issued_signer: Option<Signer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issued_recipients: Option<Vec<String>>,
}

type Row = crate::store::documents::DocumentRow<Signer, Stored>;

/// One unit's first visit as the report shows it: its rank within its group.
struct UnitResult {
    name: String,
    kind: UnitKind,
    rank: Option<usize>,
    total: f64,
    max: f64,
    percent: Option<f64>,
    card: ScoreCard,
    unannounced: bool,
    start: Option<String>,
    end: Option<String>,
    inspected: bool,
}

/// Everything the report is built from.
struct Source {
    plan: Plan,
    team: Team,
    /// First visits, in the ranking's order.
    units: Vec<UnitResult>,
    /// Re-inspections: unit names.
    reinspected: Vec<String>,
    /// Findings: inspection → unit name, with the findings.
    findings: Vec<(String, crate::domain::model::Finding)>,
    unit_of: HashMap<String, String>,
    areas: Vec<crate::app::plan::AreaTitle>,
    /// Recommendations: unit name, remedied, deadline.
    recs: Vec<(String, bool, Option<NaiveDate>)>,
}

fn is_commune(k: UnitKind) -> bool {
    matches!(k, UnitKind::Xa | UnitKind::Phuong)
}

/// The report's symbol: BC-ĐKT for the team, BC-SNV (the standing agency's initials) for
/// Sở Nội vụ's summary.
fn report_symbol(team: &Team, by: ReportBy) -> String {
    match by {
        ReportBy::Team => format!("BC-{}", team.symbol),
        ReportBy::StandingAgency => {
            let initials: String = team
                .standing_agency
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .flat_map(char::to_uppercase)
                .collect();
            format!("BC-{}", if initials.is_empty() { "SNV".into() } else { initials })
        }
    }
}

fn default_signer(team: &Team, by: ReportBy) -> Signer {
    let lead = team.members.iter().find(|m| m.role == MemberRole::TruongDoan);
    match by {
        ReportBy::Team => {
            let words = team_words(team);
            Signer {
                authority: team.sign_authority.clone(),
                on_behalf: team.sign_on_behalf.clone(),
                title: if team.sign_title.is_empty() {
                    words.title.into()
                } else {
                    team.sign_title.clone()
                },
                agency_title: if team.sign_title.is_empty() {
                    lead.map(|m| m.title.to_uppercase()).unwrap_or_default()
                } else {
                    String::new()
                },
                name: lead.map(|m| m.name.clone()).unwrap_or_default(),
            }
        }
        ReportBy::StandingAgency => {
            // The lead from the standing agency signs for its director; else left to fill in.
            let from_agency = lead.filter(|m| !team.standing_agency.is_empty() && m.agency == team.standing_agency);
            let vice = from_agency.is_some_and(|m| fold(&m.title).starts_with("pho"));
            Signer {
                authority: if vice { "KT.".into() } else { String::new() },
                on_behalf: if vice { "GIÁM ĐỐC".into() } else { String::new() },
                title: if vice {
                    "PHÓ GIÁM ĐỐC".into()
                } else {
                    "GIÁM ĐỐC".into()
                },
                agency_title: String::new(),
                name: from_agency.map(|m| m.name.clone()).unwrap_or_default(),
            }
        }
    }
}

fn default_recipients(s: &Source, by: ReportBy) -> Vec<String> {
    let mut v = vec![
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh (b/c)".to_string(),
        "Các cơ quan, đơn vị được kiểm tra".to_string(),
    ];
    match by {
        ReportBy::Team => {
            if !s.team.standing_agency.is_empty() {
                v.push(s.team.standing_agency.clone());
            }
            v.push(format!("Thành viên {}", team_words(&s.team).team));
            v.push(format!("Lưu: VT, {}", s.team.symbol));
        }
        ReportBy::StandingAgency => {
            v.push(format!("Thành viên {}", team_words(&s.team).team));
            v.push("Lưu: VT, CCHC".to_string());
        }
    }
    v
}

impl Store {
    fn report_source(&self, plan_id: &str) -> Result<Source> {
        let plan = self.plan(plan_id)?;
        let team = self.team(plan_id)?.ok_or_else(|| {
            Refusal::DocumentIncomplete.err("Kế hoạch chưa có đoàn kiểm tra: hãy nhập đoàn trước khi in báo cáo.")
        })?;
        let ranking = self.ranking(plan_id)?;
        let mut cards: HashMap<String, (crate::domain::model::InspectionRow, ScoreCard)> = HashMap::new();
        let mut reinspected = Vec::new();
        let mut unit_of = HashMap::new();
        for (row, card) in self.plan_cards(plan_id)? {
            unit_of.insert(row.id.clone(), row.unit_name.clone());
            if row.follows_id.is_some() {
                reinspected.push(row.unit_name.clone());
            } else {
                cards.insert(row.id.clone(), (row, card));
            }
        }
        // Ranks within each group (departments, communes and wards), in the ranking's order.
        let mut units = Vec::new();
        let mut last: HashMap<bool, (usize, usize, (f64, f64))> = HashMap::new();
        for r in ranking {
            let Some((row, card)) = cards.remove(&r.inspection_id) else {
                continue;
            };
            let group = is_commune(r.unit_kind);
            let rank = r.rank.map(|_| {
                let key = (r.percent.unwrap_or(-1.0), r.total);
                let e = last.entry(group).or_insert((0, 0, (f64::NAN, f64::NAN)));
                e.0 += 1;
                if e.2 != key {
                    e.1 = e.0;
                    e.2 = key;
                }
                e.1
            });
            units.push(UnitResult {
                name: r.unit_name,
                kind: r.unit_kind,
                rank,
                total: r.total,
                max: r.applicable_max,
                percent: r.percent,
                unannounced: row.unannounced,
                start: row.actual_start.clone().or(row.scheduled_start.clone()),
                end: row
                    .actual_end
                    .clone()
                    .or(row.scheduled_end.clone())
                    .or(row.actual_start.clone())
                    .or(row.scheduled_start.clone()),
                inspected: row.actual_start.is_some()
                    || row.state.rank() > crate::domain::model::InspectionState::Planned.rank(),
                card,
            });
        }
        let findings = crate::store::reports::plan_findings(self, plan_id)?;
        let areas = self.plan_areas(plan_id)?;
        let recs = crate::store::followup::plan_recommendations(self, plan_id)?
            .into_iter()
            .map(|r| {
                (
                    r.unit_name,
                    r.recommendation.state == crate::domain::model::RecommendationState::Remedied,
                    r.recommendation.deadline.as_deref().and_then(|d| parse_date(d).ok()),
                )
            })
            .collect();
        Ok(Source {
            plan,
            team,
            units,
            reinspected,
            findings,
            unit_of,
            areas,
            recs,
        })
    }
}

/// The units a grouped finding concerns, in the order they first appear.
fn grouped(s: &Source, area: &str, kinds: &[FindingKind]) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let mut by_text: HashMap<String, (String, Vec<String>)> = HashMap::new();
    for (insp, f) in &s.findings {
        if f.area_code != area || !kinds.contains(&f.kind) {
            continue;
        }
        let text = f.text.trim().trim_end_matches(['.', ';']).to_string();
        let key = fold(&text);
        let unit = s.unit_of.get(insp).cloned().unwrap_or_default();
        let e = by_text.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            (text, Vec::new())
        });
        if !e.1.contains(&unit) {
            e.1.push(unit);
        }
    }
    // The ones most units share first; equal ones in the order they were found.
    let mut v: Vec<(String, Vec<String>)> = order.into_iter().filter_map(|k| by_text.remove(&k)).collect();
    v.sort_by_key(|(_, u)| std::cmp::Reverse(u.len()));
    v.into_iter().map(|(t, u)| format!("{t} ({})", u.join(", "))).collect()
}

fn area_title(s: &Source, code: &str) -> String {
    s.areas
        .iter()
        .find(|a| a.code == code)
        .map(|a| a.title.clone())
        .unwrap_or_else(|| code.to_string())
}

/// A line of a user's list, given the section it was typed for.
fn clean_lines(v: &[String]) -> Vec<String> {
    v.iter().map(|l| nfc(l.trim())).filter(|l| !l.is_empty()).collect()
}

fn result_table(units: &[&UnitResult]) -> El {
    let rows = units
        .iter()
        .map(|u| {
            vec![
                u.rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into()),
                u.name.clone(),
                fmt_score(u.total),
                fmt_score(u.max),
                u.percent.map(fmt_percent).unwrap_or_else(|| "–".into()),
            ]
        })
        .collect();
    El::Table {
        header: vec![
            "Xếp hạng".into(),
            "Cơ quan, đơn vị".into(),
            "Điểm đạt".into(),
            "Điểm tối đa".into(),
            "Tỷ lệ".into(),
        ],
        rows,
        widths: vec![0.12, 0.46, 0.14, 0.14, 0.14],
        numeric: vec![false, false, true, true, true],
        bold_last: false,
    }
}

/// The average by area over the units scored in it: (code, title, sum of scores, sum of
/// applicable maxima, units).
fn area_averages(s: &Source) -> Vec<(String, String, f64, f64, usize)> {
    let mut v: Vec<(String, String, f64, f64, usize)> = s
        .areas
        .iter()
        .map(|a| (a.code.clone(), a.title.clone(), 0.0, 0.0, 0))
        .collect();
    for u in &s.units {
        for a in &u.card.areas {
            if a.scored_items == 0 {
                continue;
            }
            if let Some(e) = v.iter_mut().find(|e| e.0 == a.code) {
                e.2 += a.score;
                e.3 += a.applicable_max;
                e.4 += 1;
            }
        }
    }
    v
}

/// A list of the achievements or shortcomings: a line ending with ":" is a label over the
/// dashed items after it. `sentence`: the list is the one sentence saying none were found.
fn labelled(lines: &[String], sentence: bool) -> Vec<El> {
    if sentence {
        return lines.iter().map(|l| El::Para(l.clone())).collect();
    }
    let mut out = Vec::new();
    let mut items: Vec<String> = Vec::new();
    for l in lines {
        if l.trim_end().ends_with(':') {
            out.extend(list(&items));
            items.clear();
            out.push(El::Label(l.clone()));
        } else {
            items.push(l.clone());
        }
    }
    out.extend(list(&items));
    out
}

/// The common achievements drawn from the findings, by area (a label line per area).
fn achievement_lines(s: &Source) -> Vec<String> {
    let mut v = Vec::new();
    for a in &s.areas {
        let items = grouped(s, &a.code, &[FindingKind::Achieved]);
        if !items.is_empty() {
            v.push(format!("{}:", area_title(s, &a.code)));
            v.extend(items);
        }
    }
    v
}

/// The common shortcomings and their causes drawn from the findings, by area.
fn shortcoming_lines(s: &Source) -> Vec<String> {
    let mut v = Vec::new();
    for a in &s.areas {
        let short = grouped(s, &a.code, &[FindingKind::Shortcoming]);
        let causes = grouped(s, &a.code, &[FindingKind::Cause]);
        if short.is_empty() && causes.is_empty() {
            continue;
        }
        v.push(format!("{}:", area_title(s, &a.code)));
        v.extend(short);
        if !causes.is_empty() {
            v.push("Nguyên nhân:".into());
            v.extend(causes);
        }
    }
    v
}

/// The report's texts as they print on `day` (the user's where changed, else generated from
/// the plan's data), and whether the achievements and the shortcomings found none in the
/// findings (then their list is the one sentence saying so).
fn resolve_texts(info: &ReportInfo, s: &Source, day: NaiveDate) -> (ReportTexts, [bool; 2]) {
    let year = s.plan.year;
    let tw = team_words(&s.team).team;
    let by = info.by;
    let e = &info.edits;
    let issuing_body = e.issuing_body.clone().unwrap_or_else(|| match by {
        ReportBy::Team => team_header(&s.team),
        ReportBy::StandingAgency if !s.team.standing_agency.is_empty() => s.team.standing_agency.clone(),
        ReportBy::StandingAgency => "Sở Nội vụ".into(),
    });
    let who = match by {
        ReportBy::Team => tw.to_string(),
        ReportBy::StandingAgency => issuing_body.clone(),
    };
    let opening = e.opening.clone().unwrap_or_else(|| {
        let role = match by {
            ReportBy::Team => String::new(),
            ReportBy::StandingAgency => format!(" (cơ quan thường trực {})", lower_first(tw)),
        };
        format!(
            "Thực hiện {}; {}, {who}{role} báo cáo kết quả kiểm tra công tác cải cách hành chính năm {year} tại các cơ quan, đơn vị như sau:",
            plan_ref(&s.plan),
            decision_ref(&s.team)
        )
    });
    let mut found_none = [false; 2];
    let achievements = e.achievements.clone().unwrap_or_else(|| {
        let v = achievement_lines(s);
        found_none[0] = v.is_empty();
        if v.is_empty() {
            vec![format!("{tw} chưa ghi nhận kết quả đạt được.")]
        } else {
            v
        }
    });
    let shortcomings = e.shortcomings.clone().unwrap_or_else(|| {
        let v = shortcoming_lines(s);
        found_none[1] = v.is_empty();
        if v.is_empty() {
            vec![format!("{tw} không ghi nhận tồn tại, hạn chế.")]
        } else {
            v
        }
    });
    let averages = area_averages(s);
    let weakest_area = averages
        .iter()
        .filter(|a| a.3 > 0.0)
        .map(|a| (&a.1, a.2 / a.3))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|w| lower_first(w.0));
    let low: Vec<&str> = s
        .units
        .iter()
        .filter(|u| u.rank.is_some() && u.percent.is_some_and(|p| p < 70.0))
        .map(|u| u.name.as_str())
        .collect();
    let to_province = e.to_province.clone().unwrap_or_else(|| {
        let mut v = vec![format!(
            "Chỉ đạo các cơ quan, đơn vị khắc phục các tồn tại, hạn chế đã được chỉ ra{}",
            weakest_area
                .as_ref()
                .map(|a| format!(", nhất là trong lĩnh vực {a}"))
                .unwrap_or_default()
        )];
        if !low.is_empty() {
            v.push(format!(
                "Chấn chỉnh các đơn vị đạt dưới {} số điểm: {}",
                fmt_percent(70.0),
                low.join(", ")
            ));
        }
        if !s.team.standing_agency.is_empty() {
            v.push(format!(
                "Giao {} theo dõi, đôn đốc việc thực hiện các kiến nghị sau kiểm tra, tổng hợp báo cáo Chủ tịch UBND tỉnh",
                s.team.standing_agency
            ));
        }
        v
    });
    let overdue = s.recs.iter().any(|r| !r.1 && r.2.is_some_and(|d| d < day));
    let to_units = e.to_units.clone().unwrap_or_else(|| {
        let mut v = vec![format!(
            "Khẩn trương khắc phục các tồn tại, hạn chế nêu trong Thông báo kết quả kiểm tra; báo cáo kết quả khắc phục về {tw} đúng thời hạn"
        )];
        if overdue {
            v.push("Các đơn vị còn kiến nghị quá hạn hoàn thành ngay việc khắc phục và báo cáo kết quả".into());
        }
        v.push("Tiếp tục duy trì, phát huy các kết quả đạt được trong công tác cải cách hành chính".into());
        v
    });
    let closing = e.closing.clone().unwrap_or_else(|| {
        format!(
            "Trên đây là báo cáo kết quả kiểm tra công tác cải cách hành chính năm {year} của {who}, kính báo cáo Chủ tịch Ủy ban nhân dân tỉnh xem xét, chỉ đạo./."
        )
    });
    (
        ReportTexts {
            issuing_body,
            opening,
            achievements,
            shortcomings,
            to_province,
            to_units,
            closing,
        },
        found_none,
    )
}

fn build_model(info: &ReportInfo, s: &Source, issue: Option<(&str, NaiveDate)>, now: DateTime<Utc>) -> DocModel {
    let year = s.plan.year;
    let words = team_words(&s.team);
    let tw = words.team;
    let number_line = match issue {
        Some((n, _)) => format!("{n}/{}", info.symbol),
        None => format!("{}/{}", "\u{a0}".repeat(8), info.symbol),
    };
    let day = issue.map(|(_, d)| d).unwrap_or_else(|| vn_date(now));
    let (t, found_none) = resolve_texts(info, s, day);
    let date_line = match issue {
        Some((_, d)) => format!("{}, {}", s.plan.place, fmt_date_long(d)),
        None => {
            use chrono::Datelike;
            let month = if day.month() <= 2 {
                format!("{:02}", day.month())
            } else {
                day.month().to_string()
            };
            format!(
                "{}, ngày{}tháng {month} năm {}",
                s.plan.place,
                "\u{a0}".repeat(8),
                day.year()
            )
        }
    };
    let planned: Vec<&UnitResult> = s.units.iter().filter(|u| !u.unannounced).collect();
    let unannounced: Vec<&UnitResult> = s.units.iter().filter(|u| u.unannounced).collect();
    let inspected = s.units.iter().filter(|u| u.inspected).count();
    let mut body = Vec::new();
    body.push(El::Para(t.opening.clone()));

    // I. What was done.
    body.push(El::Heading("I. CÔNG TÁC TỔ CHỨC KIỂM TRA".into()));
    let depts = planned.iter().filter(|u| !is_commune(u.kind)).count();
    let communes = planned.len() - depts;
    // The days of the visits made (the schedule's while none is).
    let done: Vec<&UnitResult> = s.units.iter().filter(|u| u.inspected).collect();
    let visits: Vec<&UnitResult> = if done.is_empty() {
        s.units.iter().collect()
    } else {
        done
    };
    let first = visits.iter().filter_map(|u| u.start.as_deref()).min();
    let last = visits.iter().filter_map(|u| u.end.as_deref()).max();
    let when = match (first, last) {
        (Some(a), Some(b)) if a != b => format!(
            " từ {} đến {}",
            long_date_or_blank(Some(a)),
            long_date_or_blank(Some(b))
        ),
        (Some(a), _) => format!(" {}", long_date_or_blank(Some(a))),
        _ => String::new(),
    };
    body.push(El::Para(format!(
        "Theo kế hoạch, {tw} kiểm tra {} cơ quan, đơn vị ({depts} cơ quan, đơn vị cấp tỉnh; {communes} xã, phường){}; đã kiểm tra {inspected} cơ quan, đơn vị{when}.",
        planned.len(),
        if unannounced.is_empty() {
            String::new()
        } else {
            format!(
                " và kiểm tra đột xuất {} đơn vị ({})",
                unannounced.len(),
                unannounced.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(", ")
            )
        }
    )));
    if !s.reinspected.is_empty() {
        let mut names = s.reinspected.clone();
        names.dedup();
        body.push(El::Para(format!(
            "{tw} đã kiểm tra lại {} đơn vị để đánh giá việc khắc phục: {}.",
            names.len(),
            names.join(", ")
        )));
    }
    body.push(El::Para(
        "Việc chấm điểm thực hiện theo bộ tiêu chí kiểm tra của từng loại cơ quan, đơn vị; tỷ lệ tính trên tổng điểm tối đa của các tiêu chí áp dụng và được chấm khi kiểm tra. Kết quả chi tiết từng đơn vị tại Phụ lục kèm theo.".to_string()));

    // II. Results.
    body.push(El::Heading("II. KẾT QUẢ KIỂM TRA".into()));
    body.push(El::Sub("1. Kết quả chấm điểm, xếp hạng".into()));
    let dept: Vec<&UnitResult> = s.units.iter().filter(|u| !is_commune(u.kind)).collect();
    let comm: Vec<&UnitResult> = s.units.iter().filter(|u| is_commune(u.kind)).collect();
    for (label, group) in [
        ("a) Các cơ quan, đơn vị cấp tỉnh:", &dept),
        ("b) Các xã, phường:", &comm),
    ] {
        if group.is_empty() {
            continue;
        }
        body.push(El::Para(label.into()));
        body.push(result_table(group));
    }
    body.push(El::Sub("2. Điểm bình quân theo lĩnh vực".into()));
    let averages = area_averages(s);
    let rows: Vec<Vec<String>> = averages
        .iter()
        .map(|(code, title, sc, mx, n)| {
            vec![
                code.clone(),
                title.clone(),
                if *n == 0 {
                    "–".into()
                } else {
                    fmt_score(sc / *n as f64)
                },
                if *n == 0 {
                    "–".into()
                } else {
                    fmt_score(mx / *n as f64)
                },
                if *mx > 0.0 {
                    fmt_percent(100.0 * sc / mx)
                } else {
                    "–".into()
                },
            ]
        })
        .collect();
    body.push(El::Table {
        header: vec![
            "TT".into(),
            "Lĩnh vực".into(),
            "Điểm bình quân".into(),
            "Tối đa bình quân".into(),
            "Tỷ lệ".into(),
        ],
        rows,
        widths: vec![0.07, 0.5, 0.15, 0.15, 0.13],
        numeric: vec![false, false, true, true, true],
        bold_last: false,
    });
    let rated: Vec<(&String, f64)> = averages
        .iter()
        .filter(|a| a.3 > 0.0)
        .map(|a| (&a.1, a.2 / a.3))
        .collect();
    let best = rated.iter().max_by(|a, b| a.1.total_cmp(&b.1));
    let worst = rated.iter().min_by(|a, b| a.1.total_cmp(&b.1));
    if rated.len() == 1 {
        // One area scored so far: it is neither the best nor the weakest of anything.
        let (name, rate) = rated[0];
        body.push(El::Para(format!(
            "Mới có lĩnh vực {} được chấm điểm ({}); chưa so sánh được giữa các lĩnh vực.",
            lower_first(name),
            fmt_percent(100.0 * rate)
        )));
    } else if let (Some(b), Some(w)) = (best, worst) {
        body.push(El::Para(format!(
            "Lĩnh vực có kết quả cao nhất: {} ({}); lĩnh vực có kết quả thấp nhất: {} ({}).",
            lower_first(b.0),
            fmt_percent(100.0 * b.1),
            lower_first(w.0),
            fmt_percent(100.0 * w.1)
        )));
    }
    // Achievements and shortcomings by area, each naming the units it concerns.
    body.push(El::Sub("3. Những kết quả đạt được".into()));
    body.extend(labelled(&t.achievements, found_none[0]));
    body.push(El::Sub("4. Tồn tại, hạn chế và nguyên nhân".into()));
    body.extend(labelled(&t.shortcomings, found_none[1]));

    // III. Remediation.
    body.push(El::Heading("III. TÌNH HÌNH KHẮC PHỤC SAU KIỂM TRA".into()));
    let total = s.recs.len();
    let remedied = s.recs.iter().filter(|r| r.1).count();
    let overdue: Vec<&(String, bool, Option<NaiveDate>)> =
        s.recs.iter().filter(|r| !r.1 && r.2.is_some_and(|d| d < day)).collect();
    if total == 0 {
        body.push(El::Para(format!("{tw} chưa có kiến nghị nào với các cơ quan, đơn vị.")));
    } else {
        body.push(El::Para(format!(
            "Tổng số {total} kiến nghị với các cơ quan, đơn vị (đến {}): đã khắc phục {remedied}; đang khắc phục {}, trong đó quá hạn {}.",
            long_date_or_blank(Some(&day.format("%Y-%m-%d").to_string())),
            total - remedied,
            overdue.len()
        )));
        if !overdue.is_empty() {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for r in &overdue {
                match counts.iter_mut().find(|c| c.0 == r.0) {
                    Some(c) => c.1 += 1,
                    None => counts.push((r.0.clone(), 1)),
                }
            }
            body.push(El::Para(format!(
                "Các đơn vị còn kiến nghị quá hạn: {}.",
                counts
                    .iter()
                    .map(|(u, n)| format!("{u} ({n})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }

    // IV. Recommendations.
    body.push(El::Heading("IV. KIẾN NGHỊ, ĐỀ XUẤT".into()));
    body.push(El::Sub("1. Đối với Ủy ban nhân dân tỉnh".into()));
    let numbered_items =
        |v: &[String]| -> Vec<String> { v.iter().enumerate().map(|(i, t)| format!("{}. {}", i + 1, t)).collect() };
    body.extend(numbered(&numbered_items(&t.to_province)));
    body.push(El::Sub("2. Đối với các cơ quan, đơn vị được kiểm tra".into()));
    body.extend(numbered(&numbered_items(&t.to_units)));
    body.push(El::Closing(t.closing.clone()));

    // The Phụ lục: a table per unit.
    let mut appendix = vec![
        El::Heading("PHỤ LỤC".into()),
        El::Heading("KẾT QUẢ CHẤM ĐIỂM TỪNG CƠ QUAN, ĐƠN VỊ".into()),
    ];
    // The units inspected or scored, in the ranking's order.
    let shown = s.units.iter().filter(|u| u.inspected || u.rank.is_some());
    for (i, u) in shown.enumerate() {
        appendix.push(El::Sub(format!(
            "{}. {}: {}/{} điểm{}{}",
            i + 1,
            u.name,
            fmt_score(u.total),
            fmt_score(u.max),
            u.percent.map(|p| format!(" ({})", fmt_percent(p))).unwrap_or_default(),
            u.rank
                .map(|r| format!(
                    ", xếp thứ {r} {}",
                    if is_commune(u.kind) {
                        "trong các xã, phường"
                    } else {
                        "trong các cơ quan, đơn vị cấp tỉnh"
                    }
                ))
                .unwrap_or_default()
        )));
        let mut rows: Vec<Vec<String>> = u
            .card
            .areas
            .iter()
            .map(|a| {
                vec![
                    a.code.clone(),
                    a.title.clone(),
                    fmt_score(a.applicable_max),
                    fmt_score(a.self_score),
                    fmt_score(a.score),
                ]
            })
            .collect();
        rows.push(vec![
            String::new(),
            "Tổng cộng".into(),
            fmt_score(u.card.applicable_max),
            fmt_score(u.card.self_total),
            fmt_score(u.card.total),
        ]);
        appendix.push(El::Table {
            header: vec![
                "TT".into(),
                "Lĩnh vực".into(),
                "Điểm tối đa".into(),
                "Đơn vị tự chấm".into(),
                format!("{tw} chấm"),
            ],
            rows,
            widths: vec![0.07, 0.48, 0.14, 0.15, 0.16],
            numeric: vec![false, false, true, true, true],
            bold_last: true,
        });
    }
    DocModel {
        kind: DocumentKind::BaoCao,
        parent_body: s.team.parent_body.clone(),
        issuing_body: t.issuing_body,
        number_line,
        date_line: Some(date_line),
        title: "BÁO CÁO".into(),
        summary: format!("Kết quả kiểm tra công tác cải cách hành chính năm {year}"),
        summary_rule: true,
        body,
        signatures: vec![(None, Some(signer_block(&info.signer)))],
        recipients: info.recipients.clone(),
        appendix,
        draft: issue.is_none(),
    }
}

/// What is missing, each with the section of the report's form where it is filled in.
fn missing(info: &ReportInfo, s: &Source) -> Vec<(String, Option<String>)> {
    let mut v = Vec::new();
    if s.plan.number.trim().is_empty() {
        v.push(("số kế hoạch kiểm tra (màn hình Kế hoạch & đoàn)".to_string(), None));
    }
    if s.plan.date.is_none() {
        v.push(("ngày ban hành kế hoạch".to_string(), None));
    }
    let words = team_words(&s.team);
    if s.team.decision_number.trim().is_empty() {
        v.push((format!("số quyết định thành lập {}", lower_first(words.team)), None));
    }
    if s.team.decision_date.is_none() {
        v.push((format!("ngày quyết định thành lập {}", lower_first(words.team)), None));
    }
    if info.signer.name.trim().is_empty() {
        v.push(("họ tên người ký".to_string(), Some("signer_name".to_string())));
    }
    if s.units.iter().all(|u| !u.inspected) {
        v.push(("kết quả kiểm tra (chưa kiểm tra đơn vị nào)".to_string(), None));
    }
    let e = &info.edits;
    for (key, label, t) in [
        ("opening", "đoạn mở đầu", &e.opening),
        ("closing", "đoạn kết", &e.closing),
        ("issuing_body", "cơ quan ban hành", &e.issuing_body),
    ] {
        if t.as_deref().is_some_and(|t| t.contains(content::BLANK)) {
            v.push((
                format!("chỗ trống «{}» trong {label} (do người dùng sửa)", content::BLANK),
                Some(key.to_string()),
            ));
        }
    }
    v
}

/// The texts a user may rewrite, each the user's or generated; a user's text holding a
/// blank «……» is to be read again.
fn sections(info: &ReportInfo) -> Vec<SectionInfo> {
    let e = &info.edits;
    let text = |key: &str, label: &str, t: &Option<String>| SectionInfo {
        key: key.into(),
        label: label.into(),
        edited: t.is_some(),
        stale: t.as_deref().is_some_and(|t| t.contains(content::BLANK)),
    };
    let lines = |key: &str, label: &str, l: &Option<Vec<String>>| SectionInfo {
        key: key.into(),
        label: label.into(),
        edited: l.is_some(),
        stale: false,
    };
    vec![
        text("issuing_body", "Cơ quan ban hành", &e.issuing_body),
        text("opening", "Đoạn mở đầu", &e.opening),
        lines("achievements", "Những kết quả đạt được", &e.achievements),
        lines("shortcomings", "Tồn tại, hạn chế và nguyên nhân", &e.shortcomings),
        lines("to_province", "Kiến nghị đối với Ủy ban nhân dân tỉnh", &e.to_province),
        lines("to_units", "Kiến nghị đối với các cơ quan, đơn vị", &e.to_units),
        text("closing", "Đoạn kết", &e.closing),
        SectionInfo {
            key: "recipients".into(),
            label: "Nơi nhận".into(),
            edited: info.recipients_edited,
            stale: false,
        },
        SectionInfo {
            key: "signer".into(),
            label: "Người ký".into(),
            edited: info.signer_edited,
            stale: false,
        },
    ]
}

fn warnings(s: &Source) -> Vec<String> {
    let mut v = Vec::new();
    let not_done: Vec<&str> = s
        .units
        .iter()
        .filter(|u| !u.inspected)
        .map(|u| u.name.as_str())
        .collect();
    if !not_done.is_empty() {
        v.push(format!(
            "{} đơn vị chưa kiểm tra: {}",
            not_done.len(),
            not_done.join(", ")
        ));
    }
    let partial = s
        .units
        .iter()
        .filter(|u| u.inspected && u.card.scored_items < u.card.scorable_items)
        .count();
    if partial > 0 {
        v.push(format!("{partial} đơn vị chưa chấm hết tiêu chí"));
    }
    v
}

fn merge_edits(cur: &mut ReportEdits, e: &ReportEdits) {
    fn text(cur: &mut Option<String>, new: &Option<String>) {
        if let Some(v) = new {
            let v = nfc(v.trim());
            *cur = if v.is_empty() { None } else { Some(v) };
        }
    }
    fn lines(cur: &mut Option<Vec<String>>, new: &Option<Vec<String>>) {
        if let Some(v) = new {
            let v = clean_lines(v);
            *cur = if v.is_empty() { None } else { Some(v) };
        }
    }
    if let Some(b) = e.by {
        cur.by = (b != ReportBy::Team).then_some(b);
    }
    text(&mut cur.issuing_body, &e.issuing_body);
    text(&mut cur.opening, &e.opening);
    text(&mut cur.closing, &e.closing);
    lines(&mut cur.achievements, &e.achievements);
    lines(&mut cur.shortcomings, &e.shortcomings);
    lines(&mut cur.to_province, &e.to_province);
    lines(&mut cur.to_units, &e.to_units);
}

impl Store {
    fn report_rows(&self, plan_id: &str) -> Result<Vec<Row>> {
        crate::store::reports::report_rows(self, plan_id, DocumentKind::BaoCao)
    }

    fn report_info_from(&self, plan_id: &str, row: Option<&Row>, s: &Source) -> ReportInfo {
        let stored: Stored = row.map(|r| r.content.clone()).unwrap_or_default();
        let by = stored.edits.by.unwrap_or_default();
        let signer_edit: Option<Signer> = row.map(|r| r.signer.clone()).filter(|x| *x != Signer::default());
        let recipients_edit: Option<Vec<String>> = row.map(|r| r.recipients.clone()).filter(|v| !v.is_empty());
        let signer = stored
            .issued_signer
            .clone()
            .or_else(|| signer_edit.clone())
            .unwrap_or_else(|| default_signer(&s.team, by));
        let recipients = stored
            .issued_recipients
            .clone()
            .or_else(|| recipients_edit.clone().map(with_archive_line(&s.team.symbol)))
            .unwrap_or_else(|| default_recipients(s, by));
        let symbol = row
            .map(|r| r.symbol.clone())
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| report_symbol(&s.team, by));
        let mut info = ReportInfo {
            id: row.map(|r| r.id.clone()),
            plan_id: plan_id.to_string(),
            kind: DocumentKind::BaoCao,
            version: row.map(|r| r.version).unwrap_or(1),
            status: row.map(|r| r.status).unwrap_or(DocumentStatus::Draft),
            number: row.map(|r| r.number.clone()).unwrap_or_default(),
            date: row.and_then(|r| r.date).map(|d| d.format("%Y-%m-%d").to_string()),
            symbol,
            issued_at: row.and_then(|r| r.issued_at.clone()),
            snapshot_sha256: row.and_then(|r| r.snapshot_sha256.clone()),
            supersedes_id: row.and_then(|r| r.supersedes_id.clone()),
            edits: stored.edits.clone(),
            by,
            signer,
            signer_edited: signer_edit.is_some(),
            recipients,
            recipients_edited: recipients_edit.is_some(),
            missing: vec![],
            missing_sections: vec![],
            sections: vec![],
            warnings: vec![],
            changed_since_issue: false,
        };
        info.sections = sections(&info);
        (info.missing, info.missing_sections) = missing(&info, s).into_iter().unzip();
        info.warnings = warnings(s);
        if info.status == DocumentStatus::Issued {
            if let (Some(snapshot), Some(d)) = (stored.snapshot.as_ref(), row.and_then(|r| r.date)) {
                let number = info.number.clone();
                info.changed_since_issue = build_model(&info, s, Some((&number, d)), DateTime::UNIX_EPOCH) != *snapshot;
            }
        }
        info
    }

    /// Every version of the plan's report, newest first; when none has been made, the one
    /// that would be printed now.
    pub fn report_versions(&self, plan_id: &str) -> Result<Vec<ReportInfo>> {
        let s = self.report_source(plan_id)?;
        let rows = self.report_rows(plan_id)?;
        if rows.is_empty() {
            return Ok(vec![self.report_info_from(plan_id, None, &s)]);
        }
        Ok(rows
            .iter()
            .map(|r| self.report_info_from(plan_id, Some(r), &s))
            .collect())
    }

    /// The current version of the plan's report.
    pub fn report(&self, plan_id: &str) -> Result<ReportInfo> {
        Ok(self.report_versions(plan_id)?.remove(0))
    }

    /// Change the report. An issued version is never changed: the change goes into a new
    /// draft version that supersedes it.
    pub fn edit_report(&mut self, ctx: &Ctx, plan_id: &str, p: &ReportPatch) -> Result<ReportInfo> {
        let s = self.report_source(plan_id)?;
        let rows = self.report_rows(plan_id)?;
        let latest = rows.first();
        let mut stored: Stored = latest.map(|r| r.content.clone()).unwrap_or_default();
        stored.snapshot = None;
        stored.issued_texts = None;
        stored.issued_signer = None;
        stored.issued_recipients = None;
        let was_by = stored.edits.by.unwrap_or_default();
        if let Some(e) = &p.edits {
            merge_edits(&mut stored.edits, e);
        }
        let by = stored.edits.by.unwrap_or_default();
        let signer = match &p.signer {
            Some(sg) => normalise_signer(sg)?,
            // Changing who signs drops a signer chosen for the other.
            None if by != was_by => Signer::default(),
            None => latest.map(|r| r.signer.clone()).unwrap_or_default(),
        };
        let recipients: Vec<String> = match &p.recipients {
            Some(v) => v.iter().map(|r| clean_recipient(r)).filter(|r| !r.is_empty()).collect(),
            None if by != was_by => vec![],
            None => latest.map(|r| r.recipients.clone()).unwrap_or_default(),
        };
        let content = serde_json::to_string(&stored).expect("report content serialises");
        let signer_json = serde_json::to_string(&signer).expect("signer serialises");
        let recipients_json = serde_json::to_string(&recipients).expect("recipients serialise");
        let symbol = report_symbol(&s.team, by);
        self.write(ctx, "sửa báo cáo kết quả kiểm tra", |w| {
            match latest {
                Some(r) if r.status == DocumentStatus::Draft => {
                    w.update(
                        "report",
                        &r.id,
                        &[
                            ("symbol", text_value(&symbol)),
                            ("content", Value::Text(content)),
                            ("signer", Value::Text(signer_json)),
                            ("recipients", Value::Text(recipients_json)),
                        ],
                    )?;
                }
                _ => {
                    let id = w.new_id();
                    w.insert(
                        "report",
                        &id,
                        &[
                            ("plan_id", Value::Text(plan_id.into())),
                            ("kind", Value::Text(DocumentKind::BaoCao.as_str().into())),
                            (
                                "version",
                                Value::Integer(latest.map(|r| r.version as i64 + 1).unwrap_or(1)),
                            ),
                            ("symbol", text_value(&symbol)),
                            ("content", Value::Text(content)),
                            ("signer", Value::Text(signer_json)),
                            ("recipients", Value::Text(recipients_json)),
                            (
                                "supersedes_id",
                                latest.map(|r| Value::Text(r.id.clone())).unwrap_or(Value::Null),
                            ),
                        ],
                    )?;
                }
            }
            Ok(())
        })?;
        self.report(plan_id)
    }

    /// The resolved text of the current version: the frozen one when issued, else the draft.
    pub fn report_model(&self, plan_id: &str, now: DateTime<Utc>) -> Result<DocModel> {
        let rows = self.report_rows(plan_id)?;
        if let Some(m) = rows
            .first()
            .filter(|r| r.status == DocumentStatus::Issued)
            .and_then(|r| r.content.snapshot.clone())
        {
            return Ok(m);
        }
        let s = self.report_source(plan_id)?;
        let info = self.report_info_from(plan_id, rows.first(), &s);
        Ok(build_model(&info, &s, None, now))
    }

    /// The texts of the current version a user may rewrite, as they print: those it was
    /// issued with when issued, else the draft's on `now`.
    pub fn report_texts(&self, plan_id: &str, now: DateTime<Utc>) -> Result<ReportTexts> {
        let rows = self.report_rows(plan_id)?;
        let latest = rows.first();
        if let Some(t) = latest
            .filter(|r| r.status == DocumentStatus::Issued)
            .and_then(|r| r.content.issued_texts.clone())
        {
            return Ok(t);
        }
        let s = self.report_source(plan_id)?;
        let info = self.report_info_from(plan_id, latest, &s);
        // Issued before the texts were kept: as the plan's data gives them on its date.
        let day = latest
            .filter(|r| r.status == DocumentStatus::Issued)
            .and_then(|r| r.date)
            .unwrap_or_else(|| vn_date(now));
        Ok(resolve_texts(&info, &s, day).0)
    }

    /// The PDF of the current version (an issued one's stored bytes, checked), or of version
    /// `version`.
    pub fn render_report(&self, plan_id: &str, version: Option<u32>, now: DateTime<Utc>) -> Result<Rendered> {
        let rows = self.report_rows(plan_id)?;
        let row = match version {
            None => rows.first(),
            Some(v) => Some(rows.iter().find(|r| r.version == v).ok_or_else(|| {
                Refusal::NotFound.err(format!(
                    "Báo cáo kết quả kiểm tra không có phiên bản {v}; có {} phiên bản.",
                    rows.len()
                ))
            })?),
        };
        if let Some(r) = row.filter(|r| r.status == DocumentStatus::Issued) {
            let sha = r.snapshot_sha256.clone().unwrap_or_default();
            let (_, _, bytes) = self.attachment(&sha)?;
            if crate::domain::digest::sha256_hex(&bytes) != sha {
                return Err(Refusal::DocumentDamaged.err(format!(
                    "Bản PDF đã ban hành của báo cáo số {} không khớp mã băm đã lưu: dữ liệu có thể bị hỏng. Hãy khôi phục từ bản sao lưu.",
                    r.number
                )));
            }
            let model = r
                .content
                .snapshot
                .clone()
                .ok_or_else(|| Refusal::DocumentDamaged.err("Báo cáo đã ban hành thiếu nội dung lưu."))?;
            return Ok(Rendered {
                pages: count_pages(&bytes),
                bytes,
                model,
                issued: true,
            });
        }
        let s = self.report_source(plan_id)?;
        let info = self.report_info_from(plan_id, row, &s);
        render_model(&build_model(&info, &s, None, now), now)
    }

    /// Issue the current version: number and date, refuse if anything is missing or (unless
    /// confirmed) something is to be confirmed, render, store the PDF and the text, freeze.
    pub fn issue_report(
        &mut self,
        ctx: &Ctx,
        plan_id: &str,
        number: &str,
        date: &str,
        confirm_warnings: bool,
    ) -> Result<ReportInfo> {
        let number = pad_number(&nfc(number));
        let mut lacking = Vec::new();
        if number.is_empty() {
            lacking.push("số văn bản".to_string());
        } else if number.contains('/') || number.chars().any(char::is_whitespace) {
            return Err(Refusal::BadNumber.err(format!(
                "Số văn bản «{number}» chỉ gồm số thứ tự (ví dụ 05); ký hiệu được thêm tự động."
            )));
        }
        let date = if date.trim().is_empty() {
            lacking.push("ngày ban hành văn bản".to_string());
            None
        } else {
            Some(parse_date(date)?)
        };
        let s = self.report_source(plan_id)?;
        let rows = self.report_rows(plan_id)?;
        let latest = rows.first();
        if let Some(r) = latest.filter(|r| r.status == DocumentStatus::Issued) {
            return Err(Refusal::DocumentIssued.err(format!(
                "Báo cáo số {}/{} đã ban hành ngày {}; muốn sửa, hãy sửa nội dung để tạo phiên bản mới rồi ban hành lại.",
                r.number,
                r.symbol,
                r.date.map(fmt_date).unwrap_or_default()
            )));
        }
        let mut info = self.report_info_from(plan_id, latest, &s);
        lacking.extend(info.missing.iter().cloned());
        let Some(date) = date.filter(|_| lacking.is_empty()) else {
            return Err(Refusal::DocumentIncomplete.err(format!(
                "Chưa ban hành được báo cáo kết quả kiểm tra: còn thiếu {}.",
                lacking.join("; ")
            )));
        };
        if !info.warnings.is_empty() && !confirm_warnings {
            return Err(Refusal::DocumentUnconfirmed.err(format!(
                "Cần xác nhận trước khi ban hành báo cáo kết quả kiểm tra: {}. Nếu vẫn ban hành, hãy xác nhận ban hành (dòng lệnh: thêm --force).",
                info.warnings.join("; ")
            )));
        }
        info.number = number.clone();
        info.date = Some(date.format("%Y-%m-%d").to_string());
        let model = build_model(&info, &s, Some((&number, date)), ctx.now);
        let (texts, _) = resolve_texts(&info, &s, date);
        let rendered = render_model(&model, ctx.now)?;
        let sha = crate::domain::digest::sha256_hex(&rendered.bytes);
        let kept: Stored = latest.map(|r| r.content.clone()).unwrap_or_default();
        let stored = Stored {
            edits: kept.edits,
            issued_texts: Some(texts),
            snapshot: Some(model),
            issued_signer: Some(info.signer.clone()),
            issued_recipients: Some(info.recipients.clone()),
        };
        let content = serde_json::to_string(&stored).expect("report content serialises");
        let file_name = format!("BC-{number}-{}.pdf", s.plan.year);
        let symbol = info.symbol.clone();
        let date_s = date.format("%Y-%m-%d").to_string();
        let bytes = rendered.bytes;
        self.write(ctx, "ban hành báo cáo kết quả kiểm tra", |w| {
            w.barrier = true;
            crate::store::documents::store_issued_pdf(w, &sha, &bytes, &file_name)?;
            let fields = [
                ("number", Value::Text(number.clone())),
                ("date", Value::Text(date_s.clone())),
                ("symbol", text_value(&symbol)),
                ("content", Value::Text(content)),
                ("snapshot_sha256", Value::Text(sha.clone())),
                ("issued_at", Value::Text(w.ctx.stamp())),
                ("status", Value::Text(DocumentStatus::Issued.as_str().into())),
            ];
            match latest {
                Some(r) => {
                    w.update("report", &r.id, &fields)?;
                }
                None => {
                    let id = w.new_id();
                    let mut all = vec![
                        ("plan_id", Value::Text(plan_id.into())),
                        ("kind", Value::Text(DocumentKind::BaoCao.as_str().into())),
                        ("version", Value::Integer(1)),
                    ];
                    all.extend(fields);
                    w.insert("report", &id, &all)?;
                }
            }
            Ok(())
        })?;
        self.report(plan_id)
    }
}
