//! Exchange files: laptops merge by copying one file, and nothing is ever lost.
//!
//! Every field of every record is a multi-value register. Each change carries its clock (HLC)
//! and a version vector of what the laptop had seen; merging keeps, for each field, the
//! versions that no other version has seen. One version left: that is the value. Several: they
//! were made concurrently; the record shows the newest (by clock, then device) and the others
//! wait in `field_version` until someone chooses, which is itself a change that travels.
//! Concurrent versions with the same value are one version.
//!
//! Two rules on top: a record deleted on one laptop while another laptop edited it stays (the
//! edit is not erased; the deletion waits as a conflict), and an issued document (an
//! inspection's, or the plan's report) never changes: a concurrent edit to it becomes a new
//! draft version.
//!
//! Import is one transaction, idempotent and independent of order (the merge is a join);
//! nothing in the file is trusted (see [`file`]).

pub use crate::domain::clock;
pub use crate::format::exchange_file as file;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Refusal, Result};
use crate::store::exchange::{clock_text, to_json, MergeTx, Rejected};
use crate::store::{db_hlc, stable_id, Ctx, Store, Value};
use clock::{Hlc, Vv};
use file::{FieldState, FieldVersion, Manifest, Package, Record, Records, TABLES};

const ACTION: &str = "nhập tệp trao đổi";

/// Who "made" the version that keeps a record alive because it was edited on a laptop whose
/// deletion had not seen the edit. It is derived from the real changes, not made by anyone.
pub const KEPT_BY: &str = "(giữ lại: có nội dung sửa mà lệnh xóa chưa thấy)";

/// A deletion that did not see an edit does not erase it: the record stays, and the deletion
/// waits beside it as a conflict. `merged` holds the real versions of every field.
fn keep_edited(merged: &mut BTreeMap<String, Vec<FieldVersion>>) {
    let Some(del) = merged.get("deleted") else { return };
    if del[0].v != serde_json::json!(1) {
        return;
    }
    let d = del[0].clone();
    let mut unseen: Vec<&FieldVersion> = Vec::new();
    for (f, vs) in merged.iter() {
        if f == "deleted" {
            continue;
        }
        unseen.extend(vs.iter().filter(|v| v.h.is_some() && !v.vv.le(&d.vv)));
    }
    let Some(newest) = unseen.iter().max_by(|a, b| a.h.cmp(&b.h)) else {
        return;
    };
    let mut vv = Vv::default();
    for v in &unseen {
        vv.join(&v.vv);
    }
    let kept = FieldVersion {
        v: serde_json::json!(0),
        h: newest.h.clone(),
        vv,
        by: KEPT_BY.to_string(),
        at: newest.at.clone(),
    };
    let del = merged.get_mut("deleted").expect("checked above");
    del.insert(0, kept);
}

/// What an import adds, changes, deletes and puts in conflict, per unit.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct Changes {
    pub added: usize,
    pub changed: usize,
    pub deleted: usize,
    pub conflicts: usize,
}

impl Changes {
    fn add(&mut self, o: &Changes) {
        self.added += o.added;
        self.changed += o.changed;
        self.deleted += o.deleted;
        self.conflicts += o.conflicts;
    }
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct UnitChanges {
    pub unit_id: Option<String>,
    /// The unit's name, or "Kế hoạch, đoàn kiểm tra" for the plan and the team.
    pub name: String,
    pub changes: Changes,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ImportSummary {
    pub file_sha256: String,
    pub from_device: String,
    pub from_inspector: String,
    pub created_at: String,
    /// This very file was imported before: nothing was done.
    pub already_imported: bool,
    pub units: Vec<UnitChanges>,
    pub total: Changes,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub fields_changed: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub attachments_added: u64,
    /// Warnings a person should look at (two recommendations with one number…).
    pub warnings: Vec<String>,
    /// The backup taken before the import.
    pub backup: Option<String>,
    /// The file was sealed to the team and signed.
    pub protected: bool,
    /// Who made it, proven by its signature and the team's roster (None: not protected).
    pub verified: Option<VerifiedSender>,
}

/// The laptop and member a protected file's signature proves.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct VerifiedSender {
    pub laptop_id: String,
    pub member: String,
    pub role: crate::domain::trust::Role,
    pub role_label: String,
}

/// A file received here (the exchange screen's list).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ReceivedFile {
    pub file_name: String,
    pub file_sha256: String,
    pub from_laptop: Option<String>,
    /// The member (proven) or the name the file gave (not).
    pub from: String,
    pub verified: bool,
    pub made_at: Option<String>,
    pub imported_at: String,
    pub changes: Changes,
}

/// What to do with a file without the team's protection (today's format before the keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unprotected {
    Refuse,
    /// The user chose to import it anyway («Vẫn nhập», `--allow-unprotected`).
    Allow,
}

enum Opened {
    Plain(Box<Package<std::io::BufReader<std::fs::File>>>),
    Sealed(
        Box<Package<crate::format::sealed::Plaintext<std::io::BufReader<std::fs::File>>>>,
        Box<Proof>,
    ),
}

/// Who made a protected file, as its signatures prove.
struct Proof {
    laptop_id: String,
    member: String,
    role: crate::domain::trust::Role,
    unit_id: Option<String>,
    seq: u64,
    incoming: crate::domain::trust::SignedRoster,
    roster: crate::domain::trust::Roster,
}

fn not_team() -> Error {
    Refusal::ExchangeNotTeam.err(
        "Tệp không phải của đoàn này: không khóa nào của đoàn trên máy này mở được (tệp của đoàn khác, hoặc tạo cho máy khác). \
         Dữ liệu không bị thay đổi.",
    )
}

fn altered(why: &str) -> Error {
    Refusal::ExchangeAltered.err(format!(
        "Tệp trao đổi đã bị sửa sau khi được tạo ({why}); không nhập. Hãy xin lại tệp từ máy đã xuất. Dữ liệu không bị thay đổi."
    ))
}

/// Check a protected file's signatures: the roster's by the team key, the manifest's by the
/// laptop the roster lists; a laptop removed from the team only up to its last file received.
fn verify<R: std::io::Read + std::io::Seek>(k: &crate::app::team::Keys, pkg: &Package<R>) -> Result<Proof> {
    use crate::domain::trust::{verify_manifest, SignedRoster, TrustError};
    let m = &pkg.manifest;
    if m.team_id != k.team.id {
        return Err(not_team());
    }
    let sig = pkg
        .signature
        .as_deref()
        .ok_or_else(|| altered("thiếu chữ ký của máy đã xuất"))?;
    let incoming: SignedRoster = pkg
        .roster
        .as_deref()
        .and_then(|b| serde_json::from_slice(b).ok())
        .ok_or_else(|| altered("thiếu danh sách máy của đoàn"))?;
    let roster = incoming.verify(&k.team.verify_key, &k.team.id).map_err(|e| match e {
        TrustError::OtherTeam => not_team(),
        _ => altered("danh sách máy không có chữ ký đúng của trưởng đoàn"),
    })?;
    let newest = if roster.serial > k.roster.serial {
        &roster
    } else {
        &k.roster
    };
    let bad_sig = || altered("chữ ký của máy đã xuất không khớp nội dung");
    if let Some(r) = newest.revoked(&m.laptop_id) {
        verify_manifest(&r.verify_key, &pkg.manifest_bytes, sig).map_err(|_| bad_sig())?;
        if m.seq > r.last_seq {
            return Err(Refusal::ExchangeRevoked.err(format!(
                "Tệp do máy của «{}» tạo sau khi trưởng đoàn thu hồi máy này khỏi đoàn (lúc {}); không nhập. \
                 Tệp máy đó tạo trước khi bị thu hồi vẫn đọc được. Dữ liệu không bị thay đổi.",
                r.member,
                crate::domain::text::excerpt(&r.revoked_at, 19).replace('T', " ")
            )));
        }
        return Ok(Proof {
            laptop_id: r.id.clone(),
            member: r.member.clone(),
            role: r.role,
            unit_id: r.unit_id.clone(),
            seq: m.seq,
            incoming,
            roster,
        });
    }
    let laptop = newest
        .laptop(&m.laptop_id)
        .ok_or_else(|| altered("máy đã ký không có trong danh sách máy của đoàn"))?
        .clone();
    verify_manifest(&laptop.verify_key, &pkg.manifest_bytes, sig).map_err(|_| bad_sig())?;
    Ok(Proof {
        laptop_id: laptop.id,
        member: laptop.member,
        role: laptop.role,
        unit_id: laptop.unit_id,
        seq: m.seq,
        incoming,
        roster,
    })
}

/// A unit's file may carry only that unit's self-assessment: the first thing it changed
/// beyond that refuses the whole file.
fn unit_file_may(tx: &MergeTx<'_>, p: &Proof, m: &Merge) -> Result<()> {
    use crate::app::rules::{unit_may_not, Forbidden};
    let Some(unit_id) = &p.unit_id else {
        return Err(altered("máy đơn vị không gắn với đơn vị nào"));
    };
    for t in &m.touches {
        let Some(f) = unit_may_not(tx, unit_id, t)? else {
            continue;
        };
        let unit = crate::store::plan::unit_name(tx, unit_id)?.unwrap_or_else(|| unit_id.clone());
        let what = match f {
            Forbidden::Team(what) => {
                let item = if t.table == "response" {
                    crate::store::records::columns(tx, "response", &t.id, &["item_code"])?
                        .and_then(|r| crate::store::value_text(&r["item_code"]))
                        .map(|c| format!(" (tiêu chí {c})"))
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                format!("{what}{item}")
            }
            Forbidden::OtherUnit(name) => format!("ghi vào phần của đơn vị khác («{name}»)"),
        };
        return Err(Refusal::ExchangeForbidden.err(format!(
            "Tệp từ máy tự đánh giá của «{unit}» tìm cách {what}. Máy của đơn vị chỉ gửi được điểm tự chấm, giải trình, \
             số liệu và tài liệu của chính đơn vị; cả tệp bị từ chối. Dữ liệu không bị thay đổi."
        )));
    }
    Ok(())
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    pub path: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub records: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub fields: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub attachments: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub attachment_bytes: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    pub units: Vec<String>,
}

/// One version of a field in conflict, as the conflict screen shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct ConflictVersion {
    /// The value as text ("" for none).
    pub value: String,
    pub hlc: String,
    pub device: String,
    pub inspector: String,
    pub at: String,
    /// The version the record shows now.
    pub shown: bool,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    /// Short id for `conflicts resolve`.
    pub id: String,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    /// "Nhận xét", "Kiến nghị số 3"… with the unit.
    pub what: String,
    pub field_label: String,
    pub unit_name: Option<String>,
    pub versions: Vec<ConflictVersion>,
}

/// How to resolve a conflict.
#[derive(Debug, Clone)]
pub enum Keep {
    /// The value this laptop shows now.
    Mine,
    /// The other version (when there are several, the one whose clock starts with the given
    /// text; None: the newest other one).
    Theirs(Option<String>),
    /// A rewrite.
    Value(String),
}

// ---------------------------------------------------------------------------------------
// Values

fn to_sql(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => Value::Integer(i),
            _ => Value::Real(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::Text(crate::domain::text::nfc(s)),
        _ => Value::Null,
    }
}

fn display(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => crate::domain::text::fmt_num(f, 3),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Merging one field

/// Keep the versions nobody has seen, one per value; the shown one first.
fn reduce(mut all: Vec<FieldVersion>, prefer_alive: bool) -> Vec<FieldVersion> {
    // The same change seen from two sides is one version (with everything either side knew).
    all.sort_by(|a, b| a.h.cmp(&b.h));
    let mut uniq: Vec<FieldVersion> = Vec::with_capacity(all.len());
    for v in all {
        match uniq.last_mut() {
            Some(u) if u.h == v.h => u.vv.join(&v.vv),
            _ => uniq.push(v),
        }
    }
    // Drop what another version has seen.
    let n = uniq.len();
    let mut keep = vec![true; n];
    for i in 0..n {
        for j in 0..n {
            if i != j && keep[j] && uniq[i].vv.le(&uniq[j].vv) && (!uniq[j].vv.le(&uniq[i].vv) || i < j) {
                keep[i] = false;
                break;
            }
        }
    }
    let mut left: Vec<FieldVersion> = uniq.into_iter().zip(keep).filter(|(_, k)| *k).map(|(v, _)| v).collect();
    // Concurrent versions that say the same thing are not a conflict.
    left.sort_by(|a, b| b.h.cmp(&a.h));
    let mut by_value: Vec<FieldVersion> = Vec::with_capacity(left.len());
    for v in left {
        match by_value.iter_mut().find(|u| u.v == v.v) {
            Some(u) => u.vv.join(&v.vv),
            None => by_value.push(v),
        }
    }
    // The shown version: the newest; for a deletion, a version that keeps the record wins.
    if prefer_alive {
        if let Some(i) = by_value.iter().position(|v| v.v == serde_json::json!(0)) {
            let alive = by_value.remove(i);
            by_value.insert(0, alive);
        }
    }
    by_value
}

fn audit(
    tx: &MergeTx<'_>,
    action: &str,
    (table, id, field): (&str, &str, &str),
    v: &FieldVersion,
    old: &serde_json::Value,
    ctx: &Ctx,
) -> Result<()> {
    let Some(h) = &v.h else {
        return Ok(());
    };
    let text = |j: &serde_json::Value| match j {
        serde_json::Value::Null => None,
        other => Some(display(other)),
    };
    crate::store::exchange::log_merged(
        tx,
        h,
        if v.at.is_empty() { ctx.stamp() } else { v.at.clone() },
        &v.by,
        action,
        table,
        id,
        field,
        text(old),
        text(&v.v),
    )
}

// ---------------------------------------------------------------------------------------
// The merge

#[derive(Default)]
struct Merge {
    per_record: Vec<(String, String, Changes)>,
    /// Ids present on this laptop before the import, per table (one query per table instead
    /// of one per record).
    existing: HashMap<String, std::collections::HashSet<String>>,
    /// The inspection of each merged child record, as the file says.
    inspection_of: HashMap<String, String>,
    fields_changed: u64,
    attachments_added: u64,
    /// The newest clock in the file.
    max_stamp: Option<Hlc>,
    touched_inspections: BTreeSet<String>,
    reindex: Vec<(String, String)>,
    /// What the rules found inconsistent after the merge (shown, not refused).
    rule_warnings: Vec<String>,
    /// Every record the file wrote and its fields (values or clocks), as the merge went.
    touches: Vec<crate::store::Touch>,
    /// The audit log's label for what the import wrote: who made the file, and whether that
    /// is proven.
    action: String,
}

fn note_stamp(m: &mut Merge, h: &Option<Hlc>) {
    if let Some(h) = h {
        if m.max_stamp.as_ref().is_none_or(|s| h.time() > s.time()) {
            m.max_stamp = Some(h.clone());
        }
    }
}

fn device_of(h: &Option<Hlc>) -> String {
    h.as_ref().map(|h| h.device.clone()).unwrap_or_default()
}

/// How far ahead of this laptop's clock a file's newest change may be without a word.
const FUTURE_SLACK_MS: i64 = 24 * 3600 * 1000;

/// A change stamped more than a day after `ctx.now`: the sending laptop's clock was (or is)
/// ahead. The file is imported all the same (the clocks still order its changes), but a
/// person should know, since this laptop's later changes are stamped after it too.
fn future_clock(h: &Hlc, ctx: &Ctx) -> Option<String> {
    let ms = i64::try_from(h.ms).ok()?;
    if ms <= ctx.now.timestamp_millis().saturating_add(FUTURE_SLACK_MS) {
        return None;
    }
    let when = chrono::DateTime::from_timestamp_millis(ms)?
        .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("+07:00"))
        .format("%d/%m/%Y");
    Some(format!(
        "Tệp có thay đổi ghi thời điểm {when}, vượt quá giờ của máy này hơn một ngày: đồng hồ máy gửi có thể sai."
    ))
}

fn field_versions(st: &FieldState) -> Vec<FieldVersion> {
    let mut v = vec![st.main.clone()];
    v.extend(st.alt.iter().cloned());
    v
}

/// This laptop holds exactly the versions the file has for every field of the record (the
/// common case when the same data comes back): nothing to merge.
fn unchanged(tx: &MergeTx<'_>, rec: &Record) -> Result<bool> {
    if rec.f.values().any(|s| !s.alt.is_empty()) {
        return Ok(false);
    }
    if crate::store::exchange::has_pending(tx, &rec.t, &rec.id)? {
        return Ok(false);
    }
    let local = crate::store::exchange::field_clocks(tx, &rec.t, &rec.id)?;
    if local.is_empty() {
        // Not here yet, or never changed: the full path decides.
        return Ok(false);
    }
    for (f, st) in &rec.f {
        match (local.get(f), &st.main.h) {
            (None, None) => {}
            (Some((h, vv)), Some(mh)) if db_hlc(h, &rec.t, &rec.id, f)? == *mh && *vv == st.main.vv.to_json() => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

/// Fields a file may carry that are each laptop's own business: skipped on import.
fn local_only(table: &str, field: &str) -> bool {
    table == "template" && field == "imported_at"
}

fn without_local_only(rec: &Record) -> std::borrow::Cow<'_, Record> {
    if rec.f.keys().any(|f| local_only(&rec.t, f)) {
        let mut r = rec.clone();
        r.f.retain(|f, _| !local_only(&rec.t, f));
        std::borrow::Cow::Owned(r)
    } else {
        std::borrow::Cow::Borrowed(rec)
    }
}

fn merge_record(tx: &MergeTx<'_>, ctx: &Ctx, cols: &[String], rec: &Record, m: &mut Merge) -> Result<()> {
    let rec = &*without_local_only(rec);
    let t = rec.t.as_str();
    for f in rec.f.keys() {
        if !cols.contains(f) {
            return Err(Refusal::ExchangeRefused.err(format!(
                "Tệp trao đổi có trường «{t}.{f}» mà phiên bản này không biết. Dữ liệu không bị thay đổi."
            )));
        }
    }
    for st in rec.f.values() {
        for v in field_versions(st) {
            note_stamp(m, &v.h);
        }
    }
    if let Some(serde_json::Value::String(i)) = rec.f.get("inspection_id").map(|s| &s.main.v) {
        m.inspection_of.insert(rec.id.clone(), i.clone());
    }
    let known = m.existing.get(t).is_none_or(|ids| ids.contains(&rec.id));
    if known && unchanged(tx, rec)? {
        return Ok(());
    }
    let row: Option<HashMap<String, Value>> = if !known {
        None
    } else {
        crate::store::exchange::record_values(tx, t, &rec.id, cols)?
    };
    let mut changes = Changes::default();
    let Some(row) = row else {
        // New here: insert it as the file has it.
        let fields: Vec<&String> = rec.f.keys().collect();
        let newest = rec
            .f
            .values()
            .max_by(|a, b| a.main.h.cmp(&b.main.h))
            .map(|s| s.main.clone())
            .expect("a record has fields");
        let mut names: Vec<String> = vec!["id".into()];
        names.extend(fields.iter().map(|f| f.to_string()));
        names.extend(["updated_at".into(), "device_id".into(), "hlc".into()]);
        let mut vals: Vec<Value> = vec![Value::Text(rec.id.clone())];
        vals.extend(fields.iter().map(|f| to_sql(&rec.f[*f].main.v)));
        vals.push(Value::Text(if newest.at.is_empty() {
            ctx.stamp()
        } else {
            newest.at.clone()
        }));
        vals.push(Value::Text(device_of(&newest.h)));
        vals.push(Value::Text(clock_text(&newest.h)));
        if t == "template" {
            // When this laptop installed it (each laptop's own; see `local_only`).
            names.push("imported_at".into());
            vals.push(Value::Text(ctx.stamp()));
        }
        crate::store::exchange::insert_row(tx, t, &names, &vals)?.map_err(|e| refused_record(t, &rec.id, e))?;
        let mut fresh: BTreeMap<String, Vec<FieldVersion>> = rec
            .f
            .iter()
            .map(|(f, st)| {
                let mut all = field_versions(st);
                if f == "deleted" {
                    all.retain(|v| v.by != KEPT_BY);
                }
                (f.clone(), reduce(all, f == "deleted"))
            })
            .collect();
        keep_edited(&mut fresh);
        for (f, rest) in &fresh {
            if rest[0].v != rec.f[f].main.v {
                crate::store::exchange::set_column(tx, t, &rec.id, f, &to_sql(&rest[0].v))
                    .map_err(|e| refused_record(t, &rec.id, e))?;
            }
            crate::store::exchange::insert_clock(tx, t, &rec.id, f, &rest[0], &rest[1..])?;
            m.fields_changed += 1;
            if rest.len() > 1 {
                changes.conflicts += 1;
            }
        }
        // One audit row for the new record (who made it, when, on which laptop).
        let mark = FieldVersion {
            v: serde_json::Value::Null,
            ..newest.clone()
        };
        audit(tx, &m.action, (t, &rec.id, "*"), &mark, &serde_json::Value::Null, ctx)?;
        // What the file wrote, for the rules and for what a unit's file may carry: the fields
        // it set to something (a field left empty in a new record writes nothing).
        let set: Vec<String> = fresh
            .iter()
            .filter(|(f, vs)| match &vs[0].v {
                serde_json::Value::Null => false,
                serde_json::Value::String(x) => !x.is_empty(),
                serde_json::Value::Number(n) => !(f.as_str() == "deleted" && n.as_i64() == Some(0)),
                _ => true,
            })
            .map(|(f, _)| f.clone())
            .collect();
        m.touches.push(crate::store::Touch {
            table: t.to_string(),
            id: rec.id.clone(),
            fields: set,
            created: true,
        });
        if fresh.get("deleted").is_some_and(|d| d[0].v == serde_json::json!(1)) {
            changes.deleted += 1;
        } else {
            changes.added += 1;
        }
        m.reindex.push((t.to_string(), rec.id.clone()));
        m.per_record.push((t.to_string(), rec.id.clone(), changes));
        return Ok(());
    };
    // (A template present on both sides has the same id, hence the same content: merging
    // its fields only settles their clocks and when it was installed.)
    let local = crate::store::exchange::field_states(tx, t, &rec.id, row.iter().map(|(c, v)| (c.clone(), v.clone())))?;
    let mut merged: BTreeMap<String, Vec<FieldVersion>> = BTreeMap::new();
    for (f, st) in &rec.f {
        let l = &local[f];
        let mut all = vec![l.main.clone()];
        all.extend(l.alt.iter().cloned());
        all.extend(field_versions(st));
        if f == "deleted" {
            // "Kept" versions are derived, never merged: they are worked out again below
            // from the real changes, so every laptop derives the same one.
            all.retain(|v| v.by != KEPT_BY);
        }
        merged.insert(f.clone(), reduce(all, f == "deleted"));
    }
    keep_edited(&mut merged);
    // An issued document (an inspection's, the plan's report) never changes: what was written
    // concurrently with its issue becomes a new draft version.
    if let Some(dt) = crate::store::documents::DocumentTable::of(t) {
        let local_issued = row.get("status") == Some(&Value::Text("issued".into()));
        let status = merged.get("status").map(|v| v[0].clone());
        if let Some(status) = status.filter(|s| s.v == serde_json::json!("issued")) {
            let issue = status.clone();
            let mut fork: BTreeMap<String, FieldVersion> = BTreeMap::new();
            for (f, vs) in merged.iter_mut() {
                // The issue's own version of each field stays; the others fork.
                let own = vs.iter().position(|v| v.h == issue.h);
                let base = match own {
                    Some(i) => vs[i].clone(),
                    None => {
                        // Fields the issue did not write: the version the issue had seen.
                        match vs.iter().find(|v| v.vv.le(&issue.vv)) {
                            Some(v) => v.clone(),
                            None => local.get(f).map(|l| l.main.clone()).unwrap_or_else(|| vs[0].clone()),
                        }
                    }
                };
                for v in vs.iter() {
                    if v.h != base.h && !v.vv.le(&issue.vv) && v.h.is_some() {
                        let keep = fork.get(f).is_none_or(|k| v.h > k.h);
                        if keep {
                            fork.insert(f.clone(), v.clone());
                        }
                    }
                }
                *vs = vec![base];
            }
            if local_issued {
                // Nothing of the issued record changes.
                for (f, vs) in merged.iter_mut() {
                    *vs = vec![local[f].main.clone()];
                }
            }
            // The fork starts from the issued version (the same on every laptop).
            let base: HashMap<String, Value> = merged.iter().map(|(f, vs)| (f.clone(), to_sql(&vs[0].v))).collect();
            fork_document(tx, ctx, dt, &rec.id, &base, &fork, m)?;
        }
    }
    // Write what changed: one write per record (so that the frozen-document trigger sees the
    // record as it was before the import).
    let mut sets: Vec<(String, Value)> = Vec::new();
    let mut written: Vec<String> = Vec::new();
    let was_deleted = row.get("deleted") == Some(&Value::Integer(1));
    for (f, vs) in &merged {
        let l = &local[f];
        let main = &vs[0];
        let alt = &vs[1..];
        let value_changed = main.v != l.main.v;
        let clock_changed = main.h != l.main.h
            || main.vv != l.main.vv
            || alt.len() != l.alt.len()
            || alt.iter().zip(&l.alt).any(|(a, b)| a.h != b.h || a.vv != b.vv);
        if value_changed {
            sets.push((f.clone(), to_sql(&main.v)));
            audit(tx, &m.action, (t, &rec.id, f), main, &l.main.v, ctx)?;
            m.fields_changed += 1;
        }
        if clock_changed {
            crate::store::exchange::write_clock(tx, t, &rec.id, f, main, alt)?;
        }
        // (A template's content is fixed by its id: settling its clocks writes nothing of it.)
        if value_changed || (clock_changed && t != "template") {
            written.push(f.clone());
        }
        if !alt.is_empty() && l.alt.is_empty() {
            changes.conflicts += 1;
        }
    }
    if !sets.is_empty() {
        let newest = merged.values().filter_map(|v| v[0].h.clone()).max();
        crate::store::exchange::update_row(
            tx,
            t,
            &rec.id,
            &sets,
            ctx.stamp(),
            device_of(&newest),
            clock_text(&newest),
        )?
        .map_err(|e| refused_record(t, &rec.id, e))?;
        let now_deleted = merged
            .get("deleted")
            .map(|v| v[0].v == serde_json::json!(1))
            .unwrap_or(was_deleted);
        if now_deleted && !was_deleted {
            changes.deleted += 1;
        } else {
            changes.changed += 1;
        }
        m.reindex.push((t.to_string(), rec.id.clone()));
    }
    if !written.is_empty() {
        m.touches.push(crate::store::Touch {
            table: t.to_string(),
            id: rec.id.clone(),
            fields: written,
            created: false,
        });
    }
    if !changes.is_empty() {
        m.per_record.push((t.to_string(), rec.id.clone(), changes));
    }
    Ok(())
}

fn refused_record(t: &str, id: &str, e: Rejected) -> Error {
    if e.unique && t == "template" {
        return Refusal::ExchangeRefused.err(
            "Tệp trao đổi có một bộ tiêu chí cùng phiên bản nhưng khác nội dung với bộ trên máy này. Dữ liệu không bị thay đổi."
                ,
        );
    }
    Refusal::ExchangeRefused.err(format!(
        "Không nhập được bản ghi {t} {}: dữ liệu trong tệp không hợp lệ với lược đồ của ứng dụng ({}). Dữ liệu không bị thay đổi.",
        id.chars().take(12).collect::<String>(),
        e.cause
    ))
}

/// A concurrent edit to an issued document of table `dt`, as a new draft version of the same
/// owner and kind. Its id and clocks come from the versions it holds, so every laptop that
/// merges the same files makes the same one.
fn fork_document(
    tx: &MergeTx<'_>,
    ctx: &Ctx,
    dt: crate::store::documents::DocumentTable,
    doc_id: &str,
    row: &HashMap<String, Value>,
    fork: &BTreeMap<String, FieldVersion>,
    m: &mut Merge,
) -> Result<()> {
    let editable = ["content", "signer", "recipients"];
    let material: Vec<&FieldVersion> = editable.iter().filter_map(|f| fork.get(*f)).collect();
    if material.is_empty() {
        return Ok(());
    }
    let hlc = material.iter().filter_map(|v| v.h.clone()).max();
    let hlc_text = clock_text(&hlc);
    let mut vv = Vv::default();
    for v in &material {
        vv.join(&v.vv);
    }
    let by = material
        .iter()
        .max_by(|a, b| a.h.cmp(&b.h))
        .map(|v| v.by.clone())
        .unwrap_or_default();
    let at = material
        .iter()
        .max_by(|a, b| a.h.cmp(&b.h))
        .map(|v| v.at.clone())
        .unwrap_or_default();
    // ("document-fork" for an inspection's document, as before there were other tables.)
    let id = stable_id(&[&format!("{}-fork", dt.table), doc_id, &hlc_text]);
    if crate::store::exchange::document_exists(tx, dt, &id)? {
        return Ok(());
    }
    let owner = row.get(dt.owner).cloned().unwrap_or(Value::Null);
    let kind = row.get("kind").cloned().unwrap_or(Value::Null);
    let version = crate::store::exchange::next_document_version(tx, dt, &owner, &kind)?;
    let val = |f: &str| -> Value {
        fork.get(f)
            .map(|v| to_sql(&v.v))
            .or_else(|| row.get(f).cloned())
            .unwrap_or(Value::Null)
    };
    // A fork of the frozen content starts from the edits, not from what was issued (the frozen
    // text, signer and recipients), as a local edit of an issued version does.
    let content = match val("content") {
        Value::Text(s) => {
            let mut j: serde_json::Value = serde_json::from_str(&s)
                .map_err(|_| Error::corrupt(dt.table, doc_id, "content", &s, "dữ liệu JSON đúng dạng"))?;
            if let Some(o) = j.as_object_mut() {
                for issued in ["snapshot", "issued_signer", "issued_recipients"] {
                    o.remove(issued);
                }
            }
            Value::Text(j.to_string())
        }
        other => other,
    };
    let symbol = row.get("symbol").cloned().unwrap_or(Value::Text(String::new()));
    let fields: Vec<(&str, Value)> = vec![
        (dt.owner, owner),
        ("kind", kind),
        ("version", Value::Integer(version)),
        ("symbol", symbol),
        ("signer", val("signer")),
        ("recipients", val("recipients")),
        ("content", content),
        ("supersedes_id", Value::Text(doc_id.to_string())),
    ];
    crate::store::exchange::insert_document(
        tx,
        dt,
        &id,
        &fields,
        if at.is_empty() { ctx.stamp() } else { at.clone() },
        device_of(&hlc),
        hlc_text,
    )?;
    for (f, v) in &fields {
        let fv = FieldVersion {
            v: to_json(v),
            h: hlc.clone(),
            vv: vv.clone(),
            by: by.clone(),
            at: at.clone(),
        };
        crate::store::exchange::write_clock(tx, dt.table, &id, f, &fv, &[])?;
    }
    m.touches.push(crate::store::Touch {
        table: dt.table.into(),
        id: id.clone(),
        fields: fields.iter().map(|(f, _)| f.to_string()).collect(),
        created: true,
    });
    let c = Changes {
        added: 1,
        ..Default::default()
    };
    m.per_record.push((dt.table.into(), id, c));
    Ok(())
}

impl Store {
    fn merge_package<R: std::io::Read + std::io::Seek>(
        tx: &MergeTx<'_>,
        ctx: &Ctx,
        pkg: &mut Package<R>,
        action: &str,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Merge> {
        crate::store::exchange::defer_foreign_keys(tx)?;
        let mut m = Merge {
            action: action.to_string(),
            ..Merge::default()
        };
        // Attachments first (checked against their hashes again as they are read).
        let atts: Vec<file::AttachmentRef> = pkg.manifest.attachments.clone();
        for a in atts {
            let sha = a.sha256.clone();
            if crate::store::exchange::has_attachment(tx, &sha)? {
                continue;
            }
            let bytes = pkg.attachment(&sha)?;
            let mime = if a.media_type.is_empty() || a.media_type.len() > 200 {
                "application/octet-stream".to_string()
            } else {
                a.media_type.clone()
            };
            // The name is only shown; it never becomes a path.
            let name: String = a.name.chars().filter(|c| !c.is_control()).take(255).collect();
            crate::store::exchange::insert_attachment(
                tx,
                &sha,
                &mime,
                &if name.is_empty() { sha.clone() } else { name },
                &bytes,
                ctx.stamp(),
            )?;
            m.attachments_added += 1;
        }
        // Templates with their items, if this laptop lacks them.
        let mut order: HashMap<&str, usize> = HashMap::new();
        for (i, t) in TABLES.iter().enumerate() {
            order.insert(t, i);
        }
        let mut recs: Vec<&Record> = pkg.records.records.iter().collect();
        recs.sort_by_key(|r| order.get(r.t.as_str()).copied().unwrap_or(usize::MAX));
        let mut cols_cache: HashMap<String, Vec<String>> = HashMap::new();
        for t in TABLES {
            cols_cache.insert(t.to_string(), crate::store::exchange::columns(tx, t)?);
        }
        for r in recs.iter().filter(|r| r.t == "template") {
            if crate::store::exchange::template_exists(tx, &r.id)? {
                continue;
            }
            // Insert the template record, then its items.
            merge_record(tx, ctx, &cols_cache["template"], r, &mut m)?;
            let item_cols = crate::store::exchange::columns(tx, "template_item")?;
            for item in pkg
                .records
                .template_items
                .iter()
                .filter(|i| i.get("template_id") == Some(&serde_json::json!(r.id)))
            {
                for k in item.keys() {
                    if !item_cols.contains(k) && k != "id" {
                        return Err(Refusal::ExchangeRefused.err(format!(
                            "Tệp trao đổi có trường bộ tiêu chí «{k}» mà phiên bản này không biết. Dữ liệu không bị thay đổi."
                        )));
                    }
                }
                let names: Vec<&String> = item.keys().collect();
                let vals: Vec<Value> = names.iter().map(|k| to_sql(&item[*k])).collect();
                crate::store::exchange::insert_template_item(tx, &names, &vals)?
                    .map_err(|e| refused_record("template_item", &r.id, e))?;
            }
        }
        let n = recs.len();
        for t in TABLES {
            m.existing
                .insert(t.to_string(), crate::store::exchange::record_ids(tx, t)?);
        }
        for (i, r) in recs.iter().enumerate() {
            if i % 256 == 0 {
                progress(i, n);
            }
            merge_record(tx, ctx, &cols_cache[&r.t], r, &mut m)?;
        }
        progress(n, n);
        // Later changes made here must be newer than anything received.
        if let Some(newest) = &m.max_stamp {
            if crate::store::last_clock(tx)?.is_none_or(|c| c < newest.time()) {
                crate::store::set_last_clock(tx, newest)?;
            }
        }
        // The rules every write obeys hold on what the file changed, too.
        let touched: Vec<crate::store::Touch> = m
            .reindex
            .iter()
            .map(|(t, id)| crate::store::Touch {
                table: t.clone(),
                id: id.clone(),
                fields: vec![],
                created: true,
            })
            .collect();
        let templates = crate::store::TemplateCache::default();
        m.rule_warnings = crate::app::rules::check_imported(
            tx,
            &|id| crate::store::templates::cached_template(tx, &templates, id),
            &touched,
        )?;
        for (t, id) in std::mem::take(&mut m.reindex) {
            crate::store::search::reindex(tx, &t, &id)?;
            if t == "inspection" {
                m.touched_inspections.insert(id.clone());
            }
        }
        // Foreign keys are checked now, inside the transaction.
        let broken = crate::store::exchange::broken_foreign_keys(tx)?;
        if broken > 0 {
            return Err(Refusal::ExchangeDamaged.err(
                "Tệp trao đổi thiếu bản ghi mà dữ liệu khác tham chiếu tới (tệp không đầy đủ). Dữ liệu không bị thay đổi."
                    ,
            ));
        }
        Ok(m)
    }

    fn summarise(tx: &MergeTx<'_>, ctx: &Ctx, m: &Merge, manifest: &Manifest, sha: &str) -> Result<ImportSummary> {
        let mut per_unit: BTreeMap<Option<String>, Changes> = BTreeMap::new();
        let mut of_inspection: HashMap<String, Option<String>> = HashMap::new();
        for (t, id, c) in &m.per_record {
            let unit = match t.as_str() {
                "response" | "figure" | "self_figure" | "evidence" | "finding" | "recommendation" | "document" => {
                    let insp: Option<String> = match m.inspection_of.get(id) {
                        Some(i) => Some(i.clone()),
                        None => crate::store::exchange::inspection_of_record(tx, t, id)?,
                    };
                    match insp {
                        Some(i) => match of_inspection.get(&i) {
                            Some(u) => u.clone(),
                            None => {
                                let u = crate::store::exchange::unit_of_record(tx, "inspection", &i)?;
                                of_inspection.insert(i, u.clone());
                                u
                            }
                        },
                        None => None,
                    }
                }
                _ => crate::store::exchange::unit_of_record(tx, t, id)?,
            };
            per_unit.entry(unit).or_default().add(c);
        }
        let mut units = Vec::new();
        let mut total = Changes::default();
        for (unit, c) in per_unit {
            total.add(&c);
            let name = match &unit {
                Some(u) => crate::store::exchange::unit_name(tx, u)?.unwrap_or_else(|| u.clone()),
                None => "Kế hoạch, đoàn kiểm tra".to_string(),
            };
            units.push(UnitChanges {
                unit_id: unit,
                name,
                changes: c,
            });
        }
        units.sort_by(|a, b| a.unit_id.is_some().cmp(&b.unit_id.is_some()).then(a.name.cmp(&b.name)));
        // Two laptops may each have numbered a new recommendation "4".
        let mut warnings = Vec::new();
        for (unit, number, n) in crate::store::exchange::duplicate_recommendation_numbers(tx)? {
            warnings.push(format!(
                "{unit}: {n} kiến nghị cùng số {number} (thêm trên các máy khác nhau); hãy sửa số của một kiến nghị."
            ));
        }
        warnings.extend(m.rule_warnings.iter().cloned());
        if let Some(w) = m.max_stamp.as_ref().and_then(|h| future_clock(h, ctx)) {
            warnings.push(w);
        }
        Ok(ImportSummary {
            file_sha256: sha.to_string(),
            from_device: manifest.device_id.clone(),
            from_inspector: manifest.inspector.clone(),
            created_at: manifest.created_at.clone(),
            already_imported: false,
            units,
            total,
            fields_changed: m.fields_changed,
            attachments_added: m.attachments_added,
            warnings,
            backup: None,
            protected: false,
            verified: None,
        })
    }

    fn open_package(path: &Path) -> Result<Package<std::io::BufReader<std::fs::File>>> {
        let f = std::fs::File::open(path).map_err(|e| Error::io("mở được", path, e))?;
        Package::open(std::io::BufReader::new(f))
    }

    fn file_sha(path: &Path) -> Result<String> {
        Ok({
            use sha2::{Digest, Sha256};
            use std::io::Read;
            let mut f = std::fs::File::open(path).map_err(|e| Error::io("mở được", path, e))?;
            let mut h = Sha256::new();
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = f.read(&mut buf).map_err(|e| Error::io("đọc được", path, e))?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
            crate::domain::digest::hex(&h.finalize())
        })
    }

    /// Open a file as what its first bytes say: a protected file with this laptop's keys (its
    /// signatures checked), an unprotected one only if the user allowed it.
    fn open_exchange(&self, path: &Path, unprotected: Unprotected) -> Result<Opened> {
        use crate::format::sealed::{self, Kind, OpenError};
        use std::io::Read;
        let mut first = Vec::new();
        std::fs::File::open(path)
            .map_err(|e| Error::io("mở được", path, e))?
            .take(sealed::MAX_HEADER as u64)
            .read_to_end(&mut first)
            .map_err(|e| Error::io("đọc được", path, e))?;
        match sealed::kind(&first) {
            Kind::Plain if unprotected == Unprotected::Refuse => Err(Refusal::ExchangeUnprotected.err(
                "Tệp không được bảo vệ: không được mã hóa và không có chữ ký của máy nào trong đoàn, nên không biết chắc ai đã tạo hay sửa nó \
                 (tệp của phiên bản cũ, hoặc của máy chưa có khóa đoàn). Chỉ nhập khi biết rõ nguồn gốc: chọn «Vẫn nhập» \
                 (dòng lệnh: --allow-unprotected). Dữ liệu không bị thay đổi.",
            )),
            Kind::Plain | Kind::Unknown => Ok(Opened::Plain(Box::new(Self::open_package(path)?))),
            Kind::Sealed => {
                let k = self.keys()?.ok_or_else(|| {
                    Refusal::ExchangeNotTeam.err(
                        "Tệp được bảo vệ bằng khóa của một đoàn, mà máy này chưa tham gia đoàn nào nên không mở được. \
                         Hãy tham gia đoàn bằng tệp mời của trưởng đoàn («kiemtra team join»). Dữ liệu không bị thay đổi.",
                    )
                })?;
                let ids = k.identities();
                let refs: Vec<&sealed::Identity> = ids.iter().collect();
                let f = std::fs::File::open(path).map_err(|e| Error::io("mở được", path, e))?;
                let reader = sealed::open(std::io::BufReader::new(f), &refs).map_err(|e| match e {
                    OpenError::NotForUs => not_team(),
                    OpenError::Altered => altered("phần đầu của tệp không khớp mã xác thực"),
                    OpenError::Malformed => Refusal::ExchangeForeign.err(
                        "Tệp không phải tệp trao đổi hợp lệ của Kiểm tra CCHC (phần đầu của tệp được bảo vệ không hợp lệ hoặc quá lớn). Dữ liệu không bị thay đổi.",
                    ),
                })?;
                // Decryption authenticates every chunk: damage inside means the file was changed.
                let pkg = Package::open(reader).map_err(|e| match e {
                    Error::Refused {
                        kind: Refusal::ExchangeDamaged,
                        ..
                    } => altered("nội dung không khớp mã xác thực, hoặc tệp bị cắt"),
                    e => e,
                })?;
                let proof = verify(&k, &pkg)?;
                Ok(Opened::Sealed(Box::new(pkg), Box::new(proof)))
            }
        }
    }

    /// What importing the file would do, per unit, without changing anything.
    pub fn preview_exchange(&mut self, ctx: &Ctx, path: &Path) -> Result<ImportSummary> {
        self.preview_exchange_with(ctx, path, Unprotected::Refuse)
    }

    /// The same, saying what to do with a file without the team's protection.
    pub fn preview_exchange_with(&mut self, ctx: &Ctx, path: &Path, unprotected: Unprotected) -> Result<ImportSummary> {
        let sha = Self::file_sha(path)?;
        match self.open_exchange(path, unprotected)? {
            Opened::Plain(mut pkg) => self.merge_file(ctx, path, &sha, &mut *pkg, None, None, false, &mut |_, _| {}),
            Opened::Sealed(mut pkg, proof) => {
                self.merge_file(ctx, path, &sha, &mut *pkg, Some(*proof), None, false, &mut |_, _| {})
            }
        }
    }

    /// Import a file in one transaction, after a backup into `backup_dir`. Importing the same
    /// file again changes nothing. A file without the team's protection is refused.
    pub fn import_exchange(
        &mut self,
        ctx: &Ctx,
        path: &Path,
        backup_dir: Option<&Path>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportSummary> {
        self.import_exchange_with(ctx, path, backup_dir, Unprotected::Refuse, progress)
    }

    /// The same, saying what to do with a file without the team's protection.
    pub fn import_exchange_with(
        &mut self,
        ctx: &Ctx,
        path: &Path,
        backup_dir: Option<&Path>,
        unprotected: Unprotected,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportSummary> {
        // The same file again is recognised by its hash before it is even parsed.
        let sha = Self::file_sha(path)?;
        let done = crate::store::exchange::import_log_entry(self, &sha)?;
        if let Some((device, inspector, at)) = done {
            return Ok(ImportSummary {
                file_sha256: sha,
                from_device: device,
                from_inspector: inspector,
                created_at: at,
                already_imported: true,
                units: vec![],
                total: Changes::default(),
                fields_changed: 0,
                attachments_added: 0,
                warnings: vec![],
                backup: None,
                protected: false,
                verified: None,
            });
        }
        let opened = self.open_exchange(path, unprotected)?;
        let backup = match backup_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| Error::io("tạo được thư mục", dir, e))?;
                let p = dir.join(format!(
                    "truoc-khi-nhap-{}.sqlite3",
                    ctx.now.format("%Y%m%d-%H%M%S-%3f")
                ));
                self.backup(&p)?;
                Some(p)
            }
            None => None,
        };
        match opened {
            Opened::Plain(mut pkg) => self.merge_file(ctx, path, &sha, &mut *pkg, None, backup, true, progress),
            Opened::Sealed(mut pkg, proof) => {
                self.merge_file(ctx, path, &sha, &mut *pkg, Some(*proof), backup, true, progress)
            }
        }
    }

    /// Merge an opened file in one transaction: committed and logged (`commit`), or rolled
    /// back after the summary (a preview).
    #[allow(clippy::too_many_arguments)]
    fn merge_file<R: std::io::Read + std::io::Seek>(
        &mut self,
        ctx: &Ctx,
        path: &Path,
        sha: &str,
        pkg: &mut Package<R>,
        proof: Option<Proof>,
        backup: Option<std::path::PathBuf>,
        commit: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportSummary> {
        let keys = self.keys()?;
        let action = match &proof {
            Some(p) => format!(
                "{ACTION} của {} (máy {}, {}; chữ ký đã xác minh)",
                p.member,
                p.laptop_id.chars().take(8).collect::<String>(),
                p.role.label()
            ),
            None => format!("{ACTION} không được bảo vệ"),
        };
        let tx = crate::store::exchange::begin_merge(self)?;
        let m = Self::merge_package(&tx, ctx, pkg, &action, progress)?;
        if let Some(p) = &proof {
            if p.role == crate::domain::trust::Role::Unit {
                unit_file_may(&tx, p, &m)?;
            }
            if let Some(k) = &keys {
                Self::adopt_roster(&tx, ctx, k, &p.incoming, &p.roster)?;
            }
        }
        let mut s = Self::summarise(&tx, ctx, &m, &pkg.manifest, sha)?;
        s.protected = proof.is_some();
        s.verified = proof.as_ref().map(|p| VerifiedSender {
            laptop_id: p.laptop_id.clone(),
            member: p.member.clone(),
            role: p.role,
            role_label: p.role.label().to_string(),
        });
        if let Some(p) = &proof {
            s.from_inspector = p.member.clone();
        }
        if !commit {
            s.already_imported = crate::store::exchange::import_logged(&tx, sha)?;
            tx.rollback()?;
            return Ok(s);
        }
        s.backup = backup.as_ref().map(|p| p.display().to_string());
        crate::store::exchange::log_import(
            &tx,
            sha,
            path.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            &pkg.manifest,
            ctx.stamp(),
            serde_json::to_string(&s.total).expect("summary serialises"),
            proof.as_ref().map(|p| crate::store::exchange::Signer {
                laptop_id: &p.laptop_id,
                member: &p.member,
                seq: p.seq,
            }),
        )?;
        tx.commit()?;
        // The database file alone now holds the import (a folder copied by hand is whole).
        // The import is committed whatever happens here: a checkpoint that cannot run now
        // (a reader, a full disk) leaves the log, which SQLite applies on the next open.
        let _ = self.checkpoint();
        Ok(s)
    }

    /// The files received here, newest first: who made each (proven or not), when it was made
    /// and imported, what it changed.
    pub fn received_files(&self, limit: usize) -> Result<Vec<ReceivedFile>> {
        crate::store::exchange::received(self, limit)?
            .into_iter()
            .map(|r| {
                let changes: Changes = serde_json::from_str(&r.summary).map_err(|_| Error::Corrupt {
                    what: format!("nhật ký nhập tệp, tệp «{}»: tóm tắt thay đổi", r.file_name),
                })?;
                Ok(ReceivedFile {
                    file_name: r.file_name,
                    file_sha256: r.sha256,
                    from_laptop: r.laptop_id,
                    from: r.member.unwrap_or(r.inspector),
                    verified: r.verified,
                    made_at: r.made_at,
                    imported_at: r.imported_at,
                    changes,
                })
            })
            .collect()
    }

    /// Write the plan (or only `unit_ids`) into an exchange file at `out` (never over an
    /// existing file; written beside it and renamed when whole).
    pub fn export_exchange(&self, ctx: &Ctx, plan_id: &str, unit_ids: &[String], out: &Path) -> Result<Exported> {
        self.export_exchange_as(ctx, plan_id, unit_ids, Some(out), false)
            .map(|(e, _)| e)
    }

    /// A protected exchange file of `unit_ids`, in memory (a unit's invitation carries one).
    pub(crate) fn export_sealed_bytes(&self, ctx: &Ctx, plan_id: &str, unit_ids: &[String]) -> Result<Vec<u8>> {
        let (_, bytes) = self.export_exchange_as(ctx, plan_id, unit_ids, None, false)?;
        bytes.ok_or_else(|| Refusal::TeamState.err("Máy này chưa có khóa đoàn."))
    }

    /// Who a team laptop's file is sealed to: the period's recipient (every laptop of the
    /// team can read it, a unit's cannot); from the lead also each member laptop's own key
    /// (a member that has not yet received the newest period still opens it, and takes the
    /// period from its roster); a file of exactly one unit also to that unit's laptop.
    fn recipients(k: &crate::app::team::Keys, unit_ids: &[String]) -> Result<Vec<crate::format::sealed::Recipient>> {
        use crate::domain::trust::Role;
        use crate::format::sealed::Recipient;
        let parse = |r: &str| {
            Recipient::parse(r).ok_or_else(|| Error::Corrupt {
                what: "khóa nhận của đoàn trong cơ sở dữ liệu".into(),
            })
        };
        let mut out = vec![parse(&k.roster.period_recipient)?];
        if k.own.role == Role::Unit {
            return Ok(out);
        }
        for l in &k.roster.laptops {
            let to_member = k.own.role == Role::Lead && l.role != Role::Unit && l.id != k.own.laptop_id;
            let to_unit = l.role == Role::Unit && unit_ids.len() == 1 && l.unit_id.as_ref() == Some(&unit_ids[0]);
            if to_member || to_unit {
                out.push(parse(&l.recipient)?);
            }
        }
        Ok(out)
    }

    /// The same where a save dialog has asked the user whether to replace an older file.
    pub fn export_exchange_replacing(
        &self,
        ctx: &Ctx,
        plan_id: &str,
        unit_ids: &[String],
        out: &Path,
    ) -> Result<Exported> {
        self.export_exchange_as(ctx, plan_id, unit_ids, Some(out), true)
            .map(|(e, _)| e)
    }

    /// Write the file at `out`, or (None) return a protected file's bytes.
    fn export_exchange_as(
        &self,
        ctx: &Ctx,
        plan_id: &str,
        unit_ids: &[String],
        out: Option<&Path>,
        overwrite: bool,
    ) -> Result<(Exported, Option<Vec<u8>>)> {
        if let Some(out) = out.filter(|o| !overwrite && o.exists()) {
            return Err(Refusal::FileExists.err(format!("Đã có tệp {}; hãy chọn tên khác.", out.display())));
        }
        let keys = self.keys()?;
        if let Some(k) = keys.as_ref().filter(|k| k.own.role == crate::domain::trust::Role::Unit) {
            // A unit's laptop sends its own unit only.
            if let Some(u) = &k.own.unit_id {
                if unit_ids.iter().any(|x| x != u) {
                    return Err(
                        Refusal::UnitMode.err("Máy tự đánh giá của đơn vị chỉ gửi được phần của chính đơn vị mình.")
                    );
                }
                if unit_ids.is_empty() {
                    return self.export_exchange_as(ctx, plan_id, std::slice::from_ref(u), out, overwrite);
                }
            }
        }
        use crate::store::exchange as db;
        let plan = self.plan(plan_id)?;
        let mut sel: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        let mut inspections: BTreeSet<String> = db::plan_inspections(self, plan_id)?.into_iter().collect();
        if !unit_ids.is_empty() {
            let keep: BTreeSet<&String> = unit_ids.iter().collect();
            inspections.retain(|i| db::inspection_unit(self, i).map(|u| keep.contains(&u)).unwrap_or(false));
            if inspections.is_empty() {
                return Err(Refusal::NotFound.err("Không có đơn vị nào đã chọn trong kế hoạch này."));
            }
        }
        // Inspections a re-inspection follows come along, and those whose recommendations
        // were carried in (from last year's plan): a carried recommendation names its origin.
        let mut queue: Vec<String> = inspections.iter().cloned().collect();
        while let Some(i) = queue.pop() {
            let mut linked = db::origin_inspections(self, &i)?;
            linked.extend(db::inspection_follows(self, &i)?);
            for f in linked {
                if inspections.insert(f.clone()) {
                    queue.push(f);
                }
            }
        }
        let mut units = BTreeSet::new();
        let mut templates = BTreeSet::new();
        let mut plans = BTreeSet::from([plan_id.to_string()]);
        for i in &inspections {
            let (u, t, p) = db::inspection_refs(self, i)?;
            units.insert(u);
            templates.insert(t);
            plans.insert(p);
        }
        // Units their history points at (successors, merged units).
        let mut queue: Vec<String> = units.iter().cloned().collect();
        while let Some(u) = queue.pop() {
            for l in db::linked_units(self, &u)? {
                if units.insert(l.clone()) {
                    queue.push(l);
                }
            }
        }
        let mut teams = BTreeSet::new();
        for p in &plans {
            teams.extend(db::plan_teams(self, p)?);
        }
        let mut members = BTreeSet::new();
        for t in &teams {
            members.extend(db::team_members(self, t)?);
        }
        let mut events = BTreeSet::new();
        for u in &units {
            events.extend(db::unit_events(self, u)?);
        }
        let mut children: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for t in [
            "response",
            "figure",
            "self_figure",
            "evidence",
            "finding",
            "recommendation",
            "document",
        ] {
            let set = children.entry(t).or_default();
            for i in &inspections {
                set.extend(db::inspection_records(self, t, i)?);
            }
        }
        let mut reports = BTreeSet::new();
        for p in &plans {
            reports.extend(db::plan_reports(self, p)?);
        }
        sel.insert("report", reports);
        sel.insert("plan", plans);
        sel.insert("team", teams);
        sel.insert("team_member", members);
        sel.insert("unit", units.clone());
        sel.insert("unit_event", events);
        sel.insert("template", templates.clone());
        sel.insert("inspection", inspections.clone());
        for (t, s) in children {
            sel.insert(t, s);
        }
        let mut records = Records::default();
        for t in TABLES {
            let cols = db::store_columns(self, t)?;
            let Some(set) = sel.get(t) else { continue };
            for id in set {
                records.records.push(db::exchange_record(self, t, id, &cols)?);
            }
        }
        let item_cols = db::store_columns(self, "template_item")?;
        for t in &templates {
            records.template_items.extend(db::template_items(self, t, &item_cols)?);
        }
        // Attachments referenced by the exported evidence and issued documents.
        let mut shas = BTreeSet::new();
        for r in &records.records {
            for f in ["attachment_sha256", "snapshot_sha256", "report_attachment_sha256"] {
                if let Some(serde_json::Value::String(s)) = r.f.get(f).map(|s| &s.main.v) {
                    shas.insert(s.clone());
                }
            }
        }
        let mut att_refs = Vec::new();
        let mut att_bytes = 0u64;
        for s in &shas {
            let (size, media_type, name) = db::attachment_ref(self, s)?;
            att_bytes += size as u64;
            att_refs.push(file::AttachmentRef {
                sha256: s.clone(),
                size: size as u64,
                media_type,
                name,
            });
        }
        let unit_names: Vec<file::UnitRef> = units
            .iter()
            .map(|u| {
                let name = db::store_unit_name(self, u).ok().flatten().unwrap_or_default();
                file::UnitRef { id: u.clone(), name }
            })
            .collect();
        let manifest = Manifest {
            format: file::FORMAT.into(),
            version: file::VERSION,
            app_version: env!("CARGO_PKG_VERSION").into(),
            created_at: ctx.stamp(),
            device_id: self.device_id().to_string(),
            inspector: ctx.inspector.clone(),
            plan_id: plan.id.clone(),
            plan_title: plan.title.clone(),
            units: unit_names.clone(),
            records: 0,
            fields: 0,
            records_sha256: String::new(),
            records_size: 0,
            attachments: att_refs,
            team_id: String::new(),
            laptop_id: String::new(),
            member: String::new(),
            seq: 0,
            roster_serial: 0,
        };
        let mut put_all = |put: &mut file::PutAttachment<'_>| -> Result<()> {
            for s in &shas {
                let bytes = db::attachment_data(self, s)?;
                put(s, &bytes)?;
            }
            Ok(())
        };
        let exported = |bytes: u64, path: String| Exported {
            path,
            records: records.records.len() as u64,
            fields: records.field_count() as u64,
            attachments: shas.len() as u64,
            attachment_bytes: att_bytes,
            bytes,
            units: unit_names.iter().map(|u| u.name.clone()).collect(),
        };
        if let Some(k) = &keys {
            // A team laptop's file: signed by this laptop, with the roster, sealed to the team.
            let mut manifest = manifest;
            let key = crate::domain::trust::signing_key(&k.own.signing_key).map_err(|_| Error::Corrupt {
                what: "khóa ký của máy trong cơ sở dữ liệu".into(),
            })?;
            manifest.team_id = k.team.id.clone();
            manifest.laptop_id = k.own.laptop_id.clone();
            manifest.member = k.own.member.clone();
            manifest.roster_serial = k.roster.serial;
            manifest.seq = crate::store::trust::take_seq(&self.conn)?;
            let roster = serde_json::to_vec(&k.signed).expect("roster serialises");
            let sign = |m: &[u8]| crate::domain::trust::sign_manifest(&key, m);
            let mut zip = file::write_signed(
                std::io::Cursor::new(Vec::new()),
                manifest,
                &records,
                &mut put_all,
                Some(file::Signing {
                    roster: &roster,
                    sign: &sign,
                }),
            )?
            .into_inner();
            file::seal_bytes(&mut zip);
            let to = Self::recipients(k, unit_ids)?;
            let Some(out) = out else {
                let sealed = crate::format::sealed::seal(&zip, &to, Vec::new())?;
                return Ok((exported(sealed.len() as u64, String::new()), Some(sealed)));
            };
            crate::store::files::write_whole(out, overwrite, "ghi được tệp", |tmp| {
                let f = std::fs::File::create(tmp).map_err(|e| Error::io("tạo được tệp", out, e))?;
                let w = crate::format::sealed::seal(&zip, &to, std::io::BufWriter::new(f))?;
                w.into_inner()
                    .map_err(|e| Error::io("ghi được tệp", out, e.into_error()))?
                    .sync_all()
                    .map_err(|e| Error::io("ghi được tệp", out, e))
            })?;
            let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
            return Ok((exported(bytes, out.display().to_string()), None));
        }
        let Some(out) = out else {
            return Err(Refusal::TeamState.err("Máy này chưa có khóa đoàn."));
        };
        crate::store::files::write_whole(out, overwrite, "ghi được tệp", |tmp| {
            let f = std::fs::File::create(tmp).map_err(|e| Error::io("tạo được tệp", out, e))?;
            let w = file::write(std::io::BufWriter::new(f), manifest, &records, &mut put_all)?;
            w.into_inner()
                .map_err(|e| Error::io("ghi được tệp", out, e.into_error()))?
                .sync_all()
                .map_err(|e| Error::io("ghi được tệp", out, e))?;
            file::seal_file(tmp)
        })?;
        let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
        Ok((exported(bytes, out.display().to_string()), None))
    }

    /// Fields whose versions were made concurrently and wait for a choice.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        let keys = crate::store::exchange::conflict_keys(self)?;
        let mut out = Vec::new();
        for (entity, id, field) in keys {
            out.push(self.conflict_of(&entity, &id, &field)?);
        }
        Ok(out)
    }

    fn conflict_of(&self, entity: &str, id: &str, field: &str) -> Result<Conflict> {
        if !TABLES.contains(&entity)
            || !crate::store::exchange::store_columns(self, entity)?
                .iter()
                .any(|c| c == field)
        {
            return Err(Error::NotFound {
                what: "xung đột",
                key: format!("{entity}.{field}"),
            });
        }
        let shown = crate::store::exchange::shown_value(self, entity, id, field)?;
        let (h, by, at) = crate::store::exchange::shown_clock(self, entity, id, field)?.unwrap_or_default();
        let device = if h.is_empty() {
            String::new()
        } else {
            db_hlc(&h, entity, id, field)?.device
        };
        let mut versions = vec![ConflictVersion {
            value: display(&to_json(&shown)),
            device,
            hlc: h,
            inspector: by,
            at,
            shown: true,
        }];
        for p in crate::store::exchange::pending_versions(self, entity, id, field)? {
            versions.push(ConflictVersion {
                value: display(&p.value),
                device: p.hlc.device.clone(),
                hlc: p.hlc.to_string(),
                inspector: p.by,
                at: p.at,
                shown: false,
            });
        }
        let (what, unit_name) = self.describe(entity, id)?;
        Ok(Conflict {
            id: conflict_id(entity, id, field),
            entity: entity.to_string(),
            entity_id: id.to_string(),
            field: field.to_string(),
            what,
            field_label: field_label(entity, field),
            unit_name,
            versions,
        })
    }

    fn describe(&self, entity: &str, id: &str) -> Result<(String, Option<String>)> {
        let unit = crate::store::exchange::record_unit_name(self, entity, id)?;
        let what = match entity {
            "finding" => {
                let (area, text) = crate::store::exchange::finding_area_text(self, id)?;
                format!(
                    "Nhận xét lĩnh vực {area}: «{}»",
                    crate::domain::text::excerpt(&text, 50)
                )
            }
            "recommendation" => {
                let n = crate::store::exchange::recommendation_number(self, id)?;
                format!("Kiến nghị số {n}")
            }
            "response" => {
                let code = crate::store::exchange::response_item_code(self, id)?;
                format!("Tiêu chí {code}")
            }
            "figure" => {
                let key = crate::store::exchange::figure_key(self, "figure", id)?;
                format!("Số liệu «{}»", crate::domain::figures::label(&key))
            }
            "self_figure" => {
                let key = crate::store::exchange::figure_key(self, "self_figure", id)?;
                format!("Số liệu đơn vị tự báo cáo «{}»", crate::domain::figures::label(&key))
            }
            "evidence" => "Tài liệu kiểm chứng".to_string(),
            "document" | "report" => "Văn bản".to_string(),
            "unit" => "Đơn vị".to_string(),
            "inspection" => "Cuộc kiểm tra".to_string(),
            "plan" => "Kế hoạch".to_string(),
            "team" => "Đoàn kiểm tra".to_string(),
            "team_member" => "Thành viên đoàn".to_string(),
            other => other.to_string(),
        };
        Ok((what, unit))
    }

    /// Choose between concurrent versions; the choice is a change of this laptop that travels
    /// in the next exchange file and settles the field everywhere.
    pub fn resolve_conflict(&mut self, ctx: &Ctx, conflict_id: &str, keep: Keep) -> Result<Conflict> {
        let all = self.conflicts()?;
        let c = all
            .into_iter()
            .find(|c| c.id.starts_with(conflict_id.trim()) && !conflict_id.trim().is_empty())
            .ok_or_else(|| Error::NotFound {
                what: "xung đột",
                key: conflict_id.into(),
            })?;
        let (entity, id, field) = (c.entity.clone(), c.entity_id.clone(), c.field.clone());
        let value: Value = match &keep {
            Keep::Mine => crate::store::exchange::shown_value(self, &entity, &id, &field)?,
            Keep::Theirs(prefix) => {
                let rows = crate::store::exchange::pending_versions(self, &entity, &id, &field)?;
                let pick = match prefix {
                    Some(p) => rows.iter().find(|v| v.hlc.to_string().starts_with(p.as_str())),
                    None => rows.first(),
                };
                let p = pick.ok_or_else(|| Error::NotFound {
                    what: "phiên bản",
                    key: prefix.clone().unwrap_or_default(),
                })?;
                to_sql(&p.value)
            }
            Keep::Value(text) => {
                let ty = crate::store::exchange::column_type(self, &entity, &field)?;
                match ty.as_str() {
                    // A figure is read by its unit, as it is typed and shown ("1.081" is a
                    // count of 1 081; "12,82" a percentage).
                    "REAL" if (entity == "figure" || entity == "self_figure") && field == "value" => {
                        let key = crate::store::exchange::figure_key(self, &entity, &id)?;
                        let count = crate::domain::figures::figure(&key)
                            .is_some_and(|f| matches!(f.unit, crate::domain::figures::FigureUnit::Count));
                        Value::Real(crate::domain::text::parse_number(text, count, &c.field_label)?)
                    }
                    "REAL" => Value::Real(crate::domain::text::parse_number(text, false, &c.field_label)?),
                    "INTEGER" => Value::Integer(crate::domain::text::parse_number(text, true, &c.field_label)? as i64),
                    _ => Value::Text(crate::domain::text::nfc(text.trim())),
                }
            }
        };
        // Through the write path: a kept or rewritten value obeys the rules of a normal edit.
        self.write(ctx, "giải quyết xung đột", |w| {
            w.set_forced(&entity, &id, &field, value.clone())?;
            Ok(())
        })?;
        Ok(c)
    }
}

pub fn conflict_id(entity: &str, id: &str, field: &str) -> String {
    crate::domain::digest::sha256_hex(format!("{entity}\u{1f}{id}\u{1f}{field}").as_bytes())[..10].to_string()
}

fn field_label(entity: &str, field: &str) -> String {
    match (entity, field) {
        (_, "deleted") => "xóa hay giữ".into(),
        (_, "text") => "nội dung".into(),
        (_, "team_score") => "điểm đoàn chấm".into(),
        (_, "self_score") => "điểm tự chấm".into(),
        (_, "status") => "mức đánh giá".into(),
        (_, "note") => "ghi chú".into(),
        (_, "value") => "giá trị".into(),
        (_, "owner") => "đơn vị thực hiện".into(),
        (_, "deadline") => "thời hạn".into(),
        (_, "state") => "tình trạng".into(),
        (_, "number") => "số".into(),
        (_, "name") => "tên".into(),
        (_, "self_note") => "giải trình của đơn vị".into(),
        (_, "report_number") => "số báo cáo khắc phục".into(),
        (_, "report_date") => "ngày báo cáo khắc phục".into(),
        (_, "report_note") => "kết quả khắc phục".into(),
        (_, "report_attachment_sha256") | (_, "report_attachment_name") => "tệp minh chứng khắc phục".into(),
        (_, "origin_id") => "kiến nghị lần kiểm tra trước".into(),
        (_, "source") => "nguồn tài liệu".into(),
        (_, "follows_id") => "cuộc kiểm tra trước".into(),
        (_, f) => f.replace('_', " "),
    }
}
