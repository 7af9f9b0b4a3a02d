//! The expert's own 回避声明 and 承诺书: the conflicts of interest they declare (each recorded as a recusal
//! with [`RecusalSource::Expert`]) and the statement they sign. Every signing is kept; the newest counts.

use rusqlite::{params, Connection, OptionalExtension};

use crate::experts::{self, RecusalSource};
use crate::{audit, Result, StoreError};

/// A signed declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    pub id: i64,
    /// Anything else the expert declared in words (may be empty).
    pub statement: String,
    /// When it was signed (UTC, `2024-05-20T10:00:00.000Z`).
    pub signed_at: String,
}

/// The expert signs their declaration, in one transaction: each declared conflict (application id and
/// reason) becomes a recusal recorded as declared by the expert (refused, like any recusal, when the expert
/// already scored or submitted that application), then the declaration is stored. The audit log names the
/// expert as the actor. All problems are reported at once, and then nothing is written. Returns the
/// declaration's id.
pub fn sign(conn: &mut Connection, expert_id: i64, declared: &[(i64, String)], statement: &str) -> Result<i64> {
    crate::transaction(conn, |tx| {
        let (code, name, round_id): (String, String, i64) = tx
            .query_row("SELECT code, name, round_id FROM expert WHERE id = ?1", [expert_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or(StoreError::NotFound { entity: "专家", id: expert_id })?;
        let mut problems = Vec::new();
        let mut codes = Vec::new();
        for (i, (application_id, reason)) in declared.iter().enumerate() {
            let app: Option<String> =
                tx.query_row("SELECT code FROM application WHERE id = ?1 AND round_id = ?2", [*application_id, round_id], |r| r.get(0)).optional()?;
            let Some(app) = app else {
                problems.push(format!("第 {} 项声明的申报材料不在本批次中", i + 1));
                continue;
            };
            if declared[..i].iter().any(|(a, _)| a == application_id) {
                problems.push(format!("申报 {app} 声明了两次"));
                continue;
            }
            // Each recusal in its own savepoint: a refused one leaves nothing, and the others are still checked.
            match experts::set_recused(tx, expert_id, *application_id, true, reason, RecusalSource::Expert, &name) {
                Ok(()) => codes.push(app),
                // What `set_recused` refuses in a declaration: said per application, all at once.
                Err(
                    why @ (StoreError::ReasonRequired { .. }
                    | StoreError::RecusalAfterSubmission
                    | StoreError::RecusalAfterScoring { .. }
                    | StoreError::NotAssigned),
                ) => problems.push(format!("申报 {app}：{why}")),
                Err(e) => return Err(e),
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::DeclarationRefused { problems });
        }
        let statement = statement.trim();
        tx.execute("INSERT INTO declaration (expert_id, statement) VALUES (?1, ?2)", params![expert_id, statement])?;
        let id = tx.last_insert_rowid();
        let conflicts = if codes.is_empty() {
            "声明与本批次申报均无利害关系".to_string()
        } else {
            format!("声明回避申报 {}", codes.join("、"))
        };
        let words = if statement.is_empty() { String::new() } else { format!("；其他声明：{statement}") };
        audit::append(
            tx,
            &name,
            audit::Action::SignDeclaration,
            &format!("expert:{expert_id}"),
            &format!("专家 {code} {name} 签署回避声明和承诺书：{conflicts}{words}"),
        )?;
        Ok(id)
    })
}

/// The expert's newest declaration, if they signed one.
pub fn latest(conn: &Connection, expert_id: i64) -> Result<Option<Declaration>> {
    Ok(conn
        .query_row("SELECT id, statement, signed_at FROM declaration WHERE expert_id = ?1 ORDER BY id DESC LIMIT 1", [expert_id], |r| {
            Ok(Declaration { id: r.get(0)?, statement: r.get(1)?, signed_at: r.get(2)? })
        })
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounds::{self, NewApplication, NewRound};
    use pingshen_core::application::Application;
    use pingshen_core::expert::Expert;
    use pingshen_core::Tenths;

    fn setup(conn: &mut Connection) -> (i64, i64, [i64; 3]) {
        let app = |code: &str| NewApplication { code: code.into(), application: Application::default(), materials: vec![] };
        let rid = rounds::create(
            conn,
            &NewRound {
                name: "声明".into(),
                rubric_text: include_str!("../../../rubrics/henan-2023/rubric.toml").into(),
                applications: vec![app("A01"), app("A02"), app("A03")],
                experts: vec![Expert { code: "E01".into(), name: "张三".into(), unit: "甲学院".into(), ..Default::default() }],
                is_sample: false,
                uid: None,
            },
            "统分人",
        )
        .unwrap();
        let e = experts::list(conn, rid).unwrap()[0].id;
        let a = crate::applications::list(conn, rid).unwrap();
        (rid, e, [a[0].id, a[1].id, a[2].id])
    }

    #[test]
    fn signing_records_the_declared_recusals_and_the_statement() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, e, [a1, a2, _]) = setup(&mut conn);
        assert_eq!(latest(&conn, e).unwrap(), None);
        let first = sign(&mut conn, e, &[], "").unwrap();
        let id = sign(&mut conn, e, &[(a2, "本人在该联合体牵头学校兼职".into())], "  曾参与 A01 的前期咨询，已如实说明  ").unwrap();
        assert!(id > first);
        let d = latest(&conn, e).unwrap().unwrap();
        assert_eq!((d.id, d.statement.as_str()), (id, "曾参与 A01 的前期咨询，已如实说明"));
        assert!(d.signed_at.ends_with('Z'));
        let rows = experts::assignments(&conn, rid).unwrap();
        let r2 = rows.iter().find(|r| r.application_id == a2).unwrap();
        assert_eq!((r2.recused, r2.reason.as_str(), r2.source), (true, "本人在该联合体牵头学校兼职", Some(RecusalSource::Expert)));
        assert!(!rows.iter().find(|r| r.application_id == a1).unwrap().recused);
        let log = audit::list(&conn).unwrap();
        let last = log.last().unwrap();
        assert_eq!((last.actor.as_str(), last.action.as_str(), last.entity.clone()), ("张三", "sign_declaration", format!("expert:{e}")));
        assert_eq!(last.detail, "专家 E01 张三 签署回避声明和承诺书：声明回避申报 A02；其他声明：曾参与 A01 的前期咨询，已如实说明");
        assert!(log.iter().any(|l| l.action == "recuse" && l.actor == "张三"));
    }

    #[test]
    fn a_declaration_with_a_scored_application_is_refused_whole() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, e, [a1, a2, a3]) = setup(&mut conn);
        let rubric = rounds::rubric(&conn, rid).unwrap();
        let s = crate::sheets::open(&conn, e, a1).unwrap();
        crate::sheets::set_score(&conn, &rubric, s, "1.1", Some(Tenths(40))).unwrap();
        let before = audit::list(&conn).unwrap().len();
        let err = sign(&mut conn, e, &[(a2, "兼职".into()), (a1, "亲属任职".into()), (a3, " ".into()), (a2, "重复".into())], "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "回避声明未签署（未做任何改动）：申报 A01：该专家已对这份申报材料评了 1 个观测点，须先清除评分再登记回避；申报 A03：回避须写明理由；申报 A02 声明了两次"
        );
        assert!(experts::assignments(&conn, rid).unwrap().iter().all(|r| !r.recused), "A02 was rolled back too");
        assert_eq!(latest(&conn, e).unwrap(), None);
        assert_eq!(audit::list(&conn).unwrap().len(), before);
        assert!(matches!(sign(&mut conn, 999, &[], ""), Err(StoreError::NotFound { .. })));
    }
}
