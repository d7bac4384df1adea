//! Token requests and renewal against a scripted transport: retries and rate limits on
//! Tokio's paused clock, renewal times on a manual clock.

use std::sync::Arc;
use std::time::Duration;

use super::super::AppInstallation;
use super::{APP_ID, KEY, ManualClock, Reply, Script, minted, reply};
use crate::github::ApiErrorKind;
use crate::github::client::transport::TransportErrorKind;
use crate::github::client::{ApiRoot, Credentials};

const LOOKUP: &str = "GET /orgs/acme/installation";
const MINT: &str = "POST /app/installations/77/access_tokens";

fn credentials(script: &Arc<Script>) -> (AppInstallation, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new());
    let app = AppInstallation::new(
        &ApiRoot::parse("https://api.example.com").unwrap(),
        script.clone(),
        APP_ID,
        KEY,
        "acme",
    )
    .unwrap()
    .with_clock(clock.clone());
    (app, clock)
}

fn installation() -> Reply {
    reply(200, r#"{"id":77,"app_id":15368}"#)
}

#[tokio::test(start_paused = true)]
async fn the_installation_is_looked_up_once_and_its_token_reused_until_due() {
    let script = Script::new(vec![
        installation(),
        minted("ghs_one", 3600),
        minted("ghs_two", 3600),
    ]);
    let (app, clock) = credentials(&script);
    // The key's digest makes it secret: only the key's holder can sign cache entries.
    let identity = app.cache_identity();
    let digest = identity
        .strip_prefix("app:15368:installation:acme:key:")
        .unwrap();
    assert!(digest.len() == 64 && digest.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(
        script.calls().is_empty(),
        "nothing is sent before a request"
    );
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_one");
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_one");
    assert_eq!(script.calls(), vec![LOOKUP, MINT]);
    {
        let sent = script.sent.lock().unwrap();
        let jwt = sent[1].headers.get(http::header::AUTHORIZATION).unwrap();
        assert!(jwt.is_sensitive());
        assert!(jwt.to_str().unwrap().starts_with("Bearer eyJ"));
        assert_eq!(sent[1].body.as_deref(), Some(&b"{}"[..]));
    }
    // An hour's token is renewed when less than 5 minutes remain, without a new lookup.
    clock.advance(Duration::from_secs(54 * 60));
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_one");
    clock.advance(Duration::from_secs(60));
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_two");
    assert_eq!(script.calls(), vec![LOOKUP, MINT, MINT]);
}

#[tokio::test(start_paused = true)]
async fn a_short_lived_token_is_renewed_at_half_its_life() {
    let script = Script::new(vec![
        installation(),
        minted("ghs_short", 120),
        minted("ghs_next", 3600),
    ]);
    let (app, clock) = credentials(&script);
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_short");
    clock.advance(Duration::from_secs(58));
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_short");
    clock.advance(Duration::from_secs(2));
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_next");
}

#[tokio::test(start_paused = true)]
async fn a_token_that_arrives_expired_is_not_minted_again_before_every_request() {
    let script = Script::new(vec![
        installation(),
        minted("ghs_stale", -60),
        minted("ghs_next", 3600),
    ]);
    let (app, clock) = credentials(&script);
    for _ in 0..20 {
        assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_stale");
        clock.advance(Duration::from_secs(2));
    }
    assert_eq!(script.calls(), vec![LOOKUP, MINT]);
    // A minute on, or as soon as GitHub refuses it, it is renewed.
    clock.advance(Duration::from_secs(20));
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_next");
}

#[tokio::test(start_paused = true)]
async fn a_failed_renewal_keeps_the_valid_token_and_tries_again_later() {
    // The client's retries: four attempts by default.
    let failing = || reply(502, r#"{"message":"Bad gateway"}"#);
    let script = Script::new(vec![
        installation(),
        minted("ghs_one", 600),
        failing(),
        failing(),
        failing(),
        failing(),
        minted("ghs_two", 600),
        failing(),
        failing(),
        failing(),
        failing(),
    ]);
    let (app, clock) = credentials(&script);
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_one");
    // Due at 5 minutes; GitHub fails: the token serves on, tried again 30 s later.
    clock.advance(Duration::from_secs(5 * 60));
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_one");
    assert_eq!(script.calls().len(), 6);
    clock.advance(Duration::from_secs(29));
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_one");
    assert_eq!(script.calls().len(), 6);
    clock.advance(Duration::from_secs(1));
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_two");
    // Once the token has expired, a failed renewal is the caller's error.
    clock.advance(Duration::from_secs(10 * 60));
    let err = app.authorization().await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Server);
}

#[tokio::test(start_paused = true)]
async fn many_requests_refused_together_renew_once() {
    let script = Script::new(vec![
        installation(),
        minted("ghs_one", 3600),
        minted("ghs_two", 3600),
    ]);
    let (app, _clock) = credentials(&script);
    let first = app.authorization().await.unwrap();
    // A stale token refused does not throw away the current one.
    assert!(app.renew_rejected("Bearer ghs_older"));
    assert_eq!(app.authorization().await.unwrap(), first);
    for _ in 0..10 {
        assert!(app.renew_rejected(&first));
    }
    let again = futures::future::join_all((0..10).map(|_| app.authorization())).await;
    assert!(
        again
            .iter()
            .all(|a| a.as_deref().unwrap() == "Bearer ghs_two")
    );
    assert_eq!(script.calls(), vec![LOOKUP, MINT, MINT]);
    // A request refused with the old token after the renewal keeps the new one.
    assert!(app.renew_rejected(&first));
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_two");
}

#[tokio::test(start_paused = true)]
async fn an_app_not_installed_on_the_organisation_says_so() {
    let script = Script::new(vec![reply(404, r#"{"message":"Not Found"}"#)]);
    let (app, _clock) = credentials(&script);
    let err = app.authorization().await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::NotFound);
    assert_eq!(err.call.to_string(), LOOKUP);
    let hint = err.hint();
    assert!(
        hint.contains("the GitHub App 15368 is not installed on the organisation `acme`"),
        "{hint}"
    );
    assert!(hint.contains("install the app on it"), "{hint}");
}

#[tokio::test(start_paused = true)]
async fn a_refused_jwt_names_the_app_id_the_key_and_the_clock() {
    let two_hours_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(2);
    let date = two_hours_ago
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap();
    let script = Script::new(vec![Reply::Answer(
        401,
        r#"{"message":"'Expiration time' claim ('exp') is too far in the future"}"#.to_owned(),
        vec![("date", date)],
    )]);
    let (app, _clock) = credentials(&script);
    let err = app.authorization().await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Auth);
    let hint = err.hint();
    for part in [
        "GitHub App 15368",
        "numeric App ID",
        "private key",
        "this machine's clock is right (it is 720",
        "s ahead of GitHub's)",
    ] {
        assert!(hint.contains(part), "{part}: {hint}");
    }
    let shown = format!("{err:?} {}", err.cause.as_ref().unwrap());
    assert!(shown.contains("too far in the future"), "{shown}");
    assert!(!shown.contains("eyJ"), "{shown}");
}

#[tokio::test(start_paused = true)]
async fn a_removed_installation_is_looked_up_again_a_suspended_one_is_not() {
    let script = Script::new(vec![
        installation(),
        reply(404, r#"{"message":"Not Found"}"#),
        reply(200, r#"{"id":78}"#),
        reply(403, r#"{"message":"This installation has been suspended"}"#),
        minted("ghs_back", 3600),
    ]);
    let (app, _clock) = credentials(&script);
    let err = app.authorization().await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Auth);
    assert!(
        err.hint().contains(
            "the installation 77 of the GitHub App 15368 on `acme` may be suspended or removed"
        ),
        "{}",
        err.hint()
    );
    let err = app.authorization().await.unwrap_err();
    assert!(err.hint().contains("installation 78"), "{}", err.hint());
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_back");
    assert_eq!(
        script.calls(),
        vec![
            LOOKUP,
            MINT,
            LOOKUP,
            "POST /app/installations/78/access_tokens",
            "POST /app/installations/78/access_tokens"
        ]
    );
}

/// The app's calls go through the client's one retry engine: the same retries, pauses and
/// rate-limit waits as every read.
#[tokio::test(start_paused = true)]
async fn dropped_connections_timeouts_and_5xx_are_retried_like_every_read() {
    let script = Script::new(vec![
        Reply::Fail(TransportErrorKind::Closed),
        reply(502, "bad gateway"),
        installation(),
        Reply::Fail(TransportErrorKind::Timeout),
        minted("ghs_one", 3600),
    ]);
    let (app, _clock) = credentials(&script);
    let start = tokio::time::Instant::now();
    assert_eq!(app.authorization().await.unwrap(), "Bearer ghs_one");
    assert_eq!(script.calls(), vec![LOOKUP, LOOKUP, LOOKUP, MINT, MINT]);
    // Pauses of 0.5 s and 1 s (each with jitter in [0.5, 1)) before the lookup's retries,
    // 0.5 s before the mint's.
    let took = start.elapsed();
    assert!(
        (Duration::from_secs(1)..Duration::from_secs(2)).contains(&took),
        "{took:?}"
    );

    let script = Script::new(vec![
        reply(500, "{}"),
        reply(503, "{}"),
        reply(502, "{}"),
        reply(502, r#"{"message":"Bad gateway"}"#),
    ]);
    let (app, _clock) = credentials(&script);
    let err = app.authorization().await.unwrap_err();
    assert_eq!(err.kind, ApiErrorKind::Server);
    assert_eq!(err.cause.as_ref().unwrap().to_string(), "502: Bad gateway");
    assert_eq!(script.calls().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_is_waited_out_within_the_clients_limit_and_a_longer_one_stops_the_run() {
    const SECONDARY: &str = r#"{"message":"You have exceeded a secondary rate limit","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}"#;
    let limited = |secs: u64| {
        Reply::Answer(
            403,
            SECONDARY.to_owned(),
            vec![("retry-after", secs.to_string())],
        )
    };
    let script = Script::new(vec![limited(30), installation(), limited(120)]);
    let (app, _clock) = credentials(&script);
    let start = tokio::time::Instant::now();
    let err = app.authorization().await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_secs(30));
    assert_eq!(script.calls(), vec![LOOKUP, LOOKUP, MINT]);
    assert_eq!(err.kind, ApiErrorKind::RateLimited);
    assert!(err.hint().contains("try again in 120 s"), "{}", err.hint());
    // The run stopped: nothing more is sent.
    app.authorization().await.unwrap_err();
    assert_eq!(script.calls().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn debug_output_shows_no_secret() {
    let script = Script::new(vec![installation(), minted("ghs_secret", 3600)]);
    let (app, _clock) = credentials(&script);
    app.authorization().await.unwrap();
    let shown = format!("{app:?}");
    assert!(shown.contains("app_id: 15368"), "{shown}");
    for secret in ["ghs_", "eyJ", "BEGIN", "MII"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}
