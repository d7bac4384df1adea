//! Why the live side could not be read: a call that failed, or names the policy writes that
//! GitHub does not know, each reported where the policy writes it with the closest known
//! name.

use super::names;
use crate::github::error::ApiError;
use crate::model::RepoSettings;
use crate::output::untrusted;

/// Why the live side could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A call failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Names the policy would write that GitHub does not know.
    #[error("the policy names {} that {} not exist (or that the token cannot see)", names(.0), if .0.len() == 1 { "does" } else { "do" })]
    UnknownNames(Vec<UnknownName>),
}

/// A user, team or app the policy names that GitHub does not know (or the token cannot
/// see), with the closest known name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// What it names.
    pub kind: NameKind,
    /// The name, lower-case.
    pub name: String,
    /// The closest name GitHub knows, if one is close.
    pub suggestion: Option<String>,
}

/// The kinds of names a policy writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A user, by login.
    User,
    /// A team of the organisation, by slug.
    Team,
    /// A GitHub App, by slug.
    App,
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            NameKind::User => "user",
            NameKind::Team => "team",
            NameKind::App => "GitHub App",
        };
        write!(f, "{kind} {}", untrusted::quote(&self.name))?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, " (did you mean {}?)", untrusted::quote(suggestion))?;
        }
        Ok(())
    }
}

fn names(unknown: &[UnknownName]) -> String {
    unknown
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<ReadError> for crate::Error {
    fn from(err: ReadError) -> Self {
        match err {
            ReadError::Api(err) => err.into(),
            err @ ReadError::UnknownNames(_) => crate::Error::new(err.to_string()).with_hint(
                "check the spelling in the policy: users by login, teams and apps by slug",
            ),
        }
    }
}

impl ReadError {
    /// Returns the error, each unknown name at the places the policy writes it: a
    /// policy merged from `layers` of the file `located` (`[[]]` for a repository policy).
    pub fn located(
        self,
        desired: &RepoSettings,
        layers: &[Vec<crate::policy::Segment>],
        located: &crate::policy::Located,
    ) -> crate::Error {
        let ReadError::UnknownNames(unknown) = self else {
            return self.into();
        };
        let mut error = crate::Error::new(format!(
            "the policy names {} that GitHub does not know (or that the token cannot see)",
            if unknown.len() == 1 {
                "1 user, team or app".to_owned()
            } else {
                format!("{} users, teams or apps", unknown.len())
            }
        ));
        for name in &unknown {
            let places = names::places(desired, name);
            let at = places
                .first()
                .map_or_else(|| located.display.clone(), |path| located.at(layers, path));
            error = error.detail(format!("{at}: {name}"));
        }
        error.with_hint("check the spelling: users by login, teams and apps by slug")
    }
}
