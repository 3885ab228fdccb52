// Vietnamese number and date display, written exactly as the core's text module writes
// them (src-tauri/kiemtra-core/src/text.rs): decimal comma, dot thousands separator, dates
// as dd/mm/yyyy. core-vectors.test.ts checks these against the core's own answers.

/** The core's `round_to`: half away from zero, nudged so that 86.45 (stored 86.4499…) gives 86.5. */
function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const y = x * f;
  const z = y + Math.sign(y) * 1e-9;
  return (Math.sign(z) * Math.round(Math.abs(z))) / f;
}

/** The core's `fmt_int`: "1.081", "-1.234.567". */
function fmtInt(n: number): string {
  const digits = String(Math.abs(n));
  return (n < 0 ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** The core's `fmt_num`: at most `decimals` places, trailing zeros dropped. */
function fmtNum(x: number, decimals: number): string {
  const r = roundTo(x, decimals);
  const [int, frac = ''] = Math.abs(r).toFixed(decimals).split('.');
  const f = frac.replace(/0+$/, '');
  const out = fmtInt(Number(int)) + (f ? ',' + f : '');
  return r < 0 && /[1-9]/.test(out) ? '-' + out : out;
}

/** A score or a count, as the core's `fmt_score`: up to three decimals ("0,375", "7,5", "1.081"). */
export function fmtScore(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  return fmtNum(x, 3);
}

/** A value already in percent, as the core's `fmt_percent`: always one decimal ("86,5 %", "100,0 %"). */
export function fmtPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const r = roundTo(x, 1);
  const whole = Math.trunc(r);
  const tenth = Math.round(Math.abs(r - whole) * 10);
  return (r < 0 ? '-' : '') + fmtInt(Math.abs(whole)) + ',' + tenth + ' %';
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
  if (n < 1024 * 1024) return `${fmtInt(Math.ceil(n / 1024))} KB`;
  return `${fmtNum(n / (1024 * 1024), 1)} MB`;
}

/** "14:05:09" for the saved indicator. */
export function fmtTime(d: Date): string {
  return d.toLocaleTimeString('vi-VN', { hour12: false });
}
