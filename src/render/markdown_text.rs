//! Outside text made safe in Markdown: as a code span, or as prose whose quoted names become
//! code spans. Every Markdown the tool writes (the plan, its findings) goes through these.

use super::printable;

/// Returns text as a code span whose fence is longer than any run of backticks inside it,
/// padded with spaces when it starts or ends with a backtick (`CommonMark` strips one space
/// from each side).
pub(super) fn code(text: &str) -> String {
    let text = printable(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Returns a sentence of the plan (a reason, a note) as Markdown: the names it quotes in
/// backticks become code spans, everything else is plain text. Unbalanced backticks leave
/// the whole sentence plain.
pub(super) fn prose(text: &str) -> String {
    let text = printable(text);
    let pieces: Vec<&str> = text.split('`').collect();
    if pieces.len().is_multiple_of(2) {
        return escape_text(&text);
    }
    pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| {
            if i % 2 == 1 {
                code(piece)
            } else {
                escape_text(piece)
            }
        })
        .collect()
}

/// Returns plain text with the characters Markdown would act on escaped.
fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!'
        ) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
