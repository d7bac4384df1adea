//! What the emulator's tests share: a minimal HTTP client and fixtures.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use gh_policy_emulator::Emulator;
use serde_json::Value;

pub const R: &str = "/repos/acme/katz-backend";

pub fn fixture(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/live/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

pub fn in_sync() -> Emulator {
    Emulator::from_fixture(fixture("flow-in-sync.json"))
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 client: one request per connection.
pub fn raw(
    emu: &Emulator,
    method: &str,
    path: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Result<Resp, std::io::Error> {
    let mut s = TcpStream::connect(emu.addr())?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let body = body.unwrap_or("");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: emulator-test\r\nAccept: application/vnd.github+json\r\nX-GitHub-Api-Version: 2022-11-28\r\nConnection: close\r\nContent-Length: {}\r\n",
        emu.addr(),
        body.len()
    );
    for (k, v) in headers {
        req.push_str(k);
        req.push_str(": ");
        req.push_str(v);
        req.push_str("\r\n");
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, rest) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no response: {text:?}")))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Resp {
        status,
        headers,
        body: rest.to_owned(),
    })
}

pub fn call(emu: &Emulator, method: &str, path: &str, body: Option<Value>) -> Resp {
    call_as(emu, emu.token(), method, path, body)
}

pub fn get(emu: &Emulator, path: &str) -> Resp {
    call(emu, "GET", path, None)
}

pub fn assert_clean(emu: &Emulator) {
    assert_eq!(
        emu.response_violations(),
        vec![],
        "the emulator sent non-conforming bodies"
    );
}

/// Sends a request with another credential.
pub fn call_as(emu: &Emulator, token: &str, method: &str, path: &str, body: Option<Value>) -> Resp {
    let auth = format!("Bearer {token}");
    let b = body.map(|b| b.to_string());
    raw(
        emu,
        method,
        path,
        b.as_deref(),
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
    )
    .unwrap()
}

/// An organisation seed: `acme` (id 9000) with teams, custom property definitions and four
/// repositories (`api` private and critical, `web` public, `old` archived, `api-fork` a fork),
/// plus a user-owned `octocat/dotfiles`.
pub fn org_seed() -> gh_policy_emulator::Seed {
    serde_json::from_value(serde_json::json!({
        "org": {
            "login": "acme", "id": 9000,
            "teams": [{"slug": "platform", "id": 41}, {"slug": "release-managers", "id": 42}],
            "members": [{"login": "octocat", "id": 583_231}, {"login": "hubot", "id": 7}],
            "custom_property_definitions": [
                {"property_name": "tier", "value_type": "single_select",
                 "allowed_values": ["critical", "standard"], "default_value": "standard"},
                {"property_name": "langs", "value_type": "multi_select",
                 "allowed_values": ["rust", "go"]}
            ]
        },
        "apps": [{"slug": "ci-app", "id": 15368}],
        "repositories": [
            {"name": "api", "private": true, "custom_properties": {"tier": "critical", "langs": ["rust"]},
             "branches": {"main": {"protection": {
                 "required_status_checks": {"strict": true, "contexts": ["ci"]},
                 "enforce_admins": true, "required_pull_request_reviews": null,
                 "restrictions": null}}, "dev": {}},
             "environments": {"production": {"wait_timer": 5}}},
            {"name": "web", "default_branch": "trunk"},
            {"name": "old", "archived": true},
            {"name": "api-fork", "fork": true, "id": 123},
            {"name": "dotfiles", "owner": "octocat"}
        ]
    }))
    .unwrap()
}

/// Returns a repository ruleset body protecting the default branch with reviews and checks.
pub fn main_ruleset(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "enforcement": "active",
        "bypass_actors": [
            {"actor_id": 42, "actor_type": "Team"},
            {"actor_id": 1, "actor_type": "OrganizationAdmin", "bypass_mode": "always"}
        ],
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH", "refs/heads/release/*"]}},
        "rules": [
            {"type": "deletion"},
            {"type": "pull_request", "parameters": {
                "required_approving_review_count": 2, "dismiss_stale_reviews_on_push": true,
                "require_code_owner_review": false, "require_last_push_approval": false,
                "required_review_thread_resolution": true}},
            {"type": "required_status_checks", "parameters": {
                "strict_required_status_checks_policy": true,
                "required_status_checks": [{"context": "lint"}, {"context": "build", "integration_id": 99}]}}
        ]
    })
}
