//! Where a plan's change is declared in the policy file: the line of the resource, or of one
//! of its settings, for GitHub Actions annotations and SARIF results.
//!
//! A repository policy declares everything at the plan's own address (`branches.main`). An
//! organisation policy declares a repository's settings in layers, and the change is
//! located in the most specific layer that declares it: the repository's `repositories`
//! entry, then the groups that select it (the last first), then `defaults`.

use super::SourceMap;
use super::source_map::Pos;
use crate::model::OrgPolicy;

/// The layers a repository's settings come from, most specific first, as dotted prefixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layers {
    prefixes: Vec<String>,
}

impl Layers {
    /// A repository policy: one layer, the whole file.
    pub fn repository() -> Self {
        Self {
            prefixes: vec![String::new()],
        }
    }

    /// The layers of an organisation policy that apply to the repository `name`, given the
    /// groups that select it (in file order).
    pub fn organization(policy: &OrgPolicy, name: &str, groups: &[String]) -> Self {
        let mut prefixes = Vec::new();
        if let Some(entry) = policy
            .repositories
            .keys()
            .find(|entry| entry.eq_ignore_ascii_case(name))
        {
            prefixes.push(format!("repositories.{entry}"));
        }
        prefixes.extend(
            groups
                .iter()
                .rev()
                .map(|group| format!("groups.{group}.policy")),
        );
        prefixes.push("defaults".to_owned());
        Self { prefixes }
    }

    /// Returns where the resource a change is about is declared: its entry in the most
    /// specific layer that has one; else, for a resource no layer lists (a deletion the
    /// policy prunes), its nearest written ancestor in the most specific layer written.
    /// Line 1, column 1 when the file maps nothing.
    pub fn resource(&self, map: &SourceMap, address: &str) -> Pos {
        let address = declaring_address(address);
        self.declaring(map, &address)
            .or_else(|| self.nearest(map, &address))
            .unwrap_or((1, 1))
    }

    /// Returns where one setting of a change is declared: where a layer writes it; else its
    /// nearest written ancestor (`pull_request` for an omitted approval count) inside the
    /// most specific layer that declares the resource; else the resource's position.
    pub fn setting(&self, map: &SourceMap, address: &str, path: &str) -> Pos {
        let resource = declaring_address(address);
        let dotted = format!("{resource}.{path}");
        self.declaring(map, &dotted)
            .or_else(|| {
                let prefix = self
                    .prefixes
                    .iter()
                    .find(|prefix| map.contains(&join(prefix, &resource)))?;
                map.locate(&join(prefix, &dotted))
            })
            .unwrap_or_else(|| self.resource(map, address))
    }

    /// The position of `dotted` in the most specific layer that writes it.
    fn declaring(&self, map: &SourceMap, dotted: &str) -> Option<Pos> {
        self.prefixes
            .iter()
            .map(|prefix| join(prefix, dotted))
            .find(|path| map.contains(path))
            .and_then(|path| map.locate(&path))
    }

    /// The nearest written ancestor of `dotted` in the most specific layer written.
    fn nearest(&self, map: &SourceMap, dotted: &str) -> Option<Pos> {
        let prefix = self
            .prefixes
            .iter()
            .find(|prefix| prefix.is_empty() || map.contains(prefix))?;
        map.locate(&join(prefix, dotted))
    }
}

fn join(prefix: &str, dotted: &str) -> String {
    if prefix.is_empty() {
        dotted.to_owned()
    } else {
        format!("{prefix}.{dotted}")
    }
}

/// Maps a plan address to the policy path that declares it: the deployment pattern and
/// secret segments name items, which the source map knows only by their list, so those
/// point at the list.
fn declaring_address(address: &str) -> String {
    let parts: Vec<&str> = address.splitn(4, '.').collect();
    match parts.as_slice() {
        [
            "environments",
            env,
            list @ ("deployment_branches" | "secrets"),
            _,
        ] => {
            format!("environments.{env}.{list}")
        }
        _ => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_addresses_point_at_their_list() {
        assert_eq!(
            declaring_address("environments.prod.secrets.KEY"),
            "environments.prod.secrets"
        );
        assert_eq!(
            declaring_address("environments.prod.deployment_branches.release/*"),
            "environments.prod.deployment_branches"
        );
        assert_eq!(
            declaring_address("environments.prod.variables.URL"),
            "environments.prod.variables.URL"
        );
        assert_eq!(declaring_address("branches.main"), "branches.main");
    }

    const REPOSITORY: &str = "\
version: 1
branches:
  main:
    pull_request:
      required_approvals: 2
  v1.2:
    enforce_admins: true
environments:
  production:
    secrets: [SSH_HOST]
";

    #[test]
    fn a_repository_policy_locates_resources_settings_and_ancestors() {
        let map = SourceMap::build(REPOSITORY);
        let layers = Layers::repository();
        assert_eq!(layers.resource(&map, "branches.main"), (3, 3));
        assert_eq!(
            layers.setting(&map, "branches.main", "pull_request.required_approvals"),
            (5, 7)
        );
        // A setting the policy leaves out is declared by its nearest written ancestor.
        assert_eq!(
            layers.setting(&map, "branches.main", "enforce_admins"),
            (3, 3)
        );
        assert_eq!(
            layers.setting(&map, "branches.main", "pull_request.dismiss_stale_reviews"),
            (4, 5)
        );
        assert_eq!(layers.resource(&map, "branches.v1.2"), (6, 3));
        assert_eq!(
            layers.resource(&map, "environments.production.secrets.SSH_HOST"),
            (10, 5)
        );
        // A pruned branch the policy does not list: its nearest ancestor.
        assert_eq!(layers.resource(&map, "branches.legacy"), (2, 1));
        assert_eq!(
            layers.resource(&SourceMap::default(), "branches.main"),
            (1, 1)
        );
    }

    const ORGANIZATION: &str = "\
version: 1
organization: acme
defaults:
  branches:
    main: { enforce_admins: true }
groups:
  services:
    select: { names: [svc-*] }
    policy:
      branches:
        main: { allow_deletions: false }
      environments:
        production: {}
repositories:
  svc-api:
    branches:
      release: {}
";

    fn org_policy() -> OrgPolicy {
        OrgPolicy {
            version: 1,
            organization: "acme".into(),
            defaults: crate::model::PolicyBody::default(),
            groups: indexmap::IndexMap::default(),
            repositories: [(
                crate::model::names::RepositoryName::parse("svc-api").unwrap(),
                crate::model::PolicyBody::default(),
            )]
            .into(),
            exclude: Vec::new(),
            written: serde_json::Value::Null,
        }
    }

    #[test]
    fn an_organisation_policy_locates_in_the_most_specific_layer() {
        let map = SourceMap::build(ORGANIZATION);
        let policy = org_policy();
        let api = Layers::organization(&policy, "SVC-API", &["services".to_owned()]);
        assert_eq!(api.resource(&map, "branches.release"), (17, 7));
        assert_eq!(api.resource(&map, "branches.main"), (11, 9));
        assert_eq!(api.resource(&map, "environments.production"), (13, 9));
        // A setting is declared where a layer writes it, else by the most specific resource.
        assert_eq!(
            api.setting(&map, "branches.main", "enforce_admins"),
            (5, 13)
        );
        assert_eq!(api.setting(&map, "branches.main", "lock_branch"), (11, 9));
        // A repository no group selects and no entry lists: `defaults`.
        let web = Layers::organization(&policy, "web", &[]);
        assert_eq!(web.resource(&map, "branches.main"), (5, 5));
        assert_eq!(
            web.setting(&map, "branches.main", "enforce_admins"),
            (5, 13)
        );
        // A deletion no layer declares: the nearest ancestor in the entry.
        assert_eq!(api.resource(&map, "environments.old"), (15, 3));
        assert_eq!(web.resource(&map, "environments.old"), (3, 1));
    }
}
