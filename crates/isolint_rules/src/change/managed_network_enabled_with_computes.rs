//! CHG001: a change enables the managed network of a workspace that already has computes.

use isolint_model::paths::{COMPUTE_TYPE, ISOLATION_MODE};
use isolint_model::types::{ML_COMPUTE, ML_ONLINE_ENDPOINT, ML_WORKSPACE};
use isolint_model::{Resource, ResourceRef};

use crate::aml::WorkspaceKind;
use crate::change::Mode;
use crate::compute::ComputeType;
use crate::finding::join_english;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a change that enables the managed network of a workspace that has computes.
    ///
    /// The rule fires when `managedNetwork.isolationMode` goes from absent or `Disabled` at
    /// the base revision to `AllowInternetOutbound` or `AllowOnlyApprovedOutbound`
    /// (Terraform: a `managed_network` block appears), and the base revision declares
    /// compute clusters, compute instances or online endpoints in the workspace. One
    /// finding, at the `managedNetwork` setting, names every one of them. Only
    /// `isolint diff` runs it.
    ///
    /// ## Why is this bad?
    /// Existing computes do not move into a managed network: Azure has no migration path for
    /// them. Compute clusters, compute instances and managed online endpoints created
    /// before the change keep their old network, and must be deleted and created again to
    /// run inside the managed network. Deploying the change without a plan leaves them
    /// outside the isolation it was meant to bring, or breaks the jobs and endpoints of
    /// every data science team on the workspace when they are deleted in a hurry.
    ///
    /// ## How to fix
    /// Plan the migration before the change is deployed, and say so in the pull request:
    ///
    /// 1. record each compute's settings (`az ml compute show`, `az ml online-endpoint show`)
    ///    and agree on a window with the teams that use them;
    /// 2. delete the computes and online endpoints the finding names (`az ml compute delete`,
    ///    `az ml online-endpoint delete`);
    /// 3. deploy the change, and provision the managed network
    ///    (`az ml workspace provision-network`, or `provisionNetworkNow: true`);
    /// 4. create the computes again, without a subnet and without public IP addresses
    ///    (`enableNodePublicIp: false`), then the online endpoints and their deployments.
    ///
    /// Once the plan is agreed, suppress the finding with the reason.
    ///
    /// ## Known limitations
    /// Only computes declared in the templates at the base revision are named: those
    /// created in the studio or with the CLI are not (`az ml compute list` lists them all).
    /// The rule compares two revisions, so it has no example files under `rules/`; its tests
    /// build throw-away git repositories.
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network>
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-managed-network-compute>
    pub(crate) static MANAGED_NETWORK_ENABLED_WITH_COMPUTES = Rule {
        id: "CHG001",
        name: "managed-network-enabled-with-computes",
        level: Level::Warning,
        protects: Protects::Compute,
        since: "0.1.0",
        status: Status::Preview,
        weighs: Weight::Advisory,
        help: &[HELP],
        targets: &[ML_WORKSPACE],
        check,
    };
}

const HELP: Help = Help {
    arm: "before deploying: record the computes' settings, delete them (`az ml compute delete`, `az ml online-endpoint delete`), deploy the managed network (`az ml workspace provision-network`), then create them again without a subnet and with \"enableNodePublicIp\": false",
    bicep: "before deploying: record the computes' settings, delete them (`az ml compute delete`, `az ml online-endpoint delete`), deploy the managed network (`az ml workspace provision-network`), then create them again without a subnet and with `enableNodePublicIp: false`",
    terraform: "before applying: record the computes' settings, delete them (`az ml compute delete`, or `terraform apply -replace=<address>` on each compute), apply the managed network, then create them again without `subnet_resource_id` and with `node_public_ip_enabled = false`",
    azapi: "before applying: record the computes' settings, delete them (`az ml compute delete`, or `terraform apply -replace=<address>` on each compute), apply the managed network, then create them again without a subnet and with `enableNodePublicIp = false`",
};

fn check(ws: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let Some(comparison) = cx.comparison() else {
        return;
    };
    // A workspace the change creates has nothing to migrate; a project has its hub's network.
    let Some(before) = comparison.before(ws) else {
        return;
    };
    if WorkspaceKind::of(&ws) == WorkspaceKind::Project
        || Mode::of_workspace(&before) != Some(Mode::Disabled)
    {
        return;
    }
    let mode = ws.get(ISOLATION_MODE);
    let enabled = match Mode::of(&mode) {
        Some(Mode::Disabled) => return,
        Some(enabled) => enabled,
        None => {
            if let Some(unknown) = mode.unknown() {
                cx.unresolved(mode.span_or(ws.header()), ISOLATION_MODE, unknown);
            }
            return;
        }
    };
    let computes: Vec<ResourceRef<'_>> = comparison
        .base()
        .graph()
        .children_of(before)
        .filter(|child| !child.existing && (child.is(ML_COMPUTE) || child.is(ML_ONLINE_ENDPOINT)))
        .collect();
    if computes.is_empty() {
        return;
    }
    let named: Vec<String> = computes
        .iter()
        .map(|compute| format!("{} `{}`", noun(compute), compute.display_name()))
        .collect();
    let help = cx.help(&HELP);
    let finding = cx
        .report(
            mode.span_or(ws.header()),
            ISOLATION_MODE,
            format!(
                "this change enables the managed network (`{}`) of workspace `{}`, which has computes at the base revision: {} must be deleted and created again",
                enabled.as_str(),
                ws.display_name(),
                join_english(&named),
            ),
        )
        .help(help);
    for compute in &computes {
        if let Some(now) = comparison.after(*compute) {
            finding.label(
                now.header(),
                "to delete and create again in the managed network",
            );
        }
    }
}

/// What a compute is called in messages.
fn noun(compute: &Resource) -> &'static str {
    if compute.is(ML_ONLINE_ENDPOINT) {
        return "online endpoint";
    }
    let ty = compute.get(COMPUTE_TYPE);
    if ty.is("AmlCompute") {
        ComputeType::AmlCompute.noun()
    } else if ty.is("ComputeInstance") {
        ComputeType::ComputeInstance.noun()
    } else {
        "compute"
    }
}
