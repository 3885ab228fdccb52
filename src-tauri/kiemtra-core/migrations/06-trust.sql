-- Schema 6: the team's keys (issue 13). Exchange files are sealed to the team's key period
-- (age) and signed by the laptop that made them (Ed25519); the lead signs the list of the
-- team's laptops (the roster). None of these rows is exchanged as a record: the roster and
-- the sealed period keys travel inside the files; secrets never leave this laptop except in
-- an invitation the lead writes.

-- The team this laptop belongs to (one row). `signing_key` is the team key: only on the
-- lead's laptop.
CREATE TABLE team_key (
    one         INTEGER PRIMARY KEY CHECK (one = 1),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    verify_key  TEXT NOT NULL,
    signing_key TEXT,
    created_at  TEXT NOT NULL
) STRICT;

-- This laptop in the roster (one row): its id, member, role, its own signing key and age
-- identity, and the sequence number of the next file it exports.
CREATE TABLE own_laptop (
    one           INTEGER PRIMARY KEY CHECK (one = 1),
    laptop_id     TEXT NOT NULL,
    member        TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('lead', 'member', 'unit')),
    unit_id       TEXT,
    inspection_id TEXT,
    signing_key   TEXT NOT NULL,
    identity      TEXT NOT NULL,
    next_seq      INTEGER NOT NULL DEFAULT 1 CHECK (next_seq >= 1),
    joined_at     TEXT NOT NULL
) STRICT;

-- Key periods: the recipient every file of the period is sealed to; the identity (secret)
-- only on the team's laptops, not on a unit's.
CREATE TABLE key_period (
    period     INTEGER PRIMARY KEY CHECK (period >= 1),
    recipient  TEXT NOT NULL,
    identity   TEXT,
    started_at TEXT NOT NULL
) STRICT;

-- The newest roster this laptop has verified (one row): its JSON text and the team key's
-- signature, exactly as they travel.
CREATE TABLE roster (
    one         INTEGER PRIMARY KEY CHECK (one = 1),
    serial      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    sig         TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;

-- Who made each file received, as proven by its signature (NULL for an unprotected file).
ALTER TABLE import_log ADD COLUMN laptop_id TEXT;
ALTER TABLE import_log ADD COLUMN member TEXT;
ALTER TABLE import_log ADD COLUMN seq INTEGER;
ALTER TABLE import_log ADD COLUMN made_at TEXT;
ALTER TABLE import_log ADD COLUMN verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1));
CREATE INDEX import_log_by_laptop ON import_log(laptop_id, seq);
