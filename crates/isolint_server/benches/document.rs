//! How long a 5,000-line document takes from a change to its diagnostics, debounce aside:
//! the server, over an in-memory connection, with the analysis `isolint server` runs, gets
//! a change and a save (a save is analysed at once), and each iteration ends when the
//! diagnostics of that version arrive. That is `check`'s analysis of the document in its
//! project (a temporary folder, the client's workspace: discovery, the search for callers,
//! the deployment graph, the rules, suppressions), the conversion into diagnostics and
//! actions, and the messages; a change while typing
//! adds the debounce ([`isolint_server::DEBOUNCE`], 150 ms) before it. The target is 50 ms
//! in a release build (`cargo bench -p isolint_server --bench document`).
//!
//! The documents are a Bicep file and a Terraform file of about 5,000 lines each: groups of
//! a storage account, a key vault and a workspace linking them, with private endpoints, half
//! of them open to the public (so there are findings, with actions, to convert).

#![expect(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a benchmark binary: it stops on a broken setup and says why"
)]

use std::fmt::Write as _;
use std::path::Path;
use std::thread::JoinHandle;

use divan::Bencher;
use isolint_server::{Connection, Exit, ServeError};
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::json;

/// The lines a document has, at least.
const LINES: usize = 5_000;

fn main() {
    divan::main();
}

/// One Bicep group: storage account, key vault, workspace, private endpoint (27 lines).
fn bicep_group(out: &mut String, i: usize) {
    let access = if i.is_multiple_of(2) {
        "Enabled"
    } else {
        "Disabled"
    };
    let _ = write!(
        out,
        "resource st{i} 'Microsoft.Storage/storageAccounts@2023-05-01' = {{
  name: '${{prefix}}st{i}'
  location: location
  kind: 'StorageV2'
  sku: {{ name: 'Standard_LRS' }}
  properties: {{ publicNetworkAccess: '{access}' }}
}}
resource kv{i} 'Microsoft.KeyVault/vaults@2023-07-01' = {{
  name: '${{prefix}}kv{i}'
  location: location
  properties: {{ tenantId: tenant().tenantId, sku: {{ family: 'A', name: 'standard' }}, publicNetworkAccess: '{access}' }}
}}
resource mlw{i} 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {{
  name: '${{prefix}}mlw{i}'
  location: location
  identity: {{ type: 'SystemAssigned' }}
  properties: {{
    storageAccount: st{i}.id
    keyVault: kv{i}.id
    publicNetworkAccess: '{access}'
    managedNetwork: {{ isolationMode: 'AllowOnlyApprovedOutbound' }}
  }}
}}
resource pe{i} 'Microsoft.Network/privateEndpoints@2023-11-01' = {{
  name: '${{prefix}}pe{i}'
  location: location
  properties: {{ subnet: {{ id: subnetId }}, privateLinkServiceConnections: [{{ name: 'ws', properties: {{ privateLinkServiceId: mlw{i}.id, groupIds: ['amlworkspace'] }} }}] }}
}}
"
    );
}

/// One Terraform group: the same resources in azurerm (about 40 lines).
fn terraform_group(out: &mut String, i: usize) {
    let public = i.is_multiple_of(2);
    let _ = write!(
        out,
        r#"resource "azurerm_storage_account" "st{i}" {{
  name                          = "${{var.prefix}}st{i}"
  resource_group_name           = var.resource_group
  location                      = var.location
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = {public}
}}

resource "azurerm_key_vault" "kv{i}" {{
  name                          = "${{var.prefix}}kv{i}"
  resource_group_name           = var.resource_group
  location                      = var.location
  tenant_id                     = var.tenant_id
  sku_name                      = "standard"
  public_network_access_enabled = {public}
}}

resource "azurerm_machine_learning_workspace" "mlw{i}" {{
  name                          = "${{var.prefix}}mlw{i}"
  location                      = var.location
  resource_group_name           = var.resource_group
  application_insights_id       = var.application_insights_id
  key_vault_id                  = azurerm_key_vault.kv{i}.id
  storage_account_id            = azurerm_storage_account.st{i}.id
  public_network_access_enabled = {public}
  identity {{
    type = "SystemAssigned"
  }}
}}

resource "azurerm_private_endpoint" "pe{i}" {{
  name                = "${{var.prefix}}pe{i}"
  location            = var.location
  resource_group_name = var.resource_group
  subnet_id           = var.subnet_id
  private_service_connection {{
    name                           = "ws"
    private_connection_resource_id = azurerm_machine_learning_workspace.mlw{i}.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }}
}}

"#
    );
}

/// A document of at least [`LINES`] lines: `head`, then groups.
fn document(head: &str, group: fn(&mut String, usize)) -> String {
    let mut text = head.to_owned();
    let mut i = 0;
    while text.lines().count() < LINES {
        group(&mut text, i);
        i += 1;
    }
    text
}

fn bicep() -> String {
    document(
        "param prefix string = 'contoso'\nparam location string = resourceGroup().location\nparam subnetId string\n\n",
        bicep_group,
    )
}

fn terraform() -> String {
    let mut head = String::new();
    for name in [
        "prefix",
        "location",
        "resource_group",
        "tenant_id",
        "subnet_id",
        "application_insights_id",
    ] {
        let _ = writeln!(head, "variable \"{name}\" {{\n  type = string\n}}\n");
    }
    document(&head, terraform_group)
}

/// A server with one document open, and the client's end.
struct Session {
    client: Connection,
    server: Option<JoinHandle<Result<Exit, ServeError>>>,
    uri: String,
    text: String,
    version: i32,
    _folder: tempfile::TempDir,
}

impl Session {
    fn open(name: &str, text: String) -> Self {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let root = folder.path().canonicalize().unwrap();
        let path = root.join(name);
        std::fs::write(&path, &text).unwrap();
        let (server, client) = Connection::memory();
        let analyzer = isolint::language_server_analyzer();
        let handle = std::thread::spawn(move || isolint_server::serve(server, analyzer));
        let session = Self {
            client,
            server: Some(handle),
            uri: format!("file://{}", path.display()),
            text,
            version: 1,
            _folder: folder,
        };
        session.initialize(&root);
        session.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": session.uri, "languageId": "", "version": 1, "text": session.text } }),
        );
        session.wait(1);
        session
    }

    fn initialize(&self, root: &Path) {
        let request = Request::new(
            RequestId::from(1),
            "initialize".to_owned(),
            json!({ "processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {} }),
        );
        self.client.sender.send(request.into()).unwrap();
        loop {
            if let Message::Response(_) = self.client.receiver.recv().unwrap() {
                break;
            }
        }
        self.notify("initialized", json!({}));
    }

    fn notify(&self, method: &str, params: serde_json::Value) {
        let notification = Notification::new(method.to_owned(), params);
        self.client.sender.send(notification.into()).unwrap();
    }

    /// Waits for the diagnostics of `version`; the number of findings.
    fn wait(&self, version: i32) -> usize {
        loop {
            if let Message::Notification(n) = self.client.receiver.recv().unwrap()
                && n.method == "textDocument/publishDiagnostics"
                && n.params["version"] == version
            {
                return n.params["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    }

    /// One change (an empty line added at the end) and a save: the diagnostics' count.
    fn change(&mut self) -> usize {
        self.version += 1;
        self.text.push('\n');
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": self.uri, "version": self.version }, "contentChanges": [{ "text": self.text }] }),
        );
        self.notify(
            "textDocument/didSave",
            json!({ "textDocument": { "uri": self.uri } }),
        );
        self.wait(self.version)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let shutdown = Request::new(RequestId::from(2), "shutdown".to_owned(), json!(null));
        let _ = self.client.sender.send(shutdown.into());
        self.notify("exit", json!(null));
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
    }
}

fn bench_document(bencher: Bencher<'_, '_>, name: &str, text: String) {
    let mut session = Session::open(name, text);
    assert!(session.change() > 0, "the document has findings");
    bencher.bench_local(|| session.change());
}

#[divan::bench(sample_count = 30)]
fn bicep_5000_lines(bencher: Bencher<'_, '_>) {
    bench_document(bencher, "main.bicep", bicep());
}

#[divan::bench(sample_count = 30)]
fn terraform_5000_lines(bencher: Bencher<'_, '_>) {
    bench_document(bencher, "main.tf", terraform());
}
