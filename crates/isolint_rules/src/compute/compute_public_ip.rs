//! AML201: the nodes of a Machine Learning compute get public IP addresses.

use isolint_model::paths::ENABLE_NODE_PUBLIC_IP;
use isolint_model::types::ML_COMPUTE;
use isolint_model::{NodeKind, ResourceRef, Value};

use crate::compute::checked_type;
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags compute clusters and compute instances whose nodes get public IP addresses.
    ///
    /// The rule fires when `properties.properties.enableNodePublicIp` is `true` or left out
    /// (the service default is `true`). Terraform: `node_public_ip_enabled` not `false`
    /// (its default is `true`). Other compute types (AKS, Kubernetes, attached VMs) are not
    /// checked.
    ///
    /// ## Why is this bad?
    /// A node with a public IP address is reachable from the internet and sends its traffic
    /// out through its own address, around the firewall and the private endpoints of the
    /// workspace's network. Azure Machine Learning's recommended isolated setup has no
    /// public IP on compute nodes.
    ///
    /// ## How to fix
    /// Set `enableNodePublicIp` to `false` (Terraform: `node_public_ip_enabled = false`).
    /// The compute then needs a way out: the workspace's managed network, or a subnet of
    /// your own virtual network with outbound access (a NAT gateway or a firewall).
    ///
    /// ## Known limitations
    /// For compute instances, the default of `enableNodePublicIp` has varied across API
    /// versions; isolint takes a missing value as `true`, as the azurerm provider does.
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet>
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network-compute>
    pub(crate) static COMPUTE_PUBLIC_IP = Rule {
        id: "AML201",
        name: "compute-public-ip",
        level: Level::Warning,
        protects: Protects::Compute,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[HELP],
        targets: &[ML_COMPUTE],
        check,
    };
}

const HELP: Help = Help {
    arm: r#"set "enableNodePublicIp": false in the compute's "properties": { "properties": { ... } }, and give it a way out through the workspace's managed network or a subnet with outbound access"#,
    bicep: "set `enableNodePublicIp: false` in the compute's `properties.properties`, and give it a way out through the workspace's managed network or a subnet with outbound access",
    terraform: "set `node_public_ip_enabled = false`, and give the compute a way out through the workspace's managed network or a subnet with outbound access",
    azapi: "set `enableNodePublicIp = false` in the body's `properties.properties`, and give the compute a way out through the workspace's managed network or a subnet with outbound access",
};

fn check(compute: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let Some(ty) = checked_type(&compute, cx) else {
        return;
    };
    let public_ip = compute.get(ENABLE_NODE_PUBLIC_IP);
    let terms = Terms::of(&compute);
    let what = match &public_ip.value {
        Value::Unknown(unknown) => {
            cx.unresolved(
                public_ip.span_or(compute.header()),
                ENABLE_NODE_PUBLIC_IP,
                unknown,
            );
            return;
        }
        Value::Known(node) if node.as_bool() == Some(false) => return,
        Value::Known(node) => terms.is(ENABLE_NODE_PUBLIC_IP, node),
        Value::Absent => format!(
            "{} is not set and defaults to {}",
            terms.name(ENABLE_NODE_PUBLIC_IP),
            terms.flag(ENABLE_NODE_PUBLIC_IP, true)
        ),
    };
    let help = cx.help(&HELP);
    cx.report(
        public_ip.span_or(compute.header()),
        ENABLE_NODE_PUBLIC_IP,
        format!(
            "{} `{}` gives its nodes public IP addresses: {what}",
            ty.noun(),
            compute.known_as()
        ),
    )
    .help(help)
    .decided_by(&public_ip.provenance, compute.origin.syntax)
    .fixed_by(terms.fix(ENABLE_NODE_PUBLIC_IP, &public_ip, &NodeKind::Bool(false)));
}
