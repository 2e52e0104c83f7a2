//! AML111: a key vault linked by a Machine Learning workspace accepts traffic from all networks.

use isolint_model::ResourceRef;
use isolint_model::types::{KEY_VAULT, ML_WORKSPACE};

use crate::aml::dependency::{VAULT, check_public_access};
use crate::{Cx, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags key vaults linked by a Machine Learning workspace that accept traffic from all
    /// networks.
    ///
    /// The vault is open when `publicNetworkAccess` is not `Disabled` and
    /// `networkAcls.defaultAction` is not `Deny` (both are open when left out). Terraform:
    /// `public_network_access_enabled` not `false` and no `network_acls` with
    /// `default_action = "Deny"`.
    ///
    /// ## Why is this bad?
    /// The workspace's key vault holds the secrets of its connections and datastores. An
    /// open vault is reachable from the internet by anyone who obtains a token.
    ///
    /// ## How to fix
    /// Disable public network access, or set the firewall's default action to `Deny`, and
    /// reach the vault through a private endpoint (group `vault`) or the workspace's
    /// managed network.
    ///
    /// ## References
    /// - Azure Policy 55615ac9-af46-4a59-874e-391cc3dfb490 and 405c5871-3e91-4644-8a63-58e19d68ff5b
    /// - PSRule `Azure.KeyVault.Firewall`
    pub(crate) static KEY_VAULT_PUBLIC_NETWORK_ACCESS = Rule {
        id: "AML111",
        name: "key-vault-public-network-access",
        level: Level::Error,
        protects: Protects::Dependency,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Decisive,
        help: &[VAULT.close],
        targets: &[KEY_VAULT, ML_WORKSPACE],
        check,
    };
}

fn check(resource: ResourceRef<'_>, cx: &mut Cx<'_>) {
    check_public_access(&VAULT, resource, cx);
}
