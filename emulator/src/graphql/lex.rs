//! GraphQL's lexical grammar, shared by the schema (SDL) and the queries: names,
//! punctuators, strings (plain and block), numbers; commas and `#` comments are ignored.

/// One token with where it starts (1-based line and column, as GitHub reports locations).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Name(String),
    /// One of `{ } ( ) [ ] : ! = @ | & $`, or `.` for the spread `...`.
    Punct(char),
    Str(String),
    Int(i64),
    Float,
}

/// Splits a document into tokens, or says where it cannot.
pub(crate) fn tokens(text: &str) -> Result<Vec<Token>, (String, usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut line_start) = (0, 1, 0);
    while i < chars.len() {
        let c = chars[i];
        let column = i - line_start + 1;
        let (token_line, at) = (line, move |kind| Token { kind, line, column });
        match c {
            '\n' => {
                i += 1;
                line += 1;
                line_start = i;
            }
            ' ' | '\t' | '\r' | ',' | '\u{feff}' => i += 1,
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push(at(Kind::Punct('.')));
                i += 3;
            }
            '{' | '}' | '(' | ')' | '[' | ']' | ':' | '!' | '=' | '@' | '|' | '&' | '$' => {
                out.push(at(Kind::Punct(c)));
                i += 1;
            }
            '"' if chars.get(i + 1) == Some(&'"') && chars.get(i + 2) == Some(&'"') => {
                let start = i + 3;
                let mut end = start;
                while end + 2 < chars.len() && chars[end..end + 3] != ['"', '"', '"'] {
                    if chars[end] == '\n' {
                        line += 1;
                        line_start = end + 1;
                    }
                    end += 1;
                }
                if end + 2 >= chars.len() {
                    return Err(("Unterminated block string".into(), token_line, column));
                }
                out.push(at(Kind::Str(chars[start..end].iter().collect())));
                i = end + 3;
            }
            '"' => {
                let (value, next) = plain_string(&chars, i + 1)
                    .ok_or_else(|| ("Unterminated string".to_owned(), line, column))?;
                out.push(at(Kind::Str(value)));
                i = next;
            }
            '-' | '0'..='9' => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                match text.parse::<i64>() {
                    Ok(n) => out.push(at(Kind::Int(n))),
                    Err(_) if text.parse::<f64>().is_ok() => out.push(at(Kind::Float)),
                    Err(_) => return Err((format!("Invalid number {text}"), line, column)),
                }
            }
            c if c == '_' || c.is_ascii_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i] == '_' || chars[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                out.push(at(Kind::Name(chars[start..i].iter().collect())));
            }
            other => return Err((format!("Parse error on \"{other}\""), line, column)),
        }
    }
    Ok(out)
}

/// Reads a `"…"` string from after its opening quote; returns it and where it ends.
fn plain_string(chars: &[char], mut i: usize) -> Option<(String, usize)> {
    let mut value = String::new();
    while let Some(&c) = chars.get(i) {
        match c {
            '"' => return Some((value, i + 1)),
            '\n' => return None,
            '\\' => {
                let escaped = *chars.get(i + 1)?;
                i += 2;
                match escaped {
                    'n' => value.push('\n'),
                    't' => value.push('\t'),
                    'r' => value.push('\r'),
                    'b' => value.push('\u{8}'),
                    'f' => value.push('\u{c}'),
                    'u' => {
                        let hex: String = chars.get(i..i + 4)?.iter().collect();
                        value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                        i += 4;
                    }
                    other => value.push(other),
                }
            }
            c => {
                value.push(c);
                i += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_names_numbers_and_locations() {
        let t = tokens("query {\n  a: b(x: \"q\\\"\", n: -3) # c\n ...on X }").expect("lexes");
        let kinds: Vec<&Kind> = t.iter().map(|t| &t.kind).collect();
        assert_eq!(kinds[4], &Kind::Name("b".into()));
        assert!(kinds.contains(&&Kind::Str("q\"".into())));
        assert!(kinds.contains(&&Kind::Int(-3)));
        let spread = t
            .iter()
            .find(|t| t.kind == Kind::Punct('.'))
            .expect("spread");
        assert_eq!((spread.line, spread.column), (3, 2));
        assert!(tokens("{ a(x: \"open) }").is_err());
    }
}
