//! The isolation report as a JSON document (version 1, `docs/output.md`).

use isolint_model::SourceMap;
use isolint_rules::report::{Isolation, IsolationReport, Project};

use super::{Location, exception_kind, percent};

pub(super) fn render(report: &IsolationReport, sources: &SourceMap) -> String {
    let total = report.workspaces.len();
    let isolated = report.count(Isolation::Isolated);
    let location = |span| {
        let at = Location::of(sources, span);
        serde_json::json!({ "file": at.file, "line": at.line })
    };
    let project = |p: &Project| {
        let mut value = serde_json::json!({ "name": p.name, "location": location(p.span) });
        if let Some(hub) = &p.hub {
            value["hub"] = serde_json::Value::from(hub.clone());
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
                "location": location(w.span),
                "status": status_key(w.isolation),
                "checks": { "applicable": w.applicable, "passed": w.passed },
                "reasons": w.reasons.iter().map(|r| serde_json::json!({
                    "ruleId": r.rule.id,
                    "ruleName": r.rule.name,
                    "unresolved": r.unresolved,
                    "resource": r.resource,
                    "message": r.message,
                    "location": location(r.span),
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
                "kind": exception_kind(e.kind),
                "scope": e.scope,
                "reason": e.reason,
                "approvedBy": e.approved_by,
                "until": e.until.map(|d| d.to_string()),
                "expired": e.expired,
                "location": location(e.span),
            })
        })
        .collect();
    let value = serde_json::json!({
        "version": 1,
        "date": report.today.to_string(),
        "summary": {
            "workspaces": total,
            "isolated": isolated,
            "notIsolated": report.count(Isolation::NotIsolated),
            "unverified": report.count(Isolation::Unverified),
            "isolatedPercent": percent_number(isolated, total),
            "checks": { "applicable": report.applicable(), "passed": report.passed() },
            "compliancePercent": percent_number(report.passed(), report.applicable()),
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

/// The status as a JSON value: `not-isolated`.
fn status_key(isolation: Isolation) -> &'static str {
    match isolation {
        Isolation::Isolated => "isolated",
        Isolation::NotIsolated => "not-isolated",
        Isolation::Unverified => "unverified",
    }
}

/// A percentage as a JSON number with one decimal, `null` of nothing.
fn percent_number(part: usize, whole: usize) -> serde_json::Value {
    percent(part, whole)
        .and_then(|p| p.parse::<f64>().ok())
        .map_or(serde_json::Value::Null, serde_json::Value::from)
}
