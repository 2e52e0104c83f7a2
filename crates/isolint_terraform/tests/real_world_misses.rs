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
        isolint_deploy::analyze_files(&paths, &sources, &isolint_deploy::Options::default());
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
    let ws: Vec<_> = model.graph().resources_of(WORKSPACE).collect();
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
    let storage = of_type(model.graph().resources(), STORAGE);
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

const WORKSPACE_MODULE: &str = r#"
variable "name" {}
variable "public" {}
variable "storage_id" {}

resource "azurerm_machine_learning_workspace" "this" {
  name                          = var.name
  location                      = "westeurope"
  resource_group_name           = "rg"
  application_insights_id       = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
  key_vault_id                  = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = var.storage_id
  public_network_access_enabled = var.public
  identity {
    type = "SystemAssigned"
  }
}
"#;

const STORAGE_MODULE: &str = r#"
variable "name" {}

resource "azurerm_storage_account" "this" {
  name                     = var.name
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

output "id" {
  value = azurerm_storage_account.this.id
}
"#;

/// A module called with `count` or `for_each` is one module instance per key, evaluated
/// with its own `count.index` or `each`, and the key is part of the module path; outputs
/// are read per instance (`module.x[1].id`) or for all (`module.x[*].id`); `count = 0`
/// deploys nothing.
#[test]
fn looped_module_calls_are_one_instance_per_key() {
    let (_dir, analysis, _) = run(&[
        ("ws/main.tf", WORKSPACE_MODULE),
        ("st/main.tf", STORAGE_MODULE),
        (
            "main.tf",
            r#"
module "st" {
  source = "./st"
  count  = 2
  name   = "st${count.index}"
}

module "ws" {
  source     = "./ws"
  for_each   = { dev = true, prod = false }
  name       = "mlw-${each.key}"
  public     = each.value
  storage_id = each.key == "dev" ? module.st[0].id : module.st[*].id[1]
}

module "none" {
  source = "./st"
  count  = 0
  name   = "never"
}
"#,
        ),
    ]);
    let paths = |ty: &str| -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = analysis
            .resources
            .iter()
            .filter(|r| r.is(ty))
            .map(|r| (r.origin.module_path.join("/"), r.display_name()))
            .collect();
        out.sort();
        out
    };
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        paths(STORAGE),
        vec![pair("module.st[0]", "st0"), pair("module.st[1]", "st1")]
    );
    assert_eq!(
        paths(WORKSPACE),
        vec![
            pair("module.ws[\"dev\"]", "mlw-dev"),
            pair("module.ws[\"prod\"]", "mlw-prod")
        ]
    );
    let model = Model::new(analysis.resources.clone());
    let workspaces: Vec<_> = model.graph().resources_of(WORKSPACE).collect();
    assert_ne!(workspaces[0].identity(), workspaces[1].identity());
    for ws in workspaces {
        let public = ws
            .get("properties.publicNetworkAccess")
            .known()
            .and_then(|n| n.as_str());
        let Target::Declared(storage) = model.link(ws, LinkKind::StorageAccount).target else {
            panic!("the storage link of {} is not resolved", ws.display_name());
        };
        let expected = match &*ws.display_name() {
            "mlw-dev" => (Some("Enabled"), "st0"),
            _ => (Some("Disabled"), "st1"),
        };
        assert_eq!((public, &*storage.display_name()), expected);
    }
}

/// A module `count` of a billion stays bounded: the instances past the budget are not
/// followed, with a warning at the call, and the run ends quickly.
#[test]
fn a_huge_module_count_stays_within_the_budget() {
    let started = std::time::Instant::now();
    let (_dir, analysis, _) = run(&[
        ("st/main.tf", STORAGE_MODULE),
        (
            "main.tf",
            r#"
module "st" {
  source = "./st"
  count  = 1000000000
  name   = "st${count.index}"
}
"#,
        ),
    ]);
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "expansion-budget"),
        "{:?}",
        analysis.diagnostics
    );
    assert!(analysis.resources.len() <= 5000);
    assert!(started.elapsed() < std::time::Duration::from_mins(1));
}

/// A module `for_each` that cannot be settled stands for all its instances once, its
/// `each` unknown, as before.
#[test]
fn an_unknown_module_loop_is_one_instance() {
    let (_dir, analysis, _) = run(&[
        ("st/main.tf", STORAGE_MODULE),
        (
            "main.tf",
            r#"
variable "names" {}

module "st" {
  source   = "./st"
  for_each = var.names
  name     = each.value
}
"#,
        ),
    ]);
    let storage = of_type(&analysis.resources, STORAGE);
    assert_eq!(storage.len(), 1);
    assert_eq!(&*storage[0].origin.module_path[0], "module.st");
    assert!(storage[0].name.as_unknown().is_some());
}

/// An outbound-rule resource is located at its destination attribute (as an inline rule
/// is at its entry in Bicep and ARM), so AML005/AML006 point there, not at the header.
#[test]
fn outbound_rule_resources_point_at_their_destination() {
    let (_dir, analysis, sources) = run(&[(
        "main.tf",
        r#"
resource "azurerm_machine_learning_workspace_network_outbound_rule_fqdn" "pypi" {
  name             = "allow-pypi"
  workspace_id     = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw"
  destination_fqdn = "pypi.org"
}

resource "azurerm_machine_learning_workspace_network_outbound_rule_service_tag" "storage" {
  name         = "allow-storage"
  workspace_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw"
  service_tag  = "Storage"
  protocol     = "TCP"
  port_ranges  = "443"
}
"#,
    )]);
    let mut headers: Vec<String> = analysis
        .resources
        .iter()
        .map(|r| {
            let header = r.header();
            sources.get(header.file).unwrap().slice(header).to_owned()
        })
        .collect();
    headers.sort();
    assert_eq!(
        headers,
        vec![
            "destination_fqdn = \"pypi.org\"".to_owned(),
            "service_tag  = \"Storage\"".to_owned()
        ]
    );
}
