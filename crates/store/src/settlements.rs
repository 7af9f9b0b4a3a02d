//! What staff decide during consolidation: the round's consolidation settings, panel resolutions that
//! replace a median deduction, the panel's decisions on 否定性指标, and how each flag was settled. Every
//! decision is also written to the audit log.

use pingshen_core::consolidation::{Aggregation, DeductionResolution, Settings, VetoDecision};
use pingshen_core::rubric::Rubric;
use pingshen_core::sheet::{check_deduction, check_veto};
use pingshen_core::Tenths;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{audit, Result, StoreError};

/// The consolidation settings of a round (the defaults until staff change them).
pub fn settings(conn: &Connection, round_id: i64) -> Result<Settings> {
    let row: Option<(String, i64, String, i64, i64)> = conn
        .query_row(
            "SELECT aggregation, trim_min_sheets, tiebreak_groups, item_flag_percent, total_flag_tenths
             FROM consolidation_setting WHERE round_id = ?1",
            [round_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    // A round whose rules were never set has the defaults, fitted to its rubric (a scheme without 一级指标
    // 4 cannot break ties on 2+3+4).
    let Some((aggregation, trim, groups, percent, total)) = row else { return Ok(Settings::for_rubric(&crate::rounds::rubric(conn, round_id)?)) };
    Ok(Settings {
        aggregation: match aggregation.as_str() {
            "median" => Aggregation::Median,
            "per_item_trimmed_mean" => Aggregation::PerItemTrimmedMean,
            _ => Aggregation::TrimmedMean,
        },
        trim_min_sheets: trim as usize,
        tiebreak_groups: groups.split(',').map(|g| g.trim().to_string()).filter(|g| !g.is_empty()).collect(),
        item_flag_percent: percent as u32,
        total_flag_points: Tenths(total),
    })
}

/// Stores the consolidation settings of a round.
pub fn set_settings(conn: &Connection, round_id: i64, s: &Settings, actor: &str) -> Result<()> {
    let aggregation = match s.aggregation {
        Aggregation::TrimmedMean => "trimmed_mean",
        Aggregation::Median => "median",
        Aggregation::PerItemTrimmedMean => "per_item_trimmed_mean",
    };
    conn.execute(
        "INSERT INTO consolidation_setting (round_id, aggregation, trim_min_sheets, tiebreak_groups, item_flag_percent, total_flag_tenths)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (round_id) DO UPDATE SET aggregation = excluded.aggregation, trim_min_sheets = excluded.trim_min_sheets,
             tiebreak_groups = excluded.tiebreak_groups, item_flag_percent = excluded.item_flag_percent,
             total_flag_tenths = excluded.total_flag_tenths",
        params![round_id, aggregation, s.trim_min_sheets as i64, s.tiebreak_groups.join(","), s.item_flag_percent, s.total_flag_points.0],
    )?;
    audit::append(conn, actor, audit::Action::ConsolidationSettings, &format!("round:{round_id}"), &s.method_zh(&[]))
}

/// A recorded panel resolution on an application's deduction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolutionRow {
    pub application_code: String,
    pub resolution: DeductionResolution,
    pub actor: String,
    pub at: String,
}

/// A panel resolution on an application's deduction: the deduction, the vote and why.
#[derive(Clone, Copy, Debug)]
pub struct Resolution<'a> {
    pub deduction: Tenths,
    pub votes_for: u32,
    pub votes_against: u32,
    pub reason: &'a str,
}

/// Records a panel resolution replacing the median deduction (the newest counts).
pub fn resolve_deduction(conn: &Connection, rubric: &Rubric, application_id: i64, resolution: &Resolution<'_>, actor: &str) -> Result<()> {
    let Resolution { deduction, votes_for, votes_against, reason } = *resolution;
    check_deduction(rubric, deduction)?;
    if reason.trim().is_empty() {
        return Err(StoreError::ReasonRequired { what: "评审组决议" });
    }
    if votes_for <= votes_against {
        return Err(StoreError::ResolutionNotPassed { votes_for, votes_against });
    }
    conn.execute(
        "INSERT INTO deduction_resolution (application_id, tenths, votes_for, votes_against, reason, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![application_id, deduction.0, votes_for, votes_against, reason, actor],
    )?;
    audit::append(
        conn,
        actor,
        audit::Action::DeductionResolution,
        &format!("application:{application_id}"),
        &format!("扣分决议 {deduction} 分（赞成 {votes_for}，反对 {votes_against}）：{reason}"),
    )
}

/// The newest resolution of each application of a round.
pub fn resolutions(conn: &Connection, round_id: i64) -> Result<Vec<ResolutionRow>> {
    let mut st = conn.prepare(
        "SELECT a.code, r.tenths, r.votes_for, r.votes_against, r.reason, r.actor, r.at
         FROM deduction_resolution r JOIN application a ON a.id = r.application_id
         WHERE a.round_id = ?1 AND r.id = (SELECT max(id) FROM deduction_resolution x WHERE x.application_id = r.application_id)
         ORDER BY a.code",
    )?;
    let rows = st.query_map([round_id], |r| {
        let code: String = r.get(0)?;
        Ok(ResolutionRow {
            resolution: DeductionResolution {
                application: code.clone(),
                deduction: Tenths(r.get(1)?),
                votes_for: r.get(2)?,
                votes_against: r.get(3)?,
                reason: r.get(4)?,
            },
            application_code: code,
            actor: r.get(5)?,
            at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The panel's decision on a 否定性指标 for an application: upheld (维持, the rubric's effect applies) or not
/// (不予认定), the vote on upholding it and why.
#[derive(Clone, Copy, Debug)]
pub struct VetoVote<'a> {
    /// The veto item's code in the rubric.
    pub code: &'a str,
    pub upheld: bool,
    /// Votes for upholding the veto.
    pub votes_for: u32,
    /// Votes against upholding it.
    pub votes_against: u32,
    pub reason: &'a str,
}

/// Records the panel's decision on a 否定性指标 for an application (the newest per application and veto
/// counts; all are kept) and logs it. Refused without a reason, for a code the rubric does not have, and
/// when the vote does not carry the decision: upholding needs more votes for than against (like a deduction
/// resolution); a veto with more votes for than against is upheld, not refused.
pub fn resolve_veto(conn: &Connection, rubric: &Rubric, application_id: i64, vote: &VetoVote<'_>, actor: &str) -> Result<()> {
    let VetoVote { code, upheld, votes_for, votes_against, reason } = *vote;
    let veto = check_veto(rubric, code)?;
    if reason.trim().is_empty() {
        return Err(StoreError::ReasonRequired { what: "否定性指标决议" });
    }
    if upheld && votes_for <= votes_against {
        return Err(StoreError::ResolutionNotPassed { votes_for, votes_against });
    }
    if !upheld && votes_for > votes_against {
        return Err(StoreError::VetoVoteUpholds { votes_for, votes_against });
    }
    let application: String = conn
        .query_row("SELECT code FROM application WHERE id = ?1", [application_id], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotFound { entity: "申报材料", id: application_id })?;
    conn.execute(
        "INSERT INTO veto_resolution (application_id, veto_code, upheld, votes_for, votes_against, reason, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![application_id, code, upheld, votes_for, votes_against, reason, actor],
    )?;
    let decided = if upheld { format!("认定成立（{}）", veto.effect.zh()) } else { "不予认定".to_string() };
    audit::append(
        conn,
        actor,
        audit::Action::VetoResolution,
        &format!("application:{application_id}"),
        &format!("申报 {application} 否定性指标 {code}「{}」：{decided}（赞成 {votes_for}，反对 {votes_against}）：{reason}", veto.text),
    )
}

/// A recorded decision on a 否定性指标.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VetoResolutionRow {
    pub decision: VetoDecision,
    pub actor: String,
    pub at: String,
}

/// Every decision on a 否定性指标 of a round, oldest first
/// ([`pingshen_core::consolidation::veto_decision_of`] finds the one in force).
pub fn veto_resolutions(conn: &Connection, round_id: i64) -> Result<Vec<VetoResolutionRow>> {
    let mut st = conn.prepare(
        "SELECT a.code, v.veto_code, v.upheld, v.votes_for, v.votes_against, v.reason, v.actor, v.at
         FROM veto_resolution v JOIN application a ON a.id = v.application_id WHERE a.round_id = ?1 ORDER BY v.id",
    )?;
    let rows = st.query_map([round_id], |r| {
        Ok(VetoResolutionRow {
            decision: VetoDecision {
                application: r.get(0)?,
                veto: r.get(1)?,
                upheld: r.get(2)?,
                votes_for: r.get(3)?,
                votes_against: r.get(4)?,
                reason: r.get(5)?,
            },
            actor: r.get(6)?,
            at: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How a flag was settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettlementKind {
    /// The expert's written reason.
    ExpertReason,
    /// A panel resolution.
    PanelResolution,
}

/// A settled flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettlementRow {
    pub application_code: String,
    pub expert_code: String,
    /// `None` for the total.
    pub item: Option<String>,
    pub kind: SettlementKind,
    pub text: String,
    pub actor: String,
    pub at: String,
}

/// Records how a flag was settled (the score itself never changes here).
pub fn settle_flag(
    conn: &Connection,
    application_id: i64,
    expert_code: &str,
    item: Option<&str>,
    kind: SettlementKind,
    text: &str,
    actor: &str,
) -> Result<()> {
    if text.trim().is_empty() {
        return Err(StoreError::EmptyField {
            field: match kind {
                SettlementKind::ExpertReason => "专家的书面说明",
                SettlementKind::PanelResolution => "评审组决议的内容",
            },
        });
    }
    let kind_text = match kind {
        SettlementKind::ExpertReason => "expert_reason",
        SettlementKind::PanelResolution => "panel_resolution",
    };
    conn.execute(
        "INSERT INTO flag_settlement (application_id, expert_code, item_code, kind, text, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![application_id, expert_code, item.unwrap_or(""), kind_text, text, actor],
    )?;
    let what = item.map(|i| format!("观测点 {i}")).unwrap_or_else(|| "总分".into());
    let how = if kind == SettlementKind::ExpertReason { "专家说明" } else { "评审组决议" };
    audit::append(
        conn,
        actor,
        audit::Action::FlagSettlement,
        &format!("application:{application_id}"),
        &format!("{expert_code} {what} 的标记以{how}处理：{text}"),
    )
}

/// Every settlement of a round, oldest first.
pub fn settlements(conn: &Connection, round_id: i64) -> Result<Vec<SettlementRow>> {
    let mut st = conn.prepare(
        "SELECT a.code, f.expert_code, f.item_code, f.kind, f.text, f.actor, f.at
         FROM flag_settlement f JOIN application a ON a.id = f.application_id WHERE a.round_id = ?1 ORDER BY f.id",
    )?;
    let rows = st.query_map([round_id], |r| {
        let item: String = r.get(2)?;
        let kind: String = r.get(3)?;
        Ok(SettlementRow {
            application_code: r.get(0)?,
            expert_code: r.get(1)?,
            item: if item.is_empty() { None } else { Some(item) },
            kind: if kind == "expert_reason" { SettlementKind::ExpertReason } else { SettlementKind::PanelResolution },
            text: r.get(4)?,
            actor: r.get(5)?,
            at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounds::{self, NewApplication, NewRound};
    use pingshen_core::application::Application;

    const HENAN: &str = include_str!("../../../rubrics/henan-2023/rubric.toml");

    fn vote(tenths: i64, votes_for: u32, votes_against: u32, reason: &str) -> Resolution<'_> {
        Resolution { deduction: Tenths(tenths), votes_for, votes_against, reason }
    }

    fn round(conn: &mut Connection) -> (i64, i64, Rubric) {
        let rid = rounds::create(
            conn,
            &NewRound {
                name: "统分".into(),
                rubric_text: HENAN.into(),
                applications: vec![NewApplication { code: "A01".into(), application: Application::default(), materials: vec![] }],
                experts: vec![],
                is_sample: false,
                uid: None,
            },
            "测试",
        )
        .unwrap();
        let a: i64 = conn.query_row("SELECT id FROM application", [], |r| r.get(0)).unwrap();
        (rid, a, rounds::rubric(conn, rid).unwrap())
    }

    #[test]
    fn settings_default_and_round_trip() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, _, _) = round(&mut conn);
        assert_eq!(settings(&conn, rid).unwrap(), Settings::default());
        let s = Settings {
            aggregation: Aggregation::Median,
            trim_min_sheets: 7,
            tiebreak_groups: vec!["3".into()],
            item_flag_percent: 30,
            total_flag_points: Tenths(100),
        };
        set_settings(&conn, rid, &s, "统分人").unwrap();
        assert_eq!(settings(&conn, rid).unwrap(), s);
    }

    #[test]
    fn a_resolution_needs_a_reason_a_majority_and_a_valid_value_and_the_newest_counts() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, a, rubric) = round(&mut conn);
        assert!(resolve_deduction(&conn, &rubric, a, &vote(10, 3, 0, " "), "统分人").unwrap_err().to_string().contains("理由"));
        assert!(resolve_deduction(&conn, &rubric, a, &vote(10, 2, 2, "理由"), "统分人").unwrap_err().to_string().contains("未获通过"));
        assert!(resolve_deduction(&conn, &rubric, a, &vote(110, 3, 0, "理由"), "统分人").is_err());
        assert!(resolutions(&conn, rid).unwrap().is_empty(), "refused resolutions leave nothing");
        resolve_deduction(&conn, &rubric, a, &vote(20, 3, 1, "初议"), "统分人").unwrap();
        resolve_deduction(&conn, &rubric, a, &vote(10, 4, 0, "复议"), "统分人").unwrap();
        let r = resolutions(&conn, rid).unwrap();
        assert_eq!((r.len(), r[0].resolution.deduction, r[0].resolution.reason.as_str()), (1, Tenths(10), "复议"));
        assert!(crate::audit::list(&conn).unwrap().iter().any(|e| e.action == "deduction_resolution" && e.detail.contains("复议")));
    }

    #[test]
    fn settling_a_flag_is_recorded_and_logged() {
        let mut conn = crate::open_in_memory().unwrap();
        let (rid, a, _) = round(&mut conn);
        assert!(settle_flag(&conn, a, "E01", Some("2.2"), SettlementKind::ExpertReason, "", "统分人").is_err());
        settle_flag(&conn, a, "E01", Some("2.2"), SettlementKind::ExpertReason, "有佐证材料", "统分人").unwrap();
        settle_flag(&conn, a, "E02", None, SettlementKind::PanelResolution, "评审组认可", "统分人").unwrap();
        let s = settlements(&conn, rid).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].item.as_deref(), s[1].item.as_deref(), s[1].kind), (Some("2.2"), None, SettlementKind::PanelResolution));
    }
}

#[cfg(test)]
mod recusal_tests {
    use crate::rounds::{self, NewApplication, NewRound};
    use pingshen_core::application::Application;
    use pingshen_core::expert::Expert;
    use pingshen_core::Tenths;

    #[test]
    fn a_recusal_needs_a_reason_and_no_scores_and_is_logged() {
        let mut conn = crate::open_in_memory().unwrap();
        let rid = rounds::create(
            &mut conn,
            &NewRound {
                name: "回避".into(),
                uid: None,
                rubric_text: include_str!("../../../rubrics/henan-2023/rubric.toml").into(),
                applications: vec![NewApplication { code: "A01".into(), application: Application::default(), materials: vec![] }],
                experts: vec![Expert { code: "E01".into(), name: "甲".into(), ..Default::default() }],
                is_sample: false,
            },
            "测试",
        )
        .unwrap();
        let rubric = rounds::rubric(&conn, rid).unwrap();
        let (e, a): (i64, i64) = conn.query_row("SELECT expert_id, application_id FROM assignment", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert!(crate::experts::set_recused(&conn, e, a, true, "", crate::experts::RecusalSource::Staff, "统分人").is_err());
        let s = crate::sheets::open(&conn, e, a).unwrap();
        crate::sheets::set_score(&conn, &rubric, s, "1.1", Some(Tenths(40))).unwrap();
        let err = crate::experts::set_recused(&conn, e, a, true, "任职单位为成员单位", crate::experts::RecusalSource::Staff, "统分人").unwrap_err();
        assert!(err.to_string().contains("须先清除评分"), "{err}");
        crate::sheets::set_score(&conn, &rubric, s, "1.1", None).unwrap();
        crate::experts::set_recused(&conn, e, a, true, "任职单位为成员单位", crate::experts::RecusalSource::Staff, "统分人").unwrap();
        assert!(crate::sheets::open(&conn, e, a).unwrap_err().to_string().contains("已回避"), "a recused expert gets no score form");
        crate::experts::set_recused(&conn, e, a, false, "误登记", crate::experts::RecusalSource::Staff, "统分人").unwrap();
        assert!(crate::sheets::open(&conn, e, a).is_ok());
        let log = crate::audit::list(&conn).unwrap();
        assert!(log.iter().any(|l| l.action == "recuse") && log.iter().any(|l| l.action == "unrecuse"));
    }

    #[test]
    fn a_round_without_rules_set_has_defaults_that_fit_its_rubric() {
        // Regression: a rubric with three 一级指标 got the Henan tie-break 2+3+4, and its round file was
        // refused on the laptops ("同分比较的一级指标 4 不在本批次的评分标准中").
        let text = include_str!("../../../rubrics/example-with-veto/rubric.toml");
        let mut conn = crate::open_in_memory().unwrap();
        let new = rounds::NewRound {
            name: "三个一级指标".into(),
            rubric_text: text.into(),
            applications: vec![],
            experts: vec![],
            is_sample: false,
            uid: None,
        };
        let id = rounds::create(&mut conn, &new, "统分人").unwrap();
        let rubric = rounds::rubric(&conn, id).unwrap();
        let s = super::settings(&conn, id).unwrap();
        assert_eq!(s.tiebreak_groups, ["2", "3"]);
        assert!(s.check(&rubric).is_ok());
    }
}
