//! The `pingshen` command line, driven as a script would.

use std::process::Command;

use pingshen_tests::{binary, root};
use serde_json::Value;

fn pingshen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(binary("pingshen-cli", "pingshen")).current_dir(root()).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn rubric_check_json_prints_the_verbatim_henan_rubric() {
    let (code, out, err) = pingshen(&["rubric", "check", "rubrics/henan-2023", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["id"], "henan-2023");
    assert_eq!(v["total"], "100");
    assert_eq!(v["hash"].as_str().unwrap().len(), 64);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "title", "hash", "total", "groups", "deduction"]);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 6);
    let names: Vec<&str> = groups.iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["基本情况", "运行机制", "共建共享", "人才培养", "服务发展", "特色创新"]);
    let points: Vec<&str> = groups.iter().map(|g| g["points"].as_str().unwrap()).collect();
    assert_eq!(points, ["15", "20", "20", "20", "15", "10"]);
    let items: Vec<&Value> = groups.iter().flat_map(|g| g["items"].as_array().unwrap()).collect();
    assert_eq!(items.len(), 25);

    // Every observation point's text is verbatim from the notice (attachment 1).
    let notice = std::fs::read_to_string(root().join("../shared/seeds/002_46505af0cf86e37a.txt"));
    if let Ok(notice) = notice {
        for it in &items {
            let needle = format!("{} {}", it["code"].as_str().unwrap(), it["text"].as_str().unwrap());
            assert!(notice.contains(&needle), "not verbatim: {needle}");
        }
        assert!(notice.contains(v["deduction"]["text"].as_str().unwrap()));
    }
    assert_eq!(v["deduction"]["code"], "7");
    assert_eq!(v["deduction"]["cap"], "10");
    let item_keys: Vec<&str> = items[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(item_keys, ["code", "text", "points"]);
}

#[test]
fn rubric_check_without_json_prints_a_summary_with_the_fingerprint() {
    let (code, out, _) = pingshen(&["rubric", "check", "rubrics/henan-2023"]);
    assert_eq!(code, 0);
    assert!(out.contains("校验码："), "{out}");
    assert!(out.contains("6 个一级指标、25 个观测点"), "{out}");
}

/// Each fixture in tests/fixtures/broken-rubrics starts with `# expect: …` lines: every one must appear in
/// the problems printed, every problem line must say where it is, and the exit status must be 2.
#[test]
fn broken_rubrics_are_each_refused_with_a_precise_chinese_message() {
    let dir = root().join("tests/fixtures/broken-rubrics");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    fixtures.sort();
    assert!(fixtures.len() >= 10, "at least ten kinds of broken rubric");
    for f in fixtures {
        let text = std::fs::read_to_string(&f).unwrap();
        let expected: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("# expect: ")).collect();
        assert!(!expected.is_empty(), "{} has no `# expect:` line", f.display());
        let (code, out, err) = pingshen(&["rubric", "check", f.to_str().unwrap(), "--json"]);
        assert_eq!(code, 2, "{}: {err}", f.display());
        for e in &expected {
            assert!(err.contains(e), "{}: expected “{e}” in:\n{err}", f.display());
        }
        for line in err.lines().skip(1) {
            assert!(line.trim_start().starts_with("- 第 "), "{}: problem without a line number: {line}", f.display());
        }
        let v: Value = serde_json::from_str(&out).unwrap();
        assert!(!v["errors"].as_array().unwrap().is_empty());
    }
}

#[test]
fn a_missing_rubric_is_refused_and_usage_errors_say_how() {
    let (code, _, err) = pingshen(&["rubric", "check", "no/such/dir"]);
    assert_eq!(code, 2);
    assert!(err.contains("无法读取"), "{err}");
    let (code, _, err) = pingshen(&["rubric"]);
    assert_eq!(code, 1);
    assert!(err.contains("用法"), "{err}");
}
