//! The append-only audit log (the database refuses updates and deletes of it).

use rusqlite::{params, Connection};

use crate::Result;

/// One entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub detail: String,
}

/// Appends an entry.
pub fn append(conn: &Connection, actor: &str, action: &str, entity: &str, detail: &str) -> Result<()> {
    conn.execute("INSERT INTO audit_log (actor, action, entity, detail) VALUES (?1, ?2, ?3, ?4)", params![actor, action, entity, detail])?;
    Ok(())
}

/// Every entry, oldest first.
pub fn list(conn: &Connection) -> Result<Vec<AuditEntry>> {
    let mut st = conn.prepare("SELECT id, at, actor, action, entity, detail FROM audit_log ORDER BY id")?;
    let rows = st.query_map([], |r| {
        Ok(AuditEntry { id: r.get(0)?, at: r.get(1)?, actor: r.get(2)?, action: r.get(3)?, entity: r.get(4)?, detail: r.get(5)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The entries that concern a round, oldest first: those about the round itself (`round:ID`), its
/// applications (`application:ID`), experts (`expert:ID`), assignments (`assignment:EXPERT:APPLICATION`) and
/// sheets (`sheet:ID`). Only entries written since the round was created count, so that an id reused after a
/// deletion does not bring in another round's history.
pub fn for_round(conn: &Connection, round_id: i64) -> Result<Vec<AuditEntry>> {
    let mut st = conn.prepare(
        "SELECT id, at, actor, action, entity, detail FROM audit_log
         WHERE id >= coalesce((SELECT max(id) FROM audit_log WHERE action = 'create_round' AND entity = 'round:' || ?1), 0)
           AND (entity = 'round:' || ?1
             OR entity IN (SELECT 'application:' || id FROM application WHERE round_id = ?1)
             OR entity IN (SELECT 'expert:' || id FROM expert WHERE round_id = ?1)
             OR entity IN (SELECT 'assignment:' || s.expert_id || ':' || s.application_id
                           FROM assignment s JOIN application a ON a.id = s.application_id WHERE a.round_id = ?1)
             OR entity IN (SELECT 'sheet:' || sh.id FROM sheet sh JOIN application a ON a.id = sh.application_id WHERE a.round_id = ?1))
         ORDER BY id",
    )?;
    let rows = st.query_map([round_id], |r| {
        Ok(AuditEntry { id: r.get(0)?, at: r.get(1)?, actor: r.get(2)?, action: r.get(3)?, entity: r.get(4)?, detail: r.get(5)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What an action is called on paper and on screen (操作); an unknown action is shown as it is.
pub fn action_zh(action: &str) -> &str {
    match action {
        "create_round" => "创建评审批次",
        "add_expert" => "添加专家",
        "update_expert" => "修改专家信息",
        "remove_expert" => "删除专家",
        "import_experts" => "导入专家名单",
        "choose_expert" => "确认本机评审专家",
        "enter_form" => "录入推荐书",
        "import_application" => "导入申报材料",
        "sign_declaration" => "签署回避声明和承诺书",
        "recuse" => "登记回避",
        "unrecuse" => "撤销回避",
        "submit_sheet" => "提交评分表",
        "reopen_sheet" => "退回评分表",
        "resubmit_change" => "重新提交修改",
        "score_file_import" => "导入评分文件",
        "paper_import" => "导入纸质评分",
        "consolidation_settings" => "统分规则",
        "deduction_resolution" => "扣分决议",
        "flag_settlement" => "异常标记处理",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experts::{self, RecusalSource};
    use crate::rounds::{self, NewApplication, NewRound};
    use pingshen_core::application::Application;
    use pingshen_core::expert::Expert;

    fn round(conn: &mut Connection, name: &str) -> (i64, i64, i64) {
        let rid = rounds::create(
            conn,
            &NewRound {
                name: name.into(),
                rubric_text: include_str!("../../../rubrics/henan-2023/rubric.toml").into(),
                applications: vec![NewApplication { code: "A01".into(), application: Application::default(), materials: vec![] }],
                experts: vec![Expert { code: "E01".into(), name: "张三".into(), unit: "甲学院".into(), ..Default::default() }],
                is_sample: false,
                uid: None,
            },
            "统分人",
        )
        .unwrap();
        let e = experts::list(conn, rid).unwrap()[0].id;
        let a = crate::applications::list(conn, rid).unwrap()[0].id;
        (rid, e, a)
    }

    #[test]
    fn a_rounds_log_has_its_own_entries_in_order_and_no_other() {
        let mut conn = crate::open_in_memory().unwrap();
        let (r1, e1, a1) = round(&mut conn, "甲批次");
        let (r2, e2, a2) = round(&mut conn, "乙批次");
        experts::set_recused(&conn, e2, a2, true, "乙批次的回避", RecusalSource::Staff, "统分人").unwrap();
        crate::declarations::sign(&mut conn, e1, &[(a1, "甲批次的回避".into())], "").unwrap();
        let s = crate::sheets::open(&conn, e2, a2);
        assert!(s.is_err(), "recused");
        append(&conn, "统分人", "score_file_import", &format!("assignment:{e1}:{a1}"), "回避申报 A01").unwrap();
        append(&conn, "统分人", "other", "round:999", "别的批次").unwrap();
        experts::add(&mut conn, r1, &Expert { code: "E02".into(), name: "李四".into(), unit: "乙企业".into(), ..Default::default() }, "统分人")
            .unwrap();

        let log = for_round(&conn, r1).unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create_round", "recuse", "sign_declaration", "score_file_import", "add_expert"]);
        assert!(log.windows(2).all(|w| w[0].id < w[1].id));
        assert!(log.iter().all(|e| !e.detail.contains("乙批次")), "{log:?}");
        let other: Vec<String> = for_round(&conn, r2).unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(other, ["create_round", "recuse"]);
        assert_eq!(action_zh("reopen_sheet"), "退回评分表");
        assert_eq!(action_zh("something_new"), "something_new");
    }
}
