//! AML004: a private endpoint to a Machine Learning workspace lacks its private DNS zones.

use isolint_model::types::{ML_WORKSPACE, PRIVATE_ENDPOINT};
use isolint_model::{ResourceRef, Syntax};

use crate::{Cx, Help, Level, Protects, Status, Weight, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags private endpoints to a Machine Learning workspace whose DNS zone groups lack a
    /// zone the workspace needs.
    ///
    /// The rule checks every private endpoint with a connection of group `amlworkspace`
    /// (automatic or manual). It fires when the endpoint has no
    /// `privateDnsZoneGroups` child at all, or when its zone groups, together, do not
    /// register it in both `privatelink.api.azureml.ms` and
    /// `privatelink.notebooks.azure.net` (the US Government and China cloud zones count as
    /// well). Zone names are read from the last segment of each `privateDnsZoneId`, which
    /// may be a `resourceId(...)`, a reference to a declared zone, or a literal ID.
    ///
    /// ## Why is this bad?
    /// A private endpoint only gives the workspace a private IP address; clients find that
    /// address through the private DNS zones. Without the `api` zone, the SDK, the CLI and
    /// the studio resolve the workspace to its public endpoint, which is closed or should
    /// be; without the `notebooks` zone, notebooks in the studio fail to load.
    ///
    /// ## How to fix
    /// Give the private endpoint a DNS zone group with one `privateDnsZoneConfigs` entry per
    /// zone, for `privatelink.api.azureml.ms` and `privatelink.notebooks.azure.net`, and
    /// link both zones to the virtual network the clients use. If DNS is managed centrally
    /// (Azure Policy `deployIfNotExists`, a custom DNS server), suppress the finding with a
    /// reason.
    ///
    /// ## Known limitations
    /// A zone ID that cannot be settled statically (a parameter without a default) counts
    /// as a possible match: the rule stays silent and `--strict` notes it. DNS records
    /// created outside of a zone group (by policy, or by a custom DNS server) are not seen.
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns>
    /// - <https://learn.microsoft.com/azure/private-link/private-endpoint-dns>
    pub(crate) static WORKSPACE_PRIVATE_DNS_INCOMPLETE = Rule {
        id: "AML004",
        name: "workspace-private-dns-incomplete",
        level: Level::Warning,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Stable,
        weighs: Weight::Advisory,
        help: &[NO_GROUP_HELP, MISSING_ZONE_HELP],
        targets: &[PRIVATE_ENDPOINT],
        check,
    };
}

/// The private endpoint group ID of a workspace.
const GROUP: &str = "amlworkspace";

/// The zones a workspace endpoint needs: each entry lists the commercial cloud's zone
/// first, then the US Government and China clouds' equivalents.
const REQUIRED_ZONES: [[&str; 3]; 2] = [
    [
        "privatelink.api.azureml.ms",
        "privatelink.api.ml.azure.us",
        "privatelink.api.ml.azure.cn",
    ],
    [
        "privatelink.notebooks.azure.net",
        "privatelink.notebooks.usgovcloudapi.net",
        "privatelink.notebooks.chinacloudapi.cn",
    ],
];

const ZONE_GROUPS: &str = "privateDnsZoneGroups";

const NO_GROUP_HELP: Help = Help {
    arm: r#"add a "Microsoft.Network/privateEndpoints/privateDnsZoneGroups" child with a "privateDnsZoneConfigs" entry whose "privateDnsZoneId" is each of the zones {zones}"#,
    bicep: "add a `Microsoft.Network/privateEndpoints/privateDnsZoneGroups` child with a `privateDnsZoneConfigs` entry whose `privateDnsZoneId` is each of the zones {zones}",
    terraform: "add a `private_dns_zone_group` block whose `private_dns_zone_ids` list the zones {zones}",
    azapi: "add a `Microsoft.Network/privateEndpoints/privateDnsZoneGroups` child with a `privateDnsZoneConfigs` entry whose `privateDnsZoneId` is each of the zones {zones}",
};

const MISSING_ZONE_HELP: Help = Help {
    arm: r#"add a "privateDnsZoneConfigs" entry whose "privateDnsZoneId" is {zones} to the private endpoint's DNS zone group"#,
    bicep: "add a `privateDnsZoneConfigs` entry whose `privateDnsZoneId` is {zones} to the private endpoint's DNS zone group",
    terraform: "add {zones} to `private_dns_zone_ids` in the private endpoint's `private_dns_zone_group`",
    azapi: "add a `privateDnsZoneConfigs` entry whose `privateDnsZoneId` is {zones} to the private endpoint's DNS zone group",
};

fn check(endpoint: ResourceRef<'_>, cx: &mut Cx<'_>) {
    let model = cx.model();
    let Some((connection, target)) = model
        .connections_of(endpoint)
        .find(|(c, _)| c.groups.contains(GROUP))
    else {
        return;
    };
    let workspace = match target.filter(|t| t.is(ML_WORKSPACE)) {
        Some(ws) => format!("workspace `{}`", ws.known_as()),
        None => "a workspace".to_owned(),
    };
    let quote = |zone: &str| match cx.syntax() {
        Syntax::Bicep => format!("'{zone}'"),
        Syntax::Arm | Syntax::Terraform | Syntax::Azapi => format!("\"{zone}\""),
    };
    if connection.dns_zone_groups.is_empty() {
        let zones = REQUIRED_ZONES
            .iter()
            .map(|z| quote(z[0]))
            .collect::<Vec<_>>()
            .join(" and ");
        let help = cx.help(&NO_GROUP_HELP).replace("{zones}", &zones);
        cx.report(
            endpoint.header(),
            ZONE_GROUPS,
            format!(
                "private endpoint `{}` to {workspace} has no private DNS zone group: clients cannot resolve the workspace to its private address in `{}` and `{}`",
                endpoint.known_as(),
                REQUIRED_ZONES[0][0],
                REQUIRED_ZONES[1][0],
            ),
        )
        .help(help);
        return;
    }
    let zones = model.dns_zones(connection);
    let missing: Vec<&str> = REQUIRED_ZONES
        .iter()
        .filter(|alternatives| !alternatives.iter().any(|z| zones.contains(z)))
        .map(|alternatives| alternatives[0])
        .collect();
    if missing.is_empty() {
        return;
    }
    if let Some((unknown, at)) = &zones.unknown {
        cx.unresolved(*at, ZONE_GROUPS, unknown);
        return;
    }
    let listed = missing
        .iter()
        .map(|z| format!("`{z}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    let quoted = missing.iter().map(|z| quote(z)).collect::<Vec<_>>();
    let zones_text = match quoted.as_slice() {
        [one] => format!("the zone {one}"),
        many => format!("each of the zones {}", many.join(" and ")),
    };
    let help = cx.help(&MISSING_ZONE_HELP).replace("{zones}", &zones_text);
    let which = if missing.len() == 1 {
        "that zone"
    } else {
        "these zones"
    };
    let finding = cx.report(
        endpoint.header(),
        ZONE_GROUPS,
        format!(
            "private endpoint `{}` to {workspace} is not registered in {listed}: none of its DNS zone groups lists {which}, so clients resolve the workspace to its public address",
            endpoint.known_as(),
        ),
    );
    finding.help(help);
    for &group in &connection.dns_zone_groups {
        if let Some(group) = model.graph().get(group) {
            finding.label(
                group.header(),
                format!("DNS zone group `{}`", group.known_as()),
            );
        }
    }
}
