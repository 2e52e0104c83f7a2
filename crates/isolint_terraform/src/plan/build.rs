//! A planned resource's values as the lowering reads them: a Terraform-shaped object built
//! from `planned_values`, `after_unknown` and the configuration.
//!
//! - A known value keeps its span in the plan: an attribute of the resource or of one of
//!   its blocks spans `"name": value`, anything inside a value spans the value.
//! - A leaf the plan leaves unknown is left out when the configuration does not set it
//!   (so that the provider's default applies, as in `.tf`); set by a reference that leads
//!   to a resource's `id`, it is that resource's ID; otherwise it is unknown, named by the
//!   address and path (`azurerm_x.y.block[0].attr`), because the plan leaves it unknown
//!   until apply.
//! - A scalar the provider sets (the configuration does not) carries a
//!   [`Decider::ProviderDefault`] that says so.
//! - In a module, a value a root module call's argument decided (found by following the
//!   module's variables, see `refs`) is located at that argument, with the place inside
//!   the module as a [`Decider::ParameterValue`] label; one a module variable's default
//!   decided carries a [`Decider::ParameterDefault`].

use std::sync::Arc;

use isolint_json::{Json, JsonKind};
use isolint_model::{
    Decider, Entry, Node, NodeKind, Object, Provenance, Span, Unknown, UnknownReason,
};

use crate::eval::NodeExt as _;

use super::refs::{Source, field, matching, references};
use super::{Planned, Reader, member_span};

/// What the configuration says about a value.
#[derive(Clone, Copy, Debug)]
enum Config<'j> {
    /// The plan has no configuration for it (a plan without `configuration`).
    Unseen,
    /// The configuration does not set it.
    Unset,
    /// An expression sets it, and everything in it.
    Expression(&'j Json),
    /// A block sets it: its arguments by name (`None`: it has none).
    Block(Option<&'j Json>),
    /// A list (or set) of blocks, by position.
    Blocks(&'j [Json]),
}

impl<'j> Config<'j> {
    /// What one argument of the configuration is.
    fn of(json: &'j Json) -> Self {
        match &json.kind {
            JsonKind::Array(items) => Config::Blocks(items),
            JsonKind::Object(members)
                if !members.is_empty()
                    && members
                        .iter()
                        .all(|m| matches!(&*m.key, "references" | "constant_value")) =>
            {
                Config::Expression(json)
            }
            JsonKind::Object(_) => Config::Block(Some(json)),
            _ => Config::Expression(json),
        }
    }

    /// The configuration of member `key`.
    fn at_key(self, key: &str) -> Self {
        match self {
            Config::Unseen | Config::Unset | Config::Expression(_) => self,
            Config::Block(None) | Config::Blocks(_) => Config::Unset,
            Config::Block(Some(arguments)) => {
                field(arguments, key).map_or(Config::Unset, Config::of)
            }
        }
    }

    /// The configuration of element `index`.
    fn at_index(self, index: usize) -> Self {
        match self {
            Config::Blocks(items) => {
                items
                    .get(index)
                    .map_or(Config::Unset, |item| match item.kind {
                        JsonKind::Object(_) => Config::Block(Some(item)),
                        _ => Config::of(item),
                    })
            }
            _ => self,
        }
    }
}

/// One step from the resource to the value being built.
#[derive(Clone, Copy, Debug)]
enum PathStep<'j> {
    Key(&'j str),
    Index(usize),
}

/// What the module's variables may say about a value being built (in a module).
#[derive(Clone, Copy, Debug, Default)]
struct Hints<'a, 'j> {
    /// The variables that may have decided it, matched by name with its keys.
    candidates: Option<&'a [&'j str]>,
    /// The variable an enclosing key matched: what an unknown below links through.
    variable: Option<&'j str>,
    /// Whether the configuration's expression starts at this value (an argument written
    /// as one expression), rather than above it.
    whole: bool,
}

/// Builds the values of one planned resource.
pub(crate) struct Builder<'r, 'j> {
    reader: &'r Reader<'j>,
    index: usize,
    planned: &'r Planned<'j>,
    /// Whether the resource is in a module: its values may have been decided by a root
    /// module call's arguments.
    in_module: bool,
    /// Where the value being built is, from the resource.
    path: Vec<PathStep<'j>>,
}

impl<'r, 'j> Builder<'r, 'j> {
    /// A builder for planned resource `index`.
    pub(crate) fn new(reader: &'r Reader<'j>, index: usize) -> Self {
        let planned = &reader.planned[index];
        Self {
            reader,
            index,
            planned,
            in_module: planned.module != 0,
            path: Vec::new(),
        }
    }

    /// The configuration of the resource's arguments.
    fn arguments(&self) -> Config<'j> {
        match self.planned.config {
            Some(config) => Config::Block(config.get("expressions")),
            None => Config::Unseen,
        }
    }

    /// All the resource's values, as an object spanning its `planned_values` object.
    pub(crate) fn resource(mut self) -> Node {
        let (values, unknown, config) =
            (self.planned.values, self.planned.unknown, self.arguments());
        let span = self.planned.object.span;
        self.value(values, unknown, config, span, Hints::default())
            .filter(|node| node.as_object().is_some())
            .unwrap_or_else(|| Node::object(Object::default(), span))
    }

    /// One attribute of the resource (for its ID: `name`, `type`, the parent's).
    pub(crate) fn attribute(mut self, name: &str) -> Option<Node> {
        let member = self
            .planned
            .values
            .and_then(|v| v.members())
            .and_then(|members| members.iter().find(|m| &*m.key == name));
        let unknown = self.planned.unknown.and_then(|u| field(u, name));
        let config = self.arguments().at_key(name);
        let span = member.map_or(self.planned.object.span, member_span);
        let key: &'j str = match member {
            Some(member) => &member.key,
            None => self
                .planned
                .unknown
                .and_then(|u| u.members())
                .and_then(|members| members.iter().find(|m| &*m.key == name))
                .map(|m| &*m.key)?,
        };
        self.path.push(PathStep::Key(key));
        self.value(
            member.map(|m| &m.value),
            unknown,
            config,
            span,
            Hints::default(),
        )
    }

    /// The value at the current path: `value` as planned, `unknown` its `after_unknown`
    /// mirror, `config` what the configuration says of it, `span` where it is written,
    /// `hints` what the module's variables may say of it. `None` when it is absent (not
    /// planned, or unknown and not configured).
    fn value(
        &mut self,
        value: Option<&'j Json>,
        unknown: Option<&'j Json>,
        config: Config<'j>,
        span: Span,
        hints: Hints<'_, 'j>,
    ) -> Option<Node> {
        if let Some(marker) = unknown.filter(|u| matches!(u.kind, JsonKind::Bool(true))) {
            return match config {
                Config::Unset => None,
                Config::Expression(expression) => Some(self.configured(expression, hints.variable)),
                Config::Unseen | Config::Block(_) | Config::Blocks(_) => {
                    Some(self.unknown(marker.span, None))
                }
            };
        }
        let node = match (value.map(|v| &v.kind), unknown.map(|u| &u.kind)) {
            (Some(JsonKind::Object(_)), _) | (None, Some(JsonKind::Object(_))) => {
                self.object(value, unknown, config, span, hints)
            }
            (Some(JsonKind::Array(items)), _) => self.array(items, unknown, config, span, hints),
            (Some(_), _) => isolint_json::to_node(value?, None).with_span(span),
            (None, _) => return None,
        };
        Some(node)
    }

    fn object(
        &mut self,
        value: Option<&'j Json>,
        unknown: Option<&'j Json>,
        config: Config<'j>,
        span: Span,
        hints: Hints<'_, 'j>,
    ) -> Node {
        // A resource's or block's attributes span `"name": value`, as HCL attributes do.
        let block_level = matches!(config, Config::Block(_)) || self.path.is_empty();
        let members = value.and_then(Json::members).unwrap_or_default();
        let mut entries = Vec::with_capacity(members.len());
        for member in members {
            let at = if block_level {
                member_span(member)
            } else {
                member.value.span
            };
            let child_unknown = unknown.and_then(|u| field(u, &member.key));
            if let Some(node) = self.member(
                &member.key,
                Some(&member.value),
                child_unknown,
                config,
                at,
                hints,
            ) {
                entries.push(Entry {
                    key: Arc::clone(&member.key),
                    key_span: member.key_span,
                    value: node,
                });
            }
        }
        // Members the plan leaves unknown are not among the values.
        for marker in unknown.and_then(Json::members).unwrap_or_default() {
            if members.iter().any(|m| m.key == marker.key) {
                continue;
            }
            if let Some(node) = self.member(
                &marker.key,
                None,
                Some(&marker.value),
                config,
                marker.value.span,
                hints,
            ) {
                entries.push(Entry {
                    key: Arc::clone(&marker.key),
                    key_span: node.span,
                    value: node,
                });
            }
        }
        Node::object(
            Object {
                entries,
                rest: None,
            },
            span,
        )
    }

    /// Member `key` of an object whose configuration is `parent`: its value, with what
    /// the configuration and the module's variables say about it.
    fn member(
        &mut self,
        key: &'j str,
        value: Option<&'j Json>,
        unknown: Option<&'j Json>,
        parent: Config<'j>,
        span: Span,
        hints: Hints<'_, 'j>,
    ) -> Option<Node> {
        let config = parent.at_key(key);
        // Entering an expression from a block: the variables it may take its value from.
        let entered = match (parent, config) {
            (Config::Block(_), Config::Expression(expression)) if self.in_module => {
                Some(self.reader.candidates(self.planned.module, expression))
            }
            _ => None,
        };
        let candidates: Option<&[&'j str]> = match &entered {
            Some(entered) => Some(&entered.names),
            None => hints.candidates,
        };
        let chosen = match (&entered, candidates) {
            (Some(entered), _) => entered.pick(key),
            (None, Some(candidates)) => matching(key, candidates),
            (None, None) => None,
        };
        let decided = chosen.and_then(|name| self.source(name));
        let below = Hints {
            candidates: if chosen.is_some() { None } else { candidates },
            variable: chosen.or(hints.variable),
            whole: matches!((parent, config), (Config::Block(_), Config::Expression(_))),
        };
        self.path.push(PathStep::Key(key));
        let node = self.value(value, unknown, config, span, below);
        let node = node.map(|node| match &decided {
            Some(source) => decide(node, source),
            None if matches!(parent, Config::Block(_))
                && matches!(config, Config::Unset)
                && matches!(
                    node.kind,
                    NodeKind::Bool(_) | NodeKind::Int(_) | NodeKind::Float(_) | NodeKind::String(_)
                ) =>
            {
                let description = format!(
                    "the provider's value for `{}`, which the configuration does not set",
                    self.dotted()
                );
                node.with_provenance(&Provenance::of(Decider::ProviderDefault {
                    description: description.into(),
                }))
            }
            None => node,
        });
        self.path.pop();
        node
    }

    fn array(
        &mut self,
        items: &'j [Json],
        unknown: Option<&'j Json>,
        config: Config<'j>,
        span: Span,
        hints: Hints<'_, 'j>,
    ) -> Node {
        let markers = unknown.and_then(Json::as_array).unwrap_or_default();
        let len = items.len().max(markers.len());
        let elements = hints
            .whole
            .then(|| self.elements(config, len))
            .flatten()
            .unwrap_or_default();
        let hints = Hints {
            whole: false,
            ..hints
        };
        let mut nodes = Vec::with_capacity(len);
        for index in 0..len {
            let item = items.get(index);
            let marker = markers.get(index);
            self.path.push(PathStep::Index(index));
            let at = item.or(marker).map_or(span, |j| j.span);
            let unknown = marker.is_some_and(|m| matches!(m.kind, JsonKind::Bool(true)));
            let node = match elements.get(index) {
                Some(id) if unknown => Node::new(NodeKind::ResourceId(Arc::new(id.clone())), at),
                _ => self
                    .value(item, marker, config.at_index(index), at, hints)
                    // An element cannot be left out without moving the others.
                    .unwrap_or_else(|| self.unknown(at, None)),
            };
            self.path.pop();
            nodes.push(node);
        }
        Node::new(NodeKind::Array(nodes.into()), span)
    }

    /// For a list written as one expression (`[azurerm_x.a.id, azurerm_x.b.id]`): the
    /// resources its references lead to, in order, when there are as many as elements,
    /// element `i` being the `i`-th (a plan lists references in the order written).
    fn elements(&self, config: Config<'j>, len: usize) -> Option<Vec<isolint_model::ResourceId>> {
        let Config::Expression(expression) = config else {
            return None;
        };
        let own_key = self.reader.own_key(self.index);
        let mut ids: Vec<isolint_model::ResourceId> = Vec::new();
        for reference in references(expression) {
            if let Some(id) = self
                .reader
                .resolve_id(self.planned.module, reference, own_key, 0)
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
        (ids.len() == len).then_some(ids)
    }

    /// A value the plan leaves unknown and the configuration sets with `expression`: the
    /// ID of the resource `variable` (the module variable its name matches), or else
    /// every reference of the expression, leads to; else unknown.
    fn configured(&self, expression: &'j Json, variable: Option<&'j str>) -> Node {
        let module = self.planned.module;
        let own_key = self.reader.own_key(self.index);
        let id = match variable {
            Some(variable) => {
                self.reader
                    .resolve_id(module, &format!("var.{variable}"), own_key, 0)
            }
            None => {
                let mut ids = references(expression)
                    .filter_map(|r| self.reader.resolve_id(module, r, own_key, 0));
                let first = ids.next();
                first.filter(|first| ids.all(|other| other == *first))
            }
        };
        match id {
            Some(id) => Node::new(NodeKind::ResourceId(Arc::new(id)), expression.span),
            None => self.unknown(expression.span, references(expression).next()),
        }
    }

    /// An unknown at the current path, which the plan leaves unknown until apply; `from`
    /// is what the configuration sets it from, if it says.
    fn unknown(&self, span: Span, from: Option<&str>) -> Node {
        let mut message = String::from("the plan leaves it unknown until apply");
        if let Some(from) = from {
            message.push_str(&format!(
                " (it comes from `{}{from}`)",
                self.reader.modules[self.planned.module].prefix()
            ));
        }
        let mut expr = String::from(self.planned.address);
        for step in &self.path {
            match step {
                PathStep::Key(key) => {
                    expr.push('.');
                    expr.push_str(key);
                }
                PathStep::Index(index) => expr.push_str(&format!("[{index}]")),
            }
        }
        Node::unknown(
            Unknown::new(
                expr,
                UnknownReason::Invalid {
                    message: message.into(),
                },
            ),
            span,
        )
    }

    /// The current path as dotted keys (`network_rules.default_action`).
    fn dotted(&self) -> String {
        let keys: Vec<&str> = self
            .path
            .iter()
            .filter_map(|step| match step {
                PathStep::Key(key) => Some(*key),
                PathStep::Index(_) => None,
            })
            .collect();
        keys.join(".")
    }

    /// Where variable `name` of the resource's module was decided.
    fn source(&self, name: &str) -> Option<Source> {
        self.reader.variable_source(self.planned.module, name)
    }
}

/// `node` as decided by `source`: located at the root module call's argument, the place
/// inside the module a label; or carrying the module variable's default.
fn decide(node: Node, source: &Source) -> Node {
    match source {
        Source::Argument { name, span } => {
            let inside = node.span;
            let mut node = node.with_provenance(&Provenance::of(Decider::ParameterValue {
                name: Arc::clone(name),
                span: Some(inside),
            }));
            node.span = *span;
            node
        }
        Source::Default { name, span } => {
            node.with_provenance(&Provenance::of(Decider::ParameterDefault {
                name: Arc::clone(name),
                span: *span,
            }))
        }
    }
}
