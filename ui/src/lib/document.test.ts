import { describe, expect, it } from 'vitest';
import { capitalise, lines } from './document';

describe('lines', () => {
  it('drops blank lines and spaces around each item', () => {
    expect(lines('  Sở Nội vụ \n\n UBND xã Hạ Lang\n')).toEqual(['Sở Nội vụ', 'UBND xã Hạ Lang']);
    expect(lines('')).toEqual([]);
  });
});

describe('capitalise', () => {
  it('upper-cases the first letter, diacritics included', () => {
    expect(capitalise('đã ban hành')).toBe('Đã ban hành');
    expect(capitalise('biên bản kiểm tra')).toBe('Biên bản kiểm tra');
    expect(capitalise('')).toBe('');
  });
});
