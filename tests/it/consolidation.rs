//! The consolidation fixtures in `tests/consolidation/`: each case is a score sheet (`scores.csv`) and the
//! hand-computed result (`expected.json`, with a `why` saying how it was computed). The test runs
//! `pingshen rank --json` on the sheet and compares every field the expectation names.

use std::process::Command;

use pingshen_tests::{binary, root};
use serde_json::Value;

fn rank(rubric: &str, scores: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(binary("pingshen-cli", "pingshen"))
        .current_dir(root())
        .args(["rank", "--rubric", rubric, "--scores", scores.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn every_fixture_matches_its_hand_computation() {
    let dir = root().join("tests/consolidation");
    let mut cases: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("expected.json").exists()).collect();
    cases.sort();
    assert!(cases.len() >= 10, "{cases:?}");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(case.join("expected.json")).unwrap()).unwrap();
        let rubric = expected["rubric"].as_str().unwrap_or("tests/consolidation/rubric-small");
        let (code, out, err) = rank(rubric, &case.join("scores.csv"));
        assert_eq!(code, 0, "{name}: {err}");
        let got: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(got["kendall_w"], expected["kendall_w"], "{name}: kendall_w");
        let apps = got["applications"].as_array().unwrap();
        let want = expected["applications"].as_array().unwrap();
        let order = |v: &[Value]| v.iter().map(|a| a["code"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(order(apps), order(want), "{name}: order of applications");
        for (g, w) in apps.iter().zip(want) {
            for (key, value) in w.as_object().unwrap() {
                if key == "flags" {
                    let flags: Vec<Value> = g["flags"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|f| serde_json::json!({"expert": f["expert"], "item": f["item"], "direction": f["direction"]}))
                        .collect();
                    assert_eq!(&Value::Array(flags), value, "{name}: {} flags", w["code"]);
                } else {
                    assert_eq!(&g[key], value, "{name}: {} {key}", w["code"]);
                }
            }
        }
    }
}

#[test]
fn a_bad_spreadsheet_lists_every_problem_with_its_row_prints_nothing_and_exits_2() {
    let (code, out, err) = rank("rubrics/henan-2023", &root().join("tests/fixtures/scores/errors.csv"));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "nothing on stdout: {out}");
    let problems: Vec<&str> = err.lines().filter(|l| l.trim_start().starts_with("- errors.csv 第 ")).collect();
    assert_eq!(problems.len(), 18, "{err}");
    for needle in [
        "第 2 行：观测点 1.1 的得分须在 0–5 分之间，6 超出范围",
        "第 3 行：观测点 1.2 的得分须为 0.5 分的整数倍，2.3 不符合",
        "第 27 行：扣分须在 0–10 分之间，12 超出范围",
        "第 28 行：观测点 1.9 不在本批次的评分标准中",
        "第 29 行：与第 7 行重复",
        "第 31 行：专家 E02 对申报 A01 标记了回避，但第 32 行又填写了得分",
        "第 57 行：专家 E02 对申报 A02 的评分表不完整，缺少观测点 6.2、6.3",
    ] {
        assert!(err.contains(needle), "missing “{needle}” in:\n{err}");
    }
}

#[test]
fn rank_json_has_the_contracted_shape() {
    let (code, out, err) = rank("rubrics/henan-2023", &root().join("tests/fixtures/scores/valid.csv"));
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    for a in v["applications"].as_array().unwrap() {
        for key in ["code", "status", "veto", "valid_sheets", "panel_score", "deduction", "final_score", "rank", "flags", "missing_experts"] {
            assert!(a.get(key).is_some(), "{key} missing in {a}");
        }
        for f in a["flags"].as_array().unwrap() {
            assert!(f["direction"] == "high" || f["direction"] == "low");
            assert!(f.get("item").is_some() && f.get("expert").is_some());
        }
    }
    assert!(v.get("kendall_w").is_some());
    // valid.csv: E05 has no rows for A01, so A01 is incomplete and comes last.
    let last = v["applications"].as_array().unwrap().last().unwrap();
    assert_eq!((last["code"].as_str(), last["status"].as_str(), &last["rank"]), (Some("A01"), Some("incomplete"), &Value::Null));
    assert_eq!(last["missing_experts"], serde_json::json!(["E05"]));
}
