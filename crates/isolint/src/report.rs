//! `isolint report`: the figures compliance teams track. Per workspace, whether it is
//! network-isolated; the share of isolated workspaces; a compliance score (rule checks
//! passed over applicable ones); and the open exceptions with owner, reason and expiry.
//!
//! Everything comes from the same model and rule engine as `check`: the report runs every
//! rule (strictly, so that unsettled values are noted) and groups the findings by workspace
//! and the dependencies it links. It repeats no rule logic.

use std::collections::HashSet;
use std::fmt::Write as _;

use isolint_model::types::ML_WORKSPACE;
use isolint_model::{
    EndpointKind, Model, Resource, ResourceRef, Severity, SourceMap, Span, Target, Value,
};
use isolint_rules::{Date, Finding, RULES, ResourceIdentity, Suppression};

use crate::cli::{ReportArgs, ReportFormat};
use crate::config::Config;
use crate::console;
use crate::discover::{self, Discovered};
use crate::exit::Outcome;
use crate::pipeline::{self, Analyzed, Inputs};
use crate::run;

/// AML001: the workspace's public network access.
const PUBLIC_ACCESS: &str = "AML001";
/// AML002: no managed network.
const MANAGED_NETWORK: &str = "AML002";
/// AML003: no workspace private endpoint.
const PRIVATE_ENDPOINT: &str = "AML003";
/// The rules about the storage account, key vault and container registry a workspace
/// links: any of them firing means a dependency is not private.
const DEPENDENCY_RULES: &[&str] = &[
    "AML101", "AML102", "AML111", "AML112", "AML121", "AML122", "AML123",
];

/// Runs `isolint report`.
pub(crate) fn run(args: &ReportArgs) -> Outcome {
    let inputs = Inputs {
        input: &args.input,
        // The report always notes what it cannot settle: that is what "unverified" means.
        strict: true,
        select: &[],
        ignore: &[],
    };
    let prepared = run::load_config(&inputs).and_then(|config| {
        let settings = run::discovery_settings(&inputs, config.as_ref())?;
        Ok((config, settings))
    });
    let (config, settings) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            console::error(&message);
            return Outcome::Error;
        }
    };
    let discovered = discover::discover(&args.input.paths, &settings);
    let analyzed = pipeline::analyze(&inputs, config.as_ref(), discovered);
    let report = build(&analyzed, run::today());
    let rendered = match args.format {
        ReportFormat::Text => render_text(&report),
        ReportFormat::Json => render_json(&report),
        ReportFormat::Markdown => render_markdown(&report),
    };

    let mut failed = false;
    for diagnostic in &analyzed.diagnostics {
        if diagnostic.severity == Severity::Error {
            failed = true;
            console::stderr_line(&format!(
                "error[{}]: {}: {}",
                diagnostic.code,
                diagnostic.path.display(),
                diagnostic.message
            ));
        }
    }
    let written = run::write_output(args.output.as_deref(), &rendered);
    written.max(if failed {
        Outcome::Error
    } else {
        Outcome::Clean
    })
}

/// Whether a workspace is network-isolated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Every isolation check passed.
    Isolated,
    /// At least one isolation check failed.
    NotIsolated,
    /// No check failed, but one depends on a value isolint cannot settle.
    Unverified,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::Isolated => "isolated",
            Self::NotIsolated => "not isolated",
            Self::Unverified => "unverified",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::Isolated => "isolated",
            Self::NotIsolated => "not-isolated",
            Self::Unverified => "unverified",
        }
    }
}

/// A file and a 1-based line.
#[derive(Clone, Debug)]
struct Location {
    file: String,
    line: u32,
}

impl Location {
    fn of(sources: &SourceMap, span: Span) -> Self {
        match sources.get(span.file) {
            Some(file) => Self {
                file: file.name.clone(),
                line: file.position(span.start).line,
            },
            None => Self {
                file: String::new(),
                line: 0,
            },
        }
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({ "file": self.file, "line": self.line })
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A finding that decided a workspace's status.
#[derive(Clone, Debug)]
struct Reason {
    rule: &'static str,
    name: &'static str,
    unresolved: bool,
    resource: String,
    message: String,
    location: Location,
}

/// A project, which inherits its hub's network.
#[derive(Clone, Debug)]
struct Project {
    name: String,
    location: Location,
    /// The hub as referenced, when it is not declared in the scan.
    hub: String,
}

/// One workspace's line in the report.
#[derive(Clone, Debug)]
struct Workspace {
    name: String,
    kind: String,
    location: Location,
    status: Status,
    reasons: Vec<Reason>,
    applicable: usize,
    passed: usize,
    projects: Vec<Project>,
}

/// An open exception.
#[derive(Clone, Debug)]
struct Exception {
    rules: Vec<&'static str>,
    scope: String,
    kind: &'static str,
    reason: Option<String>,
    approved_by: Option<String>,
    until: Option<Date>,
    expired: bool,
    location: Location,
}

/// The whole report.
#[derive(Clone, Debug)]
pub(crate) struct Kpis {
    today: Date,
    workspaces: Vec<Workspace>,
    /// Projects whose hub is not declared in the scan.
    orphans: Vec<Project>,
    exceptions: Vec<Exception>,
}

impl Kpis {
    fn count(&self, status: Status) -> usize {
        self.workspaces
            .iter()
            .filter(|w| w.status == status)
            .count()
    }

    fn applicable(&self) -> usize {
        self.workspaces.iter().map(|w| w.applicable).sum()
    }

    fn passed(&self) -> usize {
        self.workspaces.iter().map(|w| w.passed).sum()
    }
}

/// Builds the report: every rule runs, strictly, with the configuration's levels and
/// required tags, whatever `select`/`ignore` say, so that scores compare across teams.
fn build(analyzed: &Analyzed, today: Date) -> Kpis {
    let options = isolint_rules::Options {
        select: Vec::new(),
        ignore: Vec::new(),
        strict: true,
        ..analyzed.rule_options.clone()
    };
    let findings = isolint_rules::check(&analyzed.model, &options);
    let model = &analyzed.model;
    let sources = &analyzed.sources;

    let mut workspaces = Vec::new();
    let mut projects = Vec::new();
    for workspace in model
        .graph()
        .resources_of(ML_WORKSPACE)
        .filter(|r| !r.existing)
    {
        if is_project(&workspace) {
            projects.push(workspace);
            continue;
        }
        workspaces.push((
            workspace,
            assess(model, sources, workspace, &findings, &options),
        ));
    }

    let mut orphans = Vec::new();
    for project in projects {
        let hub_prop = project.get("properties.hubResourceId");
        let target = model.graph().resolve(&project, &hub_prop.value);
        let mut entry = Project {
            name: project.display_name(),
            location: Location::of(sources, project.header()),
            hub: String::new(),
        };
        if let Target::Declared(hub) = &target
            && let Some((_, row)) = workspaces
                .iter_mut()
                .find(|(w, _)| declaration(w) == declaration(hub))
        {
            row.projects.push(entry);
            continue;
        }
        entry.hub = match target {
            Target::Declared(hub) | Target::Existing(hub) => hub.display_name(),
            Target::External(id) => id.render_expression(),
            Target::Unknown(unknown) => unknown.expr.to_string(),
            Target::Absent => "no hubResourceId".to_owned(),
        };
        orphans.push(entry);
    }

    let mut workspaces: Vec<Workspace> = workspaces.into_iter().map(|(_, row)| row).collect();
    workspaces.sort_by(|a, b| {
        (&a.location.file, a.location.line, &a.name).cmp(&(
            &b.location.file,
            b.location.line,
            &b.name,
        ))
    });
    orphans.sort_by(|a, b| {
        (&a.location.file, a.location.line).cmp(&(&b.location.file, b.location.line))
    });

    let mut exceptions: Vec<Exception> = analyzed
        .suppressions
        .iter()
        .map(|s| exception(s, sources, today))
        .collect();
    // By expiry, the soonest first; exceptions without one last.
    exceptions.sort_by(|a, b| {
        (
            a.until.is_none(),
            a.until,
            &a.location.file,
            a.location.line,
        )
            .cmp(&(
                b.until.is_none(),
                b.until,
                &b.location.file,
                b.location.line,
            ))
    });

    Kpis {
        today,
        workspaces,
        orphans,
        exceptions,
    }
}

fn exception(suppression: &Suppression, sources: &SourceMap, today: Date) -> Exception {
    Exception {
        rules: suppression.rules.iter().map(|r| r.id).collect(),
        scope: suppression.name.clone(),
        kind: match suppression.kind {
            isolint_rules::SuppressionKind::InSource => "inline",
            isolint_rules::SuppressionKind::External => "config",
        },
        reason: suppression.reason.clone().filter(|r| !r.trim().is_empty()),
        approved_by: suppression.approved_by.clone(),
        until: suppression.until,
        expired: suppression.until.is_some_and(|until| until < today),
        location: Location::of(sources, suppression.at),
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

/// A rule's verdict on a workspace: `Some(true)` when it reported nothing, `Some(false)`
/// when it reported a problem, `None` when it only noted an unsettled value.
fn verdict(findings: &[&Finding], rule: &str) -> Option<bool> {
    let mut noted = false;
    for finding in findings.iter().filter(|f| f.rule.id == rule) {
        if !finding.unresolved {
            return Some(false);
        }
        noted = true;
    }
    if noted { None } else { Some(true) }
}

/// Three-valued `and`: false wins, then unknown.
fn all(verdicts: impl IntoIterator<Item = Option<bool>>) -> Option<bool> {
    let mut result = Some(true);
    for verdict in verdicts {
        match verdict {
            Some(false) => return Some(false),
            None => result = None,
            Some(true) => {}
        }
    }
    result
}

/// Three-valued `or`: true wins, then unknown.
fn any(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn assess(
    model: &Model,
    sources: &SourceMap,
    workspace: ResourceRef<'_>,
    findings: &[Finding],
    options: &isolint_rules::Options,
) -> Workspace {
    let members = group(model, workspace);
    // Resources are told apart by where they are declared: identities repeat across files.
    let declared: HashSet<Span> = members.iter().map(|r| declaration(r)).collect();
    let mine: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule.id.starts_with("AML") && declared.contains(&f.resource.declaration))
        .collect();

    let isolated = all([
        verdict(&mine, PUBLIC_ACCESS),
        any(
            verdict(&mine, MANAGED_NETWORK),
            verdict(&mine, PRIVATE_ENDPOINT),
        ),
    ]
    .into_iter()
    .chain(DEPENDENCY_RULES.iter().map(|rule| verdict(&mine, rule))));
    let status = match isolated {
        Some(true) => Status::Isolated,
        Some(false) => Status::NotIsolated,
        None => Status::Unverified,
    };
    // The findings behind the status: the failures when it failed, else the notes.
    let deciding = |f: &&&Finding| {
        let rule = f.rule.id;
        let relevant = rule == PUBLIC_ACCESS
            || DEPENDENCY_RULES.contains(&rule)
            || ((rule == MANAGED_NETWORK || rule == PRIVATE_ENDPOINT)
                && any(
                    verdict(&mine, MANAGED_NETWORK),
                    verdict(&mine, PRIVATE_ENDPOINT),
                ) != Some(true));
        relevant
            && match status {
                Status::Isolated => false,
                Status::NotIsolated => !f.unresolved,
                Status::Unverified => f.unresolved,
            }
    };
    let mut reasons: Vec<Reason> = mine
        .iter()
        .filter(deciding)
        .map(|f| Reason {
            rule: f.rule.id,
            name: f.rule.name,
            unresolved: f.unresolved,
            resource: f.resource.name.clone(),
            message: f.message.clone(),
            location: Location::of(sources, f.span),
        })
        .collect();
    reasons.sort_by(|a, b| {
        (a.rule, &a.location.file, a.location.line).cmp(&(
            b.rule,
            &b.location.file,
            b.location.line,
        ))
    });

    // The score: the AML rules that inspect a resource of the group, each passed when it
    // reported nothing there (AML301 only applies when tags are required).
    let applicable: Vec<&str> = RULES
        .iter()
        .filter(|rule| rule.id.starts_with("AML"))
        .filter(|rule| rule.id != "AML301" || !options.required_tags.is_empty())
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
        location: Location::of(sources, workspace.header()),
        status,
        reasons,
        applicable: applicable.len(),
        passed,
        projects: Vec::new(),
    }
}

/// `part` of `whole` in percent, with one decimal (`None` when `whole` is zero).
fn percent(part: usize, whole: usize) -> Option<String> {
    if whole == 0 {
        return None;
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    Some(format!("{}.{}", tenths / 10, tenths % 10))
}

fn percent_text(part: usize, whole: usize) -> String {
    percent(part, whole).map_or_else(|| "n/a".to_owned(), |p| format!("{p}%"))
}

fn percent_json(part: usize, whole: usize) -> serde_json::Value {
    percent(part, whole)
        .and_then(|p| p.parse::<f64>().ok())
        .map_or(serde_json::Value::Null, serde_json::Value::from)
}

fn counted(count: usize, one: &str, many: &str) -> String {
    crate::exit::counted(count, one, many)
}

fn render_text(report: &Kpis) -> String {
    let total = report.workspaces.len();
    let isolated = report.count(Status::Isolated);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Network isolation: {isolated} of {} isolated ({}), {} not isolated, {} unverified",
        counted(total, "workspace", "workspaces"),
        percent_text(isolated, total),
        report.count(Status::NotIsolated),
        report.count(Status::Unverified),
    );
    let _ = writeln!(
        out,
        "Compliance score: {} of {} checks passed ({})",
        report.passed(),
        report.applicable(),
        percent_text(report.passed(), report.applicable()),
    );
    if !report.workspaces.is_empty() {
        out.push_str("\nWorkspaces:\n");
    }
    for workspace in &report.workspaces {
        let _ = writeln!(
            out,
            "  {:<12}  {} ({}, {})  checks {}/{}",
            workspace.status.as_str(),
            workspace.name,
            workspace.kind,
            workspace.location,
            workspace.passed,
            workspace.applicable,
        );
        for reason in &workspace.reasons {
            let _ = writeln!(
                out,
                "      {}{} {}: {} ({})",
                reason.rule,
                if reason.unresolved {
                    " (unsettled)"
                } else {
                    ""
                },
                reason.name,
                reason.message,
                reason.location,
            );
        }
        for project in &workspace.projects {
            let _ = writeln!(
                out,
                "      project {} inherits this hub ({})",
                project.name, project.location
            );
        }
    }
    if !report.orphans.is_empty() {
        out.push_str("\nProjects whose hub is not in the scan (they inherit its network):\n");
        for project in &report.orphans {
            let _ = writeln!(
                out,
                "  {} ({}): hub {}",
                project.name, project.location, project.hub
            );
        }
    }
    let _ = writeln!(out, "\nOpen exceptions: {}", report.exceptions.len());
    for exception in &report.exceptions {
        let until = exception
            .until
            .map_or_else(|| "no expiry".to_owned(), |d| d.to_string());
        let _ = writeln!(
            out,
            "  {until}{}  {} ({}, {})",
            if exception.expired { " EXPIRED" } else { "" },
            exception.rules.join(", "),
            exception.kind,
            exception.location,
        );
        let _ = writeln!(
            out,
            "      approved by: {}; reason: {}",
            exception.approved_by.as_deref().unwrap_or("nobody named"),
            exception.reason.as_deref().unwrap_or("none given"),
        );
    }
    out
}

/// The KPIs as Markdown for `check --format markdown`: the same analysis as `isolint
/// report`, strict whatever `check` was asked.
pub(crate) fn markdown_kpis(
    inputs: &Inputs<'_>,
    config: Option<&Config>,
    discovered: Discovered,
) -> String {
    let strict = Inputs {
        strict: true,
        ..*inputs
    };
    let analyzed = pipeline::analyze(&strict, config, discovered);
    render_markdown(&build(&analyzed, run::today()))
}

fn render_markdown(report: &Kpis) -> String {
    let total = report.workspaces.len();
    let isolated = report.count(Status::Isolated);
    let mut out = String::from("# Network isolation report\n\n");
    out.push_str("| Metric | Value |\n| --- | --- |\n");
    let _ = writeln!(out, "| Workspaces | {total} |");
    let _ = writeln!(
        out,
        "| Isolated | {isolated} ({}) |",
        percent_text(isolated, total)
    );
    let _ = writeln!(
        out,
        "| Not isolated | {} |",
        report.count(Status::NotIsolated)
    );
    let _ = writeln!(out, "| Unverified | {} |", report.count(Status::Unverified));
    let _ = writeln!(
        out,
        "| Compliance score | {}/{} ({}) |",
        report.passed(),
        report.applicable(),
        percent_text(report.passed(), report.applicable())
    );
    let _ = writeln!(out, "| Open exceptions | {} |", report.exceptions.len());

    if !report.workspaces.is_empty() {
        out.push_str("\n## Workspaces\n\n");
        out.push_str("| Workspace | Kind | Status | Checks | Location | Why |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for workspace in &report.workspaces {
            let mut why: Vec<String> = workspace
                .reasons
                .iter()
                .map(|r| {
                    let unsettled = if r.unresolved { " (unsettled)" } else { "" };
                    format!("{}{unsettled} on `{}`", r.rule, cell(&r.resource))
                })
                .collect();
            why.extend(
                workspace
                    .projects
                    .iter()
                    .map(|p| format!("project `{}` inherits", cell(&p.name))),
            );
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {}/{} | `{}` | {} |",
                cell(&workspace.name),
                cell(&workspace.kind),
                workspace.status.as_str(),
                workspace.passed,
                workspace.applicable,
                workspace.location,
                why.join("<br>"),
            );
        }
    }
    if !report.orphans.is_empty() {
        out.push_str("\n## Projects whose hub is not in the scan\n\n");
        out.push_str("| Project | Hub | Location |\n| --- | --- | --- |\n");
        for project in &report.orphans {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | `{}` |",
                cell(&project.name),
                cell(&project.hub),
                project.location
            );
        }
    }
    if !report.exceptions.is_empty() {
        out.push_str("\n## Open exceptions\n\n");
        out.push_str("| Expires | Rules | Approved by | Reason | Where |\n");
        out.push_str("| --- | --- | --- | --- | --- |\n");
        for exception in &report.exceptions {
            let until = exception
                .until
                .map_or_else(|| "never".to_owned(), |d| d.to_string());
            let _ = writeln!(
                out,
                "| {until}{} | {} | {} | {} | `{}` ({}) |",
                if exception.expired {
                    " **expired**"
                } else {
                    ""
                },
                exception.rules.join(", "),
                cell(exception.approved_by.as_deref().unwrap_or("-")),
                cell(exception.reason.as_deref().unwrap_or("-")),
                exception.location,
                exception.kind,
            );
        }
    }
    out
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn render_json(report: &Kpis) -> String {
    let total = report.workspaces.len();
    let isolated = report.count(Status::Isolated);
    let project = |p: &Project| {
        let mut value = serde_json::json!({ "name": p.name, "location": p.location.json() });
        if !p.hub.is_empty() {
            value["hub"] = serde_json::Value::from(p.hub.clone());
        }
        value
    };
    let workspaces: Vec<serde_json::Value> = report
        .workspaces
        .iter()
        .map(|w| {
            serde_json::json!({
                "name": w.name,
                "kind": w.kind,
                "location": w.location.json(),
                "status": w.status.key(),
                "checks": { "applicable": w.applicable, "passed": w.passed },
                "reasons": w.reasons.iter().map(|r| serde_json::json!({
                    "ruleId": r.rule,
                    "ruleName": r.name,
                    "unresolved": r.unresolved,
                    "resource": r.resource,
                    "message": r.message,
                    "location": r.location.json(),
                })).collect::<Vec<_>>(),
                "projects": w.projects.iter().map(project).collect::<Vec<_>>(),
            })
        })
        .collect();
    let exceptions: Vec<serde_json::Value> = report
        .exceptions
        .iter()
        .map(|e| {
            serde_json::json!({
                "rules": e.rules,
                "kind": e.kind,
                "scope": e.scope,
                "reason": e.reason,
                "approvedBy": e.approved_by,
                "until": e.until.map(|d| d.to_string()),
                "expired": e.expired,
                "location": e.location.json(),
            })
        })
        .collect();
    let value = serde_json::json!({
        "version": 1,
        "date": report.today.to_string(),
        "summary": {
            "workspaces": total,
            "isolated": isolated,
            "notIsolated": report.count(Status::NotIsolated),
            "unverified": report.count(Status::Unverified),
            "isolatedPercent": percent_json(isolated, total),
            "checks": { "applicable": report.applicable(), "passed": report.passed() },
            "compliancePercent": percent_json(report.passed(), report.applicable()),
            "openExceptions": report.exceptions.len(),
            "expiredExceptions": report.exceptions.iter().filter(|e| e.expired).count(),
        },
        "workspaces": workspaces,
        "inheritingProjects": report.orphans.iter().map(project).collect::<Vec<_>>(),
        "exceptions": exceptions,
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_one_decimal() {
        assert_eq!(percent(1, 3).as_deref(), Some("33.3"));
        assert_eq!(percent(2, 3).as_deref(), Some("66.7"));
        assert_eq!(percent(3, 3).as_deref(), Some("100.0"));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn three_valued_logic() {
        assert_eq!(all([Some(true), None]), None);
        assert_eq!(all([None, Some(false)]), Some(false));
        assert_eq!(all([Some(true)]), Some(true));
        assert_eq!(any(None, Some(true)), Some(true));
        assert_eq!(any(None, Some(false)), None);
        assert_eq!(any(Some(false), Some(false)), Some(false));
    }
}
