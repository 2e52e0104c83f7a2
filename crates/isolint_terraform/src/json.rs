//! `.tf.json`: Terraform's JSON syntax, rewritten as HCL text with a map back to the JSON.
//!
//! The rewrite is read like any `.tf` file; every span the evaluation produces in it is then
//! moved back onto the JSON text through [`SpanMap`], so that findings point at the JSON
//! the user wrote. Strings are templates in both syntaxes, so they carry over as they are.

use std::sync::Arc;

use isolint_model::{Analysis, Decider, Entry, FileId, Node, NodeKind, Object, Provenance, Span};
use jsonc_parser::ast;
use jsonc_parser::common::Ranged as _;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use rustc_hash::FxHashMap;

/// Keys whose object value is an attribute (a map), not a nested block.
const MAP_ATTRIBUTES: &[&str] = &["tags", "body", "headers", "triggers", "inputs", "variables"];

/// Ranges of the rewrite and the JSON ranges they came from.
#[derive(Clone, Debug, Default)]
pub(crate) struct SpanMap {
    /// `(rewrite start, rewrite end, JSON start, JSON end)`.
    entries: Vec<(usize, usize, usize, usize)>,
}

impl SpanMap {
    /// The JSON range of the smallest recorded rewrite range that holds `start..end`.
    pub(crate) fn map(&self, start: usize, end: usize) -> (usize, usize) {
        self.entries
            .iter()
            .filter(|(s, e, _, _)| *s <= start && end <= *e)
            .min_by_key(|(s, e, _, _)| e - s)
            .map_or((0, 0), |&(_, _, js, je)| (js, je))
    }
}

/// The HCL rewrite of a `.tf.json` document, or the error message and offset.
pub(crate) fn to_hcl(text: &str) -> Result<(String, SpanMap), (String, usize)> {
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let options = ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &collect, &options)
        .map_err(|e| (format!("invalid JSON: {}", e.kind()), e.range().start))?;
    let Some(ast::Value::Object(root)) = parsed.value else {
        return Err(("a `.tf.json` file must hold one JSON object".into(), 0));
    };
    let mut out = Writer::default();
    for prop in &root.properties {
        let key = name(&prop.name);
        let labels = match key.as_str() {
            "resource" | "data" => 2,
            "variable" | "output" | "module" | "provider" => 1,
            "locals" | "terraform" => 0,
            _ => continue,
        };
        let maps = !matches!(key.as_str(), "resource" | "data" | "terraform");
        out.labelled(&key, &[], &prop.value, labels, (prop.range.start, maps));
    }
    Ok((out.text, out.map))
}

fn name(name: &ast::ObjectPropName<'_>) -> String {
    match name {
        ast::ObjectPropName::String(s) => s.value.to_string(),
        ast::ObjectPropName::Word(w) => w.value.to_owned(),
    }
}

#[derive(Default)]
struct Writer {
    text: String,
    map: SpanMap,
}

impl Writer {
    fn record(&mut self, start: usize, json: jsonc_parser::common::Range) {
        self.map
            .entries
            .push((start, self.text.len(), json.start, json.end));
    }

    /// `kind "l1" "l2" { ... }`, the labels being the keys of nested objects.
    fn labelled(
        &mut self,
        kind: &str,
        labels: &[(String, jsonc_parser::common::Range)],
        value: &ast::Value<'_>,
        remaining: usize,
        (json_start, maps): (usize, bool),
    ) {
        if remaining > 0 {
            if let ast::Value::Object(object) = value {
                for prop in &object.properties {
                    let mut more = labels.to_vec();
                    more.push((name(&prop.name), prop.name.range()));
                    self.labelled(
                        kind,
                        &more,
                        &prop.value,
                        remaining - 1,
                        (prop.range.start, maps),
                    );
                }
            }
            return;
        }
        let bodies: Vec<&ast::Value<'_>> = match value {
            ast::Value::Array(items) => items.elements.iter().collect(),
            other => vec![other],
        };
        for body in bodies {
            let ast::Value::Object(object) = body else {
                continue;
            };
            let start = self.text.len();
            self.text.push_str(kind);
            for (label, _) in labels {
                self.text.push(' ');
                self.string_literal(label);
            }
            if let Some((_, range)) = labels.last() {
                self.record(start, *range);
            }
            self.text.push_str(" {\n");
            self.body(object, maps);
            self.text.push_str("}\n");
            let json = jsonc_parser::common::Range {
                start: json_start.min(object.range.start),
                end: object.range.end,
            };
            self.record(start, json);
        }
    }

    /// The attributes and blocks of a body; with `maps`, object values are attributes.
    fn body(&mut self, object: &ast::Object<'_>, maps: bool) {
        for prop in &object.properties {
            let key = name(&prop.name);
            if !is_identifier(&key) {
                continue;
            }
            let nested: Vec<&ast::Object<'_>> = match &prop.value {
                _ if maps => Vec::new(),
                ast::Value::Object(o) if !MAP_ATTRIBUTES.contains(&key.as_str()) => vec![o],
                ast::Value::Array(a)
                    if !a.elements.is_empty()
                        && a.elements
                            .iter()
                            .all(|e| matches!(e, ast::Value::Object(_))) =>
                {
                    a.elements
                        .iter()
                        .filter_map(|e| match e {
                            ast::Value::Object(o) => Some(o),
                            _ => None,
                        })
                        .collect()
                }
                _ => Vec::new(),
            };
            let start = self.text.len();
            if nested.is_empty() {
                self.text.push_str(&key);
                self.text.push_str(" = ");
                self.value(&prop.value);
                self.text.push('\n');
            } else {
                for inner in nested {
                    self.text.push_str(&key);
                    self.text.push_str(" {\n");
                    self.body(inner, key == "required_providers");
                    self.text.push_str("}\n");
                }
            }
            self.record(start, prop.range);
        }
    }

    fn value(&mut self, value: &ast::Value<'_>) {
        let start = self.text.len();
        match value {
            ast::Value::NullKeyword(_) => self.text.push_str("null"),
            ast::Value::BooleanLit(b) => self.text.push_str(if b.value { "true" } else { "false" }),
            ast::Value::NumberLit(n) => self.text.push_str(n.value),
            ast::Value::StringLit(s) => self.template(&s.value),
            ast::Value::Array(a) => {
                self.text.push('[');
                for (i, item) in a.elements.iter().enumerate() {
                    if i > 0 {
                        self.text.push_str(", ");
                    }
                    self.value(item);
                }
                self.text.push(']');
            }
            ast::Value::Object(o) => {
                self.text.push_str("{\n");
                for prop in &o.properties {
                    let prop_start = self.text.len();
                    self.string_literal(&name(&prop.name));
                    self.text.push_str(" = ");
                    self.value(&prop.value);
                    self.text.push('\n');
                    self.record(prop_start, prop.range);
                }
                self.text.push('}');
            }
        }
        self.record(start, value.range());
    }

    /// A JSON string is a template: `${...}` and `%{...}` keep their meaning.
    fn template(&mut self, text: &str) {
        self.text.push('"');
        for c in text.chars() {
            match c {
                '"' => self.text.push_str("\\\""),
                '\\' => self.text.push_str("\\\\"),
                '\n' => self.text.push_str("\\n"),
                '\r' => self.text.push_str("\\r"),
                '\t' => self.text.push_str("\\t"),
                c => self.text.push(c),
            }
        }
        self.text.push('"');
    }

    /// A string with no template meaning (labels, object keys).
    fn string_literal(&mut self, text: &str) {
        let escaped = text.replace("${", "$${").replace("%{", "%%{");
        self.template(&escaped);
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The rewrites of the `.tf.json` files read, by file.
pub(crate) type Rewrites = FxHashMap<FileId, (Arc<str>, SpanMap)>;

/// Moves a span in a rewrite back onto its JSON file.
fn span(rewrites: &Rewrites, span: Span) -> Span {
    match rewrites.get(&span.file) {
        Some((_, map)) => {
            let (start, end) = map.map(span.start as usize, span.end as usize);
            Span::new(span.file, start, end)
        }
        None => span,
    }
}

fn provenance(rewrites: &Rewrites, provenance: &Provenance) -> Provenance {
    let mut out = Provenance::default();
    for decider in provenance.deciders() {
        let moved = match decider {
            Decider::ParameterDefault { name, span: at } => Decider::ParameterDefault {
                name: Arc::clone(name),
                span: span(rewrites, *at),
            },
            Decider::ParameterValue { name, span: at } => Decider::ParameterValue {
                name: Arc::clone(name),
                span: at.map(|s| span(rewrites, s)),
            },
            other @ Decider::ProviderDefault { .. } => other.clone(),
        };
        out = out.merge(&Provenance::of(moved));
    }
    out
}

/// Moves every span of a node tree that lies in a rewrite back onto its JSON file.
pub(crate) fn remap_node(rewrites: &Rewrites, node: &Node, depth: usize) -> Node {
    let kind = match &node.kind {
        NodeKind::Array(items) if depth < 64 => NodeKind::Array(
            items
                .iter()
                .map(|i| remap_node(rewrites, i, depth + 1))
                .collect(),
        ),
        NodeKind::Object(object) if depth < 64 => NodeKind::Object(Arc::new(Object {
            entries: object
                .entries
                .iter()
                .map(|e| Entry {
                    key: Arc::clone(&e.key),
                    key_span: span(rewrites, e.key_span),
                    value: remap_node(rewrites, &e.value, depth + 1),
                })
                .collect(),
            rest: object.rest.clone(),
        })),
        other => other.clone(),
    };
    Node {
        kind,
        span: span(rewrites, node.span),
        provenance: provenance(rewrites, &node.provenance),
    }
}

/// Moves the spans of resources and diagnostics back onto the JSON files.
pub(crate) fn remap(rewrites: &Rewrites, analysis: &mut Analysis) {
    if rewrites.is_empty() {
        return;
    }
    for resource in &mut analysis.resources {
        resource.name = remap_node(rewrites, &resource.name, 0);
        resource.body = remap_node(rewrites, &resource.body, 0);
        resource.origin.header = span(rewrites, resource.origin.header);
        for decl in &mut resource.origin.decls {
            *decl = span(rewrites, *decl);
        }
    }
    for diagnostic in &mut analysis.diagnostics {
        diagnostic.span = diagnostic.span.map(|s| span(rewrites, s));
    }
}
