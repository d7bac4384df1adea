//! Required status checks, as both classic protection and rulesets hold them: a bare
//! check is satisfied by its context from any app, a pinned one only by the same app (by id
//! where known, by slug otherwise); a person reads an app by its slug where it is known.

use serde_json::{Value, json};

use super::Unresolved;
use crate::model::RequiredCheck;
use crate::model::live::Identities;

/// Returns the id of the app a check is pinned to (`None` for any app).
pub(super) fn app_id(check: &RequiredCheck, ids: &Identities) -> Result<Option<u64>, Unresolved> {
    if let Some(id) = check.app_id {
        return Ok(u64::try_from(id).ok());
    }
    match &check.app {
        None => Ok(None),
        Some(slug) => ids
            .app(slug)
            .map(Some)
            .ok_or_else(|| Unresolved::new(format!("app `{slug}`"), ids)),
    }
}

/// Returns true when the live check `live` satisfies the policy check `wanted`.
pub(super) fn satisfies(live: &RequiredCheck, wanted: &RequiredCheck, ids: &Identities) -> bool {
    if live.context != wanted.context {
        return false;
    }
    if !wanted.is_pinned() {
        return true;
    }
    let wanted_id = app_id(wanted, ids).ok().flatten();
    let live_id = live.app_id.and_then(|id| u64::try_from(id).ok());
    match (wanted_id, live_id) {
        (Some(want), Some(have)) => want == have,
        _ => match (&wanted.app, &live.app) {
            (Some(want), Some(have)) => want.eq_ignore_ascii_case(have),
            _ => false,
        },
    }
}

/// A check as a person reads it: a bare name, or `{context, app}` with the app named by
/// slug where its id is known.
pub(super) fn check_value(check: &RequiredCheck, ids: &Identities) -> Value {
    let slug = check.app.as_deref().or_else(|| {
        check
            .app_id
            .and_then(|id| u64::try_from(id).ok())
            .and_then(|id| ids.app_slug(id))
    });
    match (slug, check.app_id) {
        (Some(app), _) => json!({ "context": check.context, "app": app.to_lowercase() }),
        (None, Some(id)) => json!({ "context": check.context, "app_id": id }),
        (None, None) => json!(check.context),
    }
}

/// Returns the live checks, each in the policy's spelling where it satisfies a wanted
/// check, as a sorted list for display and comparison.
pub(super) fn aligned(
    live: &[RequiredCheck],
    wanted: Option<&[RequiredCheck]>,
    ids: &Identities,
) -> Value {
    super::leaves::sorted_list(live.iter().map(|check| {
        let aligned = wanted.and_then(|wanted| wanted.iter().find(|w| satisfies(check, w, ids)));
        check_value(aligned.unwrap_or(check), ids)
    }))
}
