//! The parser for ARM template expressions: the `[...]` strings of a template.
//!
//! The grammar is small: function calls `name(args)` (optionally namespaced, `ns.name`),
//! single-quoted strings with `''` escapes, integers, property access `.name` and indexing
//! `[expr]`. Function names are case-insensitive; they are lower-cased here.

use std::sync::Arc;

use isolint_model::{FileId, Span};

use crate::ir::{Expr, ExprKind};

/// How deeply calls, parentheses and indexes may nest before the parser gives up.
pub const MAX_DEPTH: usize = 128;

/// Where an expression's text sits in its file.
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    /// The file.
    pub file: FileId,
    /// The span of the whole JSON string holding the expression.
    pub string_span: Span,
    /// Byte offset in the file of the expression text's first byte, when the JSON string
    /// has no escapes (so that positions inside it map one to one).
    pub text_start: Option<u32>,
}

impl Placement {
    fn span(&self, start: usize, end: usize) -> Span {
        match self.text_start {
            Some(base) => Span::new(self.file, base as usize + start, base as usize + end),
            None => self.string_span,
        }
    }
}

/// A syntax error in an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpressionError {
    /// What is wrong.
    pub message: String,
    /// Where: a span inside the string when it can be located, else the whole string.
    pub span: Span,
}

/// What a template string means.
pub enum StringValue<'a> {
    /// A literal (`[[x]` is the literal `[x]`).
    Literal(&'a str),
    /// An expression; the text between the outer brackets.
    Expression(&'a str),
}

/// Classifies a template string: `[...]` is an expression, `[[...` an escaped literal.
pub fn classify(text: &str) -> StringValue<'_> {
    if text.starts_with("[[") {
        return StringValue::Literal(&text[1..]);
    }
    match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(inner) => StringValue::Expression(inner),
        None => StringValue::Literal(text),
    }
}

/// Parses the text of an expression (without its outer brackets). `offset` is the byte
/// offset of `text` inside the JSON string's value (1 for `"[...]"`).
pub fn parse(text: &str, offset: usize, placement: Placement) -> Result<Expr, ExpressionError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        offset,
        placement,
        depth: 0,
    };
    parser.skip_space();
    if parser.at_end() {
        return Err(parser.error_here("the expression is empty"));
    }
    let expr = parser.expression()?;
    parser.skip_space();
    if !parser.at_end() {
        return Err(parser.error_here(&format!(
            "unexpected `{}` after the end of the expression",
            parser.rest_preview()
        )));
    }
    Ok(expr)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    offset: usize,
    placement: Placement,
    depth: usize,
}

impl Parser<'_> {
    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn span(&self, start: usize) -> Span {
        self.placement
            .span(self.offset + start, self.offset + self.pos.max(start))
    }

    fn error_at(&self, start: usize, end: usize, message: &str) -> ExpressionError {
        ExpressionError {
            message: message.to_owned(),
            span: self.placement.span(self.offset + start, self.offset + end),
        }
    }

    fn error_here(&self, message: &str) -> ExpressionError {
        let end = (self.pos + 1).min(self.bytes.len()).max(self.pos);
        self.error_at(self.pos, end, message)
    }

    fn rest_preview(&self) -> String {
        self.text
            .get(self.pos..)
            .unwrap_or("")
            .chars()
            .take(20)
            .collect()
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), ExpressionError> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else if self.at_end() {
            Err(self.error_here(&format!("expected {what}, but the expression ends")))
        } else {
            Err(self.error_here(&format!("expected {what}, found `{}`", self.rest_preview())))
        }
    }

    fn enter(&mut self) -> Result<(), ExpressionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here(&format!(
                "the expression nests more than {MAX_DEPTH} levels deep"
            )));
        }
        Ok(())
    }

    fn expression(&mut self) -> Result<Expr, ExpressionError> {
        self.enter()?;
        self.skip_space();
        let start = self.pos;
        let mut expr = self.primary()?;
        // Every `.name` and `[index]` wraps the expression once more: count them as
        // nesting, or a long chain builds a tree too deep to walk.
        let depth = self.depth;
        loop {
            self.skip_space();
            if matches!(self.peek(), Some(b'.' | b'[')) {
                self.enter()?;
            }
            match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    self.skip_space();
                    let name = self.identifier()?;
                    expr = Expr::new(
                        ExprKind::Member(Box::new(expr), name, false),
                        self.span(start),
                    );
                }
                Some(b'[') => {
                    self.pos += 1;
                    let index = self.expression()?;
                    self.expect(b']', "`]` to close the index")?;
                    expr = Expr::new(
                        ExprKind::Index(Box::new(expr), Box::new(index), false),
                        self.span(start),
                    );
                }
                _ => break,
            }
        }
        self.depth = depth - 1;
        Ok(expr)
    }

    fn primary(&mut self) -> Result<Expr, ExpressionError> {
        let start = self.pos;
        match self.peek() {
            Some(b'\'') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'(') => {
                self.pos += 1;
                let inner = self.expression()?;
                self.expect(b')', "`)`")?;
                Ok(inner)
            }
            Some(c) if is_identifier_start(c) => {
                let mut name = self.identifier()?.to_string();
                self.skip_space();
                // A namespaced user-defined function: `ns.name(...)`.
                if self.peek() == Some(b'.') {
                    let save = self.pos;
                    self.pos += 1;
                    self.skip_space();
                    if self.peek().is_some_and(is_identifier_start) {
                        let member = self.identifier()?;
                        self.skip_space();
                        if self.peek() == Some(b'(') {
                            name = format!("{name}.{member}");
                        } else {
                            self.pos = save;
                        }
                    } else {
                        self.pos = save;
                    }
                }
                self.skip_space();
                if self.peek() == Some(b'(') {
                    self.pos += 1;
                    let args = self.arguments()?;
                    let lower = name.to_ascii_lowercase();
                    return Ok(Expr::new(
                        ExprKind::Call(lower.into(), args),
                        self.span(start),
                    ));
                }
                // Bare words are not ARM, but `true`, `false` and `null` are unambiguous.
                match name.to_ascii_lowercase().as_str() {
                    "true" => Ok(Expr::new(ExprKind::Bool(true), self.span(start))),
                    "false" => Ok(Expr::new(ExprKind::Bool(false), self.span(start))),
                    "null" => Ok(Expr::new(ExprKind::Null, self.span(start))),
                    _ => Err(self.error_at(
                        start,
                        self.pos,
                        &format!("`{name}` is not a function call: expected `(` after it"),
                    )),
                }
            }
            None => Err(self.error_here("expected a value, but the expression ends")),
            Some(_) => Err(self.error_here(&format!(
                "expected a function call, a string or a number, found `{}`",
                self.rest_preview()
            ))),
        }
    }

    fn arguments(&mut self) -> Result<Vec<Expr>, ExpressionError> {
        let open = self.pos - 1;
        let mut args = Vec::new();
        self.skip_space();
        if self.peek() == Some(b')') {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            args.push(self.expression()?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b')') => {
                    self.pos += 1;
                    return Ok(args);
                }
                None => {
                    return Err(self.error_at(
                        open,
                        open + 1,
                        "unbalanced parentheses: this `(` is never closed",
                    ));
                }
                Some(_) => {
                    return Err(self.error_here(&format!(
                        "expected `,` or `)` in the argument list, found `{}`",
                        self.rest_preview()
                    )));
                }
            }
        }
    }

    fn identifier(&mut self) -> Result<Arc<str>, ExpressionError> {
        let start = self.pos;
        if !self.peek().is_some_and(is_identifier_start) {
            return Err(self.error_here("expected a name"));
        }
        while self.peek().is_some_and(is_identifier_char) {
            self.pos += 1;
        }
        Ok(self.text[start..self.pos].into())
    }

    fn string(&mut self) -> Result<Expr, ExpressionError> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        while let Some(rest) = self.text.get(self.pos..) {
            match rest.find('\'') {
                Some(i) => {
                    value.push_str(&rest[..i]);
                    self.pos += i + 1;
                    if self.peek() == Some(b'\'') {
                        value.push('\'');
                        self.pos += 1;
                    } else {
                        return Ok(Expr::new(ExprKind::String(value.into()), self.span(start)));
                    }
                }
                None => break,
            }
        }
        Err(self.error_at(
            start,
            start + 1,
            "this string is never closed: expected a `'`",
        ))
    }

    fn number(&mut self) -> Result<Expr, ExpressionError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            return Err(self.error_here("expected a digit after `-`"));
        }
        let text = &self.text[start..self.pos];
        match text.parse::<i64>() {
            Ok(value) => Ok(Expr::new(ExprKind::Int(value), self.span(start))),
            Err(_) => Err(self.error_at(
                start,
                self.pos,
                &format!("`{text}` does not fit in 64 bits"),
            )),
        }
    }
}

fn is_identifier_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$'
}

fn is_identifier_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Placement {
        Placement {
            file: FileId(0),
            string_span: Span::new(FileId(0), 0, 100),
            text_start: Some(0),
        }
    }

    fn show(expr: &Expr) -> String {
        match &expr.kind {
            ExprKind::Null => "null".into(),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Int(i) => i.to_string(),
            ExprKind::Float(f) => f.to_string(),
            ExprKind::String(s) => format!("{s:?}"),
            ExprKind::Call(name, args) => format!(
                "{name}({})",
                args.iter().map(show).collect::<Vec<_>>().join(", ")
            ),
            ExprKind::Member(target, name, _) => format!("{}.{name}", show(target)),
            ExprKind::Index(target, index, _) => format!("{}[{}]", show(target), show(index)),
            other => format!("{other:?}"),
        }
    }

    fn parsed(text: &str) -> String {
        show(&parse(text, 0, place()).unwrap())
    }

    #[test]
    fn parses_calls_members_and_indexes() {
        assert_eq!(parsed("parameters('x')"), r#"parameters("x")"#);
        assert_eq!(parsed(" Concat( 'a''b' , -12 ) "), r#"concat("a'b", -12)"#);
        assert_eq!(
            parsed("reference(resourceId('A/b', 'n'), '2020-01-01').outputs.id.value"),
            r#"reference(resourceid("A/b", "n"), "2020-01-01").outputs.id.value"#
        );
        assert_eq!(
            parsed("variables('m')[copyIndex()].name"),
            r#"variables("m")[copyindex()].name"#
        );
        assert_eq!(parsed("__bicep.fn(1)"), "__bicep.fn(1)");
        assert_eq!(parsed("(createArray(1))[0]"), "createarray(1)[0]");
    }

    #[test]
    fn classifies_strings() {
        assert!(matches!(classify("[x()]"), StringValue::Expression("x()")));
        assert!(matches!(classify("[[x()]"), StringValue::Literal("[x()]")));
        assert!(matches!(classify("[x] y"), StringValue::Literal("[x] y")));
        assert!(matches!(classify("plain"), StringValue::Literal("plain")));
    }

    #[test]
    fn errors_are_located() {
        let error = parse("concat('a', 'b'", 1, place()).unwrap_err();
        assert!(error.message.contains("never closed"), "{}", error.message);
        assert_eq!(error.span.start, 7, "points at the open parenthesis");
        for bad in ["", "concat(", "'open", "f(1 2)", "x", "f()g", "-", "f(,)"] {
            assert!(parse(bad, 0, place()).is_err(), "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}1{}", "f(".repeat(10_000), ")".repeat(10_000));
        let error = parse(&text, 0, place()).unwrap_err();
        assert!(error.message.contains("levels deep"));
        let parens = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&parens, 0, place()).is_err());
    }

    #[test]
    fn long_member_and_index_chains_count_as_nesting() {
        let members = format!("parameters('p'){}", ".a".repeat(10_000));
        let error = parse(&members, 0, place()).unwrap_err();
        assert!(error.message.contains("levels deep"), "{}", error.message);
        let indexes = format!("parameters('p'){}", "[0]".repeat(10_000));
        assert!(parse(&indexes, 0, place()).is_err());
        // Up to the limit, a chain is fine, also inside calls.
        let fine = format!("f(parameters('p'){})", ".a".repeat(MAX_DEPTH - 2));
        assert!(parse(&fine, 0, place()).is_ok());
    }
}
