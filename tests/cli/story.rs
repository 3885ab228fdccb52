//! The foundation story, driven through the `kiemtra` binary as an inspector would:
//! initialise, load Cao Bằng's 2026 plan, open xã Hạ Lang, enter its figures from the
//! 2021 report, score criteria with evidence and notes, record findings and numbered
//! recommendations, read the score per area and in total, rank the 14 units, search
//! without diacritics, take a backup, and adapt a checklist.

use crate::common::Kiemtra;
use serde_json::Value;

const SEED_UNITS: [&str; 14] = [
    "Sở Ngoại vụ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Giáo dục và Đào tạo",
    "Sở Công Thương",
    "phường Thục Phán",
    "xã Trường Hà",
    "xã Hà Quảng",
    "xã Đức Long",
    "xã Thạch An",
    "xã Kim Đồng",
    "xã Hạ Lang",
    "xã Vinh Quý",
    "xã Trùng Khánh",
    "xã Đoài Dương",
];

fn rate(figs: &Value, key: &str) -> String {
    figs["rates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap()["display"]
        .as_str()
        .unwrap()
        .to_string()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

#[test]
fn an_inspection_of_ha_lang_from_the_command_line() {
    let k = Kiemtra::new();
    // Fresh machine: the folder does not exist yet; init makes it.
    let out = k.ok(&["init"]);
    assert!(out.contains("Đã tạo cơ sở dữ liệu"), "{out}");
    assert!(k.ok(&["init"]).contains("Đã có cơ sở dữ liệu"));
    let out = k.ok(&["plan", "load-sample"]);
    assert!(out.contains("14 đơn vị"), "{out}");
    assert!(k.ok(&["plan", "load-sample"]).contains("không nạp lại"));

    // The plan and its 14 units, departments on the sở checklist, communes on the xã one.
    let units = k.json(&["units", "list"]);
    let names: Vec<&str> = units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, SEED_UNITS);
    let plan = k.json(&["plan", "show"]);
    assert_eq!(plan["inspections"].as_array().unwrap().len(), 14);
    for i in plan["inspections"].as_array().unwrap() {
        let expected = if i["unit_kind"] == "so" { 86 } else { 82 };
        assert_eq!(i["scorable_items"], expected, "{}", i["unit_name"]);
        assert_eq!(i["state"], "planned");
    }
    let shown = k.ok(&["plan", "show"]);
    assert!(
        shown.contains("Kế hoạch số 4110/KH-UBND ngày 31 tháng 12 năm 2025"),
        "{shown}"
    );
    assert!(shown.contains("xã Hạ Lang") && shown.contains("13/10/2026"), "{shown}");

    // Open Hạ Lang's checklist by typing without diacritics.
    let cl = k.ok(&["checklist", "show", "ha lang", "--area", "3"]);
    assert!(cl.starts_with("xã Hạ Lang"), "{cl}");
    assert!(
        cl.contains("3.3.1") && cl.contains("Tỷ lệ hồ sơ TTHC được giải quyết trước hạn và đúng hạn"),
        "{cl}"
    );

    // Hạ Lang's figures, typed the Vietnamese way.
    for (key, value) in [
        ("ho_so_tiep_nhan", "1.081"),
        ("ho_so_truc_tuyen", "434"),
        ("ho_so_da_giai_quyet", "1.068"),
        ("ho_so_dung_han", "924"),
        ("ho_so_dang_giai_quyet", "13"),
        ("ho_so_buu_chinh", "94"),
        ("van_ban_di", "3.601"),
        ("van_ban_ky_so", "3.432"),
        ("tthc_thuoc_tham_quyen", "221"),
        ("tthc_cong_khai", "221"),
        ("ty_le_dvsn_tu_chu", "12,82"),
        ("bien_che_tinh_gian", "6"),
    ] {
        k.ok(&["figure", "set", "ha lang", key, value]);
    }
    let out = k.ok(&["figure", "set", "ha lang", "ho_so_dung_han", "924"]);
    assert!(out.contains("Tỷ lệ hồ sơ giải quyết đúng hạn: 86,5 %"), "{out}");
    let figs = k.json(&["figure", "list", "ha lang"]);
    assert_eq!(rate(&figs, "ty_le_truc_tuyen"), "40,1 %");
    assert_eq!(rate(&figs, "ty_le_dung_han"), "86,5 %");
    assert_eq!(rate(&figs, "ty_le_ky_so"), "95,3 %");
    assert_eq!(rate(&figs, "ty_le_cong_khai"), "100,0 %");
    assert_eq!(rate(&figs, "ty_le_xin_loi"), "chưa đủ số liệu");
    let listed = k.ok(&["figure", "list", "ha lang"]);
    assert!(
        listed.contains("1.081") && listed.contains("3.601") && listed.contains("12,82 %"),
        "{listed}"
    );

    // Score criteria: observed levels, the unit's self score, evidence and notes.
    k.ok(&[
        "checklist",
        "set",
        "ha lang",
        "1.1.1",
        "--status",
        "dung_han",
        "--self",
        "0,75",
        "--note",
        "Kế hoạch CCHC năm 2026 ban hành ngày 26/12/2025",
    ]);
    k.ok(&["checklist", "set", "ha lang", "1.4.1", "--status", "dat"]);
    k.ok(&["checklist", "set", "ha lang", "3.3.1", "--self", "5"]);
    k.ok(&["figure", "set", "ha lang", "bao_cao_tre_han", "2"]);
    let scan = k.path("ke-hoach-cchc-2026.jpg");
    std::fs::write(&scan, b"\xFF\xD8\xFF\xE0 pretend JPEG bytes of a scanned plan").unwrap();
    let out = k.ok(&[
        "evidence",
        "add",
        "ha lang",
        "1.1.1",
        scan.to_str().unwrap(),
        "--number",
        "125/KH-UBND",
        "--date",
        "26/12/2025",
        "--note",
        "Kế hoạch CCHC năm 2026 của UBND xã",
    ]);
    assert!(out.contains("Đã thêm tài liệu kiểm chứng cho tiêu chí 1.1.1"), "{out}");
    // The same photo attached to another criterion is stored once.
    let out = k.ok(&["evidence", "add", "ha lang", "1.4.1", scan.to_str().unwrap()]);
    assert!(out.contains("không lưu lại lần nữa"), "{out}");
    let ev = k.json(&["evidence", "list", "ha lang"]);
    assert_eq!(ev.as_array().unwrap().len(), 2);
    assert_eq!(ev[0]["doc_number"], "125/KH-UBND");
    assert_eq!(ev[0]["doc_date"], "2025-12-26");
    assert_eq!(ev[0]["media_type"], "image/jpeg");
    assert_eq!(ev[0]["attachment_sha256"], ev[1]["attachment_sha256"]);

    // The checklist now shows the scores the rules give.
    let cl = k.json(&["checklist", "show", "ha lang"]);
    let item = |code: &str| {
        cl["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(f(&item("1.1.1")["score"]), 0.75);
    assert_eq!(f(&item("1.2.2")["score"]), 0.5); // 1 − 2 × 0,25
    assert_eq!(f(&item("3.3.1")["score"]), 0.0); // 86,5 % < 90 %
    assert_eq!(f(&item("3.3.1")["response"]["self_score"]), 5.0);
    assert_eq!(f(&item("7.2.1")["score"]), 1.75); // online 40,1 % ≥ 40 % → half of 3,5
    assert_eq!(f(&item("7.1.1")["score"]), 1.5); // signed 95,3 % ≥ 95 % → 75 % of 2
    assert_eq!(item("1.1.1")["evidence"], 1);
    assert_eq!(cl["inspection"]["state"], "in_progress");

    // Findings and numbered recommendations.
    k.ok(&[
        "finding",
        "add",
        "ha lang",
        "--area",
        "3",
        "--kind",
        "dat_duoc",
        "221 thủ tục hành chính được công khai đầy đủ tại Trung tâm Phục vụ hành chính công",
    ]);
    k.ok(&[
        "finding",
        "add",
        "ha lang",
        "--area",
        "3",
        "--kind",
        "ton_tai",
        "Tỷ lệ hồ sơ giải quyết đúng hạn mới đạt 86,5 %",
    ]);
    k.ok(&[
        "finding",
        "add",
        "ha lang",
        "--area",
        "3",
        "--kind",
        "nguyen_nhan",
        "Công chức kiêm nhiệm, chưa theo dõi thời hạn trên hệ thống",
    ]);
    let out = k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Rà soát toàn bộ hồ sơ quá hạn, gửi văn bản xin lỗi người dân",
        "--owner",
        "Chủ tịch UBND xã",
        "--deadline",
        "31/12/2026",
        "--force",
        "--area",
        "3",
    ]);
    assert!(out.contains("kiến nghị số 1"), "{out}");
    let out = k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Tăng tỷ lệ văn bản ký số lên 100 %",
        "--owner",
        "Văn phòng HĐND và UBND xã",
        "--deadline",
        "2027-03-31",
        "--force",
    ]);
    assert!(out.contains("kiến nghị số 2"), "{out}");
    let recs = k.json(&["recommendation", "list", "ha lang"]);
    assert_eq!(recs[1]["number"], 2);
    assert_eq!(recs[0]["deadline"], "2026-12-31");
    assert_eq!(recs[0]["state"], "chua_thuc_hien");
    k.ok(&["recommendation", "state", "ha lang", "1", "dang_thuc_hien"]);
    assert_eq!(
        k.json(&["recommendation", "list", "ha lang"])[0]["state"],
        "dang_thuc_hien"
    );
    let msg = k.refused(&["recommendation", "state", "ha lang", "9", "da_khac_phuc"]);
    assert!(msg.contains("không có kiến nghị số 9"), "{msg}");
    let findings = k.ok(&["finding", "list", "ha lang"]);
    let (a, s, c) = (
        findings.find("221 thủ tục").unwrap(),
        findings.find("86,5 %").unwrap(),
        findings.find("kiêm nhiệm").unwrap(),
    );
    assert!(
        a < s && s < c,
        "findings ordered achieved, shortcoming, cause:\n{findings}"
    );

    // The score per area and in total.
    let score = k.json(&["score", "ha lang"]);
    let card = &score["card"];
    let area = |code: &str| {
        card["areas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(f(&area("1")["score"]), 1.75); // 0,75 + 0,5 + 0,5
    assert_eq!(f(&area("3")["score"]), 2.5); // published 100 % → 2; on time 0; postal 8,7 % → 0,5
    assert_eq!(f(&area("7")["score"]), 3.25);
    assert_eq!(f(&card["total"]), 7.5);
    assert_eq!(f(&card["max"]), 100.0);
    assert_eq!(f(&card["applicable_max"]), 77.0); // 23 points of survey and bonus are not observed
    assert_eq!(f(&card["self_total"]), 5.75);
    let shown = k.ok(&["score", "ha lang"]);
    assert!(
        shown.contains("Tổng: 7,5 / 100 điểm") && shown.contains("tỷ lệ đạt 9,7 %"),
        "{shown}"
    );

    // A second unit, then the ranking of all 14.
    k.ok(&["figure", "set", "doai duong", "ho_so_da_giai_quyet", "412"]);
    k.ok(&["figure", "set", "doai duong", "ho_so_dung_han", "412"]);
    let rank = k.json(&["score", "--all"]);
    let rank = rank.as_array().unwrap();
    assert_eq!(rank.len(), 14);
    assert_eq!(
        (rank[0]["unit_name"].as_str(), rank[0]["rank"].as_u64()),
        (Some("xã Hạ Lang"), Some(1))
    );
    assert_eq!(
        (rank[1]["unit_name"].as_str(), rank[1]["rank"].as_u64()),
        (Some("xã Đoài Dương"), Some(2))
    );
    assert_eq!(f(&rank[1]["total"]), 5.0);
    // Units with nothing scored yet are listed, unranked.
    assert!(rank[2..].iter().all(|r| r["rank"].is_null() && f(&r["total"]) == 0.0));
    let shown = k.ok(&["score", "--all"]);
    assert!(shown.contains("xã Hạ Lang") && shown.contains("9,7 %"), "{shown}");

    // Search ignores diacritics, đ included.
    let hits = k.json(&["search", "doai duong"]);
    assert_eq!(hits[0]["entity"], "unit");
    assert_eq!(hits[0]["text"], "xã Đoài Dương");
    let hits = k.json(&["search", "DUNG HAN"]);
    assert!(hits
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["entity"] == "finding" && h["unit_name"] == "xã Hạ Lang"));
    let hits = k.json(&["search", "van ban xin loi"]);
    assert!(hits.as_array().unwrap().iter().any(|h| h["entity"] == "recommendation"));
    let hits = k.json(&["search", "125/kh-ubnd"]);
    assert!(
        hits.as_array().unwrap().iter().any(|h| h["entity"] == "evidence"),
        "{hits}"
    );
    let shown = k.ok(&["search", "ke hoach cchc 2026"]);
    assert!(shown.contains("Ghi chú (xã Hạ Lang, 1.1.1)"), "{shown}");

    // A backup, readable on its own.
    let backup = k.path("sao-luu-ha-lang.sqlite3");
    let out = k.ok(&["backup", backup.to_str().unwrap()]);
    assert!(out.contains("Đã sao lưu"), "{out}");
    let copy = Kiemtra::run_on(&backup, &["--json", "score", "ha lang"]);
    assert_eq!(copy.code, 0, "{}", copy.stderr);
    let copy: Value = serde_json::from_str(&copy.stdout).unwrap();
    assert_eq!(f(&copy["card"]["total"]), 7.5);

    // Every action was recorded with who did it.
    let audit = k.json(&["audit", "--limit", "500"]);
    assert!(audit.as_array().unwrap().iter().all(|a| a["inspector"] == "Bế Thị Hà"));
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["entity"] == "figure" && a["new_value"] == "924"));
    assert!(k.ok(&["check"]).contains("nguyên vẹn"));
}

#[test]
fn a_province_adapts_a_checklist_and_adds_an_unannounced_inspection() {
    let k = Kiemtra::ready();
    let file = k.path("bo-tieu-chi-xa.toml");
    k.ok(&["template", "export", "--kind", "xa", "--out", file.to_str().unwrap()]);
    let src = std::fs::read_to_string(&file).unwrap();
    assert!(src.contains("version = \"2026.1\"") && src.contains("[[item]]"));
    let edited = src
        .replacen("version = \"2026.1\"", "version = \"2026.2\"", 1)
        .replacen(
            "Ban hành kế hoạch CCHC năm của UBND xã",
            "Ban hành kế hoạch CCHC năm của UBND xã, phường",
            1,
        );
    std::fs::write(&file, edited).unwrap();
    let out = k.ok(&["template", "import", file.to_str().unwrap()]);
    assert!(out.contains("phiên bản 2026.2"), "{out}");
    assert!(k
        .ok(&["template", "import", file.to_str().unwrap()])
        .contains("không thay đổi gì"));
    let list = k.json(&["template", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 3);
    // Hạ Lang stays on 2026.1; an unannounced inspection of a new commune takes 2026.2.
    assert_eq!(k.json(&["checklist", "show", "ha lang"])["template_version"], "2026.1");
    let out = k.ok(&[
        "units",
        "add",
        "xã Đông Khê",
        "--kind",
        "xa",
        "--unannounced",
        "--start",
        "20/11/2026",
    ]);
    assert!(out.contains("kiểm tra đột xuất"), "{out}");
    let cl = k.json(&["checklist", "show", "dong khe"]);
    assert_eq!(cl["template_version"], "2026.2");
    assert_eq!(cl["inspection"]["unannounced"], true);
    assert_eq!(k.json(&["search", "dong khe"])[0]["text"], "xã Đông Khê");
    assert!(k.ok(&["plan", "show"]).contains("xã Đông Khê (đột xuất)"));
    // Team and plan edits.
    k.ok(&[
        "team",
        "set",
        "--decision-number",
        "1520/QĐ-UBND",
        "--decision-date",
        "05/06/2026",
    ]);
    let team = k.json(&["team", "show"]);
    assert_eq!(team["decision_number"], "1520/QĐ-UBND");
    assert_eq!(team["decision_date"], "2026-06-05");
    k.ok(&[
        "team",
        "add-member",
        "Triệu Văn Giang",
        "--role",
        "thành viên",
        "--agency",
        "Sở Nội vụ",
    ]);
    assert_eq!(k.json(&["team", "show"])["members"].as_array().unwrap().len(), 7);
    k.ok(&["plan", "set", "--number", "1234", "--date", "10/04/2026"]);
    assert_eq!(k.json(&["plan", "show"])["plan"]["number"], "1234");
    k.ok(&[
        "plan",
        "set",
        "--basis",
        "Kế hoạch số 4110/KH-UBND ngày 31/12/2025",
        "--basis",
        "Quyết định số 1520/QĐ-UBND ngày 05/6/2026",
    ]);
    let bases = k.json(&["plan", "show"])["plan"]["legal_bases"].clone();
    assert_eq!(bases.as_array().unwrap().len(), 2);
    assert!(k.ok(&["plan", "show"]).contains("Căn cứ: Quyết định số 1520/QĐ-UBND"));
    // Rename keeps history.
    k.ok(&["units", "rename", "dong khe", "xã Đông Khê Mới", "--date", "01/12/2026"]);
    let h = k.ok(&["units", "history", "dong khe moi"]);
    assert!(h.contains("xã Đông Khê → xã Đông Khê Mới"), "{h}");
}

#[test]
fn an_inspector_corrects_what_was_written() {
    let k = Kiemtra::ready();
    k.ok(&[
        "finding",
        "add",
        "ha lang",
        "--area",
        "3",
        "--kind",
        "ton_tai",
        "Chưa niêm yết đường dây nóng",
    ]);
    let f = k.json(&["finding", "list", "ha lang"]);
    let id = f[0]["id"].as_str().unwrap();
    // The list shows the first 8 characters of the id; they are enough to name it.
    assert!(k
        .ok(&["finding", "list", "ha lang"])
        .contains(&format!("mã {}", &id[..8])));
    k.ok(&[
        "finding",
        "edit",
        "ha lang",
        &id[..8],
        "Chưa niêm yết số điện thoại đường dây nóng",
    ]);
    assert_eq!(
        k.json(&["finding", "list", "ha lang"])[0]["text"],
        "Chưa niêm yết số điện thoại đường dây nóng"
    );
    assert!(k
        .refused(&["finding", "edit", "ha lang", "zz", "x"])
        .contains("Không tìm thấy nhận xét có mã «zz»"));

    for text in [
        "Niêm yết đường dây nóng",
        "Cập nhật hồ sơ trên hệ thống",
        "Gửi văn bản xin lỗi",
    ] {
        k.ok(&["recommendation", "add", "ha lang", text, "--owner", "UBND xã"]);
    }
    k.ok(&[
        "recommendation",
        "edit",
        "ha lang",
        "2",
        "--owner",
        "Trung tâm Phục vụ hành chính công xã",
        "--deadline",
        "15/01/2027",
        "--force",
    ]);
    k.ok(&["recommendation", "remove", "ha lang", "1"]);
    let recs = k.json(&["recommendation", "list", "ha lang"]);
    let numbers: Vec<i64> = recs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![2, 3], "numbers stay as documents cite them");
    assert_eq!(recs[0]["owner"], "Trung tâm Phục vụ hành chính công xã");
    assert_eq!(recs[0]["deadline"], "2027-01-15");
    // The next one is number 4, not a reused 1.
    assert!(k
        .ok(&["recommendation", "add", "ha lang", "Tập huấn công chức"])
        .contains("kiến nghị số 4"));
    assert!(k
        .json(&["search", "niem yet duong day nong"])
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["entity"] != "recommendation"));

    let scan = k.path("anh.png");
    std::fs::write(&scan, b"\x89PNG pretend image").unwrap();
    k.ok(&[
        "evidence",
        "add",
        "ha lang",
        "3.1.1",
        scan.to_str().unwrap(),
        "--note",
        "Ảnh bảng niêm yết",
    ]);
    let ev = k.json(&["evidence", "list", "ha lang"]);
    let eid = ev[0]["id"].as_str().unwrap().to_string();
    k.ok(&["evidence", "remove", "ha lang", &eid[..8]]);
    assert_eq!(k.json(&["evidence", "list", "ha lang"]).as_array().unwrap().len(), 0);
    assert_eq!(
        k.json(&["checklist", "show", "ha lang", "--code", "3.1.1"])["item"]["evidence"],
        0
    );

    // The removal was a slip: undo brings the evidence back; a second undo takes back the
    // evidence's creation as well.
    let out = k.ok(&["undo"]);
    assert!(out.contains("Đã hoàn tác: xóa tài liệu kiểm chứng"), "{out}");
    assert_eq!(k.json(&["evidence", "list", "ha lang"]).as_array().unwrap().len(), 1);
    k.ok(&["undo"]);
    assert_eq!(k.json(&["evidence", "list", "ha lang"]).as_array().unwrap().len(), 0);
}
