//! AML112: a key vault linked by a Machine Learning workspace has no private endpoint.

use isolint_model::ResourceRef;
use isolint_model::types::{KEY_VAULT, ML_WORKSPACE};

use crate::aml::dependency::{VAULT, check_private_endpoints};
use crate::{Cx, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags key vaults linked by a Machine Learning workspace that lack a private endpoint.
    ///
    /// The rule fires when no private endpoint with group `vault` reaches the vault and the
    /// workspace's managed network does not create one either.
    ///
    /// The managed network covers the vault when its `isolationMode` is
    /// `AllowOnlyApprovedOutbound`, or `AllowInternetOutbound` while the vault's public
    /// network access is disabled. A managed-network outbound rule of type `PrivateEndpoint`
    /// to the vault counts as a private endpoint.
    ///
    /// ## Why is this bad?
    /// Without a private endpoint the workspace reaches its secrets over the vault's public
    /// endpoint, which then has to stay open.
    ///
    /// ## How to fix
    /// Add a private endpoint with group ID `vault` (and the zone
    /// `privatelink.vaultcore.azure.net`), or give the workspace a managed network.
    ///
    /// ## Known limitations
    /// A private endpoint whose target or group IDs cannot be resolved statically counts as
    /// a possible match, and the rule stays silent.
    ///
    /// ## References
    /// - Azure Policy a6abeaec-4d90-4a02-805f-6b26c4d3fbe9
    pub(crate) static KEY_VAULT_PRIVATE_ENDPOINT_MISSING = Rule {
        id: "AML112",
        name: "key-vault-private-endpoint-missing",
        level: Level::Error,
        protects: Protects::Dependency,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Decisive,
        help: &[VAULT.endpoint],
        targets: &[KEY_VAULT, ML_WORKSPACE],
        check,
    };
}

fn check(resource: ResourceRef<'_>, cx: &mut Cx<'_>) {
    check_private_endpoints(&VAULT, resource, cx);
}
