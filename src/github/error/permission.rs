//! The permissions a token may lack, named as GitHub's token settings show them, and the
//! names of those a 403 says GitHub accepts.

use crate::untrusted;

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
        }
    }

    /// Returns the hint for a token that lacks this permission.
    pub fn hint(self) -> String {
        let classic = if matches!(
            self,
            Self::MembersRead | Self::OrganizationAdministrationRead
        ) {
            "the `read:org` scope"
        } else {
            "the `repo` scope"
        };
        format!(
            "the token needs \"{}\" on this repository (fine-grained token), or {classic} (classic token)",
            self.label()
        )
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
