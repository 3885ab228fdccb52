//! The SQLite store: one file, WAL, foreign keys on, STRICT tables, migrations tracked by
//! `user_version`. A file from a newer app, a damaged file or another program's database
//! is refused before anything is written to it. Every user action runs in one immediate
//! transaction; every changed field is written to the audit log with its hybrid logical
//! clock, the device and the inspector.

pub mod audit;
pub mod documents;
pub mod exchange;
pub mod files;
pub mod findings;
pub mod followup;
pub mod holidays;
pub mod meta;
pub mod origin;
pub mod paths;
pub mod plan;
pub mod records;
pub mod reports;
pub mod responses;
pub mod search;
pub mod sqlite_error;
pub mod stored;
pub mod templates;
pub mod trust;
pub mod workbook;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::{DateTime, SecondsFormat, Utc};
pub use rusqlite::types::Value;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use rusqlite_migration::{HookResult, Migrations, M};

use crate::domain::clock::{Hlc, Vv};
use crate::error::{Error, Refusal, Result};

pub const APPLICATION_ID: i64 = 1_263_813_443; // 'KTCC'

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/01-initial.sql")),
        M::up_with_hook(
            include_str!("../../migrations/02-search.sql"),
            |tx: &Transaction| -> HookResult {
                crate::store::search::rebuild(tx).map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))?;
                Ok(())
            },
        ),
        M::up(include_str!("../../migrations/03-exchange.sql")),
        M::up_with_hook(
            include_str!("../../migrations/04-after-visit.sql"),
            |tx: &Transaction| -> HookResult {
                crate::store::holidays::seed(tx).map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))?;
                Ok(())
            },
        ),
        M::up(include_str!("../../migrations/05-layers.sql")),
        M::up(include_str!("../../migrations/06-trust.sql")),
        M::up_with_hook(
            include_str!("../../migrations/07-plans.sql"),
            |tx: &Transaction| -> HookResult {
                widen_kinds(tx).map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))?;
                Ok(())
            },
        ),
        M::up(include_str!("../../migrations/08-holidays-thumbnails.sql")),
        M::up(include_str!("../../migrations/09-reports.sql")),
        M::up_with_hook(
            include_str!("../../migrations/10-origin.sql"),
            |tx: &Transaction| -> HookResult {
                crate::store::origin::migrate(tx).map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))?;
                Ok(())
            },
        ),
    ])
});

/// The schema version this build writes.
pub fn latest_schema() -> i64 {
    10
}

/// Schema 7's widened CHECKs: the unit kinds of an agency's internal inspection and their
/// checklist kind. SQLite cannot alter a CHECK, and rebuilding `unit` and `template` would
/// need the foreign keys off (not possible inside the migration's transaction); its
/// documentation's procedure for a constraint that no stored row can violate is to edit the
/// table's definition and bump the schema version, which this does, refusing if a
/// definition is not the one schema 1 wrote.
fn widen_kinds(tx: &Transaction) -> rusqlite::Result<()> {
    let edits = [
        (
            "unit",
            "kind         TEXT NOT NULL CHECK (kind IN ('so', 'xa', 'phuong'))",
            "kind         TEXT NOT NULL CHECK (kind IN ('so', 'xa', 'phuong', 'phong', 'ban', 'don_vi'))",
        ),
        (
            "template",
            "kind         TEXT NOT NULL CHECK (kind IN ('so', 'xa'))",
            "kind         TEXT NOT NULL CHECK (kind IN ('so', 'xa', 'co_quan'))",
        ),
    ];
    let version: i64 = tx.pragma_query_value(None, "schema_version", |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", true)?;
    for (table, old, new) in edits {
        let n = tx.execute(
            "UPDATE sqlite_schema SET sql = replace(sql, ?2, ?3) WHERE type = 'table' AND name = ?1 AND instr(sql, ?2) > 0",
            params![table, old, new],
        )?;
        if n != 1 {
            tx.pragma_update(None, "writable_schema", false)?;
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "định nghĩa của bảng {table} không phải của lược đồ 1"
            )));
        }
    }
    tx.pragma_update(None, "schema_version", version + 1)?;
    tx.pragma_update(None, "writable_schema", false)?;
    Ok(())
}

/// Who acts and when: every mutating call takes one, so the core never reads a clock.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub now: DateTime<Utc>,
    pub inspector: String,
}

impl Ctx {
    /// The day in Vietnam (UTC+7, no daylight saving): what deadlines are counted against.
    pub fn today(&self) -> chrono::NaiveDate {
        self.now
            .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("+07:00"))
            .date_naive()
    }

    pub fn new(now: DateTime<Utc>, inspector: impl Into<String>) -> Ctx {
        Ctx {
            now,
            inspector: inspector.into(),
        }
    }
    pub fn stamp(&self) -> String {
        self.now.to_rfc3339_opts(SecondsFormat::Millis, true)
    }
}

pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    device_id: String,
    /// Parsed template versions (immutable once stored).
    pub(crate) template_cache: TemplateCache,
    /// The plan this session works on when a command names one (`--plan`), over the plan
    /// in use this laptop keeps in `meta`.
    pub(crate) chosen_plan: Option<String>,
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Where this database lives: the machine's id and the file's full path, hashed. When it
/// changes, the file was copied or moved, and the store takes a new device id.
fn device_home(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let machine = std::fs::read_to_string("/etc/machine-id")
        .or_else(|_| std::fs::read_to_string("/var/lib/dbus/machine-id"))
        .unwrap_or_else(|_| {
            format!(
                "{}/{}",
                std::env::var("COMPUTERNAME").unwrap_or_default(),
                std::env::var("USERDOMAIN").unwrap_or_default()
            )
        });
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let h = Sha256::digest(format!("{}\u{1f}{}", machine.trim(), full.display()).as_bytes());
    h.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn damaged(path: &Path) -> Error {
    Error::DbDamaged {
        path: path.display().to_string(),
    }
}

/// What an error met while opening a file means for the user: a full disk or a failing
/// device is not a damaged database, and must not be called one.
fn classify(e: rusqlite::Error, path: &Path) -> Error {
    match Error::from(e) {
        Error::DiskFull => Error::DiskFull,
        Error::DiskIo { .. } => Error::DiskIo {
            path: path.display().to_string(),
        },
        Error::ReadOnly { .. } => Error::ReadOnly {
            path: path.display().to_string(),
        },
        _ => damaged(path),
    }
}

impl Store {
    /// Create a new database at `path` (creating its folder), or open the one that is there.
    /// Returns the store and whether it was created now.
    pub fn init(path: &Path, ctx: &Ctx) -> Result<(Store, bool)> {
        if path.exists() {
            return Ok((Store::open(path)?, false));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("tạo được thư mục", dir, e))?;
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
            .map_err(|e| match Error::from(e) {
                Error::ReadOnly { .. } => Error::ReadOnly {
                    path: path.display().to_string(),
                },
                other => other,
            })?;
        let created = (|| -> Result<Store> {
            configure(&conn)?;
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| match Error::from(e) {
                    Error::ReadOnly { .. } => Error::ReadOnly {
                        path: path.display().to_string(),
                    },
                    other => other,
                })?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            let mut conn = conn;
            MIGRATIONS
                .to_latest(&mut conn)
                .map_err(|e| Refusal::DbMigration.err(format!("Không tạo được lược đồ dữ liệu: {e}")))?;
            let device_id = uuid::Uuid::new_v4().to_string();
            {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                tx.execute("INSERT INTO meta(key, value) VALUES ('device_id', ?1)", [&device_id])?;
                tx.execute("INSERT INTO meta(key, value) VALUES ('created_at', ?1)", [ctx.stamp()])?;
                tx.execute(
                    "INSERT INTO meta(key, value) VALUES ('device_home', ?1)",
                    [device_home(path)],
                )?;
                tx.commit()?;
            }
            let mut store = Store {
                conn,
                path: path.to_path_buf(),
                device_id,
                template_cache: Default::default(),
                chosen_plan: None,
            };
            store.install_default_templates(ctx)?;
            Ok(store)
        })();
        match created {
            Ok(s) => Ok((s, true)),
            Err(e) => {
                // Leave nothing half-made behind.
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{}", path.display(), suffix));
                }
                Err(e)
            }
        }
    }

    /// Open an existing database, upgrading an older schema (after a backup beside it).
    pub fn open(path: &Path) -> Result<Store> {
        let meta = std::fs::metadata(path).map_err(|_| Error::DbMissing {
            path: path.display().to_string(),
        })?;
        if meta.is_dir() {
            return Err(Refusal::BadPath.err(format!(
                "{} là một thư mục, không phải tệp cơ sở dữ liệu.",
                path.display()
            )));
        }
        {
            use std::io::Read;
            let mut head = [0u8; 16];
            let mut f = std::fs::File::open(path).map_err(|e| Error::io("mở được", path, e))?;
            if f.read_exact(&mut head).is_err() || &head != SQLITE_MAGIC {
                return Err(damaged(path));
            }
        }
        // Everything is checked on a read-only connection first: closing a read-write one
        // would checkpoint a -wal file into a database that is about to be refused.
        {
            let ro =
                Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                    .map_err(|e| classify(e, path))?;
            let probe = (|| -> rusqlite::Result<(i64, i64, i64)> {
                let v: i64 = ro.pragma_query_value(None, "user_version", |r| r.get(0))?;
                let app: i64 = ro.pragma_query_value(None, "application_id", |r| r.get(0))?;
                let tables: i64 = ro.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
                Ok((v, app, tables))
            })();
            let (version, app, tables) = probe.map_err(|e| classify(e, path))?;
            if app != APPLICATION_ID && (version != 0 || tables != 0) {
                return Err(Refusal::DbForeign.err(format!(
                    "{} là cơ sở dữ liệu của một chương trình khác, không phải của Kiểm tra CCHC. Tệp không bị thay đổi.",
                    path.display()
                )));
            }
            if version > latest_schema() {
                return Err(Error::DbTooNew {
                    path: path.display().to_string(),
                    found: version,
                    supported: latest_schema(),
                });
            }
            if version == 0 {
                return Err(damaged(path));
            }
        }
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(e, path))?;
        configure(&conn)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| classify(e, path))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| classify(e, path))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        if version < latest_schema() {
            // Keep the old file as it was before touching its schema.
            let backup = PathBuf::from(format!("{}.schema{}.bak", path.display(), version));
            if !backup.exists() {
                backup_to(&conn, &backup, false)?;
            }
            MIGRATIONS.to_latest(&mut conn).map_err(|e| {
                Refusal::DbMigration.err(format!(
                    "Không nâng cấp được cơ sở dữ liệu (bản sao lưu: {}): {e}",
                    backup.display()
                ))
            })?;
        }
        let mut device_id: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| r.get(0))
            .optional()
            .map_err(|e| classify(e, path))?
            .ok_or_else(|| damaged(path))?;
        // A database copied to another laptop (or another folder) is a new device: its
        // changes must not pass for the original's in exchange files.
        let home = device_home(path);
        let known: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'device_home'", [], |r| r.get(0))
            .optional()?;
        if known.as_deref() != Some(home.as_str()) {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if known.is_some() {
                let old = device_id.clone();
                device_id = uuid::Uuid::new_v4().to_string();
                tx.execute("UPDATE meta SET value = ?1 WHERE key = 'device_id'", [&device_id])?;
                tx.execute(
                    "INSERT INTO meta(key, value) VALUES ('previous_device_ids', ?1)
                     ON CONFLICT(key) DO UPDATE SET value = value || ' ' || excluded.value",
                    [&old],
                )?;
            }
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('device_home', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [&home],
            )?;
            tx.commit()?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            device_id,
            template_cache: Default::default(),
            chosen_plan: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// One immediate transaction, committed when `f` succeeds. This is the storage layer's
    /// part of a user action: the use-case layer's `Store::write` (app/rules.rs) wraps it
    /// with the rules every write obeys and the search index, so nothing else calls it.
    pub(crate) fn transact<T>(
        &mut self,
        ctx: &Ctx,
        action: &str,
        f: impl FnOnce(&mut W<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut w = W {
            tx,
            ctx: ctx.clone(),
            hlc: std::cell::OnceCell::new(),
            device_id: self.device_id.clone(),
            action: action.to_string(),
            touched: Default::default(),
            templates: &self.template_cache,
            barrier: false,
            origin: std::cell::Cell::new(false),
        };
        let out = f(&mut w)?;
        w.tx.commit()?;
        Ok(out)
    }

    /// Write every committed change from the write-ahead log into the database file and
    /// empty the log, so that the file alone is a complete copy (a data folder copied by
    /// hand, a file sent as is). Returns false when another connection was reading and the
    /// log could not be emptied now (nothing is lost: the log stays and SQLite applies it
    /// on the next open or checkpoint).
    pub fn checkpoint(&self) -> Result<bool> {
        let (busy, _log, _done): (i64, i64, i64) = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(busy == 0)
    }

    /// Take a consistent copy of the database with SQLite's online backup API.
    /// The copy is written beside the target and renamed into place, so a failure leaves no
    /// half-written file; an existing file is not overwritten.
    pub fn backup(&self, dest: &Path) -> Result<u64> {
        if dest.exists() {
            return Err(Refusal::FileExists.err(format!(
                "Đã có tệp {}; hãy chọn tên khác cho bản sao lưu.",
                dest.display()
            )));
        }
        backup_to(&self.conn, dest, false)?;
        Ok(std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0))
    }

    /// A backup where a save dialog has asked the user whether to replace an older file.
    pub fn backup_replacing(&self, dest: &Path) -> Result<u64> {
        backup_to(&self.conn, dest, true)?;
        Ok(std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0))
    }

    /// Refuse with "không tìm thấy" unless `table` has a live (not deleted) record `id`.
    pub(crate) fn live(&self, table: &str, id: &str, what: &'static str) -> Result<()> {
        let found: Option<i64> = self
            .conn
            .query_row(
                &format!("SELECT 1 FROM {table} WHERE id = ?1 AND deleted = 0"),
                [id],
                |r| r.get(0),
            )
            .optional()?;
        found
            .map(|_| ())
            .ok_or_else(|| Error::NotFound { what, key: id.into() })
    }

    /// SQLite's own integrity check, then every clock and version vector the merge reads;
    /// an empty list means the file is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut problems: Vec<String> = rows.into_iter().filter(|r| r != "ok").collect();
        if !problems.is_empty() {
            return Ok(problems);
        }
        if let Err(e) = last_clock(&self.conn) {
            problems.push(e.to_string());
        }
        for table in ["field_clock", "field_version"] {
            let mut st = self
                .conn
                .prepare(&format!("SELECT entity, entity_id, field, hlc, vv FROM {table}"))?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let (entity, id, field, h, vv): (String, String, String, String, String) =
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
                let bad = db_hlc(&h, &entity, &id, &field)
                    .and_then(|_| db_vv(&vv, &entity, &id, &field))
                    .err();
                if let Some(Error::Corrupt { what }) = bad {
                    problems.push(format!("dữ liệu hỏng ở {what}"));
                    if problems.len() >= 20 {
                        return Ok(problems);
                    }
                }
            }
        }
        Ok(problems)
    }

    pub fn audit(&self, limit: usize) -> Result<Vec<crate::domain::model::AuditEntry>> {
        let mut st = self.conn.prepare(
            "SELECT seq, at, device_id, inspector, action, entity, entity_id, field, old_value, new_value
             FROM audit_log ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = st
            .query_map([limit as i64], |r| {
                Ok(crate::domain::model::AuditEntry {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    device_id: r.get(2)?,
                    inspector: r.get(3)?,
                    action: r.get(4)?,
                    entity: r.get(5)?,
                    entity_id: r.get(6)?,
                    field: r.get(7)?,
                    old_value: r.get(8)?,
                    new_value: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// A consistent copy of the open database at `dest` (SQLite's online backup), written whole
/// or not at all.
fn backup_to(conn: &Connection, dest: &Path, overwrite: bool) -> Result<()> {
    files::write_whole(dest, overwrite, "ghi được bản sao lưu vào", |tmp| {
        let mut out = Connection::open(tmp).map_err(|e| match Error::from(e) {
            Error::ReadOnly { .. } => Error::ReadOnly {
                path: dest.parent().unwrap_or(dest).display().to_string(),
            },
            other => other,
        })?;
        {
            let b = rusqlite::backup::Backup::new(conn, &mut out)?;
            b.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
        }
        out.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    })
}

/// The time part of the newest clock this laptop has made or received (meta 'hlc',
/// "<ms>-<counter>"); a value that does not read is an error, never a fresh start.
pub(crate) fn last_clock(tx: &Connection) -> Result<Option<(u64, u32)>> {
    let last: Option<String> = tx
        .query_row("SELECT value FROM meta WHERE key = 'hlc'", [], |r| r.get(0))
        .optional()?;
    last.map(|l| {
        Hlc::parse_stamp(&l).map_err(|_| Error::Corrupt {
            what: "đồng hồ của máy (meta «hlc»)".into(),
        })
    })
    .transpose()
}

pub(crate) fn set_last_clock(tx: &Connection, h: &Hlc) -> Result<()> {
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('hlc', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [h.stamp()],
    )?;
    Ok(())
}

/// The clock of a new action (see [`Hlc::next`]): the wall clock, or the last clock one up
/// when the wall clock is behind it.
fn next_hlc(tx: &Transaction, ctx: &Ctx, device: &str) -> Result<Hlc> {
    let now_ms = ctx.now.timestamp_millis().max(0) as u64;
    let h = Hlc::next(last_clock(tx)?, now_ms, device);
    set_last_clock(tx, &h)?;
    Ok(h)
}

fn corrupt(kind: &str, entity: &str, id: &str, field: &str) -> Error {
    Error::Corrupt {
        what: format!("{kind} của trường {entity}.{field}, bản ghi {id}"),
    }
}

/// A clock read from the database (`entity`, `id`, `field` name where, if it is damaged).
pub(crate) fn db_hlc(text: &str, entity: &str, id: &str, field: &str) -> Result<Hlc> {
    text.parse().map_err(|_| corrupt("đồng hồ", entity, id, field))
}

/// A version vector read from the database.
pub(crate) fn db_vv(json: &str, entity: &str, id: &str, field: &str) -> Result<Vv> {
    Vv::parse(json).map_err(|_| corrupt("véc-tơ phiên bản", entity, id, field))
}

/// A write in progress: the transaction plus who, when and the clock of this action.
pub struct W<'a> {
    pub(crate) tx: Transaction<'a>,
    pub ctx: Ctx,
    /// The clock of this action, taken at its first real change: an action that changes
    /// nothing writes nothing, not even the clock.
    hlc: std::cell::OnceCell<Hlc>,
    pub device_id: String,
    pub action: String,
    /// What this action wrote, record by record, for the rules and the search index.
    touched: std::cell::RefCell<Vec<Touch>>,
    templates: &'a TemplateCache,
    /// An action undo never goes past (setting up, issuing a document).
    pub(crate) barrier: bool,
    /// What is written now is data the app ships (the sample plan, a checklist): a field
    /// written for the first time takes the origin version ([`crate::store::origin`]), the
    /// same on every laptop, instead of this action's clock.
    pub(crate) origin: std::cell::Cell<bool>,
}

pub(crate) type TemplateCache =
    std::cell::RefCell<std::collections::HashMap<String, std::sync::Arc<crate::domain::template::Template>>>;

/// One record an action wrote: its table, id, the fields that changed, and whether the
/// action created it.
#[derive(Debug, Clone)]
pub(crate) struct Touch {
    pub table: String,
    pub id: String,
    pub fields: Vec<String>,
    pub created: bool,
}

pub(crate) fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Integer(i) => Some(i.to_string()),
        Value::Real(f) => Some(f.to_string()),
        Value::Text(s) => Some(s.clone()),
        Value::Blob(b) => Some(format!("<{} byte>", b.len())),
    }
}

/// Ids of records that every laptop must agree on (the sample plan's records, a response
/// to one criterion, one figure…) are derived from their natural key, so that the same
/// thing made on two laptops is the same record when their files are merged.
pub fn stable_id(parts: &[&str]) -> String {
    const NS: uuid::Uuid = uuid::Uuid::from_u128(0x6b74_6363_2d6b_6965_6d74_7261_2d63_6368);
    uuid::Uuid::new_v5(&NS, parts.join("\u{1f}").as_bytes()).to_string()
}

impl W<'_> {
    pub fn new_id(&self) -> String {
        uuid::Uuid::new_v4().to_string()
    }

    /// This action's clock (allocated on first use).
    pub fn hlc(&self) -> Result<Hlc> {
        if let Some(h) = self.hlc.get() {
            return Ok(h.clone());
        }
        let h = next_hlc(&self.tx, &self.ctx, &self.device_id)?;
        Ok(self.hlc.get_or_init(|| h).clone())
    }

    fn log(&self, entity: &str, id: &str, field: &str, old: Option<String>, new: Option<String>) -> Result<()> {
        let hlc = self.hlc()?;
        self.tx.execute(
            "INSERT INTO audit_log(hlc, at, device_id, inspector, action, entity, entity_id, field, old_value, new_value, barrier)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![hlc.to_string(), self.ctx.stamp(), self.device_id, self.ctx.inspector, self.action, entity, id, field, old, new, self.barrier],
        )?;
        // A change made here has seen every version of the field this laptop holds (and, for
        // a deletion, every field of the record): its vector covers them all, so it resolves
        // any conflict on the field.
        let mut vv = Vv::default();
        let mut seen = false;
        {
            let mut st = self.tx.prepare_cached(
                "SELECT field, vv FROM field_clock WHERE entity = ?1 AND entity_id = ?2 AND (field = ?3 OR ?4)
                 UNION ALL SELECT field, vv FROM field_version WHERE entity = ?1 AND entity_id = ?2 AND (field = ?3 OR ?4)",
            )?;
            let deleting = field == "deleted" && new.as_deref() == Some("1");
            let rows = st.query_map(params![entity, id, field, deleting], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            for r in rows {
                let (f, json) = r?;
                vv.join(&db_vv(&json, entity, id, &f)?);
                seen = true;
            }
        }
        if self.origin.get() && !seen {
            // Shipped data written for the first time: the version every laptop gives it.
            return crate::store::origin::set_origin(&self.tx, entity, id, field, new.as_deref());
        }
        vv.set(&self.device_id, &hlc);
        self.tx
            .prepare_cached(
                "INSERT INTO field_clock(entity, entity_id, field, hlc, vv, inspector, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(entity, entity_id, field) DO UPDATE SET hlc = excluded.hlc, vv = excluded.vv,
                    inspector = excluded.inspector, at = excluded.at",
            )?
            .execute(params![
                entity,
                id,
                field,
                hlc.to_string(),
                vv.to_json(),
                self.ctx.inspector,
                self.ctx.stamp()
            ])?;
        self.tx
            .prepare_cached("DELETE FROM field_version WHERE entity = ?1 AND entity_id = ?2 AND field = ?3")?
            .execute(params![entity, id, field])?;
        Ok(())
    }

    /// Insert a record with the common columns filled in; every field goes to the audit log.
    pub fn insert(&self, table: &str, id: &str, fields: &[(&str, Value)]) -> Result<()> {
        let mut cols: Vec<&str> = vec!["id"];
        cols.extend(fields.iter().map(|(c, _)| *c));
        cols.extend(["updated_at", "device_id", "hlc"]);
        let placeholders: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {table}({}) VALUES ({})",
            cols.join(", "),
            placeholders.join(", ")
        );
        let mut vals: Vec<Value> = vec![Value::Text(id.to_string())];
        vals.extend(fields.iter().map(|(_, v)| v.clone()));
        vals.extend([
            Value::Text(self.ctx.stamp()),
            Value::Text(self.device_id.clone()),
            Value::Text(self.hlc()?.to_string()),
        ]);
        self.tx.execute(&sql, rusqlite::params_from_iter(vals.iter()))?;
        for (c, v) in fields {
            if let Some(t) = value_text(v) {
                self.log(table, id, c, None, Some(t))?;
            }
        }
        self.touch(table, id, fields.iter().map(|(c, _)| *c), true);
        Ok(())
    }

    fn touch<'f>(&self, table: &str, id: &str, fields: impl IntoIterator<Item = &'f str>, created: bool) {
        let mut t = self.touched.borrow_mut();
        let i = match t.iter().rposition(|x| x.table == table && x.id == id) {
            Some(i) => i,
            None => {
                t.push(Touch {
                    table: table.to_string(),
                    id: id.to_string(),
                    fields: vec![],
                    created,
                });
                t.len() - 1
            }
        };
        for f in fields {
            if !t[i].fields.iter().any(|x| x == f) {
                t[i].fields.push(f.to_string());
            }
        }
    }

    /// The records this action has written so far.
    pub(crate) fn touched(&self) -> Vec<Touch> {
        self.touched.borrow().clone()
    }

    /// A checklist template by id, parsed once per store (templates never change).
    pub(crate) fn template(&self, id: &str) -> Result<std::sync::Arc<crate::domain::template::Template>> {
        crate::store::templates::cached_template(&self.tx, self.templates, id)
    }

    /// Update the fields that really change; returns how many did. Unchanged values are
    /// neither written nor logged, so repeating an action is a no-op.
    pub fn update(&self, table: &str, id: &str, fields: &[(&str, Value)]) -> Result<usize> {
        if fields.is_empty() {
            return Ok(0);
        }
        let cols: Vec<&str> = fields.iter().map(|(c, _)| *c).collect();
        let sql = format!("SELECT {} FROM {table} WHERE id = ?1", cols.join(", "));
        let old: Vec<Value> = self
            .tx
            .query_row(&sql, [id], |r| (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect())?;
        let mut changed = 0;
        for ((c, new), old) in fields.iter().zip(old.iter()) {
            if new == old {
                continue;
            }
            self.tx
                .execute(&format!("UPDATE {table} SET {c} = ?1 WHERE id = ?2"), params![new, id])?;
            self.log(table, id, c, value_text(old), value_text(new))?;
            self.touch(table, id, [*c], false);
            changed += 1;
        }
        if changed > 0 {
            self.tx.execute(
                &format!("UPDATE {table} SET updated_at = ?1, device_id = ?2, hlc = ?3 WHERE id = ?4"),
                params![self.ctx.stamp(), self.device_id, self.hlc()?.to_string(), id],
            )?;
        }
        Ok(changed)
    }

    /// Write a field even when it holds that value already, and log it: choosing the value
    /// shown during a conflict is a change of its own (its clock covers every version).
    pub fn set_forced(&self, table: &str, id: &str, field: &str, value: Value) -> Result<()> {
        let old: Value = self
            .tx
            .query_row(&format!("SELECT {field} FROM {table} WHERE id = ?1"), [id], |r| {
                r.get(0)
            })?;
        self.tx.execute(
            &format!("UPDATE {table} SET {field} = ?1, updated_at = ?2, device_id = ?3, hlc = ?4 WHERE id = ?5"),
            params![value, self.ctx.stamp(), self.device_id, self.hlc()?.to_string(), id],
        )?;
        self.touch(table, id, [field], false);
        self.log(table, id, field, value_text(&old), value_text(&value))
    }

    /// Mark a record deleted (a tombstone that will travel in exchange files).
    pub fn delete(&self, table: &str, id: &str) -> Result<()> {
        self.update(table, id, &[("deleted", Value::Integer(1))])?;
        Ok(())
    }

    pub fn conn(&self) -> &Connection {
        &self.tx
    }
}

/// Optional text → SQL value (empty → NULL).
pub fn opt_text(s: Option<&str>) -> Value {
    match s {
        Some(t) if !t.trim().is_empty() => Value::Text(crate::domain::text::nfc(t)),
        _ => Value::Null,
    }
}

pub fn text(s: &str) -> Value {
    Value::Text(crate::domain::text::nfc(s))
}

pub fn opt_real(x: Option<f64>) -> Value {
    x.map(Value::Real).unwrap_or(Value::Null)
}
