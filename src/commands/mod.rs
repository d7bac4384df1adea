//! One module per subcommand: each turns its clap arguments into calls on the library and
//! writes its output to the writers it is given.

pub mod schema;
pub mod validate;
