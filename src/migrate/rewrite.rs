//! When the text cannot be edited in place (a flow mapping, an anchor an edit would cut):
//! the same edits made on the document as a JSON value, written back as YAML. The order of
//! every key is kept, and the comments that open the file; other comments are lost, and the
//! caller says so.

use serde_json::{Map, Value};

use super::edit::Edit;
use crate::policy::Segment;

/// Applies the edits to the document and writes it whole.
pub fn rewrite(text: &str, edits: &[Edit]) -> Result<String, String> {
    let mut document = parse(text)?;
    for edit in edits {
        match edit {
            Edit::Replace { path, body } => {
                let (last, holder) = holder(&mut document, path)?;
                holder.insert(last, parse(body)?);
            }
            Edit::Append {
                parent,
                key,
                after,
                entries,
            } => {
                let Value::Object(entries) = parse(entries)? else {
                    return Err("the entries to add are not a mapping".to_owned());
                };
                let parent = object_at(&mut document, parent)?;
                match parent.get_mut(key) {
                    Some(Value::Object(existing)) => existing.extend(entries),
                    Some(existing @ Value::Null) => *existing = Value::Object(entries),
                    Some(_) => return Err(format!("`{key}` is not a mapping")),
                    None => insert_after(parent, after, key, Value::Object(entries)),
                }
            }
            Edit::Remove { path } => {
                let (last, holder) = holder(&mut document, path)?;
                holder.shift_remove(&last);
            }
        }
    }
    let yaml = serde_saphyr::to_string(&document).map_err(|err| err.to_string())?;
    let opening: String = text
        .lines()
        .take_while(|line| line.trim_start().starts_with('#'))
        .flat_map(|line| [line, "\n"])
        .collect();
    Ok(format!("{opening}{yaml}"))
}

fn parse(text: &str) -> Result<Value, String> {
    crate::policy::to_json("policy", text).map_err(|err| err.to_string())
}

/// Returns the mapping that holds the path's last key, and that key.
fn holder<'a>(
    document: &'a mut Value,
    path: &[Segment],
) -> Result<(String, &'a mut Map<String, Value>), String> {
    let Some((Segment::Key(last), parent)) = path.split_last() else {
        return Err("an edit names no key".to_owned());
    };
    Ok((last.clone(), object_at(document, parent)?))
}

fn object_at<'a>(
    mut value: &'a mut Value,
    path: &[Segment],
) -> Result<&'a mut Map<String, Value>, String> {
    for segment in path {
        value = match (value, segment) {
            (Value::Object(map), Segment::Key(key)) => map
                .get_mut(key)
                .ok_or_else(|| format!("`{key}` is not in the document"))?,
            (Value::Array(items), Segment::Index(i)) => items
                .get_mut(*i)
                .ok_or_else(|| format!("item {i} is not in the document"))?,
            _ => return Err("the document does not have the shape of a policy".to_owned()),
        };
    }
    match value {
        Value::Object(map) => Ok(map),
        _ => Err("the document does not have the shape of a policy".to_owned()),
    }
}

/// Inserts `key` right after `after` (or at the end), keeping the order of the rest.
fn insert_after(map: &mut Map<String, Value>, after: &str, key: &str, value: Value) {
    let at = map
        .keys()
        .position(|k| k == after)
        .map_or(map.len(), |i| i + 1);
    let tail: Vec<(String, Value)> = {
        let keys: Vec<String> = map.keys().skip(at).cloned().collect();
        keys.into_iter()
            .filter_map(|k| map.shift_remove(&k).map(|v| (k, v)))
            .collect()
    };
    map.insert(key.to_owned(), value);
    map.extend(tail);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_document_is_rewritten_in_order_with_its_opening_comments() {
        let text = "# schema line\nversion: 1\nbranches: {main: {enforce_admins: true}} # gone\nenvironments: {staging: {}}\n";
        let edits = [
            Edit::Replace {
                path: vec![Segment::Key("branches".into()), Segment::Key("main".into())],
                body: "protected: false".into(),
            },
            Edit::Append {
                parent: Vec::new(),
                key: "rulesets".into(),
                after: "branches".into(),
                entries: "protect-main:\n  include: [main]\n".into(),
            },
        ];
        let written = rewrite(text, &edits).unwrap();
        assert!(
            written.starts_with("# schema line\nversion: 1\n"),
            "{written}"
        );
        let value = parse(&written).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["version", "branches", "rulesets", "environments"]);
        assert_eq!(value["branches"]["main"]["protected"], false);
        assert_eq!(value["rulesets"]["protect-main"]["include"][0], "main");
        let removed = rewrite(
            &written,
            &[Edit::Remove {
                path: vec![Segment::Key("environments".into())],
            }],
        )
        .unwrap();
        assert!(parse(&removed).unwrap().get("environments").is_none());
    }
}
