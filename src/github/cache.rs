//! Conditional-request cache: `ETags` and bodies of earlier GET answers, kept on disk.
//!
//! A GET with `If-None-Match` that GitHub answers `304 Not Modified` costs no rate limit.
//! Entries are keyed by the token's fingerprint and the URL, so an answer fetched with one
//! token is never served to another. Only GET bodies are stored, and no GET returns a
//! secret's value. A cache that cannot be read or written is silently a cache miss.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// One cached answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacheEntry {
    /// The `ETag` GitHub sent.
    pub etag: String,
    /// The body that went with it.
    pub body: Vec<u8>,
}

/// A directory of cached answers for one token.
#[derive(Debug, Clone)]
pub struct EtagCache {
    dir: PathBuf,
    identity: u64,
}

impl EtagCache {
    /// Returns a cache in `dir` for the given token; the token itself is not stored.
    pub fn new(dir: PathBuf, token: &str) -> Self {
        Self {
            dir,
            identity: fingerprint(&("gh-policy-token", token)),
        }
    }

    /// Returns the default directory: `$XDG_CACHE_HOME/gh-policy` or `~/.cache/gh-policy`.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(dir).join("gh-policy"));
        }
        std::env::var_os("HOME")
            .filter(|d| !d.is_empty())
            .map(|home| PathBuf::from(home).join(".cache").join("gh-policy"))
    }

    /// Returns the cached answer for a URL, if any.
    pub fn lookup(&self, url: &str) -> Option<CacheEntry> {
        let text = fs::read(self.path(url)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Stores an answer; failures are ignored (the next run simply asks again).
    pub fn store(&self, url: &str, etag: &str, body: &[u8]) {
        let entry = CacheEntry {
            etag: etag.to_owned(),
            body: body.to_vec(),
        };
        let Ok(text) = serde_json::to_vec(&entry) else {
            return;
        };
        if fs::create_dir_all(&self.dir).is_ok() {
            let path = self.path(url);
            let temp = path.with_extension("tmp");
            if fs::write(&temp, text).is_ok() {
                let _ = fs::rename(&temp, &path);
            }
        }
    }

    fn path(&self, url: &str) -> PathBuf {
        let key = fingerprint(&(self.identity, url));
        self.dir.join(format!("{key:016x}.json"))
    }
}

fn fingerprint(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_separate_per_token() {
        let dir = tempfile::tempdir().unwrap();
        let one = EtagCache::new(dir.path().to_path_buf(), "token-one");
        let two = EtagCache::new(dir.path().to_path_buf(), "token-two");
        one.store("https://x/a", "\"e1\"", b"{}");
        assert_eq!(one.lookup("https://x/a").unwrap().etag, "\"e1\"");
        assert!(two.lookup("https://x/a").is_none());
        let files: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        let names = format!("{files:?}");
        assert!(!names.contains("token-one"));
    }
}
