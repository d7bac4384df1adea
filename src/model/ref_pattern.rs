//! Which refs a ruleset's conditions select, matched as GitHub matches them: Ruby's
//! `File.fnmatch` with `FNM_PATHNAME`, against the full ref name (`refs/heads/main`).
//! `~DEFAULT_BRANCH` and `~ALL` are GitHub's own names; `exclude` beats `include`.
//!
//! A pattern and a text are both cut into parts at `/` and matched part by part:
//! - `**/` at the start of a part matches any number of whole parts (none at all too);
//!   every other `**` is `*` (so a trailing `**` never crosses `/`, and `qa**/` is `qa*/`);
//! - within a part, `*` is any run of characters, `?` one character, `[a-z]`/`[!a]`/`[^a]`
//!   one character of (not of) a class, `\` makes the next character literal;
//! - a part that starts with `.` is matched only by a literal `.` (no `FNM_DOTMATCH`; git
//!   refuses such refs anyway), and `**/` never spans it;
//! - Ruby's corners are kept: `[]` is an empty class, `[!]` any character, a class left
//!   open never matches, an escaped `/` still separates, a trailing `\` escapes the end.
//!
//! `tests/fixtures/ref-patterns.json` holds the cases; the emulator runs the same table, so
//! the tool's predictions and GitHub's answers agree. Matching is a table over (pattern
//! position, text position) at both levels: its cost is the product of the lengths.

mod qualify;

pub use qualify::{ALL, DEFAULT_BRANCH, is_githubs_name, is_literal};

/// Returns true when the ref conditions (qualified, as GitHub stores them) select the branch.
pub fn selects_branch(
    include: &[String],
    exclude: &[String],
    branch: &str,
    default_branch: &str,
) -> bool {
    let full = format!("refs/heads/{branch}");
    let hit = |pattern: &String| match pattern.as_str() {
        ALL => true,
        DEFAULT_BRANCH => branch == default_branch,
        pattern => fnmatch(pattern, &full),
    };
    include.iter().any(hit) && !exclude.iter().any(hit)
}

/// Returns true when the whole text matches the pattern (`FNM_PATHNAME`).
pub fn fnmatch(pattern: &str, text: &str) -> bool {
    Pattern::parse(pattern).is_some_and(|p| p.matches(text, false))
}

/// Returns true when a name (no `/` in it) matches the pattern, a leading `.` being an
/// ordinary character: repository names, where `*` has always selected `.github`.
pub fn fnmatch_name(pattern: &str, name: &str) -> bool {
    Pattern::parse(pattern).is_some_and(|p| p.matches(name, true))
}

/// One element of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(char),
    /// `?`.
    One,
    /// `*` (or `**` anywhere but at the start of a part before `/`).
    Star,
    /// `[…]`: one character in (or, negated, not in) the ranges.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// One `/`-separated part of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// `**/`: any number of whole parts.
    Dirs,
    Glob(Vec<Token>),
}

/// A parsed pattern: its parts.
#[derive(Debug)]
struct Pattern(Vec<Part>);

impl Pattern {
    /// Parses a pattern; `None` for one that can match nothing (a class left open).
    fn parse(pattern: &str) -> Option<Self> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parts = Vec::new();
        let mut tokens = Vec::new();
        // Where the current part starts in `chars`, to tell `**/` at its start.
        let mut start = 0;
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '/' => {
                    let glob = Part::Glob(std::mem::take(&mut tokens));
                    let dirs = chars[start..i] == ['*', '*'];
                    parts.push(if dirs { Part::Dirs } else { glob });
                    i += 1;
                    start = i;
                }
                '\\' if chars.get(i + 1) == Some(&'/') => {
                    parts.push(Part::Glob(std::mem::take(&mut tokens)));
                    i += 2;
                    start = i;
                }
                // A trailing `\` escapes the end: it stands for nothing.
                '\\' if i + 1 == chars.len() => i += 1,
                '\\' => {
                    tokens.push(Token::Literal(chars[i + 1]));
                    i += 2;
                }
                '*' => {
                    if tokens.last() != Some(&Token::Star) {
                        tokens.push(Token::Star);
                    }
                    i += 1;
                }
                '?' => {
                    tokens.push(Token::One);
                    i += 1;
                }
                '[' => {
                    let (class, used) = class(&chars[i + 1..])?;
                    tokens.push(class);
                    i += 1 + used;
                }
                c => {
                    tokens.push(Token::Literal(c));
                    i += 1;
                }
            }
        }
        parts.push(Part::Glob(tokens));
        Some(Self(parts))
    }

    /// Matches the text part by part; `dot_match` makes a leading `.` ordinary.
    fn matches(&self, text: &str, dot_match: bool) -> bool {
        let texts: Vec<Vec<char>> = text.split('/').map(|t| t.chars().collect()).collect();
        let hidden = |t: &[char]| !dot_match && t.first() == Some(&'.');
        let (p, t) = (self.0.len(), texts.len());
        // matches[i][j]: parts[i..] match texts[j..]; filled from the end.
        let mut matches = vec![vec![false; t + 1]; p + 1];
        matches[p][t] = true;
        for i in (0..p).rev() {
            for j in (0..=t).rev() {
                let here = texts.get(j);
                matches[i][j] = match &self.0[i] {
                    Part::Dirs => {
                        matches[i + 1][j]
                            || here.is_some_and(|part| !hidden(part) && matches[i][j + 1])
                    }
                    Part::Glob(tokens) => here.is_some_and(|part| {
                        let leading_dot_ok =
                            !hidden(part) || tokens.first() == Some(&Token::Literal('.'));
                        leading_dot_ok && glob(tokens, part) && matches[i + 1][j + 1]
                    }),
                };
            }
        }
        matches[0][0]
    }
}

/// Parses a class after its `[`, as Ruby does: `!` or `^` negates, a `]` right away closes
/// it (an empty class), `\` escapes, `a-z` is a range unless `-` comes before `]`. Returns
/// the token and the characters used (up to and including `]`); `None` when it never closes.
fn class(chars: &[char]) -> Option<(Token, usize)> {
    let negated = matches!(chars.first(), Some('!' | '^'));
    let mut i = usize::from(negated);
    let mut ranges = Vec::new();
    // An item, escaped or not: the character and the position after it.
    let item = |at: usize| -> Option<(char, usize)> {
        match chars.get(at)? {
            '\\' => chars.get(at + 1).map(|c| (*c, at + 2)),
            c => Some((*c, at + 1)),
        }
    };
    while *chars.get(i)? != ']' {
        let (low, next) = item(i)?;
        i = next;
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|c| *c != ']') {
            let (high, next) = item(i + 1)?;
            ranges.push((low, high));
            i = next;
        } else {
            ranges.push((low, low));
        }
    }
    Some((Token::Class { negated, ranges }, i + 1))
}

/// Returns why a pattern is not well formed, or `None` when it is. Each case is one GitHub
/// accepts but a person would not mean: a `[` that opens a class never closed and a class
/// that holds no character a part of a ref can have (`[]` is an empty class to Ruby, `[/]`
/// never matches) select nothing; a `\` at the end escapes nothing and is dropped.
pub fn malformed(pattern: &str) -> Option<&'static str> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 == chars.len() => {
                return Some("it ends with a `\\` that escapes nothing");
            }
            '\\' => i += 2,
            '[' => match class(&chars[i + 1..]) {
                Some((
                    Token::Class {
                        negated: false,
                        ranges,
                    },
                    _,
                )) if ranges.iter().all(|range| *range == ('/', '/')) => {
                    return Some(
                        "its `[…]` class matches no character (`[]` is an empty class to GitHub; write `[\\]]` for a `]` itself)",
                    );
                }
                Some((_, used)) => i += used + 1,
                None => {
                    return Some(
                        "its `[` opens a character class that is never closed (write `\\[` for a `[` itself)",
                    );
                }
            },
            _ => i += 1,
        }
    }
    None
}

/// Returns true when one part of a text matches one part of a pattern.
fn glob(tokens: &[Token], text: &[char]) -> bool {
    let (p, t) = (tokens.len(), text.len());
    let mut matches = vec![vec![false; t + 1]; p + 1];
    matches[p][t] = true;
    for i in (0..p).rev() {
        for j in (0..=t).rev() {
            let here = text.get(j).copied();
            let one = |ok: bool| ok && matches[i + 1][j + 1];
            matches[i][j] = match &tokens[i] {
                Token::Literal(c) => one(here == Some(*c)),
                Token::One => one(here.is_some()),
                Token::Class { negated, ranges } => one(here.is_some_and(|c| {
                    // A reversed range still matches its two ends, as Ruby's does.
                    let within = |(low, high): &(char, char)| {
                        c == *low || c == *high || (*low..=*high).contains(&c)
                    };
                    ranges.iter().any(within) != *negated
                })),
                Token::Star => matches[i + 1][j] || (here.is_some() && matches[i][j + 1]),
            };
        }
    }
    matches[0][0]
}

#[cfg(test)]
mod tests;
