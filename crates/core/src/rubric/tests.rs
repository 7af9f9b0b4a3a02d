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

/// A rubric with every kind of part: a whole 一级指标, a deduction, both veto effects, bands without labels,
/// texts with quotes, backslashes, a tab and line breaks, a comment rule off its default.
const EVERY_KIND: &str = r#"
id = "every-kind"
title = "示例：\"引号\"、反斜杠 \\ 与换行"
total = 30
step = 0.5
[comments]
required_below_percent = 50
required_for_deduction = false
[[bands]]
code = "合格"
from_percent = 60
to_percent = 100
[[bands]]
code = "不合格"
label = ""
from_percent = 0
to_percent = 59
[[groups]]
code = "一"
name = "整体评价"
points = 10.5
text = "第一行\n第二行\t（制表符）"
evidence.fields = ["features"]
[[groups]]
code = "二"
name = "二"
points = "19.5"
[[groups.items]]
code = "二.1"
text = "甲"
points = 9.5
evidence.keywords = ["协议", "C:\\材料"]
[[groups.items]]
code = "二.2"
short_name = "乙的简称"
text = "乙"
points = 10
[deduction]
code = "三"
name = "其他"
text = "酌情扣分"
cap = 2.5
[[vetoes]]
code = "F1"
text = "申报材料弄虚作假的，取消资格"
effect = "disqualify"
[[vetoes]]
code = "F2"
text = "未按时提交的，计零分"
effect = "zero"
"#;

fn round_trips(text: &str) {
    let r = parse(text).unwrap_or_else(|e| panic!("{:?}", e.problems));
    let canonical = to_toml(&r);
    let back = parse(&canonical).unwrap_or_else(|e| panic!("{:?}\n{canonical}", e.problems));
    assert_eq!(back, r, "{canonical}");
    assert_eq!(back.hash(), r.hash());
    assert_eq!(to_toml(&back), canonical, "the canonical text is a fixed point");
}

#[test]
fn to_toml_reads_back_to_the_same_rubric_and_hash() {
    round_trips(HENAN);
    round_trips(EVERY_KIND);
    round_trips(include_str!("../../../../rubrics/example-with-veto/rubric.toml"));
    let r = parse(EVERY_KIND).unwrap();
    assert_eq!(r.vetoes.len(), 2);
    assert!(r.groups[0].whole);
    assert_eq!(r.groups[0].items[0].text, "第一行\n第二行\t（制表符）");
    assert_eq!(r.groups[1].items[0].evidence.keywords[1], "C:\\材料");
}

#[test]
fn to_toml_is_plain_and_complete() {
    let r = parse(EVERY_KIND).unwrap();
    let t = to_toml(&r);
    assert!(t.starts_with("id = \"every-kind\"\ntitle = \"示例：\\\"引号\\\"、反斜杠 \\\\ 与换行\"\n"), "{t}");
    assert!(t.contains("\ntotal = 30\nstep = 0.5\n"), "{t}");
    assert!(t.contains("[comments]\nrequired_below_percent = 50\nrequired_for_deduction = false\n"), "{t}");
    assert!(t.contains("points = 10.5\ntext = \"第一行\\n第二行\\t（制表符）\"\nevidence.fields = [\"features\"]\n"), "{t}");
    assert!(t.contains("[deduction]\ncode = \"三\"\nname = \"其他\"\ntext = \"酌情扣分\"\ncap = 2.5\n"), "{t}");
    assert!(t.contains("[[vetoes]]\ncode = \"F2\"\ntext = \"未按时提交的，计零分\"\neffect = \"zero\"\n"), "{t}");
    assert!(!t.contains('#'), "no comments: {t}");
    // A control character is escaped, not written raw.
    let mut odd = r.clone();
    odd.title = "a\u{1}b".into();
    assert!(to_toml(&odd).contains("title = \"a\\u0001b\""));
    assert_eq!(parse(&to_toml(&odd)).unwrap().title, "a\u{1}b");
}

#[test]
fn a_draft_problem_names_its_part_and_origin() {
    let draft = Draft {
        id: "x".into(),
        id_at: Some(1),
        title: "".into(),
        title_at: Some(2),
        source: String::new(),
        total: Number::Text("10".into()),
        total_at: Some(3),
        step: Number::Refused,
        step_at: Some(4),
        bands: vec![DraftBand { code: "A".into(), label: String::new(), from_percent: Some(0), to_percent: Some(100), at: Some(5) }],
        comments: None,
        groups: vec![DraftGroup {
            code: "1".into(),
            name: "一".into(),
            points: Number::Text("10".into()),
            text: None,
            evidence: Evidence::default(),
            items: vec![DraftItem {
                code: "1.1".into(),
                short_name: String::new(),
                text: "甲".into(),
                points: Number::Wrong("array".into()),
                evidence: Evidence { fields: vec!["nowhere".into()], keywords: vec![] },
                at: Some(7),
            }],
            at: Some(6),
        }],
        deduction: None,
        vetoes: vec![DraftVeto { code: "F1".into(), text: "丙".into(), effect: "maybe".into(), at: Some(8) }],
    };
    let problems = validate(draft).unwrap_err();
    let got: Vec<(Option<i32>, Part, &str)> = problems.iter().map(|p| (p.at, p.part, p.message.as_str())).collect();
    assert_eq!(
        got,
        [
            (Some(2), Part::Title, "评分标准的名称 title 不能为空"),
            (Some(7), Part::ItemPoints, "分值应当是数字，而不是 array"),
            (Some(7), Part::EvidenceFields, "证据提示中的推荐书字段 `nowhere` 不存在（可用字段见 docs/rubric-format.md）"),
            (Some(8), Part::VetoEffect, "effect 只能是 \"zero\"（计 0 分）或 \"disqualify\"（取消资格），不能是 \"maybe\""),
        ]
    );
}
