//! The engine: runs the selected rules over a model, then deduplicates and orders findings.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use isolint_model::types::same_type;
use isolint_model::{Condition, Model, SourceMap, Span};

use crate::change::Comparison;
use crate::context::Cx;
use crate::finding::Finding;
use crate::registry::RULES;
use crate::rule::{Level, Rule, Status};

/// Which rules run, how, and the settings of rules that have some.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Rules to run, by ID or name; empty means all.
    pub select: Vec<String>,
    /// Rules not to run, by ID or name.
    pub ignore: Vec<String>,
    /// Turn values that could not be settled into notes instead of silence.
    pub strict: bool,
    /// Tags every workspace must carry (AML301), compared case-insensitively; empty turns
    /// the rule off.
    pub required_tags: Vec<String>,
    /// Levels that replace rules' default levels, keyed by rule ID or name (configuration
    /// `[rules]`). `--strict` notes about unresolved values stay notes. To turn a rule off,
    /// list it in `ignore`.
    pub levels: BTreeMap<String, Level>,
}

impl Options {
    /// Whether `rule` runs under these options.
    pub fn enables(&self, rule: &Rule) -> bool {
        !matches!(rule.status, Status::Deprecated { .. })
            && (self.select.is_empty() || self.select.iter().any(|s| rule.is_named(s)))
            && !self.ignore.iter().any(|s| rule.is_named(s))
    }

    /// The level configured for `rule` in [`Options::levels`], if any.
    pub fn configured_level(&self, rule: &Rule) -> Option<Level> {
        self.levels
            .iter()
            .find(|(selector, _)| rule.is_named(selector))
            .map(|(_, level)| *level)
    }
}

/// Runs every enabled rule over every declared resource of its target types. A resource
/// declared in a loop, or reached through a module called several times, yields one
/// finding per rule, location and resource.
///
/// Resources are visited once each, in declaration order, and each gets all of its rules
/// in a row: its properties are read from memory once rather than once per rule, which is
/// what keeps large scans linear in time. Findings come out in that order; renderers sort
/// them ([`sort_findings`]).
pub fn check(model: &Model, options: &Options) -> Vec<Finding> {
    check_rules(model, options, RULES)
}

/// [`check`] over the given rules instead of the registry (tests with rules of their own).
pub(crate) fn check_rules(
    model: &Model,
    options: &Options,
    rules: &[&'static Rule],
) -> Vec<Finding> {
    run(model, options, rules, None)
}

/// [`check_rules`], with the rules' context holding the base revision's deployment when
/// they compare two (the change rules).
pub(crate) fn run<'m>(
    model: &'m Model,
    options: &'m Options,
    rules: &[&'static Rule],
    comparison: Option<&'m Comparison<'m>>,
) -> Vec<Finding> {
    let rules_by_type = rules_by_type(rules, options);
    let mut findings = Vec::new();
    let mut seen = HashSet::new();
    for resource in model.graph().iter().filter(|r| !r.existing) {
        let Some((_, rules)) = rules_by_type.iter().find(|(ty, _)| resource.is(ty)) else {
            continue;
        };
        for &rule in rules {
            let mut cx = Cx::new(model, rule, resource, options, comparison);
            (rule.check)(resource, &mut cx);
            for mut finding in cx.findings {
                if let Some(level) = options.configured_level(rule)
                    && !finding.unresolved
                {
                    finding.level = level;
                }
                if let Condition::When { expr } = &resource.condition
                    && !finding.unresolved
                {
                    let _ = write!(
                        finding.message,
                        " (the resource is conditional: deployed when `{expr}`)"
                    );
                }
                let key = (rule.id, finding.span, finding.fingerprint());
                if seen.insert(key) {
                    findings.push(finding);
                }
            }
        }
    }
    name_module_instances(&mut findings);
    findings
}

/// A module deployed twice gives one finding per call at the same place in the module:
/// each of them then says which call it belongs to (its fingerprint already differs, by
/// the module path in the resource's identity).
fn name_module_instances(findings: &mut [Finding]) {
    let mut at_place: HashMap<(&'static str, Span), Vec<usize>> = HashMap::new();
    for (index, finding) in findings.iter().enumerate() {
        at_place
            .entry((finding.rule.id, finding.span))
            .or_default()
            .push(index);
    }
    for indexes in at_place.into_values().filter(|indexes| indexes.len() > 1) {
        let paths: HashSet<String> = indexes
            .iter()
            .map(|&index| findings[index].resource.module_path())
            .collect();
        if paths.len() < 2 {
            continue;
        }
        for index in indexes {
            let resource = &findings[index].resource;
            let path = resource.module_path();
            // A resource known by its address (a plan's), or named in the message with its
            // module prefix (`dev > workspace`, `module.aml["dev"].azurerm_…`), is already
            // named by its instance.
            let innermost = path.rsplit(" > ").next().unwrap_or_default();
            let message = &findings[index].message;
            let named = resource.qualified_name.contains(innermost)
                || message.contains(&format!("{innermost} > "))
                || message.contains(&format!("{innermost}."));
            if !path.is_empty() && !named {
                let _ = write!(findings[index].message, " (through module `{path}`)");
            }
        }
    }
}

/// The enabled rules of each target type, in the order given.
fn rules_by_type(
    rules: &[&'static Rule],
    options: &Options,
) -> Vec<(&'static str, Vec<&'static Rule>)> {
    let mut by_type: Vec<(&'static str, Vec<&'static Rule>)> = Vec::new();
    for rule in rules.iter().copied().filter(|r| options.enables(r)) {
        for &ty in rule.targets {
            match by_type.iter_mut().find(|(known, _)| same_type(known, ty)) {
                Some((_, rules)) => rules.push(rule),
                None => by_type.push((ty, vec![rule])),
            }
        }
    }
    by_type
}

/// Orders findings by file path, position and rule ID, so that no output depends on the
/// order files were read in.
pub fn sort_findings(findings: &mut [Finding], sources: &SourceMap) {
    let name = |f: &Finding| {
        sources
            .get(f.span.file)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    findings.sort_by_cached_key(|f| {
        (
            name(f),
            f.span.start,
            f.span.end,
            f.rule.id,
            f.message.clone(),
        )
    });
}
