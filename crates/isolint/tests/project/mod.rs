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
    isolint_with_home(dir, dir)
}

/// `isolint` run in `dir` with `home` as its home (and configuration home), without the
/// user's colour and width settings or Terraform data folder.
pub(crate) fn isolint_with_home(dir: &Path, home: &Path) -> Command {
    let mut cmd = cargo_bin_cmd!("isolint");
    cmd.current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env_remove("TF_DATA_DIR")
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

/// A [`tree`] that is a git work tree to isolint (a `.git` folder bounds the project and
/// the configuration search).
pub(crate) fn repo(files: &[(&str, &str)]) -> TempDir {
    let dir = tree(files);
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    dir
}

/// A Bicep module deploying a storage account open to the internet, whose id it outputs
/// as `resourceId`: AML101 on line 6 once a workspace uses it.
pub(crate) const PUBLIC_STORAGE_MODULE: &str = "param name string
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}
output resourceId string = storage.id
";
