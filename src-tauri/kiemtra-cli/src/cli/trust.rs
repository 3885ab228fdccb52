//! `kiemtra team key …`, `team invite|join|revoke` and `self invite|join`: the team's keys,
//! which make every exchange file readable by the team alone and prove who made it.

use std::path::Path;

use clap::Subcommand;
use kiemtra_core::team::{Invited, TeamView};
use kiemtra_core::Result;
use serde_json::json;

use super::App;
use crate::output::{json_ok, table};

#[derive(Subcommand)]
pub enum KeyCmd {
    /// Tạo khóa đoàn trên máy này (máy trưởng đoàn): từ đó mọi tệp trao đổi được mã hóa và ký
    New {
        /// Tên đoàn (mặc định: tên đoàn kiểm tra của kế hoạch)
        #[arg(long)]
        name: Option<String>,
        /// Người dùng máy này (mặc định: --inspector)
        #[arg(long)]
        member: Option<String>,
    },
    /// Khóa đoàn: mã nhận dạng (đọc cho nhau qua điện thoại), kỳ khóa, các máy của đoàn
    Show,
}

pub fn print_team(t: &TeamView) {
    println!("Đoàn: {}", t.team_name);
    println!("Mã khóa đoàn: {}", t.fingerprint);
    println!(
        "Kỳ khóa: {} (danh sách máy số {}). Máy này: {} — {}{}.",
        t.period,
        t.roster_serial,
        t.member,
        t.role_label,
        if t.is_lead { ", giữ khóa đoàn" } else { "" }
    );
    let rows: Vec<Vec<String>> = t
        .laptops
        .iter()
        .map(|l| {
            vec![
                l.id.chars().take(8).collect(),
                format!("{}{}", l.member, if l.this_laptop { " (máy này)" } else { "" }),
                l.unit_name
                    .as_ref()
                    .map(|u| format!("{} — {u}", l.role_label))
                    .unwrap_or_else(|| l.role_label.clone()),
                if l.active {
                    "đang dùng".into()
                } else {
                    "đã thu hồi".into()
                },
                l.files_received.to_string(),
            ]
        })
        .collect();
    table(
        &["Máy", "Người dùng", "Vai trò", "Trạng thái", "Tệp đã nhận"],
        &rows,
        &[4],
    );
}

fn print_invited(i: &Invited, join: &str) {
    println!(
        "Đã ghi lời mời cho «{}» vào {} (máy {}).",
        i.member,
        i.path,
        i.laptop_id.chars().take(8).collect::<String>()
    );
    println!(
        "Mã khóa đoàn: {} — đọc cho người nhận để so với máy của họ.",
        i.fingerprint
    );
    println!(
        "Chép tệp này sang máy kia (USB) và chạy: {join} TỆP. Ai có tệp này đều tham gia được như máy đó: giữ kín, xóa sau khi dùng."
    );
}

pub fn key(app: &App, c: KeyCmd) -> Result<()> {
    let mut store = app.open()?;
    match c {
        KeyCmd::New { name, member } => {
            let name = match name {
                Some(n) => n,
                None => store
                    .current_plan()
                    .ok()
                    .and_then(|p| store.team(&p.id).ok().flatten())
                    .map(|t| t.name)
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| "Đoàn kiểm tra CCHC".into()),
            };
            let member = member.unwrap_or_else(|| app.ctx.inspector.clone());
            let t = store.team_create(&app.ctx, &name, &member)?;
            if app.json {
                return json_ok(&t);
            }
            println!("Đã tạo khóa đoàn. Từ nay mọi tệp trao đổi máy này xuất ra đều được mã hóa và ký.");
            print_team(&t);
            println!("Mời máy thành viên: kiemtra team invite --member \"HỌ TÊN\" --out TỆP");
        }
        KeyCmd::Show => match store.team_view()? {
            Some(t) => {
                if app.json {
                    return json_ok(&t);
                }
                print_team(&t);
            }
            None => {
                if app.json {
                    return json_ok(&json!(null));
                }
                println!(
                    "Máy này chưa có khóa đoàn: tệp trao đổi xuất ra không được bảo vệ. Trưởng đoàn: kiemtra team key new; thành viên: kiemtra team join TỆP-MỜI."
                );
            }
        },
    }
    Ok(())
}

pub fn invite(app: &App, member: &str, out: &Path) -> Result<()> {
    let mut store = app.open()?;
    let i = store.team_invite(&app.ctx, member, out)?;
    if app.json {
        return json_ok(&i);
    }
    print_invited(&i, "kiemtra team join");
    Ok(())
}

pub fn join(app: &App, file: &Path) -> Result<()> {
    let mut store = app.open()?;
    let t = store.team_join(&app.ctx, file)?;
    if app.json {
        return json_ok(&t);
    }
    println!("Máy này đã tham gia đoàn «{}» với tên «{}».", t.team_name, t.member);
    print_team(&t);
    println!("So mã khóa đoàn với trưởng đoàn (qua điện thoại): hai máy phải hiện cùng một mã.");
    Ok(())
}

pub fn revoke(app: &App, laptop: &str) -> Result<()> {
    let mut store = app.open()?;
    let t = store.team_revoke(&app.ctx, laptop)?;
    if app.json {
        return json_ok(&t);
    }
    println!(
        "Đã thu hồi máy «{laptop}». Kỳ khóa mới: {}. Các máy khác nhận kỳ khóa mới qua tệp trao đổi tiếp theo của máy này; tệp máy bị thu hồi tạo sau đó sẽ bị từ chối.",
        t.period
    );
    print_team(&t);
    Ok(())
}

pub fn self_invite(app: &App, unit: &str, out: &Path) -> Result<()> {
    let mut store = app.open()?;
    let u = store.resolve_unit(unit)?;
    let i = store.self_invite(&app.ctx, &u.id, out)?;
    if app.json {
        return json_ok(&i);
    }
    print_invited(&i, "kiemtra self join");
    if let Some(outline) = &i.outline_path {
        println!(
            "Đã ghi Đề cương báo cáo tự kiểm tra của «{}» vào {outline}: giao cho đơn vị cùng lời mời.",
            u.name
        );
    }
    println!(
        "Máy của đơn vị chỉ gửi được phần tự đánh giá của «{}»; không đọc được tệp khác của đoàn.",
        u.name
    );
    Ok(())
}

pub fn self_join(app: &App, file: &Path) -> Result<()> {
    let mut store = app.open()?;
    let dir = super::exchange::backup_dir(&app.db);
    let (t, s) = store.self_join(&app.ctx, file, Some(&dir))?;
    if app.json {
        return json_ok(&json!({ "team": t, "import": s }));
    }
    println!(
        "Máy này đã nhận lời mời tự đánh giá của đoàn «{}» (mã khóa đoàn {}) và dùng cho «{}».",
        t.team_name, t.fingerprint, t.member
    );
    println!("Ghi điểm tự chấm: kiemtra self score ĐƠN-VỊ MÃ ĐIỂM --note …; xong thì gửi: kiemtra exchange export --out TỆP.");
    Ok(())
}
