//! The exchange file (`.kiemtra`): a zip with
//!
//! - `kiemtra.json`: the manifest (format name and version first, who made it, which plan and
//!   units, counts, the SHA-256 and size of `records.json` and of every attachment);
//! - `records.json`: every exported record, each field with its value, clock, version vector,
//!   who and when, and any concurrent versions not yet resolved;
//! - `attachments/<sha256>`: each attached file once, stored as it is;
//! - in a file of a team laptop (version 3): `roster.json`, the lead's signed list of the
//!   team's laptops, and `kiemtra.sig`, the exporting laptop's signature of the manifest's
//!   exact bytes (which name the hash of every other entry). Such a file travels sealed
//!   (`format::sealed`): the zip is the plaintext of an age file.
//!
//! Nothing in a file is trusted. [`Package::open`] checks, before anything is imported: that it
//! is a zip, that the manifest says this format in a version this build reads, that every entry
//! name is one of the three forms (names never become paths), that no entry is duplicated or
//! larger than its bound (no zip bomb: nothing is inflated past its limit), that the records
//! parse and their clocks are well formed, and that every hash matches.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::clock::{Hlc, Vv};
use crate::domain::digest::sha256_hex;
use crate::domain::text::excerpt;
use crate::error::{Error, Refusal, Result};

pub const FORMAT: &str = "kiemtra-trao-doi";
/// The format this build writes; it reads every version up to this one.
/// 1: issue 5. 2: schema 4 (the unit's self figures, the source of evidence, remediation
/// reports' scans, carried recommendations): a build that reads only version 1 says the file
/// is newer instead of calling its new table damaged. 3: the team's keys (issue 13): who made
/// the file (team, laptop, member, sequence number) in the manifest, its signature and the
/// roster beside it.
pub const VERSION: u32 = 3;
pub const EXTENSION: &str = "kiemtra";

pub const MANIFEST: &str = "kiemtra.json";
pub const RECORDS: &str = "records.json";
pub const ATTACHMENTS: &str = "attachments/";
pub const SIGNATURE: &str = "kiemtra.sig";
pub const ROSTER: &str = "roster.json";
const MAX_SIGNATURE: u64 = 1 << 10;
const MAX_ROSTER_ENTRY: u64 = (crate::domain::trust::MAX_ROSTER as u64) * 2;

/// The archive comment: this prefix and the SHA-256 (hex) of every byte of the file before
/// the 64 hex digits. Any byte changed anywhere in the file is noticed.
pub const SEAL_PREFIX: &str = "kiemtra-sha256:";
const SEAL_LEN: usize = 64;

pub const MAX_ENTRIES: usize = 100_000;
pub const MAX_MANIFEST: u64 = 4 << 20;
pub const MAX_RECORDS: u64 = 1 << 30;
pub const MAX_ATTACHMENT: u64 = 200 << 20;
pub const MAX_TOTAL: u64 = 32 << 30;
const MAX_ALT: usize = 64;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UnitRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AttachmentRef {
    pub sha256: String,
    pub size: u64,
    #[serde(default)]
    pub media_type: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub app_version: String,
    pub created_at: String,
    pub device_id: String,
    pub inspector: String,
    pub plan_id: String,
    pub plan_title: String,
    pub units: Vec<UnitRef>,
    pub records: usize,
    pub fields: usize,
    pub records_sha256: String,
    pub records_size: u64,
    pub attachments: Vec<AttachmentRef>,
    /// Who made it, in a team laptop's file (version 3); proven by `kiemtra.sig`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub team_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub laptop_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub member: String,
    /// The laptop's count of files it exported, this one included.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seq: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub roster_serial: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// What a team laptop adds to its file: the roster's bytes and its signature of the manifest.
pub struct Signing<'a> {
    pub roster: &'a [u8],
    pub sign: &'a dyn Fn(&[u8]) -> String,
}

/// One version of a field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FieldVersion {
    /// The value: null, a number or a string.
    pub v: serde_json::Value,
    /// The clock of the change that wrote it (none, written "", for a value nobody has
    /// changed).
    #[serde(with = "crate::domain::clock::opt")]
    pub h: Option<Hlc>,
    pub vv: Vv,
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub at: String,
}

/// A field: the version the record shows and the concurrent ones kept beside it. In the
/// file the shown version's keys sit beside `alt` (`{"v":…,"h":…,"vv":…,"alt":[…]}`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(from = "FlatField", into = "FlatField")]
pub struct FieldState {
    pub main: FieldVersion,
    pub alt: Vec<FieldVersion>,
}

/// The file's shape of a field (serde's `flatten` would buffer every field: slow).
#[derive(Serialize, Deserialize)]
struct FlatField {
    v: serde_json::Value,
    #[serde(with = "crate::domain::clock::opt")]
    h: Option<Hlc>,
    vv: Vv,
    #[serde(default)]
    by: String,
    #[serde(default)]
    at: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    alt: Vec<FieldVersion>,
}

impl From<FlatField> for FieldState {
    fn from(f: FlatField) -> FieldState {
        FieldState {
            main: FieldVersion {
                v: f.v,
                h: f.h,
                vv: f.vv,
                by: f.by,
                at: f.at,
            },
            alt: f.alt,
        }
    }
}

impl From<FieldState> for FlatField {
    fn from(f: FieldState) -> FlatField {
        FlatField {
            v: f.main.v,
            h: f.main.h,
            vv: f.main.vv,
            by: f.main.by,
            at: f.main.at,
            alt: f.alt,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    /// The table.
    pub t: String,
    pub id: String,
    pub f: BTreeMap<String, FieldState>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Records {
    pub records: Vec<Record>,
    /// The items of the checklist templates the records use (immutable, by template id).
    pub template_items: Vec<BTreeMap<String, serde_json::Value>>,
}

/// The tables whose records travel, in an order that inserts referenced records first.
pub const TABLES: &[&str] = &[
    "plan",
    "team",
    "team_member",
    "unit",
    "unit_event",
    "template",
    "inspection",
    "response",
    "figure",
    "self_figure",
    "evidence",
    "finding",
    "recommendation",
    "document",
    "report",
];

fn not_ours(why: &str) -> Error {
    Refusal::ExchangeForeign.err(format!(
        "Tệp không phải tệp trao đổi hợp lệ của Kiểm tra CCHC ({why}). Dữ liệu không bị thay đổi."
    ))
}

fn damaged(why: impl std::fmt::Display) -> Error {
    Refusal::ExchangeDamaged.err(format!(
        "Tệp trao đổi bị hỏng hoặc không đầy đủ ({why}); có thể tệp bị cắt khi chép hoặc gửi. \
         Hãy xin lại tệp từ máy đã xuất. Dữ liệu không bị thay đổi."
    ))
}

use crate::domain::digest::hex;

fn is_sha(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// (Each clock was read as a clock when the records were parsed; see [`bad_clock`].)
fn check_version(v: &FieldVersion, what: &str) -> Result<()> {
    if v.vv.0.len() > 1000 || v.vv.0.keys().any(|d| d.is_empty() || d.len() > 80) {
        return Err(damaged(format!("véc-tơ phiên bản không hợp lệ ở {what}")));
    }
    match &v.v {
        serde_json::Value::Null | serde_json::Value::Number(_) => {}
        serde_json::Value::String(s) if s.len() <= 1 << 20 => {}
        _ => return Err(damaged(format!("giá trị không hợp lệ ở {what}"))),
    }
    if v.by.len() > 500 || v.at.len() > 100 {
        return Err(damaged(format!("thông tin người sửa không hợp lệ ở {what}")));
    }
    Ok(())
}

impl Records {
    /// Structure checks that need no database: tables, ids, field names, clocks, values.
    pub fn check(&self) -> Result<()> {
        let mut seen = BTreeSet::new();
        for r in &self.records {
            if !TABLES.contains(&r.t.as_str()) {
                return Err(damaged(format!("bảng lạ «{}»", excerpt(&r.t, 40))));
            }
            if r.id.is_empty() || r.id.len() > 100 || r.id.chars().any(char::is_control) {
                return Err(damaged("mã bản ghi không hợp lệ"));
            }
            if !seen.insert((r.t.as_str(), r.id.as_str())) {
                return Err(damaged(format!("bản ghi {} {} lặp lại", r.t, excerpt(&r.id, 40))));
            }
            if r.f.is_empty() || r.f.len() > 100 {
                return Err(damaged(format!(
                    "bản ghi {} {} không có trường hợp lệ",
                    r.t,
                    excerpt(&r.id, 40)
                )));
            }
            for (name, st) in &r.f {
                if !is_ident(name) || ["id", "updated_at", "device_id", "hlc"].contains(&name.as_str()) {
                    return Err(damaged(format!("trường lạ «{}»", excerpt(name, 40))));
                }
                let what = format!("{}.{}", r.t, name);
                check_version(&st.main, &what)?;
                if st.alt.len() > MAX_ALT {
                    return Err(damaged(format!("quá nhiều phiên bản ở {what}")));
                }
                for a in &st.alt {
                    check_version(a, &what)?;
                    if a.h.is_none() {
                        return Err(damaged(format!("phiên bản không có đồng hồ ở {what}")));
                    }
                }
            }
        }
        for item in &self.template_items {
            if item.len() > 20 || item.keys().any(|k| !is_ident(k)) {
                return Err(damaged("mục bộ tiêu chí không hợp lệ"));
            }
        }
        Ok(())
    }

    pub fn field_count(&self) -> usize {
        self.records.iter().map(|r| r.f.len()).sum()
    }
}

/// The clocks of records.json as plain text: read only when the records did not parse, to
/// say which field's clock is damaged.
#[derive(Deserialize)]
struct RawVersion {
    h: String,
    vv: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct RawField {
    h: String,
    vv: BTreeMap<String, String>,
    #[serde(default)]
    alt: Vec<RawVersion>,
}

#[derive(Deserialize)]
struct RawRecord {
    t: String,
    f: BTreeMap<String, RawField>,
}

#[derive(Deserialize)]
struct RawRecords {
    records: Vec<RawRecord>,
}

/// Where records.json holds a clock that is not one ("đồng hồ không hợp lệ ở response.note").
fn bad_clock(json: &[u8]) -> Option<String> {
    let raw: RawRecords = serde_json::from_slice(json).ok()?;
    for r in &raw.records {
        for (name, f) in &r.f {
            let what = format!("{}.{}", excerpt(&r.t, 40), excerpt(name, 40));
            let versions = std::iter::once((&f.h, &f.vv)).chain(f.alt.iter().map(|a| (&a.h, &a.vv)));
            for (h, vv) in versions {
                if !h.is_empty() && h.parse::<Hlc>().is_err() {
                    return Some(format!("đồng hồ không hợp lệ ở {what}"));
                }
                if vv.values().any(|h| h.parse::<Hlc>().is_err()) {
                    return Some(format!("véc-tơ phiên bản không hợp lệ ở {what}"));
                }
            }
        }
    }
    None
}

/// Receives each attachment (its SHA-256 and bytes) as the writer puts it in the file.
pub type PutAttachment<'a> = dyn FnMut(&str, &[u8]) -> Result<()> + 'a;

/// Write a package: the manifest first, then the records, then each attachment once (the
/// caller hands them to `put`).
pub fn write<W: Write + Seek>(
    out: W,
    manifest: Manifest,
    records: &Records,
    attachments: &mut dyn FnMut(&mut PutAttachment<'_>) -> Result<()>,
) -> Result<W> {
    write_signed(out, manifest, records, attachments, None)
}

/// The same, with a team laptop's roster and signature (`kiemtra.sig` signs the manifest's
/// bytes exactly as written).
pub fn write_signed<W: Write + Seek>(
    out: W,
    mut manifest: Manifest,
    records: &Records,
    attachments: &mut dyn FnMut(&mut PutAttachment<'_>) -> Result<()>,
    signing: Option<Signing<'_>>,
) -> Result<W> {
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;
    let json = serde_json::to_vec(records).expect("records serialise");
    manifest.records_sha256 = sha256_hex(&json);
    manifest.records_size = json.len() as u64;
    manifest.records = records.records.len();
    manifest.fields = records.field_count();
    let zerr = |_: zip::result::ZipError| {
        Refusal::WriteFailed
            .err("Không ghi được tệp trao đổi (ổ đĩa đầy hoặc không ghi được). Hãy chọn nơi khác rồi thử lại.")
    };
    let ioerr = |_: std::io::Error| {
        Refusal::WriteFailed
            .err("Không ghi được tệp trao đổi (ổ đĩa đầy hoặc không ghi được). Hãy chọn nơi khác rồi thử lại.")
    };
    let mut z = zip::ZipWriter::new(out);
    z.set_comment(format!("{SEAL_PREFIX}{}", "0".repeat(SEAL_LEN)))
        .map_err(zerr)?;
    let deflate = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(json.len() as u64 > u32::MAX as u64 / 2);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
    z.start_file(MANIFEST, deflate).map_err(zerr)?;
    z.write_all(&manifest_bytes).map_err(ioerr)?;
    if let Some(s) = &signing {
        z.start_file(SIGNATURE, deflate).map_err(zerr)?;
        z.write_all((s.sign)(&manifest_bytes).as_bytes()).map_err(ioerr)?;
        z.start_file(ROSTER, deflate).map_err(zerr)?;
        z.write_all(s.roster).map_err(ioerr)?;
    }
    z.start_file(RECORDS, deflate).map_err(zerr)?;
    z.write_all(&json).map_err(ioerr)?;
    let mut names = BTreeSet::new();
    attachments(&mut |sha: &str, bytes: &[u8]| {
        if !names.insert(sha.to_string()) {
            return Ok(());
        }
        // Photos and scans are compressed already: stored as they are.
        let opts = stored.large_file(bytes.len() as u64 > u32::MAX as u64 / 2);
        z.start_file(format!("{ATTACHMENTS}{sha}"), opts).map_err(zerr)?;
        z.write_all(bytes).map_err(ioerr)
    })?;
    z.finish().map_err(zerr)
}

/// Write the seal into a file made by [`write`]: the hash of everything before it.
pub fn seal_file(path: &std::path::Path) -> Result<()> {
    use std::io::SeekFrom;
    let io = |e: std::io::Error| Error::io("ghi được tệp", path, e);
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(io)?;
    let len = f.metadata().map_err(io)?.len();
    let body = len
        .checked_sub(SEAL_LEN as u64)
        .ok_or_else(|| Refusal::WriteFailed.err("Tệp trao đổi quá ngắn."))?;
    let hex = hash_prefix(&mut f, body).map_err(io)?;
    f.seek(SeekFrom::Start(body)).map_err(io)?;
    f.write_all(hex.as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)
}

/// The same, for a file held in memory.
pub fn seal_bytes(bytes: &mut [u8]) {
    let body = bytes.len() - SEAL_LEN;
    let hex = sha256_hex(&bytes[..body]);
    bytes[body..].copy_from_slice(hex.as_bytes());
}

fn hash_prefix<R: Read + Seek>(r: &mut R, n: u64) -> std::io::Result<String> {
    r.seek(std::io::SeekFrom::Start(0))?;
    let mut h = Sha256::new();
    let mut left = n;
    let mut buf = vec![0u8; 1 << 20];
    while left > 0 {
        let want = left.min(buf.len() as u64) as usize;
        r.read_exact(&mut buf[..want])?;
        h.update(&buf[..want]);
        left -= want as u64;
    }
    Ok(hex(&h.finalize()))
}

/// An opened, checked package. Attachments are read (and their hashes checked again) when
/// they are imported.
pub struct Package<R: Read + Seek> {
    pub manifest: Manifest,
    /// The manifest's bytes as they are in the file (what `kiemtra.sig` signs).
    pub manifest_bytes: Vec<u8>,
    /// `kiemtra.sig` and `roster.json`, if the file has them (checked by the caller, who
    /// knows the team's key).
    pub signature: Option<String>,
    pub roster: Option<Vec<u8>>,
    pub records: Records,
    archive: zip::ZipArchive<R>,
    attachment_index: BTreeMap<String, usize>,
}

fn read_limited(r: &mut dyn Read, declared: u64, limit: u64, name: &str) -> Result<Vec<u8>> {
    if declared > limit {
        return Err(damaged(format!("mục «{}» lớn quá giới hạn", excerpt(name, 40))));
    }
    let mut buf = Vec::with_capacity(declared.min(64 << 20) as usize);
    r.take(declared.min(limit) + 1)
        .read_to_end(&mut buf)
        .map_err(|_| damaged(format!("không giải nén được mục «{}»", excerpt(name, 40))))?;
    if buf.len() as u64 > limit || buf.len() as u64 != declared {
        return Err(damaged(format!("kích thước mục «{}» không khớp", excerpt(name, 40))));
    }
    Ok(buf)
}

impl<R: Read + Seek> Package<R> {
    pub fn open(mut reader: R) -> Result<Package<R>> {
        let len = reader
            .seek(std::io::SeekFrom::End(0))
            .map_err(|_| damaged("không đọc được tệp"))?;
        reader
            .seek(std::io::SeekFrom::Start(0))
            .map_err(|_| damaged("không đọc được tệp"))?;
        let mut archive = zip::ZipArchive::new(reader).map_err(|_| not_ours("không phải tệp nén zip"))?;
        if archive.len() > MAX_ENTRIES {
            return Err(damaged("quá nhiều mục"));
        }
        // Names first: only the three known forms, each once.
        let mut names = BTreeMap::new();
        let mut attachment_index = BTreeMap::new();
        let mut total: u64 = 0;
        for i in 0..archive.len() {
            let f = archive
                .by_index_raw(i)
                .map_err(|_| damaged(format!("mục thứ {} không đọc được", i + 1)))?;
            let name = f.name().map_err(|_| damaged("tên mục không đọc được"))?.to_string();
            total = total.saturating_add(f.size());
            let ok = name == MANIFEST
                || name == RECORDS
                || name == SIGNATURE
                || name == ROSTER
                || name.strip_prefix(ATTACHMENTS).is_some_and(is_sha);
            if !ok {
                return Err(not_ours(&format!("có mục lạ «{}»", excerpt(&name, 40))));
            }
            if names.insert(name.clone(), i).is_some() {
                return Err(damaged(format!("mục «{}» lặp lại", excerpt(&name, 40))));
            }
            if let Some(sha) = name.strip_prefix(ATTACHMENTS) {
                attachment_index.insert(sha.to_string(), i);
            }
        }
        if total > MAX_TOTAL {
            return Err(damaged("tổng dung lượng quá giới hạn"));
        }
        let mi = *names.get(MANIFEST).ok_or_else(|| not_ours("thiếu kiemtra.json"))?;
        let manifest_bytes = {
            let mut f = archive
                .by_index(mi)
                .map_err(|_| damaged("kiemtra.json không đọc được"))?;
            let size = f.size();
            read_limited(&mut f, size, MAX_MANIFEST, MANIFEST)?
        };
        // The format and its version come first (a newer app may seal its files differently).
        let head: serde_json::Value =
            serde_json::from_slice(&manifest_bytes).map_err(|_| not_ours("kiemtra.json hỏng"))?;
        if head.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(not_ours("không đúng định dạng"));
        }
        let version = head.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version > VERSION as u64 {
            return Err(Refusal::ExchangeTooNew.err(format!(
                "Tệp trao đổi được tạo bởi phiên bản mới hơn của ứng dụng (định dạng {version}; phiên bản này đọc được đến {VERSION}). \
                 Hãy cập nhật ứng dụng rồi nhập lại. Dữ liệu không bị thay đổi."
            )));
        }
        if version == 0 {
            return Err(not_ours("không rõ phiên bản định dạng"));
        }
        // Then the seal: a file changed anywhere is refused before anything else is read.
        let comment = archive.comment().to_vec();
        let seal = std::str::from_utf8(&comment)
            .ok()
            .and_then(|c| c.strip_prefix(SEAL_PREFIX))
            .filter(|h| is_sha(h))
            .map(str::to_string)
            .ok_or_else(|| not_ours("không có dấu niêm phong của Kiểm tra CCHC"))?;
        if len < SEAL_LEN as u64 {
            return Err(damaged("tệp quá ngắn"));
        }
        let actual = {
            let mut inner = archive.into_inner();
            let h = hash_prefix(&mut inner, len - SEAL_LEN as u64).map_err(|_| damaged("không đọc được tệp"))?;
            archive = zip::ZipArchive::new(inner).map_err(|_| not_ours("không phải tệp nén zip"))?;
            h
        };
        if actual != seal {
            return Err(damaged("dấu niêm phong không khớp nội dung"));
        }
        let manifest: Manifest = serde_json::from_value(head).map_err(|_| damaged("kiemtra.json không đọc được"))?;
        if !is_sha(&manifest.records_sha256) || manifest.attachments.len() > MAX_ENTRIES {
            return Err(damaged("kiemtra.json không hợp lệ"));
        }
        let ri = *names.get(RECORDS).ok_or_else(|| damaged("thiếu records.json"))?;
        let json = {
            let mut f = archive
                .by_index(ri)
                .map_err(|_| damaged("records.json không đọc được"))?;
            read_limited(&mut f, manifest.records_size, MAX_RECORDS, RECORDS)?
        };
        if sha256_hex(&json) != manifest.records_sha256 {
            return Err(damaged("mã băm của records.json không khớp"));
        }
        let records: Records = serde_json::from_slice(&json)
            .map_err(|_| damaged(bad_clock(&json).unwrap_or_else(|| "records.json không đọc được".into())))?;
        if records.records.len() != manifest.records || records.field_count() != manifest.fields {
            return Err(damaged("số bản ghi không khớp với kiemtra.json"));
        }
        records.check()?;
        // Attachments: exactly those the manifest lists, each with its hash and size.
        let listed: BTreeMap<&str, u64> = manifest
            .attachments
            .iter()
            .map(|a| (a.sha256.as_str(), a.size))
            .collect();
        if listed.len() != manifest.attachments.len()
            || listed.len() != attachment_index.len()
            || listed.keys().any(|k| !attachment_index.contains_key(*k))
        {
            return Err(damaged("danh sách tệp đính kèm không khớp"));
        }
        let mut small = |name: &str, limit: u64| -> Result<Option<Vec<u8>>> {
            match names.get(name) {
                None => Ok(None),
                Some(&i) => {
                    let mut f = archive
                        .by_index(i)
                        .map_err(|_| damaged(format!("{name} không đọc được")))?;
                    let size = f.size();
                    read_limited(&mut f, size, limit, name).map(Some)
                }
            }
        };
        let signature = match small(SIGNATURE, MAX_SIGNATURE)? {
            Some(b) => Some(String::from_utf8(b).map_err(|_| damaged("chữ ký không đọc được"))?),
            None => None,
        };
        let roster = small(ROSTER, MAX_ROSTER_ENTRY)?;
        let mut pkg = Package {
            manifest,
            manifest_bytes,
            signature,
            roster,
            records,
            archive,
            attachment_index,
        };
        let shas: Vec<String> = pkg.attachment_index.keys().cloned().collect();
        for sha in shas {
            pkg.attachment(&sha)?;
        }
        Ok(pkg)
    }

    pub fn has_attachment(&self, sha: &str) -> bool {
        self.attachment_index.contains_key(sha)
    }

    /// The bytes of an attachment, checked against their hash and declared size.
    pub fn attachment(&mut self, sha: &str) -> Result<Vec<u8>> {
        let i = *self
            .attachment_index
            .get(sha)
            .ok_or_else(|| damaged(format!("thiếu tệp đính kèm {}", excerpt(sha, 40))))?;
        let declared = self
            .manifest
            .attachments
            .iter()
            .find(|a| a.sha256 == sha)
            .map(|a| a.size)
            .unwrap_or(u64::MAX);
        let mut f = self
            .archive
            .by_index(i)
            .map_err(|_| damaged("tệp đính kèm không đọc được"))?;
        let bytes = read_limited(&mut f, declared, MAX_ATTACHMENT, sha)?;
        if sha256_hex(&bytes) != sha {
            return Err(damaged(format!(
                "mã băm của tệp đính kèm {} không khớp",
                excerpt(sha, 40)
            )));
        }
        Ok(bytes)
    }
}
