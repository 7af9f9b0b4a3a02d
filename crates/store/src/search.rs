//! Full-text search over a round's 推荐书 fields and material pages (Chinese and Latin).
//!
//! SQLite's FTS5 has no Chinese tokenizer, so the text is turned into tokens here ([`grams`]): CJK as
//! overlapping bigrams, Latin words and numbers whole and lower-cased, separated by spaces; FTS5's
//! `unicode61` tokenizer then only splits at the spaces. A query is turned into the same tokens and matched
//! as a phrase (each whitespace-separated term its own phrase, all of them required), ranked by bm25. A term
//! holding a lone CJK character (a one-character query) has no bigram to match, so such a query falls back
//! to `LIKE` over the page texts and a scan of the 推荐书 texts, ranked by the number of matches.
//!
//! The index has one row per non-empty 推荐书 field (`field` set) and one per material page (`material_id`,
//! `page` set). Its rowids are `application_id << 24 | n`, so that an application's rows are one rowid range
//! (re-indexing and searching one application do not scan the others). Snippets are cut from the real text
//! (the page's `material_page.text`, the field's text as the form shows it), never from the grams.

use std::collections::HashMap;

use pingshen_core::application::Application;
use pingshen_core::form::{self, BlockContent, FormBlock};
use rusqlite::{params, Connection, OptionalExtension};

use crate::{applications, Result};

/// One search result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub application_id: i64,
    /// The material of a page hit; `None` for a 推荐书 field.
    pub material_id: Option<i64>,
    /// The material's file name.
    pub file: Option<String>,
    /// The page (from 1) of a page hit.
    pub page: Option<u32>,
    /// The field id (`pingshen_core::form::FIELDS`) of a 推荐书 hit.
    pub field: Option<String>,
    /// About 80 characters of the real text around the first match, every match wrapped in 【】, `…` where
    /// the text is cut, whitespace runs as one space.
    pub snippet: String,
    /// Higher is better: −bm25 for an indexed search, the number of matches for a `LIKE` search.
    pub rank: f64,
}

/// Rows per application in the rowid space (see the module docs).
const ROWS_PER_APPLICATION: i64 = 1 << 24;

/// Characters of a snippet.
const SNIPPET_CHARS: usize = 80;

/// Full-width ASCII as ASCII (ＡＢＣ１２３ → ABC123), everything else as it is.
fn fold(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// A CJK character that is a letter of a word (not punctuation).
fn is_cjk_letter(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007          // 々 〆 〇
        | 0x3040..=0x30FF        // kana
        | 0x3400..=0x4DBF        // extension A
        | 0x4E00..=0x9FFF        // unified ideographs
        | 0xAC00..=0xD7AF        // hangul
        | 0xF900..=0xFAFF        // compatibility ideographs
        | 0x20000..=0x3FFFF) // extensions B…
}

/// A run of the text: CJK letters, or a Latin word / number.
enum Run {
    Cjk(Vec<char>),
    Word(String),
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cur: Option<Run> = None;
    for c in text.chars().map(fold) {
        if is_cjk_letter(c) {
            match &mut cur {
                Some(Run::Cjk(v)) => v.push(c),
                _ => {
                    out.extend(cur.take());
                    cur = Some(Run::Cjk(vec![c]));
                }
            }
        } else if c.is_alphanumeric() {
            match &mut cur {
                Some(Run::Word(w)) => w.extend(c.to_lowercase()),
                _ => {
                    out.extend(cur.take());
                    cur = Some(Run::Word(c.to_lowercase().collect()));
                }
            }
        } else if c.is_whitespace() && matches!(cur, Some(Run::Cjk(_))) {
            // A line break or space between CJK characters (a wrapped line, a spaced-out heading) does not
            // separate words.
        } else {
            out.extend(cur.take());
        }
    }
    out.extend(cur);
    out
}

fn push_tokens(run: &Run, out: &mut Vec<String>) {
    match run {
        Run::Cjk(v) if v.len() == 1 => out.push(v[0].to_string()),
        Run::Cjk(v) => out.extend(v.windows(2).map(|w| w.iter().collect::<String>())),
        Run::Word(w) => out.push(w.clone()),
    }
}

/// The text as index tokens: CJK as overlapping bigrams (a lone CJK character as itself), Latin words and
/// numbers whole and lower-cased (full-width forms as ASCII), separated by single spaces. Punctuation
/// separates runs and is dropped; so is whitespace, except between two CJK characters, where it is ignored
/// (a wrapped line, a spaced-out heading: "联 合 体" is 联合体).
pub fn grams(text: &str) -> String {
    let mut tokens = Vec::new();
    for r in runs(text) {
        push_tokens(&r, &mut tokens);
    }
    tokens.join(" ")
}

/// Stores the text of a material's pages (`(page from 1, text, scanned)`), replacing any stored before.
/// The search index is not touched: call [`index_application`] afterwards.
pub fn store_pages(conn: &Connection, material_id: i64, pages: &[(u32, String, bool)]) -> Result<()> {
    let mut st = conn.prepare_cached("INSERT OR REPLACE INTO material_page (material_id, page, text, scanned) VALUES (?1, ?2, ?3, ?4)")?;
    for (page, text, scanned) in pages {
        st.execute(params![material_id, page, text, scanned])?;
    }
    Ok(())
}

/// A 推荐书 field's text as it reads: label：value lines, table rows with a value, running text. Empty
/// when nothing is filled in.
pub fn block_text(block: &FormBlock) -> String {
    match &block.content {
        BlockContent::Pairs(rows) => {
            rows.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| format!("{k}：{v}")).collect::<Vec<_>>().join("\n")
        }
        BlockContent::Table { rows, .. } => rows
            .iter()
            .filter(|r| r.iter().skip(1).any(|c| !c.trim().is_empty()) || (r.len() == 1 && !r[0].trim().is_empty()))
            .map(|r| r.iter().filter(|c| !c.trim().is_empty()).cloned().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n"),
        BlockContent::Text { text, .. } => text.trim().to_string(),
    }
}

/// Every non-empty field of a 推荐书 with its text, in form order.
pub fn field_texts(app: &Application) -> Vec<(&'static str, String)> {
    form::render(app).sections.iter().flat_map(|s| s.blocks.iter()).map(|b| (b.field, block_text(b))).filter(|(_, t)| !t.is_empty()).collect()
}

/// Removes an application's rows from the index (before the application itself is deleted).
pub(crate) fn remove_application(conn: &Connection, application_id: i64) -> Result<()> {
    let base = application_id * ROWS_PER_APPLICATION;
    conn.execute("DELETE FROM search_index WHERE rowid >= ?1 AND rowid < ?2", params![base, base + ROWS_PER_APPLICATION])?;
    Ok(())
}

/// (Re-)indexes an application: its rows are deleted, then one row per non-empty 推荐书 field and one per
/// stored material page are inserted. Atomic.
pub fn index_application(conn: &Connection, application_id: i64) -> Result<()> {
    crate::atomically(conn, || {
        let (_, app) = applications::get(conn, application_id)?;
        let base = application_id * ROWS_PER_APPLICATION;
        conn.execute("DELETE FROM search_index WHERE rowid >= ?1 AND rowid < ?2", params![base, base + ROWS_PER_APPLICATION])?;
        let mut insert =
            conn.prepare_cached("INSERT INTO search_index (rowid, grams, application_id, material_id, page, field) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        let mut n = 0i64;
        for (field, text) in field_texts(&app) {
            insert.execute(params![base + n, grams(&text), application_id, None::<i64>, None::<i64>, field])?;
            n += 1;
        }
        let mut pages = conn.prepare_cached(
            "SELECT p.material_id, p.page, p.text FROM material_page p JOIN material m ON m.id = p.material_id
             WHERE m.application_id = ?1 ORDER BY p.material_id, p.page",
        )?;
        let mut rows = pages.query([application_id])?;
        while let Some(r) = rows.next()? {
            let (material_id, page, text): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let g = grams(&text);
            if g.is_empty() {
                continue;
            }
            if n + 1 >= ROWS_PER_APPLICATION {
                return Err(crate::StoreError::TooManyPages);
            }
            insert.execute(params![base + n, g, application_id, material_id, page, None::<String>])?;
            n += 1;
        }
        Ok(())
    })
}

/// A query as terms (split at whitespace), each with its tokens; `None` when some term cannot be matched
/// through the index (a lone CJK character, or nothing but punctuation).
fn query_terms(query: &str) -> Option<Vec<Vec<String>>> {
    let mut terms = Vec::new();
    for term in query.split_whitespace().flat_map(|t| t.split('\u{3000}')).filter(|t| !t.is_empty()) {
        let runs = runs(term);
        if runs.is_empty() || runs.iter().any(|r| matches!(r, Run::Cjk(v) if v.len() == 1)) {
            return None;
        }
        let mut tokens = Vec::new();
        for r in &runs {
            push_tokens(r, &mut tokens);
        }
        terms.push(tokens);
    }
    (!terms.is_empty()).then_some(terms)
}

/// Searches a round (or one application of it) for `query`; at most `limit` hits, best first.
pub fn search(conn: &Connection, application_id: Option<i64>, round_id: i64, query: &str, limit: usize) -> Result<Vec<Hit>> {
    let words: Vec<String> = query.split_whitespace().flat_map(|t| t.split('\u{3000}')).filter(|t| !t.is_empty()).map(String::from).collect();
    if words.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let mut hits = match query_terms(query) {
        Some(terms) => indexed(conn, application_id, round_id, &terms, limit)?,
        None => scanned(conn, application_id, round_id, &words, limit)?,
    };
    // Snippets from the real text.
    let mut forms: HashMap<i64, Vec<(&'static str, String)>> = HashMap::new();
    for h in &mut hits {
        let text = match (h.material_id, h.page, &h.field) {
            (Some(m), Some(p), _) => conn
                .query_row("SELECT text FROM material_page WHERE material_id = ?1 AND page = ?2", params![m, p], |r| r.get(0))
                .optional()?
                .unwrap_or_default(),
            (_, _, Some(f)) => {
                if let std::collections::hash_map::Entry::Vacant(e) = forms.entry(h.application_id) {
                    e.insert(field_texts(&applications::get(conn, h.application_id)?.1));
                }
                forms[&h.application_id].iter().find(|(id, _)| id == f).map(|(_, t)| t.clone()).unwrap_or_default()
            }
            _ => String::new(),
        };
        h.snippet = snippet(&text, &words);
    }
    Ok(hits)
}

fn indexed(conn: &Connection, application_id: Option<i64>, round_id: i64, terms: &[Vec<String>], limit: usize) -> Result<Vec<Hit>> {
    let expr = terms.iter().map(|t| format!("\"{}\"", t.join(" ").replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ");
    // The applications searched, as one rowid range (FTS5 narrows a MATCH by a rowid range before ranking);
    // applications of other rounds inside the range (ids not contiguous) are filtered out row by row.
    let ids: Vec<i64> = match application_id {
        Some(a) => {
            let in_round: Option<i64> =
                conn.query_row("SELECT id FROM application WHERE id = ?1 AND round_id = ?2", [a, round_id], |r| r.get(0)).optional()?;
            in_round.into_iter().collect()
        }
        None => conn
            .prepare_cached("SELECT id FROM application WHERE round_id = ?1 ORDER BY id")?
            .query_map([round_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
    };
    let (Some(first), Some(last)) = (ids.first(), ids.last()) else { return Ok(Vec::new()) };
    let contiguous = (last - first) as usize + 1 == ids.len();
    let (lo, hi) = (first * ROWS_PER_APPLICATION, (last + 1) * ROWS_PER_APPLICATION);
    // Rank first, reading nothing but the rowid; the columns only of the hits kept.
    let ranked: Vec<(i64, f64)> = {
        let mut st = conn.prepare_cached(if contiguous {
            "SELECT rowid, bm25(search_index) AS score FROM search_index
             WHERE search_index MATCH ?1 AND rowid >= ?2 AND rowid < ?3 ORDER BY score, rowid LIMIT ?4"
        } else {
            "SELECT rowid, bm25(search_index) AS score FROM search_index
             WHERE search_index MATCH ?1 AND rowid >= ?2 AND rowid < ?3
               AND application_id IN (SELECT id FROM application WHERE round_id = ?5)
             ORDER BY score, rowid LIMIT ?4"
        })?;
        let limit = limit.min(i64::MAX as usize) as i64;
        let rows = if contiguous {
            st.query_map(params![expr, lo, hi, limit], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        } else {
            st.query_map(params![expr, lo, hi, limit, round_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        };
        rows
    };
    let mut detail = conn.prepare_cached(
        "SELECT s.application_id, s.material_id, s.page, s.field, m.file
         FROM search_index s LEFT JOIN material m ON m.id = s.material_id WHERE s.rowid = ?1",
    )?;
    let mut hits = Vec::with_capacity(ranked.len());
    for (rowid, score) in ranked {
        hits.push(detail.query_row([rowid], |r| {
            Ok(Hit {
                application_id: r.get(0)?,
                material_id: r.get(1)?,
                page: r.get::<_, Option<i64>>(2)?.map(|p| p as u32),
                field: r.get(3)?,
                file: r.get(4)?,
                snippet: String::new(),
                rank: -score,
            })
        })?);
    }
    Ok(hits)
}

/// The fallback: `LIKE` over the page texts, a scan of the 推荐书 texts; ranked by the number of matches.
fn scanned(conn: &Connection, application_id: Option<i64>, round_id: i64, words: &[String], limit: usize) -> Result<Vec<Hit>> {
    let like = |w: &str| format!("%{}%", w.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let mut sql = String::from(
        "SELECT m.application_id, m.id, m.file, p.page, p.text FROM material_page p
         JOIN material m ON m.id = p.material_id JOIN application a ON a.id = m.application_id
         WHERE a.round_id = ?1 AND (?2 IS NULL OR a.id = ?2)",
    );
    for i in 0..words.len() {
        sql.push_str(&format!(" AND p.text LIKE ?{} ESCAPE '\\'", i + 3));
    }
    let mut values: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(round_id), Box::new(application_id)];
    values.extend(words.iter().map(|w| Box::new(like(w)) as Box<dyn rusqlite::ToSql>));
    let mut st = conn.prepare(&sql)?;
    let mut hits = Vec::new();
    let mut rows = st.query(rusqlite::params_from_iter(values.iter().map(|b| b.as_ref())))?;
    while let Some(r) = rows.next()? {
        let text: String = r.get(4)?;
        let n = count_all(&text, words);
        if n > 0 {
            hits.push(Hit {
                application_id: r.get(0)?,
                material_id: Some(r.get(1)?),
                file: Some(r.get(2)?),
                page: Some(r.get::<_, i64>(3)? as u32),
                field: None,
                snippet: String::new(),
                rank: n as f64,
            });
        }
    }
    let apps: Vec<i64> = match application_id {
        Some(a) => vec![a],
        None => applications::list(conn, round_id)?.into_iter().map(|a| a.id).collect(),
    };
    for a in apps {
        let (row, app) = applications::get(conn, a)?;
        if row.round_id != round_id {
            continue;
        }
        for (field, text) in field_texts(&app) {
            let n = count_all(&text, words);
            if n > 0 {
                hits.push(Hit {
                    application_id: a,
                    material_id: None,
                    file: None,
                    page: None,
                    field: Some(field.to_string()),
                    snippet: String::new(),
                    rank: n as f64,
                });
            }
        }
    }
    hits.sort_by(|x, y| {
        y.rank.total_cmp(&x.rank).then(x.application_id.cmp(&y.application_id)).then(x.material_id.cmp(&y.material_id)).then(x.page.cmp(&y.page))
    });
    hits.truncate(limit);
    Ok(hits)
}

/// Matches of every word in the text; 0 unless every word occurs.
fn count_all(text: &str, words: &[String]) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut total = 0;
    for w in words {
        let n = matches(&chars, w).len();
        if n == 0 {
            return 0;
        }
        total += n;
    }
    total
}

fn norm(c: char) -> char {
    fold(c).to_ascii_lowercase()
}

/// Where `word` occurs in `text` (char ranges, not overlapping), ignoring case, full-width forms and
/// whitespace inside the text (a line break in the middle of a term).
fn matches(text: &[char], word: &str) -> Vec<(usize, usize)> {
    let q: Vec<char> = word.chars().map(norm).filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    if q.is_empty() {
        return out;
    }
    let mut i = 0;
    while i < text.len() {
        if norm(text[i]) != q[0] {
            i += 1;
            continue;
        }
        let (mut j, mut k) = (i, 0);
        while k < q.len() && j < text.len() {
            let c = norm(text[j]);
            if c.is_whitespace() && k > 0 {
                j += 1;
            } else if c == q[k] {
                j += 1;
                k += 1;
            } else {
                break;
            }
        }
        if k == q.len() {
            out.push((i, j));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// About [`SNIPPET_CHARS`] characters around the first match, the matches wrapped in 【】.
fn snippet(text: &str, words: &[String]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut found: Vec<(usize, usize)> = words.iter().flat_map(|w| matches(&chars, w)).collect();
    found.sort();
    let (start, end) = match found.first() {
        None => (0, chars.len().min(SNIPPET_CHARS)),
        Some(&(s, e)) => {
            let start = s.saturating_sub(SNIPPET_CHARS / 4);
            let end = (start + SNIPPET_CHARS).max(e).min(chars.len());
            let start = if end - start < SNIPPET_CHARS { end.saturating_sub(SNIPPET_CHARS).min(s) } else { start };
            (start, end)
        }
    };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut open = false;
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        if !open && found.iter().any(|&(s, e)| (s == i || (s < start && i == start)) && e > i) {
            out.push('【');
            open = true;
        }
        if c.is_whitespace() {
            if !out.ends_with(' ') && !out.ends_with('【') && !out.ends_with('…') && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
        if open && found.iter().any(|&(s, e)| s <= i && e == i + 1) {
            out.push('】');
            open = false;
        }
    }
    if open {
        out.push('】');
    }
    let out = out.trim_end().to_string();
    if end < chars.len() {
        out + "…"
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounds::{self, NewApplication, NewMaterial, NewRound};
    use pingshen_core::application::parse_application;

    const HENAN: &str = include_str!("../../../rubrics/henan-2023/rubric.toml");
    const JIYUAN: &str = include_str!("../../../sample-applications/jiyuan/application.toml");

    const PAGE: &str = "联合体秘书处设在济源职业技术学院，理事会每半年召开一次全体\n会议。\n质量体系通过 ISO 9001 认证，2023年新增实训基地3个。";

    fn material(file: &str, pages: &[&str]) -> NewMaterial {
        NewMaterial {
            file: file.into(),
            title: file.into(),
            pages: pages.len() as u32,
            content: b"%PDF-1.4".to_vec(),
            page_texts: pages.iter().enumerate().map(|(i, t)| (i as u32 + 1, t.to_string(), t.trim().is_empty())).collect(),
        }
    }

    /// A round with two applications: A01 (the 济源 sample form, materials as given) and A02 (an empty
    /// form, one page). Returns (round, A01, A02).
    fn round(conn: &mut Connection, materials: Vec<NewMaterial>) -> (i64, i64, i64) {
        let new = NewRound {
            name: "检索".into(),
            rubric_text: HENAN.into(),
            applications: vec![
                NewApplication { code: "A01".into(), application: parse_application(JIYUAN).unwrap(), materials },
                NewApplication {
                    code: "A02".into(), application: Default::default(), materials: vec![material("别的.pdf", &["秘书处设在别处。"])]
                },
            ],
            experts: vec![],
            is_sample: false,
            uid: None,
        };
        let r = rounds::create(conn, &new, "测试").unwrap();
        let apps = applications::list(conn, r).unwrap();
        (r, apps[0].id, apps[1].id)
    }

    #[test]
    fn grams_are_cjk_bigrams_and_whole_latin_words() {
        assert_eq!(grams("产教融合"), "产教 教融 融合");
        assert_eq!(grams("院"), "院");
        assert_eq!(grams("通过ISO 9001认证，5G网络"), "通过 iso 9001 认证 5g 网络");
        assert_eq!(grams("ＩＳＯ９００１　质量"), "iso9001 质量");
        assert_eq!(grams("“产教”\n融合。"), "产教 融合");
        assert_eq!(grams("。，！"), "");
        assert_eq!(grams("全体\n会议 章 程"), "全体 体会 会议 议章 章程");
        assert_eq!(grams("产教 ISO"), "产教 iso");
    }

    #[test]
    fn pages_are_stored_and_indexed_at_round_creation_and_reindexing_is_idempotent() {
        let mut conn = crate::open_in_memory().unwrap();
        let (_, a, _) = round(&mut conn, vec![material("支撑材料.pdf", &[PAGE, " "])]);
        let pages: Vec<(i64, String, bool)> = conn
            .prepare("SELECT page, text, scanned FROM material_page ORDER BY material_id, page")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(pages[0], (1, PAGE.to_string(), false));
        assert_eq!(pages[1], (2, " ".to_string(), true));
        let count =
            |conn: &Connection| -> i64 { conn.query_row("SELECT count(*) FROM search_index WHERE application_id = ?1", [a], |r| r.get(0)).unwrap() };
        let n = count(&conn);
        let fields = field_texts(&parse_application(JIYUAN).unwrap()).len() as i64;
        assert_eq!(n, fields + 1, "one row per non-empty field and per page with text");
        index_application(&conn, a).unwrap();
        index_application(&conn, a).unwrap();
        assert_eq!(count(&conn), n);
    }

    #[test]
    fn every_chinese_term_of_a_page_is_found() {
        let mut conn = crate::open_in_memory().unwrap();
        let (r, a, _) = round(&mut conn, vec![material("支撑材料.pdf", &["无关的一页。", PAGE])]);
        let chars: Vec<char> = PAGE.chars().collect();
        let mut checked = 0;
        for i in 0..chars.len() {
            for len in 2..=6 {
                let Some(term) = chars.get(i..i + len) else { continue };
                if !term.iter().all(|c| is_cjk_letter(*c)) {
                    continue;
                }
                let term: String = term.iter().collect();
                let hits = search(&conn, Some(a), r, &term, 20).unwrap();
                assert!(hits.iter().any(|h| h.page == Some(2) && h.file.as_deref() == Some("支撑材料.pdf")), "{term}: {hits:?}");
                let h = hits.iter().find(|h| h.page == Some(2)).unwrap();
                assert!(h.snippet.contains(&format!("【{term}】")), "{term}: {}", h.snippet);
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
        // A term broken over a line in the page text is found and highlighted whole.
        let hits = search(&conn, Some(a), r, "全体会议", 5).unwrap();
        let h = hits.iter().find(|h| h.page.is_some()).expect("page hit");
        assert_eq!((h.page, h.snippet.contains("【全体 会议】")), (Some(2), true), "{}", h.snippet);
    }

    #[test]
    fn a_one_character_query_falls_back_to_like() {
        let mut conn = crate::open_in_memory().unwrap();
        let (r, a, b) = round(&mut conn, vec![material("支撑材料.pdf", &[PAGE])]);
        let hits = search(&conn, None, r, "院", 50).unwrap();
        let page = hits.iter().find(|h| h.application_id == a && h.page == Some(1)).expect("page hit");
        assert!(page.snippet.contains("【院】"), "{}", page.snippet);
        assert!(hits.iter().any(|h| h.application_id == a && h.field.is_some()), "the 推荐书 is searched too");
        assert!(hits.iter().all(|h| h.application_id != b), "A02 has no 院");
        assert!(hits.windows(2).all(|w| w[0].rank >= w[1].rank));
        let hits = search(&conn, Some(b), r, "处", 50).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].snippet, "秘书【处】设在别【处】。");
        assert_eq!(hits[0].rank, 2.0);
    }

    #[test]
    fn the_page_with_more_matches_ranks_first() {
        let mut conn = crate::open_in_memory().unwrap();
        let once = "本页介绍园区概况，提到产教融合一次，其余是关于园区道路、绿化、交通和配套设施的说明文字。";
        let thrice = "产教融合是主线：产教融合平台、产教融合项目。";
        let (r, a, _) = round(&mut conn, vec![material("甲.pdf", &[once, thrice, "无关"])]);
        let hits: Vec<Hit> = search(&conn, Some(a), r, "产教融合", 10).unwrap().into_iter().filter(|h| h.page.is_some()).collect();
        assert_eq!(hits.iter().map(|h| h.page.unwrap()).collect::<Vec<_>>(), [2, 1]);
        assert!(hits[0].rank > hits[1].rank);
        assert_eq!(hits[0].snippet, "【产教融合】是主线：【产教融合】平台、【产教融合】项目。");
    }

    #[test]
    fn latin_words_and_numbers_are_found_case_and_width_insensitively() {
        let mut conn = crate::open_in_memory().unwrap();
        let (r, a, _) = round(&mut conn, vec![material("支撑材料.pdf", &[PAGE])]);
        for q in ["iso", "ISO", "ＩＳＯ", "9001", "ISO 9001", "2023年", "3个"] {
            let hits = search(&conn, Some(a), r, q, 10).unwrap();
            assert!(hits.iter().any(|h| h.page == Some(1)), "{q}: {hits:?}");
        }
        let h = search(&conn, Some(a), r, "iso", 10).unwrap().into_iter().find(|h| h.page == Some(1)).unwrap();
        assert!(h.snippet.contains("【ISO】 9001"), "{}", h.snippet);
        assert!(search(&conn, Some(a), r, "9002", 10).unwrap().is_empty());
    }

    #[test]
    fn form_fields_are_found_with_their_field_id_and_a_real_snippet() {
        let mut conn = crate::open_in_memory().unwrap();
        let (r, a, _) = round(&mut conn, vec![]);
        let hits = search(&conn, None, r, "现场工程师专项培养计划", 10).unwrap();
        let h = hits.iter().find(|h| h.field.as_deref() == Some("features")).expect("features");
        assert_eq!((h.application_id, h.material_id, h.page), (a, None, None));
        assert!(h.snippet.contains("【现场工程师专项培养计划】"), "{}", h.snippet);
        assert!(h.snippet.starts_with('…') && h.snippet.ends_with('…'), "{}", h.snippet);
        assert!(h.snippet.chars().count() <= SNIPPET_CHARS + 4, "{}", h.snippet);
    }

    #[test]
    fn search_stays_in_its_round_and_application() {
        let mut conn = crate::open_in_memory().unwrap();
        let (r1, a1, b1) = round(&mut conn, vec![material("甲.pdf", &[PAGE])]);
        let (r2, _, _) = round(&mut conn, vec![material("乙.pdf", &[PAGE])]);
        let hits = search(&conn, None, r1, "秘书处", 20).unwrap();
        assert!(hits.iter().any(|h| h.application_id == a1) && hits.iter().any(|h| h.application_id == b1));
        assert!(hits.iter().all(|h| h.file.as_deref() != Some("乙.pdf")));
        assert!(search(&conn, Some(b1), r1, "秘书处", 20).unwrap().iter().all(|h| h.application_id == b1));
        assert!(search(&conn, Some(a1), r2, "秘书处", 20).unwrap().is_empty(), "an application of another round");
        assert!(search(&conn, None, r1, "  ", 20).unwrap().is_empty());
        assert!(search(&conn, None, r1, "\"%*", 20).unwrap().is_empty());
    }
}
