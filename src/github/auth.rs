//! Where the token comes from: `GITHUB_TOKEN`, else `GH_TOKEN`, else `gh auth token`.
//!
//! The token is returned to the caller and handed to the client; it is never printed.

use std::process::{Command, Stdio};

use crate::Error;

/// Finds a token for the API at `api_url`.
pub fn find_token(api_url: &str) -> Result<String, Error> {
    for var in ["GITHUB_TOKEN", "GH_TOKEN"] {
        if let Ok(token) = std::env::var(var) {
            let token = token.trim();
            if !token.is_empty() {
                return Ok(token.to_owned());
            }
        }
    }
    if let Some(token) = gh_auth_token(api_url) {
        return Ok(token);
    }
    Err(Error::new("no GitHub token found")
        .caused_by("GITHUB_TOKEN and GH_TOKEN are unset, and `gh auth token` gave none")
        .with_hint(
            "set GITHUB_TOKEN to a token that can read the repository's administration settings \
             (see the README's token section), or log in with `gh auth login`",
        ))
}

/// Asks the GitHub CLI for its token, for the API's host (or `GH_HOST`).
fn gh_auth_token(api_url: &str) -> Option<String> {
    let host = std::env::var("GH_HOST")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| host_of(api_url))?;
    let mut command = Command::new("gh");
    command.args(["auth", "token"]);
    if host != "api.github.com" && host != "github.com" {
        command.args(["--hostname", &host]);
    }
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let token = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (!token.is_empty()).then_some(token)
}

fn host_of(api_url: &str) -> Option<String> {
    let rest = api_url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    Some(authority.split(':').next()?.to_owned())
}
