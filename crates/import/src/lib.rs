//! Reading what arrives on disk into core values: application packages in the canonical format and rubric
//! folders.
//!
//! A canonical package is a folder holding `application.toml` (the structured 推荐书) and `materials/` with an
//! `index.toml` and the PDFs it lists (`docs/package-format.md`). [`package_from_files`] does the work on
//! in-memory files, so embedded samples and folders on disk go through the same checks; [`read_package_dir`]
//! only collects the files. Every problem names the file it is in, in Chinese.

pub mod arrive;
pub mod docx;
pub mod experts;
mod form_map;
pub mod form_pdf;
pub mod package;
pub mod pdf;
pub mod rubric_xlsx;
pub mod scores;
mod table;
mod xlsx_zip;

pub use docx::read_docx;
pub use experts::{read_experts_file, write_experts_template, ExpertListError, ExpertListProblem};
pub use form_map::{FormRead, FormSource};
pub use form_pdf::read_form_pdf;

use std::path::{Path, PathBuf};

use pingshen_core::application::{parse_application, Application};
use pingshen_core::rubric::{self, Rubric, RubricProblem};
use serde::Deserialize;

/// A package read into memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    pub application: Application,
    pub materials: Vec<Material>,
}

/// One supporting-material file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Material {
    pub file: String,
    pub title: String,
    pub pages: u32,
    pub content: Vec<u8>,
}

/// What can be wrong with a package or rubric on disk.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error("无法读取 {path}：{source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{file} 不存在")]
    Missing { file: String },
    #[error("{file} 不是 UTF-8 编码的文本，请另存为 UTF-8")]
    NotUtf8 { file: String },
    #[error("{file} {message}")]
    Invalid { file: String, message: String },
    #[error("{file} 有 {} 处问题", .problems.len())]
    Rubric { file: String, problems: Vec<RubricProblem> },
    /// A rubric workbook (`rubric_xlsx.rs`) that is refused: every problem with its sheet, row and column.
    #[error("{file} 有 {} 处问题", .problems.len())]
    RubricXlsx { file: String, problems: Vec<rubric_xlsx::Problem> },
    /// A PDF that does not load (`pdf.rs`).
    #[error("{file} 无法作为 PDF 读取：{reason}；请确认文件完整，或重新导出为 PDF")]
    Pdf { file: String, reason: String },
    /// A PDF that needs a password to open.
    #[error("{file} 是加密（设有打开密码）的 PDF，无法读取；请提供未加密的版本")]
    PdfEncrypted { file: String },
    /// A zip entry refused for safety (`package.rs`): path traversal, absolute path, link, encryption, a zip
    /// bomb, too many entries.
    #[error("压缩包 {zip} 中的“{entry}”{reason}，已拒绝读取")]
    UnsafeZip { zip: String, entry: String, reason: String },
    /// Not a zip, or a damaged one.
    #[error("{file} 不是有效的 zip 压缩包或已损坏：{reason}")]
    BadZip { file: String, reason: String },
    /// A 推荐书 .docx that cannot be read (`docx.rs`): not a zip, no word/document.xml, broken XML, an old .doc.
    #[error("{file} {reason}")]
    DocxUnreadable { file: String, reason: String },
    /// A package without a 推荐书 (`arrive.rs`).
    #[error("{package} 中没有找到推荐书：推荐书应为 .docx 或 .pdf 文件，文件名中含有“推荐书”或“申报书”")]
    NoForm { package: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Index {
    #[serde(default)]
    materials: Vec<IndexEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexEntry {
    file: String,
    title: String,
    pages: u32,
}

fn text<'a>(files: &'a [(String, Vec<u8>)], name: &str, label: &str) -> Result<Option<&'a str>, ImportError> {
    match files.iter().find(|(n, _)| n == name) {
        None => Ok(None),
        Some((_, bytes)) => {
            let b = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
            std::str::from_utf8(b).map(Some).map_err(|_| ImportError::NotUtf8 { file: format!("{label}/{name}") })
        }
    }
}

/// Builds a package from its files, given as (path inside the package with `/` separators, bytes).
/// `label` names the package in messages (its folder name).
pub fn package_from_files(label: &str, files: &[(String, Vec<u8>)]) -> Result<Package, ImportError> {
    let app_text = text(files, "application.toml", label)?.ok_or_else(|| ImportError::Missing { file: format!("{label}/application.toml") })?;
    let application =
        parse_application(app_text).map_err(|e| ImportError::Invalid { file: format!("{label}/application.toml"), message: e.to_string() })?;
    let mut materials = Vec::new();
    if let Some(index_text) = text(files, "materials/index.toml", label)? {
        let index_file = format!("{label}/materials/index.toml");
        let index: Index = toml::from_str(index_text)
            .map_err(|e| ImportError::Invalid { file: index_file.clone(), message: format!("格式错误：{}", e.message()) })?;
        for (i, entry) in index.materials.iter().enumerate() {
            if entry.file.contains('/') || entry.file.contains('\\') || entry.file.starts_with('.') {
                return Err(ImportError::Invalid {
                    file: index_file, message: format!("第 {} 项的文件名“{}”不能包含路径", i + 1, entry.file)
                });
            }
            let path = format!("materials/{}", entry.file);
            let content = files
                .iter()
                .find(|(n, _)| *n == path)
                .map(|(_, b)| b.clone())
                .ok_or_else(|| ImportError::Missing { file: format!("{label}/{path}（目录索引第 {} 项）", i + 1) })?;
            if !content.starts_with(b"%PDF-") {
                return Err(ImportError::Invalid { file: format!("{label}/{path}"), message: "不是 PDF 文件".into() });
            }
            materials.push(Material { file: entry.file.clone(), title: entry.title.clone(), pages: entry.pages, content });
        }
    }
    for (name, _) in files {
        if let Some(f) = name.strip_prefix("materials/") {
            if f.to_lowercase().ends_with(".pdf") && !materials.iter().any(|m| m.file == f) {
                return Err(ImportError::Invalid {
                    file: format!("{label}/materials/index.toml"),
                    message: format!("未列出材料文件“{f}”，请在目录索引中登记"),
                });
            }
        }
    }
    Ok(Package { application, materials })
}

/// Reads a canonical package folder.
pub fn read_package_dir(dir: &Path) -> Result<Package, ImportError> {
    let label = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| dir.display().to_string());
    let mut files = Vec::new();
    let read = |p: &Path| std::fs::read(p).map_err(|e| ImportError::Io { path: p.to_path_buf(), source: e });
    let app = dir.join("application.toml");
    if app.exists() {
        files.push(("application.toml".to_string(), read(&app)?));
    }
    let mdir = dir.join("materials");
    if mdir.is_dir() {
        let entries = std::fs::read_dir(&mdir).map_err(|e| ImportError::Io { path: mdir.clone(), source: e })?;
        for entry in entries {
            let entry = entry.map_err(|e| ImportError::Io { path: mdir.clone(), source: e })?;
            let p = entry.path();
            if p.is_file() {
                files.push((format!("materials/{}", entry.file_name().to_string_lossy()), read(&p)?));
            }
        }
    }
    package_from_files(&label, &files)
}

/// The rubric file of a rubric folder.
pub const RUBRIC_FILE: &str = "rubric.toml";

/// Reads and validates a rubric folder (`<dir>/rubric.toml`); returns its text and the rubric.
pub fn read_rubric_dir(dir: &Path) -> Result<(String, Rubric), ImportError> {
    let path = if dir.is_file() { dir.to_path_buf() } else { dir.join(RUBRIC_FILE) };
    let bytes = std::fs::read(&path).map_err(|e| ImportError::Io { path: path.clone(), source: e })?;
    let file = path.display().to_string();
    let text = String::from_utf8(bytes).map_err(|_| ImportError::NotUtf8 { file: file.clone() })?;
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    match rubric::parse(&text) {
        Ok(r) => Ok((text, r)),
        Err(e) => Err(ImportError::Rubric { file, problems: e.problems }),
    }
}

/// Reads and validates a rubric from a folder (its `rubric.toml`), a `.toml` file, or anything else as the
/// .xlsx template ([`rubric_xlsx::read_rubric_xlsx`], which refuses an .xls, a CSV or other files by their
/// bytes). Returns the rubric's text (a workbook's canonical TOML, [`rubric::to_toml`]) and the rubric.
pub fn read_rubric_path(path: &Path) -> Result<(String, Rubric), ImportError> {
    let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if path.is_dir() || is_toml {
        return read_rubric_dir(path);
    }
    let file = path.display().to_string();
    let io = |e| ImportError::Io { path: path.to_path_buf(), source: e };
    // Refused before it is read into memory.
    let len = std::fs::metadata(path).map_err(io)?.len();
    if let Some(p) = rubric_xlsx::size_problem(len) {
        return Err(ImportError::RubricXlsx { file, problems: vec![p] });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    rubric_xlsx::read_rubric_xlsx(&name, &bytes).map_err(|problems| ImportError::RubricXlsx { file, problems })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &[u8])]) -> Vec<(String, Vec<u8>)> {
        list.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect()
    }

    const APP: &[u8] = include_bytes!("../../../sample-applications/jiyuan/application.toml");

    #[test]
    fn a_package_needs_its_application() {
        let e = package_from_files("p", &files(&[])).unwrap_err();
        assert_eq!(e.to_string(), "p/application.toml 不存在");
    }

    #[test]
    fn materials_must_be_listed_present_and_pdf() {
        let index = "[[materials]]\nfile = \"a.pdf\"\ntitle = \"甲\"\npages = 2\n".as_bytes();
        let e = package_from_files("p", &files(&[("application.toml", APP), ("materials/index.toml", index)])).unwrap_err();
        assert!(e.to_string().contains("p/materials/a.pdf（目录索引第 1 项） 不存在"), "{e}");
        let e = package_from_files("p", &files(&[("application.toml", APP), ("materials/index.toml", index), ("materials/a.pdf", b"hello")]))
            .unwrap_err();
        assert!(e.to_string().contains("不是 PDF"), "{e}");
        let e = package_from_files(
            "p",
            &files(&[("application.toml", APP), ("materials/index.toml", index), ("materials/a.pdf", b"%PDF-1.4"), ("materials/b.pdf", b"%PDF-1.4")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("未列出材料文件“b.pdf”"), "{e}");
        let p =
            package_from_files("p", &files(&[("application.toml", APP), ("materials/index.toml", index), ("materials/a.pdf", b"%PDF-1.4")])).unwrap();
        assert_eq!(p.materials[0].title, "甲");
    }

    #[test]
    fn a_broken_application_names_file_and_line() {
        let e = package_from_files("p", &files(&[("application.toml", b"[cover]\nname = 3\n")])).unwrap_err();
        assert!(e.to_string().starts_with("p/application.toml 第 2 行"), "{e}");
    }
}
