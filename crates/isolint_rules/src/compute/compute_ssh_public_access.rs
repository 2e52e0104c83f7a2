//! AML203: the SSH port of a Machine Learning compute is open to the internet.

use isolint_model::paths::{
    ENABLE_NODE_PUBLIC_IP, ISOLATION_MODE, REMOTE_LOGIN_PORT_PUBLIC_ACCESS, SSH_PUBLIC_ACCESS,
    SUBNET_ID,
};
use isolint_model::types::ML_COMPUTE;
use isolint_model::{Resource, ResourceRef, Value};

use crate::aml::disabled;
use crate::compute::{
    ComputeType, ManagedNetwork, Subnet, checked_type, managed_network, subnet_of,
};
use crate::terms::Terms;
use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags compute clusters and compute instances whose SSH port is open to the internet.
    ///
    /// A compute cluster (`AmlCompute`) is flagged when
    /// `properties.properties.remoteLoginPortPublicAccess` is `Enabled`, or when it is
    /// `NotSpecified` or left out while the nodes have a public IP
    /// (`enableNodePublicIp` not `false`) and sit in no network: no subnet, and a workspace
    /// without a managed network. In that case the service opens the port. A compute
    /// instance is flagged when `properties.properties.sshSettings.sshPublicAccess` is
    /// `Enabled`. Terraform: `ssh_public_access_enabled = true` on a cluster, an `ssh`
    /// block on an instance.
    ///
    /// ## Why is this bad?
    /// An SSH port reachable from the internet is a target for password guessing and for
    /// exploits of the SSH server, and a way into the workspace's network that bypasses
    /// its private endpoints.
    ///
    /// ## How to fix
    /// Set `remoteLoginPortPublicAccess` to `Disabled` on compute clusters, and
    /// `sshSettings.sshPublicAccess` to `Disabled` (or leave it out) on compute instances.
    /// To reach the nodes, connect from inside the virtual network or use the studio's
    /// terminal. Both settings can only be given when the compute is created.
    ///
    /// ## Known limitations
    /// For a cluster whose port is `NotSpecified`, with public nodes and no subnet, the
    /// answer depends on the workspace's managed network: when the workspace is not in the
    /// scanned files, the cluster is not flagged (`--strict` notes it).
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-create-attach-compute-cluster>
    /// - <https://learn.microsoft.com/rest/api/azureml/compute/create-or-update>
    pub(crate) static COMPUTE_SSH_PUBLIC_ACCESS = Rule {
        id: "AML203",
        name: "compute-ssh-public-access",
        level: Level::Warning,
        protects: Protects::Compute,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[CLUSTER_HELP, INSTANCE_HELP],
        targets: &[ML_COMPUTE],
        check,
    };
}

const CLUSTER_HELP: Help = Help {
    arm: r#"set "remoteLoginPortPublicAccess": "Disabled" in the compute's "properties": { "properties": { ... } }"#,
    bicep: "set `remoteLoginPortPublicAccess: 'Disabled'` in the compute's `properties.properties`",
    terraform: "set `ssh_public_access_enabled = false`",
    azapi: "set `remoteLoginPortPublicAccess = \"Disabled\"` in the body's `properties.properties`",
};

const INSTANCE_HELP: Help = Help {
    arm: r#"set "sshSettings": { "sshPublicAccess": "Disabled" } in the compute's "properties": { "properties": { ... } }"#,
    bicep: "set `sshSettings: { sshPublicAccess: 'Disabled' }` in the compute's `properties.properties`",
    terraform: "remove the `ssh` block",
    azapi: "set `sshSettings = { sshPublicAccess = \"Disabled\" }` in the body's `properties.properties`",
};

fn check(compute: ResourceRef<'_>, cx: &mut Cx<'_>) {
    match checked_type(&compute, cx) {
        Some(ComputeType::AmlCompute) => check_cluster(compute, cx),
        Some(ComputeType::ComputeInstance) => check_instance(&compute, cx),
        None => {}
    }
}

fn check_instance(compute: &Resource, cx: &mut Cx<'_>) {
    let terms = Terms::of(compute);
    let access = compute.get(SSH_PUBLIC_ACCESS);
    match &access.value {
        Value::Unknown(unknown) => {
            cx.unresolved(access.span_or(compute.header()), SSH_PUBLIC_ACCESS, unknown);
        }
        Value::Known(node) if node.str_eq("Enabled") => {
            let help = cx.help(&INSTANCE_HELP);
            cx.report(
                access.span_or(compute.header()),
                SSH_PUBLIC_ACCESS,
                format!(
                    "compute instance `{}` opens its SSH port to the internet: {}",
                    compute.known_as(),
                    terms.is(SSH_PUBLIC_ACCESS, node)
                ),
            )
            .help(help)
            .decided_by(&access.provenance, compute.origin.syntax)
            .fixed_by(terms.fix(SSH_PUBLIC_ACCESS, &access, &disabled()));
        }
        Value::Known(_) | Value::Absent => {}
    }
}

fn check_cluster(compute: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let terms = Terms::of(&compute);
    let access = compute.get(REMOTE_LOGIN_PORT_PUBLIC_ACCESS);
    let at = access.span_or(compute.header());
    let help = cx.help(&CLUSTER_HELP);
    let setting = match &access.value {
        Value::Unknown(unknown) => {
            cx.unresolved(at, REMOTE_LOGIN_PORT_PUBLIC_ACCESS, unknown);
            return;
        }
        Value::Known(node) if node.str_eq("Enabled") => {
            cx.report(
                at,
                REMOTE_LOGIN_PORT_PUBLIC_ACCESS,
                format!(
                    "compute cluster `{}` opens its SSH port to the internet: {}",
                    compute.known_as(),
                    terms.is(REMOTE_LOGIN_PORT_PUBLIC_ACCESS, node)
                ),
            )
            .help(help)
            .decided_by(&access.provenance, compute.origin.syntax)
            .fixed_by(terms.fix(REMOTE_LOGIN_PORT_PUBLIC_ACCESS, &access, &disabled()));
            return;
        }
        Value::Known(node) if node.str_eq("NotSpecified") => {
            terms.is(REMOTE_LOGIN_PORT_PUBLIC_ACCESS, node)
        }
        // `Disabled`, or a value the service would reject anyway.
        Value::Known(_) => return,
        Value::Absent => format!("{} is not set", terms.name(REMOTE_LOGIN_PORT_PUBLIC_ACCESS)),
    };

    // `NotSpecified`: the port is open only on public nodes outside any network.
    let public_ip = compute.get(ENABLE_NODE_PUBLIC_IP);
    let public_ip_text = match &public_ip.value {
        Value::Known(node) if node.as_bool() == Some(false) => return,
        Value::Unknown(unknown) => {
            cx.unresolved(
                public_ip.span_or(compute.header()),
                ENABLE_NODE_PUBLIC_IP,
                unknown,
            );
            return;
        }
        Value::Known(node) => terms.is(ENABLE_NODE_PUBLIC_IP, node),
        Value::Absent => format!(
            "{} defaults to {}",
            terms.name(ENABLE_NODE_PUBLIC_IP),
            terms.flag(ENABLE_NODE_PUBLIC_IP, true)
        ),
    };
    let (subnet, subnet_prop) = subnet_of(&compute);
    match subnet {
        Subnet::Set => return,
        Subnet::Unknown(unknown) => {
            cx.unresolved(subnet_prop.span_or(compute.header()), SUBNET_ID, &unknown);
            return;
        }
        Subnet::NotSet => {}
    }
    let workspace = match managed_network(cx, compute) {
        ManagedNetwork::Yes(..) => return,
        ManagedNetwork::Unknown(unknown) => {
            cx.unresolved(compute.header(), ISOLATION_MODE, &unknown);
            return;
        }
        ManagedNetwork::No(workspace) => workspace,
    };
    let mode = workspace.get(ISOLATION_MODE);
    cx.report(
        at,
        REMOTE_LOGIN_PORT_PUBLIC_ACCESS,
        format!(
            "compute cluster `{}` opens its SSH port to the internet: {setting}, and its nodes have public IP addresses ({public_ip_text}) outside any network (no subnet, and workspace `{}` has no managed network)",
            compute.known_as(),
            workspace.known_as()
        ),
    )
    .help(help)
    .label(
        mode.span_or(workspace.header()),
        format!("workspace `{}` has no managed network", workspace.known_as()),
    )
    .decided_by(
        &access
            .provenance
            .merge(&public_ip.provenance)
            .merge(&subnet_prop.provenance)
            .merge(&mode.provenance),
        compute.origin.syntax,
    )
    .fixed_by(terms.fix(REMOTE_LOGIN_PORT_PUBLIC_ACCESS, &access, &disabled()));
}
