//! Evidence an expert pins to a score: a page of a supporting material (with the passage they selected, if
//! any) or a field of the 推荐书. Pinned evidence is shown on the scoring screen beside the score and printed
//! on the 专家评分表 ("2.3 章程与制度体系 4.5分 — 支撑材料 第14页"). A submitted sheet's evidence is locked
//! with it.

use pingshen_core::form;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{Result, StoreError};

/// Where a pin points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A page of a material of the sheet's application (pages from 1).
    Page { material_id: i64, page: u32 },
    /// A field of the 推荐书 (`core::form::FIELDS`).
    Field { field: String },
}

/// A pinned piece of evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pin {
    pub id: i64,
    pub item: String,
    pub target: Target,
    /// The material's title or the field's label, and the page: "支撑材料汇编 第14页", "推荐书·秘书处".
    pub label: String,
    pub passage: String,
}

/// Pins evidence to an item (or the deduction group) of an editable sheet; the material must belong to the
/// sheet's application. Returns the pin's id.
pub fn pin(conn: &Connection, sheet_id: i64, item: &str, target: &Target, passage: &str) -> Result<i64> {
    let (round_id, _, application_id) = crate::sheets::context(conn, sheet_id)?;
    crate::sheets::ensure_editable(conn, sheet_id)?;
    let rubric = crate::rounds::rubric(conn, round_id)?;
    let deduction = rubric.deduction.as_ref().is_some_and(|d| d.code == item);
    if rubric.item(item).is_none() && !deduction {
        return Err(pingshen_core::sheet::ScoreError::UnknownItem(item.to_string()).into());
    }
    let passage: String = passage.trim().chars().take(500).collect();
    match target {
        Target::Page { material_id, page } => {
            let pages: Option<u32> = conn
                .query_row("SELECT pages FROM material WHERE id = ?1 AND application_id = ?2", [*material_id, application_id], |r| r.get(0))
                .optional()?;
            let Some(pages) = pages else {
                return Err(StoreError::ForeignMaterial);
            };
            if *page == 0 || (pages > 0 && *page > pages) {
                return Err(StoreError::NoSuchPage { pages, page: *page });
            }
            conn.execute(
                "INSERT INTO evidence (sheet_id, item_code, material_id, page, passage) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![sheet_id, item, material_id, page, passage],
            )?;
        }
        Target::Field { field } => {
            if !form::FIELDS.iter().any(|f| f.id == field.as_str()) {
                return Err(StoreError::UnknownFormField { field: field.clone() });
            }
            conn.execute(
                "INSERT INTO evidence (sheet_id, item_code, field, passage) VALUES (?1, ?2, ?3, ?4)",
                params![sheet_id, item, field, passage],
            )?;
        }
    }
    Ok(conn.last_insert_rowid())
}

/// Removes a pin of an editable sheet.
pub fn unpin(conn: &Connection, sheet_id: i64, pin_id: i64) -> Result<()> {
    conn.query_row("SELECT 1 FROM evidence WHERE id = ?1 AND sheet_id = ?2", [pin_id, sheet_id], |_| Ok(()))
        .optional()?
        .ok_or(StoreError::NotFound { entity: "评分依据", id: pin_id })?;
    crate::sheets::ensure_editable(conn, sheet_id)?;
    conn.execute("DELETE FROM evidence WHERE id = ?1", [pin_id])?;
    Ok(())
}

/// The sheet's pins, by item then in the order they were pinned.
pub fn list(conn: &Connection, sheet_id: i64) -> Result<Vec<Pin>> {
    let mut st = conn.prepare(
        "SELECT e.id, e.item_code, e.material_id, e.page, e.field, e.passage, m.title, m.file
         FROM evidence e LEFT JOIN material m ON m.id = e.material_id
         WHERE e.sheet_id = ?1 ORDER BY e.item_code, e.id",
    )?;
    let rows = st.query_map([sheet_id], |r| {
        let material: Option<i64> = r.get(2)?;
        let page: Option<u32> = r.get(3)?;
        let field: Option<String> = r.get(4)?;
        let title: Option<String> = r.get(6)?;
        let file: Option<String> = r.get(7)?;
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, material, page, field, r.get::<_, String>(5)?, title, file))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, item, material, page, field, passage, title, file) = row?;
        let (target, label) = match (material, page, field) {
            (Some(material_id), Some(page), _) => {
                let name = title.filter(|t| !t.is_empty()).or(file).unwrap_or_default();
                (Target::Page { material_id, page }, format!("{name} 第{page}页"))
            }
            (_, _, Some(field)) => {
                let label = form::FIELDS.iter().find(|f| f.id == field).map(|f| f.label).unwrap_or(field.as_str()).to_string();
                (Target::Field { field }, format!("推荐书·{label}"))
            }
            _ => continue,
        };
        out.push(Pin { id, item, target, label, passage });
    }
    Ok(out)
}

/// Material pages for an item (or the deduction group) of a sheet, from the rubric's keywords for it: every
/// page that matches any keyword, ranked by how many different keywords it matches, then by the best
/// search rank; at most `limit`. The snippet is the best-ranked match's.
pub fn suggestions(conn: &Connection, sheet_id: i64, item: &str, limit: usize) -> Result<Vec<crate::search::Hit>> {
    let (round_id, _, application_id) = crate::sheets::context(conn, sheet_id)?;
    let rubric = crate::rounds::rubric(conn, round_id)?;
    let keywords = match (rubric.item(item), rubric.deduction.as_ref()) {
        (Some(i), _) => i.evidence.keywords.clone(),
        (None, Some(d)) if d.code == item => d.evidence.keywords.clone(),
        _ => return Err(pingshen_core::sheet::ScoreError::UnknownItem(item.to_string()).into()),
    };
    // (material, page) → (keywords matched, best rank, hit)
    let mut pages: Vec<(usize, f64, crate::search::Hit)> = Vec::new();
    for k in &keywords {
        for h in crate::search::search(conn, Some(application_id), round_id, k, 200)? {
            if h.material_id.is_none() {
                continue;
            }
            match pages.iter_mut().find(|(_, _, p)| p.material_id == h.material_id && p.page == h.page) {
                Some((n, best, kept)) => {
                    *n += 1;
                    if h.rank > *best {
                        *best = h.rank;
                        *kept = h;
                    }
                }
                None => pages.push((1, h.rank, h)),
            }
        }
    }
    pages.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)));
    Ok(pages.into_iter().take(limit).map(|(_, _, h)| h).collect())
}
