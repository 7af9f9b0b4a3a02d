//! The text of each page of a PDF (supporting material), for search and the evidence pane.
//!
//! [`page_texts`] reads every page with `lopdf` (exact on CJK text that carries a ToUnicode map, as
//! Word, WPS and fpdf2 write it) and lays the shown strings out again from their positions: strings on one
//! baseline form a line; lines form paragraphs. A line break between two CJK characters is not a space
//! (Chinese text wraps anywhere), so lines of one paragraph are joined without one; between Latin words they
//! are joined with a space. A paragraph ends where the next line is further down than the usual line
//! spacing, is indented, or where a line stops well short of the right edge; paragraphs are separated by
//! `\n`. A page with no usable text (fewer than [`SCANNED_BELOW`] letters, digits or CJK characters) is a
//! scanned page (扫描页): it is still listed, with whatever text it has, and `scanned: true`.
//!
//! Nothing here panics on a hostile file: a broken or encrypted PDF is an [`ImportError`] naming the file.

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::Encoding;
use lopdf::{Document, Object};

use crate::ImportError;

/// The text of one page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageText {
    /// Page number, from 1.
    pub page: u32,
    /// The page's text: paragraphs separated by `\n`, lines of a paragraph re-joined.
    pub text: String,
    /// No usable text on the page (a scanned image, or glyphs without a Unicode mapping).
    pub scanned: bool,
}

/// A page with fewer usable characters than this is a scanned page.
pub const SCANNED_BELOW: usize = 5;

/// The most a page's content streams may decompress to (a PDF bomb is not followed): a page of text is tens
/// of kilobytes; decoding is about a hundred bytes of memory per content byte. A page over it has no text
/// (it is shown as it is, like a scan).
const MAX_PAGE_CONTENT: usize = 8 << 20;
/// The most the content streams of one document may decompress to in all. Pages that share content streams
/// (and resources) are decoded once; pages past the budget have no text.
const MAX_DOCUMENT_CONTENT: usize = 256 << 20;

/// The number of pages of a PDF.
pub fn page_count(file: &str, bytes: &[u8]) -> Result<u32, ImportError> {
    let doc = load(file, bytes)?;
    Ok(doc.get_pages().len() as u32)
}

/// The text of every page of a PDF, in page order (pages from 1).
pub fn page_texts(file: &str, bytes: &[u8]) -> Result<Vec<PageText>, ImportError> {
    Ok(read_pages(file, &load(file, bytes)?)?.0)
}

/// The pages' texts and the content bytes decoded to get them.
fn read_pages(file: &str, doc: &Document) -> Result<(Vec<PageText>, usize), ImportError> {
    let pages = doc.get_pages();
    let mut out = Vec::with_capacity(pages.len());
    // Pages with the same content streams and the same resources have the same text: decoded once.
    let mut decoded: std::collections::HashMap<(Vec<lopdf::ObjectId>, String), String> = std::collections::HashMap::new();
    let mut budget = MAX_DOCUMENT_CONTENT;
    for (&number, &page_id) in &pages {
        // A truncated or damaged file loads (lopdf recovers what it can) but pages point at objects that
        // are not there.
        if !page_intact(doc, page_id) {
            return Err(ImportError::Pdf {
                file: file.to_string(), reason: format!("文件不完整或已损坏（第 {number} 页的内容缺失）")
            });
        }
        // A page whose content cannot be decoded is shown as it is (an image to the expert) and treated as
        // scanned; only a file that does not load at all is refused.
        let key = (doc.get_page_contents(page_id), format!("{:?}", doc.get_page_resources(page_id).ok()));
        let text = match decoded.get(&key) {
            Some(text) => text.clone(),
            None => {
                let (text, used) = page_text(doc, page_id, budget.min(MAX_PAGE_CONTENT)).unwrap_or_default();
                budget = budget.saturating_sub(used);
                decoded.insert(key, text.clone());
                text
            }
        };
        let usable = text.chars().filter(|c| c.is_alphanumeric() && !is_private_use(*c)).count();
        out.push(PageText { page: number, text, scanned: usable < SCANNED_BELOW });
    }
    Ok((out, MAX_DOCUMENT_CONTENT - budget))
}

/// [`page_texts`] as the `(page, text, scanned)` rows the store takes (`pingshen_store::rounds::NewMaterial`).
pub fn page_rows(file: &str, bytes: &[u8]) -> Result<Vec<(u32, String, bool)>, ImportError> {
    Ok(page_texts(file, bytes)?.into_iter().map(|p| (p.page, p.text, p.scanned)).collect())
}

/// Whether everything a page's text needs is in the file: its content streams, its resources and their
/// fonts.
fn page_intact(doc: &Document, page_id: lopdf::ObjectId) -> bool {
    let present = |o: &Object| match o {
        Object::Reference(id) => doc.get_object(*id).is_ok(),
        _ => true,
    };
    if doc.get_page_contents(page_id).iter().any(|id| doc.get_object(*id).is_err()) {
        return false;
    }
    let Ok((direct, ids)) = doc.get_page_resources(page_id) else { return false };
    let mut dicts: Vec<&lopdf::Dictionary> = direct.into_iter().collect();
    for id in ids {
        match doc.get_dictionary(id) {
            Ok(d) => dicts.push(d),
            Err(_) => return false,
        }
    }
    dicts.iter().all(|r| match r.get(b"Font") {
        Err(_) => true,
        Ok(f) if !present(f) => false,
        Ok(f) => match doc.dereference(f).ok().and_then(|(_, o)| o.as_dict().ok()) {
            Some(fonts) => fonts.iter().all(|(_, v)| present(v)),
            None => true,
        },
    })
}

fn load(file: &str, bytes: &[u8]) -> Result<Document, ImportError> {
    let broken = |reason: String| ImportError::Pdf { file: file.to_string(), reason };
    if !bytes.starts_with(b"%PDF-") && !bytes.get(..1024).is_some_and(|h| h.windows(5).any(|w| w == b"%PDF-")) {
        return Err(broken("文件开头没有 PDF 标记，不是 PDF 文件".into()));
    }
    // lopdf parses untrusted input; a panic inside it is a broken file, not a crash of the app.
    let loaded = std::panic::catch_unwind(|| Document::load_mem(bytes));
    let doc = match loaded {
        Err(_) => return Err(broken("文件结构无法解析".into())),
        Ok(Err(lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_))) => return Err(ImportError::PdfEncrypted { file: file.to_string() }),
        Ok(Err(e)) => return Err(broken(describe(&e))),
        Ok(Ok(doc)) => doc,
    };
    if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
        return Err(ImportError::PdfEncrypted { file: file.to_string() });
    }
    if doc.get_pages().is_empty() {
        return Err(broken("找不到任何页面".into()));
    }
    Ok(doc)
}

/// A lopdf error in words a user can act on (the technical detail in brackets).
fn describe(e: &lopdf::Error) -> String {
    match e {
        lopdf::Error::Unimplemented(m) if m.contains("encrypted") => "文件已加密".into(),
        other => format!("文件已损坏或不完整：{other}"),
    }
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF) || c == '\u{FFFD}'
}

/// A 2-D affine matrix [a b c d e f] as PDF writes it.
#[derive(Clone, Copy, Debug)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` then `other` (PDF's `self × other`).
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2])
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn from_operands(ops: &[Object]) -> Option<Matrix> {
        if ops.len() != 6 {
            return None;
        }
        let mut m = [0f32; 6];
        for (v, o) in m.iter_mut().zip(ops) {
            *v = num(o)?;
        }
        Some(Matrix(m))
    }
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// Strings shown at one position.
#[derive(Debug)]
struct Run {
    x: f32,
    y: f32,
    size: f32,
    text: String,
}

/// The text of one page, laid out again.
/// A page's text and the content bytes decoded for it, reading at most `limit` bytes of content.
fn page_text(doc: &Document, page_id: lopdf::ObjectId, limit: usize) -> Option<(String, usize)> {
    let fonts = doc.get_page_fonts(page_id).ok()?;
    let encodings: BTreeMap<Vec<u8>, Encoding> =
        fonts.into_iter().filter_map(|(name, font)| font.get_font_encoding(doc).ok().map(|e| (name, e))).collect();
    let data = doc.get_page_content_with_limit(page_id, limit).ok()?;
    let content = Content::decode(&data).ok()?;
    let runs = runs(&content, &encodings);
    Some((layout(runs), data.len()))
}

/// Walks the content stream: the text shown and where.
fn runs(content: &Content<Vec<lopdf::content::Operation>>, encodings: &BTreeMap<Vec<u8>, Encoding>) -> Vec<Run> {
    let mut ctm = Matrix::IDENTITY;
    let mut stack: Vec<Matrix> = Vec::new();
    let (mut tm, mut tlm) = (Matrix::IDENTITY, Matrix::IDENTITY);
    let mut leading = 0f32;
    let mut font_size = 0f32;
    let mut encoding: Option<&Encoding> = None;
    let mut moved = true;
    let mut out: Vec<Run> = Vec::new();
    for op in &content.operations {
        let o = &op.operands;
        match op.operator.as_str() {
            "q" if stack.len() < 64 => {
                stack.push(ctm);
            }
            "Q" => ctm = stack.pop().unwrap_or(Matrix::IDENTITY),
            "cm" => {
                if let Some(m) = Matrix::from_operands(o) {
                    ctm = m.then(ctm);
                }
            }
            "BT" => {
                tm = Matrix::IDENTITY;
                tlm = Matrix::IDENTITY;
                moved = true;
            }
            "Tf" => {
                encoding = o.first().and_then(|n| n.as_name().ok()).and_then(|n| encodings.get(n));
                font_size = o.get(1).and_then(num).unwrap_or(font_size);
            }
            "TL" => leading = o.first().and_then(num).unwrap_or(leading),
            "Td" | "TD" => {
                if let (Some(tx), Some(ty)) = (o.first().and_then(num), o.get(1).and_then(num)) {
                    if op.operator == "TD" {
                        leading = -ty;
                    }
                    tlm = Matrix::translate(tx, ty).then(tlm);
                    tm = tlm;
                    moved = true;
                }
            }
            "Tm" => {
                if let Some(m) = Matrix::from_operands(o) {
                    tlm = m;
                    tm = m;
                    moved = true;
                }
            }
            "T*" => {
                tlm = Matrix::translate(0.0, -leading).then(tlm);
                tm = tlm;
                moved = true;
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator == "'" || op.operator == "\"" {
                    tlm = Matrix::translate(0.0, -leading).then(tlm);
                    tm = tlm;
                    moved = true;
                }
                let Some(enc) = encoding else { continue };
                let shown: &[Object] = if op.operator == "\"" { o.get(2).map(std::slice::from_ref).unwrap_or(&[]) } else { o };
                let mut text = String::new();
                show(&mut text, enc, shown);
                if text.is_empty() {
                    continue;
                }
                let m = tm.then(ctm);
                let size = (font_size * (m.0[2] * m.0[2] + m.0[3] * m.0[3]).sqrt()).abs().max(1.0);
                match out.last_mut() {
                    Some(last) if !moved => last.text.push_str(&text),
                    _ => out.push(Run { x: m.0[4], y: m.0[5], size, text }),
                }
                moved = false;
            }
            _ => {}
        }
    }
    out
}

/// Decodes shown strings; a large negative adjustment in a `TJ` array (a word gap) is a space.
fn show(out: &mut String, enc: &Encoding, operands: &[Object]) {
    for o in operands {
        match o {
            Object::String(bytes, _) => {
                if let Ok(s) = enc.bytes_to_string(bytes) {
                    out.extend(s.chars().filter(|c| *c != '\0'));
                }
            }
            Object::Array(items) => show(out, enc, items),
            Object::Integer(_) | Object::Real(_)
                if num(o).is_some_and(|v| v < -250.0) && !out.ends_with(' ') && !out.chars().last().is_some_and(is_cjk) =>
            {
                out.push(' ');
            }
            _ => {}
        }
    }
}

/// Whether `c` is a CJK character or CJK/full-width punctuation: text that wraps without spaces.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation
        | 0x3040..=0x30FF    // kana
        | 0x3100..=0x312F    // bopomofo
        | 0x3190..=0x31FF
        | 0x3200..=0x4DBF    // enclosed, compatibility, extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xAC00..=0xD7AF    // hangul
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // compatibility forms
        | 0xFF00..=0xFFEF    // full-width forms
        | 0x20000..=0x3FFFF) // extensions B…
}

/// Approximate width of a text in em: CJK and full-width 1, others ½.
fn width_em(text: &str) -> f32 {
    text.chars().map(|c| if is_cjk(c) { 1.0 } else { 0.5 }).sum()
}

/// One visual line.
struct Line {
    x: f32,
    y: f32,
    size: f32,
    end: f32,
    text: String,
}

/// Runs → lines → paragraphs.
fn layout(runs: Vec<Run>) -> String {
    let mut lines: Vec<Line> = Vec::new();
    for r in runs {
        match lines.last_mut() {
            Some(l) if (l.y - r.y).abs() <= 0.5 * l.size.min(r.size) && r.x >= l.x - 0.5 * r.size => {
                let gap = r.x - l.end;
                let (prev, next) = (l.text.chars().last(), r.text.chars().next());
                let both_cjk = prev.is_some_and(is_cjk) && next.is_some_and(is_cjk);
                let spaced = prev.is_some_and(char::is_whitespace) || next.is_some_and(char::is_whitespace);
                if !spaced && ((both_cjk && gap > 1.5 * r.size) || (!both_cjk && gap > 0.2 * r.size)) {
                    l.text.push(' ');
                }
                l.text.push_str(&r.text);
                l.end = l.end.max(r.x + width_em(&r.text) * r.size);
                l.size = l.size.max(r.size);
            }
            _ => {
                let end = r.x + width_em(&r.text) * r.size;
                lines.push(Line { x: r.x, y: r.y, size: r.size, end, text: r.text });
            }
        }
    }
    lines.retain(|l| !l.text.trim().is_empty());
    if lines.is_empty() {
        return String::new();
    }
    // The page's usual line spacing, left edge and right edge.
    let mut gaps: Vec<f32> = lines.windows(2).map(|w| w[0].y - w[1].y).filter(|g| *g > 0.0).collect();
    gaps.sort_by(|a, b| a.total_cmp(b));
    let usual_gap = gaps.get(gaps.len() / 2).copied();
    let left = lines.iter().map(|l| l.x).fold(f32::INFINITY, f32::min);
    let right = lines.iter().map(|l| l.end).fold(f32::NEG_INFINITY, f32::max);

    let mut text = String::new();
    for (i, l) in lines.iter().enumerate() {
        let line = l.text.trim_end();
        if i == 0 {
            text.push_str(line.trim_start());
            continue;
        }
        let p = &lines[i - 1];
        let gap = p.y - l.y;
        let starts_indented = line.starts_with(|c: char| c.is_whitespace()) || l.x > left + 0.8 * l.size;
        let new_paragraph = gap <= 0.0
            || gap > 2.2 * l.size.max(p.size)
            || usual_gap.is_some_and(|u| gap > 1.4 * u)
            || (starts_indented && (l.x - p.x).abs() > 0.3 * l.size)
            || p.end < right - 2.5 * p.size
            || (l.size - p.size).abs() > 0.5;
        let line = line.trim_start();
        if new_paragraph {
            text.push('\n');
        } else {
            let prev = text.chars().last();
            let next = line.chars().next();
            if !(prev.is_some_and(char::is_whitespace) || prev.is_some_and(is_cjk) && next.is_some_and(is_cjk)) {
                text.push(' ');
            }
        }
        text.push_str(line);
    }
    text
}

/// Small PDFs made in tests (Latin text in a standard font, one line per `Td`).
#[cfg(test)]
pub(crate) fn test_pdf(pages: &[&[&str]]) -> Vec<u8> {
    use lopdf::content::Operation;
    use lopdf::{dictionary, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {"Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding"});
    let resources_id = doc.add_object(dictionary! {"Font" => dictionary! {"F1" => font_id}});
    let mut kids = Vec::new();
    for lines in pages {
        let mut ops = vec![Operation::new("BT", vec![]), Operation::new("Tf", vec!["F1".into(), 12.into()]), Operation::new("TL", vec![14.into()])];
        ops.push(Operation::new("Td", vec![72.into(), 760.into()]));
        for l in lines.iter() {
            ops.push(Operation::new("Tj", vec![Object::string_literal(*l)]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content_id = doc.add_object(Stream::new(dictionary! {}, Content { operations: ops }.encode().unwrap()));
        kids.push(doc.add_object(dictionary! {"Type" => "Page", "Parent" => pages_id, "Contents" => content_id}).into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id});
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF of `pages` pages that all use one content stream of about `kib` KiB (Flate-compressed), showing
    /// "shared" in Helvetica.
    fn shared_content_pdf(pages: usize, kib: usize) -> Vec<u8> {
        use lopdf::{dictionary, Stream};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
        let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
        let mut text = b"BT /F1 12 Tf 72 720 Td (shared content page) Tj ET\n".to_vec();
        while text.len() < kib << 10 {
            text.extend_from_slice(b"0 0 m 10 10 l S\n");
        }
        let mut stream = Stream::new(dictionary! {}, text);
        stream.compress().unwrap();
        let content = doc.add_object(stream);
        let kids: Vec<Object> = (0..pages)
            .map(|_| doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources }).into())
            .collect();
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => pages as i64,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    /// Regression (issue 13): pages sharing one huge compressed content stream were decoded once per page
    /// (the process went past 5 GB). The stream is decoded once and every page has its text.
    #[test]
    fn pages_sharing_a_content_stream_decode_it_once() {
        let bytes = shared_content_pdf(300, 2048);
        assert!(bytes.len() < 200 << 10, "compressed: {} bytes", bytes.len());
        let (pages, decoded) = read_pages("共享.pdf", &load("共享.pdf", &bytes).unwrap()).unwrap();
        assert_eq!(pages.len(), 300);
        assert!(pages.iter().all(|p| p.text.contains("shared content page") && !p.scanned));
        assert!((2048 << 10..2100 << 10).contains(&decoded), "decoded {decoded} bytes, once");
    }

    #[test]
    fn a_page_over_the_content_budget_has_no_text_and_the_rest_still_read() {
        let bytes = shared_content_pdf(2, (MAX_PAGE_CONTENT >> 10) + 64);
        let pages = page_texts("大.pdf", &bytes).unwrap();
        assert_eq!(pages.len(), 2);
        assert!(pages.iter().all(|p| p.scanned && p.text.is_empty()));
    }

    const SUPPORT: &[u8] = include_bytes!("../../../sample-applications/jiyuan/materials/支撑材料汇编.pdf");
    const SUPPORT_SRC: &str = include_str!("../../../sample-applications/materials-src/jiyuan/01-支撑材料汇编.txt");

    #[test]
    fn every_page_of_a_sample_is_read_in_order_with_its_text() {
        let pages = page_texts("支撑材料汇编.pdf", SUPPORT).unwrap();
        assert_eq!(pages.len() as u32, page_count("支撑材料汇编.pdf", SUPPORT).unwrap());
        assert_eq!(pages.len(), 8);
        for (i, p) in pages.iter().enumerate() {
            assert_eq!(p.page, i as u32 + 1);
            assert!(!p.scanned, "page {} scanned: {:?}", p.page, p.text);
            assert!(p.text.contains(&format!("第 {} 页", p.page)), "{}", p.text);
        }
    }

    #[test]
    fn cjk_lines_are_rejoined_without_spaces_and_paragraphs_kept() {
        let pages = page_texts("支撑材料汇编.pdf", SUPPORT).unwrap();
        let all: String = pages.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
        // Every paragraph of the source that fits on one page comes back whole (it wraps over several lines
        // in the PDF), on a line of its own.
        let mut checked = 0;
        for line in SUPPORT_SRC.lines().map(str::trim) {
            let plain = !line.is_empty() && !line.starts_with(['@', '#', '^', '>', '-', '|', '/']);
            if plain && line.chars().count() > 60 && line.chars().count() < 600 {
                let want = line.replace(' ', "");
                let found = all.lines().any(|l| l.replace([' ', '\u{3000}'], "") == want);
                assert!(found, "paragraph not found whole: {line}\n--- text ---\n{all}");
                checked += 1;
            }
        }
        assert!(checked >= 3, "{checked}");
    }

    #[test]
    fn latin_text_and_an_empty_page_which_is_scanned_but_listed() {
        let pdf = test_pdf(&[&["ISO 9001 quality", "management system"], &[], &["abc"]]);
        let pages = page_texts("a.pdf", &pdf).unwrap();
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].text, "ISO 9001 quality management system");
        assert!(!pages[0].scanned);
        assert_eq!((pages[1].page, pages[1].scanned, pages[1].text.as_str()), (2, true, ""));
        assert!(pages[2].scanned, "3 characters are not usable text");
        assert_eq!(page_rows("a.pdf", &pdf).unwrap()[0].0, 1);
    }

    #[test]
    fn a_broken_pdf_is_a_chinese_error_naming_the_file() {
        for bytes in [&b"hello"[..], &SUPPORT[..SUPPORT.len() / 3], b"%PDF-1.4\n%%EOF"] {
            let e = page_texts("坏文件.pdf", bytes).unwrap_err();
            assert!(matches!(e, ImportError::Pdf { .. }), "{e:?}");
            assert!(e.to_string().starts_with("坏文件.pdf 无法作为 PDF 读取"), "{e}");
        }
    }

    #[test]
    fn an_encrypted_pdf_is_refused_by_name() {
        use lopdf::{EncryptionState, EncryptionVersion, Permissions};
        let mut doc = Document::load_mem(&test_pdf(&[&["secret text here"]])).unwrap();
        doc.trailer.set("ID", Object::Array(vec![Object::string_literal("0123456789abcdef"), Object::string_literal("0123456789abcdef")]));
        let state = EncryptionState::try_from(EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: "user",
            key_length: 128,
            permissions: Permissions::all(),
        })
        .unwrap();
        doc.encrypt(&state).unwrap();
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let e = page_texts("加密.pdf", &bytes).unwrap_err();
        assert!(matches!(e, ImportError::PdfEncrypted { .. }), "{e:?}");
        assert_eq!(e.to_string(), "加密.pdf 是加密（设有打开密码）的 PDF，无法读取；请提供未加密的版本");
    }
}
