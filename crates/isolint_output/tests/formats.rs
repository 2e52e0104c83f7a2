//! Snapshots of every format over the shared fixture, and renderers' robustness against
//! spans they cannot trust.

mod common;

use isolint_model::{Diagnostic, FileId, SourceMap, Span};
use isolint_output::{Format, Report, TextOptions, render};
use serde_json::Value;

const ALL_FORMATS: [Format; 6] = [
    Format::Text,
    Format::Compact,
    Format::Json,
    Format::Sarif,
    Format::Github,
    Format::Markdown,
];

fn plain() -> TextOptions {
    TextOptions {
        color: false,
        width: 80,
        help_urls: false,
    }
}

/// Replaces the version wherever the output embeds it, so that a release does not change
/// every snapshot.
#[expect(
    clippy::expect_used,
    clippy::panic,
    reason = "a test helper: failing loudly is the point"
)]
fn redact_version(json: &str, pointers: &[&str]) -> String {
    let mut value: Value = serde_json::from_str(json).expect("valid JSON");
    for pointer in pointers {
        let slot = value
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("no {pointer}"));
        let text = slot.as_str().expect("a string").to_owned();
        assert!(
            text.contains(env!("CARGO_PKG_VERSION")),
            "{pointer}: {text}"
        );
        *slot = Value::from(text.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    }
    let mut out = serde_json::to_string_pretty(&value).expect("serializable");
    out.push('\n');
    assert_eq!(
        out.len(),
        json.len() + pointers.len() * ("[version]".len() - env!("CARGO_PKG_VERSION").len()),
        "redaction must only touch the version"
    );
    out
}

#[test]
fn text() {
    let fixture = common::fixture();
    insta::assert_snapshot!(render(Format::Text, &fixture.report(), &plain()));
}

#[test]
fn text_in_colour_with_urls() {
    let fixture = common::fixture();
    let options = TextOptions {
        color: true,
        help_urls: true,
        ..plain()
    };
    let out = render(Format::Text, &fixture.report(), &options);
    assert!(out.contains("\u{1b}["), "no ANSI colour:\n{out}");
    assert!(out.contains(&common::aml001().help_uri()), "no URL:\n{out}");
    // Text links only: no OSC 8 hyperlinks, which some terminals print as garbage.
    assert!(!out.contains("\u{1b}]8;"), "hyperlink escape:\n{out}");
    let plain_out = render(Format::Text, &fixture.report(), &plain());
    assert!(!plain_out.contains('\u{1b}'));
    assert!(!plain_out.contains("https://"));
}

#[test]
fn text_header_columns_count_characters() {
    let fixture = common::fixture();
    let out = render(Format::Text, &fixture.report(), &plain());
    let line = common::WORKSPACE_JSON.lines().nth(8).expect("line 9");
    let column = line
        .find("\"[parameters")
        .map(|byte| line[..byte].chars().count() + 1)
        .expect("value on line 9");
    assert!(
        out.contains(&format!("[templates/workspace.json:9:{column}]")),
        "{out}"
    );
}

#[test]
fn compact() {
    let fixture = common::fixture();
    insta::assert_snapshot!(render(Format::Compact, &fixture.report(), &plain()));
}

#[test]
fn json() {
    let fixture = common::fixture();
    let out = render(Format::Json, &fixture.report(), &plain());
    insta::assert_snapshot!(redact_version(&out, &["/tool/version"]));
}

#[test]
fn sarif() {
    let fixture = common::fixture();
    let out = render(Format::Sarif, &fixture.report(), &plain());
    let pointers = [
        "/runs/0/tool/driver/version",
        "/runs/0/tool/driver/semanticVersion",
        "/runs/0/tool/driver/rules/0/helpUri",
    ];
    insta::assert_snapshot!(redact_version(&out, &pointers));
}

#[test]
fn github() {
    let fixture = common::fixture();
    insta::assert_snapshot!(render(Format::Github, &fixture.report(), &plain()));
}

#[test]
fn markdown() {
    let fixture = common::fixture();
    insta::assert_snapshot!(render(Format::Markdown, &fixture.report(), &plain()));
}

#[test]
fn markdown_and_json_show_suppressed_findings() {
    let fixture = common::fixture();
    let suppressed = [isolint_rules::Suppressed {
        finding: fixture.findings[0].clone(),
        kind: isolint_rules::SuppressionKind::InSource,
        justification: "approved".to_owned(),
    }];
    let report = Report {
        suppressed: &suppressed,
        ..fixture.report()
    };
    let out = render(Format::Markdown, &report, &plain());
    assert!(out.contains(" 1 finding suppressed."), "{out}");
    let json: Value = serde_json::from_str(&render(Format::Json, &report, &plain())).unwrap();
    assert_eq!(json["suppressed"][0]["rule"]["id"], "AML001");
    assert_eq!(json["suppressed"][0]["suppression"]["kind"], "inSource");
    assert_eq!(
        json["suppressed"][0]["suppression"]["justification"],
        "approved"
    );
    let plain_json: Value =
        serde_json::from_str(&render(Format::Json, &fixture.report(), &plain())).unwrap();
    assert!(plain_json.get("suppressed").is_none());
}

#[test]
fn empty_reports() {
    let sources = SourceMap::new();
    let report = Report {
        findings: &[],
        diagnostics: &[],
        sources: &sources,
        files: 0,
        rules: &[],
        suppressed: &[],
    };
    assert_eq!(render(Format::Text, &report, &plain()), "");
    assert_eq!(render(Format::Compact, &report, &plain()), "");
    assert_eq!(render(Format::Github, &report, &plain()), "");
    assert_eq!(
        render(Format::Markdown, &report, &plain()),
        "## isolint\n\n0 files checked: no findings.\n"
    );
    let json: Value = serde_json::from_str(&render(Format::Json, &report, &plain())).unwrap();
    assert_eq!(json["findings"], Value::Array(Vec::new()));
    assert_eq!(json["summary"]["errors"], 0);
    let sarif: Value = serde_json::from_str(&render(Format::Sarif, &report, &plain())).unwrap();
    assert_eq!(sarif["runs"][0]["results"], Value::Array(Vec::new()));
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn every_format_is_deterministic() {
    for format in ALL_FORMATS {
        let first = render(format, &common::fixture().report(), &plain());
        let second = render(format, &common::fixture().report(), &plain());
        assert_eq!(first, second, "{format:?}");
    }
}

/// Every span over a small non-ASCII file, including reversed ones, ones past the end and
/// ones inside a character, and spans in files the map does not know: no panic, and the
/// text format still names the file.
#[test]
fn renderers_survive_any_span() {
    let text = "ab\u{e9}\r\n\u{1F600}x\n\ty\u{2013}z";
    let sources = SourceMap::new();
    let file = sources.add(std::path::Path::new("t.json"), std::sync::Arc::from(text));
    let fixture = common::fixture();
    let template = fixture
        .findings
        .iter()
        .find(|f| !f.labels.is_empty())
        .cloned()
        .expect("a finding with labels");
    let len = u32::try_from(text.len()).unwrap();
    let mut spans = Vec::new();
    for start in 0..len + 3 {
        for end in 0..len + 3 {
            spans.push(Span {
                file: file.id,
                start,
                end,
            });
        }
    }
    spans.push(Span {
        file: FileId(42),
        start: 0,
        end: 1,
    });
    spans.push(Span {
        file: file.id,
        start: u32::MAX,
        end: u32::MAX,
    });
    for span in spans {
        let mut finding = template.clone();
        finding.span = span;
        finding.labels[0].span = Span {
            start: span.end,
            end: span.start,
            ..span
        };
        let findings = [finding];
        let diagnostics = [Diagnostic::error("parse-error", "bad", "t.json").at(span)];
        let report = Report {
            findings: &findings,
            diagnostics: &diagnostics,
            sources: &sources,
            files: sources.files().len(),
            rules: &fixture.rules,
            suppressed: &[],
        };
        for format in ALL_FORMATS {
            let out = render(format, &report, &plain());
            assert!(!out.is_empty(), "{format:?} {span:?}");
        }
        let text_out = render(Format::Text, &report, &plain());
        if span.file == file.id {
            assert!(text_out.contains("[t.json:"), "{span:?}\n{text_out}");
        }
        assert!(!text_out.contains("Failed to read"), "{span:?}\n{text_out}");
    }
}
