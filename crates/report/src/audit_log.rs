//! The 审计日志 of a round, printed: every entry of the round's append-only log (time, 操作人, 操作, 内容) as
//! an A4 portrait table, headed by the round, its rubric (title and fingerprint) and the print date, with
//! the round's name in the page footer and signature lines for 统分人 and 复核人.

use serde::Serialize;

use pingshen_core::rubric::fingerprint;

use crate::{view, ReportError};

/// Everything the printed 审计日志 is made from, as plain text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditDoc {
    /// 评审批次 name.
    pub round_name: String,
    /// The title of the round's frozen rubric.
    pub rubric_title: String,
    /// The round's frozen rubric hash (64 hex digits); printed as its fingerprint.
    pub rubric_hash: String,
    /// The print date as text ("2024年5月20日"); empty leaves a line. No clock is read.
    pub printed_on: String,
    /// The entries, oldest first.
    pub entries: Vec<AuditRow>,
}

/// One entry of the log as printed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    /// When, as text to print (the app prints the store's UTC timestamps in Beijing time).
    pub at: String,
    /// 操作人
    pub actor: String,
    /// 操作, in words (the store's `AuditEntry::action_zh`).
    pub action: String,
    /// 内容
    pub detail: String,
}

#[derive(Serialize)]
struct View<'a> {
    doc_title: String,
    landscape: bool,
    footer_css: String,
    round_name: &'a str,
    rubric_title: &'a str,
    rubric_fingerprint: String,
    printed_on: &'a str,
    entries: &'a [AuditRow],
    signers: [&'static str; 2],
}

/// Text as the inside of a CSS string literal: quotes, backslashes, angle brackets, ampersands and control
/// characters as CSS escapes, so that no text can end the string or the `<style>` element.
fn css_string(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' | '\'' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The round's 审计日志 as one self-contained HTML document, A4 portrait.
pub fn audit_log_html(doc: &AuditDoc) -> Result<String, ReportError> {
    let footer = if doc.round_name.is_empty() { "审计日志".to_string() } else { format!("{} · 审计日志", doc.round_name) };
    let view = View {
        doc_title: format!("{}审计日志", doc.round_name),
        landscape: false,
        footer_css: css_string(&footer),
        round_name: &doc.round_name,
        rubric_title: &doc.rubric_title,
        rubric_fingerprint: fingerprint(&doc.rubric_hash),
        printed_on: &doc.printed_on,
        entries: &doc.entries,
        signers: ["统分人", "复核人"],
    };
    view::render("audit_log.html.tera", &view)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> AuditDoc {
        AuditDoc {
            round_name: "2024年\"评审\"</style><script>".into(),
            rubric_title: "河南省市域产教联合体评分标准".into(),
            rubric_hash: "ab".repeat(32),
            printed_on: "2024年5月21日".into(),
            entries: vec![
                AuditRow {
                    at: "2024-05-20 10:00:00".into(),
                    actor: "统分人".into(),
                    action: "创建评审批次".into(),
                    detail: "创建评审批次「甲」".into(),
                },
                AuditRow {
                    at: "2024-05-20 11:15:42".into(),
                    actor: "E01".into(),
                    action: "重新提交修改".into(),
                    detail: "观测点 2.1 <校企>：4 分 → 3.5 分；退回人 统分人，退回理由：复核 & 更正".into(),
                },
            ],
        }
    }

    #[test]
    fn the_log_prints_every_entry_with_the_round_rubric_and_date() {
        let html = audit_log_html(&doc()).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>") && html.contains("size: A4;") && html.contains("counter(page)"));
        assert!(html.contains("<h1>审计日志</h1>"));
        assert!(html.contains(&format!("校验码 <span class=\"mono\">{}</span>", fingerprint(&"ab".repeat(32)))));
        assert!(html.contains("<span class=\"fill\">2024年5月21日</span>"));
        assert!(html.contains(
            "<td class=\"num\">1</td><td class=\"num\">2024-05-20 10:00:00</td><td class=\"c\">统分人</td><td class=\"c\">创建评审批次</td>"
        ));
        assert!(html.contains(
            "<td class=\"num\">2</td><td class=\"num\">2024-05-20 11:15:42</td><td class=\"c\">E01</td><td class=\"c\">重新提交修改</td>\
             <td class=\"wrap\">观测点 2.1 &lt;校企&gt;：4 分 → 3.5 分；退回人 统分人，退回理由：复核 &amp; 更正</td>"
        ));
        assert!(html.contains("记录条数</th><td>2 条"));
        assert!(html.contains("统分人（签字）：") && html.contains("复核人（签字）："));
        let empty = audit_log_html(&AuditDoc { entries: vec![], ..doc() }).unwrap();
        assert!(empty.contains("<td class=\"c\" colspan=\"5\">无记录</td>"));
    }

    #[test]
    fn the_footer_and_the_text_are_escaped() {
        let html = audit_log_html(&doc()).unwrap();
        // The footer names the round on every page, inside a CSS string that no text can end.
        assert!(html.contains("@bottom-left {\n    content: \"2024年\\22 评审\\22 \\3c /style\\3e \\3c script\\3e  · 审计日志\";"), "{html}");
        assert_eq!(html.matches("</style>").count(), 1);
        assert!(!html.contains("<script"));
        assert!(html.contains("（2024年&quot;评审&quot;&lt;&#x2F;style&gt;&lt;script&gt;）"));
        for banned in ["http", "<link", "<img", "url(", "@import", "src="] {
            assert!(!html.contains(banned), "{banned}");
        }
        // Other documents have no such footer.
        assert!(!crate::declaration_html(&Default::default()).unwrap().contains("@bottom-left"));
    }
}
