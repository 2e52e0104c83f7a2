//! isolint's output formats: human text (miette), compact one-line, JSON, SARIF 2.1.0,
//! GitHub workflow commands and a Markdown summary.
//!
//! Every renderer takes the same [`Report`] (findings already sorted and deduplicated by
//! the rules engine, input diagnostics, the source map) and returns a `String`; only the
//! CLI prints. No renderer reads the clock, the environment or the file system, so the same
//! report always renders to the same bytes. `docs/output.md` documents every format.
//! [`policy`] renders the Azure Policy initiative of `isolint policy`, from the rules' mapping.
//! [`render_diff`] renders `isolint diff`'s comparison with a base revision, and
//! [`render_history`] the findings' history of `isolint report --history`.

mod compact;
mod diff;
mod github;
mod history;
mod json;
mod location;
mod markdown;
pub mod policy;
mod report;
mod sarif;
mod text;

use isolint_model::{Diagnostic, SourceMap};
use isolint_rules::{Finding, Rule, Suppressed};

pub use diff::{DiffFormat, DiffReport, render_diff};
pub use history::render_history;
pub use report::{ReportFormat, ReportOptions, render_report};

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Human-readable diagnostics with source snippets (miette).
    Text,
    /// `file:line:col: level[ID name] message`, one per line.
    Compact,
    /// A stable, documented JSON document.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=ID name::message`.
    Github,
    /// A Markdown summary for a pull request: totals, then a table per rule.
    Markdown,
}

/// Everything a renderer needs.
pub struct Report<'a> {
    /// The findings, sorted.
    pub findings: &'a [Finding],
    /// Problems with the input (parse errors, unreadable files). Renderers sort them by
    /// path and position themselves, so their order here does not matter.
    pub diagnostics: &'a [Diagnostic],
    /// The files read.
    pub sources: &'a SourceMap,
    /// How many files were checked, as the run summary counts them (the Markdown totals
    /// say it; `sources` also holds parameter files, modules and the configuration).
    pub files: usize,
    /// The rules that ran (SARIF lists them in `tool.driver.rules`). A finding whose rule is
    /// missing here is still rendered: SARIF appends its rule to the table.
    pub rules: &'a [&'static Rule],
    /// Findings that a suppression hides: SARIF records them with `suppressions`, the
    /// Markdown summary counts them, the other formats leave them out.
    pub suppressed: &'a [Suppressed],
}

/// Options for the text format.
#[derive(Clone, Copy, Debug)]
pub struct TextOptions {
    /// Use ANSI colours (only when writing to a terminal).
    pub color: bool,
    /// Wrap width.
    pub width: usize,
    /// Show each rule's documentation URL after its code. Off by default, and in tests:
    /// the URL embeds the isolint version, so snapshots would change with every release.
    /// (Added to the stubbed API for that reason.)
    pub help_urls: bool,
}

impl Default for TextOptions {
    /// No colour, 100 columns, no URLs: what a pipe or a test wants.
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
            help_urls: false,
        }
    }
}

/// Renders `report` in `format`. `text` is used by [`Format::Text`] only.
pub fn render(format: Format, report: &Report<'_>, text: &TextOptions) -> String {
    match format {
        Format::Text => text::render(report, text),
        Format::Compact => compact::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
    }
}
