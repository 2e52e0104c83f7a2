//! Export fixtures: every export in `testdata/inventory/` (one per shape) is read by the
//! inventory frontend, and what it lowers to, its diagnostics, and the findings the rules
//! raise on it (`--strict`, so that what the export does not report shows as notes) are
//! compared with a reviewed snapshot in `testdata/inventory/snapshots/`.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use isolint_model::Diagnostic;
use isolint_model::SourceMap;
use isolint_model::describe::describe;
use isolint_output::{Format, Report, TextOptions, render};
use isolint_rules::{Finding, RULES};

use common::{findings, testdata, workspace_root};

/// `findings` and `diagnostics` in `format`, with the repository root cut from paths.
fn rendered(
    format: Format,
    findings: &[Finding],
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
) -> String {
    // Renderers take findings in the order the CLI gives them: sorted.
    let mut findings = findings.to_vec();
    isolint_rules::sort_findings(&mut findings, sources);
    let report = Report {
        findings: &findings,
        diagnostics,
        sources,
        files: sources.files().len(),
        rules: RULES,
        suppressed: &[],
    };
    let text = render(format, &report, &TextOptions::default());
    text.replace(&format!("{}/", workspace_root().display()), "")
}

fn snapshot_of(path: &Path) -> String {
    let sources = SourceMap::new();
    let analysis = isolint_inventory::read_file(path, &sources);
    let mut out = String::from("## lowered\n");
    for resource in &analysis.resources {
        out.push_str(&describe(resource, &sources));
    }
    for note in &analysis.notes {
        let _ = writeln!(out, "note: {note}");
    }
    let diagnostics = analysis.diagnostics.clone();
    let (_, findings) = findings(analysis, true);
    out.push_str("## findings and diagnostics (--strict)\n");
    out.push_str(&rendered(
        Format::Compact,
        &findings,
        &diagnostics,
        &sources,
    ));
    out.replace(&format!("{}/", workspace_root().display()), "")
}

#[test]
fn every_export_shape_lowers_and_is_checked_as_reviewed() {
    let dir = testdata("");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("testdata/inventory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 6, "one export per shape: {cases:?}");
    for case in cases {
        let name = case
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("case")
            .to_owned();
        insta::with_settings!({
            snapshot_path => dir.join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, snapshot_of(&case));
        });
    }
}

/// The worked example of `docs/estate.md`: the Resource Graph export, checked without
/// `--strict`, in the text format users see.
#[test]
fn the_worked_example_renders_as_documented() {
    let sources = SourceMap::new();
    let analysis = isolint_inventory::read_file(&testdata("graph-query.json"), &sources);
    let diagnostics = analysis.diagnostics.clone();
    let (_, findings) = findings(analysis, false);
    let text = rendered(Format::Text, &findings, &diagnostics, &sources);
    insta::with_settings!({
        snapshot_path => testdata("snapshots"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("worked-example", text);
    });
}

#[test]
fn sarif_names_a_deployed_resource_by_its_resource_id() {
    let sources = SourceMap::new();
    let analysis = isolint_inventory::read_file(&testdata("graph-query.json"), &sources);
    let (_, findings) = findings(analysis, false);
    let sarif = rendered(Format::Sarif, &findings, &[], &sources);
    let workspace = "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-ml-dev/providers/Microsoft.MachineLearningServices/workspaces/mlw-contoso";
    assert!(
        sarif.contains(&format!("\"fullyQualifiedName\": \"{workspace}\"")),
        "{sarif}"
    );
    let aml001 = findings
        .iter()
        .find(|f| f.rule.id == "AML001")
        .expect("the public workspace is reported");
    assert_eq!(aml001.resource.qualified_name, workspace);
    assert_eq!(
        aml001.resource.name,
        "mlw-contoso (resource group rg-ml-dev, subscription 00000000-0000-0000-0000-00000000000a)"
    );
}
