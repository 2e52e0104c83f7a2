//! The deployment graph through the binary: registry modules from the Bicep module cache
//! named by the environment (`HOME`, `--bicep-cache`) and Terraform's (`TF_DATA_DIR`),
//! modules that cannot be read failing the run, files named alone judged through their
//! callers in the project, and the project root (`--root`).

#![expect(
    clippy::unwrap_used,
    reason = "a test fails by panicking, helpers included"
)]

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

mod project;
use project::isolint_with_home as isolint_in;

/// A temporary folder holding `files`; `project/` is a git work tree (a `.git` folder).
fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = project::tree(files);
    fs::create_dir_all(dir.path().join("project/.git")).unwrap();
    fs::create_dir_all(dir.path().join("home")).unwrap();
    dir
}

const CACHED_STORAGE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "name": { "type": "string" },
    "publicNetworkAccess": { "type": "string", "defaultValue": "Disabled" }
  },
  "resources": {
    "storageAccount": {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-05-01",
      "name": "[parameters('name')]",
      "location": "westeurope",
      "properties": { "publicNetworkAccess": "[parameters('publicNetworkAccess')]" }
    }
  },
  "outputs": {
    "resourceId": { "type": "string", "value": "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]" }
  }
}"#;

fn main_bicep(reference: &str) -> String {
    format!(
        "module storage '{reference}' = {{
  name: 'storage'
  params: {{
    name: 'stcontoso'
    publicNetworkAccess: 'Enabled'
  }}
}}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {{
  name: 'mlw-contoso'
  location: 'westeurope'
  properties: {{
    storageAccount: storage.outputs.resourceId
    publicNetworkAccess: 'Disabled'
    managedNetwork: {{
      isolationMode: 'AllowOnlyApprovedOutbound'
    }}
  }}
}}
"
    )
}

#[test]
fn a_registry_module_missing_from_the_cache_fails_the_run_and_names_bicep_restore() {
    let dir = tree(&[(
        "project/main.bicep",
        &main_bicep("br/public:avm/res/storage/storage-account:0.11.0"),
    )]);
    isolint_in(&dir.path().join("project"), &dir.path().join("home"))
        .args(["check", "--format", "compact", "main.bicep"])
        .assert()
        .code(1)
        .stdout(contains("warning[COV001 module-not-read]"))
        .stdout(contains("run `bicep restore main.bicep`"))
        .stderr(contains("not followed").not());
}

#[test]
fn the_default_cache_under_home_and_a_cache_root_with_a_tilde_are_read() {
    let module = "bicep$avm$res$storage$storage-account/0.11.0$/main.json";
    let dir = tree(&[
        (
            "project/main.bicep",
            &main_bicep("br/public:avm/res/storage/storage-account:0.11.0"),
        ),
        (
            &format!("home/.bicep/br/mcr.microsoft.com/{module}"),
            CACHED_STORAGE,
        ),
    ]);
    let project = dir.path().join("project");
    let home = dir.path().join("home");
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "."])
        .assert()
        .code(1)
        .stdout(contains("main.bicep:5:26: error[AML101"))
        .stdout(contains("COV001").not());
    // `cacheRootDirectory: "~/elsewhere"` moves the cache; the default one is not read then.
    fs::write(
        project.join("bicepconfig.json"),
        r#"{ "cacheRootDirectory": "~/elsewhere" }"#,
    )
    .unwrap();
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "."])
        .assert()
        .code(1)
        .stdout(contains("COV001"));
    fs::create_dir_all(home.join("elsewhere/br/mcr.microsoft.com")).unwrap();
    fs::rename(
        home.join(".bicep/br/mcr.microsoft.com/bicep$avm$res$storage$storage-account"),
        home.join("elsewhere/br/mcr.microsoft.com/bicep$avm$res$storage$storage-account"),
    )
    .unwrap();
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "."])
        .assert()
        .code(1)
        .stdout(contains("main.bicep:5:26: error[AML101"))
        .stdout(contains("COV001").not());
    // `--bicep-cache DIR` wins over both.
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "--bicep-cache"])
        .arg(home.join(".bicep"))
        .arg(".")
        .assert()
        .code(1)
        .stdout(contains("COV001"));
}

#[test]
fn tf_data_dir_is_read_from_the_environment() {
    let dir = tree(&[
        (
            "project/main.tf",
            "module \"st\" {\n  source  = \"Azure/avm-res-storage-storageaccount/azurerm\"\n  version = \"0.2.0\"\n}\n",
        ),
        (
            "project/tfdata/modules/modules.json",
            r#"{"Modules":[{"Key":"st","Source":"registry.terraform.io/Azure/avm-res-storage-storageaccount/azurerm","Version":"0.2.0","Dir":"tfdata/modules/st"}]}"#,
        ),
        (
            "project/tfdata/modules/st/main.tf",
            "resource \"azurerm_key_vault\" \"kv\" {\n  name = \"kv\"\n}\n",
        ),
    ]);
    let project = dir.path().join("project");
    let home = dir.path().join("home");
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "main.tf"])
        .assert()
        .code(1)
        .stdout(contains("COV001"))
        .stdout(contains("terraform init"));
    isolint_in(&project, &home)
        .env("TF_DATA_DIR", "tfdata")
        .args(["check", "--format", "compact", "main.tf"])
        .assert()
        .code(0)
        .stdout("");
}

const STORAGE_TF: &str = r#"resource "azurerm_storage_account" "st" {
  name                          = "stcontoso"
  resource_group_name           = "rg-contoso"
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = true
}
"#;

const WORKSPACE_TF: &str = r#"resource "azurerm_machine_learning_workspace" "mlw" {
  name                    = "mlw-contoso"
  location                = "westeurope"
  resource_group_name     = "rg-contoso"
  application_insights_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso/providers/Microsoft.Insights/components/appi"
  key_vault_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id      = azurerm_storage_account.st.id

  identity {
    type = "SystemAssigned"
  }
}
"#;

#[test]
fn a_tf_file_named_alone_finds_what_checking_its_folder_finds() {
    let dir = tree(&[
        ("project/infra/sa.tf", STORAGE_TF),
        ("project/infra/ws.tf", WORKSPACE_TF),
    ]);
    let project = dir.path().join("project");
    let home = dir.path().join("home");
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "."])
        .assert()
        .code(1)
        .stdout(contains("infra/sa.tf:7:35: error[AML101"));
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "infra/sa.tf"])
        .assert()
        .code(1)
        .stdout(contains("infra/sa.tf:7:35: error[AML101"))
        // The workspace's own findings are about ws.tf, which was not named.
        .stdout(contains("ws.tf").not());
}

#[test]
fn a_module_named_alone_finds_its_callers_link() {
    let sa_module = STORAGE_TF.replace("= true", "= var.public");
    let dir = tree(&[
        ("project/infra/main.bicep", &main_bicep("modules/storage.bicep")),
        ("project/infra/modules/storage.bicep", project::PUBLIC_STORAGE_MODULE),
        ("project/tf/modules/sa/main.tf", &format!("variable \"public\" {{\n  type = bool\n}}\n{sa_module}")),
        (
            "project/tf/envs/prod/main.tf",
            &format!(
                "module \"sa\" {{\n  source = \"../../modules/sa\"\n  public = true\n}}\n{}",
                WORKSPACE_TF.replace("azurerm_storage_account.st.id", "\"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso/providers/Microsoft.Storage/storageAccounts/stcontoso\"")
            ),
        ),
    ]);
    let project = dir.path().join("project");
    let home = dir.path().join("home");
    // As pre-commit names it: the module alone, found through main.bicep.
    isolint_in(&project, &home)
        .args([
            "check",
            "--format",
            "compact",
            "infra/modules/storage.bicep",
        ])
        .assert()
        .code(1)
        .stdout(contains("infra/modules/storage.bicep:6:26: error[AML101"))
        .stdout(contains("main.bicep").not());
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "tf/modules/sa/main.tf"])
        .assert()
        .code(1)
        .stdout(contains("tf/modules/sa/main.tf"))
        .stdout(contains("error[AML101"))
        .stdout(contains("envs/prod").not());
}

#[test]
fn nothing_outside_the_root_is_read_but_the_files_named() {
    let dir = tree(&[
        (
            "project/main.bicep",
            "module m '../outside/secret.bicep' = {\n  name: 'm'\n}\n",
        ),
        ("outside/secret.bicep", "SECRET-TEXT"),
        (
            "elsewhere/named.bicep",
            "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {\n  name: 'mlw-named'\n  properties: {\n    publicNetworkAccess: 'Enabled'\n  }\n}\nmodule m '../outside/secret.bicep' = {\n  name: 'm'\n}\n",
        ),
    ]);
    let project = dir.path().join("project");
    let home = dir.path().join("home");
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "main.bicep"])
        .assert()
        .code(1)
        .stdout(contains("lies outside the project root: not followed"))
        .stdout(contains("SECRET").not())
        .stderr(contains("SECRET").not());
    // A file named outside the root is read; what it references stays confined.
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "--root", "."])
        .arg(dir.path().join("elsewhere/named.bicep"))
        .assert()
        .code(1)
        .stdout(contains("error[AML001"))
        .stdout(contains("lies outside the project root: not followed"))
        .stdout(contains("SECRET").not());
}

#[test]
fn json_files_are_routed_by_content_whatever_their_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = tree(&[]);
    let home = dir.path().join("home");
    let plan = fs::read_to_string(root.join("testdata/plans/equivalence/plan.json")).unwrap();
    let export = fs::read_to_string(root.join("testdata/inventory/graph-query.json")).unwrap();
    let project = dir.path().join("project");
    fs::write(project.join("tfplan.json"), plan).unwrap();
    fs::write(project.join("estate.json"), export).unwrap();
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "tfplan.json"])
        .assert()
        .code(1)
        .stdout(contains("tfplan.json:"))
        .stdout(contains(
            "`azurerm_machine_learning_workspace.mlw (mlw-contosodev)`",
        ));
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "estate.json"])
        .assert()
        .code(1)
        .stdout(contains("estate.json:"));
    // Both at once: each read by its own reader.
    isolint_in(&project, &home)
        .args(["check", "--format", "compact", "."])
        .assert()
        .code(1)
        .stdout(contains("tfplan.json:").and(contains("estate.json:")));
}
