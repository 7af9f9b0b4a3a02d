//! 另存为 PDF: a paperwork document printed to PDF by the web view itself, so that the PDF is exactly what the
//! preview shows, then numbered "第 N 页 共 M 页" (`pingshen_app::paperwork::number_pages`; WebKitGTK does not
//! draw CSS page-margin boxes).
//!
//! On Linux the document is loaded into a hidden window and printed with WebKitGTK's print operation to a
//! temporary file, on A4 in the orientation the document's `@page` rule asks for. Elsewhere (WebView2 on
//! Windows) the print dialog of the web view offers 另存为 PDF itself and draws the page numbers from the
//! CSS, so this module says so and the page falls back to 打印.

use crate::error::{CmdResult, CommandError, ErrorKind};

/// How long printing may take before it is given up.
#[cfg(target_os = "linux")]
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Whether the document asks for landscape pages (the paperwork's `@page { size: A4 landscape }`).
pub fn is_landscape(html: &str) -> bool {
    html.contains("size: A4 landscape")
}

/// `html` printed to PDF, its pages numbered.
pub async fn html_to_pdf(app: &tauri::AppHandle, html: String) -> CmdResult<Vec<u8>> {
    let printed = print(app, html).await?;
    pingshen_app::paperwork::number_pages(&printed)
}

#[cfg(not(target_os = "linux"))]
async fn print(_app: &tauri::AppHandle, _html: String) -> CmdResult<Vec<u8>> {
    Err(CommandError::new(ErrorKind::Unsupported, "本系统请点「打印」，在打印对话框中选择「另存为 PDF」（页码由打印对话框加在页脚）"))
}

#[cfg(target_os = "linux")]
async fn print(app: &tauri::AppHandle, html: String) -> CmdResult<Vec<u8>> {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::mpsc;

    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let label = format!("print-{n}");
    let out = std::env::temp_dir().join(format!("pingshen-print-{}-{n}.pdf", std::process::id()));
    let failed = |m: String| CommandError::new(ErrorKind::Io, format!("另存为 PDF 失败：{m}"));

    let blank = tauri::WebviewUrl::External("about:blank".parse().expect("a valid URL"));
    let window = tauri::WebviewWindowBuilder::new(app, &label, blank)
        .title("打印")
        .visible(false)
        .build()
        .map_err(|e| failed(format!("无法打开打印窗口：{e}")))?;
    let (tx, rx) = mpsc::channel::<Result<(), String>>();
    let landscape = is_landscape(&html);
    let target = out.clone();
    window
        .with_webview(move |webview| {
            let view = webview.inner();
            start(&view, &html, landscape, target, tx);
        })
        .map_err(|e| failed(e.to_string()))?;
    let result = tauri::async_runtime::spawn_blocking(move || rx.recv_timeout(TIMEOUT)).await;
    let _ = window.destroy();
    let outcome = match result {
        Ok(Ok(Ok(()))) => std::fs::read(&out).map_err(|e| failed(format!("读不到打印结果：{e}"))),
        Ok(Ok(Err(e))) => Err(failed(e)),
        Ok(Err(_)) => Err(failed("打印超时".into())),
        Err(e) => Err(failed(e.to_string())),
    };
    let _ = std::fs::remove_file(&out);
    outcome
}

/// Loads the document into `view` and, once it has loaded, prints it to `target`; the outcome goes to `done`.
#[cfg(target_os = "linux")]
fn start(view: &webkit2gtk::WebView, html: &str, landscape: bool, target: std::path::PathBuf, done: std::sync::mpsc::Sender<Result<(), String>>) {
    use std::cell::Cell;
    use std::rc::Rc;
    use webkit2gtk::{LoadEvent, PrintOperationExt, WebViewExt};

    // The document's own base, so that the load of about:blank that may still finish is not mistaken for it.
    const BASE: &str = "file:///pingshen-print/";
    let started = Rc::new(Cell::new(false));
    view.connect_load_changed(move |view, event| {
        if event != LoadEvent::Finished || started.get() || !view.uri().is_some_and(|u| u.starts_with(BASE)) {
            return;
        }
        started.set(true);
        let op = webkit2gtk::PrintOperation::new(view);
        let settings = gtk::PrintSettings::new();
        settings.set_printer("Print to File");
        settings.set(gtk::PRINT_SETTINGS_OUTPUT_FILE_FORMAT, Some("pdf"));
        let uri = format!("file://{}", target.display());
        settings.set(gtk::PRINT_SETTINGS_OUTPUT_URI, Some(&uri));
        let setup = gtk::PageSetup::new();
        setup.set_paper_size(&gtk::PaperSize::new(Some(gtk::PAPER_NAME_A4)));
        setup.set_orientation(if landscape { gtk::PageOrientation::Landscape } else { gtk::PageOrientation::Portrait });
        // The paperwork's @page margins (18 mm × 15 mm); the page number sits in the bottom one.
        setup.set_top_margin(18.0, gtk::Unit::Mm);
        setup.set_bottom_margin(18.0, gtk::Unit::Mm);
        setup.set_left_margin(15.0, gtk::Unit::Mm);
        setup.set_right_margin(15.0, gtk::Unit::Mm);
        op.set_print_settings(&settings);
        op.set_page_setup(&setup);
        let ok = done.clone();
        op.connect_finished(move |_| {
            let _ = ok.send(Ok(()));
        });
        let err = done.clone();
        op.connect_failed(move |_, e| {
            let _ = err.send(Err(e.to_string()));
        });
        op.print();
    });
    view.load_html(html, Some(BASE));
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_orientation_comes_from_the_page_rule() {
        assert!(super::is_landscape("@page {\n  size: A4 landscape;"));
        assert!(!super::is_landscape("@page {\n  size: A4;"));
    }
}
