//! What the dependency rules (`AML1xx`) share: which workspaces link a dependency, whether
//! a workspace's managed network covers it, and the two checks every dependency gets
//! (open to all networks; no private endpoint), driven by a table per dependency kind.

use std::sync::Arc;

use isolint_model::paths::{
    ISOLATION_MODE, NETWORK_ACLS_DEFAULT_ACTION, NETWORK_RULE_SET_DEFAULT_ACTION,
    PUBLIC_NETWORK_ACCESS,
};
use isolint_model::types::ML_WORKSPACE;
use isolint_model::{
    EndpointSearch, Link, LinkKind, NodeKind, Resource, ResourceRef, Syntax, Target, Unknown,
    UnknownReason, Value,
};

use crate::aml::{WorkspaceKind, disabled};
use crate::terms::Terms;
use crate::{Cx, Help};

/// One kind of dependency, as the shared checks need it.
pub(crate) struct Dependency {
    /// Which workspace property links it.
    pub(crate) link: LinkKind,
    /// What it is called in messages.
    pub(crate) noun: &'static str,
    /// The firewall's default action (`Deny` closes it to all but allowed networks).
    pub(crate) default_action: &'static str,
    /// The private endpoint group IDs the workspace needs.
    pub(crate) groups: &'static [&'static str],
    /// How to close it: the help of its public-access rule.
    pub(crate) close: Help,
    /// How to give it a private endpoint: the help of its private-endpoint rule.
    pub(crate) endpoint: Help,
}

/// The storage account.
pub(crate) const STORAGE: Dependency = Dependency {
    link: LinkKind::StorageAccount,
    noun: "storage account",
    default_action: NETWORK_ACLS_DEFAULT_ACTION,
    groups: &["blob", "file"],
    close: Help {
        arm: r#"set "publicNetworkAccess": "Disabled" (or "networkAcls": { "defaultAction": "Deny" }) in the storage account's properties"#,
        bicep: "set `publicNetworkAccess: 'Disabled'` (or `networkAcls: { defaultAction: 'Deny' }`) in the storage account's properties",
        terraform: "set `public_network_access_enabled = false` (or `network_rules { default_action = \"Deny\" }`) on the storage account",
        azapi: "set `publicNetworkAccess = \"Disabled\"` (or `networkAcls = { defaultAction = \"Deny\" }`) in the body's properties",
    },
    endpoint: PRIVATE_ENDPOINT_HELP,
};

/// The key vault.
pub(crate) const VAULT: Dependency = Dependency {
    link: LinkKind::KeyVault,
    noun: "key vault",
    default_action: NETWORK_ACLS_DEFAULT_ACTION,
    groups: &["vault"],
    close: Help {
        arm: r#"set "publicNetworkAccess": "Disabled" (or "networkAcls": { "defaultAction": "Deny" }) in the key vault's properties"#,
        bicep: "set `publicNetworkAccess: 'Disabled'` (or `networkAcls: { defaultAction: 'Deny' }`) in the key vault's properties",
        terraform: "set `public_network_access_enabled = false` (or `network_acls { default_action = \"Deny\" }`) on the key vault",
        azapi: "set `publicNetworkAccess = \"Disabled\"` (or `networkAcls = { defaultAction = \"Deny\" }`) in the body's properties",
    },
    endpoint: PRIVATE_ENDPOINT_HELP,
};

/// The container registry.
pub(crate) const REGISTRY: Dependency = Dependency {
    link: LinkKind::ContainerRegistry,
    noun: "container registry",
    default_action: NETWORK_RULE_SET_DEFAULT_ACTION,
    groups: &["registry"],
    close: Help {
        arm: r#"set "publicNetworkAccess": "Disabled" (or "networkRuleSet": { "defaultAction": "Deny" }) in the registry's properties"#,
        bicep: "set `publicNetworkAccess: 'Disabled'` (or `networkRuleSet: { defaultAction: 'Deny' }`) in the registry's properties",
        terraform: "set `public_network_access_enabled = false` (or `network_rule_set { default_action = \"Deny\" }`) on the registry",
        azapi: "set `publicNetworkAccess = \"Disabled\"` (or `networkRuleSet = { defaultAction = \"Deny\" }`) in the body's properties",
    },
    endpoint: PRIVATE_ENDPOINT_HELP,
};

const PRIVATE_ENDPOINT_HELP: Help = Help {
    arm: r#"add a "Microsoft.Network/privateEndpoints" resource whose privateLinkServiceConnections target this resource with "groupIds": [{groups}], or give the workspace a managed network ("managedNetwork": { "isolationMode": "AllowOnlyApprovedOutbound" })"#,
    bicep: "add a `Microsoft.Network/privateEndpoints` resource whose `privateLinkServiceConnections` target this resource with `groupIds: [{groups}]`, or give the workspace a managed network (`managedNetwork: { isolationMode: 'AllowOnlyApprovedOutbound' }`)",
    terraform: "add an `azurerm_private_endpoint` whose `private_service_connection` targets this resource with `subresource_names = [{groups}]`, or give the workspace `managed_network { isolation_mode = \"AllowOnlyApprovedOutbound\" }`",
    azapi: "add a private endpoint whose `privateLinkServiceConnections` target this resource with `groupIds = [{groups}]`, or give the workspace a managed network (`isolationMode = \"AllowOnlyApprovedOutbound\"`)",
};

/// The links to `resource` from workspaces that answer for their own network (projects
/// inherit their hub's, so their links are left to the hub).
pub(crate) fn linking_workspaces<'m>(cx: &Cx<'m>, resource: ResourceRef<'_>) -> Vec<Link<'m>> {
    cx.model()
        .workspaces_linking(resource)
        .into_iter()
        .filter(|link| WorkspaceKind::of(&link.workspace) != WorkspaceKind::Project)
        .collect()
}

/// Under `--strict`, notes a workspace link of `dependency`'s kind that cannot be judged:
/// a parameter, or a resource that is not declared in the scan.
pub(crate) fn note_unjudged_link(
    dependency: &Dependency,
    workspace: ResourceRef<'_>,
    cx: &mut Cx<'_>,
) {
    note_unjudged(dependency.link, dependency.noun, workspace, cx);
}

/// [`note_unjudged_link`] for a link with no [`Dependency`] entry: the link's kind, and
/// what its target is called in messages.
pub(crate) fn note_unjudged(
    kind: LinkKind,
    noun: &str,
    workspace: ResourceRef<'_>,
    cx: &mut Cx<'_>,
) {
    if WorkspaceKind::of(&workspace) == WorkspaceKind::Project {
        return;
    }
    let link = cx.model().link(workspace, kind);
    let unknown = match &link.target {
        Target::Unknown(unknown) => Arc::clone(unknown),
        Target::External(id) => {
            let name = id.last_name().map(ToString::to_string).unwrap_or_default();
            let group = id
                .resource_group
                .as_ref()
                .map(|g| format!(" in resource group `{g}`"))
                .unwrap_or_default();
            Arc::new(Unknown::new(
                id.render_expression(),
                UnknownReason::External {
                    what: format!("{noun} `{name}`{group}").into(),
                },
            ))
        }
        Target::Existing(existing) => Arc::new(Unknown::new(
            existing.id.render_expression(),
            UnknownReason::External {
                what: format!(
                    "{noun} `{}` is declared `existing`: its settings live elsewhere, and it",
                    existing.known_as()
                )
                .into(),
            },
        )),
        Target::Declared(_) | Target::Absent => return,
    };
    let span = link.prop.span_or(workspace.header());
    cx.unresolved(span, kind.property(), &unknown);
}

/// Whether a workspace's managed network makes private endpoints to the dependency for
/// it: always in `AllowOnlyApprovedOutbound`, and in `AllowInternetOutbound` when the
/// dependency's public network access is disabled.
enum Coverage {
    Covered,
    /// Not covered; the text says why, to end the finding's message.
    NotCovered(&'static str),
    Unknown(Arc<Unknown>),
}

fn coverage(workspace: &Resource, dependency: &Resource) -> Coverage {
    let mode = workspace.get(ISOLATION_MODE);
    match &mode.value {
        Value::Unknown(u) => Coverage::Unknown(Arc::clone(u)),
        Value::Known(m) if m.str_eq("AllowOnlyApprovedOutbound") => Coverage::Covered,
        Value::Known(m) if m.str_eq("AllowInternetOutbound") => {
            let access = dependency.get(PUBLIC_NETWORK_ACCESS);
            match &access.value {
                Value::Known(a) if a.str_eq("Disabled") => Coverage::Covered,
                Value::Unknown(u) => Coverage::Unknown(Arc::clone(u)),
                _ => Coverage::NotCovered(
                    "the workspace's managed network (`AllowInternetOutbound`) creates private endpoints only to dependencies whose public network access is disabled",
                ),
            }
        }
        _ => Coverage::NotCovered("the workspace has no managed network that would create one"),
    }
}

/// AML101, AML111, AML121: the dependency accepts traffic from all networks.
pub(crate) fn check_public_access(
    dependency: &Dependency,
    resource: ResourceRef<'_>,
    cx: &mut Cx<'_>,
) {
    if resource.is(ML_WORKSPACE) {
        note_unjudged_link(dependency, resource, cx);
        return;
    }
    let links = linking_workspaces(cx, resource);
    let Some(link) = links.first() else {
        return;
    };
    let access = resource.get(PUBLIC_NETWORK_ACCESS);
    let action = resource.get(dependency.default_action);
    let closed = |v: &Value<'_>| match v {
        Value::Known(n) => Some(n.str_eq("Disabled") || n.str_eq("SecuredByPerimeter")),
        Value::Unknown(_) => None,
        Value::Absent => Some(false),
    };
    let denied = |v: &Value<'_>| match v {
        Value::Known(n) => Some(n.str_eq("Deny")),
        Value::Unknown(_) => None,
        Value::Absent => Some(false),
    };
    match (closed(&access.value), denied(&action.value)) {
        (Some(true), _) | (_, Some(true)) => {}
        (Some(false), Some(false)) => {
            let terms = Terms::of(&resource);
            let syntax = resource.origin.syntax;
            let (at, property, to) = if action.span.is_some() {
                (
                    &action,
                    dependency.default_action,
                    NodeKind::String("Deny".into()),
                )
            } else {
                (&access, PUBLIC_NETWORK_ACCESS, disabled())
            };
            let help = cx.help(&dependency.close);
            let message = format!(
                "{} `{}`, linked by workspace `{}`, accepts traffic from all networks: {} and {}",
                dependency.noun,
                resource.known_as(),
                link.workspace.known_as(),
                state(terms, PUBLIC_NETWORK_ACCESS, &access.value, "(public)"),
                state(terms, dependency.default_action, &action.value, "(Allow)"),
            );
            cx.report(at.span_or(resource.header()), property, message)
                .help(help)
                .label(
                    link.prop.span_or(link.workspace.header()),
                    format!("linked here by workspace `{}`", link.workspace.known_as()),
                )
                .decided_by(&access.provenance.merge(&action.provenance), syntax)
                .fixed_by(terms.fix(property, at, &to));
        }
        _ => {
            let (at, property, unknown) = match (access.unknown(), action.unknown()) {
                (Some(u), _) => (&access, PUBLIC_NETWORK_ACCESS, u),
                (None, Some(u)) => (&action, dependency.default_action, u),
                (None, None) => return,
            };
            cx.unresolved(
                at.span_or(resource.header()),
                property,
                &Arc::clone(unknown),
            );
        }
    }
}

/// What a message says of a switch: `` `publicNetworkAccess` is `Enabled` ``, or, when it
/// is not set, `` `publicNetworkAccess` is not set `` followed by what that means.
fn state(terms: Terms<'_>, path: &str, value: &Value<'_>, absent: &str) -> String {
    match value {
        Value::Known(node) => terms.is(path, node),
        Value::Unknown(u) => format!("{} is `{}`", terms.name(path), u.expr),
        Value::Absent => format!("{} is not set {absent}", terms.name(path)),
    }
}

/// AML102, AML112, AML122: no private endpoint for the groups the workspace needs, and no
/// managed network that makes one.
pub(crate) fn check_private_endpoints(
    dependency: &Dependency,
    resource: ResourceRef<'_>,
    cx: &mut Cx<'_>,
) {
    if resource.is(ML_WORKSPACE) {
        note_unjudged_link(dependency, resource, cx);
        return;
    }
    let links = linking_workspaces(cx, resource);
    if links.is_empty() {
        return;
    }
    // Groups with no private endpoint for sure, and the first group that may have one.
    let mut missing = Vec::new();
    let mut undecided: Option<Arc<Unknown>> = None;
    for group in dependency.groups {
        match cx.model().find_private_endpoint(resource, group) {
            EndpointSearch::Found(_) => {}
            EndpointSearch::Missing => missing.push(*group),
            EndpointSearch::Unknown(u) => undecided = undecided.or(Some(u)),
        }
    }
    if missing.is_empty() && undecided.is_none() {
        return;
    }
    let mut unknown = None;
    for link in &links {
        match coverage(&link.workspace, &resource) {
            Coverage::Covered => {}
            Coverage::Unknown(u) => unknown = unknown.or(Some(u)),
            Coverage::NotCovered(_) if missing.is_empty() => {
                unknown = unknown.or(undecided.clone());
            }
            Coverage::NotCovered(why) => {
                let groups = missing
                    .iter()
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                let quoted = missing
                    .iter()
                    .map(|g| format!("\"{g}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let quoted = if cx.syntax() == Syntax::Bicep {
                    quoted.replace('"', "'")
                } else {
                    quoted
                };
                let help = cx.help(&dependency.endpoint).replace("{groups}", &quoted);
                let message = format!(
                    "{} `{}`, linked by workspace `{}`, has no private endpoint for {groups}, and {why}",
                    dependency.noun,
                    resource.known_as(),
                    link.workspace.known_as(),
                );
                let mode = link.workspace.get(ISOLATION_MODE);
                cx.report(resource.header(), "privateEndpoints", message)
                    .help(help)
                    .label(
                        link.prop.span_or(link.workspace.header()),
                        format!("linked here by workspace `{}`", link.workspace.known_as()),
                    )
                    .decided_by(&mode.provenance, link.workspace.origin.syntax);
                return;
            }
        }
    }
    if let Some(u) = unknown {
        cx.unresolved(resource.header(), "privateEndpoints", &u);
    }
}
