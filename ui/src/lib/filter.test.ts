import { describe, expect, it } from 'vitest';
import { fold, matchesWords } from './filter';

describe('filtering without diacritics', () => {
  it('folds Vietnamese letters, đ included', () => {
    expect(fold('xã Hạ Lang')).toBe('xa ha lang');
    expect(fold('Sở Nội vụ  ĐÀO tạo')).toBe('so noi vu dao tao');
  });
  it('finds a unit from the starts of words typed in any order', () => {
    expect(matchesWords('ha lang', 'xã Hạ Lang')).toBe(true);
    expect(matchesWords('lang ha', 'xã Hạ Lang')).toBe(true);
    expect(matchesWords('quang', 'xã Hạ Lang')).toBe(false);
    expect(matchesWords('ang', 'xã Hạ Lang')).toBe(false);
    expect(matchesWords('thuc phan', 'phường Thục Phán')).toBe(true);
    expect(matchesWords('  ', 'anything')).toBe(true);
  });
});
