//! After the visit: `kiemtra followup`, `deadline`, `reinspect`, `export xlsx`, `holidays`
//! and the unit's own self-assessment (`kiemtra self`).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use kiemtra_core::calendar::{weekday_name, HolidayKind};
use kiemtra_core::followup::{DeadlineMark, DeadlineState, RemediationPatch, CONCLUSION_WORKING_DAYS};
use kiemtra_core::model::*;
use kiemtra_core::text::{fmt_date, fmt_score, parse_number};
use kiemtra_core::Result;
use serde_json::json;

use super::App;
use crate::output::{clip, json_ok, table};

#[derive(Subcommand)]
pub enum FollowupCmd {
    /// Mọi kiến nghị của kế hoạch với tình trạng khắc phục, thời hạn, báo cáo của đơn vị
    List {
        /// Chỉ các kiến nghị quá hạn chưa khắc phục
        #[arg(long)]
        overdue: bool,
        /// Chỉ đơn vị này
        #[arg(long)]
        unit: Option<String>,
    },
    /// Ghi tình trạng khắc phục và báo cáo của đơn vị cho kiến nghị số SỐ
    Set {
        unit: String,
        number: i64,
        /// chua_thuc_hien, dang_thuc_hien, da_khac_phuc (hoặc «đã khắc phục»…)
        #[arg(long)]
        state: Option<String>,
        /// Số báo cáo kết quả khắc phục (ví dụ 15/BC-UBND)
        #[arg(long)]
        report_number: Option<String>,
        /// Ngày báo cáo (dd/mm/yyyy)
        #[arg(long)]
        report_date: Option<String>,
        /// Kết quả khắc phục đơn vị báo cáo
        #[arg(long)]
        note: Option<String>,
        /// Bản scan báo cáo hoặc ảnh kết quả khắc phục
        #[arg(long, value_name = "TỆP")]
        file: Option<PathBuf>,
        /// Bỏ tệp minh chứng đã đính kèm
        #[arg(long, conflicts_with = "file")]
        clear_file: bool,
    },
}

#[derive(Subcommand)]
pub enum ExportCmd {
    /// Bảng tính Excel của kế hoạch: điểm và xếp hạng, nhận xét, kiến nghị, thời hạn
    Xlsx {
        /// Tệp ra (.xlsx; không ghi đè tệp đã có)
        #[arg(long, value_name = "TỆP")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum HolidaysCmd {
    /// Các ngày nghỉ lễ, Tết, nghỉ bù và ngày làm bù
    List {
        /// Chỉ năm này
        #[arg(long)]
        year: Option<i32>,
    },
    /// Thêm (hoặc sửa) một ngày nghỉ; --lam-bu cho thứ Bảy/Chủ nhật làm bù
    Add {
        /// Ngày (dd/mm/yyyy)
        date: String,
        /// Tên ngày nghỉ
        name: String,
        #[arg(long)]
        lam_bu: bool,
    },
    /// Bỏ một ngày khỏi danh sách
    Remove { date: String },
}

#[derive(Subcommand)]
pub enum SelfCmd {
    /// Dùng máy này cho đơn vị tự đánh giá (điểm của đoàn không sửa được trên máy này)
    Start { unit: String },
    /// Trở lại dùng máy cho đoàn kiểm tra
    Stop,
    /// Điểm tự chấm của một tiêu chí («-» để xóa) và giải trình
    Score {
        unit: String,
        code: String,
        score: String,
        /// Giải trình, căn cứ tự chấm
        #[arg(long)]
        note: Option<String>,
    },
    /// Số liệu đơn vị tự báo cáo («-» để xóa)
    Figure { unit: String, key: String, value: String },
    /// Kết quả tự đánh giá của đơn vị bên cạnh điểm của đoàn
    Show { unit: String },
    /// Mời đơn vị tự đánh giá (máy trưởng đoàn): tệp mời mang bảng tiêu chí của đơn vị
    Invite {
        unit: String,
        /// Tệp mời (không ghi đè tệp đã có)
        #[arg(long, value_name = "TỆP")]
        out: PathBuf,
    },
    /// Trên máy của đơn vị: nhận lời mời tự đánh giá (máy chuyển sang chế độ đơn vị)
    Join { file: PathBuf },
}

/// The plan screen's deadline cell: "06/11/2026 (còn 3 ngày)".
pub fn deadline_cell(m: Option<&DeadlineMark>) -> String {
    let Some(m) = m else { return String::new() };
    let d = ymd(&m.deadline).map(fmt_date).unwrap_or_default();
    match m.state {
        DeadlineState::Issued | DeadlineState::IssuedLate => format!("{d} ({})", m.state.short_label()),
        DeadlineState::Overdue => format!("{d} QUÁ HẠN {} ngày", m.days_overdue),
        DeadlineState::DueThisWeek => format!("{d} (tuần này, còn {} ngày)", m.working_days_left),
        DeadlineState::Upcoming => format!("{d} (còn {} ngày)", m.working_days_left),
    }
}

fn ymd(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn short(s: &Option<String>) -> String {
    s.as_deref().and_then(ymd).map(fmt_date).unwrap_or_default()
}

pub fn followup(app: &App, c: FollowupCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        FollowupCmd::List { overdue, unit } => {
            let plan = store.current_plan()?;
            let mut v = store.followups(&plan.id, app.ctx.today(), overdue)?;
            if let Some(u) = unit {
                let u = store.resolve_unit(&u)?;
                v.items.retain(|i| i.unit_id == u.id);
            }
            if app.json {
                return json_ok(&v);
            }
            println!(
                "Theo dõi khắc phục ({}, ngày {}): {} chưa khắc phục, trong đó {} quá hạn; {} đã khắc phục.",
                plan.title,
                fmt_date(app.ctx.today()),
                v.open,
                v.overdue,
                v.remedied
            );
            if v.items.is_empty() {
                println!(
                    "{}",
                    if overdue {
                        "Không có kiến nghị nào quá hạn."
                    } else {
                        "Chưa có kiến nghị nào."
                    }
                );
                return Ok(());
            }
            let rows: Vec<Vec<String>> = v
                .items
                .iter()
                .map(|i| {
                    let r = &i.recommendation;
                    vec![
                        format!(
                            "{}{}",
                            clip(&i.unit_name, 28),
                            if i.reinspection { " (KT lại)" } else { "" }
                        ),
                        r.number.to_string(),
                        clip(&r.text, 50),
                        short(&r.deadline),
                        r.state.label().to_string(),
                        if i.overdue {
                            format!("QUÁ HẠN {} ngày", i.days_overdue)
                        } else if i.due_this_week {
                            "đến hạn tuần này".into()
                        } else {
                            String::new()
                        },
                        [r.report_number.clone(), short(&r.report_date)]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join(" ngày "),
                    ]
                })
                .collect();
            table(
                &[
                    "Đơn vị",
                    "Số",
                    "Kiến nghị",
                    "Thời hạn",
                    "Tình trạng",
                    "",
                    "Báo cáo khắc phục",
                ],
                &rows,
                &[1],
            );
        }
        FollowupCmd::Set {
            unit,
            number,
            state,
            report_number,
            report_date,
            note,
            file,
            clear_file,
        } => {
            let (u, insp) = store.resolve_inspection(&unit)?;
            let rec = store.recommendation_by_number(&insp, number)?;
            let state = match state {
                Some(s) => Some(parse_enum(
                    &s,
                    "Tình trạng",
                    RecommendationState::parse,
                    RecommendationState::ALL,
                    |s| format!("{} ({})", s.as_str(), s.label()),
                )?),
                None => None,
            };
            let p = RemediationPatch {
                state,
                report_number,
                report_date,
                report_note: note,
                evidence_file: file,
                clear_evidence: clear_file.then_some(true),
            };
            let n = store.update_followup(&app.ctx, &rec.id, &p)?;
            let after = store.recommendation(&rec.id)?;
            if app.json {
                return json_ok(&json!({ "changed": n, "recommendation": after }));
            }
            if n == 0 {
                println!("Không có gì thay đổi.");
            } else {
                println!(
                    "{} · kiến nghị số {}: {}{}.",
                    u.name,
                    after.number,
                    after.state.label(),
                    if after.report_number.is_empty() && after.report_date.is_none() {
                        String::new()
                    } else {
                        format!(
                            " (báo cáo {}{})",
                            after.report_number,
                            after
                                .report_date
                                .as_deref()
                                .and_then(ymd)
                                .map(|d| format!(" ngày {}", fmt_date(d)))
                                .unwrap_or_default()
                        )
                    }
                );
            }
        }
    }
    Ok(())
}

pub fn deadline(app: &App, unit: Option<String>) -> Result<()> {
    let store = app.open()?;
    let plan = store.current_plan()?;
    let mut v = store.deadlines(&plan.id, app.ctx.today())?;
    if let Some(u) = unit {
        let u = store.resolve_unit(&u)?;
        v.rows.retain(|r| r.unit_id == u.id);
    }
    if app.json {
        return json_ok(&v);
    }
    println!(
        "Hạn ban hành thông báo kết quả kiểm tra: {CONCLUSION_WORKING_DAYS} ngày làm việc sau khi kết thúc kiểm tra (không tính thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết). Hôm nay {} {}; tuần này {} – {}.",
        weekday_name(app.ctx.today()),
        fmt_date(app.ctx.today()),
        short(&Some(v.week_start.clone())),
        short(&Some(v.week_end.clone())),
    );
    if v.rows.is_empty() {
        println!("Chưa có cuộc kiểm tra nào có ngày kết thúc.");
    } else {
        let rows: Vec<Vec<String>> = v
            .rows
            .iter()
            .map(|r| {
                vec![
                    format!("{}{}", r.unit_name, if r.reinspection { " (KT lại)" } else { "" }),
                    short(&Some(r.mark.visit_end.clone())),
                    short(&Some(r.mark.deadline.clone())),
                    r.mark.state.label().to_string(),
                    match r.mark.state {
                        DeadlineState::Issued | DeadlineState::IssuedLate => short(&r.mark.issued_date),
                        DeadlineState::Overdue => format!("quá {} ngày", r.mark.days_overdue),
                        _ => format!("còn {} ngày", r.mark.working_days_left),
                    },
                ]
            })
            .collect();
        table(
            &[
                "Đơn vị",
                "Kết thúc KT",
                "Hạn thông báo",
                "Tình trạng",
                "Ngày làm việc / ban hành",
            ],
            &rows,
            &[],
        );
    }
    let mut missing: Vec<i32> = v.rows.iter().flat_map(|r| r.mark.missing_years.clone()).collect();
    missing.sort();
    missing.dedup();
    for y in missing {
        println!(
            "Lưu ý: chưa có danh sách ngày nghỉ lễ năm {y}; hạn chỉ trừ thứ Bảy, Chủ nhật. Thêm bằng «kiemtra holidays add»."
        );
    }
    if v.without_dates > 0 {
        println!(
            "{} cuộc kiểm tra chưa có ngày kết thúc nên chưa tính được hạn.",
            v.without_dates
        );
    }
    Ok(())
}

pub fn reinspect(app: &App, unit: &str) -> Result<()> {
    let mut store = app.open()?;
    let (_, original) = store.resolve_inspection(unit)?;
    let r = store.reinspect(&app.ctx, &original)?;
    if app.json {
        return json_ok(&r);
    }
    println!(
        "Đã tạo cuộc kiểm tra lại «{}» (bộ tiêu chí phiên bản {} như lần trước), mang theo {} kiến nghị chưa khắc phục:",
        r.unit_name,
        r.template_version,
        r.carried.len()
    );
    for c in &r.carried {
        println!(
            "  {}. {} (kiến nghị số {} lần trước; {})",
            c.number,
            clip(&c.text, 70),
            c.original_number,
            c.state.label()
        );
    }
    Ok(())
}

pub fn export(app: &App, c: ExportCmd) -> Result<()> {
    let store = app.open()?;
    match c {
        ExportCmd::Xlsx { out } => {
            let plan = store.current_plan()?;
            let s = store.export_xlsx(&plan.id, app.ctx.today(), &out, false)?;
            if app.json {
                return json_ok(&json!({ "file": out, "summary": s }));
            }
            println!(
                "Đã xuất {}: {} đơn vị, {} nhận xét, {} kiến nghị ({} KB). Các trang: Điểm, Nhận xét, Kiến nghị, Thời hạn kết luận.",
                out.display(),
                s.units,
                s.findings,
                s.recommendations,
                s.bytes.div_ceil(1024)
            );
        }
    }
    Ok(())
}

pub fn holidays(app: &App, c: HolidaysCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        HolidaysCmd::List { year } => {
            let v = store.holidays(year)?;
            if app.json {
                return json_ok(&v);
            }
            if v.is_empty() {
                println!(
                    "Chưa có ngày nghỉ nào{}.",
                    year.map(|y| format!(" năm {y}")).unwrap_or_default()
                );
                return Ok(());
            }
            let rows: Vec<Vec<String>> = v
                .iter()
                .map(|h| {
                    vec![
                        short(&Some(h.date.clone())),
                        h.weekday.clone(),
                        h.kind.label().to_string(),
                        h.name.clone(),
                        if h.shipped { "" } else { "người dùng thêm" }.to_string(),
                    ]
                })
                .collect();
            table(&["Ngày", "Thứ", "Loại", "Tên", ""], &rows, &[]);
        }
        HolidaysCmd::Add { date, name, lam_bu } => {
            let kind = if lam_bu { HolidayKind::LamBu } else { HolidayKind::Nghi };
            let h = store.set_holiday(&date, kind, &name)?;
            if app.json {
                return json_ok(&h);
            }
            println!(
                "Đã ghi {} {}: {} ({}).",
                h.weekday,
                short(&Some(h.date.clone())),
                h.name,
                h.kind.label()
            );
        }
        HolidaysCmd::Remove { date } => {
            let h = store.remove_holiday(&date)?;
            if app.json {
                return json_ok(&h);
            }
            println!("Đã bỏ {} ({}) khỏi danh sách.", short(&Some(h.date.clone())), h.name);
        }
    }
    Ok(())
}

pub fn self_assess(app: &App, c: SelfCmd) -> Result<()> {
    let c = match c {
        SelfCmd::Invite { unit, out } => return super::trust::self_invite(app, &unit, &out),
        SelfCmd::Join { file } => return super::trust::self_join(app, &file),
        c => c,
    };
    let mut store = app.open()?;
    match c {
        SelfCmd::Invite { .. } | SelfCmd::Join { .. } => unreachable!("invitations are handled above"),
        SelfCmd::Start { unit } => {
            let u = store.resolve_unit(&unit)?;
            store.set_self_assessment_unit(Some(&u.id))?;
            if app.json {
                return json_ok(&json!({ "unit": u }));
            }
            println!(
                "Máy này dùng cho «{}» tự đánh giá: ghi điểm tự chấm, số liệu và tài liệu của đơn vị; điểm của đoàn không sửa được. Xong thì gửi tệp: kiemtra exchange export --unit \"{}\" --out TỆP.",
                u.name, u.name
            );
        }
        SelfCmd::Stop => {
            store.set_self_assessment_unit(None)?;
            if !app.json {
                println!("Máy này trở lại dùng cho đoàn kiểm tra.");
            } else {
                return json_ok(&json!({ "unit": null }));
            }
        }
        SelfCmd::Score {
            unit,
            code,
            score,
            note,
        } => {
            let (_, insp) = store.resolve_inspection(&unit)?;
            let v = match score.trim() {
                "-" => Some(None),
                s => Some(Some(parse_number(s, false, "Điểm tự chấm")?)),
            };
            let n = store.set_self_score(&app.ctx, &insp, &code, v, note.as_deref())?;
            if app.json {
                return json_ok(&json!({ "changed": n }));
            }
            println!(
                "{}",
                if n == 0 {
                    "Không có gì thay đổi."
                } else {
                    "Đã lưu điểm tự chấm."
                }
            );
        }
        SelfCmd::Figure { unit, key, value } => {
            let (_, insp) = store.resolve_inspection(&unit)?;
            if value.trim() == "-" {
                let removed = store.clear_self_figure(&app.ctx, &insp, &key)?;
                if app.json {
                    return json_ok(&json!({ "removed": removed }));
                }
                println!(
                    "{}",
                    if removed {
                        "Đã xóa số liệu."
                    } else {
                        "Chưa có số liệu này."
                    }
                );
            } else {
                let v = store.set_self_figure_text(&app.ctx, &insp, &key, &value)?;
                if app.json {
                    return json_ok(&json!({ "key": key, "value": v }));
                }
                println!(
                    "Đã lưu số liệu đơn vị báo cáo: {} = {}.",
                    kiemtra_core::figures::label(&key),
                    value.trim()
                );
            }
        }
        SelfCmd::Show { unit } => {
            let (u, insp) = store.resolve_inspection(&unit)?;
            let s = store.self_assessment(&insp)?;
            if app.json {
                return json_ok(&s);
            }
            println!(
                "{} tự đánh giá: {} / {} tiêu chí đã tự chấm; tổng tự chấm {} điểm (đoàn chấm {}); {} tài liệu do đơn vị cung cấp.",
                u.name,
                s.scored_items,
                s.scorable_items,
                fmt_score(s.self_total),
                fmt_score(s.team_total),
                s.evidence_from_unit
            );
            let rows: Vec<Vec<String>> = s
                .areas
                .iter()
                .map(|(code, title, own, team)| {
                    vec![
                        format!("{code}. {}", clip(title, 58)),
                        fmt_score(*own),
                        fmt_score(*team),
                    ]
                })
                .collect();
            table(&["Lĩnh vực", "Tự chấm", "Đoàn chấm"], &rows, &[1, 2]);
            let figs: Vec<Vec<String>> = s
                .figures
                .iter()
                .filter(|f| f.value.is_some())
                .map(|f| vec![f.label.clone(), f.display.clone()])
                .collect();
            if !figs.is_empty() {
                println!();
                table(&["Số liệu đơn vị báo cáo", "Giá trị"], &figs, &[1]);
            }
        }
    }
    Ok(())
}
