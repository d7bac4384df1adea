//! Reading a policy file (or standard input, for a path of `-`) as UTF-8 text, refusing a
//! missing, huge, binary or directory "file" before any parsing.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::{Diagnostic, PolicyError};

/// The largest policy file accepted, in bytes (1 MiB). Real ones are a few kilobytes.
pub const MAX_POLICY_BYTES: u64 = 1024 * 1024;

/// How diagnostics name standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// Returns the name diagnostics give the file: the path as given, or `<stdin>` for `-`.
pub fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        STDIN_NAME.to_owned()
    } else {
        path.display().to_string()
    }
}

/// Returns true for the path `-`, which means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads the file (or standard input) as UTF-8 text.
pub fn read(path: &Path, display: &str) -> Result<String, PolicyError> {
    let unreadable = |err: std::io::Error| {
        let mut message = format!("cannot read the policy file: {}", io_reason(&err));
        if err.kind() == std::io::ErrorKind::NotFound {
            message.push_str(" (write one, or name it with `--policy FILE`)");
        }
        PolicyError::single(Diagnostic::file(display, message))
    };
    let mut bytes = Vec::new();
    if is_stdin(path) {
        std::io::stdin()
            .lock()
            .take(MAX_POLICY_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
    } else {
        let file = File::open(path).map_err(unreadable)?;
        let metadata = file.metadata().map_err(unreadable)?;
        if metadata.is_dir() {
            return Err(PolicyError::single(Diagnostic::file(
                display,
                "is a directory, not a policy file",
            )));
        }
        if metadata.len() > MAX_POLICY_BYTES {
            return Err(too_large(display, metadata.len()));
        }
        // The metadata can lie (a pipe, a file growing); never read more than the limit + 1.
        file.take(MAX_POLICY_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
    }
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > MAX_POLICY_BYTES {
        return Err(too_large(display, len));
    }
    decode(display, bytes)
}

/// The error for a file over `MAX_POLICY_BYTES`.
pub fn too_large(display: &str, len: u64) -> PolicyError {
    PolicyError::single(Diagnostic::file(
        display,
        format!(
            "policy file is too large ({len} bytes; the limit is {MAX_POLICY_BYTES} bytes, 1 MiB)"
        ),
    ))
}

fn io_reason(err: &std::io::Error) -> String {
    // `Display` of an io::Error appends "(os error 2)"; keep only the words, lowercase.
    let text = err.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if !chars.next().is_some_and(char::is_uppercase) => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_owned(),
    }
}

/// Decodes UTF-8, pointing at the first invalid byte.
fn decode(display: &str, bytes: Vec<u8>) -> Result<String, PolicyError> {
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let offset = valid.len();
        let bad = err.as_bytes().get(offset).copied().unwrap_or_default();
        let line = valid.split(|b| *b == b'\n').count();
        let line_start = valid
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |newline| newline + 1);
        let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
        PolicyError::single(Diagnostic::at(
            display,
            line,
            column,
            format!(
                "policy file is not valid UTF-8: byte 0x{bad:02X} at offset {offset} (save it as UTF-8)"
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_the_first_invalid_utf8_byte() {
        let err = decode("p.yaml", b"version: 1\nrepository: a\xff\n".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.yaml:2:14: policy file is not valid UTF-8: byte 0xFF at offset 24 (save it as UTF-8)"
        );
    }

    #[test]
    fn names_standard_input() {
        assert_eq!(display_name(Path::new("-")), "<stdin>");
        assert_eq!(display_name(Path::new("p.yaml")), "p.yaml");
    }
}
