//! `.tf.json`: Terraform's JSON syntax, rewritten as HCL text with a map back to the JSON.
//!
//! The rewrite is read like any `.tf` file; every span the evaluation produces in it is then
//! moved back onto the JSON text through [`SpanMap`], so that findings point at the JSON
//! the user wrote. Strings are templates in both syntaxes, so they carry over as they are.

use std::sync::Arc;

use isolint_json::{Json, JsonKind, Member};
use isolint_model::{
    Analysis, Decider, Diagnostic, Entry, FileId, Form, Node, NodeKind, Object, Provenance,
    SourceFile, Span,
};
use rustc_hash::FxHashMap;

/// Keys whose object value is an attribute (a map), not a nested block.
const MAP_ATTRIBUTES: &[&str] = &["tags", "body", "headers", "triggers", "inputs", "variables"];

/// A byte range, `start..end`.
type Range = (u32, u32);

/// Ranges of the rewrite and the JSON ranges they came from. The rewrite ranges nest (each
/// is recorded around what was written inside it), so the smallest one holding a span is
/// found from the last one starting at or before it, up through the ranges that hold
/// that one: a binary search and a walk no longer than the nesting is deep.
#[derive(Clone, Debug, Default)]
pub(crate) struct SpanMap {
    /// `(rewrite range, JSON range)`, sorted by rewrite start, then outermost first.
    entries: Vec<(Range, Range)>,
    /// The index of the smallest entry holding each entry, if any.
    parents: Vec<Option<usize>>,
}

impl SpanMap {
    /// Sorts the ranges recorded in writing order and links each to the one holding it.
    fn new(mut recorded: Vec<(Range, Range)>) -> Self {
        // Of two equal rewrite ranges the first recorded is the inner one: it is sorted
        // after the other (a stable sort keeps recording order among equals, hence the
        // reversal first).
        recorded.reverse();
        recorded.sort_by_key(|&((start, end), _)| (start, std::cmp::Reverse(end)));
        let mut parents = Vec::with_capacity(recorded.len());
        let mut open: Vec<usize> = Vec::new();
        for (index, &((_, end), _)) in recorded.iter().enumerate() {
            while let Some(&top) = open.last() {
                if recorded[top].0.1 >= end {
                    break;
                }
                open.pop();
            }
            parents.push(open.last().copied());
            open.push(index);
        }
        Self {
            entries: recorded,
            parents,
        }
    }

    /// The JSON range of the smallest recorded rewrite range that holds `start..end`.
    pub(crate) fn map(&self, start: u32, end: u32) -> (u32, u32) {
        let last = self.entries.partition_point(|&((s, _), _)| s <= start);
        let mut candidate = last.checked_sub(1);
        while let Some(index) = candidate {
            let ((s, e), json) = self.entries[index];
            if s <= start && end <= e {
                return json;
            }
            candidate = self.parents[index];
        }
        (0, 0)
    }
}

/// The HCL rewrite of a `.tf.json` file, or the located error.
pub(crate) fn to_hcl(file: &SourceFile) -> Result<(String, SpanMap), Diagnostic> {
    let json = isolint_json::parse(file)?;
    let Some(root) = json.members() else {
        let start = json.span.start as usize;
        return Err(Diagnostic::error(
            "parse-error",
            "a `.tf.json` file must hold one JSON object",
            &file.path,
        )
        .at(Span::new(file.id, start, start + 1)));
    };
    let mut out = Writer::default();
    for member in root {
        let key = &*member.key;
        let labels = match key {
            "resource" | "data" => 2,
            "variable" | "output" | "module" | "provider" => 1,
            "locals" | "terraform" => 0,
            _ => continue,
        };
        let maps = !matches!(key, "resource" | "data" | "terraform");
        out.labelled(
            key,
            &[],
            &member.value,
            labels,
            (member.key_span.start, maps),
        );
    }
    Ok((out.text, SpanMap::new(out.recorded)))
}

/// A member's whole range, key to value.
fn member_range(member: &Member) -> Range {
    (member.key_span.start, member.value.span.end)
}

#[derive(Default)]
struct Writer {
    text: String,
    recorded: Vec<(Range, Range)>,
}

impl Writer {
    fn record(&mut self, start: usize, json: Range) {
        let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        self.recorded
            .push(((offset(start), offset(self.text.len())), json));
    }

    /// `kind "l1" "l2" { ... }`, the labels being the keys of nested objects.
    fn labelled(
        &mut self,
        kind: &str,
        labels: &[(Arc<str>, Range)],
        value: &Json,
        remaining: usize,
        (json_start, maps): (u32, bool),
    ) {
        if remaining > 0 {
            for member in value.members().unwrap_or_default() {
                let mut more = labels.to_vec();
                more.push((
                    Arc::clone(&member.key),
                    (member.key_span.start, member.key_span.end),
                ));
                self.labelled(
                    kind,
                    &more,
                    &member.value,
                    remaining - 1,
                    (member.key_span.start, maps),
                );
            }
            return;
        }
        let bodies: Vec<&Json> = match &value.kind {
            JsonKind::Array(items) => items.iter().collect(),
            _ => vec![value],
        };
        for body in bodies {
            let Some(members) = body.members() else {
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
            self.body(members, maps);
            self.text.push_str("}\n");
            self.record(start, (json_start.min(body.span.start), body.span.end));
        }
    }

    /// The attributes and blocks of a body; with `maps`, object values are attributes.
    fn body(&mut self, members: &[Member], maps: bool) {
        for member in members {
            let key = &*member.key;
            if !is_identifier(key) {
                continue;
            }
            let nested: Vec<&[Member]> = match &member.value.kind {
                _ if maps => Vec::new(),
                JsonKind::Object(inner) if !MAP_ATTRIBUTES.contains(&key) => vec![inner],
                JsonKind::Array(items)
                    if !items.is_empty() && items.iter().all(|e| e.members().is_some()) =>
                {
                    items.iter().filter_map(Json::members).collect()
                }
                _ => Vec::new(),
            };
            let start = self.text.len();
            if nested.is_empty() {
                self.text.push_str(key);
                self.text.push_str(" = ");
                self.value(&member.value);
                self.text.push('\n');
            } else {
                for inner in nested {
                    self.text.push_str(key);
                    self.text.push_str(" {\n");
                    self.body(inner, key == "required_providers");
                    self.text.push_str("}\n");
                }
            }
            self.record(start, member_range(member));
        }
    }

    fn value(&mut self, value: &Json) {
        let start = self.text.len();
        match &value.kind {
            JsonKind::Null => self.text.push_str("null"),
            JsonKind::Bool(b) => self.text.push_str(if *b { "true" } else { "false" }),
            JsonKind::Number(n) => self.text.push_str(n),
            JsonKind::String(s) => self.template(&s.text),
            JsonKind::Array(items) => {
                self.text.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.text.push_str(", ");
                    }
                    self.value(item);
                }
                self.text.push(']');
            }
            JsonKind::Object(members) => {
                self.text.push_str("{\n");
                for member in members {
                    let member_start = self.text.len();
                    self.string_literal(&member.key);
                    self.text.push_str(" = ");
                    self.value(&member.value);
                    self.text.push('\n');
                    self.record(member_start, member_range(member));
                }
                self.text.push('}');
            }
        }
        self.record(start, (value.span.start, value.span.end));
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
pub(crate) fn remap_span(rewrites: &Rewrites, span: Span) -> Span {
    match rewrites.get(&span.file) {
        Some((_, map)) => {
            let (start, end) = map.map(span.start, span.end);
            Span::new(span.file, start as usize, end as usize)
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
                span: remap_span(rewrites, *at),
            },
            Decider::ParameterValue { name, span: at } => Decider::ParameterValue {
                name: Arc::clone(name),
                span: at.map(|s| remap_span(rewrites, s)),
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
                    key_span: remap_span(rewrites, e.key_span),
                    value: remap_node(rewrites, &e.value, depth + 1),
                })
                .collect(),
            rest: object.rest.clone(),
        })),
        other => other.clone(),
    };
    Node {
        kind,
        span: remap_span(rewrites, node.span),
        provenance: provenance(rewrites, &node.provenance),
        // The JSON text is not the HCL the literal was read from: nothing to rewrite.
        form: Form::Computed,
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
        resource.origin.header = remap_span(rewrites, resource.origin.header);
        for decl in &mut resource.origin.decls {
            *decl = remap_span(rewrites, *decl);
        }
    }
    for diagnostic in &mut analysis.diagnostics {
        diagnostic.span = diagnostic.span.map(|s| remap_span(rewrites, s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_range_holding_a_span_wins() {
        let map = SpanMap::new(vec![
            ((2, 5), (110, 120)),
            ((6, 9), (130, 140)),
            // Recorded later around the same text: the first one recorded is the inner one.
            ((2, 5), (111, 121)),
            ((0, 10), (100, 200)),
            ((12, 20), (300, 400)),
        ]);
        assert_eq!(map.map(3, 4), (110, 120));
        assert_eq!(map.map(2, 5), (110, 120));
        assert_eq!(map.map(7, 8), (130, 140));
        assert_eq!(map.map(4, 7), (100, 200));
        assert_eq!(map.map(10, 10), (100, 200));
        assert_eq!(map.map(11, 11), (0, 0));
        assert_eq!(map.map(13, 13), (300, 400));
        assert_eq!(map.map(9, 13), (0, 0));
    }
}
