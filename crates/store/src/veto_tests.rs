//! 否定性指标 through the store: an expert's proposals on a sheet (set, required reason, locked once submitted,
//! kept in the version, worded at re-submission), in the score file both ways, in the panel input, and the
//! panel's decisions (rules, the newest counting, the audit log, a closed round).

use pingshen_core::application::Application;
use pingshen_core::consolidation::{consolidate, Settings, Status};
use pingshen_core::expert::Expert;
use pingshen_core::rubric::Rubric;
use pingshen_core::scorefile::FileSheet;
use pingshen_core::sheet::VetoProposal;
use pingshen_core::Tenths;
use rusqlite::Connection;

use crate::rounds::{self, NewApplication, NewRound};
use crate::settlements::{self, VetoVote};
use crate::{audit, panel, scorefiles, sheets, StoreError};

/// rubric-small with V1 (disqualify, 申报材料弄虚作假) and V2 (zero, 近三年发生重大安全事故).
const VETOES: &str = include_str!("../../../tests/consolidation/rubric-vetoes/rubric.toml");
const UID: &str = "0123456789abcdef0123456789abcdef";

/// A round with the veto rubric, A01–A02 and E01–E02, under a fixed identity: (round, rubric).
fn machine(conn: &mut Connection) -> (i64, Rubric) {
    let app = |code: &str| NewApplication { code: code.into(), application: Application::default(), materials: vec![] };
    let expert = |code: &str| Expert { code: code.into(), name: format!("专家{code}"), ..Default::default() };
    let rid = rounds::create(
        conn,
        &NewRound {
            name: "否定性指标".into(),
            rubric_text: VETOES.into(),
            applications: vec![app("A01"), app("A02")],
            experts: vec![expert("E01"), expert("E02")],
            is_sample: false,
            uid: Some(UID.into()),
        },
        "测试",
    )
    .unwrap();
    (rid, rounds::rubric(conn, rid).unwrap())
}

fn id(conn: &Connection, table: &str, code: &str) -> i64 {
    conn.query_row(&format!("SELECT id FROM {table} WHERE code = ?1"), [code], |r| r.get(0)).unwrap()
}

/// The sheet of `expert` for `application` with every item scored 4 of 5.
fn scored(conn: &Connection, rubric: &Rubric, expert: &str, application: &str) -> i64 {
    let s = sheets::open(conn, id(conn, "expert", expert), id(conn, "application", application)).unwrap();
    for item in rubric.items() {
        sheets::set_score(conn, rubric, s, &item.code, Some(Tenths(40))).unwrap();
    }
    s
}

fn vote<'a>(code: &'a str, upheld: bool, votes_for: u32, votes_against: u32, reason: &'a str) -> VetoVote<'a> {
    VetoVote { code, upheld, votes_for, votes_against, reason }
}

#[test]
fn a_ticked_veto_needs_its_reason_to_submit_and_is_locked_with_the_sheet() {
    let mut conn = crate::open_in_memory().unwrap();
    let (_, rubric) = machine(&mut conn);
    let s = scored(&conn, &rubric, "E01", "A01");
    assert!(matches!(sheets::set_veto(&conn, &rubric, s, "V9", true, "x"), Err(StoreError::Score(_))), "an unknown code");
    sheets::set_veto(&conn, &rubric, s, "V2", true, "").unwrap();
    sheets::set_veto(&conn, &rubric, s, "V1", true, "").unwrap();
    let data = sheets::load(&conn, s).unwrap();
    assert_eq!(data.vetoes.iter().map(|v| v.veto.as_str()).collect::<Vec<_>>(), ["V1", "V2"]);
    assert_eq!(data.checklist(&rubric, &Default::default()).iter().filter_map(|m| m.veto()).collect::<Vec<_>>(), ["V1", "V2"]);
    let Err(StoreError::NotReady { problems }) = sheets::submit(&conn, s, "E01") else { panic!("submitted without reasons") };
    assert_eq!(problems, ["已勾选否定性指标 V1「申报材料弄虚作假」，须写明理由", "已勾选否定性指标 V2「近三年发生重大安全事故」，须写明理由"]);
    // A reason for V1, V2 unticked: ready.
    sheets::set_veto(&conn, &rubric, s, "V1", true, "合作协议系伪造").unwrap();
    sheets::set_veto(&conn, &rubric, s, "V2", false, "").unwrap();
    assert_eq!(sheets::load(&conn, s).unwrap().vetoes, [VetoProposal { veto: "V1".into(), reason: "合作协议系伪造".into() }]);
    assert_eq!(sheets::submit(&conn, s, "E01").unwrap(), 1);
    assert!(matches!(sheets::set_veto(&conn, &rubric, s, "V1", false, ""), Err(StoreError::Locked)));
    assert!(matches!(sheets::set_veto(&conn, &rubric, s, "V2", true, "事故"), Err(StoreError::Locked)));
    // The kept version carries the proposal: its 评分表校验码 covers it.
    let v = sheets::versions(&conn, s).unwrap();
    assert!(v[0].content.ends_with(r#""vetoes":[{"code":"V1","reason":"合作协议系伪造"}]}}"#), "{}", v[0].content);
    assert_eq!(FileSheet::from_canonical(&v[0].content).unwrap().vetoes.len(), 1);

    // Reopened, the proposal withdrawn and another made: the re-submission logs both.
    sheets::reopen(&conn, s, "统分人", "请核实否定性指标").unwrap();
    sheets::set_veto(&conn, &rubric, s, "V1", false, "").unwrap();
    sheets::set_veto(&conn, &rubric, s, "V2", true, "2022年发生重大安全事故").unwrap();
    sheets::submit(&conn, s, "E01").unwrap();
    let changes: Vec<String> = audit::list(&conn).unwrap().into_iter().filter(|e| e.action == "resubmit_change").map(|e| e.detail).collect();
    let head = "专家 E01 修改申报 A01 的评分表（第 1 版 → 第 2 版）";
    let why = "退回人 统分人，退回理由：请核实否定性指标";
    assert_eq!(
        changes,
        [
            format!("{head}：否定性指标 V1「申报材料弄虚作假」：勾选 → 未勾选（原理由 “合作协议系伪造”）；{why}"),
            format!("{head}：否定性指标 V2「近三年发生重大安全事故」：未勾选 → 勾选，理由 “2022年发生重大安全事故”；{why}"),
        ]
    );
}

#[test]
fn a_sheet_without_vetoes_keeps_the_content_it_had() {
    let mut conn = crate::open_in_memory().unwrap();
    let (_, rubric) = machine(&mut conn);
    let s = scored(&conn, &rubric, "E01", "A01");
    sheets::set_veto(&conn, &rubric, s, "V1", true, "先勾选").unwrap();
    sheets::set_veto(&conn, &rubric, s, "V1", false, "").unwrap();
    sheets::submit(&conn, s, "E01").unwrap();
    let content = &sheets::versions(&conn, s).unwrap()[0].content;
    assert!(!content.contains("vetoes") && content.ends_with(r#""deduction":null}}"#), "{content}");
}

#[test]
fn proposals_travel_in_the_score_file_and_count_only_once_submitted() {
    let mut laptop = crate::open_in_memory().unwrap();
    let (lr, rubric) = machine(&mut laptop);
    let s = scored(&laptop, &rubric, "E01", "A01");
    sheets::set_veto(&laptop, &rubric, s, "V2", true, "应急管理部门通报").unwrap();
    sheets::set_veto(&laptop, &rubric, s, "V1", true, "合作协议系伪造").unwrap();
    // A draft's proposals are not in the panel input.
    assert!(panel::veto_proposals(&laptop, lr).unwrap().is_empty());
    sheets::submit(&laptop, s, "E01").unwrap();
    let file = scorefiles::export(&laptop, lr, id(&laptop, "expert", "E01"), "2024-05-20T10:00:00Z").unwrap();
    let codes: Vec<&str> = file.sheet("A01").unwrap().vetoes.iter().map(|v| v.code.as_str()).collect();
    assert_eq!(codes, ["V1", "V2"], "in the rubric's order");
    assert!(file.to_json().contains(r#""vetoes":[{"code":"V1","reason":"合作协议系伪造"},{"code":"V2","reason":"应急管理部门通报"}]"#));

    let mut hub = crate::open_in_memory().unwrap();
    let (hr, _) = machine(&mut hub);
    let report = scorefiles::import(&mut hub, hr, &pingshen_core::scorefile::parse(&file.to_json()).unwrap(), "统分人").unwrap();
    assert_eq!(report.added.len(), 1);
    let proposals = panel::veto_proposals(&hub, hr).unwrap();
    assert_eq!(
        proposals.iter().map(|p| (p.application.as_str(), p.expert.as_str(), p.veto.as_str(), p.reason.as_str())).collect::<Vec<_>>(),
        [("A01", "E01", "V1", "合作协议系伪造"), ("A01", "E01", "V2", "应急管理部门通报")]
    );
    let input = panel::panel_input(&hub, hr).unwrap();
    let pingshen_core::consolidation::Entry::Sheet(sheet) = &input.cells.iter().find(|c| c.expert == "E01").unwrap().entry else { panic!() };
    assert_eq!(sheet.vetoes.len(), 2);
    // The same file again changes nothing; the same version with other proposals is refused.
    assert_eq!(scorefiles::import(&mut hub, hr, &file, "统分人").unwrap().unchanged.len(), 1);
    let mut other = file.clone();
    other.sheets[0].vetoes.pop();
    let err = scorefiles::import(&mut hub, hr, &other, "统分人").unwrap_err();
    assert!(err.to_string().contains("只有版本更高的评分表才能替换已有的"), "{err}");
    // A code this round's rubric does not have is refused with the application named.
    let mut unknown = file.clone();
    unknown.sheets[0].version = 2;
    unknown.sheets[0].vetoes[0].code = "V9".into();
    let err = scorefiles::import(&mut hub, hr, &unknown, "统分人").unwrap_err();
    assert!(err.to_string().contains("申报 A01：否定性指标 V9 不在本批次的评分标准中"), "{err}");
    // A newer version without proposals replaces them.
    let mut newer = file.clone();
    newer.sheets[0].version = 2;
    newer.sheets[0].vetoes.clear();
    scorefiles::import(&mut hub, hr, &newer, "统分人").unwrap();
    assert!(panel::veto_proposals(&hub, hr).unwrap().is_empty());
}

#[test]
fn the_panels_decision_needs_a_reason_and_a_vote_that_carries_it_and_the_newest_counts() {
    let mut conn = crate::open_in_memory().unwrap();
    let (rid, rubric) = machine(&mut conn);
    for (e, a) in [("E01", "A01"), ("E02", "A01"), ("E01", "A02"), ("E02", "A02")] {
        let s = scored(&conn, &rubric, e, a);
        sheets::submit(&conn, s, e).unwrap();
    }
    let a01 = id(&conn, "application", "A01");
    let refused = |v: VetoVote<'_>| settlements::resolve_veto(&conn, &rubric, a01, &v, "统分人").unwrap_err().to_string();
    assert_eq!(refused(vote("V1", true, 3, 0, " ")), "否定性指标决议须写明理由");
    assert_eq!(refused(vote("V1", true, 2, 2, "理由")), "决议未获通过：赞成 2 票，反对 2 票，赞成票须多于反对票");
    assert!(refused(vote("V1", false, 3, 1, "理由")).contains("应记为“维持”"));
    assert_eq!(refused(vote("V9", true, 3, 0, "理由")), "否定性指标 V9 不在本批次的评分标准中");
    assert!(settlements::veto_resolutions(&conn, rid).unwrap().is_empty(), "refused decisions leave nothing");

    settlements::resolve_veto(&conn, &rubric, a01, &vote("V1", true, 2, 0, "合作协议系伪造"), "统分人").unwrap();
    let status = |conn: &Connection| {
        let c = consolidate(&rubric, &Settings::default(), &panel::panel_input(conn, rid).unwrap()).unwrap();
        c.applications.iter().map(|a| (a.code.clone(), a.status, a.rank)).collect::<Vec<_>>()
    };
    assert_eq!(status(&conn), [("A02".into(), Status::Complete, Some(1)), ("A01".into(), Status::Disqualified, None)]);
    // Reconsidered: not upheld, on a tie. The newest counts; both are kept.
    settlements::resolve_veto(&conn, &rubric, a01, &vote("V1", false, 1, 1, "复议：协议经核实为真"), "统分人").unwrap();
    assert_eq!(status(&conn), [("A01".into(), Status::Complete, Some(1)), ("A02".into(), Status::Complete, Some(1))]);
    let rows = settlements::veto_resolutions(&conn, rid).unwrap();
    assert_eq!(
        rows.iter().map(|r| (r.decision.upheld, r.decision.reason.as_str())).collect::<Vec<_>>(),
        [(true, "合作协议系伪造"), (false, "复议：协议经核实为真")]
    );
    let logged: Vec<String> = audit::for_round(&conn, rid).unwrap().into_iter().filter(|e| e.action == "veto_resolution").map(|e| e.detail).collect();
    assert_eq!(
        logged,
        [
            "申报 A01 否定性指标 V1「申报材料弄虚作假」：认定成立（取消资格）（赞成 2，反对 0）：合作协议系伪造",
            "申报 A01 否定性指标 V1「申报材料弄虚作假」：不予认定（赞成 1，反对 1）：复议：协议经核实为真",
        ]
    );
    assert_eq!(audit::Action::VetoResolution.zh(), "否定性指标决议");

    // A closed round refuses decisions and proposals alike.
    rounds::close(&conn, rid, "统分人").unwrap();
    assert!(matches!(settlements::resolve_veto(&conn, &rubric, a01, &vote("V2", true, 2, 0, "事故"), "统分人"), Err(StoreError::RoundClosed)));
    assert_eq!(settlements::veto_resolutions(&conn, rid).unwrap().len(), 2);
}
