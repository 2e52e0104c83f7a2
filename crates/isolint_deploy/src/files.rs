//! The few questions the resolvers ask of the file system, asked in one place: all of
//! them go through the [`SourceMap`], the project's one file gateway, so that confinement
//! and the size limit apply to configuration and manifest files too.

use std::path::Path;
use std::sync::Arc;

use isolint_model::source::{PathKind, normalize};
use isolint_model::{Diagnostic, SourceFile, SourceMap};

/// Reads a configuration or manifest file through the source map.
pub(crate) fn read(sources: &SourceMap, path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    sources.read(path)
}

/// Whether `path` is a file the source map may read (preloaded, or a regular file on disk
/// inside the project).
pub(crate) fn is_file(sources: &SourceMap, path: &Path) -> bool {
    sources.is_file(path)
}

/// Whether `path` is a directory the source map may list.
pub(crate) fn is_dir(sources: &SourceMap, path: &Path) -> bool {
    sources.kind(path) == PathKind::Folder
}

/// Whether `path` lies in `root` (or is it), both compared after [`normalize`].
pub(crate) fn is_inside(path: &Path, root: &Path) -> bool {
    normalize(path).starts_with(normalize(root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_compares_whole_components() {
        assert!(is_inside(Path::new("/p/root/a"), Path::new("/p/root")));
        assert!(is_inside(Path::new("/p/root"), Path::new("/p/root/")));
        assert!(!is_inside(Path::new("/p/rootless"), Path::new("/p/root")));
        assert!(!is_inside(Path::new("/p/root/../x"), Path::new("/p/root")));
    }
}
