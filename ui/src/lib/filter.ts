// Filtering as inspectors type: without diacritics, "ha lang" finds "xã Hạ Lang".

/** Lower case without diacritics (đ → d), spaces collapsed. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every typed word must occur in the text, in any order. */
export function matches(text: string, query: string): boolean {
  const words = fold(query).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const t = fold(text);
  return words.every((w) => t.includes(w));
}
