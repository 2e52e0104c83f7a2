//! `isolint diff`'s report: the working tree's findings compared with a base revision's
//! (new, unchanged, and absent: fixed or gone with their resource), led by the change
//! rules' findings, which make the migration plan. Text, JSON, SARIF (each result with its
//! `baselineState`) and Markdown (the pull request's job summary).

use std::fmt::Write as _;

use isolint_model::{Diagnostic, SourceMap};
use isolint_rules::change::CHANGE_RULES;
use isolint_rules::{Finding, Level, Rule};
use serde_json::{Value, json};

use crate::markdown::{code, counted, located, message, push_tables};
use crate::sarif::Baseline;
use crate::{Report, TextOptions, compact, json, sarif, text};

/// The formats of `isolint diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    /// The new findings with source snippets, then the fixed ones, one line each.
    Text,
    /// The JSON document of `check`, each finding with its `baselineState`, and the absent
    /// findings apart.
    Json,
    /// SARIF 2.1.0 with `baselineState` on every result.
    Sarif,
    /// A pull-request summary: the migration plan, the new findings, the fixed ones.
    Markdown,
}

/// A comparison of the working tree with a base revision.
pub struct DiffReport<'a> {
    /// The base revision as it was named (`main`, `origin/main`).
    pub base: &'a str,
    /// The base revision's commit, abbreviated.
    pub commit: &'a str,
    /// Whether the files read are the same at both revisions: then there is nothing to
    /// review, the three lists are empty, and the text and Markdown say so.
    pub same_files: bool,
    /// Findings of the working tree that the base revision does not have, the change
    /// rules' among them, sorted.
    pub new: &'a [Finding],
    /// Findings the base revision has too, sorted.
    pub unchanged: &'a [Finding],
    /// Findings of the base revision that are gone, sorted, located in `base_sources`.
    pub absent: &'a [Finding],
    /// Problems with the working tree's input.
    pub diagnostics: &'a [Diagnostic],
    /// The working tree's files.
    pub sources: &'a SourceMap,
    /// The base revision's files.
    pub base_sources: &'a SourceMap,
    /// The rules that ran.
    pub rules: &'a [&'static Rule],
    /// How many files of the working tree were checked, as the run summary counts them.
    pub files: usize,
}

impl<'a> DiffReport<'a> {
    /// The new findings as a report of the working tree.
    fn new_report(&self) -> Report<'a> {
        self.report(self.new, self.sources, self.diagnostics)
    }

    fn report(
        &self,
        findings: &'a [Finding],
        sources: &'a SourceMap,
        diagnostics: &'a [Diagnostic],
    ) -> Report<'a> {
        Report {
            findings,
            diagnostics,
            sources,
            rules: self.rules,
            suppressed: &[],
            files: self.files,
        }
    }

    /// `` `main` (1a2b3c4) ``.
    fn base_name(&self) -> String {
        format!("`{}` ({})", self.base, self.commit)
    }
}

/// Renders `report` in `format`; `text` is used by [`DiffFormat::Text`] only.
pub fn render_diff(format: DiffFormat, report: &DiffReport<'_>, text: &TextOptions) -> String {
    match format {
        DiffFormat::Text => render_text(report, text),
        DiffFormat::Json => render_json(report),
        DiffFormat::Sarif => {
            let baseline = Baseline {
                unchanged: report.unchanged,
                absent: report.absent,
                base_sources: report.base_sources,
            };
            sarif::render_with_baseline(&report.new_report(), &baseline)
        }
        DiffFormat::Markdown => render_markdown(report),
    }
}

fn render_text(report: &DiffReport<'_>, options: &TextOptions) -> String {
    if report.same_files {
        return format!(
            "No change to the infrastructure files since {}.\n",
            report.base_name()
        );
    }
    let mut out = text::render(&report.new_report(), options);
    if report.new.is_empty() {
        let _ = writeln!(out, "No new findings since {}.", report.base_name());
    }
    if !report.absent.is_empty() {
        let _ = writeln!(
            out,
            "\nFixed since {}: {}",
            report.base_name(),
            counted(report.absent.len(), "finding", "findings")
        );
        let fixed = compact::render(&report.report(report.absent, report.base_sources, &[]));
        for line in fixed.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if !report.unchanged.is_empty() {
        let _ = writeln!(
            out,
            "\n{} unchanged since {}: JSON and SARIF output list them.",
            counted(report.unchanged.len(), "finding", "findings"),
            report.base_name()
        );
    }
    out
}

/// `check`'s JSON document of the new and unchanged findings, each with its
/// `baselineState`, with the absent findings in `absent`, the base revision in `base`, and
/// the three counts in `summary`.
fn render_json(report: &DiffReport<'_>) -> String {
    let (new, unchanged, absent) = (report.new, report.unchanged, report.absent);
    let mut document = json_document(&report.report(new, report.sources, report.diagnostics));
    let mut findings = with_state(&document, "new");
    findings.extend(with_state(
        &json_document(&report.report(unchanged, report.sources, &[])),
        "unchanged",
    ));
    let absent_findings = with_state(
        &json_document(&report.report(absent, report.base_sources, &[])),
        "absent",
    );
    if let Some(object) = document.as_object_mut() {
        object.insert(
            "base".to_owned(),
            json!({ "revision": report.base, "commit": report.commit }),
        );
        object.insert("findings".to_owned(), Value::Array(findings));
        object.insert("absent".to_owned(), Value::Array(absent_findings));
        if let Some(summary) = object.get_mut("summary").and_then(Value::as_object_mut) {
            summary.insert("new".to_owned(), json!(new.len()));
            summary.insert("unchanged".to_owned(), json!(unchanged.len()));
            summary.insert("absent".to_owned(), json!(absent.len()));
        }
    }
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

/// `check`'s JSON document of `report`, as a value.
fn json_document(report: &Report<'_>) -> Value {
    serde_json::from_str(&json::render(report)).unwrap_or(Value::Null)
}

/// The findings of a `check` JSON document, each marked with `state`.
fn with_state(document: &Value, state: &str) -> Vec<Value> {
    let mut findings = document["findings"].as_array().cloned().unwrap_or_default();
    for finding in &mut findings {
        if let Some(object) = finding.as_object_mut() {
            object.insert("baselineState".to_owned(), json!(state));
        }
    }
    findings
}

fn render_markdown(report: &DiffReport<'_>) -> String {
    let mut out = format!("## isolint diff against {}\n\n", report.base_name());
    if report.same_files {
        out.push_str("No change to the infrastructure files.\n");
        return out;
    }
    let count = |level: Level| report.new.iter().filter(|f| f.level == level).count();
    let _ = writeln!(
        out,
        "**{}** ({}, {}, {}), {} unchanged, {} fixed.",
        counted(report.new.len(), "new finding", "new findings"),
        counted(count(Level::Error), "error", "errors"),
        counted(count(Level::Warning), "warning", "warnings"),
        counted(count(Level::Note), "note", "notes"),
        report.unchanged.len(),
        report.absent.len(),
    );

    let (changes, rules): (Vec<Finding>, Vec<Finding>) = report
        .new
        .iter()
        .cloned()
        .partition(|f| CHANGE_RULES.iter().any(|rule| rule.id == f.rule.id));
    if !changes.is_empty() {
        out.push_str("\n### Migration plan\n\nWhat deploying this change does to the resources that exist at the base revision:\n");
        for finding in &changes {
            let at = located(report.sources, finding.span);
            let _ = write!(
                out,
                "\n- **{}** {} {} at {}: {}\n",
                finding.level,
                finding.rule.id,
                finding.rule.name,
                at,
                message(&finding.message)
            );
            if let Some(help) = &finding.help {
                let _ = writeln!(out, "  - To do: {}", message(help));
            }
        }
    }
    if !rules.is_empty() || !report.diagnostics.is_empty() {
        out.push_str("\n### New findings\n");
        push_tables(
            &mut out,
            &report.report(&rules, report.sources, report.diagnostics),
        );
    }
    if !report.absent.is_empty() {
        out.push_str("\n### Fixed\n\n| Rule | Resource | Message |\n|---|---|---|\n");
        for finding in report.absent {
            let _ = writeln!(
                out,
                "| {} {} | {} | {} |",
                finding.rule.id,
                finding.rule.name,
                code(&finding.resource.name),
                message(&finding.message)
            );
        }
    }
    out
}
