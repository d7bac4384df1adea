//! JSON objects GitHub returns for accounts, teams, apps and commits.
//!
//! Built from the response schemas in the official description (not copied from its examples,
//! some of which do not match their own schemas, github-api/QUIRKS.md §L).

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::seed::{AppSeed, RepoSeed, TeamSeed};

/// A user or organisation account: login, id and `"User"` or `"Organization"`.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub login: String,
    pub id: u64,
    pub kind: String,
}

impl Account {
    /// Renders the account as a `simple-user`.
    pub(crate) fn json(&self, ctx: &Ctx) -> Value {
        simple_user(ctx, &self.login, self.id, &self.kind)
    }
}

/// Base URLs for one answer: the API root as the client reached it.
pub(crate) struct Ctx {
    /// e.g. `http://127.0.0.1:1234` or `http://127.0.0.1:1234/api/v3`.
    pub api: String,
}

/// A fixed timestamp for objects the emulator does not track (accounts, apps, the repository).
pub(crate) const EPOCH: &str = "2020-01-01T00:00:00Z";

/// Returns the current time as an ISO 8601 UTC timestamp.
pub(crate) fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    iso(secs)
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC).
pub(crate) fn iso(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days, for days >= 0.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Returns a `node_id`-like opaque string.
pub(crate) fn node_id(prefix: &str, id: u64) -> String {
    format!("{prefix}_kwDO{id:08X}")
}

/// Returns a `simple-user` object.
pub(crate) fn simple_user(ctx: &Ctx, login: &str, id: u64, kind: &str) -> Value {
    let u = format!("{}/users/{login}", ctx.api);
    json!({
        "login": login,
        "id": id,
        "node_id": node_id("U", id),
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{id}?v=4"),
        "gravatar_id": "",
        "url": u,
        "html_url": format!("https://github.com/{login}"),
        "followers_url": format!("{u}/followers"),
        "following_url": format!("{u}/following{{/other_user}}"),
        "gists_url": format!("{u}/gists{{/gist_id}}"),
        "starred_url": format!("{u}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{u}/subscriptions"),
        "organizations_url": format!("{u}/orgs"),
        "repos_url": format!("{u}/repos"),
        "events_url": format!("{u}/events{{/privacy}}"),
        "received_events_url": format!("{u}/received_events"),
        "type": kind,
        "user_view_type": "public",
        "site_admin": false
    })
}

/// Returns a `public-user` object (`GET /users/{login}`).
pub(crate) fn public_user(ctx: &Ctx, login: &str, id: u64) -> Value {
    let mut v = simple_user(ctx, login, id, "User");
    if let Some(o) = v.as_object_mut() {
        for (k, x) in [
            ("name", Value::Null),
            ("company", Value::Null),
            ("blog", json!("")),
            ("location", Value::Null),
            ("email", Value::Null),
            ("hireable", Value::Null),
            ("bio", Value::Null),
            ("public_repos", json!(1)),
            ("public_gists", json!(0)),
            ("followers", json!(0)),
            ("following", json!(0)),
            ("created_at", json!(EPOCH)),
            ("updated_at", json!(EPOCH)),
        ] {
            o.insert(k.into(), x);
        }
    }
    v
}

/// Returns a stable id for an account the seed does not give one, derived from its login.
pub(crate) fn account_id(login: &str) -> u64 {
    login.bytes().fold(1000_u64, |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b)) % 90_000_000
    }) + 1000
}

/// Returns a `team` object.
pub(crate) fn team(ctx: &Ctx, org: &Account, t: &TeamSeed) -> Value {
    let url = format!("{}/organizations/{}/team/{}", ctx.api, org.id, t.id);
    json!({
        "id": t.id,
        "node_id": node_id("T", t.id),
        "url": url,
        "html_url": format!("https://github.com/orgs/{}/teams/{}", org.login, t.slug),
        "name": t.slug,
        "slug": t.slug,
        "description": null,
        "privacy": "closed",
        "notification_setting": "notifications_enabled",
        "permission": "pull",
        "members_url": format!("{url}/members{{/member}}"),
        "repositories_url": format!("{url}/repos"),
        "type": "organization",
        "organization_id": org.id,
        "parent": null
    })
}

/// Returns a `team-full` object (`GET /orgs/{org}/teams/{slug}`).
pub(crate) fn team_full(ctx: &Ctx, account: &Account, t: &TeamSeed) -> Value {
    let mut v = team(ctx, account, t);
    let org = format!("{}/orgs/{}", ctx.api, account.login);
    if let Some(o) = v.as_object_mut() {
        o.remove("parent");
        o.insert("members_count".into(), json!(1));
        o.insert("repos_count".into(), json!(1));
        o.insert("created_at".into(), json!(EPOCH));
        o.insert("updated_at".into(), json!(EPOCH));
        o.insert(
            "organization".into(),
            json!({
                "login": account.login,
                "id": account.id,
                "node_id": node_id("O", account.id),
                "url": org,
                "repos_url": format!("{org}/repos"),
                "events_url": format!("{org}/events"),
                "hooks_url": format!("{org}/hooks"),
                "issues_url": format!("{org}/issues"),
                "members_url": format!("{org}/members{{/member}}"),
                "public_members_url": format!("{org}/public_members{{/member}}"),
                "avatar_url": format!("https://avatars.githubusercontent.com/u/{}?v=4", account.id),
                "description": null,
                "html_url": format!("https://github.com/{}", account.login),
                "has_organization_projects": true,
                "has_repository_projects": true,
                "public_repos": 1,
                "public_gists": 0,
                "followers": 0,
                "following": 0,
                "type": "Organization",
                "created_at": EPOCH,
                "updated_at": EPOCH,
                "archived_at": null
            }),
        );
    }
    v
}

/// Returns an `integration` (GitHub App) object.
pub(crate) fn app(ctx: &Ctx, owner: &Account, a: &AppSeed) -> Value {
    json!({
        "id": a.id,
        "slug": a.slug,
        "node_id": node_id("A", a.id),
        "client_id": format!("Iv1.{:016x}", a.id),
        "owner": owner.json(ctx),
        "name": a.slug,
        "description": "",
        "external_url": format!("https://github.com/apps/{}", a.slug),
        "html_url": format!("https://github.com/apps/{}", a.slug),
        "created_at": EPOCH,
        "updated_at": EPOCH,
        "permissions": {"checks": "write", "metadata": "read"},
        "events": ["check_run", "check_suite"]
    })
}

/// Returns a 40-hex commit sha derived from a branch name.
pub(crate) fn sha_for(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut out = String::new();
    for round in 0..3_u8 {
        for b in name.bytes().chain([round]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        let _ = write!(out, "{h:016x}");
    }
    out.truncate(40);
    out
}

/// Returns a `commit` object for a branch head.
pub(crate) fn commit(ctx: &Ctx, repo: &RepoSeed, sha: &str) -> Value {
    let u = format!("{}/repos/{}/{}", ctx.api, repo.owner, repo.name);
    let git_user = json!({"name": "The Octocat", "email": "octocat@example.com", "date": EPOCH});
    json!({
        "sha": sha,
        "node_id": node_id("C", 1),
        "url": format!("{u}/commits/{sha}"),
        "html_url": format!("https://github.com/{}/{}/commit/{sha}", repo.owner, repo.name),
        "comments_url": format!("{u}/commits/{sha}/comments"),
        "commit": {
            "url": format!("{u}/git/commits/{sha}"),
            "author": git_user,
            "committer": git_user,
            "message": "Initial commit",
            "comment_count": 0,
            "tree": {"sha": sha, "url": format!("{u}/git/trees/{sha}")},
            "verification": {
                "verified": false, "reason": "unsigned", "payload": null,
                "signature": null, "verified_at": null
            }
        },
        "author": null,
        "committer": null,
        "parents": []
    })
}
