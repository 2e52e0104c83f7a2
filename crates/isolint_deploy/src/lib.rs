//! The deployment graph: the one function, [`analyze`], that turns the paths of a run into
//! a deployment. The CLI, the tests, the benchmarks and the fuzz targets call it; the
//! frontends only read and evaluate what it hands them.
//!
//! 1. **Classify** each file: by extension, and JSON by content ([`classify`]): an ARM
//!    template, ARM deployment parameters, a Terraform plan, an export of deployed
//!    resources, or something else (skipped). `.tf` files group by folder, one folder one
//!    Terraform module.
//! 2. **Read units** and **resolve every module reference** once, through the resolvers
//!    and the [`SourceMap`]: local paths under confinement; Bicep `br:`/`ts:` modules from
//!    the module cache ([`bicepconfig`], [`bicep_registry`]); Terraform registry and git
//!    modules from `.terraform/modules/modules.json` ([`terraform_manifest`]). A module
//!    that cannot be read is a coverage gap ([`isolint_model::coverage::Gap`]) at the call.
//! 3. **Roots across formats**: a unit that another unit of the graph calls is never a
//!    root, whatever the formats; units reached only from a cycle are evaluated once.
//! 4. **Parameters**: `--parameters` files for every root they fit, else the files found
//!    by convention (`<name>.parameters.json`, a `.bicepparam` naming the template,
//!    tfvars).
//! 5. **Evaluate** each root through its frontend, over one library of templates keyed by
//!    path whatever their format, and gather one [`Analysis`].
//! 6. **Context**: a file named on the command line is judged through the project files
//!    that call it ([`Request::project_files`]); [`Focus`] says which findings concern the
//!    files named.
//!
//! Nothing is downloaded and nothing is run: the resolvers only read what `bicep restore`
//! and `terraform init` left on disk. Every file is read once.

pub mod bicep_registry;
pub mod bicepconfig;
mod classify;
mod context;
mod files;
mod gaps;
mod hidden;
mod roots;
mod templates;
mod terraform;
pub mod terraform_manifest;
mod unresolved;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use isolint_model::source::normalize;
use isolint_model::{Analysis, FileId, Project, SourceMap, Span};
use rustc_hash::FxHashSet;

pub use classify::{Classified, Input, classify};
pub use unresolved::{Unresolved, UnresolvedCause};

/// How to read a deployment: from the command line and the configuration. The
/// environment (`HOME`, `TF_DATA_DIR`) is read by the caller and passed here.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--parameters FILE`: ARM deployment parameters or `.bicepparam` files, for every
    /// ARM or Bicep root they fit (a root that declares one of their parameters).
    pub parameter_files: Vec<PathBuf>,
    /// `--var-file FILE`: Terraform variable files, applied to every root module after
    /// those found by convention.
    pub var_files: Vec<PathBuf>,
    /// `--var NAME=VALUE`: Terraform variables, applied last.
    pub vars: Vec<(String, String)>,
    /// Read JSON compiled from a `.bicep` file of the same folder too (by default the
    /// source is read and the compiled copy skipped).
    pub include_compiled: bool,
    /// `--bicep-cache DIR`: the Bicep module cache, over `cacheRootDirectory` and
    /// `~/.bicep`.
    pub bicep_cache: Option<PathBuf>,
    /// The home directory, for `~` in `cacheRootDirectory` and the default `~/.bicep`.
    pub home: Option<PathBuf>,
    /// `TF_DATA_DIR`: Terraform's data folder, relative to each root module (or absolute).
    pub tf_data_dir: Option<OsString>,
}

/// What to analyze.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The paths named on the command line, as named. A file among them is judged in its
    /// deployment context (the files of its Terraform module, the templates that call
    /// it), and only findings about it are in [`Deployment::focus`]; a folder's files are
    /// all in focus.
    pub named: &'a [PathBuf],
    /// The files to check: those named, and those discovered in the folders named.
    pub files: &'a [PathBuf],
    /// The infrastructure files of the whole project, searched for the callers of the
    /// files named (a pre-commit hook names only the changed files). Empty: no search.
    pub project_files: &'a [PathBuf],
    /// How to read them.
    pub options: &'a Options,
}

/// What [`analyze`] gives.
#[derive(Debug, Default)]
pub struct Deployment {
    /// Every resource of every root (coverage gaps included, as resources of type
    /// [`isolint_model::types::UNREAD_MODULE`]), every diagnostic (none located in a
    /// module-cache file), and the notes for the summary.
    pub analysis: Analysis,
    /// Which files the run is about.
    pub focus: Focus,
    /// How many roots were evaluated (templates, Terraform root modules, plans, exports).
    pub roots: usize,
}

/// The files whose findings a run reports: all of them, or, when files were named, those
/// files and what they deploy (not the callers read for context).
#[derive(Clone, Debug, Default)]
pub struct Focus {
    files: Option<FxHashSet<FileId>>,
    paths: FxHashSet<PathBuf>,
}

impl Focus {
    /// Every file is in focus.
    pub fn everything() -> Self {
        Self::default()
    }

    /// Whether every file is in focus.
    pub fn is_everything(&self) -> bool {
        self.files.is_none()
    }

    /// Whether a finding or diagnostic located at `span` concerns the run.
    pub fn contains(&self, span: Span) -> bool {
        self.files
            .as_ref()
            .is_none_or(|files| files.contains(&span.file))
    }

    /// Whether a diagnostic about the file at `path` concerns the run.
    pub fn contains_path(&self, path: &Path) -> bool {
        self.files.is_none() || self.paths.contains(&normalize(path))
    }
}

/// Reads, resolves and evaluates the deployment made of `request`'s files, through
/// `sources` (normally confined to the project: see [`Project`]). Problems are diagnostics
/// and coverage gaps; nothing stops the other files.
pub fn analyze(request: &Request<'_>, sources: &SourceMap) -> Deployment {
    let project_root = project_root(request, sources);
    let classified = classify(request.files, sources, request.options.include_compiled);
    let named = context::named_files(request, sources);
    let env = templates::Env {
        sources,
        options: request.options,
        project_root: &project_root,
    };
    let mut graph = Graph {
        templates: templates::Templates::default(),
        terraform: terraform::Terraform::default(),
        analysis: Analysis::default(),
        roots: 0,
    };
    graph.analysis.notes.extend(classified.notes);
    graph.analysis.diagnostics.extend(classified.diagnostics);
    graph.read_requested(classified.inputs, &named, &env);
    if !named.is_empty() {
        let found = context::callers(request.project_files, &named, &graph, sources);
        graph.read_context(&found, &env);
    }
    graph.evaluate(&named, &env);
    let focus = context::focus(request, &named, &graph, sources);
    let mut calls = graph.templates.hidden_calls();
    calls.extend(graph.terraform.hidden_calls());
    let Graph {
        mut analysis,
        roots,
        ..
    } = graph;
    hidden::relocate(&mut analysis.diagnostics, &calls, sources);
    Deployment {
        analysis,
        focus,
        roots,
    }
}

/// The [`Analysis`] of `files` read as one deployment, none of them named alone (as the
/// files found in folders are): for tests, benchmarks and tools that do not need the
/// focus.
pub fn analyze_files(files: &[PathBuf], sources: &SourceMap, options: &Options) -> Analysis {
    let request = Request {
        named: &[],
        files,
        project_files: &[],
        options,
    };
    analyze(&request, sources).analysis
}

/// The project root: the one `sources` is confined to, else the one holding the first
/// path named.
fn project_root(request: &Request<'_>, sources: &SourceMap) -> PathBuf {
    if let Some(project) = sources.project() {
        return project.root.clone();
    }
    let first = request
        .named
        .first()
        .or(request.files.first())
        .map_or_else(|| PathBuf::from("."), Clone::clone);
    Project::discover(&first).root
}

/// The Bicep module caches a run reads from: `--bicep-cache`, else the
/// `cacheRootDirectory` of the nearest `bicepconfig.json` of each Bicep file of `files`,
/// else `~/.bicep`. The caller makes them [`Project::caches`], so that their files are
/// readable (and never printed). Configuration files are read through a map confined to
/// `project_root`, and problems with them are left for [`analyze`] to report.
pub fn bicep_cache_roots(
    files: &[PathBuf],
    project_root: &Path,
    options: &Options,
) -> Vec<PathBuf> {
    if let Some(cache) = &options.bicep_cache {
        return vec![normalize(cache)];
    }
    let sources = SourceMap::confined(Project::new(project_root));
    let load = bicepconfig::LoadOptions {
        project_root,
        home: options.home.as_deref(),
        cache_override: None,
    };
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut folders: FxHashSet<PathBuf> = FxHashSet::default();
    for file in files.iter().filter(|f| classify::is_bicep_family(f)) {
        let folder = normalize(file)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        if !folders.insert(folder) {
            continue;
        }
        let config = bicepconfig::for_file(file, &load, &sources, &mut Vec::new());
        if let Some(root) = config.cache_root
            && !roots.contains(&root)
        {
            roots.push(root);
        }
    }
    if roots.is_empty()
        && let Some(home) = &options.home
    {
        roots.push(normalize(&home.join(".bicep")));
    }
    roots
}

/// Everything read so far, by format.
pub(crate) struct Graph {
    pub(crate) templates: templates::Templates,
    pub(crate) terraform: terraform::Terraform,
    pub(crate) analysis: Analysis,
    pub(crate) roots: usize,
}

impl Graph {
    /// Reads the files of the request, each once, and everything they call.
    fn read_requested(
        &mut self,
        inputs: Vec<Input>,
        named: &context::Named,
        env: &templates::Env<'_>,
    ) {
        let mut plans_and_exports = Vec::new();
        for input in inputs {
            match input {
                Input::Bicep(path) | Input::BicepParameters(path) => {
                    self.templates.request(path, true);
                }
                Input::Template(path, template) => self.templates.add_template(path, *template),
                Input::ArmParameters(path, values) => self.templates.add_parameters(path, values),
                Input::Terraform(dir, files) => {
                    // A file named alone is judged with its module: the whole folder.
                    let whole = files.iter().any(|f| named.files.contains(f));
                    self.terraform.request(dir, files, whole, true);
                }
                Input::Plan(..) | Input::Export(..) => plans_and_exports.push(input),
            }
        }
        let diagnostics = self.templates.read_all(env);
        self.analysis.diagnostics.extend(diagnostics);
        let diagnostics = self.terraform.read_all(env);
        self.analysis.diagnostics.extend(diagnostics);
        self.read_plans_and_exports(plans_and_exports);
    }

    /// Reads the callers found for the files named, as context.
    fn read_context(&mut self, found: &context::Found, env: &templates::Env<'_>) {
        for path in &found.templates {
            self.templates.request(path.clone(), false);
        }
        for dir in &found.folders {
            self.terraform.request(dir.clone(), Vec::new(), true, false);
        }
        let diagnostics = self.templates.read_all(env);
        self.analysis.diagnostics.extend(diagnostics);
        let diagnostics = self.terraform.read_all(env);
        self.analysis.diagnostics.extend(diagnostics);
    }

    /// Plans are read one by one; exports together, as one estate (links resolve across
    /// export files).
    fn read_plans_and_exports(&mut self, inputs: Vec<Input>) {
        let mut estate = isolint_inventory::Estate::new();
        let mut exports = 0;
        for input in inputs {
            match input {
                Input::Plan(plan) => {
                    self.analysis.extend(plan);
                    self.roots += 1;
                }
                Input::Export(export) => {
                    estate.absorb(export);
                    exports += 1;
                }
                _ => {}
            }
        }
        if exports > 0 {
            self.analysis.extend(estate.finish());
            self.roots += exports;
        }
    }

    /// Evaluates every root and turns the coverage gaps into resources.
    fn evaluate(&mut self, named: &context::Named, env: &templates::Env<'_>) {
        let reaches_named = |reached: &[PathBuf]| reached.iter().any(|p| named.units.contains(p));
        let (analysis, roots) = self.templates.evaluate(env, &reaches_named);
        self.analysis.extend(analysis);
        self.roots += roots;
        let (analysis, roots) = self.terraform.evaluate(env, &reaches_named);
        self.analysis.extend(analysis);
        self.roots += roots;
        let gaps = self
            .templates
            .take_gaps()
            .into_iter()
            .chain(self.terraform.take_gaps());
        gaps::add_resources(gaps, &mut self.analysis);
    }
}
