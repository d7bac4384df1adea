//! RS256 with `ring` (already linked for TLS): a PEM private key read into a key pair —
//! PKCS#1 (`RSA PRIVATE KEY`, as GitHub hands App keys out) or PKCS#8 (`PRIVATE KEY`) — and
//! a JSON Web Token signed with it (RSASSA-PKCS1-v1_5 over SHA-256).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde::Serialize;

/// The JOSE header of every JWT signed here.
const HEADER: &str = r#"{"alg":"RS256","typ":"JWT"}"#;

/// Reads the first PEM block of `pem`: its label and its DER bytes.
fn pem_block(pem: &str) -> Result<(String, Vec<u8>), String> {
    let mut lines = pem.lines().map(str::trim);
    let label = lines
        .find_map(|line| {
            line.strip_prefix("-----BEGIN ")
                .and_then(|rest| rest.strip_suffix("-----"))
        })
        .ok_or("it is not an RSA private key in PEM form (no -----BEGIN line)")?
        .to_owned();
    let end = format!("-----END {label}-----");
    let mut body = String::new();
    for line in lines.by_ref() {
        if line == end {
            return STANDARD
                .decode(&body)
                .map(|der| (label, der))
                .map_err(|_| "its PEM body is not base64".to_owned());
        }
        if line.contains(':') {
            return Err("it is encrypted: give the decrypted key".to_owned());
        }
        body.push_str(line);
    }
    Err(format!(
        "it is not an RSA private key in PEM form (no {end} line)"
    ))
}

/// Returns the RSA key pair of a PEM private key, or why it is not one.
pub fn key_pair(pem: &str) -> Result<RsaKeyPair, String> {
    let (label, der) = pem_block(pem)?;
    let pair = match label.as_str() {
        "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der),
        "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der),
        "ENCRYPTED PRIVATE KEY" => return Err("it is encrypted: give the decrypted key".into()),
        _ if label.contains("PUBLIC KEY") => {
            return Err("it is a public key, not the private key".into());
        }
        other => {
            return Err(format!(
                "it is a {} block, not an RSA private key",
                crate::output::untrusted::quote(other)
            ));
        }
    };
    pair.map_err(|rejected| format!("it is not an RSA private key ring accepts ({rejected})"))
}

/// Returns `claims` as a JWT signed RS256 with `key`.
pub fn sign_jwt(key: &RsaKeyPair, claims: &impl Serialize) -> Result<String, String> {
    let claims = serde_json::to_vec(claims).map_err(|err| err.to_string())?;
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(HEADER),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .map_err(|_| "the signature could not be made".to_owned())?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}
