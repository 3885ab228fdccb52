//! Who may write what, as data and pure checks: the team's roster (the list of its laptops,
//! signed with the team key the lead holds), each laptop's role, the signature a laptop puts
//! on the manifest of every file it exports, and the short code two people read to each other
//! over the phone to know they hold the same team key.
//!
//! Signatures are Ed25519 (`ed25519-dalek`) over the exact bytes that travel (the roster's
//! JSON text, the manifest's JSON text), each with its own context prefix so a signature of
//! one kind never passes for the other. Keys come in as arguments: nothing here draws
//! randomness or reads a clock.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// At most this many laptops (members and units, active or revoked) in one roster: the file's
/// header carries at most one recipient per laptop, and a header is bounded before any work.
pub const MAX_LAPTOPS: usize = 60;
/// A roster's JSON text is at most this long.
pub const MAX_ROSTER: usize = 256 << 10;

const ROSTER_CONTEXT: &[u8] = b"kiemtra-roster-v1\0";
const MANIFEST_CONTEXT: &[u8] = b"kiemtra-manifest-v1\0";

/// What a laptop is in the team.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Holds the team key: signs the roster, invites, revokes.
    Lead,
    /// A team member's laptop: writes the team's work.
    Member,
    /// The inspected unit's laptop: writes only its own self-assessment.
    Unit,
}

impl Role {
    pub const ALL: &'static [Role] = &[Role::Lead, Role::Member, Role::Unit];
    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "trưởng đoàn",
            Role::Member => "thành viên",
            Role::Unit => "đơn vị tự đánh giá",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Lead => "lead",
            Role::Member => "member",
            Role::Unit => "unit",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "lead" => Some(Role::Lead),
            "member" => Some(Role::Member),
            "unit" => Some(Role::Unit),
            _ => None,
        }
    }
}

/// One laptop of the team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Laptop {
    pub id: String,
    /// The member who uses it (or the unit's name).
    pub member: String,
    pub role: Role,
    /// For a unit's laptop: the unit and the inspection it self-assesses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection_id: Option<String>,
    /// Its Ed25519 public key (base64).
    pub verify_key: String,
    /// Its own age recipient (`age1…`): what the lead seals new key periods to.
    pub recipient: String,
    pub added_at: String,
}

/// A laptop the lead removed. Files it made up to `last_seq` (the last the lead had received
/// when removing it) stay readable; later ones are refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revoked {
    pub id: String,
    pub member: String,
    /// What it was in the team.
    #[serde(default = "member_role")]
    pub role: Role,
    /// A unit's laptop: its unit (its earlier files still carry only that unit's part).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    pub last_seq: u64,
    pub revoked_at: String,
    /// Its public key, so the files it made before stay verifiable.
    pub verify_key: String,
}

fn member_role() -> Role {
    Role::Member
}

/// A key period's secret sealed to one laptop's own recipient (an age file, base64): only
/// that laptop can open it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SealedPeriod {
    pub laptop_id: String,
    pub period: u32,
    pub sealed: String,
}

/// The lead's list of the team's laptops. A newer `serial` replaces an older one; `period`
/// grows when a laptop is removed (files are then sealed to the new period's recipient).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roster {
    pub team_id: String,
    pub team_name: String,
    pub serial: u64,
    pub period: u32,
    /// The current period's age recipient: what every laptop, units included, seals to.
    pub period_recipient: String,
    pub issued_at: String,
    pub laptops: Vec<Laptop>,
    #[serde(default)]
    pub revoked: Vec<Revoked>,
    /// Every period's secret, sealed to each member laptop (never to a unit's).
    #[serde(default)]
    pub keys: Vec<SealedPeriod>,
}

/// A roster as it travels: its JSON text and the team key's signature of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedRoster {
    pub body: String,
    pub sig: String,
}

/// Why a roster or a signature does not hold.
#[derive(Debug, Clone, PartialEq)]
pub enum TrustError {
    /// Not well formed (bad base64, a key of the wrong length, JSON that does not parse).
    Malformed(&'static str),
    /// The signature does not verify with the key it should.
    BadSignature,
    /// A roster of another team.
    OtherTeam,
}

impl Roster {
    pub fn laptop(&self, id: &str) -> Option<&Laptop> {
        self.laptops.iter().find(|l| l.id == id)
    }
    pub fn revoked(&self, id: &str) -> Option<&Revoked> {
        self.revoked.iter().find(|l| l.id == id)
    }
    /// The laptops that hold the period keys (lead and members, not removed).
    pub fn members(&self) -> impl Iterator<Item = &Laptop> {
        self.laptops.iter().filter(|l| l.role != Role::Unit)
    }
    /// Sign with the team key.
    pub fn sign(&self, team_key: &SigningKey) -> SignedRoster {
        let body = serde_json::to_string(self).expect("roster serialises");
        let sig = team_key.sign(&[ROSTER_CONTEXT, body.as_bytes()].concat());
        SignedRoster {
            body,
            sig: B64.encode(sig.to_bytes()),
        }
    }
}

impl SignedRoster {
    /// The roster, if the team key (base64) signed it and it is this team's.
    pub fn verify(&self, team_key: &str, team_id: &str) -> Result<Roster, TrustError> {
        if self.body.len() > MAX_ROSTER {
            return Err(TrustError::Malformed("danh sách máy quá lớn"));
        }
        let key = verifying_key(team_key)?;
        let sig = signature(&self.sig)?;
        key.verify(&[ROSTER_CONTEXT, self.body.as_bytes()].concat(), &sig)
            .map_err(|_| TrustError::BadSignature)?;
        let r: Roster =
            serde_json::from_str(&self.body).map_err(|_| TrustError::Malformed("danh sách máy không đọc được"))?;
        if r.team_id != team_id {
            return Err(TrustError::OtherTeam);
        }
        if r.laptops.len() + r.revoked.len() > MAX_LAPTOPS {
            return Err(TrustError::Malformed("danh sách máy quá dài"));
        }
        Ok(r)
    }
}

/// A laptop's signature of a manifest's exact bytes (base64).
pub fn sign_manifest(key: &SigningKey, manifest: &[u8]) -> String {
    B64.encode(key.sign(&[MANIFEST_CONTEXT, manifest].concat()).to_bytes())
}

/// Does `sig` (base64) sign `manifest` with the laptop key `verify_key` (base64)?
pub fn verify_manifest(verify_key: &str, manifest: &[u8], sig: &str) -> Result<(), TrustError> {
    let key = verifying_key(verify_key)?;
    let sig = signature(sig)?;
    key.verify(&[MANIFEST_CONTEXT, manifest].concat(), &sig)
        .map_err(|_| TrustError::BadSignature)
}

/// A signing key from its stored form (base64 of the 32 secret bytes).
pub fn signing_key(b64: &str) -> Result<SigningKey, TrustError> {
    let bytes: [u8; 32] = B64
        .decode(b64.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(TrustError::Malformed("khóa ký không hợp lệ"))?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// A signing key's stored form.
pub fn signing_key_text(key: &SigningKey) -> String {
    B64.encode(key.to_bytes())
}

/// A public key's stored form.
pub fn verify_key_text(key: &SigningKey) -> String {
    B64.encode(key.verifying_key().to_bytes())
}

fn verifying_key(b64: &str) -> Result<VerifyingKey, TrustError> {
    let bytes: [u8; 32] = B64
        .decode(b64.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(TrustError::Malformed("khóa công khai không hợp lệ"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| TrustError::Malformed("khóa công khai không hợp lệ"))
}

fn signature(b64: &str) -> Result<Signature, TrustError> {
    let bytes: [u8; 64] = B64
        .decode(b64.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(TrustError::Malformed("chữ ký không hợp lệ"))?;
    Ok(Signature::from_bytes(&bytes))
}

/// The team key's short code: 16 digits in four groups ("4821 0937 …"), easy to read aloud.
/// Two laptops showing the same code hold the same team key.
pub fn fingerprint(verify_key: &str) -> String {
    let d = Sha256::digest([b"kiemtra-fingerprint\0".as_slice(), verify_key.trim().as_bytes()].concat());
    let n = u64::from_be_bytes(d[..8].try_into().expect("8 bytes")) % 10_000_000_000_000_000;
    let s = format!("{n:016}");
    format!("{} {} {} {}", &s[0..4], &s[4..8], &s[8..12], &s[12..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn roster(team: &SigningKey) -> Roster {
        Roster {
            team_id: "t1".into(),
            team_name: "Đoàn 1".into(),
            serial: 1,
            period: 1,
            period_recipient: "age1x".into(),
            issued_at: "2026-12-01T00:00:00Z".into(),
            laptops: vec![Laptop {
                id: "l1".into(),
                member: "Trưởng đoàn".into(),
                role: Role::Lead,
                unit_id: None,
                inspection_id: None,
                verify_key: verify_key_text(team),
                recipient: "age1y".into(),
                added_at: "2026-12-01T00:00:00Z".into(),
            }],
            revoked: vec![],
            keys: vec![],
        }
    }

    #[test]
    fn a_roster_verifies_with_its_team_key_only() {
        let team = key(1);
        let s = roster(&team).sign(&team);
        assert_eq!(s.verify(&verify_key_text(&team), "t1").unwrap(), roster(&team));
        assert_eq!(s.verify(&verify_key_text(&key(2)), "t1"), Err(TrustError::BadSignature));
        assert_eq!(s.verify(&verify_key_text(&team), "t2"), Err(TrustError::OtherTeam));
        let mut forged = s.clone();
        forged.body = forged.body.replace("Đoàn 1", "Đoàn 2");
        assert_eq!(
            forged.verify(&verify_key_text(&team), "t1"),
            Err(TrustError::BadSignature)
        );
    }

    #[test]
    fn a_manifest_signature_is_not_a_roster_signature() {
        let k = key(3);
        let s = roster(&k).sign(&k);
        // The roster's signature over the same bytes does not pass as a manifest's.
        assert!(verify_manifest(&verify_key_text(&k), s.body.as_bytes(), &s.sig).is_err());
        let m = sign_manifest(&k, b"{\"a\":1}");
        assert!(verify_manifest(&verify_key_text(&k), b"{\"a\":1}", &m).is_ok());
        assert!(verify_manifest(&verify_key_text(&k), b"{\"a\":2}", &m).is_err());
        assert!(verify_manifest("not base64", b"{}", &m).is_err());
    }

    #[test]
    fn fingerprints_are_sixteen_digits_and_differ() {
        let a = fingerprint(&verify_key_text(&key(1)));
        let b = fingerprint(&verify_key_text(&key(2)));
        assert_eq!(a.len(), 19);
        assert!(a.chars().all(|c| c.is_ascii_digit() || c == ' '));
        assert_ne!(a, b);
        assert_eq!(a, fingerprint(&format!(" {} ", verify_key_text(&key(1)))));
    }

    #[test]
    fn signing_keys_round_trip() {
        let k = key(9);
        let back = signing_key(&signing_key_text(&k)).unwrap();
        assert_eq!(back.to_bytes(), k.to_bytes());
        assert!(signing_key("AAAA").is_err());
    }
}
