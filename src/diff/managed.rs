//! The resources a policy manages, at the addresses the plan's changes use: what a report
//! that lists every resource, drifting or not (JUnit's test cases), is made of.

use crate::model::{DeploymentBranches, RepoSettings};
use crate::plan::ResourceKind;

/// Returns every resource the policy manages, in the plan's order of sections: branches,
/// rulesets, requirements, then each environment with its deployment patterns, secrets and
/// variables. Resources the policy only prunes are not listed (nothing names them).
pub fn managed_resources(policy: &RepoSettings) -> Vec<(String, ResourceKind)> {
    let mut resources = Vec::new();
    for name in policy.branches.keys() {
        resources.push((format!("branches.{name}"), ResourceKind::BranchProtection));
    }
    for name in policy.rulesets.keys() {
        resources.push((format!("rulesets.{name}"), ResourceKind::Ruleset));
    }
    for key in policy.requirements.keys() {
        resources.push((format!("requirements.{key}"), ResourceKind::Requirement));
    }
    for (name, environment) in &policy.environments {
        resources.push((format!("environments.{name}"), ResourceKind::Environment));
        if let DeploymentBranches::Custom(patterns) = &environment.deployment_branches {
            for pattern in patterns {
                resources.push((
                    format!("environments.{name}.deployment_branches.{pattern}"),
                    ResourceKind::DeploymentBranchPolicy,
                ));
            }
        }
        for secret in &environment.secrets {
            resources.push((
                format!("environments.{name}.secrets.{}", secret.name),
                ResourceKind::Secret,
            ));
        }
        for variable in environment.variables.keys() {
            resources.push((
                format!("environments.{name}.variables.{variable}"),
                ResourceKind::Variable,
            ));
        }
    }
    resources
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_the_policy_names_is_listed_at_its_plan_address() {
        let policy = crate::policy::parse(
            "policy.yaml",
            "\
version: 1
branches: { main: {}, legacy: { protected: false } }
rulesets: { main: { include: [main], rules: { restrict_deletions: true } } }
requirements: { main: { required_approvals: 1 } }
environments:
  production:
    deployment_branches: [main, { tag: v* }]
    secrets: [SSH_HOST]
    variables: { URL: x }
",
        )
        .unwrap();
        let addresses: Vec<String> = managed_resources(&policy)
            .into_iter()
            .map(|(address, _)| address)
            .collect();
        assert_eq!(
            addresses,
            [
                "branches.legacy",
                "branches.main",
                "rulesets.main",
                "requirements.main",
                "environments.production",
                "environments.production.deployment_branches.main",
                "environments.production.deployment_branches.tag:v*",
                "environments.production.secrets.SSH_HOST",
                "environments.production.variables.URL",
            ]
        );
    }
}
