//! Where a change is: the resource it is about (`Address`) and, inside it, the setting
//! (`SettingPath`). Both are written as dotted text in policy terms — `branches.main`,
//! `environments.prod.secrets.KEY`, `pull_request.required_approvals` — and that text is
//! the JSON plan's contract (DESIGN §3): `Display` writes it, `parse` reads it back.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ResourceKind;

/// The resource a change is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Address {
    /// Classic protection of a branch (`branches.NAME`).
    Branch(String),
    /// A deployment environment's own settings (`environments.NAME`).
    Environment(String),
    /// One custom deployment branch or tag pattern of an environment
    /// (`environments.NAME.deployment_branches.PATTERN`).
    DeploymentPattern {
        /// The environment.
        environment: String,
        /// The pattern as written.
        pattern: String,
    },
    /// One environment secret (`environments.NAME.secrets.SECRET`).
    Secret {
        /// The environment.
        environment: String,
        /// The secret's name.
        name: String,
    },
    /// One environment variable (`environments.NAME.variables.VARIABLE`).
    Variable {
        /// The environment.
        environment: String,
        /// The variable's name.
        name: String,
    },
    /// A repository ruleset (`rulesets.NAME`).
    Ruleset(String),
    /// A requirement on a branch's effective protection (`requirements.KEY`).
    Requirement(String),
    /// The repository's merge settings (`settings`).
    Settings,
    /// The repository's security features (`security`).
    Security,
    /// The repository's Actions permissions (`actions`).
    Actions,
}

/// The sub-resources of an environment, as their addresses name them.
const DEPLOYMENT_BRANCHES: &str = "deployment_branches";
const SECRETS: &str = "secrets";
const VARIABLES: &str = "variables";

impl Address {
    /// Returns the kind of resource at this address.
    pub fn kind(&self) -> ResourceKind {
        match self {
            Self::Branch(_) => ResourceKind::BranchProtection,
            Self::Environment(_) => ResourceKind::Environment,
            Self::DeploymentPattern { .. } => ResourceKind::DeploymentBranchPolicy,
            Self::Secret { .. } => ResourceKind::Secret,
            Self::Variable { .. } => ResourceKind::Variable,
            Self::Ruleset(_) => ResourceKind::Ruleset,
            Self::Requirement(_) => ResourceKind::Requirement,
            Self::Settings => ResourceKind::RepositorySettings,
            Self::Security => ResourceKind::Security,
            Self::Actions => ResourceKind::Actions,
        }
    }

    /// Returns an environment's sub-resource of that kind (`secrets`, `variables`,
    /// `deployment_branches`), named `name`.
    pub fn in_environment(environment: &str, kind: &str, name: &str) -> Option<Self> {
        let (environment, name) = (environment.to_owned(), name.to_owned());
        Some(match kind {
            SECRETS => Self::Secret { environment, name },
            VARIABLES => Self::Variable { environment, name },
            DEPLOYMENT_BRANCHES => Self::DeploymentPattern {
                environment,
                pattern: name,
            },
            _ => return None,
        })
    }

    /// Reads an address as `Display` writes it; `None` for text that is not one. An
    /// environment's sub-resource is found at the first `.secrets.`, `.variables.` or
    /// `.deployment_branches.` (names of environments do not contain them).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "settings" => return Some(Self::Settings),
            "security" => return Some(Self::Security),
            "actions" => return Some(Self::Actions),
            _ => {}
        }
        let (section, rest) = text.split_once('.')?;
        if rest.is_empty() {
            return None;
        }
        let named = rest.to_owned();
        Some(match section {
            "branches" => Self::Branch(named),
            "rulesets" => Self::Ruleset(named),
            "requirements" => Self::Requirement(named),
            "environments" => {
                let sub = [DEPLOYMENT_BRANCHES, SECRETS, VARIABLES]
                    .into_iter()
                    .filter_map(|kind| {
                        rest.find(&format!(".{kind}."))
                            .map(|at| (at, kind, &rest[at + kind.len() + 2..]))
                    })
                    .min_by_key(|(at, _, _)| *at);
                match sub {
                    Some((at, kind, name)) if at > 0 && !name.is_empty() => {
                        Self::in_environment(&rest[..at], kind, name)?
                    }
                    _ => Self::Environment(named),
                }
            }
            _ => return None,
        })
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Branch(name) => write!(f, "branches.{name}"),
            Self::Environment(name) => write!(f, "environments.{name}"),
            Self::DeploymentPattern {
                environment,
                pattern,
            } => write!(
                f,
                "environments.{environment}.{DEPLOYMENT_BRANCHES}.{pattern}"
            ),
            Self::Secret { environment, name } => {
                write!(f, "environments.{environment}.{SECRETS}.{name}")
            }
            Self::Variable { environment, name } => {
                write!(f, "environments.{environment}.{VARIABLES}.{name}")
            }
            Self::Ruleset(name) => write!(f, "rulesets.{name}"),
            Self::Requirement(key) => write!(f, "requirements.{key}"),
            Self::Settings => f.write_str("settings"),
            Self::Security => f.write_str("security"),
            Self::Actions => f.write_str("actions"),
        }
    }
}

impl PartialEq<str> for Address {
    fn eq(&self, text: &str) -> bool {
        Self::parse(text).is_some_and(|address| address == *self)
    }
}

impl PartialEq<&str> for Address {
    fn eq(&self, text: &&str) -> bool {
        *self == **text
    }
}

impl Serialize for Address {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A setting inside a resource: its keys from the resource down, in policy terms.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SettingPath(Vec<String>);

impl SettingPath {
    /// Reads a dotted path (`pull_request.required_approvals`).
    pub fn parse(dotted: &str) -> Self {
        Self(dotted.split('.').map(str::to_owned).collect())
    }

    /// Returns the keys, outermost first.
    pub fn keys(&self) -> &[String] {
        &self.0
    }

    /// Returns true when this path is `other` or one of its sections: `pull_request`
    /// covers `pull_request.required_approvals`.
    pub fn covers(&self, other: &Self) -> bool {
        other.0.starts_with(&self.0)
    }

    /// Returns true when this path lies inside `section` and is not `section` itself.
    pub fn is_inside(&self, section: &Self) -> bool {
        self.0.len() > section.0.len() && section.covers(self)
    }
}

impl From<&str> for SettingPath {
    fn from(dotted: &str) -> Self {
        Self::parse(dotted)
    }
}

impl From<&String> for SettingPath {
    fn from(dotted: &String) -> Self {
        Self::parse(dotted)
    }
}

impl From<String> for SettingPath {
    fn from(dotted: String) -> Self {
        Self::parse(&dotted)
    }
}

impl PartialEq<str> for SettingPath {
    fn eq(&self, dotted: &str) -> bool {
        self.0.iter().map(String::as_str).eq(dotted.split('.'))
    }
}

impl PartialEq<&str> for SettingPath {
    fn eq(&self, dotted: &&str) -> bool {
        *self == **dotted
    }
}

impl fmt::Display for SettingPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

impl Serialize for SettingPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SettingPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_reads_back_as_written() {
        let environment = || "prod.eu".to_owned();
        let addresses = [
            Address::Branch("release/v1.2".into()),
            Address::Environment(environment()),
            Address::DeploymentPattern {
                environment: environment(),
                pattern: "release/*.x".into(),
            },
            Address::Secret {
                environment: environment(),
                name: "KEY".into(),
            },
            Address::Variable {
                environment: environment(),
                name: "URL".into(),
            },
            Address::Ruleset("protect main".into()),
            Address::Requirement("~DEFAULT_BRANCH".into()),
            Address::Settings,
            Address::Security,
            Address::Actions,
        ];
        for address in addresses {
            let text = address.to_string();
            assert_eq!(Address::parse(&text), Some(address), "{text}");
        }
        assert_eq!(
            Address::Secret {
                environment: "prod".into(),
                name: "KEY".into()
            }
            .to_string(),
            "environments.prod.secrets.KEY"
        );
        assert_eq!(Address::parse("branches."), None);
        assert_eq!(Address::parse("teams.core"), None);
        assert_eq!(Address::parse("settings.merge_methods"), None);
    }

    #[test]
    fn a_path_covers_itself_and_what_is_inside_it_only() {
        let section = SettingPath::parse("pull_request");
        let inside = SettingPath::parse("pull_request.required_approvals");
        assert!(section.covers(&inside) && section.covers(&section));
        assert!(inside.is_inside(&section) && !section.is_inside(&section));
        assert!(!SettingPath::parse("pull").covers(&inside));
        assert_eq!(inside.to_string(), "pull_request.required_approvals");
        assert!(inside == "pull_request.required_approvals");
    }
}
