use super::*;
use crate::rounds::{NewApplication, NewRound};
use crate::{experts, panel};
use pingshen_core::application::Application;
use pingshen_core::consolidation::{consolidate, Settings};
use pingshen_core::expert::Expert;

/// A round (A01, A02; E01–E03) where every sheet is submitted at the items' maxima but E02's for A02 (scored,
/// not submitted) and E03 is recused from A02. Returns (round, expert ids, application ids).
fn setup(conn: &mut Connection) -> (i64, Vec<i64>, Vec<i64>) {
    let app = |code: &str| NewApplication { code: code.into(), application: Application::default(), materials: vec![] };
    let expert = |code: &str, name: &str| Expert { code: code.into(), name: name.into(), unit: "某学院".into(), ..Default::default() };
    let rid = rounds::create(
        conn,
        &NewRound {
            name: "复议".into(),
            rubric_text: include_str!("../../../../rubrics/henan-2023/rubric.toml").into(),
            applications: vec![app("A01"), app("A02")],
            experts: vec![expert("E01", "张组长"), expert("E02", "李专家"), expert("E03", "王专家")],
            is_sample: false,
            uid: None,
        },
        "统分人",
    )
    .unwrap();
    let rubric = rounds::rubric(conn, rid).unwrap();
    let e: Vec<i64> = experts::list(conn, rid).unwrap().iter().map(|x| x.id).collect();
    let a: Vec<i64> = crate::applications::list(conn, rid).unwrap().iter().map(|x| x.id).collect();
    experts::set_recused(conn, e[2], a[1], true, "曾在牵头学校任职", crate::experts::RecusalSource::Staff, "统分人").unwrap();
    for (i, ex) in e.iter().enumerate() {
        for (j, ap) in a.iter().enumerate() {
            if (i, j) == (2, 1) {
                continue;
            }
            let s = sheets::open(conn, *ex, *ap).unwrap();
            for item in rubric.items() {
                sheets::set_score(conn, &rubric, s, &item.code, Some(item.points)).unwrap();
            }
            if (i, j) != (1, 1) {
                sheets::submit(conn, s, "专家").unwrap();
            }
        }
    }
    (rid, e, a)
}

fn sheet(conn: &Connection, e: i64, a: i64) -> i64 {
    conn.query_row("SELECT id FROM sheet WHERE expert_id = ?1 AND application_id = ?2", [e, a], |r| r.get(0)).unwrap()
}

fn change(item: &str, tenths: i64, reason: &str) -> (String, Tenths, String) {
    (item.into(), Tenths(tenths), reason.into())
}

#[test]
fn a_reconsidered_score_keeps_the_first_value_a_new_version_and_is_used_by_consolidation() {
    let mut conn = crate::open_in_memory().unwrap();
    let (rid, e, a) = setup(&mut conn);
    let rubric = rounds::rubric(&conn, rid).unwrap();
    let p21 = rubric.item("2.1").unwrap().points;
    let id = open(&conn, rid, e[0], &[(a[0], vec!["2.1".into()]), (a[1], vec![])], "A01 的 2.1 分差过大", "统分人").unwrap();
    assert!(matches!(open(&conn, rid, e[0], &[(a[0], vec![])], "再开一次", "统分人"), Err(StoreError::ReconsiderationOpen)));
    let s = sheet(&conn, e[1], a[0]);
    let version = change_scores(&conn, id, s, &[change("2.1", 20, "复核后认为校企协议期限不足")]);
    assert_eq!(version, 2);
    let d = sheets::load(&conn, s).unwrap();
    assert!(d.submitted, "the sheet stays submitted");
    assert_eq!(d.scores.iter().find(|x| x.item == "2.1").unwrap().value, Some(Tenths(20)));
    let v = sheets::versions(&conn, s).unwrap();
    assert_eq!(v.iter().map(|x| x.version).collect::<Vec<_>>(), [1, 2], "the first version is kept beside the new one");
    assert_ne!(v[0].sheet_code, v[1].sheet_code);
    let rec = current(&conn, rid).unwrap().unwrap();
    assert_eq!(rec.changes.len(), 1);
    let c = &rec.changes[0];
    assert_eq!((c.before, c.after, c.reason.as_str(), c.source.as_str()), (p21, Tenths(20), "复核后认为校企协议期限不足", "paper"));
    assert_eq!(rec.scopes.iter().map(|(_, s)| s.zh()).collect::<Vec<_>>(), ["A01（观测点 2.1）", "A02（全部观测点）"]);
    // Consolidation reads the reconsidered value.
    let input = panel::panel_input(&conn, rid).unwrap();
    let result = consolidate(&rubric, &Settings::default(), &input).unwrap();
    let a01 = result.applications.iter().find(|r| r.code == "A01").unwrap();
    assert!(a01.panel_score.unwrap() < pingshen_core::Ratio::from_tenths(rubric.total), "the panel score dropped");
    let log: Vec<String> = audit::for_round(&conn, rid).unwrap().into_iter().map(|e| e.detail).collect();
    assert!(
        log.iter()
            .any(|l| l.starts_with("组长 E01 张组长 发起复议（第 1 号）：申报 A01（观测点 2.1）、A02（全部观测点）；理由：A01 的 2.1 分差过大")),
        "{log:?}"
    );
    assert!(
        audit::list(&conn).unwrap().iter().any(|e| e.action == "reconsider_score"
            && e.detail.contains("专家 E02 对申报 A01 观测点 2.1")
            && e.detail.contains(&format!("{p21} 分 → 2 分；理由：复核后认为校企协议期限不足（纸质复议表，统分人员录入）"))),
        "the change is logged"
    );
    // The kept change is never rewritten.
    assert!(conn.execute("UPDATE reconsideration_change SET new_tenths = 0", []).is_err());
}

fn change_scores(conn: &Connection, id: i64, sheet_id: i64, changes: &[(String, Tenths, String)]) -> i64 {
    super::change(conn, id, sheet_id, changes, Source::Paper, "统分人").unwrap()
}

#[test]
fn changes_outside_the_named_points_by_a_recused_or_unsubmitted_expert_or_after_closing_are_refused() {
    let mut conn = crate::open_in_memory().unwrap();
    let (rid, e, a) = setup(&mut conn);
    let id = open(&conn, rid, e[0], &[(a[0], vec!["2.1".into()]), (a[1], vec![])], "分差过大", "统分人").unwrap();
    let s = sheet(&conn, e[0], a[0]);
    let msg = |r: Result<i64>| r.unwrap_err().to_string();
    // A point not named: refused, and nothing else of the batch is written.
    let err = msg(super::change(&conn, id, s, &[change("2.1", 20, "甲"), change("3.1", 10, "乙")], Source::Paper, "统分人"));
    assert_eq!(err, "观测点 3.1 不在申报 A01 的复议范围内（本次复议只涉及观测点 2.1），不能修改");
    assert!(current(&conn, rid).unwrap().unwrap().changes.is_empty());
    assert_eq!(sheets::versions(&conn, s).unwrap().len(), 1);
    // Without a reason.
    assert_eq!(msg(super::change(&conn, id, s, &[change("2.1", 20, " ")], Source::Paper, "统分人")), "观测点 2.1 的复议修改须写明理由");
    // E02 has not submitted A02; E03 is recused from it (no sheet: it is refused at the sheet).
    assert_eq!(
        msg(super::change(&conn, id, sheet(&conn, e[1], a[1]), &[change("1.1", 20, "甲")], Source::Paper, "统分人")),
        "专家 E02 对申报 A02 没有已提交的评分表，不能参与复议"
    );
    conn.execute("UPDATE assignment SET recused = 1 WHERE expert_id = ?1 AND application_id = ?2", [e[0], a[1]]).unwrap();
    assert_eq!(
        msg(super::change(&conn, id, sheet(&conn, e[0], a[1]), &[change("1.1", 20, "甲")], Source::Paper, "统分人")),
        "专家 E01 对申报 A02 已回避，不能参与复议"
    );
    // Closed: no further change.
    super::change(&conn, id, s, &[change("2.1", 20, "甲")], Source::Paper, "统分人").unwrap();
    close(&conn, id, "统分人").unwrap();
    assert_eq!(msg(super::change(&conn, id, s, &[change("2.1", 10, "再改")], Source::Paper, "统分人")), "本次复议已结束，不能再修改评分");
    assert!(close(&conn, id, "统分人").is_err());
    assert!(current(&conn, rid).unwrap().is_none());
    assert!(audit::for_round(&conn, rid).unwrap().iter().any(|e| e.detail == "结束复议（第 1 号），共修改评分 1 处"));
    // A new 复议 can be opened once the first is closed.
    open(&conn, rid, e[0], &[(a[1], vec![])], "第二次", "统分人").unwrap();
}

#[test]
fn reconsidered_scores_travel_in_a_score_file_and_import_only_under_the_open_reconsideration() {
    let mut conn = crate::open_in_memory().unwrap();
    let (rid, e, a) = setup(&mut conn);
    let id = open(&conn, rid, e[0], &[(a[0], vec!["2.1".into()])], "A01 的 2.1 分差过大", "统分人").unwrap();
    let file = crate::scorefiles::export(&conn, rid, e[1], "2026-12-03T10:00:00Z").unwrap();
    let first = file.sheet("A01").unwrap().clone();
    assert!(first.reconsidered.is_empty() && file.format_version() == 1);
    let p21 = first.scores.iter().find(|s| s.item == "2.1").unwrap().value;

    // What the laptop's file says after the expert changed 2.1 under the 复议 there.
    let with = |item: &str, after: i64| {
        let mut f = file.clone();
        let s = f.sheets.iter_mut().find(|s| s.application == "A01").unwrap();
        s.version += 1;
        let before = s.scores.iter().find(|x| x.item == item).unwrap().value;
        s.scores.iter_mut().find(|x| x.item == item).unwrap().value = Tenths(after);
        s.reconsidered =
            vec![pingshen_core::scorefile::FileReconsidered {
                item: item.into(), before, after: Tenths(after), reason: "协议期限不足三年".into()
            }];
        pingshen_core::scorefile::parse(&f.to_json()).unwrap()
    };
    // A point outside the 复议: refused with the reason, nothing imported.
    let err = crate::scorefiles::import(&mut conn, rid, &with("3.1", 10), "统分人").unwrap_err().to_string();
    assert!(err.contains("申报 A01 的复议修改未导入：观测点 3.1 不在申报 A01 的复议范围内（本次复议只涉及观测点 2.1），不能修改"), "{err}");
    assert!(current(&conn, rid).unwrap().unwrap().changes.is_empty());
    // The named point: imported as a 复议 change, the first value kept.
    let good = with("2.1", 20);
    assert_eq!(good.format_version(), 2);
    let report = crate::scorefiles::import(&mut conn, rid, &good, "统分人").unwrap();
    assert_eq!(report.replaced.len(), 1);
    let rec = current(&conn, rid).unwrap().unwrap();
    assert_eq!((rec.changes[0].before, rec.changes[0].after, rec.changes[0].source.as_str()), (p21, Tenths(20), "file"));
    // The same file again changes nothing; the machine's own export now carries the change.
    let again = crate::scorefiles::import(&mut conn, rid, &good, "统分人").unwrap();
    assert_eq!((again.unchanged.len(), current(&conn, rid).unwrap().unwrap().changes.len()), (1, 1));
    let out = crate::scorefiles::export(&conn, rid, e[1], "2026-12-03T11:00:00Z").unwrap();
    assert_eq!(out.sheet("A01").unwrap().reconsidered, good.sheet("A01").unwrap().reconsidered);
    // Closed: a file with 复议 changes is refused.
    close(&conn, id, "统分人").unwrap();
    let err = crate::scorefiles::import(&mut conn, rid, &with("2.1", 30), "统分人").unwrap_err().to_string();
    assert!(err.contains("本机没有进行中的复议"), "{err}");
}
