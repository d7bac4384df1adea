//! Text that came from outside (a policy or state file, a workflow file, a flag, an answer
//! from GitHub), made safe to print.
//!
//! A pull request can put any character into a policy or workflow file, and `validate` and
//! `plan` echo names and values back in diagnostics and plans. Printed raw, a newline would
//! split one diagnostic into two, an escape sequence would reach the terminal, and a line
//! could start with `::error` or another GitHub Actions workflow command. So every piece of
//! outside text goes through [`escape`] before it is printed: control characters (C0, C1,
//! DEL), the Unicode line and paragraph separators and the bidirectional overrides become
//! visible `\n`, `\u{1b}`-style escapes, and everything else is printed as written.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Returns `text` with every character that could change how output is laid out or read
/// written as a visible escape; text without such characters is returned as it is.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Returns the text escaped and in backticks, the way diagnostics quote a name or value.
pub fn quote(text: &str) -> String {
    format!("`{}`", escape(text))
}

/// Returns true for the characters [`escape`] rewrites.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Line and paragraph separators: some terminals and log viewers break lines there.
            '\u{2028}' | '\u{2029}'
            // Bidirectional embeddings, overrides and isolates: they reorder what is shown.
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(escape("dev - lint and test"), Cow::Borrowed(_)));
        assert_eq!(escape("ünïcødé/名前"), "ünïcødé/名前");
    }

    #[test]
    fn layout_characters_become_visible() {
        assert_eq!(escape("a\nb"), "a\\nb");
        assert_eq!(escape("a\r\n::error::x"), "a\\r\\n::error::x");
        assert_eq!(escape("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(escape("tab\there"), "tab\\there");
        assert_eq!(escape("x\u{7f}\u{85}y"), "x\\u{7f}\\u{85}y");
        assert_eq!(escape("rtl\u{202e}txt"), "rtl\\u{202e}txt");
        assert_eq!(escape("line\u{2028}sep"), "line\\u{2028}sep");
    }

    #[test]
    fn escaped_text_is_one_line_without_control_characters() {
        let nasty: String = (0u32..0x250).filter_map(char::from_u32).collect();
        let escaped = escape(&nasty);
        assert!(!escaped.chars().any(needs_escape), "{escaped}");
        assert_eq!(escaped.lines().count(), 1);
    }
}
