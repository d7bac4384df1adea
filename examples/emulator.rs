//! Serves the GitHub emulator on 127.0.0.1 until interrupted, to try gh-policy by hand
//! (the README's "Try it" section):
//!
//! ```sh
//! cargo run --example emulator                 # prints: export GITHUB_API_URL=… GITHUB_TOKEN=…
//! # in another terminal, paste that line, then:
//! gh-policy plan
//! ```
//!
//! The one line on stdout is the `export` to paste; everything else goes to stderr.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line demo prints its address and its usage"
)]

use std::path::PathBuf;
use std::process::ExitCode;

use gh_policy_emulator::Emulator;

/// The seed served when none is given: acme/katz-backend, drifted from the repository's
/// own policy.yaml.
const DEFAULT_SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/live/flow-drifted.json"
);

const USAGE: &str = "\
Serve a GitHub API emulator on 127.0.0.1 until interrupted (Ctrl-C)

Usage: cargo run --example emulator [-- [SEED]]

Arguments:
  [SEED]  A seed file (JSON) of the repository state to serve
          [default: tests/fixtures/live/flow-drifted.json, acme/katz-backend drifted
          from the repository's own policy.yaml]

Options:
  -h, --help  Print help

Prints one line on stdout, to paste into the shell that runs gh-policy:
  export GITHUB_API_URL=http://127.0.0.1:PORT GITHUB_TOKEN=TOKEN
Other seeds: tests/fixtures/live/*.json; their format: emulator/README.md.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seed = match args.as_slice() {
        [] => PathBuf::from(DEFAULT_SEED),
        [flag] if flag == "-h" || flag == "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        [path] if !path.starts_with('-') => PathBuf::from(path),
        _ => {
            eprintln!("error: unexpected arguments {args:?}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let emulator = match Emulator::load_seed(&seed) {
        Ok(state) => Emulator::start(state),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "export GITHUB_API_URL={} GITHUB_TOKEN={}",
        emulator.url(),
        emulator.token()
    );
    eprintln!(
        "serving {} until interrupted (Ctrl-C); in another terminal, paste the line above, then run gh-policy",
        seed.display()
    );
    loop {
        std::thread::park();
    }
}
