//! Same deployment, same answer: `testdata/inventory/equivalence/` holds one workspace with
//! its storage account, key vault, container registry, private endpoint (and DNS zone
//! group) and compute, written as an ARM template (`azuredeploy.json`) and as Azure
//! reports it once deployed (`export.json`, `az resource show` of each). Both must give
//! the same (rule ID, resource) pairs.

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

mod common;

use std::collections::BTreeSet;

use isolint_model::{Analysis, SourceMap};
use isolint_rules::ResourceIdentity;

use common::{findings, testdata};

/// (rule ID, resource type, resource name) of each finding, names and types lower-cased;
/// the name is the resource's own (last) name, without the resource group and
/// subscription that messages add for deployed resources.
fn pairs(analysis: Analysis) -> BTreeSet<(String, String, String)> {
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    let (model, findings) = findings(analysis, false);
    findings
        .iter()
        .map(|finding| {
            let resource = model
                .graph()
                .resources()
                .iter()
                .find(|r| ResourceIdentity::of(r) == finding.resource)
                .expect("every finding is about a resource of the model");
            let name = resource
                .id
                .last_name()
                .map(|n| n.to_string().to_ascii_lowercase())
                .unwrap_or_default();
            (
                finding.rule.id.to_owned(),
                resource.ty.to_ascii_lowercase(),
                name,
            )
        })
        .collect()
}

#[test]
fn a_deployment_and_its_export_give_the_same_findings() {
    let sources = SourceMap::new();
    let options = isolint_deploy::Options::default();
    let template = pairs(isolint_deploy::analyze_files(
        &[testdata("equivalence/azuredeploy.json")],
        &sources,
        &options,
    ));
    // Routed by content: the deployment graph tells the export from a template.
    let export = pairs(isolint_deploy::analyze_files(
        &[testdata("equivalence/export.json")],
        &sources,
        &options,
    ));
    let rules: BTreeSet<&str> = template.iter().map(|(id, _, _)| id.as_str()).collect();
    // The case exercises the workspace, dependency and compute rules, not just one.
    for expected in ["AML002", "AML101", "AML112", "AML123", "AML201", "AML205"] {
        assert!(
            rules.contains(expected),
            "{expected} missing from {rules:?}"
        );
    }
    assert_eq!(template, export);
}
