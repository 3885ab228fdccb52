//! Typed errors. Every message is Vietnamese and says what to do; `code()` is the stable
//! identifier that crosses IPC as `{code, message}`.

use std::path::Path;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Không tìm thấy {what} «{key}».")]
    NotFound { what: &'static str, key: String },

    #[error("«{query}» khớp với nhiều đơn vị: {candidates}. Hãy gõ cụ thể hơn hoặc dùng mã đơn vị.")]
    Ambiguous { query: String, candidates: String },

    /// Input or an action refused, of a kind a window or a script can act on.
    #[error("{message}")]
    Refused { kind: Refusal, message: String },

    /// A value read back from the database that does not parse: never replaced by a default.
    #[error("Dữ liệu hỏng ở {what}. Dữ liệu không bị thay đổi; hãy chạy «kiemtra check» và khôi phục từ bản sao lưu.")]
    Corrupt { what: String },

    /// The app's own embedded data or a library failed; nothing the user typed is wrong.
    #[error("{0}")]
    Internal(String),

    #[error("Bộ tiêu chí không hợp lệ: mục «{item}», trường «{field}»: {message}")]
    Template {
        item: String,
        field: String,
        message: String,
    },

    #[error("Cơ sở dữ liệu {path} được tạo bởi phiên bản mới hơn của ứng dụng (lược đồ {found}, phiên bản này đọc được đến {supported}). Hãy cập nhật ứng dụng. Dữ liệu không bị thay đổi.")]
    DbTooNew { path: String, found: i64, supported: i64 },

    #[error("Tệp {path} bị hỏng hoặc không phải cơ sở dữ liệu của Kiểm tra CCHC. Dữ liệu không bị thay đổi; hãy khôi phục từ bản sao lưu.")]
    DbDamaged { path: String },

    #[error("Chưa có cơ sở dữ liệu tại {path}. Hãy chạy «kiemtra init» trước.")]
    DbMissing { path: String },

    #[error("Đã có cơ sở dữ liệu tại {path}; không ghi đè.")]
    DbExists { path: String },

    #[error("Ổ đĩa đã đầy: không lưu được thay đổi. Dữ liệu trước đó vẫn nguyên vẹn; hãy giải phóng dung lượng rồi thử lại.")]
    DiskFull,

    #[error("Không đọc, ghi được ổ đĩa chứa {path}: ổ đĩa có thể đã đầy hoặc thiết bị (USB) đã bị rút ra. Dữ liệu không bị thay đổi; hãy giải phóng dung lượng hoặc kiểm tra ổ đĩa rồi thử lại.")]
    DiskIo { path: String },

    #[error("Không ghi được vào {path}: thư mục hoặc tệp chỉ cho phép đọc.")]
    ReadOnly { path: String },

    #[error("Không {action} {path}: {reason}")]
    Io {
        action: &'static str,
        path: String,
        reason: String,
    },

    #[error("Cơ sở dữ liệu đang bận: một chương trình khác (ứng dụng hoặc lệnh kiemtra khác) đang ghi. Hãy thử lại sau giây lát; dữ liệu không bị thay đổi.")]
    Busy,

    /// Any other database error, with the database's own message.
    #[error("Lỗi cơ sở dữ liệu ({0}). Dữ liệu không bị thay đổi; nếu lỗi lặp lại, hãy chạy «kiemtra check» và khôi phục từ bản sao lưu.")]
    Sqlite(String),
}

impl Error {
    /// Stable machine-readable code (used by the CLI's JSON output and the desktop IPC).
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => Refusal::NotFound.code(),
            Error::Ambiguous { .. } => Refusal::Ambiguous.code(),
            Error::Refused { kind, .. } => kind.code(),
            Error::Corrupt { .. } => "db_corrupt",
            Error::Internal(_) => "internal",
            Error::Template { .. } => "template_invalid",
            Error::DbTooNew { .. } => "db_too_new",
            Error::DbDamaged { .. } => "db_damaged",
            Error::DbMissing { .. } => "db_missing",
            Error::DbExists { .. } => "db_exists",
            Error::DiskFull => "disk_full",
            Error::DiskIo { .. } => "disk_io",
            Error::ReadOnly { .. } => "read_only",
            Error::Io { .. } => "io",
            Error::Busy => "busy",
            Error::Sqlite(_) => "sqlite",
        }
    }

    pub fn io(action: &'static str, path: &Path, e: std::io::Error) -> Error {
        use std::io::ErrorKind as K;
        let path_s = path.display().to_string();
        match e.kind() {
            K::PermissionDenied | K::ReadOnlyFilesystem => Error::ReadOnly { path: path_s },
            K::StorageFull => Error::DiskFull,
            K::NotFound => Error::Io {
                action,
                path: path_s,
                reason: "không có tệp hoặc thư mục này".into(),
            },
            K::NotADirectory => Error::Io {
                action,
                path: path_s,
                reason: "một phần của đường dẫn không phải là thư mục".into(),
            },
            K::IsADirectory => Error::Io {
                action,
                path: path_s,
                reason: "đây là một thư mục, không phải tệp".into(),
            },
            K::AlreadyExists => Error::Io {
                action,
                path: path_s,
                reason: "đã có tệp hoặc thư mục cùng tên".into(),
            },
            K::InvalidFilename | K::InvalidInput => Error::Io {
                action,
                path: path_s,
                reason: "tên tệp không hợp lệ".into(),
            },
            _ => Error::Io {
                action,
                path: path_s,
                reason: format!("lỗi hệ điều hành: {e}"),
            },
        }
    }

    /// The kind of refusal, for the errors that are one (`NotFound` and `Ambiguous` included).
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            Error::NotFound { .. } => Some(Refusal::NotFound),
            Error::Ambiguous { .. } => Some(Refusal::Ambiguous),
            Error::Refused { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

macro_rules! refusals {
    ($($(#[$m:meta])* $variant:ident = $code:literal),+ $(,)?) => {
        /// The kinds of refusal. Each has a stable snake_case code (`Error::code()`): a window
        /// or a script acts on the code, and shows the message.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Refusal { $($(#[$m])* $variant),+ }
        impl Refusal {
            pub const ALL: &'static [Refusal] = &[$(Refusal::$variant),+];
            pub fn code(self) -> &'static str { match self { $(Refusal::$variant => $code),+ } }
        }
    };
}

refusals! {
    /// A text that is not a number, a number too large, not whole where it must be, outside
    /// its allowed span (copies of the minutes), a document number that is not one.
    BadNumber = "bad_number",
    /// A date or time that does not parse or does not exist (31/11/2026), a report dated after
    /// today, a day that cannot be of that holiday kind (a day off on a Sunday).
    BadDate = "bad_date",
    /// A period whose end is before its start.
    BadRange = "bad_range",
    /// A score below 0 or above the item's maximum.
    ScoreOutOfRange = "score_out_of_range",
    /// A value not among those allowed: a kind or state, a level of the item's rule, an area,
    /// a figure key, a signing authority.
    BadChoice = "bad_choice",
    /// An item that is not scored directly (scored through its sub-items, or not at inspection).
    NotScorable = "not_scorable",
    /// A figure that is not plausible: negative, a percentage above 100, a part above its whole.
    FigureInconsistent = "figure_inconsistent",
    /// A required text left empty (a name, a finding, a recommendation, evidence).
    Required = "required",
    /// A text longer than its limit.
    TooLong = "too_long",
    /// A name, a version, a team leader, an inspection or re-inspection that already exists.
    Duplicate = "duplicate",
    /// A record that is not there (a recommendation number, a unit in no plan).
    NotFound = "not_found",
    /// A name or code prefix that matches several records.
    Ambiguous = "ambiguous",
    /// A unit merged into another: it takes no new inspection or merger.
    UnitMerged = "unit_merged",
    /// The laptop is in unit mode (a unit's self-assessment): the team's work is refused.
    UnitMode = "unit_mode",
    /// A closed plan is read-only: reopen it first.
    PlanClosed = "plan_closed",
    /// A unit cannot leave its plan: something was recorded for its inspection already.
    UnitRecorded = "unit_recorded",
    /// The inspection's state does not allow it (re-inspect before it has ended).
    InspectionState = "inspection_state",
    /// A recommendation's state needs what is missing («đã khắc phục» without the unit's report).
    RecommendationState = "recommendation_state",
    /// An issued document is frozen: a change makes a new version.
    DocumentIssued = "document_issued",
    /// A document lacks what it needs to be printed or issued (team, numbers, dates).
    DocumentIncomplete = "document_incomplete",
    /// Issuing asks to be confirmed (the checklist is not fully scored, the Biên bản not yet
    /// issued): issue again with the confirmation.
    DocumentUnconfirmed = "document_unconfirmed",
    /// A recommendation's deadline that is already past when it is given: given again with
    /// the confirmation (the window asks «Vẫn lưu»).
    DeadlinePast = "deadline_past",
    /// The stored copy of an issued document does not match its hash or is missing.
    DocumentDamaged = "document_damaged",
    /// Text with a character the documents' typeface cannot print.
    Unprintable = "unprintable",
    /// An exchange file that is not one of this app's.
    ExchangeForeign = "exchange_foreign",
    /// An exchange file cut short or changed.
    ExchangeDamaged = "exchange_damaged",
    /// An exchange file from a newer version of the app.
    ExchangeTooNew = "exchange_too_new",
    /// An exchange file whose content this version cannot take (an unknown field, a checklist
    /// of the same version with other content, a record the schema refuses).
    ExchangeRefused = "exchange_refused",
    /// An exchange file without the team's protection (no encryption, no signature), imported
    /// only when the user says so (`--allow-unprotected`, «Vẫn nhập» in the window).
    ExchangeUnprotected = "exchange_unprotected",
    /// A protected exchange file that no key of this laptop opens: another team's, or made
    /// for someone else.
    ExchangeNotTeam = "exchange_not_team",
    /// A protected exchange file changed after it was made (a MAC or a signature that does
    /// not hold), or one whose sequence number was seen with other content.
    ExchangeAltered = "exchange_altered",
    /// A file made by a laptop the lead removed from the team, after its removal.
    ExchangeRevoked = "exchange_revoked",
    /// A file that changes what its laptop may not (a unit's file touching the team's score,
    /// a finding, another unit).
    ExchangeForbidden = "exchange_forbidden",
    /// An invitation file that is not one, or not for this laptop.
    InviteInvalid = "invite_invalid",
    /// The team's keys do not allow it here: no team yet, not the lead's laptop, already in a
    /// team, the laptop to remove is this one.
    TeamState = "team_state",
    /// Nothing left to undo.
    NothingToUndo = "nothing_to_undo",
    /// The file to write exists already (nothing is overwritten).
    FileExists = "file_exists",
    /// A path that is not a usable file: a folder, not a regular file, not UTF-8 text, no data
    /// folder known.
    BadPath = "bad_path",
    /// A spreadsheet (a unit list in .xlsx) that is not one, too large, or without the
    /// header row that names its columns.
    SheetInvalid = "sheet_invalid",
    /// An attachment above the size limit.
    FileTooLarge = "file_too_large",
    /// An SQLite file of another program.
    DbForeign = "db_foreign",
    /// The database schema could not be created or upgraded.
    DbMigration = "db_migration",
    /// A file could not be written (an exchange file).
    WriteFailed = "write_failed",
    /// Options of a command given wrongly (missing, or both of two exclusive ones).
    BadArgument = "bad_argument",
}

impl Refusal {
    /// The error of this kind with its Vietnamese message.
    pub fn err(self, message: impl Into<String>) -> Error {
        Error::Refused {
            kind: self,
            message: message.into(),
        }
    }
}

/// Across IPC and in JSON an error is `{code, message}`, the message in Vietnamese.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Error", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

/// A stored value that is not what its column holds. Enums stored as text give it from their
/// `FromSql`; the conversion of the database's errors (`store::sqlite_error`) turns it into
/// `Error::Corrupt`, naming the record when the value was read with `stored::RowExt::stored`.
#[derive(Debug)]
pub struct BadStored {
    pub value: String,
    /// What the column holds, in Vietnamese: "một trong: so, xa, phuong".
    pub expected: String,
    /// "bảng unit, bản ghi «…», cột kind"; else the column's position is named.
    pub at: Option<String>,
}

impl BadStored {
    pub fn new(value: impl Into<String>, expected: impl Into<String>) -> BadStored {
        BadStored {
            value: value.into(),
            expected: expected.into(),
            at: None,
        }
    }

    /// The stored text, cut to a readable length.
    fn shown(&self) -> String {
        let mut v: String = self.value.chars().take(60).collect();
        if v.len() < self.value.len() {
            v.push('…');
        }
        v
    }

    /// Where the value is and what it is not, for `Error::Corrupt`.
    pub(crate) fn describe(&self, column: usize) -> String {
        let at = self.at.clone().unwrap_or_else(|| column_at(column));
        format!("{at} («{}» không phải {})", self.shown(), self.expected)
    }
}

impl std::fmt::Display for BadStored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "«{}» không phải {}", self.shown(), self.expected)
    }
}

impl std::error::Error for BadStored {}

/// A column named by its position in what was read (`usize::MAX`: position unknown).
pub(crate) fn column_at(column: usize) -> String {
    if column == usize::MAX {
        "một cột dữ liệu".into()
    } else {
        format!("cột thứ {} của dữ liệu đọc ra", column + 1)
    }
}

/// Where a stored value is: "bảng unit, bản ghi «…», cột kind".
pub(crate) fn record_at(table: &str, id: &str, column: &str) -> String {
    format!("bảng {table}, bản ghi «{id}», cột {column}")
}

impl Error {
    /// A stored value read outside `FromSql` that does not parse.
    pub(crate) fn corrupt(table: &str, id: &str, column: &str, value: &str, expected: &str) -> Error {
        let mut b = BadStored::new(value, expected);
        b.at = Some(record_at(table, id, column));
        Error::Corrupt { what: b.describe(0) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of each variant that is not a `Refused` (the match keeps the list complete).
    fn others() -> Vec<Error> {
        let all = vec![
            Error::Template {
                item: "1".into(),
                field: "code".into(),
                message: "m".into(),
            },
            Error::Corrupt { what: "w".into() },
            Error::Internal("i".into()),
            Error::DbTooNew {
                path: "p".into(),
                found: 9,
                supported: 4,
            },
            Error::DbDamaged { path: "p".into() },
            Error::DbMissing { path: "p".into() },
            Error::DbExists { path: "p".into() },
            Error::DiskFull,
            Error::DiskIo { path: "p".into() },
            Error::ReadOnly { path: "p".into() },
            Error::Io {
                action: "đọc được",
                path: "p".into(),
                reason: "r".into(),
            },
            Error::Busy,
            Error::Sqlite("s".into()),
        ];
        for e in &all {
            match e {
                Error::NotFound { .. } | Error::Ambiguous { .. } | Error::Refused { .. } => {
                    unreachable!("refusals are listed by Refusal::ALL")
                }
                Error::Template { .. }
                | Error::Corrupt { .. }
                | Error::Internal(_)
                | Error::DbTooNew { .. }
                | Error::DbDamaged { .. }
                | Error::DbMissing { .. }
                | Error::DbExists { .. }
                | Error::DiskFull
                | Error::DiskIo { .. }
                | Error::ReadOnly { .. }
                | Error::Io { .. }
                | Error::Busy
                | Error::Sqlite(_) => {}
            }
        }
        all
    }

    #[test]
    fn every_code_is_listed_snake_case_and_unique() {
        let mut codes: Vec<&str> = Refusal::ALL.iter().map(|k| k.err("m").code()).collect();
        codes.extend(others().iter().map(Error::code));
        assert_eq!(
            codes,
            [
                "bad_number",
                "bad_date",
                "bad_range",
                "score_out_of_range",
                "bad_choice",
                "not_scorable",
                "figure_inconsistent",
                "required",
                "too_long",
                "duplicate",
                "not_found",
                "ambiguous",
                "unit_merged",
                "unit_mode",
                "plan_closed",
                "unit_recorded",
                "inspection_state",
                "recommendation_state",
                "document_issued",
                "document_incomplete",
                "document_unconfirmed",
                "deadline_past",
                "document_damaged",
                "unprintable",
                "exchange_foreign",
                "exchange_damaged",
                "exchange_too_new",
                "exchange_refused",
                "exchange_unprotected",
                "exchange_not_team",
                "exchange_altered",
                "exchange_revoked",
                "exchange_forbidden",
                "invite_invalid",
                "team_state",
                "nothing_to_undo",
                "file_exists",
                "bad_path",
                "sheet_invalid",
                "file_too_large",
                "db_foreign",
                "db_migration",
                "write_failed",
                "bad_argument",
                "template_invalid",
                "db_corrupt",
                "internal",
                "db_too_new",
                "db_damaged",
                "db_missing",
                "db_exists",
                "disk_full",
                "disk_io",
                "read_only",
                "io",
                "busy",
                "sqlite",
            ]
        );
        let unique: std::collections::HashSet<&str> = codes.iter().copied().collect();
        assert_eq!(unique.len(), codes.len(), "a code is used twice: {codes:?}");
        for c in &codes {
            assert!(
                !c.is_empty() && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "not snake_case: {c}"
            );
        }
        // The structured not-found and ambiguous errors are those kinds of refusal.
        let nf = Error::NotFound {
            what: "đơn vị",
            key: "x".into(),
        };
        let am = Error::Ambiguous {
            query: "x".into(),
            candidates: "a, b".into(),
        };
        assert_eq!((nf.code(), nf.refusal()), ("not_found", Some(Refusal::NotFound)));
        assert_eq!((am.code(), am.refusal()), ("ambiguous", Some(Refusal::Ambiguous)));
        assert_eq!(Error::Busy.refusal(), None);
    }

    #[test]
    fn a_refusal_keeps_its_message_and_serialises_with_its_code() {
        let e = Refusal::BadDate.err("Ngày «31/11/2026» không hợp lệ.");
        assert_eq!(e.to_string(), "Ngày «31/11/2026» không hợp lệ.");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "bad_date", "message": "Ngày «31/11/2026» không hợp lệ."})
        );
    }
}
