//! RS256 JWTs with `ring`: signing with a PEM private key (PKCS#1 or PKCS#8) and verifying
//! with a PEM public key (SPKI, or PKCS#1 `RSA PUBLIC KEY`), as GitHub does for App JWTs.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{
    RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair, UnparsedPublicKey,
};
use serde_json::Value;

/// Reads the first PEM block: its label and DER bytes.
fn pem_block(pem: &str) -> Option<(String, Vec<u8>)> {
    let mut lines = pem.lines().map(str::trim);
    let label = lines.find_map(|l| l.strip_prefix("-----BEGIN ")?.strip_suffix("-----"))?;
    let end = format!("-----END {label}-----");
    let body: String = lines.by_ref().take_while(|l| *l != end).collect();
    Some((label.to_owned(), STANDARD.decode(body).ok()?))
}

/// Splits one DER element: its tag, its contents and what follows it.
fn element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        let (bytes, rest) = rest.split_at_checked(n)?;
        let len = bytes.iter().try_fold(0usize, |len, b| {
            len.checked_mul(256)?.checked_add(usize::from(*b))
        })?;
        (len, rest)
    };
    let (contents, rest) = rest.split_at_checked(len)?;
    Some((tag, contents, rest))
}

/// Returns the PKCS#1 `RSAPublicKey` inside an SPKI `SubjectPublicKeyInfo`.
fn spki_key(der: &[u8]) -> Option<&[u8]> {
    let (0x30, info, _) = element(der)? else {
        return None;
    };
    let (0x30, _algorithm, rest) = element(info)? else {
        return None;
    };
    let (0x03, bits, _) = element(rest)? else {
        return None;
    };
    match bits.split_first()? {
        (0, key) => Some(key),
        _ => None,
    }
}

/// Returns `claims` signed RS256 with the PEM private key, as a JWT.
pub fn sign(claims: &Value, private_key_pem: &str) -> Option<String> {
    let (label, der) = pem_block(private_key_pem)?;
    let key = match label.as_str() {
        "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der).ok()?,
        "PRIVATE KEY" => RsaKeyPair::from_pkcs8(&der).ok()?,
        _ => return None,
    };
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        input.as_bytes(),
        &mut signature,
    )
    .ok()?;
    Some(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// Returns the claims of a JWT whose header says RS256 and whose signature verifies with
/// the PEM public key; `None` otherwise.
pub fn verify(jwt: &str, public_key_pem: &str) -> Option<Value> {
    let (label, der) = pem_block(public_key_pem)?;
    let key = match label.as_str() {
        "PUBLIC KEY" => spki_key(&der)?.to_vec(),
        "RSA PUBLIC KEY" => der,
        _ => return None,
    };
    let (input, signature) = jwt.rsplit_once('.')?;
    let (header, claims) = input.split_once('.')?;
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header["alg"] != "RS256" {
        return None;
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key)
        .verify(input.as_bytes(), &signature)
        .ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()
}
