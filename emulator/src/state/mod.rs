//! The emulated world and every change to it, shared by the HTTP handlers and by seeding.
//!
//! Each write validates everything first and changes nothing when it fails, like GitHub.
//! [`World`] holds the accounts, the organisation, every repository ([`Repo`]) and the
//! organisation's rulesets; the submodules add one resource each.

mod actions_permissions;
pub(crate) mod activity;
mod check_runs;
pub(crate) mod conditions;
mod environments;
mod export;
mod fnmatch;
mod issues;
mod issues_json;
pub(crate) mod protection;
mod protection_json;
mod repo;
mod repo_json;
pub(crate) mod rulesets;
mod rulesets_defaults;
pub(crate) mod rulesets_json;
mod secrets;
mod switches;
mod world;

/// How GitHub matches ruleset patterns, for tests that hold another matcher to it.
pub mod ref_patterns {
    /// Returns whether the whole `text` matches `pattern` (Ruby's `File.fnmatch` with
    /// `FNM_PATHNAME`).
    pub fn fnmatch(pattern: &str, text: &str) -> bool {
        super::fnmatch::fnmatch(pattern, text)
    }
}

use serde_json::{Map, Value, json};

pub(crate) use environments::Policy;
pub(crate) use issues::{Comment, Issue};
pub(crate) use protection::one_of_error;
pub(crate) use repo::{Directory, Org, Repo};
pub(crate) use world::World;

/// One answer: status, optional JSON body, extra headers.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
    /// A body that is not JSON (an HTML error page), sent as `text/html` instead of `body`.
    pub text: Option<Box<str>>,
}

impl Reply {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            headers: Vec::new(),
            text: None,
        }
    }
    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status,
            body: None,
            headers: Vec::new(),
            text: None,
        }
    }
}

/// Handlers answer `Ok` or a GitHub error, both as a [`Reply`].
pub(crate) type Res = Result<Reply, Reply>;

/// Documentation links used in error bodies.
pub(crate) mod docs {
    pub const PROTECTION: &str =
        "https://docs.github.com/rest/branches/branch-protection#get-branch-protection";
    pub const UPDATE_PROTECTION: &str =
        "https://docs.github.com/rest/branches/branch-protection#update-branch-protection";
    pub const BRANCH: &str = "https://docs.github.com/rest/branches/branches#get-a-branch";
    pub const ENV: &str =
        "https://docs.github.com/rest/deployments/environments#create-or-update-an-environment";
    pub const POLICIES: &str = "https://docs.github.com/rest/deployments/branch-policies";
    pub const SECRETS: &str = "https://docs.github.com/rest/actions/secrets";
    pub const VARIABLES: &str = "https://docs.github.com/rest/actions/variables";
    pub const REST: &str = "https://docs.github.com/rest";
}

/// Returns a `basic-error` reply (`status` is a string, as GitHub sends it).
pub(crate) fn error(status: u16, message: &str, doc: &str) -> Reply {
    Reply::json(
        status,
        json!({"message": message, "documentation_url": doc, "status": status.to_string()}),
    )
}

/// Returns a `validation-error-simple` reply (errors as strings), as PUT protection sends.
pub(crate) fn invalid_simple(message: &str, errors: &[String], doc: &str) -> Reply {
    Reply::json(
        422,
        json!({"message": message, "errors": errors, "documentation_url": doc, "status": "422"}),
    )
}

pub(crate) fn not_found() -> Reply {
    error(404, "Not Found", docs::REST)
}

pub(crate) fn bool_at(o: &Map<String, Value>, k: &str) -> bool {
    o.get(k).and_then(Value::as_bool).unwrap_or(false)
}

pub(crate) fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Percent-encodes a path segment.
pub(crate) fn pct(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2D", "-")
        .replace("%5F", "_")
        .replace("%2E", ".")
}
