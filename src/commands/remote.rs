//! What the commands that talk to GitHub share: which repository, which API, which
//! credentials, and the async runtime they run in.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use crate::Error;
use crate::cli::RemoteArgs;
use crate::commands::Context;
use crate::commands::console::Console;
use crate::github::client::run::Run;
use crate::github::client::{ApiRoot, ClientConfig, Credentials, EtagCache, HttpTransport, Token};
use crate::github::{app, auth};
use crate::model::names::RepoName;
use crate::output::progress::{Log, StderrLog};

/// Picks the repository: `--repo`, else the policy's `repository:`, else
/// `GITHUB_REPOSITORY`, else the `origin` remote of the git checkout in `dir`. Every source
/// is held to the same rule (`names::RepoName`).
pub fn resolve_repo(
    flag: Option<&str>,
    policy: Option<&str>,
    dir: &Path,
) -> Result<RepoName, Error> {
    let parse = |text: &str, source: &str| {
        RepoName::parse(text).map_err(|reason| {
            Error::new(format!("{source} does not name a repository: {reason}"))
                .with_hint("write it as OWNER/NAME, e.g. acme/katz-backend")
        })
    };
    if let Some(repo) = flag {
        return parse(repo, "--repo");
    }
    if let Some(repo) = policy {
        return parse(repo, "the policy's `repository`");
    }
    if let Ok(repo) = std::env::var("GITHUB_REPOSITORY")
        && !repo.trim().is_empty()
    {
        return parse(&repo, "GITHUB_REPOSITORY");
    }
    if let Some(url) = origin_url(dir)
        && let Some(repo) = repo_from_remote(&url)
    {
        return Ok(repo);
    }
    Err(Error::new("no repository given")
        .detail("none of --repo, the policy's `repository`, GITHUB_REPOSITORY or a git `origin` remote names one")
        .with_hint("pass --repo OWNER/NAME, or add `repository: OWNER/NAME` to the policy"))
}

fn origin_url(dir: &Path) -> Option<String> {
    let output = Command::new("git")
        .args(["config", "--get", "remote.origin.url"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Reads `OWNER/NAME` from a git remote URL: `https://HOST/OWNER/NAME(.git)`,
/// `ssh://git@HOST(:PORT)/OWNER/NAME(.git)` or `git@HOST:OWNER/NAME(.git)`, any host.
pub fn repo_from_remote(url: &str) -> Option<RepoName> {
    let url = url.trim();
    let path = if let Some((_, rest)) = url.split_once("://") {
        rest.split_once('/')?.1
    } else {
        url.split_once(':')?.1
    };
    RepoName::from_remote_path(path)
}

/// Where a command talks to: the repository, the client configuration and the runtime.
pub struct Remote {
    /// The repository.
    pub repo: RepoName,
    /// How to reach it.
    pub config: ClientConfig,
    /// The runtime the API calls run on.
    pub runtime: tokio::runtime::Runtime,
}

/// Resolves the repository (see `resolve_repo`), the API and credentials, and starts the
/// runtime.
pub fn connect(
    args: &RemoteArgs,
    policy_repo: Option<&str>,
    ctx: &Context,
    console: &Console<'_>,
) -> Result<Remote, Error> {
    let repo = resolve_repo(args.repo.as_deref(), policy_repo, &ctx.cwd)?;
    Ok(Remote {
        config: client_config(args, &repo.owner, Some(&repo.name), console.verbose())?,
        repo,
        runtime: runtime()?,
    })
}

/// Connects to a repository already resolved (from an organisation policy's entry).
pub fn connect_to(
    args: &RemoteArgs,
    repo: RepoName,
    console: &Console<'_>,
) -> Result<Remote, Error> {
    Ok(Remote {
        config: client_config(args, &repo.owner, Some(&repo.name), console.verbose())?,
        repo,
        runtime: runtime()?,
    })
}

/// The client configuration and the runtime of a run over an organisation's repositories.
pub fn connect_org(
    args: &RemoteArgs,
    organization: &str,
    console: &Console<'_>,
) -> Result<(ClientConfig, tokio::runtime::Runtime), Error> {
    Ok((
        client_config(args, organization, None, console.verbose())?,
        runtime()?,
    ))
}

/// Builds the client configuration from the flags and the environment. A GitHub App acts as
/// its installation on `owner` (an organisation), or, given `repository`, as the one that
/// reaches that repository of `owner` (an organisation or a user); the App's own calls (its
/// token exchange) are held to the same flags and share the run's deadline.
pub fn client_config(
    args: &RemoteArgs,
    owner: &str,
    repository: Option<&str>,
    verbose: bool,
) -> Result<ClientConfig, Error> {
    let root = ApiRoot::parse(&api_url(args.api_url.as_deref()))?;
    let log: Arc<dyn Log> = Arc::new(StderrLog);
    let run = Arc::new(Run::default());
    let settings = |credentials: Arc<dyn Credentials>| {
        let mut config = ClientConfig::new(root.clone(), credentials);
        config.concurrency = args.concurrency.map(usize::from);
        config.request_timeout = Duration::from_secs(args.request_timeout);
        config.overall_timeout = Some(Duration::from_secs(args.timeout));
        config.read_retries = args.retries;
        config.max_rate_limit_wait = Duration::from_secs(args.max_rate_limit_wait);
        config.retry_base_delay = Duration::from_millis(args.retry_base_ms);
        config.verbose = verbose;
        config.log = Arc::clone(&log);
        config.run = Arc::clone(&run);
        config
    };
    let credentials: Arc<dyn Credentials> = match app_credentials(args)? {
        Some((app_id, pem)) => {
            let key = Arc::new(app::AppKey::new(app_id, &pem)?);
            let calls = settings(Arc::clone(&key) as Arc<dyn Credentials>);
            let transport = Arc::new(HttpTransport::for_root(&root));
            let mut app = app::AppInstallation::with_calls(calls, key, transport, owner)?
                .renew_before(app::RENEW_BEFORE);
            if let Some(repository) = repository {
                app = app.for_repository(repository);
            }
            Arc::new(app)
        }
        None => Arc::new(Token::new(auth::find_token(&root)?)),
    };
    let mut config = settings(Arc::clone(&credentials));
    if !args.no_cache {
        let dir = args.cache_dir.clone().or_else(EtagCache::default_dir);
        config.cache = dir
            .map(|dir| {
                EtagCache::open(dir.clone(), &credentials.cache_identity()).map_err(|why| {
                    Error::new(format!(
                        "the cache directory {} cannot be used: {why}",
                        crate::output::untrusted::quote(&dir.display().to_string())
                    ))
                    .with_hint("make it private to you (`chmod 700`), choose another with --cache-dir, or pass --no-cache")
                })
            })
            .transpose()?;
    }
    Ok(config)
}

/// The GitHub App to act as, when one is given: `--app-id` or `GH_POLICY_APP_ID`, and
/// `--private-key FILE` or the PEM text in `GH_POLICY_APP_PRIVATE_KEY`. Both or neither;
/// an empty variable counts as unset (what Actions gives for an undefined secret).
fn app_credentials(args: &RemoteArgs) -> Result<Option<(u64, String)>, Error> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let id = match &args.app_id {
        Some(text) => Some(app::parse_app_id(text, "--app-id")?),
        None => var("GH_POLICY_APP_ID")
            .map(|text| app::parse_app_id(&text, "GH_POLICY_APP_ID"))
            .transpose()?,
    };
    let key = match &args.private_key {
        Some(path) => Some(app::read_private_key(path)?),
        None => var("GH_POLICY_APP_PRIVATE_KEY"),
    };
    match (id, key) {
        (Some(id), Some(key)) => Ok(Some((id, key))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(
            Error::new("a GitHub App ID was given without its private key").with_hint(
                "pass --private-key FILE, or set GH_POLICY_APP_PRIVATE_KEY to the PEM text",
            ),
        ),
        (None, Some(_)) => Err(
            Error::new("a GitHub App private key was given without the App ID").with_hint(
                "pass --app-id ID, or set GH_POLICY_APP_ID (the numeric App ID, not the client ID)",
            ),
        ),
    }
}

/// Picks the API root: `--api-url`, else `GITHUB_API_URL` (set in GitHub Actions, also on
/// GHES), else `https://GH_HOST/api/v3` when the GitHub CLI's `GH_HOST` names an Enterprise
/// Server, else github.com.
fn api_url(flag: Option<&str>) -> String {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(url) = flag.map(str::to_owned).or_else(|| var("GITHUB_API_URL")) {
        return url;
    }
    match var("GH_HOST") {
        Some(host) if !auth::is_github_com(&host) => format!("https://{host}/api/v3"),
        _ => "https://api.github.com".to_owned(),
    }
}

/// Returns the runtime the API calls run on.
pub fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|err| Error::new("failed to start the async runtime").caused_by(err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_of_every_form_give_the_repository() {
        for url in [
            "https://github.com/acme/katz-backend.git",
            "https://github.com/acme/katz-backend",
            "https://user@github.com/acme/katz-backend/",
            "git@github.com:acme/katz-backend.git",
            "ssh://git@github.com/acme/katz-backend.git",
            "ssh://git@ghe.example.com:2222/acme/katz-backend.git",
            "https://ghe.example.com/acme/katz-backend.git",
            "git@ghe.example.com:acme/katz-backend",
        ] {
            assert_eq!(
                repo_from_remote(url).map(|r| r.to_string()).as_deref(),
                Some("acme/katz-backend"),
                "{url}"
            );
        }
        assert!(repo_from_remote("/local/path/repo").is_none());
        assert!(repo_from_remote("https://github.com/acme").is_none());
    }

    #[test]
    fn every_source_of_the_repository_follows_one_rule() {
        let dir = Path::new("/");
        assert!(resolve_repo(Some("../x"), None, dir).is_err());
        assert!(resolve_repo(None, Some("../x"), dir).is_err());
        assert!(resolve_repo(Some("acme/.."), None, dir).is_err());
        assert!(resolve_repo(Some("acme_corp/api"), None, dir).is_ok());
        assert!(resolve_repo(None, Some("acme_corp/api"), dir).is_ok());
    }
}
