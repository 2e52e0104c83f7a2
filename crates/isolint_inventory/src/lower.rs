//! One element of an export lowered into a model resource.
//!
//! A deployed resource is lowered as it was exported, in ARM shape, with three
//! differences from a template:
//! - a member missing from an exported object was *not reported* by the export (a
//!   projection, an exporter or an API version that leaves it out), which says nothing of
//!   its value: it is an [`Unknown`], never the service default that rules assume for a
//!   property a template does not set. A member reported as `null` is unset, and the
//!   default applies. Maps whose keys are data (`tags`, outbound rules, user-assigned
//!   identities) are reported whole: a key they lack is absent.
//! - `"properties": null` (or no `properties`) means the export did not fetch the
//!   resource's properties: they are all unknown, and the resource is not checked.
//! - a private endpoint connection whose state is reported and is not `Approved` (pending,
//!   rejected, disconnected) connects nothing, and is left out.

use std::sync::Arc;

use isolint_json::{Json, JsonKind, Member};
use isolint_model::types::{
    APPLICATION_INSIGHTS, CONTAINER_REGISTRY, KEY_VAULT, ML_COMPUTE, ML_OUTBOUND_RULE,
    ML_WORKSPACE, PRIVATE_DNS_ZONE, PRIVATE_DNS_ZONE_GROUP, PRIVATE_ENDPOINT, STORAGE_ACCOUNT,
    same_type,
};
use isolint_model::{
    Condition, Diagnostic, Entry, NamePart, Node, NodeKind, Object, Origin, Resource, ResourceId,
    RootId, SourceFile, Syntax, Unknown, UnknownReason,
};

use crate::connections::{ApprovedConnection, approved_connections};

/// The resource types the model and the rules know: the only ones lowered. A resource of
/// any other type (a virtual machine, the subscription and resource-group entries of a
/// PSRule export) is skipped quietly: nothing would ever look at it.
pub(crate) const CHECKED_TYPES: [&str; 10] = [
    ML_WORKSPACE,
    ML_COMPUTE,
    ML_OUTBOUND_RULE,
    STORAGE_ACCOUNT,
    KEY_VAULT,
    CONTAINER_REGISTRY,
    APPLICATION_INSIGHTS,
    PRIVATE_ENDPOINT,
    PRIVATE_DNS_ZONE_GROUP,
    PRIVATE_DNS_ZONE,
];

/// The canonical spelling of `ty` (Resource Graph lower-cases types) if it is checked.
pub(crate) fn checked_type(ty: &str) -> Option<&'static str> {
    CHECKED_TYPES.into_iter().find(|known| same_type(known, ty))
}

/// The members of an exported resource that are not part of its body: its identity
/// (`id`, `name`, `type`), its sub-resources, and the columns exports add beside what a
/// template declares (the scope, which the ID holds already, and bookkeeping). The body
/// keeps the rest, as a template would declare it: `location`, `kind`, `sku`, `tags`,
/// `identity`, `properties`, and whatever else the resource has.
const NOT_BODY: [&str; 12] = [
    "id",
    "name",
    "type",
    "resources",
    "tenantId",
    "subscriptionId",
    "resourceGroup",
    "resourceGroupName",
    "systemData",
    "etag",
    "changedTime",
    "createdTime",
];

/// The objects whose keys are data, reported whole: a key they lack is absent.
const MAPS: [&str; 3] = [
    "tags",
    "properties.managedNetwork.outboundRules",
    "identity.userAssignedIdentities",
];

/// The lists of a private endpoint's connections.
const CONNECTION_LISTS: [&str; 2] = [
    "properties.privateLinkServiceConnections",
    "properties.manualPrivateLinkServiceConnections",
];

/// One deployed resource, lowered, waiting for the estate to place it.
#[derive(Debug)]
pub(crate) struct Exported {
    /// Its resource ID, lower-cased: how duplicates and links are found.
    pub(crate) key: Box<str>,
    /// The resource; its root is the estate's to assign.
    pub(crate) resource: Resource,
    /// The approved private endpoint connections it reports.
    pub(crate) connections: Vec<ApprovedConnection>,
}

/// What an element of an export turned out to be.
#[derive(Debug)]
pub(crate) enum Element {
    /// A resource of a checked type.
    Lowered(Box<Exported>),
    /// A resource of a type nothing checks, skipped quietly, or one that could not be
    /// lowered (a diagnostic says why).
    Skipped,
    /// Not a resource at all (no `type`, not an object).
    NotAResource,
}

/// The lower-cased form of a resource ID, without a trailing `/`.
pub(crate) fn id_key(id: &str) -> Box<str> {
    id.trim_end_matches('/').to_ascii_lowercase().into()
}

/// An unknown standing for what the export of `name` does not report at `path`.
pub(crate) fn not_reported(name: &str, path: &str, why: &UnknownReason) -> Arc<Unknown> {
    let expr = if path.is_empty() {
        name.to_owned()
    } else {
        format!("{name}.{path}")
    };
    Arc::new(Unknown::new(expr, why.clone()))
}

/// Why a member missing from an export is unknown.
pub(crate) fn unreported() -> UnknownReason {
    UnknownReason::Invalid {
        message: "the export does not report it".into(),
    }
}

/// Lowers one element of an export. Problems with it are pushed to `diagnostics`.
pub(crate) fn lower(
    file: &SourceFile,
    element: &Json,
    diagnostics: &mut Vec<Diagnostic>,
) -> Element {
    let Some(members) = element.members() else {
        return Element::NotAResource;
    };
    let Some(written_type) = element.get("type").and_then(Json::as_str) else {
        return Element::NotAResource;
    };
    let Some(ty) = checked_type(written_type) else {
        return Element::Skipped;
    };
    let Some((id_member, id)) = resource_id(element, ty, file, diagnostics) else {
        return Element::Skipped;
    };
    let id_text = id_member.value.as_str().unwrap_or_default();
    let names: Vec<&str> = id.names.iter().filter_map(NamePart::known).collect();
    let full_name = names.join("/");
    let short_name = names.last().copied().unwrap_or_default();
    let header = id_member.key_span.to(id_member.value.span);

    let lowering = Lowering {
        name: short_name,
        endpoint: same_type(ty, PRIVATE_ENDPOINT),
        unreported: unreported(),
    };
    let properties = element.member("properties");
    let carried = properties.is_some_and(|p| !matches!(p.value.kind, JsonKind::Null));
    if !carried {
        let at = properties.map_or(header, |p| p.key_span.to(p.value.span));
        diagnostics.push(
            Diagnostic::warning(
                "export-properties-missing",
                format!(
                    "the export carries no properties for {} `{short_name}`: it is not checked",
                    noun(ty)
                ),
                &file.path,
            )
            .at(at)
            .with_help(format!(
                "export it with its properties: `az resource show --ids {id_text}`"
            )),
        );
    }
    let mut path = String::new();
    let entries = members
        .iter()
        .filter(|m| !NOT_BODY.iter().any(|k| m.key.eq_ignore_ascii_case(k)))
        .map(|m| {
            let value = if m.key.eq_ignore_ascii_case("properties") && !carried {
                let why = UnknownReason::Invalid {
                    message: "the export carries no properties for this resource".into(),
                };
                Node::unknown(
                    Unknown::new(format!("{short_name}.properties"), why),
                    m.value.span,
                )
            } else {
                path.push_str(&m.key);
                let value = lowering.node(&m.value, &mut path);
                path.clear();
                value
            };
            Entry {
                key: Arc::clone(&m.key),
                key_span: m.key_span,
                value,
            }
        })
        .collect();
    let body = Node::object(
        Object {
            entries,
            rest: Some(not_reported(short_name, "", &lowering.unreported)),
        },
        element.span,
    );
    let name_span = element.get("name").map_or(id_member.value.span, |n| n.span);
    let connections = approved_connections(element, ty, id_text);
    let resource = Resource {
        ty: ty.into(),
        api_version: element
            .get("apiVersion")
            .and_then(Json::as_str)
            .map(Arc::from),
        name: Node::string(full_name.as_str(), name_span),
        id,
        body,
        condition: Condition::Always,
        looped: false,
        existing: false,
        update: false,
        origin: Origin {
            file: file.id,
            decls: vec![element.span],
            header,
            name_text: full_name.into(),
            module_path: Arc::from(Vec::new()),
            calls: Arc::from(Vec::new()),
            root: RootId(0),
            syntax: Syntax::Arm,
            address: Some(id_text.into()),
            symbol: None,
            vocabulary: None,
        },
    };
    Element::Lowered(Box::new(Exported {
        key: id_key(id_text),
        resource,
        connections,
    }))
}

/// The `id` member and the resource ID it holds, which must name a resource of `ty`;
/// `None`, with a diagnostic, when it does not.
fn resource_id<'j>(
    element: &'j Json,
    ty: &'static str,
    file: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(&'j Member, ResourceId)> {
    let member = element.member("id");
    let text = member.and_then(|m| m.value.as_str());
    let parsed = text
        .and_then(ResourceId::parse)
        .filter(|id| id.is_known() && id.subscription.is_some());
    match (member, parsed) {
        (Some(member), Some(mut id)) if same_type(&id.ty, ty) => {
            id.ty = ty.into();
            Some((member, id))
        }
        (member, parsed) => {
            let message = match (text, parsed) {
                (Some(text), Some(id)) => format!(
                    "the `id` of this {} names a resource of type `{}`: `{text}`; it is not read",
                    noun(ty),
                    id.ty
                ),
                (Some(text), None) => format!(
                    "the `id` of this {} is not the resource ID of one: `{text}`; it is not read",
                    noun(ty)
                ),
                (None, _) => format!(
                    "this {} has no resource ID (`id`), which isolint needs to link it; it is not read",
                    noun(ty)
                ),
            };
            let at = member.map_or(element.span, |m| m.key_span.to(m.value.span));
            diagnostics.push(Diagnostic::warning("export-bad-id", message, &file.path).at(at));
            None
        }
    }
}

/// A short noun for a resource type, for messages.
pub(crate) fn noun(ty: &str) -> &'static str {
    const NOUNS: [(&str, &str); 10] = [
        (ML_WORKSPACE, "workspace"),
        (ML_COMPUTE, "compute"),
        (ML_OUTBOUND_RULE, "outbound rule"),
        (STORAGE_ACCOUNT, "storage account"),
        (KEY_VAULT, "key vault"),
        (CONTAINER_REGISTRY, "container registry"),
        (APPLICATION_INSIGHTS, "Application Insights component"),
        (PRIVATE_ENDPOINT, "private endpoint"),
        (PRIVATE_DNS_ZONE_GROUP, "private DNS zone group"),
        (PRIVATE_DNS_ZONE, "private DNS zone"),
    ];
    NOUNS
        .into_iter()
        .find(|(known, _)| same_type(known, ty))
        .map_or("resource", |(_, noun)| noun)
}

/// Turns exported JSON into model nodes for one resource.
struct Lowering<'a> {
    /// The resource's name, for the expressions of unknowns.
    name: &'a str,
    /// Whether the resource is a private endpoint (its connections are filtered).
    endpoint: bool,
    /// Why a missing member is unknown, shared by every object of the resource.
    unreported: UnknownReason,
}

impl Lowering<'_> {
    /// The node for `json`, found at `path` (dotted, from the body) in the resource. The
    /// path is a buffer that is restored before returning.
    fn node(&self, json: &Json, path: &mut String) -> Node {
        let kind = match &json.kind {
            JsonKind::Null => NodeKind::Null,
            JsonKind::Bool(b) => NodeKind::Bool(*b),
            JsonKind::Number(n) => match n.parse::<i64>() {
                Ok(i) => NodeKind::Int(i),
                Err(_) => NodeKind::Float(n.parse().unwrap_or(f64::NAN)),
            },
            JsonKind::String(s) => NodeKind::String(Arc::clone(&s.text)),
            JsonKind::Array(items) => {
                let connections = self.endpoint
                    && CONNECTION_LISTS
                        .iter()
                        .any(|list| list.eq_ignore_ascii_case(path));
                let base = path.len();
                let mut nodes = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    if connections && !established(item) {
                        continue;
                    }
                    path.push_str(&format!("[{index}]"));
                    nodes.push(self.node(item, path));
                    path.truncate(base);
                }
                NodeKind::Array(nodes.into())
            }
            JsonKind::Object(members) => {
                let map = MAPS.iter().any(|m| m.eq_ignore_ascii_case(path));
                let rest = (!map).then(|| not_reported(self.name, path, &self.unreported));
                let base = path.len();
                let entries = members
                    .iter()
                    .map(|m| {
                        path.push('.');
                        path.push_str(&m.key);
                        let value = self.node(&m.value, path);
                        path.truncate(base);
                        Entry {
                            key: Arc::clone(&m.key),
                            key_span: m.key_span,
                            value,
                        }
                    })
                    .collect();
                NodeKind::Object(Arc::new(Object { entries, rest }))
            }
        };
        Node::new(kind, json.span)
    }
}

/// Whether a private endpoint's connection connects: its state is `Approved`, or not
/// reported.
fn established(connection: &Json) -> bool {
    connection_status(connection).is_none_or(|status| status.eq_ignore_ascii_case("Approved"))
}

/// The reported state of a private endpoint connection
/// (`properties.privateLinkServiceConnectionState.status`).
pub(crate) fn connection_status(connection: &Json) -> Option<&str> {
    connection
        .get("properties")?
        .get("privateLinkServiceConnectionState")?
        .get("status")?
        .as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_a_rule_targets_is_lowered() {
        for rule in isolint_rules::RULES {
            // A coverage gap is no Azure resource: no export holds one.
            let azure = rule.targets.iter().filter(|t| {
                !isolint_model::types::same_type(t, isolint_model::types::UNREAD_MODULE)
            });
            for target in azure {
                assert!(
                    checked_type(target).is_some(),
                    "{} targets {target}, which exports do not lower",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn checked_types_take_their_canonical_spelling() {
        assert_eq!(
            checked_type("microsoft.machinelearningservices/workspaces/computes"),
            Some(ML_COMPUTE)
        );
        assert_eq!(checked_type("Microsoft.Compute/virtualMachines"), None);
    }
}
