//! Values: the evaluated property trees of resources, and the three states a rule sees.
//!
//! A [`Node`] is what static evaluation made of a value: a JSON-like tree whose leaves may
//! be [`Unknown`] (a parameter without a default, a runtime function) or a symbolic
//! [`ResourceId`]. Every node keeps the span it was written at and, in its
//! [`Provenance`], the parameter defaults that decided it. A rule asks for one path and
//! gets a [`Prop`]: a [`Value`] that is `Known`, `Unknown` or `Absent`, plus where to point.

use std::fmt;
use std::sync::Arc;

use crate::id::ResourceId;
use crate::source::Span;

/// An evaluated value with its location.
#[derive(Clone, Debug)]
pub struct Node {
    /// What the value is.
    pub kind: NodeKind,
    /// Where it was written (for computed values: the expression that computed it).
    pub span: Span,
    /// The parameters and provider defaults that decided it.
    pub provenance: Provenance,
    /// How the value was written: whether the text at `span` (or at the parameter
    /// default that decided it) is a literal a fix may rewrite.
    pub form: Form,
}

/// How a value was written, as far as a fix needs to know: a rule may rewrite a literal
/// (`'Enabled'` → `'Disabled'`), never an expression.
///
/// A frontend marks the nodes it makes from literals; [`Node::located`] keeps the mark
/// honest when a value is moved to where it is used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Form {
    /// Computed by an expression, or read from something that is not a template (a plan,
    /// an export): nothing to rewrite.
    #[default]
    Computed,
    /// A literal whose text is exactly the node's span (`'Enabled'`, `"Enabled"`, `true`).
    Literal,
    /// A literal written as a parameter's default (the span of its
    /// [`Decider::ParameterDefault`]) and used unchanged where the node is.
    Passed,
}

/// The shapes a [`Node`] can take.
#[derive(Clone, Debug)]
pub enum NodeKind {
    /// JSON `null` (for a property: the same as not setting it).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// A string.
    String(Arc<str>),
    /// An array.
    Array(Arc<[Node]>),
    /// An object.
    Object(Arc<Object>),
    /// A resource ID known by its type and name segments, some of which may be symbolic.
    ResourceId(Arc<ResourceId>),
    /// A value static evaluation cannot settle.
    Unknown(Arc<Unknown>),
}

/// An object's entries, in source order. Keys compare case-insensitively, as in ARM.
#[derive(Clone, Debug, Default)]
pub struct Object {
    /// The entries; when a key repeats, the last one wins.
    pub entries: Vec<Entry>,
    /// Set for objects only partly known (the result of `reference(...)`, a Terraform
    /// resource's attributes): a key that is not among `entries` is this unknown's member
    /// rather than absent.
    pub rest: Option<Arc<Unknown>>,
}

/// One `key: value` of an [`Object`].
#[derive(Clone, Debug)]
pub struct Entry {
    /// The key.
    pub key: Arc<str>,
    /// Where the key was written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

impl Object {
    /// The entry for `key`, compared case-insensitively.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.key.eq_ignore_ascii_case(key))
    }

    /// The value for `key`, if present.
    pub fn value(&self, key: &str) -> Option<&Node> {
        self.get(key).map(|e| &e.value)
    }
}

/// A value that static evaluation cannot settle. Two unknowns built from the same
/// expression compare equal: that is how `resourceId('...', variables('n'))` finds the
/// resource named `variables('n')`.
#[derive(Clone, Debug)]
pub struct Unknown {
    /// The symbolic expression, in canonical ARM syntax (`parameters('storageName')`).
    pub expr: Arc<str>,
    /// Why it is unknown.
    pub reason: UnknownReason,
    /// For a string built by concatenation (`concat`, `format`, interpolation) with some
    /// unknown pieces: the pieces, so that a resource name like `'${ws}/cluster'` still
    /// splits into its name segments.
    pub parts: Option<Arc<[StrPart]>>,
}

/// A piece of a partly known string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StrPart {
    /// Known text.
    Text(Arc<str>),
    /// An unknown piece.
    Hole(Arc<Unknown>),
}

impl PartialEq for Unknown {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

impl Eq for Unknown {}

impl Unknown {
    /// An unknown with this expression and reason.
    pub fn new(expr: impl Into<Arc<str>>, reason: UnknownReason) -> Self {
        Self {
            expr: expr.into(),
            reason,
            parts: None,
        }
    }

    /// The string made of `parts`, at least one of which is a hole. Adjacent text is
    /// merged, so `format('st{0}', x)` and `concat('st', x)` give the same unknown; its
    /// expression is the canonical `concat('st', x)` (or just `x` for a lone hole).
    pub fn concat(parts: Vec<StrPart>) -> Unknown {
        let mut merged: Vec<StrPart> = Vec::with_capacity(parts.len());
        for part in parts {
            match (merged.last_mut(), part) {
                (_, StrPart::Text(t)) if t.is_empty() => {}
                (Some(StrPart::Text(prev)), StrPart::Text(t)) => {
                    *prev = format!("{prev}{t}").into();
                }
                (_, StrPart::Hole(hole)) if hole.parts.is_some() => {
                    for inner in hole.parts.iter().flat_map(|p| p.iter()) {
                        match (merged.last_mut(), inner) {
                            (Some(StrPart::Text(prev)), StrPart::Text(t)) => {
                                *prev = format!("{prev}{t}").into();
                            }
                            _ => merged.push(inner.clone()),
                        }
                    }
                }
                (_, part) => merged.push(part),
            }
        }
        let reason = merged
            .iter()
            .find_map(|p| match p {
                StrPart::Hole(h) => Some(h.reason.clone()),
                StrPart::Text(_) => None,
            })
            .unwrap_or(UnknownReason::Invalid {
                message: "a string with no unknown part".into(),
            });
        if let [StrPart::Hole(only)] = merged.as_slice() {
            return (**only).clone();
        }
        let mut expr = String::from("concat(");
        for (i, part) in merged.iter().enumerate() {
            if i > 0 {
                expr.push_str(", ");
            }
            match part {
                StrPart::Text(t) => push_quoted(&mut expr, t),
                StrPart::Hole(h) => expr.push_str(&h.expr),
            }
        }
        expr.push(')');
        Unknown {
            expr: expr.into(),
            reason,
            parts: Some(merged.into()),
        }
    }

    /// The unknown `self.member` (a property read on an unknown object).
    #[must_use]
    pub fn member(&self, path: &str) -> Unknown {
        Unknown::new(format!("{}.{path}", self.expr), self.reason.clone())
    }
}

/// Why a value is [`Unknown`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnknownReason {
    /// A parameter or variable with no default and no value supplied.
    Parameter {
        /// Its name.
        name: Arc<str>,
    },
    /// A function whose result only exists at deployment time (`reference`, `listKeys`,
    /// `utcNow`, `newGuid`) or depends on the target environment (`resourceGroup()`).
    Runtime {
        /// The function.
        function: Arc<str>,
    },
    /// A module or linked template that cannot be read offline (registry, template spec,
    /// remote URL).
    Module {
        /// Where it comes from.
        source: Arc<str>,
    },
    /// A resource that is not declared in the scan (an `existing` resource, a data source).
    External {
        /// What it is.
        what: Arc<str>,
    },
    /// A function isolint does not evaluate.
    Unsupported {
        /// The function.
        function: Arc<str>,
    },
    /// Evaluation failed: a type error, an index out of range, a cycle.
    Invalid {
        /// What went wrong.
        message: Arc<str>,
    },
}

impl fmt::Display for UnknownReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Parameter { name } => write!(f, "parameter `{name}` has no value"),
            Self::Runtime { function } => {
                write!(f, "`{function}()` is only known at deployment time")
            }
            Self::Module { source } => write!(f, "module `{source}` cannot be read offline"),
            Self::External { what } => write!(f, "{what} is not declared in the scanned files"),
            Self::Unsupported { function } => {
                write!(f, "isolint does not evaluate `{function}()`")
            }
            Self::Invalid { message } => write!(f, "{message}"),
        }
    }
}

/// What decided a value besides the text at its span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decider {
    /// A parameter's default value was used.
    ParameterDefault {
        /// The parameter.
        name: Arc<str>,
        /// Where the default is written.
        span: Span,
    },
    /// A parameter's value came from a parameter file (or `.bicepparam`, `.tfvars`, `--var`).
    ParameterValue {
        /// The parameter.
        name: Arc<str>,
        /// Where the value is written, when it is written in a file.
        span: Option<Span>,
    },
    /// A provider supplied a default of its own (azurerm v4 `public_network_access_enabled`).
    ProviderDefault {
        /// A short description: `azurerm 4.x default of public_network_access_enabled`.
        description: Arc<str>,
    },
}

/// The [`Decider`]s behind a value; usually empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance(Option<Arc<[Decider]>>);

impl Provenance {
    /// Provenance with one decider.
    pub fn of(decider: Decider) -> Self {
        Self(Some(Arc::from(vec![decider])))
    }

    /// Whether nothing besides the source text decided the value.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The deciders, oldest first.
    pub fn deciders(&self) -> &[Decider] {
        self.0.as_deref().unwrap_or(&[])
    }

    /// The union of both, without duplicates.
    #[must_use]
    pub fn merge(&self, other: &Provenance) -> Provenance {
        match (&self.0, &other.0) {
            (_, None) => self.clone(),
            (None, _) => other.clone(),
            (Some(a), Some(b)) => {
                if Arc::ptr_eq(a, b) {
                    return self.clone();
                }
                let mut all = a.to_vec();
                for d in b.iter() {
                    if !all.contains(d) {
                        all.push(d.clone());
                    }
                }
                Provenance(Some(all.into()))
            }
        }
    }
}

impl Node {
    /// A node of `kind` at `span` with no provenance.
    pub fn new(kind: NodeKind, span: Span) -> Self {
        Self {
            kind,
            span,
            provenance: Provenance::default(),
            form: Form::Computed,
        }
    }

    /// A node of `kind` written as a literal at `span`: the text there is the value's own.
    pub fn literal(kind: NodeKind, span: Span) -> Self {
        Self {
            form: Form::Literal,
            ..Self::new(kind, span)
        }
    }

    /// The same value, located at `span` (where it is used rather than where it was
    /// written). A literal moved away from its text is no longer one, unless it is a
    /// parameter's default: then it is [`Form::Passed`], and the default is what a fix
    /// rewrites.
    #[must_use]
    pub fn located(mut self, span: Span) -> Self {
        self = self.used_at(span);
        self.span = span;
        self
    }

    /// The same value, yielded by an expression written at `span` (a conditional that
    /// chose it, a function that returned one of its arguments), still located where it was
    /// written: a literal written elsewhere is no longer the text of what decides it, unless
    /// it is a parameter's default ([`Form::Passed`], as [`Node::located`] says).
    #[must_use]
    pub fn used_at(mut self, span: Span) -> Self {
        if span == self.span {
            return self;
        }
        let is_default = |decider: &Decider| matches!(decider, Decider::ParameterDefault { span, .. } if *span == self.span);
        self.form = match self.form {
            Form::Literal if self.provenance.deciders().iter().any(is_default) => Form::Passed,
            Form::Passed => Form::Passed,
            Form::Literal | Form::Computed => Form::Computed,
        };
        self
    }

    /// A string node.
    pub fn string(text: impl Into<Arc<str>>, span: Span) -> Self {
        Self::new(NodeKind::String(text.into()), span)
    }

    /// An unknown node.
    pub fn unknown(unknown: Unknown, span: Span) -> Self {
        Self::new(NodeKind::Unknown(Arc::new(unknown)), span)
    }

    /// An object node.
    pub fn object(object: Object, span: Span) -> Self {
        Self::new(NodeKind::Object(Arc::new(object)), span)
    }

    /// The same node with more provenance.
    #[must_use]
    pub fn with_provenance(mut self, provenance: &Provenance) -> Self {
        self.provenance = self.provenance.merge(provenance);
        self
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one (or a string `true`/`false`, which ARM accepts).
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Bool(b) => Some(*b),
            NodeKind::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            NodeKind::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The integer, if this is one.
    pub fn as_int(&self) -> Option<i64> {
        match &self.kind {
            NodeKind::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match &self.kind {
            NodeKind::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The unknown, if this is one.
    pub fn as_unknown(&self) -> Option<&Arc<Unknown>> {
        match &self.kind {
            NodeKind::Unknown(u) => Some(u),
            _ => None,
        }
    }

    /// Whether this is a string equal to `text`, ignoring ASCII case (ARM enum values
    /// compare case-insensitively).
    pub fn str_eq(&self, text: &str) -> bool {
        self.as_str().is_some_and(|s| s.eq_ignore_ascii_case(text))
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Null)
    }

    /// Looks up a dotted path of object keys (`properties.managedNetwork.isolationMode`).
    ///
    /// `declared_in` are the spans of the declaration(s) the lookup starts from: the
    /// returned [`Prop::span`] is the deepest step of the path written inside them, so a
    /// finding points at the property the user wrote even when its value came from a
    /// parameter or variable declared elsewhere.
    pub fn lookup<'a>(&'a self, path: &str, declared_in: &[Span]) -> Prop<'a> {
        let inside = |span: Span| declared_in.iter().any(|d| d.contains(span));
        let mut current = self;
        let mut written = None;
        let mut provenance = self.provenance.clone();
        let mut keys = path.split('.').filter(|k| !k.is_empty());
        while let Some(key) = keys.next() {
            let rest_of_path = || {
                std::iter::once(key)
                    .chain(keys.clone())
                    .collect::<Vec<_>>()
                    .join(".")
            };
            match &current.kind {
                NodeKind::Object(object) => match object.get(key) {
                    Some(entry) => {
                        if inside(entry.value.span) {
                            written = Some(entry.value.span);
                        } else if inside(entry.key_span) {
                            written = Some(entry.key_span);
                        }
                        provenance = provenance.merge(&entry.value.provenance);
                        current = &entry.value;
                    }
                    None => {
                        // An absent property is reported at the declaration header, not
                        // at the object that lacks it.
                        let (value, span) = match &object.rest {
                            Some(rest) => (
                                Value::Unknown(Arc::new(rest.member(&rest_of_path()))),
                                written,
                            ),
                            None => (Value::Absent, None),
                        };
                        return Prop {
                            value,
                            span,
                            provenance,
                        };
                    }
                },
                NodeKind::Unknown(unknown) => {
                    return Prop {
                        value: Value::Unknown(Arc::new(unknown.member(&rest_of_path()))),
                        span: written,
                        provenance,
                    };
                }
                _ => {
                    return Prop {
                        value: Value::Absent,
                        span: None,
                        provenance,
                    };
                }
            }
        }
        let value = match &current.kind {
            NodeKind::Null => Value::Absent,
            NodeKind::Unknown(unknown) => Value::Unknown(Arc::clone(unknown)),
            _ => Value::Known(current),
        };
        Prop {
            value,
            span: written,
            provenance,
        }
    }

    /// The value in canonical ARM expression syntax: `'text'`, `true()`, `createObject(...)`.
    /// Unknowns render as their symbolic expression, so equal renderings mean equal values.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) {
        match &self.kind {
            NodeKind::Null => out.push_str("null()"),
            NodeKind::Bool(true) => out.push_str("true()"),
            NodeKind::Bool(false) => out.push_str("false()"),
            NodeKind::Int(i) => out.push_str(&i.to_string()),
            NodeKind::Float(x) => {
                out.push_str("json('");
                out.push_str(&x.to_string());
                out.push_str("')");
            }
            NodeKind::String(s) => push_quoted(out, s),
            NodeKind::Array(items) => {
                out.push_str("createArray(");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.render_into(out);
                }
                out.push(')');
            }
            NodeKind::Object(object) => {
                out.push_str("createObject(");
                for (i, entry) in object.entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    push_quoted(out, &entry.key);
                    out.push_str(", ");
                    entry.value.render_into(out);
                }
                out.push(')');
            }
            NodeKind::ResourceId(id) => out.push_str(&id.render_expression()),
            NodeKind::Unknown(unknown) => out.push_str(&unknown.expr),
        }
    }
}

/// Appends `text` as an ARM string literal (`'it''s'`).
pub fn push_quoted(out: &mut String, text: &str) {
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}

/// The three states of a property, as a rule sees it.
#[derive(Clone, Debug)]
pub enum Value<'a> {
    /// Static evaluation settled it.
    Known(&'a Node),
    /// It depends on something only known at deployment.
    Unknown(Arc<Unknown>),
    /// Nothing sets it (or it is `null`): the service default applies.
    Absent,
}

/// The result of looking up a path: the [`Value`], where it was written, and what decided it.
#[derive(Clone, Debug)]
pub struct Prop<'a> {
    /// The value.
    pub value: Value<'a>,
    /// The deepest step of the path written in the declaration, if any.
    pub span: Option<Span>,
    /// Parameter defaults and provider defaults along the path.
    pub provenance: Provenance,
}

impl<'a> Prop<'a> {
    /// Where a finding about this property points: where it was written, else `header`.
    pub fn span_or(&self, header: Span) -> Span {
        self.span.unwrap_or(header)
    }

    /// The known node, if any.
    pub fn known(&self) -> Option<&'a Node> {
        match self.value {
            Value::Known(node) => Some(node),
            _ => None,
        }
    }

    /// Whether the value is a string equal to `text`, ignoring case.
    pub fn is(&self, text: &str) -> bool {
        self.known().is_some_and(|n| n.str_eq(text))
    }

    /// The unknown, if the value is unknown.
    pub fn unknown(&self) -> Option<&Arc<Unknown>> {
        match &self.value {
            Value::Unknown(u) => Some(u),
            _ => None,
        }
    }

    /// Whether nothing sets the value.
    pub fn is_absent(&self) -> bool {
        matches!(self.value, Value::Absent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn span(start: usize, end: usize) -> Span {
        Span::new(FileId(0), start, end)
    }

    fn entry(key: &str, at: usize, value: Node) -> Entry {
        Entry {
            key: key.into(),
            key_span: span(at, at + key.len()),
            value,
        }
    }

    fn object(entries: Vec<Entry>, at: Span) -> Node {
        Node::object(
            Object {
                entries,
                rest: None,
            },
            at,
        )
    }

    #[test]
    fn lookup_is_case_insensitive_and_tri_state() {
        let pna = Node::string("Disabled", span(30, 40));
        let props = object(vec![entry("publicNetworkAccess", 10, pna)], span(5, 50));
        let body = object(vec![entry("properties", 1, props)], span(0, 60));
        let decl = [span(0, 60)];

        let found = body.lookup("PROPERTIES.publicnetworkaccess", &decl);
        assert!(found.is("disabled"));
        assert_eq!(found.span, Some(span(30, 40)));

        let absent = body.lookup(crate::paths::ISOLATION_MODE, &decl);
        assert!(absent.is_absent());
        assert_eq!(absent.span, None, "absent properties point at the header");
    }

    #[test]
    fn lookup_through_unknown_stays_unknown_and_keeps_its_expression() {
        let unknown = Node::unknown(
            Unknown::new(
                "parameters('managedNetwork')",
                UnknownReason::Parameter {
                    name: "managedNetwork".into(),
                },
            ),
            span(20, 50),
        );
        let props = object(vec![entry("managedNetwork", 5, unknown)], span(0, 60));
        let found = props.lookup("managedNetwork.isolationMode", &[span(0, 60)]);
        let Value::Unknown(u) = found.value else {
            panic!("expected unknown")
        };
        assert_eq!(&*u.expr, "parameters('managedNetwork').isolationMode");
    }

    #[test]
    fn values_from_elsewhere_point_at_the_property_that_uses_them() {
        // The value was declared at 100..110 (a parameter default), outside the resource.
        let default = Node::string("Enabled", span(100, 110)).with_provenance(&Provenance::of(
            Decider::ParameterDefault {
                name: "pna".into(),
                span: span(100, 110),
            },
        ));
        let props = object(vec![entry("publicNetworkAccess", 10, default)], span(5, 50));
        let found = props.lookup("publicNetworkAccess", &[span(0, 60)]);
        assert_eq!(found.span, Some(span(10, 29)));
        assert_eq!(found.provenance.deciders().len(), 1);
    }

    #[test]
    fn null_reads_as_absent_but_keeps_its_location() {
        let props = object(
            vec![entry(
                "containerRegistry",
                10,
                Node::new(NodeKind::Null, span(30, 34)),
            )],
            span(0, 60),
        );
        let found = props.lookup("containerRegistry", &[span(0, 60)]);
        assert!(found.is_absent());
        assert_eq!(found.span, Some(span(30, 34)));
    }

    #[test]
    fn open_objects_answer_unknown_for_missing_keys() {
        let node = Node::object(
            Object {
                entries: vec![],
                rest: Some(Arc::new(Unknown::new(
                    "reference('st')",
                    UnknownReason::Runtime {
                        function: "reference".into(),
                    },
                ))),
            },
            span(0, 10),
        );
        let found = node.lookup("primaryEndpoints.blob", &[]);
        assert_eq!(
            &*found.unknown().unwrap().expr,
            "reference('st').primaryEndpoints.blob"
        );
    }

    #[test]
    fn a_literal_moved_away_from_its_text_is_one_only_as_a_parameter_default() {
        let literal = Node::literal(NodeKind::String("Enabled".into()), span(100, 109));
        assert_eq!(literal.clone().located(span(100, 109)).form, Form::Literal);
        assert_eq!(literal.clone().located(span(10, 30)).form, Form::Computed);
        let default = literal.with_provenance(&Provenance::of(Decider::ParameterDefault {
            name: "access".into(),
            span: span(100, 109),
        }));
        let used = default.located(span(10, 30));
        assert_eq!(used.form, Form::Passed);
        assert_eq!(used.located(span(40, 50)).form, Form::Passed);
        let computed = Node::string("Enabled", span(100, 109));
        assert_eq!(computed.located(span(10, 30)).form, Form::Computed);
    }

    #[test]
    fn render_is_canonical() {
        let node = object(
            vec![
                entry("a", 0, Node::string("it's", span(0, 1))),
                entry("b", 0, Node::new(NodeKind::Bool(true), span(0, 1))),
            ],
            span(0, 1),
        );
        assert_eq!(node.render(), "createObject('a', 'it''s', 'b', true())");
    }
}
