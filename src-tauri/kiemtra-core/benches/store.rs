//! Benchmark of the store at the size of a large province's year:
//! 100 units × ~85 criteria, 100 000 findings.
//!
//!     cargo bench -p kiemtra-core --bench store
//!
//! Figures to reach (issue 2): listing a plan ≤ 50 ms; saving one response p99 ≤ 5 ms over
//! 10 000 saves; a diacritic-insensitive search ≤ 50 ms. The bulk data is written with
//! plain SQL in one transaction (to build it in seconds); what is measured goes through
//! the public API exactly as the CLI and the desktop app call it.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::UnitKind;
use kiemtra_core::{Ctx, Store};

const UNITS: usize = 100;
const FINDINGS: usize = 100_000;
const SAVES: usize = 10_000;

const PHRASES: &[&str] = &[
    "Tỷ lệ hồ sơ giải quyết đúng hạn chưa đạt yêu cầu",
    "Chưa niêm yết đầy đủ thủ tục hành chính tại Trung tâm Phục vụ hành chính công",
    "Văn bản đi chưa được ký số đầy đủ trên hệ thống quản lý văn bản",
    "Công chức kiêm nhiệm nhiều việc, chưa theo dõi thời hạn xử lý hồ sơ",
    "Đã ban hành kế hoạch cải cách hành chính đúng thời hạn",
    "Chưa gửi văn bản xin lỗi đối với hồ sơ quá hạn",
    "Cơ sở vật chất của bộ phận một cửa còn thiếu máy tra cứu",
    "Thực hiện tốt việc tiếp nhận hồ sơ trực tuyến toàn trình",
];

/// Cheap deterministic pseudo-random numbers (no dependency needed for a benchmark).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn pct(mut v: Vec<Duration>, p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn report(name: &str, v: Vec<Duration>, goal_ms: f64, goal_is_p99: bool) {
    let (median, p99, max) = (pct(v.clone(), 0.5), pct(v.clone(), 0.99), pct(v.clone(), 1.0));
    let judged = if goal_is_p99 { p99 } else { median };
    let verdict = if judged <= goal_ms { "đạt" } else { "CHƯA ĐẠT" };
    println!(
        "{name:<44} n={:<6} median {median:>7.3} ms  p99 {p99:>7.3} ms  max {max:>7.3} ms  (mục tiêu {} ≤ {goal_ms} ms: {verdict})",
        v.len(),
        if goal_is_p99 { "p99" } else { "median" }
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite3");
    let ctx = Ctx::new(Utc.with_ymd_and_hms(2026, 10, 1, 8, 0, 0).unwrap(), "bench");
    let t0 = Instant::now();
    let (mut store, _) = Store::init(&path, &ctx).unwrap();
    let (plan_id, _) = store.load_sample_plan(&ctx).unwrap();
    for i in 0..(UNITS - 14) {
        let kind = if i % 5 == 0 { UnitKind::So } else { UnitKind::Xa };
        store
            .add_unit_to_plan(&ctx, &plan_id, kind, &format!("Đơn vị thử {i:03}"), false, None, None)
            .unwrap();
    }
    let overview = store
        .plan_overview(&plan_id, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .unwrap();
    let inspections: Vec<(String, String)> = overview
        .inspections
        .iter()
        .map(|i| (i.id.clone(), store.inspection_template_id(&i.id).unwrap()))
        .collect();
    // Bulk data through SQL, in one transaction.
    let mut rng = Lcg(42);
    let mut leaf_codes: Vec<Vec<(String, f64)>> = vec![];
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        let common = "'2026-10-01T08:00:00.000Z', 'bench-device', '1790000000000-00000-bench'";
        for (n, (insp, tpl)) in inspections.iter().enumerate() {
            let t = store.template(tpl).unwrap();
            let leaves: Vec<(String, f64)> = t
                .leaves()
                .filter(|l| l.observed())
                .map(|l| (l.code.clone(), l.max))
                .collect();
            for (code, max) in &leaves {
                let score = (rng.next() % 5) as f64 / 4.0 * max;
                tx.execute(
                    &format!("INSERT INTO response(id, inspection_id, item_code, self_score, team_score, note, updated_at, device_id, hlc) VALUES (?1, ?2, ?3, ?4, ?5, '', {common})"),
                    rusqlite::params![format!("r-{n}-{code}"), insp, code, *max, score],
                )
                .unwrap();
            }
            for (key, v) in [
                ("ho_so_tiep_nhan", 1081.0),
                ("ho_so_truc_tuyen", 434.0),
                ("ho_so_da_giai_quyet", 1068.0),
                ("ho_so_dung_han", 924.0),
            ] {
                tx.execute(
                    &format!("INSERT INTO figure(id, inspection_id, key, value, updated_at, device_id, hlc) VALUES (?1, ?2, ?3, ?4, {common})"),
                    rusqlite::params![format!("f-{n}-{key}"), insp, key, v],
                )
                .unwrap();
            }
            for j in 0..FINDINGS / UNITS {
                let text = format!("{} (lần {j})", PHRASES[(rng.next() as usize) % PHRASES.len()]);
                tx.execute(
                    &format!("INSERT INTO finding(id, inspection_id, area_code, kind, text, position, updated_at, device_id, hlc) VALUES (?1, ?2, ?3, 'ton_tai', ?4, ?5, {common})"),
                    rusqlite::params![format!("x-{n}-{j}"), insp, ((j % 7) + 1).to_string(), text, j as i64],
                )
                .unwrap();
            }
            leaf_codes.push(leaves);
        }
        kiemtra_core::search::rebuild(&tx).unwrap();
        tx.commit().unwrap();
    }
    drop(store);
    let mut store = Store::open(&path).unwrap();
    let size = std::fs::metadata(&path).unwrap().len()
        + std::fs::metadata(format!("{}-wal", path.display()))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "Dữ liệu: {} đơn vị, {} tiêu chí đã chấm, {} nhận xét; tạo trong {:.1} s; tệp {:.1} MB",
        inspections.len(),
        leaf_codes.iter().map(|l| l.len()).sum::<usize>(),
        FINDINGS,
        t0.elapsed().as_secs_f64(),
        size as f64 / 1e6
    );

    // 1. Listing the plan (the plan screen): every unit with state, progress and score.
    let mut v = vec![];
    for _ in 0..50 {
        let t = Instant::now();
        let ov = store
            .plan_overview(&plan_id, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
            .unwrap();
        v.push(t.elapsed());
        assert_eq!(ov.inspections.len(), UNITS);
    }
    report("Liệt kê kế hoạch (plan_overview)", v, 50.0, false);

    // 2. Saving one response, 10 000 times: each is one transaction with its audit rows.
    let mut v = Vec::with_capacity(SAVES);
    for i in 0..SAVES {
        let u = (rng.next() as usize) % inspections.len();
        let leaves = &leaf_codes[u];
        let (code, max) = &leaves[(rng.next() as usize) % leaves.len()];
        let score = ((i % 4) as f64) / 4.0 * max;
        let ctx = Ctx::new(ctx.now + chrono::Duration::milliseconds(i as i64), "bench");
        let t = Instant::now();
        store
            .set_response(
                &ctx,
                &inspections[u].0,
                code,
                &ResponsePatch {
                    team_score: Some(Some(score)),
                    ..Default::default()
                },
            )
            .unwrap();
        v.push(t.elapsed());
    }
    report("Lưu một điểm (set_response, 10k lần)", v, 5.0, true);

    // 3. Diacritic-insensitive search over 100k findings and the rest.
    for q in [
        "doai duong",
        "dung han",
        "van ban xin loi",
        "trung tam phuc vu",
        "ky so",
    ] {
        let mut v = vec![];
        let mut hits = 0;
        for _ in 0..30 {
            let t = Instant::now();
            hits = store.search(q, 50).unwrap().len();
            v.push(t.elapsed());
        }
        assert!(hits > 0, "{q}");
        report(&format!("Tìm «{q}» ({hits} kết quả đầu)"), v, 50.0, true);
    }
    // The ranking of 100 units.
    let mut v = vec![];
    for _ in 0..20 {
        let t = Instant::now();
        store.ranking(&plan_id).unwrap();
        v.push(t.elapsed());
    }
    report("Xếp hạng 100 đơn vị (ranking)", v, 50.0, false);
}
