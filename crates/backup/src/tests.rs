//! A round with everything in it backed up and restored into a fresh database and beside other rounds (the
//! same content, paperwork and consolidation, other ids); every refusal and a cancel leaving the database
//! exactly as it was; the file as `docs/backup.md` describes it.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use pingshen_core::consolidation::{consolidate, Aggregation, Consolidation, Settings, Settlement};
use pingshen_core::expert::Expert;
use pingshen_core::hash::sha256_hex;
use pingshen_core::panel::{Check, Conclusion, Finding, Member, Opinion, Visit};
use pingshen_core::Tenths;
use pingshen_store::evidence::{self, Target};
use pingshen_store::experts::RecusalSource;
use pingshen_store::rounds::{self, NewApplication, NewMaterial, NewRound, RoundSettings};
use pingshen_store::settlements::{self, Resolution, SettlementKind};
use pingshen_store::{applications, audit, declarations, experts, handout, panel, panel_records, search, sheets, StoreError, SCHEMA_VERSION};
use rusqlite::Connection;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::*;
use crate::manifest::{Manifest, MANIFEST_ENTRY};
use crate::tables::{Id, Key, Table, NOT_A_ROUNDS, PAGES_TABLE, ROUND_TABLES, SHEETS_TABLES};
use pingshen_core::opinion::Recommendation;

const AT: &str = "2026-12-03T08:45:12Z";
const NAME: &str = "2026年河南省市域产教联合体评审";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn go(_: &Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// The Henan rubric with one 否定性指标 (V1) added, so that the round's veto proposals and decisions are
/// the rubric's own (consolidation refuses a veto the rubric does not have).
fn henan() -> String {
    let text = std::fs::read_to_string(root().join("rubrics/henan-2023/rubric.toml")).unwrap();
    format!("{text}\n[[vetoes]]\ncode = \"V1\"\ntext = \"申报材料弄虚作假的，取消资格\"\neffect = \"disqualify\"\n")
}

/// The sample packages as applications A01…, with the text of their pages.
fn sample_applications() -> Vec<NewApplication> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("sample-applications"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("application.toml").exists())
        .collect();
    dirs.sort();
    dirs.iter()
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
                        page_texts: pingshen_import::pdf::page_rows(&m.file, &m.content).unwrap(),
                        file: m.file,
                        title: m.title,
                        pages: m.pages,
                        content: m.content,
                    })
                    .collect(),
            }
        })
        .collect()
}

fn id_of(conn: &Connection, table: &str, round: i64, code: &str) -> i64 {
    conn.query_row(&format!("SELECT id FROM {table} WHERE round_id = ?1 AND code = ?2"), rusqlite::params![round, code], |r| r.get(0)).unwrap()
}

/// Scores every item of a sheet (values varying with `seed`, every one with a comment).
fn score_all(conn: &Connection, round: i64, sheet: i64, seed: usize) {
    let rubric = rounds::rubric(conn, round).unwrap();
    for (i, item) in rubric.items().enumerate() {
        let off = ((seed + i) % 4) as i64 * rubric.step.0;
        let v = Tenths((item.points.0 - off).max(0));
        sheets::set_score(conn, &rubric, sheet, &item.code, Some(v)).unwrap();
        sheets::set_comment(conn, &rubric, sheet, &item.code, &format!("第 {seed} 份的评语")).unwrap();
    }
}

/// A round with everything in it: the four sample packages with their page texts (A02 from a .docx, A03 a
/// scanned 推荐书 awaiting entry), five experts with phone numbers, round settings, consolidation settings,
/// a handout row with a chosen expert, a recusal by staff and one declared by an expert (with the
/// declaration), sheets submitted (one reopened and submitted again, with a deduction), a draft, evidence
/// pins on a page and a field, a veto proposal, a deduction resolution, two flag settlements, a veto
/// resolution; then closed.
fn full_round(conn: &mut Connection, name: &str) -> i64 {
    let experts = (1..=5)
        .map(|i| Expert {
            code: format!("E{i:02}"),
            name: format!("专家{i}"),
            unit: format!("单位{i}"),
            title: "教授".into(),
            field: "装备制造".into(),
            phone: format!("1390000000{i}"),
            role: Default::default(),
        })
        .collect();
    let new = NewRound { name: name.into(), rubric_text: henan(), applications: sample_applications(), experts, is_sample: false, uid: None };
    let id = rounds::create(conn, &new, "统分人").unwrap();
    let e = |c: &Connection, code: &str| id_of(c, "expert", id, code);
    let a = |c: &Connection, code: &str| id_of(c, "application", id, code);
    let settings = RoundSettings {
        name: name.into(),
        organiser: "河南省教育厅职业教育与成人教育处".into(),
        year: Some(2026),
        deadline: Some("2026-11-30".into()),
        quota: Some(2),
        opinions: pingshen_core::opinion::OpinionRules { require_recommendation: true, require_opinion: false, opinion_max_chars: Some(300) },
    };
    rounds::update(conn, id, &settings, "", "统分人").unwrap();
    conn.execute("UPDATE application SET source = 'docx' WHERE id = ?1", [a(conn, "A02")]).unwrap();
    conn.execute("UPDATE application SET source = 'scanned', needs_manual_entry = 1 WHERE id = ?1", [a(conn, "A03")]).unwrap();
    let s = Settings { aggregation: Aggregation::Median, total_flag_points: Tenths(125), ..Settings::default() };
    settlements::set_settings(conn, id, &s, "统分人").unwrap();
    {
        let tx = conn.transaction().unwrap();
        handout::record(&tx, id, &"5a".repeat(32)).unwrap();
        tx.commit().unwrap();
    }
    handout::choose_expert(conn, id, e(conn, "E01"), "专家1").unwrap();

    experts::set_recused(conn, e(conn, "E02"), a(conn, "A01"), true, "曾在牵头学校任职", RecusalSource::Staff, "统分人").unwrap();
    let (e3, a4) = (e(conn, "E03"), a(conn, "A04"));
    declarations::sign(conn, e3, &[(a4, "近三年与牵头企业有项目合作".into())], "无其他利害关系").unwrap();

    let rubric = rounds::rubric(conn, id).unwrap();
    let first_item = rubric.items().next().unwrap().code.clone();
    for (ei, ec) in ["E01", "E02", "E03", "E04", "E05"].iter().enumerate() {
        for (ai, ac) in ["A01", "A02", "A03", "A04"].iter().enumerate() {
            if (*ec, *ac) == ("E02", "A01") || (*ec, *ac) == ("E03", "A04") {
                continue;
            }
            let sheet = sheets::open(conn, e(conn, ec), a(conn, ac)).unwrap();
            score_all(conn, id, sheet, ei * 3 + ai);
            if (ei + ai) % 3 == 0 {
                sheets::set_deduction(conn, &rubric, sheet, Some(Tenths(10)), "部分材料与推荐书不一致").unwrap();
            }
            if (*ec, *ac) == ("E01", "A01") {
                let material = applications::materials(conn, a(conn, "A01")).unwrap()[0].id;
                evidence::pin(conn, sheet, &first_item, &Target::Page { material_id: material, page: 1 }, "理事会章程第一条").unwrap();
                evidence::pin(conn, sheet, &first_item, &Target::Field { field: pingshen_core::form::FIELDS[1].id.into() }, "").unwrap();
            }
            if (*ec, *ac) == ("E04", "A02") {
                conn.execute("INSERT INTO sheet_veto (sheet_id, veto_code, reason) VALUES (?1, 'V1', '疑似材料造假')", [sheet]).unwrap();
            }
            let word = if (ei + ai) % 2 == 0 { Recommendation::Recommend } else { Recommendation::NotRecommend };
            sheets::set_opinion(conn, sheet, Some(word), &format!("专家 {ec} 对 {ac} 的综合意见")).unwrap();
            if (*ec, *ac) != ("E05", "A04") {
                sheets::submit(conn, sheet, ec).unwrap();
            }
        }
    }
    // E01's sheet for A01 reopened, changed and submitted again.
    let sheet = sheets::open(conn, e(conn, "E01"), a(conn, "A01")).unwrap();
    sheets::reopen(conn, sheet, "统分人", "1.1 的分数录入有误").unwrap();
    sheets::set_score(conn, &rubric, sheet, &first_item, Some(Tenths(0))).unwrap();
    sheets::set_comment(conn, &rubric, sheet, &first_item, "未见相关材料").unwrap();
    assert_eq!(sheets::submit(conn, sheet, "E01").unwrap(), 2);

    let resolution = Resolution { deduction: Tenths(5), votes_for: 4, votes_against: 1, reason: "评审组合议" };
    settlements::resolve_deduction(conn, &rubric, a(conn, "A01"), &resolution, "统分人").unwrap();
    settlements::settle_flag(conn, a(conn, "A02"), "E01", Some(&first_item), SettlementKind::ExpertReason, "专家书面说明", "统分人").unwrap();
    settlements::settle_flag(conn, a(conn, "A02"), "E01", None, SettlementKind::PanelResolution, "评审组维持原分", "统分人").unwrap();
    conn.execute(
        "INSERT INTO veto_resolution (application_id, veto_code, upheld, votes_for, votes_against, reason, actor)
         VALUES (?1, 'V1', 0, 4, 1, '证据不足，不予认定', '统分人')",
        [a(conn, "A02")],
    )
    .unwrap();
    // The 推荐名单: a line, 公示 settings, a tie decision and a confirmation that was reopened, then one in force.
    use pingshen_store::recommendation as rec;
    let line = pingshen_core::recommendation::Line { places: Some(2), min_score: Some(Tenths(600)) };
    rec::set_line(conn, id, &line, "统分人").unwrap();
    let publicity = rec::Publicity {
        order: rec::PublicityOrder::Recommender,
        start: "2023-08-20".into(),
        end: "2023-08-26".into(),
        contact: "李老师".into(),
        phone: "0371-00000000".into(),
        publisher: "河南省教育厅".into(),
    };
    rec::set_publicity(conn, id, &publicity, "统分人").unwrap();
    let decision = pingshen_core::recommendation::TieDecision {
        tied: vec!["A01".into(), "A03".into()],
        final_score: pingshen_core::Ratio::new(1713, 20),
        places_left: 1,
        chosen: vec!["A03".into()],
        by_tiebreak: false,
        votes_for: 4,
        votes_against: 1,
        reason: "专家组表决".into(),
    };
    rec::record_decision(conn, id, &decision, "统分人").unwrap();
    let row = |code: &str, recommended: bool| rec::ListRow {
        rank: Some(1),
        code: code.into(),
        name: format!("{code} 联合体"),
        recommender: "郑州市教育局".into(),
        final_score: Some(pingshen_core::Ratio::new(1713, 20)),
        recommended,
        reason: if recommended { String::new() } else { "outside_places".into() },
        ..Default::default()
    };
    rec::confirm(conn, id, &line, "", &[row("A01", true), row("A02", false)], "统分人").unwrap();
    rec::reopen(conn, id, "重新核对", "统分人").unwrap();
    rec::confirm(conn, id, &line, "专家组决定", &[row("A03", true), row("A01", false)], "统分人").unwrap();
    // The 组长, two versions of a 专家组意见, a 实地考察 whose 不属实 finding is proposed as a 否定性指标.
    experts::set_leader(conn, id, Some(e(conn, "E03")), "统分人").unwrap();
    let opinion = |conclusion| Opinion {
        strengths: "产业基础好".into(),
        problems: "机制不健全".into(),
        suggestions: "完善章程".into(),
        conclusion,
        conclusion_note: "".into(),
    };
    panel_records::save_opinion(conn, a(conn, "A01"), &opinion(Conclusion::Recommend), "统分人").unwrap();
    panel_records::save_opinion(conn, a(conn, "A01"), &opinion(Conclusion::NotRecommend), "统分人").unwrap();
    let visit = Visit {
        date: "2026-11-20".into(),
        place: "洛阳".into(),
        members: vec![
            Member { expert: Some("E03".into()), name: "".into(), unit: "".into(), duty: "组长".into() },
            Member { expert: None, name: "王监督".into(), unit: "".into(), duty: "监督人员".into() },
        ],
        checks: vec![
            Check { id: None, claim: "实训基地".into(), finding: Finding::True, note: "".into() },
            Check { id: None, claim: "产业学院".into(), finding: Finding::False, note: "未见挂牌".into() },
        ],
    };
    panel_records::save_visit(conn, a(conn, "A02"), None, &visit, "统分人").unwrap();
    conn.execute(
        "INSERT INTO site_visit_veto (finding_id, veto_code, actor) SELECT id, 'V1', '统分人' FROM site_visit_finding WHERE finding = 'false'",
        [],
    )
    .unwrap();
    rounds::close(conn, id, "统分人").unwrap();
    id
}

/// A database with a round of its own, so that ids shift and "untouched" is not trivially an empty database.
fn machine() -> Connection {
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let new = NewRound {
        name: "本机的另一个批次".into(),
        rubric_text: henan(),
        applications: sample_applications().into_iter().take(2).collect(),
        experts: vec![Expert { code: "E01".into(), name: "本机专家".into(), unit: "本机单位".into(), ..Default::default() }],
        is_sample: false,
        uid: None,
    };
    let id = rounds::create(&mut conn, &new, "统分人").unwrap();
    let sheet = sheets::open(&conn, id_of(&conn, "expert", id, "E01"), id_of(&conn, "application", id, "A01")).unwrap();
    score_all(&conn, id, sheet, 7);
    sheets::submit(&conn, sheet, "E01").unwrap();
    conn
}

/// The source database, its round and a backup of it in `dir`.
fn backed_up(dir: &Path) -> (Connection, i64, PathBuf) {
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let id = full_round(&mut conn, NAME);
    let path = dir.join(format!("{NAME}.{EXTENSION}"));
    write(&conn, id, &path, AT, &mut go).unwrap();
    (conn, id, path)
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

/// What each id of a kept table stands for, the same on every machine: a round by its uid, an expert or
/// application by the round's uid and its code, a material by its application and file name, a sheet by its
/// expert and application.
fn natural_keys(conn: &Connection) -> HashMap<(String, i64), String> {
    let mut keys = HashMap::new();
    let queries = [
        ("round", "SELECT id, uid FROM round"),
        ("expert", "SELECT e.id, r.uid || '/' || e.code FROM expert e JOIN round r ON r.id = e.round_id"),
        ("application", "SELECT a.id, r.uid || '/' || a.code FROM application a JOIN round r ON r.id = a.round_id"),
        (
            "material",
            "SELECT m.id, r.uid || '/' || a.code || '/' || m.file FROM material m JOIN application a ON a.id = m.application_id
             JOIN round r ON r.id = a.round_id",
        ),
        (
            "sheet",
            "SELECT s.id, r.uid || '/' || e.code || '|' || a.code FROM sheet s JOIN expert e ON e.id = s.expert_id
             JOIN application a ON a.id = s.application_id JOIN round r ON r.id = a.round_id",
        ),
        (
            "site_visit",
            "SELECT v.id, r.uid || '/' || a.code || '#' || v.seq FROM site_visit v JOIN application a ON a.id = v.application_id
             JOIN round r ON r.id = a.round_id",
        ),
        (
            "site_visit_finding",
            "SELECT f.id, r.uid || '/' || a.code || '#' || v.seq || '#' || f.position FROM site_visit_finding f
             JOIN site_visit v ON v.id = f.visit_id JOIN application a ON a.id = v.application_id JOIN round r ON r.id = a.round_id",
        ),
    ];
    for (table, sql) in queries {
        let mut st = conn.prepare(sql).unwrap();
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))).unwrap();
        for row in rows {
            let (id, key) = row.unwrap();
            keys.insert((table.to_string(), id), key);
        }
    }
    keys
}

/// Every row of every table but the audit log and the search index, each id replaced by what it stands
/// for (found from the schema's own foreign keys, not from the backup's table list): ids differ between
/// databases. Fresh ids (a declaration's, a pin's, a resolution's) are left out; blobs are their SHA-256.
/// Rows sorted, per table.
fn content(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let keys = natural_keys(conn);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_index%' AND name NOT LIKE 'sqlite_%' AND name != 'audit_log'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let fks: HashMap<String, String> = conn
            .prepare(&format!("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('{t}')"))
            .unwrap()
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
            .unwrap()
            .map(|r| {
                let (from, table, to) = r.unwrap();
                // The sheet's (expert_id, application_id) refer to its assignment's, which are ids of those.
                let kind = if table == "assignment" { to.trim_end_matches("_id").to_string() } else { table };
                (from, kind)
            })
            .collect();
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let names: Vec<String> = st.column_names().into_iter().map(String::from).collect();
        let mut rows = st.query([]).unwrap();
        let mut v = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            let mut cells = Vec::new();
            for (i, c) in names.iter().enumerate() {
                let value = r.get_ref(i).unwrap();
                let key = |kind: &str| match value {
                    rusqlite::types::ValueRef::Integer(id) => keys.get(&(kind.to_string(), id)).cloned().unwrap_or_else(|| panic!("{t}.{c} = {id}")),
                    _ => "NULL".to_string(),
                };
                let cell = if c == "id" {
                    if !["round", "expert", "application", "material", "sheet", "site_visit", "site_visit_finding"].contains(&t.as_str()) {
                        continue;
                    }
                    key(&t)
                } else if let Some(kind) = fks.get(c) {
                    key(kind)
                } else {
                    match value {
                        rusqlite::types::ValueRef::Blob(b) => format!("sha256:{}", sha256_hex(b)),
                        rusqlite::types::ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                        rusqlite::types::ValueRef::Real(x) => x.to_string(),
                        rusqlite::types::ValueRef::Null => "NULL".into(),
                    }
                };
                cells.push(format!("{c}={cell}"));
            }
            v.push(cells.join("|"));
        }
        v.sort();
        out.insert(t, v);
    }
    out
}

/// A round's audit log as printed, its entities named by what they stand for.
fn log(conn: &Connection, round: i64) -> Vec<(String, String, String, String, String)> {
    let keys = natural_keys(conn);
    audit::for_round(conn, round)
        .unwrap()
        .into_iter()
        .map(|e| {
            let parts: Vec<&str> = e.entity.split(':').collect();
            let key = |kind: &str, id: &str| keys[&(kind.to_string(), id.parse::<i64>().unwrap())].clone();
            let entity = match parts.as_slice() {
                ["assignment", x, y] => format!("assignment:{}:{}", key("expert", x), key("application", y)),
                [kind, id] => format!("{kind}:{}", key(kind, id)),
                _ => panic!("{}", e.entity),
            };
            (e.at, e.actor, e.action, entity, e.detail)
        })
        .collect()
}

/// The round consolidated, as the 汇总表 and the ranking see it.
fn consolidated(conn: &Connection, round: i64) -> Consolidation {
    let rubric = rounds::rubric(conn, round).unwrap();
    consolidate(&rubric, &settlements::settings(conn, round).unwrap(), &panel::panel_input(conn, round).unwrap()).unwrap()
}

/// The 汇总表 and the 评审报告 (HTML) of a round, dated.
fn paperwork(conn: &Connection, round: i64) -> (String, String) {
    let rubric = rounds::rubric(conn, round).unwrap();
    let settings = settlements::settings(conn, round).unwrap();
    let input = panel::panel_input(conn, round).unwrap();
    let result = consolidate(&rubric, &settings, &input).unwrap();
    let row = rounds::get(conn, round).unwrap();
    let info = pingshen_report::RoundInfo { date: "2026年12月3日".into(), ..pingshen_report::RoundInfo::for_rubric(row.name, &rubric) };
    let apps: Vec<pingshen_report::ApplicationInfo> = applications::list(conn, round)
        .unwrap()
        .into_iter()
        .map(|a| pingshen_report::ApplicationInfo::from_application(a.code, &applications::get(conn, a.id).unwrap().1))
        .collect();
    let experts: Vec<pingshen_report::ExpertInfo> = experts::list(conn, round).unwrap().iter().map(|e| (&e.expert).into()).collect();
    let settled: Vec<Settlement> = settlements::settlements(conn, round)
        .unwrap()
        .into_iter()
        .map(|s| Settlement {
            application: s.application_code,
            expert: s.expert_code,
            item: s.item,
            by_panel: s.kind == SettlementKind::PanelResolution,
            text: s.text,
            at: s.at,
        })
        .collect();
    let input = pingshen_report::ReportInput {
        round: &info,
        rubric: &rubric,
        settings: &settings,
        consolidation: &result,
        panel: &input,
        applications: &apps,
        experts: &experts,
        settlements: &settled,
    };
    // The 推荐名单 as the round has it: its line and the panel's tie decisions.
    use pingshen_store::recommendation as rec;
    let proposal = pingshen_core::recommendation::propose(&result, &rec::line(conn, round).unwrap(), &rec::decisions(conn, round).unwrap());
    let list = pingshen_report::ListInfo::from_proposal(&proposal, &apps);
    (pingshen_report::summary_html(&input, &list).unwrap(), pingshen_report::review_report_html(&input).unwrap())
}

/// Search hits by codes and file names, sorted.
/// A search hit by codes and file names: (申报编号, file, page, field, snippet).
type HitKey = (String, Option<String>, Option<u32>, Option<String>, String);

fn hits(conn: &Connection, round: i64, query: &str) -> Vec<HitKey> {
    let mut v: Vec<_> = search::search(conn, None, round, query, 200)
        .unwrap()
        .into_iter()
        .map(|h| (applications::get(conn, h.application_id).unwrap().0.code, h.file, h.page, h.field, h.snippet))
        .collect();
    v.sort();
    v
}

/// Checks that the restored round is the source round: every row modulo ids, the audit log, the
/// consolidation, the paperwork byte for byte, search; and that it is closed as the source is.
fn assert_same_round(source: &Connection, sid: i64, log_before: &[(String, String, String, String, String)], target: &Connection, tid: i64) {
    let restored_log = log(target, tid);
    let (last, restored) = restored_log.split_last().unwrap();
    assert_eq!(restored, log_before, "the audit log, entry by entry (time, actor, action, entity, detail)");
    assert_eq!(last.2, "restore_round");
    assert!(last.4.starts_with(&format!("从备份恢复评审批次「{NAME}」")), "{last:?}");
    let c = consolidated(source, sid);
    assert_eq!(c.applications.len(), 4, "a consolidation of every application");
    assert!(c.applications.iter().filter(|a| a.rank.is_some()).count() >= 3, "ranked: {c:?}");
    assert_eq!(consolidated(target, tid), c);
    let (summary, report) = paperwork(source, sid);
    assert!(summary.contains(NAME));
    assert_eq!(paperwork(target, tid), (summary, report), "the 汇总表 and the 评审报告, byte for byte");
    let found = hits(source, sid, "理事会");
    assert!(found.iter().any(|h| h.2.is_some()) && found.iter().any(|h| h.3.is_some()), "page and field hits: {found:?}");
    assert_eq!(hits(target, tid, "理事会"), found);
    assert_eq!(hits(target, tid, "章"), hits(source, sid, "章"));
    let (s, t) = (rounds::get(source, sid).unwrap(), rounds::get(target, tid).unwrap());
    assert!(s.closed_at.is_some());
    assert_eq!((&t.uid, &t.name, &t.settings, &t.closed_at, &t.created_at), (&s.uid, &s.name, &s.settings, &s.closed_at, &s.created_at));
    let sheet: i64 = target
        .query_row(
            "SELECT s.id FROM sheet s JOIN application a ON a.id = s.application_id WHERE a.round_id = ?1 AND s.status = 'draft'",
            [tid],
            |r| r.get(0),
        )
        .unwrap();
    let rubric = rounds::rubric(target, tid).unwrap();
    let err = sheets::set_comment(target, &rubric, sheet, &rubric.items().next().unwrap().code, "改").unwrap_err();
    assert!(matches!(err, StoreError::RoundClosed), "the restored round is closed: {err:?}");
}

#[test]
fn a_round_with_everything_comes_back_identical_in_a_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = pingshen_store::open_in_memory().unwrap();
    let sid = full_round(&mut source, NAME);
    let log_before = log(&source, sid);
    let content_before = content(&source);
    let path = dir.path().join("批次.pingshen-backup");
    let mut stages = Vec::new();
    let saved = write(&source, sid, &path, AT, &mut |p: &Progress| {
        stages.push(p.clone());
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(content(&source), content_before, "a backup changes nothing but the audit log");
    let after = audit::for_round(&source, sid).unwrap();
    let entry = after.last().unwrap();
    assert_eq!((entry.action.as_str(), entry.actor.as_str(), entry.entity.clone()), ("backup_round", ACTOR, format!("round:{sid}")));
    assert!(entry.detail.contains(&saved.short_hash) && entry.detail.contains("批次.pingshen-backup"), "{}", entry.detail);
    assert_eq!(after.len(), log_before.len() + 1);
    let last = stages.last().unwrap();
    assert_eq!((last.done, last.total), (last.total, saved.bytes_of_entries(&path)));
    assert!(stages.iter().any(|p| p.stage.starts_with("正在备份 A01 的材料 ")), "{stages:?}");

    let mut target = pingshen_store::open_in_memory().unwrap();
    let mut stages = Vec::new();
    let restored = restore(&mut target, &path, &mut |p: &Progress| {
        stages.push(p.clone());
        ControlFlow::Continue(())
    })
    .unwrap();
    assert_eq!(restored.name, NAME);
    assert!(stages.iter().any(|p| p.stage.starts_with("正在恢复 A03 的材料 ")), "{stages:?}");
    let last = stages.last().unwrap();
    assert_eq!(last.done, last.total);
    assert_eq!(content(&target), content_before, "every table, row for row, ids aside");
    assert_same_round(&source, sid, &log_before, &target, restored.round_id);
    let restore_entry = audit::for_round(&target, restored.round_id).unwrap().pop().unwrap();
    assert_eq!((restore_entry.action(), restore_entry.actor.as_str()), (Some(audit::Action::RestoreRound), ACTOR));
    assert!(restore_entry.detail.contains(&saved.short_hash) && restore_entry.detail.contains(AT), "{}", restore_entry.detail);
}

impl BackupSaved {
    /// The sum of the sizes of the file's entries but the manifest (what progress counts).
    fn bytes_of_entries(&self, path: &Path) -> u64 {
        let mut z = ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        (0..z.len())
            .map(|i| {
                let f = z.by_index(i).unwrap();
                if f.name().unwrap() == MANIFEST_ENTRY {
                    0
                } else {
                    f.size()
                }
            })
            .sum()
    }
}

#[test]
fn a_round_restores_beside_other_rounds_with_other_ids() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = pingshen_store::open_in_memory().unwrap();
    let sid = full_round(&mut source, NAME);
    let log_before = log(&source, sid);
    let path = dir.path().join("b.pingshen-backup");
    write(&source, sid, &path, AT, &mut go).unwrap();

    let mut target = machine();
    let _ = full_round(&mut target, "本机第三个批次");
    let before = content(&target);
    let source_content = content(&source);
    let restored = restore(&mut target, &path, &mut go).unwrap();
    assert_ne!(restored.round_id, sid, "the round has another id here");
    let e01 = |c: &Connection, r: i64| id_of(c, "expert", r, "E01");
    let a01 = |c: &Connection, r: i64| id_of(c, "application", r, "A01");
    assert_ne!((e01(&target, restored.round_id), a01(&target, restored.round_id)), (e01(&source, sid), a01(&source, sid)));

    // Every table: the rows it had, and the source round's rows.
    let after = content(&target);
    for (table, rows) in &after {
        let mut expected = before[table].clone();
        expected.extend(source_content[table].iter().cloned());
        expected.sort();
        assert_eq!(rows, &expected, "{table}");
    }
    assert_same_round(&source, sid, &log_before, &target, restored.round_id);
    assert_eq!(rounds::list(&target).unwrap().len(), 3);
}

#[test]
fn the_file_is_as_the_format_says() {
    let dir = tempfile::tempdir().unwrap();
    let (source, sid, path) = backed_up(dir.path());
    assert!(!dir.path().join(format!("{NAME}.{EXTENSION}.part")).exists());
    let mut z = ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let names: Vec<String> = (0..z.len()).map(|i| z.by_index(i).unwrap().name().unwrap().to_string()).collect();
    assert_eq!(names[..4], ["manifest.json", "round.json", "sheets.json", "audit.json"]);
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let want = if name.starts_with("materials/") { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        assert_eq!(f.compression(), want, "{name}");
        assert_eq!(f.last_modified(), Some(zip::DateTime::default()), "{name}");
    }
    let mut text = String::new();
    z.by_name(MANIFEST_ENTRY).unwrap().read_to_string(&mut text).unwrap();
    assert!(text.lines().count() == 1 && text.ends_with("\"}\n"), "{text}");
    let m: Manifest = crate::manifest::read(text.as_bytes()).unwrap().manifest;
    assert_eq!(m.entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), names[1..], "the manifest lists every entry, in file order");
    let r = rounds::get(&source, sid).unwrap();
    assert_eq!((m.format.as_str(), m.format_version, m.schema_version), ("pingshen-round-backup", 1, SCHEMA_VERSION));
    assert_eq!((&m.round.uid, &m.round.name, &m.round.closed_at, &m.round.rubric_hash), (&r.uid, &r.name, &r.closed_at, &r.rubric_hash));
    let counts = Counts {
        applications: 4,
        materials: m.counts.materials,
        pages: m.counts.pages,
        experts: 5,
        sheets: 18,
        submitted: 17,
        versions: 18,
        audit_entries: m.counts.audit_entries,
    };
    assert_eq!(m.counts, counts);
    assert!(m.counts.materials >= 4 && m.counts.pages > 0);
    assert_eq!(m.counts.audit_entries as usize, audit::for_round(&source, sid).unwrap().len() - 1, "the log up to the backup");
    // Each application's materials (by id), then its page texts.
    let materials: Vec<i64> = source
        .prepare("SELECT m.id FROM material m JOIN application a ON a.id = m.application_id WHERE a.round_id = ?1 ORDER BY a.id, m.id")
        .unwrap()
        .query_map([sid], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let in_file: Vec<i64> = names.iter().filter_map(|n| n.strip_prefix("materials/")).map(|n| n.parse().unwrap()).collect();
    assert_eq!(in_file, materials);
    let a1 = id_of(&source, "application", sid, "A01");
    let at = names.iter().position(|n| *n == format!("pages/{a1}.json")).unwrap();
    assert!(names[at - 1].starts_with("materials/"), "{names:?}");
    // The rows: the staff's own, phone numbers included; columns by name.
    let mut round_json = String::new();
    z.by_name("round.json").unwrap().read_to_string(&mut round_json).unwrap();
    assert!(round_json.starts_with("{\"round\":[{\"id\":") && round_json.ends_with("]}\n") && round_json.lines().count() == 1);
    assert!(round_json.contains("\"phone\":\"13900000001\""), "a backup keeps phone numbers");
    assert!(!round_json.contains("\"content\""), "material bytes are entries of their own");
    let mut pages = String::new();
    z.by_name(&format!("pages/{a1}.json")).unwrap().read_to_string(&mut pages).unwrap();
    assert!(pages.starts_with("{\"material_page\":[{\"material_id\":") && pages.contains("\"page\":1,\"text\":\""), "{}", &pages[..80]);
    // A material's bytes, as stored.
    let mut pdf = Vec::new();
    z.by_name(&format!("materials/{}", materials[0])).unwrap().read_to_end(&mut pdf).unwrap();
    let stored: Vec<u8> = source.query_row("SELECT content FROM material WHERE id = ?1", [materials[0]], |r| r.get(0)).unwrap();
    assert_eq!(pdf, stored);
    drop(z);

    let info = inspect(&path).unwrap();
    assert_eq!(
        (info.uid.as_str(), info.name.as_str(), info.closed_at.clone(), info.counts.clone()),
        (r.uid.as_str(), NAME, r.closed_at.clone(), m.counts.clone())
    );
    assert_eq!((info.written_at.as_str(), info.schema_version, info.bytes), (AT, SCHEMA_VERSION, std::fs::metadata(&path).unwrap().len()));
    assert_eq!(info.content_hash, m.content_hash());
    assert_eq!(info.short_hash, pingshen_core::rubric::fingerprint(&info.content_hash));
    assert_eq!(info.rubric_fingerprint, pingshen_core::rubric::fingerprint(&r.rubric_hash));
    // By hand, as docs/backup.md says.
    let body = text.trim_end().rsplit_once(",\"content_hash\":\"").unwrap().0.to_string() + "}";
    assert_eq!(sha256_hex(body.as_bytes()), info.content_hash);
}

// ---- refusals: each leaves the database exactly as it was ----

/// Restores `path` into a machine with a round of its own, expects a refusal, and checks that nothing was
/// written.
fn refused(path: &Path) -> BackupError {
    refused_with(path, &LIMITS)
}

fn refused_with(path: &Path, limits: &Limits) -> BackupError {
    let mut conn = machine();
    let before = dump(&conn);
    let err = crate::restore::restore_with(&mut conn, path, &mut go, limits).expect_err("the backup must be refused");
    assert_eq!(dump(&conn), before, "a refused backup must leave the database as it was ({err})");
    err
}

/// Each entry: (name, bytes).
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
        let method = if name.starts_with("materials/") { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        z.start_file(name.as_str(), SimpleFileOptions::default().compression_method(method)).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

fn manifest_of(entries: &[(String, Vec<u8>)]) -> Manifest {
    crate::manifest::read(&entries.iter().find(|(n, _)| n == MANIFEST_ENTRY).unwrap().1).unwrap().manifest
}

/// Replaces the manifest, sealed again.
fn set_manifest(entries: &mut [(String, Vec<u8>)], m: &Manifest) {
    entries.iter_mut().find(|(n, _)| n == MANIFEST_ENTRY).unwrap().1 = m.to_file_text().into_bytes();
}

/// Rewrites the backup with entry `name` changed by `f`, the manifest made to match (size, SHA-256, seal):
/// a file a tamperer who knows the format would make.
fn with_consistent_entry(path: &Path, name: &str, f: impl FnOnce(&mut Vec<u8>)) {
    let mut e = entries_of(path);
    let bytes = &mut e.iter_mut().find(|(n, _)| n == name).unwrap().1;
    f(bytes);
    let (size, sha) = (bytes.len() as u64, sha256_hex(bytes));
    let mut m = manifest_of(&e);
    let entry = m.entries.iter_mut().find(|x| x.name == name).unwrap();
    (entry.size, entry.sha256) = (size, sha);
    set_manifest(&mut e, &m);
    write_zip(path, &e);
}

/// A fresh backup in its own folder under `dir`.
fn fresh(dir: &Path, n: &mut usize) -> PathBuf {
    *n += 1;
    let sub = dir.join(format!("f{n}"));
    std::fs::create_dir(&sub).unwrap();
    backed_up(&sub).2
}

#[test]
fn one_changed_byte_in_any_entry_is_refused_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, path) = backed_up(dir.path());
    let original = entries_of(&path);
    assert!(original.len() >= 10, "{}", original.len());
    for (i, (name, bytes)) in original.iter().enumerate() {
        let mut e = original.clone();
        let at = bytes.len() / 2;
        e[i].1[at] ^= 0x01;
        let bad = dir.path().join("bad.pingshen-backup");
        write_zip(&bad, &e);
        let err = refused(&bad);
        if name == MANIFEST_ENTRY {
            assert!(matches!(err, BackupError::ManifestTampered), "{name}: {err:?}");
            assert_eq!(err.to_string(), "备份文件的清单（manifest.json）与校验值不符，文件可能已被改动或损坏；请使用另一份备份");
        } else {
            assert!(matches!(&err, BackupError::EntryMismatch { entry } if entry == name), "{name}: {err:?}");
            assert_eq!(err.to_string(), format!("备份文件中的 {name} 与清单记录的校验值不符，文件可能已被改动或损坏；请使用另一份备份"));
        }
    }
    // A byte of a stored material changed in the file itself (the zip's CRC no longer matches either).
    let material = original.iter().find(|(n, _)| n.starts_with("materials/")).unwrap();
    let mut raw = std::fs::read(&path).unwrap();
    let at = raw.windows(64).position(|w| w == &material.1[100..164]).unwrap();
    raw[at] ^= 0x80;
    let bad = dir.path().join("raw.pingshen-backup");
    std::fs::write(&bad, raw).unwrap();
    let err = refused(&bad);
    assert!(matches!(&err, BackupError::EntryMismatch { entry } if *entry == material.0), "{err:?}");
}

#[test]
fn a_truncated_file_or_no_backup_at_all_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (source, sid, path) = backed_up(dir.path());
    let raw = std::fs::read(&path).unwrap();
    for len in [raw.len() - 1, raw.len() - 30, raw.len() / 2, 100, 2] {
        let cut = dir.path().join(format!("cut{len}.pingshen-backup"));
        std::fs::write(&cut, &raw[..len]).unwrap();
        let err = refused(&cut);
        assert!(matches!(err, BackupError::Damaged), "{len}: {err:?}");
        assert_eq!(err.to_string(), "备份文件已损坏或不完整（可能没有复制完整），无法读取；请重新复制备份文件，或使用另一份备份");
    }

    let text = dir.path().join("text.pingshen-backup");
    std::fs::write(&text, "这不是备份").unwrap();
    let err = refused(&text);
    assert!(matches!(err, BackupError::NotBackup), "{err:?}");
    assert!(err.to_string().contains("扩展名为 .pingshen-backup"), "{err}");
    let empty = dir.path().join("empty.pingshen-backup");
    std::fs::write(&empty, "").unwrap();
    assert!(matches!(refused(&empty), BackupError::NotBackup));
    let pdf = dir.path().join("x.pdf");
    std::fs::write(&pdf, &entries_of(&path).iter().find(|(n, _)| n.starts_with("materials/")).unwrap().1).unwrap();
    assert!(matches!(refused(&pdf), BackupError::NotBackup));
    let other_zip = dir.path().join("other.zip");
    write_zip(&other_zip, &[("readme.txt".into(), b"hello".to_vec())]);
    assert!(matches!(refused(&other_zip), BackupError::NotBackup));
    let other_json = dir.path().join("other-json.zip");
    write_zip(&other_json, &[("manifest.json".into(), b"{\"format\":\"something-else\"}\n".to_vec())]);
    assert!(matches!(refused(&other_json), BackupError::NotBackup));
    assert!(matches!(inspect(&text), Err(BackupError::NotBackup)));

    // A round file (评审包) is not a backup, and says so.
    let round_file = dir.path().join("r.pingshen-round");
    pingshen_handout::export(&source, sid, &round_file, AT, &mut go).unwrap();
    let err = refused(&round_file);
    assert!(matches!(err, BackupError::RoundFile), "{err:?}");
    assert_eq!(err.to_string(), "这是评审包（.pingshen-round），不是备份文件；评审包请用“打开评审包”打开");
}

#[test]
fn a_backup_of_a_newer_format_or_schema_is_refused_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, path) = backed_up(dir.path());
    let original = entries_of(&path);
    let patched = |f: &dyn Fn(&mut Manifest), seal: bool| -> PathBuf {
        let mut e = original.clone();
        let mut m = manifest_of(&e);
        f(&mut m);
        if seal {
            set_manifest(&mut e, &m);
        } else {
            // The member changed in the text, the hash left as it was.
            let text = String::from_utf8(e[0].1.clone()).unwrap();
            let old = manifest_of(&original);
            let text = text
                .replacen(&format!("\"format_version\":{}", old.format_version), &format!("\"format_version\":{}", m.format_version), 1)
                .replacen(&format!("\"schema_version\":{}", old.schema_version), &format!("\"schema_version\":{}", m.schema_version), 1);
            e[0].1 = text.into_bytes();
        }
        let p = dir.path().join(format!("v{}-{}-{seal}.pingshen-backup", m.format_version, m.schema_version));
        write_zip(&p, &e);
        p
    };
    for seal in [true, false] {
        let err = refused(&patched(&|m| m.format_version = 2, seal));
        assert!(matches!(&err, BackupError::NewerFormat { found } if found == "2"), "{err:?}");
        assert_eq!(err.to_string(), "备份文件由更新版本的评审台写出（备份格式第 2 版，本软件只能读取第 1 版），请升级评审台后再恢复");
        let err = refused(&patched(&|m| m.schema_version = SCHEMA_VERSION + 1, seal));
        assert!(
            matches!(err, BackupError::NewerSchema { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
            "{err:?}"
        );
        assert!(err.to_string().ends_with("请升级评审台后再恢复"), "{err}");
        assert!(matches!(inspect(&patched(&|m| m.schema_version = SCHEMA_VERSION + 1, seal)), Err(BackupError::NewerSchema { .. })));
    }
    // Older than the format itself: no such backup was ever written.
    let err = refused(&patched(&|m| m.schema_version = 6, true));
    assert!(matches!(err, BackupError::Malformed { .. }), "{err:?}");
}

#[test]
fn a_round_this_machine_has_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (mut source, sid, path) = backed_up(dir.path());
    let before = dump(&source);
    let err = restore(&mut source, &path, &mut go).unwrap_err();
    assert!(matches!(&err, BackupError::RoundExists { name, .. } if name == NAME), "{err:?}");
    let uid = rounds::get(&source, sid).unwrap().uid;
    assert_eq!(
        err.to_string(),
        format!("本机已有这个评审批次（「{NAME}」，批次标识 {uid}），备份不会覆盖它，本机数据没有任何改动；备份只能恢复到没有这个批次的电脑上。如要把本机的这个批次退回到较早的状态，请使用“数据库自动备份”")
    );
    assert_eq!(dump(&source), before);

    // Restored once, refused the second time.
    let mut target = machine();
    restore(&mut target, &path, &mut go).unwrap();
    let before = dump(&target);
    assert!(matches!(restore(&mut target, &path, &mut go), Err(BackupError::RoundExists { .. })));
    assert_eq!(dump(&target), before);
}

#[test]
fn a_missing_or_an_extra_entry_is_refused_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, path) = backed_up(dir.path());
    let original = entries_of(&path);
    let material = original.iter().find(|(n, _)| n.starts_with("materials/")).unwrap().0.clone();
    let pages = original.iter().find(|(n, _)| n.starts_with("pages/")).unwrap().0.clone();
    for missing in ["sheets.json".to_string(), "audit.json".into(), material.clone(), pages] {
        let mut e = original.clone();
        e.retain(|(n, _)| *n != missing);
        let p = dir.path().join("missing.pingshen-backup");
        write_zip(&p, &e);
        let err = refused(&p);
        assert!(matches!(&err, BackupError::EntryMissing { entry } if *entry == missing), "{missing}: {err:?}");
        assert_eq!(err.to_string(), format!("备份文件不完整：缺少清单中列出的 {missing}；请重新复制备份文件，或使用另一份备份"));
    }
    for extra in ["extra.txt", "materials/999999", "pages/999999.json"] {
        let mut e = original.clone();
        e.push((extra.to_string(), b"x".to_vec()));
        let p = dir.path().join("extra.pingshen-backup");
        write_zip(&p, &e);
        let err = refused(&p);
        assert!(matches!(&err, BackupError::UnexpectedEntry { entry } if entry == extra), "{extra}: {err:?}");
    }
    // Listed in a sealed manifest but no material of the round: the data does not fit.
    let mut e = original.clone();
    e.push(("materials/999999".into(), b"%PDF".to_vec()));
    let mut m = manifest_of(&e);
    m.entries.push(crate::manifest::Entry { name: "materials/999999".into(), size: 4, sha256: sha256_hex(b"%PDF") });
    m.counts.materials += 1;
    set_manifest(&mut e, &m);
    let p = dir.path().join("listed.pingshen-backup");
    write_zip(&p, &e);
    assert!(matches!(refused(&p), BackupError::Malformed { .. }));
}

/// Writes the backup again with one more entry, then renames it in the raw bytes (same length): the zip
/// writer would not write such a name itself.
fn with_raw_entry(path: &Path, name: &str, bytes: &[u8], method: CompressionMethod) {
    let placeholder: String = "@PH@".repeat(name.len()).chars().take(name.len()).collect();
    let mut e = entries_of(path);
    e.push((placeholder.clone(), Vec::new()));
    let mut z = ZipWriter::new(std::fs::File::create(path).unwrap());
    for (n, b) in &e {
        if *n == placeholder {
            z.start_file(n.as_str(), SimpleFileOptions::default().compression_method(method)).unwrap();
            z.write_all(bytes).unwrap();
        } else {
            let m = if n.starts_with("materials/") { CompressionMethod::Stored } else { CompressionMethod::Deflated };
            z.start_file(n.as_str(), SimpleFileOptions::default().compression_method(m)).unwrap();
            z.write_all(b).unwrap();
        }
    }
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
fn unsafe_zip_entries_and_zip_bombs_are_refused_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;

    let path = fresh(dir.path(), &mut n);
    with_raw_entry(&path, "/etc/cron.d/pw", b"x", CompressionMethod::Stored);
    let err = refused(&path);
    assert!(matches!(&err, BackupError::UnsafePath { entry, .. } if entry == "/etc/cron.d/pw"), "{err:?}");
    assert_eq!(err.to_string(), "备份文件中的 /etc/cron.d/pw 的路径不安全（使用了绝对路径），已拒绝恢复；请使用另一份备份");

    let path = fresh(dir.path(), &mut n);
    with_raw_entry(&path, "materials/../../x", b"x", CompressionMethod::Stored);
    let err = refused(&path);
    assert!(matches!(&err, BackupError::UnsafePath { entry, .. } if entry == "materials/../../x"), "{err:?}");
    assert!(err.to_string().contains("含有 .."), "{err}");

    let path = fresh(dir.path(), &mut n);
    with_raw_entry(&path, "pages\\1.json", b"x", CompressionMethod::Stored);
    assert!(matches!(refused(&path), BackupError::UnsafePath { reason: "含有反斜杠", .. }));

    // A link.
    let path = fresh(dir.path(), &mut n);
    let e: Vec<_> = entries_of(&path).into_iter().filter(|(n, _)| !n.starts_with("materials/")).collect();
    let link = dir.path().join("link.pingshen-backup");
    let mut z = ZipWriter::new(std::fs::File::create(&link).unwrap());
    for (name, b) in &e {
        z.start_file(name.as_str(), SimpleFileOptions::default()).unwrap();
        z.write_all(b).unwrap();
    }
    z.add_symlink("materials/7", "/etc/passwd", SimpleFileOptions::default()).unwrap();
    z.finish().unwrap();
    let err = refused(&link);
    assert!(matches!(&err, BackupError::Link { entry } if entry == "materials/7"), "{err:?}");
    assert!(err.to_string().contains("链接"), "{err}");

    // Two entries of the same name.
    let path = fresh(dir.path(), &mut n);
    with_raw_entry(&path, "round.json", b"{}", CompressionMethod::Deflated);
    let err = refused(&path);
    assert!(matches!(err, BackupError::DuplicateEntries), "{err:?}");

    // Encrypted: the general-purpose flag bit 0 set in both headers of sheets.json.
    let path = fresh(dir.path(), &mut n);
    let mut raw = std::fs::read(&path).unwrap();
    let name = b"sheets.json";
    let (mut hits, mut from) = (0, 0);
    while let Some(at) = raw[from..].windows(name.len()).position(|w| w == name) {
        let at = from + at;
        if at >= 46 && raw[at - 46..at - 42] == *b"PK\x01\x02" {
            raw[at - 46 + 8] |= 1;
            hits += 1;
        } else if at >= 30 && raw[at - 30..at - 26] == *b"PK\x03\x04" {
            raw[at - 30 + 6] |= 1;
            hits += 1;
        }
        from = at + 1;
    }
    assert_eq!(hits, 2);
    std::fs::write(&path, raw).unwrap();
    let err = refused(&path);
    assert!(matches!(&err, BackupError::Encrypted { entry } if entry == "sheets.json"), "{err:?}");

    // A zip bomb: 8 MiB of zeros deflated to a few KiB.
    let path = fresh(dir.path(), &mut n);
    with_raw_entry(&path, "materials/424242", &vec![0u8; 8 << 20], CompressionMethod::Deflated);
    let err = refused(&path);
    assert!(matches!(&err, BackupError::CompressionRatio { entry, limit: 100, .. } if entry == "materials/424242"), "{err:?}");
    assert!(err.to_string().contains("压缩比异常"), "{err}");

    // Over the limit of an entry, and of all of them together (lower limits than the real ones).
    let path = fresh(dir.path(), &mut n);
    let err = refused_with(&path, &Limits { material: 1000, ..LIMITS });
    assert!(matches!(&err, BackupError::TooLarge { entry, limit: 1000, .. } if entry.starts_with("materials/")), "{err:?}");
    assert!(err.to_string().contains("超过上限 1000 字节"), "{err}");
    let err = refused_with(&path, &Limits { tables: 100, ..LIMITS });
    assert!(matches!(&err, BackupError::TooLarge { entry, limit: 100, .. } if entry == "round.json"), "{err:?}");
    let err = refused_with(&path, &Limits { total: 10_000, ..LIMITS });
    assert!(matches!(err, BackupError::TotalTooLarge { limit: 10_000, .. }), "{err:?}");
    assert!(err.to_string().starts_with("备份文件解压后共有"), "{err}");
    const { assert!(LIMITS.material >= 512 << 20 && LIMITS.total >= 32 << 30 && LIMITS.ratio == 100) };
}

#[test]
fn data_that_does_not_fit_is_refused_even_when_every_hash_matches() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    // (entry, text replaced once, by, what the refusal says)
    let cases = [
        ("sheets.json", "{\"sheet\":[{\"id\":", "{\"sheet\":[{\"id\":99999999,\"x\":", "sheet 表"),
        ("sheets.json", "\"score\":[{\"sheet_id\":", "\"score\":[{\"sheet_id\":99999999,\"y\":", "score 表"),
        ("round.json", "\"uid\":\"", "\"uid\":\"0", "与清单记录的不同"),
        ("audit.json", "\"entity\":\"round:", "\"entity\":\"round:9", "审计日志"),
        ("audit.json", "\"entity\":\"", "\"entity\":\"rubric:1", "审计日志"),
        ("round.json", "{\"round\":[", "{\"rounds\":[],\"round\":[", "不认识的表"),
        ("round.json", "\"phone\":\"", "\"phone\":12,\"x\":\"", "expert 表"),
        ("sheets.json", "\"tenths\":", "\"tenths\":\"9\",\"z\":", "score 表"),
        ("sheets.json", "\"status\":\"submitted\"", "\"status\":\"draft\"", "数量"),
        ("round.json", "step = 0.5", "step = 0.3", "评分标准"),
    ];
    for (entry, from, to, says) in cases {
        let path = fresh(dir.path(), &mut n);
        with_consistent_entry(&path, entry, |b| {
            let text = String::from_utf8(b.clone()).unwrap();
            assert!(text.contains(from), "{from}");
            *b = text.replacen(from, to, 1).into_bytes();
        });
        let err = refused(&path);
        assert!(matches!(err, BackupError::Malformed { .. }), "{entry}: {err:?}");
        assert!(err.to_string().contains(says), "{err}");
        assert!(err.to_string().starts_with("备份文件的内容有误：") && err.to_string().ends_with("请使用另一份备份"), "{err}");
    }
}

#[test]
fn cancelling_a_restore_or_a_backup_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (source, sid, path) = backed_up(dir.path());
    // How many times a restore reports.
    let mut calls = 0;
    restore(&mut pingshen_store::open_in_memory().unwrap(), &path, &mut |_: &Progress| {
        calls += 1;
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(calls > 10, "{calls}");
    for stop in [1, 2, 4, calls / 2, calls - 1, calls] {
        let mut conn = machine();
        let before = dump(&conn);
        let mut n = 0;
        let err = restore(&mut conn, &path, &mut |_: &Progress| {
            n += 1;
            if n >= stop {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap_err();
        assert!(matches!(err, BackupError::Cancelled), "{stop}: {err:?}");
        assert_eq!(err.to_string(), "已取消，没有做任何改动");
        assert_eq!(dump(&conn), before, "cancelled at report {stop} of {calls}");
    }

    let out = dir.path().join("cancelled.pingshen-backup");
    let log = audit::for_round(&source, sid).unwrap().len();
    for stop in [1, 3, 8] {
        let mut n = 0;
        let err = write(&source, sid, &out, AT, &mut |_: &Progress| {
            n += 1;
            if n >= stop {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap_err();
        assert!(matches!(err, BackupError::Cancelled), "{err:?}");
        assert!(!out.exists() && !dir.path().join("cancelled.pingshen-backup.part").exists(), "no file, no .part");
    }
    assert_eq!(audit::for_round(&source, sid).unwrap().len(), log, "a cancelled backup is not logged");
}

#[test]
fn a_damaged_material_on_this_machine_is_not_backed_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let id = full_round(&mut conn, NAME);
    let (m, file): (i64, String) = conn
        .query_row(
            "SELECT m.id, m.file FROM material m JOIN application a ON a.id = m.application_id WHERE a.round_id = ?1 AND a.code = 'A02' LIMIT 1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    conn.execute("UPDATE material SET content = CAST('damaged' AS BLOB) WHERE id = ?1", [m]).unwrap();
    let out = dir.path().join("x.pingshen-backup");
    let err = write(&conn, id, &out, AT, &mut go).unwrap_err();
    assert!(matches!(&err, BackupError::StoredMaterialDamaged { code, file: f } if code == "A02" && *f == file), "{err:?}");
    assert!(err.to_string().contains("没有写出备份文件"), "{err}");
    assert!(!out.exists() && !dir.path().join("x.pingshen-backup.part").exists());
    assert!(matches!(write(&conn, 999, &out, AT, &mut go), Err(BackupError::Store(StoreError::NotFound { .. }))));
}

#[test]
fn every_table_of_the_schema_is_in_the_backup_or_named_as_not_a_rounds() {
    let conn = pingshen_store::open_in_memory().unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let backed_up: Vec<&Table> = ROUND_TABLES.iter().chain(SHEETS_TABLES).chain([&PAGES_TABLE]).collect();
    for t in &tables {
        let known = backed_up.iter().any(|b| b.name == t) || t == crate::tables::AUDIT_TABLE || NOT_A_ROUNDS.contains(&t.as_str());
        assert!(known, "table {t} (a new migration?) is neither backed up nor named as not a round's: add it to crates/backup/src/tables.rs");
    }
    // Every reference to another row is renumbered, and every table with ids of its own says what happens to them.
    let key_of = |table: &str, column: &str| match (table, column) {
        ("round", "id") => Some(Key::Round),
        ("expert", "id") | ("assignment", "expert_id") => Some(Key::Expert),
        ("application", "id") | ("assignment", "application_id") => Some(Key::Application),
        ("material", "id") => Some(Key::Material),
        ("sheet", "id") => Some(Key::Sheet),
        ("reconsideration", "id") => Some(Key::Reconsideration),
        ("site_visit", "id") => Some(Key::SiteVisit),
        ("site_visit_finding", "id") => Some(Key::SiteVisitFinding),
        _ => None,
    };
    for t in &backed_up {
        let fks: Vec<(String, String, String)> = conn
            .prepare(&format!("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('{}')", t.name))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for (from, table, to) in fks {
            let want = key_of(&table, &to).unwrap_or_else(|| panic!("{}.{from} refers to {table}.{to}", t.name));
            assert!(t.refs.contains(&(from.as_str(), want)), "{}.{from} refers to {table}.{to} but is not renumbered", t.name);
        }
        let has_id = crate::tables::columns(&conn, t.name).unwrap().iter().any(|(c, _)| c == "id");
        assert_eq!(has_id, t.id != Id::None, "{}", t.name);
        if let Id::Kept(k) = t.id {
            assert_eq!(key_of(t.name, "id"), Some(k), "{}", t.name);
        }
    }
}

#[test]
fn a_value_the_format_cannot_hold_is_not_backed_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = pingshen_store::open_in_memory().unwrap();
    let id = full_round(&mut conn, NAME);
    rounds::reopen(&conn, id, "修正数据", "统分人").unwrap();
    // A fraction where the schema keeps integer tenths (only a hand-made change could store one).
    conn.execute("UPDATE score SET tenths = 4.5 WHERE rowid = (SELECT min(rowid) FROM score)", []).unwrap();
    let out = dir.path().join("x.pingshen-backup");
    let log = audit::for_round(&conn, id).unwrap().len();
    let err = write(&conn, id, &out, AT, &mut go).unwrap_err();
    assert!(matches!(&err, BackupError::Unbackupable { table, column, kind: "小数" } if table == "score" && column == "tenths"), "{err:?}");
    assert_eq!(err.to_string(), "评审批次的数据中有无法备份的值（score 表的 tenths 列：小数），没有写出备份文件；请联系技术支持");
    assert!(!out.exists() && !dir.path().join("x.pingshen-backup.part").exists());
    assert_eq!(audit::for_round(&conn, id).unwrap().len(), log);
}
