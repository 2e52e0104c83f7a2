//! Lowers a parsed Bicep file onto the ARM frontend's [`Template`], with the mapping
//! Bicep's own compiler uses (`reference/bicep.md` §2.4): `??` is `coalesce`, a ternary is
//! `if`, interpolation is `format`, spread is `shallowMerge`/`flatten`, `res.id` is
//! `resourceId(...)`, `res.properties.x` is `reference(...).x`, `mod.outputs.x` is
//! `reference(<deployment>).outputs.x.value`. Nested children, `parent:` children and
//! slash names all become a full type and a full name; loops become `copy`, `if` becomes
//! a condition, modules become `Microsoft.Resources/deployments` with a linked template
//! (a local path) or a remote one (a registry or template spec reference, which the
//! deployment graph resolves in the module cache). Every expression keeps its span in the `.bicep` file.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use isolint_arm::ir::{Expr as Ir, ExprKind as IrKind, ForLoop, LoopSource, Property};
use isolint_arm::template::{
    Copy, Deployment, DeploymentParameters, Function, NestedTemplate, Output, Parameter, Remote,
    RemoteKind, ResourceDecl, Scope, Template, Variable,
};
use isolint_model::id::RESOURCE_GROUP_TYPE;
use isolint_model::{Diagnostic, SourceFile, Span, Syntax};

use crate::imports::{Binding, Imports};
use crate::syntax::{
    ArrayItem, Decl, DeclKind, Expr, ExprKind, ObjectItem, Program, Range, Resource,
};

/// The API version given to module deployments.
const DEPLOYMENT_API: &str = "2022-09-01";
const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

/// The namespace of user-defined functions in the IR (`__bicep.f`), as Bicep compiles them.
pub(crate) const FUNCTIONS: &str = "__bicep.";

/// Lowers `program`, parsed from `file`, without its imports. The local `.bicep`/`.json`
/// files its modules deploy are the template's [`links`](Template::links).
pub fn lower(file: &SourceFile, program: &Program, diagnostics: &mut Vec<Diagnostic>) -> Template {
    lower_with_imports(file, program, Imports::default(), diagnostics).0
}

/// Lowers `program`, parsed from `file`, with what its imports bring (see
/// [`crate::imports`]); also gives the user-defined types the file sees.
pub(crate) fn lower_with_imports(
    file: &SourceFile,
    program: &Program,
    imports: Imports,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Template, Types) {
    let Imports {
        bindings,
        types,
        variables,
        functions,
    } = imports;
    let mut symbols = Symbols {
        types,
        imports: bindings,
        ..Symbols::default()
    };
    collect(program, &file.text, &mut symbols);
    let mut lowerer = Lowerer {
        file,
        symbols,
        locals: Vec::new(),
        diagnostics,
        names: Vec::new(),
        naming: Vec::new(),
        scoping: Vec::new(),
    };
    lowerer.names = vec![None; lowerer.symbols.resources.len()];
    lowerer.naming = vec![false; lowerer.symbols.resources.len()];
    let mut template = lowerer.program(program);
    template.variables.extend(variables);
    template.functions.extend(functions);
    (template, lowerer.symbols.types)
}

/// Lowers a `.bicepparam` value (its expressions see no template symbols).
pub fn lower_value(file: &SourceFile, expr: &Expr, diagnostics: &mut Vec<Diagnostic>) -> Ir {
    let mut lowerer = Lowerer {
        file,
        symbols: Symbols::default(),
        locals: Vec::new(),
        diagnostics,
        names: Vec::new(),
        naming: Vec::new(),
        scoping: Vec::new(),
    };
    lowerer.expr(expr)
}

/// A resource or module declaration, flattened out of its parents.
struct Symbol<'p> {
    /// Symbolic name (`child`), and qualified (`parent::child`).
    name: Box<str>,
    qualified: Box<str>,
    decl: &'p Decl,
    /// The enclosing declaration, for a nested child.
    nested_in: Option<usize>,
    module: bool,
}

/// What a user-defined type is, as far as parameters care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TypeShape {
    /// It ends with `?`: a parameter of the type without a default is `null`.
    Nullable,
    /// It is another type by name (`type a = b`, `type a = ns.b`).
    Alias(Box<str>),
    /// Anything else.
    Other,
}

/// The user-defined types a file sees, by name: its own and those it imports.
#[derive(Default)]
pub(crate) struct Types(BTreeMap<Box<str>, TypeShape>);

/// How many aliases [`Types::is_nullable`] follows (a longer chain, or a cycle, is not
/// nullable).
const MAX_ALIASES: usize = 32;

impl Types {
    /// Records a type by the name this file knows it by.
    pub(crate) fn insert(&mut self, name: &str, shape: TypeShape) {
        self.0.entry(name.into()).or_insert(shape);
    }

    /// Whether the type written `text` (a parameter's type) is a user-defined type that is
    /// nullable, directly or through aliases.
    pub(crate) fn is_nullable(&self, text: &str) -> bool {
        let mut name = text.trim();
        for _ in 0..MAX_ALIASES {
            match self.0.get(name) {
                Some(TypeShape::Nullable) => return true,
                Some(TypeShape::Alias(next)) => name = next,
                Some(TypeShape::Other) | None => return false,
            }
        }
        false
    }

    /// The shape of a type declaration written `text`.
    pub(crate) fn shape(text: &str, nullable: bool) -> TypeShape {
        let text = text.trim();
        let is_name = |part: &str| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        if nullable {
            TypeShape::Nullable
        } else if text.split('.').all(is_name) && text.split('.').count() <= 2 {
            TypeShape::Alias(text.into())
        } else {
            TypeShape::Other
        }
    }
}

#[derive(Default)]
struct Symbols<'p> {
    types: Types,
    /// The names imports bring.
    imports: BTreeMap<Box<str>, Binding>,
    params: Vec<Box<str>>,
    vars: Vec<Box<str>>,
    funcs: Vec<Box<str>>,
    resources: Vec<Symbol<'p>>,
}

/// Collects the file's declarations; `text` is the file's text.
fn collect<'p>(program: &'p Program, text: &str, symbols: &mut Symbols<'p>) {
    for decl in &program.decls {
        match &decl.kind {
            DeclKind::Param(p) => symbols.params.push(p.name.name.clone()),
            DeclKind::Var(name, _) => symbols.vars.push(name.name.clone()),
            DeclKind::Func(f) => symbols.funcs.push(f.name.name.clone()),
            DeclKind::Type(t) => {
                let written = text.get(t.ty.start as usize..t.ty.end as usize);
                symbols.types.insert(
                    &t.name.name,
                    Types::shape(written.unwrap_or(""), t.nullable),
                );
            }
            DeclKind::Resource(_) | DeclKind::Module(_) => collect_resource(decl, None, symbols),
            _ => {}
        }
    }
}

fn collect_resource<'p>(decl: &'p Decl, nested_in: Option<usize>, symbols: &mut Symbols<'p>) {
    let (name, module, body) = match &decl.kind {
        DeclKind::Resource(r) => (&r.name, false, &r.body),
        DeclKind::Module(m) => (&m.name, true, &m.body),
        _ => return,
    };
    let qualified = match nested_in {
        Some(p) => format!("{}::{}", symbols.resources[p].qualified, name.name).into(),
        None => name.name.clone(),
    };
    let index = symbols.resources.len();
    symbols.resources.push(Symbol {
        name: name.name.clone(),
        qualified,
        decl,
        nested_in,
        module,
    });
    if let Some(items) = body_object(body) {
        for item in items {
            if let ObjectItem::Resource(child) = item {
                collect_resource(child, Some(index), symbols);
            }
        }
    }
}

/// The object of a declaration body (`{...}`, `if (c) {...}`, `[for ...: {...}]`).
fn body_object(body: &Expr) -> Option<&[ObjectItem]> {
    match &body.kind {
        ExprKind::Object(items) => Some(items),
        ExprKind::If(_, inner) => body_object(inner),
        ExprKind::For(f) => body_object(&f.body),
        _ => None,
    }
}

/// The member `key` of an object body.
fn property<'e>(items: &'e [ObjectItem], key: &str) -> Option<&'e Expr> {
    items.iter().find_map(|item| match item {
        ObjectItem::Property(k, v) if key_text(k).is_some_and(|t| t == key) => Some(v),
        _ => None,
    })
}

fn key_text(key: &Expr) -> Option<&str> {
    match &key.kind {
        ExprKind::String(pieces, holes) if holes.is_empty() => pieces.first().map(|p| &**p),
        _ => None,
    }
}

/// What a name in scope stands for.
#[derive(Clone)]
enum Local {
    /// A `[for]` expression variable.
    Loop(Arc<str>),
    /// A lambda parameter.
    Lambda(Arc<str>),
    /// A resource loop variable: replaced by its value (`source[copyIndex()]`).
    Subst(Ir),
    /// A function parameter.
    Param(Arc<str>),
}

struct Lowerer<'a, 'p> {
    file: &'a SourceFile,
    symbols: Symbols<'p>,
    locals: Vec<(Box<str>, Local)>,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Full names of resources, computed on demand.
    names: Vec<Option<Ir>>,
    naming: Vec<bool>,
    /// Resources whose `scope:` is being lowered (a scope that names its own resource
    /// gets none).
    scoping: Vec<usize>,
}

/// A reference to a declared resource or module, possibly indexed.
struct ResRef {
    symbol: usize,
    index: Option<Ir>,
}

fn call(name: &str, args: Vec<Ir>, span: Span) -> Ir {
    Ir::new(IrKind::Call(name.into(), args), span)
}

fn string(text: &str, span: Span) -> Ir {
    Ir::new(IrKind::String(text.into()), span)
}

/// `copyIndex('<copy>')`: the index of the resource loop named `copy`. A Bicep loop
/// variable stands for it by name, so that a `[for]` inside the resource (an unnamed loop)
/// does not take it over, and so that it reads outside its resource (a reference
/// `sym[i]`) only where [`replace_copy_index`] puts an index in its place.
fn copy_index(copy: &str, span: Span) -> Ir {
    call("copyindex", vec![string(copy, span)], span)
}

/// `e` with every `copyIndex('<copy>')` replaced by `index`.
fn replace_copy_index(e: &Ir, copy: &str, index: &Ir) -> Ir {
    let kind = match &e.kind {
        IrKind::Call(name, args)
            if &**name == "copyindex"
                && matches!(args.as_slice(), [Ir { kind: IrKind::String(named), .. }] if **named == *copy) =>
        {
            return index.clone();
        }
        IrKind::Call(name, args) => IrKind::Call(
            name.clone(),
            args.iter()
                .map(|a| replace_copy_index(a, copy, index))
                .collect(),
        ),
        IrKind::Member(t, n, s) => {
            IrKind::Member(Box::new(replace_copy_index(t, copy, index)), n.clone(), *s)
        }
        IrKind::Index(t, i, s) => IrKind::Index(
            Box::new(replace_copy_index(t, copy, index)),
            Box::new(replace_copy_index(i, copy, index)),
            *s,
        ),
        IrKind::Array(items) => IrKind::Array(
            items
                .iter()
                .map(|a| replace_copy_index(a, copy, index))
                .collect(),
        ),
        other => other.clone(),
    };
    Ir::new(kind, e.span)
}

impl<'p> Lowerer<'_, 'p> {
    fn span(&self, range: Range) -> Span {
        Span::new(self.file.id, range.start as usize, range.end as usize)
    }

    fn text(&self, range: Range) -> &str {
        self.file
            .text
            .get(range.start as usize..range.end as usize)
            .unwrap_or("")
    }

    fn error(&mut self, message: impl Into<String>, range: Range) {
        let span = self.span(range);
        self.diagnostics
            .push(Diagnostic::warning("bicep-lowering", message, &self.file.path).at(span));
    }

    fn invalid(&self, message: &str, range: Range) -> Ir {
        Ir::new(IrKind::Invalid(message.into()), self.span(range))
    }

    fn program(&mut self, program: &'p Program) -> Template {
        let mut template = Template {
            path: Arc::from(self.file.path.as_path()),
            span: Span::new(self.file.id, 0, self.file.text.len()),
            parameters: Vec::new(),
            variables: Vec::new(),
            functions: Vec::new(),
            resources: Vec::new(),
            outputs: Vec::new(),
            syntax: Syntax::Bicep,
            hidden: self.file.hidden,
        };
        for decl in &program.decls {
            match &decl.kind {
                DeclKind::Param(p) => {
                    let default = p.default.as_ref().map(|d| self.expr(d));
                    let nullable = p.nullable
                        || p.ty
                            .is_some_and(|ty| self.symbols.types.is_nullable(self.text(ty)));
                    template.parameters.push(Parameter {
                        name: (*p.name.name).into(),
                        span: self.span(p.name.range),
                        default,
                        nullable,
                    });
                }
                DeclKind::Var(name, value) => {
                    let value = self.expr(value);
                    template.variables.push(Variable {
                        name: (*name.name).into(),
                        span: self.span(name.range),
                        value,
                    });
                }
                DeclKind::Func(f) => {
                    let names: Vec<Arc<str>> =
                        f.params.iter().map(|p| Arc::from(&*p.name)).collect();
                    let mark = self.locals.len();
                    for name in &names {
                        self.locals
                            .push((Box::from(&**name), Local::Param(name.clone())));
                    }
                    let output = self.expr(&f.body);
                    self.locals.truncate(mark);
                    template.functions.push(Function {
                        name: format!("{FUNCTIONS}{}", f.name.name)
                            .to_ascii_lowercase()
                            .into(),
                        parameters: names,
                        output,
                    });
                }
                DeclKind::Output(name, value) => {
                    let value = self.expr(value);
                    template.outputs.push(Output {
                        name: (*name.name).into(),
                        value,
                    });
                }
                _ => {}
            }
        }
        for index in 0..self.symbols.resources.len() {
            if let Some(decl) = self.resource(index) {
                template.resources.push(decl);
            }
        }
        template
    }

    // ---- resources ----

    /// Splits a declaration body into its object, condition and loop.
    fn shape(
        body: &'p Expr,
    ) -> (
        Option<&'p [ObjectItem]>,
        Option<&'p Expr>,
        Option<&'p crate::syntax::ForExpr>,
    ) {
        match &body.kind {
            ExprKind::Object(items) => (Some(items), None, None),
            ExprKind::If(cond, inner) => (body_object(inner), Some(cond), None),
            ExprKind::For(f) => match &f.body.kind {
                ExprKind::If(cond, inner) => (body_object(inner), Some(cond), Some(f)),
                _ => (body_object(&f.body), None, Some(f)),
            },
            _ => (None, None, None),
        }
    }

    fn decl_body(&self, index: usize) -> &'p Expr {
        match &self.symbols.resources[index].decl.kind {
            DeclKind::Resource(r) => &r.body,
            DeclKind::Module(m) => &m.body,
            _ => unreachable_body(self.symbols.resources[index].decl),
        }
    }

    /// The name of resource `index`'s copy loop (its qualified symbol), by which its loop
    /// variables name their index ([`copy_index`]).
    fn copy_name(&self, index: usize) -> &str {
        &self.symbols.resources[index].qualified
    }

    /// Pushes the loop variables of a resource loop (`item` → `source[copyIndex('sym')]`,
    /// `index` → `copyIndex('sym')`) and returns the loop's source.
    ///
    /// A nested child without a loop of its own takes its nearest looped parent's loop:
    /// one child per parent instance, its name built from that instance's name.
    fn enter_loop(&mut self, index: usize) -> Option<Ir> {
        let mut owner = Some(index);
        let for_expr = loop {
            let current = owner?;
            if let (_, _, Some(for_expr)) = Self::shape(self.decl_body(current)) {
                break for_expr;
            }
            owner = self.symbols.resources[current].nested_in;
        };
        let source = self.expr(&for_expr.source);
        let span = source.span;
        let copy_index = copy_index(self.copy_name(index), span);
        if let Some(item) = &for_expr.item {
            let value = Ir::new(
                IrKind::Index(
                    Box::new(source.clone()),
                    Box::new(copy_index.clone()),
                    false,
                ),
                self.span(item.range),
            );
            self.locals.push((item.name.clone(), Local::Subst(value)));
        }
        if let Some(i) = &for_expr.index {
            self.locals.push((i.name.clone(), Local::Subst(copy_index)));
        }
        Some(source)
    }

    /// The full type and API version of a resource.
    fn type_of(&self, index: usize) -> (String, Option<Arc<str>>) {
        let symbol = &self.symbols.resources[index];
        if symbol.module {
            return (DEPLOYMENTS.into(), Some(DEPLOYMENT_API.into()));
        }
        let DeclKind::Resource(r) = &symbol.decl.kind else {
            return (String::new(), None);
        };
        let written = key_text(&r.ty).unwrap_or("");
        let (ty, api) = match written.split_once('@') {
            Some((t, v)) => (t.to_owned(), Some(Arc::from(v))),
            None => (written.to_owned(), None),
        };
        match symbol.nested_in {
            Some(parent) if !ty.contains('.') => {
                let (parent_ty, parent_api) = self.type_of(parent);
                (format!("{parent_ty}/{ty}"), api.or(parent_api))
            }
            _ => (ty, api),
        }
    }

    /// The full name of a resource: nested and `parent:` children get
    /// `format('{0}/{1}', parentName, name)`.
    fn full_name(&mut self, index: usize) -> Ir {
        if let Some(done) = &self.names[index] {
            return done.clone();
        }
        let decl = self.symbols.resources[index].decl;
        if self.naming[index] {
            return self.invalid("the resource name refers to itself", decl.header);
        }
        self.naming[index] = true;
        let body = self.decl_body(index);
        let (items, _, _) = Self::shape(body);
        let mark = self.locals.len();
        self.enter_loop(index);
        let own = match items.and_then(|items| property(items, "name")) {
            Some(name) => self.expr(name),
            None if self.symbols.resources[index].module => string(
                &self.symbols.resources[index].name.clone(),
                self.span(decl.header),
            ),
            None => self.invalid("the resource has no `name`", decl.header),
        };
        // `parent: sym[i]` names instance `i` of a looped parent; a nested child stays with
        // its parent's instance (the loop it took over in `enter_loop`).
        let parent = match self.symbols.resources[index].nested_in {
            Some(p) => Some(ResRef {
                symbol: p,
                index: None,
            }),
            None => items
                .and_then(|items| property(items, "parent"))
                .and_then(|p| self.resolve(p)),
        };
        let name = match parent {
            Some(p) => {
                let mut parent_name = self.full_name(p.symbol);
                let parent_copy = self.copy_name(p.symbol);
                if let Some(at) = &p.index {
                    parent_name = replace_copy_index(&parent_name, parent_copy, at);
                } else if self.symbols.resources[index].nested_in.is_some() {
                    // A nested child took its parent's loop over: the parent's instance is
                    // the child's.
                    let own = copy_index(self.copy_name(index), own.span);
                    parent_name = replace_copy_index(&parent_name, parent_copy, &own);
                }
                let span = own.span;
                call(
                    "format",
                    vec![string("{0}/{1}", span), parent_name, own],
                    span,
                )
            }
            None => own,
        };
        self.locals.truncate(mark);
        self.naming[index] = false;
        self.names[index] = Some(name.clone());
        name
    }

    fn name_text(&self, index: usize) -> String {
        let body = self.decl_body(index);
        let (items, _, _) = Self::shape(body);
        let own = items.and_then(|items| property(items, "name")).map_or_else(
            || self.symbols.resources[index].name.to_string(),
            |n| match &n.kind {
                // A string is shown without its quotes, as ARM shows its names.
                ExprKind::String(pieces, holes) if holes.is_empty() => pieces.concat(),
                ExprKind::String(..) => {
                    let text = self.text(n.range);
                    let inner = text.strip_prefix('\'').unwrap_or(text);
                    inner.strip_suffix('\'').unwrap_or(inner).to_owned()
                }
                _ => self.text(n.range).to_owned(),
            },
        );
        match self.symbols.resources[index].nested_in {
            Some(p) => format!("{}/{own}", self.name_text(p)),
            None => own,
        }
    }

    fn resource(&mut self, index: usize) -> Option<ResourceDecl> {
        let symbol = &self.symbols.resources[index];
        let decl = symbol.decl;
        let module = symbol.module;
        let qualified: Arc<str> = (*symbol.qualified).into();
        let nested_in = symbol.nested_in;
        let body = self.decl_body(index);
        let (items, condition, _) = Self::shape(body);
        let Some(items) = items else {
            self.error(
                "this declaration's body is not an object; it is not checked",
                decl.header,
            );
            return None;
        };
        let (ty, api_version) = self.type_of(index);
        let name = self.full_name(index);
        let name_text: Arc<str> = self.name_text(index).into();
        let mark = self.locals.len();
        let source = self.enter_loop(index);
        let copy = source.map(|source| {
            let span = source.span;
            Copy {
                name: Some(qualified.clone()),
                count: call("length", vec![source], span),
            }
        });
        let mut condition_text = condition.map(|c| self.text(c.range).trim().to_owned());
        let mut condition = condition.map(|c| self.expr(c));
        // A nested child is deployed only with its parent.
        let mut parent = nested_in;
        while let Some(p) = parent {
            let (_, parent_condition, _) = Self::shape(self.decl_body(p));
            if let Some(pc) = parent_condition {
                let lowered = self.expr(pc);
                let text = self.text(pc.range).trim().to_owned();
                condition = Some(match condition {
                    Some(own) => {
                        let span = own.span;
                        call("and", vec![lowered, own], span)
                    }
                    None => lowered,
                });
                condition_text = Some(match condition_text {
                    Some(own) => format!("{text} && {own}"),
                    None => text,
                });
            }
            parent = self.symbols.resources[p].nested_in;
        }
        let mut members = Vec::new();
        let mut deployment = None;
        if module {
            let DeclKind::Module(m) = &decl.kind else {
                return None;
            };
            let path = key_text(&m.path).unwrap_or("");
            let template = if key_text(&m.path).is_none() {
                NestedTemplate::Opaque("a module path that is not a plain string".into())
            } else if is_registry(path) {
                NestedTemplate::Remote(Remote {
                    reference: path.into(),
                    kind: RemoteKind::BicepModule,
                })
            } else {
                NestedTemplate::Linked(self.file.path.parent().unwrap_or(Path::new("")).join(path))
            };
            let mut entries = Vec::new();
            if let Some(params) = property(items, "params") {
                match &params.kind {
                    ExprKind::Object(params) => {
                        for item in params {
                            if let ObjectItem::Property(k, v) = item
                                && let Some(key) = key_text(k)
                            {
                                let value = self.expr(v);
                                let span = value.span;
                                entries.push((
                                    Arc::from(key),
                                    self.span(k.range),
                                    Ir::new(
                                        IrKind::Object(vec![Property {
                                            key: string("value", span),
                                            value,
                                        }]),
                                        span,
                                    ),
                                ));
                            }
                        }
                    }
                    _ => self.error(
                        "module `params` that are not an object literal are not read",
                        params.range,
                    ),
                }
            }
            deployment = Some(Deployment {
                inner_scope: true,
                template,
                parameters: DeploymentParameters::Entries(entries),
                link: Some(self.span(m.path.range)),
            });
        } else {
            for item in items {
                if let ObjectItem::Property(k, v) = item {
                    let Some(key) = key_text(k) else { continue };
                    if matches!(key, "name" | "parent" | "scope" | "dependsOn") {
                        continue;
                    }
                    let value = self.expr(v);
                    members.push((Arc::from(key), self.span(k.range), value));
                }
            }
        }
        self.locals.truncate(mark);
        let existing = matches!(&decl.kind, DeclKind::Resource(r) if r.existing);
        let scope = self.scope_of(index);
        Some(ResourceDecl {
            symbolic: Some(qualified),
            ty: ty.into(),
            api_version,
            name,
            name_text,
            condition,
            condition_text: condition_text.map(Arc::from),
            copy,
            existing,
            body: members,
            span: self.span(decl.range),
            header: self.span(decl.header),
            parent: None,
            deployment,
            scope,
        })
    }

    // ---- symbol references ----

    fn local(&self, name: &str) -> Option<&Local> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, l)| l)
    }

    /// The resource or module an expression names (`sym`, `sym[i]`, `a::b`).
    fn resolve(&mut self, e: &Expr) -> Option<ResRef> {
        let (symbol, index) = self.resolve_symbol(e)?;
        Some(ResRef {
            symbol,
            index: index.map(|index| self.expr(index)),
        })
    }

    /// The resource or module an expression names, with the expression of the instance it
    /// picks (`sym[i]`) left unlowered: walking a `parent:` chain needs only the symbol, and
    /// lowering the index there could name the resource walked (`parent: a[a.id]`) and
    /// walk it again, without end.
    fn resolve_symbol<'e>(&self, e: &'e Expr) -> Option<(usize, Option<&'e Expr>)> {
        match &e.kind {
            ExprKind::Ident(name) => {
                if self.local(name).is_some()
                    || self.symbols.params.iter().any(|p| p == name)
                    || self.symbols.vars.iter().any(|v| v == name)
                    || self.symbols.imports.contains_key(name)
                {
                    return None;
                }
                let symbol = self
                    .symbols
                    .resources
                    .iter()
                    .position(|s| s.nested_in.is_none() && &s.name == name)
                    .or_else(|| self.symbols.resources.iter().position(|s| &s.name == name))?;
                Some((symbol, None))
            }
            ExprKind::Index(target, index, _, false) => {
                let (symbol, _) = self.resolve_symbol(target)?;
                Some((symbol, Some(index)))
            }
            ExprKind::Child(target, child) => {
                let (parent, index) = self.resolve_symbol(target)?;
                let symbol = self
                    .symbols
                    .resources
                    .iter()
                    .position(|s| s.nested_in == Some(parent) && *s.name == *child.name)?;
                Some((symbol, index))
            }
            _ => None,
        }
    }

    /// The ID of a resource, in the scope it names: `resourceId([sub,] rg, type, name)`,
    /// `subscriptionResourceId(sub, type, name)` or `tenantResourceId(type, name)`, as
    /// Bicep's own emitter writes them.
    fn resource_id(&mut self, r: &ResRef, span: Span) -> Ir {
        let (ty, _) = self.type_of(r.symbol);
        let mut name = self.full_name(r.symbol);
        let scope = self.scope_of(r.symbol);
        let (function, mut args) = if scope.above_subscriptions {
            ("tenantresourceid", Vec::new())
        } else {
            match (scope.subscription, scope.resource_group) {
                (subscription, Some(group)) => (
                    "resourceid",
                    subscription.into_iter().chain([group]).collect(),
                ),
                (Some(subscription), None) => ("subscriptionresourceid", vec![subscription]),
                (None, None) => ("resourceid", Vec::new()),
            }
        };
        if let Some(index) = &r.index {
            let copy = self.copy_name(r.symbol);
            name = replace_copy_index(&name, copy, index);
            for arg in &mut args {
                *arg = replace_copy_index(arg, copy, index);
            }
        }
        args.push(string(&ty, span));
        args.push(name);
        call(function, args, span)
    }

    /// The scope a resource's `scope:` names, inherited by nested and `parent:` children:
    /// `resourceGroup([subscriptionId,] name)` or a resource group declared in the file
    /// (on a module or an `existing` resource), `subscription([id])`, `tenant()`,
    /// `managementGroup(...)`. Empty for the deployment's own scope, and for the resource
    /// an extension resource extends.
    fn scope_of(&mut self, index: usize) -> Scope {
        let mut current = Some(index);
        let mut seen = 0;
        while let Some(at) = current {
            // A `parent:` cycle is reported elsewhere; stop walking it here.
            seen += 1;
            if seen > self.symbols.resources.len() {
                return Scope::default();
            }
            let (items, _, _) = Self::shape(self.decl_body(at));
            if let Some(scope) = items.and_then(|items| property(items, "scope")) {
                if self.scoping.contains(&at) {
                    return Scope::default();
                }
                self.scoping.push(at);
                let mark = self.locals.len();
                self.enter_loop(at);
                let mut lowered = self.scope_expression(scope);
                self.locals.truncate(mark);
                self.scoping.pop();
                if at != index {
                    // Inherited: `at`'s loop variables stand for `index`'s instance.
                    let own = copy_index(self.copy_name(index), self.span(scope.range));
                    let from = self.copy_name(at);
                    let rename =
                        |part: Option<Ir>| part.map(|part| replace_copy_index(&part, from, &own));
                    lowered.subscription = rename(lowered.subscription);
                    lowered.resource_group = rename(lowered.resource_group);
                }
                return lowered;
            }
            current = match self.symbols.resources[at].nested_in {
                Some(p) => Some(p),
                None => items
                    .and_then(|items| property(items, "parent"))
                    .and_then(|p| self.resolve_symbol(p))
                    .map(|(symbol, _)| symbol),
            };
        }
        Scope::default()
    }

    /// The scope a `scope:` expression names (see [`Self::scope_of`]).
    fn scope_expression(&mut self, scope: &Expr) -> Scope {
        let function = match &scope.kind {
            ExprKind::Call(target, name, args) if is_system_namespace(target.as_deref()) => {
                Some((&*name.name, args.as_slice()))
            }
            _ => None,
        };
        match function {
            Some(("resourceGroup", [group])) => Scope {
                resource_group: Some(self.expr(group)),
                ..Scope::default()
            },
            Some(("resourceGroup", [subscription, group])) => Scope {
                subscription: Some(self.expr(subscription)),
                resource_group: Some(self.expr(group)),
                above_subscriptions: false,
            },
            Some(("subscription", [])) => {
                let span = self.span(scope.range);
                let current = call("subscription", Vec::new(), span);
                Scope {
                    subscription: Some(Ir::new(
                        IrKind::Member(Box::new(current), "subscriptionId".into(), false),
                        span,
                    )),
                    ..Scope::default()
                }
            }
            Some(("subscription", [subscription])) => Scope {
                subscription: Some(self.expr(subscription)),
                ..Scope::default()
            },
            Some(("tenant" | "managementGroup", _)) => Scope {
                above_subscriptions: true,
                ..Scope::default()
            },
            Some(_) => Scope::default(),
            // `scope: rg`, a resource group declared in this file: its name, in its own
            // scope's subscription.
            None => match self.resolve(scope) {
                Some(r)
                    if self
                        .type_of(r.symbol)
                        .0
                        .eq_ignore_ascii_case(RESOURCE_GROUP_TYPE) =>
                {
                    let mut name = self.full_name(r.symbol);
                    let mut subscription = self.scope_of(r.symbol).subscription;
                    if let Some(index) = &r.index {
                        let copy = self.copy_name(r.symbol);
                        name = replace_copy_index(&name, copy, index);
                        subscription = subscription.map(|s| replace_copy_index(&s, copy, index));
                    }
                    Scope {
                        subscription,
                        resource_group: Some(name),
                        above_subscriptions: false,
                    }
                }
                _ => Scope::default(),
            },
        }
    }

    /// `sym.member` and what follows, when `sym` is a resource or module.
    fn resource_member(
        &mut self,
        target: &Expr,
        member: &str,
        safe: bool,
        span: Span,
    ) -> Option<Ir> {
        // `mod.outputs.x`: the module's output value.
        if let ExprKind::Member(inner, outputs, _) = &target.kind
            && &*outputs.name == "outputs"
            && let Some(r) = self.resolve(inner)
            && self.symbols.resources[r.symbol].module
        {
            let id = self.resource_id(&r, span);
            let reference = call("reference", vec![id], span);
            let outputs = Ir::new(
                IrKind::Member(Box::new(reference), "outputs".into(), false),
                span,
            );
            let output = Ir::new(IrKind::Member(Box::new(outputs), member.into(), safe), span);
            return Some(Ir::new(
                IrKind::Member(Box::new(output), "value".into(), safe),
                span,
            ));
        }
        let r = self.resolve(target)?;
        let module = self.symbols.resources[r.symbol].module;
        Some(match member {
            "id" => self.resource_id(&r, span),
            "name" => {
                let name = self.full_name(r.symbol);
                match &r.index {
                    Some(index) => replace_copy_index(&name, self.copy_name(r.symbol), index),
                    None => name,
                }
            }
            "type" => string(&self.type_of(r.symbol).0, span),
            "apiVersion" => match self.type_of(r.symbol).1 {
                Some(api) => string(&api, span),
                None => self.invalid("the resource has no API version", target.range),
            },
            "outputs" if module => {
                let id = self.resource_id(&r, span);
                let reference = call("reference", vec![id], span);
                Ir::new(
                    IrKind::Member(Box::new(reference), "outputs".into(), safe),
                    span,
                )
            }
            "properties" => {
                let id = self.resource_id(&r, span);
                let api = self.type_of(r.symbol).1.unwrap_or_else(|| "".into());
                call("reference", vec![id, string(&api, span)], span)
            }
            other => {
                let id = self.resource_id(&r, span);
                let api = self.type_of(r.symbol).1.unwrap_or_else(|| "".into());
                let reference = call(
                    "reference",
                    vec![id, string(&api, span), string("Full", span)],
                    span,
                );
                Ir::new(
                    IrKind::Member(Box::new(reference), other.into(), safe),
                    span,
                )
            }
        })
    }

    // ---- expressions ----

    fn lower_all(&mut self, exprs: &[Expr]) -> Vec<Ir> {
        exprs.iter().map(|e| self.expr(e)).collect()
    }

    /// Lowers an expression.
    fn expr(&mut self, e: &Expr) -> Ir {
        let span = self.span(e.range);
        let kind = match &e.kind {
            ExprKind::Int(n) => match i64::try_from(*n) {
                Ok(n) => IrKind::Int(n),
                Err(_) => IrKind::Invalid("the integer is too large".into()),
            },
            ExprKind::Bool(b) => IrKind::Bool(*b),
            ExprKind::Null => IrKind::Null,
            ExprKind::String(pieces, holes) => {
                if holes.is_empty() {
                    IrKind::String(pieces.concat().into())
                } else {
                    let mut format = String::new();
                    for (i, piece) in pieces.iter().enumerate() {
                        format.push_str(&piece.replace('{', "{{").replace('}', "}}"));
                        if i < holes.len() {
                            format.push_str(&format!("{{{i}}}"));
                        }
                    }
                    let mut args = vec![string(&format, span)];
                    args.extend(self.lower_all(holes));
                    IrKind::Call("format".into(), args)
                }
            }
            ExprKind::Ident(name) => return self.ident(name, e.range),
            ExprKind::Call(target, name, args) => {
                return self.call(target.as_deref(), &name.name, args, span);
            }
            ExprKind::Member(target, name, safe) => {
                if let Some(lowered) = self.resource_member(target, &name.name, *safe, span) {
                    return lowered;
                }
                let safe = *safe || in_safe_chain(target);
                IrKind::Member(Box::new(self.expr(target)), (*name.name).into(), safe)
            }
            ExprKind::Index(target, index, safe, from_end) => {
                if *from_end {
                    let name = if *safe {
                        "tryindexfromend"
                    } else {
                        "indexfromend"
                    };
                    IrKind::Call(name.into(), vec![self.expr(target), self.expr(index)])
                } else {
                    let safe = *safe || in_safe_chain(target);
                    IrKind::Index(
                        Box::new(self.expr(target)),
                        Box::new(self.expr(index)),
                        safe,
                    )
                }
            }
            ExprKind::Child(..) => match self.resolve(e) {
                Some(r) => return self.resource_id(&r, span),
                None => IrKind::Invalid("not a nested resource".into()),
            },
            ExprKind::NonNull(inner) | ExprKind::Paren(inner) => return self.expr(inner),
            ExprKind::Unary(op, inner) => match (*op, &inner.kind) {
                ("-", ExprKind::Int(n)) => match i64::try_from(*n) {
                    Ok(n) => IrKind::Int(-n),
                    Err(_) => IrKind::Invalid("the integer is too large".into()),
                },
                ("-", _) => IrKind::Call(
                    "sub".into(),
                    vec![Ir::new(IrKind::Int(0), span), self.expr(inner)],
                ),
                _ => IrKind::Call("not".into(), vec![self.expr(inner)]),
            },
            ExprKind::Binary(op, a, b) => {
                let a = self.expr(a);
                let b = self.expr(b);
                let simple = |name: &str| IrKind::Call(name.into(), vec![a.clone(), b.clone()]);
                match *op {
                    "&&" => simple("and"),
                    "||" => simple("or"),
                    "??" => simple("coalesce"),
                    "==" => simple("equals"),
                    "!=" => IrKind::Call("not".into(), vec![call("equals", vec![a, b], span)]),
                    "=~" | "!~" => {
                        let eq = call(
                            "equals",
                            vec![
                                call("tolower", vec![a], span),
                                call("tolower", vec![b], span),
                            ],
                            span,
                        );
                        if *op == "=~" {
                            eq.kind
                        } else {
                            IrKind::Call("not".into(), vec![eq])
                        }
                    }
                    "<" => simple("less"),
                    "<=" => simple("lessorequals"),
                    ">" => simple("greater"),
                    ">=" => simple("greaterorequals"),
                    "+" => simple("add"),
                    "-" => simple("sub"),
                    "*" => simple("mul"),
                    "/" => simple("div"),
                    _ => simple("mod"),
                }
            }
            ExprKind::Ternary(c, a, b) => {
                IrKind::Call("if".into(), vec![self.expr(c), self.expr(a), self.expr(b)])
            }
            ExprKind::Object(items) => return self.object(items, span),
            ExprKind::Array(items) => {
                if items.iter().any(|i| matches!(i, ArrayItem::Spread(_))) {
                    let mut chunks = Vec::new();
                    let mut run = Vec::new();
                    for item in items {
                        match item {
                            ArrayItem::Item(v) => run.push(self.expr(v)),
                            ArrayItem::Spread(v) => {
                                if !run.is_empty() {
                                    chunks.push(Ir::new(
                                        IrKind::Array(std::mem::take(&mut run)),
                                        span,
                                    ));
                                }
                                chunks.push(self.expr(v));
                            }
                        }
                    }
                    if !run.is_empty() {
                        chunks.push(Ir::new(IrKind::Array(run), span));
                    }
                    IrKind::Call("flatten".into(), vec![Ir::new(IrKind::Array(chunks), span)])
                } else {
                    IrKind::Array(
                        items
                            .iter()
                            .map(|i| match i {
                                ArrayItem::Item(v) | ArrayItem::Spread(v) => self.expr(v),
                            })
                            .collect(),
                    )
                }
            }
            ExprKind::For(f) => {
                let source = self.expr(&f.source);
                let mark = self.locals.len();
                let item = f.item.as_ref().map(|i| Arc::<str>::from(&*i.name));
                let index = f.index.as_ref().map(|i| Arc::<str>::from(&*i.name));
                for name in item.iter().chain(index.iter()) {
                    self.locals
                        .push((Box::from(&**name), Local::Loop(name.clone())));
                }
                let (body, filter) = match &f.body.kind {
                    ExprKind::If(cond, body) => (self.expr(body), Some(self.expr(cond))),
                    _ => (self.expr(&f.body), None),
                };
                self.locals.truncate(mark);
                IrKind::For(Box::new(ForLoop {
                    source: LoopSource::Items(source),
                    item,
                    index,
                    copy_name: None,
                    body,
                    filter,
                }))
            }
            ExprKind::Lambda(params, body) => {
                let mark = self.locals.len();
                let mut args = Vec::new();
                for p in params {
                    let name: Arc<str> = (*p.name).into();
                    args.push(string(&name, self.span(p.range)));
                    self.locals.push((p.name.clone(), Local::Lambda(name)));
                }
                args.push(self.expr(body));
                self.locals.truncate(mark);
                IrKind::Call("lambda".into(), args)
            }
            ExprKind::If(..) => {
                IrKind::Invalid("`if` is only allowed on resource and module bodies".into())
            }
            ExprKind::Error => IrKind::Invalid("a syntax error".into()),
        };
        Ir::new(kind, span)
    }

    fn ident(&mut self, name: &str, range: Range) -> Ir {
        let span = self.span(range);
        match self.local(name).cloned() {
            Some(Local::Loop(n)) => return Ir::new(IrKind::Local(n), span),
            Some(Local::Lambda(n)) => return call("lambdavariables", vec![string(&n, span)], span),
            Some(Local::Param(n)) => return call("parameters", vec![string(&n, span)], span),
            Some(Local::Subst(value)) => {
                let mut value = value.clone();
                value.span = span;
                return value;
            }
            None => {}
        }
        if self.symbols.params.iter().any(|p| &**p == name) {
            return call("parameters", vec![string(name, span)], span);
        }
        if self.symbols.vars.iter().any(|v| &**v == name) {
            return call("variables", vec![string(name, span)], span);
        }
        if let Some(binding) = self.symbols.imports.get(name) {
            return imported_value(binding, span);
        }
        let reference = Expr {
            kind: ExprKind::Ident(name.into()),
            range,
        };
        if let Some(r) = self.resolve(&reference) {
            return self.resource_id(&r, span);
        }
        self.invalid(&format!("`{name}` is not declared in this file"), range)
    }

    fn call(&mut self, target: Option<&Expr>, name: &str, args: &[Expr], span: Span) -> Ir {
        let namespace = match target {
            None => None,
            Some(Expr {
                kind: ExprKind::Ident(ns),
                ..
            }) if matches!(&**ns, "sys" | "az") && self.local(ns).is_none() => None,
            Some(t) => Some(t),
        };
        if let Some(target) = namespace {
            // A function of `import * as ns`.
            if let ExprKind::Ident(ns) = &target.kind
                && self.local(ns).is_none()
                && let Some(Binding::Namespace(members)) = self.symbols.imports.get(&**ns)
                && let Some(Binding::Function(function)) = members.get(name).cloned()
            {
                let lowered = self.lower_all(args);
                return call(&function, lowered, span);
            }
            // An instance function (`kv.getSecret('x')`) or a function of a namespace that
            // is not read (a registry import): runtime.
            let mut lowered = vec![self.expr(target)];
            lowered.extend(self.lower_all(args));
            return call(&name.to_ascii_lowercase(), lowered, span);
        }
        if name == "any" && args.len() == 1 {
            return self.expr(&args[0]);
        }
        let lowered = self.lower_all(args);
        if self.symbols.funcs.iter().any(|f| &**f == name) {
            return call(
                &format!("{FUNCTIONS}{name}").to_ascii_lowercase(),
                lowered,
                span,
            );
        }
        if let Some(Binding::Function(function)) = self.symbols.imports.get(name) {
            return call(function, lowered, span);
        }
        call(&name.to_ascii_lowercase(), lowered, span)
    }

    fn object(&mut self, items: &[ObjectItem], span: Span) -> Ir {
        let mut chunks: Vec<Ir> = Vec::new();
        let mut properties = Vec::new();
        let mut spread = false;
        for item in items {
            match item {
                ObjectItem::Property(k, v) => {
                    let key = self.expr(k);
                    let value = self.expr(v);
                    properties.push(Property { key, value });
                }
                ObjectItem::Spread(v) => {
                    spread = true;
                    if !properties.is_empty() {
                        chunks.push(Ir::new(
                            IrKind::Object(std::mem::take(&mut properties)),
                            span,
                        ));
                    }
                    chunks.push(self.expr(v));
                }
                ObjectItem::Resource(_) => {}
            }
        }
        if !spread {
            return Ir::new(IrKind::Object(properties), span);
        }
        if !properties.is_empty() {
            chunks.push(Ir::new(IrKind::Object(properties), span));
        }
        call(
            "shallowmerge",
            vec![Ir::new(IrKind::Array(chunks), span)],
            span,
        )
    }
}

/// Whether an access chain contains a `.?` or `[?`: the accesses after it are safe too.
fn in_safe_chain(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Member(t, _, safe) | ExprKind::Index(t, _, safe, _) => *safe || in_safe_chain(t),
        ExprKind::NonNull(t) => in_safe_chain(t),
        _ => false,
    }
}

/// The value of a name an import brings: `variables('_1.name')`, or for a namespace the
/// object of its variables. A function is called, not read.
fn imported_value(binding: &Binding, span: Span) -> Ir {
    match binding {
        Binding::Variable(name) => call("variables", vec![string(name, span)], span),
        Binding::Function(_) => Ir::new(
            IrKind::Invalid("an imported function is called, not read".into()),
            span,
        ),
        Binding::Namespace(members) => Ir::new(
            IrKind::Object(
                members
                    .iter()
                    .filter(|(_, b)| matches!(b, Binding::Variable(_)))
                    .map(|(name, b)| Property {
                        key: string(name, span),
                        value: imported_value(b, span),
                    })
                    .collect(),
            ),
            span,
        ),
    }
}

/// Whether a call's target is none or Bicep's own namespaces (`az.`, `sys.`).
fn is_system_namespace(target: Option<&Expr>) -> bool {
    match target.map(|t| &t.kind) {
        None => true,
        Some(ExprKind::Ident(namespace)) => matches!(&**namespace, "az" | "sys"),
        Some(_) => false,
    }
}

/// A registry (`br:`, `br/alias:`) or template spec (`ts:`, `ts/alias:`) module path.
pub fn is_registry(path: &str) -> bool {
    ["br:", "br/", "ts:", "ts/"]
        .iter()
        .any(|p| path.starts_with(p))
}

fn unreachable_body(decl: &Decl) -> &Expr {
    // Only resources and modules are collected as symbols; keep a harmless answer.
    match &decl.kind {
        DeclKind::Resource(Resource { body, .. }) => body,
        DeclKind::Module(m) => &m.body,
        DeclKind::Output(_, e)
        | DeclKind::Var(_, e)
        | DeclKind::TargetScope(e)
        | DeclKind::Metadata(_, e) => e,
        _ => &EMPTY,
    }
}

static EMPTY: Expr = Expr {
    kind: ExprKind::Null,
    range: Range { start: 0, end: 0 },
};
