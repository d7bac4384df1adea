//! One module per subcommand: each turns its clap arguments into calls on the library and
//! writes its output to the writers it is given. `plan` and `apply` run one repository
//! themselves and hand an organisation to `org/`; what both kinds of run share sits below
//! them, each in its own module: the policy file and its mode (`policy_file`), secret
//! values and the clock (`process`), the questions (`confirm`), executing and verifying a
//! plan (`execute`), the connection (`remote`), contradictions (`guard`), the rate budget
//! (`budget`) and the CI reports (`reports`). `content` is what `issue` and `comment` share.

use std::path::PathBuf;

pub mod apply;
pub mod budget;
pub mod comment;
pub mod completions;
pub mod confirm;
pub mod content;
pub mod execute;
pub mod explain;
pub mod export;
pub mod findings;
pub mod guard;
pub mod interrupt;
pub mod issue;
pub mod migrate;
pub mod org;
pub mod plan;
pub mod policy_file;
pub mod process;
pub mod remote;
pub mod reports;
pub mod review;
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
