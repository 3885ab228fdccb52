import { describe, expect, it } from 'vitest';
import type { DocModel } from './bindings';
import { capitalise, generatedText, lines } from './document';

const model: DocModel = {
  kind: 'bien_ban',
  parent_body: 'UBND TỈNH CAO BẰNG',
  issuing_body: 'Đoàn kiểm tra công tác cải cách hành chính',
  number_line: '        /BB-ĐKT',
  date_line: null,
  title: 'BIÊN BẢN',
  summary: 'Kiểm tra công tác cải cách hành chính năm 2026 tại UBND xã Hạ Lang',
  summary_rule: false,
  body: [
    { t: 'Labeled', c: ['Thời gian bắt đầu:', '8 giờ 00, ngày 13 tháng 10 năm 2026.'] },
    { t: 'Para', c: 'Thực hiện Kế hoạch số 125/KH-UBND…' },
    { t: 'Heading', c: 'I. NỘI DUNG KIỂM TRA' },
    { t: 'Para', c: 'Đoàn kiểm tra đã kiểm tra hồ sơ…' },
    { t: 'Blank', c: 4 },
    { t: 'Closing', c: 'Biên bản kết thúc vào 11 giờ 30 cùng ngày…' },
  ],
  signatures: [],
  recipients: ['UBND xã Hạ Lang', 'Lưu: VT, Hồ sơ ĐKT'],
  draft: true,
};

describe('generatedText', () => {
  it('takes the opening (first paragraph), the closing and the issuing body', () => {
    expect(generatedText(model)).toEqual({
      issuing_body: 'Đoàn kiểm tra công tác cải cách hành chính',
      opening: 'Thực hiện Kế hoạch số 125/KH-UBND…',
      closing: 'Biên bản kết thúc vào 11 giờ 30 cùng ngày…',
    });
  });
  it('leaves a field empty when the document has none', () => {
    expect(generatedText({ ...model, body: [] }).closing).toBe('');
  });
});

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
