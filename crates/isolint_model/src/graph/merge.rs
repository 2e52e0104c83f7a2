//! Redeclarations: a resource deployed again (in a nested deployment, by a Terraform
//! partial update) is one resource whose later values win, not a second resource.

use std::collections::hash_map::Entry::{Occupied, Vacant};
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::FxHashMap;

use crate::graph::identity::identity_hash;
use crate::id::names_match;
use crate::resource::{Condition, Resource};
use crate::types::same_type;
use crate::value::{Entry, Node, NodeKind, Object};

/// Merges later declarations of the same resource into the first, and drops partial
/// updates that target nothing in the scan. Two templates that happen to use the same
/// literal name are two deployments (two roots), linted separately; declarations in two
/// known scopes that differ (two resource groups) are two resources.
pub(crate) fn merge_redeclarations(resources: Vec<Resource>) -> Vec<Resource> {
    let mut kept: Vec<Resource> = Vec::with_capacity(resources.len());
    // The first declaration of each identity, as a position in `kept`.
    let mut first_of: HashTable<usize> = HashTable::with_capacity(resources.len());
    let hash = |r: &Resource| identity_hash(Some(r.origin.root), &r.ty, &r.id.names);
    for resource in resources {
        if resource.existing {
            kept.push(resource);
            continue;
        }
        let resource_hash = hash(&resource);
        let same = |&i: &usize| {
            let first: &Resource = &kept[i];
            first.origin.root == resource.origin.root
                && same_type(&first.ty, &resource.ty)
                && names_match(&first.id.names, &resource.id.names)
                && first.id.may_share_scope(&resource.id)
        };
        match first_of.find(resource_hash, same).copied() {
            Some(first) => merge_into(&mut kept[first], &resource),
            None => {
                let at = kept.len();
                kept.push(resource);
                first_of.insert_unique(resource_hash, at, |&i| hash(&kept[i]));
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

/// `later` over `earlier`: objects merge key by key (into the first entry of a key,
/// case-insensitively), anything else is replaced.
fn merge_nodes(earlier: &Node, later: &Node) -> Node {
    match (&earlier.kind, &later.kind) {
        (NodeKind::Object(a), NodeKind::Object(b)) => {
            let mut entries: Vec<Entry> = a.entries.clone();
            // Where each key's first entry is, so that merging costs the same however many
            // keys the objects have.
            let mut first: FxHashMap<String, usize> = FxHashMap::default();
            for (i, entry) in entries.iter().enumerate() {
                first.entry(entry.key.to_ascii_lowercase()).or_insert(i);
            }
            for entry in &b.entries {
                match first.entry(entry.key.to_ascii_lowercase()) {
                    Occupied(at) => {
                        let existing = &mut entries[*at.get()];
                        existing.value = merge_nodes(&existing.value, &entry.value);
                        existing.key_span = entry.key_span;
                    }
                    Vacant(at) => {
                        at.insert(entries.len());
                        entries.push(entry.clone());
                    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{object, string};

    #[test]
    fn objects_merge_key_by_key_into_the_first_entry_of_a_key() {
        let earlier = object(vec![
            ("a", string("1")),
            ("B", object(vec![("x", string("1")), ("y", string("1"))])),
            ("a", string("repeated")),
        ]);
        let later = object(vec![
            ("b", object(vec![("Y", string("2"))])),
            ("c", string("2")),
            ("C", string("3")),
            ("A", string("2")),
        ]);
        let merged = merge_nodes(&earlier, &later);
        assert_eq!(
            merged.render(),
            "createObject('a', '2', 'B', createObject('x', '1', 'y', '2'), 'a', 'repeated', 'c', '3')"
        );
    }
}
