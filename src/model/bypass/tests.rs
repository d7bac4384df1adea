use super::*;
use crate::model::live::Identities;

fn ids() -> Identities {
    Identities {
        users: [("octocat".to_owned(), 7)].into(),
        teams: [("ops".to_owned(), 41)].into(),
        apps: [("deployer".to_owned(), 99)].into(),
        offline: false,
    }
}

fn written(yaml: &str) -> BypassActor {
    serde_json::from_str(yaml).expect("a valid actor")
}

#[test]
fn every_key_the_policy_writes_resolves_to_githubs_type_and_id() {
    let cases = [
        (r#"{"role": "admin"}"#, ActorKind::RepositoryRole, Some(5)),
        (r#"{"role_id": 77}"#, ActorKind::RepositoryRole, Some(77)),
        (r#"{"team": "OPS"}"#, ActorKind::Team, Some(41)),
        (r#"{"team_id": 41}"#, ActorKind::Team, Some(41)),
        (r#"{"app": "deployer"}"#, ActorKind::Integration, Some(99)),
        (r#"{"app_id": 99}"#, ActorKind::Integration, Some(99)),
        (r#"{"user": "OctoCat"}"#, ActorKind::User, Some(7)),
        (r#"{"user_id": 7}"#, ActorKind::User, Some(7)),
        (
            r#"{"org_admins": true}"#,
            ActorKind::OrganizationAdmin,
            None,
        ),
        (r#"{"deploy_keys": true}"#, ActorKind::DeployKey, None),
    ];
    for (yaml, kind, id) in cases {
        let actor = written(yaml).actor().expect("one key");
        assert_eq!(actor.resolve(&ids()), Ok((kind.clone(), id)), "{yaml}");
        // Read back from GitHub, the actor is the same one, however the policy wrote it.
        assert_eq!(
            Actor::from_github(&kind, id, &ids()),
            actor.canonical(&ids()),
            "{yaml}"
        );
    }
}

#[test]
fn an_actor_with_no_key_or_two_is_no_actor() {
    assert_eq!(written(r#"{"mode": "always"}"#).actor(), None);
    assert_eq!(written(r#"{"team": "ops", "team_id": 41}"#).actor(), None);
    assert_eq!(
        written(r#"{"team": "ops", "deploy_keys": true}"#).actor(),
        None
    );
}

#[test]
fn a_name_nobody_looked_up_is_unresolved_not_dropped() {
    let actor = written(r#"{"team": "unknown-team"}"#)
        .actor()
        .expect("one key");
    assert_eq!(actor.resolve(&ids()), Err("team `unknown-team`".to_owned()));
}

#[test]
fn an_actor_type_github_adds_later_is_kept_and_never_written() {
    let kind: ActorKind = serde_json::from_str("\"EnterpriseOwner\"").expect("any string");
    assert_eq!(kind, ActorKind::Unknown("EnterpriseOwner".to_owned()));
    let actor = Actor::from_github(&kind, Some(3), &ids());
    assert_eq!(
        actor,
        Actor::Unknown(UnknownActor {
            actor_type: "EnterpriseOwner".to_owned(),
            actor_id: Some(3),
        })
    );
    assert_eq!(
        actor.resolve(&ids()),
        Err("bypass actor of type `EnterpriseOwner`".to_owned())
    );
    // A known type without the id it needs cannot be named either.
    assert!(matches!(
        Actor::from_github(&ActorKind::Team, None, &ids()),
        Actor::Unknown(_)
    ));
}

#[test]
fn the_written_form_round_trips() {
    for yaml in [
        r#"{"team": "ops"}"#,
        r#"{"app_id": 5}"#,
        r#"{"role": "write"}"#,
        r#"{"org_admins": true}"#,
    ] {
        let actor = written(yaml);
        let back = BypassActor::of(actor.actor().expect("one key"), actor.mode.clone());
        assert_eq!(back, actor, "{yaml}");
    }
}
