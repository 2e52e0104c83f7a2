//! The resource graph, with no knowledge of any service: every resource of a scan under a
//! [`ResourceIdx`], found by type or by identity, parents and children, redeclarations
//! merged, and references (resource ID values) resolved to what they name.
//!
//! Every lookup is a hash lookup, so building the graph and resolving each reference cost
//! the same however many resources the scan holds.

mod identity;
mod merge;

use std::borrow::Cow;
use std::ops::Deref;
use std::sync::Arc;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use crate::id::{NamePart, ResourceId};
use crate::resource::{Resource, RootId};
use crate::types::same_type;
use crate::value::{Node, NodeKind, Unknown, UnknownReason, Value};

use identity::{identity_hash, type_hash};

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
    /// The resources of each type (compared case-insensitively), in declaration order.
    by_type: HashTable<TypeMembers>,
    /// The declared (not `existing`) resource of each identity in each root. Redeclarations
    /// are merged, so there is one.
    declared: HashTable<ResourceIdx>,
    /// The first declared resource of each fully known identity, whatever its root: a
    /// literal ID names the same resource from every template.
    declared_anywhere: HashTable<ResourceIdx>,
    /// The first `existing` resource of each identity in each root.
    existing: HashTable<ResourceIdx>,
    parent: Vec<Option<ResourceIdx>>,
    children: Vec<Vec<ResourceIdx>>,
}

/// The resources of one type.
#[derive(Debug)]
struct TypeMembers {
    /// The type as the first of them spells it.
    ty: Arc<str>,
    members: Vec<ResourceIdx>,
}

/// Which roots an identity index answers for.
#[derive(Clone, Copy)]
enum Roots {
    /// One root at a time: the root is part of the identity.
    Each,
    /// All roots at once: for fully known identities, which mean the same everywhere.
    All,
}

impl Roots {
    fn hash(self, resource: &Resource) -> u64 {
        let root = match self {
            Self::Each => Some(resource.origin.root),
            Self::All => None,
        };
        identity_hash(root, &resource.id.ty, &resource.id.names)
    }
}

impl Graph {
    /// Builds the graph. Later declarations of a resource (a redeployment in a nested
    /// deployment, a Terraform partial update) merge into the first one; partial updates of
    /// resources that are not in the scan are dropped.
    pub fn new(resources: Vec<Resource>) -> Self {
        let resources = merge::merge_redeclarations(resources);
        // Sized for every resource up front: growing a table rehashes all of it.
        let mut by_type: HashTable<TypeMembers> = HashTable::new();
        let mut declared = HashTable::with_capacity(resources.len());
        let mut declared_anywhere = HashTable::with_capacity(resources.len());
        let mut existing = HashTable::new();
        for (i, resource) in resources.iter().enumerate() {
            let idx = ResourceIdx(i);
            let of_type = by_type.entry(
                type_hash(&resource.ty),
                |t| same_type(&t.ty, &resource.ty),
                |t| type_hash(&t.ty),
            );
            of_type
                .or_insert_with(|| TypeMembers {
                    ty: Arc::clone(&resource.ty),
                    members: Vec::new(),
                })
                .get_mut()
                .members
                .push(idx);
            // A resource is found by its ID only when the ID is of its own type.
            if !same_type(&resource.ty, &resource.id.ty) {
                continue;
            }
            if resource.existing {
                insert_first(&mut existing, &resources, idx, Roots::Each);
            } else {
                if resource.id.is_known() {
                    insert_first(&mut declared_anywhere, &resources, idx, Roots::All);
                }
                insert_first(&mut declared, &resources, idx, Roots::Each);
            }
        }
        let mut graph = Graph {
            parent: vec![None; resources.len()],
            children: vec![Vec::new(); resources.len()],
            resources,
            by_type,
            declared,
            declared_anywhere,
            existing,
        };
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
            .find(type_hash(ty), |t| same_type(&t.ty, ty))
            .map_or(&[][..], |t| t.members.as_slice())
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
        if let Some(idx) = self.declared_index(root, &id.ty, &id.names, id) {
            return Target::Declared(self.at(idx));
        }
        let existing = self
            .existing
            .find(identity_hash(Some(root), &id.ty, &id.names), |&i| {
                self.is(i, Some(root), &id.ty, &id.names, id)
            });
        match existing {
            Some(&idx) => Target::Existing(self.at(idx)),
            None => Target::External(id.clone()),
        }
    }

    /// The declared resource of type `ty` named `names`, in a scope `scope` may share, as
    /// seen from `root`.
    fn declared_index(
        &self,
        root: RootId,
        ty: &str,
        names: &[NamePart],
        scope: &ResourceId,
    ) -> Option<ResourceIdx> {
        let in_root = || {
            self.declared
                .find(identity_hash(Some(root), ty, names), |&i| {
                    self.is(i, Some(root), ty, names, scope)
                })
                .copied()
        };
        let anywhere = || {
            let known = names.iter().all(|n| matches!(n, NamePart::Known(_)));
            known
                .then(|| {
                    self.declared_anywhere
                        .find(identity_hash(None, ty, names), |&i| {
                            self.is(i, None, ty, names, scope)
                        })
                        .copied()
                })
                .flatten()
        };
        in_root().or_else(anywhere)
    }

    /// Whether the resource at `idx` is of type `ty`, named `names`, in `root` if given, in
    /// a scope `scope` may share (two same-named resources in two known resource groups are
    /// two resources).
    fn is(
        &self,
        idx: ResourceIdx,
        root: Option<RootId>,
        ty: &str,
        names: &[NamePart],
        scope: &ResourceId,
    ) -> bool {
        let resource = &self.resources[idx.0];
        root.is_none_or(|root| resource.origin.root == root)
            && resource.id.matches_parts(ty, names)
            && resource.id.may_share_scope(scope)
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
            let Some((ty, names)) = resource.id.parent_parts() else {
                continue;
            };
            if let Some(parent) = self.declared_index(resource.origin.root, ty, names, &resource.id)
            {
                self.parent[child] = Some(parent);
                self.children[parent.0].push(ResourceIdx(child));
            }
        }
    }
}

/// Adds `idx` to an identity index unless a resource of the same identity (in the same
/// root, for [`Roots::Each`]) is there already: the first declaration wins.
fn insert_first(
    index: &mut HashTable<ResourceIdx>,
    resources: &[Resource],
    idx: ResourceIdx,
    roots: Roots,
) {
    let resource = &resources[idx.0];
    let same = |&other: &ResourceIdx| {
        let other = &resources[other.0];
        (matches!(roots, Roots::All) || other.origin.root == resource.origin.root)
            && other.id.matches(&resource.id)
    };
    if let Entry::Vacant(slot) = index.entry(roots.hash(resource), same, |&other| {
        roots.hash(&resources[other.0])
    }) {
        slot.insert(idx);
    }
}

/// The resource ID a reference value names: a symbolic ID, or a string that parses as one.
pub(crate) fn reference_id(node: &Node) -> Result<Cow<'_, ResourceId>, Arc<Unknown>> {
    match &node.kind {
        NodeKind::ResourceId(id) => Ok(Cow::Borrowed(id)),
        NodeKind::String(text) => ResourceId::parse(text).map(Cow::Owned).ok_or_else(|| {
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
