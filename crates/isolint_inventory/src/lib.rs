//! The inventory frontend: exports of deployed Azure resources (the live estate), read
//! into the same model as templates, so that the same rules judge what was deployed.
//!
//! It reads, recognised by content and never by file name (see [`detect`]):
//! - Azure Resource Graph results (`az graph query`, every page; the REST response too);
//! - REST list responses (`{"value": [...]}`);
//! - PSRule for Azure `Export-AzRuleData` files (a JSON array per subscription, with the
//!   subscription and resource-group entries beside the resources, and sub-resources in
//!   a `resources` array);
//! - `az resource show --ids ...` output (one object, or an array for several IDs).
//!
//! Every resource is known by its full resource ID ([`isolint_model::Origin::address`]):
//! findings point at its object in the export, SARIF names it by its ID, and messages by
//! name, resource group and subscription. Types and IDs compare case-insensitively; links
//! resolve by full ID, across files. What an export does not report is unknown, never
//! assumed to be the service default (the `lower` module says exactly how), and
//! `az resource list` output, which never carries properties, is refused. `docs/estate.md`
//! tells users how to export.

mod connections;
mod estate;
mod lower;
mod shape;

use std::path::{Path, PathBuf};

use isolint_model::{Analysis, SourceMap};
use rayon::prelude::*;

pub use estate::{Estate, FileExport};
pub use shape::{Shape, detect};

/// Reads one export file into resources and diagnostics.
pub fn read_file(path: &Path, sources: &SourceMap) -> Analysis {
    let mut estate = Estate::new();
    estate.read(path, sources);
    estate.finish()
}

/// Reads several export files as one estate: links resolve across files, and a resource
/// exported twice is read once. Files are read side by side and related in the order
/// given, so the result does not depend on timing.
pub fn analyze(files: &[PathBuf], sources: &SourceMap) -> Analysis {
    let exports: Vec<estate::FileExport> = files
        .par_iter()
        .map(|path| estate::read_export(path, sources))
        .collect();
    let mut estate = Estate::new();
    for export in exports {
        estate.absorb(export);
    }
    estate.finish()
}
