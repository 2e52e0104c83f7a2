//! The main loop: it keeps the open documents, answers requests from the reports the worker
//! made, and decides what the worker analyses next. It never analyses anything itself, so
//! it stays responsive however large the deployment is.
//!
//! Requests about a document whose latest text has no report yet (code actions, hovers)
//! wait for it, so that an edit is never computed against an older text; `$/cancelRequest`
//! answers a waiting request with `RequestCancelled`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::{Receiver, select};
use isolint_model::source::normalize;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeTextDocument, DidChangeWatchedFiles, DidChangeWorkspaceFolders,
    DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, LogMessage, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOrCommand, CodeActionParams, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidChangeWorkspaceFoldersParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, FileChangeType, FileSystemWatcher, GlobPattern, Hover,
    HoverContents, HoverParams, InitializeParams, LogMessageParams, MarkupContent, MarkupKind,
    MessageType, NumberOrString, Position, PublishDiagnosticsParams, Range, Registration,
    RegistrationParams, Uri, WorkspaceFolder,
};
use serde_json::Value;

use crate::analyzer::{Analyzer, Overlay};
use crate::capabilities::Client;
use crate::position;
use crate::report::Report;
use crate::schedule::Schedule;
use crate::uri;
use crate::worker::{self, Done, Job, Worker};
use crate::{Exit, ServeError};

/// Files whose change changes every analysis: isolint's configuration, the Bicep
/// configuration (module aliases, the cache), and Terraform's module manifest.
const CONFIGURATION_FILES: &[&str] = &[
    "isolint.toml",
    ".isolint.toml",
    "bicepconfig.json",
    "modules.json",
];

/// The globs the server asks the client to watch.
const WATCHED: &[&str] = &[
    "**/isolint.toml",
    "**/.isolint.toml",
    "**/bicepconfig.json",
    "**/.terraform/modules/modules.json",
    "**/*.{bicep,bicepparam,tf,tfvars,json,jsonc}",
];

/// An open document.
struct Document {
    /// Its path, normalized.
    path: PathBuf,
    /// The client's version of its text.
    version: i32,
    /// Its text.
    text: Arc<str>,
    /// The latest report, of this version or an older one.
    report: Option<Report>,
}

impl Document {
    /// The report, if it is of the current text.
    fn current(&self) -> Option<&Report> {
        self.report.as_ref().filter(|r| r.version == self.version)
    }
}

/// A request waiting for the report of its document's current text.
struct Waiting {
    id: RequestId,
    uri: Uri,
    query: Query,
}

/// What a request asks of a report.
enum Query {
    /// Code actions for the findings that touch a range, of some kinds.
    CodeActions(Range, Option<Vec<CodeActionKind>>),
    /// The hover at a position.
    Hover(Position),
}

/// The server's state.
pub(crate) struct Server {
    connection: Connection,
    client: Client,
    /// Workspace folders, normalized.
    folders: Vec<PathBuf>,
    analyzer: Arc<dyn Analyzer>,
    /// Open documents the analyzer reads, by URI (ordered: the same input gives the same
    /// messages in the same order).
    documents: BTreeMap<Uri, Document>,
    schedule: Schedule,
    worker: Worker,
    /// The document the worker is analysing.
    busy: Option<Uri>,
    waiting: Vec<Waiting>,
    shutting_down: bool,
    /// The ID of the next request the server sends.
    next_id: i32,
}

impl Server {
    /// Performs the `initialize` handshake on `connection` and starts the worker.
    pub(crate) fn initialize(
        connection: Connection,
        analyzer: Arc<dyn Analyzer>,
    ) -> Result<Self, ServeError> {
        let (id, params) = connection.initialize_start()?;
        let params: InitializeParams =
            serde_json::from_value(params).map_err(|e| ServeError::Initialize(e.to_string()))?;
        let client = Client::from_capabilities(&params.capabilities);
        let folders = workspace_folders(&params);
        let result = serde_json::json!({
            "capabilities": client.server_capabilities(),
            "serverInfo": { "name": "isolint", "version": env!("CARGO_PKG_VERSION") },
        });
        connection.initialize_finish(id, result)?;
        let worker = worker::start(Arc::clone(&analyzer)).map_err(ServeError::Thread)?;
        let mut server = Self {
            connection,
            client,
            folders,
            analyzer,
            documents: BTreeMap::new(),
            schedule: Schedule::default(),
            worker,
            busy: None,
            waiting: Vec::new(),
            shutting_down: false,
            next_id: 0,
        };
        if client.watches_files {
            server.watch_files()?;
        }
        Ok(server)
    }

    /// Serves until `exit`, or until the client goes away.
    pub(crate) fn run(mut self) -> Result<Exit, ServeError> {
        let incoming = self.connection.receiver.clone();
        let done: Receiver<Done> = self.worker.done.clone();
        loop {
            self.dispatch(Instant::now())?;
            let wake = match (&self.busy, self.schedule.next()) {
                (None, Some(due)) => crossbeam_channel::at(due),
                _ => crossbeam_channel::never(),
            };
            select! {
                recv(incoming) -> message => match message {
                    Ok(message) => {
                        if let Some(exit) = self.handle(message)? {
                            return Ok(exit);
                        }
                    }
                    // The client went away without `exit`.
                    Err(_) => return Ok(Exit::WithoutShutdown),
                },
                recv(done) -> finished => match finished {
                    Ok(finished) => self.finished(finished)?,
                    Err(_) => return Err(ServeError::WorkerStopped),
                },
                recv(wake) -> _ => {}
            }
        }
    }

    /// Hands the worker the most overdue document, when it is idle.
    fn dispatch(&mut self, now: Instant) -> Result<(), ServeError> {
        if self.busy.is_some() {
            return Ok(());
        }
        while let Some(uri) = self.schedule.take_due(now) {
            let Some(document) = self.documents.get(&uri) else {
                continue;
            };
            let job = Job {
                uri: uri.clone(),
                document: document.path.clone(),
                version: document.version,
                workspace_root: self.folder_of(&document.path),
                overlays: self
                    .documents
                    .values()
                    .map(|d| Overlay {
                        path: d.path.clone(),
                        text: Arc::clone(&d.text),
                    })
                    .collect(),
                versions: self
                    .documents
                    .values()
                    .map(|d| (d.path.clone(), d.version))
                    .collect(),
                client: self.client,
            };
            self.worker
                .jobs
                .send(job)
                .map_err(|_| ServeError::WorkerStopped)?;
            self.busy = Some(uri);
            break;
        }
        Ok(())
    }

    /// The workspace folder that holds `path` (the deepest, when folders nest).
    fn folder_of(&self, path: &Path) -> Option<PathBuf> {
        self.folders
            .iter()
            .filter(|folder| path.starts_with(folder))
            .max_by_key(|folder| folder.components().count())
            .cloned()
    }

    /// A report came back: published if it is of the document's current text (an older
    /// one is dropped: the newer text is scheduled already), then the requests waiting for
    /// it are answered.
    fn finished(&mut self, done: Done) -> Result<(), ServeError> {
        self.busy = None;
        let Some(document) = self.documents.get_mut(&done.uri) else {
            return Ok(());
        };
        if done.report.version != document.version {
            return Ok(());
        }
        let name = isolint_model::source::display_name(&document.path);
        let params = PublishDiagnosticsParams {
            uri: done.uri.clone(),
            diagnostics: done.report.diagnostics.clone(),
            version: Some(done.report.version),
        };
        document.report = Some(done.report);
        self.notify::<PublishDiagnostics>(params)?;
        self.notify::<LogMessage>(LogMessageParams {
            typ: MessageType::LOG,
            message: format!(
                "isolint: analysed {name} in {} ms",
                done.elapsed.as_millis()
            ),
        })?;
        let (ready, still): (Vec<Waiting>, Vec<Waiting>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|w| w.uri == done.uri);
        self.waiting = still;
        for waiting in ready {
            self.answer(waiting)?;
        }
        Ok(())
    }

    /// Handles one message; `Some` when the server must stop.
    fn handle(&mut self, message: Message) -> Result<Option<Exit>, ServeError> {
        match message {
            Message::Request(request) => self.request(request).map(|()| None),
            Message::Response(_) => Ok(None),
            Message::Notification(notification)
                if notification.method == lsp_types::notification::Exit::METHOD =>
            {
                Ok(Some(if self.shutting_down {
                    Exit::AfterShutdown
                } else {
                    Exit::WithoutShutdown
                }))
            }
            Message::Notification(_) if self.shutting_down => Ok(None),
            Message::Notification(notification) => self.notification(notification).map(|()| None),
        }
    }

    fn request(&mut self, request: Request) -> Result<(), ServeError> {
        if self.shutting_down {
            return self.respond_error(
                request.id,
                ErrorCode::InvalidRequest,
                "the server is shutting down",
            );
        }
        match request.method.as_str() {
            lsp_types::request::Shutdown::METHOD => {
                self.shutting_down = true;
                for waiting in std::mem::take(&mut self.waiting) {
                    self.respond(waiting.id, Value::Null)?;
                }
                self.respond(request.id, Value::Null)
            }
            CodeActionRequest::METHOD => {
                match serde_json::from_value::<CodeActionParams>(request.params) {
                    Ok(params) => self.ask(
                        request.id,
                        params.text_document.uri,
                        Query::CodeActions(params.range, params.context.only),
                    ),
                    Err(error) => self.invalid_params(request.id, &error),
                }
            }
            HoverRequest::METHOD => match serde_json::from_value::<HoverParams>(request.params) {
                Ok(params) => {
                    let at = params.text_document_position_params;
                    self.ask(request.id, at.text_document.uri, Query::Hover(at.position))
                }
                Err(error) => self.invalid_params(request.id, &error),
            },
            method => self.respond_error(
                request.id,
                ErrorCode::MethodNotFound,
                &format!("isolint does not handle `{method}`"),
            ),
        }
    }

    /// Answers a query now if the document's report is current, else when it is.
    fn ask(&mut self, id: RequestId, uri: Uri, query: Query) -> Result<(), ServeError> {
        let waiting = Waiting { id, uri, query };
        match self.documents.get(&waiting.uri) {
            Some(document) if document.current().is_none() => {
                self.waiting.push(waiting);
                Ok(())
            }
            _ => self.answer(waiting),
        }
    }

    /// Answers a query from the current report (nothing when the document is not open).
    fn answer(&mut self, waiting: Waiting) -> Result<(), ServeError> {
        let report = self.documents.get(&waiting.uri).and_then(Document::current);
        let result = match (&waiting.query, report) {
            (_, None) => Value::Null,
            (Query::CodeActions(range, only), Some(report)) => {
                let wanted = |kind: &Option<CodeActionKind>| {
                    only.as_ref().is_none_or(|only| {
                        kind.as_ref().is_some_and(|kind| {
                            only.iter().any(|o| {
                                kind.as_str() == o.as_str()
                                    || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                            })
                        })
                    })
                };
                let actions: Vec<CodeActionOrCommand> = report
                    .findings
                    .iter()
                    .filter(|entry| position::touches(&entry.diagnostic.range, range))
                    .flat_map(|entry| entry.actions.iter())
                    .filter(|action| wanted(&action.kind))
                    .cloned()
                    .map(CodeActionOrCommand::CodeAction)
                    .collect();
                serde_json::to_value(actions).unwrap_or(Value::Null)
            }
            (Query::Hover(at), Some(report)) => {
                let point = Range {
                    start: *at,
                    end: *at,
                };
                let entries: Vec<_> = report
                    .findings
                    .iter()
                    .filter(|entry| position::touches(&entry.diagnostic.range, &point))
                    .collect();
                match entries.first() {
                    None => Value::Null,
                    Some(first) => {
                        let markdown = self.client.markdown_hover;
                        let texts: Vec<String> =
                            entries.iter().map(|e| e.hover.text(markdown)).collect();
                        let (kind, separator) = if markdown {
                            (MarkupKind::Markdown, "\n\n---\n\n")
                        } else {
                            (MarkupKind::PlainText, "\n\n")
                        };
                        serde_json::to_value(Hover {
                            contents: HoverContents::Markup(MarkupContent {
                                kind,
                                value: texts.join(separator),
                            }),
                            range: Some(first.diagnostic.range),
                        })
                        .unwrap_or(Value::Null)
                    }
                }
            }
        };
        self.respond(waiting.id, result)
    }

    fn notification(&mut self, notification: Notification) -> Result<(), ServeError> {
        let now = Instant::now();
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(params) =
                    notification.extract::<DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return Ok(());
                };
                let document = params.text_document;
                let Some(path) = uri::to_path(&document.uri).map(|p| normalize(&p)) else {
                    return Ok(());
                };
                if !self.analyzer.accepts(&path) {
                    return Ok(());
                }
                self.documents.insert(
                    document.uri.clone(),
                    Document {
                        path,
                        version: document.version,
                        text: document.text.into(),
                        report: None,
                    },
                );
                self.schedule.now(&document.uri, now);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(params) = notification
                    .extract::<DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                else {
                    return Ok(());
                };
                let uri = params.text_document.uri;
                let Some(document) = self.documents.get_mut(&uri) else {
                    return Ok(());
                };
                // Full sync: the last change holds the whole text.
                if let Some(change) = params.content_changes.into_iter().last() {
                    document.text = change.text.into();
                }
                document.version = params.text_document.version;
                let path = document.path.clone();
                self.schedule.changed(&uri, now);
                self.reanalyze_readers_of(&[path], now);
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(params) =
                    notification.extract::<DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                    && self.documents.contains_key(&params.text_document.uri)
                {
                    self.schedule.now(&params.text_document.uri, now);
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) = notification
                    .extract::<DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return Ok(());
                };
                let uri = params.text_document.uri;
                let Some(document) = self.documents.remove(&uri) else {
                    return Ok(());
                };
                self.schedule.forget(&uri);
                let (closed, still): (Vec<Waiting>, Vec<Waiting>) =
                    std::mem::take(&mut self.waiting)
                        .into_iter()
                        .partition(|w| w.uri == uri);
                self.waiting = still;
                for waiting in closed {
                    self.respond(waiting.id, Value::Null)?;
                }
                self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
                    uri,
                    diagnostics: Vec::new(),
                    version: None,
                })?;
                // Its readers now read the file on disk, without the unsaved changes.
                self.reanalyze_readers_of(&[document.path], now);
            }
            DidChangeWatchedFiles::METHOD => {
                let Ok(params) = notification
                    .extract::<DidChangeWatchedFilesParams>(DidChangeWatchedFiles::METHOD)
                else {
                    return Ok(());
                };
                let paths: Vec<PathBuf> = params
                    .changes
                    .iter()
                    .filter_map(|change| uri::to_path(&change.uri))
                    .map(|path| normalize(&path))
                    .collect();
                let configuration = paths.iter().any(|path| {
                    path.file_name().is_some_and(|name| {
                        CONFIGURATION_FILES
                            .iter()
                            .any(|c| name.eq_ignore_ascii_case(c))
                    })
                });
                // A file created or deleted may call an open document (its callers are
                // searched in the whole project) or change what its folder holds: no
                // analysis read it, so every open document is checked again.
                let added_or_removed = params
                    .changes
                    .iter()
                    .any(|change| change.typ != FileChangeType::CHANGED);
                if configuration || added_or_removed {
                    self.reanalyze_all(now);
                } else {
                    self.reanalyze_readers_of(&paths, now);
                }
            }
            DidChangeWorkspaceFolders::METHOD => {
                let Ok(params) = notification
                    .extract::<DidChangeWorkspaceFoldersParams>(DidChangeWorkspaceFolders::METHOD)
                else {
                    return Ok(());
                };
                let removed: Vec<PathBuf> = folder_paths(&params.event.removed);
                self.folders.retain(|f| !removed.contains(f));
                self.folders.extend(folder_paths(&params.event.added));
                self.reanalyze_all(now);
            }
            Cancel::METHOD => {
                let Ok(params) = notification.extract::<lsp_types::CancelParams>(Cancel::METHOD)
                else {
                    return Ok(());
                };
                let id = match params.id {
                    NumberOrString::Number(n) => RequestId::from(n),
                    NumberOrString::String(s) => RequestId::from(s),
                };
                if let Some(index) = self.waiting.iter().position(|w| w.id == id) {
                    let waiting = self.waiting.remove(index);
                    self.respond_error(
                        waiting.id,
                        ErrorCode::RequestCanceled,
                        "cancelled by the client",
                    )?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Schedules the open documents whose last analysis read one of `paths` (but not the
    /// documents at those paths: their own changes schedule them).
    fn reanalyze_readers_of(&mut self, paths: &[PathBuf], now: Instant) {
        for (uri, document) in &self.documents {
            let reads = document
                .report
                .as_ref()
                .is_some_and(|r| paths.iter().any(|p| r.read.contains(p)));
            if reads && !paths.contains(&document.path) {
                self.schedule.changed(uri, now);
            }
        }
    }

    /// Schedules every open document (the configuration or the workspace changed).
    fn reanalyze_all(&mut self, now: Instant) {
        for uri in self.documents.keys() {
            self.schedule.changed(uri, now);
        }
    }

    /// Asks the client to report changes to the configuration files and to the files of
    /// the formats isolint reads (a `git checkout` changes what an open document's
    /// analysis read).
    fn watch_files(&mut self) -> Result<(), ServeError> {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: WATCHED
                .iter()
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String((*glob).to_owned()),
                    kind: None,
                })
                .collect(),
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "isolint-watched-files".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_id += 1;
        let request = Request::new(
            RequestId::from(self.next_id),
            RegisterCapability::METHOD.to_owned(),
            params,
        );
        self.send(request.into())
    }

    fn notify<N: lsp_types::notification::Notification>(
        &self,
        params: N::Params,
    ) -> Result<(), ServeError> {
        self.send(Notification::new(N::METHOD.to_owned(), params).into())
    }

    fn respond(&self, id: RequestId, result: Value) -> Result<(), ServeError> {
        self.send(Response::new_ok(id, result).into())
    }

    fn respond_error(
        &self,
        id: RequestId,
        code: ErrorCode,
        message: &str,
    ) -> Result<(), ServeError> {
        self.send(Response::new_err(id, code as i32, message.to_owned()).into())
    }

    fn invalid_params(&self, id: RequestId, error: &serde_json::Error) -> Result<(), ServeError> {
        self.respond_error(id, ErrorCode::InvalidParams, &error.to_string())
    }

    fn send(&self, message: Message) -> Result<(), ServeError> {
        self.connection
            .sender
            .send(message)
            .map_err(|_| ServeError::Disconnected)
    }
}

/// The workspace folders of `initialize` (the deprecated `rootUri` when there are none).
fn workspace_folders(params: &InitializeParams) -> Vec<PathBuf> {
    match &params.workspace_folders {
        Some(folders) => folder_paths(folders),
        #[expect(
            deprecated,
            reason = "clients without workspace folders still send rootUri"
        )]
        None => params
            .root_uri
            .iter()
            .filter_map(uri::to_path)
            .map(|path| normalize(&path))
            .collect(),
    }
}

fn folder_paths(folders: &[WorkspaceFolder]) -> Vec<PathBuf> {
    folders
        .iter()
        .filter_map(|folder| uri::to_path(&folder.uri))
        .map(|path| normalize(&path))
        .collect()
}
