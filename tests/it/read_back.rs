//! Reading written documents back, for the tests that check what the paperwork says: a .docx's paragraphs
//! (`w:t` runs of `word/document.xml`) and an .xlsx's cells.

use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

/// The paragraphs of a .docx, each the concatenation of its `w:t` runs (table cells are paragraphs too).
pub(crate) fn docx_paragraphs(bytes: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml.split("</w:p>")
        .map(|para| {
            // Only `<w:t>` and `<w:t …>` open a text run (not `<w:tbl>`, `<w:tr>`, `<w:tcPr>` …).
            para.split("<w:t")
                .skip(1)
                .filter(|p| p.starts_with('>') || p.starts_with(' '))
                .map(|p| {
                    let body = &p[p.find('>').unwrap() + 1..];
                    &body[..body.find("</w:t>").unwrap_or(0)]
                })
                .collect()
        })
        .collect()
}

/// The text of a .docx, its runs one after the other (no separator between paragraphs or cells).
pub(crate) fn docx_text(bytes: &[u8]) -> String {
    docx_paragraphs(bytes).concat()
}

/// Every text cell of the first sheet of an .xlsx, row by row (other cells as empty strings).
pub(crate) fn xlsx_cells(bytes: &[u8]) -> Vec<String> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let name = wb.sheet_names()[0].clone();
    wb.worksheet_range(&name)
        .unwrap()
        .rows()
        .flat_map(|r| r.iter().map(|c| if let Data::String(s) = c { s.clone() } else { String::new() }).collect::<Vec<_>>())
        .collect()
}
