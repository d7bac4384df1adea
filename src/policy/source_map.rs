//! Where each key and value of a policy file is: dotted path → line and column.
//!
//! Built from the YAML event stream of a file that already parsed, so it never sees a syntax
//! error. Paths use the policy's own names: `branches.main.pull_request.required_approvals`;
//! list items are numbered from 0: `environments.production.reviewers.3`. Aliases are not
//! followed: a node reached through an alias is located at the alias.

use std::collections::BTreeMap;

use serde_saphyr::granit_parser::{Event, Parser, Span};

/// Line and column (both 1-based) of the keys and values of one policy file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Position of the key of a mapping entry, by dotted path.
    keys: BTreeMap<String, (usize, usize)>,
    /// Position of a value (mapping value or list item), by dotted path.
    values: BTreeMap<String, (usize, usize)>,
}

impl SourceMap {
    /// Returns where the dotted path is written: the key of a mapping entry, or the item of a
    /// list. When the path is not in the file (an omitted setting, a node behind an alias),
    /// returns the position of its nearest ancestor that is; `None` only for an empty map.
    pub fn locate(&self, dotted: &str) -> Option<(usize, usize)> {
        self.find(dotted, |path| {
            self.keys.get(path).or_else(|| self.values.get(path))
        })
    }

    /// Returns where the value at the dotted path starts (for `required_approvals: 9`, the
    /// `9`), falling back like [`SourceMap::locate`].
    pub fn locate_value(&self, dotted: &str) -> Option<(usize, usize)> {
        self.find(dotted, |path| {
            self.values.get(path).or_else(|| self.keys.get(path))
        })
    }

    /// Returns true when the path itself (not an ancestor) is in the file.
    pub fn contains(&self, dotted: &str) -> bool {
        self.keys.contains_key(dotted) || self.values.contains_key(dotted)
    }

    /// Returns the dotted path of the value that starts exactly at this line and column, if
    /// any: the way back from a parser error's location to the setting it is about.
    pub fn path_of_value_at(&self, line: usize, column: usize) -> Option<&str> {
        self.values
            .iter()
            .find(|(_, position)| **position == (line, column))
            .map(|(path, _)| path.as_str())
    }

    fn find<'a>(
        &'a self,
        dotted: &str,
        get: impl Fn(&str) -> Option<&'a (usize, usize)>,
    ) -> Option<(usize, usize)> {
        let mut path = dotted;
        loop {
            if let Some(position) = get(path) {
                return Some(*position);
            }
            match path.rfind('.') {
                Some(dot) => path = &path[..dot],
                None => return self.values.get("").copied(),
            }
        }
    }

    /// Builds the map of a YAML document. Stops quietly at the first YAML error: the caller
    /// has already parsed the text, so an error here only means a shorter map.
    pub fn build(text: &str) -> Self {
        let mut map = Self::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = Parser::new_from_str(text);
        while let Some(Ok((event, span))) = parser.next_event() {
            match event {
                Event::Scalar(value, ..) => {
                    if map.node(&mut stack, span, Some(value.as_ref())) {
                        continue;
                    }
                    finish_value(&mut stack);
                }
                Event::Alias(_) if !map.node(&mut stack, span, None) => {
                    finish_value(&mut stack);
                }
                Event::MappingStart(..) => {
                    let path = map.node_path(&mut stack, span);
                    stack.push(Frame::Mapping { path, key: None });
                }
                Event::SequenceStart(..) => {
                    let path = map.node_path(&mut stack, span);
                    stack.push(Frame::Sequence { path, index: 0 });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    let was_key = stack.pop().is_some_and(|frame| frame.is_key());
                    if was_key {
                        // A complex key (a map or list used as a key): its value follows.
                        if let Some(Frame::Mapping { key, .. }) = stack.last_mut() {
                            *key = Some(String::from("?"));
                        }
                    } else {
                        finish_value(&mut stack);
                    }
                }
                Event::DocumentEnd => break,
                _ => {}
            }
        }
        map
    }

    /// Records a scalar or alias. Returns true when it was a mapping key.
    fn node(&mut self, stack: &mut [Frame], span: Span, scalar: Option<&str>) -> bool {
        let position = position(span);
        match stack.last_mut() {
            Some(Frame::Mapping { path, key, .. }) if key.is_none() => {
                let name = scalar.unwrap_or("*");
                let full = join(path, name);
                self.keys.entry(full).or_insert(position);
                *key = Some(name.to_owned());
                true
            }
            Some(Frame::Mapping { path, key, .. }) => {
                let full = join(path, key.as_deref().unwrap_or_default());
                self.values.entry(full).or_insert(position);
                false
            }
            Some(Frame::Sequence { path, index, .. }) => {
                let full = join(path, &index.to_string());
                self.values.entry(full).or_insert(position);
                false
            }
            None => {
                self.values.entry(String::new()).or_insert(position);
                false
            }
        }
    }

    /// Records the start of a collection and returns its path.
    fn node_path(&mut self, stack: &mut [Frame], span: Span) -> Path {
        let position = position(span);
        match stack.last_mut() {
            // A map or list used as a key: nothing to locate inside it.
            Some(Frame::Mapping { key: None, .. }) => Path::Key,
            Some(Frame::Mapping { path, key, .. }) => {
                let full = join(path, key.as_deref().unwrap_or_default());
                self.values.entry(full.clone()).or_insert(position);
                Path::At(full)
            }
            Some(Frame::Sequence { path, index, .. }) => {
                let full = join(path, &index.to_string());
                self.values.entry(full.clone()).or_insert(position);
                Path::At(full)
            }
            None => {
                self.values.entry(String::new()).or_insert(position);
                Path::At(String::new())
            }
        }
    }
}

/// Where a collection sits: at a dotted path, or inside a mapping key.
#[derive(Debug)]
enum Path {
    At(String),
    Key,
}

/// An open collection while walking the events.
#[derive(Debug)]
enum Frame {
    Mapping {
        path: Path,
        /// The key whose value comes next; `None` while a key is expected.
        key: Option<String>,
    },
    Sequence {
        path: Path,
        index: usize,
    },
}

impl Frame {
    fn is_key(&self) -> bool {
        match self {
            Self::Mapping { path, .. } | Self::Sequence { path, .. } => matches!(path, Path::Key),
        }
    }
}

/// Marks the value of the innermost collection as complete.
fn finish_value(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Mapping { key, .. }) => *key = None,
        Some(Frame::Sequence { index, .. }) => *index += 1,
        None => {}
    }
}

fn join(parent: &Path, segment: &str) -> String {
    match parent {
        Path::At(path) if path.is_empty() => segment.to_owned(),
        Path::At(path) => format!("{path}.{segment}"),
        Path::Key => String::from("?"),
    }
}

fn position(span: Span) -> (usize, usize) {
    (span.start.line(), span.start.col() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
version: 1
branches:
  main:
    pull_request:
      required_approvals: 2
environments:
  production:
    reviewers:
      - user: octocat
      - team: ops
    deployment_branches: [main, {tag: v*}]
";

    #[test]
    fn locates_keys_and_items() {
        let map = SourceMap::build(TEXT);
        assert_eq!(map.locate("version"), Some((1, 1)));
        assert_eq!(map.locate_value("version"), Some((1, 10)));
        assert_eq!(
            map.locate("branches.main.pull_request.required_approvals"),
            Some((5, 7))
        );
        assert_eq!(
            map.locate_value("branches.main.pull_request.required_approvals"),
            Some((5, 27))
        );
        assert_eq!(
            map.locate("environments.production.reviewers.0"),
            Some((9, 9))
        );
        assert_eq!(
            map.locate("environments.production.reviewers.1.team"),
            Some((10, 9))
        );
        assert_eq!(
            map.locate("environments.production.deployment_branches.1.tag"),
            Some((11, 34))
        );
        assert_eq!(map.locate("prune"), Some((1, 1)));
    }

    #[test]
    fn falls_back_to_the_nearest_ancestor() {
        let map = SourceMap::build(TEXT);
        assert_eq!(map.locate("branches.main.enforce_admins"), Some((3, 3)));
        assert_eq!(
            map.locate("environments.production.reviewers.9"),
            Some((8, 5))
        );
        assert!(!map.contains("branches.main.enforce_admins"));
        assert!(map.contains("branches.main"));
    }

    #[test]
    fn does_not_follow_aliases() {
        let map = SourceMap::build("a: &x {b: 1}\nc: *x\n");
        assert_eq!(map.locate("a.b"), Some((1, 8)));
        assert_eq!(map.locate("c.b"), Some((2, 1)));
        assert_eq!(map.locate_value("c"), Some((2, 4)));
    }

    #[test]
    fn survives_complex_keys_and_garbage() {
        let map = SourceMap::build("? [a, b]\n: 1\nd: 2\n");
        assert_eq!(map.locate("d"), Some((3, 1)));
        let map = SourceMap::build("a: [\n");
        assert!(map.locate("a").is_some() || map.locate("a").is_none());
        assert_eq!(SourceMap::build("").locate("x"), None);
    }
}
