//! Classic protection of the listed branches (and of every protected branch when pruning).

use std::collections::{BTreeMap, BTreeSet};

use futures::future::try_join_all;

use crate::github::api::{GithubRead, ProtectionRead};
use crate::github::convert::protection::branch_from;
use crate::github::error::ApiError;
use crate::model::{Branch, RepoSettings};
use crate::names::RepoName;

pub(super) async fn read_branches(
    github: &dyn GithubRead,
    repo: &RepoName,
    desired: &RepoSettings,
) -> Result<(BTreeMap<String, Branch>, BTreeSet<String>), ApiError> {
    let mut names: BTreeSet<String> = desired.branches.keys().cloned().collect();
    if desired.prune.branch_protection {
        names.extend(github.protected_branches(repo).await?);
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
                missing.insert(name);
            }
        }
    }
    Ok((branches, missing))
}

/// Reads one branch's protection: `Some(branch)` (protected or not), `None` when the branch
/// does not exist.
async fn read_protection(
    github: &dyn GithubRead,
    repo: &RepoName,
    branch: &str,
) -> Result<Option<Branch>, ApiError> {
    match github.branch_protection(repo, branch).await? {
        ProtectionRead::Protected(protection) => {
            let signatures = match &protection.required_signatures {
                Some(flag) => flag.enabled,
                None => github.required_signatures(repo, branch).await?,
            };
            Ok(Some(branch_from(*protection, signatures)))
        }
        ProtectionRead::NotProtected => Ok(Some(Branch::unprotected())),
        ProtectionRead::BranchMissing => Ok(None),
    }
}
