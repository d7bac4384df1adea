//! Who is calling: personal access tokens with roles, GitHub App JWTs (RS256, verified with
//! the app's public key) and the installation tokens they mint.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::seed::{InstallationSeed, Role, TokenSeed};
use crate::state::{Reply, World, docs, error};

pub mod test_keys {
    //! A test-only RSA key pair (also in `emulator/test-keys/`): its private half is public,
    //! it protects nothing. Sign app JWTs for the emulator with [`PRIVATE_KEY_PEM`].

    /// PKCS#1 PEM of the test private key, as GitHub hands app keys out.
    pub const PRIVATE_KEY_PEM: &str = include_str!("../test-keys/app-private-key.pem");
    /// SPKI PEM of the matching public key.
    pub const PUBLIC_KEY_PEM: &str = include_str!("../test-keys/app-public-key.pem");
    /// The same private key as PKCS#8 PEM.
    pub const PRIVATE_KEY_PKCS8_PEM: &str = include_str!("../test-keys/app-private-key-pkcs8.pem");
    /// PKCS#1 PEM of an unrelated private key, to sign JWTs the emulator must refuse.
    pub const OTHER_PRIVATE_KEY_PEM: &str = include_str!("../test-keys/other-private-key.pem");

    /// Returns a JWT for the app `app_id` signed RS256 with [`PRIVATE_KEY_PEM`], issued a
    /// minute ago and expiring in nine minutes, as GitHub's docs advise; `None` only if
    /// signing fails.
    pub fn app_jwt(app_id: u64) -> Option<String> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs();
        let claims =
            serde_json::json!({"iat": now - 60, "exp": now + 540, "iss": app_id.to_string()});
        sign(&claims, PRIVATE_KEY_PEM)
    }

    /// Returns `claims` as a JWT signed RS256 with a PEM private key (PKCS#1 or PKCS#8);
    /// `None` when the key is not one.
    pub fn sign(claims: &serde_json::Value, private_key_pem: &str) -> Option<String> {
        crate::rs256::sign(claims, private_key_pem)
    }

    /// Returns the claims of a JWT signed RS256 with [`PRIVATE_KEY_PEM`] (checked against
    /// [`PUBLIC_KEY_PEM`]); `None` for any other.
    pub fn verify(jwt: &str) -> Option<serde_json::Value> {
        crate::rs256::verify(jwt, PUBLIC_KEY_PEM)
    }
}

/// The caller of one request.
#[derive(Debug, Clone)]
pub(crate) enum Principal {
    /// A personal access token.
    Token {
        role: Role,
        /// Repositories it reaches (`name` or `owner/name`); `None`: all.
        repos: Option<Vec<String>>,
    },
    /// An installation access token: admin on the installation's repositories.
    Installation {
        id: u64,
        app_id: u64,
        account: String,
        repos: Option<Vec<String>>,
    },
    /// A GitHub App, by JWT.
    App { app_id: u64 },
}

/// An installation token the emulator minted.
#[derive(Debug, Clone)]
pub(crate) struct Minted {
    pub installation: u64,
    pub expires: SystemTime,
    /// Repository names the token was narrowed to (`repositories`/`repository_ids`).
    pub repos: Option<Vec<String>>,
}

/// JWT error messages GitHub sends (401).
pub(crate) mod jwt_messages {
    pub const UNDECODABLE: &str = "A JSON web token could not be decoded";
    pub const EXPIRED: &str = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
    pub const TOO_FAR: &str = "'Expiration time' claim ('exp') is too far in the future";
    pub const IAT: &str = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
    pub const ISSUER: &str = "'Issuer' claim ('iss') must be an Integer";
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Returns whether a credential looks like a JWT (three base64url parts, a JSON header).
pub(crate) fn looks_like_jwt(cred: &str) -> bool {
    cred.starts_with("eyJ") && cred.split('.').count() == 3
}

fn unauthorized(message: &str) -> Reply {
    error(401, message, docs::REST)
}

/// Verifies an app JWT: RS256 signature with the app's key, `iss` the app id (string or
/// number), `iat` not in the future and `exp` not past (60 s of clock skew each way), and
/// `exp` at most 10 minutes after `iat`.
pub(crate) fn verify_jwt(world: &World, jwt: &str) -> Result<u64, Reply> {
    let undecodable = || unauthorized(jwt_messages::UNDECODABLE);
    let payload = jwt.split('.').nth(1).ok_or_else(undecodable)?;
    let claims: Value = URL_SAFE_NO_PAD
        .decode(payload)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(undecodable)?;
    let iss = match &claims["iss"] {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| unauthorized(jwt_messages::ISSUER))?;
    let app = world
        .dir
        .apps
        .iter()
        .find(|a| a.id == iss)
        .ok_or_else(undecodable)?;
    let pem = app
        .public_key
        .as_deref()
        .unwrap_or(test_keys::PUBLIC_KEY_PEM);
    crate::rs256::verify(jwt, pem).ok_or_else(undecodable)?;
    let now = now_secs();
    let iat = claims["iat"]
        .as_i64()
        .ok_or_else(|| unauthorized(jwt_messages::IAT))?;
    let exp = claims["exp"]
        .as_i64()
        .ok_or_else(|| unauthorized(jwt_messages::EXPIRED))?;
    if iat > now + 60 {
        return Err(unauthorized(jwt_messages::IAT));
    }
    if exp < now - 60 {
        return Err(unauthorized(jwt_messages::EXPIRED));
    }
    if exp - iat > 600 || exp > now + 660 {
        return Err(unauthorized(jwt_messages::TOO_FAR));
    }
    Ok(iss)
}

/// Resolves a non-JWT credential: the builder's admin token, tokens with roles, minted
/// installation tokens (an expired one is `Bad credentials`).
pub(crate) fn resolve_token(
    world: &World,
    admin: &str,
    extra: &[TokenSeed],
    minted: &BTreeMap<String, Minted>,
    cred: &str,
) -> Option<Principal> {
    if cred == admin {
        return Some(Principal::Token {
            role: Role::Admin,
            repos: None,
        });
    }
    if let Some(t) = extra.iter().chain(&world.tokens).find(|t| t.token == cred) {
        return Some(Principal::Token {
            role: t.role,
            repos: t.repositories.clone(),
        });
    }
    let m = minted.get(cred)?;
    if SystemTime::now() >= m.expires {
        return None;
    }
    let inst = world
        .installations
        .iter()
        .find(|i| i.id == m.installation)?;
    let mut p = installation_principal(world, inst);
    if let (Principal::Installation { repos, .. }, Some(narrow)) = (&mut p, &m.repos) {
        *repos = Some(narrow.clone());
    }
    Some(p)
}

/// Returns the account an installation is on (default: the organisation).
pub(crate) fn installation_account(world: &World, inst: &InstallationSeed) -> String {
    inst.account.clone().unwrap_or_else(|| {
        world
            .dir
            .org
            .as_ref()
            .map(|o| o.login.clone())
            .unwrap_or_default()
    })
}

/// Returns whether the caller may use an installation permission: always, unless it is an
/// installation whose `permissions` leave it out (the default permissions include it).
pub(crate) fn installation_may(world: &World, who: &Principal, permission: &str) -> bool {
    let Principal::Installation { id, .. } = who else {
        return true;
    };
    world
        .installations
        .iter()
        .find(|i| i.id == *id)
        .and_then(|i| i.permissions.as_ref())
        .is_none_or(|granted| granted.get(permission).is_some())
}

/// Returns whether the caller may edit the organisation's rulesets, and so see their bypass
/// actors: an admin token (an organisation owner's), or an installation granted
/// organisation administration `write` (the default permissions include it).
pub(crate) fn edits_org_rulesets(world: &World, who: &Principal) -> bool {
    match who {
        Principal::Token { role, .. } => *role == Role::Admin,
        Principal::Installation { id, .. } => world
            .installations
            .iter()
            .find(|i| i.id == *id)
            .and_then(|i| i.permissions.as_ref())
            .is_none_or(|granted| {
                granted
                    .get("organization_administration")
                    .and_then(Value::as_str)
                    == Some("write")
            }),
        Principal::App { .. } => false,
    }
}

pub(crate) fn installation_principal(world: &World, inst: &InstallationSeed) -> Principal {
    Principal::Installation {
        id: inst.id,
        app_id: world.dir.app(&inst.app).map_or(0, |a| a.id),
        account: installation_account(world, inst),
        repos: inst.repositories.clone(),
    }
}

impl Principal {
    /// Returns what the log records: `token:<role>`, `installation:<id>`, `app:<id>`.
    pub(crate) fn label(&self) -> String {
        match self {
            Self::Token { role, .. } => format!("token:{}", format!("{role:?}").to_lowercase()),
            Self::Installation { id, .. } => format!("installation:{id}"),
            Self::App { app_id } => format!("app:{app_id}"),
        }
    }

    /// Returns the role on the repositories it reaches.
    pub(crate) fn role(&self) -> Role {
        match self {
            Self::Token { role, .. } => *role,
            Self::Installation { .. } | Self::App { .. } => Role::Admin,
        }
    }

    /// Returns whether it reaches the repository `owner/name`.
    pub(crate) fn reaches(&self, owner: &str, name: &str) -> bool {
        let listed = |repos: &Option<Vec<String>>| {
            repos.as_ref().is_none_or(|list| {
                list.iter().any(|r| {
                    r.eq_ignore_ascii_case(name)
                        || r.eq_ignore_ascii_case(&format!("{owner}/{name}"))
                })
            })
        };
        match self {
            Self::Token { repos, .. } => listed(repos),
            Self::Installation { account, repos, .. } => {
                account.eq_ignore_ascii_case(owner) && listed(repos)
            }
            Self::App { .. } => false,
        }
    }

    /// Returns `(id, type)` for ruleset history entries.
    pub(crate) fn actor(&self, world: &World) -> (u64, String) {
        match self {
            Self::Token { .. } => (world.dir.users.first().map_or(1, |u| u.id), "User".into()),
            Self::Installation { app_id, .. } | Self::App { app_id } => {
                (*app_id, "Integration".into())
            }
        }
    }

    /// Returns the login that issues and comments it writes are by: a token's user (the
    /// seed's first, as for ruleset history), an App's bot (`SLUG[bot]`).
    pub(crate) fn login(&self, world: &World) -> String {
        match self {
            Self::Token { .. } => world
                .dir
                .users
                .first()
                .map_or_else(|| "octocat".to_owned(), |u| u.login.clone()),
            Self::Installation { app_id, .. } | Self::App { app_id } => {
                let slug = world
                    .dir
                    .apps
                    .iter()
                    .find(|a| a.id == *app_id)
                    .map_or_else(|| format!("app-{app_id}"), |a| a.slug.clone());
                format!("{slug}[bot]")
            }
        }
    }

    /// Returns the 403 message GitHub sends this kind of caller.
    pub(crate) fn not_accessible(&self) -> &'static str {
        match self {
            Self::Token { .. } => "Resource not accessible by personal access token",
            Self::Installation { .. } | Self::App { .. } => {
                "Resource not accessible by integration"
            }
        }
    }
}

/// Mints an installation token valid for `ttl`; returns it and its expiry.
pub(crate) fn mint(
    minted: &mut BTreeMap<String, Minted>,
    installation: u64,
    repos: Option<Vec<String>>,
    ttl: Duration,
) -> (String, SystemTime) {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = minted.len() as u128;
    let token = format!("ghs_{:016x}{:020x}", installation, nanos.wrapping_add(n));
    let expires = SystemTime::now() + ttl;
    minted.insert(
        token.clone(),
        Minted {
            installation,
            expires,
            repos,
        },
    );
    (token, expires)
}

/// Returns `expires_at` as GitHub writes it.
pub(crate) fn expires_at(t: SystemTime) -> String {
    crate::render::iso(t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()))
}
