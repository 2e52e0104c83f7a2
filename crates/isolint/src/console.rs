//! The only place isolint writes to the terminal: explicit writes to locked standard
//! streams, where a closed pipe (`isolint ... | head`) ends the output quietly.

use std::io::{self, Write};

use isolint_model::{Diagnostic, Severity};

use crate::exit::Outcome;

/// Writes `text` to standard output. A closed pipe is not an error; any other write error
/// is reported and makes the run fail.
pub(crate) fn stdout(text: &str) -> Outcome {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Outcome::Clean,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Outcome::Clean,
        Err(err) => {
            error(&format!("cannot write to standard output: {err}"));
            Outcome::Error
        }
    }
}

/// Writes one line to standard error. Nothing is left to tell if that fails.
pub(crate) fn stderr_line(line: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

/// Reports an error that stops the run, as clap does: `error: ...`.
pub(crate) fn error(message: &str) {
    stderr_line(&format!("error: {message}"));
}

/// Writes a diagnostic to standard error on one line: `error[code]: path: message`.
pub(crate) fn diagnostic(diagnostic: &Diagnostic) {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    stderr_line(&format!(
        "{severity}[{}]: {}: {}",
        diagnostic.code,
        isolint_model::source::display_name(&diagnostic.path),
        diagnostic.message
    ));
}
