//! GitHub's official `OpenAPI` description, loaded once and turned into JSON Schema validators.
//!
//! The document is vendored in `emulator/github-api/openapi-subset.json` (see `SOURCE.md`
//! there for its origin and how to refresh it) and embedded at compile time, so the emulator
//! needs no file at run time.
//! `OpenAPI` 3.0's `nullable: true` is converted to a JSON Schema `null` type; every `$ref`
//! resolves against the document's own `components`. Two documented overlays bring the official
//! request schemas in line with what the live API accepts (see [`overlay`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::{Draft, Validator};
use serde_json::{Map, Value, json};

/// The loaded description and a cache of compiled validators.
pub(crate) struct Api {
    doc: Value,
    schemas: Value,
    cache: Mutex<HashMap<String, Option<Arc<Validator>>>>,
}

static API: OnceLock<Result<Api, String>> = OnceLock::new();

/// The vendored description, embedded at compile time.
const DOCUMENT: &str = include_str!("../github-api/openapi-subset.json");

/// Returns the folder of the vendored description: `openapi-subset.json`, `examples/` (GitHub's
/// official example bodies, with `examples/INDEX.json`) and `SOURCE.md`.
pub fn github_api_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/github-api"))
}

/// Returns the loaded description, or why it could not be loaded.
pub(crate) fn api() -> Result<&'static Api, &'static str> {
    API.get_or_init(load).as_ref().map_err(String::as_str)
}

fn load() -> Result<Api, String> {
    let doc: Value = serde_json::from_str(DOCUMENT)
        .map_err(|e| format!("cannot parse the vendored openapi-subset.json: {e}"))?;
    let schemas = convert(&doc["components"]["schemas"]);
    Ok(Api {
        doc,
        schemas,
        cache: Mutex::new(HashMap::new()),
    })
}

/// Converts `OpenAPI` 3.0 schema keywords to JSON Schema 2020-12 (`nullable`, examples dropped).
fn convert(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                match k.as_str() {
                    "nullable" | "example" | "examples" | "discriminator" => {}
                    "properties" => {
                        let props = x.as_object().map(|p| {
                            p.iter()
                                .map(|(n, s)| (n.clone(), convert(s)))
                                .collect::<Map<_, _>>()
                        });
                        out.insert(k.clone(), props.map_or(Value::Null, Value::Object));
                    }
                    _ => {
                        out.insert(k.clone(), convert(x));
                    }
                }
            }
            if m.get("nullable") == Some(&Value::Bool(true)) {
                make_nullable(out)
            } else {
                Value::Object(out)
            }
        }
        Value::Array(a) => Value::Array(a.iter().map(convert).collect()),
        _ => v.clone(),
    }
}

fn make_nullable(mut out: Map<String, Value>) -> Value {
    match out.get("type").cloned() {
        Some(Value::String(t)) => {
            out.insert("type".into(), json!([t, "null"]));
            if let Some(Value::Array(e)) = out.get_mut("enum") {
                e.push(Value::Null);
            }
            Value::Object(out)
        }
        _ => json!({"anyOf": [{"type": "null"}, Value::Object(out)]}),
    }
}

/// Applies the documented differences between the official request schemas and the live API.
///
/// 1. `PUT .../environments/{environment_name}`: the official body schema has
///    `additionalProperties: false` and lacks `can_admins_bypass`, which the live API accepts
///    and echoes back (github-api/QUIRKS.md 31: go-github and Terraform always send it).
///    That one property is added; everything else stays official.
/// 2. `PUT .../branches/{branch}/protection`: the official schema requires `strict` and
///    `contexts` in `required_status_checks`; the live validator instead requires exactly one of
///    `contexts` or `checks` (github-api/QUIRKS.md 22: both or neither give 422).
fn overlay(method: &str, path: &str, schema: &mut Value) {
    match (method, path) {
        ("put", "/repos/{owner}/{repo}/environments/{environment_name}") => {
            // The schema is nullable, so after conversion the properties sit at the top level
            // (type ["object","null"]).
            if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
                props.insert("can_admins_bypass".into(), json!({"type": "boolean"}));
            }
        }
        ("put", "/repos/{owner}/{repo}/branches/{branch}/protection") => {
            if let Some(rsc) = schema.pointer_mut("/properties/required_status_checks")
                && let Some(obj) = rsc.as_object_mut()
            {
                obj.insert("required".into(), json!(["strict"]));
                obj.insert("if".into(), json!({"type": "object"}));
                obj.insert(
                    "then".into(),
                    json!({"oneOf": [{"required": ["contexts"]}, {"required": ["checks"]}]}),
                );
            }
        }
        _ => {}
    }
}

impl Api {
    fn operation(&self, method: &str, path: &str) -> Option<&Value> {
        self.doc
            .get("paths")?
            .get(path)?
            .get(method.to_ascii_lowercase())
    }

    /// Returns whether the operation's request body is optional.
    pub(crate) fn body_optional(&self, method: &str, path: &str) -> bool {
        self.operation(method, path)
            .and_then(|op| op.pointer("/requestBody/required"))
            .and_then(Value::as_bool)
            != Some(true)
    }

    fn validator(
        &self,
        key: String,
        schema: impl FnOnce() -> Option<Value>,
    ) -> Option<Arc<Validator>> {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(key)
            .or_insert_with(|| {
                let root = json!({"allOf": [schema()?], "components": {"schemas": self.schemas}});
                jsonschema::options()
                    .with_draft(Draft::Draft202012)
                    .build(&root)
                    .ok()
                    .map(Arc::new)
            })
            .clone()
    }

    /// Validates a request body; `None` when the operation has no request schema.
    pub(crate) fn check_request(
        &self,
        method: &str,
        path: &str,
        body: &Value,
    ) -> Option<Vec<String>> {
        let m = method.to_ascii_lowercase();
        let v = self.validator(format!("req {m} {path}"), || {
            let s = self
                .operation(&m, path)?
                .pointer("/requestBody/content/application~1json/schema")?;
            let mut s = convert(s);
            overlay(&m, path, &mut s);
            Some(s)
        })?;
        Some(errors(&v, body))
    }

    /// Validates a response body; `None` when the operation documents no JSON body for `status`.
    pub(crate) fn check_response(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
    ) -> Option<Vec<String>> {
        let m = method.to_ascii_lowercase();
        let v = self.validator(format!("res {m} {path} {status}"), || {
            let mut r = self
                .operation(&m, path)?
                .get("responses")?
                .get(status.to_string())?;
            if let Some(Value::String(reference)) = r.get("$ref") {
                r = self.doc.pointer(reference.strip_prefix('#')?)?;
            }
            Some(convert(r.pointer("/content/application~1json/schema")?))
        })?;
        Some(errors(&v, body))
    }
}

fn errors(v: &Validator, body: &Value) -> Vec<String> {
    v.iter_errors(body)
        .map(|e| {
            let at = e.instance_path().to_string();
            if at.is_empty() {
                e.to_string()
            } else {
                format!("{at}: {e}")
            }
        })
        .collect()
}

/// Validates `body` against the request schema of the operation `method path_template` (for
/// example `PUT /repos/{owner}/{repo}/environments/{environment_name}`), with the emulator's
/// documented overlays.
///
/// Returns `Ok(())` when it conforms, or the list of schema errors; `Err` with one message when
/// the description cannot be loaded or the operation has no request schema.
pub fn validate_request(
    method: &str,
    path_template: &str,
    body: &Value,
) -> Result<(), Vec<String>> {
    let api = api().map_err(|e| vec![e.to_owned()])?;
    match api.check_request(method, path_template, body) {
        None => Err(vec![format!(
            "no request schema for {method} {path_template}"
        )]),
        Some(errs) if errs.is_empty() => Ok(()),
        Some(errs) => Err(errs),
    }
}

/// Validates `body` against the documented response schema of `method path_template` for
/// `status`; same conventions as [`validate_request`].
pub fn validate_response(
    method: &str,
    path_template: &str,
    status: u16,
    body: &Value,
) -> Result<(), Vec<String>> {
    let api = api().map_err(|e| vec![e.to_owned()])?;
    match api.check_response(method, path_template, status, body) {
        None => Err(vec![format!(
            "no response schema for {method} {path_template} {status}"
        )]),
        Some(errs) if errs.is_empty() => Ok(()),
        Some(errs) => Err(errs),
    }
}
