//! The query documents the emulator executes: one operation (a `query`, named or not, or a
//! bare selection set) with variable definitions, fields with aliases and arguments, and
//! inline fragments. Named fragments, directives and mutations are refused by name.

use super::lex::{Kind, Token, tokens};

/// A literal or a variable, as written in an argument.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Var(String),
    Int(i64),
    Str(String),
    Bool(bool),
    Null,
    Enum(String),
    List(Vec<Literal>),
    Other,
}

/// A field of a selection set.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub alias: Option<String>,
    pub name: String,
    pub args: Vec<(String, Literal)>,
    pub selection: Vec<Selection>,
    pub line: usize,
    pub column: usize,
}

impl Field {
    /// The key the field's value has in the answer.
    pub(crate) fn key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Selection {
    Field(Field),
    /// `... on Type { … }` (or `... { … }` without a type condition).
    Inline {
        on: Option<String>,
        selection: Vec<Selection>,
        line: usize,
        column: usize,
    },
}

/// The operation: its declared variables (name, type as written) and selection.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub kind: String,
    pub variables: Vec<(String, String)>,
    pub selection: Vec<Selection>,
}

/// A syntax error with where it is.
pub(crate) type SyntaxError = (String, usize, usize);

/// Parses a query document.
pub(crate) fn parse(text: &str) -> Result<Operation, SyntaxError> {
    let toks = tokens(text)?;
    let mut p = Parser { toks, at: 0 };
    let op = p.operation()?;
    if let Some(t) = p.peek() {
        return Err(Parser::unexpected(t));
    }
    Ok(op)
}

struct Parser {
    toks: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.at)
    }

    fn end(&self) -> SyntaxError {
        let (line, column) = self.toks.last().map_or((1, 1), |t| (t.line, t.column));
        ("Unexpected end of document".into(), line, column)
    }

    fn unexpected(t: &Token) -> SyntaxError {
        let shown = match &t.kind {
            Kind::Name(n) => n.clone(),
            Kind::Punct('.') => "...".into(),
            Kind::Punct(c) => c.to_string(),
            Kind::Str(s) => format!("\"{s}\""),
            Kind::Int(n) => n.to_string(),
            Kind::Float => "number".into(),
        };
        (format!("Parse error on \"{shown}\""), t.line, t.column)
    }

    fn next(&mut self) -> Result<Token, SyntaxError> {
        let t = self.toks.get(self.at).cloned().ok_or_else(|| self.end())?;
        self.at += 1;
        Ok(t)
    }

    fn is(&self, c: char) -> bool {
        self.peek().is_some_and(|t| t.kind == Kind::Punct(c))
    }

    fn expect(&mut self, c: char) -> Result<(), SyntaxError> {
        let t = self.next()?;
        if t.kind == Kind::Punct(c) {
            Ok(())
        } else {
            Err(Self::unexpected(&t))
        }
    }

    fn name(&mut self) -> Result<(String, usize, usize), SyntaxError> {
        let t = self.next()?;
        match t.kind {
            Kind::Name(n) => Ok((n, t.line, t.column)),
            _ => Err(Self::unexpected(&t)),
        }
    }

    fn operation(&mut self) -> Result<Operation, SyntaxError> {
        let mut op = Operation {
            kind: "query".into(),
            variables: Vec::new(),
            selection: Vec::new(),
        };
        if !self.is('{') {
            let (kind, line, column) = self.name()?;
            if kind != "query" {
                return Err((
                    format!("the emulator serves queries only, not `{kind}`"),
                    line,
                    column,
                ));
            }
            op.kind = kind;
            if matches!(self.peek().map(|t| &t.kind), Some(Kind::Name(_))) {
                self.name()?;
            }
            if self.is('(') {
                self.expect('(')?;
                while !self.is(')') {
                    self.expect('$')?;
                    let (name, ..) = self.name()?;
                    self.expect(':')?;
                    let ty = self.type_ref()?;
                    if self.is('=') {
                        self.expect('=')?;
                        self.literal()?;
                    }
                    op.variables.push((name, ty));
                }
                self.expect(')')?;
            }
        }
        op.selection = self.selection_set()?;
        Ok(op)
    }

    fn type_ref(&mut self) -> Result<String, SyntaxError> {
        let mut ty = if self.is('[') {
            self.expect('[')?;
            let inner = self.type_ref()?;
            self.expect(']')?;
            format!("[{inner}]")
        } else {
            self.name()?.0
        };
        if self.is('!') {
            self.expect('!')?;
            ty.push('!');
        }
        Ok(ty)
    }

    fn selection_set(&mut self) -> Result<Vec<Selection>, SyntaxError> {
        self.expect('{')?;
        let mut out = Vec::new();
        while !self.is('}') {
            if self.is('@') {
                let t = self.next()?;
                return Err((
                    "the emulator does not serve directives".into(),
                    t.line,
                    t.column,
                ));
            }
            if self.is('.') {
                let t = self.next()?;
                let on = match self.peek().map(|t| t.kind.clone()) {
                    Some(Kind::Name(n)) if n == "on" => {
                        self.name()?;
                        Some(self.name()?.0)
                    }
                    Some(Kind::Name(_)) => {
                        return Err((
                            "the emulator does not serve named fragments".into(),
                            t.line,
                            t.column,
                        ));
                    }
                    _ => None,
                };
                let selection = self.selection_set()?;
                out.push(Selection::Inline {
                    on,
                    selection,
                    line: t.line,
                    column: t.column,
                });
                continue;
            }
            out.push(Selection::Field(self.field()?));
        }
        self.expect('}')?;
        if out.is_empty() {
            let (line, column) = self.peek().map_or((1, 1), |t| (t.line, t.column));
            return Err(("Selection sets may not be empty".into(), line, column));
        }
        Ok(out)
    }

    fn field(&mut self) -> Result<Field, SyntaxError> {
        let (first, line, column) = self.name()?;
        let (alias, name) = if self.is(':') {
            self.expect(':')?;
            (Some(first), self.name()?.0)
        } else {
            (None, first)
        };
        let mut args = Vec::new();
        if self.is('(') {
            self.expect('(')?;
            while !self.is(')') {
                let (arg, ..) = self.name()?;
                self.expect(':')?;
                args.push((arg, self.literal()?));
            }
            self.expect(')')?;
        }
        let selection = if self.is('{') {
            self.selection_set()?
        } else {
            Vec::new()
        };
        Ok(Field {
            alias,
            name,
            args,
            selection,
            line,
            column,
        })
    }

    fn literal(&mut self) -> Result<Literal, SyntaxError> {
        let t = self.next()?;
        Ok(match t.kind {
            Kind::Punct('$') => Literal::Var(self.name()?.0),
            Kind::Int(n) => Literal::Int(n),
            Kind::Float => Literal::Other,
            Kind::Str(s) => Literal::Str(s),
            Kind::Name(n) if n == "true" => Literal::Bool(true),
            Kind::Name(n) if n == "false" => Literal::Bool(false),
            Kind::Name(n) if n == "null" => Literal::Null,
            Kind::Name(n) => Literal::Enum(n),
            Kind::Punct('[') => {
                let mut items = Vec::new();
                while !self.is(']') {
                    items.push(self.literal()?);
                }
                self.expect(']')?;
                Literal::List(items)
            }
            Kind::Punct('{') => {
                while !self.is('}') {
                    self.name()?;
                    self.expect(':')?;
                    self.literal()?;
                }
                self.expect('}')?;
                Literal::Other
            }
            Kind::Punct(_) => return Err(Self::unexpected(&t)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_aliases_arguments_and_fragments() {
        let op = parse(
            "query Q($o: String!, $n: [ID!]) { r0: repository(owner: $o, name: \"x\") { id ... on Repository { name } } }",
        )
        .expect("parses");
        assert_eq!(op.variables[0], ("o".into(), "String!".into()));
        assert_eq!(op.variables[1], ("n".into(), "[ID!]".into()));
        let Selection::Field(f) = &op.selection[0] else {
            panic!("a field")
        };
        assert_eq!((f.key(), f.name.as_str()), ("r0", "repository"));
        assert_eq!(f.args[0], ("owner".into(), Literal::Var("o".into())));
        assert!(
            matches!(&f.selection[1], Selection::Inline { on: Some(t), .. } if t == "Repository")
        );
    }

    #[test]
    fn refuses_what_it_does_not_serve() {
        assert!(parse("mutation { a }").is_err());
        assert!(parse("{ a { ...Named } }").is_err());
        assert!(parse("{ a ").is_err());
        assert!(parse("{ }").is_err());
    }
}
