//! Bad exports: each gives located diagnostics, never a panic, a hang or unbounded work.

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

mod common;

use std::io::Write as _;
use std::path::Path;

use isolint_model::types::ML_WORKSPACE;
use isolint_model::{Analysis, Diagnostic, Position, Severity, SourceMap};

use common::{findings, testdata};

fn read(path: &Path) -> (SourceMap, Analysis) {
    let sources = SourceMap::new();
    let analysis = isolint_inventory::read_file(path, &sources);
    (sources, analysis)
}

/// The diagnostic's code, severity and position (1-based line and column).
fn located(diagnostic: &Diagnostic, sources: &SourceMap) -> (&'static str, Severity, Position) {
    let span = diagnostic.span.expect("a located diagnostic");
    let file = sources.get(span.file).expect("a file of the map");
    (
        diagnostic.code,
        diagnostic.severity,
        file.position(span.start),
    )
}

fn at(line: u32, column: u32) -> Position {
    Position { line, column }
}

fn rule_ids(analysis: Analysis) -> Vec<&'static str> {
    let (_, findings) = findings(analysis, false);
    findings.iter().map(|f| f.rule.id).collect()
}

#[test]
fn az_resource_list_output_is_refused_and_names_the_exports_with_properties() {
    let (sources, analysis) = read(&testdata("bad/resource-list.json"));
    assert!(analysis.resources.is_empty());
    let [refusal] = analysis.diagnostics.as_slice() else {
        panic!("{:?}", analysis.diagnostics)
    };
    assert_eq!(
        located(refusal, &sources),
        ("export-error", Severity::Error, at(18, 5))
    );
    assert!(refusal.message.contains("az resource list"));
    let help = refusal.help.as_deref().unwrap_or_default();
    for export in ["az graph query", "az resource show", "Export-AzRuleData"] {
        assert!(help.contains(export), "{help}");
    }
}

#[test]
fn null_properties_leave_that_resource_unchecked_with_a_warning() {
    let (sources, analysis) = read(&testdata("bad/null-properties.json"));
    let [warning] = analysis.diagnostics.as_slice() else {
        panic!("{:?}", analysis.diagnostics)
    };
    assert_eq!(
        located(warning, &sources),
        ("export-properties-missing", Severity::Warning, at(13, 5))
    );
    assert!(warning.message.contains("mlw-unfetched"));
    assert_eq!(analysis.resources.len(), 2);
    // The public workspace is reported; the one without properties is not guessed at
    // (not even from the default of `publicNetworkAccess`).
    let (_, findings) = findings(analysis, false);
    let named: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.rule.id, f.resource.name.as_str()))
        .collect();
    assert!(
        named.iter().all(|(_, name)| name.starts_with("mlw-public")),
        "{named:?}"
    );
    assert!(named.iter().any(|(id, _)| *id == "AML001"));
}

#[test]
fn unknown_types_are_ignored_quietly() {
    let (_, analysis) = read(&testdata("bad/unknown-types.json"));
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    let types: Vec<&str> = analysis.resources.iter().map(|r| &*r.ty).collect();
    assert_eq!(types, [ML_WORKSPACE], "a lower-case type is still checked");
    assert_eq!(
        analysis.notes,
        ["exports of deployed resources: 4 resources read, 1 of the types isolint checks"]
    );
}

#[test]
fn a_duplicate_id_warns_at_the_later_copy_which_wins() {
    let (sources, analysis) = read(&testdata("bad/duplicate-ids.json"));
    let [warning] = analysis.diagnostics.as_slice() else {
        panic!("{:?}", analysis.diagnostics)
    };
    assert_eq!(
        located(warning, &sources),
        ("export-duplicate-id", Severity::Warning, at(21, 5))
    );
    assert!(
        warning.message.contains("bad/duplicate-ids.json:3:5"),
        "names the earlier copy: {}",
        warning.message
    );
    assert_eq!(analysis.resources.len(), 1);
    let kept = &analysis.resources[0];
    assert!(kept.get("properties.publicNetworkAccess").is("Disabled"));
    assert_eq!(
        kept.origin.address.as_deref(),
        Some(
            "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/RG-ML/providers/Microsoft.MachineLearningServices/workspaces/MLW-TWICE"
        )
    );
    assert!(rule_ids(analysis).iter().all(|id| *id != "AML001"));
}

#[test]
fn a_1_gib_file_is_refused_by_its_size_before_reading() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("estate.json");
    let file = std::fs::File::create(&path).expect("a file");
    // Sparse: nothing is written, and nothing must be read.
    file.set_len(1 << 30).expect("a sparse 1 GiB file");
    let started = std::time::Instant::now();
    let (sources, analysis) = read(&path);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let [refusal] = analysis.diagnostics.as_slice() else {
        panic!("{:?}", analysis.diagnostics)
    };
    assert_eq!(refusal.code, "io-error");
    assert!(
        refusal.message.contains("larger than 256 MiB"),
        "{}",
        refusal.message
    );
    assert!(sources.files().is_empty(), "the file is not read");
    assert_eq!(analysis.templates, 0);
}

#[test]
fn text_that_is_not_json_is_a_located_parse_error() {
    let (sources, analysis) = read(&testdata("bad/not-json.json"));
    let [error] = analysis.diagnostics.as_slice() else {
        panic!("{:?}", analysis.diagnostics)
    };
    assert_eq!(
        located(error, &sources),
        ("parse-error", Severity::Error, at(1, 1))
    );
}

#[test]
fn json_that_is_no_export_is_an_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("template.json");
    std::fs::write(
        &path,
        r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [] }"#,
    )
    .expect("written");
    let (sources, analysis) = read(&path);
    let [error] = analysis.diagnostics.as_slice() else {
        panic!("{:?}", analysis.diagnostics)
    };
    assert_eq!(
        located(error, &sources),
        ("export-error", Severity::Error, at(1, 1))
    );
}

#[test]
fn an_array_mixing_resources_and_other_values_keeps_the_resources() {
    let (sources, analysis) = read(&testdata("bad/mixed-shapes.json"));
    let found: Vec<_> = analysis
        .diagnostics
        .iter()
        .map(|d| located(d, &sources))
        .collect();
    assert_eq!(
        found,
        [
            ("export-bad-id", Severity::Warning, at(42, 5)),
            ("export-bad-id", Severity::Warning, at(48, 5)),
            ("export-not-a-resource", Severity::Warning, at(20, 3)),
        ]
    );
    assert!(analysis.diagnostics[2].message.starts_with("5 elements"));
    assert!(
        analysis.diagnostics[1]
            .message
            .contains("names a resource of type")
    );
    let names: Vec<String> = analysis
        .resources
        .iter()
        .map(isolint_model::Resource::display_name)
        .collect();
    assert_eq!(names.len(), 1);
    assert!(names[0].starts_with("mlw-mixed ("), "{names:?}");
    assert!(rule_ids(analysis).contains(&"AML001"));
}

#[test]
fn the_first_page_of_a_longer_graph_result_says_the_estate_is_incomplete() {
    let (sources, analysis) = read(&testdata("bad/graph-first-page.json"));
    let [warning] = analysis.diagnostics.as_slice() else {
        panic!("{:?}", analysis.diagnostics)
    };
    assert_eq!(
        located(warning, &sources),
        ("export-incomplete", Severity::Warning, at(23, 3))
    );
    assert!(warning.message.contains("250 records"));
    assert!(
        warning
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("--skip-token")
    );
}

#[test]
fn every_page_read_together_is_complete() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = |n: usize, token: &str| {
        let path = dir.path().join(format!("page-{n}.json"));
        let text = format!(
            r#"{{"count": 1, "data": [{{"id": "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv{n}", "type": "microsoft.keyvault/vaults", "properties": {{}}}}], "skip_token": {token}, "total_records": 2}}"#
        );
        std::fs::write(&path, text).expect("written");
        path
    };
    let pages = [page(1, "\"abc\""), page(2, "null")];
    let sources = SourceMap::new();
    let analysis = isolint_inventory::analyze(&pages, &sources);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    assert_eq!(analysis.resources.len(), 2);
    assert_eq!(analysis.templates, 2);
}

/// A resource whose properties nest `depth` objects deep.
fn nested_export(depth: usize) -> String {
    let mut text = String::from(
        r#"[{"id": "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stdeep", "type": "Microsoft.Storage/storageAccounts", "properties": "#,
    );
    for _ in 0..depth {
        text.push_str(r#"{"a": "#);
    }
    text.push_str("null");
    text.push_str(&"}".repeat(depth));
    text.push_str("}]");
    text
}

#[test]
fn deep_nesting_is_read_up_to_the_reader_limit_and_a_located_error_beyond() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let shallow = dir.path().join("shallow.json");
    std::fs::write(&shallow, nested_export(200)).expect("written");
    let (_, analysis) = read(&shallow);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    assert_eq!(analysis.resources.len(), 1);

    let deep = dir.path().join("deep.json");
    let mut file = std::fs::File::create(&deep).expect("a file");
    file.write_all(nested_export(100_000).as_bytes())
        .expect("written");
    let (sources, analysis) = read(&deep);
    let [error] = analysis.diagnostics.as_slice() else {
        panic!("{:?}", analysis.diagnostics)
    };
    let (code, severity, _) = located(error, &sources);
    assert_eq!((code, severity), ("parse-error", Severity::Error));
    assert!(error.message.contains("nesting"), "{}", error.message);
    assert!(analysis.resources.is_empty());
}

#[test]
fn diagnostics_of_one_kind_are_bounded_per_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("many.json");
    let element = r#"{"id": "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", "type": "Microsoft.KeyVault/vaults", "properties": {}}"#;
    let text = format!("[{}]", vec![element; 500].join(",\n"));
    std::fs::write(&path, text).expect("written");
    let (_, analysis) = read(&path);
    assert_eq!(analysis.diagnostics.len(), 21, "20 warnings and one count");
    let last = analysis.diagnostics.last().expect("a count");
    assert_eq!(last.severity, Severity::Note);
    assert!(last.message.starts_with("479 more `export-duplicate-id`"));
    assert_eq!(analysis.resources.len(), 1);
}
