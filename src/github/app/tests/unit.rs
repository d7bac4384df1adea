//! The key, the JWT's claims, renewal timing, and reading the App ID and the key file.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use gh_policy_emulator::test_keys;

use super::super::jwt::{AppKey, Claims, normalise};
use super::super::renewal::{Held, renew_after};
use super::super::{RENEW_BEFORE, parse_app_id, read_private_key};
use super::{APP_ID, KEY};

#[test]
fn claims_are_backdated_a_minute_and_live_ten() {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    assert_eq!(
        Claims::at(APP_ID, now),
        Claims {
            iat: 1_699_999_940,
            exp: 1_700_000_540,
            iss: APP_ID
        }
    );
}

#[test]
fn the_jwt_is_rs256_with_the_app_id_as_a_number() {
    let jwt = AppKey::new(APP_ID, KEY)
        .unwrap()
        .sign(SystemTime::now())
        .unwrap();
    let header = jwt.split('.').next().unwrap();
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .unwrap();
    assert_eq!(header, br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = test_keys::verify(&jwt).expect("the signature verifies with the public key");
    assert_eq!(claims["iss"], serde_json::json!(APP_ID));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let iat = claims["iat"].as_u64().unwrap();
    assert!((now - 61..=now - 59).contains(&iat), "{iat} vs {now}");
    assert_eq!(claims["exp"].as_u64().unwrap(), iat + 600);
    // Signed with another key, it does not verify.
    let other = AppKey::new(APP_ID, test_keys::OTHER_PRIVATE_KEY_PEM)
        .unwrap()
        .sign(SystemTime::now())
        .unwrap();
    assert!(test_keys::verify(&other).is_none());
}

#[test]
fn a_pkcs8_key_signs_as_its_pkcs1_form_does() {
    let jwt = AppKey::new(APP_ID, test_keys::PRIVATE_KEY_PKCS8_PEM)
        .unwrap()
        .sign(SystemTime::now())
        .unwrap();
    let claims = test_keys::verify(&jwt).expect("the signature verifies with the public key");
    assert_eq!(claims["iss"], serde_json::json!(APP_ID));
}

#[test]
fn a_key_pasted_on_one_line_is_accepted() {
    let one_line = KEY.trim().replace('\n', "\\n");
    assert!(!one_line.contains('\n'));
    assert_eq!(normalise(&one_line), KEY.trim());
    AppKey::new(APP_ID, &format!("  {one_line}\n")).unwrap();
}

#[test]
fn a_key_that_cannot_sign_fails_at_once_without_showing_it() {
    let message = |pem: &str| {
        let err = AppKey::new(APP_ID, pem).unwrap_err();
        let shown = format!("{err} {err:?} {:?}", err.hints());
        assert!(!shown.contains("MII"), "{shown}");
        err.message().to_owned()
    };
    assert!(
        message(test_keys::PUBLIC_KEY_PEM).contains("it is a public key"),
        "{}",
        message(test_keys::PUBLIC_KEY_PEM)
    );
    assert!(message("not a key").contains("not an RSA private key in PEM form"));
    let damaged = KEY.replacen("MII", "MIJ", 1);
    assert!(message(&damaged).contains("the private key of the GitHub App 15368 cannot be used"));
    let debug = format!("{:?}", AppKey::new(APP_ID, KEY).unwrap());
    assert_eq!(debug, "AppKey { app_id: 15368, key: … }");
}

#[test]
fn tokens_are_renewed_five_minutes_before_they_expire_or_at_half_a_short_life() {
    let minutes = |m: u64| Duration::from_secs(m * 60);
    assert_eq!(RENEW_BEFORE, minutes(5));
    assert_eq!(renew_after(minutes(60), RENEW_BEFORE), minutes(55));
    assert_eq!(renew_after(minutes(10), RENEW_BEFORE), minutes(5));
    assert_eq!(renew_after(minutes(8), RENEW_BEFORE), minutes(4));
    assert_eq!(
        renew_after(Duration::from_secs(3), RENEW_BEFORE),
        Duration::from_millis(1500)
    );
    assert_eq!(renew_after(Duration::ZERO, RENEW_BEFORE), Duration::ZERO);
    assert_eq!(renew_after(minutes(60), Duration::ZERO), minutes(60));

    let arrived = Instant::now();
    let held = Held::new("ghs_secret", arrived, minutes(60), RENEW_BEFORE);
    assert!(held.fresh(arrived + minutes(54)));
    assert!(!held.fresh(arrived + minutes(55)));
    assert_eq!(held.authorization, "Bearer ghs_secret");
    assert!(!format!("{held:?}").contains("ghs_"));
}

#[test]
fn the_app_id_is_a_number_not_the_client_id() {
    assert_eq!(parse_app_id(" 15368\n", "--app-id").unwrap(), 15368);
    let err = parse_app_id("Iv1.0123456789abcdef", "GH_POLICY_APP_ID").unwrap_err();
    assert_eq!(
        err.message(),
        "GH_POLICY_APP_ID must be the GitHub App's numeric App ID, not `Iv1.0123456789abcdef`"
    );
    assert!(
        err.hints()[0].contains("not the client ID"),
        "{:?}",
        err.hints()
    );
    assert!(parse_app_id("0", "--app-id").is_err());
    assert!(parse_app_id("-3", "--app-id").is_err());
    // A key pasted in the wrong place is not echoed.
    let err = parse_app_id(KEY, "GH_POLICY_APP_ID").unwrap_err();
    assert!(!err.message().contains("BEGIN"), "{}", err.message());
    assert!(err.message().contains("a value of"), "{}", err.message());
}

#[test]
fn the_key_file_is_read_or_the_error_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.pem");
    std::fs::write(&path, KEY).unwrap();
    assert_eq!(read_private_key(&path).unwrap(), KEY);

    let message = |path: &std::path::Path| read_private_key(path).unwrap_err().message().to_owned();
    assert!(message(&dir.path().join("missing.pem")).ends_with("missing.pem` does not exist"));
    assert!(
        message(dir.path()).contains("is a directory")
            || message(dir.path()).contains("cannot be read")
    );
    let public = dir.path().join("public.pem");
    std::fs::write(&public, test_keys::PUBLIC_KEY_PEM).unwrap();
    assert!(message(&public).ends_with("holds a public key, not the private key"));
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "app id 15368").unwrap();
    assert!(message(&text).ends_with("is not a PEM file (no -----BEGIN line)"));
    let binary = dir.path().join("key.der");
    std::fs::write(&binary, [0x30, 0x82, 0xff, 0xfe]).unwrap();
    assert!(message(&binary).ends_with("is not a PEM file (not text)"));
    let err = read_private_key(&public).unwrap_err();
    assert!(
        err.hints()[0].contains("--private-key"),
        "{:?}",
        err.hints()
    );
}

#[test]
fn http_dates_are_read() {
    use crate::github::client::rate_limit::parse_http_date;
    let date = parse_http_date("Wed, 02 Dec 2026 00:47:38 GMT").unwrap();
    assert_eq!(date.unix_timestamp(), 1_796_172_458);
    assert!(parse_http_date("yesterday").is_none());
}
