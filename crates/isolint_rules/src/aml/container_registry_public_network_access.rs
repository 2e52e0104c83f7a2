//! AML121: a container registry linked by a Machine Learning workspace accepts traffic from all networks.

use isolint_model::ResourceRef;
use isolint_model::types::{CONTAINER_REGISTRY, ML_WORKSPACE};

use crate::aml::dependency::{REGISTRY, check_public_access};
use crate::{Cx, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags container registries linked by a Machine Learning workspace that accept
    /// traffic from all networks.
    ///
    /// The registry is open when `publicNetworkAccess` is not `Disabled` and
    /// `networkRuleSet.defaultAction` is not `Deny` (the API defaults are `Enabled` and
    /// `Allow`). Terraform: `public_network_access_enabled` not `false` and no
    /// `network_rule_set` with `default_action = "Deny"`.
    ///
    /// ## Why is this bad?
    /// The registry holds the images the workspace's environments, jobs and endpoints run.
    /// An open registry lets anyone with credentials pull or push them from anywhere.
    ///
    /// ## How to fix
    /// Disable public network access (or deny by default), reach the registry through a
    /// private endpoint (group `registry`) or the workspace's managed network, and set the
    /// workspace's `imageBuildCompute`, because a private registry cannot build images.
    ///
    /// ## References
    /// - Azure Policy 0fdf0491-d080-4575-b627-ad0e843cba0f and d0793b48-0edc-4296-a390-4c75d1bdfd71
    /// - PSRule `Azure.ACR.Firewall`
    pub(crate) static CONTAINER_REGISTRY_PUBLIC_NETWORK_ACCESS = Rule {
        id: "AML121",
        name: "container-registry-public-network-access",
        level: Level::Error,
        protects: Protects::Dependency,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Decisive,
        help: &[REGISTRY.close],
        targets: &[CONTAINER_REGISTRY, ML_WORKSPACE],
        check,
    };
}

fn check(resource: ResourceRef<'_>, cx: &mut Cx<'_>) {
    check_public_access(&REGISTRY, resource, cx);
}
