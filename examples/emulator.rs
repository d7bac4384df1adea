//! Serves the GitHub emulator on 127.0.0.1 until interrupted, to try gh-policy by hand:
//!
//! ```sh
//! cargo run --example emulator -- tests/fixtures/live/flow-drifted.json
//! # in another terminal, with the URL and token it prints:
//! GITHUB_API_URL=http://127.0.0.1:PORT GITHUB_TOKEN=test-token cargo run -- plan
//! ```

#![allow(
    clippy::print_stdout,
    reason = "a command-line demo prints its address"
)]

use gh_policy_emulator::Emulator;

fn main() {
    let fixture = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/fixtures/live/flow-drifted.json".to_owned());
    let emulator = Emulator::from_fixture(&fixture);
    println!("serving {fixture}");
    println!(
        "GITHUB_API_URL={} GITHUB_TOKEN={}",
        emulator.url(),
        emulator.token()
    );
    loop {
        std::thread::park();
    }
}
