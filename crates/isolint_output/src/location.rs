//! Spans to file names, lines and columns, and the ordering of diagnostics: shared by every
//! format, so that they all agree on where a finding is.

use std::sync::Arc;

use isolint_model::source::display_name;
use isolint_model::{Diagnostic, Position, Severity, SourceFile, SourceMap, Span};

/// A span resolved against its file.
pub(crate) struct Located {
    /// The file the span is in.
    pub(crate) file: Arc<SourceFile>,
    /// The clamped byte range (in range, on character boundaries).
    pub(crate) range: std::ops::Range<usize>,
    /// The first character.
    pub(crate) start: Position,
    /// One past the last character (an exclusive end, as SARIF counts).
    pub(crate) end: Position,
}

impl Located {
    /// The file's display name (relative to the working directory, `/` separators).
    pub(crate) fn path(&self) -> &str {
        &self.file.name
    }
}

/// Resolves `span`, clamped into its file; `None` when the file is not in `sources`
/// (a bug upstream, rendered without a position rather than with a wrong one).
pub(crate) fn locate(sources: &SourceMap, span: Span) -> Option<Located> {
    let file = sources.get(span.file)?;
    let range = clamp(&file.text, span);
    let start = file.position(offset(range.start));
    let end = file.position(offset(range.end));
    Some(Located {
        file,
        range,
        start,
        end,
    })
}

/// `span`'s byte range, clamped into `text`: the start moves back and the end forward to
/// a character boundary, so the range is always a valid slice of `text`.
pub(crate) fn clamp(text: &str, span: Span) -> std::ops::Range<usize> {
    let len = text.len();
    let mut start = (span.start as usize).min(len);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    // An empty (or reversed) span stays empty: a position, not the character around it.
    let mut end = if span.end <= span.start {
        start
    } else {
        (span.end as usize).clamp(start, len)
    };
    while end < len && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

fn offset(byte: usize) -> u32 {
    u32::try_from(byte).unwrap_or(u32::MAX)
}

/// A diagnostic with its display path and, when it has a span, its location.
pub(crate) struct PlacedDiagnostic<'a> {
    /// The diagnostic.
    pub(crate) diagnostic: &'a Diagnostic,
    /// The file, as users see it.
    pub(crate) path: String,
    /// Where in the file, when the diagnostic has a span in a known file.
    pub(crate) location: Option<Located>,
}

/// The diagnostics with their paths, ordered by path, position, severity (errors first),
/// code and message, so that no output depends on the order files were read in.
pub(crate) fn placed_diagnostics<'a>(
    sources: &SourceMap,
    diagnostics: &'a [Diagnostic],
) -> Vec<PlacedDiagnostic<'a>> {
    let mut placed: Vec<PlacedDiagnostic<'a>> = diagnostics
        .iter()
        .map(|diagnostic| {
            let location = diagnostic.span.and_then(|span| locate(sources, span));
            let path = match &location {
                Some(located) => located.path().to_owned(),
                None => sources
                    .find(&diagnostic.path)
                    .map_or_else(|| display_name(&diagnostic.path), |f| f.name.clone()),
            };
            PlacedDiagnostic {
                diagnostic,
                path,
                location,
            }
        })
        .collect();
    placed.sort_by(|a, b| {
        let key = |p: &PlacedDiagnostic<'_>| {
            (
                p.location.as_ref().map(|l| (l.start, l.end)),
                std::cmp::Reverse(p.diagnostic.severity),
            )
        };
        a.path
            .cmp(&b.path)
            .then_with(|| key(a).cmp(&key(b)))
            .then_with(|| a.diagnostic.code.cmp(b.diagnostic.code))
            .then_with(|| a.diagnostic.message.cmp(&b.diagnostic.message))
    });
    placed
}

/// The lowercase name of a diagnostic severity, as the formats spell levels.
pub(crate) fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `text` on one line: line breaks become spaces (compact output is one line per item).
pub(crate) fn one_line(text: &str) -> String {
    if text.contains(['\n', '\r']) {
        text.split(['\n', '\r'])
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use isolint_model::FileId;

    #[test]
    fn clamping_keeps_ranges_inside_the_text_and_on_boundaries() {
        let text = "a\u{e9}b"; // bytes: a, 0xC3, 0xA9, b
        let span = |start, end| Span {
            file: FileId(0),
            start,
            end,
        };
        assert_eq!(clamp(text, span(0, 1)), 0..1);
        assert_eq!(clamp(text, span(2, 2)), 1..1);
        assert_eq!(clamp(text, span(2, 3)), 1..3);
        assert_eq!(clamp(text, span(1, 2)), 1..3);
        assert_eq!(clamp(text, span(3, 1)), 3..3);
        assert_eq!(clamp(text, span(9, 99)), 4..4);
    }

    #[test]
    fn one_line_joins_lines() {
        assert_eq!(one_line("a\r\nb\nc"), "a b c");
        assert_eq!(one_line("plain"), "plain");
    }
}
