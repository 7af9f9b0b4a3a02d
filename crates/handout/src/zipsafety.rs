//! Zip safety: the checks of a zip's directory made before anything in it is decompressed, shared by the
//! zip formats of Pingshen (the round file here, the round backup in `pingshen-backup`). Each format words
//! a [`Refusal`] in its own terms.

use std::io::{Read, Seek};

use zip::{CompressionMethod, ZipArchive};

/// Why a zip's directory is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Two entries have the same name.
    Duplicates,
    /// An entry of the directory cannot be read at all.
    Unreadable,
    /// An absolute path, a `..` component, a backslash, a drive letter or a control character; `reason`
    /// says which, in Chinese ("使用了绝对路径", "含有 ..").
    UnsafePath {
        entry: String,
        reason: &'static str,
    },
    /// A symbolic link.
    Link {
        entry: String,
    },
    /// A directory entry (the formats have none).
    Directory {
        entry: String,
    },
    Encrypted {
        entry: String,
    },
    /// Neither Stored nor Deflate.
    UnsupportedCompression {
        entry: String,
    },
    /// Its declared uncompressed size is over its limit.
    TooLarge {
        entry: String,
        size: u64,
        limit: u64,
    },
    /// Far more bytes out than in (a zip bomb).
    CompressionRatio {
        entry: String,
        size: u64,
        compressed: u64,
        limit: u64,
    },
}

/// From this many uncompressed bytes in all, the ratio of all entries together is checked too.
pub const RATIO_TOTAL_FROM: u64 = 16 << 20;

/// The compression ratio allowed: at most `limit` : 1 for an entry of more than `from` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RatioLimit {
    pub limit: u64,
    pub from: u64,
}

/// Checks every entry of the zip's directory, in directory order, without decompressing anything: no two
/// entries of the same name; each name a safe relative path ([`unsafe_path`]); not a link, not a directory,
/// not encrypted; Stored or Deflate; its declared size at most `limit_of(name)`; and its compression ratio
/// within `ratio`, and so is the ratio of all entries together once they pass [`RATIO_TOTAL_FROM`] bytes (many
/// entries just under `ratio.from` are still a bomb). The first problem refuses the zip. Returns each entry's
/// name and declared size.
pub fn check_directory<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    limit_of: impl Fn(&str) -> u64,
    ratio: RatioLimit,
) -> Result<Vec<(String, u64)>, Refusal> {
    if archive.has_duplicate_names() {
        return Err(Refusal::Duplicates);
    }
    let mut names = Vec::with_capacity(archive.len());
    let (mut total, mut total_compressed) = (0u64, 0u64);
    for i in 0..archive.len() {
        let e = archive.by_index_data(i).map_err(|_| Refusal::Unreadable)?;
        let name = String::from_utf8_lossy(e.name_raw()).into_owned();
        if let Some(reason) = unsafe_path(&name) {
            return Err(Refusal::UnsafePath { entry: name, reason });
        }
        if e.is_symlink() {
            return Err(Refusal::Link { entry: name });
        }
        if e.is_dir() {
            return Err(Refusal::Directory { entry: name });
        }
        if e.encrypted() {
            return Err(Refusal::Encrypted { entry: name });
        }
        if !matches!(e.compression(), CompressionMethod::Stored | CompressionMethod::Deflated) {
            return Err(Refusal::UnsupportedCompression { entry: name });
        }
        let (size, compressed) = (e.size(), e.compressed_size());
        let limit = limit_of(&name);
        if size > limit {
            return Err(Refusal::TooLarge { entry: name, size, limit });
        }
        if size > ratio.from && size > compressed.saturating_mul(ratio.limit) {
            return Err(Refusal::CompressionRatio { entry: name, size, compressed, limit: ratio.limit });
        }
        total = total.saturating_add(size);
        total_compressed = total_compressed.saturating_add(compressed);
        if total >= RATIO_TOTAL_FROM && total > total_compressed.saturating_mul(ratio.limit) {
            let entry = format!("{name}（连同之前的全部文件）");
            return Err(Refusal::CompressionRatio { entry, size: total, compressed: total_compressed, limit: ratio.limit });
        }
        names.push((name, size));
    }
    Ok(names)
}

/// Why an entry name is not a safe relative path, if it is not: a leading `/`, a backslash, a drive letter,
/// a `..` component or a control character.
pub fn unsafe_path(name: &str) -> Option<&'static str> {
    if name.starts_with('/') {
        return Some("使用了绝对路径");
    }
    if name.contains('\\') {
        return Some("含有反斜杠");
    }
    let first = name.split('/').next().unwrap_or("");
    if first.len() >= 2 && first.as_bytes()[1] == b':' {
        return Some("含有盘符");
    }
    if name.split('/').any(|c| c == "..") {
        return Some("含有 ..");
    }
    if name.chars().any(|c| c.is_control()) {
        return Some("含有控制字符");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_entries_just_under_the_ratio_threshold_are_refused_together() {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let zeros = vec![0u8; 1 << 20];
        for i in 0..20 {
            w.start_file(format!("m/{i}.pdf"), zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(&zeros).unwrap();
        }
        let mut archive = ZipArchive::new(w.finish().unwrap()).unwrap();
        let refused = check_directory(&mut archive, |_| u64::MAX, RatioLimit { limit: 100, from: 1 << 20 }).unwrap_err();
        let Refusal::CompressionRatio { entry, size, .. } = refused else { panic!("{refused:?}") };
        assert_eq!((entry.as_str(), size), ("m/15.pdf（连同之前的全部文件）", 16 << 20));
    }

    #[test]
    fn unsafe_paths_say_why() {
        assert_eq!(unsafe_path("/etc/passwd"), Some("使用了绝对路径"));
        assert_eq!(unsafe_path("a\\b"), Some("含有反斜杠"));
        assert_eq!(unsafe_path("C:/x"), Some("含有盘符"));
        assert_eq!(unsafe_path("a/../b"), Some("含有 .."));
        assert_eq!(unsafe_path(".."), Some("含有 .."));
        assert_eq!(unsafe_path("a/b\u{1}"), Some("含有控制字符"));
        assert_eq!(unsafe_path("applications/A01/materials/章程.pdf"), None);
        assert_eq!(unsafe_path("a/..b/c..d"), None);
    }
}
