//! What the panel writes besides scores: the 专家组意见 on each application (written by the 组长) and the
//! records of 实地考察 (on-site visits), with the rules they are checked by before they are stored.
//!
//! - [`Opinion`]: 主要优势, 存在问题, 改进建议 (each required, at most [`OPINION_PART_MAX`] characters so that the
//!   评审意见表 stays one A4 page) and the 结论 (建议推荐 / 不予推荐) with an optional note (at most
//!   [`CONCLUSION_NOTE_MAX`] characters). [`check_opinion`] trims it and lists every problem at once.
//! - [`Visit`]: the date (`YYYY-MM-DD`), the members of the visiting group (experts of the round and other
//!   people typed in, e.g. 监督人员; at least one, no name twice) and the claims checked ([`Check`]: 核查内容,
//!   核查结论 属实 / 部分属实 / 不属实, 说明; at least one; a 说明 is required unless the claim is 属实).
//!   [`check_visit`] drops rows left entirely empty, trims and lists every problem at once.
//! - [`check_veto_proposal`]: only a 不属实 finding may become a proposal of a 否定性指标, and only one of the
//!   rubric's. A proposal decides nothing: the panel's vote does
//!   ([`crate::consolidation::VetoDecision`]).

use crate::rubric::{Rubric, Veto};

/// The most characters each of 主要优势, 存在问题 and 改进建议 may have.
pub const OPINION_PART_MAX: usize = 400;
/// The most characters the 结论's note may have.
pub const CONCLUSION_NOTE_MAX: usize = 100;

/// The 结论 of the 专家组意见.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Conclusion {
    /// 建议推荐
    Recommend,
    /// 不予推荐
    NotRecommend,
}

impl Conclusion {
    /// As printed: 建议推荐 / 不予推荐.
    pub fn zh(self) -> &'static str {
        match self {
            Conclusion::Recommend => "建议推荐",
            Conclusion::NotRecommend => "不予推荐",
        }
    }

    /// The stored value: `recommend` / `not_recommend`.
    pub fn as_db(self) -> &'static str {
        match self {
            Conclusion::Recommend => "recommend",
            Conclusion::NotRecommend => "not_recommend",
        }
    }

    /// From the stored value; `None` for an unknown one.
    pub fn from_db(s: &str) -> Option<Conclusion> {
        match s {
            "recommend" => Some(Conclusion::Recommend),
            "not_recommend" => Some(Conclusion::NotRecommend),
            _ => None,
        }
    }
}

/// The 专家组意见 on one application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opinion {
    /// 主要优势
    pub strengths: String,
    /// 存在问题
    pub problems: String,
    /// 改进建议
    pub suggestions: String,
    /// 结论
    pub conclusion: Conclusion,
    /// The 结论's note (optional), e.g. 「建议在实地考察后确认」.
    pub conclusion_note: String,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// The opinion trimmed, after its checks: the three parts present and within [`OPINION_PART_MAX`]
/// characters, the note within [`CONCLUSION_NOTE_MAX`]. Every problem at once, in Chinese.
pub fn check_opinion(o: &Opinion) -> Result<Opinion, Vec<String>> {
    let o = Opinion {
        strengths: o.strengths.trim().to_string(),
        problems: o.problems.trim().to_string(),
        suggestions: o.suggestions.trim().to_string(),
        conclusion: o.conclusion,
        conclusion_note: o.conclusion_note.trim().to_string(),
    };
    let mut problems = Vec::new();
    for (label, text) in [("主要优势", &o.strengths), ("存在问题", &o.problems), ("改进建议", &o.suggestions)] {
        let n = chars(text);
        if n == 0 {
            problems.push(format!("请填写“{label}”"));
        } else if n > OPINION_PART_MAX {
            problems.push(format!("“{label}”有 {n} 字，超过 {OPINION_PART_MAX} 字（评审意见表每项申报一页）"));
        }
    }
    let n = chars(&o.conclusion_note);
    if n > CONCLUSION_NOTE_MAX {
        problems.push(format!("结论说明有 {n} 字，超过 {CONCLUSION_NOTE_MAX} 字"));
    }
    if problems.is_empty() {
        Ok(o)
    } else {
        Err(problems)
    }
}

/// The 核查结论 of one claim checked on a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Finding {
    /// 属实
    True,
    /// 部分属实
    Partly,
    /// 不属实
    False,
}

impl Finding {
    /// As printed: 属实 / 部分属实 / 不属实.
    pub fn zh(self) -> &'static str {
        match self {
            Finding::True => "属实",
            Finding::Partly => "部分属实",
            Finding::False => "不属实",
        }
    }

    /// The stored value: `true` / `partly` / `false`.
    pub fn as_db(self) -> &'static str {
        match self {
            Finding::True => "true",
            Finding::Partly => "partly",
            Finding::False => "false",
        }
    }

    /// From the stored value; `None` for an unknown one.
    pub fn from_db(s: &str) -> Option<Finding> {
        match s {
            "true" => Some(Finding::True),
            "partly" => Some(Finding::Partly),
            "false" => Some(Finding::False),
            _ => None,
        }
    }
}

/// One claim of the application checked on a visit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// The stored finding this row is, when it edits one (`None` for a new row); the store keeps a finding's
    /// id across edits so that a 否定性指标 proposal made from it stays with it.
    pub id: Option<i64>,
    /// 核查内容: what the application claims, as checked.
    pub claim: String,
    pub finding: Finding,
    /// 说明: what was seen (required unless 属实).
    pub note: String,
}

/// A member of the visiting group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The 专家编号 for an expert of the round; `None` for someone typed in (监督人员, staff).
    pub expert: Option<String>,
    /// 姓名
    pub name: String,
    /// 单位 (may be empty).
    pub unit: String,
    /// 身份 as printed: 组长, 评审专家, 监督人员, 工作人员 … (may be empty).
    pub duty: String,
}

/// One 实地考察 of one application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    /// 考察日期, `YYYY-MM-DD`.
    pub date: String,
    /// 考察地点 (may be empty).
    pub place: String,
    pub members: Vec<Member>,
    pub checks: Vec<Check>,
}

/// `YYYY-MM-DD`, a real calendar date between 1900 and 2999.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| text.get(r).filter(|t| t.bytes().all(|c| c.is_ascii_digit())).and_then(|t| t.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1] && (1900..=2999).contains(&y)
}

/// The visit trimmed, rows left entirely empty dropped, after its checks: a valid date, at least one member
/// and no name twice, at least one claim checked, each with its 核查内容 and (unless 属实) its 说明. Every
/// problem at once, rows numbered as shown (from 1, after the empty ones are dropped).
pub fn check_visit(v: &Visit) -> Result<Visit, Vec<String>> {
    let members: Vec<Member> = v
        .members
        .iter()
        .map(|m| Member {
            expert: m.expert.clone(),
            name: m.name.trim().to_string(),
            unit: m.unit.trim().to_string(),
            duty: m.duty.trim().to_string(),
        })
        .filter(|m| m.expert.is_some() || !m.name.is_empty() || !m.unit.is_empty() || !m.duty.is_empty())
        .collect();
    let checks: Vec<Check> = v
        .checks
        .iter()
        .map(|c| Check { id: c.id, claim: c.claim.trim().to_string(), finding: c.finding, note: c.note.trim().to_string() })
        .filter(|c| !c.claim.is_empty() || !c.note.is_empty())
        .collect();
    let v = Visit { date: v.date.trim().to_string(), place: v.place.trim().to_string(), members, checks };
    let mut problems = Vec::new();
    if v.date.is_empty() {
        problems.push("请填写考察日期".to_string());
    } else if !is_date(&v.date) {
        problems.push(format!("考察日期“{}”应为 年-月-日（如 2026-11-20）", v.date));
    }
    if v.members.is_empty() {
        problems.push("请填写考察组成员".to_string());
    }
    for (i, m) in v.members.iter().enumerate() {
        if m.name.is_empty() {
            problems.push(format!("考察组成员第 {} 行：请填写姓名", i + 1));
        } else if v.members[..i].iter().any(|p| p.name == m.name && p.unit == m.unit) {
            problems.push(format!("考察组成员 {} 列了两次", m.name));
        }
    }
    if v.checks.is_empty() {
        problems.push("请至少填写一项核查内容".to_string());
    }
    for (i, c) in v.checks.iter().enumerate() {
        if c.claim.is_empty() {
            problems.push(format!("核查第 {} 项：请填写核查内容", i + 1));
        }
        if c.finding != Finding::True && c.note.is_empty() {
            problems.push(format!("核查第 {} 项：结论为“{}”，请在说明中写明核查到的情况", i + 1, c.finding.zh()));
        }
    }
    if problems.is_empty() {
        Ok(v)
    } else {
        Err(problems)
    }
}

/// Why a finding cannot become a proposal of a 否定性指标.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProposalError {
    #[error("本批次的评分标准没有否定性指标，核查结论不能转为否定性指标提议")]
    NoVetoes,
    #[error("只有“不属实”的核查结论可以转为否定性指标提议，这一项的结论是“{}”", .0.zh())]
    NotFalse(Finding),
    #[error("否定性指标 {0} 不在本批次的评分标准中")]
    UnknownVeto(String),
}

/// Checks that a finding may become a proposal of the rubric's 否定性指标 `code`: the finding is 不属实 and
/// the rubric has that veto item. The item back.
pub fn check_veto_proposal<'r>(rubric: &'r Rubric, finding: Finding, code: &str) -> Result<&'r Veto, ProposalError> {
    if rubric.vetoes.is_empty() {
        return Err(ProposalError::NoVetoes);
    }
    if finding != Finding::False {
        return Err(ProposalError::NotFalse(finding));
    }
    rubric.veto(code).ok_or_else(|| ProposalError::UnknownVeto(code.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opinion() -> Opinion {
        Opinion {
            strengths: " 园区产业基础好 ".into(),
            problems: "实体化运行机制尚不健全".into(),
            suggestions: "完善理事会章程".into(),
            conclusion: Conclusion::Recommend,
            conclusion_note: "".into(),
        }
    }

    #[test]
    fn an_opinion_needs_its_three_parts_within_their_length() {
        let ok = check_opinion(&opinion()).unwrap();
        assert_eq!(ok.strengths, "园区产业基础好");
        let bad = Opinion {
            strengths: "  ".into(),
            problems: "问".repeat(OPINION_PART_MAX + 1),
            suggestions: "".into(),
            conclusion_note: "注".repeat(CONCLUSION_NOTE_MAX + 1),
            ..opinion()
        };
        assert_eq!(
            check_opinion(&bad).unwrap_err(),
            [
                "请填写“主要优势”".to_string(),
                "“存在问题”有 401 字，超过 400 字（评审意见表每项申报一页）".to_string(),
                "请填写“改进建议”".to_string(),
                "结论说明有 101 字，超过 100 字".to_string(),
            ]
        );
        // Exactly at the limit is fine (characters, not bytes).
        assert!(check_opinion(&Opinion { strengths: "优".repeat(OPINION_PART_MAX), ..opinion() }).is_ok());
    }

    fn member(name: &str) -> Member {
        Member { expert: None, name: name.into(), unit: "".into(), duty: "监督人员".into() }
    }

    fn check(claim: &str, finding: Finding, note: &str) -> Check {
        Check { id: None, claim: claim.into(), finding, note: note.into() }
    }

    #[test]
    fn a_visit_needs_a_date_members_and_claims_with_notes_unless_true() {
        let v = Visit {
            date: "2026-11-20".into(),
            place: " 洛阳 ".into(),
            members: vec![member(" 王监督 "), Member { duty: " ".into(), ..member("") }],
            checks: vec![check("实训基地 3 个", Finding::True, ""), check("", Finding::True, ""), check("共建产业学院", Finding::False, "未见挂牌")],
        };
        let ok = check_visit(&v).unwrap();
        assert_eq!((ok.place.as_str(), ok.members.len(), ok.checks.len()), ("洛阳", 1, 2), "rows left empty are dropped");
        let bad = Visit {
            date: "2026-02-30".into(),
            place: "".into(),
            members: vec![member("甲"), member("甲"), Member { expert: None, name: "".into(), unit: "某单位".into(), duty: "".into() }],
            checks: vec![check("", Finding::True, "说明"), check("学生规模", Finding::Partly, "")],
        };
        assert_eq!(
            check_visit(&bad).unwrap_err(),
            [
                "考察日期“2026-02-30”应为 年-月-日（如 2026-11-20）",
                "考察组成员 甲 列了两次",
                "考察组成员第 3 行：请填写姓名",
                "核查第 1 项：请填写核查内容",
                "核查第 2 项：结论为“部分属实”，请在说明中写明核查到的情况",
            ]
        );
        let empty = Visit { date: "".into(), place: "".into(), members: vec![], checks: vec![] };
        assert_eq!(check_visit(&empty).unwrap_err(), ["请填写考察日期", "请填写考察组成员", "请至少填写一项核查内容"]);
        assert!(is_date("2024-02-29") && !is_date("2023-02-29") && !is_date("2026-1-05") && !is_date("２０２６-01-05"));
    }

    #[test]
    fn only_a_false_finding_becomes_a_proposal_of_one_of_the_rubrics_vetoes() {
        let with = crate::rubric::parse(include_str!("../../../tests/consolidation/rubric-vetoes/rubric.toml")).unwrap();
        let without = crate::rubric::parse(include_str!("../../../rubrics/henan-2023/rubric.toml")).unwrap();
        assert_eq!(check_veto_proposal(&with, Finding::False, "V1").unwrap().code, "V1");
        assert_eq!(check_veto_proposal(&with, Finding::Partly, "V1").unwrap_err(), ProposalError::NotFalse(Finding::Partly));
        assert_eq!(check_veto_proposal(&with, Finding::True, "V1").unwrap_err(), ProposalError::NotFalse(Finding::True));
        assert_eq!(check_veto_proposal(&with, Finding::False, "V9").unwrap_err(), ProposalError::UnknownVeto("V9".into()));
        assert_eq!(check_veto_proposal(&without, Finding::False, "V1").unwrap_err(), ProposalError::NoVetoes);
        assert_eq!(ProposalError::NotFalse(Finding::Partly).to_string(), "只有“不属实”的核查结论可以转为否定性指标提议，这一项的结论是“部分属实”");
    }

    #[test]
    fn stored_values_read_back() {
        for f in [Finding::True, Finding::Partly, Finding::False] {
            assert_eq!(Finding::from_db(f.as_db()), Some(f));
        }
        for c in [Conclusion::Recommend, Conclusion::NotRecommend] {
            assert_eq!(Conclusion::from_db(c.as_db()), Some(c));
        }
        assert_eq!((Finding::from_db("x"), Conclusion::from_db("")), (None, None));
    }
}
