//! Editing a policy file's text in place, at the entries the loader located, so that all
//! the migration does not change — comments, blank lines, order, quoting — stays as written.
//!
//! An entry of a block mapping is its key's line and every line after it that is indented
//! deeper (comments and blank lines inside included; those that trail it belong to what
//! follows). Only such entries are edited: an entry whose key does not start its line (in a
//! flow mapping, or after `- `), or a value that is not a block or an empty mapping, is
//! refused with the reason, and the caller rewrites the file instead.

use crate::policy::{Segment, SourceMap};

/// One change to the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Replaces the value of the mapping entry at `path` with `body`, mapping lines written
    /// without indentation.
    Replace {
        /// The entry.
        path: Vec<Segment>,
        /// The new value, e.g. `protected: false`.
        body: String,
    },
    /// Adds `entries` (mapping entries written without indentation) to the mapping under
    /// `key` in the mapping at `parent`. A missing `key` is created after its sibling
    /// `after` (or at the end of `parent`).
    Append {
        /// The mapping that holds `key`; empty for the document.
        parent: Vec<Segment>,
        /// The key of the mapping the entries go into, e.g. `rulesets`.
        key: String,
        /// The sibling a new `key` goes after.
        after: String,
        /// The entries.
        entries: String,
    },
    /// Removes the mapping entry at `path`, lines and all.
    Remove {
        /// The entry.
        path: Vec<Segment>,
    },
}

/// Why the text could not be edited in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// Lines `start..end` (0-based) of the text replaced by `lines`.
#[derive(Debug)]
struct Splice {
    start: usize,
    end: usize,
    lines: Vec<String>,
}

/// The text as lines (without their line ends), and the line end it uses.
struct Lines<'a> {
    lines: Vec<&'a str>,
    newline: &'static str,
}

/// Applies the edits to the text, whose locations `map` holds.
pub fn apply(text: &str, map: &SourceMap, edits: &[Edit]) -> Result<String, Unsupported> {
    let lines = Lines {
        lines: text.lines().collect(),
        newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
    };
    let mut splices = Vec::new();
    for edit in edits {
        splices.push(match edit {
            Edit::Replace { path, body } => replace(&lines, map, path, body)?,
            Edit::Append {
                parent,
                key,
                after,
                entries,
            } => append(&lines, map, parent, key, after, entries)?,
            Edit::Remove { path } => {
                let entry = entry(&lines, map, path)?;
                Splice {
                    start: entry.key_line,
                    end: entry.last + 1,
                    lines: Vec::new(),
                }
            }
        });
    }
    splices.sort_by_key(|s| (s.start, s.end));
    for pair in splices.windows(2) {
        if pair[0].end > pair[1].start || pair[0].start == pair[1].start {
            return Err(Unsupported("two edits touch the same lines".to_owned()));
        }
    }
    let mut out: Vec<String> = lines.lines.iter().map(|l| (*l).to_owned()).collect();
    for splice in splices.into_iter().rev() {
        out.splice(splice.start..splice.end, splice.lines);
    }
    let mut text = out.join(lines.newline);
    text.push_str(lines.newline);
    Ok(text)
}

/// Where one block mapping entry is: its key's line, its indentation, the line its value
/// starts on (and the column), and its last line (all 0-based lines).
struct Entry {
    key_line: usize,
    indent: usize,
    value_line: usize,
    value_column: usize,
    last: usize,
}

fn entry(lines: &Lines<'_>, map: &SourceMap, path: &[Segment]) -> Result<Entry, Unsupported> {
    let named = || crate::policy::Dotted(path).to_string();
    if !map.contains_path(path) {
        return Err(Unsupported(format!("`{}` is not in the file", named())));
    }
    let (Some((key_line, key_column)), Some((value_line, value_column))) =
        (map.locate_path(path), map.locate_value_path(path))
    else {
        return Err(Unsupported(format!("`{}` is not located", named())));
    };
    let key_line = key_line - 1;
    let line = lines.lines.get(key_line).copied().unwrap_or_default();
    if indent_of(line) != key_column - 1 {
        return Err(Unsupported(format!(
            "`{}` is not a block mapping entry starting its line",
            named()
        )));
    }
    let indent = key_column - 1;
    Ok(Entry {
        key_line,
        indent,
        value_line: value_line - 1,
        value_column: value_column - 1,
        last: last_line(lines, key_line, indent),
    })
}

/// Returns the last line of the entry whose key is on `start`: the last line after it that
/// is indented deeper before one that is not, comments included only when indented deeper
/// (a comment at the key's depth or less, or a trailing blank line, belongs to what follows).
fn last_line(lines: &Lines<'_>, start: usize, indent: usize) -> usize {
    let mut last = start;
    for (i, line) in lines.lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        if indent_of(line) <= indent {
            if trimmed.starts_with('#') {
                continue;
            }
            break;
        }
        last = i;
    }
    last
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Returns the indentation of the first content line of the entry's block value, if any.
fn child_indent(lines: &Lines<'_>, entry: &Entry) -> Option<usize> {
    lines.lines[entry.key_line + 1..=entry.last]
        .iter()
        .find(|line| {
            let trimmed = line.trim_start();
            !trimmed.is_empty() && !trimmed.starts_with('#')
        })
        .map(|line| indent_of(line))
}

/// Returns the key's line cut before a value written on it (which must be empty or `{}`
/// when `only_empty`), ending with `:`.
fn key_only(lines: &Lines<'_>, entry: &Entry, only_empty: bool) -> Result<String, Unsupported> {
    let line = lines.lines[entry.key_line];
    if entry.value_line != entry.key_line {
        return Ok(line.to_owned());
    }
    let cut = line
        .char_indices()
        .nth(entry.value_column)
        .map_or(line.len(), |(i, _)| i);
    let (head, value) = line.split_at(cut);
    let value = value.split(" #").next().unwrap_or_default().trim();
    let head = head.trim_end();
    let empty = matches!(value, "" | "{}" | "null" | "~");
    if !head.ends_with(':') || (only_empty && !empty) {
        return Err(Unsupported(format!(
            "the value on line {} is not written as a block",
            entry.key_line + 1
        )));
    }
    Ok(head.to_owned())
}

fn indented(text: &str, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{pad}{line}")
            }
        })
        .collect()
}

fn replace(
    lines: &Lines<'_>,
    map: &SourceMap,
    path: &[Segment],
    body: &str,
) -> Result<Splice, Unsupported> {
    let entry = entry(lines, map, path)?;
    let head = key_only(lines, &entry, false)?;
    let indent = if entry.value_line == entry.key_line {
        entry.indent + 2
    } else {
        child_indent(lines, &entry).unwrap_or(entry.indent + 2)
    };
    let mut new = vec![head];
    new.extend(indented(body, indent));
    Ok(Splice {
        start: entry.key_line,
        end: entry.last + 1,
        lines: new,
    })
}

fn append(
    lines: &Lines<'_>,
    map: &SourceMap,
    parent: &[Segment],
    key: &str,
    after: &str,
    entries: &str,
) -> Result<Splice, Unsupported> {
    let mut path = parent.to_vec();
    path.push(Segment::Key(key.to_owned()));
    if map.contains_path(&path) {
        let entry = entry(lines, map, &path)?;
        let head = key_only(lines, &entry, true)?;
        return Ok(match child_indent(lines, &entry) {
            Some(indent) if entry.value_line != entry.key_line => Splice {
                start: entry.last + 1,
                end: entry.last + 1,
                lines: indented(entries, indent),
            },
            _ => {
                let mut new = vec![head];
                new.extend(indented(entries, entry.indent + 2));
                Splice {
                    start: entry.key_line,
                    end: entry.last + 1,
                    lines: new,
                }
            }
        });
    }
    // A new key, after its sibling or at the end of the parent.
    let (indent, at) = if parent.is_empty() {
        (0, lines.lines.len())
    } else {
        let holder = entry(lines, map, parent)?;
        let indent = child_indent(lines, &holder)
            .filter(|_| holder.value_line != holder.key_line)
            .ok_or_else(|| {
                Unsupported(format!(
                    "`{}` is not written as a block",
                    crate::policy::Dotted(parent)
                ))
            })?;
        (indent, holder.last + 1)
    };
    let mut sibling = parent.to_vec();
    sibling.push(Segment::Key(after.to_owned()));
    let at = if map.contains_path(&sibling) {
        entry(lines, map, &sibling)?.last + 1
    } else {
        at
    };
    let mut new = Vec::new();
    if indent == 0 {
        new.push(String::new());
    }
    new.push(format!("{}{key}:", " ".repeat(indent)));
    new.extend(indented(entries, indent + 2));
    Ok(Splice {
        start: at,
        end: at,
        lines: new,
    })
}

#[cfg(test)]
mod tests;
