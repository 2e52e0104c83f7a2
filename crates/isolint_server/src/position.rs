//! Byte spans to LSP positions: a line and a column counted in the encoding the client and
//! the server agreed on (UTF-16 code units unless the client offered UTF-8). Spans are
//! converted here, once, when an analysis is turned into diagnostics.

use isolint_model::{SourceFile, Span};
use lsp_types::{Position, PositionEncodingKind, Range};

/// What a column counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-16 code units: the protocol's default, which every client understands.
    Utf16,
    /// Bytes of UTF-8, when the client offers it: no counting at all.
    Utf8,
}

impl Encoding {
    /// The encoding to use among those the client offers (`general.positionEncodings`):
    /// UTF-8 when offered, else UTF-16.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
            Self::Utf8
        } else {
            Self::Utf16
        }
    }

    /// The name the server announces.
    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Self::Utf16 => PositionEncodingKind::UTF16,
            Self::Utf8 => PositionEncodingKind::UTF8,
        }
    }
}

/// The position of byte `offset` of `file` (clamped to the text, and back to the start of
/// a character it falls inside).
pub(crate) fn position(file: &SourceFile, offset: u32, encoding: Encoding) -> Position {
    let text = &*file.text;
    let mut offset = (offset as usize).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = file
        .position(u32::try_from(offset).unwrap_or(u32::MAX))
        .line;
    let start = file
        .lines
        .line_range(text, line)
        .map_or(0, |range| range.start.min(offset));
    let before = text.get(start..offset).unwrap_or("");
    let character = match encoding {
        Encoding::Utf16 => before.encode_utf16().count(),
        Encoding::Utf8 => before.len(),
    };
    Position {
        line: line.saturating_sub(1),
        character: u32::try_from(character).unwrap_or(u32::MAX),
    }
}

/// The range of `span` in `file`.
pub(crate) fn range(file: &SourceFile, span: Span, encoding: Encoding) -> Range {
    Range {
        start: position(file, span.start, encoding),
        end: position(file, span.end, encoding),
    }
}

/// Whether two ranges share a position (touching counts: a cursor at the end of a
/// diagnostic is on it).
pub(crate) fn touches(a: &Range, b: &Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use isolint_model::SourceMap;

    use super::*;

    fn file(text: &str) -> std::sync::Arc<SourceFile> {
        SourceMap::new().add(Path::new("/t/main.bicep"), text.into())
    }

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn columns_count_utf16_units_by_default() {
        // 'é' is 2 bytes and 1 UTF-16 unit; '𝔸' is 4 bytes and 2 UTF-16 units.
        let text = "x\n  name: 'été𝔸' // ok\n";
        let file = file(text);
        let ok = u32::try_from(text.find("ok").unwrap()).unwrap();
        assert_eq!(position(&file, ok, Encoding::Utf16), at(1, 19));
        assert_eq!(position(&file, ok, Encoding::Utf8), at(1, 23));
        assert_eq!(position(&file, 0, Encoding::Utf16), at(0, 0));
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        let text = "a\u{e9}b\r\nz";
        let file = file(text);
        // Byte 2 is inside 'é': the position of 'é' itself.
        assert_eq!(position(&file, 2, Encoding::Utf16), at(0, 1));
        // The '\r' of a CRLF belongs to the line.
        assert_eq!(position(&file, 4, Encoding::Utf16), at(0, 3));
        assert_eq!(position(&file, 999, Encoding::Utf16), at(1, 1));
    }

    #[test]
    fn ranges_convert_both_ends() {
        let text = "param x = '\u{1F600}'\nresource r 'T@1' = {}\n";
        let file = file(text);
        let start = text.find("resource").unwrap();
        let span = Span::new(file.id, start, start + "resource".len());
        let range = range(&file, span, Encoding::Utf16);
        assert_eq!(range.start, at(1, 0));
        assert_eq!(range.end, at(1, 8));
        let emoji = text.find('\'').unwrap() + 1;
        let span = Span::new(file.id, emoji, emoji + 4);
        assert_eq!(super::range(&file, span, Encoding::Utf16).end, at(0, 13));
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF16])),
            Encoding::Utf16
        );
        assert_eq!(
            Encoding::negotiate(Some(&[
                PositionEncodingKind::UTF32,
                PositionEncodingKind::UTF8
            ])),
            Encoding::Utf8
        );
    }

    #[test]
    fn touching_ranges_overlap() {
        let r = |a, b, c, d| Range {
            start: at(a, b),
            end: at(c, d),
        };
        assert!(touches(&r(1, 0, 1, 5), &r(1, 5, 1, 5)));
        assert!(touches(&r(1, 0, 3, 0), &r(2, 0, 2, 1)));
        assert!(!touches(&r(1, 0, 1, 5), &r(1, 6, 1, 7)));
    }
}
