//! Source files, byte spans, the line index that turns offsets into lines and columns, and
//! the [`SourceMap`] through which every file is read.

mod map;
mod project;

use std::path::PathBuf;
use std::sync::Arc;

pub use map::{MAX_FILE_SIZE, SourceMap};
pub use project::{PathKind, Project, Refusal, display_name, normalize};

/// Identifies a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct FileId(pub u32);

/// A byte range in one source file. `start == end` marks a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span over `start..end` of `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Self {
            file,
            start: clamp_offset(start),
            end: clamp_offset(end.max(start)),
        }
    }

    /// Whether `other` lies inside this span (same file, nested range).
    pub fn contains(&self, other: Span) -> bool {
        self.file == other.file && self.start <= other.start && other.end <= self.end
    }

    /// The smallest span covering both (which must be in the same file).
    #[must_use]
    pub fn to(&self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span is empty (a position).
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

fn clamp_offset(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// A 1-based line and a 1-based column counted in Unicode scalar values (SARIF's
/// `unicodeCodePoints` column kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// The byte offset where each line starts, built once per file.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`; a `\r` before it belongs to the line.
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| clamp_offset(i + 1)),
        );
        Self { starts }
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The position of byte `offset` in `text` (the text this index was built from).
    /// Offsets past the end, or inside a UTF-8 sequence, are clamped.
    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = offset.min(clamp_offset(text.len()));
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0) as usize;
        let mut end = offset as usize;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text.get(start..end).map_or(0, |s| s.chars().count());
        Position {
            line: clamp_offset(line + 1),
            column: clamp_offset(column + 1),
        }
    }

    /// The byte range of 1-based `line`, without its line break.
    pub fn line_range(&self, text: &str, line: u32) -> Option<std::ops::Range<usize>> {
        let index = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(index)? as usize;
        let mut end = self
            .starts
            .get(index + 1)
            .map_or(text.len(), |&s| s as usize);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        Some(start..end)
    }
}

/// One file that a frontend read.
#[derive(Debug)]
pub struct SourceFile {
    /// Its id in the [`SourceMap`].
    pub id: FileId,
    /// The path it was read from, [`normalize`]d: absolute, without `.` and `..`.
    pub path: PathBuf,
    /// The path as shown to users and written to SARIF: relative to the working directory
    /// when possible, with `/` separators (see [`display_name`]).
    pub name: String,
    /// The whole text.
    pub text: Arc<str>,
    /// Line starts of `text`.
    pub lines: LineIndex,
    /// Read from a module cache: evaluated like any template, but its text must never be
    /// printed (no snippet, no quoted line): renderers check this.
    pub hidden: bool,
}

impl SourceFile {
    /// The position of a byte offset.
    pub fn position(&self, offset: u32) -> Position {
        self.lines.position(&self.text, offset)
    }

    /// The text of a span (empty if the span is out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// The text of 1-based `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        self.lines
            .line_range(&self.text, line)
            .and_then(|r| self.text.get(r))
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "ab\n\u{e9}t\u{e9} x\r\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 3), Position { line: 2, column: 1 });
        // "été x": 'x' is the 5th character but the 7th byte of the line.
        let x = u32::try_from(text.find('x').unwrap()).unwrap();
        assert_eq!(index.position(text, x), Position { line: 2, column: 5 });
        let last = u32::try_from(text.find("last").unwrap()).unwrap();
        assert_eq!(index.position(text, last), Position { line: 3, column: 1 });
        assert_eq!(index.position(text, 999), Position { line: 3, column: 5 });
    }

    #[test]
    fn line_range_drops_line_breaks() {
        let text = "one\r\ntwo\nthree";
        let index = LineIndex::new(text);
        assert_eq!(&text[index.line_range(text, 1).unwrap()], "one");
        assert_eq!(&text[index.line_range(text, 2).unwrap()], "two");
        assert_eq!(&text[index.line_range(text, 3).unwrap()], "three");
        assert!(index.line_range(text, 4).is_none());
        assert!(index.line_range(text, 0).is_none());
    }

    #[test]
    fn offsets_inside_a_character_are_clamped() {
        let text = "\u{e9}x";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1), Position { line: 1, column: 1 });
    }
}
