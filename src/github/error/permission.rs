//! The permissions a token may lack, named as GitHub's token settings show them, and the
//! names of those a 403 says GitHub accepts.

use crate::output::untrusted;

/// A permission of a fine-grained token, named as GitHub's token settings show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Repository administration, read: classic protection, rulesets with bypass actors.
    AdministrationRead,
    /// Repository administration, write: protection, environments, rulesets.
    AdministrationWrite,
    /// Actions, read: environments and their deployment branch policies.
    ActionsRead,
    /// Environments, read: environment secrets and variables.
    EnvironmentsRead,
    /// Environments, write.
    EnvironmentsWrite,
    /// Contents, read: branches.
    ContentsRead,
    /// Organization members, read: teams.
    MembersRead,
    /// Metadata, read: the organisation's repositories.
    MetadataRead,
    /// Organization administration, read: organisation rulesets.
    OrganizationAdministrationRead,
    /// Custom properties (organisation), read: the repositories' property values.
    CustomPropertiesRead,
    /// Checks, read: what reported a commit's checks.
    ChecksRead,
    /// Organization administration, write: organisation rulesets with their bypass actors.
    OrganizationAdministrationWrite,
    /// Issues, write: the drift issue and its label.
    IssuesWrite,
    /// Pull requests, write: the plan's comment and label on a pull request.
    PullRequestsWrite,
    /// Pull requests, read: the last merged pull request into a branch.
    PullRequestsRead,
    /// Commit statuses, read: the legacy statuses of a commit.
    CommitStatusesRead,
}

impl Permission {
    /// Returns the name GitHub's token settings use, e.g. `Administration: read`.
    pub fn label(self) -> &'static str {
        match self {
            Self::AdministrationRead => "Administration: read",
            Self::AdministrationWrite => "Administration: write",
            Self::ActionsRead => "Actions: read",
            Self::EnvironmentsRead => "Environments: read",
            Self::EnvironmentsWrite => "Environments: write",
            Self::ContentsRead => "Contents: read",
            Self::MembersRead => "Organization members: read",
            Self::MetadataRead => "Metadata: read",
            Self::OrganizationAdministrationRead => "Organization administration: read",
            Self::CustomPropertiesRead => "Custom properties: read (organization)",
            Self::ChecksRead => "Checks: read",
            Self::OrganizationAdministrationWrite => "Organization administration: write",
            Self::IssuesWrite => "Issues: write",
            Self::PullRequestsWrite => "Pull requests: write",
            Self::PullRequestsRead => "Pull requests: read",
            Self::CommitStatusesRead => "Commit statuses: read",
        }
    }

    /// Returns the hint for a token that lacks this permission.
    pub fn hint(self) -> String {
        match self {
            // Only an organisation owner may edit the organisation's rulesets.
            Self::OrganizationAdministrationWrite => format!(
                "the token needs \"{}\" on the organisation (a fine-grained token of an organisation owner, or a GitHub App's installation), or an organisation owner's classic token with the `admin:org` scope",
                self.label()
            ),
            Self::MembersRead
            | Self::OrganizationAdministrationRead
            | Self::CustomPropertiesRead => format!(
                "the token needs \"{}\" on the organisation (fine-grained token), or the `read:org` scope (classic token)",
                self.label()
            ),
            _ => format!(
                "the token needs \"{}\" on this repository (fine-grained token), or the `repo` scope (classic token)",
                self.label()
            ),
        }
    }
}

/// Turns `x-accepted-github-permissions` (`administration=read; contents=read,metadata=read`)
/// into the names GitHub's token settings show (`Administration: read`).
pub fn permission_names(header: &str) -> String {
    let name = |item: &str| {
        let (name, level) = item.trim().split_once('=')?;
        let name = name.trim().replace('_', " ");
        let mut chars = name.chars();
        let first = chars.next()?;
        Some(format!(
            "{}{}: {}",
            first.to_uppercase(),
            chars.as_str(),
            level.trim()
        ))
    };
    let names = header
        .split(';')
        .map(|set| {
            set.split(',')
                .filter_map(name)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|set| !set.is_empty())
        .collect::<Vec<_>>()
        .join(" or ");
    untrusted::escape(&names).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_permissions_read_as_github_shows_them() {
        assert_eq!(
            permission_names("administration=read"),
            "Administration: read"
        );
        assert_eq!(
            permission_names("pull_requests=write, contents=read; metadata=read"),
            "Pull requests: write, Contents: read or Metadata: read"
        );
        assert_eq!(permission_names("garbage"), "");
    }
}
