//! AML003: a Machine Learning workspace closed to the public has no private endpoint.

use isolint_model::paths::{KIND, PUBLIC_NETWORK_ACCESS};
use isolint_model::types::ML_WORKSPACE;
use isolint_model::{EndpointSearch, ResourceRef, Value};

use crate::aml::WorkspaceKind;
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags Machine Learning workspaces whose public network access is disabled while no
    /// private endpoint reaches them.
    ///
    /// The rule fires when `publicNetworkAccess` is `Disabled` and no private endpoint with
    /// group `amlworkspace` targets the workspace anywhere in the scanned files (automatic
    /// or manual connections; a managed-network outbound rule of type `PrivateEndpoint` of
    /// another workspace counts too). A workspace of kind `Project` is reached through its
    /// hub and is not checked.
    ///
    /// ## Why is this bad?
    /// With the public endpoint closed, clients (the studio, the SDK, the CLI, pipelines)
    /// reach the workspace only through a private endpoint in a virtual network of yours. A
    /// managed network does not help here: it isolates the workspace's outbound traffic,
    /// not the way in. Without a private endpoint the workspace deploys but nobody can use
    /// it.
    ///
    /// ## How to fix
    /// Add a `Microsoft.Network/privateEndpoints` resource whose
    /// `privateLinkServiceConnections` target the workspace with `groupIds:
    /// ['amlworkspace']`, with a DNS zone group for `privatelink.api.azureml.ms` and
    /// `privatelink.notebooks.azure.net`. If the endpoint is deployed from another
    /// repository, include its files in the scan or suppress the finding with a reason.
    ///
    /// ## Known limitations
    /// A private endpoint whose target or group IDs cannot be resolved statically counts as
    /// a possible match, and the rule stays silent (`--strict` notes it).
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link>
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network>
    pub(crate) static WORKSPACE_PRIVATE_ENDPOINT_MISSING = Rule {
        id: "AML003",
        name: "workspace-private-endpoint-missing",
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

/// The private endpoint group ID of a workspace.
const GROUP: &str = "amlworkspace";

const HELP: Help = Help {
    arm: r#"add a "Microsoft.Network/privateEndpoints" resource whose privateLinkServiceConnections target this workspace with "groupIds": ["amlworkspace"]"#,
    bicep: "add a `Microsoft.Network/privateEndpoints` resource whose `privateLinkServiceConnections` target this workspace with `groupIds: ['amlworkspace']`",
    terraform: "add an `azurerm_private_endpoint` whose `private_service_connection` targets this workspace with `subresource_names = [\"amlworkspace\"]`",
    azapi: "add a private endpoint whose `privateLinkServiceConnections` target this workspace with `groupIds = [\"amlworkspace\"]`",
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
    let access = ws.get(PUBLIC_NETWORK_ACCESS);
    let closed = match &access.value {
        Value::Known(node) if node.str_eq("Disabled") => {
            Terms::of(&ws).is(PUBLIC_NETWORK_ACCESS, node)
        }
        Value::Unknown(unknown) => {
            cx.unresolved(access.span_or(ws.header()), PUBLIC_NETWORK_ACCESS, unknown);
            return;
        }
        _ => return,
    };
    match cx.model().find_private_endpoint(ws, GROUP) {
        EndpointSearch::Found(_) => {}
        EndpointSearch::Unknown(unknown) => {
            cx.unresolved(ws.header(), "privateEndpoints", &unknown);
        }
        EndpointSearch::Missing => {
            let help = cx.help(&HELP);
            cx.report(
                access.span_or(ws.header()),
                "privateEndpoints",
                format!(
                    "workspace `{}` cannot be reached: {} and no private endpoint with group `amlworkspace` targets it",
                    ws.known_as(),
                    closed,
                ),
            )
            .help(help)
            .decided_by(&access.provenance, ws.origin.syntax);
        }
    }
}
