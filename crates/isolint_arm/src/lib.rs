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
//! Which files make a deployment (linked templates, Bicep modules, parameter files, roots)
//! is the deployment graph's business (`isolint_deploy`): this crate reads one document
//! ([`read_document`]) and evaluates one root over a [`Library`] of templates
//! ([`evaluate`]).
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

use std::path::Path;
use std::sync::Arc;

use isolint_json::Json;
use isolint_model::source::normalize;
use isolint_model::{Decider, Diagnostic, Node, Provenance, Resource, SourceFile, Span};

pub use crate::eval::Library;
use crate::eval::{Session, evaluate_root};
use crate::template::{DocumentKind, Template};

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

/// What an ARM JSON document is, once read.
#[derive(Debug)]
pub enum Document {
    /// A deployment template, lowered.
    Template(Template),
    /// A deployment parameters file: its values, each named as given by the file.
    Parameters(Vec<(Arc<str>, Node)>),
    /// A JSON array of objects that look like ARM resources: a broken template (or an
    /// export of deployed resources, which another reader may recognise first).
    ResourceArray(Diagnostic),
    /// Any other JSON: not ARM's.
    Other,
}

/// Classifies and reads a JSON document of `file` (the template found at any place in
/// it: a template spec's `properties.mainTemplate` too). Lowering problems go to
/// `diagnostics`; the template is still returned with what could be read.
pub fn read_document(
    file: &SourceFile,
    json: &Json,
    diagnostics: &mut Vec<Diagnostic>,
) -> Document {
    match template::classify(json) {
        DocumentKind::Template => Document::Template(template::lower(file, json, diagnostics)),
        DocumentKind::Parameters => Document::Parameters(parameter_values(json)),
        DocumentKind::ResourceArray => Document::ResourceArray(
            Diagnostic::error(
                "template-error",
                "this JSON array holds resources, but a template must be an object with `$schema`, `contentVersion` and `resources`",
                &file.path,
            )
            .at(Span::new(file.id, json.span.start as usize, json.span.start as usize + 1)),
        ),
        DocumentKind::Other => Document::Other,
    }
}

/// Evaluates the template at `root` in `library` (with everything it deploys that the
/// library holds) under `values` (a parameters file's, for parameters they name) and
/// returns every resource it deploys and the problems met. A deployment whose template
/// the library lacks, or that names one remotely ([`template::Remote`]), is not followed:
/// its outputs are unknown (the deployment graph reports it as a coverage gap).
pub fn evaluate(
    library: &Library,
    root: &Path,
    values: &[(Arc<str>, Node)],
) -> (Vec<Resource>, Vec<Diagnostic>) {
    let Some(template) = library.get(&normalize(root)) else {
        return (Vec::new(), Vec::new());
    };
    let session = Session::new(library);
    let resources = evaluate_root(&session, template, values);
    (resources, session.into_diagnostics())
}

/// The values a `.bicepparam` file (lowered as a template whose parameters' defaults are
/// the values it gives) supplies: each parameter's value evaluated, named as given by the
/// file rather than as a default.
pub fn given_values(parameters: &Template) -> (Vec<(Arc<str>, Node)>, Vec<Diagnostic>) {
    let library = Library::default();
    let session = Session::new(&library);
    let values = eval::parameter_values(&session, parameters);
    (values, session.into_diagnostics())
}

/// The values of a deployment parameters file, each named as given by the file. A key
/// vault reference is a secret: unknown.
pub fn parameter_values(json: &Json) -> Vec<(Arc<str>, Node)> {
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
