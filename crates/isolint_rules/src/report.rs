//! The network-isolation report: per workspace, whether it is isolated; the share of
//! isolated workspaces; a compliance score (rule checks passed over applicable ones); and
//! the open exceptions. Plain data built from the model and the rules' findings, for
//! `isolint report` and the pull-request summary; `isolint_output` renders it.
//!
//! No rule logic is repeated here, and no rule is named: each rule says how it weighs in
//! the verdict ([`Weight`]) and what it protects ([`Protects`]), so a new rule takes part
//! in the report as soon as it is registered.

use std::collections::{HashMap, HashSet};

use isolint_model::types::ML_WORKSPACE;
use isolint_model::{EndpointKind, Model, Resource, ResourceRef, SourceMap, Span, Target, Value};

use crate::engine::Options;
use crate::finding::{Finding, ResourceIdentity};
use crate::registry::RULES;
use crate::rule::{Protects, Rule, Status, Weight};
use crate::suppression::{Date, Suppression, SuppressionKind};

/// Whether a workspace is network-isolated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isolation {
    /// No rule that decides isolation reported a problem.
    Isolated,
    /// At least one rule that decides isolation reported a problem.
    NotIsolated,
    /// No such rule reported a problem, but one depends on a value isolint cannot settle.
    Unverified,
}

/// A finding that decided a workspace's status.
#[derive(Clone, Debug)]
pub struct Reason {
    /// The rule that reported it.
    pub rule: &'static Rule,
    /// A note about a value isolint could not settle, rather than a problem.
    pub unresolved: bool,
    /// The name of the resource it is about.
    pub resource: String,
    /// The finding's message.
    pub message: String,
    /// The finding's primary location.
    pub span: Span,
}

/// A workspace of kind `Project`, which inherits its hub's network.
#[derive(Clone, Debug)]
pub struct Project {
    /// Its name.
    pub name: String,
    /// Its declaration header.
    pub span: Span,
    /// The hub as its `hubResourceId` names it, when the hub is not declared in the scan.
    pub hub: Option<String>,
}

/// One workspace (not a project) of the scan.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// Its name.
    pub name: String,
    /// Its `kind` (`Default`, `Hub`, `FeatureStore`).
    pub kind: String,
    /// Its declaration header.
    pub span: Span,
    /// Whether it is isolated.
    pub isolation: Isolation,
    /// The findings behind `isolation`: the problems when it is not isolated, the notes
    /// when it is unverified; sorted by rule, file and line.
    pub reasons: Vec<Reason>,
    /// How many rules inspect a resource of the workspace's group.
    pub applicable: usize,
    /// How many of those reported nothing there.
    pub passed: usize,
    /// The projects whose hub it is.
    pub projects: Vec<Project>,
}

/// An open exception: a suppression, whether or not it hid anything.
#[derive(Clone, Debug)]
pub struct Exception {
    /// The IDs of the rules it suppresses.
    pub rules: Vec<&'static str>,
    /// Where it is written, in words ([`Suppression::name`]).
    pub scope: String,
    /// Inline (a comment, ARM metadata) or external (the configuration).
    pub kind: SuppressionKind,
    /// Why, when a reason that is not blank is given.
    pub reason: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// The last day it holds.
    pub until: Option<Date>,
    /// Whether `until` is before the report's date.
    pub expired: bool,
    /// Where it is written.
    pub span: Span,
}

/// The whole report.
#[derive(Clone, Debug)]
pub struct IsolationReport {
    /// The date the report was made, which decides which exceptions expired.
    pub today: Date,
    /// The workspaces, by file, line and name.
    pub workspaces: Vec<Workspace>,
    /// Projects whose hub is not declared in the scan, by file and line.
    pub orphans: Vec<Project>,
    /// The exceptions, the soonest expiry first, those without one last.
    pub exceptions: Vec<Exception>,
}

impl IsolationReport {
    /// How many workspaces have this status.
    pub fn count(&self, isolation: Isolation) -> usize {
        self.workspaces
            .iter()
            .filter(|w| w.isolation == isolation)
            .count()
    }

    /// The applicable rule checks over every workspace.
    pub fn applicable(&self) -> usize {
        self.workspaces.iter().map(|w| w.applicable).sum()
    }

    /// The passed rule checks over every workspace.
    pub fn passed(&self) -> usize {
        self.workspaces.iter().map(|w| w.passed).sum()
    }
}

/// Builds the report from the findings of every rule, run strictly (so that unsettled
/// values are noted) and before suppressions (an exception hides a finding from `check`,
/// not from the report). `options` gives the organisation's policy (`required_tags`);
/// `sources` orders the rows by file and line.
pub fn build(
    model: &Model,
    sources: &SourceMap,
    findings: &[Finding],
    suppressions: &[Suppression],
    options: &Options,
    today: Date,
) -> IsolationReport {
    let mut workspaces = Vec::new();
    let mut projects = Vec::new();
    // The findings about each resource, found by its declaration: one pass over the
    // findings, so that a report costs the same per workspace however many there are.
    let mut by_declaration: HashMap<Span, Vec<&Finding>> = HashMap::new();
    for finding in findings
        .iter()
        .filter(|f| f.rule.protects != Protects::Suppressions)
    {
        by_declaration
            .entry(finding.resource.declaration)
            .or_default()
            .push(finding);
    }
    for workspace in model
        .graph()
        .resources_of(ML_WORKSPACE)
        .filter(|r| !r.existing)
    {
        if is_project(&workspace) {
            projects.push(workspace);
        } else {
            workspaces.push((
                workspace,
                assess(model, workspace, &by_declaration, options),
            ));
        }
    }

    let mut orphans = Vec::new();
    for project in projects {
        let hub_property = project.get("properties.hubResourceId");
        let target = model.graph().resolve(&project, &hub_property.value);
        let mut entry = Project {
            name: project.display_name(),
            span: project.header(),
            hub: None,
        };
        if let Target::Declared(hub) = &target
            && let Some((_, row)) = workspaces
                .iter_mut()
                .find(|(w, _)| declaration(w) == declaration(hub))
        {
            row.projects.push(entry);
            continue;
        }
        entry.hub = Some(match target {
            Target::Declared(hub) | Target::Existing(hub) => hub.display_name(),
            Target::External(id) => id.render_expression(),
            Target::Unknown(unknown) => unknown.expr.to_string(),
            Target::Absent => "no hubResourceId".to_owned(),
        });
        orphans.push(entry);
    }

    let mut workspaces: Vec<Workspace> = workspaces.into_iter().map(|(_, row)| row).collect();
    for workspace in &mut workspaces {
        workspace
            .reasons
            .sort_by_cached_key(|r| (r.rule.id, place(sources, r.span)));
    }
    workspaces.sort_by_cached_key(|w| (place(sources, w.span), w.name.clone()));
    orphans.sort_by_cached_key(|p| place(sources, p.span));

    let mut exceptions: Vec<Exception> = suppressions.iter().map(|s| exception(s, today)).collect();
    exceptions.sort_by_cached_key(|e| (e.until.is_none(), e.until, place(sources, e.span)));

    IsolationReport {
        today,
        workspaces,
        orphans,
        exceptions,
    }
}

/// A rule's verdict on one workspace: `Some(true)` when it reported nothing there,
/// `Some(false)` when it reported a problem, `None` when it only noted a value isolint
/// cannot settle.
fn verdict(findings: &[&Finding], rule: &Rule) -> Option<bool> {
    let mut verdict = Some(true);
    for finding in findings.iter().filter(|f| f.rule.id == rule.id) {
        if !finding.unresolved {
            return Some(false);
        }
        verdict = None;
    }
    verdict
}

/// Three-valued "all pass": a failure wins over an unknown, an unknown over a pass.
fn all(verdicts: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    let mut all = Some(true);
    for verdict in verdicts {
        match verdict {
            Some(false) => return Some(false),
            None => all = None,
            Some(true) => {}
        }
    }
    all
}

/// Three-valued "one passes": a pass wins over an unknown, an unknown over a failure.
fn any(verdicts: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    let mut any = Some(false);
    for verdict in verdicts {
        match verdict {
            Some(true) => return Some(true),
            None => any = None,
            Some(false) => {}
        }
    }
    any
}

/// The isolation verdict on one workspace from the findings about its group, and the
/// rules whose findings decided it: every decisive rule must pass, and of each set of
/// alternatives, one. Deprecated rules never run and never count.
fn isolation_verdict(findings: &[&Finding]) -> (Option<bool>, Vec<&'static str>) {
    let running = || {
        RULES
            .iter()
            .copied()
            .filter(|rule| !matches!(rule.status, Status::Deprecated { .. }))
    };
    let mut verdicts = Vec::new();
    let mut deciding = Vec::new();
    for rule in running().filter(|rule| rule.weighs == Weight::Decisive) {
        verdicts.push(verdict(findings, rule));
        deciding.push(rule.id);
    }
    let mut groups: Vec<&'static str> = running()
        .filter_map(|rule| match rule.weighs {
            Weight::Alternative(group) => Some(group),
            _ => None,
        })
        .collect();
    groups.sort_unstable();
    groups.dedup();
    for group in groups {
        let members = || running().filter(move |rule| rule.weighs == Weight::Alternative(group));
        let passed = any(members().map(|rule| verdict(findings, rule)));
        verdicts.push(passed);
        if passed != Some(true) {
            deciding.extend(members().map(|rule| rule.id));
        }
    }
    (all(verdicts), deciding)
}

/// Whether a rule counts in the compliance score: every rule that runs, except those about
/// suppressions; organisation policy (governance) only when the configuration sets one.
fn scores(rule: &Rule, options: &Options) -> bool {
    let runs = !matches!(rule.status, Status::Deprecated { .. });
    let policy = match rule.protects {
        Protects::Suppressions | Protects::Coverage => false,
        Protects::Governance => !options.required_tags.is_empty(),
        Protects::Workspace | Protects::Dependency | Protects::Compute => true,
    };
    runs && policy
}

/// The file's display name and the 1-based line of `span`, for ordering rows.
fn place(sources: &SourceMap, span: Span) -> (String, u32) {
    sources.get(span.file).map_or_else(
        || (String::new(), 0),
        |file| (file.name.clone(), file.position(span.start).line),
    )
}

fn exception(suppression: &Suppression, today: Date) -> Exception {
    Exception {
        rules: suppression.rules.iter().map(|r| r.id).collect(),
        scope: suppression.name.clone(),
        kind: suppression.kind,
        reason: suppression.reason.clone().filter(|r| !r.trim().is_empty()),
        approved_by: suppression.approved_by.clone(),
        until: suppression.until,
        expired: suppression.until.is_some_and(|until| until < today),
        span: suppression.at,
    }
}

/// Where a resource is first declared, as findings record it: unique in a scan.
fn declaration(resource: &Resource) -> Span {
    ResourceIdentity::of(resource).declaration
}

/// A workspace of kind `Project`, which inherits its hub's network.
fn is_project(workspace: &Resource) -> bool {
    matches!(workspace.get("kind").value, Value::Known(node) if node.str_eq("Project"))
}

/// The workspace, the dependencies it links, its children (computes, outbound rules) and
/// the private endpoints to it: the resources whose findings count for it.
fn group<'m>(model: &'m Model, workspace: ResourceRef<'m>) -> Vec<&'m Resource> {
    let mut group = vec![workspace.resource()];
    for link in model.links(workspace) {
        if let Target::Declared(dependency) = link.target {
            group.push(dependency.resource());
        }
    }
    group.extend(
        model
            .graph()
            .children_of(workspace)
            .map(ResourceRef::resource),
    );
    group.extend(
        model
            .private_endpoints_to(workspace)
            .iter()
            .filter(|pe| pe.kind == EndpointKind::PrivateEndpoint)
            .filter_map(|pe| model.graph().get(pe.declared_by))
            .map(ResourceRef::resource),
    );
    group
}

fn assess(
    model: &Model,
    workspace: ResourceRef<'_>,
    by_declaration: &HashMap<Span, Vec<&Finding>>,
    options: &Options,
) -> Workspace {
    let members = group(model, workspace);
    // Resources are told apart by where they are declared: identities repeat across files.
    // A member reached twice (a dependency that is also a child) counts once.
    let declared: HashSet<Span> = members.iter().map(|r| declaration(r)).collect();
    let mut mine: Vec<&Finding> = declared
        .iter()
        .filter_map(|span| by_declaration.get(span))
        .flatten()
        .copied()
        .collect();
    // The findings in the engine's order, whatever order the set gave them.
    mine.sort_by_key(|f| (f.span.file, f.span.start, f.span.end, f.rule.id));

    let (verdict, deciding_rules) = isolation_verdict(&mine);
    let isolation = match verdict {
        Some(true) => Isolation::Isolated,
        Some(false) => Isolation::NotIsolated,
        None => Isolation::Unverified,
    };
    let deciding: Vec<&Finding> = mine
        .iter()
        .copied()
        .filter(|f| deciding_rules.contains(&f.rule.id))
        .collect();
    // The findings behind the status: the problems when it failed, else the notes.
    let reasons = deciding
        .iter()
        .filter(|f| match isolation {
            Isolation::Isolated => false,
            Isolation::NotIsolated => !f.unresolved,
            Isolation::Unverified => f.unresolved,
        })
        .map(|f| Reason {
            rule: f.rule,
            unresolved: f.unresolved,
            resource: f.resource.name.clone(),
            message: f.message.clone(),
            span: f.span,
        })
        .collect();

    // The score: the rules that inspect a resource of the group, each passed when it
    // reported nothing there.
    let applicable: Vec<&str> = RULES
        .iter()
        .filter(|rule| scores(rule, options))
        .filter(|rule| {
            rule.targets
                .iter()
                .any(|ty| members.iter().any(|member| member.is(ty)))
        })
        .map(|rule| rule.id)
        .collect();
    let passed = applicable
        .iter()
        .filter(|id| !mine.iter().any(|f| f.rule.id == **id))
        .count();

    Workspace {
        name: workspace.display_name(),
        kind: workspace.kind().unwrap_or("Default").to_owned(),
        span: workspace.header(),
        isolation,
        reasons,
        applicable: applicable.len(),
        passed,
        projects: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisive_rules_are_errors_about_the_workspace_or_a_dependency() {
        for rule in RULES {
            if matches!(rule.weighs, Weight::Decisive | Weight::Alternative(_)) {
                assert!(
                    matches!(rule.protects, Protects::Workspace | Protects::Dependency),
                    "{}: only workspace and dependency rules decide isolation",
                    rule.id
                );
            }
            if rule.weighs == Weight::Decisive {
                assert_eq!(rule.level, crate::Level::Error, "{}", rule.id);
            }
        }
        let alternatives = RULES
            .iter()
            .filter(|r| matches!(r.weighs, Weight::Alternative(_)))
            .count();
        assert_ne!(
            alternatives, 1,
            "a set of alternatives has more than one rule"
        );
    }

    #[test]
    fn three_valued_logic() {
        assert_eq!(all([Some(true), None]), None);
        assert_eq!(all([None, Some(false)]), Some(false));
        assert_eq!(all([]), Some(true));
        assert_eq!(any([Some(false), None]), None);
        assert_eq!(any([None, Some(true)]), Some(true));
        assert_eq!(any([Some(false)]), Some(false));
    }

    #[test]
    fn governance_scores_only_with_a_policy() {
        let governance = RULES
            .iter()
            .find(|r| r.protects == Protects::Governance)
            .copied();
        if let Some(rule) = governance {
            assert!(!scores(rule, &Options::default()));
            let policy = Options {
                required_tags: vec!["owner".to_owned()],
                ..Options::default()
            };
            assert!(scores(rule, &policy));
        }
    }
}
