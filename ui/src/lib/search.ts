// The search box's results: what each kind of hit is called and where it opens.
import type { SearchHit } from './bindings';
import type { Screen } from './ui.svelte';

const KINDS: Record<string, string> = {
  unit: 'Đơn vị',
  criterion: 'Tiêu chí',
  finding: 'Nhận xét',
  recommendation: 'Kiến nghị',
  evidence: 'Tài liệu kiểm chứng',
  note: 'Ghi chú',
};

/** "Kiến nghị", "Tài liệu kiểm chứng"… */
export function kindLabel(h: SearchHit): string {
  return KINDS[h.entity] ?? h.entity;
}

/**
 * The screen a hit opens: the inspection's findings for a finding or recommendation, else
 * its checklist at the hit's area and criterion. Null when the hit belongs to no inspection
 * of the plan (a unit not inspected yet, a checklist no unit uses).
 */
export function placeOf(h: SearchHit): Screen | null {
  if (!h.inspection_id) return null;
  if (h.entity === 'finding' || h.entity === 'recommendation') {
    return { name: 'inspection', inspectionId: h.inspection_id, tab: 'findings', area: h.area ?? undefined };
  }
  return {
    name: 'inspection',
    inspectionId: h.inspection_id,
    tab: 'checklist',
    area: h.area ?? undefined,
    code: h.code ?? undefined,
  };
}
