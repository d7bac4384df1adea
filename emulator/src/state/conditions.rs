//! Which rulesets apply where: `fnmatch`-style patterns, ref name conditions, repository
//! conditions of organisation rulesets, and the effective rules of a branch.
//!
//! Patterns follow Ruby's `File.fnmatch` with `FNM_PATHNAME`, which GitHub uses for rulesets:
//! `*` matches any characters except `/`; `**` matches any characters including `/`, and `**/`
//! also matches nothing (so `releases/**/*` matches `releases/v1` and `releases/a/b/c`); `?`
//! matches one character except `/`; `[abc]`, `[a-z]`, `[!a]` and `[^a]` match one character
//! from (not from) a set, never `/`; `\` makes the next character literal. Dots are ordinary
//! characters and there are no `{a,b}` alternatives (`FNM_EXTGLOB` is not set). Ref names match
//! case-sensitively against the full ref, `refs/heads/NAME`; repository names match
//! case-insensitively.

use serde_json::{Value, json};

use super::rulesets::{Core, Source};
use super::{Repo, World};
use crate::seed::Realism;

/// Returns whether `text` matches the `fnmatch` pattern (see the module docs).
pub(crate) fn fnmatch(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let mut memo = Matcher {
        p: &p,
        t: &t,
        seen: vec![None; (p.len() + 1) * (t.len() + 1)],
    };
    memo.at(0, 0)
}

/// A pattern and a text, with the results of `(pattern position, text position)` pairs
/// already decided, so that several `*` and `**` stay polynomial.
struct Matcher<'a> {
    p: &'a [char],
    t: &'a [char],
    seen: Vec<Option<bool>>,
}

impl Matcher<'_> {
    fn at(&mut self, i: usize, j: usize) -> bool {
        let key = i * (self.t.len() + 1) + j;
        if let Some(done) = self.seen[key] {
            return done;
        }
        let result = self.decide(i, j);
        self.seen[key] = Some(result);
        result
    }

    fn decide(&mut self, i: usize, j: usize) -> bool {
        let (pat, text) = (self.p, self.t);
        let Some(&ch) = pat.get(i) else {
            return j == text.len();
        };
        match ch {
            '*' if pat.get(i + 1) == Some(&'*') => {
                if pat.get(i + 2) == Some(&'/') && self.at(i + 3, j) {
                    return true;
                }
                (j..=text.len()).any(|k| self.at(i + 2, k))
            }
            '*' => {
                for k in j..=text.len() {
                    if self.at(i + 1, k) {
                        return true;
                    }
                    if text.get(k) == Some(&'/') {
                        break;
                    }
                }
                false
            }
            '?' => text.get(j).is_some_and(|x| *x != '/') && self.at(i + 1, j + 1),
            '[' => match (text.get(j), class(&pat[i + 1..])) {
                (Some(x), Some((set, negated, len))) => {
                    *x != '/' && in_set(&set, *x) != negated && self.at(i + 1 + len, j + 1)
                }
                (Some(x), None) => *x == '[' && self.at(i + 1, j + 1),
                (None, _) => false,
            },
            '\\' if i + 1 < pat.len() => text.get(j) == Some(&pat[i + 1]) && self.at(i + 2, j + 1),
            other => text.get(j) == Some(&other) && self.at(i + 1, j + 1),
        }
    }
}

/// A bracket expression: its ranges, whether it is negated, and its length.
type Class = (Vec<(char, char)>, bool, usize);

/// Parses a bracket expression after `[`: the ranges, whether negated, and the length used
/// (up to and including `]`).
fn class(p: &[char]) -> Option<Class> {
    let mut i = 0;
    let negated = matches!(p.first(), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut set = Vec::new();
    let mut first = true;
    while i < p.len() {
        let c = p[i];
        if c == ']' && !first {
            return Some((set, negated, i + 1));
        }
        first = false;
        let lo = if c == '\\' && i + 1 < p.len() {
            i += 1;
            p[i]
        } else {
            c
        };
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|c| *c != ']') {
            set.push((lo, p[i + 2]));
            i += 3;
        } else {
            set.push((lo, lo));
            i += 1;
        }
    }
    None
}

fn in_set(set: &[(char, char)], c: char) -> bool {
    set.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
}

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
    let full = format!("refs/heads/{branch}");
    let hit = |p: &str| match p {
        "~ALL" => true,
        "~DEFAULT_BRANCH" => branch == repo.repo.default_branch,
        _ => fnmatch(p, &full),
    };
    strs(r.get("include")).into_iter().any(hit) && !strs(r.get("exclude")).into_iter().any(hit)
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
        let hit = |p: &str| p == "~ALL" || fnmatch(&p.to_ascii_lowercase(), &name);
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
    use super::fnmatch;

    #[test]
    fn fnmatch_follows_file_fnmatch_with_pathname() {
        let yes = [
            ("refs/heads/main", "refs/heads/main"),
            ("refs/heads/*", "refs/heads/main"),
            ("refs/heads/release/*", "refs/heads/release/v1"),
            ("refs/heads/**", "refs/heads/a/b/c"),
            ("refs/heads/releases/**/*", "refs/heads/releases/v1"),
            ("refs/heads/releases/**/*", "refs/heads/releases/a/b"),
            ("refs/heads/v?", "refs/heads/v1"),
            ("refs/heads/[a-c]x", "refs/heads/bx"),
            ("refs/heads/[!a-c]x", "refs/heads/dx"),
            ("refs/heads/\\*", "refs/heads/*"),
            ("refs/heads/dev*", "refs/heads/develop"),
        ];
        for (p, t) in yes {
            assert!(fnmatch(p, t), "{p} should match {t}");
        }
        let no = [
            ("refs/heads/*", "refs/heads/release/v1"),
            ("refs/heads/release/*", "refs/heads/release"),
            ("refs/heads/v?", "refs/heads/v/"),
            ("refs/heads/[a-c]x", "refs/heads/dx"),
            ("refs/heads/\\*", "refs/heads/x"),
            ("refs/heads/main", "refs/heads/Main"),
            ("main", "refs/heads/main"),
        ];
        for (p, t) in no {
            assert!(!fnmatch(p, t), "{p} should not match {t}");
        }
        // Many stars stay fast.
        let long = format!("refs/heads/{}", "a/".repeat(40));
        assert!(!fnmatch(
            &format!("refs/heads/{}b", "**/".repeat(12)),
            &long
        ));
        assert!(!fnmatch(
            &format!("refs/heads/{}b", "*a*".repeat(12)),
            &"a".repeat(200)
        ));
    }
}
