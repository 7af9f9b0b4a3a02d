//! The 评审报告: the record of how the round was scored, printed for the panel to sign.
//!
//! Sections: 一、评审概况 (round, date, counts, rubric title, full hash and fingerprint); 二、评审专家 (编号, 姓名,
//! 单位, 职称); 三、评审方法 (the method sentence); 四、评分异常标记 (each 畸高/畸低 flag with the score and the
//! others' mean, and a blank 处理结果 column to write how it was settled; "无" when there is none); 五、扣分认定
//! (the median of the proposals, or the panel resolution with votes and reason); 六、评分一致性统计 (Kendall's W,
//! each expert's leniency and Spearman correlation); when the rubric has 否定性指标, 七、否定性指标认定 (every
//! proposal, by whom and why, and every decision of the panel with its vote and reason, the newest in force);
//! then 评审结果 (the ranking, an upheld veto's outcome and reason in the note); then the signature lines of
//! 评审组长, 统分人 and 复核人 and one line per expert.

use serde::Serialize;

use pingshen_core::consolidation::TieBreak;
use pingshen_core::consolidation::{settlement_of, veto_decision_of, Entry, Status};
use pingshen_core::rubric::fingerprint;
use pingshen_core::Tenths;

use crate::text::{self, who};
use crate::{view, ReportError, ReportInput};

/// Section numerals, by number.
const NUMERALS: [&str; 11] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// The signers of the report, in print order.
const SIGNERS: [&str; 3] = ["评审组长", "统分人", "复核人"];

#[derive(Serialize)]
struct Review {
    doc_title: String,
    landscape: bool,
    round_name: String,
    date: String,
    rubric_title: String,
    rubric_hash: String,
    rubric_fingerprint: String,
    /// "总分 100 分，6 个一级指标、25 个观测点，扣分上限 10 分"
    rubric_summary: String,
    application_count: usize,
    ranked_count: usize,
    disqualified_count: usize,
    pending_count: usize,
    experts: Vec<ExpertRow>,
    method: String,
    flags: Vec<FlagRow>,
    deductions: Vec<DeductionRow>,
    /// Said under the deduction table: which applications had no deduction at all.
    deduction_note: String,
    w_line: String,
    stats: Vec<StatRow>,
    /// The rubric has 否定性指标: the 否定性指标认定 section is printed (and the sections after it renumbered).
    has_vetoes: bool,
    vetoes: Vec<VetoRow>,
    /// The round's 复议 (the section is printed only when there is one).
    reconsiderations: Vec<ReconsiderationView>,
    /// Section numerals after 六: the 否定性指标 section's, the 复议 section's, the 评审结果's and the 签字's
    /// (each section present shifts the ones after it).
    sec_reconsider: &'static str,
    sec_result: &'static str,
    sec_sign: &'static str,
    ranking: Vec<RankRow>,
    signers: [&'static str; 3],
}

#[derive(Serialize)]
struct ReconsiderationView {
    number: i64,
    opened_by: String,
    scope: String,
    reason: String,
    opened_at: String,
    /// "已结束（…）" or "进行中".
    state: String,
    changes: Vec<ReconsideredView>,
}

#[derive(Serialize)]
struct ReconsideredView {
    application: String,
    item: String,
    expert: String,
    before: String,
    after: String,
    reason: String,
}

/// One 否定性指标 of one application that an expert proposed or the panel decided.
#[derive(Serialize)]
struct VetoRow {
    application: String,
    /// "V1 申报材料弄虚作假（取消资格）"
    veto: String,
    /// "E01 张建国：合作协议系伪造；E03 王芳：……", or that no expert proposed it.
    proposals: String,
    /// Every decision, oldest first: "维持（认定成立）：同意 5 票、反对 0 票。理由：……"; the last is in force.
    decisions: Vec<String>,
    /// 取消资格, 计零分, 不予认定, or 待评审组认定.
    outcome: String,
}

#[derive(Serialize)]
struct ExpertRow {
    code: String,
    name: String,
    unit: String,
    title: String,
    /// Valid sheets / recusals of this expert in the round.
    sheets: usize,
    recused: usize,
}

#[derive(Serialize)]
struct FlagRow {
    application: String,
    expert: String,
    /// "观测点 2.3 章程与制度体系" or "总分".
    what: String,
    direction: String,
    value: String,
    others_mean: String,
    /// How the flag was settled, or empty (a blank cell to write in).
    settled: String,
}

#[derive(Serialize)]
struct DeductionRow {
    application: String,
    /// "E01 张建国 2.00；E02 李明 0.00；…"
    proposals: String,
    deduction: String,
    /// "全部 4 份有效评分表建议扣分的中位数" or "评审组决议：同意 5 票、反对 2 票。理由：…"
    basis: String,
}

#[derive(Serialize)]
struct StatRow {
    expert: String,
    sheets: usize,
    leniency: String,
    spearman: String,
    in_w: bool,
}

#[derive(Serialize)]
struct RankRow {
    rank: String,
    code: String,
    name: String,
    sheets: String,
    panel: String,
    deduction: String,
    final_score: String,
    note: String,
}

fn build(input: &ReportInput) -> Result<Review, ReportError> {
    input.check()?;
    let c = input.consolidation;
    let round = input.round;
    let rubric = input.rubric;
    let expert_who = |code: &str| who(code, &input.expert(code).name);
    let app_who = |code: &str| who(code, &input.application(code).name);

    let mut rubric_summary = format!("总分 {} 分，{} 个一级指标、{} 个观测点", rubric.total, rubric.groups.len(), rubric.items().count());
    if let Some(d) = &rubric.deduction {
        rubric_summary.push_str(&format!("，第{}项一级指标“{}”为扣分项（上限 {} 分）", d.code, d.name, d.cap));
    }
    if !rubric.vetoes.is_empty() {
        rubric_summary.push_str(&format!("，否定性指标 {} 项", rubric.vetoes.len()));
    }

    let experts = c
        .experts
        .iter()
        .map(|e| {
            let info = input.expert(&e.expert);
            ExpertRow {
                code: e.expert.clone(),
                name: info.name.clone(),
                unit: info.unit.clone(),
                title: info.title.clone(),
                sheets: c.applications.iter().filter(|a| a.totals.iter().any(|(x, _)| *x == e.expert)).count(),
                recused: c.applications.iter().filter(|a| a.recused.contains(&e.expert)).count(),
            }
        })
        .collect();

    let mut flags = Vec::new();
    for a in &c.applications {
        for f in &a.flags {
            let what = match &f.item {
                Some(code) => match rubric.item(code) {
                    Some(item) if !item.short_name.is_empty() => format!("观测点 {code} {}", item.short_name),
                    _ => format!("观测点 {code}"),
                },
                None => "总分".to_string(),
            };
            flags.push(FlagRow {
                application: app_who(&a.code),
                expert: expert_who(&f.expert),
                what,
                direction: f.direction.to_string(),
                value: text::tenths(f.value),
                others_mean: text::score(f.others_mean),
                settled: settlement_of(input.settlements, &a.code, f)
                    .map(|s| format!("{}：{}", if s.by_panel { "评审组决议" } else { "专家书面说明" }, s.text))
                    .unwrap_or_default(),
            });
        }
    }

    let mut deductions = Vec::new();
    let mut without = Vec::new();
    for a in c.applications.iter().filter(|a| a.status == Status::Complete) {
        let proposals = text::proposed_deductions(input.panel, &a.code);
        let any_proposed = proposals.iter().any(|(_, d)| *d != Tenths::ZERO);
        if !any_proposed && !a.deduction_resolved {
            without.push(a.code.clone());
            continue;
        }
        let basis = if a.deduction_resolved {
            match input.panel.resolutions.iter().find(|r| r.application == a.code) {
                Some(r) => {
                    let reason = if r.reason.trim().is_empty() { String::new() } else { format!("理由：{}", r.reason.trim()) };
                    format!("评审组决议：同意 {} 票、反对 {} 票。{reason}", r.votes_for, r.votes_against)
                }
                None => "评审组决议".to_string(),
            }
        } else {
            format!("全部 {} 份有效评分表建议扣分的中位数", proposals.len())
        };
        deductions.push(DeductionRow {
            application: app_who(&a.code),
            proposals: proposals.iter().map(|(e, d)| format!("{} {}", expert_who(e), text::tenths(*d))).collect::<Vec<_>>().join("；"),
            deduction: text::opt_score(a.deduction),
            basis,
        });
    }
    let deduction_note = match (deductions.is_empty(), without.is_empty()) {
        (true, _) => "无（没有专家建议扣分，也没有评审组扣分决议）。".to_string(),
        (false, false) => format!("其余已排序申报（{}）无专家建议扣分，扣分为 0。", without.join("、")),
        (false, true) => String::new(),
    };

    let stats = c
        .experts
        .iter()
        .map(|e| StatRow {
            expert: expert_who(&e.expert),
            sheets: c.applications.iter().filter(|a| a.rank.is_some() && a.totals.iter().any(|(x, _)| *x == e.expert)).count(),
            leniency: e.leniency.map(text::signed).unwrap_or_else(|| text::NONE.to_string()),
            spearman: text::spearman(e.spearman),
            in_w: c.w_experts.contains(&e.expert),
        })
        .collect();

    let vetoes = veto_rows(input);

    let ranking = c
        .applications
        .iter()
        .map(|a| {
            let complete = a.status == Status::Complete;
            let note = if a.status == Status::Disqualified {
                let mut parts: Vec<String> = text::veto_outcome(a).into_iter().collect();
                if !a.missing_experts.is_empty() {
                    parts.push(text::pending_reason(a, |e| input.expert(e).name.clone()));
                }
                parts.join("；")
            } else if !complete {
                text::pending_reason(a, |e| input.expert(e).name.clone())
            } else {
                let mut parts = Vec::new();
                match a.tie {
                    Some(t @ (TieBreak::Subtotal | TieBreak::Deduction)) => parts.push(t.reason_zh(&input.settings.tiebreak_groups)),
                    Some(TieBreak::Shared) => parts.push(text::SHARED.to_string()),
                    None => {}
                }
                if !a.recused.is_empty() {
                    let names: Vec<String> = a.recused.iter().map(|e| expert_who(e)).collect();
                    parts.push(format!("{} 回避", names.join("、")));
                }
                if a.deduction_resolved {
                    parts.push("扣分依评审组决议".to_string());
                }
                parts.extend(text::veto_outcome(a));
                parts.join("；")
            };
            RankRow {
                rank: text::rank(a),
                code: a.code.clone(),
                name: input.application(&a.code).name.clone(),
                sheets: a.valid_sheets().to_string(),
                panel: text::opt_score(a.panel_score),
                deduction: text::opt_score(a.deduction),
                final_score: text::opt_score(a.final_score),
                note,
            }
        })
        .collect();

    let ranked_count = c.applications.iter().filter(|a| a.rank.is_some()).count();
    let disqualified_count = c.applications.iter().filter(|a| a.status == Status::Disqualified).count();
    Ok(Review {
        doc_title: if round.name.is_empty() { "评审报告".to_string() } else { format!("{}评审报告", round.name) },
        landscape: false,
        round_name: round.name.clone(),
        date: round.date.clone(),
        rubric_title: round.rubric_title.clone(),
        rubric_hash: round.rubric_hash.to_lowercase(),
        rubric_fingerprint: fingerprint(&round.rubric_hash.to_lowercase()),
        rubric_summary,
        application_count: c.applications.len(),
        ranked_count,
        disqualified_count,
        pending_count: c.applications.len() - ranked_count - disqualified_count,
        experts,
        method: input.settings.method_zh(&input.rubric.vetoes),
        flags,
        deductions,
        deduction_note,
        w_line: crate::summary::w_line(c),
        stats,
        has_vetoes: !rubric.vetoes.is_empty(),
        vetoes,
        reconsiderations: round
            .reconsiderations
            .iter()
            .map(|r| ReconsiderationView {
                number: r.number,
                opened_by: r.opened_by.clone(),
                scope: r.scope.clone(),
                reason: r.reason.clone(),
                opened_at: r.opened_at.clone(),
                state: if r.closed_at.is_empty() { "进行中".to_string() } else { format!("已结束（{}）", r.closed_at) },
                changes: r
                    .changes
                    .iter()
                    .map(|c| ReconsideredView {
                        application: c.application.clone(),
                        item: c.item.clone(),
                        expert: c.expert.clone(),
                        before: text::tenths(c.before),
                        after: text::tenths(c.after),
                        reason: c.reason.clone(),
                    })
                    .collect(),
            })
            .collect(),
        sec_reconsider: NUMERALS[7 + usize::from(!rubric.vetoes.is_empty())],
        sec_result: NUMERALS[7 + usize::from(!rubric.vetoes.is_empty()) + usize::from(!round.reconsiderations.is_empty())],
        sec_sign: NUMERALS[8 + usize::from(!rubric.vetoes.is_empty()) + usize::from(!round.reconsiderations.is_empty())],
        ranking,
        signers: SIGNERS,
    })
}

/// Every 否定性指标 of every application that an expert proposed (on a valid sheet) or the panel decided, in
/// the consolidation's order of applications and the rubric's order of vetoes.
fn veto_rows(input: &ReportInput) -> Vec<VetoRow> {
    let panel = input.panel;
    let mut rows = Vec::new();
    for a in &input.consolidation.applications {
        for veto in &input.rubric.vetoes {
            let proposals: Vec<String> = panel
                .experts
                .iter()
                .filter_map(|e| {
                    let cell = panel.cells.iter().find(|c| c.expert == *e && c.application == a.code)?;
                    let Entry::Sheet(sheet) = &cell.entry else { return None };
                    let p = sheet.vetoes.iter().find(|p| p.veto == veto.code)?;
                    Some(format!("{}：{}", who(e, &input.expert(e).name), p.reason.trim()))
                })
                .chain(
                    input
                        .round
                        .visit_proposals
                        .iter()
                        .filter(|(app, code, _)| *app == a.code && *code == veto.code)
                        .map(|(_, _, finding)| format!("实地考察：{finding}")),
                )
                .collect();
            let decisions: Vec<String> = panel
                .vetoes
                .iter()
                .filter(|d| d.application == a.code && d.veto == veto.code)
                .map(|d| {
                    let what = if d.upheld { "维持（认定成立）" } else { "不予认定" };
                    format!("{what}：同意 {} 票、反对 {} 票。理由：{}", d.votes_for, d.votes_against, d.reason.trim())
                })
                .collect();
            if proposals.is_empty() && decisions.is_empty() {
                continue;
            }
            let outcome = match veto_decision_of(&panel.vetoes, &a.code, &veto.code) {
                Some(d) if d.upheld => veto.effect.zh().to_string(),
                Some(_) => "不予认定".to_string(),
                None => "待评审组认定".to_string(),
            };
            rows.push(VetoRow {
                application: who(&a.code, &input.application(&a.code).name),
                veto: format!("{} {}（{}）", veto.code, veto.text, veto.effect.zh()),
                proposals: if proposals.is_empty() { "无专家提出（评审组认定）".to_string() } else { proposals.join("；") },
                decisions,
                outcome,
            });
        }
    }
    rows
}

/// The 评审报告 as one self-contained HTML page (A4 portrait).
pub fn review_report_html(input: &ReportInput) -> Result<String, ReportError> {
    view::render("review.html.tera", &build(input)?)
}
