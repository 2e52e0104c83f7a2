//! The context a rule's `check` reports through.

use isolint_model::{Model, Resource, ResourceRef, Span, Syntax, Unknown};

use crate::change::Comparison;
use crate::engine::Options;
use crate::finding::{Finding, ResourceIdentity};
use crate::help::Help;
use crate::rule::{Level, Rule};

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
    /// `unknown`. Without `--strict` nothing is reported: rules never guess.
    pub fn unresolved(&mut self, span: Span, property: &str, unknown: &Unknown) {
        if !self.options.strict {
            return;
        }
        let message = format!(
            "cannot check `{property}` statically: it depends on `{}`, and {}",
            unknown.expr, unknown.reason
        );
        let resource = ResourceIdentity::of(&self.resource);
        self.push(Finding {
            rule: self.rule,
            level: Level::Note,
            message,
            help: Some(
                "give the value a default or pass it in a parameter file to have it checked".into(),
            ),
            span,
            labels: Vec::new(),
            resource,
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
