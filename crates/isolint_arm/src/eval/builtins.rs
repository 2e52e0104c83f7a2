//! The ARM functions evaluated on known arguments: comparison, logic, numbers, strings,
//! arrays and objects, and the resource ID and scope functions (which give symbolic IDs).

use std::sync::Arc;

use isolint_model::id::{RESOURCE_GROUP_TYPE, SUBSCRIPTION_TYPE};
use isolint_model::{
    Entry, NamePart, Node, NodeKind, Object, ResourceId, Span, Unknown, UnknownReason,
};

use super::resources::Place;
use super::size::{MAX_COMPARISONS, TOO_LONG, TOO_MANY, TOO_MANY_COMPARISONS};
use super::strings::{self, name_parts};
use super::{MAX_ITEMS, MAX_STRING, invalid, provenance_of, render, symbolic, unknown_reason};

/// [`apply`] in a template deployed in `place`: `resourceGroup()` and `subscription()`
/// are that resource group and subscription when known, and `resourceId()` and
/// `subscriptionResourceId()` without them lie there.
pub(crate) fn apply_in(name: &str, values: Vec<Node>, place: &Place, span: Span) -> Node {
    let located = |id: &ResourceId| {
        let mut id = id.clone();
        if id.subscription.is_none() {
            id.subscription.clone_from(&place.subscription);
        }
        if name == "resourceid" && id.resource_group.is_none() {
            id.resource_group.clone_from(&place.resource_group);
        }
        id
    };
    let scope_node = |part: &NamePart, function: &str| match part {
        NamePart::Known(text) => Node::string(text.clone(), span),
        NamePart::Symbolic(expr) => {
            Node::new(NodeKind::Unknown(runtime_unknown(expr, function)), span)
        }
    };
    match (name, values.is_empty(), place) {
        (
            "resourcegroup",
            true,
            Place {
                resource_group: Some(group),
                subscription,
            },
        ) => {
            let mut scope: Vec<Node> = subscription
                .iter()
                .map(|s| scope_node(s, "subscription"))
                .collect();
            scope.push(scope_node(group, "resourceGroup"));
            return resource_group(&scope, span);
        }
        (
            "subscription",
            true,
            Place {
                subscription: Some(subscription),
                ..
            },
        ) => return subscription_of(&[scope_node(subscription, "subscription")], span),
        _ => {}
    }
    let node = apply(name, values, span);
    match &node.kind {
        NodeKind::ResourceId(id) if matches!(name, "resourceid" | "subscriptionresourceid") => {
            let id = located(id);
            Node::new(NodeKind::ResourceId(Arc::new(id)), span).with_provenance(&node.provenance)
        }
        _ => node,
    }
}

/// Applies the evaluated function `name` (lower-case) to evaluated arguments.
pub(crate) fn apply(name: &str, values: Vec<Node>, span: Span) -> Node {
    let provenance = provenance_of(&values);
    let node = match name {
        "concat" => return concat(&values, span),
        "format" => return strings::format(&values, span),
        "createarray" => return Node::new(NodeKind::Array(values.into()), span),
        "createobject" => return create_object(&values, span),
        "union" => return union(&values, span, true),
        "shallowmerge" => {
            return match values.first().map(|v| &v.kind) {
                Some(NodeKind::Array(items)) => union(items, span, false),
                _ => symbolic(name, &values, span, unknown_reason(&values)),
            };
        }
        "resourceid"
        | "subscriptionresourceid"
        | "tenantresourceid"
        | "extensionresourceid"
        | "managementgroupresourceid" => return resource_id(name, &values, span),
        "resourcegroup" => return resource_group(&values, span),
        "subscription" => return subscription_of(&values, span),
        "deployment" => return deployment(span),
        "environment" => return environment(span),
        "equals" => match values.as_slice() {
            [a, b] => deep_equal(a, b).map(NodeKind::Bool),
            _ => None,
        },
        "empty" => values.first().and_then(is_empty).map(NodeKind::Bool),
        "length" => values.first().and_then(length).map(NodeKind::Int),
        "json" => return json(&values, span),
        "string" => {
            return values.first().map_or_else(
                || invalid(span, "string() needs an argument"),
                |v| strings::to_string(v, span),
            );
        }
        "tryget" => return try_get(&values, span),
        "contains" => match values.as_slice() {
            [container, item] => contains(container, item).map(NodeKind::Bool),
            _ => None,
        },
        _ => {
            if values.iter().any(|v| v.as_unknown().is_some()) {
                return symbolic(name, &values, span, unknown_reason(&values));
            }
            if let Some(limit) = outgrows(name, &values) {
                return invalid(span, limit);
            }
            simple(name, &values)
        }
    };
    match node {
        Some(kind) => Node::new(kind, span).with_provenance(&provenance),
        None if values.iter().any(|v| v.as_unknown().is_some()) || has_open(&values) => {
            symbolic(name, &values, span, unknown_reason(&values))
        }
        None => invalid(
            span,
            &format!("`{name}` cannot be applied to these arguments"),
        ),
    }
}

/// The limit that applying `name` to known `values` would outgrow, found before doing it.
fn outgrows(name: &str, values: &[Node]) -> Option<&'static str> {
    let text = |i: usize| values.get(i).and_then(Node::as_str);
    let array = |i: usize| values.get(i).and_then(Node::as_array);
    let over = |total: usize, max: usize, limit| (total > max).then_some(limit);
    match name {
        "range" => {
            let count = values.get(1)?.as_int()?;
            over(usize::try_from(count).ok()?, MAX_ITEMS, TOO_MANY)
        }
        "replace" => {
            let (source, from, to) = (text(0)?, text(1)?, text(2)?);
            let added = source.matches(from).count().saturating_mul(to.len());
            over(source.len().saturating_add(added), MAX_STRING, TOO_LONG)
        }
        "join" => {
            let separator = text(1).map_or(0, str::len);
            let total = array(0)?.iter().fold(0usize, |total, item| {
                // Numbers are at most 20 characters.
                let length = item.as_str().map_or(20, str::len);
                total.saturating_add(length + separator)
            });
            over(total, MAX_STRING, TOO_LONG)
        }
        "flatten" => {
            let total = array(0)?.iter().fold(0usize, |total, item| {
                total.saturating_add(item.as_array().map_or(1, <[Node]>::len))
            });
            over(total, MAX_ITEMS, TOO_MANY)
        }
        "intersection" => {
            // Each element (or key) of the first is looked for in each of the others.
            let size = |value: &Node| match &value.kind {
                NodeKind::Array(items) => items.len(),
                NodeKind::Object(object) => object.entries.len(),
                _ => 0,
            };
            let others = values
                .get(1..)?
                .iter()
                .map(size)
                .fold(0usize, usize::saturating_add);
            let pairs = size(values.first()?).saturating_mul(others);
            over(pairs, MAX_COMPARISONS, TOO_MANY_COMPARISONS)
        }
        _ => None,
    }
}

fn has_open(values: &[Node]) -> bool {
    values
        .iter()
        .any(|v| v.as_object().is_some_and(|o| o.rest.is_some()))
}

/// Functions of known, scalar-ish arguments.
fn simple(name: &str, values: &[Node]) -> Option<NodeKind> {
    let int = |i: usize| values.get(i).and_then(Node::as_int);
    let text = |i: usize| values.get(i).and_then(Node::as_str);
    Some(match name {
        "true" => NodeKind::Bool(true),
        "false" => NodeKind::Bool(false),
        "null" => NodeKind::Null,
        "not" => NodeKind::Bool(!values.first()?.as_bool()?),
        "bool" => match &values.first()?.kind {
            NodeKind::Int(i) => NodeKind::Bool(*i != 0),
            _ => NodeKind::Bool(values.first()?.as_bool()?),
        },
        "int" => match &values.first()?.kind {
            NodeKind::Int(i) => NodeKind::Int(*i),
            NodeKind::String(s) => NodeKind::Int(s.trim().parse().ok()?),
            NodeKind::Float(f) => NodeKind::Int(float_to_int(*f)?),
            _ => return None,
        },
        "add" => NodeKind::Int(int(0)?.checked_add(int(1)?)?),
        "sub" => NodeKind::Int(int(0)?.checked_sub(int(1)?)?),
        "mul" => NodeKind::Int(int(0)?.checked_mul(int(1)?)?),
        "div" => NodeKind::Int(int(0)?.checked_div(int(1)?)?),
        "mod" => NodeKind::Int(int(0)?.checked_rem(int(1)?)?),
        "min" | "max" => {
            let numbers: Vec<i64> = match values {
                [
                    Node {
                        kind: NodeKind::Array(items),
                        ..
                    },
                ] => items.iter().map(Node::as_int).collect::<Option<_>>()?,
                _ => values.iter().map(Node::as_int).collect::<Option<_>>()?,
            };
            NodeKind::Int(if name == "min" {
                numbers.into_iter().min()?
            } else {
                numbers.into_iter().max()?
            })
        }
        "less" | "lessorequals" | "greater" | "greaterorequals" => {
            let ordering = match (&values.first()?.kind, &values.get(1)?.kind) {
                (NodeKind::Int(a), NodeKind::Int(b)) => a.cmp(b),
                (NodeKind::String(a), NodeKind::String(b)) => a.cmp(b),
                _ => return None,
            };
            NodeKind::Bool(match name {
                "less" => ordering.is_lt(),
                "lessorequals" => ordering.is_le(),
                "greater" => ordering.is_gt(),
                _ => ordering.is_ge(),
            })
        }
        "tolower" => NodeKind::String(text(0)?.to_lowercase().into()),
        "toupper" => NodeKind::String(text(0)?.to_uppercase().into()),
        "trim" => NodeKind::String(text(0)?.trim().into()),
        "startswith" => NodeKind::Bool(
            text(0)?
                .to_lowercase()
                .starts_with(&text(1)?.to_lowercase()),
        ),
        "endswith" => NodeKind::Bool(text(0)?.to_lowercase().ends_with(&text(1)?.to_lowercase())),
        "replace" => NodeKind::String(text(0)?.replace(text(1)?, text(2)?).into()),
        "split" => {
            let source = text(0)?;
            let pieces: Vec<Node> = match &values.get(1)?.kind {
                NodeKind::String(d) => source
                    .split(&**d)
                    .map(|p| Node::string(p, values[0].span))
                    .collect(),
                NodeKind::Array(ds) => {
                    let delimiters: Vec<&str> =
                        ds.iter().map(Node::as_str).collect::<Option<_>>()?;
                    source
                        .split(|c: char| {
                            delimiters
                                .iter()
                                .any(|d| d.len() == c.len_utf8() && d.starts_with(c))
                        })
                        .map(|p| Node::string(p, values[0].span))
                        .collect()
                }
                _ => return None,
            };
            NodeKind::Array(pieces.into())
        }
        "substring" => {
            let source: Vec<char> = text(0)?.chars().collect();
            let start = usize::try_from(int(1)?).ok()?;
            let length = match values.get(2) {
                Some(v) => usize::try_from(v.as_int()?).ok()?,
                None => source.len().checked_sub(start)?,
            };
            NodeKind::String(
                source
                    .get(start..start.checked_add(length)?)?
                    .iter()
                    .collect::<String>()
                    .into(),
            )
        }
        "padleft" => {
            let source = match &values.first()?.kind {
                NodeKind::String(s) => s.to_string(),
                NodeKind::Int(i) => i.to_string(),
                _ => return None,
            };
            let width = usize::try_from(int(1)?).ok()?.min(MAX_ITEMS);
            let pad = text(2).and_then(|p| p.chars().next()).unwrap_or(' ');
            let missing = width.saturating_sub(source.chars().count());
            NodeKind::String(format!("{}{source}", pad.to_string().repeat(missing)).into())
        }
        "indexof" | "lastindexof" => match (&values.first()?.kind, values.get(1)?) {
            (NodeKind::String(s), needle) => {
                let needle = needle.as_str()?.to_lowercase();
                let hay = s.to_lowercase();
                let found = if name == "indexof" {
                    hay.find(&needle)
                } else {
                    hay.rfind(&needle)
                };
                NodeKind::Int(found.map_or(-1, |i| {
                    i64::try_from(hay[..i].chars().count()).unwrap_or(-1)
                }))
            }
            (NodeKind::Array(items), needle) => {
                let mut positions = items
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| deep_equal(i, needle) == Some(true));
                let found = if name == "indexof" {
                    positions.next()
                } else {
                    positions.next_back()
                };
                NodeKind::Int(found.map_or(-1, |(i, _)| i64::try_from(i).unwrap_or(-1)))
            }
            _ => return None,
        },
        "first" | "last" => match &values.first()?.kind {
            NodeKind::Array(items) => {
                let item = if name == "first" {
                    items.first()
                } else {
                    items.last()
                };
                return Some(item.map_or(NodeKind::Null, |i| i.kind.clone()));
            }
            NodeKind::String(s) => {
                let c = if name == "first" {
                    s.chars().next()
                } else {
                    s.chars().last()
                };
                NodeKind::String(c.map(String::from).unwrap_or_default().into())
            }
            _ => return None,
        },
        "skip" | "take" => {
            let n = usize::try_from(int(1)?.max(0)).ok()?;
            match &values.first()?.kind {
                NodeKind::Array(items) => {
                    let slice = if name == "skip" {
                        items.get(n.min(items.len())..)?
                    } else {
                        &items[..n.min(items.len())]
                    };
                    NodeKind::Array(slice.to_vec().into())
                }
                NodeKind::String(s) => {
                    let chars = s.chars();
                    NodeKind::String(
                        if name == "skip" {
                            chars.skip(n).collect::<String>()
                        } else {
                            chars.take(n).collect()
                        }
                        .into(),
                    )
                }
                _ => return None,
            }
        }
        "range" => {
            let (start, count) = (int(0)?, int(1)?);
            if !(0..=i64::try_from(MAX_ITEMS).ok()?).contains(&count) {
                return None;
            }
            let span = values[0].span;
            NodeKind::Array(
                (0..count)
                    .map(|i| Node::new(NodeKind::Int(start.saturating_add(i)), span))
                    .collect::<Vec<_>>()
                    .into(),
            )
        }
        "array" => match &values.first()?.kind {
            NodeKind::Array(_) => values[0].kind.clone(),
            _ => NodeKind::Array(vec![values[0].clone()].into()),
        },
        "flatten" => {
            let NodeKind::Array(outer) = &values.first()?.kind else {
                return None;
            };
            let mut out = Vec::new();
            for item in outer.iter() {
                match &item.kind {
                    NodeKind::Array(inner) => out.extend(inner.iter().cloned()),
                    _ => return None,
                }
            }
            NodeKind::Array(out.into())
        }
        "join" => {
            let NodeKind::Array(items) = &values.first()?.kind else {
                return None;
            };
            let parts: Vec<String> = items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_owned)
                        .or_else(|| i.as_int().map(|n| n.to_string()))
                })
                .collect::<Option<_>>()?;
            NodeKind::String(parts.join(text(1)?).into())
        }
        "items" => {
            let object = values.first()?.as_object()?;
            if object.rest.is_some() {
                return None;
            }
            let span = values[0].span;
            NodeKind::Array(
                object
                    .entries
                    .iter()
                    .map(|e| {
                        Node::object(
                            Object {
                                entries: vec![
                                    Entry {
                                        key: "key".into(),
                                        key_span: e.key_span,
                                        value: Node::string(e.key.clone(), e.key_span),
                                    },
                                    Entry {
                                        key: "value".into(),
                                        key_span: e.key_span,
                                        value: e.value.clone(),
                                    },
                                ],
                                rest: None,
                            },
                            span,
                        )
                    })
                    .collect::<Vec<_>>()
                    .into(),
            )
        }
        "objectkeys" => {
            let object = values.first()?.as_object()?;
            if object.rest.is_some() {
                return None;
            }
            NodeKind::Array(
                object
                    .entries
                    .iter()
                    .map(|e| Node::string(e.key.clone(), e.key_span))
                    .collect::<Vec<_>>()
                    .into(),
            )
        }
        "intersection" => match &values.first()?.kind {
            NodeKind::Array(first) => {
                let rest: Vec<&[Node]> = values[1..]
                    .iter()
                    .map(Node::as_array)
                    .collect::<Option<_>>()?;
                let kept: Vec<Node> = first
                    .iter()
                    .filter(|item| {
                        rest.iter()
                            .all(|other| other.iter().any(|o| deep_equal(o, item) == Some(true)))
                    })
                    .cloned()
                    .collect();
                NodeKind::Array(kept.into())
            }
            NodeKind::Object(first) => {
                let others: Vec<&Object> = values[1..]
                    .iter()
                    .map(Node::as_object)
                    .collect::<Option<_>>()?;
                let entries = first
                    .entries
                    .iter()
                    .filter(|e| {
                        others.iter().all(|o| {
                            o.value(&e.key)
                                .is_some_and(|v| deep_equal(v, &e.value) == Some(true))
                        })
                    })
                    .cloned()
                    .collect();
                NodeKind::Object(Arc::new(Object {
                    entries,
                    rest: None,
                }))
            }
            _ => return None,
        },
        "indexfromend" | "tryindexfromend" => {
            let items = values.first()?.as_array()?;
            let n = usize::try_from(int(1)?).ok()?;
            match items
                .len()
                .checked_sub(n)
                .filter(|_| n > 0)
                .and_then(|i| items.get(i))
            {
                Some(item) => item.kind.clone(),
                None if name == "tryindexfromend" => NodeKind::Null,
                None => return None,
            }
        }
        _ => return None,
    })
}

fn float_to_int(f: f64) -> Option<i64> {
    let text = format!("{:.0}", f.trunc());
    text.parse().ok()
}

fn concat(values: &[Node], span: Span) -> Node {
    if let Some(Node {
        kind: NodeKind::Array(_),
        ..
    }) = values.first()
    {
        let total = values.iter().fold(0usize, |total, value| {
            total.saturating_add(value.as_array().map_or(0, <[Node]>::len))
        });
        if total > MAX_ITEMS {
            return invalid(span, TOO_MANY);
        }
        let mut out = Vec::with_capacity(total);
        for value in values {
            match &value.kind {
                NodeKind::Array(items) => out.extend(
                    items
                        .iter()
                        .map(|item| item.clone().with_provenance(&value.provenance)),
                ),
                NodeKind::Null => {}
                _ => return symbolic("concat", values, span, unknown_reason(values)),
            }
        }
        return Node::new(NodeKind::Array(out.into()), span);
    }
    strings::concat(values, span)
}

fn create_object(values: &[Node], span: Span) -> Node {
    let mut object = Object::default();
    for pair in values.chunks(2) {
        let [key, value] = pair else {
            return invalid(span, "createObject takes key and value pairs");
        };
        match key.as_str() {
            Some(k) => object.entries.push(Entry {
                key: k.into(),
                key_span: key.span,
                value: value.clone(),
            }),
            None => {
                object.rest = Some(Arc::new(Unknown::new(
                    format!("createObject({}, ...)", render(key)),
                    unknown_reason(std::slice::from_ref(key)),
                )));
            }
        }
    }
    // A container is decided by nothing: its values keep their own provenance.
    Node::object(object, span)
}

/// `union` (deep for objects) and `shallowMerge` (`deep == false`). An unknown operand
/// hides everything before it: only later known keys stay known.
///
/// The result carries no provenance of its own; each value keeps the provenance of the
/// operand it came from (a parameter default's object lends its provenance to its entries).
fn union(values: &[Node], span: Span, deep: bool) -> Node {
    // Each element (or key) is compared with those kept before it.
    let total = values.iter().fold(0usize, |total, value| {
        let size = match &value.kind {
            NodeKind::Array(items) => items.len(),
            NodeKind::Object(object) => object.entries.len(),
            _ => 0,
        };
        total.saturating_add(size)
    });
    if total.saturating_mul(total) / 2 > MAX_COMPARISONS {
        return invalid(span, TOO_MANY_COMPARISONS);
    }
    if values.iter().all(|v| matches!(v.kind, NodeKind::Array(_))) && !values.is_empty() {
        let mut out: Vec<Node> = Vec::new();
        for operand in values {
            for item in operand.as_array().unwrap_or_default() {
                if !out.iter().any(|o| deep_equal(o, item) == Some(true)) {
                    out.push(item.clone().with_provenance(&operand.provenance));
                }
            }
        }
        return Node::new(NodeKind::Array(out.into()), span);
    }
    let mut object = Object::default();
    for value in values {
        match &value.kind {
            NodeKind::Object(other) => {
                if other.rest.is_some() {
                    object.rest.clone_from(&other.rest);
                }
                for entry in &other.entries {
                    let incoming = entry.value.clone().with_provenance(&value.provenance);
                    match object
                        .entries
                        .iter_mut()
                        .find(|e| e.key.eq_ignore_ascii_case(&entry.key))
                    {
                        Some(existing) => {
                            existing.value = match (deep, &existing.value.kind, &incoming.kind) {
                                (true, NodeKind::Object(_), NodeKind::Object(_)) => union(
                                    &[existing.value.clone(), incoming.clone()],
                                    incoming.span,
                                    true,
                                ),
                                _ => incoming,
                            };
                            existing.key_span = entry.key_span;
                        }
                        None => object.entries.push(Entry {
                            value: incoming,
                            ..entry.clone()
                        }),
                    }
                }
            }
            NodeKind::Null => {}
            NodeKind::Unknown(unknown) => {
                object.entries.clear();
                object.rest = Some(Arc::clone(unknown));
            }
            _ => {
                return symbolic(
                    if deep { "union" } else { "shallowMerge" },
                    values,
                    span,
                    unknown_reason(values),
                );
            }
        }
    }
    Node::object(object, span)
}

fn try_get(values: &[Node], span: Span) -> Node {
    let Some((target, keys)) = values.split_first() else {
        return invalid(span, "tryGet needs a value");
    };
    let mut current = target.clone();
    for key in keys {
        current = index(&current, key, true, span);
    }
    current
}

/// `target[index]`: an array element or an object property.
pub(crate) fn index(target: &Node, key: &Node, safe: bool, span: Span) -> Node {
    let provenance = target.provenance.merge(&key.provenance);
    match (&target.kind, &key.kind) {
        (NodeKind::Unknown(u), _) => Node::unknown(
            Unknown::new(format!("{}[{}]", u.expr, render(key)), u.reason.clone()),
            span,
        )
        .with_provenance(&provenance),
        (_, NodeKind::Unknown(u)) => Node::unknown(
            Unknown::new(format!("{}[{}]", render(target), u.expr), u.reason.clone()),
            span,
        )
        .with_provenance(&provenance),
        (NodeKind::Array(items), NodeKind::Int(i)) => {
            match usize::try_from(*i).ok().and_then(|i| items.get(i)) {
                Some(item) => item.clone().with_provenance(&provenance),
                None if safe => Node::new(NodeKind::Null, span),
                None => invalid(span, &format!("index {i} is out of range")),
            }
        }
        (NodeKind::Object(_), NodeKind::String(k)) => {
            super::member(target, k, safe, span).with_provenance(&key.provenance)
        }
        _ if safe => Node::new(NodeKind::Null, span),
        _ => invalid(span, "this value cannot be indexed that way"),
    }
}

/// Whether two values are equal; `None` when unknowns make it undecidable.
pub(crate) fn deep_equal(a: &Node, b: &Node) -> Option<bool> {
    match (&a.kind, &b.kind) {
        (NodeKind::Unknown(x), NodeKind::Unknown(y)) if x.expr == y.expr => Some(true),
        (NodeKind::Unknown(_), _) | (_, NodeKind::Unknown(_)) => None,
        (NodeKind::Null, NodeKind::Null) => Some(true),
        (NodeKind::Bool(x), NodeKind::Bool(y)) => Some(x == y),
        (NodeKind::Int(x), NodeKind::Int(y)) => Some(x == y),
        (NodeKind::String(x), NodeKind::String(y)) => Some(x == y),
        (NodeKind::ResourceId(x), NodeKind::ResourceId(y)) => {
            if x.matches(y) {
                Some(true)
            } else if x.is_known() && y.is_known() {
                Some(false)
            } else {
                None
            }
        }
        // A value shared by both sides (one variable read twice) is equal to itself without
        // walking it.
        (NodeKind::Array(x), NodeKind::Array(y)) if Arc::ptr_eq(x, y) => Some(true),
        (NodeKind::Object(x), NodeKind::Object(y)) if Arc::ptr_eq(x, y) && x.rest.is_none() => {
            Some(true)
        }
        (NodeKind::Array(x), NodeKind::Array(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut result = Some(true);
            for (p, q) in x.iter().zip(y.iter()) {
                match deep_equal(p, q) {
                    Some(false) => return Some(false),
                    None => result = None,
                    Some(true) => {}
                }
            }
            result
        }
        (NodeKind::Object(x), NodeKind::Object(y)) => {
            if x.rest.is_some() || y.rest.is_some() {
                return None;
            }
            if x.entries.len() != y.entries.len() {
                return Some(false);
            }
            let mut result = Some(true);
            for entry in &x.entries {
                match y.value(&entry.key) {
                    None => return Some(false),
                    Some(other) => match deep_equal(&entry.value, other) {
                        Some(false) => return Some(false),
                        None => result = None,
                        Some(true) => {}
                    },
                }
            }
            result
        }
        _ => Some(false),
    }
}

fn is_empty(value: &Node) -> Option<bool> {
    match &value.kind {
        NodeKind::Null => Some(true),
        NodeKind::String(s) => Some(s.is_empty()),
        NodeKind::Array(items) => Some(items.is_empty()),
        NodeKind::Object(o) if !o.entries.is_empty() => Some(false),
        NodeKind::Object(o) => o.rest.is_none().then_some(true),
        NodeKind::Unknown(_) => None,
        _ => Some(false),
    }
}

fn length(value: &Node) -> Option<i64> {
    let n = match &value.kind {
        NodeKind::String(s) => s.chars().count(),
        NodeKind::Array(items) => items.len(),
        NodeKind::Object(o) if o.rest.is_none() => o.entries.len(),
        _ => return None,
    };
    i64::try_from(n).ok()
}

fn contains(container: &Node, item: &Node) -> Option<bool> {
    match (&container.kind, &item.kind) {
        (NodeKind::String(s), NodeKind::String(needle)) => Some(s.contains(&**needle)),
        (NodeKind::Array(items), _) => {
            let mut undecided = false;
            for candidate in items.iter() {
                match deep_equal(candidate, item) {
                    Some(true) => return Some(true),
                    None => undecided = true,
                    Some(false) => {}
                }
            }
            (!undecided).then_some(false)
        }
        (NodeKind::Object(o), NodeKind::String(key)) => match o.get(key) {
            Some(_) => Some(true),
            None => o.rest.is_none().then_some(false),
        },
        _ => None,
    }
}

fn json(values: &[Node], span: Span) -> Node {
    let Some(text) = values.first().and_then(Node::as_str) else {
        return symbolic("json", values, span, unknown_reason(values));
    };
    match isolint_json::parse_fragment(text, span) {
        Some(node) => node,
        None => invalid(span, "json() of text that is not JSON"),
    }
}

/// `resourceId([subscriptionId], [resourceGroupName], type, name...)` and its siblings.
fn resource_id(function: &str, values: &[Node], span: Span) -> Node {
    let type_position = match function {
        "extensionresourceid" => Some(1),
        _ => values
            .iter()
            .position(|v| v.as_str().is_some_and(is_resource_type)),
    };
    let Some(position) = type_position.filter(|&p| p < values.len()) else {
        return symbolic(function, values, span, unknown_reason(values));
    };
    let Some(ty) = values[position].as_str().filter(|t| is_resource_type(t)) else {
        return symbolic(function, values, span, unknown_reason(values));
    };
    let mut names: Vec<NamePart> = Vec::new();
    for value in &values[position + 1..] {
        names.extend(name_parts(value));
    }
    let scope = &values[..position];
    let mut id = ResourceId::new(ty, names);
    match (function, scope) {
        ("resourceid", [group]) => id.resource_group = name_parts(group).pop(),
        ("resourceid", [subscription, group]) => {
            id.subscription = name_parts(subscription).pop();
            id.resource_group = name_parts(group).pop();
        }
        ("subscriptionresourceid", [subscription]) => {
            id.subscription = name_parts(subscription).pop();
        }
        _ => {}
    }
    Node::new(NodeKind::ResourceId(Arc::new(id)), span).with_provenance(&provenance_of(values))
}

fn is_resource_type(text: &str) -> bool {
    text.split_once('/').is_some_and(|(namespace, rest)| {
        namespace.contains('.') && !rest.is_empty() && !text.starts_with('/')
    })
}

fn runtime_unknown(expr: &str, function: &str) -> Arc<Unknown> {
    Arc::new(Unknown::new(
        expr,
        UnknownReason::Runtime {
            function: function.into(),
        },
    ))
}

fn open_object(entries: Vec<(&str, Node)>, rest: &str, function: &str, span: Span) -> Node {
    Node::object(
        Object {
            entries: entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key: key.into(),
                    key_span: span,
                    value,
                })
                .collect(),
            rest: Some(runtime_unknown(rest, function)),
        },
        span,
    )
}

/// `resourceGroup([[subscriptionId,] name])`: the deployment's resource group (unknown),
/// or the one named.
fn resource_group(values: &[Node], span: Span) -> Node {
    let (subscription, name) = match values {
        [name] => (None, name.clone()),
        [subscription, name, ..] => (name_parts(subscription).pop(), name.clone()),
        [] => (
            None,
            Node::new(
                NodeKind::Unknown(runtime_unknown("resourceGroup().name", "resourceGroup")),
                span,
            ),
        ),
    };
    let mut id = ResourceId::new(RESOURCE_GROUP_TYPE, name_parts(&name));
    id.subscription = subscription;
    open_object(
        vec![
            ("id", Node::new(NodeKind::ResourceId(Arc::new(id)), span)),
            ("name", name),
        ],
        "resourceGroup()",
        "resourceGroup",
        span,
    )
}

/// `subscription([subscriptionId])`: the deployment's subscription (unknown), or the one
/// named.
fn subscription_of(values: &[Node], span: Span) -> Node {
    let subscription_id = match values.first() {
        Some(id) => id.clone(),
        None => Node::new(
            NodeKind::Unknown(runtime_unknown(
                "subscription().subscriptionId",
                "subscription",
            )),
            span,
        ),
    };
    let id = ResourceId::new(SUBSCRIPTION_TYPE, name_parts(&subscription_id));
    open_object(
        vec![
            ("id", Node::new(NodeKind::ResourceId(Arc::new(id)), span)),
            ("subscriptionId", subscription_id),
        ],
        "subscription()",
        "subscription",
        span,
    )
}

fn deployment(span: Span) -> Node {
    open_object(Vec::new(), "deployment()", "deployment", span)
}

/// `environment()`, assumed to be Azure's public cloud (`AzureCloud`): templates use it to
/// build private DNS zone names.
fn environment(span: Span) -> Node {
    let text = |s: &str| Node::string(s, span);
    let object = |entries: Vec<(&str, Node)>| {
        Node::object(
            Object {
                entries: entries
                    .into_iter()
                    .map(|(key, value)| Entry {
                        key: key.into(),
                        key_span: span,
                        value,
                    })
                    .collect(),
                rest: None,
            },
            span,
        )
    };
    object(vec![
        ("name", text("AzureCloud")),
        ("gallery", text("https://gallery.azure.com/")),
        ("graph", text("https://graph.windows.net/")),
        ("portal", text("https://portal.azure.com")),
        ("resourceManager", text("https://management.azure.com/")),
        (
            "authentication",
            object(vec![
                ("loginEndpoint", text("https://login.microsoftonline.com/")),
                (
                    "audiences",
                    Node::new(
                        NodeKind::Array(
                            vec![
                                text("https://management.core.windows.net/"),
                                text("https://management.azure.com/"),
                            ]
                            .into(),
                        ),
                        span,
                    ),
                ),
                ("tenant", text("common")),
                ("identityProvider", text("AAD")),
            ]),
        ),
        (
            "suffixes",
            object(vec![
                ("acrLoginServer", text(".azurecr.io")),
                (
                    "azureDatalakeAnalyticsCatalogAndJob",
                    text("azuredatalakeanalytics.net"),
                ),
                (
                    "azureDatalakeStoreFileSystem",
                    text("azuredatalakestore.net"),
                ),
                ("azureFrontDoorEndpointSuffix", text("azurefd.net")),
                ("keyvaultDns", text(".vault.azure.net")),
                ("sqlServerHostname", text(".database.windows.net")),
                ("storage", text("core.windows.net")),
            ]),
        ),
    ])
}
