//! Checks a query against the schema before anything runs, as GitHub does: a field the type
//! does not have, an argument the field does not take, a selection on a scalar (or none on
//! an object), a fragment on a type that cannot be there, an undeclared variable. Each is
//! an error in GitHub's shape; any of them means the query is not run at all.

use serde_json::{Value, json};

use super::sdl::Schema;
use super::syntax::{Literal, Operation, Selection};

/// Returns every problem of `op` against `schema` (empty when it may run).
pub(crate) fn check(schema: &Schema, op: &Operation) -> Vec<Value> {
    let mut errors = Vec::new();
    let mut path = vec![op.kind.clone()];
    selection(schema, op, "Query", &op.selection, &mut path, &mut errors);
    errors
}

fn error(message: &str, line: usize, column: usize, path: &[String], extensions: &Value) -> Value {
    json!({
        "path": path,
        "extensions": extensions,
        "locations": [{"line": line, "column": column}],
        "message": message,
    })
}

fn selection(
    schema: &Schema,
    op: &Operation,
    parent: &str,
    items: &[Selection],
    path: &mut Vec<String>,
    errors: &mut Vec<Value>,
) {
    for item in items {
        match item {
            Selection::Inline {
                on,
                selection: inner,
                line,
                column,
            } => {
                let ty = on.as_deref().unwrap_or(parent);
                if !schema.types.contains_key(ty) {
                    errors.push(error(
                        &format!("No such type {ty}, so it can't be a fragment condition"),
                        *line,
                        *column,
                        path,
                        &json!({"code": "undefinedType", "typeName": ty}),
                    ));
                    continue;
                }
                let overlap = schema.fits(ty, parent)
                    || schema.fits(parent, ty)
                    || schema.types[ty]
                        .possible
                        .iter()
                        .any(|object| schema.fits(object, parent));
                if !overlap {
                    errors.push(error(
                        &format!("Fragment on {ty} can't be spread inside {parent}"),
                        *line,
                        *column,
                        path,
                        &json!({"code": "fragmentSpreadTypeMismatch", "typeName": ty, "fragmentName": "unknown", "parentName": parent}),
                    ));
                    continue;
                }
                path.push(format!("... on {ty}"));
                selection(schema, op, ty, inner, path, errors);
                path.pop();
            }
            Selection::Field(field) => {
                path.push(field.key().to_owned());
                if field.name == "__typename" {
                    path.pop();
                    continue;
                }
                let Some(def) = schema
                    .types
                    .get(parent)
                    .and_then(|t| t.fields.get(&field.name))
                else {
                    errors.push(error(
                        &format!("Field '{}' doesn't exist on type '{parent}'", field.name),
                        field.line,
                        field.column,
                        path,
                        &json!({"code": "undefinedField", "typeName": parent, "fieldName": field.name}),
                    ));
                    path.pop();
                    continue;
                };
                for (arg, value) in &field.args {
                    if !def.args.contains(arg) {
                        errors.push(error(
                            &format!("Field '{}' doesn't accept argument '{arg}'", field.name),
                            field.line,
                            field.column,
                            path,
                            &json!({"code": "argumentNotAccepted", "name": field.name, "typeName": "Field", "argumentName": arg}),
                        ));
                    }
                    undeclared(op, value, field.line, field.column, path, errors);
                }
                let composite = schema.is_composite(&def.ty);
                if composite && field.selection.is_empty() {
                    errors.push(error(
                        &format!("Field '{}' of type '{}' must have a selection of subfields. Did you mean '{} {{ ... }}'?", field.name, def.ty, field.name),
                        field.line,
                        field.column,
                        path,
                        &json!({"code": "selectionMismatch", "nodeName": format!("field '{}'", field.name), "typeName": def.ty}),
                    ));
                } else if !composite && !field.selection.is_empty() {
                    errors.push(error(
                        &format!("Selections can't be made on scalars (field '{}' returns {} but has selections)", field.name, def.ty),
                        field.line,
                        field.column,
                        path,
                        &json!({"code": "selectionMismatch", "nodeName": format!("field '{}'", field.name), "typeName": def.ty}),
                    ));
                } else if composite {
                    selection(schema, op, &def.ty, &field.selection, path, errors);
                }
                path.pop();
            }
        }
    }
}

fn undeclared(
    op: &Operation,
    value: &Literal,
    line: usize,
    column: usize,
    path: &[String],
    errors: &mut Vec<Value>,
) {
    match value {
        Literal::Var(name) if !op.variables.iter().any(|(n, _)| n == name) => {
            errors.push(error(
                &format!("Variable ${name} is used by {} but not declared", op.kind),
                line,
                column,
                path,
                &json!({"code": "variableNotDefined", "variableName": name}),
            ));
        }
        Literal::List(items) => {
            for item in items {
                undeclared(op, item, line, column, path, errors);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::sdl::schema;
    use super::super::syntax::parse;
    use super::*;

    fn codes(query: &str) -> Vec<String> {
        let op = parse(query).expect("parses");
        check(schema().expect("schema"), &op)
            .iter()
            .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned())
            .collect()
    }

    #[test]
    fn a_query_of_real_fields_passes() {
        assert!(codes("query($o: String!) { rateLimit { cost remaining } repository(owner: $o, name: \"x\") { __typename isArchived defaultBranchRef { name } branchProtectionRules(first: 10) { nodes { pattern pushAllowances(first: 5) { nodes { actor { ... on Team { slug } ... on User { login } } } } } } } }").is_empty());
    }

    #[test]
    fn unknown_fields_arguments_and_shapes_are_errors() {
        assert_eq!(
            codes("{ repository(owner: \"o\", name: \"n\") { nope } }"),
            ["undefinedField"]
        );
        assert_eq!(
            codes("{ rateLimit(bogus: 1) { cost } }"),
            ["argumentNotAccepted"]
        );
        assert_eq!(codes("{ rateLimit }"), ["selectionMismatch"]);
        assert_eq!(codes("{ rateLimit { cost { x } } }"), ["selectionMismatch"]);
        assert_eq!(
            codes("{ rateLimit { ... on User { login } } }"),
            ["fragmentSpreadTypeMismatch"]
        );
        assert_eq!(
            codes("{ repository(owner: $o, name: \"n\") { id } }"),
            ["variableNotDefined"]
        );
    }
}
