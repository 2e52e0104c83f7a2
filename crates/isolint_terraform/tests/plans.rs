//! Terraform plans (`terraform show -json` output): every plan in `testdata/plans/` is read,
//! and what it lowers to, its diagnostics and the findings the rules raise on it (plain
//! and `--strict`, in the compact and the human format) are compared with a reviewed
//! snapshot in `testdata/plans/snapshots/`. The same deployment as `.tf` and as its plan
//! gives the same findings; bad input gives located errors, never a panic.

#![expect(clippy::expect_used, reason = "tests fail loudly")]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use isolint_model::describe::describe;
use isolint_model::{Analysis, Diagnostic, Model, Severity, SourceMap};
use isolint_output::{Format, Report, TextOptions, render};
use isolint_rules::{Finding, Options, RULES, ResourceIdentity, check, sort_findings};

/// The repository root.
fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

/// `testdata/plans/<relative>`.
fn testdata(relative: &str) -> PathBuf {
    workspace_root().join("testdata/plans").join(relative)
}

/// The findings of every rule, sorted, and the model they were found in.
fn findings(analysis: Analysis, strict: bool, sources: &SourceMap) -> (Model, Vec<Finding>) {
    let model = Model::new(analysis.resources);
    let options = Options {
        strict,
        ..Options::default()
    };
    let mut findings = check(&model, &options);
    sort_findings(&mut findings, sources);
    (model, findings)
}

/// `findings` and `diagnostics` in `format`.
fn rendered(
    format: Format,
    findings: &[Finding],
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
) -> String {
    let report = Report {
        findings,
        diagnostics,
        sources,
        files: sources.files().len(),
        rules: RULES,
        suppressed: &[],
    };
    let text = TextOptions {
        color: false,
        width: 120,
        ..TextOptions::default()
    };
    render(format, &report, &text)
}

/// What a plan lowers to, and what is found on it.
fn snapshot_of(path: &Path) -> String {
    let sources = SourceMap::new();
    let analysis = isolint_terraform::plan::read_file(path, &sources);
    let mut out = String::from("## lowered\n");
    for resource in &analysis.resources {
        out.push_str(&describe(resource, &sources));
        if let Some(address) = &resource.origin.address {
            let _ = writeln!(out, "  address: {address}");
        }
    }
    let diagnostics = analysis.diagnostics.clone();
    let resources = analysis.resources.clone();
    let (_, plain) = findings(analysis, false, &sources);
    let (_, strict) = findings(
        Analysis {
            resources,
            ..Analysis::default()
        },
        true,
        &sources,
    );
    out.push_str("## findings (compact)\n");
    out.push_str(&rendered(Format::Compact, &plain, &diagnostics, &sources));
    out.push_str("## findings (human)\n");
    out.push_str(&rendered(Format::Text, &plain, &diagnostics, &sources));
    let notes: Vec<Finding> = strict.into_iter().filter(|f| f.unresolved).collect();
    out.push_str("## unresolved under --strict (compact)\n");
    out.push_str(&rendered(Format::Compact, &notes, &[], &sources));
    out.replace(&format!("{}/", workspace_root().display()), "")
}

#[test]
fn every_plan_lowers_and_is_checked_as_reviewed() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(testdata(""))
        .expect("testdata/plans")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.join("plan.json").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "{cases:?}");
    for case in cases {
        let name = case
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("case")
            .to_owned();
        insta::with_settings!({
            snapshot_path => testdata("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, snapshot_of(&case.join("plan.json")));
        });
    }
}

/// (rule ID, resource type, resource name) of each finding, names and types lower-cased;
/// the name is the resource's own (last) name.
fn pairs(analysis: Analysis, sources: &SourceMap) -> BTreeSet<(String, String, String)> {
    let errors: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.as_str())
        .collect();
    assert!(errors.is_empty(), "errors: {errors:?}");
    let (model, findings) = findings(analysis, false, sources);
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
fn a_deployment_and_its_plan_give_the_same_findings() {
    let sources = SourceMap::new();
    let terraform = pairs(
        isolint_deploy::analyze_files(
            &[workspace_root().join("testdata/equivalence/workspace-with-dependencies/main.tf")],
            &sources,
            &isolint_deploy::Options::default(),
        ),
        &sources,
    );
    let plan = pairs(
        isolint_terraform::plan::read_file(&testdata("equivalence/plan.json"), &sources),
        &sources,
    );
    let rules: BTreeSet<&str> = terraform.iter().map(|(id, _, _)| id.as_str()).collect();
    for expected in ["AML001", "AML101", "AML123", "AML201", "AML205"] {
        assert!(
            rules.contains(expected),
            "{expected} missing from {rules:?}"
        );
    }
    assert_eq!(terraform, plan);
}

#[test]
fn references_link_resources_created_in_the_same_plan() {
    let sources = SourceMap::new();
    let analysis =
        isolint_terraform::plan::read_file(&testdata("private-endpoint/plan.json"), &sources);
    let model = Model::new(analysis.resources);
    let workspace = model
        .graph()
        .iter()
        .find(|r| r.origin.address.as_deref() == Some("azurerm_machine_learning_workspace.ws"))
        .expect("the workspace");
    let endpoints = model.private_endpoints_to(workspace);
    assert_eq!(endpoints.len(), 1);
    let zones = model.dns_zones(&endpoints[0]);
    assert!(zones.contains("privatelink.api.azureml.ms"), "{zones:?}");
    assert!(
        zones.contains("privatelink.notebooks.azure.net"),
        "{zones:?}"
    );
}

#[test]
fn instances_are_resources_of_their_own_named_by_address() {
    let sources = SourceMap::new();
    let analysis =
        isolint_terraform::plan::read_file(&testdata("count-for-each/plan.json"), &sources);
    let diagnostics = analysis.diagnostics.clone();
    let (_, findings) = findings(analysis, false, &sources);
    let managed_network: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.rule.id == "AML002" && f.resource.qualified_name.starts_with("module.team"))
        .collect();
    assert_eq!(managed_network.len(), 2, "one per module instance");
    assert_ne!(
        managed_network[0].fingerprint(),
        managed_network[1].fingerprint()
    );
    let sarif = rendered(Format::Sarif, &findings, &diagnostics, &sources);
    for address in [
        "module.team[0].azurerm_machine_learning_workspace.this",
        "azurerm_storage_account.sa[0]",
        "azurerm_key_vault.kv[\\\"dev\\\"]",
    ] {
        assert!(
            sarif.contains(&format!("\"fullyQualifiedName\": \"{address}\"")),
            "{address} in {sarif}"
        );
    }
}

#[test]
fn a_value_a_module_argument_decided_points_at_the_argument() {
    let sources = SourceMap::new();
    let path = testdata("registry-module/plan.json");
    let analysis = isolint_terraform::plan::read_file(&path, &sources);
    let (_, findings) = findings(analysis, false, &sources);
    let public = findings
        .iter()
        .find(|f| f.rule.id == "AML001" && f.resource.qualified_name.starts_with("module.aml."))
        .expect("AML001 on the module's workspace");
    let file = sources.find(&path).expect("the plan");
    assert_eq!(
        file.slice(public.span),
        r#""public_network_access_enabled":{"constant_value":true}"#
    );
    let [label] = public.labels.as_slice() else {
        panic!("one label: {:?}", public.labels);
    };
    assert_eq!(file.slice(label.span), r#""Enabled""#);
    assert!(
        label.span.start < public.span.start,
        "the label is in planned_values, inside the module"
    );
}

#[test]
fn module_outputs_and_variables_are_followed_to_the_resource() {
    let sources = SourceMap::new();
    let analysis =
        isolint_terraform::plan::read_file(&testdata("count-for-each/plan.json"), &sources);
    let model = Model::new(analysis.resources);
    let by_address = |address: &str| {
        model
            .graph()
            .iter()
            .find(|r| r.origin.address.as_deref() == Some(address))
            .expect(address)
    };
    // `module.team[1].workspace_id`, an output of the module's workspace.
    let workspace = by_address("module.team[1].azurerm_machine_learning_workspace.this");
    assert_eq!(model.private_endpoints_to(workspace).len(), 1);
    // The module's `var.storage_account_id`, given `azurerm_storage_account.sa[1].id`.
    let storage = by_address("azurerm_storage_account.sa[1]");
    let linking = model.workspaces_linking(storage);
    assert_eq!(linking.len(), 2, "both instances of the module link it");
}
