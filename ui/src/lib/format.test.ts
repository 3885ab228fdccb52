import { describe, expect, it } from 'vitest';
import { fmtBytes, fmtDate, fmtDateTime, fmtPercent, fmtRange, fmtScore } from './format';

describe('Vietnamese number display', () => {
  it('writes scores with a decimal comma and no trailing zeros', () => {
    expect(fmtScore(0.75)).toBe('0,75');
    expect(fmtScore(7.5)).toBe('7,5');
    expect(fmtScore(12)).toBe('12');
    expect(fmtScore(1081)).toBe('1.081');
    expect(fmtScore(0.1 + 0.2)).toBe('0,3');
    expect(fmtScore(null)).toBe('');
  });
  it('writes percentages with one decimal, always, and a spaced sign', () => {
    expect(fmtPercent(86.4999)).toBe('86,5 %');
    expect(fmtPercent(40.1)).toBe('40,1 %');
    expect(fmtPercent(100)).toBe('100,0 %');
    expect(fmtPercent(null)).toBe('');
  });
  it('writes dates day first', () => {
    expect(fmtDate('2026-01-05')).toBe('05/01/2026');
    expect(fmtRange('2026-10-13', '2026-10-15')).toBe('13/10 – 15/10/2026');
    expect(fmtRange('2026-08-04', '2026-08-04')).toBe('04/08/2026');
    expect(fmtRange(null, null)).toBe('');
  });
  it('writes moments in local time, day first, to the minute', () => {
    const local = new Date(2026, 10, 23, 14, 4, 59);
    expect(fmtDateTime(local.toISOString())).toBe('23/11/2026 14:04');
    expect(fmtDateTime('')).toBe('');
    expect(fmtDateTime('hôm qua')).toBe('hôm qua');
  });
  it('writes file sizes in bytes, KB or MB', () => {
    expect(fmtBytes(512)).toBe('512 byte');
    expect(fmtBytes(34 * 1024 - 100)).toBe('34 KB');
    expect(fmtBytes(2000 * 1024)).toBe('2 MB');
    expect(fmtBytes(2.5 * 1024 * 1024)).toBe('2,5 MB');
    expect(fmtBytes(1536 * 1024 * 1024)).toBe('1.536 MB');
  });
});
