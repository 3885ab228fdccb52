//! One inspection's checklist: responses per criterion (self score, team score, observed
//! status, note), figures and their derived rates, evidence with attachments stored once
//! by SHA-256, and the score card computed from all of it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::domain::figures::{self, FigureUnit};
use crate::domain::model::*;
use crate::domain::scoring::{self, ItemState, ScoreCard};
use crate::domain::template::{Rule, Template};
use crate::domain::text::{fmt_num, fmt_percent, fmt_score, nfc};
use crate::error::{Error, Refusal, Result};
use crate::store::{opt_real, text, Ctx, Store, Value, W};

/// The largest attachment accepted (a phone photo or a scanned document fits easily).
pub const MAX_ATTACHMENT_BYTES: u64 = 50 * 1024 * 1024;

/// A change to one response; None leaves a field as it is, Some(None) clears it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default)]
pub struct ResponsePatch {
    pub self_score: Option<Option<f64>>,
    pub team_score: Option<Option<f64>>,
    pub status: Option<Option<String>>,
    pub note: Option<String>,
    /// The unit's explanation of its self score.
    pub self_note: Option<String>,
}

/// What adding evidence did: its id, and whether the file's bytes were stored now (false
/// when the same file was already there: bytes are kept once).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceAdded {
    pub id: String,
    pub new_attachment: bool,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct StatusChoice {
    pub key: String,
    pub label: String,
}

/// What a criterion is, from the inspection's template version: it never changes for an
/// inspection, so a screen needs it once.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    pub code: String,
    pub area: String,
    pub parent: Option<String>,
    pub level: u8,
    pub text: String,
    pub guide: Option<String>,
    pub max: f64,
    pub rule_type: Option<String>,
    pub rule: Option<String>,
    /// The statuses this item takes (done and graded rules).
    pub choices: Vec<StatusChoice>,
}

/// What changes as the team works: the inspection (state, progress), the score card, and
/// the response recorded on each criterion (by code).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistLive {
    pub inspection: InspectionRow,
    pub card: ScoreCard,
    pub responses: BTreeMap<String, Response>,
}

/// A criterion with what was recorded on it and what it scores.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistItem {
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub criterion: Criterion,
    pub response: Response,
    pub computed: Option<f64>,
    pub score: Option<f64>,
    pub state: ItemState,
    pub rate: Option<f64>,
    pub evidence: usize,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub inspection: InspectionRow,
    pub unit: Unit,
    pub template_name: String,
    pub template_version: String,
    pub items: Vec<ChecklistItem>,
    pub card: ScoreCard,
}

/// The criteria of a template, in order.
pub fn criteria(t: &Template) -> Vec<Criterion> {
    t.items
        .iter()
        .map(|it| Criterion {
            code: it.code.clone(),
            area: it.area.clone(),
            parent: it.parent.clone(),
            level: if it.parent.is_some() { 2 } else { 1 },
            text: it.text.clone(),
            guide: it.guide.clone(),
            max: it.max,
            rule_type: it.rule.as_ref().map(|r| r.type_name().to_string()),
            rule: it.rule.as_ref().map(|r| r.describe()),
            choices: it.rule.as_ref().map(choices).unwrap_or_default(),
        })
        .collect()
}

pub fn choices(rule: &Rule) -> Vec<StatusChoice> {
    match rule {
        Rule::Done => vec![
            StatusChoice {
                key: "dat".into(),
                label: "Đạt".into(),
            },
            StatusChoice {
                key: "khong_dat".into(),
                label: "Không đạt".into(),
            },
        ],
        Rule::Graded { levels } => levels
            .iter()
            .map(|l| StatusChoice {
                key: l.key.clone(),
                label: l.label.clone(),
            })
            .collect(),
        _ => vec![],
    }
}

/// The two tables of figures: the team's (`figure`) and the unit's own self-assessment
/// (`self_figure`), kept apart and written the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FigureTable {
    Team,
    Unit,
}

impl FigureTable {
    fn name(self) -> &'static str {
        match self {
            FigureTable::Team => "figure",
            FigureTable::Unit => "self_figure",
        }
    }
    fn action(self) -> &'static str {
        match self {
            FigureTable::Team => "nhập số liệu",
            FigureTable::Unit => "nhập số liệu tự đánh giá",
        }
    }
}

pub(crate) fn figure_map(
    conn: &crate::store::records::Connection,
    table: FigureTable,
    inspection_id: &str,
) -> Result<HashMap<String, f64>> {
    crate::store::responses::figure_map(conn, table.name(), inspection_id)
}

/// Every known figure with its value, if any ("1.081", "12,82 %", "—").
pub(crate) fn figure_list(vals: &HashMap<String, f64>) -> Vec<FigureValue> {
    figures::FIGURES
        .iter()
        .map(|f| {
            let v = vals.get(f.key).copied();
            FigureValue {
                key: f.key.into(),
                label: f.label.into(),
                value: v,
                display: figure_display(v, f.unit),
            }
        })
        .collect()
}

/// A figure typed the Vietnamese way: its key as known, and its value.
pub(crate) fn parse_figure_text(key: &str, value: &str) -> Result<(&'static str, f64)> {
    let def = figures::figure(key.trim()).ok_or_else(|| {
        Refusal::BadChoice.err(format!(
            "Chỉ số «{}» không có. Các chỉ số: {}.",
            key.trim(),
            figures::FIGURES.iter().map(|f| f.key).collect::<Vec<_>>().join(", ")
        ))
    })?;
    Ok((
        def.key,
        crate::domain::text::parse_number(value, def.unit == FigureUnit::Count, def.label)?,
    ))
}

pub(crate) fn check_score(x: f64, max: f64, code: &str, who: &str) -> Result<()> {
    if !x.is_finite() || x < 0.0 {
        return Err(Refusal::ScoreOutOfRange.err(format!("Điểm {who} của tiêu chí {code} không được âm.")));
    }
    if x > max + 1e-9 {
        return Err(Refusal::ScoreOutOfRange.err(format!(
            "Điểm {who} của tiêu chí {code} là {}, vượt điểm tối đa {}.",
            fmt_score(x),
            fmt_score(max)
        )));
    }
    Ok(())
}

/// Move an inspection from "kế hoạch" to "đang kiểm tra" at its first recorded result.
/// A file read for attaching: its hash, bytes, name and media type.
pub(crate) struct FileAttachment {
    pub sha: String,
    pub bytes: Vec<u8>,
    pub name: String,
    pub media: String,
}

/// Read a file to attach, refusing a folder or anything over the size limit.
pub(crate) fn read_attachment_file(path: &Path) -> Result<FileAttachment> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io("đọc được tệp", path, e))?;
    if !meta.is_file() {
        return Err(Refusal::BadPath.err(format!("{} không phải là tệp.", path.display())));
    }
    if meta.len() > MAX_ATTACHMENT_BYTES {
        return Err(Refusal::FileTooLarge.err(format!(
            "Tệp {} lớn {} MB, vượt giới hạn {} MB cho một tệp đính kèm.",
            path.display(),
            fmt_num(meta.len() as f64 / 1048576.0, 1),
            MAX_ATTACHMENT_BYTES / 1048576
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io("đọc được tệp", path, e))?;
    let name = nfc(&path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default());
    let media = mime_guess::from_path(path)
        .first_or_octet_stream()
        .essence_str()
        .to_string();
    Ok(FileAttachment {
        sha: crate::domain::digest::sha256_hex(&bytes),
        bytes,
        name,
        media,
    })
}

/// Store an attachment's bytes once; true when they were not there yet.
pub(crate) fn store_attachment(w: &W<'_>, a: &FileAttachment) -> Result<bool> {
    crate::store::responses::store_attachment(w, &a.sha, &a.bytes, &a.media, &a.name)
}

/// Check a figure's value: known key, not negative, whole for a count, ≤ 100 for a percentage.
pub(crate) fn check_figure_value(key: &str, value: f64) -> Result<&'static figures::FigureDef> {
    let def = figures::figure(key).ok_or_else(|| Error::NotFound {
        what: "chỉ số",
        key: key.into(),
    })?;
    if !value.is_finite() || value < 0.0 {
        return Err(Refusal::FigureInconsistent.err(format!("{}: không được âm.", def.label)));
    }
    match def.unit {
        FigureUnit::Count if value.fract() != 0.0 => {
            return Err(Refusal::BadNumber.err(format!("{}: phải là số nguyên.", def.label)));
        }
        FigureUnit::Percent if value > 100.0 => {
            return Err(Refusal::FigureInconsistent.err(format!("{}: tỷ lệ không vượt quá 100 %.", def.label)));
        }
        _ => {}
    }
    Ok(def)
}

/// How a figure reads: "1.081", "12,82 %", "—".
fn figure_display(v: Option<f64>, unit: FigureUnit) -> String {
    match (v, unit) {
        (None, _) => "—".into(),
        (Some(x), FigureUnit::Count) => fmt_num(x, 0),
        (Some(x), FigureUnit::Percent) => format!("{} %", fmt_num(x, 2)),
    }
}

pub(crate) fn mark_started(w: &W<'_>, inspection_id: &str) -> Result<()> {
    let state: InspectionState = crate::store::plan::inspection_state(w, inspection_id)?;
    if state == InspectionState::Planned {
        w.update(
            "inspection",
            inspection_id,
            &[("state", Value::Text(InspectionState::InProgress.as_str().into()))],
        )?;
    }
    Ok(())
}

impl Store {
    fn inspection_template(&self, inspection_id: &str) -> Result<Arc<Template>> {
        let id = self.inspection_template_id(inspection_id)?;
        self.template(&id)
    }

    pub fn responses(&self, inspection_id: &str) -> Result<HashMap<String, Response>> {
        crate::store::responses::responses(&self.conn, inspection_id)
    }

    pub fn figure_values(&self, inspection_id: &str) -> Result<HashMap<String, f64>> {
        figure_map(&self.conn, FigureTable::Team, inspection_id)
    }

    /// The template and the score card of an inspection.
    pub fn score_card(&self, inspection_id: &str) -> Result<(Arc<Template>, ScoreCard)> {
        let t = self.inspection_template(inspection_id)?;
        let card = scoring::score(&t, &self.responses(inspection_id)?, &self.figure_values(inspection_id)?);
        Ok((t, card))
    }

    /// The live part of an inspection's checklist (see `ChecklistLive`), with its template.
    pub fn checklist_live(&self, inspection_id: &str) -> Result<(Arc<Template>, ChecklistLive)> {
        let t = self.inspection_template(inspection_id)?;
        let responses = self.responses(inspection_id)?;
        let card = scoring::score(&t, &responses, &self.figure_values(inspection_id)?);
        let inspection = self.inspection_row_scored(inspection_id, &card)?;
        Ok((
            t,
            ChecklistLive {
                inspection,
                card,
                responses: responses.into_iter().collect(),
            },
        ))
    }

    pub fn checklist(&self, inspection_id: &str) -> Result<Checklist> {
        let (t, live) = self.checklist_live(inspection_id)?;
        let ChecklistLive {
            inspection,
            card,
            responses,
        } = live;
        let unit = self.unit(&inspection.unit_id)?;
        let ev_counts: HashMap<String, usize> = crate::store::responses::evidence_counts(&self.conn, inspection_id)?;
        let items = criteria(&t)
            .into_iter()
            .map(|c| {
                let s = card.item(&c.code);
                ChecklistItem {
                    response: responses.get(&c.code).cloned().unwrap_or_default(),
                    computed: s.and_then(|s| s.computed),
                    score: s.and_then(|s| s.score),
                    state: s.map(|s| s.state).unwrap_or(ItemState::Unscored),
                    rate: s.and_then(|s| s.rate),
                    evidence: ev_counts.get(&c.code).copied().unwrap_or(0),
                    criterion: c,
                }
            })
            .collect();
        Ok(Checklist {
            inspection,
            unit,
            template_name: t.name.clone(),
            template_version: t.version.clone(),
            items,
            card,
        })
    }

    /// Record a response to one criterion, after checking it against the item's rule and
    /// maximum. Returns the number of fields that changed.
    pub fn set_response(&mut self, ctx: &Ctx, inspection_id: &str, code: &str, p: &ResponsePatch) -> Result<usize> {
        let t = self.inspection_template(inspection_id)?;
        let item = t.item(code.trim()).ok_or_else(|| Error::NotFound {
            what: "tiêu chí",
            key: code.trim().into(),
        })?;
        let code = item.code.clone();
        let mut p = p.clone();
        if let Some(Some(s)) = &p.status {
            p.status = Some(Some(crate::domain::text::fold(s).replace(' ', "_")));
        }
        // The score's checks (range, level, a criterion scored through its sub-criteria,
        // unit mode) are the write path's: see `rules`.
        self.write_response(ctx, inspection_id, &code, &p)
    }

    fn write_response(&mut self, ctx: &Ctx, inspection_id: &str, code: &str, p: &ResponsePatch) -> Result<usize> {
        self.write(ctx, "chấm tiêu chí", |w| {
            let existing: Option<String> = crate::store::responses::response_id(w, inspection_id, code)?;
            let mut fields: Vec<(&str, Value)> = vec![];
            if let Some(v) = p.self_score {
                fields.push(("self_score", opt_real(v)));
            }
            if let Some(v) = p.team_score {
                fields.push(("team_score", opt_real(v)));
            }
            if let Some(v) = &p.status {
                fields.push(("status", v.clone().map(Value::Text).unwrap_or(Value::Null)));
            }
            if let Some(v) = &p.note {
                fields.push(("note", text(v)));
            }
            if let Some(v) = &p.self_note {
                fields.push(("self_note", text(v)));
            }
            let id = match existing {
                Some(id) => {
                    let mut n = w.update("response", &id, &fields)?;
                    if !fields.is_empty() {
                        // A response withdrawn (deleted, or its creation undone) comes back.
                        n += w.update("response", &id, &[("deleted", Value::Integer(0))])?;
                    }
                    (id, n)
                }
                None => {
                    let id = crate::store::stable_id(&["response", inspection_id, code]);
                    let mut all = vec![
                        ("inspection_id", Value::Text(inspection_id.into())),
                        ("item_code", Value::Text(code.into())),
                    ];
                    let n = fields.len();
                    all.extend(fields);
                    w.insert("response", &id, &all)?;
                    (id, n)
                }
            };
            if id.1 > 0 {
                // The team's work starts the inspection; the unit's self-assessment does not
                // (it would then contend with the team's state in an exchange).
                if p.team_score.is_some() || p.status.is_some() || p.note.is_some() {
                    mark_started(w, inspection_id)?;
                }
            }
            Ok(id.1)
        })
    }

    /// Set a figure from text typed the Vietnamese way ("1.081", "12,82").
    pub fn set_figure_text(&mut self, ctx: &Ctx, inspection_id: &str, key: &str, value: &str) -> Result<f64> {
        let (key, v) = parse_figure_text(key, value)?;
        self.set_figure(ctx, inspection_id, key, v)?;
        Ok(v)
    }

    /// Set a figure, refusing a negative value, a fraction where a count is expected, a
    /// percentage over 100 and a part exceeding its whole (on time > resolved…).
    pub fn set_figure(&mut self, ctx: &Ctx, inspection_id: &str, key: &str, value: f64) -> Result<()> {
        self.store_figure(ctx, FigureTable::Team, inspection_id, key, value)
    }

    pub fn clear_figure(&mut self, ctx: &Ctx, inspection_id: &str, key: &str) -> Result<bool> {
        self.remove_figure(ctx, FigureTable::Team, inspection_id, key)
    }

    /// Write a figure into the team's or the unit's table (after its checks).
    pub(crate) fn store_figure(
        &mut self,
        ctx: &Ctx,
        table: FigureTable,
        inspection_id: &str,
        key: &str,
        value: f64,
    ) -> Result<()> {
        // The value's checks, alone and beside the other figures (part ≤ whole), are the
        // write path's, inside its transaction: see `rules`.
        self.inspection_template_id(inspection_id)?;
        let t = table.name();
        self.write(ctx, table.action(), |w| {
            let existing: Option<String> = crate::store::responses::figure_id(w, t, inspection_id, key)?;
            match existing {
                Some(id) => {
                    w.update(t, &id, &[("value", Value::Real(value)), ("deleted", Value::Integer(0))])?;
                }
                None => {
                    let id = crate::store::stable_id(&[t, inspection_id, key]);
                    w.insert(
                        t,
                        &id,
                        &[
                            ("inspection_id", Value::Text(inspection_id.into())),
                            ("key", Value::Text(key.into())),
                            ("value", Value::Real(value)),
                        ],
                    )?;
                }
            }
            // The team's work starts the inspection; the unit's self-assessment does not.
            match table {
                FigureTable::Team => mark_started(w, inspection_id),
                FigureTable::Unit => Ok(()),
            }
        })
    }

    /// Remove a figure from the team's or the unit's table; false when there was none.
    pub(crate) fn remove_figure(
        &mut self,
        ctx: &Ctx,
        table: FigureTable,
        inspection_id: &str,
        key: &str,
    ) -> Result<bool> {
        if figures::figure(key).is_none() {
            return Err(Refusal::BadChoice.err(format!("Chỉ số «{key}» không có (xem: kiemtra figure keys).")));
        }
        let t = table.name();
        let id: Option<String> = crate::store::responses::live_figure_id(&self.conn, t, inspection_id, key)?;
        match id {
            Some(id) => {
                self.write(ctx, "xóa số liệu", |w| w.delete(t, &id))?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Every known figure with its value (if entered), and every derived rate.
    pub fn figures(&self, inspection_id: &str) -> Result<(Vec<FigureValue>, Vec<RateValue>)> {
        let vals = self.figure_values(inspection_id)?;
        let figs = figure_list(&vals);
        let rates = scoring::rates(&vals)
            .into_iter()
            .map(|(r, p)| RateValue {
                key: r.key.into(),
                label: r.label.into(),
                percent: p.flatten(),
                display: match p {
                    None => "chưa đủ số liệu".into(),
                    Some(None) => "không áp dụng".into(),
                    Some(Some(x)) => fmt_percent(x),
                },
            })
            .collect();
        Ok((figs, rates))
    }

    /// Figures that contradict each other (resolved − on time ≠ late…), as sentences to show
    /// beside them: the team's, then the unit's own (its self-assessment).
    pub fn figure_contradictions(&self, inspection_id: &str) -> Result<(Vec<String>, Vec<String>)> {
        let team = self.figure_values(inspection_id)?;
        let unit = figure_map(&self.conn, FigureTable::Unit, inspection_id)?;
        Ok((
            crate::domain::figures::contradictions(|k| team.get(k).copied()),
            crate::domain::figures::contradictions(|k| unit.get(k).copied()),
        ))
    }

    /// Attach evidence to a criterion: a document reference (number, date, description)
    /// and/or a file, whose bytes are stored once however often they are referenced.
    #[allow(clippy::too_many_arguments)]
    pub fn add_evidence(
        &mut self,
        ctx: &Ctx,
        inspection_id: &str,
        code: &str,
        doc_number: &str,
        doc_date: Option<&str>,
        description: &str,
        file: Option<&Path>,
    ) -> Result<EvidenceAdded> {
        // On a unit's own laptop, what it attaches is the unit's.
        let source = if self.self_assessment_unit()?.is_some() {
            EvidenceSource::Unit
        } else {
            EvidenceSource::Team
        };
        self.add_evidence_from(
            ctx,
            inspection_id,
            code,
            doc_number,
            doc_date,
            description,
            file,
            source,
        )
    }

    /// `add_evidence`, saying who provided it.
    #[allow(clippy::too_many_arguments)]
    pub fn add_evidence_from(
        &mut self,
        ctx: &Ctx,
        inspection_id: &str,
        code: &str,
        doc_number: &str,
        doc_date: Option<&str>,
        description: &str,
        file: Option<&Path>,
        source: EvidenceSource,
    ) -> Result<EvidenceAdded> {
        let t = self.inspection_template(inspection_id)?;
        let item = t.item(code.trim()).ok_or_else(|| Error::NotFound {
            what: "tiêu chí",
            key: code.trim().into(),
        })?;
        let code = item.code.clone();
        let date = match doc_date.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(crate::domain::text::parse_date(d)?.format("%Y-%m-%d").to_string()),
            None => None,
        };
        if nfc(doc_number).is_empty() && nfc(description).is_empty() && file.is_none() {
            return Err(
                Refusal::Required.err("Tài liệu kiểm chứng cần ít nhất số văn bản, mô tả hoặc một tệp đính kèm.")
            );
        }
        let attachment = match file {
            None => None,
            Some(path) => Some(read_attachment_file(path)?),
        };
        self.write(ctx, "thêm tài liệu kiểm chứng", |w| {
            let new_attachment = match &attachment {
                Some(a) => store_attachment(w, a)?,
                None => false,
            };
            let id = w.new_id();
            w.insert(
                "evidence",
                &id,
                &[
                    ("inspection_id", Value::Text(inspection_id.into())),
                    ("item_code", Value::Text(code.clone())),
                    ("doc_number", text(doc_number)),
                    ("doc_date", date.clone().map(Value::Text).unwrap_or(Value::Null)),
                    ("description", text(description)),
                    (
                        "attachment_sha256",
                        attachment
                            .as_ref()
                            .map(|a| Value::Text(a.sha.clone()))
                            .unwrap_or(Value::Null),
                    ),
                    (
                        "attachment_name",
                        attachment
                            .as_ref()
                            .map(|a| Value::Text(a.name.clone()))
                            .unwrap_or(Value::Null),
                    ),
                    ("source", Value::Text(source.as_str().into())),
                ],
            )?;
            if source == EvidenceSource::Team {
                mark_started(w, inspection_id)?;
            }
            Ok(EvidenceAdded { id, new_attachment })
        })
    }

    /// Remove an evidence item (a tombstone). The file's bytes stay while anything refers
    /// to them; an issued document may cite them.
    pub fn delete_evidence(&mut self, ctx: &Ctx, inspection_id: &str, id_or_prefix: &str) -> Result<Evidence> {
        let q = id_or_prefix.trim().to_lowercase();
        let found: Vec<Evidence> = self
            .evidence(inspection_id, None)?
            .into_iter()
            .filter(|e| e.id.starts_with(&q))
            .collect();
        let e = match (q.len() >= 4, found.len()) {
            (true, 1) => found.into_iter().next().expect("one"),
            (true, n) if n > 1 => {
                return Err(Refusal::Ambiguous.err(format!(
                    "Mã «{q}» trùng phần đầu với {n} tài liệu; hãy gõ thêm vài ký tự."
                )))
            }
            _ => {
                return Err(Error::NotFound {
                    what: "tài liệu kiểm chứng có mã",
                    key: id_or_prefix.trim().into(),
                })
            }
        };
        self.write(ctx, "xóa tài liệu kiểm chứng", |w| w.delete("evidence", &e.id))?;
        Ok(e)
    }

    pub fn evidence(&self, inspection_id: &str, code: Option<&str>) -> Result<Vec<Evidence>> {
        crate::store::responses::evidence(&self.conn, inspection_id, code)
    }

    pub fn attachment(&self, sha256: &str) -> Result<(String, String, Vec<u8>)> {
        crate::store::responses::attachment(&self.conn, sha256)?.ok_or_else(|| Error::NotFound {
            what: "tệp đính kèm",
            key: sha256.into(),
        })
    }

    /// A small JPEG of an attached photo or scan for the window (its longer side
    /// [`crate::format::thumbnail::THUMB_PX`]), made once and kept; None for an attachment
    /// that is no image the app reads (a PDF). The whole file never goes to the window.
    pub fn attachment_thumbnail(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        use crate::format::thumbnail::{thumbnail, THUMB_PX};
        let stored = crate::store::responses::thumbnail(&self.conn, sha256, THUMB_PX)?;
        let data = match stored {
            Some(d) => d,
            None => {
                let (_, media_type, bytes) = self.attachment(sha256)?;
                let made = if media_type.starts_with("image/") {
                    thumbnail(&bytes, THUMB_PX).unwrap_or_default()
                } else {
                    vec![]
                };
                // A cache: when it cannot be written (a read-only copy, a full disk) the
                // thumbnail is still shown, made again next time.
                let _ = crate::store::responses::save_thumbnail(&self.conn, sha256, THUMB_PX, &made);
                made
            }
        };
        Ok(if data.is_empty() { None } else { Some(data) })
    }

    pub fn attachment_count(&self) -> Result<i64> {
        crate::store::responses::attachment_count(&self.conn)
    }
}
