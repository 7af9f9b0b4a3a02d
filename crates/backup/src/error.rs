//! What can go wrong with a backup, with messages a user can act on (listed in `docs/backup.md`).

use pingshen_handout::zipsafety::Refusal;
use pingshen_store::StoreError;

/// `Result` with [`BackupError`].
pub type Result<T, E = BackupError> = std::result::Result<T, E>;

/// A refused backup file, or a failed backup. Restoring refuses before writing anything, or rolls back:
/// whatever the error, the database is as it was. Writing leaves no file behind on an error or a cancel.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// Reading or writing the file itself failed (disk full, USB stick removed, no permission).
    #[error("无法{action}文件 {path}：{source}")]
    Io { action: &'static str, path: String, source: std::io::Error },
    /// Not a zip, or a zip without a backup manifest.
    #[error("这不是评审台的备份文件（备份文件由“备份本批次”生成，扩展名为 .pingshen-backup）；请选择正确的文件")]
    NotBackup,
    /// A round file (评审包) was given where a backup was expected.
    #[error("这是评审包（.pingshen-round），不是备份文件；评审包请用“打开评审包”打开")]
    RoundFile,
    /// The file starts like a zip but its directory cannot be read: cut short or damaged.
    #[error("备份文件已损坏或不完整（可能没有复制完整），无法读取；请重新复制备份文件，或使用另一份备份")]
    Damaged,
    #[error("备份文件由更新版本的评审台写出（备份格式第 {found} 版，本软件只能读取第 1 版），请升级评审台后再恢复")]
    NewerFormat { found: String },
    #[error("备份文件由更新版本的评审台写出（数据库结构版本 {found}，本软件支持到 {supported}），请升级评审台后再恢复")]
    NewerSchema { found: i64, supported: i64 },
    /// The manifest does not match its own `content_hash`.
    #[error("备份文件的清单（manifest.json）与校验值不符，文件可能已被改动或损坏；请使用另一份备份")]
    ManifestTampered,
    /// The manifest or an entry is intact (or claims to be) but its structure or values are wrong.
    #[error("备份文件的内容有误：{detail}；文件可能不是由评审台写出的，请使用另一份备份")]
    Malformed { detail: String },
    /// An entry's bytes do not match the size or SHA-256 the manifest gives for it.
    #[error("备份文件中的 {entry} 与清单记录的校验值不符，文件可能已被改动或损坏；请使用另一份备份")]
    EntryMismatch { entry: String },
    #[error("备份文件不完整：缺少清单中列出的 {entry}；请重新复制备份文件，或使用另一份备份")]
    EntryMissing { entry: String },
    #[error("备份文件中有清单之外的文件 {entry}，可能已被改动；请使用另一份备份")]
    UnexpectedEntry { entry: String },
    #[error("备份文件中有两个同名的文件，可能已被改动；请使用另一份备份")]
    DuplicateEntries,
    /// Zip safety: an absolute path, a `..` component, a backslash, a drive letter or a control character.
    #[error("备份文件中的 {entry} 的路径不安全（{reason}），已拒绝恢复；请使用另一份备份")]
    UnsafePath { entry: String, reason: &'static str },
    #[error("备份文件中的 {entry} 是一个链接（符号链接），备份文件中不应有链接，已拒绝恢复")]
    Link { entry: String },
    #[error("备份文件中的 {entry} 已加密，备份文件不使用加密，已拒绝恢复")]
    Encrypted { entry: String },
    #[error("备份文件中的 {entry} 使用了评审台不支持的压缩方式，已拒绝恢复")]
    UnsupportedCompression { entry: String },
    #[error("备份文件中的 {entry} 解压后有 {size} 字节，超过上限 {limit} 字节，已拒绝恢复")]
    TooLarge { entry: String, size: u64, limit: u64 },
    #[error("备份文件解压后共有 {size} 字节，超过上限 {limit} 字节，已拒绝恢复")]
    TotalTooLarge { size: u64, limit: u64 },
    /// A zip bomb: far more bytes out than in.
    #[error("备份文件中的 {entry} 的压缩比异常（{size} 字节压缩为 {compressed} 字节，超过 {limit}:1），可能是恶意构造的文件，已拒绝恢复")]
    CompressionRatio { entry: String, size: u64, compressed: u64, limit: u64 },
    /// This machine has a round with the backup's 批次标识 (restored before, opened from a round file, or
    /// made here): a backup never replaces it.
    #[error("本机已有这个评审批次（「{name}」，批次标识 {uid}），备份不会覆盖它，本机数据没有任何改动；备份只能恢复到没有这个批次的电脑上。如要把本机的这个批次退回到较早的状态，请使用“数据库自动备份”")]
    RoundExists { name: String, uid: String },
    /// The user cancelled (the progress callback returned `Break`).
    #[error("已取消，没有做任何改动")]
    Cancelled,
    /// Writing: a material's bytes on this machine do not match the hash recorded when it was imported.
    #[error("本机保存的申报 {code} 的材料 {file} 已损坏（与入库时的校验值不符），没有写出备份文件；请用“数据库自动备份”恢复到材料完好时的数据库")]
    StoredMaterialDamaged { code: String, file: String },
    /// Writing: a value the format cannot hold (a floating-point number, or bytes outside `material.content`).
    #[error("评审批次的数据中有无法备份的值（{table} 表的 {column} 列：{kind}），没有写出备份文件；请联系技术支持")]
    Unbackupable { table: String, column: String, kind: &'static str },
    #[error("{0}")]
    Store(#[from] StoreError),
    /// Writing the zip failed in a way that is not a plain IO error.
    #[error("写入备份文件失败：{0}")]
    Write(String),
}

impl From<rusqlite::Error> for BackupError {
    fn from(e: rusqlite::Error) -> Self {
        BackupError::Store(StoreError::from(e))
    }
}

impl From<pingshen_handout::Cancelled> for BackupError {
    fn from(_: pingshen_handout::Cancelled) -> Self {
        BackupError::Cancelled
    }
}

impl From<Refusal> for BackupError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Duplicates => BackupError::DuplicateEntries,
            Refusal::Unreadable => BackupError::Damaged,
            Refusal::UnsafePath { entry, reason } => BackupError::UnsafePath { entry, reason },
            Refusal::Link { entry } => BackupError::Link { entry },
            Refusal::Directory { entry } => BackupError::UnexpectedEntry { entry },
            Refusal::Encrypted { entry } => BackupError::Encrypted { entry },
            Refusal::UnsupportedCompression { entry } => BackupError::UnsupportedCompression { entry },
            Refusal::TooLarge { entry, size, limit } => BackupError::TooLarge { entry, size, limit },
            Refusal::CompressionRatio { entry, size, compressed, limit } => BackupError::CompressionRatio { entry, size, compressed, limit },
        }
    }
}

pub(crate) fn malformed(detail: impl Into<String>) -> BackupError {
    BackupError::Malformed { detail: detail.into() }
}
