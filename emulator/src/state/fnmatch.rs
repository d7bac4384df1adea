//! Ruby's `File.fnmatch` with `FNM_PATHNAME`, which GitHub matches ruleset patterns with.
//!
//! The pattern and the text are cut at `/` into parts. A pattern part that is exactly `**`
//! before a `/` matches any number of whole text parts (none too), but never one that
//! starts with `.`; every other part matches exactly one text part, where `*` is any run of
//! characters, `?` one character, `[…]` one character of a class (`!` or `^` negates, `a-z`
//! a range, `[]` an empty class, an unclosed `[` matches nothing) and `\` quotes the next
//! character (an escaped `/` still cuts; a trailing `\` stands for nothing). A text part
//! starting with `.` is matched only by a literal `.` unless dots are ordinary
//! (`FNM_DOTMATCH`, used for repository names). There are no `{a,b}` alternatives and case
//! matters.
//!
//! Both levels go greedily, like Ruby: the last `*` of a part, and the last `**/` of the
//! pattern, take one more character (part) whenever what follows fails, which is complete
//! for these patterns and never backtracks further. `tests/fixtures/ref-patterns.json` holds
//! the cases the tool's matcher is held to as well.

/// Returns whether the whole `text` matches `pattern`.
pub(crate) fn fnmatch(pattern: &str, text: &str) -> bool {
    matches(pattern, text, false)
}

/// Returns whether a repository name matches `pattern`, a leading `.` being ordinary.
pub(crate) fn fnmatch_name(pattern: &str, name: &str) -> bool {
    matches(pattern, name, true)
}

/// A pattern part: its raw characters, and whether it is `**/`.
struct Part<'a> {
    raw: &'a [char],
    globstar: bool,
}

fn matches(pattern: &str, text: &str, dots: bool) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let Some(parts) = split(&pattern) else {
        return false;
    };
    let text: Vec<Vec<char>> = text.split('/').map(|t| t.chars().collect()).collect();
    let hidden = |t: &[char]| !dots && t.first() == Some(&'.');
    let (mut p, mut t) = (0, 0);
    // Where the last `**/` resumes: the pattern part after it, the next text part to try.
    let mut resume: Option<(usize, usize)> = None;
    loop {
        while p < parts.len() && parts[p].globstar {
            p += 1;
            resume = Some((p, t));
        }
        if p == parts.len() && t == text.len() {
            return true;
        }
        if p < parts.len() && t < text.len() && part_matches(parts[p].raw, &text[t], dots) {
            p += 1;
            t += 1;
            continue;
        }
        // The last `**/` takes one more text part, unless that part is hidden.
        match resume {
            Some((at, from)) if from < text.len() && !hidden(&text[from]) => {
                resume = Some((at, from + 1));
                p = at;
                t = from + 1;
            }
            _ => return false,
        }
    }
}

/// Cuts the pattern at `/` (an escaped one too, never one inside a class); `None` when a
/// class never closes, which matches nothing.
fn split(pattern: &[char]) -> Option<Vec<Part<'_>>> {
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < pattern.len() {
        match pattern[i] {
            '[' => i += 1 + class_len(&pattern[i + 1..])?,
            '\\' if pattern.get(i + 1) == Some(&'/') => {
                parts.push(Part {
                    raw: &pattern[start..i],
                    globstar: false,
                });
                i += 2;
                start = i;
            }
            '\\' => i += 2,
            '/' => {
                let raw = &pattern[start..i];
                parts.push(Part {
                    raw,
                    globstar: raw == ['*', '*'],
                });
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    parts.push(Part {
        raw: &pattern[start.min(pattern.len())..],
        globstar: false,
    });
    Some(parts)
}

/// Returns the length of a class after its `[`, up to and including its `]`.
fn class_len(p: &[char]) -> Option<usize> {
    let mut i = usize::from(matches!(p.first(), Some('!' | '^')));
    let skip = |at: usize| -> Option<usize> {
        match p.get(at)? {
            '\\' => p.get(at + 1).map(|_| at + 2),
            _ => Some(at + 1),
        }
    };
    while *p.get(i)? != ']' {
        i = skip(i)?;
        if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|c| *c != ']') {
            i = skip(i + 1)?;
        }
    }
    Some(i + 1)
}

/// Returns whether the class after `[` admits `c`.
fn class_admits(p: &[char], c: char) -> bool {
    let negated = matches!(p.first(), Some('!' | '^'));
    let mut i = usize::from(negated);
    let mut hit = false;
    let item = |at: usize| match p[at] {
        '\\' => (p[at + 1], at + 2),
        x => (x, at + 1),
    };
    while p[i] != ']' {
        let (low, next) = item(i);
        i = next;
        let high = if p[i] == '-' && p[i + 1] != ']' {
            let (high, next) = item(i + 1);
            i = next;
            high
        } else {
            low
        };
        // A reversed range matches its two ends only.
        hit |= c == low || c == high || (low <= c && c <= high);
    }
    hit != negated
}

/// Returns whether one text part matches one pattern part.
fn part_matches(pat: &[char], text: &[char], dots: bool) -> bool {
    let literal_dot = matches!(pat, ['\\', '.', ..] | ['.', ..]);
    if !dots && text.first() == Some(&'.') && !literal_dot {
        return false;
    }
    let (mut p, mut t) = (0, 0);
    // After the last `*`: the pattern position, and the text position it resumes from.
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pat.get(p) == Some(&'*') {
            while pat.get(p) == Some(&'*') {
                p += 1;
            }
            star = Some((p, t));
            continue;
        }
        // A trailing `\` stands for nothing.
        if pat.get(p) == Some(&'\\') && p + 1 == pat.len() {
            p += 1;
            continue;
        }
        if p == pat.len() && t == text.len() {
            return true;
        }
        let step = match (pat.get(p), text.get(t)) {
            (Some('?'), Some(_)) => Some(p + 1),
            (Some('['), Some(c)) => class_len(&pat[p + 1..])
                .filter(|_| class_admits(&pat[p + 1..], *c))
                .map(|len| p + 1 + len),
            (Some('\\'), Some(c)) => (pat.get(p + 1) == Some(c)).then_some(p + 2),
            (Some(x), Some(c)) => (x == c).then_some(p + 1),
            _ => None,
        };
        if let Some(next) = step {
            p = next;
            t += 1;
            continue;
        }
        // The last `*` takes one more character.
        match star {
            Some((at, from)) if from < text.len() => {
                star = Some((at, from + 1));
                p = at;
                t = from + 1;
            }
            _ => return false,
        }
    }
}
