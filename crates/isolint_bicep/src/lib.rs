//! The Bicep frontend: reads `.bicep` and `.bicepparam` files with a hand-written,
//! error-tolerant, newline-sensitive parser ([`parser`]), lowers them onto the ARM
//! frontend's template structure and expression IR ([`lower`]), and lets the ARM
//! evaluator resolve parameters, variables, loops, conditions and modules.
//!
//! A module is a deployment whose template is a local file (`.bicep` or `.json`,
//! [`Template::links`](isolint_arm::template::Template::links)) or a registry or template
//! spec reference ([`isolint_arm::template::Remote`]); which files they are, and which
//! `.bicepparam` file gives a template its values, is the deployment graph's business
//! (`isolint_deploy`). Compile-time imports of local files give their exported values
//! (the `imports` module); registry imports bring types only. Every file is read through
//! the [`SourceMap`].

pub mod dump;
mod imports;
pub mod lexer;
pub mod lower;
pub mod parser;
pub mod syntax;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use isolint_arm::template::Template;
use isolint_model::{Diagnostic, SourceFile, SourceMap, Span};

use crate::syntax::{DeclKind, Expr, ExprKind, Program};

/// Whether `path` is a file this frontend reads (`.bicep`, `.bicepparam`).
pub fn accepts(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("bicep") || e.eq_ignore_ascii_case("bicepparam"))
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

/// Reads, parses and lowers one `.bicep` file with what its local imports bring. Syntax
/// errors and lowering problems are diagnostics; the template holds what could be read
/// (`None` only when the file cannot be read at all).
pub fn read_template(path: &Path, sources: &SourceMap) -> (Option<Template>, Vec<Diagnostic>) {
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
    (template, diagnostics)
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

/// Whether `path` is a `.bicepparam` file.
pub fn is_parameters_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("bicepparam"))
}

/// A `.bicepparam` file, read.
#[derive(Debug)]
pub struct ParametersFile {
    /// The template its `using` names, when it names one by a plain string.
    pub using: Option<Using>,
    /// The file lowered as a template: its `param x = value` are parameters whose defaults
    /// are the values (see `isolint_arm::given_values`), its `var`s variables.
    pub values: Template,
}

/// The `using` of a `.bicepparam` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Using {
    /// The reference as written: a path relative to the file, or a registry module.
    pub text: String,
    /// Where the reference is written.
    pub at: Span,
}

/// Reads, parses and lowers a `.bicepparam` file. Syntax errors are diagnostics.
pub fn read_parameters(
    path: &Path,
    sources: &SourceMap,
) -> (Option<ParametersFile>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let file = match sources.read(path) {
        Ok(file) => file,
        Err(d) => return (None, vec![d]),
    };
    let program = parse_file(&file, &mut diagnostics);
    let using = program.decls.iter().find_map(|d| match &d.kind {
        DeclKind::Using(Some(Expr {
            kind: ExprKind::String(pieces, holes),
            range,
        })) if holes.is_empty() => Some(Using {
            text: pieces.concat(),
            at: Span::new(file.id, range.start as usize, range.end as usize),
        }),
        _ => None,
    });
    let values = lower::lower(&file, &program, &mut diagnostics);
    (Some(ParametersFile { using, values }), diagnostics)
}
