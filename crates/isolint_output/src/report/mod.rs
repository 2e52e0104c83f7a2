//! The network-isolation report ([`IsolationReport`]) in three formats: text, JSON and
//! Markdown. The figures come from `isolint_rules::report`; these files only lay them out,
//! in the words and field names `check` uses for the same things.

mod json;
mod markdown;
mod text;

use std::path::{Component, Path, PathBuf};

use isolint_model::{SourceFile, SourceMap, Span};
use isolint_rules::report::{Exception, Isolation, IsolationReport, Scope, Totals};
use isolint_rules::{Rule, SuppressionKind};

use crate::location::{Located, locate};

/// The formats of the isolation report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// Plain text.
    Text,
    /// A JSON document (`docs/output.md`).
    Json,
    /// Markdown tables, for a wiki page, a management summary or a pull request.
    Markdown,
}

/// How the report is laid out.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// The folder paths are shown relative to (the working directory, for `isolint
    /// report`), through `..` for files outside it, so that no path is absolute; `None`
    /// shows each file's display name, as `check` does.
    pub relative_to: Option<PathBuf>,
    /// The Markdown level of the report's title: 1 for a document of its own, 3 inside
    /// `check`'s summary (whose title is level 2). Its sections are one level deeper.
    pub title_level: usize,
}

impl Default for ReportOptions {
    /// Display names, and a title of level 1.
    fn default() -> Self {
        Self {
            relative_to: None,
            title_level: 1,
        }
    }
}

/// Renders `report` in `format`; `sources` turns its spans into files and positions.
pub fn render_report(
    format: ReportFormat,
    report: &IsolationReport,
    sources: &SourceMap,
    options: &ReportOptions,
) -> String {
    let places = Places {
        sources,
        base: options.relative_to.as_deref(),
    };
    match format {
        ReportFormat::Text => text::render(report, &places),
        ReportFormat::Json => json::render(report, &places),
        ReportFormat::Markdown => markdown::render(report, &places, options.title_level),
    }
}

/// Spans to the paths and positions the report shows.
struct Places<'a> {
    sources: &'a SourceMap,
    base: Option<&'a Path>,
}

impl Places<'_> {
    /// `span` resolved, with its file's path as the report shows it.
    fn locate(&self, span: Span) -> Option<(Located, String)> {
        let at = locate(self.sources, span)?;
        let path = self.path(&at.file);
        Some((at, path))
    }

    /// `file`'s path: relative to the base when there is one, else its display name.
    fn path(&self, file: &SourceFile) -> String {
        self.base
            .and_then(|base| relative_path(&file.path, base))
            .unwrap_or_else(|| file.name.clone())
    }

    /// Where an exception is written, in words (`isolint.toml: exception for AML101 on
    /// infra/**`), its file shown as the report shows paths: the words begin with the
    /// file's display name, which may be absolute.
    fn exception_scope(&self, exception: &Exception) -> String {
        let Some(file) = self.sources.get(exception.span.file) else {
            return exception.scope.clone();
        };
        exception
            .scope
            .strip_prefix(&format!("{}: ", file.name))
            .map_or_else(
                || exception.scope.clone(),
                |what| format!("{}: {what}", self.path(&file)),
            )
    }

    /// `path:line:column`, or `unknown` for a span outside every file read (a bug
    /// upstream, shown without a position rather than with a wrong one).
    fn text(&self, span: Span) -> String {
        self.locate(span).map_or_else(
            || "unknown".to_owned(),
            |(at, path)| format!("{path}:{}:{}", at.start.line, at.start.column),
        )
    }

    /// The location as `check`'s JSON writes it.
    fn json(&self, span: Span) -> Option<crate::json::Location> {
        self.locate(span)
            .map(|(at, path)| crate::json::Location::new(&at, path))
    }
}

/// `path` relative to `base`, both absolute and normalized: `..` for each folder of
/// `base` that `path` is not under, then the rest of `path`, with `/` separators. `None`
/// when they share no root (another drive).
fn relative_path(path: &Path, base: &Path) -> Option<String> {
    let mut path_parts = path.components().peekable();
    let mut base_parts = base.components().peekable();
    let root = |part: Option<&Component<'_>>| {
        matches!(part, Some(Component::Prefix(_) | Component::RootDir))
    };
    if !root(path_parts.peek()) || path_parts.peek() != base_parts.peek() {
        return None;
    }
    while path_parts.peek().is_some() && path_parts.peek() == base_parts.peek() {
        path_parts.next();
        base_parts.next();
    }
    let mut parts: Vec<String> = base_parts.map(|_| "..".to_owned()).collect();
    parts.extend(path_parts.map(|part| part.as_os_str().to_string_lossy().into_owned()));
    Some(parts.join("/"))
}

/// How people read a status: `not isolated`.
fn status_words(isolation: Isolation) -> &'static str {
    match isolation {
        Isolation::Isolated => "isolated",
        Isolation::NotIsolated => "not isolated",
        Isolation::Unverified => "unverified",
    }
}

/// Where an exception is written, in words: `inline` or `config`.
fn exception_kind(kind: SuppressionKind) -> &'static str {
    match kind {
        SuppressionKind::InSource => "inline",
        SuppressionKind::External => "config",
    }
}

/// A scope in words, as messages name a deployed resource: `resource group rg-ml,
/// subscription 0000…`; the parts that are not known are left out.
fn scope_words(scope: &Scope) -> String {
    let mut words = Vec::new();
    if let Some(group) = &scope.resource_group {
        words.push(format!("resource group {group}"));
    }
    if let Some(subscription) = &scope.subscription {
        words.push(format!("subscription {subscription}"));
    }
    if words.is_empty() {
        "subscription and resource group not known".to_owned()
    } else {
        words.join(", ")
    }
}

/// Rule IDs, comma-separated: `AML001, AML101`.
fn ids(rules: impl Iterator<Item = &'static Rule>) -> String {
    rules.map(|rule| rule.id).collect::<Vec<_>>().join(", ")
}

/// `part` of `whole` in percent, with one decimal (`None` when `whole` is zero).
fn percent(part: usize, whole: usize) -> Option<String> {
    if whole == 0 {
        return None;
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    Some(format!("{}.{}", tenths / 10, tenths % 10))
}

/// A percentage for people: `33.3%`, or `n/a` of nothing.
fn percent_text(part: usize, whole: usize) -> String {
    percent(part, whole).map_or_else(|| "n/a".to_owned(), |p| format!("{p}%"))
}

/// The share of isolated workspaces, in words: `1 of 3 workspaces isolated (33.3%), 1 not
/// isolated, 1 unverified`.
fn isolation_words(totals: &Totals) -> String {
    format!(
        "{} of {} isolated ({}), {} not isolated, {} unverified",
        totals.isolated,
        crate::markdown::counted(totals.workspaces, "workspace", "workspaces"),
        percent_text(totals.isolated, totals.workspaces),
        totals.not_isolated,
        totals.unverified,
    )
}

/// The compliance score, in words: `36 of 42 checks passed (85.7%)`.
fn score_words(totals: &Totals) -> String {
    format!(
        "{} of {} passed ({})",
        totals.passed,
        crate::markdown::counted(totals.applicable, "check", "checks"),
        percent_text(totals.passed, totals.applicable),
    )
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
        assert_eq!(percent_text(0, 0), "n/a");
    }

    #[cfg(unix)]
    #[test]
    fn paths_are_relative_to_the_base_even_outside_it() {
        let relative = |path: &str, base: &str| relative_path(Path::new(path), Path::new(base));
        assert_eq!(
            relative("/work/repo/infra/main.bicep", "/work/repo").as_deref(),
            Some("infra/main.bicep")
        );
        assert_eq!(
            relative("/work/shared/corpus/main.tf", "/work/repo").as_deref(),
            Some("../shared/corpus/main.tf")
        );
        assert_eq!(
            relative("/tmp/x.json", "/work/repo").as_deref(),
            Some("../../tmp/x.json")
        );
        assert_eq!(relative("relative/x.json", "/work/repo"), None);
    }

    #[test]
    fn scopes_in_words_leave_out_what_is_not_known() {
        let scope = |subscription: Option<&str>, group: Option<&str>| Scope {
            subscription: subscription.map(str::to_owned),
            resource_group: group.map(str::to_owned),
        };
        assert_eq!(
            scope_words(&scope(Some("0000"), Some("rg-ml"))),
            "resource group rg-ml, subscription 0000"
        );
        assert_eq!(
            scope_words(&scope(None, Some("rg-ml"))),
            "resource group rg-ml"
        );
        assert_eq!(
            scope_words(&scope(None, None)),
            "subscription and resource group not known"
        );
    }
}
