//! Secret values for GitHub: a libsodium sealed box against the environment's public key,
//! base64-encoded, as GitHub requires.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use crypto_box::aead::OsRng;

use crate::github::wire::actions::{PublicKey, SecretRequest};

/// Seals a value with the environment's key and returns the PUT body.
pub fn secret_request(key: &PublicKey, plaintext: &[u8]) -> Result<SecretRequest, String> {
    Ok(SecretRequest {
        encrypted_value: seal(&key.key, plaintext)?,
        key_id: key.key_id.as_text(),
    })
}

fn seal(public_key_base64: &str, plaintext: &[u8]) -> Result<String, String> {
    let bytes = BASE64
        .decode(public_key_base64.trim())
        .map_err(|err| format!("the environment's public key is not base64: {err}"))?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "the environment's public key is not 32 bytes".to_owned())?;
    let key = crypto_box::PublicKey::from(bytes);
    let sealed = key
        .seal(&mut OsRng, plaintext)
        .map_err(|_| "encrypting the secret failed".to_owned())?;
    Ok(BASE64.encode(sealed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_box_opens_with_the_secret_key() {
        let secret = crypto_box::SecretKey::generate(&mut OsRng);
        let public = BASE64.encode(secret.public_key().as_bytes());
        let sealed = BASE64.decode(seal(&public, b"hunter2").unwrap()).unwrap();
        assert_eq!(sealed.len(), 48 + 7, "libsodium's overhead is 48 bytes");
        assert_eq!(secret.unseal(&sealed).unwrap(), b"hunter2");
    }
}
