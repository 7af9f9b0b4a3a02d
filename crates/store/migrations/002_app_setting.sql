-- 002: per-database settings of the app itself (e.g. whether the sample round was offered).
CREATE TABLE app_setting (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
