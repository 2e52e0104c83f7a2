//! File discovery: walks the paths given on the command line with `ignore`, filters with
//! `--include`/`--exclude`, and turns every I/O problem into a diagnostic that never stops
//! the other files.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use globset::GlobSet;
use ignore::{DirEntry, WalkBuilder, WalkState};
use isolint_model::Diagnostic;
use rayon::prelude::*;

use crate::files::{self, io_message};
use crate::frontend::{self, Configured};

mod ignore_files;

/// The file name of isolint's own ignore files, read like `.gitignore`.
pub(crate) const IGNORE_FILE: &str = ".isolintignore";

/// The configuration file's `include` and `exclude`, relative to its folder. Unlike
/// `--include`/`--exclude`, they also apply to files named on the command line, so that a
/// pre-commit hook, which names every changed file, honours them.
#[derive(Clone)]
pub(crate) struct ConfigFilter {
    /// The configuration file's folder, absolute.
    pub(crate) root: PathBuf,
    /// Files must match one of these (or lie in a folder that does), when any are given.
    pub(crate) include: Option<GlobSet>,
    /// Files matching these, or in a folder matching them, are skipped.
    pub(crate) exclude: Option<GlobSet>,
}

impl ConfigFilter {
    /// Whether `path` passes. Files outside the configuration's folder always pass.
    fn allows(&self, path: &Path) -> bool {
        let Some(relative) = std::path::absolute(path)
            .ok()
            .and_then(|p| p.strip_prefix(&self.root).ok().map(normalize))
        else {
            return true;
        };
        let mut ancestors = relative
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty());
        let excluded = self
            .exclude
            .as_ref()
            .is_some_and(|exclude| ancestors.clone().any(|p| exclude.is_match(p)));
        let included = self
            .include
            .as_ref()
            .is_none_or(|include| ancestors.any(|p| include.is_match(p)));
        included && !excluded
    }
}

/// How to discover files.
#[derive(Clone)]
pub(crate) struct Settings {
    /// The configuration file's globs.
    pub(crate) config_filter: Option<ConfigFilter>,
    /// Files must match one of these (relative to the walked folder), when any are given.
    pub(crate) include: Option<GlobSet>,
    /// Files and folders matching these are skipped.
    pub(crate) exclude: Option<GlobSet>,
    /// Honour `.gitignore`, `.ignore` and `.isolintignore`.
    pub(crate) honour_ignore_files: bool,
    /// Follow symbolic links while walking.
    pub(crate) follow_links: bool,
    /// Whether some frontend reads this file.
    pub(crate) accepts: fn(&Path) -> bool,
    /// The formats that `accepts` stands for (`ARM`), for the note on a skipped file.
    pub(crate) formats: String,
    /// For a file that configures a deployment of its folder (a Terraform variable file),
    /// the format and which files of the folder make the deployment.
    pub(crate) configured_by: fn(&Path) -> Option<Configured>,
}

/// What discovery found.
#[derive(Clone, Debug, Default)]
pub(crate) struct Discovered {
    /// Readable files that a frontend accepts, sorted, without duplicates.
    pub(crate) files: Vec<PathBuf>,
    /// Paths that do not exist or cannot be read, symbolic link loops, bad ignore files,
    /// in no particular order.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Lines for the summary (files named on the command line that nothing reads).
    pub(crate) notes: Vec<String>,
    /// Files named on the command line that are skipped on purpose: excluded by the
    /// configuration, or variable files with no deployment beside them. A run that finds
    /// nothing else has nothing to do, rather than nothing found (a pre-commit hook names
    /// every changed file, excluded or not).
    pub(crate) skipped_on_purpose: usize,
}

impl Discovered {
    /// What discovery found, with texts the user holds (an editor's unsaved documents,
    /// standard input) in place of their files: the disk's errors about those files do not
    /// matter, and one under `folder` that the walk did not see (not saved yet) is read too.
    pub(crate) fn with_edited(&mut self, edited: &[(PathBuf, Arc<str>)], folder: &Path) {
        let held = |path: &Path| edited.iter().any(|(held, _)| *held == normalize(path));
        self.diagnostics.retain(|d| !held(&d.path));
        for (path, _) in edited.iter().filter(|(path, _)| path.starts_with(folder)) {
            if frontend::accepts_any(path) && !self.files.contains(path) {
                self.files.push(path.clone());
            }
        }
        self.files.sort();
    }
}

/// Finds the files to check under `paths`. A file named in `paths` is checked whenever a
/// frontend accepts it, even if hidden, ignored or excluded; folders are walked.
pub(crate) fn discover(paths: &[PathBuf], settings: &Settings) -> Discovered {
    let found = Mutex::new(Discovered::default());
    for path in paths {
        // `metadata` follows a symbolic link named on the command line, like `rg`.
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, settings, &found),
            // A FIFO or a device would block or never end: only regular files are read.
            Ok(meta) if !meta.is_file() => push_diagnostic(
                &found,
                io_error(path, "not a regular file or folder".to_owned()),
            ),
            Ok(_) if !config_allows(settings, path) => {
                let mut found = lock(&found);
                found.skipped_on_purpose += 1;
                found.notes.push(format!(
                    "skipped `{}`: the configuration excludes it",
                    path.display()
                ));
            }
            Ok(_) => {
                if let Some(configured) = (settings.configured_by)(path) {
                    deployment_beside(path, configured, settings, &found);
                    continue;
                }
                let mut found = lock(&found);
                if (settings.accepts)(path) {
                    found.files.push(normalize(path));
                } else {
                    found.notes.push(format!(
                        "skipped `{}`: not a file of a format isolint reads ({})",
                        path.display(),
                        settings.formats
                    ));
                }
            }
            Err(err) => push_diagnostic(&found, io_error(path, io_message(&err))),
        }
    }
    let mut found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
    found.files.sort_unstable();
    found.files.dedup();
    drop_unreadable(&mut found);
    found
}

/// A file that configures the deployment of its folder (`prod.tfvars`), named on the
/// command line: the deployment's files in that folder are checked in its place.
fn deployment_beside(
    path: &Path,
    configured: Configured,
    settings: &Settings,
    found: &Mutex<Discovered>,
) {
    let format = configured.format;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut module: Vec<PathBuf> = fs::read_dir(folder)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| normalize(&entry.path()))
        .filter(|file| (configured.member)(file) && config_allows(settings, file))
        .collect();
    module.sort();
    let mut found = lock(found);
    if module.is_empty() {
        found.skipped_on_purpose += 1;
        found.notes.push(format!(
            "skipped `{}`: no {format} files beside it to apply it to",
            path.display()
        ));
    } else {
        found.notes.push(format!(
            "`{}` configures the {format} files of its folder: they are checked (a variable file is applied by convention, or with --var-file)",
            path.display()
        ));
        found.files.extend(module);
    }
}

/// Walks one folder in parallel. `--exclude` prunes whole folders through `filter_entry`
/// (our own glob set, not `ignore`'s overrides, whose whitelists would re-include files
/// that an ignore file excludes); `--include` is checked on each file found.
fn walk(root: &Path, settings: &Settings, found: &Mutex<Discovered>) {
    let honour = settings.honour_ignore_files;
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(true)
        .follow_links(settings.follow_links)
        .require_git(false)
        .git_ignore(honour)
        .git_global(honour)
        .git_exclude(honour)
        .ignore(honour)
        .parents(honour);
    if honour {
        builder.add_custom_ignore_filename(IGNORE_FILE);
    }
    // The walk reads the ignore files of the folder and of every folder above it first.
    if honour
        && let Some(refusal) = files::absolute_lexical(root)
            .ancestors()
            .find_map(ignore_files::refused)
    {
        push_diagnostic(found, not_walked(refusal, root));
        return;
    }
    let refusals: Arc<Mutex<Vec<Diagnostic>>> = Arc::default();
    let refused_folders = Arc::clone(&refusals);
    let exclude = settings.exclude.clone();
    let walked = root.to_path_buf();
    builder.filter_entry(move |entry| {
        if entry.depth() == 0 {
            return true;
        }
        if exclude
            .as_ref()
            .is_some_and(|exclude| exclude.is_match(relative(entry.path(), &walked)))
        {
            return false;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        match ignore_files::refused(entry.path()).filter(|_| honour && is_dir) {
            Some(refusal) => {
                let diagnostic = not_walked(refusal, entry.path());
                lock(&refused_folders).push(diagnostic);
                false
            }
            None => true,
        }
    });
    builder.build_parallel().run(|| {
        Box::new(|result| {
            match result {
                Ok(entry) => visit(&entry, root, settings, found),
                Err(err) => push_diagnostic(found, walk_error(&err, root)),
            }
            WalkState::Continue
        })
    });
    let refused = std::mem::take(&mut *lock(&refusals));
    lock(found).diagnostics.extend(refused);
}

/// The diagnostic of a folder that is not walked because of one of its ignore files.
fn not_walked((ignore_file, reason): (PathBuf, String), folder: &Path) -> Diagnostic {
    io_error(
        &ignore_file,
        format!(
            "ignore file not read: {reason}; the folder `{}` is not checked (--no-ignore checks it without ignore files)",
            normalize(folder).display()
        ),
    )
}

/// A lock that a panicking thread cannot poison for the others.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn visit(entry: &DirEntry, root: &Path, settings: &Settings, found: &Mutex<Discovered>) {
    if let Some(err) = entry.error() {
        // An ignore file that could not be read or parsed: the walk goes on without it.
        let (path, message) = describe(err);
        let path = path.unwrap_or_else(|| entry.path().to_path_buf());
        push_diagnostic(
            found,
            Diagnostic::warning("ignore-file", message, normalize(&path)),
        );
    }
    if entry.depth() == 0 {
        return;
    }
    let Some(file_type) = entry.file_type() else {
        return;
    };
    let path = entry.path();
    if file_type.is_file() {
        if (settings.accepts)(path)
            && included(settings.include.as_ref(), path, root)
            && config_allows(settings, path)
        {
            let mut found = lock(found);
            found.files.push(normalize(path));
        }
    } else if file_type.is_symlink() {
        // Not followed. A dangling link may name a build output, so it stays silent; a
        // link that cannot be resolved for another reason (a loop) is reported.
        if let Err(err) = fs::metadata(path)
            && err.kind() != io::ErrorKind::NotFound
        {
            push_diagnostic(found, io_error(path, io_message(&err)));
        }
    }
}

pub(crate) fn config_allows(settings: &Settings, path: &Path) -> bool {
    settings
        .config_filter
        .as_ref()
        .is_none_or(|filter| filter.allows(path))
}

/// Whether `path` passes `--include`: no include globs, or a glob matches the path
/// relative to the walked folder or one of the folders above it there.
pub(crate) fn included(include: Option<&GlobSet>, path: &Path, root: &Path) -> bool {
    let Some(include) = include else {
        return true;
    };
    relative(path, root)
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty())
        .any(|p| include.is_match(p))
}

/// `path` relative to `root`, without `.` components.
fn relative(path: &Path, root: &Path) -> PathBuf {
    normalize(path.strip_prefix(root).unwrap_or(path))
}

/// `path` without `.` components, so that `./a.json` and `a.json` are one file.
fn normalize(path: &Path) -> PathBuf {
    let normal: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if normal.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        normal
    }
}

/// Removes files that cannot be opened, with a diagnostic each, so that no frontend meets
/// an I/O error half-way through a template set. Opening is cheap next to reading.
fn drop_unreadable(found: &mut Discovered) {
    let checked: Vec<(PathBuf, Option<Diagnostic>)> = std::mem::take(&mut found.files)
        .into_par_iter()
        .map(|path| {
            let problem = fs::File::open(&path)
                .err()
                .map(|err| io_error(&path, io_message(&err)));
            (path, problem)
        })
        .collect();
    for (path, problem) in checked {
        match problem {
            Some(diagnostic) => found.diagnostics.push(diagnostic),
            None => found.files.push(path),
        }
    }
}

fn push_diagnostic(found: &Mutex<Discovered>, diagnostic: Diagnostic) {
    lock(found).diagnostics.push(diagnostic);
}

fn io_error(path: &Path, message: String) -> Diagnostic {
    Diagnostic::error("io-error", message, normalize(path))
}

fn walk_error(err: &ignore::Error, root: &Path) -> Diagnostic {
    let (path, message) = describe(err);
    io_error(path.as_deref().unwrap_or(root), message)
}

/// The path an `ignore` error is about, and what went wrong, in lower case.
fn describe(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), describe(err).1),
        ignore::Error::WithDepth { err, .. } => describe(err),
        ignore::Error::WithLineNumber { line, err } => {
            let (path, message) = describe(err);
            (path, format!("line {line}: {message}"))
        }
        ignore::Error::Loop { ancestor, child } => (
            Some(child.clone()),
            format!(
                "symbolic link loop: it leads back to `{}`",
                normalize(ancestor).display()
            ),
        ),
        ignore::Error::Io(err) => (None, io_message(err)),
        ignore::Error::Partial(errs) => {
            let parts: Vec<(Option<PathBuf>, String)> = errs.iter().map(describe).collect();
            let path = parts.iter().find_map(|(p, _)| p.clone());
            let messages: Vec<String> = parts.into_iter().map(|(_, m)| m).collect();
            (path, messages.join("; "))
        }
        other => (None, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_drops_current_dir_components() {
        assert_eq!(normalize(Path::new("./a/./b.json")), Path::new("a/b.json"));
        assert_eq!(normalize(Path::new(".")), Path::new("."));
    }

    #[test]
    fn include_matches_a_folder_above_the_file() {
        let mut set = globset::GlobSetBuilder::new();
        set.add(
            globset::GlobBuilder::new("**/infra")
                .literal_separator(true)
                .build()
                .unwrap(),
        );
        let set = set.build().unwrap();
        let root = Path::new("repo");
        assert!(included(Some(&set), Path::new("repo/infra/a/b.json"), root));
        assert!(!included(Some(&set), Path::new("repo/app/b.json"), root));
        assert!(included(None, Path::new("repo/app/b.json"), root));
    }
}
