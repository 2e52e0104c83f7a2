//! The seam between the server and isolint's analysis: the server knows documents and the
//! protocol, an [`Analyzer`] knows how to judge a file in its deployment context. The
//! command-line crate implements it (`isolint server`), tests implement it by hand.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_model::{Diagnostic, SourceMap};
use isolint_rules::Finding;

/// The text of an open document, which wins over the file on disk.
#[derive(Clone, Debug)]
pub struct Overlay {
    /// The document's path, normalized.
    pub path: PathBuf,
    /// Its text, saved or not.
    pub text: Arc<str>,
}

/// What the server asks: the findings of one document, in its deployment context.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The document, by path (normalized).
    pub document: &'a Path,
    /// The workspace folder that holds the document, when the client named one that does
    /// (`isolint server` takes it as the project of a document outside a git work tree).
    pub workspace_root: Option<&'a Path>,
    /// Every open document's text: an analysis reads these instead of the disk.
    pub overlays: &'a [Overlay],
}

/// What an analyzer answers.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Every file the analysis read (the overlays it used among them): the spans of the
    /// findings and diagnostics point into it.
    pub sources: SourceMap,
    /// The findings to show, suppressions and the configuration applied, in any file of
    /// the deployment: the server keeps those in the document.
    pub findings: Vec<Finding>,
    /// Problems reading the deployment (a parse error, an invalid suppression, an invalid
    /// configuration), in any file.
    pub diagnostics: Vec<Diagnostic>,
}

/// Judges documents. Called on the server's worker thread, one document at a time.
pub trait Analyzer: Send + Sync {
    /// Whether the analysis reads files like `path` (by name): other documents get no
    /// diagnostics.
    fn accepts(&self, path: &Path) -> bool;

    /// The findings and diagnostics of `request.document` in its deployment context.
    fn analyze(&self, request: &Request<'_>) -> Analysis;
}
