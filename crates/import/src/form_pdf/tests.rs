//! Tests on the PDFs of `tests/fixtures/forms/` (made by `make_forms.py` from the jiyuan sample).

use pingshen_core::application::{parse_application, Application, YearPair};

use super::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../tests/fixtures/forms/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

fn jiyuan() -> Application {
    parse_application(include_str!("../../../../sample-applications/jiyuan/application.toml")).expect("sample")
}

fn lines(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_text_pdf_of_the_form_reads_back_as_the_application() {
    let read = read_form_pdf("济源推荐书.pdf", &fixture("form-text.pdf")).unwrap();
    assert_eq!(read.source, FormSource::Pdf);
    assert!(!read.needs_manual_entry, "{:?}", read.notes);
    // The only note is the general caution about tables read from a PDF.
    assert_eq!(read.notes.len(), 1, "{:?}", read.notes);
    assert_eq!(read.application, jiyuan());
}

#[test]
fn a_non_embedded_cjk_font_is_read_through_its_cmap() {
    // STSong-Light, UniGB-UCS2-H, no ToUnicode, not embedded: lopdf decodes the UCS-2 codes, so the text is
    // read (this file holds only the cover and the first rows of the form).
    let read = read_form_pdf("推荐书.pdf", &fixture("form-nonembedded.pdf")).unwrap();
    assert_eq!(read.source, FormSource::Pdf);
    let a = &read.application;
    let j = jiyuan();
    assert_eq!(a.cover, j.cover);
    assert_eq!(a.overview.established, j.overview.established);
    assert_eq!(a.overview.leader_title_contact, j.overview.leader_title_contact);
    assert_eq!(a.overview.secretariat.host_unit, "济源职业技术学院");
    assert_eq!((a.overview.secretariat.total, a.overview.secretariat.full_time, a.overview.secretariat.part_time), (12, 5, 7));
    assert_eq!(a.resources.majors, YearPair(Some(12.0), Some(16.0)));
    assert_eq!(a.resources.courses, YearPair(Some(68.0), Some(90.0)));
    // What the file does not hold stays empty, and the staff is told to complete it.
    assert_eq!(a.resources.textbooks, YearPair(None, None));
    assert_eq!(a.features, "");
    assert!(read.needs_manual_entry);
    assert!(read.notes.iter().any(|n| n.contains("未找到以下栏目") && n.contains("共建教材")), "{:?}", read.notes);
}

#[test]
fn a_scanned_pdf_needs_manual_entry_and_keeps_only_the_file_name() {
    let read = read_form_pdf("济源高新区市域产教联合体推荐书（扫描件）.pdf", &fixture("form-scanned.pdf")).unwrap();
    assert_eq!(read.source, FormSource::Scanned);
    assert!(read.needs_manual_entry);
    let mut expected = Application::default();
    expected.cover.name = "济源高新区市域产教联合体".into();
    assert_eq!(read.application, expected);
    assert!(read.notes[0].contains("扫描件"), "{:?}", read.notes);

    let read = read_form_pdf("scan0001.pdf", &fixture("form-scanned.pdf")).unwrap();
    assert_eq!(read.application, Application::default());
    assert!(read.needs_manual_entry);
}

#[test]
fn refusals_name_the_file_in_chinese() {
    let e = read_form_pdf("推荐书.pdf", b"hello").unwrap_err().to_string();
    assert!(e.starts_with("推荐书.pdf 无法作为 PDF 读取"), "{e}");
    let e = read_form_pdf("加密.pdf", &fixture("form-encrypted.pdf")).unwrap_err().to_string();
    assert!(e.starts_with("加密.pdf 是加密"), "{e}");
    let bytes = fixture("form-text.pdf");
    let e = read_form_pdf("半截.pdf", &bytes[..bytes.len() / 3]).unwrap_err().to_string();
    assert!(e.starts_with("半截.pdf "), "{e}");
}

#[test]
fn wrapped_labels_and_cells_are_joined_and_neighbouring_cells_are_not() {
    let labels = Labels::new();
    let got = rejoin(
        &lines(&[
            "职务及联系方",
            "式",
            "济源高新技术产业开发区管委会主任，0391-00",
            "00000",
            "高职学校（含",
            "职教本科）",
            "1（16420）",
            "济源职业技术学院",
            "2023年拟投入运行经费来源",
            "（万元）",
            "共建专业",
            "12个",
            "16个",
            "负责人签字：李卫东",
            "公章",
        ]),
        &labels,
    );
    assert_eq!(
        got,
        lines(&[
            "职务及联系方式",
            "济源高新技术产业开发区管委会主任，0391-0000000",
            "高职学校（含职教本科）",
            "1（16420）",
            "济源职业技术学院",
            "2023年拟投入运行经费来源（万元）",
            "共建专业",
            "12个",
            "16个",
            "负责人签字：李卫东",
            "公章",
        ])
    );
}

#[test]
fn paragraphs_end_at_a_short_line_or_an_indent() {
    let labels = Labels::new();
    let got = rejoin(
        &lines(&[
            "　　一是五方协同，实体化运作机制健全。联合体由济源示范区管委会统筹，济源",
            "高新技术产业开发区管委会主导，形成实体化运行模式。",
            "　　二是深化产教融合。",
            "产教联合体各成员单位近3年内在招生、就业、安全等领域未发生过违法或重大违规",
            "事件。",
        ]),
        &labels,
    );
    assert_eq!(
        got,
        lines(&[
            "一是五方协同，实体化运作机制健全。联合体由济源示范区管委会统筹，济源高新技术产业开发区管委会主导，形成实体化运行模式。",
            "二是深化产教融合。",
            "产教联合体各成员单位近3年内在招生、就业、安全等领域未发生过违法或重大违规事件。",
        ])
    );
}
