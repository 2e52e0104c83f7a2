//! Helpers shared by the inventory tests: paths, and findings rendered for snapshots.

use std::path::{Path, PathBuf};

use isolint_model::{Analysis, Model};
use isolint_rules::{Finding, Options, check};

/// The repository root.
pub(crate) fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

/// `testdata/inventory/<relative>`.
pub(crate) fn testdata(relative: &str) -> PathBuf {
    workspace_root().join("testdata/inventory").join(relative)
}

/// The findings of every rule on `analysis`'s resources, `--strict` or not, and the
/// model they were found in.
pub(crate) fn findings(analysis: Analysis, strict: bool) -> (Model, Vec<Finding>) {
    let model = Model::new(analysis.resources);
    let options = Options {
        strict,
        ..Options::default()
    };
    let findings = check(&model, &options);
    (model, findings)
}
