//! An environment's write with settings an exception accepts held at their live values.

use super::environment_put;
use crate::model::Environment;
use crate::model::live::LiveState;
use crate::plan::{EnvironmentWrite, SettingPath, Target};

/// Returns the PUT of the environment `name` with the `held` settings at their live values;
/// `None` when one is not a setting of an environment.
pub(in crate::plan::diff) fn held(
    name: &str,
    want: &Environment,
    held: &[SettingPath],
    live: &LiveState,
) -> Option<Target> {
    let have = live
        .settings
        .environments
        .iter()
        .find(|(live_name, _)| live_name.eq_ignore_ascii_case(name))
        .map(|(_, environment)| environment);
    let absent = Environment::default();
    let mut relaxed = want.clone();
    for path in held {
        hold(&mut relaxed, have.unwrap_or(&absent), path)?;
    }
    let put = environment_put(&relaxed, have, &live.ids).ok()?;
    Some(Target::Environment {
        name: name.to_owned(),
        write: EnvironmentWrite::Put(put),
    })
}

/// Sets one setting of `want`, a path as `environment_leaves` writes it, to its value in
/// `have`. The deployment patterns themselves are changes of their own.
fn hold(want: &mut Environment, have: &Environment, path: &SettingPath) -> Option<()> {
    let [key] = path.keys() else {
        return None;
    };
    match key.as_str() {
        "wait_timer" => want.wait_timer = have.wait_timer,
        "prevent_self_review" => want.prevent_self_review = have.prevent_self_review,
        "reviewers" => want.reviewers.clone_from(&have.reviewers),
        "can_admins_bypass" => want.can_admins_bypass = have.can_admins_bypass,
        "deployment_branches" => want
            .deployment_branches
            .clone_from(&have.deployment_branches),
        _ => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::super::{environment_leaves, leaves};
    use super::*;

    #[test]
    fn every_setting_the_diff_shows_can_be_held_at_its_live_value() {
        let want = crate::policy::parse(
            "p.yaml",
            "version: 1\nenvironments:\n  prod:\n    wait_timer: 5\n    prevent_self_review: true\n    reviewers: [{user: octocat}]\n    can_admins_bypass: false\n    deployment_branches: protected\n",
        )
        .expect("a valid policy, because it is written so")
        .environments
        .remove("prod")
        .expect("prod, because the policy lists it");
        let have = Environment::default();
        let shown = leaves::compare(&environment_leaves(&have), &environment_leaves(&want));
        assert_eq!(shown.len(), 5, "{shown:#?}");
        for diff in shown {
            let mut relaxed = want.clone();
            assert_eq!(
                hold(&mut relaxed, &have, &diff.path),
                Some(()),
                "{}",
                diff.path
            );
            let after = leaves::compare(&environment_leaves(&have), &environment_leaves(&relaxed));
            assert!(
                after.iter().all(|d| d.path != diff.path),
                "{} still differs: {after:#?}",
                diff.path
            );
        }
        assert_eq!(hold(&mut want.clone(), &have, &"secrets".into()), None);
    }
}
