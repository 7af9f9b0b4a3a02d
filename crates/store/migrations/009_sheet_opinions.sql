-- 009: each expert's 推荐意见 and 综合意见 on a sheet, the round's rules for them; 复议 (reconsideration)
-- of chosen applications, with every change kept beside the first value.

-- The round's rules: 提交前须填写推荐意见 / 综合意见 (0 for rounds made before: they required nothing) and an
-- optional maximum length of the 综合意见, in characters.
ALTER TABLE round ADD COLUMN require_recommendation INTEGER NOT NULL DEFAULT 0 CHECK (require_recommendation IN (0, 1));
ALTER TABLE round ADD COLUMN require_opinion INTEGER NOT NULL DEFAULT 0 CHECK (require_opinion IN (0, 1));
ALTER TABLE round ADD COLUMN opinion_max_chars INTEGER CHECK (opinion_max_chars IS NULL OR opinion_max_chars > 0);

-- A sheet's 推荐意见 ('recommend' 推荐, 'not_recommend' 不推荐, NULL not yet given) and 综合意见.
ALTER TABLE sheet ADD COLUMN recommendation TEXT CHECK (recommendation IS NULL OR recommendation IN ('recommend', 'not_recommend'));
ALTER TABLE sheet ADD COLUMN opinion TEXT NOT NULL DEFAULT '';

-- A 复议 opened by the 组长 (an expert of the round, chosen by name) with its reason; closed once. At most
-- one open per round.
CREATE TABLE reconsideration (
    id          INTEGER PRIMARY KEY,
    round_id    INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
    opened_by   INTEGER NOT NULL REFERENCES expert(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (trim(reason) <> ''),
    actor       TEXT NOT NULL,
    opened_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    closed_at   TEXT,
    closed_by   TEXT
);
CREATE UNIQUE INDEX reconsideration_one_open ON reconsideration (round_id) WHERE closed_at IS NULL;

-- What a 复议 names: applications, each with the points (rubric items) to reconsider; item_code '' stands for
-- every point of the application.
CREATE TABLE reconsideration_target (
    reconsideration_id INTEGER NOT NULL REFERENCES reconsideration(id) ON DELETE CASCADE,
    application_id     INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    item_code          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (reconsideration_id, application_id, item_code)
);

-- Each reconsidered score: the value before and after and the reason, and where it came from ('paper': typed
-- by staff from the expert's paper; 'file': the expert's score file). Never rewritten.
CREATE TABLE reconsideration_change (
    id                 INTEGER PRIMARY KEY,
    reconsideration_id INTEGER NOT NULL REFERENCES reconsideration(id) ON DELETE CASCADE,
    sheet_id           INTEGER NOT NULL REFERENCES sheet(id) ON DELETE CASCADE,
    item_code          TEXT NOT NULL,
    old_tenths         INTEGER NOT NULL,
    new_tenths         INTEGER NOT NULL,
    reason             TEXT NOT NULL CHECK (trim(reason) <> ''),
    source             TEXT NOT NULL CHECK (source IN ('paper', 'file')),
    actor              TEXT NOT NULL,
    at                 TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TRIGGER reconsideration_change_no_update BEFORE UPDATE ON reconsideration_change
BEGIN SELECT RAISE(ABORT, 'a reconsidered score is never rewritten'); END;

-- A closed round is read-only (see 007).
CREATE TRIGGER reconsideration_closed_ins BEFORE INSERT ON reconsideration
WHEN (SELECT closed_at FROM round WHERE id = NEW.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER reconsideration_closed_upd BEFORE UPDATE ON reconsideration
WHEN (SELECT closed_at FROM round WHERE id = OLD.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER reconsideration_target_closed_ins BEFORE INSERT ON reconsideration_target
WHEN (SELECT r.closed_at FROM application a JOIN round r ON r.id = a.round_id WHERE a.id = NEW.application_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER reconsideration_change_closed_ins BEFORE INSERT ON reconsideration_change
WHEN (SELECT r.closed_at FROM sheet s JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id
      WHERE s.id = NEW.sheet_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
