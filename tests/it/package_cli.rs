//! `pingshen package check` and `pingshen search` on the sample packages, as folders and as zips, and on
//! hostile input (exit status 2, a Chinese message on stderr, nothing on stdout).

use std::path::{Path, PathBuf};
use std::process::Command;

use pingshen_tests::{binary, root, sample_dirs};
use serde_json::Value;

fn pingshen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(binary("pingshen-cli", "pingshen")).current_dir(root()).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn json_of(args: &[&str]) -> Value {
    let (code, out, err) = pingshen(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// Bad input: status 2, a Chinese message on stderr that contains `needle`, nothing on stdout.
fn refused(args: &[&str], needle: &str) {
    let (code, out, err) = pingshen(args);
    assert_eq!(code, 2, "{args:?}: {out}{err}");
    assert!(out.is_empty(), "stdout must be empty: {out}");
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(err.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "not Chinese: {err}");
}

const MEMBER_TYPES: [&str; 7] = ["中职学校", "高职学校(含职教本科)", "普通本科学校", "政府部门", "企业", "科研机构", "其他组织"];

/// CRC-32 (IEEE).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A zip of stored entries written byte by byte (names as given, UTF-8 flag set when `utf8`).
pub(crate) fn zip_bytes(entries: &[(Vec<u8>, Vec<u8>)], utf8: bool) -> Vec<u8> {
    let flags: u16 = if utf8 { 0x0800 } else { 0 };
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, data) in entries {
        let offset = out.len() as u32;
        let head = |central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&(if central { 0x0201_4b50u32 } else { 0x0403_4b50 }).to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            for v in [20u16, flags, 0, 0, 0x21] {
                h.extend_from_slice(&v.to_le_bytes());
            }
            for v in [crc32(data), data.len() as u32, data.len() as u32] {
                h.extend_from_slice(&v.to_le_bytes());
            }
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central {
                h.extend_from_slice(&[0; 10]);
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name);
            h
        };
        out.extend(head(false));
        out.extend_from_slice(data);
        central.extend(head(true));
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    for _ in 0..2 {
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    }
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A sample folder zipped under a top folder, with names in UTF-8 or GBK as given.
fn zip_of_sample(dir: &Path, top: &str, utf8: bool, encode: impl Fn(&str) -> Vec<u8>) -> Vec<u8> {
    let mut entries = vec![(encode(&format!("{top}/application.toml")), std::fs::read(dir.join("application.toml")).unwrap())];
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("materials")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        entries.push((encode(&format!("{top}/materials/{name}")), std::fs::read(&f).unwrap()));
    }
    zip_bytes(&entries, utf8)
}

/// Pages per file of a sample's materials/index.toml.
fn index_pages(dir: &Path) -> Vec<(String, u64)> {
    let index: toml_lite::Index = toml_lite::parse(&std::fs::read_to_string(dir.join("materials/index.toml")).unwrap());
    index.0
}

/// Just enough TOML for `[[materials]] file = … pages = …`.
mod toml_lite {
    pub struct Index(pub Vec<(String, u64)>);
    pub fn parse(text: &str) -> Index {
        let mut out: Vec<(String, u64)> = Vec::new();
        for line in text.lines().map(|l| l.split(" #").next().unwrap().trim()) {
            if let Some(v) = line.strip_prefix("file = ") {
                out.push((v.trim_matches('"').to_string(), 0));
            } else if let Some(v) = line.strip_prefix("pages = ") {
                out.last_mut().unwrap().1 = v.parse().unwrap();
            }
        }
        Index(out)
    }
}

#[test]
fn package_check_json_of_every_sample_follows_the_contract() {
    for dir in sample_dirs() {
        let d = dir.to_str().unwrap();
        let v = json_of(&["package", "check", d, "--json"]);
        assert_eq!(keys(&v), ["application", "findings", "materials"], "{d}");
        let a = &v["application"];
        assert_eq!(keys(a), ["name", "recommender", "park", "lead_school", "lead_enterprise", "secretariat", "members", "sections"], "{d}");
        assert!(a["name"].as_str().unwrap().ends_with("联合体"), "{d}: {}", a["name"]);
        assert_eq!(keys(&a["secretariat"]), ["total", "full_time", "part_time"]);
        let s = &a["secretariat"];
        assert!(s["total"].as_u64().is_some() && s["full_time"].as_u64().is_some() && s["part_time"].as_u64().is_some());
        for m in a["members"].as_array().unwrap() {
            assert_eq!(keys(m), ["type", "count", "units"]);
            assert!(MEMBER_TYPES.contains(&m["type"].as_str().unwrap()), "{d}: {}", m["type"]);
        }
        assert_eq!(keys(&a["sections"]), ["主导产业", "政策", "特色与创新", "建设规划"]);
        assert!(!a["sections"]["特色与创新"].as_str().unwrap().is_empty());
        for f in v["findings"].as_array().unwrap() {
            assert_eq!(keys(f), ["severity", "code", "section", "message"], "{d}");
            assert!(["error", "warning"].contains(&f["severity"].as_str().unwrap()));
        }
        let materials: Vec<(String, u64)> = v["materials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                assert_eq!(keys(m), ["file", "pages", "scanned_pages"]);
                assert_eq!(m["scanned_pages"], serde_json::json!([]), "the sample PDFs have text on every page");
                (m["file"].as_str().unwrap().to_string(), m["pages"].as_u64().unwrap())
            })
            .collect();
        assert_eq!(materials, index_pages(&dir), "{d}: pages as the PDFs have them, in index order");
    }
}

#[test]
fn package_check_of_a_zip_with_gbk_names_is_the_folders() {
    let dir = root().join("sample-applications/ningbo");
    let tmp = tempfile::tempdir().unwrap();
    let gbk = |s: &str| {
        // GBK for the names this sample has: the zip's top folder and its material files.
        let table = [("宁波申报材料", &[0xC4u8, 0xFE, 0xB2, 0xA8, 0xC9, 0xEA, 0xB1, 0xA8, 0xB2, 0xC4, 0xC1, 0xCF][..])];
        let mut out = Vec::new();
        let mut rest = s;
        'outer: while !rest.is_empty() {
            for (zh, bytes) in table {
                if let Some(r) = rest.strip_prefix(zh) {
                    out.extend_from_slice(bytes);
                    rest = r;
                    continue 'outer;
                }
            }
            let c = rest.chars().next().unwrap();
            assert!(c.is_ascii() || c == '/', "no GBK in this test for {c}");
            out.push(c as u8);
            rest = &rest[c.len_utf8()..];
        }
        out
    };
    // The sample's PDFs have Chinese names: rename them inside the zip to ASCII, and the zip's top folder
    // to GBK, then compare with the folder's output with the same renames.
    let mut entries = vec![(gbk("宁波申报材料/application.toml"), std::fs::read(dir.join("application.toml")).unwrap())];
    let pages = index_pages(&dir);
    let mut index = String::new();
    for (i, (file, n)) in pages.iter().enumerate() {
        let pdf = std::fs::read(dir.join("materials").join(file)).unwrap();
        entries.push((gbk(&format!("宁波申报材料/materials/m{i}.pdf")), pdf));
        index.push_str(&format!("[[materials]]\nfile = \"m{i}.pdf\"\ntitle = \"材料{i}\"\npages = {n}\n"));
    }
    entries.push((gbk("宁波申报材料/materials/index.toml"), index.into_bytes()));
    assert!(std::str::from_utf8(&entries[0].0).is_err(), "the name is GBK, not UTF-8");
    let zip = tmp.path().join("ningbo.zip");
    std::fs::write(&zip, zip_bytes(&entries, false)).unwrap();
    let v = json_of(&["package", "check", zip.to_str().unwrap(), "--json"]);
    let folder = json_of(&["package", "check", dir.to_str().unwrap(), "--json"]);
    assert_eq!(v["application"], folder["application"]);
    let got: Vec<u64> = v["materials"].as_array().unwrap().iter().map(|m| m["pages"].as_u64().unwrap()).collect();
    assert_eq!(got, pages.iter().map(|p| p.1).collect::<Vec<_>>());
    assert_eq!(v["materials"][0]["file"], "m0.pdf");
}

#[test]
fn package_check_of_a_utf8_zip_of_a_sample_is_the_folders() {
    let dir = root().join("sample-applications/jiyuan");
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("济源.zip");
    std::fs::write(&zip, zip_of_sample(&dir, "济源申报材料", true, |s| s.as_bytes().to_vec())).unwrap();
    let v = json_of(&["package", "check", zip.to_str().unwrap(), "--json"]);
    assert_eq!(v, json_of(&["package", "check", dir.to_str().unwrap(), "--json"]));
}

#[test]
fn package_check_without_json_prints_a_summary() {
    let (code, out, err) = pingshen(&["package", "check", "sample-applications/jiyuan"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("济源市域产教联合体\n"), "{out}");
    assert!(out.contains("形式审查：") && out.contains("支撑材料汇编.pdf：8 页"), "{out}");
}

#[test]
fn search_json_lists_pages_best_first_with_highlighted_snippets() {
    let v = json_of(&["search", "sample-applications/jiyuan", "现场工程师", "--json"]);
    assert_eq!(keys(&v), ["hits"]);
    let hits = v["hits"].as_array().unwrap();
    assert!(hits.len() >= 2, "{v}");
    for h in hits {
        assert_eq!(keys(h), ["file", "page", "snippet"]);
        assert!(h["page"].as_u64().unwrap() >= 1);
        assert!(h["file"].as_str().unwrap().ends_with(".pdf"));
        assert!(h["snippet"].as_str().unwrap().contains("【现场工程师】"), "{h}");
    }
    // One character, Latin and digits, nothing found.
    let v = json_of(&["search", "sample-applications/jiyuan", "院", "--json", "--limit", "3"]);
    assert_eq!(v["hits"].as_array().unwrap().len(), 3);
    assert!(v["hits"][0]["snippet"].as_str().unwrap().contains("【院】"));
    let v = json_of(&["search", "sample-applications/jiyuan", "2023年", "--json"]);
    assert!(!v["hits"].as_array().unwrap().is_empty());
    let v = json_of(&["search", "sample-applications/jiyuan", "量子引力", "--json"]);
    assert_eq!(v, serde_json::json!({"hits": []}));
    let (code, out, _) = pingshen(&["search", "sample-applications/jiyuan", "现场工程师"]);
    assert_eq!(code, 0);
    assert!(out.lines().next().unwrap().contains(" 第 ") && out.contains("【现场工程师】"), "{out}");
}

#[test]
fn a_hostile_zip_is_refused_with_status_2_and_nothing_on_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("恶意.zip");
    std::fs::write(&zip, zip_bytes(&[(b"../../evil.pdf".to_vec(), b"%PDF-1.4".to_vec())], true)).unwrap();
    let z = zip.to_str().unwrap();
    refused(&["package", "check", z, "--json"], "“../../evil.pdf”的路径不安全");
    refused(&["package", "check", z], "已拒绝读取");
    refused(&["search", z, "联合体", "--json"], "“../../evil.pdf”的路径不安全");
    let abs = tmp.path().join("abs.zip");
    std::fs::write(&abs, zip_bytes(&[(b"/etc/passwd".to_vec(), b"x".to_vec())], true)).unwrap();
    refused(&["package", "check", abs.to_str().unwrap(), "--json"], "使用了绝对路径");
}

#[test]
fn other_bad_input_is_refused_with_status_2() {
    let tmp = tempfile::tempdir().unwrap();
    // Not a zip.
    let fake = tmp.path().join("材料.zip");
    std::fs::write(&fake, b"not a zip").unwrap();
    refused(&["package", "check", fake.to_str().unwrap(), "--json"], "不是有效的 zip 压缩包");
    // A folder without a 推荐书.
    let raw = tmp.path().join("无推荐书");
    std::fs::create_dir(&raw).unwrap();
    std::fs::copy(root().join("sample-applications/ruian/materials/支撑材料.pdf"), raw.join("支撑材料.pdf")).unwrap();
    refused(&["package", "check", raw.to_str().unwrap(), "--json"], "没有找到推荐书");
    // A 推荐书 .docx that is not one.
    std::fs::write(raw.join("推荐书.docx"), b"not a docx").unwrap();
    refused(&["package", "check", raw.to_str().unwrap(), "--json"], "推荐书.docx");
    // A broken PDF among the materials.
    let broken = tmp.path().join("坏材料");
    std::fs::create_dir_all(broken.join("materials")).unwrap();
    std::fs::copy(root().join("sample-applications/ruian/application.toml"), broken.join("application.toml")).unwrap();
    std::fs::write(broken.join("materials/index.toml"), "[[materials]]\nfile = \"a.pdf\"\ntitle = \"甲\"\npages = 1\n").unwrap();
    std::fs::write(broken.join("materials/a.pdf"), b"%PDF-1.4\n%%EOF").unwrap();
    refused(&["package", "check", broken.to_str().unwrap(), "--json"], "a.pdf 无法作为 PDF 读取");
    refused(&["search", broken.to_str().unwrap(), "联合体", "--json"], "a.pdf 无法作为 PDF 读取");
    // No such path; an empty query.
    refused(&["package", "check", "no/such/folder", "--json"], "no/such/folder");
    refused(&["search", "sample-applications/jiyuan", " ", "--json"], "检索词不能为空");
}
