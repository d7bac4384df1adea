//! The resources a policy manages, at the addresses the plan's changes use: what a report
//! that lists every resource, drifting or not (JUnit's test cases), is made of.

use crate::model::{DeploymentBranches, RepoSettings};
use crate::plan::Address;

/// Returns every resource the policy manages, in the plan's order of sections: branches,
/// rulesets, requirements, then each environment with its deployment patterns, secrets and
/// variables. Resources the policy only prunes are not listed (nothing names them).
pub fn managed_resources(policy: &RepoSettings) -> Vec<Address> {
    let mut resources: Vec<Address> = (policy
        .branches
        .keys()
        .map(|b| Address::Branch(b.to_string())))
    .chain(
        policy
            .rulesets
            .keys()
            .map(|r| Address::Ruleset(r.to_string())),
    )
    .chain(
        policy
            .requirements
            .keys()
            .cloned()
            .map(Address::Requirement),
    )
    .collect();
    for (name, environment) in &policy.environments {
        let environment_name = || name.to_string();
        resources.push(Address::Environment(environment_name()));
        if let DeploymentBranches::Custom(patterns) = &environment.deployment_branches {
            resources.extend(patterns.iter().map(|pattern| Address::DeploymentPattern {
                environment: environment_name(),
                pattern: pattern.to_string(),
            }));
        }
        resources.extend(environment.secrets.iter().map(|secret| Address::Secret {
            environment: environment_name(),
            name: secret.name.to_string(),
        }));
        resources.extend(
            environment
                .variables
                .keys()
                .map(|variable| Address::Variable {
                    environment: environment_name(),
                    name: variable.to_string(),
                }),
        );
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
            .iter()
            .map(ToString::to_string)
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
