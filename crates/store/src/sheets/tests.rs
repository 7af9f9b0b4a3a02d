use super::*;
use crate::rounds::{self, NewApplication, NewRound};
use pingshen_core::application::Application;
use pingshen_core::expert::Expert;

const HENAN: &str = include_str!("../../../../rubrics/henan-2023/rubric.toml");

fn round(conn: &mut Connection) -> (i64, i64, i64) {
    let mut app = Application::default();
    app.cover.name = "测试联合体".into();
    let id = rounds::create(
        conn,
        &NewRound {
            name: "测试批次".into(),
            rubric_text: HENAN.into(),
            applications: vec![NewApplication { code: "A01".into(), application: app, materials: vec![] }],
            experts: vec![Expert { code: "E01".into(), name: "张三".into(), ..Default::default() }],
            is_sample: false,
            uid: None,
        },
        "测试",
    )
    .unwrap();
    let e = crate::experts::list(conn, id).unwrap()[0].id;
    let a = crate::applications::list(conn, id).unwrap()[0].id;
    (id, e, a)
}

#[test]
fn scores_round_trip_as_exact_tenths() {
    let mut conn = crate::open_in_memory().unwrap();
    let (rid, e, a) = round(&mut conn);
    let rubric = rounds::rubric(&conn, rid).unwrap();
    let s = open(&conn, e, a).unwrap();
    assert_eq!(open(&conn, e, a).unwrap(), s, "one sheet per expert and application");
    set_score(&conn, &rubric, s, "1.1", Some(Tenths(45))).unwrap();
    set_score(&conn, &rubric, s, "2.3", Some(Tenths(40))).unwrap();
    set_comment(&conn, &rubric, s, "2.3", "章程齐全，制度尚不完善").unwrap();
    set_deduction(&conn, &rubric, s, Some(Tenths(10)), "2022年发生安全事故").unwrap();
    let d = load(&conn, s).unwrap();
    assert_eq!(d.scores.len(), 2);
    assert_eq!(d.scores[1], ScoreRow { item: "2.3".into(), value: Some(Tenths(40)), comment: "章程齐全，制度尚不完善".into() });
    assert_eq!(d.deduction.unwrap().value, Tenths(10));
    let st = statuses(&conn, rid, e).unwrap();
    assert_eq!((st[0].scored, st[0].total), (2, Tenths(85)));
}

#[test]
fn out_of_range_off_step_and_unknown_items_are_refused_and_change_nothing() {
    let mut conn = crate::open_in_memory().unwrap();
    let (rid, e, a) = round(&mut conn);
    let rubric = rounds::rubric(&conn, rid).unwrap();
    let s = open(&conn, e, a).unwrap();
    for (item, v) in [("1.1", 51), ("1.1", -5), ("1.1", 43), ("9.9", 10)] {
        let err = set_score(&conn, &rubric, s, item, Some(Tenths(v))).unwrap_err();
        assert!(matches!(err, StoreError::Score(_)), "{err}");
    }
    assert!(set_deduction(&conn, &rubric, s, Some(Tenths(105)), "").is_err());
    let d = load(&conn, s).unwrap();
    assert!(d.scores.is_empty() && d.deduction.is_none());
}

#[test]
fn the_rubric_is_frozen_and_checked_by_hash() {
    let mut conn = crate::open_in_memory().unwrap();
    let (rid, _, _) = round(&mut conn);
    let err = conn.execute("UPDATE round SET rubric_toml = 'x' WHERE id = ?1", [rid]).unwrap_err();
    assert!(err.to_string().contains("frozen"));
    // Even past the trigger (a hand-edited file), a changed rubric is detected by its hash.
    conn.execute_batch("DROP TRIGGER round_rubric_frozen").unwrap();
    let changed = HENAN.replacen("points = 5\n", "points = 4.5\n", 1).replacen("points = 3\n", "points = 3.5\n", 1);
    conn.execute("UPDATE round SET rubric_toml = ?1 WHERE id = ?2", params![changed, rid]).unwrap();
    assert!(matches!(rounds::rubric(&conn, rid), Err(StoreError::RubricTampered)));
}

#[test]
fn the_audit_log_is_append_only() {
    let mut conn = crate::open_in_memory().unwrap();
    round(&mut conn);
    let log = crate::audit::list(&conn).unwrap();
    assert_eq!(log[0].action, "create_round");
    assert!(conn.execute("UPDATE audit_log SET detail = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
}

#[test]
fn a_peer_score_is_shown_for_comparison_but_never_for_a_recused_application() {
    let mut conn = crate::open_in_memory().unwrap();
    let (rid, e, a) = round(&mut conn);
    let rubric = rounds::rubric(&conn, rid).unwrap();
    let (status, score) = peer(&conn, &rubric, rid, e, a, "1.1").unwrap();
    assert_eq!((status.sheet_id, score), (None, None), "not started: nothing to compare yet");
    let s = open(&conn, e, a).unwrap();
    set_score(&conn, &rubric, s, "1.1", Some(Tenths(45))).unwrap();
    let (_, score) = peer(&conn, &rubric, rid, e, a, "1.1").unwrap();
    assert_eq!(score.and_then(|x| x.value), Some(Tenths(45)));
    assert!(peer(&conn, &rubric, rid, e, a, "9.9").unwrap_err().to_string().contains("9.9"));
    set_score(&conn, &rubric, s, "1.1", None).unwrap();
    crate::experts::set_recused(&conn, e, a, true, "任职单位为成员单位", crate::experts::RecusalSource::Staff, "统分人").unwrap();
    assert!(peer(&conn, &rubric, rid, e, a, "1.1").unwrap_err().to_string().contains("已回避"));
}
