//! The names an expression can read: parameters and variables, resolved lazily and once
//! each, in any declaration order, with cycle detection; and user-defined functions.
//!
//! Parameters and variables go through one mechanism, [`Declarations`]: what differs
//! between them (the words of their diagnostics, how a value is computed) is data and a
//! closure, not a second copy of the memo.

use std::cell::RefCell;
use std::ops::Deref;
use std::sync::Arc;

use isolint_model::{
    Decider, Diagnostic, Node, NodeKind, Provenance, Span, Unknown, UnknownReason,
};
use rustc_hash::FxHashMap;

use super::resources::Frame;
use super::{Session, Slot, invalid};
use crate::ir::Expr;
use crate::template::{Function, Template, Variable};

/// A parameter in scope.
pub(crate) struct ParamDef<'t> {
    pub(crate) name: Arc<str>,
    /// Where the parameter is declared (for a user function's parameter: the call).
    pub(crate) span: Span,
    pub(crate) default: Option<&'t Expr>,
    pub(crate) nullable: bool,
    pub(crate) supplied: Option<Node>,
}

/// The parameters, variables and functions an expression can name.
pub(crate) struct Bindings<'t> {
    params: Declarations<Vec<ParamDef<'t>>>,
    variables: Declarations<&'t [Variable]>,
    pub(super) functions: &'t [Function],
    /// Qualifies unbound parameters of a nested scope, so that `parameters('name')` of two
    /// modules stay different unknowns.
    pub(super) label: Arc<str>,
}

/// What tells parameters and variables apart in diagnostics.
struct Kind {
    /// `parameter`, `variable`.
    noun: &'static str,
    /// The code of the error a cycle gives.
    cycle_code: &'static str,
    /// What a cycle error says before naming the chain.
    cycle: &'static str,
}

const PARAMETERS: Kind = Kind {
    noun: "parameter",
    cycle_code: "parameter-cycle",
    cycle: "parameter defaults refer to each other in a cycle",
};

const VARIABLES: Kind = Kind {
    noun: "variable",
    cycle_code: "variable-cycle",
    cycle: "variables refer to each other in a cycle",
};

/// A declaration that [`Declarations`] resolves by name.
trait Declared {
    fn name(&self) -> &Arc<str>;
    /// Where it is declared: a cycle error points there.
    fn span(&self) -> Span;
}

impl Declared for ParamDef<'_> {
    fn name(&self) -> &Arc<str> {
        &self.name
    }

    fn span(&self) -> Span {
        self.span
    }
}

impl Declared for Variable {
    fn name(&self) -> &Arc<str> {
        &self.name
    }

    fn span(&self) -> Span {
        self.span
    }
}

/// Declarations of one kind with the memo of their values.
struct Declarations<D> {
    kind: &'static Kind,
    declared: D,
    /// Lower-cased name → index (names compare case-insensitively; the first declaration
    /// wins).
    index: FxHashMap<Box<str>, usize>,
    slots: RefCell<Vec<Slot>>,
    /// The names being evaluated, outermost first: the chain a cycle error names.
    evaluating: RefCell<Vec<Arc<str>>>,
}

impl<T: Declared, D: Deref<Target = [T]>> Declarations<D> {
    fn new(kind: &'static Kind, declared: D) -> Self {
        Self {
            kind,
            index: index_names(declared.iter().map(|d| &**d.name())),
            slots: RefCell::new(vec![Slot::Empty; declared.len()]),
            declared,
            evaluating: RefCell::new(Vec::new()),
        }
    }
}

impl<'t> Bindings<'t> {
    /// The bindings of `template` with `params` (values already resolved where supplied).
    pub(crate) fn new(template: &'t Template, params: Vec<ParamDef<'t>>, label: Arc<str>) -> Self {
        Self::with(params, &template.variables, &template.functions, label)
    }

    /// Bindings of these parameters, variables and functions.
    pub(super) fn with(
        params: Vec<ParamDef<'t>>,
        variables: &'t [Variable],
        functions: &'t [Function],
        label: Arc<str>,
    ) -> Self {
        Self {
            params: Declarations::new(&PARAMETERS, params),
            variables: Declarations::new(&VARIABLES, variables),
            functions,
            label,
        }
    }

    /// The parameters of `template`, none supplied.
    pub(crate) fn params_of(template: &'t Template) -> Vec<ParamDef<'t>> {
        template
            .parameters
            .iter()
            .map(|p| ParamDef {
                name: p.name.clone(),
                span: p.span,
                default: p.default.as_ref(),
                nullable: p.nullable,
                supplied: None,
            })
            .collect()
    }

    pub(super) fn function(&self, name: &str) -> Option<&'t Function> {
        self.functions.iter().find(|f| &*f.name == name)
    }
}

impl<'t> Session<'t> {
    /// `parameters('name')`: the value supplied, else the default, else null for a
    /// nullable parameter, else an unknown named after the parameter.
    pub(super) fn parameter(&self, frame: &Frame<'t>, name: &str, span: Span) -> Node {
        let bindings = &frame.bindings;
        self.resolve(frame, &bindings.params, name, span, |index| {
            let def = &bindings.params.declared[index];
            if let Some(value) = &def.supplied {
                value.clone()
            } else if let Some(default) = def.default {
                let value = self.deeper(span, || self.eval(frame, default, &frame.fresh_env()));
                let decider = Decider::ParameterDefault {
                    name: def.name.clone(),
                    span: default.span,
                };
                value.with_provenance(&Provenance::of(decider))
            } else if def.nullable {
                Node::new(NodeKind::Null, span)
            } else {
                let expr = if bindings.label.is_empty() {
                    format!("parameters('{}')", def.name)
                } else {
                    format!("{}::parameters('{}')", bindings.label, def.name)
                };
                Node::unknown(
                    Unknown::new(
                        expr,
                        UnknownReason::Parameter {
                            name: def.name.clone(),
                        },
                    ),
                    span,
                )
            }
        })
    }

    /// `variables('name')`: the variable's value, evaluated once.
    pub(super) fn variable(&self, frame: &Frame<'t>, name: &str, span: Span) -> Node {
        let variables: &'t [Variable] = frame.bindings.variables.declared;
        self.resolve(frame, &frame.bindings.variables, name, span, |index| {
            let value = &variables[index].value;
            self.deeper(span, || self.eval(frame, value, &frame.fresh_env()))
        })
    }

    /// The value of the declaration named `name`: from the memo, or computed once by
    /// `compute` from the declaration's index; an unknown, and an error at the declaration, when computing it needs
    /// its own value.
    fn resolve<T: Declared, D: Deref<Target = [T]>>(
        &self,
        frame: &Frame<'t>,
        declarations: &Declarations<D>,
        name: &str,
        span: Span,
        compute: impl FnOnce(usize) -> Node,
    ) -> Node {
        let kind = declarations.kind;
        let Some(&index) = declarations.index.get(&*name.to_ascii_lowercase()) else {
            return invalid(
                span,
                &format!("the template declares no {} `{name}`", kind.noun),
            );
        };
        let declared = &declarations.declared[index];
        let slot = declarations.slots.borrow()[index].clone();
        match slot {
            Slot::Done(node) => return node,
            Slot::Busy => {
                let message = format!(
                    "{}: {}",
                    kind.cycle,
                    cycle(&declarations.evaluating.borrow(), name)
                );
                self.report(
                    Diagnostic::error(kind.cycle_code, message.clone(), frame.path())
                        .at(declared.span()),
                );
                return invalid(span, &message);
            }
            Slot::Empty => {}
        }
        declarations.slots.borrow_mut()[index] = Slot::Busy;
        declarations
            .evaluating
            .borrow_mut()
            .push(declared.name().clone());
        let node = compute(index);
        declarations.evaluating.borrow_mut().pop();
        declarations.slots.borrow_mut()[index] = Slot::Done(node.clone());
        node
    }
}

/// Lower-cased name → position of its first occurrence.
fn index_names<'n>(names: impl Iterator<Item = &'n str>) -> FxHashMap<Box<str>, usize> {
    let mut index = FxHashMap::default();
    for (position, name) in names.enumerate() {
        index
            .entry(name.to_ascii_lowercase().into_boxed_str())
            .or_insert(position);
    }
    index
}

/// `` `a` → `b` → `a` ``: the part of the chain being evaluated from `name` on, back to it.
fn cycle(chain: &[Arc<str>], name: &str) -> String {
    let start = chain
        .iter()
        .position(|n| n.eq_ignore_ascii_case(name))
        .unwrap_or(0);
    let mut names: Vec<String> = chain[start..].iter().map(|n| format!("`{n}`")).collect();
    names.push(format!("`{name}`"));
    names.join(" → ")
}
