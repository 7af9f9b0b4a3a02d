-- 003: a stable identity for a round (批次标识), the same on every machine that holds the round; score files
-- name their round by it. Rounds made before this migration get a fresh random one.
ALTER TABLE round ADD COLUMN uid TEXT;
UPDATE round SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX round_uid ON round (uid);

-- A round inserted without one (a hand-made row, an older code path) gets one at once.
CREATE TRIGGER round_uid_default AFTER INSERT ON round WHEN NEW.uid IS NULL
BEGIN
    UPDATE round SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id;
END;

-- Once set, a round's identity never changes.
CREATE TRIGGER round_uid_frozen BEFORE UPDATE OF uid ON round WHEN OLD.uid IS NOT NULL AND NEW.uid IS NOT OLD.uid
BEGIN
    SELECT RAISE(ABORT, 'round uid is frozen');
END;
