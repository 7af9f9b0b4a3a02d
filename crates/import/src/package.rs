//! Application packages as they arrive: a folder or a `.zip` (often made on Chinese Windows, so with GBK
//! file names), holding either a canonical package (`application.toml` + `materials/`) or what applicants
//! send: a 推荐书 (.docx or .pdf) and supporting PDFs, in any folder layout.
//!
//! [`read_arrived`] reads one into memory. A canonical package goes through
//! [`package_from_files`](crate::package_from_files); otherwise the 推荐书 is found by its name (it contains
//! 推荐书 or 申报书; a .docx is preferred to a .pdf) and every other PDF is a material with its pages
//! counted. Reading the 推荐书's fields is `docx`/`form_pdf`'s work, not this module's.
//!
//! A zip is checked entry by entry before anything is decompressed, and each refusal names the entry:
//! a path that climbs out (`..`), an absolute path or drive letter, a link, an encrypted entry, a name in
//! no encoding we know, too many entries, an entry or a total too large, or a compression ratio only a zip
//! bomb has. Decompression is bounded again by the sizes the directory declares.

use std::io::Read;
use std::path::Path;

use zip::{CompressionMethod, ZipArchive};

use crate::{package_from_files, pdf, ImportError, Material, Package};

/// A package's files: (path inside the package with `/` separators, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// A package read from disk.
#[derive(Clone, Debug, PartialEq)]
pub enum Arrived {
    /// A canonical package (it has `application.toml`).
    Canonical(Box<Package>),
    /// What applicants send.
    Raw {
        /// The 推荐书 (path inside the package with `/` separators, bytes): a .docx or a .pdf whose name
        /// contains 推荐书 or 申报书. `None` when there is none.
        form: Option<(String, Vec<u8>)>,
        /// Every other PDF, in name order, its pages counted; `title` is the file name without `.pdf`.
        materials: Vec<Material>,
    },
}

/// Limits that refuse a zip bomb or an absurd package before it is read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Files in a package (zip entries or files under a folder).
    pub entries: usize,
    /// Bytes of one file, uncompressed.
    pub entry: u64,
    /// Bytes of all files, uncompressed.
    pub total: u64,
    /// Largest uncompressed : compressed ratio of an entry of `ratio_from` bytes or more, and of all entries
    /// together once they pass `ratio_total_from` bytes (many small entries that each pass are still a bomb).
    pub ratio: u64,
    pub ratio_from: u64,
    pub ratio_total_from: u64,
}

/// The limits in force: a 推荐书 and supporting PDFs of hundreds of (possibly scanned) pages fit easily.
pub(crate) const LIMITS: Limits =
    Limits { entries: 2000, entry: 512 << 20, total: 1536 << 20, ratio: 100, ratio_from: 1 << 20, ratio_total_from: 16 << 20 };

/// Reads a package from a folder or a `.zip` file.
pub fn read_arrived(path: &Path) -> Result<Arrived, ImportError> {
    read_arrived_with(path, &LIMITS)
}

pub(crate) fn read_arrived_with(path: &Path, limits: &Limits) -> Result<Arrived, ImportError> {
    let (label, files) = read_files(path, limits)?;
    arrived_from_files(&label, files)
}

/// The files of a folder or a zip, as (path inside the package with `/` separators, bytes), with a single
/// enclosing folder (a zip of a folder) taken away, and the package's label (the folder's or the zip's name).
pub fn package_files(path: &Path) -> Result<(String, Files), ImportError> {
    read_files(path, &LIMITS)
}

fn read_files(path: &Path, limits: &Limits) -> Result<(String, Files), ImportError> {
    let io = |e| ImportError::Io { path: path.to_path_buf(), source: e };
    let meta = std::fs::metadata(path).map_err(io)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
    let (label, mut files) = if meta.is_dir() {
        (name, read_dir(path, limits)?)
    } else if name.to_lowercase().ends_with(".zip") {
        let label = name[..name.len() - 4].to_string();
        (label, read_zip(path, &name, limits)?)
    } else {
        return Err(ImportError::Invalid {
            file: path.display().to_string(),
            message: "既不是文件夹，也不是 .zip 压缩包；请选择申报材料所在的文件夹或 .zip 文件".into(),
        });
    };
    files.retain(|(n, _)| !is_junk(n));
    strip_common_folder(&mut files);
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((label, files))
}

/// Files that operating systems leave behind and nobody sent on purpose.
fn is_junk(name: &str) -> bool {
    name.split('/').any(|c| c == "__MACOSX" || c.starts_with("._") || c == ".DS_Store")
        || name
            .rsplit('/')
            .next()
            .is_some_and(|f| f.eq_ignore_ascii_case("Thumbs.db") || f.eq_ignore_ascii_case("desktop.ini") || f.starts_with("~$"))
}

/// A zip of a folder has every file under that folder: take it away.
fn strip_common_folder(files: &mut [(String, Vec<u8>)]) {
    loop {
        let Some(first) = files.first().and_then(|(n, _)| n.split_once('/').map(|(d, _)| d.to_string())) else { return };
        let prefix = format!("{first}/");
        if !files.iter().all(|(n, _)| n.starts_with(&prefix)) {
            return;
        }
        for (n, _) in files.iter_mut() {
            n.replace_range(..prefix.len(), "");
        }
    }
}

/// Every file under a folder (recursively; links are refused).
fn read_dir(root: &Path, limits: &Limits) -> Result<Vec<(String, Vec<u8>)>, ImportError> {
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut stack = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel)) = stack.pop() {
        let io = |e| ImportError::Io { path: dir.clone(), source: e };
        let mut entries: Vec<_> = std::fs::read_dir(&dir).map_err(io)?.collect::<Result<_, _>>().map_err(io)?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = format!("{rel}{}", e.file_name().to_string_lossy());
            let p = e.path();
            let kind = e.file_type().map_err(|source| ImportError::Io { path: p.clone(), source })?;
            if kind.is_symlink() {
                return Err(ImportError::Invalid {
                    file: p.display().to_string(),
                    message: "是一个链接（快捷方式），申报材料中不应有链接；请复制原文件".into(),
                });
            }
            if kind.is_dir() {
                stack.push((p, format!("{name}/")));
                continue;
            }
            if out.len() >= limits.entries {
                return Err(ImportError::Invalid {
                    file: root.display().to_string(),
                    message: format!("中的文件超过 {} 个，不像一份申报材料；请只放入推荐书和支撑材料", limits.entries),
                });
            }
            let size = e.metadata().map_err(|source| ImportError::Io { path: p.clone(), source })?.len();
            total += size;
            if size > limits.entry || total > limits.total {
                return Err(ImportError::Invalid {
                    file: p.display().to_string(),
                    message: format!("太大（申报材料单个文件不超过 {}，合计不超过 {}）", mib(limits.entry), mib(limits.total)),
                });
            }
            let bytes = std::fs::read(&p).map_err(|source| ImportError::Io { path: p.clone(), source })?;
            out.push((name, bytes));
        }
    }
    Ok(out)
}

fn mib(bytes: u64) -> String {
    format!("{} MB", bytes >> 20)
}

/// Every file of a zip, each entry checked first.
fn read_zip(path: &Path, label: &str, limits: &Limits) -> Result<Vec<(String, Vec<u8>)>, ImportError> {
    let io = |e| ImportError::Io { path: path.to_path_buf(), source: e };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut archive = ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| match e {
        zip::result::ZipError::Io(e) if !matches!(e.kind(), std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData) => io(e),
        other => ImportError::BadZip { file: label.to_string(), reason: zip_reason(&other) },
    })?;
    let refuse = |entry: &str, reason: String| ImportError::UnsafeZip { zip: label.to_string(), entry: entry.to_string(), reason };
    if archive.len() > limits.entries {
        return Err(refuse(
            &format!("共 {} 个文件", archive.len()),
            format!("超过 {} 个的上限，不像一份申报材料（可能是恶意构造的压缩包）", limits.entries),
        ));
    }
    // Pass 1: the directory only, nothing decompressed.
    let mut names = Vec::with_capacity(archive.len());
    let (mut total, mut total_compressed) = (0u64, 0u64);
    for i in 0..archive.len() {
        let e = archive.by_index_data(i).map_err(|e| ImportError::BadZip { file: label.to_string(), reason: zip_reason(&e) })?;
        let name = entry_name(e.name_raw()).map_err(|shown| refuse(&shown, "的文件名编码无法识别（既不是 UTF-8 也不是 GBK）".into()))?;
        if let Some(reason) = unsafe_path(&name) {
            return Err(refuse(&name, format!("的路径不安全（{reason}）")));
        }
        if e.is_symlink() {
            return Err(refuse(&name, "是一个链接（符号链接），申报材料中不应有链接".into()));
        }
        if e.is_dir() || name.ends_with('/') {
            names.push(None);
            continue;
        }
        if e.encrypted() {
            return Err(refuse(&name, "已加密（设有密码），请提供不加密的压缩包".into()));
        }
        if !matches!(e.compression(), CompressionMethod::Stored | CompressionMethod::Deflated) {
            return Err(refuse(&name, "使用了不支持的压缩方式，请用 zip 默认方式（Deflate）重新压缩".into()));
        }
        let (size, compressed) = (e.size(), e.compressed_size());
        if size > limits.entry {
            return Err(refuse(&name, format!("解压后有 {size} 字节，超过单个文件 {} 的上限", mib(limits.entry))));
        }
        if size >= limits.ratio_from && size > compressed.saturating_mul(limits.ratio) {
            return Err(refuse(
                &name,
                format!("的压缩比异常（{size} 字节压缩为 {compressed} 字节，超过 {}:1），可能是恶意构造的压缩包（zip 炸弹）", limits.ratio),
            ));
        }
        total += size;
        total_compressed += compressed;
        if total > limits.total {
            return Err(refuse(&name, format!("处解压后的总大小超过 {} 的上限，可能是恶意构造的压缩包（zip 炸弹）", mib(limits.total))));
        }
        if total >= limits.ratio_total_from && total > total_compressed.saturating_mul(limits.ratio) {
            return Err(refuse(
                &name,
                format!(
                    "处压缩包的总压缩比异常（{total} 字节压缩为 {total_compressed} 字节，超过 {}:1），可能是恶意构造的压缩包（zip 炸弹）",
                    limits.ratio
                ),
            ));
        }
        names.push(Some((name, size)));
    }
    // Pass 2: the bytes, never more than each entry declares.
    let mut out = Vec::new();
    for (i, slot) in names.into_iter().enumerate() {
        let Some((name, size)) = slot else { continue };
        if out.iter().any(|(n, _): &(String, Vec<u8>)| *n == name) {
            return Err(refuse(&name, "在压缩包中出现了两次".into()));
        }
        let mut f =
            archive.by_index(i).map_err(|e| ImportError::BadZip { file: label.to_string(), reason: format!("“{name}”：{}", zip_reason(&e)) })?;
        let mut bytes = Vec::with_capacity(size as usize);
        let read = (&mut f).take(size + 1).read_to_end(&mut bytes);
        if read.is_err() || bytes.len() as u64 != size {
            return Err(ImportError::BadZip {
                file: label.to_string(), reason: format!("“{name}”的数据已损坏（校验不符或长度与目录不符）")
            });
        }
        out.push((name, bytes));
    }
    Ok(out)
}

fn zip_reason(e: &zip::result::ZipError) -> String {
    match e {
        zip::result::ZipError::UnsupportedArchive(m) => format!("不支持的压缩包格式（{m}）"),
        other => format!("{other}"),
    }
}

/// An entry's name: UTF-8 (with or without the flag; ASCII is both), else GBK as Chinese Windows writes
/// it. `Err` with a printable form of the bytes when it is neither.
fn entry_name(raw: &[u8]) -> Result<String, String> {
    let name = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (s, had_errors) = encoding_rs::GBK.decode_without_bom_handling(raw);
            if had_errors {
                return Err(String::from_utf8_lossy(raw).into_owned());
            }
            s.into_owned()
        }
    };
    // Old Windows tools write `\` as the separator.
    Ok(name.replace('\\', "/"))
}

/// Why an entry name is not a safe relative path, if it is not.
fn unsafe_path(name: &str) -> Option<&'static str> {
    if name.starts_with('/') {
        return Some("使用了绝对路径");
    }
    let first = name.split('/').next().unwrap_or("");
    if first.len() >= 2 && first.as_bytes()[1] == b':' {
        return Some("含有盘符");
    }
    if name.split('/').any(|c| c == "..") {
        return Some("含有 ..，会写到压缩包之外");
    }
    if name.chars().any(|c| c.is_control()) {
        return Some("含有控制字符");
    }
    None
}

/// Sorts the files of a package into a canonical package or the raw parts.
pub fn arrived_from_files(label: &str, files: Vec<(String, Vec<u8>)>) -> Result<Arrived, ImportError> {
    if files.iter().any(|(n, _)| n == "application.toml") {
        return package_from_files(label, &files).map(|p| Arrived::Canonical(Box::new(p)));
    }
    let base = |n: &str| n.rsplit('/').next().unwrap_or(n).to_string();
    let ext = |n: &str| n.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let is_form_name = |n: &str| {
        let b = base(n);
        b.contains("推荐书") || b.contains("申报书")
    };
    let form_index = files
        .iter()
        .position(|(n, _)| is_form_name(n) && ext(n) == "docx")
        .or_else(|| files.iter().position(|(n, _)| is_form_name(n) && ext(n) == "pdf"));
    if form_index.is_none() {
        if let Some((n, _)) = files.iter().find(|(n, _)| is_form_name(n) && matches!(ext(n).as_str(), "doc" | "wps")) {
            return Err(ImportError::Invalid {
                file: format!("{label}/{n}"),
                message: "是旧版 Word/WPS 格式，无法读取；请用 Word 或 WPS 另存为 .docx 后重新导入".into(),
            });
        }
    }
    let mut form = None;
    let mut pdfs = Vec::new();
    for (i, (n, bytes)) in files.into_iter().enumerate() {
        if Some(i) == form_index {
            form = Some((n, bytes));
        } else if ext(&n) == "pdf" {
            pdfs.push((n, bytes));
        }
    }
    let mut materials: Vec<Material> = Vec::with_capacity(pdfs.len());
    for (path, content) in pdfs {
        let mut file = base(&path);
        if materials.iter().any(|m| m.file == file) {
            file = path.replace('/', "_");
        }
        let pages = pdf::page_count(&format!("{label}/{path}"), &content)?;
        let title = file.get(..file.len() - 4).unwrap_or(&file).to_string();
        materials.push(Material { file, title, pages, content });
    }
    Ok(Arrived::Raw { form, materials })
}

#[cfg(test)]
mod tests;
