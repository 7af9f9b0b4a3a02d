//! `applications/<code>/pages.json`: the text of every stored page of an application's materials, so that
//! full-text search and evidence suggestions work on the laptop as on the staff machine. Format:
//! `docs/round-file.md`, "Page texts".

use std::collections::HashMap;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::{HandoutError, Result};
use crate::manifest::MaterialEntry;

/// The content of a `pages.json` entry. Members are serialized in declaration order; that order is the
/// format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pages {
    /// The materials that have stored pages, in the application's material order.
    pub materials: Vec<MaterialPages>,
}

/// The pages of one material.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialPages {
    /// The material's file name, as in the manifest's `materials[].file`.
    pub file: String,
    /// Its stored pages, by page number.
    pub pages: Vec<PageText>,
}

/// One page's text (`material_page`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageText {
    /// From 1.
    pub page: u32,
    pub text: String,
    /// A page without usable text (扫描页).
    pub scanned: bool,
}

impl Pages {
    /// The entry as written: one line of canonical JSON (as the manifest's), then `\n`.
    pub fn to_file_text(&self) -> String {
        let mut s = serde_json::to_string(self).expect("page texts always serialize");
        s.push('\n');
        s
    }
}

/// The stored pages of an application's materials (`(material id, file)` in the application's order), or
/// `None` when none of them has a stored page.
pub(crate) fn gather(conn: &Connection, materials: &[(i64, String)]) -> Result<Option<Pages>> {
    let mut st = conn.prepare_cached("SELECT page, text, scanned FROM material_page WHERE material_id = ?1 ORDER BY page")?;
    let mut out = Vec::new();
    for (id, file) in materials {
        let pages =
            st.query_map([id], |r| Ok(PageText { page: r.get(0)?, text: r.get(1)?, scanned: r.get(2)? }))?.collect::<rusqlite::Result<Vec<_>>>()?;
        if !pages.is_empty() {
            out.push(MaterialPages { file: file.clone(), pages });
        }
    }
    Ok((!out.is_empty()).then_some(Pages { materials: out }))
}

/// Reads a `pages.json` entry whose bytes have been checked against the manifest: UTF-8, the structure
/// above in canonical form, at least one material, every `file` a material the manifest lists for the
/// application, each at most once and in the manifest's order, each with at least one page, pages from 1
/// in increasing order.
pub(crate) fn read(bytes: Vec<u8>, code: &str, entry: &str, materials: &[MaterialEntry]) -> Result<Pages> {
    let unreadable = |message: String| HandoutError::PagesUnreadable { code: code.to_string(), entry: entry.to_string(), message };
    let text = String::from_utf8(bytes).map_err(|_| unreadable("不是 UTF-8 编码的文本".into()))?;
    let pages: Pages = serde_json::from_str(text.strip_suffix('\n').unwrap_or(&text)).map_err(|e| unreadable(format!("结构不对（{e}）")))?;
    if pages.to_file_text() != text {
        return Err(unreadable("不是评审台写出的规范格式".into()));
    }
    if pages.materials.is_empty() {
        return Err(unreadable("没有任何材料".into()));
    }
    let order: HashMap<&str, usize> = materials.iter().enumerate().map(|(i, m)| (m.file.as_str(), i)).collect();
    let mut last: Option<usize> = None;
    for m in &pages.materials {
        let Some(&i) = order.get(m.file.as_str()) else {
            return Err(unreadable(format!("材料 {} 不在清单中", m.file)));
        };
        if last.is_some_and(|l| i <= l) {
            return Err(unreadable(format!("材料 {} 重复或顺序不对", m.file)));
        }
        last = Some(i);
        if m.pages.is_empty() {
            return Err(unreadable(format!("材料 {} 没有任何页", m.file)));
        }
        let mut prev = 0u32;
        for p in &m.pages {
            if p.page <= prev {
                return Err(unreadable(format!("材料 {} 的页码 {} 无效、重复或顺序不对", m.file, p.page)));
            }
            prev = p.page;
        }
    }
    Ok(pages)
}
