//! A commit's files: its tree listed (each tree once, so that a walk through history lists
//! only the folders that changed), its blobs read once each and never past the size limit,
//! and the [`SourceMap`] that offers them at the paths they have in the work tree.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gix::ObjectId;
use isolint_model::source::{MAX_FILE_SIZE, normalize};
use isolint_model::{Diagnostic, SourceMap};

use super::Repository;

/// Trees nest no deeper than this: a crafted repository cannot exhaust the stack.
const MAX_TREE_DEPTH: usize = 256;

/// Blob texts kept for later commits, in bytes: past it, the cache starts over.
const MAX_CACHED_BYTES: usize = 512 * 1024 * 1024;

/// A file of a tree that a run may read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Tracked {
    /// Relative to the work tree.
    pub(crate) path: PathBuf,
    /// Its content.
    pub(crate) blob: ObjectId,
}

/// The files of a tree that a run may read, sorted by path.
pub(crate) type Listing = Arc<[Tracked]>;

/// Why a blob's text is not served.
#[derive(Clone, Debug)]
pub(crate) enum Unreadable {
    /// Larger than the limit, in bytes: never decompressed.
    TooLarge(u64),
    /// Not UTF-8 (a binary file), with the offset of the first bad byte.
    NotText(usize),
    /// The object database could not give it.
    Failed(String),
}

/// Reads the trees and blobs of one repository, remembering what it read.
pub(crate) struct Reader<'r> {
    repo: &'r Repository,
    /// Whether a file of this path belongs in a listing.
    keep: fn(&Path) -> bool,
    /// The largest blob read.
    limit: u64,
    /// The listing of every tree met, relative to that tree.
    trees: HashMap<ObjectId, Listing>,
    /// The text of every blob read.
    blobs: HashMap<ObjectId, Result<Arc<str>, Unreadable>>,
    cached_bytes: usize,
}

impl<'r> Reader<'r> {
    /// A reader of `repo`'s trees that keeps the files `keep` accepts.
    pub(crate) fn new(repo: &'r Repository, keep: fn(&Path) -> bool) -> Self {
        Self {
            repo,
            keep,
            limit: MAX_FILE_SIZE,
            trees: HashMap::new(),
            blobs: HashMap::new(),
            cached_bytes: 0,
        }
    }

    /// The same reader with another size limit (tests of the limit).
    #[cfg(test)]
    pub(crate) fn with_limit(mut self, limit: u64) -> Self {
        self.limit = limit;
        self
    }

    /// The files of `tree` that `keep` accepts, with their paths from the tree's root.
    /// Symbolic links and submodules are left out, as a walk of the work tree leaves them.
    pub(crate) fn list(&mut self, tree: ObjectId) -> Result<Listing, String> {
        self.list_at(tree, 0)
    }

    fn list_at(&mut self, tree: ObjectId, depth: usize) -> Result<Listing, String> {
        if let Some(listing) = self.trees.get(&tree) {
            return Ok(Arc::clone(listing));
        }
        if depth > MAX_TREE_DEPTH {
            return Err(format!(
                "the tree `{tree}` nests folders deeper than {MAX_TREE_DEPTH}: not read"
            ));
        }
        let repo = self.repo.objects();
        let object = repo
            .find_tree(tree)
            .map_err(|error| format!("cannot read the tree `{tree}`: {error}"))?;
        let mut files = Vec::new();
        let mut folders = Vec::new();
        for entry in object.iter() {
            let entry = entry.map_err(|error| format!("cannot read the tree `{tree}`: {error}"))?;
            let Ok(name) = gix::path::from_bstr(entry.inner.filename) else {
                continue;
            };
            let name = name.into_owned();
            let mode = entry.inner.mode;
            if mode.is_tree() {
                folders.push((name, entry.inner.oid.to_owned()));
            } else if mode.is_blob() && (self.keep)(&name) {
                files.push(Tracked {
                    path: name,
                    blob: entry.inner.oid.to_owned(),
                });
            }
        }
        for (name, id) in folders {
            let below = self.list_at(id, depth + 1)?;
            files.extend(below.iter().map(|tracked| Tracked {
                path: name.join(&tracked.path),
                blob: tracked.blob,
            }));
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let listing: Listing = files.into();
        self.trees.insert(tree, Arc::clone(&listing));
        Ok(listing)
    }

    /// The text of `blob`, read at most once: its size is asked first, and a blob larger
    /// than the limit is never decompressed.
    pub(crate) fn text(&mut self, blob: ObjectId) -> Result<Arc<str>, Unreadable> {
        if let Some(known) = self.blobs.get(&blob) {
            return known.clone();
        }
        let read = self.read_blob(blob);
        if let Ok(text) = &read {
            self.cached_bytes += text.len();
            if self.cached_bytes > MAX_CACHED_BYTES {
                self.blobs.clear();
                self.cached_bytes = text.len();
            }
        }
        self.blobs.insert(blob, read.clone());
        read
    }

    fn read_blob(&self, blob: ObjectId) -> Result<Arc<str>, Unreadable> {
        let repo = self.repo.objects();
        let header = repo
            .find_header(blob)
            .map_err(|error| Unreadable::Failed(error.to_string()))?;
        if header.size() > self.limit {
            return Err(Unreadable::TooLarge(header.size()));
        }
        let object = repo
            .find_blob(blob)
            .map_err(|error| Unreadable::Failed(error.to_string()))?;
        let bytes = object.data.as_slice();
        if bytes.len() as u64 > self.limit {
            return Err(Unreadable::TooLarge(bytes.len() as u64));
        }
        std::str::from_utf8(bytes)
            .map(Arc::from)
            .map_err(|error| Unreadable::NotText(error.valid_up_to()))
    }

    /// The texts of `files` of `listing`, at their work-tree paths, and the diagnostics of
    /// those it cannot serve, which name the revision `at`.
    pub(crate) fn texts(
        &mut self,
        listing: &[Tracked],
        serve: fn(&Path) -> bool,
        at: &str,
    ) -> (RevisionTexts, Vec<Diagnostic>) {
        let mut texts = Vec::new();
        let mut diagnostics = Vec::new();
        for tracked in listing.iter().filter(|t| serve(&t.path)) {
            let path = self.repo.work_tree().join(&tracked.path);
            match self.text(tracked.blob) {
                Ok(text) => texts.push((path, text)),
                Err(unreadable) => diagnostics.push(unreadable.diagnostic(&path, at)),
            }
        }
        (RevisionTexts(texts), diagnostics)
    }
}

/// The files of a revision, at the paths they have in the work tree.
pub(crate) struct RevisionTexts(pub(crate) Vec<(PathBuf, Arc<str>)>);

impl RevisionTexts {
    /// The revision's files under `root` when a file of it is among `named` (its callers
    /// are looked for there), else none: as [`crate::context::Context::project_files`]
    /// lists the work tree's.
    pub(crate) fn project_files(&self, root: &Path, named: &[PathBuf]) -> Vec<PathBuf> {
        let named: HashSet<PathBuf> = named.iter().map(|path| normalize(path)).collect();
        let paths: Vec<PathBuf> = self.0.iter().map(|(path, _)| normalize(path)).collect();
        if !paths.iter().any(|path| named.contains(path)) {
            return Vec::new();
        }
        let root = normalize(root);
        paths
            .into_iter()
            .filter(|path| path.starts_with(&root))
            .collect()
    }

    /// `sources` serving these texts and, of the disk, only its module caches: a revision's
    /// templates never meet the work tree's files.
    pub(crate) fn serve(self, sources: SourceMap) -> SourceMap {
        let sources = sources.only_preloaded();
        for (path, text) in self.0 {
            sources.offer(&path, text);
        }
        sources
    }
}

impl Unreadable {
    /// The diagnostic of the file at `path` in revision `at`.
    fn diagnostic(&self, path: &Path, at: &str) -> Diagnostic {
        match self {
            Self::TooLarge(size) => Diagnostic::error(
                "io-error",
                format!(
                    "the file is larger than {} MiB at `{at}` ({size} bytes): not read",
                    MAX_FILE_SIZE / (1024 * 1024)
                ),
                path,
            ),
            Self::NotText(offset) => Diagnostic::error(
                "encoding-error",
                format!("the file is not valid UTF-8 at `{at}` (byte {offset}): not read"),
                path,
            ),
            Self::Failed(reason) => Diagnostic::error(
                "io-error",
                format!("cannot read the file at `{at}`: {reason}"),
                path,
            ),
        }
    }
}
