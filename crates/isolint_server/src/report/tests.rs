//! Reports from hand-made analyses: findings with fixes (safe and unsafe), labels in other
//! files, problems in the document and elsewhere, and non-ASCII text.

use std::path::Path;
use std::sync::Arc;

use isolint_model::{Diagnostic as Problem, SourceFile};
use isolint_rules::{Fix, Label, ResourceIdentity};
use lsp_types::{Position, TextDocumentEdit};

use super::*;

const MAIN: &str = "/p/main.bicep";
const MAIN_TEXT: &str = "param publicAccess string = 'Enabled'\n\n// ☃ the snowman's workspace\nresource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {\n  name: 'wé'\n  properties: {\n    publicNetworkAccess: 'Enabled'\n  }\n}\n";

fn span_of(file: &SourceFile, needle: &str) -> Span {
    let start = file.text.find(needle).unwrap();
    Span::new(file.id, start, start + needle.len())
}

fn finding(file: &SourceFile, at: &str, fix: Option<Fix>) -> Finding {
    Finding {
        rule: isolint_rules::RULES[0],
        level: Level::Error,
        message: "public network access is enabled".to_owned(),
        help: Some("set `publicNetworkAccess: 'Disabled'`".to_owned()),
        span: span_of(file, at),
        labels: Vec::new(),
        resource: ResourceIdentity {
            ty: "Microsoft.MachineLearningServices/workspaces".into(),
            name: "wé".to_owned(),
            qualified_name: "wé".to_owned(),
            identity: "wé".to_owned(),
            declaration: span_of(file, "resource ws"),
        },
        property: "properties.publicNetworkAccess".to_owned(),
        unresolved: false,
        fix,
    }
}

struct Setup {
    analysis: Analysis,
    main: Arc<SourceFile>,
}

fn setup() -> Setup {
    let sources = SourceMap::new();
    let main = sources.add(Path::new(MAIN), MAIN_TEXT.into());
    Setup {
        analysis: Analysis {
            sources,
            ..Analysis::default()
        },
        main,
    }
}

fn client(document_changes: bool, disabled_actions: bool) -> Client {
    Client {
        encoding: Encoding::Utf16,
        document_changes,
        disabled_actions,
        markdown_hover: true,
        watches_files: false,
    }
}

fn build_with(analysis: &Analysis, client: Client, versions: &HashMap<PathBuf, i32>) -> Report {
    let cx = Context {
        document: Path::new(MAIN),
        version: 7,
        client,
        versions,
        until: Date::parse("2027-03-01").unwrap(),
    };
    build(analysis, &cx)
}

/// The edits of an action, as (URI, range, text).
fn edits(action: &CodeAction) -> Vec<(String, Range, String)> {
    let edit = action.edit.as_ref().unwrap();
    let mut out = Vec::new();
    for (uri, edits) in edit.changes.iter().flatten() {
        for e in edits {
            out.push((uri.as_str().to_owned(), e.range, e.new_text.clone()));
        }
    }
    if let Some(DocumentChanges::Edits(changes)) = &edit.document_changes {
        for TextDocumentEdit {
            text_document,
            edits,
        } in changes
        {
            for e in edits {
                let OneOf::Left(e) = e else {
                    panic!("annotated")
                };
                out.push((
                    text_document.uri.as_str().to_owned(),
                    e.range,
                    e.new_text.clone(),
                ));
            }
        }
    }
    out
}

fn at(line: u32, character: u32) -> Position {
    Position { line, character }
}

#[test]
fn a_finding_is_a_diagnostic_with_code_link_and_related_information() {
    let mut s = setup();
    let other = s.analysis.sources.add(
        Path::new("/p/params/prod.bicepparam"),
        "param x = 1\n".into(),
    );
    let mut f = finding(&s.main, "'Enabled'\n  }", None);
    f.labels.push(Label {
        span: span_of(&other, "1"),
        message: "value of `x`".to_owned(),
    });
    s.analysis.findings.push(f);
    let report = build_with(&s.analysis, client(false, false), &HashMap::new());
    assert_eq!(report.version, 7);
    assert_eq!(report.diagnostics.len(), 1);
    let d = &report.diagnostics[0];
    // Line 6 (0-based), after `    publicNetworkAccess: `.
    assert_eq!(d.range.start, at(6, 25));
    assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
    assert_eq!(d.code, Some(NumberOrString::String("AML001".to_owned())));
    assert_eq!(d.source.as_deref(), Some("isolint"));
    assert!(
        d.code_description
            .as_ref()
            .unwrap()
            .href
            .as_str()
            .ends_with("/docs/rules/AML001.md")
    );
    let related = d.related_information.as_ref().unwrap();
    assert_eq!(
        related[0].location.uri.as_str(),
        "file:///p/params/prod.bicepparam"
    );
    assert_eq!(related[0].location.range.start, at(0, 10));
    assert_eq!(related[0].message, "value of `x`");
    assert_eq!(report.read.len(), 2);
    let hover = report.findings[0].hover.text(true);
    assert!(hover.starts_with("**AML001** `workspace-public-network-access` (error)"));
    assert!(hover.contains("**How to fix:** set `publicNetworkAccess: 'Disabled'`"));
    assert!(hover.contains("[AML001 documentation](https://"));
}

#[test]
fn non_ascii_text_before_a_finding_counts_in_utf16_units() {
    let mut s = setup();
    // `  name: 'wé'`: the closing quote follows 11 UTF-16 units (12 bytes).
    s.analysis
        .findings
        .push(finding(&s.main, "'\n  properties", None));
    let report = build_with(&s.analysis, client(false, false), &HashMap::new());
    assert_eq!(report.diagnostics[0].range.start, at(4, 11));
    let mut utf8 = client(false, false);
    utf8.encoding = Encoding::Utf8;
    let report = build_with(&s.analysis, utf8, &HashMap::new());
    assert_eq!(report.diagnostics[0].range.start, at(4, 12));
}

#[test]
fn a_safe_fix_is_the_preferred_quick_fix_then_the_suppression() {
    let mut s = setup();
    let value = span_of(&s.main, "'Enabled'\n  }");
    let value = Span::new(value.file, value.start as usize, value.start as usize + 9);
    s.analysis.findings.push(finding(
        &s.main,
        "'Enabled'\n  }",
        Some(Fix {
            title: "Set publicNetworkAccess to 'Disabled'".to_owned(),
            span: value,
            replacement: "'Disabled'".to_owned(),
            safety: Safety::Safe,
        }),
    ));
    let report = build_with(&s.analysis, client(false, false), &HashMap::new());
    let actions = &report.findings[0].actions;
    assert_eq!(actions.len(), 2);
    assert_eq!(actions[0].title, "Set publicNetworkAccess to 'Disabled'");
    assert_eq!(actions[0].kind, Some(CodeActionKind::QUICKFIX));
    assert_eq!(actions[0].is_preferred, Some(true));
    assert_eq!(
        edits(&actions[0]),
        [(
            "file:///p/main.bicep".to_owned(),
            Range {
                start: at(6, 25),
                end: at(6, 34)
            },
            "'Disabled'".to_owned()
        )]
    );
    assert_eq!(
        actions[0].diagnostics.as_deref(),
        Some(&report.diagnostics[..])
    );
    assert_eq!(
        actions[1].title,
        "Suppress AML001 with a reason and an expiry date (isolint-ignore comment)"
    );
    assert_eq!(actions[1].is_preferred, Some(false));
    assert_eq!(
        edits(&actions[1]),
        [(
            "file:///p/main.bicep".to_owned(),
            Range {
                start: at(6, 0),
                end: at(6, 0)
            },
            "    // isolint-ignore AML001 reason=\"TODO: why this is accepted, and who approved it\" until=2027-03-01\n".to_owned()
        )]
    );
}

#[test]
fn an_unsafe_fix_says_so_and_is_never_preferred() {
    let mut s = setup();
    let default = span_of(&s.main, "'Enabled'\n\n");
    let default = Span::new(
        default.file,
        default.start as usize,
        default.start as usize + 9,
    );
    s.analysis.findings.push(finding(
        &s.main,
        "'Enabled'\n  }",
        Some(Fix {
            title: "Set the default of parameter `publicAccess` to 'Disabled'".to_owned(),
            span: default,
            replacement: "'Disabled'".to_owned(),
            safety: Safety::Unsafe,
        }),
    ));
    let versions = HashMap::from([(PathBuf::from(MAIN), 7)]);
    let report = build_with(&s.analysis, client(true, false), &versions);
    let fix = &report.findings[0].actions[0];
    assert!(fix.title.contains("(unsafe:"), "{}", fix.title);
    assert_eq!(fix.is_preferred, Some(false));
    // A client that takes versioned edits gets the analysed version.
    let Some(DocumentChanges::Edits(changes)) = &fix.edit.as_ref().unwrap().document_changes else {
        panic!("expected document changes");
    };
    assert_eq!(changes[0].text_document.version, Some(7));
    assert_eq!(
        edits(fix)[0].1,
        Range {
            start: at(0, 28),
            end: at(0, 37)
        }
    );
}

#[test]
fn fixes_into_module_caches_are_not_offered() {
    let folder = tempfile::tempdir().unwrap();
    let (root, cache) = (folder.path().join("project"), folder.path().join("cache"));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(cache.join("main.json"), "{ \"p\": \"Enabled\" }").unwrap();
    let sources =
        SourceMap::confined(isolint_model::source::Project::new(&root).with_cache(&cache));
    let cached = sources.read(&cache.join("main.json")).unwrap();
    assert!(cached.hidden);
    let main = sources.add(Path::new(MAIN), MAIN_TEXT.into());
    let analysis = Analysis {
        findings: vec![finding(
            &main,
            "'Enabled'\n  }",
            Some(Fix {
                title: "Set p".to_owned(),
                span: span_of(&cached, "\"Enabled\""),
                replacement: "\"Disabled\"".to_owned(),
                safety: Safety::Safe,
            }),
        )],
        sources,
        diagnostics: Vec::new(),
    };
    let report = build_with(&analysis, client(false, false), &HashMap::new());
    let titles: Vec<&str> = report.findings[0]
        .actions
        .iter()
        .map(|a| a.title.as_str())
        .collect();
    assert_eq!(
        titles,
        ["Suppress AML001 with a reason and an expiry date (isolint-ignore comment)"]
    );
}

#[test]
fn files_without_suppression_syntax_get_a_disabled_action_if_the_client_shows_them() {
    let sources = SourceMap::new();
    let vars = sources.add(Path::new("/p/prod.tfvars"), "public = true\n".into());
    let main = sources.add(Path::new(MAIN), MAIN_TEXT.into());
    let mut f = finding(&main, "'Enabled'\n  }", None);
    f.span = span_of(&vars, "true");
    let analysis = Analysis {
        sources,
        findings: vec![f],
        diagnostics: Vec::new(),
    };
    let versions = HashMap::new();
    let cx = |client| Context {
        document: Path::new("/p/prod.tfvars"),
        version: 1,
        client,
        versions: &versions,
        until: Date::parse("2027-03-01").unwrap(),
    };
    let shown = build(&analysis, &cx(client(false, true)));
    let action = &shown.findings[0].actions[0];
    assert!(action.edit.is_none());
    assert!(
        action
            .disabled
            .as_ref()
            .unwrap()
            .reason
            .contains("[[exceptions]]")
    );
    let hidden = build(&analysis, &cx(client(false, false)));
    assert!(hidden.findings[0].actions.is_empty());
}

#[test]
fn problems_in_the_document_are_diagnostics_and_elsewhere_one_summary() {
    let mut s = setup();
    let module = s
        .analysis
        .sources
        .add(Path::new("/p/modules/storage.bicep"), "resource (\n".into());
    s.analysis.diagnostics = vec![
        Problem::warning("invalid-suppression", "unknown rule", MAIN)
            .at(span_of(&s.main, "// ☃"))
            .with_help("use a rule ID"),
        Problem::error("parse-error", "expected a name", "/p/modules/storage.bicep")
            .at(span_of(&module, "(")),
        Problem::error(
            "config-error",
            "isolint.toml:3:1: unknown key",
            "/p/isolint.toml",
        ),
        Problem::warning(
            "unused-variable",
            "not for this file",
            "/p/modules/storage.bicep",
        ),
    ];
    let report = build_with(&s.analysis, client(false, false), &HashMap::new());
    assert_eq!(report.diagnostics.len(), 2);
    let context = &report.diagnostics[0];
    assert_eq!(
        context.code,
        Some(NumberOrString::String("incomplete-context".to_owned()))
    );
    assert!(context.message.contains("expected a name (and 1 more)"));
    let related = context.related_information.as_ref().unwrap();
    assert_eq!(related.len(), 2);
    assert_eq!(related[0].location.range.start, at(0, 9));
    assert_eq!(related[1].location.uri.as_str(), "file:///p/isolint.toml");
    let own = &report.diagnostics[1];
    assert_eq!(own.range.start, at(2, 0));
    assert_eq!(own.range.end, at(2, 4));
    assert_eq!(own.severity, Some(DiagnosticSeverity::WARNING));
    assert_eq!(own.message, "unknown rule\nhelp: use a rule ID");
}

#[test]
fn a_document_the_analysis_did_not_read_has_no_diagnostics() {
    let analysis = Analysis::default();
    let report = build_with(&analysis, client(false, false), &HashMap::new());
    assert!(report.diagnostics.is_empty() && report.findings.is_empty());
    assert_eq!(report.version, 7);
}

#[test]
fn a_finding_reported_elsewhere_shows_where_its_label_touches_the_document() {
    let sources = SourceMap::new();
    let params = sources.add(
        Path::new("/p/prod.bicepparam"),
        "using 'main.bicep'\nparam publicAccess = 'Enabled'\n".into(),
    );
    let main = sources.add(Path::new(MAIN), MAIN_TEXT.into());
    let mut f = finding(&main, "'Enabled'\n  }", None);
    f.labels.push(Label {
        span: span_of(&params, "'Enabled'"),
        message: "value of `publicAccess`".to_owned(),
    });
    let analysis = Analysis {
        sources,
        findings: vec![f],
        diagnostics: Vec::new(),
    };
    let versions = HashMap::new();
    let cx = Context {
        document: Path::new("/p/prod.bicepparam"),
        version: 3,
        client: client(false, false),
        versions: &versions,
        until: Date::parse("2027-03-01").unwrap(),
    };
    let report = build(&analysis, &cx);
    assert_eq!(report.diagnostics.len(), 1);
    let d = &report.diagnostics[0];
    assert_eq!(d.range.start, at(1, 21));
    let related = d.related_information.as_ref().unwrap();
    assert_eq!(related.len(), 1);
    assert_eq!(related[0].location.uri.as_str(), "file:///p/main.bicep");
    assert_eq!(related[0].message, "where isolint reports it");
    // The suppression goes where the finding is reported.
    let suppress = &report.findings[0].actions[0];
    assert_eq!(edits(suppress)[0].0, "file:///p/main.bicep");
}
