//! The format-neutral resource model that every isolint frontend lowers into.
//!
//! A frontend (ARM JSON, Bicep, Terraform) turns its files into [`Resource`]s whose
//! properties are [`Node`] trees in ARM terms (`properties.publicNetworkAccess`). A
//! [`Model`] holds every resource of a scan and answers the cross-resource questions the
//! rules ask: which dependencies a workspace links, which private endpoints reach a
//! resource, which computes belong to a workspace. Rules never see which format a
//! resource came from.
//!
//! Frontends reach the disk only through the [`SourceMap`] of [`source`]: one path
//! normalisation, one size limit, and, for a map confined to a [`Project`], nothing read
//! from outside its root but module-cache files, whose text is never printed.

pub mod describe;
pub mod diagnostic;
pub mod frontend;
pub mod graph;
pub mod id;
pub mod resource;
pub mod source;
pub mod types;
pub mod value;

pub use diagnostic::{Diagnostic, Severity};
pub use frontend::Analysis;
pub use graph::{
    DnsZones, EndpointKind, EndpointSearch, Groups, Link, LinkKind, Model, OutboundRule,
    OutboundRuleType, OutboundRules, PrivateEndpoint, Target,
};
pub use id::{NamePart, ResourceId};
pub use resource::{Condition, Origin, Resource, RootId, Syntax};
pub use source::{
    FileId, LineIndex, PathKind, Position, Project, Refusal, SourceFile, SourceMap, Span,
};
pub use value::{
    Decider, Entry, Node, NodeKind, Object, Prop, Provenance, StrPart, Unknown, UnknownReason,
    Value,
};
