//! The 推荐名单: which applications of a consolidation's ranking the round proposes, and why each of the
//! others is not proposed.
//!
//! Values in, values out: [`propose`] takes the [`Consolidation`], the round's [`Line`] (名额 and/or 最低分数线)
//! and the panel's tie decisions, and returns a [`Proposal`]. An application is proposed only when it is
//! complete, not disqualified, at or above the minimum score and inside the places. A tie on the final score
//! that straddles the places line is never cut silently: the proposal names it ([`Tie`]) and cannot be
//! confirmed until the panel decides ([`TieDecision`]) which of the tied applications take the places left.
//! A decision applies only to the tie it was made for (same applications, same final score, same places left);
//! when the scores change so that the tie is different, it no longer applies and the proposal says so.

use std::fmt;

use crate::consolidation::{ApplicationResult, Consolidation, Status};
use crate::ratio::Ratio;
use crate::score::Tenths;

/// The round's line: how many places (名额) and/or the minimum final score (最低分数线). At least one must be
/// set before a list can be confirmed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Line {
    pub places: Option<u32>,
    pub min_score: Option<Tenths>,
}

impl Line {
    /// Every problem of the line, in Chinese.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if self.places == Some(0) {
            problems.push("推荐名额须为正整数".to_string());
        }
        if let Some(m) = self.min_score {
            if m.0 < 0 {
                problems.push(format!("最低分数线不能为负数（{m}）"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The line in words, for screens and paper: "名额 20 名，最低分数线 80 分".
    pub fn describe_zh(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = self.places {
            parts.push(format!("推荐名额 {p} 名"));
        }
        if let Some(m) = self.min_score {
            parts.push(format!("最低分数线 {m} 分"));
        }
        if parts.is_empty() {
            "未设定推荐名额和最低分数线".to_string()
        } else {
            parts.join("，")
        }
    }
}

/// Why an application is not proposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// 待补: not every sheet is in.
    Pending,
    /// An upheld 否定性指标 disqualified it.
    Disqualified,
    /// Its final score is below the minimum score.
    BelowMinimum,
    /// Outside the places.
    OutsidePlaces,
    /// Tied at the places line; the panel has not decided yet.
    TieUndecided,
}

impl Reason {
    /// The short word shown in the list.
    pub fn zh(self) -> &'static str {
        match self {
            Reason::Pending => "待补",
            Reason::Disqualified => "否定性指标",
            Reason::BelowMinimum => "低于最低分数线",
            Reason::OutsidePlaces => "名额外",
            Reason::TieUndecided => "同分待专家组决定",
        }
    }

    /// The stable token (stored, sent to the UI).
    pub fn token(self) -> &'static str {
        match self {
            Reason::Pending => "pending",
            Reason::Disqualified => "disqualified",
            Reason::BelowMinimum => "below_minimum",
            Reason::OutsidePlaces => "outside_places",
            Reason::TieUndecided => "tie_undecided",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.zh())
    }
}

/// The panel's decision on a tie at the places line: which of the tied applications take the places left,
/// with the vote or the reason. Several may be recorded; the latest counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TieDecision {
    /// The tied applications the decision was made for (申报编号, sorted).
    pub tied: Vec<String>,
    /// Their final score when the decision was made.
    pub final_score: Ratio,
    /// The places that were left for them.
    pub places_left: u32,
    /// The applications that take those places.
    pub chosen: Vec<String>,
    /// The panel accepted the rubric's tie-break order (第2、3、4项一级指标, then the deduction).
    pub by_tiebreak: bool,
    pub votes_for: u32,
    pub votes_against: u32,
    pub reason: String,
}

/// A tie on the final score that straddles the places line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tie {
    /// The tied applications, in the ranking's order.
    pub applications: Vec<String>,
    pub final_score: Ratio,
    /// The places left for them (those above took the others).
    pub places_left: u32,
    /// The applications the tie-break order (一级指标, then the deduction) puts inside the line, when it
    /// separates them at the line; `None` when the applications at the line share a rank (并列).
    pub tiebreak_choice: Option<Vec<String>>,
}

impl Tie {
    /// The alert, in Chinese.
    pub fn describe_zh(&self, tiebreak_groups: &[String]) -> String {
        let groups = tiebreak_groups.join("、");
        let how = match &self.tiebreak_choice {
            Some(c) => format!("按第{groups}项一级指标的专家组评分及扣分排序，{} 在前；是否按此顺序确定，须由专家组决定", c.join("、")),
            None => format!("第{groups}项一级指标的专家组评分及扣分也相同，不能区分，须由专家组决定"),
        };
        format!(
            "{} 最终得分同为 {}，跨越名额线：尚余 {} 个名额，{}。",
            self.applications.join("、"),
            self.final_score.round_half_up(2),
            self.places_left,
            how
        )
    }

    fn key(&self) -> Vec<String> {
        let mut v = self.applications.clone();
        v.sort();
        v
    }
}

/// Where the decision of the panel stands against the current ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecisionState {
    /// No decision recorded, or none needed and none recorded.
    None,
    /// The latest decision applies to the current tie.
    Applies(TieDecision),
    /// The latest decision was made for a tie that is no longer the current one (the scores or the line
    /// changed): it does not apply.
    Stale(TieDecision),
}

/// One application in the proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub code: String,
    pub status: Status,
    pub rank: Option<u32>,
    pub final_score: Option<Ratio>,
    pub proposed: bool,
    /// Why it is not proposed; `None` when proposed.
    pub reason: Option<Reason>,
    /// Part of the tie at the places line.
    pub tied: bool,
}

/// The proposed list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    pub line: Line,
    /// Every application in the ranking's order (ranked ones, then disqualified, then 待补).
    pub entries: Vec<Entry>,
    pub tie: Option<Tie>,
    pub decision: DecisionState,
    /// How many applications are proposed.
    pub proposed: usize,
    /// Index into `entries` after which the places line is drawn (the last application inside it), when
    /// places are set and at least one is proposed.
    pub cutoff_after: Option<usize>,
    /// What stands between the proposal and its confirmation, in Chinese (empty: it can be confirmed).
    pub blockers: Vec<String>,
}

/// What an undecided tie at the line puts between the list and its confirmation, if anything.
fn tie_blocker(tie: Option<&Tie>, decision: &DecisionState) -> Option<String> {
    let t = tie?;
    (!matches!(decision, DecisionState::Applies(_))).then(|| {
        format!(
            "{} 最终得分同为 {}，跨越名额线，须先由专家组决定由哪 {} 项进入名单",
            t.applications.join("、"),
            t.final_score.round_half_up(2),
            t.places_left
        )
    })
}

impl Proposal {
    pub fn confirmable(&self) -> bool {
        self.blockers.is_empty()
    }

    /// The blockers other than an undecided tie's (a screen that shows the tie by itself lists these).
    pub fn blockers_besides_tie(&self) -> Vec<String> {
        let tie = tie_blocker(self.tie.as_ref(), &self.decision);
        self.blockers.iter().filter(|b| Some(*b) != tie.as_ref()).cloned().collect()
    }

    pub fn entry(&self, code: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.code == code)
    }
}

/// Why a tie decision is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecisionError {
    #[error("当前名单没有跨越名额线的同分情况，无需专家组决定")]
    NoTie,
    #[error("须从同分申报中选定 {expected} 项，实际选了 {got} 项")]
    WrongCount { expected: u32, got: usize },
    #[error("{0} 不在同分的申报之中")]
    NotTied(String),
    #[error("{0} 被重复选择")]
    Duplicate(String),
    #[error("同分申报的一级指标得分与扣分也相同，不能按同分排序规则确定，须由专家组选定")]
    TiebreakDoesNotSeparate,
    #[error("请填写专家组决定的理由或表决情况")]
    NoReason,
}

/// Proposes the list. `decisions` are the panel's tie decisions, oldest first; the latest counts.
pub fn propose(c: &Consolidation, line: &Line, decisions: &[TieDecision]) -> Proposal {
    let min = line.min_score.map(Ratio::from_tenths);
    // The ranked applications at or above the minimum, in the ranking's order.
    let eligible: Vec<&ApplicationResult> = c
        .applications
        .iter()
        .filter(|a| a.status == Status::Complete && a.rank.is_some())
        .filter(|a| match (min, a.final_score) {
            (Some(m), Some(f)) => f >= m,
            (Some(_), None) => false,
            (None, _) => true,
        })
        .collect();

    let mut tie = None;
    let mut inside: Vec<&str> = eligible.iter().map(|a| a.code.as_str()).collect();
    if let Some(p) = line.places {
        let p = p as usize;
        if eligible.len() > p && p > 0 && eligible[p - 1].final_score == eligible[p].final_score {
            let score = eligible[p].final_score.expect("ranked applications have a final score");
            let group: Vec<&ApplicationResult> = eligible.iter().copied().filter(|a| a.final_score == Some(score)).collect();
            let above = eligible.iter().filter(|a| a.final_score > Some(score)).count();
            let left = (p - above) as u32;
            let separated = eligible[p - 1].rank != eligible[p].rank;
            tie = Some(Tie {
                applications: group.iter().map(|a| a.code.clone()).collect(),
                final_score: score,
                places_left: left,
                tiebreak_choice: separated.then(|| group.iter().take(left as usize).map(|a| a.code.clone()).collect()),
            });
            inside.truncate(above);
        } else {
            inside.truncate(p);
        }
    }

    let decision = match (decisions.last(), &tie) {
        (None, _) => DecisionState::None,
        (Some(d), Some(t)) if applies(d, t) => DecisionState::Applies(d.clone()),
        (Some(d), _) => DecisionState::Stale(d.clone()),
    };
    let mut chosen: Vec<&str> = Vec::new();
    if let DecisionState::Applies(d) = &decision {
        chosen = d.chosen.iter().map(String::as_str).collect();
    }

    let tied = |code: &str| tie.as_ref().is_some_and(|t| t.applications.iter().any(|a| a == code));
    let mut entries = Vec::new();
    for a in &c.applications {
        let is_tied = tied(&a.code);
        let proposed = inside.contains(&a.code.as_str()) || chosen.contains(&a.code.as_str());
        let reason = if proposed {
            None
        } else {
            Some(match a.status {
                Status::Incomplete => Reason::Pending,
                Status::Disqualified => Reason::Disqualified,
                Status::Complete if !eligible.iter().any(|e| e.code == a.code) => Reason::BelowMinimum,
                Status::Complete if is_tied && matches!(decision, DecisionState::Applies(_)) => Reason::OutsidePlaces,
                Status::Complete if is_tied => Reason::TieUndecided,
                Status::Complete => Reason::OutsidePlaces,
            })
        };
        entries.push(Entry { code: a.code.clone(), status: a.status, rank: a.rank, final_score: a.final_score, proposed, reason, tied: is_tied });
    }
    // Within the tie, those the panel chose come first, so that the line falls right after them.
    if let (Some(start), Some(end)) = (entries.iter().position(|e| e.tied), entries.iter().rposition(|e| e.tied)) {
        entries[start..=end].sort_by_key(|e| !e.proposed);
    }
    let proposed = entries.iter().filter(|e| e.proposed).count();
    let cutoff_after = if line.places.is_some() || line.min_score.is_some() { entries.iter().rposition(|e| e.proposed) } else { None };

    let mut blockers = Vec::new();
    if line.places.is_none() && line.min_score.is_none() {
        blockers.push("请先设定推荐名额或最低分数线".to_string());
    }
    if let Err(p) = line.check() {
        blockers.extend(p);
    }
    blockers.extend(tie_blocker(tie.as_ref(), &decision));
    if proposed == 0 && blockers.is_empty() {
        blockers.push("没有符合条件的申报，名单为空".to_string());
    }
    Proposal { line: *line, entries, tie, decision, proposed, cutoff_after, blockers }
}

fn applies(d: &TieDecision, t: &Tie) -> bool {
    let mut tied = d.tied.clone();
    tied.sort();
    tied == t.key() && d.final_score == t.final_score && d.places_left == t.places_left
}

/// Builds the decision the panel is about to record for the proposal's tie, checking it: exactly the places
/// left, only tied applications, each once; `by_tiebreak` takes the tie-break order's choice (refused when the
/// tie-break does not separate them). The reason (or vote) is required.
pub fn decide(
    proposal: &Proposal,
    chosen: &[String],
    by_tiebreak: bool,
    votes_for: u32,
    votes_against: u32,
    reason: &str,
) -> Result<TieDecision, DecisionError> {
    let t = proposal.tie.as_ref().ok_or(DecisionError::NoTie)?;
    let chosen: Vec<String> = if by_tiebreak {
        t.tiebreak_choice.clone().ok_or(DecisionError::TiebreakDoesNotSeparate)?
    } else {
        chosen.iter().map(|c| c.trim().to_string()).collect()
    };
    for (i, c) in chosen.iter().enumerate() {
        if !t.applications.contains(c) {
            return Err(DecisionError::NotTied(c.clone()));
        }
        if chosen[..i].contains(c) {
            return Err(DecisionError::Duplicate(c.clone()));
        }
    }
    if chosen.len() != t.places_left as usize {
        return Err(DecisionError::WrongCount { expected: t.places_left, got: chosen.len() });
    }
    if reason.trim().is_empty() {
        return Err(DecisionError::NoReason);
    }
    Ok(TieDecision {
        tied: t.key(),
        final_score: t.final_score,
        places_left: t.places_left,
        chosen,
        by_tiebreak,
        votes_for,
        votes_against,
        reason: reason.trim().to_string(),
    })
}

/// The decision in words, for screens, paper and the audit log.
pub fn decision_zh(d: &TieDecision) -> String {
    let how = if d.by_tiebreak { "按同分排序规则（一级指标得分、扣分）确定" } else { "经专家组选定" };
    let votes =
        if d.votes_for + d.votes_against > 0 { format!("（同意 {} 票、反对 {} 票）", d.votes_for, d.votes_against) } else { String::new() };
    format!(
        "{} 最终得分同为 {}，尚余 {} 个名额，{}由 {} 进入名单{votes}；理由：{}",
        d.tied.join("、"),
        d.final_score.round_half_up(2),
        d.places_left,
        how,
        d.chosen.join("、"),
        d.reason
    )
}

/// One row of a confirmed (frozen) list, as the comparison needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrozenRow {
    pub code: String,
    pub rank: Option<u32>,
    pub final_score: Option<Ratio>,
    pub recommended: bool,
}

/// What differs between a confirmed list and the current proposal, in Chinese (empty: nothing).
pub fn changes_since(frozen: &[FrozenRow], current: &Proposal) -> Vec<String> {
    let mut out = Vec::new();
    for f in frozen {
        match current.entry(&f.code) {
            None => out.push(format!("{} 已不在本批次中", f.code)),
            Some(e) => {
                if e.final_score != f.final_score {
                    let show = |s: Option<Ratio>| s.map(|r| r.round_half_up(2)).unwrap_or_else(|| "—".into());
                    out.push(format!("{} 的最终得分由 {} 变为 {}", f.code, show(f.final_score), show(e.final_score)));
                } else if e.rank != f.rank {
                    let show = |r: Option<u32>| r.map(|r| r.to_string()).unwrap_or_else(|| "—".into());
                    out.push(format!("{} 的名次由 {} 变为 {}", f.code, show(f.rank), show(e.rank)));
                }
                if e.proposed != f.recommended {
                    out.push(format!("{} 按当前排名{}推荐", f.code, if e.proposed { "应" } else { "不应" }));
                }
            }
        }
    }
    for e in &current.entries {
        if !frozen.iter().any(|f| f.code == e.code) {
            out.push(format!("{} 是确认名单之后新增的申报", e.code));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(num: i128) -> Ratio {
        Ratio::int(num)
    }

    fn app(code: &str, status: Status, fin: Option<i128>, rank: Option<u32>) -> ApplicationResult {
        ApplicationResult {
            code: code.into(),
            status,
            veto: None,
            totals: vec![],
            recused: vec![],
            missing_experts: vec![],
            panel_score: fin.map(r),
            tiebreak_score: None,
            deduction: None,
            deduction_resolved: false,
            final_score: fin.map(r),
            rank,
            tie: None,
            flags: vec![],
        }
    }

    fn ranked(code: &str, fin: i128, rank: u32) -> ApplicationResult {
        app(code, Status::Complete, Some(fin), Some(rank))
    }

    fn cons(apps: Vec<ApplicationResult>) -> Consolidation {
        Consolidation { applications: apps, kendall_w: None, w_experts: vec![], experts: vec![] }
    }

    fn places(p: u32) -> Line {
        Line { places: Some(p), min_score: None }
    }

    fn proposed(p: &Proposal) -> Vec<&str> {
        p.entries.iter().filter(|e| e.proposed).map(|e| e.code.as_str()).collect()
    }

    fn reason(p: &Proposal, code: &str) -> Option<Reason> {
        p.entry(code).unwrap().reason
    }

    #[test]
    fn places_take_the_top_of_the_ranking() {
        let c = cons(vec![ranked("A", 90, 1), ranked("B", 85, 2), ranked("C", 80, 3)]);
        let p = propose(&c, &places(2), &[]);
        assert_eq!(proposed(&p), ["A", "B"]);
        assert_eq!(reason(&p, "C"), Some(Reason::OutsidePlaces));
        assert_eq!(p.cutoff_after, Some(1));
        assert!(p.confirmable(), "{:?}", p.blockers);
        assert!(p.tie.is_none());
    }

    #[test]
    fn the_minimum_score_is_exact_and_inclusive() {
        let mut b = ranked("B", 80, 2);
        b.final_score = Some(Ratio::new(1601, 20)); // 80.05
        let mut c2 = ranked("C", 80, 3);
        c2.final_score = Some(Ratio::new(1599, 20)); // 79.95
        let c = cons(vec![ranked("A", 90, 1), b, c2, ranked("D", 80, 4)]);
        let line = Line { places: None, min_score: Some(Tenths(800)) };
        let p = propose(&c, &line, &[]);
        assert_eq!(proposed(&p), ["A", "B", "D"]);
        assert_eq!(reason(&p, "C"), Some(Reason::BelowMinimum));
        // Both: the places cut first among those above the line.
        let p = propose(&c, &Line { places: Some(1), min_score: Some(Tenths(800)) }, &[]);
        assert_eq!(proposed(&p), ["A"]);
        assert_eq!(reason(&p, "B"), Some(Reason::OutsidePlaces));
        assert_eq!(reason(&p, "C"), Some(Reason::BelowMinimum));
    }

    #[test]
    fn pending_and_disqualified_are_never_proposed_and_say_why() {
        let c = cons(vec![ranked("A", 90, 1), app("X", Status::Disqualified, Some(95), None), app("P", Status::Incomplete, None, None)]);
        let p = propose(&c, &places(3), &[]);
        assert_eq!(proposed(&p), ["A"]);
        assert_eq!(reason(&p, "X"), Some(Reason::Disqualified));
        assert_eq!(reason(&p, "P"), Some(Reason::Pending));
        assert_eq!(Reason::Disqualified.zh(), "否定性指标");
    }

    #[test]
    fn no_line_cannot_be_confirmed() {
        let c = cons(vec![ranked("A", 90, 1)]);
        let p = propose(&c, &Line::default(), &[]);
        assert!(!p.confirmable());
        assert!(p.blockers[0].contains("推荐名额或最低分数线"), "{:?}", p.blockers);
    }

    #[test]
    fn a_tie_inside_the_places_is_no_tie_at_the_line() {
        let c = cons(vec![ranked("A", 90, 1), ranked("B", 90, 1), ranked("C", 80, 3)]);
        let p = propose(&c, &places(2), &[]);
        assert!(p.tie.is_none());
        assert_eq!(proposed(&p), ["A", "B"]);
        assert!(p.confirmable());
        // Below the line too.
        let c = cons(vec![ranked("A", 90, 1), ranked("B", 80, 2), ranked("C", 80, 2)]);
        let p = propose(&c, &places(1), &[]);
        assert!(p.tie.is_none());
        assert_eq!(proposed(&p), ["A"]);
    }

    #[test]
    fn a_tie_straddling_the_line_blocks_confirmation_even_when_the_tiebreak_separates() {
        // B and C have the same final score; the tie-break groups put B first (ranks 2 and 3).
        let c = cons(vec![ranked("A", 90, 1), ranked("B", 85, 2), ranked("C", 85, 3), ranked("D", 85, 4)]);
        let p = propose(&c, &places(2), &[]);
        let t = p.tie.as_ref().expect("tie at the line");
        assert_eq!(t.applications, ["B", "C", "D"]);
        assert_eq!(t.places_left, 1);
        assert_eq!(t.tiebreak_choice.as_deref(), Some(&["B".to_string()][..]));
        assert_eq!(proposed(&p), ["A"]);
        assert_eq!(reason(&p, "B"), Some(Reason::TieUndecided));
        assert!(!p.confirmable());
        assert!(t.describe_zh(&["2".into(), "3".into(), "4".into()]).contains("第2、3、4项一级指标"));
        // The panel accepts the tie-break order.
        let d = decide(&p, &[], true, 5, 0, "按评分标准的同分排序规则").unwrap();
        assert_eq!(d.chosen, ["B"]);
        let p = propose(&c, &places(2), &[d]);
        assert_eq!(proposed(&p), ["A", "B"]);
        assert_eq!(reason(&p, "C"), Some(Reason::OutsidePlaces));
        assert!(p.confirmable(), "{:?}", p.blockers);
        assert!(matches!(p.decision, DecisionState::Applies(_)));
    }

    #[test]
    fn a_tie_the_tiebreak_cannot_separate_needs_the_panels_choice() {
        let c = cons(vec![ranked("A", 90, 1), ranked("B", 85, 2), ranked("C", 85, 2)]);
        let p = propose(&c, &places(2), &[]);
        let t = p.tie.as_ref().unwrap();
        assert_eq!(t.tiebreak_choice, None);
        assert_eq!(decide(&p, &[], true, 3, 2, "x"), Err(DecisionError::TiebreakDoesNotSeparate));
        assert_eq!(decide(&p, &["B".into(), "C".into()], false, 3, 2, "x"), Err(DecisionError::WrongCount { expected: 1, got: 2 }));
        assert_eq!(decide(&p, &["A".into()], false, 3, 2, "x"), Err(DecisionError::NotTied("A".into())));
        assert_eq!(decide(&p, &["C".into()], false, 3, 2, " "), Err(DecisionError::NoReason));
        let d = decide(&p, &["C".into()], false, 3, 2, "C 的产教融合实效更突出").unwrap();
        assert!(decision_zh(&d).contains("同意 3 票、反对 2 票"));
        let p = propose(&c, &places(2), &[d]);
        assert_eq!(proposed(&p), ["A", "C"]);
        assert_eq!(reason(&p, "B"), Some(Reason::OutsidePlaces));
        assert!(p.confirmable());
        // The chosen one is listed first within the tie and the line falls right after it.
        assert_eq!(p.entries.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(), ["A", "C", "B"]);
        assert_eq!(p.cutoff_after, Some(1));
    }

    #[test]
    fn a_decision_no_longer_applies_when_the_tie_changes() {
        let c = cons(vec![ranked("A", 90, 1), ranked("B", 85, 2), ranked("C", 85, 2)]);
        let p = propose(&c, &places(2), &[]);
        let d = decide(&p, &["C".into()], false, 3, 2, "理由").unwrap();
        // B's score changes: no tie any more.
        let c2 = cons(vec![ranked("A", 90, 1), ranked("B", 86, 2), ranked("C", 85, 3)]);
        let p2 = propose(&c2, &places(2), std::slice::from_ref(&d));
        assert!(matches!(p2.decision, DecisionState::Stale(_)));
        assert_eq!(proposed(&p2), ["A", "B"]);
        // A third application joins the tie: the decision was for another tie.
        let c3 = cons(vec![ranked("A", 90, 1), ranked("B", 85, 2), ranked("C", 85, 2), ranked("D", 85, 2)]);
        let p3 = propose(&c3, &places(2), std::slice::from_ref(&d));
        assert!(matches!(p3.decision, DecisionState::Stale(_)));
        assert!(!p3.confirmable());
        // The places change: another number of places left.
        let c4 = cons(vec![ranked("A", 85, 1), ranked("B", 85, 1), ranked("C", 85, 1)]);
        let p4 = propose(&c4, &places(2), &[]);
        let d4 = decide(&p4, &["A".into(), "C".into()], false, 4, 1, "r").unwrap();
        assert!(matches!(propose(&c4, &places(2), std::slice::from_ref(&d4)).decision, DecisionState::Applies(_)));
        assert!(matches!(propose(&c4, &places(1), &[d4]).decision, DecisionState::Stale(_)));
    }

    #[test]
    fn changes_since_confirmation_are_named() {
        let c = cons(vec![ranked("A", 90, 1), ranked("B", 85, 2)]);
        let p = propose(&c, &places(1), &[]);
        let frozen: Vec<FrozenRow> =
            p.entries.iter().map(|e| FrozenRow { code: e.code.clone(), rank: e.rank, final_score: e.final_score, recommended: e.proposed }).collect();
        assert!(changes_since(&frozen, &p).is_empty());
        let c2 = cons(vec![ranked("B", 95, 1), ranked("A", 90, 2)]);
        let changes = changes_since(&frozen, &propose(&c2, &places(1), &[]));
        assert!(changes.iter().any(|s| s.contains("B 的最终得分由 85.00 变为 95.00")), "{changes:?}");
        assert!(changes.iter().any(|s| s.contains("A 按当前排名不应推荐")), "{changes:?}");
    }
}
