//! AML131: Application Insights linked by a Machine Learning workspace is open to public networks.

use std::sync::Arc;

use isolint_model::paths::{PUBLIC_NETWORK_ACCESS_FOR_INGESTION, PUBLIC_NETWORK_ACCESS_FOR_QUERY};
use isolint_model::types::{APPLICATION_INSIGHTS, ML_WORKSPACE};
use isolint_model::{LinkKind, Prop, ResourceRef, Unknown, Value};

use crate::aml::dependency::{linking_workspaces, note_unjudged};
use crate::aml::disabled;
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags Application Insights components linked by a Machine Learning workspace that
    /// accept ingestion or queries from public networks.
    ///
    /// The rule fires when `publicNetworkAccessForIngestion` or
    /// `publicNetworkAccessForQuery` is `Enabled` or left out (both default to `Enabled`).
    /// Terraform: `internet_ingestion_enabled` or `internet_query_enabled` not `false`.
    /// Only links from workspaces that answer for their own network count: a project's
    /// link is its hub's business.
    ///
    /// ## Why is this bad?
    /// The workspace's Application Insights receives the telemetry and logs of its jobs and
    /// endpoints. Open to public networks, anyone with its connection string can send it
    /// forged telemetry, and anyone with a token can query what it holds from anywhere,
    /// outside the workspace's private network.
    ///
    /// ## How to fix
    /// Set both `publicNetworkAccessForIngestion` and `publicNetworkAccessForQuery` to
    /// `Disabled` (Terraform: `internet_ingestion_enabled = false` and
    /// `internet_query_enabled = false`), and reach the component through an Azure Monitor
    /// Private Link Scope with a private endpoint.
    ///
    /// ## Known limitations
    /// A workspace-based component also stores its data in a Log Analytics workspace,
    /// whose own public access settings are not checked.
    ///
    /// ## References
    /// - Azure Policy 1bc02227-0cb6-4e11-8f53-eb0b22eab7e8, "Application Insights components
    ///   should block log ingestion and querying from public networks"
    /// - <https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security>
    pub(crate) static APPLICATION_INSIGHTS_PUBLIC_ACCESS = Rule {
        id: "AML131",
        name: "application-insights-public-access",
        level: Level::Warning,
        protects: Protects::Dependency,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[HELP],
        targets: &[APPLICATION_INSIGHTS, ML_WORKSPACE],
        check,
    };
}

const HELP: Help = Help {
    arm: r#"set "publicNetworkAccessForIngestion": "Disabled" and "publicNetworkAccessForQuery": "Disabled" in the component's properties, and reach it through an Azure Monitor Private Link Scope"#,
    bicep: "set `publicNetworkAccessForIngestion: 'Disabled'` and `publicNetworkAccessForQuery: 'Disabled'` in the component's properties, and reach it through an Azure Monitor Private Link Scope",
    terraform: "set `internet_ingestion_enabled = false` and `internet_query_enabled = false`, and reach the component through an Azure Monitor Private Link Scope",
    azapi: "set `publicNetworkAccessForIngestion = \"Disabled\"` and `publicNetworkAccessForQuery = \"Disabled\"` in the body's properties, and reach the component through an Azure Monitor Private Link Scope",
};

/// One of the two switches, as the rule sees it.
enum Access {
    Closed,
    /// Open; how it reads in the message.
    Open(String),
    Unknown(Arc<Unknown>),
}

fn access(terms: Terms<'_>, path: &str, prop: &Prop<'_>) -> Access {
    match &prop.value {
        Value::Known(node) if node.str_eq("Disabled") => Access::Closed,
        Value::Known(node) => Access::Open(terms.is(path, node)),
        Value::Absent => Access::Open(format!(
            "{} is not set (defaults to {})",
            terms.name(path),
            terms.text(path, "Enabled")
        )),
        Value::Unknown(unknown) => Access::Unknown(Arc::clone(unknown)),
    }
}

fn check(resource: ResourceRef<'_>, cx: &mut Cx<'_>) {
    if resource.is(ML_WORKSPACE) {
        note_unjudged(
            LinkKind::ApplicationInsights,
            "Application Insights",
            resource,
            cx,
        );
        return;
    }
    let links = linking_workspaces(cx, resource);
    let Some(link) = links.first() else {
        return;
    };
    let terms = Terms::of(&resource);
    let ingestion = resource.get(PUBLIC_NETWORK_ACCESS_FOR_INGESTION);
    let query = resource.get(PUBLIC_NETWORK_ACCESS_FOR_QUERY);
    let switches = [
        (PUBLIC_NETWORK_ACCESS_FOR_INGESTION, "ingestion", &ingestion),
        (PUBLIC_NETWORK_ACCESS_FOR_QUERY, "queries", &query),
    ];
    let mut open = Vec::new();
    let mut unknown = None;
    for (path, what, prop) in switches {
        match access(terms, path, prop) {
            Access::Closed => {}
            Access::Open(state) => open.push((path, what, prop, state)),
            Access::Unknown(u) => unknown = unknown.or(Some((path, prop, u))),
        }
    }
    if open.is_empty() {
        if let Some((path, prop, u)) = unknown {
            cx.unresolved(prop.span_or(resource.header()), path, &u);
        }
        return;
    }
    // Point at the first open switch that is written; at the header when none is. A fix
    // closes that switch; `check --fix` runs again for the other.
    let (path, prop) = open
        .iter()
        .find(|(_, _, prop, _)| prop.span.is_some())
        .or_else(|| open.first())
        .map_or(
            (PUBLIC_NETWORK_ACCESS_FOR_INGESTION, &ingestion),
            |(path, _, prop, _)| (*path, *prop),
        );
    let what = open
        .iter()
        .map(|(_, what, _, _)| *what)
        .collect::<Vec<_>>()
        .join(" and ");
    let states = open
        .iter()
        .map(|(_, _, _, state)| state.as_str())
        .collect::<Vec<_>>()
        .join(" and ");
    let help = cx.help(&HELP);
    let provenance = open
        .iter()
        .fold(isolint_model::Provenance::default(), |acc, (_, _, p, _)| {
            acc.merge(&p.provenance)
        });
    cx.report(
        prop.span_or(resource.header()),
        path,
        format!(
            "Application Insights `{}`, linked by workspace `{}`, accepts {what} from public networks: {states}",
            resource.known_as(),
            link.workspace.known_as(),
        ),
    )
    .help(help)
    .label(
        link.prop.span_or(link.workspace.header()),
        format!(
            "linked here by workspace `{}`",
            link.workspace.known_as()
        ),
    )
    .decided_by(&provenance, resource.origin.syntax)
    .fixed_by(terms.fix(path, prop, &disabled()));
}
