-- 005: round handout, the expert's own declarations, why an expert is recused, and every submitted version
-- of a sheet.

-- A round opened on this machine from a round file (an expert's laptop): the file's content hash, and which
-- of the round's experts this machine scores as (chosen once, with a confirmation; NULL until then).
CREATE TABLE round_handout (
    round_id      INTEGER PRIMARY KEY REFERENCES round(id) ON DELETE CASCADE,
    file_hash     TEXT NOT NULL,
    opened_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expert_id     INTEGER REFERENCES expert(id),
    confirmed_at  TEXT
);

-- Why an expert is recused from an application and who said so: staff confirming a proposal ('staff') or
-- the expert declaring it ('expert'). Empty for recusals recorded before this migration (the audit log has
-- their reasons).
ALTER TABLE assignment ADD COLUMN recusal_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE assignment ADD COLUMN recusal_source TEXT NOT NULL DEFAULT ''
    CHECK (recusal_source IN ('', 'staff', 'expert'));

-- The expert's signed 回避声明 and 承诺书: the newest counts, all are kept.
CREATE TABLE declaration (
    id         INTEGER PRIMARY KEY,
    expert_id  INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
    -- Anything else the expert declares in words (may be empty).
    statement  TEXT NOT NULL DEFAULT '',
    signed_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Every submitted version of a sheet exactly as submitted (canonical JSON of its scores, comments and
-- deduction): a re-submission is compared with the version before it, item by item, for the audit log.
CREATE TABLE sheet_version (
    sheet_id      INTEGER NOT NULL REFERENCES sheet(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL CHECK (version >= 1),
    content       TEXT NOT NULL,
    submitted_at  TEXT NOT NULL,
    PRIMARY KEY (sheet_id, version)
);
CREATE TRIGGER sheet_version_no_update BEFORE UPDATE ON sheet_version
BEGIN
    SELECT RAISE(ABORT, 'submitted versions are kept as they were');
END;
