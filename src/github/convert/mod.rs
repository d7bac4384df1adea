//! GitHub's shapes to the model and plan targets to GitHub's shapes: the one place that
//! knows GitHub's quirks (a check's `app_id` of `-1` meaning any app, a section that is
//! missing or `null` meaning off, the self-review rule living inside the reviewers rule,
//! request bodies that differ from answers).

pub mod environment;
pub mod protection;
pub mod ruleset;
pub mod secret;
pub mod switches;
