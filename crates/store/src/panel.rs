//! A round as consolidation sees it: every expert and application by code, a cell per submitted sheet and
//! per recusal. Drafts do not count (only submitted sheets are valid).

use std::collections::BTreeMap;

use pingshen_core::consolidation::{Cell, Entry, PanelInput, Sheet};
use pingshen_core::Tenths;
use rusqlite::Connection;

use crate::Result;

/// Reads the panel input of a round in three queries.
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
            None => sheets.entry(id).or_insert((r.get(1)?, r.get(2)?, Sheet { scores: Vec::new(), deduction: Tenths(r.get(5)?) })),
        };
        entry.2.scores.push((r.get(3)?, Tenths(r.get(4)?)));
    }
    cells.extend(sheets.into_values().map(|(expert, application, sheet)| Cell { expert, application, entry: Entry::Sheet(sheet) }));
    Ok(PanelInput { experts, applications, cells, resolutions: Vec::new() })
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
            },
            "测试",
        )
        .unwrap();
        let rubric = rounds::rubric(&conn, rid).unwrap();
        let id = |table: &str, code: &str| -> i64 {
            conn.query_row(&format!("SELECT id FROM {table} WHERE code = ?1"), [code], |r| r.get(0)).unwrap()
        };
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
