//! Nothing acknowledged is ever lost. A child process scores a sheet in a loop and prints `ACK n` after each
//! committed write; the test kills it with SIGKILL at random moments (200 times), and freezes it with
//! SIGSTOP to copy the database files as a power cut would leave them (50 times). After each, the database
//! passes `PRAGMA integrity_check` and holds exactly the sheet after the acknowledged writes, or after one
//! more (the write that was committed but not yet acknowledged when the process died).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use pingshen_core::application::Application;
use pingshen_core::expert::Expert;
use pingshen_core::rubric::Rubric;
use pingshen_core::Tenths;
use pingshen_store::rounds::{self, NewApplication, NewRound};
use pingshen_tests::crash::state_after;
use pingshen_tests::{binary, root};

type State = BTreeMap<String, (Option<Tenths>, String)>;

fn setup(db: &Path) -> (i64, Rubric) {
    let mut conn = pingshen_store::open(db).unwrap();
    let rubric_text = std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    let rid = rounds::create(
        &mut conn,
        &NewRound {
            name: "断电测试".into(),
            uid: None,
            rubric_text,
            applications: vec![NewApplication { code: "A01".into(), application: Application::default(), materials: vec![] }],
            experts: vec![Expert { code: "E01".into(), name: "张三".into(), ..Default::default() }],
            is_sample: false,
        },
        "测试",
    )
    .unwrap();
    let rubric = rounds::rubric(&conn, rid).unwrap();
    let (e, a): (i64, i64) = conn.query_row("SELECT expert_id, application_id FROM assignment", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    (pingshen_store::sheets::open(&conn, e, a).unwrap(), rubric)
}

/// Opens a database as a fresh start would, checks its integrity and reads the sheet.
fn stored(db: &Path, sheet: i64) -> State {
    let conn = pingshen_store::open(db).unwrap_or_else(|e| panic!("the database does not open after the crash: {e}"));
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    pingshen_store::sheets::load(&conn, sheet).unwrap().scores.into_iter().map(|s| (s.item, (s.value, s.comment))).collect()
}

/// Starts the writer and a thread that forwards its acknowledgements.
fn spawn(db: &Path, sheet: i64, seed: u64) -> (Child, mpsc::Receiver<u64>) {
    let mut child = Command::new(binary("pingshen-tests", "score-writer"))
        .args([db.to_str().unwrap(), &sheet.to_string(), &seed.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("ACK ").and_then(|n| n.parse::<u64>().ok()) {
                if tx.send(n).is_err() {
                    break;
                }
            }
        }
    });
    (child, rx)
}

/// Acknowledged writes: one more than the last `ACK n` received (0 when none).
fn drain(rx: &mpsc::Receiver<u64>, mut acked: u64) -> u64 {
    while let Ok(n) = rx.recv_timeout(Duration::from_millis(200)) {
        acked = acked.max(n + 1);
    }
    acked
}

fn check(rubric: &Rubric, before: &State, seed: u64, acked: u64, found: &State, what: &str) {
    let exact = state_after(rubric, before, seed, acked);
    let one_more = state_after(rubric, before, seed, acked + 1);
    assert!(
        *found == exact || *found == one_more,
        "{what}: after {acked} acknowledged writes the sheet holds something else\nfound: {found:?}\nexpected: {exact:?}"
    );
}

/// A small deterministic generator for the kill moments.
fn next(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_score() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pingshen.db");
    let (sheet, rubric) = setup(&db);
    let mut rng = 0x5EED_u64;
    let mut total_acked = 0;
    for round in 0..200u64 {
        let before = stored(&db, sheet);
        let seed = 1000 + round;
        let (mut child, rx) = spawn(&db, sheet, seed);
        // Wait for the first acknowledgement, then let it run 0–40 ms more before the kill.
        let mut acked = rx.recv_timeout(Duration::from_secs(20)).map(|n| n + 1).expect("the writer acknowledges");
        std::thread::sleep(Duration::from_micros(next(&mut rng) % 40_000));
        child.kill().unwrap();
        child.wait().unwrap();
        acked = drain(&rx, acked);
        total_acked += acked;
        check(&rubric, &before, seed, acked, &stored(&db, sheet), &format!("kill {round}"));
    }
    eprintln!("200 SIGKILLs, {total_acked} acknowledged writes, none lost");
}

#[test]
fn a_copy_of_the_files_taken_mid_write_opens_with_every_acknowledged_score() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pingshen.db");
    let (sheet, rubric) = setup(&db);
    let mut rng = 0xC0FFEE_u64;
    for round in 0..50u64 {
        let before = stored(&db, sheet);
        let seed = 5000 + round;
        let (mut child, rx) = spawn(&db, sheet, seed);
        let mut acked = rx.recv_timeout(Duration::from_secs(20)).map(|n| n + 1).expect("the writer acknowledges");
        std::thread::sleep(Duration::from_micros(next(&mut rng) % 30_000));
        // Freeze the writer wherever it is and copy the files as they are on disk: what a power cut leaves.
        let pid = child.id().to_string();
        assert!(Command::new("kill").args(["-STOP", &pid]).status().unwrap().success());
        while let Ok(n) = rx.try_recv() {
            acked = acked.max(n + 1);
        }
        let snap = dir.path().join(format!("snap{round}"));
        std::fs::create_dir_all(&snap).unwrap();
        for suffix in ["", "-wal"] {
            let from = dir.path().join(format!("pingshen.db{suffix}"));
            if from.exists() {
                std::fs::copy(&from, snap.join(format!("pingshen.db{suffix}"))).unwrap();
            }
        }
        // Whatever it printed before the freeze counts as acknowledged at the moment of the copy.
        let acked_at_copy = drain(&rx, acked);
        Command::new("kill").args(["-CONT", &pid]).status().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        let _ = drain(&rx, acked_at_copy);
        // The copy holds the sheet after the writes acknowledged at the copy, or one more.
        check(&rubric, &before, seed, acked_at_copy, &stored(&snap.join("pingshen.db"), sheet), &format!("copy {round}"));
        // Continue from what the real file holds.
        let _ = stored(&db, sheet);
    }
}
