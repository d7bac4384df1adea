//! The credentials this process holds, blanked out of everything it prints.
//!
//! A token is sent on every request, and whatever answers may echo it back: a proxy or a
//! GitHub Enterprise Server that puts the `Authorization` header into an error message, an
//! `errors[]` item or an HTML page. Error messages quote answers, so instead of trusting
//! each place that quotes one, every credential is registered here the moment the process
//! holds it ([`hold`]: a personal token when it is read, an App's JWT when it is signed, an
//! installation token when it arrives) and every writer the commands print through
//! ([`Redacting`], the progress log) replaces it with [`REDACTED`].
//!
//! Text is redacted a whole line at a time (no credential spans a line break), so a
//! credential split over two `write` calls is still caught.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::RwLock;

/// What a credential is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// Shorter text is not held: it could be a word of an ordinary message, and no GitHub
/// credential is this short.
const SHORTEST: usize = 8;

static HELD: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Registers a credential: from now on it is blanked out of everything printed.
pub fn hold(secret: &str) {
    let secret = secret.trim();
    if secret.len() < SHORTEST {
        return;
    }
    let mut held = HELD
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !held.iter().any(|known| known == secret) {
        held.push(secret.to_owned());
        // Longest first, so a credential that contains another is blanked whole.
        held.sort_by_key(|known| std::cmp::Reverse(known.len()));
    }
}

/// Returns `text` with every held credential replaced by [`REDACTED`].
pub fn redact(text: &str) -> Cow<'_, str> {
    let held = HELD
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut text = Cow::Borrowed(text);
    for secret in held.iter() {
        if text.contains(secret.as_str()) {
            text = Cow::Owned(text.replace(secret.as_str(), REDACTED));
        }
    }
    text
}

/// A writer that redacts what goes through it, a line at a time; a partial line is
/// written when the writer is flushed (a prompt) or dropped.
pub struct Redacting<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Redacting<W> {
    /// Wraps a writer.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }

    fn write_out(&mut self, bytes: &[u8]) -> io::Result<()> {
        let text = String::from_utf8_lossy(bytes);
        match redact(&text) {
            // Unchanged text goes out as the bytes it was, invalid UTF-8 included.
            Cow::Borrowed(_) => self.inner.write_all(bytes),
            Cow::Owned(clean) => self.inner.write_all(clean.as_bytes()),
        }
    }
}

impl<W: Write> Write for Redacting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = self.pending.iter().rposition(|b| *b == b'\n') {
            let lines: Vec<u8> = self.pending.drain(..=end).collect();
            self.write_out(&lines)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.write_out(&rest)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Redacting<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_credentials_are_blanked_even_across_writes() {
        hold("ghs_redact_test_0123456789abcdef");
        assert_eq!(
            redact("Authorization: Bearer ghs_redact_test_0123456789abcdef!"),
            "Authorization: Bearer [REDACTED]!"
        );
        let mut out = Vec::new();
        {
            let mut writer = Redacting::new(&mut out);
            write!(writer, "a ghs_redact_test_0123").unwrap();
            writeln!(writer, "456789abcdef b").unwrap();
            write!(writer, "prompt ghs_redact_test_0123456789abcdef? ").unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a [REDACTED] b\nprompt [REDACTED]? "
        );
    }

    #[test]
    fn short_text_is_not_held() {
        hold("abc");
        assert_eq!(redact("abc"), "abc");
    }
}
