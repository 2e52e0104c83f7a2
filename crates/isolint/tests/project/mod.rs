//! Throw-away projects for the command-line tests: a tree of files in a temporary folder,
//! and the binary run in it with a home of its own (no machine's `~/.bicep` or
//! configuration changes the answers).

#![allow(dead_code, reason = "each test binary uses the helpers it needs")]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use tempfile::TempDir;

/// `isolint` run in `dir`, which is also its home, without the user's colour and width
/// settings.
pub(crate) fn isolint_in(dir: &Path) -> Command {
    let mut cmd = cargo_bin_cmd!("isolint");
    cmd.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS");
    cmd
}

/// A temporary folder holding `files` (path, text), folders made as needed.
pub(crate) fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}
