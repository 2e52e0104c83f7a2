//! The ARM JSON frontend: reads deployment templates (hand-written or compiled from
//! Bicep, classic or `languageVersion` 2.0), evaluates them statically, and lowers every
//! resource they deploy into the format-neutral model.
//!
//! - `isolint_json` reads JSON with comments and raw newlines, keeping spans;
//! - [`expression`] parses `[...]` expressions into the shared [`ir`];
//! - [`template`] lowers a template (parameters, variables, functions, resources, outputs);
//! - the evaluator resolves parameters (defaults, parameter files), variables, copy loops,
//!   conditions, nested and linked deployments and `reference(...).outputs`.
//!
//! Every file is read through the [`SourceMap`]: a linked template that it refuses
//! (outside the project root) gives a warning at its `templateLink.relativePath`.
//!
//! Work is bounded for each root template, whatever its modules: at most 5,000
//! deployments (Bicep modules, nested and linked templates), nested at most 32 deep, at
//! most 100,000 resources, and at most 100,000 iterations for copy loops inside one
//! another (module, resource, property and variable copies and Bicep `for` expressions,
//! each also cut at ARM's 800). Past a limit comes a warning at the declaration that
//! crossed it (`expansion-budget`, `deployment-depth`, `copy-product`); a deployment past
//! it is not followed and a loop past it is unknown. Real templates stay far below: the
//! corpus's largest root has 88 deployments, 4 deep, 188 resources, a copy product of 23.

pub mod expression;
pub mod functions;
pub mod ir;
pub mod template;

mod eval;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_json::Json;
use isolint_model::source::normalize;
use isolint_model::{Analysis, Decider, Diagnostic, Node, PathKind, Provenance, SourceMap, Span};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::eval::{Library, Session, evaluate_root};
use crate::template::{DocumentKind, Link, Template};

/// How to read ARM templates.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Parameter files given on the command line (`--parameters FILE`). They apply to every
    /// root template of the scan, instead of the `<name>.parameters.json` found beside it.
    pub parameter_files: Vec<PathBuf>,
}

/// Whether `path` is a file this frontend reads (`.json`, `.jsonc`; not Terraform's
/// `.tf.json`).
pub fn accepts(path: &Path) -> bool {
    let extension = |p: &Path, wanted: &[&str]| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| wanted.iter().any(|w| e.eq_ignore_ascii_case(w)))
    };
    let terraform_json = path
        .file_stem()
        .is_some_and(|stem| extension(Path::new(stem), &["tf"]));
    extension(path, &["json", "jsonc"]) && !terraform_json
}

/// A document, or why it could not be read.
type ReadResult = Result<Document, Vec<Diagnostic>>;

/// A file read and parsed.
enum Document {
    Template(Arc<Template>),
    Parameters(Vec<(Arc<str>, Node)>),
    Skipped,
}

/// Reads `files`, skips what is not an ARM template (deployment parameter files, other
/// JSON), and evaluates every template that no other scanned template links to. A file
/// that cannot be read or parsed gives a diagnostic and never stops the others.
pub fn analyze(files: &[PathBuf], sources: &SourceMap, options: &Options) -> Analysis {
    let mut analysis = Analysis::default();
    let read: Vec<(PathBuf, ReadResult, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|path| {
            let mut warnings = Vec::new();
            let document = read_document(path, sources, &mut warnings);
            (path.clone(), document, warnings)
        })
        .collect();

    let mut library: Library = FxHashMap::default();
    let mut parameter_files: FxHashMap<PathBuf, Vec<(Arc<str>, Node)>> = FxHashMap::default();
    let mut scanned: Vec<PathBuf> = Vec::new();
    for (path, document, warnings) in read {
        analysis.diagnostics.extend(warnings);
        match document {
            Ok(Document::Template(template)) => {
                let key = normalize(&path);
                scanned.push(key.clone());
                library.insert(key, template);
            }
            Ok(Document::Parameters(values)) => {
                parameter_files.insert(normalize(&path), values);
            }
            Ok(Document::Skipped) => {}
            Err(errors) => analysis.diagnostics.extend(errors),
        }
    }
    analysis.templates = scanned.len();

    let linked = load_linked(&mut library, sources, &mut analysis.diagnostics);
    let explicit: Option<Vec<(Arc<str>, Node)>> = if options.parameter_files.is_empty() {
        None
    } else {
        let mut values = Vec::new();
        for path in &options.parameter_files {
            match read_document(path, sources, &mut analysis.diagnostics) {
                Ok(Document::Parameters(v)) => values.extend(v),
                Ok(_) => analysis.diagnostics.push(Diagnostic::error(
                    "parameters-error",
                    "this is not an ARM deployment parameters file (`{ \"parameters\": { \"name\": { \"value\": ... } } }`)",
                    path,
                )),
                Err(errors) => analysis.diagnostics.extend(errors),
            }
        }
        Some(values)
    };

    let roots = roots(&scanned, &linked, &library);
    let results: Vec<RootResult> = roots
        .par_iter()
        .filter_map(|path| {
            let template = library.get(path)?;
            let mut diagnostics = Vec::new();
            let found;
            let values: &[(Arc<str>, Node)] = match &explicit {
                Some(values) => values,
                None => match parameter_files.get(&beside(path)) {
                    Some(values) => values,
                    None => {
                        found = parameters_beside(path, sources, &mut diagnostics);
                        &found
                    }
                },
            };
            let (resources, evaluation, opaque) = evaluate(&library, template, values);
            diagnostics.extend(evaluation);
            Some((resources, diagnostics, opaque))
        })
        .collect();
    absorb(&mut analysis, results);
    analysis
}

/// What evaluating one root yields: resources, diagnostics, modules not followed.
type RootResult = (
    Vec<isolint_model::Resource>,
    Vec<Diagnostic>,
    BTreeSet<String>,
);

/// Evaluates one root template with its parameter values.
fn evaluate(library: &Library, template: &Template, values: &[(Arc<str>, Node)]) -> RootResult {
    let session = Session::new(library);
    let resources = evaluate_root(&session, template, values);
    let (diagnostics, opaque) = session.into_diagnostics();
    (resources, diagnostics, opaque)
}

/// Adds the roots' results to `analysis`, with one note naming every module not followed.
fn absorb(analysis: &mut Analysis, results: Vec<RootResult>) {
    let mut opaque_modules = BTreeSet::new();
    for (resources, diagnostics, opaque) in results {
        analysis.resources.extend(resources);
        analysis.diagnostics.extend(diagnostics);
        opaque_modules.extend(opaque);
    }
    if !opaque_modules.is_empty() {
        analysis.notes.push(format!(
            "not followed (cannot be read offline): {}",
            opaque_modules.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
}

/// Evaluates templates lowered by another frontend (Bicep). `library` holds every
/// template by its [`normalize`]d path: the roots and every module they deploy through
/// [`NestedTemplate::Linked`]; each of `roots` is evaluated with its parameters' defaults.
/// Modules that cannot be followed are named in a note.
pub fn analyze_templates(library: Vec<(PathBuf, Arc<Template>)>, roots: &[PathBuf]) -> Analysis {
    let library: Library = library.into_iter().collect();
    let results: Vec<RootResult> = roots
        .par_iter()
        .filter_map(|path| Some(evaluate(&library, library.get(path)?, &[])))
        .collect();
    let mut analysis = Analysis::default();
    absorb(&mut analysis, results);
    analysis
}

/// Reads an ARM JSON template for another frontend (a Bicep module written in JSON):
/// `None` when the file is not a template.
pub fn read_template(
    path: &Path,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Arc<Template>> {
    match read_document(path, sources, diagnostics) {
        Ok(Document::Template(template)) => Some(template),
        Ok(_) => None,
        Err(errors) => {
            diagnostics.extend(errors);
            None
        }
    }
}

/// The scanned templates to evaluate: those no template links to, then, in scan order,
/// each one that none of those reaches (it is linked only from within a cycle of links,
/// `a.json` → `b.json` → `a.json` or a template that links itself), so that the cycle is
/// evaluated once and reported instead of dropped in silence.
fn roots(scanned: &[PathBuf], linked: &FxHashSet<PathBuf>, library: &Library) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = scanned
        .iter()
        .filter(|p| !linked.contains(*p))
        .cloned()
        .collect();
    let mut reached = FxHashSet::default();
    for root in &roots {
        reach(root, library, &mut reached);
    }
    for path in scanned {
        if !reached.contains(path) {
            reach(path, library, &mut reached);
            roots.push(path.clone());
        }
    }
    roots
}

/// Adds `from` and every template it links to, directly or not, to `reached`.
fn reach(from: &Path, library: &Library, reached: &mut FxHashSet<PathBuf>) {
    let mut pending = vec![from.to_path_buf()];
    while let Some(path) = pending.pop() {
        if let Some(template) = library.get(&path)
            && reached.insert(path)
        {
            pending.extend(template.links().into_iter().map(|link| link.path));
        }
    }
}

/// `dir/name.parameters.json` for `dir/name.json`.
fn beside(template: &Path) -> PathBuf {
    let stem = template.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let extension = template
        .extension()
        .and_then(|s| s.to_str())
        .unwrap_or("json");
    template.with_file_name(format!("{stem}.parameters.{extension}"))
}

/// The values of `<name>.parameters.json` beside a template that was not itself in the
/// scan (a file list from a pre-commit hook names only the template).
fn parameters_beside(
    template: &Path,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Arc<str>, Node)> {
    let path = beside(template);
    if !sources.is_file(&path) {
        return Vec::new();
    }
    match read_document(&path, sources, diagnostics) {
        Ok(Document::Parameters(values)) => values,
        Ok(_) => Vec::new(),
        Err(errors) => {
            diagnostics.extend(errors);
            Vec::new()
        }
    }
}

/// Loads the templates that scanned templates link to by relative path (and those they
/// link to), and returns the set of every linked path: those are modules, not roots. Every
/// link to a file the source map refuses (outside the project root) gives a warning at
/// the link.
fn load_linked(
    library: &mut Library,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> FxHashSet<PathBuf> {
    let mut checked: FxHashMap<PathBuf, PathKind> = FxHashMap::default();
    let mut pending: Vec<(Link, Arc<Path>)> =
        library.values().flat_map(|t| links_from(t)).collect();
    while let Some((link, referrer)) = pending.pop() {
        let first = !checked.contains_key(&link.path);
        let kind = *checked
            .entry(link.path.clone())
            .or_insert_with(|| sources.kind(&link.path));
        if let PathKind::Refused(refusal) = kind {
            diagnostics.push(refusal.at_reference(&link.path, &referrer, link.at));
            continue;
        }
        // A missing template: the evaluator says so where the deployment is declared.
        if !first || kind != PathKind::File || library.contains_key(&link.path) {
            continue;
        }
        if let Ok(Document::Template(template)) = read_document(&link.path, sources, diagnostics) {
            pending.extend(links_from(&template));
            library.insert(link.path, template);
        }
    }
    checked.into_keys().collect()
}

/// The links of a template, each with the file that names it.
fn links_from(template: &Template) -> Vec<(Link, Arc<Path>)> {
    template
        .links()
        .into_iter()
        .map(|link| (link, Arc::clone(&template.path)))
        .collect()
}

/// Reads, parses and classifies one file.
fn read_document(
    path: &Path,
    sources: &SourceMap,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Document, Vec<Diagnostic>> {
    let file = sources.read(path).map_err(|d| vec![d])?;
    let json = isolint_json::parse(&file).map_err(|d| vec![d])?;
    match template::classify(&json) {
        DocumentKind::Template => {
            let mut diagnostics = Vec::new();
            let template = template::lower(&file, &json, &mut diagnostics);
            warnings.extend(diagnostics);
            Ok(Document::Template(Arc::new(template)))
        }
        DocumentKind::Parameters => Ok(Document::Parameters(parameter_values(&json))),
        DocumentKind::ResourceArray => Err(vec![Diagnostic::error(
            "template-error",
            "this JSON array holds resources, but a template must be an object with `$schema`, `contentVersion` and `resources`",
            path,
        )
        .at(Span::new(file.id, json.span.start as usize, json.span.start as usize + 1))]),
        DocumentKind::Other => Ok(Document::Skipped),
    }
}

/// The values of a deployment parameters file. A key vault reference is a secret: unknown.
fn parameter_values(json: &Json) -> Vec<(Arc<str>, Node)> {
    let Some(entries) = json.get("parameters").and_then(Json::members) else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|member| {
            let provenance = Provenance::of(Decider::ParameterValue {
                name: member.key.clone(),
                span: member.value.get("value").map(|v| v.span),
            });
            let value = match member.value.get("value") {
                Some(value) => isolint_json::to_node(value, None),
                None => Node::unknown(
                    isolint_model::Unknown::new(
                        format!("reference to a key vault secret for `{}`", member.key),
                        isolint_model::UnknownReason::Runtime {
                            function: "getSecret".into(),
                        },
                    ),
                    member.value.span,
                ),
            };
            (member.key.clone(), value.with_provenance(&provenance))
        })
        .collect()
}
