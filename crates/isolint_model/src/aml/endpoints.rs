//! Private connections: the connections of `Microsoft.Network/privateEndpoints` resources
//! and the `PrivateEndpoint` outbound rules of managed networks, each resolved to the
//! resource it reaches, with its group IDs and DNS zone groups.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::aml::lookup_in;
use crate::aml::outbound::managed_network_enabled;
use crate::graph::{Graph, ResourceIdx, ResourceRef, Target};
use crate::model::Model;
use crate::paths;
use crate::resource::{Resource, RootId};
use crate::source::Span;
use crate::types::{ML_OUTBOUND_RULE, ML_WORKSPACE, PRIVATE_DNS_ZONE_GROUP, PRIVATE_ENDPOINT};
use crate::value::{Node, NodeKind, Prop, Unknown, Value};

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
    pub declared_by: ResourceIdx,
    /// Where the connection (or rule) is written.
    pub span: Span,
    /// The group IDs (sub-resources) it connects to.
    pub groups: Groups,
    /// Whether it needs manual approval (`manualPrivateLinkServiceConnections`).
    pub manual: bool,
    /// The DNS zone groups of the private endpoint.
    pub dns_zone_groups: Vec<ResourceIdx>,
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

/// The private connections of the scan, by the resource they reach and by the private
/// endpoint that declares them.
#[derive(Debug, Default)]
pub(crate) struct Endpoints {
    /// The connections that reach each resource, by index.
    to: Vec<Vec<PrivateEndpoint>>,
    /// The connections each `privateEndpoints` resource declares, by index, with the
    /// resource each one targets when it is declared in the scan.
    declared_by: Vec<Vec<(Option<ResourceIdx>, PrivateEndpoint)>>,
    /// The connections whose target cannot be settled, by root: any of them may reach any
    /// resource of its root.
    unresolved: FxHashMap<RootId, Unresolved>,
}

/// The connections of one root whose target cannot be settled, indexed by group, so that
/// asking about one resource does not visit them all.
#[derive(Debug, Default)]
struct Unresolved {
    /// In declaration order.
    all: Vec<PrivateEndpoint>,
    /// The first connection for each known group, by lower-cased group.
    by_group: FxHashMap<Box<str>, usize>,
    /// The first connection whose groups are (partly) unknown.
    unknown_groups: Option<usize>,
}

impl Unresolved {
    fn push(&mut self, endpoint: PrivateEndpoint) {
        let position = self.all.len();
        for group in &endpoint.groups.known {
            self.by_group
                .entry(group.to_ascii_lowercase().into())
                .or_insert(position);
        }
        if endpoint.groups.unknown.is_some() {
            self.unknown_groups.get_or_insert(position);
        }
        self.all.push(endpoint);
    }

    /// The first connection that may be one for `group`: it names the group, or its groups
    /// are unknown.
    fn first_for(&self, group: &str) -> Option<&PrivateEndpoint> {
        let named = self
            .by_group
            .get(group.to_ascii_lowercase().as_str())
            .copied();
        let first = match (named, self.unknown_groups) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b)?,
        };
        self.all.get(first)
    }
}

impl Endpoints {
    /// Finds every private connection of the scan and resolves its target.
    pub(crate) fn collect(graph: &Graph) -> Self {
        let mut found: Vec<(Target<'_>, PrivateEndpoint)> = Vec::new();
        for resource in graph.iter() {
            if resource.is(PRIVATE_ENDPOINT) {
                endpoint_connections(graph, resource, &mut found);
            } else if resource.is(ML_WORKSPACE) && managed_network_enabled(&resource) {
                let rules = resource.resource().get(paths::OUTBOUND_RULES);
                if let Some(object) = rules.known().and_then(Node::as_object) {
                    for entry in &object.entries {
                        found.extend(outbound_rule(
                            graph,
                            resource,
                            Some(&entry.value),
                            entry.key_span,
                        ));
                    }
                }
            } else if resource.is(ML_OUTBOUND_RULE) {
                let enabled = graph
                    .parent_of(resource)
                    .is_none_or(|workspace| managed_network_enabled(&workspace));
                if enabled {
                    let body = resource.resource().get(paths::PROPERTIES);
                    found.extend(outbound_rule(
                        graph,
                        resource,
                        body.known(),
                        resource.header(),
                    ));
                }
            }
        }
        let count = graph.resources().len();
        let mut endpoints = Endpoints {
            to: vec![Vec::new(); count],
            declared_by: vec![Vec::new(); count],
            unresolved: FxHashMap::default(),
        };
        for (target, endpoint) in found {
            if endpoint.kind == EndpointKind::PrivateEndpoint {
                let target_idx = match &target {
                    Target::Declared(r) => Some(r.idx()),
                    _ => None,
                };
                endpoints.declared_by[endpoint.declared_by.index()]
                    .push((target_idx, endpoint.clone()));
            }
            match target {
                Target::Declared(r) => endpoints.to[r.idx().index()].push(endpoint),
                Target::Unknown(unknown) => {
                    if let Some(declared_by) = graph.get(endpoint.declared_by) {
                        endpoints
                            .unresolved
                            .entry(declared_by.origin.root)
                            .or_default()
                            .push(PrivateEndpoint {
                                unresolved_target: Some(unknown),
                                ..endpoint
                            });
                    }
                }
                Target::External(_) | Target::Existing(_) | Target::Absent => {}
            }
        }
        endpoints
    }
}

/// The connections (automatic and manual) a `privateEndpoints` resource declares.
fn endpoint_connections<'g>(
    graph: &'g Graph,
    resource: ResourceRef<'g>,
    found: &mut Vec<(Target<'g>, PrivateEndpoint)>,
) {
    let zone_groups: Vec<ResourceIdx> = graph
        .children_of(resource)
        .filter(|c| c.is(PRIVATE_DNS_ZONE_GROUP))
        .map(ResourceRef::idx)
        .collect();
    for (list, manual) in [
        (paths::PRIVATE_LINK_SERVICE_CONNECTIONS, false),
        (paths::MANUAL_PRIVATE_LINK_SERVICE_CONNECTIONS, true),
    ] {
        for connection in connections(&resource, &resource.resource().get(list)) {
            let (target, groups, span) = match connection {
                Connection::Known(node, span) => {
                    let target = lookup_in(&resource, node, paths::CONNECTION_TARGET);
                    let groups = lookup_in(&resource, node, paths::CONNECTION_GROUP_IDS);
                    (
                        graph.resolve(&resource, &target.value),
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
                declared_by: resource.idx(),
                span,
                groups,
                manual,
                dns_zone_groups: zone_groups.clone(),
                unresolved_target: None,
            };
            found.push((target, endpoint));
        }
    }
}

/// A `PrivateEndpoint` outbound rule (`{ type, destination: { serviceResourceId,
/// subresourceTarget } }`) declared by `resource`, with its target.
fn outbound_rule<'g>(
    graph: &'g Graph,
    resource: ResourceRef<'g>,
    rule: Option<&Node>,
    span: Span,
) -> Option<(Target<'g>, PrivateEndpoint)> {
    let rule = rule?;
    let kind = lookup_in(&resource, rule, paths::INLINE_RULE_TYPE);
    if !kind.is("PrivateEndpoint") {
        return None;
    }
    let target = lookup_in(&resource, rule, paths::RULE_SERVICE_RESOURCE_ID);
    let group = lookup_in(&resource, rule, paths::RULE_SUBRESOURCE_TARGET);
    let endpoint = PrivateEndpoint {
        kind: EndpointKind::OutboundRule,
        declared_by: resource.idx(),
        span: kind.span.map_or(span, |s| span.to(s)),
        groups: groups_of(&group),
        manual: false,
        dns_zone_groups: Vec::new(),
        unresolved_target: None,
    };
    Some((graph.resolve(&resource, &target.value), endpoint))
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

impl Model {
    /// Every private connection whose target resolves to this resource: private endpoints
    /// (automatic and manual) and managed-network outbound rules of type `PrivateEndpoint`
    /// of workspaces whose managed network is not disabled.
    pub fn private_endpoints_to(&self, resource: ResourceRef<'_>) -> &[PrivateEndpoint] {
        self.facts
            .endpoints
            .to
            .get(resource.idx().index())
            .map_or(&[], Vec::as_slice)
    }

    /// Whether a private connection for `group` reaches `resource`. Unknown when one reaches
    /// it with unknown groups, or when an endpoint in the same root has an unknown target
    /// and could be it.
    pub fn find_private_endpoint(
        &self,
        resource: ResourceRef<'_>,
        group: &str,
    ) -> EndpointSearch<'_> {
        let direct = self.private_endpoints_to(resource);
        if let Some(found) = direct.iter().find(|e| e.groups.contains(group)) {
            return EndpointSearch::Found(found);
        }
        if let Some(unknown) = direct.iter().find_map(|e| e.groups.unknown.clone()) {
            return EndpointSearch::Unknown(unknown);
        }
        let maybe = self
            .facts
            .endpoints
            .unresolved
            .get(&resource.origin.root)
            .and_then(|unresolved| unresolved.first_for(group));
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
        endpoint: ResourceRef<'_>,
    ) -> impl Iterator<Item = (&'m PrivateEndpoint, Option<ResourceRef<'m>>)> + 'm {
        self.facts
            .endpoints
            .declared_by
            .get(endpoint.idx().index())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|(target, e)| (e, target.and_then(|t| self.graph().get(t))))
    }
}
