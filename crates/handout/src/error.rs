//! What can go wrong with a round file, with messages a user can act on (named in `docs/round-file.md`).

use pingshen_store::StoreError;

use crate::zipsafety::Refusal;

/// `Result` with [`HandoutError`].
pub type Result<T, E = HandoutError> = std::result::Result<T, E>;

/// A refused round file, or a failed export. Opening refuses before writing anything, or rolls back:
/// whatever the error, the database is as it was.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HandoutError {
    /// Reading or writing the file itself failed (disk full, USB stick removed, no permission).
    #[error("无法{action}文件 {path}：{source}")]
    Io { action: &'static str, path: String, source: std::io::Error },
    /// Not a zip, or a zip without a round-file manifest.
    #[error("这不是评审台的评审包（评审包由统分机“导出评审包”生成，扩展名为 .pingshen-round）")]
    NotRoundFile,
    #[error("评审包的格式版本是 {found}，本软件只能读取第 1 版；请使用与统分机相同版本的评审台")]
    UnsupportedVersion { found: String },
    /// The manifest does not match its own `content_hash`.
    #[error("评审包的清单（manifest.json）与校验值不符，文件可能已被改动或损坏；请向统分人员重新索取评审包")]
    ManifestTampered,
    /// The manifest is intact (or claims to be) but its structure or values are wrong.
    #[error("评审包的清单（manifest.json）有误：{detail}；文件可能不是由评审台导出的，请向统分人员重新索取评审包")]
    Malformed { detail: String },
    /// An entry's bytes do not match the size or SHA-256 the manifest gives for it.
    #[error("评审包中的文件 {entry} 与清单记录的校验值不符，可能已被改动或损坏；请向统分人员重新索取评审包")]
    EntryMismatch { entry: String },
    #[error("评审包不完整：缺少清单中列出的文件 {entry}；请重新复制评审包")]
    EntryMissing { entry: String },
    #[error("评审包中有清单之外的文件 {entry}，可能已被改动；请向统分人员重新索取评审包")]
    UnexpectedEntry { entry: String },
    #[error("评审包中有两个同名的文件，可能已被改动；请向统分人员重新索取评审包")]
    DuplicateEntries,
    /// `rubric.toml` is intact but is not the rubric the manifest names.
    #[error("评审包中的评分标准（rubric.toml）与清单记录的不同（清单：校验码 {manifest}；文件：校验码 {file}）；请向统分人员重新索取评审包")]
    RubricMismatch { manifest: String, file: String },
    #[error("评审包中的评分标准（rubric.toml）无法读取：{0}")]
    RubricUnreadable(String),
    #[error("评审包中申报 {code} 的推荐书（{entry}）无法读取：{message}")]
    ApplicationUnreadable { code: String, entry: String, message: String },
    /// An application's `pages.json` is intact (it matches the manifest) but is not page texts this build
    /// can store.
    #[error("评审包中申报 {code} 的材料文字（{entry}）无法读取：{message}")]
    PagesUnreadable { code: String, entry: String, message: String },
    /// Zip safety: an absolute path, a `..` component, a backslash or a drive letter.
    #[error("评审包中的文件 {entry} 的路径不安全（{reason}），已拒绝打开；请向统分人员重新索取评审包")]
    UnsafePath { entry: String, reason: &'static str },
    #[error("评审包中的 {entry} 是一个链接（符号链接），评审包中不应有链接，已拒绝打开")]
    Link { entry: String },
    #[error("评审包中的文件 {entry} 已加密，评审包不使用加密，已拒绝打开")]
    Encrypted { entry: String },
    #[error("评审包中的文件 {entry} 使用了评审台不支持的压缩方式，已拒绝打开")]
    UnsupportedCompression { entry: String },
    #[error("评审包中的文件 {entry} 解压后有 {size} 字节，超过上限 {limit} 字节，已拒绝打开")]
    TooLarge { entry: String, size: u64, limit: u64 },
    /// A zip bomb: far more bytes out than in.
    #[error("评审包中的文件 {entry} 的压缩比异常（{size} 字节压缩为 {compressed} 字节，超过 {limit}:1），可能是恶意构造的文件，已拒绝打开")]
    CompressionRatio { entry: String, size: u64, compressed: u64, limit: u64 },
    /// The round is on this machine already, from another round file or made here.
    #[error("本机已有这个评审批次的另一个版本（「{name}」，批次标识 {uid}；本机：{here}；评审包：校验码 {file}），不能用这个评审包覆盖；如确需更换，请联系统分人员")]
    OtherVersion { name: String, uid: String, here: String, file: String },
    /// The user cancelled (the progress callback returned `Break`).
    #[error("已取消，没有做任何改动")]
    Cancelled,
    /// Export: a material's bytes on this machine do not match the hash recorded when it was imported.
    #[error("本机保存的申报 {code} 的材料 {file} 已损坏（与入库时的校验值不符），不能导出评审包")]
    StoredMaterialDamaged { code: String, file: String },
    /// Export: a 申报编号 or material file name that cannot be a path inside the file.
    #[error("{what}“{name}”不能用作评审包中的文件名（不能为空，不能含有 / \\ : 或控制字符，不能以 . 开头）")]
    UnsafeName { what: &'static str, name: String },
    #[error("{0}")]
    Store(#[from] StoreError),
    /// Writing the zip failed in a way that is not a plain IO error.
    #[error("写入评审包失败：{0}")]
    Write(String),
}

impl From<Refusal> for HandoutError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Duplicates => HandoutError::DuplicateEntries,
            Refusal::Unreadable => HandoutError::NotRoundFile,
            Refusal::UnsafePath { entry, reason } => HandoutError::UnsafePath { entry, reason },
            Refusal::Link { entry } => HandoutError::Link { entry },
            Refusal::Directory { entry } => HandoutError::UnexpectedEntry { entry },
            Refusal::Encrypted { entry } => HandoutError::Encrypted { entry },
            Refusal::UnsupportedCompression { entry } => HandoutError::UnsupportedCompression { entry },
            Refusal::TooLarge { entry, size, limit } => HandoutError::TooLarge { entry, size, limit },
            Refusal::CompressionRatio { entry, size, compressed, limit } => HandoutError::CompressionRatio { entry, size, compressed, limit },
        }
    }
}

impl From<rusqlite::Error> for HandoutError {
    fn from(e: rusqlite::Error) -> Self {
        HandoutError::Store(StoreError::Sql(e))
    }
}
