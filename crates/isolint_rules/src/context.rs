//! The context a rule's `check` reports through.

use isolint_model::{Model, Resource, ResourceRef, Span, Syntax, Unknown, UnknownReason};

use crate::change::Comparison;
use crate::engine::Options;
use crate::finding::{Finding, ResourceIdentity};
use crate::help::Help;
use crate::rule::{Level, Rule};
use crate::terms::{Terms, input_noun};

/// What a rule sees besides the resource it checks: the model, and where to report.
pub struct Cx<'m> {
    model: &'m Model,
    rule: &'static Rule,
    resource: ResourceRef<'m>,
    options: &'m Options,
    comparison: Option<&'m Comparison<'m>>,
    pub(crate) findings: Vec<Finding>,
}

impl<'m> Cx<'m> {
    pub(crate) fn new(
        model: &'m Model,
        rule: &'static Rule,
        resource: ResourceRef<'m>,
        options: &'m Options,
        comparison: Option<&'m Comparison<'m>>,
    ) -> Self {
        Self {
            model,
            rule,
            resource,
            options,
            comparison,
            findings: Vec::new(),
        }
    }

    /// The deployment at the base revision, matched with this one: set for the change
    /// rules, which `isolint diff` runs ([`check_changes`](crate::change::check_changes)).
    pub fn comparison(&self) -> Option<&'m Comparison<'m>> {
        self.comparison
    }

    /// The whole model, for cross-resource questions.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The options of the run, for rules with settings of their own (`required_tags`).
    pub fn options(&self) -> &'m Options {
        self.options
    }

    /// The language of the resource being checked.
    pub fn syntax(&self) -> Syntax {
        self.resource.origin.syntax
    }

    /// Help in the syntax of the resource being checked.
    pub fn help(&self, help: &Help) -> &'static str {
        help.for_syntax(self.syntax())
    }

    /// Reports a finding on the resource being checked, at `span`, about `property` (an
    /// ARM path, part of the fingerprint). Returns it for `.help()`, `.label()`,
    /// `.decided_by()`.
    pub fn report(
        &mut self,
        span: Span,
        property: &str,
        message: impl Into<String>,
    ) -> &mut Finding {
        let resource = self.resource.resource();
        self.report_on(resource, span, property, message)
    }

    /// Reports a finding about another resource (an outbound-rule resource, a linked
    /// dependency).
    pub fn report_on(
        &mut self,
        resource: &Resource,
        span: Span,
        property: &str,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.push(Finding {
            rule: self.rule,
            level: self.rule.level,
            message: message.into(),
            help: None,
            span,
            labels: Vec::new(),
            resource: ResourceIdentity::of(resource),
            property: property.to_owned(),
            unresolved: false,
            fix: None,
        })
    }

    /// Notes, under `--strict`, that `property` could not be checked because it depends on
    /// `unknown`. Without `--strict` nothing is reported: rules never guess. The note names
    /// the property in the file's terms, and its help says what would settle the value,
    /// which depends on why it is unknown.
    pub fn unresolved(&mut self, span: Span, property: &str, unknown: &Unknown) {
        if !self.options.strict {
            return;
        }
        let resource = self.resource.resource();
        let syntax = resource.origin.syntax;
        let depends_on = match &unknown.reason {
            UnknownReason::Parameter { name } => {
                format!("{} `{name}`, which has no value", input_noun(syntax))
            }
            reason => format!("`{}`, and {reason}", unknown.expr),
        };
        let message = format!(
            "cannot check {} statically: it depends on {depends_on}",
            Terms::of(resource).name(property)
        );
        let identity = ResourceIdentity::of(resource);
        self.push(Finding {
            rule: self.rule,
            level: Level::Note,
            message,
            help: Some(advice(&unknown.reason, syntax)),
            span,
            labels: Vec::new(),
            resource: identity,
            property: property.to_owned(),
            unresolved: true,
            fix: None,
        });
    }

    fn push(&mut self, finding: Finding) -> &mut Finding {
        self.findings.push(finding);
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}

/// What would let isolint settle a value that is unknown for `reason`, in `syntax`'s terms:
/// a parameter needs a value, a module needs to be readable, a resource needs to be
/// scanned; a value only known at deployment cannot be settled statically at all.
fn advice(reason: &UnknownReason, syntax: Syntax) -> String {
    match reason {
        UnknownReason::Parameter { name } => match syntax {
            Syntax::Arm => format!(
                "give parameter `{name}` a default, or a value in a parameter file (`--parameters FILE`), to have it checked"
            ),
            Syntax::Bicep => format!(
                "give parameter `{name}` a default, or a value in a `.bicepparam` file, to have it checked"
            ),
            Syntax::Terraform | Syntax::Azapi => format!(
                "give variable `{name}` a default, or a value in `terraform.tfvars` (or `--var {name}=...`), to have it checked"
            ),
        },
        UnknownReason::Runtime { .. } => "the value is computed at deployment, which no static check can see: set it from a literal (or a parameter with a value) to have it checked".to_owned(),
        UnknownReason::Module { .. } => "make the module readable offline (`bicep restore`, `terraform init`) to have it checked".to_owned(),
        UnknownReason::External { .. } => "scan the files that declare it as well (name them too, or scan a folder that holds them) to have it checked".to_owned(),
        UnknownReason::Unsupported { function } => format!(
            "isolint does not evaluate `{function}()`: write the value without it to have it checked"
        ),
        UnknownReason::Invalid { .. } => "isolint cannot evaluate what it depends on: write the value as a literal (or a resource ID) to have it checked".to_owned(),
    }
}
