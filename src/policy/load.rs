//! Reading a policy file and parsing its YAML into the model, with every error located.
//!
//! Cheap checks come first so that hostile input is refused before the parser sees it: the
//! size (from the file's metadata, before reading), UTF-8, emptiness. The YAML parser then
//! runs with a budget far tighter than its defaults (a policy file is a few hundred lines),
//! which stops alias bombs after a few thousand replayed events. Its errors become
//! `Diagnostic`s: a line, a column and a one-line message, never a snippet or a backtrace.

use std::borrow::Cow;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde_saphyr::options::{AliasLimits, DuplicateKeyPolicy};
use serde_saphyr::{Budget, MessageFormatter, Options, UserMessageFormatter};

use super::SourceMap;
use super::suggest::closest;
use super::{Diagnostic, PolicyError};
use crate::model::RepoSettings;

/// The largest policy file accepted, in bytes (1 MiB). Real ones are a few kilobytes.
pub const MAX_POLICY_BYTES: u64 = 1024 * 1024;

/// Reads the file as UTF-8 text, refusing a missing, huge, binary or empty file.
pub(super) fn read(path: &Path, display: &str) -> Result<String, PolicyError> {
    let unreadable = |err: std::io::Error| {
        let mut message = format!("cannot read the policy file: {}", io_reason(&err));
        if err.kind() == std::io::ErrorKind::NotFound {
            message.push_str(" (write one, or name it with `--policy FILE`)");
        }
        PolicyError::single(Diagnostic::file(display, message))
    };
    let file = File::open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(PolicyError::single(Diagnostic::file(
            display,
            "is a directory, not a policy file",
        )));
    }
    if metadata.len() > MAX_POLICY_BYTES {
        return Err(too_large(display, metadata.len()));
    }
    // The metadata can lie (a pipe, a file growing); never read more than the limit + 1.
    let mut bytes = Vec::new();
    file.take(MAX_POLICY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > MAX_POLICY_BYTES {
        return Err(too_large(display, len));
    }
    decode(display, bytes)
}

fn too_large(display: &str, len: u64) -> PolicyError {
    PolicyError::single(Diagnostic::file(
        display,
        format!(
            "policy file is too large ({len} bytes; the limit is {MAX_POLICY_BYTES} bytes, 1 MiB)"
        ),
    ))
}

fn io_reason(err: &std::io::Error) -> String {
    // `Display` of an io::Error appends "(os error 2)"; keep only the words, lowercase.
    let text = err.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
    lowercase_first(&text).into_owned()
}

/// Decodes UTF-8, pointing at the first invalid byte.
fn decode(display: &str, bytes: Vec<u8>) -> Result<String, PolicyError> {
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let offset = valid.len();
        let bad = err.as_bytes().get(offset).copied().unwrap_or_default();
        let line = valid.split(|b| *b == b'\n').count();
        let line_start = valid
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |newline| newline + 1);
        let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
        PolicyError::single(Diagnostic::at(
            display,
            line,
            column,
            format!(
                "policy file is not valid UTF-8: byte 0x{bad:02X} at offset {offset} (save it as UTF-8)"
            ),
        ))
    })
}

/// Parses YAML text into the model. `display` names the file in diagnostics.
pub(super) fn parse_yaml(display: &str, text: &str) -> Result<RepoSettings, PolicyError> {
    let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if len > MAX_POLICY_BYTES {
        return Err(too_large(display, len));
    }
    if is_blank(text) {
        return Err(PolicyError::single(Diagnostic::file(
            display,
            "empty policy file (it needs at least `version: 1`)",
        )));
    }
    check_alias_expansion(display, text)?;
    serde_saphyr::from_str_with_options::<RepoSettings>(text, options())
        .map_err(|err| PolicyError::single(yaml_diagnostic(display, text, &err)))
}

/// Parses YAML text into plain JSON, with the same limits and error messages as
/// `parse_yaml`, but without the model: for checking a file against the JSON Schema.
pub(super) fn parse_json(display: &str, text: &str) -> Result<serde_json::Value, PolicyError> {
    let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if len > MAX_POLICY_BYTES {
        return Err(too_large(display, len));
    }
    check_alias_expansion(display, text)?;
    serde_saphyr::from_str_with_options::<serde_json::Value>(text, options())
        .map_err(|err| PolicyError::single(yaml_diagnostic(display, text, &err)))
}

/// Returns true when the text holds no YAML node: only blank lines, comments, markers.
fn is_blank(text: &str) -> bool {
    text.trim_start_matches('\u{FEFF}').lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    })
}

/// How many nodes aliases may add to a policy, in total. Anchors are for sharing a list
/// of reviewers or checks between a few branches; a billion-laughs document goes far beyond.
const MAX_ALIAS_NODES: u64 = 10_000;

/// Refuses documents whose aliases would expand to more than `MAX_ALIAS_NODES` nodes.
///
/// One pass over the events, counting the size of each anchored node once, so a bomb is
/// measured without being expanded; this holds wherever the bomb sits, even under a key
/// the model would refuse later. YAML errors are left to the real parse.
fn check_alias_expansion(display: &str, text: &str) -> Result<(), PolicyError> {
    use serde_saphyr::granit_parser::{Event, Parser};

    // An alias needs an anchor, and an anchor is written with `&`: without one there is
    // nothing to expand, and the pass can be skipped.
    if !text.contains('&') {
        return Ok(());
    }

    // Sizes of finished anchored nodes, by anchor id; open collections as (anchor, size).
    let mut anchors: Vec<u64> = Vec::new();
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut added: u64 = 0;
    let mut parser = Parser::new_from_str(text);
    let add = |open: &mut Vec<(usize, u64)>, size: u64| {
        if let Some((_, total)) = open.last_mut() {
            *total = total.saturating_add(size);
        }
    };
    let record = |anchors: &mut Vec<u64>, id: usize, size: u64| {
        if id > 0 {
            if anchors.len() <= id {
                anchors.resize(id + 1, 0);
            }
            anchors[id] = size;
        }
    };
    while let Some(Ok((event, span))) = parser.next_event() {
        match event {
            Event::Scalar(_, _, anchor, _) => {
                record(&mut anchors, anchor, 1);
                add(&mut open, 1);
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                open.push((anchor, 1));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, size)) = open.pop() {
                    record(&mut anchors, anchor, size);
                    add(&mut open, size);
                }
            }
            Event::Alias(id) => {
                let size = anchors.get(id).copied().unwrap_or(1);
                added = added.saturating_add(size);
                add(&mut open, size);
                if added > MAX_ALIAS_NODES {
                    return Err(PolicyError::single(Diagnostic::at(
                        display,
                        span.start.line(),
                        span.start.col() + 1,
                        format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); \
                             a policy file may use anchors and aliases only sparingly"
                        ),
                    )));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The parser's options for policy files: duplicate keys refused, one document, YAML 1.2
/// booleans only (`yes` is a string), and a small budget: a real policy has a few hundred
/// nodes and perhaps a dozen anchors.
fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_reader_input_bytes = Some(1024 * 1024);
    budget.max_events = 200_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_depth = 32;
    budget.max_documents = 1;
    budget.max_nodes = 100_000;
    budget.max_total_scalar_bytes = 1024 * 1024;
    budget.max_recorded_anchor_events = 20_000;
    budget.max_recorded_anchor_bytes = 1024 * 1024;
    budget.max_merge_keys = 1_000;
    let mut limits = AliasLimits::default();
    limits.max_total_replayed_events = 20_000;
    limits.max_replay_stack_depth = 16;
    limits.max_alias_expansions_per_anchor = 1_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.alias_limits = limits;
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.strict_booleans = true;
    options
}

/// Turns a parser error into one located, one-line diagnostic.
fn yaml_diagnostic(display: &str, text: &str, err: &serde_saphyr::Error) -> Diagnostic {
    let inner = innermost(err);
    let location = inner
        .location()
        .or_else(|| err.location())
        .filter(|location| location.line() > 0)
        .map(|location| {
            (
                usize::try_from(location.line()).unwrap_or(usize::MAX),
                usize::try_from(location.column())
                    .unwrap_or(usize::MAX)
                    .max(1),
            )
        });
    let message = message_for(inner, text, location);
    match location {
        Some((line, column)) => Diagnostic::at(display, line, column, message),
        None => Diagnostic::file(display, message),
    }
}

fn innermost(mut err: &serde_saphyr::Error) -> &serde_saphyr::Error {
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = err
    {
        err = error;
    }
    err
}

/// Returns the tool's message for a parser error: serde's phrasing rewritten where the
/// tool can say more (the closest key, the valid range of a setting), lowercase, one line.
fn message_for(err: &serde_saphyr::Error, text: &str, location: Option<(usize, usize)>) -> String {
    use serde_saphyr::Error as E;
    match err {
        E::SerdeUnknownVariant {
            variant, expected, ..
        } if expected.as_slice() == ["user", "team"] => {
            let name = one_line(variant);
            format!(
                "a reviewer is `user: LOGIN` or `team: SLUG`; found `{name}` (write `- user: {name}` or `- team: {name}`)"
            )
        }
        E::SerdeUnknownField {
            field, expected, ..
        }
        | E::SerdeUnknownVariant {
            variant: field,
            expected,
            ..
        } => unknown_key(&one_line(field), expected),
        E::SerdeMissingField { field, .. } => {
            if *field == "version" {
                String::from("missing key `version` (write `version: 1` at the top)")
            } else {
                format!("missing key `{field}`")
            }
        }
        E::DuplicateMappingKey { key, .. } => match key {
            Some(key) => format!(
                "duplicate key `{}`: each key may appear once in a mapping",
                one_line(key)
            ),
            None => String::from("duplicate key: each key may appear once in a mapping"),
        },
        E::InvalidScalar { ty, .. } => invalid_scalar(ty, text, location),
        E::Unexpected { expected, .. } => unexpected(expected, text, location),
        E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        }
        | E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => format!(
            "invalid value: found {}, expected {}",
            one_line(unexpected),
            one_line(expected)
        ),
        E::InvalidBooleanStrict { .. } => {
            let found = token_at(text, location);
            format!("expected `true` or `false`, found `{found}`")
        }
        E::Budget { breach, .. } => budget_message(breach),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => String::from(
            "aliases expand too far (an alias bomb?); a policy file may use anchors and aliases only sparingly",
        ),
        E::MultipleDocuments { .. } => {
            String::from("a policy file holds one YAML document; found a second after `---`")
        }
        _ => {
            let raw = UserMessageFormatter.format_message(err);
            let message = one_line(&raw);
            let message = message.trim_end_matches('.');
            if message.contains("tabs disallowed") {
                return String::from("tab character in indentation: YAML indents with spaces only");
            }
            lowercase_first(message).into_owned()
        }
    }
}

fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Documents { .. } => {
            String::from("a policy file holds one YAML document; found a second after `---`")
        }
        B::Depth { depth } => {
            format!(
                "the document is nested too deeply ({depth} levels); a policy needs fewer than 10"
            )
        }
        B::Aliases { .. } | B::Anchors { .. } => String::from(
            "too many anchors or aliases (an alias bomb?); a policy file may use them only sparingly",
        ),
        B::Nodes { .. } | B::Events { .. } => String::from(
            "the document has too many entries for a policy file (more than 100000 nodes)",
        ),
        other => format!(
            "the document is too large or too complex for a policy file ({})",
            one_line(&format!("{other:?}")).to_lowercase()
        ),
    }
}

/// Explains a node of the wrong kind (a list where a mapping belongs, …).
fn unexpected(expected: &str, text: &str, location: Option<(usize, usize)>) -> String {
    let found = token_at(text, location);
    let what = match expected {
        "mapping start" => "a mapping of `key: value` entries",
        "sequence start" => "a list (`- item` lines, or `[a, b]`)",
        other if other.contains("scalar") => return invalid_scalar("scalar", text, location),
        other => other,
    };
    match setting_at(text, location) {
        Some(path) => format!("expected {what} for `{path}`, found `{found}`"),
        None => format!("expected {what}, found `{found}`"),
    }
}

/// Returns the dotted path of the value that starts at the location, if the source map knows it.
fn setting_at(text: &str, location: Option<(usize, usize)>) -> Option<String> {
    let (line, column) = location?;
    SourceMap::build(text)
        .path_of_value_at(line, column)
        .filter(|path| !path.is_empty())
        .map(str::to_owned)
}

/// Explains a scalar that is not of the expected type, naming the setting when the source
/// map knows which one it is.
fn invalid_scalar(ty: &str, text: &str, location: Option<(usize, usize)>) -> String {
    let found = token_at(text, location);
    let path = setting_at(text, location);
    let leaf = path
        .as_deref()
        .and_then(|path| path.rsplit('.').next())
        .unwrap_or_default();
    let expected = match leaf {
        "required_approvals" => "an integer from 0 to 6",
        "wait_timer" => "a number of minutes from 0 to 43200",
        "version" => "`1`",
        "app_id" => "a GitHub App id (a positive integer)",
        "repository" => "`OWNER/NAME`",
        _ => match ty {
            "bool" => "`true` or `false`",
            "u8" | "u16" | "u32" | "u64" => "a non-negative integer",
            "i8" | "i16" | "i32" | "i64" => "an integer",
            _ => "a single value, not a list or a mapping",
        },
    };
    match path.as_deref() {
        Some(path) if !leaf.is_empty() => {
            format!("invalid value `{found}` for `{leaf}`: expected {expected} (at `{path}`)")
        }
        _ => format!("invalid value `{found}`: expected {expected}"),
    }
}

/// Returns the scalar written at a location, for messages: up to a flow delimiter or comment.
fn token_at(text: &str, location: Option<(usize, usize)>) -> String {
    let Some((line, column)) = location else {
        return String::new();
    };
    let Some(line) = text.lines().nth(line.saturating_sub(1)) else {
        return String::new();
    };
    let rest: String = line.chars().skip(column.saturating_sub(1)).collect();
    let end = rest
        .find([',', ']', '}'])
        .into_iter()
        .chain(rest.find(" #"))
        .min()
        .unwrap_or(rest.len());
    let token = one_line(rest[..end].trim());
    if token.chars().count() > 40 {
        let short: String = token.chars().take(40).collect();
        format!("{short}…")
    } else {
        token
    }
}

/// Collapses whitespace and control characters so that a message is one printable line.
fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    line
}

/// Says which key was not understood and, when one is close, which key was meant.
fn unknown_key(name: &str, expected: &[&str]) -> String {
    if expected.is_empty() {
        return format!("unknown key `{name}`: no keys are allowed here");
    }
    if let Some(best) = closest(name, expected) {
        return format!("unknown key `{name}`: did you mean `{best}`?");
    }
    let list = expected
        .iter()
        .map(|key| format!("`{key}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!("unknown key `{name}`: expected one of {list}")
}

fn lowercase_first(text: &str) -> Cow<'_, str> {
    let mut chars = text.chars();
    match chars.next() {
        // Keep acronyms such as `YAML` or `UTF-8` as they are.
        Some(first) if first.is_uppercase() && !chars.next().is_some_and(char::is_uppercase) => {
            Cow::Owned(first.to_lowercase().chain(text.chars().skip(1)).collect())
        }
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> String {
        match parse_yaml("p.yaml", text) {
            Ok(_) => String::from("ok"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn messages_are_located_and_helpful() {
        let cases = [
            (
                "version: 1\nbranches:\n  main:\n    pull_request:\n      required_aprovals: 2\n",
                "p.yaml:5:7: unknown key `required_aprovals`: did you mean `required_approvals`?",
            ),
            (
                "version: 1\nversion: 1\n",
                "p.yaml:2:1: duplicate key `version`",
            ),
            (
                "version: 1\nbranches:\n\tmain: {}\n",
                "p.yaml:3:2: tab character in indentation",
            ),
            (
                "version: 1\nbranches:\n  main:\n    pull_request:\n      required_approvals: 300\n",
                "p.yaml:5:27: invalid value `300` for `required_approvals`: expected an integer from 0 to 6",
            ),
            (
                "version: 1\nbranches:\n  main:\n    enforce_admins: yes\n",
                "p.yaml:4:21: expected `true` or `false`, found `yes`",
            ),
            (
                "version: 1\nenvironments:\n  p:\n    secrets: SSH_HOST\n",
                "p.yaml:4:14: expected a list",
            ),
            (
                "version: 1\nenvironments:\n  p:\n    reviewers: [octocat]\n",
                "write `- user: octocat` or `- team: octocat`",
            ),
            ("branches: {}\n", "p.yaml:1:1: missing key `version`"),
            (
                "version: 1\n---\nversion: 1\n",
                "p.yaml:2:1: a policy file holds one YAML document",
            ),
            ("# nothing\n\n", "p.yaml: empty policy file"),
        ];
        for (text, expected) in cases {
            let message = first(text);
            assert!(message.contains(expected), "{text:?}: {message}");
            assert!(!message.contains('\n'), "{message}");
        }
    }

    #[test]
    fn refuses_alias_bombs_quickly() {
        let mut text =
            String::from("version: 1\nx: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..10 {
            let prev = level - 1;
            let refs = vec![format!("*a{prev}"); 10].join(", ");
            text.extend([format!("x{level}: &a{level} [{refs}]\n")]);
        }
        let started = std::time::Instant::now();
        let message = first(&text);
        assert!(message.contains("alias bomb"), "{message}");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn points_at_the_first_invalid_utf8_byte() {
        let err = decode("p.yaml", b"version: 1\nrepository: a\xff\n".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.yaml:2:14: policy file is not valid UTF-8: byte 0xFF at offset 24 (save it as UTF-8)"
        );
    }

    #[test]
    fn refuses_huge_text() {
        let text = format!("version: 1\n# {}\n", "x".repeat(2 * 1024 * 1024));
        assert!(first(&text).contains("policy file is too large"));
    }
}
