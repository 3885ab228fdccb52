// Generated from the Rust types by ts-rs (src-tauri/kiemtra-desktop/src/ipc.rs). Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p kiemtra-desktop bindings` after changing a type.

export type CmdError = { code: string, message: string, };

export type AppInfo = { version: string, db_path: string, data_dir: string, schema_version: number, device_id: string, inspector: string, 
/**
 * The database was created at this start (with the sample plan).
 */
created: boolean, 
/**
 * What "Hoàn tác" would undo now.
 */
undoable: UndoableAction | null, 
/**
 * The Vietnamese names of every state and kind, from the core.
 */
labels: Labels, 
/**
 * The unit this laptop self-assesses for (unit mode), if any.
 */
self_unit: Unit | null, 
/**
 * Today in Vietnam (YYYY-MM-DD): what deadlines are counted against.
 */
today: string, 
/**
 * A conclusion is due this many working days after the visit ends (the core's rule).
 */
conclusion_working_days: number, 
/**
 * What may stand before a signer's title ("" for signing directly, "TM.", "KT."…).
 */
sign_authorities: Array<string>, };

export type Choice = { key: string, label: string, };

export type Labels = { unit_kind: Array<Choice>, inspection_state: Array<Choice>, member_role: Array<Choice>, finding_kind: Array<Choice>, recommendation_state: Array<Choice>, document_kind: Array<Choice>, deadline_state: Array<Choice>, 
/**
 * The word of the plan table's deadline cell ("quá hạn", "tuần này", "ban hành trễ").
 */
deadline_short: Array<Choice>, evidence_source: Array<Choice>, 
/**
 * "không áp dụng", "không chấm khi kiểm tra"… for a criterion's score.
 */
item_state: Array<Choice>, holiday_kind: Array<Choice>, 
/**
 * Đoàn kiểm tra or Tổ kiểm tra.
 */
team_kind: Array<Choice>, };

export type InspectionView = { unit: Unit, template_name: string, template_version: string, criteria: Array<Criterion>, live: InspectionLive, };

export type InspectionLive = { checklist: ChecklistLive, figures: Array<FigureValue>, 
/**
 * The figures the unit reported in its self-assessment (kept apart from the team's).
 */
self_figures: Array<FigureValue>, rates: Array<RateValue>, 
/**
 * The team's figures that contradict each other (resolved − on time ≠ late), in words.
 */
figure_warnings: Array<string>, 
/**
 * The same for the unit's own figures.
 */
self_figure_warnings: Array<string>, evidence: Array<Evidence>, findings: Array<Finding>, recommendations: Array<Recommendation>, undoable: UndoableAction | null, };

export type PlanView = { overview: PlanOverview, 
/**
 * Every plan in the database (newest year first), for the plan picker.
 */
plans: Array<Plan>, 
/**
 * The only plan is the sample loaded at the first start and nobody has chosen or
 * changed anything yet: the screen offers to use it or to create a plan.
 */
welcome: boolean, undoable: UndoableAction | null, };

export type PlanCreated = { created: CreatedPlan, view: PlanView, };

export type UnitsAdded = { added: number, view: PlanView, };

export type UnitAdded = { unit_id: string, inspection_id: string, view: PlanView, };

export type UnitChanged = { unit: Unit, history: Array<UnitEvent>, view: PlanView, };

export type UnitHistory = { unit: Unit, history: Array<UnitEvent>, successor: Unit | null, };

export type NewUnit = { kind: UnitKind, name: string, head_name: string, head_title: string, unannounced: boolean, start: string | null, end: string | null, };

export type TemplateImported = { info: TemplateInfo, 
/**
 * False: the same file was imported before and nothing changed.
 */
created: boolean, templates: Array<TemplateInfo>, undoable: UndoableAction | null, };

export type TemplateInfo = { id: string, kind: TemplateKind, version: string, name: string, imported_at: string, items: number, in_use: number, };

export type NewPlan = { title: string, year: number, 
/**
 * The body issuing the plan: "Thanh tra tỉnh Cao Bằng", "Ủy ban nhân dân tỉnh Cao Bằng".
 */
issuing_body: string, 
/**
 * The body above it ("UBND tỉnh Cao Bằng" above Thanh tra tỉnh); may be empty.
 */
parent_body: string, 
/**
 * "22/KH-TTr" (the symbol after the slash), or "22" with `symbol`.
 */
number: string, 
/**
 * The plan's symbol ("KH-TTr"); when empty, taken from `number` or "KH".
 */
symbol: string, date: string, 
/**
 * The place name of the documents' date line ("Cao Bằng"); when empty, the province
 * named in the issuing body or its parent.
 */
place: string, legal_bases: Array<string>, period_start: string, period_end: string, signer_name: string, signer_title: string, 
/**
 * The team's name; when empty, "Đoàn kiểm tra …" or "Tổ kiểm tra …" after the plan.
 */
team_name: string, team_kind: TeamKind | null, 
/**
 * The code after "TB-" in the documents' numbers; when empty, "ĐKT" for a Đoàn and
 * "TKT" for a Tổ.
 */
team_symbol: string, 
/**
 * Whose header and seal the team's documents carry; when empty, the plan's issuing
 * body for a Tổ, the team's own name for a Đoàn.
 */
team_issuing_body: string, standing_agency: string, decision_number: string, decision_date: string, decision_signer: string, decision_signer_title: string, 
/**
 * The id of an earlier plan to copy the units, the team and the checklist versions from,
 * carrying its open recommendations into the new plan's follow-up.
 */
from_plan: string | null, };

export type CreatedPlan = { plan_id: string, team_id: string, 
/**
 * Units copied from the earlier plan.
 */
units: number, 
/**
 * Members copied from the earlier plan's team.
 */
members: number, 
/**
 * Open recommendations of the earlier plan now followed up in the new one.
 */
carried: number, };

export type RankingView = { ranking: Array<RankRow>, 
/**
 * Area codes and titles in checklist order.
 */
areas: Array<AreaTitle>, 
/**
 * The area the ranking is by (None: the total).
 */
area: string | null, };

export type UndoView = { undone: Undone, undoable: UndoableAction | null, };

export type AreaTitle = { code: string, title: string, };

export type ResponseField = "self_score" | "team_score" | "status" | "note" | "self_note";

export type PlanPatch = { number?: string, date?: string, title?: string, issuing_body?: string, signer_name?: string, signer_title?: string, period_start?: string, period_end?: string, 
/**
 * The legal bases cited by documents, in order (replaces the list).
 */
legal_bases?: Array<string>, };

export type TeamPatch = { name?: string, decision_number?: string, decision_date?: string, decision_signer?: string, decision_signer_title?: string, standing_agency?: string, parent_body?: string, 
/**
 * The code after "TB-" in the documents' numbers ("ĐKT", a Tổ's or the agency's own).
 */
symbol?: string, 
/**
 * The issuing body its documents' header names; empty: the team's own name.
 */
issuing_body?: string, kind?: TeamKind, 
/**
 * How the team's documents are signed by default: "" (directly), "TM.", "KT.", "TL.",
 * "TUQ.", "Q.".
 */
sign_authority?: string, 
/**
 * What the authority is exercised for ("TỔ KIỂM TRA", "CHÁNH THANH TRA").
 */
sign_on_behalf?: string, 
/**
 * The signer's title ("PHÓ CHÁNH THANH TRA"); empty: "TRƯỞNG ĐOÀN" or "TỔ TRƯỞNG".
 */
sign_title?: string, };

export type InspectionPatch = { state?: InspectionState, scheduled_start?: string, scheduled_end?: string, actual_start?: string, actual_end?: string, };

export type MemberInput = { name: string, role: MemberRole, agency: string, title: string, };

export type EvidenceInput = { code: string, doc_number: string, doc_date: string, description: string, };

export type RecommendationInput = { area: string, text: string, owner: string, deadline: string, 
/**
 * The user confirmed a deadline already past (refused with `deadline_past` without it).
 */
confirm_past: boolean, };

export type BackupDone = { path: string, bytes: number, };

export type ExchangeFile = { path: string, name: string, };

export type ExchangePick = { path: string, name: string, summary: ImportSummary, };

export type ImportProgress = { done: number, total: number, };

export type KeepChoice = "mine" | "theirs" | "value";

export type Exported = { path: string, records: number, fields: number, attachments: number, attachment_bytes: number, bytes: number, units: Array<string>, };

export type ImportSummary = { file_sha256: string, from_device: string, from_inspector: string, created_at: string, 
/**
 * This very file was imported before: nothing was done.
 */
already_imported: boolean, units: Array<UnitChanges>, total: Changes, fields_changed: number, attachments_added: number, 
/**
 * Warnings a person should look at (two recommendations with one number…).
 */
warnings: Array<string>, 
/**
 * The backup taken before the import.
 */
backup: string | null, 
/**
 * The file was sealed to the team and signed.
 */
protected: boolean, 
/**
 * Who made it, proven by its signature and the team's roster (None: not protected).
 */
verified: VerifiedSender | null, };

export type VerifiedSender = { laptop_id: string, member: string, role: Role, role_label: string, };

export type ReceivedFile = { file_name: string, file_sha256: string, from_laptop: string | null, 
/**
 * The member (proven) or the name the file gave (not).
 */
from: string, verified: boolean, made_at: string | null, imported_at: string, changes: Changes, };

export type TeamView = { team_id: string, team_name: string, 
/**
 * The short code to read over the phone ("4821 0937 5512 0046").
 */
fingerprint: string, period: number, roster_serial: number, laptop_id: string, member: string, role: Role, role_label: string, 
/**
 * This laptop holds the team key (signs the roster, invites, removes).
 */
is_lead: boolean, laptops: Array<LaptopView>, };

export type LaptopView = { id: string, member: string, role: Role, role_label: string, unit_name: string | null, active: boolean, 
/**
 * When it was added, or removed.
 */
since: string, 
/**
 * Files received here from it.
 */
files_received: number, this_laptop: boolean, };

export type Invited = { path: string, laptop_id: string, member: string, role: Role, fingerprint: string, 
/**
 * A unit's invitation: where the Đề cương báo cáo tự kiểm tra handed over with it was
 * written, beside it (see `outline_path`).
 */
outline_path: string | null, };

export type InviteDone = { invited: Invited, team: TeamView | null, };

export type SelfJoined = { team: TeamView, summary: ImportSummary, };

export type Role = "lead" | "member" | "unit";

export type UnitChanges = { unit_id: string | null, 
/**
 * The unit's name, or "Kế hoạch, đoàn kiểm tra" for the plan and the team.
 */
name: string, changes: Changes, };

export type Changes = { added: number, changed: number, deleted: number, conflicts: number, };

export type Conflict = { 
/**
 * Short id for `conflicts resolve`.
 */
id: string, entity: string, entity_id: string, field: string, 
/**
 * "Nhận xét", "Kiến nghị số 3"… with the unit.
 */
what: string, field_label: string, unit_name: string | null, versions: Array<ConflictVersion>, };

export type ConflictVersion = { 
/**
 * The value as text ("" for none).
 */
value: string, hlc: string, device: string, inspector: string, at: string, 
/**
 * The version the record shows now.
 */
shown: boolean, };

export type FollowupPage = { view: FollowUpView, undoable: UndoableAction | null, };

export type XlsxDone = { path: string, summary: XlsxSummary, };

export type XlsxSummary = { units: number, findings: number, recommendations: number, bytes: number, };

export type FollowUpView = { today: string, items: Array<FollowUp>, open: number, overdue: number, remedied: number, };

export type FollowUp = { recommendation: Recommendation, inspection_id: string, unit_id: string, unit_name: string, 
/**
 * The recommendation belongs to a re-inspection (it was carried over).
 */
reinspection: boolean, 
/**
 * Past its deadline and not remedied.
 */
overdue: boolean, 
/**
 * Calendar days past the deadline (0 when not overdue).
 */
days_overdue: number, 
/**
 * Not remedied and due in the current week.
 */
due_this_week: boolean, };

export type RemediationPatch = { state?: RecommendationState, 
/**
 * The number of the unit's remediation report (báo cáo kết quả khắc phục).
 */
report_number?: string, report_date?: string, 
/**
 * What the unit did, as its report says.
 */
report_note?: string, 
/**
 * A scan of the report or a photo of the result (the desktop fills it from a dialog).
 */
evidence_file?: string, 
/**
 * Remove the attached evidence.
 */
clear_evidence?: boolean, };

export type DeadlineMark = { 
/**
 * The last day of the visit (actual, else scheduled), YYYY-MM-DD.
 */
visit_end: string, 
/**
 * The 15th working day after it.
 */
deadline: string, state: DeadlineState, 
/**
 * Working days from today to the deadline; negative once it has passed.
 */
working_days_left: number, 
/**
 * Calendar days past the deadline when overdue (a weekend after a Friday deadline is
 * overdue by 1 or 2 days but by 0 working days), else 0.
 */
days_overdue: number, 
/**
 * The date of the issued Thông báo, when there is one.
 */
issued_date: string | null, 
/**
 * Years between the visit and the deadline that the holiday list lacks (only weekends
 * were skipped for them).
 */
missing_years: Array<number>, };

export type DeadlineState = "issued" | "issued_late" | "overdue" | "due_this_week" | "upcoming";

export type Reinspection = { inspection_id: string, follows_id: string, unit_name: string, template_version: string, 
/**
 * The carried recommendations: (new number, original number, text).
 */
carried: Array<CarriedRecommendation>, };

export type CarriedRecommendation = { number: number, original_number: number, text: string, state: RecommendationState, };

export type Holiday = { 
/**
 * YYYY-MM-DD.
 */
date: string, kind: HolidayKind, name: string, 
/**
 * Shipped with the app (not added by the user).
 */
shipped: boolean, 
/**
 * "thứ Hai"…"Chủ nhật".
 */
weekday: string, };

export type HolidayKind = "nghi" | "lam_bu";

export type SelfAssessment = { inspection_id: string, unit_name: string, 
/**
 * Criteria the unit scored, of those it can score.
 */
scored_items: number, scorable_items: number, self_total: number, 
/**
 * The team's total, for comparison.
 */
team_total: number, 
/**
 * Per area: code, title, self score, team score.
 */
areas: Array<[string, string, number, number]>, figures: Array<FigureValue>, evidence_from_unit: number, };

export type EvidenceSource = "doan" | "don_vi";

export type DocumentView = { current: DocumentInfo, 
/**
 * The current version's status as the core words it: "dự thảo (phiên bản 1)",
 * "đã ban hành số 05/TB-ĐKT ngày 20/10/2026 (phiên bản 1)".
 */
status: string, 
/**
 * Every version, newest first (the first is `current`).
 */
versions: Array<DocumentVersion>, 
/**
 * The current version's PDF: an issued one's stored bytes, a draft rendered now.
 */
pdf_base64: string, pages: number, 
/**
 * The text the PDF prints, every default filled in.
 */
model: DocModel, 
/**
 * Every piece of text of the document in drawing order, as printed (the header in
 * capitals): the preview's text for reading and copying.
 */
printed: Array<string>, 
/**
 * What the fields a user may rewrite show until the user changes them (the issuing
 * body, the opening, the closing), as the core finds them in `model`.
 */
texts: EditableTexts, 
/**
 * Issuing moves the inspection on (minutes signed, conclusion issued): the screen's
 * header shows it.
 */
inspection_state: InspectionState, undoable: UndoableAction | null, };

export type DocumentVersion = { info: DocumentInfo, status: string, };

export type UnitDocumentView = { 
/**
 * Its title, the file name to suggest and what it is made from, as the core words them.
 */
document: UnitDocument, pdf_base64: string, pages: number, 
/**
 * Every piece of text in drawing order, as printed.
 */
printed: Array<string>, };

export type UnitDocument = { kind: DocumentKind, 
/**
 * "Đề cương báo cáo tự kiểm tra", "Báo cáo kết quả tự kiểm tra".
 */
title: string, 
/**
 * "de-cuong-bao-cao-tu-kiem-tra-xa-ha-lang.pdf", without diacritics.
 */
file_name: string, about: string, };

export type Numbering = { number: string, date: string, };

export type ReportView = { current: ReportInfo, 
/**
 * "dự thảo (phiên bản 1)", "đã ban hành số 03/BC-ĐKT ngày … (phiên bản 1)".
 */
status: string, 
/**
 * Every version, newest first.
 */
versions: Array<ReportVersion>, pdf_base64: string, pages: number, 
/**
 * Every piece of text of the report in drawing order, as printed.
 */
printed: Array<string>, 
/**
 * What the fields a user may rewrite show: the user's text, else the one generated from
 * the plan's data (an issued version: the texts it was issued with).
 */
texts: ReportTexts, undoable: UndoableAction | null, };

export type ReportVersion = { info: ReportInfo, status: string, };

export type ReportInfo = { id: string | null, plan_id: string, kind: DocumentKind, version: number, status: DocumentStatus, number: string, date: string | null, symbol: string, issued_at: string | null, snapshot_sha256: string | null, supersedes_id: string | null, edits: ReportEdits, by: ReportBy, signer: Signer, signer_edited: boolean, recipients: Array<string>, recipients_edited: boolean, 
/**
 * What must be filled in before it can be issued (besides the number and date).
 */
missing: Array<string>, 
/**
 * For each item of `missing`, in order: the section (a key of `sections`, or
 * "signer_name") where it is filled in; None when it is filled in on another screen.
 */
missing_sections: Array<string | null>, 
/**
 * The texts a user may rewrite: which are the user's and which are generated from the
 * plan's data (keys: the fields of [`ReportEdits`] and "recipients", "signer").
 */
sections: Array<SectionInfo>, 
/**
 * What issuing asks to confirm: units not inspected yet, checklists not fully scored.
 */
warnings: Array<string>, 
/**
 * For an issued version: the plan's data no longer gives the same text.
 */
changed_since_issue: boolean, };

export type ReportEdits = { by?: ReportBy | null, issuing_body?: string | null, opening?: string | null, 
/**
 * The common achievements, one per line (replaces those drawn from the findings).
 */
achievements?: Array<string> | null, 
/**
 * The common shortcomings and their causes, one per line.
 */
shortcomings?: Array<string> | null, 
/**
 * Recommendations to UBND tỉnh, one per line (numbered when printed).
 */
to_province?: Array<string> | null, 
/**
 * Recommendations to the units, one per line.
 */
to_units?: Array<string> | null, closing?: string | null, };

export type ReportPatch = { edits?: ReportEdits, signer?: Signer, recipients?: Array<string>, };

export type ReportBy = "team" | "standing_agency";

export type ReportTexts = { issuing_body: string, opening: string, achievements: Array<string>, shortcomings: Array<string>, to_province: Array<string>, to_units: Array<string>, closing: string, };

export type DocumentInfo = { 
/**
 * None for a document nobody has edited or issued yet (printed from the data as it is).
 */
id: string | null, inspection_id: string, kind: DocumentKind, version: number, status: DocumentStatus, number: string, date: string | null, symbol: string, issued_at: string | null, snapshot_sha256: string | null, supersedes_id: string | null, edits: DocEdits, 
/**
 * The signer as it will be printed (the edit, or the default from the team).
 */
signer: Signer, signer_edited: boolean, 
/**
 * Nơi nhận as it will be printed.
 */
recipients: Array<string>, recipients_edited: boolean, 
/**
 * What must be filled in before the document can be issued, all of it: the data it
 * quotes (numbers, dates, signer, for a Biên bản the hours, the unit's representative,
 * its opinion), and any blank «……» left in the text, a user's own paragraphs named by
 * section. Issuing refuses with this list (besides the number and date it is given).
 */
missing: Array<string>, 
/**
 * What issuing asks to confirm (it goes through only when told to): the checklist not
 * fully scored ("9/82 tiêu chí đã chấm"), a Thông báo before its Biên bản is issued.
 */
warnings: Array<string>, 
/**
 * The texts a user may rewrite: which are the user's and which are generated, and
 * whether a user's text no longer matches the data it quoted.
 */
sections: Array<SectionInfo>, 
/**
 * For an issued version: the inspection's data no longer gives the same text (a finding
 * or a score changed since). The issued document stays as it is; editing it makes a new
 * version from the current data.
 */
changed_since_issue: boolean, };

export type SectionInfo = { 
/**
 * The field of [`DocEdits`]: "opening", "closing", "unit_comments", "requests"…
 */
key: string, 
/**
 * "Đoạn mở đầu", "Ý kiến của đơn vị"…
 */
label: string, 
/**
 * The user's text (else generated from the data each time it is printed).
 */
edited: boolean, 
/**
 * A user's text that quotes data which changed since it was written (a reference the
 * user rewrote by hand), or that still holds a blank «……»: to be read again.
 */
stale: boolean, };

export type DocPatch = { edits?: DocEdits, signer?: Signer, recipients?: Array<string>, };

export type DocEdits = { 
/**
 * The name of the issuing body in the header (default: the team's name without the
 * province and year).
 */
issuing_body?: string | null, opening?: string | null, closing?: string | null, 
/**
 * Thông báo: the date by which the unit reports its remediation (YYYY-MM-DD).
 */
report_due?: string | null, 
/**
 * Biên bản: "8 giờ 00".
 */
start_time?: string | null, end_time?: string | null, 
/**
 * Biên bản: who attended for the unit, one per line.
 */
unit_attendees?: Array<string> | null, unit_comments?: string | null, requests?: string | null, 
/**
 * Biên bản: how many copies (0 restores the default, 2).
 */
copies?: number | null, };

export type Signer = { 
/**
 * "", "TM.", "KT.", "TL.", "TUQ." or "Q.".
 */
authority: string, 
/**
 * What the authority is exercised for: "ĐOÀN KIỂM TRA" (TM.), "TRƯỞNG ĐOÀN" (KT.).
 */
on_behalf: string, 
/**
 * The signer's title in the team: "TRƯỞNG ĐOÀN", "PHÓ TRƯỞNG ĐOÀN".
 */
title: string, 
/**
 * The signer's office in the parent body, shown under the team title.
 */
agency_title: string, name: string, };

export type DocModel = { kind: DocumentKind, parent_body: string, issuing_body: string, 
/**
 * "05/TB-ĐKT"; a draft has "      /TB-ĐKT".
 */
number_line: string, 
/**
 * "Cao Bằng, ngày 05 tháng 10 năm 2026"; None when the form has no date line (Mẫu 1.9).
 */
date_line: string | null, title: string, summary: string, 
/**
 * A rule under the summary (Mẫu 1.4).
 */
summary_rule: boolean, body: Array<El>, 
/**
 * Signature blocks in rows of two (left, right); an empty block leaves its side blank.
 */
signatures: Array<[SignBlock | null, SignBlock | null]>, 
/**
 * Nơi nhận, each without its dash and final punctuation; the last is "Lưu: VT, …".
 */
recipients: Array<string>, 
/**
 * A Phụ lục after the signatures (the plan's report: a table per unit), headed by its
 * first element; empty for the other documents.
 */
appendix: Array<El>, draft: boolean, };

export type EditableTexts = { issuing_body: string, 
/**
 * The opening paragraph ("Thực hiện Kế hoạch số …").
 */
opening: string, 
/**
 * The last paragraph, kept with the signatures.
 */
closing: string, };

export type El = { "t": "Heading", "c": string } | { "t": "Sub", "c": string } | { "t": "Para", "c": string } | { "t": "Labeled", "c": [string, string] } | { "t": "Label", "c": string } | { "t": "Blank", "c": number } | { "t": "Closing", "c": string } | { "t": "Table", "c": { header: Array<string>, rows: Array<Array<string>>, widths: Array<number>, numeric: Array<boolean>, 
/**
 * Rows drawn in bold (a total).
 */
bold_last: boolean, } };

export type SignBlock = { 
/**
 * Authority and titles, one per line, printed in bold capitals.
 */
lines: Array<string>, 
/**
 * Under the titles, in italics: "(Ký, ghi rõ họ tên)".
 */
note: string, name: string, };

export type UndoableAction = { 
/**
 * What the user did, in Vietnamese ("chấm tiêu chí").
 */
action: string, 
/**
 * When (RFC 3339, UTC).
 */
at: string, };

export type Undone = { action: string, 
/**
 * Fields given back their old value, plus records withdrawn.
 */
changes: number, 
/**
 * Fields left as they are because they were changed again since.
 */
kept: number, };

export type UnitKind = "so" | "xa" | "phuong" | "phong" | "ban" | "don_vi";

export type TemplateKind = "so" | "xa" | "co_quan";

export type TeamKind = "doan" | "to";

export type InspectionState = "planned" | "in_progress" | "minutes_signed" | "conclusion_issued" | "remediation_reported" | "closed";

export type MemberRole = "truong_doan" | "pho_truong_doan" | "thanh_vien" | "thu_ky";

export type FindingKind = "dat_duoc" | "ton_tai" | "nguyen_nhan";

export type RecommendationState = "chua_thuc_hien" | "dang_thuc_hien" | "da_khac_phuc";

export type DocumentKind = "bien_ban" | "thong_bao" | "de_cuong" | "tu_kiem_tra" | "bao_cao";

export type DocumentStatus = "draft" | "issued";

export type Plan = { id: string, number: string, symbol: string, date: string | null, year: number, title: string, issuing_body: string, parent_body: string, place: string, legal_bases: Array<string>, period_start: string | null, period_end: string | null, signer_name: string, signer_title: string, 
/**
 * Closed: read-only, still printed and searched (schema 7).
 */
closed: boolean, };

export type Team = { id: string, plan_id: string, name: string, symbol: string, parent_body: string, standing_agency: string, decision_number: string, decision_date: string | null, decision_signer: string, decision_signer_title: string, 
/**
 * Đoàn or Tổ (schema 7; older teams are Đoàn).
 */
kind: TeamKind, 
/**
 * The issuing body its documents' header names (schema 7); empty: the team's own name.
 */
issuing_body: string, 
/**
 * How its documents are signed by default (schema 8): "", "TM.", "KT."…
 */
sign_authority: string, 
/**
 * What the authority is exercised for: "TỔ KIỂM TRA", "CHÁNH THANH TRA".
 */
sign_on_behalf: string, 
/**
 * The signer's title; empty: "TRƯỞNG ĐOÀN" or "TỔ TRƯỞNG".
 */
sign_title: string, members: Array<Member>, };

export type Member = { id: string, name: string, role: MemberRole, agency: string, title: string, };

export type Unit = { id: string, kind: UnitKind, name: string, head_name: string, head_title: string, address: string, active: boolean, successor_id: string | null, };

export type UnitEvent = { id: string, unit_id: string, event: string, old_name: string, new_name: string, related_unit_id: string | null, effective_date: string | null, note: string, };

export type InspectionRow = { id: string, unit_id: string, unit_name: string, unit_kind: UnitKind, scheduled_start: string | null, scheduled_end: string | null, actual_start: string | null, actual_end: string | null, state: InspectionState, unannounced: boolean, follows_id: string | null, template_version: string, 
/**
 * Scored items / scorable items (items the inspection observes).
 */
scored_items: number, scorable_items: number, score: number, applicable_max: number, 
/**
 * The score in percent of `applicable_max` (the score card's), None while nothing applies.
 */
percent: number | null, 
/**
 * The conclusion deadline (the plan screen fills it; None without a visit end date).
 */
deadline: DeadlineMark | null, 
/**
 * Recommendations not remedied, and those of them past their deadline.
 */
open_recommendations: number, overdue_recommendations: number, };

export type Response = { self_score: number | null, team_score: number | null, status: string | null, note: string, 
/**
 * The unit's own explanation of its self score (its self-assessment).
 */
self_note: string, };

export type Evidence = { id: string, item_code: string, doc_number: string, doc_date: string | null, description: string, attachment_sha256: string | null, attachment_name: string | null, attachment_size: number | null, media_type: string | null, 
/**
 * Who provided it: the team, or the unit with its self-assessment.
 */
source: EvidenceSource, };

export type Finding = { id: string, area_code: string, kind: FindingKind, text: string, position: number, };

export type Recommendation = { id: string, number: number, area_code: string | null, text: string, owner: string, deadline: string | null, state: RecommendationState, report_number: string, report_date: string | null, 
/**
 * What the unit reported it did.
 */
report_note: string, 
/**
 * A scan of the remediation report or a photo of the result.
 */
report_attachment_sha256: string | null, report_attachment_name: string | null, 
/**
 * In a re-inspection: the recommendation this one carries over, and its number there.
 */
origin_id: string | null, origin_number: number | null, inspection_id: string, };

export type FigureValue = { key: string, label: string, value: number | null, display: string, };

export type RateValue = { key: string, label: string, 
/**
 * Percent, or None when a figure is missing or the denominator is 0.
 */
percent: number | null, display: string, };

export type SearchHit = { entity: string, entity_id: string, unit_name: string | null, reference: string, text: string, 
/**
 * Where the hit is found, for opening it: the unit, the inspection whose screen shows
 * it (for a unit or a criterion, its inspection in the plan searched, else its latest),
 * the area and the criterion's code (findings and recommendations name an area only).
 */
unit_id: string | null, inspection_id: string | null, area: string | null, code: string | null, };

export type PlanOverview = { plan: Plan, team: Team | null, inspections: Array<InspectionRow>, 
/**
 * The day the deadlines and overdue markers were computed for.
 */
today: string, };

export type RankRow = { 
/**
 * None while nothing of the unit has been scored.
 */
rank: number | null, inspection_id: string, unit_id: string, unit_name: string, unit_kind: UnitKind, total: number, applicable_max: number, percent: number | null, 
/**
 * Per area code: the score.
 */
areas: Array<[string, number]>, scored_items: number, scorable_items: number, };

export type ChecklistLive = { inspection: InspectionRow, card: ScoreCard, responses: { [key in string]?: Response }, };

export type Criterion = { code: string, area: string, parent: string | null, level: number, text: string, guide: string | null, max: number, rule_type: string | null, rule: string | null, 
/**
 * The statuses this item takes (done and graded rules).
 */
choices: Array<StatusChoice>, };

export type StatusChoice = { key: string, label: string, };

export type EvidenceAdded = { id: string, new_attachment: boolean, };

export type ScoreCard = { items: Array<ItemScore>, areas: Array<AreaScore>, total: number, self_total: number, max: number, observed_max: number, 
/**
 * The maximum of the items that apply and are observed: the base of the percentage.
 */
applicable_max: number, percent: number | null, scored_items: number, scorable_items: number, };

export type ItemScore = { code: string, max: number, 
/**
 * What the rule gives from the status or the figures.
 */
computed: number | null, 
/**
 * The score that counts: the team's if set, else the computed one.
 */
score: number | null, self_score: number | null, state: ItemState, 
/**
 * For ratio rules: the rate in percent.
 */
rate: number | null, 
/**
 * The team's own score says otherwise than the level chosen for the criterion (a
 * Vietnamese sentence with both): one of the two is probably a slip.
 */
level_conflict: string | null, };

export type AreaScore = { code: string, title: string, max: number, observed_max: number, applicable_max: number, score: number, self_score: number, 
/**
 * The area's criteria scored (or not applicable), of those the inspection observes:
 * counted as the card counts them, so a unit ranked on its total is ranked in an area
 * by the same measure.
 */
scored_items: number, scorable_items: number, };

export type ItemState = "scored" | "unscored" | "not_applicable" | "not_observed";
