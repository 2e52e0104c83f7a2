//! Files named on the command line, judged in their deployment context: the callers found
//! among the project's files, and the [`Focus`] of the run (the files named and what they
//! deploy, not the callers).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_model::source::normalize;
use isolint_model::{PathKind, SourceMap};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::{Focus, Graph, Request};

/// How many rounds of callers of callers are looked for.
const MAX_ROUNDS: usize = 8;

/// The files named on the command line.
#[derive(Debug, Default)]
pub(crate) struct Named {
    /// The files, normalized.
    pub(crate) files: Vec<PathBuf>,
    /// What the graph calls them: template files, and the folder of each Terraform file.
    pub(crate) units: FxHashSet<PathBuf>,
}

impl Named {
    /// Whether no file was named (folders only).
    pub(crate) fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// The files among the paths named (not folders).
pub(crate) fn named_files(request: &Request<'_>, sources: &SourceMap) -> Named {
    let mut named = Named::default();
    for path in request.named {
        if sources.kind(path) != PathKind::File {
            continue;
        }
        let path = normalize(path);
        if isolint_terraform::accepts(&path) {
            if let Some(dir) = path.parent() {
                named.units.insert(dir.to_path_buf());
            }
        } else {
            named.units.insert(path.clone());
        }
        named.files.push(path);
    }
    named
}

/// Callers of the files named, found in the project.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Templates that may deploy a named template (or a caller of one).
    pub(crate) templates: Vec<PathBuf>,
    /// Terraform folders that may call the folder of a named file (or a caller of one).
    pub(crate) folders: Vec<PathBuf>,
}

/// The project files that mention a named file: its name, for a template; its folder's
/// name at the end of a `source`, for a Terraform file; then those that mention them, a
/// few rounds up. A cheap text search: the graph decides which really call it.
pub(crate) fn callers(
    project_files: &[PathBuf],
    named: &Named,
    graph: &Graph,
    sources: &SourceMap,
) -> Found {
    let mut known: FxHashSet<PathBuf> = graph.templates.paths().map(Path::to_path_buf).collect();
    let known_folders: FxHashSet<PathBuf> =
        graph.terraform.folders().map(Path::to_path_buf).collect();
    let mut template_needles: Vec<String> = Vec::new();
    let mut folder_needles: Vec<String> = Vec::new();
    for file in &named.files {
        add_needles(file, &mut template_needles, &mut folder_needles);
    }
    let mut found = Found::default();
    let mut found_folders: FxHashSet<PathBuf> = FxHashSet::default();
    // Each file is looked at once, whatever the rounds.
    let mut texts: FxHashMap<PathBuf, Option<Arc<str>>> = FxHashMap::default();
    for _ in 0..MAX_ROUNDS {
        let mut next_templates = Vec::new();
        let mut next_folders = Vec::new();
        for file in project_files {
            let file = normalize(file);
            let terraform = isolint_terraform::accepts(&file);
            let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
            if known.contains(&file)
                || (terraform
                    && (known_folders.contains(&folder) || found_folders.contains(&folder)))
            {
                continue;
            }
            let needles = if terraform {
                &folder_needles
            } else {
                &template_needles
            };
            if needles.is_empty() || isolint_bicep::is_parameters_file(&file) {
                continue;
            }
            let text = texts
                .entry(file.clone())
                .or_insert_with(|| sources.peek(&file).ok());
            let Some(text) = text else {
                continue;
            };
            if !needles.iter().any(|needle| text.contains(needle.as_str())) {
                continue;
            }
            if terraform {
                found_folders.insert(folder.clone());
                next_folders.push(folder);
            } else {
                known.insert(file.clone());
                next_templates.push(file);
            }
        }
        if next_templates.is_empty() && next_folders.is_empty() {
            break;
        }
        template_needles.clear();
        folder_needles.clear();
        for file in &next_templates {
            add_needles(file, &mut template_needles, &mut folder_needles);
        }
        for folder in &next_folders {
            add_folder_needles(folder, &mut folder_needles);
        }
        found.templates.extend(next_templates);
        found.folders.extend(next_folders);
    }
    found
}

/// What a caller of `file` writes: its file name (a Bicep module path, a
/// `relativePath`), or, for a Terraform file, its folder at the end of a `source`.
fn add_needles(file: &Path, templates: &mut Vec<String>, folders: &mut Vec<String>) {
    if isolint_terraform::accepts(file) {
        if let Some(folder) = file.parent() {
            add_folder_needles(folder, folders);
        }
    } else if let Some(name) = file.file_name() {
        templates.push(name.to_string_lossy().into_owned());
    }
}

fn add_folder_needles(folder: &Path, needles: &mut Vec<String>) {
    if let Some(name) = folder.file_name() {
        let name = name.to_string_lossy();
        needles.push(format!("/{name}\""));
        needles.push(format!("/{name}/\""));
    }
}

/// The files a run is about: everything when only folders were named; else the files of
/// the run and, following the calls written in them, what they deploy.
pub(crate) fn focus(
    request: &Request<'_>,
    named: &Named,
    graph: &Graph,
    sources: &SourceMap,
) -> Focus {
    if named.is_empty() {
        return Focus::everything();
    }
    let mut paths: FxHashSet<PathBuf> = request.files.iter().map(|f| normalize(f)).collect();
    let mut folders: FxHashSet<PathBuf> = FxHashSet::default();
    let template_edges: Vec<_> = graph
        .templates
        .edges()
        .map(|(at, target)| (at, target.to_path_buf()))
        .collect();
    let folder_edges = graph.terraform.edges();
    loop {
        let ids: FxHashSet<_> = ids_of(&paths, &folders, sources);
        let before = paths.len() + folders.len();
        for (at, target) in &template_edges {
            if ids.contains(&at.file) {
                paths.insert(target.clone());
            }
        }
        for (at, dir) in &folder_edges {
            if ids.contains(&at.file) {
                folders.insert(dir.clone());
            }
        }
        if paths.len() + folders.len() == before {
            let files = ids_of(&paths, &folders, sources);
            let mut all_paths: FxHashSet<PathBuf> = paths;
            all_paths.extend(
                sources
                    .files()
                    .iter()
                    .filter(|f| files.contains(&f.id))
                    .map(|f| f.path.clone()),
            );
            return Focus {
                files: Some(files),
                paths: all_paths,
            };
        }
    }
}

/// The ids of the files read among `paths` and in `folders`.
fn ids_of(
    paths: &FxHashSet<PathBuf>,
    folders: &FxHashSet<PathBuf>,
    sources: &SourceMap,
) -> FxHashSet<isolint_model::FileId> {
    sources
        .files()
        .iter()
        .filter(|file| {
            paths.contains(&file.path)
                || file
                    .path
                    .parent()
                    .is_some_and(|parent| folders.contains(parent))
        })
        .map(|file| file.id)
        .collect()
}
