//! Experts of a round and their assignments.

use pingshen_core::expert::{Expert, Role};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::{audit, StoreError};

use crate::Result;

/// Who recorded a recusal: staff confirming a proposal (or recording one), or the expert declaring it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecusalSource {
    Staff,
    Expert,
}

impl RecusalSource {
    /// The value of `assignment.recusal_source`.
    pub fn as_db(self) -> &'static str {
        match self {
            RecusalSource::Staff => "staff",
            RecusalSource::Expert => "expert",
        }
    }

    /// From `assignment.recusal_source`; `None` for the empty value of recusals recorded before the source
    /// was kept (and of assignments that are not recused).
    pub fn from_db(s: &str) -> Option<RecusalSource> {
        match s {
            "staff" => Some(RecusalSource::Staff),
            "expert" => Some(RecusalSource::Expert),
            _ => None,
        }
    }

    /// As the paperwork says it: 统分人员登记 / 专家本人声明.
    pub fn zh(self) -> &'static str {
        match self {
            RecusalSource::Staff => "统分人员登记",
            RecusalSource::Expert => "专家本人声明",
        }
    }
}

/// An expert's assignment to an application, with why and by whom they are recused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignmentRow {
    pub expert_id: i64,
    pub application_id: i64,
    pub recused: bool,
    /// The recusal's reason; empty when not recused (or recused before reasons were kept: the audit log has it).
    pub reason: String,
    /// Who recorded the recusal; `None` when not recused or not known.
    pub source: Option<RecusalSource>,
}

/// Every assignment of a round, by 专家编号 then 申报编号.
pub fn assignments(conn: &Connection, round_id: i64) -> Result<Vec<AssignmentRow>> {
    let mut st = conn.prepare(
        "SELECT s.expert_id, s.application_id, s.recused, s.recusal_reason, s.recusal_source
         FROM assignment s JOIN expert e ON e.id = s.expert_id JOIN application a ON a.id = s.application_id
         WHERE e.round_id = ?1 ORDER BY e.code, a.code",
    )?;
    let rows = st.query_map([round_id], |r| {
        let recused: bool = r.get(2)?;
        let source: String = r.get(4)?;
        Ok(AssignmentRow {
            expert_id: r.get(0)?,
            application_id: r.get(1)?,
            recused,
            reason: r.get(3)?,
            source: if recused { RecusalSource::from_db(&source) } else { None },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An expert as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpertRow {
    pub id: i64,
    pub round_id: i64,
    pub expert: Expert,
}

/// Inserts an expert with their role (a round created with its experts: the sample, a round file); the
/// database refuses a second 组长 in the round.
pub(crate) fn insert(tx: &Transaction<'_>, round_id: i64, e: &Expert) -> Result<i64> {
    tx.execute(
        "INSERT INTO expert (round_id, code, name, unit, title, field, phone, role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![round_id, e.code, e.name, e.unit, e.title, e.field, e.phone, e.role.as_db()],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The experts of a round, by 专家编号.
pub fn list(conn: &Connection, round_id: i64) -> Result<Vec<ExpertRow>> {
    let mut st = conn.prepare("SELECT id, round_id, code, name, unit, title, field, phone, role FROM expert WHERE round_id = ?1 ORDER BY code")?;
    let rows = st.query_map([round_id], |r| {
        Ok(ExpertRow {
            id: r.get(0)?,
            round_id: r.get(1)?,
            expert: Expert {
                code: r.get(2)?,
                name: r.get(3)?,
                unit: r.get(4)?,
                title: r.get(5)?,
                field: r.get(6)?,
                phone: r.get(7)?,
                role: Role::from_db(&r.get::<_, String>(8)?).unwrap_or_default(),
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks (or clears) an expert's recusal from an application, with the reason and who recorded it (kept on
/// the assignment, cleared when the recusal is withdrawn) and in the audit log. Refused when the expert
/// already has scores for it: a recused expert must never have a score form, so a sheet in progress or
/// submitted has to be dealt with first (an empty draft is deleted).
pub fn set_recused(
    conn: &Connection,
    expert_id: i64,
    application_id: i64,
    recused: bool,
    reason: &str,
    source: RecusalSource,
    actor: &str,
) -> Result<()> {
    let reason = reason.trim();
    if recused && reason.is_empty() {
        return Err(StoreError::ReasonRequired { what: "回避" });
    }
    crate::atomically(conn, || {
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
                Some((status, _)) if status == "submitted" => return Err(StoreError::RecusalAfterSubmission),
                Some((_, n)) if n > 0 => return Err(StoreError::RecusalAfterScoring { scored: n }),
                Some(_) => {
                    conn.execute("DELETE FROM sheet WHERE expert_id = ?1 AND application_id = ?2", [expert_id, application_id])?;
                }
                None => {}
            }
        }
        let (stored_reason, stored_source) = if recused { (reason, source.as_db()) } else { ("", "") };
        let n = conn.execute(
            "UPDATE assignment SET recused = ?3, recusal_reason = ?4, recusal_source = ?5 WHERE expert_id = ?1 AND application_id = ?2",
            params![expert_id, application_id, recused, stored_reason, stored_source],
        )?;
        if n == 0 {
            return Err(StoreError::NotAssigned);
        }
        let (e, a): (String, String) = conn.query_row(
            "SELECT (SELECT code FROM expert WHERE id = ?1), (SELECT code FROM application WHERE id = ?2)",
            [expert_id, application_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let what = match (recused, source) {
            (true, RecusalSource::Staff) => format!("登记专家 {e} 回避申报 {a}：{reason}"),
            (true, RecusalSource::Expert) => format!("专家 {e} 本人声明回避申报 {a}：{reason}"),
            (false, _) => format!("撤销专家 {e} 对申报 {a} 的回避：{reason}"),
        };
        audit::append(
            conn,
            actor,
            if recused { audit::Action::Recuse } else { audit::Action::Unrecuse },
            &format!("application:{application_id}"),
            &what,
        )
    })
}

// ---- the expert list: add, change, remove, import ----

/// What an import of an expert list did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpertImport {
    /// Experts new to the round (assigned to every application).
    pub added: usize,
    /// Experts of the round (same 专家编号) whose details changed.
    pub updated: usize,
    /// Experts of the round listed with the same details.
    pub unchanged: usize,
}

impl ExpertImport {
    /// "新增 2 人，更新 1 人，未变 5 人".
    pub fn summary_zh(&self) -> String {
        format!("新增 {} 人，更新 {} 人，未变 {} 人", self.added, self.updated, self.unchanged)
    }
}

/// "E01 张三（某职业技术学院）".
fn who(e: &Expert) -> String {
    if e.unit.is_empty() {
        format!("{} {}", e.code, e.name)
    } else {
        format!("{} {}（{}）", e.code, e.name, e.unit)
    }
}

/// The expert with every field trimmed, after the checks every stored expert passes: 专家编号, 姓名 and 单位
/// present, 手机 empty or 11 digits starting with 1. All problems at once, in Chinese.
fn checked(e: &Expert) -> Result<Expert> {
    let e = Expert {
        code: e.code.trim().to_string(),
        name: e.name.trim().to_string(),
        unit: e.unit.trim().to_string(),
        title: e.title.trim().to_string(),
        field: e.field.trim().to_string(),
        phone: e.phone.trim().to_string(),
        role: e.role,
    };
    let mut problems = Vec::new();
    if e.code.is_empty() {
        problems.push("专家编号不能为空".to_string());
    } else if e.code.chars().any(char::is_whitespace) {
        problems.push(format!("专家编号“{}”不能含空格", e.code));
    }
    if e.name.is_empty() {
        problems.push("姓名不能为空".to_string());
    }
    if e.unit.is_empty() {
        problems.push("单位不能为空（回避建议按单位比对）".to_string());
    }
    if !phone_ok(&e.phone) {
        problems.push(format!("手机号“{}”应为以 1 开头的 11 位数字（可留空）", e.phone));
    }
    if problems.is_empty() {
        Ok(e)
    } else {
        Err(StoreError::ExpertRefused { problems })
    }
}

/// 手机: empty, or 11 ASCII digits starting with 1.
pub fn phone_ok(phone: &str) -> bool {
    phone.is_empty() || (phone.len() == 11 && phone.starts_with('1') && phone.bytes().all(|b| b.is_ascii_digit()))
}

/// The stored expert and their round.
fn get(conn: &Connection, expert_id: i64) -> Result<ExpertRow> {
    conn.query_row("SELECT id, round_id, code, name, unit, title, field, phone, role FROM expert WHERE id = ?1", [expert_id], |r| {
        Ok(ExpertRow {
            id: r.get(0)?,
            round_id: r.get(1)?,
            expert: Expert {
                code: r.get(2)?,
                name: r.get(3)?,
                unit: r.get(4)?,
                title: r.get(5)?,
                field: r.get(6)?,
                phone: r.get(7)?,
                role: Role::from_db(&r.get::<_, String>(8)?).unwrap_or_default(),
            },
        })
    })
    .optional()?
    .ok_or(StoreError::NotFound { entity: "专家", id: expert_id })
}

/// Refuses a 专家编号 or a 姓名 + 单位 that another expert of the round (other than `except`) already has.
fn check_unique(conn: &Connection, round_id: i64, e: &Expert, except: Option<i64>) -> Result<()> {
    let except = except.unwrap_or(0);
    let mut problems = Vec::new();
    let by_code: Option<(String, String)> = conn
        .query_row("SELECT name, unit FROM expert WHERE round_id = ?1 AND code = ?2 AND id != ?3", params![round_id, e.code, except], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((name, unit)) = by_code {
        problems.push(format!("专家编号 {} 已被本批次的专家 {name}（{unit}）使用", e.code));
    }
    let by_name: Option<String> = conn
        .query_row(
            "SELECT code FROM expert WHERE round_id = ?1 AND name = ?2 AND unit = ?3 AND id != ?4",
            params![round_id, e.name, e.unit, except],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(code) = by_name {
        problems.push(format!("本批次已有专家 {}（{}），编号 {code}：同一单位的同名专家只能登记一次", e.name, e.unit));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::ExpertRefused { problems })
    }
}

/// How many sheets (draft or submitted) the expert has.
fn sheet_count(conn: &Connection, expert_id: i64) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM sheet WHERE expert_id = ?1", [expert_id], |r| r.get(0))?)
}

fn add_in(conn: &Connection, round_id: i64, e: &Expert, actor: &str) -> Result<i64> {
    let e = checked(e)?;
    let exists: bool = conn.query_row("SELECT count(*) FROM round WHERE id = ?1", [round_id], |r| r.get::<_, i64>(0))? > 0;
    if !exists {
        return Err(StoreError::NotFound { entity: "评审批次", id: round_id });
    }
    check_unique(conn, round_id, &e, None)?;
    conn.execute(
        "INSERT INTO expert (round_id, code, name, unit, title, field, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![round_id, e.code, e.name, e.unit, e.title, e.field, e.phone],
    )?;
    let id = conn.last_insert_rowid();
    let n = conn.execute("INSERT INTO assignment (expert_id, application_id) SELECT ?1, id FROM application WHERE round_id = ?2", [id, round_id])?;
    audit::append(conn, actor, audit::Action::AddExpert, &format!("round:{round_id}"), &format!("添加专家 {}，分配评审申报 {n} 项", who(&e)))?;
    Ok(id)
}

/// Adds an expert to a round, assigned to every application of the round. The 专家编号 must be new to the
/// round, and so must the 姓名 + 单位; 专家编号, 姓名 and 单位 are required and 手机 is empty or a mobile
/// number. Returns the expert's id.
pub fn add(conn: &mut Connection, round_id: i64, e: &Expert, actor: &str) -> Result<i64> {
    crate::transaction(conn, |tx| add_in(tx, round_id, e, actor))
}

/// The fields that differ, as "单位：甲 → 乙".
fn changes(old: &Expert, new: &Expert) -> Vec<String> {
    let fields = [
        ("专家编号", &old.code, &new.code),
        ("姓名", &old.name, &new.name),
        ("单位", &old.unit, &new.unit),
        ("职称", &old.title, &new.title),
        ("专业领域", &old.field, &new.field),
        ("手机", &old.phone, &new.phone),
    ];
    fields
        .iter()
        .filter(|(_, a, b)| a != b)
        .map(|(label, a, b)| {
            let show = |s: &str| if s.is_empty() { "（空）".to_string() } else { s.to_string() };
            format!("{label}：{} → {}", show(a), show(b))
        })
        .collect()
}

/// Changes an expert; returns whether anything changed (only a change is logged).
fn update_in(conn: &Connection, expert_id: i64, e: &Expert, actor: &str) -> Result<bool> {
    let e = checked(e)?;
    let old = get(conn, expert_id)?;
    if e.code != old.expert.code {
        let n = sheet_count(conn, expert_id)?;
        if n > 0 {
            return Err(StoreError::ExpertCodeInUse { expert: who(&old.expert), sheets: n, code: e.code });
        }
    }
    check_unique(conn, old.round_id, &e, Some(expert_id))?;
    let changed = changes(&old.expert, &e);
    if changed.is_empty() {
        return Ok(false);
    }
    conn.execute(
        "UPDATE expert SET code = ?2, name = ?3, unit = ?4, title = ?5, field = ?6, phone = ?7 WHERE id = ?1",
        params![expert_id, e.code, e.name, e.unit, e.title, e.field, e.phone],
    )?;
    audit::append(
        conn,
        actor,
        audit::Action::UpdateExpert,
        &format!("round:{}", old.round_id),
        &format!("修改专家 {} 的信息：{}", who(&old.expert), changed.join("；")),
    )?;
    Ok(true)
}

/// Changes an expert's details (same checks as [`add`]). The 专家编号 may not change once the expert has a
/// sheet (draft or submitted): score files and paper sheets name experts by it. A change is logged field
/// by field (old → new); an identical expert writes nothing.
pub fn update(conn: &Connection, expert_id: i64, e: &Expert, actor: &str) -> Result<()> {
    crate::atomically(conn, || update_in(conn, expert_id, e, actor).map(|_| ()))
}

/// Removes an expert from their round with their assignments and declarations. Refused once the expert has
/// any sheet (draft or submitted), and while this machine scores as that expert (a handed-out round).
pub fn remove(conn: &Connection, expert_id: i64, actor: &str) -> Result<()> {
    crate::atomically(conn, || {
        let old = get(conn, expert_id)?;
        let n = sheet_count(conn, expert_id)?;
        if n > 0 {
            return Err(StoreError::ExpertHasSheets { expert: who(&old.expert), sheets: n });
        }
        let chosen: i64 = conn.query_row("SELECT count(*) FROM round_handout WHERE expert_id = ?1", [expert_id], |r| r.get(0))?;
        if chosen > 0 {
            return Err(StoreError::ExpertScoresHere { expert: who(&old.expert) });
        }
        conn.execute("DELETE FROM expert WHERE id = ?1", [expert_id])?;
        audit::append(conn, actor, audit::Action::RemoveExpert, &format!("round:{}", old.round_id), &format!("删除专家 {}", who(&old.expert)))
    })
}

// ---- the panel's 组长 ----

/// The round's 组长, if one is set.
pub fn leader(conn: &Connection, round_id: i64) -> Result<Option<ExpertRow>> {
    Ok(list(conn, round_id)?.into_iter().find(|e| e.expert.role == Role::Leader))
}

/// Makes `expert_id` the round's 组长 (the one before, if any, becomes 成员), or, with `None`, leaves the
/// round without one; logged as a change of 组长 (nothing is written when nothing changes). Returns whether
/// anything changed.
fn set_leader_in(conn: &Connection, round_id: i64, expert_id: Option<i64>, actor: &str) -> Result<bool> {
    let before = leader(conn, round_id)?;
    let after = match expert_id {
        Some(id) => {
            let e = get(conn, id)?;
            if e.round_id != round_id {
                return Err(StoreError::ExpertNotInRound);
            }
            Some(e)
        }
        None => None,
    };
    if before.as_ref().map(|e| e.id) == after.as_ref().map(|e| e.id) {
        return Ok(false);
    }
    conn.execute("UPDATE expert SET role = 'member' WHERE round_id = ?1 AND role = 'leader'", [round_id])?;
    if let Some(e) = &after {
        conn.execute("UPDATE expert SET role = 'leader' WHERE id = ?1", [e.id])?;
    }
    let what = match (&before, &after) {
        (None, Some(a)) => format!("设定组长：{}", who(&a.expert)),
        (Some(b), Some(a)) => format!("组长由 {} 改为 {}", who(&b.expert), who(&a.expert)),
        (Some(b), None) => format!("取消组长 {}（本批次暂无组长）", who(&b.expert)),
        (None, None) => unreachable!("no change returned above"),
    };
    audit::append(conn, actor, audit::Action::SetLeader, &format!("round:{round_id}"), &what)?;
    Ok(true)
}

/// Makes an expert of the round its 组长, or (`None`) leaves the round without one. At most one 组长: the
/// one before becomes 成员. Logged; refused in a closed round.
pub fn set_leader(conn: &Connection, round_id: i64, expert_id: Option<i64>, actor: &str) -> Result<()> {
    crate::atomically(conn, || set_leader_in(conn, round_id, expert_id, actor).map(|_| ()))
}

/// Imports an expert list into a round, all or nothing, in one transaction: an expert whose 专家编号 the
/// round has is updated (as [`update`]), any other is added (as [`add`]). Refused as a whole, listing every
/// problem, when any expert is refused, when the list names a 专家编号 twice, or when a listed 专家编号 is a
/// different person in the round (姓名 and 单位 both differ: most likely a list whose codes were numbered
/// afresh; give the new expert a new code).
pub fn import(conn: &mut Connection, round_id: i64, experts: &[Expert], actor: &str) -> Result<ExpertImport> {
    import_with_roles(conn, round_id, experts, false, actor)
}

/// [`import`], and when `roles` (the list has the 角色 column) the roles of the list too: a list that names a
/// 组长 makes them the round's 组长 (the one before becomes 成员); a list that names none but lists the
/// round's 组长 as 成员 leaves the round without one; a list that does not list the 组长 leaves them 组长.
/// Two 组长 in the list refuse it. A change of 组长 is logged as [`set_leader`] logs it.
pub fn import_with_roles(conn: &mut Connection, round_id: i64, experts: &[Expert], roles: bool, actor: &str) -> Result<ExpertImport> {
    crate::transaction(conn, |tx| {
        let existing = list(tx, round_id)?;
        let mut problems = Vec::new();
        let mut done = ExpertImport::default();
        for (i, e) in experts.iter().enumerate() {
            let code = e.code.trim();
            if experts[..i].iter().any(|p| p.code.trim() == code) {
                problems.push(format!("名单中专家编号 {code} 出现了两次"));
                continue;
            }
            let label = if code.is_empty() { format!("第 {} 位专家 {}", i + 1, e.name.trim()) } else { format!("专家 {code}") };
            let result = match existing.iter().find(|x| x.expert.code == code) {
                Some(x) if x.expert.name != e.name.trim() && x.expert.unit != e.unit.trim() => {
                    problems.push(format!(
                        "{label}：本批次中编号 {code} 是 {}（{}），名单中却是 {}（{}），姓名和单位都不同；如是另一位专家，请给他新的专家编号",
                        x.expert.name,
                        x.expert.unit,
                        e.name.trim(),
                        e.unit.trim()
                    ));
                    continue;
                }
                Some(x) => update_in(tx, x.id, e, actor).map(|changed| if changed { done.updated += 1 } else { done.unchanged += 1 }),
                None => add_in(tx, round_id, e, actor).map(|_| done.added += 1),
            };
            if let Err(err) = result {
                problems.push(format!("{label}：{err}"));
            }
        }
        if roles {
            if let Err(two) = pingshen_core::expert::check_one_leader(experts) {
                problems.push(two.to_string());
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::ExpertListRefused { problems });
        }
        if roles {
            let current = leader(tx, round_id)?;
            let code_of = |code: &str| -> Result<i64> {
                Ok(tx.query_row("SELECT id FROM expert WHERE round_id = ?1 AND code = ?2", params![round_id, code], |r| r.get(0))?)
            };
            match experts.iter().find(|e| e.role == Role::Leader) {
                Some(l) => {
                    set_leader_in(tx, round_id, Some(code_of(l.code.trim())?), actor)?;
                }
                None if current.as_ref().is_some_and(|c| experts.iter().any(|e| e.code.trim() == c.expert.code)) => {
                    set_leader_in(tx, round_id, None, actor)?;
                }
                None => {}
            }
        }
        audit::append(
            tx,
            actor,
            audit::Action::ImportExperts,
            &format!("round:{round_id}"),
            &format!("导入专家名单（{} 人）：{}", experts.len(), done.summary_zh()),
        )?;
        Ok(done)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounds::{self, NewApplication, NewRound};
    use pingshen_core::application::Application;
    use pingshen_core::Tenths;

    const HENAN: &str = include_str!("../../../rubrics/henan-2023/rubric.toml");

    fn expert(code: &str, name: &str, unit: &str) -> Expert {
        Expert { code: code.into(), name: name.into(), unit: unit.into(), title: "教授".into(), ..Default::default() }
    }

    fn round(conn: &mut Connection) -> i64 {
        let app = |code: &str| NewApplication { code: code.into(), application: Application::default(), materials: vec![] };
        rounds::create(
            conn,
            &NewRound {
                name: "专家".into(),
                rubric_text: HENAN.into(),
                applications: vec![app("A01"), app("A02")],
                experts: vec![expert("E01", "张三", "甲学院")],
                is_sample: false,
                uid: None,
            },
            "测试",
        )
        .unwrap()
    }

    fn id_of(conn: &Connection, table: &str, code: &str) -> i64 {
        conn.query_row(&format!("SELECT id FROM {table} WHERE code = ?1"), [code], |r| r.get(0)).unwrap()
    }

    fn actions(conn: &Connection) -> Vec<String> {
        audit::list(conn).unwrap().into_iter().map(|e| e.action).collect()
    }

    #[test]
    fn a_recusal_keeps_its_reason_and_source_until_withdrawn() {
        let mut conn = crate::open_in_memory().unwrap();
        let rid = round(&mut conn);
        let (e, a1, a2) = (id_of(&conn, "expert", "E01"), id_of(&conn, "application", "A01"), id_of(&conn, "application", "A02"));
        set_recused(&conn, e, a1, true, " 曾任牵头学校顾问 ", RecusalSource::Staff, "统分人").unwrap();
        set_recused(&conn, e, a2, true, "配偶在成员企业任职", RecusalSource::Expert, "张三").unwrap();
        let rows = assignments(&conn, rid).unwrap();
        assert_eq!(
            rows,
            vec![
                AssignmentRow {
                    expert_id: e,
                    application_id: a1,
                    recused: true,
                    reason: "曾任牵头学校顾问".into(),
                    source: Some(RecusalSource::Staff)
                },
                AssignmentRow {
                    expert_id: e,
                    application_id: a2,
                    recused: true,
                    reason: "配偶在成员企业任职".into(),
                    source: Some(RecusalSource::Expert)
                },
            ]
        );
        set_recused(&conn, e, a1, false, "误登记", RecusalSource::Staff, "统分人").unwrap();
        let rows = assignments(&conn, rid).unwrap();
        assert_eq!((rows[0].recused, rows[0].reason.as_str(), rows[0].source), (false, "", None));
        let log = audit::list(&conn).unwrap();
        assert!(log.iter().any(|l| l.detail == "专家 E01 本人声明回避申报 A02：配偶在成员企业任职" && l.actor == "张三"), "{log:?}");
        // A refused recusal changes nothing.
        let rubric = rounds::rubric(&conn, rid).unwrap();
        let s = crate::sheets::open(&conn, e, a1).unwrap();
        crate::sheets::set_score(&conn, &rubric, s, "1.1", Some(Tenths(40))).unwrap();
        assert!(set_recused(&conn, e, a1, true, "理由", RecusalSource::Staff, "统分人").is_err());
        assert!(!assignments(&conn, rid).unwrap()[0].recused);
    }

    #[test]
    fn an_added_expert_is_assigned_everything_and_codes_and_people_are_unique() {
        let mut conn = crate::open_in_memory().unwrap();
        let rid = round(&mut conn);
        let id = add(&mut conn, rid, &expert(" E02 ", "李四", "乙企业"), "统分人").unwrap();
        let row = list(&conn, rid).unwrap().into_iter().find(|r| r.id == id).unwrap();
        assert_eq!(row.expert.code, "E02", "trimmed");
        assert_eq!(assignments(&conn, rid).unwrap().iter().filter(|a| a.expert_id == id).count(), 2);
        let err = add(&mut conn, rid, &expert("E02", "王五", "丙学院"), "统分人").unwrap_err();
        assert_eq!(err.to_string(), "专家编号 E02 已被本批次的专家 李四（乙企业）使用");
        let err = add(&mut conn, rid, &expert("E03", "李四", "乙企业"), "统分人").unwrap_err();
        assert!(err.to_string().contains("本批次已有专家 李四（乙企业），编号 E02"), "{err}");
        let err = add(&mut conn, rid, &Expert { phone: "2345".into(), ..Default::default() }, "统分人").unwrap_err();
        assert_eq!(
            err.to_string(),
            "专家编号不能为空；姓名不能为空；单位不能为空（回避建议按单位比对）；手机号“2345”应为以 1 开头的 11 位数字（可留空）"
        );
        assert!(add(&mut conn, 999, &expert("E09", "赵六", "丁学院"), "统分人").is_err());
        assert_eq!(list(&conn, rid).unwrap().len(), 2);
        assert_eq!(actions(&conn).iter().filter(|a| *a == "add_expert").count(), 1);
    }

    #[test]
    fn the_code_is_fixed_once_there_is_a_sheet_and_removal_is_refused() {
        let mut conn = crate::open_in_memory().unwrap();
        let rid = round(&mut conn);
        let e = id_of(&conn, "expert", "E01");
        update(&conn, e, &Expert { phone: "13800138000".into(), ..expert("E11", "张三", "甲学院") }, "统分人").unwrap();
        let log = audit::list(&conn).unwrap();
        assert_eq!(log.last().unwrap().detail, "修改专家 E01 张三（甲学院） 的信息：专家编号：E01 → E11；手机：（空） → 13800138000");
        update(&conn, e, &Expert { phone: "13800138000".into(), ..expert("E11", "张三", "甲学院") }, "统分人").unwrap();
        assert_eq!(audit::list(&conn).unwrap().len(), log.len(), "no change, no entry");

        crate::sheets::open(&conn, e, id_of(&conn, "application", "A01")).unwrap();
        let err = update(&conn, e, &expert("E01", "张三", "甲学院"), "统分人").unwrap_err();
        assert!(err.to_string().contains("专家编号不能再改为 E01"), "{err}");
        update(&conn, e, &Expert { title: "研究员".into(), phone: "13800138000".into(), ..expert("E11", "张三", "甲学院") }, "统分人").unwrap();
        let err = remove(&conn, e, "统分人").unwrap_err();
        assert_eq!(err.to_string(), "专家 E11 张三（甲学院） 已有评分表 1 份，不能删除");

        let other = add(&mut conn, rid, &expert("E02", "李四", "乙企业"), "统分人").unwrap();
        remove(&conn, other, "统分人").unwrap();
        assert_eq!(list(&conn, rid).unwrap().len(), 1);
        assert!(assignments(&conn, rid).unwrap().iter().all(|a| a.expert_id == e));
        assert!(actions(&conn).contains(&"remove_expert".to_string()));
    }

    #[test]
    fn an_import_adds_and_updates_all_or_nothing() {
        let mut conn = crate::open_in_memory().unwrap();
        let rid = round(&mut conn);
        let list1 = vec![
            Expert { title: "副教授".into(), ..expert("E01", "张三", "甲学院") },
            expert("E02", "李四", "乙企业"),
            expert("E03", "王五", "丙学院"),
        ];
        let done = import(&mut conn, rid, &list1, "统分人").unwrap();
        assert_eq!(done, ExpertImport { added: 2, updated: 1, unchanged: 0 });
        assert_eq!(list(&conn, rid).unwrap().iter().map(|r| r.expert.title.as_str()).collect::<Vec<_>>(), ["副教授", "教授", "教授"]);
        assert_eq!(assignments(&conn, rid).unwrap().len(), 6);
        let again = import(&mut conn, rid, &list1, "统分人").unwrap();
        assert_eq!(again, ExpertImport { added: 0, updated: 0, unchanged: 3 });

        // One bad expert, a repeated code and a renumbered person: nothing at all is written.
        let before = audit::list(&conn).unwrap().len();
        let bad = vec![
            expert("E04", "赵六", "丁学院"),
            Expert { phone: "123".into(), ..expert("E05", "钱七", "戊企业") },
            expert("E04", "孙八", "己学院"),
            expert("E02", "周九", "庚学院"),
        ];
        let err = import(&mut conn, rid, &bad, "统分人").unwrap_err();
        assert_eq!(
            err.to_string(),
            "专家名单未导入（本批次未做任何改动）：专家 E05：手机号“123”应为以 1 开头的 11 位数字（可留空）；名单中专家编号 E04 出现了两次；\
             专家 E02：本批次中编号 E02 是 李四（乙企业），名单中却是 周九（庚学院），姓名和单位都不同；如是另一位专家，请给他新的专家编号"
        );
        assert_eq!(list(&conn, rid).unwrap().len(), 3);
        assert_eq!(audit::list(&conn).unwrap().len(), before);
    }
}
