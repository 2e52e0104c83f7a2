//! The Markdown format: a pull-request summary (GitHub's `$GITHUB_STEP_SUMMARY`, a PR
//! comment) with the totals, then one table per rule, then the input problems.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use isolint_rules::{Finding, Level};

use crate::Report;
use crate::location::{locate, placed_diagnostics, severity_name};

/// The summary. Rules come in ID order; rows keep the engine's order.
pub(crate) fn render(report: &Report<'_>) -> String {
    let mut out = String::from("## isolint\n\n");
    let count = |level: Level| report.findings.iter().filter(|f| f.level == level).count();
    let files: std::collections::BTreeSet<_> =
        report.findings.iter().map(|f| f.span.file).collect();
    if report.findings.is_empty() {
        out.push_str("No findings.");
    } else {
        let _ = write!(
            out,
            "**{}** in {}: {}, {}, {}.",
            counted(report.findings.len(), "finding", "findings"),
            counted(files.len(), "file", "files"),
            counted(count(Level::Error), "error", "errors"),
            counted(count(Level::Warning), "warning", "warnings"),
            counted(count(Level::Note), "note", "notes"),
        );
    }
    if !report.suppressed.is_empty() {
        let _ = write!(
            out,
            " {} suppressed.",
            counted(report.suppressed.len(), "finding", "findings")
        );
    }
    out.push('\n');

    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in report.findings {
        by_rule.entry(finding.rule.id).or_default().push(finding);
    }
    for findings in by_rule.values() {
        let rule = findings[0].rule;
        let _ = writeln!(
            out,
            "\n### {} {} ({})\n\n| Level | Location | Resource | Message |\n|---|---|---|---|",
            rule.id,
            rule.name,
            findings.len()
        );
        for finding in findings {
            let location = locate(report.sources, finding.span).map_or_else(
                || "unknown".to_owned(),
                |at| format!("`{}:{}:{}`", at.path(), at.start.line, at.start.column),
            );
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} |",
                finding.level,
                cell(&location),
                cell(&finding.resource.name),
                cell(&finding.message)
            );
        }
    }

    let placed = placed_diagnostics(report.sources, report.diagnostics);
    if !placed.is_empty() {
        out.push_str(
            "\n### Input problems\n\n| Severity | Location | Code | Message |\n|---|---|---|---|\n",
        );
        for placed in placed {
            let location = match &placed.location {
                Some(at) => format!("`{}:{}:{}`", placed.path, at.start.line, at.start.column),
                None => format!("`{}`", placed.path),
            };
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | {} |",
                severity_name(placed.diagnostic.severity),
                cell(&location),
                placed.diagnostic.code,
                cell(&placed.diagnostic.message)
            );
        }
    }
    out
}

fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Text fit for a table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    crate::location::one_line(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_in_their_column() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
