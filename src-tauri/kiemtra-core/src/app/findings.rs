//! Findings per area (kết quả đạt được, tồn tại, nguyên nhân) and numbered
//! recommendations (kiến nghị) with who must act, a deadline and a remediation state.

use crate::domain::model::*;
use crate::domain::text::{nfc, parse_date};
use crate::error::{Error, Refusal, Result};
use crate::store::{text, Ctx, Store, Value};

fn iso(d: Option<&str>) -> Result<Value> {
    match d.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Ok(Value::Text(parse_date(d)?.format("%Y-%m-%d").to_string())),
        None => Ok(Value::Null),
    }
}

impl Store {
    /// A deadline already past on the day it is given is asked about before it is kept: refused
    /// with `deadline_past` unless `confirmed` (the window's «Vẫn lưu»). The deadline a
    /// recommendation already has is not asked about again, nor an empty one; a date that
    /// does not exist is refused as such.
    pub fn confirm_deadline(
        &self,
        ctx: &Ctx,
        recommendation_id: Option<&str>,
        deadline: Option<&str>,
        confirmed: bool,
    ) -> Result<()> {
        let Some(d) = deadline.map(str::trim).filter(|d| !d.is_empty()) else {
            return Ok(());
        };
        let d = parse_date(d)?;
        let today = ctx.today();
        if confirmed || d >= today {
            return Ok(());
        }
        if let Some(id) = recommendation_id {
            let inspection = crate::store::findings::live_recommendation_inspection(self, id)?;
            let kept = match inspection {
                Some(i) => self
                    .recommendations(&i)?
                    .into_iter()
                    .find(|r| r.id == id)
                    .and_then(|r| r.deadline),
                None => None,
            };
            if kept.as_deref() == Some(d.format("%Y-%m-%d").to_string().as_str()) {
                return Ok(());
            }
        }
        Err(Refusal::DeadlinePast.err(format!(
            "Hạn {} đã qua (hôm nay là ngày {}). Nếu đúng là hạn này, hãy xác nhận «Vẫn lưu» (dòng lệnh: thêm --force); nếu không, sửa lại hạn.",
            crate::domain::text::fmt_date(d),
            crate::domain::text::fmt_date(today)
        )))
    }

    fn check_area(&self, inspection_id: &str, area: &str) -> Result<String> {
        let t = self.template(&self.inspection_template_id(inspection_id)?)?;
        let a = area.trim();
        t.area(a).map(|a| a.code.clone()).ok_or_else(|| {
            Refusal::BadChoice.err(format!(
                "Lĩnh vực «{a}» không có trong bộ tiêu chí. Chọn một trong: {}.",
                t.areas
                    .iter()
                    .map(|a| format!("{} ({})", a.code, a.title))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
        })
    }

    pub fn add_finding(
        &mut self,
        ctx: &Ctx,
        inspection_id: &str,
        area: &str,
        kind: FindingKind,
        body: &str,
    ) -> Result<String> {
        let area = self.check_area(inspection_id, area)?;
        let body = nfc(body);
        if body.is_empty() {
            return Err(Refusal::Required.err("Nội dung nhận xét không được để trống."));
        }
        self.write(ctx, "thêm nhận xét", |w| {
            let pos = crate::store::findings::next_finding_position(w, inspection_id, &area)?;
            let id = w.new_id();
            w.insert(
                "finding",
                &id,
                &[
                    ("inspection_id", Value::Text(inspection_id.into())),
                    ("area_code", Value::Text(area.clone())),
                    ("kind", Value::Text(kind.as_str().into())),
                    ("text", Value::Text(body.clone())),
                    ("position", Value::Integer(pos)),
                ],
            )?;
            Ok(id)
        })
    }

    pub fn update_finding(&mut self, ctx: &Ctx, finding_id: &str, body: &str) -> Result<usize> {
        self.live("finding", finding_id, "nhận xét")?;
        let body = nfc(body);
        if body.is_empty() {
            return Err(Refusal::Required.err("Nội dung nhận xét không được để trống."));
        }
        self.write(ctx, "sửa nhận xét", |w| {
            let n = w.update("finding", finding_id, &[("text", Value::Text(body.clone()))])?;
            Ok(n)
        })
    }

    pub fn delete_finding(&mut self, ctx: &Ctx, finding_id: &str) -> Result<()> {
        self.live("finding", finding_id, "nhận xét")?;
        self.write(ctx, "xóa nhận xét", |w| w.delete("finding", finding_id))
    }

    pub fn findings(&self, inspection_id: &str) -> Result<Vec<Finding>> {
        crate::store::findings::findings(self, inspection_id)
    }

    pub fn add_recommendation(
        &mut self,
        ctx: &Ctx,
        inspection_id: &str,
        area: Option<&str>,
        body: &str,
        owner: &str,
        deadline: Option<&str>,
    ) -> Result<(String, i64)> {
        let area = match area.map(str::trim).filter(|a| !a.is_empty()) {
            Some(a) => Some(self.check_area(inspection_id, a)?),
            None => None,
        };
        let body = nfc(body);
        if body.is_empty() {
            return Err(Refusal::Required.err("Nội dung kiến nghị không được để trống."));
        }
        let deadline = iso(deadline)?;
        self.write(ctx, "thêm kiến nghị", |w| {
            let number = crate::store::findings::next_recommendation_number(w, inspection_id)?;
            let id = w.new_id();
            let owner = nfc(owner);
            w.insert(
                "recommendation",
                &id,
                &[
                    ("inspection_id", Value::Text(inspection_id.into())),
                    ("area_code", area.clone().map(Value::Text).unwrap_or(Value::Null)),
                    ("number", Value::Integer(number)),
                    ("text", Value::Text(body.clone())),
                    ("owner", Value::Text(owner.clone())),
                    ("deadline", deadline.clone()),
                ],
            )?;
            Ok((id, number))
        })
    }

    /// Change a recommendation's text, owner, deadline or area (None leaves a field as is;
    /// an empty deadline or area clears it). Its number never changes.
    pub fn update_recommendation(
        &mut self,
        ctx: &Ctx,
        recommendation_id: &str,
        body: Option<&str>,
        owner: Option<&str>,
        deadline: Option<&str>,
        area: Option<&str>,
    ) -> Result<usize> {
        let inspection_id: String = crate::store::findings::live_recommendation_inspection(self, recommendation_id)?
            .ok_or_else(|| Error::NotFound {
                what: "kiến nghị",
                key: recommendation_id.into(),
            })?;
        let mut fields: Vec<(&str, Value)> = vec![];
        if let Some(b) = body {
            if nfc(b).is_empty() {
                return Err(Refusal::Required.err("Nội dung kiến nghị không được để trống."));
            }
            fields.push(("text", text(b)));
        }
        if let Some(o) = owner {
            fields.push(("owner", text(o)));
        }
        if let Some(d) = deadline {
            fields.push(("deadline", iso(Some(d))?));
        }
        if let Some(a) = area {
            let v = match a.trim() {
                "" => Value::Null,
                a => Value::Text(self.check_area(&inspection_id, a)?),
            };
            fields.push(("area_code", v));
        }
        self.write(ctx, "sửa kiến nghị", |w| {
            w.update("recommendation", recommendation_id, &fields)
        })
    }

    /// Withdraw a recommendation. The others keep their numbers (documents cite them).
    pub fn delete_recommendation(&mut self, ctx: &Ctx, recommendation_id: &str) -> Result<()> {
        self.live("recommendation", recommendation_id, "kiến nghị")?;
        let inspection_id = crate::store::findings::recommendation_inspection(self, recommendation_id)?;
        self.write(ctx, "xóa kiến nghị", |w| {
            w.delete("recommendation", recommendation_id)?;
            crate::app::followup::settle_inspection(w, &inspection_id)
        })
    }

    /// A finding of an inspection by its id or by the first characters of it (as lists show).
    pub fn resolve_finding(&self, inspection_id: &str, id_or_prefix: &str) -> Result<Finding> {
        let q = id_or_prefix.trim().to_lowercase();
        let all: Vec<Finding> = self
            .findings(inspection_id)?
            .into_iter()
            .filter(|f| f.id.starts_with(&q))
            .collect();
        match (q.len() >= 4, all.len()) {
            (true, 1) => Ok(all.into_iter().next().expect("one")),
            (true, n) if n > 1 => Err(Refusal::Ambiguous.err(format!(
                "Mã «{q}» trùng phần đầu với {n} nhận xét; hãy gõ thêm vài ký tự."
            ))),
            _ => Err(Error::NotFound {
                what: "nhận xét có mã",
                key: id_or_prefix.trim().into(),
            }),
        }
    }

    /// A recommendation by its number within an inspection ("kiến nghị số 2").
    pub fn recommendation_by_number(&self, inspection_id: &str, number: i64) -> Result<Recommendation> {
        self.recommendations(inspection_id)?
            .into_iter()
            .find(|r| r.number == number)
            .ok_or_else(|| Refusal::NotFound.err(format!("Cuộc kiểm tra này không có kiến nghị số {number}.")))
    }

    /// Change a recommendation's remediation state and the unit's report of it.
    pub fn set_recommendation_state(
        &mut self,
        ctx: &Ctx,
        recommendation_id: &str,
        state: RecommendationState,
        report_number: Option<&str>,
        report_date: Option<&str>,
    ) -> Result<usize> {
        let p = crate::app::followup::RemediationPatch {
            state: Some(state),
            report_number: report_number.map(str::to_string),
            report_date: report_date.map(str::to_string),
            ..Default::default()
        };
        self.update_followup(ctx, recommendation_id, &p)
    }

    pub fn recommendations(&self, inspection_id: &str) -> Result<Vec<Recommendation>> {
        crate::store::findings::recommendations(self, inspection_id)
    }

    /// Search units, criteria, findings, recommendations, evidence and notes, ignoring
    /// case and diacritics (đ included).
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        crate::store::search::search(&self.conn, query, limit)
    }

    /// [`Store::search`] within one plan: its units' records and the criteria.
    pub fn search_plan(&self, plan_id: &str, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        crate::store::search::search_in(&self.conn, query, limit, Some(plan_id))
    }
}
