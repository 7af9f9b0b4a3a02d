//! The 推荐书 as a readable document, and the names of its parts.
//!
//! [`FIELDS`] names every part of the attachment-2 form that a rubric's evidence hints may point at
//! (`overview.members`, `talent.platform`, …). [`render`] turns an [`Application`] into a [`FormDoc`]: sections
//! of blocks, each block tagged with its field id, which the UI shows as the form and highlights when the
//! observation point in focus names that field.

use crate::application::{Application, TextPair, YearPair, MEMBER_TYPES};

/// One nameable part of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldDef {
    /// Stable id used in rubric evidence hints, e.g. `overview.members`.
    pub id: &'static str,
    /// The form's own wording.
    pub label: &'static str,
}

macro_rules! fields {
    ($($id:literal => $label:literal),* $(,)?) => { &[$(FieldDef { id: $id, label: $label }),*] };
}

/// Every field id of the 推荐书, in form order.
pub const FIELDS: &[FieldDef] = fields![
    "cover" => "封面（联合体名称、推荐单位、依托园区、牵头学校、牵头企业）",
    "overview.basic" => "联合体名称、成立时间、负责人",
    "overview.secretariat" => "秘书处(办公室)情况",
    "overview.members" => "联合体成员情况",
    "overview.funding" => "拟投入运行经费及来源",
    "overview.park_output" => "2022年产业园区总产值",
    "overview.leading_industry" => "产业园区主导产业情况",
    "overview.policy" => "联合体所在地制定支持职业教育政策及落实情况",
    "resources.co_build" => "共建专业、课程、教材",
    "resources.bases" => "共建实训基地、产业学院",
    "resources.teachers" => "师资共建共享",
    "resources.teacher_practice" => "教师企业实践",
    "resources.teaching_awards" => "教师教学团队获国家级奖励情况",
    "talent.joint_training" => "联合培养情况",
    "talent.demand_reports" => "发布人才需求报告",
    "talent.platform" => "搭建人才供需信息平台,完善职业教育专业动态调整机制情况",
    "talent.four_new" => "新方法、新技术、新工艺、新标准引入教育教学实践情况",
    "talent.apprentice_ratio" => "企业设立学徒岗位占岗位总量的比例",
    "talent.internships" => "企业为学生提供实习实训量",
    "talent.pathways" => "中高职贯通、中高本衔接、本科招收中高职毕业生",
    "talent.exam_progression" => "“文化素质+职业技能”考试招生学生升学比例",
    "talent.employment" => "联合体学校整体就业率",
    "talent.skill_contests" => "职业学校技能大赛获奖情况",
    "service.platforms" => "共性技术服务平台",
    "service.rnd" => "成果转化率、到账经费、研究成果数量",
    "service.certification" => "技能鉴定量、大师工作室数量",
    "service.training" => "面向企业员工及农民工、退役军人、下岗职工等培训",
    "enterprises" => "联合体企业情况",
    "features" => "特色与创新",
    "integrity" => "近3年招生、就业、安全等领域无违法违规声明",
    "plan" => "建设规划",
    "pledge" => "申报承诺与教育行政部门意见",
];

/// The definition of a field id, if it names one.
pub fn field(id: &str) -> Option<&'static FieldDef> {
    FIELDS.iter().find(|f| f.id == id)
}

/// The 推荐书 laid out for reading.
#[derive(Clone, Debug, PartialEq)]
pub struct FormDoc {
    pub sections: Vec<FormSection>,
}

/// A numbered part of the form (封面, 1. 联合体概况, …).
#[derive(Clone, Debug, PartialEq)]
pub struct FormSection {
    pub title: String,
    pub blocks: Vec<FormBlock>,
}

/// One field of the form, shown as label/value pairs, a table or a text.
#[derive(Clone, Debug, PartialEq)]
pub struct FormBlock {
    /// An id of [`FIELDS`].
    pub field: &'static str,
    pub label: String,
    pub content: BlockContent,
}

/// What a block holds.
#[derive(Clone, Debug, PartialEq)]
pub enum BlockContent {
    /// Label → value rows.
    Pairs(Vec<(String, String)>),
    /// A table with a header row.
    Table { header: Vec<String>, rows: Vec<Vec<String>> },
    /// Running text with the form's length limit in 字, if any.
    Text { text: String, limit: Option<u32> },
}

/// Formats a figure as the form shows it: `12` not `12.0`, empty when not filled in.
pub fn figure(v: Option<f64>) -> String {
    match v {
        None => String::new(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
        Some(x) => format!("{x}"),
    }
}

fn pairs(field: &'static str, rows: Vec<(&str, String)>) -> FormBlock {
    FormBlock { field, label: label(field), content: BlockContent::Pairs(rows.into_iter().map(|(k, v)| (k.to_string(), v)).collect()) }
}

fn years(field: &'static str, rows: Vec<(&str, &YearPair)>) -> FormBlock {
    FormBlock {
        field,
        label: label(field),
        content: BlockContent::Table {
            header: vec!["项目".into(), "2022年".into(), "2023年".into()],
            rows: rows.into_iter().map(|(k, p)| vec![k.to_string(), figure(p.0), figure(p.1)]).collect(),
        },
    }
}

fn text(field: &'static str, text: &str, limit: Option<u32>) -> FormBlock {
    FormBlock { field, label: label(field), content: BlockContent::Text { text: text.to_string(), limit } }
}

fn text_pair(field: &'static str, t: &TextPair) -> FormBlock {
    FormBlock {
        field,
        label: label(field),
        content: BlockContent::Table {
            header: vec!["2022年（不超过200字）".into(), "2023年（不超过200字）".into()],
            rows: vec![vec![t.0.clone(), t.1.clone()]],
        },
    }
}

fn label(field: &str) -> String {
    self::field(field).map(|f| f.label.to_string()).unwrap_or_default()
}

/// Lays an application out as the form reads.
pub fn render(app: &Application) -> FormDoc {
    let c = &app.cover;
    let o = &app.overview;
    let s = &o.secretariat;
    let f = &o.funding;
    let r = &app.resources;
    let t = &app.talent;
    let sv = &app.service;
    let e = &app.enterprises;

    let mut member_rows: Vec<Vec<String>> = Vec::new();
    for kind in MEMBER_TYPES {
        let g = o.members.iter().find(|g| g.kind == kind);
        member_rows.push(match g {
            Some(g) => vec![
                kind.to_string(),
                match g.students {
                    Some(st) => format!("{}（在校生 {}）", g.count, st),
                    None => g.count.to_string(),
                },
                g.units.join("、"),
            ],
            None => vec![kind.to_string(), String::new(), String::new()],
        });
    }
    for g in o.members.iter().filter(|g| !MEMBER_TYPES.contains(&g.kind.as_str())) {
        member_rows.push(vec![g.kind.clone(), g.count.to_string(), g.units.join("、")]);
    }

    FormDoc {
        sections: vec![
            FormSection {
                title: "封面".into(),
                blocks: vec![pairs(
                    "cover",
                    vec![
                        ("联合体名称", c.name.clone()),
                        ("推荐单位", c.recommender.clone()),
                        ("依托园区", c.park.clone()),
                        ("牵头学校", c.lead_school.clone()),
                        ("牵头企业", c.lead_enterprise.clone()),
                        ("填表日期", c.date.clone()),
                    ],
                )],
            },
            FormSection {
                title: "1. 联合体概况".into(),
                blocks: vec![
                    pairs(
                        "overview.basic",
                        vec![
                            ("联合体名称", c.name.clone()),
                            ("(拟)成立时间", o.established.clone()),
                            ("联合体负责人", o.leader.clone()),
                            ("职务及联系方式", o.leader_title_contact.clone()),
                        ],
                    ),
                    pairs(
                        "overview.secretariat",
                        vec![
                            ("秘书处所在单位", s.host_unit.clone()),
                            ("秘书处负责人", s.head.clone()),
                            ("固定办公面积(m²)", figure(s.office_area_m2)),
                            ("联系电话", s.phone.clone()),
                            ("人员总数", s.total.to_string()),
                            ("专职人数", s.full_time.to_string()),
                            ("兼职人数", s.part_time.to_string()),
                            ("人员姓名", s.staff.join("、")),
                        ],
                    ),
                    FormBlock {
                        field: "overview.members",
                        label: label("overview.members"),
                        content: BlockContent::Table {
                            header: vec!["组成".into(), "数量(在校生数)".into(), "单位名称".into()], rows: member_rows
                        },
                    },
                    pairs(
                        "overview.funding",
                        vec![
                            ("拟投入运行经费总额 2023年(万元)", figure(f.y2023)),
                            ("2024年(万元)", figure(f.y2024)),
                            ("2025年(万元)", figure(f.y2025)),
                            ("2023年经费来源：牵头单位负担", figure(f.lead)),
                            ("政府核拨", figure(f.government)),
                            ("其他成员负担", figure(f.members)),
                            ("其他途径", figure(f.other)),
                        ],
                    ),
                    pairs("overview.park_output", vec![("2022年产业园区总产值(亿元)", figure(o.park_output_2022))]),
                    text("overview.leading_industry", &o.leading_industry, Some(200)),
                    text("overview.policy", &o.policy, Some(500)),
                ],
            },
            FormSection {
                title: "2. 办学成效和服务能力".into(),
                blocks: vec![
                    years("resources.co_build", vec![("共建专业(个)", &r.majors), ("共建课程(个)", &r.courses), ("共建教材(个)", &r.textbooks)]),
                    years("resources.bases", vec![("共建实训基地(个)", &r.training_bases), ("共建产业学院(个)", &r.industry_colleges)]),
                    years(
                        "resources.teachers",
                        vec![
                            ("企业兼职教师(人次)", &r.enterprise_teachers),
                            ("企业兼职教师(课时数)", &r.enterprise_teacher_hours),
                            ("校际兼职教师(人次)", &r.interschool_teachers),
                            ("校际兼职教师(课时数)", &r.interschool_teacher_hours),
                        ],
                    ),
                    years("resources.teacher_practice", vec![("教师企业实践(人月)", &r.teacher_practice_months)]),
                    text("resources.teaching_awards", &r.teaching_awards, Some(100)),
                    years(
                        "talent.joint_training",
                        vec![
                            ("中国特色学徒制培养(人)", &t.apprenticeship),
                            ("现场工程师培养(人)", &t.field_engineers),
                            ("其他联合培养(人)", &t.other_joint),
                        ],
                    ),
                    years("talent.demand_reports", vec![("发布人才需求报告(个)", &t.demand_reports)]),
                    text_pair("talent.platform", &t.platform),
                    text_pair("talent.four_new", &t.four_new),
                    years("talent.apprentice_ratio", vec![("学徒岗位占岗位总量的比例(%)", &t.apprentice_post_ratio)]),
                    years("talent.internships", vec![("企业为学生提供实习实训量(人月)", &t.internship_months)]),
                    years(
                        "talent.pathways",
                        vec![
                            ("中高职贯通培养(人数)", &t.secondary_higher),
                            ("中高本衔接培养(人数)", &t.secondary_higher_bachelor),
                            ("普通本科学校招收中高职毕业生和企业一线优秀员工(人数)", &t.bachelor_intake),
                        ],
                    ),
                    years("talent.exam_progression", vec![("“文化素质+职业技能”考试招生升学比例(%)", &t.exam_progression_ratio)]),
                    years("talent.employment", vec![("联合体学校整体就业率(%)", &t.employment_rate)]),
                    text("talent.skill_contests", &t.skill_contests, Some(100)),
                    years("service.platforms", vec![("共性技术服务平台(个)", &sv.platforms)]),
                    years(
                        "service.rnd",
                        vec![("成果转化率(%)", &sv.conversion_rate), ("到账经费(万元)", &sv.rnd_funds), ("研究成果数量(个)", &sv.research_outputs)],
                    ),
                    years("service.certification", vec![("技能鉴定量(人次)", &sv.skill_certifications), ("大师工作室数量(个)", &sv.master_studios)]),
                    years(
                        "service.training",
                        vec![
                            ("面向企业员工开展培训数(人日)", &sv.employee_training_days),
                            ("面向农民工、退役军人、下岗职工等培训数(人日)", &sv.community_training_days),
                        ],
                    ),
                    FormBlock {
                        field: "enterprises",
                        label: label("enterprises"),
                        content: BlockContent::Table {
                            header: vec!["项目".into(), "2022年".into(), "2023年".into()],
                            rows: vec![
                                vec!["企业职工总数(人)".into(), figure(e.employees.0), figure(e.employees.1)],
                                vec!["企业资产总额(万元)".into(), figure(e.assets.0), figure(e.assets.1)],
                                vec!["2022年企业销售总额(万元)".into(), figure(e.sales_2022), String::new()],
                                vec!["2022年校企合作产生的直接经济效益(万元)".into(), figure(e.direct_benefit_2022), String::new()],
                                vec!["规模以上企业数(个)".into(), figure(e.above_scale.0), figure(e.above_scale.1)],
                                vec!["限额以上企业数(个)".into(), figure(e.above_quota.0), figure(e.above_quota.1)],
                            ],
                        },
                    },
                ],
            },
            FormSection {
                title: "3. 特色与创新".into(),
                blocks: vec![
                    text("features", &app.features, Some(2000)),
                    text(
                        "integrity",
                        if app.integrity_statement {
                            "产教联合体各成员单位近3年内在招生、就业、安全等领域未发生过违法或重大违规事件。"
                        } else {
                            "（申报单位未确认“近3年内未发生过违法或重大违规事件”的声明）"
                        },
                        None,
                    ),
                ],
            },
            FormSection { title: "4. 建设规划".into(), blocks: vec![text("plan", &app.plan, Some(1000))] },
            FormSection {
                title: "5. 申报承诺".into(),
                blocks: vec![pairs(
                    "pledge",
                    vec![
                        ("负责人签字", app.pledge.signatory.clone()),
                        ("日期", app.pledge.date.clone()),
                        ("教育行政部门推荐意见", app.pledge.recommendation.clone()),
                    ],
                )],
            },
        ],
    }
}

/// Length of a text in 字 as the form counts it: every character that is not whitespace.
pub fn char_count(text: &str) -> u32 {
    text.chars().filter(|c| !c.is_whitespace()).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_rendered_exactly_once_and_every_block_names_a_field() {
        let doc = render(&Application::default());
        let mut seen: Vec<&str> = doc.sections.iter().flat_map(|s| s.blocks.iter().map(|b| b.field)).collect();
        for b in &seen {
            assert!(field(b).is_some(), "{b} not in FIELDS");
        }
        seen.sort();
        let mut all: Vec<&str> = FIELDS.iter().map(|f| f.id).collect();
        all.sort();
        assert_eq!(seen, all);
    }

    #[test]
    fn figures_print_like_the_form() {
        assert_eq!(figure(Some(12.0)), "12");
        assert_eq!(figure(Some(98.5)), "98.5");
        assert_eq!(figure(None), "");
    }
}
