//! The text format on a minified template: one line of 80,000 characters with a finding
//! past column 70,000 (miette's graphical handler panicked past column 65,535) and a label
//! far from it on the same line. The snippet is cut around both, every output line stays
//! short, and the header keeps the finding's real line and column.

#![expect(
    clippy::expect_used,
    reason = "a test helper: failing loudly is the point"
)]

mod common;

use std::path::Path;
use std::sync::Arc;

use common::Fixture;
use isolint_model::{Diagnostic, SourceMap, Span};
use isolint_output::{Format, TextOptions, render};
use isolint_rules::Label;

/// A minified ARM template: the workspace's name near the start of the line, its
/// `publicNetworkAccess` past column 70,000.
fn minified() -> String {
    format!(
        r#"{{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","resources":[{{"type":"Microsoft.MachineLearningServices/workspaces","name":"mlw","properties":{{"description":"{}","publicNetworkAccess":"Enabled"}}}}]}}"#,
        "x".repeat(70_000)
    )
}

fn span_of(file: &isolint_model::SourceFile, needle: &str) -> Span {
    let start = file.text.find(needle).expect("in the template");
    Span::new(file.id, start, start + needle.len())
}

fn column_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).expect("in the template")]
        .chars()
        .count()
        + 1
}

#[test]
fn a_finding_past_column_70000_renders_cut_around_its_labels() {
    let text = minified();
    let sources = SourceMap::new();
    let file = sources.add(Path::new("minified.json"), Arc::from(text.as_str()));
    let fixture = common::fixture();
    let mut finding = fixture.findings[0].clone();
    finding.span = span_of(&file, "\"Enabled\"");
    finding.labels = vec![Label {
        span: span_of(&file, "\"name\":\"mlw\""),
        message: "the workspace".to_owned(),
    }];
    let diagnostic = Diagnostic::error("parse-error", "something past the pad", "minified.json")
        .at(span_of(&file, "\"publicNetworkAccess\""));
    let minified = Fixture {
        sources,
        findings: vec![finding],
        diagnostics: vec![diagnostic],
        rules: fixture.rules,
    };
    let report = minified.report();
    let out = render(Format::Text, &report, &TextOptions::default());

    let column = column_of(&text, "\"Enabled\"");
    assert!(column > 70_000);
    assert!(
        out.contains(&format!("[minified.json:1:{column}]")),
        "{out}"
    );
    let diagnostic_column = column_of(&text, "\"publicNetworkAccess\"");
    assert!(
        out.contains(&format!("[minified.json:1:{diagnostic_column}]")),
        "{out}"
    );
    // Both labels are shown, each in its window of the line, with the pad between them
    // left out.
    assert!(out.contains(&common::aml001().name.to_owned()), "{out}");
    assert!(out.contains("the workspace"), "{out}");
    assert!(out.contains("\"name\":\"mlw\""), "{out}");
    assert!(out.contains("\"publicNetworkAccess\":\"Enabled\""), "{out}");
    assert!(out.contains('…'), "{out}");
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 400, "a line of {longest} characters:\n{out}");
}

#[test]
fn every_format_survives_a_minified_template() {
    let text = minified();
    let sources = SourceMap::new();
    let file = sources.add(Path::new("minified.json"), Arc::from(text.as_str()));
    let fixture = common::fixture();
    let mut finding = fixture.findings[0].clone();
    // A span over most of the line: its two ends are far apart.
    finding.span = Span::new(file.id, 10, text.len() - 10);
    finding.labels.clear();
    let minified = Fixture {
        sources,
        findings: vec![finding],
        diagnostics: Vec::new(),
        rules: fixture.rules,
    };
    let report = minified.report();
    for format in [
        Format::Text,
        Format::Compact,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Markdown,
    ] {
        assert!(
            !render(format, &report, &TextOptions::default()).is_empty(),
            "{format:?}"
        );
    }
    let out = render(Format::Text, &report, &TextOptions::default());
    assert!(out.contains("[minified.json:1:11]"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() < 400), "{out}");
}
