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
    ML_WORKSPACE, PRIVATE_DNS_ZONE_GROUP, PRIVATE_ENDPOINT, STORAGE_ACCOUNT,
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

/// Every resource of a scan and the relations between them.
#[derive(Debug, Default)]
pub struct Model {
    resources: Vec<Resource>,
    by_type: FxHashMap<String, Vec<usize>>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    endpoints: Vec<Vec<PrivateEndpoint>>,
    unresolved_endpoints: FxHashMap<RootId, Vec<PrivateEndpoint>>,
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
        for (target, endpoint) in found {
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
/// updates that target nothing in the scan.
fn merge_redeclarations(resources: Vec<Resource>) -> Vec<Resource> {
    let mut kept: Vec<Resource> = Vec::with_capacity(resources.len());
    let mut index: FxHashMap<IdentityKey, usize> = FxHashMap::default();
    for resource in resources {
        if resource.existing {
            kept.push(resource);
            continue;
        }
        let key = IdentityKey::of(&resource);
        match index.get(&key) {
            Some(&first) => {
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
                index.insert(key, kept.len());
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
}
