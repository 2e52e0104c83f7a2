//! A readable, deterministic text form of resources, for frontend snapshots and debugging.

use std::fmt::Write as _;

use crate::resource::{Condition, Resource};
use crate::source::SourceMap;
use crate::value::{Node, NodeKind};

/// Describes a resource: type, name, identity, location, flags and the evaluated body as
/// indented `key: value` lines. Unknowns show as `?{expression}`.
pub fn describe(resource: &Resource, sources: &SourceMap) -> String {
    let mut out = String::new();
    let position = sources
        .get(resource.origin.file)
        .map_or_else(String::new, |f| {
            let p = f.position(resource.header().start);
            format!("{}:{}:{}", f.name, p.line, p.column)
        });
    let _ = writeln!(out, "{} {}", resource.ty, resource.id);
    let _ = writeln!(out, "  at: {position}");
    if !resource.origin.module_path.is_empty() {
        let _ = writeln!(out, "  module: {}", resource.origin.module_path.join(" > "));
    }
    if let Condition::When { expr } = &resource.condition {
        let _ = writeln!(out, "  when: {expr}");
    }
    for (flag, set) in [
        ("looped", resource.looped),
        ("existing", resource.existing),
        ("update", resource.update),
    ] {
        if set {
            let _ = writeln!(out, "  {flag}: true");
        }
    }
    if let Some(object) = resource.body.as_object() {
        for entry in &object.entries {
            write_value(&mut out, &entry.key, &entry.value, 1);
        }
    }
    out
}

fn write_value(out: &mut String, key: &str, node: &Node, depth: usize) {
    let indent = "  ".repeat(depth);
    match &node.kind {
        NodeKind::Object(object) => {
            let _ = writeln!(out, "{indent}{key}:");
            for entry in &object.entries {
                write_value(out, &entry.key, &entry.value, depth + 1);
            }
            if let Some(rest) = &object.rest {
                let _ = writeln!(out, "{indent}  ...: ?{{{}}}", rest.expr);
            }
        }
        NodeKind::Array(items) if !items.is_empty() => {
            let _ = writeln!(out, "{indent}{key}:");
            for item in items.iter() {
                write_value(out, "-", item, depth + 1);
            }
        }
        _ => {
            let _ = writeln!(out, "{indent}{key}: {}", scalar(node));
        }
    }
}

fn scalar(node: &Node) -> String {
    match &node.kind {
        NodeKind::String(s) => format!("{s:?}"),
        NodeKind::Unknown(u) => format!("?{{{}}}", u.expr),
        NodeKind::ResourceId(id) => format!("id({id})"),
        _ => node.render(),
    }
}
