//! Environment secrets and variables (`…/environments/{env}/secrets`, `…/variables`).

use serde::{Deserialize, Serialize};

use crate::model::names::{SecretName, VariableName};

/// `actions-secret`: one item of GET `…/secrets`. Values are never returned.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SecretItem {
    /// The secret's name (an answer naming one against the rule is malformed).
    pub name: SecretName,
}

/// `actions-public-key`: GET `…/secrets/public-key`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PublicKey {
    /// The key's id, echoed back with each secret written. A string on github.com; some
    /// GitHub Enterprise Server versions send a number (emulator/github-api/QUIRKS.md 42).
    pub key_id: KeyId,
    /// Base64 of a 32-byte X25519 public key.
    pub key: String,
}

/// A public key id, a string or a number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeyId {
    /// As github.com sends it.
    Text(String),
    /// As some GHES versions send it.
    Number(u64),
}

impl KeyId {
    /// Returns the id as the PUT body wants it: a string.
    pub fn as_text(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Number(number) => number.to_string(),
        }
    }
}

/// The body of PUT `…/secrets/{secret_name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretRequest {
    /// The value, sealed with the environment's public key, base64.
    pub encrypted_value: String,
    /// The id of the key it was sealed with.
    pub key_id: String,
}

/// `actions-variable`: one item of GET `…/variables`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VariableItem {
    /// The variable's name (an answer naming one against the rule is malformed).
    pub name: VariableName,
    /// Its value.
    pub value: String,
}

/// The body of POST `…/variables` and PATCH `…/variables/{name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariableRequest {
    /// The name.
    pub name: String,
    /// The value.
    pub value: String,
}
