//! Proposed conflicts of interest (回避): an expert whose unit is the lead school, the lead enterprise or a
//! member unit of an application. Staff confirm each proposal; experts may declare more. The match is on
//! unit names after removing what people leave out or write differently: spaces, brackets, "有限公司" and
//! the like, a leading province or city prefix is allowed by matching one name inside the other.

use crate::application::Application;
use crate::expert::Expert;

/// A proposed conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub expert: String,
    pub application: String,
    /// The application's unit that matched the expert's.
    pub unit: String,
    /// Why, in Chinese.
    pub reason: String,
}

/// Suffixes that name the same unit with or without them.
const SUFFIXES: [&str; 6] = ["股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司"];

/// A unit name reduced to what identifies it.
pub fn normalize(unit: &str) -> String {
    let mut s: String = unit
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect();
    // "河南济源钢铁（集团）有限公司" → "河南济源钢铁有限公司": bracketed parts are optional.
    while let (Some(a), Some(b)) = (s.find('('), s.find(')')) {
        if a < b {
            s.replace_range(a..=b, "");
        } else {
            break;
        }
    }
    loop {
        let before = s.len();
        for suffix in SUFFIXES {
            if let Some(rest) = s.strip_suffix(suffix) {
                s = rest.to_string();
            }
        }
        if s.len() == before {
            break;
        }
    }
    s
}

/// Whether two unit names name the same unit: equal after [`normalize`], or one inside the other when the
/// shorter still has at least four characters ("济源钢铁" in "河南济源钢铁").
pub fn same_unit(a: &str, b: &str) -> bool {
    let (a, b) = (normalize(a), normalize(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() { (&a, &b) } else { (&b, &a) };
    short == long || (short.chars().count() >= 4 && long.contains(short.as_str()))
}

/// Every (expert, application) pair whose units match, with the matching unit and the reason.
pub fn propose(experts: &[Expert], applications: &[(String, &Application)]) -> Vec<Conflict> {
    let mut out = Vec::new();
    for e in experts.iter().filter(|e| !e.unit.trim().is_empty()) {
        for (code, app) in applications {
            let role = |u: &str| {
                if u == app.cover.lead_school {
                    "牵头学校"
                } else if u == app.cover.lead_enterprise {
                    "牵头企业"
                } else {
                    "成员单位"
                }
            };
            if let Some(unit) = app.all_units().into_iter().find(|u| same_unit(&e.unit, u)) {
                out.push(Conflict {
                    expert: e.code.clone(),
                    application: code.clone(),
                    unit: unit.to_string(),
                    reason: format!("专家 {} 所在单位“{}”是该联合体的{}“{}”", e.name, e.unit, role(unit), unit),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::MemberGroup;

    #[test]
    fn unit_names_match_across_the_usual_variations() {
        assert!(same_unit("济源钢铁集团", "河南济源钢铁（集团）有限公司"));
        assert!(same_unit("宁波职业技术学院", "宁波职业技术学院"));
        assert!(same_unit(" 海天塑机集团有限公司", "海天塑机集团"));
        assert!(!same_unit("河南大学", "河南科技大学"), "different universities");
        assert!(!same_unit("学院", "济源职业技术学院"), "too short to mean anything");
        assert!(!same_unit("", "济源职业技术学院"));
    }

    #[test]
    fn proposals_name_the_unit_and_its_role() {
        let mut app = Application::default();
        app.cover.lead_school = "宁波职业技术学院".into();
        app.overview
            .members
            .push(MemberGroup { kind: "普通本科学校".into(), count: 1, students: None, units: vec!["浙大宁波理工学院".into()] });
        let experts = vec![
            Expert { code: "E01".into(), name: "甲".into(), unit: "河南工业大学".into(), ..Default::default() },
            Expert { code: "E02".into(), name: "乙".into(), unit: "浙大宁波理工学院".into(), ..Default::default() },
            Expert { code: "E03".into(), name: "丙".into(), unit: "宁波职业技术学院".into(), ..Default::default() },
        ];
        let c = propose(&experts, &[("A03".into(), &app)]);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].expert.as_str(), c[0].unit.as_str()), ("E02", "浙大宁波理工学院"));
        assert!(c[0].reason.contains("成员单位"));
        assert!(c[1].reason.contains("牵头学校"));
    }
}
