-- Schema 9 (issue 14): the documents of a whole plan, first the province's report (Báo cáo
-- kết quả kiểm tra công tác CCHC, kind 'bao_cao'). Versions, drafts, issuing and freezing as
-- for an inspection's documents (table `document`), keyed by the plan instead.
CREATE TABLE report (
    id              TEXT PRIMARY KEY,
    plan_id         TEXT NOT NULL REFERENCES plan(id),
    kind            TEXT NOT NULL CHECK (kind IN ('bao_cao')),
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
    supersedes_id   TEXT REFERENCES report(id),
    updated_at TEXT NOT NULL, device_id TEXT NOT NULL, hlc TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    CHECK (status = 'draft' OR (snapshot_sha256 IS NOT NULL AND number <> '' AND date IS NOT NULL))
) STRICT;

CREATE INDEX report_plan ON report(plan_id, kind);

CREATE TRIGGER report_issued_is_frozen BEFORE UPDATE ON report
WHEN OLD.status = 'issued' AND (
    NEW.status IS NOT OLD.status OR NEW.number IS NOT OLD.number OR NEW.date IS NOT OLD.date
    OR NEW.symbol IS NOT OLD.symbol OR NEW.signer IS NOT OLD.signer OR NEW.recipients IS NOT OLD.recipients
    OR NEW.content IS NOT OLD.content OR NEW.snapshot_sha256 IS NOT OLD.snapshot_sha256
    OR NEW.kind IS NOT OLD.kind OR NEW.version IS NOT OLD.version OR NEW.plan_id IS NOT OLD.plan_id
    OR NEW.deleted IS NOT OLD.deleted)
BEGIN
    SELECT RAISE(ABORT, 'Văn bản đã ban hành không được sửa hay xóa; hãy tạo phiên bản mới.');
END;

CREATE TRIGGER report_issued_is_kept BEFORE DELETE ON report
WHEN OLD.status = 'issued'
BEGIN
    SELECT RAISE(ABORT, 'Văn bản đã ban hành không được xóa.');
END;
