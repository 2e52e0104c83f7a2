//! AML123: a container registry linked by a Machine Learning workspace is not Premium.

use isolint_model::paths::SKU_NAME;
use isolint_model::types::{CONTAINER_REGISTRY, ML_WORKSPACE};
use isolint_model::{NodeKind, ResourceRef, Value};

use crate::aml::dependency::{self, REGISTRY};
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags container registries linked by a Machine Learning workspace whose SKU is not
    /// `Premium`.
    ///
    /// ## Why is this bad?
    /// Private endpoints and firewall rules exist only on Premium registries: a Basic or
    /// Standard registry can only be reached over its public endpoint, so the workspace
    /// cannot be isolated. A managed network in `AllowOnlyApprovedOutbound` mode cannot
    /// create its private endpoint to such a registry either.
    ///
    /// ## How to fix
    /// Set the registry's SKU to `Premium`.
    ///
    /// ## References
    /// - Azure Policy bd560fc0-3c69-498a-ae9f-aa8eb7de0e13, "Container registries should have
    ///   SKUs that support Private Links"
    /// - <https://learn.microsoft.com/azure/container-registry/container-registry-private-link>
    pub(crate) static CONTAINER_REGISTRY_SKU_NOT_PREMIUM = Rule {
        id: "AML123",
        name: "container-registry-sku-not-premium",
        level: Level::Error,
        protects: Protects::Dependency,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Decisive,
        help: &[HELP],
        targets: &[CONTAINER_REGISTRY, ML_WORKSPACE],
        check,
    };
}

const HELP: Help = Help {
    arm: r#"set "sku": { "name": "Premium" } on the registry"#,
    bicep: "set `sku: { name: 'Premium' }` on the registry",
    terraform: "set `sku = \"Premium\"` on the registry",
    azapi: "set `sku = { name = \"Premium\" }` in the body",
};

fn check(registry: ResourceRef<'_>, cx: &mut Cx<'_>) {
    if registry.is(ML_WORKSPACE) {
        dependency::note_unjudged_link(&REGISTRY, registry, cx);
        return;
    }
    let links = dependency::linking_workspaces(cx, registry);
    let Some(link) = links.first() else {
        return;
    };
    let terms = Terms::of(&registry);
    let sku = registry.get(SKU_NAME);
    let what = match &sku.value {
        Value::Known(node) if node.str_eq("Premium") => return,
        Value::Known(node) => terms.is(SKU_NAME, node),
        Value::Absent => "it sets no SKU".to_owned(),
        Value::Unknown(unknown) => {
            cx.unresolved(sku.span_or(registry.header()), SKU_NAME, unknown);
            return;
        }
    };
    let help = cx.help(&HELP);
    cx.report(
        sku.span_or(registry.header()),
        SKU_NAME,
        format!(
            "container registry `{}`, linked by workspace `{}`, cannot have private endpoints or firewall rules: {what}, and only the `Premium` tier has them",
            registry.known_as(),
            link.workspace.known_as(),
        ),
    )
    .help(help)
    .label(
        link.prop.span_or(link.workspace.header()),
        format!("linked here by workspace `{}`", link.workspace.known_as()),
    )
    .decided_by(&sku.provenance, registry.origin.syntax)
    .fixed_by(terms.fix(SKU_NAME, &sku, &NodeKind::String("Premium".into())));
}
