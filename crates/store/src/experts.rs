//! Experts of a round and their assignments.

use pingshen_core::expert::Expert;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::{audit, StoreError};

use crate::Result;

/// An expert as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpertRow {
    pub id: i64,
    pub round_id: i64,
    pub expert: Expert,
}

pub(crate) fn insert(tx: &Transaction<'_>, round_id: i64, e: &Expert) -> Result<i64> {
    tx.execute(
        "INSERT INTO expert (round_id, code, name, unit, title, field, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![round_id, e.code, e.name, e.unit, e.title, e.field, e.phone],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The experts of a round, by 专家编号.
pub fn list(conn: &Connection, round_id: i64) -> Result<Vec<ExpertRow>> {
    let mut st = conn.prepare("SELECT id, round_id, code, name, unit, title, field, phone FROM expert WHERE round_id = ?1 ORDER BY code")?;
    let rows = st.query_map([round_id], |r| {
        Ok(ExpertRow {
            id: r.get(0)?,
            round_id: r.get(1)?,
            expert: Expert { code: r.get(2)?, name: r.get(3)?, unit: r.get(4)?, title: r.get(5)?, field: r.get(6)?, phone: r.get(7)? },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks (or clears) an expert's recusal from an application, with the reason, in the audit log. Refused
/// when the expert already has scores for it: a recused expert must never have a score form, so a sheet in
/// progress or submitted has to be dealt with first.
pub fn set_recused(conn: &Connection, expert_id: i64, application_id: i64, recused: bool, reason: &str, actor: &str) -> Result<()> {
    if recused && reason.trim().is_empty() {
        return Err(StoreError::Invalid("回避须写明理由".into()));
    }
    let scored: Option<(String, i64)> = conn
        .query_row(
            "SELECT sh.status, (SELECT count(*) FROM score sc WHERE sc.sheet_id = sh.id AND sc.tenths IS NOT NULL)
             FROM sheet sh WHERE sh.expert_id = ?1 AND sh.application_id = ?2",
            [expert_id, application_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if recused {
        match scored {
            Some((status, _)) if status == "submitted" => {
                return Err(StoreError::Invalid("该专家已提交这份申报书的评分表，须先退回评分表再登记回避".into()))
            }
            Some((_, n)) if n > 0 => return Err(StoreError::Invalid(format!("该专家已对这份申报书评了 {n} 个观测点，须先清除评分再登记回避"))),
            Some(_) => {
                conn.execute("DELETE FROM sheet WHERE expert_id = ?1 AND application_id = ?2", [expert_id, application_id])?;
            }
            None => {}
        }
    }
    let n = conn.execute(
        "UPDATE assignment SET recused = ?3 WHERE expert_id = ?1 AND application_id = ?2",
        params![expert_id, application_id, recused],
    )?;
    if n == 0 {
        return Err(StoreError::Invalid("该专家未被分配评审这份申报书".into()));
    }
    let (e, a): (String, String) = conn.query_row(
        "SELECT (SELECT code FROM expert WHERE id = ?1), (SELECT code FROM application WHERE id = ?2)",
        [expert_id, application_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let what = if recused { format!("登记专家 {e} 回避申报 {a}：{reason}") } else { format!("撤销专家 {e} 对申报 {a} 的回避：{reason}") };
    audit::append(conn, actor, if recused { "recuse" } else { "unrecuse" }, &format!("application:{application_id}"), &what)
}
