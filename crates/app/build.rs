//! Embeds the shipped rubrics (every `rubrics/*/rubric.toml`) and the sample round's packages in the library.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    embed_samples();
}

/// Writes `$OUT_DIR/samples.rs`: the Henan rubric and every sample package as `include_bytes!`.
fn embed_samples() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../..");
    let rubric = root.join("rubrics/henan-2023/rubric.toml");
    println!("cargo:rerun-if-changed={}", rubric.display());
    let samples = root.join("sample-applications");
    println!("cargo:rerun-if-changed={}", samples.display());
    let mut out = String::new();
    writeln!(out, "pub const HENAN_RUBRIC: &str = include_str!({:?});", rubric.canonicalize().unwrap()).unwrap();
    let rubrics = root.join("rubrics");
    println!("cargo:rerun-if-changed={}", rubrics.display());
    let mut shipped: Vec<PathBuf> =
        std::fs::read_dir(&rubrics).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("rubric.toml").exists()).collect();
    shipped.sort();
    writeln!(out, "/// Every shipped rubric: (its folder under `rubrics/`, its text).").unwrap();
    writeln!(out, "pub const SHIPPED_RUBRICS: &[(&str, &str)] = &[").unwrap();
    for d in shipped {
        let file = d.join("rubric.toml");
        println!("cargo:rerun-if-changed={}", file.display());
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        writeln!(out, "    ({name:?}, include_str!({:?})),", file.canonicalize().unwrap()).unwrap();
    }
    writeln!(out, "];").unwrap();
    writeln!(out, "/// A package's files: (path inside the package, bytes).").unwrap();
    writeln!(out, "pub type SampleFiles = &'static [(&'static str, &'static [u8])];").unwrap();
    writeln!(out, "pub const SAMPLES: &[(&str, SampleFiles)] = &[").unwrap();
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(&samples).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("application.toml").exists()).collect();
    dirs.sort();
    for d in dirs {
        println!("cargo:rerun-if-changed={}", d.display());
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        writeln!(out, "    ({name:?}, &[").unwrap();
        let mut files = vec![("application.toml".to_string(), d.join("application.toml"))];
        let mdir = d.join("materials");
        if mdir.is_dir() {
            println!("cargo:rerun-if-changed={}", mdir.display());
            let mut m: Vec<_> = std::fs::read_dir(&mdir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
            m.sort();
            for p in m {
                files.push((format!("materials/{}", p.file_name().unwrap().to_string_lossy()), p));
            }
        }
        for (rel, p) in files {
            println!("cargo:rerun-if-changed={}", p.display());
            writeln!(out, "        ({rel:?}, include_bytes!({:?})),", p.canonicalize().unwrap()).unwrap();
        }
        writeln!(out, "    ]),").unwrap();
    }
    writeln!(out, "];").unwrap();
    std::fs::write(PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("samples.rs"), out).unwrap();
}
