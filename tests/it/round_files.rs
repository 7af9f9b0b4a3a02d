//! The round file (docs/round-file.md) between two database files on disk: the staff machine exports the
//! sample round (with the text of its materials' pages), an expert's laptop opens it and finds in the
//! materials what the staff machine finds, the expert scores there, and the laptop's score file imports
//! into the staff's round (same round identity).

use std::ops::ControlFlow;
use std::path::Path;

use pingshen_core::expert::Expert;
use pingshen_core::scorefile;
use pingshen_handout::{export, inspect, open, Progress};
use pingshen_store::rounds::{self as r, NewRound};
use pingshen_store::{applications, handout, scorefiles, search, sheets, Connection};
use pingshen_tests::{root, sample_dirs};

fn go(_: &Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

fn staff_round(path: &Path) -> (Connection, i64) {
    let mut conn = pingshen_store::open(path).unwrap();
    let applications = pingshen_tests::sample_applications(true);
    let experts = [("E01", "张三", "河南工业职业技术学院"), ("E02", "李四", "郑州大学"), ("E03", "王五", "洛阳理工学院")]
        .iter()
        .map(|(c, n, u)| Expert { code: c.to_string(), name: n.to_string(), unit: u.to_string(), phone: "13900000000".into(), ..Default::default() })
        .collect();
    let new = NewRound {
        name: "2024年河南省市域产教联合体评审".into(),
        rubric_text: std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap(),
        applications,
        experts,
        is_sample: false,
        uid: None,
    };
    let id = r::create(&mut conn, &new, "统分人").unwrap();
    (conn, id)
}

fn integrity(conn: &Connection) {
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let fk: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 0);
}

/// Every stored page of a round: (申报编号, file, page, text, scanned).
fn pages(conn: &Connection, round: i64) -> Vec<(String, String, u32, String, bool)> {
    conn.prepare(
        "SELECT a.code, m.file, p.page, p.text, p.scanned FROM material_page p JOIN material m ON m.id = p.material_id
         JOIN application a ON a.id = m.application_id WHERE a.round_id = ?1 ORDER BY a.code, m.id, p.page",
    )
    .unwrap()
    .query_map([round], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Search hits by (申报编号, file, page, field) (ids differ between machines), sorted.
type HitKey = (String, Option<String>, Option<u32>, Option<String>);

fn hits(conn: &Connection, round: i64, query: &str) -> Vec<HitKey> {
    let mut v: Vec<_> = search::search(conn, None, round, query, 50)
        .unwrap()
        .into_iter()
        .map(|h| (applications::get(conn, h.application_id).unwrap().0.code, h.file, h.page, h.field))
        .collect();
    v.sort();
    v
}

fn id(conn: &Connection, round: i64, table: &str, code: &str) -> i64 {
    conn.query_row(&format!("SELECT id FROM {table} WHERE round_id = ?1 AND code = ?2"), (round, code), |r| r.get(0)).unwrap()
}

#[test]
fn the_sample_round_goes_from_one_database_file_to_another_and_scores_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let (staff, round) = staff_round(&dir.path().join("staff.db"));
    let file = dir.path().join("评审包.pingshen-round");
    let mut last = None;
    let summary = export(&staff, round, &file, "2024-05-20T10:00:00Z", &mut |p: &Progress| {
        last = Some(p.clone());
        ControlFlow::Continue(())
    })
    .unwrap();
    let last = last.unwrap();
    assert_eq!((last.done, summary.applications), (last.total, sample_dirs().len()));
    assert_eq!(summary.bytes, std::fs::metadata(&file).unwrap().len());

    let info = inspect(&file).unwrap();
    assert_eq!(info.short_hash, summary.short_hash);
    assert_eq!(info.experts.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["张三", "李四", "王五"]);

    let laptop_path = dir.path().join("laptop.db");
    let opened = {
        let mut laptop = pingshen_store::open(&laptop_path).unwrap();
        let opened = open(&mut laptop, &file, &mut go).unwrap();
        integrity(&laptop);
        opened
    };
    // Reopened from disk: everything was committed.
    let laptop = pingshen_store::open(&laptop_path).unwrap();
    integrity(&laptop);
    integrity(&staff);
    let lr = opened.round_id;
    assert_eq!(r::get(&laptop, lr).unwrap().uid, r::get(&staff, round).unwrap().uid);
    assert_eq!(r::rubric(&laptop, lr).unwrap().hash(), r::rubric(&staff, round).unwrap().hash());
    let materials = |c: &Connection, round: i64| -> Vec<(String, String, i64)> {
        applications::list(c, round)
            .unwrap()
            .iter()
            .flat_map(|a| applications::materials(c, a.id).unwrap().into_iter().map(|m| (a.code.clone(), m.sha256, m.size)))
            .collect()
    };
    assert_eq!(materials(&laptop, lr), materials(&staff, round));
    assert!(!materials(&laptop, lr).is_empty());
    let phones: i64 = laptop.query_row("SELECT count(*) FROM expert WHERE phone != ''", [], |r| r.get(0)).unwrap();
    assert_eq!(phones, 0, "phone numbers stay on the staff machine");
    // The materials' page texts came along: the expert searches the materials on the laptop as staff do.
    let staff_pages = pages(&staff, round);
    assert!(staff_pages.iter().any(|p| p.3.contains("理事会")));
    assert_eq!(pages(&laptop, lr), staff_pages);
    let found = hits(&staff, round, "理事会");
    assert!(found.iter().any(|h| h.2.is_some()), "the staff machine finds pages of the materials: {found:?}");
    assert!(found.len() < 50);
    assert_eq!(hits(&laptop, lr, "理事会"), found);

    // The expert of this laptop says who they are, scores A01 and submits.
    let e01 = id(&laptop, lr, "expert", "E01");
    handout::choose_expert(&laptop, lr, e01, "张三").unwrap();
    assert_eq!(handout::get(&laptop, lr).unwrap().unwrap().expert_id, Some(e01));
    let rubric = r::rubric(&laptop, lr).unwrap();
    let sheet = sheets::open(&laptop, e01, id(&laptop, lr, "application", "A01")).unwrap();
    for item in rubric.items() {
        sheets::set_score(&laptop, &rubric, sheet, &item.code, Some(item.points)).unwrap();
    }
    sheets::submit(&laptop, sheet, "张三").unwrap();
    let err = handout::choose_expert(&laptop, lr, id(&laptop, lr, "expert", "E02"), "张三").unwrap_err();
    assert!(err.to_string().contains("不能再更换专家身份"), "{err}");

    // Its score file imports into the staff's round: the same round on both machines.
    let score_file = scorefiles::export(&laptop, lr, e01, "2024-05-21T10:00:00Z").unwrap();
    let score_file = scorefile::parse(&score_file.to_json()).unwrap();
    let mut staff = staff;
    let report = scorefiles::import(&mut staff, round, &score_file, "统分人").unwrap();
    assert_eq!(report.added.len(), 1);
    integrity(&staff);

    // Opening the same file again on the laptop changes nothing.
    let mut laptop = laptop;
    let again = open(&mut laptop, &file, &mut go).unwrap();
    assert!(again.already_open);
    assert_eq!(again.round_id, lr);
}
