//! Throw-away git repositories for the tests of `diff` and `report --history`, made with
//! the `git` program (isolint itself never runs it): commits with fixed dates, and the
//! real binary run in the work tree.

#![allow(
    dead_code,
    reason = "each test binary that includes this module uses a part of it"
)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::cargo_bin_cmd;

/// A repository in a temporary folder, removed when dropped.
pub(crate) struct Repo {
    dir: tempfile::TempDir,
}

/// What a run of isolint gave.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// Standard output as JSON.
    pub(crate) fn json(&self) -> serde_json::Value {
        match serde_json::from_str(&self.stdout) {
            Ok(json) => json,
            Err(error) => unreachable!("{error}: {}\n{}", self.stdout, self.stderr),
        }
    }
}

/// Whether the `git` program is there; the tests that need it say so when it is not.
pub(crate) fn git_available() -> bool {
    let found = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        // Past the harness's capture of `eprintln!`, so that a skipped test is seen.
        let _ = writeln!(
            std::io::stderr(),
            "git is not installed: the test of throw-away repositories is skipped"
        );
    }
    found
}

impl Repo {
    /// An empty repository on branch `main`.
    pub(crate) fn new() -> Self {
        let repo = Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// The work tree.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git with a fixed identity and no configuration of the machine's.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        self.git_at(args, "2026-01-01T00:00:00Z")
    }

    fn git_at(&self, args: &[&str], date: &str) -> String {
        let output = Command::new("git")
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// Writes `text` at `path` in the work tree.
    pub(crate) fn write(&self, path: &str, text: &str) -> &Self {
        self.write_bytes(path, text.as_bytes())
    }

    /// Writes `bytes` at `path` in the work tree.
    pub(crate) fn write_bytes(&self, path: &str, bytes: &[u8]) -> &Self {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a folder")).expect("the folder is made");
        std::fs::write(full, bytes).expect("the file is written");
        self
    }

    /// Stages everything and commits it at `date` (`2026-01-05T12:00:00Z`); returns the id.
    pub(crate) fn commit(&self, message: &str, date: &str) -> String {
        self.git(&["add", "-A"]);
        self.git_at(&["commit", "-q", "--allow-empty", "-m", message], date);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Runs the isolint binary in the work tree.
    pub(crate) fn isolint(&self, args: &[&str]) -> Run {
        isolint_in(self.path(), args)
    }
}

/// Runs the isolint binary in `folder`, ages measured at 2026-03-01.
pub(crate) fn isolint_in(folder: &Path, args: &[&str]) -> Run {
    let output = cargo_bin_cmd!("isolint")
        .current_dir(folder)
        .env("SOURCE_DATE_EPOCH", "1772323200")
        .args(args)
        .output()
        .expect("isolint runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Repo {
    /// A shallow clone of this repository (depth 1), in a folder of its own.
    pub(crate) fn shallow_clone(&self) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let target = dir.path().join("clone");
        let source = format!("file://{}", self.path().display());
        let output = Command::new("git")
            .args(["clone", "-q", "--depth", "1", &source])
            .arg(&target)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        (dir, target)
    }
}

/// A Bicep workspace with a storage account and a key vault, and optionally a compute
/// cluster; `properties` are extra lines of the workspace's properties.
pub(crate) fn workspace(mode: &str, cluster: bool, properties: &str) -> String {
    let mut text = format!(
        "param location string = resourceGroup().location

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {{
  name: 'mlw-contoso'
  location: location
  properties: {{
    publicNetworkAccess: 'Disabled'
    storageAccount: storage.id
    keyVault: vault.id
    managedNetwork: {{
      isolationMode: '{mode}'
    }}
{properties}
  }}
}}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {{
  name: 'stcontoso'
  location: location
  kind: 'StorageV2'
  sku: {{ name: 'Standard_LRS' }}
  properties: {{ publicNetworkAccess: 'Disabled' }}
}}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {{
  name: 'kv-contoso'
  location: location
  properties: {{
    tenantId: subscription().tenantId
    sku: {{ family: 'A', name: 'standard' }}
    publicNetworkAccess: 'Disabled'
  }}
}}
"
    );
    if cluster {
        text.push_str(
            "
resource cluster 'Microsoft.MachineLearningServices/workspaces/computes@2024-10-01' = {
  parent: workspace
  name: 'cpu-cluster'
  location: location
  properties: {
    computeType: 'AmlCompute'
    disableLocalAuth: true
    properties: { enableNodePublicIp: false, vmSize: 'Standard_DS3_v2' }
  }
}
",
        );
    }
    text
}
