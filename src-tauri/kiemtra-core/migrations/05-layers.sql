-- Schema 5: undo reads what it needs from columns, never from the Vietnamese labels it
-- shows. `barrier` marks the rows of an action undo never goes past (loading the sample
-- plan, installing or importing a checklist, issuing a document); `undone` lists the
-- actions of this laptop taken back, each once, even when taking it back changed nothing.
ALTER TABLE audit_log ADD COLUMN barrier INTEGER NOT NULL DEFAULT 0 CHECK (barrier IN (0, 1));

CREATE TABLE undone (
    hlc      TEXT PRIMARY KEY,  -- the clock of the action taken back
    undo_hlc TEXT,              -- the clock of the undo (NULL when it changed nothing)
    at       TEXT NOT NULL
) STRICT;
CREATE INDEX undone_by ON undone(undo_hlc);

UPDATE audit_log SET barrier = 1
 WHERE action IN ('nạp kế hoạch mẫu 2026', 'cài bộ tiêu chí mặc định', 'nhập bộ tiêu chí', 'ban hành văn bản');

-- Earlier builds wrote the undone clock into the undo's label ("hoàn tác: … #<clock>").
INSERT OR IGNORE INTO undone(hlc, undo_hlc, at)
SELECT substr(action, instr(action, '#') + 1), hlc, min(at)
  FROM audit_log
 WHERE action LIKE 'hoàn tác: %#%'
 GROUP BY hlc;
