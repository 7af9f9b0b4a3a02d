//! The 推荐书 as a .docx filled in Word or WPS from the Henan template.
//!
//! A .docx is a zip of XML parts. The main part (named by `_rels/.rels`, normally `word/document.xml`) is
//! walked once: paragraphs of `w:body` and tables (`w:tbl`/`w:tr`/`w:tc`), with `w:gridBefore`,
//! `w:gridSpan` (horizontal merge), `w:vMerge` (vertical merge: `restart`, or `continue` written with or
//! without `w:val`) and the legacy `w:hMerge` honoured to rebuild each table's real grid. Text is the `w:t`
//! of the runs, with `w:tab` as a tab and `w:br`/`w:cr` as line breaks; the paragraphs of a cell are joined
//! by newlines. Struck-out runs (`w:strike`, `w:dstrike`), hidden runs (`w:vanish`), superscripts (footnote
//! marks typed by hand), deleted text, field codes and the fallback copy of `mc:AlternateContent` are no part
//! of the text. The cells of every table in grid order and the paragraphs
//! outside tables become the tokens of [`crate::form_map`], which maps the form's labels to the fields.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

use crate::form_map::{self, FormRead, FormSource};
use crate::ImportError;

const W_MAIN: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
/// Word allows 63 columns; a larger span or offset in a hostile file is cut to this.
const MAX_COLUMNS: usize = 64;
/// The largest main part read (an unpacked document.xml of a 推荐书 is well under 10 MB).
const MAX_XML: u64 = 64 * 1024 * 1024;

/// Reads a 推荐书 from the bytes of a .docx file; `file_name` names it in messages.
pub fn read_docx(file_name: &str, bytes: &[u8]) -> Result<FormRead, ImportError> {
    let xml = main_part(file_name, bytes)?;
    let blocks = parse_document(&xml).map_err(|reason| refuse(file_name, format!("正文（word/document.xml）无法解析：{reason}")))?;
    let tokens = tokens(&blocks);
    Ok(form_map::finish(form_map::map_tokens(&tokens), FormSource::Docx))
}

fn refuse(file: &str, reason: impl Into<String>) -> ImportError {
    ImportError::DocxUnreadable { file: file.to_string(), reason: reason.into() }
}

/// The main document part's XML.
fn main_part(file_name: &str, bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(refuse(file_name, "是旧版 Word 文档（.doc）或加密的文档，请用 Word 或 WPS 另存为 .docx（不设密码）后再导入"));
    }
    if !bytes.starts_with(b"PK") {
        return Err(refuse(file_name, "不是 .docx 文件（不是 zip 格式）"));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| refuse(file_name, format!("不是有效的 .docx 文件（zip 无法打开：{e}）")))?;
    let names: Vec<String> = zip.file_names().filter_map(Result::ok).map(|n| n.into_owned()).collect();
    let find = |wanted: &str| names.iter().find(|n| n.trim_start_matches('/').eq_ignore_ascii_case(wanted)).cloned();
    let mut target = "word/document.xml".to_string();
    if let Some(rels) = find("_rels/.rels") {
        if let Ok(xml) = read_entry(&mut zip, &rels) {
            if let Some(t) = office_document_target(&xml) {
                target = t;
            }
        }
    }
    let entry = find(&target)
        .or_else(|| find("word/document.xml"))
        .ok_or_else(|| refuse(file_name, "不是 Word 文档：文件中没有正文（word/document.xml）"))?;
    read_entry(&mut zip, &entry).map_err(|e| refuse(file_name, e))
}

fn read_entry(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, String> {
    let file = zip.by_name(name).map_err(|e| format!("无法读取 {name}：{e}"))?;
    if file.size() > MAX_XML {
        return Err(format!("{name} 过大"));
    }
    let mut out = Vec::new();
    file.take(MAX_XML + 1).read_to_end(&mut out).map_err(|e| format!("无法解压 {name}：{e}"))?;
    if out.len() as u64 > MAX_XML {
        return Err(format!("{name} 过大"));
    }
    Ok(out)
}

/// The target of the officeDocument relationship in `_rels/.rels`.
fn office_document_target(xml: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let ty = attr(&e, "Type").unwrap_or_default();
                if ty.ends_with("/officeDocument") {
                    return attr(&e, "Target").map(|t| t.trim_start_matches('/').to_string());
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// An attribute's value by local name.
fn attr(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// A piece of the document body in order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Block {
    Paragraph(String),
    Table(Table),
}

/// A table with its merged cells resolved.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Table {
    /// Every real cell once, in reading order (by its top-left grid position).
    pub cells: Vec<GridCell>,
    /// `grid[row][column]`: the index into `cells` of the cell covering that position.
    pub grid: Vec<Vec<Option<usize>>>,
}

/// One cell after merging.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GridCell {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

#[derive(Debug)]
struct RawCell {
    paras: Vec<String>,
    span: usize,
    vmerge: VMerge,
    hmerge_continue: bool,
}

#[derive(Debug, Default)]
struct RawRow {
    grid_before: usize,
    cells: Vec<RawCell>,
}

#[derive(Debug, Default)]
struct RawTable {
    rows: Vec<RawRow>,
}

/// The widest a row's grid may be (gridBefore and spans are each cut to [`MAX_COLUMNS`]; cells beyond this
/// width give their text to the row's last cell and take no columns).
const MAX_ROW_WIDTH: usize = 2 * MAX_COLUMNS;
/// Grid slots all the tables of a document may take together: a 推荐书 has a few thousand. A file whose
/// tables would take more is refused (a hostile file of very many wide rows took 1.4 GB before this).
const MAX_GRID_SLOTS: usize = 1_000_000;

impl RawTable {
    /// The table's grid; `slots` is what is left of the document's [`MAX_GRID_SLOTS`].
    fn build(self, slots: &mut usize) -> Result<Table, String> {
        let mut cells: Vec<GridCell> = Vec::new();
        let mut grid: Vec<Vec<Option<usize>>> = Vec::new();
        for (r, row) in self.rows.into_iter().enumerate() {
            let mut line: Vec<Option<usize>> = vec![None; row.grid_before.min(MAX_ROW_WIDTH)];
            for raw in row.cells {
                let text = raw.paras.join("\n");
                let text = text.trim_matches('\n').to_string();
                let col = line.len();
                if col >= MAX_ROW_WIDTH {
                    if let Some(Some(idx)) = line.last().copied() {
                        append(&mut cells[idx].text, &text);
                    }
                    continue;
                }
                let span = raw.span.clamp(1, MAX_ROW_WIDTH - col);
                if raw.hmerge_continue {
                    if let Some(Some(idx)) = line.last().copied() {
                        cells[idx].colspan += span;
                        append(&mut cells[idx].text, &text);
                        line.extend(std::iter::repeat_n(Some(idx), span));
                        continue;
                    }
                }
                if raw.vmerge == VMerge::Continue {
                    let above = r.checked_sub(1).and_then(|p| grid.get(p)).and_then(|l| l.get(col).copied().flatten());
                    if let Some(idx) = above {
                        if cells[idx].col == col && cells[idx].row + cells[idx].rowspan == r {
                            cells[idx].rowspan += 1;
                            append(&mut cells[idx].text, &text);
                            line.extend(std::iter::repeat_n(Some(idx), span));
                            continue;
                        }
                    }
                }
                cells.push(GridCell { row: r, col, rowspan: 1, colspan: span, text });
                line.extend(std::iter::repeat_n(Some(cells.len() - 1), span));
            }
            *slots =
                slots.checked_sub(line.len().max(1)).ok_or_else(|| format!("文档中的表格过大（超过 {MAX_GRID_SLOTS} 个单元格），不像是推荐书"))?;
            grid.push(line);
        }
        Ok(Table { cells, grid })
    }
}

fn append(to: &mut String, text: &str) {
    if !text.is_empty() {
        if !to.is_empty() {
            to.push('\n');
        }
        to.push_str(text);
    }
}

/// Walks document.xml into blocks.
pub(crate) fn parse_document(xml: &[u8]) -> Result<Vec<Block>, String> {
    let mut reader = NsReader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut blocks = Vec::new();
    let mut tables: Vec<RawTable> = Vec::new();
    // Open cells, innermost last (one per open table at most).
    let mut cells: Vec<Option<RawCell>> = Vec::new();
    let mut paras: Vec<String> = Vec::new();
    let mut in_t = false;
    let mut in_ppr = 0usize;
    let mut in_rpr = false;
    let mut struck = false;
    let mut skip = 0usize; // inside mc:Fallback, w:moveFrom
    let mut slots = MAX_GRID_SLOTS;

    loop {
        let (ns, event) = reader.read_resolved_event_into(&mut buf).map_err(|e| e.to_string())?;
        let is_w = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == W_MAIN || n.as_ref() == W_STRICT);
        let is_mc = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == MC);
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skip > 0 || (is_mc && name == "Fallback") || (is_w && name == "moveFrom") {
                    skip += 1;
                    buf.clear();
                    continue;
                }
                if !is_w {
                    buf.clear();
                    continue;
                }
                match name {
                    "tbl" => {
                        tables.push(RawTable::default());
                        cells.push(None);
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.rows.push(RawRow::default());
                        }
                    }
                    "tc" => {
                        if let Some(c) = cells.last_mut() {
                            *c = Some(RawCell { paras: Vec::new(), span: 1, vmerge: VMerge::None, hmerge_continue: false });
                        }
                    }
                    "p" => paras.push(String::new()),
                    "pPr" => in_ppr += 1,
                    "r" => struck = false,
                    "rPr" if in_ppr == 0 => in_rpr = true,
                    "t" => in_t = true,
                    _ => empty_element(
                        name,
                        &e,
                        &mut EmptyCtx { tables: &mut tables, cells: &mut cells, paras: &mut paras, in_ppr, in_rpr, struck: &mut struck },
                    ),
                }
            }
            Event::Empty(e) => {
                if skip > 0 || !is_w {
                    buf.clear();
                    continue;
                }
                let name = e.local_name();
                let name = name.as_ref();
                match name {
                    "p" => {
                        // An empty paragraph.
                        end_paragraph(String::new(), &mut paras, &mut cells, &mut blocks);
                    }
                    _ => empty_element(
                        name,
                        &e,
                        &mut EmptyCtx { tables: &mut tables, cells: &mut cells, paras: &mut paras, in_ppr, in_rpr, struck: &mut struck },
                    ),
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    buf.clear();
                    continue;
                }
                if !is_w {
                    buf.clear();
                    continue;
                }
                match e.local_name().as_ref() {
                    "t" => in_t = false,
                    "pPr" => in_ppr = in_ppr.saturating_sub(1),
                    "rPr" => in_rpr = false,
                    "r" => struck = false,
                    "p" => {
                        let text = paras.pop().unwrap_or_default();
                        end_paragraph(text, &mut paras, &mut cells, &mut blocks);
                    }
                    "tc" => {
                        if let (Some(slot), Some(t)) = (cells.last_mut(), tables.last_mut()) {
                            if let (Some(cell), Some(row)) = (slot.take(), t.rows.last_mut()) {
                                row.cells.push(cell);
                            }
                        }
                    }
                    "tbl" => {
                        cells.pop();
                        if let Some(t) = tables.pop() {
                            let table = t.build(&mut slots)?;
                            // A table inside a cell: its cells become paragraphs of that cell.
                            match cells.last_mut() {
                                Some(Some(outer)) => outer.paras.extend(table.cells.into_iter().map(|c| c.text)),
                                _ if paras.last().is_some() => {
                                    if let Some(p) = paras.last_mut() {
                                        for c in table.cells {
                                            append(p, &c.text);
                                        }
                                    }
                                }
                                _ => blocks.push(Block::Table(table)),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_t && !struck => {
                if let Some(p) = paras.last_mut() {
                    p.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_t && !struck => {
                if let Some(p) = paras.last_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => p.push(c),
                        _ => match r.xml10_content().as_ref() {
                            "amp" => p.push('&'),
                            "lt" => p.push('<'),
                            "gt" => p.push('>'),
                            "quot" => p.push('"'),
                            "apos" => p.push('\''),
                            _ => {}
                        },
                    }
                }
            }
            Event::CData(t) if in_t && !struck => {
                if let Some(p) = paras.last_mut() {
                    p.push_str(&t.into_inner());
                }
            }
            _ => {}
        }
        buf.clear();
    }
    // An unclosed table at the end of a truncated file: keep what was read.
    while let Some(t) = tables.pop() {
        blocks.push(Block::Table(t.build(&mut slots)?));
    }
    Ok(blocks)
}

struct EmptyCtx<'a> {
    tables: &'a mut Vec<RawTable>,
    cells: &'a mut Vec<Option<RawCell>>,
    paras: &'a mut Vec<String>,
    in_ppr: usize,
    in_rpr: bool,
    struck: &'a mut bool,
}

/// Elements that matter by their attributes or as a character (whether written empty or not).
fn empty_element(name: &str, e: &BytesStart, cx: &mut EmptyCtx) {
    let val = attr(e, "val");
    match name {
        "gridBefore" => {
            if let Some(row) = cx.tables.last_mut().and_then(|t| t.rows.last_mut()) {
                row.grid_before = val.and_then(|v| v.parse().ok()).unwrap_or(0).min(MAX_COLUMNS);
            }
        }
        "gridSpan" => {
            if let Some(Some(c)) = cx.cells.last_mut() {
                c.span = val.and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, MAX_COLUMNS);
            }
        }
        "vMerge" => {
            if let Some(Some(c)) = cx.cells.last_mut() {
                c.vmerge = if val.as_deref() == Some("restart") { VMerge::Restart } else { VMerge::Continue };
            }
        }
        "hMerge" => {
            if let Some(Some(c)) = cx.cells.last_mut() {
                c.hmerge_continue = val.as_deref() != Some("restart");
            }
        }
        // Struck-out and hidden runs are no part of the text; nor are superscripts (footnote marks typed as
        // "联合体负责人¹", "2023年²").
        "strike" | "dstrike" | "vanish" if cx.in_rpr && cx.in_ppr == 0 && !matches!(val.as_deref(), Some("0" | "false" | "off" | "none")) => {
            *cx.struck = true;
        }
        "vertAlign" if cx.in_rpr && cx.in_ppr == 0 && val.as_deref() == Some("superscript") => *cx.struck = true,
        "tab" if cx.in_ppr == 0 => {
            if let Some(p) = cx.paras.last_mut() {
                p.push('\t');
            }
        }
        "br" | "cr" if cx.in_ppr == 0 => {
            if let Some(p) = cx.paras.last_mut() {
                p.push('\n');
            }
        }
        "noBreakHyphen" if cx.in_ppr == 0 => {
            if let Some(p) = cx.paras.last_mut() {
                p.push('-');
            }
        }
        _ => {}
    }
}

fn end_paragraph(text: String, paras: &mut [String], cells: &mut [Option<RawCell>], blocks: &mut Vec<Block>) {
    if let Some(outer) = paras.last_mut() {
        // A paragraph in a text box inside a paragraph.
        append(outer, &text);
    } else if let Some(Some(cell)) = cells.last_mut() {
        cell.paras.push(text);
    } else {
        blocks.push(Block::Paragraph(text));
    }
}

/// The tokens of the mapping: non-empty paragraphs, and every table cell (empty ones too, so that a value
/// keeps its position).
pub(crate) fn tokens(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Paragraph(p) => {
                if !p.trim().is_empty() {
                    out.push(p.clone());
                }
            }
            Block::Table(t) => out.extend(t.cells.iter().map(|c| c.text.clone())),
        }
    }
    out
}

#[cfg(test)]
mod tests;
