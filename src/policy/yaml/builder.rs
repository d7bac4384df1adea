//! The document built from the parser's events: values, their locations, anchors and
//! aliases (with the alias budget), and the problems found on the way.

use serde_json::{Map, Value};
use serde_saphyr::granit_parser::{Event, ScalarStyle, Span, Tag};

use super::super::source_map::{Kids, Node, Pos, Segment};
use super::problems::complex_key;
use super::scalar::scalar;
use super::{MAX_ALIAS_NODES, MAX_DEPTH, Problem, position};
use crate::output::untrusted::quote;

/// A finished node: its value, its location and how many nodes it holds.
struct Built {
    value: Value,
    node: Node,
    size: u64,
}

/// An anchored node, kept for its aliases.
struct Anchored {
    value: Value,
    size: u64,
    /// The scalar's text, for an alias used as a key.
    text: Option<String>,
}

/// An open collection.
struct Frame {
    container: Container,
    /// The anchor id on the collection (0: none).
    anchor: usize,
    /// Where the collection starts.
    at: Pos,
    /// Nodes in it so far, itself included.
    size: u64,
}

enum Container {
    Map {
        map: Map<String, Value>,
        kids: Vec<(String, Node)>,
        /// The key whose value comes next, and where it is written.
        key: Option<(String, Pos)>,
    },
    Seq {
        items: Vec<Value>,
        kids: Vec<Node>,
    },
}

/// The document being built, event by event.
pub(super) struct Builder {
    locate: bool,
    stack: Vec<Frame>,
    anchors: Vec<Option<Anchored>>,
    alias_nodes: u64,
    /// Problems that do not stop the reading, so that all of them are reported.
    pub(super) problems: Vec<Problem>,
    /// Values that could not be read, by path.
    pub(super) bad_values: Vec<(Vec<Segment>, Problem)>,
    /// The finished document and its locations.
    pub(super) root: Option<(Value, Node)>,
    documents: usize,
}

impl Builder {
    /// Returns a builder before the first event; `locate` records every node's location.
    pub(super) fn new(locate: bool) -> Self {
        Self {
            locate,
            stack: Vec::new(),
            anchors: Vec::new(),
            alias_nodes: 0,
            problems: Vec::new(),
            bad_values: Vec::new(),
            root: None,
            documents: 0,
        }
    }

    /// Takes the parser's next event into the document.
    pub(super) fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Problem> {
        let at = position(span);
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Problem {
                        at: Some(at),
                        message: String::from(
                            "a policy file holds one YAML document; found a second after `---`",
                        ),
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar(&text, style, anchor, tag.as_deref(), at);
            }
            Event::Alias(id) => {
                let Some(anchored) = self.anchors.get(id).and_then(Option::as_ref) else {
                    return Err(Problem {
                        at: Some(at),
                        message: String::from(
                            "this alias refers to a node that contains it (a recursive alias)",
                        ),
                    });
                };
                if self.expects_key() {
                    let Some(text) = anchored.text.clone() else {
                        return Err(complex_key(at));
                    };
                    self.key(text, at);
                    return Ok(());
                }
                self.alias_nodes = self.alias_nodes.saturating_add(anchored.size);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(Problem {
                        at: Some(at),
                        message: format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?); \
                             a policy file may use anchors and aliases only sparingly"
                        ),
                    });
                }
                let built = Built {
                    value: anchored.value.clone(),
                    node: Node::leaf(at),
                    size: anchored.size,
                };
                self.add(built);
            }
            Event::MappingStart(_, anchor, tag) => self.open(true, anchor, tag.as_deref(), at)?,
            Event::SequenceStart(_, anchor, tag) => self.open(false, anchor, tag.as_deref(), at)?,
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(frame) = self.stack.pop() {
                    let (value, kids) = match frame.container {
                        Container::Map { map, kids, .. } => (Value::Object(map), Kids::Map(kids)),
                        Container::Seq { items, kids } => (Value::Array(items), Kids::Seq(kids)),
                    };
                    if frame.anchor > 0 {
                        self.remember(frame.anchor, value.clone(), frame.size, None);
                    }
                    let node = Node {
                        key: None,
                        value: frame.at,
                        kids: if self.locate { kids } else { Kids::None },
                    };
                    self.add(Built {
                        value,
                        node,
                        size: frame.size,
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Records a scalar: a mapping key, or a value.
    fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        at: Pos,
    ) {
        if self.expects_key() {
            if anchor > 0 {
                let key = Value::String(text.to_owned());
                self.remember(anchor, key, 1, Some(text.to_owned()));
            }
            self.key(text.to_owned(), at);
            return;
        }
        let value = match scalar(text, style, tag) {
            Ok(value) => value,
            Err(message) => {
                let path = self.path();
                let problem = Problem {
                    at: Some(at),
                    message,
                };
                self.bad_values.push((path, problem));
                Value::Null
            }
        };
        if anchor > 0 {
            self.remember(anchor, value.clone(), 1, Some(text.to_owned()));
        }
        self.add(Built {
            value,
            node: Node::leaf(at),
            size: 1,
        });
    }

    /// Opens a mapping or a sequence.
    fn open(
        &mut self,
        is_map: bool,
        anchor: usize,
        tag: Option<&Tag>,
        at: Pos,
    ) -> Result<(), Problem> {
        if self.expects_key() {
            return Err(complex_key(at));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(Problem {
                at: Some(at),
                message: format!(
                    "the document is nested more than {MAX_DEPTH} levels deep; a policy needs fewer than 10"
                ),
            });
        }
        if let Some(tag) = tag {
            let expected = if is_map { "map" } else { "seq" };
            if tag.core_suffix() != Some(expected) {
                self.problems.push(Problem {
                    at: Some(at),
                    message: format!(
                        "unsupported tag `{}`: a policy file uses plain YAML values",
                        crate::output::untrusted::escape(&tag.original())
                    ),
                });
            }
        }
        let container = if is_map {
            Container::Map {
                map: Map::new(),
                kids: Vec::new(),
                key: None,
            }
        } else {
            Container::Seq {
                items: Vec::new(),
                kids: Vec::new(),
            }
        };
        self.stack.push(Frame {
            container,
            anchor,
            at,
            size: 1,
        });
        Ok(())
    }

    /// Returns the path of the node that comes next.
    fn path(&self) -> Vec<Segment> {
        self.stack
            .iter()
            .map(|frame| match &frame.container {
                Container::Map { key, .. } => {
                    Segment::Key(key.as_ref().map(|(k, _)| k.clone()).unwrap_or_default())
                }
                Container::Seq { items, .. } => Segment::Index(items.len()),
            })
            .collect()
    }

    /// Returns true when the innermost collection is a mapping waiting for a key.
    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                container: Container::Map { key: None, .. },
                ..
            })
        )
    }

    /// Records a mapping key; a repeated key is a problem (the first one is kept).
    fn key(&mut self, text: String, at: Pos) {
        if let Some(Frame {
            container: Container::Map { map, kids, key },
            ..
        }) = self.stack.last_mut()
        {
            if map.contains_key(&text) {
                let first = kids
                    .iter()
                    .find(|(name, _)| *name == text)
                    .and_then(|(_, node)| node.key)
                    .map(|(line, _)| format!(" (first at line {line})"))
                    .unwrap_or_default();
                self.problems.push(Problem {
                    at: Some(at),
                    message: format!(
                        "duplicate key {}: each key may appear once in a mapping{first}",
                        quote(&text)
                    ),
                });
            }
            *key = Some((text, at));
        }
    }

    fn remember(&mut self, id: usize, value: Value, size: u64, text: Option<String>) {
        if self.anchors.len() <= id {
            self.anchors.resize_with(id + 1, || None);
        }
        self.anchors[id] = Some(Anchored { value, size, text });
    }

    /// Adds a finished node to the innermost collection, or makes it the document.
    fn add(&mut self, mut built: Built) {
        let locate = self.locate;
        match self.stack.last_mut() {
            Some(frame) => {
                frame.size = frame.size.saturating_add(built.size);
                match &mut frame.container {
                    Container::Map { map, kids, key } => {
                        if let Some((name, key_at)) = key.take()
                            && !map.contains_key(&name)
                        {
                            if locate {
                                built.node.key = Some(key_at);
                                kids.push((name.clone(), built.node));
                            }
                            map.insert(name, built.value);
                        }
                    }
                    Container::Seq { items, kids } => {
                        items.push(built.value);
                        if locate {
                            kids.push(built.node);
                        }
                    }
                }
            }
            None => {
                if self.root.is_none() {
                    self.root = Some((built.value, built.node));
                }
            }
        }
    }
}
