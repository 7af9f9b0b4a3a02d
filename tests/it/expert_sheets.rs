//! The printed 专家评分表 from a real store: an expert submits two sheets and recuses from a third; the
//! document made from their exported sheets (as the desktop command makes it) prints each sheet's
//! 评分表校验码, and a reopened, changed and re-submitted sheet prints another.

use std::path::Path;

use pingshen_core::application::Application;
use pingshen_core::expert::Expert;
use pingshen_core::rubric::fingerprint;
use pingshen_core::scorefile::ScoreFile;
use pingshen_core::Tenths;
use pingshen_report::{expert_sheets_html, ApplicationInfo, ExpertInfo, ExpertSheetsInput, RoundInfo};
use pingshen_store::rounds::{self, NewApplication, NewRound};
use pingshen_store::{applications, experts, scorefiles, sheets, Connection};
use pingshen_tests::root;

fn setup(path: &Path) -> (Connection, i64) {
    let mut conn = pingshen_store::open(path).unwrap();
    let applications = [("A01", "洛阳<装备>制造产教联合体"), ("A02", "郑州电子信息产教联合体"), ("A03", "新乡现代农业产教联合体")]
        .iter()
        .map(|(code, name)| {
            let mut application = Application::default();
            application.cover.name = name.to_string();
            NewApplication { code: code.to_string(), application, materials: vec![] }
        })
        .collect();
    let experts = vec![Expert {
        code: "E01".into(), name: "张三".into(), unit: "某职业技术学院".into(), title: "教授".into(), ..Default::default()
    }];
    let new = NewRound {
        name: "2024年市域产教联合体评审".into(),
        rubric_text: std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap(),
        applications,
        experts,
        is_sample: false,
        uid: None,
    };
    let id = rounds::create(&mut conn, &new, "统分员").unwrap();
    (conn, id)
}

fn id(conn: &Connection, table: &str, code: &str) -> i64 {
    conn.query_row(&format!("SELECT id FROM {table} WHERE code = ?1"), [code], |r| r.get(0)).unwrap()
}

/// Scores every item of a sheet (the maximum less `less` steps of 0.5, a comment where one is required).
fn fill(conn: &Connection, round: i64, sheet: i64, less: i64) {
    let rubric = rounds::rubric(conn, round).unwrap();
    for item in rubric.items() {
        let v = Tenths((item.points.0 - less * 5).max(0));
        sheets::set_score(conn, &rubric, sheet, &item.code, Some(v)).unwrap();
        if rubric.comment_required(v, item.points) {
            sheets::set_comment(conn, &rubric, sheet, &item.code, "佐证材料不足").unwrap();
        }
    }
}

/// The document as the desktop command renders it, from the exported sheets.
fn render(conn: &Connection, round: i64, file: &ScoreFile) -> String {
    let rubric = rounds::rubric(conn, round).unwrap();
    let r = rounds::get(conn, round).unwrap();
    let expert = experts::list(conn, round).unwrap().into_iter().find(|e| e.expert.code == file.expert.code).unwrap();
    let expert = ExpertInfo::from(&expert.expert);
    let sheets: Vec<(ApplicationInfo, _)> = file
        .sheets
        .iter()
        .map(|s| {
            let app_id = id(conn, "application", &s.application);
            (ApplicationInfo::from_application(s.application.clone(), &applications::get(conn, app_id).unwrap().1), s.clone())
        })
        .collect();
    let info = RoundInfo { rubric_hash: r.rubric_hash.clone(), ..RoundInfo::for_rubric(r.name, &rubric) };
    expert_sheets_html(&ExpertSheetsInput { round: &info, rubric: &rubric, expert: &expert, round_uid: &r.uid, sheets: &sheets, evidence: &[] })
        .unwrap()
}

fn code(conn: &Connection, round: i64, file: &ScoreFile, application: &str) -> String {
    let r = rounds::get(conn, round).unwrap();
    fingerprint(&file.sheet(application).unwrap().content_hash(&r.uid, &r.rubric_hash, &file.expert.code))
}

#[test]
fn the_printed_sheet_code_matches_the_data_and_follows_a_resubmission() {
    let dir = tempfile::tempdir().unwrap();
    let (conn, round) = setup(&dir.path().join("laptop.db"));
    let e01 = id(&conn, "expert", "E01");
    let a01 = sheets::open(&conn, e01, id(&conn, "application", "A01")).unwrap();
    fill(&conn, round, a01, 1);
    sheets::submit(&conn, a01, "E01").unwrap();
    let a02 = sheets::open(&conn, e01, id(&conn, "application", "A02")).unwrap();
    fill(&conn, round, a02, 3);
    let rubric = rounds::rubric(&conn, round).unwrap();
    sheets::set_deduction(&conn, &rubric, a02, Some(Tenths(10)), "2022年发生一般安全事故").unwrap();
    sheets::submit(&conn, a02, "E01").unwrap();
    experts::set_recused(&conn, e01, id(&conn, "application", "A03"), true, "本人曾任该联合体牵头学校顾问", experts::RecusalSource::Staff, "统分人")
        .unwrap();

    let file = scorefiles::export(&conn, round, e01, "2024-05-20T10:00:00Z").unwrap();
    let html = render(&conn, round, &file);
    assert_eq!(html.matches("<section class=\"page sheet\">").count(), 2, "a page per submitted sheet, none for the recusal");
    let (c01, c02) = (code(&conn, round, &file, "A01"), code(&conn, round, &file, "A02"));
    assert_ne!(c01, c02);
    for c in [&c01, &c02] {
        assert_eq!(html.matches(&format!("<tr><th>评分表校验码</th><td class=\"mono\">{c}</td></tr>")).count(), 1, "{c}");
        assert_eq!(html.matches(c.as_str()).count(), 2, "on its page and on the summary");
    }
    assert!(html.contains("洛阳&lt;装备&gt;制造产教联合体"));
    assert!(html.contains("扣分理由：2022年发生一般安全事故"));
    assert!(html.contains("<td class=\"c\" colspan=\"4\">回避</td>"));
    assert!(html.contains("编号 E01　姓名 张三　单位 某职业技术学院　职称 教授"));

    // Another export of the same sheets prints the same codes (the export time is not part of them).
    let again = scorefiles::export(&conn, round, e01, "2024-05-21T08:00:00Z").unwrap();
    assert_eq!(code(&conn, round, &again, "A01"), c01);

    // Reopen → change one comment → resubmit: a new version and a new code for A01 only.
    sheets::reopen(&conn, a01, "统分人", "评语需补充").unwrap();
    let first = rubric.items().next().unwrap();
    sheets::set_comment(&conn, &rubric, a01, &first.code, "补充：校企合作协议齐全").unwrap();
    sheets::submit(&conn, a01, "E01").unwrap();
    let after = scorefiles::export(&conn, round, e01, "2024-05-22T08:00:00Z").unwrap();
    assert_eq!(after.sheet("A01").unwrap().version, 2);
    let new01 = code(&conn, round, &after, "A01");
    assert_ne!(new01, c01);
    assert_eq!(code(&conn, round, &after, "A02"), c02);
    let html = render(&conn, round, &after);
    assert!(html.contains(&format!("<tr><th>评分表校验码</th><td class=\"mono\">{new01}</td></tr>")));
    assert!(!html.contains(&c01));
    assert!(html.contains("第 2 版，提交于"));
}
