//! Lowering: Terraform resources into model [`Resource`]s with the mapping table.
//!
//! One lowering, [`lower_evaluated`], takes a resource instance whose attributes are
//! already values ([`Evaluated`]: a Terraform-shaped object, its symbolic [`ResourceId`]
//! from [`instance_id`], its origin) and rewrites it onto ARM paths by its [`Mapping`] row
//! (or, for azapi, takes its `body`), provider defaults materialized. Two readers feed it:
//! - the HCL evaluator, here: a declaration's block is evaluated into that object
//!   (attributes, nested and `dynamic` blocks), expanded per loop instance when its
//!   `count` or `for_each` is known and small;
//! - the plan reader (`crate::plan`), from the values a `terraform show -json` plan gives.

use std::sync::Arc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use isolint_model::types::{ML_OUTBOUND_RULE, PRIVATE_DNS_ZONE_GROUP};
use isolint_model::{
    Condition, Decider, Entry, FileId, Form, NamePart, Node, NodeKind, Object, Origin, Provenance,
    Resource, ResourceId, Span, Syntax, Unknown, UnknownReason, Vocabulary,
};

use crate::eval::{
    Bindings, Instance, NodeExt as _, count_binds, each_binds, each_pairs, iteration,
};
use crate::mapping::{
    Conv, DNS_ZONE_GROUP, DNS_ZONE_GROUP_NAME, DNS_ZONE_IDS, Lit, MANUAL_CONNECTION, Mapping,
    SERVICE_CONNECTION, SERVICE_CONNECTION_ATTRS, Special, is_azapi, mapping,
};
use crate::read::{Declaration, span_of};

/// The bindings of one loop instance (`each` or `count`).
pub(crate) type Binding = Vec<(Arc<str>, Node)>;

/// The most loop instances expanded; a larger loop is lowered once, symbolically.
const MAX_INSTANCES: usize = 100;

/// A builder of the ARM body: nested objects by dotted path.
#[derive(Default)]
struct Tree {
    entries: Vec<(Arc<str>, Span, Branch)>,
}

enum Branch {
    Leaf(Node),
    Tree(Tree, Span),
}

impl Tree {
    fn set(&mut self, path: &str, key_span: Span, value: Node, container: Span) {
        let (head, rest) = match path.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (path, None),
        };
        let index = self
            .entries
            .iter()
            .position(|(k, _, _)| k.eq_ignore_ascii_case(head));
        match rest {
            None => {
                let entry = (Arc::from(head), key_span, Branch::Leaf(value));
                match index {
                    Some(i) => self.entries[i] = entry,
                    None => self.entries.push(entry),
                }
            }
            Some(rest) => {
                let i = match index {
                    Some(i) if matches!(self.entries[i].2, Branch::Tree(..)) => i,
                    Some(i) => {
                        self.entries[i].2 = Branch::Tree(Tree::default(), container);
                        i
                    }
                    None => {
                        self.entries.push((
                            Arc::from(head),
                            container,
                            Branch::Tree(Tree::default(), container),
                        ));
                        self.entries.len() - 1
                    }
                };
                if let Branch::Tree(tree, _) = &mut self.entries[i].2 {
                    tree.set(rest, key_span, value, container);
                }
            }
        }
    }

    fn has(&self, path: &str) -> bool {
        let (head, rest) = match path.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (path, None),
        };
        self.entries.iter().any(|(k, _, b)| {
            k.eq_ignore_ascii_case(head)
                && match (rest, b) {
                    (None, _) => true,
                    (Some(rest), Branch::Tree(t, _)) => t.has(rest),
                    (Some(_), Branch::Leaf(_)) => false,
                }
        })
    }

    fn build(self, span: Span) -> Node {
        let entries = self
            .entries
            .into_iter()
            .map(|(key, key_span, branch)| Entry {
                key,
                key_span,
                value: match branch {
                    Branch::Leaf(node) => node,
                    Branch::Tree(tree, span) => tree.build(span),
                },
            })
            .collect();
        Node::object(
            Object {
                entries,
                rest: None,
            },
            span,
        )
    }
}

/// The Terraform value at a dotted path of an evaluated block (`network_rules.default_action`:
/// the first `network_rules` block's attribute).
fn tf_get<'n>(object: &'n Node, path: &str) -> Option<&'n Node> {
    let mut current = object;
    for key in path.split('.') {
        let mut node = current.as_object()?.value(key)?;
        if let Some(items) = node.as_array()
            && key != path.rsplit('.').next().unwrap_or_default()
        {
            node = items.first()?;
        }
        current = node;
    }
    Some(current)
}

/// A scalar as HCL writes it (`true`, `"Enabled"`), for messages.
fn hcl_literal(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::String(s) => Some(format!("{s:?}")),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The span of the whole attribute at a dotted path of an evaluated block (`key = value`),
/// as [`tf_get`] finds it.
fn attribute_span(object: &Node, path: &str) -> Option<Span> {
    let (parent, last) = match path.rsplit_once('.') {
        Some((parent, last)) => (tf_get(object, parent)?, last),
        None => (object, path),
    };
    let parent = match parent.as_array() {
        Some(items) => items.first()?,
        None => parent,
    };
    parent.as_object()?.get(last).map(|entry| entry.key_span)
}

/// A literal as a node.
fn lit(value: Lit, span: Span) -> Node {
    match value {
        Lit::Str(s) => Node::string(s, span),
        Lit::Bool(b) => Node::new(NodeKind::Bool(b), span),
    }
}

/// Applies a conversion. The value keeps its span and [`Form`]: a literal `true` converted
/// to `Enabled` is still the literal a fix rewrites (with [`Vocabulary::value`]).
fn convert(conv: Conv, value: &Node) -> Node {
    let kind = match conv {
        Conv::Copy => return value.clone(),
        Conv::EnabledDisabled => match value.as_bool() {
            Some(true) => NodeKind::String("Enabled".into()),
            Some(false) => NodeKind::String("Disabled".into()),
            None => return value.clone(),
        },
        Conv::Not => match value.as_bool() {
            Some(b) => NodeKind::Bool(!b),
            None => return value.clone(),
        },
        Conv::Present(text) => {
            return Node::new(NodeKind::String(text.into()), value.span)
                .with_provenance(&value.provenance);
        }
    };
    Node {
        kind,
        ..value.clone()
    }
}

/// [`convert`] backwards: how an azurerm resource writes an ARM value, for messages and
/// fixes in the file's own terms.
impl Vocabulary for Mapping {
    fn attribute(&self, path: &str) -> Option<&'static str> {
        self.row(path).map(|(attribute, _, _)| *attribute)
    }

    fn value(&self, path: &str, value: &Node) -> Option<Node> {
        let (_, _, conv) = self.row(path)?;
        let kind = match conv {
            Conv::Copy => return Some(value.clone()),
            Conv::EnabledDisabled if value.str_eq("Enabled") => NodeKind::Bool(true),
            Conv::EnabledDisabled if value.str_eq("Disabled") => NodeKind::Bool(false),
            Conv::Not => NodeKind::Bool(!value.as_bool()?),
            Conv::EnabledDisabled | Conv::Present(_) => return None,
        };
        Some(Node {
            kind,
            ..value.clone()
        })
    }
}

/// A resource ID name segment from an evaluated name.
pub(crate) fn name_part(node: &Node) -> NamePart {
    match &node.kind {
        NodeKind::String(s) => NamePart::Known(Arc::clone(s)),
        NodeKind::Unknown(u) => NamePart::Symbolic(Arc::clone(&u.expr)),
        _ => NamePart::Symbolic(node.render().into()),
    }
}

/// The parent ID a reference value names.
fn id_of(node: &Node) -> Option<ResourceId> {
    match &node.kind {
        NodeKind::ResourceId(id) => Some((**id).clone()),
        NodeKind::String(s) => ResourceId::parse(s),
        _ => None,
    }
}

impl Instance<'_> {
    /// Evaluates a block body into a Terraform-shaped object: attributes as entries spanning
    /// the attribute, nested blocks (and `dynamic` blocks) as arrays of objects.
    pub(crate) fn eval_body(
        &self,
        body: &Body,
        file: FileId,
        binds: &Bindings,
        depth: usize,
    ) -> Object {
        let mut out = Object::default();
        if depth > 16 {
            return out;
        }
        for attr in body.attributes() {
            if matches!(
                attr.key.as_str(),
                "count" | "for_each" | "depends_on" | "provider"
            ) {
                continue;
            }
            let span = span_of(file, attr);
            // A literal written here keeps its own span, so that a fix can rewrite it (and a
            // finding points at it, as it does in Bicep and ARM); any other value is located
            // at the attribute that uses it.
            let value = self.eval(&attr.value, file, binds);
            let value = if value.form == Form::Literal && span.contains(value.span) {
                value
            } else {
                value.located(span)
            };
            out.entries.push(Entry {
                key: attr.key.as_str().into(),
                // The whole attribute, where findings point when its value comes from
                // elsewhere.
                key_span: span,
                value,
            });
        }
        for block in body.blocks() {
            let ident = block.ident.as_str();
            if matches!(
                ident,
                "lifecycle" | "timeouts" | "provisioner" | "connection"
            ) {
                continue;
            }
            let span = span_of(file, block);
            let (key, items): (&str, Vec<Node>) = if ident == "dynamic" {
                let Some(label) = block
                    .labels
                    .first()
                    .map(hcl_edit::structure::BlockLabel::as_str)
                else {
                    continue;
                };
                let Some(content) = block.body.get_blocks("content").next() else {
                    continue;
                };
                let iterator = block
                    .body
                    .get_attribute("iterator")
                    .and_then(|a| match &a.value {
                        Expression::Variable(v) => Some(v.as_str().to_owned()),
                        _ => None,
                    })
                    .unwrap_or_else(|| label.to_owned());
                let collection = block
                    .body
                    .get_attribute("for_each")
                    .map(|a| self.eval(&a.value, file, binds));
                let elements: Vec<Node> = match collection.as_ref().map(|c| &c.kind) {
                    Some(NodeKind::Array(items)) if items.len() <= 1000 => items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| iteration(&i.to_string(), v.clone(), span))
                        .collect(),
                    Some(NodeKind::Object(o)) if o.rest.is_none() && o.entries.len() <= 1000 => o
                        .entries
                        .iter()
                        .map(|e| iteration(&e.key, e.value.clone(), span))
                        .collect(),
                    _ => vec![crate::eval::unknown(
                        iterator.clone(),
                        UnknownReason::Runtime {
                            function: "dynamic".into(),
                        },
                        span,
                    )],
                };
                let items = elements
                    .into_iter()
                    .map(|element| {
                        let mut inner = binds.to_vec();
                        inner.push((iterator.as_str().into(), element));
                        Node::object(self.eval_body(&content.body, file, &inner, depth + 1), span)
                    })
                    .collect();
                (label, items)
            } else {
                (
                    ident,
                    vec![Node::object(
                        self.eval_body(&block.body, file, binds, depth + 1),
                        span,
                    )],
                )
            };
            match out.entries.iter_mut().find(|e| &*e.key == key) {
                Some(entry) => {
                    let mut all: Vec<Node> = entry.value.as_array().unwrap_or_default().to_vec();
                    all.extend(items);
                    entry.value = Node::new(NodeKind::Array(all.into()), entry.value.span);
                }
                None => out.entries.push(Entry {
                    key: key.into(),
                    key_span: span,
                    value: Node::new(NodeKind::Array(items.into()), span),
                }),
            }
        }
        out
    }

    /// The symbolic ID of a declared resource (of the loop instance `instance`, bound by
    /// `binds`), when its type is mapped.
    pub(crate) fn resource_id(
        &self,
        decl: &Declaration,
        instance: &str,
        binds: &Bindings,
    ) -> Option<ResourceId> {
        let key = format!("id:{}.{}[{instance}]", decl.ty, decl.name);
        let node = self.guarded(&key, decl.header, || {
            match self
                .compute_id(decl, binds)
                .map(|id| self.distinct(decl, instance, id))
            {
                Some(id) => Node::new(NodeKind::ResourceId(Arc::new(id)), decl.header),
                None => Node::new(NodeKind::Null, decl.header),
            }
        });
        match node.kind {
            NodeKind::ResourceId(id) => Some((*id).clone()),
            _ => None,
        }
    }

    /// Two Terraform declarations are two resources even when they give the same Azure
    /// name (test fixtures do): a later declaration whose ID equals an earlier one's gets
    /// its Terraform address as its last name segment, so that they are not merged.
    fn distinct(&self, decl: &Declaration, instance: &str, id: ResourceId) -> ResourceId {
        if !instance.is_empty() {
            return id;
        }
        let Some(key) = self.same_name_key(decl) else {
            return id;
        };
        let first = self.first_with_name().get(&key).copied();
        if first.is_none_or(|first| first == decl.header) {
            return id;
        }
        let mut id = id;
        if let Some(last) = id.names.last_mut() {
            *last =
                NamePart::Symbolic(format!("{}{}.{}", self.prefix(), decl.ty, decl.name).into());
        }
        id
    }

    /// What makes two declarations name the same Azure resource, syntactically: the type,
    /// the name as written and the parent as written. `None` for loops and updates.
    fn same_name_key(&self, decl: &Declaration) -> Option<String> {
        let body = &decl.block.body;
        let updates = mapping(&decl.ty).is_some_and(|m| m.update);
        if updates
            || decl.ty == "azapi_update_resource"
            || body.has_attribute("count")
            || body.has_attribute("for_each")
        {
            return None;
        }
        let text = |name: &str| {
            body.get_attribute(name)
                .map(|a| {
                    self.ctx
                        .text(span_of(decl.file, &a.value))
                        .to_ascii_lowercase()
                })
                .unwrap_or_default()
        };
        let parent = mapping(&decl.ty)
            .and_then(|m| m.parent)
            .unwrap_or("parent_id");
        Some(format!(
            "{}\n{}\n{}\n{}",
            decl.ty,
            text("name"),
            text(parent),
            text("type")
        ))
    }

    /// For each [`Self::same_name_key`], the first declaration that has it.
    fn first_with_name(&self) -> &rustc_hash::FxHashMap<String, Span> {
        self.first_names.get_or_init(|| {
            let mut first = rustc_hash::FxHashMap::default();
            for decl in &self.module.resources {
                if let Some(key) = self.same_name_key(decl) {
                    first.entry(key).or_insert(decl.header);
                }
            }
            first
        })
    }

    fn attribute(&self, decl: &Declaration, name: &str, binds: &Bindings) -> Option<Node> {
        decl.block
            .body
            .get_attribute(name)
            .map(|a| self.eval(&a.value, decl.file, binds))
    }

    /// The loop instances of a declaration whose `count` or `for_each` is known and small:
    /// each instance's key and the bindings of `count.index` or `each.key`/`each.value`.
    /// `None` for a declaration without a loop or with one that cannot be expanded.
    pub(crate) fn instances(&self, decl: &Declaration) -> Option<Vec<(String, Binding)>> {
        let span = decl.header;
        if let Some(count) = decl.block.body.get_attribute("count") {
            let n = self.eval(&count.value, decl.file, &[]).as_int()?;
            let n = usize::try_from(n).ok().filter(|n| *n <= MAX_INSTANCES)?;
            return Some(
                (0..n)
                    .map(|i| (i.to_string(), count_binds(i, span)))
                    .collect(),
            );
        }
        let each = decl.block.body.get_attribute("for_each")?;
        let collection = self.eval(&each.value, decl.file, &[]);
        let pairs = each_pairs(&collection, MAX_INSTANCES)?;
        Some(
            pairs
                .into_iter()
                .map(|(key, value)| {
                    let binds = each_binds(&key, value, span);
                    (key, binds)
                })
                .collect(),
        )
    }

    /// The bindings of instance `key` of a looped declaration.
    pub(crate) fn instance_binds(
        &self,
        decl: &Declaration,
        key: &str,
    ) -> Option<Vec<(Arc<str>, Node)>> {
        self.instances(decl)?
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, binds)| binds)
    }

    fn compute_id(&self, decl: &Declaration, binds: &Bindings) -> Option<ResourceId> {
        declared_id(&decl.ty, |name| self.attribute(decl, name, binds))
    }

    /// The model resources of one declaration (none for unmapped types): one per loop
    /// instance when the loop is known and small, else one for the whole declaration.
    pub(crate) fn lower(&self, decl: &Declaration) -> Vec<Resource> {
        if mapping(&decl.ty).is_none() && !is_azapi(&decl.ty) {
            return Vec::new();
        }
        let Some((condition, looped)) = self.loop_of(decl) else {
            return Vec::new();
        };
        let instances = self
            .instances(decl)
            .unwrap_or_else(|| vec![(String::new(), Vec::new())]);
        instances
            .into_iter()
            .flat_map(|(key, binds)| self.lower_instance(decl, &key, &binds, &condition, looped))
            .collect()
    }

    /// Evaluates one loop instance of a declaration and hands it to [`lower_evaluated`].
    fn lower_instance(
        &self,
        decl: &Declaration,
        key: &str,
        binds: &Bindings,
        condition: &Condition,
        looped: bool,
    ) -> Vec<Resource> {
        let azapi = is_azapi(&decl.ty);
        let mut values = self.eval_body(&decl.block.body, decl.file, binds, 0);
        if azapi && let Some(body) = self.azapi_body(decl, binds) {
            match values.entries.iter_mut().find(|e| &*e.key == "body") {
                Some(entry) => entry.value = body,
                None => values.entries.push(Entry {
                    key: "body".into(),
                    key_span: decl.span,
                    value: body,
                }),
            }
        }
        let name_text: Arc<str> = decl
            .block
            .body
            .get_attribute("name")
            .map_or_else(
                || decl.name.clone(),
                |a| {
                    let text = self.ctx.text(span_of(decl.file, &a.value));
                    text.strip_prefix('"')
                        .and_then(|t| t.strip_suffix('"'))
                        .map_or(text.clone(), str::to_owned)
                },
            )
            .into();
        let origin = Origin {
            file: decl.file,
            decls: vec![decl.span],
            header: decl.header,
            name_text,
            module_path: self.path.clone().into(),
            calls: self.calls.clone().into(),
            root: self.ctx.root,
            syntax: if azapi {
                Syntax::Azapi
            } else {
                Syntax::Terraform
            },
            address: None,
            symbol: Some(format!("{}.{}", decl.ty, decl.name).into()),
            vocabulary: None,
        };
        let id = if decl.ty == AZAPI_UPDATE {
            updated_id(|name| self.attribute(decl, name, binds))
        } else {
            self.resource_id(decl, key, binds)
        };
        let Some(id) = id else {
            return Vec::new();
        };
        lower_evaluated(Evaluated {
            ty: &decl.ty,
            values: Node::object(values, decl.span),
            id,
            origin,
            condition: condition.clone(),
            looped,
            major: self.ctx.major,
        })
    }

    /// `count` and `for_each`: the condition and whether the declaration is a loop, or
    /// `None` when it deploys nothing.
    fn loop_of(&self, decl: &Declaration) -> Option<(Condition, bool)> {
        if let Some(count) = decl.block.body.get_attribute("count") {
            if let Expression::Conditional(c) = &count.value {
                let one = |e: &Expression| matches!(e, Expression::Number(n) if n.value().as_i64() == Some(1));
                let zero = |e: &Expression| matches!(e, Expression::Number(n) if n.value().as_i64() == Some(0));
                if one(&c.true_expr) && zero(&c.false_expr) {
                    let cond = self.eval(&c.cond_expr, decl.file, &[]);
                    return match cond.as_bool() {
                        Some(true) => Some((Condition::Always, false)),
                        Some(false) => None,
                        None => Some((
                            Condition::When {
                                expr: self.ctx.text(span_of(decl.file, &c.cond_expr)).into(),
                            },
                            false,
                        )),
                    };
                }
            }
            let value = self.eval(&count.value, decl.file, &[]);
            return match value.as_int() {
                Some(0) => None,
                Some(1) => Some((Condition::Always, false)),
                _ => Some((Condition::Always, true)),
            };
        }
        if let Some(each) = decl.block.body.get_attribute("for_each") {
            let value = self.eval(&each.value, decl.file, &[]);
            let empty = match &value.kind {
                NodeKind::Array(items) => items.is_empty(),
                NodeKind::Object(o) => o.entries.is_empty() && o.rest.is_none(),
                _ => false,
            };
            return (!empty).then_some((Condition::Always, true));
        }
        Some((Condition::Always, false))
    }

    /// An azapi `body` as the lowering reads it: `jsonencode(x)` is evaluated as `x`, so
    /// that its values keep their spans and unknowns; a string (a `jsonencode` the
    /// evaluator folded, a heredoc) is located at the whole attribute, where the JSON in
    /// it is parsed. `None` without a `body`.
    fn azapi_body(&self, decl: &Declaration, binds: &Bindings) -> Option<Node> {
        let attr = decl.block.body.get_attribute("body")?;
        let span = span_of(decl.file, attr);
        let inner = match &attr.value {
            Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => call
                .args
                .iter()
                .next()
                .map(|e| self.eval(e, decl.file, binds)),
            other => Some(self.eval(other, decl.file, binds)),
        };
        Some(match inner {
            Some(node) if node.as_str().is_some() => node.with_span(span),
            Some(node) => node,
            None => Node::object(Object::default(), decl.span),
        })
    }
}

/// The Terraform type whose instances update the resource named by their `resource_id`.
const AZAPI_UPDATE: &str = "azapi_update_resource";

/// The symbolic ID of a resource of Terraform type `ty` (none for unmapped types and for
/// updates), from its attributes as `attribute` gives them evaluated: only `name`, `type`
/// and the parent's attribute are asked for, so that a reference to the ID does not
/// evaluate the whole resource.
pub(crate) fn declared_id(
    ty: &str,
    attribute: impl Fn(&str) -> Option<Node>,
) -> Option<ResourceId> {
    let name = attribute("name");
    if ty == "azapi_resource" {
        let ty = attribute("type")?;
        let ty = ty.as_str()?.split('@').next()?.to_owned();
        let mut names = Vec::new();
        if let Some(parent) = attribute("parent_id").as_ref().and_then(id_of)
            && ty
                .to_ascii_lowercase()
                .starts_with(&format!("{}/", parent.ty.to_ascii_lowercase()))
        {
            names.extend(parent.names);
        }
        names.push(name_part(&name?));
        return Some(ResourceId::new(ty, names));
    }
    let mapping = mapping(ty)?;
    if mapping.update {
        return attribute(mapping.parent?).as_ref().and_then(id_of);
    }
    let mut names = Vec::new();
    if let Some(parent) = mapping.parent {
        let node = attribute(parent)?;
        match id_of(&node) {
            Some(id) => names.extend(id.names),
            None => names.push(name_part(&node)),
        }
    }
    names.push(name_part(&name?));
    Some(ResourceId::new(mapping.arm, names))
}

/// The ID of the resource an `azapi_update_resource` updates: its `resource_id`, or, when
/// it names the target by `type`, `parent_id` and `name`, the ID an `azapi_resource` with
/// those attributes has.
pub(crate) fn updated_id(attribute: impl Fn(&str) -> Option<Node>) -> Option<ResourceId> {
    attribute("resource_id")
        .as_ref()
        .and_then(id_of)
        .or_else(|| declared_id("azapi_resource", attribute))
}

/// The ID [`lower_evaluated`] gives an instance of Terraform type `ty`: the resource it
/// updates for an `azapi_update_resource`, else its own ([`declared_id`]).
pub(crate) fn instance_id(
    ty: &str,
    attribute: impl Fn(&str) -> Option<Node>,
) -> Option<ResourceId> {
    if ty == AZAPI_UPDATE {
        updated_id(attribute)
    } else {
        declared_id(ty, attribute)
    }
}

/// One instance of a Terraform resource with its attributes evaluated, whoever evaluated
/// them (the HCL evaluator, or a plan's values): everything the lowering needs.
pub(crate) struct Evaluated<'a> {
    /// The Terraform type (`azurerm_storage_account`).
    pub(crate) ty: &'a str,
    /// The attributes, Terraform-shaped: an object of attributes, each nested block an
    /// array of objects, an azapi `body` an object (or JSON text).
    pub(crate) values: Node,
    /// Its symbolic ID ([`instance_id`]).
    pub(crate) id: ResourceId,
    /// Where it was declared: absent properties and provider defaults are located at
    /// [`Origin::header`], objects the table builds at the first of [`Origin::decls`].
    pub(crate) origin: Origin,
    /// Whether it is deployed conditionally.
    pub(crate) condition: Condition,
    /// Whether it stands for every instance of a loop.
    pub(crate) looped: bool,
    /// The azurerm major whose provider defaults apply.
    pub(crate) major: u32,
}

/// The one lowering: an evaluated Terraform resource into model resources, by its mapping
/// row (or, for azapi, its `type` and `body`), provider defaults materialized, and a
/// private endpoint's DNS zone groups as child resources. Nothing for unmapped types.
pub(crate) fn lower_evaluated(resource: Evaluated<'_>) -> Vec<Resource> {
    let Evaluated {
        ty: tf_type,
        values: tf,
        id,
        mut origin,
        condition,
        looped,
        major,
    } = resource;
    let azapi = is_azapi(tf_type);
    let mapping = mapping(tf_type);
    let header = origin.header;
    let span = origin.decls.first().copied().unwrap_or(header);
    let name = tf_get(&tf, "name").cloned().unwrap_or_else(|| {
        let last = id.last_name().map(ToString::to_string).unwrap_or_default();
        Node::string(last, header)
    });
    let update = tf_type == AZAPI_UPDATE || mapping.is_some_and(|m| m.update);
    let (ty, api_version, body) = if azapi {
        let ty_text = tf_get(&tf, "type")
            .and_then(Node::as_str)
            .unwrap_or_default();
        let (ty, api) = ty_text.split_once('@').unwrap_or((ty_text, ""));
        let ty: Arc<str> = if ty.is_empty() {
            Arc::clone(&id.ty)
        } else {
            ty.into()
        };
        (
            ty,
            (!api.is_empty()).then(|| Arc::from(api)),
            azapi_body(&tf, span),
        )
    } else {
        let Some(mapping) = mapping else {
            return Vec::new();
        };
        (
            Arc::from(mapping.arm),
            None,
            table_body(mapping, &tf, header, span, major),
        )
    };
    if !azapi {
        origin.vocabulary = mapping.map(|m| m as &'static dyn Vocabulary);
    }
    // An outbound rule's findings (AML005, AML006) are about where it leads: its
    // destination attribute is its header, as the `destination` object is in ARM.
    if let Some(at) = mapping.and_then(|m| destination(m, &tf)) {
        origin.header = at;
    }
    let mut out = Vec::new();
    if mapping.is_some_and(|m| m.special == Special::PrivateEndpoint) {
        out.extend(zone_groups(&tf, &id, &origin, &condition, looped));
    }
    out.insert(
        0,
        Resource {
            ty,
            api_version,
            name,
            id,
            body,
            condition,
            looped,
            existing: false,
            update,
            origin,
        },
    );
    out
}

/// The ARM body of an `azurerm_*` resource: the row's fixed values, its attributes on
/// their ARM paths, the provider defaults of `major` for what is not written, and a
/// private endpoint's connections.
fn table_body(mapping: &Mapping, tf: &Node, header: Span, span: Span, major: u32) -> Node {
    let mut tree = Tree::default();
    for (path, value) in mapping.fixed {
        tree.set(path, header, lit(*value, header), span);
    }
    for (tf_path, arm, conv) in mapping.attrs {
        let Some(value) = tf_get(tf, tf_path) else {
            continue;
        };
        if value.is_null()
            || matches!(value.as_array(), Some([])) && matches!(conv, Conv::Present(_))
        {
            continue;
        }
        let at = attribute_span(tf, tf_path).unwrap_or(value.span);
        tree.set(
            arm,
            at,
            convert(*conv, value),
            block_span(tf, tf_path, span),
        );
    }
    for default in mapping.defaults {
        let written = tf_get(tf, default.absent).is_some_and(|v| !v.is_null());
        let applies = (default.majors.0..=default.majors.1).contains(&major);
        if written || !applies || tree.has(default.arm) {
            continue;
        }
        let node = lit(default.value, header);
        let description = match Vocabulary::value(mapping, default.arm, &node)
            .as_ref()
            .and_then(hcl_literal)
        {
            Some(value) => format!("the azurerm {major}.x default `{value}`"),
            None => format!("the azurerm {major}.x default of `{}`", default.absent),
        };
        let node = node.with_provenance(&Provenance::of(Decider::ProviderDefault {
            description: description.into(),
        }));
        tree.set(default.arm, header, node, span);
    }
    if mapping.special == Special::PrivateEndpoint {
        connections(tf, &mut tree, span);
    }
    tree.build(span)
}

/// A private endpoint's connection blocks, on their ARM paths.
fn connections(tf: &Node, tree: &mut Tree, span: Span) {
    let Some(blocks) = tf.as_object().and_then(|o| o.value(SERVICE_CONNECTION)) else {
        return;
    };
    let mut auto = Vec::new();
    let mut manual = Vec::new();
    for block in blocks.as_array().unwrap_or_default() {
        let Some(object) = block.as_object() else {
            continue;
        };
        let mut conn = Tree::default();
        for (tf_key, arm) in SERVICE_CONNECTION_ATTRS {
            // `null` is not set: a plan lists every attribute, and the alias must not hide
            // the ID.
            if let Some(value) = object.value(tf_key).filter(|v| !v.is_null()) {
                conn.set(arm, value.span, value.clone(), block.span);
            }
        }
        let node = conn.build(block.span);
        match object.value(MANUAL_CONNECTION).and_then(Node::as_bool) {
            Some(true) => manual.push(node),
            _ => auto.push(node),
        }
    }
    for (path, list) in [
        ("properties.privateLinkServiceConnections", auto),
        ("properties.manualPrivateLinkServiceConnections", manual),
    ] {
        if !list.is_empty() {
            let at = blocks.span;
            tree.set(path, at, Node::new(NodeKind::Array(list.into()), at), span);
        }
    }
}

/// A private endpoint's DNS zone group blocks, as `privateDnsZoneGroups` children.
fn zone_groups(
    tf: &Node,
    endpoint: &ResourceId,
    origin: &Origin,
    condition: &Condition,
    looped: bool,
) -> Vec<Resource> {
    let Some(blocks) = tf.as_object().and_then(|o| o.value(DNS_ZONE_GROUP)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for block in blocks.as_array().unwrap_or_default() {
        let Some(object) = block.as_object() else {
            continue;
        };
        let name = object
            .value(DNS_ZONE_GROUP_NAME)
            .cloned()
            .unwrap_or_else(|| Node::string("default", block.span));
        let mut tree = Tree::default();
        if let Some(ids) = object.value(DNS_ZONE_IDS) {
            let configs: Vec<Node> = match &ids.kind {
                NodeKind::Array(items) => items
                    .iter()
                    .map(|id| {
                        let mut config = Tree::default();
                        config.set("properties.privateDnsZoneId", id.span, id.clone(), id.span);
                        config.build(id.span)
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let value = if ids.as_unknown().is_some() {
                ids.clone()
            } else {
                Node::new(NodeKind::Array(configs.into()), ids.span)
            };
            tree.set(
                "properties.privateDnsZoneConfigs",
                ids.span,
                value,
                block.span,
            );
        }
        let mut names = endpoint.names.clone();
        names.push(name_part(&name));
        let mut origin = origin.clone();
        origin.decls = vec![block.span];
        origin.header = block_header(block.span);
        origin.name_text = format!("{}/{}", origin.name_text, name_text(&name)).into();
        if let Some(address) = &origin.address {
            origin.address = Some(format!("{address}.{DNS_ZONE_GROUP}").into());
        }
        if let Some(symbol) = &origin.symbol {
            origin.symbol = Some(format!("{symbol}.{DNS_ZONE_GROUP}").into());
        }
        origin.vocabulary = None;
        out.push(Resource {
            ty: PRIVATE_DNS_ZONE_GROUP.into(),
            api_version: None,
            name: name.clone(),
            id: ResourceId::new(PRIVATE_DNS_ZONE_GROUP, names),
            body: tree.build(block.span),
            condition: condition.clone(),
            looped,
            existing: false,
            update: false,
            origin,
        });
    }
    out
}

/// The ARM body of an azapi resource: its `body` (JSON text parsed, an unknown body an
/// object of unknown members), with `location` and `tags` from the attributes when the
/// body does not set them.
fn azapi_body(tf: &Node, span: Span) -> Node {
    let mut body = match tf.as_object().and_then(|o| o.value("body")) {
        Some(node) => match &node.kind {
            NodeKind::String(text) => serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| crate::functions::from_json(&v, node.span, 0))
                .unwrap_or_else(|| node.clone()),
            _ => node.clone(),
        },
        None => Node::object(Object::default(), span),
    };
    if let NodeKind::Object(object) = &body.kind {
        let mut object = (**object).clone();
        for key in ["location", "tags"] {
            if let Some(value) = tf
                .as_object()
                .and_then(|o| o.value(key))
                .filter(|v| !v.is_null())
                && object.get(key).is_none()
            {
                object.entries.push(Entry {
                    key: key.into(),
                    key_span: value.span,
                    value: value.clone(),
                });
            }
        }
        body = Node::object(object, span);
    } else if let NodeKind::Unknown(u) = &body.kind {
        body = Node::object(
            Object {
                entries: Vec::new(),
                rest: Some(Arc::new(Unknown::clone(u))),
            },
            span,
        );
    }
    body
}

/// Where an outbound-rule resource's destination is written (`destination_fqdn`,
/// `service_tag`, `service_resource_id`): findings about the rule point there, as they
/// point at an inline rule in Bicep and ARM, since the resource is little more than its
/// destination. `None` for other resources, or when it is not written.
fn destination(mapping: &Mapping, tf: &Node) -> Option<Span> {
    if mapping.arm != ML_OUTBOUND_RULE {
        return None;
    }
    let (attribute, _, _) = mapping
        .attrs
        .iter()
        .find(|(_, arm, _)| arm.starts_with("properties.destination"))?;
    attribute_span(tf, attribute)
}

/// The span of the block that holds `path`'s last attribute, for the intermediate object.
fn block_span(tf: &Node, path: &str, fallback: Span) -> Span {
    match path.rsplit_once('.') {
        Some((parent, _)) => tf_get(tf, parent).map_or(fallback, |n| n.span),
        None => fallback,
    }
}

fn block_header(block: Span) -> Span {
    Span {
        end: block.start,
        ..block
    }
    .to(Span {
        start: block.start,
        end: block.start.saturating_add(1),
        ..block
    })
}

fn name_text(node: &Node) -> String {
    match &node.kind {
        NodeKind::String(s) => s.to_string(),
        NodeKind::Unknown(u) => format!("[{}]", u.expr),
        _ => node.render(),
    }
}
