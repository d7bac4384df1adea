//! The one query the bulk reader sends: `BATCH` repositories of one owner by alias
//! (`r0`, `r1`, …), each with its name, flags, default branch, the caller's permission, its
//! classic branch protection rules, its rulesets (with the organisation's that apply), its
//! branches' names and its collaborators with their permission (for findings), and
//! `rateLimit`. Names travel as variables, so no
//! value can change the query's text; only how many repositories it asks for does.
//!
//! The text is checked against GitHub's published schema by a test (the emulator checks it
//! again on every query), and `answer` deserialises exactly these fields.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::model::names::RepoName;

/// Repositories per query (DESIGN §16: at most one GraphQL request per 25 repositories).
pub const BATCH: usize = 25;

/// Branches and collaborators asked per repository: GitHub's largest page, as REST reads
/// them. More than this is read through REST.
pub const PEOPLE_AND_BRANCHES: u32 = 100;

/// Items asked per connection. A rule list, a rule's branches or an allowance list longer
/// than this is not followed to its next page: what it would decide is read through REST.
pub const PAGE: u32 = 20;

/// The fields of each repository.
fn repository_fields() -> String {
    let actors =
        "actor { __typename ... on User { login } ... on Team { slug } ... on App { slug } }";
    let allowances = |field: &str| {
        format!("{field}(first: {PAGE}) {{ pageInfo {{ hasNextPage }} nodes {{ {actors} }} }}")
    };
    format!(
        "nameWithOwner isArchived isFork viewerPermission defaultBranchRef {{ name }} \
         branchProtectionRules(first: {PAGE}) {{ pageInfo {{ hasNextPage }} nodes {{ \
         matchingRefs(first: {PAGE}) {{ pageInfo {{ hasNextPage }} nodes {{ name }} }} \
         isAdminEnforced requiresApprovingReviews requiredApprovingReviewCount \
         dismissesStaleReviews requiresCodeOwnerReviews requireLastPushApproval \
         restrictsReviewDismissals {} {} \
         requiresStatusChecks requiresStrictStatusChecks requiredStatusChecks {{ context app {{ databaseId }} }} \
         requiresCommitSignatures requiresLinearHistory allowsForcePushes allowsDeletions \
         blocksCreations requiresConversationResolution lockBranch lockAllowsFetchAndMerge \
         restrictsPushes {} }} }}",
        allowances("reviewDismissalAllowances"),
        allowances("bypassPullRequestAllowances"),
        allowances("pushAllowances"),
    )
}

/// The fields of each ruleset: what REST's ruleset gives that the model reads, and the
/// parameters of the rule types GraphQL shows whole.
fn ruleset_fields() -> String {
    format!(
        "rulesets(first: {PAGE}, includeParents: true) {{ pageInfo {{ hasNextPage }} nodes {{ \
         databaseId name enforcement target \
         source {{ __typename ... on Repository {{ nameWithOwner }} ... on Organization {{ login }} }} \
         conditions {{ refName {{ include exclude }} }} \
         bypassActors(first: {PAGE}) {{ pageInfo {{ hasNextPage }} nodes {{ \
         actor {{ __typename ... on App {{ databaseId }} ... on Team {{ databaseId }} }} \
         bypassMode deployKey organizationAdmin repositoryRoleDatabaseId }} }} \
         rules(first: {PAGE}) {{ pageInfo {{ hasNextPage }} nodes {{ type parameters {{ __typename \
         ... on RequiredStatusChecksParameters {{ doNotEnforceOnCreate strictRequiredStatusChecksPolicy \
         requiredStatusChecks {{ context integrationId }} }} \
         ... on RequiredDeploymentsParameters {{ requiredDeploymentEnvironments }} \
         ... on UpdateParameters {{ updateAllowsFetchAndMerge }} }} }} }} }} }}"
    )
}

/// The fields findings read (DESIGN §13): the branches' names and the collaborators with
/// their permission (REST's `…/branches` and `…/collaborators?permission=push`).
fn finding_fields() -> String {
    let first = PEOPLE_AND_BRANCHES;
    format!(
        "refs(refPrefix: \"refs/heads/\", first: {first}) {{ pageInfo {{ hasNextPage }} nodes {{ name }} }} \
         collaborators(affiliation: ALL, first: {first}) {{ pageInfo {{ hasNextPage }} \
         edges {{ permission node {{ login }} }} }}"
    )
}

/// Returns the query for `count` repositories of one owner.
pub fn text(count: usize) -> String {
    let fields = format!(
        "{} {} {}",
        repository_fields(),
        ruleset_fields(),
        finding_fields()
    );
    let mut query = String::from("query($owner: String!");
    for i in 0..count {
        let _ = write!(query, ", $r{i}: String!");
    }
    query.push_str(") { rateLimit { cost remaining resetAt } ");
    for i in 0..count {
        let _ = write!(
            query,
            "r{i}: repository(owner: $owner, name: $r{i}) {{ {fields} }} "
        );
    }
    query.push('}');
    query
}

/// Returns the variables for the repositories of one owner, in alias order.
pub fn variables(repos: &[&RepoName]) -> Value {
    let mut vars = Map::new();
    if let Some(first) = repos.first() {
        vars.insert("owner".into(), Value::String(first.owner.clone()));
    }
    for (i, repo) in repos.iter().enumerate() {
        vars.insert(format!("r{i}"), Value::String(repo.name.clone()));
    }
    Value::Object(vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_is_valid_against_githubs_schema() {
        for count in [1, 2, BATCH] {
            let problems = gh_policy_emulator::graphql::check_query(&text(count));
            assert_eq!(problems, Vec::<String>::new(), "{count} repositories");
        }
        // The check is real: a field GitHub does not have is refused.
        let broken = text(1).replace("lockBranch", "lockedBranch");
        assert_eq!(
            gh_policy_emulator::graphql::check_query(&broken),
            ["Field 'lockedBranch' doesn't exist on type 'BranchProtectionRule'"]
        );
    }

    #[test]
    fn names_travel_as_variables_never_in_the_text() {
        let a = RepoName::parse("acme/web").expect("a name");
        let b = RepoName::parse("acme/api").expect("a name");
        let vars = variables(&[&a, &b]);
        assert_eq!(vars["owner"], "acme");
        assert_eq!(vars["r1"], "api");
        assert!(!text(2).contains("acme") && !text(2).contains("web"));
    }
}
