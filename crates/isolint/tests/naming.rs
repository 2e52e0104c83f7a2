//! How findings name resources and properties: as users know them from their own files.
//! A Terraform finding speaks Terraform (addresses, attributes, HCL values, variables), a
//! Bicep one Bicep (symbolic names, `'quoted'` values), an ARM one as ARM always did; a
//! resource in a module called twice says which call it belongs to.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails by panicking, helpers included"
)]

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;

mod project;
use project::tree;

/// The compact lines of `isolint check ARGS` in `dir`, and its standard error.
fn check(dir: &Path, args: &[&str]) -> (Vec<String>, String) {
    let output = cargo_bin_cmd!("isolint")
        .current_dir(dir)
        .env("HOME", dir)
        .env_remove("COLUMNS")
        .args(["check"])
        .args(args)
        .output()
        .unwrap();
    let lines = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    (lines, String::from_utf8(output.stderr).unwrap())
}

const BICEP_MODULE: &str = "param name string
param access string

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: name
  location: 'westeurope'
  properties: {
    publicNetworkAccess: access
  }
}
";

#[test]
fn a_bicep_module_called_twice_names_each_call() {
    let dir = tree(&[
        ("modules/workspace.bicep", BICEP_MODULE),
        (
            "main.bicep",
            "module dev 'modules/workspace.bicep' = {
  name: 'deploy-dev'
  params: {
    name: 'mlw-dev'
    access: 'Enabled'
  }
}

module teams 'modules/workspace.bicep' = [for team in ['a', 'b']: {
  name: 'deploy-${team}'
  params: {
    name: 'mlw-${team}'
    access: 'Enabled'
  }
}]
",
        ),
    ]);
    let (lines, _) = check(dir.path(), &["--format", "compact", "--select", "AML001"]);
    let names: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.split('`').nth(1))
        .collect();
    assert_eq!(
        names,
        [
            "dev > workspace (mlw-dev)",
            "teams[0] > workspace (mlw-a)",
            "teams[1] > workspace (mlw-b)"
        ],
        "{lines:#?}"
    );
    assert!(
        lines[0].ends_with("`publicNetworkAccess` is `'Enabled'`"),
        "{}",
        lines[0]
    );
}

#[test]
fn terraform_speaks_terraform() {
    let dir = tree(&[
        (
            "modules/ws/main.tf",
            r#"variable "name" {}
variable "public" {
  default = true
}

resource "azurerm_machine_learning_workspace" "this" {
  name                          = var.name
  location                      = "westeurope"
  resource_group_name           = "rg"
  application_insights_id       = "appi"
  key_vault_id                  = "kv"
  storage_account_id            = "st"
  public_network_access_enabled = var.public
  identity {
    type = "SystemAssigned"
  }
}
"#,
        ),
        (
            "main.tf",
            r#"module "aml" {
  source   = "./modules/ws"
  for_each = toset(["dev", "prod"])
  name     = "mlw-${each.key}"
}
"#,
        ),
    ]);
    let (lines, _) = check(
        dir.path(),
        &["--format", "compact", "--select", "AML001,AML002"],
    );
    let joined = lines.join("\n");
    for expected in [
        "workspace `module.aml[\"dev\"].azurerm_machine_learning_workspace.this (mlw-dev)` accepts public network traffic: `public_network_access_enabled` is `true` (with the default of variable `public`)",
        "workspace `module.aml[\"prod\"].azurerm_machine_learning_workspace.this (mlw-prod)` accepts public network traffic",
        "`managed_network { isolation_mode }` is not set",
    ] {
        assert!(joined.contains(expected), "no `{expected}` in:\n{joined}");
    }
}

#[test]
fn long_notes_are_counted_unless_verbose() {
    // Five folders, each with a Bicep file and the JSON compiled from it: the compiled
    // copies are skipped, and the note that says so lists five files.
    const BICEP: &str =
        "resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  location: 'westeurope'
}
";
    const COMPILED: &str = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "metadata": {"_generator": {"name": "bicep", "version": "0.30.0"}}, "resources": []}"#;
    let files: Vec<(String, &str)> = ["a", "b", "c", "d", "e"]
        .iter()
        .flat_map(|folder| {
            [
                (format!("{folder}/main.bicep"), BICEP),
                (format!("{folder}/main.json"), COMPILED),
            ]
        })
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let dir = tree(&files);
    let skipped_note = |printed: &str| {
        printed
            .lines()
            .find(|l| l.starts_with("note: skipped (compiled"))
            .unwrap_or_default()
            .to_owned()
    };
    let (_, short) = check(dir.path(), &[]);
    assert!(
        skipped_note(&short).ends_with(" and 2 more (--verbose lists them)"),
        "{short}"
    );
    let (_, long) = check(dir.path(), &["--verbose"]);
    let note = skipped_note(&long);
    assert!(note.contains("e/main.json"), "{long}");
    assert!(!note.contains("more"), "{long}");
}
