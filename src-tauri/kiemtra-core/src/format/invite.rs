//! The invitation file (`.kiemtra-moi`) the lead hands over on a USB stick: the team's public
//! key and signed roster, the new laptop's own keys (made by the lead's laptop for it, kept
//! nowhere else), and either the team's key periods (a member) or the unit's checklist as a
//! protected exchange file sealed to the new laptop alone (a unit's self-assessment).
//!
//! Whoever holds an invitation can join as that laptop until the lead removes it: it is a
//! secret, like a key. The file is read with its size bounded before it is parsed.

use serde::{Deserialize, Serialize};

use crate::domain::trust::{Role, SignedRoster};
use crate::error::{Error, Refusal, Result};

pub const FORMAT: &str = "kiemtra-loi-moi";
pub const VERSION: u32 = 1;
pub const EXTENSION: &str = "kiemtra-moi";
/// A unit's invitation carries its checklist and the evidence already filed for it.
pub const MAX_SIZE: u64 = 300 << 20;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InvitedLaptop {
    pub id: String,
    pub member: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection_id: Option<String>,
    /// Its Ed25519 signing key (base64) and age identity (`AGE-SECRET-KEY-1…`).
    pub signing_key: String,
    pub identity: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PeriodKey {
    pub period: u32,
    pub recipient: String,
    /// The secret: only in a member's invitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Invite {
    pub format: String,
    pub version: u32,
    pub team_id: String,
    pub team_name: String,
    /// The team key's public half (base64): the roster and every later roster verify with it.
    pub team_key: String,
    pub roster: SignedRoster,
    pub laptop: InvitedLaptop,
    pub periods: Vec<PeriodKey>,
    /// A unit's invitation: its checklist, a protected exchange file (base64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    pub created_at: String,
}

fn not_invite(why: &str) -> Error {
    Refusal::InviteInvalid.err(format!(
        "Tệp không phải lời mời tham gia đoàn hợp lệ của Kiểm tra CCHC ({why}). Dữ liệu không bị thay đổi."
    ))
}

impl Invite {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).expect("invitation serialises")
    }

    /// Parse an invitation's bytes (the caller bounds the size to [`MAX_SIZE`] first).
    pub fn parse(bytes: &[u8]) -> Result<Invite> {
        if bytes.len() as u64 > MAX_SIZE {
            return Err(not_invite("tệp quá lớn"));
        }
        let head: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| not_invite("không đọc được"))?;
        if head.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(not_invite("không đúng định dạng"));
        }
        let version = head.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version > VERSION as u64 {
            return Err(Refusal::ExchangeTooNew.err(format!(
                "Lời mời được tạo bởi phiên bản mới hơn của ứng dụng (định dạng {version}). Hãy cập nhật ứng dụng rồi thử lại."
            )));
        }
        let inv: Invite = serde_json::from_value(head).map_err(|_| not_invite("thiếu thông tin"))?;
        if inv.periods.len() > 1000 || inv.laptop.member.len() > 500 {
            return Err(not_invite("thông tin không hợp lệ"));
        }
        Ok(inv)
    }
}
