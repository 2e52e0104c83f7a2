//! AML006: an FQDN outbound rule allows every host, or every host of a top-level domain.

use isolint_model::types::{ML_OUTBOUND_RULE, ML_WORKSPACE};
use isolint_model::{OutboundRule, OutboundRuleType, ResourceRef, Value};

use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags managed-network `FQDN` outbound rules whose destination is `*` or a wildcard
    /// over a whole top-level domain, such as `*.com`.
    ///
    /// The rule checks the workspace's inline `managedNetwork.outboundRules` and every
    /// `workspaces/outboundRules` resource, and points at the rule. A wildcard below a
    /// registrable domain (`*.vscode.dev`, `*.pythonhosted.org`) is fine.
    ///
    /// ## Why is this bad?
    /// `AllowOnlyApprovedOutbound` is a data exfiltration control: compute may only reach
    /// the destinations you approved. A rule for `*` or `*.com` approves most of the
    /// internet, so any code running in the workspace can upload data to a host its author
    /// controls, while the workspace still looks locked down.
    ///
    /// ## How to fix
    /// Replace the rule with one rule per host the workloads need (`pypi.org`,
    /// `files.pythonhosted.org`, `*.anaconda.com`), or with a `ServiceTag` or
    /// `PrivateEndpoint` rule for Azure services.
    ///
    /// ## Known limitations
    /// Only single-label top-level domains are recognised: `*.co.uk` and other public
    /// suffixes of two labels are not flagged.
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network>
    pub(crate) static OUTBOUND_RULE_WILDCARD_DESTINATION = Rule {
        id: "AML006",
        name: "outbound-rule-wildcard-destination",
        level: Level::Warning,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[HELP],
        targets: &[ML_WORKSPACE, ML_OUTBOUND_RULE],
        check,
    };
}

const HELP: Help = Help {
    arm: r#"replace the wildcard "destination" with the host names the workloads need ("pypi.org", "*.anaconda.com"), one FQDN rule each"#,
    bicep: "replace the wildcard `destination` with the host names the workloads need (`'pypi.org'`, `'*.anaconda.com'`), one FQDN rule each",
    terraform: "replace the wildcard `destination_fqdn` with the host names the workloads need (`\"pypi.org\"`, `\"*.anaconda.com\"`), one rule each",
    azapi: "replace the wildcard `destination` with the host names the workloads need (`\"pypi.org\"`, `\"*.anaconda.com\"`), one FQDN rule each",
};

fn check(resource: ResourceRef<'_>, cx: &mut Cx<'_>) {
    if resource.is(ML_WORKSPACE) {
        let rules = cx.model().outbound_rules(resource);
        for rule in rules.rules.iter().filter(|r| r.inline) {
            check_rule(rule, cx);
        }
    } else if let Some(rule) = OutboundRule::from_resource(resource) {
        check_rule(&rule, cx);
    }
}

fn check_rule(rule: &OutboundRule<'_>, cx: &mut Cx<'_>) {
    let destination = match &rule.destination.value {
        Value::Known(node) => match node.as_str() {
            Some(text) => text,
            None => return,
        },
        Value::Unknown(unknown) => {
            if matches!(rule.ty, OutboundRuleType::Fqdn) {
                let at = rule.destination.span_or(rule.span);
                cx.unresolved(at, &rule.property, unknown);
            }
            return;
        }
        Value::Absent => return,
    };
    let Some(scope) = too_wide(destination) else {
        return;
    };
    match &rule.ty {
        OutboundRuleType::Fqdn => {}
        OutboundRuleType::Unknown(unknown) => {
            let at = rule.type_prop.span_or(rule.span);
            cx.unresolved(at, &rule.property, unknown);
            return;
        }
        OutboundRuleType::ServiceTag
        | OutboundRuleType::PrivateEndpoint
        | OutboundRuleType::Other => return,
    }
    let help = cx.help(&HELP);
    cx.report_on(
        &rule.declared_by,
        rule.span,
        &rule.property,
        format!(
            "outbound rule `{}` allows {scope}: its destination is `{destination}`",
            rule.name
        ),
    )
    .help(help)
    .decided_by(&rule.destination.provenance, rule.declared_by.origin.syntax);
}

/// What a wildcard destination opens, when it is too much: `*`, or `*.<tld>`.
fn too_wide(destination: &str) -> Option<String> {
    let host = destination
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if host == "*" {
        return Some("every host on the internet".to_owned());
    }
    // `*.*.com` is as wide as `*.com`.
    let mut rest = host.strip_prefix("*.")?;
    while let Some(inner) = rest.strip_prefix("*.") {
        rest = inner;
    }
    if rest == "*" {
        return Some("every host on the internet".to_owned());
    }
    (!rest.is_empty() && !rest.contains('.') && !rest.contains('*'))
        .then(|| format!("every host in the top-level domain `.{rest}`"))
}

#[cfg(test)]
mod tests {
    use super::too_wide;

    #[test]
    fn wildcards_over_a_top_level_domain_are_too_wide() {
        for bad in ["*", " * ", "*.com", "*.NET", "*.com.", "*.*", "*.*.com"] {
            assert!(too_wide(bad).is_some(), "{bad}");
        }
        for fine in [
            "pypi.org",
            "*.vscode.dev",
            "*.anaconda.com",
            "com",
            "",
            "*.co.uk",
        ] {
            assert!(too_wide(fine).is_none(), "{fine}");
        }
    }
}
