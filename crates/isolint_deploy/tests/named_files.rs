//! A file named on the command line (as a pre-commit hook names the changed files) is
//! judged in its deployment context: a `.tf` file with its module folder and the root
//! modules that call it, a Bicep module through the templates that deploy it. What is
//! reported is what concerns the named file.

mod common;

use std::path::PathBuf;

use common::{Run, Tree};
use isolint_deploy::Options;

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

fn files(run_on: &Tree, names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(|name| run_on.path(name)).collect()
}

#[test]
fn a_tf_file_named_alone_is_judged_with_its_module_folder() {
    let tree = Tree::new(&[
        ("root/infra/sa.tf", STORAGE_TF),
        ("root/infra/ws.tf", WORKSPACE_TF),
    ]);
    let whole = Run::new(
        &tree,
        &files(&tree, &["root/infra/sa.tf", "root/infra/ws.tf"]),
        false,
        &Options::default(),
    );
    let alone = Run::new(
        &tree,
        &files(&tree, &["root/infra/sa.tf"]),
        true,
        &Options::default(),
    );
    assert_eq!(whole.of("AML101").len(), 1, "{:#?}", whole.findings);
    let aml101 = alone.of("AML101");
    assert_eq!(aml101.len(), 1, "{:#?}", alone.findings);
    assert!(alone.at(aml101[0]).starts_with("sa.tf:"));
    // The workspace's own findings are about ws.tf, which was not named.
    assert!(alone.of("AML001").is_empty(), "{:#?}", alone.findings);
    assert!(!whole.of("AML001").is_empty());
}

#[test]
fn a_module_file_named_alone_is_judged_through_the_root_modules_that_call_it() {
    let module = STORAGE_TF.replace("true", "var.public");
    let module = format!(
        "variable \"public\" {{\n  type = bool\n}}\n\n{module}\noutput \"id\" {{\n  value = azurerm_storage_account.st.id\n}}\n"
    );
    let root = format!(
        "module \"storage\" {{\n  source = \"../../modules/sa\"\n  public = true\n}}\n\n{}",
        WORKSPACE_TF.replace("azurerm_storage_account.st.id", "module.storage.id")
    );
    let tree = Tree::new(&[
        ("root/modules/sa/main.tf", &module),
        ("root/envs/prod/main.tf", &root),
        (
            "root/envs/other/main.tf",
            "resource \"azurerm_key_vault\" \"kv\" {\n  name = \"kv\"\n}\n",
        ),
    ]);
    let project = files(
        &tree,
        &[
            "root/modules/sa/main.tf",
            "root/envs/prod/main.tf",
            "root/envs/other/main.tf",
        ],
    );
    let named = files(&tree, &["root/modules/sa/main.tf"]);
    let alone_without_context = Run::new(&tree, &named, true, &Options::default());
    assert!(
        alone_without_context.of("AML101").is_empty(),
        "nothing links it without its caller"
    );
    let run = Run::with_project(&tree, &named, true, &project, &Options::default());
    let aml101 = run.of("AML101");
    assert_eq!(aml101.len(), 1, "{:#?}", run.findings);
    assert!(
        run.at(aml101[0]).starts_with("main.tf:"),
        "{}",
        run.at(aml101[0])
    );
    let file = run.sources.get(aml101[0].span.file).unwrap();
    assert!(file.path.ends_with("modules/sa/main.tf"));
    // The caller is read for context: it is a root, the unrelated folder is not read.
    assert_eq!(run.deployment.roots, 1);
    assert!(
        run.sources
            .files()
            .iter()
            .all(|f| !f.path.ends_with("other/main.tf"))
    );
}

#[test]
fn a_bicep_module_named_alone_gets_its_callers_link() {
    let storage = "param name string
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: 'westeurope'
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}
output id string = storage.id
";
    let main = format!(
        "module storage 'modules/storage.bicep' = {{\n  name: 'storage'\n  params: {{\n    name: 'stcontoso'\n  }}\n}}\n\n{}",
        common::bicep_workspace("storage.outputs.id")
    );
    let tree = Tree::new(&[
        ("root/main.bicep", &main),
        ("root/modules/storage.bicep", storage),
    ]);
    let project = files(&tree, &["root/main.bicep", "root/modules/storage.bicep"]);
    let named = files(&tree, &["root/modules/storage.bicep"]);
    let alone_without_context = Run::new(&tree, &named, true, &Options::default());
    assert!(alone_without_context.of("AML101").is_empty());
    let run = Run::with_project(&tree, &named, true, &project, &Options::default());
    let aml101 = run.of("AML101");
    assert_eq!(aml101.len(), 1, "{:#?}", run.findings);
    assert!(
        run.at(aml101[0]).starts_with("storage.bicep:10:"),
        "{}",
        run.at(aml101[0])
    );
    // Nothing about main.bicep itself is reported.
    for finding in &run.findings {
        assert!(
            !run.at(finding).starts_with("main.bicep"),
            "{}",
            run.at(finding)
        );
    }
    assert!(!run.deployment.focus.is_everything());
}
