//! GitHub's naming rules, each in one place: repositories, branches, environments, secrets
//! and variables, logins and slugs.
//!
//! Every rule is a regular expression (`*_PATTERN`, which the JSON Schema embeds, so an
//! editor and `validate` give one verdict) and a function that says, in words, why a name
//! breaks it (used for the message). A test holds each pair to the same verdict.

mod types;

pub use types::{
    BranchName, EnvVarName, EnvironmentName, Login, Pattern, RepoName, RepositoryName, SecretName,
    Slug, Text, VariableName,
};

use crate::output::untrusted::quote;

/// `OWNER/NAME`: an owner login, a slash, a repository name.
pub const REPOSITORY_PATTERN: &str = r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:_[A-Za-z0-9]+)?/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$";

/// A repository's name without its owner, as an organisation policy's `repositories` keys
/// write it: letters, digits, `-`, `_` and `.`, at most 100, not `.` or `..`.
pub const REPOSITORY_NAME_PATTERN: &str = r"^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$";

/// A user or organisation login: letters, digits and single hyphens, at most 39; an
/// Enterprise Managed User adds `_SHORTCODE`.
pub const LOGIN_PATTERN: &str =
    r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:_[A-Za-z0-9]+)?$";

/// A team or app slug: letters, digits, `-` and `_`.
pub const SLUG_PATTERN: &str = r"^[A-Za-z0-9_-]{1,100}$";

/// A secret or variable name: letters, digits and `_`, not starting with a digit or with
/// `GITHUB_` (in any case).
pub const SECRET_NAME_PATTERN: &str = r"^(?![Gg][Ii][Tt][Hh][Uu][Bb]_)[A-Za-z_][A-Za-z0-9_]*$";

/// An environment variable name (`from_env`).
pub const ENV_VAR_PATTERN: &str = r"^[A-Za-z_][A-Za-z0-9_]*$";

/// An exact branch name, by git's ref-name rules (`git check-ref-format`), without
/// wildcards.
pub const BRANCH_PATTERN: &str = r"^(?!.*\.\.)(?!.*//)(?!.*@\{)(?!@$)(?![-/])(?!.*[/.]$)(?!\.)(?!.*/\.)(?!.*\.lock(?:/|$))[^\x00-\x20\x7f~^:?*\[\\]+$";

/// An environment name: 1 to 255 characters, none that changes how output reads (see
/// [`is_unprintable`]), not `.` or `..`.
pub const ENVIRONMENT_PATTERN: &str =
    r"^(?!\.\.?$)[^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]{1,255}$";

/// Text with at least one character that is not white space, and none that changes how
/// output reads (see [`is_unprintable`]): a check's name, a ruleset's name, a pattern, a
/// requirement's key. Such names are printed in plans and in workflow commands.
pub const NON_BLANK_PATTERN: &str =
    r"^(?=.*\S)[^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+$";

/// Returns true for the characters no name may hold: control characters (C0, DEL, C1),
/// the line and paragraph separators, and the bidirectional embeddings, overrides and
/// isolates — they end lines, reach the terminal or reorder what is shown.
pub fn is_unprintable(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// A naming rule: its pattern, what it names, and the function that says why a name breaks
/// it. The loader words a schema's `pattern` failure with the rule whose pattern it is.
#[derive(Debug, Clone, Copy)]
pub struct NameRule {
    /// The regular expression, as the JSON Schema embeds it.
    pub pattern: &'static str,
    /// What the rule names, for messages: "branch name".
    pub noun: &'static str,
    /// Returns why a name breaks the rule; `Ok` exactly when the pattern matches.
    pub check: fn(&str) -> Result<(), String>,
}

/// Every naming rule the JSON Schema uses.
pub const RULES: &[NameRule] = &[
    NameRule {
        pattern: REPOSITORY_PATTERN,
        noun: "repository",
        check: check_repository,
    },
    NameRule {
        pattern: REPOSITORY_NAME_PATTERN,
        noun: "repository name",
        check: check_repository_name,
    },
    NameRule {
        pattern: LOGIN_PATTERN,
        noun: "user login",
        check: check_login,
    },
    NameRule {
        pattern: SLUG_PATTERN,
        noun: "slug",
        check: check_slug,
    },
    NameRule {
        pattern: SECRET_NAME_PATTERN,
        noun: "secret name",
        check: check_secret_name,
    },
    NameRule {
        pattern: ENV_VAR_PATTERN,
        noun: "environment variable name",
        check: check_env_var,
    },
    NameRule {
        pattern: BRANCH_PATTERN,
        noun: "branch name",
        check: check_branch,
    },
    NameRule {
        pattern: ENVIRONMENT_PATTERN,
        noun: "environment name",
        check: check_environment,
    },
    NameRule {
        pattern: NON_BLANK_PATTERN,
        noun: "text",
        check: check_non_blank,
    },
];

/// Returns the rule whose pattern this is.
pub fn rule_for(pattern: &str) -> Option<&'static NameRule> {
    RULES.iter().find(|rule| rule.pattern == pattern)
}

/// Checks `OWNER/NAME`.
pub fn check_repository(text: &str) -> Result<(), String> {
    if text.trim() != text {
        return Err("it must not start or end with white space".to_owned());
    }
    RepoName::parse(text).map(|_| ())
}

/// Checks a repository's name without its owner.
pub fn check_repository_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it must not be empty".to_owned());
    }
    if name == "." || name == ".." {
        return Err("`.` and `..` are not repository names".to_owned());
    }
    if name.len() > 100 {
        return Err("a repository name has at most 100 characters".to_owned());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(format!(
            "{} is not allowed; use letters, digits, `-`, `_` and `.`",
            quote(&bad.to_string())
        ));
    }
    Ok(())
}

/// Checks a user login (or an organisation's): letters, digits and single hyphens, at most
/// 39, not starting or ending with `-`; an Enterprise Managed User's ends in `_SHORTCODE`.
pub fn check_login(login: &str) -> Result<(), String> {
    let (handle, shortcode) = match login.split_once('_') {
        Some((handle, code)) => (handle, Some(code)),
        None => (login, None),
    };
    if handle.is_empty() {
        return Err("it must not be empty".to_owned());
    }
    if handle.chars().count() > 39 {
        return Err("a login has at most 39 characters".to_owned());
    }
    if let Some(bad) = login
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
    {
        return Err(format!(
            "{} is not allowed; a login has only letters, digits and `-` (and `_SHORTCODE` for a managed user)",
            quote(&bad.to_string())
        ));
    }
    if handle.starts_with('-') || handle.ends_with('-') || handle.contains("--") {
        return Err("a login does not start or end with `-`, nor has `--`".to_owned());
    }
    if let Some(code) = shortcode
        && (code.is_empty() || code.contains(['_', '-']))
    {
        return Err(
            "a managed user's login is `HANDLE_SHORTCODE`, the short code letters and digits"
                .to_owned(),
        );
    }
    Ok(())
}

/// Checks a team or app slug.
pub fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("it must not be empty".to_owned());
    }
    if slug.contains('/') {
        return Err(
            "write the slug alone, without the organisation (`ops`, not `acme/ops`)".to_owned(),
        );
    }
    if slug.len() > 100 {
        return Err("a slug has at most 100 characters".to_owned());
    }
    if let Some(bad) = slug
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
    {
        return Err(format!(
            "{} is not allowed; a slug has only letters, digits, `-` and `_` (use the slug, not the display name)",
            quote(&bad.to_string())
        ));
    }
    Ok(())
}

/// Checks a secret or variable name.
pub fn check_secret_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it must not be empty".to_owned());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(format!(
            "{} is not allowed; use only letters, digits and `_`",
            quote(&bad.to_string())
        ));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err("it must not start with a digit".to_owned());
    }
    if name.to_ascii_uppercase().starts_with("GITHUB_") {
        return Err("the `GITHUB_` prefix is reserved by GitHub".to_owned());
    }
    Ok(())
}

/// Checks an environment variable name (`from_env`).
pub fn check_env_var(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err("an environment variable name has letters, digits and `_`, and does not start with a digit".to_owned())
    }
}

/// Checks an environment name.
pub fn check_environment(name: &str) -> Result<(), String> {
    if name.is_empty() || name.chars().count() > 255 {
        return Err("it must be 1 to 255 characters".to_owned());
    }
    if name == "." || name == ".." {
        return Err("`.` and `..` are not environment names".to_owned());
    }
    if let Some(bad) = name.chars().find(|c| is_unprintable(*c)) {
        return Err(unprintable(bad));
    }
    Ok(())
}

/// Checks that text is not empty or only white space, and holds no character that changes
/// how output reads.
pub fn check_non_blank(text: &str) -> Result<(), String> {
    if let Some(bad) = text.chars().find(|c| is_unprintable(*c)) {
        return Err(unprintable(bad));
    }
    if text.chars().any(|c| !c.is_whitespace()) {
        Ok(())
    } else {
        Err("it must not be empty or blank".to_owned())
    }
}

fn unprintable(c: char) -> String {
    format!(
        "{} is not allowed: control characters, line separators and bidirectional controls change how the name is shown",
        crate::output::untrusted::quote(&c.to_string())
    )
}

/// Checks an exact branch name against git's ref-name rules.
pub fn check_branch(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it must not be empty".to_owned());
    }
    if let Some(wild) = name.chars().find(|c| matches!(c, '*' | '?' | '[')) {
        return Err(format!(
            "{} is not allowed: branch protection takes exact branch names, not patterns",
            quote(&wild.to_string())
        ));
    }
    if let Some(bad) = name.chars().find(|c| {
        c.is_ascii_whitespace() || c.is_ascii_control() || matches!(c, '~' | '^' | ':' | '\\')
    }) {
        return Err(format!(
            "{} is not allowed in a branch name",
            quote(&bad.to_string())
        ));
    }
    if name.contains("..") {
        return Err("`..` is not allowed in a branch name".to_owned());
    }
    if name.contains("@{") || name == "@" {
        return Err("`@{` and a lone `@` are not allowed in a branch name".to_owned());
    }
    if name.starts_with(['-', '/']) {
        return Err("it must not start with `-` or `/`".to_owned());
    }
    if name.ends_with(['/', '.']) {
        return Err("it must not end with `/` or `.`".to_owned());
    }
    if name.contains("//") {
        return Err("`//` is not allowed in a branch name".to_owned());
    }
    for component in name.split('/') {
        if component.starts_with('.') {
            return Err("a part of the name must not start with `.`".to_owned());
        }
        #[expect(
            clippy::case_sensitive_file_extension_comparisons,
            reason = "git's rule is about the exact suffix `.lock`, not a file extension"
        )]
        let locked = component.ends_with(".lock");
        if locked {
            return Err("a part of the name must not end with `.lock`".to_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod model_tests;
#[cfg(test)]
mod tests;
