//! A child process for the crash tests (`tests/it/crash.rs`): scores one sheet in a loop, printing one line
//! `ACK <n>` on stdout after each score is committed (what the UI would show as 已保存), until it is killed.
//!
//! Usage: `score-writer <database> <sheet id> <seed>`. The n-th write is `pingshen_tests::crash::write(seed, n)`,
//! so the test knows every write, acknowledged or not.

use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (db, sheet, seed): (&str, i64, u64) = (&args[1], args[2].parse().unwrap(), args[3].parse().unwrap());
    let conn = pingshen_store::open(std::path::Path::new(db)).unwrap();
    let round: i64 = conn
        .query_row("SELECT a.round_id FROM sheet s JOIN application a ON a.id = s.application_id WHERE s.id = ?1", [sheet], |r| r.get(0))
        .unwrap();
    let rubric = pingshen_store::rounds::rubric(&conn, round).unwrap();
    let mut out = std::io::stdout().lock();
    for n in 0.. {
        let (item, value, comment) = pingshen_tests::crash::write(&rubric, seed, n);
        match comment {
            Some(c) => pingshen_store::sheets::set_comment(&conn, &rubric, sheet, &item, &c).unwrap(),
            None => pingshen_store::sheets::set_score(&conn, &rubric, sheet, &item, Some(value)).unwrap(),
        }
        writeln!(out, "ACK {n}").unwrap();
        out.flush().unwrap();
    }
}
