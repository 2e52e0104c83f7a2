//! The evaluator: HCL expressions of one module instance into model [`Node`]s.
//!
//! Variables take their bound input (module call, tfvars) or their default, locals are
//! evaluated on demand with cycle detection, references to resources give their symbolic
//! [`ResourceId`] (`.id`) or the attribute as written, `data.*` and anything computed at
//! apply time stay [`Unknown`] with the expression as written, so that two equal unknowns
//! compare equal. A module call with `count` or `for_each` is one instance per key, its
//! key in the module path (`module.x[0]`, `module.x["a"]`). Every recursion is bounded, and
//! so is module expansion: one root instantiates at most [`MAX_MODULE_INSTANCES`] modules
//! (every instance of a looped call counts), nested at most [`MAX_MODULE_DEPTH`] deep (the
//! corpus's largest root: 12 instances, 1 deep); past either, the module call gets a
//! warning and is not followed.

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, Traversal, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};
use isolint_model::{
    Decider, Diagnostic, Entry, FileId, Node, NodeKind, Object, Provenance, ResourceId, RootId,
    SourceFile, SourceMap, Span, StrPart, Unknown, UnknownReason,
};
use rustc_hash::FxHashMap;

use crate::read::{Call, Declaration, Module, header_span, span_of};

/// The deepest evaluation nesting (expressions, locals, modules together).
const MAX_DEPTH: u32 = 200;
/// The most elements a `for` expression or a function may produce.
const MAX_ELEMENTS: usize = 10_000;
/// The deepest chain of module calls followed.
const MAX_MODULE_DEPTH: usize = 16;
/// How many module instances one root may expand, all levels together: modules that each
/// call the next one twice would otherwise stand for 2^16 instances (9 s and 368 MB).
const MAX_MODULE_INSTANCES: usize = 5_000;

/// Variable bindings of `for` expressions and `dynamic` blocks, innermost last.
pub(crate) type Bindings = [(Arc<str>, Node)];

/// What every instance of one root evaluation shares.
pub(crate) struct Ctx<'a> {
    /// Every module read, by folder.
    pub(crate) modules: &'a FxHashMap<PathBuf, Arc<Module>>,
    /// The source map.
    pub(crate) sources: &'a SourceMap,
    /// The HCL rewrites of `.tf.json` files, whose offsets the spans use until the end.
    rewrites: &'a crate::json::Rewrites,
    /// Problems found while evaluating.
    pub(crate) diagnostics: RefCell<Vec<Diagnostic>>,
    /// The azurerm major version whose defaults apply.
    pub(crate) major: u32,
    /// The root evaluation.
    pub(crate) root: RootId,
    /// The folders of the installed (registry, git) modules of this root, by manifest key
    /// (`aml`, `aml.connection`).
    installed: &'a FxHashMap<String, PathBuf>,
    /// Current evaluation depth.
    depth: Cell<u32>,
    /// How many module instances this root has expanded.
    module_instances: Cell<usize>,
    /// Files by id.
    files: RefCell<FxHashMap<FileId, Arc<SourceFile>>>,
}

impl<'a> Ctx<'a> {
    /// A context for one root.
    pub(crate) fn new(
        modules: &'a FxHashMap<PathBuf, Arc<Module>>,
        sources: &'a SourceMap,
        rewrites: &'a crate::json::Rewrites,
        major: u32,
        installed: &'a FxHashMap<String, PathBuf>,
    ) -> Self {
        Self {
            modules,
            sources,
            rewrites,
            diagnostics: RefCell::default(),
            major,
            root: RootId::fresh(),
            installed,
            depth: Cell::new(0),
            module_instances: Cell::new(0),
            files: RefCell::default(),
        }
    }

    /// The file with this id.
    pub(crate) fn file(&self, id: FileId) -> Option<Arc<SourceFile>> {
        if let Some(file) = self.files.borrow().get(&id) {
            return Some(Arc::clone(file));
        }
        let file = self.sources.get(id)?;
        self.files.borrow_mut().insert(id, Arc::clone(&file));
        Some(file)
    }

    /// The text at `span`, with runs of whitespace collapsed to one space.
    pub(crate) fn text(&self, span: Span) -> String {
        let collapse = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some((text, _)) = self.rewrites.get(&span.file) {
            return collapse(
                text.get(span.start as usize..span.end as usize)
                    .unwrap_or(""),
            );
        }
        self.file(span.file)
            .map(|f| collapse(f.slice(span)))
            .unwrap_or_default()
    }

    /// Records a diagnostic at `span`.
    pub(crate) fn report(&self, diagnostic: impl FnOnce(PathBuf) -> Diagnostic, span: Span) {
        let path = self
            .file(span.file)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        self.diagnostics
            .borrow_mut()
            .push(diagnostic(path).at(span));
    }
}

/// One module instance: a folder's declarations with its inputs bound.
pub(crate) struct Instance<'a> {
    /// The shared context.
    pub(crate) ctx: &'a Ctx<'a>,
    /// The declarations.
    pub(crate) module: Arc<Module>,
    /// Bound inputs (tfvars, module arguments).
    inputs: FxHashMap<String, Node>,
    /// Evaluated locals, resource attributes and ids.
    memo: RefCell<FxHashMap<String, Node>>,
    /// What is being evaluated, to detect cycles.
    active: RefCell<Vec<String>>,
    /// The first declaration of each syntactic Azure name (see `distinct`).
    pub(crate) first_names: std::cell::OnceCell<FxHashMap<String, Span>>,
    /// Instantiated module calls, by call name and instance key (`x`, `x[0]`, `x["a"]`).
    children: RefCell<FxHashMap<String, Option<Rc<Instance<'a>>>>>,
    /// `module.a`, `module.b`, outermost first.
    pub(crate) path: Vec<Arc<str>>,
    /// Where the calls of `path` are written (`module "a"`), outermost first.
    pub(crate) calls: Vec<Span>,
    /// The names of the calls of `path`, without instance keys: the manifest key of a
    /// module this instance calls is these and the call's name, joined with `.`.
    keys: Vec<Arc<str>>,
    /// The folders of the calling modules, this one last.
    ancestors: Vec<PathBuf>,
}

/// Where an instance sits in the tree of module calls.
#[derive(Clone, Debug, Default)]
pub(crate) struct Place {
    /// `module.a`, `module.b["x"]`, outermost first.
    pub(crate) path: Vec<Arc<str>>,
    /// Where each call is written.
    pub(crate) calls: Vec<Span>,
    /// The calls' names.
    pub(crate) keys: Vec<Arc<str>>,
    /// The folders of the calling modules, this one last.
    pub(crate) ancestors: Vec<PathBuf>,
}

/// An [`Unknown`] node.
pub(crate) fn unknown(expr: impl Into<Arc<str>>, reason: UnknownReason, span: Span) -> Node {
    Node::unknown(Unknown::new(expr, reason), span)
}

/// An unknown for an evaluation failure.
pub(crate) fn invalid(expr: impl Into<Arc<str>>, message: &str, span: Span) -> Node {
    unknown(
        expr,
        UnknownReason::Invalid {
            message: message.into(),
        },
        span,
    )
}

/// Whether a module `source` is a local path (`./x`, `../x`, or with `\\`), read from the
/// calling module's folder rather than installed.
pub fn is_local_source(source: &str) -> bool {
    ["./", "../", ".\\", "..\\"]
        .iter()
        .any(|prefix| source.starts_with(prefix))
}

fn reason_of(node: &Node) -> UnknownReason {
    match &node.kind {
        NodeKind::Unknown(u) => u.reason.clone(),
        _ => UnknownReason::Invalid {
            message: "a value of the wrong type".into(),
        },
    }
}

impl<'a> Instance<'a> {
    /// A root or module instance.
    pub(crate) fn new(
        ctx: &'a Ctx<'a>,
        module: Arc<Module>,
        inputs: FxHashMap<String, Node>,
        place: Place,
    ) -> Self {
        Self {
            ctx,
            module,
            inputs,
            memo: RefCell::default(),
            active: RefCell::default(),
            children: RefCell::default(),
            first_names: std::cell::OnceCell::new(),
            path: place.path,
            calls: place.calls,
            keys: place.keys,
            ancestors: place.ancestors,
        }
    }

    /// Evaluates `expr`, written in `file`.
    pub(crate) fn eval(&self, expr: &Expression, file: FileId, binds: &Bindings) -> Node {
        let depth = self.ctx.depth.get();
        let span = span_of(file, expr);
        if depth > MAX_DEPTH {
            return invalid(
                self.ctx.text(span),
                "the expression nests too deeply to evaluate",
                span,
            );
        }
        self.ctx.depth.set(depth + 1);
        // A value an expression yields from elsewhere (a conditional's branch, a function's
        // argument) is no literal of this expression's text, wherever its span points.
        let out = self.eval_inner(expr, file, binds, span).used_at(span);
        self.ctx.depth.set(depth);
        out
    }

    fn eval_inner(&self, expr: &Expression, file: FileId, binds: &Bindings, span: Span) -> Node {
        match expr {
            Expression::Null(_) => Node::new(NodeKind::Null, span),
            Expression::Bool(b) => Node::literal(NodeKind::Bool(*b.value()), span),
            Expression::Number(n) => {
                let n = n.value();
                match n.as_i64() {
                    Some(i) => Node::literal(NodeKind::Int(i), span),
                    None => Node::literal(NodeKind::Float(n.as_f64().unwrap_or(0.0)), span),
                }
            }
            Expression::String(s) => {
                Node::literal(NodeKind::String(s.value().as_str().into()), span)
            }
            Expression::Array(array) => {
                let items: Vec<Node> = array.iter().map(|e| self.eval(e, file, binds)).collect();
                Node::new(NodeKind::Array(items.into()), span)
            }
            Expression::Object(object) => {
                let mut out = Object::default();
                for (key, value) in object {
                    let key_span = span_of(file, key);
                    let key_text: Option<Arc<str>> = match key {
                        hcl_edit::expr::ObjectKey::Ident(ident) => Some(ident.as_str().into()),
                        hcl_edit::expr::ObjectKey::Expression(e) => {
                            let k = self.eval(e, file, binds);
                            match &k.kind {
                                NodeKind::String(s) => Some(Arc::clone(s)),
                                NodeKind::Int(i) => Some(i.to_string().into()),
                                NodeKind::Bool(b) => Some(b.to_string().into()),
                                NodeKind::Unknown(u) => {
                                    out.rest = Some(Arc::clone(u));
                                    None
                                }
                                _ => None,
                            }
                        }
                    };
                    if let Some(key) = key_text {
                        out.entries.push(Entry {
                            key,
                            key_span,
                            value: self.eval(value.expr(), file, binds),
                        });
                    }
                }
                Node::object(out, span)
            }
            Expression::StringTemplate(t) => self.template(t, file, binds, span),
            Expression::HeredocTemplate(h) => self.template(&h.template, file, binds, span),
            Expression::Parenthesis(p) => self.eval(p.inner(), file, binds).located(span),
            Expression::Variable(v) => match lookup(binds, v.as_str()) {
                Some(node) => node.with_span(span),
                None => unknown(
                    v.as_str(),
                    UnknownReason::Invalid {
                        message: format!("`{}` is not defined", v.as_str()).into(),
                    },
                    span,
                ),
            },
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, file, binds);
                match cond.as_bool() {
                    Some(true) => self.eval(&c.true_expr, file, binds),
                    Some(false) => self.eval(&c.false_expr, file, binds),
                    None => {
                        let a = self.eval(&c.true_expr, file, binds);
                        let b = self.eval(&c.false_expr, file, binds);
                        if a.render() == b.render() {
                            a
                        } else {
                            unknown(self.ctx.text(span), reason_of(&cond), span)
                        }
                    }
                }
            }
            Expression::FuncCall(call) => self.call(call, file, binds, span),
            Expression::Traversal(t) => self.traversal(t, file, binds, span),
            Expression::UnaryOp(op) => {
                let value = self.eval(&op.expr, file, binds);
                match (op.operator.value(), &value.kind) {
                    (UnaryOperator::Not, _) if value.as_bool().is_some() => {
                        Node::new(NodeKind::Bool(!value.as_bool().unwrap_or_default()), span)
                    }
                    (UnaryOperator::Neg, NodeKind::Int(i)) => {
                        Node::new(NodeKind::Int(i.saturating_neg()), span)
                    }
                    (UnaryOperator::Neg, NodeKind::Float(x)) => {
                        Node::new(NodeKind::Float(-x), span)
                    }
                    _ => unknown(self.ctx.text(span), reason_of(&value), span),
                }
            }
            Expression::BinaryOp(op) => {
                let lhs = self.eval(&op.lhs_expr, file, binds);
                let operator = *op.operator.value();
                // Short circuits that settle despite an unknown side.
                if operator == BinaryOperator::And && lhs.as_bool() == Some(false)
                    || operator == BinaryOperator::Or && lhs.as_bool() == Some(true)
                {
                    return lhs.with_span(span);
                }
                let rhs = self.eval(&op.rhs_expr, file, binds);
                binary(operator, &lhs, &rhs, span).unwrap_or_else(|| {
                    let culprit = if lhs.as_unknown().is_some() {
                        &lhs
                    } else {
                        &rhs
                    };
                    unknown(self.ctx.text(span), reason_of(culprit), span)
                })
            }
            Expression::ForExpr(f) => self.for_expr(f, file, binds, span),
        }
    }

    fn template(&self, t: &Template, file: FileId, binds: &Bindings, span: Span) -> Node {
        let mut parts: Vec<StrPart> = Vec::new();
        self.template_parts(t, file, binds, &mut parts);
        finish_string(parts, span)
    }

    fn template_parts(
        &self,
        t: &Template,
        file: FileId,
        binds: &Bindings,
        parts: &mut Vec<StrPart>,
    ) {
        for element in t {
            match element {
                Element::Literal(text) => parts.push(StrPart::Text(text.value().as_str().into())),
                Element::Interpolation(i) => {
                    let value = self.eval(&i.expr, file, binds);
                    push_string_part(parts, &value);
                }
                Element::Directive(directive) => match &**directive {
                    Directive::If(d) => {
                        let cond = self.eval(&d.if_expr.cond_expr, file, binds);
                        match cond.as_bool() {
                            Some(true) => {
                                self.template_parts(&d.if_expr.template, file, binds, parts);
                            }
                            Some(false) => {
                                if let Some(e) = &d.else_expr {
                                    self.template_parts(&e.template, file, binds, parts);
                                }
                            }
                            None => parts.push(StrPart::Hole(Arc::new(Unknown::new(
                                self.ctx.text(span_of(file, &d.if_expr.cond_expr)),
                                reason_of(&cond),
                            )))),
                        }
                    }
                    Directive::For(d) => parts.push(StrPart::Hole(Arc::new(Unknown::new(
                        self.ctx.text(span_of(file, &d.for_expr.collection_expr)),
                        UnknownReason::Unsupported {
                            function: "%{for}".into(),
                        },
                    )))),
                },
            }
        }
    }

    fn for_expr(&self, f: &ForExpr, file: FileId, binds: &Bindings, span: Span) -> Node {
        let collection = self.eval(&f.intro.collection_expr, file, binds);
        let items: Vec<(Node, Node)> = match &collection.kind {
            NodeKind::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let index = i64::try_from(i).unwrap_or(i64::MAX);
                    (Node::new(NodeKind::Int(index), v.span), v.clone())
                })
                .collect(),
            NodeKind::Object(object) => object
                .entries
                .iter()
                .map(|e| {
                    (
                        Node::string(Arc::clone(&e.key), e.key_span),
                        e.value.clone(),
                    )
                })
                .collect(),
            _ => return unknown(self.ctx.text(span), reason_of(&collection), span),
        };
        if items.len() > MAX_ELEMENTS {
            return invalid(self.ctx.text(span), "the collection is too large", span);
        }
        let mut array = Vec::new();
        let mut object = Object::default();
        for (key, value) in items {
            let mut inner: Vec<(Arc<str>, Node)> = binds.to_vec();
            match &f.intro.key_var {
                Some(k) => {
                    inner.push((k.as_str().into(), key));
                    inner.push((f.intro.value_var.as_str().into(), value));
                }
                None => inner.push((f.intro.value_var.as_str().into(), value)),
            }
            if let Some(cond) = &f.cond {
                let keep = self.eval(&cond.expr, file, &inner);
                match keep.as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return unknown(self.ctx.text(span), reason_of(&keep), span),
                }
            }
            let value = self.eval(&f.value_expr, file, &inner);
            match &f.key_expr {
                Some(k) => {
                    let key = self.eval(k, file, &inner);
                    match key.kind {
                        NodeKind::String(s) => object.entries.push(Entry {
                            key: s,
                            key_span: key.span,
                            value,
                        }),
                        _ => return unknown(self.ctx.text(span), reason_of(&key), span),
                    }
                }
                None => array.push(value),
            }
        }
        if f.key_expr.is_some() {
            Node::object(object, span)
        } else {
            Node::new(NodeKind::Array(array.into()), span)
        }
    }

    fn traversal(&self, t: &Traversal, file: FileId, binds: &Bindings, span: Span) -> Node {
        let ops = &t.operators;
        let attr = |i: usize| match ops.get(i).map(hcl_edit::Decorated::value) {
            Some(TraversalOperator::GetAttr(name)) => Some(name.as_str()),
            _ => None,
        };
        let text = || self.ctx.text(span);
        let Expression::Variable(root) = &t.expr else {
            let base = self.eval(&t.expr, file, binds);
            return self.apply(base, ops, file, binds, span);
        };
        let root = root.as_str();
        if let Some(value) = lookup(binds, root) {
            return self.apply(value.clone(), ops, file, binds, span);
        }
        match root {
            "var" => match attr(0) {
                Some(name) => {
                    let value = self.variable(name, span);
                    self.apply(value, ops.get(1..).unwrap_or_default(), file, binds, span)
                }
                None => invalid(text(), "`var` needs an attribute", span),
            },
            "local" => match attr(0) {
                Some(name) => {
                    let value = self.local(name, span);
                    self.apply(value, ops.get(1..).unwrap_or_default(), file, binds, span)
                }
                None => invalid(text(), "`local` needs an attribute", span),
            },
            "module" => {
                let Some(name) = attr(0) else {
                    return invalid(text(), "`module` needs an attribute", span);
                };
                let mut rest = ops.get(1..).unwrap_or_default();
                let mut instance = Instances::All;
                match rest.first().map(hcl_edit::Decorated::value) {
                    Some(TraversalOperator::Index(index)) => {
                        let index = self.eval(index, file, binds);
                        instance = match scalar_text(&index) {
                            Some(key) if index.as_unknown().is_none() => Instances::One(key),
                            _ => Instances::Unknown,
                        };
                        rest = rest.get(1..).unwrap_or_default();
                    }
                    Some(TraversalOperator::LegacyIndex(i)) => {
                        instance = Instances::One(i.value().to_string());
                        rest = rest.get(1..).unwrap_or_default();
                    }
                    Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)) => {
                        instance = Instances::Each;
                        rest = rest.get(1..).unwrap_or_default();
                    }
                    _ => {}
                }
                let Some(Some(TraversalOperator::GetAttr(output))) =
                    rest.first().map(|o| Some(o.value()))
                else {
                    return unknown(
                        text(),
                        UnknownReason::Unsupported {
                            function: "module object".into(),
                        },
                        span,
                    );
                };
                let value = self.module_output(name, &instance, output.as_str(), span);
                self.apply(value, rest.get(1..).unwrap_or_default(), file, binds, span)
            }
            "data" => unknown(
                strip_instance(&text()),
                UnknownReason::External {
                    what: format!("data source `{}`", strip_instance(&text())).into(),
                },
                span,
            ),
            "path" if attr(0).is_some_and(|a| a == "module" || a == "root" || a == "cwd") => {
                Node::string(".", span)
            }
            ty => match attr(0).and_then(|name| self.declaration(ty, name)) {
                Some(decl) => {
                    let mut rest = ops.get(1..).unwrap_or_default();
                    let mut instance: Option<String> = None;
                    match rest.first().map(hcl_edit::Decorated::value) {
                        Some(TraversalOperator::Index(index)) => {
                            let index = self.eval(index, file, binds);
                            instance = scalar_text(&index).filter(|_| index.as_unknown().is_none());
                            rest = rest.get(1..).unwrap_or_default();
                        }
                        Some(TraversalOperator::LegacyIndex(i)) => {
                            instance = Some(i.value().to_string());
                            rest = rest.get(1..).unwrap_or_default();
                        }
                        Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_)) => {
                            rest = rest.get(1..).unwrap_or_default();
                        }
                        _ => {}
                    }
                    let Some(Some(TraversalOperator::GetAttr(name))) =
                        rest.first().map(|o| Some(o.value()))
                    else {
                        let value = match &instance {
                            Some(key) => self.resource_instance_object(&decl, Some(key), span),
                            None => self.resource_object(&decl, span),
                        };
                        return self.apply(value, rest, file, binds, span);
                    };
                    let value =
                        self.resource_attribute(&decl, name.as_str(), instance.as_deref(), span);
                    self.apply(value, rest.get(1..).unwrap_or_default(), file, binds, span)
                }
                None => unknown(
                    text(),
                    UnknownReason::Invalid {
                        message: format!("`{ty}` is not declared in this module").into(),
                    },
                    span,
                ),
            },
        }
    }

    /// Applies attribute and index steps to a value.
    fn apply(
        &self,
        mut node: Node,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        file: FileId,
        binds: &Bindings,
        span: Span,
    ) -> Node {
        for op in ops {
            let next = match (op.value(), &node.kind) {
                (_, NodeKind::Unknown(_)) => {
                    return unknown(strip_instance(&self.ctx.text(span)), reason_of(&node), span);
                }
                (TraversalOperator::GetAttr(name), NodeKind::Object(object)) => {
                    match object.value(name.as_str()) {
                        Some(value) => value.clone(),
                        None => match &object.rest {
                            Some(rest) => Node::unknown(rest.member(name.as_str()), span),
                            None => {
                                return invalid(
                                    self.ctx.text(span),
                                    &format!("the object has no attribute `{}`", name.as_str()),
                                    span,
                                );
                            }
                        },
                    }
                }
                (TraversalOperator::Index(index), _) => {
                    let index = self.eval(index, file, binds);
                    match (&node.kind, &index.kind) {
                        (NodeKind::Array(items), NodeKind::Int(i)) => usize::try_from(*i)
                            .ok()
                            .and_then(|i| items.get(i))
                            .cloned()
                            .unwrap_or_else(|| {
                                invalid(self.ctx.text(span), "index out of range", span)
                            }),
                        (NodeKind::Object(object), NodeKind::String(key)) => object
                            .value(key)
                            .cloned()
                            .unwrap_or_else(|| Node::new(NodeKind::Null, span)),
                        _ => return unknown(self.ctx.text(span), reason_of(&index), span),
                    }
                }
                (TraversalOperator::LegacyIndex(i), NodeKind::Array(items)) => {
                    usize::try_from(*i.value())
                        .ok()
                        .and_then(|i| items.get(i))
                        .cloned()
                        .unwrap_or_else(|| invalid(self.ctx.text(span), "index out of range", span))
                }
                _ => {
                    return invalid(
                        self.ctx.text(span),
                        "this value has no such attribute or element",
                        span,
                    );
                }
            };
            node = next;
        }
        node
    }

    /// The value of `var.name`.
    fn variable(&self, name: &str, span: Span) -> Node {
        if let Some(value) = self.inputs.get(name) {
            let ty = self
                .module
                .variables
                .iter()
                .find(|v| v.name == name)
                .and_then(|v| v.ty.clone());
            return match ty {
                Some(ty) => self.type_defaults(value.clone(), &ty.expr, ty.file, 0),
                None => value.clone(),
            };
        }
        let expr = format!("{}var.{name}", self.prefix());
        let Some(var) = self.module.variables.iter().find(|v| v.name == name) else {
            return invalid(expr, &format!("variable `{name}` is not declared"), span);
        };
        match &var.default {
            Some(default) => {
                let key = format!("var.{name}");
                self.guarded(&key, span, || {
                    let value = self.eval(&default.expr, default.file, &[]);
                    let provenance =
                        isolint_model::Provenance::of(isolint_model::Decider::ParameterDefault {
                            name: name.into(),
                            span: value.span,
                        });
                    value.with_provenance(&provenance)
                })
            }
            None => unknown(expr, UnknownReason::Parameter { name: name.into() }, span),
        }
    }

    /// Fills the attributes that a variable's `object({...})` type declares
    /// `optional(T, default)` and that the value leaves out.
    fn type_defaults(&self, value: Node, ty: &Expression, file: FileId, depth: usize) -> Node {
        let Expression::FuncCall(call) = ty else {
            return value;
        };
        if depth > 16 {
            return value;
        }
        let inner = call.args.iter().next();
        match (call.name.name.as_str(), inner) {
            ("optional", Some(inner)) => self.type_defaults(value, inner, file, depth + 1),
            ("list" | "set" | "map", Some(inner)) => match &value.kind {
                NodeKind::Array(items) => {
                    let items: Vec<Node> = items
                        .iter()
                        .map(|i| self.type_defaults(i.clone(), inner, file, depth + 1))
                        .collect();
                    Node::new(NodeKind::Array(items.into()), value.span)
                        .with_provenance(&value.provenance)
                }
                NodeKind::Object(object) => {
                    let mut object = (**object).clone();
                    for entry in &mut object.entries {
                        entry.value =
                            self.type_defaults(entry.value.clone(), inner, file, depth + 1);
                    }
                    Node::object(object, value.span).with_provenance(&value.provenance)
                }
                _ => value,
            },
            ("object", Some(Expression::Object(fields))) => {
                let NodeKind::Object(object) = &value.kind else {
                    return value;
                };
                let mut object = (**object).clone();
                for (key, field) in fields {
                    let Some(key) = key.as_ident().map(|k| k.as_str().to_owned()) else {
                        continue;
                    };
                    let field_ty = field.expr();
                    match object.entries.iter_mut().find(|e| *e.key == *key) {
                        Some(entry) => {
                            entry.value =
                                self.type_defaults(entry.value.clone(), field_ty, file, depth + 1);
                        }
                        None => {
                            let default = match field_ty {
                                Expression::FuncCall(f) if f.name.name.as_str() == "optional" => {
                                    f.args.iter().nth(1).map(|d| self.eval(d, file, &[]))
                                }
                                _ => None,
                            }
                            .unwrap_or_else(|| Node::new(NodeKind::Null, value.span));
                            object.entries.push(Entry {
                                key: key.into(),
                                key_span: value.span,
                                value: default,
                            });
                        }
                    }
                }
                Node::object(object, value.span).with_provenance(&value.provenance)
            }
            _ => value,
        }
    }

    /// `module.a.module.b.` for an instance reached through calls, empty for a root.
    pub(crate) fn prefix(&self) -> String {
        let mut out = String::new();
        for p in &self.path {
            out.push_str(p);
            out.push('.');
        }
        out
    }

    /// The value of `local.name`.
    fn local(&self, name: &str, span: Span) -> Node {
        let Some(local) = self.module.local(name) else {
            return invalid(
                format!("{}local.{name}", self.prefix()),
                &format!("local `{name}` is not declared"),
                span,
            );
        };
        let local = local.clone();
        self.guarded(&format!("local.{name}"), span, || {
            self.eval(&local.expr, local.file, &[])
        })
    }

    /// Evaluates `compute` once for `key`, reporting a cycle when `key` is already being
    /// evaluated.
    pub(crate) fn guarded(&self, key: &str, span: Span, compute: impl FnOnce() -> Node) -> Node {
        if let Some(done) = self.memo.borrow().get(key) {
            return done.clone();
        }
        if self.active.borrow().iter().any(|k| k == key) {
            let chain = {
                let active = self.active.borrow();
                let start = active.iter().position(|k| k == key).unwrap_or(0);
                let mut chain: Vec<String> = active.get(start..).unwrap_or_default().to_vec();
                chain.push(key.to_owned());
                chain.join(" -> ")
            };
            self.ctx.report(
                |path| Diagnostic::warning("cycle", format!("a reference cycle: {chain}"), path),
                span,
            );
            let node = invalid(
                format!("{}{key}", self.prefix()),
                &format!("a reference cycle: {chain}"),
                span,
            );
            return node;
        }
        self.active.borrow_mut().push(key.to_owned());
        let value = compute();
        self.active.borrow_mut().pop();
        self.memo.borrow_mut().insert(key.to_owned(), value.clone());
        value
    }

    /// The resource declaration `ty.name` in this module.
    pub(crate) fn declaration(&self, ty: &str, name: &str) -> Option<Declaration> {
        self.module
            .resources
            .iter()
            .find(|d| d.ty == ty && d.name == name)
            .cloned()
    }

    /// `ty.name.attribute` of a declared resource.
    fn resource_attribute(
        &self,
        decl: &Declaration,
        attribute: &str,
        instance: Option<&str>,
        span: Span,
    ) -> Node {
        let expr = format!("{}{}.{}.{attribute}", self.prefix(), decl.ty, decl.name);
        let (key, binds) = instance
            .and_then(|k| self.instance_binds(decl, k).map(|b| (k.to_owned(), b)))
            .unwrap_or_default();
        if attribute == "id" {
            return match self.resource_id(decl, &key, &binds) {
                Some(id) => Node::new(NodeKind::ResourceId(Arc::new(id)), span),
                None => unknown(
                    expr,
                    UnknownReason::Runtime {
                        function: format!("{}.id", decl.ty).into(),
                    },
                    span,
                ),
            };
        }
        match decl.block.body.get_attribute(attribute) {
            Some(attr) => {
                let value = attr.value.clone();
                let file = decl.file;
                self.guarded(
                    &format!("{}.{}[{key}].{attribute}", decl.ty, decl.name),
                    span,
                    || self.eval(&value, file, &binds),
                )
            }
            None => unknown(
                expr,
                UnknownReason::Runtime {
                    function: format!("{}.{attribute}", decl.ty).into(),
                },
                span,
            ),
        }
    }

    /// `ty.name` as a value: for a `count` or `for_each` whose instances are known, the
    /// list (or map) of its instances, so that `length(ty.name)` settles and
    /// `length(ty.name) > 0 ? ty.name[0].id : ""` links to instance `0`; for a declaration
    /// without a loop, its one instance; unknown for a loop that cannot be expanded.
    fn resource_object(&self, decl: &Declaration, span: Span) -> Node {
        let looped =
            decl.block.body.has_attribute("count") || decl.block.body.has_attribute("for_each");
        if !looped {
            return self.resource_instance_object(decl, None, span);
        }
        let key = format!("object:{}.{}", decl.ty, decl.name);
        self.guarded(&key, span, || match self.instances(decl) {
            None => unknown(
                format!("{}{}.{}", self.prefix(), decl.ty, decl.name),
                UnknownReason::Runtime {
                    function: format!("{} object", decl.ty).into(),
                },
                span,
            ),
            Some(instances) if decl.block.body.has_attribute("count") => {
                let items: Vec<Node> = instances
                    .iter()
                    .map(|(key, _)| self.resource_instance_object(decl, Some(key), span))
                    .collect();
                Node::new(NodeKind::Array(items.into()), span)
            }
            Some(instances) => {
                let entries = instances
                    .iter()
                    .map(|(key, _)| Entry {
                        key: key.as_str().into(),
                        key_span: span,
                        value: self.resource_instance_object(decl, Some(key), span),
                    })
                    .collect();
                Node::object(
                    Object {
                        entries,
                        rest: None,
                    },
                    span,
                )
            }
        })
    }

    /// One instance of a resource as an object: its `id`, every other attribute unknown
    /// (they are read through `ty.name[key].attribute` instead).
    fn resource_instance_object(&self, decl: &Declaration, key: Option<&str>, span: Span) -> Node {
        let address = match key {
            Some(key) => format!("{}{}.{}[{key}]", self.prefix(), decl.ty, decl.name),
            None => format!("{}{}.{}", self.prefix(), decl.ty, decl.name),
        };
        let object = Object {
            entries: vec![Entry {
                key: "id".into(),
                key_span: span,
                value: self.resource_attribute(decl, "id", key, span),
            }],
            rest: Some(Arc::new(Unknown::new(
                address,
                UnknownReason::Runtime {
                    function: format!("{} object", decl.ty).into(),
                },
            ))),
        };
        Node::object(object, span)
    }

    /// The instances of module call `name`, in order: one for a call without `count` or
    /// `for_each`, one per key when they are known (none for `count = 0`), one standing for
    /// them all (its `count.index` or `each` unknown) when they are not. Each is evaluated
    /// with its own inputs, and its key is part of its module path (`module.x[0]`,
    /// `module.x["a"]`). Expansion stops at the first instance that cannot be made (the
    /// module cannot be followed, or the budget of instances is spent).
    pub(crate) fn module_instances(&self, name: &str) -> Vec<Rc<Instance<'a>>> {
        let Some(call) = self.module.calls.iter().find(|c| c.name == name) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut push = |key: Option<InstanceKey<'_>>, binds: Vec<(Arc<str>, Node)>| match self
            .child_at(name, key.as_ref(), &binds)
        {
            Some(child) => {
                out.push(child);
                true
            }
            None => false,
        };
        match self.call_loop(call) {
            CallLoop::Single => {
                push(None, Vec::new());
            }
            CallLoop::Count(n, span) => {
                for i in 0..n {
                    if !push(Some(InstanceKey::Index(i)), count_binds(i, span)) {
                        break;
                    }
                }
            }
            CallLoop::Each(pairs, span) => {
                for (key, value) in pairs {
                    let binds = each_binds(&key, value, span);
                    if !push(Some(InstanceKey::Name(&key)), binds) {
                        break;
                    }
                }
            }
            CallLoop::Unknown(binds) => {
                push(None, binds);
            }
        }
        out
    }

    /// The instance `key` of module call `name` (`None`: the call has no loop), if it
    /// exists.
    fn module_instance(&self, name: &str, key: Option<&str>) -> Option<Rc<Instance<'a>>> {
        let call = self.module.calls.iter().find(|c| c.name == name)?;
        match (self.call_loop(call), key) {
            (CallLoop::Single, None) => self.child_at(name, None, &[]),
            (CallLoop::Unknown(binds), _) => self.child_at(name, None, &binds),
            (CallLoop::Count(n, span), Some(key)) => {
                let i = key.parse::<usize>().ok().filter(|i| *i < n)?;
                self.child_at(name, Some(&InstanceKey::Index(i)), &count_binds(i, span))
            }
            (CallLoop::Each(pairs, span), Some(key)) => {
                let (_, value) = pairs.into_iter().find(|(k, _)| k == key)?;
                let binds = each_binds(key, value, span);
                self.child_at(name, Some(&InstanceKey::Name(key)), &binds)
            }
            _ => None,
        }
    }

    /// The loop of a module call: its `count` or `for_each`, evaluated.
    fn call_loop(&self, call: &Call) -> CallLoop {
        let body = &call.block.body;
        if let Some(count) = body.get_attribute("count") {
            let span = span_of(call.file, count);
            let value = self.eval(&count.value, call.file, &[]);
            return match value.as_int() {
                Some(n) => CallLoop::Count(usize::try_from(n).unwrap_or(0), span),
                None => {
                    let index = unknown("count.index", reason_of(&value), span);
                    CallLoop::Unknown(vec![("count".into(), count_object(index, span))])
                }
            };
        }
        let Some(each) = body.get_attribute("for_each") else {
            return CallLoop::Single;
        };
        let span = span_of(call.file, each);
        let collection = self.eval(&each.value, call.file, &[]);
        match each_pairs(&collection, usize::MAX) {
            Some(pairs) => CallLoop::Each(pairs, span),
            None => {
                let part =
                    |what: &str| unknown(format!("each.{what}"), reason_of(&collection), span);
                let each = iteration_object(part("key"), part("value"), span);
                CallLoop::Unknown(vec![("each".into(), each)])
            }
        }
    }

    /// The instance `key` of module call `name`, bound by `binds`, created on first use.
    fn child_at(
        &self,
        name: &str,
        key: Option<&InstanceKey<'_>>,
        binds: &Bindings,
    ) -> Option<Rc<Instance<'a>>> {
        let address = module_address(name, key);
        if let Some(done) = self.children.borrow().get(&address) {
            return done.clone();
        }
        let active = format!("module.{name}");
        if self.active.borrow().contains(&active) {
            return None;
        }
        self.active.borrow_mut().push(active);
        let made = self.make_child(name, address.clone(), binds).map(Rc::new);
        self.active.borrow_mut().pop();
        self.children.borrow_mut().insert(address, made.clone());
        made
    }

    fn make_child(&self, name: &str, address: String, binds: &Bindings) -> Option<Instance<'a>> {
        let call = self.module.calls.iter().find(|c| c.name == name)?;
        let source_attr = call.block.body.get_attribute("source")?;
        let source = match &source_attr.value {
            Expression::String(s) => s.value().clone(),
            _ => return None,
        };
        let at = span_of(call.file, source_attr);
        let mut keys = self.keys.clone();
        keys.push(name.into());
        // A module that is not read (not installed, missing, outside the project root) is a
        // coverage gap the deployment graph reports at the call: its outputs are unknown.
        let dir = if is_local_source(&source) {
            isolint_model::source::normalize(&self.module.dir.join(&source))
        } else {
            self.ctx.installed.get(&keys.join("."))?.clone()
        };
        let module = self.ctx.modules.get(&dir)?;
        if module.refused.is_some() {
            return None;
        }
        let say = |message: String| {
            self.ctx.report(
                |path| Diagnostic::warning("module-error", message, path),
                at,
            );
        };
        if self.ancestors.contains(&dir) {
            say(format!(
                "module `{name}` includes itself (`{source}`): not followed"
            ));
            return None;
        }
        if self.path.len() >= MAX_MODULE_DEPTH {
            say(format!(
                "module `{name}` is nested more than {MAX_MODULE_DEPTH} modules deep: not followed"
            ));
            return None;
        }
        let instances = self.ctx.module_instances.get();
        if instances >= MAX_MODULE_INSTANCES {
            self.ctx.report(
                |path| {
                    Diagnostic::warning(
                        "expansion-budget",
                        format!("module `{name}`: expanding modules from this root reaches {MAX_MODULE_INSTANCES} instances: not followed"),
                        path,
                    )
                },
                at,
            );
            return None;
        }
        self.ctx.module_instances.set(instances + 1);
        // Into a module read from a cache, the call's arguments are what the user wrote:
        // each value is named as the argument given (a finding inside moves there).
        let into_cache = module.hidden && !self.module.hidden;
        let mut inputs = FxHashMap::default();
        for attr in call.block.body.attributes() {
            let key = attr.key.as_str();
            if matches!(
                key,
                "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
            ) {
                continue;
            }
            let mut value = self.eval(&attr.value, call.file, binds);
            if into_cache {
                value = value.with_provenance(&Provenance::of(Decider::ParameterValue {
                    name: key.into(),
                    span: Some(span_of(call.file, &attr.value)),
                }));
            }
            inputs.insert(key.to_owned(), value);
        }
        let mut place = Place {
            path: self.path.clone(),
            calls: self.calls.clone(),
            keys,
            ancestors: self.ancestors.clone(),
        };
        place.path.push(address.into());
        place.calls.push(header_span(call.file, &call.block));
        place.ancestors.push(dir);
        Some(Instance::new(self.ctx, Arc::clone(module), inputs, place))
    }

    /// `module.name.output`, `module.name[key].output`, `module.name[*].output` (the list
    /// of every instance's).
    fn module_output(&self, name: &str, instance: &Instances, output: &str, span: Span) -> Node {
        let expr = format!("{}module.{name}.{output}", self.prefix());
        let Some(call) = self.module.calls.iter().find(|c| c.name == name) else {
            return invalid(expr, &format!("module `{name}` is not declared"), span);
        };
        let source = call
            .block
            .body
            .get_attribute("source")
            .and_then(|a| match &a.value {
                Expression::String(s) => Some(s.value().clone()),
                _ => None,
            })
            .unwrap_or_default();
        let child = match instance {
            Instances::All => self.module_instance(name, None),
            Instances::One(key) => self.module_instance(name, Some(key)),
            Instances::Each => {
                let items: Vec<Node> = self
                    .module_instances(name)
                    .iter()
                    .map(|child| child.output_value(name, output, span))
                    .collect();
                return Node::new(NodeKind::Array(items.into()), span);
            }
            Instances::Unknown => None,
        };
        let Some(child) = child else {
            return unknown(
                expr,
                UnknownReason::Module {
                    source: source.into(),
                },
                span,
            );
        };
        child.output_value(name, output, span)
    }

    /// The value of this module instance's `output`, called `name` by its caller.
    fn output_value(&self, name: &str, output: &str, span: Span) -> Node {
        let Some(value) = self.module.output(output).cloned() else {
            return invalid(
                format!("{}{output}", self.prefix()),
                &format!("module `{name}` has no output `{output}`"),
                span,
            );
        };
        self.guarded(&format!("output.{output}"), span, || {
            self.eval(&value.expr, value.file, &[])
        })
    }
}

/// Which instances of a module call a reference names.
enum Instances {
    /// `module.x.out`: the call's only instance (an instance of a looped call needs a key).
    All,
    /// `module.x[key].out`.
    One(String),
    /// `module.x[*].out`: every instance's, as a list.
    Each,
    /// `module.x[<unknown>].out`.
    Unknown,
}

/// The loop of a module call, evaluated, with where it is written.
enum CallLoop {
    /// No `count` or `for_each`.
    Single,
    /// `count` is known.
    Count(usize, Span),
    /// `for_each` is known: each key and value.
    Each(Vec<(String, Node)>, Span),
    /// `count` or `for_each` cannot be settled: one instance stands for them all, bound
    /// to an unknown `count.index` or `each`.
    Unknown(Vec<(Arc<str>, Node)>),
}

/// The address of a module instance: `module.x`, `module.x[0]`, `module.x["a"]`.
fn module_address(name: &str, key: Option<&InstanceKey<'_>>) -> String {
    match key {
        None => format!("module.{name}"),
        Some(InstanceKey::Index(i)) => format!("module.{name}[{i}]"),
        Some(InstanceKey::Name(key)) => {
            let quoted = key.replace('\\', "\\\\").replace('"', "\\\"");
            format!("module.{name}[\"{quoted}\"]")
        }
    }
}

/// The key of one instance of a looped module call.
enum InstanceKey<'k> {
    /// A `count` index.
    Index(usize),
    /// A `for_each` key.
    Name(&'k str),
}

/// `count` bound to `{ index = i }`.
pub(crate) fn count_binds(i: usize, span: Span) -> Vec<(Arc<str>, Node)> {
    let index = Node::new(NodeKind::Int(i64::try_from(i).unwrap_or(i64::MAX)), span);
    vec![("count".into(), count_object(index, span))]
}

fn count_object(index: Node, span: Span) -> Node {
    Node::object(
        Object {
            entries: vec![Entry {
                key: "index".into(),
                key_span: span,
                value: index,
            }],
            rest: None,
        },
        span,
    )
}

/// `each` bound to `{ key, value }`.
pub(crate) fn each_binds(key: &str, value: Node, span: Span) -> Vec<(Arc<str>, Node)> {
    vec![("each".into(), iteration(key, value, span))]
}

/// The `{ key, value }` object of one iteration (`each`, a `dynamic` block's iterator).
pub(crate) fn iteration(key: &str, value: Node, span: Span) -> Node {
    iteration_object(Node::string(key, span), value, span)
}

fn iteration_object(key: Node, value: Node, span: Span) -> Node {
    Node::object(
        Object {
            entries: vec![
                Entry {
                    key: "key".into(),
                    key_span: span,
                    value: key,
                },
                Entry {
                    key: "value".into(),
                    key_span: span,
                    value,
                },
            ],
            rest: None,
        },
        span,
    )
}

/// The keys and values a `for_each` iterates, when the collection is known and has at most
/// `max` elements: a set of strings (each its own key), or a map.
pub(crate) fn each_pairs(collection: &Node, max: usize) -> Option<Vec<(String, Node)>> {
    match &collection.kind {
        NodeKind::Array(items) if items.len() <= max => items
            .iter()
            .map(|v| {
                Some((
                    scalar_text(v).filter(|_| v.as_unknown().is_none())?,
                    v.clone(),
                ))
            })
            .collect(),
        NodeKind::Object(o) if o.rest.is_none() && o.entries.len() <= max => Some(
            o.entries
                .iter()
                .map(|e| (e.key.to_string(), e.value.clone()))
                .collect(),
        ),
        _ => None,
    }
}

fn lookup<'b>(binds: &'b Bindings, name: &str) -> Option<&'b Node> {
    binds
        .iter()
        .rev()
        .find(|(n, _)| &**n == name)
        .map(|(_, v)| v)
}

/// `azurerm_x.y[0].id` → `azurerm_x.y.id`: a looped resource is one declaration.
fn strip_instance(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

impl NodeExt for Node {
    fn with_span(&self, span: Span) -> Node {
        self.clone().located(span)
    }
}

/// Small helpers on nodes.
pub(crate) trait NodeExt {
    /// The same value at another span.
    fn with_span(&self, span: Span) -> Node;
}

/// Appends a value to a string being built.
pub(crate) fn push_string_part(parts: &mut Vec<StrPart>, value: &Node) {
    match &value.kind {
        NodeKind::Unknown(u) => parts.push(StrPart::Hole(Arc::clone(u))),
        NodeKind::ResourceId(id) => parts.push(StrPart::Text(id.to_marked_path().into())),
        _ => match scalar_text(value) {
            Some(text) => parts.push(StrPart::Text(text.into())),
            None => parts.push(StrPart::Hole(Arc::new(Unknown::new(
                value.render(),
                UnknownReason::Invalid {
                    message: "a collection cannot be part of a string".into(),
                },
            )))),
        },
    }
}

/// A scalar as Terraform prints it in a string.
pub(crate) fn scalar_text(value: &Node) -> Option<String> {
    match &value.kind {
        NodeKind::String(s) => Some(s.to_string()),
        NodeKind::Int(i) => Some(i.to_string()),
        NodeKind::Float(x) => Some(x.to_string()),
        NodeKind::Bool(b) => Some(b.to_string()),
        NodeKind::Null => Some(String::new()),
        NodeKind::ResourceId(id) => Some(id.to_marked_path()),
        _ => None,
    }
}

/// The string made of `parts`: known text, a resource ID, or a partly unknown string.
pub(crate) fn finish_string(parts: Vec<StrPart>, span: Span) -> Node {
    if parts.iter().any(|p| matches!(p, StrPart::Hole(_))) {
        if let Some(id) = partial_id(&parts) {
            return Node::new(NodeKind::ResourceId(Arc::new(id)), span);
        }
        return Node::unknown(Unknown::concat(parts), span);
    }
    let text: String = parts
        .iter()
        .map(|p| match p {
            StrPart::Text(t) => &**t,
            StrPart::Hole(_) => "",
        })
        .collect();
    if isolint_model::id::has_marks(&text) {
        return match ResourceId::parse(&text) {
            Some(id) => Node::new(NodeKind::ResourceId(Arc::new(id)), span),
            None => invalid(
                text.replace(['\u{E000}', '\u{E001}'], ""),
                "not a resource ID",
                span,
            ),
        };
    }
    Node::string(text, span)
}

/// A resource ID path with unknown pieces (`/subscriptions/.../storageAccounts/${var.n}`):
/// each segment with an unknown piece becomes symbolic, named by the same expression the
/// resource's own name would have.
fn partial_id(parts: &[StrPart]) -> Option<ResourceId> {
    let starts_like_an_id = matches!(parts.first(), Some(StrPart::Text(t))
        if t.starts_with("/subscriptions/") || t.starts_with("/providers/"));
    if !starts_like_an_id {
        return None;
    }
    let mut path = String::new();
    let mut segment: Vec<StrPart> = Vec::new();
    let flush = |segment: &mut Vec<StrPart>, path: &mut String| {
        let taken = std::mem::take(segment);
        if taken.iter().any(|p| matches!(p, StrPart::Hole(_))) {
            path.push_str(&isolint_model::id::marked(&Unknown::concat(taken).expr));
        } else {
            for part in taken {
                if let StrPart::Text(t) = part {
                    path.push_str(&t);
                }
            }
        }
    };
    for part in parts {
        match part {
            StrPart::Text(text) => {
                let mut pieces = text.split('/');
                if let Some(first) = pieces.next() {
                    segment.push(StrPart::Text(first.into()));
                }
                for piece in pieces {
                    flush(&mut segment, &mut path);
                    path.push('/');
                    segment.push(StrPart::Text(piece.into()));
                }
            }
            StrPart::Hole(_) => segment.push(part.clone()),
        }
    }
    flush(&mut segment, &mut path);
    ResourceId::parse(&path)
}

fn binary(op: BinaryOperator, lhs: &Node, rhs: &Node, span: Span) -> Option<Node> {
    use BinaryOperator as B;
    if lhs.as_unknown().is_some() || rhs.as_unknown().is_some() {
        if op == B::And && rhs.as_bool() == Some(false)
            || op == B::Or && rhs.as_bool() == Some(true)
        {
            return Some(rhs.clone());
        }
        return None;
    }
    let number = |n: &Node| match n.kind {
        NodeKind::Int(i) => i32::try_from(i).ok().map(f64::from),
        NodeKind::Float(x) => Some(x),
        NodeKind::String(ref s) => s.parse().ok(),
        _ => None,
    };
    let boolean = |b: bool| Some(Node::new(NodeKind::Bool(b), span));
    match op {
        B::Eq => boolean(lhs.render() == rhs.render()),
        B::NotEq => boolean(lhs.render() != rhs.render()),
        B::And => boolean(lhs.as_bool()? && rhs.as_bool()?),
        B::Or => boolean(lhs.as_bool()? || rhs.as_bool()?),
        B::Less => boolean(number(lhs)? < number(rhs)?),
        B::LessEq => boolean(number(lhs)? <= number(rhs)?),
        B::Greater => boolean(number(lhs)? > number(rhs)?),
        B::GreaterEq => boolean(number(lhs)? >= number(rhs)?),
        B::Plus | B::Minus | B::Mul | B::Div | B::Mod => {
            if let (NodeKind::Int(a), NodeKind::Int(b)) = (&lhs.kind, &rhs.kind) {
                let v = match op {
                    B::Plus => a.checked_add(*b),
                    B::Minus => a.checked_sub(*b),
                    B::Mul => a.checked_mul(*b),
                    B::Div if *b != 0 && a % b == 0 => Some(a / b),
                    B::Mod if *b != 0 => Some(a % b),
                    _ => None,
                };
                if let Some(v) = v {
                    return Some(Node::new(NodeKind::Int(v), span));
                }
            }
            let (a, b) = (number(lhs)?, number(rhs)?);
            let v = match op {
                B::Plus => a + b,
                B::Minus => a - b,
                B::Mul => a * b,
                B::Div => a / b,
                _ => a % b,
            };
            Some(Node::new(NodeKind::Float(v), span))
        }
    }
}

/// The function call evaluator lives in [`crate::functions`].
impl Instance<'_> {
    fn call(&self, call: &FuncCall, file: FileId, binds: &Bindings, span: Span) -> Node {
        let name = call.name.name.as_str();
        let args: Vec<Node> = call
            .args
            .iter()
            .map(|a| self.eval(a, file, binds))
            .collect();
        let text = self.ctx.text(span);
        crate::functions::call(name, args, call.args.expand_final(), span, &text)
    }
}
