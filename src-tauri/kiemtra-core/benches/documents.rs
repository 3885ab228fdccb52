//! Benchmark of the official documents (issue 4).
//!
//!     cargo bench -p kiemtra-core --bench documents
//!
//! Figures to reach: a 4-page Thông báo generated in-process ≤ 30 ms and ≤ 150 KB; the
//! documents of all 14 units of the 2026 plan ≤ 1 s; the province's report of a plan of 100
//! units and 10 000 findings ≤ 1 s. The data goes in through the public
//! API; what is timed is what the CLI and the app call: `render_model` (layout, subset fonts,
//! PDF bytes) and, for the plan, `render_document` per unit (reading the data from SQLite
//! too) plus writing each file.
//!
//! Writes the 4-page Thông báo to $KIEMTRA_BENCH_OUT (if set), and its content as JSON beside
//! it, for the LibreOffice comparison in scripts/bench-documents.sh.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kiemtra_core::document::render_model;
use kiemtra_core::model::{DocumentKind, FindingKind};
use kiemtra_core::{Ctx, Store};

const FINDINGS: &[(&str, FindingKind, &str)] = &[
    ("1", FindingKind::Achieved, "UBND xã ban hành Kế hoạch cải cách hành chính năm 2026 kịp thời, xác định rõ nhiệm vụ, thời hạn và trách nhiệm của từng bộ phận; tổ chức kiểm tra công tác cải cách hành chính đối với 100 % bộ phận chuyên môn theo kế hoạch."),
    ("2", FindingKind::Achieved, "Công tác xây dựng, ban hành văn bản quy phạm pháp luật được thực hiện đúng trình tự, thủ tục; rà soát, hệ thống hóa văn bản kịp thời."),
    ("3", FindingKind::Achieved, "221 thủ tục hành chính được công khai đầy đủ tại Trung tâm Phục vụ hành chính công; tiếp nhận 1.081 hồ sơ, trong đó 434 hồ sơ trực tuyến (40,1 %)."),
    ("4", FindingKind::Achieved, "Sắp xếp tổ chức bộ máy sau hợp nhất đơn vị hành chính cấp xã bảo đảm đúng quy định; ban hành quy chế làm việc và phân công nhiệm vụ cụ thể."),
    ("5", FindingKind::Achieved, "Thực hiện đúng quy định về tuyển dụng, sử dụng và quản lý công chức; 100 % công chức được đánh giá, xếp loại hằng năm."),
    ("6", FindingKind::Achieved, "Xây dựng và thực hiện quy chế chi tiêu nội bộ; công khai tài chính, ngân sách theo quy định."),
    ("7", FindingKind::Achieved, "3.432 trên 3.601 văn bản đi được ký số (95,3 %); hệ thống quản lý văn bản và điều hành được sử dụng thường xuyên."),
    ("3", FindingKind::Shortcoming, "Tỷ lệ hồ sơ giải quyết đúng hạn mới đạt 86,5 %; một số hồ sơ quá hạn chưa có văn bản xin lỗi người dân."),
    ("5", FindingKind::Shortcoming, "Việc cập nhật hồ sơ công chức trên cơ sở dữ liệu quốc gia còn chậm."),
    ("7", FindingKind::Shortcoming, "Tỷ lệ hồ sơ thanh toán trực tuyến còn thấp; cổng thông tin điện tử chưa cập nhật thường xuyên."),
    ("3", FindingKind::Cause, "Công chức kiêm nhiệm nhiều việc, chưa thường xuyên theo dõi thời hạn giải quyết trên hệ thống."),
    ("7", FindingKind::Cause, "Hạ tầng mạng ở một số thôn còn hạn chế; người dân chưa quen sử dụng dịch vụ công trực tuyến."),
];

fn pct(mut v: Vec<Duration>, p: f64) -> f64 {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 10, 20, 2, 0, 0).unwrap();
    let ctx = Ctx::new(now, "benchmark");
    let (mut store, _) = Store::init(&dir.path().join("kiemtra.sqlite3"), &ctx).unwrap();
    store.load_sample_plan(&ctx).unwrap();
    let (_, ha_lang) = store.resolve_inspection("ha lang").unwrap();
    for (key, v) in [
        ("ho_so_tiep_nhan", 1081.0),
        ("ho_so_truc_tuyen", 434.0),
        ("ho_so_da_giai_quyet", 1068.0),
        ("ho_so_dung_han", 924.0),
        ("ho_so_dang_giai_quyet", 13.0),
        ("ho_so_buu_chinh", 94.0),
        ("van_ban_di", 3601.0),
        ("van_ban_ky_so", 3432.0),
    ] {
        store.set_figure(&ctx, &ha_lang, key, v).unwrap();
    }
    for (area, kind, text) in FINDINGS {
        store.add_finding(&ctx, &ha_lang, area, *kind, text).unwrap();
    }
    for (text, owner, deadline) in [
        (
            "Rà soát toàn bộ hồ sơ quá hạn, gửi văn bản xin lỗi người dân",
            "Chủ tịch UBND xã",
            "2026-12-31",
        ),
        (
            "Tăng tỷ lệ văn bản đi được ký số lên 100 %",
            "Văn phòng HĐND và UBND xã",
            "2027-03-31",
        ),
        (
            "Cập nhật đầy đủ hồ sơ công chức trên cơ sở dữ liệu quốc gia",
            "Công chức Văn phòng - Thống kê",
            "2027-01-31",
        ),
    ] {
        store
            .add_recommendation(&ctx, &ha_lang, None, text, owner, Some(deadline))
            .unwrap();
    }
    // Grow the findings until the Thông báo runs to 4 pages.
    let mut extra = 0;
    let model = loop {
        let m = store.document_model(&ha_lang, DocumentKind::ThongBao, now).unwrap();
        let pages = render_model(&m, now).unwrap().pages;
        if pages >= 4 {
            break m;
        }
        extra += 1;
        let (area, kind, text) = FINDINGS[extra % FINDINGS.len()];
        store.add_finding(&ctx, &ha_lang, area, kind, text).unwrap();
    };

    // Warm up, then time the in-process generation.
    for _ in 0..5 {
        render_model(&model, now).unwrap();
    }
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..100 {
        let t = Instant::now();
        let r = render_model(&model, now).unwrap();
        times.push(t.elapsed());
        last = Some(r);
    }
    let r = last.unwrap();
    let (median, p95, max) = (pct(times.clone(), 0.5), pct(times.clone(), 0.95), pct(times, 1.0));
    let kb = r.bytes.len() as f64 / 1024.0;
    println!(
        "Thông báo xã Hạ Lang, {} trang, {:.1} KB: median {median:.2} ms, p95 {p95:.2} ms, max {max:.2} ms \
         (mục tiêu ≤ 30 ms: {}; ≤ 150 KB: {})",
        r.pages,
        kb,
        if median <= 30.0 { "đạt" } else { "CHƯA ĐẠT" },
        if kb <= 150.0 { "đạt" } else { "CHƯA ĐẠT" }
    );
    if let Some(out) = std::env::var_os("KIEMTRA_BENCH_OUT") {
        std::fs::write(&out, &r.bytes).unwrap();
        let json = serde_json::to_string_pretty(&model).unwrap();
        std::fs::write(std::path::Path::new(&out).with_extension("json"), json).unwrap();
    }

    // The whole plan: read each unit's data, lay out, render and write its file.
    for kind in [DocumentKind::ThongBao, DocumentKind::BienBan] {
        let plan = store.current_plan().unwrap();
        let rows = store
            .plan_overview(&plan.id, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
            .unwrap()
            .inspections;
        let mut runs = Vec::new();
        let mut pages = 0;
        for run in 0..5 {
            let out = dir.path().join(format!("{}-{run}", kind.as_str()));
            std::fs::create_dir_all(&out).unwrap();
            let t = Instant::now();
            pages = 0;
            for row in &rows {
                let r = store.render_document(&row.id, kind, now).unwrap();
                pages += r.pages;
                std::fs::write(out.join(format!("{}.pdf", row.unit_id)), &r.bytes).unwrap();
            }
            runs.push(t.elapsed());
        }
        let median = pct(runs, 0.5);
        println!(
            "{} của cả kế hoạch ({} đơn vị, {pages} trang): median {median:.0} ms (mục tiêu ≤ 1 000 ms: {})",
            kind.label(),
            rows.len(),
            if median <= 1000.0 { "đạt" } else { "CHƯA ĐẠT" }
        );
    }

    // The province's report of a plan of 100 units and 10 000 findings (100 a unit, drawn
    // from the sentences above, so that units share some): read, lay out and render.
    let lines: String = (1..=86).map(|i| format!("xã Thử Nghiệm {i}\n")).collect();
    let plan_id = store.current_plan().unwrap().id;
    let added = store
        .add_units_from_lines(&ctx, &plan_id, &lines, Some(kiemtra_core::model::UnitKind::Xa))
        .unwrap();
    assert_eq!(added.len() + 14, 100);
    let plan = store.current_plan().unwrap();
    let rows = store
        .plan_overview(&plan.id, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
        .unwrap()
        .inspections;
    let mut n = 0;
    for (i, row) in rows.iter().enumerate() {
        for j in 0..100 {
            let (area, kind, text) = FINDINGS[(i + j) % FINDINGS.len()];
            let text = format!("{text} ({})", (i * 7 + j) % 40);
            store.add_finding(&ctx, &row.id, area, kind, &text).unwrap();
            n += 1;
        }
    }
    let mut runs = Vec::new();
    let mut pages = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let r = store.render_report(&plan.id, None, now).unwrap();
        runs.push(t.elapsed());
        pages = r.pages;
    }
    let median = pct(runs, 0.5);
    println!(
        "Báo cáo kết quả kiểm tra ({} đơn vị, {n} nhận xét, {pages} trang): median {median:.0} ms (mục tiêu ≤ 1 000 ms: {})",
        rows.len(),
        if median <= 1000.0 { "đạt" } else { "CHƯA ĐẠT" }
    );
}
