//! ARM and Bicep: the templates of a deployment (`.bicep` and ARM JSON alike), the modules
//! and linked templates they deploy (local files, restored registry modules), the
//! `.bicepparam` and parameters files that give them values, which of them are roots, and
//! their evaluation over one library.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_arm::template::{NestedTemplate, Remote, RemoteKind, Template};
use isolint_arm::{Document, Library};
use isolint_bicep::ParametersFile;
use isolint_model::coverage::{Gap, Remedy};
use isolint_model::source::{display_name, normalize};
use isolint_model::{Analysis, Diagnostic, Node, PathKind, Refusal, SourceMap, Span, Syntax};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::Options;
use crate::bicep_registry::{self, Resolved, TemplateLayout};
use crate::bicepconfig::{self, BicepConfig, LoadOptions};
use crate::gaps::Call;
use crate::hidden::HiddenCall;
use crate::roots::{self, Scan};

/// Parameter values, by name, each named as given by its file.
type Values = Vec<(Arc<str>, Node)>;

/// How a file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A `.bicep` template.
    Bicep,
    /// ARM JSON, the template at this place in the document.
    Json(TemplateLayout),
    /// A `.bicepparam` file.
    BicepParameters,
}

/// A template, or a `.bicepparam` file, read.
#[derive(Debug, Default)]
struct Unit {
    /// Why it was read, when it is a file of the run (else it is a module).
    scan: Option<Scan>,
    /// The calls it makes: modules it deploys, and the template a `.bicepparam` names.
    edges: Vec<Edge>,
    /// Modules it names that are never read (registry modules missing from the cache,
    /// links by URI).
    gaps: Vec<Gap>,
    /// Read from a module cache.
    hidden: bool,
}

/// A call from one unit to another file.
#[derive(Clone, Debug)]
struct Edge {
    target: PathBuf,
    call: Call,
    /// A module call (it makes the target a module); `false` for a `.bicepparam` `using`.
    deploys: bool,
}

/// Why a file that is called cannot be read as a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unreadable {
    Missing,
    Folder,
    Refused(Refusal),
    /// It was read, but it is not a template (or, in a cache, not even JSON).
    NotATemplate {
        cached: bool,
    },
    /// It could not be read or parsed: its own diagnostics say why.
    Failed,
}

/// What reading one file gives.
enum Outcome {
    Template(Box<Template>),
    Parameters(ParametersFile),
    Unreadable(Unreadable),
}

/// The templates of a run.
#[derive(Default)]
pub(crate) struct Templates {
    /// Every template read, by normalized path.
    library: FxHashMap<PathBuf, Template>,
    /// Templates read whose references are still to resolve.
    ready: Vec<(PathBuf, Template)>,
    /// Every unit read, by normalized path.
    units: BTreeMap<PathBuf, Unit>,
    /// Files to read: how, and whether they lie in a module cache.
    pending: Vec<(PathBuf, Kind, bool)>,
    /// Every file ever queued.
    queued: FxHashSet<PathBuf>,
    /// Files that cannot be read as what they were called as.
    unreadable: FxHashMap<PathBuf, Unreadable>,
    /// ARM parameters files of the run, by path.
    arm_parameters: FxHashMap<PathBuf, Values>,
    /// `.bicepparam` files read, by path, with the template each names.
    bicep_parameters: BTreeMap<PathBuf, (ParametersFile, Option<PathBuf>)>,
    /// The Bicep configuration of each folder.
    configs: FxHashMap<PathBuf, Arc<BicepConfig>>,
}

/// What the graph needs from the run to resolve references.
pub(crate) struct Env<'a> {
    pub(crate) sources: &'a SourceMap,
    pub(crate) options: &'a Options,
    pub(crate) project_root: &'a Path,
}

impl Templates {
    /// Queues a template of the run (`.bicep` or ARM JSON, by extension); `requested` is
    /// `false` for a caller read for context.
    pub(crate) fn request(&mut self, path: PathBuf, requested: bool) {
        Scan::record(
            &mut self.units.entry(path.clone()).or_default().scan,
            requested,
        );
        let kind = if isolint_bicep::is_parameters_file(&path) {
            Kind::BicepParameters
        } else if isolint_bicep::accepts(&path) {
            Kind::Bicep
        } else {
            Kind::Json(TemplateLayout::Template)
        };
        self.queue(path, kind, false);
    }

    /// Adds an ARM JSON template of the run, already read.
    pub(crate) fn add_template(&mut self, path: PathBuf, template: Template) {
        self.units.entry(path.clone()).or_default().scan = Some(Scan::Requested);
        self.queued.insert(path.clone());
        self.ready.push((path, template));
    }

    /// Adds an ARM parameters file of the run.
    pub(crate) fn add_parameters(&mut self, path: PathBuf, values: Values) {
        self.arm_parameters.insert(path, values);
    }

    fn queue(&mut self, path: PathBuf, kind: Kind, cached: bool) {
        if self.queued.insert(path.clone()) {
            self.pending.push((path, kind, cached));
        }
    }

    /// Reads everything queued and everything it calls, each file once; returns the
    /// problems met.
    pub(crate) fn read_all(&mut self, env: &Env<'_>) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        loop {
            while let Some((path, template)) = self.ready.pop() {
                self.process(path, template, env, &mut diagnostics);
            }
            if self.pending.is_empty() {
                return diagnostics;
            }
            let batch = std::mem::take(&mut self.pending);
            let read: Vec<(PathBuf, Outcome, Vec<Diagnostic>)> = batch
                .into_par_iter()
                .map(|(path, kind, cached)| {
                    let (outcome, found) = read(&path, kind, cached, env.sources);
                    (path, outcome, found)
                })
                .collect();
            for (path, outcome, found) in read {
                match outcome {
                    Outcome::Template(template) => {
                        diagnostics.extend(found);
                        self.ready.push((path, *template));
                    }
                    Outcome::Parameters(parameters) => {
                        diagnostics.extend(found);
                        self.process_parameters(path, parameters, env, &mut diagnostics);
                    }
                    Outcome::Unreadable(why) => {
                        // A cache file's own diagnostics would quote it: its gap says enough.
                        if !matches!(why, Unreadable::NotATemplate { cached: true }) {
                            diagnostics.extend(found);
                        }
                        self.unreadable.insert(path, why);
                    }
                }
            }
        }
    }

    /// Resolves the references of a template read, queues the files they name, and adds
    /// it to the library.
    fn process(
        &mut self,
        path: PathBuf,
        mut template: Template,
        env: &Env<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let mut edges = Vec::new();
        let mut gaps = Vec::new();
        let mut resolved: FxHashMap<Arc<str>, PathBuf> = FxHashMap::default();
        for reference in references(&template, env.sources) {
            let call = reference.call;
            match reference.target {
                Target::Local(target) => {
                    self.follow(&target, Kind::Json(TemplateLayout::Template), false, env);
                    edges.push(Edge {
                        target,
                        call,
                        deploys: true,
                    });
                }
                Target::Remote(remote) if remote.kind == RemoteKind::BicepModule => {
                    match self.resolve(&remote.reference, &path, &call, env, diagnostics) {
                        Ok((target, kind, cached)) => {
                            self.follow(&target, kind, cached, env);
                            resolved.insert(remote.reference.clone(), target.clone());
                            edges.push(Edge {
                                target,
                                call,
                                deploys: true,
                            });
                        }
                        Err(gap) => gaps.push(*gap),
                    }
                }
                Target::Remote(remote) => gaps.push(remote_gap(&remote, &call)),
            }
        }
        template.resolve_remotes(&mut |remote| resolved.get(&remote.reference).cloned());
        let unit = self.units.entry(path.clone()).or_default();
        unit.edges = edges;
        unit.gaps = gaps;
        unit.hidden = template.hidden;
        self.library.insert(path, template);
    }

    /// Queues `target` to be read as `kind`, unless it cannot be read (then why is kept).
    fn follow(&mut self, target: &Path, kind: Kind, cached: bool, env: &Env<'_>) {
        if self.queued.contains(target) || self.unreadable.contains_key(target) {
            return;
        }
        let kind = if kind == Kind::Json(TemplateLayout::Template) && isolint_bicep::accepts(target)
        {
            Kind::Bicep
        } else {
            kind
        };
        match env.sources.kind(target) {
            PathKind::File => self.queue(target.to_path_buf(), kind, cached),
            PathKind::Missing => {
                self.unreadable
                    .insert(target.to_path_buf(), Unreadable::Missing);
            }
            PathKind::Folder => {
                self.unreadable
                    .insert(target.to_path_buf(), Unreadable::Folder);
            }
            PathKind::Refused(refusal) => {
                self.unreadable
                    .insert(target.to_path_buf(), Unreadable::Refused(refusal));
            }
        }
    }

    /// The file a Bicep registry or template spec reference names in the module cache,
    /// how to read it and that it is a cache file; else the gap at the call.
    fn resolve(
        &mut self,
        reference: &str,
        file: &Path,
        call: &Call,
        env: &Env<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<(PathBuf, Kind, bool), Box<Gap>> {
        let config = self.config_for(file, env, diagnostics);
        match bicep_registry::resolve(reference, file, &config, env.sources) {
            Ok(Resolved::Cached(cached)) => {
                Ok((normalize(&cached.path), Kind::Json(cached.layout), true))
            }
            Ok(Resolved::Local(path)) => Ok((path, Kind::Json(TemplateLayout::Template), false)),
            Err(unresolved) => {
                let refused = unresolved
                    .expected
                    .as_deref()
                    .is_some_and(|p| matches!(env.sources.kind(p), PathKind::Refused(_)));
                if refused {
                    let cache = config
                        .cache_root
                        .as_deref()
                        .map(display_name)
                        .unwrap_or_default();
                    return Err(Box::new(call.gap(
                        format!(
                            "module `{reference}` would be read from the Bicep module cache `{cache}`, which is not one isolint reads"
                        ),
                        "pass the cache with `--bicep-cache DIR`".to_owned(),
                        Remedy::BicepRestore,
                        display_name(file),
                    )));
                }
                Err(Box::new(call.unresolved(&unresolved, display_name(file))))
            }
        }
    }

    /// The Bicep configuration of `file` (the nearest `bicepconfig.json`), read once per
    /// folder; its problems are reported once.
    fn config_for(
        &mut self,
        file: &Path,
        env: &Env<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Arc<BicepConfig> {
        let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(config) = self.configs.get(&folder) {
            return Arc::clone(config);
        }
        let load = LoadOptions {
            project_root: env.project_root,
            home: env.options.home.as_deref(),
            cache_override: env.options.bicep_cache.as_deref(),
        };
        let mut found = Vec::new();
        let config = Arc::new(bicepconfig::for_file(file, &load, env.sources, &mut found));
        // One configuration serves many folders: each problem once.
        for diagnostic in found {
            let known = diagnostics
                .iter()
                .any(|d| d.span == diagnostic.span && d.message == diagnostic.message);
            if !known {
                diagnostics.push(diagnostic);
            }
        }
        self.configs.insert(folder, Arc::clone(&config));
        config
    }

    /// Records a `.bicepparam` file read and follows its `using`.
    fn process_parameters(
        &mut self,
        path: PathBuf,
        parameters: ParametersFile,
        env: &Env<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let mut target = None;
        let mut edges = Vec::new();
        let mut gaps = Vec::new();
        if let Some(using) = &parameters.using {
            let call = Call {
                reference: using.text.clone(),
                at: using.at,
                declaration: using.at,
                syntax: Syntax::Bicep,
            };
            match self.resolve(&using.text, &path, &call, env, diagnostics) {
                Ok((template, kind, cached)) => {
                    self.follow(&template, kind, cached, env);
                    // The template a `.bicepparam` names is checked with it, named or not.
                    let unit = self.units.entry(template.clone()).or_default();
                    if unit.scan.is_none() {
                        unit.scan = Some(Scan::Requested);
                    }
                    target = Some(template.clone());
                    edges.push(Edge {
                        target: template,
                        call,
                        deploys: false,
                    });
                }
                Err(gap) => gaps.push(*gap),
            }
        }
        let unit = self.units.entry(path.clone()).or_default();
        unit.edges = edges;
        unit.gaps = gaps;
        self.bicep_parameters.insert(path, (parameters, target));
    }

    /// Evaluates every root with its parameters: the templates of the run that no template
    /// of the graph deploys (and those reached only from a cycle), keeping a caller read
    /// for context only when `reaches_named` says it reaches a file named.
    pub(crate) fn evaluate(
        &mut self,
        env: &Env<'_>,
        reaches_named: &dyn Fn(&[PathBuf]) -> bool,
    ) -> (Analysis, usize) {
        let mut analysis = Analysis::default();
        let roots = self.roots(reaches_named);
        // `.bicepparam` files beside the roots, found by convention.
        for root in &roots {
            let beside = root.with_extension("bicepparam");
            if isolint_bicep::accepts(root)
                && !isolint_bicep::is_parameters_file(root)
                && !self.bicep_parameters.contains_key(&beside)
                && env.sources.is_file(&beside)
            {
                self.request_parameters_beside(beside);
            }
        }
        analysis.diagnostics.extend(self.read_all(env));
        let library: Library = std::mem::take(&mut self.library)
            .into_iter()
            .map(|(path, template)| (path, Arc::new(template)))
            .collect();
        analysis.templates = library.len();
        let mut explicit = Explicit::read(
            &env.options.parameter_files,
            env.sources,
            &mut analysis.diagnostics,
        );
        let jobs: Vec<(PathBuf, Values)> = roots
            .iter()
            .filter_map(|root| {
                let template = library.get(root)?;
                let values = self.values_for(
                    root,
                    template,
                    &mut explicit,
                    env,
                    &mut analysis.diagnostics,
                );
                Some((root.clone(), values))
            })
            .collect();
        explicit.report_unused(&mut analysis.diagnostics);
        let evaluated: Vec<_> = jobs
            .par_iter()
            .map(|(root, values)| isolint_arm::evaluate(&library, root, values))
            .collect();
        for (resources, diagnostics) in evaluated {
            analysis.resources.extend(resources);
            analysis.diagnostics.extend(diagnostics);
        }
        (analysis, jobs.len())
    }

    fn request_parameters_beside(&mut self, path: PathBuf) {
        self.units.entry(path.clone()).or_default();
        self.queue(path, Kind::BicepParameters, false);
    }

    /// The templates to evaluate, in path order, cycles last.
    fn roots(&self, reaches_named: &dyn Fn(&[PathBuf]) -> bool) -> Vec<PathBuf> {
        let called: FxHashSet<&PathBuf> = self
            .units
            .values()
            .flat_map(|unit| &unit.edges)
            .filter(|edge| edge.deploys)
            .map(|edge| &edge.target)
            .collect();
        let scanned: Vec<(&PathBuf, Scan)> = self
            .units
            .iter()
            .filter(|(path, _)| self.library.contains_key(*path))
            .filter_map(|(path, unit)| Some((path, unit.scan?)))
            .collect();
        let callees = |path: &Path| {
            self.units
                .get(path)
                .map(|unit| unit.edges.iter().map(|edge| edge.target.clone()).collect())
        };
        roots::choose(
            &scanned,
            &|path| called.contains(&path.to_path_buf()),
            &callees,
            reaches_named,
        )
    }

    /// The parameter values of root `path`: the `--parameters` files that fit it when any
    /// are given, else a `.bicepparam` that names it, else `<name>.parameters.json` beside
    /// it.
    fn values_for(
        &self,
        path: &Path,
        template: &Template,
        explicit: &mut Explicit,
        env: &Env<'_>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Values {
        if explicit.given() {
            return explicit.fitting(template);
        }
        let named = self
            .bicep_parameters
            .iter()
            .find(|(_, (_, target))| target.as_deref() == Some(path));
        if let Some((_, (parameters, _))) = named {
            let (values, found) = isolint_arm::given_values(&parameters.values);
            diagnostics.extend(found);
            warn_unknown_names(parameters, template, diagnostics);
            return values;
        }
        if isolint_bicep::accepts(path) {
            return Vec::new();
        }
        let beside = parameters_beside(path);
        if let Some(values) = self.arm_parameters.get(&beside) {
            return values.clone();
        }
        read_arm_parameters(&beside, env.sources, diagnostics).unwrap_or_default()
    }

    /// Every reference edge, as (where it is written, the file it names): what a focus
    /// follows.
    pub(crate) fn edges(&self) -> impl Iterator<Item = (Span, &Path)> {
        self.units
            .values()
            .flat_map(|unit| &unit.edges)
            .map(|edge| (edge.call.at, edge.target.as_path()))
    }

    /// Every template and `.bicepparam` file read.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &Path> {
        self.units.keys().map(PathBuf::as_path)
    }

    /// The first call in a file of the user's that reaches each module-cache file.
    pub(crate) fn hidden_calls(&self) -> Vec<HiddenCall> {
        self.first_visible_calls()
            .into_iter()
            .map(|(path, call)| HiddenCall { path, call })
            .collect()
    }

    fn first_visible_calls(&self) -> FxHashMap<PathBuf, Call> {
        let mut calls: FxHashMap<PathBuf, Call> = FxHashMap::default();
        let mut pending: Vec<(PathBuf, Call)> = Vec::new();
        for unit in self.units.values().filter(|unit| !unit.hidden) {
            for edge in &unit.edges {
                pending.push((edge.target.clone(), edge.call.clone()));
            }
        }
        while let Some((path, call)) = pending.pop() {
            let Some(unit) = self.units.get(&path).filter(|unit| unit.hidden) else {
                continue;
            };
            if calls.contains_key(&path) {
                continue;
            }
            for edge in &unit.edges {
                pending.push((edge.target.clone(), call.clone()));
            }
            calls.insert(path, call);
        }
        calls
    }

    /// The coverage gaps: references never read, and calls of files that cannot be read.
    /// A gap inside a module-cache file is located at the call that reaches it.
    pub(crate) fn take_gaps(&mut self) -> Vec<Gap> {
        let visible_calls = self.first_visible_calls();
        let mut gaps = Vec::new();
        for (path, unit) in &mut self.units {
            let mut found = std::mem::take(&mut unit.gaps);
            for edge in &unit.edges {
                if let Some(why) = self.unreadable.get(&edge.target) {
                    found.extend(unreadable_gap(*why, &edge.call, path));
                }
            }
            // A cache file reached from no file of the user's (named on the command line)
            // keeps its gaps where they are: the renderers never print their place.
            if unit.hidden
                && let Some(call) = visible_calls.get(path)
            {
                for gap in &mut found {
                    gap.at = call.at;
                    gap.declaration = call.declaration;
                    gap.syntax = call.syntax;
                }
            }
            gaps.extend(found);
        }
        gaps
    }
}

/// The `--parameters` files, read once, and which of them applied.
struct Explicit {
    files: Vec<(PathBuf, Values, bool)>,
}

impl Explicit {
    fn read(paths: &[PathBuf], sources: &SourceMap, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let mut files = Vec::new();
        for path in paths {
            let values = if isolint_bicep::is_parameters_file(path) {
                let (parameters, found) = isolint_bicep::read_parameters(path, sources);
                diagnostics.extend(found);
                parameters.map(|parameters| {
                    let (values, found) = isolint_arm::given_values(&parameters.values);
                    diagnostics.extend(found);
                    values
                })
            } else {
                read_arm_parameters(path, sources, diagnostics).or_else(|| {
                    if sources.find(path).is_some() {
                        diagnostics.push(Diagnostic::error(
                            "parameters-error",
                            "this is not an ARM deployment parameters file (`{ \"parameters\": { \"name\": { \"value\": ... } } }`) nor a `.bicepparam` file",
                            path,
                        ));
                    }
                    None
                })
            };
            if let Some(values) = values {
                files.push((normalize(path), values, false));
            }
        }
        Self { files }
    }

    /// Whether `--parameters` files were given: they replace the files found by
    /// convention, for every template.
    fn given(&self) -> bool {
        !self.files.is_empty()
    }

    /// The values of every file that gives one of `template`'s parameters, in order.
    fn fitting(&mut self, template: &Template) -> Values {
        let mut values = Values::new();
        for (_, given, used) in &mut self.files {
            let fits = given.iter().any(|(name, _)| {
                template
                    .parameters
                    .iter()
                    .any(|p| p.name.eq_ignore_ascii_case(name))
            });
            if fits {
                *used = true;
                values.extend(given.iter().cloned());
            }
        }
        values
    }

    /// A file that gave no template any value is a warning: it was meant for something.
    fn report_unused(&self, diagnostics: &mut Vec<Diagnostic>) {
        for (path, _, used) in &self.files {
            if !used {
                diagnostics.push(
                    Diagnostic::warning(
                        "parameters-unused",
                        format!(
                            "`{}` gives no parameter of the templates checked: it is not applied",
                            display_name(path)
                        ),
                        path,
                    )
                    .with_help("name the template it is for, or check the parameter names"),
                );
            }
        }
    }
}

/// `dir/name.parameters.json` for `dir/name.json`.
fn parameters_beside(template: &Path) -> PathBuf {
    let stem = template.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let extension = template
        .extension()
        .and_then(|s| s.to_str())
        .unwrap_or("json");
    template.with_file_name(format!("{stem}.parameters.{extension}"))
}

/// The values of the ARM parameters file at `path`, when there is one there.
fn read_arm_parameters(
    path: &Path,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Values> {
    if !sources.is_file(path) {
        if let PathKind::Refused(refusal) = sources.kind(path) {
            diagnostics.push(refusal.diagnostic(path));
        }
        return None;
    }
    let file = sources.read(path).map_err(|d| diagnostics.push(d)).ok()?;
    let json = isolint_json::parse(&file)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    match isolint_arm::read_document(&file, &json, diagnostics) {
        Document::Parameters(values) => Some(values),
        _ => None,
    }
}

/// Warns about each value of a `.bicepparam` file that its template has no parameter for.
fn warn_unknown_names(
    parameters: &ParametersFile,
    template: &Template,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let using = parameters
        .using
        .as_ref()
        .map_or_else(|| display_name(&template.path), |using| using.text.clone());
    for given in &parameters.values.parameters {
        let known = template
            .parameters
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&given.name));
        if !known && given.default.is_some() {
            diagnostics.push(
                Diagnostic::warning(
                    "bicepparam",
                    format!("`{}` is not a parameter of `{using}`", given.name),
                    &*parameters.values.path,
                )
                .at(given.span),
            );
        }
    }
}

/// Reads one file as `kind`.
fn read(path: &Path, kind: Kind, cached: bool, sources: &SourceMap) -> (Outcome, Vec<Diagnostic>) {
    match kind {
        Kind::Bicep => match isolint_bicep::read_template(path, sources) {
            (Some(template), diagnostics) => (Outcome::Template(Box::new(template)), diagnostics),
            (None, diagnostics) => (Outcome::Unreadable(Unreadable::Failed), diagnostics),
        },
        Kind::BicepParameters => match isolint_bicep::read_parameters(path, sources) {
            (Some(parameters), diagnostics) => (Outcome::Parameters(parameters), diagnostics),
            (None, diagnostics) => (Outcome::Unreadable(Unreadable::Failed), diagnostics),
        },
        Kind::Json(layout) => {
            let not_a_template = Outcome::Unreadable(Unreadable::NotATemplate { cached });
            let failed = if cached {
                Unreadable::NotATemplate { cached }
            } else {
                Unreadable::Failed
            };
            let file = match sources.read(path) {
                Ok(file) => file,
                Err(diagnostic) => return (Outcome::Unreadable(failed), vec![diagnostic]),
            };
            let json = match isolint_json::parse(&file) {
                Ok(json) => json,
                Err(diagnostic) => return (Outcome::Unreadable(failed), vec![diagnostic]),
            };
            let Some(document) = layout.template(&json) else {
                return (not_a_template, Vec::new());
            };
            let mut diagnostics = Vec::new();
            match isolint_arm::read_document(&file, document, &mut diagnostics) {
                Document::Template(template) => {
                    (Outcome::Template(Box::new(template)), diagnostics)
                }
                _ => (not_a_template, Vec::new()),
            }
        }
    }
}

/// What a reference names.
enum Target {
    Local(PathBuf),
    Remote(Remote),
}

/// A module reference of a template.
struct Reference {
    target: Target,
    call: Call,
}

/// Every module reference of `template` (its inline nested templates' included), with
/// the call it is written in.
fn references(template: &Template, sources: &SourceMap) -> Vec<Reference> {
    let written = |at: Span| {
        let text = sources
            .get(at.file)
            .map(|file| file.slice(at).to_owned())
            .unwrap_or_default();
        text.trim_matches(['\'', '"']).to_owned()
    };
    let mut out = Vec::new();
    let mut stack = vec![template];
    while let Some(template) = stack.pop() {
        for decl in &template.resources {
            let Some(deployment) = &decl.deployment else {
                continue;
            };
            let at = deployment.link.unwrap_or(decl.header);
            let call = |reference: String| Call {
                reference,
                at,
                declaration: decl.span,
                syntax: template.syntax,
            };
            match &deployment.template {
                NestedTemplate::Inline(inner) => stack.push(inner),
                NestedTemplate::Linked(path) => out.push(Reference {
                    target: Target::Local(normalize(path)),
                    call: call(written(at)),
                }),
                NestedTemplate::Remote(remote) => out.push(Reference {
                    target: Target::Remote(remote.clone()),
                    call: call(remote.reference.to_string()),
                }),
                NestedTemplate::Opaque(_) => {}
            }
        }
    }
    out
}

/// The gap of a reference by URI, by template spec ID or by a computed path.
fn remote_gap(remote: &Remote, call: &Call) -> Gap {
    let (reason, fix) = match remote.kind {
        RemoteKind::Uri => (
            format!(
                "the linked template `{}` is named by URI: isolint never downloads",
                remote.reference
            ),
            "link the template by `relativePath` to a file in the repository, or check the template it names on its own",
        ),
        RemoteKind::TemplateSpec => (
            format!(
                "the template spec `{}` lives in Azure: isolint never downloads",
                remote.reference
            ),
            "check the template spec's source template on its own",
        ),
        RemoteKind::Computed | RemoteKind::BicepModule => (
            format!(
                "the linked template's path `{}` is computed at deployment",
                remote.reference
            ),
            "write `relativePath` as a plain string",
        ),
    };
    call.gap(reason, fix.to_owned(), Remedy::Remote, String::new())
}

/// The gap of a call to a file that cannot be read, if any (a file that failed to parse
/// has its own diagnostics).
fn unreadable_gap(why: Unreadable, call: &Call, caller: &Path) -> Option<Gap> {
    let reference = &call.reference;
    let gap = match why {
        Unreadable::Missing => call.gap(
            format!("module `{reference}` does not exist"),
            "fix the path, or add the module to the repository".to_owned(),
            Remedy::LocalPath,
            String::new(),
        ),
        Unreadable::Folder => call.gap(
            format!("module `{reference}` is a folder, not a template"),
            "name the template file".to_owned(),
            Remedy::LocalPath,
            String::new(),
        ),
        Unreadable::Refused(Refusal::OutsideRoot) => call.gap(
            format!("module `{reference}` lies outside the project root: not followed"),
            "keep the module inside the project, or pass `--root DIR` naming a folder that holds both".to_owned(),
            Remedy::OutsideRoot,
            String::new(),
        ),
        Unreadable::Refused(Refusal::NotRegularFile) => call.gap(
            format!("module `{reference}` is not a regular file: not read"),
            "name a template file".to_owned(),
            Remedy::LocalPath,
            String::new(),
        ),
        Unreadable::NotATemplate { cached: true } => call.gap(
            format!("the cached template of module `{reference}` is not an ARM template"),
            format!("run `bicep restore --force {}`", display_name(caller)),
            Remedy::BicepRestore,
            display_name(caller),
        ),
        Unreadable::NotATemplate { cached: false } => call.gap(
            format!("module `{reference}` is not an ARM template"),
            "name a `.bicep` file or an ARM JSON template".to_owned(),
            Remedy::LocalPath,
            String::new(),
        ),
        Unreadable::Failed => return None,
    };
    Some(gap)
}
