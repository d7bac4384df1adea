//! GitHub's documented limits on the settings a policy declares, each in one place: the
//! model's JSON Schema states them, and the loader's cross-field rules use them where a
//! schema cannot (a count of distinct entries, a size in bytes).

/// Most approving reviews classic branch protection accepts for
/// `required_approving_review_count` (REST API, "Update branch protection").
pub const MAX_REQUIRED_APPROVALS: u8 = 6;

/// Most minutes an environment's `wait_timer` may be (30 days; REST API, "Create or update
/// an environment").
pub const MAX_WAIT_TIMER: u32 = 43_200;

/// Most required reviewers, users and teams together, of one environment (REST API,
/// "Create or update an environment": `reviewers`, "up to six").
pub const MAX_REVIEWERS: usize = 6;

/// Most secrets one environment may hold ("Using secrets in GitHub Actions": "up to 100
/// environment secrets").
pub const MAX_SECRETS: usize = 100;

/// Most variables one environment may hold ("Store information in variables": "up to 100
/// variables per environment").
pub const MAX_VARIABLES: usize = 100;

/// Largest value of one variable, in bytes ("Store information in variables": "up to 48 KB
/// of data each").
pub const MAX_VARIABLE_BYTES: usize = 48 * 1024;
