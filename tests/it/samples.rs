//! The sample applications: they read, they differ, and they make a round.

use pingshen_core::application::MEMBER_TYPES;
use pingshen_core::expert::Expert;
use pingshen_import::read_package_dir;
use pingshen_store::rounds::{self, NewRound};
use pingshen_tests::{root, sample_dirs};

#[test]
fn there_are_at_least_four_samples_each_with_real_materials() {
    let dirs = sample_dirs();
    assert!(dirs.len() >= 4, "{dirs:?}");
    let mut names = Vec::new();
    for d in &dirs {
        let p = read_package_dir(d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        let a = &p.application;
        assert!(!a.cover.name.is_empty() && !a.cover.lead_school.is_empty() && !a.cover.lead_enterprise.is_empty());
        assert!(a.overview.members.iter().all(|m| MEMBER_TYPES.contains(&m.kind.as_str())), "{}", d.display());
        let s = &a.overview.secretariat;
        assert_eq!(s.full_time + s.part_time, s.total, "{}: 专职+兼职=人员总数", d.display());
        assert!(!p.materials.is_empty(), "{}: at least one 支撑材料 PDF", d.display());
        for m in &p.materials {
            assert!(m.content.starts_with(b"%PDF-"));
            assert!(m.pages >= 1);
        }
        assert!(a.features.chars().filter(|c| !c.is_whitespace()).count() <= 2000);
        assert!(a.plan.chars().filter(|c| !c.is_whitespace()).count() <= 1000);
        names.push(a.cover.name.clone());
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), dirs.len(), "samples are different consortia");
}

#[test]
fn the_samples_and_the_henan_rubric_make_a_round() {
    let rubric = std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    let applications = pingshen_tests::sample_applications(false);
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let id = rounds::create(
        &mut conn,
        &NewRound {
            name: "样例".into(),
            rubric_text: rubric,
            applications: applications.clone(),
            experts: vec![Expert { code: "E01".into(), name: "专家".into(), ..Default::default() }],
            is_sample: true,
            uid: None,
        },
        "test",
    )
    .unwrap();
    let listed = pingshen_store::applications::list(&conn, id).unwrap();
    assert_eq!(listed.len(), applications.len());
    for (row, new) in listed.iter().zip(&applications) {
        let (_, back) = pingshen_store::applications::get(&conn, row.id).unwrap();
        assert_eq!(back, new.application, "the 推荐书 survives storage unchanged");
    }
}
