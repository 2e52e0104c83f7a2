//! A document in its deployment context, through the analysis `isolint server` runs: the
//! templates and Terraform root modules that call it from other folders, the parameter files that decide its values,
//! parameter defaults (whose fix is unsafe), documents not saved yet, and the project's
//! confinement, which the editor's open documents do not widen.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking, helpers included"
)]

mod support;

use std::path::Path;

use lsp_types::Diagnostic;
use serde_json::json;
use support::{Client, of_rule, uri};

/// A workspace whose public network access is `value` (a Bicep expression).
fn workspace(value: &str) -> String {
    format!(
        "resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {{
  name: 'mlw-contoso-dev'
  location: 'westeurope'
  identity: {{
    type: 'SystemAssigned'
  }}
  properties: {{
    publicNetworkAccess: {value}
    managedNetwork: {{
      isolationMode: 'AllowOnlyApprovedOutbound'
    }}
  }}
}}
"
    )
}

/// A project folder (no git: the workspace folder is the project) and its canonical path.
fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    for (name, text) in files {
        write(&root.join(name), text);
    }
    (dir, root)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn start(root: &Path) -> Client {
    Client::start(
        isolint::language_server_analyzer(),
        &json!({ "textDocument": { "codeAction": { "isPreferredSupport": true } } }),
        root,
    )
}

/// The line (0-based) of `text` that holds `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    u32::try_from(text.lines().position(|l| l.contains(needle)).unwrap()).unwrap()
}

#[test]
fn a_module_is_judged_through_the_template_that_calls_it_from_another_folder() {
    let module = format!("param access string\n\n{}", workspace("access"));
    let (_dir, root) = project(&[
        (
            "main.bicep",
            "module ws 'modules/ws.bicep' = {\n  name: 'ws'\n  params: {\n    access: 'Enabled'\n  }\n}\n",
        ),
        ("modules/ws.bicep", &module),
    ]);
    let document = uri(&root.join("modules/ws.bicep"));
    let mut client = start(&root);
    client.open(&document, "bicep", &module);
    let diagnostics = client.diagnostics(&document, 1);
    let found = of_rule(&diagnostics, "AML001");
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    assert_eq!(
        found[0].range.start.line,
        line_of(&module, "publicNetworkAccess")
    );

    // The caller's unsaved text decides too once it is open: a secure value settles it.
    let main = uri(&root.join("main.bicep"));
    client.open(
        &main,
        "bicep",
        "module ws 'modules/ws.bicep' = {\n  name: 'ws'\n  params: {\n    access: 'Disabled'\n  }\n}\n",
    );
    client.diagnostics(&main, 1);
    client.change(&document, 2, &format!("{module}\n"));
    let diagnostics = client.diagnostics(&document, 2);
    assert!(
        of_rule(&diagnostics, "AML001").is_empty(),
        "{diagnostics:#?}"
    );
    assert_eq!(client.shutdown_and_exit().status(), 0);
}

#[test]
fn a_parameter_file_shows_the_finding_its_value_decides() {
    let template = format!(
        "param access string = 'Disabled'\n\n{}",
        workspace("access")
    );
    let parameters = "using 'main.bicep'\n\nparam access = 'Enabled'\n";
    let (_dir, root) = project(&[("main.bicep", &template), ("prod.bicepparam", parameters)]);
    let document = uri(&root.join("prod.bicepparam"));
    let mut client = start(&root);
    client.open(&document, "bicep-params", parameters);
    let diagnostics = client.diagnostics(&document, 1);
    let found: Vec<&Diagnostic> = of_rule(&diagnostics, "AML001");
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    assert_eq!(found[0].range.start.line, 2);
    let related = found[0].related_information.as_ref().unwrap();
    assert_eq!(
        related[0].location.uri.as_str(),
        uri(&root.join("main.bicep"))
    );

    client.change(&document, 2, &parameters.replace("'Enabled'", "'Disabled'"));
    let diagnostics = client.diagnostics(&document, 2);
    assert!(
        of_rule(&diagnostics, "AML001").is_empty(),
        "{diagnostics:#?}"
    );
    assert_eq!(client.shutdown_and_exit().status(), 0);
}

#[test]
fn a_parameter_default_gets_an_unsafe_fix_that_is_not_preferred() {
    let template = format!("param access string = 'Enabled'\n\n{}", workspace("access"));
    let (_dir, root) = project(&[("main.bicep", &template)]);
    let document = uri(&root.join("main.bicep"));
    let mut client = start(&root);
    client.open(&document, "bicep", &template);
    let diagnostics = client.diagnostics(&document, 1);
    let found = of_rule(&diagnostics, "AML001");
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    let actions = client.code_actions(&document, found[0].range);
    let fix = actions
        .iter()
        .find(|a| a.title.starts_with("set the default of parameter `access`"))
        .unwrap_or_else(|| panic!("{actions:#?}"));
    assert_eq!(fix.is_preferred, Some(false));
    assert!(fix.title.contains("unsafe"), "{}", fix.title);
    let fixed = support::apply(&template, fix.edit.as_ref().unwrap(), &document);
    assert!(
        fixed.starts_with("param access string = 'Disabled'\n"),
        "{fixed}"
    );
    assert_eq!(client.shutdown_and_exit().status(), 0);
}

#[test]
fn a_document_not_saved_yet_is_judged_without_a_read_error() {
    let (_dir, root) = project(&[]);
    let text = workspace("'Enabled'");
    let document = uri(&root.join("infra/new.bicep"));
    let mut client = start(&root);
    client.open(&document, "bicep", &text);
    let diagnostics = client.diagnostics(&document, 1);
    assert_eq!(of_rule(&diagnostics, "AML001").len(), 1, "{diagnostics:#?}");
    assert!(
        diagnostics
            .iter()
            .all(|d| d.code != Some(lsp_types::NumberOrString::String("io-error".to_owned()))),
        "{diagnostics:#?}"
    );
    assert_eq!(client.shutdown_and_exit().status(), 0);
}

#[test]
fn an_open_document_outside_the_project_is_not_read_through_it() {
    let outer = tempfile::tempdir().unwrap();
    let outer = outer.path().canonicalize().unwrap();
    let root = outer.join("project");
    let main = "module ws '../elsewhere/ws.bicep' = {\n  name: 'ws'\n}\n";
    write(&root.join("main.bicep"), main);
    // Open in the editor, never saved, and outside the project.
    let elsewhere = uri(&outer.join("elsewhere/ws.bicep"));
    let mut client = start(&root);
    client.open(&elsewhere, "bicep", &workspace("'Enabled'"));
    client.diagnostics(&elsewhere, 1);
    let document = uri(&root.join("main.bicep"));
    client.open(&document, "bicep", main);
    let diagnostics = client.diagnostics(&document, 1);
    assert!(
        of_rule(&diagnostics, "AML001").is_empty(),
        "{diagnostics:#?}"
    );
    assert_eq!(of_rule(&diagnostics, "COV001").len(), 1, "{diagnostics:#?}");
    assert_eq!(client.shutdown_and_exit().status(), 0);
}

#[test]
fn a_terraform_module_is_judged_through_the_root_module_that_calls_it() {
    let module = r#"variable "public" {
  type = bool
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-contoso-dev"
  location                      = "westeurope"
  resource_group_name           = "rg-contoso-dev"
  application_insights_id       = "appi"
  key_vault_id                  = "kv"
  storage_account_id            = "st"
  public_network_access_enabled = var.public

  identity {
    type = "SystemAssigned"
  }
}
"#;
    let (_dir, root) = project(&[
        (
            "main.tf",
            "module \"ml\" {\n  source = \"./modules/ml\"\n  public = true\n}\n",
        ),
        ("modules/ml/main.tf", module),
    ]);
    let document = uri(&root.join("modules/ml/main.tf"));
    let mut client = start(&root);
    client.open(&document, "terraform", module);
    let diagnostics = client.diagnostics(&document, 1);
    let found = of_rule(&diagnostics, "AML001");
    assert_eq!(found.len(), 1, "{diagnostics:#?}");
    assert_eq!(
        found[0].range.start.line,
        line_of(module, "public_network_access_enabled")
    );
    assert_eq!(client.shutdown_and_exit().status(), 0);
}
