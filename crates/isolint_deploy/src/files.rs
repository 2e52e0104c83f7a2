//! The few questions the resolvers ask of the file system, asked in one place.
//!
//! Reads go through the [`SourceMap`]; existence checks and path normalisation are here
//! until the `SourceMap` answers them itself (confinement, `is_file`, `list_dir`), so that
//! switching over touches this file only.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use isolint_model::{Diagnostic, SourceFile, SourceMap};

/// The largest configuration or manifest file read (`bicepconfig.json`, `modules.json`):
/// real ones are a few kilobytes.
const MAX_CONFIG_SIZE: u64 = 16 * 1024 * 1024;

/// Reads a configuration or manifest file through the source map.
pub(crate) fn read(sources: &SourceMap, path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    sources.read(path, MAX_CONFIG_SIZE)
}

/// Whether `path` is a file: one already in the source map (read before, or preloaded),
/// or a regular file on disk.
pub(crate) fn is_file(sources: &SourceMap, path: &Path) -> bool {
    sources.find(path).is_some() || path.is_file()
}

/// Whether `path` is a directory on disk.
pub(crate) fn is_dir(path: &Path) -> bool {
    path.is_dir()
}

/// `path` made absolute (against the working directory) with `.` and `..` removed
/// lexically, without following symbolic links.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
    };
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether `path` lies in `root` (or is it), both compared after [`normalize`].
pub(crate) fn is_inside(path: &Path, root: &Path) -> bool {
    normalize(path).starts_with(normalize(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_removes_dots_lexically() {
        assert_eq!(normalize(Path::new("/a/./b/../c/")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("/../x")), PathBuf::from("/x"));
        assert!(normalize(Path::new("rel")).is_absolute());
    }

    #[test]
    fn inside_compares_whole_components() {
        assert!(is_inside(Path::new("/p/root/a"), Path::new("/p/root")));
        assert!(is_inside(Path::new("/p/root"), Path::new("/p/root/")));
        assert!(!is_inside(Path::new("/p/rootless"), Path::new("/p/root")));
        assert!(!is_inside(Path::new("/p/root/../x"), Path::new("/p/root")));
    }
}
