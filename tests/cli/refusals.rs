//! Bad input gets a clear Vietnamese message (exit 1) and changes nothing; wrong usage
//! exits 2.

use crate::common::{assert_vietnamese, dump, Kiemtra};

/// Each case: the arguments, and a phrase the message must contain.
#[test]
fn every_bad_input_is_refused_with_a_message_and_changes_nothing() {
    let k = Kiemtra::ready();
    k.ok(&["figure", "set", "ha lang", "ho_so_da_giai_quyet", "1.068"]);
    k.ok(&["checklist", "set", "ha lang", "3.3.1", "--self", "4"]);
    let bad_template = k.path("hong.toml");
    let good = k.ok(&["template", "export", "--kind", "xa"]);
    std::fs::write(
        &bad_template,
        good.replacen("version = \"2026.1\"", "version = \"x\"", 1)
            .replacen("max = 0.75", "max = 7.75", 1),
    )
    .unwrap();
    let unknown_rule = k.path("quy-tac-la.toml");
    std::fs::write(
        &unknown_rule,
        good.replacen("version = \"2026.1\"", "version = \"y\"", 1)
            .replacen("type = \"done\"", "type = \"tuy_y\"", 1),
    )
    .unwrap();
    let dup = k.path("trung-ma.toml");
    std::fs::write(
        &dup,
        good.replacen("version = \"2026.1\"", "version = \"z\"", 1)
            .replacen("code = \"1.1.2\"", "code = \"1.1.1\"", 1),
    )
    .unwrap();
    let bad_fig = k.path("chi-so-la.toml");
    std::fs::write(
        &bad_fig,
        good.replacen("version = \"2026.1\"", "version = \"w\"", 1).replacen(
            "numerator = \"ho_so_dung_han\"",
            "numerator = \"ho_so_dung_gio\"",
            1,
        ),
    )
    .unwrap();
    let binary = k.path("anh.toml");
    std::fs::write(&binary, [0xFFu8, 0xD8, 0xFF, 0x00, 0x81]).unwrap();

    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["checklist", "show", "xã Không Có"],
            "Không tìm thấy đơn vị «xã Không Có»",
        ),
        (
            vec!["checklist", "set", "ha", "1.1.1", "--self", "0"],
            "khớp với nhiều đơn vị",
        ),
        (
            vec!["checklist", "set", "ha lang", "3.9.9", "--team", "1"],
            "Không tìm thấy tiêu chí «3.9.9»",
        ),
        (
            vec!["checklist", "set", "ha lang", "3.3.1", "--team", "5,5"],
            "vượt điểm tối đa 5",
        ),
        (
            vec!["checklist", "set", "ha lang", "3.3.1", "--self", "-1"],
            "không được âm",
        ),
        (
            vec!["checklist", "set", "ha lang", "3.3.1", "--team", "năm"],
            "không phải là số",
        ),
        (
            vec!["checklist", "set", "ha lang", "1.1.1", "--status", "xuat_sac"],
            "Mức «xuat_sac» không có ở tiêu chí 1.1.1",
        ),
        (
            vec!["checklist", "set", "ha lang", "8.1.1", "--team", "1"],
            "không chấm khi kiểm tra",
        ),
        (
            vec!["figure", "set", "ha lang", "ho_so_tiep_nhan", "-5"],
            "không được âm",
        ),
        (
            vec!["figure", "set", "ha lang", "ho_so_tiep_nhan", "nhiều"],
            "không phải là số nguyên",
        ),
        (
            vec!["figure", "set", "ha lang", "ho_so_tiep_nhan", "10,5"],
            "không phải là số nguyên",
        ),
        (
            vec!["figure", "set", "ha lang", "ho_so_dung_han", "1.069"],
            "vượt quá số hồ sơ đã giải quyết (1.068)",
        ),
        (
            vec!["figure", "set", "ha lang", "ho_so_ma", "3"],
            "Chỉ số «ho_so_ma» không có",
        ),
        (
            vec!["finding", "add", "ha lang", "--area", "12", "--kind", "ton_tai", "x"],
            "Lĩnh vực «12» không có",
        ),
        (
            vec!["finding", "add", "ha lang", "--area", "3", "--kind", "khen", "x"],
            "Loại nhận xét «khen» không hợp lệ",
        ),
        (
            vec![
                "recommendation",
                "add",
                "ha lang",
                "Khắc phục",
                "--deadline",
                "31/02/2027",
            ],
            "Ngày «31/02/2027» không có trong lịch: tháng 2 năm 2027 chỉ có 28 ngày",
        ),
        (
            vec!["evidence", "add", "ha lang", "1.1.1", "/khong/co/tep.jpg"],
            "Không đọc được tệp",
        ),
        (
            vec!["template", "import", bad_template.to_str().unwrap()],
            "tổng điểm tối đa",
        ),
        (
            vec!["template", "import", unknown_rule.to_str().unwrap()],
            "loại quy tắc «tuy_y» không tồn tại",
        ),
        (
            vec!["template", "import", dup.to_str().unwrap()],
            "mục «1.1.1», trường «code»: mã bị trùng",
        ),
        (
            vec!["template", "import", bad_fig.to_str().unwrap()],
            "chỉ số «ho_so_dung_gio» không tồn tại",
        ),
        (
            vec!["template", "import", binary.to_str().unwrap()],
            "không phải tệp văn bản UTF-8",
        ),
        (
            vec!["units", "add", "xã Hạ Lang", "--kind", "xa"],
            "Đã có đơn vị «xã Hạ Lang»",
        ),
        (
            vec!["units", "add", "xã Mới", "--kind", "huyen"],
            "Loại đơn vị «huyen» không hợp lệ",
        ),
        (vec!["backup", k.db.to_str().unwrap()], "Đã có tệp"),
        (
            vec![
                "recommendation",
                "add",
                "ha lang",
                "Khắc phục",
                "--deadline",
                "31/12/26",
            ],
            "năm đủ bốn chữ số",
        ),
        (
            vec!["figure", "set", "ha lang", "ho_so_tiep_nhan", "99999999999999999999"],
            "quá lớn",
        ),
        (
            vec!["figure", "set", "ha lang", "ho_so_tiep_nhan", "1e3"],
            "không phải là số nguyên",
        ),
        (
            vec!["figure", "clear", "ha lang", "ho_so_ma"],
            "Chỉ số «ho_so_ma» không có",
        ),
        (
            vec!["checklist", "show", "ha lang", "--area", "9"],
            "Lĩnh vực «9» không có",
        ),
        (
            vec![
                "units",
                "merge",
                "ha lang",
                "xã Hạ Lang",
                "--into",
                "xã Mới",
                "--kind",
                "xa",
            ],
            "kể hai lần",
        ),
        (
            vec!["recommendation", "state", "ha lang", "7", "da_khac_phuc"],
            "không có kiến nghị số 7",
        ),
        (vec!["evidence", "add", "ha lang", "1.1.1", "/tmp"], "không phải là tệp"),
    ];
    let before = dump(&k.db);
    for (args, phrase) in &cases {
        let msg = k.refused(args);
        assert!(msg.contains(phrase), "kiemtra {args:?}: expected «{phrase}» in\n{msg}");
        assert_eq!(dump(&k.db), before, "kiemtra {args:?} changed the database");
    }
}

/// With --json a refusal is also `{code, message}` on stdout: scripts act on the code.
#[test]
fn with_json_a_refusal_gives_its_code_and_message() {
    let k = Kiemtra::ready();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["units", "add", "xã Hạ Lang", "--kind", "xa"], "duplicate"),
        (vec!["units", "add", "xã Mới", "--kind", "huyen"], "bad_choice"),
        (vec!["backup", k.db.to_str().unwrap()], "file_exists"),
        (
            vec![
                "recommendation",
                "add",
                "ha lang",
                "Khắc phục",
                "--deadline",
                "31/11/2026",
            ],
            "bad_date",
        ),
        (vec!["figure", "set", "ha lang", "ho_so_tiep_nhan", "1e3"], "bad_number"),
        (
            vec!["checklist", "set", "ha lang", "1.1.1", "--team", "9"],
            "score_out_of_range",
        ),
        (
            vec!["recommendation", "state", "ha lang", "7", "da_khac_phuc"],
            "not_found",
        ),
        (vec!["evidence", "add", "ha lang", "1.1.1", "/tmp"], "bad_path"),
        (vec!["undo"], "nothing_to_undo"),
        (vec!["units", "history", "khong co"], "not_found"),
    ];
    for (args, code) in &cases {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        let msg = k.refused(&a);
        let j: serde_json::Value = serde_json::from_str(&k.run(&a).stdout).expect("JSON on stdout");
        assert_eq!(j["code"], *code, "kiemtra {a:?}: {j}");
        assert_eq!(
            format!("Lỗi: {}\n", j["message"].as_str().unwrap()),
            msg,
            "kiemtra {a:?}"
        );
    }
}

#[test]
fn wrong_usage_exits_2() {
    let k = Kiemtra::ready();
    for (args, phrase) in [
        (vec!["checklist"], "thiếu lệnh"),
        (vec!["figure", "set", "ha lang"], "thiếu <CHỈ_SỐ>"),
        (vec!["no-such-command"], "không có lệnh «no-such-command»"),
        (vec!["score", "--bogus"], "không có tùy chọn «--bogus»"),
    ] {
        let o = k.run(&args);
        assert_eq!(o.code, 2, "kiemtra {args:?}: {}", o.stderr);
        assert!(
            o.stderr.starts_with("Lỗi: ") && o.stderr.contains(phrase),
            "{}",
            o.stderr
        );
        assert!(o.stderr.contains("Cách dùng: kiemtra"), "{}", o.stderr);
        assert_vietnamese(&o.stderr);
    }
    // Help is Vietnamese.
    let help = k.ok(&["checklist", "set", "--help"]);
    assert!(
        help.contains("Chấm một tiêu chí") && help.contains("Tùy chọn:") && help.contains("In trợ giúp"),
        "{help}"
    );
}

#[test]
fn unusable_databases_are_refused_and_left_as_they_were() {
    let k = Kiemtra::new();
    // Not initialised yet.
    let msg = k.refused(&["units", "list"]);
    assert!(
        msg.contains("Chưa có cơ sở dữ liệu") && msg.contains("kiemtra init"),
        "{msg}"
    );
    assert!(!k.db.exists());

    // A damaged file.
    let damaged = k.path("hong.sqlite3");
    std::fs::write(&damaged, "Đây không phải cơ sở dữ liệu".repeat(200)).unwrap();
    let before = std::fs::read(&damaged).unwrap();
    let o = Kiemtra::run_on(&damaged, &["plan", "show"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr
            .contains("bị hỏng hoặc không phải cơ sở dữ liệu của Kiểm tra CCHC"),
        "{}",
        o.stderr
    );
    assert_eq!(std::fs::read(&damaged).unwrap(), before);
    let o = Kiemtra::run_on(&damaged, &["init"]);
    assert_eq!(o.code, 1, "init must not overwrite a damaged file: {}", o.stdout);
    assert_eq!(std::fs::read(&damaged).unwrap(), before);

    // A database from a newer version of the app.
    let k2 = Kiemtra::ready();
    {
        let c = rusqlite::Connection::open(&k2.db).unwrap();
        c.pragma_update(None, "user_version", 11).unwrap();
    }
    let before = dump(&k2.db);
    let msg = k2.refused(&["units", "list"]);
    assert!(msg.contains("phiên bản mới hơn") && msg.contains("lược đồ 11"), "{msg}");
    assert_eq!(dump(&k2.db), before);

    // A folder that cannot be created (its parent is a file), and one the system refuses.
    let file = k.path("mot-tep");
    std::fs::write(&file, "x").unwrap();
    let o = Kiemtra::run_on(&file.join("du-lieu.sqlite3"), &["init"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("Không tạo được thư mục"), "{}", o.stderr);
    let o = Kiemtra::run_on(std::path::Path::new("/proc/kiemtra/du-lieu.sqlite3"), &["init"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.starts_with("Lỗi: "), "{}", o.stderr);
}

/// A full disk: the write is refused with a message about the disk, and once space is
/// freed the data is exactly as before. The database sits on a 4 MB tmpfs filled to the
/// last byte, mounted in a private mount namespace (`unshare -rm`, util-linux), so the
/// test needs no privileges on the machine itself.
#[test]
fn a_full_disk_is_reported_and_loses_nothing() {
    let k = Kiemtra::ready();
    k.ok(&["figure", "set", "ha lang", "ho_so_tiep_nhan", "1.081"]);
    let before = dump(&k.db);
    let after = k.path("sau-khi-day.sqlite3");
    let err = k.path("loi.txt");
    let script = r#"set -u
d=$(mktemp -d)
mount -t tmpfs -o size=4m tmpfs "$d" || { echo "không gắn được tmpfs" >&2; exit 90; }
cp "$DB" "$d/k.sqlite3"
dd if=/dev/zero of="$d/filler" bs=4k 2>/dev/null
"$KT" --db "$d/k.sqlite3" figure set "ha lang" ho_so_tiep_nhan 2000 2>>"$ERR"; a=$?
"$KT" --db "$d/k.sqlite3" finding add "ha lang" --area 3 --kind ton_tai "Ghi khi ổ đĩa đầy" 2>>"$ERR"; b=$?
rm -f "$d/filler"
"$KT" --db "$d/k.sqlite3" backup "$OUT" >/dev/null || exit 91
echo "$a $b"
"#;
    let o = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", script])
        .env("DB", &k.db)
        .env("KT", env!("CARGO_BIN_EXE_kiemtra"))
        .env("OUT", &after)
        .env("ERR", &err)
        .output()
        .expect("unshare (util-linux) runs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "the namespace script failed: {stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(stdout.trim(), "1 1", "both writes must be refused on a full disk");
    let msgs = std::fs::read_to_string(&err).unwrap();
    for line in msgs.lines() {
        assert!(
            line.starts_with("Lỗi: ") && line.contains("ổ đĩa") && !line.contains("bị hỏng"),
            "{msgs}"
        );
    }
    assert_eq!(dump(&after), before, "a write on a full disk changed the data");
}

/// What the window asks to confirm or points out, the command line says too: a deadline
/// already past is refused until `--force` (nothing kept before), and a team score that
/// contradicts the level chosen is saved with a warning naming both.
#[test]
fn a_past_deadline_needs_force_and_a_score_against_its_level_is_pointed_out() {
    let k = Kiemtra::ready_at("2026-10-16T09:00:00+07:00");
    let before = dump(&k.db);
    let add = [
        "recommendation",
        "add",
        "ha lang",
        "Bổ sung sổ theo dõi",
        "--deadline",
        "30/9/2026",
    ];
    let e = k.json_refused(&add);
    assert_eq!(e["code"], "deadline_past", "{e}");
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("30/09/2026") && msg.contains("16/10/2026") && msg.contains("--force"),
        "{msg}"
    );
    assert_eq!(dump(&k.db), before, "a refused deadline changed the data");
    let mut forced = add.to_vec();
    forced.push("--force");
    assert!(k.ok(&forced).contains("Đã thêm kiến nghị số 1"));
    // Editing it to another past day asks again; keeping the day it has does not.
    let edit = ["recommendation", "edit", "ha lang", "1", "--deadline", "29/9/2026"];
    assert_eq!(k.json_refused(&edit)["code"], "deadline_past");
    k.ok(&[
        "recommendation",
        "edit",
        "ha lang",
        "1",
        "--deadline",
        "30/9/2026",
        "--text",
        "Bổ sung sổ",
    ]);
    // A future deadline is not asked about.
    k.ok(&[
        "recommendation",
        "add",
        "ha lang",
        "Tập huấn",
        "--deadline",
        "30/11/2026",
    ]);

    let out = k.ok(&[
        "checklist",
        "set",
        "ha lang",
        "1.1.1",
        "--status",
        "dung_han",
        "--team",
        "0,5",
    ]);
    assert!(
        out.contains("Lưu ý: Điểm đoàn chấm 0,5 khác điểm của mức «") && out.contains("(0,75)"),
        "{out}"
    );
    let agreed = k.ok(&["checklist", "set", "ha lang", "1.1.1", "--team", "0,75"]);
    assert!(!agreed.contains("Lưu ý"), "{agreed}");
}
