//! Private endpoints that an export shows only from the side of the resource they reach,
//! and the DNS zone groups that exports never show.
//!
//! A resource's `properties.privateEndpointConnections` lists the private endpoints
//! connected to it. The endpoint itself often lies in a subscription the export does not
//! cover (a hub network), and then an `Approved` connection is the only evidence of it: it
//! is lowered into the private endpoint it stands for, connected to the resource, unless
//! that endpoint is exported too (its own connection list says more: the group IDs).
//!
//! Neither Resource Graph nor PSRule lists a private endpoint's DNS zone groups (child
//! resources). An endpoint without one in the estate gets a zone group whose zones are
//! unknown, so that the DNS rule stays silent (and `--strict` says why) instead of
//! reporting zones it cannot see.

use std::sync::Arc;

use isolint_json::Json;
use isolint_model::types::{
    CONTAINER_REGISTRY, KEY_VAULT, ML_WORKSPACE, PRIVATE_DNS_ZONE_GROUP, PRIVATE_ENDPOINT,
    same_type,
};
use isolint_model::{
    Condition, Entry, NamePart, Node, NodeKind, Object, Origin, Resource, ResourceId, Span,
    Unknown, UnknownReason,
};
use rustc_hash::FxHashMap;

use crate::lower::{connection_status, id_key, not_reported, unreported};

/// An approved private endpoint connection, as the resource it reaches reports it.
#[derive(Clone, Debug)]
pub(crate) struct ApprovedConnection {
    /// The private endpoint's resource ID.
    endpoint: ResourceId,
    /// The same, as the export writes it.
    endpoint_address: Arc<str>,
    /// The same, lower-cased.
    pub(crate) endpoint_key: Box<str>,
    /// Where the endpoint's ID is written.
    at: Span,
    /// Where the connection is written.
    span: Span,
    /// The resource ID of the resource it reaches, as the export writes it.
    target: Arc<str>,
    /// Its group IDs, when known.
    groups: Option<Vec<Arc<str>>>,
}

/// The one group ID that a private endpoint to a resource of each of these types has, so
/// that a connection reported without group IDs still says which.
const ONLY_GROUP: [(&str, &str); 3] = [
    (ML_WORKSPACE, "amlworkspace"),
    (KEY_VAULT, "vault"),
    (CONTAINER_REGISTRY, "registry"),
];

/// The approved private endpoint connections that `element`, a resource of type `ty` and
/// ID `target`, reports.
pub(crate) fn approved_connections(
    element: &Json,
    ty: &str,
    target: &str,
) -> Vec<ApprovedConnection> {
    let Some(list) = element
        .get("properties")
        .and_then(|p| p.get("privateEndpointConnections"))
        .and_then(Json::as_array)
    else {
        return Vec::new();
    };
    let only_group = ONLY_GROUP
        .into_iter()
        .find(|(known, _)| same_type(known, ty))
        .map(|(_, group)| vec![Arc::<str>::from(group)]);
    list.iter()
        .filter(|c| connection_status(c).is_some_and(|s| s.eq_ignore_ascii_case("Approved")))
        .filter_map(|connection| {
            let properties = connection.get("properties")?;
            let id = properties.get("privateEndpoint")?.get("id")?;
            let text = id.as_str()?;
            let mut endpoint = ResourceId::parse(text)
                .filter(|e| same_type(&e.ty, PRIVATE_ENDPOINT) && e.is_known())?;
            endpoint.ty = PRIVATE_ENDPOINT.into();
            let reported_groups = properties
                .get("groupIds")
                .and_then(Json::as_array)
                .map(|g| {
                    g.iter()
                        .filter_map(Json::as_str)
                        .map(Arc::from)
                        .collect::<Vec<_>>()
                });
            Some(ApprovedConnection {
                endpoint,
                endpoint_address: text.into(),
                endpoint_key: id_key(text),
                at: id.span,
                span: connection.span,
                target: target.into(),
                groups: only_group.clone().or(reported_groups),
            })
        })
        .collect()
}

/// The private endpoints that `connections` stand for, except those `exported` says are
/// in the estate already: one per endpoint, with every connection it has, in order.
pub(crate) fn unexported_endpoints<'c>(
    connections: impl IntoIterator<Item = &'c ApprovedConnection>,
    exported: impl Fn(&str) -> bool,
) -> Vec<Resource> {
    let mut order: Vec<&str> = Vec::new();
    let mut grouped: FxHashMap<&str, Vec<&ApprovedConnection>> = FxHashMap::default();
    for connection in connections {
        let key = &*connection.endpoint_key;
        if exported(key) {
            continue;
        }
        let list = grouped.entry(key).or_default();
        if list.is_empty() {
            order.push(key);
        }
        list.push(connection);
    }
    order
        .into_iter()
        .filter_map(|key| endpoint(grouped.get(key)?))
        .collect()
}

/// The private endpoint that approved `connections` (all to one endpoint) stand for.
fn endpoint(connections: &[&ApprovedConnection]) -> Option<Resource> {
    let first = connections.first()?;
    let name = last_name(&first.endpoint);
    let why = unreported();
    let object = |entries: Vec<(&str, Node)>, path: &str, span: Span| {
        let entries = entries
            .into_iter()
            .map(|(key, value)| Entry {
                key: key.into(),
                key_span: span,
                value,
            })
            .collect();
        let rest = Some(not_reported(&name, path, &why));
        Node::object(Object { entries, rest }, span)
    };
    let list: Vec<Node> = connections
        .iter()
        .map(|c| {
            let groups = match &c.groups {
                Some(groups) => Node::new(
                    NodeKind::Array(
                        groups
                            .iter()
                            .map(|g| Node::string(g.clone(), c.span))
                            .collect(),
                    ),
                    c.span,
                ),
                None => Node::unknown(
                    Unknown::new(
                        format!("{name}.groupIds"),
                        UnknownReason::Invalid {
                            message:
                                "the export shows the endpoint's connection, not its group IDs"
                                    .into(),
                        },
                    ),
                    c.span,
                ),
            };
            let properties = object(
                vec![
                    (
                        "privateLinkServiceId",
                        Node::string(c.target.clone(), c.span),
                    ),
                    ("groupIds", groups),
                ],
                "properties.privateLinkServiceConnections.properties",
                c.span,
            );
            object(
                vec![("properties", properties)],
                "properties.privateLinkServiceConnections",
                c.span,
            )
        })
        .collect();
    let properties = object(
        vec![(
            "privateLinkServiceConnections",
            Node::new(NodeKind::Array(list.into()), first.span),
        )],
        "properties",
        first.span,
    );
    let body = object(vec![("properties", properties)], "", first.span);
    Some(Resource {
        ty: PRIVATE_ENDPOINT.into(),
        api_version: None,
        name: Node::string(name.as_str(), first.at),
        id: first.endpoint.clone(),
        body,
        condition: Condition::Always,
        looped: false,
        existing: false,
        update: false,
        origin: Origin {
            file: first.span.file,
            decls: connections.iter().map(|c| c.span).collect(),
            header: first.at,
            name_text: name.as_str().into(),
            module_path: Arc::from(Vec::new()),
            calls: Arc::from(Vec::new()),
            root: isolint_model::RootId(0),
            syntax: isolint_model::Syntax::Arm,
            address: Some(Arc::clone(&first.endpoint_address)),
            symbol: None,
            vocabulary: None,
        },
    })
}

/// The name of the stand-in zone group: symbolic, since no zone group by that name exists.
const UNSEEN_ZONE_GROUPS: &str = "DNS zone groups not in the export";

/// A DNS zone group of `endpoint` whose zones are unknown, standing for the zone groups
/// the export does not list.
pub(crate) fn unseen_zone_groups(endpoint: &Resource) -> Resource {
    let name = last_name(&endpoint.id);
    let at = endpoint.header();
    let zones = Node::unknown(
        Unknown::new(
            format!("{name}.privateDnsZoneGroups"),
            UnknownReason::Invalid {
                message: "exports do not list a private endpoint's DNS zone groups".into(),
            },
        ),
        at,
    );
    let entry = |key: &str, value: Node| Entry {
        key: key.into(),
        key_span: at,
        value,
    };
    let properties = Node::object(
        Object {
            entries: vec![entry("privateDnsZoneConfigs", zones)],
            rest: None,
        },
        at,
    );
    let body = Node::object(
        Object {
            entries: vec![entry("properties", properties)],
            rest: None,
        },
        at,
    );
    let mut names = endpoint.id.names.clone();
    names.push(NamePart::Symbolic(UNSEEN_ZONE_GROUPS.into()));
    let id = ResourceId {
        ty: PRIVATE_DNS_ZONE_GROUP.into(),
        names,
        subscription: endpoint.id.subscription.clone(),
        resource_group: endpoint.id.resource_group.clone(),
    };
    Resource {
        ty: PRIVATE_DNS_ZONE_GROUP.into(),
        api_version: None,
        name: Node::string(format!("{name}/[{UNSEEN_ZONE_GROUPS}]"), at),
        id,
        body,
        condition: Condition::Always,
        looped: false,
        existing: false,
        update: false,
        origin: Origin {
            file: endpoint.origin.file,
            decls: vec![at],
            header: at,
            name_text: format!("[{UNSEEN_ZONE_GROUPS}]").into(),
            module_path: Arc::from(Vec::new()),
            calls: Arc::from(Vec::new()),
            root: endpoint.origin.root,
            syntax: endpoint.origin.syntax,
            address: None,
            symbol: None,
            vocabulary: None,
        },
    }
}

/// The last (known) name segment of an ID.
fn last_name(id: &ResourceId) -> String {
    id.last_name().map(ToString::to_string).unwrap_or_default()
}
