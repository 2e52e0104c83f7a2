//! Guarantees of SECURITY.md that are properties of the source: no library or binary code
//! of isolint runs a program or opens a socket (test code may: it makes FIFOs). The
//! dependency side of the same guarantee is `deny.toml`'s bans (no HTTP, TLS or async
//! runtime crate).

use std::path::{Path, PathBuf};

/// What running a program or opening a network connection takes in Rust's standard
/// library.
const FORBIDDEN: &[&str] = &[
    "process::Command",
    "Command::new(",
    "std::net",
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "ToSocketAddrs",
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_library_or_binary_code_runs_a_program_or_opens_a_socket() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&crates)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        // xtask is the project's build tooling, never shipped.
        if entry.file_name() != "xtask" {
            sources(&entry.path().join("src"), &mut files);
        }
    }
    assert!(files.len() > 50, "the crates' sources: {}", files.len());
    let mut found = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        // Unit tests sit in a `mod tests` at the end of a file, or in a `tests.rs` of
        // their own.
        if file.file_name().is_some_and(|name| name == "tests.rs") {
            continue;
        }
        let code = text.split("#[cfg(test)]\nmod tests {").next().unwrap_or("");
        for (number, line) in code.lines().enumerate() {
            if FORBIDDEN.iter().any(|needle| line.contains(needle)) {
                found.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
