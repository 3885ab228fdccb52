//! The province's report (Báo cáo kết quả kiểm tra, …/BC-ĐKT) for the whole plan, through
//! `kiemtra doc … --kind bao-cao`: its table agrees with `kiemtra score --all --json` for
//! every unit, it passes the layout checks the Thông báo passes, and it is drafted, edited,
//! issued and frozen like the other documents.

use std::collections::HashMap;

use crate::clerk_layout::assert_clerk_accepts;
use crate::documents::{
    assert_inside_margins, assert_matches_reference, assert_page_numbers, assert_pdf_sound, complete_plan,
    fill_ha_lang, find, k, phrases, s, tool, words,
};
use kiemtra_core::text::{fmt_percent, fmt_score, nfc};
use serde_json::Value;

/// Several units scored differently, a department among them, findings shared by two.
fn scored_plan(k: &crate::common::Kiemtra) {
    fill_ha_lang(k);
    complete_plan(k);
    k.ok(&[
        "checklist",
        "set",
        "ngoai vu",
        "1.1.1",
        "--status",
        "dung_han",
        "--self",
        "1",
    ]);
    k.ok(&["checklist", "set", "doai duong", "1.1.1", "--status", "dung_han"]);
    k.ok(&["checklist", "set", "doai duong", "1.4.1", "--status", "dat"]);
    k.ok(&["checklist", "set", "kim dong", "1.4.1", "--status", "dat"]);
    for u in ["ngoai vu", "doai duong"] {
        k.ok(&[
            "finding",
            "add",
            u,
            "--area",
            "3",
            "--kind",
            "ton_tai",
            "Tỷ lệ hồ sơ giải quyết đúng hạn chưa cao.",
        ]);
    }
    k.ok(&[
        "finding",
        "add",
        "doai duong",
        "--area",
        "3",
        "--kind",
        "nguyen_nhan",
        "Công chức kiêm nhiệm.",
    ]);
}

#[test]
fn the_summary_table_agrees_with_the_ranking_for_every_unit() {
    let k = k();
    scored_plan(&k);
    let rank: Value = serde_json::from_str(&k.ok(&["--json", "score", "--all"])).unwrap();
    let rank = rank.as_array().unwrap();
    let model: Value = serde_json::from_str(&k.ok(&["--json", "doc", "text", "--kind", "bao-cao"])).unwrap();
    // Every row of the two result tables: rank, name, total, max, percent.
    let mut rows: HashMap<String, Vec<String>> = HashMap::new();
    for el in model["body"].as_array().unwrap() {
        if el["t"] == "Table" && el["c"]["header"][0] == "Xếp hạng" {
            for r in el["c"]["rows"].as_array().unwrap() {
                let r: Vec<String> = r
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect();
                rows.insert(r[1].clone(), r);
            }
        }
    }
    assert_eq!(rows.len(), rank.len(), "every unit of the plan is in the report once");
    // The rank within its group (departments, communes and wards), from the ranking's order.
    let commune = |r: &Value| matches!(r["unit_kind"].as_str(), Some("xa" | "phuong"));
    let mut seen = 0;
    for r in rank {
        let name = r["unit_name"].as_str().unwrap();
        let row = &rows[name];
        assert_eq!(row[2], fmt_score(r["total"].as_f64().unwrap()), "{name}: total");
        assert_eq!(row[3], fmt_score(r["applicable_max"].as_f64().unwrap()), "{name}: max");
        let pct = r["percent"].as_f64().map(fmt_percent).unwrap_or_else(|| "–".into());
        assert_eq!(row[4], pct, "{name}: percent");
        let expected = if r["rank"].is_null() {
            "–".to_string()
        } else {
            let key = |x: &Value| (x["percent"].as_f64(), x["total"].as_f64());
            let better = rank
                .iter()
                .filter(|x| commune(x) == commune(r) && !x["rank"].is_null())
                .take_while(|x| key(x) != key(r))
                .count();
            (better + 1).to_string()
        };
        assert_eq!(row[0], expected, "{name}: rank within its group");
        seen += usize::from(!r["rank"].is_null());
    }
    assert_eq!(seen, 4, "four units scored");
    // Shortcomings shared by two units name both, once.
    let text = k.ok(&["doc", "text", "--kind", "bao-cao"]);
    assert!(
        text.contains("Tỷ lệ hồ sơ giải quyết đúng hạn chưa cao (Sở Ngoại vụ, xã Đoài Dương)")
            || text.contains("Tỷ lệ hồ sơ giải quyết đúng hạn chưa cao (xã Đoài Dương, Sở Ngoại vụ)"),
        "{text}"
    );
    // A unit name given with the plan's report is refused, and the others need one.
    let msg = k.refused(&["doc", "text", "ha lang", "--kind", "bao-cao"]);
    assert!(msg.contains("cả kế hoạch"), "{msg}");
    let msg = k.refused(&["doc", "text", "--kind", "thong-bao"]);
    assert!(msg.contains("Hãy chỉ ra đơn vị"), "{msg}");
}

#[test]
fn the_report_is_laid_out_like_the_thong_bao_then_issued_and_frozen() {
    let k = k();
    scored_plan(&k);
    let pdf = k.path("bao-cao.pdf");
    let out: Value =
        serde_json::from_str(&k.ok(&["--json", "doc", "pdf", "--kind", "bao-cao", "--out", s(&pdf)])).unwrap();
    let pages = out["pages"].as_u64().unwrap() as usize;
    assert!(pages >= 3, "{out}");
    assert_pdf_sound(&pdf);
    let w = words(&pdf);
    assert_inside_margins(&w);
    assert_page_numbers(&w, pages);
    // The header, the type name and Nơi nhận.
    find(&w, 1, "BÁO");
    find(&w, 1, "/BC-ĐKT");
    let text = phrases(&pdf);
    for p in [
        "UBND TỈNH CAO BẰNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Kết quả kiểm tra công tác cải cách hành chính năm 2026",
        "Kế hoạch số 125/KH-UBND ngày 15 tháng 4 năm 2026",
        "Nơi nhận:",
        "- Lưu: VT, ĐKT.",
        "PHỤ LỤC",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
    ] {
        assert!(text.contains(p), "«{p}» missing");
    }
    assert_clerk_accepts(&pdf, "BÁO CÁO", "báo cáo");
    // Text round trip: every word written comes back, in order, and nothing else.
    let written: Vec<String> = k
        .ok(&["doc", "text", "--kind", "bao-cao"])
        .split_whitespace()
        .map(nfc)
        .collect();
    let raw = nfc(&tool("pdftotext", &["-raw", s(&pdf), "-"]));
    let set: std::collections::HashSet<&String> = written.iter().collect();
    let read: Vec<String> = raw.split_whitespace().map(str::to_string).collect();
    for r in &read {
        assert!(
            set.contains(r) || r.chars().all(|c| c.is_ascii_digit()) || r.chars().all(|c| c == '…'),
            "pdftotext returned «{r}», which was not written"
        );
    }
    let mut it = read.iter();
    for wd in &written {
        assert!(
            it.any(|r| r == wd),
            "«{wd}» is missing from the PDF text (or out of order)"
        );
    }
    assert_matches_reference(&k, &pdf, 1, "bao-cao-p1");

    // Edited, signed for Sở Nội vụ, issued (units not inspected are confirmed), frozen.
    k.ok(&[
        "doc",
        "edit",
        "--kind",
        "bao-cao",
        "--to-province",
        "Công nhận kết quả kiểm tra",
    ]);
    let info: Value = serde_json::from_str(&k.ok(&[
        "--json",
        "doc",
        "edit",
        "--kind",
        "bao-cao",
        "--by",
        "so-noi-vu",
        "--signer-name",
        "Nguyễn Văn An",
    ]))
    .unwrap();
    assert_eq!(info["symbol"], "BC-SNV");
    let msg = k.refused(&[
        "doc",
        "issue",
        "--kind",
        "bao-cao",
        "--number",
        "7",
        "--date",
        "20/10/2026",
    ]);
    assert!(msg.contains("đơn vị chưa kiểm tra") && msg.contains("--force"), "{msg}");
    let issued = k.path("bao-cao-issued.pdf");
    k.ok(&[
        "doc",
        "issue",
        "--kind",
        "bao-cao",
        "--number",
        "7",
        "--date",
        "20/10/2026",
        "--force",
        "--out",
        s(&issued),
    ]);
    let t = phrases(&issued);
    assert!(
        t.contains("Số: 07/BC-SNV") && t.contains("SỞ NỘI VỤ") && t.contains("1. Công nhận kết quả kiểm tra."),
        "{t}"
    );
    // The data changes; the issued report prints byte for byte as it was.
    k.ok(&["checklist", "set", "kim dong", "1.1.1", "--status", "dung_han"]);
    let again = k.path("again.pdf");
    k.ok(&["doc", "pdf", "--kind", "bao-cao", "--out", s(&again)]);
    assert_eq!(std::fs::read(&issued).unwrap(), std::fs::read(&again).unwrap());
    let msg = k.refused(&[
        "doc",
        "issue",
        "--kind",
        "bao-cao",
        "--number",
        "8",
        "--date",
        "21/10/2026",
        "--force",
    ]);
    assert!(msg.contains("đã ban hành"), "{msg}");
    let v: Value = serde_json::from_str(&k.ok(&["--json", "doc", "show"])).unwrap();
    assert_eq!(v[0]["changed_since_issue"], true);
    // An edit makes version 2, a draft.
    let info: Value = serde_json::from_str(&k.ok(&[
        "--json",
        "doc",
        "edit",
        "--kind",
        "bao-cao",
        "--closing",
        "Kính báo cáo./.",
    ]))
    .unwrap();
    assert_eq!(info["version"], 2);
    assert_eq!(info["status"], "draft");
}

#[test]
fn one_area_scored_is_not_called_both_the_best_and_the_weakest() {
    let k = crate::common::Kiemtra::ready();
    k.ok(&["checklist", "set", "ha lang", "1.1.1", "--team", "0.5"]);
    let text = k.ok(&["doc", "text", "--kind", "bao-cao"]);
    assert!(text.contains("Mới có lĩnh vực công tác chỉ đạo"), "{text}");
    assert!(!text.contains("kết quả thấp nhất"), "{text}");
    k.ok(&["checklist", "set", "ha lang", "3.1.1", "--team", "1"]);
    let text = k.ok(&["doc", "text", "--kind", "bao-cao"]);
    assert!(
        text.contains("kết quả cao nhất") && text.contains("kết quả thấp nhất"),
        "{text}"
    );
}
