//! Compile-time imports of local files: `import {a, b as c} from './shared.bicep'` and
//! `import * as ns from './shared.bicep'` give the importing file the `@export()` variables
//! and functions of the other file, and tell it which exported types are nullable.
//!
//! The other file is read through the [`SourceMap`] (a path outside the project root is
//! refused with a warning at the path, as a module's is), parsed and lowered with its own
//! imports; its variables and functions are spliced into the importing template under a
//! prefix of their own (`_1.name`, `__bicep._1.f`), as Bicep's compiler does, so that the
//! values they depend on come along and never collide. `import ... from 'br/...'` (or
//! `ts:`) brings types only and reads nothing. Imports nest at most [`MAX_DEPTH`] files
//! deep, a cycle is cut, and one file brings at most [`MAX_DECLARATIONS`] declarations.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use isolint_arm::ir::{Expr as Ir, ExprKind as IrKind, ForLoop, LoopSource, Property};
use isolint_arm::template::{Function, Template, Variable};
use isolint_model::source::{display_name, normalize};
use isolint_model::{Diagnostic, PathKind, SourceFile, SourceMap, Span};

use crate::lower::{self, TypeShape, Types};
use crate::syntax::{Decl, DeclKind, Expr, ExprKind, Import, Imported, Program};

/// How many files deep imports are followed.
const MAX_DEPTH: usize = 16;
/// The most variables and functions the imports of one file bring, all levels together.
const MAX_DECLARATIONS: usize = 10_000;

/// What a name brought by an import stands for in the importing file.
#[derive(Clone, Debug)]
pub(crate) enum Binding {
    /// An exported variable, spliced under this name.
    Variable(Arc<str>),
    /// An exported function, spliced under this (lower-case, namespaced) name.
    Function(Arc<str>),
    /// `import * as ns`: the exported variables and functions, by their own names.
    Namespace(BTreeMap<Box<str>, Binding>),
}

/// What the imports of one file bring into it.
#[derive(Default)]
pub(crate) struct Imports {
    /// The names the file sees, by the name it uses (an alias, a namespace).
    pub(crate) bindings: BTreeMap<Box<str>, Binding>,
    /// Imported types that parameters may name (`t`, `ns.t`).
    pub(crate) types: Types,
    /// The variables to add to the file's template: every variable of each imported file,
    /// under its prefix.
    pub(crate) variables: Vec<Variable>,
    /// The functions to add, likewise.
    pub(crate) functions: Vec<Function>,
}

/// Resolves the local imports of `program` (parsed from `file`); problems with them are
/// warnings at the imported path, pushed to `diagnostics`.
pub(crate) fn resolve(
    file: &SourceFile,
    program: &Program,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Imports {
    let mut session = Session {
        sources,
        files: BTreeMap::new(),
        declarations: 0,
    };
    session.imports_of(file, program, &[normalize(&file.path)], Some(diagnostics))
}

/// An imported file, lowered with its own imports.
struct Lowered {
    template: Template,
    /// Every type it declares or imports, by the name it uses.
    types: Types,
    /// The names it exports: variables, functions and types.
    exported: Vec<(Box<str>, Exported)>,
}

/// What an exported name is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Exported {
    Variable,
    Function,
    Type,
}

/// One resolution: the files lowered so far (each once), and the budget spent.
struct Session<'s> {
    sources: &'s SourceMap,
    files: BTreeMap<PathBuf, Option<Rc<Lowered>>>,
    declarations: usize,
}

impl Session<'_> {
    /// The imports of one file; `chain` is the files importing it, itself last. Only the
    /// file checked (`diagnostics` given) reports problems: a file it imports is reported
    /// on when it is checked itself.
    fn imports_of(
        &mut self,
        file: &SourceFile,
        program: &Program,
        chain: &[PathBuf],
        mut diagnostics: Option<&mut Vec<Diagnostic>>,
    ) -> Imports {
        let mut imports = Imports::default();
        let mut ordinal = 0usize;
        for decl in &program.decls {
            let DeclKind::Import(Some(import)) = &decl.kind else {
                continue;
            };
            let Some(text) = literal(&import.from) else {
                continue;
            };
            if lower::is_registry(&text) || !is_bicep(&text) {
                continue;
            }
            ordinal += 1;
            let path = normalize(&file.path.parent().unwrap_or(Path::new("")).join(&text));
            let at = Span::new(
                file.id,
                import.from.range.start as usize,
                import.from.range.end as usize,
            );
            let mut warn = |code: &'static str, message: String| {
                if let Some(diagnostics) = diagnostics.as_deref_mut() {
                    diagnostics.push(Diagnostic::warning(code, message, &file.path).at(at));
                }
            };
            if chain.contains(&path) {
                warn(
                    "import-cycle",
                    format!("`{text}` imports this file again (a cycle of imports): not followed"),
                );
                continue;
            }
            if chain.len() > MAX_DEPTH {
                warn(
                    "import-depth",
                    format!(
                        "imports nest more than {MAX_DEPTH} files deep; `{text}` is not followed"
                    ),
                );
                continue;
            }
            match self.sources.kind(&path) {
                PathKind::File => {}
                PathKind::Refused(refusal) => {
                    if let Some(diagnostics) = diagnostics.as_deref_mut() {
                        diagnostics.push(refusal.at_reference(&path, &file.path, at));
                    }
                    continue;
                }
                PathKind::Folder | PathKind::Missing => {
                    warn(
                        "import-missing",
                        format!(
                            "`{}` cannot be read; what this file imports from it is unknown",
                            display_name(&path)
                        ),
                    );
                    continue;
                }
            }
            let Some(lowered) = self.lowered(&path, chain) else {
                continue;
            };
            let added = lowered.template.variables.len() + lowered.template.functions.len();
            if self.declarations + added > MAX_DECLARATIONS {
                warn(
                    "expansion-budget",
                    format!(
                        "the imports of this file bring more than {MAX_DECLARATIONS} declarations; `{text}` is not followed"
                    ),
                );
                continue;
            }
            self.declarations += added;
            let prefix = format!("_{ordinal}.");
            splice(&lowered, &prefix, &mut imports);
            bind(&lowered, import, &prefix, &mut imports);
        }
        imports
    }

    /// The file at `path` read, parsed and lowered with its own imports, once per session;
    /// `None` when it cannot be read.
    fn lowered(&mut self, path: &Path, chain: &[PathBuf]) -> Option<Rc<Lowered>> {
        if let Some(done) = self.files.get(path) {
            return done.clone();
        }
        let lowered = self.lower_file(path, chain).map(Rc::new);
        self.files.insert(path.to_path_buf(), lowered.clone());
        lowered
    }

    fn lower_file(&mut self, path: &Path, chain: &[PathBuf]) -> Option<Lowered> {
        let file = self.sources.read(path).ok()?;
        let program = crate::parser::parse(&file.text);
        let mut chain = chain.to_vec();
        chain.push(path.to_path_buf());
        let imports = self.imports_of(&file, &program, &chain, None);
        // What lowering the file says is said when the file is checked itself.
        let mut ignored = Vec::new();
        let (template, types) = lower::lower_with_imports(&file, &program, imports, &mut ignored);
        Some(Lowered {
            template,
            types,
            exported: exported(&program),
        })
    }
}

/// A string literal's text.
fn literal(expr: &Expr) -> Option<String> {
    match &expr.kind {
        ExprKind::String(pieces, holes) if holes.is_empty() => Some(pieces.concat()),
        _ => None,
    }
}

fn is_bicep(path: &str) -> bool {
    Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("bicep"))
}

/// The names a program exports (`@export()` on a variable, function or type).
fn exported(program: &Program) -> Vec<(Box<str>, Exported)> {
    program
        .decls
        .iter()
        .filter(|decl| is_exported(decl))
        .filter_map(|decl| match &decl.kind {
            DeclKind::Var(name, _) => Some((name.name.clone(), Exported::Variable)),
            DeclKind::Func(f) => Some((f.name.name.clone(), Exported::Function)),
            DeclKind::Type(t) => Some((t.name.name.clone(), Exported::Type)),
            _ => None,
        })
        .collect()
}

fn is_exported(decl: &Decl) -> bool {
    decl.decorators.iter().any(|decorator| {
        matches!(&decorator.kind, ExprKind::Call(target, name, _)
            if &*name.name == "export"
                && target.as_deref().is_none_or(|t| matches!(&t.kind, ExprKind::Ident(ns) if &**ns == "sys")))
    })
}

/// Adds every variable and function of an imported file under `prefix`.
fn splice(lowered: &Lowered, prefix: &str, imports: &mut Imports) {
    for variable in &lowered.template.variables {
        imports.variables.push(Variable {
            name: format!("{prefix}{}", variable.name).into(),
            span: variable.span,
            value: rename(&variable.value, prefix, false),
        });
    }
    for function in &lowered.template.functions {
        imports.functions.push(Function {
            name: function_name(&function.name, prefix).into(),
            parameters: function.parameters.clone(),
            output: rename(&function.output, prefix, true),
        });
    }
}

/// Binds the names an import brings.
fn bind(lowered: &Lowered, import: &Import, prefix: &str, imports: &mut Imports) {
    let binding = |name: &str, what: Exported| match what {
        Exported::Variable => Some(Binding::Variable(format!("{prefix}{name}").into())),
        Exported::Function => Some(Binding::Function(
            function_name(&format!("{}{name}", lower::FUNCTIONS), prefix).into(),
        )),
        Exported::Type => None,
    };
    let nullable = |name: &str| {
        if lowered.types.is_nullable(name) {
            TypeShape::Nullable
        } else {
            TypeShape::Other
        }
    };
    match &import.what {
        Imported::Names(names) => {
            for imported in names {
                let name = &*imported.name.name;
                let local = imported.alias.as_ref().map_or(name, |a| &*a.name);
                let Some((_, what)) = lowered.exported.iter().find(|(n, _)| &**n == name) else {
                    continue;
                };
                match binding(name, *what) {
                    Some(bound) => {
                        imports.bindings.insert(local.into(), bound);
                    }
                    None => imports.types.insert(local, nullable(name)),
                }
            }
        }
        Imported::All(namespace) => {
            let mut members = BTreeMap::new();
            for (name, what) in &lowered.exported {
                match binding(name, *what) {
                    Some(bound) => {
                        members.insert(name.clone(), bound);
                    }
                    None => imports
                        .types
                        .insert(&format!("{}.{name}", namespace.name), nullable(name)),
                }
            }
            imports
                .bindings
                .insert(namespace.name.clone(), Binding::Namespace(members));
        }
    }
}

/// `__bicep.f` under `prefix`: `__bicep._1.f`.
fn function_name(name: &str, prefix: &str) -> String {
    match name.strip_prefix(lower::FUNCTIONS) {
        Some(rest) => format!("{}{prefix}{rest}", lower::FUNCTIONS).to_ascii_lowercase(),
        None => name.to_owned(),
    }
}

/// `expr` of an imported file, its references to that file's variables and functions put
/// under `prefix`. A variable's value cannot read parameters (Bicep refuses it): outside a
/// function, `parameters(...)` becomes an invalid value rather than the importing file's
/// parameter of the same name.
fn rename(expr: &Ir, prefix: &str, in_function: bool) -> Ir {
    let again = |e: &Ir| rename(e, prefix, in_function);
    let kind = match &expr.kind {
        IrKind::Call(name, args) if &**name == "variables" => match args.as_slice() {
            [
                Ir {
                    kind: IrKind::String(variable),
                    span,
                },
            ] => IrKind::Call(
                name.clone(),
                vec![Ir::new(
                    IrKind::String(format!("{prefix}{variable}").into()),
                    *span,
                )],
            ),
            _ => IrKind::Invalid("a variable of an imported file named by an expression".into()),
        },
        IrKind::Call(name, _) if &**name == "parameters" && !in_function => IrKind::Invalid(
            "an imported value reads a parameter of the file it is imported from".into(),
        ),
        IrKind::Call(name, args) => IrKind::Call(
            function_name(name, prefix).into(),
            args.iter().map(again).collect(),
        ),
        IrKind::Array(items) => IrKind::Array(items.iter().map(again).collect()),
        IrKind::Object(properties) => IrKind::Object(
            properties
                .iter()
                .map(|p| Property {
                    key: again(&p.key),
                    value: again(&p.value),
                })
                .collect(),
        ),
        IrKind::Member(target, name, safe) => {
            IrKind::Member(Box::new(again(target)), name.clone(), *safe)
        }
        IrKind::Index(target, index, safe) => {
            IrKind::Index(Box::new(again(target)), Box::new(again(index)), *safe)
        }
        IrKind::For(for_loop) => IrKind::For(Box::new(ForLoop {
            source: match &for_loop.source {
                LoopSource::Count(count) => LoopSource::Count(again(count)),
                LoopSource::Items(items) => LoopSource::Items(again(items)),
            },
            item: for_loop.item.clone(),
            index: for_loop.index.clone(),
            copy_name: for_loop.copy_name.clone(),
            body: again(&for_loop.body),
            filter: for_loop.filter.as_ref().map(again),
        })),
        other => other.clone(),
    };
    Ir::new(kind, expr.span)
}
