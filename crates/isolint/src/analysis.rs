//! The one analysis pass of a run: the discovered files through the deployment graph
//! (`isolint_deploy`) into the model, every rule over it (strictly, so that values isolint
//! cannot settle are noted), findings moved out of module caches and kept to the files
//! named, and the suppressions collected. Each command then takes what it shows from the result:
//! `check` its selection of rules and, without `--strict`, none of the notes; `report`
//! everything.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_model::source::{MAX_FILE_SIZE, normalize};
use isolint_model::{Diagnostic, Model, PathKind, Project, Refusal, SourceMap, Span};
use isolint_rules::report::IsolationReport;
use isolint_rules::{Finding, Suppression};

use crate::context::{self, Context};
use crate::discover::Discovered;
use crate::files;
use crate::git::snapshot::RevisionTexts;
use crate::suppress;

/// What the pass produces.
pub(crate) struct Analyzed {
    /// Every file read.
    pub(crate) sources: SourceMap,
    /// The model of every resource.
    pub(crate) model: Model,
    /// The findings of every rule that runs (whatever `select` and `ignore` say), with the
    /// notes about unsettled values, before suppressions, in the engine's order.
    pub(crate) findings: Vec<Finding>,
    /// The suppressions found in the configuration and the files.
    pub(crate) suppressions: Vec<Suppression>,
    /// Discovery, frontend and suppression diagnostics, sorted.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Notes of discovery and of the frontends, in that order.
    pub(crate) notes: Vec<String>,
    /// How many files were read.
    pub(crate) files: usize,
}

/// Reads the discovered files as one deployment, runs every rule and collects the
/// suppressions. `options` are the run's rule options: their levels and required tags
/// apply; their selection and strictness are left to the command.
pub(crate) fn analyze(
    context: &Context<'_>,
    discovered: Discovered,
    options: &isolint_rules::Options,
) -> Analyzed {
    analyze_in(context, Tree::Disk, discovered, options)
}

/// Where a run's files are read from.
pub(crate) enum Tree {
    /// The disk: the work tree as it is.
    Disk,
    /// The files of a git revision (`diff`, `report --history`): nothing of the work tree is
    /// read but its module caches.
    Revision(RevisionTexts),
    /// The disk, with the texts an editor holds (`isolint server`'s open documents, by
    /// path): each wins over its file, and one not saved yet exists. Only those inside the
    /// project are offered: confinement holds for the others.
    Edited(Vec<(PathBuf, Arc<str>)>),
}

/// [`analyze`] reading the files of `tree`.
pub(crate) fn analyze_in(
    context: &Context<'_>,
    tree: Tree,
    discovered: Discovered,
    options: &isolint_rules::Options,
) -> Analyzed {
    let input = context.input;
    // The environment is read here, at the edge: the library takes it as arguments.
    let deploy_options = isolint_deploy::Options {
        parameter_files: input.parameter_files.clone(),
        var_files: input.var_files.clone(),
        vars: input.vars.clone(),
        include_compiled: input.include_compiled,
        bicep_cache: input.bicep_cache.clone(),
        home: std::env::home_dir(),
        tf_data_dir: std::env::var_os("TF_DATA_DIR"),
    };
    let root = context.project_root();
    // Where the callers of a file named alone are looked for: the tree that is read.
    let project_files = match &tree {
        Tree::Revision(texts) => texts.project_files(&root, &input.paths),
        Tree::Disk | Tree::Edited(_) => context.project_files(&root),
    };
    let sources = SourceMap::confined(project(&root, &discovered, &project_files, &deploy_options));
    let mut diagnostics = discovered.diagnostics;
    let named_files = discovered
        .files
        .iter()
        .chain(&input.parameter_files)
        .chain(&input.var_files);
    let sources = match tree {
        Tree::Disk => {
            preload_outside_root(named_files, &sources, &mut diagnostics);
            sources
        }
        Tree::Edited(texts) => {
            // Offered first: an open document outside the root is then read from the disk.
            offer_edited(texts, &sources);
            preload_outside_root(named_files, &sources, &mut diagnostics);
            sources
        }
        Tree::Revision(texts) => texts.serve(sources),
    };
    let request = isolint_deploy::Request {
        named: &input.paths,
        files: &discovered.files,
        project_files: &project_files,
        options: &deploy_options,
    };
    let deployment = isolint_deploy::analyze(&request, &sources);
    let focus = deployment.focus;
    let analysis = deployment.analysis;
    diagnostics.extend(analysis.diagnostics.into_iter().filter(|d| {
        focus.contains_path(&d.path) || d.span.is_some_and(|span| focus.contains(span))
    }));
    let mut notes = discovered.notes;
    notes.extend(analysis.notes);

    let model = Model::new(analysis.resources);
    let every_rule = isolint_rules::Options {
        select: Vec::new(),
        ignore: Vec::new(),
        strict: true,
        ..options.clone()
    };
    let mut findings = isolint_rules::check(&model, &every_rule);
    isolint_rules::relocate(&mut findings, &model, &sources);
    // A file named alone is judged with its callers: what is reported is what concerns it.
    findings.retain(|f| focus.contains(f.span) || f.labels.iter().any(|l| focus.contains(l.span)));

    let mut collected = suppress::Collected::default();
    if let Some(config) = &context.config {
        suppress::from_config(config, &sources, &mut collected);
    }
    suppress::from_templates(&sources, &mut collected);
    let declarations: Vec<Span> = model
        .graph()
        .resources()
        .iter()
        .flat_map(|r| r.origin.decls.iter().copied())
        .collect();
    suppress::from_line_comments(&sources, &declarations, &mut collected);
    diagnostics.append(&mut collected.diagnostics);
    // A file full of errors (minified garbage, a binary renamed `.bicep`) says so in its
    // first hundred diagnostics and one "and N more": output and memory stay bounded.
    isolint_model::diagnostic::cap_per_file(
        &mut diagnostics,
        isolint_model::diagnostic::MAX_PER_FILE,
    );
    context::sort_diagnostics(&mut diagnostics);

    Analyzed {
        sources,
        model,
        findings,
        suppressions: collected.suppressions,
        diagnostics,
        notes,
        files: discovered.files.len(),
    }
}

/// The project the run reads: its root, and the module caches it may read too (the Bicep
/// module caches the files use, an absolute `TF_DATA_DIR`).
fn project(
    root: &Path,
    discovered: &Discovered,
    project_files: &[PathBuf],
    options: &isolint_deploy::Options,
) -> Project {
    let mut project = Project::new(root);
    let files: Vec<PathBuf> = discovered
        .files
        .iter()
        .chain(project_files)
        .cloned()
        .collect();
    for cache in isolint_deploy::bicep_cache_roots(&files, root, options) {
        project = project.with_cache(cache);
    }
    if let Some(data_dir) = options.tf_data_dir.as_deref().map(Path::new)
        && data_dir.is_absolute()
    {
        project = project.with_cache(data_dir);
    }
    project
}

/// Offers an editor's texts to `sources`, those under the project root and outside its
/// module caches only: an open document elsewhere is read from the disk, or refused, as
/// `check` would, and a cache file stays hidden.
fn offer_edited(texts: Vec<(PathBuf, Arc<str>)>, sources: &SourceMap) {
    let Some(project) = sources.project() else {
        return;
    };
    for (path, text) in texts {
        let path = normalize(&path);
        let in_cache = project.caches.iter().any(|cache| path.starts_with(cache));
        if path.starts_with(&project.root) && !in_cache {
            sources.offer(&path, text);
        }
    }
}

/// Files named on the command line (and those found in the folders named, parameters and
/// variable files) may lie anywhere the user chose: those outside the project root are
/// read here (bounded) and handed to the map, so that they are read while everything they
/// reference stays confined.
fn preload_outside_root<'a>(
    files: impl Iterator<Item = &'a PathBuf>,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for file in files {
        if sources.kind(file) != PathKind::Refused(Refusal::OutsideRoot) {
            continue;
        }
        match files::read_text(file, MAX_FILE_SIZE) {
            Ok(text) => {
                sources.preload(file, text.into());
            }
            Err(message) => diagnostics.push(Diagnostic::error("io-error", message, file)),
        }
    }
}

impl Analyzed {
    /// The findings a command with these rule options shows: those of the rules it selects
    /// and, unless it is strict, none of the notes about unsettled values. The same as
    /// running only those rules, since a rule's findings never depend on the others and
    /// strictness only adds notes.
    pub(crate) fn selected(&self, options: &isolint_rules::Options) -> Vec<Finding> {
        self.findings
            .iter()
            .filter(|f| options.enables(f.rule) && (options.strict || !f.unresolved))
            .cloned()
            .collect()
    }

    /// The isolation report: every rule's findings, strictly, before suppressions (an
    /// exception hides a finding from `check`, not from the report).
    pub(crate) fn isolation_report(&self, options: &isolint_rules::Options) -> IsolationReport {
        isolint_rules::report::build(
            &self.model,
            &self.sources,
            &self.findings,
            &self.suppressions,
            options,
            context::today(),
        )
    }
}
