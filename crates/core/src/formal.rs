//! 形式审查: the formal check of an application, before any expert sees it.
//!
//! [`check`] walks the 推荐书 (attachment 2 of 教办职成〔2023〕258号) in form order and reports what is
//! missing, too long or cannot be right, plus what is wrong with the supporting material it was handed. It
//! never changes anything: every problem becomes a [`Finding`] with a Chinese message a staff member can act
//! on. The rules, codes and message patterns are documented in `docs/formal-check.md`.
//!
//! The word limits of the running texts are the ones [`crate::form::render`] prints on the form (one source
//! of truth); words are counted with [`crate::form::char_count`].

use serde::{Deserialize, Serialize};

use crate::application::{Application, TextPair, YearPair, MEMBER_TYPES};
use crate::form::{self, char_count, figure, BlockContent};

/// How serious a finding is: an error must be put right before review, a warning is to be looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A required field or table cell is empty (error).
pub const MISSING_FIELD: &str = "missing_field";
/// A text is longer than the form allows (error).
pub const WORD_LIMIT: &str = "word_limit";
/// A percentage is above 100 (error).
pub const RATIO_OVER_100: &str = "ratio_over_100";
/// Figures of the form contradict each other (error).
pub const NUMBER_MISMATCH: &str = "number_mismatch";
/// A figure is negative (error).
pub const NEGATIVE_VALUE: &str = "negative_value";
/// A figure is not a number at all (NaN or infinity, error).
pub const INVALID_NUMBER: &str = "invalid_number";
/// A 2023 commitment is below the 2022 actual where the form asks for growth (warning).
pub const BELOW_2022: &str = "below_2022";
/// The lead school or lead enterprise is not among the listed member units (warning).
pub const LEAD_NOT_MEMBER: &str = "lead_not_member";
/// The printed integrity statement under 3. 特色与创新 is not confirmed (warning).
pub const INTEGRITY_NOT_CONFIRMED: &str = "integrity_not_confirmed";
/// A material referenced in the text is not among the materials, or there are no materials (warning).
pub const MATERIAL_MISSING: &str = "material_missing";
/// The 推荐书 is a scan; its contents must be typed in (error).
pub const SCANNED_FORM: &str = "scanned_form";
/// A material has scanned pages without text (warning).
pub const SCANNED_PAGES: &str = "scanned_pages";

/// The 填表日期 is after the round's application deadline (warning; [`round_checks`]).
pub const AFTER_DEADLINE: &str = "after_deadline";
/// The 推荐单位 recommends more applications than the round's quota allows (warning; [`round_checks`]).
pub const OVER_QUOTA: &str = "over_quota";

/// Every code [`check`] and [`round_checks`] report, with its severity, in the order of
/// `docs/formal-check.md`.
pub const CODES: &[(&str, Severity)] = &[
    (SCANNED_FORM, Severity::Error),
    (MISSING_FIELD, Severity::Error),
    (WORD_LIMIT, Severity::Error),
    (RATIO_OVER_100, Severity::Error),
    (NUMBER_MISMATCH, Severity::Error),
    (NEGATIVE_VALUE, Severity::Error),
    (INVALID_NUMBER, Severity::Error),
    (BELOW_2022, Severity::Warning),
    (LEAD_NOT_MEMBER, Severity::Warning),
    (INTEGRITY_NOT_CONFIRMED, Severity::Warning),
    (MATERIAL_MISSING, Severity::Warning),
    (SCANNED_PAGES, Severity::Warning),
    (AFTER_DEADLINE, Severity::Warning),
    (OVER_QUOTA, Severity::Warning),
];

fn severity_of(code: &'static str) -> Severity {
    CODES.iter().find(|(c, _)| *c == code).map(|(_, s)| *s).expect("every code is in CODES")
}

/// One problem of an application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// One of the codes above (`missing_field`, `word_limit`, …).
    pub code: &'static str,
    /// Where on the form: the field's label (`特色与创新`, `秘书处(办公室)情况`), `封面`, `推荐书` or `支撑材料`.
    pub section: String,
    /// The form field id ([`crate::form::FIELDS`]) when there is one.
    pub field: Option<&'static str>,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl Finding {
    /// `{"severity","code","section","message"}`, as the CLI prints a finding.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "severity": self.severity.as_str(),
            "code": self.code,
            "section": self.section,
            "message": self.message,
        })
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// What the check needs to know of one supporting PDF.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialInfo {
    /// File name (e.g. `校企合作协议汇编.pdf`).
    pub file: String,
    /// Title from the 目录索引.
    pub title: String,
    /// Page count.
    pub pages: u32,
    /// 1-based numbers of the pages that are scans without text.
    #[serde(default)]
    pub scanned_pages: Vec<u32>,
}

/// The texts of a TextPair cell are limited to this many 字 each (the form prints it in the cell,
/// `（不超过200字）`, which [`crate::form::render`] shows in the table header).
pub const TEXT_PAIR_LIMIT: u32 = 200;

/// The 形式审查 of one application: every finding, in form order (the scanned-form finding first, the
/// supporting-material findings last). `needs_manual_entry` says that the 推荐书 was a scan whose contents
/// could not be read.
pub fn check(app: &Application, materials: &[MaterialInfo], needs_manual_entry: bool) -> Vec<Finding> {
    let mut c = Checker { out: Vec::new(), materials, limits: text_limits(), refs_seen: Vec::new() };
    if needs_manual_entry {
        c.push(
            SCANNED_FORM,
            None,
            "推荐书".into(),
            "推荐书为扫描件，无法自动读取其中的文字和数据；请对照原件录入封面、联合体概况、各项数据及特色与创新、建设规划等内容，录入后重新进行形式审查"
                .into(),
        );
    }
    c.cover(app);
    c.overview(app);
    c.section2(app);
    c.text("features", "特色与创新", &app.features);
    if !app.integrity_statement {
        c.find(
            INTEGRITY_NOT_CONFIRMED,
            "integrity",
            "申报单位未确认“产教联合体各成员单位近3年内在招生、就业、安全等领域未发生过违法或重大违规事件”的声明，请核实原因（可能涉及“其他”项扣分）"
                .into(),
        );
    }
    c.text("plan", "建设规划", &app.plan);
    c.pledge(app);
    c.materials();
    c.out
}

/// The word limits of the form's running texts, read from the form as [`form::render`] lays it out.
fn text_limits() -> Vec<(&'static str, u32)> {
    form::render(&Application::default())
        .sections
        .iter()
        .flat_map(|s| s.blocks.iter())
        .filter_map(|b| match b.content {
            BlockContent::Text { limit: Some(l), .. } => Some((b.field, l)),
            _ => None,
        })
        .collect()
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// `2314` → `2,314`.
fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A figure as exact ten-thousandths, so that sums of decimals compare exactly (`0.1 + 0.2 == 0.3`).
fn fixed(x: f64) -> i128 {
    (x * 10_000.0).round() as i128
}

/// Prints a [`fixed`] value like [`figure`] does: `1200`, `12.5`.
fn fixed_text(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let (int, frac) = (a / 10_000, a % 10_000);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{}", format!("{frac:04}").trim_end_matches('0'))
    }
}

/// One row of a table of figures.
struct Row<'a> {
    /// The item as the form names it, with its unit unless it is a percentage.
    label: &'static str,
    cell: Cell<'a>,
    percent: bool,
    /// Whether the form asks the 2023 commitment not to fall below the 2022 actual.
    growth: bool,
}

enum Cell<'a> {
    Pair(&'a YearPair),
    /// A single figure; its label says the year.
    Single(Option<f64>),
}

fn pair<'a>(label: &'static str, p: &'a YearPair) -> Row<'a> {
    Row { label, cell: Cell::Pair(p), percent: false, growth: true }
}

fn percent<'a>(label: &'static str, p: &'a YearPair) -> Row<'a> {
    Row { label, cell: Cell::Pair(p), percent: true, growth: true }
}

fn fact<'a>(label: &'static str, p: &'a YearPair) -> Row<'a> {
    Row { label, cell: Cell::Pair(p), percent: false, growth: false }
}

fn single(label: &'static str, v: Option<f64>) -> Row<'static> {
    Row { label, cell: Cell::Single(v), percent: false, growth: false }
}

/// A reference to supporting material found in a text.
#[derive(Debug, PartialEq)]
struct Reference {
    /// As written, e.g. `附件3` or `《校企合作协议》`.
    shown: String,
    /// The attachment number, when it is referred to by number.
    number: Option<u32>,
    /// The normalised title, when it is referred to by title.
    title: Option<String>,
}

struct Checker<'a> {
    out: Vec<Finding>,
    materials: &'a [MaterialInfo],
    limits: Vec<(&'static str, u32)>,
    /// `shown` of every reference already reported or found, so that each is reported once.
    refs_seen: Vec<String>,
}

fn section_of(field: &'static str) -> String {
    match field {
        "cover" => "封面".into(),
        _ => form::field(field).map(|f| f.label.to_string()).unwrap_or_else(|| field.to_string()),
    }
}

impl Checker<'_> {
    fn push(&mut self, code: &'static str, field: Option<&'static str>, section: String, message: String) {
        self.out.push(Finding { severity: severity_of(code), code, section, field, message });
    }

    fn find(&mut self, code: &'static str, field: &'static str, message: String) {
        self.push(code, Some(field), section_of(field), message);
    }

    fn missing(&mut self, field: &'static str, items: &[String]) {
        if !items.is_empty() {
            self.find(MISSING_FIELD, field, format!("未填写：{}，请补填", items.join("、")));
        }
    }

    fn limit(&self, field: &str) -> Option<u32> {
        self.limits.iter().find(|(f, _)| *f == field).map(|(_, l)| *l)
    }

    fn word_limit(&mut self, field: &'static str, item: &str, text: &str, limit: u32) {
        let n = char_count(text);
        if n > limit {
            self.find(WORD_LIMIT, field, format!("{item} {} 字，超过 {limit} 字上限", grouped(n)));
        }
    }

    /// A required running text: filled in, within the form's limit, its references present.
    fn text(&mut self, field: &'static str, item: &str, text: &str) {
        if blank(text) {
            self.missing(field, &[item.to_string()]);
            return;
        }
        if let Some(l) = self.limit(field) {
            self.word_limit(field, item, text, l);
        }
        self.references(field, text);
    }

    fn text_pair(&mut self, field: &'static str, t: &TextPair) {
        let label = section_of(field);
        let cells = [("2022年", &t.0), ("2023年", &t.1)];
        let empty: Vec<String> = cells.iter().filter(|(_, s)| blank(s)).map(|(y, _)| format!("{label}（{y}）")).collect();
        self.missing(field, &empty);
        for (y, s) in cells {
            if !blank(s) {
                self.word_limit(field, &format!("{label}（{y}）"), s, TEXT_PAIR_LIMIT);
                self.references(field, s);
            }
        }
    }

    fn cover(&mut self, app: &Application) {
        let c = &app.cover;
        let items = [
            ("联合体名称", &c.name),
            ("推荐单位", &c.recommender),
            ("依托园区", &c.park),
            ("牵头学校", &c.lead_school),
            ("牵头企业", &c.lead_enterprise),
            ("填表日期", &c.date),
        ];
        let empty: Vec<String> = items.iter().filter(|(_, v)| blank(v)).map(|(k, _)| k.to_string()).collect();
        self.missing("cover", &empty);
    }

    fn overview(&mut self, app: &Application) {
        let o = &app.overview;
        let items = [("(拟)成立时间", &o.established), ("联合体负责人", &o.leader), ("职务及联系方式", &o.leader_title_contact)];
        let empty: Vec<String> = items.iter().filter(|(_, v)| blank(v)).map(|(k, _)| k.to_string()).collect();
        self.missing("overview.basic", &empty);

        self.secretariat(app);
        self.members(app);

        let f = &o.funding;
        self.numbers(
            "overview.funding",
            &[
                single("2023年拟投入运行经费总额（万元）", f.y2023),
                single("2024年拟投入运行经费总额（万元）", f.y2024),
                single("2025年拟投入运行经费总额（万元）", f.y2025),
                single("2023年经费来源：牵头单位负担（万元）", f.lead),
                single("2023年经费来源：政府核拨（万元）", f.government),
                single("2023年经费来源：其他成员负担（万元）", f.members),
                single("2023年经费来源：其他途径（万元）", f.other),
            ],
        );
        self.funding_sum(app);

        self.numbers("overview.park_output", &[single("2022年产业园区总产值（亿元）", o.park_output_2022)]);
        self.text("overview.leading_industry", "产业园区主导产业情况", &o.leading_industry);
        self.text("overview.policy", "联合体所在地制定支持职业教育政策及落实情况", &o.policy);
    }

    fn secretariat(&mut self, app: &Application) {
        const F: &str = "overview.secretariat";
        let s = &app.overview.secretariat;
        let mut empty: Vec<String> =
            [("秘书处所在单位", &s.host_unit), ("秘书处负责人", &s.head)].iter().filter(|(_, v)| blank(v)).map(|(k, _)| k.to_string()).collect();
        if s.office_area_m2.is_none() {
            empty.push("固定办公面积".into());
        }
        if blank(&s.phone) {
            empty.push("联系电话".into());
        }
        let sum = u64::from(s.full_time) + u64::from(s.part_time);
        if s.total == 0 && sum == 0 {
            empty.push("人员总数、专职人数、兼职人数（均为 0）".into());
        }
        let names = s.staff.iter().filter(|n| !blank(n)).count();
        if s.total > 0 && names == 0 {
            empty.push("人员姓名".into());
        }
        self.missing(F, &empty);
        if let Some(a) = s.office_area_m2 {
            self.sign(F, "固定办公面积（m²）", a);
        }
        if sum != u64::from(s.total) {
            self.find(
                NUMBER_MISMATCH,
                F,
                format!("专职人数 {} + 兼职人数 {} = {sum}，与人员总数 {} 不一致，请核对", s.full_time, s.part_time, s.total),
            );
        }
        if names > 0 && names != s.total as usize {
            self.find(NUMBER_MISMATCH, F, format!("人员姓名列出 {names} 人，与人员总数 {} 不一致，请核对", s.total));
        }
    }

    fn members(&mut self, app: &Application) {
        const F: &str = "overview.members";
        let members = &app.overview.members;
        if members.iter().all(|g| g.count == 0 && g.units.iter().all(|u| blank(u))) {
            self.missing(F, &["联合体成员情况（各类成员数量和单位名称）".to_string()]);
            return;
        }
        let mut empty = Vec::new();
        for g in members.iter().filter(|g| g.count > 0) {
            if MEMBER_TYPES[..3].contains(&g.kind.as_str()) && g.students.is_none() {
                empty.push(format!("{}在校生数", g.kind));
            }
            if g.units.iter().all(|u| blank(u)) {
                empty.push(format!("{}单位名称", g.kind));
            }
        }
        self.missing(F, &empty);
        for g in members {
            let listed = g.units.iter().filter(|u| !blank(u)).count();
            if listed > 0 && listed != g.count as usize {
                self.find(NUMBER_MISMATCH, F, format!("{}数量填写 {}，但单位名称列出 {listed} 个，请核对", g.kind, g.count));
            }
        }
        let units: Vec<String> = members.iter().flat_map(|g| g.units.iter()).map(|u| normalise(u)).collect();
        if units.iter().any(|u| !u.is_empty()) {
            for (role, name) in [("牵头学校", &app.cover.lead_school), ("牵头企业", &app.cover.lead_enterprise)] {
                let n = normalise(name);
                if !n.is_empty() && !units.iter().any(|u| !u.is_empty() && (u.contains(&n) || n.contains(u.as_str()))) {
                    self.find(LEAD_NOT_MEMBER, F, format!("{role}“{}”未列入联合体成员的单位名称，请核对", name.trim()));
                }
            }
        }
    }

    fn funding_sum(&mut self, app: &Application) {
        let f = &app.overview.funding;
        let Some(total) = f.y2023.filter(|x| x.is_finite()) else { return };
        let sources = [("牵头单位负担", f.lead), ("政府核拨", f.government), ("其他成员负担", f.members), ("其他途径", f.other)];
        let given: Vec<(&str, f64)> = sources.iter().filter_map(|(k, v)| v.filter(|x| x.is_finite()).map(|x| (*k, x))).collect();
        if given.is_empty() {
            return;
        }
        let sum: i128 = given.iter().map(|(_, x)| fixed(*x)).sum();
        let complete = given.len() == sources.len();
        if (complete && sum != fixed(total)) || (!complete && sum > fixed(total)) {
            let parts: Vec<String> = given.iter().map(|(k, x)| format!("{k} {}", figure(Some(*x)))).collect();
            self.find(
                NUMBER_MISMATCH,
                "overview.funding",
                format!(
                    "2023年经费来源合计 {} 万元（{}），与2023年拟投入运行经费总额 {} 万元不一致，请核对",
                    fixed_text(sum),
                    parts.join(" + "),
                    figure(Some(total))
                ),
            );
        }
    }

    /// Negative and non-numbers.
    fn sign(&mut self, field: &'static str, item: &str, x: f64) {
        if !x.is_finite() {
            self.find(INVALID_NUMBER, field, format!("{item}不是有效数字，请核对"));
        } else if x < 0.0 {
            self.find(NEGATIVE_VALUE, field, format!("{item}为 {}，不能为负数，请核对", figure(Some(x))));
        }
    }

    /// A block of figures: empty cells, then each row's sign, percentage and growth.
    fn numbers(&mut self, field: &'static str, rows: &[Row]) {
        let mut empty = Vec::new();
        for r in rows {
            match r.cell {
                Cell::Pair(YearPair(None, None)) => empty.push(r.label.to_string()),
                Cell::Pair(YearPair(None, Some(_))) => empty.push(format!("2022年{}", r.label)),
                Cell::Pair(YearPair(Some(_), None)) => empty.push(format!("2023年{}", r.label)),
                Cell::Single(None) => empty.push(r.label.to_string()),
                _ => {}
            }
        }
        self.missing(field, &empty);
        for r in rows {
            let values: Vec<(&str, f64)> = match r.cell {
                Cell::Pair(p) => [("2022年", p.0), ("2023年", p.1)].into_iter().filter_map(|(y, v)| v.map(|v| (y, v))).collect(),
                Cell::Single(v) => v.map(|v| ("", v)).into_iter().collect(),
            };
            let unit = if r.percent { "%" } else { "" };
            for &(year, x) in &values {
                let item = format!("{year}{}", r.label);
                self.sign(field, &item, x);
                if r.percent && x.is_finite() && x > 100.0 {
                    self.find(RATIO_OVER_100, field, format!("{item}为 {}%，比例不能超过 100%，请核对", figure(Some(x))));
                }
            }
            if let Cell::Pair(YearPair(Some(a), Some(b))) = r.cell {
                if r.growth && a.is_finite() && b.is_finite() && *b < *a {
                    self.find(
                        BELOW_2022,
                        field,
                        format!("{}2023年承诺 {}{unit}，低于2022年实际 {}{unit}，请核实", r.label, figure(Some(*b)), figure(Some(*a))),
                    );
                }
            }
        }
    }

    fn section2(&mut self, app: &Application) {
        let r = &app.resources;
        let t = &app.talent;
        let s = &app.service;
        let e = &app.enterprises;
        self.numbers(
            "resources.co_build",
            &[pair("共建专业（个）", &r.majors), pair("共建课程（个）", &r.courses), pair("共建教材（个）", &r.textbooks)],
        );
        self.numbers("resources.bases", &[pair("共建实训基地（个）", &r.training_bases), pair("共建产业学院（个）", &r.industry_colleges)]);
        self.numbers(
            "resources.teachers",
            &[
                pair("企业兼职教师（人次）", &r.enterprise_teachers),
                pair("企业兼职教师（课时数）", &r.enterprise_teacher_hours),
                pair("校际兼职教师（人次）", &r.interschool_teachers),
                pair("校际兼职教师（课时数）", &r.interschool_teacher_hours),
            ],
        );
        self.numbers("resources.teacher_practice", &[pair("教师企业实践（人月）", &r.teacher_practice_months)]);
        self.text("resources.teaching_awards", "教师教学团队获国家级奖励情况", &r.teaching_awards);
        self.numbers(
            "talent.joint_training",
            &[
                pair("中国特色学徒制培养（人）", &t.apprenticeship),
                pair("现场工程师培养（人）", &t.field_engineers),
                pair("其他联合培养（人）", &t.other_joint),
            ],
        );
        self.numbers("talent.demand_reports", &[pair("发布人才需求报告（个）", &t.demand_reports)]);
        self.text_pair("talent.platform", &t.platform);
        self.text_pair("talent.four_new", &t.four_new);
        self.numbers("talent.apprentice_ratio", &[percent("企业设立学徒岗位占岗位总量的比例", &t.apprentice_post_ratio)]);
        self.numbers("talent.internships", &[pair("企业为学生提供实习实训量（人月）", &t.internship_months)]);
        self.numbers(
            "talent.pathways",
            &[
                pair("中高职贯通培养（人数）", &t.secondary_higher),
                pair("中高本衔接培养（人数）", &t.secondary_higher_bachelor),
                pair("普通本科学校招收中高职毕业生和企业一线优秀员工（人数）", &t.bachelor_intake),
            ],
        );
        self.numbers("talent.exam_progression", &[percent("“文化素质+职业技能”考试招生学生升学比例", &t.exam_progression_ratio)]);
        self.numbers("talent.employment", &[percent("联合体学校整体就业率", &t.employment_rate)]);
        self.text("talent.skill_contests", "职业学校技能大赛获奖情况", &t.skill_contests);
        self.numbers("service.platforms", &[pair("共性技术服务平台（个）", &s.platforms)]);
        self.numbers(
            "service.rnd",
            &[
                percent("校企合作开展技术研发的成果转化率", &s.conversion_rate),
                pair("校企合作开展技术研发的到账经费（万元）", &s.rnd_funds),
                pair("研究成果数量（个）", &s.research_outputs),
            ],
        );
        self.numbers(
            "service.certification",
            &[pair("技能鉴定量（人次）", &s.skill_certifications), pair("大师工作室数量（个）", &s.master_studios)],
        );
        self.numbers(
            "service.training",
            &[
                pair("面向企业员工开展培训数（人日）", &s.employee_training_days),
                pair("面向农民工、退役军人、下岗职工等培训数（人日）", &s.community_training_days),
            ],
        );
        self.numbers(
            "enterprises",
            &[
                fact("企业职工总数（人）", &e.employees),
                fact("企业资产总额（万元）", &e.assets),
                single("2022年企业销售总额（万元）", e.sales_2022),
                single("2022年校企合作产生的直接经济效益（万元）", e.direct_benefit_2022),
                fact("规模以上企业数（个）", &e.above_scale),
                fact("限额以上企业数（个）", &e.above_quota),
            ],
        );
        self.enterprise_count(app);
    }

    /// The 2022 figures are those of the member units (说明三), so the 2022 规模以上 and 限额以上 enterprises
    /// (disjoint by definition: industry vs trade and services) cannot outnumber the member enterprises.
    fn enterprise_count(&mut self, app: &Application) {
        let e = &app.enterprises;
        let members = &app.overview.members;
        if members.iter().all(|g| g.count == 0) {
            return; // reported as missing
        }
        let firms: u32 = members.iter().filter(|g| g.kind == MEMBER_TYPES[4]).map(|g| g.count).sum();
        let (Some(scale), Some(quota)) = (e.above_scale.0, e.above_quota.0) else { return };
        if !(scale.is_finite() && quota.is_finite()) || scale < 0.0 || quota < 0.0 {
            return;
        }
        let sum = fixed(scale) + fixed(quota);
        if sum > fixed(f64::from(firms)) {
            self.find(
                NUMBER_MISMATCH,
                "enterprises",
                format!(
                    "2022年规模以上企业 {} 个 + 限额以上企业 {} 个 = {} 个，多于联合体成员中的企业 {firms} 家，请核对",
                    figure(Some(scale)),
                    figure(Some(quota)),
                    fixed_text(sum)
                ),
            );
        }
    }

    fn pledge(&mut self, app: &Application) {
        let p = &app.pledge;
        let empty: Vec<String> = [("申报单位负责人签字", &p.signatory), ("教育行政部门推荐意见", &p.recommendation)]
            .iter()
            .filter(|(_, v)| blank(v))
            .map(|(k, _)| k.to_string())
            .collect();
        self.missing("pledge", &empty);
        self.references("pledge", &p.recommendation);
    }

    /// Reports each material the text refers to that is not among the materials, once per application.
    fn references(&mut self, field: &'static str, text: &str) {
        for r in references(text) {
            if self.refs_seen.contains(&r.shown) {
                continue;
            }
            self.refs_seen.push(r.shown.clone());
            if !self.materials.iter().any(|m| satisfies(m, &r)) {
                self.find(
                    MATERIAL_MISSING,
                    field,
                    format!("正文引用了{}，但支撑材料中没有标题或文件名与之相符的材料，请申报单位补交或核对材料名称", quoted(&r.shown)),
                );
            }
        }
    }

    fn materials(&mut self) {
        if self.materials.is_empty() {
            self.push(MATERIAL_MISSING, None, "支撑材料".into(), "未提供支撑材料（推荐书须附支撑材料并设置目录索引），请申报单位补交".into());
        }
        for m in self.materials {
            let mut pages = m.scanned_pages.clone();
            pages.sort_unstable();
            pages.dedup();
            if pages.is_empty() {
                continue;
            }
            let which = if m.pages > 0 && pages.len() as u32 == m.pages && pages == (1..=m.pages).collect::<Vec<_>>() {
                format!("全部 {} 页均为扫描页", m.pages)
            } else {
                format!("第 {} 页为扫描页", page_ranges(&pages))
            };
            let name = if blank(&m.title) { m.file.clone() } else { format!("《{}》（{}）", m.title.trim(), m.file) };
            self.out.push(Finding {
                severity: severity_of(SCANNED_PAGES),
                code: SCANNED_PAGES,
                section: "支撑材料".into(),
                field: None,
                message: format!("{name}{which}，无法检索其中文字，评审时请直接查看原页"),
            });
        }
    }
}

/// `附件3` → `“附件3”`; a reference ending in a 《title》 stays as it is.
fn quoted(shown: &str) -> String {
    if shown.ends_with('》') {
        shown.to_string()
    } else {
        format!("“{shown}”")
    }
}

/// `[1, 2, 3, 7]` → `1～3、7`.
fn page_ranges(pages: &[u32]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let mut j = i;
        while j + 1 < pages.len() && pages[j + 1] == pages[j] + 1 {
            j += 1;
        }
        parts.push(match j - i {
            0 => pages[i].to_string(),
            1 => format!("{}、{}", pages[i], pages[j]),
            _ => format!("{}～{}", pages[i], pages[j]),
        });
        i = j + 1;
    }
    parts.join("、")
}

/// A name or title reduced for tolerant comparison: no whitespace or punctuation, no `.pdf`, ASCII digits and
/// letters in lower case.
fn normalise(s: &str) -> String {
    let s = s.trim();
    let s = if s.to_ascii_lowercase().ends_with(".pdf") { &s[..s.len() - 4] } else { s };
    s.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && !is_punct(*c))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || "《》〈〉“”‘’（）【】「」『』〔〕［］·、，。：；！？—…－～".contains(c)
}

/// The value of a number written in digits or Chinese numerals (一 … 九十九).
fn number_value(s: &str) -> Option<u32> {
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => digit(*d).map(|d| 10 + d),
        [t, '十'] => digit(*t).map(|t| t * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || "零一二三四五六七八九十".contains(c)
}

/// The attachment numbers a text names (`附件3`, `附件 三`, `附件03`).
fn attachment_numbers(text: &str) -> Vec<u32> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < chars.len() {
        if chars[i] == '附' && chars[i + 1] == '件' {
            let mut j = i + 2;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let start = j;
            while j < chars.len() && is_numeral(chars[j]) {
                j += 1;
            }
            let digits: String = normalise(&chars[start..j].iter().collect::<String>());
            if let Some(n) = number_value(&digits) {
                out.push(n);
            }
            i = j.max(i + 2);
        } else {
            i += 1;
        }
    }
    out
}

/// Whether a material answers a reference: by attachment number in its title or file name, or by title,
/// either containing the other once normalised.
fn satisfies(m: &MaterialInfo, r: &Reference) -> bool {
    if let Some(n) = r.number {
        if attachment_numbers(&m.title).contains(&n) || attachment_numbers(&m.file).contains(&n) {
            return true;
        }
    }
    if let Some(t) = &r.title {
        for name in [normalise(&m.title), normalise(&m.file)] {
            if name.chars().count() >= 2 && (name.contains(t.as_str()) || t.contains(name.as_str())) {
                return true;
            }
        }
    }
    false
}

/// Words before which a 《title》 is a reference to material, not a mere mention.
const CUES: [&str; 7] = ["详见", "参见", "见附件", "见支撑", "见材料", "（见", "(见"];

/// Characters that end the reach of a cue.
fn ends_clause(c: char) -> bool {
    "。；;！？!?\n，,）)".contains(c)
}

/// The references to supporting material in a text: `附件3`/`见附件三` by number; `详见支撑材料《…》`,
/// `（见《…》）`, `附件3《…》` by title; and the items of a list after `附件：`.
fn references(text: &str) -> Vec<Reference> {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize, s: &str| s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    let mut out: Vec<Reference> = Vec::new();
    let mut add = |r: Reference| {
        if !out.iter().any(|o| o.shown == r.shown) {
            out.push(r);
        }
    };
    let mut cue = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if at(i, "附件") {
            cue = true;
            let mut j = i + 2;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let start = j;
            while j < chars.len() && is_numeral(chars[j]) {
                j += 1;
            }
            let number = number_value(&normalise(&chars[start..j].iter().collect::<String>()));
            let mut k = j;
            while k < chars.len() && (chars[k].is_whitespace() || chars[k] == '：' || chars[k] == ':') {
                k += 1;
            }
            let colon = chars[j..k].iter().any(|&c| c == '：' || c == ':');
            if k < chars.len() && chars[k] == '《' {
                // 附件3《…》 or 附件：《…》: one reference, by number or title.
                if let Some(end) = chars[k..].iter().position(|&c| c == '》').map(|p| k + p) {
                    let title: String = chars[k + 1..end].iter().collect();
                    let shown = match number {
                        Some(_) => format!("{}《{title}》", chars[i..j].iter().collect::<String>().trim()),
                        None => format!("《{title}》"),
                    };
                    add(Reference { shown, number, title: Some(normalise(&title)).filter(|t| !t.is_empty()) });
                    i = end + 1;
                    continue;
                }
            }
            if colon {
                // 附件：A；B、C (to the end of the line or sentence), or 附件3：A (one reference, by number or title).
                let end = chars[k..].iter().position(|&c| c == '\n' || c == '。').map_or(chars.len(), |p| k + p);
                let list: String = chars[k..end].iter().collect();
                let mut items: Vec<String> = list
                    .split(|c: char| "；;、，,".contains(c) || (number.is_none() && c.is_whitespace()))
                    .map(strip_numbering)
                    .filter(|item| normalise(item).chars().count() >= 2)
                    .collect();
                if number.is_some() {
                    items.truncate(1);
                }
                let label: String = chars[i..j].iter().collect();
                if items.is_empty() {
                    if let Some(n) = number {
                        add(Reference { shown: format!("附件{n}"), number: Some(n), title: None });
                    }
                }
                for item in items {
                    let t = normalise(&item);
                    let title = item.trim().trim_start_matches('《').trim_end_matches('》').to_string();
                    let shown = match number {
                        Some(_) => format!("{}《{title}》", label.trim()),
                        None => format!("《{title}》"),
                    };
                    add(Reference { shown, number, title: Some(t) });
                }
                i = end;
                cue = false;
                continue;
            }
            if let Some(n) = number {
                add(Reference { shown: format!("附件{n}"), number: Some(n), title: None });
            }
            i = j.max(i + 2);
            continue;
        }
        if CUES.iter().any(|w| at(i, w)) || (c == '见' && chars.get(i + 1) == Some(&'《') && !seen_word_before(&chars, i)) {
            cue = true;
        } else if ends_clause(c) {
            cue = false;
        } else if c == '《' {
            let Some(end) = chars[i..].iter().position(|&c| c == '》').map(|p| i + p) else { break };
            if cue {
                let title: String = chars[i + 1..end].iter().collect();
                let t = normalise(&title);
                if !t.is_empty() {
                    add(Reference { shown: format!("《{title}》"), number: None, title: Some(t) });
                }
            }
            i = end + 1;
            continue;
        }
        i += 1;
    }
    out
}

/// Whether the 见 at `i` ends a word such as 意见, 可见 rather than meaning "see".
fn seen_word_before(chars: &[char], i: usize) -> bool {
    i > 0 && "意可预看常少罕遇听会接显未不".contains(chars[i - 1])
}

/// `1.政策文件汇编` → `政策文件汇编`; also `（1）`, `1、`, `一、`, `①`.
fn strip_numbering(item: &str) -> String {
    let s = item.trim();
    let s = s.trim_start_matches(|c: char| "①②③④⑤⑥⑦⑧⑨⑩".contains(c));
    let chars: Vec<char> = s.chars().collect();
    let mut k = 0;
    if chars.first().is_some_and(|&c| c == '(' || c == '（') {
        k = 1;
    }
    let digits_start = k;
    while k < chars.len() && is_numeral(chars[k]) {
        k += 1;
    }
    if k > digits_start && k < chars.len() && ".．、)）".contains(chars[k]) {
        return chars[k + 1..].iter().collect::<String>().trim().to_string();
    }
    s.to_string()
}

/// What the round sets that the 形式审查 checks against: the application deadline and the quota per 推荐单位.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundRules {
    /// `YYYY-MM-DD`.
    pub deadline: Option<String>,
    pub quota: Option<u32>,
}

/// The findings that come from the round's settings, for each of `applications` (申报编号, 推荐书), in
/// order: a 填表日期 after the deadline, and a 推荐单位 with more applications than the quota (every one of
/// its applications gets the finding, with the numbers). A 填表日期 that cannot be read as a date is not
/// judged here (the form's own check names an empty one).
pub fn round_checks(applications: &[(&str, &Application)], rules: &RoundRules) -> Vec<(String, Finding)> {
    let mut out = Vec::new();
    let deadline = rules.deadline.as_deref().and_then(date_of);
    for (code, app) in applications {
        if let (Some(limit), Some(filled)) = (deadline, date_of(&app.cover.date)) {
            if filled > limit {
                let (y, m, d) = limit;
                out.push((
                    code.to_string(),
                    finding(
                        AFTER_DEADLINE,
                        "封面",
                        Some("cover"),
                        format!("填表日期 {} 晚于本批次的申报截止日期 {y}年{m}月{d}日", app.cover.date.trim()),
                    ),
                ));
            }
        }
        if let Some(quota) = rules.quota {
            let unit = app.cover.recommender.trim();
            if unit.is_empty() {
                continue;
            }
            let same: Vec<&str> = applications.iter().filter(|(_, a)| a.cover.recommender.trim() == unit).map(|(c, _)| *c).collect();
            if same.len() > quota as usize {
                out.push((
                    code.to_string(),
                    finding(
                        OVER_QUOTA,
                        "封面",
                        Some("cover"),
                        format!("推荐单位“{unit}”共推荐 {} 项（{}），超过每个推荐单位限报 {quota} 项", same.len(), same.join("、")),
                    ),
                ));
            }
        }
    }
    out
}

fn finding(code: &'static str, section: &str, field: Option<&'static str>, message: String) -> Finding {
    Finding { severity: severity_of(code), code, section: section.to_string(), field, message }
}

/// (year, month, day) of a date as the form or the round writes it: `2023年8月15日`, `2023-08-15`,
/// `2023.8.15` or `2023/8/15`.
fn date_of(text: &str) -> Option<(u32, u32, u32)> {
    let parts: Vec<u32> =
        text.trim().split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).map(|p| p.parse().ok()).collect::<Option<_>>()?;
    match parts[..] {
        [y, m, d] if (1900..=2999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) => Some((y, m, d)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
