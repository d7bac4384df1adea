//! Check names in which some parts are unknown until the workflow runs, and their matcher.
//!
//! A pattern is a list of literal segments and wildcards (`*`, any text, possibly empty).
//! Matching runs in time linear in the lengths of the name and the pattern: with `*` as the
//! only wildcard, the first literal must be a prefix of the name, the last a suffix, and each
//! literal in between can be taken at its leftmost occurrence after the previous one (a
//! later occurrence never leaves more room for the rest). Each search is the standard
//! library's substring search (Two-Way, linear in the text searched), and every search
//! starts where the previous match ended, so the name is read about once. The recursive
//! matcher this replaces tried every split point at every wildcard, which is exponential in
//! the number of wildcards: a name with 14 `${{ }}` expressions took minutes.

use std::fmt;

/// A check name in which some parts may be unknown until the workflow runs.
///
/// Kept normalised: no empty literal, no two literals in a row, no two wildcards in a row,
/// so that equal patterns compare and hash equal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NamePattern(Vec<Segment>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Literal(String),
    /// Any text, possibly empty.
    Any,
}

impl NamePattern {
    /// Returns an exact name.
    pub fn exact(name: impl Into<String>) -> Self {
        let mut pattern = Self::default();
        pattern.push_str(&name.into());
        pattern
    }

    /// Returns a name that may be anything.
    pub fn any() -> Self {
        Self(vec![Segment::Any])
    }

    /// Returns true when the name has no wildcard.
    pub fn is_exact(&self) -> bool {
        !self.0.contains(&Segment::Any)
    }

    /// Returns the name when it has no wildcard.
    pub fn as_exact(&self) -> Option<String> {
        self.is_exact().then(|| self.to_string())
    }

    /// Returns true when the pattern can produce `name`.
    pub fn matches(&self, name: &str) -> bool {
        self.match_counting(name).0
    }

    /// Returns whether the pattern can produce `name`, and the number of bytes of `name` and
    /// of the pattern the match looked at: at most `name.len()` plus the pattern's length.
    pub(super) fn match_counting(&self, name: &str) -> (bool, usize) {
        let segments = self.0.as_slice();
        let Some(first_any) = segments.iter().position(|s| *s == Segment::Any) else {
            let literal = match segments {
                [] => "",
                [Segment::Literal(text)] => text.as_str(),
                // Normalised: a pattern without a wildcard is at most one literal.
                _ => return (self.to_string() == name, name.len() + self.len()),
            };
            return (literal == name, literal.len().min(name.len()) + 1);
        };
        let mut steps = 0;
        let mut rest = name;
        if let [Segment::Literal(prefix)] = &segments[..first_any] {
            steps += prefix.len();
            let Some(tail) = rest.strip_prefix(prefix.as_str()) else {
                return (false, steps);
            };
            rest = tail;
        }
        let mut middle = &segments[first_any..];
        if let Some((Segment::Literal(suffix), before)) = middle.split_last() {
            steps += suffix.len();
            let Some(head) = rest.strip_suffix(suffix.as_str()) else {
                return (false, steps);
            };
            rest = head;
            middle = before;
        }
        for segment in middle {
            let Segment::Literal(literal) = segment else {
                steps += 1;
                continue;
            };
            match rest.find(literal.as_str()) {
                Some(at) => {
                    let end = at + literal.len();
                    steps += end;
                    rest = &rest[end..];
                }
                None => return (false, steps + rest.len() + literal.len()),
            }
        }
        (true, steps)
    }

    /// Returns the length of the pattern's text, counting a wildcard as one byte.
    pub(super) fn len(&self) -> usize {
        self.0
            .iter()
            .map(|segment| match segment {
                Segment::Literal(text) => text.len(),
                Segment::Any => 1,
            })
            .sum()
    }

    /// Appends literal text.
    pub(super) fn push_str(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if let Some(Segment::Literal(last)) = self.0.last_mut() {
            last.push_str(text);
        } else {
            self.0.push(Segment::Literal(text.to_owned()));
        }
    }

    /// Appends a wildcard.
    pub(super) fn push_any(&mut self) {
        if self.0.last() != Some(&Segment::Any) {
            self.0.push(Segment::Any);
        }
    }

    /// Appends another pattern.
    pub(super) fn append(&mut self, other: &Self) {
        for segment in &other.0 {
            match segment {
                Segment::Literal(text) => self.push_str(text),
                Segment::Any => self.push_any(),
            }
        }
    }
}

/// Shows the pattern with `*` for each wildcard; outside text, so escape it before printing.
impl fmt::Display for NamePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for segment in &self.0 {
            match segment {
                Segment::Literal(text) => f.write_str(text)?,
                Segment::Any => f.write_str("*")?,
            }
        }
        Ok(())
    }
}
