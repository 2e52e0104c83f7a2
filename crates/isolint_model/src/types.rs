//! The ARM resource types the model and the rules know by name.

/// An Azure Machine Learning workspace (every `kind`: `Default`, `Hub`, `Project`, `FeatureStore`).
pub const ML_WORKSPACE: &str = "Microsoft.MachineLearningServices/workspaces";
/// A compute of a Machine Learning workspace.
pub const ML_COMPUTE: &str = "Microsoft.MachineLearningServices/workspaces/computes";
/// A managed online endpoint of a Machine Learning workspace.
pub const ML_ONLINE_ENDPOINT: &str = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints";
/// A managed-network outbound rule declared as its own resource.
pub const ML_OUTBOUND_RULE: &str = "Microsoft.MachineLearningServices/workspaces/outboundRules";
/// A storage account.
pub const STORAGE_ACCOUNT: &str = "Microsoft.Storage/storageAccounts";
/// A key vault.
pub const KEY_VAULT: &str = "Microsoft.KeyVault/vaults";
/// A container registry.
pub const CONTAINER_REGISTRY: &str = "Microsoft.ContainerRegistry/registries";
/// An Application Insights component.
pub const APPLICATION_INSIGHTS: &str = "Microsoft.Insights/components";
/// A private endpoint.
pub const PRIVATE_ENDPOINT: &str = "Microsoft.Network/privateEndpoints";
/// The DNS zone group of a private endpoint.
pub const PRIVATE_DNS_ZONE_GROUP: &str = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups";
/// A private DNS zone.
pub const PRIVATE_DNS_ZONE: &str = "Microsoft.Network/privateDnsZones";
/// A nested or linked ARM deployment (a Bicep module after compilation).
pub const DEPLOYMENT: &str = "Microsoft.Resources/deployments";

/// Whether two ARM types are the same (types compare case-insensitively).
pub fn same_type(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// A module the deployment graph could not read (see [`crate::coverage`]): not an Azure
/// type, a coverage gap that rule COV001 reports at the module call.
pub const UNREAD_MODULE: &str = "Isolint.Deployment/unreadModules";
