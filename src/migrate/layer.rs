//! The edits one layer of a policy file needs for a migration (a repository policy is one
//! layer, at the top; an organisation policy's `defaults`, groups and `repositories` entries
//! are others): the new rulesets added to its `rulesets` (made after `branches` when it has
//! none), the branches taken over declared `protected: false`, and a finished trial
//! switched to `active`.

use std::collections::BTreeMap;

use super::Migration;
use super::edit::Edit;
use crate::policy::Segment;

/// Returns the edits of `migration` in the layer at `parent` (empty: the document).
pub fn edits(migration: &Migration, parent: &[Segment]) -> Result<Vec<Edit>, String> {
    let under = |keys: &[&str]| -> Vec<Segment> {
        parent
            .iter()
            .cloned()
            .chain(keys.iter().map(|k| Segment::Key((*k).to_owned())))
            .collect()
    };
    let mut edits = Vec::new();
    let mut entries = String::new();
    for planned in &migration.rulesets {
        if planned.trial {
            if !migration.evaluate {
                edits.push(Edit::Remove {
                    path: under(&["rulesets", &planned.name, "enforcement"]),
                });
            }
            continue;
        }
        if !entries.is_empty() {
            entries.push('\n');
        }
        entries.push_str("# Takes over the classic protection of ");
        entries.push_str(&crate::output::untrusted::escape(&listed(
            &planned.branches,
        )));
        entries.push_str(" (gh-policy migrate).\n");
        let one = BTreeMap::from([(planned.name.as_str(), &planned.ruleset)]);
        entries.push_str(&serde_saphyr::to_string(&one).map_err(|err| err.to_string())?);
    }
    if !entries.is_empty() {
        edits.push(Edit::Append {
            parent: parent.to_vec(),
            key: "rulesets".to_owned(),
            after: "branches".to_owned(),
            entries,
        });
    }
    for branch in &migration.unprotected {
        edits.push(Edit::Replace {
            path: under(&["branches", branch]),
            body: "protected: false".to_owned(),
        });
    }
    Ok(edits)
}

/// `main`, `stage and dev`, `a, b and c`.
pub fn listed(branches: &[String]) -> String {
    match branches {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Returns the branches of the layer at `parent` in the order the file writes them.
pub fn branch_order(document: &serde_json::Value, parent: &[Segment]) -> Vec<String> {
    let mut value = document;
    for segment in parent {
        value = match segment {
            Segment::Key(key) => &value[key.as_str()],
            Segment::Index(i) => &value[*i],
        };
    }
    value["branches"]
        .as_object()
        .map(|branches| branches.keys().cloned().collect())
        .unwrap_or_default()
}
