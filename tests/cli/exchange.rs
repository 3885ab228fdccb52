//! Exchange files through the `kiemtra` binary: two laptops merging, the committed reference
//! file of format version 1 that every later version must still read, and a corpus of bad
//! files (truncated, flipped bytes, wrong magic, another app's zip, a newer version, oversized
//! and bomb-like entries, path-traversal names, duplicate entries, a hash mismatch), each
//! refused with a Vietnamese message and the database exactly as before.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::{assert_vietnamese, dump, Kiemtra};
use kiemtra_core::exchange::file::{self, Manifest, Records};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn reference() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/exchange-v1.kiemtra")
}

#[test]
fn two_laptops_merge_by_copying_one_file() {
    let a = Kiemtra::ready();
    let b = Kiemtra::ready();
    a.ok(&[
        "finding",
        "add",
        "ha lang",
        "--area",
        "3",
        "--kind",
        "ton_tai",
        "Tỷ lệ hồ sơ đúng hạn thấp",
    ]);
    let f0 = a.path("a0.kiemtra");
    let out = a.ok(&["exchange", "export", "--out", s(&f0)]);
    assert!(out.contains("14 đơn vị"), "{out}");
    let preview = b.ok(&["exchange", "preview", "--allow-unprotected", s(&f0)]);
    assert!(
        preview.contains("xã Hạ Lang") && preview.contains("Xem trước"),
        "{preview}"
    );
    let out = b.ok(&["exchange", "import", "--allow-unprotected", s(&f0)]);
    assert!(out.contains("Đã sao lưu trước khi nhập"), "{out}");
    let id = a.json(&["finding", "list", "ha lang"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    a.ok(&["finding", "edit", "ha lang", &id, "Tỷ lệ đúng hạn 86,5 % (máy An)"]);
    b.ok(&[
        "finding",
        "edit",
        "ha lang",
        &id,
        "Tỷ lệ đúng hạn chỉ 86,5 % (máy Bình)",
    ]);
    b.ok(&["figure", "set", "ha lang", "ho_so_tiep_nhan", "1.081"]);
    let fa = a.path("a1.kiemtra");
    a.ok(&["exchange", "export", "--out", s(&fa), "--unit", "ha lang"]);
    let out = b.ok(&["exchange", "import", "--allow-unprotected", s(&fa)]);
    assert!(out.contains("xung đột 1"), "{out}");
    assert!(b
        .ok(&["exchange", "import", "--allow-unprotected", s(&fa)])
        .contains("đã được nhập"));
    let conflicts = b.json(&["conflicts", "list"]);
    let c = &conflicts.as_array().unwrap()[0];
    let values: Vec<&str> = c["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert!(
        values.contains(&"Tỷ lệ đúng hạn 86,5 % (máy An)") && values.contains(&"Tỷ lệ đúng hạn chỉ 86,5 % (máy Bình)")
    );
    let listed = b.ok(&["conflicts", "list"]);
    assert!(listed.contains("Bế Thị Hà") || listed.contains("máy"), "{listed}");
    let msg = b.refused(&["conflicts", "resolve", c["id"].as_str().unwrap()]);
    assert!(msg.contains("--keep mine"), "{msg}");
    b.ok(&[
        "conflicts",
        "resolve",
        &c["id"].as_str().unwrap()[..6],
        "--keep",
        "theirs",
    ]);
    assert!(b.ok(&["conflicts", "list"]).contains("Không có xung đột"));
    let fb = b.path("b.kiemtra");
    b.ok(&["exchange", "export", "--out", s(&fb)]);
    a.ok(&["exchange", "import", "--allow-unprotected", s(&fb)]);
    for k in [&a, &b] {
        let f = k.json(&["finding", "list", "ha lang"]);
        assert_eq!(f[0]["text"], "Tỷ lệ đúng hạn 86,5 % (máy An)");
        let figs = k.json(&["figure", "list", "ha lang"]);
        let v = figs["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["key"] == "ho_so_tiep_nhan")
            .unwrap()["value"]
            .clone();
        assert_eq!(v, 1081.0);
        assert!(k.ok(&["conflicts", "list"]).contains("Không có xung đột"));
    }
    // An export never replaces a file.
    let msg = a.refused(&["exchange", "export", "--out", s(&fb)]);
    assert!(msg.contains("Đã có tệp"), "{msg}");
}

#[test]
fn the_reference_file_of_format_1_still_reads() {
    let k = Kiemtra::ready();
    // A file without the team's protection is read only when the user says so.
    let before = dump(&k.db);
    for cmd in ["preview", "import"] {
        let msg = k.refused(&["exchange", cmd, s(&reference())]);
        assert_vietnamese(&msg);
        assert!(
            msg.contains("Tệp không được bảo vệ") && msg.contains("--allow-unprotected"),
            "{msg}"
        );
    }
    assert_eq!(dump(&k.db), before);
    let out = k.ok(&["exchange", "import", "--allow-unprotected", s(&reference())]);
    assert!(out.contains("không được bảo vệ"), "{out}");
    assert!(out.contains("xã Hạ Lang"), "{out}");
    let findings = k.json(&["finding", "list", "ha lang"]);
    let texts: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.contains(&"221 thủ tục hành chính được công khai đầy đủ tại Trung tâm Phục vụ hành chính công"),
        "{texts:?}"
    );
    let recs = k.json(&["recommendation", "list", "ha lang"]);
    assert_eq!(recs[0]["number"], 1);
    assert_eq!(recs[0]["deadline"], "2026-12-31");
    let ev = k.json(&["evidence", "list", "ha lang"]);
    assert_eq!(ev.as_array().unwrap().len(), 1);
    assert_eq!(ev[0]["attachment_name"], "ke-hoach-cchc-2026.png");
    let figs = k.json(&["figure", "list", "ha lang"]);
    let rate = figs["rates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "ty_le_truc_tuyen")
        .unwrap()["display"]
        .clone();
    assert_eq!(rate, "40,1 %");
}

fn good_file(k: &Kiemtra) -> Vec<u8> {
    k.ok(&[
        "finding",
        "add",
        "ha lang",
        "--area",
        "1",
        "--kind",
        "dat_duoc",
        "Ban hành kế hoạch CCHC đúng hạn",
    ]);
    let png = k.path("anh.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n-- mot anh nho --").unwrap();
    k.ok(&[
        "evidence",
        "add",
        "ha lang",
        "1.1.1",
        s(&png),
        "--number",
        "125/KH-UBND",
    ]);
    let f = k.path("tot.kiemtra");
    k.ok(&["exchange", "export", "--out", s(&f), "--unit", "ha lang"]);
    std::fs::read(&f).unwrap()
}

/// A package written by the app's own writer from a parsed good file, changed by `edit`, and
/// sealed (so that what is tested is the check named, not the seal).
fn rewritten(good: &[u8], edit: impl FnOnce(&mut Manifest, &mut Records)) -> Vec<u8> {
    let mut pkg = file::Package::open(std::io::Cursor::new(good.to_vec())).unwrap();
    let (mut m, mut r) = (pkg.manifest.clone(), pkg.records.clone());
    let atts: Vec<(String, Vec<u8>)> = m
        .attachments
        .iter()
        .map(|a| (a.sha256.clone(), pkg.attachment(&a.sha256).unwrap()))
        .collect();
    edit(&mut m, &mut r);
    let mut bytes = file::write(std::io::Cursor::new(Vec::new()), m, &r, &mut |put| {
        for (sha, b) in &atts {
            put(sha, b)?;
        }
        Ok(())
    })
    .unwrap()
    .into_inner();
    file::seal_bytes(&mut bytes);
    bytes
}

/// A zip with the given entries, sealed like the app's files.
fn raw_zip(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.set_comment(format!("{}{}", file::SEAL_PREFIX, "0".repeat(64)))
        .unwrap();
    for (name, data) in entries {
        z.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(data).unwrap();
    }
    let mut bytes = z.finish().unwrap().into_inner();
    file::seal_bytes(&mut bytes);
    bytes
}

#[test]
fn bad_files_are_refused_and_change_nothing() {
    let src = Kiemtra::ready();
    let good = good_file(&src);
    let k = Kiemtra::ready();
    let before = dump(&k.db);
    let mut n = 0;
    let mut refuse = |name: &str, bytes: &[u8], expect: &str| {
        n += 1;
        let p = k.path(&format!("hong-{n}.kiemtra"));
        std::fs::write(&p, bytes).unwrap();
        for cmd in ["preview", "import"] {
            let msg = k.refused(&["exchange", cmd, "--allow-unprotected", s(&p)]);
            assert_vietnamese(&msg);
            assert!(msg.contains("Dữ liệu không bị thay đổi"), "{name}: {msg}");
            assert!(msg.contains(expect), "{name}: expected «{expect}» in {msg}");
        }
        assert_eq!(dump(&k.db), before, "{name} changed the database");
    };
    // Truncated at many offsets.
    let len = good.len();
    let mut cuts: Vec<usize> = vec![0, 1, 4, 30, 100, len / 2, len - 100, len - 65, len - 22, len - 1];
    cuts.extend((1..40).map(|i| i * len / 40));
    for c in cuts {
        refuse(&format!("cắt ở {c}"), &good[..c], "");
    }
    // One byte flipped, anywhere.
    for i in (0..len).step_by((len / 60).max(1)).chain([len - 1, len - 64, len - 70]) {
        let mut b = good.clone();
        b[i] ^= 0x20;
        refuse(&format!("đảo byte {i}"), &b, "");
    }
    // Not a zip at all; a zip of another app; the magic changed.
    refuse("văn bản", b"Day khong phai tep trao doi", "không phải tệp trao đổi");
    let mut pk = good.clone();
    pk[0] = b'X';
    refuse("sai magic", &pk, "");
    let mut other = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    other
        .start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    other.write_all(b"xin chao").unwrap();
    refuse(
        "zip khác",
        &other.finish().unwrap().into_inner(),
        "không phải tệp trao đổi",
    );
    // A newer format.
    refuse(
        "phiên bản mới",
        &rewritten(&good, |m, _| m.version = file::VERSION + 1),
        "phiên bản mới hơn",
    );
    // Entries that are not ours: path traversal, a stray file.
    let manifest = |good: &[u8]| {
        file::Package::open(std::io::Cursor::new(good.to_vec()))
            .unwrap()
            .manifest
    };
    let m = serde_json::to_vec(&manifest(&good)).unwrap();
    refuse(
        "đường dẫn ra ngoài",
        &raw_zip(&[(file::MANIFEST, m.clone()), ("../../../tmp/kiemtra-x", b"x".to_vec())]),
        "mục lạ",
    );
    refuse(
        "đường dẫn trong attachments",
        &raw_zip(&[
            (file::MANIFEST, m.clone()),
            ("attachments/../../etc/passwd", b"x".to_vec()),
        ]),
        "mục lạ",
    );
    // Oversized entries: a manifest past its bound, and a records entry that inflates far
    // past what the manifest declares (a zip bomb: refused after the declared size).
    refuse(
        "kiemtra.json quá lớn",
        &raw_zip(&[(file::MANIFEST, vec![b' '; 5 << 20])]),
        "giới hạn",
    );
    let mut bomb_manifest = manifest(&good);
    bomb_manifest.records_size = 1000;
    refuse(
        "bom nén",
        &raw_zip(&[
            (file::MANIFEST, serde_json::to_vec(&bomb_manifest).unwrap()),
            (file::RECORDS, vec![0u8; 64 << 20]),
        ]),
        "không khớp",
    );
    // Duplicate entries.
    // (The zip writer refuses two entries with one name: write another name of the same
    // length, then rename it in place and seal again.)
    let mut dup = raw_zip(&[(file::MANIFEST, m.clone()), ("kiemtra.jsoX", m.clone())]);
    let n = dup.len();
    for i in 0..n - 12 {
        if &dup[i..i + 12] == b"kiemtra.jsoX" {
            dup[i + 11] = b'n';
        }
    }
    file::seal_bytes(&mut dup);
    refuse("mục lặp", &dup, "");
    // Hashes: an attachment whose bytes are not those of its name, records that do not match
    // the manifest's hash.
    let mut wrong = manifest(&good);
    let sha = wrong.attachments[0].sha256.clone();
    let bytes = b"khong phai anh nay".to_vec();
    wrong.attachments[0].size = bytes.len() as u64;
    let records = {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(good.clone())).unwrap();
        let mut f = z.by_name(file::RECORDS).unwrap();
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut v).unwrap();
        v
    };
    refuse(
        "mã băm tệp đính kèm",
        &raw_zip(&[
            (file::MANIFEST, serde_json::to_vec(&wrong).unwrap()),
            (file::RECORDS, records.clone()),
            (&format!("attachments/{sha}"), bytes),
        ]),
        "mã băm",
    );
    let mut tampered = records.clone();
    let pos = tampered.windows(3).position(|w| w == b"Ban").unwrap();
    tampered[pos] = b'b';
    refuse(
        "records bị sửa",
        &raw_zip(&[(file::MANIFEST, m.clone()), (file::RECORDS, tampered)]),
        "mã băm",
    );
    // A record of a table the app does not have.
    refuse(
        "bảng lạ",
        &rewritten(&good, |_, r| r.records[0].t = "sqlite_master".into()),
        "bảng lạ",
    );
    // A field named like SQL.
    refuse(
        "trường lạ",
        &rewritten(&good, |_, r| {
            let st = r.records[0].f.values().next().unwrap().clone();
            r.records[0].f.insert("text; DROP TABLE finding".into(), st);
        }),
        "trường lạ",
    );
    // And the good file still imports.
    let p = k.path("tot.kiemtra");
    std::fs::write(&p, &good).unwrap();
    k.ok(&["exchange", "import", "--allow-unprotected", s(&p)]);
    assert_ne!(dump(&k.db), before);
}
