//! After the visit in the real window: the plan screen marks a conclusion past its
//! 15-working-day deadline, one due this week and the overdue recommendations; the follow-up
//! screen records the unit's remediation report (number, date, what was done, a scan),
//! refuses "đã khắc phục" without a report, filters the overdue items and exports the
//! workbook; the inspection screen starts a re-inspection carrying the unresolved
//! recommendations.
//!
//! Native dialogs cannot be driven: `KIEMTRA_E2E_ATTACH_FILE` and `KIEMTRA_E2E_XLSX_FILE`
//! answer them (test-only; the app reads them nowhere else).

use std::time::{Duration, Instant};

use crate::elements::ENTER;
use crate::support::start_driver;
use crate::webdriver::Session;
use chrono::{FixedOffset, NaiveDate, Utc};
use kiemtra_core::followup::{deadline_mark, DeadlineState};
use kiemtra_core::model::RecommendationState;
use kiemtra_core::plan::InspectionPatch;
use kiemtra_core::{Ctx, Store};

fn until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[test]
fn the_team_follows_up_recommendations_and_starts_a_reinspection_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("du-lieu").join("kiemtra.sqlite3");
    let ctx = Ctx::new(Utc::now(), "Bế Thị Hà");
    let today = Utc::now()
        .with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap())
        .date_naive();
    let (mut store, _) = Store::init(&db, &ctx).unwrap();
    store.load_sample_plan(&ctx).unwrap();
    let cal = store.calendar().unwrap();

    // xã Hạ Lang: visited two months ago, minutes signed, no conclusion yet; three
    // recommendations, two of them past their deadline.
    let (_, h) = store.resolve_inspection("ha lang").unwrap();
    let end = today - chrono::Duration::days(60);
    store
        .update_inspection(
            &ctx,
            &h,
            &InspectionPatch {
                actual_start: Some(dmy(end - chrono::Duration::days(1))),
                actual_end: Some(dmy(end)),
                state: Some(kiemtra_core::model::InspectionState::MinutesSigned),
                ..Default::default()
            },
        )
        .unwrap();
    let late = |d: i64| dmy(today + chrono::Duration::days(d));
    let recs = [
        ("Niêm yết đầy đủ, công khai thủ tục hành chính", late(-10)),
        ("Ký số toàn bộ văn bản đi", late(30)),
        ("Gửi văn bản xin lỗi với hồ sơ quá hạn", late(-5)),
    ];
    let mut ids = vec![];
    for (text, deadline) in &recs {
        ids.push(
            store
                .add_recommendation(&ctx, &h, Some("3"), text, "Chủ tịch UBND xã", Some(deadline))
                .unwrap()
                .0,
        );
    }
    store
        .set_recommendation_state(&ctx, &ids[2], RecommendationState::InProgress, None, None)
        .unwrap();
    // xã Trùng Khánh: a visit whose conclusion falls due this week (when such a day exists:
    // from Saturday on, the week's remaining days may all be off).
    let (_, t) = store.resolve_inspection("trung khanh").unwrap();
    let due_end = (1..40)
        .map(|k| today - chrono::Duration::days(k))
        .find(|e| deadline_mark(&cal, *e, None, today).state == DeadlineState::DueThisWeek);
    if let Some(e) = due_end {
        store
            .update_inspection(
                &ctx,
                &t,
                &InspectionPatch {
                    actual_start: Some(dmy(e)),
                    actual_end: Some(dmy(e)),
                    state: Some(kiemtra_core::model::InspectionState::MinutesSigned),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    let hl_mark = deadline_mark(&cal, end, None, today);
    assert_eq!(hl_mark.state, DeadlineState::Overdue);
    drop(store);

    let scan = dir.path().join("bao-cao-khac-phuc-15.pdf");
    std::fs::write(&scan, b"%PDF-1.4 bao cao khac phuc so 15").unwrap();
    let xlsx = dir.path().join("ket-qua.xlsx");
    let d = start_driver(
        &db,
        &[("KIEMTRA_E2E_ATTACH_FILE", &scan), ("KIEMTRA_E2E_XLSX_FILE", &xlsx)],
    );
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    s.wait("[data-test=unit-filter]");

    // The plan screen: the late conclusion, the one due this week, the overdue items.
    let row = |unit: &str, cell: &str| -> String {
        s.script(
            "const r = document.querySelector(`[data-test=unit-row][data-unit=\"${arguments[0]}\"]`);\
             return r ? r.querySelector(`[data-test=${arguments[1]}]`).textContent.trim() : null;",
            serde_json::json!([unit, cell]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    };
    let hl_deadline = row("xã Hạ Lang", "deadline");
    assert_eq!(
        hl_deadline,
        format!("quá hạn {} ngày", hl_mark.days_overdue),
        "{hl_deadline}"
    );
    assert_eq!(row("xã Hạ Lang", "recs"), "2 quá hạn");
    let panel = s.text(&s.wait("[data-test=due-panel]"));
    assert!(
        panel.contains("thông báo kết quả quá hạn ban hành: xã Hạ Lang"),
        "{panel}"
    );
    assert_eq!(s.text(&s.find("[data-test=overdue-recs]").unwrap()), "2");
    if due_end.is_some() {
        let due = s.text(&s.find("[data-test=due-this-week]").unwrap());
        assert!(due.contains("xã Trùng Khánh"), "{due}");
        assert!(row("xã Trùng Khánh", "deadline").contains("tuần này"));
    }
    s.screenshot("20-ke-hoach-han-thong-bao");

    // The follow-up screen.
    s.click_css("[data-test=nav-followup]");
    let summary = s.wait_text("[data-test=followup-summary]", "the follow-up summary", |t| {
        t.contains("chưa khắc phục")
    });
    assert!(
        summary.contains("3 kiến nghị chưa khắc phục, trong đó 2 quá hạn"),
        "{summary}"
    );
    assert_eq!(s.find_all("[data-test=followup]").len(), 3);
    assert_eq!(s.find_all("[data-test=overdue-mark]").len(), 2);
    let first = "[data-test=followup][data-number=\"1\"]";

    // "Đã khắc phục" without the unit's report is refused, and the choice goes back.
    s.select(&format!("{first} [data-test=followup-state]"), "da_khac_phuc");
    let err = s.wait_text("[data-test=error]", "the refusal", |t| t.contains("báo cáo"));
    assert!(err.contains("số hoặc ngày báo cáo kết quả khắc phục"), "{err}");
    s.wait_value(&format!("{first} [data-test=followup-state]"), "chua_thuc_hien");

    // The report: number, date, what was done, the scan; then remedied.
    s.fill(&format!("{first} [data-test=report-number]"), "15/BC-UBND");
    s.click_css("[data-test=followup-summary]");
    until("the report number saved", || {
        s.find_all("[data-test=error]").is_empty()
            && s.text(&s.find("[data-test=save-state]").unwrap()).starts_with("✓")
    });
    s.fill(&format!("{first} [data-test=report-date]"), &dmy(today));
    s.click_css("[data-test=followup-summary]");
    s.wait_value(&format!("{first} [data-test=report-date]"), &dmy(today));
    s.fill(
        &format!("{first} [data-test=report-note]"),
        "Đã niêm yết 221 thủ tục tại bộ phận một cửa",
    );
    s.click_css("[data-test=followup-summary]");
    s.click_css(&format!("{first} [data-test=attach-report]"));
    let file = s.wait_text(&format!("{first} [data-test=report-file]"), "the attached scan", |t| {
        t.contains("bao-cao-khac-phuc-15.pdf")
    });
    assert!(file.starts_with("Tệp: "), "{file}");
    s.select(&format!("{first} [data-test=followup-state]"), "da_khac_phuc");
    let summary = s.wait_text("[data-test=followup-summary]", "one fewer overdue", |t| {
        t.contains("2 kiến nghị chưa khắc phục, trong đó 1 quá hạn")
    });
    assert!(summary.contains("1 đã khắc phục"), "{summary}");
    assert_eq!(s.find_all("[data-test=overdue-mark]").len(), 1);
    s.screenshot("21-theo-doi-khac-phuc");

    // Only the overdue ones.
    s.click_css("[data-test=overdue-only]");
    until("one overdue row", || s.find_all("[data-test=followup]").len() == 1);
    let only = s.text(&s.find("[data-test=followup]").unwrap());
    assert!(only.contains("Gửi văn bản xin lỗi"), "{only}");
    s.click_css("[data-test=overdue-only]");
    until("all rows again", || s.find_all("[data-test=followup]").len() == 3);

    // The workbook.
    s.click_css("[data-test=export-xlsx]");
    let notice = s.wait_text("[data-test=notice]", "the export notice", |t| {
        t.starts_with("Đã xuất bảng tính")
    });
    assert!(
        notice.contains("14 đơn vị") && notice.contains("3 kiến nghị"),
        "{notice}"
    );
    let head = std::fs::read(&xlsx).unwrap();
    assert_eq!(&head[..2], b"PK", "an .xlsx is a zip");

    // A re-inspection from the inspection screen carries the two unresolved items.
    s.click_css("[data-test=nav-plan]");
    s.fill("[data-test=unit-filter]", "ha lang");
    until("xã Hạ Lang alone", || s.find_all("[data-test=unit-row]").len() == 1);
    let filter = s.find("[data-test=unit-filter]").unwrap();
    s.type_keys(&filter, ENTER);
    s.wait_text("[data-test=unit-name]", "xã Hạ Lang", |t| t == "xã Hạ Lang");
    s.click_css("[data-test=reinspect]");
    s.click_css("[data-test=reinspect-confirm]");
    let notice = s.wait_text("[data-test=notice]", "the re-inspection notice", |t| {
        t.contains("kiểm tra lại")
    });
    assert!(notice.contains("mang theo 2 kiến nghị chưa khắc phục"), "{notice}");
    s.wait_text("[data-test=unit-name]", "the re-inspection's header", |t| {
        t.contains("kiểm tra lại")
    });
    s.click_css("[data-test=tab-findings]");
    until("two carried recommendations", || {
        s.find_all("[data-test=recommendation]").len() == 2
    });
    let carried: Vec<String> = s
        .find_all("[data-test=recommendation] textarea")
        .iter()
        .map(|e| s.value(e))
        .collect();
    assert_eq!(
        carried,
        vec!["Ký số toàn bộ văn bản đi", "Gửi văn bản xin lỗi với hồ sơ quá hạn"]
    );
    s.screenshot("22-kiem-tra-lai");

    // The province declares Trùng Khánh's deadline day a holiday: the plan screen moves it.
    if let Some(e) = due_end {
        let before = deadline_mark(&cal, e, None, today);
        let day = NaiveDate::parse_from_str(&before.deadline, "%Y-%m-%d").unwrap();
        s.click_css("[data-test=nav-settings]");
        s.wait("[data-test=holiday-list]");
        // The shipped list of the current year, then the new row in view.
        s.wait("[data-test=holiday]");
        s.script(
            "document.querySelector('[data-test=holiday-add]').scrollIntoView({block: 'center'});",
            serde_json::json!([]),
        );
        s.fill("[data-test=holiday-date]", &dmy(day));
        s.fill("[data-test=holiday-name]", "Ngày nghỉ do tỉnh công bố");
        s.click_css("[data-test=holiday-add]");
        s.wait_text("[data-test=notice]", "the holiday saved", |t| {
            t.contains("Ngày nghỉ do tỉnh công bố")
        });
        // (Read beside the running app: WAL lets a second connection read.)
        let after = deadline_mark(&Store::open(&db).unwrap().calendar().unwrap(), e, None, today);
        assert_ne!(after.deadline, before.deadline);
        s.click_css("[data-test=nav-plan]");
        s.wait("[data-test=unit-row]");
        let cell = row("xã Trùng Khánh", "deadline");
        let shown = NaiveDate::parse_from_str(&after.deadline, "%Y-%m-%d").unwrap();
        match after.state {
            DeadlineState::DueThisWeek => assert!(
                cell.contains(&dmy(shown)),
                "the new deadline {} in «{cell}»",
                dmy(shown)
            ),
            DeadlineState::Upcoming => assert_eq!(cell, dmy(shown)),
            other => panic!("moved later, it cannot be {other:?}"),
        }
    }

    // Ranking by one area.
    s.click_css("[data-test=nav-ranking]");
    s.select("[data-test=rank-by]", "3");
    s.wait_text("[data-test=ranking] thead", "the area heading", |t| {
        t.contains("Điểm lĩnh vực 3")
    });
    s.quit();
    drop(d);

    // What was stored: the report with its scan, once, by its hash.
    let store = Store::open(&db).unwrap();
    let r = store.recommendation(&ids[0]).unwrap();
    assert_eq!(r.state, RecommendationState::Remedied);
    assert_eq!(r.report_number, "15/BC-UBND");
    assert_eq!(r.report_date.as_deref(), Some(today.to_string().as_str()));
    assert_eq!(r.report_note, "Đã niêm yết 221 thủ tục tại bộ phận một cửa");
    let sha = r.report_attachment_sha256.expect("the scan");
    let (name, _, bytes) = store.attachment(&sha).unwrap();
    assert_eq!(
        (name.as_str(), bytes),
        ("bao-cao-khac-phuc-15.pdf", std::fs::read(&scan).unwrap())
    );
}

/// The unit's own laptop: the window says whose self-assessment it holds, the team's
/// columns cannot be typed in, and what the unit types is stored as its own (self score,
/// explanation, reported figure), apart from the team's.
#[test]
fn a_unit_fills_its_self_assessment_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("may-don-vi").join("kiemtra.sqlite3");
    let ctx = Ctx::new(Utc::now(), "Nông Văn Bình");
    let (mut store, _) = Store::init(&db, &ctx).unwrap();
    store.load_sample_plan(&ctx).unwrap();
    let (u, h) = store.resolve_inspection("ha lang").unwrap();
    store.set_self_assessment_unit(Some(&u.id)).unwrap();
    drop(store);

    let d = start_driver(&db, &[]);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    let banner = s.wait_text("[data-test=self-mode]", "the unit-mode banner", |t| {
        t.contains("tự đánh giá")
    });
    assert!(banner.contains("xã Hạ Lang"), "{banner}");
    // Only the unit's screens.
    assert!(s.find_all("[data-test=nav-followup]").is_empty());
    assert!(s.find_all("[data-test=nav-ranking]").is_empty());
    s.fill("[data-test=unit-filter]", "ha lang");
    until("xã Hạ Lang alone", || s.find_all("[data-test=unit-row]").len() == 1);
    let filter = s.find("[data-test=unit-filter]").unwrap();
    s.type_keys(&filter, ENTER);
    s.wait_text("[data-test=unit-name]", "xã Hạ Lang", |t| t == "xã Hạ Lang");
    // Its Văn bản tab holds only its own documents (unitdocs_e2e.rs).
    let disabled = s.script(
        "return document.querySelector('[data-test=\"team-1.1.1\"]').disabled;",
        serde_json::json!([]),
    );
    assert_eq!(disabled, true, "the team's score is not the unit's to type");
    s.fill("[data-test=\"self-1.1.1\"]", "0,75");
    s.fill(
        "[data-test=\"note-1.1.1\"]",
        "Kế hoạch CCHC số 12/KH-UBND ngày 05/01/2026",
    );
    s.click_css("[data-test=unit-name]");
    s.click_css("[data-test=tab-figures]");
    s.fill("[data-test=self-figure-ho_so_tiep_nhan]", "1.081");
    s.click_css("[data-test=unit-name]");
    s.wait_value("[data-test=self-figure-ho_so_tiep_nhan]", "1.081");
    s.screenshot("23-don-vi-tu-danh-gia");
    s.quit();
    drop(d);

    let store = Store::open(&db).unwrap();
    let r = store.responses(&h).unwrap();
    let r = &r["1.1.1"];
    assert_eq!((r.self_score, r.team_score), (Some(0.75), None));
    assert_eq!(r.self_note, "Kế hoạch CCHC số 12/KH-UBND ngày 05/01/2026");
    assert_eq!(r.note, "");
    let own = store.self_figures(&h).unwrap();
    assert_eq!(
        own.iter().find(|f| f.key == "ho_so_tiep_nhan").unwrap().value,
        Some(1081.0)
    );
    assert!(
        store.figure_values(&h).unwrap().is_empty(),
        "the team's figures stay empty"
    );
}
