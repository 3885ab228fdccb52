//! The team's keys through the CLI (issue 13), the issue's story end to end: the lead sets up
//! the key and invites a member, members merge with the maker verified; the unit gets its
//! invitation, its self-assessment arrives and its attempt at the team's score is refused;
//! a stranger's, another team's, an altered file and a removed laptop's later file are each
//! refused with their message and the database unchanged (dump compared).

use std::path::Path;

use crate::common::{assert_vietnamese, dump, Kiemtra};
use crate::documents::{complete_plan, phrases, NOW};
use kiemtra_core::text::fmt_score;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn team_score(k: &Kiemtra, code: &str) -> serde_json::Value {
    let cl = k.json(&["checklist", "show", "ha lang"]);
    cl["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap()["response"]["team_score"]
        .clone()
}

/// Refused, with its message, and nothing changed.
fn refused_unchanged(k: &Kiemtra, file: &Path, words: &[&str]) -> String {
    let before = dump(&k.db);
    let p = k.refused(&["exchange", "preview", s(file)]);
    let m = k.refused(&["exchange", "import", s(file)]);
    assert_eq!(p, m);
    assert_vietnamese(&m);
    assert!(m.contains("Dữ liệu không bị thay đổi"), "{m}");
    for w in words {
        assert!(m.contains(w), "expected «{w}» in: {m}");
    }
    assert_eq!(dump(&k.db), before, "a refused file changed the database");
    m
}

#[test]
fn the_issues_story_through_the_cli() {
    let lead = Kiemtra::ready();
    // No key yet: the laptop says what to do.
    assert!(lead.ok(&["team", "key", "show"]).contains("chưa có khóa đoàn"));
    let out = lead.ok(&[
        "team",
        "key",
        "new",
        "--name",
        "Đoàn kiểm tra CCHC tỉnh",
        "--member",
        "Nguyễn Văn An",
    ]);
    assert!(out.contains("Mã khóa đoàn:"), "{out}");
    let code = lead.json(&["team", "key", "show"])["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 19, "{code}");
    assert!(out.contains(&code));
    // A second key on the same laptop: refused.
    assert!(lead.refused(&["team", "key", "new"]).contains("đã có khóa"));

    // The member's laptop joins from the invitation and shows the same code.
    let invite = lead.path("moi-binh.kiemtra-moi");
    let out = lead.ok(&["team", "invite", "--member", "Trần Thị Bình", "--out", s(&invite)]);
    assert!(out.contains(&code) && out.contains("kiemtra team join"), "{out}");
    let member = Kiemtra::ready();
    let out = member.ok(&["team", "join", s(&invite)]);
    assert!(out.contains(&code) && out.contains("Trần Thị Bình"), "{out}");
    let shown = member.ok(&["team", "key", "show"]);
    assert!(
        shown.contains("Nguyễn Văn An") && shown.contains("Trần Thị Bình (máy này)"),
        "{shown}"
    );

    // Members merge; the maker is verified.
    lead.ok(&["checklist", "set", "ha lang", "1.1.1", "--team", "0,5"]);
    let f = lead.path("an-1.kiemtra");
    lead.ok(&["exchange", "export", "--out", s(&f)]);
    let out = member.ok(&["exchange", "import", s(&f)]);
    assert!(
        out.contains("Chữ ký đã xác minh") && out.contains("Nguyễn Văn An"),
        "{out}"
    );
    assert_eq!(team_score(&member, "1.1.1"), 0.5);

    // The unit's invitation; its laptop starts empty and gets its checklist.
    let unit_invite = lead.path("moi-ha-lang.kiemtra-moi");
    lead.ok(&["self", "invite", "ha lang", "--out", s(&unit_invite)]);
    let unit = Kiemtra::new();
    unit.ok(&["init"]);
    let out = unit.ok(&["self", "join", s(&unit_invite)]);
    assert!(out.contains(&code), "{out}");
    unit.ok(&[
        "self",
        "score",
        "ha lang",
        "1.1.1",
        "0,75",
        "--note",
        "Kế hoạch CCHC số 12/KH-UBND",
    ]);
    let back = unit.path("ha-lang-1.kiemtra");
    unit.ok(&["exchange", "export", "--out", s(&back)]);
    let out = lead.ok(&["exchange", "import", s(&back)]);
    assert!(out.contains("đơn vị tự đánh giá"), "{out}");
    let sa = lead.json(&["self", "show", "ha lang"]);
    assert_eq!(sa["self_total"], 0.75);
    assert_eq!(sa["team_total"], 0.5);
    // The unit cannot read the team's file of the whole plan.
    let m = unit.refused(&["exchange", "import", s(&f)]);
    assert!(m.contains("không phải của đoàn này"), "{m}");

    // The issue's story: unit mode off, the team's score raised, a file exported.
    unit.ok(&["self", "stop"]);
    unit.ok(&["checklist", "set", "ha lang", "1.1.1", "--team", "0,75"]);
    let raised = unit.path("ha-lang-2.kiemtra");
    unit.ok(&["exchange", "export", "--out", s(&raised)]);
    refused_unchanged(&lead, &raised, &["chấm điểm của đoàn", "1.1.1"]);
    assert_eq!(team_score(&lead, "1.1.1"), 0.5);

    // Another team's file.
    let other = Kiemtra::ready();
    other.ok(&["team", "key", "new", "--member", "Lê Văn Cường"]);
    let theirs = other.path("doan-khac.kiemtra");
    other.ok(&["exchange", "export", "--out", s(&theirs)]);
    refused_unchanged(&lead, &theirs, &["không phải của đoàn này"]);
    // A stranger's unprotected file: only with --allow-unprotected.
    let stranger = Kiemtra::ready();
    let plain = stranger.path("nguoi-la.kiemtra");
    stranger.ok(&["exchange", "export", "--out", s(&plain)]);
    refused_unchanged(&lead, &plain, &["Tệp không được bảo vệ", "--allow-unprotected"]);
    // The member's file altered by one byte.
    member.ok(&[
        "finding",
        "add",
        "ha lang",
        "--area",
        "3",
        "--kind",
        "ton_tai",
        "Chưa công khai đủ TTHC",
    ]);
    let good = member.path("binh-1.kiemtra");
    member.ok(&["exchange", "export", "--out", s(&good)]);
    let mut bytes = std::fs::read(&good).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x04;
    let bad = member.path("binh-1-sua.kiemtra");
    std::fs::write(&bad, &bytes).unwrap();
    refused_unchanged(&lead, &bad, &["đã bị sửa sau khi được tạo"]);
    let out = lead.ok(&["exchange", "import", s(&good)]);
    assert!(out.contains("Trần Thị Bình"), "{out}");

    // The member's laptop is lost: the lead removes it; its later files are refused.
    let out = lead.ok(&["team", "revoke", "Trần Thị Bình"]);
    assert!(out.contains("Kỳ khóa mới: 2") && out.contains("đã thu hồi"), "{out}");
    member.ok(&[
        "finding",
        "add",
        "ha lang",
        "--area",
        "3",
        "--kind",
        "ton_tai",
        "Sau khi bị thu hồi",
    ]);
    let late = member.path("binh-2.kiemtra");
    member.ok(&["exchange", "export", "--out", s(&late)]);
    refused_unchanged(&lead, &late, &["thu hồi", "Trần Thị Bình"]);

    // The files received, with who made them.
    let got = lead.ok(&["exchange", "received"]);
    assert!(got.contains("Trần Thị Bình ✔ đã xác minh"), "{got}");
    assert!(got.contains("xã Hạ Lang ✔ đã xác minh"), "{got}");
    let json = lead.json(&["exchange", "received"]);
    assert_eq!(json.as_array().unwrap().len(), 2);
}

/// The unit's invitation comes with its Đề cương báo cáo tự kiểm tra beside it, the PDF
/// `doc pdf UNIT --kind de-cuong` prints, listing the unit's criteria; an outline already
/// there of that name is refused before anything is written; the unit's laptop, once joined,
/// prints the outline and its own report itself.
#[test]
fn the_units_invitation_comes_with_its_outline_and_the_units_laptop_prints_both() {
    let lead = Kiemtra::ready_at(NOW);
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
    let outline = lead.path("moi-ha-lang-de-cuong.pdf");

    // An older file of the outline's name: refused, nothing written, the database unchanged.
    std::fs::write(&outline, b"de cuong cu").unwrap();
    let before = dump(&lead.db);
    let refusal = lead.json_refused(&["self", "invite", "ha lang", "--out", s(&invite)]);
    assert_eq!(refusal["code"], "file_exists", "{refusal}");
    let m = refusal["message"].as_str().unwrap();
    assert_vietnamese(m);
    assert!(m.contains(s(&outline)), "the refusal names the outline: {m}");
    assert!(!invite.exists(), "no invitation written");
    assert_eq!(
        std::fs::read(&outline).unwrap(),
        b"de cuong cu",
        "the older file is kept"
    );
    assert_eq!(dump(&lead.db), before, "no laptop added to the roster");
    assert_eq!(
        lead.json(&["team", "key", "show"])["laptops"].as_array().unwrap().len(),
        1
    );
    std::fs::remove_file(&outline).unwrap();

    // Both files, the command saying where.
    let out = lead.ok(&["self", "invite", "ha lang", "--out", s(&invite)]);
    assert!(invite.is_file() && outline.is_file());
    assert!(
        out.contains(&format!(
            "Đã ghi Đề cương báo cáo tự kiểm tra của «xã Hạ Lang» vào {}",
            outline.display()
        )),
        "{out}"
    );
    let text = phrases(&outline);
    for p in [
        "ĐỀ CƯƠNG",
        "/ĐC-ĐKT",
        "Báo cáo kết quả tự kiểm tra công tác cải cách hành chính năm 2026 của UBND xã Hạ Lang",
        "Kế hoạch số 125/KH-UBND",
    ] {
        assert!(text.contains(p), "«{p}» missing from the outline");
    }
    // Every criterion of the unit's checklist version, by its code, with its maximum.
    let cl = lead.json(&["checklist", "show", "ha lang"]);
    let items = cl["items"].as_array().unwrap();
    assert!(items.len() > 20);
    for it in items {
        let c = &it["criterion"];
        let code = c["code"].as_str().or(it["code"].as_str()).unwrap();
        let max = fmt_score(c["max"].as_f64().or(it["max"].as_f64()).unwrap());
        assert!(
            text.contains(&format!("- Tiêu chí {code} ({max} điểm)")),
            "{code} ({max} điểm) missing from the outline"
        );
    }
    // It is the outline the command line prints.
    let printed = lead.path("de-cuong-doan.pdf");
    lead.ok(&["doc", "pdf", "ha lang", "--kind", "de-cuong", "--out", s(&printed)]);
    assert_eq!(phrases(&printed), text);

    // The unit's laptop, joined, prints the outline and its own report.
    let unit = Kiemtra::empty_at(NOW);
    unit.ok(&["self", "join", s(&invite)]);
    unit.ok(&[
        "self",
        "score",
        "ha lang",
        "1.1.1",
        "0,75",
        "--note",
        "Kế hoạch CCHC số 12/KH-UBND",
    ]);
    let dc = unit.path("de-cuong.pdf");
    unit.ok(&["doc", "pdf", "ha lang", "--kind", "de-cuong", "--out", s(&dc)]);
    assert_eq!(phrases(&dc), text, "the unit's laptop prints the same outline");
    let own = unit.path("tu-kiem-tra.pdf");
    unit.ok(&["doc", "pdf", "ha lang", "--kind", "tu-kiem-tra", "--out", s(&own)]);
    let report = phrases(&own);
    for p in [
        "UBND XÃ HẠ LANG",
        "/BC-UBND",
        "Kế hoạch số 125/KH-UBND",
        "Tổng điểm UBND xã Hạ Lang tự chấm: 0,75/",
        "Giải trình: Kế hoạch CCHC số 12/KH-UBND",
    ] {
        assert!(report.contains(p), "«{p}» missing from the unit's report");
    }
}
