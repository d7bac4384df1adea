//! Environment secrets (sealed boxes) and variables.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use super::environments::{Secret, Variable};
use super::{Reply, Repo, Res, docs, error, not_found};
use crate::render;

impl Repo {
    /// `PUT .../secrets/{name}`: 201 created, 204 updated; 422 on a stale key id or a value
    /// that is not a sealed box for the current key.
    pub(crate) fn put_secret(&mut self, env: &str, name: &str, b64: &str, key_id: &str) -> Res {
        let e = self.env_mut(env)?;
        if key_id != e.key_id {
            return Err(error(
                422,
                "Bad request: key_id does not match the environment's current public key",
                docs::SECRETS,
            ));
        }
        let sealed = B64
            .decode(b64)
            .ok()
            .filter(|s| e.key.unseal(s).is_ok())
            .ok_or_else(|| {
                error(
                    422,
                    "Bad request: encrypted_value could not be decrypted with the environment's public key",
                    docs::SECRETS,
                )
            })?;
        let name = name.to_ascii_uppercase();
        let now = render::now_iso();
        if let Some(s) = e.secrets.get_mut(&name) {
            s.sealed = sealed;
            s.updated = now;
            Ok(Reply::empty(204))
        } else {
            e.secrets.insert(
                name,
                Secret {
                    sealed,
                    created: now.clone(),
                    updated: now,
                },
            );
            Ok(Reply::json(201, json!({})))
        }
    }

    /// `DELETE .../secrets/{name}`.
    pub(crate) fn delete_secret(&mut self, env: &str, name: &str) -> Res {
        let e = self.env_mut(env)?;
        e.secrets
            .remove(&name.to_ascii_uppercase())
            .map(|_| Reply::empty(204))
            .ok_or_else(not_found)
    }

    /// `POST .../variables`: 201 `{}`, 409 when it exists.
    pub(crate) fn create_variable(&mut self, env: &str, name: &str, value: &str) -> Res {
        let e = self.env_mut(env)?;
        let name = name.to_ascii_uppercase();
        if e.variables.contains_key(&name) {
            return Err(error(
                409,
                "Already exists - Variable already exists",
                docs::VARIABLES,
            ));
        }
        let now = render::now_iso();
        e.variables.insert(
            name,
            Variable {
                value: value.to_owned(),
                created: now.clone(),
                updated: now,
            },
        );
        Ok(Reply::json(201, json!({})))
    }

    /// `PATCH .../variables/{name}`: 204; may rename.
    pub(crate) fn update_variable(&mut self, env: &str, name: &str, body: &Value) -> Res {
        let e = self.env_mut(env)?;
        let name = name.to_ascii_uppercase();
        let mut var = e.variables.get(&name).cloned().ok_or_else(not_found)?;
        let new_name = body
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| name.clone(), str::to_ascii_uppercase);
        if new_name != name && e.variables.contains_key(&new_name) {
            return Err(error(
                409,
                "Already exists - Variable already exists",
                docs::VARIABLES,
            ));
        }
        if let Some(v) = body.get("value").and_then(Value::as_str) {
            v.clone_into(&mut var.value);
        }
        var.updated = render::now_iso();
        e.variables.remove(&name);
        e.variables.insert(new_name, var);
        Ok(Reply::empty(204))
    }

    /// `DELETE .../variables/{name}`.
    pub(crate) fn delete_variable(&mut self, env: &str, name: &str) -> Res {
        let e = self.env_mut(env)?;
        e.variables
            .remove(&name.to_ascii_uppercase())
            .map(|_| Reply::empty(204))
            .ok_or_else(not_found)
    }
}
