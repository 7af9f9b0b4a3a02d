//! The application (推荐书) as structured data.
//!
//! The fields follow attachment 2 of 教办职成〔2023〕258号 (市域产教联合体推荐书) one to one: the cover, 1. 联合体概况,
//! 2. 办学成效和服务能力 (four tables, 2022 actuals against 2023 commitments), 3. 特色与创新, 4. 建设规划 and
//! 5. 申报承诺. [`parse_application`] reads the canonical package text (`application.toml`, see
//! `docs/package-format.md`); the importers of other formats produce the same [`Application`].

use serde::{Deserialize, Serialize};

/// One filled-in 推荐书.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    pub cover: Cover,
    pub overview: Overview,
    pub resources: Resources,
    pub talent: Talent,
    pub service: Service,
    pub enterprises: Enterprises,
    /// 3. 特色与创新 (2000 字以内).
    pub features: String,
    /// The form's printed statement under section 3: 各成员单位近3年内在招生、就业、安全等领域未发生过违法或重大违规事件.
    /// `false` when the applicant struck it out or left it unconfirmed.
    #[serde(default = "yes")]
    pub integrity_statement: bool,
    /// 4. 建设规划 (1000 字以内).
    pub plan: String,
    #[serde(default)]
    pub pledge: Pledge,
}

fn yes() -> bool {
    true
}

/// The cover page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cover {
    /// 联合体名称
    pub name: String,
    /// 推荐单位
    pub recommender: String,
    /// 依托园区
    pub park: String,
    /// 牵头学校
    pub lead_school: String,
    /// 牵头企业
    pub lead_enterprise: String,
    /// 填表日期, as written (e.g. "2023年8月15日").
    pub date: String,
}

/// 1. 联合体概况.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overview {
    /// (拟)成立时间
    pub established: String,
    /// 联合体负责人 (所在产业园区管委会负责同志)
    pub leader: String,
    /// 职务及联系方式
    pub leader_title_contact: String,
    pub secretariat: Secretariat,
    /// 联合体成员情况, one row per type of member, in the form's order.
    pub members: Vec<MemberGroup>,
    pub funding: Funding,
    /// 2022年产业园区总产值(亿元)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub park_output_2022: Option<f64>,
    /// 产业园区主导产业情况 (不超过200字)
    pub leading_industry: String,
    /// 联合体所在地制定支持职业教育政策及落实情况 (不超过500字)
    pub policy: String,
}

/// 秘书处(办公室)情况.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secretariat {
    /// 秘书处所在单位
    pub host_unit: String,
    /// 秘书处负责人
    pub head: String,
    /// 固定办公面积 (m²)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_area_m2: Option<f64>,
    /// 联系电话
    pub phone: String,
    /// 人员总数
    pub total: u32,
    /// 专职人数
    pub full_time: u32,
    /// 兼职人数
    pub part_time: u32,
    /// 人员姓名
    #[serde(default)]
    pub staff: Vec<String>,
}

/// The seven member types of the form, in its order.
pub const MEMBER_TYPES: [&str; 7] = ["中职学校", "高职学校(含职教本科)", "普通本科学校", "政府部门", "企业", "科研机构", "其他组织"];

/// One row of 联合体成员情况.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberGroup {
    /// One of [`MEMBER_TYPES`].
    #[serde(rename = "type")]
    pub kind: String,
    /// 数量
    pub count: u32,
    /// 在校生数 (schools only)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub students: Option<u32>,
    /// 单位名称
    #[serde(default)]
    pub units: Vec<String>,
}

/// 拟投入运行经费 (万元).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y2023: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y2024: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y2025: Option<f64>,
    /// 2023年拟投入运行经费来源: 牵头单位负担
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<f64>,
    /// 政府核拨
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub government: Option<f64>,
    /// 其他成员负担
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<f64>,
    /// 其他途径
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<f64>,
}

/// A 2022 actual and a 2023 commitment, written `[2022, 2023]` in the package file; a figure not filled in
/// is written `""` (TOML has no null).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct YearPair(pub Option<f64>, pub Option<f64>);

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Cell {
    Int(i64),
    Float(f64),
    Text(String),
}

impl Cell {
    fn of(v: Option<f64>) -> Cell {
        match v {
            None => Cell::Text(String::new()),
            Some(x) if x.fract() == 0.0 && x.abs() < 9e15 => Cell::Int(x as i64),
            Some(x) => Cell::Float(x),
        }
    }
    fn value<E: serde::de::Error>(self) -> Result<Option<f64>, E> {
        match self {
            Cell::Int(i) => Ok(Some(i as f64)),
            Cell::Float(f) => Ok(Some(f)),
            Cell::Text(t) if t.trim().is_empty() => Ok(None),
            Cell::Text(t) => t.trim().parse().map(Some).map_err(|_| E::custom(format!("“{t}”不是数字"))),
        }
    }
}

impl Serialize for YearPair {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (Cell::of(self.0), Cell::of(self.1)).serialize(s)
    }
}

impl<'de> Deserialize<'de> for YearPair {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (a, b) = <(Cell, Cell)>::deserialize(d)?;
        Ok(YearPair(a.value()?, b.value()?))
    }
}

/// Two texts (2022, 2023) of at most 200 字 each, written `["…", "…"]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TextPair(pub String, pub String);

/// 资源共建共享.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    /// 共建专业 (个)
    pub majors: YearPair,
    /// 共建课程 (个)
    pub courses: YearPair,
    /// 共建教材 (个)
    pub textbooks: YearPair,
    /// 共建实训基地 (个)
    pub training_bases: YearPair,
    /// 共建产业学院 (个)
    pub industry_colleges: YearPair,
    /// 师资共建共享: 企业兼职教师 (人次)
    pub enterprise_teachers: YearPair,
    /// 企业兼职教师 (课时数)
    pub enterprise_teacher_hours: YearPair,
    /// 校际兼职教师 (人次)
    pub interschool_teachers: YearPair,
    /// 校际兼职教师 (课时数)
    pub interschool_teacher_hours: YearPair,
    /// 教师企业实践 (人月)
    pub teacher_practice_months: YearPair,
    /// 教师教学团队获国家级奖励情况 (不超过100字)
    pub teaching_awards: String,
}

/// 人才培养质量.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Talent {
    /// 联合培养: 中国特色学徒制培养 (人)
    pub apprenticeship: YearPair,
    /// 现场工程师培养 (人)
    pub field_engineers: YearPair,
    /// 其他联合培养 (人)
    pub other_joint: YearPair,
    /// 发布人才需求报告 (个)
    pub demand_reports: YearPair,
    /// 搭建人才供需信息平台,完善职业教育专业动态调整机制情况 (2 × 不超过200字)
    pub platform: TextPair,
    /// 联合体各类主体深入合作,及时把新方法、新技术、新工艺、新标准引入教育教学实践情况 (2 × 不超过200字)
    pub four_new: TextPair,
    /// 联合体内企业设立学徒岗位占岗位总量的比例 (%)
    pub apprentice_post_ratio: YearPair,
    /// 联合体内企业为学生提供实习实训量 (人月)
    pub internship_months: YearPair,
    /// 中高职贯通培养 (人数)
    pub secondary_higher: YearPair,
    /// 中高本衔接培养 (人数)
    pub secondary_higher_bachelor: YearPair,
    /// 普通本科学校招收中高职毕业生和企业一线优秀员工就读本科和专业学位研究生 (人数)
    pub bachelor_intake: YearPair,
    /// 通过"文化素质+职业技能"考试招生学生升学比例 (%)
    pub exam_progression_ratio: YearPair,
    /// 联合体学校整体就业率 (%)
    pub employment_rate: YearPair,
    /// 职业学校技能大赛获奖情况 (不超过100字)
    pub skill_contests: String,
}

/// 服务发展能力.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// 共性技术服务平台 (个)
    pub platforms: YearPair,
    /// 校企合作开展技术研发的成果转化率 (%)
    pub conversion_rate: YearPair,
    /// 校企合作开展技术研发的到账经费 (万元)
    pub rnd_funds: YearPair,
    /// 研究成果数量 (个)
    pub research_outputs: YearPair,
    /// 技能鉴定量 (人次)
    pub skill_certifications: YearPair,
    /// 大师工作室数量 (个)
    pub master_studios: YearPair,
    /// 面向企业员工开展培训数 (人日)
    pub employee_training_days: YearPair,
    /// 面向农民工、退役军人、下岗职工等培训数 (人日)
    pub community_training_days: YearPair,
}

/// 联合体企业情况.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enterprises {
    /// 企业职工总数 (人)
    pub employees: YearPair,
    /// 企业资产总额 (万元)
    pub assets: YearPair,
    /// 2022年企业销售总额 (万元)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_2022: Option<f64>,
    /// 2022年校企合作产生的直接经济效益 (万元)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_benefit_2022: Option<f64>,
    /// 规模以上企业数 (个)
    pub above_scale: YearPair,
    /// 限额以上企业数 (个)
    pub above_quota: YearPair,
}

/// 5. 申报承诺 and the 教育行政部门意见.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pledge {
    /// 负责人签字 (name as signed)
    #[serde(default)]
    pub signatory: String,
    #[serde(default)]
    pub date: String,
    /// 教育行政部门推荐意见
    #[serde(default)]
    pub recommendation: String,
}

/// Why a package text is not an application.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("第 {line} 行：{message}")]
pub struct ApplicationParseError {
    /// 1-based line of the problem (0 when unknown).
    pub line: usize,
    /// In Chinese.
    pub message: String,
}

/// Parses the canonical `application.toml` text.
pub fn parse_application(text: &str) -> Result<Application, ApplicationParseError> {
    toml::from_str::<Application>(text).map_err(|e| ApplicationParseError {
        line: e.span().map(|s| line_of(text, s.start)).unwrap_or(0),
        message: crate::rubric::toml_message_zh(e.message()),
    })
}

/// Writes the canonical `application.toml` text; [`parse_application`] reads it back unchanged.
pub fn write_application(app: &Application) -> String {
    toml::to_string(app).expect("an application always serializes")
}

pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

impl Application {
    /// Every unit named in the application: lead school and enterprise, and every member unit.
    pub fn all_units(&self) -> Vec<&str> {
        let mut v = vec![self.cover.lead_school.as_str(), self.cover.lead_enterprise.as_str()];
        for g in &self.overview.members {
            v.extend(g.units.iter().map(String::as_str));
        }
        v.retain(|s| !s.trim().is_empty());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_text_round_trips_with_missing_figures() {
        let mut a = Application::default();
        a.cover.name = "测试联合体".into();
        a.resources.majors = YearPair(Some(12.0), None);
        a.talent.employment_rate = YearPair(Some(97.5), Some(98.0));
        a.overview
            .members
            .push(MemberGroup { kind: MEMBER_TYPES[1].into(), count: 2, students: Some(12000), units: vec!["甲".into(), "乙".into()] });
        let text = write_application(&a);
        assert!(text.contains("majors = [12, \"\"]"), "{text}");
        assert_eq!(parse_application(&text).unwrap(), a);
    }

    #[test]
    fn errors_name_the_line_in_chinese() {
        let e = parse_application("[cover]\nname = 1\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = parse_application("bogus = 1\n").unwrap_err();
        assert!(e.message.contains("未知的项 `bogus`"), "{e}");
    }
}
