//! What crosses the IPC boundary: the error shape, the views the screens receive and the
//! inputs they send. `ui/src/lib/bindings.ts` is generated from these types and the core's
//! (ts-rs); a test fails when the committed file drifts from them
//! (`UPDATE_BINDINGS=1 cargo test -p kiemtra-desktop bindings` rewrites it).

use kiemtra_core::calendar::{Holiday, HolidayKind};
use kiemtra_core::checklist::{ChecklistLive, Criterion, EvidenceAdded, StatusChoice};
use kiemtra_core::document::{
    DocEdits, DocModel, DocPatch, DocumentInfo, EditableTexts, El, SectionInfo, SignBlock, Signer,
};
use kiemtra_core::domain::trust::Role;
use kiemtra_core::exchange::{
    Changes, Conflict, ConflictVersion, Exported, ImportSummary, ReceivedFile, UnitChanges, VerifiedSender,
};
use kiemtra_core::followup::{
    CarriedRecommendation, DeadlineMark, DeadlineState, FollowUp, FollowUpView, Reinspection, RemediationPatch,
};
use kiemtra_core::model::*;
use kiemtra_core::plan::{
    AreaTitle, CreatedPlan, InspectionPatch, NewPlan, NewUnit, PlanOverview, PlanPatch, RankRow, TeamPatch,
};
use kiemtra_core::report::{ReportBy, ReportEdits, ReportInfo, ReportPatch, ReportTexts};
use kiemtra_core::scoring::{AreaScore, ItemScore, ItemState, ScoreCard};
use kiemtra_core::selfassess::SelfAssessment;
use kiemtra_core::store::templates::TemplateInfo;
use kiemtra_core::team::{Invited, LaptopView, TeamView};
use kiemtra_core::undo::{UndoableAction, Undone};
use kiemtra_core::unitdocs::{Numbering, UnitDocument};
use kiemtra_core::xlsx::XlsxSummary;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An error as the UI receives it: a stable code and a Vietnamese message to show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CmdError {
    pub code: String,
    pub message: String,
}

impl From<&kiemtra_core::Error> for CmdError {
    fn from(e: &kiemtra_core::Error) -> Self {
        CmdError {
            code: e.code().to_string(),
            message: e.to_string(),
        }
    }
}

impl From<kiemtra_core::Error> for CmdError {
    fn from(e: kiemtra_core::Error) -> Self {
        CmdError::from(&e)
    }
}

impl CmdError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        CmdError {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// Where the data is and who is working.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub data_dir: String,
    pub schema_version: i64,
    pub device_id: String,
    pub inspector: String,
    /// The database was created at this start (with the sample plan).
    pub created: bool,
    /// What "Hoàn tác" would undo now.
    pub undoable: Option<UndoableAction>,
    /// The Vietnamese names of every state and kind, from the core.
    pub labels: Labels,
    /// The unit this laptop self-assesses for (unit mode), if any.
    pub self_unit: Option<Unit>,
    /// Today in Vietnam (YYYY-MM-DD): what deadlines are counted against.
    pub today: String,
    /// A conclusion is due this many working days after the visit ends (the core's rule).
    pub conclusion_working_days: u32,
    /// What may stand before a signer's title ("" for signing directly, "TM.", "KT."…).
    pub sign_authorities: Vec<String>,
}

/// One value of an enumeration with its Vietnamese label.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Choice {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Labels {
    pub unit_kind: Vec<Choice>,
    pub inspection_state: Vec<Choice>,
    pub member_role: Vec<Choice>,
    pub finding_kind: Vec<Choice>,
    pub recommendation_state: Vec<Choice>,
    pub document_kind: Vec<Choice>,
    pub deadline_state: Vec<Choice>,
    /// The word of the plan table's deadline cell ("quá hạn", "tuần này", "ban hành trễ").
    pub deadline_short: Vec<Choice>,
    pub evidence_source: Vec<Choice>,
    /// "không áp dụng", "không chấm khi kiểm tra"… for a criterion's score.
    pub item_state: Vec<Choice>,
    pub holiday_kind: Vec<Choice>,
    /// Đoàn kiểm tra or Tổ kiểm tra.
    pub team_kind: Vec<Choice>,
}

macro_rules! choices {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| Choice {
                key: v.as_str().to_string(),
                label: v.label().to_string(),
            })
            .collect()
    };
}

/// The key serde sends for an enum value ("due_this_week").
fn key(v: impl Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|k| k.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn listed<T: Copy + Serialize>(all: &[T], label: fn(T) -> &'static str) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            key: key(*v),
            label: label(*v).into(),
        })
        .collect()
}

const DEADLINE_STATES: [DeadlineState; 5] = [
    DeadlineState::Issued,
    DeadlineState::IssuedLate,
    DeadlineState::Overdue,
    DeadlineState::DueThisWeek,
    DeadlineState::Upcoming,
];

impl Labels {
    pub fn new() -> Labels {
        Labels {
            unit_kind: choices!(UnitKind),
            inspection_state: choices!(InspectionState),
            member_role: choices!(MemberRole),
            finding_kind: choices!(FindingKind),
            recommendation_state: choices!(RecommendationState),
            document_kind: choices!(DocumentKind),
            deadline_state: listed(&DEADLINE_STATES, DeadlineState::label),
            deadline_short: listed(&DEADLINE_STATES, DeadlineState::short_label),
            evidence_source: choices!(EvidenceSource),
            item_state: listed(
                &[
                    ItemState::Scored,
                    ItemState::Unscored,
                    ItemState::NotApplicable,
                    ItemState::NotObserved,
                ],
                ItemState::label,
            ),
            holiday_kind: listed(&[HolidayKind::Nghi, HolidayKind::LamBu], HolidayKind::label),
            team_kind: choices!(TeamKind),
        }
    }
}

impl Default for Labels {
    fn default() -> Self {
        Labels::new()
    }
}

/// Everything the inspection screen shows for one unit, read when the screen opens: the
/// unit, its checklist's criteria (which never change for an inspection) and the live part.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InspectionView {
    pub unit: Unit,
    pub template_name: String,
    pub template_version: String,
    pub criteria: Vec<Criterion>,
    pub live: InspectionLive,
}

/// What changes as the team works, returned by every change to the inspection so the
/// screen always shows what is stored (without the criteria's text, sent once).
#[derive(Debug, Clone, Serialize, TS)]
pub struct InspectionLive {
    pub checklist: ChecklistLive,
    pub figures: Vec<FigureValue>,
    /// The figures the unit reported in its self-assessment (kept apart from the team's).
    pub self_figures: Vec<FigureValue>,
    pub rates: Vec<RateValue>,
    /// The team's figures that contradict each other (resolved − on time ≠ late), in words.
    pub figure_warnings: Vec<String>,
    /// The same for the unit's own figures.
    pub self_figure_warnings: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub findings: Vec<Finding>,
    pub recommendations: Vec<Recommendation>,
    pub undoable: Option<UndoableAction>,
}

/// The plan screen: the plan in use, its team, every inspection with progress and score;
/// the plans of the database for the picker.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanView {
    pub overview: PlanOverview,
    /// Every plan in the database (newest year first), for the plan picker.
    pub plans: Vec<Plan>,
    /// The only plan is the sample loaded at the first start and nobody has chosen or
    /// changed anything yet: the screen offers to use it or to create a plan.
    pub welcome: bool,
    pub undoable: Option<UndoableAction>,
}

/// A plan made in the window's form (now the plan in use) and what was copied into it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanCreated {
    pub created: CreatedPlan,
    pub view: PlanView,
}

/// Units added to the plan (pasted, or read from a workbook).
#[derive(Debug, Clone, Serialize, TS)]
pub struct UnitsAdded {
    pub added: u32,
    pub view: PlanView,
}

/// One unit added from the form, and the plan with it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UnitAdded {
    pub unit_id: String,
    pub inspection_id: String,
    pub view: PlanView,
}

/// A unit renamed or formed by a merge: the unit, its history and the plan.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UnitChanged {
    pub unit: Unit,
    pub history: Vec<UnitEvent>,
    pub view: PlanView,
}

/// A unit with its history; `successor` the unit it was merged into.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UnitHistory {
    pub unit: Unit,
    pub history: Vec<UnitEvent>,
    pub successor: Option<Unit>,
}

/// A checklist version imported from a file, and every version now.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TemplateImported {
    pub info: TemplateInfo,
    /// False: the same file was imported before and nothing changed.
    pub created: bool,
    pub templates: Vec<TemplateInfo>,
    pub undoable: Option<UndoableAction>,
}

/// The ranking screen: units by percentage, and the areas for the chart's legend.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RankingView {
    pub ranking: Vec<RankRow>,
    /// Area codes and titles in checklist order.
    pub areas: Vec<AreaTitle>,
    /// The area the ranking is by (None: the total).
    pub area: Option<String>,
}

/// The follow-up screen: every recommendation of the plan with its follow-up, and what
/// "Hoàn tác" would undo.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FollowupPage {
    pub view: FollowUpView,
    pub undoable: Option<UndoableAction>,
}

/// An Excel workbook written through the save dialog.
#[derive(Debug, Clone, Serialize, TS)]
pub struct XlsxDone {
    pub path: String,
    pub summary: XlsxSummary,
}

/// What an undo did, and what the next one would undo.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UndoView {
    pub undone: Undone,
    pub undoable: Option<UndoableAction>,
}

/// Which field of a criterion's response a cell edits.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResponseField {
    SelfScore,
    TeamScore,
    Status,
    Note,
    /// The unit's explanation of its self score.
    SelfNote,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct MemberInput {
    pub name: String,
    pub role: MemberRole,
    pub agency: String,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct EvidenceInput {
    pub code: String,
    pub doc_number: String,
    pub doc_date: String,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct RecommendationInput {
    pub area: String,
    pub text: String,
    pub owner: String,
    pub deadline: String,
    /// The user confirmed a deadline already past (refused with `deadline_past` without it).
    #[serde(default)]
    pub confirm_past: bool,
}

/// A backup written through the save dialog (None: the dialog was cancelled).
#[derive(Debug, Clone, Serialize, TS)]
pub struct BackupDone {
    pub path: String,
    pub bytes: i64,
}

/// An exchange file the user chose in the open dialog (not read yet).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ExchangeFile {
    pub path: String,
    pub name: String,
}

/// An invitation saved through the save dialog, and the team's laptops with the new one.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InviteDone {
    pub invited: Invited,
    pub team: Option<TeamView>,
}

/// The unit's laptop joined from its invitation: the team as it sees it, and what taking in
/// the unit's checklist did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SelfJoined {
    pub team: TeamView,
    pub summary: ImportSummary,
}

/// An exchange file the user chose, and what importing it would do.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ExchangePick {
    pub path: String,
    pub name: String,
    pub summary: ImportSummary,
}

/// Which version settles a conflict: the one this laptop shows, another laptop's, or a
/// rewrite.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeepChoice {
    Mine,
    Theirs,
    Value,
}

/// How far an import has come (records merged of all records).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

/// The Văn bản tab: one document of an inspection (Biên bản or Thông báo), its current
/// version rendered as PDF, and every version.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DocumentView {
    pub current: DocumentInfo,
    /// The current version's status as the core words it: "dự thảo (phiên bản 1)",
    /// "đã ban hành số 05/TB-ĐKT ngày 20/10/2026 (phiên bản 1)".
    pub status: String,
    /// Every version, newest first (the first is `current`).
    pub versions: Vec<DocumentVersion>,
    /// The current version's PDF: an issued one's stored bytes, a draft rendered now.
    pub pdf_base64: String,
    pub pages: u32,
    /// The text the PDF prints, every default filled in.
    pub model: DocModel,
    /// Every piece of text of the document in drawing order, as printed (the header in
    /// capitals): the preview's text for reading and copying.
    pub printed: Vec<String>,
    /// What the fields a user may rewrite show until the user changes them (the issuing
    /// body, the opening, the closing), as the core finds them in `model`.
    pub texts: EditableTexts,
    /// Issuing moves the inspection on (minutes signed, conclusion issued): the screen's
    /// header shows it.
    pub inspection_state: InspectionState,
    pub undoable: Option<UndoableAction>,
}

/// One of the unit's self-inspection documents as it prints now (printed from the data:
/// neither drafted nor issued in the app).
#[derive(Debug, Clone, Serialize, TS)]
pub struct UnitDocumentView {
    /// Its title, the file name to suggest and what it is made from, as the core words them.
    pub document: UnitDocument,
    pub pdf_base64: String,
    pub pages: u32,
    /// Every piece of text in drawing order, as printed.
    pub printed: Vec<String>,
}

/// The «Báo cáo» screen: the plan's report to the Chairman, its current version as PDF.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportView {
    pub current: ReportInfo,
    /// "dự thảo (phiên bản 1)", "đã ban hành số 03/BC-ĐKT ngày … (phiên bản 1)".
    pub status: String,
    /// Every version, newest first.
    pub versions: Vec<ReportVersion>,
    pub pdf_base64: String,
    pub pages: u32,
    /// Every piece of text of the report in drawing order, as printed.
    pub printed: Vec<String>,
    /// What the fields a user may rewrite show: the user's text, else the one generated from
    /// the plan's data (an issued version: the texts it was issued with).
    pub texts: ReportTexts,
    pub undoable: Option<UndoableAction>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportVersion {
    pub info: ReportInfo,
    pub status: String,
}

/// One version of a document in the list, with its status in words.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DocumentVersion {
    pub info: DocumentInfo,
    pub status: String,
}

macro_rules! decls {
    ($($t:ty),+ $(,)?) => {
        vec![$(<$t as TS>::decl()),+]
    };
}

/// The TypeScript declarations of every type that crosses IPC.
pub fn typescript() -> String {
    let decls: Vec<String> = decls![
        CmdError,
        AppInfo,
        Choice,
        Labels,
        InspectionView,
        InspectionLive,
        PlanView,
        PlanCreated,
        UnitsAdded,
        UnitAdded,
        UnitChanged,
        UnitHistory,
        NewUnit,
        TemplateImported,
        TemplateInfo,
        NewPlan,
        CreatedPlan,
        RankingView,
        UndoView,
        AreaTitle,
        ResponseField,
        PlanPatch,
        TeamPatch,
        InspectionPatch,
        MemberInput,
        EvidenceInput,
        RecommendationInput,
        BackupDone,
        ExchangeFile,
        ExchangePick,
        ImportProgress,
        KeepChoice,
        Exported,
        ImportSummary,
        VerifiedSender,
        ReceivedFile,
        TeamView,
        LaptopView,
        Invited,
        InviteDone,
        SelfJoined,
        Role,
        UnitChanges,
        Changes,
        Conflict,
        ConflictVersion,
        FollowupPage,
        XlsxDone,
        XlsxSummary,
        FollowUpView,
        FollowUp,
        RemediationPatch,
        DeadlineMark,
        DeadlineState,
        Reinspection,
        CarriedRecommendation,
        Holiday,
        HolidayKind,
        SelfAssessment,
        EvidenceSource,
        DocumentView,
        DocumentVersion,
        UnitDocumentView,
        UnitDocument,
        Numbering,
        ReportView,
        ReportVersion,
        ReportInfo,
        ReportEdits,
        ReportPatch,
        ReportBy,
        ReportTexts,
        DocumentInfo,
        SectionInfo,
        DocPatch,
        DocEdits,
        Signer,
        DocModel,
        EditableTexts,
        El,
        SignBlock,
        UndoableAction,
        Undone,
        UnitKind,
        TemplateKind,
        TeamKind,
        InspectionState,
        MemberRole,
        FindingKind,
        RecommendationState,
        DocumentKind,
        DocumentStatus,
        Plan,
        Team,
        Member,
        Unit,
        UnitEvent,
        InspectionRow,
        Response,
        Evidence,
        Finding,
        Recommendation,
        FigureValue,
        RateValue,
        SearchHit,
        PlanOverview,
        RankRow,
        ChecklistLive,
        Criterion,
        StatusChoice,
        EvidenceAdded,
        ScoreCard,
        ItemScore,
        AreaScore,
        ItemState,
    ];
    let mut out = String::from(
        "// Generated from the Rust types by ts-rs (src-tauri/kiemtra-desktop/src/ipc.rs). Do not edit:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p kiemtra-desktop bindings` after changing a type.\n\n",
    );
    for d in decls {
        // ts-rs writes 64-bit integers as `bigint`; serde_json sends them as numbers.
        let d = d.replace("bigint", "number");
        out.push_str("export ");
        out.push_str(d.trim());
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn labels_use_the_keys_the_values_are_sent_with() {
        let l = super::Labels::new();
        let keys = |c: &[super::Choice]| c.iter().map(|c| c.key.clone()).collect::<Vec<_>>().join(" ");
        assert_eq!(
            keys(&l.deadline_state),
            "issued issued_late overdue due_this_week upcoming"
        );
        assert_eq!(keys(&l.item_state), "scored unscored not_applicable not_observed");
        assert_eq!(keys(&l.holiday_kind), "nghi lam_bu");
        assert_eq!(keys(&l.team_kind), "doan to");
        assert_eq!(keys(&l.unit_kind), "so xa phuong phong ban don_vi");
        assert_eq!(l.deadline_short[3].label, "tuần này");
    }

    #[test]
    fn bindings_match_the_rust_types() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings.ts");
        let want = super::typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "ui/src/lib/bindings.ts is out of date with the Rust types: \
             run `UPDATE_BINDINGS=1 cargo test -p kiemtra-desktop bindings` and commit it"
        );
    }
}
