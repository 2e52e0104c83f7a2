//! `--var` and `--var-file` end to end: a Terraform variable without a default leaves the
//! finding unsettled (silent); a value from the command line settles it.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails by panicking, helpers included"
)]

use std::fs;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use tempfile::TempDir;

const MAIN_TF: &str = r#"
variable "public_network_access_enabled" {
  type = bool
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-contoso"
  location                      = "westeurope"
  resource_group_name           = "rg-contoso"
  application_insights_id       = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
  key_vault_id                  = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"
  public_network_access_enabled = var.public_network_access_enabled

  identity {
    type = "SystemAssigned"
  }
}
"#;

/// A folder holding `main.tf` and `files`.
fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("main.tf"), MAIN_TF).unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// The AML001 lines of `isolint check --format compact --select AML001 ARGS .` in `dir`.
fn aml001(dir: &Path, args: &[&str]) -> Vec<String> {
    let output = cargo_bin_cmd!("isolint")
        .current_dir(dir)
        .env("HOME", dir)
        .args([
            "check", "--quiet", "--format", "compact", "--select", "AML001",
        ])
        .args(args)
        .arg(".")
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| line.contains("AML001"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_required_variable_without_a_value_is_silent() {
    let dir = project(&[]);
    assert!(aml001(dir.path(), &[]).is_empty());
}

#[test]
fn var_settles_a_required_variable() {
    let dir = project(&[]);
    let found = aml001(dir.path(), &["--var", "public_network_access_enabled=true"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("main.tf"), "{found:?}");
    assert!(
        aml001(
            dir.path(),
            &["--var", "public_network_access_enabled=false"]
        )
        .is_empty()
    );
}

#[test]
fn var_file_settles_a_required_variable_and_var_wins_over_it() {
    let dir = project(&[
        ("prod.tfvars", "public_network_access_enabled = true\n"),
        (
            "terraform.tfvars",
            "public_network_access_enabled = false\n",
        ),
    ]);
    // terraform.tfvars alone: private.
    assert!(aml001(dir.path(), &[]).is_empty());
    // --var-file comes after terraform.tfvars.
    assert_eq!(aml001(dir.path(), &["--var-file", "prod.tfvars"]).len(), 1);
    // --var comes last.
    let both = [
        "--var-file",
        "prod.tfvars",
        "--var",
        "public_network_access_enabled=false",
    ];
    assert!(aml001(dir.path(), &both).is_empty());
}

#[test]
fn a_missing_var_file_is_an_error_and_a_bad_var_a_usage_error() {
    let dir = project(&[]);
    let missing = cargo_bin_cmd!("isolint")
        .current_dir(dir.path())
        .args(["check", "--var-file", "nope.tfvars", "."])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stdout).contains("nope.tfvars"));
    let bad = cargo_bin_cmd!("isolint")
        .current_dir(dir.path())
        .args(["check", "--var", "novalue", "."])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
