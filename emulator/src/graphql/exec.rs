//! Runs a checked query over the world: each field is resolved (`resolve`), objects get
//! their sub-selections, connections are paged (`first`, `after`), and a field that fails
//! is null with an error at its path — and, when the schema says it cannot be null, so is
//! its parent, as GraphQL's null propagation has it.

use serde_json::{Map, Value, json};

use super::objects::{Obj, Out, Scope, typename};
use super::resolve::resolve;
use super::sdl::Schema;
use super::syntax::{Literal, Selection};

/// The most items one connection may ask for (`first`/`last`), as on GitHub.
pub(crate) const MAX_PAGE: i64 = 100;

/// What running a query needs: the schema, the variables, the world seen by the caller.
pub(crate) struct Run<'a> {
    pub schema: &'a Schema,
    pub variables: &'a Map<String, Value>,
    pub scope: &'a Scope<'a>,
    pub errors: Vec<Value>,
}

/// A field that is null where null is not allowed: its parent becomes null too.
pub(crate) struct Nulled;

/// Returns an argument's value with variables substituted.
fn value(variables: &Map<String, Value>, literal: &Literal) -> Value {
    match literal {
        Literal::Var(name) => variables.get(name).cloned().unwrap_or(Value::Null),
        Literal::Int(n) => json!(n),
        Literal::Str(s) | Literal::Enum(s) => json!(s),
        Literal::Bool(b) => json!(b),
        Literal::List(items) => Value::Array(items.iter().map(|i| value(variables, i)).collect()),
        Literal::Null | Literal::Other => Value::Null,
    }
}

impl Run<'_> {
    fn error(&mut self, path: &[Value], kind: &str, message: &str) {
        let mut e = json!({"type": kind, "path": path, "locations": [], "message": message});
        if kind.is_empty()
            && let Some(map) = e.as_object_mut()
        {
            map.remove("type");
        }
        self.errors.push(e);
    }

    /// Selects `items` of `obj`: the object's answer, or `Nulled` when a non-null field of
    /// it could not be given.
    pub(crate) fn select(
        &mut self,
        obj: &Obj,
        items: &[Selection],
        path: &mut Vec<Value>,
    ) -> Result<Map<String, Value>, Nulled> {
        let mut out = Map::new();
        let ty = typename(obj);
        for item in items {
            match item {
                Selection::Inline { on, selection, .. } => {
                    if on.as_deref().is_none_or(|on| self.schema.fits(&ty, on)) {
                        out.extend(self.select(obj, selection, path)?);
                    }
                }
                Selection::Field(field) if field.name == "__typename" => {
                    out.insert(field.key().to_owned(), json!(ty));
                }
                Selection::Field(field) => {
                    path.push(json!(field.key()));
                    let def = self
                        .schema
                        .types
                        .get(&ty)
                        .and_then(|t| t.fields.get(&field.name))
                        .cloned();
                    let non_null = def.as_ref().is_some_and(|d| d.non_null);
                    let args: Map<String, Value> = field
                        .args
                        .iter()
                        .map(|(k, v)| (k.clone(), value(self.variables, v)))
                        .collect();
                    let value = match resolve(self.scope, obj, &field.name, &args) {
                        Err(e) => {
                            self.error(path, e.kind, &e.message);
                            Value::Null
                        }
                        // GitHub says so when a field that cannot be null has no value.
                        Ok(Out::Scalar(Value::Null)) if non_null => {
                            let message = format!(
                                "Cannot return null for non-nullable field {ty}.{}",
                                field.name
                            );
                            self.error(path, "", &message);
                            Value::Null
                        }
                        Ok(Out::Scalar(v)) => v,
                        Ok(Out::Obj(o)) => self.object(&o, &field.selection, path),
                        Ok(Out::List(items)) => self.list(&items, &field.selection, path),
                        Ok(Out::Page(items)) => {
                            let conn = def.as_ref().map_or_else(String::new, |d| d.ty.clone());
                            match page(items, &args, &field.name, conn) {
                                Ok(o) => self.object(&o, &field.selection, path),
                                Err(message) => {
                                    self.error(path, "", &message);
                                    Value::Null
                                }
                            }
                        }
                    };
                    path.pop();
                    if value.is_null() && non_null {
                        return Err(Nulled);
                    }
                    out.insert(field.key().to_owned(), value);
                }
            }
        }
        Ok(out)
    }

    fn object(&mut self, obj: &Obj, items: &[Selection], path: &mut Vec<Value>) -> Value {
        self.select(obj, items, path)
            .map_or(Value::Null, Value::Object)
    }

    fn list(&mut self, objs: &[Obj], items: &[Selection], path: &mut Vec<Value>) -> Value {
        let mut out = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            path.push(json!(i));
            let v = self.object(o, items, path);
            path.pop();
            if v.is_null() {
                return Value::Null;
            }
            out.push(v);
        }
        Value::Array(out)
    }
}

/// Pages a connection's items by `first` and `after` (an index cursor), as GitHub requires:
/// `first` or `last` is given, and at most 100.
fn page(
    items: Vec<Obj>,
    args: &Map<String, Value>,
    field: &str,
    conn: String,
) -> Result<Obj, String> {
    let Some(first) = args.get("first").and_then(Value::as_i64) else {
        return Err(format!(
            "You must provide a `first` or `last` value to properly paginate the `{field}` connection."
        ));
    };
    if !(0..=MAX_PAGE).contains(&first) {
        return Err(format!(
            "Requesting {first} records on the `{field}` connection exceeds the `first` limit of {MAX_PAGE} records."
        ));
    }
    let start = args
        .get("after")
        .and_then(Value::as_str)
        .and_then(|c| c.strip_prefix("cursor:"))
        .and_then(|n| n.parse::<usize>().ok())
        .map_or(0, |n| n + 1);
    let total = items.len();
    let take = usize::try_from(first).unwrap_or(0);
    let nodes: Vec<Obj> = items.into_iter().skip(start).take(take).collect();
    let end = start + nodes.len();
    Ok(Obj::Conn {
        ty: conn,
        nodes,
        total,
        has_next: end < total,
        end_cursor: (end > start).then(|| format!("cursor:{}", end - 1)),
    })
}

/// The cost of a query in points, as GitHub computes it: one request per connection per
/// parent node, divided by 100 and rounded (at least 1); and the nodes it may return.
pub(crate) fn cost(variables: &Map<String, Value>, items: &[Selection]) -> (u64, u64) {
    let (mut requests, mut nodes) = (0_u64, 0_u64);
    walk(variables, items, 1, &mut requests, &mut nodes);
    (((requests + 50) / 100).max(1), nodes)
}

fn walk(
    variables: &Map<String, Value>,
    items: &[Selection],
    parents: u64,
    requests: &mut u64,
    nodes: &mut u64,
) {
    for item in items {
        match item {
            Selection::Inline { selection, .. } => {
                walk(variables, selection, parents, requests, nodes);
            }
            Selection::Field(f) => {
                let first = f
                    .args
                    .iter()
                    .find(|(k, _)| k == "first" || k == "last")
                    .and_then(|(_, v)| value(variables, v).as_u64());
                match first {
                    Some(n) => {
                        *requests += parents;
                        *nodes += parents * n;
                        walk(variables, &f.selection, parents * n, requests, nodes);
                    }
                    None => walk(variables, &f.selection, parents, requests, nodes),
                }
            }
        }
    }
}
