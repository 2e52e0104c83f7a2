//! The isolation report as Markdown, for a management summary, a wiki page or a pull
//! request: a table of figures, the figures per subscription and resource group when the
//! workspaces' IDs name them, then tables of workspaces (the most failed checks first), of
//! projects without their hub, and of exceptions. Everything taken from templates, exports
//! and paths is escaped as in `check`'s Markdown summary.

use std::fmt::Write as _;

use isolint_rules::report::{IsolationReport, Outcome, Workspace};

use super::{Places, exception_kind, ids, percent_text, status_words};
use crate::markdown::{code, plain};

/// `title_level` is the level of the report's title; its sections are one deeper.
pub(super) fn render(report: &IsolationReport, places: &Places<'_>, title_level: usize) -> String {
    let title = "#".repeat(title_level.clamp(1, 5));
    let section = format!("{title}#");
    let totals = report.totals();
    let mut out = format!("{title} Network isolation report\n\n");
    out.push_str("| Metric | Value |\n| --- | --- |\n");
    let _ = writeln!(out, "| Workspaces | {} |", totals.workspaces);
    let _ = writeln!(
        out,
        "| Isolated | {} ({}) |",
        totals.isolated,
        percent_text(totals.isolated, totals.workspaces)
    );
    let _ = writeln!(out, "| Not isolated | {} |", totals.not_isolated);
    let _ = writeln!(out, "| Unverified | {} |", totals.unverified);
    let _ = writeln!(
        out,
        "| Compliance score | {}/{} ({}) |",
        totals.passed,
        totals.applicable,
        percent_text(totals.passed, totals.applicable)
    );
    let expired = report.exceptions.iter().filter(|e| e.expired).count();
    let _ = writeln!(
        out,
        "| Open exceptions | {}{} |",
        report.exceptions.len(),
        if expired > 0 {
            format!(" ({expired} expired)")
        } else {
            String::new()
        }
    );

    let scoped = report.is_scoped();
    if scoped {
        let _ = writeln!(out, "\n{section} By subscription and resource group\n");
        out.push_str(
            "| Subscription | Resource group | Workspaces | Isolated | Not isolated | Unverified | Compliance score |\n",
        );
        out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (scope, totals) in report.groups() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} ({}) | {} | {} | {}/{} ({}) |",
                known(scope.subscription.as_deref()),
                known(scope.resource_group.as_deref()),
                totals.workspaces,
                totals.isolated,
                percent_text(totals.isolated, totals.workspaces),
                totals.not_isolated,
                totals.unverified,
                totals.passed,
                totals.applicable,
                percent_text(totals.passed, totals.applicable),
            );
        }
    }

    if !report.workspaces.is_empty() {
        let _ = writeln!(out, "\n{section} Workspaces\n");
        out.push_str("The most failed checks first.\n\n| Workspace |");
        if scoped {
            out.push_str(" Subscription | Resource group |");
        }
        out.push_str(" Kind | Status | Checks passed | Failed checks | Location | Why |\n|");
        out.push_str(&" --- |".repeat(if scoped { 9 } else { 7 }));
        out.push('\n');
        for workspace in &report.workspaces {
            write_workspace(&mut out, workspace, places, scoped);
        }
    }
    if !report.orphans.is_empty() {
        let _ = writeln!(out, "\n{section} Projects whose hub is not in the scan\n");
        out.push_str("| Project | Hub | Location |\n| --- | --- | --- |\n");
        for project in &report.orphans {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                code(&project.name),
                code(project.hub.as_deref().unwrap_or_default()),
                code(&places.text(project.span)),
            );
        }
    }
    if !report.exceptions.is_empty() {
        let _ = writeln!(out, "\n{section} Open exceptions\n");
        out.push_str("| Expires | Rules | Approved by | Reason | Where |\n");
        out.push_str("| --- | --- | --- | --- | --- |\n");
        for exception in &report.exceptions {
            let until = exception
                .until
                .map_or_else(|| "never".to_owned(), |d| d.to_string());
            let _ = writeln!(
                out,
                "| {until}{} | {} | {} | {} | {} ({}) |",
                if exception.expired {
                    " **expired**"
                } else {
                    ""
                },
                ids(exception.rules.iter().copied()),
                plain(exception.approved_by.as_deref().unwrap_or("-")),
                plain(exception.reason.as_deref().unwrap_or("-")),
                code(&places.text(exception.span)),
                exception_kind(exception.kind),
            );
        }
    }
    out
}

/// A row of the workspaces table.
fn write_workspace(out: &mut String, workspace: &Workspace, places: &Places<'_>, scoped: bool) {
    let mut row = format!("| {} |", code(&workspace.name));
    if scoped {
        let _ = write!(
            row,
            " {} | {} |",
            known(workspace.scope.subscription.as_deref()),
            known(workspace.scope.resource_group.as_deref())
        );
    }
    let mut failed = Vec::new();
    if workspace.count(Outcome::Failed) > 0 {
        failed.push(ids(workspace.rules(Outcome::Failed)));
    }
    if workspace.count(Outcome::Unsettled) > 0 {
        failed.push(format!(
            "unsettled: {}",
            ids(workspace.rules(Outcome::Unsettled))
        ));
    }
    let mut why: Vec<String> = workspace
        .reasons
        .iter()
        .map(|reason| {
            let unsettled = if reason.finding.unresolved {
                " (unsettled)"
            } else {
                ""
            };
            format!(
                "{}{unsettled} on {}",
                reason.finding.rule.id,
                code(&reason.name)
            )
        })
        .collect();
    why.extend(
        workspace
            .projects
            .iter()
            .map(|p| format!("project {} inherits", code(&p.name))),
    );
    let _ = writeln!(
        out,
        "{row} {} | {} | {}/{} | {} | {} | {} |",
        plain(&workspace.kind),
        status_words(workspace.isolation),
        workspace.count(Outcome::Passed),
        workspace.checks.len(),
        if failed.is_empty() {
            "none".to_owned()
        } else {
            failed.join("; ")
        },
        code(&places.text(workspace.span)),
        why.join("<br>"),
    );
}

/// A subscription or resource group in a cell: in code when known, `-` when not.
fn known(part: Option<&str>) -> String {
    part.map_or_else(|| "-".to_owned(), code)
}
