//! `pingshen`: the command line of Pingshen.
//!
//! ```text
//! pingshen rubric check <dir|rubric.toml|rubric.xlsx> [--json]
//! pingshen rubric template <dir|rubric.toml|rubric.xlsx> --out <file.xlsx>
//! pingshen rank --rubric <dir> --scores <file.csv|file.xlsx> [--json]
//! pingshen export --rubric <dir> --scores <file.csv|file.xlsx> --out <dir> [--round-name <name>] [--date <text>]
//!                 [--places <n>] [--min-score <score>]
//! pingshen package check <folder|zip> [--json]
//! pingshen search <folder|zip> <query> [--limit <n>] [--json]
//! ```
//! Exit status: 0 on success, 2 for bad input (every problem is printed on stderr, in Chinese, with its
//! location), 1 for a usage error. The JSON shapes are a contract: `docs/cli.md`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use pingshen_core::consolidation::{consolidate, ApplicationResult, Consolidation, Direction, Settings, Status, TieBreak};
use pingshen_core::rubric::{fingerprint, Rubric, VetoEffect};
use pingshen_import::rubric_xlsx::write_template;
use pingshen_import::scores::{read_scores_file, ScoreImport};
use pingshen_import::{read_rubric_dir, read_rubric_path, ImportError};
use pingshen_report::{ApplicationInfo, ExpertInfo, ReportInput, RoundInfo};
use serde_json::{json, Value};

const USAGE: &str = "用法：
  pingshen rubric check <评分标准目录、rubric.toml 或 .xlsx 模板> [--json]
      校验评分标准，打印其内容与校验码；有问题时逐条列出（行号，或工作表、行和列）并以状态码 2 退出
  pingshen rubric template <评分标准目录、rubric.toml 或 .xlsx 模板> --out <文件.xlsx>
      把评分标准写成可在 Excel 或 WPS 中编辑的 .xlsx 模板（如从河南方案开始改）
  pingshen rank --rubric <评分标准目录> --scores <评分表.csv 或 .xlsx> [--json]
      按默认统分规则汇总评分表并排序；评分表有问题时逐条列出（文件、行号）并以状态码 2 退出
  pingshen export --rubric <评分标准目录> --scores <评分表.csv 或 .xlsx> --out <输出目录> [--round-name <评审批次名称>] [--date <日期>] [--places <推荐名额>] [--min-score <最低分数线>]
      汇总评分表并在输出目录生成评审结果汇总表、拟推荐名单、公示名单（各 .html、.xlsx、.docx）、评审报告.html、
      评审意见表（.html、.xlsx、.docx）和实地考察记录表（.html、.docx）；名单按推荐名额和最低分数线拟定，标为草稿
      （确认名单须在评审台中进行），评审意见表和实地考察记录表为待手写填写的空白表；输入有问题时逐条列出、不写任何文件并以状态码 2 退出
  pingshen package check <申报材料文件夹或 .zip> [--json]
      读取申报材料（规范格式，或推荐书 .docx/.pdf 加支撑材料 PDF），打印推荐书要点、形式审查结果和各材料的页数与扫描页；无法读取时以状态码 2 退出
  pingshen search <申报材料文件夹或 .zip> <检索词> [--limit <条数>] [--json]
      在申报材料的支撑材料中全文检索，按相关度列出页码和上下文（默认最多 20 条）";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let rest: Vec<&str> = args.iter().map(String::as_str).filter(|a| *a != "--json").collect();
    match rest.as_slice() {
        ["rubric", "check", dir] => rubric_check(Path::new(dir), json),
        ["rubric", "template", src, "--out", dst] | ["rubric", "template", "--out", dst, src] if !json => {
            rubric_template(Path::new(src), Path::new(dst))
        }
        ["rank", rest @ ..] => match (flag(rest, "--rubric"), flag(rest, "--scores"), rest.len()) {
            (Some(r), Some(s), 4) => rank(Path::new(r), Path::new(s), json),
            _ => {
                eprintln!("{USAGE}");
                ExitCode::from(1)
            }
        },
        ["export", rest @ ..] if !json => match export_args(rest) {
            Some(a) => export(&a),
            None => {
                eprintln!("{USAGE}");
                ExitCode::from(1)
            }
        },
        ["package", "check", path] => package_check(Path::new(path), json),
        ["search", path, query] => package_search(Path::new(path), query, 20, json),
        ["search", path, query, "--limit", n] | ["search", path, "--limit", n, query] => match n.parse::<usize>() {
            Ok(n) if n > 0 => package_search(Path::new(path), query, n, json),
            _ => {
                eprintln!("{USAGE}");
                ExitCode::from(1)
            }
        },
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
    match read_rubric_path(dir) {
        Ok((_, rubric)) => {
            if json {
                out(&serde_json::to_string_pretty(&rubric_json(&rubric)).expect("json"));
            } else {
                print_summary(&rubric);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            let problems = rubric_problems(&e);
            eprintln!("评分标准无效：{}", dir.display());
            for (_, _, text) in &problems {
                eprintln!("  - {text}");
            }
            if json {
                let errors: Vec<Value> =
                    problems.iter().map(|(line, location, text)| json!({"line": line, "location": location, "message": text})).collect();
                out(&serde_json::to_string_pretty(&json!({ "errors": errors })).expect("json"));
            }
            ExitCode::from(2)
        }
    }
}

/// A refused rubric's problems as (line, location, message): a TOML text's line and part ("观测点 1.2"), a
/// workbook's row and its sheet and column ("评分指标「分值」").
fn rubric_problems(e: &ImportError) -> Vec<(Option<usize>, String, String)> {
    match e {
        ImportError::Rubric { problems, .. } => problems.iter().map(|p| (p.line, p.location.clone(), p.to_string())).collect(),
        ImportError::RubricXlsx { problems, .. } => problems
            .iter()
            .map(|p| {
                let column = p.column.as_ref().map(|c| format!("「{c}」")).unwrap_or_default();
                (p.row, format!("{}{column}", p.sheet.as_deref().unwrap_or("")), p.to_string())
            })
            .collect(),
        other => vec![(None, String::new(), other.to_string())],
    }
}

/// `pingshen rubric template`: the rubric as the .xlsx template staff edit in Excel or WPS.
fn rubric_template(src: &Path, dst: &Path) -> ExitCode {
    if !dst.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        eprintln!("输出文件的扩展名须为 .xlsx：{}\n{USAGE}", dst.display());
        return ExitCode::from(1);
    }
    let rubric = match read_rubric_path(src) {
        Ok((_, r)) => r,
        Err(e) => {
            eprintln!("评分标准无效：{}", src.display());
            for (_, _, text) in rubric_problems(&e) {
                eprintln!("  - {text}");
            }
            return ExitCode::from(2);
        }
    };
    match std::fs::write(dst, write_template(&rubric)) {
        Ok(()) => {
            out(&dst.display().to_string());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("无法写入 {}：{e}", dst.display());
            ExitCode::from(2)
        }
    }
}

/// The value after `name` in `args`.
fn flag<'a>(args: &[&'a str], name: &str) -> Option<&'a str> {
    args.iter().position(|a| *a == name).and_then(|i| args.get(i + 1)).copied()
}

/// Reads the rubric and the score file as `rank` does; on bad input prints every problem on stderr and returns
/// `None` (exit status 2).
fn read_inputs(rubric_dir: &Path, scores: &Path) -> Option<(Rubric, ScoreImport)> {
    let rubric = match read_rubric_dir(rubric_dir) {
        Ok((_, r)) => r,
        Err(e) => {
            eprintln!("评分标准无效：{}", rubric_dir.display());
            match e {
                ImportError::Rubric { problems, .. } => problems.iter().for_each(|p| eprintln!("  - {p}")),
                other => eprintln!("  - {other}"),
            }
            return None;
        }
    };
    match read_scores_file(scores, &rubric, None, None) {
        Ok(i) => Some((rubric, i)),
        Err(errors) => {
            eprintln!("评分表有 {} 处问题，未导入任何数据：", errors.len());
            for e in errors {
                eprintln!("  - {e}");
            }
            None
        }
    }
}

fn rank(rubric_dir: &Path, scores: &Path, json: bool) -> ExitCode {
    let Some((rubric, import)) = read_inputs(rubric_dir, scores) else {
        return ExitCode::from(2);
    };
    match consolidate(&rubric, &Settings::default(), &import.input) {
        Ok(c) => {
            if json {
                out(&serde_json::to_string_pretty(&rank_json(&c, &import.expert_names)).expect("json"));
            } else {
                out(&rank_table(&c, &import.expert_names));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("无法汇总：{e}");
            ExitCode::from(2)
        }
    }
}

/// The arguments of `pingshen export`.
struct ExportArgs<'a> {
    rubric: &'a Path,
    scores: &'a Path,
    out: &'a Path,
    round_name: Option<&'a str>,
    date: Option<&'a str>,
    places: Option<&'a str>,
    min_score: Option<&'a str>,
}

/// Parses `--rubric <dir> --scores <file> --out <dir> [--round-name <name>] [--date <text>] [--places <n>]
/// [--min-score <score>]` in any order; `None` for anything else (a usage error).
fn export_args<'a>(args: &[&'a str]) -> Option<ExportArgs<'a>> {
    let (mut rubric, mut scores, mut out, mut round_name, mut date) = (None, None, None, None, None);
    let (mut places, mut min_score) = (None, None);
    let mut it = args.iter();
    while let Some(name) = it.next() {
        let value = *it.next()?;
        let slot = match *name {
            "--rubric" => &mut rubric,
            "--scores" => &mut scores,
            "--out" => &mut out,
            "--round-name" => &mut round_name,
            "--date" => &mut date,
            "--places" => &mut places,
            "--min-score" => &mut min_score,
            _ => return None,
        };
        if slot.replace(value).is_some() {
            return None; // given twice
        }
    }
    Some(ExportArgs { rubric: Path::new(rubric?), scores: Path::new(scores?), out: Path::new(out?), round_name, date, places, min_score })
}

/// The round name printed when `--round-name` is not given.
const DEFAULT_ROUND_NAME: &str = "市域产教联合体评审";

/// `pingshen export`: consolidates like `rank` and writes the paperwork. The score file names the experts
/// (专家编号, 专家姓名) and the applications (申报编号) and nothing else, so the documents print each
/// application's code as its name, leave lead units, 推荐单位, units and titles empty, and the 公示 notice's dates
/// and contact as lines to fill in by hand. The 推荐名单 is proposed from `--places` and `--min-score` and printed
/// as 草稿 (a list is confirmed only in the app). Everything is rendered before anything is written: bad input
/// writes nothing.
fn export(a: &ExportArgs) -> ExitCode {
    let places = match a.places.map(|p| p.trim().parse::<u32>()) {
        None => None,
        Some(Ok(p)) if p > 0 => Some(p),
        Some(_) => {
            eprintln!("推荐名额须为正整数：{}", a.places.unwrap_or_default());
            return ExitCode::from(2);
        }
    };
    let min_score = match a.min_score.map(pingshen_core::Tenths::parse) {
        None => None,
        Some(Ok(t)) if t.0 >= 0 => Some(t),
        Some(Ok(t)) => {
            eprintln!("最低分数线不能为负数（{t}）");
            return ExitCode::from(2);
        }
        Some(Err(e)) => {
            eprintln!("最低分数线：{e}");
            return ExitCode::from(2);
        }
    };
    let Some((rubric, import)) = read_inputs(a.rubric, a.scores) else {
        return ExitCode::from(2);
    };
    let settings = Settings::default();
    let consolidation = match consolidate(&rubric, &settings, &import.input) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("无法汇总：{e}");
            return ExitCode::from(2);
        }
    };
    let round =
        RoundInfo { date: a.date.unwrap_or_default().to_string(), ..RoundInfo::for_rubric(a.round_name.unwrap_or(DEFAULT_ROUND_NAME), &rubric) };
    let applications: Vec<ApplicationInfo> = import
        .input
        .applications
        .iter()
        .map(|code| ApplicationInfo { code: code.clone(), name: code.clone(), ..ApplicationInfo::default() })
        .collect();
    let experts: Vec<ExpertInfo> =
        import.expert_names.iter().map(|(code, name)| ExpertInfo { code: code.clone(), name: name.clone(), ..ExpertInfo::default() }).collect();
    let input = ReportInput {
        settlements: &[],
        round: &round,
        rubric: &rubric,
        settings: &settings,
        consolidation: &consolidation,
        panel: &import.input,
        applications: &applications,
        experts: &experts,
    };
    let line = pingshen_core::recommendation::Line { places, min_score };
    let proposal = pingshen_core::recommendation::propose(&consolidation, &line, &[]);
    let list = pingshen_report::ListInfo::from_proposal(&proposal, &applications);
    // No store: the 评审意见表 and 实地考察记录表 print as blank forms to fill in by hand.
    let documents = match pingshen_app::paperwork::render(&input, &list, &pingshen_report::panel::PanelRecords::default()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(a.out) {
        eprintln!("无法创建输出目录 {}：{e}", a.out.display());
        return ExitCode::from(2);
    }
    for doc in documents {
        let path = a.out.join(&doc.file_name);
        if let Err(e) = std::fs::write(&path, &doc.bytes) {
            eprintln!("无法写入 {}：{e}", path.display());
            return ExitCode::from(2);
        }
        out(&path.display().to_string());
    }
    ExitCode::SUCCESS
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Complete => "complete",
        Status::Incomplete => "incomplete",
        Status::Disqualified => "disqualified",
    }
}

fn tie_name(t: TieBreak) -> &'static str {
    match t {
        TieBreak::Subtotal => "subtotal",
        TieBreak::Deduction => "deduction",
        TieBreak::Shared => "shared",
    }
}

/// The contract of `pingshen rank --json` (docs/cli.md).
fn rank_json(c: &Consolidation, names: &[(String, String)]) -> Value {
    let score = |r: Option<pingshen_core::Ratio>| r.map(|v| v.round_half_up(2));
    let app = |a: &ApplicationResult| {
        json!({
            "code": a.code,
            "status": status_name(a.status),
            "veto": a.veto.as_ref().map(|v| json!({
                "code": v.code,
                "text": v.text,
                "effect": v.effect.as_str(),
                "reason": v.reason,
                "votes_for": v.votes_for,
                "votes_against": v.votes_against,
            })),
            "valid_sheets": a.valid_sheets(),
            "panel_score": score(a.panel_score),
            "deduction": score(a.deduction),
            "final_score": score(a.final_score),
            "rank": a.rank,
            "tie_break": a.tie.map(tie_name),
            "deduction_resolved": a.deduction_resolved,
            "missing_experts": a.missing_experts,
            "recused_experts": a.recused,
            "flags": a.flags.iter().map(|f| json!({
                "expert": f.expert,
                "item": f.item,
                "direction": if f.direction == Direction::High { "high" } else { "low" },
                "value": f.value.to_string(),
                "others_mean": f.others_mean.round_half_up(2),
            })).collect::<Vec<_>>(),
        })
    };
    json!({
        "applications": c.applications.iter().map(app).collect::<Vec<_>>(),
        "kendall_w": c.kendall_w.map(|w| w.round_half_up(4)),
        "experts": c.experts.iter().map(|e| json!({
            "code": e.expert,
            "name": names.iter().find(|(c, _)| *c == e.expert).map(|(_, n)| n.as_str()).unwrap_or(""),
            "leniency": e.leniency.map(|l| l.round_half_up(2)),
            "spearman": e.spearman.map(|s| format!("{s:.4}")),
            "in_kendall_w": c.w_experts.contains(&e.expert),
        })).collect::<Vec<_>>(),
    })
}

/// The ranking as a plain table for people.
fn rank_table(c: &Consolidation, names: &[(String, String)]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "名次  申报编号  有效评分表  专家组评分  扣分  最终得分  说明");
    for a in &c.applications {
        let v = |r: Option<pingshen_core::Ratio>| r.map(|x| x.round_half_up(2)).unwrap_or_else(|| "—".into());
        let mut note = match (a.status, a.tie) {
            (Status::Incomplete, _) => format!("待补：缺 {} 的评分表", a.missing_experts.join("、")),
            (_, Some(t)) => t.reason_zh(&Settings::default().tiebreak_groups),
            _ => String::new(),
        };
        if let Some(v) = &a.veto {
            let veto = format!("{}：否定性指标 {}「{}」，理由：{}", v.effect.zh(), v.code, v.text, v.reason);
            note = if note.is_empty() { veto } else { format!("{veto}；{note}") };
        }
        let rank = a.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into());
        let _ = writeln!(
            s,
            "{rank:>4}  {:<8}  {:>10}  {:>10}  {:>4}  {:>8}  {note}",
            a.code,
            a.valid_sheets(),
            v(a.panel_score),
            v(a.deduction),
            v(a.final_score)
        );
        for f in &a.flags {
            let who = names.iter().find(|(c, _)| *c == f.expert).map(|(_, n)| n.as_str()).unwrap_or("");
            let what = f.item.as_deref().map(|i| format!("观测点 {i}")).unwrap_or_else(|| "总分".into());
            let _ = writeln!(
                s,
                "        标记：{} {who} {what} {} 分，{}（其他专家平均 {}）",
                f.expert,
                f.value,
                f.direction,
                f.others_mean.round_half_up(2)
            );
        }
    }
    let _ = write!(s, "专家评分一致性（肯德尔 W）：{}", c.kendall_w.map(|w| w.round_half_up(4)).unwrap_or_else(|| "无法计算".into()));
    s
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
    let _ = writeln!(s, "校验码：{}", fingerprint(&r.hash()));
    let _ = writeln!(s, "总分 {}，步长 {}，{} 个一级指标、{} 个观测点", r.total, r.step, r.groups.len(), r.items().count());
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
        let effect = match v.effect {
            VetoEffect::Disqualify => "取消资格",
            VetoEffect::Zero => "计零分",
        };
        let _ = writeln!(s, "  否定性指标 {}（{effect}）：{}", v.code, v.text);
    }
    out(s.trim_end());
}

/// Prints to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn out(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// Reads a folder or zip as it arrived; `Err` is the Chinese message for stderr (exit status 2).
fn read_package(path: &Path) -> Result<pingshen_import::arrive::Arrival, String> {
    pingshen_import::arrive::read(path).map_err(|e| e.to_string())
}

/// `pingshen package check`: the 推荐书's key facts, the 形式审查 findings and the materials.
fn package_check(path: &Path, json: bool) -> ExitCode {
    let p = match read_package(path) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let infos = pingshen_app::packages::material_infos(&p);
    let findings = pingshen_core::formal::check(&p.application, &infos, p.needs_manual_entry);
    for n in &p.notes {
        eprintln!("提示：{n}");
    }
    let a = &p.application;
    if json {
        let o = &a.overview;
        let value = json!({
            "application": {
                "name": a.cover.name,
                "recommender": a.cover.recommender,
                "park": a.cover.park,
                "lead_school": a.cover.lead_school,
                "lead_enterprise": a.cover.lead_enterprise,
                "secretariat": {"total": o.secretariat.total, "full_time": o.secretariat.full_time, "part_time": o.secretariat.part_time},
                "members": o.members.iter().map(|g| json!({"type": g.kind, "count": g.count, "units": g.units})).collect::<Vec<_>>(),
                "sections": {"主导产业": o.leading_industry, "政策": o.policy, "特色与创新": a.features, "建设规划": a.plan},
            },
            "findings": findings.iter().map(|f| f.to_json()).collect::<Vec<_>>(),
            "materials": infos.iter().map(|m| json!({"file": m.file, "pages": m.pages, "scanned_pages": m.scanned_pages})).collect::<Vec<_>>(),
        });
        out(&serde_json::to_string_pretty(&value).expect("json"));
    } else {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(s, "{}", a.cover.name);
        let _ = writeln!(s, "推荐单位：{}；依托园区：{}", a.cover.recommender, a.cover.park);
        let _ = writeln!(s, "牵头学校：{}；牵头企业：{}", a.cover.lead_school, a.cover.lead_enterprise);
        let _ = writeln!(s, "形式审查：{} 项问题", findings.len());
        for f in &findings {
            let level = if f.severity == pingshen_core::formal::Severity::Error { "错误" } else { "提醒" };
            let _ = writeln!(s, "  [{level}] {}", f.message);
        }
        let _ = writeln!(s, "支撑材料：{} 份", infos.len());
        for m in &infos {
            let scanned = if m.scanned_pages.is_empty() {
                String::new()
            } else {
                format!("，扫描页 {}", m.scanned_pages.iter().map(u32::to_string).collect::<Vec<_>>().join("、"))
            };
            let _ = writeln!(s, "  {}：{} 页{scanned}", m.file, m.pages);
        }
        out(s.trim_end());
    }
    ExitCode::SUCCESS
}

/// `pingshen search`: the package in an in-memory store, searched; material pages only, best first.
fn package_search(path: &Path, query: &str, limit: usize, json: bool) -> ExitCode {
    if query.trim().is_empty() {
        eprintln!("检索词不能为空");
        return ExitCode::from(2);
    }
    let p = match read_package(path) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let hits = pingshen_app::packages::search_package(p, query, limit);
    let hits = match hits {
        Ok(h) => h,
        Err(e) => {
            eprintln!("检索失败：{e}");
            return ExitCode::from(2);
        }
    };
    if json {
        let value = json!({
            "hits": hits.iter().map(|h| json!({"file": h.file, "page": h.page, "snippet": h.snippet})).collect::<Vec<_>>(),
        });
        out(&serde_json::to_string_pretty(&value).expect("json"));
    } else if hits.is_empty() {
        out("没有找到");
    } else {
        let lines: Vec<String> =
            hits.iter().map(|h| format!("{} 第 {} 页：{}", h.file.as_deref().unwrap_or(""), h.page.unwrap_or(0), h.snippet)).collect();
        out(&lines.join("\n"));
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;
    use pingshen_core::consolidation::{Cell, Entry, PanelInput, Sheet, VetoDecision};
    use pingshen_core::sheet::VetoProposal;
    use pingshen_core::Tenths;

    /// The paper-score spreadsheet carries no vetoes; a round consolidated on the staff machine does. Its JSON
    /// says `disqualified` with the veto and the reason, and a zeroed application is ranked at 0 with its veto.
    #[test]
    fn rank_json_carries_an_upheld_veto() {
        let rubric = pingshen_core::rubric::parse(include_str!("../../../tests/consolidation/rubric-vetoes/rubric.toml")).unwrap();
        let sheet = |v: i64, vetoes: Vec<VetoProposal>| {
            Entry::Sheet(Sheet { scores: rubric.items().map(|i| (i.code.clone(), Tenths(v))).collect(), deduction: Tenths::ZERO, vetoes })
        };
        let cell = |a: &str, entry| Cell { expert: "E01".into(), application: a.into(), entry };
        let decision = |a: &str, veto: &str, reason: &str| VetoDecision {
            application: a.into(),
            veto: veto.into(),
            upheld: true,
            votes_for: 3,
            votes_against: 0,
            reason: reason.into(),
        };
        let input = PanelInput {
            experts: vec!["E01".into()],
            applications: vec!["A01".into(), "A02".into(), "A03".into()],
            cells: vec![
                cell("A01", sheet(40, vec![VetoProposal { veto: "V1".into(), reason: "合作协议系伪造".into() }])),
                cell("A02", sheet(30, vec![])),
                cell("A03", sheet(20, vec![])),
            ],
            resolutions: vec![],
            vetoes: vec![decision("A01", "V1", "经核实合作协议系伪造"), decision("A02", "V2", "发生重大安全事故")],
        };
        let c = consolidate(&rubric, &Settings::default(), &input).unwrap();
        let v = rank_json(&c, &[("E01".into(), "张三".into())]);
        let apps = v["applications"].as_array().unwrap();
        let brief: Vec<(&str, &str, &Value)> =
            apps.iter().map(|a| (a["code"].as_str().unwrap(), a["status"].as_str().unwrap(), &a["rank"])).collect();
        assert_eq!(brief, [("A03", "complete", &json!(1)), ("A02", "complete", &json!(2)), ("A01", "disqualified", &Value::Null)]);
        assert_eq!(
            apps[2]["veto"],
            json!({"code": "V1", "text": "申报材料弄虚作假", "effect": "disqualify", "reason": "经核实合作协议系伪造", "votes_for": 3, "votes_against": 0})
        );
        assert_eq!(apps[2]["final_score"], "16.00", "kept for the record");
        assert_eq!((apps[1]["final_score"].as_str(), apps[1]["veto"]["effect"].as_str()), (Some("0.00"), Some("zero")));
        assert_eq!(apps[0]["veto"], Value::Null);
        let table = rank_table(&c, &[]);
        assert!(table.contains("取消资格：否定性指标 V1「申报材料弄虚作假」，理由：经核实合作协议系伪造"), "{table}");
        assert!(table.contains("计零分：否定性指标 V2「近三年发生重大安全事故」，理由：发生重大安全事故"), "{table}");
    }
}
