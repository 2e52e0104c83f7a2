//! The thread that analyses documents, one at a time, so that the main loop never waits for
//! an analysis: it takes a job (a document version and the texts of every open document),
//! runs the analyzer, converts the result into a [`Report`], and sends it back. A panic in
//! the analysis becomes a diagnostic on the document, and the thread lives on.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossbeam_channel::{Receiver, Sender};
use isolint_rules::Date;
use lsp_types::{Diagnostic, DiagnosticSeverity, NumberOrString, Uri};

use crate::analyzer::{Analyzer, Overlay, Request};
use crate::capabilities::Client;
use crate::report::{self, Report, SOURCE};

/// How long a new suppression lasts.
const SUPPRESSION_DAYS: u64 = 90;

/// One document version to analyse.
pub(crate) struct Job {
    /// The document.
    pub(crate) uri: Uri,
    /// Its path, normalized.
    pub(crate) document: PathBuf,
    /// Its version.
    pub(crate) version: i32,
    /// The workspace folder that holds it.
    pub(crate) workspace_root: Option<PathBuf>,
    /// Every open document's text.
    pub(crate) overlays: Vec<Overlay>,
    /// Every open document's version, by path.
    pub(crate) versions: HashMap<PathBuf, i32>,
    /// The client's abilities.
    pub(crate) client: Client,
}

/// A job done.
pub(crate) struct Done {
    /// The document.
    pub(crate) uri: Uri,
    /// What the client sees of it.
    pub(crate) report: Report,
    /// How long the analysis and the conversion took.
    pub(crate) elapsed: Duration,
}

/// The worker's ends of the channels.
pub(crate) struct Worker {
    /// Where jobs go.
    pub(crate) jobs: Sender<Job>,
    /// Where reports come from.
    pub(crate) done: Receiver<Done>,
}

/// Starts the worker thread. It ends when `jobs` is dropped (after its current job).
pub(crate) fn start(analyzer: Arc<dyn Analyzer>) -> std::io::Result<Worker> {
    let (jobs, incoming) = crossbeam_channel::unbounded::<Job>();
    let (finished, done) = crossbeam_channel::unbounded();
    thread::Builder::new()
        .name("isolint-analysis".to_owned())
        .spawn(move || {
            for job in incoming {
                let started = Instant::now();
                let uri = job.uri.clone();
                let report = run(&*analyzer, &job);
                let done = Done {
                    uri,
                    report,
                    elapsed: started.elapsed(),
                };
                if finished.send(done).is_err() {
                    break;
                }
            }
        })?;
    Ok(Worker { jobs, done })
}

/// Analyses one job; a panic is caught and reported on the document.
fn run(analyzer: &dyn Analyzer, job: &Job) -> Report {
    let until = Date::from_unix_seconds(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
            + SUPPRESSION_DAYS * 86_400,
    );
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let request = Request {
            document: &job.document,
            workspace_root: job.workspace_root.as_deref(),
            overlays: &job.overlays,
        };
        let analysis = analyzer.analyze(&request);
        let cx = report::Context {
            document: &job.document,
            version: job.version,
            client: job.client,
            versions: &job.versions,
            until,
        };
        report::build(&analysis, &cx)
    }));
    outcome.unwrap_or_else(|panic| {
        let reason = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Report {
            version: job.version,
            diagnostics: vec![Diagnostic {
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String("internal-error".to_owned())),
                source: Some(SOURCE.to_owned()),
                message: format!(
                    "isolint failed on this document (a bug: please report it with the file): {reason}"
                ),
                ..Diagnostic::default()
            }],
            ..Report::default()
        }
    })
}
