import { describe, expect, it } from 'vitest';
import type { Plan } from './bindings';
import { createdNotice, emptyPlanForm, planLabel, toNewPlan } from './plans';

const plan = (over: Partial<Plan>): Plan => ({
  id: 'p1',
  number: '',
  symbol: 'KH',
  date: null,
  year: 2026,
  title: 'Kế hoạch kiểm tra công tác cải cách hành chính năm 2026',
  issuing_body: 'UBND tỉnh Cao Bằng',
  parent_body: '',
  place: 'Cao Bằng',
  legal_bases: [],
  period_start: null,
  period_end: null,
  signer_name: '',
  signer_title: '',
  closed: false,
  ...over,
});

describe('toNewPlan', () => {
  it('sends what was typed, the year as a number and one legal basis per line', () => {
    const f = {
      ...emptyPlanForm(2026),
      title: 'Kế hoạch kiểm tra CCHC năm 2020',
      year: ' 2020 ',
      legal_bases: ' Nghị định số 30/2020/NĐ-CP \n\n Kế hoạch CCHC năm 2020\n',
      team_kind: 'to' as const,
      from_plan: '',
    };
    const n = toNewPlan(f);
    expect(n.year).toBe(2020);
    expect(n.legal_bases).toEqual(['Nghị định số 30/2020/NĐ-CP', 'Kế hoạch CCHC năm 2020']);
    expect(n.team_kind).toBe('to');
    expect(n.from_plan).toBeNull();
    expect(n.title).toBe('Kế hoạch kiểm tra CCHC năm 2020');
  });

  it('sends a year that is no whole number as 0, for the core to refuse', () => {
    expect(toNewPlan({ ...emptyPlanForm(2026), year: '' }).year).toBe(0);
    expect(toNewPlan({ ...emptyPlanForm(2026), year: '2O20' }).year).toBe(0);
    expect(toNewPlan({ ...emptyPlanForm(2026), year: '2020.5' }).year).toBe(0);
  });

  it('names the plan to copy from by its id', () => {
    expect(toNewPlan({ ...emptyPlanForm(2027), from_plan: 'abc' }).from_plan).toBe('abc');
  });
});

describe('createdNotice', () => {
  const c = { plan_id: 'n', team_id: 't', units: 14, members: 5, carried: 2 };
  it('says the plan is in use', () => {
    expect(createdNotice('Kế hoạch 2020', c, undefined)).toBe('Đã lập «Kế hoạch 2020»; đây là kế hoạch đang dùng.');
  });
  it('says what was copied from the earlier plan', () => {
    expect(createdNotice('Kế hoạch 2027', c, plan({}))).toBe(
      'Đã lập «Kế hoạch 2027»; đây là kế hoạch đang dùng. Đã sao chép từ «Kế hoạch kiểm tra công tác cải cách hành chính năm 2026» (2026): 14 đơn vị, 5 thành viên đoàn; 2 kiến nghị chưa khắc phục được đưa vào theo dõi.',
    );
  });
});

describe('planLabel', () => {
  it('shows the year, the title and the closed mark', () => {
    expect(planLabel(plan({}))).toBe('2026 · Kế hoạch kiểm tra công tác cải cách hành chính năm 2026');
    expect(planLabel(plan({ closed: true, year: 2020, title: 'Kế hoạch của Thanh tra tỉnh' }))).toBe(
      '2020 · Kế hoạch của Thanh tra tỉnh · đã đóng',
    );
  });
});
