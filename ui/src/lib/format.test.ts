import { describe, expect, it } from 'vitest';
import { fmtDate, fmtPercent, fmtRange, fmtScore } from './format';

describe('Vietnamese number display', () => {
  it('writes scores with a decimal comma and no trailing zeros', () => {
    expect(fmtScore(0.75)).toBe('0,75');
    expect(fmtScore(7.5)).toBe('7,5');
    expect(fmtScore(12)).toBe('12');
    expect(fmtScore(1081)).toBe('1.081');
    expect(fmtScore(0.1 + 0.2)).toBe('0,3');
    expect(fmtScore(null)).toBe('');
  });
  it('writes percentages with one decimal and a spaced sign', () => {
    expect(fmtPercent(86.4999)).toBe('86,5 %');
    expect(fmtPercent(40.1)).toBe('40,1 %');
    expect(fmtPercent(100)).toBe('100 %');
    expect(fmtPercent(null)).toBe('');
  });
  it('writes dates day first', () => {
    expect(fmtDate('2026-01-05')).toBe('05/01/2026');
    expect(fmtRange('2026-10-13', '2026-10-15')).toBe('13/10 – 15/10/2026');
    expect(fmtRange('2026-08-04', '2026-08-04')).toBe('04/08/2026');
    expect(fmtRange(null, null)).toBe('');
  });
});
