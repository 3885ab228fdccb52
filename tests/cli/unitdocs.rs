//! The unit's two self-inspection documents: the Báo cáo kết quả tự kiểm tra it issues
//! (`--kind tu-kiem-tra`), which carries exactly its self-assessment, and the team's Đề
//! cương báo cáo tự kiểm tra (`--kind de-cuong`) generated from its checklist version. Both
//! pass the read-back layout checks of the Thông báo.

use crate::clerk_layout::assert_clerk_accepts;
use crate::documents::{
    assert_inside_margins, assert_matches_reference, assert_page_numbers, assert_pdf_sound, complete_plan, find, k,
    phrases, s, words,
};
use kiemtra_core::text::fmt_score;
use serde_json::Value;

/// Xã Hạ Lang's self-assessment: scores with and without explanations, figures, evidence.
fn self_assessed(k: &crate::common::Kiemtra) {
    complete_plan(k);
    for (code, score, note) in [
        (
            "1.1.1",
            "0,75",
            Some("Kế hoạch CCHC ban hành ngày 05/01/2026, chậm 5 ngày"),
        ),
        ("1.4.1", "0,5", None),
        (
            "3.1.1",
            "1",
            Some("Công khai đầy đủ thủ tục hành chính tại Bộ phận một cửa"),
        ),
        ("6.1.1", "0,5", None),
    ] {
        let mut args = vec!["self", "score", "ha lang", code, score];
        if let Some(n) = note {
            args.extend(["--note", n]);
        }
        k.ok(&args);
    }
    k.ok(&["self", "figure", "ha lang", "ho_so_tiep_nhan", "1.081"]);
    k.ok(&["self", "figure", "ha lang", "ho_so_dung_han", "950"]);
    let scan = k.path("ke-hoach-cchc.pdf");
    std::fs::write(&scan, b"%PDF-1.4 ke hoach").unwrap();
    k.ok(&["self", "start", "ha lang"]);
    k.ok(&[
        "evidence",
        "add",
        "ha lang",
        "1.1.1",
        s(&scan),
        "--number",
        "12/KH-UBND",
    ]);
    k.ok(&["self", "stop"]);
    // The team's own score and evidence are not the unit's and stay out of its report.
    k.ok(&["checklist", "set", "ha lang", "1.1.1", "--team", "0,25"]);
    let team_scan = k.path("bien-ban-doan.pdf");
    std::fs::write(&team_scan, b"%PDF-1.4 doan").unwrap();
    k.ok(&[
        "evidence",
        "add",
        "ha lang",
        "1.4.1",
        s(&team_scan),
        "--number",
        "99/BB-DKT",
    ]);
}

#[test]
fn the_units_report_carries_exactly_its_self_assessment() {
    let k = k();
    self_assessed(&k);
    let pdf = k.path("tu-kiem-tra.pdf");
    let out: Value = serde_json::from_str(&k.ok(&[
        "--json",
        "doc",
        "pdf",
        "ha lang",
        "--kind",
        "tu-kiem-tra",
        "--out",
        s(&pdf),
    ]))
    .unwrap();
    let pages = out["pages"].as_u64().unwrap() as usize;
    let score: Value = serde_json::from_str(&k.ok(&["--json", "score", "ha lang"])).unwrap();
    let card = &score["card"];
    let text = phrases(&pdf);
    let max = fmt_score(card["applicable_max"].as_f64().unwrap());
    let total = fmt_score(card["self_total"].as_f64().unwrap());
    assert_eq!(total, "2,75");
    assert!(
        text.contains(&format!("Tổng điểm UBND xã Hạ Lang tự chấm: {total}/{max} điểm")),
        "the self total {total}/{max} is printed"
    );
    // Every area with its self score, in the table and over its explanations.
    for a in card["areas"].as_array().unwrap() {
        let title = a["title"].as_str().unwrap();
        let (sc, mx) = (
            fmt_score(a["self_score"].as_f64().unwrap()),
            fmt_score(a["applicable_max"].as_f64().unwrap()),
        );
        assert!(
            text.contains(&format!("{title} ({sc}/{mx} điểm)")),
            "{title}: {sc}/{mx}"
        );
    }
    // Every criterion the unit scored, with its self score; none it did not.
    let mut scored = 0;
    let items = card["items"].as_array().unwrap();
    let codes: Vec<&str> = items.iter().map(|i| i["code"].as_str().unwrap()).collect();
    for it in items {
        let code = it["code"].as_str().unwrap();
        // A criterion with sub-criteria is their sum: the report lists what was scored.
        if codes.iter().any(|c| c.starts_with(&format!("{code}."))) {
            continue;
        }
        let line = format!("Tiêu chí {code} (");
        match it["self_score"].as_f64() {
            Some(v) => {
                scored += 1;
                let at = text.find(&line).unwrap_or_else(|| panic!("{code} is in the report"));
                let rest = &text[at..];
                let end = rest
                    .find("- Tiêu chí")
                    .filter(|&e| e > 0)
                    .unwrap_or(rest.len().min(400));
                let want = format!(
                    "tự chấm {}/{} điểm",
                    fmt_score(v),
                    fmt_score(it["max"].as_f64().unwrap())
                );
                assert!(
                    rest[..end.max(want.len())].contains(&want),
                    "{code}: «{want}» in «{}»",
                    &rest[..end]
                );
            }
            None => assert!(!text.contains(&format!("- {line}")), "{code} was not self-scored"),
        }
    }
    assert_eq!(scored, 4);
    assert!(!text.contains("0,25"), "the team's score is not the unit's");
    for p in [
        "UBND XÃ HẠ LANG",
        "/BC-UBND",
        "Hạ Lang, ngày",
        "Kết quả tự kiểm tra công tác cải cách hành chính năm 2026",
        "Giải trình: Kế hoạch CCHC ban hành ngày 05/01/2026, chậm 5 ngày",
        "Số hồ sơ TTHC tiếp nhận 1.081",
        "Tiêu chí 1.1.1: văn bản số 12/KH-UBND",
        "TM. ỦY BAN NHÂN DÂN",
        "Nơi nhận:",
        "- Lưu: VT.",
    ] {
        assert!(text.contains(p), "«{p}» missing");
    }
    assert!(!text.contains("99/BB-DKT"), "the team's evidence is not the unit's");
    assert!(
        !text.contains("TỈNH CAO BẰNG"),
        "a commune's header has no body above it"
    );
    assert_pdf_sound(&pdf);
    let w = words(&pdf);
    assert_inside_margins(&w);
    assert_page_numbers(&w, pages);
    find(&w, 1, "BÁO");
    assert_clerk_accepts(&pdf, "BÁO CÁO", "báo cáo tự kiểm tra");
    assert_matches_reference(&k, &pdf, 1, "tu-kiem-tra-p1");
    // A department issues it under the province with a symbol of its initials.
    let dept = k.path("tu-kiem-tra-so.pdf");
    k.ok(&["doc", "pdf", "ngoai vu", "--kind", "tu-kiem-tra", "--out", s(&dept)]);
    let t = phrases(&dept);
    assert!(
        t.contains("TỈNH CAO BẰNG") && t.contains("SỞ NGOẠI VỤ") && t.contains("/BC-SNV"),
        "{t}"
    );
    // Printed from the data: not drafted or issued in the app, and the refusal says how.
    let msg = k.refused(&[
        "doc",
        "issue",
        "ha lang",
        "--kind",
        "tu-kiem-tra",
        "--number",
        "3",
        "--date",
        "16/10/2026",
    ]);
    assert!(msg.contains("kiemtra doc pdf ĐƠN_VỊ --kind tu-kiem-tra"), "{msg}");
}

#[test]
fn the_outline_lists_every_criterion_figure_and_evidence_of_the_units_checklist() {
    let k = k();
    complete_plan(&k);
    let pdf = k.path("de-cuong.pdf");
    let out: Value = serde_json::from_str(&k.ok(&[
        "--json",
        "doc",
        "pdf",
        "ha lang",
        "--kind",
        "de-cuong",
        "--out",
        s(&pdf),
    ]))
    .unwrap();
    let pages = out["pages"].as_u64().unwrap() as usize;
    let text = phrases(&pdf);
    // Every criterion of the unit's checklist version, by its code, with its maximum.
    let cl: Value = serde_json::from_str(&k.ok(&["--json", "checklist", "show", "ha lang"])).unwrap();
    let items = cl["items"].as_array().unwrap();
    assert!(items.len() > 20);
    for it in items {
        let c = &it["criterion"];
        let code = c["code"].as_str().or(it["code"].as_str()).unwrap();
        let max = fmt_score(c["max"].as_f64().or(it["max"].as_f64()).unwrap());
        assert!(
            text.contains(&format!("- Tiêu chí {code} ({max} điểm)")),
            "{code} ({max} điểm) missing"
        );
    }
    // The figures the ratio rules need, with their keys and labels.
    for p in [
        "ho_so_dung_han",
        "Số hồ sơ giải quyết trước hạn và đúng hạn",
        "ho_so_da_giai_quyet",
        "II. SỐ LIỆU ĐƠN VỊ PHẢI BÁO CÁO",
        "tài liệu kiểm chứng:",
        "ĐỀ CƯƠNG",
        "/ĐC-ĐKT",
        "Báo cáo kết quả tự kiểm tra công tác cải cách hành chính năm 2026 của UBND xã Hạ Lang",
        "- UBND xã Hạ Lang;",
        "- Lưu: VT, ĐKT.",
        "TRƯỞNG ĐOÀN",
    ] {
        assert!(text.contains(p), "«{p}» missing");
    }
    assert_pdf_sound(&pdf);
    let w = words(&pdf);
    assert_inside_margins(&w);
    assert_page_numbers(&w, pages);
    find(&w, 1, "ĐỀ");
    assert_clerk_accepts(&pdf, "ĐỀ CƯƠNG", "đề cương");
    assert_matches_reference(&k, &pdf, 1, "de-cuong-p1");
}

/// The unit's laptop, which took in only its own checklist from the invitation, prints both:
/// the outline it was given and its own report, with what it self-scored there.
#[test]
fn the_units_laptop_prints_its_outline_and_its_report() {
    let lead = k();
    complete_plan(&lead);
    lead.ok(&[
        "team",
        "key",
        "new",
        "--name",
        "Đoàn kiểm tra CCHC tỉnh",
        "--member",
        "Nguyễn Văn An",
    ]);
    let invite = lead.path("moi-ha-lang.kiemtra-moi");
    lead.ok(&["self", "invite", "ha lang", "--out", s(&invite)]);
    let unit = crate::common::Kiemtra::empty_at(crate::documents::NOW);
    unit.ok(&["self", "join", s(&invite)]);
    unit.ok(&[
        "self",
        "score",
        "ha lang",
        "1.1.1",
        "0,75",
        "--note",
        "Kế hoạch CCHC số 12/KH-UBND ban hành đúng hạn",
    ]);
    unit.ok(&["self", "figure", "ha lang", "ho_so_tiep_nhan", "1.081"]);
    let report = unit.path("tu-kiem-tra.pdf");
    unit.ok(&["doc", "pdf", "ha lang", "--kind", "tu-kiem-tra", "--out", s(&report)]);
    let text = phrases(&report);
    for p in [
        "UBND XÃ HẠ LANG",
        "/BC-UBND",
        "Tổng điểm UBND xã Hạ Lang tự chấm: 0,75/",
        "Giải trình: Kế hoạch CCHC số 12/KH-UBND ban hành đúng hạn",
        "Số hồ sơ TTHC tiếp nhận 1.081",
        "Kế hoạch số 125/KH-UBND",
    ] {
        assert!(text.contains(p), "«{p}» missing from the unit laptop's report:\n{text}");
    }
    let outline = unit.path("de-cuong.pdf");
    unit.ok(&["doc", "pdf", "ha lang", "--kind", "de-cuong", "--out", s(&outline)]);
    let lead_outline = lead.path("de-cuong.pdf");
    lead.ok(&["doc", "pdf", "ha lang", "--kind", "de-cuong", "--out", s(&lead_outline)]);
    assert_eq!(
        phrases(&outline),
        phrases(&lead_outline),
        "the unit's laptop prints the outline the team made"
    );
}

/// The number and day the văn thư gave a unit's document print in it (`--number`, `--date`:
/// both or neither, the number as issuing takes it); without them the blanks stay for the
/// pen. Other documents get their number by being issued, so these flags are refused there.
#[test]
fn the_number_and_day_the_clerk_gave_print_in_the_units_documents() {
    let k = k();
    complete_plan(&k);
    self_assessed(&k);
    let pdf = k.path("tkt-12.pdf");
    let out = k.ok(&[
        "doc",
        "pdf",
        "ha lang",
        "--kind",
        "tu-kiem-tra",
        "--number",
        "12",
        "--date",
        "20/10/2026",
        "--out",
        s(&pdf),
    ]);
    assert!(out.contains("có số và ngày"), "{out}");
    let text = phrases(&pdf);
    assert!(text.contains("Số: 12/BC-UBND"), "{text}");
    assert!(text.contains("Hạ Lang, ngày 20 tháng 10 năm 2026"), "{text}");
    let dc = k.path("dc-3.pdf");
    k.ok(&[
        "doc",
        "pdf",
        "ha lang",
        "--kind",
        "de-cuong",
        "--number",
        "3",
        "--date",
        "05/10/2026",
        "--out",
        s(&dc),
    ]);
    let text = phrases(&dc);
    assert!(text.contains("Số: 03/ĐC-ĐKT"), "{text}");
    assert!(text.contains("Cao Bằng, ngày 05 tháng 10 năm 2026"), "{text}");
    // Without them: the blanks.
    let blank = k.path("tkt.pdf");
    let out = k.ok(&["doc", "pdf", "ha lang", "--kind", "tu-kiem-tra", "--out", s(&blank)]);
    assert!(out.contains("số và ngày để trống"), "{out}");
    assert!(!phrases(&blank).contains("12/BC-UBND"));

    let refused = |args: &[&str], code: &str, phrase: &str| {
        let bad = k.path("khong-ghi.pdf");
        let mut a = vec!["doc", "pdf", "ha lang", "--out", s(&bad)];
        a.extend_from_slice(args);
        let e = k.json_refused(&a);
        assert_eq!(e["code"], code, "{args:?}: {e}");
        assert!(e["message"].as_str().unwrap().contains(phrase), "{args:?}: {e}");
        assert!(!bad.exists(), "{args:?} wrote a file");
    };
    refused(
        &["--kind", "tu-kiem-tra", "--number", "12"],
        "bad_argument",
        "còn thiếu ngày văn bản",
    );
    refused(
        &["--kind", "tu-kiem-tra", "--date", "20/10/2026"],
        "bad_argument",
        "còn thiếu số văn bản",
    );
    refused(
        &[
            "--kind",
            "tu-kiem-tra",
            "--number",
            "12/BC-UBND",
            "--date",
            "20/10/2026",
        ],
        "bad_number",
        "chỉ gồm số thứ tự",
    );
    refused(
        &["--kind", "tu-kiem-tra", "--number", "12", "--date", "31/11/2026"],
        "bad_date",
        "không có trong lịch",
    );
    refused(
        &["--kind", "thong-bao", "--number", "5", "--date", "20/10/2026"],
        "bad_argument",
        "doc issue",
    );
}
