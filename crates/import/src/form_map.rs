//! The 推荐书's labels mapped to the fields of [`Application`], shared by the .docx and the PDF reader.
//!
//! Both readers turn the document into *tokens* in reading order: a table cell, a paragraph, or (PDF) a
//! re-joined line. A token whose normalised text is one of the form's printed labels is a label; the tokens
//! after it, up to the next label, are its values. The .docx reader keeps empty cells as empty tokens, so a
//! value keeps its position (2022 before 2023); the PDF reader has only the text that is printed.
//!
//! Normalisation ([`key`]) makes the match tolerant: whitespace, full/half-width forms, quotes, footnote
//! marks, a leading section number and every parenthesised part (units such as “（万元）”, “(拟)”) are
//! dropped before comparing.

use pingshen_core::application::{Application, MemberGroup, TextPair, YearPair, MEMBER_TYPES};

/// A 推荐书 read from a .docx or PDF file.
#[derive(Clone, Debug, PartialEq)]
pub struct FormRead {
    /// What could be read; a cell that could not be read is empty (`None`, `""`, `0` for counts), never guessed.
    pub application: Application,
    pub source: FormSource,
    /// The staff must enter or complete the application by hand: the file is scanned, or too little of the
    /// form was found in it.
    pub needs_manual_entry: bool,
    /// In Chinese: what could not be read, for the staff to check.
    pub notes: Vec<String>,
}

/// Where a [`FormRead`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormSource {
    /// A Word/WPS .docx: the tables are read cell by cell.
    Docx,
    /// A PDF with text: the text is read line by line (tables best effort).
    Pdf,
    /// A PDF without usable text (scanned): only what the file name tells.
    Scanned,
}

/// The final verdict on a mapping: the application, and whether it needs manual entry.
pub(crate) fn finish(mapped: Mapped, source: FormSource) -> FormRead {
    let Mapped { application, mut notes, found, expected } = mapped;
    let needs_manual_entry = found * 2 < expected || application.cover.name.trim().is_empty();
    if found == 0 {
        notes.insert(0, "未找到推荐书的任何栏目（联合体名称、联合体概况等），这份文件可能不是推荐书，请人工录入".to_string());
    } else if needs_manual_entry {
        notes.insert(0, format!("只找到推荐书 {expected} 个栏目中的 {found} 个，请人工核对并补录"));
    }
    FormRead { application, source, needs_manual_entry, notes }
}

type StrRef = fn(&mut Application) -> &mut String;
type NumRef = fn(&mut Application) -> &mut Option<f64>;
type CountRef = fn(&mut Application) -> &mut u32;
type PairRef = fn(&mut Application) -> &mut YearPair;
type TextPairRef = fn(&mut Application) -> &mut TextPair;

/// What a label's values fill.
#[derive(Clone, Copy)]
enum Field {
    /// One line: the first non-empty value (cover entries, names, telephone).
    Line(StrRef),
    /// Running text: every value, joined by newlines, without the form's “（不超过200字）” hints.
    Text(StrRef),
    /// One figure.
    Num(NumRef),
    /// One count (a `u32` in the model: 0 and a note when not readable).
    Count(CountRef),
    /// 2022 and 2023.
    Pair(PairRef),
    /// 企业/校际兼职教师: 人次 (2022, 2023) then 课时数 (2022, 2023), or one of them when the label says so.
    Teachers(PairRef, PairRef),
    /// 成果转化率（%）/到账经费（万元）: each year's cell holds “38/621”.
    Slash(PairRef, PairRef),
    /// Two texts: 2022 and 2023.
    TextPair(TextPairRef),
    /// 人员姓名.
    Staff,
    /// A row of 联合体成员情况: index into [`MEMBER_TYPES`].
    Member(usize),
    /// 拟投入运行经费总额: the labels 2023年/2024年/2025年 that follow are its cells.
    FundingTotal,
    /// 2022年 … 2025年: a funding year after [`Field::FundingTotal`], else a column header.
    Year(u16),
    /// The printed 近3年无违法违规 statement.
    Integrity,
    /// 申报单位承诺: 负责人签字 and the date.
    PledgeUnit,
    /// 教育行政部门意见: 推荐意见.
    PledgeEdu,
    /// A group label (a vertically merged cell on the left): it neither has values nor ends the values of the
    /// label before it, since a PDF may print it in the middle of its rows.
    Group,
    /// Printed text that is not a field (column headers, 说明): its values are dropped.
    Ignore,
}

/// One printed label: its wording (the first one is shown in notes), and what it fills.
struct Label {
    words: &'static [&'static str],
    field: Field,
    /// Counted when absent from a document that is meant to be the form.
    expected: bool,
}

fn labels() -> Vec<Label> {
    fn l(words: &'static [&'static str], field: Field) -> Label {
        Label { words, field, expected: !matches!(field, Field::Group | Field::Ignore | Field::Year(_)) }
    }
    let mut v = vec![
        // 封面
        l(&["联合体名称"], Field::Line(|a| &mut a.cover.name)),
        l(&["推荐单位"], Field::Line(|a| &mut a.cover.recommender)),
        l(&["依托园区"], Field::Line(|a| &mut a.cover.park)),
        l(&["牵头学校"], Field::Line(|a| &mut a.cover.lead_school)),
        l(&["牵头企业"], Field::Line(|a| &mut a.cover.lead_enterprise)),
        l(&["填表日期"], Field::Line(|a| &mut a.cover.date)),
        l(&["河南省教育厅制", "说明", "市域产教联合体推荐书"], Field::Ignore),
        // 1. 联合体概况
        l(&["联合体概况", "办学成效和服务能力"], Field::Group),
        l(&["成立时间", "拟成立时间"], Field::Line(|a| &mut a.overview.established)),
        l(&["联合体负责人"], Field::Line(|a| &mut a.overview.leader)),
        l(&["职务及联系方式"], Field::Line(|a| &mut a.overview.leader_title_contact)),
        l(&["秘书处情况"], Field::Group),
        l(&["秘书处所在单位"], Field::Line(|a| &mut a.overview.secretariat.host_unit)),
        l(&["秘书处负责人"], Field::Line(|a| &mut a.overview.secretariat.head)),
        l(&["固定办公面积"], Field::Num(|a| &mut a.overview.secretariat.office_area_m2)),
        l(&["联系电话"], Field::Line(|a| &mut a.overview.secretariat.phone)),
        l(&["人员总数"], Field::Count(|a| &mut a.overview.secretariat.total)),
        l(&["专职人数"], Field::Count(|a| &mut a.overview.secretariat.full_time)),
        l(&["兼职人数"], Field::Count(|a| &mut a.overview.secretariat.part_time)),
        l(&["人员姓名"], Field::Staff),
        l(&["联合体成员情况"], Field::Group),
        l(&["组成", "数量", "单位名称", "项目名称", "类型", "项目"], Field::Ignore),
        l(&["拟投入运行经费总额", "拟投入运行经费"], Field::FundingTotal),
        l(&["2022年"], Field::Year(2022)),
        l(&["2023年"], Field::Year(2023)),
        l(&["2024年"], Field::Year(2024)),
        l(&["2025年"], Field::Year(2025)),
        l(&["2023年拟投入运行经费来源"], Field::Group),
        l(&["牵头单位负担"], Field::Num(|a| &mut a.overview.funding.lead)),
        l(&["政府核拨"], Field::Num(|a| &mut a.overview.funding.government)),
        l(&["其他成员负担"], Field::Num(|a| &mut a.overview.funding.members)),
        l(&["其他途径"], Field::Num(|a| &mut a.overview.funding.other)),
        l(&["2022年产业园区总产值", "产业园区总产值"], Field::Num(|a| &mut a.overview.park_output_2022)),
        l(&["产业园区主导产业情况", "主导产业情况"], Field::Text(|a| &mut a.overview.leading_industry)),
        l(&["联合体所在地制定支持职业教育政策及落实情况"], Field::Text(|a| &mut a.overview.policy)),
        // 2. 资源共建共享
        l(&["资源共建共享", "师资共建共享", "人才培养质量", "联合培养情况", "服务发展能力", "联合体企业情况"], Field::Group),
        l(&["共建专业"], Field::Pair(|a| &mut a.resources.majors)),
        l(&["共建课程"], Field::Pair(|a| &mut a.resources.courses)),
        l(&["共建教材"], Field::Pair(|a| &mut a.resources.textbooks)),
        l(&["共建实训基地"], Field::Pair(|a| &mut a.resources.training_bases)),
        l(&["共建产业学院"], Field::Pair(|a| &mut a.resources.industry_colleges)),
        l(&["企业兼职教师"], Field::Teachers(|a| &mut a.resources.enterprise_teachers, |a| &mut a.resources.enterprise_teacher_hours)),
        l(&["校际兼职教师"], Field::Teachers(|a| &mut a.resources.interschool_teachers, |a| &mut a.resources.interschool_teacher_hours)),
        l(&["教师企业实践"], Field::Pair(|a| &mut a.resources.teacher_practice_months)),
        l(&["教师教学团队获国家级奖励情况"], Field::Text(|a| &mut a.resources.teaching_awards)),
        // 人才培养质量
        l(&["中国特色学徒制培养"], Field::Pair(|a| &mut a.talent.apprenticeship)),
        l(&["现场工程师培养"], Field::Pair(|a| &mut a.talent.field_engineers)),
        l(&["其他联合培养"], Field::Pair(|a| &mut a.talent.other_joint)),
        l(&["发布人才需求报告"], Field::Pair(|a| &mut a.talent.demand_reports)),
        l(
            &["搭建人才供需信息平台,完善职业教育专业动态调整机制情况", "搭建人才供需信息平台完善职业教育专业动态调整机制情况"],
            Field::TextPair(|a| &mut a.talent.platform),
        ),
        l(
            &[
                "联合体各类主体深入合作,及时把新方法、新技术、新工艺、新标准引入教育教学实践情况",
                "联合体各类主体深入合作及时把新方法、新技术、新工艺、新标准引入教育教学实践情况",
            ],
            Field::TextPair(|a| &mut a.talent.four_new),
        ),
        l(&["联合体内企业设立学徒岗位占岗位总量的比例", "企业设立学徒岗位占岗位总量的比例"], Field::Pair(|a| &mut a.talent.apprentice_post_ratio)),
        l(&["联合体内企业为学生提供实习实训量", "企业为学生提供实习实训量"], Field::Pair(|a| &mut a.talent.internship_months)),
        l(&["中高职贯通培养"], Field::Pair(|a| &mut a.talent.secondary_higher)),
        l(&["中高本衔接培养"], Field::Pair(|a| &mut a.talent.secondary_higher_bachelor)),
        l(
            &[
                "联合体内普通本科学校招收中高职毕业生和企业一线优秀员工就读本科和专业学位研究生",
                "普通本科学校招收中高职毕业生和企业一线优秀员工就读本科和专业学位研究生",
            ],
            Field::Pair(|a| &mut a.talent.bachelor_intake),
        ),
        l(
            &["通过文化素质+职业技能考试招生学生升学比例", "文化素质+职业技能考试招生学生升学比例"],
            Field::Pair(|a| &mut a.talent.exam_progression_ratio),
        ),
        l(&["联合体学校整体就业率"], Field::Pair(|a| &mut a.talent.employment_rate)),
        l(&["职业学校技能大赛获奖情况"], Field::Text(|a| &mut a.talent.skill_contests)),
        // 服务发展能力
        l(&["共性技术服务平台"], Field::Pair(|a| &mut a.service.platforms)),
        l(
            &["校企合作开展技术研发的成果转化率/到账经费", "成果转化率/到账经费"],
            Field::Slash(|a| &mut a.service.conversion_rate, |a| &mut a.service.rnd_funds),
        ),
        l(&["校企合作开展技术研发的成果转化率", "成果转化率"], Field::Pair(|a| &mut a.service.conversion_rate)),
        l(&["校企合作开展技术研发的到账经费", "到账经费"], Field::Pair(|a| &mut a.service.rnd_funds)),
        l(&["研究成果数量"], Field::Pair(|a| &mut a.service.research_outputs)),
        l(&["技能鉴定量"], Field::Pair(|a| &mut a.service.skill_certifications)),
        l(&["大师工作室数量"], Field::Pair(|a| &mut a.service.master_studios)),
        l(&["面向企业员工开展培训数"], Field::Pair(|a| &mut a.service.employee_training_days)),
        l(&["面向农民工、退役军人、下岗职工等培训数"], Field::Pair(|a| &mut a.service.community_training_days)),
        // 联合体企业情况
        l(&["企业职工总数"], Field::Pair(|a| &mut a.enterprises.employees)),
        l(&["企业资产总额"], Field::Pair(|a| &mut a.enterprises.assets)),
        l(&["2022年企业销售总额", "企业销售总额"], Field::Num(|a| &mut a.enterprises.sales_2022)),
        l(&["2022年校企合作产生的直接经济效益", "校企合作产生的直接经济效益"], Field::Num(|a| &mut a.enterprises.direct_benefit_2022)),
        l(&["规模以上企业数"], Field::Pair(|a| &mut a.enterprises.above_scale)),
        l(&["限额以上企业数"], Field::Pair(|a| &mut a.enterprises.above_quota)),
        // 3.–5.
        l(&["特色与创新"], Field::Text(|a| &mut a.features)),
        l(&["建设规划"], Field::Text(|a| &mut a.plan)),
        l(&["申报承诺"], Field::Group),
        l(&["申报单位承诺"], Field::PledgeUnit),
        l(&["教育行政部门意见"], Field::PledgeEdu),
    ];
    v.push(Label { words: &[INTEGRITY_FULL], field: Field::Integrity, expected: false });
    for (i, kind) in MEMBER_TYPES.iter().enumerate() {
        v.push(Label { words: std::slice::from_ref(kind), field: Field::Member(i), expected: true });
    }
    v
}

/// The printed integrity statement under section 3.
const INTEGRITY_FULL: &str = "产教联合体各成员单位近3年内在招生、就业、安全等领域未发生过违法或重大违规事件";
/// The wording that identifies the integrity statement inside its sentence.
const INTEGRITY_CORE: &str = "未发生过违法或重大违规事件";

/// Normalises a piece of text for comparison with a label: NFKC-like folding of full-width forms, no
/// whitespace, no quotes, no footnote marks, no leading section number, no parenthesised parts, no
/// trailing colon.
pub(crate) fn key(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    let mut depth = 0usize;
    for c in folded.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() => {}
            '"' | '\'' | '“' | '”' | '‘' | '’' | '¹' | '²' | '³' | '*' | '_' | '﹡' => {}
            '⁰' | '⁴'..='⁹' => {}
            c => out.push(c),
        }
    }
    // A leading section number: "1." "3、" "一、" "（一）" (the last one is gone with the parentheses).
    let trimmed = strip_section_number(&out);
    trimmed.trim_end_matches([':', '：', '。']).to_string()
}

fn strip_section_number(s: &str) -> &str {
    let digits = s.char_indices().take_while(|(_, c)| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c)).last();
    if let Some((i, c)) = digits {
        let rest = &s[i + c.len_utf8()..];
        for sep in ['.', '、', '．'] {
            if let Some(r) = rest.strip_prefix(sep) {
                // Not a decimal number ("2.5万元").
                if !r.starts_with(|c: char| c.is_ascii_digit()) {
                    return r;
                }
            }
        }
    }
    s
}

/// Folds full-width ASCII variants and the ideographic space to their ASCII forms, and the Chinese comma
/// to ','.
pub(crate) fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// The form's labels, normalised, for the mapping and for the PDF reader's re-joining of lines.
pub(crate) struct Labels {
    list: Vec<Label>,
    keys: Vec<(String, usize)>,
}

impl Labels {
    pub(crate) fn new() -> Labels {
        let list = labels();
        let mut keys = Vec::new();
        for (i, label) in list.iter().enumerate() {
            for w in label.words {
                keys.push((key(w), i));
            }
        }
        Labels { list, keys }
    }

    fn find(&self, token: &str) -> Option<usize> {
        let k = key(token);
        if k.is_empty() {
            return None;
        }
        if k.contains(INTEGRITY_CORE) && k.chars().count() < 60 {
            return self.list.iter().position(|l| matches!(l.field, Field::Integrity));
        }
        self.keys.iter().find(|(lk, _)| *lk == k).map(|(_, i)| *i)
    }

    /// Whether a token is one of the form's labels.
    pub(crate) fn is_label(&self, token: &str) -> bool {
        self.find(token).is_some()
    }

    /// Whether a token is the beginning of a label of at least four characters (a label wrapped over lines).
    pub(crate) fn is_label_start(&self, token: &str) -> bool {
        let k = key(token);
        let n = k.chars().count();
        (n >= 2 && self.keys.iter().any(|(lk, _)| lk.chars().count() >= 4 && lk.starts_with(&k) && *lk != k))
            || (n >= 4 && key(INTEGRITY_FULL).starts_with(&k))
    }

    /// Splits a token that starts with a cover label and carries its value on the same line
    /// ("联合体名称：济源高新区市域产教联合体", "依托园区 ____ (公章)").
    pub(crate) fn split_inline(&self, token: &str) -> Option<(String, String)> {
        const INLINE: [&str; 6] = ["联合体名称", "推荐单位", "依托园区", "牵头学校", "牵头企业", "填表日期"];
        let t = token.trim();
        for label in INLINE {
            let mut len = 0;
            for (i, c) in t.char_indices() {
                let end = i + c.len_utf8();
                if key(&t[..end]) == label {
                    len = end;
                    break;
                }
                if end > label.len() * 3 {
                    break;
                }
            }
            if len > 0 {
                let rest = clean_line(&t[len..]);
                if !rest.is_empty() {
                    return Some((t[..len].to_string(), rest));
                }
            }
        }
        None
    }
}

/// Printed text that is no part of any field: footnotes of the form and page numbers.
pub(crate) fn is_boilerplate(token: &str) -> bool {
    let k = key(token);
    const FOOTNOTES: [&str; 5] = [
        "联合体负责人指所在产业园区管委会负责同志",
        "2023—2025年填写承诺建成数据",
        "2023-2025年填写承诺建成数据",
        "规模以上工业:指",
        "限额以上贸易业",
    ];
    if FOOTNOTES.iter().any(|f| k.contains(&key(f))) {
        return true;
    }
    // "- 3 -", "— 3 —", "第3页", "第 3 页 共 12 页"
    let t: String = token.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = t.trim_matches(|c| c == '-' || c == '—' || c == '–');
    (inner.len() < t.len() && !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()))
        || (t.starts_with('第') && t.contains('页') && t.chars().filter(|c| c.is_ascii_digit()).count() > 0 && t.chars().count() < 14)
}

/// A value as one line: no hint, no “（公章）”, no underscores, no surrounding whitespace or colon.
fn clean_line(s: &str) -> String {
    let s = strip_hints(s);
    let s = s.replace(['_', '＿'], " ");
    let mut s = s.trim().trim_start_matches([':', '：']).trim().to_string();
    for seal in ["(公章)", "（公章）", "(盖章)", "（盖章）"] {
        s = s.replace(seal, "");
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes the form's length hints “（不超过200字）”, “(2000 字以内)” from a value.
fn strip_hints(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find(['(', '（']) {
        let after = &rest[open..];
        let close = after.char_indices().find(|(_, c)| *c == ')' || *c == '）').map(|(i, c)| i + c.len_utf8());
        match close {
            Some(end) => {
                let inner = &after[..end];
                let k: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
                out.push_str(&rest[..open]);
                if !(k.contains('字') && (k.contains("不超过") || k.contains("以内") || k.contains("限"))) {
                    out.push_str(inner);
                }
                rest = &after[end..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// Running text: lines trimmed, empty lines dropped; each line is a paragraph, and paragraphs are separated
/// by an empty line as in the canonical package text.
fn clean_text(values: &[&str]) -> String {
    let mut lines = Vec::new();
    for v in values {
        let v = strip_hints(v);
        for line in v.lines() {
            let line = line.trim();
            if !line.is_empty() {
                lines.push(line.to_string());
            }
        }
    }
    lines.join("\n\n")
}

/// Every number written in a text: digits with an optional decimal part and thousands separators.
pub(crate) fn numbers(s: &str) -> Vec<f64> {
    let chars: Vec<char> = fold(s).chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut text = String::new();
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                text.push(c);
                i += 1;
            } else if c == ','
                && !text.is_empty()
                && chars.len() >= i + 4
                && chars[i + 1..i + 4].iter().all(|c| c.is_ascii_digit())
                && !chars.get(i + 4).is_some_and(|c| c.is_ascii_digit())
            {
                i += 1;
            } else if c == '.' && !text.contains('.') && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
                text.push('.');
                i += 1;
            } else {
                break;
            }
        }
        if let Ok(x) = text.parse::<f64>() {
            out.push(x);
        }
    }
    out
}

/// What the mapping made of the tokens.
pub(crate) struct Mapped {
    pub application: Application,
    pub notes: Vec<String>,
    /// How many of the form's fields were found (labels present).
    pub found: usize,
    /// How many fields the form has.
    pub expected: usize,
}

/// Maps tokens (cells, paragraphs or lines in reading order) to an application.
pub(crate) fn map_tokens(raw: &[String]) -> Mapped {
    let labels = Labels::new();
    // Split inline cover entries, drop boilerplate.
    let mut tokens: Vec<String> = Vec::with_capacity(raw.len());
    for t in raw {
        if is_boilerplate(t) {
            continue;
        }
        match labels.split_inline(t) {
            Some((l, v)) => {
                tokens.push(l);
                tokens.push(v);
            }
            None => tokens.push(t.clone()),
        }
    }
    let mut kinds: Vec<Option<usize>> = tokens.iter().map(|t| labels.find(t)).collect();
    // "2023年" is a label only as a column header (next to another year) or as a cell of 拟投入运行经费总额;
    // elsewhere it is a value ((拟)成立时间 "2023年").
    let is_year = |k: Option<usize>| k.is_some_and(|k| matches!(labels.list[k].field, Field::Year(_)));
    let mut context_funding = false;
    for j in 0..kinds.len() {
        if !is_year(kinds[j]) {
            if let Some(k) = kinds[j] {
                context_funding = matches!(labels.list[k].field, Field::FundingTotal);
            }
            continue;
        }
        let header = (j > 0 && is_year(kinds[j - 1])) || kinds.get(j + 1).is_some_and(|k| is_year(*k));
        if !header && !context_funding {
            kinds[j] = None;
        }
    }

    let mut app = Application::default();
    let mut notes = Vec::new();
    let mut seen = vec![false; labels.list.len()];
    let mut members: Vec<Option<MemberGroup>> = vec![None; MEMBER_TYPES.len()];
    let mut in_funding = false;
    let mut integrity_seen = false;

    let mut i = 0;
    while i < tokens.len() {
        let Some(li) = kinds[i] else {
            i += 1;
            continue;
        };
        let label = &labels.list[li];
        // The values: the tokens up to the next label that is not a group label.
        let mut values: Vec<&str> = Vec::new();
        let mut j = i + 1;
        while j < tokens.len() {
            match kinds[j] {
                None => values.push(tokens[j].as_str()),
                Some(k) if matches!(labels.list[k].field, Field::Group) => {}
                Some(_) => break,
            }
            j += 1;
        }
        let name = label.words[0];
        let first_time = !seen[li];
        seen[li] = true;
        match label.field {
            Field::Year(_) => {}
            _ => in_funding = matches!(label.field, Field::FundingTotal),
        }
        match label.field {
            Field::Line(r) => {
                let v = values.iter().map(|v| clean_line(v)).find(|v| !v.is_empty()).unwrap_or_default();
                let target = r(&mut app);
                if target.is_empty() {
                    *target = v;
                }
            }
            Field::Text(r) => {
                let v = clean_text(&values);
                let target = r(&mut app);
                if target.is_empty() {
                    *target = v;
                }
            }
            Field::Num(r) => {
                let v = first_number(name, values.iter().copied().find(|v| !v.trim().is_empty()), &mut notes);
                if first_time {
                    *r(&mut app) = v;
                }
            }
            Field::Count(r) => {
                let v = first_number(name, values.first().copied(), &mut notes);
                match v {
                    Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64 => *r(&mut app) = x as u32,
                    Some(x) => notes.push(format!("“{name}”填写的 {x} 不是人数，未读取")),
                    None => notes.push(format!("“{name}”未能读取，按 0 计，请核对")),
                }
            }
            Field::Pair(r) => {
                let p = pair(name, &values, 0, &mut notes);
                if first_time {
                    *r(&mut app) = p;
                }
            }
            Field::Teachers(people, hours) => {
                let raw_label = fold(&tokens[i]);
                if raw_label.contains("课时") {
                    *hours(&mut app) = pair(&format!("{name}（课时数）"), &values, 0, &mut notes);
                } else if raw_label.contains("人次") {
                    *people(&mut app) = pair(&format!("{name}（人次）"), &values, 0, &mut notes);
                } else {
                    *people(&mut app) = pair(&format!("{name}（人次）"), &values, 0, &mut notes);
                    *hours(&mut app) = pair(&format!("{name}（课时数）"), &values, 2, &mut notes);
                }
            }
            Field::Slash(a, b) => {
                let mut pa = YearPair::default();
                let mut pb = YearPair::default();
                for (k, v) in values.iter().take(2).enumerate() {
                    let parts: Vec<&str> = v.split(['/', '／']).collect();
                    let x = parts.first().and_then(|p| numbers(p).first().copied());
                    let y = parts.get(1).and_then(|p| numbers(p).first().copied());
                    if k == 0 {
                        pa.0 = x;
                        pb.0 = y;
                    } else {
                        pa.1 = x;
                        pb.1 = y;
                    }
                }
                *a(&mut app) = pa;
                *b(&mut app) = pb;
            }
            Field::TextPair(r) => {
                let texts: Vec<String> = values.iter().map(|v| clean_text(&[v])).collect();
                let nonempty: Vec<&String> = texts.iter().filter(|t| !t.is_empty()).collect();
                let tp = if texts.len() == 2 || nonempty.len() <= 2 {
                    // With empty cells kept (docx), positions decide; else the two texts in order.
                    if texts.len() == 2 {
                        TextPair(texts[0].clone(), texts[1].clone())
                    } else {
                        TextPair(
                            nonempty.first().map(|s| s.to_string()).unwrap_or_default(),
                            nonempty.get(1).map(|s| s.to_string()).unwrap_or_default(),
                        )
                    }
                } else {
                    notes.push(format!("“{name}”的2022年与2023年文字未能分开，已全部放入2022年一栏，请核对"));
                    TextPair(nonempty.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n"), String::new())
                };
                *r(&mut app) = tp;
            }
            Field::Staff => {
                let text = values.iter().map(|v| clean_line(v)).collect::<Vec<_>>().join("、");
                app.overview.secretariat.staff = split_list(&text, true);
            }
            Field::Member(k) => {
                let count_cell = values.first().copied().unwrap_or("");
                let nums = numbers(count_cell);
                let units = values.get(1..).unwrap_or(&[]).iter().map(|v| clean_line_keep_breaks(v)).collect::<Vec<_>>().join("\n");
                let kind = MEMBER_TYPES[k];
                let count = match nums.first() {
                    Some(x) if x.fract() == 0.0 && *x >= 0.0 => *x as u32,
                    _ => {
                        if !count_cell.trim().is_empty() || !units.trim().is_empty() {
                            notes.push(format!("联合体成员“{kind}”的数量未能读取，按 0 计，请核对"));
                        }
                        0
                    }
                };
                let students = nums.get(1).filter(|x| x.fract() == 0.0).map(|x| *x as u32);
                members[k] = Some(MemberGroup { kind: kind.to_string(), count, students, units: split_list(&units, false) });
            }
            Field::FundingTotal => {
                // "拟投入运行经费总额(万元)" may also carry the three years' figures as plain values.
                let nums: Vec<Option<f64>> = values.iter().map(|v| numbers(v).first().copied()).collect();
                if nums.iter().any(Option::is_some) && values.len() == 3 {
                    app.overview.funding.y2023 = nums[0];
                    app.overview.funding.y2024 = nums[1];
                    app.overview.funding.y2025 = nums[2];
                }
            }
            Field::Year(y) if in_funding => {
                let v = first_number(&format!("拟投入运行经费{y}年"), values.iter().copied().find(|v| !v.trim().is_empty()), &mut notes);
                let f = &mut app.overview.funding;
                match y {
                    2023 => f.y2023 = v,
                    2024 => f.y2024 = v,
                    2025 => f.y2025 = v,
                    _ => {}
                }
            }
            Field::Year(_) => {}
            Field::Integrity => integrity_seen = true,
            Field::PledgeUnit => {
                let lines = lines_of(&values);
                let (signatory, date) = pledge_unit(&lines);
                app.pledge.signatory = signatory;
                app.pledge.date = date;
            }
            Field::PledgeEdu => {
                app.pledge.recommendation = recommendation(&lines_of(&values));
            }
            Field::Group | Field::Ignore => {}
        }
        i = j.max(i + 1);
    }

    app.integrity_statement = integrity_seen;
    if members.iter().any(Option::is_some) {
        app.overview.members = members
            .into_iter()
            .enumerate()
            .map(|(k, g)| g.unwrap_or_else(|| MemberGroup { kind: MEMBER_TYPES[k].to_string(), ..MemberGroup::default() }))
            .collect();
    }

    let mut expected = 0;
    let mut found = 0;
    let mut missing = Vec::new();
    for (li, label) in labels.list.iter().enumerate() {
        if !label.expected {
            continue;
        }
        // Either wording of 成果转化率/到账经费 will do.
        let alt = matches!(label.field, Field::Slash(..))
            || label.words[0] == "校企合作开展技术研发的成果转化率"
            || label.words[0] == "校企合作开展技术研发的到账经费";
        if alt {
            continue;
        }
        expected += 1;
        if seen[li] {
            found += 1;
        } else {
            missing.push(label.words[0]);
        }
    }
    let service_rnd = labels.list.iter().enumerate().any(|(li, l)| {
        seen[li]
            && (matches!(l.field, Field::Slash(..))
                || l.words[0] == "校企合作开展技术研发的成果转化率"
                || l.words[0] == "校企合作开展技术研发的到账经费")
    });
    expected += 1;
    if service_rnd {
        found += 1;
    } else {
        missing.push("校企合作开展技术研发的成果转化率/到账经费");
    }
    if !missing.is_empty() && found > 0 {
        notes.push(format!("未找到以下栏目，相应内容为空：{}", missing.join("、")));
    }
    if found > 0 && !integrity_seen {
        notes.push("未找到“各成员单位近3年内未发生过违法或重大违规事件”的声明（或已划去），按未确认处理".to_string());
    }
    Mapped { application: app, notes, found, expected }
}

fn first_number(name: &str, value: Option<&str>, notes: &mut Vec<String>) -> Option<f64> {
    let v = value?;
    let n = numbers(v).first().copied();
    if n.is_none() && has_content(v) {
        notes.push(format!("“{name}”一栏“{}”不是数字，未读取", v.trim()));
    }
    n
}

/// Whether a cell holds more than the form's printed unit ("个", "人次", "m²", "%").
fn has_content(v: &str) -> bool {
    let k: String = fold(v).chars().filter(|c| !c.is_whitespace()).collect();
    const UNITS: [&str; 12] = ["个", "人次", "课时数", "人月", "人", "人数", "人日", "%", "万元", "亿元", "m²", "m2"];
    !k.is_empty() && !UNITS.contains(&k.as_str())
}

fn pair(name: &str, values: &[&str], from: usize, notes: &mut Vec<String>) -> YearPair {
    let a = first_number(&format!("{name}2022年"), values.get(from).copied(), notes);
    let b = first_number(&format!("{name}2023年"), values.get(from + 1).copied(), notes);
    YearPair(a, b)
}

fn clean_line_keep_breaks(v: &str) -> String {
    v.lines().map(clean_line).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// Splits a list of unit names or people: on 、，,；; and line breaks; for people also on spaces.
fn split_list(text: &str, on_spaces: bool) -> Vec<String> {
    text.split(|c: char| matches!(c, '、' | '，' | ',' | '；' | ';' | '\n' | '\t') || (on_spaces && c.is_whitespace()))
        .map(|s| s.trim().trim_end_matches(['。', '.']).trim())
        .filter(|s| !s.is_empty() && !matches!(*s, "等" | "无"))
        .map(str::to_string)
        .collect()
}

fn lines_of(values: &[&str]) -> Vec<String> {
    values.iter().flat_map(|v| v.lines()).map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

/// A written date "2023年8月10日" (spaces removed), if the line is one.
fn date_in(line: &str) -> Option<String> {
    let t: String = fold(line).chars().filter(|c| !c.is_whitespace()).collect();
    let y = t.find('年')?;
    let m = t[y..].find('月')? + y;
    let d = t[m..].find('日')? + m;
    let year = &t[..y];
    let year_digits: String = year.chars().rev().take_while(|c| c.is_ascii_digit()).collect();
    if year_digits.len() != 4 || !t[y + 3..m].chars().all(|c| c.is_ascii_digit()) || t[y + 3..m].is_empty() {
        return None;
    }
    if t[m + 3..d].is_empty() || !t[m + 3..d].chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let start = y - year_digits.len();
    Some(t[start..d + 3].to_string())
}

/// 申报单位承诺: the name after 负责人签字 and the date under it.
fn pledge_unit(lines: &[String]) -> (String, String) {
    let mut signatory = String::new();
    let mut date = String::new();
    let mut after_sign = false;
    for (n, line) in lines.iter().enumerate() {
        let f = fold(line);
        if let Some(pos) = f.find("负责人签字") {
            after_sign = true;
            let rest = clean_line(&f[pos + "负责人签字".len()..]);
            let rest = rest.replace("公章", "");
            let rest = rest.trim();
            if !rest.is_empty() && date_in(rest).is_none() {
                signatory = rest.to_string();
            } else if let Some(next) = lines.get(n + 1) {
                let next = clean_line(next);
                if !next.contains("公章") && date_in(&next).is_none() && !next.contains("年") && next.chars().count() <= 12 {
                    signatory = next;
                }
            }
            continue;
        }
        if after_sign && date.is_empty() {
            if let Some(d) = date_in(line) {
                date = d;
            }
        }
    }
    if date.is_empty() {
        if let Some(d) = lines.iter().rev().find_map(|l| date_in(l)) {
            date = d;
        }
    }
    (signatory, date)
}

/// 教育行政部门意见: the text after 推荐意见, up to the signature lines.
fn recommendation(lines: &[String]) -> String {
    let mut out = Vec::new();
    let mut started = false;
    for line in lines {
        let f = fold(line);
        if !started {
            if let Some(pos) = f.find("推荐意见") {
                started = true;
                let rest = clean_line(&f[pos + "推荐意见".len()..]);
                if !rest.is_empty() {
                    out.push(rest);
                }
            }
            continue;
        }
        let k = key(&f);
        if k.contains("负责人签字") || k.starts_with("省辖市") || k == "公章" || date_in(&f).is_some() || k == "年月日" {
            break;
        }
        out.push(line.trim().to_string());
    }
    if !started {
        // No 推荐意见 line: whatever is written before the signature lines.
        for line in lines {
            let k = key(line);
            if k.contains("负责人签字") || k.starts_with("省辖市") || k == "公章" || date_in(line).is_some() {
                break;
            }
            out.push(line.trim().to_string());
        }
    }
    out.join("\n")
}

/// What a file name says of the application: the consortium's name when the name carries one
/// ("济源高新区市域产教联合体推荐书（扫描件）.pdf").
pub(crate) fn from_file_name(file_name: &str) -> Application {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = match base.rfind('.') {
        Some(i) if i > 0 => &base[..i],
        _ => base,
    };
    let mut name = strip_hints(stem);
    for bracket in [('(', ')'), ('（', '）'), ('【', '】'), ('[', ']')] {
        while let (Some(a), Some(b)) = (name.find(bracket.0), name.rfind(bracket.1)) {
            if a < b {
                name.replace_range(a..b + bracket.1.len_utf8(), "");
            } else {
                break;
            }
        }
    }
    let mut app = Application::default();
    let Some(end) = name.rfind("联合体") else {
        return app;
    };
    let mut name = name[..end + "联合体".len()].to_string();
    // Leading numbering or separators: "01-", "1_", "附件2 ".
    for prefix in ["附件2", "附件二", "附件"] {
        if let Some(r) = name.strip_prefix(prefix) {
            name = r.to_string();
        }
    }
    let name = name.trim_start_matches(|c: char| c.is_ascii_digit() || " _-—.、".contains(c)).trim().to_string();
    if name.chars().count() > "联合体".chars().count() + 1 && !name.starts_with("联合体") {
        app.cover.name = name;
    }
    app
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_widths_units_and_numbering() {
        assert_eq!(key("（拟）成立时间"), "成立时间");
        assert_eq!(key("2022 年产业园区总产值（亿元）"), "2022年产业园区总产值");
        assert_eq!(key("联合体负责人¹"), "联合体负责人");
        assert_eq!(key("3. 特色与创新"), "特色与创新");
        assert_eq!(key("通过“文化素质+职业技能”考试招生学生升学比例（%）"), key("通过\"文化素质+职业技能\"考试招生学生升学比例(%)"));
        assert_eq!(key("服务 发展 能力"), "服务发展能力");
        assert_eq!(key("2.5万元"), "2.5万元");
    }

    #[test]
    fn numbers_read_units_separators_and_full_width_digits() {
        assert_eq!(numbers("12个"), vec![12.0]);
        assert_eq!(numbers("2（9860）"), vec![2.0, 9860.0]);
        assert_eq!(numbers("11,850,000万元"), vec![11850000.0]);
        assert_eq!(numbers("６.５%"), vec![6.5]);
        assert_eq!(numbers("38%/621万元"), vec![38.0, 621.0]);
        assert_eq!(numbers("1,2"), vec![1.0, 2.0]);
        assert!(numbers("个").is_empty());
    }

    #[test]
    fn hints_and_seals_are_not_values() {
        assert_eq!(clean_line("（不超过 200 字）"), "");
        assert_eq!(clean_line("___济源高新技术产业开发区___（公章）"), "济源高新技术产业开发区");
        assert_eq!(clean_text(&["（2000字以内）\n一是……\n\n\n二是……"]), "一是……\n\n二是……");
    }

    #[test]
    fn dates_and_pledge_lines() {
        assert_eq!(date_in("2023 年 8 月 10 日").as_deref(), Some("2023年8月10日"));
        assert_eq!(date_in("年 月 日"), None);
        let lines: Vec<String> = ["我承诺：前述……", "负责人签字：李卫东", "公章", "2023年8月10日"].map(String::from).to_vec();
        assert_eq!(pledge_unit(&lines), ("李卫东".to_string(), "2023年8月10日".to_string()));
        let lines: Vec<String> = ["我承诺：前述……", "负责人签字", "公章", "年 月 日"].map(String::from).to_vec();
        assert_eq!(pledge_unit(&lines), (String::new(), String::new()));
        let lines: Vec<String> = ["推荐意见", "同意推荐。", "省辖市、济源示范区、航空港区、省直管县（市）教育行政部门负责人签字", "公章", "年 月 日"]
            .map(String::from)
            .to_vec();
        assert_eq!(recommendation(&lines), "同意推荐。");
    }

    #[test]
    fn other_wordings_of_the_form_map_to_the_same_fields() {
        // Half-width brackets, separate rows for 成果转化率 and 到账经费, 课时数 on a row of its own, and a
        // "2023年" that is a value, not a header.
        let tokens: Vec<String> = [
            "(拟)成立时间",
            "2023年",
            "联合体负责人",
            "李卫东",
            "校企合作开展技术研发的成果转化率(%)",
            "38",
            "42",
            "到账经费(万元)",
            "621",
            "800",
            "企业兼职教师（人次）",
            "62",
            "85",
            "企业兼职教师（课时数）",
            "6820",
            "9350",
            "拟投入运行经费总额（万元）",
            "2023年",
            "1,200",
            "2024年",
            "",
            "2025年",
            "1800",
            "发布人才需求报告（个）",
            "两个",
            "3个",
        ]
        .map(String::from)
        .to_vec();
        let m = map_tokens(&tokens);
        let a = &m.application;
        assert_eq!(a.overview.established, "2023年");
        assert_eq!(a.service.conversion_rate, YearPair(Some(38.0), Some(42.0)));
        assert_eq!(a.service.rnd_funds, YearPair(Some(621.0), Some(800.0)));
        assert_eq!(a.resources.enterprise_teachers, YearPair(Some(62.0), Some(85.0)));
        assert_eq!(a.resources.enterprise_teacher_hours, YearPair(Some(6820.0), Some(9350.0)));
        assert_eq!((a.overview.funding.y2023, a.overview.funding.y2024, a.overview.funding.y2025), (Some(1200.0), None, Some(1800.0)));
        // Words where a figure belongs are not guessed at; the note says so.
        assert_eq!(a.talent.demand_reports, YearPair(None, Some(3.0)));
        assert!(m.notes.iter().any(|n| n.contains("“两个”不是数字")), "{:?}", m.notes);
    }

    #[test]
    fn a_file_name_may_tell_the_consortium() {
        assert_eq!(from_file_name("济源高新区市域产教联合体推荐书（扫描件）.pdf").cover.name, "济源高新区市域产教联合体");
        assert_eq!(from_file_name("附件2-宁波经济技术开发区市域产教联合体推荐书.pdf").cover.name, "宁波经济技术开发区市域产教联合体");
        assert_eq!(from_file_name("scan0001.pdf").cover.name, "");
        assert_eq!(from_file_name("联合体推荐书.pdf").cover.name, "");
    }

    #[test]
    fn inline_cover_entries_are_split_and_footnotes_dropped() {
        let tokens: Vec<String> = [
            "联合体名称：济源高新区市域产教联合体",
            "依托园区  济源高新技术产业开发区  （公章）",
            "¹ 联合体负责人指所在产业园区管委会负责同志。",
            "- 3 -",
        ]
        .map(String::from)
        .to_vec();
        let m = map_tokens(&tokens);
        assert_eq!(m.application.cover.name, "济源高新区市域产教联合体");
        assert_eq!(m.application.cover.park, "济源高新技术产业开发区");
        assert!(is_boilerplate("第 3 页 共 12 页"));
        assert!(!is_boilerplate("12"));
    }
}
