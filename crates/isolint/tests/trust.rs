//! The CLI's own trust (issue 10): the files it reads itself are bounded and never streams,
//! its writes never land on an input and are atomic, a baseline neither hides a finding of
//! another file nor is rewritten from a partial run, and no run passes silently (nothing
//! found, isolint's own warnings). Each test failed before these guarantees existed.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails by panicking, helpers included"
)]

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

mod project;
use project::repo;

/// A workspace that accepts public traffic (AML001).
const PUBLIC: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "mlw-public",
      "location": "westeurope",
      "properties": { "publicNetworkAccess": "Enabled" }
    }
  ]
}
"#;

/// Long enough for a debug build on a busy machine; a hang never ends.
const PATIENCE: Duration = Duration::from_secs(30);

/// `isolint` run in `dir` (its home too), given up on after [`PATIENCE`].
fn isolint_in(dir: &Path) -> Command {
    let mut cmd = project::isolint_in(dir);
    cmd.timeout(PATIENCE);
    cmd
}

fn read(dir: &TempDir, path: &str) -> String {
    fs::read_to_string(dir.path().join(path)).unwrap()
}

// --- what the CLI reads itself ----------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_configuration_or_baseline_that_is_a_stream_is_refused() {
    let dir = repo(&[("main.json", PUBLIC)]);
    for option in ["--config", "--baseline"] {
        isolint_in(dir.path())
            .args(["check", option, "/dev/zero", "."])
            .assert()
            .code(2)
            .stderr(contains("/dev/zero").and(contains("not a regular file")));
    }
}

#[cfg(unix)]
#[test]
fn a_configuration_found_by_name_that_is_no_file_is_refused_not_skipped() {
    let dir = repo(&[("main.json", PUBLIC)]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("isolint.toml")).unwrap();
    isolint_in(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(contains("cannot read `").and(contains("isolint.toml`: it is not a regular file")));
}

#[test]
fn a_configuration_larger_than_a_mebibyte_is_refused() {
    let padding = format!("# {}\n", "x".repeat(2 * 1024 * 1024));
    let dir = repo(&[("main.json", PUBLIC), ("isolint.toml", &padding)]);
    isolint_in(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(contains("isolint.toml").and(contains("larger than 1 MiB")));
}

#[cfg(unix)]
#[test]
fn an_ignore_file_that_is_a_link_to_a_device_is_not_read() {
    let dir = repo(&[("main.json", PUBLIC), ("sub/other.json", PUBLIC)]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("sub/.gitignore")).unwrap();
    isolint_in(dir.path())
        .args(["check", "--format", "compact", "."])
        .assert()
        .code(2)
        .stdout(contains("main.json:10:").and(contains(
            "sub/.gitignore: error[io-error] ignore file not read: it is not a regular file (a device, FIFO or socket); the folder `sub` is not checked",
        )));
    // The folders above the one walked are vetted too (their ignore files apply).
    fs::remove_file(dir.path().join("sub/.gitignore")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".ignore")).unwrap();
    isolint_in(&dir.path().join("sub"))
        .args(["check", "--no-ignore", "."])
        .assert()
        .code(1);
    isolint_in(&dir.path().join("sub"))
        .args(["check", "--format", "compact", "."])
        .assert()
        .code(2)
        .stdout(contains(".ignore: error[io-error] ignore file not read"));
}

#[test]
fn a_hundred_thousand_globs_are_a_clear_error() {
    let globs: Vec<String> = (0..100_000).map(|i| format!("\"d{i}\"")).collect();
    let config = format!("exclude = [{}]\n", globs.join(","));
    let dir = repo(&[("main.json", PUBLIC), ("isolint.toml", &config)]);
    isolint_in(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(contains(
            "too many `exclude` globs: 100000 (at most 1000; a glob that names a folder covers everything below it)",
        ));
    let mut cmd = isolint_in(dir.path());
    cmd.args(["check", "--config", "/nonexistent-is-not-read-first"]);
    for i in 0..1001 {
        cmd.arg(format!("--exclude=d{i}"));
    }
    cmd.arg(".")
        .assert()
        .code(2)
        .stderr(contains("too many --exclude globs: 1001").or(contains("cannot read")));
}

// --- what the CLI writes ----------------------------------------------------------------

#[test]
fn the_output_is_never_an_input_or_a_folder() {
    let dir = repo(&[("main.json", PUBLIC), ("reports/.keep", "")]);
    for args in [
        &["check", "main.json", "-o", "main.json"][..],
        &["check", ".", "--write-baseline", "main.json"],
        &["report", ".", "-o", "main.json"],
    ] {
        isolint_in(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(contains(
                "cannot write `main.json`: `main.json` is one of the files this run reads",
            ));
        assert_eq!(read(&dir, "main.json"), PUBLIC, "{args:?}");
    }
    isolint_in(dir.path())
        .args(["check", ".", "-o", "reports"])
        .assert()
        .code(2)
        .stderr(contains("`reports` is a folder"));
    // isolint's own JSON, read back by a later walk, is rewritten.
    for _ in 0..2 {
        isolint_in(dir.path())
            .args(["check", ".", "--format", "json", "-o", "findings.json"])
            .assert()
            .code(1);
    }
    isolint_in(dir.path())
        .args(["check", ".", "--write-baseline", "baseline.json"])
        .assert()
        .code(0);
    isolint_in(dir.path())
        .args(["check", ".", "--write-baseline", "baseline.json"])
        .assert()
        .code(0);
}

#[cfg(unix)]
#[test]
fn writes_replace_a_link_and_never_write_through_it() {
    let dir = repo(&[("main.json", PUBLIC), ("victim.txt", "keep me\n")]);
    std::os::unix::fs::symlink("victim.txt", dir.path().join("out.txt")).unwrap();
    isolint_in(dir.path())
        .args(["check", ".", "--format", "compact", "-o", "out.txt"])
        .assert()
        .code(1);
    assert_eq!(read(&dir, "victim.txt"), "keep me\n");
    let out = dir.path().join("out.txt");
    assert!(!fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
    assert!(read(&dir, "out.txt").contains("AML001"));
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".isolint-")),
        "no temporary file is left: {names:?}"
    );
}

#[test]
fn a_baseline_is_not_rewritten_when_an_input_fails_to_parse() {
    let dir = repo(&[("main.json", PUBLIC)]);
    isolint_in(dir.path())
        .args(["check", ".", "--write-baseline", ".baseline.json"])
        .assert()
        .code(0);
    let recorded = read(&dir, ".baseline.json");
    fs::write(dir.path().join("broken.json"), "{ \"resources\": [").unwrap();
    isolint_in(dir.path())
        .args(["check", ".", "--write-baseline", ".baseline.json"])
        .assert()
        .code(2)
        .stderr(contains("broken.json").and(contains(
            "the baseline `.baseline.json` is not written: 1 input could not be read whole",
        )));
    assert_eq!(read(&dir, ".baseline.json"), recorded);
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_dangling_link() {
    let dir = repo(&[]);
    std::os::unix::fs::symlink("elsewhere.toml", dir.path().join("isolint.toml")).unwrap();
    isolint_in(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(contains("`isolint.toml` exists (a symbolic link)"));
    assert!(!dir.path().join("elsewhere.toml").exists());
    isolint_in(dir.path())
        .args(["init", "--force"])
        .assert()
        .success();
    assert!(!dir.path().join("elsewhere.toml").exists());
    assert!(read(&dir, "isolint.toml").contains("# isolint configuration"));
}

// --- no silent pass ---------------------------------------------------------------------

#[test]
fn a_baseline_entry_hides_a_finding_of_its_own_file_only() {
    let dir = repo(&[("dev/main.json", PUBLIC)]);
    isolint_in(dir.path())
        .args(["check", ".", "--write-baseline", ".baseline.json"])
        .assert()
        .code(0);
    assert!(read(&dir, ".baseline.json").contains("\"path\": \"dev/main.json\""));
    // The same deployment in another folder has the same fingerprints: once `dev` is
    // fixed, the entry it leaves must not hide the new finding in `prod`.
    let fixed = PUBLIC.replace("\"Enabled\"", "\"Disabled\"");
    fs::write(dir.path().join("dev/main.json"), &fixed).unwrap();
    fs::create_dir(dir.path().join("prod")).unwrap();
    fs::write(dir.path().join("prod/main.json"), PUBLIC).unwrap();
    isolint_in(dir.path())
        .args([
            "check",
            ".",
            "--baseline",
            ".baseline.json",
            "--format",
            "compact",
        ])
        .args(["--select", "AML001"])
        .assert()
        .code(1)
        .stdout(contains("prod/main.json:10:").and(contains("dev/main.json").not()));
    fs::write(dir.path().join("dev/main.json"), PUBLIC).unwrap();
    // From another working directory, paths are still relative to the baseline.
    isolint_in(&dir.path().join("dev"))
        .args([
            "check",
            ".",
            "--baseline",
            "../.baseline.json",
            "--format",
            "compact",
        ])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn baseline_entries_that_match_nothing_are_listed() {
    let dir = repo(&[("main.json", PUBLIC)]);
    isolint_in(dir.path())
        .args(["check", ".", "--write-baseline", ".baseline.json"])
        .assert()
        .code(0);
    fs::write(
        dir.path().join("main.json"),
        PUBLIC.replace("\"Enabled\"", "\"Disabled\""),
    )
    .unwrap();
    // Only entries of the rules that ran are judged: AML002's still holds, unseen.
    isolint_in(dir.path())
        .args(["check", ".", "--baseline", ".baseline.json", "--select", "AML001"])
        .assert()
        .code(0)
        .stderr(contains(
            "note: 1 entry in the baseline no longer matches a finding (fixed, or moved to another file; --write-baseline records the findings of today): AML001 on `Microsoft.MachineLearningServices/workspaces/mlw-public` in main.json",
        ));
}

#[test]
fn isolint_own_warnings_fail_the_run_at_the_fail_level() {
    let text = PUBLIC.replace(
        "      \"properties\"",
        "      // isolint-ignore AML001 until=2027-02-30\n      \"properties\"",
    );
    let dir = repo(&[("main.json", &text)]);
    isolint_in(dir.path())
        .args(["check", "--select", "AML002", "."])
        .assert()
        .code(1)
        .stderr(contains("1 file, 0 errors, 2 warnings in "));
    isolint_in(dir.path())
        .args(["check", "--select", "AML002", "--fail-level", "error", "."])
        .assert()
        .code(0);
}

#[test]
fn a_named_file_the_configuration_excludes_leaves_nothing_to_do() {
    let dir = repo(&[
        ("isolint.toml", "exclude = [\"legacy\"]\n"),
        ("legacy/main.json", PUBLIC),
    ]);
    // As a pre-commit hook names a changed file that the configuration excludes.
    isolint_in(dir.path())
        .args(["check", "legacy/main.json"])
        .assert()
        .code(0)
        .stderr(contains(
            "note: skipped `legacy/main.json`: the configuration excludes it",
        ));
    isolint_in(dir.path())
        .args(["check", "legacy"])
        .assert()
        .code(2)
        .stderr(contains("`exclude` `**/legacy` of `"));
}

#[test]
fn a_named_terraform_variable_file_checks_its_module() {
    let module = r#"
resource "azurerm_machine_learning_workspace" "ws" {
  name                          = "mlw"
  location                      = "westeurope"
  resource_group_name           = "rg"
  application_insights_id       = "x"
  key_vault_id                  = "x"
  storage_account_id            = "x"
  public_network_access_enabled = var.public
  identity { type = "SystemAssigned" }
}
variable "public" { type = bool }
"#;
    let dir = repo(&[
        ("infra/main.tf", module),
        ("infra/terraform.tfvars", "public = true\n"),
        ("envs/prod.tfvars", "public = false\n"),
    ]);
    isolint_in(dir.path())
        .args(["check", "--select", "AML001", "--format", "compact"])
        .arg("infra/terraform.tfvars")
        .assert()
        .code(1)
        .stdout(contains("infra/main.tf:").and(contains("AML001")));
    // A variable file with no Terraform beside it is skipped on purpose.
    isolint_in(dir.path())
        .args(["check", "envs/prod.tfvars"])
        .assert()
        .code(0)
        .stderr(contains(
            "skipped `envs/prod.tfvars`: no Terraform files beside it",
        ));
}

#[test]
fn the_pre_commit_hook_passes_every_file_type_isolint_reads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let hooks = fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let pattern = hooks
        .lines()
        .find_map(|line| line.trim().strip_prefix("files: "))
        .unwrap()
        .trim_matches('\'');
    let alternatives: Vec<&str> = pattern
        .strip_prefix("\\.(")
        .and_then(|p| p.strip_suffix(")$"))
        .unwrap()
        .split('|')
        .collect();
    for name in [
        "main.json",
        "main.jsonc",
        "main.bicep",
        "main.bicepparam",
        "main.tf",
        "main.tf.json",
        "terraform.tfvars",
        "prod.tfvars.json",
    ] {
        assert!(
            alternatives
                .iter()
                .any(|extension| name.ends_with(&format!(".{extension}"))),
            "{name} is not passed by `{pattern}`"
        );
    }
}
