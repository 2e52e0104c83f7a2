//! isolint's rules and the engine that runs them.
//!
//! A [`Rule`] is plain data plus a `check` function over one resource of its target types;
//! the registry [`RULES`] is one sorted slice. [`check`] runs the selected rules over a
//! [`Model`](isolint_model::Model) and returns deduplicated, fingerprinted [`Finding`]s.
//! Rules see only the model, never a frontend, so they cannot tell Bicep from Terraform.
//! [`policy`] maps each rule to the Azure Policy definitions that enforce it at deployment.
//! [`change`] holds the rules that compare a deployment with its base revision (`isolint
//! diff`), and [`history`] the arithmetic of findings opened and closed over commits.

mod aml;
pub mod change;
mod compute;
mod context;
mod coverage;
mod engine;
mod finding;
mod fix;
mod help;
pub mod history;
pub mod policy;
mod registry;
mod relocate;
pub mod report;
mod rule;
mod suppression;
mod terms;

pub use context::Cx;
pub use engine::{Options, check, sort_findings};
pub use finding::{Finding, Fix, Label, ResourceIdentity, Safety};
pub use fix::{apply_fixes, fix_applies_to};
pub use help::{Help, SLOTS, Slot};
pub use registry::{RULES, find_rule};
pub use relocate::relocate;
pub use rule::{Level, Protects, Rule, Status, Weight, first_sentence};
pub use suppression::{
    Applied, Date, Scope, Suppressed, Suppression, SuppressionKind, TOOL_RULES, apply_suppressions,
};
