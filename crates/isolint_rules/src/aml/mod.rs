//! Rules about Azure Machine Learning workspaces and what they depend on.

pub(crate) mod application_insights_public_access;
pub(crate) mod container_registry_private_endpoint_missing;
pub(crate) mod container_registry_public_network_access;
pub(crate) mod container_registry_sku_not_premium;
mod dependency;
pub(crate) mod image_build_compute_missing;
pub(crate) mod key_vault_private_endpoint_missing;
pub(crate) mod key_vault_public_network_access;
pub(crate) mod outbound_rule_requires_approved_mode;
pub(crate) mod outbound_rule_wildcard_destination;
pub(crate) mod storage_private_endpoint_missing;
pub(crate) mod storage_public_network_access;
pub(crate) mod workspace_managed_network_disabled;
pub(crate) mod workspace_private_dns_incomplete;
pub(crate) mod workspace_private_endpoint_missing;
pub(crate) mod workspace_public_network_access;
pub(crate) mod workspace_required_tags_missing;

use isolint_model::paths::KIND;
use isolint_model::{NodeKind, Resource, Value};

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
        match workspace.get(KIND).value {
            Value::Known(node) if node.str_eq("Project") => Self::Project,
            Value::Unknown(_) => Self::Unknown,
            _ => Self::Other,
        }
    }
}

/// `Disabled`: what a fix sets a public network access switch to.
pub(crate) fn disabled() -> NodeKind {
    NodeKind::String("Disabled".into())
}
