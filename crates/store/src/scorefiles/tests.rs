use super::*;
use crate::declarations;
use crate::experts::{self, RecusalSource};
use crate::rounds::{NewApplication, NewRound};
use pingshen_core::application::Application;
use pingshen_core::expert::Expert;
use pingshen_core::scorefile::{self, FileDeduction, FileRecusalSource, FileScore};

const HENAN: &str = include_str!("../../../../rubrics/henan-2023/rubric.toml");
const UID: &str = "00112233445566778899aabbccddeeff";

/// A database holding the same round as every other one here (same identity): A01–A03, E01–E03.
fn machine() -> Connection {
    let mut conn = crate::open_in_memory().unwrap();
    let app = |code: &str| {
        let mut a = Application::default();
        a.cover.name = format!("联合体{code}");
        NewApplication { code: code.into(), application: a, materials: vec![] }
    };
    let expert = |code: &str, name: &str| Expert { code: code.into(), name: name.into(), unit: "某职业学院".into(), ..Default::default() };
    rounds::create(
        &mut conn,
        &NewRound {
            name: "2024年评审".into(),
            rubric_text: HENAN.into(),
            applications: vec![app("A01"), app("A02"), app("A03")],
            experts: vec![expert("E01", "张三"), expert("E02", "李四"), expert("E03", "王五")],
            is_sample: false,
            uid: Some(UID.into()),
        },
        "测试",
    )
    .unwrap();
    conn
}

fn round_id(conn: &Connection) -> i64 {
    rounds::find_by_uid(conn, UID).unwrap().unwrap()
}

fn id(conn: &Connection, table: &str, code: &str) -> i64 {
    conn.query_row(&format!("SELECT id FROM {table} WHERE code = ?1"), [code], |r| r.get(0)).unwrap()
}

/// Scores every item of a sheet (the maximum less `less` steps, not below 0) with a deduction, and submits it.
fn score_and_submit(conn: &Connection, expert: &str, application: &str, less: i64) -> i64 {
    let rubric = rounds::rubric(conn, round_id(conn)).unwrap();
    let s = sheets::open(conn, id(conn, "expert", expert), id(conn, "application", application)).unwrap();
    for item in rubric.items() {
        let v = Tenths((item.points.0 - less * rubric.step.0).max(0));
        sheets::set_score(conn, &rubric, s, &item.code, Some(v)).unwrap();
        if rubric.comment_required(v, item.points) {
            sheets::set_comment(conn, &rubric, s, &item.code, "得分偏低，佐证材料不足").unwrap();
        }
    }
    sheets::set_comment(conn, &rubric, s, "2.3", "制度尚不完善").unwrap();
    sheets::set_deduction(conn, &rubric, s, Some(Tenths(10)), "发生安全事故").unwrap();
    sheets::submit(conn, s, expert).unwrap();
    s
}

fn recuse(conn: &Connection, expert: &str, application: &str) {
    conn.execute(
        "UPDATE assignment SET recused = 1 WHERE expert_id = ?1 AND application_id = ?2",
        [id(conn, "expert", expert), id(conn, "application", application)],
    )
    .unwrap();
}

/// Everything an import may touch, as text.
fn dump(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    for table in ["sheet", "score", "deduction", "assignment", "declaration", "audit_log"] {
        let mut st = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect();
            out.push(format!("{table}: {}", cells.join(" | ")));
        }
    }
    out
}

fn export_of(conn: &Connection, expert: &str) -> ScoreFile {
    export(conn, round_id(conn), id(conn, "expert", expert), "2024-05-20T10:00:00Z").unwrap()
}

fn import_into(conn: &mut Connection, file: &ScoreFile) -> Result<ImportReport> {
    let rid = round_id(conn);
    import(conn, rid, file, "统分员")
}

#[test]
fn export_carries_submitted_sheets_and_recusals_only() {
    let laptop = machine();
    score_and_submit(&laptop, "E01", "A01", 1);
    // A02 is only a draft: it stays home.
    let rubric = rounds::rubric(&laptop, round_id(&laptop)).unwrap();
    let draft = sheets::open(&laptop, id(&laptop, "expert", "E01"), id(&laptop, "application", "A02")).unwrap();
    sheets::set_score(&laptop, &rubric, draft, "1.1", Some(Tenths(30))).unwrap();
    recuse(&laptop, "E01", "A03");

    let f = export_of(&laptop, "E01");
    assert_eq!(f.round.uid, UID);
    assert_eq!(f.rubric.hash, rubric.hash());
    assert_eq!((f.expert.code.as_str(), f.expert.name.as_str()), ("E01", "张三"));
    let apps: Vec<(&str, i64, bool)> = f.sheets.iter().map(|s| (s.application.as_str(), s.version, s.recused)).collect();
    assert_eq!(apps, [("A01", 1, false), ("A03", 0, true)]);
    let a01 = f.sheet("A01").unwrap();
    let codes: Vec<&str> = a01.scores.iter().map(|s| s.item.as_str()).collect();
    let rubric_codes: Vec<&str> = rubric.items().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, rubric_codes, "every item, in rubric order");
    assert_eq!(a01.scores[0].value, Tenths(45), "1.1: 5 less one step");
    assert!(a01.submitted_at.is_some());
    assert_eq!(a01.deduction, Some(FileDeduction { value: Tenths(10), reason: "发生安全事故".into() }));
    // What is written reads back as the same file.
    assert_eq!(scorefile::parse(&f.to_json()).unwrap(), f);
}

#[test]
fn an_expert_with_nothing_submitted_has_no_score_file() {
    let laptop = machine();
    recuse(&laptop, "E02", "A01");
    let err = export(&laptop, round_id(&laptop), id(&laptop, "expert", "E02"), "t").unwrap_err();
    assert!(matches!(err, StoreError::NothingSubmitted { .. }), "{err}");
    assert_eq!(err.to_string(), "专家 E02（李四）还没有提交任何评分表，没有可导出的评分文件");
}

#[test]
fn import_adds_then_a_higher_version_replaces_and_the_audit_log_says_so() {
    let laptop = machine();
    let mut hub = machine();
    let s1 = score_and_submit(&laptop, "E01", "A01", 1);
    score_and_submit(&laptop, "E01", "A02", 2);
    recuse(&laptop, "E01", "A03");
    let v1 = export_of(&laptop, "E01");

    let r = import_into(&mut hub, &v1).unwrap();
    assert_eq!(r.added, [SheetVersion { application: "A01".into(), version: 1 }, SheetVersion { application: "A02".into(), version: 1 }]);
    assert_eq!(r.recused, ["A03"]);
    assert_eq!(r.summary_zh(), "新增 2 份，替换 0 份，未变 0 份，登记回避 1 项");
    assert_eq!(r.content_hash, v1.content_hash());
    // The hub holds what the laptop holds, submitted and locked.
    let hub_sheet: i64 = hub
        .query_row(
            "SELECT id FROM sheet WHERE expert_id = ?1 AND application_id = ?2",
            [id(&hub, "expert", "E01"), id(&hub, "application", "A01")],
            |r| r.get(0),
        )
        .unwrap();
    let (on_hub, on_laptop) = (sheets::load(&hub, hub_sheet).unwrap(), sheets::load(&laptop, s1).unwrap());
    assert_eq!(
        (on_hub.scores, on_hub.deduction, on_hub.version, on_hub.submitted, on_hub.submitted_at),
        (on_laptop.scores, on_laptop.deduction, 1, true, on_laptop.submitted_at)
    );
    let rubric = rounds::rubric(&hub, round_id(&hub)).unwrap();
    assert!(matches!(sheets::set_score(&hub, &rubric, hub_sheet, "1.1", Some(Tenths(10))), Err(StoreError::Locked)));
    assert_eq!(crate::panel::panel_input(&hub, round_id(&hub)).unwrap().cells.len(), 3, "two sheets and a recusal");

    // The same file again changes nothing.
    let before = dump(&hub);
    let again = import_into(&mut hub, &v1).unwrap();
    assert!(again.is_empty() && again.unchanged.len() == 2 && again.already_recused == ["A03"], "{again:?}");
    let after = dump(&hub);
    assert_eq!(before, after[..after.len() - 1], "only the summary line is added to the audit log");

    // Reopened, changed and re-submitted on the laptop: version 2 replaces version 1; A02 is unchanged.
    let rubric = rounds::rubric(&laptop, round_id(&laptop)).unwrap();
    sheets::reopen(&laptop, s1, "统分员", "专家要求修改 1.1").unwrap();
    sheets::set_score(&laptop, &rubric, s1, "1.1", Some(Tenths(30))).unwrap();
    sheets::set_comment(&laptop, &rubric, s1, "1.1", "牵头单位作用不明显").unwrap();
    assert_eq!(sheets::submit(&laptop, s1, "E01").unwrap(), 2);
    let v2 = export_of(&laptop, "E01");
    let r = import_into(&mut hub, &v2).unwrap();
    assert_eq!(r.replaced, [Replacement { application: "A01".into(), from: 1, to: 2 }]);
    assert_eq!(r.unchanged, [SheetVersion { application: "A02".into(), version: 1 }]);
    let on_hub = sheets::load(&hub, hub_sheet).unwrap();
    assert_eq!((on_hub.version, on_hub.scores[0].value, on_hub.scores[0].comment.as_str()), (2, Some(Tenths(30)), "牵头单位作用不明显"));
    let log = audit::list(&hub).unwrap();
    let entry = log.iter().find(|e| e.action == "score_file_import" && e.detail.contains("第 1 版 → 第 2 版")).expect("the replacement is logged");
    assert!(
        entry.detail.contains("专家 E01（张三）") && entry.detail.contains("申报 A01") && entry.detail.contains(&v2.content_hash()),
        "{}",
        entry.detail
    );
    assert_eq!(entry.actor, "统分员");

    // The old file is refused now, naming the application and both versions, and changes nothing.
    let before = dump(&hub);
    let err = import_into(&mut hub, &v1).unwrap_err();
    assert!(err.to_string().contains("申报 A01：文件中是第 1 版评分表，本机已有第 2 版"), "{err}");
    assert_eq!(dump(&hub), before);
}

/// Imports a changed copy of a good file and expects a refusal mentioning `expected` and no change.
fn refused(hub: &mut Connection, file: &ScoreFile, expected: &str) {
    let before = dump(hub);
    let err = import_into(hub, file).unwrap_err();
    assert!(matches!(err, StoreError::ScoreFileRefused(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.starts_with("评分文件未导入（本机数据未做任何改动）："), "{msg}");
    assert!(msg.contains(expected), "expected “{expected}” in: {msg}");
    assert_eq!(dump(hub), before, "a refused file changes nothing: {msg}");
}

#[test]
fn every_refusal_names_its_reason_and_changes_nothing() {
    let laptop = machine();
    score_and_submit(&laptop, "E01", "A01", 1);
    score_and_submit(&laptop, "E01", "A02", 0);
    let good = export_of(&laptop, "E01");
    let mut hub = machine();
    // The hub already holds something, so that "nothing changes" means something.
    score_and_submit(&hub, "E02", "A01", 3);

    let mut f = good.clone();
    f.round.uid = "ffffffffffffffffffffffffffffffff".into();
    f.round.name = "另一批次".into();
    refused(&mut hub, &f, "这是另一个评审批次的评分文件（文件属于「另一批次」，批次标识 ffffffffffffffffffffffffffffffff；本批次是「2024年评审」");

    let mut f = good.clone();
    f.rubric.hash = "0".repeat(64);
    refused(&mut hub, &f, "评分文件所用的评分标准与本批次冻结的评分标准不同（文件：henan-2023，校验码 0000-0000-0000-0000-0000-0000-0000-0000");

    let mut f = good.clone();
    f.expert.code = "E09".into();
    refused(&mut hub, &f, "评分文件的专家 E09（张三）不在本批次的专家名单中");

    let mut f = good.clone();
    f.sheets[1].application = "A99".into();
    refused(&mut hub, &f, "申报编号 A99 不在本批次中");

    // Every problem of the file at once.
    let mut f = good.clone();
    f.sheets[0].scores[0].value = Tenths(60);
    f.sheets[0].scores[1].value = Tenths(21);
    f.sheets[1].scores.pop();
    f.sheets[1].deduction = Some(FileDeduction { value: Tenths(200), reason: String::new() });
    refused(&mut hub, &f, "专家 E01（张三）的评分文件有 4 处问题：1. 申报 A01：观测点 1.1 的得分须在 0–5 分之间，6 超出范围；2. 申报 A01：观测点 1.2 的得分须为 0.5 分的整数倍，2.1 不符合；3. 申报 A02 的评分表不完整，缺少观测点 6.3；4. 申报 A02：扣分须在 0–10 分之间，20 超出范围");

    let mut f = good.clone();
    f.sheets[0].scores.push(FileScore { item: "9.9".into(), value: Tenths(10), comment: String::new() });
    refused(&mut hub, &f, "观测点 9.9 不在本批次的评分标准中");

    // A version this machine already has with other content, and an older one.
    import_into(&mut hub, &good).unwrap();
    let mut f = good.clone();
    f.sheets[0].scores[0].comment = "改过".into();
    refused(&mut hub, &f, "申报 A01：文件中是第 1 版评分表，本机已有第 1 版，只有版本更高的评分表才能替换已有的");
    let mut f = good.clone();
    f.sheets[0].version = 2;
    import_into(&mut hub, &f).unwrap();
    refused(&mut hub, &good, "申报 A01：文件中是第 1 版评分表，本机已有第 2 版");

    // Recusals that contradict this machine.
    recuse(&hub, "E01", "A03");
    let mut f = good.clone();
    f.sheets[0].version = 3;
    f.sheets.push(FileSheet {
        application: "A03".into(),
        version: 1,
        submitted_at: Some("t".into()),
        recused: false,
        scores: good.sheets[0].scores.clone(),
        deduction: None,
        vetoes: vec![],
        recommendation: None,
        opinion: String::new(),
        reconsidered: vec![],
    });
    refused(&mut hub, &f, "申报 A03：本机登记该专家已回避，文件中却有其评分表");
    let mut f = good.clone();
    f.sheets[0] = FileSheet {
        application: "A01".into(),
        version: 0,
        submitted_at: None,
        recused: true,
        scores: vec![],
        deduction: None,
        vetoes: vec![],
        recommendation: None,
        opinion: String::new(),
        reconsidered: vec![],
    };
    refused(&mut hub, &f, "申报 A01：文件声明该专家回避，但本机已有其评分表（第 2 版）");

    let mut f = good.clone();
    f.sheets.push(f.sheets[1].clone());
    refused(&mut hub, &f, "申报 A02 在文件中出现了两次");
}

#[test]
fn submit_needs_every_item_and_reopen_needs_a_reason() {
    let conn = machine();
    let rubric = rounds::rubric(&conn, round_id(&conn)).unwrap();
    let s = sheets::open(&conn, id(&conn, "expert", "E01"), id(&conn, "application", "A01")).unwrap();
    for item in rubric.items().filter(|i| i.code != "2.3" && i.code != "6.1") {
        sheets::set_score(&conn, &rubric, s, &item.code, Some(item.points)).unwrap();
    }
    let err = sheets::submit(&conn, s, "E01").unwrap_err();
    assert_eq!(err.to_string(), "评分表还不能提交：尚未评分的观测点：2.3、6.1");
    let err = sheets::reopen(&conn, s, "统分员", "理由").unwrap_err();
    assert!(matches!(err, StoreError::NotSubmitted), "{err:?}");
    assert_eq!(err.to_string(), "只有已提交的评分表才能退回修改");
    sheets::set_score(&conn, &rubric, s, "2.3", Some(Tenths(0))).unwrap();
    sheets::set_score(&conn, &rubric, s, "6.1", Some(Tenths(5))).unwrap();
    // Low scores need their comments before the sheet can go.
    let err = sheets::submit(&conn, s, "E01").unwrap_err();
    assert!(err.to_string().contains("观测点 2.3 得 0 分，低于满分 5 的 60%，须填写评语"), "{err}");
    sheets::set_comment(&conn, &rubric, s, "2.3", "未见章程").unwrap();
    sheets::set_comment(&conn, &rubric, s, "6.1", "特色不明显").unwrap();

    assert_eq!(sheets::submit(&conn, s, "E01").unwrap(), 1);
    let d = sheets::load(&conn, s).unwrap();
    assert!(d.submitted && d.version == 1 && d.submitted_at.is_some());
    assert!(matches!(sheets::set_score(&conn, &rubric, s, "1.1", Some(Tenths(0))), Err(StoreError::Locked)));
    assert!(matches!(sheets::submit(&conn, s, "E01"), Err(StoreError::Locked)));

    let before = dump(&conn);
    let err = sheets::reopen(&conn, s, "统分员", "  ").unwrap_err();
    assert!(matches!(err, StoreError::ReasonRequired { .. }), "{err:?}");
    assert_eq!(err.to_string(), "退回评分表须写明理由");
    assert_eq!(dump(&conn), before);
    sheets::reopen(&conn, s, "统分员", "专家要求更正 2.3").unwrap();
    let d = sheets::load(&conn, s).unwrap();
    assert!(!d.submitted && d.version == 1, "a reopened sheet is a draft and keeps its version");
    sheets::set_score(&conn, &rubric, s, "2.3", Some(Tenths(20))).unwrap();
    assert_eq!(sheets::submit(&conn, s, "E01").unwrap(), 2);

    // (The item-by-item changes of the re-submission, `resubmit_change`, are tested in sheets.rs.)
    let log: Vec<(String, String)> =
        audit::list(&conn).unwrap().into_iter().filter(|e| e.action != "resubmit_change").map(|e| (e.action, e.detail)).collect();
    let tail: Vec<&(String, String)> = log.iter().rev().take(3).collect();
    assert_eq!(tail[2].0, "submit_sheet");
    assert!(tail[2].1.contains("专家 E01 提交申报 A01 的评分表（第 1 版"), "{}", tail[2].1);
    assert_eq!(tail[1].0, "reopen_sheet");
    assert!(tail[1].1.contains("第 1 版") && tail[1].1.contains("理由：专家要求更正 2.3"), "{}", tail[1].1);
    assert!(tail[0].1.contains("第 2 版"), "{}", tail[0].1);
}

#[test]
fn a_round_keeps_its_identity() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A round made before identities existed gets one on upgrade.
        let mut c = Connection::open(&path).unwrap();
        crate::migrate::to_version(&mut c, 2).unwrap();
        c.execute("INSERT INTO round (name, rubric_id, rubric_title, rubric_toml, rubric_hash) VALUES ('旧', 'x', 'x', 'x', 'x')", []).unwrap();
    }
    let mut conn = crate::open(&path).unwrap();
    let old: String = conn.query_row("SELECT uid FROM round", [], |r| r.get(0)).unwrap();
    assert!(old.len() == 32 && old.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{old}");
    // A new round gets a fresh one; a given one is kept; none can be taken twice or changed.
    let new = |uid: Option<&str>| NewRound {
        name: "新".into(),
        rubric_text: HENAN.into(),
        applications: vec![],
        experts: vec![],
        is_sample: false,
        uid: uid.map(String::from),
    };
    let a = rounds::create(&mut conn, &new(None), "t").unwrap();
    let b = rounds::create(&mut conn, &new(Some(UID)), "t").unwrap();
    let (ua, ub) = (rounds::get(&conn, a).unwrap().uid, rounds::get(&conn, b).unwrap().uid);
    assert!(ua.len() == 32 && ua != old);
    assert_eq!(ub, UID);
    let err = rounds::create(&mut conn, &new(Some(UID)), "t").unwrap_err();
    assert!(err.to_string().contains("本机已有这个评审批次"), "{err}");
    let err = rounds::create(&mut conn, &new(Some("ABC")), "t").unwrap_err();
    assert!(err.to_string().contains("格式不对"), "{err}");
    assert!(conn.execute("UPDATE round SET uid = ?1 WHERE id = ?2", params![UID.replace('0', "1"), a]).is_err());
    // A row inserted by hand without an identity still gets one.
    conn.execute("INSERT INTO round (name, rubric_id, rubric_title, rubric_toml, rubric_hash) VALUES ('手工', 'x', 'x', 'x', 'x')", []).unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM round WHERE uid IS NULL", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
}

/// On E01's laptop: staff recused E01 from A02 (a round file carries that), E01 signed twice (the second
/// time declaring a conflict with A03), and submitted A01.
fn declared_laptop() -> Connection {
    let mut laptop = machine();
    let (e01, a02, a03) = (id(&laptop, "expert", "E01"), id(&laptop, "application", "A02"), id(&laptop, "application", "A03"));
    experts::set_recused(&laptop, e01, a02, true, "曾任牵头学校顾问", RecusalSource::Staff, "统分员").unwrap();
    declarations::sign(&mut laptop, e01, &[], "").unwrap();
    declarations::sign(&mut laptop, e01, &[(a03, "本人在该联合体牵头学校兼职".into())], "曾参与 A01 的前期咨询").unwrap();
    score_and_submit(&laptop, "E01", "A01", 1);
    laptop
}

#[test]
fn recusal_reasons_and_the_declaration_travel_to_the_hub_once() {
    let laptop = declared_laptop();
    let e01 = id(&laptop, "expert", "E01");
    let signed = declarations::latest(&laptop, e01).unwrap().unwrap();
    let f = export_of(&laptop, "E01");
    let apps: Vec<(&str, bool)> = f.sheets.iter().map(|s| (s.application.as_str(), s.recused)).collect();
    assert_eq!(apps, [("A01", false), ("A02", true), ("A03", true)]);
    let reason = |a: &str| f.recusal(a).map(|r| (r.reason.as_str(), r.source));
    assert_eq!(reason("A02"), Some(("曾任牵头学校顾问", FileRecusalSource::Staff)));
    assert_eq!(reason("A03"), Some(("本人在该联合体牵头学校兼职", FileRecusalSource::Expert)));
    assert_eq!(reason("A01"), None);
    let d = f.declaration.as_ref().expect("the newest declaration");
    assert_eq!((d.signed_at.as_str(), d.statement.as_str()), (signed.signed_at.as_str(), "曾参与 A01 的前期咨询"));
    assert_eq!(scorefile::parse(&f.to_json()).unwrap(), f);

    let mut hub = machine();
    let hub_e01 = id(&hub, "expert", "E01");
    // A refused file writes neither the recusals nor the declaration.
    let mut broken = f.clone();
    broken.sheets[0].scores.pop();
    refused(&mut hub, &broken, "申报 A01 的评分表不完整");
    assert_eq!(declarations::latest(&hub, hub_e01).unwrap(), None);

    let r = import_into(&mut hub, &f).unwrap();
    assert_eq!(r.recused, ["A02", "A03"]);
    assert_eq!(r.declaration.as_deref(), Some(signed.signed_at.as_str()));
    assert_eq!(r.summary_zh(), "新增 1 份，替换 0 份，未变 0 份，登记回避 2 项，登记回避声明和承诺书 1 份");
    let rows: Vec<(bool, String, Option<RecusalSource>)> = experts::assignments(&hub, round_id(&hub))
        .unwrap()
        .into_iter()
        .filter(|a| a.expert_id == hub_e01)
        .map(|a| (a.recused, a.reason, a.source))
        .collect();
    assert_eq!(
        rows,
        [
            (false, String::new(), None),
            (true, "曾任牵头学校顾问".into(), Some(RecusalSource::Staff)),
            (true, "本人在该联合体牵头学校兼职".into(), Some(RecusalSource::Expert)),
        ]
    );
    let on_hub = declarations::latest(&hub, hub_e01).unwrap().unwrap();
    assert_eq!((on_hub.signed_at, on_hub.statement), (signed.signed_at.clone(), signed.statement.clone()));
    let log = audit::list(&hub).unwrap();
    let entry = |needle: &str| log.iter().any(|e| e.action == "score_file_import" && e.actor == "统分员" && e.detail.contains(needle));
    assert!(entry("回避申报 A03（专家本人声明：本人在该联合体牵头学校兼职）"), "{log:?}");
    assert!(entry("回避申报 A02（统分人员登记：曾任牵头学校顾问）"), "{log:?}");
    assert!(entry(&format!("专家 E01（张三）的回避声明和承诺书（签署于 {}）；其他声明：曾参与 A01 的前期咨询", signed.signed_at)), "{log:?}");
    assert!(log.iter().any(|e| e.action == "recuse" && e.detail == "专家 E01 本人声明回避申报 A03：本人在该联合体牵头学校兼职"));

    // The same file again changes nothing but the summary line.
    let before = dump(&hub);
    let again = import_into(&mut hub, &f).unwrap();
    assert!(again.is_empty() && again.already_recused == ["A02", "A03"] && again.declaration.is_none(), "{again:?}");
    assert_eq!(again.summary_zh(), "新增 0 份，替换 0 份，未变 1 份，登记回避 0 项");
    let after = dump(&hub);
    assert_eq!(before, after[..after.len() - 1], "only the summary line is added to the audit log");
}

#[test]
fn a_reason_missing_here_is_filled_in_but_this_machines_own_reason_stands() {
    let laptop = declared_laptop();
    let f = export_of(&laptop, "E01");
    let mut hub = machine();
    let (e01, a02) = (id(&hub, "expert", "E01"), id(&hub, "application", "A02"));
    // A03 was recused here before reasons were kept; A02 was recused here by staff with a reason of its own.
    recuse(&hub, "E01", "A03");
    experts::set_recused(&hub, e01, a02, true, "统分机登记的理由", RecusalSource::Staff, "统分员").unwrap();

    let r = import_into(&mut hub, &f).unwrap();
    assert_eq!(
        (r.recused.len(), r.already_recused.clone(), r.reasons_added.clone()),
        (0, vec!["A02".to_string(), "A03".into()], vec!["A03".to_string()])
    );
    assert!(r.summary_zh().contains("补记回避理由 1 项"), "{}", r.summary_zh());
    let rows = experts::assignments(&hub, round_id(&hub)).unwrap();
    let of = |a: &str| {
        rows.iter().find(|x| x.expert_id == e01 && x.application_id == id(&hub, "application", a)).map(|x| (x.reason.clone(), x.source)).unwrap()
    };
    assert_eq!(of("A02"), ("统分机登记的理由".into(), Some(RecusalSource::Staff)));
    assert_eq!(of("A03"), ("本人在该联合体牵头学校兼职".into(), Some(RecusalSource::Expert)));
    let before = dump(&hub);
    assert!(import_into(&mut hub, &f).unwrap().is_empty());
    let after = dump(&hub);
    assert_eq!(before, after[..after.len() - 1]);
}

#[test]
fn a_declaration_held_here_or_older_than_one_held_here_is_not_recorded_again() {
    let laptop = declared_laptop();
    let f = export_of(&laptop, "E01");
    let signed_at = f.declaration.as_ref().unwrap().signed_at.clone();
    let mut hub = machine();
    let e01 = id(&hub, "expert", "E01");
    // Signed on this machine later than on the laptop (the ISO times compare as text).
    hub.execute("INSERT INTO declaration (expert_id, statement, signed_at) VALUES (?1, '', '9999-01-01T00:00:00.000Z')", [e01]).unwrap();
    let r = import_into(&mut hub, &f).unwrap();
    assert_eq!(r.declaration, None);
    assert_eq!(declarations::latest(&hub, e01).unwrap().unwrap().signed_at, "9999-01-01T00:00:00.000Z");

    // An older file without a declaration, then the newer one with it: recorded once.
    let mut hub = machine();
    let e01 = id(&hub, "expert", "E01");
    let mut plain = f.clone();
    plain.declaration = None;
    plain.recusal_details.clear();
    assert_eq!(import_into(&mut hub, &plain).unwrap().declaration, None);
    assert_eq!(declarations::latest(&hub, e01).unwrap(), None, "no declaration in the file, none recorded");
    let r = import_into(&mut hub, &f).unwrap();
    assert_eq!((r.declaration.as_deref(), r.reasons_added.len()), (Some(signed_at.as_str()), 2));
    let n: i64 = hub.query_row("SELECT count(*) FROM declaration WHERE expert_id = ?1", [e01], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
    assert!(import_into(&mut hub, &f).unwrap().is_empty());
}
