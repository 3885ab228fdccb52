//! What an error of the database means for the user: a value that does not read is corrupt
//! data, a full disk, a read-only file, a busy or damaged database are each their own error,
//! the issued-document trigger's refusal is `document_issued`, anything else is `Error::Sqlite`
//! with the database's message. (Here rather than in `error.rs`, which names no database.)

use crate::error::{column_at, BadStored, Error, Refusal};

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match &e {
            rusqlite::Error::FromSqlConversionFailure(i, _, inner) => {
                return Error::Corrupt {
                    what: match inner.downcast_ref::<BadStored>() {
                        Some(b) => b.describe(*i),
                        None => column_at(*i),
                    },
                }
            }
            rusqlite::Error::IntegralValueOutOfRange(i, _) | rusqlite::Error::Utf8Error(i, _) => {
                return Error::Corrupt { what: column_at(*i) }
            }
            _ => {}
        }
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
        // The schema's triggers hold an issued document frozen on every path; their message
        // is the refusal.
        if let rusqlite::Error::SqliteFailure(f, Some(m)) = &e {
            if f.code == C::ConstraintViolation && m.starts_with("Văn bản đã ban hành") {
                return Refusal::DocumentIssued.err(m.clone());
            }
        }
        Error::Sqlite(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_value_that_does_not_convert_is_corrupt_data() {
        let bad = rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            Box::new(BadStored::new("huyen", "một trong: so, xa, phuong")),
        );
        let e = Error::from(bad);
        assert_eq!(e.code(), "db_corrupt");
        assert_eq!(
            e.to_string(),
            "Dữ liệu hỏng ở cột thứ 2 của dữ liệu đọc ra («huyen» không phải một trong: so, xa, phuong). \
             Dữ liệu không bị thay đổi; hãy chạy «kiemtra check» và khôi phục từ bản sao lưu."
        );
    }

    #[test]
    fn the_issued_document_trigger_is_a_refusal_and_other_errors_keep_their_message() {
        let frozen = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_TRIGGER),
            Some("Văn bản đã ban hành không sửa được".into()),
        );
        let e = Error::from(frozen);
        assert_eq!(e.code(), "document_issued");
        assert_eq!(e.to_string(), "Văn bản đã ban hành không sửa được");
        let corrupt = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT), None);
        assert_eq!(Error::from(corrupt).code(), "db_damaged");
        let other = rusqlite::Error::InvalidQuery;
        let shown = other.to_string();
        let e = Error::from(other);
        assert_eq!(e.code(), "sqlite");
        assert!(e.to_string().contains(&format!("({shown})")), "{e}");
    }
}
