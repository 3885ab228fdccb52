//! The team's keys, as the user acts on them: set up the team key on the lead's laptop, invite
//! a member's laptop or the inspected unit's, join from an invitation, remove a lost laptop,
//! see the key's short code and the team's laptops.
//!
//! What each key is for (ARCHITECTURE.md, "Trust", says where each lives and what a stolen
//! laptop gives):
//! - the **team key** (Ed25519, the lead's laptop only) signs the roster, the list of the
//!   team's laptops with their roles and public keys;
//! - each **laptop key** (Ed25519) signs the manifest of every file its laptop exports;
//! - each **key period** (an age X25519 identity) is what files are sealed to; removing a
//!   laptop starts a new period, which the lead seals to each remaining member's own age key
//!   inside the roster. A unit's laptop knows the period's recipient only: it can seal files
//!   to the team but not read the team's.

use std::path::Path;

use crate::domain::trust::{self, Laptop, Revoked, Role, Roster, SealedPeriod, SignedRoster};
use crate::error::{Error, Refusal, Result};
use crate::format::invite::{Invite, InvitedLaptop, PeriodKey};
use crate::format::sealed::{self, Identity, Recipient};
use crate::store::trust::{self as stored, OwnLaptop, PeriodRow, TeamRow};
use crate::store::{Ctx, Store};

/// A laptop of the team, as the window and the CLI list it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct LaptopView {
    pub id: String,
    pub member: String,
    pub role: Role,
    pub role_label: String,
    pub unit_name: Option<String>,
    pub active: bool,
    /// When it was added, or removed.
    pub since: String,
    /// Files received here from it.
    pub files_received: usize,
    pub this_laptop: bool,
}

/// The team key as this laptop holds it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct TeamView {
    pub team_id: String,
    pub team_name: String,
    /// The short code to read over the phone ("4821 0937 5512 0046").
    pub fingerprint: String,
    pub period: u32,
    pub roster_serial: u64,
    pub laptop_id: String,
    pub member: String,
    pub role: Role,
    pub role_label: String,
    /// This laptop holds the team key (signs the roster, invites, removes).
    pub is_lead: bool,
    pub laptops: Vec<LaptopView>,
}

/// An invitation written.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize)]
pub struct Invited {
    pub path: String,
    pub laptop_id: String,
    pub member: String,
    pub role: Role,
    pub fingerprint: String,
    /// A unit's invitation: where the Đề cương báo cáo tự kiểm tra handed over with it was
    /// written, beside it (see `outline_path`).
    pub outline_path: Option<String>,
}

/// Where the Đề cương báo cáo tự kiểm tra handed over with a unit's invitation is written:
/// beside it, named after it ("moi-tu-danh-gia-xa-ha-lang.kiemtra-moi" →
/// "moi-tu-danh-gia-xa-ha-lang-de-cuong.pdf").
pub fn outline_path(invitation: &Path) -> std::path::PathBuf {
    let stem = invitation
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    invitation.with_file_name(format!("{stem}-de-cuong.pdf"))
}

/// Everything the exchange needs of the team's keys on this laptop.
pub(crate) struct Keys {
    pub team: TeamRow,
    pub own: OwnLaptop,
    pub periods: Vec<PeriodRow>,
    pub roster: Roster,
    pub signed: SignedRoster,
}

impl Keys {
    /// What this laptop can open protected files with: its own key and the periods' secrets.
    pub fn identities(&self) -> Vec<Identity> {
        std::iter::once(self.own.identity.as_str())
            .chain(self.periods.iter().filter_map(|p| p.identity.as_deref()))
            .filter_map(Identity::parse)
            .collect()
    }
}

fn no_team() -> Error {
    Refusal::TeamState.err(
        "Máy này chưa có khóa đoàn. Trưởng đoàn tạo khóa («kiemtra team key new» hoặc «Tạo khóa đoàn» ở trang Kế hoạch & đoàn); \
         máy thành viên tham gia bằng tệp mời của trưởng đoàn.",
    )
}

fn not_lead() -> Error {
    Refusal::TeamState
        .err("Chỉ máy của trưởng đoàn (giữ khóa đoàn) mới mời, thu hồi máy hoặc đổi danh sách máy của đoàn.")
}

fn corrupt_keys(why: &str) -> Error {
    Error::Corrupt {
        what: format!("khóa của đoàn trong cơ sở dữ liệu: {why}"),
    }
}

fn trust_err(e: trust::TrustError) -> Error {
    match e {
        trust::TrustError::OtherTeam => Refusal::InviteInvalid.err("Danh sách máy không phải của đoàn này."),
        trust::TrustError::BadSignature => Refusal::InviteInvalid
            .err("Chữ ký của trưởng đoàn trên danh sách máy không đúng: tệp đã bị sửa hoặc không phải của đoàn này."),
        trust::TrustError::Malformed(why) => Refusal::InviteInvalid.err(format!("Danh sách máy không hợp lệ ({why}).")),
    }
}

fn new_signing_key() -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng)
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Seal every period secret the lead holds to each member laptop of `r` (never a unit's).
fn seal_periods(r: &mut Roster, periods: &[PeriodRow]) -> Result<()> {
    use base64::Engine;
    let mut keys = Vec::new();
    for l in r.members() {
        let to = Recipient::parse(&l.recipient).ok_or_else(|| corrupt_keys("khóa nhận của một máy không hợp lệ"))?;
        for p in periods {
            let Some(secret) = &p.identity else { continue };
            keys.push(SealedPeriod {
                laptop_id: l.id.clone(),
                period: p.period,
                sealed: base64::engine::general_purpose::STANDARD.encode(sealed::seal_small(secret.as_bytes(), &to)),
            });
        }
    }
    r.keys = keys;
    Ok(())
}

impl Store {
    /// The team's keys on this laptop, if it is in a team.
    pub(crate) fn keys(&self) -> Result<Option<Keys>> {
        let (Some(team), Some(own)) = (stored::team(&self.conn)?, stored::own_laptop(&self.conn)?) else {
            return Ok(None);
        };
        let (_, signed) = stored::roster(&self.conn)?.ok_or_else(|| corrupt_keys("thiếu danh sách máy"))?;
        let roster = signed
            .verify(&team.verify_key, &team.id)
            .map_err(|_| corrupt_keys("danh sách máy không khớp khóa đoàn"))?;
        Ok(Some(Keys {
            periods: stored::periods(&self.conn)?,
            team,
            own,
            roster,
            signed,
        }))
    }

    /// The member's name this laptop records changes under, once it is in a team.
    pub fn member_name(&self) -> Result<Option<String>> {
        Ok(stored::own_laptop(&self.conn)?.map(|l| l.member))
    }

    /// The team key, its short code and the team's laptops (None: no team on this laptop).
    pub fn team_view(&self) -> Result<Option<TeamView>> {
        let Some(k) = self.keys()? else { return Ok(None) };
        let mut laptops = Vec::new();
        for l in &k.roster.laptops {
            laptops.push(LaptopView {
                id: l.id.clone(),
                member: l.member.clone(),
                role: l.role,
                role_label: l.role.label().to_string(),
                unit_name: l
                    .unit_id
                    .as_ref()
                    .map(|u| self.unit(u).map(|u| u.name).unwrap_or_else(|_| u.clone())),
                active: true,
                since: l.added_at.clone(),
                files_received: stored::files_from(&self.conn, &l.id)?,
                this_laptop: l.id == k.own.laptop_id,
            });
        }
        for l in &k.roster.revoked {
            laptops.push(LaptopView {
                id: l.id.clone(),
                member: l.member.clone(),
                role: l.role,
                role_label: l.role.label().to_string(),
                unit_name: None,
                active: false,
                since: l.revoked_at.clone(),
                files_received: stored::files_from(&self.conn, &l.id)?,
                this_laptop: false,
            });
        }
        Ok(Some(TeamView {
            fingerprint: trust::fingerprint(&k.team.verify_key),
            team_id: k.team.id.clone(),
            team_name: k.team.name.clone(),
            period: k.roster.period,
            roster_serial: k.roster.serial,
            laptop_id: k.own.laptop_id.clone(),
            member: k.own.member.clone(),
            role: k.own.role,
            role_label: k.own.role.label().to_string(),
            is_lead: k.team.signing_key.is_some(),
            laptops,
        }))
    }

    fn lead_keys(&self) -> Result<(Keys, ed25519_dalek::SigningKey)> {
        let k = self.keys()?.ok_or_else(no_team)?;
        let team_key = match &k.team.signing_key {
            Some(s) => trust::signing_key(s).map_err(|_| corrupt_keys("khóa đoàn không đọc được"))?,
            None => return Err(not_lead()),
        };
        Ok((k, team_key))
    }

    /// Set up the team key on this laptop, which becomes the lead's (`kiemtra team key new`).
    pub fn team_create(&mut self, ctx: &Ctx, name: &str, member: &str) -> Result<TeamView> {
        if let Some(k) = self.keys()? {
            return Err(Refusal::TeamState.err(format!(
                "Máy này đã có khóa của đoàn «{}» (mã {}). Một máy chỉ thuộc một đoàn.",
                k.team.name,
                trust::fingerprint(&k.team.verify_key)
            )));
        }
        let (name, member) = (name.trim(), member.trim());
        if name.is_empty() || member.is_empty() {
            return Err(Refusal::Required.err("Cần tên đoàn và tên người dùng máy này."));
        }
        let team_key = new_signing_key();
        let laptop_key = new_signing_key();
        let own_identity = Identity::generate();
        let period = Identity::generate();
        let team = TeamRow {
            id: new_id(),
            name: name.to_string(),
            verify_key: trust::verify_key_text(&team_key),
            signing_key: Some(trust::signing_key_text(&team_key)),
            created_at: ctx.stamp(),
        };
        let own = OwnLaptop {
            laptop_id: new_id(),
            member: member.to_string(),
            role: Role::Lead,
            unit_id: None,
            inspection_id: None,
            signing_key: trust::signing_key_text(&laptop_key),
            identity: own_identity.to_text(),
            next_seq: 1,
        };
        let periods = vec![PeriodRow {
            period: 1,
            recipient: period.recipient().to_text(),
            identity: Some(period.to_text()),
        }];
        let mut roster = Roster {
            team_id: team.id.clone(),
            team_name: team.name.clone(),
            serial: 1,
            period: 1,
            period_recipient: periods[0].recipient.clone(),
            issued_at: ctx.stamp(),
            laptops: vec![Laptop {
                id: own.laptop_id.clone(),
                member: own.member.clone(),
                role: Role::Lead,
                unit_id: None,
                inspection_id: None,
                verify_key: trust::verify_key_text(&laptop_key),
                recipient: own_identity.recipient().to_text(),
                added_at: ctx.stamp(),
            }],
            revoked: vec![],
            keys: vec![],
        };
        seal_periods(&mut roster, &periods)?;
        let signed = roster.sign(&team_key);
        let tx = self.conn.transaction()?;
        stored::set_team(&tx, &team)?;
        stored::set_own_laptop(&tx, &own, &ctx.stamp())?;
        stored::put_period(&tx, &periods[0], &ctx.stamp())?;
        stored::set_roster(&tx, 1, &signed, &ctx.stamp())?;
        tx.commit()?;
        Ok(self.team_view()?.expect("team just made"))
    }

    /// Sign and store a changed roster (serial + 1).
    fn publish_roster(
        &mut self,
        ctx: &Ctx,
        team_key: &ed25519_dalek::SigningKey,
        mut r: Roster,
        periods: &[PeriodRow],
    ) -> Result<SignedRoster> {
        r.serial += 1;
        r.issued_at = ctx.stamp();
        seal_periods(&mut r, periods)?;
        if r.laptops.len() + r.revoked.len() > trust::MAX_LAPTOPS {
            return Err(Refusal::TeamState.err(format!(
                "Một đoàn có tối đa {} máy (kể cả máy đơn vị và máy đã thu hồi).",
                trust::MAX_LAPTOPS
            )));
        }
        let signed = r.sign(team_key);
        let tx = self.conn.transaction()?;
        for p in periods {
            stored::put_period(&tx, p, &ctx.stamp())?;
        }
        stored::set_roster(&tx, r.serial, &signed, &ctx.stamp())?;
        tx.commit()?;
        Ok(signed)
    }

    /// A new laptop in the roster with fresh keys; the keys go into its invitation only.
    fn add_laptop(
        &mut self,
        ctx: &Ctx,
        member: &str,
        role: Role,
        unit: Option<(String, String)>,
    ) -> Result<(Keys, InvitedLaptop, SignedRoster)> {
        let (k, team_key) = self.lead_keys()?;
        let member = member.trim();
        if member.is_empty() {
            return Err(Refusal::Required.err("Cần tên người dùng máy được mời."));
        }
        let key = new_signing_key();
        let identity = Identity::generate();
        let laptop = InvitedLaptop {
            id: new_id(),
            member: member.to_string(),
            role,
            unit_id: unit.as_ref().map(|u| u.0.clone()),
            inspection_id: unit.as_ref().map(|u| u.1.clone()),
            signing_key: trust::signing_key_text(&key),
            identity: identity.to_text(),
        };
        let mut r = k.roster.clone();
        r.laptops.push(Laptop {
            id: laptop.id.clone(),
            member: laptop.member.clone(),
            role,
            unit_id: laptop.unit_id.clone(),
            inspection_id: laptop.inspection_id.clone(),
            verify_key: trust::verify_key_text(&key),
            recipient: identity.recipient().to_text(),
            added_at: ctx.stamp(),
        });
        let signed = self.publish_roster(ctx, &team_key, r, &k.periods)?;
        Ok((k, laptop, signed))
    }

    #[allow(clippy::too_many_arguments)]
    fn write_invite(
        &self,
        k: &Keys,
        laptop: InvitedLaptop,
        signed: SignedRoster,
        package: Option<String>,
        ctx: &Ctx,
        out: &Path,
        overwrite: bool,
    ) -> Result<Invited> {
        let member_invite = laptop.role != Role::Unit;
        let inv = Invite {
            format: crate::format::invite::FORMAT.into(),
            version: crate::format::invite::VERSION,
            team_id: k.team.id.clone(),
            team_name: k.team.name.clone(),
            team_key: k.team.verify_key.clone(),
            roster: signed,
            periods: k
                .periods
                .iter()
                .map(|p| PeriodKey {
                    period: p.period,
                    recipient: p.recipient.clone(),
                    identity: if member_invite { p.identity.clone() } else { None },
                })
                .collect(),
            laptop: laptop.clone(),
            package,
            created_at: ctx.stamp(),
        };
        crate::store::files::write_bytes(out, &inv.to_bytes(), overwrite)?;
        Ok(Invited {
            path: out.display().to_string(),
            laptop_id: laptop.id,
            member: laptop.member,
            role: laptop.role,
            fingerprint: trust::fingerprint(&k.team.verify_key),
            outline_path: None,
        })
    }

    /// Invite a member's laptop (`kiemtra team invite --out FILE --member NAME`): a new laptop
    /// in the roster, its keys and the team's key periods in the invitation file.
    pub fn team_invite(&mut self, ctx: &Ctx, member: &str, out: &Path) -> Result<Invited> {
        self.team_invite_as(ctx, member, out, false)
    }

    /// The same where a save dialog has asked the user whether to replace an older file.
    pub fn team_invite_replacing(&mut self, ctx: &Ctx, member: &str, out: &Path) -> Result<Invited> {
        self.team_invite_as(ctx, member, out, true)
    }

    fn team_invite_as(&mut self, ctx: &Ctx, member: &str, out: &Path, overwrite: bool) -> Result<Invited> {
        if !overwrite && out.exists() {
            return Err(Refusal::FileExists.err(format!("Đã có tệp {}; hãy chọn tên khác.", out.display())));
        }
        let before = stored::roster(&self.conn)?;
        let (k, laptop, signed) = self.add_laptop(ctx, member, Role::Member, None)?;
        self.write_invite(&k, laptop, signed, None, ctx, out, overwrite)
            .inspect_err(|_| {
                // The invitation was not written: the roster goes back to what it was.
                if let Some((serial, r)) = &before {
                    let _ = stored::set_roster(&self.conn, *serial, r, &ctx.stamp());
                }
            })
    }

    /// Invite the inspected unit for its self-assessment (`kiemtra self invite UNIT --out FILE`):
    /// a unit laptop in the roster, the unit's checklist sealed to that laptop alone, and
    /// beside the invitation the unit's Đề cương báo cáo tự kiểm tra ([`outline_path`]; the
    /// PDF `kiemtra doc pdf UNIT --kind de-cuong` prints). An existing file of either name is
    /// refused before anything is written; when either cannot be written, neither is left
    /// and the roster is as it was.
    pub fn self_invite(&mut self, ctx: &Ctx, unit_id: &str, out: &Path) -> Result<Invited> {
        self.self_invite_as(ctx, unit_id, out, false)
    }

    /// The same where a save dialog has asked the user whether to replace an older file.
    pub fn self_invite_replacing(&mut self, ctx: &Ctx, unit_id: &str, out: &Path) -> Result<Invited> {
        self.self_invite_as(ctx, unit_id, out, true)
    }

    fn self_invite_as(&mut self, ctx: &Ctx, unit_id: &str, out: &Path, overwrite: bool) -> Result<Invited> {
        let outline = outline_path(out);
        if !overwrite {
            for p in [out, outline.as_path()] {
                if p.exists() {
                    return Err(Refusal::FileExists.err(format!("Đã có tệp {}; hãy chọn tên khác.", p.display())));
                }
            }
        }
        let unit = self.unit(unit_id)?;
        let inspection = self.inspection_for_unit(&unit.id)?;
        let plan_id = self.current_plan()?.id;
        // The outline as the unit will read it, made before anything changes.
        let pdf = self.render_unit_document(&inspection, crate::domain::model::DocumentKind::DeCuong, ctx.now)?;
        let before = stored::roster(&self.conn)?;
        let (_, laptop, _) = self.add_laptop(ctx, &unit.name, Role::Unit, Some((unit.id.clone(), inspection)))?;
        let result = (|| {
            let k = self.keys()?.ok_or_else(no_team)?;
            let package = self.export_sealed_bytes(ctx, &plan_id, std::slice::from_ref(&unit.id))?;
            use base64::Engine;
            let package = base64::engine::general_purpose::STANDARD.encode(package);
            let signed = k.signed.clone();
            // The outline first: an invitation, once written, is not taken back.
            crate::store::files::write_bytes(&outline, &pdf.bytes, overwrite)?;
            let invited = self
                .write_invite(&k, laptop, signed, Some(package), ctx, out, overwrite)
                .inspect_err(|_| {
                    let _ = std::fs::remove_file(&outline);
                })?;
            Ok(Invited {
                outline_path: Some(outline.display().to_string()),
                ..invited
            })
        })();
        if result.is_err() {
            if let Some((serial, r)) = &before {
                let _ = stored::set_roster(&self.conn, *serial, r, &ctx.stamp());
            }
        }
        result
    }

    fn read_invite(path: &Path) -> Result<Invite> {
        let meta = std::fs::metadata(path).map_err(|e| Error::io("mở được", path, e))?;
        if !meta.is_file() || meta.len() > crate::format::invite::MAX_SIZE {
            return Err(Refusal::InviteInvalid.err(
                "Tệp không phải lời mời tham gia đoàn hợp lệ của Kiểm tra CCHC (không phải tệp, hoặc quá lớn). Dữ liệu không bị thay đổi.",
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io("đọc được", path, e))?;
        Invite::parse(&bytes)
    }

    /// Check an invitation and store its keys (one transaction): the team, this laptop, the
    /// periods, the roster.
    fn accept_invite(&mut self, ctx: &Ctx, inv: &Invite) -> Result<()> {
        let roster = inv.roster.verify(&inv.team_key, &inv.team_id).map_err(trust_err)?;
        let key = trust::signing_key(&inv.laptop.signing_key)
            .map_err(|_| Refusal::InviteInvalid.err("Khóa của máy trong lời mời không đọc được."))?;
        let identity = Identity::parse(&inv.laptop.identity)
            .ok_or_else(|| Refusal::InviteInvalid.err("Khóa giải mã của máy trong lời mời không đọc được."))?;
        let listed = roster.laptop(&inv.laptop.id).ok_or_else(|| {
            Refusal::InviteInvalid
                .err("Lời mời nhắc tới một máy không có trong danh sách của đoàn (có thể máy này đã bị thu hồi).")
        })?;
        if listed.verify_key != trust::verify_key_text(&key)
            || listed.recipient != identity.recipient().to_text()
            || listed.role != inv.laptop.role
        {
            return Err(
                Refusal::InviteInvalid.err("Khóa trong lời mời không khớp danh sách máy của đoàn: tệp đã bị sửa.")
            );
        }
        if let Some(k) = self.keys()? {
            if k.team.id == inv.team_id && k.own.laptop_id == inv.laptop.id {
                return Err(
                    Refusal::TeamState.err(format!("Máy này đã tham gia đoàn «{}» bằng lời mời này.", k.team.name))
                );
            }
            // Only a team of this laptop alone may be given up for another.
            let alone = k.roster.laptops.len() == 1 && k.roster.revoked.is_empty();
            if !alone {
                return Err(Refusal::TeamState.err(format!(
                    "Máy này đã thuộc đoàn «{}» (mã {}) cùng {} máy khác; không tham gia đoàn khác được.",
                    k.team.name,
                    trust::fingerprint(&k.team.verify_key),
                    k.roster.laptops.len() - 1
                )));
            }
        }
        let mut periods = Vec::new();
        for p in &inv.periods {
            if Recipient::parse(&p.recipient).is_none()
                || p.identity.as_deref().is_some_and(|i| Identity::parse(i).is_none())
            {
                return Err(Refusal::InviteInvalid.err("Khóa của đoàn trong lời mời không đọc được."));
            }
            periods.push(PeriodRow {
                period: p.period,
                recipient: p.recipient.clone(),
                identity: p.identity.clone(),
            });
        }
        let tx = self.conn.transaction()?;
        stored::clear(&tx)?;
        stored::set_team(
            &tx,
            &TeamRow {
                id: inv.team_id.clone(),
                name: inv.team_name.clone(),
                verify_key: inv.team_key.clone(),
                signing_key: None,
                created_at: ctx.stamp(),
            },
        )?;
        stored::set_own_laptop(
            &tx,
            &OwnLaptop {
                laptop_id: inv.laptop.id.clone(),
                member: inv.laptop.member.clone(),
                role: inv.laptop.role,
                unit_id: inv.laptop.unit_id.clone(),
                inspection_id: inv.laptop.inspection_id.clone(),
                signing_key: inv.laptop.signing_key.clone(),
                identity: inv.laptop.identity.clone(),
                next_seq: 1,
            },
            &ctx.stamp(),
        )?;
        for p in &periods {
            stored::put_period(&tx, p, &ctx.stamp())?;
        }
        stored::put_period(
            &tx,
            &PeriodRow {
                period: roster.period,
                recipient: roster.period_recipient.clone(),
                identity: None,
            },
            &ctx.stamp(),
        )?;
        stored::set_roster(&tx, roster.serial, &inv.roster, &ctx.stamp())?;
        tx.commit()?;
        Ok(())
    }

    /// Join the team from the lead's invitation (`kiemtra team join FILE`).
    pub fn team_join(&mut self, ctx: &Ctx, path: &Path) -> Result<TeamView> {
        let inv = Self::read_invite(path)?;
        if inv.laptop.role == Role::Unit {
            return Err(Refusal::InviteInvalid.err(
                "Đây là lời mời đơn vị tự đánh giá; mở bằng «kiemtra self join» (hoặc «Tham gia tự đánh giá» trong ứng dụng).",
            ));
        }
        self.accept_invite(ctx, &inv)?;
        Ok(self.team_view()?.expect("joined"))
    }

    /// Open a unit's invitation (`kiemtra self join FILE`): this laptop joins as the unit's,
    /// takes the unit's checklist and goes into unit mode for it.
    pub fn self_join(
        &mut self,
        ctx: &Ctx,
        path: &Path,
        backup_dir: Option<&Path>,
    ) -> Result<(TeamView, crate::app::exchange::ImportSummary)> {
        let inv = Self::read_invite(path)?;
        let (Role::Unit, Some(unit_id), Some(package)) = (inv.laptop.role, &inv.laptop.unit_id, &inv.package) else {
            return Err(Refusal::InviteInvalid
                .err("Đây không phải lời mời đơn vị tự đánh giá; máy thành viên tham gia bằng «kiemtra team join»."));
        };
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(package)
            .map_err(|_| Refusal::InviteInvalid.err("Bảng tiêu chí trong lời mời không đọc được."))?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".kiemtra-moi-")
            .tempfile_in(std::env::temp_dir())
            .or_else(|_| tempfile::Builder::new().prefix(".kiemtra-moi-").tempfile_in(dir))
            .map_err(|e| Error::io("ghi được tệp tạm", dir, e))?;
        std::fs::write(tmp.path(), &bytes).map_err(|e| Error::io("ghi được tệp tạm", tmp.path(), e))?;
        let before_keys = stored::roster(&self.conn)?.is_some();
        self.accept_invite(ctx, &inv)?;
        // A laptop that holds only the sample its first start loaded takes the team's records
        // as they are (the sample's copies, written later, would otherwise show instead).
        let sample = self.sample_untouched()?;
        let imported = (|| {
            if sample {
                crate::store::plan::forget_untouched_sample(&mut self.conn)?;
            }
            self.import_exchange(ctx, tmp.path(), backup_dir, &mut |_, _| {})
        })()
        .and_then(|s| self.set_self_assessment_unit(Some(unit_id)).map(|_| s));
        match imported {
            Ok(s) => Ok((self.team_view()?.expect("joined"), s)),
            Err(e) => {
                // The checklist did not come in: this laptop leaves the team it just joined,
                // with its sample back.
                if !before_keys {
                    let _ = stored::clear(&self.conn);
                }
                if sample && self.plans().map(|p| p.is_empty()).unwrap_or(false) {
                    let _ = self.load_sample_plan(ctx);
                }
                Err(e)
            }
        }
    }

    /// Remove a lost or retired laptop (`kiemtra team revoke LAPTOP`): a new key period that
    /// it never receives; the files it made after what this laptop last received from it are
    /// refused everywhere once the new roster arrives.
    pub fn team_revoke(&mut self, ctx: &Ctx, laptop: &str) -> Result<TeamView> {
        let (k, team_key) = self.lead_keys()?;
        let q = crate::domain::text::fold(laptop.trim());
        let matches: Vec<&Laptop> = k
            .roster
            .laptops
            .iter()
            .filter(|l| {
                l.id == laptop.trim() || l.id.starts_with(laptop.trim()) || crate::domain::text::fold(&l.member) == q
            })
            .collect();
        let l = match matches.as_slice() {
            [one] => (*one).clone(),
            [] => {
                return Err(Refusal::NotFound.err(format!(
                    "Không có máy «{laptop}» trong danh sách của đoàn. Xem danh sách: kiemtra team key show."
                )))
            }
            _ => {
                return Err(Refusal::Ambiguous.err(format!(
                    "Có {} máy khớp «{laptop}»; hãy ghi mã máy (kiemtra team key show).",
                    matches.len()
                )))
            }
        };
        if l.id == k.own.laptop_id {
            return Err(Refusal::TeamState.err("Không thu hồi được chính máy của trưởng đoàn."));
        }
        let mut r = k.roster.clone();
        r.laptops.retain(|x| x.id != l.id);
        r.revoked.push(Revoked {
            id: l.id.clone(),
            member: l.member.clone(),
            role: l.role,
            unit_id: l.unit_id.clone(),
            last_seq: stored::last_seq_from(&self.conn, &l.id)?,
            revoked_at: ctx.stamp(),
            verify_key: l.verify_key.clone(),
        });
        let next = Identity::generate();
        r.period += 1;
        r.period_recipient = next.recipient().to_text();
        let mut periods = k.periods.clone();
        periods.push(PeriodRow {
            period: r.period,
            recipient: r.period_recipient.clone(),
            identity: Some(next.to_text()),
        });
        self.publish_roster(ctx, &team_key, r, &periods)?;
        Ok(self.team_view()?.expect("team"))
    }

    /// A roster that came in a file, verified: adopt it if it is newer, and take the period
    /// secrets sealed to this laptop. Runs inside the import's transaction.
    pub(crate) fn adopt_roster(
        conn: &crate::store::records::Connection,
        ctx: &Ctx,
        k: &Keys,
        incoming: &SignedRoster,
        roster: &Roster,
    ) -> Result<bool> {
        if roster.serial <= k.roster.serial {
            return Ok(false);
        }
        stored::set_roster(conn, roster.serial, incoming, &ctx.stamp())?;
        let own =
            Identity::parse(&k.own.identity).ok_or_else(|| corrupt_keys("khóa giải mã của máy không đọc được"))?;
        use base64::Engine;
        for s in roster.keys.iter().filter(|s| s.laptop_id == k.own.laptop_id) {
            let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&s.sealed) else {
                continue;
            };
            let Some(secret) = sealed::open_small(&bytes, &own) else {
                continue;
            };
            let Ok(text) = String::from_utf8(secret) else { continue };
            if let Some(id) = Identity::parse(&text) {
                stored::put_period(
                    conn,
                    &PeriodRow {
                        period: s.period,
                        recipient: id.recipient().to_text(),
                        identity: Some(text),
                    },
                    &ctx.stamp(),
                )?;
            }
        }
        stored::put_period(
            conn,
            &PeriodRow {
                period: roster.period,
                recipient: roster.period_recipient.clone(),
                identity: None,
            },
            &ctx.stamp(),
        )?;
        Ok(true)
    }
}
