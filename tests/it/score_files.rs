//! Score files between machines (docs/score-file.md): two experts' laptops export their sheets, a third
//! machine imports the files, and its consolidation is the one a single shared machine would give.

use std::path::Path;

use pingshen_core::application::Application;
use pingshen_core::consolidation::{consolidate, Consolidation, Settings, Status};
use pingshen_core::expert::Expert;
use pingshen_core::scorefile::{self, ScoreFile};
use pingshen_core::Tenths;
use pingshen_store::experts::{self, RecusalSource};
use pingshen_store::rounds::{self, NewApplication, NewRound};
use pingshen_store::{audit, declarations, panel, scorefiles, sheets, Connection, StoreError};
use pingshen_tests::root;

const APPLICATIONS: [&str; 3] = ["A01", "A02", "A03"];
const EXPERTS: [&str; 3] = ["E01", "E02", "E03"];

/// The round, created on a machine; `uid` None makes a new round, Some sets the same round up elsewhere.
fn setup(path: &Path, uid: Option<String>) -> (Connection, i64) {
    let mut conn = pingshen_store::open(path).unwrap();
    let names = ["洛阳装备制造产教联合体", "郑州电子信息产教联合体", "新乡现代农业产教联合体"];
    let applications = APPLICATIONS
        .iter()
        .zip(names)
        .map(|(code, name)| {
            let mut application = Application::default();
            application.cover.name = name.into();
            NewApplication { code: code.to_string(), application, materials: vec![] }
        })
        .collect();
    let experts = EXPERTS
        .iter()
        .zip(["张三", "李四", "王五"])
        .map(|(code, name)| Expert { code: code.to_string(), name: name.into(), unit: "某职业技术学院".into(), ..Default::default() })
        .collect();
    let new = NewRound {
        name: "2024年市域产教联合体评审".into(),
        rubric_text: std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap(),
        applications,
        experts,
        is_sample: false,
        uid,
    };
    let id = rounds::create(&mut conn, &new, "统分员").unwrap();
    (conn, id)
}

fn id(conn: &Connection, table: &str, code: &str) -> i64 {
    conn.query_row(&format!("SELECT id FROM {table} WHERE code = ?1"), [code], |r| r.get(0)).unwrap()
}

/// What an expert gives an item of an application: the maximum less a few steps, differing by expert and
/// application so that the ranking and the flags are not trivial.
fn value(expert: usize, application: usize, item: usize, points: Tenths) -> Tenths {
    let less = ((expert * 2 + application * 3 + item) % 5) as i64 + application as i64;
    Tenths((points.0 - less * 5).max(0))
}

/// Scores and submits one sheet the way an expert would on the machine in front of them.
fn score(conn: &Connection, round: i64, expert: usize, application: usize) -> i64 {
    let rubric = rounds::rubric(conn, round).unwrap();
    let s = sheets::open(conn, id(conn, "expert", EXPERTS[expert]), id(conn, "application", APPLICATIONS[application])).unwrap();
    for (i, item) in rubric.items().enumerate() {
        let v = value(expert, application, i, item.points);
        sheets::set_score(conn, &rubric, s, &item.code, Some(v)).unwrap();
        if rubric.comment_required(v, item.points) {
            sheets::set_comment(conn, &rubric, s, &item.code, "佐证材料不足，得分偏低").unwrap();
        }
    }
    if application == 1 && expert < 2 {
        sheets::set_deduction(conn, &rubric, s, Some(Tenths(10)), "2022年发生一般安全事故").unwrap();
    }
    assert_eq!(sheets::submit(conn, s, EXPERTS[expert]).unwrap(), 1);
    s
}

/// E02 is recused from A03 on the single machine (marked directly, without a reason: consolidation does not read it).
fn recuse_e02_from_a03(conn: &Connection) {
    conn.execute(
        "UPDATE assignment SET recused = 1 WHERE expert_id = ?1 AND application_id = ?2",
        [id(conn, "expert", "E02"), id(conn, "application", "A03")],
    )
    .unwrap();
}

fn consolidation(conn: &Connection, round: i64) -> Consolidation {
    let rubric = rounds::rubric(conn, round).unwrap();
    consolidate(&rubric, &Settings::default(), &panel::panel_input(conn, round).unwrap()).unwrap()
}

/// Exports an expert's score file to disk, as the laptop would, and reads it back, as staff would.
fn carry(conn: &Connection, round: i64, expert: &str, dir: &Path, exported_at: &str) -> ScoreFile {
    let file = scorefiles::export(conn, round, id(conn, "expert", expert), exported_at).unwrap();
    let path = dir.join(file.file_name());
    std::fs::write(&path, file.to_json()).unwrap();
    let back = scorefile::parse_bytes(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(back, file);
    back
}

fn dump(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    for table in ["sheet", "score", "deduction", "assignment", "declaration", "audit_log"] {
        let mut st = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            out.push(format!("{table}: {:?}", (0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>()));
        }
    }
    out
}

#[test]
fn score_files_from_two_laptops_merged_on_a_third_machine_rank_as_one_machine_does() {
    let dir = tempfile::tempdir().unwrap();
    let (mut hub, hub_round) = setup(&dir.path().join("hub.db"), None);
    let uid = rounds::get(&hub, hub_round).unwrap().uid;
    let (laptop1, round1) = setup(&dir.path().join("laptop1.db"), Some(uid.clone()));
    let (mut laptop2, round2) = setup(&dir.path().join("laptop2.db"), Some(uid.clone()));
    let (single, single_round) = setup(&dir.path().join("single.db"), Some(uid.clone()));

    // Laptop 1: E01 scores everything. Laptop 2: E02 (who declares a conflict with A03 when signing the
    // 回避声明) and E03. The single machine: all of it.
    let mut e01_a01 = 0;
    for a in 0..3 {
        let s = score(&laptop1, round1, 0, a);
        if a == 0 {
            e01_a01 = s;
        }
    }
    let e02_on_laptop = id(&laptop2, "expert", "E02");
    let a03_on_laptop = id(&laptop2, "application", "A03");
    declarations::sign(&mut laptop2, e02_on_laptop, &[(a03_on_laptop, "本人在该联合体牵头学校兼职".into())], "").unwrap();
    let e02_signed = declarations::latest(&laptop2, e02_on_laptop).unwrap().unwrap();
    recuse_e02_from_a03(&single);
    for (e, a) in [(1, 0), (1, 1), (2, 0), (2, 1), (2, 2)] {
        score(&laptop2, round2, e, a);
    }
    let mut single_e01_a01 = 0;
    for (e, a) in [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 0), (2, 1), (2, 2)] {
        let s = score(&single, single_round, e, a);
        if (e, a) == (0, 0) {
            single_e01_a01 = s;
        }
    }

    // Nothing has arrived yet: every application waits for sheets.
    assert!(consolidation(&hub, hub_round).applications.iter().all(|a| a.status == Status::Incomplete));

    let outbox = dir.path().join("usb");
    std::fs::create_dir(&outbox).unwrap();
    let files = [
        carry(&laptop1, round1, "E01", &outbox, "2024-05-20T10:00:00Z"),
        carry(&laptop2, round2, "E02", &outbox, "2024-05-20T10:05:00Z"),
        carry(&laptop2, round2, "E03", &outbox, "2024-05-20T10:06:00Z"),
    ];
    assert_eq!(files[1].sheets.iter().filter(|s| s.recused).count(), 1, "E02's recusal travels in the file");
    assert_eq!(files[1].recusal("A03").map(|r| r.reason.as_str()), Some("本人在该联合体牵头学校兼职"), "with its reason");
    assert!(files[0].declaration.is_none() && files[2].declaration.is_none(), "E01 and E03 signed nothing");
    for f in &files {
        let r = scorefiles::import(&mut hub, hub_round, f, "统分员").unwrap();
        assert!(r.replaced.is_empty() && r.unchanged.is_empty(), "{r:?}");
    }
    // On the hub, E02 has signed (the laptop's declaration, at the laptop's time) and the recusal has its reason.
    let e02 = id(&hub, "expert", "E02");
    let on_hub = declarations::latest(&hub, e02).unwrap().expect("E02's declaration arrived");
    assert_eq!((on_hub.signed_at, on_hub.statement), (e02_signed.signed_at, e02_signed.statement));
    assert_eq!(declarations::latest(&hub, id(&hub, "expert", "E01")).unwrap(), None);
    let recusal = experts::assignments(&hub, hub_round)
        .unwrap()
        .into_iter()
        .find(|a| a.expert_id == e02 && a.application_id == id(&hub, "application", "A03"))
        .unwrap();
    assert_eq!((recusal.recused, recusal.reason.as_str(), recusal.source), (true, "本人在该联合体牵头学校兼职", Some(RecusalSource::Expert)));
    // Carried again, E02's file changes nothing.
    let before = dump(&hub);
    assert!(scorefiles::import(&mut hub, hub_round, &files[1], "统分员").unwrap().is_empty());
    let after = dump(&hub);
    assert_eq!(before, after[..after.len() - 1], "only the summary line");

    let merged = consolidation(&hub, hub_round);
    let direct = consolidation(&single, single_round);
    assert_eq!(merged, direct, "the merged round consolidates exactly as the single machine");
    assert!(merged.applications.iter().all(|a| a.status == Status::Complete && a.rank.is_some()), "{merged:?}");
    let ranking: Vec<(&str, u32)> = merged.applications.iter().map(|a| (a.code.as_str(), a.rank.unwrap())).collect();
    assert_eq!(ranking, [("A01", 1), ("A02", 2), ("A03", 3)]);
    let a03 = merged.applications.iter().find(|a| a.code == "A03").unwrap();
    assert_eq!(a03.recused, ["E02"]);

    // E01 asks for A01 back: reopened, 1.1 lowered, submitted again as version 2, on the laptop and (for the
    // comparison) on the single machine.
    for (conn, round, sheet) in [(&laptop1, round1, e01_a01), (&single, single_round, single_e01_a01)] {
        let rubric = rounds::rubric(conn, round).unwrap();
        sheets::reopen(conn, sheet, "统分员", "专家申请更正观测点 1.1").unwrap();
        sheets::set_score(conn, &rubric, sheet, "1.1", Some(Tenths(5))).unwrap();
        sheets::set_comment(conn, &rubric, sheet, "1.1", "牵头单位统筹作用未体现").unwrap();
        assert_eq!(sheets::submit(conn, sheet, "E01").unwrap(), 2);
    }
    let v2 = carry(&laptop1, round1, "E01", &outbox, "2024-05-20T11:00:00Z");
    assert_ne!(v2.short_hash(), files[0].short_hash());
    let r = scorefiles::import(&mut hub, hub_round, &v2, "统分员").unwrap();
    assert_eq!(r.replaced, [scorefiles::Replacement { application: "A01".into(), from: 1, to: 2 }]);
    assert_eq!(r.unchanged.len(), 2, "the other two sheets of the re-export are the ones already here");
    let logged = audit::list(&hub).unwrap().into_iter().any(|e| {
        e.action == "score_file_import"
            && e.detail.contains("E01")
            && e.detail.contains("申报 A01")
            && e.detail.contains("第 1 版 → 第 2 版")
            && e.detail.contains(&v2.content_hash())
    });
    assert!(logged, "the replacement is in the audit log with the file's hash");
    assert_eq!(consolidation(&hub, hub_round), consolidation(&single, single_round), "and still as on one machine");

    // The old version-1 file again: refused, nothing changes.
    let before = dump(&hub);
    let err = scorefiles::import(&mut hub, hub_round, &files[0], "统分员").unwrap_err();
    assert!(matches!(err, StoreError::ScoreFileRefused(_)), "{err:?}");
    assert!(err.to_string().contains("申报 A01：文件中是第 1 版评分表，本机已有第 2 版"), "{err}");
    assert_eq!(dump(&hub), before);
}

#[test]
fn a_changed_byte_in_a_carried_file_is_refused_before_import() {
    let dir = tempfile::tempdir().unwrap();
    let (laptop, round) = setup(&dir.path().join("laptop.db"), None);
    score(&laptop, round, 0, 0);
    let file = scorefiles::export(&laptop, round, id(&laptop, "expert", "E01"), "2024-05-20T10:00:00Z").unwrap();
    let text = file.to_json();
    // Someone "corrects" a score in a text editor.
    let edited = text.replacen("\"value\":\"4.5\"", "\"value\":\"5\"", 1);
    assert_ne!(edited, text);
    let err = scorefile::parse(&edited).unwrap_err();
    assert_eq!(err.to_string(), "文件内容与校验值不符，可能已被改动或损坏");
    // A file from another round of the same rubric is refused at import with the round named.
    let (mut other, other_round) = setup(&dir.path().join("other.db"), None);
    let before = dump(&other);
    let err = scorefiles::import(&mut other, other_round, &file, "统分员").unwrap_err();
    assert!(err.to_string().contains("这是另一个评审批次的评分文件"), "{err}");
    assert_eq!(dump(&other), before);
}

#[test]
fn a_score_file_written_before_declarations_and_recusal_reasons_still_imports_as_it_did() {
    // Exported by the code as it was before the optional members (tests/fixtures/scores/score-files).
    let path = root().join("tests/fixtures/scores/score-files/v1-before-declarations-E02.json");
    let bytes = std::fs::read(&path).unwrap();
    let file = scorefile::parse_bytes(&bytes).unwrap();
    assert_eq!(file.content_hash(), "bfa9c8a37dc11d6129265b2b571811645babb161e78c7d4af73157a3b6179587");
    assert_eq!(file.to_json().as_bytes(), &bytes[..]);
    assert!(file.declaration.is_none() && file.recusal_details.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let (mut hub, round) = setup(&dir.path().join("hub.db"), Some(file.round.uid.clone()));
    let r = scorefiles::import(&mut hub, round, &file, "统分员").unwrap();
    assert_eq!(r.summary_zh(), "新增 2 份，替换 0 份，未变 0 份，登记回避 1 项");
    assert_eq!((r.recused.clone(), r.reasons_added.len(), r.declaration.clone()), (vec!["A03".to_string()], 0, None));
    let e02 = id(&hub, "expert", "E02");
    let recusal = experts::assignments(&hub, round).unwrap().into_iter().find(|a| a.expert_id == e02 && a.recused).unwrap();
    assert_eq!((recusal.application_id, recusal.reason.as_str(), recusal.source), (id(&hub, "application", "A03"), "", None));
    assert_eq!(declarations::latest(&hub, e02).unwrap(), None, "still 未签署");
    let log = audit::list(&hub).unwrap();
    assert!(log.iter().any(|e| e.action == "score_file_import" && e.detail.starts_with("导入评分文件：专家 E02（李四）回避申报 A03；")), "{log:?}");
    assert!(!log.iter().any(|e| e.action == "recuse"), "recorded as before, without a reason");

    let before = dump(&hub);
    assert!(scorefiles::import(&mut hub, round, &file, "统分员").unwrap().is_empty());
    let after = dump(&hub);
    assert_eq!(before, after[..after.len() - 1]);
}
