//! CHG002: a change asks for a managed-network transition that Azure refuses.

use isolint_model::paths::{ISOLATION_MODE, MANAGED_NETWORK_KIND};
use isolint_model::types::ML_WORKSPACE;
use isolint_model::{ResourceRef, Value};

use crate::change::Mode;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a change to a workspace's managed network that Azure refuses.
    ///
    /// The transitions are one-way: the rule fires on `managedNetwork.isolationMode` set to
    /// `Disabled` on a workspace that has a managed network at the base revision,
    /// `AllowOnlyApprovedOutbound` changed to `AllowInternetOutbound`, and
    /// `managedNetwork.managedNetworkKind` changed from `V2` back to `V1`. Only
    /// `isolint diff` runs it.
    ///
    /// ## Why is this bad?
    /// Once a workspace has a managed network it keeps one, and data exfiltration
    /// protection, once on, stays on: the deployment of such a change fails. In a pipeline
    /// that deploys on merge, the failure lands after the review, often with the other
    /// changes of the same deployment half applied.
    ///
    /// ## How to fix
    /// Keep the mode the workspace has at the base revision. Loosening the outbound rules
    /// is done with outbound rules (an FQDN, service tag or private endpoint rule for what
    /// must be reached), not with a weaker mode. A workspace without a managed network is a
    /// new workspace: create it under a new name and move the work to it.
    ///
    /// ## Known limitations
    /// Removing the `managedNetwork` setting altogether is not reported: Azure keeps the mode
    /// it has (AML002 reports the template). The rule compares two revisions, so it has no
    /// example files under `rules/`; its tests build throw-away git repositories.
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network>
    pub(crate) static MANAGED_NETWORK_TRANSITION_REFUSED = Rule {
        id: "CHG002",
        name: "managed-network-transition-refused",
        level: Level::Error,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Preview,
        weighs: Weight::Advisory,
        help: &[HELP],
        targets: &[ML_WORKSPACE],
        check,
    };
}

const HELP: Help = Help {
    arm: "keep the managed network the workspace has at the base revision (its \"isolationMode\", and \"managedNetworkKind\": \"V2\" once chosen), and allow what must be reached with outbound rules; a workspace without a managed network is a new workspace",
    bicep: "keep the managed network the workspace has at the base revision (its `isolationMode`, and `managedNetworkKind: 'V2'` once chosen), and allow what must be reached with outbound rules; a workspace without a managed network is a new workspace",
    terraform: "keep the `managed_network` the workspace has at the base revision (its `isolation_mode`), and allow what must be reached with outbound rule resources; a workspace without a managed network is a new workspace",
    azapi: "keep the managed network the workspace has at the base revision (its `isolationMode`, and `managedNetworkKind = \"V2\"` once chosen), and allow what must be reached with outbound rules; a workspace without a managed network is a new workspace",
};

fn check(ws: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let Some(before) = cx.comparison().and_then(|comparison| comparison.before(ws)) else {
        return;
    };
    let help = cx.help(&HELP);
    let mode = ws.get(ISOLATION_MODE);
    // Only a mode written down asks for a transition: without one, Azure keeps the mode.
    if let (Some(was), Value::Known(_), Some(now)) =
        (Mode::of_workspace(&before), &mode.value, Mode::of(&mode))
    {
        let refused = match (was, now) {
            (Mode::AllowInternetOutbound | Mode::AllowOnlyApprovedOutbound, Mode::Disabled) => {
                Some("a managed network, once enabled, cannot be disabled")
            }
            (Mode::AllowOnlyApprovedOutbound, Mode::AllowInternetOutbound) => Some(
                "`AllowOnlyApprovedOutbound` (data exfiltration protection) cannot go back to `AllowInternetOutbound`",
            ),
            _ => None,
        };
        if let Some(why) = refused {
            cx.report(
                mode.span_or(ws.header()),
                ISOLATION_MODE,
                format!(
                    "workspace `{}` goes from `{}` at the base revision to `{}`, which Azure refuses: {why}",
                    ws.display_name(),
                    was.as_str(),
                    now.as_str(),
                ),
            )
            .help(help);
        }
    }
    let kind = ws.get(MANAGED_NETWORK_KIND);
    let kind_before = before.get(MANAGED_NETWORK_KIND);
    if kind_before.is("V2") && kind.is("V1") {
        cx.report(
            kind.span_or(ws.header()),
            MANAGED_NETWORK_KIND,
            format!(
                "workspace `{}` goes from managed network `V2` at the base revision back to `V1`, which Azure refuses: the move to `V2` is one-way",
                ws.display_name(),
            ),
        )
        .help(help);
    }
}
