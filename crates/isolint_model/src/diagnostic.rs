//! Diagnostics about the input itself (parse errors, unreadable files, evaluation limits),
//! as opposed to rule findings.

use std::cmp::Reverse;
use std::path::PathBuf;

use rustc_hash::FxHashMap;

use crate::source::Span;

/// How many diagnostics one file shows; the rest are summed up in one more, "and N more".
/// A file with 500,000 bad lines would otherwise give 500,000 diagnostics (193 MB of
/// JSON), and after the first hundred a reader learns nothing new.
pub const MAX_PER_FILE: usize = 100;

/// The code of the diagnostic that sums up those [`cap_per_file`] leaves out.
pub const MORE_CODE: &str = "more-diagnostics";

/// How serious a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Information (a module that was not followed, a skipped file).
    Note,
    /// Something was read but may be misread (a copy count beyond ARM's limit).
    Warning,
    /// The file (or part of it) could not be read: the run exits with code 2.
    Error,
}

/// A problem with the input, located in a file and, where possible, at a span.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A short stable code (`parse-error`, `io-error`, `copy-limit`).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The file concerned.
    pub path: PathBuf,
    /// Where in the file, when the file could be read.
    pub span: Option<Span>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error diagnostic.
    pub fn error(code: &'static str, message: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            path: path.into(),
            span: None,
            help: None,
        }
    }

    /// A warning diagnostic.
    pub fn warning(
        code: &'static str,
        message: impl Into<String>,
        path: impl Into<PathBuf>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message, path)
        }
    }

    /// A note diagnostic.
    pub fn note(code: &'static str, message: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Self {
            severity: Severity::Note,
            ..Self::error(code, message, path)
        }
    }

    /// The same diagnostic located at `span`.
    #[must_use]
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// The same diagnostic with help.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// What a diagnostic that stands for `hidden` others left out in the same file says.
/// Frontends that cap their own diagnostics (the Bicep parser) say it the same way, so that
/// [`cap_per_file`] can count what their summary stands for.
pub fn and_more(hidden: usize) -> String {
    format!("and {hidden} more diagnostics in this file (isolint shows the first {MAX_PER_FILE})")
}

/// How many diagnostics `message`, written by [`and_more`], stands for.
fn hidden_by(message: &str) -> Option<usize> {
    let (count, _) = message.strip_prefix("and ")?.split_once(' ')?;
    let count = count.parse().ok()?;
    (and_more(count) == message).then_some(count)
}

/// Keeps at most `limit` diagnostics per file and replaces each file's others with one
/// diagnostic, "and N more", at the first of them, as serious as the most serious of them
/// (so that the exit code does not change). The kept ones are the first by position
/// (then severity, code and message), whatever the order of `diagnostics`, which is
/// otherwise kept; summaries already in the list (a frontend's own cap) are merged into
/// their file's, counting what they stand for.
pub fn cap_per_file(diagnostics: &mut Vec<Diagnostic>, limit: usize) {
    struct Left {
        count: usize,
        severity: Severity,
        first: usize,
    }
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by_cached_key(|&i| {
        let d = &diagnostics[i];
        (
            d.path.clone(),
            d.span.map(|s| (s.start, s.end)),
            Reverse(d.severity),
            d.code,
            d.message.clone(),
        )
    });
    let mut shown: FxHashMap<&PathBuf, usize> = FxHashMap::default();
    let mut left: FxHashMap<&PathBuf, Left> = FxHashMap::default();
    let mut keep = vec![true; diagnostics.len()];
    for i in order {
        let diagnostic = &diagnostics[i];
        let count = match hidden_by(&diagnostic.message) {
            Some(count) => count,
            None => {
                let shown = shown.entry(&diagnostic.path).or_default();
                if *shown < limit {
                    *shown += 1;
                    continue;
                }
                1
            }
        };
        keep[i] = false;
        let entry = left.entry(&diagnostic.path).or_insert(Left {
            count: 0,
            severity: diagnostic.severity,
            first: i,
        });
        entry.count += count;
        entry.severity = entry.severity.max(diagnostic.severity);
    }
    let mut summaries: Vec<(usize, Diagnostic)> = left
        .into_values()
        .map(|left| {
            let first = &diagnostics[left.first];
            let summary = Diagnostic {
                severity: left.severity,
                code: MORE_CODE,
                message: and_more(left.count),
                path: first.path.clone(),
                span: first.span,
                help: None,
            };
            (left.first, summary)
        })
        .collect();
    summaries.sort_by_key(|(first, _)| *first);
    let mut index = 0;
    diagnostics.retain(|_| {
        index += 1;
        keep[index - 1]
    });
    diagnostics.extend(summaries.into_iter().map(|(_, summary)| summary));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn at(path: &str, line: usize, severity: Severity) -> Diagnostic {
        Diagnostic {
            severity,
            ..Diagnostic::error("parse-error", format!("bad line {line}"), path).at(Span::new(
                FileId(0),
                line * 10,
                line * 10 + 1,
            ))
        }
    }

    #[test]
    fn each_file_keeps_its_first_diagnostics_and_one_summary() {
        let mut diagnostics: Vec<Diagnostic> = (0..250)
            .rev()
            .map(|line| at("big.bicep", line, Severity::Warning))
            .collect();
        diagnostics[0].severity = Severity::Error;
        diagnostics.push(at("small.bicep", 1, Severity::Warning));
        cap_per_file(&mut diagnostics, 100);
        assert_eq!(diagnostics.len(), 102);
        let big: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.path.ends_with("big.bicep") && d.code != MORE_CODE)
            .collect();
        assert_eq!(big.len(), 100);
        // The first by position, in the order they came in.
        assert_eq!(big[0].message, "bad line 99");
        assert_eq!(big[99].message, "bad line 0");
        let summary = &diagnostics[101];
        assert_eq!(summary.code, MORE_CODE);
        assert_eq!(summary.message, and_more(150));
        assert_eq!(
            summary.severity,
            Severity::Error,
            "as serious as the worst left out"
        );
        assert_eq!(
            summary.span.map(|s| s.start),
            Some(1000),
            "at the first left out"
        );
    }

    #[test]
    fn a_frontend_summary_is_merged_and_counted() {
        let mut diagnostics: Vec<Diagnostic> = (0..101)
            .map(|line| at("a.bicep", line, Severity::Error))
            .collect();
        diagnostics.push(
            Diagnostic::error("parse-error", and_more(499_899), "a.bicep").at(Span::new(
                FileId(0),
                2000,
                2001,
            )),
        );
        cap_per_file(&mut diagnostics, 100);
        assert_eq!(diagnostics.len(), 101);
        assert_eq!(diagnostics[100].message, and_more(499_900));
        assert_eq!(hidden_by(&diagnostics[100].message), Some(499_900));
        assert_eq!(hidden_by("and then some"), None);
    }

    #[test]
    fn a_file_within_the_limit_is_untouched() {
        let mut diagnostics = vec![at("a.tf", 2, Severity::Note), at("a.tf", 1, Severity::Note)];
        cap_per_file(&mut diagnostics, 2);
        assert_eq!(diagnostics.len(), 2);
        assert_eq!(diagnostics[0].message, "bad line 2");
    }
}
