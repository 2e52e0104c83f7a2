//! The model of a scan: the generic resource [`Graph`], and the Azure Machine Learning
//! facts computed from it once, for every rule ([`crate::aml`]).

use crate::aml::Facts;
use crate::graph::Graph;
use crate::resource::Resource;

/// Every resource of a scan and the relations between them.
#[derive(Debug, Default)]
pub struct Model {
    graph: Graph,
    pub(crate) facts: Facts,
}

impl Model {
    /// Builds the graph (merging redeclarations, see [`Graph::new`]) and the facts the
    /// rules ask about.
    pub fn new(resources: Vec<Resource>) -> Self {
        let graph = Graph::new(resources);
        let facts = Facts::collect(&graph);
        Self { graph, facts }
    }

    /// The resources, by type and identity, with parents and children.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }
}
