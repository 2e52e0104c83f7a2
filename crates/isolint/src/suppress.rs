//! Collects suppressions for the engine: configuration `[[exceptions]]`, ARM `metadata`
//! entries (`"isolint-ignore": [{ "rule", "reason", "until" }]`) and inline comments
//! (`// isolint-ignore RULE[,RULE...] reason="..." until=YYYY-MM-DD`). A malformed one is
//! a warning diagnostic at its location and suppresses nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use isolint_json::{Json, JsonKind};
use isolint_model::{Diagnostic, FileId, SourceFile, SourceMap, Span};
use isolint_rules::{Date, Rule, Scope, Suppression, SuppressionKind};

use crate::config::Config;

/// The word that starts a suppression.
const MARKER: &str = "isolint-ignore";
/// The diagnostic code of a malformed suppression.
const CODE: &str = "invalid-suppression";

/// Suppressions found, and problems with them.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub(crate) suppressions: Vec<Suppression>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// The configuration's exceptions; the configuration file is added to `sources` so that
/// SUP findings can point into it.
pub(crate) fn from_config(config: &Config, sources: &SourceMap, collected: &mut Collected) {
    if config.exceptions.is_empty() {
        return;
    }
    let file = sources.add(&config.path, config.text.as_str().into());
    for exception in &config.exceptions {
        let at = Span::new(file.id, exception.span.start, exception.span.end);
        let mut name = format!(
            "{}: exception for {} on {}",
            file.name, exception.rule.id, exception.path_text
        );
        if let Some(resource) = &exception.resource {
            name.push_str(&format!(" resource {}", resource.glob()));
        }
        collected.suppressions.push(Suppression {
            rules: vec![exception.rule],
            scope: Scope::Matching {
                path: exception.path.clone(),
                resource: exception.resource.clone(),
            },
            reason: exception.reason.clone(),
            approved_by: exception.approved_by.clone(),
            until: exception.until,
            kind: SuppressionKind::External,
            at,
            name,
        });
    }
}

/// The path of `file` relative to `root`, with `/` separators, for `[[exceptions]]` globs.
pub(crate) fn relative_path(sources: &SourceMap, root: &Path, file: FileId) -> Option<String> {
    let file = sources.get(file)?;
    let absolute = std::path::absolute(&file.path).ok()?;
    let root = std::path::absolute(root).ok()?;
    let relative: PathBuf = absolute.strip_prefix(&root).ok()?.to_path_buf();
    Some(relative.to_string_lossy().replace('\\', "/"))
}

/// Suppressions written in the ARM templates among `sources`: `metadata` entries and
/// comments. Files that never mention `isolint-ignore` are not read again.
pub(crate) fn from_templates(sources: &SourceMap, collected: &mut Collected) {
    for file in sources.files() {
        // `.jsonc` too: the ARM frontend reads both.
        let is_json = file
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("jsonc"));
        // A module-cache file is not the user's: its suppressions are not theirs either.
        if !is_json || file.hidden || !file.text.contains(MARKER) {
            continue;
        }
        let Ok(json) = isolint_json::parse(&file) else {
            continue;
        };
        let mut resources = Vec::new();
        collect_resources(&json, &mut resources, 0);
        for resource in &resources {
            from_metadata(&file, resource, collected);
        }
        for comment in isolint_json::comments(&file) {
            let text = comment.text.trim();
            if let Some(rest) = text.strip_prefix(MARKER) {
                let spans: Vec<Span> = resources.iter().map(|r| r.span).collect();
                from_comment(&file, comment.span, rest, &spans, collected);
            }
        }
    }
}

/// Suppressions in whole-line comments of Bicep (`//`) and Terraform (`#`, `//`) files.
/// `declarations` are the spans of the resources declared in the files read: a comment on
/// the line where one starts covers it.
pub(crate) fn from_line_comments(
    sources: &SourceMap,
    declarations: &[Span],
    collected: &mut Collected,
) {
    for file in sources.files() {
        let extension = file
            .path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let markers: &[&str] = match extension.as_str() {
            "bicep" | "bicepparam" => &["//"],
            "tf" => &["#", "//"],
            _ => continue,
        };
        if file.hidden || !file.text.contains(MARKER) {
            continue;
        }
        let text = Arc::clone(&file.text);
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let body = markers.iter().find_map(|m| trimmed.strip_prefix(m));
            if let Some(rest) = body.and_then(|b| b.trim_start().strip_prefix(MARKER)) {
                let at = Span::new(file.id, offset + indent, offset + line.trim_end().len());
                from_comment(&file, at, rest, declarations, collected);
            }
            offset += line.len();
        }
    }
}

/// Every resource object of a template: `resources` (array, or object with
/// `languageVersion` 2.0), child resources, and nested deployments' inline templates.
fn collect_resources<'j>(template: &'j Json, out: &mut Vec<&'j Json>, depth: usize) {
    if depth > 64 {
        return;
    }
    let items: Vec<&Json> = match template.get("resources").map(|r| &r.kind) {
        Some(JsonKind::Array(items)) => items.iter().collect(),
        Some(JsonKind::Object(members)) => members.iter().map(|m| &m.value).collect(),
        _ => Vec::new(),
    };
    for item in items {
        if item.members().is_none() {
            continue;
        }
        out.push(item);
        collect_resources(item, out, depth + 1);
        if let Some(inner) = item.get("properties").and_then(|p| p.get("template")) {
            collect_resources(inner, out, depth + 1);
        }
    }
}

fn from_metadata(file: &SourceFile, resource: &Json, collected: &mut Collected) {
    let Some(entries) = resource.get("metadata").and_then(|m| m.get(MARKER)) else {
        return;
    };
    let Some(entries) = entries.as_array() else {
        collected.diagnostics.push(invalid(
            file,
            entries.span,
            "`isolint-ignore` must be an array of { \"rule\", \"reason\", \"until\" } objects",
        ));
        return;
    };
    for entry in entries {
        if entry.members().is_none() {
            collected.diagnostics.push(invalid(
                file,
                entry.span,
                "expected an object with `rule`, `reason` and `until`",
            ));
            continue;
        }
        if let Some(member) = entry.members().into_iter().flatten().find(|m| {
            !["rule", "reason", "until"]
                .iter()
                .any(|k| m.key.eq_ignore_ascii_case(k))
        }) {
            collected.diagnostics.push(invalid(
                file,
                member.key_span,
                &format!(
                    "unknown key `{}` (expected `rule`, `reason` and `until`)",
                    member.key
                ),
            ));
            continue;
        }
        let Some(rule_text) = entry.get("rule").and_then(Json::as_str) else {
            collected
                .diagnostics
                .push(invalid(file, entry.span, "the entry names no `rule`"));
            continue;
        };
        let rules = match rules(rule_text) {
            Ok(rules) => rules,
            Err(message) => {
                collected
                    .diagnostics
                    .push(invalid(file, entry.span, &message));
                continue;
            }
        };
        let until = match entry.get("until").map(|u| (u, u.as_str())) {
            None => None,
            Some((_, Some(text))) => match Date::parse(text) {
                Ok(date) => Some(date),
                Err(message) => {
                    collected
                        .diagnostics
                        .push(invalid(file, entry.span, &message));
                    continue;
                }
            },
            Some((value, None)) => {
                collected.diagnostics.push(invalid(
                    file,
                    value.span,
                    "`until` must be a \"YYYY-MM-DD\" string",
                ));
                continue;
            }
        };
        let reason = entry
            .get("reason")
            .and_then(Json::as_str)
            .map(str::to_owned);
        push_in_source(
            file,
            entry.span,
            resource.span,
            rules,
            reason,
            until,
            collected,
        );
    }
}

/// An inline comment: `isolint-ignore RULE[,RULE...] [reason="..."] [until=YYYY-MM-DD]`.
/// It covers the resource that starts on the next line, else that line.
fn from_comment(
    file: &SourceFile,
    at: Span,
    rest: &str,
    resources: &[Span],
    collected: &mut Collected,
) {
    let parsed = match parse_comment(rest) {
        Ok(parsed) => parsed,
        Err(message) => {
            collected.diagnostics.push(invalid(file, at, &message));
            return;
        }
    };
    let Some(next_line) = next_line(file, at) else {
        collected
            .diagnostics
            .push(invalid(file, at, "nothing follows the suppression"));
        return;
    };
    // The largest declaration that starts on the next line: a resource rather than an
    // object inside it.
    let covered = resources
        .iter()
        .filter(|r| r.file == file.id && next_line.start <= r.start && r.start <= next_line.end)
        .max_by_key(|r| r.end - r.start)
        .copied()
        .unwrap_or(next_line);
    push_in_source(
        file,
        at,
        covered,
        parsed.rules,
        parsed.reason,
        parsed.until,
        collected,
    );
}

/// The parts of a comment suppression.
#[derive(Debug)]
struct Parsed {
    rules: Vec<&'static Rule>,
    reason: Option<String>,
    until: Option<Date>,
}

fn parse_comment(rest: &str) -> Result<Parsed, String> {
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return Err(format!("expected a space after `{MARKER}`"));
    }
    let rest = rest.trim_start();
    let (rule_text, mut rest) = rest.split_at(rest.find(char::is_whitespace).unwrap_or(rest.len()));
    if rule_text.is_empty() {
        return Err(format!("`{MARKER}` names no rule"));
    }
    let rules = rules(rule_text)?;
    let mut reason = None;
    let mut until = None;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix("reason=") {
            let Some(quoted) = after.strip_prefix('"') else {
                return Err("`reason=` takes a quoted text: reason=\"...\"".to_owned());
            };
            let Some(end) = quoted.find('"') else {
                return Err("the reason's closing `\"` is missing".to_owned());
            };
            reason = Some(quoted[..end].to_owned());
            rest = &quoted[end + 1..];
        } else if let Some(after) = rest.strip_prefix("until=") {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            until = Some(Date::parse(&after[..end])?);
            rest = &after[end..];
        } else {
            let word = rest.split_whitespace().next().unwrap_or(rest);
            return Err(format!(
                "unexpected `{word}`: expected reason=\"...\" or until=YYYY-MM-DD"
            ));
        }
    }
    Ok(Parsed {
        rules,
        reason,
        until,
    })
}

/// Rules by ID or name, comma-separated.
fn rules(text: &str) -> Result<Vec<&'static Rule>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(crate::catalog::lookup)
        .collect::<Result<Vec<_>, _>>()
        .and_then(|rules| {
            if rules.is_empty() {
                Err("no rule named".to_owned())
            } else {
                Ok(rules)
            }
        })
}

/// The span of the first non-blank line after the one `at` ends on.
fn next_line(file: &SourceFile, at: Span) -> Option<Span> {
    let text = &*file.text;
    let mut start = text.get(at.end as usize..)?.find('\n')? + at.end as usize + 1;
    loop {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if !text[start..end].trim().is_empty() {
            return Some(Span::new(file.id, start, end));
        }
        if end >= text.len() {
            return None;
        }
        start = end + 1;
    }
}

fn push_in_source(
    file: &SourceFile,
    at: Span,
    covered: Span,
    rules: Vec<&'static Rule>,
    reason: Option<String>,
    until: Option<Date>,
    collected: &mut Collected,
) {
    // The suppression's own text names it, without a line number, so that SUP findings'
    // fingerprints survive edits elsewhere in the file.
    let written: Vec<&str> = file.slice(at).split_whitespace().collect();
    collected.suppressions.push(Suppression {
        name: format!("{}: {}", file.name, written.join(" ")),
        rules,
        scope: Scope::Within(covered),
        reason,
        approved_by: None,
        until,
        kind: SuppressionKind::InSource,
        at,
    });
}

fn invalid(file: &SourceFile, span: Span, message: &str) -> Diagnostic {
    Diagnostic::warning(
        CODE,
        format!("invalid suppression, it suppresses nothing: {message}"),
        &file.path,
    )
    .at(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_parse() {
        let parsed = parse_comment(
            " AML001,storage-public-network-access reason=\"legacy, approved\" until=2027-01-31",
        )
        .unwrap();
        let ids: Vec<&str> = parsed.rules.iter().map(|r| r.id).collect();
        assert_eq!(ids, ["AML001", "AML101"]);
        assert_eq!(parsed.reason.as_deref(), Some("legacy, approved"));
        assert_eq!(
            parsed.until.map(|d| d.to_string()).as_deref(),
            Some("2027-01-31")
        );
        assert!(parse_comment(" AML001").unwrap().reason.is_none());
        assert!(
            parse_comment(" AML999")
                .unwrap_err()
                .contains("unknown rule")
        );
        assert!(parse_comment(" AML001 until=2027-02-30").is_err());
        assert!(
            parse_comment(" AML001 because")
                .unwrap_err()
                .contains("unexpected")
        );
        assert!(parse_comment("").is_err());
        assert!(parse_comment("-next AML001").is_err());
    }
}
