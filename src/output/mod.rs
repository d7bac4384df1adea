//! How the tool prints, and how what it prints stays safe (the plan's formats are `render`).
//!
//! - `progress`: the lines for a person watching (waits, retries, `-v`) and the spinner.
//! - `redact`: the credentials the process holds, blanked out of everything it prints.
//! - `untrusted`: text from outside (files, flags, GitHub's answers) made safe to print.

pub mod progress;
pub mod redact;
pub mod untrusted;
