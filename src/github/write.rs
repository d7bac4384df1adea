//! Turning plan changes into requests. Only `apply` reaches this module.
//!
//! Each function writes one change, in GitHub's PUT/POST shapes (which differ from the GET
//! shapes `wire` reads): logins and slugs for protection, numeric ids for environment
//! reviewers and check apps, a sealed box for secret values. The order of changes and what
//! happens on failure are `apply`'s business.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use crypto_box::aead::OsRng;
use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::client::{ApiResponse, WriteApi};
use super::error::{ApiError, ApiErrorKind};
use super::read::{list_patterns, pattern_id};
use super::{RepoId, encode, wire};
use crate::live::Identities;
use crate::model::{
    Actors, Branch, DeploymentBranches, DeploymentPattern, Environment, RefType, Reviewer,
};
use crate::plan::{Action, Change, FieldDiff, Target};

/// Writes plan changes to one repository.
pub struct Writer<'a> {
    api: &'a WriteApi,
    repo: &'a RepoId,
    ids: &'a Identities,
    /// The least time between two mutating requests (GitHub asks for a second).
    pace: Duration,
    last_write: Mutex<Option<Instant>>,
}

/// Something GitHub accepted but did not do as asked (users dropped from a restriction).
pub type Warning = String;

impl<'a> Writer<'a> {
    /// Returns a writer; `ids` are the user, team and app ids the plan's read resolved.
    /// `pace` is the least time between two writes.
    pub fn new(api: &'a WriteApi, repo: &'a RepoId, ids: &'a Identities, pace: Duration) -> Self {
        Self {
            api,
            repo,
            ids,
            pace,
            last_write: Mutex::new(None),
        }
    }

    /// Returns the API path of an environment.
    fn environment_path(&self, environment: &str) -> String {
        format!("{}/environments/{}", self.repo.path(), encode(environment))
    }

    /// Waits until `pace` has passed since the previous write, then records this one.
    async fn pace(&self) {
        let wait = {
            let last = self.last_write.lock().map_or(None, |guard| *guard);
            last.map(|at| self.pace.saturating_sub(at.elapsed()))
        };
        if let Some(wait) = wait.filter(|w| !w.is_zero()) {
            tokio::time::sleep(wait).await;
        }
        if let Ok(mut guard) = self.last_write.lock() {
            *guard = Some(Instant::now());
        }
    }

    /// Makes one change. Returns warnings about what GitHub silently did differently.
    pub async fn write(&self, change: &Change) -> Result<Vec<Warning>, ApiError> {
        match &change.target {
            Target::BranchProtection { branch, desired } => {
                if let Some(desired) = desired {
                    self.protect_branch(branch, desired, change).await
                } else {
                    let path = format!(
                        "{}/branches/{}/protection",
                        self.repo.path(),
                        encode(branch)
                    );
                    self.send_checked(
                        Method::DELETE,
                        &path,
                        None,
                        &[StatusCode::NO_CONTENT],
                        "Administration: write",
                    )
                    .await
                    .map(|_| Vec::new())
                }
            }
            Target::Environment { name, desired } => {
                let path = self.environment_path(name);
                match desired {
                    Some(desired) => {
                        let body = environment_body(desired, self.ids, &path, &change.diffs)?;
                        self.send_checked(
                            Method::PUT,
                            &path,
                            Some(&body),
                            &[StatusCode::OK],
                            "Administration: write",
                        )
                        .await?;
                    }
                    None => {
                        self.send_checked(
                            Method::DELETE,
                            &path,
                            None,
                            &[StatusCode::NO_CONTENT],
                            "Administration: write",
                        )
                        .await?;
                    }
                }
                Ok(Vec::new())
            }
            Target::DeploymentPattern {
                environment,
                pattern,
            } => {
                self.write_pattern(environment, pattern, change.action)
                    .await?;
                Ok(Vec::new())
            }
            Target::Secret {
                environment,
                name,
                from_env,
            } => {
                self.write_secret(environment, name, from_env.as_deref(), change.action)
                    .await?;
                Ok(Vec::new())
            }
            Target::Variable {
                environment,
                name,
                value,
            } => {
                self.write_variable(environment, name, value.as_deref(), change.action)
                    .await?;
                Ok(Vec::new())
            }
        }
    }

    async fn protect_branch(
        &self,
        branch: &str,
        desired: &Branch,
        change: &Change,
    ) -> Result<Vec<Warning>, ApiError> {
        let path = format!(
            "{}/branches/{}/protection",
            self.repo.path(),
            encode(branch)
        );
        let clearing = |prefix: &str| change.diffs.iter().any(|d| d.path.starts_with(prefix));
        let body = protection_body(
            desired,
            clearing("pull_request.dismissal_restrictions"),
            clearing("pull_request.bypass"),
        );
        let response = self
            .send_checked(
                Method::PUT,
                &path,
                Some(&body),
                &[StatusCode::OK],
                "Administration: write",
            )
            .await?;
        let mut warnings = dropped_actors(&response, desired);

        // The full PUT takes only `contexts` (the official schema requires it, and GitHub
        // refuses `contexts` together with `checks`); pins to an app go in a second call.
        if let Some(checks) = desired.status_checks.as_ref().filter(|c| {
            c.required
                .iter()
                .any(super::super::model::RequiredCheck::is_pinned)
        }) {
            let mut list = Vec::new();
            for check in &checks.required {
                let app_id = check
                    .app_id
                    .or_else(|| check.app.as_deref().and_then(|slug| self.ids.app(slug)));
                match (check.is_pinned(), app_id) {
                    (false, _) => list.push(json!({ "context": check.context })),
                    (true, Some(id)) => {
                        list.push(json!({ "context": check.context, "app_id": id }));
                    }
                    (true, None) => {
                        return Err(ApiError::new(
                            ApiErrorKind::Config,
                            format!("PATCH {path}/required_status_checks"),
                        )
                        .with_detail(format!(
                            "the id of app `{}` is unknown",
                            check.app.as_deref().unwrap_or_default()
                        )));
                    }
                }
            }
            let body = json!({ "strict": checks.strict, "checks": list });
            self.send_checked(
                Method::PATCH,
                &format!("{path}/required_status_checks"),
                Some(&body),
                &[StatusCode::OK],
                "Administration: write",
            )
            .await?;
        }

        // Signed commits have their own endpoint (a PUT does not carry them); write them
        // only when the plan says they change.
        let signatures = format!("{path}/required_signatures");
        let live_signatures = change
            .diffs
            .iter()
            .find(|d| d.path == "required_signatures")
            .map(|d| d.live == Value::Bool(true));
        match (desired.required_signatures, live_signatures) {
            (true, Some(false)) => {
                self.send_checked(
                    Method::POST,
                    &signatures,
                    None,
                    &[StatusCode::OK],
                    "Administration: write",
                )
                .await?;
            }
            (false, Some(true)) => {
                self.send_checked(
                    Method::DELETE,
                    &signatures,
                    None,
                    &[StatusCode::NO_CONTENT, StatusCode::NOT_FOUND],
                    "Administration: write",
                )
                .await?;
            }
            _ => {}
        }
        warnings.retain(|w| !w.is_empty());
        Ok(warnings)
    }

    async fn write_pattern(
        &self,
        environment: &str,
        pattern: &DeploymentPattern,
        action: Action,
    ) -> Result<(), ApiError> {
        let base = format!(
            "{}/deployment-branch-policies",
            self.environment_path(environment)
        );
        if action == Action::Delete {
            let existing = list_patterns(&self.api.reader(), self.repo, environment).await?;
            let Some(id) = pattern_id(&existing, pattern) else {
                return Ok(()); // Already gone: the desired state holds.
            };
            self.send_checked(
                Method::DELETE,
                &format!("{base}/{id}"),
                None,
                &[StatusCode::NO_CONTENT],
                "Administration: write",
            )
            .await?;
            return Ok(());
        }
        let kind = match pattern.ref_type {
            RefType::Branch => "branch",
            RefType::Tag => "tag",
        };
        let body = json!({ "name": pattern.pattern, "type": kind });
        // 303: the same pattern exists already, which is the desired state.
        self.send_checked(
            Method::POST,
            &base,
            Some(&body),
            &[StatusCode::OK, StatusCode::SEE_OTHER],
            "Administration: write",
        )
        .await?;
        Ok(())
    }

    async fn write_secret(
        &self,
        environment: &str,
        name: &str,
        from_env: Option<&str>,
        action: Action,
    ) -> Result<(), ApiError> {
        let base = format!("{}/secrets", self.environment_path(environment));
        let path = format!("{base}/{}", encode(name));
        if action == Action::Delete {
            self.send_checked(
                Method::DELETE,
                &path,
                None,
                &[StatusCode::NO_CONTENT],
                "Environments: write",
            )
            .await?;
            return Ok(());
        }
        let call = format!("PUT {path}");
        let Some(var) = from_env else {
            return Err(ApiError::new(ApiErrorKind::Config, call)
                .with_detail("the policy names no source for the value"));
        };
        let value = std::env::var(var).map_err(|_| {
            ApiError::new(ApiErrorKind::Config, call.clone())
                .with_detail(format!("environment variable `{var}` is not set"))
                .with_hint(format!(
                    "set `{var}` to the secret's value when running apply"
                ))
        })?;
        let key_path = format!("{base}/public-key");
        let response = self.api.reader().get(&key_path).await?;
        if response.status != StatusCode::OK {
            return Err(permission(
                ApiError::from_response(&response, &format!("GET {key_path}")),
                "Environments: read",
            ));
        }
        let key: wire::PublicKey = response.json(&format!("GET {key_path}"))?;
        let sealed = seal(&key.key, value.as_bytes()).map_err(|detail| {
            ApiError::new(ApiErrorKind::MalformedResponse, format!("GET {key_path}"))
                .with_detail(detail)
        })?;
        let key_id = match key.key_id {
            Value::String(id) => id,
            other => other.to_string(),
        };
        let body = json!({ "encrypted_value": sealed, "key_id": key_id });
        self.send_checked(
            Method::PUT,
            &path,
            Some(&body),
            &[StatusCode::CREATED, StatusCode::NO_CONTENT],
            "Environments: write",
        )
        .await?;
        Ok(())
    }

    async fn write_variable(
        &self,
        environment: &str,
        name: &str,
        value: Option<&str>,
        action: Action,
    ) -> Result<(), ApiError> {
        let base = format!("{}/variables", self.environment_path(environment));
        let path = format!("{base}/{}", encode(name));
        match (action, value) {
            (Action::Create, Some(value)) => {
                let body = json!({ "name": name, "value": value });
                self.send_checked(
                    Method::POST,
                    &base,
                    Some(&body),
                    &[StatusCode::CREATED],
                    "Environments: write",
                )
                .await?;
            }
            (Action::Update, Some(value)) => {
                let body = json!({ "name": name, "value": value });
                self.send_checked(
                    Method::PATCH,
                    &path,
                    Some(&body),
                    &[StatusCode::NO_CONTENT],
                    "Environments: write",
                )
                .await?;
            }
            _ => {
                self.send_checked(
                    Method::DELETE,
                    &path,
                    None,
                    &[StatusCode::NO_CONTENT],
                    "Environments: write",
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Sends one write and checks its status; any other status is an error with GitHub's
    /// message and, for a 403, the permission the write needs.
    async fn send_checked(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        ok: &[StatusCode],
        needed: &str,
    ) -> Result<ApiResponse, ApiError> {
        let call = format!("{method} {path}");
        self.pace().await;
        let response = self.api.send(method, path, body).await?;
        if ok.contains(&response.status) {
            return Ok(response);
        }
        Err(permission(
            ApiError::from_response(&response, &call),
            needed,
        ))
    }
}

fn permission(err: ApiError, needed: &str) -> ApiError {
    if err.kind == ApiErrorKind::Permission
        && !err
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("GitHub accepts")
    {
        return err.with_hint(format!(
            "the token needs \"{needed}\" on this repository (fine-grained token), or the `repo` scope (classic token)"
        ));
    }
    err
}

/// Builds the body of PUT `…/branches/{branch}/protection` (all four required keys).
fn protection_body(branch: &Branch, clear_dismissal: bool, clear_bypass: bool) -> Value {
    let actors = |actors: &Actors| json!({ "users": actors.users, "teams": actors.teams, "apps": actors.apps });
    let reviews = branch.pull_request.as_ref().map(|pr| {
        let mut reviews = json!({
            "dismiss_stale_reviews": pr.dismiss_stale_reviews,
            "require_code_owner_reviews": pr.require_code_owner_reviews,
            "required_approving_review_count": pr.required_approvals,
            "require_last_push_approval": pr.require_last_push_approval,
        });
        // Dismissal restrictions exist only on organisation repositories: send them only
        // when there are some, or to clear live ones (`{}` disables them).
        if !pr.dismissal_restrictions.is_empty() {
            reviews["dismissal_restrictions"] = actors(&pr.dismissal_restrictions);
        } else if clear_dismissal {
            reviews["dismissal_restrictions"] = json!({});
        }
        if !pr.bypass.is_empty() || clear_bypass {
            reviews["bypass_pull_request_allowances"] = actors(&pr.bypass);
        }
        reviews
    });
    let checks = branch.status_checks.as_ref().map(|checks| {
        let mut contexts: Vec<&str> = checks.required.iter().map(|c| c.context.as_str()).collect();
        contexts.sort_unstable();
        contexts.dedup();
        json!({ "strict": checks.strict, "contexts": contexts })
    });
    json!({
        "required_status_checks": checks,
        "enforce_admins": branch.enforce_admins,
        "required_pull_request_reviews": reviews,
        "restrictions": branch.push_restrictions.as_ref().map(actors),
        "required_linear_history": branch.required_linear_history,
        "allow_force_pushes": branch.allow_force_pushes,
        "allow_deletions": branch.allow_deletions,
        "block_creations": branch.block_creations,
        "required_conversation_resolution": branch.required_conversation_resolution,
        "lock_branch": branch.lock_branch,
        "allow_fork_syncing": branch.allow_fork_syncing,
    })
}

/// Compares the PUT answer with what was asked: GitHub silently drops users and teams
/// without write access from restrictions (QUIRKS 24).
fn dropped_actors(response: &ApiResponse, desired: &Branch) -> Vec<Warning> {
    let Ok(body) = serde_json::from_slice::<Value>(&response.body) else {
        return Vec::new();
    };
    let names = |value: Option<&Value>, key: &str| -> Vec<String> {
        value
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|item| item.get(key).and_then(Value::as_str).map(str::to_lowercase))
            .collect()
    };
    let mut warnings = Vec::new();
    let mut check = |section: &str, asked: &Actors, got: Option<&Value>| {
        for (kind, key, wanted) in [
            ("user", "login", &asked.users),
            ("team", "slug", &asked.teams),
        ] {
            let present = names(got.and_then(|g| g.get(format!("{kind}s"))), key);
            for name in wanted {
                if !present.contains(&name.to_lowercase()) {
                    warnings.push(format!(
                        "GitHub dropped {kind} `{name}` from {section} (it needs write access to the repository)"
                    ));
                }
            }
        }
    };
    if let Some(restrictions) = &desired.push_restrictions {
        check("push_restrictions", restrictions, body.get("restrictions"));
    }
    if let Some(pr) = &desired.pull_request {
        let reviews = body.get("required_pull_request_reviews");
        check(
            "pull_request.dismissal_restrictions",
            &pr.dismissal_restrictions,
            reviews.and_then(|r| r.get("dismissal_restrictions")),
        );
        check(
            "pull_request.bypass",
            &pr.bypass,
            reviews.and_then(|r| r.get("bypass_pull_request_allowances")),
        );
    }
    warnings
}

/// Builds the body of PUT `…/environments/{name}`.
///
/// A key left out keeps its value (QUIRKS 32), and on private repositories of some plans
/// GitHub refuses `wait_timer`, `reviewers` and `prevent_self_review` even at their defaults
/// (QUIRKS 36). So a rule is sent when the policy sets it, or to reset a live value the plan
/// shows changing; the deployment branch policy is always sent.
fn environment_body(
    environment: &Environment,
    ids: &Identities,
    path: &str,
    diffs: &[FieldDiff],
) -> Result<Value, ApiError> {
    let resets = |leaf: &str| diffs.iter().any(|d| d.path == leaf && !d.live.is_null());
    let mut reviewers = Vec::new();
    for reviewer in &environment.reviewers {
        let key = reviewer.name().to_lowercase();
        let (kind, id) = match reviewer {
            Reviewer::User(_) => ("User", ids.users.get(&key)),
            Reviewer::Team(_) => ("Team", ids.teams.get(&key)),
        };
        let Some(id) = id else {
            return Err(ApiError::new(ApiErrorKind::Config, format!("PUT {path}"))
                .with_detail(format!("the id of reviewer {reviewer} is unknown")));
        };
        reviewers.push(json!({ "type": kind, "id": id }));
    }
    let branch_policy = match &environment.deployment_branches {
        DeploymentBranches::All => Value::Null,
        DeploymentBranches::Protected => {
            json!({ "protected_branches": true, "custom_branch_policies": false })
        }
        DeploymentBranches::Custom(_) => {
            json!({ "protected_branches": false, "custom_branch_policies": true })
        }
    };
    let mut body = serde_json::Map::new();
    if environment.wait_timer != 0 || resets("wait_timer") {
        body.insert("wait_timer".into(), json!(environment.wait_timer));
    }
    let prevent_self_review = environment.prevent_self_review && !reviewers.is_empty();
    if prevent_self_review || resets("prevent_self_review") {
        body.insert("prevent_self_review".into(), json!(prevent_self_review));
    }
    if !reviewers.is_empty() || resets("reviewers") {
        // `null` clears the reviewers (QUIRKS 32).
        let reviewers = if reviewers.is_empty() {
            Value::Null
        } else {
            Value::Array(reviewers)
        };
        body.insert("reviewers".into(), reviewers);
    }
    body.insert("deployment_branch_policy".into(), branch_policy);
    if !environment.can_admins_bypass || resets("can_admins_bypass") {
        // Not in the 2022-11-28 description; the live API takes it (QUIRKS 31).
        body.insert(
            "can_admins_bypass".into(),
            json!(environment.can_admins_bypass),
        );
    }
    Ok(Value::Object(body))
}

/// Encrypts a secret value for GitHub: a libsodium sealed box against the environment's
/// public key, base64-encoded.
fn seal(public_key_base64: &str, plaintext: &[u8]) -> Result<String, String> {
    let bytes = BASE64
        .decode(public_key_base64.trim())
        .map_err(|err| format!("the environment's public key is not base64: {err}"))?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "the environment's public key is not 32 bytes".to_owned())?;
    let key = crypto_box::PublicKey::from(bytes);
    let sealed = key
        .seal(&mut OsRng, plaintext)
        .map_err(|_| "encrypting the secret failed".to_owned())?;
    Ok(BASE64.encode(sealed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PullRequestRules, RequiredCheck, StatusChecks};

    #[test]
    fn a_sealed_box_opens_with_the_secret_key() {
        let secret = crypto_box::SecretKey::generate(&mut OsRng);
        let public = BASE64.encode(secret.public_key().as_bytes());
        let sealed = BASE64.decode(seal(&public, b"hunter2").unwrap()).unwrap();
        assert_eq!(sealed.len(), 48 + 7, "libsodium's overhead is 48 bytes");
        assert_eq!(secret.unseal(&sealed).unwrap(), b"hunter2");
    }

    #[test]
    fn the_protection_body_has_the_four_required_keys_and_no_checks() {
        let branch = Branch {
            pull_request: Some(PullRequestRules {
                required_approvals: 2,
                ..PullRequestRules::default()
            }),
            status_checks: Some(StatusChecks {
                strict: true,
                required: vec![RequiredCheck::any_app("b"), RequiredCheck::any_app("a")],
            }),
            ..Branch::default()
        };
        let body = protection_body(&branch, false, false);
        for key in [
            "required_status_checks",
            "enforce_admins",
            "required_pull_request_reviews",
            "restrictions",
        ] {
            assert!(body.get(key).is_some(), "{key} missing");
        }
        assert_eq!(
            body["required_status_checks"],
            json!({ "strict": true, "contexts": ["a", "b"] })
        );
        assert!(body["restrictions"].is_null());
        assert!(
            body["required_pull_request_reviews"]
                .get("dismissal_restrictions")
                .is_none()
        );
    }
}
