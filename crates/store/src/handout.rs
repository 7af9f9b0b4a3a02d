//! A round opened on this machine from a round file (评审包, an expert's laptop): the file's content hash,
//! and which of the round's experts this machine scores as (table `round_handout`, migration 005). The
//! file itself is read and checked by `pingshen-handout`; this module stores what it opened.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::{atomically, audit, Result, StoreError};

/// How a round came to this machine from a round file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handout {
    /// The round file's content hash (64 hex digits).
    pub file_hash: String,
    /// When the file was opened here.
    pub opened_at: String,
    /// The expert this machine scores as, once chosen.
    pub expert_id: Option<i64>,
    /// When that choice was confirmed.
    pub confirmed_at: Option<String>,
}

/// Records that the round was opened from the round file with this content hash (in the transaction that
/// creates the round).
pub fn record(tx: &Transaction<'_>, round_id: i64, file_hash: &str) -> Result<()> {
    tx.execute("INSERT INTO round_handout (round_id, file_hash) VALUES (?1, ?2)", params![round_id, file_hash])?;
    Ok(())
}

/// The handout of a round, or `None` for a round made on this machine.
pub fn get(conn: &Connection, round_id: i64) -> Result<Option<Handout>> {
    Ok(conn
        .query_row("SELECT file_hash, opened_at, expert_id, confirmed_at FROM round_handout WHERE round_id = ?1", [round_id], |r| {
            Ok(Handout { file_hash: r.get(0)?, opened_at: r.get(1)?, expert_id: r.get(2)?, confirmed_at: r.get(3)? })
        })
        .optional()?)
}

/// Adds a material whose bytes are written afterwards (streamed from a round file): a row with a
/// zero-filled blob of `size` bytes, to be filled through `blob_open` on the returned row id in the same
/// transaction. `sha256` is what the bytes must hash to; the caller checks them before committing.
pub fn reserve_material(tx: &Transaction<'_>, application_id: i64, file: &str, title: &str, pages: u32, sha256: &str, size: u64) -> Result<i64> {
    let size = i64::try_from(size).map_err(|_| StoreError::MaterialTooLarge { file: file.to_string() })?;
    tx.execute(
        "INSERT INTO material (application_id, file, title, pages, sha256, content) VALUES (?1, ?2, ?3, ?4, ?5, zeroblob(?6))",
        params![application_id, file, title, pages, sha256, size],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The expert of this laptop says who they are, after checking their name and unit. The choice may be
/// changed only while the expert chosen before has not scored anything here (no sheet with a score);
/// otherwise the scores would be carried under another expert's name. Written to the audit log.
pub fn choose_expert(conn: &Connection, round_id: i64, expert_id: i64, actor: &str) -> Result<()> {
    atomically(conn, || {
        let handout = get(conn, round_id)?.ok_or(StoreError::NotHandedOut)?;
        let chosen: Option<(String, String, String)> = conn
            .query_row("SELECT code, name, unit FROM expert WHERE id = ?1 AND round_id = ?2", [expert_id, round_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((code, name, unit)) = chosen else {
            return Err(StoreError::ExpertNotInRound);
        };
        if let Some(current) = handout.expert_id.filter(|&c| c != expert_id) {
            let (cur_code, cur_name, scored): (String, String, i64) = conn.query_row(
                "SELECT e.code, e.name,
                        (SELECT count(*) FROM sheet sh WHERE sh.expert_id = e.id
                           AND EXISTS (SELECT 1 FROM score sc WHERE sc.sheet_id = sh.id AND sc.tenths IS NOT NULL))
                 FROM expert e WHERE e.id = ?1",
                [current],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if scored > 0 {
                return Err(StoreError::IdentityInUse { code: cur_code, name: cur_name, scored });
            }
        }
        conn.execute(
            "UPDATE round_handout SET expert_id = ?2, confirmed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE round_id = ?1",
            params![round_id, expert_id],
        )?;
        let before = match handout.expert_id {
            Some(c) if c != expert_id => {
                let c: String = conn.query_row("SELECT code FROM expert WHERE id = ?1", [c], |r| r.get(0))?;
                format!("（原为 {c}）")
            }
            _ => String::new(),
        };
        audit::append(
            conn,
            actor,
            audit::Action::ChooseExpert,
            &format!("round:{round_id}"),
            &format!("本机评审专家确认为 {code}（{name}，{unit}）{before}"),
        )
    })
}

/// Whether this expert may open a score form of this round on this machine. A round made here: yes (staff
/// machines score for any expert). A round opened from a round file: only as the expert this laptop
/// chose, and only once they signed their 回避声明 and 承诺书.
pub fn may_score(conn: &Connection, round_id: i64, expert_id: i64) -> Result<()> {
    let Some(h) = get(conn, round_id)? else { return Ok(()) };
    match h.expert_id {
        None => return Err(StoreError::IdentityNotChosen),
        Some(mine) if mine != expert_id => {
            let (code, name): (String, String) =
                conn.query_row("SELECT code, name FROM expert WHERE id = ?1", [mine], |r| Ok((r.get(0)?, r.get(1)?)))?;
            return Err(StoreError::AnotherExpert { code, name });
        }
        Some(_) => {}
    }
    if crate::declarations::latest(conn, expert_id)?.is_none() {
        return Err(StoreError::DeclarationNotSigned);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use pingshen_core::expert::Expert;

    use super::*;
    use crate::rounds::{self, NewRound};

    fn round(conn: &mut Connection) -> i64 {
        let rubric = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rubrics/henan-2023/rubric.toml")).unwrap();
        let experts = ["E01", "E02"]
            .iter()
            .map(|c| Expert { code: c.to_string(), name: format!("专家{c}"), unit: "某学院".into(), ..Default::default() })
            .collect();
        let new = NewRound { name: "批次".into(), rubric_text: rubric, applications: vec![], experts, is_sample: false, uid: None };
        let id = rounds::create(conn, &new, "test").unwrap();
        crate::transaction(conn, |tx| record(tx, id, &"ab".repeat(32))).unwrap();
        id
    }

    fn expert_id(conn: &Connection, round_id: i64, code: &str) -> i64 {
        conn.query_row("SELECT id FROM expert WHERE round_id = ?1 AND code = ?2", params![round_id, code], |r| r.get(0)).unwrap()
    }

    #[test]
    fn record_get_and_choose() {
        let mut conn = crate::open_in_memory().unwrap();
        let id = round(&mut conn);
        let h = get(&conn, id).unwrap().unwrap();
        assert_eq!(h.file_hash, "ab".repeat(32));
        assert_eq!((h.expert_id, h.confirmed_at), (None, None));
        let e1 = expert_id(&conn, id, "E01");
        let e2 = expert_id(&conn, id, "E02");
        choose_expert(&conn, id, e1, "本机").unwrap();
        let h = get(&conn, id).unwrap().unwrap();
        assert_eq!(h.expert_id, Some(e1));
        assert!(h.confirmed_at.is_some());
        // Nothing scored yet: the choice may change.
        choose_expert(&conn, id, e2, "本机").unwrap();
        assert_eq!(get(&conn, id).unwrap().unwrap().expert_id, Some(e2));
        let log = audit::list(&conn).unwrap();
        assert!(log.iter().any(|e| e.action == "choose_expert" && e.detail.contains("E02") && e.detail.contains("原为 E01")), "{log:?}");
    }

    #[test]
    fn the_choice_is_fixed_once_the_chosen_expert_has_scored() {
        let mut conn = crate::open_in_memory().unwrap();
        let id = round(&mut conn);
        // A round with one application so that there can be a sheet.
        conn.execute("INSERT INTO application (round_id, code, name, body_toml) VALUES (?1, 'A01', 'x', '')", [id]).unwrap();
        let app: i64 = conn.last_insert_rowid();
        let e1 = expert_id(&conn, id, "E01");
        let e2 = expert_id(&conn, id, "E02");
        conn.execute("INSERT INTO assignment (expert_id, application_id) VALUES (?1, ?2)", [e1, app]).unwrap();
        choose_expert(&conn, id, e1, "本机").unwrap();
        conn.execute("INSERT INTO sheet (expert_id, application_id) VALUES (?1, ?2)", [e1, app]).unwrap();
        let sheet = conn.last_insert_rowid();
        // An empty draft does not count.
        conn.execute("INSERT INTO score (sheet_id, item_code, tenths) VALUES (?1, '1.1', NULL)", [sheet]).unwrap();
        choose_expert(&conn, id, e2, "本机").unwrap();
        choose_expert(&conn, id, e1, "本机").unwrap();
        conn.execute("UPDATE score SET tenths = 30 WHERE sheet_id = ?1", [sheet]).unwrap();
        let err = choose_expert(&conn, id, e2, "本机").unwrap_err().to_string();
        assert!(err.contains("本机已以专家 E01") && err.contains("不能再更换专家身份"), "{err}");
        assert_eq!(get(&conn, id).unwrap().unwrap().expert_id, Some(e1));
        // Confirming the same expert again is fine.
        choose_expert(&conn, id, e1, "本机").unwrap();
    }

    #[test]
    fn refused_for_a_round_made_here_or_an_expert_of_another_round() {
        let mut conn = crate::open_in_memory().unwrap();
        let id = round(&mut conn);
        let rubric = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rubrics/henan-2023/rubric.toml")).unwrap();
        let other = rounds::create(
            &mut conn,
            &NewRound {
                name: "本机批次".into(),
                rubric_text: rubric,
                applications: vec![],
                experts: vec![Expert { code: "E09".into(), name: "某".into(), ..Default::default() }],
                is_sample: false,
                uid: None,
            },
            "test",
        )
        .unwrap();
        let e9 = expert_id(&conn, other, "E09");
        let err = choose_expert(&conn, other, e9, "本机").unwrap_err().to_string();
        assert!(err.contains("不是从评审包打开的"), "{err}");
        let err = choose_expert(&conn, id, e9, "本机").unwrap_err().to_string();
        assert!(err.contains("不在这个评审批次的专家名单中"), "{err}");
    }

    #[test]
    fn a_laptop_scores_only_as_its_expert_and_only_after_the_declaration() {
        let mut conn = crate::open_in_memory().unwrap();
        let id = round(&mut conn);
        let e1 = expert_id(&conn, id, "E01");
        let e2 = expert_id(&conn, id, "E02");
        assert!(may_score(&conn, id, e1).unwrap_err().to_string().contains("选择您的专家身份"));
        choose_expert(&conn, id, e1, "专家E01").unwrap();
        assert!(may_score(&conn, id, e2).unwrap_err().to_string().contains("不能打开其他专家的评分表"));
        assert!(may_score(&conn, id, e1).unwrap_err().to_string().contains("回避声明与承诺书"));
        crate::declarations::sign(&mut conn, e1, &[], "").unwrap();
        may_score(&conn, id, e1).unwrap();
        // A round made on this machine: staff may open any expert's form.
        let rubric = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rubrics/henan-2023/rubric.toml")).unwrap();
        let experts = vec![Expert { code: "E09".into(), name: "专家".into(), unit: "某学院".into(), ..Default::default() }];
        let here = rounds::create(
            &mut conn,
            &NewRound { name: "本机".into(), rubric_text: rubric, applications: vec![], experts, is_sample: false, uid: None },
            "t",
        )
        .unwrap();
        may_score(&conn, here, expert_id(&conn, here, "E09")).unwrap();
    }
}
