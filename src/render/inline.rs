//! How two long strings differ, word by word, for the text and Markdown plans.
//!
//! A URL or a long string that changed in one place is hard to compare when it is shown
//! whole, twice. So both strings are cut into words (runs of letters and digits) and single
//! other characters, compared with `similar`, and shown with the changed words marked the
//! way `git diff --word-diff=plain` marks them: `[-removed-]` and `{+added+}`. The marks
//! stay when the text plan is coloured (colour is added to them, never replaces them), so
//! the plan reads the same without colour, in a log, or pasted into an issue.
//!
//! A long unchanged run is shortened to its two ends around `…`: the point is the change,
//! and the JSON plan carries both values whole. Strings that have little in common are not
//! compared word by word (a diff of two unrelated strings is noise); the renderers show
//! them whole instead.

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// The longer string must have at least this many characters to be compared word by word;
/// shorter values read well whole.
const MIN_CHARS: usize = 30;

/// Strings longer than this are shown whole: comparing them could take long, and a value
/// this size is not read on one line anyway.
const MAX_CHARS: usize = 4096;

/// Characters kept at each end of an unchanged run that is shortened.
const CONTEXT: usize = 20;

/// What a part of a word diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PartKind {
    /// In both strings.
    Same,
    /// Only in the live value: `apply` removes it.
    Removed,
    /// Only in the policy value: `apply` adds it.
    Added,
}

/// One run of a word diff, as raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Part {
    /// Which side the text belongs to.
    pub(super) kind: PartKind,
    /// The text as in the value (not escaped).
    pub(super) text: String,
}

/// Returns the word diff of two strings, or `None` when they should be shown whole: both
/// short, one very long, or too little in common.
pub(super) fn word_diff(live: &str, policy: &str) -> Option<Vec<Part>> {
    let longer = live.chars().count().max(policy.chars().count());
    if !(MIN_CHARS..=MAX_CHARS).contains(&longer) {
        return None;
    }
    let old = words(live);
    let new = words(policy);
    let ops = capture_diff_slices(Algorithm::Myers, &old, &new);
    let mut parts: Vec<Part> = Vec::new();
    let mut same_chars = 0;
    let mut push = |kind: PartKind, tokens: &[&str]| {
        let text: String = tokens.concat();
        if text.is_empty() {
            return;
        }
        match parts.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(&text),
            _ => parts.push(Part { kind, text }),
        }
    };
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                same_chars += old[old_range.clone()]
                    .iter()
                    .map(|w| w.chars().count())
                    .sum::<usize>();
                push(PartKind::Same, &old[old_range]);
            }
            DiffTag::Delete => push(PartKind::Removed, &old[old_range]),
            DiffTag::Insert => push(PartKind::Added, &new[new_range]),
            DiffTag::Replace => {
                push(PartKind::Removed, &old[old_range]);
                push(PartKind::Added, &new[new_range]);
            }
        }
    }
    // Less than half unchanged: the marks would outnumber what they mark.
    (same_chars * 2 >= longer).then_some(parts)
}

/// Cuts text into words (runs of letters and digits) and single other characters.
fn words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(at);
            continue;
        }
        if let Some(begin) = start.take() {
            words.push(&text[begin..at]);
        }
        words.push(&text[at..at + c.len_utf8()]);
    }
    if let Some(begin) = start {
        words.push(&text[begin..]);
    }
    words
}

/// Returns a part's text as it is shown: an unchanged run shortened to its ends, then
/// escaped as inside a JSON string and made safe to print (`crate::output::untrusted`).
pub(super) fn shown(part: &Part) -> String {
    let chars: Vec<char> = part.text.chars().collect();
    let text = if part.kind == PartKind::Same && chars.len() > 2 * CONTEXT + 8 {
        let head = word_boundary_before(&chars, CONTEXT);
        let tail = word_boundary_after(&chars, chars.len() - CONTEXT);
        let head: String = chars[..head].iter().collect();
        let tail: String = chars[tail..].iter().collect();
        format!("{head}…{tail}")
    } else {
        part.text.clone()
    };
    let json = serde_json::Value::String(text).to_string();
    let inner = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or(&json);
    super::printable(inner).into_owned()
}

/// Returns true when a cut between `chars[at - 1]` and `chars[at]` would split a word.
fn inside_word(chars: &[char], at: usize) -> bool {
    at > 0 && at < chars.len() && chars[at - 1].is_alphanumeric() && chars[at].is_alphanumeric()
}

/// Returns where to end a head of at most `at` characters without splitting a word (or at
/// `at` when the first word is longer).
fn word_boundary_before(chars: &[char], at: usize) -> usize {
    (1..=at)
        .rev()
        .find(|&i| !inside_word(chars, i))
        .unwrap_or(at)
}

/// Returns where to start a tail from `at` on without splitting a word (or at `at` when the
/// last word is longer).
fn word_boundary_after(chars: &[char], at: usize) -> usize {
    (at..chars.len())
        .find(|&i| !inside_word(chars, i))
        .unwrap_or(at)
}

/// Returns a part marked for its kind: `[-removed-]`, `{+added+}`, unchanged text as is.
pub(super) fn marked(part: &Part) -> String {
    let text = shown(part);
    match part.kind {
        PartKind::Same => text,
        PartKind::Removed => format!("[-{text}-]"),
        PartKind::Added => format!("{{+{text}+}}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn combined(live: &str, policy: &str) -> Option<String> {
        word_diff(live, policy).map(|parts| parts.iter().map(marked).collect())
    }

    #[test]
    fn words_are_letters_and_digits_and_single_other_characters() {
        assert_eq!(
            words("https://a.example/v2?x=1 ünï"),
            [
                "https", ":", "/", "/", "a", ".", "example", "/", "v2", "?", "x", "=", "1", " ",
                "ünï"
            ]
        );
        assert!(words("").is_empty());
    }

    #[test]
    fn a_changed_path_segment_is_marked_in_place() {
        assert_eq!(
            combined(
                "https://staging.example.com/health",
                "https://staging.example.com/api/health"
            )
            .as_deref(),
            Some("https://staging.example.com/{+api/+}health")
        );
        assert_eq!(
            combined(
                "https://katz.example.com/api/health",
                "https://katz.example.com/healthz"
            )
            .as_deref(),
            Some("https://katz.example.com/[-api/health-]{+healthz+}")
        );
    }

    #[test]
    fn short_unrelated_and_huge_strings_are_shown_whole() {
        assert_eq!(combined("all", "protected"), None);
        assert_eq!(
            combined(
                "completely different words here",
                "nothing alike at all, not one bit"
            ),
            None
        );
        let huge = "a ".repeat(MAX_CHARS);
        assert_eq!(combined(&huge, &format!("{huge}b")), None);
    }

    #[test]
    fn long_unchanged_runs_are_shortened_and_everything_is_escaped() {
        let long = format!("https://example.com/{}", "segment/".repeat(10));
        assert_eq!(
            combined(&long, &format!("{long}v2\n\u{1b}[31m")).as_deref(),
            Some("https://example.com/…/segment/segment/{+v2\\n\\u001b[31m+}")
        );
    }
}
