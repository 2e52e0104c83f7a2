//! Hand-built resources for the model's unit tests.

use std::sync::Arc;

use crate::id::{NamePart, ResourceId};
use crate::resource::{Condition, Origin, Resource, RootId, Syntax};
use crate::source::{FileId, Span};
use crate::types::{ML_WORKSPACE, PRIVATE_ENDPOINT, STORAGE_ACCOUNT};
use crate::value::{Entry, Node, NodeKind, Object, Unknown, UnknownReason};

pub(crate) fn span(start: usize) -> Span {
    Span::new(FileId(0), start, start + 1)
}

pub(crate) fn string(text: &str) -> Node {
    Node::string(text, span(0))
}

/// A resource ID value; see [`known_or_symbolic`] for the names.
pub(crate) fn id(ty: &str, names: &[&str]) -> Node {
    Node::new(
        NodeKind::ResourceId(Arc::new(ResourceId::new(
            ty,
            names.iter().map(|n| known_or_symbolic(n)).collect(),
        ))),
        span(0),
    )
}

/// `$expr` is symbolic, anything else a known name.
pub(crate) fn known_or_symbolic(name: &str) -> NamePart {
    match name.strip_prefix('$') {
        Some(expr) => NamePart::Symbolic(expr.into()),
        None => NamePart::Known(name.into()),
    }
}

pub(crate) fn object(entries: Vec<(&str, Node)>) -> Node {
    Node::object(
        Object {
            entries: entries
                .into_iter()
                .map(|(key, value)| Entry {
                    key: key.into(),
                    key_span: span(0),
                    value,
                })
                .collect(),
            rest: None,
        },
        span(0),
    )
}

pub(crate) fn array(items: Vec<Node>) -> Node {
    Node::new(NodeKind::Array(items.into()), span(0))
}

/// A parameter without a value, named by its expression.
pub(crate) fn unknown(expr: &str) -> Node {
    Node::unknown(
        Unknown::new(expr, UnknownReason::Parameter { name: expr.into() }),
        span(0),
    )
}

/// A resource of root `root` whose body is `{ properties: <properties> }`.
pub(crate) fn resource(root: u32, ty: &str, names: &[&str], properties: Node) -> Resource {
    Resource {
        ty: ty.into(),
        api_version: None,
        name: string(&names.join("/")),
        id: ResourceId::new(ty, names.iter().map(|n| known_or_symbolic(n)).collect()),
        body: object(vec![("properties", properties)]),
        condition: Condition::Always,
        looped: false,
        existing: false,
        update: false,
        origin: Origin {
            file: FileId(0),
            decls: vec![Span::new(FileId(0), 0, 1000)],
            header: span(0),
            name_text: names.join("/").into(),
            module_path: Arc::from(Vec::new()),
            calls: Arc::from(Vec::new()),
            root: RootId(root),
            syntax: Syntax::Arm,
            address: None,
            symbol: None,
            vocabulary: None,
        },
    }
}

/// A workspace `ws` linking `storage`, with a managed network in `mode` when given.
pub(crate) fn workspace(root: u32, storage: Node, mode: Option<&str>) -> Resource {
    let mut properties = vec![("storageAccount", storage)];
    if let Some(mode) = mode {
        properties.push((
            "managedNetwork",
            object(vec![("isolationMode", string(mode))]),
        ));
    }
    resource(root, ML_WORKSPACE, &["ws"], object(properties))
}

/// A private endpoint `pe` with one connection to `target` for `groups`.
pub(crate) fn endpoint(root: u32, target: Node, groups: Node) -> Resource {
    let connection = object(vec![(
        "properties",
        object(vec![("privateLinkServiceId", target), ("groupIds", groups)]),
    )]);
    resource(
        root,
        PRIVATE_ENDPOINT,
        &["pe"],
        object(vec![(
            "privateLinkServiceConnections",
            array(vec![connection]),
        )]),
    )
}

pub(crate) fn storage(root: u32, name: &str) -> Resource {
    resource(root, STORAGE_ACCOUNT, &[name], object(vec![]))
}
