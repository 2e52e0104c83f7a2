//! AML202: a Machine Learning compute accepts local (key-based) authentication.

use isolint_model::paths::DISABLE_LOCAL_AUTH;
use isolint_model::types::ML_COMPUTE;
use isolint_model::{NodeKind, ResourceRef, Value};

use crate::compute::checked_type;
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags compute clusters and compute instances that accept local authentication.
    ///
    /// The rule fires when `properties.disableLocalAuth` is not `true` (left out, local
    /// authentication is allowed). Terraform: `local_auth_enabled` not `false` (its default
    /// is `true`). Other compute types (AKS, Kubernetes, attached VMs) are not checked.
    ///
    /// ## Why is this bad?
    /// Local authentication lets anyone holding the compute's keys or credentials use it,
    /// without a Microsoft Entra identity, role-based access control or conditional access.
    /// Such credentials leak and are hard to audit; with Entra ID only, every access is tied
    /// to an identity.
    ///
    /// ## How to fix
    /// Set `disableLocalAuth` to `true` in the compute's `properties` (Terraform:
    /// `local_auth_enabled = false`). The setting can only be given when the compute is
    /// created: changing it recreates the compute.
    ///
    /// ## References
    /// - Azure Policy e96a9a5f-07ca-471b-9bc5-6a0f33cbd68f, "Azure Machine Learning Computes
    ///   should have local authentication methods disabled"
    /// - PSRule `Azure.ML.DisableLocalAuth`
    pub(crate) static COMPUTE_LOCAL_AUTH_ENABLED = Rule {
        id: "AML202",
        name: "compute-local-auth-enabled",
        level: Level::Warning,
        protects: Protects::Compute,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[HELP],
        targets: &[ML_COMPUTE],
        check,
    };
}

const HELP: Help = Help {
    arm: r#"set "disableLocalAuth": true in the compute's properties"#,
    bicep: "set `disableLocalAuth: true` in the compute's properties",
    terraform: "set `local_auth_enabled = false`",
    azapi: "set `disableLocalAuth = true` in the body's properties",
};

fn check(compute: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let Some(ty) = checked_type(&compute, cx) else {
        return;
    };
    let disable = compute.get(DISABLE_LOCAL_AUTH);
    let terms = Terms::of(&compute);
    let what = match &disable.value {
        Value::Unknown(unknown) => {
            cx.unresolved(
                disable.span_or(compute.header()),
                DISABLE_LOCAL_AUTH,
                unknown,
            );
            return;
        }
        Value::Known(node) if node.as_bool() == Some(true) => return,
        Value::Known(node) => terms.is(DISABLE_LOCAL_AUTH, node),
        Value::Absent => format!(
            "{} is not set, and local authentication is allowed by default",
            terms.name(DISABLE_LOCAL_AUTH)
        ),
    };
    let help = cx.help(&HELP);
    cx.report(
        disable.span_or(compute.header()),
        DISABLE_LOCAL_AUTH,
        format!(
            "{} `{}` accepts local authentication: {what}",
            ty.noun(),
            compute.known_as()
        ),
    )
    .help(help)
    .decided_by(&disable.provenance, compute.origin.syntax)
    .fixed_by(terms.fix(DISABLE_LOCAL_AUTH, &disable, &NodeKind::Bool(true)));
}
