//! An application package as it arrives (a folder or a .zip, canonical or as the applicant made it), read
//! all the way to what a round stores: the structured 推荐书 (from `application.toml`, a .docx or a PDF), how
//! it came in, what could not be read, and every material with the text of its pages. Nothing is stored
//! here; the caller adds the result to a round in one transaction, or prints it (`pingshen package check`).

use std::path::Path;

use pingshen_core::application::Application;

use crate::package::{read_arrived, Arrived};
use crate::pdf::{page_texts, PageText};
use crate::{docx, form_pdf, FormSource, ImportError, Material};

/// How the 推荐书 came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `application.toml` of the canonical package.
    Canonical,
    /// A 推荐书 read by [`docx::read_docx`] or [`form_pdf::read_form_pdf`].
    Form(FormSource),
}

/// A package read through.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrival {
    pub application: Application,
    pub origin: Origin,
    /// The 推荐书 was a scan (or too little of it could be read): its key fields must be typed in.
    pub needs_manual_entry: bool,
    /// What the 推荐书 reader could not read, in Chinese, for staff to check.
    pub notes: Vec<String>,
    /// Every material with the text of its pages (from 1).
    pub materials: Vec<(Material, Vec<PageText>)>,
}

/// Reads a folder or zip as it arrived, every problem a Chinese [`ImportError`] naming the file.
pub fn read(path: &Path) -> Result<Arrival, ImportError> {
    let (application, origin, needs_manual_entry, notes, materials) = match read_arrived(path)? {
        Arrived::Canonical(p) => (p.application, Origin::Canonical, false, Vec::new(), p.materials),
        Arrived::Raw { form: None, .. } => return Err(ImportError::NoForm { package: path.display().to_string() }),
        Arrived::Raw { form: Some((name, bytes)), materials } => {
            let read = if name.to_lowercase().ends_with(".docx") { docx::read_docx(&name, &bytes)? } else { form_pdf::read_form_pdf(&name, &bytes)? };
            (read.application, Origin::Form(read.source), read.needs_manual_entry, read.notes, materials)
        }
    };
    let mut out = Vec::with_capacity(materials.len());
    for m in materials {
        let pages = page_texts(&m.file, &m.content)?;
        out.push((m, pages));
    }
    Ok(Arrival { application, origin, needs_manual_entry, notes, materials: out })
}
