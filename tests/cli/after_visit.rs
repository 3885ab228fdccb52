//! After the visit, through the `kiemtra` binary: the conclusion deadline in working days
//! (holidays, a user's edit of the list, the plan's "due this week"), the follow-up of
//! recommendations, re-inspection carrying exactly the unresolved items, the unit's
//! self-assessment travelling in an exchange file and kept apart from the team's scores,
//! ranking by area, and the Excel export read back through LibreOffice.

use std::path::Path;
use std::process::Command;

use crate::common::{assert_vietnamese, dump, Kiemtra};
use serde_json::Value;

/// Monday 23/11/2026, 9:00 in Cao Bằng.
const NOW: &str = "2026-11-23T09:00:00+07:00";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn at<'a>(args: &'a [&'a str]) -> Vec<&'a str> {
    let mut v = vec!["--now", NOW];
    v.extend_from_slice(args);
    v
}

fn row_of<'a>(v: &'a Value, unit: &str) -> &'a Value {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit_name"] == unit)
        .unwrap_or_else(|| panic!("no row for {unit}: {v}"))
}

#[test]
fn conclusion_deadline_counts_working_days_and_follows_the_users_holiday_list() {
    let k = Kiemtra::ready();
    // Hạ Lang ended Friday 28/8/2026: the National Day (31/8, swapped for Saturday 22/8, and
    // 1–2/9) pushes the deadline to 23/9.
    k.ok(&[
        "inspection",
        "set",
        "ha lang",
        "--actual-start",
        "26/08/2026",
        "--actual-end",
        "28/08/2026",
    ]);
    // Trùng Khánh ended Tuesday 3/11: 24/11 is Ngày Văn hóa Việt Nam, so due Wednesday 25/11,
    // this week.
    k.ok(&[
        "inspection",
        "set",
        "trung khanh",
        "--actual-start",
        "02/11/2026",
        "--actual-end",
        "03/11/2026",
    ]);
    // Kim Đồng ends Friday 18/12: across the year end and 1/1/2027 to Monday 11/1/2027.
    k.ok(&[
        "inspection",
        "set",
        "kim dong",
        "--actual-start",
        "16/12/2026",
        "--actual-end",
        "18/12/2026",
    ]);
    // Đoài Dương: a planned visit that has not happened has no deadline yet.
    let v = k.json(&at(&["deadline"]));
    assert_eq!(v["week_start"], "2026-11-23");
    assert_eq!(v["week_end"], "2026-11-29");
    let hl = row_of(&v, "xã Hạ Lang");
    assert_eq!(hl["mark"]["deadline"], "2026-09-23");
    assert_eq!(hl["mark"]["state"], "overdue");
    let tk = row_of(&v, "xã Trùng Khánh");
    assert_eq!(tk["mark"]["deadline"], "2026-11-25");
    assert_eq!(tk["mark"]["state"], "due_this_week");
    assert_eq!(tk["mark"]["working_days_left"], 1);
    let kd = row_of(&v, "xã Kim Đồng");
    assert_eq!(kd["mark"]["deadline"], "2027-01-11");
    assert_eq!(kd["mark"]["state"], "upcoming");
    assert_eq!(v["rows"].as_array().unwrap().len(), 3, "{v}");
    assert_eq!(v["without_dates"], 11);

    // The plan screen (plan show) says what is due this week.
    let plan = k.ok(&at(&["plan", "show"]));
    assert!(
        plan.contains("Đến hạn ban hành thông báo trong tuần này: xã Trùng Khánh."),
        "{plan}"
    );
    assert!(plan.contains("23/09/2026 QUÁ HẠN"), "{plan}");

    // An agency that worked on 24/11 removes the day: Trùng Khánh is due Tuesday 24/11; the
    // user adds it back as his own and the deadline returns to Wednesday 25/11.
    k.ok(&["holidays", "remove", "24/11/2026"]);
    let v = k.json(&at(&["deadline", "--unit", "trung khanh"]));
    assert_eq!(row_of(&v, "xã Trùng Khánh")["mark"]["deadline"], "2026-11-24");
    let out = k.ok(&["holidays", "add", "24/11/2026", "Ngày Văn hóa Việt Nam"]);
    assert!(out.contains("thứ Ba 24/11/2026"), "{out}");
    let v = k.json(&at(&["deadline", "--unit", "trung khanh"]));
    assert_eq!(row_of(&v, "xã Trùng Khánh")["mark"]["deadline"], "2026-11-25");
    let list = k.ok(&["holidays", "list", "--year", "2026"]);
    assert!(
        list.contains("Ngày Văn hóa Việt Nam") && list.contains("người dùng thêm"),
        "{list}"
    );
    assert!(list.contains("10/01/2026") && list.contains("ngày làm bù"), "{list}");
    assert!(list.contains("22/08/2026") && list.contains("29 tháng Chạp"), "{list}");

    // Bad edits are refused in Vietnamese and change nothing.
    let before = dump(&k.db);
    let e = k.refused(&["holidays", "add", "28/11/2026", "Thứ Bảy"]);
    assert!(e.contains("thứ Bảy") && e.contains("nghỉ bù"), "{e}");
    let e = k.refused(&["holidays", "add", "25/11/2026", "Làm bù", "--lam-bu"]);
    assert!(e.contains("chỉ thứ Bảy hoặc Chủ nhật"), "{e}");
    let e = k.refused(&["holidays", "add", "31/02/2026", "Ngày lạ"]);
    assert_vietnamese(&e);
    let e = k.refused(&["holidays", "remove", "25/11/2026"]);
    assert!(e.contains("ngày nghỉ"), "{e}");
    assert_eq!(before, dump(&k.db));

    // A deadline in a year the list lacks says so.
    k.ok(&[
        "inspection",
        "set",
        "kim dong",
        "--actual-start",
        "15/12/2027",
        "--actual-end",
        "17/12/2027",
    ]);
    let out = k.ok(&at(&["deadline", "--unit", "kim dong"]));
    assert!(out.contains("chưa có danh sách ngày nghỉ lễ năm 2028"), "{out}");
    // Issuing the Thông báo is what settles it.
    let v = k.json(&at(&["deadline", "--unit", "ha lang"]));
    assert_eq!(row_of(&v, "xã Hạ Lang")["mark"]["issued_date"], Value::Null);
}

#[test]
fn follow_up_tracks_state_report_and_overdue_items() {
    let k = Kiemtra::ready();
    k.ok(&[
        "inspection",
        "set",
        "ha lang",
        "--actual-start",
        "13/10/2026",
        "--actual-end",
        "15/10/2026",
    ]);
    k.ok(&["inspection", "set", "ha lang", "--state", "đã ban hành thông báo"]);
    for (text, deadline) in [
        ("Niêm yết đầy đủ, công khai thủ tục hành chính", "15/11/2026"),
        ("Ký số toàn bộ văn bản đi", "31/12/2026"),
        ("Gửi văn bản xin lỗi với hồ sơ quá hạn", "20/11/2026"),
    ] {
        k.ok(&[
            "recommendation",
            "add",
            "ha lang",
            text,
            "--owner",
            "Chủ tịch UBND xã",
            "--deadline",
            deadline,
            "--force",
        ]);
    }
    let v = k.json(&at(&["followup", "list"]));
    assert_eq!((v["open"].as_i64(), v["overdue"].as_i64()), (Some(3), Some(2)));
    let over = k.json(&at(&["followup", "list", "--overdue"]));
    let numbers: Vec<i64> = over["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["recommendation"]["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![1, 3]);
    assert_eq!(over["items"][0]["days_overdue"], 8);
    let plan = k.json(&at(&["plan", "show"]));
    let hl = plan["inspections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["unit_name"] == "xã Hạ Lang")
        .unwrap();
    assert_eq!(
        (
            hl["open_recommendations"].as_i64(),
            hl["overdue_recommendations"].as_i64()
        ),
        (Some(3), Some(2))
    );

    // "Đã khắc phục" needs the unit's report; nothing changes when refused.
    let before = dump(&k.db);
    let e = k.refused(&at(&["followup", "set", "ha lang", "3", "--state", "đã khắc phục"]));
    assert!(e.contains("số hoặc ngày báo cáo"), "{e}");
    let e = k.refused(&at(&["followup", "set", "ha lang", "3", "--state", "xong"]));
    assert!(e.contains("chua_thuc_hien"), "{e}");
    let e = k.refused(&at(&["followup", "set", "ha lang", "3", "--report-date", "30/11/2026"]));
    assert!(e.contains("sau hôm nay"), "{e}");
    let e = k.refused(&at(&["followup", "set", "ha lang", "9", "--state", "đang thực hiện"]));
    assert!(e.contains("số 9"), "{e}");
    assert_eq!(before, dump(&k.db));

    // The report with its scan.
    let scan = k.path("bao-cao-khac-phuc.pdf");
    std::fs::write(&scan, b"%PDF-1.4 bao cao khac phuc").unwrap();
    let out = k.ok(&at(&[
        "followup",
        "set",
        "ha lang",
        "3",
        "--state",
        "đã khắc phục",
        "--report-number",
        "15/BC-UBND",
        "--report-date",
        "20/11/2026",
        "--note",
        "Đã gửi 13 văn bản xin lỗi",
        "--file",
        s(&scan),
    ]));
    assert!(
        out.contains("đã khắc phục (báo cáo 15/BC-UBND ngày 20/11/2026)"),
        "{out}"
    );
    k.ok(&at(&["followup", "set", "ha lang", "1", "--state", "đang thực hiện"]));
    let v = k.json(&at(&["followup", "list"]));
    let items = v["items"].as_array().unwrap();
    let r3 = &items[2]["recommendation"];
    assert_eq!(r3["report_number"], "15/BC-UBND");
    assert_eq!(r3["report_note"], "Đã gửi 13 văn bản xin lỗi");
    assert_eq!(r3["report_attachment_name"], "bao-cao-khac-phuc.pdf");
    assert_eq!(items[2]["overdue"], false, "remedied is not overdue");
    assert_eq!(items[0]["recommendation"]["state"], "dang_thuc_hien");
    assert_eq!(items[0]["overdue"], true, "in progress past its deadline stays overdue");
    assert_eq!(
        (v["open"].as_i64(), v["overdue"].as_i64(), v["remedied"].as_i64()),
        (Some(2), Some(1), Some(1))
    );

    // All remedied: the inspection moves to "đã báo cáo khắc phục".
    for n in ["1", "2"] {
        k.ok(&at(&[
            "followup",
            "set",
            "ha lang",
            n,
            "--state",
            "da_khac_phuc",
            "--report-date",
            "22/11/2026",
        ]));
    }
    let row = k.json(&["inspection", "show", "ha lang"]);
    assert_eq!(row["state"], "remediation_reported", "{row}");
    let out = k.ok(&at(&["followup", "list", "--overdue"]));
    assert!(out.contains("Không có kiến nghị nào quá hạn."), "{out}");
}

#[test]
fn reinspection_carries_exactly_the_unresolved_recommendations_on_the_original_template() {
    let k = Kiemtra::ready();
    let e = k.refused(&["reinspect", "ha lang"]);
    assert!(e.contains("chưa kết thúc"), "{e}");
    for text in [
        "Kiện toàn bộ phận một cửa",
        "Niêm yết thủ tục hành chính",
        "Ký số văn bản đi",
        "Rà soát văn bản quy phạm",
        "Báo cáo định kỳ đúng hạn",
    ] {
        k.ok(&[
            "recommendation",
            "add",
            "ha lang",
            text,
            "--deadline",
            "30/12/2026",
            "--force",
            "--area",
            "3",
        ]);
    }
    k.ok(&["recommendation", "remove", "ha lang", "4"]);
    k.ok(&at(&[
        "followup",
        "set",
        "ha lang",
        "1",
        "--state",
        "da_khac_phuc",
        "--report-number",
        "7/BC-UBND",
    ]));
    k.ok(&at(&["followup", "set", "ha lang", "3", "--state", "dang_thuc_hien"]));
    k.ok(&["inspection", "set", "ha lang", "--state", "đã ban hành thông báo"]);
    // A newer checklist version comes out after the visit.
    let tpl = k.path("xa.toml");
    k.ok(&["template", "export", "--kind", "xa", "--out", s(&tpl)]);
    let src = std::fs::read_to_string(&tpl)
        .unwrap()
        .replace("version = \"2026.1\"", "version = \"2026.2\"");
    std::fs::write(&tpl, src).unwrap();
    k.ok(&["template", "import", s(&tpl)]);

    let original = k.json(&["inspection", "show", "ha lang"])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = k.json(&at(&["reinspect", "ha lang"]));
    assert_eq!(r["template_version"], "2026.1");
    assert_eq!(r["follows_id"], original.as_str());
    let carried: Vec<(i64, i64, String)> = r["carried"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["number"].as_i64().unwrap(),
                c["original_number"].as_i64().unwrap(),
                c["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        carried,
        vec![
            (1, 2, "Niêm yết thủ tục hành chính".to_string()),
            (2, 3, "Ký số văn bản đi".to_string()),
            (3, 5, "Báo cáo định kỳ đúng hạn".to_string()),
        ]
    );
    // The unit's commands now work on the re-inspection.
    let shown = k.json(&["inspection", "show", "ha lang"]);
    assert_eq!(shown["follows_id"], original.as_str());
    assert_eq!(shown["template_version"], "2026.1");
    assert_eq!(shown["state"], "planned");
    let recs = k.json(&["recommendation", "list", "ha lang"]);
    let recs = recs.as_array().unwrap();
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[1]["state"], "dang_thuc_hien");
    assert_eq!(recs[1]["origin_number"], 3);
    // The plan lists it as a re-inspection; the follow-up counts the carried items once.
    let plan = k.ok(&at(&["plan", "show"]));
    assert!(plan.contains("xã Hạ Lang (kiểm tra lại)"), "{plan}");
    let f = k.json(&at(&["followup", "list", "--unit", "ha lang"]));
    assert_eq!(
        f["items"].as_array().unwrap().len(),
        4,
        "1 remedied original + 3 carried: {f}"
    );
    // Another re-inspection waits until this one has concluded; the database is unchanged.
    let before = dump(&k.db);
    let e = k.refused(&at(&["reinspect", "ha lang"]));
    assert!(e.contains("chưa kết thúc (kế hoạch)"), "{e}");
    assert_eq!(before, dump(&k.db));

    // Once the carried items are remedied, the original visit is settled too.
    let original_state = || -> String {
        k.json(&at(&["plan", "show"]))["inspections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == original.as_str())
            .unwrap()["state"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for n in ["1", "2"] {
        k.ok(&at(&[
            "followup",
            "set",
            "ha lang",
            n,
            "--state",
            "da_khac_phuc",
            "--report-date",
            "20/11/2026",
        ]));
        assert_eq!(original_state(), "conclusion_issued");
    }
    // The last carried item (number 5 of the original) settles it.
    k.ok(&at(&[
        "followup",
        "set",
        "ha lang",
        "3",
        "--state",
        "da_khac_phuc",
        "--report-number",
        "9/BC-UBND",
    ]));
    assert_eq!(original_state(), "remediation_reported");
}

#[test]
fn withdrawing_the_last_open_recommendation_settles_the_inspection() {
    let k = Kiemtra::ready();
    k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Niêm yết TTHC",
        "--deadline",
        "30/12/2026",
        "--force",
    ]);
    k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Ký số văn bản đi",
        "--deadline",
        "30/12/2026",
        "--force",
    ]);
    k.ok(&["inspection", "set", "ha lang", "--state", "đã ban hành thông báo"]);
    k.ok(&at(&[
        "followup",
        "set",
        "ha lang",
        "1",
        "--state",
        "da_khac_phuc",
        "--report-number",
        "3/BC-UBND",
    ]));
    assert_eq!(k.json(&["inspection", "show", "ha lang"])["state"], "conclusion_issued");
    k.ok(&["recommendation", "remove", "ha lang", "2"]);
    assert_eq!(
        k.json(&["inspection", "show", "ha lang"])["state"],
        "remediation_reported"
    );
    // A report number of spaces is no report.
    let e = k.refused(&at(&[
        "followup",
        "set",
        "ha lang",
        "1",
        "--state",
        "da_khac_phuc",
        "--report-number",
        "   ",
    ]));
    assert!(e.contains("số hoặc ngày báo cáo"), "{e}");
}

#[test]
fn self_assessment_travels_in_an_exchange_file_and_stays_apart_from_team_scores() {
    let team = Kiemtra::ready();
    let unit = Kiemtra::new();
    unit.ok(&["init"]);
    // The team sends the unit its part of the plan.
    let to_unit = team.path("gui-xa-ha-lang.kiemtra");
    team.ok(&["exchange", "export", "--unit", "ha lang", "--out", s(&to_unit)]);
    unit.ok(&["exchange", "import", "--allow-unprotected", s(&to_unit)]);
    // The unit's laptop in unit mode.
    let out = unit.ok(&["self", "start", "ha lang"]);
    assert!(out.contains("xã Hạ Lang") && out.contains("tự đánh giá"), "{out}");
    unit.ok(&[
        "self",
        "score",
        "ha lang",
        "1.1.1",
        "0,75",
        "--note",
        "Kế hoạch CCHC ban hành ngày 05/01/2026",
    ]);
    unit.ok(&["self", "score", "ha lang", "3.1.1", "1"]);
    unit.ok(&["self", "figure", "ha lang", "ho_so_tiep_nhan", "1.081"]);
    unit.ok(&["self", "figure", "ha lang", "ho_so_dung_han", "950"]);
    let scan = unit.path("ke-hoach-cchc.pdf");
    std::fs::write(&scan, b"%PDF-1.4 ke hoach").unwrap();
    unit.ok(&[
        "evidence",
        "add",
        "ha lang",
        "1.1.1",
        s(&scan),
        "--number",
        "12/KH-UBND",
    ]);
    // The team's fields are not the unit's.
    let before = dump(&unit.db);
    let e = unit.refused(&["checklist", "set", "ha lang", "1.1.1", "--team", "0,5"]);
    assert!(e.contains("tự đánh giá"), "{e}");
    let e = unit.refused(&["figure", "set", "ha lang", "ho_so_tiep_nhan", "1000"]);
    assert!(e.contains("tự đánh giá"), "{e}");
    let e = unit.refused(&["self", "score", "kim dong", "1.1.1", "0,5"]);
    assert_vietnamese(&e);
    assert_eq!(before, dump(&unit.db));
    let from_unit = unit.path("xa-ha-lang-tu-danh-gia.kiemtra");
    unit.ok(&["exchange", "export", "--unit", "ha lang", "--out", s(&from_unit)]);

    // Meanwhile the team scored 1.1.1 and recorded its own figure.
    team.ok(&["checklist", "set", "ha lang", "1.1.1", "--team", "0,5"]);
    team.ok(&["figure", "set", "ha lang", "ho_so_tiep_nhan", "1.080"]);
    let preview = team.ok(&["exchange", "preview", "--allow-unprotected", s(&from_unit)]);
    assert!(preview.contains("xã Hạ Lang"), "{preview}");
    team.ok(&["exchange", "import", "--allow-unprotected", s(&from_unit)]);
    assert!(team.json(&["conflicts", "list"]).as_array().unwrap().is_empty());

    // Pre-filled, kept apart.
    let sa = team.json(&["self", "show", "ha lang"]);
    assert_eq!(sa["scored_items"], 2);
    assert_eq!(sa["self_total"], 1.75);
    assert_eq!(sa["team_total"], 0.5);
    assert_eq!(sa["evidence_from_unit"], 1);
    let figs = sa["figures"].as_array().unwrap();
    let fig = |k: &str| figs.iter().find(|f| f["key"] == k).unwrap()["value"].clone();
    assert_eq!(fig("ho_so_tiep_nhan"), 1081.0);
    assert_eq!(fig("ho_so_dung_han"), 950.0);
    let team_figs = team.json(&["figure", "list", "ha lang"]);
    let tf = team_figs["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "ho_so_tiep_nhan")
        .unwrap()
        .clone();
    assert_eq!(tf["value"], 1080.0, "the team's figure is not overwritten");
    assert!(
        team_figs["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == "ho_so_dung_han")
            .unwrap()["value"]
            .is_null(),
        "the unit's figure does not become the team's"
    );
    let cl = team.json(&["checklist", "show", "ha lang"]);
    let item = cl["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "1.1.1")
        .unwrap();
    assert_eq!(item["response"]["self_score"], 0.75);
    assert_eq!(item["response"]["team_score"], 0.5);
    assert_eq!(item["response"]["self_note"], "Kế hoạch CCHC ban hành ngày 05/01/2026");
    let ev = team.json(&["evidence", "list", "ha lang"]);
    assert_eq!(ev[0]["source"], "don_vi");
    assert_eq!(ev[0]["doc_number"], "12/KH-UBND");
    // The score that counts is the team's.
    let score = team.json(&["score", "ha lang"]);
    assert_eq!(score["card"]["total"], 0.5);
    assert_eq!(score["card"]["self_total"], 1.75);
}

#[test]
fn ranking_by_area_orders_units_by_that_area_alone() {
    let k = Kiemtra::ready();
    // Hạ Lang is better in area 1, Kim Đồng in area 3.
    k.ok(&["checklist", "set", "ha lang", "1.1.1", "--team", "0,75"]);
    k.ok(&["checklist", "set", "kim dong", "1.1.1", "--team", "0,25"]);
    k.ok(&["checklist", "set", "kim dong", "3.1.1", "--team", "1"]);
    let rank = |area: &str| -> Vec<String> {
        k.json(&["score", "--all", "--area", area])
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| !r["rank"].is_null())
            .map(|r| r["unit_name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rank("1"), vec!["xã Hạ Lang", "xã Kim Đồng"]);
    assert_eq!(rank("3"), vec!["xã Kim Đồng"]);
    let out = k.ok(&["score", "--all", "--area", "3"]);
    assert!(
        out.contains("Xếp hạng lĩnh vực 3. Cải cách thủ tục hành chính"),
        "{out}"
    );
    let e = k.refused(&["score", "--all", "--area", "9"]);
    assert!(e.contains("Lĩnh vực «9»"), "{e}");
}

/// Parse a CSV written by LibreOffice (commas, double quotes, no newlines inside cells here).
fn csv(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut cells = vec![];
            let mut cur = String::new();
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        cur.push('"');
                        chars.next();
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => cells.push(std::mem::take(&mut cur)),
                    _ => cur.push(c),
                }
            }
            cells.push(cur);
            cells
        })
        .collect()
}

/// Convert every sheet of a workbook to CSV with LibreOffice; `as_shown` keeps the display
/// formats, otherwise numbers come out as plain numbers (en-US).
fn sheets(xlsx: &Path, out: &Path, as_shown: bool) -> std::collections::BTreeMap<String, Vec<Vec<String>>> {
    std::fs::create_dir_all(out).unwrap();
    let profile = out.join("lo-profile");
    let filter = format!("csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,{as_shown},false,false,-1");
    let o = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", &filter, "--outdir"])
        .arg(out)
        .arg(xlsx)
        .output()
        .expect("LibreOffice (soffice) is installed: scripts/setup.sh --test");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stem = xlsx.file_stem().unwrap().to_str().unwrap();
    let mut m = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(out).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        if let Some(sheet) = name
            .strip_prefix(&format!("{stem}-"))
            .and_then(|n| n.strip_suffix(".csv"))
        {
            m.insert(sheet.to_string(), csv(&std::fs::read_to_string(&p).unwrap()));
        }
    }
    m
}

/// "1.081,50" → 1081.5; "86,5%" → 86.5.
fn vn_number(s: &str) -> f64 {
    s.trim_end_matches('%')
        .replace('.', "")
        .replace(',', ".")
        .parse()
        .unwrap_or_else(|_| panic!("«{s}»"))
}

/// An unformatted cell: "1081,5" (the format's locale gives the decimal comma) → 1081.5.
fn raw_number(s: &str) -> f64 {
    s.trim_end_matches('%')
        .replace(',', ".")
        .parse()
        .unwrap_or_else(|_| panic!("not a plain number: «{s}»"))
}

fn pct_of(r: &Value) -> f64 {
    100.0 * r["total"].as_f64().unwrap() / r["applicable_max"].as_f64().unwrap()
}

#[test]
fn excel_export_opens_in_libreoffice_and_reads_back_as_the_database() {
    let k = Kiemtra::ready();
    k.ok(&["checklist", "set", "ha lang", "1.1.1", "--team", "0,75"]);
    k.ok(&["checklist", "set", "ha lang", "3.1.1", "--team", "1"]);
    k.ok(&["checklist", "set", "kim dong", "1.1.1", "--team", "0,5"]);
    k.ok(&["checklist", "set", "so ngoai vu", "1.1.1", "--team", "0,25"]);
    let texts = [
        (
            "ha lang",
            "3",
            "ton_tai",
            "Tỷ lệ hồ sơ đúng hạn 86,5 %, chưa đạt \"100 %\"",
        ),
        (
            "ha lang",
            "3",
            "dat_duoc",
            "Tiếp nhận 1.081 hồ sơ, 434 hồ sơ trực tuyến",
        ),
        ("ha lang", "7", "nguyen_nhan", "Thiếu chữ ký số; đường truyền yếu"),
        ("kim dong", "1", "dat_duoc", "Ban hành kế hoạch CCHC đúng hạn"),
    ];
    for (u, area, kind, text) in texts {
        k.ok(&["finding", "add", u, "--area", area, "--kind", kind, text]);
    }
    k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Niêm yết đủ TTHC",
        "--owner",
        "Chủ tịch UBND xã",
        "--deadline",
        "15/11/2026",
        "--force",
        "--area",
        "3",
    ]);
    k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Ký số văn bản đi",
        "--deadline",
        "31/12/2026",
        "--force",
    ]);
    k.ok(&at(&[
        "followup",
        "set",
        "ha lang",
        "2",
        "--state",
        "da_khac_phuc",
        "--report-number",
        "15/BC-UBND",
        "--report-date",
        "20/11/2026",
    ]));
    k.ok(&[
        "inspection",
        "set",
        "ha lang",
        "--actual-start",
        "27/10/2026",
        "--actual-end",
        "29/10/2026",
    ]);

    let out = k.path("ket-qua.xlsx");
    let msg = k.ok(&at(&["export", "xlsx", "--out", s(&out)]));
    assert!(msg.contains("14 đơn vị, 4 nhận xét, 2 kiến nghị"), "{msg}");
    let before = std::fs::read(&out).unwrap();
    let e = k.refused(&at(&["export", "xlsx", "--out", s(&out)]));
    assert!(e.contains("không ghi đè"), "{e}");
    assert_eq!(before, std::fs::read(&out).unwrap());
    let e = k.refused(&at(&["export", "xlsx", "--out", "/khong-co-thu-muc-nay/a.xlsx"]));
    assert_vietnamese(&e);

    let shown = sheets(&out, &k.path("csv-shown"), true);
    let raw = sheets(&out, &k.path("csv-raw"), false);
    assert_eq!(
        shown.keys().cloned().collect::<Vec<_>>(),
        vec!["Kiến nghị", "Nhận xét", "Thời hạn kết luận", "Điểm"]
    );

    // Scores: every unit of the ranking, in its order, with the database's numbers.
    let rank = k.json(&["score", "--all"]);
    let rank = rank.as_array().unwrap();
    let sc = &shown["Điểm"];
    let rc = &raw["Điểm"];
    assert_eq!(
        sc[0][..7],
        [
            "Hạng",
            "Đơn vị",
            "Loại",
            "Trạng thái",
            "Tổng điểm",
            "Điểm tối đa áp dụng",
            "Tỷ lệ"
        ]
    );
    assert_eq!(sc.len(), rank.len() + 1);
    for (n, r) in rank.iter().enumerate() {
        let (row, raw_row) = (&sc[n + 1], &rc[n + 1]);
        assert_eq!(row[1], r["unit_name"].as_str().unwrap());
        if let Some(rk) = r["rank"].as_i64() {
            assert_eq!(row[0], rk.to_string());
            let total = r["total"].as_f64().unwrap();
            // Shown the Vietnamese way, stored as a number.
            assert_eq!(vn_number(&row[4]), total, "{row:?}");
            assert!(row[4].contains(','), "two decimals with a comma: {row:?}");
            // Unformatted, the cell gives its full value (no thousands separator, no rounding):
            // a number, not text that looks like one.
            assert_eq!(raw_number(&raw_row[4]), total, "{raw_row:?}");
            assert!((raw_number(&raw_row[6]) - pct_of(r)).abs() < 1e-3, "{raw_row:?}");
            let pct = pct_of(r);
            assert!((vn_number(&row[6]) - pct).abs() < 0.05, "{row:?} vs {pct}");
        } else {
            assert_eq!(row[0], "");
        }
    }
    assert_eq!(sc[1][1], "xã Hạ Lang");

    // Findings: all of them, text exact.
    let nx = &shown["Nhận xét"];
    assert_eq!(nx[0], ["STT", "Đơn vị", "Lĩnh vực", "Loại nhận xét", "Nội dung"]);
    assert_eq!(nx.len(), 5);
    for (u, _, _, text) in texts {
        let unit = if u == "ha lang" {
            "xã Hạ Lang"
        } else {
            "xã Kim Đồng"
        };
        assert!(
            nx.iter().any(|r| r[1] == unit && r[4] == text),
            "{text} missing: {nx:?}"
        );
    }
    assert!(nx
        .iter()
        .any(|r| r[2] == "3. Cải cách thủ tục hành chính" && r[3] == "tồn tại, hạn chế"));

    // Recommendations: state, deadline as a date shown dd/mm/yyyy, days overdue as a number.
    let kn = &shown["Kiến nghị"];
    assert_eq!(
        kn[0][..8],
        [
            "Đơn vị",
            "Số",
            "Lĩnh vực",
            "Nội dung kiến nghị",
            "Đơn vị, người thực hiện",
            "Thời hạn",
            "Tình trạng",
            "Quá hạn (ngày)"
        ]
    );
    assert_eq!(
        kn[1][..8],
        [
            "xã Hạ Lang",
            "1",
            "3",
            "Niêm yết đủ TTHC",
            "Chủ tịch UBND xã",
            "15/11/2026",
            "chưa thực hiện",
            "8"
        ]
    );
    assert_eq!(
        kn[2][5..10],
        ["31/12/2026", "đã khắc phục", "", "15/BC-UBND", "20/11/2026"]
    );
    assert_eq!(raw["Kiến nghị"][1][7], "8");

    // Deadlines.
    // (Sở Ngoại vụ has begun — it was scored — so its scheduled end counts; Hạ Lang's actual end.)
    let th = &shown["Thời hạn kết luận"];
    let hl = th.iter().find(|r| r[0] == "xã Hạ Lang").unwrap();
    assert_eq!(hl[..5], ["xã Hạ Lang", "29/10/2026", "19/11/2026", "", "quá hạn"]);
    assert!(
        th.iter().any(|r| r[0] == "Sở Ngoại vụ" && r[2] == "24/08/2026"),
        "{th:?}"
    );
    assert_eq!(th.len(), 4, "only visits that began: {th:?}");

    // The file is a real workbook with frozen header rows (checked in the sheet XML).
    let zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut zip = zip;
    for i in 1..=4 {
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name(&format!("xl/worksheets/sheet{i}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(
            xml.contains(r#"state="frozen""#) && xml.contains(r#"topLeftCell="A2""#),
            "sheet {i}"
        );
        assert!(xml.contains("<cols>"), "column widths on sheet {i}");
    }
}

#[test]
fn a_unit_laptop_writes_its_own_self_assessment_and_nothing_else() {
    // The faults the layers issue found on the command line: a unit's laptop accepted a
    // self score for another unit, and the team's own findings and recommendations.
    let team = Kiemtra::ready();
    let unit = Kiemtra::new();
    unit.ok(&["init"]);
    let to_unit = team.path("gui-don-vi.kiemtra");
    team.ok(&["exchange", "export", "--out", s(&to_unit)]);
    unit.ok(&["exchange", "import", "--allow-unprotected", s(&to_unit)]);
    unit.ok(&["self", "start", "ha lang"]);
    let before = dump(&unit.db);
    let e = unit.refused(&["checklist", "set", "doai duong", "1.1.1", "--self", "0,5"]);
    assert!(e.contains("đơn vị khác") && e.contains("Đoài Dương"), "{e}");
    let e = unit.refused(&[
        "finding",
        "add",
        "ha lang",
        "--area",
        "3",
        "--kind",
        "ton_tai",
        "Đơn vị tự ghi tồn tại",
    ]);
    assert!(e.contains("tự đánh giá") && e.contains("nhận xét của đoàn"), "{e}");
    let e = unit.refused(&["recommendation", "add", "ha lang", "Đơn vị tự kiến nghị"]);
    assert!(e.contains("tự đánh giá") && e.contains("kiến nghị của đoàn"), "{e}");
    assert_vietnamese(&e);
    assert_eq!(before, dump(&unit.db), "nothing refused was written");
    // Its own self score goes through.
    unit.ok(&["checklist", "set", "ha lang", "1.1.1", "--self", "0,5"]);
}
