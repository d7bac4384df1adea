//! One module per subcommand: each turns its clap arguments into calls on the library and
//! writes its output to the writers it is given.

use std::path::PathBuf;

pub mod apply;
pub mod budget;
pub mod comment;
pub mod completions;
pub mod content;
pub mod explain;
pub mod export;
pub mod findings;
pub mod guard;
pub mod interrupt;
pub mod issue;
pub mod migrate;
pub mod org;
pub mod plan;
pub mod remote;
pub mod reports;
pub mod saved;
pub mod schema;
pub mod validate;

/// What every command may need to know about how it was run.
#[derive(Debug, Clone)]
pub struct Context {
    /// The directory the command runs in (for the git remote).
    pub cwd: PathBuf,
    /// `-v`: log API calls to stderr.
    pub verbose: bool,
    /// Colour on stdout.
    pub color: bool,
}
