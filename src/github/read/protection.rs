//! Classic protection of the listed branches (and of every protected branch when pruning).

use std::collections::{BTreeMap, BTreeSet};

use futures::future::try_join_all;

use crate::github::api::{ProtectionRead, reads};
use crate::github::convert::protection::branch_from;
use crate::github::error::ApiError;
use crate::github::rest::RestReader;
use crate::model::names::{BranchName, RepoName};
use crate::model::{Branch, RepoSettings};

pub(super) async fn read_branches(
    github: &RestReader,
    repo: &RepoName,
    desired: &RepoSettings,
) -> Result<(BTreeMap<BranchName, Branch>, BTreeSet<String>), ApiError> {
    let mut names: BTreeSet<BranchName> = desired.branches.keys().cloned().collect();
    if desired.prune.branch_protection {
        names.extend(github.read(reads::protected_branches(repo)).await?);
    }
    let reads = try_join_all(names.iter().map(|name| read_protection(github, repo, name))).await?;
    let mut branches = BTreeMap::new();
    let mut missing = BTreeSet::new();
    for (name, branch) in names.into_iter().zip(reads) {
        match branch {
            Some(branch) => {
                branches.insert(name, branch);
            }
            None => {
                missing.insert(name.into());
            }
        }
    }
    Ok((branches, missing))
}

/// Reads one branch's protection: `Some(branch)` (protected or not), `None` when the branch
/// does not exist.
async fn read_protection(
    github: &RestReader,
    repo: &RepoName,
    branch: &str,
) -> Result<Option<Branch>, ApiError> {
    match github.read(reads::branch_protection(repo, branch)).await? {
        ProtectionRead::Protected(protection) => {
            let signatures = match &protection.required_signatures {
                Some(flag) => flag.enabled,
                None => {
                    github
                        .read(reads::required_signatures(repo, branch))
                        .await?
                }
            };
            Ok(Some(branch_from(*protection, signatures)))
        }
        ProtectionRead::NotProtected => Ok(Some(Branch::unprotected())),
        ProtectionRead::BranchMissing => Ok(None),
    }
}
