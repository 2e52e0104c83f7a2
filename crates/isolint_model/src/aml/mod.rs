//! The Azure Machine Learning facts the rules ask about, computed once from the
//! [`Graph`]: which dependencies a workspace links, which private connections reach a
//! resource, a workspace's outbound rules and a private endpoint's DNS zones, which
//! computes belong to a workspace.

pub mod dns;
pub mod endpoints;
pub mod links;
pub mod outbound;

use crate::graph::{Graph, ResourceIdx, ResourceRef};
use crate::model::Model;
use crate::resource::Resource;
use crate::types::{ML_COMPUTE, ML_WORKSPACE};
use crate::value::{Node, Prop};

use endpoints::Endpoints;
use links::LinkKind;

/// The relations computed when the model is built.
#[derive(Debug, Default)]
pub(crate) struct Facts {
    /// The private connections of the scan.
    pub(crate) endpoints: Endpoints,
    /// For each resource, by index, the workspaces that link it and how.
    pub(crate) linked_by: Vec<Vec<(ResourceIdx, LinkKind)>>,
}

impl Facts {
    pub(crate) fn collect(graph: &Graph) -> Self {
        Self {
            endpoints: Endpoints::collect(graph),
            linked_by: links::linked_by(graph),
        }
    }
}

impl Model {
    /// The computes of a workspace.
    pub fn computes_of<'m>(
        &'m self,
        workspace: ResourceRef<'_>,
    ) -> impl Iterator<Item = ResourceRef<'m>> + 'm {
        self.graph()
            .children_of(workspace)
            .filter(|c| c.is(ML_COMPUTE))
    }

    /// The workspace of a compute, when it is declared in the scan.
    pub fn workspace_of(&self, compute: ResourceRef<'_>) -> Option<ResourceRef<'_>> {
        self.graph()
            .parent_of(compute)
            .filter(|p| p.is(ML_WORKSPACE))
    }
}

/// Looks up `path` inside a node that belongs to `resource`, so that the property found
/// points into `resource`'s declaration.
pub(crate) fn lookup_in<'a>(resource: &Resource, node: &'a Node, path: &str) -> Prop<'a> {
    node.lookup(path, &resource.origin.decls)
}

#[cfg(test)]
mod tests;
