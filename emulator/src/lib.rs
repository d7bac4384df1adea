//! A stateful GitHub REST API emulator on 127.0.0.1 for gh-policy's tests and benchmarks.
