//! Rules about Azure Machine Learning workspaces and what they depend on.

pub(crate) mod workspace_public_network_access;

use isolint_model::{Node, NodeKind, Resource, Value};

/// What a rule needs to know of a workspace's `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WorkspaceKind {
    /// An AI Foundry project: its hub answers for its network.
    Project,
    /// `Default`, `Hub`, `FeatureStore`, or no kind at all.
    Other,
    /// The kind is a parameter without a value.
    Unknown,
}

impl WorkspaceKind {
    pub(crate) fn of(workspace: &Resource) -> Self {
        match workspace.get("kind").value {
            Value::Known(node) if node.str_eq("Project") => Self::Project,
            Value::Unknown(_) => Self::Unknown,
            _ => Self::Other,
        }
    }
}

/// A known value as it reads in a message: `` `Enabled` ``, `` `true` ``.
pub(crate) fn describe(node: &Node) -> String {
    match &node.kind {
        NodeKind::String(s) => format!("`{s}`"),
        _ => format!("`{}`", node.render()),
    }
}
