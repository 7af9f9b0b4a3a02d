//! Storage errors, with messages a user can act on.

use pingshen_core::scorefile::ScoreFileError;
use pingshen_core::sheet::ScoreError;

use crate::scorefiles::ImportRefusal;

/// `Result` with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("无法打开数据库 {path}：{source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("数据库错误：{0}")]
    Sql(rusqlite::Error),
    #[error("日期“{text}”格式不对，应写成 2024-05-31 这样的日期")]
    BadDate { text: String },
    #[error("本评审批次已经结束评审")]
    AlreadyClosed,
    #[error("本评审批次没有结束评审，无需重新开启")]
    NotClosed,
    #[error("评审批次已有专家提交的评分表 {submitted} 份，不能删除（可以结束评审后保留，或先备份）")]
    RoundHasSheets { submitted: i64 },
    #[error("确认删除须输入评审批次的完整名称「{name}」")]
    NameMismatch { name: String },
    #[error("评分标准「{title}」正被评审批次「{round}」使用，不能删除")]
    RubricInUse { title: String, round: String },
    #[error("评分标准库中已有这份评分标准（「{title}」，校验码相同）")]
    RubricExists { title: String },
    /// A change to a closed round (结束评审), refused by the database itself.
    #[error("本评审批次已结束评审，只能查看和打印；如需修改，请由统分人员重新开启评审（须写明理由）")]
    RoundClosed,
    #[error("数据库由更新版本的评审台创建（结构版本 {found}，本软件支持到 {supported}），请升级评审台后再打开")]
    TooNew { found: i64, supported: i64 },
    #[error("数据库升级失败（第 {version} 号迁移）：{source}")]
    Migration { version: usize, source: rusqlite::Error },
    #[error("找不到{entity}（编号 {id}）")]
    NotFound { entity: &'static str, id: i64 },
    #[error("{0}")]
    Score(#[from] ScoreError),
    #[error("{0}")]
    Reconsideration(#[from] pingshen_core::reconsideration::ReconsiderationError),
    #[error("本批次已有进行中的复议，须先结束该复议再发起新的复议")]
    ReconsiderationOpen,
    #[error("本批次冻结的评分标准已损坏或被改动（校验码不符），请联系统分人员重新下发评审包")]
    RubricTampered,
    #[error("本批次保存的评分标准无法读取：{0}")]
    RubricUnreadable(String),
    #[error("推荐书数据无法读取（{code}）：{message}")]
    ApplicationUnreadable { code: String, message: String },
    #[error("评分表已提交并锁定，如需修改请联系统分人员退回")]
    Locked,
    #[error("评分表还不能提交：{}", .problems.join("；"))]
    NotReady { problems: Vec<String> },
    #[error("专家 {expert}还没有提交任何评分表，没有可导出的评分文件")]
    NothingSubmitted { expert: String },
    #[error("{0}")]
    ScoreFile(#[from] ScoreFileError),
    #[error("评分文件未导入（本机数据未做任何改动）：{0}")]
    ScoreFileRefused(#[from] ImportRefusal),

    // A request refused as it stands (the desktop shows these as invalid input), by what it concerns.

    // ---- an expert and an application: assignment, recusal, scoring ----
    #[error("该专家未被分配评审这份申报材料")]
    NotAssigned,
    /// The expert is recused from the application; `action` is what they cannot do: "评分", "提交评分表",
    /// "查看或对比".
    #[error("该专家已回避这份申报材料，不能{action}")]
    Recused { action: &'static str },
    #[error("该专家已提交这份申报材料的评分表，须先退回评分表再登记回避")]
    RecusalAfterSubmission,
    /// `scored` items of the application already have the expert's score.
    #[error("该专家已对这份申报材料评了 {scored} 个观测点，须先清除评分再登记回避")]
    RecusalAfterScoring { scored: i64 },
    /// A reopening (退回) of a sheet that is not submitted.
    #[error("只有已提交的评分表才能退回修改")]
    NotSubmitted,

    // ---- a text the decision needs ----
    /// `what` is the decision: "回避", "退回评分表", "评审组决议".
    #[error("{what}须写明理由")]
    ReasonRequired { what: &'static str },
    /// `field` is what to fill in: "专家的书面说明", "评审组决议的内容".
    #[error("请填写{field}")]
    EmptyField { field: &'static str },
    /// A manually entered 推荐书 without the 联合体名称.
    #[error("请至少填写联合体名称")]
    NameRequired,

    // ---- rounds ----
    #[error("批次标识“{uid}”格式不对，应为 32 位小写十六进制数字")]
    BadRoundUid { uid: String },
    #[error("本机已有这个评审批次（「{name}」，批次标识 {uid}），不能重复创建")]
    RoundExists { name: String, uid: String },

    // ---- applications, their materials and evidence ----
    /// An application added to a round in which a sheet was already submitted.
    #[error("本批次已有专家提交评分表，不能再增加申报材料")]
    RoundHasSubmissions,
    /// A 推荐书 changed (manual entry) after experts began scoring the application `code`.
    #[error("申报 {code} 已有专家开始评分，不能再修改推荐书内容")]
    ScoringStarted { code: String },
    #[error("本批次已有申报编号 {code} 的申报材料")]
    DuplicateCode { code: String },
    /// An application whose 联合体名称 an application of the round (`code`, `name`) already has.
    #[error("本批次已有同名的申报材料（{code} {name}），请勿重复导入")]
    DuplicateApplication { code: String, name: String },
    #[error("材料 {file} 太大")]
    MaterialTooLarge { file: String },
    #[error("一份申报材料的页数过多，无法建立检索索引")]
    TooManyPages,
    /// A material (to open or to pin as evidence) of another application than the sheet's.
    #[error("这份材料不属于正在评分的申报材料")]
    ForeignMaterial,
    #[error("材料只有 {pages} 页，没有第 {page} 页")]
    NoSuchPage { pages: u32, page: u32 },
    /// A 推荐书 field id that `pingshen_core::form::FIELDS` does not have.
    #[error("推荐书中没有“{field}”这一栏")]
    UnknownFormField { field: String },

    // ---- experts ----
    /// An expert's details refused: fields missing or malformed, or a code or 姓名 + 单位 the round has;
    /// every problem at once.
    #[error("{}", .problems.join("；"))]
    ExpertRefused { problems: Vec<String> },
    /// `expert` ("E01 张三（单位）") has `sheets` sheets, so their code cannot become `code`.
    #[error("专家 {expert} 已有评分表 {sheets} 份，专家编号不能再改为 {code}（评分文件和纸质评分表都按编号对应）")]
    ExpertCodeInUse { expert: String, sheets: i64, code: String },
    /// `expert` ("E01 张三（单位）") has `sheets` sheets and cannot be removed.
    #[error("专家 {expert} 已有评分表 {sheets} 份，不能删除")]
    ExpertHasSheets { expert: String, sheets: i64 },
    /// `expert` ("E01 张三（单位）") is the expert this machine scores as.
    #[error("本机已选定以专家 {expert} 的身份评分，不能删除该专家")]
    ExpertScoresHere { expert: String },
    #[error("专家名单未导入（本批次未做任何改动）：{}", .problems.join("；"))]
    ExpertListRefused { problems: Vec<String> },

    // ---- a round opened from a round file: who scores on this machine ----
    #[error("这个评审批次不是从评审包打开的，不需要选择专家身份")]
    NotHandedOut,
    #[error("所选专家不在这个评审批次的专家名单中")]
    ExpertNotInRound,
    /// The machine scores as expert `code` (`name`), who has scores on `scored` sheets.
    #[error("本机已以专家 {code}（{name}）的身份评分（{scored} 份评分表已有得分），不能再更换专家身份；如确需更换，请联系统分人员")]
    IdentityInUse { code: String, name: String, scored: i64 },
    #[error("请先在评审批次页选择您的专家身份")]
    IdentityNotChosen,
    /// The machine scores as expert `code` (`name`), not as the sheet's expert.
    #[error("本机以专家 {code}（{name}）的身份评分，不能打开其他专家的评分表")]
    AnotherExpert { code: String, name: String },
    #[error("开始评分前，请先阅读并签署回避声明与承诺书")]
    DeclarationNotSigned,
    #[error("回避声明未签署（未做任何改动）：{}", .problems.join("；"))]
    DeclarationRefused { problems: Vec<String> },

    // ---- the panel ----
    #[error("决议未获通过：赞成 {votes_for} 票，反对 {votes_against} 票，赞成票须多于反对票")]
    ResolutionNotPassed { votes_for: u32, votes_against: u32 },
    /// A veto recorded as not upheld (不予认定) although more voted for upholding it than against.
    #[error("赞成认定 {votes_for} 票、反对 {votes_against} 票，赞成票多于反对票，应记为“维持”（认定成立）而不是“不予认定”")]
    VetoVoteUpholds { votes_for: u32, votes_against: u32 },
    // ---- the 推荐名单 ----
    /// A change to the line, a tie decision or the list while a confirmed list is in force; `what` says what.
    #[error("推荐名单已确认，不能{what}；如需修改，请先重新打开名单（须写明理由）")]
    ListConfirmed { what: &'static str },
    #[error("推荐名单尚未确认，无需重新打开")]
    ListNotConfirmed,
    /// The list cannot be confirmed as it stands; every reason.
    #[error("推荐名单还不能确认：{}", .problems.join("；"))]
    ListNotConfirmable { problems: Vec<String> },
    /// A tie decision refused by the rules (`pingshen_core::recommendation::decide`).
    #[error("{0}")]
    TieDecision(#[from] pingshen_core::recommendation::DecisionError),
    /// The 专家组意见 is written by the round's 组长, and the round has none.
    #[error("本批次还没有组长：专家组意见由组长填写，请先在“专家名单”中设定组长")]
    NoLeader,
    /// A 专家组意见 refused, every problem at once; nothing was saved.
    #[error("专家组意见未保存：{}", .problems.join("；"))]
    OpinionRefused { problems: Vec<String> },
    /// A 实地考察 record refused, every problem at once; nothing was saved.
    #[error("实地考察记录未保存：{}", .problems.join("；"))]
    VisitRefused { problems: Vec<String> },
    /// A finding that cannot become a 否定性指标 proposal.
    #[error("{0}")]
    Proposal(#[from] pingshen_core::panel::ProposalError),
    /// A finding proposed as a 否定性指标 (`claim`) removed or changed away from 不属实.
    #[error("核查内容“{claim}”已转为否定性指标提议，不能删除，结论也不能改为“不属实”以外的结论")]
    FindingProposed { claim: String },
    /// The finding was proposed as this 否定性指标 already.
    #[error("这一核查结论已提议为否定性指标 {code}，无需重复提议")]
    ProposalExists { code: String },
    /// Paper scores refused, every problem at once; nothing was imported.
    #[error("{}", .problems.join("；"))]
    PaperScoresRefused { problems: Vec<String> },

    // ---- automatic database backups (`snapshots`) ----
    /// Reading, writing or moving a snapshot or the database file failed; `action` says what, e.g.
    /// "写入数据库自动备份".
    #[error("无法{action} {path}：{source}")]
    SnapshotIo { action: &'static str, path: String, source: std::io::Error },
    #[error("“{file}”不是评审台的数据库自动备份（不是 SQLite 数据库文件）；请选择另一份自动备份")]
    SnapshotNotDatabase { file: String },
    #[error("“{file}”是 SQLite 数据库，但不是评审台的数据库；请选择另一份自动备份")]
    SnapshotNotPingshen { file: String },
    #[error("数据库自动备份“{file}”已损坏（{detail}），不能用来恢复；请选择另一份自动备份")]
    SnapshotDamaged { file: String, detail: String },
    #[error("数据库自动备份“{file}”由更新版本的评审台创建（结构版本 {found}，本软件支持到 {supported}），请升级评审台后再恢复")]
    SnapshotTooNew { file: String, found: i64, supported: i64 },
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        // The triggers of migration 007 refuse any change to a closed round with this message.
        match &e {
            rusqlite::Error::SqliteFailure(_, Some(m)) if m == "round is closed" => StoreError::RoundClosed,
            rusqlite::Error::SqliteFailure(_, Some(m)) if m == "recommendation list is frozen" => {
                StoreError::ListConfirmed { what: "修改已确认的名单" }
            }
            _ => StoreError::Sql(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The refusals were one free-text variant; each typed one says exactly what its text said (the
    /// expected texts are those call sites' format strings, with the same values).
    #[test]
    fn each_refusal_says_what_it_said_as_free_text() {
        let problems = || vec!["甲".to_string(), "乙".to_string()];
        let (n, code, name, uid, file, who) = (3i64, "A01".to_string(), "某联合体".to_string(), "0a".repeat(16), "附件.pdf", "E01 张三（甲学院）");
        let (pages, page, field, votes_for, votes_against) = (12u32, 13u32, "overview.nonsense", 2u32, 3u32);
        let cases: Vec<(StoreError, String)> = vec![
            (StoreError::NotAssigned, "该专家未被分配评审这份申报材料".into()),
            (StoreError::Recused { action: "评分" }, "该专家已回避这份申报材料，不能评分".into()),
            (StoreError::Recused { action: "提交评分表" }, "该专家已回避这份申报材料，不能提交评分表".into()),
            (StoreError::Recused { action: "查看或对比" }, "该专家已回避这份申报材料，不能查看或对比".into()),
            (StoreError::RecusalAfterSubmission, "该专家已提交这份申报材料的评分表，须先退回评分表再登记回避".into()),
            (StoreError::RecusalAfterScoring { scored: n }, format!("该专家已对这份申报材料评了 {n} 个观测点，须先清除评分再登记回避")),
            (StoreError::NotSubmitted, "只有已提交的评分表才能退回修改".into()),
            (StoreError::ReasonRequired { what: "回避" }, "回避须写明理由".into()),
            (StoreError::ReasonRequired { what: "退回评分表" }, "退回评分表须写明理由".into()),
            (StoreError::ReasonRequired { what: "评审组决议" }, "评审组决议须写明理由".into()),
            (StoreError::EmptyField { field: "专家的书面说明" }, "请填写专家的书面说明".into()),
            (StoreError::EmptyField { field: "评审组决议的内容" }, "请填写评审组决议的内容".into()),
            (StoreError::NameRequired, "请至少填写联合体名称".into()),
            (StoreError::BadRoundUid { uid: uid.clone() }, format!("批次标识“{uid}”格式不对，应为 32 位小写十六进制数字")),
            (
                StoreError::RoundExists { name: name.clone(), uid: uid.clone() },
                format!("本机已有这个评审批次（「{name}」，批次标识 {uid}），不能重复创建"),
            ),
            (StoreError::RoundHasSubmissions, "本批次已有专家提交评分表，不能再增加申报材料".into()),
            (StoreError::ScoringStarted { code: code.clone() }, format!("申报 {} 已有专家开始评分，不能再修改推荐书内容", code)),
            (StoreError::DuplicateCode { code: code.clone() }, format!("本批次已有申报编号 {} 的申报材料", code)),
            (
                StoreError::DuplicateApplication { code: code.clone(), name: name.clone() },
                format!("本批次已有同名的申报材料（{} {}），请勿重复导入", code, name),
            ),
            (StoreError::MaterialTooLarge { file: file.into() }, format!("材料 {file} 太大")),
            (StoreError::TooManyPages, "一份申报材料的页数过多，无法建立检索索引".into()),
            (StoreError::ForeignMaterial, "这份材料不属于正在评分的申报材料".into()),
            (StoreError::NoSuchPage { pages, page }, format!("材料只有 {pages} 页，没有第 {page} 页")),
            (StoreError::UnknownFormField { field: field.into() }, format!("推荐书中没有“{field}”这一栏")),
            (StoreError::ExpertRefused { problems: problems() }, problems().join("；")),
            (
                StoreError::ExpertCodeInUse { expert: who.into(), sheets: n, code: "E09".into() },
                format!("专家 {} 已有评分表 {n} 份，专家编号不能再改为 {}（评分文件和纸质评分表都按编号对应）", who, "E09"),
            ),
            (StoreError::ExpertHasSheets { expert: who.into(), sheets: n }, format!("专家 {} 已有评分表 {n} 份，不能删除", who)),
            (StoreError::ExpertScoresHere { expert: who.into() }, format!("本机已选定以专家 {} 的身份评分，不能删除该专家", who)),
            (StoreError::ExpertListRefused { problems: problems() }, format!("专家名单未导入（本批次未做任何改动）：{}", problems().join("；"))),
            (StoreError::NotHandedOut, "这个评审批次不是从评审包打开的，不需要选择专家身份".into()),
            (StoreError::ExpertNotInRound, "所选专家不在这个评审批次的专家名单中".into()),
            (
                StoreError::IdentityInUse { code: "E01".into(), name: "张三".into(), scored: n },
                format!(
                    "本机已以专家 {cur_code}（{cur_name}）的身份评分（{scored} 份评分表已有得分），不能再更换专家身份；如确需更换，请联系统分人员",
                    cur_code = "E01",
                    cur_name = "张三",
                    scored = n
                ),
            ),
            (StoreError::IdentityNotChosen, "请先在评审批次页选择您的专家身份".into()),
            (
                StoreError::AnotherExpert { code: "E01".into(), name: "张三".into() },
                format!("本机以专家 {code}（{name}）的身份评分，不能打开其他专家的评分表", code = "E01", name = "张三"),
            ),
            (StoreError::DeclarationNotSigned, "开始评分前，请先阅读并签署回避声明与承诺书".into()),
            (StoreError::DeclarationRefused { problems: problems() }, format!("回避声明未签署（未做任何改动）：{}", problems().join("；"))),
            (
                StoreError::ResolutionNotPassed { votes_for, votes_against },
                format!("决议未获通过：赞成 {votes_for} 票，反对 {votes_against} 票，赞成票须多于反对票"),
            ),
            (StoreError::PaperScoresRefused { problems: problems() }, problems().join("；")),
            (
                StoreError::VetoVoteUpholds { votes_for: 3, votes_against: 2 },
                "赞成认定 3 票、反对 2 票，赞成票多于反对票，应记为“维持”（认定成立）而不是“不予认定”".into(),
            ),
            (StoreError::ListConfirmed { what: "修改推荐名额" }, "推荐名单已确认，不能修改推荐名额；如需修改，请先重新打开名单（须写明理由）".into()),
            (StoreError::ListNotConfirmed, "推荐名单尚未确认，无需重新打开".into()),
            (StoreError::ListNotConfirmable { problems: problems() }, format!("推荐名单还不能确认：{}", problems().join("；"))),
        ];
        for (error, said) in cases {
            assert_eq!(error.to_string(), said, "{error:?}");
        }
    }
}
