-- 007: a round of the office's own (新建评审批次): organiser, year, application deadline, the quota per
-- 推荐单位, and closing (结束评审: read-only while closed_at is set); the rubric library; veto items
-- (否定性指标) proposed by experts on their sheets and decided by the panel.
ALTER TABLE round ADD COLUMN organiser TEXT NOT NULL DEFAULT '';
ALTER TABLE round ADD COLUMN year INTEGER;
-- The application deadline as 'YYYY-MM-DD', or NULL.
ALTER TABLE round ADD COLUMN deadline TEXT;
-- At most this many applications per 推荐单位, or NULL.
ALTER TABLE round ADD COLUMN quota INTEGER CHECK (quota IS NULL OR quota > 0);
ALTER TABLE round ADD COLUMN closed_at TEXT;

-- Rubrics staff imported (the shipped ones live in the binary). A rubric is frozen into a round by copying
-- its text and hash; one in use by a round cannot be removed (checked by the store, which sees the hash).
CREATE TABLE rubric_library (
    id           INTEGER PRIMARY KEY,
    rubric_id    TEXT NOT NULL,
    title        TEXT NOT NULL,
    rubric_toml  TEXT NOT NULL,
    rubric_hash  TEXT NOT NULL UNIQUE,
    -- Where it came from: the file staff imported.
    source       TEXT NOT NULL,
    imported_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- An expert's proposal, on their sheet, that a veto item applies to the application, with the reason.
CREATE TABLE sheet_veto (
    sheet_id   INTEGER NOT NULL REFERENCES sheet(id) ON DELETE CASCADE,
    veto_code  TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (sheet_id, veto_code)
);

-- The panel's decision on a veto item for an application: upheld (the rubric's effect applies) or not. The
-- newest per item counts; all are kept.
CREATE TABLE veto_resolution (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    veto_code       TEXT NOT NULL,
    upheld          INTEGER NOT NULL CHECK (upheld IN (0, 1)),
    votes_for       INTEGER NOT NULL CHECK (votes_for >= 0),
    votes_against   INTEGER NOT NULL CHECK (votes_against >= 0),
    reason          TEXT NOT NULL,
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A closed round is read-only: no score, sheet, import, recusal, declaration, pin or panel decision changes
-- (the store turns 'round is closed' into a Chinese message). Reopening clears closed_at first.
CREATE TRIGGER score_closed_ins BEFORE INSERT ON score
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = NEW.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER score_closed_upd BEFORE UPDATE ON score
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = OLD.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER score_closed_del BEFORE DELETE ON score
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = OLD.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER deduction_closed_ins BEFORE INSERT ON deduction
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = NEW.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER deduction_closed_upd BEFORE UPDATE ON deduction
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = OLD.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER deduction_closed_del BEFORE DELETE ON deduction
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = OLD.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER sheet_veto_closed_ins BEFORE INSERT ON sheet_veto
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = NEW.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER sheet_veto_closed_upd BEFORE UPDATE ON sheet_veto
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = OLD.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER sheet_veto_closed_del BEFORE DELETE ON sheet_veto
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = OLD.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER evidence_closed_ins BEFORE INSERT ON evidence
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = NEW.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER evidence_closed_del BEFORE DELETE ON evidence
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = OLD.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER sheet_closed_ins BEFORE INSERT ON sheet
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = NEW.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER sheet_closed_upd BEFORE UPDATE ON sheet
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = OLD.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER assignment_closed_ins BEFORE INSERT ON assignment
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = NEW.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER assignment_closed_upd BEFORE UPDATE ON assignment
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = OLD.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER application_closed_ins BEFORE INSERT ON application
WHEN (SELECT closed_at FROM round WHERE id = NEW.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER application_closed_upd BEFORE UPDATE ON application
WHEN (SELECT closed_at FROM round WHERE id = OLD.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER expert_closed_ins BEFORE INSERT ON expert
WHEN (SELECT closed_at FROM round WHERE id = NEW.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER expert_closed_upd BEFORE UPDATE ON expert
WHEN (SELECT closed_at FROM round WHERE id = OLD.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER declaration_closed_ins BEFORE INSERT ON declaration
WHEN (SELECT r.closed_at FROM expert e JOIN round r ON r.id = e.round_id WHERE e.id = NEW.expert_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER deduction_resolution_closed_ins BEFORE INSERT ON deduction_resolution
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = NEW.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER flag_settlement_closed_ins BEFORE INSERT ON flag_settlement
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = NEW.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER veto_resolution_closed_ins BEFORE INSERT ON veto_resolution
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = NEW.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER consolidation_setting_closed_upd BEFORE UPDATE ON consolidation_setting
WHEN (SELECT closed_at FROM round WHERE id = OLD.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
