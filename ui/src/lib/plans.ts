// The plan form and the plan picker's words. What a plan may be (required fields, dates,
// the defaults of an empty field) is the core's to decide: the form sends what was typed.
import type { CreatedPlan, NewPlan, Plan, TeamKind } from './bindings';
import { lines } from './document';

/** What the «Tạo kế hoạch mới…» form holds: NewPlan as typed (the year and the legal bases as text). */
export type PlanForm = Omit<NewPlan, 'year' | 'legal_bases' | 'team_kind' | 'from_plan'> & {
  year: string;
  /** One legal basis per line. */
  legal_bases: string;
  team_kind: TeamKind;
  /** The earlier plan to copy from; '' for none. */
  from_plan: string;
};

export function emptyPlanForm(year: number): PlanForm {
  return {
    title: '',
    year: String(year),
    issuing_body: '',
    parent_body: '',
    number: '',
    symbol: '',
    date: '',
    place: '',
    legal_bases: '',
    period_start: '',
    period_end: '',
    signer_name: '',
    signer_title: '',
    team_name: '',
    team_kind: 'doan',
    team_symbol: '',
    team_issuing_body: '',
    standing_agency: '',
    decision_number: '',
    decision_date: '',
    decision_signer: '',
    decision_signer_title: '',
    from_plan: '',
  };
}

/**
 * The form as the core's NewPlan. A year that is not a whole number is sent as 0, which
 * the core refuses with its message (an empty year is no year).
 */
export function toNewPlan(f: PlanForm): NewPlan {
  const y = f.year.trim();
  return {
    ...f,
    year: /^\d{1,6}$/.test(y) ? Number(y) : 0,
    legal_bases: lines(f.legal_bases),
    from_plan: f.from_plan || null,
  };
}

/** The notice after creating a plan: that it is in use, and what was copied into it. */
export function createdNotice(title: string, c: CreatedPlan, from: Plan | undefined): string {
  const made = `Đã lập «${title}»; đây là kế hoạch đang dùng.`;
  if (!from) return made;
  return (
    `${made} Đã sao chép từ «${from.title}» (${from.year}): ${c.units} đơn vị, ${c.members} thành viên đoàn; ` +
    `${c.carried} kiến nghị chưa khắc phục được đưa vào theo dõi.`
  );
}

/** A plan in the picker: "2020 · Kế hoạch …", with its closed mark (the year first: long titles are cut). */
export function planLabel(p: Plan): string {
  return `${p.year} · ${p.title}${p.closed ? ' · đã đóng' : ''}`;
}
