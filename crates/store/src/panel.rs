//! A round as consolidation sees it: every expert and application by code, a cell per submitted sheet (with
//! its veto proposals) and per recusal, the panel's resolutions on deductions and its decisions on 否定性指标.
//! Drafts do not count (only submitted sheets are valid).

use std::collections::BTreeMap;

use pingshen_core::consolidation::{Cell, Entry, PanelInput, Sheet};
use pingshen_core::opinion::Recommendation;
use pingshen_core::sheet::VetoProposal;
use pingshen_core::Tenths;
use rusqlite::{Connection, OptionalExtension};

use crate::{audit, Result, StoreError};

/// Reads the panel input of a round in five queries.
pub fn panel_input(conn: &Connection, round_id: i64) -> Result<PanelInput> {
    let codes = |sql: &str| -> Result<Vec<String>> {
        let mut st = conn.prepare(sql)?;
        let rows = st.query_map([round_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let experts = codes("SELECT code FROM expert WHERE round_id = ?1 ORDER BY code")?;
    let applications = codes("SELECT code FROM application WHERE round_id = ?1 ORDER BY code")?;

    let mut cells = Vec::new();
    let mut st = conn.prepare(
        "SELECT e.code, a.code FROM assignment s JOIN expert e ON e.id = s.expert_id JOIN application a ON a.id = s.application_id
         WHERE a.round_id = ?1 AND s.recused = 1",
    )?;
    for row in st.query_map([round_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (expert, application) = row?;
        cells.push(Cell { expert, application, entry: Entry::Recused });
    }

    // Submitted sheets with their scores and deduction, in sheet order.
    let mut st = conn.prepare(
        "SELECT sh.id, e.code, a.code, sc.item_code, sc.tenths, coalesce(d.tenths, 0)
         FROM sheet sh
         JOIN expert e ON e.id = sh.expert_id
         JOIN application a ON a.id = sh.application_id
         JOIN score sc ON sc.sheet_id = sh.id AND sc.tenths IS NOT NULL
         LEFT JOIN deduction d ON d.sheet_id = sh.id
         WHERE a.round_id = ?1 AND sh.status = 'submitted'
         ORDER BY sh.id",
    )?;
    let mut sheets: BTreeMap<i64, (String, String, Sheet)> = BTreeMap::new();
    let mut rows = st.query([round_id])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let entry = match sheets.get_mut(&id) {
            Some(e) => e,
            None => {
                sheets.entry(id).or_insert((r.get(1)?, r.get(2)?, Sheet { scores: Vec::new(), deduction: Tenths(r.get(5)?), vetoes: Vec::new() }))
            }
        };
        entry.2.scores.push((r.get(3)?, Tenths(r.get(4)?)));
    }
    // The veto proposals of those sheets, by code.
    let mut st = conn.prepare(
        "SELECT v.sheet_id, v.veto_code, v.reason FROM sheet_veto v JOIN sheet sh ON sh.id = v.sheet_id
         JOIN application a ON a.id = sh.application_id
         WHERE a.round_id = ?1 AND sh.status = 'submitted' ORDER BY v.sheet_id, v.veto_code",
    )?;
    let mut rows = st.query([round_id])?;
    while let Some(r) = rows.next()? {
        if let Some((_, _, sheet)) = sheets.get_mut(&r.get::<_, i64>(0)?) {
            sheet.vetoes.push(VetoProposal { veto: r.get(1)?, reason: r.get(2)? });
        }
    }
    cells.extend(sheets.into_values().map(|(expert, application, sheet)| Cell { expert, application, entry: Entry::Sheet(sheet) }));
    let resolutions = crate::settlements::resolutions(conn, round_id)?.into_iter().map(|r| r.resolution).collect();
    let vetoes = crate::settlements::veto_resolutions(conn, round_id)?.into_iter().map(|r| r.decision).collect();
    Ok(PanelInput { experts, applications, cells, resolutions, vetoes })
}

/// A 否定性指标 an expert proposes on a submitted sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VetoProposalRow {
    /// 申报编号
    pub application: String,
    /// 专家编号
    pub expert: String,
    pub veto: String,
    pub reason: String,
}

/// The 否定性指标 proposed on the round's submitted sheets, by application, expert and veto code.
pub fn veto_proposals(conn: &Connection, round_id: i64) -> Result<Vec<VetoProposalRow>> {
    let mut st = conn.prepare(
        "SELECT a.code, e.code, v.veto_code, v.reason FROM sheet_veto v
         JOIN sheet sh ON sh.id = v.sheet_id JOIN expert e ON e.id = sh.expert_id JOIN application a ON a.id = sh.application_id
         WHERE a.round_id = ?1 AND sh.status = 'submitted' ORDER BY a.code, e.code, v.veto_code",
    )?;
    let rows = st.query_map([round_id], |r| Ok(VetoProposalRow { application: r.get(0)?, expert: r.get(1)?, veto: r.get(2)?, reason: r.get(3)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The deductions proposed on submitted sheets, with their reasons: (application, expert, value, reason).
pub fn deduction_proposals(conn: &Connection, round_id: i64) -> Result<Vec<(String, String, Tenths, String)>> {
    let mut st = conn.prepare(
        "SELECT a.code, e.code, d.tenths, d.reason FROM deduction d
         JOIN sheet sh ON sh.id = d.sheet_id JOIN expert e ON e.id = sh.expert_id JOIN application a ON a.id = sh.application_id
         WHERE a.round_id = ?1 AND sh.status = 'submitted' AND d.tenths > 0 ORDER BY a.code, e.code",
    )?;
    let rows = st.query_map([round_id], |r| Ok((r.get(0)?, r.get(1)?, Tenths(r.get(2)?), r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The 推荐意见 of every submitted sheet of a round (not of a recused expert), as (application id, 推荐意见 if
/// given), by application then expert.
pub fn recommendations(conn: &Connection, round_id: i64) -> Result<Vec<(i64, Option<Recommendation>)>> {
    let mut st = conn.prepare(
        "SELECT sh.application_id, sh.recommendation FROM sheet sh
         JOIN application a ON a.id = sh.application_id
         JOIN assignment s ON s.expert_id = sh.expert_id AND s.application_id = sh.application_id
         WHERE a.round_id = ?1 AND sh.status = 'submitted' AND s.recused = 0 ORDER BY sh.application_id, sh.expert_id",
    )?;
    let rows = st.query_map([round_id], |r| Ok((r.get(0)?, crate::sheets::recommendation_of(r.get(1)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The 推荐意见 and 综合意见 of paper sheets, by (专家编号, 申报编号).
pub type PaperOpinions = BTreeMap<(String, String), (Option<Recommendation>, String)>;

/// What a paper-score import wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaperImport {
    pub sheets: usize,
    pub recusals: usize,
}

/// Writes the cells of a score spreadsheet typed in from paper into a round, in one transaction: each sheet
/// becomes a submitted sheet (version 1), each 回避 marks the assignment recused. Refused as a whole, changing
/// nothing, when a cell names an unknown expert or application, or a pair that already has a submitted sheet
/// (a submitted sheet is only replaced through its expert's re-submission).
/// `opinions` holds the 推荐意见 and 综合意见 typed on paper, by (专家编号, 申报编号), for the sheets that have them.
pub fn import_paper(conn: &mut Connection, round_id: i64, cells: &[Cell], opinions: &PaperOpinions, file: &str, actor: &str) -> Result<PaperImport> {
    let tx = conn.transaction()?;
    let id_of = |table: &str, code: &str| -> Result<Option<i64>> {
        Ok(tx
            .query_row(&format!("SELECT id FROM {table} WHERE round_id = ?1 AND code = ?2"), rusqlite::params![round_id, code], |r| r.get(0))
            .optional()?)
    };
    let mut problems = Vec::new();
    let mut done = PaperImport::default();
    for c in cells {
        let (Some(e), Some(a)) = (id_of("expert", &c.expert)?, id_of("application", &c.application)?) else {
            problems.push(format!("专家 {} 或申报 {} 不在本批次中", c.expert, c.application));
            continue;
        };
        let existing: Option<(i64, String)> = tx
            .query_row("SELECT id, status FROM sheet WHERE expert_id = ?1 AND application_id = ?2", [e, a], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((_, status)) = &existing {
            if status == "submitted" {
                problems.push(format!("专家 {} 对申报 {} 已有提交的评分表，不能用纸质评分覆盖", c.expert, c.application));
                continue;
            }
        }
        match &c.entry {
            Entry::Recused => {
                if let Some((id, _)) = existing {
                    tx.execute("DELETE FROM sheet WHERE id = ?1", [id])?;
                }
                tx.execute("UPDATE assignment SET recused = 1 WHERE expert_id = ?1 AND application_id = ?2", [e, a])?;
                done.recusals += 1;
            }
            Entry::Sheet(sheet) => {
                tx.execute("UPDATE assignment SET recused = 0 WHERE expert_id = ?1 AND application_id = ?2", [e, a])?;
                let id = match existing {
                    Some((id, _)) => id,
                    None => {
                        tx.execute("INSERT INTO sheet (expert_id, application_id) VALUES (?1, ?2)", [e, a])?;
                        tx.last_insert_rowid()
                    }
                };
                let scores: Vec<(&str, Tenths, &str)> = sheet.scores.iter().map(|(item, v)| (item.as_str(), *v, "")).collect();
                let deduction = (sheet.deduction != Tenths::ZERO).then_some((sheet.deduction, ""));
                let (recommendation, opinion) =
                    opinions.get(&(c.expert.clone(), c.application.clone())).map(|(r, o)| (*r, o.as_str())).unwrap_or((None, ""));
                crate::sheets::replace_content(&tx, id, &scores, deduction, &[], (recommendation, opinion))?;
                tx.execute(
                    "UPDATE sheet SET status = 'submitted', version = 1, submitted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
                    [id],
                )?;
                done.sheets += 1;
            }
        }
    }
    if !problems.is_empty() {
        return Err(StoreError::PaperScoresRefused { problems });
    }
    audit::append(
        &tx,
        actor,
        audit::Action::PaperImport,
        &format!("round:{round_id}"),
        &format!("导入纸质评分表 {file}：评分表 {} 份，回避 {} 处", done.sheets, done.recusals),
    )?;
    tx.commit()?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounds::{self, NewApplication, NewRound};
    use pingshen_core::application::Application;
    use pingshen_core::consolidation::{consolidate, Settings, Status};
    use pingshen_core::expert::Expert;

    const HENAN: &str = include_str!("../../../rubrics/henan-2023/rubric.toml");

    #[test]
    fn only_submitted_sheets_and_recusals_reach_consolidation() {
        let mut conn = crate::open_in_memory().unwrap();
        let app = |code: &str| NewApplication { code: code.into(), application: Application::default(), materials: vec![] };
        let expert = |code: &str| Expert { code: code.into(), name: code.into(), ..Default::default() };
        let rid = rounds::create(
            &mut conn,
            &NewRound {
                name: "统分".into(),
                rubric_text: HENAN.into(),
                applications: vec![app("A01"), app("A02")],
                experts: vec![expert("E01"), expert("E02")],
                is_sample: false,
                uid: None,
            },
            "测试",
        )
        .unwrap();
        let rubric = rounds::rubric(&conn, rid).unwrap();
        let id =
            |table: &str, code: &str| -> i64 { conn.query_row(&format!("SELECT id FROM {table} WHERE code = ?1"), [code], |r| r.get(0)).unwrap() };
        let (e1, e2, a1, a2) = (id("expert", "E01"), id("expert", "E02"), id("application", "A01"), id("application", "A02"));
        // E01 scores A01 fully (4 everywhere it can, else the maximum) and submits; E02 scores A01 but leaves it a draft.
        for (e, submit) in [(e1, true), (e2, false)] {
            let s = crate::sheets::open(&conn, e, a1).unwrap();
            for item in rubric.items() {
                crate::sheets::set_score(&conn, &rubric, s, &item.code, Some(item.points)).unwrap();
            }
            crate::sheets::set_deduction(&conn, &rubric, s, Some(Tenths(10)), "理由").unwrap();
            if submit {
                conn.execute("UPDATE sheet SET status = 'submitted' WHERE id = ?1", [s]).unwrap();
            }
        }
        conn.execute("UPDATE assignment SET recused = 1 WHERE expert_id = ?1 AND application_id = ?2", [e2, a2]).unwrap();

        let input = panel_input(&conn, rid).unwrap();
        assert_eq!(input.experts, ["E01", "E02"]);
        assert_eq!(input.applications, ["A01", "A02"]);
        assert_eq!(input.cells.len(), 2, "one submitted sheet and one recusal: {:?}", input.cells);
        let c = consolidate(&rubric, &Settings::default(), &input).unwrap();
        let a01 = c.applications.iter().find(|a| a.code == "A01").unwrap();
        assert_eq!((a01.status, a01.missing_experts.clone()), (Status::Incomplete, vec!["E02".to_string()]), "a draft is not a sheet");
        let a02 = c.applications.iter().find(|a| a.code == "A02").unwrap();
        assert_eq!((a02.recused.clone(), a02.missing_experts.clone()), (vec!["E02".to_string()], vec!["E01".to_string()]));
        let _ = a2;
    }
}
