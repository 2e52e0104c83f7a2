//! Ignore files are vetted before the walk reads them. The `ignore` crate reads every
//! `.gitignore`, `.ignore` and `.isolintignore` it meets, and `.git/info/exclude` (through
//! the `gitdir:` line of a `.git` file), to the end and without a limit: one that is a link
//! to `/dev/zero` grows in memory for ever. A folder whose ignore file is not a regular file
//! of bounded size is therefore not walked at all, and the run reports it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::files;

use super::IGNORE_FILE;

/// The ignore files the walk reads in every folder.
const NAMES: [&str; 3] = [".gitignore", ".ignore", IGNORE_FILE];

/// The first ignore file of `dir` that must not be read, with why.
pub(super) fn refused(dir: &Path) -> Option<(PathBuf, String)> {
    NAMES
        .iter()
        .map(|name| dir.join(name))
        .find_map(|path| vet(&path).err().map(|reason| (path, reason)))
        .or_else(|| refused_git_exclude(dir))
}

/// Whether the file at `path` may be read, when there is one. A path that cannot be
/// resolved (absent, a dangling link) is left to the walk, which reports what it cannot
/// open and goes on.
fn vet(path: &Path) -> Result<(), String> {
    if fs::metadata(path).is_err() {
        return Ok(());
    }
    files::check_readable(path, files::MAX_IGNORE_FILE_SIZE)
}

/// The `info/exclude` file of the git folder of `dir`, when it must not be read. A `.git`
/// file (a worktree, a submodule) names the real git folder in a `gitdir:` line, whose
/// `commondir` file names the folder that holds `info/exclude`; each step is vetted.
fn refused_git_exclude(dir: &Path) -> Option<(PathBuf, String)> {
    let dot_git = dir.join(".git");
    let metadata = fs::metadata(&dot_git).ok()?;
    let refuse = |path: PathBuf| vet(&path).err().map(|reason| (path, reason));
    if metadata.is_dir() {
        return refuse(dot_git.join("info").join("exclude"));
    }
    if let Some(refusal) = refuse(dot_git.clone()) {
        return Some(refusal);
    }
    let line = first_line(&dot_git)?;
    let real = PathBuf::from(line.strip_prefix("gitdir: ")?);
    let commondir = real.join("commondir");
    if let Some(refusal) = refuse(commondir.clone()) {
        return Some(refusal);
    }
    let common = first_line(&commondir)?;
    let common = if common.starts_with('.') {
        real.join(common)
    } else {
        PathBuf::from(common)
    };
    refuse(common.join("info").join("exclude"))
}

/// The first line of a file already vetted.
fn first_line(path: &Path) -> Option<String> {
    let text = files::read_text(path, files::MAX_IGNORE_FILE_SIZE).ok()?;
    text.lines().next().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_to_devices_and_worktree_chains_are_refused() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        assert!(refused(dir.path()).is_none());
        fs::write(dir.path().join(".ignore"), "*.log\n").unwrap();
        assert!(refused(dir.path()).is_none());
        // A dangling link is left to the walk.
        symlink(dir.path().join("nowhere"), dir.path().join(".gitignore")).unwrap();
        assert!(refused(dir.path()).is_none());
        fs::remove_file(dir.path().join(".gitignore")).unwrap();
        symlink("/dev/zero", dir.path().join(IGNORE_FILE)).unwrap();
        let (path, reason) = refused(dir.path()).unwrap();
        assert!(path.ends_with(IGNORE_FILE), "{}", path.display());
        assert!(reason.contains("not a regular file"), "{reason}");

        // A worktree's `.git` file leads to `info/exclude` through `commondir`.
        let tree = tempfile::tempdir().unwrap();
        let git = tree.path().join("gitdir");
        fs::create_dir_all(git.join("common/info")).unwrap();
        fs::write(git.join("commondir"), "./common\n").unwrap();
        fs::write(
            tree.path().join(".git"),
            format!("gitdir: {}\n", git.display()),
        )
        .unwrap();
        assert!(refused(tree.path()).is_none());
        symlink("/dev/zero", git.join("common/info/exclude")).unwrap();
        let (path, _) = refused(tree.path()).unwrap();
        assert!(path.ends_with("common/info/exclude"), "{}", path.display());
    }
}
