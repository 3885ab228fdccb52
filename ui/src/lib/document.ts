// What the Văn bản tab needs from a document's resolved text (DocModel, from the core).
import type { DocModel } from './bindings';

/**
 * The text the document prints for the fields a user may rewrite, as generated from the
 * inspection's data (or as the user last set it): the field shows it, and leaving it
 * unchanged stores nothing.
 */
export function generatedText(model: DocModel): { issuing_body: string; opening: string; closing: string } {
  let opening = '';
  let closing = '';
  for (const el of model.body) {
    if (el.t === 'Para' && !opening) opening = el.c;
    if (el.t === 'Closing') closing = el.c;
  }
  return { issuing_body: model.issuing_body, opening, closing };
}

/** A textarea with one item per line → the items, blank lines dropped. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "đã ban hành" → "Đã ban hành". */
export function capitalise(s: string): string {
  return s ? s[0].toLocaleUpperCase('vi') + s.slice(1) : s;
}
