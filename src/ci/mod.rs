//! Side features for CI: GitHub Actions output of a plan (job summary, annotations) and the
//! cross-check of a policy with the repository's workflow files. Neither is on the
//! policy → plan → apply pipeline; both only read what the pipeline produced.

pub mod actions;
pub mod workflows;
