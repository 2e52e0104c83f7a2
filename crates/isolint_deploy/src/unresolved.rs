//! Why a module reference could not be followed, and what the user runs to fix it.

use std::fmt;
use std::path::PathBuf;

/// A module that isolint cannot read. The deployment graph turns it into a coverage gap at
/// the module call: the call's span, the reference, [`reason`](Self::reason) and
/// [`fix`](Self::fix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unresolved {
    /// What kind of failure it is, for callers that treat some differently.
    pub cause: UnresolvedCause,
    /// What is wrong, as a sentence (`br/public:avm/res/x:1.0.0 is not in the Bicep module
    /// cache`).
    pub reason: String,
    /// What to run or change ("run `bicep restore main.bicep`").
    pub fix: String,
    /// Where the module was looked for: the cache's `main.json`, the manifest, or the
    /// module folder.
    pub expected: Option<PathBuf>,
}

/// The kinds of [`Unresolved`] module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnresolvedCause {
    /// The reference is not one Bicep accepts (syntax, unknown scheme, invalid tag).
    InvalidReference,
    /// A `br/<alias>:` or `ts/<alias>:` alias that the configuration does not declare, or
    /// declares without a registry (subscription, resource group).
    UnknownAlias,
    /// There is no module cache to look in: no home directory and no `--bicep-cache`.
    NoCache,
    /// The Bicep module is not in the cache: `bicep restore` has not run.
    NotRestored,
    /// The Terraform root has no `modules.json`: `terraform init` has not run.
    NotInitialized,
    /// `modules.json` exists but could not be read (its own diagnostic says why).
    ManifestUnreadable,
    /// `modules.json` has no record of this module, or its folder is gone.
    NotInstalled,
    /// `modules.json` records another source or a version the configuration no longer
    /// accepts: `terraform init` would install a different module.
    Stale,
    /// The recorded module folder lies outside the project root: not followed.
    OutsideRoot,
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.fix)
    }
}
