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
    Sql(#[from] rusqlite::Error),
    #[error("数据库由更新版本的评审台创建（结构版本 {found}，本软件支持到 {supported}），请升级评审台后再打开")]
    TooNew { found: i64, supported: i64 },
    #[error("数据库升级失败（第 {version} 号迁移）：{source}")]
    Migration { version: usize, source: rusqlite::Error },
    #[error("找不到{entity}（编号 {id}）")]
    NotFound { entity: &'static str, id: i64 },
    #[error("{0}")]
    Score(#[from] ScoreError),
    #[error("本批次冻结的评分标准已损坏或被改动（指纹不符），请联系统分人员重新下发评审包")]
    RubricTampered,
    #[error("本批次保存的评分标准无法读取：{0}")]
    RubricUnreadable(String),
    #[error("申报书数据无法读取（{code}）：{message}")]
    ApplicationUnreadable { code: String, message: String },
    #[error("评分表已提交并锁定，如需修改请联系统分人员退回")]
    Locked,
    #[error("{0}")]
    Invalid(String),
    #[error("评分表还不能提交：{}", .problems.join("；"))]
    NotReady { problems: Vec<String> },
    #[error("专家 {expert}还没有提交任何评分表，没有可导出的评分文件")]
    NothingSubmitted { expert: String },
    #[error("{0}")]
    ScoreFile(#[from] ScoreFileError),
    #[error("评分文件未导入（本机数据未做任何改动）：{0}")]
    ScoreFileRefused(#[from] ImportRefusal),
}
