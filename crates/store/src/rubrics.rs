//! The rubric library: rubrics staff imported (from a rubric TOML or the .xlsx template), each kept as its
//! canonical text with its hash. The shipped rubrics live in the binary, not here. A rubric is frozen into a
//! round by copying its text; one whose hash a round holds cannot be removed.

use pingshen_core::rubric::{self, Rubric};
use rusqlite::{params, Connection, OptionalExtension};

use crate::{audit, Result, StoreError};

/// A rubric of the library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryRubric {
    pub id: i64,
    pub rubric_id: String,
    pub title: String,
    pub text: String,
    pub hash: String,
    /// The file it was imported from.
    pub source: String,
    pub imported_at: String,
}

/// Every imported rubric, newest first.
pub fn list(conn: &Connection) -> Result<Vec<LibraryRubric>> {
    let mut st = conn.prepare("SELECT id, rubric_id, title, rubric_toml, rubric_hash, source, imported_at FROM rubric_library ORDER BY id DESC")?;
    let rows = st.query_map([], |r| {
        Ok(LibraryRubric {
            id: r.get(0)?,
            rubric_id: r.get(1)?,
            title: r.get(2)?,
            text: r.get(3)?,
            hash: r.get(4)?,
            source: r.get(5)?,
            imported_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One imported rubric.
pub fn get(conn: &Connection, id: i64) -> Result<LibraryRubric> {
    list(conn)?.into_iter().find(|r| r.id == id).ok_or(StoreError::NotFound { entity: "评分标准", id })
}

/// Adds a rubric (its text must parse; the caller has shown every problem already), logged; its id back.
/// The same rubric (same hash) twice is refused.
pub fn add(conn: &Connection, text: &str, source: &str, actor: &str) -> Result<i64> {
    let r: Rubric =
        rubric::parse(text).map_err(|e| StoreError::RubricUnreadable(e.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("；")))?;
    let hash = r.hash();
    if let Some(title) = conn.query_row("SELECT title FROM rubric_library WHERE rubric_hash = ?1", [&hash], |r| r.get(0)).optional()? {
        return Err(StoreError::RubricExists { title });
    }
    crate::atomically(conn, || {
        conn.execute(
            "INSERT INTO rubric_library (rubric_id, title, rubric_toml, rubric_hash, source) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![r.id, r.title, text, hash, source],
        )?;
        let id = conn.last_insert_rowid();
        let detail = format!("导入评分标准「{}」（校验码 {}），来自 {source}", r.title, rubric::fingerprint(&hash));
        audit::append(conn, actor, audit::Action::ImportRubric, &format!("rubric:{id}"), &detail)?;
        Ok(id)
    })
}

/// Removes an imported rubric that no round of this machine uses (logged).
pub fn remove(conn: &Connection, id: i64, actor: &str) -> Result<()> {
    let r = get(conn, id)?;
    if let Some(round) = conn.query_row("SELECT name FROM round WHERE rubric_hash = ?1 LIMIT 1", [&r.hash], |r| r.get(0)).optional()? {
        return Err(StoreError::RubricInUse { title: r.title, round });
    }
    crate::atomically(conn, || {
        conn.execute("DELETE FROM rubric_library WHERE id = ?1", [id])?;
        let detail = format!("删除评分标准「{}」（校验码 {}）", r.title, rubric::fingerprint(&r.hash));
        audit::append(conn, actor, audit::Action::RemoveRubric, &format!("rubric:{id}"), &detail)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HENAN: &str = include_str!("../../../rubrics/henan-2023/rubric.toml");

    #[test]
    fn a_rubric_is_added_once_and_removed_only_while_no_round_uses_it() {
        let mut conn = crate::open_in_memory().unwrap();
        let id = add(&conn, HENAN, "河南.toml", "统分人").unwrap();
        let listed = list(&conn).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].source.as_str(), listed[0].hash.len()), ("河南.toml", 64));
        assert!(matches!(add(&conn, HENAN, "again.toml", "统分人"), Err(StoreError::RubricExists { .. })));
        assert!(matches!(add(&conn, "title = 1", "bad.toml", "统分人"), Err(StoreError::RubricUnreadable(_))));

        let round = crate::rounds::create(
            &mut conn,
            &crate::rounds::NewRound {
                name: "用它的批次".into(),
                rubric_text: listed[0].text.clone(),
                applications: vec![],
                experts: vec![],
                is_sample: false,
                uid: None,
            },
            "统分人",
        )
        .unwrap();
        let err = remove(&conn, id, "统分人").unwrap_err();
        assert_eq!(err.to_string(), "评分标准「河南省市域产教联合体建设指标」正被评审批次「用它的批次」使用，不能删除");
        crate::rounds::delete(&conn, round, "用它的批次", "统分人").unwrap();
        remove(&conn, id, "统分人").unwrap();
        assert!(list(&conn).unwrap().is_empty());
        let actions: Vec<String> = audit::list(&conn).unwrap().into_iter().map(|e| e.action).collect();
        assert!(actions.contains(&"import_rubric".to_string()) && actions.last().unwrap() == "remove_rubric");
    }
}
