//! Page numbers stamped onto a PDF: "第 N 页 共 M 页" centred at the bottom of every page.
//!
//! The desktop's 另存为 PDF prints a document through the web view; WebKitGTK ignores CSS page-margin boxes, so
//! the numbers are added to the printed PDF afterwards. The text is set in the standard Chinese font
//! `STSong-Light` with the `UniGB-UCS2-H` encoding (one of the PDF standard's predefined CJK fonts: not
//! embedded, every PDF reader that shows Chinese supplies it), so nothing has to be embedded or subset.
//! Each page's own content is wrapped in `q … Q` so that whatever graphics state it leaves behind cannot move
//! the stamp. Bytes in, bytes out; a file that is not a readable PDF is refused.

use lopdf::{dictionary, Document, Object, ObjectId, Stream};

use crate::ReportError;

/// The resource name of the stamp's font on every page.
const FONT: &str = "PingshenPageNo";
/// Font size of the stamp in points.
const SIZE: f32 = 9.0;
/// Distance of the stamp's baseline from the bottom edge, in points (about 10 mm).
const BASELINE: f32 = 28.0;

/// The text stamped on page `page` of `pages`.
pub fn page_label(page: usize, pages: usize) -> String {
    format!("第 {page} 页 共 {pages} 页")
}

/// `pdf` with "第 N 页 共 M 页" at the bottom centre of each page.
pub fn number_pages(pdf: &[u8]) -> Result<Vec<u8>, ReportError> {
    let bad = |e: lopdf::Error| ReportError::Pdf(e.to_string());
    let mut doc = Document::load_mem(pdf).map_err(bad)?;
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if pages.is_empty() {
        return Err(ReportError::Pdf("没有页面".into()));
    }
    let font = add_font(&mut doc);
    let open = doc.add_object(Stream::new(dictionary! {}, b"q\n".to_vec()));
    let close = doc.add_object(Stream::new(dictionary! {}, b"\nQ\n".to_vec()));
    let total = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let width = media_box_width(&doc, *page);
        let label = page_label(i + 1, total);
        let stamp = doc.add_object(Stream::new(dictionary! {}, stamp_content(&label, width).into_bytes()));
        add_font_to_page(&mut doc, *page, font).map_err(bad)?;
        let dict = doc.get_object_mut(*page).and_then(Object::as_dict_mut).map_err(bad)?;
        let mut contents = vec![Object::Reference(open)];
        match dict.get(b"Contents") {
            Ok(Object::Array(a)) => contents.extend(a.iter().cloned()),
            Ok(other) => contents.push(other.clone()),
            Err(_) => {}
        }
        contents.push(Object::Reference(close));
        contents.push(Object::Reference(stamp));
        dict.set("Contents", Object::Array(contents));
    }
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| ReportError::Pdf(e.to_string()))?;
    Ok(out)
}

/// Width of a label in points: full-width characters are one em, the Latin digits and spaces half of one.
fn label_width(label: &str) -> f32 {
    label.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum::<f32>() * SIZE
}

fn stamp_content(label: &str, page_width: f32) -> String {
    let x = ((page_width - label_width(label)) / 2.0).max(0.0);
    let hex: String = label.encode_utf16().map(|u| format!("{u:04X}")).collect();
    format!("q\nBT\n/{FONT} {SIZE} Tf\n0 g\n1 0 0 1 {x:.2} {BASELINE:.2} Tm\n<{hex}> Tj\nET\nQ\n")
}

/// The page's width from its (possibly inherited) MediaBox; A4 when none is found.
fn media_box_width(doc: &Document, page: ObjectId) -> f32 {
    let mut id = Some(page);
    while let Some(current) = id {
        let Ok(dict) = doc.get_dictionary(current) else { break };
        if let Ok(b) = dict.get(b"MediaBox").and_then(|o| doc.dereference(o)).and_then(|(_, o)| o.as_array()) {
            let n: Vec<f32> = b.iter().filter_map(|o| o.as_float().ok()).collect();
            if n.len() == 4 {
                return (n[2] - n[0]).abs();
            }
        }
        id = dict.get(b"Parent").and_then(Object::as_reference).ok();
    }
    595.0
}

fn add_font(doc: &mut Document) -> ObjectId {
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => "STSong-Light",
        "Flags" => 6,
        "FontBBox" => vec![(-25).into(), (-254).into(), 1000.into(), 880.into()],
        "ItalicAngle" => 0,
        "Ascent" => 880,
        "Descent" => -120,
        "CapHeight" => 880,
        "StemV" => 93,
    });
    let descendant = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType0",
        "BaseFont" => "STSong-Light",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("GB1"),
            "Supplement" => 2,
        },
        "FontDescriptor" => descriptor,
        "DW" => 1000,
        // CIDs 1–95 are the half-width Latin characters UniGB-UCS2-H maps U+0020–U+007E to.
        "W" => vec![1.into(), 95.into(), 500.into()],
    });
    let to_unicode = doc.add_object(Stream::new(dictionary! {}, to_unicode_cmap().into_bytes()));
    doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "STSong-Light-UniGB-UCS2-H",
        "Encoding" => "UniGB-UCS2-H",
        "DescendantFonts" => vec![descendant.into()],
        "ToUnicode" => to_unicode,
    })
}

/// The characters a label is made of.
const LABEL_CHARS: &str = "第页共 0123456789";

/// A ToUnicode map for the label's characters (their codes are their UCS-2 values), so that the stamp can be
/// searched, copied and read back as text like the rest of the page.
fn to_unicode_cmap() -> String {
    let chars: Vec<String> = LABEL_CHARS.encode_utf16().map(|u| format!("<{u:04X}> <{u:04X}>")).collect();
    format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Pingshen-PageNo-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
         {} beginbfchar\n{}\nendbfchar\n\
         endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n",
        chars.len(),
        chars.join("\n")
    )
}

/// Puts the stamp's font into the resources the page uses: its own, or the ones it inherits.
fn add_font_to_page(doc: &mut Document, page: ObjectId, font: ObjectId) -> lopdf::Result<()> {
    // Find the dictionary holding the Resources entry (the page or an ancestor).
    let mut holder = page;
    loop {
        let dict = doc.get_dictionary(holder)?;
        if dict.has(b"Resources") {
            break;
        }
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => holder = parent,
            Err(_) => {
                // No resources anywhere: give the page its own.
                doc.get_dictionary_mut(page)?.set("Resources", dictionary! {});
                holder = page;
                break;
            }
        }
    }
    let resources = match doc.get_dictionary(holder)?.get(b"Resources")? {
        Object::Reference(id) => Location::Object(*id),
        _ => Location::Inline(holder),
    };
    let fonts = {
        let res = resources.dict(doc)?;
        match res.get(b"Font") {
            Ok(Object::Reference(id)) => Some(*id),
            _ => None,
        }
    };
    match fonts {
        Some(id) => doc.get_dictionary_mut(id)?.set(FONT, font),
        None => {
            let res = resources.dict_mut(doc)?;
            if !matches!(res.get(b"Font"), Ok(Object::Dictionary(_))) {
                res.set("Font", dictionary! {});
            }
            res.get_mut(b"Font")?.as_dict_mut()?.set(FONT, font);
        }
    }
    Ok(())
}

/// Where a page's resource dictionary lives.
enum Location {
    /// An object of its own.
    Object(ObjectId),
    /// Inline in this dictionary's Resources entry.
    Inline(ObjectId),
}

impl Location {
    fn dict<'a>(&self, doc: &'a Document) -> lopdf::Result<&'a lopdf::Dictionary> {
        match self {
            Location::Object(id) => doc.get_dictionary(*id),
            Location::Inline(holder) => doc.get_dictionary(*holder)?.get(b"Resources")?.as_dict(),
        }
    }

    fn dict_mut<'a>(&self, doc: &'a mut Document) -> lopdf::Result<&'a mut lopdf::Dictionary> {
        match self {
            Location::Object(id) => doc.get_dictionary_mut(*id),
            Location::Inline(holder) => doc.get_dictionary_mut(*holder)?.get_mut(b"Resources")?.as_dict_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::{Content, Operation};

    /// A PDF of `n` A4 pages, each with a little text; `shared` puts one Resources object on the page tree
    /// instead of one per page.
    fn pdf(n: usize, shared: bool) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let helv = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
        let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => helv } });
        let mut kids = Vec::new();
        for i in 0..n {
            let content = Content {
                operations: vec![
                    Operation::new("cm", vec![1.into(), 0.into(), 0.into(), (-1).into(), 0.into(), 842.into()]),
                    Operation::new("BT", vec![]),
                    Operation::new("Tf", vec!["F1".into(), 12.into()]),
                    Operation::new("Tj", vec![Object::string_literal(format!("page {i}"))]),
                    Operation::new("ET", vec![]),
                ],
            };
            let c = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
            let mut page = dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => c };
            if !shared {
                page.set("Resources", resources);
            }
            kids.push(Object::Reference(doc.add_object(page)));
        }
        let mut pages = dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => n as i64,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        };
        if shared {
            pages.set("Resources", resources);
        }
        doc.objects.insert(pages_id, Object::Dictionary(pages));
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    /// The labels stamped on each page, read back from the last content stream as UTF-16 text.
    fn stamps(bytes: &[u8]) -> Vec<String> {
        let doc = Document::load_mem(bytes).unwrap();
        let mut out = Vec::new();
        for (_, page) in doc.get_pages() {
            let dict = doc.get_dictionary(page).unwrap();
            let contents = dict.get(b"Contents").unwrap().as_array().unwrap();
            let last = contents.last().unwrap().as_reference().unwrap();
            let stream = doc.get_object(last).unwrap().as_stream().unwrap();
            let ops = Content::decode(&stream.content).unwrap().operations;
            let tj = ops.iter().find(|o| o.operator == "Tj").unwrap();
            let raw = tj.operands[0].as_str().unwrap();
            let units: Vec<u16> = raw.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            out.push(String::from_utf16(&units).unwrap());
            assert!(ops.iter().any(|o| o.operator == "Tf" && o.operands[0].as_name().unwrap() == FONT.as_bytes()));
            let (res, ids) = doc.get_page_resources(page).unwrap();
            let has_font = res.into_iter().chain(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok())).any(|r| {
                r.get(b"Font").ok().and_then(|f| doc.dereference(f).ok()).and_then(|(_, f)| f.as_dict().ok()).is_some_and(|f| f.has(FONT.as_bytes()))
            });
            assert!(has_font, "page {page:?} has the stamp's font in its resources");
        }
        out
    }

    #[test]
    fn every_page_gets_its_number_and_the_total() {
        for shared in [false, true] {
            let out = number_pages(&pdf(3, shared)).unwrap();
            assert_eq!(stamps(&out), ["第 1 页 共 3 页", "第 2 页 共 3 页", "第 3 页 共 3 页"], "shared resources: {shared}");
            // The original content is still there, wrapped in q … Q.
            let doc = Document::load_mem(&out).unwrap();
            let first = *doc.get_pages().values().next().unwrap();
            assert_eq!(doc.get_dictionary(first).unwrap().get(b"Contents").unwrap().as_array().unwrap().len(), 4);
        }
    }

    #[test]
    fn every_character_of_a_label_maps_back_to_text() {
        let cmap = to_unicode_cmap();
        for c in page_label(10, 23).chars() {
            assert!(LABEL_CHARS.contains(c), "{c}");
            assert!(cmap.contains(&format!("<{:04X}> <{:04X}>", c as u32, c as u32)), "{c}");
        }
    }

    #[test]
    fn the_stamp_is_centred() {
        let content = stamp_content("第 1 页 共 3 页", 595.0);
        // 5 CJK characters at 9 pt and 5 half-width ones at 4.5 pt: 67.5 pt wide.
        assert!(content.contains(&format!("1 0 0 1 {:.2} 28.00 Tm", (595.0 - 67.5) / 2.0)), "{content}");
    }

    #[test]
    fn what_is_not_a_pdf_is_refused() {
        assert!(matches!(number_pages(b"not a pdf"), Err(ReportError::Pdf(_))));
        assert!(number_pages(&pdf(1, false)[..200]).is_err());
    }
}
