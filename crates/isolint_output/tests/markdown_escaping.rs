//! The Markdown summary with hostile names: a resource name that holds backticks, a
//! mention, bold, a link and HTML, in a file whose name holds a pipe and a backtick. The
//! table keeps its columns, and no markup, mention or link is left outside code spans.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::Fixture;
use isolint_model::{Diagnostic, SourceMap};
use isolint_output::{Format, TextOptions, render};

const HOSTILE: &str =
    "x` **@octocat** [click](https://evil.example) <img src=x onerror=alert(1)> #1 `y";

/// The Markdown text outside code spans (a run of backticks opens a span that
/// the next run of as many backticks closes), with `CODE` for each span and `_`
/// for each backslash-escaped character.
fn outside_code(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let run_at = |i: usize| chars[i..].iter().take_while(|c| **c == '`').count();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            // An escaped character is text, whatever it is.
            '\\' if i + 1 < chars.len() => {
                out.push('_');
                i += 2;
            }
            '`' => {
                let run = run_at(i);
                let mut j = i + run;
                let mut closed = None;
                while j < chars.len() {
                    let next = run_at(j);
                    if next == run {
                        closed = Some(j + run);
                        break;
                    }
                    j += next.max(1);
                }
                match closed {
                    Some(end) => {
                        out.push_str("CODE");
                        i = end;
                    }
                    None => {
                        out.push_str(&"`".repeat(run));
                        i += run;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The columns of a table row: as GitHub splits it, at pipes that no backslash escapes.
fn cells(line: &str) -> usize {
    let mut pipes = 0usize;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => pipes += 1,
            _ => {}
        }
    }
    pipes.saturating_sub(1)
}

#[test]
fn names_and_paths_from_templates_stay_inert() {
    let sources = SourceMap::new();
    let text = "{ \"name\": \"x\" }\n";
    let file = sources.add(Path::new("infra/a|b`c.json"), Arc::from(text));
    let fixture = common::fixture();
    let mut finding = fixture.findings[0].clone();
    finding.span = common::span_of(file.id, text, "\"x\"", 0);
    finding.labels.clear();
    finding.resource.name = HOSTILE.to_owned();
    // As a rule writes it: the name in backticks.
    finding.message = format!("workspace `{HOSTILE}` accepts public network traffic");
    let diagnostic = Diagnostic::warning(
        "copy-limit",
        format!("parameter `{HOSTILE}` is ignored"),
        "infra/a|b`c.json",
    )
    .at(common::span_of(file.id, text, "name", 0));
    let hostile = Fixture {
        sources,
        findings: vec![finding],
        diagnostics: vec![diagnostic],
        rules: fixture.rules,
    };
    let out = render(Format::Markdown, &hostile.report(), &TextOptions::default());

    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(rows.len(), 4, "{out}");
    for row in &rows {
        assert_eq!(cells(row), 4, "the row keeps its four columns: {row}");
        let prose = outside_code(row);
        for markup in ["*", "[", "]", "<", "`", "@octocat", "#1", "https://"] {
            assert!(
                !prose.contains(markup),
                "`{markup}` outside code in {row}\n{prose}"
            );
        }
    }
    // The name and the path are shown whole in code spans.
    assert!(out.contains(&format!("| ``{HOSTILE}`` |")), "{out}");
    assert!(out.contains("``infra/a\\|b`c.json:1:11``"), "{out}");
}
