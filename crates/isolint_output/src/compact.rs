//! The compact format: `file:line:col: level[ID name] message`, one line per finding, for
//! editors' problem matchers and `grep`.

use std::fmt::Write as _;

use crate::Report;
use crate::location::{locate, one_line, placed_diagnostics, severity_name};

/// Findings first (in the engine's order), then diagnostics (by path and position).
pub(crate) fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for finding in report.findings {
        match locate(report.sources, finding.span) {
            Some(at) => {
                let _ = write!(out, "{}:{}:{}: ", at.path(), at.start.line, at.start.column);
            }
            None => out.push_str("<unknown>: "),
        }
        let _ = writeln!(
            out,
            "{}[{} {}] {}",
            finding.level,
            finding.rule.id,
            finding.rule.name,
            one_line(&finding.message)
        );
    }
    for placed in placed_diagnostics(report.sources, report.diagnostics) {
        let diagnostic = placed.diagnostic;
        match &placed.location {
            Some(at) => {
                let _ = write!(
                    out,
                    "{}:{}:{}: ",
                    placed.path, at.start.line, at.start.column
                );
            }
            None => {
                let _ = write!(out, "{}: ", placed.path);
            }
        }
        let _ = writeln!(
            out,
            "{}[{}] {}",
            severity_name(diagnostic.severity),
            diagnostic.code,
            one_line(&diagnostic.message)
        );
    }
    out
}
