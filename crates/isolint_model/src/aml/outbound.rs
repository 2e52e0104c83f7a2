//! Managed-network outbound rules: the entries of a workspace's inline
//! `managedNetwork.outboundRules`, and its `workspaces/outboundRules` children; and
//! whether the workspace's managed network is on at all.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::aml::lookup_in;
use crate::graph::ResourceRef;
use crate::model::Model;
use crate::paths;
use crate::resource::Resource;
use crate::source::Span;
use crate::types::ML_OUTBOUND_RULE;
use crate::value::{Entry, NodeKind, Prop, Unknown, Value};

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
    pub declared_by: ResourceRef<'m>,
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

impl<'m> OutboundRule<'m> {
    /// A `workspaces/outboundRules` resource read as a rule; `None` for a resource of
    /// another type.
    pub fn from_resource(resource: ResourceRef<'m>) -> Option<Self> {
        if !resource.is(ML_OUTBOUND_RULE) {
            return None;
        }
        let declared = resource.resource();
        let type_prop = declared.get(paths::OUTBOUND_RULE_TYPE);
        Some(OutboundRule {
            name: resource.known_as().into(),
            ty: OutboundRuleType::of(&type_prop),
            type_prop,
            destination: declared.get(paths::OUTBOUND_RULE_DESTINATION),
            declared_by: resource,
            inline: false,
            span: resource.header(),
            property: paths::PROPERTIES.to_owned(),
        })
    }

    /// One entry of a workspace's inline `outboundRules` object, read as a rule; `None`
    /// when its value is neither an object nor unknown.
    fn inline(workspace: ResourceRef<'m>, entry: &'m Entry, fallback: Span) -> Option<Self> {
        if !matches!(entry.value.kind, NodeKind::Object(_) | NodeKind::Unknown(_)) {
            return None;
        }
        let written = workspace
            .origin
            .decls
            .iter()
            .any(|d| d.contains(entry.key_span));
        let type_prop = lookup_in(&workspace, &entry.value, paths::INLINE_RULE_TYPE);
        Some(OutboundRule {
            name: Arc::clone(&entry.key),
            ty: OutboundRuleType::of(&type_prop),
            type_prop,
            destination: lookup_in(&workspace, &entry.value, paths::INLINE_RULE_DESTINATION),
            declared_by: workspace,
            inline: true,
            span: if written { entry.key_span } else { fallback },
            property: format!("{}.{}", paths::OUTBOUND_RULES, entry.key),
        })
    }
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

impl Model {
    /// The managed-network outbound rules of a workspace: the entries of its inline
    /// `managedNetwork.outboundRules` object, then its declared `workspaces/outboundRules`
    /// children. Inline entries that are not objects (nor unknown) are skipped; an inline
    /// rule set that is unknown, or not an object, leaves `unknown` set or nothing.
    pub fn outbound_rules<'m>(&'m self, workspace: ResourceRef<'m>) -> OutboundRules<'m> {
        let mut out = OutboundRules::default();
        let inline = workspace.resource().get(paths::OUTBOUND_RULES);
        let fallback = inline.span_or(workspace.header());
        match &inline.value {
            Value::Unknown(unknown) => out.unknown = Some((Arc::clone(unknown), fallback)),
            Value::Known(node) => {
                if let Some(object) = node.as_object() {
                    if let Some(rest) = &object.rest {
                        out.unknown = Some((Arc::clone(rest), fallback));
                    }
                    out.rules.extend(
                        last_of_each_key(&object.entries)
                            .filter_map(|entry| OutboundRule::inline(workspace, entry, fallback)),
                    );
                }
            }
            Value::Absent => {}
        }
        out.rules.extend(
            self.graph()
                .children_of(workspace)
                .filter_map(OutboundRule::from_resource),
        );
        out
    }
}

/// The entries of an object that count, in order: when a key repeats (case-insensitively),
/// the last entry wins, as in ARM.
fn last_of_each_key(entries: &[Entry]) -> impl Iterator<Item = &Entry> {
    let mut last: FxHashMap<String, usize> = FxHashMap::default();
    for (i, entry) in entries.iter().enumerate() {
        last.insert(entry.key.to_ascii_lowercase(), i);
    }
    entries
        .iter()
        .enumerate()
        .filter(move |(i, entry)| last.get(&entry.key.to_ascii_lowercase()) == Some(i))
        .map(|(_, entry)| entry)
}

/// Whether a workspace's managed network could be on: `isolationMode` is a managed mode or
/// unknown. Outbound rules of a workspace without one create nothing.
pub(crate) fn managed_network_enabled(workspace: &Resource) -> bool {
    let mode = workspace.get(paths::ISOLATION_MODE);
    match mode.value {
        Value::Known(node) => !node.str_eq("Disabled") && node.as_str().is_some(),
        Value::Unknown(_) => true,
        Value::Absent => false,
    }
}
