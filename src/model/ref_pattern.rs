//! Which refs a ruleset's conditions select: GitHub matches `include`/`exclude` patterns
//! against the full ref name (`refs/heads/main`) the way Ruby's `File.fnmatch` does with
//! `FNM_PATHNAME`: `*` and `?` never match `/`, `**` matches across `/` (and `**/` also
//! matches nothing), `[a-z]`/`[!a]` are classes, `\` quotes. `~DEFAULT_BRANCH` and `~ALL`
//! are GitHub's own names.
//!
//! Matching is a table over (pattern position, text position), so its cost is the product
//! of the two lengths whatever the pattern: no backtracking blow-up.

/// Returns true when the ref conditions select the branch.
pub fn selects_branch(
    include: &[String],
    exclude: &[String],
    branch: &str,
    default_branch: &str,
) -> bool {
    let full = format!("refs/heads/{branch}");
    let hit = |pattern: &String| match pattern.as_str() {
        "~ALL" => true,
        "~DEFAULT_BRANCH" => branch == default_branch,
        pattern => fnmatch(pattern, &full),
    };
    include.iter().any(hit) && !exclude.iter().any(hit)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(char),
    /// `?`: one character but `/`.
    One,
    /// `*`: any run of characters without `/`.
    Star,
    /// `**`: any run of characters.
    Globstar,
    /// `**/`: nothing, or any run ending in `/`.
    Dirs,
    /// `[…]`: one character (never `/`) in or, negated, not in the set.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

fn tokens(pattern: &str) -> Vec<Token> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                out.push(Token::Literal(chars[i + 1]));
                i += 2;
            }
            '*' if chars.get(i + 1) == Some(&'*') => {
                if chars.get(i + 2) == Some(&'/') {
                    out.push(Token::Dirs);
                    i += 3;
                } else {
                    out.push(Token::Globstar);
                    i += 2;
                }
            }
            '*' => {
                out.push(Token::Star);
                i += 1;
            }
            '?' => {
                out.push(Token::One);
                i += 1;
            }
            '[' => {
                if let Some((token, used)) = class(&chars[i + 1..]) {
                    out.push(token);
                    i += used + 1;
                } else {
                    out.push(Token::Literal('['));
                    i += 1;
                }
            }
            c => {
                out.push(Token::Literal(c));
                i += 1;
            }
        }
    }
    out
}

/// Parses a class after its `[`; returns the token and how many characters it used.
fn class(chars: &[char]) -> Option<(Token, usize)> {
    let mut i = 0;
    let negated = matches!(chars.first(), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && !first {
            return Some((Token::Class { negated, ranges }, i + 1));
        }
        first = false;
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|e| *e != ']') {
            ranges.push((c, chars[i + 2]));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
    None
}

/// Returns why a pattern is not well formed, or `None` when it is: a `[` that opens a class
/// never closed, or a `\` at the end that escapes nothing. (The matcher reads them as
/// literal characters; written by a person, they are a mistake that would select nothing.)
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

/// Returns true when the whole text matches the pattern.
pub fn fnmatch(pattern: &str, text: &str) -> bool {
    let tokens = tokens(pattern);
    let text: Vec<char> = text.chars().collect();
    let (p, t) = (tokens.len(), text.len());
    // matches[i][j]: tokens[i..] match text[j..]; filled from the end.
    let mut matches = vec![vec![false; t + 1]; p + 1];
    matches[p][t] = true;
    for i in (0..p).rev() {
        for j in (0..=t).rev() {
            let here = text.get(j).copied();
            matches[i][j] = match &tokens[i] {
                Token::Literal(c) => here == Some(*c) && matches[i + 1][j + 1],
                Token::One => here.is_some_and(|c| c != '/') && matches[i + 1][j + 1],
                Token::Class { negated, ranges } => {
                    here.is_some_and(|c| {
                        c != '/' && ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)) != *negated
                    }) && matches[i + 1][j + 1]
                }
                Token::Star => {
                    matches[i + 1][j] || (here.is_some_and(|c| c != '/') && matches[i][j + 1])
                }
                Token::Globstar => matches[i + 1][j] || (here.is_some() && matches[i][j + 1]),
                Token::Dirs => {
                    // Nothing, or any run ending in `/`.
                    matches[i + 1][j] || (j..t).any(|k| text[k] == '/' && matches[i + 1][k + 1])
                }
            };
        }
    }
    matches[0][0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_class_or_a_trailing_escape_is_malformed() {
        assert!(malformed("svc-[").is_some());
        assert!(malformed("release/\\").is_some());
        for fine in ["svc-*", "svc-[ab]", "svc-[!a]", "v\\[1", "[]]", "**/x"] {
            assert_eq!(malformed(fine), None, "{fine}");
        }
    }

    #[test]
    fn patterns_match_as_github_matches_them() {
        let yes = [
            ("refs/heads/main", "refs/heads/main"),
            ("refs/heads/release/*", "refs/heads/release/v1"),
            ("refs/heads/release/**", "refs/heads/release/a/b"),
            ("refs/heads/releases/**/*", "refs/heads/releases/v1"),
            ("refs/heads/releases/**/*", "refs/heads/releases/a/b/c"),
            ("refs/heads/v?", "refs/heads/v1"),
            ("refs/heads/[a-c]x", "refs/heads/bx"),
            ("refs/heads/[!a]x", "refs/heads/bx"),
            ("refs/heads/a\\*", "refs/heads/a*"),
        ];
        for (pattern, text) in yes {
            assert!(fnmatch(pattern, text), "{pattern} should match {text}");
        }
        let no = [
            ("refs/heads/release/*", "refs/heads/release/a/b"),
            ("main", "refs/heads/main"),
            ("refs/heads/v?", "refs/heads/v/"),
            ("refs/heads/[a-c]x", "refs/heads/dx"),
            ("refs/heads/a\\*", "refs/heads/ab"),
        ];
        for (pattern, text) in no {
            assert!(!fnmatch(pattern, text), "{pattern} should not match {text}");
        }
    }

    #[test]
    fn many_stars_cost_the_product_of_the_lengths() {
        let pattern = "*a".repeat(40);
        let text = "a".repeat(39) + "b";
        assert!(!fnmatch(&pattern, &text));
    }

    #[test]
    fn conditions_select_branches() {
        let include = vec![
            "~DEFAULT_BRANCH".to_owned(),
            "refs/heads/release/**".to_owned(),
        ];
        let exclude = vec!["refs/heads/release/old".to_owned()];
        assert!(selects_branch(&include, &exclude, "main", "main"));
        assert!(selects_branch(&include, &exclude, "release/v2", "main"));
        assert!(!selects_branch(&include, &exclude, "release/old", "main"));
        assert!(!selects_branch(&include, &exclude, "dev", "main"));
        assert!(selects_branch(
            &["~ALL".to_owned()],
            &[],
            "anything/at/all",
            "main"
        ));
    }
}
