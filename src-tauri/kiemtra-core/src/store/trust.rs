//! The team's keys as stored on this laptop (schema 6): the team (its public key, and the team
//! key itself on the lead's laptop), this laptop's own keys and role, the key periods, the
//! newest verified roster. Plain rows, no audit: none of this is exchanged as a record.

use rusqlite::{params, Connection, OptionalExtension};

use crate::domain::trust::{Role, SignedRoster};
use crate::error::Result;
use crate::store::stored::RowExt;

/// The team row.
#[derive(Debug, Clone)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
    pub verify_key: String,
    /// The team key: on the lead's laptop only.
    pub signing_key: Option<String>,
    pub created_at: String,
}

/// This laptop in the roster.
#[derive(Debug, Clone)]
pub struct OwnLaptop {
    pub laptop_id: String,
    pub member: String,
    pub role: Role,
    pub unit_id: Option<String>,
    pub inspection_id: Option<String>,
    pub signing_key: String,
    pub identity: String,
    pub next_seq: u64,
}

/// A key period: its recipient, and its secret where this laptop holds it.
#[derive(Debug, Clone)]
pub struct PeriodRow {
    pub period: u32,
    pub recipient: String,
    pub identity: Option<String>,
}

pub fn team(conn: &Connection) -> Result<Option<TeamRow>> {
    Ok(conn
        .query_row(
            "SELECT id, name, verify_key, signing_key, created_at FROM team_key WHERE one = 1",
            [],
            |r| {
                Ok(TeamRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    verify_key: r.get(2)?,
                    signing_key: r.get(3)?,
                    created_at: r.get(4)?,
                })
            },
        )
        .optional()?)
}

pub fn own_laptop(conn: &Connection) -> Result<Option<OwnLaptop>> {
    Ok(conn
        .query_row(
            "SELECT laptop_id, member, role, unit_id, inspection_id, signing_key, identity, next_seq
               FROM own_laptop WHERE one = 1",
            [],
            |r| {
                let id: String = r.get(0)?;
                Ok(OwnLaptop {
                    member: r.get(1)?,
                    role: r.stored(2, "own_laptop", &id)?,
                    unit_id: r.get(3)?,
                    inspection_id: r.get(4)?,
                    signing_key: r.get(5)?,
                    identity: r.get(6)?,
                    next_seq: r.get::<_, i64>(7)? as u64,
                    laptop_id: id,
                })
            },
        )
        .optional()?)
}

pub fn periods(conn: &Connection) -> Result<Vec<PeriodRow>> {
    let mut st = conn.prepare_cached("SELECT period, recipient, identity FROM key_period ORDER BY period")?;
    let rows = st
        .query_map([], |r| {
            Ok(PeriodRow {
                period: r.get(0)?,
                recipient: r.get(1)?,
                identity: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn roster(conn: &Connection) -> Result<Option<(u64, SignedRoster)>> {
    Ok(conn
        .query_row("SELECT serial, body, sig FROM roster WHERE one = 1", [], |r| {
            Ok((
                r.get::<_, i64>(0)? as u64,
                SignedRoster {
                    body: r.get(1)?,
                    sig: r.get(2)?,
                },
            ))
        })
        .optional()?)
}

/// Forget the team (before joining another): keys, periods, roster.
pub fn clear(conn: &Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM roster; DELETE FROM key_period; DELETE FROM own_laptop; DELETE FROM team_key;")?;
    Ok(())
}

pub fn set_team(conn: &Connection, t: &TeamRow) -> Result<()> {
    conn.execute(
        "INSERT INTO team_key(one, id, name, verify_key, signing_key, created_at) VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(one) DO UPDATE SET id = excluded.id, name = excluded.name, verify_key = excluded.verify_key,
           signing_key = excluded.signing_key, created_at = excluded.created_at",
        params![t.id, t.name, t.verify_key, t.signing_key, t.created_at],
    )?;
    Ok(())
}

pub fn set_own_laptop(conn: &Connection, l: &OwnLaptop, joined_at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO own_laptop(one, laptop_id, member, role, unit_id, inspection_id, signing_key, identity, next_seq, joined_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(one) DO UPDATE SET laptop_id = excluded.laptop_id, member = excluded.member, role = excluded.role,
           unit_id = excluded.unit_id, inspection_id = excluded.inspection_id, signing_key = excluded.signing_key,
           identity = excluded.identity, next_seq = excluded.next_seq, joined_at = excluded.joined_at",
        params![
            l.laptop_id,
            l.member,
            l.role,
            l.unit_id,
            l.inspection_id,
            l.signing_key,
            l.identity,
            l.next_seq as i64,
            joined_at
        ],
    )?;
    Ok(())
}

/// Take the next sequence number for a file this laptop exports.
pub fn take_seq(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row(
        "UPDATE own_laptop SET next_seq = next_seq + 1 WHERE one = 1 RETURNING next_seq - 1",
        [],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

/// Add a key period, or give its secret where only its recipient was known.
pub fn put_period(conn: &Connection, p: &PeriodRow, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO key_period(period, recipient, identity, started_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(period) DO UPDATE SET identity = coalesce(key_period.identity, excluded.identity)",
        params![p.period, p.recipient, p.identity, at],
    )?;
    Ok(())
}

pub fn set_roster(conn: &Connection, serial: u64, r: &SignedRoster, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO roster(one, serial, body, sig, received_at) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT(one) DO UPDATE SET serial = excluded.serial, body = excluded.body, sig = excluded.sig,
           received_at = excluded.received_at",
        params![serial as i64, r.body, r.sig, at],
    )?;
    Ok(())
}

/// The highest sequence number imported here from a laptop (0 if none).
pub fn last_seq_from(conn: &Connection, laptop_id: &str) -> Result<u64> {
    let n: Option<i64> = conn.query_row(
        "SELECT max(seq) FROM import_log WHERE laptop_id = ?1",
        [laptop_id],
        |r| r.get(0),
    )?;
    Ok(n.unwrap_or(0) as u64)
}

/// How many files were imported here from a laptop.
pub fn files_from(conn: &Connection, laptop_id: &str) -> Result<usize> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM import_log WHERE laptop_id = ?1",
        [laptop_id],
        |r| r.get(0),
    )?;
    Ok(n as usize)
}
