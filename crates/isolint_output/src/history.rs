//! The history of findings (`isolint report --history`) in text, JSON and Markdown: per
//! workspace, the mean time to remediate over the findings that closed, then the findings
//! still open with their age, then those remediated with when they opened and closed.

use std::fmt::Write as _;

use isolint_rules::Date;
use isolint_rules::history::{Commit, History, Record, WorkspaceHistory};
use serde_json::{Value, json};

use crate::markdown::{code, counted, message};
use crate::report::ReportFormat;

/// Renders `history` in `format`.
pub fn render_history(format: ReportFormat, history: &History) -> String {
    match format {
        ReportFormat::Text => text(history),
        ReportFormat::Json => json_document(history),
        ReportFormat::Markdown => markdown(history),
    }
}

/// A duration in words: `3 d 4 h`, `5 h 12 min`, `40 min`, `less than a minute`.
pub(crate) fn duration(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let (days, hours, minutes) = (minutes / 1_440, minutes / 60 % 24, minutes % 60);
    match (days, hours, minutes) {
        (0, 0, 0) => "less than a minute".to_owned(),
        (0, 0, m) => format!("{m} min"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// `2026-03-01`.
fn day(seconds: i64) -> String {
    Date::from_unix_seconds(u64::try_from(seconds).unwrap_or(0)).to_string()
}

/// `2026-03-01 (1a2b3c4)`.
fn at(commit: &Commit) -> String {
    format!("{} ({})", day(commit.seconds), commit.id)
}

/// The window and the counts, in a sentence.
fn scope(history: &History) -> String {
    let walk = &history.walk;
    let mut out = format!(
        "{} of the branch, {} analysed",
        counted(walk.commits, "commit", "commits"),
        walk.evaluated
    );
    match (walk.since, &walk.head) {
        (Some(since), _) => {
            let _ = write!(out, ", since {since}");
        }
        (None, _) => out.push_str(", from the first commit"),
    }
    if let Some(head) = &walk.head {
        let _ = write!(out, ", to {}", at(head));
    }
    out
}

/// `MTTR 3 d 4 h over 5 remediated findings` or `no finding remediated`.
fn mttr(value: Option<i64>, remediated: usize) -> String {
    match value {
        Some(seconds) => format!(
            "MTTR {} over {}",
            duration(seconds),
            counted(remediated, "remediated finding", "remediated findings")
        ),
        None if remediated > 0 => format!(
            "{} (opened before the window: no MTTR)",
            counted(remediated, "remediated finding", "remediated findings")
        ),
        None => "no finding remediated".to_owned(),
    }
}

fn opened(record: &Record) -> String {
    if record.opened_before {
        format!("open on or before {}", at(&record.opened))
    } else {
        format!("opened {}", at(&record.opened))
    }
}

fn text(history: &History) -> String {
    let now = history.walk.now;
    let mut out = format!("History of findings: {}\n", scope(history));
    let summary = mttr(history.mttr(), history.remediated());
    let mut chars = summary.chars();
    let capitalized: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let _ = writeln!(out, "{capitalized}; {} open\n", history.open());
    if history.workspaces.is_empty() {
        out.push_str("No finding in any workspace over the history.\n");
    }
    for workspace in &history.workspaces {
        let _ = writeln!(
            out,
            "workspace {}: {}; {} open",
            workspace.workspace,
            mttr(workspace.mttr(), workspace.remediated.len()),
            workspace.open.len()
        );
        for record in &workspace.open {
            let _ = writeln!(
                out,
                "  open   {} {} on {}: {}, {} old",
                record.rule.id,
                record.rule.name,
                record.resource,
                opened(record),
                duration(record.duration(now)),
            );
        }
        for record in &workspace.remediated {
            let closed = record.closed.as_ref().map(at).unwrap_or_default();
            let _ = writeln!(
                out,
                "  fixed  {} {} on {}: {}, closed {} after {}",
                record.rule.id,
                record.rule.name,
                record.resource,
                opened(record),
                closed,
                duration(record.duration(now)),
            );
        }
        out.push('\n');
    }
    out
}

fn commit_json(commit: &Commit) -> Value {
    json!({
        "commit": commit.id,
        "date": day(commit.seconds),
        "time": commit.seconds,
        "summary": commit.summary,
    })
}

fn record_json(record: &Record, now: i64) -> Value {
    json!({
        "rule": { "id": record.rule.id, "name": record.rule.name },
        "resource": record.resource,
        "message": record.message,
        "opened": commit_json(&record.opened),
        "openedBeforeWindow": record.opened_before,
        "closed": record.closed.as_ref().map(commit_json),
        "seconds": record.duration(now),
    })
}

fn workspace_json(workspace: &WorkspaceHistory, now: i64) -> Value {
    json!({
        "workspace": workspace.workspace,
        "mttrSeconds": workspace.mttr(),
        "open": workspace.open.iter().map(|r| record_json(r, now)).collect::<Vec<_>>(),
        "remediated": workspace.remediated.iter().map(|r| record_json(r, now)).collect::<Vec<_>>(),
    })
}

fn json_document(history: &History) -> String {
    let walk = &history.walk;
    let document = json!({
        "version": 1,
        "tool": { "name": "isolint", "version": env!("CARGO_PKG_VERSION") },
        "history": {
            "since": walk.since.map(|d| d.to_string()),
            "now": walk.now,
            "commits": walk.commits,
            "analysed": walk.evaluated,
            "head": walk.head.as_ref().map(commit_json),
        },
        "mttrSeconds": history.mttr(),
        "remediated": history.remediated(),
        "open": history.open(),
        "workspaces": history.workspaces.iter().map(|w| workspace_json(w, walk.now)).collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

fn markdown(history: &History) -> String {
    let now = history.walk.now;
    let mut out = format!(
        "## Findings over time\n\n{}.\n\n**{}**; {} open.\n",
        message(&scope(history)),
        mttr(history.mttr(), history.remediated()),
        history.open()
    );
    if !history.workspaces.is_empty() {
        out.push_str(
            "\n| Workspace | MTTR | Remediated | Open | Oldest open |\n|---|---|---|---|---|\n",
        );
    }
    for workspace in &history.workspaces {
        let oldest = workspace
            .open
            .iter()
            .map(|r| r.duration(now))
            .max()
            .map_or_else(|| "-".to_owned(), duration);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            code(&workspace.workspace),
            workspace.mttr().map_or_else(|| "-".to_owned(), duration),
            workspace.remediated.len(),
            workspace.open.len(),
            oldest
        );
    }
    for workspace in history.workspaces.iter().filter(|w| !w.open.is_empty()) {
        let _ = write!(
            out,
            "\n### Open in {}\n\n| Rule | Resource | Opened | Age |\n|---|---|---|---|\n",
            code(&workspace.workspace)
        );
        for record in &workspace.open {
            let _ = writeln!(
                out,
                "| {} {} | {} | {} | {} |",
                record.rule.id,
                record.rule.name,
                code(&record.resource),
                message(&opened(record)),
                duration(record.duration(now))
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_the_largest_units() {
        assert_eq!(duration(0), "less than a minute");
        assert_eq!(duration(59), "less than a minute");
        assert_eq!(duration(40 * 60), "40 min");
        assert_eq!(duration(5 * 3600 + 12 * 60 + 5), "5 h 12 min");
        assert_eq!(duration(3 * 86_400 + 4 * 3600 + 59 * 60), "3 d 4 h");
        assert_eq!(duration(-5), "less than a minute");
    }
}
