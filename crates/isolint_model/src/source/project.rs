//! Where isolint may read: the project root, module caches, and the one path normalisation.
//!
//! A [`Project`] confines a [`SourceMap`](super::SourceMap): everything read lies under its
//! root once symbolic links are resolved, or under one of its module caches. A file that
//! lies elsewhere, and anything that is not a regular file, is refused with a
//! [`Refusal`] that a frontend turns into a diagnostic at the reference that named it.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::source::Span;

/// Folders of kernel and device file systems: their files are never read, confined or not
/// (`/proc/self/environ` holds the process environment; device files block or never end).
const SYSTEM_FOLDERS: &[&str] = &["/proc", "/dev", "/sys"];

/// `path` made absolute (against the working directory) with `.` and `..` removed
/// lexically, without touching the file system: `a/./b/../c` is `<cwd>/a/c`. The one
/// meaning of "the same path" for every frontend and for the [`SourceMap`](super::SourceMap)'s keys.
pub fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            // `pop` stops at the root: `/..` is `/`.
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` as users see it: [`normalize`]d, then relative to the working directory when it
/// lies below it, with `/` separators. Never `./x` nor `a/../b`.
pub fn display_name(path: &Path) -> String {
    let normalized = normalize(path);
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| normalized.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|relative| !relative.as_os_str().is_empty())
        .unwrap_or(normalized);
    relative.to_string_lossy().replace('\\', "/")
}

/// The folders a confined [`SourceMap`](super::SourceMap) reads from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// Everything read lies under this folder once symbolic links are resolved.
    pub root: PathBuf,
    /// Module caches (the Bicep module cache, `.terraform/modules`): files under them are
    /// read as templates, but marked [`hidden`](super::SourceFile::hidden) so that their
    /// text is never printed.
    pub caches: Vec<PathBuf>,
}

impl Project {
    /// A project rooted at `root`, without caches.
    pub fn new(root: impl AsRef<Path>) -> Self {
        Self {
            root: normalize(root.as_ref()),
            caches: Vec::new(),
        }
    }

    /// The same project, reading module cache `cache` too.
    #[must_use]
    pub fn with_cache(mut self, cache: impl AsRef<Path>) -> Self {
        self.caches.push(normalize(cache.as_ref()));
        self
    }

    /// The project that holds `path`: the nearest folder at or above it with a `.git`
    /// entry (a folder, or the file of a worktree or submodule), found without running
    /// git; else `path` itself when it is a folder, else its folder (for a file, or one
    /// that does not exist yet).
    pub fn discover(path: &Path) -> Self {
        let start = normalize(path);
        // A file, or one not saved yet (standard input, an editor's new document), stands
        // in its folder.
        let folder = if start.is_dir() {
            start
        } else {
            start
                .parent()
                .map_or_else(|| start.clone(), Path::to_path_buf)
        };
        let root = folder
            .ancestors()
            .find(|dir| dir.join(".git").symlink_metadata().is_ok())
            .unwrap_or(&folder);
        Self::new(root)
    }
}

/// Why a [`SourceMap`](super::SourceMap) does not read a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Its canonical path lies outside the project root and every module cache.
    OutsideRoot,
    /// It is not a regular file (a FIFO, a device, a socket) or lies under `/proc`, `/dev`
    /// or `/sys`.
    NotRegularFile,
}

impl Refusal {
    /// What the diagnostic says.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::OutsideRoot => "outside the project root: not followed",
            Refusal::NotRegularFile => "not a regular file: not read",
        }
    }

    /// The stable code of the diagnostic.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::OutsideRoot => "outside-root",
            Refusal::NotRegularFile => "not-a-file",
        }
    }

    /// The error for a file that was to be read for itself (a scanned file).
    pub fn diagnostic(self, path: &Path) -> Diagnostic {
        Diagnostic::error(
            self.code(),
            format!("`{}`: {}", display_name(path), self.reason()),
            path,
        )
    }

    /// The warning for `target`, named at `at` in `referrer` (a module call, a `using`, a
    /// `templateLink.relativePath`), counted like a module that cannot be read.
    pub fn at_reference(self, target: &Path, referrer: &Path, at: Span) -> Diagnostic {
        Diagnostic::warning(
            self.code(),
            format!("`{}`: {}", display_name(target), self.reason()),
            referrer,
        )
        .at(at)
    }
}

/// What a path is, as a [`SourceMap`](super::SourceMap) lets frontends see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// A regular file that may be read (or a preloaded text).
    File,
    /// A folder that may be listed.
    Folder,
    /// Nothing there (or nothing that can be looked at).
    Missing,
    /// Something that is not read, and why.
    Refused(Refusal),
}

/// A project with its folders canonicalized once, for comparisons with canonical paths.
#[derive(Debug)]
pub(super) struct Confinement {
    /// The project as given.
    pub(super) project: Project,
    root: PathBuf,
    caches: Vec<PathBuf>,
}

/// Where a canonical path lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Placement {
    /// Inside the project (or anywhere, unconfined).
    Project,
    /// Inside a module cache: read, never printed.
    Cache,
}

impl Confinement {
    pub(super) fn new(project: Project) -> Self {
        let canonical =
            |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Self {
            root: canonical(&project.root),
            caches: project.caches.iter().map(|c| canonical(c)).collect(),
            project,
        }
    }

    /// Where `canonical` lies, or [`Refusal::OutsideRoot`]. A cache inside the project
    /// root is a cache all the same: its files are never printed.
    pub(super) fn place(&self, canonical: &Path) -> Result<Placement, Refusal> {
        if self.caches.iter().any(|cache| canonical.starts_with(cache)) {
            Ok(Placement::Cache)
        } else if canonical.starts_with(&self.root) {
            Ok(Placement::Project)
        } else {
            Err(Refusal::OutsideRoot)
        }
    }
}

/// Whether `path` lies in a kernel or device file system.
pub(super) fn is_system_path(path: &Path) -> bool {
    SYSTEM_FOLDERS.iter().any(|folder| path.starts_with(folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_is_absolute_and_lexical() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(normalize(Path::new("./a/./b.json")), cwd.join("a/b.json"));
        assert_eq!(normalize(Path::new("a/b/../../c")), cwd.join("c"));
        assert_eq!(normalize(Path::new(".")), cwd);
        assert_eq!(normalize(Path::new("/x/../../y")), Path::new("/y"));
    }

    #[test]
    fn display_names_are_relative_and_clean() {
        assert_eq!(display_name(Path::new("./x.bicep")), "x.bicep");
        assert_eq!(display_name(Path::new("a/b/../../c.tf")), "c.tf");
        assert_eq!(display_name(Path::new("/etc/../etc/passwd")), "/etc/passwd");
    }

    #[test]
    fn discover_finds_the_work_tree_or_keeps_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("infra/modules")).unwrap();
        std::fs::write(repo.join(".git"), "gitdir: elsewhere\n").unwrap();
        std::fs::write(repo.join("infra/main.bicep"), "").unwrap();
        assert_eq!(Project::discover(&repo.join("infra/modules")).root, repo);
        assert_eq!(Project::discover(&repo.join("infra/main.bicep")).root, repo);

        let plain = dir.path().join("plain");
        std::fs::create_dir_all(&plain).unwrap();
        std::fs::write(plain.join("main.tf"), "").unwrap();
        // No `.git` above the temporary folder on a normal machine: the path itself.
        if !dir.path().ancestors().any(|a| a.join(".git").exists()) {
            assert_eq!(Project::discover(&plain).root, plain);
            assert_eq!(Project::discover(&plain.join("main.tf")).root, plain);
        }
    }
}
