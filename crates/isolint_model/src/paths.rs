//! The ARM property paths the graph and the rules read, each defined once.
//!
//! A path is dotted object keys, compared case-insensitively
//! ([`Resource::get`](crate::Resource::get)). Paths that start at a resource's body begin
//! with `properties.` (or `kind`, `sku`, `tags`); the few that start inside a nested object
//! (a private link connection, an inline outbound rule, a DNS zone config) say so.

// Shared by several resource types.

/// `properties`: the resource's own settings, as opposed to `kind`, `sku`, `tags`.
pub const PROPERTIES: &str = "properties";
/// `kind`: a workspace's kind (`Default`, `Hub`, `Project`, `FeatureStore`).
pub const KIND: &str = "kind";
/// `tags`.
pub const TAGS: &str = "tags";
/// `sku.name`: a container registry's tier (`Basic`, `Standard`, `Premium`).
pub const SKU_NAME: &str = "sku.name";
/// Whether the public endpoint accepts traffic: workspaces, storage accounts, key vaults,
/// container registries.
pub const PUBLIC_NETWORK_ACCESS: &str = "properties.publicNetworkAccess";
/// The firewall's default action of a storage account or a key vault.
pub const NETWORK_ACLS_DEFAULT_ACTION: &str = "properties.networkAcls.defaultAction";
/// The firewall's default action of a container registry.
pub const NETWORK_RULE_SET_DEFAULT_ACTION: &str = "properties.networkRuleSet.defaultAction";

// A Machine Learning workspace.

/// The linked storage account.
pub const STORAGE_ACCOUNT: &str = "properties.storageAccount";
/// The linked key vault.
pub const KEY_VAULT: &str = "properties.keyVault";
/// The linked container registry.
pub const CONTAINER_REGISTRY: &str = "properties.containerRegistry";
/// The linked Application Insights component.
pub const APPLICATION_INSIGHTS: &str = "properties.applicationInsights";
/// The managed network's mode (`Disabled`, `AllowInternetOutbound`,
/// `AllowOnlyApprovedOutbound`).
pub const ISOLATION_MODE: &str = "properties.managedNetwork.isolationMode";
/// The managed network's generation (`V1`, `V2`): V1 to V2 is one-way.
pub const MANAGED_NETWORK_KIND: &str = "properties.managedNetwork.managedNetworkKind";
/// Whether the managed network is provisioned when the workspace is created.
pub const PROVISION_NETWORK_NOW: &str = "properties.provisionNetworkNow";
/// The high-business-impact flag, which reduces the diagnostic data Microsoft collects.
pub const HBI_WORKSPACE: &str = "properties.hbiWorkspace";
/// The managed network's inline outbound rules, an object keyed by rule name.
pub const OUTBOUND_RULES: &str = "properties.managedNetwork.outboundRules";
/// A project's hub, whose network the project inherits.
pub const HUB_RESOURCE_ID: &str = "properties.hubResourceId";
/// The compute that builds environment images when the registry is private.
pub const IMAGE_BUILD_COMPUTE: &str = "properties.imageBuildCompute";
/// The legacy switch that keeps a private workspace reachable from the internet.
pub const ALLOW_PUBLIC_ACCESS_WHEN_BEHIND_VNET: &str = "properties.allowPublicAccessWhenBehindVnet";

// A managed-network outbound rule: an inline entry, or a `workspaces/outboundRules` resource.

/// The type of an outbound-rule resource (`FQDN`, `ServiceTag`, `PrivateEndpoint`).
pub const OUTBOUND_RULE_TYPE: &str = "properties.type";
/// The destination of an outbound-rule resource.
pub const OUTBOUND_RULE_DESTINATION: &str = "properties.destination";
/// The type of an inline outbound rule, from the rule's own object.
pub const INLINE_RULE_TYPE: &str = "type";
/// The destination of an inline outbound rule, from the rule's own object.
pub const INLINE_RULE_DESTINATION: &str = "destination";
/// The target of a `PrivateEndpoint` rule, from the rule's own object.
pub const RULE_SERVICE_RESOURCE_ID: &str = "destination.serviceResourceId";
/// The group ID of a `PrivateEndpoint` rule, from the rule's own object.
pub const RULE_SUBRESOURCE_TARGET: &str = "destination.subresourceTarget";

// A private endpoint and its DNS zone groups.

/// The automatically approved connections of a private endpoint.
pub const PRIVATE_LINK_SERVICE_CONNECTIONS: &str = "properties.privateLinkServiceConnections";
/// The connections of a private endpoint that need manual approval.
pub const MANUAL_PRIVATE_LINK_SERVICE_CONNECTIONS: &str =
    "properties.manualPrivateLinkServiceConnections";
/// The target of a connection, from the connection's own object.
pub const CONNECTION_TARGET: &str = "properties.privateLinkServiceId";
/// The group IDs of a connection, from the connection's own object.
pub const CONNECTION_GROUP_IDS: &str = "properties.groupIds";
/// The zone configurations of a private DNS zone group.
pub const PRIVATE_DNS_ZONE_CONFIGS: &str = "properties.privateDnsZoneConfigs";
/// The zone of one configuration, from the configuration's own object.
pub const PRIVATE_DNS_ZONE_ID: &str = "properties.privateDnsZoneId";

// Application Insights.

/// Whether telemetry may be sent from public networks.
pub const PUBLIC_NETWORK_ACCESS_FOR_INGESTION: &str = "properties.publicNetworkAccessForIngestion";
/// Whether telemetry may be queried from public networks.
pub const PUBLIC_NETWORK_ACCESS_FOR_QUERY: &str = "properties.publicNetworkAccessForQuery";

// A compute of a workspace.

/// The compute type (`AmlCompute`, `ComputeInstance`, ...).
pub const COMPUTE_TYPE: &str = "properties.computeType";
/// Whether keys and SSH passwords are turned off.
pub const DISABLE_LOCAL_AUTH: &str = "properties.disableLocalAuth";
/// The subnet the compute is placed in.
pub const SUBNET_ID: &str = "properties.properties.subnet.id";
/// Whether a cluster's nodes get public IP addresses.
pub const ENABLE_NODE_PUBLIC_IP: &str = "properties.properties.enableNodePublicIp";
/// Whether a cluster's nodes accept SSH from the internet.
pub const REMOTE_LOGIN_PORT_PUBLIC_ACCESS: &str =
    "properties.properties.remoteLoginPortPublicAccess";
/// Whether a compute instance accepts SSH from the internet.
pub const SSH_PUBLIC_ACCESS: &str = "properties.properties.sshSettings.sshPublicAccess";
