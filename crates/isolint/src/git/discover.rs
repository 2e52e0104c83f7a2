//! Discovery over a revision's tree: the files a walk of the work tree would have found at
//! that revision, with the same settings. A path named on the command line is looked up in
//! the tree; folders are "walked" through the listing: hidden entries are skipped, the
//! revision's own `.gitignore`, `.ignore` and `.isolintignore` files are honoured, and
//! `--include`, `--exclude` and the configuration's globs apply as they do on the disk.
//!
//! Ignore files outside the work tree (git's global excludes, `.git/info/exclude`) are not
//! read: a revision's files are the ones git tracks, which those rarely hide.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use isolint_model::Diagnostic;

use super::snapshot::{Reader, Tracked};
use crate::discover::{Discovered, IGNORE_FILE, Settings, config_allows, included};
use crate::files::absolute_lexical;

/// The ignore files a walk honours, the strongest first: isolint's own, then `.ignore`,
/// then `.gitignore` (the order of the `ignore` crate's walker).
pub(crate) const IGNORE_FILES: [&str; 3] = [IGNORE_FILE, ".ignore", ".gitignore"];

/// Whether `path` is one of the ignore files a walk honours.
pub(crate) fn is_ignore_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| IGNORE_FILES.contains(&name))
}

/// The ignore files of a revision, compiled, by folder and kind.
pub(crate) struct IgnoreRules {
    /// Per folder (absolute, in the work tree's spelling), one matcher per kind of
    /// [`IGNORE_FILES`], when that folder has one.
    by_folder: HashMap<PathBuf, [Option<Gitignore>; 3]>,
}

impl IgnoreRules {
    /// Compiles the ignore files of `listing`. A file that cannot be read or parsed is
    /// skipped with a warning, as the walker skips it.
    pub(crate) fn compile(
        listing: &[Tracked],
        reader: &mut Reader<'_>,
        work_tree: &Path,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut by_folder: HashMap<PathBuf, [Option<Gitignore>; 3]> = HashMap::new();
        for tracked in listing.iter().filter(|t| is_ignore_file(&t.path)) {
            let path = work_tree.join(&tracked.path);
            let Some(kind) = IGNORE_FILES
                .iter()
                .position(|name| tracked.path.file_name() == Some(name.as_ref()))
            else {
                continue;
            };
            let Some(folder) = path.parent() else {
                continue;
            };
            let Ok(text) = reader.text(tracked.blob) else {
                diagnostics.push(Diagnostic::warning(
                    "ignore-file",
                    "the ignore file cannot be read at this revision: it is not honoured",
                    &path,
                ));
                continue;
            };
            let mut builder = GitignoreBuilder::new(folder);
            for line in text.lines() {
                if let Err(error) = builder.add_line(Some(path.clone()), line) {
                    diagnostics.push(Diagnostic::warning(
                        "ignore-file",
                        format!("{error} (at this revision)"),
                        &path,
                    ));
                }
            }
            match builder.build() {
                Ok(matcher) => {
                    by_folder.entry(folder.to_path_buf()).or_default()[kind] = Some(matcher);
                }
                Err(error) => diagnostics.push(Diagnostic::warning(
                    "ignore-file",
                    format!("{error} (at this revision)"),
                    &path,
                )),
            }
        }
        Self { by_folder }
    }

    /// Whether the ignore files hide `path` (absolute, below the work tree): for each kind,
    /// the deepest folder whose file decides wins; a stronger kind decides first.
    fn ignores(&self, path: &Path) -> bool {
        for kind in 0..IGNORE_FILES.len() {
            for folder in path.ancestors().skip(1) {
                let Some(matcher) = self.by_folder.get(folder).and_then(|m| m[kind].as_ref())
                else {
                    continue;
                };
                let matched = matcher.matched_path_or_any_parents(path, false);
                if matched.is_ignore() {
                    return true;
                }
                if matched.is_whitelist() {
                    return false;
                }
            }
        }
        false
    }
}

/// The files a walk of `paths` would have found in `listing`, the files of the revision
/// `at`, laid out under `work_tree`.
pub(crate) fn discover(
    listing: &[Tracked],
    ignore_rules: &IgnoreRules,
    work_tree: &Path,
    paths: &[PathBuf],
    settings: &Settings,
    at: &str,
) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        let named = absolute_lexical(path);
        let Ok(relative) = named.strip_prefix(work_tree) else {
            found.diagnostics.push(Diagnostic::error(
                "io-error",
                format!("outside the repository `{}`", work_tree.display()),
                path,
            ));
            continue;
        };
        if let Some(file) = listing.iter().find(|t| t.path == relative) {
            named_file(listing, file, work_tree, path, settings, &mut found);
            continue;
        }
        let below: Vec<&Tracked> = listing
            .iter()
            .filter(|t| t.path.starts_with(relative))
            .collect();
        if below.is_empty() {
            found
                .notes
                .push(format!("`{}` does not exist at `{at}`", path.display()));
            continue;
        }
        for tracked in below {
            let inside = tracked.path.strip_prefix(relative).unwrap_or(&tracked.path);
            let file = work_tree.join(&tracked.path);
            let hidden = inside
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            let excluded = settings.exclude.as_ref().is_some_and(|exclude| {
                inside
                    .ancestors()
                    .take_while(|p| !p.as_os_str().is_empty())
                    .any(|p| exclude.is_match(p))
            });
            if hidden
                || excluded
                || !(settings.accepts)(&file)
                || !included(settings.include.as_ref(), &file, &named)
                || !config_allows(settings, &file)
                || (settings.honour_ignore_files && ignore_rules.ignores(&file))
            {
                continue;
            }
            found.files.push(file);
        }
    }
    found.files.sort_unstable();
    found.files.dedup();
    found
}

/// A file named on the command line that the revision holds: checked when a frontend reads
/// it, even if hidden, ignored or excluded; a variable file stands for its folder.
fn named_file(
    listing: &[Tracked],
    file: &Tracked,
    work_tree: &Path,
    named: &Path,
    settings: &Settings,
    found: &mut Discovered,
) {
    let path = work_tree.join(&file.path);
    if !config_allows(settings, &path) {
        found.skipped_on_purpose += 1;
        return;
    }
    if let Some(configured) = (settings.configured_by)(&path) {
        let folder = file.path.parent().unwrap_or(Path::new(""));
        let module: Vec<PathBuf> = listing
            .iter()
            .filter(|t| t.path.parent() == Some(folder))
            .map(|t| work_tree.join(&t.path))
            .filter(|f| (configured.member)(f) && config_allows(settings, f))
            .collect();
        if module.is_empty() {
            found.skipped_on_purpose += 1;
        }
        found.files.extend(module);
    } else if (settings.accepts)(&path) {
        found.files.push(path);
    } else {
        found.notes.push(format!(
            "skipped `{}`: not a file of a format isolint reads ({})",
            named.display(),
            settings.formats
        ));
    }
}
