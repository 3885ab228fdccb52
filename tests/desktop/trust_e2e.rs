//! The team's keys (issue 13) in the real window, on the lead's laptop. The lead sets up the
//! team key and reads its short code, invites a member's laptop and the inspected unit's; the
//! other laptops (stores in temporary folders, as those laptops would be) join from the files
//! the window wrote and show the same code. The member's file is previewed with its maker
//! verified and imported; the unit's self-assessment comes in, its later attempt at the team's
//! score is refused with the core's message and changes nothing; a file without protection
//! waits behind its warning until «Vẫn nhập»; «Tệp đã nhận» lists who sent what. Revoking the
//! member shows its laptop as đã thu hồi, and its later file is refused. Changes made in the
//! window are recorded under the lead's member name from the moment the key is made.
//!
//! Native dialogs cannot be driven: `KIEMTRA_E2E_INVITE_FILE` answers the invitations' save
//! dialog and `KIEMTRA_E2E_IMPORT_FILE` the exchange file's open dialog (the test puts each
//! incoming file there in turn).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::elements::ENTER;
use crate::support::start_driver;
use crate::webdriver::Session;
use chrono::Utc;
use kiemtra_core::checklist::ResponsePatch;
use kiemtra_core::model::FindingKind;
use kiemtra_core::{Ctx, Store};
use serde_json::json;

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

fn ctx(who: &str) -> Ctx {
    Ctx::new(Utc::now(), who)
}

fn team_score(s: &mut Store, insp: &str, code: &str, x: f64, who: &str) {
    s.set_response(
        &ctx(who),
        insp,
        code,
        &ResponsePatch {
            team_score: Some(Some(x)),
            ..Default::default()
        },
    )
    .unwrap();
}

/// Export `store`'s plan and put the file where the window's open dialog takes it from.
fn send(store: &Store, who: &str, own: &Path, incoming: &Path) {
    let plan = store.current_plan().unwrap();
    store.export_exchange(&ctx(who), &plan.id, &[], own).unwrap();
    std::fs::copy(own, incoming).unwrap();
}

/// The cells of every row `css` selects, as text.
fn rows(s: &Session, css: &str) -> Vec<Vec<String>> {
    let v = s.script(
        "return Array.from(document.querySelectorAll(arguments[0]))\
         .map((r) => Array.from(r.querySelectorAll('td')).map((c) => c.textContent.trim().replace(/\\s+/g, ' ')));",
        json!([css]),
    );
    serde_json::from_value(v).unwrap()
}

fn scroll_to(s: &Session, css: &str) {
    s.script(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
        json!([css]),
    );
    std::thread::sleep(Duration::from_millis(200));
}

/// Click what `css` selects, scrolled into the middle of the window first (WebKitWebDriver
/// does not scroll to it, and the team's keys are at the foot of their screen).
fn press(s: &Session, css: &str) {
    let e = s.wait(css);
    s.script(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
        json!([css]),
    );
    s.click(&e);
}

/// Type into a field, scrolled into view first.
fn put(s: &Session, css: &str, text: &str) {
    s.wait(css);
    s.script(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
        json!([css]),
    );
    s.fill(css, text);
}

/// Choose the file now at the open dialog's path; the preview (or its refusal) follows.
fn pick(s: &Session) {
    press(s, "[data-test=nav-exchange]");
    press(s, "[data-test=pick-file]");
}

fn open_ha_lang(s: &Session) {
    press(s, "[data-test=nav-plan]");
    put(s, "[data-test=unit-filter]", "ha lang");
    until("xã Hạ Lang alone in the list", || {
        s.find_all("[data-test=unit-row]").len() == 1
    });
    let filter = s.find("[data-test=unit-filter]").unwrap();
    s.type_keys(&filter, ENTER);
    s.wait_text("[data-test=unit-name]", "xã Hạ Lang", |t| t == "xã Hạ Lang");
}

#[test]
fn the_lead_sets_up_the_team_key_and_the_window_tells_verified_refused_and_unprotected_files_apart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("may-truong-doan").join("kiemtra.sqlite3");
    let (an, binh) = ("Nguyễn Văn An", "Trần Thị Bình");
    let (mut lead, _) = Store::init(&db, &ctx("Bế Thị Hà")).unwrap();
    lead.load_sample_plan(&ctx("Bế Thị Hà")).unwrap();
    let (_, h) = lead.resolve_inspection("ha lang").unwrap();
    let plan = lead.current_plan().unwrap();
    let team_name = lead
        .plan_overview(&plan.id, chrono::Local::now().date_naive())
        .unwrap()
        .team
        .expect("the sample plan's team")
        .name;
    assert!(lead.team_view().unwrap().is_none());
    drop(lead);

    let invite = dir.path().join("moi.kiemtra-moi");
    let incoming = dir.path().join("tep-nhan.kiemtra");
    let d = start_driver(
        &db,
        &[
            ("KIEMTRA_E2E_INVITE_FILE", &invite),
            ("KIEMTRA_E2E_IMPORT_FILE", &incoming),
        ],
    );
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    s.wait("[data-test=unit-filter]");

    // No team yet: the section offers to set up the key, the team's name filled in.
    press(&s, "[data-test=nav-team]");
    s.wait("[data-test=team-create]");
    assert_eq!(s.value(&s.find("[data-test=key-team-name]").unwrap()), team_name);
    assert!(s.find("[data-test=team-join]").is_ok() && s.find("[data-test=self-join]").is_ok());
    put(&s, "[data-test=key-member]", an);
    press(&s, "[data-test=team-create]");
    let fingerprint = s.wait_text("[data-test=team-fingerprint]", "the team key's short code", |t| {
        !t.is_empty()
    });
    let groups: Vec<&str> = fingerprint.split(' ').collect();
    assert!(
        groups.len() == 4
            && groups
                .iter()
                .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_digit())),
        "{fingerprint}"
    );
    let line = s.text(&s.find("[data-test=team-fingerprint-line]").unwrap());
    assert!(
        line.starts_with(&format!("Mã khóa đoàn: {fingerprint}")) && line.contains("đọc cho nhau qua điện thoại để so"),
        "{line}"
    );
    let this = s.text(&s.find("[data-test=key-this]").unwrap());
    assert!(this.starts_with(&format!("{an} — trưởng đoàn")), "{this}");
    assert_eq!(s.text(&s.find("[data-test=key-period]").unwrap()), "1");
    scroll_to(&s, "[data-test=team-keys]");
    s.screenshot("30-khoa-doan");

    // Invite the member: the save dialog answered by KIEMTRA_E2E_INVITE_FILE.
    put(&s, "[data-test=invite-member]", binh);
    press(&s, "[data-test=invite-file]");
    let notice = s.wait_text("[data-test=notice]", "the invitation saved", |t| {
        t.starts_with("Đã lưu tệp mời")
    });
    assert!(
        notice.contains(&invite.display().to_string()) && notice.contains(binh),
        "{notice}"
    );
    assert!(invite.is_file());
    until("two laptops listed", || s.find_all("[data-test=laptop]").len() == 2);
    let listed = rows(&s, "[data-test=laptop]");
    assert!(
        listed[0][0].starts_with(an) && listed[0][1] == "trưởng đoàn",
        "{listed:?}"
    );
    assert!(listed[1][0].starts_with(binh) && listed[1][1] == "thành viên" && listed[1][3] == "đang dùng");
    scroll_to(&s, "[data-test=team-keys]");
    s.screenshot("31-moi-thanh-vien");

    // From now on the window records changes under the lead's name, without a restart.
    press(&s, "[data-test=nav-settings]");
    s.wait_text("[data-test=inspector]", "the lead's member name", |t| t == an);

    // The member's laptop joins from the file the window wrote: the same short code.
    let member_db = dir.path().join("may-thanh-vien").join("kiemtra.sqlite3");
    let (mut member, _) = Store::init(&member_db, &ctx(binh)).unwrap();
    member.load_sample_plan(&ctx(binh)).unwrap();
    let joined = member.team_join(&ctx(binh), &invite).unwrap();
    assert_eq!(joined.fingerprint, fingerprint);
    assert_eq!(joined.member, binh);
    std::fs::remove_file(&invite).unwrap();
    team_score(&mut member, &h, "1.1.1", 0.5, binh);
    member
        .add_finding(
            &ctx(binh),
            &h,
            "3",
            FindingKind::Shortcoming,
            "Chưa niêm yết đủ thủ tục hành chính tại bộ phận một cửa",
        )
        .unwrap();
    send(&member, binh, &dir.path().join("binh-1.kiemtra"), &incoming);

    // A change in the window, and the unit's invitation from its inspection screen.
    open_ha_lang(&s);
    put(&s, "[data-test='team-1.4.1']", "0,5");
    s.type_keys(&s.find("[data-test='team-1.4.1']").unwrap(), ENTER);
    s.wait_text("[data-test=save-state]", "saved", |t| t.contains("Đã lưu lúc"));
    press(&s, "[data-test=self-invite]");
    let notice = s.wait_text("[data-test=notice]", "the unit's invitation saved", |t| {
        t.starts_with("Đã lưu tệp mời")
    });
    assert!(notice.contains("xã Hạ Lang"), "{notice}");
    // The unit's Đề cương beside the invitation, named in the message.
    let outline = kiemtra_core::team::outline_path(&invite);
    assert!(notice.contains(&outline.display().to_string()), "{notice}");
    let pdf = std::fs::read(&outline).expect("the Đề cương is written beside the invitation");
    assert!(pdf.starts_with(b"%PDF-"), "the Đề cương is a PDF");
    let text = std::process::Command::new("pdftotext")
        .args([outline.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("ĐỀ CƯƠNG") && text.contains("UBND xã Hạ Lang") && text.contains("Tiêu chí 1.1.1"),
        "{text}"
    );
    s.screenshot("32-moi-don-vi");
    let unit_db = dir.path().join("may-don-vi").join("kiemtra.sqlite3");
    let (mut unit, _) = Store::init(&unit_db, &ctx("xã Hạ Lang")).unwrap();
    let (unit_view, _) = unit.self_join(&ctx("xã Hạ Lang"), &invite, None).unwrap();
    assert_eq!(unit_view.fingerprint, fingerprint);
    std::fs::remove_file(&invite).unwrap();
    unit.set_self_score(
        &ctx("xã Hạ Lang"),
        &h,
        "1.1.1",
        Some(Some(0.75)),
        Some("Kế hoạch CCHC số 12/KH-UBND"),
    )
    .unwrap();
    let unit_genuine = dir.path().join("don-vi-1.kiemtra");
    let plan_u = unit.current_plan().unwrap();
    unit.export_exchange(&ctx("xã Hạ Lang"), &plan_u.id, &[], &unit_genuine)
        .unwrap();
    // Then unit mode off and the team's score raised: what the lead must refuse.
    unit.set_self_assessment_unit(None).unwrap();
    team_score(&mut unit, &h, "1.1.1", 0.75, "xã Hạ Lang");
    let unit_forged = dir.path().join("don-vi-2.kiemtra");
    unit.export_exchange(&ctx("xã Hạ Lang"), &plan_u.id, &[], &unit_forged)
        .unwrap();

    // The member's file: the preview names the member, verified.
    let member_laptop = joined.laptop_id[..8].to_string();
    pick(&s);
    let verified = s.wait_text("[data-test=preview-verified]", "the verified maker", |t| {
        t.contains("Chữ ký đã xác minh")
    });
    assert_eq!(
        verified,
        format!("✓ Chữ ký đã xác minh: máy {member_laptop} của {binh}, thành viên.")
    );
    assert!(s.find_all("[data-test=unprotected]").is_empty());
    s.screenshot("33-xem-truoc-da-xac-minh");
    press(&s, "[data-test=import-file]");
    s.wait_text("[data-test=import-result]", "the import summary", |t| {
        t.starts_with("Đã nhập")
    });
    s.wait_text("[data-test=result-verified]", "the verified maker", |t| {
        t.contains(binh)
    });
    until("one file received", || {
        s.find_all("[data-test=received-row]").len() == 1
    });

    // The unit's self-assessment: verified as the unit's laptop.
    std::fs::copy(&unit_genuine, &incoming).unwrap();
    press(&s, "[data-test=pick-file]");
    s.wait_text("[data-test=preview-verified]", "the unit as maker", |t| {
        t.ends_with("của xã Hạ Lang, đơn vị tự đánh giá.")
    });
    press(&s, "[data-test=import-file]");
    s.wait_text("[data-test=result-verified]", "the unit as maker", |t| {
        t.contains("đơn vị tự đánh giá")
    });
    until("two files received", || {
        s.find_all("[data-test=received-row]").len() == 2
    });

    // The unit's file that changes the team's score: refused whole, with the core's message.
    std::fs::copy(&unit_forged, &incoming).unwrap();
    press(&s, "[data-test=pick-file]");
    let refused = s.wait_text("[data-test=error]", "the refusal", |t| t.contains("chấm điểm của đoàn"));
    assert!(
        refused.contains("xã Hạ Lang") && refused.contains("1.1.1") && refused.contains("Dữ liệu không bị thay đổi"),
        "{refused}"
    );
    assert!(
        s.find_all("[data-test=preview]").is_empty(),
        "no preview of a refused file"
    );
    assert!(
        s.find_all("[data-test=unprotected]").is_empty(),
        "not the unprotected warning"
    );
    s.screenshot("34-tep-don-vi-bi-tu-choi");
    assert_eq!(s.find_all("[data-test=received-row]").len(), 2);

    // A laptop without the team's key: the warning, then «Vẫn nhập».
    let stranger_db = dir.path().join("may-chua-co-khoa").join("kiemtra.sqlite3");
    let (mut stranger, _) = Store::init(&stranger_db, &ctx("Lê Văn Cường")).unwrap();
    stranger.load_sample_plan(&ctx("Lê Văn Cường")).unwrap();
    stranger
        .add_finding(
            &ctx("Lê Văn Cường"),
            &h,
            "1",
            FindingKind::Achieved,
            "Ban hành kế hoạch CCHC năm kịp thời",
        )
        .unwrap();
    send(&stranger, "Lê Văn Cường", &dir.path().join("cuong.kiemtra"), &incoming);
    press(&s, "[data-test=pick-file]");
    let warning = s.wait_text("[data-test=unprotected-message]", "the unprotected warning", |t| {
        !t.is_empty()
    });
    assert!(warning.starts_with("Tệp không được bảo vệ"), "{warning}");
    assert!(s.find_all("[data-test=error]").is_empty(), "a warning, not an error");
    assert!(
        s.find_all("[data-test=preview]").is_empty(),
        "nothing previewed before «Vẫn nhập»"
    );
    assert_eq!(s.text(&s.find("[data-test=import-anyway]").unwrap()), "Vẫn nhập");
    s.screenshot("35-tep-khong-bao-ve");
    // «Hủy» leaves it; choosing it again and «Vẫn nhập» previews and imports it.
    press(&s, "[data-test=unprotected-cancel]");
    until("the warning gone", || s.find_all("[data-test=unprotected]").is_empty());
    press(&s, "[data-test=pick-file]");
    press(&s, "[data-test=import-anyway]");
    s.wait_text("[data-test=preview-unprotected]", "the unprotected mark", |t| {
        t.starts_with("Tệp không được bảo vệ")
    });
    s.wait("[data-test=preview-row]");
    press(&s, "[data-test=import-file]");
    s.wait_text("[data-test=import-result]", "the import summary", |t| {
        t.starts_with("Đã nhập")
    });
    until("three files received", || {
        s.find_all("[data-test=received-row]").len() == 3
    });
    let received = rows(&s, "[data-test=received-row]");
    // Newest first: the stranger's (not verified), the unit's, the member's (verified).
    assert!(received[0][0] == "tep-nhan.kiemtra" && received[0][1].starts_with("Lê Văn Cường không xác minh"));
    assert!(received[1][1].starts_with("xã Hạ Lang ✓ đã xác minh"), "{received:?}");
    assert!(
        received[2][1].starts_with(&format!("{binh} ✓ đã xác minh")) && received[2][1].contains(&member_laptop),
        "{received:?}"
    );
    // The member's score and finding: two records added.
    assert!(received[2][4].starts_with("thêm 2"), "{received:?}");
    scroll_to(&s, "[data-test=received]");
    s.screenshot("36-tep-da-nhan");

    // The inspection shows the member's score, the unit's self score, not the unit's attempt.
    open_ha_lang(&s);
    s.wait_value("[data-test='team-1.1.1']", "0,5");
    s.wait_value("[data-test='self-1.1.1']", "0,75");

    // Revoke the member's laptop.
    press(&s, "[data-test=nav-team]");
    s.wait("[data-test=laptop]");
    let revoke = format!("[data-test=laptop][data-member='{binh}'] [data-test=revoke]");
    press(&s, &revoke);
    press(&s, "[data-test=revoke-confirm]");
    let state = format!("[data-test=laptop][data-member='{binh}'] [data-test=laptop-state]");
    s.wait_text(&state, "the member revoked", |t| t == "đã thu hồi");
    s.wait_text("[data-test=key-period]", "a new key period", |t| t == "2");
    let listed = rows(&s, "[data-test=laptop]");
    let b = listed.iter().find(|r| r[0].starts_with(binh)).unwrap();
    assert_eq!(b[5], "1", "one file received from the member: {listed:?}");
    assert!(s.find_all(&revoke).is_empty(), "a revoked laptop has no «Thu hồi»");
    scroll_to(&s, "[data-test=team-keys]");
    s.screenshot("37-thu-hoi");

    // The member's later file is refused.
    team_score(&mut member, &h, "1.2.1", 0.25, binh);
    send(&member, binh, &dir.path().join("binh-2.kiemtra"), &incoming);
    pick(&s);
    let refused = s.wait_text("[data-test=error]", "the revoked laptop's refusal", |t| {
        t.contains("thu hồi")
    });
    assert!(
        refused.contains(binh) && refused.contains("Dữ liệu không bị thay đổi"),
        "{refused}"
    );
    s.quit();
    drop(d);

    // What the window wrote: under the lead's name; the unit's attempt left nothing.
    let lead = Store::open(&db).unwrap();
    let r = lead.responses(&h).unwrap();
    assert_eq!(r["1.1.1"].team_score, Some(0.5));
    assert_eq!(r["1.1.1"].self_score, Some(0.75));
    assert_eq!(r["1.4.1"].team_score, Some(0.5));
    assert!(r.get("1.2.1").and_then(|x| x.team_score).is_none());
    let audit = lead.audit(500).unwrap();
    let mine: Vec<_> = audit
        .iter()
        .filter(|a| a.action.starts_with("chấm tiêu chí") && a.field == "team_score")
        .collect();
    assert_eq!(mine.len(), 1, "the window's one score: {mine:?}");
    let mine = mine[0];
    assert_eq!(mine.inspector, an);
    assert_eq!(lead.received_files(10).unwrap().len(), 3);
}

/// A member's laptop and the unit's laptop join from the lead's invitations in their own
/// windows: the wrong kind of invitation is refused with the core's message, the right one
/// shows the lead's short code, and the window's name for changes becomes the member's.
#[test]
fn a_member_and_the_unit_join_from_the_leads_invitations_in_their_windows() {
    let dir = tempfile::tempdir().unwrap();
    let (an, binh) = ("Nguyễn Văn An", "Trần Thị Bình");
    let (mut lead, _) = Store::init(&dir.path().join("lead").join("k.sqlite3"), &ctx(an)).unwrap();
    lead.load_sample_plan(&ctx(an)).unwrap();
    let (unit, _) = lead.resolve_inspection("ha lang").unwrap();
    let team = lead.team_create(&ctx(an), "Đoàn kiểm tra CCHC tỉnh", an).unwrap();
    let member_invite = dir.path().join("moi-binh.kiemtra-moi");
    lead.team_invite(&ctx(an), binh, &member_invite).unwrap();
    let unit_invite = dir.path().join("moi-ha-lang.kiemtra-moi");
    lead.self_invite(&ctx(an), &unit.id, &unit_invite).unwrap();
    drop(lead);
    let chosen = dir.path().join("tep-moi.kiemtra-moi");

    // The member's laptop: its window creates its database with the plan at first start.
    let db = dir.path().join("may-thanh-vien").join("kiemtra.sqlite3");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let d = start_driver(&db, &[("KIEMTRA_E2E_JOIN_FILE", &chosen)]);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    s.wait("[data-test=unit-filter]");
    press(&s, "[data-test=nav-team]");
    std::fs::copy(&unit_invite, &chosen).unwrap();
    press(&s, "[data-test=team-join]");
    let refused = s.wait_text("[data-test=error]", "the unit's invitation refused", |t| {
        t.starts_with("Đây là lời mời đơn vị tự đánh giá")
    });
    assert!(refused.contains("Tham gia tự đánh giá"), "{refused}");
    assert!(s.find("[data-test=team-create]").is_ok(), "still no team");
    std::fs::copy(&member_invite, &chosen).unwrap();
    press(&s, "[data-test=team-join]");
    s.wait_text("[data-test=team-fingerprint]", "the lead's short code", |t| {
        t == team.fingerprint
    });
    let notice = s.wait_text("[data-test=notice]", "joined", |t| t.starts_with("Đã tham gia đoàn"));
    assert!(notice.contains(binh) && notice.contains(&team.fingerprint), "{notice}");
    let this = s.text(&s.find("[data-test=key-this]").unwrap());
    assert!(this.starts_with(&format!("{binh} — thành viên")), "{this}");
    assert!(s.find_all("[data-test=invite]").is_empty(), "only the lead invites");
    assert!(s.find_all("[data-test=revoke]").is_empty(), "only the lead revokes");
    scroll_to(&s, "[data-test=team-keys]");
    s.screenshot("38-thanh-vien-tham-gia");
    press(&s, "[data-test=nav-settings]");
    s.wait_text("[data-test=inspector]", "the member's name", |t| t == binh);
    s.quit();
    drop(d);
    let member = Store::open(&db).unwrap();
    assert_eq!(member.member_name().unwrap().as_deref(), Some(binh));
    drop(member);

    // The unit's laptop: «Tham gia tự đánh giá…» takes in its checklist and turns unit mode on.
    let db = dir.path().join("may-don-vi").join("kiemtra.sqlite3");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    std::fs::copy(&unit_invite, &chosen).unwrap();
    let d = start_driver(&db, &[("KIEMTRA_E2E_JOIN_FILE", &chosen)]);
    let s = Session::start(d.port, &d.display, env!("CARGO_BIN_EXE_kiemtra-desktop"));
    s.wait("[data-test=unit-filter]");
    press(&s, "[data-test=nav-team]");
    press(&s, "[data-test=self-join]");
    let banner = s.wait_text("[data-test=self-mode]", "unit mode", |t| t.contains("xã Hạ Lang"));
    assert!(banner.contains("tự đánh giá"), "{banner}");
    let notice = s.wait_text("[data-test=notice]", "joined", |t| t.starts_with("Máy này đã nhận"));
    assert!(
        notice.contains("xã Hạ Lang") && notice.contains(&team.fingerprint),
        "{notice}"
    );
    assert!(
        s.find_all("[data-test=nav-team]").is_empty(),
        "a unit's laptop has no team screen"
    );
    s.screenshot("39-don-vi-tham-gia");
    s.quit();
    drop(d);
    let unit_store = Store::open(&db).unwrap();
    assert_eq!(
        unit_store.self_assessment_unit().unwrap().as_deref(),
        Some(unit.id.as_str())
    );
    assert_eq!(
        unit_store.team_view().unwrap().unwrap().role_label,
        "đơn vị tự đánh giá"
    );
}
