//! 形式审查 by hand-made applications (one finding at a time) and the sample packages.

use super::*;
use crate::application::{parse_application, MemberGroup};

/// A complete, consistent application: no findings at all.
fn complete() -> Application {
    let mut a = Application::default();
    a.cover.name = "测试市域产教联合体".into();
    a.cover.recommender = "测试市教育局".into();
    a.cover.park = "测试高新区".into();
    a.cover.lead_school = "测试职业技术学院".into();
    a.cover.lead_enterprise = "测试重工有限公司".into();
    a.cover.date = "2023年8月10日".into();
    let o = &mut a.overview;
    o.established = "2023年6月".into();
    o.leader = "张三".into();
    o.leader_title_contact = "管委会主任，0391-1234567".into();
    o.secretariat.host_unit = "测试职业技术学院".into();
    o.secretariat.head = "李四".into();
    o.secretariat.office_area_m2 = Some(80.0);
    o.secretariat.phone = "0391-7654321".into();
    o.secretariat.total = 3;
    o.secretariat.full_time = 1;
    o.secretariat.part_time = 2;
    o.secretariat.staff = vec!["李四".into(), "王五".into(), "赵六".into()];
    let group = |kind: &str, count: u32, students: Option<u32>, units: &[&str]| MemberGroup {
        kind: kind.into(),
        count,
        students,
        units: units.iter().map(|u| u.to_string()).collect(),
    };
    o.members = vec![
        group("中职学校", 1, Some(3000), &["测试职业中专"]),
        group("高职学校(含职教本科)", 1, Some(12000), &["测试职业技术学院"]),
        group("普通本科学校", 0, None, &[]),
        group("政府部门", 1, None, &["测试高新区管委会"]),
        group("企业", 2, None, &["测试重工有限公司", "测试电子有限公司"]),
        group("科研机构", 0, None, &[]),
        group("其他组织", 0, None, &[]),
    ];
    o.funding.y2023 = Some(118.8);
    o.funding.y2024 = Some(120.0);
    o.funding.y2025 = Some(150.0);
    o.funding.lead = Some(48.3);
    o.funding.government = Some(60.4);
    o.funding.members = Some(10.1);
    o.funding.other = Some(0.0);
    o.park_output_2022 = Some(500.0);
    o.leading_industry = "以装备制造为主导。".into();
    o.policy = "出台支持职业教育的若干措施。".into();
    let p = YearPair(Some(1.0), Some(2.0));
    let r = &mut a.resources;
    for y in [
        &mut r.majors,
        &mut r.courses,
        &mut r.textbooks,
        &mut r.training_bases,
        &mut r.industry_colleges,
        &mut r.enterprise_teachers,
        &mut r.enterprise_teacher_hours,
        &mut r.interschool_teachers,
        &mut r.interschool_teacher_hours,
        &mut r.teacher_practice_months,
    ] {
        *y = p;
    }
    r.teaching_awards = "无。".into();
    let t = &mut a.talent;
    for y in [
        &mut t.apprenticeship,
        &mut t.field_engineers,
        &mut t.other_joint,
        &mut t.demand_reports,
        &mut t.apprentice_post_ratio,
        &mut t.internship_months,
        &mut t.secondary_higher,
        &mut t.secondary_higher_bachelor,
        &mut t.bachelor_intake,
        &mut t.exam_progression_ratio,
        &mut t.employment_rate,
    ] {
        *y = p;
    }
    t.platform = TextPair("建成供需平台。".into(), "升级供需平台。".into());
    t.four_new = TextPair("引入新工艺。".into(), "引入新标准。".into());
    t.skill_contests = "省赛三等奖1项。".into();
    let s = &mut a.service;
    for y in [
        &mut s.platforms,
        &mut s.conversion_rate,
        &mut s.rnd_funds,
        &mut s.research_outputs,
        &mut s.skill_certifications,
        &mut s.master_studios,
        &mut s.employee_training_days,
        &mut s.community_training_days,
    ] {
        *y = p;
    }
    let e = &mut a.enterprises;
    e.employees = YearPair(Some(5000.0), Some(4900.0)); // a fact, not a commitment: may fall
    e.assets = YearPair(Some(90000.0), Some(95000.0));
    e.sales_2022 = Some(120000.0);
    e.direct_benefit_2022 = Some(300.0);
    e.above_scale = YearPair(Some(1.0), Some(1.0));
    e.above_quota = YearPair(Some(1.0), Some(1.0));
    a.features = "一是机制健全。".into();
    a.integrity_statement = true;
    a.plan = "2023年完成理事会组建。".into();
    a.pledge.signatory = "张三".into();
    a.pledge.date = "2023年8月10日".into();
    a.pledge.recommendation = "同意推荐。".into();
    a
}

fn material(file: &str, title: &str) -> MaterialInfo {
    MaterialInfo { file: file.into(), title: title.into(), pages: 10, scanned_pages: vec![] }
}

fn materials() -> Vec<MaterialInfo> {
    vec![material("支撑材料汇编.pdf", "支撑材料汇编（目录索引）")]
}

fn run(a: &Application) -> Vec<Finding> {
    check(a, &materials(), false)
}

/// The findings of one code, as `section | message`.
fn of(findings: &[Finding], code: &str) -> Vec<String> {
    findings.iter().filter(|f| f.code == code).map(|f| format!("{} | {}", f.section, f.message)).collect()
}

/// Exactly one finding, of this code; returns it.
fn only(findings: Vec<Finding>, code: &str) -> Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].code, code, "{findings:#?}");
    findings.into_iter().next().unwrap()
}

#[test]
fn a_complete_application_has_no_findings() {
    assert_eq!(run(&complete()), vec![]);
}

#[test]
fn every_finding_names_a_known_field_and_its_code_has_one_severity() {
    let mut a = Application { integrity_statement: false, features: "详见附件3。".into(), ..Application::default() };
    a.talent.employment_rate = YearPair(Some(-1.0), Some(101.0));
    let mut m = material("a.pdf", "甲");
    m.scanned_pages = vec![1];
    let findings = check(&a, &[m], true);
    for f in &findings {
        if let Some(id) = f.field {
            assert!(form::field(id).is_some(), "{id}");
            assert_eq!(f.section, section_of(id));
        }
        assert_eq!(Some(f.severity), CODES.iter().find(|(c, _)| *c == f.code).map(|(_, s)| *s), "{f:?}");
        assert!(!f.message.is_empty());
    }
    let mut codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
    codes.sort();
    codes.dedup();
    for code in [SCANNED_FORM, MISSING_FIELD, RATIO_OVER_100, NEGATIVE_VALUE, INTEGRITY_NOT_CONFIRMED, MATERIAL_MISSING, SCANNED_PAGES] {
        assert!(codes.contains(&code), "{code}: {codes:?}");
    }
}

#[test]
fn an_empty_application_lists_what_is_missing_block_by_block_in_form_order() {
    let empty = Application { integrity_statement: true, ..Application::default() };
    let findings = check(&empty, &materials(), false);
    assert!(findings.iter().all(|f| f.code == MISSING_FIELD), "{findings:#?}");
    let sections: Vec<&str> = findings.iter().map(|f| f.field.unwrap()).collect();
    let order: Vec<usize> = sections.iter().map(|s| form::FIELDS.iter().position(|f| f.id == *s).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{sections:?}");
    assert_eq!(findings[0].message, "未填写：联合体名称、推荐单位、依托园区、牵头学校、牵头企业、填表日期，请补填");
    assert_eq!(findings[0].section, "封面");
    let all = of(&findings, MISSING_FIELD).join("\n");
    for needle in [
        "秘书处(办公室)情况 | 未填写：秘书处所在单位、秘书处负责人、固定办公面积、联系电话、人员总数、专职人数、兼职人数（均为 0），请补填",
        "联合体成员情况 | 未填写：联合体成员情况（各类成员数量和单位名称），请补填",
        "共建专业、课程、教材 | 未填写：共建专业（个）、共建课程（个）、共建教材（个），请补填",
        "特色与创新 | 未填写：特色与创新，请补填",
        "建设规划 | 未填写：建设规划，请补填",
        "申报承诺与教育行政部门意见 | 未填写：申报单位负责人签字、教育行政部门推荐意见，请补填",
        "搭建人才供需信息平台,完善职业教育专业动态调整机制情况 | 未填写：搭建人才供需信息平台,完善职业教育专业动态调整机制情况（2022年）、搭建人才供需信息平台,完善职业教育专业动态调整机制情况（2023年），请补填",
    ] {
        assert!(all.contains(needle), "{needle}\n---\n{all}");
    }
}

#[test]
fn missing_field_cover_item() {
    let mut a = complete();
    a.cover.park = "  ".into();
    let f = only(run(&a), MISSING_FIELD);
    assert_eq!(f.section, "封面");
    assert_eq!(f.field, Some("cover"));
    assert_eq!(f.message, "未填写：依托园区，请补填");
}

#[test]
fn missing_field_half_a_year_pair_and_an_optional_figure() {
    let mut a = complete();
    a.resources.courses = YearPair(Some(3.0), None);
    a.overview.funding.y2024 = None;
    let f = run(&a);
    assert_eq!(
        of(&f, MISSING_FIELD),
        vec![
            "拟投入运行经费及来源 | 未填写：2024年拟投入运行经费总额（万元），请补填",
            "共建专业、课程、教材 | 未填写：2023年共建课程（个），请补填",
        ]
    );
    assert_eq!(f.len(), 2, "{f:#?}");
}

#[test]
fn missing_field_member_details() {
    let mut a = complete();
    a.overview.members[0].students = None;
    a.overview.members[3].units.clear();
    let f = only(run(&a), MISSING_FIELD);
    assert_eq!(f.section, "联合体成员情况");
    assert_eq!(f.message, "未填写：中职学校在校生数、政府部门单位名称，请补填");
}

#[test]
fn missing_field_secretariat_staff_and_text_pair_half() {
    let mut a = complete();
    a.overview.secretariat.staff.clear();
    a.talent.four_new.1 = String::new();
    let f = run(&a);
    assert_eq!(
        of(&f, MISSING_FIELD),
        vec![
            "秘书处(办公室)情况 | 未填写：人员姓名，请补填",
            "新方法、新技术、新工艺、新标准引入教育教学实践情况 | 未填写：新方法、新技术、新工艺、新标准引入教育教学实践情况（2023年），请补填",
        ]
    );
    assert_eq!(f.len(), 2);
}

#[test]
fn word_limit_counts_like_the_form_and_uses_the_forms_limits() {
    let limits = text_limits();
    for (field, limit) in [
        ("overview.leading_industry", 200),
        ("overview.policy", 500),
        ("resources.teaching_awards", 100),
        ("talent.skill_contests", 100),
        ("features", 2000),
        ("plan", 1000),
    ] {
        assert!(limits.contains(&(field, limit)), "{field}: {limits:?}");
    }
    // Exactly at the limit is fine; whitespace does not count.
    let mut a = complete();
    a.overview.leading_industry = format!("{}\n\n {}", "产".repeat(150), "业".repeat(50));
    assert_eq!(run(&a), vec![]);
    a.overview.leading_industry.push('。');
    let f = only(run(&a), WORD_LIMIT);
    assert_eq!(f.section, "产业园区主导产业情况");
    assert_eq!(f.field, Some("overview.leading_industry"));
    assert_eq!(f.message, "产业园区主导产业情况 201 字，超过 200 字上限");
}

#[test]
fn word_limit_of_each_text_pair_cell_and_the_short_texts() {
    let mut a = complete();
    a.talent.platform.1 = "台".repeat(201);
    a.resources.teaching_awards = "奖".repeat(101);
    a.talent.skill_contests = "赛".repeat(100);
    a.overview.policy = "策".repeat(501);
    a.plan = "划".repeat(1001);
    let f = run(&a);
    assert_eq!(
        of(&f, WORD_LIMIT),
        vec![
            "联合体所在地制定支持职业教育政策及落实情况 | 联合体所在地制定支持职业教育政策及落实情况 501 字，超过 500 字上限",
            "教师教学团队获国家级奖励情况 | 教师教学团队获国家级奖励情况 101 字，超过 100 字上限",
            "搭建人才供需信息平台,完善职业教育专业动态调整机制情况 | 搭建人才供需信息平台,完善职业教育专业动态调整机制情况（2023年） 201 字，超过 200 字上限",
            "建设规划 | 建设规划 1,001 字，超过 1000 字上限",
        ]
    );
    assert_eq!(f.len(), 4);
}

#[test]
fn the_text_pair_limit_is_the_one_the_form_prints() {
    let doc = form::render(&complete());
    let block = doc.sections.iter().flat_map(|s| &s.blocks).find(|b| b.field == "talent.platform").unwrap();
    let BlockContent::Table { header, .. } = &block.content else { panic!() };
    assert!(header.iter().all(|h| h.contains(&format!("不超过{TEXT_PAIR_LIMIT}字"))), "{header:?}");
}

/// A realistic case: a 特色与创新 merged from two drafts (济源's five points, then the five points of another
/// consortium's text pasted below them), 2,177 字 without its line breaks.
#[test]
fn an_over_long_features_text_gets_the_exact_message() {
    let jiyuan = parse_application(JIYUAN).unwrap().features;
    let ningbo = parse_application(NINGBO).unwrap().features;
    assert_eq!((char_count(&jiyuan), char_count(&ningbo)), (1240, 937), "the samples changed");
    let mut a = complete();
    a.features = format!("{jiyuan}\n\n{ningbo}");
    assert_eq!(run(&complete()), vec![]);
    let f = only(run(&a), WORD_LIMIT);
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.section, "特色与创新");
    assert_eq!(f.field, Some("features"));
    assert_eq!(f.message, "特色与创新 2,177 字，超过 2000 字上限");
    assert_eq!(
        f.to_json(),
        serde_json::json!({
            "severity": "error",
            "code": "word_limit",
            "section": "特色与创新",
            "message": "特色与创新 2,177 字，超过 2000 字上限",
        })
    );
}

#[test]
fn ratio_over_100() {
    let mut a = complete();
    a.talent.employment_rate = YearPair(Some(100.0), Some(100.5));
    a.service.conversion_rate = YearPair(Some(120.0), Some(130.0));
    let f = run(&a);
    assert_eq!(
        of(&f, RATIO_OVER_100),
        vec![
            "联合体学校整体就业率 | 2023年联合体学校整体就业率为 100.5%，比例不能超过 100%，请核对",
            "成果转化率、到账经费、研究成果数量 | 2022年校企合作开展技术研发的成果转化率为 120%，比例不能超过 100%，请核对",
            "成果转化率、到账经费、研究成果数量 | 2023年校企合作开展技术研发的成果转化率为 130%，比例不能超过 100%，请核对",
        ]
    );
    assert_eq!(f.len(), 3);
}

#[test]
fn number_mismatch_secretariat() {
    let mut a = complete();
    a.overview.secretariat.part_time = 3;
    let f = only(run(&a), NUMBER_MISMATCH);
    assert_eq!(f.section, "秘书处(办公室)情况");
    assert_eq!(f.message, "专职人数 1 + 兼职人数 3 = 4，与人员总数 3 不一致，请核对");

    let mut a = complete();
    a.overview.secretariat.staff.pop();
    let f = only(run(&a), NUMBER_MISMATCH);
    assert_eq!(f.message, "人员姓名列出 2 人，与人员总数 3 不一致，请核对");
}

#[test]
fn number_mismatch_members_only_when_names_are_listed() {
    let mut a = complete();
    a.overview.members[4].count = 3;
    let f = only(run(&a), NUMBER_MISMATCH);
    assert_eq!(f.section, "联合体成员情况");
    assert_eq!(f.message, "企业数量填写 3，但单位名称列出 2 个，请核对");

    let mut a = complete();
    a.overview.members[5].count = 2; // 科研机构 2, no names: missing, not a mismatch
    let f = only(run(&a), MISSING_FIELD);
    assert_eq!(f.message, "未填写：科研机构单位名称，请补填");
}

#[test]
fn number_mismatch_funding_sources_compare_exactly() {
    // 48.3 + 60.4 + 10.1 + 0 is 118.79999999999998 in binary floating point, and still matches 118.8.
    assert_ne!(48.3 + 60.4 + 10.1 + 0.0, 118.8);
    assert_eq!(run(&complete()), vec![]);
    let mut a = complete();
    a.overview.funding.members = Some(12.1);
    let f = only(run(&a), NUMBER_MISMATCH);
    assert_eq!(f.section, "拟投入运行经费及来源");
    assert_eq!(
        f.message,
        "2023年经费来源合计 120.8 万元（牵头单位负担 48.3 + 政府核拨 60.4 + 其他成员负担 12.1 + 其他途径 0），与2023年拟投入运行经费总额 118.8 万元不一致，请核对"
    );
    // With a source not filled in, only a sum already above the total is a mismatch.
    let mut a = complete();
    a.overview.funding.other = None;
    a.overview.funding.government = Some(10.0);
    assert_eq!(run(&a).iter().map(|f| f.code).collect::<Vec<_>>(), vec![MISSING_FIELD]);
    a.overview.funding.government = Some(70.5);
    let f = run(&a);
    assert_eq!(of(&f, NUMBER_MISMATCH).len(), 1, "{f:#?}");
}

#[test]
fn number_mismatch_more_large_enterprises_than_member_enterprises() {
    let mut a = complete();
    a.enterprises.above_scale = YearPair(Some(2.0), Some(3.0));
    let f = only(run(&a), NUMBER_MISMATCH);
    assert_eq!(f.section, "联合体企业情况");
    assert_eq!(f.message, "2022年规模以上企业 2 个 + 限额以上企业 1 个 = 3 个，多于联合体成员中的企业 2 家，请核对");
}

#[test]
fn negative_value_and_invalid_number() {
    let mut a = complete();
    a.resources.majors = YearPair(Some(-3.0), Some(2.0));
    a.overview.secretariat.office_area_m2 = Some(-80.0);
    a.enterprises.sales_2022 = Some(f64::NAN);
    let f = run(&a);
    assert_eq!(
        of(&f, NEGATIVE_VALUE),
        vec![
            "秘书处(办公室)情况 | 固定办公面积（m²）为 -80，不能为负数，请核对",
            "共建专业、课程、教材 | 2022年共建专业（个）为 -3，不能为负数，请核对",
        ]
    );
    assert_eq!(of(&f, INVALID_NUMBER), vec!["联合体企业情况 | 2022年企业销售总额（万元）不是有效数字，请核对"]);
    assert_eq!(f.len(), 3, "{f:#?}");
}

#[test]
fn below_2022_where_the_form_asks_for_growth_only() {
    let mut a = complete();
    a.resources.training_bases = YearPair(Some(5.0), Some(4.0));
    a.talent.employment_rate = YearPair(Some(96.5), Some(95.0));
    a.enterprises.assets = YearPair(Some(9.0), Some(8.0)); // enterprise facts may fall
    a.service.platforms = YearPair(Some(2.0), Some(2.0)); // equal is no decline
    let f = run(&a);
    assert!(f.iter().all(|f| f.severity == Severity::Warning));
    assert_eq!(
        of(&f, BELOW_2022),
        vec![
            "共建实训基地、产业学院 | 共建实训基地（个）2023年承诺 4，低于2022年实际 5，请核实",
            "联合体学校整体就业率 | 联合体学校整体就业率2023年承诺 95%，低于2022年实际 96.5%，请核实",
        ]
    );
    assert_eq!(f.len(), 2);
}

#[test]
fn lead_not_member() {
    let mut a = complete();
    a.cover.lead_enterprise = "另一家集团有限公司".into();
    let f = only(run(&a), LEAD_NOT_MEMBER);
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.message, "牵头企业“另一家集团有限公司”未列入联合体成员的单位名称，请核对");
    // Tolerant of spacing and bracket style.
    let mut a = complete();
    a.cover.lead_school = " 测试职业 技术学院".into();
    assert_eq!(run(&a), vec![]);
}

#[test]
fn integrity_not_confirmed() {
    let mut a = complete();
    a.integrity_statement = false;
    let f = only(run(&a), INTEGRITY_NOT_CONFIRMED);
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.field, Some("integrity"));
}

#[test]
fn material_missing_by_number_title_and_list() {
    let mut a = complete();
    a.features = "一是机制健全（见附件3）。二是制度完善，详见支撑材料《联合体章程》。三是征求意见《某办法》已印发。".into();
    a.plan = "附件：1.政策文件汇编 2.校企合作协议汇编\n附件5《年度报告》".into();
    let mut ms = materials();
    ms.push(material("附件3-理事会名单.pdf", "理事会名单"));
    ms.push(material("校企合作协议汇编.PDF", "合作协议"));
    let f = check(&a, &ms, false);
    assert_eq!(
        of(&f, MATERIAL_MISSING),
        vec![
            "特色与创新 | 正文引用了《联合体章程》，但支撑材料中没有标题或文件名与之相符的材料，请申报单位补交或核对材料名称",
            "建设规划 | 正文引用了《政策文件汇编》，但支撑材料中没有标题或文件名与之相符的材料，请申报单位补交或核对材料名称",
            "建设规划 | 正文引用了附件5《年度报告》，但支撑材料中没有标题或文件名与之相符的材料，请申报单位补交或核对材料名称",
        ]
    );
    assert!(f.iter().all(|f| f.code == MATERIAL_MISSING && f.severity == Severity::Warning));

    // Found by a tolerant title match, and each reference is reported once.
    ms.push(material("zc.pdf", "宁波某某市域产教联合体章程"));
    ms.push(material("政策文件汇编.pdf", "政策文件"));
    ms.push(material("x.pdf", "附件５ 年度报告"));
    a.plan.push_str("\n详见附件3。");
    a.features.push_str("（见附件4）另见附件4。");
    let f = check(&a, &ms, false);
    assert_eq!(
        of(&f, MATERIAL_MISSING),
        vec!["特色与创新 | 正文引用了“附件4”，但支撑材料中没有标题或文件名与之相符的材料，请申报单位补交或核对材料名称"]
    );
}

#[test]
fn references_are_read_without_false_alarms() {
    let shown = |t: &str| references(t).into_iter().map(|r| r.shown).collect::<Vec<_>>();
    assert_eq!(shown("审议通过《联合体章程》，出台《实施意见》。"), Vec::<String>::new());
    assert_eq!(shown("按照《关于深化产教融合的若干意见》执行"), Vec::<String>::new());
    assert_eq!(shown("（见《章程》《议事规则》）并制定《办法》"), vec!["《章程》", "《议事规则》"]);
    assert_eq!(shown("附件：《甲》、《乙》"), vec!["《甲》", "《乙》"]);
    assert_eq!(shown("附件：一、理事会名单；二、协议"), vec!["《理事会名单》", "《协议》"]);
    assert_eq!(shown("附件2：校企合作协议，已盖章"), vec!["附件2《校企合作协议》"]);
    assert_eq!(shown("参见附件十二"), vec!["附件12"]);
}

#[test]
fn material_missing_when_there_is_no_material_at_all() {
    let f = only(check(&complete(), &[], false), MATERIAL_MISSING);
    assert_eq!(f.section, "支撑材料");
    assert_eq!(f.field, None);
    assert_eq!(f.message, "未提供支撑材料（推荐书须附支撑材料并设置目录索引），请申报单位补交");
}

#[test]
fn scanned_form_comes_first() {
    let f = check(&complete(), &materials(), true);
    let f = only(f, SCANNED_FORM);
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.section, "推荐书");
    assert!(f.message.starts_with("推荐书为扫描件"), "{}", f.message);
    let empty = Application { integrity_statement: true, ..Application::default() };
    let f = check(&empty, &materials(), true);
    assert_eq!(f[0].code, SCANNED_FORM);
    assert!(f[1..].iter().all(|f| f.code == MISSING_FIELD));
}

#[test]
fn scanned_pages_are_listed_as_ranges() {
    let mut ms = materials();
    ms[0].scanned_pages = vec![7, 1, 2, 3, 9, 10, 3];
    ms.push(MaterialInfo { file: "协议.pdf".into(), title: "校企合作协议".into(), pages: 2, scanned_pages: vec![2, 1] });
    let f = check(&complete(), &ms, false);
    assert_eq!(
        of(&f, SCANNED_PAGES),
        vec![
            "支撑材料 | 《支撑材料汇编（目录索引）》（支撑材料汇编.pdf）第 1～3、7、9、10 页为扫描页，无法检索其中文字，评审时请直接查看原页",
            "支撑材料 | 《校企合作协议》（协议.pdf）全部 2 页均为扫描页，无法检索其中文字，评审时请直接查看原页",
        ]
    );
    assert!(f.iter().all(|f| f.severity == Severity::Warning));
}

#[test]
fn findings_serialise_for_the_cli() {
    let mut a = complete();
    a.cover.name.clear();
    let f = only(run(&a), MISSING_FIELD);
    assert_eq!(
        serde_json::to_value(&f).unwrap(),
        serde_json::json!({
            "severity": "error",
            "code": "missing_field",
            "section": "封面",
            "field": "cover",
            "message": "未填写：联合体名称，请补填",
        })
    );
    assert_eq!(f.to_json().as_object().unwrap().len(), 4);
    assert!(has_errors(&[f]));
}

const JIYUAN: &str = include_str!("../../../../sample-applications/jiyuan/application.toml");
const NINGBO: &str = include_str!("../../../../sample-applications/ningbo/application.toml");
const SAMPLES: [(&str, &str, &str); 4] = [
    ("jiyuan", JIYUAN, include_str!("../../../../sample-applications/jiyuan/materials/index.toml")),
    ("ningbo", NINGBO, include_str!("../../../../sample-applications/ningbo/materials/index.toml")),
    (
        "lingang",
        include_str!("../../../../sample-applications/lingang/application.toml"),
        include_str!("../../../../sample-applications/lingang/materials/index.toml"),
    ),
    (
        "ruian",
        include_str!("../../../../sample-applications/ruian/application.toml"),
        include_str!("../../../../sample-applications/ruian/materials/index.toml"),
    ),
];

#[derive(Deserialize)]
struct Index {
    materials: Vec<MaterialInfo>,
}

#[test]
fn the_sample_applications_pass_without_findings() {
    for (name, app, index) in SAMPLES {
        let app = parse_application(app).unwrap();
        let index: Index = toml::from_str(index).unwrap();
        let findings = check(&app, &index.materials, false);
        assert!(!has_errors(&findings), "{name}: {findings:#?}");
        assert_eq!(findings, vec![], "{name}");
    }
}

#[test]
fn the_rounds_deadline_and_quota_are_warnings_with_the_numbers() {
    let app = |recommender: &str, date: &str| {
        let mut a = Application::default();
        a.cover.recommender = recommender.into();
        a.cover.date = date.into();
        a
    };
    let (a1, a2, a3, a4) =
        (app("洛阳市教育局", "2024年5月31日"), app("洛阳市教育局", "2024年6月1日"), app("洛阳市教育局", "2024-05-20"), app("郑州市教育局", "某日"));
    let apps = [("A01", &a1), ("A02", &a2), ("A03", &a3), ("A04", &a4)];
    let rules = RoundRules { deadline: Some("2024-05-31".into()), quota: Some(2) };
    let found = round_checks(&apps, &rules);
    let late: Vec<(&str, &str)> = found.iter().filter(|(_, f)| f.code == AFTER_DEADLINE).map(|(c, f)| (c.as_str(), f.message.as_str())).collect();
    assert_eq!(late, [("A02", "填表日期 2024年6月1日 晚于本批次的申报截止日期 2024年5月31日")]);
    let over: Vec<&str> = found.iter().filter(|(_, f)| f.code == OVER_QUOTA).map(|(c, _)| c.as_str()).collect();
    assert_eq!(over, ["A01", "A02", "A03"]);
    let f = &found.iter().find(|(c, f)| c == "A01" && f.code == OVER_QUOTA).unwrap().1;
    assert_eq!(f.message, "推荐单位“洛阳市教育局”共推荐 3 项（A01、A02、A03），超过每个推荐单位限报 2 项");
    assert_eq!((f.severity, f.field), (Severity::Warning, Some("cover")));
    assert!(crate::form::field(f.field.unwrap()).is_some(), "a field of the form");
    assert!(round_checks(&apps, &RoundRules::default()).is_empty());
    assert!(round_checks(&apps, &RoundRules { deadline: None, quota: Some(3) }).is_empty());
}
