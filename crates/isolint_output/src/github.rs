//! The GitHub format: one workflow command per finding and per diagnostic
//! (`::error file=F,line=L,col=C,title=ID name::message`), which GitHub
//! Actions turns into annotations on the pull request's diff.

use std::fmt::Write as _;

use isolint_model::Severity;
use isolint_rules::Level;

use crate::Report;
use crate::location::{Located, locate, placed_diagnostics};

/// Findings first (in the engine's order), then diagnostics (by path and position).
pub(crate) fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for finding in report.findings {
        let command = match finding.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let title = format!("{} {}", finding.rule.id, finding.rule.name);
        let location = locate(report.sources, finding.span);
        let path = location.as_ref().map(|at| at.path().to_owned());
        line(
            &mut out,
            command,
            path.as_deref(),
            location.as_ref(),
            &title,
            &finding.message,
        );
    }
    for placed in placed_diagnostics(report.sources, report.diagnostics) {
        let diagnostic = placed.diagnostic;
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        line(
            &mut out,
            command,
            Some(&placed.path),
            placed.location.as_ref(),
            diagnostic.code,
            &diagnostic.message,
        );
    }
    out
}

fn line(
    out: &mut String,
    command: &str,
    path: Option<&str>,
    at: Option<&Located>,
    title: &str,
    message: &str,
) {
    let mut properties = Vec::new();
    if let Some(path) = path {
        properties.push(format!("file={}", property(path)));
    }
    if let Some(at) = at {
        properties.push(format!("line={}", at.start.line));
        properties.push(format!("col={}", at.start.column));
    }
    properties.push(format!("title={}", property(title)));
    let _ = writeln!(
        out,
        "::{command} {}::{}",
        properties.join(","),
        data(message)
    );
}

/// Escapes a command's message: `%`, CR and LF.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as [`data`], plus `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(data("50% of a\nb"), "50%25 of a%0Ab");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
