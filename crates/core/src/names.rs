//! File names that Pingshen suggests when it saves something (a score file, a printed sheet): made from
//! people's and rounds' names, which may hold characters a file system refuses.

/// The characters Windows (and, for `/`, every system) refuses in a file name.
const REFUSED: &str = "/\\:*?\"<>|";

/// `text` made safe to use as (part of) a file name, one rule for every name Pingshen suggests:
///
/// 1. every character of `/ \ : * ? " < > |` and every control character (`char::is_control`: line
///    feeds, tabs, U+0000–U+001F, U+007F–U+009F) becomes `_`, one `_` for each;
/// 2. then white space at both ends (`str::trim`, e.g. spaces and the full-width space U+3000) is removed.
///
/// Nothing else changes: Chinese and other letters, digits, inner spaces, dots and `-` stay as they are.
/// The result may be empty (for an empty or all-blank `text`); the caller puts it into a longer name.
pub fn safe_file_name(text: &str) -> String {
    let replaced: String = text.chars().map(|c| if c.is_control() || REFUSED.contains(c) { '_' } else { c }).collect();
    replaced.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_characters_become_underscores_one_each() {
        assert_eq!(safe_file_name(r#"a/b\c:d*e?f"g<h>i|j"#), "a_b_c_d_e_f_g_h_i_j");
        assert_eq!(safe_file_name("张/三:"), "张_三_");
        assert_eq!(safe_file_name("a\nb\tc\u{7f}d\u{0}"), "a_b_c_d_");
    }

    #[test]
    fn ends_are_trimmed_and_everything_else_kept() {
        assert_eq!(safe_file_name("  E01 张三\u{3000}"), "E01 张三");
        assert_eq!(safe_file_name("2024年 评审-第1批.v2"), "2024年 评审-第1批.v2");
        // A control character at an end is replaced first, so it is not trimmed away.
        assert_eq!(safe_file_name("\tE01 "), "_E01");
        assert_eq!(safe_file_name("   "), "");
    }
}
