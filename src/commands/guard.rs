//! Plans whose policy contradicts its own requirements (DESIGN §11): a requirement the
//! repository meets now that `apply` would break. Such a plan is an error — `plan` exits 1
//! and `apply` writes nothing, even with `--allow-weakening` — each contradiction located
//! at the setting that lowers it.

use crate::error::Error;
use crate::output::untrusted::escape;
use crate::plan::{Address, Contradiction, Plan};
use crate::policy::{Dotted, Located, Segment};

/// Returns one line per contradiction of the plan: where the setting that lowers it is
/// written (in the layers `layers` of the file `located`), and what it would do. An
/// organisation run names the repository too.
pub fn lines(
    plan: &Plan,
    layers: &[Vec<Segment>],
    located: &Located,
    with_repository: bool,
) -> Vec<String> {
    plan.contradictions
        .iter()
        .map(|found| {
            let requirement = requirement_path(found);
            let at = located.at(
                layers,
                found.lowered_by.first().map_or(&requirement[..], Vec::as_slice),
            );
            let repository = if with_repository {
                format!("{}: ", escape(&plan.repository))
            } else {
                String::new()
            };
            let by = found.lowered_by_words(" and ");
            format!(
                "{at}: {repository}{by} would take `{}` on branch `{}` from {} to {}, below `{}: {}`",
                found.setting,
                escape(&found.branch),
                found.live,
                found.after,
                Dotted(&requirement),
                found.floor
            )
        })
        .collect()
}

/// The requirement's own path: `requirements.KEY.SETTING`.
fn requirement_path(found: &Contradiction) -> Vec<Segment> {
    let key = match &found.address {
        Address::Requirement(key) => key.clone(),
        other => other.to_string(),
    };
    vec![
        "requirements".into(),
        key.as_str().into(),
        found.setting.as_str().into(),
    ]
}

/// Returns the error of contradictions (their lines), or nothing when there are none.
pub fn error(lines: Vec<String>) -> Option<Error> {
    if lines.is_empty() {
        return None;
    }
    let mut error = Error::new(format!(
        "the policy contradicts its own requirements: apply would break {} that holds now; nothing was written",
        if lines.len() == 1 {
            "a requirement".to_owned()
        } else {
            format!("{} requirements", lines.len())
        }
    ));
    for line in lines {
        error = error.detail(line);
    }
    Some(error.with_hint(
        "raise the setting to meet the requirement; if lowering it is meant, lower the requirement first",
    ))
}
