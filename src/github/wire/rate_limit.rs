//! `GET /rate_limit` (`rate-limit-overview`): only the `core` resource, the REST budget.

use serde::Deserialize;

/// The answer of `GET /rate_limit`, as far as gh-policy reads it.
#[derive(Debug, Clone, Deserialize)]
pub struct RateLimitOverview {
    /// Budgets by resource.
    pub resources: Resources,
}

/// The budgets gh-policy reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Resources {
    /// The REST API's budget.
    pub core: RateLimit,
}

/// One budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct RateLimit {
    /// Requests allowed per hour.
    pub limit: u64,
    /// Requests left until the reset.
    pub remaining: u64,
    /// When the budget resets, in Unix seconds.
    pub reset: u64,
    /// Requests used since the last reset.
    pub used: u64,
}
