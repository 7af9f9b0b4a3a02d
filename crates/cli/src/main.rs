//! `pingshen`: the command line of Pingshen.
//!
//! ```text
//! pingshen rubric check <dir|rubric.toml> [--json]
//! ```
//! Exit status: 0 when the rubric is valid, 2 when it is not (every problem is printed, in Chinese, with its
//! line), 1 for a usage error. The JSON shape is a contract: `docs/cli.md`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use pingshen_core::rubric::{fingerprint, Rubric};
use pingshen_import::{read_rubric_dir, ImportError};
use serde_json::{json, Value};

const USAGE: &str = "用法：
  pingshen rubric check <评分标准目录或 rubric.toml> [--json]
      校验评分标准，打印其内容与指纹；有问题时逐条列出并以状态码 2 退出";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let rest: Vec<&str> = args.iter().map(String::as_str).filter(|a| *a != "--json").collect();
    match rest.as_slice() {
        ["rubric", "check", dir] => rubric_check(Path::new(dir), json),
        ["help"] | ["--help"] | ["-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(1)
        }
    }
}

fn rubric_check(dir: &Path, json: bool) -> ExitCode {
    match read_rubric_dir(dir) {
        Ok((_, rubric)) => {
            if json {
                out(&serde_json::to_string_pretty(&rubric_json(&rubric)).expect("json"));
            } else {
                print_summary(&rubric);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let problems: Vec<(Option<usize>, String, String)> = match &e {
                ImportError::Rubric { problems, .. } => problems.iter().map(|p| (p.line, p.location.clone(), p.to_string())).collect(),
                other => vec![(None, String::new(), other.to_string())],
            };
            eprintln!("评分标准无效：{}", dir.display());
            for (_, _, text) in &problems {
                eprintln!("  - {text}");
            }
            if json {
                let errors: Vec<Value> = problems
                    .iter()
                    .map(|(line, location, text)| json!({"line": line, "location": location, "message": text}))
                    .collect();
                out(&serde_json::to_string_pretty(&json!({ "errors": errors })).expect("json"));
            }
            ExitCode::from(2)
        }
    }
}

/// The contract of `pingshen rubric check --json` (docs/cli.md).
fn rubric_json(r: &Rubric) -> Value {
    json!({
        "id": r.id,
        "title": r.title,
        "hash": r.hash(),
        "total": r.total.to_string(),
        "groups": r.groups.iter().map(|g| json!({
            "code": g.code,
            "name": g.name,
            "points": g.points.to_string(),
            "items": g.items.iter().map(|i| json!({"code": i.code, "text": i.text, "points": i.points.to_string()})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "deduction": r.deduction.as_ref().map(|d| json!({"code": d.code, "text": d.text, "cap": d.cap.to_string()})),
    })
}

fn print_summary(r: &Rubric) {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "{}（{}）", r.title, r.id);
    let _ = writeln!(s, "指纹：{}", fingerprint(&r.hash()));
    let _ = writeln!(s, "总分 {}，步长 {}，{} 组 {} 个观测点", r.total, r.step, r.groups.len(), r.items().count());
    for g in &r.groups {
        let _ = writeln!(s, "  {} {}（{} 分）", g.code, g.name, g.points);
        for i in &g.items {
            let _ = writeln!(s, "    {} {}（{} 分）", i.code, i.short_name, i.points);
        }
    }
    if let Some(d) = &r.deduction {
        let _ = writeln!(s, "  {} {}：扣分上限 {} 分", d.code, d.name, d.cap);
    }
    for v in &r.vetoes {
        let _ = writeln!(s, "  否定性指标 {}：{}", v.code, v.text);
    }
    out(s.trim_end());
}

/// Prints to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn out(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}
