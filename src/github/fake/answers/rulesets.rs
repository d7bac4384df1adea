//! Rulesets: stored as GET by id answers; writes from the repository path never reach an
//! organisation's ruleset (GitHub answers 404).

use super::super::*;
use crate::model::ref_pattern::selects_branch;

impl FakeGithub {
    pub(in crate::github::fake) fn list_rulesets(
        &self,
        repo: &RepoName,
    ) -> Result<Vec<RulesetSummary>, ApiError> {
        self.check_repo(repo, "rulesets")?;
        let state = self.call("rulesets", "", None)?;
        Ok(state.rulesets.iter().map(summary).collect())
    }

    pub(in crate::github::fake) fn get_ruleset(
        &self,
        repo: &RepoName,
        id: u64,
    ) -> Result<WireRuleset, ApiError> {
        self.check_repo(repo, "ruleset")?;
        let state = self.call("ruleset", &id.to_string(), None)?;
        let mut ruleset = state
            .rulesets
            .iter()
            .find(|r| r.id == id)
            .cloned()
            .ok_or_else(|| not_found("ruleset", &id.to_string()))?;
        if state.hide_bypass {
            ruleset.bypass_actors = None;
        }
        Ok(ruleset)
    }

    pub(in crate::github::fake) fn effective_rules(
        &self,
        repo: &RepoName,
        branch: &str,
    ) -> Result<Vec<EffectiveRule>, ApiError> {
        self.check_repo(repo, "branch_rules")?;
        let state = self.call("branch_rules", branch, None)?;
        let mut out = Vec::new();
        for ruleset in &state.rulesets {
            let conditions = ruleset.conditions.clone().unwrap_or_default();
            let ref_name = conditions.ref_name.unwrap_or_default();
            let branch_target = ruleset.target.as_deref().is_none_or(|t| t == "branch");
            if ruleset.enforcement != "active"
                || !branch_target
                || !selects_branch(&ref_name.include, &ref_name.exclude, branch, "main")
            {
                continue;
            }
            for rule in &ruleset.rules {
                out.push(EffectiveRule {
                    rule: rule.clone(),
                    ruleset_source_type: ruleset.source_type.clone(),
                    ruleset_source: ruleset.source.clone(),
                    ruleset_id: Some(ruleset.id),
                });
            }
        }
        Ok(out)
    }

    pub(in crate::github::fake) fn write_ruleset(
        &self,
        repo: &RepoName,
        op: &'static str,
        id: Option<u64>,
        body: Option<&RulesetRequest>,
    ) -> Result<WireRuleset, ApiError> {
        self.check_repo(repo, op)?;
        let object = id.map(|id| id.to_string()).unwrap_or_default();
        let mut state = self.call(op, &object, body.and_then(json))?;
        let own = |r: &WireRuleset| r.source_type.as_deref().is_none_or(|s| s == "Repository");
        let position = id.map(|id| state.rulesets.iter().position(|r| r.id == id && own(r)));
        let stored = |id: u64, body: &RulesetRequest| WireRuleset {
            id,
            name: body.name.clone(),
            target: Some(body.target.clone()),
            source_type: Some("Repository".to_owned()),
            source: Some(repo.to_string()),
            enforcement: body.enforcement.clone(),
            bypass_actors: Some(body.bypass_actors.clone()),
            conditions: body.conditions.clone(),
            rules: body.rules.clone(),
        };
        match (position, body) {
            (None, Some(body)) => {
                state.next_id += 1;
                let ruleset = stored(state.next_id, body);
                state.rulesets.push(ruleset.clone());
                Ok(ruleset)
            }
            (Some(Some(at)), Some(body)) => {
                let ruleset = stored(state.rulesets[at].id, body);
                state.rulesets[at] = ruleset.clone();
                Ok(ruleset)
            }
            (Some(Some(at)), None) => Ok(state.rulesets.remove(at)),
            (Some(None), _) | (None, None) => Err(not_found(op, &object)),
        }
    }
}

/// A ruleset as the lists show it.
pub(super) fn summary(ruleset: &WireRuleset) -> RulesetSummary {
    RulesetSummary {
        id: ruleset.id,
        name: ruleset.name.clone(),
        source_type: ruleset.source_type.clone(),
        source: ruleset.source.clone(),
        enforcement: ruleset.enforcement.clone(),
    }
}
