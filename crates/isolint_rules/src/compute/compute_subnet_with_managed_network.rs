//! AML204: a Machine Learning compute sets a subnet while its workspace has a managed network.

use isolint_model::ResourceRef;
use isolint_model::paths::{ISOLATION_MODE, SUBNET_ID};
use isolint_model::types::ML_COMPUTE;

use crate::compute::{ManagedNetwork, Subnet, checked_type, managed_network, subnet_of};
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags compute clusters and compute instances that set a subnet of their own while
    /// their workspace has a managed network.
    ///
    /// The rule fires when `properties.properties.subnet.id` is set (Terraform:
    /// `subnet_resource_id`) and the workspace's `managedNetwork.isolationMode` is
    /// `AllowInternetOutbound` or `AllowOnlyApprovedOutbound`. A project's computes are
    /// judged by its hub's network. A compute whose workspace is not in the scanned files
    /// is not checked (`--strict` notes it).
    ///
    /// ## Why is this bad?
    /// In a workspace with a managed network, the service places every compute in the
    /// managed virtual network itself and rejects a compute that names a subnet: the
    /// deployment fails. The azurerm provider documents the same constraint for
    /// `subnet_resource_id`.
    ///
    /// ## How to fix
    /// Remove the subnet from the compute and let the managed network hold it. If the
    /// compute must live in your own virtual network, the workspace cannot use a managed
    /// network: set its `isolationMode` to `Disabled` and isolate it with private
    /// endpoints and subnets instead.
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network-compute>
    /// - <https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/machine_learning_compute_instance>
    pub(crate) static COMPUTE_SUBNET_WITH_MANAGED_NETWORK = Rule {
        id: "AML204",
        name: "compute-subnet-with-managed-network",
        level: Level::Error,
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
    arm: r#"remove "subnet" from the compute's "properties": { "properties": { ... } }: the managed network places the compute"#,
    bicep: "remove `subnet` from the compute's `properties.properties`: the managed network places the compute",
    terraform: "remove `subnet_resource_id`: the managed network places the compute",
    azapi: "remove `subnet` from the body's `properties.properties`: the managed network places the compute",
};

fn check(compute: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let Some(ty) = checked_type(&compute, cx) else {
        return;
    };
    let (subnet, subnet_prop) = subnet_of(&compute);
    let subnet_at = subnet_prop.span_or(compute.header());
    let unknown_subnet = match subnet {
        Subnet::NotSet => return,
        Subnet::Set => None,
        Subnet::Unknown(unknown) => Some(unknown),
    };
    let (workspace, mode_text) = match managed_network(cx, compute) {
        ManagedNetwork::No(_) => return,
        ManagedNetwork::Unknown(unknown) => {
            cx.unresolved(subnet_at, ISOLATION_MODE, &unknown);
            return;
        }
        ManagedNetwork::Yes(workspace, mode) => (workspace, mode),
    };
    if let Some(unknown) = unknown_subnet {
        cx.unresolved(subnet_at, SUBNET_ID, &unknown);
        return;
    }
    let mode = workspace.get(ISOLATION_MODE);
    let help = cx.help(&HELP);
    cx.report(
        subnet_at,
        SUBNET_ID,
        format!(
            "{} `{}` sets a subnet while workspace `{}` has a managed network ({mode_text}): the service rejects the compute",
            ty.noun(),
            compute.known_as(),
            workspace.known_as()
        ),
    )
    .help(help)
    .label(
        mode.span_or(workspace.header()),
        format!("managed network of workspace `{}`", workspace.known_as()),
    )
    .decided_by(
        &subnet_prop.provenance.merge(&mode.provenance),
        compute.origin.syntax,
    );
}
