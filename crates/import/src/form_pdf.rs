//! The 推荐书 as a PDF: a text PDF (saved from Word or WPS), or a scan.
//!
//! The file is first checked and its pages classified by [`crate::pdf::page_texts`] (the same refusals as
//! for supporting material: not a PDF, damaged, encrypted; a page without usable text is a scanned page).
//! If no page has usable text the file is a scan: the result is [`FormSource::Scanned`], needs manual entry,
//! and holds only what the file name tells. Otherwise the text is taken in content-stream order with
//! `lopdf` (each shown string, a line break where the PDF ends a text object or moves to a new line), and
//! lines that a cell or paragraph wrapped are joined again ([`rejoin`]): a label broken over lines is joined
//! while the pieces still spell the beginning of a label; a value is joined to the next line when the line
//! ends inside a bracket, with a character that continues a Chinese text (an ideograph, 、，；：), or is a
//! long wrapped line that does not end a sentence. The resulting lines are the tokens of
//! [`crate::form_map`], the same mapping as for .docx. Tables are best effort: an empty cell prints nothing,
//! so a row with one of its two figures missing gives that figure to 2022.

use lopdf::Document;

use crate::form_map::{self, FormRead, FormSource, Labels};
use crate::ImportError;

/// Reads a 推荐书 from the bytes of a PDF file; `file_name` names it in messages and, for a scan, may tell
/// the consortium's name.
pub fn read_form_pdf(file_name: &str, bytes: &[u8]) -> Result<FormRead, ImportError> {
    let pages = crate::pdf::page_texts(file_name, bytes)?;
    if pages.iter().all(|p| p.scanned) {
        return Ok(scanned(file_name, pages.len()));
    }
    let lines = text_lines(bytes).map_err(|reason| ImportError::Pdf { file: file_name.to_string(), reason })?;
    let labels = Labels::new();
    let tokens = rejoin(&lines, &labels);
    let mut read = form_map::finish(form_map::map_tokens(&tokens), FormSource::Pdf);
    let scanned_pages: Vec<String> = pages.iter().filter(|p| p.scanned).map(|p| p.page.to_string()).collect();
    if !scanned_pages.is_empty() {
        read.notes.push(format!("第 {} 页是扫描页，没有可读取的文字，其中的内容请人工核对", scanned_pages.join("、")));
    }
    read.notes.push("PDF 中的表格按文字顺序读取，空白单元格无法定位，数字请与原件核对".to_string());
    Ok(read)
}

/// The result for a PDF without text.
fn scanned(file_name: &str, pages: usize) -> FormRead {
    let application = form_map::from_file_name(file_name);
    let mut notes = vec![format!("这是扫描件（共 {pages} 页，没有可读取的文字），推荐书内容需要人工录入")];
    if !application.cover.name.is_empty() {
        notes.push(format!("联合体名称“{}”取自文件名，请核对", application.cover.name));
    }
    FormRead { application, source: FormSource::Scanned, needs_manual_entry: true, notes }
}

/// Every line of text of every page, in content-stream order, without trailing whitespace (leading
/// whitespace is an indent and begins a paragraph), empty ones dropped.
fn text_lines(bytes: &[u8]) -> Result<Vec<String>, String> {
    // lopdf parses untrusted input; a panic inside it is a damaged file, not a crash of the app.
    let result = std::panic::catch_unwind(|| -> Result<Vec<String>, String> {
        let doc = Document::load_mem(bytes).map_err(|e| format!("文件已损坏或不完整：{e}"))?;
        let mut lines = Vec::new();
        for number in doc.get_pages().keys() {
            for chunk in doc.extract_text_chunks(&[*number]).into_iter().flatten() {
                lines.extend(chunk.lines().map(|l| l.trim_end().to_string()).filter(|l| !l.is_empty()));
            }
        }
        Ok(lines)
    });
    result.unwrap_or_else(|_| Err("文件结构无法解析".to_string()))
}

fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Characters at the end of a line after which a Chinese text goes on.
fn continues(c: char) -> bool {
    is_ideograph(c) || "、，,；;：:“‘（(《〈【".contains(c)
}

/// Characters that may begin the continuation of a wrapped Chinese line.
fn continuation_start(c: char) -> bool {
    is_ideograph(c) || "、，,；;：:。．.）)》〉】”’%".contains(c) || c.is_ascii_alphanumeric()
}

fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Lines that belong to no running text: a seal, an empty date, the signature line, a page number.
fn stands_alone(line: &str) -> bool {
    let k = form_map::key(line);
    k == "公章" || k == "年月日" || k.starts_with("负责人签字") || k.starts_with("推荐意见") || form_map::is_boilerplate(line)
}

fn unbalanced(s: &str) -> bool {
    let open = s.chars().filter(|c| matches!(c, '(' | '（')).count();
    let close = s.chars().filter(|c| matches!(c, ')' | '）')).count();
    open > close
}

/// Joins lines that a PDF wrapped (see the module text).
pub(crate) fn rejoin(lines: &[String], labels: &Labels) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    // The widest line of the current token, to tell a full (wrapped) line from a paragraph's last one.
    let mut widest = 0usize;
    let mut last_line = String::new();
    for line in lines {
        let line = line.as_str();
        let join = match tokens.last() {
            None => false,
            Some(prev) => should_join(prev, &last_line, widest, line, labels),
        };
        if join {
            if let Some(prev) = tokens.last_mut() {
                let ascii_gap = prev.ends_with(|c: char| c.is_ascii_alphabetic()) && line.starts_with(|c: char| c.is_ascii_alphabetic());
                if ascii_gap {
                    prev.push(' ');
                }
                prev.push_str(line.trim_start());
            }
            widest = widest.max(width(line.trim_start()));
        } else {
            tokens.push(line.trim_start().to_string());
            widest = width(line.trim_start());
        }
        last_line = line.trim_start().to_string();
    }
    tokens
}

fn should_join(prev: &str, prev_line: &str, widest: usize, next: &str, labels: &Labels) -> bool {
    if stands_alone(prev_line) || stands_alone(next) {
        return false;
    }
    // A label broken over lines: join while the pieces spell (the beginning of) a label.
    let joined = format!("{prev}{}", next.trim_start());
    if !labels.is_label(prev) && labels.is_label_start(prev) && (labels.is_label(&joined) || labels.is_label_start(&joined)) {
        return true;
    }
    if unbalanced(prev) && !labels.is_label(next) {
        return true;
    }
    // A unit on a line of its own under its label: "（万元）".
    let t = next.trim_start();
    if labels.is_label(prev) && t.starts_with(['(', '（']) && form_map::key(t).is_empty() {
        return true;
    }
    if labels.is_label(prev) || labels.is_label(next) || labels.is_label_start(next) || labels.split_inline(next).is_some() {
        return false;
    }
    let (Some(last), Some(first)) = (prev_line.chars().last(), next.chars().next()) else { return false };
    if first.is_whitespace() {
        // An indented line begins a paragraph.
        return false;
    }
    let full = width(prev_line) >= 24 && width(prev_line) * 10 >= widest * 9;
    if "。！？!?".contains(last) {
        // A sentence ends at the end of a full line: the paragraph may go on; a short line ends it.
        return full && prev != prev_line && continuation_start(first);
    }
    // After a short line, only Chinese text goes on ("12个" and "16个" are two cells).
    (continues(last) && !first.is_ascii_alphanumeric() && continuation_start(first)) || (full && continuation_start(first))
}

#[cfg(test)]
mod tests;
