//! Where each key and value of a policy file is written.
//!
//! A tree parallel to the document, built by the YAML reader (`yaml.rs`) in the same pass
//! that builds the JSON value. Paths are lists of segments, since branch names such as
//! `v1.2` hold dots; the dotted form (`branches.main.pull_request.required_approvals`, list
//! items numbered from 0) is still understood, trying every way of splitting it, for callers
//! that speak in plan addresses. A node reached through an alias is located at the alias:
//! nothing below it is.

use std::fmt;

/// A 1-based line and column.
pub type Pos = (usize, usize);

/// One step of a path into a document: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    /// The value under this key.
    Key(String),
    /// The list item at this index (from 0).
    Index(usize),
}

impl From<&str> for Segment {
    fn from(key: &str) -> Self {
        Self::Key(key.to_owned())
    }
}

impl From<&String> for Segment {
    fn from(key: &String) -> Self {
        Self::Key(key.clone())
    }
}

impl From<usize> for Segment {
    fn from(index: usize) -> Self {
        Self::Index(index)
    }
}

/// Writes the path dotted, as diagnostics show it: `branches.main.pull_request`.
pub struct Dotted<'a>(pub &'a [Segment]);

impl fmt::Display for Dotted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match segment {
                Segment::Key(key) => f.write_str(&crate::output::untrusted::escape(key))?,
                Segment::Index(index) => write!(f, "{index}")?,
            }
        }
        Ok(())
    }
}

/// Line and column (both 1-based) of the keys and values of one policy file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    root: Option<Node>,
}

/// Where one node is written, and its children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The key it is the value of, for a mapping entry.
    pub key: Option<Pos>,
    /// Where the value starts.
    pub value: Pos,
    /// The nodes in it, for a mapping or list written in this place (not behind an alias).
    pub kids: Kids,
}

/// The children of a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kids {
    /// A scalar, an alias, or a collection whose insides were not recorded.
    None,
    /// A mapping's entries, in file order.
    Map(Vec<(String, Node)>),
    /// A list's items.
    Seq(Vec<Node>),
}

impl Node {
    /// Returns a node with no children.
    pub fn leaf(value: Pos) -> Self {
        Self {
            key: None,
            value,
            kids: Kids::None,
        }
    }

    fn child(&self, segment: &Segment) -> Option<&Self> {
        match (&self.kids, segment) {
            (Kids::Map(entries), Segment::Key(key)) => entries
                .iter()
                .find_map(|(name, node)| (name == key).then_some(node)),
            (Kids::Seq(items), Segment::Index(index)) => items.get(*index),
            _ => None,
        }
    }

    /// Follows a dotted path, trying every key that the next part could be; returns the
    /// deepest node reached and whether the whole path was.
    fn walk_dotted<'a>(&'a self, rest: &str) -> (&'a Self, bool) {
        if rest.is_empty() {
            return (self, true);
        }
        let mut best: (&Self, bool, usize) = (self, false, rest.len());
        let consider = |best: &mut (&'a Self, bool, usize), node: &'a Self, after: &str| {
            let (found, full) = node.walk_dotted(after);
            let left = if full { 0 } else { after.len() };
            if full || left < best.2 {
                *best = (found, full, left);
            }
        };
        match &self.kids {
            Kids::Map(entries) => {
                for (name, node) in entries {
                    if rest == name {
                        return (node, true);
                    }
                    if let Some(after) = rest
                        .strip_prefix(name.as_str())
                        .and_then(|after| after.strip_prefix('.'))
                    {
                        consider(&mut best, node, after);
                        if best.1 {
                            break;
                        }
                    }
                }
            }
            Kids::Seq(items) => {
                let (first, after) = rest.split_once('.').unwrap_or((rest, ""));
                if let Some(node) = first.parse::<usize>().ok().and_then(|i| items.get(i)) {
                    consider(&mut best, node, after);
                }
            }
            Kids::None => {}
        }
        (best.0, best.1)
    }
}

impl SourceMap {
    /// Returns the map of a document whose root node is `root`.
    pub(super) fn from_root(root: Option<Node>) -> Self {
        Self { root }
    }

    /// Returns where the dotted path is written: the key of a mapping entry, or the item of a
    /// list. When the path is not in the file (an omitted setting, a node behind an alias),
    /// returns the position of its nearest ancestor that is; `None` only for an empty map.
    pub fn locate(&self, dotted: &str) -> Option<(usize, usize)> {
        let (node, _) = self.root.as_ref()?.walk_dotted(dotted);
        Some(node.key.unwrap_or(node.value))
    }

    /// Returns where the value at the dotted path starts (for `required_approvals: 9`, the
    /// `9`), falling back like [`SourceMap::locate`].
    pub fn locate_value(&self, dotted: &str) -> Option<(usize, usize)> {
        let (node, _) = self.root.as_ref()?.walk_dotted(dotted);
        Some(node.value)
    }

    /// Returns true when the dotted path itself (not an ancestor) is in the file.
    pub fn contains(&self, dotted: &str) -> bool {
        self.root
            .as_ref()
            .is_some_and(|root| root.walk_dotted(dotted).1)
    }

    /// Returns the deepest node on the path, and whether it is the path's own.
    fn walk(&self, path: &[Segment]) -> Option<(&Node, bool)> {
        let mut node = self.root.as_ref()?;
        for segment in path {
            match node.child(segment) {
                Some(child) => node = child,
                None => return Some((node, false)),
            }
        }
        Some((node, true))
    }

    /// Like [`SourceMap::locate`], for a path of segments.
    pub fn locate_path(&self, path: &[Segment]) -> Option<Pos> {
        self.walk(path)
            .map(|(node, _)| node.key.unwrap_or(node.value))
    }

    /// Like [`SourceMap::locate_value`], for a path of segments.
    pub fn locate_value_path(&self, path: &[Segment]) -> Option<Pos> {
        self.walk(path).map(|(node, _)| node.value)
    }

    /// Like [`SourceMap::contains`], for a path of segments.
    pub fn contains_path(&self, path: &[Segment]) -> bool {
        self.walk(path).is_some_and(|(_, own)| own)
    }
}

/// A policy file's locations, for messages about the policy read from it: its name and its
/// source map, and where an organisation policy's `defaults` layer is written (`defaults`,
/// or the root of a repository policy that `--org` applies to every repository).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    /// The file as diagnostics name it.
    pub display: String,
    /// Where each key and value is.
    pub map: SourceMap,
    /// Where the `defaults` layer is.
    pub defaults: Vec<Segment>,
}

impl Located {
    /// Returns `FILE:LINE:COLUMN` of a path of a policy made of `layers` (each the path of one
    /// layer in the file, in the order they apply; `[[]]` for a repository policy): the value
    /// of the last layer that writes the whole path, else the key of the last layer that
    /// writes the longest part of it, else the file alone.
    pub fn at(&self, layers: &[Vec<Segment>], path: &[Segment]) -> String {
        self.place(layers, path, false)
    }

    /// Like [`Located::at`], but of the key the path ends with (a name that is wrong).
    pub fn key_at(&self, layers: &[Vec<Segment>], path: &[Segment]) -> String {
        self.place(layers, path, true)
    }

    fn place(&self, layers: &[Vec<Segment>], path: &[Segment], key: bool) -> String {
        let in_file = |layer: &Vec<Segment>| -> Vec<Segment> {
            match layer.first() {
                Some(Segment::Key(key)) if key == "defaults" => {
                    self.defaults.iter().chain(&layer[1..]).cloned().collect()
                }
                _ => layer.clone(),
            }
        };
        for len in (1..=path.len()).rev() {
            for layer in layers.iter().rev() {
                let mut full = in_file(layer);
                full.extend_from_slice(&path[..len]);
                if self.map.contains_path(&full) {
                    let at = if len == path.len() && !key {
                        self.map.locate_value_path(&full)
                    } else {
                        self.map.locate_path(&full)
                    };
                    if let Some((line, column)) = at {
                        return format!("{}:{line}:{column}", self.display);
                    }
                }
            }
        }
        self.display.clone()
    }
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
    fn names_with_dots_are_found_both_ways() {
        let text = "branches:\n  v1:\n    x: 1\n  v1.2:\n    enforce_admins: true\n";
        let map = SourceMap::build(text);
        assert_eq!(map.locate("branches.v1.2.enforce_admins"), Some((5, 5)));
        assert_eq!(map.locate("branches.v1.x"), Some((3, 5)));
        let path = [
            Segment::Key("branches".into()),
            Segment::Key("v1.2".into()),
            Segment::Key("enforce_admins".into()),
        ];
        assert_eq!(map.locate_path(&path), Some((5, 5)));
        assert_eq!(map.locate_value_path(&path), Some((5, 21)));
        assert!(map.contains_path(&path));
        assert_eq!(Dotted(&path).to_string(), "branches.v1.2.enforce_admins");
    }

    #[test]
    fn survives_garbage() {
        assert_eq!(SourceMap::build("a: [\n").locate("a"), None);
        assert_eq!(SourceMap::build("").locate("x"), None);
    }
}
