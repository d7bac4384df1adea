//! `GET /rate_limit` (`rate-limit-overview`): the budget left before a run. Only the `core`
//! resource matters to gh-policy (every REST call it makes counts there). The call itself
//! is free.

use serde::{Deserialize, Serialize};

/// One resource's budget, as GitHub sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub struct RateLimit {
    /// Requests allowed per hour.
    pub limit: u64,
    /// Requests left until the reset.
    pub remaining: u64,
    /// When the budget resets, in Unix seconds.
    pub reset: u64,
    /// Requests made since the last reset.
    pub used: u64,
}

/// The answer of `GET /rate_limit`, as far as it is read.
#[derive(Debug, Clone, Deserialize)]
pub struct Overview {
    /// The budgets per resource.
    pub resources: Resources,
}

/// The resources of [`Overview`].
#[derive(Debug, Clone, Deserialize)]
pub struct Resources {
    /// The REST API's budget.
    pub core: RateLimit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_core_budget_is_read_from_the_overview() {
        let overview: Overview = serde_json::from_str(
            r#"{"resources": {
                "core": {"limit": 5000, "used": 1, "remaining": 4999, "reset": 1691591363},
                "search": {"limit": 30, "used": 0, "remaining": 30, "reset": 1691591091}},
              "rate": {"limit": 5000, "used": 1, "remaining": 4999, "reset": 1372700873}}"#,
        )
        .unwrap();
        assert_eq!(
            overview.resources.core,
            RateLimit {
                limit: 5000,
                remaining: 4999,
                reset: 1_691_591_363,
                used: 1
            }
        );
    }
}
