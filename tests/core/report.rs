//! The plan's report as the window edits it (issue 14): the texts a user may rewrite come
//! from the core as they print (generated from the findings, or the user's), each section
//! says whose it is, an empty list restores the generated one, and an issued report keeps
//! the texts it was issued with.

use chrono::{TimeZone, Utc};
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::{DocumentStatus, FindingKind};
use kiemtra_core::plan::{PlanPatch, TeamPatch};
use kiemtra_core::report::{ReportEdits, ReportPatch, ReportTexts};
use kiemtra_core::{Ctx, Store};

fn ctx() -> Ctx {
    Ctx::new(Utc.with_ymd_and_hms(2026, 10, 13, 8, 30, 0).unwrap(), "Bế Thị Hà")
}

/// The sample plan with its numbers, an achievement in two units, a shortcoming with its cause.
fn prepared(db: &std::path::Path) -> (Store, String) {
    let (mut s, _) = Store::init(db, &ctx()).unwrap();
    let (plan, _) = s.load_sample_plan(&ctx()).unwrap();
    s.use_plan(&plan).unwrap();
    s.update_plan(
        &ctx(),
        &plan,
        &PlanPatch {
            number: Some("125/KH-UBND".into()),
            date: Some("15/04/2026".into()),
            ..Default::default()
        },
    )
    .unwrap();
    s.update_team(
        &ctx(),
        &plan,
        &TeamPatch {
            decision_number: Some("1520/QĐ-UBND".into()),
            decision_date: Some("08/07/2026".into()),
            ..Default::default()
        },
    )
    .unwrap();
    for unit in ["ha lang", "doai duong"] {
        let (_, id) = s.resolve_inspection(unit).unwrap();
        let p = ResponsePatch {
            team_score: Some(Some(0.5)),
            ..Default::default()
        };
        s.set_response(&ctx(), &id, "1.1.1", &p).unwrap();
        s.add_finding(
            &ctx(),
            &id,
            "1",
            FindingKind::Achieved,
            "Ban hành kế hoạch CCHC kịp thời",
        )
        .unwrap();
    }
    let (_, id) = s.resolve_inspection("ha lang").unwrap();
    s.add_finding(
        &ctx(),
        &id,
        "3",
        FindingKind::Shortcoming,
        "Tỷ lệ hồ sơ đúng hạn chưa đạt",
    )
    .unwrap();
    s.add_finding(&ctx(), &id, "3", FindingKind::Cause, "Thiếu công chức chuyên trách")
        .unwrap();
    (s, plan)
}

fn printed(s: &Store, plan: &str) -> Vec<String> {
    s.report_model(plan, ctx().now).unwrap().texts()
}

fn edited(s: &Store, plan: &str, key: &str) -> bool {
    let info = s.report(plan).unwrap();
    info.sections
        .iter()
        .find(|x| x.key == key)
        .unwrap_or_else(|| panic!("no section {key}"))
        .edited
}

fn lists(edits: ReportEdits) -> ReportPatch {
    ReportPatch {
        edits: Some(edits),
        ..Default::default()
    }
}

#[test]
fn the_report_texts_are_what_prints_and_saved_unchanged_print_the_same() {
    let d = tempfile::tempdir().unwrap();
    let (mut s, plan) = prepared(&d.path().join("k.sqlite3"));
    let t = s.report_texts(&plan, ctx().now).unwrap();
    // By area, a label line over the items, each naming the units it concerns.
    let area = t.achievements[0].clone();
    assert!(area.ends_with(':'), "{:?}", t.achievements);
    assert_eq!(
        t.achievements[1],
        "Ban hành kế hoạch CCHC kịp thời (xã Hạ Lang, xã Đoài Dương)"
    );
    assert!(
        t.shortcomings.contains(&"Nguyên nhân:".to_string()),
        "{:?}",
        t.shortcomings
    );
    assert!(t
        .shortcomings
        .contains(&"Thiếu công chức chuyên trách (xã Hạ Lang)".to_string()));
    assert!(
        t.opening.starts_with("Thực hiện Kế hoạch số 125/KH-UBND"),
        "{}",
        t.opening
    );
    assert!(t.closing.ends_with("./."), "{}", t.closing);
    assert!(t.to_province.len() >= 2 && t.to_units.len() >= 2, "{t:?}");
    let before = printed(&s, &plan);
    for line in [
        area.as_str(),
        "- Ban hành kế hoạch CCHC kịp thời (xã Hạ Lang, xã Đoài Dương).",
        &format!("1. {};", t.to_province[0]),
        &t.opening,
        &t.closing,
    ] {
        assert!(before.iter().any(|p| p == line), "«{line}» not printed: {before:#?}");
    }
    let info = s.report(&plan).unwrap();
    assert!(info.sections.iter().all(|x| !x.edited), "{:?}", info.sections);

    // The same texts saved as the user's: the report prints exactly as before.
    let same = ReportEdits {
        opening: Some(t.opening.clone()),
        achievements: Some(t.achievements.clone()),
        shortcomings: Some(t.shortcomings.clone()),
        to_province: Some(t.to_province.clone()),
        to_units: Some(t.to_units.clone()),
        closing: Some(t.closing.clone()),
        ..Default::default()
    };
    s.edit_report(&ctx(), &plan, &lists(same)).unwrap();
    assert_eq!(printed(&s, &plan), before);
    assert_eq!(s.report_texts(&plan, ctx().now).unwrap(), t);
    for key in [
        "opening",
        "achievements",
        "shortcomings",
        "to_province",
        "to_units",
        "closing",
    ] {
        assert!(edited(&s, &plan, key), "{key}");
    }
    // Restored one by one: an empty list or text gives the generated one back.
    s.edit_report(
        &ctx(),
        &plan,
        &lists(ReportEdits {
            achievements: Some(vec![]),
            closing: Some(String::new()),
            ..Default::default()
        }),
    )
    .unwrap();
    assert!(!edited(&s, &plan, "achievements") && !edited(&s, &plan, "closing"));
    assert!(edited(&s, &plan, "shortcomings"));
}

#[test]
fn an_edited_list_prints_and_an_issued_report_keeps_its_texts() {
    let d = tempfile::tempdir().unwrap();
    let (mut s, plan) = prepared(&d.path().join("k.sqlite3"));
    let generated: ReportTexts = s.report_texts(&plan, ctx().now).unwrap();
    s.edit_report(
        &ctx(),
        &plan,
        &lists(ReportEdits {
            achievements: Some(vec![
                "Cải cách thể chế:".into(),
                " Rà soát văn bản đầy đủ ".into(),
                "".into(),
            ]),
            to_province: Some(vec!["Biểu dương các đơn vị dẫn đầu".into()]),
            opening: Some("Thực hiện Kế hoạch số ……; Đoàn báo cáo:".into()),
            ..Default::default()
        }),
    )
    .unwrap();
    let t = s.report_texts(&plan, ctx().now).unwrap();
    assert_eq!(t.achievements, ["Cải cách thể chế:", "Rà soát văn bản đầy đủ"]);
    assert_eq!(t.to_province, ["Biểu dương các đơn vị dẫn đầu"]);
    assert_eq!(t.shortcomings, generated.shortcomings);
    let p = printed(&s, &plan);
    for line in [
        "Cải cách thể chế:",
        "- Rà soát văn bản đầy đủ.",
        "1. Biểu dương các đơn vị dẫn đầu.",
    ] {
        assert!(p.iter().any(|x| x == line), "«{line}» not printed: {p:#?}");
    }
    assert!(
        !p.iter().any(|x| x.contains("Ban hành kế hoạch CCHC kịp thời")),
        "{p:#?}"
    );
    // The blank left in the opening is missing, and named at the opening.
    let info = s.report(&plan).unwrap();
    let at = info
        .missing
        .iter()
        .position(|m| m.contains("đoạn mở đầu"))
        .expect("the blank is missing");
    assert_eq!(info.missing_sections[at].as_deref(), Some("opening"));
    assert_eq!(info.missing.len(), info.missing_sections.len());
    let stale = info.sections.iter().find(|x| x.key == "opening").unwrap();
    assert!(stale.edited && stale.stale);
    s.edit_report(
        &ctx(),
        &plan,
        &lists(ReportEdits {
            opening: Some(String::new()),
            ..Default::default()
        }),
    )
    .unwrap();

    // Issued: its texts are those it was issued with, whatever the data says later.
    s.issue_report(&ctx(), &plan, "3", "20/10/2026", true).unwrap();
    let issued = s.report_texts(&plan, ctx().now).unwrap();
    assert_eq!(issued.achievements, t.achievements);
    let (_, id) = s.resolve_inspection("kim dong").unwrap();
    s.add_finding(&ctx(), &id, "3", FindingKind::Shortcoming, "Chưa niêm yết thủ tục")
        .unwrap();
    assert_eq!(s.report_texts(&plan, ctx().now).unwrap(), issued);
    assert!(!printed(&s, &plan).iter().any(|x| x.contains("Chưa niêm yết")));
    // Editing it makes version 2, a draft, which reads the new data; version 1 stays issued.
    s.edit_report(
        &ctx(),
        &plan,
        &lists(ReportEdits {
            achievements: Some(vec![]),
            ..Default::default()
        }),
    )
    .unwrap();
    let v = s.report_versions(&plan).unwrap();
    assert_eq!((v[0].version, v[0].status), (2, DocumentStatus::Draft));
    assert_eq!((v[1].version, v[1].status), (1, DocumentStatus::Issued));
    let t2 = s.report_texts(&plan, ctx().now).unwrap();
    assert_eq!(t2.achievements, generated.achievements);
    assert!(
        t2.shortcomings.iter().any(|x| x.starts_with("Chưa niêm yết thủ tục")),
        "{t2:?}"
    );
}
