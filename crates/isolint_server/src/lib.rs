//! isolint's language server: the findings of each open document as diagnostics, with
//! quick fixes, suppressions and hovers, over the Language Server Protocol.
//!
//! It is synchronous, as rust-analyzer's and ruff's are (`lsp-server` over stdio, no async
//! runtime): a main loop that only moves messages and one worker thread that analyses.
//! What "analyse a document" means is the [`Analyzer`] the caller passes in, so that this
//! crate knows the protocol and the editor's documents, and nothing of discovery,
//! configuration or deployments (the `isolint server` command supplies the analysis).
//!
//! - Text is synchronised whole; a document is analysed on open and save at once, and on
//!   change at most once per [`DEBOUNCE`] while someone types, always with the unsaved
//!   texts of every open document.
//! - Positions are UTF-16 unless the client offers UTF-8.
//! - Each finding is a diagnostic with the rule ID as its code, a link to the rule's
//!   documentation, its labels as related information, a hover with its help, the rule's
//!   fix as a quick fix (preferred when safe), and a suppression with a reason placeholder
//!   and an expiry date.
//! - Changes to the configuration (`isolint.toml`, `bicepconfig.json`, `modules.json`), to
//!   a file an analysis read, or a file created or deleted schedule the documents again;
//!   workspace folders (the project of a document outside a git work tree), cancellation
//!   and `shutdown`/`exit` (exit status 0 after `shutdown`, 1 otherwise) are honoured.

mod analyzer;
mod capabilities;
mod hover;
mod position;
mod report;
mod schedule;
mod server;
mod suppression;
mod uri;
mod worker;

use std::sync::Arc;

pub use analyzer::{Analysis, Analyzer, Overlay, Request};
pub use lsp_server::Connection;
pub use schedule::DEBOUNCE;

/// How the conversation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// `exit` after `shutdown`: a clean end (exit status 0).
    AfterShutdown,
    /// `exit` without `shutdown`, or the client went away (exit status 1, as the protocol
    /// asks).
    WithoutShutdown,
}

impl Exit {
    /// The process exit status the protocol asks for.
    pub fn status(self) -> u8 {
        match self {
            Exit::AfterShutdown => 0,
            Exit::WithoutShutdown => 1,
        }
    }
}

/// Why the server stopped before `exit`.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The `initialize` handshake failed.
    #[error("the language client did not initialize the server: {0}")]
    Initialize(String),
    /// The client closed the connection while the server was writing to it.
    #[error("the language client closed the connection")]
    Disconnected,
    /// The analysis thread could not be started.
    #[error("cannot start the analysis thread: {0}")]
    Thread(std::io::Error),
    /// The analysis thread ended on its own.
    #[error("the analysis thread stopped")]
    WorkerStopped,
    /// Reading or writing standard input or output failed.
    #[error("standard input or output failed: {0}")]
    Io(#[from] std::io::Error),
}

impl From<lsp_server::ProtocolError> for ServeError {
    fn from(error: lsp_server::ProtocolError) -> Self {
        ServeError::Initialize(error.to_string())
    }
}

/// Serves one client over `connection` with `analyzer` until `exit` (or until the client
/// goes away).
pub fn serve(connection: Connection, analyzer: Arc<dyn Analyzer>) -> Result<Exit, ServeError> {
    server::Server::initialize(connection, analyzer)?.run()
}

/// Serves the client on standard input and output.
pub fn serve_stdio(analyzer: Arc<dyn Analyzer>) -> Result<Exit, ServeError> {
    let (connection, io_threads) = Connection::stdio();
    let exit = serve(connection, analyzer)?;
    // The connection is dropped by now, so the writer thread drains and ends.
    io_threads.join()?;
    Ok(exit)
}
