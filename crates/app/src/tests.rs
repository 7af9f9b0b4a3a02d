//! The use cases driven in-process, as the desktop's commands and the CLI call them: the 统分 overview,
//! the paperwork set, the imports (paper scores, score files, the expert list, a package) and the
//! declaration, on the sample round in a real (temporary) store. No window.

use std::path::{Path, PathBuf};

use pingshen_store::Connection;

use crate::ids::{ApplicationId, ExpertId, RoundId, SheetId};
use crate::overview::{AggregationDto, Direction, SettlementKindDto};
use crate::views::SheetState;
use crate::*;

/// The sample round in a fresh store: (store, round, experts E01…E03, applications A01…A04).
fn sample() -> (Connection, RoundId, Vec<ExpertId>, Vec<ApplicationId>) {
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let round = RoundId(rounds::sample(&mut conn).unwrap().id);
    let detail = rounds::get(&conn, round).unwrap();
    let experts: Vec<ExpertId> = detail.experts.iter().map(|e| ExpertId(e.id)).collect();
    let apps: Vec<ApplicationId> = scoring::applications(&conn, round, experts[0]).unwrap().iter().map(|a| ApplicationId(a.id)).collect();
    assert_eq!((experts.len(), apps.len()), (3, 4));
    (conn, round, experts, apps)
}

/// Scores every item of a sheet at `percent` % of its maximum (on the rubric's step) and submits it.
fn score_all(conn: &Connection, round: RoundId, expert: ExpertId, app: ApplicationId, percent: i64, submit: bool) -> SheetId {
    let s = scoring::open(conn, round, expert, app).unwrap();
    for g in &s.rubric.groups {
        for i in &g.items {
            let max = pingshen_core::Tenths::parse(&i.points).unwrap().0;
            let v = pingshen_core::Tenths(max * percent / 100 / 5 * 5);
            scoring::set_score(conn, SheetId(s.sheet_id), &i.code, Some(&v.to_string())).unwrap();
            if percent < 70 {
                scoring::set_comment(conn, SheetId(s.sheet_id), &i.code, "佐证不足").unwrap();
            }
        }
    }
    if submit {
        scoring::submit(conn, SheetId(s.sheet_id)).unwrap();
    }
    SheetId(s.sheet_id)
}

fn cell_states(o: &overview::ConsolidationDto, row: usize) -> Vec<SheetState> {
    o.matrix[row].cells.iter().map(|c| c.state).collect()
}

#[test]
fn the_overview_follows_every_sheet_from_not_started_to_submitted_and_ranks_only_complete_applications() {
    let (conn, round, e, a) = sample();
    let o = overview::overview(&conn, round).unwrap();
    assert_eq!(o.matrix.len(), 4);
    assert!(o.matrix.iter().all(|r| !r.complete && r.cells.iter().all(|c| c.state == SheetState::NotStarted && c.total.is_none())));
    assert_eq!(o.settings.aggregation, AggregationDto::TrimmedMean);

    // One item: in progress; every item: complete (not yet submitted); submitted.
    let s = scoring::open(&conn, round, e[0], a[0]).unwrap();
    scoring::set_score(&conn, SheetId(s.sheet_id), "1.1", Some("3")).unwrap();
    assert_eq!(cell_states(&overview::overview(&conn, round).unwrap(), 0)[0], SheetState::InProgress);
    score_all(&conn, round, e[0], a[0], 80, false);
    let o = overview::overview(&conn, round).unwrap();
    assert_eq!(cell_states(&o, 0), [SheetState::Complete, SheetState::NotStarted, SheetState::NotStarted]);
    assert!(o.matrix[0].cells[0].total.is_some());
    score_all(&conn, round, e[0], a[0], 80, true);
    // E03 is recused from A01: the cell reads 回避 and A01 needs only E01 and E02.
    overview::set_recusal(&conn, e[2], a[0], true, "曾任牵头学校顾问").unwrap();
    score_all(&conn, round, e[1], a[0], 90, true);
    let o = overview::overview(&conn, round).unwrap();
    assert_eq!(cell_states(&o, 0), [SheetState::Submitted, SheetState::Submitted, SheetState::Recused]);
    assert!(o.matrix[0].complete && !o.matrix[1].complete);
    let ranked: Vec<(&str, Option<u32>, bool)> = o.ranking.iter().map(|r| (r.code.as_str(), r.rank, r.complete)).collect();
    assert_eq!(ranked[0], ("A01", Some(1), true));
    assert!(ranked[1..].iter().all(|(_, rank, complete)| rank.is_none() && !complete), "{ranked:?}");
    assert_eq!(o.ranking[0].recused_experts, ["E03"]);
    assert_eq!(o.recusals.iter().filter(|r| r.confirmed).count(), 1);
    // The expert's own list says the same as the matrix.
    let mine = scoring::applications(&conn, round, e[2]).unwrap();
    assert_eq!(mine[0].state, SheetState::Recused);
}

#[test]
fn a_flag_is_typed_and_the_latest_settlement_stands() {
    let (conn, round, e, a) = sample();
    score_all(&conn, round, e[0], a[0], 100, true);
    score_all(&conn, round, e[1], a[0], 60, true);
    score_all(&conn, round, e[2], a[0], 62, true);
    let o = overview::overview(&conn, round).unwrap();
    let total = o.flags.iter().find(|f| f.expert == "E01" && f.item.is_none()).expect("E01's total is far above the others");
    assert_eq!(total.direction, Direction::High);
    assert!(total.settlement.is_none());
    overview::settle_flag(&conn, a[0], "E01", None, false, "专家说明：该联合体实体化运行确有成效").unwrap();
    overview::settle_flag(&conn, a[0], "E01", None, true, "评审组复议，维持原评分").unwrap();
    let o = overview::overview(&conn, round).unwrap();
    let s = o.flags.iter().find(|f| f.expert == "E01" && f.item.is_none()).unwrap().settlement.clone().unwrap();
    assert_eq!((s.kind, s.text.as_str()), (SettlementKindDto::PanelResolution, "评审组复议，维持原评分"));
    // The 评审报告 prints the same settlement.
    let docs = paperwork::for_round(&conn, round, "2026年12月3日").unwrap();
    let review = String::from_utf8(docs[9].bytes.clone()).unwrap();
    assert!(review.contains("评审组决议：评审组复议，维持原评分"));
    assert!(!review.contains("专家书面说明：专家说明"));
}

#[test]
fn a_refused_submit_lists_every_problem_in_its_details() {
    let (conn, round, e, a) = sample();
    let s = scoring::open(&conn, round, e[0], a[1]).unwrap();
    scoring::set_score(&conn, SheetId(s.sheet_id), "1.1", Some("1")).unwrap();
    scoring::set_deduction(&conn, SheetId(s.sheet_id), Some("2"), "").unwrap();
    let err = scoring::submit(&conn, SheetId(s.sheet_id)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotReady);
    assert_eq!(err.details.len(), 3, "{:?}", err.details);
    assert!(err.details[0].starts_with("尚未评分的观测点："), "{:?}", err.details);
    assert!(err.details.iter().any(|d| d.contains("须填写评语")) && err.details.iter().any(|d| d.contains("扣分理由")));
    assert_eq!(err.message, format!("评分表还不能提交：{}", err.details.join("；")));
    // A typed score off the step or out of range is refused with its item named; nothing is saved.
    let bad = scoring::set_score(&conn, SheetId(s.sheet_id), "1.1", Some("1.3")).unwrap_err();
    assert_eq!(bad.kind, ErrorKind::InvalidScore);
    let bad = scoring::set_score(&conn, SheetId(s.sheet_id), "1.1", Some("三")).unwrap_err();
    assert!(bad.message.starts_with("观测点 1.1 的得分"), "{}", bad.message);
    let again = scoring::open(&conn, round, e[0], a[1]).unwrap();
    assert_eq!(again.scores.iter().find(|x| x.item == "1.1").unwrap().value.as_deref(), Some("1"));
}

#[test]
fn the_paperwork_set_is_ten_named_documents_with_the_experts_sheets_and_the_audit_log() {
    let (conn, round, e, a) = sample();
    for (i, ex) in e.iter().enumerate() {
        for (j, app) in a.iter().enumerate() {
            score_all(&conn, round, *ex, *app, 70 + (i as i64 * 3 + j as i64 * 5) % 30, true);
        }
    }
    let docs = paperwork::for_round(&conn, round, "2026年12月3日").unwrap();
    let names: Vec<&str> = docs.iter().map(|d| d.file_name.as_str()).collect();
    assert_eq!(names, paperwork::PAPERWORK_FILES);
    let summary = String::from_utf8(docs[0].bytes.clone()).unwrap();
    assert!(summary.contains("2026年12月3日") && summary.contains(&rounds::get(&conn, round).unwrap().round.name));
    assert!(docs[1].bytes.starts_with(b"PK"), "an .xlsx is a zip");
    assert!(docs[2].bytes.starts_with(b"PK"), "a .docx is a zip");
    assert!(summary.contains("评审结果汇总表（草稿）"), "no list confirmed: a draft");
    assert_eq!(paperwork::summary_preview(&conn, round, "2026年12月3日").unwrap(), summary);

    let sheets = paperwork::expert_sheets(&conn, round, e[0], "2026-12-03T01:00:00Z").unwrap();
    assert_eq!(sheets.file_name, "E01-专家评分表.html");
    assert!(String::from_utf8(sheets.bytes).unwrap().matches("评分表校验码").count() >= 4);
    let log = paperwork::audit_log(&conn, round, "2026年12月3日").unwrap();
    let log = String::from_utf8(log.bytes).unwrap();
    assert!(log.contains("提交评分表") && !log.contains("submit_sheet"));
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn paper_scores_come_in_all_or_nothing_with_every_bad_row_named() {
    let (mut conn, round, _, _) = sample();
    let dir = tempfile::tempdir().unwrap();
    let rubric = rounds::get(&conn, round).unwrap().rubric;
    let mut csv = String::from("专家编号,专家姓名,申报编号,观测点,得分,说明\n");
    for g in &rubric.groups {
        for i in &g.items {
            csv.push_str(&format!("E01,张建国,A01,{},{},\n", i.code, i.points));
        }
    }
    let good = write(dir.path(), "纸质.csv", &csv);
    let bad = write(dir.path(), "有误.csv", &format!("{csv}E01,张建国,A09,1.1,3,\nE01,张建国,A02,1.1,99,\n"));
    let err = scorefiles::import_paper(&mut conn, round, &bad).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Spreadsheet);
    assert!(err.details.len() >= 2, "{:?}", err.details);
    assert!(err.details.iter().all(|d| d.contains("有误.csv")), "{:?}", err.details);
    let rows = rubric.groups.iter().map(|g| g.items.len()).sum::<usize>();
    assert!(err.details.iter().any(|d| d.contains(&format!("第 {} 行", rows + 2))), "{:?}", err.details);
    assert!(overview::overview(&conn, round).unwrap().matrix.iter().all(|r| r.cells.iter().all(|c| c.state == SheetState::NotStarted)));

    let done = scorefiles::import_paper(&mut conn, round, &good).unwrap();
    assert_eq!((done.file.as_str(), done.sheets), ("纸质.csv", 1));
    assert_eq!(cell_states(&overview::overview(&conn, round).unwrap(), 0)[0], SheetState::Submitted);
}

#[test]
fn a_score_file_travels_to_the_staff_machine_and_a_changed_one_is_refused() {
    let (laptop, round, e, a) = sample();
    score_all(&laptop, round, e[1], a[2], 85, true);
    let out = scorefiles::export_score_file(&laptop, round, e[1], "2026-12-03T01:00:00Z").unwrap();
    assert_eq!(out.sheets, 1);
    assert!(out.document.file_name.ends_with(".json"), "{}", out.document.file_name);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(&out.document.file_name);
    std::fs::write(&path, &out.document.bytes).unwrap();
    let text = String::from_utf8(out.document.bytes.clone()).unwrap();
    let forged = write(dir.path(), "改过的.json", &text.replacen("\"value\":\"", "\"value\":\"1", 1));

    let (mut staff, staff_round, ..) = sample();
    let results = scorefiles::import_score_files(&mut staff, staff_round, &[forged, path]).unwrap();
    assert!(!results[0].imported && results[0].file == "改过的.json", "{:?}", results[0]);
    assert!(results[1].imported, "{:?}", results[1]);
    assert_eq!(cell_states(&overview::overview(&staff, staff_round).unwrap(), 2)[1], SheetState::Submitted);
}

#[test]
fn the_expert_list_and_the_declaration() {
    let (mut conn, round, e, a) = sample();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/experts");
    let err = experts::import(&mut conn, round, &fixtures.join("bad.csv")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Spreadsheet);
    assert_eq!(experts::list(&conn, round).unwrap().len(), 3, "a refused list changes nothing");
    let done = experts::import(&mut conn, round, &fixtures.join("good.csv")).unwrap();
    assert_eq!(done.file, "good.csv");
    assert!(done.added + done.updated > 0, "{done:?}");

    let d = experts::declaration(&conn, round, e[0]).unwrap();
    assert!(d.signed_at.is_none() && d.applications.len() == 4);
    let declared = [experts::DeclaredDto { application_id: a[3].0, reason: "本人为牵头单位兼职教授".into() }];
    experts::sign(&mut conn, e[0], &declared, "无其他需要说明的情况").unwrap();
    let d = experts::declaration(&conn, round, e[0]).unwrap();
    assert!(d.signed_at.is_some());
    let row = d.applications.iter().find(|r| r.application_id == a[3].0).unwrap();
    assert!(row.recused && row.source.as_deref() == Some("专家本人声明"), "{row:?}");
    let doc = experts::declaration_document(&conn, round, e[0]).unwrap();
    assert_eq!(doc.file_name, "回避声明与承诺书-E01-张建国.html");
    assert!(String::from_utf8(doc.bytes).unwrap().contains("本人为牵头单位兼职教授"));
    // A recused expert never gets the score form.
    assert!(scoring::open(&conn, round, e[0], a[3]).is_err());
}

#[test]
fn a_package_comes_in_with_its_origin_and_its_formal_check() {
    let (mut conn, round, ..) = sample();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample-applications");
    let first = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("application.toml").exists()).min().unwrap();
    let arrival = packages::read(&first).unwrap();
    let err = packages::add(&mut conn, round, arrival).unwrap_err();
    assert!(err.message.contains("请勿重复导入"), "{}", err.message);

    let (mut empty, ..) = sample();
    let fresh = RoundId(
        pingshen_store::rounds::create(
            &mut empty,
            &samples::sample_round()
                .map(|mut r| {
                    r.applications.clear();
                    r.is_sample = false;
                    r.uid = None;
                    r.name = "空批次".into();
                    r
                })
                .unwrap(),
            "统分人",
        )
        .unwrap(),
    );
    let done = packages::add(&mut empty, fresh, packages::read(&first).unwrap()).unwrap();
    assert_eq!((done.code.as_str(), done.origin), ("A01", packages::PackageOrigin::Canonical));
    let checks = packages::formal_checks(&empty, fresh).unwrap();
    assert_eq!(checks.len(), 1);
    let errors = checks[0].findings.iter().filter(|f| f.severity == packages::Severity::Error).count() as i32;
    assert_eq!(errors, done.errors);
    assert!(packages::read(&dir.join("no-such-package")).unwrap_err().message.starts_with("申报材料未导入（未做任何改动）"));
}

fn henan() -> rubrics::RubricRef {
    rubrics::RubricRef::Shipped { folder: "henan-2023".into() }
}

fn settings(name: &str) -> views::RoundSettingsDto {
    views::RoundSettingsDto {
        name: name.into(),
        organiser: "河南省教育厅职业教育与成人教育处".into(),
        year: Some(2024),
        deadline: Some("2023-08-12".into()),
        quota: Some(1),
        require_recommendation: true,
        require_opinion: true,
        opinion_max_chars: None,
    }
}

#[test]
fn a_new_round_starts_empty_with_its_rubric_frozen_and_its_settings_checked_by_the_formal_check() {
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let library = rubrics::list(&conn).unwrap();
    let shipped = library.iter().find(|e| e.rubric == henan()).expect("the Henan rubric ships");
    assert_eq!((shipped.total.as_str(), shipped.used_by.len()), ("100", 0));
    let round = rounds::create(&mut conn, &rounds::NewRoundInput { settings: settings("2024年河南省市域产教联合体遴选"), rubric: henan() }).unwrap();
    assert_eq!((round.applications, round.experts, round.is_sample), (0, 0, false));
    assert_eq!(round.rubric_fingerprint, shipped.fingerprint);
    assert_eq!(round.settings, settings("2024年河南省市域产教联合体遴选"));
    assert!(rubrics::list(&conn).unwrap().iter().any(|e| e.used_by == ["2024年河南省市域产教联合体遴选"]));
    let empty = rounds::create(&mut conn, &rounds::NewRoundInput { settings: settings(" "), rubric: henan() }).unwrap_err();
    assert_eq!(empty.message, "请填写评审批次名称");
    assert_eq!(rounds::list(&conn).unwrap().len(), 1, "a refused round leaves nothing");

    // Two sample packages of different 推荐单位 with a deadline of 2023-08-12: 济源 (filled 8月10日) is in
    // time, 临港 (8月15日) is late; a quota of 1 is kept.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample-applications");
    let id = RoundId(round.id);
    for p in ["jiyuan", "lingang"] {
        packages::add(&mut conn, id, packages::read(&dir.join(p)).unwrap()).unwrap();
    }
    let checks = packages::formal_checks(&conn, id).unwrap();
    let late: Vec<(&str, &str)> = checks
        .iter()
        .flat_map(|c| c.findings.iter().filter(|f| f.code == "after_deadline").map(move |f| (c.code.as_str(), f.message.as_str())))
        .collect();
    assert_eq!(late.len(), 1, "{late:?}");
    assert!(late[0].1.contains("晚于本批次的申报截止日期 2023年8月12日"), "{late:?}");
    assert!(checks.iter().all(|c| c.findings.iter().all(|f| f.code != "over_quota")));
}

#[test]
fn a_round_is_closed_read_only_reopened_with_a_reason_and_deleted_only_by_its_name() {
    let (mut conn, round, e, a) = sample();
    let s = scoring::open(&conn, round, e[0], a[0]).unwrap();
    rounds::close(&conn, round).unwrap();
    let err = scoring::set_score(&conn, SheetId(s.sheet_id), "1.1", Some("3")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Locked);
    assert!(err.message.starts_with("本评审批次已结束评审"), "{}", err.message);
    assert!(paperwork::for_round(&conn, round, "2026年12月3日").is_ok(), "paperwork still prints");
    assert!(rounds::get(&conn, round).unwrap().round.closed_at.is_some());
    assert_eq!(rounds::reopen(&conn, round, " ").unwrap_err().message, "重新开启评审须写明理由");
    rounds::reopen(&conn, round, "补录一位专家的评分").unwrap();
    scoring::set_score(&conn, SheetId(s.sheet_id), "1.1", Some("3")).unwrap();

    let name = rounds::get(&conn, round).unwrap().round.name;
    assert!(rounds::delete(&conn, round, "样例").unwrap_err().message.contains(&name));
    rounds::delete(&conn, round, &name).unwrap();
    assert!(rounds::list(&conn).unwrap().is_empty());
    // The sample comes back on demand.
    assert!(rounds::sample(&mut conn).is_ok());
}

#[test]
fn a_rubric_toml_comes_into_the_library_all_or_nothing() {
    let conn = pingshen_store::open_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let henan_text = rubrics::text(&conn, &henan()).unwrap();
    let custom = henan_text.replacen("title = \"河南省市域产教联合体建设指标\"", "title = \"某省市域产教联合体评分标准\"", 1);
    assert_ne!(custom, henan_text);
    let good = write(dir.path(), "某省.toml", &custom);
    let broken = write(dir.path(), "有误.toml", &custom.replacen("total = 100", "total = 90", 1));
    let err = rubrics::import(&conn, &broken).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Rubric);
    assert!(err.message.starts_with("有误.toml：") && !err.details.is_empty(), "{err:?}");
    assert_eq!(rubrics::list(&conn).unwrap().len(), crate::samples::SHIPPED_RUBRICS.len(), "nothing added");
    let added = rubrics::import(&conn, &good).unwrap();
    assert_eq!((added.title.as_str(), added.origin.as_str()), ("某省市域产教联合体评分标准", "导入自 某省.toml"));
    assert_eq!(rubrics::detail(&conn, &added.rubric).unwrap().title, "某省市域产教联合体评分标准");
    let again = rubrics::import(&conn, &good).unwrap_err();
    assert!(again.message.contains("评分标准库中已有"), "{}", again.message);
    let csv = write(dir.path(), "标准.csv", "一级指标,观测点\n");
    let err = rubrics::import(&conn, &csv).unwrap_err();
    assert!(err.details.iter().any(|d| d.contains("CSV 文本文件，不是 .xlsx 工作簿")), "{err:?}");
    assert!(rubrics::remove(&conn, &henan()).is_err(), "a shipped rubric stays");
    rubrics::remove(&conn, &added.rubric).unwrap();
}

#[test]
fn the_rubric_template_goes_out_and_comes_back_as_the_same_rubric() {
    let conn = pingshen_store::open_in_memory().unwrap();
    let doc = rubrics::template(&conn, &henan()).unwrap();
    assert_eq!(doc.file_name, "评分标准模板-河南省市域产教联合体建设指标.xlsx");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("本省评分标准.xlsx");
    std::fs::write(&path, &doc.bytes).unwrap();
    // Shipped rubrics are not stored in the library, so the template of one comes in as an imported rubric
    // with the same 校验码.
    let added = rubrics::import(&conn, &path).unwrap();
    let shipped = rubrics::list(&conn).unwrap().into_iter().find(|e| e.rubric == henan()).unwrap();
    assert_eq!(added.fingerprint, shipped.fingerprint);
    assert_eq!(added.origin, "导入自 本省评分标准.xlsx");

    // A .xls (or anything that is not a workbook) is refused by its bytes, with the problems in details.
    let xls = dir.path().join("旧格式.xlsx");
    std::fs::write(&xls, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not a zip").unwrap();
    let err = rubrics::import(&conn, &xls).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Rubric);
    assert!(err.message.starts_with("旧格式.xlsx 有 1 处问题，未导入"), "{}", err.message);
    assert_eq!(err.details.len(), 1);
}

#[test]
fn a_backup_restores_the_same_ranking_elsewhere_and_every_import_is_preceded_by_a_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = pingshen_store::open(&dir.path().join("pingshen.db")).unwrap();
    let round = RoundId(rounds::sample(&mut conn).unwrap().id);
    let e: Vec<ExpertId> = rounds::get(&conn, round).unwrap().experts.iter().map(|x| ExpertId(x.id)).collect();
    let a: Vec<ApplicationId> = scoring::applications(&conn, round, e[0]).unwrap().iter().map(|x| ApplicationId(x.id)).collect();
    for (i, ex) in e.iter().enumerate() {
        for (j, app) in a.iter().enumerate() {
            score_all(&conn, round, *ex, *app, 65 + (i as i64 * 7 + j as i64 * 3) % 35, true);
        }
    }
    rounds::close(&conn, round).unwrap();
    let path = dir.path().join(backups::suggested_name(&conn, round).unwrap());
    let saved = backups::write(&conn, round, &path, &mut |_| std::ops::ControlFlow::Continue(())).unwrap();
    assert_eq!((saved.counts.applications, saved.counts.submitted), (4, 12));
    let info = backups::inspect(&path).unwrap();
    assert!(info.closed && info.short_hash == saved.short_hash);

    let ranking = |c: &Connection, r: RoundId| -> Vec<(String, Option<String>, Option<u32>)> {
        overview::overview(c, r).unwrap().ranking.into_iter().map(|x| (x.code, x.final_score, x.rank)).collect()
    };
    let mut elsewhere = pingshen_store::open_in_memory().unwrap();
    let restored = backups::restore(&mut elsewhere, &path, &mut |_| std::ops::ControlFlow::Continue(())).unwrap();
    let there = RoundId(restored.round_id);
    assert_eq!(ranking(&elsewhere, there), ranking(&conn, round));
    let date = "2026年12月3日";
    assert_eq!(paperwork::for_round(&elsewhere, there, date).unwrap()[0], paperwork::for_round(&conn, round, date).unwrap()[0]);
    assert!(rounds::get(&elsewhere, there).unwrap().round.closed_at.is_some(), "still closed");
    // The same round twice is refused, and nothing changes.
    let again = backups::restore(&mut elsewhere, &path, &mut |_| std::ops::ControlFlow::Continue(())).unwrap_err();
    assert_eq!(again.kind, ErrorKind::Backup);
    assert_eq!(rounds::list(&elsewhere).unwrap().len(), 1);

    // On a database file, an import takes a snapshot first; the 恢复 screen lists it.
    assert!(backups::snapshots(&conn).unwrap().is_empty());
    rounds::reopen(&conn, round, "补录").unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/experts");
    experts::import(&mut conn, round, &fixtures.join("good.csv")).unwrap();
    let snaps = backups::snapshots(&conn).unwrap();
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0].label, "导入专家名单");
    assert!(backups::snapshots(&pingshen_store::open_in_memory().unwrap()).unwrap().is_empty());
}

/// The sample round's experts and applications under rubric-small with two 否定性指标 (V1 取消资格, V2 计零分):
/// (store, round, experts E01…E03, applications A01…A04).
fn veto_round() -> (Connection, RoundId, Vec<ExpertId>, Vec<ApplicationId>) {
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let mut new = samples::sample_round().unwrap();
    new.rubric_text = include_str!("../../../tests/consolidation/rubric-vetoes/rubric.toml").into();
    (new.is_sample, new.uid, new.name) = (false, None, "否定性指标批次".into());
    let round = RoundId(pingshen_store::rounds::create(&mut conn, &new, "统分人").unwrap());
    let experts: Vec<ExpertId> = rounds::get(&conn, round).unwrap().experts.iter().map(|e| ExpertId(e.id)).collect();
    let apps: Vec<ApplicationId> = scoring::applications(&conn, round, experts[0]).unwrap().iter().map(|a| ApplicationId(a.id)).collect();
    assert_eq!((experts.len(), apps.len()), (3, 4));
    (conn, round, experts, apps)
}

#[test]
fn an_expert_proposes_a_veto_with_its_reason_and_the_panel_decides_it() {
    use crate::overview::{RankStatus, VetoOutcome, VetoVote};
    use crate::views::{MissingKind, VetoEffectDto};
    let (mut conn, round, e, a) = veto_round();

    // The rubric view and the scoring view carry the vetoes.
    let s = scoring::open(&conn, round, e[0], a[0]).unwrap();
    let vetoes: Vec<(&str, &str, VetoEffectDto)> = s.rubric.vetoes.iter().map(|v| (v.code.as_str(), v.text.as_str(), v.effect)).collect();
    assert_eq!(vetoes, [("V1", "申报材料弄虚作假", VetoEffectDto::Disqualify), ("V2", "近三年发生重大安全事故", VetoEffectDto::Zero)]);
    assert!(s.vetoes.is_empty());
    let sheet = score_all(&conn, round, e[0], a[0], 80, false);

    // Ticked without a reason: on the checklist, and the submit is refused with the veto named.
    let saved = scoring::set_veto(&conn, sheet, "V1", true, "").unwrap();
    assert_eq!((saved.vetoes.len(), saved.checklist.len()), (1, 1));
    assert_eq!(
        (saved.checklist[0].kind, saved.checklist[0].veto.as_deref(), saved.checklist[0].item.as_deref()),
        (MissingKind::VetoReason, Some("V1"), None)
    );
    let err = scoring::submit(&conn, sheet).unwrap_err();
    assert_eq!((err.kind, err.details.clone()), (ErrorKind::NotReady, vec!["已勾选否定性指标 V1「申报材料弄虚作假」，须写明理由".to_string()]));
    assert_eq!(scoring::set_veto(&conn, sheet, "V7", true, "x").unwrap_err().kind, ErrorKind::InvalidScore);
    let saved = scoring::set_veto(&conn, sheet, "V1", true, "合作协议所盖公章与企业名称不符").unwrap();
    assert!(saved.checklist.is_empty());
    assert_eq!(scoring::open(&conn, round, e[0], a[0]).unwrap().vetoes[0].reason, "合作协议所盖公章与企业名称不符");
    scoring::submit(&conn, sheet).unwrap();
    assert_eq!(scoring::set_veto(&conn, sheet, "V1", false, "").unwrap_err().kind, ErrorKind::Locked, "read-only once submitted");
    for (i, ex) in e.iter().enumerate() {
        for (j, app) in a.iter().enumerate() {
            if (i, j) != (0, 0) {
                score_all(&conn, round, *ex, *app, 70 + (j as i64) * 10 - (i as i64) * 5, true);
            }
        }
    }

    // The proposal alone changes nothing; the 统分 view shows who proposed it and why.
    let o = overview::overview(&conn, round).unwrap();
    assert_eq!(o.veto_items.len(), 2);
    assert_eq!(o.vetoes.len(), 1);
    let row = &o.vetoes[0];
    assert_eq!((row.application_id, row.items.len(), row.items[0].outcome), (a[0].0, 1, VetoOutcome::Pending));
    let p = &row.items[0].proposals[0];
    assert_eq!((p.expert.as_str(), p.expert_name.as_str(), p.reason.as_str()), ("E01", "张建国", "合作协议所盖公章与企业名称不符"));
    assert!(o.ranking.iter().all(|r| r.status == RankStatus::Complete && r.rank.is_some() && r.veto.is_none()));

    // The panel decides: a tie does not uphold; 3 : 0 does. A01 is 取消资格, after the ranked ones, scores kept.
    let vote = |code, upheld, votes_for, votes_against, reason| VetoVote { code, upheld, votes_for, votes_against, reason };
    let tie = overview::resolve_veto(&conn, round, a[0], &vote("V1", true, 2, 2, "意见分歧")).unwrap_err();
    assert_eq!(tie.kind, ErrorKind::InvalidInput);
    assert_eq!(overview::resolve_veto(&conn, round, a[0], &vote("V1", true, 3, 0, " ")).unwrap_err().message, "否定性指标决议须写明理由");
    overview::resolve_veto(&conn, round, a[0], &vote("V1", true, 3, 0, "经核实合作协议系伪造")).unwrap();
    // V2 on A02, decided by the panel after a site visit without an expert's proposal: final score 0, still ranked.
    overview::resolve_veto(&conn, round, a[1], &vote("V2", true, 2, 1, "实地考察核实发生重大安全事故")).unwrap();
    let o = overview::overview(&conn, round).unwrap();
    let last = o.ranking.last().unwrap();
    assert_eq!((last.application_id, last.status, last.rank, last.complete), (a[0].0, RankStatus::Disqualified, None, true));
    assert!(o.matrix.iter().all(|r| r.complete), "every sheet is in: a disqualified application is not 待补");
    let v = last.veto.as_ref().unwrap();
    assert_eq!((v.code.as_str(), v.effect, v.reason.as_str(), v.votes_for), ("V1", VetoEffectDto::Disqualify, "经核实合作协议系伪造", 3));
    assert!(last.final_score.is_some(), "kept for the record");
    let a02 = o.ranking.iter().find(|r| r.application_id == a[1].0).unwrap();
    assert_eq!((a02.final_score.as_deref(), a02.rank, a02.status), (Some("0.00"), Some(3), RankStatus::Complete));
    assert_eq!(a02.veto.as_ref().unwrap().effect, VetoEffectDto::Zero);
    let ranks: Vec<Option<u32>> = o.ranking.iter().map(|r| r.rank).collect();
    assert_eq!(ranks, [Some(1), Some(2), Some(3), None]);
    assert_eq!(
        o.vetoes.iter().map(|r| (r.application_id, r.items[0].outcome)).collect::<Vec<_>>(),
        [(a[1].0, VetoOutcome::Upheld), (a[0].0, VetoOutcome::Upheld)]
    );
    assert!(o.vetoes[0].items[0].proposals.is_empty() && o.vetoes[0].items[0].decisions.len() == 1);
    assert!(o.method.contains("否定性指标："), "{}", o.method);

    // Reconsidered: the newest decision counts, both are listed.
    overview::resolve_veto(&conn, round, a[0], &vote("V1", false, 1, 2, "复议：协议经核实为真")).unwrap();
    let o = overview::overview(&conn, round).unwrap();
    let a01 = o.ranking.iter().find(|r| r.application_id == a[0].0).unwrap();
    assert!(a01.rank.is_some() && a01.veto.is_none());
    let item = &o.vetoes.iter().find(|r| r.application_id == a[0].0).unwrap().items[0];
    assert_eq!((item.outcome, item.decisions.len(), item.decisions[1].upheld), (VetoOutcome::NotUpheld, 2, false));

    // An application of another round is refused.
    let other_round = RoundId(rounds::sample(&mut conn).unwrap().id);
    assert_ne!(other_round, round);
    assert_eq!(overview::resolve_veto(&conn, other_round, a[0], &vote("V1", true, 3, 0, "x")).unwrap_err().kind, ErrorKind::NotFound);

    // The paperwork carries the zeroed application with its reason.
    let docs = paperwork::for_round(&conn, round, "2026年12月3日").unwrap();
    let summary = String::from_utf8(docs[0].bytes.clone()).unwrap();
    assert!(summary.contains(
        "最终得分计为 0 分：否定性指标 V2「近三年发生重大安全事故」经评审组认定成立（同意 2 票、反对 1 票），理由：实地考察核实发生重大安全事故"
    ));
    let review = String::from_utf8(docs[9].bytes.clone()).unwrap();
    assert!(review.contains(
        "1. 维持（认定成立）：同意 3 票、反对 0 票。理由：经核实合作协议系伪造<br>2. 不予认定：同意 1 票、反对 2 票。理由：复议：协议经核实为真"
    ));
    assert!(review.contains("张建国：合作协议所盖公章与企业名称不符"));
}

#[test]
fn a_rubric_without_vetoes_has_none_on_the_wire() {
    let (conn, round, e, a) = sample();
    assert!(scoring::open(&conn, round, e[0], a[0]).unwrap().rubric.vetoes.is_empty());
    let o = overview::overview(&conn, round).unwrap();
    assert!(o.veto_items.is_empty() && o.vetoes.is_empty());
    assert!(!o.method.contains("否定性"));
}

// ---- 推荐名单 ----

/// The sample round with every sheet in: A03 90 %, A01 and A02 80 % (the same final score), A04 70 %.
fn tied_round() -> (Connection, RoundId, Vec<ExpertId>, Vec<ApplicationId>, Vec<String>) {
    let (conn, round, e, a) = sample();
    for ex in &e {
        for (j, app) in a.iter().enumerate() {
            score_all(&conn, round, *ex, *app, [80, 80, 90, 70][j], true);
        }
    }
    let codes = scoring::applications(&conn, round, e[0]).unwrap().into_iter().map(|x| x.code).collect();
    (conn, round, e, a, codes)
}

#[test]
fn the_list_is_proposed_the_tie_decided_by_the_panel_then_confirmed_frozen_and_reopened_with_a_reason() {
    use crate::recommendation::{self as rec, LineDto, PublicityDto, TieDecisionArgs};
    let (conn, round, e, a, codes) = tied_round();
    let o = rec::overview(&conn, round).unwrap();
    assert_eq!(o.blockers, ["请先设定推荐名额或最低分数线"]);
    assert!(o.confirmed.is_none());

    // Bad input changes nothing.
    let bad = rec::set_line(&conn, round, &LineDto { places: Some(2), min_score: Some("80.55".into()) }).unwrap_err();
    assert_eq!(bad.kind, ErrorKind::InvalidInput);
    assert!(bad.message.starts_with("最低分数线："), "{}", bad.message);
    assert_eq!(rec::overview(&conn, round).unwrap().line, LineDto::default());

    // Two places: A03, then A01 and A02 tied across the line.
    let o = rec::set_line(&conn, round, &LineDto { places: Some(2), min_score: None }).unwrap();
    let tie = o.tie.clone().expect("a tie at the line");
    assert!(!o.confirmable && o.blockers.is_empty(), "the undecided tie blocks, shown by `tie` alone: {:?}", o.blockers);
    let mut tied = tie.applications.clone();
    tied.sort();
    assert_eq!(tied, [codes[0].clone(), codes[1].clone()]);
    assert_eq!(tie.places_left, 1);
    assert_eq!(tie.tiebreak_choice, None, "the same subtotals and deductions: the tie-break cannot separate them");
    assert!(tie.message.contains("跨越名额线") && tie.message.contains("第2、3、4项一级指标"), "{}", tie.message);
    assert_eq!(o.entries[0].code, codes[2]);
    assert!(o.entries[0].recommended && o.entries.iter().filter(|x| x.recommended).count() == 1);
    assert!(o.entries.iter().filter(|x| x.tied).all(|x| x.reason == "同分待专家组决定"));
    let refused = rec::confirm(&conn, round).unwrap_err();
    assert!(refused.message.starts_with("推荐名单还不能确认：") && refused.message.contains("须先由专家组决定"), "{}", refused.message);
    assert!(!refused.details.is_empty());

    // The panel decides: the tie-break order cannot, a choice with a reason can.
    let args = |chosen: Vec<String>, by_tiebreak: bool, reason: &str| TieDecisionArgs {
        chosen,
        by_tiebreak,
        votes_for: 3,
        votes_against: 0,
        reason: reason.into(),
    };
    let e1 = rec::decide_tie(&conn, round, &args(vec![], true, "按规则")).unwrap_err();
    assert!(e1.message.contains("不能按同分排序规则确定"), "{}", e1.message);
    let e2 = rec::decide_tie(&conn, round, &args(vec![codes[1].clone()], false, " ")).unwrap_err();
    assert_eq!(e2.message, "请填写专家组决定的理由或表决情况");
    let o = rec::decide_tie(&conn, round, &args(vec![codes[1].clone()], false, "产教融合实效更突出")).unwrap();
    assert!(o.decision.as_ref().unwrap().applies);
    assert!(o.blockers.is_empty(), "{:?}", o.blockers);
    assert!(o.confirmable);
    let chosen: Vec<&str> = o.entries.iter().filter(|x| x.recommended).map(|x| x.code.as_str()).collect();
    assert_eq!(chosen, [codes[2].as_str(), codes[1].as_str()]);
    assert_eq!(o.cutoff_after, Some(1));

    // 公示 settings, then confirm: frozen.
    let publicity = PublicityDto {
        order: "recommender".into(),
        start: "2026-12-04".into(),
        end: "2026-12-10".into(),
        contact: "李老师".into(),
        phone: "0371-12345678".into(),
        publisher: "河南省教育厅".into(),
    };
    let backwards = PublicityDto { end: "2026-12-01".into(), ..publicity.clone() };
    assert_eq!(rec::set_publicity(&conn, round, &backwards).unwrap_err().message, "公示期的结束日期不能早于开始日期");
    rec::set_publicity(&conn, round, &publicity).unwrap();
    let o = rec::confirm(&conn, round).unwrap();
    assert_eq!(o.confirmed.as_ref().unwrap().seq, 1);
    assert!(o.changes.is_empty());
    let refused = rec::set_line(&conn, round, &LineDto { places: Some(3), min_score: None }).unwrap_err();
    assert_eq!(refused.message, "推荐名单已确认，不能修改推荐名额或最低分数线；如需修改，请先重新打开名单（须写明理由）");
    assert!(rec::decide_tie(&conn, round, &args(vec![codes[0].clone()], false, "改选")).unwrap_err().message.starts_with("推荐名单已确认"));
    assert!(rec::confirm(&conn, round).unwrap_err().message.starts_with("推荐名单已确认"));

    // The documents print the frozen list, not a draft; the 公示名单 has the notice and no score.
    let docs = paperwork::for_round(&conn, round, "2026年12月3日").unwrap();
    let text = |i: usize| String::from_utf8(docs[i].bytes.clone()).unwrap();
    assert!(!text(0).contains("草稿") && text(0).contains("专家组决定") && text(0).contains("产教融合实效更突出"));
    let publicity_html = text(6);
    let preview = rec::preview(&conn, round, rec::ListDocument::Publicity, "2026年12月3日").unwrap();
    assert_eq!((preview.title.as_str(), preview.file_name.as_str(), preview.html.as_str()), ("公示名单", "公示名单.html", publicity_html.as_str()));
    assert!(publicity_html.contains("公示期为2026年12月4日至2026年12月10日"), "{publicity_html}");
    assert!(publicity_html.contains("联系人：李老师，电话：0371-12345678。"));
    let shortlist = text(3);
    let o = rec::overview(&conn, round).unwrap();
    for x in &o.entries {
        assert_eq!(shortlist.contains(&format!(">{}<", x.code)), x.recommended, "{} in the 拟推荐名单", x.code);
    }

    // A score changes after confirmation: the screen and the paper say so; the frozen list stays.
    let s = scoring::open(&conn, round, e[0], a[0]).unwrap();
    overview::reopen_sheet(&conn, SheetId(s.sheet_id), "1.1 录入有误").unwrap();
    score_all(&conn, round, e[0], a[0], 85, true);
    let o = rec::overview(&conn, round).unwrap();
    assert!(o.changes.iter().any(|c| c.starts_with(&format!("{} 的最终得分由", codes[0]))), "{:?}", o.changes);
    assert_eq!(o.entries.iter().filter(|x| x.recommended).map(|x| x.code.as_str()).collect::<Vec<_>>(), chosen);
    assert!(String::from_utf8(paperwork::for_round(&conn, round, "2026年12月3日").unwrap()[0].bytes.clone())
        .unwrap()
        .contains("确认后评分结果有变化"));

    // Reopened with a reason: the decision no longer applies (A01 is above A02 now), and it says so.
    assert_eq!(rec::reopen(&conn, round, "").unwrap_err().message, "重新打开推荐名单须写明理由");
    let o = rec::reopen(&conn, round, "评分更正后重新确定").unwrap();
    assert!(o.confirmed.is_none() && o.tie.is_none());
    let d = o.decision.unwrap();
    assert!(!d.applies && d.text.starts_with("专家组此前的决定已不适用"), "{}", d.text);
    assert_eq!(o.entries.iter().filter(|x| x.recommended).map(|x| x.code.as_str()).collect::<Vec<_>>(), [codes[2].as_str(), codes[0].as_str()]);

    let log = pingshen_store::audit::for_round(&conn, round.0).unwrap();
    for (token, words) in [
        ("recommendation_line", "推荐名额 2 名"),
        ("recommendation_tie", "产教融合实效更突出"),
        ("recommendation_publicity", "李老师"),
        ("confirm_recommendation", "推荐 2 项"),
        ("reopen_recommendation", "评分更正后重新确定"),
    ] {
        assert!(log.iter().any(|x| x.action == token && x.detail.contains(words)), "{token} with {words} not logged");
    }
}

#[test]
fn below_the_minimum_score_is_never_proposed_and_a_closed_round_refuses_the_list() {
    use crate::recommendation::{self as rec, LineDto};
    let (conn, round, _, _, codes) = tied_round();
    let o = rec::set_line(&conn, round, &LineDto { places: None, min_score: Some("1000".into()) }).unwrap();
    assert!(o.entries.iter().all(|x| !x.recommended && x.reason == "低于最低分数线"));
    assert_eq!(o.blockers, ["没有符合条件的申报，名单为空"]);
    let o = rec::set_line(&conn, round, &LineDto { places: Some(3), min_score: None }).unwrap();
    assert!(o.tie.is_none(), "the tie is inside the places");
    assert_eq!(o.entries.iter().find(|x| x.code == codes[3]).unwrap().reason, "名额外");
    rounds::close(&conn, round).unwrap();
    let e = rec::confirm(&conn, round).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Locked, "{}", e.message);
}

/// Sets the sample round's opinion rules as the 批次管理 tab does.
fn require_opinions(conn: &Connection, round: RoundId, max: Option<u32>) {
    let mut settings = rounds::get(conn, round).unwrap().round.settings;
    settings.require_recommendation = true;
    settings.require_opinion = true;
    settings.opinion_max_chars = max;
    rounds::update(conn, round, &settings, "").unwrap();
}

#[test]
fn the_expert_gives_a_recommendation_and_an_opinion_that_the_round_requires_and_the_tally_counts_them() {
    let (conn, round, e, a) = sample();
    let s = scoring::open(&conn, round, e[0], a[0]).unwrap();
    assert!(!s.opinion_rules.require_recommendation, "the sample round requires nothing");
    require_opinions(&conn, round, Some(20));
    let s = scoring::open(&conn, round, e[0], a[0]).unwrap();
    assert!(s.opinion_rules.require_recommendation && s.opinion_rules.require_opinion);
    assert_eq!(s.opinion_rules.opinion_max_chars, Some(20));
    assert_eq!((s.recommendation, s.opinion.as_str()), (None, ""));
    let sheet = score_all(&conn, round, e[0], a[0], 90, false);
    let err = scoring::submit(&conn, sheet).unwrap_err();
    assert_eq!(err.details, ["本批次要求填写推荐意见，请选择“推荐”或“不推荐”", "本批次要求填写综合意见，请填写"]);
    let saved = scoring::set_opinion(&conn, sheet, Some(views::RecommendationDto::Recommend), "").unwrap();
    assert_eq!(saved.checklist.iter().map(|m| m.kind).collect::<Vec<_>>(), [views::MissingKind::Opinion]);
    let saved = scoring::set_opinion(&conn, sheet, Some(views::RecommendationDto::Recommend), "产教融合实体化运行，建议推荐").unwrap();
    assert_eq!((saved.opinion_chars, saved.checklist.len()), (14, 0));
    scoring::submit(&conn, sheet).unwrap();
    let err = scoring::set_opinion(&conn, sheet, None, "").unwrap_err();
    assert!(err.message.contains("已提交"), "{}", err.message);

    // E02 says 不推荐, E03 submits without a 推荐意见 after the rules are relaxed.
    let s2 = score_all(&conn, round, e[1], a[0], 60, false);
    scoring::set_opinion(&conn, s2, Some(views::RecommendationDto::NotRecommend), "佐证材料不足").unwrap();
    scoring::submit(&conn, s2).unwrap();
    let mut settings = rounds::get(&conn, round).unwrap().round.settings;
    settings.require_recommendation = false;
    settings.require_opinion = false;
    rounds::update(&conn, round, &settings, "").unwrap();
    score_all(&conn, round, e[2], a[0], 80, true);
    let tally = overview::recommendation_tally(&conn, round).unwrap();
    assert_eq!(tally.len(), 4);
    assert_eq!((tally[0].recommend, tally[0].not_recommend, tally[0].not_given), (1, 1, 1));
    assert_eq!(tally[0].text, "推荐 1 / 不推荐 1 / 未填 1");
    assert_eq!(tally[1].text, "推荐 0 / 不推荐 0");
    let o = overview::overview(&conn, round).unwrap();
    let ranked = o.ranking.iter().find(|r| r.application_id == a[0].0).unwrap();
    assert_eq!(ranked.recommendations, tally[0]);

    // The 专家评分表 prints both.
    let html = String::from_utf8(paperwork::expert_sheets(&conn, round, e[0], "2026-12-03T01:00:00Z").unwrap().bytes).unwrap();
    assert!(html.contains("推荐意见") && html.contains("产教融合实体化运行，建议推荐"), "the sheet prints the opinion");
}

#[test]
fn opinions_travel_in_a_version_2_score_file_and_from_the_paper_spreadsheet() {
    let (laptop, round, e, a) = sample();
    let sheet = score_all(&laptop, round, e[1], a[2], 85, false);
    scoring::set_opinion(&laptop, sheet, Some(views::RecommendationDto::NotRecommend), "实体化运行不足").unwrap();
    scoring::submit(&laptop, sheet).unwrap();
    let out = scorefiles::export_score_file(&laptop, round, e[1], "2026-12-03T01:00:00Z").unwrap();
    let text = String::from_utf8(out.document.bytes.clone()).unwrap();
    assert!(text.contains("\"format_version\":2") && text.contains("\"recommendation\":\"not_recommend\",\"opinion\":\"实体化运行不足\""));
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &out.document.file_name, &text);
    // A file of the first version (exported before opinions existed) still imports beside it.
    let old = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/scores/score-files/v1-before-declarations-E02.json");
    let (mut staff, staff_round, ..) = sample();
    let results = scorefiles::import_score_files(&mut staff, staff_round, &[path]).unwrap();
    assert!(results[0].imported, "{:?}", results[0]);
    let tally = overview::recommendation_tally(&staff, staff_round).unwrap();
    assert_eq!((tally[2].not_recommend, tally[2].recommend), (1, 0));
    let s = scoring::open(&staff, staff_round, e[1], a[2]).unwrap();
    assert_eq!((s.recommendation, s.opinion.as_str()), (Some(views::RecommendationDto::NotRecommend), "实体化运行不足"));
    assert!(pingshen_core::scorefile::parse(&std::fs::read_to_string(old).unwrap()).is_ok(), "a version-1 file still reads");

    // Paper: the optional columns, given on one row of the sheet.
    let rubric = rounds::get(&staff, staff_round).unwrap().rubric;
    let mut csv = String::from("专家编号,专家姓名,申报编号,观测点,得分,说明,推荐意见,综合意见\n");
    for (k, i) in rubric.groups.iter().flat_map(|g| &g.items).enumerate() {
        let (r, o) = if k == 0 { ("推荐", "示范引领作用明显") } else { ("", "") };
        csv.push_str(&format!("E01,张建国,A01,{},{},,{r},{o}\n", i.code, i.points));
    }
    let done = scorefiles::import_paper(&mut staff, staff_round, &write(dir.path(), "纸质.csv", &csv)).unwrap();
    assert_eq!(done.sheets, 1);
    let s = scoring::open(&staff, staff_round, e[0], a[0]).unwrap();
    assert_eq!((s.recommendation, s.opinion.as_str()), (Some(views::RecommendationDto::Recommend), "示范引领作用明显"));
    assert_eq!(overview::recommendation_tally(&staff, staff_round).unwrap()[0].text, "推荐 1 / 不推荐 0");
}

#[test]
fn a_new_round_keeps_the_opinion_rules_of_its_dialog() {
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let input =
        rounds::NewRoundInput { settings: views::RoundSettingsDto { opinion_max_chars: Some(500), ..settings("2026年遴选") }, rubric: henan() };
    let r = rounds::create(&mut conn, &input).unwrap();
    let s = rounds::get(&conn, RoundId(r.id)).unwrap().round.settings;
    assert!(s.require_recommendation && s.require_opinion && s.opinion_max_chars == Some(500));
}

#[test]
fn a_reconsideration_on_paper_changes_the_named_points_only_and_the_report_prints_both_values() {
    let (conn, round, e, a) = sample();
    for ex in &e {
        score_all(&conn, round, *ex, a[0], 90, true);
    }
    score_all(&conn, round, e[0], a[1], 80, true);
    let before = overview::overview(&conn, round).unwrap().ranking.iter().find(|r| r.application_id == a[0].0).unwrap().panel_score.clone();
    let args = reconsiderations::OpenReconsiderationArgs {
        opened_by: e[0].0,
        targets: vec![reconsiderations::ReconsiderationTargetArgs { application_id: a[0].0, items: vec!["2.1".into()] }],
        reason: "A01 的 2.1 各专家分差过大".into(),
    };
    let refused = reconsiderations::open(&conn, round, &args).unwrap_err();
    assert!(refused.message.contains("请先在“专家名单”中设定组长"), "{}", refused.message);
    crate::panel::set_leader(&conn, round, Some(e[1])).unwrap();
    let refused = reconsiderations::open(&conn, round, &args).unwrap_err();
    assert!(refused.message.starts_with("复议由组长"), "{}", refused.message);
    crate::panel::set_leader(&conn, round, Some(e[0])).unwrap();
    let rec = reconsiderations::open(&conn, round, &args).unwrap();
    assert_eq!(rec.scopes.len(), 1);
    assert_eq!(rec.scopes[0].experts.len(), 3, "every expert with a submitted sheet takes part");
    assert_eq!(rec.scopes[0].experts[1].scores.iter().map(|s| s.item.as_str()).collect::<Vec<_>>(), ["2.1"]);
    let sheet = SheetId(rec.scopes[0].experts[1].sheet_id);
    let first = rec.scopes[0].experts[1].scores[0].value.clone();
    let change = |item: &str, value: &str, reason: &str| reconsiderations::ReconsiderScoreArgs {
        item: item.into(),
        value: value.into(),
        reason: reason.into(),
    };
    // A point not named is refused with a Chinese message, and nothing changes.
    let err = reconsiderations::change_on_paper(&conn, round, rec.id, sheet, &[change("3.1", "1", "误判")]).unwrap_err();
    assert!(err.message.contains("观测点 3.1 不在申报 A01 的复议范围内"), "{}", err.message);
    // The named point: kept beside the first value; the panel score follows.
    let rec = reconsiderations::change_on_paper(&conn, round, rec.id, sheet, &[change("2.1", "1", "协议期限不足三年")]).unwrap();
    assert_eq!(rec.changes.len(), 1);
    assert_eq!((rec.changes[0].before.as_str(), rec.changes[0].after.as_str(), rec.changes[0].source.as_str()), (first.as_str(), "1", "纸质"));
    let after = overview::overview(&conn, round).unwrap().ranking.iter().find(|r| r.application_id == a[0].0).unwrap().panel_score.clone();
    assert_ne!(before, after, "consolidation uses the reconsidered value");
    // The 评审报告 prints the 复议 with both values.
    let docs = paperwork::for_round(&conn, round, "2026年12月3日").unwrap();
    let review = String::from_utf8(docs.iter().find(|d| d.file_name == "评审报告.html").unwrap().bytes.clone()).unwrap();
    assert!(
        review.contains("、复议</h2>") && review.contains("A01 的 2.1 各专家分差过大") && review.contains("协议期限不足三年"),
        "the 复议 section"
    );
    assert!(review.contains(&format!("<td class=\"num\">{}</td><td class=\"num\"><b>1.00</b></td>", pingshen_report_tenths(&first))));
    // Closed: refused.
    let all = reconsiderations::close(&conn, round, rec.id).unwrap();
    assert!(all[0].closed_at.is_some());
    let err = reconsiderations::change_on_paper(&conn, round, rec.id, sheet, &[change("2.1", "2", "再改")]).unwrap_err();
    assert_eq!(err.message, "本次复议已结束，不能再修改评分");
    let log = paperwork::audit_log(&conn, round, "2026年12月3日").unwrap();
    let log = String::from_utf8(log.bytes).unwrap();
    assert!(log.contains("发起复议") && log.contains("复议改分") && log.contains("结束复议"));
}

/// A score as the paperwork prints it: two decimals.
fn pingshen_report_tenths(text: &str) -> String {
    let t = pingshen_core::Tenths::parse(text).unwrap();
    format!("{}.{}0", t.0 / 10, t.0 % 10)
}

#[test]
fn the_scoring_screen_shows_the_open_reconsideration_and_changes_only_the_named_points() {
    let (conn, round, e, a) = sample();
    let sheet = score_all(&conn, round, e[1], a[0], 90, true);
    assert!(scoring::open(&conn, round, e[1], a[0]).unwrap().reconsideration.is_none());
    let args = reconsiderations::OpenReconsiderationArgs {
        opened_by: e[0].0,
        targets: vec![reconsiderations::ReconsiderationTargetArgs { application_id: a[0].0, items: vec!["2.1".into()] }],
        reason: "分差过大".into(),
    };
    crate::panel::set_leader(&conn, round, Some(e[0])).unwrap();
    let rec = reconsiderations::open(&conn, round, &args).unwrap();
    let s = scoring::open(&conn, round, e[1], a[0]).unwrap();
    let r = s.reconsideration.expect("the 复议 names A01 and the sheet is submitted");
    assert_eq!((r.items.as_slice(), r.reason.as_str()), (&["2.1".to_string()][..], "分差过大"));
    assert!(scoring::open(&conn, round, e[1], a[1]).unwrap().reconsideration.is_none(), "A02 is not named");
    let change = |item: &str| vec![reconsiderations::ReconsiderScoreArgs { item: item.into(), value: "1".into(), reason: "复核".into() }];
    let err = scoring::reconsider(&conn, sheet, rec.id, &change("3.1")).unwrap_err();
    assert!(err.message.contains("观测点 3.1 不在申报 A01 的复议范围内"), "{}", err.message);
    scoring::reconsider(&conn, sheet, rec.id, &change("2.1")).unwrap();
    let s = scoring::open(&conn, round, e[1], a[0]).unwrap();
    assert!(s.submitted, "still submitted");
    assert_eq!(s.reconsideration.unwrap().changes[0].after, "1");
    assert_eq!(s.scores.iter().find(|x| x.item == "2.1").unwrap().value.as_deref(), Some("1"));
}

#[test]
fn the_leader_is_set_on_the_expert_list_and_writes_the_panel_opinion_printed_as_the_opinion_sheet() {
    use crate::panel::{ConclusionDto, OpinionInput};
    use crate::views::ExpertRoleDto;
    let (mut conn, round, e, a) = sample();
    for (i, ex) in e.iter().enumerate() {
        for (j, app) in a.iter().enumerate() {
            score_all(&conn, round, *ex, *app, 70 + (i as i64 * 3 + j as i64 * 5) % 30, true);
        }
    }
    let input = |strengths: &str, conclusion| OpinionInput {
        strengths: strengths.into(),
        problems: "实体化运行机制尚不健全".into(),
        suggestions: "完善理事会章程，明确各方权责".into(),
        conclusion,
        conclusion_note: "".into(),
    };

    // No 组长 yet: the tab says so and saving is refused with the way out.
    let o = panel::opinions(&conn, round).unwrap();
    assert!(
        o.leader.is_none()
            && o.rows.len() == 4
            && o.rows.iter().all(|r| r.opinion.is_none() && r.recommendations.recommend + r.recommendations.not_recommend == 0)
    );
    let err = panel::save_opinion(&conn, round, a[0], &input("产业基础好", ConclusionDto::Recommend)).unwrap_err();
    assert_eq!((err.kind, err.message.contains("请先在“专家名单”中设定组长")), (ErrorKind::InvalidInput, true), "{}", err.message);

    // Set on the expert list; changing it is logged; at most one.
    panel::set_leader(&conn, round, Some(e[0])).unwrap();
    panel::set_leader(&conn, round, Some(e[1])).unwrap();
    let roles: Vec<ExpertRoleDto> = experts::list(&conn, round).unwrap().iter().map(|x| x.role).collect();
    assert_eq!(roles, [ExpertRoleDto::Member, ExpertRoleDto::Leader, ExpertRoleDto::Member]);
    let log = paperwork::audit_log(&conn, round, "2026年12月3日").unwrap();
    assert!(String::from_utf8(log.bytes).unwrap().contains("组长由 E01 张建国"));

    // A missing part is refused with every problem; then two versions, the newest counts.
    let bad = panel::save_opinion(
        &conn,
        round,
        a[0],
        &OpinionInput { problems: " ".into(), suggestions: "".into(), ..input("x", ConclusionDto::Recommend) },
    )
    .unwrap_err();
    assert_eq!(bad.details, ["请填写“存在问题”", "请填写“改进建议”"]);
    panel::save_opinion(&conn, round, a[0], &input("产业基础好", ConclusionDto::NotRecommend)).unwrap();
    panel::save_opinion(&conn, round, a[0], &input("园区产业基础雄厚，校企合作紧密", ConclusionDto::Recommend)).unwrap();
    let o = panel::opinions(&conn, round).unwrap();
    assert_eq!(o.leader.as_ref().map(|l| l.code.as_str()), Some("E02"));
    let row = o.rows.iter().find(|r| r.application_id == a[0].0).unwrap();
    let op = row.opinion.as_ref().unwrap();
    assert_eq!(
        (op.version, op.conclusion, op.author.as_str(), op.strengths.as_str()),
        (2, ConclusionDto::Recommend, "E02", "园区产业基础雄厚，校企合作紧密")
    );
    // The scores summary is the consolidation's.
    let ranked = overview::overview(&conn, round).unwrap().ranking.into_iter().find(|r| r.application_id == a[0].0).unwrap();
    assert_eq!((row.final_score.clone(), row.rank, row.scores.len()), (ranked.final_score, ranked.rank, 3));
    assert!(!row.recommender.is_empty(), "the 推荐单位 of the 推荐书");

    // Printed: the preview, and the paperwork set.
    let html = panel::opinions_preview(&conn, round, "2026年12月3日").unwrap();
    assert_eq!(html.matches("<h1>评审意见表</h1>").count(), 4);
    assert!(html.contains("园区产业基础雄厚，校企合作紧密") && html.contains("（李文华）") && html.contains("2026年12月3日"));
    let docs = paperwork::for_round(&conn, round, "2026年12月3日").unwrap();
    assert_eq!(docs.iter().map(|d| d.file_name.as_str()).collect::<Vec<_>>(), paperwork::PAPERWORK_FILES);
    assert_eq!(String::from_utf8(docs[10].bytes.clone()).unwrap(), html);
    let exported = panel::opinion_documents(&conn, round, "2026年12月3日").unwrap();
    assert_eq!(exported.iter().map(|d| d.file_name.as_str()).collect::<Vec<_>>(), ["评审意见表.html", "评审意见表.xlsx", "评审意见表.docx"]);
    assert!(exported[1].bytes.starts_with(b"PK") && exported[2].bytes.starts_with(b"PK"));

    // A closed round refuses a new version.
    rounds::close(&conn, round).unwrap();
    assert_eq!(panel::save_opinion(&conn, round, a[0], &input("x", ConclusionDto::Recommend)).unwrap_err().kind, ErrorKind::Locked);
    let _ = &mut conn;
}

#[test]
fn a_false_finding_of_a_site_visit_becomes_a_veto_proposal_that_only_the_panel_decides() {
    use crate::overview::{RankStatus, VetoOutcome, VetoVote};
    use crate::panel::{CheckResultDto, VisitCheckInput, VisitInput, VisitMemberDto};
    let (conn, round, e, a) = veto_round();
    for ex in &e {
        for (j, app) in a.iter().enumerate() {
            score_all(&conn, round, *ex, *app, 70 + (j as i64) * 10, true);
        }
    }
    let member = |code: Option<&str>, name: &str, duty: &str| VisitMemberDto {
        expert_code: code.map(String::from),
        name: name.into(),
        unit: "".into(),
        duty: duty.into(),
    };
    let check = |claim: &str, finding, note: &str| VisitCheckInput { id: None, claim: claim.into(), finding, note: note.into() };
    let visit = VisitInput {
        date: "2026-11-20".into(),
        place: "洛阳市".into(),
        members: vec![member(Some("E01"), "", "组长"), member(Some("E02"), "", "评审专家"), member(None, "王监督", "监督人员")],
        checks: vec![
            check("实训基地 12 个", CheckResultDto::True, ""),
            check("共建产业学院 3 个", CheckResultDto::Partly, "仅 1 个挂牌运行"),
            check("牵头企业年产值 50 亿元", CheckResultDto::False, "财务报表显示不足 20 亿元"),
        ],
    };
    let bad = panel::save_visit(&conn, round, a[3], None, &VisitInput { date: "2026/11/20".into(), ..visit.clone() }).unwrap_err();
    assert!(bad.details.iter().any(|d| d.contains("考察日期")), "{:?}", bad.details);
    let id = panel::save_visit(&conn, round, a[3], None, &visit).unwrap();
    let v = &panel::visits(&conn, round).unwrap()[0];
    assert_eq!((v.id, v.seq, v.members[0].name.as_str(), v.findings.len()), (id, 1, "张建国", 3));

    // Only the 不属实 one can be proposed, as one of the rubric's 否定性指标.
    let finding = |i: usize| crate::ids::FindingId(v.findings[i].id);
    assert_eq!(panel::propose_veto(&conn, round, finding(1), "V1").unwrap_err().kind, ErrorKind::InvalidInput);
    panel::propose_veto(&conn, round, finding(2), "V1").unwrap();
    let o = overview::overview(&conn, round).unwrap();
    let item = &o.vetoes.iter().find(|r| r.application_id == a[3].0).unwrap().items[0];
    assert_eq!((item.code.as_str(), item.outcome, item.proposals.len()), ("V1", VetoOutcome::Pending, 0));
    let p = &item.visit_proposals[0];
    assert_eq!(
        (p.visit_seq, p.visit_date.as_str(), p.claim.as_str(), p.note.as_str()),
        (1, "2026-11-20", "牵头企业年产值 50 亿元", "财务报表显示不足 20 亿元")
    );
    let a04 = o.ranking.iter().find(|r| r.application_id == a[3].0).unwrap();
    assert_eq!((a04.status, a04.rank), (RankStatus::Complete, Some(1)), "a proposal is never upheld by itself");

    // The panel decides it through the existing veto decision.
    let vote = VetoVote { code: "V1", upheld: true, votes_for: 3, votes_against: 0, reason: "实地考察核实申报数据不实" };
    overview::resolve_veto(&conn, round, a[3], &vote).unwrap();
    let o = overview::overview(&conn, round).unwrap();
    let a04 = o.ranking.iter().find(|r| r.application_id == a[3].0).unwrap();
    assert_eq!((a04.status, a04.rank), (RankStatus::Disqualified, None));

    // The record: printed, logged.
    let html = panel::visits_preview(&conn, round, "2026年12月3日").unwrap();
    assert!(html.contains("2026年11月20日") && html.contains("王监督") && html.contains("财务报表显示不足 20 亿元"));
    let docs = panel::visit_documents(&conn, round, "2026年12月3日").unwrap();
    assert_eq!(docs.iter().map(|d| d.file_name.as_str()).collect::<Vec<_>>(), ["实地考察记录表.html", "实地考察记录表.docx"]);
    let log = String::from_utf8(paperwork::audit_log(&conn, round, "2026年12月3日").unwrap().bytes).unwrap();
    for words in ["记录实地考察", "实地考察提议否定性指标", "否定性指标决议"] {
        assert!(log.contains(words), "{words}");
    }
    // The proposed finding stays; the visit cannot go.
    assert_eq!(panel::delete_visit(&conn, round, crate::ids::SiteVisitId(id)).unwrap_err().kind, ErrorKind::InvalidInput);
}

#[test]
fn a_rubric_without_vetoes_offers_no_proposal_from_a_site_visit() {
    use crate::panel::{CheckResultDto, VisitCheckInput, VisitInput, VisitMemberDto};
    let (conn, round, _, a) = sample();
    let visit = VisitInput {
        date: "2026-11-20".into(),
        place: "".into(),
        members: vec![VisitMemberDto { expert_code: None, name: "王监督".into(), unit: "".into(), duty: "监督人员".into() }],
        checks: vec![VisitCheckInput { id: None, claim: "共建产业学院".into(), finding: CheckResultDto::False, note: "未见挂牌".into() }],
    };
    panel::save_visit(&conn, round, a[0], None, &visit).unwrap();
    let f = panel::visits(&conn, round).unwrap()[0].findings[0].id;
    let err = panel::propose_veto(&conn, round, crate::ids::FindingId(f), "V1").unwrap_err();
    assert_eq!(err.message, "本批次的评分标准没有否定性指标，核查结论不能转为否定性指标提议");
}

#[test]
fn the_expert_list_names_the_leader_in_its_role_column() {
    use crate::views::ExpertRoleDto;
    let (mut conn, round, ..) = sample();
    let dir = tempfile::tempdir().unwrap();
    let now = experts::list(&conn, round).unwrap();
    let row = |i: usize, role: &str| format!("{},{},{},,,,{role}\n", now[i].code, now[i].name, now[i].unit);
    let list = write(dir.path(), "名单.csv", &format!("专家编号,姓名,单位,职称,专业领域,手机,角色\n{}{}", row(0, "成员"), row(2, "组长")));
    experts::import(&mut conn, round, &list).unwrap();
    let roles: Vec<ExpertRoleDto> = experts::list(&conn, round).unwrap().iter().map(|x| x.role).collect();
    assert_eq!(roles, [ExpertRoleDto::Member, ExpertRoleDto::Member, ExpertRoleDto::Leader]);
    // Two 组长 in one file: refused, naming both rows; nothing changes.
    std::fs::write(&list, "专家编号,姓名,单位,职称,专业领域,手机,角色\nE01,甲,甲单位,,,,组长\nE02,乙,乙单位,,,,组长\n").unwrap();
    let err = experts::import(&mut conn, round, &list).unwrap_err();
    assert!(err.message.contains("第 2 行和第 3 行都填了“组长”"), "{}", err.message);
    assert_eq!(experts::list(&conn, round).unwrap()[2].role, ExpertRoleDto::Leader);
}
