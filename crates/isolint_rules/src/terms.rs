//! How findings speak of a resource's properties: in the terms of the file that declares
//! it, and, where the deciding value is a literal, with the edit that fixes it.
//!
//! Rules think in ARM paths and values (`properties.publicNetworkAccess` is `Enabled`).
//! [`Terms`] says the same thing as the user wrote it: ARM JSON as ARM does
//! (`` `publicNetworkAccess` is `Enabled` ``), Bicep with its value syntax
//! (`` `publicNetworkAccess` is `'Enabled'` ``), Terraform with the attribute names of the
//! frontend's table and HCL values (`` `public_network_access_enabled` is `true` ``,
//! `` `managed_network { isolation_mode }` ``), read through the resource's
//! [`Vocabulary`](isolint_model::Vocabulary) so that the rules hold no copy of that table.

use isolint_model::{Decider, Form, Node, NodeKind, Prop, Resource, Syntax, Value};

use crate::finding::{Fix, Safety};

/// A resource's properties and values, in the terms of the file that declares it.
#[derive(Clone, Copy)]
pub(crate) struct Terms<'r> {
    resource: &'r Resource,
}

impl<'r> Terms<'r> {
    /// The terms of `resource`'s file.
    pub(crate) fn of(resource: &'r Resource) -> Self {
        Self { resource }
    }

    fn syntax(self) -> Syntax {
        self.resource.origin.syntax
    }

    /// The property at ARM `path` as a message names it, quoted: `` `publicNetworkAccess` ``
    /// (the path without its leading `properties.`), `` `public_network_access_enabled` ``,
    /// `` `managed_network { isolation_mode }` `` (a Terraform attribute in a block).
    pub(crate) fn name(self, path: &str) -> String {
        if let Some(attribute) = self
            .resource
            .origin
            .vocabulary
            .and_then(|v| v.attribute(path))
        {
            let mut steps = attribute.split('.');
            let mut out = steps.next().unwrap_or_default().to_owned();
            let mut closing = 0;
            for step in steps {
                out.push_str(" { ");
                out.push_str(step);
                closing += 1;
            }
            out.push_str(&" }".repeat(closing));
            return format!("`{out}`");
        }
        format!("`{}`", short_path(path))
    }

    /// A value of the property at ARM `path`, as the file writes it, quoted: `` `Enabled` ``
    /// (ARM JSON), `` `'Enabled'` `` (Bicep), `` `true` `` (an azurerm attribute that is a
    /// boolean), `` `"Enabled"` `` (HCL).
    pub(crate) fn value(self, path: &str, node: &Node) -> String {
        let written = self.written(path, node);
        format!(
            "`{}`",
            spell(written.as_ref().unwrap_or(node), self.syntax())
        )
    }

    /// An ARM string value of the property at `path` (a service default the rule knows), as
    /// [`Terms::value`] writes it.
    pub(crate) fn text(self, path: &str, text: &str) -> String {
        self.value(path, &Node::string(text, self.resource.header()))
    }

    /// An ARM boolean value of the property at `path`, as [`Terms::value`] writes it.
    pub(crate) fn flag(self, path: &str, flag: bool) -> String {
        self.value(
            path,
            &Node::new(NodeKind::Bool(flag), self.resource.header()),
        )
    }

    /// What a message says of the property at `path` whose value is `node`:
    /// `` `publicNetworkAccess` is `Enabled` ``, ``the `ssh` block is present`` (a Terraform
    /// block whose presence is the value), `` `public_network_access_enabled` is not set `` (a provider
    /// default, which the finding's provenance then names).
    pub(crate) fn is(self, path: &str, node: &Node) -> String {
        let name = self.name(path);
        if is_provider_default(node) {
            return format!("{name} is not set");
        }
        let spelled_otherwise = self
            .resource
            .origin
            .vocabulary
            .is_some_and(|v| v.attribute(path).is_some() && v.value(path, node).is_none());
        if spelled_otherwise {
            return format!("the {name} block is present");
        }
        format!("{name} is {}", self.value(path, node))
    }

    /// The value `node` of ARM `path` as the file writes it, when it writes it otherwise.
    fn written(self, path: &str, node: &Node) -> Option<Node> {
        let vocabulary = self.resource.origin.vocabulary?;
        vocabulary.attribute(path)?;
        vocabulary.value(path, node)
    }

    /// The edit that sets the property at ARM `path`, whose value `prop` decided a finding,
    /// to `to` (an ARM value), when that value is a literal isolint can rewrite in the file's
    /// syntax: a literal written in the resource's declaration (a safe fix), or a
    /// parameter's default used unchanged (unsafe: other resources may use it). `None` for a
    /// value computed by an expression, read from a parameter file or a plan, or absent.
    pub(crate) fn fix(self, path: &str, prop: &Prop<'_>, to: &NodeKind) -> Option<Fix> {
        let Value::Known(node) = &prop.value else {
            return None;
        };
        let declared = |span| self.resource.origin.decls.iter().any(|d| d.contains(span));
        let (span, default) = match node.form {
            Form::Literal if declared(node.span) => (node.span, None),
            Form::Passed => match node.provenance.deciders() {
                [Decider::ParameterDefault { name, span }] => (*span, Some(name)),
                _ => return None,
            },
            Form::Literal | Form::Computed => return None,
        };
        // A boolean written as a string (`"false"`, which ARM accepts) stays a string.
        let to = match (to, &node.kind) {
            (NodeKind::Bool(b), NodeKind::String(_)) => NodeKind::String(b.to_string().into()),
            _ => to.clone(),
        };
        let target = Node::new(to, node.span);
        let written = match self.resource.origin.vocabulary {
            Some(vocabulary) if vocabulary.attribute(path).is_some() => {
                vocabulary.value(path, &target)?
            }
            _ => target,
        };
        let replacement = source_text(&written, self.syntax())?;
        let shown = spell(&written, self.syntax());
        let title = match default {
            None => format!("set {} to `{shown}`", self.name(path)),
            Some(name) => format!(
                "set the default of {} `{name}` to `{shown}`",
                input_noun(self.syntax())
            ),
        };
        Some(Fix {
            title,
            span,
            replacement,
            safety: if default.is_some() {
                Safety::Unsafe
            } else {
                Safety::Safe
            },
        })
    }
}

/// What a syntax calls the inputs of a template: `parameter` (ARM, Bicep), `variable`
/// (Terraform).
pub(crate) fn input_noun(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::Arm | Syntax::Bicep => "parameter",
        Syntax::Terraform | Syntax::Azapi => "variable",
    }
}

/// Whether a provider of the frontend's decided the value, the property being unwritten.
fn is_provider_default(node: &Node) -> bool {
    node.provenance
        .deciders()
        .iter()
        .any(|d| matches!(d, Decider::ProviderDefault { .. }))
        && node.form == Form::Computed
}

/// An ARM path as messages name it: without the leading `properties.` steps
/// (`properties.properties.enableNodePublicIp` is `enableNodePublicIp`).
fn short_path(path: &str) -> &str {
    let mut rest = path;
    while let Some(inner) = rest.strip_prefix("properties.") {
        rest = inner;
    }
    rest
}

/// A value as `syntax` writes it: ARM JSON messages name strings bare (`Enabled`), Bicep
/// quotes them with `'`, HCL with `"`; booleans and numbers read alike everywhere.
pub(crate) fn spell(node: &Node, syntax: Syntax) -> String {
    match (&node.kind, syntax) {
        (NodeKind::String(s), Syntax::Arm) => s.to_string(),
        (NodeKind::String(s), Syntax::Bicep) => {
            format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
        }
        (NodeKind::String(s), Syntax::Terraform | Syntax::Azapi) => {
            format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
        }
        (NodeKind::Bool(b), _) => b.to_string(),
        (NodeKind::Int(i), _) => i.to_string(),
        _ => node.render(),
    }
}

/// A scalar as `syntax` writes it in a file: a JSON or HCL string in `"`, a Bicep one in
/// `'`, a boolean or an integer as is. `None` for anything else (a fix writes scalars only).
fn source_text(node: &Node, syntax: Syntax) -> Option<String> {
    Some(match (&node.kind, syntax) {
        (NodeKind::String(_), Syntax::Bicep | Syntax::Terraform | Syntax::Azapi) => {
            spell(node, syntax)
        }
        (NodeKind::String(_), Syntax::Arm) => spell(node, Syntax::Terraform),
        (NodeKind::Bool(b), _) => b.to_string(),
        (NodeKind::Int(i), _) => i.to_string(),
        _ => return None,
    })
}
