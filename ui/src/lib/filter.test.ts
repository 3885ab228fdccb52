import { describe, expect, it } from 'vitest';
import { fold, matches } from './filter';

describe('filtering without diacritics', () => {
  it('folds Vietnamese letters, đ included', () => {
    expect(fold('xã Hạ Lang')).toBe('xa ha lang');
    expect(fold('Sở Nội vụ  ĐÀO tạo')).toBe('so noi vu dao tao');
  });
  it('finds a unit from words typed in any order', () => {
    expect(matches('xã Hạ Lang', 'ha lang')).toBe(true);
    expect(matches('xã Hạ Lang', 'lang ha')).toBe(true);
    expect(matches('xã Hạ Lang', 'quang')).toBe(false);
    expect(matches('phường Thục Phán', 'thuc phan')).toBe(true);
    expect(matches('anything', '  ')).toBe(true);
  });
});
