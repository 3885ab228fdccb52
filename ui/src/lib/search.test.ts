import { describe, expect, it } from 'vitest';
import type { SearchHit } from './bindings';
import { kindLabel, placeOf } from './search';

const hit = (h: Partial<SearchHit>): SearchHit => ({
  entity: 'unit',
  entity_id: 'u',
  unit_name: null,
  reference: '',
  text: '',
  unit_id: null,
  inspection_id: null,
  area: null,
  code: null,
  ...h,
});

describe('search hits open where they were found', () => {
  it('opens a unit on its checklist', () => {
    expect(placeOf(hit({ inspection_id: 'i1' }))).toEqual({ name: 'inspection', inspectionId: 'i1', tab: 'checklist', area: undefined, code: undefined });
  });
  it('opens evidence and notes at their criterion', () => {
    expect(placeOf(hit({ entity: 'evidence', inspection_id: 'i1', area: '1', code: '1.2' }))).toMatchObject({ tab: 'checklist', area: '1', code: '1.2' });
  });
  it('opens findings and recommendations on their tab', () => {
    expect(placeOf(hit({ entity: 'recommendation', inspection_id: 'i2', area: '3' }))).toMatchObject({ inspectionId: 'i2', tab: 'findings' });
  });
  it('opens nothing for a hit outside the plan', () => {
    expect(placeOf(hit({ entity: 'criterion' }))).toBeNull();
    expect(kindLabel(hit({ entity: 'evidence' }))).toBe('Tài liệu kiểm chứng');
  });
});
