//! What a frontend hands back after reading its files.

use crate::diagnostic::Diagnostic;
use crate::resource::Resource;

/// The result of reading and evaluating a set of files of one format.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Every resource declared (loop instances included; rules report once per declaration).
    pub resources: Vec<Resource>,
    /// Problems with the input.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read as templates (not skipped, not parameter files).
    pub templates: usize,
    /// Lines for the run summary: modules not followed, files skipped and why.
    pub notes: Vec<String>,
}

impl Analysis {
    /// Adds another analysis to this one.
    pub fn extend(&mut self, other: Analysis) {
        self.resources.extend(other.resources);
        self.diagnostics.extend(other.diagnostics);
        self.templates += other.templates;
        self.notes.extend(other.notes);
    }
}
