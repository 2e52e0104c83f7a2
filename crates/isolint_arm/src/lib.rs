//! The ARM JSON frontend. (Being written: see `analyze`.)

use std::path::PathBuf;

use isolint_model::{Analysis, SourceMap};

/// How to read ARM templates.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Parameter files given on the command line (`--parameters FILE`); each applies to the
    /// template it names, or to every template when it names none.
    pub parameter_files: Vec<PathBuf>,
}

/// Whether `path` is a file this frontend reads (`.json`, `.jsonc`).
pub fn accepts(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("jsonc"))
}

/// Reads `files`, skips what is not an ARM template (deployment parameter files, other
/// JSON), and evaluates every template that no other scanned template uses as a linked
/// template.
pub fn analyze(files: &[PathBuf], sources: &SourceMap, options: &Options) -> Analysis {
    let _ = (files, sources, options);
    Analysis::default()
}
