//! The human format: one miette report per finding and per diagnostic, with a labelled
//! source snippet: an [`Excerpt`] of the file, so that long lines are cut around the
//! labels and miette never sees a column it cannot pad to.

mod excerpt;

use std::fmt::{self, Write as _};

use isolint_model::Severity as DiagnosticSeverity;
use isolint_rules::{Finding, Level, Safety};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode,
};

use crate::location::{PlacedDiagnostic, locate, placed_diagnostics};
use crate::{Report, TextOptions};
use excerpt::{CONTEXT_LINES, Excerpt};

/// Findings first (in the engine's order), then diagnostics (by path and position),
/// separated by blank lines.
pub(crate) fn render(report: &Report<'_>, options: &TextOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // Text links, not OSC 8 hyperlinks: the URL is printed after the code, so it works in
    // every terminal and in CI logs.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_urls(false)
        .with_context_lines(CONTEXT_LINES)
        .without_syntax_highlighting();

    let mut out = String::new();
    for finding in report.findings {
        let (diagnostic, notes) = finding_report(report, finding, options.help_urls);
        push_report(&mut out, &handler, &diagnostic, &notes, options.color);
    }
    for placed in placed_diagnostics(report.sources, report.diagnostics) {
        push_report(
            &mut out,
            &handler,
            &diagnostic_report(&placed),
            &[],
            options.color,
        );
    }
    out
}

/// Renders one report: its header, `level[code]: message`, as ruff and clippy write it;
/// then miette's snippet and help; then the fix `check --fix` would apply, its `also:`
/// notes and, with `help_urls`, its documentation. After a blank line if `out` is not empty.
fn push_report(
    out: &mut String,
    handler: &GraphicalReportHandler,
    diagnostic: &TextDiagnostic,
    notes: &[String],
    color: bool,
) {
    if !out.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        level_word(diagnostic.severity, color),
        diagnostic.code,
        diagnostic.message
    );
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, diagnostic).is_ok() {
        // miette's first line is the message, which the header already gave (empty here:
        // `TextDiagnostic` shows miette none); the snippet and the help follow it.
        let body = rendered.split_once('\n').map_or("", |(_, body)| body);
        out.push_str(body.trim_start_matches('\n'));
    } else if let Some(help) = &diagnostic.help {
        // miette gives up only when it cannot read a span; spans are clamped, so this is a
        // safety net: the header said what is wrong, without the snippet.
        let _ = writeln!(out, "  help: {help}");
    }
    if let Some(fix) = &diagnostic.fix {
        let _ = writeln!(out, "  fix: {fix}");
    }
    for note in notes {
        let _ = writeln!(out, "  also: {note}");
    }
    if let Some(url) = &diagnostic.url {
        let _ = writeln!(out, "  docs: {url}");
    }
}

/// The level as a header spells it (`error`, `warning`, `note`), in bold and its colour when
/// the output is coloured.
fn level_word(severity: Severity, color: bool) -> String {
    let (word, colour) = match severity {
        Severity::Error => ("error", "31"),
        Severity::Warning => ("warning", "33"),
        Severity::Advice => ("note", "36"),
    };
    if color {
        format!("\u{1b}[1;{colour}m{word}\u{1b}[0m")
    } else {
        word.to_owned()
    }
}

/// How many lines before the primary span a secondary label may be and still share its
/// snippet.
const NEARBY_BEFORE: u32 = 3;
/// How many lines after the primary span a secondary label may be and still share its
/// snippet.
const NEARBY_AFTER: u32 = 5;

/// A label of a finding's snippet, located in the file before the excerpt is cut.
struct SnippetLabel {
    /// What the label says; none for a primary span shown alone, which the header explains.
    text: Option<String>,
    range: std::ops::Range<usize>,
    primary: bool,
}

/// A finding as a miette diagnostic, plus one note per label that lies in another file
/// than the primary span (miette shows one file per snippet) or far from it: miette opens
/// a snippet per distant label, headed by the first one, and the finding's own position
/// must stay the first thing a reader sees.
fn finding_report(
    report: &Report<'_>,
    finding: &Finding,
    help_urls: bool,
) -> (TextDiagnostic, Vec<String>) {
    let mut notes = Vec::new();
    // A module-cache file's text is never printed: its place is named, not shown.
    let primary = locate(report.sources, finding.span).and_then(|at| {
        if at.file.hidden {
            notes.push(hidden_place(&at, finding.rule.name));
            None
        } else {
            Some(at)
        }
    });
    let mut shown: Vec<SnippetLabel> = Vec::new();
    if let Some(at) = &primary {
        shown.push(SnippetLabel {
            text: None,
            range: at.range.clone(),
            primary: true,
        });
    }
    for label in &finding.labels {
        let located = locate(report.sources, label.span);
        match (&primary, located) {
            (Some(primary), Some(at))
                if primary.file.id == at.file.id
                    && at.start.line + NEARBY_BEFORE >= primary.start.line
                    && at.start.line <= primary.start.line + NEARBY_AFTER =>
            {
                shown.push(SnippetLabel {
                    text: Some(label.message.clone()),
                    range: at.range,
                    primary: false,
                });
            }
            (_, Some(at)) => notes.push(format!(
                "{}:{}:{}: {}",
                at.path(),
                at.start.line,
                at.start.column,
                label.message
            )),
            (_, None) => notes.push(label.message.clone()),
        }
    }
    // miette draws a label's connector through every underline to its left, labelled or
    // not: beside other labels the primary span names its rule, alone it needs no text.
    if shown.len() > 1
        && let Some(first) = shown.first_mut()
    {
        first.text = Some(finding.rule.name.to_owned());
    }
    let source = primary.map(|at| {
        let ranges: Vec<_> = shown.iter().map(|label| label.range.clone()).collect();
        Excerpt::new(&at.file, &ranges)
    });
    let labels = source.as_ref().map_or_else(Vec::new, |excerpt| {
        shown
            .into_iter()
            .map(|label| {
                let span = excerpt.span(&label.range);
                if label.primary {
                    LabeledSpan::new_primary_with_span(label.text, span)
                } else {
                    LabeledSpan::new_with_span(label.text, span)
                }
            })
            .collect()
    });
    let diagnostic = TextDiagnostic {
        message: finding.message.clone(),
        code: format!("{} {}", finding.rule.id, finding.rule.name),
        severity: match finding.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Note => Severity::Advice,
        },
        help: finding.help.clone(),
        fix: finding.fix.as_ref().map(|fix| match fix.safety {
            Safety::Safe => format!("{} (`isolint check --fix`)", fix.title),
            Safety::Unsafe => format!(
                "{} (unsafe: other uses change too; `isolint check --fix --unsafe-fixes`)",
                fix.title
            ),
        }),
        url: help_urls.then(|| finding.rule.help_uri()),
        source,
        labels,
    };
    (diagnostic, notes)
}

/// `path:line:col: what`, for a place in a module-cache file, whose text is not shown.
fn hidden_place(at: &crate::location::Located, what: &str) -> String {
    format!(
        "{}:{}:{}: {what} (a module-cache file, not shown)",
        at.path(),
        at.start.line,
        at.start.column
    )
}

/// An input diagnostic as a miette diagnostic: a snippet at its span, or `path: message`
/// (with the line and column, without the text, in a module-cache file).
fn diagnostic_report(placed: &PlacedDiagnostic<'_>) -> TextDiagnostic {
    let diagnostic = placed.diagnostic;
    let (message, source, labels) = match &placed.location {
        Some(at) if at.file.hidden => (
            format!(
                "{}:{}:{}: {}",
                placed.path, at.start.line, at.start.column, diagnostic.message
            ),
            None,
            Vec::new(),
        ),
        Some(at) => {
            let excerpt = Excerpt::new(&at.file, std::slice::from_ref(&at.range));
            let label = LabeledSpan::new_primary_with_span(None, excerpt.span(&at.range));
            (diagnostic.message.clone(), Some(excerpt), vec![label])
        }
        None => (
            format!("{}: {}", placed.path, diagnostic.message),
            None,
            Vec::new(),
        ),
    };
    TextDiagnostic {
        message,
        code: diagnostic.code.to_owned(),
        severity: match diagnostic.severity {
            DiagnosticSeverity::Error => Severity::Error,
            DiagnosticSeverity::Warning => Severity::Warning,
            DiagnosticSeverity::Note => Severity::Advice,
        },
        help: diagnostic.help.clone(),
        fix: None,
        url: None,
        source,
        labels,
    }
}

/// One report: the header's level, code and message, and what miette renders below it (the
/// snippet and the help). A plain struct, so that no derive macro (and no `miette/derive`
/// feature) is needed.
#[derive(Debug)]
struct TextDiagnostic {
    message: String,
    code: String,
    severity: Severity,
    help: Option<String>,
    /// The fix `check --fix` applies, and how to ask for it.
    fix: Option<String>,
    url: Option<String>,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
}

/// Empty: the header, written before miette's report, says what is wrong.
impl fmt::Display for TextDiagnostic {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl std::error::Error for TextDiagnostic {}

impl Diagnostic for TextDiagnostic {
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}
