// Small text helpers of the Văn bản tab (what its fields show comes from the core:
// DocumentView.texts).

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
