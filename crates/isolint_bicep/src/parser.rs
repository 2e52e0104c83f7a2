//! The Bicep parser: hand-written recursive descent with Bicep's newline rules
//! (`reference/bicep.md` §1.5), precedence climbing for binary operators, and error
//! recovery: a bad declaration or object member is reported and the parser resynchronises
//! at the next line break (or closing bracket) at the same depth, so one bad line does not
//! hide the rest of the file. Nesting is bounded, so deep input cannot overflow the stack,
//! and so is the number of errors kept: the first [`MAX_PER_FILE`], then one that says how
//! many more there are.

use isolint_model::diagnostic::{MAX_PER_FILE, and_more};

use crate::lexer::{Token, TokenKind, lex};
use crate::syntax::{
    ArrayItem, Decl, DeclKind, Expr, ExprKind, ForExpr, Func, Ident, Import, Imported,
    ImportedName, Module, ObjectItem, Param, Program, Range, Resource, SyntaxError, TypeDecl,
};

/// How deeply expressions may nest (parentheses, objects, arrays, prefix operators).
const MAX_DEPTH: u32 = 128;

/// Parses a `.bicep` or `.bicepparam` file.
pub fn parse(text: &str) -> Program {
    let tokens = lex(text);
    let mut parser = Parser {
        text,
        tokens,
        pos: 0,
        ignore_nl: false,
        depth: 0,
        poisoned: false,
        errors: Vec::new(),
        errors_left_out: None,
    };
    let decls = parser.program();
    let mut errors = parser.errors;
    if let Some((count, range)) = parser.errors_left_out {
        errors.push(SyntaxError {
            message: and_more(count),
            range,
        });
    }
    Program { decls, errors }
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// Inside `( ... )`: line breaks are insignificant.
    ignore_nl: bool,
    depth: u32,
    /// After an error, until the next declaration: further errors are cascades.
    poisoned: bool,
    errors: Vec<SyntaxError>,
    /// How many errors past [`MAX_PER_FILE`] were left out, and where the first was.
    errors_left_out: Option<(usize, Range)>,
}

fn is_open(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Punct("(" | "[" | "{") | TokenKind::StringLeft
    )
}

fn is_close(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Punct(")" | "]" | "}") | TokenKind::StringRight
    )
}

impl Parser<'_> {
    // ---- token access ----

    /// The current token (past line breaks when they are insignificant).
    fn tok(&mut self) -> &Token {
        if self.ignore_nl {
            while self.tokens[self.pos].kind == TokenKind::NewLine {
                self.pos += 1;
            }
        }
        &self.tokens[self.pos]
    }

    fn kind(&mut self) -> TokenKind {
        self.tok().kind.clone()
    }

    /// The kind `n` significant tokens ahead of the current one.
    fn kind_at(&mut self, n: usize) -> &TokenKind {
        self.tok();
        let mut i = self.pos;
        let mut left = n;
        while left > 0 && i + 1 < self.tokens.len() {
            i += 1;
            if !(self.ignore_nl && self.tokens[i].kind == TokenKind::NewLine) {
                left -= 1;
            }
        }
        &self.tokens[i].kind
    }

    fn range(&mut self) -> Range {
        let t = self.tok();
        Range::new(t.start, t.end)
    }

    /// The end of the last consumed token.
    fn last_end(&self) -> u32 {
        self.pos.checked_sub(1).map_or(0, |p| self.tokens[p].end)
    }

    fn bump(&mut self) -> Token {
        self.tok();
        let token = self.tokens[self.pos].clone();
        if token.kind != TokenKind::Eof {
            self.pos += 1;
        }
        token
    }

    fn at(&mut self, punct: &str) -> bool {
        matches!(self.kind(), TokenKind::Punct(p) if p == punct)
    }

    fn at_ident(&mut self, word: &str) -> bool {
        let t = self.tok().clone();
        t.kind == TokenKind::Ident && &self.text[t.start as usize..t.end as usize] == word
    }

    fn ident_at(&mut self, n: usize, word: Option<&str>) -> bool {
        let pos = {
            self.kind_at(n);
            let mut i = self.pos;
            let mut left = n;
            while left > 0 && i + 1 < self.tokens.len() {
                i += 1;
                if !(self.ignore_nl && self.tokens[i].kind == TokenKind::NewLine) {
                    left -= 1;
                }
            }
            i
        };
        let t = &self.tokens[pos];
        t.kind == TokenKind::Ident
            && word.is_none_or(|w| &self.text[t.start as usize..t.end as usize] == w)
    }

    fn eat(&mut self, punct: &str) -> bool {
        if self.at(punct) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, punct: &str) -> bool {
        if self.eat(punct) {
            return true;
        }
        let range = self.range();
        let found = self.describe();
        self.error(format!("expected `{punct}`, found {found}"), range);
        false
    }

    fn describe(&mut self) -> String {
        let t = self.tok().clone();
        match t.kind {
            TokenKind::NewLine => "a line break".into(),
            TokenKind::Eof => "the end of the file".into(),
            TokenKind::Error(message) => message.into(),
            _ => format!("`{}`", &self.text[t.start as usize..t.end as usize]),
        }
    }

    fn at_newline(&self) -> bool {
        matches!(self.tokens[self.pos].kind, TokenKind::NewLine)
    }

    fn skip_newlines(&mut self) {
        while self.tokens[self.pos].kind == TokenKind::NewLine {
            self.pos += 1;
        }
    }

    /// Whether the next significant token, past any line breaks, is `punct`.
    fn next_line_starts_with(&self, punct: &str) -> bool {
        let mut i = self.pos;
        while self.tokens[i].kind == TokenKind::NewLine {
            i += 1;
        }
        matches!(&self.tokens[i].kind, TokenKind::Punct(p) if *p == punct)
    }

    fn error(&mut self, message: impl Into<String>, range: Range) {
        if !self.poisoned {
            if self.errors.len() < MAX_PER_FILE {
                self.errors.push(SyntaxError {
                    message: message.into(),
                    range,
                });
            } else {
                self.errors_left_out.get_or_insert((0, range)).0 += 1;
            }
        }
        self.poisoned = true;
    }

    fn ident(&mut self, what: &str) -> Option<Ident> {
        let t = self.tok().clone();
        if t.kind == TokenKind::Ident {
            self.bump();
            return Some(Ident {
                name: self.text[t.start as usize..t.end as usize].into(),
                range: Range::new(t.start, t.end),
            });
        }
        let found = self.describe();
        self.error(
            format!("expected {what}, found {found}"),
            Range::new(t.start, t.end),
        );
        None
    }

    /// Skips to the line break (or end of file) that ends the current line at bracket
    /// depth 0, for resynchronisation.
    fn recover_line(&mut self) {
        let mut depth = 0usize;
        loop {
            let kind = &self.tokens[self.pos].kind;
            match kind {
                TokenKind::Eof => return,
                TokenKind::NewLine if depth == 0 => return,
                k if is_open(k) => depth += 1,
                k if is_close(k) => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// Skips the rest of a bad object or array member: up to a line break or comma at
    /// depth 0, or the closing bracket of the enclosing list (not consumed).
    fn recover_item(&mut self) {
        let mut depth = 0usize;
        loop {
            let kind = &self.tokens[self.pos].kind;
            match kind {
                TokenKind::Eof => return,
                TokenKind::NewLine | TokenKind::Punct(",") if depth == 0 => return,
                k if is_close(k) && depth == 0 => return,
                k if is_open(k) => depth += 1,
                k if is_close(k) => depth -= 1,
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// Runs `f` with line breaks significant (`false`) or not (`true`).
    fn with_nl<T>(&mut self, ignore: bool, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::replace(&mut self.ignore_nl, ignore);
        let out = f(self);
        self.ignore_nl = saved;
        out
    }

    // ---- declarations ----

    fn program(&mut self) -> Vec<Decl> {
        let mut decls = Vec::new();
        loop {
            self.skip_newlines();
            if self.tokens[self.pos].kind == TokenKind::Eof {
                break;
            }
            self.poisoned = false;
            let decl = self.declaration(true);
            if !matches!(
                self.tokens[self.pos].kind,
                TokenKind::NewLine | TokenKind::Eof
            ) {
                let range = self.range();
                let found = self.describe();
                self.error(
                    format!("expected a line break after the declaration, found {found}"),
                    range,
                );
                self.recover_line();
            }
            if let Some(decl) = decl {
                decls.push(decl);
            }
        }
        decls
    }

    /// A declaration with its decorators. `top` is false for a nested resource.
    fn declaration(&mut self, top: bool) -> Option<Decl> {
        let mut decorators = Vec::new();
        while self.at("@") {
            self.bump();
            let expr = self.postfix();
            decorators.push(expr);
            if !self.at_newline() {
                let range = self.range();
                self.error("expected a line break after the decorator", range);
                self.recover_line();
            }
            self.skip_newlines();
        }
        let start = self.range();
        let keyword = self.tok().clone();
        if keyword.kind != TokenKind::Ident {
            let found = self.describe();
            self.error(format!("expected a declaration, found {found}"), start);
            self.recover_line();
            return None;
        }
        let text = self.text;
        let word = &text[keyword.start as usize..keyword.end as usize];
        if !top && word != "resource" {
            self.error("expected a nested `resource` declaration", start);
            self.recover_item();
            return None;
        }
        self.bump();
        let mut header = start;
        let kind = match word {
            "targetScope" => {
                self.expect("=");
                DeclKind::TargetScope(self.expr())
            }
            "metadata" => {
                let name = self.ident("a metadata name")?;
                self.expect("=");
                DeclKind::Metadata(name, self.expr())
            }
            "param" => {
                let name = self.ident("a parameter name")?;
                header = start.to(name.range);
                let (ty, nullable) = if self.at("=") {
                    (None, false)
                } else if self.at_ident("resource") {
                    self.bump();
                    let ty = self.expr();
                    (Some(ty.range), false)
                } else {
                    let (range, nullable) = self.skip_type(&["="]);
                    (Some(range), nullable)
                };
                let default = if self.eat("=") {
                    Some(self.expr())
                } else {
                    None
                };
                DeclKind::Param(Param {
                    name,
                    ty,
                    nullable,
                    default,
                })
            }
            "var" => {
                let name = self.ident("a variable name")?;
                if !self.at("=") {
                    self.skip_type(&["="]);
                }
                self.expect("=");
                DeclKind::Var(name, self.expr())
            }
            "type" => {
                let name = self.ident("a type name")?;
                self.expect("=");
                let (ty, nullable) = self.skip_type(&[]);
                DeclKind::Type(TypeDecl { name, ty, nullable })
            }
            "func" => {
                let name = self.ident("a function name")?;
                let mut params = Vec::new();
                self.with_nl(true, |p| {
                    p.expect("(");
                    while !p.at(")") && p.kind() != TokenKind::Eof {
                        let Some(param) = p.ident("a parameter name") else {
                            break;
                        };
                        params.push(param);
                        p.skip_type(&[",", ")"]);
                        if !p.eat(",") {
                            break;
                        }
                    }
                    p.expect(")");
                });
                self.skip_type(&["=>"]);
                self.expect("=>");
                self.skip_newlines();
                DeclKind::Func(Func {
                    name,
                    params,
                    body: self.expr(),
                })
            }
            "resource" => {
                let name = self.ident("a resource name")?;
                let ty = self.primary();
                header = start.to(ty.range);
                let existing = self.at_ident("existing");
                if existing {
                    self.bump();
                }
                self.expect("=");
                let body = self.declaration_body();
                DeclKind::Resource(Resource {
                    name,
                    ty,
                    existing,
                    body,
                })
            }
            "module" => {
                let name = self.ident("a module name")?;
                let path = self.primary();
                header = start.to(path.range);
                self.expect("=");
                let body = self.declaration_body();
                DeclKind::Module(Module { name, path, body })
            }
            "output" => {
                let name = self.ident("an output name")?;
                if self.at_ident("resource") {
                    self.bump();
                    self.primary();
                } else {
                    self.skip_type(&["="]);
                }
                self.expect("=");
                DeclKind::Output(name, self.expr())
            }
            "import" => {
                let import = self.import();
                self.recover_line();
                DeclKind::Import(import)
            }
            "extension" | "test" | "assert" => {
                self.recover_line();
                match word {
                    "extension" => DeclKind::Extension,
                    _ => DeclKind::Test,
                }
            }
            "using" => {
                let path = if self.at_ident("none") {
                    self.bump();
                    None
                } else {
                    Some(self.primary())
                };
                // `with { ... }` and other newer clauses are not evaluated.
                self.recover_line();
                DeclKind::Using(path)
            }
            _ => {
                self.error(
                    format!(
                        "expected a declaration (`param`, `var`, `resource`, ...), found `{word}`"
                    ),
                    start,
                );
                self.recover_line();
                return None;
            }
        };
        let range = start.to(Range::new(self.last_end(), self.last_end()));
        Some(Decl {
            decorators,
            kind,
            range,
            header,
        })
    }

    /// The body of a resource or module: an object, `if (c) {...}` (possibly on the next
    /// line) or a `[for ...]` loop.
    fn declaration_body(&mut self) -> Expr {
        let mut i = self.pos;
        while self.tokens[i].kind == TokenKind::NewLine {
            i += 1;
        }
        let t = &self.tokens[i];
        if t.kind == TokenKind::Ident && &self.text[t.start as usize..t.end as usize] == "if" {
            self.skip_newlines();
            return self.if_body();
        }
        match self.kind() {
            TokenKind::Punct("{" | "[") => self.primary(),
            _ => {
                let range = self.range();
                let found = self.describe();
                self.error(
                    format!("expected `{{`, `if` or `[for` for the body, found {found}"),
                    range,
                );
                Expr {
                    kind: ExprKind::Error,
                    range,
                }
            }
        }
    }

    /// `if (cond) body`.
    fn if_body(&mut self) -> Expr {
        let start = self.range();
        self.bump();
        let cond = self.with_nl(true, |p| {
            let open = p.range();
            p.expect("(");
            let cond = p.expr();
            p.expect(")");
            Expr {
                kind: ExprKind::Paren(Box::new(cond)),
                range: open.to(Range::new(p.last_end(), p.last_end())),
            }
        });
        let body = self.expr();
        let range = start.to(body.range);
        Expr {
            kind: ExprKind::If(Box::new(cond), Box::new(body)),
            range,
        }
    }

    /// The rest of `import {a, b as c} from 'path'` or `import * as ns from 'path'` (symbols
    /// separated by commas or line breaks). Anything else, such as the older extension
    /// spelling `import 'az@1.0.0'`, is `None` and no error: it is not evaluated, and the
    /// parser is back where it started, to skip the declaration as a whole.
    fn import(&mut self) -> Option<Import> {
        let start = self.pos;
        let import = self.import_parts();
        if import.is_none() {
            self.pos = start;
        }
        import
    }

    fn import_parts(&mut self) -> Option<Import> {
        let what = if self.eat("*") {
            if !self.at_ident("as") {
                return None;
            }
            self.bump();
            Imported::All(self.ident_quietly()?)
        } else if self.at("{") {
            let mut names = Vec::new();
            self.with_nl(true, |p| {
                p.bump();
                while !p.at("}") {
                    let name = p.ident_quietly()?;
                    let alias = if p.at_ident("as") {
                        p.bump();
                        Some(p.ident_quietly()?)
                    } else {
                        None
                    };
                    names.push(ImportedName { name, alias });
                    p.eat(",");
                }
                p.bump();
                Some(())
            })?;
            Imported::Names(names)
        } else {
            return None;
        };
        if !self.at_ident("from") {
            return None;
        }
        self.bump();
        let from = self.primary();
        matches!(from.kind, ExprKind::String(..)).then_some(Import { what, from })
    }

    /// An identifier, or `None` without an error (for syntax that is only skipped).
    fn ident_quietly(&mut self) -> Option<Ident> {
        let t = self.tok().clone();
        (t.kind == TokenKind::Ident).then(|| {
            self.bump();
            Ident {
                name: self.text[t.start as usize..t.end as usize].into(),
                range: Range::new(t.start, t.end),
            }
        })
    }

    /// Consumes a type expression up to a line break or one of `stops` at bracket depth 0
    /// (a line starting with `|` continues a union). Returns its range and whether it ends
    /// with `?` (nullable).
    fn skip_type(&mut self, stops: &[&str]) -> (Range, bool) {
        let start = self.tokens[self.pos].start;
        let mut depth = 0usize;
        let mut nullable = false;
        loop {
            let kind = self.tokens[self.pos].kind.clone();
            match &kind {
                TokenKind::Eof => break,
                TokenKind::NewLine if depth == 0 || self.ignore_nl => {
                    if self.next_line_starts_with("|") {
                        self.skip_newlines();
                        continue;
                    }
                    if depth == 0 {
                        break;
                    }
                }
                TokenKind::Punct(p) if depth == 0 && stops.contains(p) => break,
                k if is_close(k) && depth == 0 => break,
                k if is_open(k) => depth += 1,
                k if is_close(k) => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                nullable = kind == TokenKind::Punct("?");
            }
            self.pos += 1;
        }
        (Range::new(start, self.last_end().max(start)), nullable)
    }

    // ---- expressions ----

    fn too_deep(&mut self) -> Option<Expr> {
        if self.depth < MAX_DEPTH {
            return None;
        }
        let range = self.range();
        self.error(
            format!("expressions nest more than {MAX_DEPTH} levels deep"),
            range,
        );
        Some(Expr {
            kind: ExprKind::Error,
            range,
        })
    }

    /// A full expression: lambda, or ternary over binary operators.
    pub(crate) fn expr(&mut self) -> Expr {
        if let Some(error) = self.too_deep() {
            return error;
        }
        self.depth += 1;
        let out = self.expr_inner();
        self.depth -= 1;
        out
    }

    fn expr_inner(&mut self) -> Expr {
        if let Some(lambda) = self.lambda() {
            return lambda;
        }
        let cond = self.binary(1);
        // A line break may precede `?` and `:` of a ternary.
        if self.at("?") || (!self.ignore_nl && self.next_line_starts_with("?")) {
            self.skip_newlines();
            self.bump();
            let yes = self.expr();
            if !self.ignore_nl && !self.at(":") && self.next_line_starts_with(":") {
                self.skip_newlines();
            }
            self.expect(":");
            let no = self.expr();
            let range = cond.range.to(no.range);
            return Expr {
                kind: ExprKind::Ternary(Box::new(cond), Box::new(yes), Box::new(no)),
                range,
            };
        }
        cond
    }

    /// `x => e` or `(a, b) => e`, when the tokens say so.
    fn lambda(&mut self) -> Option<Expr> {
        let start = self.range();
        let mut params = Vec::new();
        if self.ident_at(0, None) && self.kind_at(1) == &TokenKind::Punct("=>") {
            params.push(self.ident("a parameter")?);
        } else if self.at("(") {
            // Find the matching `)` and look for `=>` after it.
            let mut i = self.pos;
            let mut depth = 0usize;
            loop {
                match &self.tokens[i].kind {
                    TokenKind::Eof => return None,
                    k if is_open(k) => depth += 1,
                    k if is_close(k) => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let mut j = i + 1;
            while self.tokens[j].kind == TokenKind::NewLine && self.ignore_nl {
                j += 1;
            }
            if self.tokens[j].kind != TokenKind::Punct("=>") {
                return None;
            }
            self.with_nl(true, |p| {
                p.bump();
                while !p.at(")") && p.kind() != TokenKind::Eof {
                    match p.ident("a lambda parameter") {
                        Some(ident) => params.push(ident),
                        None => break,
                    }
                    if !p.eat(",") {
                        break;
                    }
                }
                p.expect(")");
            });
        } else {
            return None;
        }
        self.expect("=>");
        self.skip_newlines();
        let body = self.expr();
        let range = start.to(body.range);
        Some(Expr {
            kind: ExprKind::Lambda(params, Box::new(body)),
            range,
        })
    }

    fn binary_op(&mut self) -> Option<(&'static str, u8)> {
        let TokenKind::Punct(p) = self.kind() else {
            return None;
        };
        let precedence = match p {
            "??" => 1,
            "||" => 2,
            "&&" => 3,
            "==" | "!=" | "=~" | "!~" => 4,
            "<" | "<=" | ">" | ">=" => 5,
            "+" | "-" => 6,
            "*" | "/" | "%" => 7,
            _ => return None,
        };
        Some((p, precedence))
    }

    /// Precedence climbing; every binary operator is left-associative.
    fn binary(&mut self, min: u8) -> Expr {
        let mut left = self.unary();
        // Each operator of a chain nests the tree one level deeper (to the left).
        let entry_depth = self.depth;
        while let Some((op, precedence)) = self.binary_op() {
            if precedence < min {
                break;
            }
            if let Some(error) = self.too_deep() {
                self.depth = entry_depth;
                return error;
            }
            self.depth += 1;
            self.bump();
            let right = self.binary(precedence + 1);
            let range = left.range.to(right.range);
            left = Expr {
                kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
                range,
            };
        }
        self.depth = entry_depth;
        left
    }

    fn unary(&mut self) -> Expr {
        if self.at("!") || self.at("-") {
            if let Some(error) = self.too_deep() {
                return error;
            }
            let start = self.range();
            let TokenKind::Punct(op) = self.bump().kind else {
                return self.postfix();
            };
            self.depth += 1;
            let operand = self.unary();
            self.depth -= 1;
            let range = start.to(operand.range);
            return Expr {
                kind: ExprKind::Unary(op, Box::new(operand)),
                range,
            };
        }
        self.postfix()
    }

    /// A primary expression and its chain of `.x`, `.?x`, `.f()`, `[i]`, `::c`, `!`.
    fn postfix(&mut self) -> Expr {
        let mut expr = self.primary();
        // Each access of a chain nests the tree one level deeper.
        let entry_depth = self.depth;
        loop {
            let kind = self.kind();
            let TokenKind::Punct(p) = kind else { break };
            if matches!(p, "." | ".?" | "[" | "::" | "!") {
                if let Some(error) = self.too_deep() {
                    self.depth = entry_depth;
                    return error;
                }
                self.depth += 1;
            }
            match p {
                "." | ".?" => {
                    self.bump();
                    let Some(name) = self.ident("a property name") else {
                        break;
                    };
                    if p == "." && self.tokens[self.pos].kind == TokenKind::Punct("(") {
                        let args = self.arguments();
                        let range = expr.range.to(Range::new(self.last_end(), self.last_end()));
                        expr = Expr {
                            kind: ExprKind::Call(Some(Box::new(expr)), name, args),
                            range,
                        };
                    } else {
                        let range = expr.range.to(name.range);
                        expr = Expr {
                            kind: ExprKind::Member(Box::new(expr), name, p == ".?"),
                            range,
                        };
                    }
                }
                "[" => {
                    self.bump();
                    let (index, safe, from_end) = self.with_nl(true, |p| {
                        let safe = p.eat("?");
                        let from_end = p.eat("^");
                        let index = p.expr();
                        p.expect("]");
                        (index, safe, from_end)
                    });
                    let range = expr.range.to(Range::new(self.last_end(), self.last_end()));
                    expr = Expr {
                        kind: ExprKind::Index(Box::new(expr), Box::new(index), safe, from_end),
                        range,
                    };
                }
                "::" => {
                    self.bump();
                    let Some(name) = self.ident("a nested resource name") else {
                        break;
                    };
                    let range = expr.range.to(name.range);
                    expr = Expr {
                        kind: ExprKind::Child(Box::new(expr), name),
                        range,
                    };
                }
                "!" => {
                    self.bump();
                    let range = expr.range.to(Range::new(self.last_end(), self.last_end()));
                    expr = Expr {
                        kind: ExprKind::NonNull(Box::new(expr)),
                        range,
                    };
                }
                _ => break,
            }
        }
        self.depth = entry_depth;
        expr
    }

    /// `( args )`: commas between, line breaks allowed.
    fn arguments(&mut self) -> Vec<Expr> {
        let mut args = Vec::new();
        self.with_nl(true, |p| {
            p.bump();
            while !p.at(")") && p.kind() != TokenKind::Eof {
                let before = p.pos;
                args.push(p.expr());
                if !p.eat(",") {
                    break;
                }
                if p.at(")") {
                    let range = p.range();
                    p.error("a trailing comma is not allowed in arguments", range);
                }
                if p.pos == before {
                    break;
                }
            }
            p.expect(")");
        });
        args
    }

    fn primary(&mut self) -> Expr {
        let token = self.tok().clone();
        let range = Range::new(token.start, token.end);
        let text = &self.text[token.start as usize..token.end as usize];
        let kind = match &token.kind {
            TokenKind::Int => {
                self.bump();
                match text.parse::<u64>() {
                    Ok(n) => ExprKind::Int(n),
                    Err(_) => {
                        self.error("the integer is too large", range);
                        ExprKind::Error
                    }
                }
            }
            TokenKind::Ident => {
                let name: Box<str> = text.into();
                self.bump();
                match &*name {
                    "true" => ExprKind::Bool(true),
                    "false" => ExprKind::Bool(false),
                    "null" => ExprKind::Null,
                    _ if self.tokens[self.pos].kind == TokenKind::Punct("(") => {
                        let args = self.arguments();
                        let ident = Ident { name, range };
                        return Expr {
                            kind: ExprKind::Call(None, ident, args),
                            range: range.to(Range::new(self.last_end(), self.last_end())),
                        };
                    }
                    _ => ExprKind::Ident(name),
                }
            }
            TokenKind::String => {
                self.bump();
                ExprKind::String(vec![token.value.unwrap_or_default()], Vec::new())
            }
            TokenKind::StringLeft => return self.interpolated(),
            TokenKind::Punct("{") => return self.object(),
            TokenKind::Punct("[") => return self.array(),
            TokenKind::Punct("(") => {
                let inner = self.with_nl(true, |p| {
                    p.bump();
                    let inner = p.expr();
                    p.expect(")");
                    inner
                });
                return Expr {
                    kind: ExprKind::Paren(Box::new(inner)),
                    range: range.to(Range::new(self.last_end(), self.last_end())),
                };
            }
            _ => {
                let found = self.describe();
                self.error(format!("expected an expression, found {found}"), range);
                if matches!(token.kind, TokenKind::Error(_)) {
                    self.bump();
                }
                ExprKind::Error
            }
        };
        Expr { kind, range }
    }

    /// `'a${x}b${y}c'`.
    fn interpolated(&mut self) -> Expr {
        let first = self.bump();
        let mut pieces = vec![first.value.unwrap_or_default()];
        let mut holes = Vec::new();
        let start = Range::new(first.start, first.end);
        self.with_nl(false, |p| {
            loop {
                holes.push(p.expr());
                let t = p.tok().clone();
                match t.kind {
                    TokenKind::StringMiddle => {
                        p.bump();
                        pieces.push(t.value.unwrap_or_default());
                    }
                    TokenKind::StringRight => {
                        p.bump();
                        pieces.push(t.value.unwrap_or_default());
                        break;
                    }
                    _ => {
                        let range = Range::new(t.start, t.end);
                        let found = p.describe();
                        p.error(
                            format!("expected `}}` to close the interpolation, found {found}"),
                            range,
                        );
                        // Resynchronise at the end of the string, if it is on this line.
                        while !matches!(
                            p.tokens[p.pos].kind,
                            TokenKind::StringRight | TokenKind::NewLine | TokenKind::Eof
                        ) {
                            p.pos += 1;
                        }
                        if p.tokens[p.pos].kind == TokenKind::StringRight {
                            p.pos += 1;
                        }
                        pieces.push(Box::from(""));
                        break;
                    }
                }
            }
        });
        Expr {
            kind: ExprKind::String(pieces, holes),
            range: start.to(Range::new(self.last_end(), self.last_end())),
        }
    }

    /// `{ ... }`: members separated by line breaks or by one comma.
    fn object(&mut self) -> Expr {
        let start = self.range();
        if let Some(error) = self.too_deep() {
            self.recover_item();
            return error;
        }
        self.depth += 1;
        self.bump();
        let mut items = Vec::new();
        self.with_nl(false, |p| {
            loop {
                p.skip_newlines();
                if p.at("}") || p.kind() == TokenKind::Eof {
                    break;
                }
                let before = p.pos;
                if let Some(item) = p.object_item() {
                    items.push(item);
                }
                if !p.list_separator("}") {
                    p.recover_item();
                    p.list_separator("}");
                }
                if p.pos == before {
                    p.pos += 1;
                }
            }
            p.expect("}");
        });
        self.depth -= 1;
        Expr {
            kind: ExprKind::Object(items),
            range: start.to(Range::new(self.last_end(), self.last_end())),
        }
    }

    /// After a list member: `,` (not followed by a line break), a line break, or the
    /// closing bracket (not consumed). False (and reported) otherwise.
    fn list_separator(&mut self, close: &str) -> bool {
        if self.eat(",") {
            if self.at_newline() {
                let range = self.range();
                self.error(
                    "a comma followed by a line break is not allowed here (BCP238)",
                    range,
                );
            }
            return true;
        }
        if self.at_newline() || self.at(close) {
            return true;
        }
        let range = self.range();
        let found = self.describe();
        self.error(
            format!("expected a line break, `,` or `{close}`, found {found}"),
            range,
        );
        false
    }

    fn object_item(&mut self) -> Option<ObjectItem> {
        if self.eat("...") {
            return Some(ObjectItem::Spread(self.expr()));
        }
        if self.at("@") || (self.at_ident("resource") && self.ident_at(1, None)) {
            return self
                .declaration(false)
                .map(|d| ObjectItem::Resource(Box::new(d)));
        }
        let token = self.tok().clone();
        let range = Range::new(token.start, token.end);
        let key = match token.kind {
            TokenKind::Ident => {
                self.bump();
                let name = &self.text[token.start as usize..token.end as usize];
                Expr {
                    kind: ExprKind::String(vec![name.into()], Vec::new()),
                    range,
                }
            }
            TokenKind::String | TokenKind::StringLeft => self.primary(),
            _ => {
                let found = self.describe();
                self.error(format!("expected a property name, found {found}"), range);
                return None;
            }
        };
        if !self.expect(":") {
            return None;
        }
        let value = self.expr();
        Some(ObjectItem::Property(key, value))
    }

    /// `[ ... ]` or `[for ...]`.
    fn array(&mut self) -> Expr {
        let start = self.range();
        if let Some(error) = self.too_deep() {
            self.recover_item();
            return error;
        }
        self.depth += 1;
        self.bump();
        let mut i = self.pos;
        while self.tokens[i].kind == TokenKind::NewLine {
            i += 1;
        }
        let t = &self.tokens[i];
        let is_for =
            t.kind == TokenKind::Ident && &self.text[t.start as usize..t.end as usize] == "for";
        let kind = self.with_nl(false, |p| {
            if is_for {
                p.skip_newlines();
                p.bump();
                return p.for_rest();
            }
            let mut items = Vec::new();
            loop {
                p.skip_newlines();
                if p.at("]") || p.kind() == TokenKind::Eof {
                    break;
                }
                let before = p.pos;
                if p.eat("...") {
                    items.push(ArrayItem::Spread(p.expr()));
                } else {
                    items.push(ArrayItem::Item(p.expr()));
                }
                if !p.list_separator("]") {
                    p.recover_item();
                    p.list_separator("]");
                }
                if p.pos == before {
                    p.pos += 1;
                }
            }
            p.expect("]");
            ExprKind::Array(items)
        });
        self.depth -= 1;
        Expr {
            kind,
            range: start.to(Range::new(self.last_end(), self.last_end())),
        }
    }

    /// After `[for`: `item` or `(item, index)`, `in source: body`, newlines, `]`.
    fn for_rest(&mut self) -> ExprKind {
        let (item, index) = if self.at("(") {
            self.with_nl(true, |p| {
                p.bump();
                let item = p.ident("a loop variable");
                let index = if p.eat(",") {
                    p.ident("an index variable")
                } else {
                    None
                };
                p.expect(")");
                (item, index)
            })
        } else {
            (self.ident("a loop variable"), None)
        };
        if self.at_ident("in") {
            self.bump();
        } else {
            let range = self.range();
            self.error("expected `in`", range);
        }
        let source = self.expr();
        self.expect(":");
        let body = if self.at_ident("if") {
            self.if_body()
        } else {
            self.expr()
        };
        self.skip_newlines();
        self.expect("]");
        ExprKind::For(Box::new(ForExpr {
            item,
            index,
            source,
            body,
        }))
    }
}
