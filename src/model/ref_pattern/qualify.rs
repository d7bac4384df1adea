//! The one place that knows how a ruleset's ref patterns are written: the policy writes
//! them as GitHub's UI shows them (`main`, `release/**/*`), GitHub stores them qualified
//! with the target's ref prefix (`refs/heads/main`), and `~DEFAULT_BRANCH` and `~ALL` are
//! GitHub's own names, never qualified. The policy's validation, the diff, the effective
//! protection, the findings and the writer all go through here.

use crate::model::RulesetTarget;

/// GitHub's name for the repository's default branch.
pub const DEFAULT_BRANCH: &str = "~DEFAULT_BRANCH";

/// GitHub's name for every ref of the target.
pub const ALL: &str = "~ALL";

/// Returns true for one of GitHub's own names (`~DEFAULT_BRANCH`, `~ALL`).
pub fn is_githubs_name(pattern: &str) -> bool {
    pattern == DEFAULT_BRANCH || pattern == ALL
}

/// Returns true for a pattern that names one ref outright (no glob character in it).
pub fn is_literal(pattern: &str) -> bool {
    !pattern.contains(['*', '?', '[', '\\'])
}

impl RulesetTarget {
    /// Returns the ref prefix patterns are qualified with, if the target has refs.
    pub fn ref_prefix(&self) -> Option<&'static str> {
        match self {
            Self::Branch => Some("refs/heads/"),
            Self::Tag => Some("refs/tags/"),
            Self::Push | Self::Unknown(_) => None,
        }
    }

    /// Returns a pattern as GitHub stores it: with the target's ref prefix (`~DEFAULT_BRANCH`,
    /// `~ALL` and patterns already starting with `refs/` stay as they are).
    pub fn qualified(&self, pattern: &str) -> String {
        match self.ref_prefix() {
            Some(prefix) if !pattern.starts_with('~') && !pattern.starts_with("refs/") => {
                format!("{prefix}{pattern}")
            }
            _ => pattern.to_owned(),
        }
    }

    /// Returns a pattern as the policy writes it: without the target's ref prefix.
    pub fn unqualified(&self, pattern: &str) -> String {
        match self.ref_prefix() {
            Some(prefix) => pattern.strip_prefix(prefix).unwrap_or(pattern).to_owned(),
            None => pattern.to_owned(),
        }
    }

    /// Returns a pattern in one form however it was written (`main` and `refs/heads/main`
    /// are the same pattern): as the policy writes it.
    pub fn normalized(&self, pattern: &str) -> String {
        self.unqualified(&self.qualified(pattern))
    }

    /// Returns the patterns as GitHub stores them, a set: sorted, each once.
    pub fn qualified_set(&self, patterns: &[impl AsRef<str>]) -> Vec<String> {
        let mut set: Vec<String> = patterns
            .iter()
            .map(|p| self.qualified(p.as_ref()))
            .collect();
        set.sort();
        set.dedup();
        set
    }

    /// Returns true when a pattern is written with the ref prefix of another target
    /// (`refs/tags/v1` in a branch ruleset), or with a prefix no target has.
    pub fn foreign_ref(&self, pattern: &str) -> bool {
        pattern.starts_with("refs/") && self.ref_prefix().is_none_or(|p| !pattern.starts_with(p))
    }

    /// Returns the branch a pattern of a branch ruleset names outright (`main`,
    /// `refs/heads/main`), with the repository's default branch for `~DEFAULT_BRANCH`;
    /// `None` for a glob, `~ALL` or another `~` name, a ref of another target
    /// (`refs/tags/v1` selects no branch), or another target.
    pub fn branch_named<'a>(&self, pattern: &'a str, default_branch: &'a str) -> Option<&'a str> {
        if *self != Self::Branch
            || pattern == ALL
            || !is_literal(pattern)
            || self.foreign_ref(pattern)
        {
            return None;
        }
        match pattern {
            DEFAULT_BRANCH => Some(default_branch),
            // Git refuses `~` in a ref: a `~` name is GitHub's (or no one's), never a branch.
            _ if pattern.starts_with('~') => None,
            _ => Some(pattern.strip_prefix("refs/heads/").unwrap_or(pattern)),
        }
    }
}

#[cfg(test)]
mod tests;
