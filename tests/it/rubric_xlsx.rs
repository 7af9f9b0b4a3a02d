//! `pingshen rubric check` on the .xlsx rubric template and `pingshen rubric template`, driven as a script
//! would: the broken workbooks of tests/fixtures/broken-rubric-xlsx, each refused with exactly the messages
//! its `.expected.txt` lists, and every shipped rubric through the template and back to the same hash.

use std::process::Command;

use pingshen_tests::{binary, root};
use serde_json::Value;

fn pingshen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(binary("pingshen-cli", "pingshen")).current_dir(root()).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn rubric_check_refuses_each_broken_workbook_with_its_sheet_row_and_column() {
    let dir = root().join("tests/fixtures/broken-rubric-xlsx");
    let mut fixtures: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| !p.to_string_lossy().ends_with(".expected.txt")).collect();
    fixtures.sort();
    assert!(fixtures.len() >= 12, "at least twelve kinds of broken workbook");
    for f in fixtures {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        let expected = std::fs::read_to_string(dir.join(format!("{stem}.expected.txt"))).unwrap();
        let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
        let (code, out, err) = pingshen(&["rubric", "check", f.to_str().unwrap(), "--json"]);
        assert_eq!(code, 2, "{}: {err}", f.display());
        let mut lines = err.lines();
        assert_eq!(lines.next(), Some(format!("评分标准无效：{}", f.display()).as_str()));
        let listed: Vec<&str> = lines.map(|l| l.strip_prefix("  - ").unwrap_or_else(|| panic!("{}: {l}", f.display()))).collect();
        assert_eq!(listed, expected, "{}", f.display());
        let v: Value = serde_json::from_str(&out).unwrap();
        let errors = v["errors"].as_array().unwrap();
        let messages: Vec<&str> = errors.iter().map(|e| e["message"].as_str().unwrap()).collect();
        assert_eq!(messages, expected, "{}", f.display());
        for e in errors {
            // A problem on a row says so twice: `line` is the row as Excel/WPS shows it, and the message
            // starts with the sheet and that row.
            if let Some(row) = e["line"].as_u64() {
                let location = e["location"].as_str().unwrap();
                let sheet = location.split('「').next().unwrap();
                assert!(e["message"].as_str().unwrap().starts_with(&format!("{sheet} 第 {row} 行")), "{}: {e}", f.display());
            }
        }
    }
}

#[test]
fn rubric_template_writes_a_workbook_that_checks_as_the_same_rubric() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["henan-2023", "example-with-veto"] {
        let dir = format!("rubrics/{name}");
        let xlsx = tmp.path().join(format!("{name}.xlsx"));
        let (code, out, err) = pingshen(&["rubric", "template", &dir, "--out", xlsx.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.trim(), xlsx.display().to_string());
        let (code, from_toml, _) = pingshen(&["rubric", "check", &dir, "--json"]);
        assert_eq!(code, 0);
        let (code, from_xlsx, err) = pingshen(&["rubric", "check", xlsx.to_str().unwrap(), "--json"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(from_xlsx, from_toml, "{name}: the same rubric, the same hash");
        let (_, summary, _) = pingshen(&["rubric", "check", xlsx.to_str().unwrap()]);
        assert!(summary.contains("校验码："), "{summary}");
        // The options in either order, and a workbook as the source.
        let again = tmp.path().join(format!("{name}-again.xlsx"));
        let (code, _, err) = pingshen(&["rubric", "template", "--out", again.to_str().unwrap(), xlsx.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&xlsx).unwrap());
    }
    let (_, summary, _) = pingshen(&["rubric", "check", "rubrics/example-with-veto"]);
    assert!(summary.contains("否定性指标 F1（取消资格）") && summary.contains("否定性指标 F3（计零分）"), "{summary}");
}

#[test]
fn rubric_template_refuses_a_broken_source_and_a_wrong_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t.xlsx");
    let (code, _, err) = pingshen(&["rubric", "template", "tests/fixtures/broken-rubrics/off-step.toml", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("分值 4.3 不是步长 0.5 的整数倍"), "{err}");
    assert!(!out.exists(), "nothing written for a broken rubric");
    let (code, _, err) = pingshen(&["rubric", "template", "rubrics/henan-2023", "--out", tmp.path().join("t.xls").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("扩展名须为 .xlsx"), "{err}");
    let (code, _, err) = pingshen(&["rubric", "template", "rubrics/henan-2023"]);
    assert_eq!(code, 1);
    assert!(err.contains("用法"), "{err}");
    let (code, _, err) = pingshen(&["rubric", "template", "rubrics/henan-2023", "--out", "/no/such/dir/t.xlsx"]);
    assert_eq!(code, 2);
    assert!(err.contains("无法写入"), "{err}");
}
