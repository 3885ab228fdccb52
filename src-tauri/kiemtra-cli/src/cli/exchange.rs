//! `kiemtra exchange …` and `kiemtra conflicts …`: merging laptops by copying one file.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use kiemtra_core::exchange::{ImportSummary, Keep};
use kiemtra_core::{paths, Refusal, Result};
use serde_json::json;

use super::App;
use crate::output::{clip, json_ok, table};

#[derive(Subcommand)]
pub enum ExchangeCmd {
    /// Xuất cả kế hoạch (hoặc các đơn vị chọn) ra một tệp .kiemtra để chép sang máy khác
    Export {
        /// Tệp ra (đuôi .kiemtra; không ghi đè tệp đã có)
        #[arg(long, value_name = "TỆP")]
        out: PathBuf,
        /// Chỉ các đơn vị này (mã hoặc một phần tên; ghi nhiều lần)
        #[arg(long = "unit", value_name = "ĐƠN VỊ")]
        units: Vec<String>,
    },
    /// Xem trước: nhập tệp sẽ thêm, sửa, xóa gì và gây xung đột ở đâu (không thay đổi gì)
    Preview { file: PathBuf },
    /// Nhập tệp .kiemtra (sao lưu trước; một giao dịch; nhập lại cùng tệp không thay đổi gì)
    Import { file: PathBuf },
}

#[derive(Subcommand)]
pub enum ConflictsCmd {
    /// Các trường bị sửa đồng thời trên hai máy, với các giá trị, ai sửa, lúc nào
    List,
    /// Chọn giá trị cho một xung đột: --keep mine (giá trị máy này), --keep theirs, hoặc --value
    Resolve {
        /// Mã xung đột (trong «conflicts list»)
        id: String,
        /// mine hoặc theirs
        #[arg(long, conflicts_with = "value")]
        keep: Option<String>,
        /// Giá trị viết lại
        #[arg(long)]
        value: Option<String>,
        /// Khi có nhiều phiên bản khác: đồng hồ (hoặc phần đầu) của phiên bản chọn
        #[arg(long)]
        version: Option<String>,
    },
}

fn print_summary(s: &ImportSummary, preview: bool) {
    if s.already_imported && s.total.is_empty() {
        println!("Tệp này đã được nhập trước đây; không có gì thay đổi.");
        return;
    }
    println!(
        "Tệp của {} (máy {}), xuất lúc {}.",
        if s.from_inspector.is_empty() {
            "(không rõ)"
        } else {
            &s.from_inspector
        },
        &s.from_device.chars().take(8).collect::<String>(),
        s.created_at
    );
    let rows: Vec<Vec<String>> = s
        .units
        .iter()
        .map(|u| {
            vec![
                u.name.clone(),
                u.changes.added.to_string(),
                u.changes.changed.to_string(),
                u.changes.deleted.to_string(),
                u.changes.conflicts.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        println!("Không có thay đổi nào: máy này đã có mọi thứ trong tệp.");
    } else {
        table(&["Đơn vị", "Thêm", "Sửa", "Xóa", "Xung đột"], &rows, &[1, 2, 3, 4]);
        println!(
            "Tổng: thêm {}, sửa {}, xóa {}, xung đột {}; {} trường, {} tệp đính kèm mới.",
            s.total.added, s.total.changed, s.total.deleted, s.total.conflicts, s.fields_changed, s.attachments_added
        );
    }
    for w in &s.warnings {
        println!("Lưu ý: {w}");
    }
    if preview {
        println!("(Xem trước: chưa thay đổi gì. Nhập bằng «kiemtra exchange import».)");
    } else {
        if let Some(b) = &s.backup {
            println!("Đã sao lưu trước khi nhập: {b}");
        }
        if s.total.conflicts > 0 {
            println!("Xem và chọn giá trị cho các xung đột: kiemtra conflicts list");
        }
    }
}

fn backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .map(|d| d.join("sao-luu"))
        .or_else(|| paths::default_db_path().and_then(|p| p.parent().map(|d| d.join("sao-luu"))))
        .unwrap_or_else(|| PathBuf::from("sao-luu"))
}

pub fn run(app: &App, c: ExchangeCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        ExchangeCmd::Export { out, units } => {
            let plan = store.current_plan()?;
            let mut ids = Vec::new();
            for u in &units {
                ids.push(store.resolve_unit(u)?.id);
            }
            let e = store.export_exchange(&app.ctx, &plan.id, &ids, &out)?;
            if app.json {
                return json_ok(&e);
            }
            println!(
                "Đã xuất {} đơn vị ({} bản ghi, {} trường, {} tệp đính kèm) vào {} ({} KB).",
                e.units.len(),
                e.records,
                e.fields,
                e.attachments,
                e.path,
                e.bytes.div_ceil(1024)
            );
        }
        ExchangeCmd::Preview { file } => {
            let s = store.preview_exchange(&app.ctx, &file)?;
            if app.json {
                return json_ok(&s);
            }
            print_summary(&s, true);
        }
        ExchangeCmd::Import { file } => {
            let dir = backup_dir(&app.db);
            let s = store.import_exchange(&app.ctx, &file, Some(&dir), &mut |_, _| {})?;
            if app.json {
                return json_ok(&s);
            }
            print_summary(&s, false);
        }
    }
    Ok(())
}

pub fn conflicts(app: &App, c: ConflictsCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        ConflictsCmd::List => {
            let all = store.conflicts()?;
            if app.json {
                return json_ok(&all);
            }
            if all.is_empty() {
                println!("Không có xung đột nào.");
            }
            for c in &all {
                println!(
                    "[{}] {}{} — {}",
                    c.id,
                    c.what,
                    c.unit_name.as_deref().map(|u| format!(" ({u})")).unwrap_or_default(),
                    c.field_label
                );
                for v in &c.versions {
                    println!(
                        "    {} «{}» — {}, máy {}, lúc {}",
                        if v.shown { "đang dùng:" } else { "bản khác: " },
                        clip(&v.value, 120),
                        if v.inspector.is_empty() {
                            "(không rõ)"
                        } else {
                            &v.inspector
                        },
                        v.device.chars().take(8).collect::<String>(),
                        v.at
                    );
                }
            }
        }
        ConflictsCmd::Resolve {
            id,
            keep,
            value,
            version,
        } => {
            let k = match (keep.as_deref().map(str::trim), value) {
                (_, Some(v)) => Keep::Value(v),
                (Some("mine"), None) => Keep::Mine,
                (Some("theirs"), None) => Keep::Theirs(version),
                _ => {
                    return Err(Refusal::BadArgument.err(
                        "Hãy chọn --keep mine (giữ giá trị máy này), --keep theirs (giá trị máy khác) hoặc --value «giá trị mới».",
                    ))
                }
            };
            let c = store.resolve_conflict(&app.ctx, &id, k)?;
            if app.json {
                return json_ok(&json!({ "resolved": c.id }));
            }
            println!(
                "Đã chọn giá trị cho {} — {}; lựa chọn sẽ đi theo tệp trao đổi tiếp theo.",
                c.what, c.field_label
            );
        }
    }
    Ok(())
}
