//! An expert's opinion on a sheet besides the scores: the 推荐意见 ([`Recommendation`]: 推荐 / 不推荐, or not
//! yet given) and the 综合意见 (free text), and the round's rules for them ([`OpinionRules`]: whether each
//! is required before a sheet can be submitted, and the 综合意见's maximum length).
//!
//! Both travel with the sheet: in the score file and the kept version as optional members
//! (`recommendation`, `opinion`) written only when given, so that a sheet without them keeps its bytes and
//! its printed 评分表校验码.

use serde::Serialize;

use crate::sheet::Missing;

/// An expert's 推荐意见 on an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    /// 推荐
    Recommend,
    /// 不推荐
    NotRecommend,
}

impl Recommendation {
    /// As written in score files and kept versions: `"recommend"` or `"not_recommend"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Recommendation::Recommend => "recommend",
            Recommendation::NotRecommend => "not_recommend",
        }
    }

    /// From [`Self::as_str`]'s text; `None` for anything else.
    pub fn parse(s: &str) -> Option<Recommendation> {
        match s {
            "recommend" => Some(Recommendation::Recommend),
            "not_recommend" => Some(Recommendation::NotRecommend),
            _ => None,
        }
    }

    /// 推荐 or 不推荐.
    pub fn zh(self) -> &'static str {
        match self {
            Recommendation::Recommend => "推荐",
            Recommendation::NotRecommend => "不推荐",
        }
    }

    /// From the words staff type on paper (推荐 / 不推荐, surrounding blanks ignored); `None` otherwise.
    pub fn parse_zh(s: &str) -> Option<Recommendation> {
        match s.trim() {
            "推荐" => Some(Recommendation::Recommend),
            "不推荐" => Some(Recommendation::NotRecommend),
            _ => None,
        }
    }
}

/// The round's rules for the expert's opinion (批次设置: 提交前须填写推荐意见 / 综合意见, 综合意见字数上限).
/// The default requires nothing: what an older round, or a round file without these members, means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpinionRules {
    pub require_recommendation: bool,
    pub require_opinion: bool,
    /// At most this many characters in the 综合意见 (`None`: no limit).
    pub opinion_max_chars: Option<u32>,
}

impl OpinionRules {
    /// What a round created on this machine starts with: both required, no length limit.
    pub const NEW_ROUND: OpinionRules = OpinionRules { require_recommendation: true, require_opinion: true, opinion_max_chars: None };
}

/// The length of a 综合意见 as counted against the limit and shown as the expert types: characters (not
/// bytes) of the text without its surrounding blanks.
pub fn opinion_chars(opinion: &str) -> u32 {
    opinion.trim().chars().count() as u32
}

/// What still stands, on the opinion's side, between a sheet and its submission: a missing 推荐意见 or
/// 综合意见 where the round requires them, and a 综合意见 over the round's limit. Empty when nothing does.
pub fn checklist(rules: &OpinionRules, recommendation: Option<Recommendation>, opinion: &str) -> Vec<Missing> {
    let mut missing = Vec::new();
    if rules.require_recommendation && recommendation.is_none() {
        missing.push(Missing::Recommendation);
    }
    let chars = opinion_chars(opinion);
    if rules.require_opinion && chars == 0 {
        missing.push(Missing::Opinion);
    }
    if let Some(max) = rules.opinion_max_chars {
        if chars > max {
            missing.push(Missing::OpinionTooLong { chars, max });
        }
    }
    missing
}

/// A tally of the experts' 推荐意见 on one application over the submitted sheets: 推荐 n / 不推荐 m / 未填 k.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub recommend: u32,
    pub not_recommend: u32,
    pub not_given: u32,
}

impl Tally {
    /// Counts the 推荐意见 of the submitted sheets (`None`: a sheet without one).
    pub fn of(recommendations: impl IntoIterator<Item = Option<Recommendation>>) -> Tally {
        let mut t = Tally::default();
        for r in recommendations {
            match r {
                Some(Recommendation::Recommend) => t.recommend += 1,
                Some(Recommendation::NotRecommend) => t.not_recommend += 1,
                None => t.not_given += 1,
            }
        }
        t
    }

    /// `推荐 3 / 不推荐 1 / 未填 1` (the 未填 part only when there is one).
    pub fn zh(&self) -> String {
        let mut s = format!("推荐 {} / 不推荐 {}", self.recommend, self.not_recommend);
        if self.not_given > 0 {
            s.push_str(&format!(" / 未填 {}", self.not_given));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::problems_zh;

    #[test]
    fn words_round_trip() {
        for r in [Recommendation::Recommend, Recommendation::NotRecommend] {
            assert_eq!(Recommendation::parse(r.as_str()), Some(r));
            assert_eq!(Recommendation::parse_zh(r.zh()), Some(r));
        }
        assert_eq!(Recommendation::parse_zh(" 推荐 "), Some(Recommendation::Recommend));
        assert_eq!(Recommendation::parse_zh("同意"), None);
        assert_eq!(Recommendation::parse("yes"), None);
    }

    #[test]
    fn the_checklist_names_what_the_round_requires() {
        let none = OpinionRules::default();
        assert!(checklist(&none, None, "").is_empty(), "an older round requires nothing");
        let both = OpinionRules::NEW_ROUND;
        assert_eq!(checklist(&both, None, "  "), [Missing::Recommendation, Missing::Opinion]);
        assert!(checklist(&both, Some(Recommendation::NotRecommend), "材料翔实").is_empty());
        let short = OpinionRules { opinion_max_chars: Some(4), ..OpinionRules::default() };
        assert_eq!(checklist(&short, None, " 产教融合 "), [], "four characters, blanks not counted");
        let m = checklist(&short, None, "产教融合深入");
        assert_eq!(m, [Missing::OpinionTooLong { chars: 6, max: 4 }]);
        assert_eq!(
            problems_zh(&checklist(&OpinionRules { opinion_max_chars: Some(4), ..both }, None, "产教融合深入")),
            ["本批次要求填写推荐意见，请选择“推荐”或“不推荐”", "综合意见共 6 字，超过本批次规定的 4 字，请删减"]
        );
        assert!(m.iter().all(|m| m.item().is_none() && m.veto().is_none()));
    }

    #[test]
    fn a_tally_counts_each_kind() {
        let t = Tally::of([Some(Recommendation::Recommend), None, Some(Recommendation::Recommend), Some(Recommendation::NotRecommend)]);
        assert_eq!(t, Tally { recommend: 2, not_recommend: 1, not_given: 1 });
        assert_eq!(t.zh(), "推荐 2 / 不推荐 1 / 未填 1");
        assert_eq!(Tally::of([Some(Recommendation::Recommend)]).zh(), "推荐 1 / 不推荐 0");
    }
}
