//! Consolidation at national size: 500 applications × 50 experts × 25 items (625,000 scores) with the Henan
//! rubric. Builds the round in a SQLite file (not timed), then times reading the panel input from the store,
//! consolidating (panel scores, deductions, flags, ranking, Kendall's W, leniency, Spearman), and importing
//! the same scores from a 625,000-row CSV. Prints its figures.
//!
//! Run: `cargo bench -p pingshen-tests --bench consolidation`

use std::time::Instant;

use pingshen_core::application::Application;
use pingshen_core::consolidation::{consolidate, Settings};
use pingshen_core::expert::Expert;
use pingshen_core::rubric;
use pingshen_store::rounds::{self, NewApplication, NewRound};

const APPS: usize = 500;
const EXPERTS: usize = 50;

/// A deterministic score for (expert, application, item): application quality plus expert leniency plus
/// noise, on the 0.5 step within the item's maximum.
fn score(e: usize, a: usize, i: usize, max: i64) -> i64 {
    let mut h = (e as u64 * 1_000_003 + a as u64 * 10_007 + i as u64 * 101) ^ 0x9E37_79B9_7F4A_7C15;
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    let quality = 55 + (a * 37 % 40) as i64; // 55–94 % of the maximum
    let lenient = (e % 7) as i64 - 3; // −3…+3 %
    let noise = (h % 11) as i64 - 5; // −5…+5 %
    let pct = (quality + lenient + noise).clamp(0, 100);
    (max * pct / 100) / 5 * 5
}

fn main() {
    let rubric_text = std::fs::read_to_string(pingshen_tests::root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    let rubric = rubric::parse(&rubric_text).unwrap();
    let items: Vec<(String, i64)> = rubric.items().map(|i| (i.code.clone(), i.points.0)).collect();
    let dir = tempfile::tempdir().unwrap();
    let mut conn = pingshen_store::open(&dir.path().join("bench.db")).unwrap();

    let t = Instant::now();
    let rid = rounds::create(
        &mut conn,
        &NewRound {
            name: "全国规模".into(),
            rubric_text,
            applications: (0..APPS)
                .map(|a| NewApplication { code: format!("A{a:03}"), application: Application::default(), materials: vec![] })
                .collect(),
            experts: (0..EXPERTS).map(|e| Expert { code: format!("E{e:02}"), name: format!("专家{e}"), ..Default::default() }).collect(),
            is_sample: false,
            uid: None,
        },
        "bench",
    )
    .unwrap();
    {
        let tx = conn.transaction().unwrap();
        tx.execute(
            "INSERT INTO sheet (expert_id, application_id, status, version) SELECT expert_id, application_id, 'submitted', 1 FROM assignment",
            [],
        )
        .unwrap();
        let mut sheets = tx
            .prepare("SELECT sh.id, e.code, a.code FROM sheet sh JOIN expert e ON e.id = sh.expert_id JOIN application a ON a.id = sh.application_id")
            .unwrap();
        let ids: Vec<(i64, String, String)> = sheets.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
        drop(sheets);
        let mut ins = tx.prepare("INSERT INTO score (sheet_id, item_code, tenths) VALUES (?1, ?2, ?3)").unwrap();
        for (id, e, a) in &ids {
            let (e, a): (usize, usize) = (e[1..].parse().unwrap(), a[1..].parse().unwrap());
            for (i, (code, max)) in items.iter().enumerate() {
                ins.execute((*id, code, score(e, a, i, *max))).unwrap();
            }
        }
        drop(ins);
        tx.commit().unwrap();
    }
    println!("set-up: round of {APPS} applications × {EXPERTS} experts × {} items written in {:.1} s", items.len(), t.elapsed().as_secs_f64());

    let mut read = Vec::new();
    let mut cons = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let input = pingshen_store::panel::panel_input(&conn, rid).unwrap();
        read.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let c = consolidate(&rubric, &Settings::default(), &input).unwrap();
        cons.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(c.applications.iter().filter(|a| a.rank.is_some()).count(), APPS);
        assert!(c.kendall_w.is_some());
    }
    report("read panel input from SQLite (625,000 scores)", &mut read);
    report("consolidate + rank + statistics", &mut cons);

    // The same scores as a paper-entry spreadsheet (CSV UTF-8), 625,000 rows.
    let mut csv = String::from("专家编号,专家姓名,申报编号,观测点,得分,说明\n");
    for e in 0..EXPERTS {
        for a in 0..APPS {
            for (i, (code, max)) in items.iter().enumerate() {
                let v = score(e, a, i, *max);
                let text = if v % 10 == 0 { format!("{}", v / 10) } else { format!("{}.{}", v / 10, v % 10) };
                csv.push_str(&format!("E{e:02},专家{e},A{a:03},{code},{text},\n"));
            }
        }
    }
    let mut import = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let imported = pingshen_import::scores::read_scores("全国规模.csv", csv.as_bytes(), &rubric, None, None).unwrap();
        import.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(imported.input.cells.len(), APPS * EXPERTS);
    }
    report(&format!("import the 625,000-row CSV ({:.1} MB)", csv.len() as f64 / 1e6), &mut import);
}

fn report(what: &str, v: &mut [f64]) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("{what}: median {:.0} ms, min {:.0} ms, max {:.0} ms ({} runs)", v[v.len() / 2], v[0], v[v.len() - 1], v.len());
}
