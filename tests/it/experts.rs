//! The expert list from a spreadsheet into a real store, the expert's declaration, and a re-submitted sheet's
//! changes in the audit log and on the printed 审计日志.

use std::path::Path;

use pingshen_app::clock::beijing_time;
use pingshen_core::application::Application;
use pingshen_core::expert::Expert;
use pingshen_core::Tenths;
use pingshen_import::experts::{read_experts_file, read_experts_file_for_round};
use pingshen_report::{audit_log_html, declaration_html, AuditDoc, AuditRow, DeclarationDoc, DeclarationRow, ExpertInfo};
use pingshen_store::experts::{self, ExpertImport, RecusalSource};
use pingshen_store::rounds::{self, NewApplication, NewRound};
use pingshen_store::{applications, audit, declarations, sheets, Connection};
use pingshen_tests::root;

fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures/experts")
}

/// A round like the one of `expert_sheets.rs`: three applications, one expert already there.
fn setup(path: &Path) -> (Connection, i64) {
    let mut conn = pingshen_store::open(path).unwrap();
    let applications = [
        ("A01", "洛阳<装备>制造产教联合体", "洛阳职业技术学院"),
        ("A02", "郑州电子信息产教联合体", "郑州大学"),
        ("A03", "新乡现代农业产教联合体", "新乡职业技术学院"),
    ]
    .iter()
    .map(|(code, name, school)| {
        let mut application = Application::default();
        application.cover.name = name.to_string();
        application.cover.lead_school = school.to_string();
        application.cover.lead_enterprise = format!("{code}集团");
        NewApplication { code: code.to_string(), application, materials: vec![] }
    })
    .collect();
    let experts =
        vec![Expert {
            code: "E01".into(), name: "张建国".into(), unit: "河南工业职业技术学院".into(), title: "副教授".into(), ..Default::default()
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

/// Everything a failed import must leave as it was.
fn dump(conn: &Connection) -> (Vec<experts::ExpertRow>, Vec<experts::AssignmentRow>, usize) {
    let round = rounds::list(conn).unwrap()[0].id;
    (experts::list(conn, round).unwrap(), experts::assignments(conn, round).unwrap(), audit::list(conn).unwrap().len())
}

#[test]
fn the_fixture_list_comes_into_a_round_and_the_bad_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut conn, round) = setup(&dir.path().join("staff.db"));

    // The good list, as .csv and as .xlsx: the same six experts, blank codes numbered.
    let list = read_experts_file(&fixtures().join("good.csv")).unwrap();
    assert_eq!(read_experts_file(&fixtures().join("good.xlsx")).unwrap(), list);
    let codes: Vec<&str> = list.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["E01", "E02", "E03", "E04", "E06", "E05"]);

    let done = experts::import(&mut conn, round, &list, "统分员").unwrap();
    assert_eq!(done, ExpertImport { added: 5, updated: 1, unchanged: 0 }, "E01 is in the round already: updated");
    let stored = experts::list(&conn, round).unwrap();
    assert_eq!(stored.len(), 6);
    let e01 = &stored[0].expert;
    assert_eq!((e01.name.as_str(), e01.title.as_str(), e01.phone.as_str()), ("张建国", "教授", "13800138001"));
    let e04 = stored.iter().find(|r| r.expert.code == "E04").unwrap();
    assert_eq!(e04.expert.unit, "河南省教育科学研究院, 职成所");
    // Every expert is assigned every application, none recused.
    let assignments = experts::assignments(&conn, round).unwrap();
    assert_eq!(assignments.len(), 6 * 3);
    assert!(assignments.iter().all(|a| !a.recused && a.reason.is_empty() && a.source.is_none()));
    let log = audit::for_round(&conn, round).unwrap();
    assert!(log.last().unwrap().detail.contains("新增 5 人，更新 1 人，未变 0 人"), "{:?}", log.last());

    // Read again for the round (blank codes stay those of the round) and imported again: nothing changes.
    let again = read_experts_file_for_round(&fixtures().join("good.csv"), &stored.iter().map(|r| r.expert.clone()).collect::<Vec<_>>()).unwrap();
    assert_eq!(again, list);
    assert_eq!(experts::import(&mut conn, round, &again, "统分员").unwrap(), ExpertImport { added: 0, updated: 0, unchanged: 6 });

    // The bad list: exactly the expected messages, and the round is as it was.
    let before = dump(&conn);
    let err = read_experts_file(&fixtures().join("bad.csv")).unwrap_err();
    let expected = std::fs::read_to_string(fixtures().join("bad.expected.txt")).unwrap();
    assert_eq!(err.problems.iter().map(ToString::to_string).collect::<Vec<_>>(), expected.lines().collect::<Vec<_>>());
    // A list that reads but that the round refuses changes nothing either.
    let renumbered = vec![Expert { code: "E02".into(), name: "另一位".into(), unit: "别的单位".into(), ..Default::default() }, list[5].clone()];
    assert!(experts::import(&mut conn, round, &renumbered, "统分员").unwrap_err().to_string().contains("姓名和单位都不同"));
    assert_eq!(dump(&conn), before);
}

#[test]
fn an_experts_declaration_prints_with_every_application() {
    let dir = tempfile::tempdir().unwrap();
    let (mut conn, round) = setup(&dir.path().join("laptop.db"));
    let e01 = id(&conn, "expert", "E01");
    let (a1, a2, a3) = (id(&conn, "application", "A01"), id(&conn, "application", "A02"), id(&conn, "application", "A03"));
    experts::set_recused(&conn, e01, a3, true, "本人曾任牵头学校顾问", RecusalSource::Staff, "统分人").unwrap();
    declarations::sign(&mut conn, e01, &[(a2, "配偶在牵头学校任职".into())], "无其他需要说明的情况").unwrap();
    let d = declarations::latest(&conn, e01).unwrap().unwrap();

    // The document as a desktop command would build it.
    let rows: Vec<DeclarationRow> = applications::list(&conn, round)
        .unwrap()
        .into_iter()
        .map(|a| {
            let (_, app) = applications::get(&conn, a.id).unwrap();
            let s = experts::assignments(&conn, round).unwrap().into_iter().find(|s| s.expert_id == e01 && s.application_id == a.id).unwrap();
            DeclarationRow {
                code: a.code,
                name: a.name,
                lead_school: app.cover.lead_school,
                lead_enterprise: app.cover.lead_enterprise,
                recused: s.recused,
                reason: s.reason,
                recorded_by: s.source.map(|s| s.zh().to_string()).unwrap_or_default(),
            }
        })
        .collect();
    let expert = experts::list(&conn, round).unwrap().into_iter().find(|r| r.id == e01).unwrap().expert;
    let html = declaration_html(&DeclarationDoc {
        round_name: rounds::get(&conn, round).unwrap().name,
        expert: ExpertInfo::from(&expert),
        applications: rows,
        statement: d.statement,
        signed_at: beijing_time(&d.signed_at),
    })
    .unwrap();
    assert!(html.contains("洛阳&lt;装备&gt;制造产教联合体"));
    assert!(html.contains("<td class=\"wrap\">配偶在牵头学校任职</td><td class=\"c\">专家本人声明</td>"));
    assert!(html.contains("<td class=\"wrap\">本人曾任牵头学校顾问</td><td class=\"c\">统分人员登记</td>"));
    assert!(html.contains("本人回避其中 2 项（申报编号 A02、A03）"));
    assert!(html.contains("其他需要说明的情况：无其他需要说明的情况"));
    let _ = a1;
}

#[test]
fn a_resubmitted_sheet_logs_old_and_new_scores_with_the_reason_and_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let (conn, round) = setup(&dir.path().join("staff.db"));
    let rubric = rounds::rubric(&conn, round).unwrap();
    let e01 = id(&conn, "expert", "E01");
    let sheet = sheets::open(&conn, e01, id(&conn, "application", "A01")).unwrap();
    for item in rubric.items() {
        sheets::set_score(&conn, &rubric, sheet, &item.code, Some(item.points)).unwrap();
    }
    sheets::submit(&conn, sheet, "E01 张建国").unwrap();
    sheets::reopen(&conn, sheet, "统分员", "2.1 与 4.2 评分偏高，请复核").unwrap();
    let (p21, p42) = (rubric.item("2.1").unwrap().points, rubric.item("4.2").unwrap().points);
    sheets::set_score(&conn, &rubric, sheet, "2.1", Some(p21 - Tenths(5))).unwrap();
    sheets::set_score(&conn, &rubric, sheet, "4.2", Some(p42 - Tenths(10))).unwrap();
    assert_eq!(sheets::submit(&conn, sheet, "E01 张建国").unwrap(), 2);

    let log = audit::for_round(&conn, round).unwrap();
    let changes: Vec<&audit::AuditEntry> = log.iter().filter(|e| e.action == "resubmit_change").collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    let expected = [("2.1", p21, p21 - Tenths(5)), ("4.2", p42, p42 - Tenths(10))];
    for (entry, (code, old, new)) in changes.iter().zip(expected) {
        assert_eq!(entry.actor, "E01 张建国");
        let name = &rubric.item(code).unwrap().short_name;
        assert_eq!(
            entry.detail,
            format!("专家 E01 修改申报 A01 的评分表（第 1 版 → 第 2 版）：观测点 {code} {name}：{old} 分 → {new} 分；退回人 统分员，退回理由：2.1 与 4.2 评分偏高，请复核")
        );
    }
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create_round", "submit_sheet", "reopen_sheet", "resubmit_change", "resubmit_change", "submit_sheet"]);
    assert_eq!(sheets::versions(&conn, sheet).unwrap().len(), 2);

    // Printed: every entry, the changes with old → new and the reason.
    let r = rounds::get(&conn, round).unwrap();
    let html = audit_log_html(&AuditDoc {
        round_name: r.name.clone(),
        rubric_title: r.rubric_title.clone(),
        rubric_hash: r.rubric_hash.clone(),
        printed_on: "2024年5月21日".into(),
        entries: log
            .iter()
            .map(|e| AuditRow { at: beijing_time(&e.at), actor: e.actor.clone(), action: e.action_zh(), detail: e.detail.clone() })
            .collect(),
    })
    .unwrap();
    for entry in &changes {
        assert!(html.contains(&format!("<td class=\"wrap\">{}</td>", entry.detail)), "{}", entry.detail);
    }
    assert_eq!(html.matches("<td class=\"c\">重新提交修改</td>").count(), 2);
    assert!(html.contains("<td class=\"c\">退回评分表</td>"));
    assert!(html.contains(&pingshen_core::rubric::fingerprint(&r.rubric_hash)));
    assert!(html.contains("记录条数</th><td>6 条"));
}
