//! Findings about resources read from module caches, moved into the user's own files: a
//! cache file's text is never printed, and it is not where the user can fix anything.

use isolint_model::{Decider, Model, SourceMap, Span};
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
        let argument = resource
            .get(&finding.property)
            .provenance
            .deciders()
            .iter()
            .find_map(|decider| match decider {
                Decider::ParameterValue {
                    span: Some(span), ..
                } if !hidden(*span) => Some(*span),
                _ => None,
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
