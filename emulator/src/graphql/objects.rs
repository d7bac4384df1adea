//! The values the resolvers pass around: what the caller may see (`Scope`), an object of
//! the answer (`Obj`), a field's value before its sub-selection (`Out`) and why a field is
//! null (`FieldError`).

use serde_json::Value;

use crate::seed::Role;
use crate::state::World;
use crate::state::rulesets::Source;

/// What the caller may see, and the GraphQL budget after this query.
pub(crate) struct Scope<'a> {
    pub world: &'a World,
    pub role: Role,
    pub reaches: &'a dyn Fn(&str, &str) -> bool,
    /// Whether the caller may edit the organisation's rulesets (and so see their bypass
    /// actors).
    pub edits_org_rulesets: bool,
    /// `(cost, remaining, used, limit, reset_at)`.
    pub rate: (u64, u64, u64, u64, String),
}

/// An object of the answer.
#[derive(Debug, Clone)]
pub(crate) enum Obj {
    Query,
    Repo(usize),
    /// An organisation, by login.
    Org(String),
    /// A ruleset, and whether the caller sees its bypass actors.
    Ruleset {
        src: Source,
        id: u64,
        sees_bypass: bool,
    },
    /// A part of a stored ruleset (its conditions, a rule, parameters, a bypass actor) as
    /// REST's JSON, typed by its GraphQL type.
    Part {
        ty: &'static str,
        value: Value,
    },
    Ref(String),
    Rule {
        repo: usize,
        branch: String,
    },
    /// An edge that carries more than its node (`RepositoryCollaboratorEdge`: the
    /// collaborator's permission).
    Edge {
        ty: &'static str,
        node: Box<Obj>,
        permission: String,
    },
    /// `PushAllowance`, `ReviewDismissalAllowance` or `BypassPullRequestAllowance`.
    Allowance {
        ty: &'static str,
        actor: Box<Obj>,
    },
    /// `User` (login), `Team` (slug) or `App` (slug), with the database id.
    Actor {
        ty: &'static str,
        name: String,
        id: u64,
    },
    Check {
        context: String,
        app: Option<i64>,
    },
    RateLimit,
    Conn {
        ty: String,
        nodes: Vec<Obj>,
        total: usize,
        has_next: bool,
        end_cursor: Option<String>,
    },
    PageInfo {
        has_next: bool,
        end_cursor: Option<String>,
    },
}

/// A field's value before its sub-selection.
pub(crate) enum Out {
    Scalar(Value),
    Obj(Obj),
    List(Vec<Obj>),
    /// A connection's items, paged by the executor.
    Page(Vec<Obj>),
}

/// Why a field is null.
pub(crate) struct FieldError {
    pub kind: &'static str,
    pub message: String,
}

/// Returns the object's GraphQL type name.
pub(crate) fn typename(obj: &Obj) -> String {
    match obj {
        Obj::Query => "Query".into(),
        Obj::Repo(_) => "Repository".into(),
        Obj::Org(_) => "Organization".into(),
        Obj::Ruleset { .. } => "RepositoryRuleset".into(),
        Obj::Ref(_) => "Ref".into(),
        Obj::Rule { .. } => "BranchProtectionRule".into(),
        Obj::Allowance { ty, .. }
        | Obj::Actor { ty, .. }
        | Obj::Part { ty, .. }
        | Obj::Edge { ty, .. } => (*ty).into(),
        Obj::Check { .. } => "RequiredStatusCheckDescription".into(),
        Obj::RateLimit => "RateLimit".into(),
        Obj::Conn { ty, .. } => ty.clone(),
        Obj::PageInfo { .. } => "PageInfo".into(),
    }
}
