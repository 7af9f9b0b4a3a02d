//! Consolidation: every expert's sheets of a round into exact panel scores, flags, a ranking and panel
//! statistics (PRODUCT.md, "Consolidation rules").
//!
//! Values in, values out: [`consolidate`] takes the rubric, the round's [`Settings`] and a [`PanelInput`]
//! (which expert has a sheet, is recused, or has nothing, for which application; the panel's decisions) and
//! returns a [`Consolidation`].
//!
//! 否定性指标 (veto items): an expert proposes one on their sheet ([`Sheet::vetoes`]); it stands only when
//! the panel upholds it ([`VetoDecision`], the latest per application and item counting: [`veto_decision_of`]).
//! An upheld veto has the rubric's effect: `disqualify` makes the application [`Status::Disqualified`] (its
//! scores are kept for the record, it gets no rank and is listed after the ranked ones), `zero` makes its
//! final score 0 (ranked as 0). Either way the result names the veto and the reason ([`AppliedVeto`]). All arithmetic is on [`Ratio`]s over integer tenths; nothing here is a float except the
//! Spearman correlation, a statistic that needs a square root and decides nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::ratio::Ratio;
use crate::rubric::{Rubric, Veto, VetoEffect};
use crate::score::Tenths;
use crate::sheet::{check_deduction, check_score, check_veto, ScoreError, VetoProposal};

/// How the panel score is formed from the valid sheets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregation {
    /// With at least `trim_min_sheets` valid sheets, drop one highest and one lowest total and take the
    /// mean of the rest (去掉一个最高分和一个最低分); with fewer, the plain mean.
    TrimmedMean,
    /// The median of the totals.
    Median,
    /// Trim per item instead of per total: for each item, drop one highest and one lowest score (with at
    /// least `trim_min_sheets` sheets) and take the mean; the panel score is the sum of the item means.
    PerItemTrimmedMean,
}

/// The consolidation settings of a round (defaults: PRODUCT.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub aggregation: Aggregation,
    /// Trimming applies from this many valid sheets on (default 5).
    pub trim_min_sheets: usize,
    /// The groups whose subtotal breaks a tie on the final score (default 2, 3, 4).
    pub tiebreak_groups: Vec<String>,
    /// An item score more than this percentage of the item's maximum away from the mean of the other
    /// sheets is flagged (default 25).
    pub item_flag_percent: u32,
    /// A total more than this many points away from the mean of the other totals is flagged 畸高/畸低
    /// (default 15).
    pub total_flag_points: Tenths,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            aggregation: Aggregation::TrimmedMean,
            trim_min_sheets: 5,
            tiebreak_groups: vec!["2".into(), "3".into(), "4".into()],
            item_flag_percent: 25,
            total_flag_points: Tenths::points(15),
        }
    }
}

impl Settings {
    /// The default rules for a round under `rubric`: [`Settings::default`], with the tie-break 一级指标
    /// (2, 3, 4) that the rubric has (none of them: ties go straight to the deduction).
    pub fn for_rubric(rubric: &Rubric) -> Settings {
        let mut s = Settings::default();
        s.tiebreak_groups.retain(|g| rubric.groups.iter().any(|x| &x.code == g));
        s
    }

    /// Checks the settings against the round's rubric; every problem, in Chinese.
    pub fn check(&self, rubric: &Rubric) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if self.trim_min_sheets < 3 {
            problems.push(format!("去掉最高分和最低分至少需要 3 份有效评分表，不能设为 {}", self.trim_min_sheets));
        }
        if self.item_flag_percent > 100 {
            problems.push(format!("观测点偏离提示阈值须在 0–100% 之间，不能设为 {}%", self.item_flag_percent));
        }
        if self.total_flag_points.0 < 0 || self.total_flag_points > rubric.total {
            problems.push(format!("总分偏离提示阈值须在 0–{} 分之间，不能设为 {}", rubric.total, self.total_flag_points));
        }
        if self.tiebreak_groups.is_empty() {
            problems.push("同分比较的一级指标不能为空".into());
        }
        for g in &self.tiebreak_groups {
            if !rubric.groups.iter().any(|x| &x.code == g) {
                problems.push(format!("同分比较的一级指标 {g} 不在本批次的评分标准中"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// The method in one sentence, as printed under the 汇总表 and in the 评审报告; `vetoes` are the rubric's
    /// 否定性 items: when there are any, a sentence on how they apply follows (nothing is said of vetoes
    /// otherwise, so a rubric without them prints exactly what it always did).
    pub fn method_zh(&self, vetoes: &[Veto]) -> String {
        let panel = match self.aggregation {
            Aggregation::TrimmedMean => format!(
                "有效评分表不少于{}份时去掉一个最高总分和一个最低总分后取算术平均，少于{}份时取算术平均",
                self.trim_min_sheets, self.trim_min_sheets
            ),
            Aggregation::Median => "取各有效评分表总分的中位数".to_string(),
            Aggregation::PerItemTrimmedMean => format!(
                "逐个观测点在有效评分表不少于{}份时去掉一个最高分和一个最低分后取平均再求和，少于{}份时逐项取平均再求和",
                self.trim_min_sheets, self.trim_min_sheets
            ),
        };
        let mut method = format!(
            "专家组评分：{panel}；扣分：取全部有效评分表建议扣分的中位数（偶数份时取中间两份的平均数），评审组决议另有决定的从其决议；\
             最终得分＝专家组评分－扣分（不低于0）；同分时依次比较第{}项一级指标的专家组评分、扣分较少者在前，仍相同者并列；\
             计算过程不作舍入，结果四舍五入保留两位小数。",
            self.tiebreak_groups.join("、")
        );
        let mut effects = Vec::new();
        if vetoes.iter().any(|v| v.effect == VetoEffect::Disqualify) {
            effects.push("属取消资格的，该申报不参与排序，其得分仅作记录");
        }
        if vetoes.iter().any(|v| v.effect == VetoEffect::Zero) {
            effects.push("属计零分的，该申报最终得分计为0分");
        }
        if !effects.is_empty() {
            method.push_str(&format!("否定性指标：专家提出、经评审组表决认定成立的，{}。", effects.join("；")));
        }
        method
    }
}

/// One expert's submitted (or imported) sheet for one application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// Every scored item of the rubric: (item code, score).
    pub scores: Vec<(String, Tenths)>,
    /// The proposed group-7 deduction (zero when none is proposed).
    pub deduction: Tenths,
    /// The 否定性 items the expert proposes, with their reasons (none for most sheets). A proposal decides
    /// nothing by itself: only the panel's [`VetoDecision`] does.
    pub vetoes: Vec<VetoProposal>,
}

/// What one expert has for one application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// The expert is recused (回避): the cell reads 回避, never 0, and does not count.
    Recused,
    /// A valid sheet.
    Sheet(Sheet),
}

/// One cell of the experts × applications matrix. A pair with no cell at all means the expert is
/// assigned but has no sheet: the application is 待补.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub expert: String,
    pub application: String,
    pub entry: Entry,
}

/// A panel resolution that replaces the median deduction of an application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeductionResolution {
    pub application: String,
    pub deduction: Tenths,
    pub votes_for: u32,
    pub votes_against: u32,
    pub reason: String,
}

/// The panel's decision on a 否定性 item for an application: upheld (the rubric's effect applies) or not
/// (不予认定), with the vote and the reason. Several decisions on the same item may be recorded; the latest
/// counts ([`veto_decision_of`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VetoDecision {
    pub application: String,
    /// The veto's code in the rubric.
    pub veto: String,
    pub upheld: bool,
    pub votes_for: u32,
    pub votes_against: u32,
    pub reason: String,
}

/// The decision in force on `veto` for `application`: the latest of `decisions` (oldest first) that names
/// both.
pub fn veto_decision_of<'a>(decisions: &'a [VetoDecision], application: &str, veto: &str) -> Option<&'a VetoDecision> {
    decisions.iter().rev().find(|d| d.application == application && d.veto == veto)
}

/// Everything consolidation looks at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PanelInput {
    /// Every expert of the round (专家编号), each assigned to every application unless recused.
    pub experts: Vec<String>,
    /// Every application of the round (申报编号).
    pub applications: Vec<String>,
    pub cells: Vec<Cell>,
    pub resolutions: Vec<DeductionResolution>,
    /// The panel's decisions on 否定性 items, oldest first.
    pub vetoes: Vec<VetoDecision>,
}

/// Why a panel input cannot be consolidated (the importers prevent all of these; this is the last line).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConsolidationError {
    #[error("专家 {0} 不在本批次的专家名单中")]
    UnknownExpert(String),
    #[error("申报编号 {0} 不在本批次中")]
    UnknownApplication(String),
    #[error("专家 {expert} 对申报 {application} 有两份评分记录")]
    DuplicateCell { expert: String, application: String },
    #[error("专家 {expert} 对申报 {application} 的评分表不完整，缺少观测点 {}", .missing.join("、"))]
    IncompleteSheet { expert: String, application: String, missing: Vec<String> },
    #[error("专家 {expert} 对申报 {application} 的评分表中观测点 {item} 出现了两次")]
    DuplicateItem { expert: String, application: String, item: String },
    #[error("专家 {expert} 对申报 {application}：{error}")]
    Score { expert: String, application: String, error: ScoreError },
    #[error("申报 {application} 的扣分决议：{error}")]
    Resolution { application: String, error: ScoreError },
    #[error("申报 {application} 的否定性指标：{error}")]
    Veto { application: String, error: ScoreError },
}

/// Whether an application can be ranked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every assigned, non-recused expert has a valid sheet.
    Complete,
    /// 待补: an assigned expert has no sheet (or no expert has a valid sheet). No rank, never ranked on fewer
    /// sheets.
    Incomplete,
    /// 取消资格: the panel upheld a 否定性 item whose effect is `disqualify`. No rank, whether or not every
    /// sheet is in; the scores (when every sheet is in) are kept for the record.
    Disqualified,
}

/// The upheld 否定性 item that decides an application's result, as the paperwork names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedVeto {
    pub code: String,
    /// The item's text in the rubric.
    pub text: String,
    pub effect: VetoEffect,
    /// The panel's reason.
    pub reason: String,
    pub votes_for: u32,
    pub votes_against: u32,
}

/// How a flag was settled: the expert's written reason or a panel resolution. A flag can be settled more
/// than once; the latest settlement stands ([`settlement_of`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settlement {
    pub application: String,
    pub expert: String,
    /// The item, or `None` for the total.
    pub item: Option<String>,
    /// A panel resolution (评审组决议) rather than the expert's written reason (专家书面说明).
    pub by_panel: bool,
    pub text: String,
    /// When, as the store wrote it.
    pub at: String,
}

/// The settlement in force for a flag of `application`: the latest of `settlements` (oldest first) that
/// names the same expert and item.
pub fn settlement_of<'a>(settlements: &'a [Settlement], application: &str, flag: &Flag) -> Option<&'a Settlement> {
    settlements.iter().rev().find(|s| s.application == application && s.expert == flag.expert && s.item == flag.item)
}

/// Which side a flagged score is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// 畸高
    High,
    /// 畸低
    Low,
}

/// A score far from the other experts' (never changes a score; settled by a reason or a resolution).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub expert: String,
    /// The item, or `None` for the total.
    pub item: Option<String>,
    pub direction: Direction,
    /// The expert's score (item score or total).
    pub value: Tenths,
    /// The mean of the other valid sheets' scores.
    pub others_mean: Ratio,
}

/// How an application's place was decided against another with the same exact final score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TieBreak {
    /// By the panel score of the tie-break groups (default 2+3+4).
    Subtotal,
    /// By the smaller panel deduction.
    Deduction,
    /// Not separable: 并列, same rank, the next rank skipped.
    Shared,
}

impl TieBreak {
    /// In words, for screens and paper: how an application was placed against another with the same final
    /// score, given the round's tie-break groups.
    pub fn reason_zh(self, tiebreak_groups: &[String]) -> String {
        let groups = tiebreak_groups.join("、");
        match self {
            TieBreak::Subtotal => format!("与他项同分，按第{groups}项一级指标的专家组评分排序"),
            TieBreak::Deduction => format!("与他项同分且第{groups}项一级指标的专家组评分相同，扣分较少者在前"),
            TieBreak::Shared => "并列：最终得分、一级指标得分与扣分均相同".into(),
        }
    }
}

/// The result for one application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationResult {
    pub code: String,
    pub status: Status,
    /// The upheld 否定性 item in force: a disqualifying one before one that zeroes, each kind in the rubric's
    /// order. `None` when the panel upheld none.
    pub veto: Option<AppliedVeto>,
    /// Experts with a valid sheet, and their totals (groups scored, deduction not included).
    pub totals: Vec<(String, Tenths)>,
    pub recused: Vec<String>,
    /// Assigned experts without a sheet.
    pub missing_experts: Vec<String>,
    pub panel_score: Option<Ratio>,
    /// Panel score of the tie-break groups.
    pub tiebreak_score: Option<Ratio>,
    pub deduction: Option<Ratio>,
    /// The deduction comes from a recorded panel resolution rather than the median.
    pub deduction_resolved: bool,
    /// Panel score − deduction (not below 0), or 0 when an upheld veto zeroes it. Kept, like the panel score
    /// and the deduction, for a disqualified application whose sheets are all in.
    pub final_score: Option<Ratio>,
    pub rank: Option<u32>,
    pub tie: Option<TieBreak>,
    pub flags: Vec<Flag>,
}

impl ApplicationResult {
    /// How many valid sheets count.
    pub fn valid_sheets(&self) -> usize {
        self.totals.len()
    }
}

/// Per-expert statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpertStats {
    pub expert: String,
    /// Mean over the expert's valid sheets of ranked applications of (their total − the panel score).
    pub leniency: Option<Ratio>,
    /// Spearman's rank correlation of the expert's totals with the panel's final scores, over the ranked
    /// applications the expert scored.
    pub spearman: Option<f64>,
}

/// The whole consolidation of a round.
#[derive(Clone, Debug, PartialEq)]
pub struct Consolidation {
    /// Ranked applications by rank (then code), then the disqualified ones by code, then the incomplete ones
    /// by code.
    pub applications: Vec<ApplicationResult>,
    /// Kendall's W (tie-corrected) over `w_experts`' orderings of the ranked applications; `None` with fewer
    /// than 2 such experts or 2 ranked applications.
    pub kendall_w: Option<Ratio>,
    /// The experts with a valid sheet for every ranked application.
    pub w_experts: Vec<String>,
    pub experts: Vec<ExpertStats>,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::High => "畸高",
            Direction::Low => "畸低",
        })
    }
}

/// A checked sheet: item scores by code, in rubric order.
struct Checked {
    items: BTreeMap<String, Tenths>,
    total: Tenths,
    deduction: Tenths,
}

fn check_cells(rubric: &Rubric, input: &PanelInput) -> Result<BTreeMap<(String, String), Option<Checked>>, ConsolidationError> {
    let experts: BTreeSet<&str> = input.experts.iter().map(String::as_str).collect();
    let apps: BTreeSet<&str> = input.applications.iter().map(String::as_str).collect();
    let mut cells = BTreeMap::new();
    for c in &input.cells {
        if !experts.contains(c.expert.as_str()) {
            return Err(ConsolidationError::UnknownExpert(c.expert.clone()));
        }
        if !apps.contains(c.application.as_str()) {
            return Err(ConsolidationError::UnknownApplication(c.application.clone()));
        }
        let checked = match &c.entry {
            Entry::Recused => None,
            Entry::Sheet(s) => Some(check_sheet(rubric, &c.expert, &c.application, s)?),
        };
        if cells.insert((c.expert.clone(), c.application.clone()), checked).is_some() {
            return Err(ConsolidationError::DuplicateCell { expert: c.expert.clone(), application: c.application.clone() });
        }
    }
    Ok(cells)
}

fn check_sheet(rubric: &Rubric, expert: &str, application: &str, s: &Sheet) -> Result<Checked, ConsolidationError> {
    let err = |error| ConsolidationError::Score { expert: expert.into(), application: application.into(), error };
    let mut items = BTreeMap::new();
    for (code, v) in &s.scores {
        check_score(rubric, code, *v).map_err(err)?;
        if items.insert(code.clone(), *v).is_some() {
            return Err(ConsolidationError::DuplicateItem { expert: expert.into(), application: application.into(), item: code.clone() });
        }
    }
    let missing: Vec<String> = rubric.items().filter(|i| !items.contains_key(&i.code)).map(|i| i.code.clone()).collect();
    if !missing.is_empty() {
        return Err(ConsolidationError::IncompleteSheet { expert: expert.into(), application: application.into(), missing });
    }
    if s.deduction != Tenths::ZERO {
        check_deduction(rubric, s.deduction).map_err(err)?;
    }
    for v in &s.vetoes {
        check_veto(rubric, &v.veto).map_err(err)?;
    }
    Ok(Checked { total: items.values().copied().sum(), items, deduction: s.deduction })
}

/// Aggregates per-sheet values by the round's rule (per-item trimming aggregates totals by trimmed mean here;
/// its per-item form is [`aggregate_items`]).
fn aggregate(settings: &Settings, values: &[Ratio]) -> Option<Ratio> {
    match settings.aggregation {
        Aggregation::Median => Ratio::median(values),
        Aggregation::TrimmedMean | Aggregation::PerItemTrimmedMean => trimmed_mean(values, settings.trim_min_sheets),
    }
}

/// The mean without one highest and one lowest value when there are at least `min` values.
pub fn trimmed_mean(values: &[Ratio], min: usize) -> Option<Ratio> {
    if values.len() >= min.max(3) {
        let mut v = values.to_vec();
        v.sort();
        Ratio::mean(&v[1..v.len() - 1])
    } else {
        Ratio::mean(values)
    }
}

/// The panel score of a set of items: by total, or by item under per-item trimming.
fn aggregate_items<'a>(settings: &Settings, sheets: &[&Checked], items: impl Iterator<Item = &'a str> + Clone) -> Option<Ratio> {
    if sheets.is_empty() {
        return None;
    }
    match settings.aggregation {
        Aggregation::PerItemTrimmedMean => {
            let mut sum = Ratio::ZERO;
            for code in items {
                let v: Vec<Ratio> = sheets.iter().map(|s| Ratio::from_tenths(s.items[code])).collect();
                sum = sum + trimmed_mean(&v, settings.trim_min_sheets)?;
            }
            Some(sum)
        }
        _ => {
            let totals: Vec<Ratio> = sheets.iter().map(|s| Ratio::from_tenths(items.clone().map(|c| s.items[c]).sum())).collect();
            aggregate(settings, &totals)
        }
    }
}

/// Consolidates a round.
pub fn consolidate(rubric: &Rubric, settings: &Settings, input: &PanelInput) -> Result<Consolidation, ConsolidationError> {
    let cells = check_cells(rubric, input)?;
    let mut resolutions: BTreeMap<&str, &DeductionResolution> = BTreeMap::new();
    for r in &input.resolutions {
        if !input.applications.contains(&r.application) {
            return Err(ConsolidationError::UnknownApplication(r.application.clone()));
        }
        check_deduction(rubric, r.deduction).map_err(|error| ConsolidationError::Resolution { application: r.application.clone(), error })?;
        resolutions.insert(&r.application, r);
    }
    for d in &input.vetoes {
        if !input.applications.contains(&d.application) {
            return Err(ConsolidationError::UnknownApplication(d.application.clone()));
        }
        check_veto(rubric, &d.veto).map_err(|error| ConsolidationError::Veto { application: d.application.clone(), error })?;
    }
    let all_items: Vec<&str> = rubric.items().map(|i| i.code.as_str()).collect();
    let tie_items: Vec<&str> =
        rubric.groups.iter().filter(|g| settings.tiebreak_groups.contains(&g.code)).flat_map(|g| g.items.iter().map(|i| i.code.as_str())).collect();

    let mut results = Vec::new();
    for app in &input.applications {
        let mut sheets: Vec<(&str, &Checked)> = Vec::new();
        let mut recused = Vec::new();
        let mut missing = Vec::new();
        for e in &input.experts {
            match cells.get(&(e.clone(), app.clone())) {
                Some(Some(c)) => sheets.push((e, c)),
                Some(None) => recused.push(e.clone()),
                None => missing.push(e.clone()),
            }
        }
        let only: Vec<&Checked> = sheets.iter().map(|(_, c)| *c).collect();
        // Every sheet is in: the application has scores (and is ranked unless disqualified).
        let scored = missing.is_empty() && !sheets.is_empty();
        let veto = applied_veto(rubric, &input.vetoes, app);
        let status = match &veto {
            Some(v) if v.effect == VetoEffect::Disqualify => Status::Disqualified,
            _ if scored => Status::Complete,
            _ => Status::Incomplete,
        };
        let zeroed = veto.as_ref().is_some_and(|v| v.effect == VetoEffect::Zero);
        let flags = flags(rubric, settings, &sheets);
        let (panel_score, tiebreak_score, deduction, final_score) = if scored {
            let panel = aggregate_items(settings, &only, all_items.iter().copied()).expect("sheets");
            let tie = aggregate_items(settings, &only, tie_items.iter().copied()).unwrap_or(Ratio::ZERO);
            let deduction = match resolutions.get(app.as_str()) {
                Some(r) => Ratio::from_tenths(r.deduction),
                None => Ratio::median(&only.iter().map(|c| Ratio::from_tenths(c.deduction)).collect::<Vec<_>>()).expect("sheets"),
            };
            let fin = if zeroed { Ratio::ZERO } else { (panel - deduction).max(Ratio::ZERO) };
            (Some(panel), Some(tie), Some(deduction), Some(fin))
        } else {
            (None, None, None, None)
        };
        results.push(ApplicationResult {
            code: app.clone(),
            status,
            veto,
            totals: sheets.iter().map(|(e, c)| (e.to_string(), c.total)).collect(),
            recused,
            missing_experts: missing,
            panel_score,
            tiebreak_score,
            deduction_resolved: scored && resolutions.contains_key(app.as_str()),
            deduction,
            final_score,
            rank: None,
            tie: None,
            flags,
        });
    }
    rank(&mut results);
    let (kendall_w, w_experts) = kendall(&input.experts, &results);
    let experts = input.experts.iter().map(|e| expert_stats(e, &results)).collect();
    Ok(Consolidation { applications: results, kendall_w, w_experts, experts })
}

/// The upheld 否定性 item in force for an application: of the decisions in force (the latest per item), the
/// upheld ones; a disqualifying item before one that zeroes, each kind in the rubric's order.
fn applied_veto(rubric: &Rubric, decisions: &[VetoDecision], application: &str) -> Option<AppliedVeto> {
    let upheld = |v: &&Veto| veto_decision_of(decisions, application, &v.code).is_some_and(|d| d.upheld);
    let veto = rubric
        .vetoes
        .iter()
        .filter(upheld)
        .find(|v| v.effect == VetoEffect::Disqualify)
        .or_else(|| rubric.vetoes.iter().filter(upheld).find(|v| v.effect == VetoEffect::Zero))?;
    let d = veto_decision_of(decisions, application, &veto.code).expect("upheld");
    Some(AppliedVeto {
        code: veto.code.clone(),
        text: veto.text.clone(),
        effect: veto.effect,
        reason: d.reason.clone(),
        votes_for: d.votes_for,
        votes_against: d.votes_against,
    })
}

/// Item and total flags of one application's valid sheets. The mean of the *other* sheets is
/// (sum − own) / (n − 1), so each application costs one pass per item.
fn flags(rubric: &Rubric, settings: &Settings, sheets: &[(&str, &Checked)]) -> Vec<Flag> {
    let mut out = Vec::new();
    let n = sheets.len() as i128;
    if n < 2 {
        return out;
    }
    let others_mean = |sum: i64, own: Tenths| Ratio::new((sum - own.0) as i128, 10 * (n - 1));
    let percent = Ratio::int(settings.item_flag_percent as i128);
    let item_sums: Vec<(&crate::rubric::Item, i64)> = rubric.items().map(|i| (i, sheets.iter().map(|(_, c)| c.items[&i.code].0).sum())).collect();
    let total_sum: i64 = sheets.iter().map(|(_, c)| c.total.0).sum();
    for (expert, sheet) in sheets {
        for (item, sum) in &item_sums {
            let v = sheet.items[&item.code];
            let mean = others_mean(*sum, v);
            let diff = Ratio::from_tenths(v) - mean;
            // |diff| > percent% × max, exactly.
            if diff.abs() * Ratio::int(100) > Ratio::from_tenths(item.points) * percent {
                let direction = if diff > Ratio::ZERO { Direction::High } else { Direction::Low };
                out.push(Flag { expert: expert.to_string(), item: Some(item.code.clone()), direction, value: v, others_mean: mean });
            }
        }
        let mean = others_mean(total_sum, sheet.total);
        let diff = Ratio::from_tenths(sheet.total) - mean;
        if diff.abs() > Ratio::from_tenths(settings.total_flag_points) {
            let direction = if diff > Ratio::ZERO { Direction::High } else { Direction::Low };
            out.push(Flag { expert: expert.to_string(), item: None, direction, value: sheet.total, others_mean: mean });
        }
    }
    out
}

/// Orders the results and gives ranks: final score, then the tie-break groups' panel score, then the smaller
/// deduction; what is still equal shares a rank (1, 2, 2, 4). Disqualified applications follow, then the
/// incomplete ones, each by code.
fn rank(results: &mut [ApplicationResult]) {
    use std::cmp::Ordering;
    let key = |r: &ApplicationResult| (r.final_score, r.tiebreak_score, r.deduction);
    let place = |s: Status| match s {
        Status::Complete => 0,
        Status::Disqualified => 1,
        Status::Incomplete => 2,
    };
    let order = |a: &ApplicationResult, b: &ApplicationResult| -> Ordering {
        match (a.status, b.status) {
            (x, y) if x != y => place(x).cmp(&place(y)),
            (Status::Incomplete | Status::Disqualified, _) => a.code.cmp(&b.code),
            _ => b
                .final_score
                .cmp(&a.final_score)
                .then(b.tiebreak_score.cmp(&a.tiebreak_score))
                .then(a.deduction.cmp(&b.deduction))
                .then(a.code.cmp(&b.code)),
        }
    };
    results.sort_by(order);
    let complete = results.iter().take_while(|r| r.status == Status::Complete).count();
    for i in 0..complete {
        let rank = if i > 0 && key(&results[i]) == key(&results[i - 1]) { results[i - 1].rank.expect("ranked") } else { i as u32 + 1 };
        results[i].rank = Some(rank);
    }
    for i in 0..complete {
        let me = &results[i];
        let same_final: Vec<&ApplicationResult> =
            results[..complete].iter().enumerate().filter(|(j, r)| *j != i && r.final_score == me.final_score).map(|(_, r)| r).collect();
        let tie = if same_final.is_empty() {
            None
        } else if same_final.iter().any(|r| key(r) == key(me)) {
            Some(TieBreak::Shared)
        } else if same_final.iter().any(|r| r.tiebreak_score == me.tiebreak_score) {
            Some(TieBreak::Deduction)
        } else {
            Some(TieBreak::Subtotal)
        };
        results[i].tie = tie;
    }
}

/// Ranks of values, highest first (rank 1), ties sharing the average rank.
fn average_ranks<T: Ord>(values: &[T]) -> Vec<Ratio> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].cmp(&values[a]));
    let mut ranks = vec![Ratio::ZERO; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start+1 … end, averaged.
        let rank = Ratio::new((start + 1 + end) as i128, 2);
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Kendall's W over the experts with a valid sheet for every ranked application.
fn kendall(experts: &[String], results: &[ApplicationResult]) -> (Option<Ratio>, Vec<String>) {
    let ranked: Vec<&ApplicationResult> = results.iter().filter(|r| r.rank.is_some()).collect();
    let total_of = |r: &ApplicationResult, e: &str| r.totals.iter().find(|(x, _)| x == e).map(|(_, t)| *t);
    let w_experts: Vec<String> = experts.iter().filter(|e| ranked.iter().all(|r| total_of(r, e).is_some())).cloned().collect();
    let (m, n) = (w_experts.len() as i128, ranked.len() as i128);
    if m < 2 || n < 2 {
        return (None, w_experts);
    }
    let mut rank_sums = vec![Ratio::ZERO; ranked.len()];
    let mut ties = 0i128;
    for e in &w_experts {
        let totals: Vec<Tenths> = ranked.iter().map(|r| total_of(r, e).expect("checked")).collect();
        for (i, r) in average_ranks(&totals).into_iter().enumerate() {
            rank_sums[i] = rank_sums[i] + r;
        }
        let mut counts: BTreeMap<Tenths, i128> = BTreeMap::new();
        for t in totals {
            *counts.entry(t).or_default() += 1;
        }
        ties += counts.values().map(|t| t * t * t - t).sum::<i128>();
    }
    let mean = Ratio::new(m * (n + 1), 2);
    let s = rank_sums.iter().fold(Ratio::ZERO, |acc, r| acc + (*r - mean) * (*r - mean));
    let denom = m * m * (n * n * n - n) - m * ties;
    if denom == 0 {
        return (None, w_experts);
    }
    (Some(s * Ratio::int(12) / Ratio::int(denom)), w_experts)
}

fn expert_stats(expert: &str, results: &[ApplicationResult]) -> ExpertStats {
    let mine: Vec<(Tenths, Ratio, Ratio)> = results
        .iter()
        .filter_map(|r| {
            let total = r.totals.iter().find(|(e, _)| e == expert)?.1;
            r.rank?;
            Some((total, r.panel_score?, r.final_score?))
        })
        .collect();
    let leniency = Ratio::mean(&mine.iter().map(|(t, p, _)| Ratio::from_tenths(*t) - *p).collect::<Vec<_>>());
    let spearman = if mine.len() < 2 {
        None
    } else {
        let a = average_ranks(&mine.iter().map(|(t, _, _)| *t).collect::<Vec<_>>());
        let b = average_ranks(&mine.iter().map(|(_, _, f)| *f).collect::<Vec<_>>());
        pearson(&a, &b)
    };
    ExpertStats { expert: expert.to_string(), leniency, spearman }
}

/// Pearson correlation of two rank vectors: exact sums, one square root at the end.
fn pearson(a: &[Ratio], b: &[Ratio]) -> Option<f64> {
    let ma = Ratio::mean(a)?;
    let mb = Ratio::mean(b)?;
    let (mut sab, mut saa, mut sbb) = (Ratio::ZERO, Ratio::ZERO, Ratio::ZERO);
    for (x, y) in a.iter().zip(b) {
        let (dx, dy) = (*x - ma, *y - mb);
        sab = sab + dx * dy;
        saa = saa + dx * dx;
        sbb = sbb + dy * dy;
    }
    if saa == Ratio::ZERO || sbb == Ratio::ZERO {
        return None;
    }
    Some(sab.to_f64() / (saa.to_f64() * sbb.to_f64()).sqrt())
}

#[cfg(test)]
mod tests;
