-- 006: application packages as they arrive (the 推荐书's source, scanned forms awaiting manual entry), the
-- text of every material page, one full-text search index, and evidence pinned to a score.

-- How the 推荐书 came in: the canonical package, a Word/WPS .docx, a text PDF, or a scanned PDF whose key
-- fields are typed in by hand (needs_manual_entry stays 1 until they are).
ALTER TABLE application ADD COLUMN source TEXT NOT NULL DEFAULT 'canonical'
    CHECK (source IN ('canonical', 'docx', 'pdf', 'scanned'));
ALTER TABLE application ADD COLUMN needs_manual_entry INTEGER NOT NULL DEFAULT 0
    CHECK (needs_manual_entry IN (0, 1));

-- The text of each page of a material (pages from 1); a page without usable text is a scanned page (扫描页),
-- still viewable.
CREATE TABLE material_page (
    material_id  INTEGER NOT NULL REFERENCES material(id) ON DELETE CASCADE,
    page         INTEGER NOT NULL CHECK (page >= 1),
    text         TEXT NOT NULL,
    scanned      INTEGER NOT NULL DEFAULT 0 CHECK (scanned IN (0, 1)),
    PRIMARY KEY (material_id, page)
);

-- One full-text index over every 推荐书 field and every material page. `grams` is the text as tokens made in
-- Rust (CJK as overlapping bigrams, Latin words and numbers whole, separated by spaces); a query is turned
-- into the same tokens and matched as a phrase. A row is a 推荐书 field (field set, material_id NULL) or a
-- material page (material_id and page set).
CREATE VIRTUAL TABLE search_index USING fts5(
    grams,
    application_id UNINDEXED,
    material_id UNINDEXED,
    page UNINDEXED,
    field UNINDEXED,
    tokenize = 'unicode61'
);
CREATE TRIGGER search_index_application_gone AFTER DELETE ON application
BEGIN
    DELETE FROM search_index WHERE application_id = OLD.id;
END;

-- Evidence an expert pins to a score: a material page (with the passage they selected, if any) or a 推荐书
-- field. `item_code` is an observation point's code or the deduction group's code.
CREATE TABLE evidence (
    id           INTEGER PRIMARY KEY,
    sheet_id     INTEGER NOT NULL REFERENCES sheet(id) ON DELETE CASCADE,
    item_code    TEXT NOT NULL,
    material_id  INTEGER REFERENCES material(id) ON DELETE CASCADE,
    page         INTEGER CHECK (page IS NULL OR page >= 1),
    field        TEXT,
    passage      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((material_id IS NOT NULL AND page IS NOT NULL) OR field IS NOT NULL)
);
CREATE INDEX evidence_sheet ON evidence (sheet_id, item_code);
