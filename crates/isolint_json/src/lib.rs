//! isolint's one span-keeping JSON reader: ARM templates and parameter files, Terraform's
//! `.tf.json` and `.tfvars.json`, and every other JSON input isolint reads.
//!
//! `jsonc-parser` does the parsing with everything off but comments (ARM accepts `//` and
//! `/* */`, and raw newlines inside strings, which the parser allows); this crate turns its
//! borrowed AST into an owned [`Json`] tree where every value and key keeps its byte span,
//! so that a finding or an error points at the exact text the user wrote. A byte-order mark
//! is skipped without moving offsets; nesting deeper than [`MAX_NESTING`] is a located
//! error, never a stack overflow. [`to_node`] turns a literal value into a model [`Node`];
//! [`comments`] collects the comments on request (inline suppressions read them).

use std::borrow::Cow;
use std::sync::Arc;

use isolint_model::{Diagnostic, Entry, FileId, Node, NodeKind, Object, SourceFile, Span};
use jsonc_parser::ast;
use jsonc_parser::errors::ParseErrorKind;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

/// How deeply `jsonc-parser` lets arrays, objects and members nest (each object member
/// counts as a level of its own); deeper input is a parse error.
pub const MAX_NESTING: usize = 512;

/// A JSON value with its span.
#[derive(Clone, Debug)]
pub struct Json {
    /// The value.
    pub kind: JsonKind,
    /// Where it is written (for strings: including the quotes).
    pub span: Span,
}

/// The JSON value shapes.
#[derive(Clone, Debug)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as written.
    Number(Arc<str>),
    /// A string.
    String(JsonString),
    /// An array.
    Array(Vec<Json>),
    /// An object, members in source order.
    Object(Vec<Member>),
}

/// A decoded JSON string.
#[derive(Clone, Debug)]
pub struct JsonString {
    /// The decoded text.
    pub text: Arc<str>,
    /// Whether the source spelled the text without escapes, so that byte `i` of `text` is
    /// byte `span.start + 1 + i` of the file (used to locate errors inside expressions).
    pub verbatim: bool,
}

/// One `"key": value` of an object.
#[derive(Clone, Debug)]
pub struct Member {
    /// The decoded key.
    pub key: Arc<str>,
    /// Where the key is written (with quotes).
    pub key_span: Span,
    /// The value.
    pub value: Json,
}

impl Json {
    /// The members, if this is an object.
    pub fn members(&self) -> Option<&[Member]> {
        match &self.kind {
            JsonKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The member `key` of an object, compared case-insensitively (ARM template keywords
    /// are); the last one wins when a key repeats.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members()?
            .iter()
            .rev()
            .find(|m| m.key.eq_ignore_ascii_case(key))
    }

    /// The value of member `key`.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.member(key).map(|m| &m.value)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(&s.text),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match &self.kind {
            JsonKind::Array(items) => Some(items),
            _ => None,
        }
    }
}

/// Parses a file. A syntax error becomes a diagnostic at its line and column.
pub fn parse(file: &SourceFile) -> Result<Json, Diagnostic> {
    let text = without_byte_order_mark(&file.text);
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let parsed =
        jsonc_parser::parse_to_ast(&text, &collect, &strict_options()).map_err(|error| {
            let range = error.range();
            let message = match error.kind() {
                // Valid JSON, but deeper than the reader goes (and than any template needs).
                ParseErrorKind::NestingDepthExceeded => format!(
                    "the JSON nesting is deeper than isolint reads (at most {MAX_NESTING} levels of arrays, objects and members)"
                ),
                kind => format!("invalid JSON: {kind}"),
            };
            Diagnostic::error("parse-error", message, &file.path)
                .at(Span::new(file.id, range.start, range.end))
        })?;
    match parsed.value {
        Some(value) => Ok(convert(file.id, value)),
        None => Err(
            Diagnostic::error("parse-error", "the file holds no JSON value", &file.path)
                .at(Span::new(file.id, 0, 0)),
        ),
    }
}

/// A comment in a template, for inline suppressions (`// isolint-ignore AML001 ...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text between `//` and the line end, or between `/*` and `*/`.
    pub text: Arc<str>,
    /// Where the whole comment is written, markers included.
    pub span: Span,
}

/// The comments of `file`, in source order; empty when the file does not parse. This is a
/// second parse with comment collection on, which [`parse`] leaves off to stay fast: call
/// it only for files whose text mentions what you look for.
pub fn comments(file: &SourceFile) -> Vec<Comment> {
    use jsonc_parser::common::Ranged as _;
    let text = without_byte_order_mark(&file.text);
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Separate,
        tokens: false,
    };
    let Ok(parsed) = jsonc_parser::parse_to_ast(&text, &collect, &strict_options()) else {
        return Vec::new();
    };
    // The parser files a comment under the token before it and the token after it: keep
    // each comment once.
    let mut found: Vec<Comment> = parsed
        .comments
        .iter()
        .flat_map(|map| map.values())
        .flat_map(|list| list.iter())
        .map(|comment| {
            let range = comment.range();
            Comment {
                text: comment.text().into(),
                span: Span::new(file.id, range.start, range.end),
            }
        })
        .collect();
    found.sort_by_key(|c| (c.span.start, c.span.end));
    found.dedup();
    found
}

/// `text` with its byte-order mark, if any, blanked rather than removed, so that offsets in
/// the parsed text are offsets in the file.
fn without_byte_order_mark(text: &str) -> Cow<'_, str> {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => Cow::Owned(format!("   {rest}")),
        None => Cow::Borrowed(text),
    }
}

/// The options the reader gives `jsonc-parser`: plain JSON plus comments, everything else
/// it would forgive (trailing commas, single quotes, hexadecimal numbers...) is an error.
/// Public for benchmarks that compare the reader with the parser alone.
pub fn strict_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

fn convert(file: FileId, value: ast::Value<'_>) -> Json {
    match value {
        ast::Value::NullKeyword(n) => leaf(file, JsonKind::Null, n.range),
        ast::Value::BooleanLit(b) => leaf(file, JsonKind::Bool(b.value), b.range),
        ast::Value::NumberLit(n) => leaf(file, JsonKind::Number(n.value.into()), n.range),
        ast::Value::StringLit(s) => leaf(file, JsonKind::String(string(s.value)), s.range),
        ast::Value::Array(a) => Json {
            span: Span::new(file, a.range.start, a.range.end),
            kind: JsonKind::Array(a.elements.into_iter().map(|e| convert(file, e)).collect()),
        },
        ast::Value::Object(o) => Json {
            span: Span::new(file, o.range.start, o.range.end),
            kind: JsonKind::Object(
                o.properties
                    .into_iter()
                    .map(|p| {
                        let (key, range) = match p.name {
                            ast::ObjectPropName::String(s) => (s.value.into_owned(), s.range),
                            ast::ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                        };
                        Member {
                            key: key.into(),
                            key_span: Span::new(file, range.start, range.end),
                            value: convert(file, p.value),
                        }
                    })
                    .collect(),
            ),
        },
    }
}

fn leaf(file: FileId, kind: JsonKind, range: jsonc_parser::common::Range) -> Json {
    Json {
        kind,
        span: Span::new(file, range.start, range.end),
    }
}

fn string(value: Cow<'_, str>) -> JsonString {
    let verbatim = matches!(value, Cow::Borrowed(_));
    JsonString {
        text: value.into(),
        verbatim,
    }
}

/// Parses JSON text that an expression computed (ARM's `json()`) into a value located at
/// `span`, where the text came from. `None` when the text is not JSON.
pub fn parse_fragment(text: &str, span: Span) -> Option<Node> {
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict_options()).ok()?;
    Some(to_node(&convert(span.file, parsed.value?), Some(span)))
}

/// A literal JSON value as a model node (parameter and variable file values, `json()`
/// results): every node located at `at` when given, else where it is written.
pub fn to_node(json: &Json, at: Option<Span>) -> Node {
    let kind = match &json.kind {
        JsonKind::Null => NodeKind::Null,
        JsonKind::Bool(b) => NodeKind::Bool(*b),
        JsonKind::Number(n) => match n.parse::<i64>() {
            Ok(i) => NodeKind::Int(i),
            Err(_) => NodeKind::Float(n.parse().unwrap_or(f64::NAN)),
        },
        JsonKind::String(s) => NodeKind::String(s.text.clone()),
        JsonKind::Array(items) => NodeKind::Array(
            items
                .iter()
                .map(|i| to_node(i, at))
                .collect::<Vec<_>>()
                .into(),
        ),
        JsonKind::Object(members) => NodeKind::Object(Arc::new(Object {
            entries: members
                .iter()
                .map(|m| Entry {
                    key: m.key.clone(),
                    key_span: at.unwrap_or(m.key_span),
                    value: to_node(&m.value, at),
                })
                .collect(),
            rest: None,
        })),
    };
    Node::new(kind, at.unwrap_or(json.span))
}

#[cfg(test)]
mod tests {
    use super::*;
    use isolint_model::SourceMap;
    use std::path::Path;

    fn read(text: &str) -> Result<Json, Diagnostic> {
        let map = SourceMap::new();
        let file = map.add(Path::new("t.json"), text.into());
        parse(&file)
    }

    #[test]
    fn keeps_spans_and_accepts_comments_and_raw_newlines() {
        let text = "// c\n{ \"a\": /* x */ [1, \"two\nlines\"], \"B\": null }";
        let json = read(text).unwrap();
        let a = json.member("a").unwrap();
        assert_eq!(
            &text[a.key_span.start as usize..a.key_span.end as usize],
            "\"a\""
        );
        let items = a.value.as_array().unwrap();
        assert_eq!(items[1].as_str(), Some("two\nlines"));
        assert!(json.get("b").is_some(), "keys compare case-insensitively");
    }

    #[test]
    fn rejects_loose_json_with_a_location() {
        for bad in [
            "{ a: 1 }",
            "{ \"a\": 1, }",
            "{ \"a\": 'x' }",
            "{ \"a\": 0x1 }",
            "{ \"a\": 1",
            "[1 2]",
        ] {
            let error = read(bad).unwrap_err();
            assert!(error.span.is_some(), "{bad}");
            assert_eq!(error.code, "parse-error");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let error = read(&text).unwrap_err();
        assert!(error.message.contains("nesting"), "{}", error.message);
    }

    #[test]
    fn comments_are_collected_once_in_order() {
        let map = SourceMap::new();
        let text = "// a\n{ \"x\": /* b */ 1 // c\n}";
        let file = map.add(Path::new("t.json"), text.into());
        let found = comments(&file);
        let texts: Vec<&str> = found.iter().map(|c| &*c.text).collect();
        assert_eq!(texts, [" a", " b ", " c"]);
        assert_eq!(file.slice(found[1].span), "/* b */");
    }

    #[test]
    fn byte_order_mark_is_ignored() {
        let json = read("\u{feff}{\"a\": 1}").unwrap();
        assert_eq!(json.member("a").unwrap().key_span.start, 4);
    }

    #[test]
    fn escaped_strings_are_not_verbatim() {
        let json = read(r#"{"a": "x\"y", "b": "plain"}"#).unwrap();
        let JsonKind::String(a) = &json.get("a").unwrap().kind else {
            panic!()
        };
        let JsonKind::String(b) = &json.get("b").unwrap().kind else {
            panic!()
        };
        assert!(!a.verbatim);
        assert!(b.verbatim);
    }
}
