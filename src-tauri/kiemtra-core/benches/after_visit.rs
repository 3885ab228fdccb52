//! Benchmark of the after-visit work at the size the issue names: a plan of 100 units with
//! 10 000 findings, 1 000 recommendations (deadlines, states, remediation reports) and
//! visit dates on every inspection.
//!
//!     cargo bench -p kiemtra-core --bench after_visit
//!
//! Figures to reach (issue 6): the .xlsx export ≤ 1 s; the plan screen with its overdue and
//! deadline markers (`plan_overview`) ≤ 50 ms. The bulk data is written with plain SQL in
//! one transaction; what is measured goes through the public API as the CLI and the
//! desktop call it.
//!
//! `KIEMTRA_BENCH_KEEP_DB=FILE` keeps the database for the window's benchmark
//! (`KIEMTRA_BENCH_LARGE_DB=FILE cargo bench -p kiemtra-desktop --bench window`).

use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use kiemtra_core::model::UnitKind;
use kiemtra_core::{Ctx, Store};

const UNITS: usize = 100;
const FINDINGS: usize = 10_000;
const RECS_PER_UNIT: usize = 10;

const PHRASES: &[&str] = &[
    "Tỷ lệ hồ sơ giải quyết đúng hạn chưa đạt yêu cầu",
    "Chưa niêm yết đầy đủ thủ tục hành chính tại Trung tâm Phục vụ hành chính công",
    "Văn bản đi chưa được ký số đầy đủ trên hệ thống quản lý văn bản",
    "Đã ban hành kế hoạch cải cách hành chính đúng thời hạn",
    "Chưa gửi văn bản xin lỗi đối với hồ sơ quá hạn",
];

fn pct(mut v: Vec<Duration>, p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn report(name: &str, v: Vec<Duration>, goal_ms: f64) {
    let (median, p95, max) = (pct(v.clone(), 0.5), pct(v.clone(), 0.95), pct(v.clone(), 1.0));
    let verdict = if median <= goal_ms { "đạt" } else { "CHƯA ĐẠT" };
    println!(
        "{name:<44} n={:<4} median {median:>8.2} ms  p95 {p95:>8.2} ms  max {max:>8.2} ms  (mục tiêu median ≤ {goal_ms} ms: {verdict})",
        v.len()
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite3");
    let ctx = Ctx::new(Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap(), "bench");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let t0 = Instant::now();
    let (mut store, _) = Store::init(&path, &ctx).unwrap();
    let (plan_id, _) = store.load_sample_plan(&ctx).unwrap();
    for i in 0..(UNITS - 14) {
        let kind = if i % 5 == 0 { UnitKind::So } else { UnitKind::Xa };
        store
            .add_unit_to_plan(&ctx, &plan_id, kind, &format!("Đơn vị thử {i:03}"), false, None, None)
            .unwrap();
    }
    let inspections: Vec<(String, String)> = store
        .plan_overview(&plan_id, today)
        .unwrap()
        .inspections
        .iter()
        .map(|i| (i.id.clone(), store.inspection_template_id(&i.id).unwrap()))
        .collect();
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        let common = "'2026-10-01T08:00:00.000Z', 'bench-device', '1790000000000-00000-bench'";
        for (n, (insp, tpl)) in inspections.iter().enumerate() {
            let t = store.template(tpl).unwrap();
            // Visits from September to November: some conclusions overdue, some due this week.
            let end = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Duration::days(n as i64 * 8 / 10);
            tx.execute(
                "UPDATE inspection SET actual_start = ?2, actual_end = ?2, state = ?3 WHERE id = ?1",
                rusqlite::params![
                    insp,
                    end.to_string(),
                    if n % 3 == 0 {
                        "conclusion_issued"
                    } else {
                        "minutes_signed"
                    }
                ],
            )
            .unwrap();
            for (k, l) in t.leaves().filter(|l| l.observed()).enumerate() {
                tx.execute(
                    &format!("INSERT INTO response(id, inspection_id, item_code, self_score, team_score, note, updated_at, device_id, hlc) VALUES (?1, ?2, ?3, ?4, ?5, '', {common})"),
                    rusqlite::params![format!("r-{n}-{}", l.code), insp, l.code, l.max, ((k % 5) as f64) / 4.0 * l.max],
                )
                .unwrap();
            }
            for j in 0..FINDINGS / UNITS {
                tx.execute(
                    &format!("INSERT INTO finding(id, inspection_id, area_code, kind, text, position, updated_at, device_id, hlc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, {common})"),
                    rusqlite::params![
                        format!("x-{n}-{j}"),
                        insp,
                        ((j % 7) + 1).to_string(),
                        ["dat_duoc", "ton_tai", "nguyen_nhan"][j % 3],
                        format!("{} (lần {j})", PHRASES[(n + j) % PHRASES.len()]),
                        j as i64
                    ],
                )
                .unwrap();
            }
            for j in 0..RECS_PER_UNIT {
                let deadline = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
                    + chrono::Duration::days((n * 7 + j * 11) as i64 % 120);
                let state = ["chua_thuc_hien", "dang_thuc_hien", "da_khac_phuc"][(n + j) % 3];
                tx.execute(
                    &format!("INSERT INTO recommendation(id, inspection_id, area_code, number, text, owner, deadline, state, report_number, report_date, updated_at, device_id, hlc) VALUES (?1, ?2, ?3, ?4, ?5, 'Chủ tịch UBND', ?6, ?7, ?8, ?9, {common})"),
                    rusqlite::params![
                        format!("k-{n}-{j}"),
                        insp,
                        ((j % 7) + 1).to_string(),
                        j as i64 + 1,
                        format!("Khắc phục: {}", PHRASES[j % PHRASES.len()]),
                        deadline.to_string(),
                        state,
                        if state == "da_khac_phuc" { "15/BC-UBND" } else { "" },
                        if state == "da_khac_phuc" { Some("2026-11-02") } else { None },
                    ],
                )
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    drop(store);
    let store = Store::open(&path).unwrap();
    println!(
        "Dữ liệu: {} đơn vị, {FINDINGS} nhận xét, {} kiến nghị; tạo trong {:.1} s",
        inspections.len(),
        inspections.len() * RECS_PER_UNIT,
        t0.elapsed().as_secs_f64()
    );

    // 1. The plan screen with its markers.
    let mut v = vec![];
    let mut overdue = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let ov = store.plan_overview(&plan_id, today).unwrap();
        v.push(t.elapsed());
        assert_eq!(ov.inspections.len(), UNITS);
        overdue = ov.inspections.iter().map(|i| i.overdue_recommendations).sum::<usize>();
        assert!(ov.inspections.iter().all(|i| i.deadline.is_some()));
    }
    report("Màn hình kế hoạch có đánh dấu (plan_overview)", v, 50.0);
    println!("  ({overdue} kiến nghị quá hạn được đánh dấu)");

    // 2. The follow-up list.
    let mut v = vec![];
    for _ in 0..50 {
        let t = Instant::now();
        let f = store.followups(&plan_id, today, false).unwrap();
        v.push(t.elapsed());
        assert_eq!(f.items.len(), UNITS * RECS_PER_UNIT);
    }
    report("Danh sách theo dõi khắc phục (followups)", v, 50.0);

    // 3. The Excel export, written to a file as `kiemtra export xlsx` does.
    let mut v = vec![];
    let mut size = 0;
    for k in 0..10 {
        let out = dir.path().join(format!("ket-qua-{k}.xlsx"));
        let t = Instant::now();
        let s = store.export_xlsx(&plan_id, today, &out, false).unwrap();
        v.push(t.elapsed());
        assert_eq!(s.findings, FINDINGS);
        size = s.bytes;
    }
    report("Xuất Excel (.xlsx) cả kế hoạch", v, 1000.0);
    println!("  (tệp {:.0} KB)", size as f64 / 1024.0);

    if let Some(keep) = std::env::var_os("KIEMTRA_BENCH_KEEP_DB") {
        store.backup(std::path::Path::new(&keep)).unwrap();
        println!("Cơ sở dữ liệu giữ lại: {}", std::path::Path::new(&keep).display());
    }
}
