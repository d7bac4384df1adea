//! Where the token comes from: `GITHUB_TOKEN`, else `GH_TOKEN`, else `gh auth token`.
//!
//! The token is returned to the caller and handed to the client; it is never printed.

use std::io;
use std::process::{Command, Stdio};

use super::client::ApiRoot;
use crate::Error;

/// Returns true when a host name is github.com's (as opposed to an Enterprise Server).
pub fn is_github_com(host: &str) -> bool {
    let host = host.split(':').next().unwrap_or(host);
    host.eq_ignore_ascii_case("github.com") || host.eq_ignore_ascii_case("api.github.com")
}

/// Finds a token for the API at `root`.
pub fn find_token(root: &ApiRoot) -> Result<String, Error> {
    for var in ["GITHUB_TOKEN", "GH_TOKEN"] {
        if let Ok(token) = std::env::var(var) {
            let token = token.trim();
            if !token.is_empty() {
                return Ok(token.to_owned());
            }
        }
    }
    let host = std::env::var("GH_HOST")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| root.host().to_owned());
    let from_gh = match gh_auth_token(&host) {
        Ok(Some(token)) => return Ok(token),
        Ok(None) => format!("`gh auth token` has no token for {host} (run `gh auth login`)"),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            "the GitHub CLI (`gh`) is not installed".to_owned()
        }
        Err(err) => format!("`gh auth token` could not run: {err}"),
    };
    Err(Error::new("no GitHub token found")
        .detail(format!(
            "GITHUB_TOKEN and GH_TOKEN are unset, and {from_gh}"
        ))
        .with_hint(
            "set GITHUB_TOKEN to a token that can read the repository's administration settings \
             (see the README's token section), or log in with `gh auth login`",
        ))
}

/// Asks the GitHub CLI for its token for a host.
fn gh_auth_token(host: &str) -> io::Result<Option<String>> {
    let mut command = Command::new("gh");
    command.args(["auth", "token"]);
    if !is_github_com(host) {
        command.args(["--hostname", host]);
    }
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()?;
    if !output.status.success() {
        return Ok(None);
    }
    let token = String::from_utf8(output.stdout)
        .unwrap_or_default()
        .trim()
        .to_owned();
    Ok((!token.is_empty()).then_some(token))
}
