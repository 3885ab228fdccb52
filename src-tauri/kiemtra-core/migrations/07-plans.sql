-- Schema 7: any plan, any year, any issuing body (issue 16).
-- * A team is a Đoàn kiểm tra or a Tổ kiểm tra, and names the issuing body its documents'
--   header shows (empty: the team's own name, as before; a Tổ of Thanh tra tỉnh shows
--   "THANH TRA TỈNH CAO BẰNG").
-- * Units of an agency's internal inspection (phòng, ban, đơn vị sự nghiệp) and their checklist
--   (kind co_quan): the CHECKs on unit.kind and template.kind are widened by the migration's
--   hook (store::widen_kinds), which edits the two tables' definitions in place, as SQLite's
--   documentation describes for changing a CHECK constraint (no row is rewritten).
-- * An old plan can be closed: read-only (still printed and searched), until reopened.
ALTER TABLE plan ADD COLUMN closed INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1));
ALTER TABLE team ADD COLUMN kind TEXT NOT NULL DEFAULT 'doan' CHECK (kind IN ('doan', 'to'));
ALTER TABLE team ADD COLUMN issuing_body TEXT NOT NULL DEFAULT '';
