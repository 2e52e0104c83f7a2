//! AML007: a workspace with a private container registry has no compute to build images on.

use std::sync::Arc;

use isolint_model::paths::{
    CONTAINER_REGISTRY, IMAGE_BUILD_COMPUTE, NETWORK_RULE_SET_DEFAULT_ACTION, PUBLIC_NETWORK_ACCESS,
};
use isolint_model::types::ML_WORKSPACE;
use isolint_model::{
    EndpointSearch, LinkKind, Provenance, ResourceRef, Span, Target, Unknown, Value,
};

use crate::aml::WorkspaceKind;
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags workspaces whose linked container registry is private while
    /// `imageBuildCompute` is not set.
    ///
    /// The registry counts as private when its `publicNetworkAccess` is `Disabled`, its
    /// `networkRuleSet.defaultAction` is `Deny`, or a private endpoint with group
    /// `registry` reaches it. The rule fires when the workspace's `imageBuildCompute` is
    /// absent or empty, with or without a managed network. Projects use their hub's
    /// registry and are not checked.
    ///
    /// ## Why is this bad?
    /// Without `imageBuildCompute`, Azure Machine Learning builds environment images with
    /// the registry's own build agents (ACR Tasks), which run outside your network and
    /// cannot reach a registry behind a firewall or a private endpoint. Every job or
    /// deployment that needs a new environment image then fails.
    ///
    /// ## How to fix
    /// Set `imageBuildCompute` to the name of a compute cluster (or compute instance) of the
    /// workspace that sits in a network that reaches the registry (in a managed network,
    /// every compute of the workspace does).
    ///
    /// ## Known limitations
    /// A registry declared elsewhere (a parameter, an `existing` resource, a literal ID)
    /// cannot be judged: the rule stays silent. The named compute is not checked for
    /// existence.
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#enable-azure-container-registry-acr>
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network>
    pub(crate) static IMAGE_BUILD_COMPUTE_MISSING = Rule {
        id: "AML007",
        name: "image-build-compute-missing",
        level: Level::Warning,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[HELP],
        targets: &[ML_WORKSPACE],
        check,
    };
}

const HELP: Help = Help {
    arm: r#"set "imageBuildCompute" to the name of a compute cluster of the workspace that reaches the registry"#,
    bicep: "set `imageBuildCompute` to the name of a compute cluster of the workspace that reaches the registry",
    terraform: "set `image_build_compute_name` to the name of a compute cluster of the workspace that reaches the registry",
    azapi: "set `imageBuildCompute` to the name of a compute cluster of the workspace that reaches the registry",
};

/// Whether the linked registry is private, and why.
enum Privacy {
    /// Private: what makes it so, where, and what decided it.
    Private(String, Option<Span>, Provenance),
    Public,
    Unknown(Arc<Unknown>, Span),
}

fn check(ws: ResourceRef<'_>, cx: &mut Cx<'_>) {
    if WorkspaceKind::of(&ws) == WorkspaceKind::Project {
        return;
    }
    let build = ws.get(IMAGE_BUILD_COMPUTE);
    let build_unknown = match &build.value {
        Value::Known(node) => match node.as_str() {
            Some(name) if name.trim().is_empty() => None,
            _ => return,
        },
        Value::Unknown(unknown) => Some(Arc::clone(unknown)),
        Value::Absent => None,
    };
    let link = cx.model().link(ws, LinkKind::ContainerRegistry);
    let Target::Declared(registry) = link.target else {
        return;
    };
    let (why, registry_span, registry_provenance) = match privacy(cx, registry) {
        Privacy::Public => return,
        Privacy::Unknown(unknown, at) => {
            cx.unresolved(at, CONTAINER_REGISTRY, &unknown);
            return;
        }
        Privacy::Private(why, span, provenance) => (why, span, provenance),
    };
    if let Some(unknown) = build_unknown {
        cx.unresolved(build.span_or(ws.header()), IMAGE_BUILD_COMPUTE, &unknown);
        return;
    }
    let name = Terms::of(&ws).name(IMAGE_BUILD_COMPUTE);
    let state = if build.is_absent() {
        format!("{name} is not set")
    } else {
        format!("{name} is empty")
    };
    let help = cx.help(&HELP);
    let finding = cx.report(
        build.span_or(ws.header()),
        IMAGE_BUILD_COMPUTE,
        format!(
            "workspace `{}` cannot build environment images: its container registry `{}` is private ({why}) and {state}",
            ws.known_as(),
            registry.known_as(),
        ),
    );
    finding
        .help(help)
        .label(
            link.prop.span_or(ws.header()),
            format!("container registry `{}` linked here", registry.known_as()),
        )
        .decided_by(
            &build.provenance.merge(&registry_provenance),
            ws.origin.syntax,
        );
    if let Some(at) = registry_span {
        finding.label(at, "the registry is made private here");
    }
}

/// Whether the registry is private: public access disabled, firewall denying by default, or
/// a private endpoint.
fn privacy(cx: &Cx<'_>, registry: ResourceRef<'_>) -> Privacy {
    let terms = Terms::of(&registry);
    let access = registry.get(PUBLIC_NETWORK_ACCESS);
    if let Some(node) = access.known().filter(|n| n.str_eq("Disabled")) {
        return Privacy::Private(
            terms.is(PUBLIC_NETWORK_ACCESS, node),
            access.span,
            access.provenance,
        );
    }
    let action = registry.get(NETWORK_RULE_SET_DEFAULT_ACTION);
    if let Some(node) = action.known().filter(|n| n.str_eq("Deny")) {
        return Privacy::Private(
            terms.is(NETWORK_RULE_SET_DEFAULT_ACTION, node),
            action.span,
            action.provenance,
        );
    }
    let endpoint = cx.model().find_private_endpoint(registry, "registry");
    if let EndpointSearch::Found(found) = &endpoint {
        return Privacy::Private(
            "it has a private endpoint for `registry`".to_owned(),
            Some(found.span),
            Provenance::default(),
        );
    }
    let unknown = access
        .unknown()
        .map(|u| (Arc::clone(u), access.span_or(registry.header())))
        .or_else(|| {
            action
                .unknown()
                .map(|u| (Arc::clone(u), action.span_or(registry.header())))
        })
        .or(match endpoint {
            EndpointSearch::Unknown(u) => Some((u, registry.header())),
            EndpointSearch::Found(_) | EndpointSearch::Missing => None,
        });
    match unknown {
        Some((unknown, at)) => Privacy::Unknown(unknown, at),
        None => Privacy::Public,
    }
}
