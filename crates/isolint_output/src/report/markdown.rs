//! The isolation report as Markdown: a table of figures, then tables of workspaces, of
//! projects without their hub, and of exceptions.

use std::fmt::Write as _;

use isolint_model::SourceMap;
use isolint_rules::report::{Isolation, IsolationReport};

use super::{Location, exception_kind, percent_text, status_words};

pub(super) fn render(report: &IsolationReport, sources: &SourceMap) -> String {
    let total = report.workspaces.len();
    let isolated = report.count(Isolation::Isolated);
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
        report.count(Isolation::NotIsolated)
    );
    let _ = writeln!(
        out,
        "| Unverified | {} |",
        report.count(Isolation::Unverified)
    );
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
                    format!("{}{unsettled} on `{}`", r.rule.id, cell(&r.resource))
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
                status_words(workspace.isolation),
                workspace.passed,
                workspace.applicable,
                Location::of(sources, workspace.span),
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
                cell(project.hub.as_deref().unwrap_or_default()),
                Location::of(sources, project.span)
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
                Location::of(sources, exception.span),
                exception_kind(exception.kind),
            );
        }
    }
    out
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
