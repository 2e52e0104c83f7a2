//! A language client for tests: it runs the server on a thread over an in-memory
//! connection, speaks to it as an editor does, and applies the edits it gets.

#![allow(
    dead_code,
    reason = "each test file uses the part of the client it needs"
)]

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use isolint_server::{Analyzer, Connection, Exit, ServeError};
use lsp_server::{Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeAction, CodeActionOrCommand, Diagnostic, DocumentChanges, OneOf, Position, Range, TextEdit,
    Uri, WorkspaceEdit,
};
use serde_json::{Value, json};

/// How long a test waits for one message before it fails (generous: CI machines are slow,
/// and nothing here measures time).
const PATIENCE: Duration = Duration::from_mins(1);

/// The client's end of a conversation.
pub(crate) struct Client {
    connection: Connection,
    server: Option<JoinHandle<Result<Exit, ServeError>>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    pending: VecDeque<Notification>,
    /// Requests from the server, answered with `null` as they came.
    server_requests: VecDeque<Request>,
    /// What the server answered `initialize` with.
    pub(crate) initialized: Value,
}

impl Client {
    /// Starts a server with `analyzer` and initializes it with `capabilities` and the
    /// workspace folder `root`.
    pub(crate) fn start(analyzer: Arc<dyn Analyzer>, capabilities: &Value, root: &Path) -> Self {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || isolint_server::serve(server, analyzer));
        let mut client = Client {
            connection: client,
            server: Some(handle),
            next_id: 0,
            pending: VecDeque::new(),
            server_requests: VecDeque::new(),
            initialized: Value::Null,
        };
        let root_uri = uri(root);
        client.initialized = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "capabilities": capabilities,
                "workspaceFolders": [{ "uri": root_uri, "name": "root" }],
            }),
        );
        client.notify("initialized", json!({}));
        client
    }

    /// Sends a notification.
    pub(crate) fn notify(&self, method: &str, params: Value) {
        self.connection
            .sender
            .send(Notification::new(method.to_owned(), params).into())
            .unwrap();
    }

    /// Sends a request and returns its ID without waiting.
    pub(crate) fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Request::new(id.clone(), method.to_owned(), params).into())
            .unwrap();
        id
    }

    /// Sends a request and waits for its result (panics on an error response).
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let response = self.response(&id);
        match response.response_result {
            Ok(result) => result,
            Err(error) => panic!("{method} failed: {error:?}"),
        }
    }

    /// Waits for the response to request `id`, keeping the notifications that come first.
    pub(crate) fn response(&mut self, id: &RequestId) -> Response {
        loop {
            match self.receive() {
                Message::Response(response) if &response.id == id => return response,
                Message::Response(_) => {}
                Message::Notification(notification) => self.pending.push_back(notification),
                Message::Request(request) => self.answer_server(request),
            }
        }
    }

    /// The next message from the server.
    fn receive(&mut self) -> Message {
        self.connection
            .receiver
            .recv_timeout(PATIENCE)
            .expect("the server said nothing for a minute")
    }

    /// Answers a request from the server (`client/registerCapability`) and keeps it.
    fn answer_server(&mut self, request: Request) {
        self.connection
            .sender
            .send(Response::new_ok(request.id.clone(), Value::Null).into())
            .unwrap();
        self.server_requests.push_back(request);
    }

    /// The next request the server sent.
    pub(crate) fn server_request(&mut self) -> Request {
        loop {
            if let Some(request) = self.server_requests.pop_front() {
                return request;
            }
            match self.receive() {
                Message::Request(request) => self.answer_server(request),
                Message::Notification(n) => self.pending.push_back(n),
                Message::Response(_) => {}
            }
        }
    }

    /// The next notification `method`; others are kept for later.
    pub(crate) fn notification(&mut self, method: &str) -> Value {
        self.notification_where(method, |_| true)
    }

    /// The first notification `method` whose parameters satisfy `wanted`; the others are
    /// kept for later, in order.
    fn notification_where(&mut self, method: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self
            .pending
            .iter()
            .position(|n| n.method == method && wanted(&n.params))
        {
            return self
                .pending
                .remove(index)
                .map(|n| n.params)
                .unwrap_or_default();
        }
        loop {
            match self.receive() {
                Message::Notification(n) if n.method == method && wanted(&n.params) => {
                    return n.params;
                }
                Message::Notification(n) => self.pending.push_back(n),
                Message::Request(request) => self.answer_server(request),
                Message::Response(_) => {}
            }
        }
    }

    /// The next diagnostics published for `uri` at `version`.
    pub(crate) fn diagnostics(&mut self, uri: &str, version: i32) -> Vec<Diagnostic> {
        let params = self.notification_where("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        serde_json::from_value(params["diagnostics"].clone()).unwrap()
    }

    /// Every version of `uri` whose diagnostics were published, in order, until `version`.
    pub(crate) fn published_versions(&mut self, uri: &str, version: i32) -> Vec<i32> {
        let mut versions = Vec::new();
        loop {
            let params =
                self.notification_where("textDocument/publishDiagnostics", |p| p["uri"] == uri);
            let published = i32::try_from(params["version"].as_i64().unwrap()).unwrap();
            versions.push(published);
            if published == version {
                return versions;
            }
        }
    }

    /// Opens a document.
    pub(crate) fn open(&self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": language, "version": 1, "text": text } }),
        );
    }

    /// Replaces a document's text.
    pub(crate) fn change(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    /// The code actions for `range` of `uri`.
    pub(crate) fn code_actions(&mut self, uri: &str, range: Range) -> Vec<CodeAction> {
        let result = self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": range,
                "context": { "diagnostics": [] },
            }),
        );
        let actions: Vec<CodeActionOrCommand> = serde_json::from_value(result).unwrap();
        actions
            .into_iter()
            .map(|action| match action {
                CodeActionOrCommand::CodeAction(action) => action,
                CodeActionOrCommand::Command(command) => panic!("a bare command: {command:?}"),
            })
            .collect()
    }

    /// `shutdown`, then `exit`; how the server ended.
    pub(crate) fn shutdown_and_exit(mut self) -> Exit {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.join()
    }

    /// Closes the connection without a word; how the server ended.
    pub(crate) fn hang_up(self) -> Exit {
        let Client {
            connection, server, ..
        } = self;
        drop(connection);
        server.unwrap().join().unwrap().expect("the server failed")
    }

    /// Waits for the server to end.
    pub(crate) fn join(&mut self) -> Exit {
        self.server
            .take()
            .unwrap()
            .join()
            .unwrap()
            .expect("the server failed")
    }
}

/// The `file:` URI of an absolute path (test paths need no escaping).
pub(crate) fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `text` with the edits of `edit` for `uri` applied (UTF-16 positions).
pub(crate) fn apply(text: &str, edit: &WorkspaceEdit, uri: &str) -> String {
    let mut edits: Vec<TextEdit> = Vec::new();
    for (target, list) in edit.changes.iter().flatten() {
        if target.as_str() == uri {
            edits.extend(list.iter().cloned());
        }
    }
    if let Some(DocumentChanges::Edits(changes)) = &edit.document_changes {
        for change in changes
            .iter()
            .filter(|c| c.text_document.uri.as_str() == uri)
        {
            edits.extend(change.edits.iter().map(|e| match e {
                OneOf::Left(edit) => edit.clone(),
                OneOf::Right(annotated) => annotated.text_edit.clone(),
            }));
        }
    }
    // Last first, so that earlier offsets stay valid.
    edits.sort_by_key(|e| std::cmp::Reverse((e.range.start.line, e.range.start.character)));
    let mut out = text.to_owned();
    for edit in edits {
        let start = offset(&out, edit.range.start);
        let end = offset(&out, edit.range.end);
        out.replace_range(start..end, &edit.new_text);
    }
    out
}

/// The byte offset of a UTF-16 position.
fn offset(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        line_start += text[line_start..]
            .find('\n')
            .map_or(text.len() - line_start, |i| i + 1);
    }
    let mut units = 0;
    for (i, c) in text[line_start..].char_indices() {
        if units >= position.character as usize || c == '\n' {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The diagnostics of rule `id`.
pub(crate) fn of_rule<'a>(diagnostics: &'a [Diagnostic], id: &str) -> Vec<&'a Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.code == Some(lsp_types::NumberOrString::String(id.to_owned())))
        .collect()
}

/// A URI from text, for lsp-types' typed parameters.
pub(crate) fn parse_uri(text: &str) -> Uri {
    text.parse().unwrap()
}
