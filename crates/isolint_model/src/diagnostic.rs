//! Diagnostics about the input itself (parse errors, unreadable files, evaluation limits),
//! as opposed to rule findings.

use std::path::PathBuf;

use crate::source::Span;

/// How serious a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Information (a module that was not followed, a skipped file).
    Note,
    /// Something was read but may be misread (a copy count beyond ARM's limit).
    Warning,
    /// The file (or part of it) could not be read: the run exits with code 2.
    Error,
}

/// A problem with the input, located in a file and, where possible, at a span.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A short stable code (`parse-error`, `io-error`, `copy-limit`).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The file concerned.
    pub path: PathBuf,
    /// Where in the file, when the file could be read.
    pub span: Option<Span>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error diagnostic.
    pub fn error(code: &'static str, message: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            path: path.into(),
            span: None,
            help: None,
        }
    }

    /// A warning diagnostic.
    pub fn warning(
        code: &'static str,
        message: impl Into<String>,
        path: impl Into<PathBuf>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message, path)
        }
    }

    /// A note diagnostic.
    pub fn note(code: &'static str, message: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(code, message, path)
        }
    }

    /// The same diagnostic located at `span`.
    #[must_use]
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// The same diagnostic with help.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
