//! Terraform: module folders, the local modules they call, the registry and git modules
//! `terraform init` installed for each root module (`.terraform/modules/modules.json`),
//! which folders are root modules, and their evaluation.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use isolint_model::coverage::{Gap, Remedy};
use isolint_model::source::{display_name, normalize};
use isolint_model::{Analysis, Diagnostic, PathKind, Refusal, Syntax};
use isolint_terraform::{ModuleCall, Modules};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::gaps::Call;
use crate::hidden::HiddenCall;
use crate::roots::{self, Scan};
use crate::templates::Env;
use crate::terraform_manifest::{self, ModuleManifest};

/// How deep module calls are followed (the evaluator's own limit).
const MAX_DEPTH: usize = 16;
/// How many module calls one root's walk visits, all levels together: calls that each
/// reach two others would otherwise stand for 2^16.
const MAX_VISITS: usize = 5_000;

/// A folder read.
#[derive(Debug, Default)]
struct Folder {
    scan: Option<Scan>,
    calls: Vec<ModuleCall>,
    /// Read from a module cache (`.terraform/modules`).
    hidden: bool,
}

/// Why a called folder is not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unreadable {
    Missing,
    NotAFolder,
    Empty,
    Refused(Refusal),
}

/// The Terraform modules of a run.
#[derive(Default)]
pub(crate) struct Terraform {
    modules: Modules,
    folders: BTreeMap<PathBuf, Folder>,
    /// Folders to read: the files of the run in them, or every file (`None`).
    pending: Vec<(PathBuf, Option<Vec<PathBuf>>)>,
    queued: FxHashSet<PathBuf>,
    unreadable: FxHashMap<PathBuf, Unreadable>,
    gaps: Vec<Gap>,
    hidden_calls: Vec<HiddenCall>,
}

impl Terraform {
    /// Queues a folder: with the files of the run in it, or, for a file named alone or a
    /// caller, with all its files.
    pub(crate) fn request(
        &mut self,
        dir: PathBuf,
        files: Vec<PathBuf>,
        whole: bool,
        requested: bool,
    ) {
        Scan::record(
            &mut self.folders.entry(dir.clone()).or_default().scan,
            requested,
        );
        if self.queued.insert(dir.clone()) {
            self.pending.push((dir, (!whole).then_some(files)));
        }
    }

    /// Reads every folder queued and the local modules they call, each once.
    pub(crate) fn read_all(&mut self, env: &Env<'_>) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        while let Some((dir, files)) = self.pending.pop() {
            let files = match files {
                Some(files) => files,
                None => match isolint_terraform::folder_files(&dir, env.sources) {
                    Ok(files) => files,
                    Err(refusal) => {
                        self.modules.refuse(&dir, refusal);
                        self.unreadable.insert(dir, Unreadable::Refused(refusal));
                        continue;
                    }
                },
            };
            diagnostics.extend(self.modules.read(&dir, &files, env.sources));
            let calls = self.modules.calls(&dir);
            let hidden = files
                .iter()
                .any(|file| env.sources.find(file).is_some_and(|f| f.hidden));
            for call in &calls {
                if let Some(source) = local_source(call) {
                    self.follow(&normalize(&dir.join(source)), env);
                }
            }
            let folder = self.folders.entry(dir).or_default();
            folder.calls = calls;
            folder.hidden = hidden;
        }
        diagnostics
    }

    /// Queues the folder a local call names, unless it cannot be read (then why is kept).
    fn follow(&mut self, dir: &Path, env: &Env<'_>) {
        if self.queued.contains(dir) || self.unreadable.contains_key(dir) {
            return;
        }
        let why = match env.sources.kind(dir) {
            PathKind::Folder => match isolint_terraform::folder_files(dir, env.sources) {
                Ok(files) if files.is_empty() => Unreadable::Empty,
                Ok(files) => {
                    self.queued.insert(dir.to_path_buf());
                    self.pending.push((dir.to_path_buf(), Some(files)));
                    return;
                }
                Err(refusal) => Unreadable::Refused(refusal),
            },
            PathKind::Missing => Unreadable::Missing,
            PathKind::File => Unreadable::NotAFolder,
            PathKind::Refused(refusal) => Unreadable::Refused(refusal),
        };
        if let Unreadable::Refused(refusal) = why {
            self.modules.refuse(dir, refusal);
        }
        self.unreadable.insert(dir.to_path_buf(), why);
    }

    /// Evaluates every root module: the folders of the run that no folder read calls (and
    /// those reached only from a cycle), keeping a caller read for context only when
    /// `reaches_named` says it reaches a file named. Each root's installed modules are
    /// looked up in its manifest first.
    pub(crate) fn evaluate(
        &mut self,
        env: &Env<'_>,
        reaches_named: &dyn Fn(&[PathBuf]) -> bool,
    ) -> (Analysis, usize) {
        let mut analysis = Analysis::default();
        let roots = self.roots(reaches_named);
        if roots.is_empty() {
            return (analysis, 0);
        }
        for file in &env.options.var_files {
            match env.sources.kind(file) {
                PathKind::File => {}
                PathKind::Refused(refusal) => analysis.diagnostics.push(refusal.diagnostic(file)),
                PathKind::Folder | PathKind::Missing => {
                    analysis.diagnostics.push(Diagnostic::error(
                        "io-error",
                        "cannot read the variable file: it does not exist or is not a file",
                        file,
                    ));
                }
            }
        }
        let command_line = isolint_terraform::command_line_inputs(&env.options.vars, env.sources);
        let mut installed_by_root = Vec::new();
        for root in &roots {
            let installed = self.walk(root, env, &mut analysis.diagnostics);
            installed_by_root.push(installed);
        }
        analysis.diagnostics.extend(self.read_all(env));
        analysis.templates = self.folders.len();
        for (root, installed) in roots.iter().zip(&installed_by_root) {
            let inputs = isolint_terraform::root_inputs(
                root,
                &env.options.var_files,
                &command_line,
                env.sources,
                &mut analysis.diagnostics,
            );
            analysis.extend(self.modules.evaluate(root, inputs, installed, env.sources));
        }
        (analysis, roots.len())
    }

    /// The folders to evaluate as root modules, in path order, cycles last.
    fn roots(&self, reaches_named: &dyn Fn(&[PathBuf]) -> bool) -> Vec<PathBuf> {
        let called: FxHashSet<PathBuf> = self
            .folders
            .iter()
            .flat_map(|(dir, folder)| {
                folder
                    .calls
                    .iter()
                    .filter_map(local_source)
                    .map(move |source| normalize(&dir.join(source)))
            })
            .collect();
        let scanned: Vec<(&PathBuf, Scan)> = self
            .folders
            .iter()
            .filter(|(dir, _)| self.modules.holds_declarations(dir))
            .filter_map(|(dir, folder)| Some((dir, folder.scan?)))
            .collect();
        let callees = |dir: &Path| {
            self.folders.get(dir).map(|folder| {
                folder
                    .calls
                    .iter()
                    .filter_map(local_source)
                    .map(|source| normalize(&dir.join(source)))
                    .collect()
            })
        };
        roots::choose(
            &scanned,
            &|dir| called.contains(dir),
            &callees,
            reaches_named,
        )
    }

    /// Walks the module calls of root module `root`: reads the installed modules its
    /// manifest records, and records a gap for each call that cannot be followed. Returns
    /// the folder of each installed module, by manifest key.
    fn walk(
        &mut self,
        root: &Path,
        env: &Env<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> FxHashMap<String, PathBuf> {
        let mut installed = FxHashMap::default();
        let mut manifest: Option<ModuleManifest> = None;
        let mut visits = 0;
        let mut stack = vec![Visit {
            dir: root.to_path_buf(),
            keys: Vec::new(),
            outer: None,
            ancestors: vec![root.to_path_buf()],
        }];
        while let Some(Visit {
            dir,
            keys,
            outer,
            ancestors,
        }) = stack.pop()
        {
            if keys.len() >= MAX_DEPTH {
                continue;
            }
            let Some(folder) = self.folders.get(&dir) else {
                continue;
            };
            let hidden = folder.hidden;
            let calls = folder.calls.clone();
            for call in calls {
                visits += 1;
                if visits > MAX_VISITS {
                    return installed;
                }
                let Some(source) = call.source.clone() else {
                    continue;
                };
                let here = Call {
                    reference: source.clone(),
                    at: call.at,
                    declaration: call.declaration,
                    syntax: Syntax::Terraform,
                };
                let reported = match (&outer, hidden) {
                    (Some(outer), true) => outer.clone(),
                    _ => here.clone(),
                };
                let mut key = keys.clone();
                key.push(call.name.clone());
                let target = if isolint_terraform::is_local_source(&source) {
                    let target = normalize(&dir.join(&source));
                    if let Some(why) = self.unreadable.get(&target) {
                        self.gaps.push(unreadable_gap(*why, &reported));
                        continue;
                    }
                    target
                } else {
                    let manifest = manifest.get_or_insert_with(|| {
                        let loaded = ModuleManifest::load(
                            root,
                            env.project_root,
                            env.options.tf_data_dir.as_deref(),
                            env.sources,
                            diagnostics,
                        );
                        if let Some(modules) = loaded.path().parent() {
                            env.sources.hide(modules);
                        }
                        loaded
                    });
                    let wanted = terraform_manifest::ModuleCall {
                        source: &source,
                        version: call.version.as_deref(),
                    };
                    match manifest.resolve(&terraform_manifest::module_key(&key), &wanted) {
                        Ok(record) => {
                            let dir = record.dir.clone();
                            installed.insert(terraform_manifest::module_key(&key), dir.clone());
                            self.follow(&dir, env);
                            diagnostics.extend(self.read_all(env));
                            if let Some(why) = self.unreadable.get(&dir) {
                                self.gaps.push(unreadable_gap(*why, &reported));
                                continue;
                            }
                            dir
                        }
                        Err(unresolved) => {
                            self.gaps
                                .push(reported.unresolved(&unresolved, display_name(root)));
                            continue;
                        }
                    }
                };
                if ancestors.contains(&target) {
                    continue;
                }
                let target_hidden = self.folders.get(&target).is_some_and(|f| f.hidden);
                if target_hidden && !hidden {
                    self.hidden_calls.push(HiddenCall {
                        path: target.clone(),
                        call: here.clone(),
                    });
                }
                let outer = if hidden || target_hidden {
                    Some(reported)
                } else {
                    None
                };
                let mut ancestors = ancestors.clone();
                ancestors.push(target.clone());
                stack.push(Visit {
                    dir: target,
                    keys: key,
                    outer,
                    ancestors,
                });
            }
        }
        installed
    }

    /// Every local module call, as (where it is written, the folder it names): what a
    /// focus follows.
    pub(crate) fn edges(&self) -> Vec<(isolint_model::Span, PathBuf)> {
        self.folders
            .iter()
            .flat_map(|(dir, folder)| {
                folder.calls.iter().filter_map(move |call| {
                    let source = local_source(call)?;
                    Some((call.at, normalize(&dir.join(source))))
                })
            })
            .collect()
    }

    /// Every folder read.
    pub(crate) fn folders(&self) -> impl Iterator<Item = &Path> {
        self.folders.keys().map(PathBuf::as_path)
    }

    /// The calls in files of the user's that reach each installed module's folder.
    pub(crate) fn hidden_calls(&self) -> Vec<HiddenCall> {
        self.hidden_calls.clone()
    }

    /// The coverage gaps found by the walks.
    pub(crate) fn take_gaps(&mut self) -> Vec<Gap> {
        std::mem::take(&mut self.gaps)
    }
}

/// A folder to visit in a root's walk of module calls.
struct Visit {
    dir: PathBuf,
    /// The names of the calls that lead there: its manifest key.
    keys: Vec<String>,
    /// The call in a file of the user's that leads there, once inside a cache.
    outer: Option<Call>,
    /// The folders above it, itself last.
    ancestors: Vec<PathBuf>,
}

/// The `source` of a call when it is a local path.
fn local_source(call: &ModuleCall) -> Option<&str> {
    call.source
        .as_deref()
        .filter(|source| isolint_terraform::is_local_source(source))
}

/// The gap of a call to a folder that cannot be read.
fn unreadable_gap(why: Unreadable, call: &Call) -> Gap {
    let reference = &call.reference;
    let (reason, remedy) = match why {
        Unreadable::Missing => (
            format!("module `{reference}` does not exist"),
            Remedy::LocalPath,
        ),
        Unreadable::NotAFolder => (
            format!("module `{reference}` is a file; a module is a folder"),
            Remedy::LocalPath,
        ),
        Unreadable::Empty => (
            format!("module `{reference}` holds no Terraform files"),
            Remedy::LocalPath,
        ),
        Unreadable::Refused(Refusal::OutsideRoot) => (
            format!("module `{reference}` lies outside the project root: not followed"),
            Remedy::OutsideRoot,
        ),
        Unreadable::Refused(Refusal::NotRegularFile) => (
            format!("module `{reference}` is not a regular folder: not read"),
            Remedy::LocalPath,
        ),
    };
    let fix = match remedy {
        Remedy::OutsideRoot => {
            "keep the module inside the project, or pass `--root DIR` naming a folder that holds both"
        }
        _ => "fix the `source` path",
    };
    call.gap(reason, fix.to_owned(), remedy, String::new())
}
