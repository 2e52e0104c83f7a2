//! AML101: a storage account linked by a Machine Learning workspace accepts traffic from all networks.

use isolint_model::ResourceRef;
use isolint_model::types::{ML_WORKSPACE, STORAGE_ACCOUNT};

use crate::aml::dependency::{STORAGE, check_public_access};
use crate::{Cx, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags storage accounts linked by a Machine Learning workspace that accept traffic
    /// from all networks.
    ///
    /// The account is open when `publicNetworkAccess` is not `Disabled` and
    /// `networkAcls.defaultAction` is not `Deny` (both are open when left out). Terraform:
    /// `public_network_access_enabled` not `false` and no `network_rules` (or
    /// `azurerm_storage_account_network_rules`) with `default_action = "Deny"`.
    ///
    /// ## Why is this bad?
    /// The workspace's default storage holds datasets, models, job outputs and notebooks.
    /// Closing the workspace's own endpoint does not protect that data when the account
    /// itself answers on the internet.
    ///
    /// ## How to fix
    /// Disable public network access, or set the firewall's default action to `Deny` and
    /// allow only the networks and trusted services that need it; reach the account
    /// through private endpoints (groups `blob` and `file`) or the workspace's managed
    /// network.
    ///
    /// ## References
    /// - Azure Policy b2982f36-99f2-4db5-8eff-283140c09693 and 34c877ad-507e-4c82-993e-3452a6e0ad3c
    /// - PSRule `Azure.Storage.Firewall`
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet>
    pub(crate) static STORAGE_PUBLIC_NETWORK_ACCESS = Rule {
        id: "AML101",
        name: "storage-public-network-access",
        level: Level::Error,
        protects: Protects::Dependency,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Decisive,
        help: &[STORAGE.close],
        targets: &[STORAGE_ACCOUNT, ML_WORKSPACE],
        check,
    };
}

fn check(resource: ResourceRef<'_>, cx: &mut Cx<'_>) {
    check_public_access(&STORAGE, resource, cx);
}
