//! The isolation report as plain text: the two headline figures, the figures per
//! subscription and resource group when the workspaces' IDs name them, then a block per
//! workspace (the most failed checks first) with the checks it failed and the findings
//! behind its status, the projects without their hub, and the exceptions.

use std::fmt::Write as _;

use isolint_rules::report::{IsolationReport, Outcome, Workspace};

use super::{Places, exception_kind, ids, isolation_words, scope_words, score_words, status_words};

pub(super) fn render(report: &IsolationReport, places: &Places<'_>) -> String {
    let totals = report.totals();
    let mut out = String::new();
    let _ = writeln!(out, "Network isolation: {}", isolation_words(&totals));
    let _ = writeln!(out, "Compliance score: {}", score_words(&totals));
    if report.is_scoped() {
        out.push_str("\nBy subscription and resource group:\n");
        for (scope, totals) in report.groups() {
            let _ = writeln!(
                out,
                "  {}: {}; {}",
                scope_words(scope),
                isolation_words(&totals),
                score_words(&totals)
            );
        }
    }
    if !report.workspaces.is_empty() {
        out.push_str("\nWorkspaces, the most failed checks first:\n");
    }
    for workspace in &report.workspaces {
        write_workspace(&mut out, workspace, places);
    }
    if !report.orphans.is_empty() {
        out.push_str("\nProjects whose hub is not in the scan (they inherit its network):\n");
        for project in &report.orphans {
            let _ = writeln!(
                out,
                "  {} ({}): hub {}",
                project.name,
                places.text(project.span),
                project.hub.as_deref().unwrap_or_default()
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
            ids(exception.rules.iter().copied()),
            exception_kind(exception.kind),
            places.text(exception.span),
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

/// A workspace: its status, name, kind, scope and place; the checks it did not pass; the
/// findings behind its status; the projects that inherit its network.
fn write_workspace(out: &mut String, workspace: &Workspace, places: &Places<'_>) {
    let mut about = vec![workspace.kind.clone()];
    if !workspace.scope.is_unknown() {
        about.push(scope_words(&workspace.scope));
    }
    about.push(places.text(workspace.span));
    let _ = writeln!(
        out,
        "  {:<12}  {} ({})",
        status_words(workspace.isolation),
        workspace.name,
        about.join(", "),
    );
    let mut checks = format!(
        "checks: {} of {} passed",
        workspace.count(Outcome::Passed),
        workspace.checks.len()
    );
    for (outcome, label) in [
        (Outcome::Failed, "failed"),
        (Outcome::Unsettled, "unsettled"),
    ] {
        if workspace.count(outcome) > 0 {
            let _ = write!(checks, "; {label}: {}", ids(workspace.rules(outcome)));
        }
    }
    let _ = writeln!(out, "      {checks}");
    for reason in workspace.reasons.iter().map(|reason| &reason.finding) {
        let _ = writeln!(
            out,
            "      {}{} {}: {} ({})",
            reason.rule.id,
            if reason.unresolved {
                " (unsettled)"
            } else {
                ""
            },
            reason.rule.name,
            reason.message,
            places.text(reason.span),
        );
    }
    for project in &workspace.projects {
        let _ = writeln!(
            out,
            "      project {} inherits this hub ({})",
            project.name,
            places.text(project.span)
        );
    }
}
