//! AML002: a Machine Learning workspace has no managed virtual network.

use isolint_model::paths::{ISOLATION_MODE, KIND};
use isolint_model::types::ML_WORKSPACE;
use isolint_model::{ResourceRef, Value};

use crate::aml::WorkspaceKind;
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags Azure Machine Learning workspaces without a managed virtual network.
    ///
    /// The rule fires when `managedNetwork.isolationMode` is absent or `Disabled`
    /// (Terraform: no `managed_network` block, or `isolation_mode = "Disabled"`). Projects
    /// inherit their hub's network and are not checked.
    ///
    /// ## Why is this bad?
    /// Without a managed network, the workspace's compute (instances, clusters, serverless
    /// jobs, online endpoints) reaches the internet and the workspace's dependencies
    /// directly, unless every compute is placed in a virtual network of your own. A managed
    /// network isolates outbound traffic and creates private endpoints to the workspace's
    /// storage account, key vault and container registry.
    ///
    /// ## How to fix
    /// Set `managedNetwork.isolationMode` to `AllowOnlyApprovedOutbound` (data exfiltration
    /// protection) or `AllowInternetOutbound`. If you bring your own virtual network
    /// instead, put every compute in one of its subnets and give each dependency a private
    /// endpoint; then this warning can be suppressed for the workspace. Enabling a managed
    /// network cannot be undone, and existing computes must be recreated.
    ///
    /// ## References
    /// - Azure Policy 6ddb1705-c8cf-450e-aa4b-19ad6703c440 (assign it with
    ///   `AllowOnlyApprovedOutbound`: its default parameter is `Disabled`)
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network>
    pub(crate) static WORKSPACE_MANAGED_NETWORK_DISABLED = Rule {
        id: "AML002",
        name: "workspace-managed-network-disabled",
        level: Level::Warning,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Alternative("a private path"),
        help: &[HELP],
        targets: &[ML_WORKSPACE],
        check,
    };
}

const HELP: Help = Help {
    arm: r#"set "managedNetwork": { "isolationMode": "AllowOnlyApprovedOutbound" } in the workspace's properties, or put every compute in a subnet of your own virtual network"#,
    bicep: "set `managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound' }` in the workspace's properties, or put every compute in a subnet of your own virtual network",
    terraform: "add `managed_network { isolation_mode = \"AllowOnlyApprovedOutbound\" }`, or put every compute in a subnet of your own virtual network",
    azapi: "set `managedNetwork = { isolationMode = \"AllowOnlyApprovedOutbound\" }` in the body's properties, or put every compute in a subnet of your own virtual network",
};

fn check(ws: ResourceRef<'_>, cx: &mut Cx<'_>) {
    match WorkspaceKind::of(&ws) {
        WorkspaceKind::Project => return,
        WorkspaceKind::Unknown => {
            if let Some(unknown) = ws.get(KIND).unknown() {
                cx.unresolved(ws.header(), KIND, unknown);
            }
            return;
        }
        WorkspaceKind::Other => {}
    }
    let help = cx.help(&HELP);
    let mode = ws.get(ISOLATION_MODE);
    let what = match &mode.value {
        Value::Unknown(unknown) => {
            cx.unresolved(mode.span_or(ws.header()), ISOLATION_MODE, unknown);
            return;
        }
        Value::Known(node) if !node.str_eq("Disabled") => return,
        Value::Known(node) => Terms::of(&ws).is(ISOLATION_MODE, node),
        Value::Absent => format!("{} is not set", Terms::of(&ws).name(ISOLATION_MODE)),
    };
    cx.report(
        mode.span_or(ws.header()),
        ISOLATION_MODE,
        format!(
            "workspace `{}` has no managed virtual network: {what}",
            ws.known_as()
        ),
    )
    .help(help)
    .decided_by(&mode.provenance, ws.origin.syntax)
    .append(
        "; unless every compute sits in a virtual network of your own, its outbound traffic is not isolated",
    );
}
