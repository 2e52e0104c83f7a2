//! AML205: a Machine Learning compute sits in no network: no subnet, no managed network.

use isolint_model::ResourceRef;
use isolint_model::paths::{ISOLATION_MODE, SUBNET_ID};
use isolint_model::types::ML_COMPUTE;

use crate::compute::{ManagedNetwork, Subnet, checked_type, managed_network, subnet_of};
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags compute clusters and compute instances that sit in no virtual network: they
    /// set no subnet, and their workspace has no managed network.
    ///
    /// The rule fires when `properties.properties.subnet.id` is absent or empty
    /// (Terraform: no `subnet_resource_id`) and the workspace's
    /// `managedNetwork.isolationMode` is absent or `Disabled`. A project's computes are
    /// judged by its hub's network. A compute whose workspace is not in the scanned files
    /// is not checked (`--strict` notes it).
    ///
    /// ## Why is this bad?
    /// Outside a virtual network, the compute reaches the workspace's storage account, key
    /// vault and container registry over their public endpoints, so those cannot be closed
    /// without breaking training and inference, and its outbound traffic is not
    /// controlled.
    ///
    /// ## How to fix
    /// Give the workspace a managed network (`managedNetwork.isolationMode` set to
    /// `AllowOnlyApprovedOutbound` or `AllowInternetOutbound`), which places every compute
    /// in it; or put the compute in a subnet of your own virtual network
    /// (`properties.properties.subnet.id`).
    ///
    /// ## References
    /// - Azure Policy 7804b5c7-01dc-4723-969b-ae300cc07ff1, "Azure Machine Learning Computes
    ///   should be in a virtual network", and PSRule `Azure.ML.ComputeVnet` flag every
    ///   compute without a subnet. They do not know managed networks: a compute in a
    ///   managed network passes this rule, since setting a subnet there is an error
    ///   (AML204).
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network>
    pub(crate) static COMPUTE_OUTSIDE_NETWORK = Rule {
        id: "AML205",
        name: "compute-outside-network",
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
    arm: r#"give the workspace "managedNetwork": { "isolationMode": "AllowOnlyApprovedOutbound" }, or set "subnet": { "id": "<subnet resource ID>" } in the compute's "properties": { "properties": { ... } }"#,
    bicep: "give the workspace `managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound' }`, or set `subnet: { id: <subnet resource ID> }` in the compute's `properties.properties`",
    terraform: "give the workspace `managed_network { isolation_mode = \"AllowOnlyApprovedOutbound\" }`, or set `subnet_resource_id` on the compute",
    azapi: "give the workspace `managedNetwork = { isolationMode = \"AllowOnlyApprovedOutbound\" }`, or set `subnet = { id = ... }` in the body's `properties.properties`",
};

fn check(compute: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let Some(ty) = checked_type(&compute, cx) else {
        return;
    };
    let (subnet, subnet_prop) = subnet_of(&compute);
    let at = subnet_prop.span_or(compute.header());
    match subnet {
        Subnet::Set => return,
        Subnet::Unknown(unknown) => {
            cx.unresolved(at, SUBNET_ID, &unknown);
            return;
        }
        Subnet::NotSet => {}
    }
    let workspace = match managed_network(cx, compute) {
        ManagedNetwork::Yes(..) => return,
        ManagedNetwork::Unknown(unknown) => {
            cx.unresolved(at, ISOLATION_MODE, &unknown);
            return;
        }
        ManagedNetwork::No(workspace) => workspace,
    };
    let mode = workspace.get(ISOLATION_MODE);
    let subnet_text = if subnet_prop.span.is_some() {
        "its subnet is empty"
    } else {
        "it sets no subnet"
    };
    let help = cx.help(&HELP);
    cx.report(
        at,
        SUBNET_ID,
        format!(
            "{} `{}` is in no virtual network: {subnet_text}, and workspace `{}` has no managed network",
            ty.noun(),
            compute.known_as(),
            workspace.known_as()
        ),
    )
    .help(help)
    .label(
        mode.span_or(workspace.header()),
        format!("workspace `{}` has no managed network", workspace.known_as()),
    )
    .decided_by(
        &subnet_prop.provenance.merge(&mode.provenance),
        compute.origin.syntax,
    );
}
