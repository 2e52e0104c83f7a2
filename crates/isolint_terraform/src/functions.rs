//! Terraform's built-in functions that static evaluation can settle.
//!
//! A function applied to an unknown argument gives an unknown whose expression is the call
//! as written; functions that read files or the environment are never run.

use std::sync::Arc;

use isolint_model::{Entry, Node, NodeKind, Object, Span, StrPart, UnknownReason};

use crate::eval::{finish_string, invalid, push_string_part, scalar_text, unknown};

/// The most elements a function may build.
const MAX_ELEMENTS: usize = 10_000;

/// Calls `name` on evaluated `args`; `text` is the call as written.
pub(crate) fn call(name: &str, args: Vec<Node>, expand: bool, span: Span, text: &str) -> Node {
    let mut args = args;
    if expand {
        // `f(a, list...)`: the last argument's elements are the trailing arguments.
        if let Some(last) = args.pop() {
            match last.as_array() {
                Some(items) => args.extend(items.iter().cloned()),
                None => return unknown(text, reason(&last), span),
            }
        }
    }
    // Functions that settle despite unknown arguments.
    match name {
        "try" => {
            for arg in &args {
                match &arg.kind {
                    NodeKind::Unknown(u) if matches!(u.reason, UnknownReason::Invalid { .. }) => {}
                    _ => return arg.clone(),
                }
            }
            return invalid(text, "every argument of `try` failed", span);
        }
        "can" => {
            return match args.first().map(|a| &a.kind) {
                Some(NodeKind::Unknown(u)) if matches!(u.reason, UnknownReason::Invalid { .. }) => {
                    Node::new(NodeKind::Bool(false), span)
                }
                Some(NodeKind::Unknown(u)) => unknown(text, u.reason.clone(), span),
                _ => Node::new(NodeKind::Bool(true), span),
            };
        }
        "coalesce" => {
            for arg in &args {
                match &arg.kind {
                    NodeKind::Unknown(_) => return unknown(text, reason(arg), span),
                    NodeKind::Null => {}
                    NodeKind::String(s) if s.is_empty() => {}
                    _ => return arg.clone(),
                }
            }
            return invalid(text, "no non-null argument", span);
        }
        "lookup" => {
            if let (Some(map), Some(key)) = (args.first(), args.get(1))
                && let (Some(object), Some(key)) = (map.as_object(), key.as_str())
            {
                return match object.value(key) {
                    Some(v) => v.clone(),
                    None => match (&object.rest, args.get(2)) {
                        (Some(rest), _) => Node::unknown(rest.member(key), span),
                        (None, Some(default)) => default.clone(),
                        (None, None) => invalid(text, "no such key", span),
                    },
                };
            }
        }
        "merge" if args.iter().all(|a| a.as_object().is_some() || a.is_null()) => {
            let mut out = Object::default();
            for arg in &args {
                if let Some(object) = arg.as_object() {
                    for entry in &object.entries {
                        out.entries.retain(|e| e.key != entry.key);
                        out.entries.push(entry.clone());
                    }
                    if object.rest.is_some() {
                        out.rest.clone_from(&object.rest);
                    }
                }
            }
            return Node::object(out, span);
        }
        "file" | "templatefile" | "filebase64" | "fileexists" | "timestamp" | "uuid" => {
            return unknown(
                text,
                UnknownReason::Unsupported {
                    function: name.into(),
                },
                span,
            );
        }
        _ => {}
    }
    if name == "format" {
        return format(&args, span, text);
    }
    if let Some(u) = args.iter().find(|a| a.as_unknown().is_some()) {
        if name == "tostring" {
            return args.first().cloned().unwrap_or_else(|| u.clone());
        }
        return unknown(text, reason(u), span);
    }
    match known(name, &args, span) {
        // A resource ID that went through a string function is a resource ID again.
        Some(Node {
            kind: NodeKind::String(text),
            ..
        }) if isolint_model::id::has_marks(&text) => finish_string(vec![StrPart::Text(text)], span),
        Some(node) => node,
        None => unknown(
            text,
            UnknownReason::Unsupported {
                function: name.into(),
            },
            span,
        ),
    }
}

fn reason(node: &Node) -> UnknownReason {
    match &node.kind {
        NodeKind::Unknown(u) => u.reason.clone(),
        _ => UnknownReason::Invalid {
            message: "an argument of the wrong type".into(),
        },
    }
}

fn string(text: impl Into<Arc<str>>, span: Span) -> Node {
    Node::string(text, span)
}

fn array(items: Vec<Node>, span: Span) -> Node {
    Node::new(NodeKind::Array(items.into()), span)
}

/// `format("st%s%d", a, b)`: `%s`, `%d`, `%v` and `%%`; unknown arguments leave holes.
fn format(args: &[Node], span: Span, text: &str) -> Node {
    let Some(spec) = args.first() else {
        return invalid(text, "format needs a format string", span);
    };
    let Some(spec) = spec.as_str() else {
        return unknown(text, reason(spec), span);
    };
    let mut parts: Vec<StrPart> = Vec::new();
    let mut literal = String::new();
    let mut next = 1;
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            literal.push(c);
            continue;
        }
        match chars.next() {
            Some('%') | None => literal.push('%'),
            Some(_) => {
                parts.push(StrPart::Text(std::mem::take(&mut literal).into()));
                match args.get(next) {
                    Some(arg) => push_string_part(&mut parts, arg),
                    None => return invalid(text, "too few arguments for format", span),
                }
                next += 1;
            }
        }
    }
    parts.push(StrPart::Text(literal.into()));
    finish_string(parts, span)
}

/// Functions over known arguments; `None` when unsupported or ill-typed.
fn known(name: &str, args: &[Node], span: Span) -> Option<Node> {
    let s = |i: usize| args.get(i).and_then(scalar_text);
    let list = |i: usize| args.get(i).and_then(Node::as_array);
    Some(match name {
        "lower" => string(s(0)?.to_lowercase(), span),
        "upper" => string(s(0)?.to_uppercase(), span),
        "trimspace" => string(s(0)?.trim(), span),
        "title" => {
            let mut out = String::new();
            let mut start = true;
            for c in s(0)?.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                start = c.is_whitespace();
            }
            string(out, span)
        }
        "tostring" => string(s(0)?, span),
        "tobool" => Node::new(NodeKind::Bool(args.first()?.as_bool()?), span),
        "tonumber" => {
            let text = s(0)?;
            match text.parse::<i64>() {
                Ok(i) => Node::new(NodeKind::Int(i), span),
                Err(_) => Node::new(NodeKind::Float(text.parse().ok()?), span),
            }
        }
        "tolist" | "toset" | "tomap" | "sensitive" | "nonsensitive" | "normalise_resource_id" => {
            args.first()?.clone()
        }
        "join" => {
            let sep = s(0)?;
            let mut parts = Vec::new();
            for (i, item) in args
                .get(1..)?
                .iter()
                .flat_map(|l| l.as_array().unwrap_or_default())
                .enumerate()
            {
                if i > 0 {
                    parts.push(StrPart::Text(sep.clone().into()));
                }
                push_string_part(&mut parts, item);
            }
            finish_string(parts, span)
        }
        "concat" => {
            let mut out = Vec::new();
            for arg in args {
                out.extend(arg.as_array()?.iter().cloned());
                if out.len() > MAX_ELEMENTS {
                    return None;
                }
            }
            array(out, span)
        }
        "contains" => {
            let needle = args.get(1)?.render();
            Node::new(
                NodeKind::Bool(list(0)?.iter().any(|i| i.render() == needle)),
                span,
            )
        }
        "length" => {
            let n = match &args.first()?.kind {
                NodeKind::Array(items) => items.len(),
                NodeKind::Object(o) if o.rest.is_none() => o.entries.len(),
                NodeKind::String(t) => t.chars().count(),
                _ => return None,
            };
            Node::new(NodeKind::Int(i64::try_from(n).ok()?), span)
        }
        "replace" => {
            let (text, from, to) = (s(0)?, s(1)?, s(2)?);
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return None;
            }
            string(text.replace(&from, &to), span)
        }
        "substr" => {
            let text: Vec<char> = s(0)?.chars().collect();
            let offset = usize::try_from(args.get(1)?.as_int()?).ok()?;
            let length = args.get(2)?.as_int()?;
            let end = if length < 0 {
                text.len()
            } else {
                offset
                    .saturating_add(usize::try_from(length).ok()?)
                    .min(text.len())
            };
            string(
                text.get(offset.min(text.len())..end)?
                    .iter()
                    .collect::<String>(),
                span,
            )
        }
        "split" => {
            let (sep, text) = (s(0)?, s(1)?);
            let parts: Vec<Node> = text
                .split(&sep)
                .take(MAX_ELEMENTS)
                .map(|p| string(p, span))
                .collect();
            array(parts, span)
        }
        "startswith" => Node::new(NodeKind::Bool(s(0)?.starts_with(&s(1)?)), span),
        "endswith" => Node::new(NodeKind::Bool(s(0)?.ends_with(&s(1)?)), span),
        "trimprefix" => string(
            s(0)?
                .strip_prefix(&s(1)?)
                .map_or_else(|| s(0), |t| Some(t.to_owned()))?,
            span,
        ),
        "trimsuffix" => string(
            s(0)?
                .strip_suffix(&s(1)?)
                .map_or_else(|| s(0), |t| Some(t.to_owned()))?,
            span,
        ),
        "element" => {
            let items = list(0)?;
            let i = usize::try_from(args.get(1)?.as_int()?).ok()?;
            if items.is_empty() {
                return None;
            }
            items.get(i % items.len())?.clone()
        }
        "one" => match list(0)? {
            [] => Node::new(NodeKind::Null, span),
            [one] => one.clone(),
            _ => return None,
        },
        "keys" | "values" => {
            let object = args.first()?.as_object()?;
            if object.rest.is_some() {
                return None;
            }
            let items = object
                .entries
                .iter()
                .map(|e| {
                    if name == "keys" {
                        string(Arc::clone(&e.key), e.key_span)
                    } else {
                        e.value.clone()
                    }
                })
                .collect();
            array(items, span)
        }
        "distinct" | "compact" | "flatten" => {
            let mut out: Vec<Node> = Vec::new();
            for item in list(0)? {
                if name == "flatten"
                    && let Some(inner) = item.as_array()
                {
                    out.extend(inner.iter().cloned());
                    continue;
                }
                if name == "compact" && (item.is_null() || item.as_str() == Some("")) {
                    continue;
                }
                if name == "distinct" && out.iter().any(|o| o.render() == item.render()) {
                    continue;
                }
                out.push(item.clone());
            }
            array(out, span)
        }
        "zipmap" => {
            let entries = list(0)?
                .iter()
                .zip(list(1)?)
                .map(|(k, v)| {
                    Some(Entry {
                        key: k.as_str()?.into(),
                        key_span: k.span,
                        value: v.clone(),
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Node::object(
                Object {
                    entries,
                    rest: None,
                },
                span,
            )
        }
        "max" | "min" => {
            let values: Vec<i64> = args.iter().map(Node::as_int).collect::<Option<_>>()?;
            let v = if name == "max" {
                values.into_iter().max()?
            } else {
                values.into_iter().min()?
            };
            Node::new(NodeKind::Int(v), span)
        }
        "abs" => Node::new(NodeKind::Int(args.first()?.as_int()?.checked_abs()?), span),
        "jsonencode" => string(serde_json::to_string(&to_json(args.first()?)?).ok()?, span),
        "jsondecode" => {
            let value: serde_json::Value = serde_json::from_str(&s(0)?).ok()?;
            from_json(&value, span, 0)?
        }
        _ => return None,
    })
}

/// A known node as JSON (`None` when it holds an unknown or a resource ID).
pub(crate) fn to_json(node: &Node) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    Some(match &node.kind {
        NodeKind::Null => J::Null,
        NodeKind::Bool(b) => J::Bool(*b),
        NodeKind::Int(i) => J::from(*i),
        NodeKind::Float(x) => J::from(*x),
        NodeKind::String(s) => J::String(s.to_string()),
        NodeKind::Array(items) => J::Array(items.iter().map(to_json).collect::<Option<_>>()?),
        NodeKind::Object(o) if o.rest.is_none() => J::Object(
            o.entries
                .iter()
                .map(|e| Some((e.key.to_string(), to_json(&e.value)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// JSON as a node at `span` (`None` when nested too deeply).
pub(crate) fn from_json(value: &serde_json::Value, span: Span, depth: usize) -> Option<Node> {
    use serde_json::Value as J;
    if depth > 64 {
        return None;
    }
    Some(match value {
        J::Null => Node::new(NodeKind::Null, span),
        J::Bool(b) => Node::new(NodeKind::Bool(*b), span),
        J::Number(n) => match n.as_i64() {
            Some(i) => Node::new(NodeKind::Int(i), span),
            None => Node::new(NodeKind::Float(n.as_f64().unwrap_or(0.0)), span),
        },
        J::String(s) => Node::string(s.as_str(), span),
        J::Array(items) => array(
            items
                .iter()
                .map(|i| from_json(i, span, depth + 1))
                .collect::<Option<_>>()?,
            span,
        ),
        J::Object(map) => Node::object(
            Object {
                entries: map
                    .iter()
                    .map(|(k, v)| {
                        Some(Entry {
                            key: k.as_str().into(),
                            key_span: span,
                            value: from_json(v, span, depth + 1)?,
                        })
                    })
                    .collect::<Option<_>>()?,
                rest: None,
            },
            span,
        ),
    })
}
