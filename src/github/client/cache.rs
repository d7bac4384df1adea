//! Conditional-request cache: `ETags` and bodies of earlier GET answers, kept on disk.
//!
//! A GET with `If-None-Match` that GitHub answers `304 Not Modified` costs no rate limit.
//! Entries are keyed by the token's fingerprint and the URL, so an answer fetched with one
//! token is never served to another (the file name is a hash of both; the token itself is
//! not stored). Only GET bodies of 200 answers are stored, and no GET returns a secret's
//! value (secrets are listed by name only). A list's `Link` header is kept with its page,
//! because a 304 need not repeat it and pagination follows it. On Unix the directory is
//! private to the user (0700) and entries are written 0600: they hold repository settings.
//! A cache that cannot be read or written is silently a cache miss.
//!
//! A file is one line of JSON (`{"etag": …, "link": …}`) followed by the body's bytes as
//! GitHub sent them. File names are a SHA-256 of the token and the URL: stable across Rust
//! releases (std's `DefaultHasher` is not, and a new compiler would silently empty the cache).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One cached answer.
#[derive(Debug, Clone)]
pub struct CacheEntry {
    /// The `ETag` GitHub sent.
    pub etag: String,
    /// The `Link` header that went with it (pagination), if any.
    pub link: Option<String>,
    /// The body that went with it.
    pub body: Vec<u8>,
}

/// The first line of a cache file.
#[derive(Serialize, Deserialize)]
struct Header {
    etag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    link: Option<String>,
}

/// A directory of cached answers for one token.
#[derive(Debug, Clone)]
pub struct EtagCache {
    dir: PathBuf,
    identity: [u8; 32],
}

impl EtagCache {
    /// Returns a cache in `dir` for the given token; the token itself is not stored.
    pub fn new(dir: PathBuf, token: &str) -> Self {
        Self {
            dir,
            identity: Sha256::new()
                .chain_update(b"gh-policy-token\0")
                .chain_update(token.as_bytes())
                .finalize()
                .into(),
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
        let bytes = fs::read(self.path(url)).ok()?;
        let newline = bytes.iter().position(|b| *b == b'\n')?;
        let header: Header = serde_json::from_slice(&bytes[..newline]).ok()?;
        Some(CacheEntry {
            etag: header.etag,
            link: header.link,
            body: bytes[newline + 1..].to_vec(),
        })
    }

    /// Stores an answer; failures are ignored (the next run simply asks again).
    pub fn store(&self, url: &str, etag: &str, link: Option<&str>, body: &[u8]) {
        let header = Header {
            etag: etag.to_owned(),
            link: link.map(str::to_owned),
        };
        let Ok(mut text) = serde_json::to_vec(&header) else {
            return;
        };
        text.push(b'\n');
        text.extend_from_slice(body);
        if create_private_dir(&self.dir).is_ok() {
            let path = self.path(url);
            // A unique temporary name, so that two runs storing the same URL do not mix.
            let temp = path.with_extension(format!("{}.tmp", std::process::id()));
            if write_private(&temp, &text).is_ok() && fs::rename(&temp, &path).is_err() {
                let _ = fs::remove_file(&temp);
            }
        }
    }

    fn path(&self, url: &str) -> PathBuf {
        let digest = Sha256::new()
            .chain_update(self.identity)
            .chain_update(url.as_bytes())
            .finalize();
        let name = digest[..16].iter().fold(String::new(), |mut name, byte| {
            let _ = write!(name, "{byte:02x}");
            name
        });
        self.dir.join(format!("{name}.entry"))
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?
        .write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_separate_per_token() {
        let dir = tempfile::tempdir().unwrap();
        let one = EtagCache::new(dir.path().to_path_buf(), "token-one");
        let two = EtagCache::new(dir.path().to_path_buf(), "token-two");
        one.store("https://x/a", "\"e1\"", None, b"{}");
        assert_eq!(one.lookup("https://x/a").unwrap().etag, "\"e1\"");
        assert!(two.lookup("https://x/a").is_none());
        let files: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        let names = format!("{files:?}");
        assert!(!names.contains("token-one"));
    }

    #[test]
    fn the_link_header_is_kept_with_its_page() {
        let dir = tempfile::tempdir().unwrap();
        let cache = EtagCache::new(dir.path().join("nested"), "t");
        let link = "<https://x/a?page=2>; rel=\"next\"";
        cache.store("https://x/a", "W/\"1\"", Some(link), b"[1]");
        let entry = cache.lookup("https://x/a").unwrap();
        assert_eq!(entry.link.as_deref(), Some(link));
        assert_eq!(entry.body, b"[1]");
        cache.store("https://x/b", "W/\"2\"", None, b"[]");
        assert!(cache.lookup("https://x/b").unwrap().link.is_none());
    }

    #[test]
    fn file_names_are_stable_and_bodies_stored_as_sent() {
        let dir = tempfile::tempdir().unwrap();
        let cache = EtagCache::new(dir.path().to_path_buf(), "t");
        let body = br#"{"a":[1,2,3]}"#;
        cache.store("https://x/a", "W/\"1\"", None, body);
        let files: Vec<PathBuf> = fs::read_dir(dir.path())
            .unwrap()
            .map(|f| f.unwrap().path())
            .collect();
        // A SHA-256 name: the same on every Rust release and every machine.
        assert_eq!(
            files[0].file_name().unwrap().to_str().unwrap(),
            "5559f57521343fcfdb1ccbcde293205b.entry"
        );
        let stored = fs::read(&files[0]).unwrap();
        assert!(
            stored.len() < body.len() + 40,
            "{}",
            String::from_utf8_lossy(&stored)
        );
        assert!(stored.ends_with(body));
    }

    #[cfg(unix)]
    #[test]
    fn entries_are_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache_dir = dir.path().join("gh-policy");
        let cache = EtagCache::new(cache_dir.clone(), "t");
        cache.store("https://x/a", "W/\"1\"", None, b"{}");
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cache_dir), 0o700);
        for file in fs::read_dir(&cache_dir).unwrap() {
            assert_eq!(mode(&file.unwrap().path()), 0o600);
        }
    }
}
