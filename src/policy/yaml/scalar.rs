//! Scalar resolution by the YAML 1.2 core schema: a quoted scalar is a string; a plain one
//! is null, a boolean, an integer (decimal, `0o` octal, `0x` hex), a float (without a
//! fraction: an integer, as JSON Schema counts it), or a string; a core-schema tag forces
//! its type, `!` makes a string, any other tag is refused.

use serde_json::{Number, Value};
use serde_saphyr::granit_parser::{ScalarStyle, Tag};

use crate::output::untrusted::quote;

/// Resolves a scalar by its style and tag.
pub(super) fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let Some(tag) = tag else {
        return Ok(if style == ScalarStyle::Plain {
            plain(text)?
        } else {
            Value::String(text.to_owned())
        });
    };
    // The non-specific tag `!` makes a scalar a string.
    if tag.handle().is_empty() && tag.suffix() == "!" {
        return Ok(Value::String(text.to_owned()));
    }
    let wrong = |what: &str| {
        format!(
            "{} is not {what}, as its tag `{}` says",
            quote(text),
            tag.original()
        )
    };
    match tag.core_suffix() {
        Some("str") => Ok(Value::String(text.to_owned())),
        Some("null") => match plain(text)? {
            Value::Null => Ok(Value::Null),
            _ => Err(wrong("null")),
        },
        Some("bool") => match plain(text)? {
            value @ Value::Bool(_) => Ok(value),
            _ => Err(wrong("`true` or `false`")),
        },
        Some("int") => match plain(text)? {
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(Value::Number(n)),
            _ => Err(wrong("an integer")),
        },
        Some("float") => match plain(text)? {
            value @ Value::Number(_) => Ok(value),
            _ => Err(wrong("a number")),
        },
        _ => Err(format!(
            "unsupported tag `{}`: a policy file uses plain YAML values",
            crate::output::untrusted::escape(&tag.original())
        )),
    }
}

/// Returns what a plain scalar with this text resolves to, if anything valid.
pub fn plain_value(text: &str) -> Option<Value> {
    plain(text).ok()
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
fn plain(text: &str) -> Result<Value, String> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => match number(text) {
            Some(Ok(number)) => Value::Number(number),
            Some(Err(())) => {
                return Err(format!(
                    "{} is not a number a policy can hold (infinity or not-a-number)",
                    quote(text)
                ));
            }
            None => Value::String(text.to_owned()),
        },
    })
}

/// Parses a core-schema number: `Some(Err)` for infinities and NaN, `None` for text that is
/// not a number.
fn number(text: &str) -> Option<Result<Number, ()>> {
    if let Some(octal) = text.strip_prefix("0o") {
        return radix(octal, 8).map(Ok);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return radix(hex, 16).map(Ok);
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(Err(()));
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = text.parse::<i64>() {
            return Some(Ok(Number::from(n)));
        }
        if let Ok(n) = text.parse::<u64>() {
            return Some(Ok(Number::from(n)));
        }
        return float(text).map(Ok);
    }
    if is_float(unsigned) {
        return float(text).map(Ok);
    }
    None
}

/// Parses an octal or hexadecimal integer (no sign); `None` when it is not one.
fn radix(digits: &str, radix: u32) -> Option<Number> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Too large for 64 bits: still a number, held as a float.
    u64::from_str_radix(digits, radix).map_or_else(
        |_| {
            let value = digits.chars().fold(0f64, |acc, c| {
                acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
            });
            Number::from_f64(value)
        },
        |n| Some(Number::from(n)),
    )
}

/// Returns true for the core schema's float form (without sign):
/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`.
fn is_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let whole = digits(&mut i);
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let fraction = digits(&mut i);
        if whole == 0 && fraction == 0 {
            return false;
        }
    } else if whole == 0 {
        return false;
    }
    if i < bytes.len() && matches!(bytes[i], b'e' | b'E') {
        i += 1;
        if i < bytes.len() && matches!(bytes[i], b'+' | b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// Parses a float; one without a fraction that fits becomes an integer, as JSON Schema
/// counts `2.0` as the integer 2.
fn float(text: &str) -> Option<Number> {
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() {
        return Number::from_f64(value);
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "checked: the value has no fraction and lies within i64's range"
    )]
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        return Some(Number::from(value as i64));
    }
    Number::from_f64(value)
}
