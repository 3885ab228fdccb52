-- Kiểm tra CCHC, schema 1: the whole model.
-- Every mergeable record carries: id (UUID), updated_at (RFC 3339), device_id (the laptop
-- that last changed it), hlc (hybrid logical clock of that change) and deleted (tombstone).

PRAGMA application_id = 1263813443; -- 'KTCC'

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE plan (
    id            TEXT PRIMARY KEY,
    number        TEXT NOT NULL DEFAULT '',
    symbol        TEXT NOT NULL DEFAULT '',
    date          TEXT,
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    issuing_body  TEXT NOT NULL,
    parent_body   TEXT NOT NULL DEFAULT '',
    place         TEXT NOT NULL,
    legal_bases   TEXT NOT NULL DEFAULT '[]',
    period_start  TEXT,
    period_end    TEXT,
    signer_name   TEXT NOT NULL DEFAULT '',
    signer_title  TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    hlc           TEXT NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;

CREATE TABLE team (
    id                    TEXT PRIMARY KEY,
    plan_id               TEXT NOT NULL REFERENCES plan(id),
    name                  TEXT NOT NULL,
    symbol                TEXT NOT NULL DEFAULT 'ĐKT',
    parent_body           TEXT NOT NULL DEFAULT '',
    standing_agency       TEXT NOT NULL DEFAULT '',
    decision_number       TEXT NOT NULL DEFAULT '',
    decision_date         TEXT,
    decision_signer       TEXT NOT NULL DEFAULT '',
    decision_signer_title TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;

CREATE TABLE team_member (
    id        TEXT PRIMARY KEY,
    team_id   TEXT NOT NULL REFERENCES team(id),
    name      TEXT NOT NULL,
    role      TEXT NOT NULL CHECK (role IN ('truong_doan', 'pho_truong_doan', 'thanh_vien', 'thu_ky')),
    agency    TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL DEFAULT '',
    position  INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;

CREATE TABLE unit (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('so', 'xa', 'phuong')),
    name         TEXT NOT NULL,
    head_name    TEXT NOT NULL DEFAULT '',
    head_title   TEXT NOT NULL DEFAULT '',
    address      TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    successor_id TEXT REFERENCES unit(id),
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;

-- Renames and merges: a unit keeps its history.
CREATE TABLE unit_event (
    id              TEXT PRIMARY KEY,
    unit_id         TEXT NOT NULL REFERENCES unit(id),
    event           TEXT NOT NULL CHECK (event IN ('rename', 'merged_into', 'formed_by_merge')),
    old_name        TEXT NOT NULL DEFAULT '',
    new_name        TEXT NOT NULL DEFAULT '',
    related_unit_id TEXT REFERENCES unit(id),
    effective_date  TEXT,
    note            TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;

-- A template version is immutable once stored: an inspection keeps the one it began with.
CREATE TABLE template (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('so', 'xa')),
    version      TEXT NOT NULL,
    name         TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    UNIQUE (kind, version)
) STRICT;

-- Areas (level 0), criteria (1) and sub-criteria (2) of a template version.
CREATE TABLE template_item (
    template_id TEXT NOT NULL REFERENCES template(id),
    code        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    level       INTEGER NOT NULL CHECK (level IN (0, 1, 2)),
    area_code   TEXT NOT NULL,
    parent_code TEXT,
    text        TEXT NOT NULL,
    max_points  REAL NOT NULL,
    rule        TEXT,
    guide       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (template_id, code)
) STRICT;

CREATE TABLE inspection (
    id              TEXT PRIMARY KEY,
    plan_id         TEXT NOT NULL REFERENCES plan(id),
    unit_id         TEXT NOT NULL REFERENCES unit(id),
    template_id     TEXT NOT NULL REFERENCES template(id),
    scheduled_start TEXT,
    scheduled_end   TEXT,
    actual_start    TEXT,
    actual_end      TEXT,
    state           TEXT NOT NULL DEFAULT 'planned' CHECK (state IN
                    ('planned', 'in_progress', 'minutes_signed', 'conclusion_issued', 'remediation_reported', 'closed')),
    unannounced     INTEGER NOT NULL DEFAULT 0 CHECK (unannounced IN (0, 1)),
    follows_id      TEXT REFERENCES inspection(id),
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;

CREATE TABLE response (
    id            TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspection(id),
    item_code     TEXT NOT NULL,
    self_score    REAL,
    team_score    REAL,
    status        TEXT,
    note          TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    UNIQUE (inspection_id, item_code)
) STRICT;

CREATE TABLE figure (
    id            TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspection(id),
    key           TEXT NOT NULL,
    value         REAL NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    UNIQUE (inspection_id, key)
) STRICT;

-- Attachment bytes are stored once, by content.
CREATE TABLE attachment (
    sha256        TEXT PRIMARY KEY,
    size          INTEGER NOT NULL,
    media_type    TEXT NOT NULL,
    original_name TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE evidence (
    id                TEXT PRIMARY KEY,
    inspection_id     TEXT NOT NULL REFERENCES inspection(id),
    item_code         TEXT NOT NULL,
    doc_number        TEXT NOT NULL DEFAULT '',
    doc_date          TEXT,
    description       TEXT NOT NULL DEFAULT '',
    attachment_sha256 TEXT REFERENCES attachment(sha256),
    attachment_name   TEXT,
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;

CREATE TABLE finding (
    id            TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspection(id),
    area_code     TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('dat_duoc', 'ton_tai', 'nguyen_nhan')),
    text          TEXT NOT NULL,
    position      INTEGER NOT NULL,
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;

CREATE TABLE recommendation (
    id            TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspection(id),
    area_code     TEXT,
    number        INTEGER NOT NULL,
    text          TEXT NOT NULL,
    owner         TEXT NOT NULL DEFAULT '',
    deadline      TEXT,
    state         TEXT NOT NULL DEFAULT 'chua_thuc_hien' CHECK (state IN ('chua_thuc_hien', 'dang_thuc_hien', 'da_khac_phuc')),
    report_number TEXT NOT NULL DEFAULT '',
    report_date   TEXT,
    report_note   TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
) STRICT;

-- Biên bản and thông báo. An issued document is frozen: its PDF is kept as an attachment
-- (content-addressed, so it travels once) with its hash; a later change makes a new version
-- that supersedes it. A trigger refuses any change to an issued document's content.
CREATE TABLE document (
    id              TEXT PRIMARY KEY,
    inspection_id   TEXT NOT NULL REFERENCES inspection(id),
    kind            TEXT NOT NULL CHECK (kind IN ('bien_ban', 'thong_bao')),
    version         INTEGER NOT NULL DEFAULT 1,
    number          TEXT NOT NULL DEFAULT '',
    date            TEXT,
    symbol          TEXT NOT NULL DEFAULT '',
    signer          TEXT NOT NULL DEFAULT '{}',
    recipients      TEXT NOT NULL DEFAULT '[]',
    content         TEXT NOT NULL DEFAULT '{}',
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
    snapshot_sha256 TEXT REFERENCES attachment(sha256),
    issued_at       TEXT,
    supersedes_id   TEXT REFERENCES document(id),
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    CHECK (status = 'draft' OR (snapshot_sha256 IS NOT NULL AND number <> '' AND date IS NOT NULL))
) STRICT;

CREATE TRIGGER document_issued_is_frozen BEFORE UPDATE ON document
WHEN OLD.status = 'issued' AND (
    NEW.status IS NOT OLD.status OR NEW.number IS NOT OLD.number OR NEW.date IS NOT OLD.date
    OR NEW.symbol IS NOT OLD.symbol OR NEW.signer IS NOT OLD.signer OR NEW.recipients IS NOT OLD.recipients
    OR NEW.content IS NOT OLD.content OR NEW.snapshot_sha256 IS NOT OLD.snapshot_sha256
    OR NEW.kind IS NOT OLD.kind OR NEW.version IS NOT OLD.version OR NEW.inspection_id IS NOT OLD.inspection_id
    OR NEW.deleted IS NOT OLD.deleted)
BEGIN
    SELECT RAISE(ABORT, 'Văn bản đã ban hành không được sửa hay xóa; hãy tạo phiên bản mới.');
END;

CREATE TRIGGER document_issued_is_kept BEFORE DELETE ON document
WHEN OLD.status = 'issued'
BEGIN
    SELECT RAISE(ABORT, 'Văn bản đã ban hành không được xóa.');
END;

-- Who changed what, when, on which laptop: one row per changed field.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    hlc        TEXT NOT NULL,
    at         TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    inspector  TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    field      TEXT NOT NULL DEFAULT '',
    old_value  TEXT,
    new_value  TEXT
) STRICT;

-- The clock of the last change to each field of each record: exchange files merge field by
-- field, the newest clock winning (issue 5); the values themselves are in the records.
CREATE TABLE field_clock (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    hlc       TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) STRICT, WITHOUT ROWID;

CREATE INDEX inspection_plan ON inspection(plan_id);
CREATE INDEX response_inspection ON response(inspection_id);
CREATE INDEX figure_inspection ON figure(inspection_id);
CREATE INDEX evidence_inspection ON evidence(inspection_id, item_code);
CREATE INDEX finding_inspection ON finding(inspection_id, area_code);
CREATE INDEX recommendation_inspection ON recommendation(inspection_id);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
