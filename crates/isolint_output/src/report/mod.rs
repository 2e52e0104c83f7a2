//! The network-isolation report ([`IsolationReport`]) in three formats: text, JSON and
//! Markdown. The figures come from `isolint_rules::report`; these files only lay them out.

mod json;
mod markdown;
mod text;

use isolint_model::{SourceMap, Span};
use isolint_rules::SuppressionKind;
use isolint_rules::report::{Isolation, IsolationReport};

/// The formats of the isolation report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// Plain text.
    Text,
    /// A JSON document (`docs/output.md`).
    Json,
    /// Markdown tables, for a wiki page or a pull request.
    Markdown,
}

/// Renders `report` in `format`; `sources` turns its spans into files and lines.
pub fn render_report(
    format: ReportFormat,
    report: &IsolationReport,
    sources: &SourceMap,
) -> String {
    match format {
        ReportFormat::Text => text::render(report, sources),
        ReportFormat::Json => json::render(report, sources),
        ReportFormat::Markdown => markdown::render(report, sources),
    }
}

/// A file and a 1-based line: where the report says something is.
struct Location {
    file: String,
    line: u32,
}

impl Location {
    /// Where `span` starts; an empty file name and line 0 when its file is not in `sources`.
    fn of(sources: &SourceMap, span: Span) -> Self {
        sources.get(span.file).map_or(
            Self {
                file: String::new(),
                line: 0,
            },
            |file| Self {
                file: file.name.clone(),
                line: file.position(span.start).line,
            },
        )
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// How people read a status: `not isolated`.
fn status_words(isolation: Isolation) -> &'static str {
    match isolation {
        Isolation::Isolated => "isolated",
        Isolation::NotIsolated => "not isolated",
        Isolation::Unverified => "unverified",
    }
}

/// Where an exception is written, as the report names it.
fn exception_kind(kind: SuppressionKind) -> &'static str {
    match kind {
        SuppressionKind::InSource => "inline",
        SuppressionKind::External => "config",
    }
}

/// `part` of `whole` in percent, with one decimal (`None` when `whole` is zero).
fn percent(part: usize, whole: usize) -> Option<String> {
    if whole == 0 {
        return None;
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    Some(format!("{}.{}", tenths / 10, tenths % 10))
}

/// A percentage for people: `33.3%`, or `n/a` of nothing.
fn percent_text(part: usize, whole: usize) -> String {
    percent(part, whole).map_or_else(|| "n/a".to_owned(), |p| format!("{p}%"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_one_decimal() {
        assert_eq!(percent(1, 3).as_deref(), Some("33.3"));
        assert_eq!(percent(2, 3).as_deref(), Some("66.7"));
        assert_eq!(percent(3, 3).as_deref(), Some("100.0"));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent_text(0, 0), "n/a");
    }
}
