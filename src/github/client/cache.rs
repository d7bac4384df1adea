//! Conditional-request cache: `ETags` and bodies of earlier GET answers, kept on disk.
//!
//! A GET with `If-None-Match` that GitHub answers `304 Not Modified` costs no rate limit,
//! and the cached body is then taken as GitHub's answer: so an entry is trusted only when it
//! proves it was written by this user with these credentials for this request. Each entry
//! carries an HMAC-SHA256 over the request (the URL), its `ETag`, `Link` and body, keyed by a
//! digest of the credential (the token itself, or the App's private key): whoever can write
//! the cache directory but does not hold the credential cannot make an entry that passes. An
//! entry that does not pass, cannot be read or is corrupt is a miss (asked again, then
//! overwritten), never an error. A directory that other users may write is refused.
//!
//! Only GET bodies of 200 answers are stored, and no GET returns a secret's value (secrets
//! are listed by name only). A list's `Link` header is kept with its page, because a 304
//! need not repeat it and pagination follows it. On Unix the directory is private to the
//! user (0700) and entries are written 0600: they hold repository settings.
//!
//! A file is one line of JSON (`{"etag": …, "link": …, "mac": …}`) followed by the body's
//! bytes as GitHub sent them. File names are a SHA-256 of the credential and the URL: stable
//! across Rust releases (std's `DefaultHasher` is not, and a new compiler would silently
//! empty the cache).

use std::fmt::Write as _;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use ring::hmac;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::transport::MAX_BODY_BYTES;

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
    /// The entry's HMAC, in hex.
    mac: String,
}

/// A directory of cached answers for one credential.
#[derive(Clone)]
pub struct EtagCache {
    dir: PathBuf,
    /// Names the files: entries of one credential are never looked up for another.
    identity: [u8; 32],
    /// Signs and checks entries.
    key: hmac::Key,
}

impl std::fmt::Debug for EtagCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EtagCache")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl EtagCache {
    /// Returns a cache in `dir` for the given credential identity (secret material: a
    /// token, or a digest of the App's key); neither it nor the key is stored.
    pub fn new(dir: PathBuf, credential: &str) -> Self {
        let digest = |label: &[u8]| -> [u8; 32] {
            Sha256::new()
                .chain_update(label)
                .chain_update(credential.as_bytes())
                .finalize()
                .into()
        };
        Self {
            dir,
            identity: digest(b"gh-policy-token\0"),
            key: hmac::Key::new(hmac::HMAC_SHA256, &digest(b"gh-policy-cache-mac\0")),
        }
    }

    /// Returns the cache in `dir`, or why it is refused: a directory other users may write
    /// could hold answers they chose (entries they cannot sign are misses, but the directory
    /// is not ours to trust).
    pub fn open(dir: PathBuf, credential: &str) -> Result<Self, String> {
        check_private(&dir)?;
        Ok(Self::new(dir, credential))
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

    /// Returns the cached answer for a URL, if there is one that this credential wrote for
    /// it; anything else (missing, unreadable, corrupt, altered) is a miss.
    pub fn lookup(&self, url: &str) -> Option<CacheEntry> {
        let file = fs::File::open(self.path(url)).ok()?;
        let mut bytes = Vec::new();
        let cap = u64::try_from(MAX_BODY_BYTES).unwrap_or(u64::MAX) + 4096;
        file.take(cap).read_to_end(&mut bytes).ok()?;
        let newline = bytes.iter().position(|b| *b == b'\n')?;
        let header: Header = serde_json::from_slice(&bytes[..newline]).ok()?;
        let body = &bytes[newline + 1..];
        let mac = decode_hex(&header.mac)?;
        let signed = signed_bytes(url, &header.etag, header.link.as_deref(), body);
        hmac::verify(&self.key, &signed, &mac).ok()?;
        Some(CacheEntry {
            etag: header.etag,
            link: header.link,
            body: body.to_vec(),
        })
    }

    /// Stores an answer; failures are ignored (the next run simply asks again).
    pub fn store(&self, url: &str, etag: &str, link: Option<&str>, body: &[u8]) {
        let tag = hmac::sign(&self.key, &signed_bytes(url, etag, link, body));
        let header = Header {
            etag: etag.to_owned(),
            link: link.map(str::to_owned),
            mac: hex(tag.as_ref()),
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
        self.dir.join(format!("{}.entry", hex(&digest[..16])))
    }
}

/// What an entry's MAC covers: the request (a GET of this URL) and the whole answer kept,
/// each part length-prefixed so no two entries sign the same bytes.
fn signed_bytes(url: &str, etag: &str, link: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut signed = Vec::with_capacity(body.len() + url.len() + 64);
    for part in [
        b"GET".as_slice(),
        url.as_bytes(),
        etag.as_bytes(),
        link.unwrap_or("").as_bytes(),
        body,
    ] {
        signed.extend_from_slice(&(part.len() as u64).to_be_bytes());
        signed.extend_from_slice(part);
    }
    signed
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Refuses a cache directory that other users may write (Unix: group or world write
/// permission); one that does not exist yet is created private.
#[cfg(unix)]
fn check_private(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let Ok(metadata) = fs::metadata(dir) else {
        return Ok(());
    };
    if !metadata.is_dir() {
        return Err("it is not a directory".to_owned());
    }
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o022 != 0 {
        return Err(format!(
            "other users may write to it (mode {mode:03o}): they could put answers in it"
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(dir: &Path) -> Result<(), String> {
    match fs::metadata(dir) {
        Ok(metadata) if !metadata.is_dir() => Err("it is not a directory".to_owned()),
        _ => Ok(()),
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
        // One line of header: the ETag and the MAC.
        assert!(
            stored.len() < body.len() + 120,
            "{}",
            String::from_utf8_lossy(&stored)
        );
        assert!(stored.ends_with(body));
    }

    #[test]
    fn an_altered_a_moved_or_a_corrupt_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = EtagCache::new(dir.path().to_path_buf(), "t");
        cache.store("https://x/a", "W/\"1\"", None, br#"{"approvals":2}"#);
        let file = cache.path("https://x/a");
        // The body edited, the ETag kept: GitHub would answer 304 to it.
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, text.replace(r#""approvals":2"#, r#""approvals":1"#)).unwrap();
        assert!(cache.lookup("https://x/a").is_none());
        // A genuine entry of another request, put in this one's place.
        cache.store("https://x/b", "W/\"1\"", None, br#"{"approvals":1}"#);
        fs::copy(cache.path("https://x/b"), &file).unwrap();
        assert!(cache.lookup("https://x/a").is_none());
        // Another credential's entry.
        let other = EtagCache::new(dir.path().to_path_buf(), "other");
        other.store("https://x/a", "W/\"1\"", None, br#"{"approvals":1}"#);
        fs::copy(other.path("https://x/a"), &file).unwrap();
        assert!(cache.lookup("https://x/a").is_none());
        // Corrupt: not even a header.
        fs::write(&file, b"\x00\xff garbage").unwrap();
        assert!(cache.lookup("https://x/a").is_none());
        // Stored again, it is a hit again.
        cache.store("https://x/a", "W/\"2\"", None, br#"{"approvals":2}"#);
        assert_eq!(cache.lookup("https://x/a").unwrap().etag, "W/\"2\"");
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_others_may_write_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        fs::create_dir(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o777)).unwrap();
        let refused = EtagCache::open(shared.clone(), "t").unwrap_err();
        assert!(refused.contains("mode 777"), "{refused}");
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o700)).unwrap();
        EtagCache::open(shared, "t").unwrap();
        EtagCache::open(dir.path().join("not-yet"), "t").unwrap();
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
