//! Automatic database backups (数据库自动备份): a consistent copy of the whole database, taken on the staff
//! machine before every import that changes a round, so that a wrong import can be undone by putting the
//! database back as it was. Format, naming and restoring: `docs/backup.md`, "Automatic database backups".
//!
//! A snapshot is one SQLite file written with `VACUUM INTO`, named `YYYYMMDD-HHMMSS-<label>.db` (the
//! machine's local time; `YYYYMMDD-HHMMSS.N-<label>.db` for the N-th snapshot within the same second). The
//! newest [`KEEP`] in a folder are kept; older files that match the pattern are deleted, nothing else is.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use pingshen_core::names::safe_file_name;
use rusqlite::{Connection, OpenFlags};

use crate::{Result, StoreError, SCHEMA_VERSION};

/// How many snapshots a folder keeps.
pub const KEEP: usize = 10;

/// The folder of the snapshots, beside the database: `<folder of the database>/snapshots`.
pub const DIR_NAME: &str = "snapshots";

/// The label of a snapshot whose label is empty once made safe.
const DEFAULT_LABEL: &str = "自动备份";

/// At most this many characters of the label go into the file name.
const LABEL_CHARS: usize = 40;

/// A snapshot in a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotInfo {
    pub path: PathBuf,
    /// The file name, e.g. `20261203-084512-导入评分文件.db`.
    pub file: String,
    /// When it was taken, local time, `2026-12-03 08:45:12`.
    pub when: String,
    /// What it was taken before, as in the file name (made safe), e.g. `导入评分文件`.
    pub label: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// `YYYYMMDD-HHMMSS` and the number within that second (1 for the first): the order of the snapshots.
    stamp: String,
    seq: u32,
}

/// What a checked snapshot holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotCheck {
    /// Its schema version (`PRAGMA user_version`): at most [`SCHEMA_VERSION`]; an older one is brought up to
    /// date when the database is opened.
    pub schema_version: i64,
    /// The names of its rounds, oldest first.
    pub rounds: Vec<String>,
}

/// The snapshot folder of the database at `db_path`.
pub fn dir_for(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join(DIR_NAME)
}

/// Writes a consistent copy of the whole database behind `conn` into `dir` (created if needed), named with
/// the local time and `label` (made safe with `pingshen_core::names::safe_file_name`, at most 40
/// characters; `自动备份` when nothing is left), then deletes all but the newest [`KEEP`] snapshots of `dir`.
/// The copy is written as `<name>.part`, synced and renamed, so a snapshot file is always whole. Must be
/// called outside a transaction (`VACUUM INTO` refuses to run inside one).
pub fn snapshot(conn: &Connection, dir: &Path, label: &str) -> Result<SnapshotInfo> {
    std::fs::create_dir_all(dir).map_err(io("创建数据库自动备份的文件夹", dir))?;
    let stamp: String = conn.query_row("SELECT strftime('%Y%m%d-%H%M%S', 'now', 'localtime')", [], |r| r.get(0))?;
    let label = clean_label(label);
    let seq = list(dir)?.iter().filter(|s| s.stamp == stamp).map(|s| s.seq).max().map_or(1, |m| m + 1);
    let file = file_name(&stamp, seq, &label);
    let path = dir.join(&file);
    let part = dir.join(format!("{file}.part"));
    remove_if_exists(&part, "删除未写完的数据库自动备份")?;
    let target = part.to_str().ok_or_else(|| StoreError::SnapshotIo {
        action: "写入数据库自动备份",
        path: part.display().to_string(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "路径含有无法识别的字符"),
    })?;
    if let Err(e) = conn.execute("VACUUM INTO ?1", [target]) {
        let _ = std::fs::remove_file(&part);
        return Err(e.into());
    }
    let written = (|| {
        File::open(&part)?.sync_all()?;
        std::fs::rename(&part, &path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&part);
        return Err(io("写入数据库自动备份", &path)(e));
    }
    sync_dir(dir);
    prune(dir)?;
    let bytes = std::fs::metadata(&path).map_err(io("读取数据库自动备份", &path))?.len();
    Ok(SnapshotInfo { when: when(&stamp), path, file, label, bytes, stamp, seq })
}

/// The snapshots in `dir`, newest first (by the time and number in their names); an absent folder has none.
/// Files whose names do not match the pattern are not snapshots and are not listed.
pub fn list(dir: &Path) -> Result<Vec<SnapshotInfo>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io("读取数据库自动备份的文件夹", dir)(e)),
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(io("读取数据库自动备份的文件夹", dir))?;
        let Ok(file) = e.file_name().into_string() else { continue };
        let Some((stamp, seq, label)) = parse_name(&file) else { continue };
        let meta = e.metadata().map_err(io("读取数据库自动备份", &e.path()))?;
        if !meta.is_file() {
            continue;
        }
        out.push(SnapshotInfo { path: e.path(), when: when(&stamp), label, bytes: meta.len(), stamp, seq, file });
    }
    out.sort_by(|a, b| (&b.stamp, b.seq).cmp(&(&a.stamp, a.seq)));
    Ok(out)
}

/// Checks that the file at `path` is a whole Pingshen database that this build can open: an SQLite file
/// ([`StoreError::SnapshotNotDatabase`]), not made by a newer Pingshen ([`StoreError::SnapshotTooNew`]),
/// passing `PRAGMA integrity_check` ([`StoreError::SnapshotDamaged`]), holding Pingshen's tables
/// ([`StoreError::SnapshotNotPingshen`]), and opening with [`crate::open`] (migrations included) with no
/// broken reference (`PRAGMA foreign_key_check`). All of it is done on a copy in the temporary folder: the
/// file itself is not changed.
pub fn check(path: &Path) -> Result<SnapshotCheck> {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let mut header = [0u8; 16];
    {
        use std::io::Read;
        let mut f = File::open(path).map_err(io("读取数据库自动备份", path))?;
        if f.read_exact(&mut header).is_err() || &header != b"SQLite format 3\0" {
            return Err(StoreError::SnapshotNotDatabase { file });
        }
    }
    let copy = TempCopy::of(path)?;
    let damaged = |detail: String| StoreError::SnapshotDamaged { file: file.clone(), detail };
    let version = {
        let conn = Connection::open_with_flags(&copy.0, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(|e| damaged(e.to_string()))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| damaged(e.to_string()))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SnapshotTooNew { file, found: version, supported: SCHEMA_VERSION });
        }
        let problems: Vec<String> = conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut st| st.query_map([], |r| r.get::<_, String>(0))?.collect())
            .map_err(|e| damaged(e.to_string()))?;
        if problems != ["ok"] {
            return Err(damaged(format!("完整性检查未通过：{}", problems.iter().take(3).cloned().collect::<Vec<_>>().join("；"))));
        }
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('round', 'audit_log')", [], |r| r.get(0))
            .map_err(|e| damaged(e.to_string()))?;
        if version < 1 || tables != 2 {
            return Err(StoreError::SnapshotNotPingshen { file });
        }
        version
    };
    let conn = crate::open(&copy.0).map_err(|e| damaged(e.to_string()))?;
    let broken =
        conn.prepare("PRAGMA foreign_key_check").and_then(|mut st| Ok(st.query_map([], |_| Ok(()))?.count())).map_err(|e| damaged(e.to_string()))?;
    if broken > 0 {
        return Err(damaged(format!("有 {broken} 处数据之间的关联不完整")));
    }
    let rounds: Vec<String> = conn.prepare("SELECT name FROM round ORDER BY id")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(SnapshotCheck { schema_version: version, rounds })
}

/// Puts the snapshot at `snapshot` in place of the database at `live_db`: checks the snapshot first
/// ([`check`]; a refused snapshot changes nothing), copies it beside the database, moves the database (with
/// its `-wal` and `-journal` files, if any; its `-shm` is deleted) aside as `<live_db>.before-restore-
/// YYYYMMDD-HHMMSS` (local time; `.2`, `.3`, … appended if that exists), then renames the copy to `live_db`.
/// Returns where the database was set aside (`None` when there was none). The caller closes every
/// connection to `live_db` first and opens it again afterwards.
pub fn restore_snapshot(snapshot: &Path, live_db: &Path) -> Result<Option<PathBuf>> {
    check(snapshot)?;
    let restoring = with_suffix(live_db, ".restoring");
    remove_if_exists(&restoring, "删除未完成的恢复文件")?;
    let copied = (|| {
        std::fs::copy(snapshot, &restoring)?;
        File::open(&restoring)?.sync_all()
    })();
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&restoring);
        return Err(io("复制数据库自动备份", &restoring)(e));
    }
    let aside = if live_db.exists() {
        let stamp: String = Connection::open_in_memory()?.query_row("SELECT strftime('%Y%m%d-%H%M%S', 'now', 'localtime')", [], |r| r.get(0))?;
        let mut aside = with_suffix(live_db, &format!(".before-restore-{stamp}"));
        let mut n = 2;
        while aside.exists() {
            aside = with_suffix(live_db, &format!(".before-restore-{stamp}.{n}"));
            n += 1;
        }
        if let Err(e) = std::fs::rename(live_db, &aside) {
            let _ = std::fs::remove_file(&restoring);
            return Err(io("移开当前的数据库文件", live_db)(e));
        }
        for side in ["-wal", "-journal"] {
            let from = with_suffix(live_db, side);
            if from.exists() {
                std::fs::rename(&from, with_suffix(&aside, side)).map_err(io("移开当前的数据库文件", &from))?;
            }
        }
        remove_if_exists(&with_suffix(live_db, "-shm"), "删除当前数据库的共享内存文件")?;
        Some(aside)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(&restoring, live_db) {
        // Put the database back where it was.
        if let Some(a) = &aside {
            let _ = std::fs::rename(a, live_db);
            let _ = std::fs::rename(with_suffix(a, "-wal"), with_suffix(live_db, "-wal"));
            let _ = std::fs::rename(with_suffix(a, "-journal"), with_suffix(live_db, "-journal"));
        }
        let _ = std::fs::remove_file(&restoring);
        return Err(io("替换数据库文件", live_db)(e));
    }
    if let Some(dir) = live_db.parent() {
        sync_dir(dir);
    }
    Ok(aside)
}

/// The label as it goes into a file name.
fn clean_label(label: &str) -> String {
    let safe: String = safe_file_name(label).chars().take(LABEL_CHARS).collect();
    let safe = safe.trim();
    if safe.is_empty() {
        DEFAULT_LABEL.to_string()
    } else {
        safe.to_string()
    }
}

fn file_name(stamp: &str, seq: u32, label: &str) -> String {
    if seq <= 1 {
        format!("{stamp}-{label}.db")
    } else {
        format!("{stamp}.{seq}-{label}.db")
    }
}

/// `YYYYMMDD-HHMMSS[.N]-<label>.db` → (`YYYYMMDD-HHMMSS`, N or 1, label); `None` for any other name.
fn parse_name(file: &str) -> Option<(String, u32, String)> {
    let stem = file.strip_suffix(".db")?;
    let (stamp, rest) = (stem.get(..15)?, stem.get(15..)?);
    let b = stamp.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..8) && b[8] == b'-' && digits(9..15)) {
        return None;
    }
    let (seq, rest) = match rest.strip_prefix('.') {
        Some(r) => {
            let n = r.find('-')?;
            let seq: u32 = r[..n].parse().ok().filter(|s| *s >= 2 && r[..n].bytes().all(|c| c.is_ascii_digit()))?;
            (seq, &r[n..])
        }
        None => (1, rest),
    };
    let label = rest.strip_prefix('-')?;
    if label.is_empty() {
        return None;
    }
    Some((stamp.to_string(), seq, label.to_string()))
}

/// `YYYYMMDD-HHMMSS` → `YYYY-MM-DD HH:MM:SS`.
fn when(stamp: &str) -> String {
    format!("{}-{}-{} {}:{}:{}", &stamp[0..4], &stamp[4..6], &stamp[6..8], &stamp[9..11], &stamp[11..13], &stamp[13..15])
}

/// Deletes all but the newest [`KEEP`] snapshots of `dir`.
fn prune(dir: &Path) -> Result<()> {
    for old in list(dir)?.into_iter().skip(KEEP) {
        std::fs::remove_file(&old.path).map_err(io("删除较早的数据库自动备份", &old.path))?;
    }
    Ok(())
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl Fn(std::io::Error) -> StoreError + 'a {
    move |source| StoreError::SnapshotIo { action, path: path.display().to_string(), source }
}

fn remove_if_exists(path: &Path, action: &'static str) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(action, path)(e)),
    }
}

/// `path` with `suffix` appended to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Makes the renames in `dir` durable where the system allows it (not on Windows, where a folder cannot be
/// opened as a file).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A copy of a file in the temporary folder, deleted (with its `-wal`, `-shm` and `-journal`) when dropped.
struct TempCopy(PathBuf);

impl TempCopy {
    fn of(path: &Path) -> Result<TempCopy> {
        static N: AtomicU64 = AtomicU64::new(0);
        let copy = std::env::temp_dir().join(format!("pingshen-snapshot-check-{}-{}.db", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
        let t = TempCopy(copy);
        std::fs::copy(path, &t.0).map_err(io("复制数据库自动备份", &t.0))?;
        Ok(t)
    }
}

impl Drop for TempCopy {
    fn drop(&mut self) {
        for side in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(with_suffix(&self.0, side));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounds::{self, NewRound};

    const HENAN: &str = include_str!("../../../rubrics/henan-2023/rubric.toml");

    fn add_round(conn: &mut Connection, name: &str) -> i64 {
        let new = NewRound { name: name.into(), rubric_text: HENAN.into(), applications: vec![], experts: vec![], is_sample: false, uid: None };
        rounds::create(conn, &new, "统分人").unwrap()
    }

    fn round_names(conn: &Connection) -> Vec<String> {
        rounds::list(conn).unwrap().into_iter().rev().map(|r| r.name).collect()
    }

    fn files(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        v.sort();
        v
    }

    /// A live database with one round, and its snapshot folder.
    fn live() -> (tempfile::TempDir, PathBuf, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("pingshen.db");
        let mut conn = crate::open(&db).unwrap();
        add_round(&mut conn, "甲批次");
        (dir, db, conn)
    }

    #[test]
    fn a_snapshot_is_a_whole_consistent_copy_named_by_local_time_and_label() {
        let (dir, db, mut conn) = live();
        let snaps = dir_for(&db);
        assert_eq!(snaps, dir.path().join("snapshots"));

        // Another connection's open transaction is not in the copy: only what was committed.
        let other = crate::open(&db).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        other
            .execute("INSERT INTO round (name, rubric_id, rubric_title, rubric_toml, rubric_hash) VALUES ('未提交', 'x', 'x', 'x', 'x')", [])
            .unwrap();
        let s = snapshot(&conn, &snaps, " 导入/评分:文件 ").unwrap();
        other.execute_batch("ROLLBACK").unwrap();
        add_round(&mut conn, "乙批次");

        assert_eq!(s.path, snaps.join(&s.file));
        let (stamp, seq, label) = parse_name(&s.file).unwrap();
        assert_eq!((seq, label.as_str(), s.label.as_str()), (1, "导入_评分_文件", "导入_评分_文件"));
        assert_eq!(s.file, format!("{stamp}-导入_评分_文件.db"));
        assert_eq!(s.when, when(&stamp));
        assert!(s.when.len() == 19 && s.when.as_bytes()[10] == b' ', "{}", s.when);
        assert_eq!(s.bytes, std::fs::metadata(&s.path).unwrap().len());
        assert_eq!(files(&snaps), std::slice::from_ref(&s.file), "no .part is left");

        let before = std::fs::read(&s.path).unwrap();
        let c = check(&s.path).unwrap();
        assert_eq!(c, SnapshotCheck { schema_version: SCHEMA_VERSION, rounds: vec!["甲批次".into()] });
        assert_eq!(std::fs::read(&s.path).unwrap(), before, "checking leaves the snapshot as it was");
        assert_eq!(files(&snaps), std::slice::from_ref(&s.file), "and leaves nothing beside it");
        assert_eq!(round_names(&conn), ["甲批次", "乙批次"]);

        // An empty label; a long one is cut.
        let s2 = snapshot(&conn, &snaps, " \u{3000} ").unwrap();
        assert!(s2.file.ends_with("-自动备份.db") && s2.label == "自动备份", "{}", s2.file);
        let long = snapshot(&conn, &snaps, &"长".repeat(100)).unwrap();
        assert_eq!(long.label, "长".repeat(LABEL_CHARS));

        // Inside a transaction SQLite refuses; nothing is left behind.
        conn.execute_batch("BEGIN").unwrap();
        assert!(snapshot(&conn, &snaps, "事务中").is_err());
        conn.execute_batch("ROLLBACK").unwrap();
        assert_eq!(list(&snaps).unwrap().len(), 3);
        assert!(files(&snaps).iter().all(|f| !f.ends_with(".part")), "{:?}", files(&snaps));
    }

    #[test]
    fn the_newest_ten_are_kept_and_nothing_else_in_the_folder_is_touched() {
        let (_dir, db, conn) = live();
        let snaps = dir_for(&db);
        std::fs::create_dir_all(&snaps).unwrap();
        let old = ["20000101-000000-很早.db", "20000101-000000.2-很早.db", "20100101-120000-较早.db"];
        let other = [
            "notes.txt",
            "pingshen.db",
            "20000101-000000.db",
            "20000101-000000-.db",
            "x20000101-000000-a.db",
            "20000101-000000-a.db.part",
            "20000101-000000.1-a.db",
            "20000101-000000.x-a.db",
            "2000010-0000000-a.db",
        ];
        for f in old.iter().chain(&other) {
            std::fs::write(snaps.join(f), "x").unwrap();
        }
        std::fs::create_dir(snaps.join("20000102-000000-文件夹.db")).unwrap();
        assert_eq!(list(&snaps).unwrap().iter().map(|s| s.file.as_str()).collect::<Vec<_>>(), [old[2], old[1], old[0]]);

        let taken: Vec<String> = (1..=12).map(|i| snapshot(&conn, &snaps, &format!("导入{i}")).unwrap().file).collect();
        let listed: Vec<String> = list(&snaps).unwrap().into_iter().map(|s| s.file).collect();
        let newest: Vec<String> = taken.iter().rev().take(KEEP).cloned().collect();
        assert_eq!(listed, newest, "newest first, the two oldest of them and every older one deleted");
        for f in old {
            assert!(!snaps.join(f).exists(), "{f} was an older snapshot");
        }
        for f in other {
            assert!(snaps.join(f).exists(), "{f} is not a snapshot and stays");
        }
        assert!(snaps.join("20000102-000000-文件夹.db").is_dir());
    }

    #[test]
    fn snapshots_are_listed_by_time_then_number_within_the_second() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "20261203-084512-导入评分文件.db",
            "20261203-084512.2-导入专家名单.db",
            "20261203-084512.10-导入纸质评分.db",
            "20261202-235959-打开评审包.db",
            "20261203-084513-导入申报材料.db",
        ];
        for (i, n) in names.iter().enumerate() {
            std::fs::write(dir.path().join(n), vec![0u8; i + 1]).unwrap();
        }
        let l = list(dir.path()).unwrap();
        assert_eq!(l.iter().map(|s| s.file.as_str()).collect::<Vec<_>>(), [names[4], names[2], names[1], names[0], names[3]]);
        assert_eq!((l[1].when.as_str(), l[1].label.as_str(), l[1].bytes), ("2026-12-03 08:45:12", "导入纸质评分", 3));
        assert_eq!(l[4].when, "2026-12-02 23:59:59");
        assert_eq!(list(&dir.path().join("absent")).unwrap(), []);
        // The next one in a second that has snapshots gets the next number.
        assert_eq!(file_name("20261203-084512", 11, "x"), "20261203-084512.11-x.db");
        assert_eq!(parse_name("20261203-084512.11-x.db"), Some(("20261203-084512".into(), 11, "x".into())));
        assert_eq!(parse_name("20261203-084512-a-b.db"), Some(("20261203-084512".into(), 1, "a-b".into())));
    }

    /// Runs `check` and `restore_snapshot` on a bad file: both refuse, and the live database and its folder are
    /// as they were.
    fn refused(bad: &Path) -> StoreError {
        let (dir, db, conn) = live();
        drop(conn);
        let before = (std::fs::read(&db).unwrap(), files(dir.path()));
        let err = check(bad).unwrap_err();
        let again = restore_snapshot(bad, &db).unwrap_err();
        assert_eq!(err.to_string(), again.to_string());
        assert_eq!((std::fs::read(&db).unwrap(), files(dir.path())), before, "a refused snapshot changes nothing ({err})");
        err
    }

    #[test]
    fn a_damaged_file_or_another_database_is_refused() {
        let (dir, db, conn) = live();
        let good = snapshot(&conn, &dir_for(&db), "导入").unwrap().path;
        let bytes = std::fs::read(&good).unwrap();
        assert!(bytes.len() >= 4 * 4096, "several pages: {}", bytes.len());

        let text = dir.path().join("text.db");
        std::fs::write(&text, "这不是数据库").unwrap();
        let err = refused(&text);
        assert!(matches!(&err, StoreError::SnapshotNotDatabase { file } if file == "text.db"), "{err:?}");
        assert_eq!(err.to_string(), "“text.db”不是评审台的数据库自动备份（不是 SQLite 数据库文件）；请选择另一份自动备份");

        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, "").unwrap();
        assert!(matches!(refused(&empty), StoreError::SnapshotNotDatabase { .. }));

        let half = dir.path().join("half.db");
        std::fs::write(&half, &bytes[..bytes.len() / 2]).unwrap();
        let err = refused(&half);
        assert!(matches!(&err, StoreError::SnapshotDamaged { file, .. } if file == "half.db"), "{err:?}");
        assert!(err.to_string().starts_with("数据库自动备份“half.db”已损坏（") && err.to_string().ends_with("请选择另一份自动备份"), "{err}");

        // Pages overwritten in the middle of the file.
        let mut garbled = bytes.clone();
        let mid = bytes.len() / 4096 / 2 * 4096;
        garbled[mid..mid + 2 * 4096].iter_mut().enumerate().for_each(|(i, b)| *b = (i * 7 % 251) as u8);
        let garbled_path = dir.path().join("garbled.db");
        std::fs::write(&garbled_path, &garbled).unwrap();
        assert!(matches!(refused(&garbled_path), StoreError::SnapshotDamaged { .. }));

        let foreign = dir.path().join("foreign.db");
        Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t (x); PRAGMA user_version = 3;").unwrap();
        let err = refused(&foreign);
        assert!(matches!(&err, StoreError::SnapshotNotPingshen { file } if file == "foreign.db"), "{err:?}");
        assert!(err.to_string().contains("不是评审台的数据库"), "{err}");

        assert!(check(&good).is_ok(), "the undamaged snapshot itself passes");
    }

    #[test]
    fn a_snapshot_of_a_newer_schema_is_refused_and_an_older_one_accepted() {
        let (dir, db, conn) = live();
        let good = snapshot(&conn, &dir_for(&db), "导入").unwrap().path;
        let newer = dir.path().join("newer.db");
        std::fs::copy(&good, &newer).unwrap();
        Connection::open(&newer).unwrap().pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        let err = refused(&newer);
        assert!(matches!(err, StoreError::SnapshotTooNew { found, supported, .. } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION));
        assert!(err.to_string().contains("请升级评审台后再恢复"), "{err}");

        let older = dir.path().join("older.db");
        {
            let mut c = Connection::open(&older).unwrap();
            crate::migrate::to_version(&mut c, 5).unwrap();
            c.execute("INSERT INTO round (name, rubric_id, rubric_title, rubric_toml, rubric_hash) VALUES ('旧批次', 'x', 'x', 'x', 'x')", [])
                .unwrap();
        }
        let before = std::fs::read(&older).unwrap();
        assert_eq!(check(&older).unwrap(), SnapshotCheck { schema_version: 5, rounds: vec!["旧批次".into()] });
        assert_eq!(std::fs::read(&older).unwrap(), before, "the check migrates a copy, not the snapshot");
    }

    #[test]
    fn restoring_a_snapshot_puts_it_in_place_and_keeps_the_database_aside_with_its_wal() {
        let (dir, db, mut conn) = live();
        let snap = snapshot(&conn, &dir_for(&db), "导入评分文件").unwrap();
        add_round(&mut conn, "乙批次");
        // The database as a crash leaves it: its last commit only in the -wal file.
        let crashed = dir.path().join("crashed.db");
        conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
        add_round(&mut conn, "丙批次");
        std::fs::copy(&db, &crashed).unwrap();
        std::fs::copy(with_suffix(&db, "-wal"), with_suffix(&crashed, "-wal")).unwrap();
        std::fs::write(with_suffix(&crashed, "-shm"), "stale").unwrap();
        drop(conn);

        let aside = restore_snapshot(&snap.path, &crashed).unwrap().expect("there was a database");
        let name = aside.file_name().unwrap().to_str().unwrap().to_string();
        assert!(name.starts_with("crashed.db.before-restore-") && name.len() == "crashed.db.before-restore-".len() + 15, "{name}");
        assert_eq!(std::fs::read(&crashed).unwrap(), std::fs::read(&snap.path).unwrap(), "the snapshot, byte for byte");
        for side in ["-wal", "-shm", "-journal"] {
            assert!(!with_suffix(&crashed, side).exists(), "no {side} of the old database beside the restored one");
        }
        assert!(with_suffix(&aside, "-wal").exists());
        assert!(!with_suffix(&crashed, ".restoring").exists());
        assert_eq!(round_names(&crate::open(&crashed).unwrap()), ["甲批次"]);
        assert_eq!(round_names(&crate::open(&aside).unwrap()), ["甲批次", "乙批次", "丙批次"], "the old database, its -wal included");

        // Restoring again in the same second sets the restored database aside under the next name.
        let second = restore_snapshot(&snap.path, &crashed).unwrap().unwrap();
        assert_ne!(second, aside);
        assert!(second.exists() && aside.exists());
        // No database yet: nothing to set aside.
        let fresh = dir.path().join("fresh.db");
        assert_eq!(restore_snapshot(&snap.path, &fresh).unwrap(), None);
        assert_eq!(round_names(&crate::open(&fresh).unwrap()), ["甲批次"]);
    }
}
