//! The Terraform frontend: reads `.tf` folders as modules, evaluates them statically, and
//! lowers every `azurerm_*` and `azapi_*` resource it knows into the ARM-shaped model.
//!
//! - the reader parses files with `hcl-edit`, keeping byte spans, and gathers a
//!   folder's blocks into one module;
//! - the evaluator resolves variables (defaults, `terraform.tfvars`,
//!   `terraform.tfvars.json`, `*.auto.tfvars`), locals (with cycle detection), templates,
//!   conditionals, `for` expressions, common functions, references between resources,
//!   and module calls (local folders, and installed modules by manifest key), with inputs
//!   bound and outputs read back;
//! - the mapping table (data only, [`mapped_attributes`] lists what it reads) says how
//!   each resource lands in ARM terms; the lowering applies it, materializing the provider
//!   defaults that differ from the ARM API's as known values marked *defaulted*.
//!
//! A plan (`terraform show -json` output) is read by [`plan`] into the same model, through
//! the same table and lowering.
//!
//! `.tf.json` and `.tfvars.json` are read by `isolint_json`, keeping spans. Every file and
//! folder is reached through the [`SourceMap`]. Which folders are root modules, which
//! modules they call and where installed modules are is the deployment graph's business
//! (`isolint_deploy`): this crate reads folders ([`Modules`]) and evaluates a root.

mod eval;
mod functions;
mod json;
mod lower;
mod mapping;
pub mod plan;
mod read;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_model::source::normalize;
use isolint_model::{Analysis, Decider, Diagnostic, Node, PathKind, Provenance, SourceMap, Span};
use rustc_hash::{FxHashMap, FxHashSet};

pub use crate::eval::is_local_source;
use crate::eval::{Ctx, Instance};
use crate::read::Module;

/// The azurerm major whose defaults apply when no version constraint says otherwise.
const NEWEST_AZURERM_MAJOR: u32 = 4;

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

/// The values a root module's variables take (tfvars, `--var`), by name.
pub type Inputs = FxHashMap<String, Node>;

/// The Terraform modules of a deployment, read, by [`normalize`]d folder: root modules,
/// the local modules they call, and the installed (registry, git) ones. Which folders
/// they are is the deployment graph's business (`isolint_deploy`).
#[derive(Debug, Default)]
pub struct Modules {
    by_dir: FxHashMap<PathBuf, Arc<Module>>,
    rewrites: json::Rewrites,
}

/// A `module` block as written.
#[derive(Clone, Debug)]
pub struct ModuleCall {
    /// The call's name (`aml` for `module "aml"`).
    pub name: String,
    /// The `source` argument, when it is a plain string.
    pub source: Option<String>,
    /// The `version` argument, when it is a plain string.
    pub version: Option<String>,
    /// Where `source` is written (its value), else the block's header.
    pub at: Span,
    /// The whole block.
    pub declaration: Span,
}

impl Modules {
    /// No module read yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `files` of folder `dir` as one module (one folder is one module); what cannot
    /// be read or parsed is a diagnostic and never stops the other files.
    pub fn read(&mut self, dir: &Path, files: &[PathBuf], sources: &SourceMap) -> Vec<Diagnostic> {
        let dir = normalize(dir);
        let mut diagnostics = Vec::new();
        let module = read_module(&dir, files, sources, &mut self.rewrites, &mut diagnostics);
        self.by_dir.insert(dir, Arc::new(module));
        diagnostics
    }

    /// Records that folder `dir` is not read, and why (the graph reports the calls to it).
    pub fn refuse(&mut self, dir: &Path, refusal: isolint_model::Refusal) {
        let dir = normalize(dir);
        let module = Module {
            dir: dir.clone(),
            refused: Some(refusal),
            ..Module::default()
        };
        self.by_dir.insert(dir, Arc::new(module));
    }

    /// Whether folder `dir` was read (or refused).
    pub fn contains(&self, dir: &Path) -> bool {
        self.by_dir.contains_key(&normalize(dir))
    }

    /// Whether folder `dir` was read and holds at least one file that parsed.
    pub fn holds_declarations(&self, dir: &Path) -> bool {
        self.by_dir
            .get(&normalize(dir))
            .is_some_and(|m| m.refused.is_none() && m.files > 0)
    }

    /// The `module` blocks of folder `dir`, in file order, located in the files as written.
    pub fn calls(&self, dir: &Path) -> Vec<ModuleCall> {
        let Some(module) = self.by_dir.get(&normalize(dir)) else {
            return Vec::new();
        };
        let text = |call: &read::Call, key: &str| {
            call.block
                .body
                .get_attribute(key)
                .and_then(|attr| match &attr.value {
                    hcl_edit::expr::Expression::String(s) => {
                        Some((s.value().clone(), read::span_of(call.file, &attr.value)))
                    }
                    _ => None,
                })
        };
        module
            .calls
            .iter()
            .map(|call| {
                let source = text(call, "source");
                let header = read::header_span(call.file, &call.block);
                ModuleCall {
                    name: call.name.clone(),
                    at: json::remap_span(
                        &self.rewrites,
                        source.as_ref().map_or(header, |(_, at)| *at),
                    ),
                    source: source.map(|(text, _)| text),
                    version: text(call, "version").map(|(text, _)| text),
                    declaration: json::remap_span(
                        &self.rewrites,
                        read::span_of(call.file, &call.block),
                    ),
                }
            })
            .collect()
    }

    /// Evaluates the root module in `root` with its variables' `inputs`, and every module
    /// it calls that was read: local ones by folder, installed ones through `installed`
    /// (the folder of each manifest key). A module that was not read is not followed: its
    /// outputs are unknown (the graph reports it as a coverage gap).
    pub fn evaluate(
        &self,
        root: &Path,
        inputs: Inputs,
        installed: &FxHashMap<String, PathBuf>,
        sources: &SourceMap,
    ) -> Analysis {
        let mut analysis = Analysis::default();
        let root = normalize(root);
        let Some(module) = self.by_dir.get(&root) else {
            return analysis;
        };
        let major = major_of(module.azurerm_version.as_deref());
        let ctx = Ctx::new(&self.by_dir, sources, &self.rewrites, major, installed);
        let place = eval::Place {
            ancestors: vec![root],
            ..eval::Place::default()
        };
        let instance = Instance::new(&ctx, Arc::clone(module), inputs, place);
        emit(&instance, &mut analysis);
        let mut seen = FxHashSet::default();
        for diagnostic in ctx.diagnostics.take() {
            if seen.insert((diagnostic.message.clone(), diagnostic.span)) {
                analysis.diagnostics.push(diagnostic);
            }
        }
        json::remap(&self.rewrites, &mut analysis);
        analysis
    }
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
    diagnostics: &mut Vec<Diagnostic>,
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
                diagnostics.push(diagnostic);
                continue;
            }
        };
        module.hidden |= file.hidden;
        let text: Arc<str> = if read::is_json(&path) {
            match json::to_hcl(&file) {
                Ok((hcl, map)) => {
                    let hcl: Arc<str> = hcl.into();
                    rewrites.insert(file.id, (Arc::clone(&hcl), map));
                    hcl
                }
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    continue;
                }
            }
        } else {
            Arc::clone(&file.text)
        };
        match read::parse(&file, &text) {
            Ok(body) => module.add_body(&body, file.id),
            // A `.tf.json` file fails in its rewrite (a string holding a broken `${...}`):
            // the error is located back in the JSON.
            Err(mut diagnostic) => {
                diagnostic.span = diagnostic.span.map(|span| json::remap_span(rewrites, span));
                diagnostics.push(diagnostic);
            }
        }
    }
    module
}

/// The `.tf` and `.tf.json` files of a folder, sorted; the refusal when the folder, or one
/// of those files, lies outside the project root (a symbolic link out of it).
pub fn folder_files(
    dir: &Path,
    sources: &SourceMap,
) -> Result<Vec<PathBuf>, isolint_model::Refusal> {
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

/// The inputs of the root module in `dir`: `terraform.tfvars`, `terraform.tfvars.json`,
/// `*.auto.tfvars` (lexical order) and the `--var-file`s, later ones winning, then
/// `command_line` (see [`command_line_inputs`]).
pub fn root_inputs(
    dir: &Path,
    var_files: &[PathBuf],
    command_line: &Inputs,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Inputs {
    let mut inputs = tfvars(dir, var_files, sources, diagnostics);
    inputs.extend(
        command_line
            .iter()
            .map(|(name, value)| (name.clone(), value.clone())),
    );
    inputs
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
pub fn command_line_inputs(vars: &[(String, String)], sources: &SourceMap) -> Inputs {
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
    let installed = FxHashMap::default();
    let ctx = Ctx::new(
        &modules,
        sources,
        &rewrites,
        NEWEST_AZURERM_MAJOR,
        &installed,
    );
    let empty = Instance::new(
        &ctx,
        Arc::new(Module::default()),
        FxHashMap::default(),
        eval::Place::default(),
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
        let values = command_line_inputs(&vars, &sources);
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
