//! Groups that select by custom property, held against what the organisation defines: a
//! property it does not define, or a value a select property does not take, selects
//! nothing and would lower protection silently, so it is an error at its place in the
//! policy, with the closest name suggested.

use crate::model::OrgPolicy;
use crate::model::live::OrgProperties;
use crate::output::untrusted::quote;
use crate::policy::{Segment, closest};

/// One problem, at its place in the policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The path it is about.
    pub path: Vec<Segment>,
    /// True when it is about the key the path ends with (a name), not its value.
    pub at_key: bool,
    /// What is wrong, and what to write instead.
    pub message: String,
}

/// Returns every property name the organisation does not define and every value a
/// property does not take, written in a group's `select`.
pub fn check(policy: &OrgPolicy, properties: &OrgProperties) -> Vec<Problem> {
    let names: Vec<&str> = properties.defined.keys().map(String::as_str).collect();
    let mut problems = Vec::new();
    for (group, definition) in &policy.groups {
        for (property, value) in &definition.select.properties {
            let path = vec![
                Segment::from("groups"),
                group.as_str().into(),
                "select".into(),
                "properties".into(),
                property.as_str().into(),
            ];
            let Some(defined) = properties.defined.get(property.as_str()) else {
                let hint = closest(property, &names)
                    .map(|name| format!(" (did you mean `{name}`?)"))
                    .unwrap_or_default();
                problems.push(Problem {
                    path,
                    at_key: true,
                    message: format!(
                        "{} does not define the custom property {}{hint}: the group would select no repository",
                        quote(&policy.organization),
                        quote(property)
                    ),
                });
                continue;
            };
            let allowed: Vec<&str> = match (&defined.allowed, defined.value_type.as_str()) {
                (Some(allowed), _) => allowed.iter().map(String::as_str).collect(),
                (None, "true_false") => vec!["true", "false"],
                (None, _) => continue,
            };
            if allowed.contains(&value.as_str()) {
                continue;
            }
            let hint = closest(value, &allowed)
                .map(|name| format!("; did you mean `{name}`?"))
                .unwrap_or_default();
            problems.push(Problem {
                path,
                at_key: false,
                message: format!(
                    "{} is not a value of the custom property {} (it takes {}){hint}: the group would select no repository",
                    quote(value),
                    quote(property),
                    allowed
                        .iter()
                        .map(|v| quote(v))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    problems
}
