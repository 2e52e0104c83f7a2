//! ARM templates lowered into the expression IR: parameters, variables, user functions,
//! resources (array or `languageVersion` 2.0 object; nested children; copy loops;
//! conditions; nested and linked deployments) and outputs.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_model::types::DEPLOYMENT;
use isolint_model::{Diagnostic, SourceFile, Span, Syntax};

use crate::expression::{self, Placement, StringValue};
use crate::functions;
use crate::ir::{Expr, ExprKind, ForLoop, LoopSource, Property};
use isolint_json::{Json, JsonKind, JsonString};

/// A lowered template.
#[derive(Debug)]
pub struct Template {
    /// The file it is written in.
    pub path: Arc<Path>,
    /// The whole template object.
    pub span: Span,
    /// Parameters, in declaration order.
    pub parameters: Vec<Parameter>,
    /// Variables (copy variables become loops), in declaration order.
    pub variables: Vec<Variable>,
    /// User-defined functions.
    pub functions: Vec<Function>,
    /// Resources, flattened: nested children follow their parent and point back at it.
    pub resources: Vec<ResourceDecl>,
    /// Outputs.
    pub outputs: Vec<Output>,
    /// The language the template is written in (`Syntax::Bicep` for a lowered `.bicep`
    /// file): the syntax of the resources it declares.
    pub syntax: Syntax,
    /// Read from a module cache: its text is never printed, and the values a module call
    /// written elsewhere passes to it are named as that call's arguments (a finding inside
    /// it moves there).
    pub hidden: bool,
}

impl Template {
    /// The local files this template deploys ([`NestedTemplate::Linked`]), its inline
    /// nested templates' included, in declaration order.
    pub fn links(&self) -> Vec<Link> {
        let mut out = Vec::new();
        self.collect_links(&mut out);
        out
    }

    fn collect_links(&self, out: &mut Vec<Link>) {
        for decl in &self.resources {
            let Some(deployment) = &decl.deployment else {
                continue;
            };
            match &deployment.template {
                NestedTemplate::Linked(path) => out.push(Link {
                    path: isolint_model::source::normalize(path),
                    at: deployment.link.unwrap_or(decl.header),
                }),
                NestedTemplate::Inline(inner) => inner.collect_links(out),
                NestedTemplate::Remote(_) | NestedTemplate::Opaque(_) => {}
            }
        }
    }

    /// The deployments whose template lies elsewhere than a local file (see [`Remote`]),
    /// its inline nested templates' included, each with where its reference is written.
    pub fn remotes(&self) -> Vec<(Remote, Span)> {
        let mut out = Vec::new();
        self.visit_nested(&mut |nested, at| {
            if let NestedTemplate::Remote(remote) = nested {
                out.push((remote.clone(), at));
            }
        });
        out
    }

    /// Replaces each [`Remote`] template that `resolve` finds a file for with that file
    /// ([`NestedTemplate::Linked`]): a registry module restored into the module cache.
    pub fn resolve_remotes(&mut self, resolve: &mut dyn FnMut(&Remote) -> Option<PathBuf>) {
        for decl in &mut self.resources {
            let Some(deployment) = &mut decl.deployment else {
                continue;
            };
            match &mut deployment.template {
                NestedTemplate::Remote(remote) => {
                    if let Some(path) = resolve(remote) {
                        deployment.template = NestedTemplate::Linked(path);
                    }
                }
                NestedTemplate::Inline(inner) => inner.resolve_remotes(resolve),
                NestedTemplate::Linked(_) | NestedTemplate::Opaque(_) => {}
            }
        }
    }

    fn visit_nested(&self, visit: &mut dyn FnMut(&NestedTemplate, Span)) {
        for decl in &self.resources {
            let Some(deployment) = &decl.deployment else {
                continue;
            };
            visit(&deployment.template, deployment.link.unwrap_or(decl.header));
            if let NestedTemplate::Inline(inner) = &deployment.template {
                inner.visit_nested(visit);
            }
        }
    }
}

/// A template that a deployment names by something other than a local path: read only
/// once the deployment graph resolves it to a file (a Bicep registry module restored into
/// the module cache), else a module that is not checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remote {
    /// The reference as written (`br/public:avm/res/x:1.0.0`, a URI).
    pub reference: Arc<str>,
    /// What kind of reference it is.
    pub kind: RemoteKind,
}

/// The kinds of [`Remote`] reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemoteKind {
    /// A Bicep registry module or template spec (`br:`, `br/<alias>:`, `ts:`, `ts/<alias>:`).
    BicepModule,
    /// An ARM `templateLink.uri`: a template on the web, never fetched.
    Uri,
    /// An ARM `templateLink.id`: a template spec in Azure, never fetched.
    TemplateSpec,
    /// An ARM `templateLink.relativePath` computed by an expression.
    Computed,
}

/// A template parameter.
#[derive(Debug)]
pub struct Parameter {
    /// Its name.
    pub name: Arc<str>,
    /// Where the name is declared.
    pub span: Span,
    /// The default value.
    pub default: Option<Expr>,
    /// Whether the parameter may be null (`"nullable": true`), which makes it `null` when
    /// no value is given.
    pub nullable: bool,
}

/// A template variable.
#[derive(Debug)]
pub struct Variable {
    /// Its name.
    pub name: Arc<str>,
    /// Where it is declared.
    pub span: Span,
    /// Its value.
    pub value: Expr,
}

/// A user-defined function (`namespace.member`).
#[derive(Debug)]
pub struct Function {
    /// `namespace.member`, lower-cased.
    pub name: Arc<str>,
    /// Parameter names, in order.
    pub parameters: Vec<Arc<str>>,
    /// The output value.
    pub output: Expr,
}

/// A template output.
#[derive(Debug)]
pub struct Output {
    /// Its name.
    pub name: Arc<str>,
    /// Its value (a copy output is a loop).
    pub value: Expr,
}

/// A resource-level `copy` loop.
#[derive(Debug)]
pub struct Copy {
    /// The loop's name, for `copyIndex('name')`.
    pub name: Option<Arc<str>>,
    /// How many instances.
    pub count: Expr,
}

/// A resource declaration.
#[derive(Debug)]
pub struct ResourceDecl {
    /// The symbolic name (`languageVersion` 2.0).
    pub symbolic: Option<Arc<str>>,
    /// The type as written: full, or relative to the parent for a nested child.
    pub ty: Arc<str>,
    /// The API version.
    pub api_version: Option<Arc<str>>,
    /// The name expression: full, or relative to the parent for a nested child.
    pub name: Expr,
    /// The name as written.
    pub name_text: Arc<str>,
    /// The condition.
    pub condition: Option<Expr>,
    /// The condition as written, without brackets.
    pub condition_text: Option<Arc<str>>,
    /// The resource loop.
    pub copy: Option<Copy>,
    /// `"existing": true`.
    pub existing: bool,
    /// The other members (`properties`, `sku`, `kind`, `tags`, `identity`, `location`).
    pub body: Vec<(Arc<str>, Span, Expr)>,
    /// The whole declaration.
    pub span: Span,
    /// The `"name"` member: where findings about absent properties point.
    pub header: Span,
    /// The parent declaration, for children nested in a parent's `resources`.
    pub parent: Option<usize>,
    /// Set for `Microsoft.Resources/deployments`.
    pub deployment: Option<Deployment>,
    /// Where the resource lives when the declaration says (a deployment's target, an
    /// `existing` resource in another resource group); empty for the deployment's own.
    pub scope: Scope,
}

/// The scope a declaration names for itself: `subscriptionId` and `resourceGroup` of a
/// deployment or an `existing` resource (Bicep `scope: resourceGroup(...)`,
/// `subscription(...)`), or a deployment at the tenant or a management group (ARM `scope`,
/// Bicep `tenant()` and `managementGroup(...)`). A deployment's resources live in its
/// scope, and their IDs say so.
#[derive(Debug, Default)]
pub struct Scope {
    /// The subscription ID.
    pub subscription: Option<Expr>,
    /// The resource group's name.
    pub resource_group: Option<Expr>,
    /// At the tenant or a management group: in no subscription and no resource group.
    pub above_subscriptions: bool,
}

impl Scope {
    /// Whether the declaration names no scope of its own.
    pub fn is_empty(&self) -> bool {
        self.subscription.is_none() && self.resource_group.is_none() && !self.above_subscriptions
    }
}

/// A nested or linked deployment.
#[derive(Debug)]
pub struct Deployment {
    /// `expressionEvaluationOptions.scope` is `inner`: the nested template has its own
    /// parameters and variables. Otherwise (outer scope, the default for inline
    /// templates) it reads the parent's.
    pub inner_scope: bool,
    /// The template it deploys.
    pub template: NestedTemplate,
    /// The parameter values passed, each the whole `{ "value": ... }` entry.
    pub parameters: DeploymentParameters,
    /// Where a linked template's path is written (`templateLink.relativePath`, a Bicep
    /// module's path), for diagnostics about reading it.
    pub link: Option<Span>,
}

/// A template that another deploys by path (see [`Template::links`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The linked file, [`normalize`](isolint_model::source::normalize)d.
    pub path: PathBuf,
    /// Where the path is written: the link itself, else the deployment's header.
    pub at: Span,
}

/// The template a deployment deploys.
#[derive(Debug)]
pub enum NestedTemplate {
    /// Written inline.
    Inline(Box<Template>),
    /// A local file (`templateLink.relativePath`, a Bicep module's path, a restored
    /// registry module), resolved against the template's folder.
    Linked(PathBuf),
    /// A template named otherwise (see [`Remote`]).
    Remote(Remote),
    /// A deployment with no template at all: nothing to read; the text says what.
    Opaque(Arc<str>),
}

/// The parameters a deployment passes.
#[derive(Debug)]
pub enum DeploymentParameters {
    /// One entry per parameter: `{ "value": ... }`, a key vault `reference`, or an
    /// expression that evaluates to such an object (Bicep wraps ternaries that way).
    Entries(Vec<(Arc<str>, Span, Expr)>),
    /// The whole `parameters` member is one expression.
    Expression(Expr),
    /// The parameters come from a file that cannot be read offline (`parametersLink`).
    Opaque(Arc<str>),
}

/// Members of a resource declaration that are not part of its body.
const META: &[&str] = &[
    "type",
    "apiVersion",
    "name",
    "condition",
    "copy",
    "dependsOn",
    "resources",
    "comments",
    "existing",
    "metadata",
    "subscriptionId",
    "resourceGroup",
];

/// What a JSON document is.
pub enum DocumentKind {
    /// A deployment template.
    Template,
    /// A deployment parameters file.
    Parameters,
    /// A JSON array of objects that look like ARM resources: a broken template.
    ResourceArray,
    /// Any other JSON: not ours.
    Other,
}

/// Tells templates from parameter files from other JSON.
pub fn classify(json: &Json) -> DocumentKind {
    if let Some(items) = json.as_array() {
        let resource_like = !items.is_empty()
            && items
                .iter()
                .all(|item| item.get("type").is_some() && item.get("apiVersion").is_some());
        return if resource_like {
            DocumentKind::ResourceArray
        } else {
            DocumentKind::Other
        };
    }
    if json.members().is_none() {
        return DocumentKind::Other;
    }
    let schema = json
        .get("$schema")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    if schema.contains("deploymentparameters") {
        return DocumentKind::Parameters;
    }
    if schema.contains("deploymenttemplate") {
        return DocumentKind::Template;
    }
    let has_resources = matches!(
        json.get("resources").map(|r| &r.kind),
        Some(JsonKind::Array(_) | JsonKind::Object(_))
    );
    if has_resources && (json.get("contentVersion").is_some() || json.get("parameters").is_some()) {
        return DocumentKind::Template;
    }
    let parameter_entries = json.get("parameters").and_then(Json::members);
    if !has_resources
        && json.get("contentVersion").is_some()
        && parameter_entries.is_some_and(|entries| {
            entries
                .iter()
                .all(|e| e.value.get("value").is_some() || e.value.get("reference").is_some())
        })
    {
        return DocumentKind::Parameters;
    }
    DocumentKind::Other
}

/// How many `$ref` steps [`is_nullable`] follows: definitions that refer to each other
/// in a longer chain (or a cycle) are not nullable.
const MAX_REF_CHAIN: usize = 32;

/// Whether a parameter (or a type definition) may be null: it says `"nullable": true`, or
/// its `"$ref"` names a definition of the template's `definitions` that is nullable (a
/// Bicep `type t = {...}?` compiles to one), following references.
fn is_nullable(declared: &Json, definitions: Option<&Json>) -> bool {
    let mut current = declared;
    for _ in 0..MAX_REF_CHAIN {
        if matches!(
            current.get("nullable").map(|n| &n.kind),
            Some(JsonKind::Bool(true))
        ) {
            return true;
        }
        let Some(next) = current
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|reference| definition(reference, definitions?))
        else {
            return false;
        };
        current = next;
    }
    false
}

/// The definition a local `$ref` names (`#/definitions/name`, JSON-pointer escapes undone).
fn definition<'j>(reference: &str, definitions: &'j Json) -> Option<&'j Json> {
    let name = reference.strip_prefix("#/definitions/")?;
    if name.contains('/') {
        return None;
    }
    definitions.get(&name.replace("~1", "/").replace("~0", "~"))
}

/// Lowers a template document. Problems (bad expressions, malformed declarations) are
/// pushed to `diagnostics`; the template is still returned with what could be read.
pub fn lower(file: &SourceFile, json: &Json, diagnostics: &mut Vec<Diagnostic>) -> Template {
    let mut lowerer = Lowerer { file, diagnostics };
    lowerer.template(json)
}

/// Lowers a JSON value (a parameter file value, a default) into the IR.
pub fn lower_value(file: &SourceFile, json: &Json, diagnostics: &mut Vec<Diagnostic>) -> Expr {
    Lowerer { file, diagnostics }.value(json)
}

struct Lowerer<'a> {
    file: &'a SourceFile,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Lowerer<'_> {
    fn error(&mut self, message: impl Into<String>, span: Span) {
        self.diagnostics
            .push(Diagnostic::error("template-error", message, &self.file.path).at(span));
    }

    fn template(&mut self, json: &Json) -> Template {
        let mut template = Template {
            path: Arc::from(self.file.path.as_path()),
            span: json.span,
            parameters: Vec::new(),
            variables: Vec::new(),
            functions: Vec::new(),
            resources: Vec::new(),
            outputs: Vec::new(),
            syntax: Syntax::Arm,
            hidden: self.file.hidden,
        };
        if let Some(parameters) = json.get("parameters") {
            let definitions = json.get("definitions");
            for member in parameters.members().unwrap_or_default() {
                let declared = &member.value;
                template.parameters.push(Parameter {
                    name: member.key.clone(),
                    span: member.key_span,
                    default: declared.get("defaultValue").map(|d| self.value(d)),
                    nullable: is_nullable(declared, definitions),
                });
            }
        }
        if let Some(variables) = json.get("variables") {
            for member in variables.members().unwrap_or_default() {
                if member.key.eq_ignore_ascii_case("copy") && member.value.as_array().is_some() {
                    for entry in member.value.as_array().unwrap_or_default() {
                        if let Some((name, span, value)) = self.copy_entry(entry) {
                            template.variables.push(Variable { name, span, value });
                        }
                    }
                } else {
                    template.variables.push(Variable {
                        name: member.key.clone(),
                        span: member.key_span,
                        value: self.value(&member.value),
                    });
                }
            }
        }
        if let Some(functions) = json.get("functions").and_then(Json::as_array) {
            for namespace in functions {
                let prefix = namespace
                    .get("namespace")
                    .and_then(Json::as_str)
                    .unwrap_or("");
                for member in namespace
                    .get("members")
                    .and_then(Json::members)
                    .unwrap_or_default()
                {
                    let parameters = member
                        .value
                        .get("parameters")
                        .and_then(Json::as_array)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|p| p.get("name").and_then(Json::as_str).map(Arc::from))
                        .collect();
                    let output = match member.value.get("output").and_then(|o| o.get("value")) {
                        Some(value) => self.value(value),
                        None => Expr::new(
                            ExprKind::Invalid("the function has no output".into()),
                            member.key_span,
                        ),
                    };
                    template.functions.push(Function {
                        name: format!("{prefix}.{}", member.key)
                            .to_ascii_lowercase()
                            .into(),
                        parameters,
                        output,
                    });
                }
            }
        }
        match json.get("resources").map(|r| (&r.kind, r.span)) {
            Some((JsonKind::Array(items), _)) => {
                for item in items {
                    self.resource(item, None, None, &mut template.resources);
                }
            }
            Some((JsonKind::Object(members), _)) => {
                for member in members {
                    self.resource(
                        &member.value,
                        Some(member.key.clone()),
                        None,
                        &mut template.resources,
                    );
                }
            }
            Some((_, span)) => self.error(
                "`resources` must be an array (or an object with `languageVersion` 2.0)",
                span,
            ),
            None => {}
        }
        if let Some(outputs) = json.get("outputs") {
            for member in outputs.members().unwrap_or_default() {
                let value = if let Some(value) = member.value.get("value") {
                    self.value(value)
                } else if let Some(copy) = member.value.get("copy") {
                    let count = copy.get("count").map(|c| self.value(c));
                    let input = copy.get("input").map(|i| self.value(i));
                    match (count, input) {
                        (Some(count), Some(body)) => Expr::new(
                            ExprKind::For(Box::new(ForLoop {
                                source: LoopSource::Count(count),
                                item: None,
                                index: None,
                                copy_name: None,
                                body,
                                filter: None,
                            })),
                            copy.span,
                        ),
                        _ => Expr::new(
                            ExprKind::Invalid("an output copy needs count and input".into()),
                            copy.span,
                        ),
                    }
                } else {
                    continue;
                };
                template.outputs.push(Output {
                    name: member.key.clone(),
                    value,
                });
            }
        }
        template
    }

    /// `{ "name": ..., "count": ..., "input": ... }` of a variable or property copy.
    fn copy_entry(&mut self, entry: &Json) -> Option<(Arc<str>, Span, Expr)> {
        let name = entry.get("name").and_then(Json::as_str);
        let count = entry.get("count");
        let input = entry.get("input");
        let (Some(name), Some(count), Some(input)) = (name, count, input) else {
            self.error(
                "a `copy` entry needs `name`, `count` and `input`",
                entry.span,
            );
            return None;
        };
        let name: Arc<str> = name.into();
        let body = self.value(input);
        let count = self.value(count);
        let value = Expr::new(
            ExprKind::For(Box::new(ForLoop {
                source: LoopSource::Count(count),
                item: None,
                index: None,
                copy_name: Some(name.clone()),
                body,
                filter: None,
            })),
            entry.span,
        );
        let span = entry.member("name").map_or(entry.span, |m| m.key_span);
        Some((name, span, value))
    }

    fn resource(
        &mut self,
        json: &Json,
        symbolic: Option<Arc<str>>,
        parent: Option<usize>,
        out: &mut Vec<ResourceDecl>,
    ) {
        if json.members().is_none() {
            self.error("a resource must be an object", json.span);
            return;
        }
        let Some(ty) = json.get("type").and_then(Json::as_str) else {
            self.error("the resource has no `type`", json.span);
            return;
        };
        if ty.starts_with('[') {
            self.error(
                "isolint cannot read a resource whose `type` is an expression",
                json.span,
            );
            return;
        }
        let Some(name_member) = json.member("name") else {
            self.error("the resource has no `name`", json.span);
            return;
        };
        let name_text: Arc<str> = match &name_member.value.kind {
            JsonKind::String(s) => s.text.clone(),
            _ => self.file.slice(name_member.value.span).into(),
        };
        let condition = json.get("condition");
        let condition_text = condition.map(|c| match c.as_str() {
            Some(text) => match expression::classify(text) {
                StringValue::Expression(inner) => Arc::from(inner.trim()),
                StringValue::Literal(literal) => Arc::from(literal),
            },
            None => Arc::from(self.file.slice(c.span)),
        });
        let copy = json.get("copy").and_then(|copy| match copy.get("count") {
            Some(count) => Some(Copy {
                name: copy.get("name").and_then(Json::as_str).map(Arc::from),
                count: self.value(count),
            }),
            None => {
                self.error("a resource `copy` needs a `count`", copy.span);
                None
            }
        });
        let is_deployment = ty.eq_ignore_ascii_case(DEPLOYMENT);
        let deployment = is_deployment.then(|| self.deployment(json));
        let scope = Scope {
            subscription: json.get("subscriptionId").map(|e| self.value(e)),
            resource_group: json.get("resourceGroup").map(|e| self.value(e)),
            // A deployment's `scope` is the tenant (`/`) or a management group; any other
            // resource's `scope` is the resource it extends, which is not where it lives.
            above_subscriptions: is_deployment && json.get("scope").is_some(),
        };
        let body = if is_deployment {
            Vec::new()
        } else {
            json.members()
                .unwrap_or_default()
                .iter()
                .filter(|m| !META.iter().any(|k| m.key.eq_ignore_ascii_case(k)))
                .map(|m| (m.key.clone(), m.key_span, self.value(&m.value)))
                .collect()
        };
        let decl = ResourceDecl {
            symbolic,
            ty: ty.into(),
            api_version: json.get("apiVersion").and_then(Json::as_str).map(Arc::from),
            name: self.value(&name_member.value),
            name_text,
            condition: condition.map(|c| self.value(c)),
            condition_text,
            copy,
            existing: matches!(
                json.get("existing").map(|e| &e.kind),
                Some(JsonKind::Bool(true))
            ),
            body,
            span: json.span,
            header: name_member.key_span.to(name_member.value.span),
            parent,
            deployment,
            scope,
        };
        let index = out.len();
        out.push(decl);
        for child in json
            .get("resources")
            .and_then(Json::as_array)
            .unwrap_or_default()
        {
            self.resource(child, None, Some(index), out);
        }
    }

    fn deployment(&mut self, json: &Json) -> Deployment {
        let properties = json.get("properties");
        let inner_scope = properties
            .and_then(|p| p.get("expressionEvaluationOptions"))
            .and_then(|o| o.get("scope"))
            .and_then(Json::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        let mut link_span = None;
        let template = match properties.and_then(|p| p.get("template")) {
            Some(inline) if inline.members().is_some() => {
                NestedTemplate::Inline(Box::new(self.template(inline)))
            }
            _ => {
                let link = properties.and_then(|p| p.get("templateLink"));
                let relative = link
                    .and_then(|l| l.get("relativePath"))
                    .filter(|p| p.as_str().is_some_and(|p| !p.starts_with('[')));
                match (relative.and_then(Json::as_str), link) {
                    (Some(path), _) => {
                        link_span = relative.map(|p| p.span);
                        NestedTemplate::Linked(
                            self.file.path.parent().unwrap_or(Path::new("")).join(path),
                        )
                    }
                    (None, Some(link)) => {
                        let named = [
                            ("uri", RemoteKind::Uri),
                            ("id", RemoteKind::TemplateSpec),
                            ("relativePath", RemoteKind::Computed),
                        ]
                        .into_iter()
                        .find_map(|(key, kind)| Some((link.get(key)?, kind)));
                        let (reference, kind) = match named {
                            Some((value, kind)) => {
                                link_span = Some(value.span);
                                let text = value
                                    .as_str()
                                    .unwrap_or_else(|| self.file.slice(value.span));
                                (text.into(), kind)
                            }
                            None => ("a linked template".into(), RemoteKind::Computed),
                        };
                        NestedTemplate::Remote(Remote { reference, kind })
                    }
                    (None, None) => {
                        NestedTemplate::Opaque("a deployment without a template".into())
                    }
                }
            }
        };
        let parameters = match properties.and_then(|p| p.get("parameters")) {
            Some(object) if object.members().is_some() => DeploymentParameters::Entries(
                object
                    .members()
                    .unwrap_or_default()
                    .iter()
                    .map(|m| (m.key.clone(), m.key_span, self.value(&m.value)))
                    .collect(),
            ),
            Some(expression) => DeploymentParameters::Expression(self.value(expression)),
            None => match properties.and_then(|p| p.get("parametersLink")) {
                Some(link) => DeploymentParameters::Opaque(
                    link.get("uri")
                        .and_then(Json::as_str)
                        .unwrap_or("a parameters link")
                        .into(),
                ),
                None => DeploymentParameters::Entries(Vec::new()),
            },
        };
        Deployment {
            inner_scope: inner_scope
                || matches!(
                    template,
                    NestedTemplate::Linked(_)
                        | NestedTemplate::Remote(_)
                        | NestedTemplate::Opaque(_)
                ),
            template,
            parameters,
            link: link_span,
        }
    }

    /// Lowers a JSON value: literals stay literals, `[...]` strings are parsed, objects
    /// with a `copy` array get property loops.
    fn value(&mut self, json: &Json) -> Expr {
        let kind = match &json.kind {
            JsonKind::Null => ExprKind::Null,
            JsonKind::Bool(b) => ExprKind::Bool(*b),
            JsonKind::Number(text) => match text.parse::<i64>() {
                Ok(i) => ExprKind::Int(i),
                Err(_) => ExprKind::Float(text.parse::<f64>().unwrap_or(f64::NAN)),
            },
            JsonKind::String(s) => return self.string(s, json.span),
            JsonKind::Array(items) => {
                ExprKind::Array(items.iter().map(|i| self.value(i)).collect())
            }
            JsonKind::Object(members) => {
                let mut properties = Vec::with_capacity(members.len());
                for member in members {
                    if member.key.eq_ignore_ascii_case("copy")
                        && let Some(loops) = member.value.as_array()
                        && loops.iter().all(|l| l.get("input").is_some())
                    {
                        for entry in loops {
                            if let Some((name, span, value)) = self.copy_entry(entry) {
                                properties.push(Property {
                                    key: Expr::new(ExprKind::String(name), span),
                                    value,
                                });
                            }
                        }
                        continue;
                    }
                    let key = match self.string_key(&member.key, member.key_span) {
                        Some(expr) => expr,
                        None => Expr::new(ExprKind::String(member.key.clone()), member.key_span),
                    };
                    properties.push(Property {
                        key,
                        value: self.value(&member.value),
                    });
                }
                ExprKind::Object(properties)
            }
        };
        Expr::new(kind, json.span)
    }

    /// An object key that is an expression (`"[variables('id')]": {}`), if it is one.
    fn string_key(&mut self, key: &str, span: Span) -> Option<Expr> {
        match expression::classify(key) {
            StringValue::Literal(literal) if literal.len() == key.len() => None,
            StringValue::Literal(literal) => {
                Some(Expr::new(ExprKind::String(literal.into()), span))
            }
            StringValue::Expression(_) => Some(self.string(
                &JsonString {
                    text: key.into(),
                    verbatim: false,
                },
                span,
            )),
        }
    }

    fn string(&mut self, string: &JsonString, span: Span) -> Expr {
        match expression::classify(&string.text) {
            StringValue::Literal(literal) => Expr::new(ExprKind::String(literal.into()), span),
            StringValue::Expression(inner) => {
                let placement = Placement {
                    file: self.file.id,
                    string_span: span,
                    text_start: string.verbatim.then_some(span.start + 1),
                };
                match expression::parse(inner, 1, placement) {
                    Ok(expr) => {
                        self.check_functions(&expr);
                        expr
                    }
                    Err(error) => {
                        self.error(format!("invalid expression: {}", error.message), error.span);
                        Expr::new(ExprKind::Invalid(error.message.into()), span)
                    }
                }
            }
        }
    }

    /// Warns once per call of a function ARM does not have.
    fn check_functions(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Call(name, args) => {
                if !name.contains('.') && !functions::is_arm_function(name) {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            "unknown-function",
                            format!(
                                "`{name}` is not an ARM template function; its result is unknown"
                            ),
                            &self.file.path,
                        )
                        .at(expr.span),
                    );
                }
                for arg in args {
                    self.check_functions(arg);
                }
            }
            ExprKind::Member(target, _, _) => self.check_functions(target),
            ExprKind::Index(target, index, _) => {
                self.check_functions(target);
                self.check_functions(index);
            }
            _ => {}
        }
    }
}
