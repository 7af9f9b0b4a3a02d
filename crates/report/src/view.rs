//! The template engine: the embedded `templates/*.tera`, built once, rendering serializable view models.
//!
//! Every template is HTML and auto-escaped (names and reasons come from users: `<` in a 联合体名称 must print as
//! `<`, not open a tag). The shared page (`base.html.tera`) holds the print CSS; `macros.html.tera` the
//! fill-in lines and signature block.

use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Tera};

use crate::ReportError;

/// The templates, by name, as compiled into the binary.
const TEMPLATES: [(&str, &str); 10] = [
    ("base.html.tera", include_str!("../templates/base.html.tera")),
    ("macros.html.tera", include_str!("../templates/macros.html.tera")),
    ("summary.html.tera", include_str!("../templates/summary.html.tera")),
    ("review.html.tera", include_str!("../templates/review.html.tera")),
    ("expert_sheets.html.tera", include_str!("../templates/expert_sheets.html.tera")),
    ("declaration.html.tera", include_str!("../templates/declaration.html.tera")),
    ("audit_log.html.tera", include_str!("../templates/audit_log.html.tera")),
    ("list.html.tera", include_str!("../templates/list.html.tera")),
    ("panel_opinions.html.tera", include_str!("../templates/panel_opinions.html.tera")),
    ("site_visits.html.tera", include_str!("../templates/site_visits.html.tera")),
];

fn engine() -> Result<&'static Tera, ReportError> {
    static ENGINE: OnceLock<Result<Tera, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut tera = Tera::default();
            tera.add_raw_templates(TEMPLATES).map_err(|e| chain(&e))?;
            // Escape every template (Tera's default only covers names ending in .html/.htm/.xml).
            tera.autoescape_on(vec![".tera"]);
            Ok(tera)
        })
        .as_ref()
        .map_err(|e| ReportError::Template(e.clone()))
}

/// Renders `template` with the fields of `view` as its variables.
pub fn render(template: &str, view: &impl Serialize) -> Result<String, ReportError> {
    let context = Context::from_serialize(view).map_err(|e| ReportError::Template(chain(&e)))?;
    engine()?.render(template, &context).map_err(|e| ReportError::Template(chain(&e)))
}

/// A Tera error with its causes (Tera puts the useful part in the source chain).
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(c) = source {
        s.push('：');
        s.push_str(&c.to_string());
        source = c.source();
    }
    s
}
