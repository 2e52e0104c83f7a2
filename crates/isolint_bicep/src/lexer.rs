//! The Bicep lexer: tokens with byte spans, newlines as tokens (Bicep is newline-sensitive),
//! comments and `#disable-next-line` pragmas as trivia, and strings split into pieces around
//! their `${...}` holes, with a stack so that braces inside a hole are matched.

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// An identifier (keywords are contextual, so they are identifiers too).
    Ident,
    /// An unsigned integer.
    Int,
    /// A string without holes: `'abc'`, or a `'''` multi-line string.
    String,
    /// `'abc${`: the text up to the first hole.
    StringLeft,
    /// `}abc${`: text between two holes.
    StringMiddle,
    /// `}abc'`: text after the last hole.
    StringRight,
    /// One or more line breaks.
    NewLine,
    /// Punctuation or an operator, as written (`{`, `&&`, `.?`, `...`).
    Punct(&'static str),
    /// A character or string the lexer could not read; the message says why.
    Error(&'static str),
    /// The end of the file.
    Eof,
}

/// A token.
#[derive(Clone, Debug)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Byte offset of its first character.
    pub start: u32,
    /// Byte offset after its last character.
    pub end: u32,
    /// The decoded text of a string piece (escapes resolved).
    pub value: Option<Box<str>>,
}

/// Bicep's limit on the length of an identifier.
const MAX_IDENTIFIER: usize = 255;

/// Operators, longest first so that the first match is the right one.
const PUNCTS: &[&str] = &[
    "...", "&&", "||", "??", "::", "=>", "==", "!=", "=~", "!~", "<=", ">=", ".?", "{", "}", "(",
    ")", "[", "]", ",", ".", "?", ":", ";", "=", "+", "-", "*", "/", "%", "!", "<", ">", "|", "^",
    "@", "$",
];

/// What the lexer is inside of, for `}`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Brace {
    /// An object or other `{`.
    Plain,
    /// A string hole `${`.
    Hole,
    /// A hole of an interpolating multi-line string opened by this many `$`.
    MultiLineHole(usize),
}

/// Splits `text` into tokens. Never fails: unreadable input becomes [`TokenKind::Error`]
/// tokens, which the parser reports.
pub fn lex(text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        tokens: Vec::new(),
        braces: Vec::new(),
    };
    if text.starts_with('\u{feff}') {
        lexer.pos = 3;
    }
    lexer.run();
    lexer.tokens
}

struct Lexer<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    tokens: Vec<Token>,
    braces: Vec<Brace>,
}

#[expect(
    clippy::cast_possible_truncation,
    reason = "files are capped far below 4 GiB"
)]
fn offset(n: usize) -> u32 {
    n as u32
}

impl Lexer<'_> {
    fn push(&mut self, kind: TokenKind, start: usize, value: Option<Box<str>>) {
        self.tokens.push(Token {
            kind,
            start: offset(start),
            end: offset(self.pos),
            value,
        });
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    /// Whether only blanks precede `pos` on its line.
    fn at_line_start(&self, pos: usize) -> bool {
        self.bytes[..pos]
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n' && b != b'\r')
            .all(|&b| b == b' ' || b == b'\t')
    }

    fn run(&mut self) {
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let c = self.bytes[self.pos];
            match c {
                b' ' | b'\t' => self.pos += 1,
                b'\r' | b'\n' => {
                    while matches!(self.peek(0), b'\r' | b'\n') {
                        self.pos += 1;
                        // Blank lines and comment-only lines join the same NewLine token.
                        while matches!(self.peek(0), b' ' | b'\t') {
                            self.pos += 1;
                        }
                    }
                    self.push(TokenKind::NewLine, start, None);
                }
                b'/' if self.peek(1) == b'/' => {
                    while !matches!(self.peek(0), b'\r' | b'\n' | 0) {
                        self.pos += 1;
                    }
                }
                b'/' if self.peek(1) == b'*' => {
                    self.pos += 2;
                    loop {
                        if self.pos >= self.bytes.len() {
                            self.push(TokenKind::Error("unterminated comment"), start, None);
                            break;
                        }
                        if self.peek(0) == b'*' && self.peek(1) == b'/' {
                            self.pos += 2;
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b'#' if self.at_line_start(start) => {
                    // A pragma (`#disable-next-line code`): trivia up to the line end.
                    while !matches!(self.peek(0), b'\r' | b'\n' | 0) {
                        self.pos += 1;
                    }
                }
                b'\'' if self.peek(1) == b'\'' && self.peek(2) == b'\'' => self.multi_line(start),
                b'$' if self.interpolating_multi_line() > 0 => {
                    let dollars = self.interpolating_multi_line();
                    self.pos += dollars + 3;
                    self.skip_opening_line_break();
                    self.multi_line_piece(start, true, dollars);
                }
                b'\'' => {
                    self.pos += 1;
                    self.string_piece(start, true);
                }
                b'{' => {
                    self.pos += 1;
                    self.braces.push(Brace::Plain);
                    self.push(TokenKind::Punct("{"), start, None);
                }
                b'}' => {
                    self.pos += 1;
                    match self.braces.pop() {
                        Some(Brace::Hole) => self.string_piece(start, false),
                        Some(Brace::MultiLineHole(dollars)) => {
                            self.multi_line_piece(start, false, dollars);
                        }
                        _ => self.push(TokenKind::Punct("}"), start, None),
                    }
                }
                b'0'..=b'9' => {
                    while self.peek(0).is_ascii_digit() {
                        self.pos += 1;
                    }
                    self.push(TokenKind::Int, start, None);
                }
                c if c == b'_' || c.is_ascii_alphabetic() => {
                    while self.peek(0) == b'_' || self.peek(0).is_ascii_alphanumeric() {
                        self.pos += 1;
                    }
                    if self.pos - start > MAX_IDENTIFIER {
                        self.push(
                            TokenKind::Error("an identifier is longer than 255 characters"),
                            start,
                            None,
                        );
                    } else {
                        self.push(TokenKind::Ident, start, None);
                    }
                }
                _ => {
                    let rest = &self.bytes[self.pos..];
                    if let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(p.as_bytes())) {
                        self.pos += p.len();
                        self.push(TokenKind::Punct(p), start, None);
                    } else {
                        // Skip one whole character, whatever its UTF-8 length.
                        let len = self.text[self.pos..]
                            .chars()
                            .next()
                            .map_or(1, char::len_utf8);
                        self.pos += len;
                        self.push(TokenKind::Error("unexpected character"), start, None);
                    }
                }
            }
        }
        let end = self.bytes.len();
        self.tokens.push(Token {
            kind: TokenKind::Eof,
            start: offset(end),
            end: offset(end),
            value: None,
        });
    }

    /// `'''...'''`: raw text, no escapes or holes; a line break right after the opening
    /// quotes is dropped; the string ends at the first run of three or more quotes (extra
    /// quotes belong to the content).
    fn multi_line(&mut self, start: usize) {
        self.pos += 3;
        if self.peek(0) == b'\r' && self.peek(1) == b'\n' {
            self.pos += 2;
        } else if matches!(self.peek(0), b'\r' | b'\n') {
            self.pos += 1;
        }
        let content_start = self.pos;
        loop {
            if self.pos >= self.bytes.len() {
                self.push(
                    TokenKind::Error("unterminated multi-line string"),
                    start,
                    None,
                );
                return;
            }
            if self.bytes[self.pos..].starts_with(b"'''") {
                let mut run = 3;
                while self.peek(run) == b'\'' {
                    run += 1;
                }
                let content_end = self.pos + run - 3;
                let value = self.text[content_start..content_end].into();
                self.pos += run;
                self.push(TokenKind::String, start, Some(value));
                return;
            }
            self.pos += 1;
        }
    }

    /// How many `$` open an interpolating multi-line string `$'''` here (0: none).
    fn interpolating_multi_line(&self) -> usize {
        let mut dollars = 0;
        while self.peek(dollars) == b'$' {
            dollars += 1;
        }
        let quotes = (0..3).all(|i| self.peek(dollars + i) == b'\'');
        if quotes { dollars } else { 0 }
    }

    fn skip_opening_line_break(&mut self) {
        if self.peek(0) == b'\r' && self.peek(1) == b'\n' {
            self.pos += 2;
        } else if matches!(self.peek(0), b'\r' | b'\n') {
            self.pos += 1;
        }
    }

    /// Text of an interpolating multi-line string (`$'''...'''`): raw, up to the closing
    /// quotes or to a hole opened by `dollars` `$` and `{`.
    fn multi_line_piece(&mut self, start: usize, opening: bool, dollars: usize) {
        let content_start = self.pos;
        loop {
            if self.pos >= self.bytes.len() {
                self.push(
                    TokenKind::Error("unterminated multi-line string"),
                    start,
                    None,
                );
                return;
            }
            if self.bytes[self.pos..].starts_with(b"'''") {
                let mut run = 3;
                while self.peek(run) == b'\'' {
                    run += 1;
                }
                let value = self.text[content_start..self.pos + run - 3].into();
                self.pos += run;
                let kind = if opening {
                    TokenKind::String
                } else {
                    TokenKind::StringRight
                };
                self.push(kind, start, Some(value));
                return;
            }
            if (0..dollars).all(|i| self.peek(i) == b'$') && self.peek(dollars) == b'{' {
                let value = self.text[content_start..self.pos].into();
                self.pos += dollars + 1;
                self.braces.push(Brace::MultiLineHole(dollars));
                let kind = if opening {
                    TokenKind::StringLeft
                } else {
                    TokenKind::StringMiddle
                };
                self.push(kind, start, Some(value));
                return;
            }
            let len = self.text[self.pos..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
            self.pos += len;
        }
    }

    /// Reads string text after `'` (`opening`) or after the `}` that closes a hole, up to
    /// the closing `'` or the next `${`.
    fn string_piece(&mut self, start: usize, opening: bool) {
        let mut value = String::new();
        loop {
            let c = self.peek(0);
            match c {
                0 if self.pos >= self.bytes.len() => {
                    self.push(TokenKind::Error("unterminated string"), start, None);
                    return;
                }
                b'\r' | b'\n' => {
                    self.push(
                        TokenKind::Error("a line break inside a single-line string"),
                        start,
                        None,
                    );
                    return;
                }
                b'\'' => {
                    self.pos += 1;
                    let kind = if opening {
                        TokenKind::String
                    } else {
                        TokenKind::StringRight
                    };
                    self.push(kind, start, Some(value.into()));
                    return;
                }
                b'$' if self.peek(1) == b'{' => {
                    self.pos += 2;
                    self.braces.push(Brace::Hole);
                    let kind = if opening {
                        TokenKind::StringLeft
                    } else {
                        TokenKind::StringMiddle
                    };
                    self.push(kind, start, Some(value.into()));
                    return;
                }
                b'\\' => {
                    self.pos += 1;
                    match self.peek(0) {
                        b'n' => value.push('\n'),
                        b'r' => value.push('\r'),
                        b't' => value.push('\t'),
                        b'\\' => value.push('\\'),
                        b'\'' => value.push('\''),
                        b'$' => value.push('$'),
                        b'u' if self.peek(1) == b'{' => {
                            let digits_start = self.pos + 2;
                            let mut end = digits_start;
                            while self.bytes.get(end).is_some_and(u8::is_ascii_hexdigit) {
                                end += 1;
                            }
                            let decoded = u32::from_str_radix(&self.text[digits_start..end], 16)
                                .ok()
                                .and_then(char::from_u32);
                            if let (Some(ch), Some(b'}')) = (decoded, self.bytes.get(end)) {
                                value.push(ch);
                                self.pos = end;
                            } else {
                                self.push(TokenKind::Error("invalid \\u{...} escape"), start, None);
                                self.skip_string_rest();
                                return;
                            }
                        }
                        _ => {
                            self.push(TokenKind::Error("invalid escape sequence"), start, None);
                            self.skip_string_rest();
                            return;
                        }
                    }
                    self.pos += 1;
                }
                _ => {
                    let len = self.text[self.pos..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
                    value.push_str(&self.text[self.pos..self.pos + len]);
                    self.pos += len;
                }
            }
        }
    }

    /// After a bad escape: skips to the closing quote or the line end.
    fn skip_string_rest(&mut self) {
        while !matches!(self.peek(0), b'\'' | b'\r' | b'\n' | 0) {
            self.pos += 1;
        }
        if self.peek(0) == b'\'' {
            self.pos += 1;
        }
    }
}
