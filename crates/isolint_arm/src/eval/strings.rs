//! Strings built from pieces: `concat`, `format`, and the conversions they need. A string
//! with unknown pieces stays a partly known [`Unknown`] (so resource names still split
//! into segments); a string that spells a resource ID becomes a symbolic resource ID.

use std::fmt::Write as _;
use std::sync::Arc;

use isolint_model::id::{has_marks, marked};
use isolint_model::{NamePart, Node, NodeKind, ResourceId, Span, StrPart, Unknown};

use super::size::{self, TOO_LONG};
use super::{MAX_STRING, invalid, provenance_of};

/// A node as a piece of a string; `None` for an array or object whose JSON text would
/// outgrow a string.
fn piece(node: &Node) -> Option<StrPart> {
    Some(match &node.kind {
        NodeKind::String(s) => StrPart::Text(s.clone()),
        NodeKind::Null => StrPart::Text("".into()),
        NodeKind::Bool(true) => StrPart::Text("True".into()),
        NodeKind::Bool(false) => StrPart::Text("False".into()),
        NodeKind::Int(i) => StrPart::Text(i.to_string().into()),
        NodeKind::Float(f) => StrPart::Text(f.to_string().into()),
        NodeKind::ResourceId(id) => StrPart::Text(id.to_marked_path().into()),
        NodeKind::Unknown(u) => StrPart::Hole(Arc::clone(u)),
        NodeKind::Array(_) | NodeKind::Object(_) => {
            // JSON text takes up to about 8 bytes per unit of weight (quotes, escapes).
            if size::measure(node, MAX_STRING / 8).exceeded.is_some() {
                return None;
            }
            StrPart::Text(to_json(node).into())
        }
    })
}

/// The string value of a node as `string()` gives it: JSON for arrays and objects.
pub(crate) fn to_string(node: &Node, span: Span) -> Node {
    match piece(node) {
        Some(part) => build(vec![part], span, std::slice::from_ref(node)),
        None => invalid(span, TOO_LONG),
    }
}

/// Builds a string node from pieces: known text, a resource ID, or a partly known unknown.
pub(crate) fn build(parts: Vec<StrPart>, span: Span, inputs: &[Node]) -> Node {
    // Check the length before building anything: `concat(x, x, x, ...)` of a long `x`.
    let length = parts.iter().fold(0usize, |length, part| {
        length.saturating_add(match part {
            StrPart::Text(t) => t.len(),
            StrPart::Hole(h) => h.expr.len() + 6,
        })
    });
    if length > MAX_STRING {
        return invalid(span, TOO_LONG);
    }
    let provenance = provenance_of(inputs);
    let holes = parts.iter().any(|p| matches!(p, StrPart::Hole(_)));
    let flat: String = parts
        .iter()
        .map(|p| match p {
            StrPart::Text(t) => t.to_string(),
            StrPart::Hole(h) => marked(&h.expr),
        })
        .collect();
    if has_marks(&flat)
        && let Some(id) = ResourceId::parse(&flat)
    {
        return Node::new(NodeKind::ResourceId(Arc::new(id)), span).with_provenance(&provenance);
    }
    if !holes {
        if has_marks(&flat) {
            // A resource ID inside a longer string: keep it symbolic.
            let rendered = parts
                .into_iter()
                .map(|p| match p {
                    StrPart::Text(t) if has_marks(&t) => StrPart::Hole(Arc::new(Unknown::new(
                        t.replace(['\u{E000}', '\u{E001}'], "`"),
                        isolint_model::UnknownReason::Runtime {
                            function: "resourceId".into(),
                        },
                    ))),
                    other => other,
                })
                .collect();
            return Node::unknown(Unknown::concat(rendered), span).with_provenance(&provenance);
        }
        return Node::string(flat, span).with_provenance(&provenance);
    }
    Node::unknown(Unknown::concat(parts), span).with_provenance(&provenance)
}

/// `concat(a, b, ...)` for strings.
pub(crate) fn concat(values: &[Node], span: Span) -> Node {
    match values.iter().map(piece).collect() {
        Some(parts) => build(parts, span, values),
        None => invalid(span, TOO_LONG),
    }
}

/// `format('{0}-{1}', a, b)`: .NET composite formatting with `{n}`, `{n:D2}` and `{{ }}`.
pub(crate) fn format(values: &[Node], span: Span) -> Node {
    let Some((template, args)) = values.split_first() else {
        return invalid(span, "format needs a format string");
    };
    let Some(text) = template.as_str() else {
        return super::symbolic("format", values, span, super::unknown_reason(values));
    };
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut spec = String::new();
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    spec.push(d);
                }
                let (index, format) = spec.split_once(':').unwrap_or((&spec, ""));
                let index = index.split(',').next().unwrap_or("").trim();
                let Some(arg) = index.parse::<usize>().ok().and_then(|i| args.get(i)) else {
                    return invalid(span, &format!("format item `{{{spec}}}` has no argument"));
                };
                parts.push(StrPart::Text(std::mem::take(&mut literal).into()));
                let Some(part) = formatted(arg, format) else {
                    return invalid(span, TOO_LONG);
                };
                parts.push(part);
            }
            other => literal.push(other),
        }
    }
    parts.push(StrPart::Text(literal.into()));
    build(parts, span, values)
}

fn formatted(arg: &Node, format: &str) -> Option<StrPart> {
    if let (NodeKind::Int(i), Some(width)) = (&arg.kind, format.strip_prefix(['D', 'd'])) {
        let width = width.parse::<usize>().unwrap_or(0).min(64);
        return Some(StrPart::Text(format!("{i:0width$}").into()));
    }
    piece(arg)
}

/// Compact JSON text of a known node (what `string()` gives for objects and arrays).
pub(crate) fn to_json(node: &Node) -> String {
    let mut out = String::new();
    write_json(node, &mut out);
    out
}

fn write_json(node: &Node, out: &mut String) {
    match &node.kind {
        NodeKind::Null => out.push_str("null"),
        NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeKind::Int(i) => out.push_str(&i.to_string()),
        NodeKind::Float(f) => out.push_str(&f.to_string()),
        NodeKind::String(s) => write_json_string(s, out),
        NodeKind::ResourceId(id) => write_json_string(&id.to_marked_path(), out),
        NodeKind::Unknown(u) => write_json_string(&marked(&u.expr), out),
        NodeKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        NodeKind::Object(object) => {
            out.push('{');
            for (i, entry) in object.entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(&entry.key, out);
                out.push(':');
                write_json(&entry.value, out);
            }
            out.push('}');
        }
    }
}

fn write_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The name segments of a resource name value: `'ws/cluster'`, or a partly known string
/// such as `format('{0}/cluster', parameters('ws'))`, split at its known slashes.
pub(crate) fn name_parts(node: &Node) -> Vec<NamePart> {
    match &node.kind {
        NodeKind::String(s) => s.split('/').map(|p| NamePart::Known(p.into())).collect(),
        NodeKind::Int(i) => vec![NamePart::Known(i.to_string().into())],
        NodeKind::Unknown(unknown) => match &unknown.parts {
            Some(parts) => split_parts(parts),
            None => vec![NamePart::Symbolic(unknown.expr.clone())],
        },
        _ => vec![NamePart::Symbolic(super::render(node).into())],
    }
}

fn split_parts(parts: &[StrPart]) -> Vec<NamePart> {
    let mut segments: Vec<Vec<StrPart>> = vec![Vec::new()];
    for part in parts {
        match part {
            StrPart::Text(text) => {
                let mut pieces = text.split('/');
                if let Some(first) = pieces.next()
                    && let Some(last) = segments.last_mut()
                {
                    last.push(StrPart::Text(first.into()));
                }
                for piece in pieces {
                    segments.push(vec![StrPart::Text(piece.into())]);
                }
            }
            StrPart::Hole(_) => {
                if let Some(last) = segments.last_mut() {
                    last.push(part.clone());
                }
            }
        }
    }
    segments
        .into_iter()
        .map(|segment| {
            if segment.iter().all(|p| matches!(p, StrPart::Text(_))) {
                let text: String = segment
                    .iter()
                    .map(|p| match p {
                        StrPart::Text(t) => t.to_string(),
                        StrPart::Hole(_) => String::new(),
                    })
                    .collect();
                NamePart::Known(text.into())
            } else {
                NamePart::Symbolic(Unknown::concat(segment).expr)
            }
        })
        .collect()
}
