//! Rounds (评审批次): creation with a frozen rubric, listing, and the rubric of a round.

use pingshen_core::application::{write_application, Application};
use pingshen_core::expert::Expert;
use pingshen_core::rubric::{self, Rubric};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::{applications, audit, experts, search, Result, StoreError};

/// A round as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundRow {
    pub id: i64,
    /// The round's stable identity (批次标识, 32 hex digits), the same on every machine that holds the round.
    pub uid: String,
    pub name: String,
    pub rubric_id: String,
    pub rubric_title: String,
    pub rubric_hash: String,
    pub is_sample: bool,
    pub created_at: String,
    pub applications: i64,
    pub experts: i64,
}

/// A material file of an application.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewMaterial {
    pub file: String,
    pub title: String,
    pub pages: u32,
    pub content: Vec<u8>,
    /// The text of its pages, `(page from 1, text, scanned)`, as `pingshen_import::pdf::page_rows` reads
    /// them; stored in `material_page` and indexed for search. Empty: the material is not searchable.
    pub page_texts: Vec<(u32, String, bool)>,
}

/// An application to add: its 申报编号, the structured 推荐书 and its materials.
#[derive(Clone, Debug, PartialEq)]
pub struct NewApplication {
    pub code: String,
    pub application: Application,
    pub materials: Vec<NewMaterial>,
}

/// Everything a new round holds.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRound {
    pub name: String,
    /// The rubric's text as written; it is frozen into the round.
    pub rubric_text: String,
    pub applications: Vec<NewApplication>,
    pub experts: Vec<Expert>,
    pub is_sample: bool,
    /// The round's identity: `None` for a new round (a random one is made), `Some` for a round that exists
    /// elsewhere and is set up here under the same identity (e.g. on an expert's laptop).
    pub uid: Option<String>,
}

/// Creates a round in one transaction: rubric frozen, applications, experts, and every expert assigned to
/// every application. Returns the round id. The rubric must parse (the caller has validated it; a rubric
/// that does not is refused here too).
pub fn create(conn: &mut Connection, new: &NewRound, actor: &str) -> Result<i64> {
    crate::transaction(conn, |tx| create_in(tx, new, actor))
}

/// [`create`] inside the caller's transaction (e.g. a round opened from a round file, which writes more
/// in the same transaction). Nothing is committed here; on an error the caller's transaction is to be
/// rolled back.
pub fn create_in(tx: &Transaction<'_>, new: &NewRound, actor: &str) -> Result<i64> {
    let rubric = parse_rubric(&new.rubric_text)?;
    if let Some(uid) = &new.uid {
        check_uid(tx, uid)?;
    }
    tx.execute(
        "INSERT INTO round (name, rubric_id, rubric_title, rubric_toml, rubric_hash, is_sample, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, lower(hex(randomblob(16)))))",
        params![new.name, rubric.id, rubric.title, new.rubric_text, rubric.hash(), new.is_sample, new.uid],
    )?;
    let round_id = tx.last_insert_rowid();
    for a in &new.applications {
        let id = applications::insert(tx, round_id, &a.code, &write_application(&a.application), &a.application.cover.name, &a.materials)?;
        search::index_application(tx, id)?;
    }
    for e in &new.experts {
        experts::insert(tx, round_id, e)?;
    }
    tx.execute(
        "INSERT INTO assignment (expert_id, application_id)
         SELECT e.id, a.id FROM expert e JOIN application a ON a.round_id = e.round_id WHERE e.round_id = ?1",
        [round_id],
    )?;
    audit::append(
        tx,
        actor,
        audit::Action::CreateRound,
        &format!("round:{round_id}"),
        &format!(
            "创建评审批次「{}」：评分标准 {}（指纹 {}），申报 {} 项，专家 {} 人",
            new.name,
            rubric.title,
            rubric::fingerprint(&rubric.hash()),
            new.applications.len(),
            new.experts.len()
        ),
    )?;
    Ok(round_id)
}

/// All rounds, newest first.
pub fn list(conn: &Connection) -> Result<Vec<RoundRow>> {
    let mut st = conn.prepare(
        "SELECT r.id, r.uid, r.name, r.rubric_id, r.rubric_title, r.rubric_hash, r.is_sample, r.created_at,
                (SELECT count(*) FROM application a WHERE a.round_id = r.id),
                (SELECT count(*) FROM expert e WHERE e.round_id = r.id)
         FROM round r ORDER BY r.id DESC",
    )?;
    let rows = st.query_map([], |r| {
        Ok(RoundRow {
            id: r.get(0)?,
            uid: r.get(1)?,
            name: r.get(2)?,
            rubric_id: r.get(3)?,
            rubric_title: r.get(4)?,
            rubric_hash: r.get(5)?,
            is_sample: r.get(6)?,
            created_at: r.get(7)?,
            applications: r.get(8)?,
            experts: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One round.
pub fn get(conn: &Connection, id: i64) -> Result<RoundRow> {
    list(conn)?.into_iter().find(|r| r.id == id).ok_or(StoreError::NotFound { entity: "评审批次", id })
}

/// The round with this identity on this machine, if any.
pub fn find_by_uid(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT id FROM round WHERE uid = ?1", [uid], |r| r.get(0)).optional()?)
}

/// A given identity must look like the ones this app makes (32 lower-case hex digits) and must not be
/// taken on this machine already.
fn check_uid(conn: &Connection, uid: &str) -> Result<()> {
    if uid.len() != 32 || !uid.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(StoreError::BadRoundUid { uid: uid.to_string() });
    }
    if let Some(id) = find_by_uid(conn, uid)? {
        let name: String = conn.query_row("SELECT name FROM round WHERE id = ?1", [id], |r| r.get(0))?;
        return Err(StoreError::RoundExists { name, uid: uid.to_string() });
    }
    Ok(())
}

/// The round's frozen rubric, checked against the hash recorded at creation.
pub fn rubric(conn: &Connection, round_id: i64) -> Result<Rubric> {
    let (text, hash): (String, String) = conn
        .query_row("SELECT rubric_toml, rubric_hash FROM round WHERE id = ?1", [round_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(StoreError::NotFound { entity: "评审批次", id: round_id })?;
    let r = parse_rubric(&text)?;
    if r.hash() != hash {
        return Err(StoreError::RubricTampered);
    }
    Ok(r)
}

fn parse_rubric(text: &str) -> Result<Rubric> {
    rubric::parse(text).map_err(|e| StoreError::RubricUnreadable(e.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("；")))
}
