//! The Bicep syntax tree. Spans are byte ranges in the file; types are consumed by the
//! parser but not kept beyond their text span (the linter does not evaluate them).

/// A byte range in the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Range {
    /// The first byte.
    pub start: u32,
    /// After the last byte.
    pub end: u32,
}

impl Range {
    /// `start..end`.
    pub fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    /// From the start of `self` to the end of `other`.
    #[must_use]
    pub fn to(self, other: Range) -> Range {
        Range::new(self.start, other.end.max(self.start))
    }
}

/// A name with its span.
#[derive(Clone, Debug)]
pub struct Ident {
    /// The name.
    pub name: Box<str>,
    /// Where it is written.
    pub range: Range,
}

/// A parsed file: its declarations, in order.
#[derive(Debug, Default)]
pub struct Program {
    /// The declarations that parsed (a bad one is dropped and reported).
    pub decls: Vec<Decl>,
    /// Syntax errors, each with its range.
    pub errors: Vec<SyntaxError>,
}

/// A syntax error.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub range: Range,
}

/// A declaration with its decorators.
#[derive(Debug)]
pub struct Decl {
    /// `@description('...')` and the like, as call expressions.
    pub decorators: Vec<Expr>,
    /// What it declares.
    pub kind: DeclKind,
    /// From the keyword to the end of the declaration.
    pub range: Range,
    /// The keyword through the name and type (`resource ws 'T@v'`): where findings about
    /// absent properties point.
    pub header: Range,
}

/// The declaration kinds.
#[derive(Debug)]
pub enum DeclKind {
    /// `targetScope = expr`.
    TargetScope(Expr),
    /// `metadata name = expr`.
    Metadata(Ident, Expr),
    /// `param name type (= default)?` (also `param name = value` in `.bicepparam`).
    Param(Param),
    /// `var name type? = value`.
    Var(Ident, Expr),
    /// `type name = typeExpr` (not evaluated beyond whether it is nullable).
    Type(TypeDecl),
    /// `func name(params) type => body`.
    Func(Func),
    /// `resource sym 'T@v' existing? = body`.
    Resource(Resource),
    /// `module sym 'path' = body`.
    Module(Module),
    /// `output name type = value`.
    Output(Ident, Expr),
    /// `import {a, b as c} from 'path'` or `import * as ns from 'path'`; `None` for the
    /// older extension spelling (`import 'az@1.0.0'`) and anything else it cannot read.
    Import(Option<Import>),
    /// `extension ...`; not evaluated.
    Extension,
    /// `using 'path'` of a `.bicepparam` file (`using none` gives `None`).
    Using(Option<Expr>),
    /// `test` / `assert` (experimental); not evaluated.
    Test,
}

/// A parameter.
#[derive(Debug)]
pub struct Param {
    /// Its name.
    pub name: Ident,
    /// The type's span, if written.
    pub ty: Option<Range>,
    /// The type ends with `?`.
    pub nullable: bool,
    /// The default (or, in `.bicepparam`, the value).
    pub default: Option<Expr>,
}

/// A user-defined type.
#[derive(Debug)]
pub struct TypeDecl {
    /// Its name.
    pub name: Ident,
    /// The type expression's span.
    pub ty: Range,
    /// The type ends with `?`: a parameter of this type without a default is `null`.
    pub nullable: bool,
}

/// A compile-time import.
#[derive(Debug)]
pub struct Import {
    /// What it brings into the file.
    pub what: Imported,
    /// The path string after `from`.
    pub from: Expr,
}

/// The symbols an import names.
#[derive(Debug)]
pub enum Imported {
    /// `{a, b as c}`.
    Names(Vec<ImportedName>),
    /// `* as ns`: every exported symbol, as `ns.symbol`.
    All(Ident),
}

/// One symbol of `import {...}`.
#[derive(Debug)]
pub struct ImportedName {
    /// The name the other file exports.
    pub name: Ident,
    /// `as alias`: the name in this file, when it differs.
    pub alias: Option<Ident>,
}

/// A user-defined function.
#[derive(Debug)]
pub struct Func {
    /// Its name.
    pub name: Ident,
    /// Its parameter names.
    pub params: Vec<Ident>,
    /// Its body.
    pub body: Expr,
}

/// A resource declaration (top level or nested in a parent's body).
#[derive(Debug)]
pub struct Resource {
    /// The symbolic name.
    pub name: Ident,
    /// The type string `'T@v'` (must be a literal).
    pub ty: Expr,
    /// `existing`.
    pub existing: bool,
    /// An object, `if (c) { ... }` or `[for ...]`.
    pub body: Expr,
}

/// A module declaration.
#[derive(Debug)]
pub struct Module {
    /// The symbolic name.
    pub name: Ident,
    /// The path string.
    pub path: Expr,
    /// An object, `if (c) { ... }` or `[for ...]`.
    pub body: Expr,
}

/// An expression.
#[derive(Debug)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is written.
    pub range: Range,
}

/// The expression kinds.
#[derive(Debug)]
pub enum ExprKind {
    /// An integer.
    Int(u64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A string: literal pieces around holes (`pieces.len() == holes.len() + 1`).
    String(Vec<Box<str>>, Vec<Expr>),
    /// A name.
    Ident(Box<str>),
    /// `name(args)`, `target.name(args)` (instance or namespace call).
    Call(Option<Box<Expr>>, Ident, Vec<Expr>),
    /// `target.name` / `target.?name`.
    Member(Box<Expr>, Ident, bool),
    /// `target[index]` with `safe` (`[?`) and `from_end` (`[^`).
    Index(Box<Expr>, Box<Expr>, bool, bool),
    /// `parent::child`.
    Child(Box<Expr>, Ident),
    /// Postfix `x!`.
    NonNull(Box<Expr>),
    /// Prefix `!x` / `-x`.
    Unary(&'static str, Box<Expr>),
    /// `a op b`.
    Binary(&'static str, Box<Expr>, Box<Expr>),
    /// `c ? a : b`.
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `( e )`.
    Paren(Box<Expr>),
    /// `{ ... }`.
    Object(Vec<ObjectItem>),
    /// `[ ... ]`.
    Array(Vec<ArrayItem>),
    /// `[for ... in ...: body]`.
    For(Box<ForExpr>),
    /// `if (c) body` (resource, module and loop bodies only).
    If(Box<Expr>, Box<Expr>),
    /// `x => e`, `(a, b) => e`.
    Lambda(Vec<Ident>, Box<Expr>),
    /// Something that did not parse; the error was recorded.
    Error,
}

/// An object member.
#[derive(Debug)]
pub enum ObjectItem {
    /// `key: value`; the key is an identifier (as a literal string) or a string.
    Property(Expr, Expr),
    /// `...expr`.
    Spread(Expr),
    /// A nested child resource.
    Resource(Box<Decl>),
}

/// An array item.
#[derive(Debug)]
pub enum ArrayItem {
    /// An element.
    Item(Expr),
    /// `...expr`.
    Spread(Expr),
}

/// `[for (item, index) in source: body]`.
#[derive(Debug)]
pub struct ForExpr {
    /// The item variable.
    pub item: Option<Ident>,
    /// The index variable.
    pub index: Option<Ident>,
    /// What is iterated.
    pub source: Expr,
    /// The body (possibly `if (c) body`).
    pub body: Expr,
}
