//! The unit's two self-inspection documents in the window (issue 14). On the team's laptop
//! the unit's Văn bản tab has the Đề cương báo cáo tự kiểm tra beside the Biên bản and the
//! Thông báo: its pages shown, saved as PDF through the save dialog (`KIEMTRA_E2E_UNIT_DOC_FILE`
//! answers it). On the unit's laptop, which joined from its invitation in the window and
//! self-scored there, the tab has the Đề cương it was given and its own Báo cáo kết quả tự
//! kiểm tra, which carries what it typed under its own header.

use std::path::Path;

use chrono::Utc;
use kiemtra_core::model::DocumentKind;
use kiemtra_core::plan::{PlanPatch, TeamPatch};
use kiemtra_core::{Ctx, Store};
use serde_json::json;

use crate::e2e::fill_and_leave;
use crate::elements::{until, ENTER};
use crate::support::start_driver;
use crate::webdriver::Session;

fn ctx(who: &str) -> Ctx {
    Ctx::new(Utc::now(), who)
}

/// The sample plan with its number and the decision forming the team.
fn plan_with_numbers(store: &mut Store, ctx: &Ctx) {
    let (plan, _) = store.load_sample_plan(ctx).unwrap();
    store.use_plan(&plan).unwrap();
    store
        .update_plan(
            ctx,
            &plan,
            &PlanPatch {
                number: Some("125/KH-UBND".into()),
                date: Some("15/04/2026".into()),
                ..Default::default()
            },
        )
        .unwrap();
    store
        .update_team(
            ctx,
            &plan,
            &TeamPatch {
                decision_number: Some("1520/QĐ-UBND".into()),
                decision_date: Some("08/07/2026".into()),
                ..Default::default()
            },
        )
        .unwrap();
}

/// The PDF's text as laid out (a table's row on one line).
fn pdf_text(pdf: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed for this test");
    String::from_utf8(out.stdout).unwrap()
}

/// The switch's buttons: (data-test, text).
fn switch(s: &Session) -> Vec<(String, String)> {
    let v = s.script(
        "return Array.from(document.querySelectorAll('.switch button'))\
         .map((b) => [b.dataset.test, b.textContent.trim()]);",
        json!([]),
    );
    serde_json::from_value(v).unwrap()
}

fn open_ha_lang(s: &Session) {
    s.click_css("[data-test=nav-plan]");
    s.fill("[data-test=unit-filter]", "ha lang");
    until(s, "xã Hạ Lang alone in the list", || {
        s.find_all("[data-test=unit-row]").len() == 1
    });
    let filter = s.find("[data-test=unit-filter]").unwrap();
    s.type_keys(&filter, ENTER);
    s.wait_text("[data-test=unit-name]", "xã Hạ Lang", |t| t == "xã Hạ Lang");
}

/// Wait for the unit document's pages, drawn from the PDF the core made.
fn pages_shown(s: &Session, title: &str) {
    s.wait_text("[data-test=unit-doc-title]", title, |t| t == title);
    until(s, "the document's pages", || {
        s.script(
            "return document.querySelector('[data-test=unit-doc-preview]').dataset.state;",
            json!([]),
        ) == json!("ready")
    });
}

#[test]
fn the_team_previews_and_saves_the_units_outline() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kiemtra.sqlite3");
    let c = ctx("Bế Thị Hà");
    let (mut store, _) = Store::init(&db, &c).unwrap();
    plan_with_numbers(&mut store, &c);
    let (_, insp) = store.resolve_inspection("ha lang").unwrap();
    let (tpl, _) = store.score_card(&insp).unwrap();
    let listed = store.unit_documents(&insp).unwrap();
    drop(store);
    let out = dir.path().join("de-cuong.pdf");
    let d = start_driver(&db, &[("KIEMTRA_E2E_UNIT_DOC_FILE", out.as_path())]);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    crate::e2e::laptop_screen(&s);
    open_ha_lang(&s);
    s.click_css("[data-test=tab-documents]");
    s.wait("[data-test=doc-kind-de_cuong]");
    // The drafted documents, then the outline under the core's title; not the unit's report.
    assert_eq!(
        switch(&s),
        [
            ("doc-kind-bien_ban".to_string(), "Biên bản kiểm tra".to_string()),
            (
                "doc-kind-thong_bao".to_string(),
                "Thông báo kết quả kiểm tra".to_string()
            ),
            ("doc-kind-de_cuong".to_string(), listed[0].title.clone()),
        ]
    );
    s.click_css("[data-test=doc-kind-de_cuong]");
    pages_shown(&s, "Đề cương báo cáo tự kiểm tra");
    let about = s.text(&s.find("[data-test=unit-doc-about]").unwrap());
    assert_eq!(about, listed[0].about);
    let pages = s.find_all("[data-test=unit-doc-page]").len();
    assert!(pages > 3, "{pages} pages");
    s.screenshot("74-de-cuong");

    s.click_css("[data-test=unit-doc-save-pdf]");
    s.wait_text("[data-test=notice]", "the saved notice", |t| {
        t.contains("Đã lưu tệp PDF")
    });
    let text = pdf_text(&out);
    assert!(text.contains("ĐỀ CƯƠNG") && text.contains("/ĐC-ĐKT"), "{text}");
    assert!(text.contains("Kế hoạch số 125/KH-UBND"), "{text}");
    for it in &tpl.items {
        assert!(text.contains(&it.code), "criterion {} is in the outline", it.code);
    }
    // Back to the Thông báo: the tab's own documents are still there.
    s.click_css("[data-test=doc-kind-thong_bao]");
    s.wait_text("[data-test=doc-status]", "the Thông báo's status", |t| {
        t.starts_with("dự thảo")
    });
    s.quit();
}

#[test]
fn the_units_laptop_previews_and_saves_its_outline_and_its_own_report() {
    let dir = tempfile::tempdir().unwrap();
    let an = "Nguyễn Văn An";
    let (mut lead, _) = Store::init(&dir.path().join("doan").join("k.sqlite3"), &ctx(an)).unwrap();
    plan_with_numbers(&mut lead, &ctx(an));
    let (unit, _) = lead.resolve_inspection("ha lang").unwrap();
    lead.team_create(&ctx(an), "Đoàn kiểm tra CCHC tỉnh", an).unwrap();
    let invite = dir.path().join("moi-ha-lang.kiemtra-moi");
    lead.self_invite(&ctx(an), &unit.id, &invite).unwrap();
    drop(lead);

    let db = dir.path().join("may-don-vi").join("kiemtra.sqlite3");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let out = dir.path().join("luu.pdf");
    let d = start_driver(
        &db,
        &[
            ("KIEMTRA_E2E_JOIN_FILE", invite.as_path()),
            ("KIEMTRA_E2E_UNIT_DOC_FILE", out.as_path()),
        ],
    );
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    crate::e2e::laptop_screen(&s);
    s.wait("[data-test=unit-filter]");
    s.click_css("[data-test=nav-team]");
    s.click_css("[data-test=self-join]");
    s.wait_text("[data-test=self-mode]", "unit mode", |t| t.contains("xã Hạ Lang"));

    // The unit self-scores two criteria, explains one, reports a figure.
    open_ha_lang(&s);
    let note = "Kế hoạch CCHC số 12/KH-UBND ban hành ngày 05/01/2026";
    s.fill("[data-test=\"self-1.1.1\"]", "0,75");
    s.fill("[data-test=\"note-1.1.1\"]", note);
    s.fill("[data-test=\"self-1.4.1\"]", "0,5");
    s.click_css("[data-test=unit-name]");
    s.wait_value("[data-test=\"self-1.4.1\"]", "0,5");
    s.click_css("[data-test=tab-figures]");
    s.fill("[data-test=self-figure-ho_so_tiep_nhan]", "1.081");
    s.click_css("[data-test=unit-name]");
    s.wait_value("[data-test=self-figure-ho_so_tiep_nhan]", "1.081");

    // Its Văn bản tab: the outline it was given and its own report, nothing of the team's.
    s.click_css("[data-test=tab-documents]");
    s.wait("[data-test=doc-kind-tu_kiem_tra]");
    assert_eq!(
        switch(&s),
        [
            (
                "doc-kind-de_cuong".to_string(),
                "Đề cương báo cáo tự kiểm tra".to_string()
            ),
            (
                "doc-kind-tu_kiem_tra".to_string(),
                "Báo cáo kết quả tự kiểm tra".to_string()
            ),
        ]
    );
    pages_shown(&s, "Đề cương báo cáo tự kiểm tra");
    s.click_css("[data-test=unit-doc-save-pdf]");
    s.wait_text("[data-test=notice]", "the outline saved", |t| {
        t.contains("Đã lưu tệp PDF")
    });
    let outline = pdf_text(&out);
    assert!(outline.contains("ĐỀ CƯƠNG") && outline.contains("1.1.1"), "{outline}");
    std::fs::remove_file(&out).unwrap();

    s.click_css("[data-test=doc-kind-tu_kiem_tra]");
    pages_shown(&s, "Báo cáo kết quả tự kiểm tra");
    let about = s.text(&s.find("[data-test=unit-doc-about]").unwrap());
    assert!(about.contains("tự chấm 1,25/"), "{about}");
    // The number and day the unit's văn thư gave it: printed once both are typed; a day the
    // calendar lacks is refused at its field.
    fill_and_leave(&s, "[data-test=unit-doc-number]", "12");
    fill_and_leave(&s, "[data-test=unit-doc-date]", "31/11/2026");
    s.wait_text("[data-test=field-error]", "the impossible day refused", |t| {
        t.contains("không có trong lịch")
    });
    fill_and_leave(&s, "[data-test=unit-doc-date]", "20/10/2026");
    until(&s, "the number printed", || {
        s.script(
            "return Array.from(document.querySelectorAll('[data-test=unit-doc-printed]')).some(p => p.textContent.includes('12/BC-UBND'));",
            json!([]),
        ) == json!(true)
    });
    assert!(
        s.find_all("[data-test=field-error]").is_empty(),
        "the refusal stays after the fix"
    );
    pages_shown(&s, "Báo cáo kết quả tự kiểm tra");
    s.screenshot("75-bao-cao-tu-kiem-tra");
    s.click_css("[data-test=unit-doc-save-pdf]");
    until(&s, "the report saved", || out.exists());
    s.quit();
    drop(d);

    let text = pdf_text(&out);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let store = Store::open(&db).unwrap();
    let (_, insp) = store.resolve_inspection("ha lang").unwrap();
    let (_, card) = store.score_card(&insp).unwrap();
    let total = kiemtra_core::text::fmt_score(card.self_total);
    assert_eq!(total, "1,25");
    for p in [
        "UBND XÃ HẠ LANG".to_string(),
        "Số: 12/BC-UBND".to_string(),
        "Hạ Lang, ngày 20 tháng 10 năm 2026".to_string(),
        "TM. ỦY BAN NHÂN DÂN".to_string(),
        format!(
            "Tổng điểm UBND xã Hạ Lang tự chấm: {total}/{} điểm",
            kiemtra_core::text::fmt_score(card.applicable_max)
        ),
        format!("Giải trình: {note}"),
        "Số hồ sơ TTHC tiếp nhận 1.081".to_string(),
        // The plan as the team numbered it, not the blank sample the window's first start
        // loaded on this laptop.
        "Thực hiện Kế hoạch số 125/KH-UBND".to_string(),
    ] {
        assert!(flat.contains(&p), "«{p}» missing from the unit's report:\n{text}");
    }
    assert!(
        flat.starts_with("UBND XÃ HẠ LANG"),
        "the unit's report opens with the unit's header, not the team's: {text}"
    );
    assert_eq!(
        store
            .unit_documents(&insp)
            .unwrap()
            .iter()
            .map(|d| d.kind)
            .collect::<Vec<_>>(),
        [DocumentKind::DeCuong, DocumentKind::TuKiemTra]
    );
}
