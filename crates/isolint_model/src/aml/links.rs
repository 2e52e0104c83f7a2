//! The dependencies a workspace links through its properties (storage account, key vault,
//! container registry, Application Insights), and the reverse: the workspaces linking a
//! dependency.

use crate::graph::{Graph, ResourceIdx, ResourceRef, Target};
use crate::model::Model;
use crate::paths;
use crate::types::{
    APPLICATION_INSIGHTS, CONTAINER_REGISTRY, KEY_VAULT, ML_WORKSPACE, STORAGE_ACCOUNT,
};
use crate::value::Prop;

/// The dependencies a workspace links through its properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `properties.storageAccount`.
    StorageAccount,
    /// `properties.keyVault`.
    KeyVault,
    /// `properties.containerRegistry`.
    ContainerRegistry,
    /// `properties.applicationInsights`.
    ApplicationInsights,
}

impl LinkKind {
    /// Every kind, in a fixed order.
    pub const ALL: [LinkKind; 4] = [
        Self::StorageAccount,
        Self::KeyVault,
        Self::ContainerRegistry,
        Self::ApplicationInsights,
    ];

    /// The workspace property that holds the link.
    pub fn property(self) -> &'static str {
        match self {
            Self::StorageAccount => paths::STORAGE_ACCOUNT,
            Self::KeyVault => paths::KEY_VAULT,
            Self::ContainerRegistry => paths::CONTAINER_REGISTRY,
            Self::ApplicationInsights => paths::APPLICATION_INSIGHTS,
        }
    }

    /// The ARM type the link points at.
    pub fn target_type(self) -> &'static str {
        match self {
            Self::StorageAccount => STORAGE_ACCOUNT,
            Self::KeyVault => KEY_VAULT,
            Self::ContainerRegistry => CONTAINER_REGISTRY,
            Self::ApplicationInsights => APPLICATION_INSIGHTS,
        }
    }

    /// The kind of link that points at resources of `ty`, if any.
    pub fn for_type(ty: &str) -> Option<LinkKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.target_type().eq_ignore_ascii_case(ty))
    }
}

/// A workspace's link to a dependency.
#[derive(Clone, Debug)]
pub struct Link<'m> {
    /// Which property.
    pub kind: LinkKind,
    /// The workspace.
    pub workspace: ResourceRef<'m>,
    /// The property, with where it is written.
    pub prop: Prop<'m>,
    /// What it points at.
    pub target: Target<'m>,
}

/// The workspace's link of `kind`, resolved in `graph`.
fn link_in<'g>(graph: &'g Graph, workspace: ResourceRef<'g>, kind: LinkKind) -> Link<'g> {
    let prop = workspace.resource().get(kind.property());
    let target = graph.resolve(&workspace, &prop.value);
    Link {
        kind,
        workspace,
        prop,
        target,
    }
}

/// For each resource, the workspaces that link it and how: computed once, so that asking
/// about a dependency does not visit every workspace.
pub(crate) fn linked_by(graph: &Graph) -> Vec<Vec<(ResourceIdx, LinkKind)>> {
    let mut linked_by = vec![Vec::new(); graph.resources().len()];
    for workspace in graph.resources_of(ML_WORKSPACE) {
        for kind in LinkKind::ALL {
            if let Target::Declared(target) = link_in(graph, workspace, kind).target {
                linked_by[target.idx().index()].push((workspace.idx(), kind));
            }
        }
    }
    linked_by
}

impl Model {
    /// The workspace's link of `kind`.
    pub fn link<'m>(&'m self, workspace: ResourceRef<'m>, kind: LinkKind) -> Link<'m> {
        link_in(self.graph(), workspace, kind)
    }

    /// All four links of a workspace.
    pub fn links<'m>(&'m self, workspace: ResourceRef<'m>) -> impl Iterator<Item = Link<'m>> + 'm {
        LinkKind::ALL
            .into_iter()
            .map(move |kind| self.link(workspace, kind))
    }

    /// The links from workspaces to this resource.
    pub fn workspaces_linking<'m>(&'m self, resource: ResourceRef<'_>) -> Vec<Link<'m>> {
        let linking = self
            .facts
            .linked_by
            .get(resource.idx().index())
            .map_or(&[][..], Vec::as_slice);
        linking
            .iter()
            .filter_map(|&(workspace, kind)| Some(self.link(self.graph().get(workspace)?, kind)))
            .collect()
    }
}
