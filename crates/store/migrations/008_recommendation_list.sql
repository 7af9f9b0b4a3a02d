-- 008: the 推荐名单. The round's line (名额 and/or 最低分数线) and its 公示 settings; the panel's decisions on a
-- tie at the places line (all kept, the newest counting); and each confirmation of the list, frozen as it was
-- confirmed (its rows), until reopened with a reason.
CREATE TABLE recommendation_setting (
    round_id        INTEGER PRIMARY KEY REFERENCES round(id) ON DELETE CASCADE,
    -- 推荐名额, or NULL.
    places          INTEGER CHECK (places IS NULL OR places > 0),
    -- 最低分数线 in integer tenths, or NULL.
    min_tenths      INTEGER CHECK (min_tenths IS NULL OR min_tenths >= 0),
    -- The order of the 公示名单: 'rank' or 'recommender' (by 推荐单位, then rank).
    publicity_order TEXT NOT NULL DEFAULT 'rank' CHECK (publicity_order IN ('rank', 'recommender')),
    -- The 公示 notice: period ('YYYY-MM-DD' or ''), contact, phone and the publishing unit.
    notice_start    TEXT NOT NULL DEFAULT '',
    notice_end      TEXT NOT NULL DEFAULT '',
    contact         TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    publisher       TEXT NOT NULL DEFAULT ''
);

-- The panel's decision on a tie at the places line: the tied applications (申报编号, comma-separated, sorted),
-- their exact final score (numerator/denominator), the places left, the chosen ones (comma-separated).
CREATE TABLE recommendation_tie_decision (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
    tied           TEXT NOT NULL,
    final_num      INTEGER NOT NULL,
    final_den      INTEGER NOT NULL CHECK (final_den > 0),
    places_left    INTEGER NOT NULL CHECK (places_left > 0),
    chosen         TEXT NOT NULL,
    by_tiebreak    INTEGER NOT NULL CHECK (by_tiebreak IN (0, 1)),
    votes_for      INTEGER NOT NULL CHECK (votes_for >= 0),
    votes_against  INTEGER NOT NULL CHECK (votes_against >= 0),
    reason         TEXT NOT NULL,
    actor          TEXT NOT NULL,
    at             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Each confirmation of the list (seq counts 1, 2, … per round); the one with reopened_at NULL, if any, is the
-- list in force.
CREATE TABLE recommendation_confirmation (
    round_id       INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL CHECK (seq > 0),
    places         INTEGER,
    min_tenths     INTEGER,
    -- The tie decision in force when confirmed, in words ('' when none).
    decision       TEXT NOT NULL DEFAULT '',
    actor          TEXT NOT NULL,
    confirmed_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    reopened_at    TEXT,
    reopen_reason  TEXT,
    reopened_by    TEXT,
    PRIMARY KEY (round_id, seq)
);

-- The frozen rows of a confirmation, in the ranking's order.
CREATE TABLE recommendation_row (
    round_id        INTEGER NOT NULL REFERENCES round(id) ON DELETE CASCADE,
    -- The confirmation (recommendation_confirmation.seq of the same round) it belongs to.
    seq             INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    rank            INTEGER,
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    recommender     TEXT NOT NULL,
    lead_school     TEXT NOT NULL,
    lead_enterprise TEXT NOT NULL,
    -- The exact final score, or NULL (待补).
    final_num       INTEGER,
    final_den       INTEGER,
    recommended     INTEGER NOT NULL CHECK (recommended IN (0, 1)),
    -- Why not recommended ('' when recommended): pending, disqualified, below_minimum, outside_places.
    reason          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, seq, position)
);

-- A closed round is read-only.
CREATE TRIGGER recommendation_setting_closed_ins BEFORE INSERT ON recommendation_setting
WHEN (SELECT closed_at FROM round WHERE id = NEW.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER recommendation_setting_closed_upd BEFORE UPDATE ON recommendation_setting
WHEN (SELECT closed_at FROM round WHERE id = OLD.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER recommendation_tie_decision_closed_ins BEFORE INSERT ON recommendation_tie_decision
WHEN (SELECT closed_at FROM round WHERE id = NEW.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER recommendation_confirmation_closed_ins BEFORE INSERT ON recommendation_confirmation
WHEN (SELECT closed_at FROM round WHERE id = NEW.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER recommendation_confirmation_closed_upd BEFORE UPDATE ON recommendation_confirmation
WHEN (SELECT closed_at FROM round WHERE id = OLD.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
CREATE TRIGGER recommendation_row_closed_ins BEFORE INSERT ON recommendation_row
WHEN (SELECT closed_at FROM round WHERE id = NEW.round_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'round is closed'); END;
-- A frozen row is never changed.
CREATE TRIGGER recommendation_row_frozen BEFORE UPDATE ON recommendation_row
BEGIN SELECT RAISE(ABORT, 'recommendation list is frozen'); END;
