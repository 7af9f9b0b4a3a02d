-- 001: rounds, applications, materials, experts, assignments, sheets, scores, deductions, audit log.
CREATE TABLE round (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    rubric_id     TEXT NOT NULL,
    rubric_title  TEXT NOT NULL,
    -- The rubric is frozen into the round at creation: its text and the hash of its canonical form.
    rubric_toml   TEXT NOT NULL,
    rubric_hash   TEXT NOT NULL,
    is_sample     INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TRIGGER round_rubric_frozen BEFORE UPDATE OF rubric_id, rubric_toml, rubric_hash ON round
BEGIN
    SELECT RAISE(ABORT, 'rubric is frozen for the round');
END;

CREATE TABLE application (
    id         INTEGER PRIMARY KEY,
    round_id   INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
    -- 申报编号 within the round.
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    -- The structured 推荐书 in the canonical package text (application.toml).
    body_toml  TEXT NOT NULL,
    UNIQUE (round_id, code)
);

CREATE TABLE material (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    file            TEXT NOT NULL,
    title           TEXT NOT NULL,
    pages           INTEGER NOT NULL CHECK (pages >= 0),
    sha256          TEXT NOT NULL,
    content         BLOB NOT NULL,
    UNIQUE (application_id, file)
);

CREATE TABLE expert (
    id        INTEGER PRIMARY KEY,
    round_id  INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
    code      TEXT NOT NULL,
    name      TEXT NOT NULL,
    unit      TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL DEFAULT '',
    field     TEXT NOT NULL DEFAULT '',
    phone     TEXT NOT NULL DEFAULT '',
    UNIQUE (round_id, code)
);

CREATE TABLE assignment (
    expert_id       INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
    application_id  INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    recused         INTEGER NOT NULL DEFAULT 0 CHECK (recused IN (0, 1)),
    PRIMARY KEY (expert_id, application_id)
);

CREATE TABLE sheet (
    id              INTEGER PRIMARY KEY,
    expert_id       INTEGER NOT NULL,
    application_id  INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    version         INTEGER NOT NULL DEFAULT 0,
    submitted_at    TEXT,
    UNIQUE (expert_id, application_id),
    FOREIGN KEY (expert_id, application_id) REFERENCES assignment(expert_id, application_id) ON DELETE CASCADE
);

-- Scores are integer tenths of a point: 45 is 4.5.
CREATE TABLE score (
    sheet_id    INTEGER NOT NULL REFERENCES sheet(id) ON DELETE CASCADE,
    item_code   TEXT NOT NULL,
    tenths      INTEGER CHECK (tenths IS NULL OR tenths >= 0),
    comment     TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (sheet_id, item_code)
);

CREATE TABLE deduction (
    sheet_id    INTEGER PRIMARY KEY REFERENCES sheet(id) ON DELETE CASCADE,
    tenths      INTEGER NOT NULL CHECK (tenths >= 0),
    reason      TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    entity  TEXT NOT NULL,
    detail  TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
