//! An analysis turned into what the client sees of one document: its diagnostics, and for
//! each finding the code actions and what a hover shows, with positions converted once, on
//! the worker thread, so that requests are answered without touching the analysis again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use isolint_model::source::normalize;
use isolint_model::{Severity, SourceFile, SourceMap, Span};
use isolint_rules::{Date, Finding, Level, Safety};
use lsp_types::{
    CodeAction, CodeActionDisabled, CodeActionKind, CodeDescription, Diagnostic,
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentChanges, Location, NumberOrString,
    OneOf, OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::analyzer::Analysis;
use crate::capabilities::Client;
use crate::hover::Hover;
use crate::position::{self, Encoding};
use crate::suppression::{Suppression, Suppressor};
use crate::uri;

/// What `source` says in every diagnostic.
pub(crate) const SOURCE: &str = "isolint";

/// How many problems of other files one document lists.
const MAX_CONTEXT_PROBLEMS: usize = 10;

/// One document's diagnostics and what requests on them answer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Report {
    /// The document version analysed.
    pub(crate) version: i32,
    /// What `publishDiagnostics` sends, in position order.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The findings in the document, in position order.
    pub(crate) findings: Vec<Entry>,
    /// Every file the analysis read: a change to one of them changes this report.
    pub(crate) read: Vec<PathBuf>,
}

/// A finding as the client sees it.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// Its diagnostic.
    pub(crate) diagnostic: Diagnostic,
    /// Its quick fixes: the fix (when the rule gave one), then the suppression.
    pub(crate) actions: Vec<CodeAction>,
    /// What a hover on it shows.
    pub(crate) hover: Hover,
}

/// What the conversion needs besides the analysis.
pub(crate) struct Context<'a> {
    /// The document, normalized.
    pub(crate) document: &'a Path,
    /// Its version.
    pub(crate) version: i32,
    /// The client's abilities.
    pub(crate) client: Client,
    /// The versions of the open documents, by normalized path, for versioned edits.
    pub(crate) versions: &'a HashMap<PathBuf, i32>,
    /// The expiry date written in new suppressions.
    pub(crate) until: Date,
}

/// The report of `cx.document` from `analysis`.
pub(crate) fn build(analysis: &Analysis, cx: &Context<'_>) -> Report {
    let sources = &analysis.sources;
    let document = sources.find(cx.document);
    let findings = document
        .as_ref()
        .map(|document| entries(analysis, document, cx))
        .unwrap_or_default();
    let mut diagnostics: Vec<Diagnostic> = findings.iter().map(|e| e.diagnostic.clone()).collect();
    diagnostics.extend(problems(
        analysis,
        cx.document,
        document.as_deref(),
        cx.client.encoding,
    ));
    diagnostics.sort_by_key(|d| order(&d.range));
    Report {
        version: cx.version,
        diagnostics,
        findings,
        read: sources.files().iter().map(|f| f.path.clone()).collect(),
    }
}

/// The findings in `document` (reported there, or with a label there), in position order,
/// with their actions and hovers.
fn entries(analysis: &Analysis, document: &SourceFile, cx: &Context<'_>) -> Vec<Entry> {
    let sources = &analysis.sources;
    let encoding = cx.client.encoding;
    let mut suppressor = Suppressor::new(sources, cx.until);
    let mut findings: Vec<Entry> = analysis
        .findings
        .iter()
        .filter_map(|finding| {
            // A finding reported elsewhere shows where it touches the document (the value
            // of a parameter file that decided it), so that editing that file shows it.
            let at = if finding.span.file == document.id {
                finding.span
            } else {
                finding
                    .labels
                    .iter()
                    .find(|l| l.span.file == document.id)?
                    .span
            };
            let diagnostic = finding_diagnostic(finding, at, document, sources, encoding);
            let mut actions = Vec::new();
            if let Some(action) = fix_action(finding, &diagnostic, sources, cx) {
                actions.push(action);
            }
            if let Some(action) = suppress_action(finding, &diagnostic, &mut suppressor, cx) {
                actions.push(action);
            }
            Some(Entry {
                hover: Hover::of(finding),
                diagnostic,
                actions,
            })
        })
        .collect();
    findings.sort_by(|a, b| {
        order(&a.diagnostic.range)
            .cmp(&order(&b.diagnostic.range))
            .then_with(|| code(&a.diagnostic).cmp(code(&b.diagnostic)))
    });
    findings
}

/// The analysis' problems as the document shows them: its own at their place, and the
/// errors of other files (or of a configuration that stopped the analysis) in one
/// diagnostic at the top.
fn problems(
    analysis: &Analysis,
    path: &Path,
    document: Option<&SourceFile>,
    encoding: Encoding,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut elsewhere = Vec::new();
    for problem in &analysis.diagnostics {
        if normalize(&problem.path) == path {
            let range = match (problem.span, document) {
                (Some(span), Some(document)) => position::range(document, span, encoding),
                _ => Range::default(),
            };
            let mut message = problem.message.clone();
            if let Some(help) = &problem.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            diagnostics.push(Diagnostic {
                range,
                severity: Some(severity(problem.severity)),
                code: Some(NumberOrString::String(problem.code.to_owned())),
                source: Some(SOURCE.to_owned()),
                message,
                ..Diagnostic::default()
            });
        } else if problem.severity == Severity::Error {
            elsewhere.push(problem);
        }
    }
    diagnostics.extend(context_diagnostic(&elsewhere, &analysis.sources, encoding));
    diagnostics
}

/// A diagnostic's code, for sorting.
fn code(diagnostic: &Diagnostic) -> &str {
    match &diagnostic.code {
        Some(NumberOrString::String(code)) => code,
        _ => "",
    }
}

/// A range as a sortable key.
fn order(range: &Range) -> (u32, u32, u32, u32) {
    (
        range.start.line,
        range.start.character,
        range.end.line,
        range.end.character,
    )
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    }
}

fn level(level: Level) -> DiagnosticSeverity {
    match level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Note => DiagnosticSeverity::INFORMATION,
    }
}

/// The location of `span`, when its file is in `sources` and has a `file:` URI.
fn location(span: Span, sources: &SourceMap, encoding: Encoding) -> Option<Location> {
    let file = sources.get(span.file)?;
    Some(Location {
        uri: uri::from_path(&file.path)?,
        range: position::range(&file, span, encoding),
    })
}

/// A finding's diagnostic: the rule ID as code, a link to the rule's documentation, and
/// the finding's labels (the workspace that links a dependency, the parameter default that
/// decided a value) as related information. It is shown at `at`: the finding's span, or
/// the span of one of its labels when the finding is reported in another file (which then
/// comes first among the related locations).
fn finding_diagnostic(
    finding: &Finding,
    at: Span,
    document: &SourceFile,
    sources: &SourceMap,
    encoding: Encoding,
) -> Diagnostic {
    let elsewhere = (at != finding.span).then_some((finding.span, "where isolint reports it"));
    let related: Vec<DiagnosticRelatedInformation> = elsewhere
        .into_iter()
        .chain(
            finding
                .labels
                .iter()
                .filter(|label| label.span != at)
                .map(|label| (label.span, label.message.as_str())),
        )
        .filter_map(|(span, message)| {
            Some(DiagnosticRelatedInformation {
                location: location(span, sources, encoding)?,
                message: message.to_owned(),
            })
        })
        .collect();
    Diagnostic {
        range: position::range(document, at, encoding),
        severity: Some(level(finding.level)),
        code: Some(NumberOrString::String(finding.rule.id.to_owned())),
        code_description: Uri::from_str(&finding.rule.help_uri())
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: finding.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}

/// One diagnostic at the top of the document for the files of its deployment that could
/// not be read whole (a parse error in a module, an invalid configuration): its findings
/// may be incomplete, and the related information leads to each problem.
fn context_diagnostic(
    problems: &[&isolint_model::Diagnostic],
    sources: &SourceMap,
    encoding: Encoding,
) -> Option<Diagnostic> {
    let first = problems.first()?;
    let related = problems
        .iter()
        .take(MAX_CONTEXT_PROBLEMS)
        .filter_map(|problem| {
            let location = problem
                .span
                .and_then(|span| location(span, sources, encoding))
                .or_else(|| {
                    Some(Location {
                        uri: uri::from_path(&normalize(&problem.path))?,
                        range: Range::default(),
                    })
                })?;
            Some(DiagnosticRelatedInformation {
                location,
                message: problem.message.clone(),
            })
        })
        .collect::<Vec<_>>();
    let more = match problems.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    Some(Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::WARNING),
        code: Some(NumberOrString::String("incomplete-context".to_owned())),
        source: Some(SOURCE.to_owned()),
        message: format!(
            "the findings may be incomplete: {}: {}{more}",
            isolint_model::source::display_name(&first.path),
            first.message
        ),
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    })
}

/// The quick fix of a finding whose rule gave one: preferred when it is safe; an unsafe one
/// is offered with a title that says so, never preferred. Fixes in module caches are not
/// offered (those files are not the user's), nor those `check --fix` would refuse (the span
/// no longer holds a literal of the replacement's kind).
fn fix_action(
    finding: &Finding,
    diagnostic: &Diagnostic,
    sources: &SourceMap,
    cx: &Context<'_>,
) -> Option<CodeAction> {
    let fix = finding.fix.as_ref()?;
    let file = sources.get(fix.span.file)?;
    if file.hidden || !isolint_rules::fix_applies_to(fix, &file.text) {
        return None;
    }
    let safe = fix.safety == Safety::Safe;
    let title = if safe {
        fix.title.clone()
    } else {
        format!(
            "{} (unsafe: it changes a value other deployments may share; review it)",
            fix.title
        )
    };
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(edit(&file, fix.span, &fix.replacement, cx)?),
        is_preferred: Some(safe),
        ..CodeAction::default()
    })
}

/// The "suppress with a reason and an expiry date" action; where the file has no
/// suppression syntax, a disabled action that says what to do instead (for clients that
/// show disabled actions).
fn suppress_action(
    finding: &Finding,
    diagnostic: &Diagnostic,
    suppressor: &mut Suppressor<'_>,
    cx: &Context<'_>,
) -> Option<CodeAction> {
    let action = match suppressor.suppress(finding)? {
        Suppression::Edit {
            title,
            file,
            span,
            text,
        } => CodeAction {
            title,
            edit: Some(edit(&file, span, &text, cx)?),
            ..CodeAction::default()
        },
        Suppression::Unavailable { title, reason } if cx.client.disabled_actions => CodeAction {
            title,
            disabled: Some(CodeActionDisabled { reason }),
            ..CodeAction::default()
        },
        Suppression::Unavailable { .. } => return None,
    };
    Some(CodeAction {
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        is_preferred: Some(false),
        ..action
    })
}

/// The workspace edit that replaces `span` of `file` with `text`: versioned when the client
/// takes `documentChanges`, so that it refuses the edit if the document changed since.
fn edit(file: &SourceFile, span: Span, text: &str, cx: &Context<'_>) -> Option<WorkspaceEdit> {
    let uri = uri::from_path(&file.path)?;
    let edit = TextEdit {
        range: position::range(file, span, cx.client.encoding),
        new_text: text.to_owned(),
    };
    Some(if cx.client.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri,
                    version: cx.versions.get(&file.path).copied(),
                },
                edits: vec![OneOf::Left(edit)],
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri, vec![edit])])),
            ..WorkspaceEdit::default()
        }
    })
}

#[cfg(test)]
mod tests;
