//! The resource graph: every resource of a scan, with the relations rules ask about,
//! computed once: which dependencies a workspace links, which private endpoints reach a
//! resource, which computes belong to a workspace.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::id::{NamePart, ResourceId};
use crate::resource::{Condition, Resource, RootId};
use crate::source::Span;
use crate::types::{
    APPLICATION_INSIGHTS, CONTAINER_REGISTRY, KEY_VAULT, ML_COMPUTE, ML_OUTBOUND_RULE,
    ML_WORKSPACE, PRIVATE_DNS_ZONE, PRIVATE_DNS_ZONE_GROUP, PRIVATE_ENDPOINT, STORAGE_ACCOUNT,
    same_type,
};
use crate::value::{Entry, Node, NodeKind, Object, Prop, Unknown, UnknownReason, Value};

/// The dependencies a workspace links through its properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `properties.storageAccount`.
    StorageAccount,
    /// `properties.keyVault`.
    KeyVault,
    /// `properties.containerRegistry`.
    ContainerRegistry,
    /// `properties.applicationInsights`.
    ApplicationInsights,
}

impl LinkKind {
    /// Every kind, in a fixed order.
    pub const ALL: [LinkKind; 4] = [
        Self::StorageAccount,
        Self::KeyVault,
        Self::ContainerRegistry,
        Self::ApplicationInsights,
    ];

    /// The workspace property that holds the link.
    pub fn property(self) -> &'static str {
        match self {
            Self::StorageAccount => "properties.storageAccount",
            Self::KeyVault => "properties.keyVault",
            Self::ContainerRegistry => "properties.containerRegistry",
            Self::ApplicationInsights => "properties.applicationInsights",
        }
    }

    /// The ARM type the link points at.
    pub fn target_type(self) -> &'static str {
        match self {
            Self::StorageAccount => STORAGE_ACCOUNT,
            Self::KeyVault => KEY_VAULT,
            Self::ContainerRegistry => CONTAINER_REGISTRY,
            Self::ApplicationInsights => APPLICATION_INSIGHTS,
        }
    }

    /// The kind of link that points at resources of `ty`, if any.
    pub fn for_type(ty: &str) -> Option<LinkKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.target_type().eq_ignore_ascii_case(ty))
    }
}

/// What a reference resolves to.
#[derive(Clone, Debug)]
pub enum Target<'m> {
    /// A resource declared in the scan.
    Declared(&'m Resource),
    /// A resource ID that names nothing declared in the scan.
    External(ResourceId),
    /// A resource declared `existing` (or a data source): it exists, but its settings are
    /// not in the scan.
    Existing(&'m Resource),
    /// The reference itself cannot be settled statically.
    Unknown(Arc<Unknown>),
    /// There is no reference.
    Absent,
}

/// A workspace's link to a dependency.
#[derive(Clone, Debug)]
pub struct Link<'m> {
    /// Which property.
    pub kind: LinkKind,
    /// The workspace.
    pub workspace: &'m Resource,
    /// The property, with where it is written.
    pub prop: Prop<'m>,
    /// What it points at.
    pub target: Target<'m>,
}

/// How a private endpoint reaches its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointKind {
    /// A `Microsoft.Network/privateEndpoints` connection.
    PrivateEndpoint,
    /// A managed-network outbound rule of type `PrivateEndpoint` (inline or a resource).
    OutboundRule,
}

/// One private connection to a resource.
#[derive(Clone, Debug)]
pub struct PrivateEndpoint {
    /// How it reaches the target.
    pub kind: EndpointKind,
    /// The resource that declares it: the private endpoint, the outbound-rule resource, or
    /// the workspace for an inline outbound rule.
    pub declared_by: usize,
    /// Where the connection (or rule) is written.
    pub span: Span,
    /// The group IDs (sub-resources) it connects to.
    pub groups: Groups,
    /// Whether it needs manual approval (`manualPrivateLinkServiceConnections`).
    pub manual: bool,
    /// The DNS zone groups of the private endpoint (indices into the model).
    pub dns_zone_groups: Vec<usize>,
    /// For an endpoint whose target cannot be resolved statically: the target's unknown.
    pub unresolved_target: Option<Arc<Unknown>>,
}

/// The group IDs of a private connection; some may be unknown.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    /// The known ones.
    pub known: Vec<Arc<str>>,
    /// Set when some (or all) are unknown.
    pub unknown: Option<Arc<Unknown>>,
}

impl Groups {
    /// Whether `group` is among the known ones (case-insensitively).
    pub fn contains(&self, group: &str) -> bool {
        self.known.iter().any(|g| g.eq_ignore_ascii_case(group))
    }
}

/// The answer to "is there a private endpoint for this group?".
#[derive(Clone, Debug)]
pub enum EndpointSearch<'m> {
    /// Yes, this one.
    Found(&'m PrivateEndpoint),
    /// No private connection reaches the resource for the group.
    Missing,
    /// Maybe: an endpoint's target or groups are unknown.
    Unknown(Arc<Unknown>),
}

/// The `type` of a managed-network outbound rule, compared case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutboundRuleType {
    /// `FQDN`: a host name (wildcards allowed), through the managed firewall.
    Fqdn,
    /// `ServiceTag`: an Azure service tag or address prefixes.
    ServiceTag,
    /// `PrivateEndpoint`: a private endpoint the managed network creates.
    PrivateEndpoint,
    /// Another value, or no `type` at all.
    Other,
    /// A value static evaluation cannot settle.
    Unknown(Arc<Unknown>),
}

impl OutboundRuleType {
    fn of(prop: &Prop<'_>) -> Self {
        match &prop.value {
            Value::Known(node) if node.str_eq("FQDN") => Self::Fqdn,
            Value::Known(node) if node.str_eq("ServiceTag") => Self::ServiceTag,
            Value::Known(node) if node.str_eq("PrivateEndpoint") => Self::PrivateEndpoint,
            Value::Known(_) | Value::Absent => Self::Other,
            Value::Unknown(unknown) => Self::Unknown(Arc::clone(unknown)),
        }
    }

    /// The type as ARM spells it (`FQDN`, `ServiceTag`, `PrivateEndpoint`), or `None` for
    /// another or an unknown value.
    pub fn as_str(&self) -> Option<&'static str> {
        match self {
            Self::Fqdn => Some("FQDN"),
            Self::ServiceTag => Some("ServiceTag"),
            Self::PrivateEndpoint => Some("PrivateEndpoint"),
            Self::Other | Self::Unknown(_) => None,
        }
    }
}

/// One managed-network outbound rule: an entry of the workspace's inline
/// `managedNetwork.outboundRules`, or a `workspaces/outboundRules` child resource.
#[derive(Clone, Debug)]
pub struct OutboundRule<'m> {
    /// The rule's name: the inline entry's key, or the child resource's last name segment.
    pub name: Arc<str>,
    /// Its `type`.
    pub ty: OutboundRuleType,
    /// The `type` property, with where it is written and what decided it.
    pub type_prop: Prop<'m>,
    /// The `destination` property: a string for `FQDN`, an object for the other types.
    pub destination: Prop<'m>,
    /// The resource that declares it: the workspace for an inline rule, else the
    /// outbound-rule resource.
    pub declared_by: &'m Resource,
    /// Whether it is written inline in the workspace.
    pub inline: bool,
    /// Where a finding about the rule points: the inline entry's key (the
    /// `outboundRules` property when the entry comes from elsewhere, such as a parameter
    /// default), or the outbound-rule resource's header.
    pub span: Span,
    /// The ARM path of the rule within `declared_by`, for fingerprints:
    /// `properties.managedNetwork.outboundRules.<name>`, or `properties` for a resource.
    pub property: String,
}

/// The managed-network outbound rules of a workspace.
#[derive(Clone, Debug, Default)]
pub struct OutboundRules<'m> {
    /// The rules that are known to exist (their settings may still be unknown).
    pub rules: Vec<OutboundRule<'m>>,
    /// Set when the inline rule set is unknown or only partly known, so that there may be
    /// more rules than `rules`: the unknown, and where the rule set is written.
    pub unknown: Option<(Arc<Unknown>, Span)>,
}

/// The private DNS zones a private endpoint's zone groups register it in.
#[derive(Clone, Debug, Default)]
pub struct DnsZones {
    /// The zone names known statically, each with where its zone ID is written.
    pub known: Vec<(Arc<str>, Span)>,
    /// Set when some zone, or a whole list of zones, cannot be settled: the first such
    /// unknown, and where it is written.
    pub unknown: Option<(Arc<Unknown>, Span)>,
}

impl DnsZones {
    /// Whether `zone` is among the known zones (case-insensitively).
    pub fn contains(&self, zone: &str) -> bool {
        self.known.iter().any(|(z, _)| z.eq_ignore_ascii_case(zone))
    }
}

/// The ARM path of a workspace's inline outbound rules.
const INLINE_OUTBOUND_RULES: &str = "properties.managedNetwork.outboundRules";

/// Every resource of a scan and the relations between them.
#[derive(Debug, Default)]
pub struct Model {
    resources: Vec<Resource>,
    by_type: FxHashMap<String, Vec<usize>>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    endpoints: Vec<Vec<PrivateEndpoint>>,
    unresolved_endpoints: FxHashMap<RootId, Vec<PrivateEndpoint>>,
    /// The private endpoint connections each `privateEndpoints` resource declares, with
    /// the index of the resource each one targets when it is declared in the scan.
    connections: Vec<Vec<(Option<usize>, PrivateEndpoint)>>,
    linked_by: Vec<Vec<(usize, LinkKind)>>,
}

impl Model {
    /// Builds the graph. Later declarations of a resource (a redeployment in a nested
    /// deployment, a Terraform partial update) merge into the first one; partial updates of
    /// resources that are not in the scan are dropped.
    pub fn new(resources: Vec<Resource>) -> Self {
        let resources = merge_redeclarations(resources);
        let mut model = Model {
            parent: vec![None; resources.len()],
            children: vec![Vec::new(); resources.len()],
            endpoints: vec![Vec::new(); resources.len()],
            connections: vec![Vec::new(); resources.len()],
            linked_by: vec![Vec::new(); resources.len()],
            resources,
            ..Model::default()
        };
        for (i, r) in model.resources.iter().enumerate() {
            model
                .by_type
                .entry(r.ty.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
        model.link_parents();
        model.collect_endpoints();
        model.collect_links();
        model
    }

    /// All resources, in declaration order.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// The resource at `index`.
    pub fn resource(&self, index: usize) -> Option<&Resource> {
        self.resources.get(index)
    }

    /// The resources of ARM type `ty`.
    pub fn resources_of<'m>(&'m self, ty: &str) -> impl Iterator<Item = &'m Resource> + 'm {
        self.indices_of(ty).iter().map(|&i| &self.resources[i])
    }

    fn indices_of(&self, ty: &str) -> &[usize] {
        self.by_type
            .get(&ty.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// The index of a resource borrowed from this model.
    pub fn index_of(&self, resource: &Resource) -> Option<usize> {
        let base = self.resources.as_ptr() as usize;
        let address = std::ptr::from_ref(resource) as usize;
        let size = std::mem::size_of::<Resource>().max(1);
        let index = address.checked_sub(base)? / size;
        (index < self.resources.len()
            && std::ptr::eq(std::ptr::from_ref(&self.resources[index]), resource))
        .then_some(index)
    }

    /// The parent of a child resource, when it is declared in the scan.
    pub fn parent_of(&self, resource: &Resource) -> Option<&Resource> {
        let index = self.index_of(resource)?;
        self.parent[index].map(|p| &self.resources[p])
    }

    /// The declared children of a resource.
    pub fn children_of<'m>(
        &'m self,
        resource: &Resource,
    ) -> impl Iterator<Item = &'m Resource> + 'm {
        let list = self
            .index_of(resource)
            .map_or(&[][..], |i| self.children[i].as_slice());
        list.iter().map(|&c| &self.resources[c])
    }

    /// The computes of a workspace.
    pub fn computes_of<'m>(
        &'m self,
        workspace: &Resource,
    ) -> impl Iterator<Item = &'m Resource> + 'm {
        self.children_of(workspace).filter(|c| c.is(ML_COMPUTE))
    }

    /// The workspace of a compute, when it is declared in the scan.
    pub fn workspace_of(&self, compute: &Resource) -> Option<&Resource> {
        self.parent_of(compute).filter(|p| p.is(ML_WORKSPACE))
    }

    /// Resolves a reference (a resource ID value) as seen from `from`: a symbolic ID
    /// matches only within `from`'s root; a fully known one anywhere in the scan, preferring
    /// `from`'s root.
    pub fn resolve<'m>(&'m self, from: &Resource, value: &Value<'_>) -> Target<'m> {
        match value {
            Value::Absent => Target::Absent,
            Value::Unknown(unknown) => Target::Unknown(Arc::clone(unknown)),
            Value::Known(node) => match reference_id(node) {
                Ok(id) => self.find(&id, from.origin.root),
                Err(unknown) => Target::Unknown(unknown),
            },
        }
    }

    fn find(&self, id: &ResourceId, root: RootId) -> Target<'_> {
        if let Some(i) = self.find_index(id, root) {
            return Target::Declared(&self.resources[i]);
        }
        let existing = self
            .indices_of(&id.ty)
            .iter()
            .map(|&i| &self.resources[i])
            .find(|r| r.existing && r.origin.root == root && r.id.matches(id));
        match existing {
            Some(resource) => Target::Existing(resource),
            None => Target::External(id.clone()),
        }
    }

    fn find_index(&self, id: &ResourceId, root: RootId) -> Option<usize> {
        let candidates = self.indices_of(&id.ty);
        let matching = |same_root: bool| {
            candidates.iter().copied().find(|&i| {
                let r = &self.resources[i];
                !r.existing
                    && (r.origin.root == root) == same_root
                    && (same_root || (id.is_known() && r.id.is_known()))
                    && r.id.matches(id)
            })
        };
        matching(true).or_else(|| matching(false))
    }

    /// The workspace's link of `kind`.
    pub fn link<'m>(&'m self, workspace: &'m Resource, kind: LinkKind) -> Link<'m> {
        let prop = workspace.get(kind.property());
        let target = self.resolve(workspace, &prop.value);
        Link {
            kind,
            workspace,
            prop,
            target,
        }
    }

    /// All four links of a workspace.
    pub fn links<'m>(&'m self, workspace: &'m Resource) -> impl Iterator<Item = Link<'m>> + 'm {
        LinkKind::ALL
            .into_iter()
            .map(move |kind| self.link(workspace, kind))
    }

    /// The links from workspaces to this resource.
    pub fn workspaces_linking<'m>(&'m self, resource: &Resource) -> Vec<Link<'m>> {
        let Some(index) = self.index_of(resource) else {
            return Vec::new();
        };
        self.linked_by[index]
            .iter()
            .map(|&(ws, kind)| self.link(&self.resources[ws], kind))
            .collect()
    }

    /// Every private connection whose target resolves to this resource: private endpoints
    /// (automatic and manual) and managed-network outbound rules of type `PrivateEndpoint`
    /// of workspaces whose managed network is not disabled.
    pub fn private_endpoints_to(&self, resource: &Resource) -> &[PrivateEndpoint] {
        self.index_of(resource)
            .map_or(&[], |i| self.endpoints[i].as_slice())
    }

    /// Whether a private connection for `group` reaches `resource`. Unknown when one reaches
    /// it with unknown groups, or when an endpoint in the same root has an unknown target
    /// and could be it.
    pub fn find_private_endpoint(&self, resource: &Resource, group: &str) -> EndpointSearch<'_> {
        let direct = self.private_endpoints_to(resource);
        if let Some(found) = direct.iter().find(|e| e.groups.contains(group)) {
            return EndpointSearch::Found(found);
        }
        if let Some(unknown) = direct.iter().find_map(|e| e.groups.unknown.clone()) {
            return EndpointSearch::Unknown(unknown);
        }
        let maybe = self
            .unresolved_endpoints
            .get(&resource.origin.root)
            .into_iter()
            .flatten()
            .find(|e| e.groups.contains(group) || e.groups.unknown.is_some());
        match maybe.and_then(|e| {
            e.unresolved_target
                .clone()
                .or_else(|| e.groups.unknown.clone())
        }) {
            Some(unknown) => EndpointSearch::Unknown(unknown),
            None => EndpointSearch::Missing,
        }
    }

    /// The private endpoint connections (automatic and manual) a
    /// `Microsoft.Network/privateEndpoints` resource declares, each with the resource it
    /// targets when that resource is declared in the scan.
    pub fn connections_of<'m>(
        &'m self,
        endpoint: &Resource,
    ) -> impl Iterator<Item = (&'m PrivateEndpoint, Option<&'m Resource>)> + 'm {
        let list = self
            .index_of(endpoint)
            .map_or(&[][..], |i| self.connections[i].as_slice());
        list.iter()
            .map(|(target, e)| (e, target.map(|t| &self.resources[t])))
    }

    /// The managed-network outbound rules of a workspace: the entries of its inline
    /// `managedNetwork.outboundRules` object, then its declared `workspaces/outboundRules`
    /// children. Inline entries that are not objects (nor unknown) are skipped; an inline
    /// rule set that is unknown, or not an object, leaves `unknown` set or nothing.
    pub fn outbound_rules<'m>(&'m self, workspace: &'m Resource) -> OutboundRules<'m> {
        let mut out = OutboundRules::default();
        let inline = workspace.get(INLINE_OUTBOUND_RULES);
        let fallback = inline.span_or(workspace.header());
        match &inline.value {
            Value::Unknown(unknown) => out.unknown = Some((Arc::clone(unknown), fallback)),
            Value::Known(node) => {
                if let Some(object) = node.as_object() {
                    if let Some(rest) = &object.rest {
                        out.unknown = Some((Arc::clone(rest), fallback));
                    }
                    // A repeated key: the last entry wins, as in ARM.
                    let last = |entry: &Entry| {
                        object
                            .get(&entry.key)
                            .is_some_and(|winner| std::ptr::eq(winner, entry))
                    };
                    out.rules.extend(
                        object
                            .entries
                            .iter()
                            .filter(|entry| last(entry))
                            .filter_map(|entry| inline_outbound_rule(workspace, entry, fallback)),
                    );
                }
            }
            Value::Absent => {}
        }
        out.rules.extend(
            self.children_of(workspace)
                .filter_map(Self::outbound_rule_resource),
        );
        out
    }

    /// A `workspaces/outboundRules` resource read as a rule; `None` for a resource of
    /// another type.
    pub fn outbound_rule_resource(resource: &Resource) -> Option<OutboundRule<'_>> {
        if !resource.is(ML_OUTBOUND_RULE) {
            return None;
        }
        let type_prop = resource.get("properties.type");
        Some(OutboundRule {
            name: resource.display_name().into(),
            ty: OutboundRuleType::of(&type_prop),
            type_prop,
            destination: resource.get("properties.destination"),
            declared_by: resource,
            inline: false,
            span: resource.header(),
            property: "properties".to_owned(),
        })
    }

    /// The private DNS zones of a private endpoint's zone groups, read from each
    /// `privateDnsZoneConfigs[].properties.privateDnsZoneId`: the last name of a
    /// `privateDnsZones` resource ID (symbolic or a literal string), or the name of the
    /// declared zone it resolves to. A zone ID static evaluation cannot settle makes the
    /// zones unknown; an ID of another type is not a zone and is skipped.
    pub fn dns_zones(&self, endpoint: &PrivateEndpoint) -> DnsZones {
        let mut zones = DnsZones::default();
        for &index in &endpoint.dns_zone_groups {
            let Some(group) = self.resources.get(index) else {
                continue;
            };
            let configs = group.get("properties.privateDnsZoneConfigs");
            let fallback = configs.span_or(group.header());
            let items = match &configs.value {
                Value::Known(node) => node.as_array().unwrap_or_default(),
                Value::Unknown(unknown) => {
                    zones.unknown = zones
                        .unknown
                        .or_else(|| Some((Arc::clone(unknown), fallback)));
                    continue;
                }
                Value::Absent => continue,
            };
            for item in items {
                let id = lookup_in(group, item, "properties.privateDnsZoneId");
                let at = id.span_or(fallback);
                match self.zone_name(group, &id) {
                    ZoneName::Known(name) => zones.known.push((name, at)),
                    ZoneName::Unknown(unknown) => {
                        zones.unknown = zones.unknown.or(Some((unknown, at)));
                    }
                    ZoneName::NotAZone => {}
                }
            }
        }
        zones
    }

    fn zone_name(&self, group: &Resource, id: &Prop<'_>) -> ZoneName {
        let node = match &id.value {
            Value::Known(node) => node,
            Value::Unknown(unknown) => return ZoneName::Unknown(Arc::clone(unknown)),
            Value::Absent => return ZoneName::NotAZone,
        };
        let parsed = match reference_id(node) {
            Ok(parsed) => parsed,
            Err(unknown) => return ZoneName::Unknown(unknown),
        };
        if !same_type(&parsed.ty, PRIVATE_DNS_ZONE) {
            return ZoneName::NotAZone;
        }
        let declared_name = match self.resolve(group, &id.value) {
            Target::Declared(zone) | Target::Existing(zone) => zone.id.last_name().cloned(),
            _ => None,
        };
        match (parsed.last_name(), declared_name.as_ref()) {
            (Some(NamePart::Known(name)), _) | (_, Some(NamePart::Known(name))) => {
                ZoneName::Known(Arc::clone(name))
            }
            (Some(NamePart::Symbolic(expr)), _) => ZoneName::Unknown(Arc::new(Unknown::new(
                Arc::clone(expr),
                UnknownReason::Invalid {
                    message: "the private DNS zone's name cannot be settled statically".into(),
                },
            ))),
            (None, _) => ZoneName::NotAZone,
        }
    }

    fn link_parents(&mut self) {
        for child in 0..self.resources.len() {
            let Some(parent_id) = self.resources[child].id.parent() else {
                continue;
            };
            let root = self.resources[child].origin.root;
            if let Some(parent) = self.find_index(&parent_id, root) {
                self.parent[child] = Some(parent);
                self.children[parent].push(child);
            }
        }
    }

    fn collect_endpoints(&mut self) {
        let mut found: Vec<(Target<'_>, PrivateEndpoint)> = Vec::new();
        for (index, resource) in self.resources.iter().enumerate() {
            if resource.is(PRIVATE_ENDPOINT) {
                let zone_groups: Vec<usize> = self.children[index]
                    .iter()
                    .copied()
                    .filter(|&c| self.resources[c].is(PRIVATE_DNS_ZONE_GROUP))
                    .collect();
                for (list, manual) in [
                    ("properties.privateLinkServiceConnections", false),
                    ("properties.manualPrivateLinkServiceConnections", true),
                ] {
                    for connection in connections(resource, &resource.get(list)) {
                        let (target, groups, span) = match connection {
                            Connection::Known(node, span) => {
                                let target =
                                    lookup_in(resource, node, "properties.privateLinkServiceId");
                                let groups = lookup_in(resource, node, "properties.groupIds");
                                (
                                    self.resolve(resource, &target.value),
                                    groups_of(&groups),
                                    span,
                                )
                            }
                            Connection::Unknown(unknown, span) => {
                                let groups = Groups {
                                    known: Vec::new(),
                                    unknown: Some(Arc::clone(&unknown)),
                                };
                                (Target::Unknown(unknown), groups, span)
                            }
                        };
                        let endpoint = PrivateEndpoint {
                            kind: EndpointKind::PrivateEndpoint,
                            declared_by: index,
                            span,
                            groups,
                            manual,
                            dns_zone_groups: zone_groups.clone(),
                            unresolved_target: None,
                        };
                        found.push((target, endpoint));
                    }
                }
            } else if resource.is(ML_WORKSPACE) && managed_network_enabled(resource) {
                let rules = resource.get("properties.managedNetwork.outboundRules");
                if let Some(object) = rules.known().and_then(Node::as_object) {
                    for entry in &object.entries {
                        let node = Some(&entry.value);
                        if let Some(endpoint) =
                            self.outbound_rule(resource, index, node, entry.key_span)
                        {
                            found.push(endpoint);
                        }
                    }
                }
            } else if resource.is(ML_OUTBOUND_RULE) {
                let enabled = self.parent[index]
                    .is_none_or(|ws| managed_network_enabled(&self.resources[ws]));
                if enabled {
                    let body = resource.get("properties");
                    if let Some(endpoint) =
                        self.outbound_rule(resource, index, body.known(), resource.header())
                    {
                        found.push(endpoint);
                    }
                }
            }
        }
        let mut resolved: Vec<(usize, PrivateEndpoint)> = Vec::new();
        let mut unresolved: Vec<(RootId, PrivateEndpoint)> = Vec::new();
        let mut declared: Vec<(usize, Option<usize>, PrivateEndpoint)> = Vec::new();
        for (target, endpoint) in found {
            if endpoint.kind == EndpointKind::PrivateEndpoint {
                let target_index = match &target {
                    Target::Declared(r) => self.index_of(r),
                    _ => None,
                };
                declared.push((endpoint.declared_by, target_index, endpoint.clone()));
            }
            match target {
                Target::Declared(r) => {
                    if let Some(i) = self.index_of(r) {
                        resolved.push((i, endpoint));
                    }
                }
                Target::Unknown(unknown) => {
                    let root = self.resources[endpoint.declared_by].origin.root;
                    unresolved.push((
                        root,
                        PrivateEndpoint {
                            unresolved_target: Some(unknown),
                            ..endpoint
                        },
                    ));
                }
                Target::External(_) | Target::Existing(_) | Target::Absent => {}
            }
        }
        for (i, endpoint) in resolved {
            self.endpoints[i].push(endpoint);
        }
        for (by, target, endpoint) in declared {
            self.connections[by].push((target, endpoint));
        }
        for (root, endpoint) in unresolved {
            self.unresolved_endpoints
                .entry(root)
                .or_default()
                .push(endpoint);
        }
    }

    /// A `PrivateEndpoint` outbound rule (`{ type, destination: { serviceResourceId,
    /// subresourceTarget } }`) declared by `resource`, with its target.
    fn outbound_rule<'m>(
        &'m self,
        resource: &'m Resource,
        index: usize,
        rule: Option<&'m Node>,
        span: Span,
    ) -> Option<(Target<'m>, PrivateEndpoint)> {
        let rule = rule?;
        let kind = lookup_in(resource, rule, "type");
        if !kind.is("PrivateEndpoint") {
            return None;
        }
        let target = lookup_in(resource, rule, "destination.serviceResourceId");
        let group = lookup_in(resource, rule, "destination.subresourceTarget");
        let endpoint = PrivateEndpoint {
            kind: EndpointKind::OutboundRule,
            declared_by: index,
            span: kind.span.map_or(span, |s| span.to(s)),
            groups: groups_of(&group),
            manual: false,
            dns_zone_groups: Vec::new(),
            unresolved_target: None,
        };
        Some((self.resolve(resource, &target.value), endpoint))
    }

    fn collect_links(&mut self) {
        let mut edges = Vec::new();
        for &ws in self.indices_of(ML_WORKSPACE) {
            let workspace = &self.resources[ws];
            for link in self.links(workspace) {
                if let Target::Declared(target) = link.target
                    && let Some(t) = self.index_of(target)
                {
                    edges.push((t, ws, link.kind));
                }
            }
        }
        for (target, ws, kind) in edges {
            self.linked_by[target].push((ws, kind));
        }
    }
}

/// What a zone ID names.
enum ZoneName {
    Known(Arc<str>),
    Unknown(Arc<Unknown>),
    /// No zone ID, or the ID of something else.
    NotAZone,
}

/// One entry of a workspace's inline `outboundRules` object, read as a rule; `None` when
/// its value is neither an object nor unknown.
fn inline_outbound_rule<'m>(
    workspace: &'m Resource,
    entry: &'m Entry,
    fallback: Span,
) -> Option<OutboundRule<'m>> {
    if !matches!(entry.value.kind, NodeKind::Object(_) | NodeKind::Unknown(_)) {
        return None;
    }
    let written = workspace
        .origin
        .decls
        .iter()
        .any(|d| d.contains(entry.key_span));
    let type_prop = lookup_in(workspace, &entry.value, "type");
    Some(OutboundRule {
        name: Arc::clone(&entry.key),
        ty: OutboundRuleType::of(&type_prop),
        type_prop,
        destination: lookup_in(workspace, &entry.value, "destination"),
        declared_by: workspace,
        inline: true,
        span: if written { entry.key_span } else { fallback },
        property: format!("{INLINE_OUTBOUND_RULES}.{}", entry.key),
    })
}

/// Whether a workspace's managed network could be on: `isolationMode` is a managed mode or
/// unknown. Outbound rules of a workspace without one create nothing.
fn managed_network_enabled(workspace: &Resource) -> bool {
    let mode = workspace.get("properties.managedNetwork.isolationMode");
    match mode.value {
        Value::Known(node) => !node.str_eq("Disabled") && node.as_str().is_some(),
        Value::Unknown(_) => true,
        Value::Absent => false,
    }
}

/// The resource ID a reference value names: a symbolic ID, or a string that parses as one.
fn reference_id(node: &Node) -> Result<ResourceId, Arc<Unknown>> {
    match &node.kind {
        NodeKind::ResourceId(id) => Ok((**id).clone()),
        NodeKind::String(text) => ResourceId::parse(text).ok_or_else(|| {
            Arc::new(Unknown::new(
                node.render(),
                UnknownReason::Invalid {
                    message: format!("`{text}` is not a resource ID").into(),
                },
            ))
        }),
        NodeKind::Unknown(unknown) => Err(Arc::clone(unknown)),
        _ => Err(Arc::new(Unknown::new(
            node.render(),
            UnknownReason::Invalid {
                message: "the value is not a resource ID".into(),
            },
        ))),
    }
}

/// Looks up `path` inside a node that belongs to `resource`.
fn lookup_in<'a>(resource: &Resource, node: &'a Node, path: &str) -> Prop<'a> {
    node.lookup(path, &resource.origin.decls)
}

/// One private link service connection of a private endpoint.
enum Connection<'a> {
    /// A connection object, with where it is written.
    Known(&'a Node, Span),
    /// The whole list is unknown (a parameter, a module input): there may be connections.
    Unknown(Arc<Unknown>, Span),
}

/// The connections in a `privateLinkServiceConnections`-style array property.
fn connections<'a>(resource: &Resource, prop: &Prop<'a>) -> Vec<Connection<'a>> {
    let fallback = prop.span_or(resource.header());
    match &prop.value {
        Value::Known(node) => node
            .as_array()
            .unwrap_or_default()
            .iter()
            .map(|item| {
                let written = resource.origin.decls.iter().any(|d| d.contains(item.span));
                Connection::Known(item, if written { item.span } else { fallback })
            })
            .collect(),
        Value::Unknown(unknown) => vec![Connection::Unknown(Arc::clone(unknown), fallback)],
        Value::Absent => Vec::new(),
    }
}

/// The group IDs of a connection: an array of strings, or a single string (Terraform's
/// outbound rule `sub_resource_target`, ARM's `subresourceTarget`).
fn groups_of(prop: &Prop<'_>) -> Groups {
    match &prop.value {
        Value::Known(node) => {
            let mut groups = Groups::default();
            let items: &[Node] = match &node.kind {
                NodeKind::Array(items) => items,
                _ => std::slice::from_ref(node),
            };
            for item in items {
                match &item.kind {
                    NodeKind::String(s) => groups.known.push(Arc::clone(s)),
                    NodeKind::Unknown(u) => groups.unknown = Some(Arc::clone(u)),
                    _ => {}
                }
            }
            groups
        }
        Value::Unknown(unknown) => Groups {
            known: Vec::new(),
            unknown: Some(Arc::clone(unknown)),
        },
        Value::Absent => Groups::default(),
    }
}

/// Merges later declarations of the same resource into the first, and drops partial
/// updates that target nothing in the scan. Declarations in two known scopes that differ
/// (two resource groups) are two resources.
fn merge_redeclarations(resources: Vec<Resource>) -> Vec<Resource> {
    let mut kept: Vec<Resource> = Vec::with_capacity(resources.len());
    let mut index: FxHashMap<IdentityKey, Vec<usize>> = FxHashMap::default();
    for resource in resources {
        if resource.existing {
            kept.push(resource);
            continue;
        }
        let key = IdentityKey::of(&resource);
        let same = index.get(&key).and_then(|candidates| {
            candidates
                .iter()
                .copied()
                .find(|&i| kept[i].id.may_share_scope(&resource.id))
        });
        match same {
            Some(first) => {
                let base = &mut kept[first];
                base.body = merge_nodes(&base.body, &resource.body);
                base.origin
                    .decls
                    .extend(resource.origin.decls.iter().copied());
                base.looped |= resource.looped;
                base.update &= resource.update;
                if resource.condition == Condition::Always {
                    base.condition = Condition::Always;
                }
                if base.update && !resource.update {
                    // The first real declaration becomes the resource's home.
                    base.origin.file = resource.origin.file;
                    base.origin.header = resource.origin.header;
                    base.origin.name_text = Arc::clone(&resource.origin.name_text);
                }
            }
            None => {
                index.entry(key).or_default().push(kept.len());
                kept.push(resource);
            }
        }
    }
    kept.retain(|r| !r.update);
    kept
}

/// What makes two declarations the same resource: type, names and root. Two templates that
/// happen to use the same literal name are two deployments, linted separately.
#[derive(PartialEq, Eq, Hash)]
struct IdentityKey {
    ty: String,
    names: Vec<NamePart>,
    root: RootId,
}

impl IdentityKey {
    fn of(resource: &Resource) -> Self {
        let names = resource
            .id
            .names
            .iter()
            .map(|n| match n {
                NamePart::Known(s) => NamePart::Known(s.to_ascii_lowercase().into()),
                NamePart::Symbolic(e) => NamePart::Symbolic(Arc::clone(e)),
            })
            .collect();
        Self {
            ty: resource.ty.to_ascii_lowercase(),
            names,
            root: resource.origin.root,
        }
    }
}

/// `later` over `earlier`: objects merge key by key, anything else is replaced.
fn merge_nodes(earlier: &Node, later: &Node) -> Node {
    match (&earlier.kind, &later.kind) {
        (NodeKind::Object(a), NodeKind::Object(b)) => {
            let mut entries: Vec<Entry> = a.entries.clone();
            for entry in &b.entries {
                match entries
                    .iter_mut()
                    .find(|e| e.key.eq_ignore_ascii_case(&entry.key))
                {
                    Some(existing) => {
                        existing.value = merge_nodes(&existing.value, &entry.value);
                        existing.key_span = entry.key_span;
                    }
                    None => entries.push(entry.clone()),
                }
            }
            Node::object(
                Object {
                    entries,
                    rest: b.rest.clone().or_else(|| a.rest.clone()),
                },
                later.span,
            )
            .with_provenance(&later.provenance)
        }
        _ => later.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{Origin, Syntax};
    use crate::source::{FileId, Span};
    use crate::value::{Entry, NodeKind};

    fn span(start: usize) -> Span {
        Span::new(FileId(0), start, start + 1)
    }

    fn string(text: &str) -> Node {
        Node::string(text, span(0))
    }

    fn id(ty: &str, names: &[&str]) -> Node {
        Node::new(
            NodeKind::ResourceId(Arc::new(ResourceId::new(
                ty,
                names.iter().map(|n| known_or_symbolic(n)).collect(),
            ))),
            span(0),
        )
    }

    /// `$expr` is symbolic, anything else a known name.
    fn known_or_symbolic(name: &str) -> NamePart {
        match name.strip_prefix('$') {
            Some(expr) => NamePart::Symbolic(expr.into()),
            None => NamePart::Known(name.into()),
        }
    }

    fn object(entries: Vec<(&str, Node)>) -> Node {
        Node::object(
            Object {
                entries: entries
                    .into_iter()
                    .map(|(key, value)| Entry {
                        key: key.into(),
                        key_span: span(0),
                        value,
                    })
                    .collect(),
                rest: None,
            },
            span(0),
        )
    }

    fn array(items: Vec<Node>) -> Node {
        Node::new(NodeKind::Array(items.into()), span(0))
    }

    fn unknown(expr: &str) -> Node {
        Node::unknown(
            Unknown::new(expr, UnknownReason::Parameter { name: expr.into() }),
            span(0),
        )
    }

    fn resource(root: u32, ty: &str, names: &[&str], properties: Node) -> Resource {
        Resource {
            ty: ty.into(),
            api_version: None,
            name: string(&names.join("/")),
            id: ResourceId::new(ty, names.iter().map(|n| known_or_symbolic(n)).collect()),
            body: object(vec![("properties", properties)]),
            condition: Condition::Always,
            looped: false,
            existing: false,
            update: false,
            origin: Origin {
                file: FileId(0),
                decls: vec![Span::new(FileId(0), 0, 1000)],
                header: span(0),
                name_text: names.join("/").into(),
                module_path: Arc::from(Vec::new()),
                root: RootId(root),
                syntax: Syntax::Arm,
                address: None,
            },
        }
    }

    fn workspace(root: u32, storage: Node, mode: Option<&str>) -> Resource {
        let mut properties = vec![("storageAccount", storage)];
        if let Some(mode) = mode {
            properties.push((
                "managedNetwork",
                object(vec![("isolationMode", string(mode))]),
            ));
        }
        resource(root, ML_WORKSPACE, &["ws"], object(properties))
    }

    fn endpoint(root: u32, target: Node, groups: Node) -> Resource {
        let connection = object(vec![(
            "properties",
            object(vec![("privateLinkServiceId", target), ("groupIds", groups)]),
        )]);
        resource(
            root,
            PRIVATE_ENDPOINT,
            &["pe"],
            object(vec![(
                "privateLinkServiceConnections",
                array(vec![connection]),
            )]),
        )
    }

    fn storage(root: u32, name: &str) -> Resource {
        resource(root, STORAGE_ACCOUNT, &[name], object(vec![]))
    }

    #[test]
    fn symbolic_links_resolve_only_within_their_root() {
        let model = Model::new(vec![
            storage(1, "$variables('st')"),
            workspace(1, id(STORAGE_ACCOUNT, &["$variables('st')"]), None),
            storage(2, "$variables('st')"),
            workspace(2, id(STORAGE_ACCOUNT, &["$other"]), None),
        ]);
        let workspaces: Vec<&Resource> = model.resources_of(ML_WORKSPACE).collect();
        let first = model.link(workspaces[0], LinkKind::StorageAccount);
        let Target::Declared(found) = first.target else {
            panic!("expected a declared storage account")
        };
        assert_eq!(found.origin.root, RootId(1));
        assert!(matches!(
            model.link(workspaces[1], LinkKind::StorageAccount).target,
            Target::External(_)
        ));
        let storages: Vec<&Resource> = model.resources_of(STORAGE_ACCOUNT).collect();
        assert_eq!(model.workspaces_linking(storages[0]).len(), 1);
        assert!(model.workspaces_linking(storages[1]).is_empty());
    }

    #[test]
    fn literal_ids_resolve_across_roots_and_prefer_their_own() {
        let literal = string(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/STDATA",
        );
        let model = Model::new(vec![storage(1, "stdata"), workspace(2, literal, None)]);
        let ws = model.resources_of(ML_WORKSPACE).next().unwrap();
        assert!(matches!(
            model.link(ws, LinkKind::StorageAccount).target,
            Target::Declared(_)
        ));
    }

    #[test]
    fn private_endpoints_are_found_by_group() {
        let model = Model::new(vec![
            storage(1, "st"),
            endpoint(1, id(STORAGE_ACCOUNT, &["st"]), array(vec![string("BLOB")])),
        ]);
        let st = model.resources_of(STORAGE_ACCOUNT).next().unwrap();
        assert!(matches!(
            model.find_private_endpoint(st, "blob"),
            EndpointSearch::Found(_)
        ));
        assert!(matches!(
            model.find_private_endpoint(st, "file"),
            EndpointSearch::Missing
        ));
        assert_eq!(model.private_endpoints_to(st).len(), 1);
    }

    #[test]
    fn unknown_groups_or_targets_make_the_search_unknown() {
        let unknown_groups = Model::new(vec![
            storage(1, "st"),
            endpoint(
                1,
                id(STORAGE_ACCOUNT, &["st"]),
                unknown("parameters('groups')"),
            ),
        ]);
        let st = unknown_groups.resources_of(STORAGE_ACCOUNT).next().unwrap();
        assert!(matches!(
            unknown_groups.find_private_endpoint(st, "blob"),
            EndpointSearch::Unknown(_)
        ));

        let unknown_target = Model::new(vec![
            storage(1, "st"),
            endpoint(
                1,
                unknown("parameters('target')"),
                array(vec![string("blob")]),
            ),
        ]);
        let st = unknown_target.resources_of(STORAGE_ACCOUNT).next().unwrap();
        assert!(matches!(
            unknown_target.find_private_endpoint(st, "blob"),
            EndpointSearch::Unknown(_)
        ));
        assert!(matches!(
            unknown_target.find_private_endpoint(st, "file"),
            EndpointSearch::Missing
        ));

        // An endpoint with an unknown target in another root cannot be this one's.
        let elsewhere = Model::new(vec![
            storage(1, "st"),
            endpoint(
                2,
                unknown("parameters('target')"),
                array(vec![string("blob")]),
            ),
        ]);
        let st = elsewhere.resources_of(STORAGE_ACCOUNT).next().unwrap();
        assert!(matches!(
            elsewhere.find_private_endpoint(st, "blob"),
            EndpointSearch::Missing
        ));
    }

    #[test]
    fn outbound_rules_count_only_with_a_managed_network() {
        let rule = object(vec![(
            "pe-st",
            object(vec![
                ("type", string("PrivateEndpoint")),
                (
                    "destination",
                    object(vec![
                        ("serviceResourceId", id(STORAGE_ACCOUNT, &["st"])),
                        ("subresourceTarget", string("blob")),
                    ]),
                ),
            ]),
        )]);
        for (mode, expected) in [
            (Some("AllowOnlyApprovedOutbound"), true),
            (None, false),
            (Some("Disabled"), false),
        ] {
            let mut properties = vec![("outboundRules", rule.clone())];
            if let Some(mode) = mode {
                properties.push(("isolationMode", string(mode)));
            }
            let ws = resource(
                1,
                ML_WORKSPACE,
                &["ws"],
                object(vec![("managedNetwork", object(properties))]),
            );
            let model = Model::new(vec![storage(1, "st"), ws]);
            let st = model.resources_of(STORAGE_ACCOUNT).next().unwrap();
            let found = matches!(model.find_private_endpoint(st, "blob"), EndpointSearch::Found(e) if e.kind == EndpointKind::OutboundRule);
            assert_eq!(found, expected, "isolation mode {mode:?}");
        }
    }

    #[test]
    fn redeclarations_merge_and_orphan_updates_are_dropped() {
        let mut first = storage(1, "st");
        first.body = object(vec![(
            "properties",
            object(vec![
                ("publicNetworkAccess", string("Enabled")),
                ("minimumTlsVersion", string("TLS1_2")),
            ]),
        )]);
        let mut update = storage(1, "ST");
        update.update = true;
        update.body = object(vec![(
            "properties",
            object(vec![("publicNetworkAccess", string("Disabled"))]),
        )]);
        update.origin.decls = vec![Span::new(FileId(0), 2000, 3000)];
        let mut orphan = storage(1, "elsewhere");
        orphan.update = true;
        let model = Model::new(vec![first, update, orphan]);
        let all: Vec<&Resource> = model.resources_of(STORAGE_ACCOUNT).collect();
        assert_eq!(all.len(), 1);
        assert!(all[0].get("properties.publicNetworkAccess").is("Disabled"));
        assert!(all[0].get("properties.minimumTlsVersion").is("TLS1_2"));
        assert_eq!(all[0].origin.decls.len(), 2);
    }

    #[test]
    fn computes_belong_to_their_workspace() {
        let ws = workspace(1, unknown("parameters('st')"), None);
        let compute = resource(1, ML_COMPUTE, &["ws", "cpu"], object(vec![]));
        let stray = resource(1, ML_COMPUTE, &["other", "cpu"], object(vec![]));
        let model = Model::new(vec![ws, compute, stray]);
        let ws = model.resources_of(ML_WORKSPACE).next().unwrap();
        assert_eq!(model.computes_of(ws).count(), 1);
        let computes: Vec<&Resource> = model.resources_of(ML_COMPUTE).collect();
        assert!(model.workspace_of(computes[0]).is_some());
        assert!(model.workspace_of(computes[1]).is_none());
    }

    fn managed_workspace(rules: Node) -> Resource {
        resource(
            1,
            ML_WORKSPACE,
            &["ws"],
            object(vec![(
                "managedNetwork",
                object(vec![
                    ("isolationMode", string("AllowInternetOutbound")),
                    ("outboundRules", rules),
                ]),
            )]),
        )
    }

    #[test]
    fn outbound_rules_inline_and_as_resources() {
        let inline = object(vec![
            (
                "pypi",
                object(vec![
                    ("type", string("fqdn")),
                    ("destination", string("pypi.org")),
                ]),
            ),
            ("broken", string("not an object")),
            // Repeated key: the last one wins.
            (
                "later",
                object(vec![
                    ("type", string("FQDN")),
                    ("destination", string("x.org")),
                ]),
            ),
            ("later", unknown("parameters('rule')")),
        ]);
        let child = resource(
            1,
            ML_OUTBOUND_RULE,
            &["ws", "tag"],
            object(vec![
                ("type", string("ServiceTag")),
                (
                    "destination",
                    object(vec![("serviceTag", string("AppService"))]),
                ),
            ]),
        );
        let model = Model::new(vec![managed_workspace(inline), child]);
        let ws = model.resources_of(ML_WORKSPACE).next().unwrap();
        let rules = model.outbound_rules(ws);
        assert!(rules.unknown.is_none());
        let summary: Vec<(&str, OutboundRuleType, bool)> = rules
            .rules
            .iter()
            .map(|r| (&*r.name, r.ty.clone(), r.inline))
            .collect();
        assert_eq!(summary.len(), 3, "{summary:?}");
        assert_eq!(summary[0].0, "pypi");
        assert_eq!(summary[0].1, OutboundRuleType::Fqdn);
        assert!(rules.rules[0].destination.is("pypi.org"));
        assert_eq!(
            rules.rules[0].property,
            "properties.managedNetwork.outboundRules.pypi"
        );
        assert_eq!(summary[1].0, "later");
        assert!(matches!(summary[1].1, OutboundRuleType::Unknown(_)));
        assert_eq!(summary[2], ("tag", OutboundRuleType::ServiceTag, false));
        assert!(rules.rules[2].declared_by.is(ML_OUTBOUND_RULE));
    }

    #[test]
    fn outbound_rules_that_are_not_an_object_or_unknown() {
        let model = Model::new(vec![managed_workspace(array(vec![string("pypi.org")]))]);
        let ws = model.resources_of(ML_WORKSPACE).next().unwrap();
        let rules = model.outbound_rules(ws);
        assert!(rules.rules.is_empty() && rules.unknown.is_none());

        let model = Model::new(vec![managed_workspace(unknown("parameters('rules')"))]);
        let ws = model.resources_of(ML_WORKSPACE).next().unwrap();
        let rules = model.outbound_rules(ws);
        assert!(rules.rules.is_empty());
        assert_eq!(&*rules.unknown.unwrap().0.expr, "parameters('rules')");
    }

    fn zone_group(endpoint: &str, zone_ids: Vec<Node>) -> Resource {
        let configs = zone_ids
            .into_iter()
            .map(|id| object(vec![("properties", object(vec![("privateDnsZoneId", id)]))]))
            .collect();
        resource(
            1,
            PRIVATE_DNS_ZONE_GROUP,
            &[endpoint, "default"],
            object(vec![("privateDnsZoneConfigs", array(configs))]),
        )
    }

    fn zones_of(model: &Model) -> DnsZones {
        let pe = model.resources_of(PRIVATE_ENDPOINT).next().unwrap();
        let (connection, _) = model.connections_of(pe).next().unwrap();
        model.dns_zones(connection)
    }

    #[test]
    fn dns_zone_names_from_ids_literals_and_declared_zones() {
        let model = Model::new(vec![
            workspace(1, unknown("parameters('st')"), None),
            endpoint(
                1,
                id(ML_WORKSPACE, &["ws"]),
                array(vec![string("amlworkspace")]),
            ),
            resource(
                1,
                PRIVATE_DNS_ZONE,
                &["privatelink.notebooks.azure.net"],
                object(vec![]),
            ),
            zone_group(
                "pe",
                vec![
                    id(PRIVATE_DNS_ZONE, &["privatelink.api.azureml.ms"]),
                    string(
                        "/subscriptions/s/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net",
                    ),
                    id(PRIVATE_DNS_ZONE, &["privatelink.notebooks.azure.net"]),
                    id(STORAGE_ACCOUNT, &["st"]),
                ],
            ),
        ]);
        let pe = model.resources_of(PRIVATE_ENDPOINT).next().unwrap();
        let (_, target) = model.connections_of(pe).next().unwrap();
        assert!(target.is_some_and(|t| t.is(ML_WORKSPACE)));
        let zones = zones_of(&model);
        assert!(zones.unknown.is_none());
        assert!(zones.contains("PRIVATELINK.API.AZUREML.MS"));
        assert!(zones.contains("privatelink.blob.core.windows.net"));
        assert!(zones.contains("privatelink.notebooks.azure.net"));
        assert_eq!(zones.known.len(), 3);
    }

    #[test]
    fn dns_zones_with_a_symbolic_name_resolve_through_the_declared_zone() {
        let zone_id = || id(PRIVATE_DNS_ZONE, &["$parameters('zone')"]);
        let undeclared = Model::new(vec![
            endpoint(
                1,
                id(ML_WORKSPACE, &["ws"]),
                array(vec![string("amlworkspace")]),
            ),
            zone_group("pe", vec![zone_id()]),
        ]);
        let zones = zones_of(&undeclared);
        assert!(zones.known.is_empty());
        assert_eq!(&*zones.unknown.unwrap().0.expr, "parameters('zone')");

        // Declared with the same symbolic name: still not known.
        let declared = Model::new(vec![
            endpoint(
                1,
                id(ML_WORKSPACE, &["ws"]),
                array(vec![string("amlworkspace")]),
            ),
            resource(
                1,
                PRIVATE_DNS_ZONE,
                &["$parameters('zone')"],
                object(vec![]),
            ),
            zone_group("pe", vec![zone_id()]),
        ]);
        assert!(zones_of(&declared).unknown.is_some());
    }

    #[test]
    fn dns_zone_ids_that_are_expressions_are_unknown_zones() {
        let model = Model::new(vec![
            endpoint(
                1,
                id(ML_WORKSPACE, &["ws"]),
                array(vec![string("amlworkspace")]),
            ),
            zone_group(
                "pe",
                vec![
                    unknown("parameters('apiZoneId')"),
                    id(PRIVATE_DNS_ZONE, &["privatelink.notebooks.azure.net"]),
                ],
            ),
        ]);
        let zones = zones_of(&model);
        assert!(zones.contains("privatelink.notebooks.azure.net"));
        assert_eq!(&*zones.unknown.unwrap().0.expr, "parameters('apiZoneId')");

        let whole_list = resource(
            1,
            PRIVATE_DNS_ZONE_GROUP,
            &["pe", "default"],
            object(vec![(
                "privateDnsZoneConfigs",
                unknown("parameters('configs')"),
            )]),
        );
        let model = Model::new(vec![
            endpoint(
                1,
                id(ML_WORKSPACE, &["ws"]),
                array(vec![string("amlworkspace")]),
            ),
            whole_list,
        ]);
        assert!(zones_of(&model).unknown.is_some());
    }

    #[test]
    fn a_compute_without_compute_type_is_still_a_compute_of_its_workspace() {
        let ws = workspace(1, unknown("parameters('st')"), None);
        let compute = resource(
            1,
            ML_COMPUTE,
            &["ws", "cpu"],
            object(vec![(
                "properties",
                object(vec![("vmSize", string("STANDARD_DS3_V2"))]),
            )]),
        );
        let model = Model::new(vec![ws, compute]);
        let ws = model.resources_of(ML_WORKSPACE).next().unwrap();
        let computes: Vec<&Resource> = model.computes_of(ws).collect();
        assert_eq!(computes.len(), 1);
        assert!(computes[0].get("properties.computeType").is_absent());
        assert!(model.outbound_rules(ws).rules.is_empty());
    }
}
