//! Any plan, any year, any issuing body (issue 16), through the binary: Thanh tra tỉnh's own
//! 2020 inspection of its Văn phòng and four phòng (seeds/001), the 2027 plan made from the
//! 2026 one, two plans side by side in one database, and a unit taken out of a plan.

use crate::common::{assert_vietnamese, dump, Kiemtra};
use crate::documents::{assert_inside_margins, assert_pdf_sound, find, phrases, s, words, PAGE_W};

const NOW_2020: &str = "2020-10-05T09:00:00+07:00";
const NOW_2026: &str = "2026-11-20T09:00:00+07:00";

const PHONG: [&str; 5] = [
    "Văn phòng Thanh tra tỉnh",
    "Phòng Thanh tra kinh tế - xã hội",
    "Phòng Thanh tra giải quyết khiếu nại, tố cáo",
    "Phòng Phòng, chống tham nhũng",
    "Phòng Giám sát, kiểm tra và xử lý sau thanh tra",
];

/// Thanh tra tỉnh's plan (Kế hoạch số 22/KH-TTr ngày 09/3/2020), its Tổ kiểm tra
/// (Quyết định số 114/QĐ-TTr ngày 24/9/2020), the Văn phòng and four phòng.
fn thanh_tra_2020(k: &Kiemtra) {
    let out = k.ok(&[
        "plan",
        "new",
        "--title",
        "Kế hoạch kiểm tra công tác cải cách hành chính năm 2020",
        "--year",
        "2020",
        "--issuing-body",
        "Thanh tra tỉnh Cao Bằng",
        "--parent-body",
        "UBND tỉnh Cao Bằng",
        "--number",
        "22/KH-TTr",
        "--date",
        "09/3/2020",
        "--legal-basis",
        "Kế hoạch cải cách hành chính năm 2020 của Thanh tra tỉnh",
        "--team-kind",
        "to",
        "--team-name",
        "Tổ kiểm tra việc thực hiện nhiệm vụ cải cách hành chính năm 2020",
        "--decision-number",
        "114/QĐ-TTr",
        "--decision-date",
        "24/9/2020",
        "--decision-signer",
        "Hoàng Văn Minh",
        "--decision-signer-title",
        "Chánh Thanh tra tỉnh",
    ]);
    assert!(out.contains("kế hoạch đang dùng"), "{out}");
    k.ok(&[
        "team",
        "add-member",
        "Lục Văn Thành",
        "--role",
        "truong_doan",
        "--title",
        "Phó Chánh Thanh tra tỉnh",
    ]);
    k.ok(&[
        "team",
        "add-member",
        "Nông Thị Hoa",
        "--role",
        "thu_ky",
        "--title",
        "Chánh Văn phòng",
    ]);
    for name in PHONG {
        k.ok(&[
            "units",
            "add",
            name,
            "--kind",
            "phong",
            "--start",
            "28/9/2020",
            "--end",
            "29/9/2020",
        ]);
    }
}

#[test]
fn thanh_tra_tinh_inspects_its_own_phong_and_prints_its_own_thong_bao() {
    let k = Kiemtra::empty_at(NOW_2020);
    thanh_tra_2020(&k);
    let ov = k.json(&["plan", "show"]);
    assert_eq!(ov["plan"]["year"], 2020);
    assert_eq!(ov["plan"]["number"], "22/KH-TTr");
    assert_eq!(ov["plan"]["place"], "Cao Bằng");
    assert_eq!(ov["team"]["kind"], "to");
    assert_eq!(ov["team"]["decision_number"], "114/QĐ-TTr");
    assert_eq!(ov["team"]["decision_date"], "2020-09-24");
    let rows = ov["inspections"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|r| r["unit_kind"] == "phong"), "{rows:?}");

    // A phòng is scored on the agency checklist.
    let cl = k.json(&["checklist", "show", "kinh te"]);
    assert_eq!(cl["template_version"], "2026.1");
    k.ok(&["checklist", "set", "kinh te", "1.1", "--status", "day_du"]);
    k.ok(&["checklist", "set", "kinh te", "2.1", "--status", "sai_sot_nho"]);
    k.ok(&["checklist", "set", "kinh te", "7.2", "--status", "dat"]);
    let card = k.json(&["score", "kinh te"]);
    assert_eq!(card["card"]["total"].as_f64().unwrap(), 5.0 + 2.5 + 5.0, "{card}");
    let templates = k.json(&["template", "list"]);
    assert!(
        templates.as_array().unwrap().iter().any(|t| t["kind"] == "co_quan"),
        "{templates}"
    );

    k.ok(&[
        "inspection",
        "set",
        "kinh te",
        "--actual-start",
        "28/9/2020",
        "--actual-end",
        "28/9/2020",
    ]);
    k.ok(&[
        "finding",
        "add",
        "kinh te",
        "--area",
        "2",
        "--kind",
        "ton_tai",
        "Một số văn bản tham mưu còn sai sót về thể thức và kỹ thuật trình bày",
    ]);
    k.ok(&[
        "recommendation",
        "add",
        "kinh te",
        "Rà soát thể thức văn bản theo Nghị định số 30/2020/NĐ-CP",
        "--owner",
        "Trưởng phòng",
        "--deadline",
        "31/12/2020",
    ]);

    // Its Thông báo: the agency's header, the Tổ's own symbol, the plan and the decision cited.
    for (kind, symbol) in [("thong-bao", "/TB-TKT"), ("bien-ban", "/BB-TKT")] {
        let pdf = k.path(&format!("{kind}.pdf"));
        k.ok(&["doc", "pdf", "kinh te", "--kind", kind, "--out", s(&pdf)]);
        assert_pdf_sound(&pdf);
        let w = words(&pdf);
        assert_inside_margins(&w);
        let title = if kind == "thong-bao" {
            "THÔNG BÁO"
        } else {
            "BIÊN BẢN"
        };
        crate::clerk_layout::assert_clerk_accepts(&pdf, title, kind);
        let text = phrases(&pdf);
        assert!(text.contains("THANH TRA TỈNH CAO BẰNG"), "{kind}: {text}");
        assert!(text.contains("UBND TỈNH CAO BẰNG"), "{kind}: {text}");
        assert!(text.contains(symbol), "{kind}: {text}");
        assert!(!text.contains("ĐKT"), "{kind}: the Đoàn's symbol: {text}");
        assert!(text.contains("Kế hoạch số 22/KH-TTr"), "{kind}: {text}");
        assert!(text.contains("Quyết định số 114/QĐ-TTr"), "{kind}: {text}");
        assert!(text.contains("Thanh tra kinh tế - xã hội"), "{kind}: {text}");
        // A Tổ, not a Đoàn: its lead signs as Tổ trưởng.
        assert!(
            text.contains("Tổ kiểm tra") && text.contains("TỔ TRƯỞNG"),
            "{kind}: {text}"
        );
        assert!(
            !text.contains("Đoàn kiểm tra") && !text.contains("TRƯỞNG ĐOÀN"),
            "{kind}: {text}"
        );
        assert!(text.contains("Lục Văn Thành"), "{kind}: {text}");
        // The issuing body stands in the header's left column, above the number.
        let thanh = find(&w, 1, "THANH");
        assert!(thanh.x1 < PAGE_W / 2.0, "{kind}: issuing body not in the left column");
        if kind == "thong-bao" {
            assert!(text.contains("Cao Bằng, ngày"), "{kind}: {text}");
            let so = find(&w, 1, "Số:");
            assert!(so.y0 > thanh.y1, "{kind}: the number is under the issuing body");
        }
    }

    // The symbol is the team's to set.
    k.ok(&["team", "set", "--symbol", "TTr"]);
    let pdf = k.path("tb-ttr.pdf");
    k.ok(&["doc", "pdf", "kinh te", "--kind", "thong-bao", "--out", s(&pdf)]);
    assert!(phrases(&pdf).contains("/TB-TTr"));

    // So is how its documents are signed: the Phó Chánh Thanh tra signs for the Chánh Thanh tra.
    let before = dump(&k.db);
    let e = k.json_refused(&["team", "set", "--sign-authority", "TT."]);
    assert_eq!(e["code"], "bad_choice", "{e}");
    let e = k.json_refused(&["team", "set", "--sign-authority", "kt"]);
    assert_eq!(e["code"], "required", "{e}");
    assert!(e["message"].as_str().unwrap().contains("KT. CHÁNH THANH TRA"), "{e}");
    assert_eq!(dump(&k.db), before);
    k.ok(&[
        "team",
        "set",
        "--sign-authority",
        "kt",
        "--sign-on-behalf",
        "Chánh Thanh tra",
        "--sign-title",
        "Phó Chánh Thanh tra",
    ]);
    let team = k.json(&["team", "show"]);
    assert_eq!(team["sign_authority"], "KT.");
    assert_eq!(team["sign_on_behalf"], "CHÁNH THANH TRA");
    let pdf = k.path("tb-kt.pdf");
    k.ok(&["doc", "pdf", "kinh te", "--kind", "thong-bao", "--out", s(&pdf)]);
    let text = phrases(&pdf);
    assert!(text.contains("KT. CHÁNH THANH TRA"), "{text}");
    assert!(text.contains("PHÓ CHÁNH THANH TRA"), "{text}");
    assert!(!text.contains("TỔ TRƯỞNG"), "{text}");
    assert!(text.contains("Lục Văn Thành"), "{text}");
    assert_inside_margins(&words(&pdf));
}

#[test]
fn a_new_plan_is_refused_with_a_code_when_its_input_is_wrong() {
    let k = Kiemtra::empty_at(NOW_2020);
    thanh_tra_2020(&k);
    let before = dump(&k.db);
    let base = |title: &str, year: &str| {
        vec![
            "plan".to_string(),
            "new".into(),
            "--title".into(),
            title.into(),
            "--year".into(),
            year.into(),
            "--issuing-body".into(),
            "Thanh tra tỉnh Cao Bằng".into(),
        ]
    };
    let with = |mut v: Vec<String>, extra: &[&str]| {
        v.extend(extra.iter().map(|x| x.to_string()));
        v
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (base(" ", "2021"), "required"),
        (base("Kế hoạch 1999", "1999"), "bad_number"),
        (base("Kế hoạch 2101", "2101"), "bad_number"),
        (with(base("Kế hoạch", "2021"), &["--date", "31/2/2021"]), "bad_date"),
        (
            with(
                base("Kế hoạch", "2021"),
                &["--start", "01/12/2021", "--end", "01/6/2021"],
            ),
            "bad_range",
        ),
        (
            with(base("Kế hoạch trùng số", "2020"), &["--number", "22/KH-TTr"]),
            "duplicate",
        ),
        (with(base("Kế hoạch", "2021"), &["--team-kind", "nhom"]), "bad_choice"),
        (with(base("Kế hoạch", "2021"), &["--from", "2030"]), "not_found"),
    ];
    for (args, code) in &cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let msg = k.refused(&a);
        assert_vietnamese(&msg);
        let mut j = vec!["--json"];
        j.extend_from_slice(&a);
        let o = k.run(&j);
        let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("a JSON refusal");
        assert_eq!(v["code"], *code, "{a:?}: {msg}");
        assert_eq!(dump(&k.db), before, "{a:?} changed the database");
    }
    // A body whose name says no province needs the place of its date line.
    let msg = k.refused(&[
        "plan",
        "new",
        "--title",
        "Kế hoạch",
        "--year",
        "2021",
        "--issuing-body",
        "Ban Dân tộc",
    ]);
    assert!(msg.contains("--place"), "{msg}");
}

#[test]
fn plans_are_named_by_id_year_or_title_and_one_is_in_use() {
    let k = Kiemtra::ready_at(NOW_2026);
    thanh_tra_2020(&k);
    // The new plan is in use: its units answer, the sample's are in another plan.
    let list = k.json(&["plan", "list"]);
    let in_use: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["in_use"] == true)
        .map(|p| p["year"].as_i64().unwrap())
        .collect();
    assert_eq!(in_use, [2020]);
    assert!(k
        .ok(&["plan", "list"])
        .lines()
        .any(|l| l.starts_with('*') && l.contains("2020")));
    let msg = k.refused(&["checklist", "show", "ha lang"]);
    assert!(
        msg.contains("không có trong kế hoạch") && msg.contains("--plan"),
        "{msg}"
    );
    // --plan for one command, by year or by a title fragment without diacritics.
    assert_eq!(
        k.json(&["--plan", "2026", "checklist", "show", "ha lang"])["template_version"],
        "2026.1"
    );
    assert_eq!(
        k.json(&["--plan", "cao bang nam 2026", "plan", "show"])["plan"]["year"],
        2026
    );
    assert_eq!(k.json(&["plan", "show"])["plan"]["year"], 2020);
    assert_eq!(k.json(&["score", "--all"]).as_array().unwrap().len(), 5);
    assert_eq!(
        k.json(&["--plan", "2026", "score", "--all"]).as_array().unwrap().len(),
        14
    );
    // Search follows the plan: Hạ Lang is found in 2026's only.
    let hits = k.json(&["search", "ha lang"]);
    assert!(
        !hits.as_array().unwrap().iter().any(|h| h["entity"] == "unit"),
        "{hits}"
    );
    let hits = k.json(&["--plan", "2026", "search", "ha lang"]);
    assert!(hits.as_array().unwrap().iter().any(|h| h["entity"] == "unit"), "{hits}");
    // An ambiguous name lists the candidates, with its code.
    let msg = k.refused(&["plan", "use", "ke hoach"]);
    assert!(msg.contains("2020") && msg.contains("2026"), "{msg}");
    let o = k.run(&["--json", "plan", "use", "ke hoach"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&o.stdout).unwrap()["code"],
        "ambiguous"
    );
    let msg = k.refused(&["--plan", "2019", "plan", "show"]);
    assert_vietnamese(&msg);
    // plan use: the setting of this laptop, kept.
    let id = k.json(&["--plan", "2026", "plan", "show"])["plan"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    k.ok(&["plan", "use", &id]);
    assert_eq!(k.json(&["plan", "show"])["plan"]["year"], 2026);
    assert_eq!(k.json(&["checklist", "show", "ha lang"])["template_version"], "2026.1");
}

#[test]
fn the_2027_plan_made_from_2026_carries_the_open_recommendations() {
    let k = Kiemtra::ready_at(NOW_2026);
    k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Gửi văn bản xin lỗi với hồ sơ quá hạn",
        "--owner",
        "Chủ tịch UBND xã",
        "--deadline",
        "31/12/2026",
    ]);
    k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Cập nhật cổng dịch vụ công",
        "--owner",
        "UBND xã",
    ]);
    let scan = k.path("bc.pdf");
    std::fs::write(&scan, b"%PDF-1.4 bao cao").unwrap();
    k.ok(&[
        "followup",
        "set",
        "ha lang",
        "2",
        "--state",
        "đã khắc phục",
        "--report-number",
        "15/BC-UBND",
        "--report-date",
        "18/11/2026",
        "--file",
        s(&scan),
    ]);
    let out = k.ok(&[
        "plan",
        "new",
        "--title",
        "Kế hoạch kiểm tra công tác cải cách hành chính tỉnh Cao Bằng năm 2027",
        "--year",
        "2027",
        "--issuing-body",
        "Ủy ban nhân dân tỉnh Cao Bằng",
        "--from",
        "2026",
    ]);
    assert!(out.contains("14 đơn vị") && out.contains("1 kiến nghị"), "{out}");
    let ov = k.json(&["plan", "show"]);
    assert_eq!(ov["plan"]["year"], 2027);
    assert_eq!(ov["inspections"].as_array().unwrap().len(), 14);
    let members_2026 = k.json(&["--plan", "2026", "team", "show"])["members"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(ov["team"]["members"].as_array().unwrap().len(), members_2026);
    assert_eq!(ov["team"]["symbol"], "ĐKT");
    // Each unit on the checklist version it was inspected on.
    assert_eq!(k.json(&["checklist", "show", "ha lang"])["template_version"], "2026.1");
    let f = k.json(&["followup", "list"]);
    let items = f["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{f}");
    assert_eq!(items[0]["unit_name"], "xã Hạ Lang");
    assert_eq!(
        items[0]["recommendation"]["text"],
        "Gửi văn bản xin lỗi với hồ sơ quá hạn"
    );
    assert_eq!(items[0]["recommendation"]["deadline"], "2026-12-31");
    assert_eq!(items[0]["recommendation"]["origin_number"], 1);
    // A carried recommendation is followed up in the new plan only (as a re-inspection's is):
    // 2026 lists the remedied one.
    let f = k.json(&["--plan", "2026", "followup", "list"]);
    let items = f["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{f}");
    assert_eq!(items[0]["recommendation"]["text"], "Cập nhật cổng dịch vụ công");

    // The 2027 plan reaches a laptop that never had 2026: the origin travels with it.
    let file = k.path("2027.kiemtra");
    k.ok(&["exchange", "export", "--out", s(&file)]);
    let c = Kiemtra::empty_at(NOW_2026);
    c.ok(&["exchange", "import", "--allow-unprotected", s(&file)]);
    c.ok(&["plan", "use", "2027"]);
    let f = c.json(&["followup", "list"]);
    assert_eq!(f["items"].as_array().unwrap().len(), 1, "{f}");
    assert_eq!(f["items"][0]["recommendation"]["origin_number"], 1);
}

#[test]
fn an_exchange_of_one_plan_leaves_the_other_plan_as_it_was() {
    let a = Kiemtra::ready_at(NOW_2026);
    a.ok(&[
        "checklist",
        "set",
        "ha lang",
        "1.1.1",
        "--status",
        "dung_han",
        "--self",
        "0,75",
    ]);
    a.ok(&["figure", "set", "ha lang", "ho_so_tiep_nhan", "1.081"]);
    thanh_tra_2020(&a);
    let file = a.path("thanh-tra.kiemtra");
    a.ok(&["exchange", "export", "--out", s(&file)]);
    // Another laptop of the Tổ takes the plan, scores a phòng and sends it back.
    let b = Kiemtra::ready_at(NOW_2026);
    b.ok(&["exchange", "import", "--allow-unprotected", s(&file)]);
    b.ok(&["plan", "use", "2020"]);
    b.ok(&["checklist", "set", "tham nhung", "1.1", "--status", "day_du"]);
    let back = b.path("thanh-tra-b.kiemtra");
    b.ok(&["exchange", "export", "--out", s(&back)]);
    let sample = |k: &Kiemtra| plan_rows(k, 2026);
    let before = sample(&a);
    assert!(before.len() > 36, "the 2026 plan's rows: {}", before.len());
    a.ok(&["exchange", "import", "--allow-unprotected", s(&back)]);
    assert_eq!(sample(&a), before, "the 2026 plan changed");
    assert_eq!(a.json(&["score", "tham nhung"])["card"]["total"].as_f64().unwrap(), 5.0);
}

/// Every row of a year's plan: the plan, its team and members, its inspections and what
/// hangs from them, with their clocks, as text.
fn plan_rows(k: &Kiemtra, year: i64) -> Vec<String> {
    let c = rusqlite::Connection::open(&k.db).unwrap();
    let plan: String = c
        .query_row("SELECT id FROM plan WHERE year = ?1", [year], |r| r.get(0))
        .unwrap();
    let queries = [
        "SELECT * FROM plan WHERE id = ?1",
        "SELECT * FROM team WHERE plan_id = ?1",
        "SELECT m.* FROM team_member m JOIN team t ON t.id = m.team_id WHERE t.plan_id = ?1",
        "SELECT * FROM inspection WHERE plan_id = ?1",
        "SELECT x.* FROM response x JOIN inspection s ON s.id = x.inspection_id WHERE s.plan_id = ?1",
        "SELECT x.* FROM figure x JOIN inspection s ON s.id = x.inspection_id WHERE s.plan_id = ?1",
        "SELECT x.* FROM finding x JOIN inspection s ON s.id = x.inspection_id WHERE s.plan_id = ?1",
        "SELECT x.* FROM recommendation x JOIN inspection s ON s.id = x.inspection_id WHERE s.plan_id = ?1",
        "SELECT x.* FROM document x JOIN inspection s ON s.id = x.inspection_id WHERE s.plan_id = ?1",
        "SELECT u.* FROM unit u WHERE u.id IN (SELECT unit_id FROM inspection WHERE plan_id = ?1)",
    ];
    let mut out = vec![];
    for q in queries {
        let mut st = c.prepare(q).unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([&plan], |r| {
                (0..n)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map(|v| v.join("|"))
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        out.extend(rows);
    }
    out.sort();
    out
}

#[test]
fn a_unit_leaves_its_plan_before_its_visit_and_not_after_a_score() {
    let k = Kiemtra::empty_at(NOW_2020);
    thanh_tra_2020(&k);
    k.ok(&["units", "add", "Phòng Tổ chức cán bộ", "--kind", "phong"]);
    k.ok(&["units", "add", "Trung tâm Thông tin", "--kind", "don_vi"]);
    assert_eq!(k.json(&["plan", "show"])["inspections"].as_array().unwrap().len(), 7);
    let out = k.ok(&["units", "remove", "to chuc can bo"]);
    assert!(out.contains("lịch sử"), "{out}");
    assert_eq!(k.json(&["plan", "show"])["inspections"].as_array().unwrap().len(), 6);
    // The unit and its history stay (in the database's list, not the plan's); it may be
    // added back.
    let listed = |args: &[&str]| {
        k.json(args)
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["name"] == "Phòng Tổ chức cán bộ")
    };
    assert!(listed(&["units", "list", "--all-plans"]));
    assert!(!listed(&["units", "list"]));
    k.ok(&["units", "add", "Phòng Tổ chức cán bộ", "--kind", "phong"]);
    assert_eq!(k.json(&["plan", "show"])["inspections"].as_array().unwrap().len(), 7);

    // After a score, a figure or a finding: refused, nothing changed.
    k.ok(&["checklist", "set", "trung tam thong tin", "7.2", "--status", "dat"]);
    let before = dump(&k.db);
    let msg = k.refused(&["units", "remove", "trung tam thong tin"]);
    assert!(msg.contains("Không thể đưa") && msg.contains("điểm"), "{msg}");
    assert_vietnamese(&msg);
    let o = k.run(&["--json", "units", "remove", "trung tam thong tin"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&o.stdout).unwrap()["code"],
        "unit_recorded"
    );
    assert_eq!(dump(&k.db), before);
    // Undoing the score lets it go.
    k.ok(&["undo"]);
    k.ok(&["units", "remove", "trung tam thong tin"]);
    assert_eq!(k.json(&["plan", "show"])["inspections"].as_array().unwrap().len(), 6);
}

#[test]
fn units_pasted_one_per_line_are_added_together_or_not_at_all() {
    let k = Kiemtra::empty_at(NOW_2020);
    thanh_tra_2020(&k);
    let bad = k.path("bad.txt");
    std::fs::write(
        &bad,
        "# Danh sách đơn vị\nPhòng Tổ chức cán bộ;phong\n\nBan Quản lý dự án;ban\nTrung tâm Thông tin;huyen\n",
    )
    .unwrap();
    let before = dump(&k.db);
    let msg = k.refused(&["units", "add", "--from-file", s(&bad)]);
    assert!(
        msg.contains("Dòng 5") && msg.contains("huyen") && msg.contains("Không đơn vị nào"),
        "{msg}"
    );
    assert_vietnamese(&msg);
    assert_eq!(dump(&k.db), before);
    // A name already in the plan, a name twice, a line without a kind: each named by its line.
    for (text, line) in [
        ("Phòng Tổ chức cán bộ;phong\nVăn phòng Thanh tra tỉnh;phong\n", "Dòng 2"),
        ("Phòng Tổ chức cán bộ;phong\nphòng tổ chức cán bộ;phong\n", "Dòng 2"),
        ("Phòng Tổ chức cán bộ\n", "Dòng 1"),
    ] {
        std::fs::write(&bad, text).unwrap();
        let msg = k.refused(&["units", "add", "--from-file", s(&bad)]);
        assert!(msg.contains(line), "{text}: {msg}");
        assert_eq!(dump(&k.db), before);
    }
    let good = k.path("good.txt");
    std::fs::write(
        &good,
        "Phòng Tổ chức cán bộ\nBan Quản lý dự án;ban\nTrung tâm Thông tin;don_vi\n",
    )
    .unwrap();
    let out = k.ok(&["units", "add", "--from-file", s(&good), "--kind", "phong"]);
    assert!(out.contains("Đã thêm 3 đơn vị"), "{out}");
    let ov = k.json(&["plan", "show"]);
    let kinds: Vec<(String, String)> = ov["inspections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["unit_name"].as_str().unwrap().to_string(),
                r["unit_kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(kinds.len(), 8);
    assert!(kinds.contains(&("Ban Quản lý dự án".into(), "ban".into())), "{kinds:?}");
    assert!(
        kinds.contains(&("Trung tâm Thông tin".into(), "don_vi".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("Phòng Tổ chức cán bộ".into(), "phong".into())),
        "{kinds:?}"
    );
    // One action: one undo takes the whole list back.
    k.ok(&["undo"]);
    assert_eq!(k.json(&["plan", "show"])["inspections"].as_array().unwrap().len(), 5);
}

/// A unit list as a province keeps it in Excel: a header row, then one unit per row.
fn unit_book(path: &std::path::Path, rows: &[&[&str]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

const HEADER: &[&str] = &[
    "STT",
    "Tên đơn vị",
    "Loại",
    "Thủ trưởng",
    "Chức vụ",
    "Từ ngày",
    "Đến ngày",
];

#[test]
fn units_read_from_an_xlsx_list_or_refused_by_row_and_column() {
    let k = Kiemtra::empty_at(NOW_2020);
    thanh_tra_2020(&k);
    let before = dump(&k.db);
    let bad = k.path("don-vi.xlsx");
    // Row 4's kind, row 3's date, row 5's name twice: each refused naming row and column.
    for (rows, want, code) in [
        (
            vec![
                HEADER,
                &[
                    "1",
                    "Phòng Tổ chức cán bộ",
                    "phòng",
                    "Hà Văn Nam",
                    "Trưởng phòng",
                    "01/10/2020",
                    "02/10/2020",
                ],
                &["2", "Ban Quản lý dự án", "ban", "", "", "", ""],
                &["3", "Trung tâm Thông tin", "huyện", "", "", "", ""],
            ],
            "Dòng 4, cột C (Loại): loại đơn vị «huyện» không hợp lệ",
            "bad_choice",
        ),
        (
            vec![
                HEADER,
                &["1", "Phòng Tổ chức cán bộ", "phòng", "", "", "", ""],
                &["2", "Ban Quản lý dự án", "ban", "", "", "31/9/2020", ""],
            ],
            "Dòng 3, cột F (Từ ngày): Ngày «31/9/2020» không có trong lịch",
            "bad_date",
        ),
        (
            vec![
                HEADER,
                &["1", "Phòng Tổ chức cán bộ", "phòng", "", "", "", ""],
                &["2", "Văn phòng Thanh tra tỉnh", "phòng", "", "", "", ""],
            ],
            "Dòng 3, cột B (Tên đơn vị): đã có đơn vị «Văn phòng Thanh tra tỉnh» trong kế hoạch",
            "duplicate",
        ),
    ] {
        unit_book(&bad, &rows);
        let e = k.json_refused(&["units", "add", "--from-file", s(&bad)]);
        let msg = e["message"].as_str().unwrap();
        assert!(msg.contains(want), "{msg}");
        assert!(msg.contains("Không đơn vị nào được thêm"), "{msg}");
        assert_eq!(e["code"], code, "{msg}");
        assert_vietnamese(msg);
        assert_eq!(dump(&k.db), before, "{want}");
    }
    // Not a workbook at all, and a kind given twice.
    std::fs::write(&bad, "Tên đơn vị;Loại\nPhòng Tổ chức cán bộ;phong\n").unwrap();
    let e = k.json_refused(&["units", "add", "--from-file", s(&bad)]);
    assert_eq!(e["code"], "sheet_invalid");
    assert_eq!(dump(&k.db), before);

    let good = k.path("danh-sach.xlsx");
    unit_book(
        &good,
        &[
            HEADER,
            &[
                "1",
                "Phòng Tổ chức cán bộ",
                "phòng",
                "Hà Văn Nam",
                "Trưởng phòng",
                "01/10/2020",
                "02/10/2020",
            ],
            &["2", "Ban Quản lý dự án", "Ban", "", "", "", ""],
            &["", "", "", "", "", "", ""],
            &[
                "3",
                "Trung tâm Thông tin",
                "đơn vị sự nghiệp",
                "Lò Thị Mai",
                "Giám đốc",
                "05/10/2020",
                "",
            ],
        ],
    );
    let e = k.json_refused(&["units", "add", "--from-file", s(&good), "--kind", "phong"]);
    assert_eq!(e["code"], "bad_argument");
    let out = k.ok(&["units", "add", "--from-file", s(&good)]);
    assert!(out.contains("Đã thêm 3 đơn vị từ bảng tính"), "{out}");
    let units = k.json(&["units", "list"]);
    let tccb = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "Phòng Tổ chức cán bộ")
        .expect("listed");
    assert_eq!(tccb["head_name"], "Hà Văn Nam");
    assert_eq!(tccb["head_title"], "Trưởng phòng");
    assert_eq!(tccb["kind"], "phong");
    let ov = k.json(&["plan", "show"]);
    let rows = ov["inspections"].as_array().unwrap();
    assert_eq!(rows.len(), 8);
    let row = |name: &str| rows.iter().find(|r| r["unit_name"] == name).unwrap().clone();
    assert_eq!(row("Phòng Tổ chức cán bộ")["scheduled_start"], "2020-10-01");
    assert_eq!(row("Phòng Tổ chức cán bộ")["scheduled_end"], "2020-10-02");
    assert_eq!(row("Trung tâm Thông tin")["unit_kind"], "don_vi");
    assert_eq!(row("Ban Quản lý dự án")["scheduled_start"], serde_json::Value::Null);
    // One action: one undo takes the whole list back.
    k.ok(&["undo"]);
    assert_eq!(k.json(&["plan", "show"])["inspections"].as_array().unwrap().len(), 5);
}

#[test]
fn a_closed_plan_is_read_only_but_printed_and_searched() {
    let k = Kiemtra::empty_at(NOW_2020);
    thanh_tra_2020(&k);
    k.ok(&["checklist", "set", "kinh te", "1.1", "--status", "day_du"]);
    k.ok(&[
        "finding",
        "add",
        "kinh te",
        "--area",
        "1",
        "--kind",
        "dat_duoc",
        "Triển khai kế hoạch kịp thời",
    ]);
    let out = k.ok(&["plan", "close"]);
    assert!(out.contains("Đã đóng"), "{out}");
    assert!(k.ok(&["plan", "list"]).contains("(đã đóng)"));
    let before = dump(&k.db);
    for args in [
        vec!["checklist", "set", "kinh te", "1.2", "--status", "hoan_thanh"],
        vec![
            "finding",
            "add",
            "kinh te",
            "--area",
            "1",
            "--kind",
            "ton_tai",
            "Chưa phân công",
        ],
        vec!["units", "add", "Phòng Tổ chức cán bộ", "--kind", "phong"],
        vec!["team", "set", "--symbol", "TTr"],
        vec!["plan", "set", "--title", "Kế hoạch khác"],
    ] {
        let o = k.run(&[&["--json"][..], &args[..]].concat());
        assert_eq!(o.code, 1, "{args:?} not refused: {}", o.stdout);
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(v["code"], "plan_closed", "{args:?}: {v}");
        assert_eq!(dump(&k.db), before, "{args:?} changed the closed plan");
    }
    // Still printed, scored and searched.
    let pdf = k.path("tb.pdf");
    k.ok(&["doc", "pdf", "kinh te", "--kind", "thong-bao", "--out", s(&pdf)]);
    assert!(phrases(&pdf).contains("Triển khai kế hoạch kịp thời"));
    assert_eq!(k.json(&["score", "kinh te"])["card"]["total"].as_f64().unwrap(), 5.0);
    let hits = k.json(&["search", "kip thoi"]);
    assert!(
        hits.as_array().unwrap().iter().any(|h| h["entity"] == "finding"),
        "{hits}"
    );
    // Reopened (undo takes the closing back too), it takes changes again.
    k.ok(&["plan", "reopen", "2020"]);
    k.ok(&["checklist", "set", "kinh te", "1.2", "--status", "hoan_thanh"]);
}
