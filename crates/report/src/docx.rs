//! A small .docx writer for the paperwork an office pastes into its own 红头 template: titles, headings, body
//! paragraphs, right-aligned lines, tables (relative column widths, a header row repeated on every page, cells
//! spanning columns, line breaks inside a cell) and page breaks, on A4 portrait or landscape, with the page
//! number "第 N 页 共 M 页" in the footer (Word's PAGE and NUMPAGES fields, so it stays right after edits).
//!
//! Typography follows the usage of official documents: titles in 黑体 (a 小标宋 is rarely installed; Word and
//! WPS substitute a missing font silently, 黑体 ships with every Chinese Windows), body in 仿宋 三号 (16 pt),
//! tables in 仿宋 五号 (10.5 pt) so that wide tables fit, Latin text and digits in Times New Roman.
//!
//! The output is a plain OOXML package (content types, relationships, document, styles, settings, footer,
//! core properties) written with the workspace's zip writer; text is XML-escaped and characters XML cannot
//! hold are dropped. No IO, no clock: bytes out.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::ReportError;

/// The page orientation of the whole document (A4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// Horizontal alignment of a cell's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One table cell: its text (a `\n` breaks the line), how many grid columns it spans, its alignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub span: u32,
    pub align: Align,
}

impl Cell {
    /// A cell spanning `span` columns (at least one).
    pub fn span(text: impl Into<String>, span: u32) -> Cell {
        Cell { text: text.into(), span: span.max(1), align: Align::Left }
    }

    /// A one-column cell with its text centred (ranks, scores, 是/否).
    pub fn centered(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), span: 1, align: Align::Center }
    }

    /// The same cell aligned `align`.
    pub fn aligned(mut self, align: Align) -> Cell {
        self.align = align;
        self
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::span(text, 1)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::span(text, 1)
    }
}

impl From<&String> for Cell {
    fn from(text: &String) -> Cell {
        Cell::span(text.as_str(), 1)
    }
}

/// A table: relative column widths (scaled to the text width), an optional header row repeated on every page,
/// and body rows. A row whose spans add up to fewer columns than the grid is padded with empty cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    widths: Vec<u32>,
    header: Option<Vec<Cell>>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table whose columns are in the proportions `widths` (e.g. `[1, 4, 2]`); a zero counts as one.
    pub fn new(widths: &[u32]) -> Table {
        Table { widths: widths.iter().map(|w| (*w).max(1)).collect(), header: None, rows: Vec::new() }
    }

    /// The header row (bold, centred, repeated at the top of every page).
    pub fn header<I, C>(mut self, cells: I) -> Table
    where
        I: IntoIterator<Item = C>,
        C: Into<Cell>,
    {
        self.header = Some(cells.into_iter().map(|c| c.into().aligned(Align::Center)).collect());
        self
    }

    /// A body row.
    pub fn row(mut self, cells: Vec<Cell>) -> Table {
        self.rows.push(cells);
        self
    }

    /// Body rows.
    pub fn rows(mut self, rows: impl IntoIterator<Item = Vec<Cell>>) -> Table {
        self.rows.extend(rows);
        self
    }
}

/// A .docx being built; see the module documentation.
#[derive(Clone, Debug)]
pub struct Docx {
    orientation: Orientation,
    body: String,
}

/// A4 in twentieths of a point.
const A4_SHORT: u32 = 11906;
const A4_LONG: u32 = 16838;

impl Docx {
    /// An empty A4 document.
    pub fn new(orientation: Orientation) -> Docx {
        Docx { orientation, body: String::new() }
    }

    /// Margins (top, right, bottom, left) in twips: the official-document margins in portrait (37, 26, 35,
    /// 28 mm), narrower in landscape so that wide tables fit.
    fn margins(&self) -> (u32, u32, u32, u32) {
        match self.orientation {
            Orientation::Portrait => (2098, 1474, 1984, 1588),
            Orientation::Landscape => (1304, 1134, 1304, 1134),
        }
    }

    fn text_width(&self) -> u32 {
        let (_, right, _, left) = self.margins();
        let page = if self.orientation == Orientation::Portrait { A4_SHORT } else { A4_LONG };
        page - left - right
    }

    /// The document's title: 黑体 二号, centred, with space after.
    pub fn title(&mut self, text: &str) -> &mut Docx {
        self.paragraph_with("Title", None, text)
    }

    /// A heading line: 黑体 三号.
    pub fn heading(&mut self, text: &str) -> &mut Docx {
        self.paragraph_with("Heading1", None, text)
    }

    /// A body paragraph, its first line indented two characters.
    pub fn paragraph(&mut self, text: &str) -> &mut Docx {
        self.paragraph_with("BodyIndent", None, text)
    }

    /// A body line without indent (signature lines, labels).
    pub fn line(&mut self, text: &str) -> &mut Docx {
        self.paragraph_with("Normal", None, text)
    }

    /// A right-aligned body line (dates, the issuing unit).
    pub fn right(&mut self, text: &str) -> &mut Docx {
        self.paragraph_with("Normal", Some(Align::Right), text)
    }

    /// A table; see [`Table`].
    pub fn table(&mut self, table: &Table) -> &mut Docx {
        let total: u64 = table.widths.iter().map(|w| u64::from(*w)).sum();
        let width = self.text_width();
        let mut cols: Vec<u32> = table.widths.iter().map(|w| (u64::from(*w) * u64::from(width) / total.max(1)) as u32).collect();
        // Give the rounding remainder to the last column so the grid is exactly the text width.
        let used: u32 = cols.iter().sum();
        if let Some(last) = cols.last_mut() {
            *last += width.saturating_sub(used);
        }
        let b = &mut self.body;
        b.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"Grid\"/>");
        b.push_str(&format!("<w:tblW w:w=\"{width}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/>"));
        b.push_str("<w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>");
        b.push_str("</w:tblPr><w:tblGrid>");
        for c in &cols {
            b.push_str(&format!("<w:gridCol w:w=\"{c}\"/>"));
        }
        b.push_str("</w:tblGrid>");
        if let Some(header) = &table.header {
            push_row(b, &cols, header, true);
        }
        for row in &table.rows {
            push_row(b, &cols, row, false);
        }
        b.push_str("</w:tbl>");
        // Word requires a paragraph between two tables and after the last one; an empty small one.
        b.push_str("<w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr></w:p>");
        self
    }

    /// A page break.
    pub fn page_break(&mut self) -> &mut Docx {
        self.body.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
        self
    }

    fn paragraph_with(&mut self, style: &str, align: Option<Align>, text: &str) -> &mut Docx {
        self.body.push_str(&format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>"));
        if let Some(a) = align {
            self.body.push_str(&format!("<w:jc w:val=\"{}\"/>", jc(a)));
        }
        self.body.push_str("</w:pPr>");
        push_runs(&mut self.body, text, false);
        self.body.push_str("</w:p>");
        self
    }

    /// The finished package.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ReportError> {
        let (top, right, bottom, left) = self.margins();
        let (w, h, orient) = match self.orientation {
            Orientation::Portrait => (A4_SHORT, A4_LONG, ""),
            Orientation::Landscape => (A4_LONG, A4_SHORT, " w:orient=\"landscape\""),
        };
        let document = format!(
            "{XML_DECL}<w:document {NS}><w:body>{body}<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
             <w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/>\
             <w:pgMar w:top=\"{top}\" w:right=\"{right}\" w:bottom=\"{bottom}\" w:left=\"{left}\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>\
             </w:sectPr></w:body></w:document>",
            body = self.body
        );
        let parts: [(&str, &str); 8] = [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("docProps/core.xml", CORE),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS),
            ("word/document.xml", &document),
            ("word/styles.xml", STYLES),
            ("word/settings.xml", SETTINGS),
            ("word/footer1.xml", FOOTER),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in parts {
            zip.start_file(name, options).map_err(|e| ReportError::Docx(e.to_string()))?;
            zip.write_all(text.as_bytes()).map_err(|e| ReportError::Docx(e.to_string()))?;
        }
        Ok(zip.finish().map_err(|e| ReportError::Docx(e.to_string()))?.into_inner())
    }
}

fn jc(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

fn push_row(b: &mut String, cols: &[u32], cells: &[Cell], header: bool) {
    b.push_str("<w:tr><w:trPr><w:cantSplit/>");
    if header {
        b.push_str("<w:tblHeader/>");
    }
    b.push_str("</w:trPr>");
    let mut at = 0usize;
    for cell in cells {
        if at >= cols.len() {
            break;
        }
        let span = (cell.span as usize).min(cols.len() - at);
        let width: u32 = cols[at..at + span].iter().sum();
        b.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>"));
        if span > 1 {
            b.push_str(&format!("<w:gridSpan w:val=\"{span}\"/>"));
        }
        b.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
        b.push_str(&format!("<w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:jc w:val=\"{}\"/></w:pPr>", jc(cell.align)));
        push_runs(b, &cell.text, header);
        b.push_str("</w:p></w:tc>");
        at += span;
    }
    for c in cols.iter().skip(at) {
        b.push_str(&format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{c}\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr></w:p></w:tc>"
        ));
    }
    b.push_str("</w:tr>");
}

/// The runs of one paragraph: a `\n` becomes a line break.
fn push_runs(b: &mut String, text: &str, bold: bool) {
    for (i, line) in text.split('\n').enumerate() {
        b.push_str("<w:r>");
        if bold {
            b.push_str("<w:rPr><w:b/></w:rPr>");
        }
        if i > 0 {
            b.push_str("<w:br/>");
        }
        b.push_str("<w:t xml:space=\"preserve\">");
        escape_into(b, line.trim_end_matches('\r'));
        b.push_str("</w:t></w:r>");
    }
}

/// XML text: the five special characters escaped, characters XML 1.0 cannot hold dropped.
fn escape_into(b: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => b.push_str("&amp;"),
            '<' => b.push_str("&lt;"),
            '>' => b.push_str("&gt;"),
            '"' => b.push_str("&quot;"),
            '\t' => b.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => b.push(c),
        }
    }
}

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                  xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const CORE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>产教联合体评审台</dc:creator></cp:coreProperties>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:updateFields w:val=\"true\"/><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>\
</w:settings>";

/// The footer: 第 N 页 共 M 页, centred, from Word's own fields.
const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
<w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:r><w:t xml:space=\"preserve\">第 </w:t></w:r>\
<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>\
<w:r><w:t xml:space=\"preserve\"> 页 共 </w:t></w:r>\
<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r></w:fldSimple>\
<w:r><w:t xml:space=\"preserve\"> 页</w:t></w:r></w:p></w:ftr>";

/// Fonts: 仿宋 for East Asian body text, 黑体 for titles and headings, Times New Roman for Latin text and digits.
/// Sizes in half-points: 二号 44, 三号 32, 四号 28, 五号 21.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"仿宋\" w:cs=\"Times New Roman\"/>\
<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>\
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"360\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:jc w:val=\"center\"/><w:spacing w:before=\"120\" w:after=\"360\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"黑体\" w:hAnsi=\"黑体\" w:eastAsia=\"黑体\"/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"黑体\" w:hAnsi=\"黑体\" w:eastAsia=\"黑体\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"BodyIndent\"><w:name w:val=\"Body Text Indent\"/><w:basedOn w:val=\"Normal\"/>\
<w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/>\
<w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>\
<w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
<w:style w:type=\"table\" w:styleId=\"Grid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/>\
<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tblBorders></w:tblPr></w:style>\
</w:styles>";

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    }

    /// The `w:t` texts of `document.xml`, paragraph by paragraph (a test reader independent of the writer's
    /// own strings: it walks the XML).
    fn paragraphs(xml: &str) -> Vec<String> {
        let mut out = Vec::new();
        for p in xml.split("<w:p>").skip(1) {
            let p = p.split("</w:p>").next().unwrap();
            let mut text = String::new();
            for t in p.split("<w:t").skip(1) {
                let t = &t[t.find('>').unwrap() + 1..];
                text.push_str(&t[..t.find("</w:t>").unwrap()]);
            }
            out.push(text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&"));
        }
        out
    }

    fn sample() -> Docx {
        let mut d = Docx::new(Orientation::Portrait);
        d.title("评审意见表").heading("一、基本情况").paragraph("正文 <A&B> \"引号\"\u{1}").right("2026年12月3日");
        d.table(
            &Table::new(&[1, 4, 2])
                .header(["序号", "名称", "得分"])
                .row(vec![Cell::centered("1"), Cell::from("郑州市\n第二行"), Cell::centered("86.50")])
                .row(vec![Cell::from("意见"), Cell::span("跨两列的文字", 2)])
                .row(vec![Cell::from("只有一格")]),
        );
        d.page_break().line("组长（签字）：");
        d
    }

    #[test]
    fn the_package_has_every_part_and_the_text_reads_back() {
        let bytes = sample().to_bytes().unwrap();
        let doc = part(&bytes, "word/document.xml");
        let ps = paragraphs(&doc);
        assert_eq!(ps[0], "评审意见表");
        assert_eq!(ps[1], "一、基本情况");
        assert_eq!(ps[2], "正文 <A&B> \"引号\"", "escaped, the control character dropped");
        assert!(ps.contains(&"郑州市第二行".to_string()), "{ps:?}");
        assert!(ps.contains(&"跨两列的文字".to_string()));
        assert!(ps.contains(&"组长（签字）：".to_string()));
        assert!(doc.contains("<w:gridSpan w:val=\"2\"/>"));
        assert!(doc.contains("<w:tblHeader/>"));
        assert!(doc.contains("<w:br w:type=\"page\"/>"));
        assert!(doc.contains("w:w=\"11906\" w:h=\"16838\""), "A4 portrait");
        let footer = part(&bytes, "word/footer1.xml");
        assert!(footer.contains("PAGE") && footer.contains("NUMPAGES") && footer.contains("页 共 "));
        for name in ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml", "word/settings.xml"] {
            assert!(!part(&bytes, name).is_empty());
        }
        assert!(part(&bytes, "word/styles.xml").contains("w:eastAsia=\"仿宋\""));
    }

    #[test]
    fn a_grid_is_exactly_the_text_width_and_short_rows_are_padded() {
        let mut d = Docx::new(Orientation::Landscape);
        d.table(&Table::new(&[1, 1, 1]).row(vec![Cell::from("a")]));
        let doc = part(&d.to_bytes().unwrap(), "word/document.xml");
        let widths: u32 = doc.split("<w:gridCol w:w=\"").skip(1).map(|s| s[..s.find('"').unwrap()].parse::<u32>().unwrap()).sum();
        assert_eq!(widths, A4_LONG - 1134 - 1134);
        assert_eq!(doc.matches("<w:tc>").count(), 3, "one cell given, two padded");
        assert!(doc.contains("w:orient=\"landscape\""));
    }

    #[test]
    fn every_part_is_well_formed_xml() {
        let bytes = sample().to_bytes().unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let names: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().to_string()).collect();
        assert_eq!(names.len(), 8);
        for name in names {
            let mut text = String::new();
            zip.by_name(&name).unwrap().read_to_string(&mut text).unwrap();
            let mut reader = quick_xml::Reader::from_str(&text);
            reader.config_mut().check_end_names = true;
            let mut depth = 0i32;
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                    Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{name}: {e}"),
                }
            }
            assert_eq!(depth, 0, "{name}");
        }
    }
}
