//! The format-neutral resource model that every isolint frontend lowers into.
//!
//! A frontend (ARM JSON, Bicep, Terraform) turns its files into [`Resource`]s whose
//! properties are [`Node`] trees in ARM terms (`properties.publicNetworkAccess`, see
//! [`paths`]). A [`Model`] holds every resource of a scan: the generic [`Graph`] (storage,
//! identity, redeclarations, references) and the Azure Machine Learning facts of [`aml`]
//! the rules ask about: which dependencies a workspace links, which private endpoints reach
//! a resource, which computes belong to a workspace. Rules never see which format a
//! resource came from.
//!
//! Frontends reach the disk only through the [`SourceMap`] of [`source`]: one path
//! normalisation, one size limit, and, for a map confined to a [`Project`], nothing read
//! from outside its root but module-cache files, whose text is never printed.

pub mod aml;
pub mod coverage;
pub mod describe;
pub mod diagnostic;
pub mod frontend;
pub mod graph;
pub mod id;
pub mod model;
pub mod paths;
pub mod resource;
pub mod source;
pub mod types;
pub mod value;
pub mod vocabulary;

#[cfg(test)]
mod testing;

pub use aml::dns::DnsZones;
pub use aml::endpoints::{EndpointKind, EndpointSearch, Groups, PrivateEndpoint};
pub use aml::links::{Link, LinkKind};
pub use aml::outbound::{OutboundRule, OutboundRuleType, OutboundRules};
pub use diagnostic::{Diagnostic, Severity};
pub use frontend::Analysis;
pub use graph::{Graph, ResourceIdx, ResourceRef, Target};
pub use id::{NamePart, ResourceId};
pub use model::Model;
pub use resource::{Condition, Origin, Resource, RootId, Syntax};
pub use source::{
    FileId, LineIndex, PathKind, Position, Project, Refusal, SourceFile, SourceMap, Span,
};
pub use value::{
    Decider, Entry, Form, Node, NodeKind, Object, Prop, Provenance, StrPart, Unknown,
    UnknownReason, Value,
};
pub use vocabulary::Vocabulary;
