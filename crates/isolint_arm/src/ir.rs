//! The expression IR shared by the ARM and Bicep frontends.
//!
//! ARM JSON lowers into it (JSON structure plus parsed `[...]` expressions), and so does
//! Bicep, using the mapping Bicep's own compiler uses (`a ?? b` is `coalesce(a, b)`, a
//! ternary is `if(...)`, interpolation is `format(...)`), so one evaluator serves both.

use std::sync::Arc;

use isolint_model::Span;

/// An expression with the span it was written at.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is written.
    pub span: Span,
}

/// The expression shapes.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number with a fraction (JSON only; ARM expressions have no such literal).
    Float(f64),
    /// A string literal.
    String(Arc<str>),
    /// An array literal.
    Array(Vec<Expr>),
    /// An object literal.
    Object(Vec<Property>),
    /// A function call; the name is lower-cased (ARM function names are case-insensitive)
    /// and keeps its namespace (`__bicep.f`).
    Call(Arc<str>, Vec<Expr>),
    /// `target.name`, or `target.?name` when `safe`.
    Member(Box<Expr>, Arc<str>, bool),
    /// `target[index]`, or `target[?index]` when `safe`.
    Index(Box<Expr>, Box<Expr>, bool),
    /// A loop producing an array: an ARM `copy` (property or variable loop) or a Bicep
    /// `[for ...]`.
    For(Box<ForLoop>),
    /// A loop variable (Bicep `for` item or index).
    Local(Arc<str>),
    /// An expression that failed to parse; it evaluates to an unknown value. The error was
    /// reported when it was lowered.
    Invalid(Arc<str>),
}

/// One `key: value` of an object literal. Keys may be expressions in ARM.
#[derive(Clone, Debug)]
pub struct Property {
    /// The key.
    pub key: Expr,
    /// The value.
    pub value: Expr,
}

/// A loop that builds an array.
#[derive(Clone, Debug)]
pub struct ForLoop {
    /// What it iterates.
    pub source: LoopSource,
    /// The item variable (Bicep `for item in ...`).
    pub item: Option<Arc<str>>,
    /// The index variable (Bicep `for (item, i) in ...`).
    pub index: Option<Arc<str>>,
    /// The ARM copy name that `copyIndex('name')` refers to.
    pub copy_name: Option<Arc<str>>,
    /// The element expression.
    pub body: Expr,
    /// Only items for which this holds (Bicep `[for x in xs: if (cond) ...]`).
    pub filter: Option<Expr>,
}

/// What a loop iterates.
#[derive(Clone, Debug)]
pub enum LoopSource {
    /// `0..count` (ARM `copy.count`).
    Count(Expr),
    /// The elements of an array (Bicep `for x in array`).
    Items(Expr),
}

impl Expr {
    /// An expression of `kind` at `span`.
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Self { kind, span }
    }

    /// The literal string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::String(s) => Some(s),
            _ => None,
        }
    }
}
