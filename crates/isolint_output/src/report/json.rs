//! The isolation report as a JSON document (version 1, `docs/output.md`). What `check`'s
//! JSON also holds (the tool, locations, rules, resources, findings) is written by the
//! same types, so the field names are the same.

use isolint_rules::report::{Isolation, IsolationReport, Outcome, Project, Totals, Workspace};
use serde::Serialize;

use super::Places;
use crate::json::{JsonFinding, Location, Resource, RuleRef, Tool};

/// The document's format version: bumped only when a field changes meaning or disappears
/// (new fields may appear without a bump).
const FORMAT_VERSION: u32 = 1;

/// Pretty-printed, with a trailing newline.
pub(super) fn render(report: &IsolationReport, places: &Places<'_>) -> String {
    let document = Document::new(report, places);
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_else(|error| {
        // Serializing plain structs of strings and numbers cannot fail; if it ever does,
        // still hand back valid JSON that says so.
        serde_json::json!({ "version": FORMAT_VERSION, "error": error.to_string() }).to_string()
    });
    out.push('\n');
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Document<'a> {
    version: u32,
    tool: Tool,
    date: String,
    summary: Summary,
    groups: Vec<ByScope<'a>>,
    workspaces: Vec<JsonWorkspace<'a>>,
    inheriting_projects: Vec<JsonProject<'a>>,
    exceptions: Vec<JsonException<'a>>,
}

/// The figures of a set of workspaces.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Figures {
    workspaces: usize,
    isolated: usize,
    not_isolated: usize,
    unverified: usize,
    isolated_percent: Option<f64>,
    checks: Checks,
    compliance_percent: Option<f64>,
}

#[derive(Serialize)]
struct Checks {
    applicable: usize,
    passed: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    #[serde(flatten)]
    figures: Figures,
    open_exceptions: usize,
    expired_exceptions: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ByScope<'a> {
    subscription: Option<&'a str>,
    resource_group: Option<&'a str>,
    summary: Figures,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonWorkspace<'a> {
    name: &'a str,
    kind: &'a str,
    resource: Resource<'a>,
    subscription: Option<&'a str>,
    resource_group: Option<&'a str>,
    location: Option<Location>,
    status: &'static str,
    checks: WorkspaceChecks,
    reasons: Vec<JsonFinding<'a>>,
    projects: Vec<JsonProject<'a>>,
}

#[derive(Serialize)]
struct WorkspaceChecks {
    applicable: usize,
    passed: usize,
    failed: Vec<RuleRef>,
    unsettled: Vec<RuleRef>,
}

#[derive(Serialize)]
struct JsonProject<'a> {
    name: &'a str,
    location: Option<Location>,
    /// The hub as referenced, for a project whose hub is not in the scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    hub: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonException<'a> {
    rules: Vec<RuleRef>,
    kind: &'static str,
    scope: String,
    reason: Option<&'a str>,
    approved_by: Option<&'a str>,
    until: Option<String>,
    expired: bool,
    location: Option<Location>,
}

impl<'a> Document<'a> {
    fn new(report: &'a IsolationReport, places: &Places<'_>) -> Self {
        let project = |p: &'a Project| JsonProject {
            name: &p.name,
            location: places.json(p.span),
            hub: p.hub.as_deref(),
        };
        let place = |span| places.json(span);
        Self {
            version: FORMAT_VERSION,
            tool: Tool::ISOLINT,
            date: report.today.to_string(),
            summary: Summary {
                figures: Figures::of(&report.totals()),
                open_exceptions: report.exceptions.len(),
                expired_exceptions: report.exceptions.iter().filter(|e| e.expired).count(),
            },
            groups: report
                .groups()
                .into_iter()
                .map(|(scope, totals)| ByScope {
                    subscription: scope.subscription.as_deref(),
                    resource_group: scope.resource_group.as_deref(),
                    summary: Figures::of(&totals),
                })
                .collect(),
            workspaces: report
                .workspaces
                .iter()
                .map(|w| JsonWorkspace::new(w, places, &place, &project))
                .collect(),
            inheriting_projects: report.orphans.iter().map(project).collect(),
            exceptions: report
                .exceptions
                .iter()
                .map(|e| JsonException {
                    rules: e.rules.iter().map(|rule| RuleRef::from(*rule)).collect(),
                    kind: e.kind.as_sarif(),
                    scope: places.exception_scope(e),
                    reason: e.reason.as_deref(),
                    approved_by: e.approved_by.as_deref(),
                    until: e.until.map(|d| d.to_string()),
                    expired: e.expired,
                    location: places.json(e.span),
                })
                .collect(),
        }
    }
}

impl<'a> JsonWorkspace<'a> {
    fn new(
        workspace: &'a Workspace,
        places: &Places<'_>,
        place: &dyn Fn(isolint_model::Span) -> Option<Location>,
        project: &dyn Fn(&'a Project) -> JsonProject<'a>,
    ) -> Self {
        let rules = |outcome| workspace.rules(outcome).map(RuleRef::from).collect();
        Self {
            name: &workspace.name,
            kind: &workspace.kind,
            resource: Resource::from(&workspace.resource),
            subscription: workspace.scope.subscription.as_deref(),
            resource_group: workspace.scope.resource_group.as_deref(),
            location: places.json(workspace.span),
            status: status_key(workspace.isolation),
            checks: WorkspaceChecks {
                applicable: workspace.checks.len(),
                passed: workspace.count(Outcome::Passed),
                failed: rules(Outcome::Failed),
                unsettled: rules(Outcome::Unsettled),
            },
            reasons: workspace
                .reasons
                .iter()
                .map(|reason| JsonFinding::new(&reason.finding, place))
                .collect(),
            projects: workspace.projects.iter().map(project).collect(),
        }
    }
}

impl Figures {
    fn of(totals: &Totals) -> Self {
        Self {
            workspaces: totals.workspaces,
            isolated: totals.isolated,
            not_isolated: totals.not_isolated,
            unverified: totals.unverified,
            isolated_percent: percent_number(totals.isolated, totals.workspaces),
            checks: Checks {
                applicable: totals.applicable,
                passed: totals.passed,
            },
            compliance_percent: percent_number(totals.passed, totals.applicable),
        }
    }
}

/// The status as a JSON value: `not-isolated`.
fn status_key(isolation: Isolation) -> &'static str {
    match isolation {
        Isolation::Isolated => "isolated",
        Isolation::NotIsolated => "not-isolated",
        Isolation::Unverified => "unverified",
    }
}

/// A percentage as a number with one decimal, `None` (`null`) of nothing.
fn percent_number(part: usize, whole: usize) -> Option<f64> {
    super::percent(part, whole).and_then(|p| p.parse::<f64>().ok())
}
