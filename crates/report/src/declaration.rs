//! The expert's 回避声明 and 承诺书: what an expert signs before scoring.
//!
//! Two A4 portrait pages. The 回避声明 names the expert (姓名, 单位, 职称, 编号) and the round and lists every
//! application of the round (申报编号, 联合体名称, 牵头学校, 牵头企业) with 回避 marked, its reason and who
//! recorded it (the expert's own declaration or staff), then anything else the expert declared in words, and
//! the signature line. The 承诺书 is the expert's commitment to score fairly and independently, keep the
//! material confidential, not contact applicants and declare every conflict, with its signature line.

use serde::Serialize;

use crate::text::who;
use crate::{view, ExpertInfo, ReportError};

/// Everything the 回避声明 and 承诺书 are made from, as plain text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclarationDoc {
    /// 评审批次 name.
    pub round_name: String,
    pub expert: ExpertInfo,
    /// Every application of the round, in the order to print.
    pub applications: Vec<DeclarationRow>,
    /// Anything else the expert declared in words; empty prints 「无」.
    pub statement: String,
    /// When the expert signed in the app, as text to print ("2024年5月20日 10:30"); empty prints nothing.
    pub signed_at: String,
}

/// One application of the round as the 回避声明 lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclarationRow {
    /// 申报编号
    pub code: String,
    /// 联合体名称
    pub name: String,
    /// 牵头学校
    pub lead_school: String,
    /// 牵头企业
    pub lead_enterprise: String,
    pub recused: bool,
    /// Why (empty when not recused).
    pub reason: String,
    /// Who recorded the recusal, as printed: 「专家本人声明」 or 「统分人员登记」 (`RecusalSource::zh` in the
    /// store); empty when not recused or not known.
    pub recorded_by: String,
}

/// The commitments of the 承诺书, one paragraph each.
pub const COMMITMENTS: [&str; 6] = [
    "遵守国家法律法规和评审工作纪律，服从评审工作安排，严格按照评审标准和程序独立、客观、公正地开展评审，不受任何单位和个人的干预。",
    "依据申报材料和评审标准实事求是地评分，对本人的评分和评审意见负责，不打人情分、印象分，不以任何方式诱导或干预其他专家评分。",
    "严格遵守保密规定，对申报材料、评审过程、评审意见和评审结果予以保密，不以任何形式复制、留存、泄露或向他人提供申报材料，评审结束后按要求交回全部评审材料。",
    "评审期间不与申报单位及其相关人员私下接触，不接受申报单位及相关人员的宴请、礼品、礼金或其他任何形式的利益；遇有请托、说情的，及时向评审组织方报告。",
    "严格执行回避制度，与申报单位存在任职、兼职、合作、亲属关系或其他可能影响公正评审的利害关系的，主动如实声明并回避；评审中发现应当回避情形的，立即报告并停止评审该项目。",
    "不利用评审专家身份和评审中获悉的信息谋取任何不正当利益。",
];

/// The last paragraph of the 承诺书.
pub const COMMITMENT_CLOSING: &str = "如违反上述承诺，本人自愿接受取消评审专家资格等处理，并依法依规承担相应责任。";

#[derive(Serialize)]
struct View {
    doc_title: String,
    landscape: bool,
    round_name: String,
    expert: ExpertView,
    rows: Vec<Row>,
    total: usize,
    recused: Vec<String>,
    statement: String,
    signed_at: String,
    commitments: [&'static str; 6],
    closing: &'static str,
    declarer: [&'static str; 1],
    promiser: [&'static str; 1],
}

#[derive(Serialize)]
struct Row {
    index: usize,
    code: String,
    name: String,
    lead_school: String,
    lead_enterprise: String,
    recused: bool,
    reason: String,
    recorded_by: String,
}

#[derive(Serialize)]
struct ExpertView {
    code: String,
    name: String,
    unit: String,
    title: String,
}

/// The expert's 回避声明 (page 1) and 承诺书 (page 2) as one self-contained HTML document, A4 portrait.
pub fn declaration_html(doc: &DeclarationDoc) -> Result<String, ReportError> {
    let rows: Vec<Row> = doc
        .applications
        .iter()
        .enumerate()
        .map(|(i, a)| Row {
            index: i + 1,
            code: a.code.clone(),
            name: a.name.clone(),
            lead_school: a.lead_school.clone(),
            lead_enterprise: a.lead_enterprise.clone(),
            recused: a.recused,
            reason: a.reason.clone(),
            recorded_by: a.recorded_by.clone(),
        })
        .collect();
    let e = &doc.expert;
    let view = View {
        doc_title: format!("{}回避声明和承诺书（{}）", doc.round_name, who(&doc.expert.code, &doc.expert.name)),
        landscape: false,
        round_name: doc.round_name.clone(),
        expert: ExpertView { code: e.code.clone(), name: e.name.clone(), unit: e.unit.clone(), title: e.title.clone() },
        total: rows.len(),
        recused: doc.applications.iter().filter(|a| a.recused).map(|a| a.code.clone()).collect(),
        rows,
        statement: doc.statement.trim().to_string(),
        signed_at: doc.signed_at.clone(),
        commitments: COMMITMENTS,
        closing: COMMITMENT_CLOSING,
        declarer: ["声明人"],
        promiser: ["承诺人"],
    };
    view::render("declaration.html.tera", &view)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, name: &str, recused: Option<(&str, &str)>) -> DeclarationRow {
        DeclarationRow {
            code: code.into(),
            name: name.into(),
            lead_school: format!("{code}职业技术学院"),
            lead_enterprise: format!("{code}集团有限公司"),
            recused: recused.is_some(),
            reason: recused.map(|r| r.0.to_string()).unwrap_or_default(),
            recorded_by: recused.map(|r| r.1.to_string()).unwrap_or_default(),
        }
    }

    fn doc() -> DeclarationDoc {
        DeclarationDoc {
            round_name: "2024年河南省市域产教联合体评审".into(),
            expert: ExpertInfo {
                code: "E01".into(), name: "张建国".into(), unit: "河南工业职业技术学院".into(), title: "教授".into()
            },
            applications: vec![
                row("A01", "洛阳<装备>制造产教联合体", None),
                row("A02", "郑州电子信息产教联合体", Some(("本人在牵头学校兼职 & 授课", "专家本人声明"))),
                row("A03", "新乡现代农业产教联合体", Some(("配偶在成员企业任职", "统分人员登记"))),
            ],
            statement: "曾参与 A01 的前期论证<会议>".into(),
            signed_at: "2024年5月20日 10:30".into(),
        }
    }

    #[test]
    fn the_declaration_lists_every_application_with_its_recusal_and_the_pledge() {
        let html = declaration_html(&doc()).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("size: A4;"));
        assert_eq!(html.matches("<h1>").count(), 2, "回避声明 and 承诺书");
        assert!(html.contains("<h1>评审专家回避声明</h1>") && html.contains("<h1>评审专家承诺书</h1>"));
        assert!(html.contains("<section class=\"page declaration\">"), "the 承诺书 starts a new page");
        for text in ["张建国（编号 E01）", "河南工业职业技术学院", "教授", "（2024年河南省市域产教联合体评审）", "A03职业技术学院", "A03集团有限公司"]
        {
            assert!(html.contains(text), "{text}");
        }
        assert!(html.contains("<td class=\"c yes\">回避</td><td class=\"wrap\">本人在牵头学校兼职 &amp; 授课</td><td class=\"c\">专家本人声明</td>"));
        assert!(html.contains("<td class=\"c yes\">回避</td><td class=\"wrap\">配偶在成员企业任职</td><td class=\"c\">统分人员登记</td>"));
        assert_eq!(html.matches("<td class=\"c\">否</td>").count(), 1);
        assert!(html.contains("本批次共 3 项申报，本人回避其中 2 项（申报编号 A02、A03）"));
        assert!(html.contains("其他需要说明的情况：曾参与 A01 的前期论证&lt;会议&gt;"));
        assert!(html.contains("本人张建国（河南工业职业技术学院）受邀担任2024年河南省市域产教联合体评审的评审专家，现郑重承诺："));
        for c in COMMITMENTS {
            assert!(html.contains(&format!("<li>{c}</li>")), "{c}");
        }
        assert!(html.contains(COMMITMENT_CLOSING));
        assert!(html.contains("声明人（签字）：") && html.contains("承诺人（签字）："));
        assert!(html.contains("本声明已于 2024年5月20日 10:30 在评审台中签署确认。"));
    }

    #[test]
    fn user_text_is_escaped_and_an_expert_without_recusals_says_so() {
        let html = declaration_html(&doc()).unwrap();
        assert!(html.contains("洛阳&lt;装备&gt;制造产教联合体") && !html.contains("洛阳<装备>"));
        assert!(!html.contains("<会议>"));
        let mut d = doc();
        d.expert.name = "李<script>".into();
        d.applications.iter_mut().for_each(|a| a.recused = false);
        d.statement = "  ".into();
        d.signed_at.clear();
        let html = declaration_html(&d).unwrap();
        assert!(!html.contains("<script") && html.contains("李&lt;script&gt;"));
        assert!(html.contains("本批次共 3 项申报，本人与上述申报项目均不存在应当回避的利害关系。"));
        assert!(html.contains("其他需要说明的情况：无。"));
        assert!(!html.contains("在评审台中签署确认"));
        for banned in ["http", "//", "<link", "<img", "url(", "@import", "src="] {
            assert!(!html.contains(banned), "{banned}");
        }
    }
}
