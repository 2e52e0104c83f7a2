//! AML122: a container registry linked by a Machine Learning workspace has no private endpoint.

use isolint_model::ResourceRef;
use isolint_model::types::{CONTAINER_REGISTRY, ML_WORKSPACE};

use crate::aml::dependency::{REGISTRY, check_private_endpoints};
use crate::{Cx, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags container registries linked by a Machine Learning workspace that lack a private
    /// endpoint.
    ///
    /// The rule fires when no private endpoint with group `registry` reaches the registry
    /// and the workspace's managed network does not create one either.
    ///
    /// The managed network covers the registry when its `isolationMode` is
    /// `AllowOnlyApprovedOutbound`, or `AllowInternetOutbound` while the registry's public
    /// network access is disabled. A managed-network outbound rule of type `PrivateEndpoint`
    /// to the registry counts as a private endpoint.
    ///
    /// ## Why is this bad?
    /// Without a private endpoint, compute pulls images over the registry's public endpoint,
    /// which then has to stay open.
    ///
    /// ## How to fix
    /// Add a private endpoint with group ID `registry` (zone `privatelink.azurecr.io`; the
    /// registry must be Premium), or give the workspace a managed network. azurerm's
    /// outbound-rule resource has no `registry` target: use azapi for such a rule.
    ///
    /// ## Known limitations
    /// A private endpoint whose target or group IDs cannot be resolved statically counts as
    /// a possible match, and the rule stays silent.
    ///
    /// ## References
    /// - Azure Policy e8eef0a8-67cf-4eb4-9386-14b0e78733d4
    pub(crate) static CONTAINER_REGISTRY_PRIVATE_ENDPOINT_MISSING = Rule {
        id: "AML122",
        name: "container-registry-private-endpoint-missing",
        level: Level::Error,
        protects: Protects::Dependency,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Decisive,
        help: &[REGISTRY.endpoint],
        targets: &[CONTAINER_REGISTRY, ML_WORKSPACE],
        check,
    };
}

fn check(resource: ResourceRef<'_>, cx: &mut Cx<'_>) {
    check_private_endpoints(&REGISTRY, resource, cx);
}
