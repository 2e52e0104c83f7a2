//! The Terraform frontend: reads `.tf` folders as modules, evaluates them statically, and
//! lowers every `azurerm_*` and `azapi_*` resource it knows into the ARM-shaped model.
//!
//! - the reader parses files with `hcl-edit`, keeping byte spans, and gathers a
//!   folder's blocks into one module;
//! - the evaluator resolves variables (defaults, `terraform.tfvars`,
//!   `terraform.tfvars.json`, `*.auto.tfvars`), locals (with cycle detection), templates,
//!   conditionals, `for` expressions, common functions, references between resources,
//!   and local modules (`source = "./..."`), with inputs bound and outputs read back;
//! - the mapping table (data only, [`mapped_attributes`] lists what it reads) says how
//!   each resource lands in ARM terms; the lowering applies it, materializing the provider
//!   defaults that differ from the ARM API's as known values marked *defaulted*.
//!
//! A plan (`terraform show -json` output) is read by [`plan`] into the same model, through
//! the same table and lowering.
//!
//! `.tf.json` and `.tfvars.json` are read by `isolint_json`, keeping spans. Every file and
//! folder is reached through the [`SourceMap`]: a local module it refuses (a symbolic link
//! out of the project root) gives a warning at the module call and is not read.

mod eval;
mod functions;
mod json;
mod lower;
mod mapping;
pub mod plan;
mod read;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_model::source::normalize;
use isolint_model::{Analysis, Decider, Diagnostic, Node, PathKind, Provenance, SourceMap};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::eval::{Ctx, Instance};
use crate::read::Module;

/// The azurerm major whose defaults apply when no version constraint says otherwise.
const NEWEST_AZURERM_MAJOR: u32 = 4;

/// How to read Terraform.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Variable files given on the command line (`--var-file FILE`), applied after the
    /// files found by convention.
    pub var_files: Vec<PathBuf>,
    /// Variables given on the command line (`--var name=value`), applied last: the value
    /// is read as an HCL literal (`true`, `3`, `["a"]`, `{ a = 1 }`) when it is one, and
    /// as a string otherwise.
    pub vars: Vec<(String, String)>,
}

/// Every (Terraform resource type, attribute path) the mapping table reads, the path as
/// written in HCL and dotted through nested blocks (`network_rules.default_action`), sorted:
/// what rule help may name when it tells a Terraform user what to write.
pub fn mapped_attributes() -> Vec<(&'static str, String)> {
    mapping::mapped_attributes()
}

/// Whether `path` is a file this frontend reads: `.tf` and `.tf.json` (variable files are
/// found beside the modules that use them).
pub fn accepts(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    Path::new(&name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tf"))
        || read::is_json(Path::new(&name))
}

/// Reads `files`, groups them by folder (one folder is one module), and evaluates every
/// folder that no other scanned folder calls as a local module. A file that cannot be read
/// or parsed gives a diagnostic and never stops the others.
pub fn analyze(files: &[PathBuf], sources: &SourceMap, options: &Options) -> Analysis {
    let mut analysis = Analysis::default();
    let mut by_dir: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for file in files {
        let file = normalize(file);
        let dir = file
            .parent()
            .map_or_else(|| file.clone(), Path::to_path_buf);
        by_dir.entry(dir).or_default().push(file);
    }
    let scan_root = common_root(by_dir.keys());
    let mut modules: FxHashMap<PathBuf, Arc<Module>> = FxHashMap::default();
    let mut rewrites = json::Rewrites::default();
    for (dir, files) in &by_dir {
        let module = read_module(dir, files, sources, &mut rewrites, &mut analysis);
        modules.insert(dir.clone(), Arc::new(module));
    }
    // Local modules that the scanned folders call but that were not in the file list
    // (a pre-commit hook names only the changed files): read them when they lie below the
    // scan root.
    let mut pending: Vec<PathBuf> = modules.values().flat_map(|m| local_calls(m)).collect();
    let mut seen: FxHashSet<PathBuf> = FxHashSet::default();
    while let Some(dir) = pending.pop() {
        if modules.contains_key(&dir) || !seen.insert(dir.clone()) || !dir.starts_with(&scan_root) {
            continue;
        }
        let module = match tf_files(&dir, sources) {
            Ok(files) if files.is_empty() => continue,
            Ok(files) => read_module(
                &dir,
                &files,
                sources,
                &mut rewrites,
                &mut Analysis::default(),
            ),
            Err(refusal) => Module {
                dir: dir.clone(),
                refused: Some(refusal),
                ..Module::default()
            },
        };
        pending.extend(local_calls(&module));
        modules.insert(dir, Arc::new(module));
    }
    analysis.templates = by_dir.values().map(Vec::len).sum();

    let called: FxHashSet<PathBuf> = modules.values().flat_map(|m| local_calls(m)).collect();
    let mut roots: Vec<PathBuf> = by_dir
        .keys()
        .filter(|d| !called.contains(*d))
        .cloned()
        .collect();
    // Folders only reached from within a cycle of calls are evaluated once, on their own.
    let mut reached: FxHashSet<PathBuf> = FxHashSet::default();
    for root in &roots {
        reach(root, &modules, &mut reached);
    }
    for dir in by_dir.keys() {
        if !reached.contains(dir) {
            reach(dir, &modules, &mut reached);
            roots.push(dir.clone());
        }
    }

    let mut opaque = BTreeSet::new();
    let command_line = command_line_vars(&options.vars, sources);
    for file in &options.var_files {
        match sources.kind(file) {
            PathKind::File => {}
            PathKind::Refused(refusal) => analysis.diagnostics.push(refusal.diagnostic(file)),
            PathKind::Folder | PathKind::Missing => analysis.diagnostics.push(Diagnostic::error(
                "io-error",
                "cannot read the variable file: it does not exist or is not a file",
                file,
            )),
        }
    }
    for dir in roots {
        let Some(module) = modules.get(&dir) else {
            continue;
        };
        let major = major_of(module.azurerm_version.as_deref());
        let ctx = Ctx::new(&modules, sources, &rewrites, major, scan_root.clone());
        let mut inputs = tfvars(&dir, &options.var_files, sources, &mut analysis.diagnostics);
        inputs.extend(
            command_line
                .iter()
                .map(|(name, value)| (name.clone(), value.clone())),
        );
        let root = Instance::new(
            &ctx,
            Arc::clone(module),
            inputs,
            Vec::new(),
            vec![dir.clone()],
        );
        emit(&root, &mut analysis);
        let mut seen = FxHashSet::default();
        for diagnostic in ctx.diagnostics.take() {
            if seen.insert((diagnostic.message.clone(), diagnostic.span)) {
                analysis.diagnostics.push(diagnostic);
            }
        }
        opaque.extend(ctx.opaque.take());
    }
    json::remap(&rewrites, &mut analysis);
    if !opaque.is_empty() {
        analysis.notes.push(format!(
            "not followed (cannot be read offline): {}",
            opaque.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    analysis
}

/// Lowers the resources of an instance and of every module it calls.
fn emit(instance: &Instance<'_>, analysis: &mut Analysis) {
    for decl in &instance.module.resources {
        analysis.resources.extend(instance.lower(decl));
    }
    for call in &instance.module.calls {
        for child in instance.module_instances(&call.name) {
            emit(&child, analysis);
        }
    }
}

/// Reads the files of one folder into a module.
fn read_module(
    dir: &Path,
    files: &[PathBuf],
    sources: &SourceMap,
    rewrites: &mut json::Rewrites,
    analysis: &mut Analysis,
) -> Module {
    let mut module = Module {
        dir: dir.to_path_buf(),
        ..Module::default()
    };
    let mut files = files.to_vec();
    files.sort();
    for path in files {
        let file = match sources.read(&path) {
            Ok(file) => file,
            Err(diagnostic) => {
                analysis.diagnostics.push(diagnostic);
                continue;
            }
        };
        let text: Arc<str> = if read::is_json(&path) {
            match json::to_hcl(&file) {
                Ok((hcl, map)) => {
                    let hcl: Arc<str> = hcl.into();
                    rewrites.insert(file.id, (Arc::clone(&hcl), map));
                    hcl
                }
                Err(diagnostic) => {
                    analysis.diagnostics.push(diagnostic);
                    continue;
                }
            }
        } else {
            Arc::clone(&file.text)
        };
        match read::parse(&file, &text) {
            Ok(body) => module.add_body(&body, file.id),
            Err(diagnostic) => analysis.diagnostics.push(diagnostic),
        }
    }
    module
}

/// The `.tf` and `.tf.json` files of a folder, sorted; the refusal when the folder, or one
/// of those files, lies outside the project root (a symbolic link out of it).
fn tf_files(dir: &Path, sources: &SourceMap) -> Result<Vec<PathBuf>, isolint_model::Refusal> {
    if let PathKind::Refused(refusal) = sources.kind(dir) {
        return Err(refusal);
    }
    let mut files = Vec::new();
    for path in sources.list_dir(dir).unwrap_or_default() {
        if !accepts(&path) {
            continue;
        }
        match sources.kind(&path) {
            PathKind::File => files.push(path),
            PathKind::Refused(refusal) => return Err(refusal),
            PathKind::Folder | PathKind::Missing => {}
        }
    }
    Ok(files)
}

/// The folders a module calls with a local `source`.
fn local_calls(module: &Module) -> Vec<PathBuf> {
    module
        .calls
        .iter()
        .filter_map(|call| {
            let source = call.block.body.get_attribute("source")?;
            let hcl_edit::expr::Expression::String(s) = &source.value else {
                return None;
            };
            let s = s.value();
            (s.starts_with("./") || s.starts_with("../")).then(|| normalize(&module.dir.join(s)))
        })
        .collect()
}

fn reach(from: &Path, modules: &FxHashMap<PathBuf, Arc<Module>>, reached: &mut FxHashSet<PathBuf>) {
    let mut pending = vec![from.to_path_buf()];
    while let Some(dir) = pending.pop() {
        if let Some(module) = modules.get(&dir)
            && reached.insert(dir)
        {
            pending.extend(local_calls(module));
        }
    }
}

/// The deepest folder that holds every scanned folder.
fn common_root<'a>(dirs: impl Iterator<Item = &'a PathBuf>) -> PathBuf {
    let mut root: Option<PathBuf> = None;
    for dir in dirs {
        root = Some(match root {
            None => dir.clone(),
            Some(r) => {
                let mut common = PathBuf::new();
                for (a, b) in r.components().zip(dir.components()) {
                    if a != b {
                        break;
                    }
                    common.push(a);
                }
                common
            }
        });
    }
    root.unwrap_or_default()
}

/// The azurerm major a `version` constraint selects: the major of `~>`, `=` or a bare
/// version; below an upper bound `< X.0` the major before it; otherwise the newest.
fn major_of(constraint: Option<&str>) -> u32 {
    let Some(constraint) = constraint else {
        return NEWEST_AZURERM_MAJOR;
    };
    let mut upper: Option<u32> = None;
    for part in constraint.split(',') {
        let part = part.trim();
        let op: String = part.chars().take_while(|c| !c.is_ascii_digit()).collect();
        let version = part.get(op.len()..).unwrap_or("");
        let mut numbers = version.split('.').map(|n| n.trim().parse::<u32>().ok());
        let Some(Some(major)) = numbers.next() else {
            continue;
        };
        let minor = numbers.next().flatten().unwrap_or(0);
        match op.trim() {
            "~>" | "=" | "" => return major,
            "<" if minor == 0 && version.split('.').skip(2).all(|p| p.trim() == "0") => {
                upper = Some(major.saturating_sub(1));
            }
            "<" | "<=" => upper = Some(major),
            _ => {}
        }
    }
    upper.map_or(NEWEST_AZURERM_MAJOR, |u| u.min(NEWEST_AZURERM_MAJOR.max(u)))
}

/// Values from `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` (lexical
/// order) and the `--var-file`s, later ones winning.
fn tfvars(
    dir: &Path,
    explicit: &[PathBuf],
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> FxHashMap<String, Node> {
    let mut files = vec![
        dir.join("terraform.tfvars"),
        dir.join("terraform.tfvars.json"),
    ];
    files.extend(
        sources
            .list_dir(dir)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| {
                p.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                })
            }),
    );
    files.extend(explicit.iter().cloned());
    let mut values = FxHashMap::default();
    for path in files {
        if !sources.is_file(&path) {
            continue;
        }
        let file = match sources.read(&path) {
            Ok(file) => file,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        if path.to_string_lossy().ends_with(".json") {
            json_tfvars(&file, &mut values, diagnostics);
            continue;
        }
        match read::parse(&file, &file.text) {
            Ok(body) => with_empty_module(sources, |empty| {
                for attr in body.attributes() {
                    let value = empty.eval(&attr.value, file.id, &[]);
                    let provenance = Provenance::of(Decider::ParameterValue {
                        name: attr.key.as_str().into(),
                        span: Some(read::span_of(file.id, attr)),
                    });
                    values.insert(
                        attr.key.as_str().to_owned(),
                        value.with_provenance(&provenance),
                    );
                }
            }),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    values
}

/// The values of a `.tfvars.json` file, each located where it is written; a file that does
/// not parse, or holds something else than one object, is a located error.
fn json_tfvars(
    file: &isolint_model::SourceFile,
    values: &mut FxHashMap<String, Node>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let json = match isolint_json::parse(file) {
        Ok(json) => json,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return;
        }
    };
    let Some(members) = json.members() else {
        let start = json.span.start as usize;
        diagnostics.push(
            Diagnostic::error(
                "parse-error",
                "a `.tfvars.json` file must hold one JSON object",
                &file.path,
            )
            .at(isolint_model::Span::new(file.id, start, start + 1)),
        );
        return;
    };
    for member in members {
        let provenance = Provenance::of(Decider::ParameterValue {
            name: Arc::clone(&member.key),
            span: Some(member.key_span.to(member.value.span)),
        });
        values.insert(
            member.key.to_string(),
            isolint_json::to_node(&member.value, None).with_provenance(&provenance),
        );
    }
}

/// The values of `--var name=value`: each is read as `name = value` in a source of its own
/// (named `--var name`); a value that does not parse, or that is not a literal (`foo`,
/// `var.x`, `f(1)`), is the string as written.
fn command_line_vars(vars: &[(String, String)], sources: &SourceMap) -> FxHashMap<String, Node> {
    let mut values = FxHashMap::default();
    if vars.is_empty() {
        return values;
    }
    with_empty_module(sources, |empty| {
        for (name, text) in vars {
            let literal = format!("{name} = {text}\n");
            let file = sources.add(Path::new(&format!("--var {name}")), literal.into());
            let attr = read::parse(&file, &file.text).ok().and_then(|body| {
                let mut attributes = body.attributes();
                let attr = attributes.next()?.clone();
                (attributes.next().is_none()
                    && attr.key.as_str() == name
                    && is_literal(&attr.value))
                .then_some(attr)
            });
            let value = match &attr {
                Some(attr) => empty.eval(&attr.value, file.id, &[]),
                None => {
                    let start = name.len() + 3;
                    let span = isolint_model::Span::new(file.id, start, start + text.len());
                    Node::string(text.as_str(), span)
                }
            };
            // No span: the command line is no file a report could point into.
            let provenance = Provenance::of(Decider::ParameterValue {
                name: name.as_str().into(),
                span: None,
            });
            values.insert(name.clone(), value.with_provenance(&provenance));
        }
    });
    values
}

/// Runs `f` with an instance of an empty module: variable files and `--var` values are
/// literals, evaluated outside any module (what they would report is dropped).
fn with_empty_module(sources: &SourceMap, f: impl FnOnce(&Instance<'_>)) {
    let modules = FxHashMap::default();
    let rewrites = json::Rewrites::default();
    let ctx = Ctx::new(
        &modules,
        sources,
        &rewrites,
        NEWEST_AZURERM_MAJOR,
        PathBuf::new(),
    );
    let empty = Instance::new(
        &ctx,
        Arc::new(Module::default()),
        FxHashMap::default(),
        Vec::new(),
        Vec::new(),
    );
    f(&empty);
}

/// Whether an expression is a literal: no reference, call or operator anywhere in it.
fn is_literal(expr: &hcl_edit::expr::Expression) -> bool {
    use hcl_edit::expr::Expression as E;
    match expr {
        E::Null(_) | E::Bool(_) | E::Number(_) | E::String(_) => true,
        E::Array(items) => items.iter().all(is_literal),
        E::Object(object) => object.iter().all(|(key, value)| {
            let key_ok = match key {
                hcl_edit::expr::ObjectKey::Ident(_) => true,
                hcl_edit::expr::ObjectKey::Expression(key) => is_literal(key),
            };
            key_ok && is_literal(value.expr())
        }),
        E::Parenthesis(inner) => is_literal(inner.inner()),
        E::UnaryOp(op) => matches!(op.expr, E::Number(_)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_constraints_select_a_major() {
        assert_eq!(major_of(None), 4);
        assert_eq!(major_of(Some("~> 3.0")), 3);
        assert_eq!(major_of(Some("=3.117.0")), 3);
        assert_eq!(major_of(Some(">= 3.0, < 4.0")), 3);
        assert_eq!(major_of(Some(">= 3.50")), 4);
        assert_eq!(major_of(Some("~>4.19")), 4);
    }

    #[test]
    fn command_line_values_are_literals_or_strings() {
        let sources = SourceMap::new();
        let vars: Vec<(String, String)> = [
            ("a", "true"),
            ("b", "3"),
            ("c", "[\"x\", 1]"),
            ("d", "{ k = \"v\" }"),
            ("e", "eastus"),
            ("f", "var.x"),
            ("g", "\"quoted\""),
            ("h", "not valid ]"),
        ]
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
        let values = command_line_vars(&vars, &sources);
        let render = |name: &str| values[name].render();
        assert_eq!(render("a"), "true()");
        assert_eq!(render("b"), "3");
        assert_eq!(render("e"), "'eastus'");
        assert_eq!(render("f"), "'var.x'");
        assert_eq!(render("g"), "'quoted'");
        assert_eq!(render("h"), "'not valid ]'");
        assert!(render("c").contains("'x'"), "{}", render("c"));
        assert!(render("d").contains("'v'"), "{}", render("d"));
    }

    #[test]
    fn mapped_attributes_name_what_the_table_reads() {
        let all = mapped_attributes();
        let has = |ty: &str, path: &str| all.iter().any(|(t, p)| *t == ty && p == path);
        assert!(has(
            "azurerm_storage_account",
            "network_rules.default_action"
        ));
        assert!(has(
            "azurerm_machine_learning_workspace",
            "public_network_access_enabled"
        ));
        assert!(has(
            "azurerm_machine_learning_compute_cluster",
            "machine_learning_workspace_id"
        ));
        assert!(has(
            "azurerm_private_endpoint",
            "private_service_connection.subresource_names"
        ));
        assert!(has(
            "azurerm_private_endpoint",
            "private_dns_zone_group.private_dns_zone_ids"
        ));
        assert!(has("azapi_resource", "body"));
        assert!(!has("azurerm_storage_account", "no_such_attribute"));
        assert!(
            all.windows(2).all(|w| w[0] < w[1]),
            "sorted, without duplicates"
        );
    }

    #[test]
    fn accepts_terraform_files() {
        assert!(accepts(Path::new("main.tf")));
        assert!(accepts(Path::new("x/main.tf.json")));
        assert!(!accepts(Path::new("azuredeploy.json")));
        assert!(!accepts(Path::new("terraform.tfvars")));
    }
}
