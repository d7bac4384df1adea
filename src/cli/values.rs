//! The parsers of flag values that need more than a type: shards, timeouts, pauses.

/// Parses `I/N`: shard I of N, 1-based.
pub(super) fn shard(text: &str) -> Result<(u32, u32), String> {
    let usage = || "expected I/N with 1 <= I <= N, e.g. 2/4".to_owned();
    let (index, count) = text.split_once('/').ok_or_else(usage)?;
    let index: u32 = index.trim().parse().map_err(|_| usage())?;
    let count: u32 = count.trim().parse().map_err(|_| usage())?;
    if index == 0 || count == 0 || index > count {
        return Err(usage());
    }
    Ok((index, count))
}

/// The longest a timeout or a wait may be: a week, longer than any CI job runs (and far
/// from where the clock's arithmetic would overflow).
pub const MAX_SECONDS: u64 = 7 * 24 * 3600;

/// Parses a timeout: whole seconds, at least one (zero would fail every call at once), at
/// most [`MAX_SECONDS`].
pub(super) fn seconds(text: &str) -> Result<u64, String> {
    match wait_seconds(text)? {
        0 => Err("a timeout must be at least 1 second".to_owned()),
        seconds => Ok(seconds),
    }
}

/// Parses a wait in whole seconds, at most [`MAX_SECONDS`].
pub(super) fn wait_seconds(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(seconds) if seconds > MAX_SECONDS => {
            Err(format!("at most {MAX_SECONDS} seconds (a week)"))
        }
        Ok(seconds) => Ok(seconds),
        Err(_) => Err("expected a whole number of seconds".to_owned()),
    }
}

/// Parses a pause in milliseconds, at most [`MAX_SECONDS`].
pub(super) fn milliseconds(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(ms) if ms > MAX_SECONDS * 1000 => Err(format!(
            "at most {} milliseconds (a week)",
            MAX_SECONDS * 1000
        )),
        Ok(ms) => Ok(ms),
        Err(_) => Err("expected a whole number of milliseconds".to_owned()),
    }
}
