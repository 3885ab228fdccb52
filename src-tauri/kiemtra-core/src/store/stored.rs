//! Reading values back from the store. A value that does not parse is never replaced by a
//! default: it is a `BadStored` conversion error, which becomes `Error::Corrupt` naming the
//! record (its table, id and column) when read with [`RowExt::stored`].

use chrono::NaiveDate;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};
use rusqlite::{Row, RowIndex};

use crate::error::{record_at, BadStored};

pub(crate) trait RowExt {
    /// Column `idx` of the record `id` of `table`.
    fn stored<I: RowIndex, T: FromSql>(&self, idx: I, table: &str, id: &str) -> rusqlite::Result<T>;

    /// An ISO date column ("YYYY-MM-DD", or NULL), checked; the text is kept as stored.
    fn stored_date<I: RowIndex>(&self, idx: I, table: &str, id: &str) -> rusqlite::Result<Option<String>> {
        Ok(self.stored::<_, Option<IsoDate>>(idx, table, id)?.map(|d| d.text))
    }
}

impl RowExt for Row<'_> {
    fn stored<I: RowIndex, T: FromSql>(&self, idx: I, table: &str, id: &str) -> rusqlite::Result<T> {
        self.get(idx).map_err(|e| match e {
            rusqlite::Error::FromSqlConversionFailure(i, ty, inner) => match inner.downcast::<BadStored>() {
                Ok(mut b) => {
                    let column = self.as_ref().column_name(i).unwrap_or("?");
                    b.at = Some(record_at(table, id, column));
                    rusqlite::Error::FromSqlConversionFailure(i, ty, b)
                }
                Err(inner) => rusqlite::Error::FromSqlConversionFailure(i, ty, inner),
            },
            e => e,
        })
    }
}

fn bad(value: &str, expected: &str) -> FromSqlError {
    FromSqlError::Other(Box::new(BadStored::new(value, expected)))
}

/// A date stored as "YYYY-MM-DD".
pub(crate) struct IsoDate {
    pub date: NaiveDate,
    pub text: String,
}

impl FromSql for IsoDate {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = v.as_str()?;
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|date| IsoDate {
                date,
                text: s.to_string(),
            })
            .map_err(|_| bad(s, "một ngày dạng năm-tháng-ngày"))
    }
}

/// A JSON text column read as `T`.
pub(crate) struct Json<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromSql for Json<T> {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = v.as_str()?;
        serde_json::from_str(s)
            .map(Json)
            .map_err(|_| bad(s, "dữ liệu JSON đúng dạng"))
    }
}

/// An enum stored as its `as_str()` text: read back exactly, or `BadStored` (never a default).
macro_rules! stored_as_text {
    ($name:ident) => {
        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                $name::ALL
                    .iter()
                    .copied()
                    .find(|x| x.as_str() == s)
                    .ok_or_else(|| {
                        let allowed = $name::ALL
                            .iter()
                            .map(|x| x.as_str())
                            .collect::<Vec<_>>()
                            .join(", ");
                        rusqlite::types::FromSqlError::Other(Box::new(crate::error::BadStored::new(
                            s,
                            format!("một trong: {allowed}"),
                        )))
                    })
            }
        }
        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
    };
}

use crate::domain::calendar::HolidayKind;
use crate::domain::model::*;
use crate::domain::trust::Role;

stored_as_text!(UnitKind);
stored_as_text!(TemplateKind);
stored_as_text!(InspectionState);
stored_as_text!(MemberRole);
stored_as_text!(TeamKind);
stored_as_text!(FindingKind);
stored_as_text!(RecommendationState);
stored_as_text!(EvidenceSource);
stored_as_text!(DocumentKind);
stored_as_text!(DocumentStatus);
stored_as_text!(HolidayKind);
stored_as_text!(Role);
