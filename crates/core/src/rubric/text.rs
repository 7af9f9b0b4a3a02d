//! A rubric written back as TOML: the canonical text of a rubric that did not come as one (the .xlsx
//! template) and that a round freezes with its hash.

use std::fmt::Write;

use super::{Evidence, Rubric, VetoEffect};

/// The canonical TOML text of a rubric: [`super::parse`] reads it back to an equal rubric with the same
/// [`Rubric::hash`]. Every key is written (defaults too), in the order of `docs/rubric-format.md`; numbers as
/// TOML integers or decimals (`5`, `4.5`), strings as basic strings with escapes; no comments. The same
/// rubric always gives the same text.
pub fn to_toml(r: &Rubric) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "id = {}", quote(&r.id));
    let _ = writeln!(s, "title = {}", quote(&r.title));
    let _ = writeln!(s, "source = {}", quote(&r.source));
    let _ = writeln!(s, "total = {}", r.total);
    let _ = writeln!(s, "step = {}", r.step);
    s.push_str("\n[comments]\n");
    let _ = writeln!(s, "required_below_percent = {}", r.comments.required_below_percent);
    let _ = writeln!(s, "required_for_deduction = {}", r.comments.required_for_deduction);
    for b in &r.bands {
        s.push_str("\n[[bands]]\n");
        let _ = writeln!(s, "code = {}", quote(&b.code));
        let _ = writeln!(s, "label = {}", quote(&b.label));
        let _ = writeln!(s, "from_percent = {}", b.from_percent);
        let _ = writeln!(s, "to_percent = {}", b.to_percent);
    }
    for g in &r.groups {
        s.push_str("\n[[groups]]\n");
        let _ = writeln!(s, "code = {}", quote(&g.code));
        let _ = writeln!(s, "name = {}", quote(&g.name));
        let _ = writeln!(s, "points = {}", g.points);
        if g.whole {
            // Scored as a whole: its one item carries the group's text and hints.
            if let Some(it) = g.items.first() {
                let _ = writeln!(s, "text = {}", quote(&it.text));
                evidence(&mut s, &it.evidence);
            }
            continue;
        }
        for it in &g.items {
            s.push_str("[[groups.items]]\n");
            let _ = writeln!(s, "code = {}", quote(&it.code));
            let _ = writeln!(s, "short_name = {}", quote(&it.short_name));
            let _ = writeln!(s, "text = {}", quote(&it.text));
            let _ = writeln!(s, "points = {}", it.points);
            evidence(&mut s, &it.evidence);
        }
    }
    if let Some(d) = &r.deduction {
        s.push_str("\n[deduction]\n");
        let _ = writeln!(s, "code = {}", quote(&d.code));
        let _ = writeln!(s, "name = {}", quote(&d.name));
        let _ = writeln!(s, "text = {}", quote(&d.text));
        let _ = writeln!(s, "cap = {}", d.cap);
        evidence(&mut s, &d.evidence);
    }
    for v in &r.vetoes {
        s.push_str("\n[[vetoes]]\n");
        let _ = writeln!(s, "code = {}", quote(&v.code));
        let _ = writeln!(s, "text = {}", quote(&v.text));
        let effect = match v.effect {
            VetoEffect::Zero => "zero",
            VetoEffect::Disqualify => "disqualify",
        };
        let _ = writeln!(s, "effect = {}", quote(effect));
    }
    s
}

/// `evidence.fields` and `evidence.keywords`, each only when there is any.
fn evidence(s: &mut String, e: &Evidence) {
    let list = |v: &[String]| v.iter().map(|x| quote(x)).collect::<Vec<_>>().join(", ");
    if !e.fields.is_empty() {
        let _ = writeln!(s, "evidence.fields = [{}]", list(&e.fields));
    }
    if !e.keywords.is_empty() {
        let _ = writeln!(s, "evidence.keywords = [{}]", list(&e.keywords));
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped, everything else as it is.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
