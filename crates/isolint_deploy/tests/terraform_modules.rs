//! Terraform modules through the deployment graph: registry and git modules read from
//! `.terraform/modules` as `terraform init` installed them (and `TF_DATA_DIR`), findings
//! inside them moved to the argument of the user's module call, and every module that
//! cannot be read (not installed, stale, a broken manifest, outside the project) a
//! coverage gap at the call.

mod common;

use common::{Run, Tree};
use isolint_deploy::Options;

const ROOT: &str = r#"module "st" {
  source  = "Azure/avm-res-storage-storageaccount/azurerm"
  version = "0.2.0"

  name                          = "stcontoso"
  public_network_access_enabled = true
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-contoso"
  location                      = "westeurope"
  resource_group_name           = "rg-contoso"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso/providers/Microsoft.Insights/components/appi"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = module.st.resource_id
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  identity {
    type = "SystemAssigned"
  }
}
"#;

const INSTALLED: &str = r#"variable "name" {
  type = string
}

variable "public_network_access_enabled" {
  type    = bool
  default = false
}

resource "azurerm_storage_account" "this" {
  name                          = var.name
  resource_group_name           = "rg-contoso"
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = var.public_network_access_enabled
}

output "resource_id" {
  value = azurerm_storage_account.this.id
}
"#;

fn manifest(data_dir: &str, version: &str) -> String {
    format!(
        r#"{{"Modules":[{{"Key":"","Source":"","Dir":"."}},{{"Key":"st","Source":"registry.terraform.io/Azure/avm-res-storage-storageaccount/azurerm","Version":"{version}","Dir":"{data_dir}/modules/st"}}]}}"#
    )
}

fn run(tree: &Tree, options: &Options) -> Run {
    Run::new(tree, &[tree.path("root/main.tf")], false, options)
}

#[test]
fn a_registry_module_installed_by_terraform_init_is_read_and_its_finding_moves_to_the_argument() {
    let tree = Tree::new(&[
        ("root/main.tf", ROOT),
        (
            "root/.terraform/modules/modules.json",
            &manifest(".terraform", "0.2.0"),
        ),
        ("root/.terraform/modules/st/main.tf", INSTALLED),
    ]);
    let run = run(&tree, &Options::default());
    assert_eq!(run.errors(), Vec::<String>::new());
    assert_eq!(run.gaps(), Vec::<String>::new());
    assert_eq!(
        run.hidden("st/main.tf"),
        Some(true),
        "an installed module is a cache"
    );
    let aml101 = run.of("AML101");
    assert_eq!(aml101.len(), 1, "{:#?}", run.findings);
    assert_eq!(run.at(aml101[0]), "main.tf:6: true");
    assert!(
        aml101[0]
            .labels
            .iter()
            .any(|l| l.message.contains("inside the module")),
        "{:?}",
        aml101[0].labels
    );
    // Its files are never roots: the storage account is reached once, through the call.
    assert_eq!(run.deployment.roots, 1);
}

#[test]
fn tf_data_dir_names_the_data_folder() {
    let tree = Tree::new(&[
        ("root/main.tf", ROOT),
        (
            "root/tfdata/modules/modules.json",
            &manifest("tfdata", "0.2.0"),
        ),
        ("root/tfdata/modules/st/main.tf", INSTALLED),
    ]);
    let options = Options {
        tf_data_dir: Some("tfdata".into()),
        ..Options::default()
    };
    let run = run(&tree, &options);
    assert_eq!(run.gaps(), Vec::<String>::new());
    assert_eq!(run.of("AML101").len(), 1, "{:#?}", run.findings);
    // Without it, `terraform init` seems not to have run.
    let run = self::run(&tree, &Options::default());
    assert_eq!(run.gaps().len(), 1);
    assert!(
        run.gaps()[0].contains("`terraform init`"),
        "{:?}",
        run.gaps()
    );
}

#[test]
fn a_stale_installation_is_a_gap_and_not_followed() {
    let tree = Tree::new(&[
        ("root/main.tf", ROOT),
        (
            "root/.terraform/modules/modules.json",
            &manifest(".terraform", "0.1.0"),
        ),
        ("root/.terraform/modules/st/main.tf", INSTALLED),
    ]);
    let run = run(&tree, &Options::default());
    let gaps = run.gaps();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(
        gaps[0].contains("is out of date in `.terraform`"),
        "{gaps:?}"
    );
    assert!(gaps[0].contains("version 0.1.0 is installed"), "{gaps:?}");
    assert!(run.of("AML101").is_empty());
    let cov = run.of("COV001");
    assert_eq!(
        run.at(cov[0]),
        "main.tf:2: \"Azure/avm-res-storage-storageaccount/azurerm\""
    );
}

#[test]
fn a_git_module_without_terraform_init_is_a_gap_that_names_terraform_init() {
    let tree = Tree::new(&[(
        "root/main.tf",
        r#"module "net" {
  source = "git::https://github.com/contoso/terraform-modules.git//network?ref=v1.2.0"
}
"#,
    )]);
    let run = run(&tree, &Options::default());
    let cov = run.of("COV001");
    assert_eq!(cov.len(), 1, "{:#?}", run.findings);
    assert!(
        cov[0].message.contains("run `terraform init`"),
        "{}",
        cov[0].message
    );
    assert!(
        cov[0].message.contains("terraform show -json"),
        "{}",
        cov[0].message
    );
}

#[test]
fn a_manifest_that_is_not_json_is_a_located_error_and_a_gap() {
    let tree = Tree::new(&[
        ("root/main.tf", ROOT),
        (
            "root/.terraform/modules/modules.json",
            "{ \"Modules\": [ not json",
        ),
        ("root/.terraform/modules/st/main.tf", INSTALLED),
    ]);
    let run = run(&tree, &Options::default());
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("modules.json"), "{errors:?}");
    assert!(
        run.deployment.analysis.diagnostics[0].span.is_some(),
        "located"
    );
    assert_eq!(run.gaps().len(), 1, "{:?}", run.gaps());
    assert!(run.gaps()[0].contains("cannot be read"), "{:?}", run.gaps());
    // The root's own resources still lint.
    assert!(
        run.deployment
            .analysis
            .resources
            .iter()
            .any(|r| r.display_name() == "mlw-contoso")
    );
}

#[test]
fn a_manifest_dir_that_leaves_the_project_is_not_followed() {
    let tree = Tree::new(&[
        ("root/main.tf", ROOT),
        (
            "root/.terraform/modules/modules.json",
            r#"{"Modules":[{"Key":"st","Source":"registry.terraform.io/Azure/avm-res-storage-storageaccount/azurerm","Version":"0.2.0","Dir":"../elsewhere/st"}]}"#,
        ),
        ("elsewhere/st/main.tf", "SECRET-ELSEWHERE"),
    ]);
    let run = run(&tree, &Options::default());
    let gaps = run.gaps();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(gaps[0].contains("outside the project root"), "{gaps:?}");
    assert!(
        run.diagnostics()
            .iter()
            .any(|d| d.starts_with("Warning") && d.contains("outside the project root")),
        "{:?}",
        run.diagnostics()
    );
    assert!(
        run.sources
            .files()
            .iter()
            .all(|f| !f.text.contains("SECRET"))
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_to_a_module_outside_the_root_is_a_gap() {
    let tree = Tree::new(&[
        (
            "outside/main.tf",
            "resource \"azurerm_key_vault\" \"kv\" {\n  name = \"SECRET\"\n}\n",
        ),
        (
            "root/main.tf",
            "module \"net\" {\n  source = \"./modules/net\"\n}\n",
        ),
    ]);
    std::fs::create_dir_all(tree.path("root/modules")).unwrap();
    std::os::unix::fs::symlink(tree.path("outside"), tree.path("root/modules/net")).unwrap();
    let run = run(&tree, &Options::default());
    let gaps = run.gaps();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(
        gaps[0].contains("lies outside the project root"),
        "{gaps:?}"
    );
    assert!(
        run.sources
            .files()
            .iter()
            .all(|f| !f.text.contains("SECRET"))
    );
}
