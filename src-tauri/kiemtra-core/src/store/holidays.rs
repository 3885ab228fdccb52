//! The holiday list in the database: this laptop's days off and make-up Saturdays (shipped
//! for 2026 and 2027, edited by the user; not exchanged). What a working day is, is the
//! domain's (`domain::calendar`).

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::domain::calendar::{check_kind, shipped, weekday_name, Calendar, Holiday, HolidayKind};
use crate::domain::text::{fmt_date, nfc, parse_date};
use crate::error::{Error, Refusal, Result};
use crate::store::stored::{IsoDate, RowExt};
use crate::store::Store;

/// Insert the shipped list (the migration that creates the table calls this once).
pub(crate) fn seed(conn: &Connection) -> Result<()> {
    let mut st =
        conn.prepare("INSERT OR IGNORE INTO holiday(date, kind, name, source) VALUES (?1, ?2, ?3, 'kem_theo')")?;
    for h in shipped()? {
        st.execute(params![h.date, h.kind.as_str(), h.name])?;
    }
    Ok(())
}

impl Store {
    /// The holiday list, for one year or all.
    pub fn holidays(&self, year: Option<i32>) -> Result<Vec<Holiday>> {
        let mut st = self.conn.prepare_cached(
            "SELECT date, kind, name, source FROM holiday WHERE ?1 IS NULL OR substr(date, 1, 4) = ?1 ORDER BY date",
        )?;
        let rows = st
            .query_map([year.map(|y| format!("{y:04}"))], |r| {
                let key: String = r.get(0)?;
                let date: IsoDate = r.stored(0, "holiday", &key)?;
                Ok(Holiday {
                    weekday: weekday_name(date.date).to_string(),
                    date: date.text,
                    kind: r.stored(1, "holiday", &key)?,
                    name: r.get(2)?,
                    shipped: r.get::<_, String>(3)? == "kem_theo",
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn calendar(&self) -> Result<Calendar> {
        Ok(Calendar::new(&self.holidays(None)?))
    }

    /// Add a day off or a make-up working day, or change the one on that date. Returns the
    /// day as stored.
    pub fn set_holiday(&mut self, date: &str, kind: HolidayKind, name: &str) -> Result<Holiday> {
        let d = parse_date(date)?;
        check_kind(d, kind)?;
        let name = nfc(name.trim());
        if name.is_empty() {
            return Err(Refusal::Required.err("Hãy ghi tên ngày nghỉ (ví dụ «Quốc khánh»)."));
        }
        if name.chars().count() > 200 {
            return Err(Refusal::TooLong.err("Tên ngày nghỉ dài quá 200 ký tự."));
        }
        self.conn.execute(
            "INSERT INTO holiday(date, kind, name, source) VALUES (?1, ?2, ?3, 'nguoi_dung')
             ON CONFLICT(date) DO UPDATE SET kind = excluded.kind, name = excluded.name, source = 'nguoi_dung'",
            params![d.to_string(), kind.as_str(), name],
        )?;
        Ok(Holiday {
            date: d.to_string(),
            kind,
            name,
            shipped: false,
            weekday: weekday_name(d).into(),
        })
    }

    /// Remove a date from the list. Returns what was removed.
    pub fn remove_holiday(&mut self, date: &str) -> Result<Holiday> {
        let d = parse_date(date)?.to_string();
        let found = self
            .holidays(None)?
            .into_iter()
            .find(|h| h.date == d)
            .ok_or_else(|| Error::NotFound {
                what: "ngày nghỉ",
                key: fmt_date(NaiveDate::parse_from_str(&d, "%Y-%m-%d").expect("parsed above")),
            })?;
        self.conn.execute("DELETE FROM holiday WHERE date = ?1", [&d])?;
        Ok(found)
    }
}
