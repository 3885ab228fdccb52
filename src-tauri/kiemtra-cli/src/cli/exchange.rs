//! `kiemtra exchange …` and `kiemtra conflicts …`: merging laptops by copying one file.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use kiemtra_core::exchange::{ImportSummary, Keep, Unprotected};
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
    Preview {
        file: PathBuf,
        /// Chấp nhận cả tệp không được bảo vệ (không mã hóa, không chữ ký: tệp của phiên bản cũ hoặc máy chưa có khóa đoàn)
        #[arg(long)]
        allow_unprotected: bool,
    },
    /// Nhập tệp .kiemtra (sao lưu trước; một giao dịch; nhập lại cùng tệp không thay đổi gì)
    Import {
        file: PathBuf,
        /// Chấp nhận cả tệp không được bảo vệ (không mã hóa, không chữ ký: tệp của phiên bản cũ hoặc máy chưa có khóa đoàn)
        #[arg(long)]
        allow_unprotected: bool,
    },
    /// Các tệp đã nhận: từ máy nào, người dùng nào (đã xác minh chữ ký hay không), tạo lúc nào, nhập lúc nào, sửa gì
    Received {
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
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
    match &s.verified {
        Some(v) => println!(
            "Chữ ký đã xác minh: tệp do máy {} của {} ({}) tạo.",
            v.laptop_id.chars().take(8).collect::<String>(),
            v.member,
            v.role_label
        ),
        None => println!(
            "Lưu ý: tệp không được bảo vệ (không mã hóa, không có chữ ký); không biết chắc ai đã tạo hay sửa nó."
        ),
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

pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .map(|d| d.join("sao-luu"))
        .or_else(|| paths::default_db_path().and_then(|p| p.parent().map(|d| d.join("sao-luu"))))
        .unwrap_or_else(|| PathBuf::from("sao-luu"))
}

fn allow(yes: bool) -> Unprotected {
    if yes {
        Unprotected::Allow
    } else {
        Unprotected::Refuse
    }
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
        ExchangeCmd::Preview {
            file,
            allow_unprotected,
        } => {
            let s = store.preview_exchange_with(&app.ctx, &file, allow(allow_unprotected))?;
            if app.json {
                return json_ok(&s);
            }
            print_summary(&s, true);
        }
        ExchangeCmd::Import {
            file,
            allow_unprotected,
        } => {
            let dir = backup_dir(&app.db);
            let s =
                store.import_exchange_with(&app.ctx, &file, Some(&dir), allow(allow_unprotected), &mut |_, _| {})?;
            if app.json {
                return json_ok(&s);
            }
            print_summary(&s, false);
        }
        ExchangeCmd::Received { limit } => {
            let all = store.received_files(limit)?;
            if app.json {
                return json_ok(&all);
            }
            if all.is_empty() {
                println!("Máy này chưa nhận tệp trao đổi nào.");
            }
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|r| {
                    vec![
                        clip(&r.file_name, 40),
                        format!(
                            "{}{}",
                            r.from,
                            if r.verified {
                                " ✔ đã xác minh"
                            } else {
                                " (không được bảo vệ)"
                            }
                        ),
                        r.from_laptop
                            .as_deref()
                            .map(|l| l.chars().take(8).collect())
                            .unwrap_or_default(),
                        r.made_at
                            .as_deref()
                            .map(|t| clip(&t.replace('T', " "), 19))
                            .unwrap_or_default(),
                        clip(&r.imported_at.replace('T', " "), 19),
                        format!(
                            "thêm {}, sửa {}, xóa {}, xung đột {}",
                            r.changes.added, r.changes.changed, r.changes.deleted, r.changes.conflicts
                        ),
                    ]
                })
                .collect();
            table(&["Tệp", "Từ", "Máy", "Tạo lúc", "Nhập lúc", "Thay đổi"], &rows, &[]);
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
