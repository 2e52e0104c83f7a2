//! The network-isolation report: per workspace, whether it is isolated and which checks
//! failed; the share of isolated workspaces; a compliance score (rule checks passed over
//! applicable ones), overall and per subscription and resource group; and the open
//! exceptions. Plain data built from the model and the rules' findings, for `isolint
//! report` and the pull-request summary; `isolint_output` renders it.
//!
//! No rule logic is repeated here, and no rule is named: each rule says how it weighs in
//! the verdict ([`Weight`]) and what it protects ([`Protects`]), so a new rule takes part
//! in the report as soon as it is registered. Nor does the report know the input's format:
//! a workspace is grouped by the subscription and resource group its resource ID names,
//! which exports of the live estate always do and templates rarely do.

use std::collections::{BTreeMap, HashMap};

use isolint_model::types::ML_WORKSPACE;
use isolint_model::{
    EndpointKind, Model, NamePart, Resource, ResourceRef, SourceMap, Span, Target, Value, paths,
};

use crate::engine::Options;
use crate::finding::{Finding, ResourceIdentity};
use crate::registry::RULES;
use crate::rule::{Protects, Rule, Status, Weight};
use crate::suppression::{Date, Suppression, SuppressionKind};

/// Whether a workspace is network-isolated; ordered from the worst to the best, the order
/// in which the report lists workspaces that fail as many checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isolation {
    /// At least one rule that decides isolation reported a problem.
    NotIsolated,
    /// No such rule reported a problem, but one depends on a value isolint cannot settle.
    Unverified,
    /// No rule that decides isolation reported a problem.
    Isolated,
}

/// What one rule found on the resources of a workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing, not even a note.
    Passed,
    /// A problem.
    Failed,
    /// Only notes about values isolint cannot settle.
    Unsettled,
}

/// One applicable check on a workspace: a rule that inspects one of its resources.
#[derive(Clone, Copy, Debug)]
pub struct Check {
    /// The rule.
    pub rule: &'static Rule,
    /// What it found.
    pub outcome: Outcome,
}

/// Where a workspace is deployed, as far as its resource ID says: exports of the live
/// estate name both; templates rarely name either.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// The subscription ID, when known.
    pub subscription: Option<String>,
    /// The resource group, when known.
    pub resource_group: Option<String>,
}

impl Scope {
    /// The scope `resource`'s ID names: only the parts that are known.
    fn of(resource: &Resource) -> Self {
        let known = |part: &Option<NamePart>| part.as_ref()?.known().map(str::to_owned);
        Self {
            subscription: known(&resource.id.subscription),
            resource_group: known(&resource.id.resource_group),
        }
    }

    /// Whether the ID names neither the subscription nor the resource group.
    pub fn is_unknown(&self) -> bool {
        self.subscription.is_none() && self.resource_group.is_none()
    }
}

/// How scopes are grouped and ordered: by subscription, then resource group, each
/// case-insensitively and known before unknown.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ScopeKey {
    subscription: (bool, Option<String>),
    resource_group: (bool, Option<String>),
}

impl ScopeKey {
    fn of(scope: &Scope) -> Self {
        let part =
            |part: &Option<String>| (part.is_none(), part.as_deref().map(str::to_ascii_lowercase));
        Self {
            subscription: part(&scope.subscription),
            resource_group: part(&scope.resource_group),
        }
    }
}

/// A workspace of kind `Project`, which inherits its hub's network.
#[derive(Clone, Debug)]
pub struct Project {
    /// Its name: the evaluated name, else the name as written.
    pub name: String,
    /// Its declaration header.
    pub span: Span,
    /// The hub as its `hubResourceId` names it, when the hub is not declared in the scan.
    pub hub: Option<String>,
}

/// A finding that decided a workspace's status.
#[derive(Clone, Debug)]
pub struct Reason {
    /// The finding, as `check` reports it.
    pub finding: Finding,
    /// The resource it is about, named as the report names workspaces (without its
    /// subscription and resource group).
    pub name: String,
}

/// One workspace (not a project) of the scan.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// Its name: the evaluated name, else the name as written (a parameter, an
    /// expression). Without the scope, which [`Workspace::scope`] holds.
    pub name: String,
    /// The workspace as findings name it (type, name for messages, qualified name: the
    /// full resource ID of a deployed workspace).
    pub resource: ResourceIdentity,
    /// Its `kind`, spelled as Azure documents it (`Default`, `Hub`, `FeatureStore`),
    /// `Default` when not set, `unknown` when isolint cannot settle it.
    pub kind: String,
    /// Where it is deployed.
    pub scope: Scope,
    /// Its declaration header.
    pub span: Span,
    /// Whether it is isolated.
    pub isolation: Isolation,
    /// The findings behind `isolation`: the problems when it is not isolated, the notes
    /// when it is unverified; sorted by rule, file and line.
    pub reasons: Vec<Reason>,
    /// Every rule that inspects a resource of the workspace's group and counts in the
    /// score, in rule ID order, with what it found.
    pub checks: Vec<Check>,
    /// The projects whose hub it is.
    pub projects: Vec<Project>,
}

impl Workspace {
    /// The rules whose checks came out `outcome`, in rule ID order.
    pub fn rules(&self, outcome: Outcome) -> impl Iterator<Item = &'static Rule> + '_ {
        self.checks
            .iter()
            .filter(move |check| check.outcome == outcome)
            .map(|check| check.rule)
    }

    /// How many of its checks came out `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.rules(outcome).count()
    }
}

/// The figures of a set of workspaces: the whole report, or one scope.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// How many workspaces.
    pub workspaces: usize,
    /// How many are isolated.
    pub isolated: usize,
    /// How many are not isolated.
    pub not_isolated: usize,
    /// How many are unverified.
    pub unverified: usize,
    /// Their applicable checks.
    pub applicable: usize,
    /// Their passed checks.
    pub passed: usize,
}

impl Totals {
    /// The figures of `workspaces`.
    pub fn of<'a>(workspaces: impl IntoIterator<Item = &'a Workspace>) -> Self {
        let mut totals = Self::default();
        for workspace in workspaces {
            totals.workspaces += 1;
            match workspace.isolation {
                Isolation::Isolated => totals.isolated += 1,
                Isolation::NotIsolated => totals.not_isolated += 1,
                Isolation::Unverified => totals.unverified += 1,
            }
            totals.applicable += workspace.checks.len();
            totals.passed += workspace.count(Outcome::Passed);
        }
        totals
    }
}

/// An open exception: a suppression, whether or not it hid anything.
#[derive(Clone, Debug)]
pub struct Exception {
    /// The rules it suppresses.
    pub rules: Vec<&'static Rule>,
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
    /// The workspaces, those that fail the most checks first (see [`build`]).
    pub workspaces: Vec<Workspace>,
    /// Projects whose hub is not declared in the scan, by file and line.
    pub orphans: Vec<Project>,
    /// The exceptions, the soonest expiry first, those without one last.
    pub exceptions: Vec<Exception>,
}

impl IsolationReport {
    /// The figures over every workspace.
    pub fn totals(&self) -> Totals {
        Totals::of(&self.workspaces)
    }

    /// The figures per scope, by subscription then resource group, the unknown parts last.
    /// Azure names compare case-insensitively, so two spellings of one resource group are
    /// one group, shown as its first workspace spells it.
    pub fn groups(&self) -> Vec<(&Scope, Totals)> {
        let mut groups: BTreeMap<ScopeKey, (&Scope, Vec<&Workspace>)> = BTreeMap::new();
        for workspace in &self.workspaces {
            groups
                .entry(ScopeKey::of(&workspace.scope))
                .or_insert_with(|| (&workspace.scope, Vec::new()))
                .1
                .push(workspace);
        }
        groups
            .into_values()
            .map(|(scope, members)| (scope, Totals::of(members)))
            .collect()
    }

    /// Whether some workspace's subscription or resource group is known, so that
    /// grouping by scope says something.
    pub fn is_scoped(&self) -> bool {
        self.workspaces.iter().any(|w| !w.scope.is_unknown())
    }
}

/// Builds the report from the findings of every rule, run strictly (so that unsettled
/// values are noted) and before suppressions (an exception hides a finding from `check`,
/// not from the report). `options` gives the organisation's policy (`required_tags`);
/// `sources` orders rows by file and line.
///
/// Workspaces come in the order remediation takes them: the most failed checks first;
/// then not isolated before unverified before isolated; then the most unsettled checks;
/// then by file, line and name.
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
    // The findings about each resource, found by its declaration and identity: one pass
    // over the findings, so that a report costs the same per workspace however many
    // there are.
    let mut by_resource: HashMap<ResourceKey, Vec<&Finding>> = HashMap::new();
    for finding in findings
        .iter()
        .filter(|f| f.rule.protects != Protects::Suppressions)
    {
        by_resource
            .entry(ResourceKey::of_finding(finding))
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
            workspaces.push((workspace, assess(model, workspace, &by_resource, options)));
        }
    }

    let mut orphans = Vec::new();
    for project in projects {
        let hub_property = project.get("properties.hubResourceId");
        let target = model.graph().resolve(&project, &hub_property.value);
        let mut entry = Project {
            name: name_of(&project),
            span: project.header(),
            hub: None,
        };
        if let Target::Declared(hub) = &target
            && let Some((_, row)) = workspaces
                .iter_mut()
                .find(|(w, _)| ResourceKey::of(w) == ResourceKey::of(hub))
        {
            row.projects.push(entry);
            continue;
        }
        entry.hub = Some(match target {
            Target::Declared(hub) | Target::Existing(hub) => name_of(&hub),
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
            .sort_by_cached_key(|r| (r.finding.rule.id, place(sources, r.finding.span)));
        workspace
            .projects
            .sort_by_cached_key(|p| place(sources, p.span));
    }
    workspaces.sort_by_cached_key(|w| {
        (
            std::cmp::Reverse(w.count(Outcome::Failed)),
            w.isolation,
            std::cmp::Reverse(w.count(Outcome::Unsettled)),
            place(sources, w.span),
            w.name.clone(),
        )
    });
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
fn verdict_of(findings: &[&Finding], rule: &Rule) -> Option<bool> {
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
        verdicts.push(verdict_of(findings, rule));
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
        let passed = any(members().map(|rule| verdict_of(findings, rule)));
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
        rules: suppression.rules.clone(),
        scope: suppression.name.clone(),
        kind: suppression.kind,
        reason: suppression.reason.clone().filter(|r| !r.trim().is_empty()),
        approved_by: suppression.approved_by.clone(),
        until: suppression.until,
        expired: suppression.until.is_some_and(|until| until < today),
        span: suppression.at,
    }
}

/// What tells resources apart in findings: where the resource is first declared, and its
/// identity (module path, type and name as written), since one declaration reached
/// through two module calls is two resources.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ResourceKey {
    declaration: Span,
    identity: String,
}

impl ResourceKey {
    fn of(resource: &Resource) -> Self {
        let ResourceIdentity {
            declaration,
            identity,
            ..
        } = ResourceIdentity::of(resource);
        Self {
            declaration,
            identity,
        }
    }

    fn of_finding(finding: &Finding) -> Self {
        Self {
            declaration: finding.resource.declaration,
            identity: finding.resource.identity.clone(),
        }
    }
}

/// The name the report gives a workspace: the evaluated name when static evaluation
/// settled it, else the name as written (`workspaceName`, `var.name`). Unlike
/// [`Resource::display_name`], without the subscription and resource group, which the
/// report shows apart.
fn name_of(resource: &Resource) -> String {
    match resource.id.last_name() {
        Some(NamePart::Known(name)) if !resource.looped => name.to_string(),
        _ => resource.origin.name_text.to_string(),
    }
}

/// The workspace kinds, as Azure spells them; a template may write them in any case.
const KINDS: [&str; 4] = ["Default", "Hub", "Project", "FeatureStore"];

/// The workspace's kind in one spelling: Azure's for the kinds it documents, as written
/// for others, `Default` when not set, `unknown` when it depends on a value isolint
/// cannot settle.
fn kind_of(workspace: &Resource) -> String {
    match workspace.get(paths::KIND).value {
        Value::Absent => "Default".to_owned(),
        Value::Known(node) => match node.as_str() {
            Some(kind) => KINDS
                .iter()
                .find(|known| known.eq_ignore_ascii_case(kind))
                .map_or_else(|| kind.to_owned(), |known| (*known).to_owned()),
            None => node.render(),
        },
        Value::Unknown(_) => "unknown".to_owned(),
    }
}

/// A workspace of kind `Project`, which inherits its hub's network.
fn is_project(workspace: &Resource) -> bool {
    matches!(workspace.get(paths::KIND).value, Value::Known(node) if node.str_eq("Project"))
}

/// The workspace, the dependencies it links, its children (computes, outbound rules) and
/// the private endpoints to it: the resources whose findings count for it.
pub(crate) fn group<'m>(model: &'m Model, workspace: ResourceRef<'m>) -> Vec<&'m Resource> {
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
    by_resource: &HashMap<ResourceKey, Vec<&Finding>>,
    options: &Options,
) -> Workspace {
    let members = group(model, workspace);
    // A member reached twice (a dependency that is also a child) counts once.
    let keyed: HashMap<ResourceKey, &Resource> = members
        .iter()
        .map(|member| (ResourceKey::of(member), *member))
        .collect();
    let mut mine: Vec<&Finding> = keyed
        .keys()
        .filter_map(|key| by_resource.get(key))
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
    // The findings behind the status: the problems when it failed, else the notes.
    let reasons = mine
        .iter()
        .filter(|f| deciding_rules.contains(&f.rule.id))
        .filter(|f| match isolation {
            Isolation::Isolated => false,
            Isolation::NotIsolated => !f.unresolved,
            Isolation::Unverified => f.unresolved,
        })
        .map(|f| Reason {
            name: keyed
                .get(&ResourceKey::of_finding(f))
                .map_or_else(|| f.resource.name.clone(), |member| name_of(member)),
            finding: (*f).clone(),
        })
        .collect();

    // The score: the rules that inspect a resource of the group, each passed when it
    // reported nothing there.
    let checks = RULES
        .iter()
        .copied()
        .filter(|rule| scores(rule, options))
        .filter(|rule| {
            rule.targets
                .iter()
                .any(|ty| members.iter().any(|member| member.is(ty)))
        })
        .map(|rule| Check {
            rule,
            outcome: match verdict_of(&mine, rule) {
                Some(true) => Outcome::Passed,
                Some(false) => Outcome::Failed,
                None => Outcome::Unsettled,
            },
        })
        .collect();

    Workspace {
        name: name_of(&workspace),
        resource: ResourceIdentity::of(&workspace),
        kind: kind_of(&workspace),
        scope: Scope::of(&workspace),
        span: workspace.header(),
        isolation,
        reasons,
        checks,
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

    /// A workspace in `scope` with one check of `outcome`.
    fn workspace(scope: (Option<&str>, Option<&str>), outcome: Outcome) -> Workspace {
        let declaration = Span::new(isolint_model::FileId(0), 0, 0);
        Workspace {
            name: "mlw".to_owned(),
            resource: ResourceIdentity {
                ty: ML_WORKSPACE.into(),
                name: "mlw".to_owned(),
                qualified_name: "mlw".to_owned(),
                identity: "mlw".to_owned(),
                declaration,
            },
            kind: "Default".to_owned(),
            scope: Scope {
                subscription: scope.0.map(str::to_owned),
                resource_group: scope.1.map(str::to_owned),
            },
            span: declaration,
            isolation: match outcome {
                Outcome::Passed => Isolation::Isolated,
                Outcome::Failed => Isolation::NotIsolated,
                Outcome::Unsettled => Isolation::Unverified,
            },
            reasons: Vec::new(),
            checks: vec![Check {
                rule: RULES[0],
                outcome,
            }],
            projects: Vec::new(),
        }
    }

    #[test]
    fn groups_are_scopes_compared_as_azure_compares_names() {
        let report = IsolationReport {
            today: Date::from_unix_seconds(0),
            workspaces: vec![
                workspace((None, None), Outcome::Passed),
                workspace((Some("B"), Some("rg-x")), Outcome::Failed),
                workspace((Some("a"), Some("RG-ML")), Outcome::Passed),
                workspace((Some("A"), Some("rg-ml")), Outcome::Unsettled),
            ],
            orphans: Vec::new(),
            exceptions: Vec::new(),
        };
        let groups: Vec<(Option<&str>, Option<&str>, Totals)> = report
            .groups()
            .into_iter()
            .map(|(scope, totals)| {
                (
                    scope.subscription.as_deref(),
                    scope.resource_group.as_deref(),
                    totals,
                )
            })
            .collect();
        let totals = |isolated, not_isolated, unverified, passed| Totals {
            workspaces: isolated + not_isolated + unverified,
            isolated,
            not_isolated,
            unverified,
            applicable: isolated + not_isolated + unverified,
            passed,
        };
        assert_eq!(
            groups,
            [
                (Some("a"), Some("RG-ML"), totals(1, 0, 1, 1)),
                (Some("B"), Some("rg-x"), totals(0, 1, 0, 0)),
                (None, None, totals(1, 0, 0, 1)),
            ]
        );
        assert!(report.is_scoped());
        assert_eq!(report.totals(), totals(2, 1, 1, 2));
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
