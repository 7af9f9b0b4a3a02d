use super::*;

const HENAN: &str = include_str!("../../../../rubrics/henan-2023/rubric.toml");

#[test]
fn henan_rubric_is_valid_and_complete() {
    let r = parse(HENAN).unwrap_or_else(|e| panic!("{:?}", e.problems));
    assert_eq!(r.total, Tenths::points(100));
    assert_eq!(r.step, Tenths(5));
    assert_eq!(r.groups.len(), 6);
    assert_eq!(r.items().count(), 25);
    let pts: Vec<i64> = r.groups.iter().map(|g| g.points.0 / 10).collect();
    assert_eq!(pts, [15, 20, 20, 20, 15, 10]);
    let d = r.deduction.as_ref().unwrap();
    assert_eq!((d.code.as_str(), d.cap), ("7", Tenths::points(10)));
    assert!(r.item("2.3").unwrap().text.starts_with("建立市域产教联合体章程"));
}

#[test]
fn hash_ignores_formatting_and_sees_content() {
    let a = parse(HENAN).unwrap();
    let reformatted = HENAN.replace("points = 5\n", "points   =   5.0  # five\n");
    assert_ne!(reformatted, HENAN);
    assert_eq!(parse(&reformatted).unwrap().hash(), a.hash());
    let changed = HENAN.replacen("points = 5\n", "points = 4.5\n", 1).replacen("points = 3\n", "points = 3.5\n", 1);
    assert_ne!(parse(&changed).unwrap().hash(), a.hash());
    assert_eq!(a.hash().len(), 64);
    assert_eq!(fingerprint(&a.hash()).len(), 39);
}

#[test]
fn bands_are_exact() {
    let r = parse(HENAN).unwrap();
    let five = Tenths::points(5);
    let band = |v: i64| r.band_of(Tenths(v), five).map(|b| b.code.clone()).unwrap_or_default();
    // 4.5 / 5 = 90 % → A; 4.4 → 88 % → B; 3.75 would be 75 %; 3.5 → 70 % → C; 2.9 → 58 % → D.
    assert_eq!([band(50), band(45), band(44), band(40), band(35), band(30), band(29), band(0)], ["A", "A", "B", "B", "C", "C", "D", "D"]);
    assert_eq!(band(51), "");
    assert_eq!(r.band_value("A", five), Some(Tenths(50)));
    assert_eq!(r.band_value("B", five), Some(Tenths(40)));
    assert_eq!(r.band_value("C", five), Some(Tenths(35)));
    assert_eq!(r.band_value("D", five), Some(Tenths(25)));
    assert!(r.comment_required(Tenths(25), five));
    assert!(!r.comment_required(Tenths(30), five));
}

fn problems(text: &str) -> Vec<String> {
    parse(text).unwrap_err().problems.iter().map(|p| p.to_string()).collect()
}

#[test]
fn all_problems_are_reported_at_once() {
    let broken = HENAN.replacen("code = \"1.2\"", "code = \"1.1\"", 1).replacen("points = 4\n", "points = 4.3\n", 1).replacen(
        "evidence.fields = [\"overview.policy\"]",
        "evidence.fields = [\"overview.nonsense\"]",
        1,
    );
    let p = problems(&broken);
    assert!(p.iter().any(|m| m.contains("代码 1.1 重复")), "{p:#?}");
    assert!(p.iter().any(|m| m.contains("不是步长 0.5 的整数倍")), "{p:#?}");
    assert!(p.iter().any(|m| m.contains("`overview.nonsense` 不存在")), "{p:#?}");
    assert!(p.iter().all(|m| m.starts_with("第 ")), "every problem has its line: {p:#?}");
}

#[test]
fn other_schemes_whole_groups_vetoes_and_other_group_counts() {
    let text = r#"
id = "national-2024"
title = "示例：三组、无观测点的组、否定性指标"
total = 60
step = 1
[[bands]]
code = "合格"
from_percent = 60
to_percent = 100
[[bands]]
code = "不合格"
from_percent = 0
to_percent = 59
[[groups]]
code = "1"
name = "整体评价"
points = 20
text = "整体评价文字"
[[groups]]
code = "2"
name = "二"
points = 20
[[groups.items]]
code = "2.1"
text = "甲"
points = 20
[[groups]]
code = "3"
name = "三"
points = 20
[[groups.items]]
code = "3.1"
text = "乙"
points = "20"
[[vetoes]]
code = "F1"
text = "存在重大安全事故的，一票否决"
effect = "disqualify"
"#;
    let r = parse(text).unwrap_or_else(|e| panic!("{:?}", e.problems));
    assert_eq!(r.groups.len(), 3);
    assert!(r.groups[0].whole);
    assert_eq!(r.groups[0].items[0].code, "1");
    assert_eq!(r.vetoes[0].effect, VetoEffect::Disqualify);
    assert!(r.deduction.is_none());
}
