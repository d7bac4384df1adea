//! GitHub's GraphQL schema (`github-api/graphql/schema.graphql`, vendored), indexed for
//! checking queries: each type's kind and fields (arguments, the named type a field
//! returns, whether it may be null), union members and interface implementations.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use super::lex::{Kind, Token, tokens};

/// The schema text, as published (see `github-api/SOURCE.md`).
pub(crate) const SCHEMA: &str = include_str!("../../github-api/graphql/schema.graphql");

/// What a field returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldDef {
    pub args: BTreeSet<String>,
    /// The named type inside any list and non-null wrappers.
    pub ty: String,
    /// `!` on the outside: null is not a value of this field.
    pub non_null: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct TypeDef {
    /// `type`, `interface`, `union`, `enum`, `scalar` or `input`.
    pub kind: String,
    pub fields: BTreeMap<String, FieldDef>,
    /// Object types a union or interface may be.
    pub possible: BTreeSet<String>,
}

/// The indexed schema.
#[derive(Debug, Default)]
pub(crate) struct Schema {
    pub types: BTreeMap<String, TypeDef>,
}

impl Schema {
    /// Returns whether a value of type `ty` needs a selection set (objects, interfaces,
    /// unions).
    pub(crate) fn is_composite(&self, ty: &str) -> bool {
        self.types
            .get(ty)
            .is_some_and(|t| matches!(t.kind.as_str(), "type" | "interface" | "union"))
    }

    /// Returns whether an object of type `object` can be seen as `ty`.
    pub(crate) fn fits(&self, object: &str, ty: &str) -> bool {
        object == ty
            || self
                .types
                .get(ty)
                .is_some_and(|t| t.possible.contains(object))
    }
}

/// The vendored schema, indexed once.
pub(crate) fn schema() -> Result<&'static Schema, String> {
    static SCHEMA_INDEX: OnceLock<Result<Schema, String>> = OnceLock::new();
    SCHEMA_INDEX
        .get_or_init(|| index(SCHEMA))
        .as_ref()
        .map_err(Clone::clone)
}

/// Indexes an SDL document.
pub(crate) fn index(text: &str) -> Result<Schema, String> {
    let toks = tokens(text).map_err(|(m, l, c)| format!("schema {l}:{c}: {m}"))?;
    let mut r = Reader { toks, at: 0 };
    let mut schema = Schema::default();
    let mut implements: Vec<(String, String)> = Vec::new();
    while let Some(t) = r.peek() {
        if matches!(t.kind, Kind::Str(_)) {
            r.at += 1;
            continue;
        }
        let keyword = r.name()?;
        match keyword.as_str() {
            "type" | "interface" | "input" => {
                let name = r.name()?;
                if r.is_name("implements") {
                    r.at += 1;
                    while let Some(Kind::Name(n)) = r.peek().map(|t| t.kind.clone()) {
                        r.at += 1;
                        implements.push((name.clone(), n));
                        r.skip_punct('&');
                    }
                }
                r.directives()?;
                let fields = if r.is_punct('{') {
                    r.fields()?
                } else {
                    BTreeMap::new()
                };
                let def = schema.types.entry(name).or_default();
                def.kind = keyword;
                def.fields.extend(fields);
            }
            "enum" => {
                let name = r.name()?;
                r.directives()?;
                r.skip_block('{', '}')?;
                schema.types.entry(name).or_default().kind = keyword;
            }
            "union" => {
                let name = r.name()?;
                r.directives()?;
                r.skip_punct('=');
                r.skip_punct('|');
                let mut possible = BTreeSet::new();
                loop {
                    possible.insert(r.name()?);
                    if !r.skip_punct('|') {
                        break;
                    }
                }
                let def = schema.types.entry(name).or_default();
                def.kind = keyword;
                def.possible = possible;
            }
            "scalar" => {
                let name = r.name()?;
                r.directives()?;
                schema.types.entry(name).or_default().kind = keyword;
            }
            "directive" => {
                r.skip_punct('@');
                r.name()?;
                if r.is_punct('(') {
                    r.skip_block('(', ')')?;
                }
                if r.is_name("repeatable") {
                    r.at += 1;
                }
                r.name()?; // on
                r.skip_punct('|');
                loop {
                    r.name()?;
                    if !r.skip_punct('|') {
                        break;
                    }
                }
            }
            "schema" => r.skip_block('{', '}')?,
            other => return Err(format!("schema: unexpected `{other}`")),
        }
    }
    for (object, interface) in implements {
        schema
            .types
            .entry(interface)
            .or_default()
            .possible
            .insert(object);
    }
    Ok(schema)
}

struct Reader {
    toks: Vec<Token>,
    at: usize,
}

impl Reader {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.at)
    }

    fn is_punct(&self, c: char) -> bool {
        self.peek().is_some_and(|t| t.kind == Kind::Punct(c))
    }

    fn is_name(&self, n: &str) -> bool {
        self.peek().is_some_and(|t| t.kind == Kind::Name(n.into()))
    }

    fn skip_punct(&mut self, c: char) -> bool {
        let found = self.is_punct(c);
        if found {
            self.at += 1;
        }
        found
    }

    fn name(&mut self) -> Result<String, String> {
        match self.peek().map(|t| (t.kind.clone(), t.line)) {
            Some((Kind::Name(n), _)) => {
                self.at += 1;
                Ok(n)
            }
            Some((other, line)) => Err(format!(
                "schema line {line}: expected a name, found {other:?}"
            )),
            None => Err("schema: unexpected end".into()),
        }
    }

    fn skip_block(&mut self, open: char, close: char) -> Result<(), String> {
        let mut depth = 0;
        loop {
            let t = self.peek().ok_or("schema: unbalanced brackets")?;
            let k = t.kind.clone();
            self.at += 1;
            if k == Kind::Punct(open) {
                depth += 1;
            } else if k == Kind::Punct(close) {
                depth -= 1;
                if depth == 0 {
                    return Ok(());
                }
            }
        }
    }

    fn directives(&mut self) -> Result<(), String> {
        while self.skip_punct('@') {
            self.name()?;
            if self.is_punct('(') {
                self.skip_block('(', ')')?;
            }
        }
        Ok(())
    }

    /// Reads a type reference: the named type and whether the outside is non-null.
    fn type_ref(&mut self) -> Result<(String, bool), String> {
        let named = if self.skip_punct('[') {
            let (inner, _) = self.type_ref()?;
            if !self.skip_punct(']') {
                return Err("schema: unclosed list type".into());
            }
            inner
        } else {
            self.name()?
        };
        Ok((named, self.skip_punct('!')))
    }

    fn fields(&mut self) -> Result<BTreeMap<String, FieldDef>, String> {
        self.skip_punct('{');
        let mut out = BTreeMap::new();
        while !self.skip_punct('}') {
            if matches!(self.peek().map(|t| &t.kind), Some(Kind::Str(_))) {
                self.at += 1;
                continue;
            }
            let name = self.name()?;
            let mut args = BTreeSet::new();
            if self.skip_punct('(') {
                while !self.skip_punct(')') {
                    if matches!(self.peek().map(|t| &t.kind), Some(Kind::Str(_))) {
                        self.at += 1;
                        continue;
                    }
                    args.insert(self.name()?);
                    self.skip_punct(':');
                    self.type_ref()?;
                    if self.skip_punct('=') {
                        self.default_value()?;
                    }
                    self.directives()?;
                }
            }
            self.skip_punct(':');
            let (ty, non_null) = self.type_ref()?;
            // An input object's field may have a default value.
            if self.skip_punct('=') {
                self.default_value()?;
            }
            self.directives()?;
            out.insert(name, FieldDef { args, ty, non_null });
        }
        Ok(out)
    }

    fn default_value(&mut self) -> Result<(), String> {
        if self.is_punct('[') {
            return self.skip_block('[', ']');
        }
        if self.is_punct('{') {
            return self.skip_block('{', '}');
        }
        self.at += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_schema_indexes() {
        let s = schema().expect("the vendored schema indexes");
        let repo = &s.types["Repository"];
        assert_eq!(repo.kind, "type");
        let rules = &repo.fields["branchProtectionRules"];
        assert_eq!(rules.ty, "BranchProtectionRuleConnection");
        assert!(rules.non_null && rules.args.contains("first"));
        assert!(!repo.fields["defaultBranchRef"].non_null);
        assert!(s.fits("Team", "PushAllowanceActor"));
        assert!(s.fits("Repository", "Node"));
        assert!(!s.fits("Repository", "PushAllowanceActor"));
        assert_eq!(s.types["Query"].fields["rateLimit"].ty, "RateLimit");
        assert!(s.types.len() > 1000);
    }
}
