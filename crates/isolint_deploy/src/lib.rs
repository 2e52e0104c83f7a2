//! The deployment graph: which files and modules make up a deployment, and where modules
//! that live outside the scanned files are found on disk, offline.
//!
//! For now this crate holds the module resolvers the graph is built on, each pure (they
//! read through the [`SourceMap`](isolint_model::SourceMap), never the network, and take
//! the environment as arguments):
//! - [`bicepconfig`]: the Bicep configuration of a file (nearest `bicepconfig.json`,
//!   `extends`, module aliases, the module cache root);
//! - [`bicep_registry`]: Bicep `module` references (`br:`, `br/<alias>:`, `ts:`,
//!   `ts/<alias>:`, local paths) and the cached template each one names;
//! - [`terraform_manifest`]: `.terraform/modules/modules.json` as `terraform init` writes
//!   it, module calls looked up by key, stale records detected.
//!
//! A module that cannot be followed is an [`Unresolved`]: why, and what to run.

pub mod bicep_registry;
pub mod bicepconfig;
mod files;
pub mod terraform_manifest;
mod unresolved;

pub use unresolved::{Unresolved, UnresolvedCause};
