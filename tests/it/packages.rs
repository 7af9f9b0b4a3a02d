//! Applications added to a round as they arrive, a scanned 推荐书 typed in by staff, and evidence pinned to
//! scores: the store's rules, on the sample packages.

use pingshen_core::expert::Expert;
use pingshen_core::Tenths;
use pingshen_store::applications::{self, Source};
use pingshen_store::evidence::{self, Target};
use pingshen_store::rounds::{self, NewApplication, NewRound};
use pingshen_store::{search, sheets, Connection, StoreError};
use pingshen_tests::{root, sample_dirs};

fn package(dir: usize, code: &str) -> NewApplication {
    pingshen_tests::sample_application(&sample_dirs()[dir], code, true)
}

/// A round with two experts and no application yet.
fn empty_round() -> (Connection, i64) {
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let rubric = std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    let experts =
        ["E01", "E02"].map(|c| Expert { code: c.into(), name: format!("专家{c}"), unit: "某职业技术学院".into(), ..Default::default() }).to_vec();
    let id = rounds::create(
        &mut conn,
        &NewRound { name: "导入".into(), rubric_text: rubric, applications: vec![], experts, is_sample: false, uid: None },
        "统分人",
    )
    .unwrap();
    (conn, id)
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_package_joins_a_round_whole_searchable_and_assigned_or_not_at_all() {
    let (mut conn, round) = empty_round();
    let (id, code) = applications::add(&mut conn, round, &package(0, ""), Source::Canonical, false, "统分人").unwrap();
    assert_eq!(code, "A01", "the next free code");
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM assignment WHERE application_id = {id}")), 2, "every expert is assigned");
    let hits = search::search(&conn, Some(id), round, "理事会", 20).unwrap();
    assert!(hits.iter().any(|h| h.page.is_some()), "its material pages are indexed");

    // The same consortium twice, or a taken code: refused, nothing written.
    let before = count(&conn, "SELECT count(*) FROM application") + count(&conn, "SELECT count(*) FROM material");
    let err = applications::add(&mut conn, round, &package(0, ""), Source::Canonical, false, "统分人").unwrap_err();
    assert!(err.to_string().contains("同名"), "{err}");
    let err = applications::add(&mut conn, round, &package(1, "A01"), Source::Canonical, false, "统分人").unwrap_err();
    assert!(err.to_string().contains("A01"), "{err}");
    assert_eq!(count(&conn, "SELECT count(*) FROM application") + count(&conn, "SELECT count(*) FROM material"), before);

    // Once a sheet is submitted, the round's applications are fixed.
    let rubric = rounds::rubric(&conn, round).unwrap();
    let e01: i64 = conn.query_row("SELECT id FROM expert WHERE code = 'E01'", [], |r| r.get(0)).unwrap();
    let sheet = sheets::open(&conn, e01, id).unwrap();
    for i in rubric.items() {
        sheets::set_score(&conn, &rubric, sheet, &i.code, Some(i.points)).unwrap();
    }
    sheets::submit(&conn, sheet, "专家").unwrap();
    let err = applications::add(&mut conn, round, &package(1, ""), Source::Canonical, false, "统分人").unwrap_err();
    assert!(err.to_string().contains("不能再增加"), "{err}");
}

#[test]
fn a_scanned_form_waits_for_its_key_fields_and_is_fixed_once_scoring_began() {
    let (mut conn, round) = empty_round();
    let mut scanned = package(1, "");
    let real = scanned.application.clone();
    scanned.application = Default::default();
    let (id, code) = applications::add(&mut conn, round, &scanned, Source::Scanned, true, "统分人").unwrap();
    assert!(applications::needs_manual_entry(&conn, id).unwrap());
    assert!(applications::list(&conn, round).unwrap()[0].name.contains("待录入"), "listed by its code until entered");
    let (_, app) = applications::get(&conn, id).unwrap();
    let findings = pingshen_core::formal::check(&app, &applications::material_infos(&conn, id).unwrap(), true);
    assert_eq!(findings[0].code, "scanned_form");

    applications::enter_manually(&conn, id, &real, "统分人").unwrap();
    assert!(!applications::needs_manual_entry(&conn, id).unwrap());
    assert_eq!(applications::get(&conn, id).unwrap().0.name, real.cover.name);
    assert!(!search::search(&conn, Some(id), round, &real.cover.lead_school, 5).unwrap().is_empty(), "the typed form is searchable");

    let rubric = rounds::rubric(&conn, round).unwrap();
    let e02: i64 = conn.query_row("SELECT id FROM expert WHERE code = 'E02'", [], |r| r.get(0)).unwrap();
    let sheet = sheets::open(&conn, e02, id).unwrap();
    sheets::set_score(&conn, &rubric, sheet, "1.1", Some(Tenths(40))).unwrap();
    let err = applications::enter_manually(&conn, id, &real, "统分人").unwrap_err();
    assert!(err.to_string().contains(&code) && err.to_string().contains("开始评分"), "{err}");
}

#[test]
fn evidence_is_pinned_to_a_score_of_an_editable_sheet_from_its_own_application() {
    let (mut conn, round) = empty_round();
    let (a1, _) = applications::add(&mut conn, round, &package(0, ""), Source::Canonical, false, "统分人").unwrap();
    let (a2, _) = applications::add(&mut conn, round, &package(1, ""), Source::Canonical, false, "统分人").unwrap();
    let e01: i64 = conn.query_row("SELECT id FROM expert WHERE code = 'E01'", [], |r| r.get(0)).unwrap();
    let sheet = sheets::open(&conn, e01, a1).unwrap();
    let mine = applications::materials(&conn, a1).unwrap()[0].clone();
    let other = applications::materials(&conn, a2).unwrap()[0].clone();

    let p1 = evidence::pin(&conn, sheet, "2.3", &Target::Page { material_id: mine.id, page: 2 }, "  章程第八条  ").unwrap();
    evidence::pin(&conn, sheet, "7", &Target::Page { material_id: mine.id, page: 1 }, "").unwrap();
    evidence::pin(&conn, sheet, "2.4", &Target::Field { field: "overview.secretariat".into() }, "").unwrap();
    let pins = evidence::list(&conn, sheet).unwrap();
    assert_eq!(pins.len(), 3);
    let first = pins.iter().find(|p| p.id == p1).unwrap();
    assert_eq!((first.label.as_str(), first.passage.as_str()), (format!("{} 第2页", mine.title).as_str(), "章程第八条"));
    assert!(pins.iter().any(|p| p.item == "2.4" && p.label.starts_with("推荐书·")));

    for (item, target, why) in [
        ("2.3", Target::Page { material_id: other.id, page: 1 }, "不属于"),
        ("2.3", Target::Page { material_id: mine.id, page: mine.pages + 1 }, "没有第"),
        ("9.9", Target::Page { material_id: mine.id, page: 1 }, "9.9"),
        ("2.3", Target::Field { field: "no.such.field".into() }, "没有"),
    ] {
        let err = evidence::pin(&conn, sheet, item, &target, "").unwrap_err();
        assert!(err.to_string().contains(why), "{item} {target:?}: {err}");
    }
    assert!(applications::material_bytes_for_sheet(&conn, sheet, other.id).is_err(), "another application's material is not served");
    assert_eq!(applications::material_bytes_for_sheet(&conn, sheet, mine.id).unwrap().len() as i64, mine.size);

    // Submitted: the evidence is locked with the sheet.
    let rubric = rounds::rubric(&conn, round).unwrap();
    for i in rubric.items() {
        sheets::set_score(&conn, &rubric, sheet, &i.code, Some(i.points)).unwrap();
    }
    sheets::set_deduction(&conn, &rubric, sheet, Some(Tenths(10)), "实习安全事故").unwrap();
    sheets::submit(&conn, sheet, "专家").unwrap();
    assert!(matches!(evidence::unpin(&conn, sheet, p1).unwrap_err(), StoreError::Locked));
    assert!(matches!(evidence::pin(&conn, sheet, "2.3", &Target::Page { material_id: mine.id, page: 1 }, "").unwrap_err(), StoreError::Locked));

    // Suggestions for 2.1 (理事会): pages of this application's materials only, best first.
    let s = evidence::suggestions(&conn, sheet, "2.1", 8).unwrap();
    assert!(!s.is_empty() && s.iter().all(|h| h.application_id == a1 && h.page.is_some()), "{s:?}");
}

#[test]
fn a_raw_package_with_a_text_pdf_form_arrives_as_the_structured_application() {
    use pingshen_import::arrive::{self, Origin};
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("济源申报材料");
    std::fs::create_dir(&pkg).unwrap();
    std::fs::copy(root().join("tests/fixtures/forms/form-text.pdf"), pkg.join("推荐书.pdf")).unwrap();
    std::fs::copy(root().join("sample-applications/jiyuan/materials/支撑材料汇编.pdf"), pkg.join("附件1 支撑材料汇编.pdf")).unwrap();
    let a = arrive::read(&pkg).unwrap();
    assert_eq!(a.origin, Origin::Form(pingshen_import::FormSource::Pdf));
    assert!(!a.needs_manual_entry);
    let jiyuan = pingshen_import::read_package_dir(&root().join("sample-applications/jiyuan")).unwrap().application;
    assert_eq!(a.application.cover, jiyuan.cover, "the cover read from the PDF form");
    assert_eq!(a.materials.len(), 1, "the 推荐书 is not a material");
    assert!(a.materials[0].1.iter().any(|p| p.text.contains("理事会")), "the material's page texts");

    // Without a 推荐书: refused, naming the package.
    std::fs::remove_file(pkg.join("推荐书.pdf")).unwrap();
    let err = arrive::read(&pkg).unwrap_err().to_string();
    assert!(err.contains("济源申报材料") && err.contains("没有找到推荐书"), "{err}");
}
