//! Findings about resources read from module caches, moved into the user's own files: a
//! cache file's text is never printed, and it is not where the user can fix anything.

use isolint_model::{Decider, Model, Node, NodeKind, Provenance, SourceMap, Span};
use rustc_hash::FxHashMap;

use crate::finding::Finding;

/// What the label left at a finding's former place says.
const INSIDE: &str = "inside the module (a module-cache file, not shown)";

/// Moves every finding whose location lies in a module-cache file
/// ([`hidden`](isolint_model::SourceFile::hidden)) to the argument of the user's module
/// call that decided the value, when one did (a value given for a parameter in a file
/// that is not a cache), else to the innermost module call written in such a file; the
/// place in the module stays as a label. Fingerprints do not change: they never depend on
/// locations.
pub fn relocate(findings: &mut [Finding], model: &Model, sources: &SourceMap) {
    let hidden = |span: Span| sources.get(span.file).is_some_and(|file| file.hidden);
    if !findings.iter().any(|f| hidden(f.span)) {
        return;
    }
    let mut resources: FxHashMap<(Span, &str), usize> = FxHashMap::default();
    let all = model.graph().resources();
    let identities: Vec<String> = all.iter().map(isolint_model::Resource::identity).collect();
    for (index, resource) in all.iter().enumerate() {
        let declaration = resource
            .origin
            .decls
            .first()
            .copied()
            .unwrap_or(resource.origin.header);
        resources.insert((declaration, identities[index].as_str()), index);
    }
    for finding in findings.iter_mut().filter(|f| hidden(f.span)) {
        let key = (
            finding.resource.declaration,
            finding.resource.identity.as_str(),
        );
        let Some(resource) = resources.get(&key).map(|&index| &all[index]) else {
            continue;
        };
        let visible_argument = |provenance: &Provenance| {
            provenance
                .deciders()
                .iter()
                .find_map(|decider| match decider {
                    Decider::ParameterValue {
                        span: Some(span), ..
                    } if !hidden(*span) => Some(*span),
                    _ => None,
                })
        };
        // The argument that decided the property reported; else one that decided another
        // value the finding names (its labels), such as a firewall's with its access.
        let argument =
            visible_argument(&resource.get(&finding.property).provenance).or_else(|| {
                let mut arguments = Vec::new();
                collect_arguments(&resource.body, &mut arguments, 0);
                finding
                    .labels
                    .iter()
                    .map(|label| label.span)
                    .find(|span| !hidden(*span) && arguments.contains(span))
            });
        let call = || {
            resource
                .origin
                .calls
                .iter()
                .rev()
                .find(|call| !hidden(**call))
                .copied()
        };
        if let Some(visible) = argument.or_else(call) {
            let inside = finding.span;
            finding.span = visible;
            finding.label(inside, INSIDE);
        }
    }
}

/// How deep [`collect_arguments`] looks into a resource's body.
const MAX_DEPTH: usize = 32;

/// The spans of the values given for parameters anywhere in `node`.
fn collect_arguments(node: &Node, out: &mut Vec<Span>, depth: usize) {
    out.extend(
        node.provenance
            .deciders()
            .iter()
            .filter_map(|decider| match decider {
                Decider::ParameterValue { span, .. } => *span,
                _ => None,
            }),
    );
    if depth >= MAX_DEPTH {
        return;
    }
    match &node.kind {
        NodeKind::Object(object) => {
            for entry in &object.entries {
                collect_arguments(&entry.value, out, depth + 1);
            }
        }
        NodeKind::Array(items) => {
            for item in items.iter() {
                collect_arguments(item, out, depth + 1);
            }
        }
        _ => {}
    }
}
