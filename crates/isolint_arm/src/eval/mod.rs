//! Static evaluation of the expression IR.
//!
//! A [`Session`] evaluates one root template with everything it deploys. Parameters and
//! variables are resolved lazily, in any declaration order, with cycle detection; values
//! that only exist at deployment time become [`Unknown`]s that keep a canonical
//! expression, so that equal unknowns still match. Every loop, string and array is bounded,
//! and a fuel counter stops runaway evaluation: hostile input gives unknowns and a
//! diagnostic, never a hang.

mod bindings;
mod budget;
mod builtins;
mod resources;
mod size;
mod strings;

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use isolint_model::{
    Decider, Diagnostic, Entry, Node, NodeKind, Object, Provenance, RootId, Span, Syntax, Unknown,
    UnknownReason,
};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::functions;
use crate::ir::{Expr, ExprKind, ForLoop, LoopSource};
use crate::template::Template;

pub(crate) use bindings::{Bindings, ParamDef};
pub(crate) use resources::{Frame, evaluate_root};

/// How deeply evaluation may recurse through variables, parameters, functions and
/// deployments.
const MAX_DEPTH: u32 = 160;
/// ARM's own limit on a copy loop; longer loops are cut here.
pub(crate) const MAX_LOOP: usize = 800;
/// The most elements an array or characters a string may have before it becomes unknown.
const MAX_ITEMS: usize = 100_000;
const MAX_STRING: usize = 1 << 20;
/// Evaluation steps per root template.
const FUEL: u64 = 50_000_000;
/// What an unknown says once the fuel is spent.
const OUT_OF_FUEL: &str = "evaluation budget exhausted";
/// What an unknown says when nested loops multiply past [`budget::MAX_COPY_PRODUCT`].
const COPY_PRODUCT: &str = "nested copy loops multiply beyond isolint's limit";

/// Every template a root may deploy, by [`normalize`](isolint_model::source::normalize)d
/// path: the roots, the local files they link and the restored registry modules, whatever
/// format each was written in.
pub type Library = FxHashMap<PathBuf, Arc<Template>>;

/// The state of one root evaluation.
pub(crate) struct Session<'t> {
    pub(crate) root: RootId,
    pub(crate) library: &'t Library,
    diagnostics: RefCell<Vec<Diagnostic>>,
    reported: RefCell<FxHashSet<(Span, &'static str)>>,
    fuel: Cell<u64>,
    depth: Cell<u32>,
    budget: budget::Budget,
}

/// Per-evaluation dynamic state: loop indexes and loop/lambda variables.
#[derive(Clone)]
pub(crate) struct Env {
    copies: Vec<CopyIndex>,
    locals: Vec<(Arc<str>, Node)>,
    /// How many times an evaluation in this environment runs: the product of the lengths
    /// of the copy loops around it, module loops included (see [`budget::repeats`]).
    repeats: usize,
}

impl Default for Env {
    /// Outside of any loop: evaluated once.
    fn default() -> Self {
        Self {
            copies: Vec::new(),
            locals: Vec::new(),
            repeats: 1,
        }
    }
}

#[derive(Clone)]
struct CopyIndex {
    name: Option<Arc<str>>,
    resource: bool,
    value: Node,
}

impl Env {
    /// The environment with a resource-level copy index, in a loop that makes evaluations
    /// run `repeats` times.
    pub(crate) fn with_resource_copy(
        &self,
        name: Option<Arc<str>>,
        value: Node,
        repeats: usize,
    ) -> Env {
        let mut env = self.clone();
        env.copies.push(CopyIndex {
            name,
            resource: true,
            value,
        });
        env.repeats = repeats;
        env
    }

    /// The index of the innermost resource loop, when it is known.
    pub(crate) fn resource_index(&self) -> Option<i64> {
        self.copies
            .iter()
            .rev()
            .find(|c| c.resource)
            .and_then(|c| c.value.as_int())
    }

    /// An environment without loop indexes or local variables that runs as often as this
    /// one: for what is evaluated on its own (a variable, a parameter default, a function
    /// body, a module's outputs) from here.
    pub(crate) fn fresh(&self) -> Env {
        Env {
            repeats: self.repeats,
            ..Env::default()
        }
    }
}

/// Where a value of a binding stands.
#[derive(Clone)]
enum Slot {
    Empty,
    Busy,
    Done(Node),
}

impl<'t> Session<'t> {
    pub(crate) fn new(library: &'t Library) -> Self {
        Self {
            root: RootId::fresh(),
            library,
            diagnostics: RefCell::new(Vec::new()),
            reported: RefCell::new(FxHashSet::default()),
            fuel: Cell::new(FUEL),
            depth: Cell::new(0),
            budget: budget::Budget::default(),
        }
    }

    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics.into_inner()
    }

    /// Records a diagnostic once per location and code.
    pub(crate) fn report(&self, diagnostic: Diagnostic) {
        let key = (diagnostic.span.unwrap_or_default_span(), diagnostic.code);
        if self.reported.borrow_mut().insert(key) {
            self.diagnostics.borrow_mut().push(diagnostic);
        }
    }

    /// Runs `f` one level deeper, or returns an unknown when evaluation is too deep.
    fn deeper(&self, span: Span, f: impl FnOnce() -> Node) -> Node {
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            return invalid(
                span,
                "evaluation nests too deeply (a very long chain of variables or modules)",
            );
        }
        self.depth.set(depth + 1);
        let node = f();
        self.depth.set(depth);
        node
    }

    /// Evaluates `expr` in `frame`.
    pub(crate) fn eval(&self, frame: &Frame<'t>, expr: &'t Expr, env: &Env) -> Node {
        if !self.spend(frame, 1, expr.span) {
            return invalid(expr.span, OUT_OF_FUEL);
        }
        let span = expr.span;
        match &expr.kind {
            ExprKind::Null => Node::new(NodeKind::Null, span),
            ExprKind::Bool(b) => Node::literal(NodeKind::Bool(*b), span),
            ExprKind::Int(i) => Node::literal(NodeKind::Int(*i), span),
            ExprKind::Float(f) => Node::literal(NodeKind::Float(*f), span),
            ExprKind::String(s) => Node::literal(NodeKind::String(s.clone()), span),
            ExprKind::Array(items) => {
                let nodes: Vec<Node> = items
                    .iter()
                    .map(|item| respan(self.eval(frame, item, env), item.span))
                    .collect();
                self.bounded(frame, Node::new(NodeKind::Array(nodes.into()), span))
            }
            ExprKind::Object(properties) => {
                let mut object = Object::default();
                let mut provenance = Provenance::default();
                for property in properties {
                    let key = self.eval(frame, &property.key, env);
                    let value = respan(self.eval(frame, &property.value, env), property.value.span);
                    match &key.kind {
                        NodeKind::String(text) => object.entries.push(Entry {
                            key: text.clone(),
                            key_span: property.key.span,
                            value,
                        }),
                        _ => {
                            provenance = provenance.merge(&key.provenance);
                            object.rest = Some(Arc::new(Unknown::new(
                                format!("createObject(...)[{}]", render(&key)),
                                UnknownReason::Invalid {
                                    message: "an object key is not known statically".into(),
                                },
                            )));
                        }
                    }
                }
                self.bounded(
                    frame,
                    Node::object(object, span).with_provenance(&provenance),
                )
            }
            ExprKind::Call(name, args) => self.call(frame, name, args, env, span),
            ExprKind::Member(target, name, safe) => {
                let target = self.eval(frame, target, env);
                member(&target, name, *safe, span)
            }
            ExprKind::Index(target, index, safe) => {
                let target = self.eval(frame, target, env);
                let index = self.eval(frame, index, env);
                builtins::index(&target, &index, *safe, span)
            }
            ExprKind::For(for_loop) => self.for_loop(frame, for_loop, env, span),
            ExprKind::Local(name) => env
                .locals
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map_or_else(
                    || invalid(span, &format!("`{name}` is not defined here")),
                    |(_, v)| v.clone(),
                ),
            ExprKind::Invalid(message) => invalid(span, message),
        }
    }

    fn for_loop(&self, frame: &Frame<'t>, for_loop: &'t ForLoop, env: &Env, span: Span) -> Node {
        let (items, count_node): (Option<Vec<Node>>, Node) = match &for_loop.source {
            LoopSource::Count(count) => {
                let count = self.eval(frame, count, env);
                (None, count)
            }
            LoopSource::Items(source) => {
                let source = self.eval(frame, source, env);
                match &source.kind {
                    NodeKind::Array(items) => (Some(items.to_vec()), source),
                    _ => (None, source),
                }
            }
        };
        let length = match (&items, &count_node.kind) {
            (Some(items), _) => items.len(),
            (None, NodeKind::Int(n)) => usize::try_from(*n).unwrap_or(0),
            (None, NodeKind::Unknown(u)) => {
                return Node::unknown(
                    Unknown::new(format!("copy over {}", u.expr), u.reason.clone()),
                    span,
                )
                .with_provenance(&count_node.provenance);
            }
            (None, _) => return invalid(span, "a loop needs a count or an array"),
        };
        let length = self.limit_loop(frame, length, span);
        let Some(repeats) = self.copy_repeats(frame, env, length, span) else {
            return invalid(span, COPY_PRODUCT);
        };
        let mut out = Vec::with_capacity(length);
        let mut weight_left = size::MAX_WEIGHT;
        for i in 0..length {
            let mut inner = env.clone();
            inner.repeats = repeats;
            let index = Node::new(NodeKind::Int(i64::try_from(i).unwrap_or(i64::MAX)), span);
            inner.copies.push(CopyIndex {
                name: for_loop.copy_name.clone(),
                resource: false,
                value: index.clone(),
            });
            if let Some(item) = &for_loop.item
                && let Some(items) = &items
            {
                inner.locals.push((item.clone(), items[i].clone()));
            }
            if let Some(name) = &for_loop.index {
                inner.locals.push((name.clone(), index));
            }
            if let Some(filter) = &for_loop.filter {
                let keep = self.eval(frame, filter, &inner);
                if matches!(keep.kind, NodeKind::Bool(false)) {
                    continue;
                }
            }
            let element = respan(self.eval(frame, &for_loop.body, &inner), for_loop.body.span);
            // Stop as soon as the loop's value outgrows the size limit, before building the
            // rest of it: 800 elements of 100,000 each would be built in full otherwise.
            let measure = size::measure(&element, weight_left);
            if !self.spend(frame, measure.visited, span) {
                return invalid(span, OUT_OF_FUEL);
            }
            if let Some(limit) = measure.exceeded {
                self.report_limit(frame, limit, span);
                return invalid(span, limit);
            }
            weight_left -= measure.weight;
            out.push(element);
        }
        self.bounded(
            frame,
            Node::new(NodeKind::Array(out.into()), span).with_provenance(&count_node.provenance),
        )
    }

    /// Spends `units` of fuel; `false` once it is exhausted, which is reported once.
    fn spend(&self, frame: &Frame<'t>, units: u64, span: Span) -> bool {
        let fuel = self.fuel.get();
        if fuel == 0 {
            return false;
        }
        let left = fuel.saturating_sub(units);
        self.fuel.set(left);
        if left == 0 {
            self.report(
                Diagnostic::warning(
                    "evaluation-budget",
                    format!(
                        "evaluating this template takes more than {FUEL} steps; isolint stops here and treats the remaining values as unknown"
                    ),
                    frame.path(),
                )
                .at(span),
            );
        }
        true
    }

    /// `node`, or an unknown when it outgrows the limits of [`size`] (reported once, at
    /// the node). Measuring costs fuel like evaluating.
    fn bounded(&self, frame: &Frame<'t>, node: Node) -> Node {
        if !matches!(node.kind, NodeKind::Array(_) | NodeKind::Object(_)) {
            return node;
        }
        let measure = size::measure(&node, size::MAX_WEIGHT);
        if !self.spend(frame, measure.visited, node.span) {
            return invalid(node.span, OUT_OF_FUEL);
        }
        match measure.exceeded {
            None => node,
            Some(limit) => {
                self.report_limit(frame, limit, node.span);
                invalid(node.span, limit)
            }
        }
    }

    /// Says, once per location, that a value outgrew one of the limits of [`size`].
    fn report_limit(&self, frame: &Frame<'t>, limit: &str, span: Span) {
        self.report(
            Diagnostic::warning(
                "size-limit",
                format!("{limit}; isolint treats it as unknown"),
                frame.path(),
            )
            .at(span),
        );
    }

    fn call(&self, frame: &Frame<'t>, name: &str, args: &'t [Expr], env: &Env, span: Span) -> Node {
        match name {
            "parameters" => return self.named(frame, args, env, span, Self::parameter),
            "variables" => return self.named(frame, args, env, span, Self::variable),
            "if" => return self.conditional(frame, args, env, span),
            "and" | "or" => return self.logical(frame, name == "and", args, env, span),
            "coalesce" => return self.coalesce(frame, args, env, span),
            "copyindex" => return self.copy_index(frame, args, env, span),
            "lambdavariables" => {
                let key = args.first().map(|a| self.eval(frame, a, env));
                let local = key
                    .as_ref()
                    .and_then(|k| k.as_str())
                    .and_then(|k| env.locals.iter().rev().find(|(n, _)| &**n == k));
                return local.map_or_else(
                    || invalid(span, "unknown lambda variable"),
                    |(_, v)| v.clone(),
                );
            }
            "map" | "filter" | "reduce" | "toobject" | "mapvalues" => {
                let node = self.lambda_call(frame, name, args, env, span);
                return self.bounded(frame, node);
            }
            "reference" => return self.reference(frame, args, env, span),
            _ => {}
        }
        if name.contains('.') {
            return self.user_function(frame, name, args, env, span);
        }
        let values: Vec<Node> = args.iter().map(|a| self.eval(frame, a, env)).collect();
        // Report a limit where it is crossed, not again wherever its unknown flows.
        let limited = values.iter().any(|v| limit_of(v).is_some());
        let node = match functions::support(name) {
            Some(functions::Support::Evaluated) => {
                builtins::apply_in(name, values, &frame.evaluated_in, span)
            }
            Some(functions::Support::Runtime) => runtime(name, &values, span),
            Some(functions::Support::Unsupported) => symbolic(
                name,
                &values,
                span,
                UnknownReason::Unsupported {
                    function: functions::canonical(name).into(),
                },
            ),
            None => symbolic(
                name,
                &values,
                span,
                UnknownReason::Unsupported {
                    function: name.into(),
                },
            ),
        };
        if !limited && let Some(limit) = limit_of(&node) {
            self.report_limit(frame, limit, span);
        }
        self.bounded(frame, node)
    }

    /// `parameters('x')` / `variables('x')`: the name must be a known string.
    fn named(
        &self,
        frame: &Frame<'t>,
        args: &'t [Expr],
        env: &Env,
        span: Span,
        resolve: fn(&Self, &Frame<'t>, &str, Span) -> Node,
    ) -> Node {
        let Some(first) = args.first() else {
            return invalid(span, "expected a name");
        };
        let key = self.eval(frame, first, env);
        match key.as_str() {
            Some(name) => resolve(self, frame, name, span),
            None => invalid(span, "the name is not a known string"),
        }
    }

    fn conditional(&self, frame: &Frame<'t>, args: &'t [Expr], env: &Env, span: Span) -> Node {
        let [condition, then, otherwise] = args else {
            return invalid(span, "`if` takes three arguments");
        };
        let test = self.eval(frame, condition, env);
        match truth(&test) {
            Some(true) => self
                .eval(frame, then, env)
                .with_provenance(&test.provenance),
            Some(false) => self
                .eval(frame, otherwise, env)
                .with_provenance(&test.provenance),
            None => {
                let a = self.eval(frame, then, env);
                let b = self.eval(frame, otherwise, env);
                if builtins::deep_equal(&a, &b) == Some(true) {
                    return a;
                }
                symbolic("if", &[test, a, b], span, unknown_reason(&[]))
            }
        }
    }

    fn logical(
        &self,
        frame: &Frame<'t>,
        is_and: bool,
        args: &'t [Expr],
        env: &Env,
        span: Span,
    ) -> Node {
        let mut seen = Vec::new();
        let mut provenance = Provenance::default();
        for arg in args {
            let value = self.eval(frame, arg, env);
            match truth(&value) {
                Some(b) if b != is_and => {
                    return Node::new(NodeKind::Bool(b), span).with_provenance(&value.provenance);
                }
                Some(_) => provenance = provenance.merge(&value.provenance),
                None => seen.push(value),
            }
        }
        if seen.is_empty() {
            Node::new(NodeKind::Bool(is_and), span).with_provenance(&provenance)
        } else {
            symbolic(
                if is_and { "and" } else { "or" },
                &seen,
                span,
                unknown_reason(&seen),
            )
        }
    }

    fn coalesce(&self, frame: &Frame<'t>, args: &'t [Expr], env: &Env, span: Span) -> Node {
        let mut pending = Vec::new();
        for arg in args {
            let value = self.eval(frame, arg, env);
            match &value.kind {
                NodeKind::Null => {}
                NodeKind::Unknown(_) => pending.push(value),
                _ if pending.is_empty() => return value,
                _ => {
                    pending.push(value);
                    return symbolic("coalesce", &pending, span, unknown_reason(&pending));
                }
            }
        }
        if pending.is_empty() {
            Node::new(NodeKind::Null, span)
        } else if pending.len() == 1 {
            pending.swap_remove(0)
        } else {
            symbolic("coalesce", &pending, span, unknown_reason(&pending))
        }
    }

    fn copy_index(&self, frame: &Frame<'t>, args: &'t [Expr], env: &Env, span: Span) -> Node {
        let values: Vec<Node> = args.iter().map(|a| self.eval(frame, a, env)).collect();
        let (name, offset) = match values.as_slice() {
            [] => (None, 0),
            [single] => match &single.kind {
                NodeKind::String(s) => (Some(s.clone()), 0),
                NodeKind::Int(i) => (None, *i),
                _ => return invalid(span, "copyIndex takes a loop name and an offset"),
            },
            [name, offset, ..] => (name.as_str().map(Arc::from), offset.as_int().unwrap_or(0)),
        };
        // `copyIndex()` without a name is the resource loop's index, or an output loop's
        // (the only loops without a name).
        let found = env.copies.iter().rev().find(|c| match &name {
            Some(n) => c
                .name
                .as_deref()
                .is_some_and(|cn| cn.eq_ignore_ascii_case(n)),
            None => c.resource || c.name.is_none(),
        });
        match found.map(|c| &c.value) {
            Some(Node {
                kind: NodeKind::Int(i),
                ..
            }) => Node::new(NodeKind::Int(i.saturating_add(offset)), span),
            Some(other) => other.clone(),
            None => {
                // In Bicep, a loop variable stands for the index of its resource's loop,
                // by the resource's symbolic name: the user wrote the variable, never
                // `copyIndex`.
                let message = match &name {
                    Some(name) if frame.template.syntax == Syntax::Bicep => format!(
                        "the loop index of `{name}` is used outside of its `for` loop; its value is unknown"
                    ),
                    Some(name) => format!(
                        "`copyIndex('{name}')` is outside of a copy loop named `{name}`; its value is unknown"
                    ),
                    None => "`copyIndex()` is outside of a copy loop; its value is unknown".into(),
                };
                self.report(Diagnostic::warning("copy-index", message, frame.path()).at(span));
                Node::unknown(
                    Unknown::new(
                        "copyIndex()",
                        UnknownReason::Invalid {
                            message: "copyIndex() outside of a copy loop".into(),
                        },
                    ),
                    span,
                )
            }
        }
    }

    fn user_function(
        &self,
        frame: &Frame<'t>,
        name: &str,
        args: &'t [Expr],
        env: &Env,
        span: Span,
    ) -> Node {
        let Some(function) = frame.bindings.function(name) else {
            let values: Vec<Node> = args.iter().map(|a| self.eval(frame, a, env)).collect();
            return symbolic(
                name,
                &values,
                span,
                UnknownReason::Unsupported {
                    function: name.into(),
                },
            );
        };
        let params = function
            .parameters
            .iter()
            .zip(
                args.iter()
                    .map(|a| Some(self.eval(frame, a, env)))
                    .chain(std::iter::repeat(None)),
            )
            .map(|(param, value)| ParamDef {
                name: param.clone(),
                span,
                default: None,
                nullable: false,
                supplied: value,
            })
            .collect();
        let bindings = Bindings::with(
            params,
            &[],
            frame.bindings.functions,
            Arc::from(format!("{}{name}", frame.bindings.label)),
        );
        let inner = frame.with_bindings(Rc::new(bindings));
        self.deeper(span, || self.eval(&inner, &function.output, &env.fresh()))
    }

    /// `map`, `filter`, `reduce`, `toObject`, `mapValues` with `lambda(...)` arguments.
    fn lambda_call(
        &self,
        frame: &Frame<'t>,
        name: &str,
        args: &'t [Expr],
        env: &Env,
        span: Span,
    ) -> Node {
        let lambda = |expr: &'t Expr| -> Option<(Vec<Arc<str>>, &'t Expr)> {
            let ExprKind::Call(call, parts) = &expr.kind else {
                return None;
            };
            let (body, names) = parts.split_last()?;
            (&**call == "lambda").then(|| {
                (
                    names
                        .iter()
                        .filter_map(|n| n.as_str().map(Arc::from))
                        .collect(),
                    body,
                )
            })
        };
        let apply = |lambda: &(Vec<Arc<str>>, &'t Expr), values: Vec<Node>| {
            let mut inner = env.clone();
            for (name, value) in lambda.0.iter().zip(values) {
                inner.locals.push((name.clone(), value));
            }
            self.eval(frame, lambda.1, &inner)
        };
        let source = match args.first() {
            Some(first) => self.eval(frame, first, env),
            None => return invalid(span, "expected arguments"),
        };
        let items: Vec<Node> = match (&source.kind, name) {
            (NodeKind::Array(items), _) => items.to_vec(),
            (NodeKind::Object(object), "mapvalues") => {
                object.entries.iter().map(|e| e.value.clone()).collect()
            }
            _ => return symbolic(name, &[source], span, unknown_reason(&[])),
        };
        match name {
            "map" | "filter" | "mapvalues" => {
                let Some(function) = args.get(1).and_then(lambda) else {
                    return invalid(span, "expected a lambda");
                };
                let mut out = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    let index = Node::new(NodeKind::Int(i64::try_from(i).unwrap_or(0)), span);
                    let result = apply(&function, vec![item.clone(), index]);
                    if name == "filter" {
                        match truth(&result) {
                            Some(true) => out.push(item),
                            Some(false) => {}
                            None => {
                                return symbolic(name, &[source], span, unknown_reason(&[result]));
                            }
                        }
                    } else {
                        out.push(result);
                    }
                }
                if name == "mapvalues" {
                    let NodeKind::Object(object) = &source.kind else {
                        return invalid(span, "mapValues needs an object");
                    };
                    let entries = object
                        .entries
                        .iter()
                        .zip(out)
                        .map(|(e, value)| Entry {
                            key: e.key.clone(),
                            key_span: e.key_span,
                            value,
                        })
                        .collect();
                    return Node::object(
                        Object {
                            entries,
                            rest: object.rest.clone(),
                        },
                        span,
                    );
                }
                Node::new(NodeKind::Array(out.into()), span)
            }
            "reduce" => {
                let (Some(initial), Some(function)) = (args.get(1), args.get(2).and_then(lambda))
                else {
                    return invalid(span, "reduce takes an array, an initial value and a lambda");
                };
                let mut accumulator = self.eval(frame, initial, env);
                for (i, item) in items.into_iter().enumerate() {
                    let index = Node::new(NodeKind::Int(i64::try_from(i).unwrap_or(0)), span);
                    accumulator = apply(&function, vec![accumulator, item, index]);
                }
                accumulator
            }
            _ => {
                let Some(key_fn) = args.get(1).and_then(lambda) else {
                    return invalid(span, "toObject takes an array and a lambda");
                };
                let value_fn = args.get(2).and_then(lambda);
                let mut object = Object::default();
                for item in items {
                    let key = apply(&key_fn, vec![item.clone()]);
                    let value = match &value_fn {
                        Some(f) => apply(f, vec![item]),
                        None => item,
                    };
                    match key.as_str() {
                        Some(k) => object.entries.push(Entry {
                            key: k.into(),
                            key_span: span,
                            value,
                        }),
                        None => {
                            object.rest = Some(Arc::new(Unknown::new(
                                "toObject(...)",
                                unknown_reason(&[key]),
                            )));
                        }
                    }
                }
                Node::object(object, span)
            }
        }
    }
}

/// The limit of [`size`] that made `node` unknown, if one did.
/// The value of each parameter of `template` that has a default, evaluated in its own
/// scope and named as a value given for the parameter: a `.bicepparam` file lowered as a
/// template gives its values this way.
pub(crate) fn parameter_values<'t>(
    session: &Session<'t>,
    template: &'t Template,
) -> Vec<(Arc<str>, Node)> {
    let frame = Frame::root(
        template,
        Bindings::new(template, Bindings::params_of(template), "".into()),
    );
    template
        .parameters
        .iter()
        .filter_map(|parameter| {
            let default = parameter.default.as_ref()?;
            let mut value = session.parameter(&frame, &parameter.name, parameter.span);
            value.provenance = Provenance::of(Decider::ParameterValue {
                name: parameter.name.clone(),
                span: Some(default.span),
            });
            Some((parameter.name.clone(), value))
        })
        .collect()
}

fn limit_of(node: &Node) -> Option<&'static str> {
    match &node.as_unknown()?.reason {
        UnknownReason::Invalid { message } => size::limit(message),
        _ => None,
    }
}

/// `node` in canonical syntax, or a placeholder for a value too large to show.
pub(crate) fn render(node: &Node) -> String {
    size::render(node, MAX_STRING).unwrap_or_else(|| "<a value too large to show>".into())
}

/// A property read: `.name` on an object (case-insensitively), unknown through an unknown.
pub(crate) fn member(target: &Node, name: &str, safe: bool, span: Span) -> Node {
    match &target.kind {
        NodeKind::Object(object) => match object.get(name) {
            Some(entry) => entry.value.clone().with_provenance(&target.provenance),
            None => match &object.rest {
                Some(rest) => {
                    Node::unknown(rest.member(name), span).with_provenance(&target.provenance)
                }
                None if safe => Node::new(NodeKind::Null, span),
                None => invalid(span, &format!("the object has no property `{name}`")),
            },
        },
        NodeKind::Unknown(unknown) => {
            Node::unknown(unknown.member(name), span).with_provenance(&target.provenance)
        }
        _ if safe => Node::new(NodeKind::Null, span),
        _ => invalid(span, &format!("`.{name}` of a value that is not an object")),
    }
}

/// The truth of a condition: known booleans (and the strings `true`/`false`).
pub(crate) fn truth(node: &Node) -> Option<bool> {
    node.as_bool()
}

/// The same value, located at `span` (where it is written in the current object), its
/// inner nodes keeping their own locations.
fn respan(node: Node, span: Span) -> Node {
    node.located(span)
}

/// An unknown that records an evaluation problem.
pub(crate) fn invalid(span: Span, message: &str) -> Node {
    Node::unknown(
        Unknown::new(
            format!("<{message}>"),
            UnknownReason::Invalid {
                message: message.into(),
            },
        ),
        span,
    )
}

/// The reason of the first unknown among `values`, or a generic one.
pub(crate) fn unknown_reason(values: &[Node]) -> UnknownReason {
    values
        .iter()
        .find_map(|v| v.as_unknown().map(|u| u.reason.clone()))
        .unwrap_or(UnknownReason::Invalid {
            message: "the value depends on something unknown".into(),
        })
}

/// The merged provenance of `values`.
pub(crate) fn provenance_of(values: &[Node]) -> Provenance {
    values
        .iter()
        .fold(Provenance::default(), |p, v| p.merge(&v.provenance))
}

/// `name(args)` as an unknown with its canonical expression.
pub(crate) fn symbolic(name: &str, values: &[Node], span: Span, reason: UnknownReason) -> Node {
    let mut expr = String::from(functions::canonical(name));
    expr.push('(');
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            expr.push_str(", ");
        }
        expr.push_str(&render(value));
        // `f(x, x)` doubles the text of `x`: stop before it runs away.
        if expr.len() > MAX_STRING {
            return invalid(span, size::TOO_LONG);
        }
    }
    expr.push(')');
    Node::unknown(Unknown::new(expr, reason), span).with_provenance(&provenance_of(values))
}

/// A function whose result exists only at deployment time.
fn runtime(name: &str, values: &[Node], span: Span) -> Node {
    let canonical = functions::canonical(name);
    symbolic(
        name,
        values,
        span,
        UnknownReason::Runtime {
            function: canonical.into(),
        },
    )
}

/// Gives `Option<Span>` a fallback for diagnostics without a location.
trait SpanOrDefault {
    fn unwrap_or_default_span(self) -> Span;
}

impl SpanOrDefault for Option<Span> {
    fn unwrap_or_default_span(self) -> Span {
        self.unwrap_or(Span::new(isolint_model::FileId(u32::MAX), 0, 0))
    }
}
