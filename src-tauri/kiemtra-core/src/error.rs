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

    #[error("{0}")]
    Invalid(String),

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

    #[error("Dữ liệu hỏng ở {what}: giá trị này không đọc được. Dữ liệu không bị thay đổi; hãy chạy «kiemtra check» và khôi phục từ bản sao lưu.")]
    Corrupt { what: String },

    #[error("Cơ sở dữ liệu đang bận: một chương trình khác (ứng dụng hoặc lệnh kiemtra khác) đang ghi. Hãy thử lại sau giây lát; dữ liệu không bị thay đổi.")]
    Busy,

    #[error("Lỗi cơ sở dữ liệu ({0}). Dữ liệu không bị thay đổi; nếu lỗi lặp lại, hãy chạy «kiemtra check» và khôi phục từ bản sao lưu.")]
    Sqlite(rusqlite::Error),
}

impl Error {
    /// Stable machine-readable code (used by the CLI's JSON output and the desktop IPC).
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::Ambiguous { .. } => "ambiguous",
            Error::Invalid(_) => "invalid",
            Error::Template { .. } => "template_invalid",
            Error::DbTooNew { .. } => "db_too_new",
            Error::DbDamaged { .. } => "db_damaged",
            Error::DbMissing { .. } => "db_missing",
            Error::DbExists { .. } => "db_exists",
            Error::DiskFull => "disk_full",
            Error::DiskIo { .. } => "disk_io",
            Error::ReadOnly { .. } => "read_only",
            Error::Io { .. } => "io",
            Error::Corrupt { .. } => "db_corrupt",
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

    pub fn invalid(msg: impl Into<String>) -> Error {
        Error::Invalid(msg.into())
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

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                C::DiskFull => return Error::DiskFull,
                C::ReadOnly | C::CannotOpen | C::PermissionDenied => {
                    return Error::ReadOnly {
                        path: "cơ sở dữ liệu".into(),
                    }
                }
                C::DatabaseBusy | C::DatabaseLocked => return Error::Busy,
                C::SystemIoFailure => {
                    return Error::DiskIo {
                        path: "cơ sở dữ liệu".into(),
                    }
                }
                C::NotADatabase | C::DatabaseCorrupt => {
                    return Error::DbDamaged {
                        path: "cơ sở dữ liệu".into(),
                    }
                }
                _ => {}
            }
        }
        Error::Sqlite(e)
    }
}
