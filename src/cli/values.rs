//! Parsers of flag values that clap does not know.

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

/// Parses a timeout: whole seconds, at least one (zero would fail every call at once).
pub(super) fn seconds(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("a timeout must be at least 1 second".to_owned()),
        Ok(seconds) => Ok(seconds),
        Err(_) => Err("expected a whole number of seconds".to_owned()),
    }
}
