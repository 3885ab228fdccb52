// Vietnamese number and date display (what the core's text module does for documents):
// decimal comma, dot thousands separator, dates as dd/mm/yyyy.

/** A score: up to three decimals, trailing zeros dropped ("0,75", "7,5", "12"). */
export function fmtScore(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const r = Math.round(x * 1000) / 1000;
  const [int, frac] = Math.abs(r).toFixed(3).split('.');
  const f = frac.replace(/0+$/, '');
  const sign = r < 0 ? '-' : '';
  return sign + groupThousands(int) + (f ? ',' + f : '');
}

/** A percentage with one decimal: "86,5 %". */
export function fmtPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const r = Math.round(x * 10) / 10;
  const [int, frac] = Math.abs(r).toFixed(1).split('.');
  return (r < 0 ? '-' : '') + groupThousands(int) + (frac === '0' ? '' : ',' + frac) + ' %';
}

function groupThousands(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** "2026-10-13" → "13/10/2026"; anything else is shown as it is. */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** A date range for the schedule column: "13/10 – 15/10/2026". */
export function fmtRange(a: string | null, b: string | null): string {
  if (!a && !b) return '';
  if (a && b && a === b) return fmtDate(a);
  if (a && b && a.slice(0, 4) === b.slice(0, 4)) {
    return `${fmtDate(a).slice(0, 5)} – ${fmtDate(b)}`;
  }
  return [fmtDate(a), fmtDate(b)].filter(Boolean).join(' – ');
}

/** A moment stored as an RFC 3339 stamp, in local time: "23/11/2026 14:05". */
export function fmtDateTime(stamp: string | null | undefined): string {
  if (!stamp) return '';
  const d = new Date(stamp);
  if (Number.isNaN(d.getTime())) return stamp;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A file's size: "512 byte", "34 KB", "2,5 MB". */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} byte`;
  if (n < 1024 * 1024) return `${groupThousands(String(Math.ceil(n / 1024)))} KB`;
  const mb = Math.round((n / (1024 * 1024)) * 10) / 10;
  const [int, frac] = mb.toFixed(1).split('.');
  return groupThousands(int) + (frac === '0' ? '' : ',' + frac) + ' MB';
}

/** "14:05:09" for the saved indicator. */
export function fmtTime(d: Date): string {
  return d.toLocaleTimeString('vi-VN', { hour12: false });
}
