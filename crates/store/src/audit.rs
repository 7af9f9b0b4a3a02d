//! The append-only audit log (the database refuses updates and deletes of it).

use rusqlite::{params, Connection};

use crate::Result;

/// Declares [`Action`] from one table: each action's variant, its stored token and its Chinese wording,
/// written once, so that an action cannot exist without its wording.
macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident = $token:literal => $zh:literal,)+) => {
        /// What an audit entry records. Stored as its token ([`Action::as_str`], the `action` column),
        /// shown and printed in words ([`Action::zh`], 操作).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Action {
            $($(#[$doc])* $variant,)+
        }

        impl Action {
            /// Every action, in the order of the table.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)+];

            /// The token stored in `audit_log.action`. Never change one: databases keep them.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Action::$variant => $token,)+
                }
            }

            /// What the action is called on screen and on the printed 审计日志 (操作).
            pub fn zh(self) -> &'static str {
                match self {
                    $(Action::$variant => $zh,)+
                }
            }
        }
    };
}

actions! {
    /// A round was created (`rounds::create`), also when opened from a round file.
    CreateRound = "create_round" => "创建评审批次",
    /// An expert was added to a round's list.
    AddExpert = "add_expert" => "添加专家",
    /// An expert's code, name, unit or other details were changed.
    UpdateExpert = "update_expert" => "修改专家信息",
    /// An expert without sheets was removed.
    RemoveExpert = "remove_expert" => "删除专家",
    /// An expert list (专家名单) was imported.
    ImportExperts = "import_experts" => "导入专家名单",
    /// The laptop's expert was chosen (`handout::choose_expert`).
    ChooseExpert = "choose_expert" => "确认本机评审专家",
    /// The key fields of a scanned 推荐书 were typed in.
    EnterForm = "enter_form" => "录入推荐书",
    /// An application package was added to a round.
    ImportApplication = "import_application" => "导入申报材料",
    /// An expert signed the 回避声明 and 承诺书.
    SignDeclaration = "sign_declaration" => "签署回避声明和承诺书",
    /// A recusal was recorded.
    Recuse = "recuse" => "登记回避",
    /// A recusal was withdrawn.
    Unrecuse = "unrecuse" => "撤销回避",
    /// A sheet was submitted.
    SubmitSheet = "submit_sheet" => "提交评分表",
    /// A submitted sheet was reopened (退回), with the reason.
    ReopenSheet = "reopen_sheet" => "退回评分表",
    /// One change of a re-submitted sheet from its version before.
    ResubmitChange = "resubmit_change" => "重新提交修改",
    /// A score file was imported (one entry per sheet, recusal and declaration, and one for the file).
    ScoreFileImport = "score_file_import" => "导入评分文件",
    /// Paper scores were imported from a spreadsheet.
    PaperImport = "paper_import" => "导入纸质评分",
    /// The round's consolidation settings were set.
    ConsolidationSettings = "consolidation_settings" => "统分规则",
    /// The panel resolved an application's deduction.
    DeductionResolution = "deduction_resolution" => "扣分决议",
    /// A flag was settled (an expert's reason or a panel resolution).
    FlagSettlement = "flag_settlement" => "异常标记处理",
    /// A round was opened on this machine from a round file (评审包; `pingshen-handout`).
    OpenRoundFile = "open_round_file" => "打开评审包",
    /// A round file of the round was written (handed out): from then on its settings change only with a reason.
    ExportRoundFile = "export_round_file" => "导出评审包",
    /// The round's name or settings (organiser, year, deadline, quota) were changed.
    UpdateRound = "update_round" => "修改评审批次",
    /// The round was closed (结束评审): read-only from then on.
    CloseRound = "close_round" => "结束评审",
    /// A closed round was opened again, with the reason.
    ReopenRound = "reopen_round" => "重新开启评审",
    /// A round without submitted sheets was deleted.
    DeleteRound = "delete_round" => "删除评审批次",
    /// A rubric was added to the rubric library.
    ImportRubric = "import_rubric" => "导入评分标准",
    /// A rubric was removed from the rubric library.
    RemoveRubric = "remove_rubric" => "删除评分标准",
    /// The panel decided whether a veto item (否定性指标) stands for an application.
    VetoResolution = "veto_resolution" => "否定性指标决议",
    /// A backup of the round was written (备份本批次).
    BackupRound = "backup_round" => "备份评审批次",
    /// The round was restored from a backup.
    RestoreRound = "restore_round" => "恢复评审批次",
    /// The 推荐名额 / 最低分数线 of the round's 推荐名单 were set.
    RecommendationLine = "recommendation_line" => "设定推荐名额与分数线",
    /// The 公示 settings (order, period, contact, publishing unit) were set.
    RecommendationPublicity = "recommendation_publicity" => "设定公示信息",
    /// The panel decided a tie at the places line (专家组决定).
    RecommendationTie = "recommendation_tie" => "同分专家组决定",
    /// The 推荐名单 was confirmed (frozen).
    ConfirmRecommendation = "confirm_recommendation" => "确认推荐名单",
    /// A confirmed 推荐名单 was reopened, with the reason.
    ReopenRecommendation = "reopen_recommendation" => "重新打开推荐名单",
    /// The 组长 opened a 复议 (applications, points, reason).
    OpenReconsideration = "open_reconsideration" => "发起复议",
    /// A score changed under a 复议: first value, reconsidered value, reason.
    ReconsiderScore = "reconsider_score" => "复议改分",
    /// The 组长 closed a 复议.
    CloseReconsideration = "close_reconsideration" => "结束复议",
    /// The round's 组长 was set, changed or cleared (the expert list, or an import's 角色 column).
    SetLeader = "set_leader" => "设定组长",
    /// The 组长 saved a version of the 专家组意见 on an application.
    PanelOpinion = "panel_opinion" => "填写专家组意见",
    /// A 实地考察 record was saved (new or changed).
    SiteVisit = "site_visit" => "记录实地考察",
    /// A 实地考察 record was deleted.
    DeleteSiteVisit = "delete_site_visit" => "删除实地考察记录",
    /// A 不属实 finding of a 实地考察 was proposed as a 否定性指标 (for the panel to decide).
    SiteVisitVetoProposal = "site_visit_veto_proposal" => "实地考察提议否定性指标",
}

impl Action {
    /// The action stored as `token`; `None` for a token this build does not know (written by a newer one).
    pub fn parse(token: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.as_str() == token)
    }
}

/// One entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// The stored token ([`Action::as_str`]); kept as text so that a token written by a newer version of
    /// the app still reads ([`AuditEntry::action`] is then `None`).
    pub action: String,
    pub entity: String,
    pub detail: String,
}

impl AuditEntry {
    /// The entry's action, if this build knows its token.
    pub fn action(&self) -> Option<Action> {
        Action::parse(&self.action)
    }

    /// What the entry's action is called on screen and on paper (操作): [`Action::zh`], or
    /// `未知操作（token）` for a token this build does not know.
    pub fn action_zh(&self) -> String {
        match self.action() {
            Some(a) => a.zh().to_string(),
            None => format!("未知操作（{}）", self.action),
        }
    }
}

/// Appends an entry.
pub fn append(conn: &Connection, actor: &str, action: Action, entity: &str, detail: &str) -> Result<()> {
    conn.execute("INSERT INTO audit_log (actor, action, entity, detail) VALUES (?1, ?2, ?3, ?4)", params![actor, action.as_str(), entity, detail])?;
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
         WHERE id >= coalesce((SELECT max(id) FROM audit_log WHERE action = ?2 AND entity = 'round:' || ?1), 0)
           AND (entity = 'round:' || ?1
             OR entity IN (SELECT 'application:' || id FROM application WHERE round_id = ?1)
             OR entity IN (SELECT 'expert:' || id FROM expert WHERE round_id = ?1)
             OR entity IN (SELECT 'assignment:' || s.expert_id || ':' || s.application_id
                           FROM assignment s JOIN application a ON a.id = s.application_id WHERE a.round_id = ?1)
             OR entity IN (SELECT 'sheet:' || sh.id FROM sheet sh JOIN application a ON a.id = sh.application_id WHERE a.round_id = ?1))
         ORDER BY id",
    )?;
    let rows = st.query_map(params![round_id, Action::CreateRound.as_str()], |r| {
        Ok(AuditEntry { id: r.get(0)?, at: r.get(1)?, actor: r.get(2)?, action: r.get(3)?, entity: r.get(4)?, detail: r.get(5)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
        append(&conn, "统分人", Action::ScoreFileImport, &format!("assignment:{e1}:{a1}"), "回避申报 A01").unwrap();
        append(&conn, "统分人", Action::ConsolidationSettings, "round:999", "别的批次").unwrap();
        experts::add(&mut conn, r1, &Expert { code: "E02".into(), name: "李四".into(), unit: "乙企业".into(), ..Default::default() }, "统分人")
            .unwrap();

        let log = for_round(&conn, r1).unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create_round", "recuse", "sign_declaration", "score_file_import", "add_expert"]);
        assert!(log.windows(2).all(|w| w[0].id < w[1].id));
        assert!(log.iter().all(|e| !e.detail.contains("乙批次")), "{log:?}");
        let other: Vec<String> = for_round(&conn, r2).unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(other, ["create_round", "recuse"]);
    }

    #[test]
    fn every_action_has_its_own_token_and_wording_and_reads_back() {
        let mut tokens = std::collections::HashSet::new();
        let mut words = std::collections::HashSet::new();
        for &a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
            assert!(tokens.insert(a.as_str()), "token {} used twice", a.as_str());
            assert!(words.insert(a.zh()), "wording {} used twice", a.zh());
            assert!(!a.as_str().is_empty() && a.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{a:?}");
            assert!(!a.zh().is_ascii(), "{a:?} is worded in Chinese");
        }
        assert_eq!(Action::parse("something_new"), None);
        assert_eq!(Action::parse("Create_Round"), None);
    }

    #[test]
    fn the_tokens_are_the_ones_databases_hold() {
        // Stored in every database since the action was added: never change or reuse one.
        let tokens: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            tokens,
            [
                "create_round",
                "add_expert",
                "update_expert",
                "remove_expert",
                "import_experts",
                "choose_expert",
                "enter_form",
                "import_application",
                "sign_declaration",
                "recuse",
                "unrecuse",
                "submit_sheet",
                "reopen_sheet",
                "resubmit_change",
                "score_file_import",
                "paper_import",
                "consolidation_settings",
                "deduction_resolution",
                "flag_settlement",
                "open_round_file",
                "export_round_file",
                "update_round",
                "close_round",
                "reopen_round",
                "delete_round",
                "import_rubric",
                "remove_rubric",
                "veto_resolution",
                "backup_round",
                "restore_round",
                "recommendation_line",
                "recommendation_publicity",
                "recommendation_tie",
                "confirm_recommendation",
                "reopen_recommendation",
                "open_reconsideration",
                "reconsider_score",
                "close_reconsideration",
                "set_leader",
                "panel_opinion",
                "site_visit",
                "delete_site_visit",
                "site_visit_veto_proposal",
            ]
        );
    }

    #[test]
    fn an_entry_says_its_action_in_words_even_from_a_newer_version() {
        let conn = crate::open_in_memory().unwrap();
        append(&conn, "统分人", Action::ReopenSheet, "sheet:1", "退回").unwrap();
        // As a newer version of the app could have written it.
        conn.execute("INSERT INTO audit_log (actor, action, entity, detail) VALUES ('统分人', 'something_new', 'round:1', '')", []).unwrap();
        let log = list(&conn).unwrap();
        assert_eq!(log[0].action, "reopen_sheet");
        assert_eq!((log[0].action(), log[0].action_zh().as_str()), (Some(Action::ReopenSheet), "退回评分表"));
        assert_eq!((log[1].action(), log[1].action_zh().as_str()), (None, "未知操作（something_new）"));
    }
}
