// State shared by every screen: where the user is, whether the last change is saved, the
// message of a refused change, and what "Hoàn tác" would undo.
import type { AppInfo, Labels, Plan, UndoableAction } from './bindings';
import { api, messageOf } from './api';

export type InspectionTab = 'checklist' | 'figures' | 'findings' | 'documents';

export type Screen =
  | { name: 'plan' }
  /** tab, area, code: where a search result opens (the criterion's row is shown). */
  | { name: 'inspection'; inspectionId: string; tab?: InspectionTab; area?: string; code?: string }
  | { name: 'followup' }
  | { name: 'ranking' }
  | { name: 'report' }
  | { name: 'team' }
  | { name: 'settings' }
  /** conflicts: opened from the top bar's badge, at the conflict list. */
  | { name: 'exchange'; conflicts?: boolean };

export const ui = $state({
  screen: { name: 'plan' } as Screen,
  /** Changes being written now. */
  pending: 0,
  savedAt: null as Date | null,
  /** The message of the last refused change (shown until the next success). */
  error: null as string | null,
  notice: null as string | null,
  undoable: null as UndoableAction | null,
  info: null as AppInfo | null,
  /** Bumped after an undo so the open screen reloads its view. */
  reload: 0,
  /** Fields two laptops changed without seeing each other, waiting for a choice. */
  conflicts: 0,
  /**
   * An exchange file is being imported: the store is busy until it is merged, so the other
   * screens (and undo) wait.
   */
  importing: false,
  /** The plan in use, as the last plan view showed it (the top bar's chip, the closed banner). */
  plan: null as Plan | null,
  /** The first-run welcome was answered (the sample chosen or a plan created). */
  welcomeDismissed: false,
});

/**
 * Run one change. On success the saved indicator shows the time and the result is
 * returned; on refusal the Vietnamese message is shown and null is returned (the caller
 * puts the stored value back).
 */
export async function save<T extends { undoable?: UndoableAction | null }>(
  call: () => Promise<T>,
): Promise<T | null> {
  ui.pending++;
  try {
    const r = await call();
    ui.savedAt = new Date();
    ui.error = null;
    if (r && 'undoable' in r) ui.undoable = r.undoable ?? null;
    return r;
  } catch (e) {
    ui.error = messageOf(e);
    return null;
  } finally {
    ui.pending--;
  }
}

/** Export the plan to Excel through the save dialog; the notice says what was written. */
export async function exportWorkbook(): Promise<void> {
  try {
    const done = await api.exportXlsx();
    if (done) {
      ui.error = null;
      ui.notice = `Đã xuất bảng tính ${done.path}: ${done.summary.units} đơn vị, ${done.summary.findings} nhận xét, ${done.summary.recommendations} kiến nghị.`;
    }
  } catch (e) {
    ui.error = messageOf(e);
  }
}

export function go(s: Screen) {
  ui.screen = s;
  ui.error = null;
  ui.notice = null;
}

/** The Vietnamese label of an enum value, as the core names it. */
export function labelOf(kind: keyof Labels, key: string): string {
  return ui.info?.labels[kind].find((c) => c.key === key)?.label ?? key;
}

/**
 * Enter / ↓ / ↑ in a column of inputs (those sharing `data-col`): move to the next or
 * previous one; past the last, leave the field (which saves it).
 */
export function moveInColumn(e: KeyboardEvent) {
  if (!['Enter', 'ArrowDown', 'ArrowUp'].includes(e.key)) return;
  const el = e.currentTarget as HTMLElement;
  const all = Array.from(
    document.querySelectorAll<HTMLElement>(`[data-col="${el.dataset.col}"]:not(:disabled)`),
  );
  const next = all[all.indexOf(el) + (e.key === 'ArrowUp' ? -1 : 1)];
  e.preventDefault();
  if (next) next.focus();
  else el.blur();
}

/** Scroll a criterion's row of the checklist into view and mark it for a moment. */
export function showCriterion(code: string) {
  const rows = Array.from(document.querySelectorAll<HTMLElement>('[data-test=checklist] tbody tr'));
  const row =
    rows.find((r) => r.dataset.test === `item-${code}`) ??
    rows.find((r) => r.querySelector('td')?.textContent?.trim() === code);
  if (!row) return;
  row.scrollIntoView({ block: 'center' });
  row.classList.add('found');
  row.dataset.found = 'true';
  setTimeout(() => row.classList.remove('found'), 2500);
}
