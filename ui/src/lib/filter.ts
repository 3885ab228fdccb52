// Filtering as inspectors type, the way the core finds a unit from a typed name
// (src-tauri/kiemtra-core/src/text.rs `fold` and `matches_words`): without diacritics,
// every typed word at the start of a word, "ha lang" finds "xã Hạ Lang" and "ang" does
// not. core-vectors.test.ts checks both against the core's own answers.

const MARK = /\p{M}/gu;
const NOT_ALNUM = /[^\p{Alphabetic}\p{N}]+/u;

/**
 * The core's `fold`: lower case, no diacritics, đ → d, anything but letters and digits
 * between words → one space. "Đoài Dương" → "doai duong".
 */
export function fold(s: string): string {
  const bare = s.normalize('NFD').replace(MARK, '').replace(/[đĐ]/g, 'd');
  // Letter by letter, as the core lowers case: no context rules (a final sigma stays σ).
  return bare
    .split(NOT_ALNUM)
    .filter(Boolean)
    .map((w) => Array.from(w, (c) => c.toLowerCase()).join(''))
    .join(' ');
}

/** The core's `matches_words`: every typed word starts a word of `text`, in any order. */
export function matchesWords(query: string, text: string): boolean {
  const typed = fold(query).split(' ').filter(Boolean);
  if (typed.length === 0) return true;
  const words = fold(text).split(' ');
  return typed.every((w) => words.some((n) => n.startsWith(w)));
}
