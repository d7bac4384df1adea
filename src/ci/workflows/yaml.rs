//! The YAML value type of the workflow check, and the parser's limits for workflow files.
//!
//! A generic value that keeps mapping order (matrix values are named in key order) and the
//! line of every mapping key (for `environment:` and `name:`). Nothing here knows about jobs
//! or matrices; `parse` is the only way in, and it runs the parser with a budget sized for
//! workflow files, so an alias bomb or a deeply nested document is refused before it costs
//! more than a few megabytes.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::options::AliasLimits;
use serde_saphyr::{Budget, Options, Spanned};

use super::limits::{MAX_FILE_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES};

/// A YAML value as the workflow check sees it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Yaml {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Yaml>),
    Map(Vec<Entry>),
}

/// One key of a mapping, with its line.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    /// The key as text; a key that is not a scalar is empty.
    pub(super) key: String,
    /// 1-based line of the key; 0 when unknown.
    pub(super) line: usize,
    pub(super) value: Yaml,
}

/// Parses one workflow file with the workflow budget.
pub(super) fn parse(text: &str) -> Result<Yaml, serde_saphyr::Error> {
    serde_saphyr::from_str_with_options::<Yaml>(text, options())
}

/// The parser's options for workflow files: one document, and a budget a few times larger
/// than the largest real workflows (a few thousand lines) but far below the parser's
/// defaults, which allow a million replayed alias events.
fn options() -> Options {
    let max_bytes = usize::try_from(MAX_FILE_BYTES).unwrap_or(usize::MAX);
    let mut budget = Budget::default();
    budget.max_reader_input_bytes = Some(max_bytes);
    budget.max_events = 2 * MAX_YAML_NODES;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_depth = MAX_YAML_DEPTH;
    budget.max_documents = 1;
    budget.max_nodes = MAX_YAML_NODES;
    budget.max_total_scalar_bytes = max_bytes;
    budget.max_recorded_anchor_events = 100_000;
    budget.max_recorded_anchor_bytes = max_bytes;
    budget.max_merge_keys = 10_000;
    let mut limits = AliasLimits::default();
    limits.max_total_replayed_events = 100_000;
    limits.max_replay_stack_depth = 16;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits = limits;
    options
}

impl Yaml {
    /// Returns the entries of a mapping.
    pub(super) fn as_map(&self) -> Option<&[Entry]> {
        match self {
            Self::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// Returns the first entry of a mapping with this key.
    pub(super) fn get_entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key == key)
    }

    /// Returns the value of the first entry of a mapping with this key.
    pub(super) fn get(&self, key: &str) -> Option<&Self> {
        self.get_entry(key).map(|e| &e.value)
    }

    /// Returns a scalar as GitHub shows it in a name (`true`, `18`, `3.1`).
    pub(super) fn scalar(&self) -> Option<String> {
        match self {
            Self::Null => Some(String::new()),
            Self::Bool(b) => Some(b.to_string()),
            Self::Int(i) => Some(i.to_string()),
            Self::Float(f) => Some(f.to_string()),
            Self::Str(s) => Some(s.clone()),
            Self::Seq(_) | Self::Map(_) => None,
        }
    }

    /// Returns true when both values are equal, adding one to `steps` per node compared, so
    /// that callers can charge deep comparisons of large values to their budget.
    pub(super) fn same(&self, other: &Self, steps: &mut usize) -> bool {
        *steps += 1;
        if std::ptr::eq(self, other) {
            return true;
        }
        match (self, other) {
            (Self::Seq(a), Self::Seq(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.same(b, steps))
            }
            (Self::Map(a), Self::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(a, b)| a.key == b.key && a.value.same(&b.value, steps))
            }
            (Self::Str(a), Self::Str(b)) => {
                *steps += a.len().min(b.len()) / 64;
                a == b
            }
            (a, b) => a == b,
        }
    }
}

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> Visitor<'de> for YamlVisitor {
    type Value = Yaml;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Yaml, E> {
        Ok(Yaml::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Yaml, E> {
        Ok(Yaml::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Yaml, E> {
        Ok(Yaml::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Yaml, E> {
        Ok(Yaml::Int(v.into()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Yaml, E> {
        // Above i128::MAX only; shown as GitHub would show the number's text.
        Ok(i128::try_from(v).map_or_else(|_| Yaml::Str(v.to_string()), Yaml::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Yaml, E> {
        Ok(Yaml::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Yaml, E> {
        Ok(Yaml::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Yaml, E> {
        Ok(Yaml::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Yaml, E> {
        Ok(Yaml::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Yaml, D::Error> {
        Yaml::deserialize(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Yaml, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Yaml::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Yaml, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Yaml>>()? {
            let line = usize::try_from(key.referenced.line()).unwrap_or(0);
            // Keys are strings in workflows; a YAML 1.1 `on` would be `true`, kept as "true".
            let key = key.value.scalar().unwrap_or_default();
            let value = map.next_value()?;
            entries.push(Entry { key, line, value });
        }
        Ok(Yaml::Map(entries))
    }
}
