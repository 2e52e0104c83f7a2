//! Resources in a template scope: their instances (copy loops, conditions, nested
//! children), their evaluated bodies, `reference()` to them, and nested or linked
//! deployments, whose templates are evaluated as child scopes with their parameters bound
//! and whose outputs `reference(...).outputs` reads back.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use isolint_model::source::{display_name, normalize};
use isolint_model::{
    Condition, Decider, Diagnostic, Entry, NamePart, Node, NodeKind, Object, Origin, Provenance,
    Resource, ResourceId, Span, Syntax, Unknown, UnknownReason,
};
use rustc_hash::FxHashMap;

use super::budget::{self, MAX_DEPLOYMENTS, MAX_NESTING, MAX_RESOURCES};
use super::strings::{self, name_parts};
use super::{Bindings, Env, ParamDef, Session, Slot, invalid, member, render, symbolic, truth};
use crate::ir::Expr;
use crate::template::{DeploymentParameters, NestedTemplate, ResourceDecl, Template};

/// One template scope: the resources a template deploys, with the parameters and
/// variables its expressions see (a nested template in outer scope shares its parent's).
pub(crate) struct Frame<'t> {
    pub(crate) template: &'t Template,
    pub(crate) bindings: Rc<Bindings<'t>>,
    pub(crate) module_path: Arc<[Arc<str>]>,
    /// Where the deployments of [`module_path`](Self::module_path) are declared.
    calls: Arc<[Span]>,
    /// The language of the resources' declarations, for help: the template's, but a
    /// module read from a cache speaks the language of the user's call that reaches it.
    syntax: Syntax,
    linked_chain: Arc<[Arc<Path>]>,
    /// The loop indexes the template's expressions see: a nested template in outer scope
    /// sees its deployment's `copyIndex()`.
    env: Env,
    /// Where the template's resources live.
    deployed_in: Place,
    /// What `resourceGroup()`, `subscription()` and `resourceId()` without a scope mean in
    /// the template's expressions: where it is deployed, except for a nested template in
    /// outer scope, whose expressions are its parent's.
    pub(crate) evaluated_in: Place,
    state: Rc<FrameState<'t>>,
}

/// The subscription and resource group resources live in, as far as a template says:
/// `None` is the deployment's own, which no template knows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) subscription: Option<NamePart>,
    pub(crate) resource_group: Option<NamePart>,
}

impl Place {
    /// `id` in this place, where the ID itself does not say.
    fn locate(&self, mut id: ResourceId) -> ResourceId {
        if id.subscription.is_none() {
            id.subscription.clone_from(&self.subscription);
        }
        if id.resource_group.is_none() {
            id.resource_group.clone_from(&self.resource_group);
        }
        id
    }
}

/// A declaration's index and an instance's ordinal within the frame.
type InstanceKey = (usize, usize);

#[derive(Default)]
struct FrameState<'t> {
    instances: RefCell<Option<Rc<Vec<Instance>>>>,
    computing: Cell<bool>,
    bodies: RefCell<FxHashMap<InstanceKey, Slot>>,
    children: RefCell<FxHashMap<InstanceKey, Option<Rc<Frame<'t>>>>>,
}

/// Whether an instance is deployed.
#[derive(Clone, Debug)]
enum Deployed {
    No,
    Always,
    When(Arc<str>),
}

/// One instance of a resource declaration.
struct Instance {
    decl: usize,
    ordinal: usize,
    env: Env,
    ty: Arc<str>,
    name: Node,
    name_text: Arc<str>,
    id: ResourceId,
    /// Where it lives: its deployment's template's place, or the scope it names.
    place: Place,
    deployed: Deployed,
    looped: bool,
}

impl<'t> Frame<'t> {
    /// The root scope of a template.
    pub(crate) fn root(template: &'t Template, bindings: Bindings<'t>) -> Self {
        Self {
            template,
            bindings: Rc::new(bindings),
            module_path: Arc::from(Vec::new()),
            calls: Arc::from(Vec::new()),
            syntax: template.syntax,
            linked_chain: Arc::from(vec![template.path.clone()]),
            env: Env::default(),
            deployed_in: Place::default(),
            evaluated_in: Place::default(),
            state: Rc::default(),
        }
    }

    /// The same scope with other bindings (a user-defined function's parameters).
    pub(crate) fn with_bindings(&self, bindings: Rc<Bindings<'t>>) -> Frame<'t> {
        Frame {
            template: self.template,
            bindings,
            module_path: self.module_path.clone(),
            calls: self.calls.clone(),
            syntax: self.syntax,
            linked_chain: self.linked_chain.clone(),
            env: self.env.clone(),
            deployed_in: self.deployed_in.clone(),
            evaluated_in: self.evaluated_in.clone(),
            state: self.state.clone(),
        }
    }

    /// The file the template is written in.
    pub(crate) fn path(&self) -> &Path {
        &self.template.path
    }

    /// The environment of what the template evaluates on its own (variables, parameter
    /// defaults, outputs): no loop index, as many repeats as the deployment.
    pub(crate) fn fresh_env(&self) -> Env {
        self.env.fresh()
    }
}

/// Evaluates a root template with parameter values from a parameter file and returns
/// every resource it deploys, nested deployments included.
pub(crate) fn evaluate_root<'t>(
    session: &Session<'t>,
    template: &'t Template,
    parameter_values: &[(Arc<str>, Node)],
) -> Vec<Resource> {
    let mut params = Bindings::params_of(template);
    for (name, value) in parameter_values {
        if let Some(param) = params
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(name))
        {
            param.supplied = Some(value.clone());
        }
    }
    let frame = Frame::root(template, Bindings::new(template, params, "".into()));
    let mut out = Vec::new();
    session.run(&frame, &Deployed::Always, &mut out);
    out
}

impl<'t> Session<'t> {
    fn run(&self, frame: &Frame<'t>, inherited: &Deployed, out: &mut Vec<Resource>) {
        let instances = self.instances(frame);
        for instance in instances.iter() {
            let deployed = combine(inherited, &instance.deployed);
            if matches!(deployed, Deployed::No) {
                continue;
            }
            let decl = &frame.template.resources[instance.decl];
            if decl.deployment.is_some() {
                if let Some(child) = self.child_frame(frame, instance) {
                    self.run(&child, &deployed, out);
                }
                continue;
            }
            if !self.budget.take_resource() {
                self.report(
                    Diagnostic::warning(
                        "expansion-budget",
                        format!(
                            "the root template deploys more than {MAX_RESOURCES} resources, all its modules together; isolint checks the first {MAX_RESOURCES} and not this one or those after it"
                        ),
                        frame.path(),
                    )
                    .at(decl.header),
                );
                continue;
            }
            let body = self.body(frame, instance);
            out.push(Resource {
                ty: instance.ty.clone(),
                api_version: decl.api_version.clone(),
                name: instance.name.clone(),
                id: instance.id.clone(),
                body,
                condition: match deployed {
                    Deployed::When(expr) => Condition::When { expr },
                    Deployed::Always | Deployed::No => Condition::Always,
                },
                looped: instance.looped,
                existing: decl.existing,
                update: false,
                origin: Origin {
                    file: decl.span.file,
                    decls: vec![decl.span],
                    header: decl.header,
                    name_text: instance.name_text.clone(),
                    module_path: frame.module_path.clone(),
                    calls: frame.calls.clone(),
                    root: self.root,
                    syntax: frame.syntax,
                    address: None,
                    // Bicep users know a resource by its symbolic name; ARM JSON stays
                    // named by its `name`, as it always was.
                    symbol: (frame.template.syntax == Syntax::Bicep)
                        .then(|| decl.symbolic.clone())
                        .flatten(),
                    vocabulary: None,
                },
            });
        }
    }

    /// Every instance of every resource declared in the frame's template.
    fn instances(&self, frame: &Frame<'t>) -> Rc<Vec<Instance>> {
        if let Some(done) = frame.state.instances.borrow().as_ref() {
            return done.clone();
        }
        if frame.state.computing.replace(true) {
            // A resource name or condition refers to a resource of the same template.
            return Rc::new(Vec::new());
        }
        let mut all: Vec<Instance> = Vec::new();
        let mut by_decl: Vec<Vec<usize>> = Vec::with_capacity(frame.template.resources.len());
        for (index, decl) in frame.template.resources.iter().enumerate() {
            let mut mine = Vec::new();
            let parents: Vec<Option<usize>> = match decl.parent {
                Some(p) => by_decl
                    .get(p)
                    .map(|v| v.iter().copied().map(Some).collect())
                    .unwrap_or_default(),
                None => vec![None],
            };
            for parent in parents {
                let parent = parent.map(|p| &all[p]);
                for instance in self.instances_of(frame, index, decl, parent, mine.len()) {
                    mine.push(all.len());
                    all.push(instance);
                }
            }
            by_decl.push(mine);
        }
        let all = Rc::new(all);
        *frame.state.instances.borrow_mut() = Some(all.clone());
        frame.state.computing.set(false);
        all
    }

    fn instances_of(
        &self,
        frame: &Frame<'t>,
        index: usize,
        decl: &'t ResourceDecl,
        parent: Option<&Instance>,
        first_ordinal: usize,
    ) -> Vec<Instance> {
        let base_env = parent.map_or_else(|| frame.env.clone(), |p| p.env.clone());
        let envs: Vec<Env> = match &decl.copy {
            None => vec![base_env],
            Some(copy) => {
                let span = copy.count.span;
                let count = self.eval(frame, &copy.count, &base_env);
                let expanded = match &count.kind {
                    NodeKind::Int(n) => {
                        let n = self.limit_loop(frame, usize::try_from(*n).unwrap_or(0), span);
                        self.copy_repeats(frame, &base_env, n, span)
                            .map(|repeats| (n, repeats))
                            .ok_or(super::COPY_PRODUCT)
                    }
                    _ => Err("the loop's count is not known statically"),
                };
                match expanded {
                    Ok((n, repeats)) => (0..n)
                        .map(|i| {
                            let value =
                                Node::new(NodeKind::Int(i64::try_from(i).unwrap_or(0)), span);
                            base_env.with_resource_copy(copy.name.clone(), value, repeats)
                        })
                        .collect(),
                    // One instance stands for them all, its index unknown.
                    Err(why) => {
                        let value = Node::unknown(
                            Unknown::new(
                                "copyIndex()",
                                UnknownReason::Invalid {
                                    message: why.into(),
                                },
                            ),
                            span,
                        );
                        let repeats = base_env.repeats;
                        vec![base_env.with_resource_copy(copy.name.clone(), value, repeats)]
                    }
                }
            }
        };
        let mut out = Vec::with_capacity(envs.len());
        for (i, env) in envs.into_iter().enumerate() {
            let own_name = self.eval(frame, &decl.name, &env);
            let relative = parent.is_some() && !decl.ty.contains('/');
            let (ty, name, name_text) = match parent {
                Some(p) if relative => (
                    Arc::from(format!("{}/{}", p.ty, decl.ty)),
                    strings::concat(
                        &[p.name.clone(), Node::string("/", decl.name.span), own_name],
                        decl.name.span,
                    ),
                    Arc::from(format!("{}/{}", p.name_text, decl.name_text)),
                ),
                _ => (decl.ty.clone(), own_name, decl.name_text.clone()),
            };
            let own = match (&decl.condition, &decl.condition_text) {
                (Some(condition), Some(text)) => {
                    let value = self.eval(frame, condition, &env);
                    match truth(&value) {
                        Some(false) => Deployed::No,
                        Some(true) if value.provenance.is_empty() => Deployed::Always,
                        _ => Deployed::When(text.clone()),
                    }
                }
                _ => Deployed::Always,
            };
            let deployed = match parent {
                Some(p) => combine(&p.deployed, &own),
                None => own,
            };
            let place = self.place(frame, decl, parent, &env);
            out.push(Instance {
                decl: index,
                ordinal: first_ordinal + i,
                env,
                id: place.locate(ResourceId::new(ty.clone(), name_parts(&name))),
                place,
                ty,
                name,
                name_text,
                deployed,
                looped: decl.copy.is_some() || parent.is_some_and(|p| p.looped),
            });
        }
        out
    }

    /// Where an instance lives: the scope its declaration names (evaluated in the frame,
    /// with the instance's loop index), else its parent's, else the frame's. A resource
    /// group named alone is in the same subscription; a subscription named alone, or the
    /// tenant, leaves the resource group open.
    fn place(
        &self,
        frame: &Frame<'t>,
        decl: &'t ResourceDecl,
        parent: Option<&Instance>,
        env: &Env,
    ) -> Place {
        let around = parent.map_or(&frame.deployed_in, |p| &p.place);
        let scope = &decl.scope;
        if scope.is_empty() {
            return around.clone();
        }
        if scope.above_subscriptions {
            return Place::default();
        }
        let part = |expr: &'t Option<Expr>| {
            expr.as_ref()
                .and_then(|e| scope_part(&self.eval(frame, e, env)))
        };
        let resource_group = part(&scope.resource_group);
        let subscription = match &scope.subscription {
            Some(_) => part(&scope.subscription),
            None => around.subscription.clone(),
        };
        Place {
            subscription,
            resource_group,
        }
    }

    /// The evaluated body of an instance (`properties`, `sku`, `kind`, ...), cached.
    fn body(&self, frame: &Frame<'t>, instance: &Instance) -> Node {
        let key = (instance.decl, instance.ordinal);
        let decl = &frame.template.resources[instance.decl];
        match frame.state.bodies.borrow().get(&key) {
            Some(Slot::Done(node)) => return node.clone(),
            Some(Slot::Busy) => {
                return invalid(decl.span, "the resource refers to its own properties");
            }
            _ => {}
        }
        frame.state.bodies.borrow_mut().insert(key, Slot::Busy);
        let mut object = Object::default();
        for (member, key_span, expr) in &decl.body {
            let value = self.eval(frame, expr, &instance.env).located(expr.span);
            object.entries.push(Entry {
                key: member.clone(),
                key_span: *key_span,
                value,
            });
        }
        let node = self.bounded(frame, Node::object(object, decl.span));
        frame
            .state
            .bodies
            .borrow_mut()
            .insert(key, Slot::Done(node.clone()));
        node
    }

    /// `reference(resource, [apiVersion], ['Full'])`: a deployment's outputs, or a declared
    /// resource's evaluated properties, as an object whose other members are unknown.
    pub(super) fn reference(
        &self,
        frame: &Frame<'t>,
        args: &'t [Expr],
        env: &Env,
        span: Span,
    ) -> Node {
        let values: Vec<Node> = args.iter().map(|a| self.eval(frame, a, env)).collect();
        let full = values
            .get(2)
            .and_then(Node::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("full"));
        let runtime = || {
            symbolic(
                "reference",
                &values,
                span,
                UnknownReason::Runtime {
                    function: "reference".into(),
                },
            )
        };
        let Some(target) = values.first() else {
            return runtime();
        };
        let instances = self.instances(frame);
        let Some(instance) = find_instance(frame.template, &instances, target) else {
            return runtime();
        };
        let rest = Arc::new(Unknown::new(
            format!("reference({})", render(target)),
            UnknownReason::Runtime {
                function: "reference".into(),
            },
        ));
        let decl = &frame.template.resources[instance.decl];
        let properties = if decl.deployment.is_some() {
            self.outputs(frame, instance, span)
        } else {
            let body = self.body(frame, instance);
            if full {
                return open(&body, rest);
            }
            member(&body, "properties", true, span)
        };
        let properties = open(&properties, rest.clone());
        if full {
            let object = Object {
                entries: vec![Entry {
                    key: "properties".into(),
                    key_span: span,
                    value: properties,
                }],
                rest: Some(rest),
            };
            return Node::object(object, span);
        }
        properties
    }

    /// `{ outputs: { name: { type, value } } }` of a deployment instance.
    fn outputs(&self, frame: &Frame<'t>, instance: &Instance, span: Span) -> Node {
        let Some(child) = self.child_frame(frame, instance) else {
            // A template that cannot be read (a registry module, a URI, a missing file):
            // its outputs exist but are unknown, so `.outputs.x` is unknown, not absent.
            let decl = &frame.template.resources[instance.decl];
            let source: Arc<str> = match decl.deployment.as_ref().map(|d| &d.template) {
                Some(NestedTemplate::Opaque(what)) => what.clone(),
                Some(NestedTemplate::Remote(remote)) => remote.reference.clone(),
                Some(NestedTemplate::Linked(path)) => display_name(path).into(),
                _ => decl.name_text.clone(),
            };
            let unknown = Unknown::new(
                format!("reference({}).outputs", decl.name_text),
                UnknownReason::Module { source },
            );
            let outputs = Object {
                entries: Vec::new(),
                rest: Some(Arc::new(unknown)),
            };
            let object = Object {
                entries: vec![Entry {
                    key: "outputs".into(),
                    key_span: span,
                    value: Node::object(outputs, span),
                }],
                rest: None,
            };
            return Node::object(object, span);
        };
        let mut outputs = Object::default();
        for output in &child.template.outputs {
            let value = self.deeper(span, || {
                self.eval(&child, &output.value, &child.fresh_env())
            });
            let wrapper = Object {
                entries: vec![Entry {
                    key: "value".into(),
                    key_span: output.value.span,
                    value,
                }],
                rest: None,
            };
            outputs.entries.push(Entry {
                key: output.name.clone(),
                key_span: output.value.span,
                value: Node::object(wrapper, output.value.span),
            });
        }
        let object = Object {
            entries: vec![Entry {
                key: "outputs".into(),
                key_span: span,
                value: Node::object(outputs, span),
            }],
            rest: None,
        };
        Node::object(object, span)
    }

    /// The scope of a deployment instance's template, created once.
    fn child_frame(&self, frame: &Frame<'t>, instance: &Instance) -> Option<Rc<Frame<'t>>> {
        let key = (instance.decl, instance.ordinal);
        if let Some(done) = frame.state.children.borrow().get(&key) {
            return done.clone();
        }
        frame.state.children.borrow_mut().insert(key, None);
        let child = self.make_child(frame, instance).map(Rc::new);
        frame.state.children.borrow_mut().insert(key, child.clone());
        child
    }

    fn make_child(&self, frame: &Frame<'t>, instance: &Instance) -> Option<Frame<'t>> {
        let decl = &frame.template.resources[instance.decl];
        let deployment = decl.deployment.as_ref()?;
        let label = module_label(frame.template, decl, instance);
        if frame.module_path.len() >= MAX_NESTING {
            self.report(
                Diagnostic::warning(
                    "deployment-depth",
                    format!("deployments nest more than {MAX_NESTING} levels deep; `{label}` is not followed"),
                    frame.path(),
                )
                .at(decl.header),
            );
            return None;
        }
        let (template, chain): (&'t Template, Arc<[Arc<Path>]>) = match &deployment.template {
            NestedTemplate::Inline(template) => (template, frame.linked_chain.clone()),
            NestedTemplate::Linked(path) => {
                let key = normalize(path);
                if frame.linked_chain.iter().any(|p| normalize(p) == key) {
                    self.report(
                        Diagnostic::error(
                            "module-cycle",
                            format!(
                                "linked template `{}` deploys itself (a cycle of linked templates)",
                                display_name(path)
                            ),
                            frame.path(),
                        )
                        .at(decl.header),
                    );
                    return None;
                }
                // A template that could not be read is a coverage gap the deployment
                // graph reports at the reference: its resources are unknown here.
                let template = self.library.get(&key)?;
                let mut chain = frame.linked_chain.to_vec();
                chain.push(template.path.clone());
                (&**template, chain.into())
            }
            NestedTemplate::Remote(_) | NestedTemplate::Opaque(_) => return None,
        };
        if !self.budget.take_deployment() {
            self.report(
                Diagnostic::warning(
                    "expansion-budget",
                    format!(
                        "expanding modules and nested templates from this root reaches {MAX_DEPLOYMENTS} deployments; `{label}` is not followed"
                    ),
                    frame.path(),
                )
                .at(decl.header),
            );
            return None;
        }
        let mut module_path = frame.module_path.to_vec();
        module_path.push(label.clone());
        let mut calls = frame.calls.to_vec();
        calls.push(decl.header);
        let bindings = if deployment.inner_scope {
            let params = self.bind_parameters(
                frame,
                template,
                &deployment.parameters,
                &instance.env,
                &label,
            );
            let qualified: Arc<str> = module_path
                .iter()
                .fold(String::new(), |mut out, m| {
                    out.push_str(m);
                    out.push('/');
                    out
                })
                .into();
            Rc::new(Bindings::new(template, params, qualified))
        } else {
            frame.bindings.clone()
        };
        Some(Frame {
            template,
            bindings,
            module_path: module_path.into(),
            calls: calls.into(),
            syntax: if template.hidden {
                frame.syntax
            } else {
                template.syntax
            },
            linked_chain: chain,
            env: if deployment.inner_scope {
                instance.env.fresh()
            } else {
                instance.env.clone()
            },
            deployed_in: instance.place.clone(),
            evaluated_in: if deployment.inner_scope {
                instance.place.clone()
            } else {
                frame.evaluated_in.clone()
            },
            state: Rc::default(),
        })
    }

    /// The values a deployment passes to its template's parameters.
    fn bind_parameters(
        &self,
        frame: &Frame<'t>,
        template: &'t Template,
        parameters: &'t DeploymentParameters,
        env: &Env,
        label: &str,
    ) -> Vec<ParamDef<'t>> {
        let mut params = Bindings::params_of(template);
        // Into a module read from a cache, the call's arguments are what the user wrote:
        // each value is named as the argument given (a finding inside moves there).
        let into_cache = template.hidden && !frame.template.hidden;
        let mut supply = |name: &str, entry: Node, at: Span| {
            if let Some(param) = params
                .iter_mut()
                .find(|p| p.name.eq_ignore_ascii_case(name))
            {
                let mut value = parameter_value(&entry, name);
                if into_cache {
                    value = value.with_provenance(&Provenance::of(Decider::ParameterValue {
                        name: param.name.clone(),
                        span: Some(at),
                    }));
                }
                param.supplied = Some(value);
            }
        };
        match parameters {
            DeploymentParameters::Entries(entries) => {
                for (name, _, expr) in entries {
                    let entry = self.eval(frame, expr, env);
                    supply(name, entry, expr.span);
                }
            }
            DeploymentParameters::Expression(expr) => {
                let all = self.eval(frame, expr, env);
                if let Some(object) = all.as_object() {
                    for entry in &object.entries {
                        supply(&entry.key, entry.value.clone(), entry.value.span);
                    }
                }
            }
            DeploymentParameters::Opaque(what) => {
                for param in &mut params {
                    param.supplied = Some(Node::unknown(
                        Unknown::new(
                            format!("{label}::parameters('{}')", param.name),
                            UnknownReason::Module {
                                source: what.clone(),
                            },
                        ),
                        template.span,
                    ));
                }
            }
        }
        params
    }
}

/// The value of a deployment parameter entry: `{ "value": v }` gives `v`; a key vault
/// `{ "reference": ... }` is a secret, unknown.
fn parameter_value(entry: &Node, name: &str) -> Node {
    match &entry.kind {
        NodeKind::Object(object) => match (object.get("value"), object.get("reference")) {
            (Some(value), _) => value.value.clone().with_provenance(&entry.provenance),
            (None, Some(_)) => Node::unknown(
                Unknown::new(
                    format!("reference to a key vault secret for `{name}`"),
                    UnknownReason::Runtime {
                        function: "getSecret".into(),
                    },
                ),
                entry.span,
            ),
            (None, None) => match &object.rest {
                Some(rest) => Node::unknown(rest.member("value"), entry.span),
                None => invalid(
                    entry.span,
                    &format!("parameter `{name}` is passed without a `value`"),
                ),
            },
        },
        NodeKind::Unknown(unknown) => Node::unknown(unknown.member("value"), entry.span),
        _ => invalid(
            entry.span,
            &format!("parameter `{name}` is passed without a `value`"),
        ),
    }
}

/// What a deployment is called in the module path of the resources it deploys: a Bicep
/// module by its symbolic name, with the instance's index in a module loop (`aml[1]`, `aml[*]`
/// when the index is not known), as Bicep users know it; a nested or linked ARM deployment
/// by its name when it is known, else as written.
fn module_label(template: &Template, decl: &ResourceDecl, instance: &Instance) -> Arc<str> {
    if template.syntax == Syntax::Bicep
        && let Some(symbol) = &decl.symbolic
    {
        if decl.copy.is_none() {
            return symbol.clone();
        }
        return match instance.env.resource_index() {
            Some(index) => format!("{symbol}[{index}]").into(),
            None => format!("{symbol}[*]").into(),
        };
    }
    match instance.id.last_name() {
        Some(isolint_model::NamePart::Known(name)) => name.clone(),
        _ => decl.name_text.clone(),
    }
}

/// Finds the instance a `reference()` target names: a symbolic name (`languageVersion`
/// 2.0), a resource ID, or a plain resource name.
fn find_instance<'i>(
    template: &Template,
    instances: &'i [Instance],
    target: &Node,
) -> Option<&'i Instance> {
    match &target.kind {
        NodeKind::String(text) => {
            let by_symbol = template.resources.iter().position(|d| {
                d.symbolic
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(text))
            });
            if let Some(decl) = by_symbol {
                let mut matching = instances.iter().filter(|i| i.decl == decl);
                let first = matching.next()?;
                return matching.next().is_none().then_some(first);
            }
            if let Some(id) = ResourceId::parse(text) {
                return instances.iter().find(|i| i.id.matches(&id));
            }
            instances.iter().find(|i| {
                i.name
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(text))
            })
        }
        NodeKind::ResourceId(id) => instances.iter().find(|i| i.id.matches(id)),
        _ => None,
    }
}

/// A subscription or resource group named by an evaluated value: a known name, or the
/// expression of an unknown one; `None` for nothing (`null`, an empty string).
fn scope_part(node: &Node) -> Option<NamePart> {
    match &node.kind {
        NodeKind::Null => None,
        NodeKind::String(text) if text.is_empty() => None,
        _ => name_parts(node).pop(),
    }
}

/// The same object, with unknown for every member it does not have.
fn open(node: &Node, rest: Arc<Unknown>) -> Node {
    match &node.kind {
        NodeKind::Object(object) => {
            let mut object = (**object).clone();
            object.rest.get_or_insert(rest);
            Node::object(object, node.span).with_provenance(&node.provenance)
        }
        NodeKind::Null => Node::object(
            Object {
                entries: Vec::new(),
                rest: Some(rest),
            },
            node.span,
        ),
        _ => node.clone(),
    }
}

fn combine(outer: &Deployed, inner: &Deployed) -> Deployed {
    match (outer, inner) {
        (Deployed::No, _) | (_, Deployed::No) => Deployed::No,
        (Deployed::Always, other) | (other, Deployed::Always) => other.clone(),
        (Deployed::When(a), Deployed::When(b)) => Deployed::When(format!("{a} and {b}").into()),
    }
}

impl<'t> Session<'t> {
    /// Cuts a loop at ARM's limit, saying so once, in the frame's file.
    pub(crate) fn limit_loop(&self, frame: &Frame<'t>, length: usize, span: Span) -> usize {
        if length > super::MAX_LOOP {
            self.report(
                Diagnostic::warning(
                    "copy-limit",
                    format!(
                        "a copy loop of {length} iterations exceeds ARM's limit of {}; isolint evaluates the first {}",
                        super::MAX_LOOP,
                        super::MAX_LOOP
                    ),
                    frame.path(),
                )
                .at(span),
            );
            return super::MAX_LOOP;
        }
        length
    }

    /// How many times the body of a loop of `length` iterations runs, in `env`; `None`,
    /// said once at `span`, when nested loops multiply past the budget.
    pub(crate) fn copy_repeats(
        &self,
        frame: &Frame<'t>,
        env: &Env,
        length: usize,
        span: Span,
    ) -> Option<usize> {
        let repeats = budget::repeats(env.repeats, length);
        if repeats.is_none() {
            self.report(
                Diagnostic::warning(
                    "copy-product",
                    format!(
                        "this copy loop of {length} iterations runs {} times inside other loops: {} iterations, more than isolint's limit of {}; isolint treats its value as unknown",
                        env.repeats,
                        env.repeats.saturating_mul(length),
                        budget::MAX_COPY_PRODUCT
                    ),
                    frame.path(),
                )
                .at(span),
            );
        }
        repeats
    }
}
