-- Schema 4: after the visit (issue 6).
-- * The yearly list of public holidays and make-up working days that the conclusion deadline
--   (15 working days after the visit) skips; seeded from assets/holidays-vn.toml by the
--   migration hook, then the user's to edit. It belongs to this laptop (not exchanged).
-- * A recommendation's remediation report gains its evidence (a scan, content-addressed like
--   every attachment) and, for a re-inspection, the recommendation it carries over.
-- * The unit's own self-assessment is kept apart from the team's work: its note per criterion
--   (response.self_note, beside self_score), its figures (self_figure) and which evidence
--   it provided (evidence.source).

CREATE TABLE holiday (
    date   TEXT PRIMARY KEY,               -- YYYY-MM-DD
    kind   TEXT NOT NULL CHECK (kind IN ('nghi', 'lam_bu')),  -- a day off / a make-up working day
    name   TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'nguoi_dung' CHECK (source IN ('kem_theo', 'nguoi_dung'))
) STRICT;

ALTER TABLE recommendation ADD COLUMN report_attachment_sha256 TEXT REFERENCES attachment(sha256);
ALTER TABLE recommendation ADD COLUMN report_attachment_name TEXT;
ALTER TABLE recommendation ADD COLUMN origin_id TEXT REFERENCES recommendation(id);

ALTER TABLE response ADD COLUMN self_note TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN source TEXT NOT NULL DEFAULT 'doan' CHECK (source IN ('doan', 'don_vi'));

CREATE TABLE self_figure (
    id            TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspection(id),
    key           TEXT NOT NULL,
    value         REAL NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    UNIQUE (inspection_id, key)
) STRICT;

CREATE INDEX self_figure_inspection ON self_figure(inspection_id);
CREATE INDEX recommendation_origin ON recommendation(origin_id);
CREATE INDEX inspection_follows ON inspection(follows_id);
