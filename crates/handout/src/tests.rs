//! Round trip, every refusal (each leaving the database as it was), cancel, opening twice.

use std::io::{Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use pingshen_core::consolidation::{Aggregation, Settings};
use pingshen_core::expert::Expert;
use pingshen_core::hash::sha256_hex;
use pingshen_core::Tenths;
use pingshen_store::rounds::{self, NewApplication, NewMaterial, NewRound};
use pingshen_store::{applications, experts, handout, settlements};
use rusqlite::Connection;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::*;
use crate::manifest::{Manifest, MANIFEST_ENTRY};

const AT: &str = "2024-05-20T10:00:00Z";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn go(_: &Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// The sample round: the Henan rubric, the four sample applications with the text of their materials'
/// pages, five experts with phone numbers, a recusal with reason and source, one assignment removed,
/// non-default settings, A02 read from a .docx and A03 a scanned 推荐书 awaiting manual entry.
fn sample_round(conn: &mut Connection) -> i64 {
    sample_round_with(conn, true)
}

/// The sample round; without page texts and with every 推荐书 canonical when `with_pages` is false (what a
/// round file written before page texts travelled holds).
fn sample_round_with(conn: &mut Connection, with_pages: bool) -> i64 {
    let rubric = std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("sample-applications"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("application.toml").exists())
        .collect();
    dirs.sort();
    let applications = dirs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = pingshen_import::read_package_dir(d).unwrap();
            NewApplication {
                code: format!("A{:02}", i + 1),
                application: p.application,
                materials: p
                    .materials
                    .into_iter()
                    .map(|m| NewMaterial {
                        page_texts: if with_pages { pingshen_import::pdf::page_rows(&m.file, &m.content).unwrap() } else { vec![] },
                        file: m.file,
                        title: m.title,
                        pages: m.pages,
                        content: m.content,
                    })
                    .collect(),
            }
        })
        .collect();
    let experts = (1..=5)
        .map(|i| Expert {
            code: format!("E{i:02}"),
            name: format!("专家{i}"),
            unit: format!("单位{i}"),
            title: "教授".into(),
            field: "装备制造".into(),
            phone: format!("1390000000{i}"),
            // E02 is the panel's 组长: the role travels in the round file.
            role: if i == 2 { pingshen_core::expert::Role::Leader } else { pingshen_core::expert::Role::Member },
        })
        .collect();
    let id = rounds::create(
        conn,
        &NewRound {
            name: "2024年河南省市域产教联合体评审".into(), rubric_text: rubric, applications, experts, is_sample: false, uid: None
        },
        "统分人",
    )
    .unwrap();
    let e = |code: &str| -> i64 {
        conn.query_row("SELECT id FROM expert WHERE round_id = ?1 AND code = ?2", rusqlite::params![id, code], |r| r.get(0)).unwrap()
    };
    let a = |code: &str| -> i64 {
        conn.query_row("SELECT id FROM application WHERE round_id = ?1 AND code = ?2", rusqlite::params![id, code], |r| r.get(0)).unwrap()
    };
    let (e2, a1, e3, a2) = (e("E02"), a("A01"), e("E03"), a("A02"));
    conn.execute("UPDATE assignment SET recused = 1, recusal_reason = '曾在牵头学校任职', recusal_source = 'staff' WHERE expert_id = ?1 AND application_id = ?2", [e2, a1])
        .unwrap();
    conn.execute("DELETE FROM assignment WHERE expert_id = ?1 AND application_id = ?2", [e3, a2]).unwrap();
    if with_pages {
        conn.execute("UPDATE application SET source = 'docx' WHERE id = ?1", [a2]).unwrap();
        conn.execute("UPDATE application SET source = 'scanned', needs_manual_entry = 1 WHERE id = ?1", [a("A03")]).unwrap();
    }
    let settings = Settings { aggregation: Aggregation::Median, total_flag_points: Tenths(125), ..Settings::default() };
    settlements::set_settings(conn, id, &settings, "统分人").unwrap();
    id
}

fn staff() -> (Connection, i64) {
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let id = sample_round(&mut conn);
    (conn, id)
}

/// Every stored page of a round: (申报编号, file, page, text, scanned).
fn page_rows(conn: &Connection, round: i64) -> Vec<(String, String, u32, String, bool)> {
    conn.prepare(
        "SELECT a.code, m.file, p.page, p.text, p.scanned FROM material_page p JOIN material m ON m.id = p.material_id
         JOIN application a ON a.id = m.application_id WHERE a.round_id = ?1 ORDER BY a.code, m.id, p.page",
    )
    .unwrap()
    .query_map([round], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// Search hits by codes and file names (ids differ between machines), sorted: (申报编号, file, page, field,
/// snippet).
type HitKey = (String, Option<String>, Option<u32>, Option<String>, String);

fn hits(conn: &Connection, round: i64, query: &str) -> Vec<HitKey> {
    let mut v: Vec<_> = pingshen_store::search::search(conn, None, round, query, 50)
        .unwrap()
        .into_iter()
        .map(|h| (applications::get(conn, h.application_id).unwrap().0.code, h.file, h.page, h.field, h.snippet))
        .collect();
    v.sort();
    v
}

/// Each application's (申报编号, source, needs_manual_entry).
fn sources(conn: &Connection, round: i64) -> Vec<(String, String, bool)> {
    conn.prepare("SELECT code, source, needs_manual_entry FROM application WHERE round_id = ?1 ORDER BY code")
        .unwrap()
        .query_map([round], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn exported(dir: &Path) -> PathBuf {
    let (conn, id) = staff();
    let path = dir.join("批次.pingshen-round");
    export(&conn, id, &path, AT, &mut go).unwrap();
    path
}

/// Every row of every table (blobs by their hash): equal dumps mean nothing was written.
fn dump(conn: &Connection) -> String {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows = st.query([]).unwrap();
        out.push_str(&format!("[{t}]\n"));
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                let v = match r.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Blob(b) => sha256_hex(b),
                    v => format!("{v:?}"),
                };
                out.push_str(&v);
                out.push('|');
            }
            out.push('\n');
        }
    }
    out
}

/// A laptop with a round of its own already (so that "untouched" is not trivially an empty database).
fn laptop() -> Connection {
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let rubric = std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    rounds::create(
        &mut conn,
        &NewRound { name: "本机练习".into(), rubric_text: rubric, applications: vec![], experts: vec![], is_sample: true, uid: None },
        "本机",
    )
    .unwrap();
    conn
}

/// Opens `path` into a fresh laptop, expects a refusal, and checks that nothing was written.
fn refused(path: &Path) -> HandoutError {
    let mut conn = laptop();
    let before = dump(&conn);
    let err = open(&mut conn, path, &mut go).expect_err("the file must be refused");
    assert_eq!(dump(&conn), before, "a refused file must leave the database as it was ({err})");
    err
}

fn entries_of(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().to_string(), b)
        })
        .collect()
}

fn write_zip(path: &Path, entries: &[(String, Vec<u8>)]) {
    let mut z = ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in entries {
        let method = if name.ends_with(".pdf") { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        z.start_file(name.as_str(), SimpleFileOptions::default().compression_method(method)).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

fn manifest_of(entries: &[(String, Vec<u8>)]) -> Manifest {
    manifest::read(&entries.iter().find(|(n, _)| n == MANIFEST_ENTRY).unwrap().1).unwrap().manifest
}

fn set_manifest(entries: &mut [(String, Vec<u8>)], m: &Manifest) {
    entries.iter_mut().find(|(n, _)| n == MANIFEST_ENTRY).unwrap().1 = m.to_file_text().into_bytes();
}

fn first_pdf(entries: &[(String, Vec<u8>)]) -> String {
    entries.iter().find(|(n, _)| n.ends_with(".pdf")).unwrap().0.clone()
}

#[test]
fn a_round_goes_from_the_staff_machine_to_a_laptop_with_everything_but_phone_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (staff, id) = staff();
    let path = dir.path().join("r.pingshen-round");
    let mut seen = Vec::new();
    let s = export(&staff, id, &path, AT, &mut |p: &Progress| {
        seen.push(p.clone());
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(!dir.path().join("r.pingshen-round.part").exists());
    assert_eq!(s.path, path);
    assert_eq!(s.bytes, std::fs::metadata(&path).unwrap().len());
    assert_eq!(s.applications, 4);
    assert!(s.materials >= 4);
    assert_eq!(s.short_hash, pingshen_core::rubric::fingerprint(&s.content_hash));
    assert_eq!(s.short_hash.len(), 39);
    let last = seen.last().unwrap();
    assert_eq!(last.done, last.total);
    assert!(seen.iter().any(|p| p.stage.starts_with("正在导出 A01 ") && p.stage.ends_with(".pdf")), "{seen:?}");

    // The file: PDFs stored, text deflated, no phone numbers.
    let mut z = ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    assert_eq!(z.by_index(0).unwrap().name().unwrap(), "manifest.json");
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let want = if name.ends_with(".pdf") { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        assert_eq!(f.compression(), want, "{name}");
    }
    let mut text = String::new();
    z.by_name("manifest.json").unwrap().read_to_string(&mut text).unwrap();
    assert!(!text.contains("1390000000"), "phone numbers stay on the staff machine");
    assert!(text.ends_with("\"}\n") && text.lines().count() == 1);
    // Each application's page texts right after its materials; the manifest names them.
    let names: Vec<String> = (0..z.len()).map(|i| z.by_index(i).unwrap().name().unwrap().to_string()).collect();
    let at = names.iter().position(|n| n == "applications/A01/pages.json").expect("A01 has page texts");
    assert!(names[at - 1].starts_with("applications/A01/materials/") && names[at + 1] == "applications/A02/application.toml", "{names:?}");
    assert!(text.contains(",\"pages\":{\"entry\":\"applications/A01/pages.json\",\"sha256\":\""), "{text}");
    assert!(text.contains(",\"source\":\"scanned\",\"needs_manual_entry\":true}"), "{text}");
    let mut pages = String::new();
    z.by_name("applications/A01/pages.json").unwrap().read_to_string(&mut pages).unwrap();
    assert!(pages.starts_with("{\"materials\":[{\"file\":\"") && pages.contains("\"pages\":[{\"page\":1,\"text\":\""), "{pages}");
    assert!(pages.ends_with("}]}]}\n") && pages.lines().count() == 1);

    let info = inspect(&path).unwrap();
    assert_eq!(info.content_hash, s.content_hash);
    assert_eq!(info.name, "2024年河南省市域产教联合体评审");
    assert_eq!(info.experts.len(), 5);
    assert_eq!(info.experts[0], ExpertInfo { code: "E01".into(), name: "专家1".into(), unit: "单位1".into(), title: "教授".into() });
    assert_eq!(info.applications.iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), ["A01", "A02", "A03", "A04"]);
    assert_eq!(info.bytes, s.bytes);
    assert_eq!(info.rubric_hash, rounds::rubric(&staff, id).unwrap().hash());

    let mut laptop = laptop();
    let mut stages = Vec::new();
    let opened = open(&mut laptop, &path, &mut |p: &Progress| {
        stages.push(p.stage.clone());
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(!opened.already_open);
    assert_eq!(opened.content_hash, s.content_hash);
    assert!(stages.iter().any(|s| s.starts_with("正在校验 A03 ") && s.ends_with(".pdf")), "{stages:?}");
    let lid = opened.round_id;
    let (a, b) = (rounds::get(&staff, id).unwrap(), rounds::get(&laptop, lid).unwrap());
    assert_eq!((&a.uid, &a.name, &a.rubric_id, &a.rubric_title, &a.rubric_hash), (&b.uid, &b.name, &b.rubric_id, &b.rubric_title, &b.rubric_hash));
    assert_eq!(rounds::rubric(&laptop, lid).unwrap().hash(), a.rubric_hash);
    // Applications, bodies byte for byte, materials byte for byte.
    let (la, sa) = (applications::list(&laptop, lid).unwrap(), applications::list(&staff, id).unwrap());
    assert_eq!(la.len(), sa.len());
    for (x, y) in sa.iter().zip(&la) {
        assert_eq!((&x.code, &x.name), (&y.code, &y.name));
        let body =
            |c: &Connection, id: i64| -> String { c.query_row("SELECT body_toml FROM application WHERE id = ?1", [id], |r| r.get(0)).unwrap() };
        assert_eq!(body(&staff, x.id), body(&laptop, y.id));
        assert_eq!(applications::get(&staff, x.id).unwrap().1, applications::get(&laptop, y.id).unwrap().1);
        let (mx, my) = (applications::materials(&staff, x.id).unwrap(), applications::materials(&laptop, y.id).unwrap());
        assert_eq!(mx.len(), my.len());
        for (p, q) in mx.iter().zip(&my) {
            assert_eq!((&p.file, &p.title, p.pages, &p.sha256, p.size), (&q.file, &q.title, q.pages, &q.sha256, q.size));
            let blob =
                |c: &Connection, id: i64| -> Vec<u8> { c.query_row("SELECT content FROM material WHERE id = ?1", [id], |r| r.get(0)).unwrap() };
            assert_eq!(blob(&staff, p.id), blob(&laptop, q.id));
        }
    }
    // Experts without phones.
    let strip = |v: Vec<experts::ExpertRow>| v.into_iter().map(|e| Expert { phone: String::new(), ..e.expert }).collect::<Vec<_>>();
    assert_eq!(strip(experts::list(&staff, id).unwrap()), strip(experts::list(&laptop, lid).unwrap()));
    assert!(experts::list(&laptop, lid).unwrap().iter().all(|e| e.expert.phone.is_empty()));
    // Assignments and recusals (with reason and source), by codes.
    let assignments = |c: &Connection, round: i64| -> Vec<(String, String, bool, String, String)> {
        c.prepare(
            "SELECT e.code, a.code, s.recused, s.recusal_reason, s.recusal_source FROM assignment s
             JOIN expert e ON e.id = s.expert_id JOIN application a ON a.id = s.application_id WHERE a.round_id = ?1 ORDER BY 1, 2",
        )
        .unwrap()
        .query_map([round], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    };
    let la = assignments(&laptop, lid);
    assert_eq!(assignments(&staff, id), la);
    assert_eq!(la.len(), 5 * 4 - 1);
    assert!(la.contains(&("E02".into(), "A01".into(), true, "曾在牵头学校任职".into(), "staff".into())));
    assert_eq!(settlements::settings(&laptop, lid).unwrap(), settlements::settings(&staff, id).unwrap());
    assert_eq!(settlements::settings(&laptop, lid).unwrap().aggregation, Aggregation::Median);
    // The handout is recorded; no expert is chosen yet.
    let h = handout::get(&laptop, lid).unwrap().unwrap();
    assert_eq!(h.file_hash, s.content_hash);
    assert_eq!(h.expert_id, None);
    let log = pingshen_store::audit::list(&laptop).unwrap();
    assert!(log.iter().any(|e| e.action == "open_round_file" && e.detail.contains(&s.short_hash)), "{log:?}");
    // The text of every page, and search over it, as on the staff machine; the 推荐书's source too.
    let pages = page_rows(&staff, id);
    assert!(pages.iter().any(|p| p.3.contains("理事会")), "the sample materials have text");
    assert_eq!(page_rows(&laptop, lid), pages);
    let found = hits(&staff, id, "理事会");
    assert!(found.iter().any(|h| h.2.is_some()), "page hits on the staff machine: {found:?}");
    assert!(found.len() < 50, "all hits fit the limit, so both machines list the same ones");
    assert_eq!(hits(&laptop, lid, "理事会"), found);
    assert_eq!(hits(&laptop, lid, "章"), hits(&staff, id, "章"), "the one-character fallback over page texts too");
    assert_eq!(sources(&laptop, lid), sources(&staff, id));
    assert!(sources(&laptop, lid).contains(&("A03".into(), "scanned".into(), true)));
    assert!(sources(&laptop, lid).contains(&("A02".into(), "docx".into(), false)));
    assert!(seen.iter().any(|p| p.stage == "正在写入 A01 材料文字"), "{seen:?}");
    assert!(stages.iter().any(|s| s == "正在校验 A01 材料文字"), "{stages:?}");

    // The laptop's round exports to the same content (it is the same round), phone numbers aside.
    let again = dir.path().join("again.pingshen-round");
    let s2 = export(&laptop, lid, &again, AT, &mut go).unwrap();
    assert_eq!(s2.content_hash, s.content_hash);
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&path).unwrap(), "the same content gives the same bytes");
}

#[test]
fn opening_the_same_file_twice_writes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let mut conn = laptop();
    let first = open(&mut conn, &path, &mut go).unwrap();
    let before = dump(&conn);
    let second = open(&mut conn, &path, &mut go).unwrap();
    assert!(second.already_open);
    assert_eq!((second.round_id, &second.name), (first.round_id, &first.name));
    assert_eq!(dump(&conn), before);
}

#[test]
fn another_version_of_a_round_on_this_machine_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (staff, id) = staff();
    let (v1, v2) = (dir.path().join("v1.pingshen-round"), dir.path().join("v2.pingshen-round"));
    export(&staff, id, &v1, AT, &mut go).unwrap();
    export(&staff, id, &v2, "2024-05-21T08:00:00Z", &mut go).unwrap();
    let mut conn = laptop();
    open(&mut conn, &v1, &mut go).unwrap();
    let before = dump(&conn);
    let err = open(&mut conn, &v2, &mut go).unwrap_err();
    assert!(matches!(err, HandoutError::OtherVersion { .. }), "{err:?}");
    assert!(err.to_string().starts_with("本机已有这个评审批次的另一个版本"), "{err}");
    assert_eq!(dump(&conn), before);

    // The same round made on this machine (same identity, no round file): refused too.
    let uid = rounds::get(&staff, id).unwrap().uid;
    let mut here = laptop();
    let rubric = std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    rounds::create(
        &mut here,
        &NewRound { name: "同一批次".into(), rubric_text: rubric, applications: vec![], experts: vec![], is_sample: false, uid: Some(uid) },
        "x",
    )
    .unwrap();
    let before = dump(&here);
    let err = open(&mut here, &v1, &mut go).unwrap_err();
    assert!(err.to_string().contains("在本机创建"), "{err}");
    assert_eq!(dump(&here), before);
}

#[test]
fn not_a_zip_or_not_a_round_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("x.pingshen-round");
    std::fs::write(&text, "这不是压缩包").unwrap();
    let err = refused(&text);
    assert!(matches!(err, HandoutError::NotRoundFile), "{err:?}");
    assert!(err.to_string().contains("这不是评审台的评审包"));
    let other = dir.path().join("y.pingshen-round");
    write_zip(&other, &[("word/document.xml".into(), b"<w/>".to_vec())]);
    assert!(matches!(refused(&other), HandoutError::NotRoundFile));
    assert!(matches!(inspect(&other), Err(HandoutError::NotRoundFile)));
    let missing = refused(&dir.path().join("nothing-here.pingshen-round"));
    assert!(matches!(missing, HandoutError::Io { .. }), "{missing:?}");
}

#[test]
fn an_unsupported_format_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let mut e = entries_of(&path);
    let m = e.iter_mut().find(|(n, _)| n == MANIFEST_ENTRY).unwrap();
    m.1 = String::from_utf8(m.1.clone()).unwrap().replacen("\"format_version\":1,", "\"format_version\":2,", 1).into_bytes();
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::UnsupportedVersion { found } if found == "2"), "{err:?}");
    assert!(err.to_string().contains("格式版本是 2"), "{err}");
}

#[test]
fn a_changed_byte_in_the_manifest_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let mut e = entries_of(&path);
    let m = e.iter_mut().find(|(n, _)| n == MANIFEST_ENTRY).unwrap();
    // 专家1 → 专家7: one changed byte.
    let text = String::from_utf8(m.1.clone()).unwrap();
    assert!(text.contains("专家1"));
    m.1 = text.replacen("专家1", "专家7", 1).into_bytes();
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(err, HandoutError::ManifestTampered), "{err:?}");
    assert!(err.to_string().contains("manifest.json"), "{err}");
    assert!(matches!(inspect(&path), Err(HandoutError::ManifestTampered)));
}

#[test]
fn a_changed_byte_in_a_pdf_or_an_application_toml_is_refused_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let original = entries_of(&path);

    // Rewritten with a consistent zip (CRC recomputed): only the SHA-256 can tell.
    let pdf = first_pdf(&original);
    let mut e = original.clone();
    let b = &mut e.iter_mut().find(|(n, _)| *n == pdf).unwrap().1;
    let i = b.len() / 2;
    b[i] ^= 1;
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::EntryMismatch { entry } if *entry == pdf), "{err:?}");
    assert!(err.to_string().contains(&pdf), "{err}");

    let mut e = original.clone();
    let b = &mut e.iter_mut().find(|(n, _)| n == "applications/A02/application.toml").unwrap().1;
    let i = b.len() / 2;
    b[i] = if b[i] == b'x' { b'y' } else { b'x' };
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::EntryMismatch { entry } if entry == "applications/A02/application.toml"), "{err:?}");

    // A byte flipped in the file itself, inside a stored PDF (the zip's own CRC no longer matches either).
    write_zip(&path, &original);
    let mut raw = std::fs::read(&path).unwrap();
    let needle = &original.iter().find(|(n, _)| *n == pdf).unwrap().1[100..164];
    let at = raw.windows(needle.len()).position(|w| w == needle).unwrap();
    raw[at + 10] ^= 0x20;
    std::fs::write(&path, &raw).unwrap();
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::EntryMismatch { entry } if *entry == pdf), "{err:?}");
}

#[test]
fn a_missing_or_an_extra_entry_is_refused_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let original = entries_of(&path);
    let pdf = first_pdf(&original);
    let e: Vec<_> = original.iter().filter(|(n, _)| *n != pdf).cloned().collect();
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::EntryMissing { entry } if *entry == pdf), "{err:?}");
    assert!(err.to_string().contains("缺少") && err.to_string().contains(&pdf));

    let mut e = original.clone();
    e.push(("applications/A01/materials/附加.pdf".into(), b"%PDF-1.4 extra".to_vec()));
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::UnexpectedEntry { entry } if entry == "applications/A01/materials/附加.pdf"), "{err:?}");
    assert!(err.to_string().contains("清单之外"), "{err}");
}

#[test]
fn a_rubric_other_than_the_manifest_names_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let mut e = entries_of(&path);
    // Another valid rubric (one title changed), with the manifest's entry hash updated and re-signed: only
    // the parsed rubric's hash can tell.
    let r = &mut e.iter_mut().find(|(n, _)| n == "rubric.toml").unwrap().1;
    let text = String::from_utf8(r.clone()).unwrap();
    let changed = text.replacen("理念先进特色鲜明成绩突出", "理念先进特色鲜明成效突出", 1);
    assert_ne!(changed, text, "the rubric text has the short name to change");
    pingshen_core::rubric::parse(&changed).unwrap();
    *r = changed.clone().into_bytes();
    let mut m = manifest_of(&e);
    m.rubric.sha256 = sha256_hex(changed.as_bytes());
    m.rubric.size = changed.len() as u64;
    set_manifest(&mut e, &m);
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(err, HandoutError::RubricMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("rubric.toml") && err.to_string().contains("校验码"), "{err}");
}

/// Writes the exported file again with one more entry, then renames it in the raw bytes (same length):
/// the zip writer would not write such a name itself.
fn with_raw_entry(path: &Path, name: &str, bytes: &[u8], method: CompressionMethod) {
    let placeholder: String = "@PH@".repeat(name.len()).chars().take(name.len()).collect();
    let placeholder = placeholder.as_str();
    let e = entries_of(path);
    let mut z = ZipWriter::new(std::fs::File::create(path).unwrap());
    for (n, b) in &e {
        let m = if n.ends_with(".pdf") { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        z.start_file(n.as_str(), SimpleFileOptions::default().compression_method(m)).unwrap();
        z.write_all(b).unwrap();
    }
    z.start_file(placeholder, SimpleFileOptions::default().compression_method(method)).unwrap();
    z.write_all(bytes).unwrap();
    z.finish().unwrap();
    let mut raw = std::fs::read(path).unwrap();
    let mut n = 0;
    while let Some(at) = raw.windows(placeholder.len()).position(|w| w == placeholder.as_bytes()) {
        raw[at..at + name.len()].copy_from_slice(name.as_bytes());
        n += 1;
    }
    assert_eq!(n, 2, "local and central header");
    std::fs::write(path, raw).unwrap();
}

#[test]
fn unsafe_zip_entries_are_refused_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let n = std::cell::Cell::new(0);
    let fresh = || {
        n.set(n.get() + 1);
        let sub = dir.path().join(format!("f{}", n.get()));
        std::fs::create_dir(&sub).unwrap();
        exported(&sub)
    };

    let path = fresh();
    with_raw_entry(&path, "/etc/cron.d/pw", b"x", CompressionMethod::Stored);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::UnsafePath { entry, .. } if entry == "/etc/cron.d/pw"), "{err:?}");
    assert!(err.to_string().contains("绝对路径"), "{err}");

    let path = fresh();
    with_raw_entry(&path, "applications/../../x", b"x", CompressionMethod::Stored);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::UnsafePath { entry, .. } if entry == "applications/../../x"), "{err:?}");
    assert!(err.to_string().contains(".."), "{err}");

    let path = fresh();
    let mut e = entries_of(&path);
    e.retain(|(n, _)| n.ends_with(".json") || n.ends_with(".toml"));
    let mut z = ZipWriter::new(std::fs::File::create(dir.path().join("link.zip")).unwrap());
    for (n, b) in &e {
        z.start_file(n.as_str(), SimpleFileOptions::default()).unwrap();
        z.write_all(b).unwrap();
    }
    z.add_symlink("applications/A01/materials/link.pdf", "/etc/passwd", SimpleFileOptions::default()).unwrap();
    z.finish().unwrap();
    let err = refused(&dir.path().join("link.zip"));
    assert!(matches!(&err, HandoutError::Link { entry } if entry == "applications/A01/materials/link.pdf"), "{err:?}");

    // Encrypted: the general-purpose flag bit 0 set in both headers of the first PDF.
    let path = fresh();
    let pdf = first_pdf(&entries_of(&path));
    let mut raw = std::fs::read(&path).unwrap();
    let mut n = 0;
    let mut from = 0;
    while let Some(at) = raw[from..].windows(pdf.len()).position(|w| w == pdf.as_bytes()) {
        let at = from + at;
        // Local header: name at 30, flags at 6. Central header: name at 46, flags at 8.
        if at >= 46 && raw[at - 46..at - 42] == *b"PK\x01\x02" {
            raw[at - 46 + 8] |= 1;
            n += 1;
        } else if at >= 30 && raw[at - 30..at - 26] == *b"PK\x03\x04" {
            raw[at - 30 + 6] |= 1;
            n += 1;
        }
        from = at + 1;
    }
    assert_eq!(n, 2);
    std::fs::write(&path, raw).unwrap();
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::Encrypted { entry } if *entry == pdf), "{err:?}");

    // A zip bomb: 8 MiB of zeros deflated to a few KiB.
    let path = fresh();
    with_raw_entry(&path, "applications/A01/materials/z.pdf", &vec![0u8; 8 << 20], CompressionMethod::Deflated);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::CompressionRatio { entry, .. } if entry == "applications/A01/materials/z.pdf"), "{err:?}");
    assert!(err.to_string().contains("压缩比"), "{err}");

    // Over the size limit (a lower limit than the real one, on a real material).
    let path = fresh();
    let mut conn = laptop();
    let before = dump(&conn);
    let limits = Limits { material: 1000, ..LIMITS };
    let err = open::open_with(&mut conn, &path, &mut go, &limits).unwrap_err();
    assert!(matches!(&err, HandoutError::TooLarge { entry, limit: 1000, .. } if entry.ends_with(".pdf")), "{err:?}");
    assert!(err.to_string().contains("超过上限 1000 字节"), "{err}");
    assert_eq!(dump(&conn), before);
}

#[test]
fn cancelling_an_open_half_way_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let mut conn = laptop();
    let before = dump(&conn);
    let mut materials_seen = 0;
    let err = open(&mut conn, &path, &mut |p: &Progress| {
        if p.stage.ends_with(".pdf") {
            materials_seen += 1;
        }
        // Cancel in the middle of the materials, after some have been written into the transaction.
        if materials_seen >= 3 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap_err();
    assert!(matches!(err, HandoutError::Cancelled), "{err:?}");
    assert_eq!(dump(&conn), before);
    // And the file still opens afterwards.
    assert!(!open(&mut conn, &path, &mut go).unwrap().already_open);
}

#[test]
fn cancelling_an_export_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let (conn, id) = staff();
    let path = dir.path().join("r.pingshen-round");
    std::fs::write(&path, b"an older file").unwrap();
    let mut calls = 0;
    let err = export(&conn, id, &path, AT, &mut |_: &Progress| {
        calls += 1;
        if calls > 4 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap_err();
    assert!(matches!(err, HandoutError::Cancelled), "{err:?}");
    assert!(!dir.path().join("r.pingshen-round.part").exists());
    assert_eq!(std::fs::read(&path).unwrap(), b"an older file", "the file at `path` is replaced only by a finished export");
}

#[test]
fn a_damaged_material_in_the_staff_database_is_not_exported() {
    let dir = tempfile::tempdir().unwrap();
    let (conn, id) = staff();
    conn.execute("UPDATE material SET content = X'255044462D00' WHERE id = (SELECT min(id) FROM material)", []).unwrap();
    let path = dir.path().join("r.pingshen-round");
    let err = export(&conn, id, &path, AT, &mut go).unwrap_err();
    assert!(matches!(err, HandoutError::StoredMaterialDamaged { .. }), "{err:?}");
    assert!(!path.exists() && !dir.path().join("r.pingshen-round.part").exists());
}

#[test]
fn the_manifest_hash_covers_its_canonical_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let e = entries_of(&path);
    let text = String::from_utf8(e.iter().find(|(n, _)| n == MANIFEST_ENTRY).unwrap().1.clone()).unwrap();
    let m = manifest_of(&e);
    // The documented check by hand: remove `,"content_hash":"…"` before the closing brace and hash.
    let at = text.rfind(",\"content_hash\":\"").unwrap();
    let body = format!("{}}}", &text[..at]);
    assert_eq!(sha256_hex(body.as_bytes()), m.content_hash());
    assert_eq!(inspect(&path).unwrap().content_hash, m.content_hash());
    // Re-indented (same content, not canonical) is refused.
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut e2 = e.clone();
    e2.iter_mut().find(|(n, _)| n == MANIFEST_ENTRY).unwrap().1 = serde_json::to_vec_pretty(&v).unwrap();
    write_zip(&path, &e2);
    assert!(matches!(refused(&path), HandoutError::ManifestTampered | HandoutError::Malformed { .. }));
}

const A01_PAGES: &str = "applications/A01/pages.json";

#[test]
fn a_changed_byte_in_the_page_texts_is_refused_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let original = entries_of(&path);

    // One byte of a page's text changed, the zip rewritten consistently: only the SHA-256 can tell.
    let mut e = original.clone();
    let b = &mut e.iter_mut().find(|(n, _)| n == A01_PAGES).unwrap().1;
    let at = b.windows(8).position(|w| w == b"\"text\":\"").unwrap() + 8;
    b[at] = if b[at] == b'x' { b'y' } else { b'x' };
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::EntryMismatch { entry } if entry == A01_PAGES), "{err:?}");
    assert!(err.to_string().contains(A01_PAGES), "{err}");

    // A scanned flag flipped (same size).
    let mut e = original.clone();
    let b = &mut e.iter_mut().find(|(n, _)| n == A01_PAGES).unwrap().1;
    let text = String::from_utf8(b.clone()).unwrap();
    let flipped = if text.contains("\"scanned\":false}") {
        text.replacen("\"scanned\":false}", "\"scanned\":true }", 1)
    } else {
        text.replacen("\"scanned\":true}", "\"scanned\":false", 1)
    };
    assert_eq!(flipped.len(), text.len());
    *b = flipped.into_bytes();
    write_zip(&path, &e);
    assert!(matches!(&refused(&path), HandoutError::EntryMismatch { entry } if entry == A01_PAGES));
}

#[test]
fn missing_or_extra_page_texts_are_refused_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let original = entries_of(&path);
    let e: Vec<_> = original.iter().filter(|(n, _)| n != A01_PAGES).cloned().collect();
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::EntryMissing { entry } if entry == A01_PAGES), "{err:?}");
    assert!(matches!(inspect(&path), Err(HandoutError::EntryMissing { .. })));

    // Page texts the manifest does not list: the entry is extra.
    let mut e = original.clone();
    let mut m = manifest_of(&e);
    m.applications[0].pages = None;
    set_manifest(&mut e, &m);
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::UnexpectedEntry { entry } if entry == A01_PAGES), "{err:?}");

    // Under another name than the format's.
    let mut e = original.clone();
    let mut m = manifest_of(&e);
    m.applications[0].pages.as_mut().unwrap().entry = "applications/A01/texts.json".into();
    e.iter_mut().find(|(n, _)| n == A01_PAGES).unwrap().0 = "applications/A01/texts.json".into();
    set_manifest(&mut e, &m);
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::Malformed { detail } if detail.contains("pages.json")), "{err:?}");
}

/// Replaces A01's page texts with `text` and re-signs the manifest (its size and SHA-256 updated), so that
/// only reading the page texts can tell.
fn with_pages_text(path: &Path, text: &str) {
    let mut e = entries_of(path);
    e.iter_mut().find(|(n, _)| n == A01_PAGES).unwrap().1 = text.as_bytes().to_vec();
    let mut m = manifest_of(&e);
    let p = m.applications[0].pages.as_mut().unwrap();
    p.sha256 = sha256_hex(text.as_bytes());
    p.size = text.len() as u64;
    set_manifest(&mut e, &m);
    write_zip(path, &e);
}

#[test]
fn page_texts_that_do_not_fit_the_application_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let original = entries_of(&path);
    let text = String::from_utf8(original.iter().find(|(n, _)| n == A01_PAGES).unwrap().1.clone()).unwrap();
    let pages: pages::Pages = serde_json::from_str(text.trim_end()).unwrap();
    let file = pages.materials[0].file.clone();
    let cases = [
        (text.replacen(&format!("\"file\":\"{file}\""), "\"file\":\"别的.pdf\"", 1), "不在清单中"),
        (text.replacen("{\"page\":1,", "{\"page\":0,", 1), "页码 0"),
        (text.replacen("\"materials\":[", "\"materials\":[ ", 1), "规范格式"),
        (text.replacen("\"scanned\":", "\"ocr\":true,\"scanned\":", 1), "结构不对"),
        (
            {
                let mut twice = pages.clone();
                twice.materials.push(twice.materials[0].clone());
                twice.to_file_text()
            },
            "重复",
        ),
        ("{\"materials\":[]}\n".to_string(), "没有任何材料"),
        (
            {
                let mut none = pages.clone();
                none.materials[0].pages.clear();
                none.to_file_text()
            },
            "没有任何页",
        ),
    ];
    for (changed, why) in cases {
        assert_ne!(changed, text);
        write_zip(&path, &original);
        with_pages_text(&path, &changed);
        let err = refused(&path);
        assert!(
            matches!(&err, HandoutError::PagesUnreadable { code, entry, message } if code == "A01" && entry == A01_PAGES && message.contains(why)),
            "{why}: {err:?}"
        );
        assert!(err.to_string().contains("材料文字") && err.to_string().contains(A01_PAGES), "{err}");
    }
}

#[test]
fn the_source_members_are_checked_and_written_only_when_not_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let original = entries_of(&path);
    let text = String::from_utf8(original.iter().find(|(n, _)| n == MANIFEST_ENTRY).unwrap().1.clone()).unwrap();
    assert!(!text.contains("\"source\":\"canonical\"") && !text.contains("\"needs_manual_entry\":false"), "defaults are not written");

    let mut bad = manifest_of(&original);
    bad.applications[1].source = "fax".into();
    let mut e = original.clone();
    set_manifest(&mut e, &bad);
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::Malformed { detail } if detail.contains("fax")), "{err:?}");

    // A default written out (re-signed) is not the canonical form.
    let body = manifest_of(&original).canonical_without_hash();
    let body = body.replacen(",\"source\":\"docx\"}", ",\"source\":\"docx\",\"needs_manual_entry\":false}", 1);
    assert!(body.contains("\"needs_manual_entry\":false"));
    let file = format!("{},\"content_hash\":\"{}\"}}\n", &body[..body.len() - 1], sha256_hex(body.as_bytes()));
    let mut e = original.clone();
    e.iter_mut().find(|(n, _)| n == MANIFEST_ENTRY).unwrap().1 = file.into_bytes();
    write_zip(&path, &e);
    let err = refused(&path);
    assert!(matches!(&err, HandoutError::Malformed { detail } if detail.contains("规范格式")), "{err:?}");
}

#[test]
fn page_texts_over_their_size_limit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = exported(dir.path());
    let mut conn = laptop();
    let before = dump(&conn);
    // Each kind of entry has its own limit: a page-text limit below A01's page texts, the others as they are.
    let limits = Limits { pages: 100, ..LIMITS };
    let err = open::open_with(&mut conn, &path, &mut go, &limits).unwrap_err();
    assert!(matches!(&err, HandoutError::TooLarge { entry, limit: 100, .. } if entry.ends_with("/pages.json")), "{err:?}");
    assert_eq!(dump(&conn), before);
    const { assert!(LIMITS.pages >= 64 << 20) };
}

#[test]
fn a_file_without_page_texts_opens_as_before() {
    // What a file written before page texts travelled holds: no `pages`, `source` or `needs_manual_entry`
    // member, no pages.json entry.
    let dir = tempfile::tempdir().unwrap();
    let mut staff = pingshen_store::open_in_memory().unwrap();
    let id = sample_round_with(&mut staff, false);
    assert!(page_rows(&staff, id).is_empty());
    let path = dir.path().join("v1.pingshen-round");
    let s = export(&staff, id, &path, AT, &mut go).unwrap();
    let e = entries_of(&path);
    assert!(!e.iter().any(|(n, _)| n.ends_with("pages.json")), "no page texts, no entry");
    // Each application has exactly the members of the first files, so the manifest text and its hash are
    // what they were.
    #[derive(serde::Serialize)]
    struct V1Application<'a> {
        code: &'a str,
        name: &'a str,
        entry: &'a str,
        sha256: &'a str,
        size: u64,
        materials: &'a [manifest::MaterialEntry],
    }
    let text = String::from_utf8(e.iter().find(|(n, _)| n == MANIFEST_ENTRY).unwrap().1.clone()).unwrap();
    let m = manifest_of(&e);
    let v1: Vec<V1Application> = m
        .applications
        .iter()
        .map(|a| V1Application { code: &a.code, name: &a.name, entry: &a.entry, sha256: &a.sha256, size: a.size, materials: &a.materials })
        .collect();
    let v1 = format!(",\"applications\":{},\"assignments\":", serde_json::to_string(&v1).unwrap());
    assert!(text.contains(&v1), "{text}");
    assert_eq!(m.content_hash(), s.content_hash);

    let mut conn = laptop();
    let opened = open(&mut conn, &path, &mut go).unwrap();
    assert_eq!(opened.content_hash, s.content_hash);
    assert!(page_rows(&conn, opened.round_id).is_empty());
    assert!(sources(&conn, opened.round_id).iter().all(|(_, source, manual)| source == "canonical" && !manual));
    // The 推荐书 fields are indexed on the laptop all the same.
    assert_eq!(hits(&conn, opened.round_id, "理事会"), hits(&staff, id, "理事会"));
    assert!(hits(&conn, opened.round_id, "理事会").iter().all(|h| h.2.is_none()));
}

#[test]
fn seal_and_unseal_are_inverse_and_unseal_wants_the_hash_last() {
    let body = r#"{"format":"x","name":"张三"}"#;
    let sealed = manifest::seal(body);
    let hash = sha256_hex(body.as_bytes());
    assert_eq!(sealed, format!("{{\"format\":\"x\",\"name\":\"张三\",\"content_hash\":\"{hash}\"}}\n"));
    let line = sealed.strip_suffix('\n').unwrap();
    assert_eq!(manifest::unseal(line), Some((body.to_string(), hash.as_str())));
    // Not last, upper-case, short, or missing: not sealed.
    assert_eq!(manifest::unseal(&format!("{{\"content_hash\":\"{hash}\",\"a\":1}}")), None);
    assert_eq!(manifest::unseal(&line.replace(&hash, &hash.to_uppercase())), None);
    assert_eq!(manifest::unseal(&line.replace(&hash, &hash[1..])), None);
    assert_eq!(manifest::unseal(body), None);
    assert_eq!(manifest::unseal("\"}"), None);
}

#[test]
fn the_rounds_opinion_rules_travel_only_when_set() {
    let dir = tempfile::tempdir().unwrap();
    let (staff, id) = staff();
    let manifest_text = |path: &Path| {
        let mut z = ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut text = String::new();
        z.by_name("manifest.json").unwrap().read_to_string(&mut text).unwrap();
        text
    };
    // Nothing required: no member, and the laptop requires nothing.
    let plain = dir.path().join("plain.pingshen-round");
    export(&staff, id, &plain, AT, &mut go).unwrap();
    assert!(!manifest_text(&plain).contains("\"opinions\""));
    let mut laptop1 = laptop();
    let opened = open(&mut laptop1, &plain, &mut go).unwrap();
    assert_eq!(rounds::opinion_rules(&laptop1, opened.round_id).unwrap(), pingshen_core::opinion::OpinionRules::default());
    // Both required and a limit: the member, and the laptop's round has the same rules.
    let rules = pingshen_core::opinion::OpinionRules { require_recommendation: true, require_opinion: true, opinion_max_chars: Some(300) };
    rounds::set_opinion_rules_in(&staff, id, &rules).unwrap();
    let path = dir.path().join("r.pingshen-round");
    export(&staff, id, &path, AT, &mut go).unwrap();
    assert!(
        manifest_text(&path).contains(r#","opinions":{"require_recommendation":true,"require_opinion":true,"opinion_max_chars":300},"exported_at":"#),
        "{}",
        manifest_text(&path)
    );
    let mut laptop2 = laptop();
    let opened = open(&mut laptop2, &path, &mut go).unwrap();
    assert_eq!(rounds::opinion_rules(&laptop2, opened.round_id).unwrap(), rules);
}

#[test]
fn an_open_reconsideration_travels_to_the_laptop() {
    let dir = tempfile::tempdir().unwrap();
    let (staff, id) = staff();
    let e1 = experts::list(&staff, id).unwrap()[0].id;
    let a1 = applications::list(&staff, id).unwrap()[0].id;
    pingshen_store::reconsiderations::open(&staff, id, e1, &[(a1, vec!["2.1".into(), "3.1".into()])], "A01 分差过大", "统分人").unwrap();
    let path = dir.path().join("r.pingshen-round");
    export(&staff, id, &path, AT, &mut go).unwrap();
    let mut z = ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut text = String::new();
    z.by_name("manifest.json").unwrap().read_to_string(&mut text).unwrap();
    assert!(text.contains(r#""reconsideration":{"number":1,"opened_by":"E01","reason":"A01 分差过大","opened_at":""#), "{text}");
    assert!(text.contains(r#""applications":[{"application":"A01","items":["2.1","3.1"]}]},"exported_at""#), "{text}");
    let mut laptop = laptop();
    let opened = open(&mut laptop, &path, &mut go).unwrap();
    let rec = pingshen_store::reconsiderations::current(&laptop, opened.round_id).unwrap().expect("the 复议 is open on the laptop");
    assert_eq!((rec.opened_by_code.as_str(), rec.reason.as_str()), ("E01", "A01 分差过大"));
    assert_eq!(rec.scopes.iter().map(|(_, s)| s.zh()).collect::<Vec<_>>(), ["A01（观测点 2.1、3.1）"]);
    // Closed on the staff machine: the next round file carries none.
    let on_staff = pingshen_store::reconsiderations::current(&staff, id).unwrap().unwrap().id;
    pingshen_store::reconsiderations::close(&staff, on_staff, "统分人").unwrap();
    let again = dir.path().join("r2.pingshen-round");
    export(&staff, id, &again, AT, &mut go).unwrap();
    let mut z = ZipArchive::new(std::fs::File::open(&again).unwrap()).unwrap();
    let mut text = String::new();
    z.by_name("manifest.json").unwrap().read_to_string(&mut text).unwrap();
    assert!(!text.contains("reconsideration"));
}
