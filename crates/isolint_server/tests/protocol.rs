//! The protocol with a hand-made analyzer whose findings and timing the tests control: quick
//! fixes, exit statuses, cancellation, coalesced changes, dependent documents, position
//! encodings, hovers, closing, and an analysis that panics.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking, helpers included"
)]

mod support;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender};
use isolint_model::{SourceMap, Span};
use isolint_rules::{Finding, Fix, Level, ResourceIdentity, Safety};
use isolint_server::{Analysis, Analyzer, Exit, Request};
use lsp_server::ErrorCode;
use serde_json::{Value, json};
use support::{Client, apply, uri};

/// Finds `'Enabled'` in `.bicep` documents, with a safe fix to `'Disabled'`, after reading
/// every `.bicep` file of the document's folder; records what it analysed; waits for a token before each analysis when gated; panics on `panic!`.
struct Fake {
    analysed: Mutex<Vec<(PathBuf, String)>>,
    gate: Option<Receiver<()>>,
}

impl Fake {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            analysed: Mutex::new(Vec::new()),
            gate: None,
        })
    }

    /// A fake that analyses once per token sent.
    fn gated() -> (Arc<Self>, Sender<()>) {
        let (open, gate) = crossbeam_channel::unbounded();
        let fake = Arc::new(Self {
            analysed: Mutex::new(Vec::new()),
            gate: Some(gate),
        });
        (fake, open)
    }

    fn count(&self) -> usize {
        self.analysed.lock().unwrap().len()
    }
}

impl Analyzer for Fake {
    fn accepts(&self, path: &Path) -> bool {
        path.extension().is_some_and(|e| e == "bicep")
    }

    fn analyze(&self, request: &Request<'_>) -> Analysis {
        if let Some(gate) = &self.gate {
            gate.recv_timeout(Duration::from_mins(1)).unwrap();
        }
        let sources = SourceMap::new();
        for overlay in request.overlays {
            sources.preload(&overlay.path, Arc::clone(&overlay.text));
        }
        // Like a folder's analysis, it reads every document of the folder.
        let folder = request.document.parent().unwrap();
        for path in sources.list_dir(folder).unwrap() {
            if self.accepts(&path) {
                sources.read(&path).unwrap();
            }
        }
        let file = sources.read(request.document).unwrap();
        self.analysed
            .lock()
            .unwrap()
            .push((request.document.to_owned(), file.text.to_string()));
        assert!(!file.text.contains("panic!"), "the analysis met panic!");
        let whole = Span::new(file.id, 0, file.text.len());
        let findings = file
            .text
            .match_indices("'Enabled'")
            .map(|(start, value)| {
                let span = Span::new(file.id, start, start + value.len());
                Finding {
                    rule: isolint_rules::RULES[0],
                    level: Level::Error,
                    message: "public network access is enabled".to_owned(),
                    help: Some("write 'Disabled'".to_owned()),
                    span,
                    labels: Vec::new(),
                    resource: ResourceIdentity {
                        ty: "Microsoft.MachineLearningServices/workspaces".into(),
                        name: "ws".to_owned(),
                        qualified_name: "ws".to_owned(),
                        identity: "ws".to_owned(),
                        declaration: whole,
                    },
                    property: "properties.publicNetworkAccess".to_owned(),
                    unresolved: false,
                    fix: Some(Fix {
                        title: "Set publicNetworkAccess to 'Disabled'".to_owned(),
                        span,
                        replacement: "'Disabled'".to_owned(),
                        safety: Safety::Safe,
                    }),
                }
            })
            .collect();
        Analysis {
            sources,
            findings,
            diagnostics: Vec::new(),
        }
    }
}

const BAD: &str =
    "resource ws 'T@1' = {\n  properties: {\n    publicNetworkAccess: 'Enabled'\n  }\n}\n";

/// A project folder with `names` on disk (empty files) and their URIs.
fn project(names: &[&str]) -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let folder = tempfile::tempdir().unwrap();
    let root = folder.path().canonicalize().unwrap();
    let uris = names
        .iter()
        .map(|name| {
            std::fs::write(root.join(name), "").unwrap();
            uri(&root.join(name))
        })
        .collect();
    (folder, root, uris)
}

fn start(analyzer: Arc<dyn Analyzer>, root: &Path) -> Client {
    Client::start(analyzer, &json!({}), root)
}

#[test]
fn a_safe_quick_fix_is_preferred_and_applying_it_clears_the_diagnostics() {
    let (_folder, root, uris) = project(&["main.bicep"]);
    let mut client = start(Fake::new(), &root);
    client.open(&uris[0], "bicep", BAD);
    let diagnostics = client.diagnostics(&uris[0], 1);
    assert_eq!(diagnostics.len(), 1);
    let actions = client.code_actions(&uris[0], diagnostics[0].range);
    let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Set publicNetworkAccess to 'Disabled'",
            "Suppress AML001 with a reason and an expiry date (isolint-ignore comment)"
        ]
    );
    assert_eq!(actions[0].is_preferred, Some(true));
    let fixed = apply(BAD, actions[0].edit.as_ref().unwrap(), &uris[0]);
    assert_eq!(fixed, BAD.replace("'Enabled'", "'Disabled'"));
    client.change(&uris[0], 2, &fixed);
    assert!(client.diagnostics(&uris[0], 2).is_empty());
    assert_eq!(client.shutdown_and_exit(), Exit::AfterShutdown);
}

#[test]
fn code_actions_honour_the_kinds_asked_for() {
    let (_folder, root, uris) = project(&["main.bicep"]);
    let mut client = start(Fake::new(), &root);
    client.open(&uris[0], "bicep", BAD);
    let range = client.diagnostics(&uris[0], 1)[0].range;
    let ask = |client: &mut Client, only: Value| {
        client.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uris[0] },
                "range": range,
                "context": { "diagnostics": [], "only": only },
            }),
        )
    };
    assert_eq!(ask(&mut client, json!(["source"])), json!([]));
    assert_eq!(
        ask(&mut client, json!(["quickfix"]))
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Nothing at a range that touches no finding.
    let elsewhere = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uris[0] },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 1 } },
            "context": { "diagnostics": [] },
        }),
    );
    assert_eq!(elsewhere, json!([]));
    assert_eq!(client.shutdown_and_exit(), Exit::AfterShutdown);
}

#[test]
fn exit_without_shutdown_ends_with_status_1() {
    let (_folder, root, _) = project(&[]);
    let mut client = start(Fake::new(), &root);
    client.notify("exit", Value::Null);
    let exit = client.join();
    assert_eq!(exit, Exit::WithoutShutdown);
    assert_eq!(exit.status(), 1);
    assert_eq!(Exit::AfterShutdown.status(), 0);
}

#[test]
fn a_client_that_goes_away_ends_the_server_with_status_1() {
    let (_folder, root, _) = project(&[]);
    let client = start(Fake::new(), &root);
    assert_eq!(client.hang_up(), Exit::WithoutShutdown);
}

#[test]
fn requests_after_shutdown_are_refused_until_exit() {
    let (_folder, root, uris) = project(&["main.bicep"]);
    let mut client = start(Fake::new(), &root);
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    let id = client.send_request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uris[0] }, "position": { "line": 0, "character": 0 } }),
    );
    let refused = client.response(&id).response_result.unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidRequest as i32);
    client.notify("exit", Value::Null);
    assert_eq!(client.join(), Exit::AfterShutdown);
}

#[test]
fn unknown_requests_are_answered_with_method_not_found() {
    let (_folder, root, _) = project(&[]);
    let mut client = start(Fake::new(), &root);
    let id = client.send_request("textDocument/formatting", json!({}));
    let error = client.response(&id).response_result.unwrap_err();
    assert_eq!(error.code, ErrorCode::MethodNotFound as i32);
    assert_eq!(client.shutdown_and_exit(), Exit::AfterShutdown);
}

#[test]
fn a_request_waiting_for_an_analysis_can_be_cancelled() {
    let (_folder, root, uris) = project(&["main.bicep"]);
    let (fake, gate) = Fake::gated();
    let mut client = start(fake, &root);
    client.open(&uris[0], "bicep", BAD);
    // The analysis of version 1 waits at the gate: the code action waits for it.
    let id = client.send_request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uris[0] },
            "range": { "start": { "line": 2, "character": 0 }, "end": { "line": 2, "character": 1 } },
            "context": { "diagnostics": [] },
        }),
    );
    client.notify("$/cancelRequest", json!({ "id": id }));
    let cancelled = client.response(&id).response_result.unwrap_err();
    assert_eq!(cancelled.code, ErrorCode::RequestCanceled as i32);
    // A request that is not cancelled is answered once the analysis lands.
    let hover = client.send_request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uris[0] }, "position": { "line": 2, "character": 26 } }),
    );
    gate.send(()).unwrap();
    let answered = client.response(&hover).response_result.unwrap();
    assert!(
        answered["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("AML001")
    );
    assert_eq!(client.diagnostics(&uris[0], 1).len(), 1);
    assert_eq!(client.shutdown_and_exit(), Exit::AfterShutdown);
}

#[test]
fn a_burst_of_changes_is_analysed_once_on_the_last_text() {
    let (_folder, root, uris) = project(&["main.bicep"]);
    let fake = Fake::new();
    let mut client = start(Arc::clone(&fake) as Arc<dyn Analyzer>, &root);
    client.open(&uris[0], "bicep", BAD);
    client.diagnostics(&uris[0], 1);
    let last = 20;
    for version in 2..=last {
        let text = BAD.replace("'Enabled'", &format!("'Enabled' // {version}"));
        client.change(&uris[0], version, &text);
    }
    let published = client.published_versions(&uris[0], last);
    // Never an older text after a newer one, and the last text is the one analysed last.
    assert!(published.windows(2).all(|w| w[0] < w[1]), "{published:?}");
    let analysed = fake.analysed.lock().unwrap().clone();
    assert!(analysed.last().unwrap().1.contains(&format!("// {last}")));
    // 19 changes, far fewer analyses (one, unless the machine stalled for the delay).
    assert!(analysed.len() - 1 < 19, "{} analyses", analysed.len());
    assert_eq!(client.shutdown_and_exit(), Exit::AfterShutdown);
}

#[test]
fn changing_a_document_reanalyses_the_open_documents_that_read_it() {
    let (_folder, root, uris) = project(&["main.bicep", "module.bicep"]);
    let fake = Fake::new();
    let mut client = start(Arc::clone(&fake) as Arc<dyn Analyzer>, &root);
    client.open(&uris[0], "bicep", BAD);
    client.diagnostics(&uris[0], 1);
    client.open(&uris[1], "bicep", "param p string\n");
    client.diagnostics(&uris[1], 1);
    let before = fake.count();
    // main.bicep's analysis read module.bicep (the fake reads the whole folder).
    client.change(&uris[1], 2, "param p string = 'x'\n");
    client.diagnostics(&uris[1], 2);
    client.diagnostics(&uris[0], 1);
    assert!(fake.count() >= before + 2);
    // The configuration changing reanalyses every open document.
    let config = uri(&root.join("isolint.toml"));
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": config, "type": 1 }] }),
    );
    client.diagnostics(&uris[0], 1);
    client.diagnostics(&uris[1], 2);
    // So does a file created anywhere, which no analysis read: it may call an open document.
    let before = fake.count();
    let elsewhere = uri(&root.join("other/caller.bicep"));
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": elsewhere, "type": 1 }] }),
    );
    client.diagnostics(&uris[0], 1);
    client.diagnostics(&uris[1], 2);
    assert_eq!(fake.count(), before + 2);
    assert_eq!(client.shutdown_and_exit(), Exit::AfterShutdown);
}

#[test]
fn utf8_positions_are_used_when_the_client_offers_them() {
    let (_folder, root, uris) = project(&["main.bicep"]);
    let text = BAD.replace(
        "publicNetworkAccess",
        "/* \u{e9}\u{e9} */ publicNetworkAccess",
    );
    let mut utf8 = Client::start(
        Fake::new(),
        &json!({ "general": { "positionEncodings": ["utf-8", "utf-16"] } }),
        &root,
    );
    assert_eq!(
        utf8.initialized["capabilities"]["positionEncoding"],
        "utf-8"
    );
    utf8.open(&uris[0], "bicep", &text);
    // `    /* éé */ publicNetworkAccess: `: 36 bytes, 34 UTF-16 units.
    assert_eq!(utf8.diagnostics(&uris[0], 1)[0].range.start.character, 36);
    assert_eq!(utf8.shutdown_and_exit(), Exit::AfterShutdown);

    let mut utf16 = start(Fake::new(), &root);
    assert_eq!(
        utf16.initialized["capabilities"]["positionEncoding"],
        "utf-16"
    );
    utf16.open(&uris[0], "bicep", &text);
    assert_eq!(utf16.diagnostics(&uris[0], 1)[0].range.start.character, 34);
    assert_eq!(utf16.shutdown_and_exit(), Exit::AfterShutdown);
}

#[test]
fn closing_a_document_clears_its_diagnostics() {
    let (_folder, root, uris) = project(&["main.bicep"]);
    let mut client = start(Fake::new(), &root);
    client.open(&uris[0], "bicep", BAD);
    assert_eq!(client.diagnostics(&uris[0], 1).len(), 1);
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uris[0] } }),
    );
    let cleared = client.notification("textDocument/publishDiagnostics");
    assert_eq!(cleared["uri"], uris[0].as_str());
    assert_eq!(cleared["diagnostics"], json!([]));
    assert_eq!(client.shutdown_and_exit(), Exit::AfterShutdown);
}

#[test]
fn a_panicking_analysis_is_a_diagnostic_and_the_server_lives_on() {
    let (_folder, root, uris) = project(&["main.bicep"]);
    let mut client = start(Fake::new(), &root);
    client.open(&uris[0], "bicep", "panic!\n");
    let diagnostics = client.diagnostics(&uris[0], 1);
    assert!(diagnostics[0].message.contains("a bug"), "{diagnostics:?}");
    client.change(&uris[0], 2, BAD);
    assert_eq!(client.diagnostics(&uris[0], 2).len(), 1);
    assert_eq!(client.shutdown_and_exit(), Exit::AfterShutdown);
}

#[test]
fn watched_files_are_registered_with_clients_that_allow_it() {
    let (_folder, root, _) = project(&[]);
    let mut client = Client::start(
        Fake::new(),
        &json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
        &root,
    );
    let registration = client.server_request();
    assert_eq!(registration.method, "client/registerCapability");
    let globs: Vec<&str> = registration.params["registrations"][0]["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert!(globs.contains(&"**/isolint.toml"), "{globs:?}");
    assert!(globs.contains(&"**/bicepconfig.json"), "{globs:?}");
    assert_eq!(client.shutdown_and_exit(), Exit::AfterShutdown);
}

#[test]
fn messages_are_only_for_open_documents_the_analyzer_reads() {
    let (_folder, root, uris) = project(&["main.bicep"]);
    let mut client = start(Fake::new(), &root);
    let other = uri(&root.join("notes.txt"));
    client.open(&other, "plaintext", "'Enabled'");
    // A change to a document that is not open is ignored; the next message is for main.
    client.change(&uris[0], 5, BAD);
    client.open(&uris[0], "bicep", BAD);
    let published = client.notification("textDocument/publishDiagnostics");
    assert_eq!(published["uri"], uris[0].as_str());
    let none = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": other }, "position": { "line": 0, "character": 1 } }),
    );
    assert!(none.is_null());
    assert_eq!(client.shutdown_and_exit(), Exit::AfterShutdown);
}
