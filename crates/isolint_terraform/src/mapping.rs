//! The azurerm and azapi mapping onto ARM types and property paths, kept as data.
//!
//! Each [`Mapping`] says which ARM type an `azurerm_*` resource declares, which attribute
//! gives its parent, how each attribute (or attribute of a nested block) lands on an ARM
//! path, and which provider defaults differ from the ARM API's and must be materialized.
//! The structure a row cannot express (a private endpoint's connections and DNS zone
//! groups) and the azapi types are named here too. The `lower` module turns one
//! declaration into model resources with this table; nothing here evaluates anything.

use isolint_model::types::{
    APPLICATION_INSIGHTS, CONTAINER_REGISTRY, KEY_VAULT, ML_COMPUTE, ML_OUTBOUND_RULE,
    ML_WORKSPACE, PRIVATE_DNS_ZONE, PRIVATE_ENDPOINT, STORAGE_ACCOUNT,
};

/// How a Terraform value becomes an ARM value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Conv {
    /// As is.
    Copy,
    /// A boolean to `"Enabled"` / `"Disabled"`.
    EnabledDisabled,
    /// A boolean, inverted (`local_auth_enabled` → `disableLocalAuth`).
    Not,
    /// The presence of a block sets this string (`ssh {}` → `sshPublicAccess: Enabled`).
    Present(&'static str),
}

/// A literal of the table.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Lit {
    /// A string.
    Str(&'static str),
    /// A boolean.
    Bool(bool),
}

/// One attribute: Terraform path (`network_rules.default_action`), ARM path, conversion.
pub(crate) type Attr = (&'static str, &'static str, Conv);

/// A provider default that differs from the ARM API's: when `absent` is not written, the
/// ARM path gets `value` for azurerm majors `majors.0..=majors.1`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ProviderDefault {
    /// The Terraform path whose absence triggers the default.
    pub(crate) absent: &'static str,
    /// The ARM path.
    pub(crate) arm: &'static str,
    /// The value.
    pub(crate) value: Lit,
    /// The azurerm majors it applies to, inclusive.
    pub(crate) majors: (u32, u32),
}

/// Structure that a table row cannot express.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Special {
    /// Nothing.
    None,
    /// Private service connections and the DNS zone group child.
    PrivateEndpoint,
}

/// How one `azurerm_*` type maps onto ARM.
#[derive(Debug)]
pub(crate) struct Mapping {
    /// The Terraform type.
    pub(crate) tf: &'static str,
    /// The ARM type.
    pub(crate) arm: &'static str,
    /// The attribute naming the parent resource (for child types) or, for updates, the
    /// resource updated.
    pub(crate) parent: Option<&'static str>,
    /// Fixed ARM values (`kind: Hub`, `properties.computeType`).
    pub(crate) fixed: &'static [(&'static str, Lit)],
    /// The attributes.
    pub(crate) attrs: &'static [Attr],
    /// Provider defaults.
    pub(crate) defaults: &'static [ProviderDefault],
    /// A partial update of the resource named by `parent`.
    pub(crate) update: bool,
    /// Structure beyond the table.
    pub(crate) special: Special,
}

use Conv::{Copy as C, EnabledDisabled as ED, Not as NOT, Present};

const COMMON: &[Attr] = &[("location", "location", C), ("tags", "tags", C)];

const WORKSPACE_ATTRS: &[Attr] = &[
    (
        "public_network_access_enabled",
        "properties.publicNetworkAccess",
        ED,
    ),
    (
        "managed_network.isolation_mode",
        "properties.managedNetwork.isolationMode",
        C,
    ),
    (
        "managed_network.provision_on_creation_enabled",
        "properties.provisionNetworkNow",
        C,
    ),
    (
        "image_build_compute_name",
        "properties.imageBuildCompute",
        C,
    ),
    ("high_business_impact", "properties.hbiWorkspace", C),
    ("storage_account_id", "properties.storageAccount", C),
    ("key_vault_id", "properties.keyVault", C),
    ("container_registry_id", "properties.containerRegistry", C),
    (
        "application_insights_id",
        "properties.applicationInsights",
        C,
    ),
    ("kind", "kind", C),
    ("v1_legacy_mode_enabled", "properties.v1LegacyMode", C),
    (
        "storage_account_access_type",
        "properties.systemDatastoresAuthMode",
        C,
    ),
    (
        "serverless_compute.subnet_id",
        "properties.serverlessComputeSettings.serverlessComputeCustomSubnet",
        C,
    ),
    (
        "serverless_compute.public_ip_enabled",
        "properties.serverlessComputeSettings.serverlessComputeNoPublicIP",
        NOT,
    ),
    ("sku_name", "sku.name", C),
    ("identity.type", "identity.type", C),
    ("friendly_name", "properties.friendlyName", C),
    ("description", "properties.description", C),
    (
        "primary_user_assigned_identity",
        "properties.primaryUserAssignedIdentity",
        C,
    ),
    ("location", "location", C),
    ("tags", "tags", C),
];

const HUB_ATTRS: &[Attr] = &[
    ("public_network_access", "properties.publicNetworkAccess", C),
    (
        "managed_network.isolation_mode",
        "properties.managedNetwork.isolationMode",
        C,
    ),
    ("storage_account_id", "properties.storageAccount", C),
    ("key_vault_id", "properties.keyVault", C),
    ("container_registry_id", "properties.containerRegistry", C),
    (
        "application_insights_id",
        "properties.applicationInsights",
        C,
    ),
    (
        "image_build_compute_name",
        "properties.imageBuildCompute",
        C,
    ),
    ("high_business_impact", "properties.hbiWorkspace", C),
    ("identity.type", "identity.type", C),
    ("friendly_name", "properties.friendlyName", C),
    ("location", "location", C),
    ("tags", "tags", C),
];

const PROJECT_ATTRS: &[Attr] = &[
    ("ai_services_hub_id", "properties.hubResourceId", C),
    ("high_business_impact", "properties.hbiWorkspace", C),
    ("identity.type", "identity.type", C),
    ("friendly_name", "properties.friendlyName", C),
    ("location", "location", C),
    ("tags", "tags", C),
];

const CLUSTER_ATTRS: &[Attr] = &[
    ("subnet_resource_id", "properties.properties.subnet.id", C),
    (
        "node_public_ip_enabled",
        "properties.properties.enableNodePublicIp",
        C,
    ),
    ("local_auth_enabled", "properties.disableLocalAuth", NOT),
    (
        "ssh_public_access_enabled",
        "properties.properties.remoteLoginPortPublicAccess",
        ED,
    ),
    ("vm_size", "properties.properties.vmSize", C),
    ("vm_priority", "properties.properties.vmPriority", C),
    ("identity.type", "identity.type", C),
    ("location", "location", C),
    ("tags", "tags", C),
];

const INSTANCE_ATTRS: &[Attr] = &[
    ("subnet_resource_id", "properties.properties.subnet.id", C),
    (
        "node_public_ip_enabled",
        "properties.properties.enableNodePublicIp",
        C,
    ),
    ("local_auth_enabled", "properties.disableLocalAuth", NOT),
    (
        "ssh",
        "properties.properties.sshSettings.sshPublicAccess",
        Present("Enabled"),
    ),
    (
        "ssh.public_key",
        "properties.properties.sshSettings.adminPublicKey",
        C,
    ),
    ("virtual_machine_size", "properties.properties.vmSize", C),
    ("identity.type", "identity.type", C),
    ("location", "location", C),
    ("tags", "tags", C),
];

const FQDN_RULE_ATTRS: &[Attr] = &[("destination_fqdn", "properties.destination", C)];

const PE_RULE_ATTRS: &[Attr] = &[
    (
        "service_resource_id",
        "properties.destination.serviceResourceId",
        C,
    ),
    (
        "sub_resource_target",
        "properties.destination.subresourceTarget",
        C,
    ),
    ("spark_enabled", "properties.destination.sparkEnabled", C),
];

const TAG_RULE_ATTRS: &[Attr] = &[
    ("service_tag", "properties.destination.serviceTag", C),
    ("protocol", "properties.destination.protocol", C),
    ("port_ranges", "properties.destination.portRanges", C),
];

const ENDPOINT_ATTRS: &[Attr] = &[
    ("subnet_id", "properties.subnet.id", C),
    (
        "custom_network_interface_name",
        "properties.customNetworkInterfaceName",
        C,
    ),
    ("location", "location", C),
    ("tags", "tags", C),
];

const STORAGE_ATTRS: &[Attr] = &[
    (
        "public_network_access_enabled",
        "properties.publicNetworkAccess",
        ED,
    ),
    (
        "network_rules.default_action",
        "properties.networkAcls.defaultAction",
        C,
    ),
    ("network_rules.bypass", "properties.networkAcls.bypass", C),
    (
        "network_rules.ip_rules",
        "properties.networkAcls.ipRules",
        C,
    ),
    (
        "network_rules.virtual_network_subnet_ids",
        "properties.networkAcls.virtualNetworkRules",
        C,
    ),
    (
        "allow_nested_items_to_be_public",
        "properties.allowBlobPublicAccess",
        C,
    ),
    (
        "shared_access_key_enabled",
        "properties.allowSharedKeyAccess",
        C,
    ),
    ("min_tls_version", "properties.minimumTlsVersion", C),
    ("account_kind", "kind", C),
    ("is_hns_enabled", "properties.isHnsEnabled", C),
    ("location", "location", C),
    ("tags", "tags", C),
];

const STORAGE_RULES_ATTRS: &[Attr] = &[
    ("default_action", "properties.networkAcls.defaultAction", C),
    ("bypass", "properties.networkAcls.bypass", C),
    ("ip_rules", "properties.networkAcls.ipRules", C),
    (
        "virtual_network_subnet_ids",
        "properties.networkAcls.virtualNetworkRules",
        C,
    ),
];

const KEY_VAULT_ATTRS: &[Attr] = &[
    (
        "public_network_access_enabled",
        "properties.publicNetworkAccess",
        ED,
    ),
    (
        "network_acls.default_action",
        "properties.networkAcls.defaultAction",
        C,
    ),
    ("network_acls.bypass", "properties.networkAcls.bypass", C),
    ("network_acls.ip_rules", "properties.networkAcls.ipRules", C),
    ("sku_name", "properties.sku.name", C),
    ("tenant_id", "properties.tenantId", C),
    (
        "purge_protection_enabled",
        "properties.enablePurgeProtection",
        C,
    ),
    (
        "enable_rbac_authorization",
        "properties.enableRbacAuthorization",
        C,
    ),
    (
        "rbac_authorization_enabled",
        "properties.enableRbacAuthorization",
        C,
    ),
    ("location", "location", C),
    ("tags", "tags", C),
];

const REGISTRY_ATTRS: &[Attr] = &[
    ("sku", "sku.name", C),
    (
        "public_network_access_enabled",
        "properties.publicNetworkAccess",
        ED,
    ),
    ("admin_enabled", "properties.adminUserEnabled", C),
    (
        "network_rule_set.default_action",
        "properties.networkRuleSet.defaultAction",
        C,
    ),
    (
        "network_rule_bypass_option",
        "properties.networkRuleBypassOptions",
        C,
    ),
    (
        "anonymous_pull_enabled",
        "properties.anonymousPullEnabled",
        C,
    ),
    ("location", "location", C),
    ("tags", "tags", C),
];

const INSIGHTS_ATTRS: &[Attr] = &[
    (
        "internet_ingestion_enabled",
        "properties.publicNetworkAccessForIngestion",
        ED,
    ),
    (
        "internet_query_enabled",
        "properties.publicNetworkAccessForQuery",
        ED,
    ),
    ("application_type", "properties.Application_Type", C),
    (
        "local_authentication_disabled",
        "properties.DisableLocalAuth",
        C,
    ),
    ("workspace_id", "properties.WorkspaceResourceId", C),
    ("location", "location", C),
    ("tags", "tags", C),
];

/// The whole table.
pub(crate) static MAPPINGS: &[Mapping] = &[
    Mapping {
        tf: "azurerm_machine_learning_workspace",
        arm: ML_WORKSPACE,
        parent: None,
        fixed: &[],
        attrs: WORKSPACE_ATTRS,
        defaults: &[
            ProviderDefault {
                absent: "public_network_access_enabled",
                arm: "properties.publicNetworkAccess",
                value: Lit::Str("Disabled"),
                majors: (0, 3),
            },
            ProviderDefault {
                absent: "public_network_access_enabled",
                arm: "properties.publicNetworkAccess",
                value: Lit::Str("Enabled"),
                majors: (4, u32::MAX),
            },
        ],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_ai_foundry",
        arm: ML_WORKSPACE,
        parent: None,
        fixed: &[("kind", Lit::Str("Hub"))],
        attrs: HUB_ATTRS,
        defaults: &[ProviderDefault {
            absent: "public_network_access",
            arm: "properties.publicNetworkAccess",
            value: Lit::Str("Enabled"),
            majors: (0, u32::MAX),
        }],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_ai_foundry_project",
        arm: ML_WORKSPACE,
        parent: None,
        fixed: &[("kind", Lit::Str("Project"))],
        attrs: PROJECT_ATTRS,
        defaults: &[],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_machine_learning_compute_cluster",
        arm: ML_COMPUTE,
        parent: Some("machine_learning_workspace_id"),
        fixed: &[("properties.computeType", Lit::Str("AmlCompute"))],
        attrs: CLUSTER_ATTRS,
        defaults: &[ProviderDefault {
            absent: "ssh_public_access_enabled",
            arm: "properties.properties.remoteLoginPortPublicAccess",
            value: Lit::Str("Disabled"),
            majors: (0, u32::MAX),
        }],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_machine_learning_compute_instance",
        arm: ML_COMPUTE,
        parent: Some("machine_learning_workspace_id"),
        fixed: &[("properties.computeType", Lit::Str("ComputeInstance"))],
        attrs: INSTANCE_ATTRS,
        defaults: &[ProviderDefault {
            absent: "ssh",
            arm: "properties.properties.sshSettings.sshPublicAccess",
            value: Lit::Str("Disabled"),
            majors: (0, u32::MAX),
        }],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_machine_learning_workspace_network_outbound_rule_fqdn",
        arm: ML_OUTBOUND_RULE,
        parent: Some("workspace_id"),
        fixed: &[("properties.type", Lit::Str("FQDN"))],
        attrs: FQDN_RULE_ATTRS,
        defaults: &[],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint",
        arm: ML_OUTBOUND_RULE,
        parent: Some("workspace_id"),
        fixed: &[("properties.type", Lit::Str("PrivateEndpoint"))],
        attrs: PE_RULE_ATTRS,
        defaults: &[],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_machine_learning_workspace_network_outbound_rule_service_tag",
        arm: ML_OUTBOUND_RULE,
        parent: Some("workspace_id"),
        fixed: &[("properties.type", Lit::Str("ServiceTag"))],
        attrs: TAG_RULE_ATTRS,
        defaults: &[],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_private_endpoint",
        arm: PRIVATE_ENDPOINT,
        parent: None,
        fixed: &[],
        attrs: ENDPOINT_ATTRS,
        defaults: &[],
        update: false,
        special: Special::PrivateEndpoint,
    },
    Mapping {
        tf: "azurerm_storage_account",
        arm: STORAGE_ACCOUNT,
        parent: None,
        fixed: &[],
        attrs: STORAGE_ATTRS,
        defaults: &[ProviderDefault {
            absent: "allow_nested_items_to_be_public",
            arm: "properties.allowBlobPublicAccess",
            value: Lit::Bool(true),
            majors: (0, 4),
        }],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_storage_account_network_rules",
        arm: STORAGE_ACCOUNT,
        parent: Some("storage_account_id"),
        fixed: &[],
        attrs: STORAGE_RULES_ATTRS,
        defaults: &[],
        update: true,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_key_vault",
        arm: KEY_VAULT,
        parent: None,
        fixed: &[],
        attrs: KEY_VAULT_ATTRS,
        defaults: &[],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_container_registry",
        arm: CONTAINER_REGISTRY,
        parent: None,
        fixed: &[],
        attrs: REGISTRY_ATTRS,
        defaults: &[],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_application_insights",
        arm: APPLICATION_INSIGHTS,
        parent: None,
        fixed: &[("kind", Lit::Str("web"))],
        attrs: INSIGHTS_ATTRS,
        defaults: &[],
        update: false,
        special: Special::None,
    },
    Mapping {
        tf: "azurerm_private_dns_zone",
        arm: PRIVATE_DNS_ZONE,
        parent: None,
        fixed: &[("location", Lit::Str("global"))],
        attrs: COMMON,
        defaults: &[],
        update: false,
        special: Special::None,
    },
];

impl Mapping {
    /// The row of the attribute that sets ARM `path` (the first, when several do).
    pub(crate) fn row(&self, path: &str) -> Option<&'static Attr> {
        self.attrs
            .iter()
            .find(|(_, arm, _)| arm.eq_ignore_ascii_case(path))
    }
}

/// The mapping of a Terraform type.
pub(crate) fn mapping(tf: &str) -> Option<&'static Mapping> {
    MAPPINGS.iter().find(|m| m.tf == tf)
}

/// A private endpoint's connection blocks ([`Special::PrivateEndpoint`]): each becomes one
/// entry of `properties.privateLinkServiceConnections`, or of
/// `properties.manualPrivateLinkServiceConnections` when [`MANUAL_CONNECTION`] is true.
pub(crate) const SERVICE_CONNECTION: &str = "private_service_connection";

/// The attribute of a [`SERVICE_CONNECTION`] block that makes it a manual connection.
pub(crate) const MANUAL_CONNECTION: &str = "is_manual_connection";

/// The attributes of a [`SERVICE_CONNECTION`] block and the connection's ARM paths.
pub(crate) const SERVICE_CONNECTION_ATTRS: &[(&str, &str)] = &[
    ("name", "name"),
    (
        "private_connection_resource_id",
        "properties.privateLinkServiceId",
    ),
    (
        "private_connection_resource_alias",
        "properties.privateLinkServiceId",
    ),
    ("subresource_names", "properties.groupIds"),
    ("request_message", "properties.requestMessage"),
];

/// A private endpoint's DNS zone group blocks ([`Special::PrivateEndpoint`]): each becomes
/// a `privateDnsZoneGroups` child named by its [`DNS_ZONE_GROUP_NAME`] (`default` when
/// unnamed), with one `privateDnsZoneConfigs` entry per ID of [`DNS_ZONE_IDS`].
pub(crate) const DNS_ZONE_GROUP: &str = "private_dns_zone_group";

/// The name attribute of a [`DNS_ZONE_GROUP`] block.
pub(crate) const DNS_ZONE_GROUP_NAME: &str = "name";

/// The zone IDs attribute of a [`DNS_ZONE_GROUP`] block.
pub(crate) const DNS_ZONE_IDS: &str = "private_dns_zone_ids";

/// The azapi types and the attributes their lowering reads: the ARM type and properties
/// come from `type` and `body` (an object, or `jsonencode(...)`), not from a table.
pub(crate) const AZAPI: &[(&str, &[&str])] = &[
    (
        "azapi_resource",
        &["type", "name", "parent_id", "body", "location", "tags"],
    ),
    (
        "azapi_update_resource",
        &[
            "type",
            "name",
            "parent_id",
            "resource_id",
            "body",
            "location",
            "tags",
        ],
    ),
];

/// Whether `tf` is an azapi type.
pub(crate) fn is_azapi(tf: &str) -> bool {
    AZAPI.iter().any(|(ty, _)| *ty == tf)
}

/// Every (Terraform type, attribute path) the table reads, paths dotted through nested
/// blocks, sorted, without duplicates.
pub(crate) fn mapped_attributes() -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for mapping in MAPPINGS {
        let mut add = |path: &str| out.push((mapping.tf, path.to_owned()));
        add("name");
        mapping.parent.into_iter().for_each(&mut add);
        mapping.attrs.iter().for_each(|(path, _, _)| add(path));
        mapping.defaults.iter().for_each(|d| add(d.absent));
        if mapping.special == Special::PrivateEndpoint {
            add(SERVICE_CONNECTION);
            add(&format!("{SERVICE_CONNECTION}.{MANUAL_CONNECTION}"));
            for (attribute, _) in SERVICE_CONNECTION_ATTRS {
                add(&format!("{SERVICE_CONNECTION}.{attribute}"));
            }
            add(DNS_ZONE_GROUP);
            add(&format!("{DNS_ZONE_GROUP}.{DNS_ZONE_GROUP_NAME}"));
            add(&format!("{DNS_ZONE_GROUP}.{DNS_ZONE_IDS}"));
        }
    }
    for (ty, attributes) in AZAPI {
        out.extend(attributes.iter().map(|a| (*ty, (*a).to_owned())));
    }
    out.sort();
    out.dedup();
    out
}
