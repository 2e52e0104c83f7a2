//! Git revisions, read with gix and never by running git: the repository that holds the
//! paths given, the commit a revision names, the first-parent history of the current branch,
//! and (in [`snapshot`]) the files of a commit's tree as a [`SourceMap`](isolint_model::SourceMap)
//! that serves them at the paths they have in the work tree.
//!
//! Nothing here touches the network or writes to the repository. A revision that is missing
//! in a shallow clone is an error that says how to fetch it.

pub(crate) mod discover;
pub(crate) mod snapshot;

use std::path::{Path, PathBuf};

use gix::ObjectId;

use crate::files::{absolute_lexical, io_message};

/// A commit, as much of it as `diff` and `report --history` need.
#[derive(Clone, Debug)]
pub(crate) struct Commit {
    /// Its id.
    pub(crate) id: ObjectId,
    /// Its root tree.
    pub(crate) tree: ObjectId,
    /// Its first parent, if it has one.
    pub(crate) parent: Option<ObjectId>,
    /// The committer's time, in seconds since the Unix epoch (UTC).
    pub(crate) seconds: i64,
    /// The first line of its message.
    pub(crate) summary: String,
}

impl Commit {
    /// The abbreviated id users recognise (`1a2b3c4`).
    pub(crate) fn short_id(&self) -> String {
        let mut id = self.id.to_string();
        id.truncate(7);
        id
    }
}

/// The repository that holds the paths of a run, and where its files are.
pub(crate) struct Repository {
    repo: gix::Repository,
    /// The work tree as the user spells it (the same prefix as the paths given on the
    /// command line, made absolute), so that a revision's files get the paths the work
    /// tree's files have, and with them the same names in every output.
    anchor: PathBuf,
}

impl Repository {
    /// The repository whose work tree holds `path` (a file, or a file or folder that may
    /// not exist any more: its nearest existing folder counts). The error is a message.
    pub(crate) fn discover(path: &Path) -> Result<Self, String> {
        let start = absolute_lexical(path);
        let existing = start
            .ancestors()
            .find(|folder| folder.is_dir())
            .unwrap_or(&start)
            .to_path_buf();
        let repo = gix::discover(&existing).map_err(|error| {
            format!("`{}` is not in a git repository ({error})", path.display())
        })?;
        let work_tree = repo.workdir().map(Path::to_path_buf).ok_or_else(|| {
            format!(
                "the repository of `{}` has no work tree (a bare repository)",
                path.display()
            )
        })?;
        let anchor = anchor(&existing, &work_tree)?;
        Ok(Self { repo, anchor })
    }

    /// The work tree, spelled as the paths of the run are.
    pub(crate) fn work_tree(&self) -> &Path {
        &self.anchor
    }

    /// The commit that `revision` names (`main`, `origin/main~2`, a full or short id).
    pub(crate) fn resolve(&self, revision: &str) -> Result<Commit, String> {
        let not_found = |reason: String| {
            let mut message = format!("the revision `{revision}` cannot be read: {reason}");
            if self.is_shallow() {
                message.push_str(SHALLOW_HELP);
            }
            message
        };
        let id = self
            .repo
            .rev_parse_single(revision)
            .map_err(|error| not_found(error.to_string()))?;
        let object = id.object().map_err(|error| not_found(error.to_string()))?;
        let commit = object
            .peel_to_commit()
            .map_err(|error| not_found(format!("it names no commit ({error})")))?;
        Self::describe(&commit).map_err(not_found)
    }

    /// The commit `HEAD` points at.
    pub(crate) fn head(&self) -> Result<Commit, String> {
        self.resolve("HEAD")
    }

    /// The commit with id `id`, or `None` when the object database does not hold it (the
    /// parent of the last commit of a shallow clone).
    pub(crate) fn commit(&self, id: ObjectId) -> Result<Option<Commit>, String> {
        match self.repo.try_find_object(id) {
            Ok(Some(object)) => {
                let commit = object
                    .try_into_commit()
                    .map_err(|error| format!("`{id}` is not a commit: {error}"))?;
                Self::describe(&commit).map(Some)
            }
            Ok(None) => Ok(None),
            Err(error) => Err(format!("cannot read commit `{id}`: {error}")),
        }
    }

    /// Whether the repository is a shallow clone: its history stops before the root.
    pub(crate) fn is_shallow(&self) -> bool {
        self.repo.is_shallow().unwrap_or(false)
    }

    /// The gix repository, for the readers of trees and blobs.
    pub(crate) fn objects(&self) -> &gix::Repository {
        &self.repo
    }

    fn describe(commit: &gix::Commit<'_>) -> Result<Commit, String> {
        let decoded = commit.decode().map_err(|error| error.to_string())?;
        let seconds = decoded.time().map_or(0, |time| time.seconds);
        let summary = String::from_utf8_lossy(decoded.message().summary().as_ref()).into_owned();
        Ok(Commit {
            id: commit.id,
            tree: decoded.tree(),
            parent: decoded.parents().next(),
            seconds,
            summary,
        })
    }
}

/// What a user of a shallow clone is told.
pub(crate) const SHALLOW_HELP: &str = "; this is a shallow clone, whose history stops before it: fetch it (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)";

/// The work tree spelled as `existing` (an absolute path inside it) spells it: `existing`
/// without as many trailing components as it lies below the work tree, once symbolic links
/// are resolved on both sides.
fn anchor(existing: &Path, work_tree: &Path) -> Result<PathBuf, String> {
    let canonical = |path: &Path| {
        std::fs::canonicalize(path).map_err(|error| {
            format!(
                "cannot resolve `{}`: {}",
                path.display(),
                io_message(&error)
            )
        })
    };
    let inside = canonical(existing)?;
    let root = canonical(work_tree)?;
    let below = inside.strip_prefix(&root).map_err(|_| {
        format!(
            "`{}` is outside the work tree `{}`",
            existing.display(),
            work_tree.display()
        )
    })?;
    let mut anchor = existing.to_path_buf();
    for _ in below.components() {
        anchor.pop();
    }
    Ok(anchor)
}

#[cfg(test)]
pub(crate) mod tests;
