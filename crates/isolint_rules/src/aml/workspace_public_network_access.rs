//! AML001: a Machine Learning workspace accepts public network traffic.

use isolint_model::paths::{ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET, KIND, PUBLIC_NETWORK_ACCESS};
use isolint_model::types::ML_WORKSPACE;
use isolint_model::{NodeKind, ResourceRef, Value};

use crate::aml::{WorkspaceKind, disabled};
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags Azure Machine Learning workspaces whose public endpoint accepts traffic from
    /// the internet.
    ///
    /// A workspace is public when `publicNetworkAccess` is not `Disabled` (the service
    /// default, when the property is left out, is `Enabled`), or when the legacy switch
    /// `allowPublicAccessWhenBehindVnet` is `true`. With azurerm, `public_network_access_enabled`
    /// defaults to `true` from provider 4.0 on; `azurerm_ai_foundry` hubs default
    /// `public_network_access` to `Enabled`.
    ///
    /// A workspace of kind `Project` inherits its hub's network, so it is flagged only for
    /// what it sets explicitly.
    ///
    /// ## Why is this bad?
    /// Private endpoints and a managed network isolate a workspace only if its public
    /// endpoint is closed: otherwise anyone on the internet who holds a token can reach the
    /// workspace API, its notebooks and its data.
    ///
    /// ## How to fix
    /// Set `publicNetworkAccess` to `Disabled` (Terraform: `public_network_access_enabled =
    /// false`), remove `allowPublicAccessWhenBehindVnet`, and reach the workspace through a
    /// private endpoint with group `amlworkspace`.
    ///
    /// ## References
    /// - Azure Policy 438c38d2-3772-465a-a9cc-7a6666a275ce, "Azure Machine Learning
    ///   Workspaces should disable public network access"
    /// - PSRule `Azure.ML.PublicAccess`
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link>
    pub(crate) static WORKSPACE_PUBLIC_NETWORK_ACCESS = Rule {
        id: "AML001",
        name: "workspace-public-network-access",
        level: Level::Error,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Decisive,
        help: &[HELP, BEHIND_VNET_HELP],
        targets: &[ML_WORKSPACE],
        check,
    };
}

const HELP: Help = Help {
    arm: r#"set "publicNetworkAccess": "Disabled" in the workspace's properties"#,
    bicep: "set `publicNetworkAccess: 'Disabled'` in the workspace's properties",
    terraform: "set `public_network_access_enabled = false` (azurerm_ai_foundry: `public_network_access = \"Disabled\"`)",
    azapi: "set `publicNetworkAccess = \"Disabled\"` in the body's properties",
};

const BEHIND_VNET_HELP: Help = Help {
    arm: r#"remove "allowPublicAccessWhenBehindVnet" (or set it to false) and set "publicNetworkAccess": "Disabled""#,
    bicep: "remove `allowPublicAccessWhenBehindVnet` (or set it to `false`) and set `publicNetworkAccess: 'Disabled'`",
    terraform: "set `public_network_access_enabled = false` (azurerm no longer sends the legacy switch; in an azapi body set `allowPublicAccessWhenBehindVnet = false`)",
    azapi: "remove `allowPublicAccessWhenBehindVnet` and set `publicNetworkAccess = \"Disabled\"`",
};

fn check(ws: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let help = cx.help(&HELP);
    let terms = Terms::of(&ws);
    let syntax = ws.origin.syntax;
    let kind = WorkspaceKind::of(&ws);
    let access = ws.get(PUBLIC_NETWORK_ACCESS);
    let behind_vnet = ws.get(ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET);
    let legacy_open = behind_vnet.known().and_then(isolint_model::Node::as_bool) == Some(true);

    match &access.value {
        Value::Known(node) if !node.str_eq("Disabled") => {
            cx.report(
                access.span_or(ws.header()),
                PUBLIC_NETWORK_ACCESS,
                format!(
                    "workspace `{}` accepts public network traffic: {}",
                    ws.known_as(),
                    terms.is(PUBLIC_NETWORK_ACCESS, node)
                ),
            )
            .help(help)
            .decided_by(&access.provenance, syntax)
            .fixed_by(terms.fix(PUBLIC_NETWORK_ACCESS, &access, &disabled()));
            return;
        }
        Value::Absent if kind == WorkspaceKind::Other => {
            cx.report(
                access.span_or(ws.header()),
                PUBLIC_NETWORK_ACCESS,
                format!(
                    "workspace `{}` accepts public network traffic: {} is not set and defaults to {}",
                    ws.known_as(),
                    terms.name(PUBLIC_NETWORK_ACCESS),
                    terms.text(PUBLIC_NETWORK_ACCESS, "Enabled"),
                ),
            )
            .help(help)
            .decided_by(&access.provenance, syntax);
            return;
        }
        Value::Absent if kind == WorkspaceKind::Unknown && !legacy_open => {
            if let Some(unknown) = ws.get(KIND).unknown() {
                cx.unresolved(ws.header(), KIND, unknown);
            }
            return;
        }
        Value::Unknown(unknown) if !legacy_open => {
            cx.unresolved(access.span_or(ws.header()), PUBLIC_NETWORK_ACCESS, unknown);
            return;
        }
        _ => {}
    }

    if let Some(node) = behind_vnet.known().filter(|_| legacy_open) {
        let help = cx.help(&BEHIND_VNET_HELP);
        cx.report(
            behind_vnet.span_or(ws.header()),
            ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET,
            format!(
                "workspace `{}` accepts public network traffic: {}",
                ws.known_as(),
                terms.is(ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET, node),
            ),
        )
        .help(help)
        .decided_by(&behind_vnet.provenance, syntax)
        .fixed_by(terms.fix(
            ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET,
            &behind_vnet,
            &NodeKind::Bool(false),
        ));
    } else if let Some(unknown) = behind_vnet.unknown() {
        cx.unresolved(
            behind_vnet.span_or(ws.header()),
            ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET,
            unknown,
        );
    }
}
