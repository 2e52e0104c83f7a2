//! AML102: a storage account linked by a Machine Learning workspace has no private endpoint.

use isolint_model::ResourceRef;
use isolint_model::types::{ML_WORKSPACE, STORAGE_ACCOUNT};

use crate::aml::dependency::{STORAGE, check_private_endpoints};
use crate::{Cx, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags storage accounts linked by a Machine Learning workspace that lack private
    /// endpoints for `blob` and `file`.
    ///
    /// The rule fires when no private endpoint with group `blob` and with group `file`
    /// reaches the account and the workspace's managed network does not create them either.
    ///
    /// The managed network covers the account when its `isolationMode` is
    /// `AllowOnlyApprovedOutbound`, or `AllowInternetOutbound` while the account's public
    /// network access is disabled. A managed-network outbound rule of type `PrivateEndpoint`
    /// to the account counts as a private endpoint. The message lists the missing groups.
    ///
    /// ## Why is this bad?
    /// Without private endpoints, the workspace, its compute and studio users reach the
    /// account over its public endpoint, which then has to stay open to them.
    ///
    /// ## How to fix
    /// Add private endpoints with group IDs `blob` and `file` (and the matching private DNS
    /// zones), or give the workspace a managed network.
    ///
    /// ## Known limitations
    /// A private endpoint whose target or group IDs cannot be resolved statically counts as
    /// a possible match, and the rule stays silent.
    ///
    /// ## References
    /// - Azure Policy 6edd7eda-6dd8-40f7-810d-67160c639cd9
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network>
    pub(crate) static STORAGE_PRIVATE_ENDPOINT_MISSING = Rule {
        id: "AML102",
        name: "storage-private-endpoint-missing",
        level: Level::Error,
        protects: Protects::Dependency,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Decisive,
        help: &[STORAGE.endpoint],
        targets: &[STORAGE_ACCOUNT, ML_WORKSPACE],
        check,
    };
}

fn check(resource: ResourceRef<'_>, cx: &mut Cx<'_>) {
    check_private_endpoints(&STORAGE, resource, cx);
}
