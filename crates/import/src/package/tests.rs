//! Packages from folders and zips, and every refusal of a hostile zip (each zip built here).

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::*;
use crate::pdf::test_pdf;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample-applications")
}

/// CRC-32 (IEEE), for zips written byte by byte.
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

/// A zip written byte by byte (stored entries): names exactly as given (e.g. GBK without the UTF-8 flag)
/// and the general-purpose flags as given (bit 0: encrypted).
fn raw_zip(entries: &[(&[u8], &[u8], u16)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data, flags) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // needed
            h.extend_from_slice(&flags.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // stored
            h.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                h.extend_from_slice(&[0; 6]); // comment, disk, internal attrs
                h.extend_from_slice(&0u32.to_le_bytes()); // external attrs
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name);
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A zip written with the zip crate (UTF-8 names).
fn zip_of(entries: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, SimpleFileOptions::default().compression_method(method)).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn write_zip(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn refused(bytes: &[u8], limits: &Limits) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = write_zip(&dir, "申报材料.zip", bytes);
    let e = read_arrived_with(&p, limits).unwrap_err();
    assert!(matches!(e, ImportError::UnsafeZip { .. }), "{e:?}");
    e.to_string()
}

#[test]
fn a_sample_folder_is_a_canonical_package() {
    let Arrived::Canonical(p) = read_arrived(&samples().join("jiyuan")).unwrap() else { panic!("not canonical") };
    assert_eq!(*p, crate::read_package_dir(&samples().join("jiyuan")).unwrap());
}

#[test]
fn a_zip_of_a_sample_folder_is_the_same_package() {
    let root = samples().join("ningbo");
    let mut entries = vec![("宁波/application.toml".to_string(), std::fs::read(root.join("application.toml")).unwrap())];
    for e in std::fs::read_dir(root.join("materials")).unwrap() {
        let e = e.unwrap();
        entries.push((format!("宁波/materials/{}", e.file_name().to_string_lossy()), std::fs::read(e.path()).unwrap()));
    }
    let refs: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let dir = tempfile::tempdir().unwrap();
    let p = write_zip(&dir, "ningbo.zip", &zip_of(&refs, CompressionMethod::Deflated));
    let Arrived::Canonical(p) = read_arrived(&p).unwrap() else { panic!("not canonical") };
    assert_eq!(*p, crate::read_package_dir(&root).unwrap());
}

#[test]
fn a_raw_folder_has_its_form_found_by_name_and_every_other_pdf_as_material() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("济源");
    std::fs::create_dir_all(root.join("支撑材料")).unwrap();
    std::fs::write(root.join("济源市域产教联合体推荐书.docx"), b"PK docx").unwrap();
    std::fs::write(root.join("推荐书扫描件.pdf"), test_pdf(&[&["scan"]])).unwrap();
    std::fs::write(root.join("支撑材料/02-协议.pdf"), test_pdf(&[&["one"], &["two"]])).unwrap();
    std::fs::write(root.join("支撑材料/01-章程.pdf"), test_pdf(&[&["one"]])).unwrap();
    std::fs::write(root.join("说明.txt"), b"hello").unwrap();
    std::fs::write(root.join("Thumbs.db"), b"x").unwrap();
    let Arrived::Raw { form, materials } = read_arrived(&root).unwrap() else { panic!("canonical?") };
    assert_eq!(form.unwrap(), ("济源市域产教联合体推荐书.docx".to_string(), b"PK docx".to_vec()));
    let got: Vec<(&str, &str, u32)> = materials.iter().map(|m| (m.file.as_str(), m.title.as_str(), m.pages)).collect();
    assert_eq!(got, [("推荐书扫描件.pdf", "推荐书扫描件", 1), ("01-章程.pdf", "01-章程", 1), ("02-协议.pdf", "02-协议", 2)]);
}

#[test]
fn a_pdf_form_is_found_when_there_is_no_docx() {
    let files = vec![("申报书.pdf".to_string(), test_pdf(&[&["form"]])), ("材料.pdf".to_string(), test_pdf(&[&["m"]]))];
    let Arrived::Raw { form, materials } = arrived_from_files("p", files).unwrap() else { panic!() };
    assert_eq!(form.unwrap().0, "申报书.pdf");
    assert_eq!(materials.len(), 1);
    let e = arrived_from_files("p", vec![("推荐书.doc".to_string(), b"x".to_vec())]).unwrap_err();
    assert!(e.to_string().contains("另存为 .docx"), "{e}");
    let e = arrived_from_files("p", vec![("材料.pdf".to_string(), b"%PDF-1.4 broken".to_vec())]).unwrap_err();
    assert!(e.to_string().starts_with("p/材料.pdf 无法作为 PDF 读取"), "{e}");
}

#[test]
fn a_zip_with_gbk_names_reads_correctly() {
    let (form, _, _) = encoding_rs::GBK.encode("济源申报/济源市域产教联合体推荐书.docx");
    let (mat, _, _) = encoding_rs::GBK.encode("济源申报/支撑材料汇编.pdf");
    assert!(std::str::from_utf8(&form).is_err());
    let pdf = test_pdf(&[&["page one"], &["page two"]]);
    let dir = tempfile::tempdir().unwrap();
    let p = write_zip(&dir, "济源.zip", &raw_zip(&[(&form, b"PK docx", 0), (&mat, &pdf, 0)]));
    let Arrived::Raw { form, materials } = read_arrived(&p).unwrap() else { panic!() };
    assert_eq!(form.unwrap().0, "济源市域产教联合体推荐书.docx");
    assert_eq!((materials[0].file.as_str(), materials[0].pages), ("支撑材料汇编.pdf", 2));
    assert_eq!(materials[0].content, pdf);
}

#[test]
fn path_traversal_is_refused() {
    let e = refused(&raw_zip(&[(b"a/../../etc/passwd.pdf", b"x", 0)]), &LIMITS);
    assert_eq!(e, "压缩包 申报材料.zip 中的“a/../../etc/passwd.pdf”的路径不安全（含有 ..，会写到压缩包之外），已拒绝读取");
    let e = refused(&raw_zip(&[(b"..\\evil.pdf", b"x", 0)]), &LIMITS);
    assert!(e.contains("“../evil.pdf”的路径不安全（含有 .."), "{e}");
}

#[test]
fn absolute_paths_and_drive_letters_are_refused() {
    let e = refused(&raw_zip(&[(b"/etc/x.pdf", b"x", 0)]), &LIMITS);
    assert!(e.contains("“/etc/x.pdf”的路径不安全（使用了绝对路径）"), "{e}");
    let e = refused(&raw_zip(&[(b"C:\\Windows\\x.pdf", b"x", 0)]), &LIMITS);
    assert!(e.contains("“C:/Windows/x.pdf”的路径不安全（含有盘符）"), "{e}");
}

#[test]
fn a_symlink_is_refused() {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    w.add_symlink("材料.pdf", "/etc/passwd", SimpleFileOptions::default()).unwrap();
    let e = refused(&w.finish().unwrap().into_inner(), &LIMITS);
    assert!(e.contains("“材料.pdf”是一个链接"), "{e}");
}

#[test]
fn an_encrypted_entry_is_refused() {
    let e = refused(&raw_zip(&[(b"a.pdf", b"%PDF-", 0), ("推荐书.docx".as_bytes(), b"xx", 1 | 0x0800)]), &LIMITS);
    assert!(e.contains("“推荐书.docx”已加密"), "{e}");
}

#[test]
fn a_zip_bomb_entry_is_refused_by_its_ratio() {
    let zeros = vec![0u8; 16 << 20];
    let e = refused(&zip_of(&[("炸弹.pdf", &zeros)], CompressionMethod::Deflated), &LIMITS);
    assert!(e.contains("“炸弹.pdf”的压缩比异常") && e.contains("超过 100:1"), "{e}");
}

/// Regression (issue 13): entries of exactly 1 MiB each passed the per-entry ratio check, and 1.6 GB of them
/// were held in memory before the package was refused. The ratio of all entries together refuses them in
/// the directory pass, before anything is decompressed.
#[test]
fn many_entries_of_exactly_one_mib_are_refused_by_their_total_ratio() {
    let zeros = vec![0u8; 1 << 20];
    let names: Vec<String> = (0..20).map(|i| format!("{i}.pdf")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &zeros[..])).collect();
    let e = refused(&zip_of(&entries, CompressionMethod::Deflated), &LIMITS);
    // Each entry alone is refused since the per-entry check includes exactly 1 MiB; with that threshold
    // just above, the total catches them.
    assert!(e.contains("“0.pdf”的压缩比异常"), "{e}");
    let limits = Limits { ratio_from: (1 << 20) + 1, ..LIMITS };
    let e = refused(&zip_of(&entries, CompressionMethod::Deflated), &limits);
    assert!(e.contains("“15.pdf”处压缩包的总压缩比异常"), "{e}");
}

#[test]
fn an_entry_larger_than_the_limit_is_refused() {
    let limits = Limits { entry: 1000, ..LIMITS };
    let e = refused(&zip_of(&[("大.pdf", &[7u8; 2000])], CompressionMethod::Stored), &limits);
    assert!(e.contains("“大.pdf”解压后有 2000 字节，超过单个文件"), "{e}");
}

#[test]
fn a_total_larger_than_the_limit_is_refused() {
    let limits = Limits { total: 3000, ..LIMITS };
    let e = refused(&zip_of(&[("1.pdf", &[1u8; 2000]), ("2.pdf", &[2u8; 2000])], CompressionMethod::Stored), &limits);
    assert!(e.contains("“2.pdf”处解压后的总大小超过"), "{e}");
}

#[test]
fn too_many_entries_are_refused() {
    let limits = Limits { entries: 3, ..LIMITS };
    let names: Vec<String> = (0..4).map(|i| format!("{i}.pdf")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let e = refused(&zip_of(&entries, CompressionMethod::Stored), &limits);
    assert!(e.contains("“共 4 个文件”超过 3 个的上限"), "{e}");
}

#[test]
fn a_name_in_no_known_encoding_is_refused() {
    let e = refused(&raw_zip(&[(b"\xff\xfe\xff.pdf", b"x", 0)]), &LIMITS);
    assert!(e.contains("的文件名编码无法识别"), "{e}");
}

#[test]
fn a_damaged_entry_or_a_non_zip_is_a_bad_zip() {
    let mut bytes = zip_of(&[("a.pdf", b"%PDF-1.4 hello hello")], CompressionMethod::Stored);
    let at = bytes.windows(5).position(|w| w == b"hello").unwrap();
    bytes[at] = b'j';
    let dir = tempfile::tempdir().unwrap();
    let e = read_arrived(&write_zip(&dir, "x.zip", &bytes)).unwrap_err();
    assert!(matches!(e, ImportError::BadZip { .. }) && e.to_string().contains("“a.pdf”的数据已损坏"), "{e}");
    let e = read_arrived(&write_zip(&dir, "y.zip", b"not a zip")).unwrap_err();
    assert!(e.to_string().starts_with("y.zip 不是有效的 zip 压缩包"), "{e}");
    let e = read_arrived(&write_zip(&dir, "z.rar", b"x")).unwrap_err();
    assert!(e.to_string().contains("既不是文件夹，也不是 .zip 压缩包"), "{e}");
}
