//! The isolation report as plain text: the two headline figures, then a line per workspace
//! with the findings behind its status, the projects without their hub, and the exceptions.

use std::fmt::Write as _;

use isolint_model::SourceMap;
use isolint_rules::report::{Isolation, IsolationReport};

use super::{Location, exception_kind, percent_text, status_words};

pub(super) fn render(report: &IsolationReport, sources: &SourceMap) -> String {
    let total = report.workspaces.len();
    let isolated = report.count(Isolation::Isolated);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Network isolation: {isolated} of {total} {} isolated ({}), {} not isolated, {} unverified",
        if total == 1 {
            "workspace"
        } else {
            "workspaces"
        },
        percent_text(isolated, total),
        report.count(Isolation::NotIsolated),
        report.count(Isolation::Unverified),
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
            status_words(workspace.isolation),
            workspace.name,
            workspace.kind,
            Location::of(sources, workspace.span),
            workspace.passed,
            workspace.applicable,
        );
        for reason in &workspace.reasons {
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
                Location::of(sources, reason.span),
            );
        }
        for project in &workspace.projects {
            let _ = writeln!(
                out,
                "      project {} inherits this hub ({})",
                project.name,
                Location::of(sources, project.span)
            );
        }
    }
    if !report.orphans.is_empty() {
        out.push_str("\nProjects whose hub is not in the scan (they inherit its network):\n");
        for project in &report.orphans {
            let _ = writeln!(
                out,
                "  {} ({}): hub {}",
                project.name,
                Location::of(sources, project.span),
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
            exception.rules.join(", "),
            exception_kind(exception.kind),
            Location::of(sources, exception.span),
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
