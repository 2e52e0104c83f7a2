//! AML005: an FQDN or service-tag outbound rule sits in a managed network that does not use it.

use isolint_model::paths::{ISOLATION_MODE, OUTBOUND_RULES};
use isolint_model::types::ML_WORKSPACE;
use isolint_model::{OutboundRule, OutboundRuleType, Resource, ResourceRef, Value};

use crate::aml::WorkspaceKind;
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags managed-network outbound rules of type `FQDN` or `ServiceTag` on workspaces
    /// whose isolation mode is not `AllowOnlyApprovedOutbound`.
    ///
    /// The rule checks the workspace's inline `managedNetwork.outboundRules` and its
    /// `workspaces/outboundRules` child resources, and points at each such rule. It fires
    /// when `managedNetwork.isolationMode` is absent, `Disabled` or `AllowInternetOutbound`.
    /// Rules of type `PrivateEndpoint` are valid in both managed modes and are not flagged.
    /// Projects inherit their hub's managed network and are not checked.
    ///
    /// ## Why is this bad?
    /// FQDN and service-tag rules exist to open specific destinations in a network that
    /// otherwise allows only approved outbound traffic. Without a managed network the rule
    /// does nothing; with `AllowInternetOutbound` every destination is already open, so the
    /// rule suggests an exfiltration control that is not there (and the service may reject
    /// the deployment).
    ///
    /// ## How to fix
    /// Set `managedNetwork.isolationMode` to `AllowOnlyApprovedOutbound` (an FQDN rule then
    /// deploys a managed Azure Firewall), or remove the rule if the workspace is meant to
    /// reach the internet freely.
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network>
    pub(crate) static OUTBOUND_RULE_REQUIRES_APPROVED_MODE = Rule {
        id: "AML005",
        name: "outbound-rule-requires-approved-mode",
        level: Level::Error,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Decisive,
        help: &[HELP],
        targets: &[ML_WORKSPACE],
        check,
    };
}

const HELP: Help = Help {
    arm: r#"set "managedNetwork": { "isolationMode": "AllowOnlyApprovedOutbound" } in the workspace's properties, or remove the rule"#,
    bicep: "set `managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound' }` in the workspace's properties, or remove the rule",
    terraform: "set `isolation_mode = \"AllowOnlyApprovedOutbound\"` in the workspace's `managed_network` block, or remove the rule",
    azapi: "set `managedNetwork = { isolationMode = \"AllowOnlyApprovedOutbound\" }` in the workspace body's properties, or remove the rule",
};

fn check(ws: ResourceRef<'_>, cx: &mut Cx<'_>) {
    match WorkspaceKind::of(&ws) {
        WorkspaceKind::Project => return,
        WorkspaceKind::Unknown | WorkspaceKind::Other => {}
    }
    let rules = cx.model().outbound_rules(ws);
    let mode = ws.get(ISOLATION_MODE);
    let terms = Terms::of(&ws);
    let state = match &mode.value {
        Value::Known(node) if node.str_eq("AllowOnlyApprovedOutbound") => return,
        Value::Known(node) => terms.is(ISOLATION_MODE, node),
        Value::Absent => format!(
            "{} is not set ({})",
            terms.name(ISOLATION_MODE),
            terms.text(ISOLATION_MODE, "Disabled")
        ),
        Value::Unknown(unknown) => {
            let needs_mode = rules
                .rules
                .iter()
                .any(|r| matches!(r.ty, OutboundRuleType::Fqdn | OutboundRuleType::ServiceTag));
            if needs_mode {
                cx.unresolved(mode.span_or(ws.header()), ISOLATION_MODE, unknown);
            }
            return;
        }
    };
    for rule in &rules.rules {
        match &rule.ty {
            OutboundRuleType::Fqdn | OutboundRuleType::ServiceTag => {
                report(cx, &ws, rule, &state, &mode.provenance);
            }
            OutboundRuleType::Unknown(unknown) => {
                let at = rule.type_prop.span_or(rule.span);
                cx.unresolved(at, &rule.property, unknown);
            }
            OutboundRuleType::PrivateEndpoint | OutboundRuleType::Other => {}
        }
    }
    if let Some((unknown, at)) = &rules.unknown {
        cx.unresolved(*at, OUTBOUND_RULES, unknown);
    }
}

fn report(
    cx: &mut Cx<'_>,
    ws: &Resource,
    rule: &OutboundRule<'_>,
    state: &str,
    provenance: &isolint_model::Provenance,
) {
    let help = cx.help(&HELP);
    let ty = rule.ty.as_str().unwrap_or_default();
    let finding = cx.report_on(
        &rule.declared_by,
        rule.span,
        &rule.property,
        format!(
            "outbound rule `{}` ({ty}) of workspace `{}` takes effect only in `AllowOnlyApprovedOutbound` mode, but {state}",
            rule.name,
            ws.known_as()
        ),
    );
    finding.help(help).decided_by(provenance, ws.origin.syntax);
    if !rule.inline {
        let mode = ws.get(ISOLATION_MODE);
        finding.label(
            mode.span_or(ws.header()),
            format!("managed network of workspace `{}`", ws.known_as()),
        );
    }
}
