//! isolint's rules and the engine that runs them.
//!
//! A [`Rule`] is plain data plus a `check` function over one resource of its target types;
//! the registry [`RULES`] is one sorted slice. [`check`] runs the selected rules over a
//! [`Model`](isolint_model::Model) and returns deduplicated, fingerprinted [`Finding`]s.
//! Rules see only the model, never a frontend, so they cannot tell Bicep from Terraform.
//! [`policy`] maps each rule to the Azure Policy definitions that enforce it at deployment.

mod aml;
mod compute;
mod context;
mod coverage;
mod engine;
mod finding;
mod help;
pub mod policy;
mod registry;
mod relocate;
pub mod report;
mod rule;
mod suppression;

pub use context::Cx;
pub use engine::{Options, check, sort_findings};
pub use finding::{Finding, Fix, Label, ResourceIdentity, Safety};
pub use help::{Help, SLOTS, Slot};
pub use registry::{RULES, find_rule};
pub use relocate::relocate;
pub use rule::{Level, Protects, Rule, Status, Weight};
pub use suppression::{
    Applied, Date, Scope, Suppressed, Suppression, SuppressionKind, TOOL_RULES, apply_suppressions,
};
