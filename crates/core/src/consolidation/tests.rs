//! Consolidation by hand-checkable examples, then by properties.

use super::*;
use crate::rubric;

/// Four one-item groups of 5 points (total 20), step 0.5, deduction cap 10.
const SMALL: &str = include_str!("../../../../tests/consolidation/rubric-small/rubric.toml");

fn small() -> Rubric {
    rubric::parse(SMALL).unwrap()
}

/// A sheet from item scores in tenths (1.1, 2.1, 3.1, 4.1) and a deduction in tenths.
fn sheet(items: [i64; 4], deduction: i64) -> Entry {
    Entry::Sheet(Sheet {
        scores: ["1.1", "2.1", "3.1", "4.1"].iter().zip(items).map(|(c, v)| (c.to_string(), Tenths(v))).collect(),
        deduction: Tenths(deduction),
        vetoes: vec![],
    })
}

fn cell(e: &str, a: &str, entry: Entry) -> Cell {
    Cell { expert: e.into(), application: a.into(), entry }
}

fn experts(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("E{i:02}")).collect()
}

fn run(input: &PanelInput) -> Consolidation {
    consolidate(&small(), &Settings::default(), input).unwrap()
}

fn app<'a>(c: &'a Consolidation, code: &str) -> &'a ApplicationResult {
    c.applications.iter().find(|a| a.code == code).unwrap()
}

#[test]
fn fewer_than_five_sheets_take_the_plain_mean() {
    // Totals 10, 12, 17 → 13.
    let input = PanelInput {
        experts: experts(3),
        applications: vec!["A01".into()],
        cells: vec![
            cell("E01", "A01", sheet([25, 25, 25, 25], 0)),
            cell("E02", "A01", sheet([30, 30, 30, 30], 0)),
            cell("E03", "A01", sheet([45, 40, 40, 45], 0)),
        ],
        resolutions: vec![],
        vetoes: vec![],
    };
    let c = run(&input);
    let a = app(&c, "A01");
    assert_eq!(a.panel_score.unwrap().round_half_up(2), "13.00");
    assert_eq!(a.rank, Some(1));
    assert_eq!(a.status, Status::Complete);
}

#[test]
fn five_or_more_sheets_drop_one_highest_and_one_lowest() {
    // Totals 10, 12, 13, 14, 20 → (12 + 13 + 14) / 3 = 13.
    let totals = [[25, 25, 25, 25], [30, 30, 30, 30], [35, 35, 30, 30], [35, 35, 35, 35], [50, 50, 50, 50]];
    let cells = totals.iter().enumerate().map(|(i, t)| cell(&format!("E{:02}", i + 1), "A01", sheet(*t, 0))).collect();
    let c = run(&PanelInput { experts: experts(5), applications: vec!["A01".into()], cells, resolutions: vec![], vetoes: vec![] });
    assert_eq!(app(&c, "A01").panel_score, Some(Ratio::int(13)));

    // Seven: totals 5..=11 and one 20 → drop 5 and 20.
    let t7 = [[10, 10, 10, 20], [20, 10, 10, 20], [20, 20, 10, 20], [20, 20, 20, 20], [30, 20, 20, 20], [30, 30, 20, 20], [50, 50, 50, 50]];
    let cells = t7.iter().enumerate().map(|(i, t)| cell(&format!("E{:02}", i + 1), "A01", sheet(*t, 0))).collect();
    let c = run(&PanelInput { experts: experts(7), applications: vec!["A01".into()], cells, resolutions: vec![], vetoes: vec![] });
    // Totals 5, 6, 7, 8, 9, 10, 20 → mean of 6..=10 = 8.
    assert_eq!(app(&c, "A01").panel_score, Some(Ratio::int(8)));
}

#[test]
fn the_88_125_case_rounds_half_up() {
    // A 4-item rubric cannot total 88; use the Henan rubric with four sheets: totals 88, 88.5, 88, 88 → 88.125.
    let henan = rubric::parse(include_str!("../../../../rubrics/henan-2023/rubric.toml")).unwrap();
    let full = |extra_half: bool| {
        // Start from full marks (100) and take 12 points off item 2.2 (6 → 0) and 6.x (10 → 4) … simpler: scale.
        let mut scores: Vec<(String, Tenths)> = henan.items().map(|i| (i.code.clone(), i.points)).collect();
        // 100 → 88: take 6 off 2.2 (6→0), 5 off 2.3 (5→0), 1 off 1.1 (5→4).
        for (code, v) in scores.iter_mut() {
            match code.as_str() {
                "2.2" | "2.3" => *v = Tenths(0),
                "1.1" => *v = Tenths(if extra_half { 45 } else { 40 }),
                _ => {}
            }
        }
        Entry::Sheet(Sheet { scores, deduction: Tenths(0), vetoes: vec![] })
    };
    let input = PanelInput {
        experts: experts(4),
        applications: vec!["A01".into()],
        cells: vec![
            cell("E01", "A01", full(false)),
            cell("E02", "A01", full(true)),
            cell("E03", "A01", full(false)),
            cell("E04", "A01", full(false)),
        ],
        resolutions: vec![],
        vetoes: vec![],
    };
    let c = consolidate(&henan, &Settings::default(), &input).unwrap();
    let a = app(&c, "A01");
    assert_eq!(a.panel_score, Some(Ratio::new(88125, 1000)));
    assert_eq!(a.final_score.unwrap().to_string(), "88.13");
    // Binary floating point gets this one wrong.
    assert_eq!(format!("{:.2}", 88.125f64), "88.12");
}

#[test]
fn recused_cells_do_not_count_and_a_missing_sheet_makes_the_application_incomplete() {
    let input = PanelInput {
        experts: experts(3),
        applications: vec!["A01".into(), "A02".into()],
        cells: vec![
            cell("E01", "A01", sheet([40, 40, 40, 40], 0)),
            cell("E02", "A01", Entry::Recused),
            cell("E03", "A01", sheet([30, 30, 30, 30], 0)),
            cell("E01", "A02", sheet([50, 50, 50, 50], 0)),
            cell("E02", "A02", sheet([50, 50, 50, 50], 0)),
            // E03 has no sheet for A02.
        ],
        resolutions: vec![],
        vetoes: vec![],
    };
    let c = run(&input);
    let a1 = app(&c, "A01");
    assert_eq!((a1.valid_sheets(), a1.recused.clone()), (2, vec!["E02".to_string()]));
    assert_eq!(a1.panel_score, Some(Ratio::int(14)));
    assert_eq!(a1.rank, Some(1), "A02 is not ranked, so A01 is first");
    let a2 = app(&c, "A02");
    assert_eq!(a2.status, Status::Incomplete);
    assert_eq!(a2.missing_experts, vec!["E03".to_string()]);
    assert_eq!((a2.rank, a2.panel_score), (None, None));
    assert_eq!(c.applications.last().unwrap().code, "A02", "incomplete ones come last");
}

#[test]
fn the_panel_deduction_is_the_median_and_a_resolution_replaces_it() {
    let mk = |deds: [i64; 5]| PanelInput {
        experts: experts(5),
        applications: vec!["A01".into()],
        cells: deds.iter().enumerate().map(|(i, d)| cell(&format!("E{:02}", i + 1), "A01", sheet([40, 40, 40, 40], *d))).collect(),
        resolutions: vec![],
        vetoes: vec![],
    };
    // A minority proposing a deduction changes nothing.
    assert_eq!(app(&run(&mk([0, 0, 0, 20, 30])), "A01").deduction, Some(Ratio::ZERO));
    // A majority does: median of 0, 0, 20, 20, 30 = 2.
    let c = run(&mk([0, 20, 20, 30, 0]));
    assert_eq!(app(&c, "A01").deduction, Some(Ratio::int(2)));
    assert_eq!(app(&c, "A01").final_score, Some(Ratio::int(14)));
    // Even count: the mean of the two middle values.
    let four = PanelInput {
        experts: experts(4),
        applications: vec!["A01".into()],
        cells: [0, 10, 20, 30].iter().enumerate().map(|(i, d)| cell(&format!("E{:02}", i + 1), "A01", sheet([40, 40, 40, 40], *d))).collect(),
        resolutions: vec![],
        vetoes: vec![],
    };
    assert_eq!(app(&run(&four), "A01").deduction, Some(Ratio::new(3, 2)));
    // A recorded resolution replaces the median.
    let mut resolved = mk([0, 20, 20, 30, 0]);
    resolved.resolutions.push(DeductionResolution {
        application: "A01".into(),
        deduction: Tenths(5),
        votes_for: 4,
        votes_against: 1,
        reason: "情节较轻".into(),
    });
    let c = run(&resolved);
    assert_eq!((app(&c, "A01").deduction, app(&c, "A01").deduction_resolved), (Some(Ratio::new(1, 2)), true));
}

#[test]
fn the_final_score_never_goes_below_zero() {
    let input = PanelInput {
        experts: experts(1),
        applications: vec!["A01".into()],
        cells: vec![cell("E01", "A01", sheet([10, 10, 0, 0], 100))],
        resolutions: vec![],
        vetoes: vec![],
    };
    assert_eq!(app(&run(&input), "A01").final_score, Some(Ratio::ZERO));
}

#[test]
fn ties_are_broken_by_groups_2_3_4_then_the_smaller_deduction_then_shared() {
    // Four applications, one expert each... use two experts to keep means exact.
    let both = |a: &str, items: [i64; 4], d: i64| vec![cell("E01", a, sheet(items, d)), cell("E02", a, sheet(items, d))];
    let mut cells = Vec::new();
    cells.extend(both("A01", [50, 30, 30, 30], 0)); // final 14, groups 2–4: 9
    cells.extend(both("A02", [20, 40, 40, 40], 0)); // final 14, groups 2–4: 12 → ahead of A01
    cells.extend(both("A03", [30, 40, 40, 40], 10)); // 15 − 1 = 14, groups 2–4: 12, deduction 1 → behind A02
    cells.extend(both("A04", [50, 30, 30, 30], 0)); // identical to A01 → 并列
    cells.extend(both("A05", [10, 10, 10, 10], 0)); // 4: last, rank 5
    let input =
        PanelInput { experts: experts(2), applications: (1..=5).map(|i| format!("A0{i}")).collect(), cells, resolutions: vec![], vetoes: vec![] };
    let c = run(&input);
    let order: Vec<(&str, Option<u32>, Option<TieBreak>)> = c.applications.iter().map(|a| (a.code.as_str(), a.rank, a.tie)).collect();
    assert_eq!(
        order,
        [
            ("A02", Some(1), Some(TieBreak::Deduction)),
            ("A03", Some(2), Some(TieBreak::Deduction)),
            ("A01", Some(3), Some(TieBreak::Shared)),
            ("A04", Some(3), Some(TieBreak::Shared)),
            ("A05", Some(5), None),
        ]
    );
}

#[test]
fn flags_are_strictly_beyond_the_thresholds() {
    // Item 1.1 (max 5): 25 % = 1.25. Others' mean 3 → 4.25 is not flagged, 4.5 is.
    let input = |v: i64| PanelInput {
        experts: experts(3),
        applications: vec!["A01".into()],
        cells: vec![
            cell("E01", "A01", sheet([30, 30, 30, 30], 0)),
            cell("E02", "A01", sheet([30, 30, 30, 30], 0)),
            cell("E03", "A01", sheet([v, 30, 30, 30], 0)),
        ],
        resolutions: vec![],
        vetoes: vec![],
    };
    let flagged =
        |v: i64| app(&run(&input(v)), "A01").flags.iter().filter(|f| f.expert == "E03").map(|f| (f.item.clone(), f.direction)).collect::<Vec<_>>();
    assert!(flagged(40).is_empty());
    assert_eq!(flagged(45), vec![(Some("1.1".to_string()), Direction::High)]);
    assert_eq!(flagged(15), vec![(Some("1.1".to_string()), Direction::Low)]);

    // Totals: others' mean 12; 15 points away → not flagged at exactly 15 … use a wider rubric? The small
    // rubric's totals span 0–20, so with a 3-point threshold: 12 vs 15 is not flagged, 12 vs 15.5 is.
    let settings = Settings { total_flag_points: Tenths(30), ..Settings::default() };
    let mk = |t: [i64; 4]| PanelInput {
        experts: experts(3),
        applications: vec!["A01".into()],
        cells: vec![cell("E01", "A01", sheet([30, 30, 30, 30], 0)), cell("E02", "A01", sheet([30, 30, 30, 30], 0)), cell("E03", "A01", sheet(t, 0))],
        resolutions: vec![],
        vetoes: vec![],
    };
    let total_flags = |t: [i64; 4]| {
        consolidate(&small(), &settings, &mk(t)).unwrap().applications[0].flags.iter().filter(|f| f.item.is_none() && f.expert == "E03").count()
    };
    assert_eq!(total_flags([40, 40, 40, 30]), 0, "exactly 3 points above is not beyond");
    assert_eq!(total_flags([40, 40, 40, 35]), 1);
    // No flags with a single valid sheet.
    let one = PanelInput {
        experts: experts(1),
        applications: vec!["A01".into()],
        cells: vec![cell("E01", "A01", sheet([0, 0, 0, 0], 0))],
        resolutions: vec![],
        vetoes: vec![],
    };
    assert!(app(&run(&one), "A01").flags.is_empty());
}

#[test]
fn kendall_w_is_one_when_everyone_agrees_and_matches_a_hand_computation() {
    let grid = |rows: &[[i64; 3]]| {
        // rows[e][a] = every item's score for expert e on application a.
        let mut cells = Vec::new();
        for (e, row) in rows.iter().enumerate() {
            for (a, v) in row.iter().enumerate() {
                cells.push(cell(&format!("E{:02}", e + 1), &format!("A0{}", a + 1), sheet([*v; 4], 0)));
            }
        }
        PanelInput {
            experts: experts(rows.len()),
            applications: vec!["A01".into(), "A02".into(), "A03".into()],
            cells,
            resolutions: vec![],
            vetoes: vec![],
        }
    };
    let agree = run(&grid(&[[50, 40, 30], [45, 35, 20], [40, 30, 10]]));
    assert_eq!(agree.kendall_w, Some(Ratio::int(1)));
    for e in &agree.experts {
        assert!((e.spearman.unwrap() - 1.0).abs() < 1e-12);
    }
    // Expert ranks (1 = best): E1 1,2,3; E2 1,3,2; E3 2,1,3 → R = 4, 6, 8; mean 6; S = 8;
    // W = 12·8 / (9·(27 − 3)) = 96 / 216 = 4/9.
    let c = run(&grid(&[[50, 40, 30], [50, 30, 40], [40, 50, 30]]));
    assert_eq!(c.kendall_w, Some(Ratio::new(4, 9)));
    assert_eq!(c.kendall_w.unwrap().round_half_up(4), "0.4444");
    // With ties: E1 ties A01 and A02 (ranks 1.5, 1.5, 3); E2 1, 2, 3. R = 2.5, 3.5, 6; mean 4; S = 2.25 + 0.25 + 4 = 6.5;
    // T = 2³ − 2 = 6; W = 12·6.5 / (4·24 − 2·6) = 78 / 84 = 13/14.
    let c = run(&grid(&[[50, 50, 30], [50, 40, 30]]));
    assert_eq!(c.kendall_w, Some(Ratio::new(13, 14)));
}

#[test]
fn leniency_is_the_mean_distance_from_the_panel() {
    let input = PanelInput {
        experts: experts(2),
        applications: vec!["A01".into(), "A02".into()],
        cells: vec![
            cell("E01", "A01", sheet([40, 40, 40, 40], 0)), // 16
            cell("E02", "A01", sheet([30, 30, 30, 30], 0)), // 12 → panel 14
            cell("E01", "A02", sheet([30, 30, 30, 30], 0)), // 12
            cell("E02", "A02", sheet([20, 20, 20, 20], 0)), // 8 → panel 10
        ],
        resolutions: vec![],
        vetoes: vec![],
    };
    let c = run(&input);
    assert_eq!(c.experts[0].leniency, Some(Ratio::int(2)));
    assert_eq!(c.experts[1].leniency, Some(Ratio::int(-2)));
}

#[test]
fn malformed_input_is_refused_by_the_core() {
    let base = |entry: Entry| PanelInput {
        experts: experts(1),
        applications: vec!["A01".into()],
        cells: vec![cell("E01", "A01", entry)],
        resolutions: vec![],
        vetoes: vec![],
    };
    let err = |input: PanelInput| consolidate(&small(), &Settings::default(), &input).unwrap_err().to_string();
    assert!(err(base(sheet([51, 0, 0, 0], 0))).contains("超出范围"));
    assert!(err(base(sheet([43, 0, 0, 0], 0))).contains("整数倍"));
    assert!(err(base(sheet([0, 0, 0, 0], 105))).contains("扣分"));
    let incomplete = Entry::Sheet(Sheet { scores: vec![("1.1".into(), Tenths(10))], deduction: Tenths(0), vetoes: vec![] });
    assert!(err(base(incomplete)).contains("缺少观测点 2.1、3.1、4.1"));
    let mut dup = base(sheet([0, 0, 0, 0], 0));
    dup.cells.push(cell("E01", "A01", Entry::Recused));
    assert!(err(dup).contains("两份"));
    let mut stranger = base(sheet([0, 0, 0, 0], 0));
    stranger.cells[0].expert = "E99".into();
    assert!(err(stranger).contains("E99"));
}

#[test]
fn per_item_trimming_and_median_are_available() {
    // Five sheets; item 1.1 has one outlier high, item 2.1 one outlier low.
    let rows = [[50, 10, 20, 20], [20, 40, 20, 20], [20, 40, 20, 20], [20, 40, 20, 20], [20, 40, 20, 20]];
    let input = PanelInput {
        experts: experts(5),
        applications: vec!["A01".into()],
        cells: rows.iter().enumerate().map(|(i, r)| cell(&format!("E{:02}", i + 1), "A01", sheet(*r, 0))).collect(),
        resolutions: vec![],
        vetoes: vec![],
    };
    let per_item = Settings { aggregation: Aggregation::PerItemTrimmedMean, ..Settings::default() };
    // Per item: 2 + 4 + 2 + 2 = 10.
    assert_eq!(consolidate(&small(), &per_item, &input).unwrap().applications[0].panel_score, Some(Ratio::int(10)));
    // By total (totals 10, 10, 10, 10, 10 … all 10): 10 as well; median likewise.
    let median = Settings { aggregation: Aggregation::Median, ..Settings::default() };
    assert_eq!(consolidate(&small(), &median, &input).unwrap().applications[0].panel_score, Some(Ratio::int(10)));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn panel() -> impl Strategy<Value = PanelInput> {
        // 2–7 experts, 2–6 applications, item scores on the 0.5 step, a few recusals.
        (2usize..=7, 2usize..=6).prop_flat_map(|(m, n)| {
            proptest::collection::vec((proptest::array::uniform4(0i64..=10), 0i64..=4, 0u8..10), m * n).prop_map(move |cells| {
                let mut out = Vec::new();
                for (k, (items, ded, r)) in cells.into_iter().enumerate() {
                    let (e, a) = (k / n, k % n);
                    let entry = if r == 0 && e > 0 { Entry::Recused } else { sheet(items.map(|x| x * 5), ded * 5) };
                    out.push(cell(&format!("E{:02}", e + 1), &format!("A{:02}", a + 1), entry));
                }
                PanelInput {
                    experts: experts(m),
                    applications: (1..=n).map(|a| format!("A{a:02}")).collect(),
                    cells: out,
                    resolutions: vec![],
                    vetoes: vec![],
                }
            })
        })
    }

    fn ranking(c: &Consolidation) -> Vec<(String, Option<u32>, Option<Ratio>)> {
        let mut v: Vec<_> = c.applications.iter().map(|a| (a.code.clone(), a.rank, a.final_score)).collect();
        v.sort();
        v
    }

    proptest! {
        #[test]
        fn ranking_does_not_depend_on_input_order(input in panel(), seed in any::<u64>()) {
            let mut shuffled = input.clone();
            // A deterministic shuffle of cells, experts and applications.
            let mut s = seed;
            let mut next = || { s ^= s << 13; s ^= s >> 7; s ^= s << 17; s };
            for v in [&mut shuffled.experts, &mut shuffled.applications] {
                for i in (1..v.len()).rev() { let j = (next() % (i as u64 + 1)) as usize; v.swap(i, j); }
            }
            for i in (1..shuffled.cells.len()).rev() { let j = (next() % (i as u64 + 1)) as usize; shuffled.cells.swap(i, j); }
            let a = run(&input);
            let b = run(&shuffled);
            prop_assert_eq!(ranking(&a), ranking(&b));
            prop_assert_eq!(a.kendall_w, b.kendall_w);
        }

        #[test]
        fn the_panel_score_lies_between_the_lowest_and_highest_total(input in panel()) {
            for a in run(&input).applications {
                if let Some(p) = a.panel_score {
                    let min = a.totals.iter().map(|(_, t)| *t).min().unwrap();
                    let max = a.totals.iter().map(|(_, t)| *t).max().unwrap();
                    prop_assert!(Ratio::from_tenths(min) <= p && p <= Ratio::from_tenths(max));
                }
            }
        }

        #[test]
        fn kendall_w_lies_in_zero_to_one(input in panel()) {
            if let Some(w) = run(&input).kendall_w {
                prop_assert!(Ratio::ZERO <= w && w <= Ratio::int(1), "W = {:?}", w);
            }
        }

        #[test]
        fn w_is_one_when_every_expert_orders_alike(m in 2usize..6, base in proptest::collection::vec(0i64..=10, 2..6)) {
            let n = base.len();
            let mut cells = Vec::new();
            for e in 0..m {
                for (a, b) in base.iter().enumerate() {
                    cells.push(cell(&format!("E{:02}", e + 1), &format!("A{:02}", a + 1), sheet([b * 5; 4], 0)));
                }
            }
            let input = PanelInput { experts: experts(m), applications: (1..=n).map(|a| format!("A{a:02}")).collect(), cells, resolutions: vec![], vetoes: vec![] };
            let w = run(&input).kendall_w;
            let all_equal = base.iter().all(|b| *b == base[0]);
            prop_assert_eq!(w, if all_equal { None } else { Some(Ratio::int(1)) });
        }

        #[test]
        fn rounding_is_half_up_on_generated_halves(whole in 0i128..1000, hundredths in 0i128..100, last in prop_oneof![Just(5i128), Just(25), Just(75)]) {
            // x.yy5, x.y25, x.y75 style values: three decimals, the last digit 5.
            let thousandths = if last == 5 { hundredths * 10 + 5 } else { (hundredths / 10) * 100 + last };
            let v = Ratio::new(whole * 1000 + thousandths, 1000);
            let expected_hundredths = whole * 100 + (thousandths + 5) / 10;
            let text = v.round_half_up(2);
            prop_assert_eq!(text, format!("{}.{:02}", expected_hundredths / 100, expected_hundredths % 100));
        }
    }
}

#[test]
fn the_method_is_one_sentence_in_chinese() {
    let m = Settings::default().method_zh(&[]);
    assert!(m.contains("去掉一个最高总分和一个最低总分") && m.contains("中位数") && m.contains("第2、3、4项一级指标"), "{m}");
    assert!(!m.contains("否定性"), "{m}");
}

#[test]
fn settings_are_checked_against_the_rubric() {
    assert!(Settings::default().check(&small()).is_ok());
    let bad = Settings {
        trim_min_sheets: 2,
        item_flag_percent: 120,
        total_flag_points: Tenths(300),
        tiebreak_groups: vec!["9".into()],
        ..Settings::default()
    };
    let problems = bad.check(&small()).unwrap_err();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("一级指标 9")));
}

#[test]
fn the_latest_settlement_of_the_same_expert_and_item_stands() {
    let flag = |item: Option<&str>| Flag {
        expert: "E01".into(),
        item: item.map(str::to_string),
        direction: Direction::High,
        value: Tenths(50),
        others_mean: Ratio::from_tenths(Tenths(20)),
    };
    let s = |app: &str, expert: &str, item: Option<&str>, text: &str| Settlement {
        application: app.into(),
        expert: expert.into(),
        item: item.map(str::to_string),
        text: text.into(),
        ..Settlement::default()
    };
    let all = [
        s("A01", "E01", Some("1.1"), "first"),
        s("A01", "E01", None, "total"),
        s("A01", "E01", Some("1.1"), "second"),
        s("A02", "E01", Some("1.1"), "other application"),
        s("A01", "E02", Some("1.1"), "other expert"),
    ];
    assert_eq!(settlement_of(&all, "A01", &flag(Some("1.1"))).map(|s| s.text.as_str()), Some("second"));
    assert_eq!(settlement_of(&all, "A01", &flag(None)).map(|s| s.text.as_str()), Some("total"));
    assert_eq!(settlement_of(&all, "A03", &flag(None)), None);
    assert_eq!(settlement_of(&all, "A01", &flag(Some("2.1"))), None);
}

/// rubric-small with V1 (disqualify, 申报材料弄虚作假) and V2 (zero, 近三年发生重大安全事故).
fn with_vetoes() -> Rubric {
    rubric::parse(include_str!("../../../../tests/consolidation/rubric-vetoes/rubric.toml")).unwrap()
}

/// A sheet with all four items at `v` tenths and the expert's veto proposals.
fn proposing(v: i64, vetoes: &[(&str, &str)]) -> Entry {
    let Entry::Sheet(mut s) = sheet([v; 4], 0) else { unreachable!() };
    s.vetoes = vetoes.iter().map(|(veto, reason)| VetoProposal { veto: veto.to_string(), reason: reason.to_string() }).collect();
    Entry::Sheet(s)
}

fn decision(app: &str, veto: &str, upheld: bool, votes: (u32, u32), reason: &str) -> VetoDecision {
    VetoDecision { application: app.into(), veto: veto.into(), upheld, votes_for: votes.0, votes_against: votes.1, reason: reason.into() }
}

#[test]
fn upheld_vetoes_disqualify_or_zero_and_only_the_latest_decision_counts() {
    let apps: Vec<String> = (1..=6).map(|i| format!("A0{i}")).collect();
    let mut cells = Vec::new();
    for e in experts(3) {
        // A01: 14 from everyone. A03: 12 from everyone. A04: 18 from everyone. A06: only E01 has a sheet.
        cells.push(cell(&e, "A01", proposing(35, &[])));
        cells.push(cell(&e, "A03", proposing(30, if e == "E02" { &[("V2", "2022年发生重大安全事故")] } else { &[] })));
        cells.push(cell(&e, "A04", proposing(45, if e == "E03" { &[("V1", "疑似伪造协议")] } else { &[] })));
    }
    // A02: 16, 16 and 12 (E01 proposes V1); A05: E01 and E02 only (E03 has no sheet), V1 upheld.
    cells.push(cell("E01", "A02", proposing(40, &[("V1", "合作协议系伪造")])));
    cells.push(cell("E02", "A02", proposing(40, &[])));
    cells.push(cell("E03", "A02", proposing(30, &[])));
    cells.push(cell("E01", "A05", proposing(40, &[])));
    cells.push(cell("E02", "A05", proposing(40, &[])));
    cells.push(cell("E01", "A06", proposing(40, &[])));
    let input = PanelInput {
        experts: experts(3),
        applications: apps,
        cells,
        resolutions: vec![],
        vetoes: vec![
            decision("A04", "V1", true, (2, 1), "初议成立"),
            decision("A02", "V1", true, (3, 0), "经核实合作协议系伪造"),
            decision("A03", "V2", true, (2, 1), "应急管理部门通报属实"),
            decision("A05", "V1", true, (3, 0), "冒用企业公章"),
            // Reconsidered: the latest decision on A04's V1 does not uphold it.
            decision("A04", "V1", false, (1, 2), "复议：协议经核实为真"),
        ],
    };
    let c = consolidate(&with_vetoes(), &Settings::default(), &input).unwrap();
    let order: Vec<(&str, Status, Option<u32>, Option<String>)> =
        c.applications.iter().map(|a| (a.code.as_str(), a.status, a.rank, a.final_score.map(|f| f.round_half_up(2)))).collect();
    assert_eq!(
        order,
        [
            ("A04", Status::Complete, Some(1), Some("18.00".into())),
            ("A01", Status::Complete, Some(2), Some("14.00".into())),
            // Zeroed: ranked, as 0, with its panel score and deduction kept.
            ("A03", Status::Complete, Some(3), Some("0.00".into())),
            // Disqualified: after the ranked ones, scores kept for the record ((16 + 16 + 12) / 3), no rank.
            ("A02", Status::Disqualified, None, Some("14.67".into())),
            // Disqualified with a sheet missing: no scores, still listed as disqualified, before 待补.
            ("A05", Status::Disqualified, None, None),
            ("A06", Status::Incomplete, None, None),
        ]
    );
    let a03 = app(&c, "A03");
    assert_eq!((a03.panel_score.unwrap().round_half_up(2), a03.deduction.unwrap().round_half_up(2)), ("12.00".into(), "0.00".into()));
    let v = a03.veto.as_ref().unwrap();
    assert_eq!((v.code.as_str(), v.text.as_str(), v.effect), ("V2", "近三年发生重大安全事故", VetoEffect::Zero));
    assert_eq!((v.reason.as_str(), v.votes_for, v.votes_against), ("应急管理部门通报属实", 2, 1));
    let a02 = app(&c, "A02");
    assert_eq!(a02.panel_score.unwrap().round_half_up(2), "14.67");
    assert_eq!(a02.veto.as_ref().map(|v| (v.code.as_str(), v.reason.as_str())), Some(("V1", "经核实合作协议系伪造")));
    assert_eq!(app(&c, "A05").missing_experts, ["E03"]);
    assert_eq!(app(&c, "A04").veto, None, "the reconsidered decision does not uphold it");
    assert_eq!(app(&c, "A01").veto, None);
    // Statistics are over the ranked applications only: everyone agrees on A04 > A01 > A03, and E03's 12 on
    // the disqualified A02 does not make them stricter.
    assert_eq!(c.kendall_w, Some(Ratio::int(1)));
    assert!(c.experts.iter().all(|e| e.leniency == Some(Ratio::ZERO)), "{:?}", c.experts);
}

#[test]
fn a_disqualifying_veto_wins_over_one_that_zeroes_and_a_veto_not_upheld_changes_nothing() {
    let input = |vetoes: Vec<VetoDecision>| PanelInput {
        experts: experts(1),
        applications: vec!["A01".into(), "A02".into()],
        cells: vec![cell("E01", "A01", proposing(40, &[("V2", "事故"), ("V1", "造假")])), cell("E01", "A02", proposing(20, &[]))],
        resolutions: vec![],
        vetoes,
    };
    let run = |vetoes| consolidate(&with_vetoes(), &Settings::default(), &input(vetoes)).unwrap();
    let both = run(vec![decision("A01", "V2", true, (1, 0), "事故属实"), decision("A01", "V1", true, (1, 0), "造假属实")]);
    let a = app(&both, "A01");
    assert_eq!((a.status, a.veto.as_ref().map(|v| v.code.as_str())), (Status::Disqualified, Some("V1")));
    assert_eq!(app(&both, "A02").rank, Some(1));
    // Not upheld (不予认定): ranked on its scores as if nothing had been proposed.
    let rejected = run(vec![decision("A01", "V1", false, (0, 1), "证据不足"), decision("A01", "V2", false, (0, 1), "非重大事故")]);
    let a = app(&rejected, "A01");
    assert_eq!((a.status, a.rank, a.final_score.map(|f| f.round_half_up(2)), &a.veto), (Status::Complete, Some(1), Some("16.00".into()), &None));
    // Proposals alone decide nothing.
    assert_eq!(run(vec![]), rejected);
}

#[test]
fn unknown_vetoes_are_refused() {
    let base = |entry: Entry, vetoes: Vec<VetoDecision>| PanelInput {
        experts: experts(1),
        applications: vec!["A01".into()],
        cells: vec![cell("E01", "A01", entry)],
        resolutions: vec![],
        vetoes,
    };
    let err = |input: PanelInput| consolidate(&with_vetoes(), &Settings::default(), &input).unwrap_err().to_string();
    assert_eq!(err(base(proposing(40, &[("V9", "x")]), vec![])), "专家 E01 对申报 A01：否定性指标 V9 不在本批次的评分标准中");
    assert_eq!(
        err(base(proposing(40, &[]), vec![decision("A01", "V9", true, (1, 0), "x")])),
        "申报 A01 的否定性指标：否定性指标 V9 不在本批次的评分标准中"
    );
    assert_eq!(err(base(proposing(40, &[]), vec![decision("A09", "V1", true, (1, 0), "x")])), "申报编号 A09 不在本批次中");
    // A rubric without vetoes has none to propose.
    assert!(consolidate(&small(), &Settings::default(), &base(proposing(40, &[("V1", "x")]), vec![])).is_err());
}

#[test]
fn the_latest_decision_on_the_same_application_and_veto_counts() {
    let all = [
        decision("A01", "V1", true, (3, 0), "first"),
        decision("A01", "V2", true, (3, 0), "other veto"),
        decision("A01", "V1", false, (1, 2), "second"),
        decision("A02", "V1", true, (3, 0), "other application"),
    ];
    assert_eq!(veto_decision_of(&all, "A01", "V1").map(|d| d.reason.as_str()), Some("second"));
    assert_eq!(veto_decision_of(&all, "A01", "V2").map(|d| d.reason.as_str()), Some("other veto"));
    assert_eq!(veto_decision_of(&all, "A03", "V1"), None);
}

#[test]
fn the_method_mentions_vetoes_only_when_the_rubric_has_some() {
    let plain = Settings::default().method_zh(&small().vetoes);
    assert_eq!(plain, Settings::default().method_zh(&[]));
    let both = Settings::default().method_zh(&with_vetoes().vetoes);
    assert_eq!(
        both,
        format!("{plain}否定性指标：专家提出、经评审组表决认定成立的，属取消资格的，该申报不参与排序，其得分仅作记录；属计零分的，该申报最终得分计为0分。")
    );
    let zero_only: Vec<Veto> = with_vetoes().vetoes.into_iter().filter(|v| v.effect == VetoEffect::Zero).collect();
    assert!(Settings::default().method_zh(&zero_only).ends_with("否定性指标：专家提出、经评审组表决认定成立的，属计零分的，该申报最终得分计为0分。"));
}

#[test]
fn the_default_rules_fit_the_rubric_they_are_for() {
    let henan = rubric::parse(include_str!("../../../../rubrics/henan-2023/rubric.toml")).unwrap();
    assert_eq!(Settings::for_rubric(&henan), Settings::default());
    let small = small(); // groups 1–4
    assert_eq!(Settings::for_rubric(&small).tiebreak_groups, ["2", "3", "4"]);
    let three = rubric::parse(include_str!("../../../../rubrics/example-with-veto/rubric.toml")).unwrap();
    assert_eq!(three.groups.len(), 3);
    let s = Settings::for_rubric(&three);
    assert_eq!(s.tiebreak_groups, ["2", "3"]);
    assert!(s.check(&three).is_ok(), "the defaults are valid for the rubric");
    assert!(Settings::default().check(&three).is_err(), "the Henan defaults are not");
}
