//! The protection GitHub will actually enforce on a branch (DESIGN §8): classic protection
//! merged with every rule of every active ruleset that applies, the most restrictive value
//! winning — the highest approval count, a setting on if any source turns it on, the union
//! of required checks — each value with the sources that provide it.
//!
//! Pure: the evidence (`live::BranchEvidence`) is read by `github::read` or built from a
//! policy by `diff`; this module only weighs it. `judge` holds a requirement against it;
//! `cover` tells whether rulesets provide all that a branch's classic protection does.

mod bypass;
pub mod cover;
pub mod explain;
mod judge;

use serde_json::{Value, json};

use crate::model::live::{AppliedRuleset, BranchEvidence, Classic, Identities, Source};
use crate::model::{Branch, RequiredCheck};

pub use judge::{Judged, judge};

/// How one requirement fares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Met (`Judged::sources` names by what).
    Met,
    /// Not met.
    Unmet,
    /// Cannot be told: it rests on a providing ruleset whose bypass actors cannot be seen.
    Unknown,
}

/// What one source requires, in the terms of requirements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    /// Where it comes from.
    pub source: Source,
    /// Approvals it requires (0 when it requires no pull request).
    pub approvals: u8,
    /// The on/off requirements it turns on.
    pub flags: Vec<&'static str>,
    /// The checks it requires, each with the app it is pinned to, if any.
    pub checks: Vec<Check>,
    /// Whether nobody may bypass it; `None` when that cannot be seen.
    pub bypass_free: Option<bool>,
}

impl Contribution {
    /// Returns true when the source provides anything at all.
    pub fn provides(&self) -> bool {
        self.approvals > 0 || !self.flags.is_empty() || !self.checks.is_empty()
    }
}

/// A required check and the app it is pinned to: by id where known, by slug where written
/// (a state file names apps by slug, and offline no id can be looked up).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Check {
    /// The check's name.
    pub context: String,
    /// The app's id.
    pub app_id: Option<u64>,
    /// The app's slug, lower-case.
    pub app: Option<String>,
}

impl Check {
    /// Returns a check as a source or a requirement writes it, its app known both ways
    /// where `ids` can tell.
    pub fn of(check: &RequiredCheck, ids: &Identities) -> Self {
        let app_id = check
            .app_id
            .and_then(|id| u64::try_from(id).ok())
            .or_else(|| check.app.as_deref().and_then(|slug| ids.app(slug)));
        let app = check
            .app
            .as_deref()
            .map(str::to_lowercase)
            .or_else(|| app_id.and_then(|id| ids.app_slug(id)).map(str::to_owned));
        Self {
            context: check.context.clone(),
            app_id,
            app,
        }
    }

    /// Returns true when this (a source's) check meets the wanted one: the same context,
    /// and for a pinned wanted check the same app.
    pub fn meets(&self, want: &Self) -> bool {
        if self.context != want.context {
            return false;
        }
        match (want.app_id, &want.app, self.app_id, &self.app) {
            (None, None, _, _) => true,
            (Some(want), _, Some(have), _) => want == have,
            (_, Some(want), _, Some(have)) => want.eq_ignore_ascii_case(have),
            _ => false,
        }
    }

    /// Returns the check as a person reads it.
    pub fn value(&self) -> Value {
        match (&self.app, self.app_id) {
            (Some(app), _) => json!({ "context": self.context, "app": app }),
            (None, Some(id)) => json!({ "context": self.context, "app_id": id }),
            (None, None) => json!(self.context),
        }
    }
}

/// What classic protection contributes.
pub fn classic_contribution(branch: &Branch, ids: &Identities) -> Contribution {
    let mut flags = Vec::new();
    let pr = branch.pull_request.as_ref();
    let checks = branch.status_checks.as_ref();
    let mut on = |name: &'static str, value: bool| {
        if value {
            flags.push(name);
        }
    };
    on(
        "dismiss_stale_reviews",
        pr.is_some_and(|p| p.dismiss_stale_reviews),
    );
    on(
        "require_code_owner_reviews",
        pr.is_some_and(|p| p.require_code_owner_reviews),
    );
    on(
        "require_last_push_approval",
        pr.is_some_and(|p| p.require_last_push_approval),
    );
    on(
        "required_conversation_resolution",
        branch.required_conversation_resolution,
    );
    on("strict", checks.is_some_and(|c| c.strict));
    on("block_force_pushes", !branch.allow_force_pushes);
    on("restrict_deletions", !branch.allow_deletions);
    on("required_linear_history", branch.required_linear_history);
    on("required_signatures", branch.required_signatures);
    let bypass_free = branch.enforce_admins && pr.is_none_or(|p| p.bypass.is_empty());
    Contribution {
        source: Source::Classic,
        approvals: pr.map_or(0, |p| p.required_approvals),
        flags,
        checks: checks
            .into_iter()
            .flat_map(|c| &c.required)
            .map(|c| Check::of(c, ids))
            .collect(),
        bypass_free: Some(bypass_free),
    }
}

/// What a ruleset contributes.
pub fn ruleset_contribution(ruleset: &AppliedRuleset, ids: &Identities) -> Contribution {
    let rules = &ruleset.rules;
    let pr = rules.pull_request.as_ref();
    let checks = rules.status_checks.as_ref();
    let mut flags = Vec::new();
    let mut on = |name: &'static str, value: bool| {
        if value {
            flags.push(name);
        }
    };
    on(
        "dismiss_stale_reviews",
        pr.is_some_and(|p| p.dismiss_stale_reviews),
    );
    on(
        "require_code_owner_reviews",
        pr.is_some_and(|p| p.require_code_owner_reviews),
    );
    on(
        "require_last_push_approval",
        pr.is_some_and(|p| p.require_last_push_approval),
    );
    on(
        "required_conversation_resolution",
        pr.is_some_and(|p| p.required_conversation_resolution),
    );
    on("strict", checks.is_some_and(|c| c.strict));
    on("block_force_pushes", rules.block_force_pushes);
    on("restrict_deletions", rules.restrict_deletions);
    on("required_linear_history", rules.required_linear_history);
    on("required_signatures", rules.required_signatures);
    Contribution {
        source: ruleset.source.clone(),
        approvals: pr.map_or(0, |p| p.required_approvals),
        flags,
        checks: checks
            .into_iter()
            .flat_map(|c| &c.required)
            .map(|c| Check::of(c, ids))
            .collect(),
        bypass_free: ruleset.bypass.as_ref().map(Vec::is_empty),
    }
}

/// The contributions of the evidence: the enforced ones, and the evaluate-only ones.
pub fn contributions(
    evidence: &BranchEvidence,
    ids: &Identities,
) -> (Vec<Contribution>, Vec<Contribution>) {
    let mut enforced = Vec::new();
    if let Classic::Protected(branch) = &evidence.classic {
        enforced.push(classic_contribution(branch, ids));
    }
    let mut evaluate = Vec::new();
    for ruleset in &evidence.rulesets {
        let contribution = ruleset_contribution(ruleset, ids);
        if ruleset.active {
            enforced.push(contribution);
        } else {
            evaluate.push(contribution);
        }
    }
    (enforced, evaluate)
}

/// One effective setting, named as in `requirements`, with its sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The requirement key, e.g. `required_approvals`.
    pub setting: &'static str,
    /// The effective value.
    pub value: Value,
    /// The sources that provide it.
    pub sources: Vec<Source>,
}

/// The settings the contributions add up to; a setting nobody turns on is left out.
pub fn settings(contributions: &[Contribution]) -> Vec<Setting> {
    let mut out = Vec::new();
    let approvals = contributions.iter().map(|c| c.approvals).max().unwrap_or(0);
    if approvals > 0 {
        out.push(Setting {
            setting: "required_approvals",
            value: json!(approvals),
            sources: contributions
                .iter()
                .filter(|c| c.approvals == approvals)
                .map(|c| c.source.clone())
                .collect(),
        });
    }
    let mut checks: Vec<Check> = contributions
        .iter()
        .flat_map(|c| c.checks.clone())
        .collect();
    checks.sort();
    checks.dedup();
    if !checks.is_empty() {
        out.push(Setting {
            setting: "required_checks",
            value: Value::Array(checks.iter().map(Check::value).collect()),
            sources: contributions
                .iter()
                .filter(|c| !c.checks.is_empty())
                .map(|c| c.source.clone())
                .collect(),
        });
    }
    for flag in crate::model::REQUIREMENT_FLAGS {
        let sources: Vec<Source> = contributions
            .iter()
            .filter(|c| c.flags.contains(&flag))
            .map(|c| c.source.clone())
            .collect();
        if !sources.is_empty() {
            out.push(Setting {
                setting: flag,
                value: json!(true),
                sources,
            });
        }
    }
    out
}
