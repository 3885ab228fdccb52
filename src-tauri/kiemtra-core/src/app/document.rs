//! The official documents: Biên bản kiểm tra (Mẫu 1.9) and Thông báo kết quả kiểm tra
//! (Mẫu 1.4) as Decree-30 PDFs.
//!
//! A document is a record per inspection, kind and version. A draft holds only what the user
//! changed (opening, closing, recipients, signer…); everything else comes from the
//! inspection's data each time it is printed, with dotted blanks where data is missing.
//! Issuing sets the number and the date, checks that nothing the document needs is missing,
//! renders the PDF, and freezes it: the resolved text and the PDF (stored once by SHA-256)
//! are kept, and the database refuses any change to an issued record. A later edit makes a
//! new draft version that supersedes it; the issued one stays printable byte for byte.

pub use crate::format::{content, fonts, layout};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::model::{
    DocumentKind, DocumentStatus, FindingKind, InspectionState, MemberRole, Team, TeamKind, Unit,
};
use crate::domain::text::{fmt_date, fmt_date_long, fmt_score, lower_first, nfc, parse_date};
use crate::error::{Error, Refusal, Result};
use crate::store::{text as text_value, Ctx, Store, Value};
pub use content::{DocModel, EditableTexts, El, SignBlock};
use layout::PageSetup;

/// Who signs: "KT. TRƯỞNG ĐOÀN / PHÓ TRƯỞNG ĐOÀN", and, for a team using its parent body's
/// seal, the signer's title in that body ("PHÓ GIÁM ĐỐC SỞ NỘI VỤ").
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Signer {
    /// "", "TM.", "KT.", "TL.", "TUQ." or "Q.".
    pub authority: String,
    /// What the authority is exercised for: "ĐOÀN KIỂM TRA" (TM.), "TRƯỞNG ĐOÀN" (KT.).
    pub on_behalf: String,
    /// The signer's title in the team: "TRƯỞNG ĐOÀN", "PHÓ TRƯỞNG ĐOÀN".
    pub title: String,
    /// The signer's office in the parent body, shown under the team title.
    pub agency_title: String,
    pub name: String,
}

pub const AUTHORITIES: [&str; 6] = ["", "TM.", "KT.", "TL.", "TUQ.", "Q."];

/// What a user may change in a document before it is issued. `None` means "as generated".
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocEdits {
    /// The name of the issuing body in the header (default: the team's name without the
    /// province and year).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub issuing_body: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub opening: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub closing: Option<String>,
    /// Thông báo: the date by which the unit reports its remediation (YYYY-MM-DD).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub report_due: Option<String>,
    /// Biên bản: "8 giờ 00".
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub start_time: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub end_time: Option<String>,
    /// Biên bản: who attended for the unit, one per line.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub unit_attendees: Option<Vec<String>>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub unit_comments: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub requests: Option<String>,
    /// Biên bản: how many copies (0 restores the default, 2).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub copies: Option<u32>,
}

/// A change to a document: set fields replace, an empty text or list restores the default.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DocPatch {
    #[cfg_attr(feature = "ts", ts(optional))]
    pub edits: Option<DocEdits>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub signer: Option<Signer>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub recipients: Option<Vec<String>>,
}

/// One version of a document as screens and commands show it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct DocumentInfo {
    /// None for a document nobody has edited or issued yet (printed from the data as it is).
    pub id: Option<String>,
    pub inspection_id: String,
    pub kind: DocumentKind,
    pub version: u32,
    pub status: DocumentStatus,
    pub number: String,
    pub date: Option<String>,
    pub symbol: String,
    pub issued_at: Option<String>,
    pub snapshot_sha256: Option<String>,
    pub supersedes_id: Option<String>,
    pub edits: DocEdits,
    /// The signer as it will be printed (the edit, or the default from the team).
    pub signer: Signer,
    pub signer_edited: bool,
    /// Nơi nhận as it will be printed.
    pub recipients: Vec<String>,
    pub recipients_edited: bool,
    /// What must be filled in before the document can be issued, all of it: the data it
    /// quotes (numbers, dates, signer, for a Biên bản the hours, the unit's representative,
    /// its opinion), and any blank «……» left in the text, a user's own paragraphs named by
    /// section. Issuing refuses with this list (besides the number and date it is given).
    pub missing: Vec<String>,
    /// What issuing asks to confirm (it goes through only when told to): the checklist not
    /// fully scored ("9/82 tiêu chí đã chấm"), a Thông báo before its Biên bản is issued.
    pub warnings: Vec<String>,
    /// The texts a user may rewrite: which are the user's and which are generated, and
    /// whether a user's text no longer matches the data it quoted.
    pub sections: Vec<SectionInfo>,
    /// For an issued version: the inspection's data no longer gives the same text (a finding
    /// or a score changed since). The issued document stays as it is; editing it makes a new
    /// version from the current data.
    pub changed_since_issue: bool,
}

/// One text of a document a user may rewrite, as the edit screen shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionInfo {
    /// The field of [`DocEdits`]: "opening", "closing", "unit_comments", "requests"…
    pub key: String,
    /// "Đoạn mở đầu", "Ý kiến của đơn vị"…
    pub label: String,
    /// The user's text (else generated from the data each time it is printed).
    pub edited: bool,
    /// A user's text that quotes data which changed since it was written (a reference the
    /// user rewrote by hand), or that still holds a blank «……»: to be read again.
    pub stale: bool,
}

/// A rendered document.
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub model: DocModel,
    /// The record the bytes come from, when it is issued (stored bytes, not re-rendered).
    pub issued: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Stored {
    #[serde(default)]
    edits: DocEdits,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    snapshot: Option<DocModel>,
    /// The signer and recipients as issued (the record's own columns keep only the edits, so
    /// a new version made from it still follows later changes to the team or the unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issued_signer: Option<Signer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issued_recipients: Option<Vec<String>>,
    /// The references the data gave when a user's text was last saved (to tell when a text
    /// that quotes them by hand has gone stale).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quoted: Option<Quoted>,
}

/// The references a document's opening quotes from the data. A user's text keeps them live:
/// where it quotes one as generated, the stored text holds its token instead, and the token
/// is resolved whenever the text is shown or printed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Quoted {
    plan: String,
    decision: String,
    visit: String,
}

const PLAN_TOKEN: &str = "{{ke-hoach}}";
const DECISION_TOKEN: &str = "{{quyet-dinh}}";
const VISIT_TOKEN: &str = "{{ngay-kiem-tra}}";

fn quoted(s: &Source) -> Quoted {
    Quoted {
        plan: plan_reference(s),
        decision: decision_reference(s),
        visit: visit_phrase(s),
    }
}

impl Quoted {
    fn pairs(&self) -> [(&'static str, &str); 3] {
        [
            (PLAN_TOKEN, self.plan.as_str()),
            (DECISION_TOKEN, self.decision.as_str()),
            (VISIT_TOKEN, self.visit.as_str()),
        ]
    }

    /// A user's text with every reference quoted as generated replaced by its token (the
    /// plan's and the decision's before the visit's, which their dates would contain).
    fn tokenize(&self, text: &str) -> String {
        let mut t = text.to_string();
        for (token, quoted) in self.pairs() {
            if !quoted.is_empty() {
                t = t.replace(quoted, token);
            }
        }
        t
    }

    /// A stored text as it reads now.
    fn resolve(&self, text: &str) -> String {
        let mut t = text.to_string();
        for (token, quoted) in self.pairs() {
            t = t.replace(token, quoted);
        }
        t
    }
}

/// The texts a user may rewrite whose stored form may hold tokens.
fn quoting_texts(e: &mut DocEdits) -> [&mut Option<String>; 2] {
    [&mut e.opening, &mut e.closing]
}

/// One version of a document as stored, its signer and content read.
type Row = crate::store::documents::DocumentRow<Signer, Stored>;

/// Everything a document is built from.
struct Source {
    plan: crate::domain::model::Plan,
    team: Team,
    unit: Unit,
    row: crate::domain::model::InspectionRow,
    card: crate::domain::scoring::ScoreCard,
    figures: Vec<crate::domain::model::FigureValue>,
    rates: Vec<crate::domain::model::RateValue>,
    findings: Vec<crate::domain::model::Finding>,
    recommendations: Vec<crate::domain::model::Recommendation>,
    /// Whether a version of the inspection's Biên bản has been issued (signed).
    minutes_issued: bool,
}

pub(crate) fn vn_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&FixedOffset::east_opt(7 * 3600).expect("+07:00"))
        .date_naive()
}

pub(crate) fn kind_symbol(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::BienBan => "BB",
        DocumentKind::ThongBao => "TB",
        DocumentKind::DeCuong => "ĐC",
        DocumentKind::TuKiemTra | DocumentKind::BaoCao => "BC",
    }
}

/// An inspection's stored documents are the Biên bản and the Thông báo; the others are
/// printed from the data (the outline, the unit's report) or belong to the plan.
fn stored_kind(kind: DocumentKind) -> Result<()> {
    match kind {
        DocumentKind::BienBan | DocumentKind::ThongBao => Ok(()),
        DocumentKind::BaoCao => Err(Refusal::BadChoice.err(
            "Báo cáo kết quả kiểm tra là văn bản của cả kế hoạch, không của một đơn vị: dùng «kiemtra doc … --kind bao-cao» không kèm đơn vị.",
        )),
        k => Err(Refusal::BadChoice.err(format!(
            "{} được tạo từ dữ liệu để in, không soạn sửa hay ban hành như biên bản, thông báo: hãy in bằng «kiemtra doc pdf ĐƠN_VỊ --kind {}».",
            capitalise(k.label()),
            k.as_str().replace('_', "-")
        ))),
    }
}

/// "5" → "05" (Decree 30: numbers below 10 take a leading zero).
pub fn pad_number(n: &str) -> String {
    let t = n.trim();
    match t.parse::<u32>() {
        Ok(v) if v < 10 => format!("{v:02}"),
        _ => t.to_string(),
    }
}

pub(crate) fn or_blank(s: &str) -> String {
    if s.trim().is_empty() {
        content::BLANK.to_string()
    } else {
        s.trim().to_string()
    }
}

pub(crate) fn long_date_or_blank(d: Option<&str>) -> String {
    match d.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
        Some(d) => fmt_date_long(d),
        None => format!("ngày {b} tháng {b} năm {b}", b = content::BLANK),
    }
}

/// "Đoàn kiểm tra công tác cải cách hành chính tỉnh Cao Bằng năm 2026" → the name without
/// the province and the year, which the header's parent body already says.
fn short_team_name(name: &str) -> String {
    let lower = name.to_lowercase();
    let cut = [" tỉnh ", " năm "].iter().filter_map(|k| lower.find(k)).min();
    match cut {
        Some(i) if i > 10 => name[..i].to_string(),
        _ => name.to_string(),
    }
}

/// The issuing body a team's documents name in their header: the one set for the team (a
/// Tổ kiểm tra of Thanh tra tỉnh: "Thanh tra tỉnh Cao Bằng"), else its short name.
pub(crate) fn team_header(team: &Team) -> String {
    if team.issuing_body.trim().is_empty() {
        short_team_name(&team.name)
    } else {
        team.issuing_body.clone()
    }
}

/// How a document names the team and its lead: a Đoàn kiểm tra and its Trưởng đoàn, or a
/// Tổ kiểm tra and its Tổ trưởng.
pub(crate) struct TeamWords {
    /// "Đoàn kiểm tra", "Tổ kiểm tra".
    pub team: &'static str,
    /// "Trưởng đoàn kiểm tra", "Tổ trưởng Tổ kiểm tra".
    pub lead: &'static str,
    /// "TRƯỞNG ĐOÀN", "TỔ TRƯỞNG": the default signer's title.
    pub title: &'static str,
    /// "TRƯỞNG ĐOÀN KIỂM TRA", "TỔ TRƯỞNG TỔ KIỂM TRA".
    pub lead_upper: &'static str,
}

pub(crate) fn team_words(team: &Team) -> TeamWords {
    match team.kind {
        TeamKind::Doan => TeamWords {
            team: "Đoàn kiểm tra",
            lead: "Trưởng đoàn kiểm tra",
            title: "TRƯỞNG ĐOÀN",
            lead_upper: "TRƯỞNG ĐOÀN KIỂM TRA",
        },
        TeamKind::To => TeamWords {
            team: "Tổ kiểm tra",
            lead: "Tổ trưởng Tổ kiểm tra",
            title: "TỔ TRƯỞNG",
            lead_upper: "TỔ TRƯỞNG TỔ KIỂM TRA",
        },
    }
}

fn member_line(m: &crate::domain::model::Member) -> String {
    let mut parts = vec![m.name.clone()];
    if !m.title.is_empty() {
        parts.push(m.title.clone());
    }
    if !m.agency.is_empty() && !m.title.contains(&m.agency) {
        parts.push(m.agency.clone());
    }
    let role = match m.role {
        MemberRole::TruongDoan => "Trưởng đoàn",
        MemberRole::PhoTruongDoan => "Phó Trưởng đoàn",
        MemberRole::ThanhVien => "thành viên",
        MemberRole::ThuKy => "thư ký",
    };
    format!("{} – {}", parts.join(", "), role)
}

impl Store {
    fn document_source(&self, inspection_id: &str) -> Result<Source> {
        let (plan_id, unit_id) =
            crate::store::documents::inspection_plan_and_unit(self, inspection_id)?.ok_or_else(|| Error::NotFound {
                what: "cuộc kiểm tra",
                key: inspection_id.into(),
            })?;
        let plan = self.plan(&plan_id)?;
        let team = self.team(&plan_id)?.ok_or_else(|| {
            Refusal::DocumentIncomplete.err("Kế hoạch chưa có đoàn kiểm tra: hãy nhập đoàn trước khi in văn bản.")
        })?;
        let unit = self.unit(&unit_id)?;
        let (_, card) = self.score_card(inspection_id)?;
        let row = self.inspection_row(inspection_id)?;
        let (figures, rates) = self.figures(inspection_id)?;
        Ok(Source {
            plan,
            team,
            unit,
            row,
            card,
            figures,
            rates,
            findings: self.findings(inspection_id)?,
            recommendations: self.recommendations(inspection_id)?,
            minutes_issued: self
                .document_rows(inspection_id, DocumentKind::BienBan)?
                .iter()
                .any(|r| r.status == DocumentStatus::Issued),
        })
    }

    fn document_rows(&self, inspection_id: &str, kind: DocumentKind) -> Result<Vec<Row>> {
        crate::store::documents::document_rows(self, inspection_id, kind)
    }

    pub(crate) fn default_signer(team: &Team) -> Signer {
        let lead = team.members.iter().find(|m| m.role == MemberRole::TruongDoan);
        Signer {
            authority: team.sign_authority.clone(),
            on_behalf: team.sign_on_behalf.clone(),
            title: if team.sign_title.is_empty() {
                team_words(team).title.into()
            } else {
                team.sign_title.clone()
            },
            // A title of the team's own choosing says the office itself ("PHÓ CHÁNH THANH
            // TRA"): the lead's title is not repeated under it.
            agency_title: if team.sign_title.is_empty() {
                lead.map(|m| m.title.to_uppercase()).unwrap_or_default()
            } else {
                String::new()
            },
            name: lead.map(|m| m.name.clone()).unwrap_or_default(),
        }
    }

    fn default_recipients(kind: DocumentKind, s: &Source) -> Vec<String> {
        let body = s.unit.official_body();
        match kind {
            DocumentKind::ThongBao => {
                let mut v = vec![body];
                v.push(match s.team.kind {
                    TeamKind::Doan => "Chủ tịch, các Phó Chủ tịch UBND tỉnh (b/c)".into(),
                    TeamKind::To => format!("Lãnh đạo {} (b/c)", s.plan.issuing_body),
                });
                if !s.team.standing_agency.is_empty() {
                    v.push(s.team.standing_agency.clone());
                }
                v.push(format!("Thành viên {}", team_words(&s.team).team));
                v.push(format!("Lưu: VT, {}", s.team.symbol));
                v
            }
            // The Biên bản (the only other kind `stored_kind` admits).
            _ => vec![body, format!("Lưu: VT, Hồ sơ {}", s.team.symbol)],
        }
    }

    fn info_from(&self, inspection_id: &str, kind: DocumentKind, row: Option<&Row>, s: &Source) -> DocumentInfo {
        let stored: Stored = row.map(|r| r.content.clone()).unwrap_or_default();
        let signer_edit: Option<Signer> = row.map(|r| r.signer.clone()).filter(|s| *s != Signer::default());
        let recipients_edit: Option<Vec<String>> = row.map(|r| r.recipients.clone()).filter(|v| !v.is_empty());
        let signer = stored
            .issued_signer
            .clone()
            .or_else(|| signer_edit.clone())
            .unwrap_or_else(|| Self::default_signer(&s.team));
        let recipients = stored
            .issued_recipients
            .clone()
            .or_else(|| recipients_edit.clone().map(with_archive_line(&s.team.symbol)))
            .unwrap_or_else(|| Self::default_recipients(kind, s));
        let symbol = row
            .map(|r| r.symbol.clone())
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| format!("{}-{}", kind_symbol(kind), s.team.symbol));
        // The user's texts as they read now: the references they quote, resolved.
        let refs = quoted(s);
        let raw = stored.edits.clone();
        let mut edits = stored.edits;
        for t in quoting_texts(&mut edits).into_iter().flatten() {
            *t = refs.resolve(t);
        }
        let mut info = DocumentInfo {
            id: row.map(|r| r.id.clone()),
            inspection_id: inspection_id.to_string(),
            kind,
            version: row.map(|r| r.version).unwrap_or(1),
            status: row.map(|r| r.status).unwrap_or(DocumentStatus::Draft),
            number: row.map(|r| r.number.clone()).unwrap_or_default(),
            date: row.and_then(|r| r.date).map(|d| d.format("%Y-%m-%d").to_string()),
            symbol,
            issued_at: row.and_then(|r| r.issued_at.clone()),
            snapshot_sha256: row.and_then(|r| r.snapshot_sha256.clone()),
            supersedes_id: row.and_then(|r| r.supersedes_id.clone()),
            edits,
            signer,
            signer_edited: signer_edit.is_some(),
            recipients,
            recipients_edited: recipients_edit.is_some(),
            missing: vec![],
            warnings: vec![],
            sections: vec![],
            changed_since_issue: false,
        };
        info.sections = sections(&info, s, &raw, stored.quoted.as_ref(), &refs);
        let draft = build_model(&info, s, None, DateTime::UNIX_EPOCH);
        info.missing = missing(&info, s, &draft);
        info.warnings = warnings(&info, s);
        if info.status == DocumentStatus::Issued {
            let issued_on = row.and_then(|r| r.date);
            if let (Some(snapshot), Some(d)) = (stored.snapshot.as_ref(), issued_on) {
                let number = info.number.clone();
                // An issued model does not depend on the clock (its date is the issue date).
                info.changed_since_issue = build_model(&info, s, Some((&number, d)), DateTime::UNIX_EPOCH) != *snapshot;
            }
        }
        info
    }

    /// Every version of the inspection's documents of `kind`, newest first; when none has
    /// been made, the one that would be printed now.
    pub fn document_versions(&self, inspection_id: &str, kind: DocumentKind) -> Result<Vec<DocumentInfo>> {
        stored_kind(kind)?;
        let s = self.document_source(inspection_id)?;
        let rows = self.document_rows(inspection_id, kind)?;
        if rows.is_empty() {
            return Ok(vec![self.info_from(inspection_id, kind, None, &s)]);
        }
        Ok(rows
            .iter()
            .map(|r| self.info_from(inspection_id, kind, Some(r), &s))
            .collect())
    }

    /// The current version of a document (the newest).
    pub fn document(&self, inspection_id: &str, kind: DocumentKind) -> Result<DocumentInfo> {
        Ok(self.document_versions(inspection_id, kind)?.remove(0))
    }

    /// Change a document. An issued document is never changed: the change goes into a new
    /// draft version that supersedes it.
    pub fn edit_document(
        &mut self,
        ctx: &Ctx,
        inspection_id: &str,
        kind: DocumentKind,
        p: &DocPatch,
    ) -> Result<DocumentInfo> {
        stored_kind(kind)?;
        let s = self.document_source(inspection_id)?;
        let rows = self.document_rows(inspection_id, kind)?;
        let latest = rows.first();
        let mut stored: Stored = latest.map(|r| r.content.clone()).unwrap_or_default();
        stored.snapshot = None;
        stored.issued_signer = None;
        stored.issued_recipients = None;
        if let Some(e) = &p.edits {
            merge_edits(&mut stored.edits, e)?;
            // A user's text keeps the references it quotes as generated live (tokens).
            let refs = quoted(&s);
            let quotes = e.opening.is_some() || e.closing.is_some();
            for t in quoting_texts(&mut stored.edits).into_iter().flatten() {
                *t = refs.tokenize(t);
            }
            if quotes {
                stored.quoted = Some(refs);
            }
        }
        let signer = match &p.signer {
            Some(sg) => normalise_signer(sg)?,
            None => latest.map(|r| r.signer.clone()).unwrap_or_default(),
        };
        let recipients: Vec<String> = match &p.recipients {
            Some(v) => v.iter().map(|r| clean_recipient(r)).filter(|r| !r.is_empty()).collect(),
            None => latest.map(|r| r.recipients.clone()).unwrap_or_default(),
        };
        let content = serde_json::to_string(&stored).expect("document content serialises");
        let signer_json = serde_json::to_string(&signer).expect("signer serialises");
        let recipients_json = serde_json::to_string(&recipients).expect("recipients serialise");
        let symbol = format!("{}-{}", kind_symbol(kind), s.team.symbol);
        self.write(ctx, "sửa văn bản", |w| {
            match latest {
                Some(r) if r.status == DocumentStatus::Draft => {
                    w.update(
                        "document",
                        &r.id,
                        &[
                            ("content", Value::Text(content)),
                            ("signer", Value::Text(signer_json)),
                            ("recipients", Value::Text(recipients_json)),
                        ],
                    )?;
                }
                _ => {
                    let id = w.new_id();
                    w.insert(
                        "document",
                        &id,
                        &[
                            ("inspection_id", Value::Text(inspection_id.into())),
                            ("kind", Value::Text(kind.as_str().into())),
                            (
                                "version",
                                Value::Integer(latest.map(|r| r.version as i64 + 1).unwrap_or(1)),
                            ),
                            ("symbol", text_value(&symbol)),
                            ("content", Value::Text(content)),
                            ("signer", Value::Text(signer_json)),
                            ("recipients", Value::Text(recipients_json)),
                            (
                                "supersedes_id",
                                latest.map(|r| Value::Text(r.id.clone())).unwrap_or(Value::Null),
                            ),
                        ],
                    )?;
                }
            }
            Ok(())
        })?;
        self.document(inspection_id, kind)
    }

    /// The resolved text of the current version: the frozen one when it is issued, else the
    /// draft as it would print now.
    pub fn document_model(&self, inspection_id: &str, kind: DocumentKind, now: DateTime<Utc>) -> Result<DocModel> {
        if matches!(kind, DocumentKind::DeCuong | DocumentKind::TuKiemTra) {
            return self.unit_document_model(inspection_id, kind, now);
        }
        stored_kind(kind)?;
        let s = self.document_source(inspection_id)?;
        let rows = self.document_rows(inspection_id, kind)?;
        if let Some(r) = rows.first() {
            if r.status == DocumentStatus::Issued {
                if let Some(m) = &r.content.snapshot {
                    return Ok(m.clone());
                }
            }
        }
        let info = self.info_from(inspection_id, kind, rows.first(), &s);
        Ok(build_model(&info, &s, None, now))
    }

    /// The PDF of the current version: an issued document's stored bytes (checked against
    /// their hash), or the draft rendered now with blank number and day.
    pub fn render_document(&self, inspection_id: &str, kind: DocumentKind, now: DateTime<Utc>) -> Result<Rendered> {
        if matches!(kind, DocumentKind::DeCuong | DocumentKind::TuKiemTra) {
            return self.render_unit_document(inspection_id, kind, now);
        }
        stored_kind(kind)?;
        let rows = self.document_rows(inspection_id, kind)?;
        if let Some(r) = rows.first() {
            if r.status == DocumentStatus::Issued {
                return self.issued_pdf(r);
            }
        }
        let model = self.document_model(inspection_id, kind, now)?;
        render_model(&model, now)
    }

    /// The PDF of one version, by its id (an issued one byte for byte).
    pub fn render_document_version(&self, document_id: &str, now: DateTime<Utc>) -> Result<Rendered> {
        let (inspection_id, kind) = crate::store::documents::document_inspection_and_kind(self, document_id)?
            .ok_or_else(|| Error::NotFound {
                what: "văn bản",
                key: document_id.into(),
            })?;
        let rows = self.document_rows(&inspection_id, kind)?;
        let r = rows.iter().find(|r| r.id == document_id).expect("row just found");
        if r.status == DocumentStatus::Issued {
            return self.issued_pdf(r);
        }
        let s = self.document_source(&inspection_id)?;
        let info = self.info_from(&inspection_id, kind, Some(r), &s);
        render_model(&build_model(&info, &s, None, now), now)
    }

    fn issued_pdf(&self, r: &Row) -> Result<Rendered> {
        let sha = r.snapshot_sha256.clone().unwrap_or_default();
        let (_, _, bytes) = self.attachment(&sha)?;
        if crate::domain::digest::sha256_hex(&bytes) != sha {
            return Err(Refusal::DocumentDamaged.err(format!(
                "Bản PDF đã ban hành của văn bản số {} không khớp mã băm đã lưu: dữ liệu có thể bị hỏng. \
                 Hãy khôi phục từ bản sao lưu.",
                r.number
            )));
        }
        let model = r
            .content
            .snapshot
            .clone()
            .ok_or_else(|| Refusal::DocumentDamaged.err("Văn bản đã ban hành thiếu nội dung lưu."))?;
        Ok(Rendered {
            pages: count_pages(&bytes),
            bytes,
            model,
            issued: true,
        })
    }

    /// Issue the current version: set its number and date, refuse if anything it needs is
    /// missing (everything at once: the number and date given here and the document's own
    /// [`DocumentInfo::missing`]), refuse unless `confirm_warnings` when there is something to
    /// confirm ([`DocumentInfo::warnings`]), render it, store the PDF and the resolved text,
    /// and freeze it. Issuing the Biên bản marks the minutes signed; the Thông báo marks the
    /// conclusion issued.
    pub fn issue_document(
        &mut self,
        ctx: &Ctx,
        inspection_id: &str,
        kind: DocumentKind,
        number: &str,
        date: &str,
        confirm_warnings: bool,
    ) -> Result<DocumentInfo> {
        stored_kind(kind)?;
        let number = pad_number(&nfc(number));
        let mut lacking = Vec::new();
        if number.is_empty() {
            lacking.push("số văn bản".to_string());
        } else if number.contains('/') || number.chars().any(char::is_whitespace) {
            return Err(Refusal::BadNumber.err(format!(
                "Số văn bản «{number}» chỉ gồm số thứ tự (ví dụ 05); ký hiệu được thêm tự động."
            )));
        }
        let date = if date.trim().is_empty() {
            lacking.push("ngày ban hành văn bản".to_string());
            None
        } else {
            Some(parse_date(date)?)
        };
        let s = self.document_source(inspection_id)?;
        let rows = self.document_rows(inspection_id, kind)?;
        let latest = rows.first();
        if let Some(r) = latest.filter(|r| r.status == DocumentStatus::Issued) {
            return Err(Refusal::DocumentIssued.err(format!(
                "{} số {}/{} đã ban hành ngày {}; muốn sửa, hãy sửa nội dung để tạo phiên bản mới rồi ban hành lại.",
                capitalise(kind.label()),
                r.number,
                r.symbol,
                r.date.map(fmt_date).unwrap_or_default()
            )));
        }
        let mut info = self.info_from(inspection_id, kind, latest, &s);
        lacking.extend(info.missing.iter().cloned());
        let Some(date) = date.filter(|_| lacking.is_empty()) else {
            return Err(Refusal::DocumentIncomplete.err(format!(
                "Chưa ban hành được {}: còn thiếu {}.",
                kind.label(),
                lacking.join("; ")
            )));
        };
        if !info.warnings.is_empty() && !confirm_warnings {
            return Err(Refusal::DocumentUnconfirmed.err(format!(
                "Cần xác nhận trước khi ban hành {}: {}. Nếu vẫn ban hành, hãy xác nhận ban hành \
                 (dòng lệnh: thêm --force).",
                kind.label(),
                info.warnings.join("; ")
            )));
        }
        info.number = number.clone();
        info.date = Some(date.format("%Y-%m-%d").to_string());
        let model = build_model(&info, &s, Some((&number, date)), ctx.now);
        let rendered = render_model(&model, ctx.now)?;
        let sha = crate::domain::digest::sha256_hex(&rendered.bytes);
        // The user's texts are kept as stored (their references live, for a later version).
        let kept: Stored = latest.map(|r| r.content.clone()).unwrap_or_default();
        let stored = Stored {
            edits: kept.edits,
            snapshot: Some(model),
            issued_signer: Some(info.signer.clone()),
            issued_recipients: Some(info.recipients.clone()),
            quoted: kept.quoted,
        };
        let content = serde_json::to_string(&stored).expect("document content serialises");
        let unit_name = s.unit.name.clone();
        let file_name = format!(
            "{}-{}-{}.pdf",
            kind_symbol(kind),
            number,
            crate::domain::text::fold(&unit_name).replace(' ', "-")
        );
        let next_state = match kind {
            DocumentKind::ThongBao => InspectionState::ConclusionIssued,
            // The Biên bản (the only other kind `stored_kind` admits).
            _ => InspectionState::MinutesSigned,
        };
        let symbol = info.symbol.clone();
        let date_s = date.format("%Y-%m-%d").to_string();
        let bytes = rendered.bytes;
        self.write(ctx, "ban hành văn bản", |w| {
            w.barrier = true;
            crate::store::documents::store_issued_pdf(w, &sha, &bytes, &file_name)?;
            let fields = [
                ("number", Value::Text(number.clone())),
                ("date", Value::Text(date_s.clone())),
                ("symbol", text_value(&symbol)),
                ("content", Value::Text(content)),
                ("snapshot_sha256", Value::Text(sha.clone())),
                ("issued_at", Value::Text(w.ctx.stamp())),
                ("status", Value::Text(DocumentStatus::Issued.as_str().into())),
            ];
            match latest {
                Some(r) => {
                    w.update("document", &r.id, &fields)?;
                }
                None => {
                    let id = w.new_id();
                    let mut all = vec![
                        ("inspection_id", Value::Text(inspection_id.into())),
                        ("kind", Value::Text(kind.as_str().into())),
                        ("version", Value::Integer(1)),
                    ];
                    all.extend(fields);
                    w.insert("document", &id, &all)?;
                }
            }
            let cur = crate::store::documents::inspection_state(w, inspection_id)?;
            if cur.rank() < next_state.rank() {
                w.update(
                    "inspection",
                    inspection_id,
                    &[("state", Value::Text(next_state.as_str().into()))],
                )?;
            }
            Ok(())
        })?;
        self.document(inspection_id, kind)
    }
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub(crate) fn with_archive_line(symbol: &str) -> impl Fn(Vec<String>) -> Vec<String> + '_ {
    move |mut v: Vec<String>| {
        if !v.iter().any(|r| r.starts_with("Lưu")) {
            v.push(format!("Lưu: VT, {symbol}"));
        }
        v
    }
}

/// "- Sở Nội vụ;" → "Sở Nội vụ": the dash and the final punctuation are the layout's.
pub(crate) fn clean_recipient(r: &str) -> String {
    let t = nfc(r);
    let t = t.trim().trim_start_matches(['-', '–', '•']).trim();
    t.trim_end_matches([';', '.', ',']).trim().to_string()
}

/// A signing authority as typed ("tm", "KT.") in its written form, or refused.
pub(crate) fn normalise_authority(typed: &str) -> Result<String> {
    let authority = typed.trim().to_uppercase();
    let authority = if authority.is_empty() || authority.ends_with('.') {
        authority
    } else {
        format!("{authority}.")
    };
    if !AUTHORITIES.contains(&authority.as_str()) {
        return Err(Refusal::BadChoice.err(format!(
            "Quyền hạn ký «{}» không hợp lệ. Chọn một trong: TM., KT., TL., TUQ., Q. hoặc để trống.",
            typed.trim()
        )));
    }
    Ok(authority)
}

pub(crate) fn normalise_signer(s: &Signer) -> Result<Signer> {
    let authority = normalise_authority(&s.authority)?;
    if !authority.is_empty() && s.on_behalf.trim().is_empty() {
        return Err(Refusal::Required.err(format!(
            "Ký {authority} thì phải ghi thay mặt cho ai (ví dụ «{authority} TRƯỞNG ĐOÀN»)."
        )));
    }
    Ok(Signer {
        authority,
        on_behalf: nfc(s.on_behalf.trim()).to_uppercase(),
        title: nfc(s.title.trim()).to_uppercase(),
        agency_title: nfc(s.agency_title.trim()).to_uppercase(),
        name: nfc(s.name.trim()),
    })
}

fn merge_edits(cur: &mut DocEdits, e: &DocEdits) -> Result<()> {
    fn text(cur: &mut Option<String>, new: &Option<String>) {
        if let Some(v) = new {
            let v = nfc(v.trim());
            *cur = if v.is_empty() { None } else { Some(v) };
        }
    }
    text(&mut cur.issuing_body, &e.issuing_body);
    text(&mut cur.opening, &e.opening);
    text(&mut cur.closing, &e.closing);
    text(&mut cur.start_time, &e.start_time);
    text(&mut cur.end_time, &e.end_time);
    text(&mut cur.unit_comments, &e.unit_comments);
    text(&mut cur.requests, &e.requests);
    if let Some(d) = &e.report_due {
        cur.report_due = if d.trim().is_empty() {
            None
        } else {
            Some(parse_date(d)?.format("%Y-%m-%d").to_string())
        };
    }
    if let Some(v) = &e.unit_attendees {
        let v: Vec<String> = v.iter().map(|s| nfc(s.trim())).filter(|s| !s.is_empty()).collect();
        cur.unit_attendees = if v.is_empty() { None } else { Some(v) };
    }
    if let Some(c) = e.copies {
        if !(1..=20).contains(&c) {
            return Err(Refusal::BadNumber.err(format!("Số bản của biên bản phải từ 1 đến 20 (nhận được {c}).")));
        }
        cur.copies = Some(c);
    }
    Ok(())
}

/// What the document needs before it can be issued, in words a user understands, all of it
/// at once: the data it quotes, then any blank «……» or dotted lines left in its text (a
/// user's own text named by its section).
fn missing(info: &DocumentInfo, s: &Source, model: &DocModel) -> Vec<String> {
    let mut v = Vec::new();
    let words = team_words(&s.team);
    if s.plan.number.trim().is_empty() {
        v.push("số kế hoạch kiểm tra (màn hình Kế hoạch & đoàn)".to_string());
    }
    if s.plan.date.is_none() {
        v.push("ngày ban hành kế hoạch".to_string());
    }
    if s.team.decision_number.trim().is_empty() {
        v.push(format!("số quyết định thành lập {}", lower_first(words.team)));
    }
    if s.team.decision_date.is_none() {
        v.push(format!("ngày quyết định thành lập {}", lower_first(words.team)));
    }
    if s.team.parent_body.trim().is_empty() && info.edits.issuing_body.is_none() && s.team.name.trim().is_empty() {
        v.push("cơ quan ban hành".to_string());
    }
    if info.signer.name.trim().is_empty() {
        v.push("họ tên người ký".to_string());
    }
    if info.signer.title.trim().is_empty() && info.signer.authority.is_empty() {
        v.push("chức danh người ký".to_string());
    }
    if s.row.actual_start.is_none() && s.row.scheduled_start.is_none() {
        v.push("ngày kiểm tra".to_string());
    }
    let has_shortcomings = s.findings.iter().any(|f| f.kind == FindingKind::Shortcoming);
    let has_causes = s.findings.iter().any(|f| f.kind == FindingKind::Cause);
    if has_shortcomings && !has_causes {
        v.push("nguyên nhân của tồn tại, hạn chế (nhận xét loại nguyên nhân)".to_string());
    }
    match info.kind {
        DocumentKind::ThongBao => {
            if report_due(info, s).is_none() {
                v.push("hạn báo cáo kết quả khắc phục".to_string());
            }
        }
        // The Biên bản (the only other kind `stored_kind` admits).
        _ => {
            if info.edits.start_time.is_none() {
                v.push("giờ bắt đầu buổi làm việc".to_string());
            }
            if info.edits.end_time.is_none() {
                v.push("giờ kết thúc buổi làm việc".to_string());
            }
            let unit_body = s.unit.official_body();
            if s.unit.head_name.trim().is_empty() {
                v.push(format!("họ tên người đại diện {unit_body} (thủ trưởng đơn vị)"));
            }
            if s.unit.head_title.trim().is_empty() && info.edits.unit_attendees.is_none() {
                v.push(format!("chức vụ người đại diện {unit_body}"));
            }
            if !s.team.members.iter().any(|m| m.role == MemberRole::TruongDoan) {
                v.push(format!("{} (người chủ trì)", lower_first(words.lead)));
            }
            if !s.team.members.iter().any(|m| m.role == MemberRole::ThuKy) {
                v.push(format!("thư ký {}", lower_first(words.team)));
            }
            if info.edits.unit_comments.is_none() {
                v.push(format!("ý kiến của {unit_body} (mục III)"));
            }
            if info.edits.requests.is_none() && s.recommendations.is_empty() {
                v.push(format!("yêu cầu của {} (mục IV)", lower_first(words.lead)));
            }
        }
    }
    // A user's own text: a blank typed or left in it (the references it quotes live are
    // the data's, named above).
    let refs = quoted(s);
    let own = own_texts(info, &refs);
    for (label, text) in &own {
        if text.contains(content::BLANK) {
            v.push(format!(
                "chỗ trống «{}» trong {} (do người dùng sửa)",
                content::BLANK,
                lower_first(label)
            ));
        }
    }
    if v.is_empty() {
        // Whatever else is still blank in the text as it would be issued.
        let mine: Vec<String> = own.iter().map(|(_, t)| refs.resolve(t)).collect();
        v.extend(
            blank_places(model, &mine)
                .into_iter()
                .map(|place| format!("chỗ trống «{}» ở {place}", content::BLANK)),
        );
    }
    v
}

/// The user's own texts (their stored form: a reference kept live is a token), with the
/// label of their section.
fn own_texts(info: &DocumentInfo, refs: &Quoted) -> Vec<(&'static str, String)> {
    let e = &info.edits;
    let mut v: Vec<(&'static str, String)> = Vec::new();
    let mut push = |label: &'static str, t: &Option<String>, quoting: bool| {
        if let Some(t) = t {
            v.push((label, if quoting { refs.tokenize(t) } else { t.clone() }));
        }
    };
    push("Cơ quan ban hành", &e.issuing_body, false);
    push("Đoạn mở đầu", &e.opening, true);
    push("Đoạn kết", &e.closing, true);
    if info.kind == DocumentKind::BienBan {
        push("Giờ bắt đầu", &e.start_time, false);
        push("Giờ kết thúc", &e.end_time, false);
        push("Ý kiến của đơn vị", &e.unit_comments, false);
        push("Yêu cầu", &e.requests, false);
        if let Some(a) = &e.unit_attendees {
            v.push(("Người dự của đơn vị", a.join("; ")));
        }
    }
    if info.signer_edited {
        v.push(("Người ký", format!("{} {}", info.signer.title, info.signer.name)));
    }
    if info.recipients_edited {
        v.push(("Nơi nhận", info.recipients.join("; ")));
    }
    v
}

/// Where the text still has a blank «……» or dotted lines, by section ("đoạn mở đầu", "mục
/// II"), leaving out the user's own texts (`mine`, as they read).
fn blank_places(m: &DocModel, mine: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |place: String| {
        if !out.contains(&place) {
            out.push(place);
        }
    };
    let blank = |t: &str| t.contains(content::BLANK) && !mine.iter().any(|x| x == t);
    if blank(&m.issuing_body) || blank(&m.parent_body) {
        add("phần tên cơ quan ban hành".into());
    }
    let mut place = "phần mở đầu".to_string();
    for el in &m.body {
        let hit = match el {
            El::Heading(h) => {
                place = format!("mục {}", h.split('.').next().unwrap_or(h));
                blank(h)
            }
            El::Sub(t) | El::Para(t) | El::Label(t) | El::Closing(t) => blank(t),
            El::Labeled(a, b) => blank(a) || blank(b),
            El::Blank(_) => true,
            El::Table { rows, .. } => rows.iter().flatten().any(|c| blank(c)),
        };
        if hit {
            add(match el {
                El::Closing(_) => "đoạn kết".to_string(),
                _ => place.clone(),
            });
        }
    }
    for b in m.signatures.iter().flat_map(|(l, r)| [l, r]).flatten() {
        if blank(&b.name) || b.lines.iter().any(|l| blank(l)) {
            add("phần chữ ký".into());
        }
    }
    if m.recipients.iter().any(|r| blank(r)) {
        add("nơi nhận".into());
    }
    out
}

/// What issuing asks to confirm.
fn warnings(info: &DocumentInfo, s: &Source) -> Vec<String> {
    let mut v = Vec::new();
    if s.card.scored_items < s.card.scorable_items {
        v.push(format!(
            "{}/{} tiêu chí đã chấm",
            s.card.scored_items, s.card.scorable_items
        ));
    }
    if info.kind == DocumentKind::ThongBao && !s.minutes_issued {
        v.push("biên bản kiểm tra chưa ban hành (chưa ký)".to_string());
    }
    v
}

/// The texts a user may rewrite, each the user's or generated, and stale when it quotes by
/// hand data that changed since it was written, or holds a blank the user left.
fn sections(info: &DocumentInfo, s: &Source, raw: &DocEdits, then: Option<&Quoted>, now: &Quoted) -> Vec<SectionInfo> {
    let words = team_words(&s.team);
    let mut keys: Vec<(&str, String, &Option<String>, bool)> = vec![
        ("issuing_body", "Cơ quan ban hành".into(), &raw.issuing_body, false),
        ("opening", "Đoạn mở đầu".into(), &raw.opening, true),
        ("closing", "Đoạn kết".into(), &raw.closing, true),
    ];
    match info.kind {
        DocumentKind::ThongBao => keys.push(("report_due", "Hạn báo cáo khắc phục".into(), &raw.report_due, false)),
        // The Biên bản (the only other kind `stored_kind` admits).
        _ => {
            keys.push(("start_time", "Giờ bắt đầu".into(), &raw.start_time, false));
            keys.push(("end_time", "Giờ kết thúc".into(), &raw.end_time, false));
            keys.push(("unit_comments", "Ý kiến của đơn vị".into(), &raw.unit_comments, false));
            keys.push(("requests", format!("Yêu cầu của {}", words.lead), &raw.requests, false));
        }
    }
    let mut out: Vec<SectionInfo> = keys
        .into_iter()
        .map(|(key, label, text, quoting)| {
            let stale = match text {
                None => false,
                Some(t) => {
                    let by_hand = quoting
                        && then.is_some_and(|q| {
                            q.pairs()
                                .iter()
                                .zip(now.pairs())
                                .any(|((token, was), (_, is))| !t.contains(token) && *was != is)
                        });
                    by_hand || t.contains(content::BLANK)
                }
            };
            SectionInfo {
                key: key.into(),
                label,
                edited: text.is_some(),
                stale,
            }
        })
        .collect();
    if info.kind == DocumentKind::BienBan {
        out.insert(
            5,
            SectionInfo {
                key: "unit_attendees".into(),
                label: "Người dự của đơn vị".into(),
                edited: raw.unit_attendees.is_some(),
                stale: raw
                    .unit_attendees
                    .as_ref()
                    .is_some_and(|a| a.iter().any(|x| x.contains(content::BLANK))),
            },
        );
    }
    out
}

fn report_due(info: &DocumentInfo, s: &Source) -> Option<String> {
    info.edits
        .report_due
        .clone()
        .or_else(|| s.recommendations.iter().filter_map(|r| r.deadline.clone()).max())
}

fn visit_dates(s: &Source) -> (Option<String>, Option<String>) {
    let start = s.row.actual_start.clone().or_else(|| s.row.scheduled_start.clone());
    let end = s
        .row
        .actual_end
        .clone()
        .or_else(|| s.row.scheduled_end.clone())
        .or_else(|| start.clone());
    (start, end)
}

/// The days of the visit as the Thông báo's opening says them: "từ ngày 13 tháng 10 năm 2026
/// đến ngày 14 tháng 10 năm 2026", "ngày 13 tháng 10 năm 2026" (blanks when not set).
fn visit_phrase(s: &Source) -> String {
    match visit_dates(s) {
        (Some(a), Some(b)) if a != b => format!(
            "từ {} đến {}",
            long_date_or_blank(Some(&a)),
            long_date_or_blank(Some(&b))
        ),
        (Some(a), _) => long_date_or_blank(Some(&a)),
        _ => long_date_or_blank(None),
    }
}

fn plan_reference(s: &Source) -> String {
    plan_ref(&s.plan)
}

/// "Kế hoạch số 12/KH-UBND ngày … của … về …", blanks where the plan has no number or date.
pub(crate) fn plan_ref(p: &crate::domain::model::Plan) -> String {
    let number = if p.number.trim().is_empty() {
        format!("{}/{}", content::BLANK, p.symbol)
    } else if p.number.contains('/') {
        p.number.clone()
    } else {
        format!("{}/{}", pad_number(&p.number), p.symbol)
    };
    let about = p
        .title
        .strip_prefix("Kế hoạch ")
        .map(|t| t.to_string())
        .unwrap_or_else(|| lower_first(&p.title));
    format!(
        "Kế hoạch số {number} {} của {} về {about}",
        long_date_or_blank(p.date.as_deref()),
        p.issuing_body
    )
}

fn decision_reference(s: &Source) -> String {
    decision_ref(&s.team)
}

/// "Quyết định số 45/QĐ-UBND ngày … của … về việc thành lập …".
pub(crate) fn decision_ref(t: &Team) -> String {
    let number = if t.decision_number.trim().is_empty() {
        format!("{}/QĐ-UBND", content::BLANK)
    } else if t.decision_number.contains('/') {
        t.decision_number.clone()
    } else {
        format!("{}/QĐ-UBND", pad_number(&t.decision_number))
    };
    let by = if t.decision_signer_title.is_empty() {
        String::new()
    } else {
        format!(" của {}", t.decision_signer_title)
    };
    format!(
        "Quyết định số {number} {}{by} về việc thành lập {}",
        long_date_or_blank(t.decision_date.as_deref()),
        lower_first(&t.name)
    )
}

pub(crate) fn signer_block(sg: &Signer) -> SignBlock {
    let mut lines = Vec::new();
    if !sg.authority.is_empty() {
        lines.push(format!("{} {}", sg.authority, sg.on_behalf));
    }
    if !sg.title.is_empty() {
        lines.push(sg.title.clone());
    }
    if !sg.agency_title.is_empty() {
        lines.push(sg.agency_title.clone());
    }
    SignBlock {
        lines,
        note: String::new(),
        name: if sg.name.is_empty() {
            content::BLANK.repeat(3)
        } else {
            sg.name.clone()
        },
    }
}

fn score_table(s: &Source) -> El {
    let mut rows: Vec<Vec<String>> = s
        .card
        .areas
        .iter()
        .map(|a| {
            vec![
                a.code.clone(),
                a.title.clone(),
                fmt_score(a.applicable_max),
                fmt_score(a.self_score),
                fmt_score(a.score),
            ]
        })
        .collect();
    rows.push(vec![
        String::new(),
        "Tổng cộng".into(),
        fmt_score(s.card.applicable_max),
        fmt_score(s.card.self_total),
        fmt_score(s.card.total),
    ]);
    El::Table {
        header: vec![
            "TT".into(),
            "Lĩnh vực".into(),
            "Điểm tối đa".into(),
            "Đơn vị tự chấm".into(),
            format!("{} chấm", team_words(&s.team).team),
        ],
        rows,
        widths: vec![0.07, 0.48, 0.14, 0.15, 0.16],
        numeric: vec![false, false, true, true, true],
        bold_last: true,
    }
}

fn figures_table(s: &Source) -> Option<El> {
    let mut rows: Vec<Vec<String>> = s
        .figures
        .iter()
        .filter(|f| f.value.is_some())
        .map(|f| vec![f.label.clone(), f.display.clone()])
        .collect();
    rows.extend(
        s.rates
            .iter()
            .filter(|r| r.percent.is_some())
            .map(|r| vec![r.label.clone(), r.display.clone()]),
    );
    if rows.is_empty() {
        return None;
    }
    Some(El::Table {
        header: vec!["Chỉ tiêu".into(), "Kết quả".into()],
        rows,
        widths: vec![0.78, 0.22],
        numeric: vec![false, true],
        bold_last: false,
    })
}

fn findings_of(s: &Source, area: &str, kind: FindingKind) -> Vec<String> {
    s.findings
        .iter()
        .filter(|f| f.area_code == area && f.kind == kind)
        .map(|f| f.text.clone())
        .collect()
}

/// A list of dashed lines, each ending ";" and the last ".".
pub(crate) fn list(items: &[String]) -> Vec<El> {
    marked(items, |t| format!("- {t}"))
}

/// A numbered list (the items carry their numbers), each ending ";" and the last ".".
pub(crate) fn numbered(items: &[String]) -> Vec<El> {
    marked(items, str::to_string)
}

/// Items of a list, each given its final mark: ";" and "." for the last. Only the final mark
/// of a user's sentence changes (its own "." or ";" is replaced; "!" or "?" stays).
fn marked(items: &[String], line: impl Fn(&str) -> String) -> Vec<El> {
    let n = items.len();
    items
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let t = t.trim();
            let last = i + 1 == n;
            let text = match t.chars().last() {
                Some('!' | '?') => t.to_string(),
                _ => format!(
                    "{}{}",
                    t.trim_end_matches([';', '.', ',']).trim_end(),
                    if last { "." } else { ";" }
                ),
            };
            El::Para(line(&text))
        })
        .collect()
}

/// The recommendations as both documents list them: "1. Rà soát … (thực hiện: Chủ tịch UBND
/// xã; thời hạn: 31/12/2026)", without their final mark.
fn recommendation_items(s: &Source) -> Vec<String> {
    s.recommendations
        .iter()
        .map(|r| {
            let mut extra = Vec::new();
            if !r.owner.is_empty() {
                extra.push(format!("thực hiện: {}", r.owner));
            }
            if let Some(d) = r.deadline.as_deref().and_then(|d| parse_date(d).ok()) {
                extra.push(format!("thời hạn: {}", fmt_date(d)));
            }
            let text = r.text.trim().trim_end_matches(['.', ';']);
            if extra.is_empty() {
                format!("{}. {text}", r.number)
            } else {
                format!("{}. {text} ({})", r.number, extra.join("; "))
            }
        })
        .collect()
}

/// The resolved text of a document from its record and the inspection's data.
fn build_model(info: &DocumentInfo, s: &Source, issue: Option<(&str, NaiveDate)>, now: DateTime<Utc>) -> DocModel {
    let unit_body = s.unit.official_body();
    let year = s.plan.year;
    let issuing_body = info.edits.issuing_body.clone().unwrap_or_else(|| team_header(&s.team));
    let words = team_words(&s.team);
    let tw = words.team;
    let number_line = match issue {
        Some((n, _)) => format!("{n}/{}", info.symbol),
        None => format!("{}/{}", "\u{a0}".repeat(8), info.symbol),
    };
    let (visit_start, visit_end) = visit_dates(s);
    let summary = format!(
        "{} công tác cải cách hành chính năm {year} tại {unit_body}",
        match info.kind {
            DocumentKind::ThongBao => "Kết quả kiểm tra",
            // The Biên bản (the only other kind `stored_kind` admits).
            _ => "Kiểm tra",
        }
    );
    let mut body = Vec::new();
    let signatures;
    match info.kind {
        DocumentKind::ThongBao => {
            let date_line = match issue {
                Some((_, d)) => format!("{}, {}", s.plan.place, fmt_date_long(d)),
                None => {
                    let today = vn_date(now);
                    let month = if today.month() <= 2 {
                        format!("{:02}", today.month())
                    } else {
                        today.month().to_string()
                    };
                    format!(
                        "{}, ngày{}tháng {month} năm {}",
                        s.plan.place,
                        "\u{a0}".repeat(8),
                        today.year()
                    )
                }
            };
            let opening = info.edits.opening.clone().unwrap_or_else(|| {
                format!(
                    "Thực hiện {}; {}, {}, {tw} đã tiến hành kiểm tra công tác cải cách hành chính năm {year} tại {unit_body}. {tw} thông báo kết quả kiểm tra như sau:",
                    plan_reference(s),
                    decision_reference(s),
                    visit_phrase(s),
                )
            });
            body.push(El::Para(opening));
            body.push(El::Heading("I. KẾT QUẢ ĐẠT ĐƯỢC".into()));
            let pct = s
                .card
                .percent
                .map(|p| format!(" ({})", crate::domain::text::fmt_percent(p)))
                .unwrap_or_default();
            body.push(El::Para(format!(
                "Tổng điểm {tw} đánh giá: {}/{} điểm{pct}; điểm đơn vị tự đánh giá: {}/{} điểm. Kết quả theo từng lĩnh vực:",
                fmt_score(s.card.total),
                fmt_score(s.card.applicable_max),
                fmt_score(s.card.self_total),
                fmt_score(s.card.applicable_max),
            )));
            body.push(score_table(s));
            // Areas with something to say, numbered in order; the table above has them all.
            let mut n = 0;
            for a in &s.card.areas {
                let achieved = findings_of(s, &a.code, FindingKind::Achieved);
                if achieved.is_empty() {
                    continue;
                }
                n += 1;
                body.push(El::Sub(format!(
                    "{n}. {} ({}/{} điểm)",
                    a.title,
                    fmt_score(a.score),
                    fmt_score(a.applicable_max)
                )));
                for t in achieved {
                    body.push(El::Para(t));
                }
            }
            if let Some(t) = figures_table(s) {
                n += 1;
                body.push(El::Sub(format!("{n}. Một số chỉ tiêu chủ yếu")));
                body.push(t);
            }
            body.push(El::Heading("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN".into()));
            body.push(El::Sub("1. Tồn tại, hạn chế".into()));
            let shortcomings: Vec<_> = s
                .findings
                .iter()
                .filter(|f| f.kind == FindingKind::Shortcoming)
                .collect();
            if shortcomings.is_empty() {
                body.push(El::Para(format!("{tw} không ghi nhận tồn tại, hạn chế.")));
            }
            let texts: Vec<String> = shortcomings.iter().map(|f| f.text.clone()).collect();
            body.extend(list(&texts));
            let causes: Vec<String> = s
                .findings
                .iter()
                .filter(|f| f.kind == FindingKind::Cause)
                .map(|f| f.text.clone())
                .collect();
            // Causes are named when there is something they explain.
            if !causes.is_empty() || !shortcomings.is_empty() {
                body.push(El::Sub("2. Nguyên nhân".into()));
                if causes.is_empty() {
                    body.push(El::Blank(2));
                }
                body.extend(list(&causes));
            }
            body.push(El::Heading("III. KIẾN NGHỊ".into()));
            if s.recommendations.is_empty() {
                body.push(El::Para(format!(
                    "Đề nghị {unit_body} tiếp tục duy trì kết quả đạt được."
                )));
            } else {
                body.push(El::Para(format!("Đề nghị {unit_body} thực hiện các nội dung sau:")));
            }
            body.extend(numbered(&recommendation_items(s)));
            let due = report_due(info, s);
            body.push(El::Para(format!(
                "{unit_body} báo cáo kết quả khắc phục các tồn tại, hạn chế và thực hiện kiến nghị nêu trên về {tw}{} trước {}.",
                if s.team.standing_agency.is_empty() {
                    String::new()
                } else {
                    format!(" (qua {})", s.team.standing_agency)
                },
                long_date_or_blank(due.as_deref())
            )));
            body.push(El::Closing(info.edits.closing.clone().unwrap_or_else(|| {
                format!(
                    "Trên đây là Thông báo kết quả kiểm tra công tác cải cách hành chính năm {year} tại {unit_body}./."
                )
            })));
            signatures = vec![(None, Some(signer_block(&info.signer)))];
            DocModel {
                kind: info.kind,
                parent_body: s.team.parent_body.clone(),
                issuing_body,
                number_line,
                date_line: Some(date_line),
                title: "THÔNG BÁO".into(),
                summary,
                summary_rule: true,
                body,
                signatures,
                recipients: info.recipients.clone(),
                appendix: vec![],
                draft: issue.is_none(),
            }
        }
        // The Biên bản (the only other kind `stored_kind` admits).
        _ => {
            let day = long_date_or_blank(visit_start.as_deref());
            let start = info
                .edits
                .start_time
                .clone()
                .unwrap_or_else(|| format!("{b} giờ {b}", b = content::BLANK));
            body.push(El::Labeled("Thời gian bắt đầu:".into(), format!("{start}, {day}.")));
            let place = if s.unit.address.is_empty() {
                format!("trụ sở {unit_body}.")
            } else {
                format!("trụ sở {unit_body}, {}.", s.unit.address)
            };
            body.push(El::Labeled("Địa điểm:".into(), place));
            body.push(El::Para(info.edits.opening.clone().unwrap_or_else(|| {
                format!(
                    "Thực hiện {}; {}, {tw} tiến hành kiểm tra công tác cải cách hành chính năm {year} tại {unit_body}.",
                    plan_reference(s),
                    decision_reference(s)
                )
            })));
            body.push(El::Labeled("Thành phần tham dự:".into(), String::new()));
            body.push(El::Para(format!("1. {tw}:")));
            let members: Vec<String> = s.team.members.iter().map(member_line).collect();
            body.extend(list(&members));
            body.push(El::Para(format!("2. Đại diện {unit_body}:")));
            let attendees = info.edits.unit_attendees.clone().unwrap_or_else(|| {
                vec![format!(
                    "{}, {}",
                    or_blank(&s.unit.head_name),
                    if s.unit.head_title.is_empty() {
                        content::BLANK.to_string()
                    } else {
                        s.unit.head_title.clone()
                    }
                )]
            });
            body.extend(list(&attendees));
            let lead = s.team.members.iter().find(|m| m.role == MemberRole::TruongDoan);
            let clerk = s.team.members.iter().find(|m| m.role == MemberRole::ThuKy);
            body.push(El::Labeled(
                "Chủ trì:".into(),
                format!(
                    "{}, {}.",
                    lead.map(|m| m.name.as_str()).unwrap_or(content::BLANK),
                    words.lead
                ),
            ));
            body.push(El::Labeled(
                "Thư ký:".into(),
                format!(
                    "{}.",
                    clerk
                        .map(|m| m.name.clone())
                        .unwrap_or_else(|| content::BLANK.to_string())
                ),
            ));
            body.push(El::Labeled("Nội dung:".into(), String::new()));
            body.push(El::Heading("I. NỘI DUNG KIỂM TRA".into()));
            body.push(El::Para(format!(
                "{tw} đã kiểm tra hồ sơ, tài liệu, sổ sách và tài khoản phần mềm của {unit_body} theo các lĩnh vực: {}.",
                s.card
                    .areas
                    .iter()
                    .map(|a| lower_first(&a.title))
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
            body.push(El::Heading("II. KẾT QUẢ KIỂM TRA SƠ BỘ".into()));
            body.push(El::Para(format!(
                "Điểm {tw} chấm sơ bộ: {}/{} điểm; điểm đơn vị tự chấm: {}/{} điểm.",
                fmt_score(s.card.total),
                fmt_score(s.card.applicable_max),
                fmt_score(s.card.self_total),
                fmt_score(s.card.applicable_max)
            )));
            body.push(score_table(s));
            // The areas with something to say, numbered 1, 2, 3 in order (the table above has
            // them all).
            let mut n = 0;
            for a in &s.card.areas {
                let achieved = findings_of(s, &a.code, FindingKind::Achieved);
                let short = findings_of(s, &a.code, FindingKind::Shortcoming);
                let causes = findings_of(s, &a.code, FindingKind::Cause);
                if achieved.is_empty() && short.is_empty() && causes.is_empty() {
                    continue;
                }
                n += 1;
                body.push(El::Sub(format!("{n}. {}", a.title)));
                for (label, texts) in [
                    ("Kết quả đạt được:", &achieved),
                    ("Tồn tại, hạn chế:", &short),
                    ("Nguyên nhân:", &causes),
                ] {
                    if !texts.is_empty() {
                        body.push(El::Label(label.into()));
                        body.extend(list(texts));
                    }
                }
            }
            if let Some(t) = figures_table(s) {
                body.push(El::Para(format!("Một số chỉ tiêu đơn vị báo cáo, {tw} đã đối chiếu:")));
                body.push(t);
            }
            body.push(El::Heading(format!("III. Ý KIẾN CỦA {}", unit_body.to_uppercase())));
            match &info.edits.unit_comments {
                Some(c) => body.push(El::Para(c.clone())),
                None => body.push(El::Blank(4)),
            }
            body.push(El::Heading(format!("IV. YÊU CẦU CỦA {}", words.lead_upper)));
            match &info.edits.requests {
                Some(r) => body.push(El::Para(r.clone())),
                None if s.recommendations.is_empty() => body.push(El::Blank(4)),
                None => {
                    body.push(El::Para(format!("Đề nghị {unit_body} thực hiện các nội dung sau:")));
                    body.extend(numbered(&recommendation_items(s)));
                }
            }
            let copies = info.edits.copies.unwrap_or(2);
            let end = info
                .edits
                .end_time
                .clone()
                .unwrap_or_else(|| format!("{b} giờ {b}", b = content::BLANK));
            // A visit of several days ends on its last day, not "cùng ngày".
            let on = match (&visit_start, &visit_end) {
                (Some(a), Some(b)) if a != b => match parse_date(b) {
                    Ok(d) => format!("ngày {}", fmt_date(d)),
                    Err(_) => "cùng ngày".to_string(),
                },
                _ => "cùng ngày".to_string(),
            };
            body.push(El::Closing(info.edits.closing.clone().unwrap_or_else(|| {
                format!(
                    "Biên bản kết thúc vào {end} {on}, được lập thành {:02} bản có giá trị như nhau, {unit_body} giữ 01 bản, {tw} giữ {:02} bản; các thành phần tham dự đã nghe đọc lại, thống nhất nội dung và cùng ký tên dưới đây./.",
                    copies,
                    copies.saturating_sub(1).max(1)
                )
            })));
            let head_title = if s.unit.head_title.is_empty() {
                String::new()
            } else {
                format!("{} {}", s.unit.head_title, s.unit.name)
            };
            let unit_sign = SignBlock {
                lines: {
                    let mut l = vec![format!("ĐẠI DIỆN {}", unit_body)];
                    if !head_title.is_empty() {
                        l.push(short_head_title(&head_title));
                    }
                    l
                },
                note: "(Ký, ghi rõ họ tên, đóng dấu)".into(),
                name: if s.unit.head_name.is_empty() {
                    content::BLANK.repeat(3)
                } else {
                    s.unit.head_name.clone()
                },
            };
            let mut lead_sign = signer_block(&info.signer);
            if info.signer.authority.is_empty() && info.signer.title == words.title {
                lead_sign.lines[0] = words.lead_upper.into();
            }
            lead_sign.note = "(Ký, ghi rõ họ tên)".into();
            let clerk_sign = SignBlock {
                lines: vec!["THƯ KÝ".into()],
                note: "(Ký, ghi rõ họ tên)".into(),
                name: clerk
                    .map(|m| m.name.clone())
                    .unwrap_or_else(|| content::BLANK.repeat(3)),
            };
            signatures = vec![(Some(unit_sign), Some(lead_sign)), (Some(clerk_sign), None)];
            DocModel {
                kind: info.kind,
                parent_body: s.team.parent_body.clone(),
                issuing_body,
                number_line,
                date_line: None,
                title: "BIÊN BẢN".into(),
                summary,
                summary_rule: false,
                body,
                signatures,
                recipients: info.recipients.clone(),
                appendix: vec![],
                draft: issue.is_none(),
            }
        }
    }
}

/// "Chủ tịch UBND xã xã Hạ Lang" → "Chủ tịch UBND xã Hạ Lang".
fn short_head_title(t: &str) -> String {
    let words: Vec<&str> = t.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::new();
    for w in words {
        if out.last().is_some_and(|l| l.eq_ignore_ascii_case(w)) {
            continue;
        }
        out.push(w);
    }
    out.join(" ")
}

pub(crate) fn count_pages(bytes: &[u8]) -> usize {
    let pat = b"/Type /Page";
    let alt = b"/Type/Page";
    let mut n = 0;
    for i in 0..bytes.len().saturating_sub(pat.len()) {
        let m = (bytes[i..].starts_with(pat) && bytes.get(i + pat.len()) != Some(&b's'))
            || (bytes[i..].starts_with(alt) && bytes.get(i + alt.len()) != Some(&b's'));
        if m {
            n += 1;
        }
    }
    n
}

/// Lay out and draw a document.
pub fn render_model(model: &DocModel, now: DateTime<Utc>) -> Result<Rendered> {
    let setup = PageSetup::a4();
    let blocks = content::blocks(model, &setup);
    layout::check_glyphs(&blocks)?;
    let pages = layout::paginate(&setup, &blocks);
    let json = serde_json::to_vec(model).expect("model serialises");
    let digest = Sha256::digest(&json);
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    let title = format!("{} – {}", model.title, model.summary);
    let bytes = layout::render(
        &setup,
        &pages,
        &layout::PdfMeta {
            title: &title,
            subject: &model.summary,
            author: &model.issuing_body,
            unix_time: now.timestamp(),
            id,
        },
    )?;
    Ok(Rendered {
        pages: pages.len(),
        bytes,
        model: model.clone(),
        issued: false,
    })
}

/// What every version of an official document has, whatever it is built from: an
/// inspection's Biên bản and Thông báo ([`DocumentInfo`]) and the plan's report
/// ([`crate::report::ReportInfo`]).
pub trait Versioned {
    fn status(&self) -> DocumentStatus;
    fn version(&self) -> u32;
    fn number(&self) -> &str;
    fn symbol(&self) -> &str;
    /// The issue date, ISO.
    fn date(&self) -> Option<&str>;
}

/// Both carry the same fields under the same names.
macro_rules! versioned {
    ($($t:ty),*) => {$(
        impl Versioned for $t {
            fn status(&self) -> DocumentStatus {
                self.status
            }
            fn version(&self) -> u32 {
                self.version
            }
            fn number(&self) -> &str {
                &self.number
            }
            fn symbol(&self) -> &str {
                &self.symbol
            }
            fn date(&self) -> Option<&str> {
                self.date.as_deref()
            }
        }
    )*};
}
versioned!(DocumentInfo, crate::app::report::ReportInfo);

/// The status of a document version for lists.
pub fn status_label(info: &impl Versioned) -> String {
    match info.status() {
        DocumentStatus::Draft => format!("dự thảo (phiên bản {})", info.version()),
        DocumentStatus::Issued => format!(
            "đã ban hành số {}/{} ngày {} (phiên bản {})",
            info.number(),
            info.symbol(),
            info.date()
                .and_then(|d| parse_date(d).ok())
                .map(fmt_date)
                .unwrap_or_default(),
            info.version()
        ),
    }
}
