//! The write sequence of the crash tests, shared by the child (`src/bin/score-writer.rs`) and the test
//! (`tests/it/crash.rs`): a deterministic stream of score and comment writes on one sheet.

use pingshen_core::rubric::Rubric;
use pingshen_core::Tenths;

/// The n-th write for `seed`: (item, score, or a comment instead).
pub fn write(rubric: &Rubric, seed: u64, n: u64) -> (String, Tenths, Option<String>) {
    let mut h = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    h ^= h >> 31;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 29;
    let items: Vec<_> = rubric.items().collect();
    let item = items[(h % items.len() as u64) as usize];
    let steps = item.points.0 / rubric.step.0 + 1;
    let value = Tenths(((h >> 8) % steps as u64) as i64 * rubric.step.0);
    let comment = (h >> 20).is_multiple_of(5).then(|| format!("第 {n} 次修改的评语"));
    (item.code.clone(), value, comment)
}

/// The sheet's (score, comment) per item after applying `writes` writes of `seed` to `start`.
pub fn state_after(
    rubric: &Rubric,
    start: &std::collections::BTreeMap<String, (Option<Tenths>, String)>,
    seed: u64,
    writes: u64,
) -> std::collections::BTreeMap<String, (Option<Tenths>, String)> {
    let mut s = start.clone();
    for n in 0..writes {
        let (item, value, comment) = write(rubric, seed, n);
        let e = s.entry(item).or_insert((None, String::new()));
        match comment {
            Some(c) => e.1 = c,
            None => e.0 = Some(value),
        }
    }
    s
}
