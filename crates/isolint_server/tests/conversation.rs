//! Whole conversations with the analysis `isolint server` runs, over an in-memory
//! connection: initialize, open, change, code action (the rule's own fix, or a
//! suppression), apply, diagnostics cleared, shutdown, exit status 0, for Bicep, ARM and
//! Terraform documents.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking, helpers included"
)]

mod support;

use lsp_types::{CodeAction, Diagnostic};
use serde_json::json;
use support::{Client, apply, of_rule, uri};

const BICEP: &str = "param location string = resourceGroup().location

// The workspace of the team \u{e9}t\u{e9} \u{1F600}
resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-contoso-dev'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    publicNetworkAccess: 'Enabled'
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}
";

const ARM: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "mlw-contoso-dev",
      "location": "westeurope",
      "identity": { "type": "SystemAssigned" },
      "properties": {
        "publicNetworkAccess": "Enabled",
        "managedNetwork": { "isolationMode": "AllowOnlyApprovedOutbound" }
      }
    }
  ]
}
"#;

const TERRAFORM: &str = r#"resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-contoso-dev"
  location                      = "westeurope"
  resource_group_name           = "rg-contoso-dev"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"
  public_network_access_enabled = true

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  identity {
    type = "SystemAssigned"
  }
}
"#;

/// A client that takes plain edits and no disabled actions, like Neovim 0.7.
fn capabilities() -> serde_json::Value {
    json!({ "textDocument": { "hover": { "contentFormat": ["markdown"] } } })
}

/// The action whose title starts with `prefix`.
fn action<'a>(actions: &'a [CodeAction], prefix: &str) -> &'a CodeAction {
    actions
        .iter()
        .find(|a| a.title.starts_with(prefix))
        .unwrap_or_else(|| panic!("no action `{prefix}…` among {actions:#?}"))
}

/// Opens `text` as `name` in a fresh project, checks that rule AML001 fires on the line
/// where `needle` is, and that a change moves it; applies the action whose title starts
/// with `action_prefix`, checks the finding is gone, and shuts down cleanly. Returns the
/// text after the action, and whether the client was told to prefer it.
fn resolve_in(
    name: &str,
    language: &str,
    text: &str,
    needle: &str,
    action_prefix: &str,
) -> (String, bool) {
    let project = tempfile::tempdir().unwrap();
    let root = project.path().canonicalize().unwrap();
    let path = root.join("infra").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // The file on disk says nothing wrong: the server must judge the editor's text.
    std::fs::write(&path, "").unwrap();
    let document = uri(&path);
    let mut client = Client::start(isolint::language_server_analyzer(), &capabilities(), &root);

    client.open(&document, language, text);
    let opened = client.diagnostics(&document, 1);
    let found: Vec<&Diagnostic> = of_rule(&opened, "AML001");
    assert_eq!(found.len(), 1, "{opened:#?}");
    let line = text.lines().position(|l| l.contains(needle)).unwrap();
    assert_eq!(found[0].range.start.line as usize, line, "{opened:#?}");
    assert_eq!(found[0].source.as_deref(), Some("isolint"));

    // An edit above the finding moves it down a line, with the unsaved text.
    // A blank line keeps plain JSON free of comments.
    let changed = format!("\n{text}");
    client.change(&document, 2, &changed);
    let moved = client.diagnostics(&document, 2);
    let found = of_rule(&moved, "AML001");
    assert_eq!(found[0].range.start.line as usize, line + 1, "{moved:#?}");

    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": document }, "position": found[0].range.start }),
    );
    let hover = hover["contents"]["value"].as_str().unwrap();
    assert!(hover.contains("**AML001**"), "{hover}");

    let actions = client.code_actions(&document, found[0].range);
    let chosen = action(&actions, action_prefix);
    assert_eq!(chosen.kind, Some(lsp_types::CodeActionKind::QUICKFIX));
    let fixed = apply(&changed, chosen.edit.as_ref().unwrap(), &document);
    client.change(&document, 3, &fixed);
    let after = client.diagnostics(&document, 3);
    assert!(of_rule(&after, "AML001").is_empty(), "{fixed}\n{after:#?}");

    assert_eq!(client.shutdown_and_exit().status(), 0);
    (fixed, chosen.is_preferred == Some(true))
}

#[test]
fn a_bicep_finding_is_suppressed_with_a_reason_and_an_expiry_date() {
    let (fixed, preferred) = resolve_in(
        "main.bicep",
        "bicep",
        BICEP,
        "publicNetworkAccess",
        "Suppress AML001",
    );
    assert!(!preferred);
    let comment = fixed
        .lines()
        .find(|l| l.contains("isolint-ignore"))
        .unwrap();
    assert!(
        comment.starts_with("    // isolint-ignore AML001 reason=\"TODO: "),
        "{comment}"
    );
    assert!(comment.contains(" until=20"), "{comment}");
}

#[test]
fn a_terraform_finding_is_suppressed_with_a_hash_comment() {
    let (fixed, preferred) = resolve_in(
        "main.tf",
        "terraform",
        TERRAFORM,
        "public_network_access_enabled",
        "Suppress AML001",
    );
    assert!(!preferred);
    assert!(
        fixed.contains("  # isolint-ignore AML001 reason=\"TODO: "),
        "{fixed}"
    );
}

#[test]
fn a_bicep_literal_is_fixed_by_the_rules_own_fix() {
    let (fixed, preferred) = resolve_in(
        "main.bicep",
        "bicep",
        BICEP,
        "publicNetworkAccess",
        "set `publicNetworkAccess` to `'Disabled'`",
    );
    assert!(preferred, "a safe fix is the preferred quick fix");
    assert_eq!(
        fixed,
        format!("\n{}", BICEP.replace("'Enabled'", "'Disabled'"))
    );
}

#[test]
fn a_terraform_literal_is_fixed_in_hcl() {
    let (fixed, preferred) = resolve_in(
        "main.tf",
        "terraform",
        TERRAFORM,
        "public_network_access_enabled",
        "set `public_network_access_enabled` to `false`",
    );
    assert!(preferred);
    assert_eq!(
        fixed,
        format!(
            "\n{}",
            TERRAFORM.replace(
                "public_network_access_enabled = true",
                "public_network_access_enabled = false"
            )
        )
    );
}

#[test]
fn an_analysis_reads_the_configuration_and_the_folder() {
    let project = tempfile::tempdir().unwrap();
    let root = project.path().canonicalize().unwrap();
    std::fs::write(root.join("isolint.toml"), "ignore = [\"AML001\"]\n").unwrap();
    std::fs::write(root.join("main.bicep"), BICEP).unwrap();
    let document = uri(&root.join("main.bicep"));
    let mut client = Client::start(isolint::language_server_analyzer(), &capabilities(), &root);
    client.open(&document, "bicep", BICEP);
    let diagnostics = client.diagnostics(&document, 1);
    assert!(
        of_rule(&diagnostics, "AML001").is_empty(),
        "{diagnostics:#?}"
    );

    // A broken configuration is said on the document, with the file's location.
    std::fs::write(root.join("isolint.toml"), "ignore = [\"AML001\"\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&root.join("isolint.toml")), "type": 2 }] }),
    );
    let diagnostics = client.diagnostics(&document, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert!(
        diagnostics[0].message.contains("isolint.toml"),
        "{diagnostics:#?}"
    );
    assert_eq!(client.shutdown_and_exit().status(), 0);
}

#[test]
fn unrelated_files_get_no_diagnostics() {
    let project = tempfile::tempdir().unwrap();
    let root = project.path().canonicalize().unwrap();
    let readme = uri(&root.join("README.md"));
    let mut client = Client::start(isolint::language_server_analyzer(), &capabilities(), &root);
    client.open(&readme, "markdown", "# infra\n");
    let result = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": readme }, "position": { "line": 0, "character": 0 } }),
    );
    assert!(result.is_null());
    assert_eq!(client.shutdown_and_exit().status(), 0);
}

#[test]
fn a_plain_arm_template_gets_a_metadata_suppression() {
    let (fixed, preferred) = resolve_in(
        "azuredeploy.json",
        "json",
        ARM,
        "publicNetworkAccess",
        "Suppress AML001 in the resource's metadata",
    );
    assert!(!preferred);
    let template: serde_json::Value = serde_json::from_str(&fixed).unwrap();
    let entry = &template["resources"][0]["metadata"]["isolint-ignore"][0];
    assert_eq!(entry["rule"], "AML001");
    assert!(entry["reason"].as_str().unwrap().starts_with("TODO: "));
}

#[test]
fn a_jsonc_template_gets_a_comment() {
    let (fixed, preferred) = resolve_in(
        "azuredeploy.jsonc",
        "jsonc",
        ARM,
        "publicNetworkAccess",
        "Suppress AML001 with a reason",
    );
    assert!(!preferred);
    assert!(
        fixed.contains("        // isolint-ignore AML001 reason=\"TODO: "),
        "{fixed}"
    );
}
