//! isolint's project automation, run as `cargo xtask <command>` (see `.cargo/config.toml`).
//!
//! - [`docs`] writes `docs/rules/` and the rules table in `README.md` from the registry and
//!   the examples in `rules/<ID>/`, and the table of `check`'s options in `README.md` from
//!   the command line, or checks that they are up to date.
//! - [`man`] writes the manual pages in `docs/man/` from the command line, or checks them.
//! - [`new_rule`] scaffolds a rule: its source file, its `mod` and registry lines, and its
//!   examples folder.
//! - [`fuzz_seed`] fills the end-to-end fuzz target's corpus from the real-world corpus and
//!   the repository's templates.
//!
//! Everything here returns text or an [`Error`]; only the binary prints.

pub mod docs;
pub mod examples;
pub mod fuzz_seed;
pub mod generated;
pub mod man;
pub mod new_rule;
pub mod options;
pub mod region;
pub mod render;

use std::path::{Path, PathBuf};

/// What can go wrong in an xtask command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read, written or listed.
    #[error("cannot {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done: `read`, `write`, `list`, ...
        action: &'static str,
        /// The path, relative to the workspace root where possible.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `README.md` is missing or lacks the markers of a generated region.
    #[error("README.md: {0}")]
    Readme(String),
    /// The docs cannot be generated: a rule still holds placeholders, the command line has
    /// no `check`, or a generated folder (`docs/rules/`, `docs/man/`) holds a file that was
    /// not generated.
    #[error("{0}")]
    Docs(String),
    /// `docs --check` or `man --check` found generated files that differ from what the
    /// command would write.
    #[error("{0}")]
    Stale(generated::Drift),
    /// `new-rule` was asked for something it must refuse.
    #[error("{0}")]
    NewRule(String),
}

/// The workspace root, from this crate's manifest directory, whatever the current directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Reads a UTF-8 file, naming it (relative to `root`) on failure.
pub(crate) fn read(root: &Path, relative: &Path) -> Result<String, Error> {
    std::fs::read_to_string(root.join(relative)).map_err(|source| Error::Io {
        action: "read",
        path: relative.to_path_buf(),
        source,
    })
}

/// Writes a file, naming it (relative to `root`) on failure.
pub(crate) fn write(root: &Path, relative: &Path, content: &str) -> Result<(), Error> {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::Io {
            action: "create",
            path: relative.parent().unwrap_or(relative).to_path_buf(),
            source,
        })?;
    }
    std::fs::write(&path, content).map_err(|source| Error::Io {
        action: "write",
        path: relative.to_path_buf(),
        source,
    })
}

/// A relative path as Markdown and messages spell it: with `/` on every platform.
pub(crate) fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
