//! What the panel writes besides scores: the 专家组意见 on each application (every saved version kept, the
//! newest counting, written by the round's 组长) and the 实地考察 records with their findings, a 不属实 one
//! of which may be proposed as a 否定性指标 for the panel to decide (`settlements::resolve_veto`). The rules
//! are core's (`pingshen_core::panel`); every change is logged; a closed round refuses all of it (triggers of
//! migration 008).

use pingshen_core::panel::{check_opinion, check_veto_proposal, check_visit, Check, Conclusion, Finding, Member, Opinion, Visit};
use pingshen_core::rubric::Rubric;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{audit, experts, Result, StoreError};

// ---- 专家组意见 ----

/// A saved version of the 专家组意见 on an application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpinionRow {
    pub id: i64,
    pub application_id: i64,
    pub application_code: String,
    /// 1 for the first saved version of the application's opinion, 2 for the next …
    pub version: u32,
    /// The 组长 who wrote it (专家编号 and 姓名 as they were then).
    pub author_code: String,
    pub author_name: String,
    pub opinion: Opinion,
    pub actor: String,
    pub at: String,
}

/// The round and the 申报编号 of an application.
fn application(conn: &Connection, application_id: i64) -> Result<(i64, String)> {
    conn.query_row("SELECT round_id, code FROM application WHERE id = ?1", [application_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(StoreError::NotFound { entity: "申报材料", id: application_id })
}

/// Saves a new version of the 专家组意见 on an application, its author the round's 组长. Refused (nothing
/// written) when the opinion does not pass `check_opinion` (every problem at once), when the round has no
/// 组长, and in a closed round. Logged. Returns the new version's id.
pub fn save_opinion(conn: &Connection, application_id: i64, opinion: &Opinion, actor: &str) -> Result<i64> {
    let o = check_opinion(opinion).map_err(|problems| StoreError::OpinionRefused { problems })?;
    let (round_id, code) = application(conn, application_id)?;
    let leader = experts::leader(conn, round_id)?.ok_or(StoreError::NoLeader)?;
    crate::atomically(conn, || {
        conn.execute(
            "INSERT INTO panel_opinion (application_id, author_code, author_name, strengths, problems, suggestions, conclusion, conclusion_note, actor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                application_id,
                leader.expert.code,
                leader.expert.name,
                o.strengths,
                o.problems,
                o.suggestions,
                o.conclusion.as_db(),
                o.conclusion_note,
                actor
            ],
        )?;
        let id = conn.last_insert_rowid();
        let version: i64 = conn.query_row("SELECT count(*) FROM panel_opinion WHERE application_id = ?1", [application_id], |r| r.get(0))?;
        let note = if o.conclusion_note.is_empty() { String::new() } else { format!("（{}）", o.conclusion_note) };
        audit::append(
            conn,
            actor,
            audit::Action::PanelOpinion,
            &format!("application:{application_id}"),
            &format!(
                "组长 {} {} 填写申报 {code} 的专家组意见（第 {version} 稿）：结论 {}{note}",
                leader.expert.code,
                leader.expert.name,
                o.conclusion.zh()
            ),
        )?;
        Ok(id)
    })
}

fn opinions_where(conn: &Connection, filter: &str, param: i64) -> Result<Vec<OpinionRow>> {
    let sql = format!(
        "SELECT o.id, o.application_id, a.code,
                (SELECT count(*) FROM panel_opinion x WHERE x.application_id = o.application_id AND x.id <= o.id),
                o.author_code, o.author_name, o.strengths, o.problems, o.suggestions, o.conclusion, o.conclusion_note, o.actor, o.at
         FROM panel_opinion o JOIN application a ON a.id = o.application_id WHERE {filter} ORDER BY a.code, o.id"
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map([param], |r| {
        let conclusion: String = r.get(9)?;
        Ok(OpinionRow {
            id: r.get(0)?,
            application_id: r.get(1)?,
            application_code: r.get(2)?,
            version: r.get(3)?,
            author_code: r.get(4)?,
            author_name: r.get(5)?,
            opinion: Opinion {
                strengths: r.get(6)?,
                problems: r.get(7)?,
                suggestions: r.get(8)?,
                conclusion: Conclusion::from_db(&conclusion).unwrap_or(Conclusion::NotRecommend),
                conclusion_note: r.get(10)?,
            },
            actor: r.get(11)?,
            at: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest version of the 专家组意见 of each application of a round that has one, by 申报编号.
pub fn latest_opinions(conn: &Connection, round_id: i64) -> Result<Vec<OpinionRow>> {
    opinions_where(conn, "a.round_id = ?1 AND o.id = (SELECT max(id) FROM panel_opinion y WHERE y.application_id = o.application_id)", round_id)
}

/// Every saved version of the 专家组意见 on an application, oldest first.
pub fn opinion_history(conn: &Connection, application_id: i64) -> Result<Vec<OpinionRow>> {
    opinions_where(conn, "o.application_id = ?1", application_id)
}

// ---- 实地考察 ----

/// A 不属实 finding proposed as a 否定性指标.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalRow {
    pub veto: String,
    pub actor: String,
    pub at: String,
}

/// A stored finding (its id in `check.id`) with the 否定性指标 it was proposed as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingRow {
    pub check: Check,
    pub proposals: Vec<ProposalRow>,
}

/// A stored 实地考察.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitRow {
    pub id: i64,
    pub application_id: i64,
    pub application_code: String,
    /// 第 N 次 of the application's visits.
    pub seq: u32,
    pub date: String,
    pub place: String,
    pub members: Vec<Member>,
    pub findings: Vec<FindingRow>,
    pub created_at: String,
    pub updated_at: String,
}

/// "共建产业学院：不属实（未见挂牌）".
fn finding_text(c: &Check) -> String {
    if c.note.is_empty() {
        format!("{}：{}", c.claim, c.finding.zh())
    } else {
        format!("{}：{}（{}）", c.claim, c.finding.zh(), c.note)
    }
}

fn visit_summary(v: &Visit) -> String {
    let false_count = v.checks.iter().filter(|c| c.finding == Finding::False).count();
    let names: Vec<&str> = v.members.iter().map(|m| m.name.as_str()).collect();
    format!(
        "{}，考察组 {} 人（{}），核查 {} 项{}",
        v.date,
        v.members.len(),
        names.join("、"),
        v.checks.len(),
        if false_count > 0 { format!("，其中不属实 {false_count} 项") } else { String::new() }
    )
}

/// Saves a 实地考察 of an application: a new one (`visit_id` `None`, numbered after the application's
/// others) or changes to one (members replaced; findings kept by their id, changed, added or removed).
/// Refused, nothing written: a visit that does not pass `check_visit` (every problem at once), a member named
/// as an expert the round does not have (an expert member's 姓名 and 单位 are taken from the expert list),
/// a finding proposed as a 否定性指标 that is removed or no longer 不属实, a visit of another application, a
/// closed round. Logged. Returns the visit's id.
pub fn save_visit(conn: &Connection, application_id: i64, visit_id: Option<i64>, visit: &Visit, actor: &str) -> Result<i64> {
    let (round_id, code) = application(conn, application_id)?;
    let roster = experts::list(conn, round_id)?;
    let mut named = visit.clone();
    for m in &mut named.members {
        if let Some(c) = &m.expert {
            let e = roster.iter().find(|e| &e.expert.code == c).ok_or(StoreError::ExpertNotInRound)?;
            m.name = e.expert.name.clone();
            m.unit = e.expert.unit.clone();
        }
    }
    let mut v = check_visit(&named).map_err(|problems| StoreError::VisitRefused { problems })?;
    crate::atomically(conn, || {
        let (id, seq, verb) = match visit_id {
            None => {
                let seq: i64 =
                    conn.query_row("SELECT coalesce(max(seq), 0) + 1 FROM site_visit WHERE application_id = ?1", [application_id], |r| r.get(0))?;
                conn.execute(
                    "INSERT INTO site_visit (application_id, seq, visit_date, place) VALUES (?1, ?2, ?3, ?4)",
                    params![application_id, seq, v.date, v.place],
                )?;
                (conn.last_insert_rowid(), seq, "记录")
            }
            Some(id) => {
                let (app, seq): (i64, i64) = conn
                    .query_row("SELECT application_id, seq FROM site_visit WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?
                    .ok_or(StoreError::NotFound { entity: "实地考察记录", id })?;
                if app != application_id {
                    return Err(StoreError::NotFound { entity: "实地考察记录", id });
                }
                conn.execute(
                    "UPDATE site_visit SET visit_date = ?2, place = ?3, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
                    params![id, v.date, v.place],
                )?;
                (id, seq, "修改")
            }
        };
        conn.execute("DELETE FROM site_visit_member WHERE visit_id = ?1", [id])?;
        for (i, m) in v.members.iter().enumerate() {
            conn.execute(
                "INSERT INTO site_visit_member (visit_id, position, expert_code, name, unit, duty) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, (i + 1) as i64, m.expert, m.name, m.unit, m.duty],
            )?;
        }
        // Findings: every stored one not kept is removed (unless proposed), kept ones move out of the way of
        // the new positions, then each row is written at its place.
        let stored = findings(conn, id)?;
        for f in &stored {
            let kept = v.checks.iter().find(|c| c.id == f.check.id);
            let proposed = !f.proposals.is_empty();
            match kept {
                None if proposed => return Err(StoreError::FindingProposed { claim: f.check.claim.clone() }),
                Some(c) if proposed && c.finding != Finding::False => return Err(StoreError::FindingProposed { claim: f.check.claim.clone() }),
                None => {
                    conn.execute("DELETE FROM site_visit_finding WHERE id = ?1", [f.check.id])?;
                }
                Some(_) => {
                    conn.execute("UPDATE site_visit_finding SET position = position + 1000000 WHERE id = ?1", [f.check.id])?;
                }
            }
        }
        for c in &v.checks {
            if let Some(fid) = c.id {
                if !stored.iter().any(|f| f.check.id == Some(fid)) {
                    return Err(StoreError::NotFound { entity: "核查记录", id: fid });
                }
            }
        }
        for (i, c) in v.checks.iter_mut().enumerate() {
            let pos = (i + 1) as i64;
            match c.id {
                Some(fid) => {
                    conn.execute(
                        "UPDATE site_visit_finding SET position = ?2, claim = ?3, finding = ?4, note = ?5 WHERE id = ?1",
                        params![fid, pos, c.claim, c.finding.as_db(), c.note],
                    )?;
                }
                None => {
                    conn.execute(
                        "INSERT INTO site_visit_finding (visit_id, position, claim, finding, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![id, pos, c.claim, c.finding.as_db(), c.note],
                    )?;
                    c.id = Some(conn.last_insert_rowid());
                }
            }
        }
        audit::append(
            conn,
            actor,
            audit::Action::SiteVisit,
            &format!("application:{application_id}"),
            &format!("{verb}申报 {code} 的第 {seq} 次实地考察：{}", visit_summary(&v)),
        )?;
        Ok(id)
    })
}

/// Deletes a 实地考察 record; refused when one of its findings was proposed as a 否定性指标, and in a closed
/// round. Logged.
pub fn delete_visit(conn: &Connection, visit_id: i64, actor: &str) -> Result<()> {
    crate::atomically(conn, || {
        let (application_id, seq, date): (i64, i64, String) = conn
            .query_row("SELECT application_id, seq, visit_date FROM site_visit WHERE id = ?1", [visit_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or(StoreError::NotFound { entity: "实地考察记录", id: visit_id })?;
        if let Some(f) = findings(conn, visit_id)?.into_iter().find(|f| !f.proposals.is_empty()) {
            return Err(StoreError::FindingProposed { claim: f.check.claim });
        }
        let (_, code) = application(conn, application_id)?;
        conn.execute("DELETE FROM site_visit WHERE id = ?1", [visit_id])?;
        audit::append(
            conn,
            actor,
            audit::Action::DeleteSiteVisit,
            &format!("application:{application_id}"),
            &format!("删除申报 {code} 的第 {seq} 次实地考察记录（{date}）"),
        )
    })
}

/// Proposes a 不属实 finding as the rubric's 否定性指标 `code`: a proposal the panel decides by its vote, which
/// never applies by itself. Refused for a finding that is not 不属实, a rubric without 否定性指标, a code the
/// rubric does not have, a proposal made already, a closed round. Logged.
pub fn propose_veto(conn: &Connection, rubric: &Rubric, finding_id: i64, code: &str, actor: &str) -> Result<()> {
    let (check, application_id, seq): (Check, i64, i64) = conn
        .query_row(
            "SELECT f.id, f.claim, f.finding, f.note, v.application_id, v.seq FROM site_visit_finding f JOIN site_visit v ON v.id = f.visit_id WHERE f.id = ?1",
            [finding_id],
            |r| {
                let finding: String = r.get(2)?;
                Ok((
                    Check { id: r.get(0)?, claim: r.get(1)?, finding: Finding::from_db(&finding).unwrap_or(Finding::True), note: r.get(3)? },
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .optional()?
        .ok_or(StoreError::NotFound { entity: "核查记录", id: finding_id })?;
    let veto = check_veto_proposal(rubric, check.finding, code)?;
    let (_, app_code) = application(conn, application_id)?;
    crate::atomically(conn, || {
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM site_visit_veto WHERE finding_id = ?1 AND veto_code = ?2)",
            params![finding_id, code],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::ProposalExists { code: code.to_string() });
        }
        conn.execute("INSERT INTO site_visit_veto (finding_id, veto_code, actor) VALUES (?1, ?2, ?3)", params![finding_id, code, actor])?;
        audit::append(
            conn,
            actor,
            audit::Action::SiteVisitVetoProposal,
            &format!("application:{application_id}"),
            &format!(
                "申报 {app_code} 第 {seq} 次实地考察的核查结论「{}」提议为否定性指标 {}「{}」，待评审组表决认定",
                finding_text(&check),
                veto.code,
                veto.text
            ),
        )
    })
}

/// The findings of a visit, in order, with their proposals.
fn findings(conn: &Connection, visit_id: i64) -> Result<Vec<FindingRow>> {
    let mut st = conn.prepare("SELECT id, claim, finding, note FROM site_visit_finding WHERE visit_id = ?1 ORDER BY position")?;
    let checks: Vec<Check> = st
        .query_map([visit_id], |r| {
            let finding: String = r.get(2)?;
            Ok(Check { id: r.get(0)?, claim: r.get(1)?, finding: Finding::from_db(&finding).unwrap_or(Finding::True), note: r.get(3)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare("SELECT veto_code, actor, at FROM site_visit_veto WHERE finding_id = ?1 ORDER BY at, veto_code")?;
    let mut out = Vec::with_capacity(checks.len());
    for check in checks {
        let proposals =
            st.query_map([check.id], |r| Ok(ProposalRow { veto: r.get(0)?, actor: r.get(1)?, at: r.get(2)? }))?.collect::<rusqlite::Result<_>>()?;
        out.push(FindingRow { check, proposals });
    }
    Ok(out)
}

/// Every 实地考察 of a round, by 申报编号 and then in order.
pub fn visits(conn: &Connection, round_id: i64) -> Result<Vec<VisitRow>> {
    let mut st = conn.prepare(
        "SELECT v.id, v.application_id, a.code, v.seq, v.visit_date, v.place, v.created_at, v.updated_at
         FROM site_visit v JOIN application a ON a.id = v.application_id WHERE a.round_id = ?1 ORDER BY a.code, v.seq",
    )?;
    let heads: Vec<VisitRow> = st
        .query_map([round_id], |r| {
            Ok(VisitRow {
                id: r.get(0)?,
                application_id: r.get(1)?,
                application_code: r.get(2)?,
                seq: r.get(3)?,
                date: r.get(4)?,
                place: r.get(5)?,
                members: Vec::new(),
                findings: Vec::new(),
                created_at: r.get(6)?,
                updated_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut members = conn.prepare("SELECT expert_code, name, unit, duty FROM site_visit_member WHERE visit_id = ?1 ORDER BY position")?;
    let mut out = Vec::with_capacity(heads.len());
    for mut v in heads {
        v.members = members
            .query_map([v.id], |r| Ok(Member { expert: r.get(0)?, name: r.get(1)?, unit: r.get(2)?, duty: r.get(3)? }))?
            .collect::<rusqlite::Result<_>>()?;
        v.findings = findings(conn, v.id)?;
        out.push(v);
    }
    Ok(out)
}

/// A 否定性指标 proposed from a 实地考察 finding, as the 否定性指标 tab shows its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitProposal {
    pub application_code: String,
    pub veto: String,
    pub visit_seq: u32,
    pub visit_date: String,
    pub finding: Check,
    pub at: String,
}

/// Every 否定性指标 proposed from a 实地考察 of a round, oldest first.
pub fn visit_proposals(conn: &Connection, round_id: i64) -> Result<Vec<VisitProposal>> {
    let mut st = conn.prepare(
        "SELECT a.code, p.veto_code, v.seq, v.visit_date, f.id, f.claim, f.finding, f.note, p.at
         FROM site_visit_veto p JOIN site_visit_finding f ON f.id = p.finding_id JOIN site_visit v ON v.id = f.visit_id
         JOIN application a ON a.id = v.application_id WHERE a.round_id = ?1 ORDER BY p.at, a.code, v.seq, f.position",
    )?;
    let rows = st.query_map([round_id], |r| {
        let finding: String = r.get(6)?;
        Ok(VisitProposal {
            application_code: r.get(0)?,
            veto: r.get(1)?,
            visit_seq: r.get(2)?,
            visit_date: r.get(3)?,
            finding: Check { id: r.get(4)?, claim: r.get(5)?, finding: Finding::from_db(&finding).unwrap_or(Finding::True), note: r.get(7)? },
            at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounds::{self, NewApplication, NewRound};
    use pingshen_core::application::Application;
    use pingshen_core::expert::Expert;

    const VETOES: &str = include_str!("../../../tests/consolidation/rubric-vetoes/rubric.toml");

    fn round(conn: &mut Connection, rubric: &str) -> (i64, i64, i64) {
        let app = |code: &str| NewApplication { code: code.into(), application: Application::default(), materials: vec![] };
        let expert = |code: &str, name: &str| Expert { code: code.into(), name: name.into(), unit: format!("{name}单位"), ..Default::default() };
        let rid = rounds::create(
            conn,
            &NewRound {
                name: "专家组".into(),
                rubric_text: rubric.into(),
                applications: vec![app("A01"), app("A02")],
                experts: vec![expert("E01", "张三"), expert("E02", "李四")],
                is_sample: false,
                uid: None,
            },
            "测试",
        )
        .unwrap();
        let a = |code: &str| conn.query_row("SELECT id FROM application WHERE code = ?1", [code], |r| r.get(0)).unwrap();
        (rid, a("A01"), a("A02"))
    }

    fn expert_id(conn: &Connection, code: &str) -> i64 {
        conn.query_row("SELECT id FROM expert WHERE code = ?1", [code], |r| r.get(0)).unwrap()
    }

    fn opinion(conclusion: Conclusion) -> Opinion {
        Opinion {
            strengths: "产业基础好".into(),
            problems: "机制不健全".into(),
            suggestions: "完善章程".into(),
            conclusion,
            conclusion_note: "".into(),
        }
    }

    fn actions(conn: &Connection) -> Vec<String> {
        audit::list(conn).unwrap().into_iter().map(|e| e.action).collect()
    }

    #[test]
    fn one_leader_per_round_and_every_change_is_logged() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, _, _) = round(&mut conn, VETOES);
        let (e1, e2) = (expert_id(&conn, "E01"), expert_id(&conn, "E02"));
        assert!(experts::leader(&conn, rid).unwrap().is_none());
        experts::set_leader(&conn, rid, Some(e1), "统分人").unwrap();
        experts::set_leader(&conn, rid, Some(e1), "统分人").unwrap();
        experts::set_leader(&conn, rid, Some(e2), "统分人").unwrap();
        assert_eq!(experts::leader(&conn, rid).unwrap().unwrap().expert.code, "E02");
        let leaders: i64 = conn.query_row("SELECT count(*) FROM expert WHERE role = 'leader'", [], |r| r.get(0)).unwrap();
        assert_eq!(leaders, 1);
        // The database itself refuses a second one.
        assert!(conn.execute("UPDATE expert SET role = 'leader' WHERE id = ?1", [e1]).is_err());
        experts::set_leader(&conn, rid, None, "统分人").unwrap();
        let log: Vec<String> = audit::list(&conn).unwrap().into_iter().filter(|e| e.action == "set_leader").map(|e| e.detail).collect();
        assert_eq!(
            log,
            [
                "设定组长：E01 张三（张三单位）",
                "组长由 E01 张三（张三单位） 改为 E02 李四（李四单位）",
                "取消组长 E02 李四（李四单位）（本批次暂无组长）"
            ]
        );
        // An edit of the expert's details keeps the role.
        experts::set_leader(&conn, rid, Some(e1), "统分人").unwrap();
        let mut e = experts::list(&conn, rid).unwrap()[0].expert.clone();
        e.title = "教授".into();
        e.role = pingshen_core::expert::Role::Member;
        experts::update(&conn, e1, &e, "统分人").unwrap();
        assert_eq!(experts::leader(&conn, rid).unwrap().unwrap().id, e1);
    }

    #[test]
    fn an_opinion_needs_a_leader_every_version_is_kept_and_the_newest_counts() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, a1, a2) = round(&mut conn, VETOES);
        let err = save_opinion(&conn, a1, &opinion(Conclusion::Recommend), "统分人").unwrap_err();
        assert!(matches!(err, StoreError::NoLeader), "{err}");
        assert!(err.to_string().contains("请先在“专家名单”中设定组长"));
        experts::set_leader(&conn, rid, Some(expert_id(&conn, "E02")), "统分人").unwrap();
        let bad = Opinion { strengths: "".into(), ..opinion(Conclusion::Recommend) };
        assert_eq!(save_opinion(&conn, a1, &bad, "统分人").unwrap_err().to_string(), "专家组意见未保存：请填写“主要优势”");
        save_opinion(&conn, a1, &opinion(Conclusion::Recommend), "统分人").unwrap();
        save_opinion(&conn, a1, &Opinion { conclusion_note: "待实地考察后确认".into(), ..opinion(Conclusion::NotRecommend) }, "统分人").unwrap();
        save_opinion(&conn, a2, &opinion(Conclusion::Recommend), "统分人").unwrap();
        let latest = latest_opinions(&conn, rid).unwrap();
        assert_eq!(latest.len(), 2);
        assert_eq!((latest[0].application_code.as_str(), latest[0].version, latest[0].opinion.conclusion), ("A01", 2, Conclusion::NotRecommend));
        assert_eq!((latest[0].author_code.as_str(), latest[0].author_name.as_str()), ("E02", "李四"));
        assert_eq!(opinion_history(&conn, a1).unwrap().len(), 2);
        let log = audit::list(&conn).unwrap();
        assert!(log.iter().any(|e| e.detail == "组长 E02 李四 填写申报 A01 的专家组意见（第 2 稿）：结论 不予推荐（待实地考察后确认）"), "{log:?}");
        rounds::close(&conn, rid, "统分人").unwrap();
        assert!(matches!(save_opinion(&conn, a1, &opinion(Conclusion::Recommend), "统分人").unwrap_err(), StoreError::RoundClosed));
    }

    fn visit(checks: Vec<Check>) -> Visit {
        Visit {
            date: "2026-11-20".into(),
            place: "洛阳".into(),
            members: vec![
                Member { expert: Some("E01".into()), name: "".into(), unit: "".into(), duty: "组长".into() },
                Member { expert: None, name: "王监督".into(), unit: "省纪委监委驻厅纪检监察组".into(), duty: "监督人员".into() },
            ],
            checks,
        }
    }

    fn check(id: Option<i64>, claim: &str, finding: Finding, note: &str) -> Check {
        Check { id, claim: claim.into(), finding, note: note.into() }
    }

    #[test]
    fn a_visit_is_saved_edited_and_a_false_finding_is_proposed_but_never_decided() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, a1, _) = round(&mut conn, VETOES);
        let rubric = rounds::rubric(&conn, rid).unwrap();
        let v = visit(vec![check(None, "实训基地 3 个", Finding::True, ""), check(None, "共建产业学院", Finding::False, "未见挂牌")]);
        let id = save_visit(&conn, a1, None, &v, "统分人").unwrap();
        let second = save_visit(&conn, a1, None, &v, "统分人").unwrap();
        let all = visits(&conn, rid).unwrap();
        assert_eq!(all.iter().map(|v| v.seq).collect::<Vec<_>>(), [1, 2], "more than one visit per application");
        let first = &all[0];
        assert_eq!((first.members[0].name.as_str(), first.members[0].unit.as_str()), ("张三", "张三单位"), "taken from the expert list");
        let ids: Vec<i64> = first.findings.iter().map(|f| f.check.id.unwrap()).collect();

        // Only the 不属实 finding becomes a proposal, once, of one of the rubric's vetoes.
        assert!(matches!(propose_veto(&conn, &rubric, ids[0], "V1", "统分人").unwrap_err(), StoreError::Proposal(_)));
        assert!(propose_veto(&conn, &rubric, ids[1], "V9", "统分人").is_err());
        propose_veto(&conn, &rubric, ids[1], "V1", "统分人").unwrap();
        assert!(matches!(propose_veto(&conn, &rubric, ids[1], "V1", "统分人").unwrap_err(), StoreError::ProposalExists { .. }));
        let p = visit_proposals(&conn, rid).unwrap();
        assert_eq!((p.len(), p[0].veto.as_str(), p[0].finding.claim.as_str(), p[0].visit_seq), (1, "V1", "共建产业学院", 1));
        assert!(crate::settlements::veto_resolutions(&conn, rid).unwrap().is_empty(), "a proposal decides nothing");
        assert!(audit::list(&conn).unwrap().iter().any(|e| e.detail
            == "申报 A01 第 1 次实地考察的核查结论「共建产业学院：不属实（未见挂牌）」提议为否定性指标 V1「申报材料弄虚作假」，待评审组表决认定"));

        // Edits keep the finding's id; a proposed finding cannot go or stop being 不属实.
        let edited = visit(vec![
            check(Some(ids[1]), "共建产业学院（挂牌）", Finding::False, "未见挂牌及运行记录"),
            check(None, "新增一项", Finding::Partly, "部分"),
        ]);
        save_visit(&conn, a1, Some(id), &edited, "统分人").unwrap();
        let again = &visits(&conn, rid).unwrap()[0];
        assert_eq!(again.findings.len(), 2);
        assert_eq!((again.findings[0].check.id, again.findings[0].proposals.len()), (Some(ids[1]), 1));
        let dropped = visit(vec![check(None, "别的", Finding::True, "")]);
        assert!(matches!(save_visit(&conn, a1, Some(id), &dropped, "统分人").unwrap_err(), StoreError::FindingProposed { .. }));
        let softened = visit(vec![check(Some(ids[1]), "共建产业学院", Finding::Partly, "有挂牌")]);
        assert!(matches!(save_visit(&conn, a1, Some(id), &softened, "统分人").unwrap_err(), StoreError::FindingProposed { .. }));
        assert!(matches!(delete_visit(&conn, id, "统分人").unwrap_err(), StoreError::FindingProposed { .. }));
        assert_eq!(visits(&conn, rid).unwrap()[0], *again, "refused edits change nothing");

        // A bad visit or an unknown expert is refused; the other visit can go.
        let bad = Visit { date: "2026-13-01".into(), ..visit(vec![]) };
        assert!(save_visit(&conn, a1, None, &bad, "统分人").unwrap_err().to_string().starts_with("实地考察记录未保存：考察日期"));
        let mut stranger = visit(vec![check(None, "x", Finding::True, "")]);
        stranger.members[0].expert = Some("E99".into());
        assert!(matches!(save_visit(&conn, a1, None, &stranger, "统分人").unwrap_err(), StoreError::ExpertNotInRound));
        delete_visit(&conn, second, "统分人").unwrap();
        assert_eq!(visits(&conn, rid).unwrap().len(), 1);
        let acts = actions(&conn);
        for a in ["site_visit", "delete_site_visit", "site_visit_veto_proposal"] {
            assert!(acts.contains(&a.to_string()), "{a}");
        }
        // A closed round refuses everything.
        rounds::close(&conn, rid, "统分人").unwrap();
        assert!(matches!(save_visit(&conn, a1, Some(id), &edited, "统分人").unwrap_err(), StoreError::RoundClosed));
        assert!(matches!(save_visit(&conn, a1, None, &edited, "统分人").unwrap_err(), StoreError::RoundClosed));
    }

    #[test]
    fn a_rubric_without_vetoes_offers_no_proposal() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, a1, _) = round(&mut conn, include_str!("../../../rubrics/henan-2023/rubric.toml"));
        let rubric = rounds::rubric(&conn, rid).unwrap();
        save_visit(&conn, a1, None, &visit(vec![check(None, "共建产业学院", Finding::False, "未见挂牌")]), "统分人").unwrap();
        let f = visits(&conn, rid).unwrap()[0].findings[0].check.id.unwrap();
        let err = propose_veto(&conn, &rubric, f, "V1", "统分人").unwrap_err();
        assert_eq!(err.to_string(), "本批次的评分标准没有否定性指标，核查结论不能转为否定性指标提议");
    }
}
