//! Exit codes, and the summary line that `check` prints on standard error.

use std::process::ExitCode;
use std::time::Duration;

use isolint_model::{Diagnostic, Severity};
use isolint_rules::{Finding, Level};

/// How a run ended. The order matters: a worse outcome wins (`Error` over `Findings`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    /// No finding at or above the fail level (exit code 0).
    Clean,
    /// Findings at or above the fail level (exit code 1).
    Findings,
    /// A usage error, an I/O error or an input that could not be parsed (exit code 2).
    Error,
}

impl Outcome {
    /// The outcome of a check run. isolint's own warnings and notes about the input (a
    /// malformed suppression, a variable that names nothing) count like findings of their
    /// level; its errors mean the input could not be read whole.
    pub(crate) fn of(findings: &[Finding], diagnostics: &[Diagnostic], fail_level: Level) -> Self {
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            Self::Error
        } else if findings.iter().any(|f| f.level >= fail_level)
            || diagnostics
                .iter()
                .filter_map(|d| level_of(d.severity))
                .any(|level| level >= fail_level)
        {
            Self::Findings
        } else {
            Self::Clean
        }
    }

    /// The outcome of reading the input alone: an error when some of it could not be read.
    pub(crate) fn of_input(diagnostics: &[Diagnostic]) -> Self {
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            Self::Error
        } else {
            Self::Clean
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Clean => Self::SUCCESS,
            Outcome::Findings => Self::from(1),
            Outcome::Error => Self::from(2),
        }
    }
}

/// The finding level a diagnostic counts as: its warnings and notes; its errors are input
/// errors of their own.
fn level_of(severity: Severity) -> Option<Level> {
    match severity {
        Severity::Error => None,
        Severity::Warning => Some(Level::Warning),
        Severity::Note => Some(Level::Note),
    }
}

/// `12 files, 3 errors, 1 warning, 2 parse errors in 14 ms`: files checked, findings and
/// isolint's own warnings and notes by level (notes only when there are some), then input
/// errors when there are some.
pub(crate) fn summary(
    files: usize,
    findings: &[Finding],
    diagnostics: &[Diagnostic],
    elapsed: Duration,
) -> String {
    let level_count = |level: Level| {
        findings.iter().filter(|f| f.level == level).count()
            + diagnostics
                .iter()
                .filter(|d| level_of(d.severity) == Some(level))
                .count()
    };
    let error_count = |io: bool| {
        diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && (d.code == "io-error") == io)
            .count()
    };
    let mut parts = vec![
        counted(files, "file", "files"),
        counted(level_count(Level::Error), "error", "errors"),
        counted(level_count(Level::Warning), "warning", "warnings"),
    ];
    let optional = [
        (level_count(Level::Note), "note", "notes"),
        (error_count(false), "parse error", "parse errors"),
        (error_count(true), "I/O error", "I/O errors"),
    ];
    for (count, one, many) in optional {
        if count > 0 {
            parts.push(counted(count, one, many));
        }
    }
    format!("{} in {} ms", parts.join(", "), elapsed.as_millis())
}

/// `1 file`, `2 files`.
pub(crate) fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_pluralizes() {
        let none = summary(1, &[], &[], Duration::from_millis(3));
        assert_eq!(none, "1 file, 0 errors, 0 warnings in 3 ms");
        let io = [
            Diagnostic::error("io-error", "permission denied", "a"),
            Diagnostic::error("parse-error", "expected `}`", "b"),
            Diagnostic::error("parse-error", "expected `]`", "c"),
            Diagnostic::warning("copy-limit", "too many copies", "d"),
        ];
        let some = summary(12, &[], &io, Duration::from_millis(14));
        assert_eq!(
            some,
            "12 files, 0 errors, 1 warning, 2 parse errors, 1 I/O error in 14 ms"
        );
    }

    fn finding(level: Level) -> Finding {
        let span = isolint_model::Span::new(isolint_model::FileId(0), 0, 0);
        Finding {
            rule: isolint_rules::RULES[0],
            level,
            message: String::new(),
            help: None,
            span,
            labels: Vec::new(),
            resource: isolint_rules::ResourceIdentity {
                ty: "Microsoft.MachineLearningServices/workspaces".into(),
                name: "ws".to_owned(),
                qualified_name: "ws".to_owned(),
                identity: "ws".to_owned(),
                declaration: span,
            },
            property: String::new(),
            unresolved: level == Level::Note,
            fix: None,
        }
    }

    #[test]
    fn the_summary_counts_findings_by_level() {
        let findings = [
            finding(Level::Error),
            finding(Level::Error),
            finding(Level::Warning),
            finding(Level::Note),
        ];
        let line = summary(2, &findings, &[], Duration::from_millis(0));
        assert_eq!(line, "2 files, 2 errors, 1 warning, 1 note in 0 ms");
    }

    #[test]
    fn notes_fail_a_run_only_at_fail_level_note() {
        let notes = [finding(Level::Note)];
        assert_eq!(Outcome::of(&notes, &[], Level::Warning), Outcome::Clean);
        assert_eq!(Outcome::of(&notes, &[], Level::Note), Outcome::Findings);
        let warnings = [finding(Level::Warning)];
        assert_eq!(
            Outcome::of(&warnings, &[], Level::Warning),
            Outcome::Findings
        );
        assert_eq!(Outcome::of(&warnings, &[], Level::Error), Outcome::Clean);
    }

    #[test]
    fn errors_in_the_input_win_and_warnings_count_as_findings() {
        let io = [Diagnostic::error("io-error", "permission denied", "a")];
        let warning = [Diagnostic::warning("copy-limit", "too many copies", "d")];
        assert_eq!(Outcome::of(&[], &io, Level::Warning), Outcome::Error);
        assert_eq!(
            Outcome::of(&[], &warning, Level::Warning),
            Outcome::Findings
        );
        assert_eq!(Outcome::of(&[], &warning, Level::Error), Outcome::Clean);
        let errors = [finding(Level::Error)];
        assert_eq!(Outcome::of(&errors, &io, Level::Warning), Outcome::Error);
    }
}
