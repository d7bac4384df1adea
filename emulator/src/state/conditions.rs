//! Which rulesets apply where: ref name conditions, repository conditions of organisation
//! rulesets, and the effective rules of a branch.
//!
//! Ref names match case-sensitively against the full ref, `refs/heads/NAME`, with Ruby's
//! `File.fnmatch` and `FNM_PATHNAME` (see [`super::fnmatch`]); repository names match
//! case-insensitively, a leading `.` being an ordinary character.

use serde_json::{Value, json};

use super::fnmatch::{fnmatch, fnmatch_name};
use super::rulesets::{Core, Source};
use super::{Repo, World};
use crate::seed::Realism;

fn strs(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Returns whether a ruleset's `ref_name` condition selects `refs/heads/{branch}`; a ruleset
/// without one selects nothing.
pub(crate) fn ref_matches(conditions: Option<&Value>, repo: &Repo, branch: &str) -> bool {
    let Some(r) = conditions.and_then(|c| c.get("ref_name")) else {
        return false;
    };
    ref_selects(
        &strs(r.get("include")),
        &strs(r.get("exclude")),
        branch,
        &repo.repo.default_branch,
    )
}

/// Returns whether `include` and `exclude` select `refs/heads/{branch}`: `~ALL` is every
/// branch, `~DEFAULT_BRANCH` the default one, and `exclude` beats `include`.
fn ref_selects<S: AsRef<str>>(
    include: &[S],
    exclude: &[S],
    branch: &str,
    default_branch: &str,
) -> bool {
    let full = format!("refs/heads/{branch}");
    let hit = |p: &S| match p.as_ref() {
        "~ALL" => true,
        "~DEFAULT_BRANCH" => branch == default_branch,
        p => fnmatch(p, &full),
    };
    include.iter().any(hit) && !exclude.iter().any(hit)
}

fn property_matches(repo: &Repo, spec: &Value) -> bool {
    let name = spec.get("name").and_then(Value::as_str).unwrap_or("");
    let system = spec.get("source").and_then(Value::as_str) == Some("system");
    let wanted = strs(spec.get("property_values"));
    let values: Vec<String> = match repo.property(name, system) {
        Some(Value::String(s)) => vec![s],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    values.iter().any(|v| wanted.contains(&v.as_str()))
}

/// Returns whether an organisation ruleset's repository condition selects `repo`: by name
/// (`~ALL` or patterns, minus excluded ones), by id, or by custom property (every `include`
/// spec matches and no `exclude` spec does). A ruleset with none of them selects nothing.
pub(crate) fn repo_matches(conditions: Option<&Value>, repo: &Repo) -> bool {
    let Some(c) = conditions else { return false };
    if let Some(r) = c.get("repository_name") {
        let name = repo.repo.name.to_ascii_lowercase();
        let hit = |p: &str| p == "~ALL" || fnmatch_name(&p.to_ascii_lowercase(), &name);
        return strs(r.get("include")).into_iter().any(hit)
            && !strs(r.get("exclude")).into_iter().any(hit);
    }
    if let Some(r) = c.get("repository_id") {
        return r
            .get("repository_ids")
            .and_then(Value::as_array)
            .is_some_and(|ids| ids.iter().any(|i| i.as_u64() == Some(repo.repo_id)));
    }
    if let Some(r) = c.get("repository_property") {
        let inc = r.get("include").and_then(Value::as_array);
        let exc = r.get("exclude").and_then(Value::as_array);
        return inc.is_some_and(|i| i.iter().all(|s| property_matches(repo, s)))
            && !exc.is_some_and(|e| e.iter().any(|s| property_matches(repo, s)));
    }
    false
}

/// Returns the rules of an active ruleset in rendering order, each tagged with its ruleset.
fn tagged(core: &Core, realism: &Realism, source_type: &str, source: &str) -> Vec<Value> {
    super::rulesets_json::ordered_rules(core, realism)
        .into_iter()
        .map(|mut r| {
            if let Some(o) = r.as_object_mut() {
                o.insert("ruleset_source_type".into(), json!(source_type));
                o.insert("ruleset_source".into(), json!(source));
                o.insert("ruleset_id".into(), json!(core.id));
            }
            r
        })
        .collect()
}

impl World {
    /// Returns whether an organisation ruleset applies to the repository at `idx`.
    pub(crate) fn org_ruleset_applies(&self, core: &Core, idx: usize) -> bool {
        let repo = &self.repos[idx];
        self.dir.org_named(&repo.repo.owner).is_some()
            && repo_matches(core.conditions.as_ref(), repo)
    }

    /// `GET /repos/{owner}/{repo}/rules/branches/{branch}`: one item per rule of every active
    /// branch ruleset that selects the branch, the repository's rulesets first, then the
    /// organisation's, each by id. The branch need not exist.
    pub(crate) fn effective_rules(&self, idx: usize, branch: &str) -> Vec<Value> {
        let repo = &self.repos[idx];
        let active = |c: &Core| c.enforcement == "active" && c.target == "branch";
        let mut out = Vec::new();
        for r in self.rulesets(Source::Repo(idx)).values() {
            if active(&r.core) && ref_matches(r.core.conditions.as_ref(), repo, branch) {
                out.extend(tagged(
                    &r.core,
                    &self.realism,
                    "Repository",
                    &repo.full_name(),
                ));
            }
        }
        if let Some(org) = self.dir.org_named(&repo.repo.owner) {
            for r in self.org_rulesets.values() {
                if active(&r.core)
                    && self.org_ruleset_applies(&r.core, idx)
                    && ref_matches(r.core.conditions.as_ref(), repo, branch)
                {
                    out.extend(tagged(&r.core, &self.realism, "Organization", &org.login));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::fnmatch;

    /// The table the tool runs too.
    const TABLE: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/ref-patterns.json"
    ));

    fn rows(section: &str) -> Vec<Value> {
        let table: Value = serde_json::from_str(TABLE).expect("the table is valid JSON");
        table[section].as_array().expect("a list of rows").clone()
    }

    fn strings(v: &Value) -> Vec<String> {
        v.as_array()
            .expect("a list")
            .iter()
            .map(|s| s.as_str().expect("a string").to_owned())
            .collect()
    }

    #[test]
    fn fnmatch_follows_file_fnmatch_with_pathname() {
        let rows = rows("fnmatch");
        assert!(rows.len() > 50, "the table is read whole");
        let wrong: Vec<String> = rows
            .iter()
            .filter(|r| {
                fnmatch(
                    r["pattern"].as_str().expect("pattern"),
                    r["text"].as_str().expect("text"),
                ) != r["matches"].as_bool().expect("matches")
            })
            .map(ToString::to_string)
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn ref_conditions_select_branches_as_the_table_says() {
        let wrong: Vec<String> = rows("conditions")
            .iter()
            .filter(|r| {
                let (include, exclude) = (strings(&r["include"]), strings(&r["exclude"]));
                let branch = r["branch"].as_str().expect("branch");
                let default = r["default_branch"].as_str().expect("default_branch");
                super::ref_selects(&include, &exclude, branch, default)
                    != r["selects"].as_bool().expect("selects")
            })
            .map(ToString::to_string)
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn many_stars_stay_fast() {
        let long = format!("refs/heads/{}", "a/".repeat(40));
        assert!(!fnmatch(
            &format!("refs/heads/{}b", "**/".repeat(12)),
            &long
        ));
        assert!(!fnmatch(
            &format!("refs/heads/{}b", "*a*".repeat(12)),
            &"a".repeat(200)
        ));
        assert!(super::fnmatch_name("*", ".github"));
    }
}
