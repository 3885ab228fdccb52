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
labels: Labels, };

export type Choice = { key: string, label: string, };

export type Labels = { unit_kind: Array<Choice>, inspection_state: Array<Choice>, member_role: Array<Choice>, finding_kind: Array<Choice>, recommendation_state: Array<Choice>, };

export type InspectionView = { unit: Unit, template_name: string, template_version: string, criteria: Array<Criterion>, live: InspectionLive, };

export type InspectionLive = { checklist: ChecklistLive, figures: Array<FigureValue>, rates: Array<RateValue>, evidence: Array<Evidence>, findings: Array<Finding>, recommendations: Array<Recommendation>, undoable: UndoableAction | null, };

export type PlanView = { overview: PlanOverview, undoable: UndoableAction | null, };

export type RankingView = { ranking: Array<RankRow>, 
/**
 * Area codes and titles in checklist order (of the first unit's checklist).
 */
areas: Array<AreaTitle>, };

export type UndoView = { undone: Undone, undoable: UndoableAction | null, };

export type AreaTitle = { code: string, title: string, };

export type ResponseField = "self_score" | "team_score" | "status" | "note";

export type PlanPatch = { number?: string, date?: string, title?: string, issuing_body?: string, signer_name?: string, signer_title?: string, period_start?: string, period_end?: string, 
/**
 * The legal bases cited by documents, in order (replaces the list).
 */
legal_bases?: Array<string>, };

export type TeamPatch = { name?: string, decision_number?: string, decision_date?: string, decision_signer?: string, decision_signer_title?: string, standing_agency?: string, parent_body?: string, };

export type InspectionPatch = { state?: InspectionState, scheduled_start?: string, scheduled_end?: string, actual_start?: string, actual_end?: string, };

export type MemberInput = { name: string, role: MemberRole, agency: string, title: string, };

export type EvidenceInput = { code: string, doc_number: string, doc_date: string, description: string, };

export type RecommendationInput = { area: string, text: string, owner: string, deadline: string, };

export type BackupDone = { path: string, bytes: number, };

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

export type UnitKind = "so" | "xa" | "phuong";

export type TemplateKind = "so" | "xa";

export type InspectionState = "planned" | "in_progress" | "minutes_signed" | "conclusion_issued" | "remediation_reported" | "closed";

export type MemberRole = "truong_doan" | "pho_truong_doan" | "thanh_vien" | "thu_ky";

export type FindingKind = "dat_duoc" | "ton_tai" | "nguyen_nhan";

export type RecommendationState = "chua_thuc_hien" | "dang_thuc_hien" | "da_khac_phuc";

export type Plan = { id: string, number: string, symbol: string, date: string | null, year: number, title: string, issuing_body: string, parent_body: string, place: string, legal_bases: Array<string>, period_start: string | null, period_end: string | null, signer_name: string, signer_title: string, };

export type Team = { id: string, plan_id: string, name: string, symbol: string, parent_body: string, standing_agency: string, decision_number: string, decision_date: string | null, decision_signer: string, decision_signer_title: string, members: Array<Member>, };

export type Member = { id: string, name: string, role: MemberRole, agency: string, title: string, };

export type Unit = { id: string, kind: UnitKind, name: string, head_name: string, head_title: string, address: string, active: boolean, successor_id: string | null, };

export type UnitEvent = { id: string, unit_id: string, event: string, old_name: string, new_name: string, related_unit_id: string | null, effective_date: string | null, note: string, };

export type InspectionRow = { id: string, unit_id: string, unit_name: string, unit_kind: UnitKind, scheduled_start: string | null, scheduled_end: string | null, actual_start: string | null, actual_end: string | null, state: InspectionState, unannounced: boolean, follows_id: string | null, template_version: string, 
/**
 * Scored items / scorable items (items the inspection observes).
 */
scored_items: number, scorable_items: number, score: number, applicable_max: number, };

export type Response = { self_score: number | null, team_score: number | null, status: string | null, note: string, };

export type Evidence = { id: string, item_code: string, doc_number: string, doc_date: string | null, description: string, attachment_sha256: string | null, attachment_name: string | null, attachment_size: number | null, media_type: string | null, };

export type Finding = { id: string, area_code: string, kind: FindingKind, text: string, position: number, };

export type Recommendation = { id: string, number: number, area_code: string | null, text: string, owner: string, deadline: string | null, state: RecommendationState, report_number: string, report_date: string | null, };

export type FigureValue = { key: string, label: string, value: number | null, display: string, };

export type RateValue = { key: string, label: string, 
/**
 * Percent, or None when a figure is missing or the denominator is 0.
 */
percent: number | null, display: string, };

export type SearchHit = { entity: string, entity_id: string, unit_name: string | null, reference: string, text: string, };

export type PlanOverview = { plan: Plan, team: Team | null, inspections: Array<InspectionRow>, };

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
rate: number | null, };

export type AreaScore = { code: string, title: string, max: number, observed_max: number, applicable_max: number, score: number, self_score: number, };

export type ItemState = "scored" | "unscored" | "not_applicable" | "not_observed";
