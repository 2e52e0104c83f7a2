//! The Bicep frontend: reads `.bicep` and `.bicepparam` files with a hand-written,
//! error-tolerant, newline-sensitive parser ([`parser`]), lowers them onto the ARM
//! frontend's template structure and expression IR ([`lower`]), and lets the ARM
//! evaluator resolve parameters, variables, loops, conditions and modules.
//!
//! Local modules (`.bicep` and `.json`) are followed with their parameters bound; registry
//! and template-spec modules are opaque and named in the summary. Compile-time imports of
//! local files give their exported values (the `imports` module); registry imports bring
//! types only. A `.bicepparam` file (`using 'main.bicep'` and `param x = ...`) supplies
//! values to its template, and `main.bicepparam` beside `main.bicep` applies without being
//! named. Every file is read
//! through the [`SourceMap`]: a module or `using` target that it refuses (outside the
//! project root) gives a warning at the path that names it and is not read.

pub mod dump;
mod imports;
pub mod lexer;
pub mod lower;
pub mod parser;
pub mod syntax;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_arm::template::{Link, Template};
use isolint_model::source::normalize;
use isolint_model::{Analysis, Diagnostic, PathKind, SourceFile, SourceMap, Span};
use rayon::prelude::*;

use crate::syntax::{DeclKind, Expr, ExprKind, Program, Range};

/// Whether `path` is a file this frontend reads (`.bicep`, `.bicepparam`).
pub fn accepts(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("bicep") || e.eq_ignore_ascii_case("bicepparam"))
}

fn is_param_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("bicepparam"))
}

/// The JSON files of `files` compiled from Bicep (`metadata._generator.name` is `bicep`)
/// that lie in the folder of a `.bicep` file of `files`: the source is linted instead, so
/// the compiled copy would only repeat its findings. Found in one pass.
pub fn compiled_copies(files: &[PathBuf], sources: &SourceMap) -> BTreeSet<PathBuf> {
    let folders: BTreeSet<&Path> = files
        .iter()
        .filter(|p| is_bicep(p))
        .filter_map(|p| p.parent())
        .collect();
    files
        .iter()
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                && p.parent().is_some_and(|f| folders.contains(f))
                && generated_by_bicep(p, sources)
        })
        .cloned()
        .collect()
}

fn is_bicep(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("bicep"))
}

/// Whether the JSON file's `metadata._generator.name` is `bicep` (read as text: the
/// generator block is small and always written the same way by the compiler). The file is
/// only looked at: a skipped copy stays out of the source map.
fn generated_by_bicep(json: &Path, sources: &SourceMap) -> bool {
    let Ok(text) = sources.peek(json) else {
        return false;
    };
    let Some(at) = text.find("\"_generator\"") else {
        return false;
    };
    let window: String = text[at..]
        .chars()
        .take(400)
        .filter(|c| !c.is_whitespace())
        .collect();
    window.contains("\"name\":\"bicep\"")
}

/// A file read, parsed and lowered.
struct Read {
    /// The file, [`normalize`]d.
    path: PathBuf,
    template: Option<Template>,
    diagnostics: Vec<Diagnostic>,
}

/// Parses and lowers one `.bicep` file.
fn read_bicep(path: &Path, sources: &SourceMap) -> Read {
    let mut diagnostics = Vec::new();
    let template = match sources.read(path) {
        Ok(file) => {
            let program = parse_file(&file, &mut diagnostics);
            let imports = imports::resolve(&file, &program, sources, &mut diagnostics);
            Some(lower::lower_with_imports(&file, &program, imports, &mut diagnostics).0)
        }
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    Read {
        path: normalize(path),
        template,
        diagnostics,
    }
}

/// Parses a file and reports its syntax errors.
fn parse_file(file: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> Program {
    let program = parser::parse(&file.text);
    for error in &program.errors {
        diagnostics.push(
            Diagnostic::error("parse-error", error.message.clone(), &file.path).at(Span::new(
                file.id,
                error.range.start as usize,
                error.range.end as usize,
            )),
        );
    }
    program
}

/// Reads `files` (`.bicep` templates and `.bicepparam` files), follows local modules,
/// applies parameter files, and evaluates every template that no other scanned template
/// deploys as a module. A file that cannot be read or parsed gives a diagnostic and never
/// stops the others.
///
/// JSON compiled from Bicep is the caller's business: it sees the JSON files (see
/// [`compiled_copies`]).
pub fn analyze(files: &[PathBuf], sources: &SourceMap) -> Analysis {
    let mut analysis = Analysis::default();
    let (param_files, templates): (Vec<&PathBuf>, Vec<&PathBuf>) =
        files.iter().partition(|p| is_param_file(p));
    // A parameter file checked without its template (a pre-commit hook names only the
    // changed file) brings its template along.
    let mut templates: Vec<PathBuf> = templates.iter().map(|p| normalize(p)).collect();
    for path in &param_files {
        let target = sources
            .read(path)
            .ok()
            .and_then(|file| local_using(&file, &parser::parse(&file.text)));
        if let Some(using) = target
            && sources.is_file(&using.path)
            && !templates.contains(&using.path)
        {
            templates.push(using.path);
        }
    }

    let read: Vec<Read> = templates
        .par_iter()
        .map(|p| read_bicep(p, sources))
        .collect();
    let mut modules = Modules::default();
    let mut scanned = Vec::new();
    for r in read {
        analysis.diagnostics.extend(r.diagnostics);
        if let Some(template) = r.template {
            scanned.push(r.path.clone());
            modules.add_bicep(r.path, template);
        }
    }
    analysis.templates = scanned.len();
    modules.follow(sources, &mut analysis.diagnostics);
    let Modules {
        mut library,
        json_library,
        edges,
        ..
    } = modules;

    // Parameter files: those named, then `<name>.bicepparam` beside each scanned template.
    let mut applied: BTreeSet<PathBuf> = BTreeSet::new();
    let mut param_paths: Vec<PathBuf> = param_files.iter().map(|p| normalize(p)).collect();
    for template in &scanned {
        let beside = template.with_extension("bicepparam");
        if sources.is_file(&beside) && !param_paths.contains(&beside) {
            param_paths.push(beside);
        }
    }
    for path in &param_paths {
        apply_param_file(
            path,
            sources,
            &mut library,
            &mut applied,
            &mut analysis.diagnostics,
        );
    }

    let roots = roots(&scanned, &edges);
    let mut all: Vec<(PathBuf, Arc<Template>)> =
        library.into_iter().map(|(k, t)| (k, Arc::new(t))).collect();
    all.extend(json_library);
    let evaluated = isolint_arm::analyze_templates(all, &roots);
    analysis.extend(evaluated);
    analysis
}

/// The templates of a scan and the local modules they deploy, by [`normalize`]d path.
#[derive(Default)]
struct Modules {
    /// Bicep templates (their parameters may still get values from `.bicepparam` files).
    library: BTreeMap<PathBuf, Template>,
    /// ARM JSON templates deployed as modules.
    json_library: BTreeMap<PathBuf, Arc<Template>>,
    /// The modules each Bicep template deploys.
    edges: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// Modules still to read, with the file that deploys them.
    pending: Vec<(Link, Arc<Path>)>,
}

impl Modules {
    /// Adds a Bicep template and queues the modules it deploys.
    fn add_bicep(&mut self, path: PathBuf, template: Template) {
        let links = template.links();
        self.edges
            .insert(path.clone(), links.iter().map(|l| l.path.clone()).collect());
        self.pending.extend(
            links
                .into_iter()
                .map(|link| (link, Arc::clone(&template.path))),
        );
        self.library.insert(path, template);
    }

    /// Reads every local module the templates deploy, directly or not, each once (a cycle
    /// is reported by the evaluator). Every reference to a module the source map refuses
    /// gets a warning at its path; a missing one is reported by the evaluator where it is
    /// deployed.
    fn follow(&mut self, sources: &SourceMap, diagnostics: &mut Vec<Diagnostic>) {
        let mut checked: BTreeMap<PathBuf, PathKind> = BTreeMap::new();
        while let Some((link, referrer)) = self.pending.pop() {
            let path = link.path;
            if self.library.contains_key(&path) || self.json_library.contains_key(&path) {
                continue;
            }
            let first = !checked.contains_key(&path);
            let kind = *checked
                .entry(path.clone())
                .or_insert_with(|| sources.kind(&path));
            match kind {
                PathKind::Refused(refusal) => {
                    diagnostics.push(refusal.at_reference(&path, &referrer, link.at));
                    continue;
                }
                PathKind::File if first => {}
                PathKind::File | PathKind::Folder | PathKind::Missing => continue,
            }
            if accepts(&path) {
                let r = read_bicep(&path, sources);
                diagnostics.extend(r.diagnostics);
                if let Some(template) = r.template {
                    self.add_bicep(path, template);
                }
            } else if let Some(template) = isolint_arm::read_template(&path, sources, diagnostics) {
                self.json_library.insert(path, template);
            }
        }
    }
}

/// The local template a `.bicepparam` file's `using` names.
struct Using {
    /// The text as written (`main.bicep`).
    text: String,
    /// The template, [`normalize`]d against the parameter file's folder.
    path: PathBuf,
    /// Where the text is written.
    range: Range,
}

/// The `using` of a parameter file, unless it is missing, not a plain string, or names a
/// registry or template spec.
fn local_using(file: &SourceFile, program: &Program) -> Option<Using> {
    program.decls.iter().find_map(|d| match &d.kind {
        DeclKind::Using(Some(Expr {
            kind: ExprKind::String(pieces, holes),
            range,
        })) if holes.is_empty() => {
            let text = pieces.concat();
            (!lower::is_registry(&text)).then(|| Using {
                path: normalize(&file.path.parent().unwrap_or(Path::new("")).join(&text)),
                text,
                range: *range,
            })
        }
        _ => None,
    })
}

/// Applies one `.bicepparam` file: its `param x = value` replace the defaults of the
/// template its `using` names. A target the source map refuses gets a warning at the
/// `using`.
fn apply_param_file(
    path: &Path,
    sources: &SourceMap,
    library: &mut BTreeMap<PathBuf, Template>,
    applied: &mut BTreeSet<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = match sources.read(path) {
        Ok(file) => file,
        Err(d) => {
            diagnostics.push(d);
            return;
        }
    };
    let program = parse_file(&file, diagnostics);
    let Some(using) = local_using(&file, &program) else {
        return;
    };
    let Some(template) = library.get_mut(&using.path) else {
        if let PathKind::Refused(refusal) = sources.kind(&using.path) {
            let at = Span::new(
                file.id,
                using.range.start as usize,
                using.range.end as usize,
            );
            diagnostics.push(refusal.at_reference(&using.path, &file.path, at));
        }
        return;
    };
    if !applied.insert(using.path) {
        return;
    }
    for decl in &program.decls {
        if let DeclKind::Param(p) = &decl.kind
            && let Some(value) = &p.default
        {
            let value = lower::lower_value(&file, value, diagnostics);
            match template
                .parameters
                .iter_mut()
                .find(|t| t.name.eq_ignore_ascii_case(&p.name.name))
            {
                Some(parameter) => parameter.default = Some(value),
                None => diagnostics.push(
                    Diagnostic::warning(
                        "bicepparam",
                        format!("`{}` is not a parameter of `{}`", p.name.name, using.text),
                        &file.path,
                    )
                    .at(Span::new(
                        file.id,
                        p.name.range.start as usize,
                        p.name.range.end as usize,
                    )),
                ),
            }
        }
    }
}

/// The scanned templates no other scanned template deploys, then any left unreached (a
/// cycle of modules), so that every file is evaluated once.
fn roots(scanned: &[PathBuf], edges: &BTreeMap<PathBuf, Vec<PathBuf>>) -> Vec<PathBuf> {
    let linked: BTreeSet<&PathBuf> = scanned
        .iter()
        .filter_map(|s| edges.get(s))
        .flatten()
        .collect();
    let mut roots: Vec<PathBuf> = scanned
        .iter()
        .filter(|s| !linked.contains(s))
        .cloned()
        .collect();
    let mut reached: BTreeSet<PathBuf> = BTreeSet::new();
    let reach = |from: &PathBuf, reached: &mut BTreeSet<PathBuf>| {
        let mut stack = vec![from.clone()];
        while let Some(p) = stack.pop() {
            if reached.insert(p.clone())
                && let Some(next) = edges.get(&p)
            {
                stack.extend(next.iter().cloned());
            }
        }
    };
    for root in &roots {
        reach(root, &mut reached);
    }
    for path in scanned {
        if !reached.contains(path) {
            reach(path, &mut reached);
            roots.push(path.clone());
        }
    }
    roots
}
