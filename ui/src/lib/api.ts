// Typed calls to the Rust side. Every command returns what the screen shows after the
// change, so the UI never guesses what was stored.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
  AppInfo,
  BackupDone,
  CmdError,
  Conflict,
  ExchangeFile,
  ExchangePick,
  Exported,
  InviteDone,
  ReceivedFile,
  SelfJoined,
  TeamView,
  FollowupPage,
  Holiday,
  HolidayKind,
  Reinspection,
  RemediationPatch,
  XlsxDone,
  ImportProgress,
  ImportSummary,
  KeepChoice,
  DocPatch,
  DocumentKind,
  DocumentView,
  ReportPatch,
  ReportView,
  EvidenceInput,
  FindingKind,
  InspectionPatch,
  InspectionLive,
  InspectionView,
  MemberInput,
  NewPlan,
  PlanCreated,
  PlanPatch,
  PlanView,
  RankingView,
  RecommendationInput,
  RecommendationState,
  ResponseField,
  SearchHit,
  TeamPatch,
  UndoView,
  UnitKind,
  UnitsAdded,
  NewUnit,
  UnitAdded,
  UnitChanged,
  UnitHistory,
  Numbering,
  UnitDocument,
  UnitDocumentView,
  TemplateImported,
  TemplateInfo,
  TemplateKind,
} from './bindings';

/** The message to show for a failed call: the core's Vietnamese message. */
export function messageOf(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e) return String((e as CmdError).message);
  if (typeof e === 'string') return e;
  return 'Đã xảy ra lỗi không xác định.';
}

/** The stable code of a refusal (`exchange_unprotected`…), or null for another failure. */
export function codeOf(e: unknown): string | null {
  if (e && typeof e === 'object' && 'code' in e) return String((e as CmdError).code);
  return null;
}

export const api = {
  appInfo: () => invoke<AppInfo>('app_info'),
  planView: () => invoke<PlanView>('plan_view'),
  /** area: an area code to rank by, or null for the total. */
  rankingView: (area: string | null = null) => invoke<RankingView>('ranking_view', { area }),
  inspectionView: (inspectionId: string) => invoke<InspectionView>('inspection_view', { inspectionId }),
  setResponse: (inspectionId: string, code: string, field: ResponseField, value: string) =>
    invoke<InspectionLive>('set_response', { inspectionId, code, field, value }),
  setFigure: (inspectionId: string, key: string, value: string) =>
    invoke<InspectionLive>('set_figure', { inspectionId, key, value }),
  addEvidence: (inspectionId: string, input: EvidenceInput, pickFiles: boolean) =>
    invoke<InspectionLive>('add_evidence', { inspectionId, input, pickFiles }),
  deleteEvidence: (inspectionId: string, id: string) =>
    invoke<InspectionLive>('delete_evidence', { inspectionId, id }),
  attachmentData: (sha256: string) => invoke<string>('attachment_data', { sha256 }),
  addFinding: (inspectionId: string, area: string, kind: FindingKind, text: string) =>
    invoke<InspectionLive>('add_finding', { inspectionId, area, kind, text }),
  updateFinding: (inspectionId: string, id: string, text: string) =>
    invoke<InspectionLive>('update_finding', { inspectionId, id, text }),
  deleteFinding: (inspectionId: string, id: string) =>
    invoke<InspectionLive>('delete_finding', { inspectionId, id }),
  addRecommendation: (inspectionId: string, input: RecommendationInput) =>
    invoke<InspectionLive>('add_recommendation', { inspectionId, input }),
  updateRecommendation: (inspectionId: string, id: string, input: RecommendationInput) =>
    invoke<InspectionLive>('update_recommendation', { inspectionId, id, input }),
  deleteRecommendation: (inspectionId: string, id: string) =>
    invoke<InspectionLive>('delete_recommendation', { inspectionId, id }),
  setRecommendationState: (inspectionId: string, id: string, state: RecommendationState) =>
    invoke<InspectionLive>('set_recommendation_state', { inspectionId, id, state }),
  updateInspection: (inspectionId: string, input: InspectionPatch) =>
    invoke<InspectionLive>('update_inspection', { inspectionId, input }),
  updatePlan: (input: PlanPatch) => invoke<PlanView>('update_plan', { input }),
  updateTeam: (input: TeamPatch) => invoke<PlanView>('update_team', { input }),
  /** Make a plan the one in use on this laptop; every screen then shows it. */
  usePlan: (planId: string) => invoke<PlanView>('use_plan', { planId }),
  /** Create a plan with its team (optionally from an earlier plan); it becomes the plan in use. */
  createPlan: (input: NewPlan) => invoke<PlanCreated>('create_plan', { input }),
  /** Close the plan in use (read-only, still printable), or reopen it. */
  closePlan: (closed: boolean) => invoke<PlanView>('close_plan', { closed }),
  /** Units one per line ("name" or "name;kind"); kind for the lines that name none. */
  addUnits: (lines: string, kind: UnitKind | null) => invoke<UnitsAdded>('add_units', { lines, kind }),
  /** Units from an .xlsx list chosen in the open dialog; null when cancelled. */
  importUnitsXlsx: () => invoke<UnitsAdded | null>('import_units_xlsx'),
  removeUnit: (unitId: string) => invoke<PlanView>('remove_unit', { unitId }),
  /** One unit with its head and schedule (đột xuất when input.unannounced). */
  addNewUnit: (input: NewUnit) => invoke<UnitAdded>('add_new_unit', { input }),
  renameUnit: (unitId: string, newName: string, effective: string | null, note: string) =>
    invoke<UnitChanged>('rename_unit', { unitId, newName, effective, note }),
  mergeUnits: (unitIds: string[], newName: string, kind: UnitKind, effective: string | null) =>
    invoke<UnitChanged>('merge_units', { unitIds, newName, kind, effective }),
  unitHistory: (unitId: string) => invoke<UnitHistory>('unit_history', { unitId }),
  templates: () => invoke<TemplateInfo[]>('templates'),
  /** The file written through the save dialog, or null when cancelled. */
  exportTemplate: (kind: TemplateKind, version: string) => invoke<string | null>('export_template', { kind, version }),
  /** A checklist chosen in the open dialog, imported; null when cancelled. */
  importTemplate: () => invoke<TemplateImported | null>('import_template'),
  addMember: (input: MemberInput) => invoke<PlanView>('add_member', { input }),
  removeMember: (id: string) => invoke<PlanView>('remove_member', { id }),
  undo: () => invoke<UndoView>('undo'),
  backup: () => invoke<BackupDone | null>('backup'),
  search: (query: string) => invoke<SearchHit[]>('search', { query }),
  documentView: (inspectionId: string, kind: DocumentKind) =>
    invoke<DocumentView>('document_view', { inspectionId, kind }),
  editDocument: (inspectionId: string, kind: DocumentKind, patch: DocPatch) =>
    invoke<DocumentView>('edit_document', { inspectionId, kind, patch }),
  /**
   * Refused with the code `document_unconfirmed` while the document has warnings, unless
   * confirmWarnings (the user confirmed them).
   */
  issueDocument: (inspectionId: string, kind: DocumentKind, number: string, date: string, confirmWarnings: boolean) =>
    invoke<DocumentView>('issue_document', { inspectionId, kind, number, date, confirmWarnings }),
  /** The path written, or null when the save dialog was cancelled. */
  saveDocumentPdf: (inspectionId: string, kind: DocumentKind, documentId: string | null) =>
    invoke<string | null>('save_document_pdf', { inspectionId, kind, documentId }),
  printDocument: () => invoke<void>('print_document'),
  /** The unit's self-inspection documents this laptop prints for the inspection (titles from the core). */
  unitDocuments: (inspectionId: string) => invoke<UnitDocument[]>('unit_documents', { inspectionId }),
  /** `numbering`: the number and day the văn thư gave it, printed in it (nothing is stored). */
  unitDocumentView: (inspectionId: string, kind: DocumentKind, numbering: Numbering | null) =>
    invoke<UnitDocumentView>('unit_document_view', { inspectionId, kind, numbering }),
  /** The path written under the name the core suggests, or null when the save dialog was cancelled. */
  saveUnitDocumentPdf: (inspectionId: string, kind: DocumentKind, numbering: Numbering | null) =>
    invoke<string | null>('save_unit_document_pdf', { inspectionId, kind, numbering }),
  /** The plan in use's report to the Chairman (the province's summary). */
  reportView: () => invoke<ReportView>('report_view'),
  editReport: (patch: ReportPatch) => invoke<ReportView>('edit_report', { patch }),
  issueReport: (number: string, date: string, confirmWarnings: boolean) =>
    invoke<ReportView>('issue_report', { number, date, confirmWarnings }),
  /** The path written, or null when the save dialog was cancelled. */
  saveReportPdf: () => invoke<string | null>('save_report_pdf'),
  /** The file written, or null when the save dialog was cancelled. */
  exportExchange: (unitIds: string[]) => invoke<Exported | null>('export_exchange', { unitIds }),
  /** The file chosen in the open dialog, or null when cancelled (nothing is read yet). */
  pickExchangeFile: () => invoke<ExchangeFile | null>('pick_exchange_file'),
  /**
   * What importing the file would do, and who made it. A file without the team's protection
   * is refused with the code `exchange_unprotected` unless allowUnprotected («Vẫn nhập»).
   */
  previewExchange: (path: string, allowUnprotected: boolean) =>
    invoke<ExchangePick>('preview_exchange', { path, allowUnprotected }),
  importExchange: (path: string, allowUnprotected: boolean, onProgress: (p: ImportProgress) => void) => {
    const progress = new Channel<ImportProgress>();
    progress.onmessage = onProgress;
    return invoke<ImportSummary>('import_exchange', { path, allowUnprotected, progress });
  },
  receivedFiles: () => invoke<ReceivedFile[]>('received_files'),
  conflicts: () => invoke<Conflict[]>('conflicts'),
  /** keep: 'mine' | 'theirs' (version: the chosen version's clock) | 'value' (a rewrite). Returns the conflicts left. */
  resolveConflict: (id: string, keep: KeepChoice, value: string | null, version: string | null) =>
    invoke<Conflict[]>('resolve_conflict', { id, keep, value, version }),
  followupView: (overdueOnly: boolean) => invoke<FollowupPage>('followup_view', { overdueOnly }),
  /** With pickFile, the native dialog chooses the report's scan (cancelled: nothing changes). */
  updateFollowup: (recommendationId: string, input: RemediationPatch, pickFile: boolean, overdueOnly: boolean) =>
    invoke<FollowupPage>('update_followup', { recommendationId, input, pickFile, overdueOnly }),
  reinspect: (inspectionId: string) => invoke<Reinspection>('reinspect', { inspectionId }),
  /** The workbook written, or null when the save dialog was cancelled. */
  exportXlsx: () => invoke<XlsxDone | null>('export_xlsx'),
  holidays: (year: number) => invoke<Holiday[]>('holidays', { year }),
  setHoliday: (date: string, kind: HolidayKind, name: string) => invoke<Holiday[]>('set_holiday', { date, kind, name }),
  removeHoliday: (date: string) => invoke<Holiday[]>('remove_holiday', { date }),
  setSelfMode: (unitId: string | null) => invoke<AppInfo>('set_self_mode', { unitId }),
  /** The team key on this laptop, or null when it is in no team yet. */
  teamView: () => invoke<TeamView | null>('team_view'),
  teamCreate: (name: string, member: string) => invoke<TeamView>('team_create', { name, member }),
  /** The invitation saved through the save dialog, or null when cancelled. */
  teamInvite: (member: string) => invoke<InviteDone | null>('team_invite', { member }),
  /** Join from an invitation chosen in the open dialog; null when cancelled. */
  teamJoin: () => invoke<TeamView | null>('team_join'),
  teamRevoke: (laptopId: string) => invoke<TeamView>('team_revoke', { laptopId }),
  selfInvite: (unitId: string) => invoke<InviteDone | null>('self_invite', { unitId }),
  selfJoin: () => invoke<SelfJoined | null>('self_join'),
  setSelfFigure: (inspectionId: string, key: string, value: string) =>
    invoke<InspectionLive>('set_self_figure', { inspectionId, key, value }),
};
