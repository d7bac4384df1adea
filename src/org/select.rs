//! Which repositories a selection picks: name globs (any may match) and custom property
//! values (all must match; for a multi-select property, the value is one of the
//! repository's).

use std::collections::BTreeMap;

use crate::model::Select;
use crate::model::ref_pattern::fnmatch_name;

/// Returns true when the selection picks the repository.
pub fn selects(select: &Select, name: &str, properties: &BTreeMap<String, Vec<String>>) -> bool {
    let named = select.names.is_empty() || select.names.iter().any(|glob| name_matches(glob, name));
    named
        && select.properties.iter().all(|(property, value)| {
            properties
                .get(property.as_str())
                .is_some_and(|values| values.iter().any(|v| v == value))
        })
}

/// Returns true when a name glob matches a repository name (GitHub matches repository
/// names without case).
pub fn name_matches(glob: &str, name: &str) -> bool {
    fnmatch_name(&glob.to_lowercase(), &name.to_lowercase())
}

/// Returns true when the repository is in shard `index` (1-based) of `count`: a stable
/// share by a hash of `OWNER/NAME`, so adding a repository does not move the others.
pub fn in_shard(full_name: &str, index: u32, count: u32) -> bool {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(full_name.to_lowercase().as_bytes());
    let value = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
    count == 0 || value % count == index.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_properties_both_select() {
        let select = Select {
            names: vec!["svc-*".into()],
            properties: [(
                crate::model::names::Text::parse("tier").unwrap(),
                "critical".to_owned(),
            )]
            .into(),
        };
        let critical: BTreeMap<String, Vec<String>> =
            [("tier".to_owned(), vec!["critical".to_owned()])].into();
        assert!(selects(&select, "svc-api", &critical));
        assert!(selects(&select, "SVC-Api", &critical));
        assert!(!selects(&select, "web", &critical));
        assert!(!selects(&select, "svc-api", &BTreeMap::new()));
        assert!(selects(&Select::default(), "anything", &BTreeMap::new()));
    }

    #[test]
    fn shards_partition_repositories_stably() {
        let names: Vec<String> = (0..300).map(|i| format!("acme/repo-{i}")).collect();
        let mut seen = 0;
        for index in 1..=4 {
            let count = names.iter().filter(|n| in_shard(n, index, 4)).count();
            assert!(count > 40, "shard {index} has {count}");
            seen += count;
        }
        assert_eq!(seen, 300, "every repository in exactly one shard");
        // A repository's shard is its name's alone, in any case, and the same in every
        // release: CI jobs split by `--shard` keep their repositories.
        assert!(in_shard("acme/repo-7", 1, 4));
        assert!(in_shard("ACME/Repo-7", 1, 4));
        assert!(in_shard("acme/web", 3, 4));
        assert!(in_shard("acme/web", 2, 3));
    }
}
