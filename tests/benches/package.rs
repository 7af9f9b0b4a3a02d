//! Packages as they arrive: page text of a 300-page text PDF against `pdftotext` (poppler) on the same file in
//! the same run, the peak memory of importing it (page texts, stored and indexed), and search over 20,000
//! indexed pages.
//!
//! The PDF is generated (not committed) into `target/bench-package/` by Python fpdf2 with
//! fonts-wqy-microhei, as `sample-applications/make_materials.py` makes the samples: 300 A4 pages of Chinese
//! running text (the sample materials' source texts, wrapped by fpdf2), 11 pt, a header and a page number.
//!
//! Run: `cargo bench -p pingshen-tests --bench package`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use pingshen_core::application::Application;
use pingshen_store::rounds::{self, NewApplication, NewMaterial, NewRound};

const PAGES: usize = 300;
const INDEXED_PAGES: usize = 20_000;
const RUBRIC: &str = include_str!("../../rubrics/henan-2023/rubric.toml");

const MAKE_PDF: &str = r##"
import sys, glob
from fpdf import FPDF
from fpdf.enums import WrapMode
out, pages = sys.argv[1], int(sys.argv[2])
texts = []
for f in sorted(glob.glob(sys.argv[3] + "/*/*.txt")):
    for line in open(f, encoding="utf-8"):
        line = line.strip()
        if len(line) > 30 and not line.startswith(("@", "#", "|", "//", "^", ">", "-")):
            texts.append(line)
class P(FPDF):
    def header(self):
        self.set_font("wqy", size=9); self.cell(0, 5, "基准测试市域产教联合体 支撑材料汇编", align="L"); self.ln(8)
    def footer(self):
        self.set_y(-15); self.set_font("wqy", size=9); self.cell(0, 5, f"第 {self.page_no()} 页", align="C")
pdf = P(format="A4")
pdf.set_creation_date(__import__("datetime").datetime(2023, 8, 10))
pdf.add_font("wqy", fname="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
pdf.set_auto_page_break(False)
i = 0
for p in range(pages):
    pdf.add_page(); pdf.set_font("wqy", size=11)
    while pdf.get_y() < 250:
        pdf.multi_cell(0, 7, "　　" + texts[i % len(texts)], wrapmode=WrapMode.CHAR, new_x="LMARGIN", new_y="NEXT")
        i += 1
pdf.output(out)
"##;

fn bench_dir() -> PathBuf {
    let d = pingshen_tests::root().join("target/bench-package");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The 300-page PDF, generated once.
fn pdf_path() -> PathBuf {
    let p = bench_dir().join(format!("text-{PAGES}.pdf"));
    if !p.exists() {
        let src = pingshen_tests::root().join("sample-applications/materials-src");
        let st =
            Command::new("python3").args(["-c", MAKE_PDF, p.to_str().unwrap(), &PAGES.to_string(), src.to_str().unwrap()]).status().expect("python3");
        assert!(st.success(), "generating the PDF needs python3, fpdf2 and fonts-wqy-microhei");
    }
    p
}

fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// The child process of the memory measurement: imports the PDF into a store file and prints its peak RSS.
fn import_child(pdf: &Path) {
    let bytes = std::fs::read(pdf).unwrap();
    let pages = pingshen_import::pdf::page_rows("text.pdf", &bytes).unwrap();
    let db = bench_dir().join("import.sqlite");
    let _ = std::fs::remove_file(&db);
    let mut conn = pingshen_store::open(&db).unwrap();
    let n = pages.len() as u32;
    let new = NewRound {
        name: "内存".into(),
        rubric_text: RUBRIC.into(),
        applications: vec![NewApplication {
            code: "A01".into(),
            application: Application::default(),
            materials: vec![NewMaterial { file: "text.pdf".into(), title: "支撑材料".into(), pages: n, content: bytes, page_texts: pages }],
        }],
        experts: vec![],
        is_sample: false,
        uid: None,
    };
    rounds::create(&mut conn, &new, "bench").unwrap();
    println!("{:.1}", peak_mib());
}

fn main() {
    if let Ok(p) = std::env::var("PINGSHEN_BENCH_IMPORT_CHILD") {
        import_child(Path::new(&p));
        return;
    }
    let pdf = pdf_path();
    let bytes = std::fs::read(&pdf).unwrap();
    println!("PDF: {} pages, {:.1} MiB ({})", PAGES, bytes.len() as f64 / 1048576.0, pdf.display());

    // 1. Page text: ours against pdftotext, alternating, 5 runs each.
    let have_pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut texts = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        texts = pingshen_import::pdf::page_texts("text.pdf", &bytes).unwrap();
        ours.push(t.elapsed().as_secs_f64() * 1000.0);
        if have_pdftotext {
            let out = bench_dir().join("pdftotext.txt");
            let t = Instant::now();
            let st = Command::new("pdftotext").args(["-q", "-enc", "UTF-8"]).arg(&pdf).arg(&out).status().unwrap();
            theirs.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(st.success());
        }
    }
    assert_eq!(texts.len(), PAGES);
    let scanned = texts.iter().filter(|p| p.scanned).count();
    let chars: usize = texts.iter().map(|p| p.text.chars().count()).sum();
    println!(
        "page text (pingshen_import::pdf::page_texts): median {:.0} ms over 5 runs ({chars} characters, {scanned} scanned pages)",
        median(ours.clone())
    );
    if have_pdftotext {
        println!(
            "pdftotext (poppler) on the same file, same run: median {:.0} ms; ratio ours/pdftotext = {:.2}",
            median(theirs.clone()),
            median(ours) / median(theirs)
        );
    } else {
        println!("pdftotext: not available on this machine (apt-get install poppler-utils)");
    }

    // 2. Peak RSS of importing the 300 pages (a fresh process).
    let out = Command::new(std::env::current_exe().unwrap()).env("PINGSHEN_BENCH_IMPORT_CHILD", &pdf).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    println!(
        "peak RSS importing {PAGES} pages (read, page text, store + index in a SQLite file): {} MiB",
        String::from_utf8_lossy(&out.stdout).trim()
    );

    // 3. Search over 20,000 indexed pages: 50 applications × 400 pages (the 300 real pages cycled, each
    // application's copy marked with its number), in a SQLite file.
    let db = bench_dir().join("search.sqlite");
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_file(db.with_extension("sqlite-wal"));
    let mut conn = pingshen_store::open(&db).unwrap();
    let apps = 50;
    let per_app = INDEXED_PAGES / apps;
    let t = Instant::now();
    let new = NewRound {
        name: "检索".into(),
        rubric_text: RUBRIC.into(),
        applications: (0..apps)
            .map(|a| NewApplication {
                code: format!("A{a:02}"),
                application: Application::default(),
                materials: (0..2)
                    .map(|m| NewMaterial {
                        file: format!("材料{m}.pdf"),
                        title: format!("材料{m}"),
                        pages: (per_app / 2) as u32,
                        content: Vec::new(),
                        page_texts: (0..per_app / 2)
                            .map(|p| {
                                let src = &texts[(a * 7 + m * per_app / 2 + p) % texts.len()];
                                ((p + 1) as u32, format!("{}\n编号 A{a:02}-{m}-{p}", src.text), false)
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        experts: vec![],
        is_sample: false,
        uid: None,
    };
    let round = rounds::create(&mut conn, &new, "bench").unwrap();
    drop(new);
    println!("indexing {INDEXED_PAGES} pages (store + grams + FTS5, one transaction): {:.1} s", t.elapsed().as_secs_f64());
    let app_ids: Vec<i64> = pingshen_store::applications::list(&conn, round).unwrap().iter().map(|a| a.id).collect();
    let queries = [
        "产教融合",
        "现场工程师",
        "实训基地",
        "联合体",
        "学徒制",
        "理事会",
        "技能大赛",
        "人才培养模式",
        "校企合作",
        "2023年",
        "iso",
        "职业技术学院",
        "秘书处",
        "专业群",
        "产业学院",
    ];
    let run = |scope: &str, one_app: bool, qs: &[&str]| {
        let mut times = Vec::new();
        let mut hits_total = 0;
        for round_no in 0..4 {
            for (i, q) in qs.iter().enumerate() {
                let app = if one_app { Some(app_ids[(i + round_no * 13) % app_ids.len()]) } else { None };
                let t = Instant::now();
                let hits = pingshen_store::search::search(&conn, app, round, q, 20).unwrap();
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                hits_total += hits.len();
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "search {scope}: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} queries, {:.1} hits each on average, limit 20)",
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            times[times.len() - 1],
            times.len(),
            hits_total as f64 / times.len() as f64
        );
    };
    run("one application (400 pages), indexed", true, &queries);
    run("whole round (20,000 pages), indexed", false, &queries);
    run("one application, one character (LIKE fallback)", true, &["院", "校", "企", "费"]);
    run("whole round, one character (LIKE fallback)", false, &["院", "校", "企", "费"]);
}
