//! The round file at a realistic size: 50 applications, each with one 300-page PDF of 3.0–6.0 MiB of
//! incompressible PDF-like bytes (a `%PDF-1.7` header, pseudo-random body, `%%EOF`), about 225 MiB in all.
//! Builds the round in a SQLite file (not timed; materials written one at a time so the set-up does not
//! hold them all), then times exporting it to a `.pingshen-round` file and opening that file into a fresh
//! database file, and prints the bytes and the peak resident memory of each phase (`VmHWM`, reset between
//! phases through `/proc/self/clear_refs` where the kernel allows it).
//!
//! The synthetic PDFs have no text: no page texts are stored, so the file has no `pages.json` entries and
//! this measures the materials alone (page texts are a few MiB of deflated text per round at most, read
//! and written one application at a time).
//!
//! Run: `cargo bench -p pingshen-tests --bench roundfile`

use std::ops::ControlFlow;
use std::time::Instant;

use pingshen_core::application::Application;
use pingshen_core::expert::Expert;
use pingshen_handout::Progress;
use pingshen_store::rounds::{self, NewApplication, NewRound};

const APPS: usize = 50;
const PAGES: u32 = 300;

/// A PDF-like material of 3.0–6.0 MiB (by application), incompressible.
fn pdf(a: usize) -> Vec<u8> {
    let size = (3 << 20) + (a % 7) * (512 << 10);
    let mut v = Vec::with_capacity(size);
    v.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ (a as u64 + 1).wrapping_mul(0xff51_afd7_ed55_8ccd);
    while v.len() < size - 6 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.extend_from_slice(&x.to_le_bytes());
    }
    v.truncate(size - 6);
    v.extend_from_slice(b"%%EOF\n");
    v
}

/// Peak resident set size so far, in MiB (`VmHWM`).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 =
        status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|n| n.parse().ok()).unwrap_or(f64::NAN);
    kb / 1024.0
}

/// Resets `VmHWM` to the current RSS; false where the kernel does not allow it.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 =
        status.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|n| n.parse().ok()).unwrap_or(f64::NAN);
    kb / 1024.0
}

fn main() {
    let rubric_text = std::fs::read_to_string(pingshen_tests::root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    // On the disk, next to the build (not a tmpfs, whose pages would not be the process's but are RAM).
    let dir = tempfile::tempdir_in(pingshen_tests::target_dir()).unwrap();
    let mut staff = pingshen_store::open(&dir.path().join("staff.db")).unwrap();

    let t = Instant::now();
    let rid = rounds::create(
        &mut staff,
        &NewRound {
            name: "评审包基准".into(),
            rubric_text,
            applications: (0..APPS)
                .map(|a| {
                    let mut application = Application::default();
                    application.cover.name = format!("第{a}号市域产教联合体");
                    NewApplication { code: format!("A{a:02}"), application, materials: vec![] }
                })
                .collect(),
            experts: (1..=9)
                .map(|e| Expert { code: format!("E{e:02}"), name: format!("专家{e}"), unit: format!("单位{e}"), ..Default::default() })
                .collect(),
            is_sample: false,
            uid: None,
        },
        "bench",
    )
    .unwrap();
    let mut total = 0usize;
    for a in 0..APPS {
        let content = pdf(a);
        total += content.len();
        let sha = pingshen_core::hash::sha256_hex(&content);
        staff
            .execute(
                "INSERT INTO material (application_id, file, title, pages, sha256, content)
                 VALUES ((SELECT id FROM application WHERE round_id = ?1 AND code = ?2), '支撑材料.pdf', '支撑材料', ?3, ?4, ?5)",
                (rid, format!("A{a:02}"), PAGES, sha, content),
            )
            .unwrap();
    }
    println!(
        "set-up: {APPS} applications × one {PAGES}-page PDF (3.0–6.0 MiB each, {:.1} MiB in all) written in {:.1} s",
        total as f64 / (1 << 20) as f64,
        t.elapsed().as_secs_f64()
    );

    let file = dir.path().join("bench.pingshen-round");
    let separate = reset_peak();
    let before = rss_mib();
    let t = Instant::now();
    let mut calls = 0u64;
    let summary = pingshen_handout::export(&staff, rid, &file, "2026-11-23T00:00:00Z", &mut |_: &Progress| {
        calls += 1;
        ControlFlow::Continue(())
    })
    .unwrap();
    let export_s = t.elapsed().as_secs_f64();
    let export_peak = peak_mib();
    drop(staff);

    let mut laptop = pingshen_store::open(&dir.path().join("laptop.db")).unwrap();
    reset_peak();
    let t = Instant::now();
    let opened = pingshen_handout::open(&mut laptop, &file, &mut |_: &Progress| ControlFlow::Continue(())).unwrap();
    let open_s = t.elapsed().as_secs_f64();
    let open_peak = peak_mib();
    let ok: String = laptop.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    assert!(!opened.already_open);

    let mib = |b: u64| b as f64 / (1 << 20) as f64;
    println!(
        "round file: {:.1} MiB ({} bytes), {} materials, content hash {}",
        mib(summary.bytes),
        summary.bytes,
        summary.materials,
        summary.short_hash
    );
    println!("export: {export_s:.2} s ({:.0} MiB/s), {calls} progress calls", mib(summary.bytes) / export_s);
    println!("open (verify + write into a fresh database file): {open_s:.2} s ({:.0} MiB/s)", mib(summary.bytes) / open_s);
    if separate {
        println!("peak RSS (VmHWM): export {export_peak:.1} MiB, open {open_peak:.1} MiB (RSS before export {before:.1} MiB)");
    } else {
        println!("peak RSS (VmHWM, whole process incl. set-up): {open_peak:.1} MiB (export phase alone not separable here)");
    }
}
