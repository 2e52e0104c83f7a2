//! The Bicep frontend: reads `.bicep` and `.bicepparam` files with a hand-written,
//! error-tolerant, newline-sensitive parser ([`parser`]), lowers them onto the ARM
//! frontend's template structure and expression IR ([`lower`]), and lets the ARM
//! evaluator resolve parameters, variables, loops, conditions and modules.
//!
//! Local modules (`.bicep` and `.json`) are followed with their parameters bound; registry
//! and template-spec modules are opaque and named in the summary. A `.bicepparam` file
//! (`using 'main.bicep'` and `param x = ...`) supplies values to its template, and
//! `main.bicepparam` beside `main.bicep` applies without being named.

pub mod dump;
pub mod lexer;
pub mod lower;
pub mod parser;
pub mod syntax;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_arm::template::Template;
use isolint_model::{Analysis, Diagnostic, SourceFile, SourceMap, Span};
use rayon::prelude::*;

use crate::syntax::{DeclKind, Expr, ExprKind, Program};

/// How to read Bicep files.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Lint JSON compiled from a `.bicep` file of the same folder as well (by default the
    /// source is linted and the compiled copy skipped, see [`is_compiled_copy`]).
    pub include_compiled: bool,
}

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

/// Whether `json` is ARM JSON compiled from Bicep (`metadata._generator.name` is
/// `bicep`) and one of `scanned` is a `.bicep` file of the same folder: the source is
/// linted instead, so the compiled copy would only repeat its findings.
pub fn is_compiled_copy(json: &Path, scanned: &[PathBuf]) -> bool {
    let folder = json.parent();
    scanned.iter().any(|p| p.parent() == folder && is_bicep(p)) && generated_by_bicep(json)
}

/// The files of `files` that [`is_compiled_copy`] says to skip, found in one pass.
pub fn compiled_copies(files: &[PathBuf]) -> BTreeSet<PathBuf> {
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
                && generated_by_bicep(p)
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
/// generator block is small and always written the same way by the compiler).
fn generated_by_bicep(json: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(json) else {
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
    path: PathBuf,
    template: Option<Template>,
    modules: Vec<PathBuf>,
    diagnostics: Vec<Diagnostic>,
}

/// Parses and lowers one `.bicep` file.
fn read_bicep(path: &Path, sources: &SourceMap) -> Read {
    let mut diagnostics = Vec::new();
    let file = match isolint_arm::read_source(path, sources) {
        Ok(file) => file,
        Err(d) => {
            return Read {
                path: path.to_path_buf(),
                template: None,
                modules: Vec::new(),
                diagnostics: vec![d],
            };
        }
    };
    let program = parse_file(&file, &mut diagnostics);
    let lowered = lower::lower(&file, &program, &mut diagnostics);
    Read {
        path: path.to_path_buf(),
        template: Some(lowered.template),
        modules: lowered.modules,
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
/// `options.include_compiled` is read by the caller, which sees the JSON files too (see
/// [`is_compiled_copy`]).
pub fn analyze(files: &[PathBuf], sources: &SourceMap, options: &Options) -> Analysis {
    let _ = options;
    let mut analysis = Analysis::default();
    let (param_files, templates): (Vec<&PathBuf>, Vec<&PathBuf>) =
        files.iter().partition(|p| is_param_file(p));
    // A parameter file checked without its template (a pre-commit hook names only the
    // changed file) brings its template along.
    let mut templates: Vec<PathBuf> = templates.into_iter().cloned().collect();
    for path in &param_files {
        if let Some(target) = using_target(path)
            && target.is_file()
            && !templates
                .iter()
                .any(|t| isolint_arm::normalize(t) == isolint_arm::normalize(&target))
        {
            templates.push(target);
        }
    }

    let read: Vec<Read> = templates
        .par_iter()
        .map(|p| read_bicep(p, sources))
        .collect();
    let mut library: BTreeMap<PathBuf, Template> = BTreeMap::new();
    let mut json_library: BTreeMap<PathBuf, Arc<Template>> = BTreeMap::new();
    let mut scanned = Vec::new();
    let mut edges: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut pending: Vec<PathBuf> = Vec::new();
    for r in read {
        analysis.diagnostics.extend(r.diagnostics);
        let key = isolint_arm::normalize(&r.path);
        if let Some(template) = r.template {
            scanned.push(key.clone());
            pending.extend(r.modules.iter().cloned());
            edges.insert(
                key.clone(),
                r.modules
                    .iter()
                    .map(|m| isolint_arm::normalize(m))
                    .collect(),
            );
            library.insert(key, template);
        }
    }
    analysis.templates = scanned.len();

    // Follow local modules (each once: a cycle is reported by the evaluator).
    let mut linked: BTreeSet<PathBuf> = BTreeSet::new();
    while let Some(path) = pending.pop() {
        let key = isolint_arm::normalize(&path);
        if !linked.insert(key.clone())
            || library.contains_key(&key)
            || json_library.contains_key(&key)
        {
            continue;
        }
        if !path.is_file() {
            continue;
        }
        if accepts(&path) {
            let r = read_bicep(&path, sources);
            analysis.diagnostics.extend(r.diagnostics);
            if let Some(template) = r.template {
                edges.insert(
                    key.clone(),
                    r.modules
                        .iter()
                        .map(|m| isolint_arm::normalize(m))
                        .collect(),
                );
                pending.extend(r.modules);
                library.insert(key, template);
            }
        } else if let Some(template) =
            isolint_arm::read_template(&path, sources, &mut analysis.diagnostics)
        {
            json_library.insert(key, template);
        }
    }

    // Parameter files: those named, then `<name>.bicepparam` beside each scanned template.
    let mut applied: BTreeSet<PathBuf> = BTreeSet::new();
    let mut param_paths: Vec<PathBuf> = param_files.iter().map(|p| (*p).clone()).collect();
    for template in &scanned {
        let beside = template.with_extension("bicepparam");
        if beside.is_file()
            && !param_paths
                .iter()
                .any(|p| isolint_arm::normalize(p) == beside)
        {
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

/// The template a `.bicepparam` file's `using` names, read with a quick parse.
fn using_target(path: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(path).ok()?;
    let program = parser::parse(&text);
    let using = program.decls.iter().find_map(|d| match &d.kind {
        DeclKind::Using(Some(Expr {
            kind: ExprKind::String(pieces, holes),
            ..
        })) if holes.is_empty() => Some(pieces.concat()),
        _ => None,
    })?;
    (!lower::is_registry(&using)).then(|| path.parent().unwrap_or(Path::new("")).join(using))
}

/// Applies one `.bicepparam` file: its `param x = value` replace the defaults of the
/// template its `using` names.
fn apply_param_file(
    path: &Path,
    sources: &SourceMap,
    library: &mut BTreeMap<PathBuf, Template>,
    applied: &mut BTreeSet<PathBuf>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let file = match isolint_arm::read_source(path, sources) {
        Ok(file) => file,
        Err(d) => {
            diagnostics.push(d);
            return;
        }
    };
    let program = parse_file(&file, diagnostics);
    let using = program.decls.iter().find_map(|d| match &d.kind {
        DeclKind::Using(Some(Expr {
            kind: ExprKind::String(pieces, holes),
            ..
        })) if holes.is_empty() => Some(pieces.concat()),
        _ => None,
    });
    let Some(using) = using else {
        return;
    };
    if lower::is_registry(&using) {
        return;
    }
    let target = isolint_arm::normalize(&path.parent().unwrap_or(Path::new("")).join(&using));
    let Some(template) = library.get_mut(&target) else {
        return;
    };
    if !applied.insert(target) {
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
                        format!("`{}` is not a parameter of `{using}`", p.name.name),
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
