//! The resource graph, with no knowledge of any service: every resource of a scan under a
//! [`ResourceIdx`], found by type or by identity, parents and children, redeclarations
//! merged, and references (resource ID values) resolved to what they name.
//!
//! Every lookup is a hash lookup, so building the graph and resolving each reference cost
//! the same however many resources the scan holds.

mod identity;
mod merge;

use std::ops::Deref;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::id::ResourceId;
use crate::resource::{Resource, RootId};
use crate::types::same_type;
use crate::value::{Node, NodeKind, Unknown, UnknownReason, Value};

use identity::IdKey;

/// Where a resource sits in its [`Graph`]: what relations are keyed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceIdx(usize);

impl ResourceIdx {
    /// The position in [`Graph::resources`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// A resource of a [`Graph`] together with its index, as the graph hands it out. Questions
/// about a resource's relations take one of these, never a bare `&Resource`: a copy of a
/// resource has no place in the graph, and the index says which resource is meant.
///
/// So asking about a copy does not compile:
///
/// ```compile_fail,E0308
/// use isolint_model::{Model, Resource};
///
/// fn endpoints_of_a_copy(model: &Model, copy: &Resource) -> usize {
///     model.private_endpoints_to(copy).len()
/// }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ResourceRef<'g> {
    idx: ResourceIdx,
    resource: &'g Resource,
}

impl<'g> ResourceRef<'g> {
    /// Its index in the graph.
    pub fn idx(self) -> ResourceIdx {
        self.idx
    }

    /// The resource, for as long as the graph lives.
    pub fn resource(self) -> &'g Resource {
        self.resource
    }
}

impl Deref for ResourceRef<'_> {
    type Target = Resource;

    fn deref(&self) -> &Resource {
        self.resource
    }
}

impl PartialEq for ResourceRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.idx == other.idx && std::ptr::eq(self.resource, other.resource)
    }
}

impl Eq for ResourceRef<'_> {}

/// What a reference resolves to.
#[derive(Clone, Debug)]
pub enum Target<'g> {
    /// A resource declared in the scan.
    Declared(ResourceRef<'g>),
    /// A resource ID that names nothing declared in the scan.
    External(ResourceId),
    /// A resource declared `existing` (or a data source): it exists, but its settings are
    /// not in the scan.
    Existing(ResourceRef<'g>),
    /// The reference itself cannot be settled statically.
    Unknown(Arc<Unknown>),
    /// There is no reference.
    Absent,
}

/// Every resource of a scan, indexed by type and by identity, with parents and children.
#[derive(Debug, Default)]
pub struct Graph {
    resources: Vec<Resource>,
    /// By lower-cased type, in declaration order.
    by_type: FxHashMap<Box<str>, Vec<ResourceIdx>>,
    /// The declared (not `existing`) resource of each identity in each root. Redeclarations
    /// are merged, so there is one.
    declared: FxHashMap<(RootId, IdKey), ResourceIdx>,
    /// The first declared resource of each fully known identity, whatever its root: a
    /// literal ID names the same resource from every template.
    declared_anywhere: FxHashMap<IdKey, ResourceIdx>,
    /// The first `existing` resource of each identity in each root.
    existing: FxHashMap<(RootId, IdKey), ResourceIdx>,
    parent: Vec<Option<ResourceIdx>>,
    children: Vec<Vec<ResourceIdx>>,
}

impl Graph {
    /// Builds the graph. Later declarations of a resource (a redeployment in a nested
    /// deployment, a Terraform partial update) merge into the first one; partial updates of
    /// resources that are not in the scan are dropped.
    pub fn new(resources: Vec<Resource>) -> Self {
        let resources = merge::merge_redeclarations(resources);
        let mut graph = Graph {
            parent: vec![None; resources.len()],
            children: vec![Vec::new(); resources.len()],
            resources,
            ..Graph::default()
        };
        for (i, resource) in graph.resources.iter().enumerate() {
            let idx = ResourceIdx(i);
            graph
                .by_type
                .entry(resource.ty.to_ascii_lowercase().into())
                .or_default()
                .push(idx);
            // A resource is found by its ID only when the ID is of its own type.
            if !same_type(&resource.ty, &resource.id.ty) {
                continue;
            }
            let key = IdKey::of(&resource.id);
            let root = resource.origin.root;
            if resource.existing {
                graph.existing.entry((root, key)).or_insert(idx);
            } else {
                if key.is_known() {
                    graph.declared_anywhere.entry(key.clone()).or_insert(idx);
                }
                graph.declared.entry((root, key)).or_insert(idx);
            }
        }
        graph.link_parents();
        graph
    }

    /// All resources, in declaration order; [`ResourceIdx::index`] is the position here.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// All resources with their indices, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = ResourceRef<'_>> {
        (0..self.resources.len()).map(|i| self.at(ResourceIdx(i)))
    }

    /// The resource at `idx`, if this graph has one there.
    pub fn get(&self, idx: ResourceIdx) -> Option<ResourceRef<'_>> {
        self.resources
            .get(idx.0)
            .map(|resource| ResourceRef { idx, resource })
    }

    /// The resources of ARM type `ty`, in declaration order.
    pub fn resources_of<'g>(&'g self, ty: &str) -> impl Iterator<Item = ResourceRef<'g>> + 'g {
        self.by_type
            .get(ty.to_ascii_lowercase().as_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&idx| self.at(idx))
    }

    /// The parent of a child resource, when it is declared in the scan.
    pub fn parent_of(&self, resource: ResourceRef<'_>) -> Option<ResourceRef<'_>> {
        let parent = self.parent.get(resource.idx.0).copied().flatten()?;
        Some(self.at(parent))
    }

    /// The declared children of a resource, in declaration order.
    pub fn children_of<'g>(
        &'g self,
        resource: ResourceRef<'_>,
    ) -> impl Iterator<Item = ResourceRef<'g>> + 'g {
        self.children
            .get(resource.idx.0)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&child| self.at(child))
    }

    /// Resolves a reference (a resource ID value) as seen from `from`: a symbolic ID
    /// matches only within `from`'s root; a fully known one anywhere in the scan, preferring
    /// `from`'s root.
    pub fn resolve<'g>(&'g self, from: &Resource, value: &Value<'_>) -> Target<'g> {
        match value {
            Value::Absent => Target::Absent,
            Value::Unknown(unknown) => Target::Unknown(Arc::clone(unknown)),
            Value::Known(node) => match reference_id(node) {
                Ok(id) => self.find(&id, from.origin.root),
                Err(unknown) => Target::Unknown(unknown),
            },
        }
    }

    /// What `id` names as seen from `root`: a declared resource (of `root`, else, for a
    /// fully known ID, of any root), else a resource declared `existing` in `root`, else
    /// something outside the scan.
    pub fn find(&self, id: &ResourceId, root: RootId) -> Target<'_> {
        let key = (root, IdKey::of(id));
        if let Some(idx) = self.declared_index(&key) {
            return Target::Declared(self.at(idx));
        }
        match self.existing.get(&key) {
            Some(&idx) => Target::Existing(self.at(idx)),
            None => Target::External(id.clone()),
        }
    }

    /// The declared resource with identity `key.1`, as seen from root `key.0`.
    fn declared_index(&self, key: &(RootId, IdKey)) -> Option<ResourceIdx> {
        self.declared.get(key).copied().or_else(|| {
            key.1
                .is_known()
                .then(|| self.declared_anywhere.get(&key.1).copied())
                .flatten()
        })
    }

    /// The resource at an index this graph handed out.
    fn at(&self, idx: ResourceIdx) -> ResourceRef<'_> {
        ResourceRef {
            idx,
            resource: &self.resources[idx.0],
        }
    }

    fn link_parents(&mut self) {
        for child in 0..self.resources.len() {
            let resource = &self.resources[child];
            let Some(parent_id) = resource.id.parent() else {
                continue;
            };
            let key = (resource.origin.root, IdKey::of(&parent_id));
            if let Some(parent) = self.declared_index(&key) {
                self.parent[child] = Some(parent);
                self.children[parent.0].push(ResourceIdx(child));
            }
        }
    }
}

/// The resource ID a reference value names: a symbolic ID, or a string that parses as one.
pub(crate) fn reference_id(node: &Node) -> Result<ResourceId, Arc<Unknown>> {
    match &node.kind {
        NodeKind::ResourceId(id) => Ok((**id).clone()),
        NodeKind::String(text) => ResourceId::parse(text).ok_or_else(|| {
            Arc::new(Unknown::new(
                node.render(),
                UnknownReason::Invalid {
                    message: format!("`{text}` is not a resource ID").into(),
                },
            ))
        }),
        NodeKind::Unknown(unknown) => Err(Arc::clone(unknown)),
        _ => Err(Arc::new(Unknown::new(
            node.render(),
            UnknownReason::Invalid {
                message: "the value is not a resource ID".into(),
            },
        ))),
    }
}

#[cfg(test)]
mod tests;
