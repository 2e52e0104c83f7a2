//! Shapes found on public repositories that isolint used to misread (issue 9, item 7), as
//! Terraform: a link through `length(x) > 0 ? x[0].id : ""`.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure to set up is a failed test"
)]

use std::path::PathBuf;

use isolint_model::{Analysis, LinkKind, Model, Resource, SourceMap, Target};

/// Writes `files` (relative path, text) below a fresh folder and analyzes every `.tf`.
fn run(files: &[(&str, &str)]) -> (tempfile::TempDir, Analysis, SourceMap) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = Vec::new();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        if isolint_terraform::accepts(&path) {
            paths.push(path);
        }
    }
    let sources = SourceMap::new();
    let analysis =
        isolint_terraform::analyze(&paths, &sources, &isolint_terraform::Options::default());
    (dir, analysis, sources)
}

fn of_type<'a>(resources: &'a [Resource], ty: &str) -> Vec<&'a Resource> {
    resources.iter().filter(|r| r.is(ty)).collect()
}

const WORKSPACE: &str = "Microsoft.MachineLearningServices/workspaces";
const STORAGE: &str = "Microsoft.Storage/storageAccounts";

/// A workspace whose storage link is `length(st) > 0 ? st[0].id : ""` over a storage
/// account created with a known `count`: the link reaches instance `0`, so the dependency
/// rules see the account.
#[test]
fn a_length_guarded_reference_to_a_counted_resource_links_instance_zero() {
    let (_dir, analysis, _) = run(&[(
        "main.tf",
        r#"
variable "create_storage" {
  default = true
}

resource "azurerm_storage_account" "st" {
  count                    = var.create_storage ? 1 : 0
  name                     = "stdata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_key_vault" "kv" {
  for_each            = toset(["main"])
  name                = "kv-${each.key}"
  resource_group_name = "rg"
  location            = "westeurope"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                    = "mlw"
  location                = "westeurope"
  resource_group_name     = "rg"
  application_insights_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
  storage_account_id      = length(azurerm_storage_account.st) > 0 ? azurerm_storage_account.st[0].id : ""
  key_vault_id            = length(azurerm_key_vault.kv) == 1 ? azurerm_key_vault.kv["main"].id : null
  identity {
    type = "SystemAssigned"
  }
}
"#,
    )]);
    let model = Model::new(analysis.resources);
    let ws = of_type(model.resources(), WORKSPACE);
    assert_eq!(ws.len(), 1);
    let Target::Declared(storage) = model.link(ws[0], LinkKind::StorageAccount).target else {
        panic!("the storage link is not resolved");
    };
    assert!(storage.is(STORAGE));
    let Target::Declared(vault) = model.link(ws[0], LinkKind::KeyVault).target else {
        panic!("the key vault link is not resolved");
    };
    assert_eq!(vault.display_name(), "kv-${each.key}");
}

/// Without instances (`count = 0`), the same guard gives the empty string: no link, and
/// nothing is unknown.
#[test]
fn a_length_guard_over_no_instance_links_nothing() {
    let (_dir, analysis, _) = run(&[(
        "main.tf",
        r#"
resource "azurerm_storage_account" "st" {
  count                    = 0
  name                     = "stdata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                    = "mlw"
  location                = "westeurope"
  resource_group_name     = "rg"
  application_insights_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
  key_vault_id            = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id      = length(azurerm_storage_account.st) > 0 ? azurerm_storage_account.st[0].id : ""
  identity {
    type = "SystemAssigned"
  }
}
"#,
    )]);
    let ws = of_type(&analysis.resources, WORKSPACE);
    assert_eq!(
        ws[0]
            .get("properties.storageAccount")
            .known()
            .and_then(|n| n.as_str()),
        Some("")
    );
}

/// `azapi_update_resource` that names its target by `type`, `parent_id` and `name` (not
/// `resource_id`) merges into the storage account it updates, like one that uses
/// `resource_id`: the account is judged with the update's values.
#[test]
fn an_azapi_update_by_name_and_parent_merges_into_its_target() {
    let (_dir, analysis, _) = run(&[(
        "main.tf",
        r#"
resource "azurerm_resource_group" "rg" {
  name     = "rg-ml"
  location = "westeurope"
}

resource "azurerm_storage_account" "st" {
  name                     = "stdata"
  resource_group_name      = azurerm_resource_group.rg.name
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azapi_update_resource" "lock_storage" {
  type      = "Microsoft.Storage/storageAccounts@2023-01-01"
  name      = "stdata"
  parent_id = azurerm_resource_group.rg.id
  body = {
    properties = {
      publicNetworkAccess = "Disabled"
    }
  }
}

resource "azapi_update_resource" "by_id" {
  type        = "Microsoft.Storage/storageAccounts@2023-01-01"
  resource_id = azurerm_storage_account.st.id
  body = {
    properties = {
      minimumTlsVersion = "TLS1_2"
    }
  }
}
"#,
    )]);
    let model = Model::new(analysis.resources);
    let storage = of_type(model.resources(), STORAGE);
    assert_eq!(storage.len(), 1, "the updates merge into the account");
    let text = |path: &str| {
        storage[0]
            .get(path)
            .known()
            .and_then(|n| n.as_str())
            .map(str::to_owned)
    };
    assert_eq!(
        text("properties.publicNetworkAccess").as_deref(),
        Some("Disabled")
    );
    assert_eq!(
        text("properties.minimumTlsVersion").as_deref(),
        Some("TLS1_2")
    );
    assert_eq!(storage[0].origin.decls.len(), 3);
}
