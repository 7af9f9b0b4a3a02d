-- 004: consolidation settings of a round, panel resolutions on deductions, and how flags were settled.
CREATE TABLE consolidation_setting (
    round_id           INTEGER PRIMARY KEY REFERENCES round(id) ON DELETE CASCADE,
    -- 'trimmed_mean' | 'median' | 'per_item_trimmed_mean'
    aggregation        TEXT NOT NULL DEFAULT 'trimmed_mean'
                       CHECK (aggregation IN ('trimmed_mean', 'median', 'per_item_trimmed_mean')),
    trim_min_sheets    INTEGER NOT NULL DEFAULT 5 CHECK (trim_min_sheets >= 3),
    -- Group codes separated by commas.
    tiebreak_groups    TEXT NOT NULL DEFAULT '2,3,4',
    item_flag_percent  INTEGER NOT NULL DEFAULT 25 CHECK (item_flag_percent BETWEEN 0 AND 100),
    -- Integer tenths: 150 is 15 points.
    total_flag_tenths  INTEGER NOT NULL DEFAULT 150 CHECK (total_flag_tenths >= 0)
);
INSERT INTO consolidation_setting (round_id) SELECT id FROM round;

-- A panel resolution replacing the median deduction of an application. The newest one counts; all are kept.
CREATE TABLE deduction_resolution (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    tenths          INTEGER NOT NULL CHECK (tenths >= 0),
    votes_for       INTEGER NOT NULL CHECK (votes_for >= 0),
    votes_against   INTEGER NOT NULL CHECK (votes_against >= 0),
    reason          TEXT NOT NULL,
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- How a flag (a score far from the others) was settled: the expert's written reason or a panel resolution.
-- Flags never change a score; this only records why the score stands.
CREATE TABLE flag_settlement (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
    expert_code     TEXT NOT NULL,
    -- The item code, or '' for the total.
    item_code       TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL CHECK (kind IN ('expert_reason', 'panel_resolution')),
    text            TEXT NOT NULL,
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
