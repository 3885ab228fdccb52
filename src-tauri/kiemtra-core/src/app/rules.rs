//! The rules every write obeys, whatever asked for it: a command, the window, an undo or a
//! choice in the conflict list. [`Store::write`] is the one way a use case writes: it opens
//! the transaction, runs the action, then checks every record the action touched against
//! the rules below, and puts the touched records in the search index, before it commits.
//! A refusal rolls the whole action back.
//!
//! The rules are stated on the records as they stand after the action (not on the
//! arguments a wrapper was given), so a path that forgets a check cannot slip past them:
//! - unit mode (a unit's own laptop, self-assessing): only its own inspection, and only the
//!   unit's fields (self score and explanation, its figures, the evidence it provides);
//! - a score lies between 0 and the criterion's maximum, on a criterion scored itself, in a
//!   level its rule knows;
//! - a figure is plausible alone (not negative, whole for a count, ≤ 100 %) and beside the
//!   others of its table (a part never exceeds its whole);
//! - a finding and a recommendation have text; a recommendation is "đã khắc phục" only with
//!   the unit's report (its number or date), within the lengths of a report;
//! - an issued document never changes (the database's triggers hold that one).
//!
//! Imports merge other laptops' versions; they go through [`check_imported`], which holds
//! the same rules on each record a file changed.

use std::collections::BTreeSet;

use crate::app::checklist::{check_figure_value, check_score, choices, FigureTable};
use crate::domain::model::RecommendationState;
use crate::domain::template::{Rule, Template};
use crate::error::{Error, Refusal, Result};
use crate::store::records::{columns, Connection, StoredResponse};
use crate::store::{Ctx, Store, Touch, Value, W};

/// Who this laptop writes for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The inspection team: every field.
    Team,
    /// The unit's own laptop (self-assessment): the unit's fields of its own inspection.
    Unit { unit_id: String },
}

pub(crate) fn mode(conn: &Connection) -> Result<Mode> {
    let u: Option<String> = crate::store::meta::get(conn, crate::store::meta::SELF_ASSESSMENT_UNIT)?;
    Ok(match u {
        Some(unit_id) => Mode::Unit { unit_id },
        None => Mode::Team,
    })
}

impl Store {
    /// Run one user action: one immediate transaction in which the action writes, every
    /// rule is checked on what it wrote, and the search index follows; nothing is kept
    /// unless all of it succeeds.
    pub fn write<T>(&mut self, ctx: &Ctx, action: &str, f: impl FnOnce(&mut W<'_>) -> Result<T>) -> Result<T> {
        self.transact(ctx, action, |w| {
            let out = f(w)?;
            let touched = w.touched();
            enforce(w, &touched)?;
            for t in touched.iter().filter(|t| indexed(t)) {
                crate::store::search::reindex(crate::store::records::reader(w), &t.table, &t.id)?;
            }
            Ok(out)
        })
    }
}

/// Whether a change can alter what the search index holds for its record (a score does not;
/// a note, a name or a deletion does).
fn indexed(t: &Touch) -> bool {
    let fields: &[&str] = match t.table.as_str() {
        "unit" => &["name"],
        "response" => &["note"],
        "finding" => &["text", "area_code"],
        "recommendation" => &["text", "owner", "number"],
        "evidence" => &["doc_number", "description", "attachment_name", "item_code"],
        _ => return false,
    };
    t.created || t.fields.iter().any(|f| f == "deleted" || fields.contains(&f.as_str()))
}

/// The rules, on the records one local action touched.
fn enforce(w: &W<'_>, touched: &[Touch]) -> Result<()> {
    if touched.is_empty() {
        return Ok(());
    }
    let conn = crate::store::records::reader(w);
    if let Mode::Unit { unit_id } = mode(conn)? {
        for t in touched {
            unit_may(conn, &unit_id, t)?;
        }
    }
    for t in touched {
        plan_open(conn, t)?;
    }
    check_records(conn, &|id| w.template(id), touched)
}

/// A closed plan is read-only: nothing of it changes but its being closed.
fn plan_open(conn: &Connection, t: &Touch) -> Result<()> {
    if t.table == "plan" && t.fields.iter().all(|f| f == "closed") {
        return Ok(());
    }
    match crate::store::records::plan_of(conn, &t.table, &t.id)? {
        Some((title, true)) => Err(Refusal::PlanClosed.err(format!(
            "Kế hoạch «{title}» đã đóng (chỉ xem, in và tìm kiếm). Hãy mở lại kế hoạch trước khi sửa: «kiemtra plan reopen»."
        ))),
        _ => Ok(()),
    }
}

/// The rules that stand on the records alone (not on who wrote them), for the records a
/// file changed. Returns warnings for what two laptops' edits make inconsistent together
/// (each was fine where it was made: the team lead sees it after the import).
pub(crate) fn check_imported(
    conn: &Connection,
    template: &dyn Fn(&str) -> Result<std::sync::Arc<Template>>,
    touched: &[Touch],
) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    for t in touched {
        match check_record(conn, template, t) {
            Ok(()) => {}
            // A state and a report number changed on two laptops can disagree together
            // though each laptop's edit was fine: the lead settles it.
            Err(e) if t.table == "recommendation" => warnings.push(format!("Sau khi nhập, {e}")),
            Err(e) => {
                return Err(Refusal::ExchangeRefused.err(format!(
                    "Tệp trao đổi có giá trị không hợp lệ ({}): {e} Dữ liệu không bị thay đổi.",
                    record_name(&t.table)
                )))
            }
        }
    }
    for (table, inspection) in figure_sets(conn, touched)? {
        if let Err(e) = check_figure_set(conn, table, &inspection) {
            warnings.push(format!("Sau khi nhập, {e}"));
        }
    }
    Ok(warnings)
}

fn check_records(
    conn: &Connection,
    template: &dyn Fn(&str) -> Result<std::sync::Arc<Template>>,
    touched: &[Touch],
) -> Result<()> {
    for t in touched {
        check_record(conn, template, t)?;
    }
    for (table, inspection) in figure_sets(conn, touched)? {
        check_figure_set(conn, table, &inspection)?;
    }
    Ok(())
}

fn record_name(table: &str) -> &'static str {
    match table {
        "response" => "điểm một tiêu chí",
        "figure" => "số liệu của đoàn",
        "self_figure" => "số liệu đơn vị tự báo cáo",
        "finding" => "nhận xét",
        "recommendation" => "kiến nghị",
        "evidence" => "tài liệu kiểm chứng",
        "document" | "report" => "văn bản",
        "inspection" => "cuộc kiểm tra",
        "unit" => "đơn vị",
        "plan" => "kế hoạch",
        "team" | "team_member" => "đoàn kiểm tra",
        _ => "bản ghi",
    }
}

fn touched_any(t: &Touch, fields: &[&str]) -> bool {
    t.created || t.fields.iter().any(|f| fields.contains(&f.as_str()))
}

fn as_text(v: Option<&Value>) -> Option<&str> {
    match v {
        Some(Value::Text(s)) => Some(s.as_str()),
        _ => None,
    }
}

fn as_real(v: Option<&Value>) -> Option<f64> {
    match v {
        Some(Value::Real(x)) => Some(*x),
        Some(Value::Integer(i)) => Some(*i as f64),
        _ => None,
    }
}

fn check_record(
    conn: &Connection,
    template: &dyn Fn(&str) -> Result<std::sync::Arc<Template>>,
    t: &Touch,
) -> Result<()> {
    match t.table.as_str() {
        "response" if touched_any(t, &["self_score", "team_score", "status"]) => {
            // The response with its inspection's checklist version, in one query.
            let found: Option<StoredResponse> = crate::store::records::response(conn, &t.id)?;
            let Some((tpl_id, code, self_score, team_score, status)) = found else {
                return Ok(());
            };
            let tpl = template(&tpl_id)?;
            let touched = |f: &str| t.created || t.fields.iter().any(|x| x == f);
            check_response(
                &tpl,
                &code,
                self_score.filter(|_| touched("self_score")),
                team_score.filter(|_| touched("team_score")),
                status.as_deref().filter(|_| touched("status")),
            )
        }
        "figure" | "self_figure" if touched_any(t, &["value", "key"]) => {
            let Some(r) = columns(conn, &t.table, &t.id, &["key", "value", "deleted"])? else {
                return Ok(());
            };
            if r.get("deleted") == Some(&Value::Integer(1)) {
                return Ok(());
            }
            let key = as_text(r.get("key")).unwrap_or_default();
            let value = as_real(r.get("value")).unwrap_or(f64::NAN);
            check_figure_value(key, value).map(|_| ())
        }
        "finding" if touched_any(t, &["text"]) => {
            let Some(r) = columns(conn, "finding", &t.id, &["text"])? else {
                return Ok(());
            };
            if as_text(r.get("text")).unwrap_or_default().trim().is_empty() {
                return Err(Refusal::Required.err("Nội dung nhận xét không được để trống."));
            }
            Ok(())
        }
        "recommendation" if touched_any(t, &["text", "state", "report_number", "report_date", "report_note"]) => {
            let Some(r) = columns(
                conn,
                "recommendation",
                &t.id,
                &["number", "text", "state", "report_number", "report_date", "report_note"],
            )?
            else {
                return Ok(());
            };
            check_recommendation(
                as_real(r.get("number")).unwrap_or(0.0) as i64,
                as_text(r.get("text")).unwrap_or_default(),
                as_text(r.get("state")).unwrap_or_default(),
                as_text(r.get("report_number")).unwrap_or_default(),
                as_text(r.get("report_date")),
                as_text(r.get("report_note")).unwrap_or_default(),
            )
        }
        _ => Ok(()),
    }
}

/// A response's values against its criterion: the same check whether they were typed, kept
/// from a conflict or given back by an undo.
pub(crate) fn check_response(
    t: &Template,
    code: &str,
    self_score: Option<f64>,
    team_score: Option<f64>,
    status: Option<&str>,
) -> Result<()> {
    let item = t.item(code).ok_or_else(|| Error::NotFound {
        what: "tiêu chí",
        key: code.into(),
    })?;
    let rule = match &item.rule {
        Some(r) => r,
        None if self_score.is_none() && team_score.is_none() && status.is_none() => return Ok(()),
        None => {
            let kids: Vec<&str> = t
                .items
                .iter()
                .filter(|i| i.parent.as_deref() == Some(code))
                .map(|i| i.code.as_str())
                .collect();
            return Err(Refusal::NotScorable.err(format!(
                "Tiêu chí {code} được chấm qua các tiêu chí thành phần ({}).",
                kids.join(", ")
            )));
        }
    };
    if let Some(x) = self_score {
        check_score(x, item.max, code, "tự chấm")?;
    }
    if let Some(x) = team_score {
        if matches!(rule, Rule::NotObserved { .. }) {
            return Err(Refusal::NotScorable.err(format!(
                "Tiêu chí {code} không chấm khi kiểm tra ({}).",
                rule.describe()
            )));
        }
        check_score(x, item.max, code, "đoàn chấm")?;
    }
    if let Some(s) = status {
        let options = choices(rule);
        if options.is_empty() {
            return Err(Refusal::BadChoice.err(format!(
                "Tiêu chí {code} không chấm theo mức ({}); hãy nhập điểm hoặc số liệu.",
                rule.describe()
            )));
        }
        if !options.iter().any(|o| o.key == s) {
            return Err(Refusal::BadChoice.err(format!(
                "Mức «{s}» không có ở tiêu chí {code}. Chọn một trong: {}.",
                options
                    .iter()
                    .map(|o| format!("{} ({})", o.key, o.label))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    Ok(())
}

/// A recommendation as it stands: text, and a remedied state only with the unit's report.
pub(crate) fn check_recommendation(
    number: i64,
    text: &str,
    state: &str,
    report_number: &str,
    report_date: Option<&str>,
    report_note: &str,
) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Refusal::Required.err("Nội dung kiến nghị không được để trống."));
    }
    if report_number.chars().count() > 100 {
        return Err(Refusal::TooLong.err("Số báo cáo dài quá 100 ký tự."));
    }
    if report_note.chars().count() > 20_000 {
        return Err(Refusal::TooLong.err("Nội dung báo cáo khắc phục dài quá 20.000 ký tự."));
    }
    if RecommendationState::parse(state) == Some(RecommendationState::Remedied)
        && report_number.trim().is_empty()
        && report_date.is_none_or(|d| d.trim().is_empty())
    {
        return Err(Refusal::RecommendationState.err(format!(
            "Kiến nghị số {number}: để ghi «đã khắc phục», hãy ghi số hoặc ngày báo cáo kết quả khắc phục của đơn vị trước (màn hình «Theo dõi khắc phục», hoặc lệnh kiemtra followup set)."
        )));
    }
    Ok(())
}

/// The figure tables (and inspections) an action touched: part ≤ whole is checked over each.
fn figure_sets(conn: &Connection, touched: &[Touch]) -> Result<BTreeSet<(FigureTable, String)>> {
    let mut out = BTreeSet::new();
    for t in touched {
        let table = match t.table.as_str() {
            "figure" => FigureTable::Team,
            "self_figure" => FigureTable::Unit,
            _ => continue,
        };
        let i: Option<String> = crate::store::records::inspection_of(conn, &t.table, &t.id)?;
        if let Some(i) = i {
            out.insert((table, i));
        }
    }
    Ok(out)
}

fn check_figure_set(conn: &Connection, table: FigureTable, inspection_id: &str) -> Result<()> {
    let all = crate::app::checklist::figure_map(conn, table, inspection_id)?;
    crate::domain::figures::check_limits(|k| all.get(k).copied())
        .map_err(|m| Refusal::FigureInconsistent.err(format!("Số liệu không hợp lý: {m}")))
}

/// In unit mode: may this laptop write what `t` says it wrote?
fn unit_may(conn: &Connection, unit_id: &str, t: &Touch) -> Result<()> {
    match unit_may_not(conn, unit_id, t)? {
        None => Ok(()),
        Some(Forbidden::Team(what)) => {
            let name: String = crate::store::plan::unit_name(conn, unit_id)?.unwrap_or_else(|| unit_id.to_string());
            Err(Refusal::UnitMode.err(format!(
                "Máy này đang dùng cho «{name}» tự đánh giá: không {what}. Đơn vị ghi điểm tự chấm, số liệu và tài liệu của mình."
            )))
        }
        Some(Forbidden::OtherUnit(name)) => Err(Refusal::UnitMode.err(format!(
            "Máy này đang dùng cho đơn vị khác tự đánh giá, không phải «{name}»."
        ))),
    }
}

/// What a unit's laptop may not write.
pub(crate) enum Forbidden {
    /// The team's work: "chấm điểm của đoàn", "ghi kiến nghị của đoàn"…
    Team(&'static str),
    /// A record of another unit (its name).
    OtherUnit(String),
}

/// Whether the unit `unit_id` may have written what `t` says (None: it may). The same rule
/// holds a laptop in unit mode and a unit laptop's exchange file.
pub(crate) fn unit_may_not(conn: &Connection, unit_id: &str, t: &Touch) -> Result<Option<Forbidden>> {
    let own = |table: &str| -> Result<Option<Forbidden>> {
        let row: Option<(String, String)> = crate::store::records::owner(conn, table, &t.id)?;
        match row {
            Some((u, _)) if u == unit_id => Ok(None),
            Some((_, name)) => Ok(Some(Forbidden::OtherUnit(name))),
            None => Ok(None),
        }
    };
    let team = |what: &'static str| Ok(Some(Forbidden::Team(what)));
    match t.table.as_str() {
        "response" => {
            let unit_fields = ["self_score", "self_note", "inspection_id", "item_code"];
            for f in t.fields.iter().filter(|f| !unit_fields.contains(&f.as_str())) {
                // Writing a self score brings back a withdrawn response: that much is the unit's.
                let revived = f == "deleted"
                    && columns(conn, "response", &t.id, &["deleted"])?
                        .is_some_and(|r| r.get("deleted") == Some(&Value::Integer(0)));
                if !revived {
                    return team(match f.as_str() {
                        "note" => "ghi nhận xét của đoàn ở tiêu chí",
                        "deleted" => "xóa điểm của đoàn",
                        _ => "chấm điểm của đoàn",
                    });
                }
            }
            own("response")
        }
        "self_figure" => own("self_figure"),
        "evidence" => {
            let source: Option<String> = crate::store::responses::evidence_source(conn, &t.id)?;
            if source.as_deref() != Some("don_vi") {
                return team("sửa tài liệu kiểm chứng của đoàn");
            }
            own("evidence")
        }
        "figure" => team("nhập số liệu của đoàn"),
        "finding" => team("ghi nhận xét của đoàn"),
        "recommendation" => team("ghi kiến nghị của đoàn"),
        "document" | "report" => team("soạn, sửa văn bản của đoàn"),
        "inspection" => team("sửa lịch, trạng thái cuộc kiểm tra"),
        "unit" | "unit_event" => team("sửa danh sách đơn vị"),
        "plan" | "team" | "team_member" => team("sửa kế hoạch, đoàn kiểm tra"),
        "template" => team("cài, sửa bộ tiêu chí"),
        _ => team("ghi dữ liệu của đoàn"),
    }
}
