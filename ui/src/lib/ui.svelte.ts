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
  field?: Refusable,
): Promise<T | null> {
  ui.pending++;
  try {
    const r = await call();
    ui.savedAt = new Date();
    ui.error = null;
    if (field && refused?.el === field.el) dropRefused(false);
    if (r && 'undoable' in r) ui.undoable = r.undoable ?? null;
    return r;
  } catch (e) {
    ui.error = messageOf(e);
    if (field) markRefused(field, ui.error);
    return null;
  } finally {
    ui.pending--;
  }
}

/** Export the plan to Excel through the save dialog; the notice says what was written. */
/**
 * Save a PDF through a command that opens the save dialog and returns the path it wrote
 * (null: the dialog was cancelled, nothing is said); the notice names the file.
 */
export async function savePdfFile(call: () => Promise<string | null>, saved = (path: string) => `Đã lưu tệp PDF: ${path}`): Promise<void> {
  try {
    const path = await call();
    if (path) {
      ui.notice = saved(path);
      ui.error = null;
    }
  } catch (e) {
    ui.error = messageOf(e);
  }
}

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
  dropRefused(true);
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

/** A field whose change is being saved: the element, and the stored value it showed. */
export type Refusable = { el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement; stored: string };

/** The field whose value the core refused last, and the message shown beside it. */
let refused: (Refusable & { bubble: HTMLElement; observer: MutationObserver }) | null = null;

/**
 * A refused value stays in its field as typed (a refused choice goes back), marked (aria-invalid, class «invalid»), with
 * the focus back in it and the core's message just under it, until the field is typed in
 * again, saved, or the screen changes (then the stored value is shown again).
 */
export function markRefused(field: Refusable, message: string) {
  dropRefused(false);
  const { el } = field;
  if (!el.isConnected) return;
  // A choice goes back to the stored one (the message says why); typed text stays to be fixed.
  if (el instanceof HTMLSelectElement) el.value = field.stored;
  el.setAttribute('aria-invalid', 'true');
  el.classList.add('invalid');
  const bubble = document.createElement('div');
  bubble.className = 'field-error';
  bubble.dataset.test = 'field-error';
  bubble.setAttribute('role', 'alert');
  bubble.id = 'field-error';
  bubble.textContent = message;
  el.setAttribute('aria-describedby', bubble.id);
  document.body.append(bubble);
  const place = () => {
    const r = el.getBoundingClientRect();
    const width = Math.min(Math.max(r.width, 288), window.innerWidth - 16);
    bubble.style.width = `${width}px`;
    bubble.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - width - 8)) + window.scrollX}px`;
    bubble.style.top = `${r.bottom + window.scrollY + 3}px`;
  };
  place();
  // Gone with its field (a tab switched, a row removed).
  const observer = new MutationObserver(() => {
    if (!el.isConnected) dropRefused(false);
    else place();
  });
  observer.observe(document.body, { childList: true, subtree: true });
  refused = { ...field, bubble, observer };
  el.addEventListener('input', () => refused?.el === el && dropRefused(false), { once: true });
  el.focus();
}

/** Take the mark away; `restore` puts the stored value back in the field. */
export function dropRefused(restore: boolean) {
  if (!refused) return;
  const { el, stored, bubble, observer } = refused;
  refused = null;
  observer.disconnect();
  bubble.remove();
  el.removeAttribute('aria-invalid');
  el.removeAttribute('aria-describedby');
  el.classList.remove('invalid');
  if (restore) el.value = stored;
}
