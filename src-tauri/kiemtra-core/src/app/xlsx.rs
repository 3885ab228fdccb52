//! A plan's results as an Excel workbook (rust_xlsxwriter): scores and ranking, findings,
//! recommendations with their follow-up, and conclusion deadlines. Headings are
//! Vietnamese; numbers and dates are stored as numbers with Vietnamese display formats
//! (the `[$-42A]` locale: "1.081", "86,5%", "06/11/2026"); header rows are frozen and
//! filtered; columns have widths that fit what they hold.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use crate::domain::model::*;
use crate::error::{Error, Result};
use crate::store::Store;

/// What an export wrote.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct XlsxSummary {
    pub units: usize,
    pub findings: usize,
    pub recommendations: usize,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

fn xe(e: XlsxError) -> Error {
    Error::Internal(format!("Không tạo được tệp Excel: {e}"))
}

struct Formats {
    head: Format,
    text: Format,
    wrap: Format,
    int: Format,
    score: Format,
    percent: Format,
    date: Format,
    late: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("Times New Roman").set_font_size(12);
        Formats {
            head: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xDDE7F3))
                .set_border(FormatBorder::Thin),
            text: base.clone().set_align(FormatAlign::Top),
            wrap: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            int: base.clone().set_num_format("[$-42A]#,##0").set_align(FormatAlign::Top),
            score: base
                .clone()
                .set_num_format("[$-42A]#,##0.00")
                .set_align(FormatAlign::Top),
            percent: base.clone().set_num_format("[$-42A]0.0%").set_align(FormatAlign::Top),
            date: base
                .clone()
                .set_num_format("[$-42A]dd/mm/yyyy")
                .set_align(FormatAlign::Top),
            late: base
                .set_num_format("[$-42A]#,##0")
                .set_font_color(Color::RGB(0xB91C1C))
                .set_bold()
                .set_align(FormatAlign::Top),
        }
    }
}

fn excel_date(s: &str) -> Option<ExcelDateTime> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
}

/// Header row, widths, frozen first row and a filter over the columns.
fn header(ws: &mut Worksheet, f: &Formats, cols: &[(&str, f64)], rows: u32) -> Result<()> {
    for (c, (name, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &f.head).map_err(xe)?;
        ws.set_column_width(c as u16, *width).map_err(xe)?;
    }
    ws.set_row_height(0, 32).map_err(xe)?;
    ws.set_freeze_panes(1, 0).map_err(xe)?;
    ws.autofilter(0, 0, rows.max(1), cols.len() as u16 - 1).map_err(xe)?;
    Ok(())
}

fn put_date(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, d: Option<&str>) -> Result<()> {
    if let Some(x) = d.and_then(excel_date) {
        ws.write_datetime_with_format(row, col, &x, &f.date).map_err(xe)?;
    }
    Ok(())
}

fn put_text(ws: &mut Worksheet, fmt: &Format, row: u32, col: u16, s: &str) -> Result<()> {
    if !s.is_empty() {
        ws.write_string_with_format(row, col, s, fmt).map_err(xe)?;
    }
    Ok(())
}

impl Store {
    /// Write a plan's workbook to `out` (beside it first, then renamed: a failure leaves
    /// no half-written file). An existing file is replaced only when `overwrite`.
    pub fn export_xlsx(&self, plan_id: &str, today: NaiveDate, out: &Path, overwrite: bool) -> Result<XlsxSummary> {
        let (bytes, summary) = self.xlsx_bytes(plan_id, today)?;
        crate::store::files::write_bytes(out, &bytes, overwrite)?;
        Ok(summary)
    }

    /// The workbook's bytes.
    pub fn xlsx_bytes(&self, plan_id: &str, today: NaiveDate) -> Result<(Vec<u8>, XlsxSummary)> {
        let plan = self.plan(plan_id)?;
        let f = Formats::new();
        let mut wb = Workbook::new();
        wb.set_properties(
            &rust_xlsxwriter::DocProperties::new()
                .set_title(&plan.title)
                .set_author("Kiểm tra CCHC")
                .set_company(&plan.issuing_body),
        );

        // ---- Điểm: ranking, total and areas ----
        let ranking = self.ranking(plan_id)?;
        let areas = self.plan_areas(plan_id)?;
        // States from the rows alone (the ranking has scored the plan already).
        let states: HashMap<String, InspectionState> = self
            .inspection_rows("s.plan_id = ?1", plan_id)?
            .into_iter()
            .map(|(i, _)| (i.id, i.state))
            .collect();
        let self_totals = self.self_totals(plan_id)?;
        {
            let ws = wb.add_worksheet();
            ws.set_name("Điểm").map_err(xe)?;
            let area_names: Vec<String> = areas.iter().map(|a| format!("{}. {}", a.code, a.title)).collect();
            let mut cols: Vec<(&str, f64)> = vec![
                ("Hạng", 7.0),
                ("Đơn vị", 34.0),
                ("Loại", 8.0),
                ("Trạng thái", 18.0),
                ("Tổng điểm", 11.0),
                ("Điểm tối đa áp dụng", 12.0),
                ("Tỷ lệ", 9.0),
                ("Đơn vị tự chấm", 11.0),
                ("Tiêu chí đã chấm", 11.0),
            ];
            for n in &area_names {
                cols.push((n.as_str(), 16.0));
            }
            header(ws, &f, &cols, ranking.len() as u32)?;
            for (k, r) in ranking.iter().enumerate() {
                let row = k as u32 + 1;
                if let Some(rank) = r.rank {
                    ws.write_number_with_format(row, 0, rank as f64, &f.int).map_err(xe)?;
                }
                put_text(ws, &f.text, row, 1, &r.unit_name)?;
                put_text(ws, &f.text, row, 2, r.unit_kind.label())?;
                if let Some(s) = states.get(&r.inspection_id) {
                    put_text(ws, &f.text, row, 3, s.label())?;
                }
                if r.scored_items > 0 {
                    ws.write_number_with_format(row, 4, r.total, &f.score).map_err(xe)?;
                    ws.write_number_with_format(row, 5, r.applicable_max, &f.score)
                        .map_err(xe)?;
                    if let Some(p) = r.percent {
                        ws.write_number_with_format(row, 6, p / 100.0, &f.percent).map_err(xe)?;
                    }
                }
                if let Some(t) = self_totals.get(&r.inspection_id) {
                    ws.write_number_with_format(row, 7, *t, &f.score).map_err(xe)?;
                }
                ws.write_string_with_format(row, 8, format!("{}/{}", r.scored_items, r.scorable_items), &f.text)
                    .map_err(xe)?;
                for (c, a) in areas.iter().enumerate() {
                    if let Some((_, v)) = r.areas.iter().find(|(code, _)| *code == a.code) {
                        if r.scored_items > 0 {
                            ws.write_number_with_format(row, 9 + c as u16, *v, &f.score)
                                .map_err(xe)?;
                        }
                    }
                }
            }
        }

        // ---- Nhận xét: findings ----
        let area_title: HashMap<&str, &str> = areas.iter().map(|a| (a.code.as_str(), a.title.as_str())).collect();
        let mut findings = 0usize;
        {
            let ws = wb.add_worksheet();
            ws.set_name("Nhận xét").map_err(xe)?;
            let plan_findings = crate::store::workbook::plan_findings(self, plan_id)?;
            for (row, r) in (1u32..).zip(plan_findings) {
                let unit = r.unit_name;
                let area = r.area_code;
                let body = r.text;
                let again = r.reinspection;
                ws.write_number_with_format(row, 0, row as f64, &f.int).map_err(xe)?;
                put_text(
                    ws,
                    &f.text,
                    row,
                    1,
                    &if again {
                        format!("{unit} (kiểm tra lại)")
                    } else {
                        unit
                    },
                )?;
                let at = area_title.get(area.as_str()).copied().unwrap_or("");
                put_text(ws, &f.wrap, row, 2, &format!("{area}. {at}"))?;
                put_text(ws, &f.text, row, 3, r.kind.label())?;
                put_text(ws, &f.wrap, row, 4, &body)?;
                findings += 1;
            }
            header(
                ws,
                &f,
                &[
                    ("STT", 7.0),
                    ("Đơn vị", 30.0),
                    ("Lĩnh vực", 28.0),
                    ("Loại nhận xét", 18.0),
                    ("Nội dung", 80.0),
                ],
                findings as u32,
            )?;
        }

        // ---- Kiến nghị: recommendations and their follow-up ----
        let fu = self.followups(plan_id, today, false)?;
        {
            let ws = wb.add_worksheet();
            ws.set_name("Kiến nghị").map_err(xe)?;
            header(
                ws,
                &f,
                &[
                    ("Đơn vị", 30.0),
                    ("Số", 6.0),
                    ("Lĩnh vực", 9.0),
                    ("Nội dung kiến nghị", 60.0),
                    ("Đơn vị, người thực hiện", 24.0),
                    ("Thời hạn", 12.0),
                    ("Tình trạng", 16.0),
                    ("Quá hạn (ngày)", 10.0),
                    ("Số báo cáo khắc phục", 16.0),
                    ("Ngày báo cáo", 12.0),
                    ("Kết quả khắc phục", 50.0),
                ],
                fu.items.len() as u32,
            )?;
            for (k, i) in fu.items.iter().enumerate() {
                let row = k as u32 + 1;
                let r = &i.recommendation;
                let unit = if i.reinspection {
                    format!("{} (kiểm tra lại)", i.unit_name)
                } else {
                    i.unit_name.clone()
                };
                put_text(ws, &f.text, row, 0, &unit)?;
                ws.write_number_with_format(row, 1, r.number as f64, &f.int)
                    .map_err(xe)?;
                put_text(ws, &f.text, row, 2, r.area_code.as_deref().unwrap_or(""))?;
                put_text(ws, &f.wrap, row, 3, &r.text)?;
                put_text(ws, &f.wrap, row, 4, &r.owner)?;
                put_date(ws, &f, row, 5, r.deadline.as_deref())?;
                put_text(ws, &f.text, row, 6, r.state.label())?;
                if i.overdue {
                    ws.write_number_with_format(row, 7, i.days_overdue as f64, &f.late)
                        .map_err(xe)?;
                }
                put_text(ws, &f.text, row, 8, &r.report_number)?;
                put_date(ws, &f, row, 9, r.report_date.as_deref())?;
                put_text(ws, &f.wrap, row, 10, &r.report_note)?;
            }
        }

        // ---- Thời hạn kết luận: conclusion deadlines ----
        {
            let ws = wb.add_worksheet();
            ws.set_name("Thời hạn kết luận").map_err(xe)?;
            let dv = self.deadlines(plan_id, today)?;
            header(
                ws,
                &f,
                &[
                    ("Đơn vị", 30.0),
                    ("Kết thúc kiểm tra", 13.0),
                    ("Hạn ban hành thông báo", 13.0),
                    ("Ngày ban hành", 13.0),
                    ("Tình trạng", 22.0),
                    ("Còn (ngày làm việc)", 12.0),
                ],
                dv.rows.len() as u32,
            )?;
            for (k, i) in dv.rows.iter().enumerate() {
                let row = k as u32 + 1;
                let m = &i.mark;
                put_text(ws, &f.text, row, 0, &i.unit_name)?;
                put_date(ws, &f, row, 1, Some(&m.visit_end))?;
                put_date(ws, &f, row, 2, Some(&m.deadline))?;
                put_date(ws, &f, row, 3, m.issued_date.as_deref())?;
                put_text(ws, &f.text, row, 4, m.state.label())?;
                if matches!(
                    m.state,
                    crate::app::followup::DeadlineState::Upcoming
                        | crate::app::followup::DeadlineState::DueThisWeek
                        | crate::app::followup::DeadlineState::Overdue
                ) {
                    ws.write_number_with_format(row, 5, m.working_days_left as f64, &f.int)
                        .map_err(xe)?;
                }
            }
        }

        let bytes = wb.save_to_buffer().map_err(xe)?;
        Ok((
            bytes.clone(),
            XlsxSummary {
                units: ranking.len(),
                findings,
                recommendations: fu.items.len(),
                bytes: bytes.len() as u64,
            },
        ))
    }

    /// The unit's self-assessed total per inspection of a plan (only those with self scores).
    fn self_totals(&self, plan_id: &str) -> Result<HashMap<String, f64>> {
        crate::store::workbook::self_totals(self, plan_id)
    }
}
