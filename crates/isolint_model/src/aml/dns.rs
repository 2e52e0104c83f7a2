//! The private DNS zones a private endpoint is registered in, read from its DNS zone groups.

use std::sync::Arc;

use crate::aml::endpoints::PrivateEndpoint;
use crate::aml::lookup_in;
use crate::graph::{ResourceRef, Target, reference_id};
use crate::id::NamePart;
use crate::model::Model;
use crate::paths;
use crate::source::Span;
use crate::types::{PRIVATE_DNS_ZONE, same_type};
use crate::value::{Prop, Unknown, UnknownReason, Value};

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

/// What a zone ID names.
enum ZoneName {
    Known(Arc<str>),
    Unknown(Arc<Unknown>),
    /// No zone ID, or the ID of something else.
    NotAZone,
}

impl Model {
    /// The private DNS zones of a private endpoint's zone groups, read from each
    /// `privateDnsZoneConfigs[].properties.privateDnsZoneId`: the last name of a
    /// `privateDnsZones` resource ID (symbolic or a literal string), or the name of the
    /// declared zone it resolves to. A zone ID static evaluation cannot settle makes the
    /// zones unknown; an ID of another type is not a zone and is skipped.
    pub fn dns_zones(&self, endpoint: &PrivateEndpoint) -> DnsZones {
        let mut zones = DnsZones::default();
        for group in endpoint
            .dns_zone_groups
            .iter()
            .filter_map(|&idx| self.graph().get(idx))
        {
            let configs = group.resource().get(paths::PRIVATE_DNS_ZONE_CONFIGS);
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
                let id = lookup_in(&group, item, paths::PRIVATE_DNS_ZONE_ID);
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

    fn zone_name(&self, group: ResourceRef<'_>, id: &Prop<'_>) -> ZoneName {
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
        let declared_name = match self.graph().resolve(&group, &id.value) {
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
}
