//! The part of a file that one text report shows: the lines its labels touch, with
//! [`CONTEXT_LINES`] around them, each line longer than [`LONG_LINE`] characters cut to
//! windows around the labels' starts and ends, with `…` for what is left out.
//!
//! A minified template is one line of a megabyte: shown whole, its snippet is unreadable,
//! and miette's graphical handler panics when it pads a label past column 65,535. An
//! excerpt keeps every line miette sees short, whatever the file, and still reports
//! isolint's own line and column in the snippet's header.

use std::ops::Range;
use std::sync::Arc;

use isolint_model::{SourceFile, Span};
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::location::clamp;

/// How many lines miette shows before and after a label; the excerpt holds them.
pub(super) const CONTEXT_LINES: usize = 1;
/// A line with more characters than this is cut around the labels (compiled Bicep
/// writes whole objects on one line of a few hundred characters: those stay whole).
const LONG_LINE: usize = 1_000;
/// How many characters a cut line keeps on each side of a label's start and end.
const KEEP: usize = 80;
/// What stands for the characters a cut line leaves out.
const ELLIPSIS: &str = "…";
/// Two windows closer than this many bytes are shown as one: an ellipsis would save
/// nothing.
const MERGE_GAP: usize = 16;

/// A stretch of the excerpt: a copy of the file, or an ellipsis for a part left out.
struct Piece {
    /// Where it starts in the excerpt.
    at: usize,
    /// The bytes of the file it stands for.
    file: Range<usize>,
    /// Whether it is an ellipsis rather than the text itself.
    cut: bool,
}

/// The text miette reads for one report, and how its offsets map to the file's.
pub(super) struct Excerpt {
    file: Arc<SourceFile>,
    text: String,
    /// The 0-based line of the file where the excerpt starts.
    first_line: usize,
    pieces: Vec<Piece>,
}

impl Excerpt {
    /// The excerpt of `file` that shows `ranges` (byte ranges of the file, clamped to it).
    pub(super) fn new(file: &Arc<SourceFile>, ranges: &[Range<usize>]) -> Self {
        let line_of = |offset: usize| {
            file.position(u32::try_from(offset).unwrap_or(u32::MAX))
                .line as usize
        };
        let first = ranges.iter().map(|r| line_of(r.start)).min().unwrap_or(1);
        let last = ranges
            .iter()
            .map(|r| line_of(r.end.saturating_sub(1).max(r.start)))
            .max()
            .unwrap_or(1);
        let first = first.saturating_sub(CONTEXT_LINES).max(1);
        let last = (last + CONTEXT_LINES).min(file.lines.line_count());
        let mut excerpt = Self {
            file: Arc::clone(file),
            text: String::new(),
            first_line: first - 1,
            pieces: Vec::new(),
        };
        for line in first..=last {
            excerpt.add_line(line, ranges);
        }
        excerpt
    }

    /// Adds 1-based `line` and its line break, cut around `ranges` if it is long.
    fn add_line(&mut self, line: usize, ranges: &[Range<usize>]) {
        let text = Arc::clone(&self.file.text);
        let number = |line: usize| u32::try_from(line).unwrap_or(u32::MAX);
        let Some(content) = self.file.lines.line_range(&text, number(line)) else {
            return;
        };
        let next = self
            .file
            .lines
            .line_range(&text, number(line + 1))
            .map_or(text.len(), |r| r.start);
        let long = text[content.clone()].chars().nth(LONG_LINE).is_some();
        if long {
            let mut position = content.start;
            for window in windows(&text, &content, ranges) {
                if window.start > position {
                    self.push(position..window.start, true);
                }
                self.push(window.clone(), false);
                position = window.end;
            }
            if position < content.end {
                self.push(position..content.end, true);
            }
            self.push(content.end..next, false);
        } else {
            self.push(content.start..next, false);
        }
    }

    fn push(&mut self, file: Range<usize>, cut: bool) {
        if file.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            at: self.text.len(),
            file: file.clone(),
            cut,
        });
        if cut {
            self.text.push_str(ELLIPSIS);
        } else {
            self.text.push_str(&self.file.text[file]);
        }
    }

    /// The excerpt's span for `range`, a byte range of the file.
    pub(super) fn span(&self, range: &Range<usize>) -> SourceSpan {
        let start = self.to_excerpt(range.start);
        let end = self.to_excerpt(range.end).max(start);
        SourceSpan::from(start..end)
    }

    /// The excerpt offset of file offset `offset`: inside an ellipsis, its end (a label
    /// starts and ends only where the text is kept, so this is a fallback).
    fn to_excerpt(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.file.start <= offset);
        let Some(piece) = index.checked_sub(1).and_then(|i| self.pieces.get(i)) else {
            return 0;
        };
        let length = if piece.cut {
            ELLIPSIS.len()
        } else {
            piece.file.len()
        };
        if piece.cut && offset > piece.file.start {
            return piece.at + length;
        }
        piece.at + (offset - piece.file.start).min(length)
    }

    /// The file offset of excerpt offset `offset`.
    fn to_file(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|p| p.at <= offset);
        let Some(piece) = index.checked_sub(1).and_then(|i| self.pieces.get(i)) else {
            return 0;
        };
        if piece.cut {
            return if offset == piece.at {
                piece.file.start
            } else {
                piece.file.end
            };
        }
        (piece.file.start + (offset - piece.at)).min(piece.file.end)
    }
}

/// The byte ranges of the long line `content` to keep: [`KEEP`] characters each side of
/// every label start and end on it (the line's beginning when none is), merged where
/// they touch.
fn windows(text: &str, content: &Range<usize>, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let on_line = |offset: usize| (content.start..=content.end).contains(&offset);
    let mut anchors: Vec<usize> = ranges
        .iter()
        .flat_map(|r| [r.start, r.end])
        .filter(|offset| on_line(*offset))
        .collect();
    if anchors.is_empty() {
        anchors.push(content.start);
    }
    anchors.sort_unstable();
    let mut windows: Vec<Range<usize>> = Vec::new();
    for anchor in anchors {
        let start = text[content.start..anchor]
            .char_indices()
            .rev()
            .nth(KEEP - 1)
            .map_or(content.start, |(i, _)| content.start + i);
        let end = text[anchor..content.end]
            .char_indices()
            .nth(KEEP)
            .map_or(content.end, |(i, _)| anchor + i);
        match windows.last_mut() {
            Some(last) if start <= last.end + MERGE_GAP => last.end = last.end.max(end),
            _ => windows.push(start..end),
        }
    }
    windows
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        let (line, column) = if context_lines_before == 0 {
            // The read miette uses for the header: give it isolint's line and column
            // (characters, not bytes) in the whole file.
            let offset = self.to_file(span.offset());
            let start = clamp(&self.file.text, Span::new(self.file.id, offset, offset)).start;
            let position = self.file.position(u32::try_from(start).unwrap_or(u32::MAX));
            (
                (position.line as usize).saturating_sub(1),
                (position.column as usize).saturating_sub(1),
            )
        } else {
            (contents.line() + self.first_line, contents.column())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.file.name.clone(),
            contents.data(),
            *contents.span(),
            line,
            column,
            contents.line_count() + self.first_line,
        )))
    }
}

impl std::fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Excerpt")
            .field("name", &self.file.name)
            .field("first_line", &self.first_line)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use isolint_model::SourceMap;

    use super::*;

    fn file(text: &str) -> Arc<SourceFile> {
        SourceMap::new().add(Path::new("t.json"), Arc::from(text))
    }

    #[test]
    fn short_lines_are_kept_whole_with_their_context() {
        let file = file("a\nbb\ncc\ndd\ne\n");
        let excerpt = Excerpt::new(&file, std::slice::from_ref(&(5..7)));
        assert_eq!(excerpt.text, "bb\ncc\ndd\n");
        assert_eq!(excerpt.first_line, 1);
        assert_eq!(excerpt.span(&(5..7)), SourceSpan::from(3..5));
        assert_eq!(excerpt.to_file(3), 5);
    }

    #[test]
    fn a_long_line_is_cut_around_each_label() {
        let line = format!(
            "{}X{}Y{}",
            "a".repeat(1000),
            "b".repeat(1000),
            "c".repeat(1000)
        );
        let file = file(&line);
        let x = 1000..1001;
        let y = 2001..2002;
        let excerpt = Excerpt::new(&file, &[x.clone(), y.clone()]);
        let expected = format!(
            "…{}X{}…{}Y{}…",
            "a".repeat(KEEP),
            "b".repeat(KEEP),
            "b".repeat(KEEP),
            "c".repeat(KEEP)
        );
        assert_eq!(excerpt.text, expected);
        for range in [x, y] {
            let span = excerpt.span(&range);
            let shown = &excerpt.text[span.offset()..span.offset() + span.len()];
            assert_eq!(shown, &file.text[range.clone()]);
            assert_eq!(excerpt.to_file(span.offset()), range.start);
        }
    }

    #[test]
    fn a_long_label_keeps_its_ends() {
        let line = "z".repeat(5000);
        let file = file(&line);
        let excerpt = Excerpt::new(&file, std::slice::from_ref(&(100..4900)));
        assert_eq!(excerpt.text.chars().filter(|c| *c == '…').count(), 3);
        let span = excerpt.span(&(100..4900));
        assert!(excerpt.text[span.offset()..].starts_with(&"z".repeat(KEEP)));
        assert!(span.len() < 2 * KEEP + 2 * ELLIPSIS.len() + 1);
    }
}
