//! The Markdown format: a pull-request summary (GitHub's `$GITHUB_STEP_SUMMARY`, a PR
//! comment) with the totals, then one table per rule, then the input problems.
//!
//! Everything taken from templates and paths is escaped: a pull request writes the
//! templates, and its comment must not mention people, link anywhere, render HTML or
//! break the table. Names and paths go in [`code`] spans fenced longer than any run of
//! backticks they hold; messages keep their own code spans and have the text between
//! escaped by [`plain`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use isolint_model::{SourceMap, Span};
use isolint_rules::{Finding, Level};

use crate::Report;
use crate::location::{locate, one_line, placed_diagnostics, severity_name};

/// The summary. Rules come in ID order; rows keep the engine's order.
pub(crate) fn render(report: &Report<'_>) -> String {
    let mut out = String::from("## isolint\n\n");
    let count = |level: Level| report.findings.iter().filter(|f| f.level == level).count();
    // The files checked, as the run summary counts them, not only those with findings.
    let _ = write!(out, "{} checked: ", counted(report.files, "file", "files"));
    if report.findings.is_empty() {
        out.push_str("no findings.");
    } else {
        let _ = write!(
            out,
            "**{}** ({}, {}, {}).",
            counted(report.findings.len(), "finding", "findings"),
            counted(count(Level::Error), "error", "errors"),
            counted(count(Level::Warning), "warning", "warnings"),
            counted(count(Level::Note), "note", "notes"),
        );
    }
    if !report.suppressed.is_empty() {
        let _ = write!(
            out,
            " {} suppressed.",
            counted(report.suppressed.len(), "finding", "findings")
        );
    }
    out.push('\n');
    push_tables(&mut out, report);
    out
}

/// One table per rule, in ID order, then the input problems: the body of the summary,
/// which `isolint diff`'s summary shares.
pub(crate) fn push_tables(out: &mut String, report: &Report<'_>) {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in report.findings {
        by_rule.entry(finding.rule.id).or_default().push(finding);
    }
    for findings in by_rule.values() {
        let rule = findings[0].rule;
        let _ = writeln!(
            out,
            "\n### {} {} ({})\n\n| Level | Location | Resource | Message |\n|---|---|---|---|",
            rule.id,
            rule.name,
            findings.len()
        );
        for finding in findings {
            let location = located(report.sources, finding.span);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                finding.level,
                location,
                code(&finding.resource.name),
                message(&finding.message)
            );
        }
    }

    let placed = placed_diagnostics(report.sources, report.diagnostics);
    if !placed.is_empty() {
        out.push_str(
            "\n### Input problems\n\n| Severity | Location | Code | Message |\n|---|---|---|---|\n",
        );
        for placed in placed {
            let location = match &placed.location {
                Some(at) => code(&format!(
                    "{}:{}:{}",
                    placed.path, at.start.line, at.start.column
                )),
                None => code(&placed.path),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                severity_name(placed.diagnostic.severity),
                location,
                code(placed.diagnostic.code),
                message(&placed.diagnostic.message)
            );
        }
    }
}

/// `1 file`, `2 files`.
pub(crate) fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Where `span` is, as a code span `path:line:column`, or `unknown`.
pub(crate) fn located(sources: &SourceMap, span: Span) -> String {
    locate(sources, span).map_or_else(
        || "unknown".to_owned(),
        |at| {
            code(&format!(
                "{}:{}:{}",
                at.path(),
                at.start.line,
                at.start.column
            ))
        },
    )
}

/// `text` as a code span in a table cell: on one line, fenced with one backtick more
/// than its longest run of them, padded with a space on each side where it begins or ends
/// with a backtick (or with a space at both ends, which a code span would strip), and
/// its pipes escaped (GitHub splits cells at them even inside code; the backslashes right
/// before a pipe are doubled so that none of them escapes the pipe's own backslash).
pub(crate) fn code(text: &str) -> String {
    let text = one_line(text);
    if text.is_empty() {
        return String::new();
    }
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let stripped_if_bare =
        text.starts_with(' ') && text.ends_with(' ') && text.chars().any(|c| c != ' ');
    let pad = if text.starts_with('`') || text.ends_with('`') || stripped_if_bare {
        " "
    } else {
        ""
    };
    let mut escaped = String::with_capacity(text.len() + 2);
    let mut backslashes = 0;
    for c in text.chars() {
        match c {
            '\\' => backslashes += 1,
            '|' => {
                escaped.push_str(&"\\".repeat(2 * backslashes));
                escaped.push_str("\\|");
                backslashes = 0;
            }
            _ => {
                escaped.push_str(&"\\".repeat(backslashes));
                escaped.push(c);
                backslashes = 0;
            }
        }
    }
    escaped.push_str(&"\\".repeat(backslashes));
    format!("{fence}{pad}{escaped}{pad}{fence}")
}

/// What breaks a mention, an issue reference or an autolink without showing: a zero-width
/// space, written as an entity so that the Markdown source shows it.
const BREAK: &str = "&#8203;";

/// `text` as plain Markdown in a table cell, on one line: every character that could open
/// markup (emphasis, links, images, code, strikethrough, a cell) is backslash-escaped,
/// HTML and entities are written as entities, and `@name`, `#123`, `https://` and `www.`
/// are broken so that GitHub neither notifies, references nor links.
pub(crate) fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' | '#' => {
                out.push(c);
                out.push_str(BREAK);
            }
            '.' if out
                .get(out.len().saturating_sub(3)..)
                .is_some_and(|last| last.eq_ignore_ascii_case("www")) =>
            {
                out.push_str(BREAK);
                out.push(c);
            }
            '/' if out.ends_with(':') => {
                out.push_str(BREAK);
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A message for a table cell: isolint's words with names from templates in code spans.
/// The text between backticks is re-fenced with [`code`], the rest escaped with
/// [`plain`]; a backtick without its pair (a name that holds one) is escaped text. A name
/// that holds backticks may so be split oddly, but every piece stays inert.
pub(crate) fn message(text: &str) -> String {
    let pieces: Vec<&str> = text.split('`').collect();
    let paired = if pieces.len().is_multiple_of(2) {
        pieces.len() - 1
    } else {
        pieces.len()
    };
    let mut out = String::new();
    for (index, piece) in pieces.iter().enumerate() {
        if index >= paired {
            out.push_str("\\`");
            out.push_str(&plain(piece));
        } else if index % 2 == 1 {
            out.push_str(&code(piece));
        } else {
            out.push_str(&plain(piece));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(code("mlw"), "`mlw`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("``x"), "``` ``x ```");
        assert_eq!(code("x`"), "`` x` ``");
        assert_eq!(code(" a "), "`  a  `");
        assert_eq!(code("a|b\nc"), "`a\\|b c`");
        assert_eq!(code("a\\|b"), "`a\\\\\\|b`");
        assert_eq!(code("C:\\x\\"), "`C:\\x\\`");
        assert_eq!(code(""), "");
    }

    #[test]
    fn plain_text_opens_no_markup() {
        assert_eq!(plain("**bold** [x](y)"), "\\*\\*bold\\*\\* \\[x\\](y)");
        assert_eq!(plain("<img src=x>&amp;"), "&lt;img src=x&gt;&amp;amp;");
        assert_eq!(plain("@octocat #1"), "@&#8203;octocat #&#8203;1");
        assert_eq!(
            plain("https://x.io WWW.y.io"),
            "https:&#8203;//x.io WWW&#8203;.y.io"
        );
        assert_eq!(plain("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn messages_keep_their_code_spans() {
        assert_eq!(
            message("workspace `mlw` is `Enabled` (default of `p`)"),
            "workspace `mlw` is `Enabled` (default of `p`)"
        );
        // A name that holds a backtick cannot close its span and open markup.
        assert_eq!(
            message("workspace `a` **@x** `b` done"),
            "workspace `a` \\*\\*@&#8203;x\\*\\* `b` done"
        );
        assert_eq!(message("odd ` one"), "odd \\` one");
    }
}
