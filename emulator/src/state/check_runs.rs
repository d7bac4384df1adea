//! The check runs of a commit (`GET /repos/{o}/{r}/commits/{ref}/check-runs`): what the
//! seed says CI reported on the head of the default branch, each with the app that ran it
//! (github-api/QUIRKS.md 63: the one place an app's id becomes its slug). Any ref answers them.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::{Value, json};

use super::Repo;
use crate::render::{self, Ctx};

impl Repo {
    /// Renders `{total_count, check_runs}` for a ref: one completed run per seeded check,
    /// `check_name` filtering by name as GitHub does.
    pub(crate) fn check_runs_json(&self, ctx: &Ctx, reference: &str, name: Option<&str>) -> Value {
        let mut hasher = DefaultHasher::new();
        (self.full_name(), reference).hash(&mut hasher);
        let head_sha = format!("{:0>40x}", hasher.finish());
        let full = self.full_name();
        let owner = self.dir.org_account();
        // A commit the seed describes has its own runs; any other ref, the repository's.
        let seeded = self
            .repo
            .activity
            .commits
            .get(reference)
            .map_or(&self.repo.check_runs, |commit| &commit.check_runs);
        let runs: Vec<Value> = seeded
            .iter()
            .enumerate()
            .filter(|(_, run)| name.is_none_or(|n| n == run.name))
            .map(|(i, run)| {
                let id = self.repo_id * 100 + u64::try_from(i).unwrap_or(0) + 1;
                let app = self
                    .dir
                    .app(&run.app)
                    .map_or(Value::Null, |app| render::app(ctx, &owner, app));
                json!({
                    "id": id,
                    "head_sha": head_sha,
                    "node_id": render::node_id("CR", id),
                    "external_id": "",
                    "url": format!("{}/repos/{full}/check-runs/{id}", ctx.api),
                    "html_url": format!("https://github.com/{full}/runs/{id}"),
                    "details_url": format!("https://github.com/{full}/runs/{id}"),
                    "status": "completed",
                    "conclusion": "success",
                    "started_at": render::EPOCH,
                    "completed_at": render::EPOCH,
                    "output": {
                        "title": null, "summary": null, "text": null, "annotations_count": 0,
                        "annotations_url": format!("{}/repos/{full}/check-runs/{id}/annotations", ctx.api)
                    },
                    "name": run.name,
                    "check_suite": { "id": id },
                    "app": app,
                    "pull_requests": []
                })
            })
            .collect();
        json!({ "total_count": runs.len(), "check_runs": runs })
    }
}
