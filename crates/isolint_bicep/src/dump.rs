//! A compact, indented dump of a syntax tree, for snapshot tests and debugging.

use std::fmt::Write as _;

use crate::syntax::{ArrayItem, Decl, DeclKind, Expr, ExprKind, ObjectItem, Program};

/// The tree as text: one node per line, children indented, errors at the end.
pub fn dump(program: &Program) -> String {
    let mut out = String::new();
    for decl in &program.decls {
        decl_line(&mut out, decl, 0);
    }
    for error in &program.errors {
        let _ = writeln!(
            out,
            "error {}..{}: {}",
            error.range.start, error.range.end, error.message
        );
    }
    out
}

fn line(out: &mut String, depth: usize, text: &str) {
    for _ in 0..depth {
        out.push_str("  ");
    }
    out.push_str(text);
    out.push('\n');
}

fn decl_line(out: &mut String, decl: &Decl, depth: usize) {
    for decorator in &decl.decorators {
        line(out, depth, "@");
        expr(out, decorator, depth + 1);
    }
    match &decl.kind {
        DeclKind::TargetScope(e) => {
            line(out, depth, "targetScope");
            expr(out, e, depth + 1);
        }
        DeclKind::Metadata(name, e) => {
            line(out, depth, &format!("metadata {}", name.name));
            expr(out, e, depth + 1);
        }
        DeclKind::Param(p) => {
            let nullable = if p.nullable { " nullable" } else { "" };
            line(out, depth, &format!("param {}{nullable}", p.name.name));
            if let Some(d) = &p.default {
                expr(out, d, depth + 1);
            }
        }
        DeclKind::Var(name, e) => {
            line(out, depth, &format!("var {}", name.name));
            expr(out, e, depth + 1);
        }
        DeclKind::Type(t) => {
            let nullable = if t.nullable { " nullable" } else { "" };
            line(out, depth, &format!("type {}{nullable}", t.name.name));
        }
        DeclKind::Func(f) => {
            let params: Vec<&str> = f.params.iter().map(|p| &*p.name).collect();
            line(
                out,
                depth,
                &format!("func {}({})", f.name.name, params.join(", ")),
            );
            expr(out, &f.body, depth + 1);
        }
        DeclKind::Resource(r) => {
            let existing = if r.existing { " existing" } else { "" };
            line(out, depth, &format!("resource {}{existing}", r.name.name));
            expr(out, &r.ty, depth + 1);
            expr(out, &r.body, depth + 1);
        }
        DeclKind::Module(m) => {
            line(out, depth, &format!("module {}", m.name.name));
            expr(out, &m.path, depth + 1);
            expr(out, &m.body, depth + 1);
        }
        DeclKind::Output(name, e) => {
            line(out, depth, &format!("output {}", name.name));
            expr(out, e, depth + 1);
        }
        DeclKind::Import(_) => line(out, depth, "import"),
        DeclKind::Extension => line(out, depth, "extension"),
        DeclKind::Using(path) => {
            line(out, depth, "using");
            if let Some(p) = path {
                expr(out, p, depth + 1);
            }
        }
        DeclKind::Test => line(out, depth, "test"),
    }
}

fn expr(out: &mut String, e: &Expr, depth: usize) {
    match &e.kind {
        ExprKind::Int(n) => line(out, depth, &format!("int {n}")),
        ExprKind::Bool(b) => line(out, depth, &format!("bool {b}")),
        ExprKind::Null => line(out, depth, "null"),
        ExprKind::String(pieces, holes) => {
            if holes.is_empty() {
                line(out, depth, &format!("string {:?}", pieces[0]));
            } else {
                line(out, depth, &format!("interpolation {pieces:?}"));
                for hole in holes {
                    expr(out, hole, depth + 1);
                }
            }
        }
        ExprKind::Ident(name) => line(out, depth, &format!("ident {name}")),
        ExprKind::Call(target, name, args) => {
            line(out, depth, &format!("call {}", name.name));
            if let Some(t) = target {
                line(out, depth + 1, "on");
                expr(out, t, depth + 2);
            }
            for a in args {
                expr(out, a, depth + 1);
            }
        }
        ExprKind::Member(target, name, safe) => {
            let op = if *safe { ".?" } else { "." };
            line(out, depth, &format!("member {op}{}", name.name));
            expr(out, target, depth + 1);
        }
        ExprKind::Index(target, index, safe, from_end) => {
            line(
                out,
                depth,
                &format!(
                    "index{}{}",
                    if *safe { " safe" } else { "" },
                    if *from_end { " from-end" } else { "" }
                ),
            );
            expr(out, target, depth + 1);
            expr(out, index, depth + 1);
        }
        ExprKind::Child(target, name) => {
            line(out, depth, &format!("child ::{}", name.name));
            expr(out, target, depth + 1);
        }
        ExprKind::NonNull(inner) => {
            line(out, depth, "non-null !");
            expr(out, inner, depth + 1);
        }
        ExprKind::Unary(op, inner) => {
            line(out, depth, &format!("unary {op}"));
            expr(out, inner, depth + 1);
        }
        ExprKind::Binary(op, a, b) => {
            line(out, depth, &format!("binary {op}"));
            expr(out, a, depth + 1);
            expr(out, b, depth + 1);
        }
        ExprKind::Ternary(c, a, b) => {
            line(out, depth, "ternary");
            expr(out, c, depth + 1);
            expr(out, a, depth + 1);
            expr(out, b, depth + 1);
        }
        ExprKind::Paren(inner) => {
            line(out, depth, "paren");
            expr(out, inner, depth + 1);
        }
        ExprKind::Object(items) => {
            line(out, depth, "object");
            for item in items {
                match item {
                    ObjectItem::Property(k, v) => {
                        line(out, depth + 1, "property");
                        expr(out, k, depth + 2);
                        expr(out, v, depth + 2);
                    }
                    ObjectItem::Spread(v) => {
                        line(out, depth + 1, "spread");
                        expr(out, v, depth + 2);
                    }
                    ObjectItem::Resource(d) => decl_line(out, d, depth + 1),
                }
            }
        }
        ExprKind::Array(items) => {
            line(out, depth, "array");
            for item in items {
                match item {
                    ArrayItem::Item(v) => expr(out, v, depth + 1),
                    ArrayItem::Spread(v) => {
                        line(out, depth + 1, "spread");
                        expr(out, v, depth + 2);
                    }
                }
            }
        }
        ExprKind::For(f) => {
            let item = f.item.as_ref().map_or("?", |i| &i.name);
            let index = f
                .index
                .as_ref()
                .map_or(String::new(), |i| format!(", {}", i.name));
            line(out, depth, &format!("for ({item}{index})"));
            expr(out, &f.source, depth + 1);
            expr(out, &f.body, depth + 1);
        }
        ExprKind::If(c, body) => {
            line(out, depth, "if");
            expr(out, c, depth + 1);
            expr(out, body, depth + 1);
        }
        ExprKind::Lambda(params, body) => {
            let names: Vec<&str> = params.iter().map(|p| &*p.name).collect();
            line(out, depth, &format!("lambda ({})", names.join(", ")));
            expr(out, body, depth + 1);
        }
        ExprKind::Error => line(out, depth, "error"),
    }
}
