//! `isolint check --fix` end to end: what it rewrites, what it prints, what it leaves alone
//! (parameter defaults without `--unsafe-fixes`, files outside the scan), and that a second
//! run changes nothing.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails by panicking, helpers included"
)]

use std::fs;
use std::path::Path;

mod project;
use project::{isolint_in, tree};

/// Standard error of `isolint check ARGS` in `dir` (the findings, in the compact format, go
/// to standard output).
fn check(dir: &Path, args: &[&str]) -> (String, String) {
    let output = isolint_in(dir)
        .args(["check", "--format", "compact"])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

const WORKSPACE: &str = "param access string = 'Enabled'

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-contoso'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Enabled' // open for now
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}

resource other 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-other'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: access
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}
";

const CLUSTER: &str = r#"resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-tf"
  location                      = "westeurope"
  resource_group_name           = "rg"
  application_insights_id       = "appi"
  key_vault_id                  = "kv"
  storage_account_id            = "st"
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_machine_learning_compute_cluster" "cpu" {
  name                          = "cpu"
  location                      = "westeurope"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.mlw.id
  vm_priority                   = "Dedicated"
  vm_size                       = "Standard_DS3_v2"
  node_public_ip_enabled        = true
  local_auth_enabled            = true
  ssh_public_access_enabled     = false

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 1
    scale_down_nodes_after_idle_duration = "PT30S"
  }

  identity {
    type = "SystemAssigned"
  }
}
"#;

#[test]
fn safe_fixes_rewrite_literals_in_place_and_a_second_run_changes_nothing() {
    let dir = tree(&[("main.bicep", WORKSPACE), ("tf/main.tf", CLUSTER)]);
    let (_, before) = check(dir.path(), &["--select", "AML001,AML201,AML202"]);
    assert!(before.is_empty() || !before.contains("fixed"), "{before}");

    let (remaining, printed) = check(dir.path(), &["--fix", "--select", "AML001,AML201,AML202"]);
    let bicep = fs::read_to_string(dir.path().join("main.bicep")).unwrap();
    let terraform = fs::read_to_string(dir.path().join("tf/main.tf")).unwrap();
    assert_eq!(
        bicep,
        WORKSPACE.replace(
            "publicNetworkAccess: 'Enabled' // open",
            "publicNetworkAccess: 'Disabled' // open"
        ),
        "only the literal changes, comments and all else kept"
    );
    assert_eq!(
        terraform,
        CLUSTER
            .replace(
                "node_public_ip_enabled        = true",
                "node_public_ip_enabled        = false"
            )
            .replace(
                "local_auth_enabled            = true",
                "local_auth_enabled            = false"
            )
    );
    assert!(
        printed
            .contains("fixed main.bicep:7:26: set `publicNetworkAccess` to `'Disabled'` (AML001)"),
        "{printed}"
    );
    assert!(
        printed
            .contains("fixed tf/main.tf:25:35: set `node_public_ip_enabled` to `false` (AML201)"),
        "{printed}"
    );
    assert!(printed.contains("applied 3 fixes to 2 files"), "{printed}");
    // What remains: the workspace whose value is a parameter's default (an unsafe fix).
    assert_eq!(remaining.lines().count(), 1, "{remaining}");
    assert!(remaining.contains("with the default of parameter `access`"));

    let (again, printed) = check(dir.path(), &["--fix", "--select", "AML001,AML201,AML202"]);
    assert_eq!(again, remaining);
    assert!(!printed.contains("fixed"), "{printed}");
    assert_eq!(
        fs::read_to_string(dir.path().join("main.bicep")).unwrap(),
        bicep
    );
}

#[test]
fn parameter_defaults_are_rewritten_only_with_unsafe_fixes() {
    let dir = tree(&[("main.bicep", WORKSPACE)]);
    let output = isolint_in(dir.path())
        .args(["check", "--select", "AML001"])
        .output()
        .unwrap();
    let printed = String::from_utf8(output.stderr).unwrap();
    assert!(
        printed.contains("1 finding can be fixed with --fix (1 more with --unsafe-fixes"),
        "{printed}"
    );
    let (remaining, printed) = check(
        dir.path(),
        &["--fix", "--unsafe-fixes", "--select", "AML001"],
    );
    assert!(remaining.is_empty(), "{remaining}");
    assert!(
        printed.contains("set the default of parameter `access` to `'Disabled'` (AML001)"),
        "{printed}"
    );
    let text = fs::read_to_string(dir.path().join("main.bicep")).unwrap();
    assert!(
        text.starts_with("param access string = 'Disabled'\n"),
        "{text}"
    );
}

#[test]
fn unsafe_fixes_need_fix() {
    let dir = tree(&[("main.bicep", WORKSPACE)]);
    isolint_in(dir.path())
        .args(["check", "--unsafe-fixes"])
        .assert()
        .code(2);
}

/// A module the scan reads because a file it checks calls it, but which lies outside the
/// paths given, is not the run's to rewrite.
#[test]
fn files_outside_the_paths_checked_are_left_alone() {
    let module = "resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-shared'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}
";
    let dir = tree(&[
        (
            "app/main.bicep",
            "module shared '../shared/workspace.bicep' = {\n  name: 'shared'\n}\n",
        ),
        ("shared/workspace.bicep", module),
    ]);
    // The project is the whole tree (`--root`), so that the module may be read at all.
    let root = dir.path().to_str().unwrap();
    let (findings, printed) = check(
        &dir.path().join("app"),
        &["--fix", "--select", "AML001", "--root", root],
    );
    assert!(!printed.contains("fixed"), "{printed}");
    assert_eq!(
        fs::read_to_string(dir.path().join("shared/workspace.bicep")).unwrap(),
        module
    );
    assert!(findings.contains("AML001"), "{findings}");
}

/// A value chosen by an expression (a conditional, a function) is not a literal of the
/// property, even when the branch it chose is one: `--fix` leaves it alone.
#[test]
fn an_expression_is_never_rewritten() {
    let terraform = r#"locals {
  open = true
}

resource "azapi_resource" "ws" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-10-01"
  name      = "mlw-azapi"
  parent_id = "/subscriptions/0/resourceGroups/rg"
  location  = "westeurope"
  body = {
    properties = {
      publicNetworkAccess = local.open ? "Enabled" : "Disabled"
    }
  }
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-tf"
  location                      = "westeurope"
  resource_group_name           = "rg"
  application_insights_id       = "appi"
  key_vault_id                  = "kv"
  storage_account_id            = "st"
  public_network_access_enabled = local.open ? true : false
  identity {
    type = "SystemAssigned"
  }
}
"#;
    let bicep = "param open bool = true

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: open ? 'Enabled' : 'Disabled'
  }
}
";
    let dir = tree(&[("tf/main.tf", terraform), ("main.bicep", bicep)]);
    let (findings, printed) = check(dir.path(), &["--fix", "--select", "AML001"]);
    assert_eq!(findings.lines().count(), 3, "{findings}");
    assert!(!printed.contains("fixed"), "{printed}");
    assert_eq!(
        fs::read_to_string(dir.path().join("tf/main.tf")).unwrap(),
        terraform
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("main.bicep")).unwrap(),
        bicep
    );
}
