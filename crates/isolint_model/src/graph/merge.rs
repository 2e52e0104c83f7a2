//! Redeclarations: a resource deployed again (in a nested deployment, by a Terraform
//! partial update) is one resource whose later values win, not a second resource.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::graph::identity::IdKey;
use crate::resource::{Condition, Resource, RootId};
use crate::value::{Entry, Node, NodeKind, Object};

/// Merges later declarations of the same resource into the first, and drops partial
/// updates that target nothing in the scan. Two templates that happen to use the same
/// literal name are two deployments (two roots), linted separately.
pub(crate) fn merge_redeclarations(resources: Vec<Resource>) -> Vec<Resource> {
    let mut kept: Vec<Resource> = Vec::with_capacity(resources.len());
    let mut first_of: FxHashMap<(RootId, IdKey), usize> = FxHashMap::default();
    for resource in resources {
        if resource.existing {
            kept.push(resource);
            continue;
        }
        let key = (
            resource.origin.root,
            IdKey::new(&resource.ty, &resource.id.names),
        );
        match first_of.get(&key) {
            Some(&first) => merge_into(&mut kept[first], &resource),
            None => {
                first_of.insert(key, kept.len());
                kept.push(resource);
            }
        }
    }
    kept.retain(|r| !r.update);
    kept
}

/// Merges `later` into `base`, the first declaration of the same resource.
fn merge_into(base: &mut Resource, later: &Resource) {
    base.body = merge_nodes(&base.body, &later.body);
    base.origin.decls.extend(later.origin.decls.iter().copied());
    base.looped |= later.looped;
    base.update &= later.update;
    if later.condition == Condition::Always {
        base.condition = Condition::Always;
    }
    if base.update && !later.update {
        // The first real declaration becomes the resource's home.
        base.origin.file = later.origin.file;
        base.origin.header = later.origin.header;
        base.origin.name_text = Arc::clone(&later.origin.name_text);
    }
}

/// `later` over `earlier`: objects merge key by key, anything else is replaced.
fn merge_nodes(earlier: &Node, later: &Node) -> Node {
    match (&earlier.kind, &later.kind) {
        (NodeKind::Object(a), NodeKind::Object(b)) => {
            let mut entries: Vec<Entry> = a.entries.clone();
            for entry in &b.entries {
                match entries
                    .iter_mut()
                    .find(|e| e.key.eq_ignore_ascii_case(&entry.key))
                {
                    Some(existing) => {
                        existing.value = merge_nodes(&existing.value, &entry.value);
                        existing.key_span = entry.key_span;
                    }
                    None => entries.push(entry.clone()),
                }
            }
            Node::object(
                Object {
                    entries,
                    rest: b.rest.clone().or_else(|| a.rest.clone()),
                },
                later.span,
            )
            .with_provenance(&later.provenance)
        }
        _ => later.clone(),
    }
}
