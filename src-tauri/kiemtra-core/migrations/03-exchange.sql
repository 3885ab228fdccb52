-- Schema 3: exchange files between laptops.
-- Each field's clock gains a version vector (device → the newest clock of that device that
-- this laptop has merged for the field), who made the change and when: a change "saw" another
-- when its vector covers the other's. Versions of a field that were made concurrently and that
-- nobody has chosen between yet are kept in field_version (the record shows one of them; the
-- team lead resolves). Imported files are logged by their SHA-256.

-- (Databases made by development builds before field clocks existed lack the table.)
CREATE TABLE IF NOT EXISTS field_clock (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    hlc       TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) STRICT, WITHOUT ROWID;

ALTER TABLE field_clock ADD COLUMN vv TEXT NOT NULL DEFAULT '{}';
ALTER TABLE field_clock ADD COLUMN inspector TEXT NOT NULL DEFAULT '';
ALTER TABLE field_clock ADD COLUMN at TEXT NOT NULL DEFAULT '';

-- hlc = "<13-digit ms>-<5-digit counter>-<device id>"
UPDATE field_clock SET vv = json_object(substr(hlc, 21), hlc);
UPDATE field_clock SET
    inspector = coalesce((SELECT a.inspector FROM audit_log a WHERE a.entity = field_clock.entity
        AND a.entity_id = field_clock.entity_id AND a.field = field_clock.field AND a.hlc = field_clock.hlc
        ORDER BY a.seq DESC LIMIT 1), ''),
    at = coalesce((SELECT a.at FROM audit_log a WHERE a.entity = field_clock.entity
        AND a.entity_id = field_clock.entity_id AND a.field = field_clock.field AND a.hlc = field_clock.hlc
        ORDER BY a.seq DESC LIMIT 1), '');

CREATE TABLE field_version (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    -- The value as JSON (null, a number or a string).
    value     TEXT NOT NULL,
    hlc       TEXT NOT NULL,
    vv        TEXT NOT NULL,
    inspector TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (entity, entity_id, field, hlc)
) STRICT, WITHOUT ROWID;

CREATE TABLE import_log (
    sha256      TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    inspector   TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    summary     TEXT NOT NULL
) STRICT;
