//! `isolint report`: the cases in `testdata/reports/<case>/` (an isolated workspace and a
//! hub with its project, a public one, an unverified one, an approved exception, a module
//! called twice) run through the real binary. The three formats of the infrastructure-as-code
//! cases are snapshots in `testdata/reports/snapshots/`; each case's verdict is asserted
//! from the JSON. The report on an export of the live estate (`testdata/reports/estate/`)
//! is built through the libraries until the command line routes exports.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking, helpers included"
)]

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use isolint_model::{Model, SourceMap};
use isolint_output::{ReportFormat, ReportOptions, render_report};
use isolint_rules::report::IsolationReport;
use isolint_rules::{Date, Options};

/// The infrastructure-as-code cases, named one by one: the estate's exports beside them
/// are not templates.
const IAC_CASES: [&str; 5] = [
    "testdata/reports/exception",
    "testdata/reports/isolated",
    "testdata/reports/modules",
    "testdata/reports/public",
    "testdata/reports/unverified",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root")
}

/// Runs `isolint report` with `args` from the workspace root; returns the exit code and
/// standard output.
fn report(args: &[&str]) -> (i32, String) {
    report_in(&root(), args)
}

/// Runs `isolint report` with `args` from `dir`.
fn report_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = cargo_bin_cmd!("isolint")
        .current_dir(dir)
        .arg("report")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (exit, out) = report(&all);
    assert_eq!(exit, 0, "{out}");
    serde_json::from_str(&out).unwrap()
}

/// The statuses by workspace name.
fn statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    report["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["name"].as_str().unwrap().to_owned(),
                w["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// The IDs of a list of rules (`checks.failed`, `exceptions[].rules`).
fn ids(rules: &serde_json::Value) -> Vec<&str> {
    rules
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect()
}

#[test]
fn an_isolated_workspace_and_a_hub_with_its_project() {
    let report = json(&["testdata/reports/isolated"]);
    // The hub fails one check that does not break isolation, so it comes first.
    assert_eq!(
        statuses(&report),
        pairs(&[("hub-research", "isolated"), ("mlw-private", "isolated")])
    );
    let hub = &report["workspaces"][0];
    assert_eq!(hub["kind"], "Hub");
    assert_eq!(hub["projects"][0]["name"], "proj-vision");
    assert_eq!(ids(&hub["checks"]["failed"]), ["AML003"]);
    assert_eq!(report["summary"]["isolatedPercent"], 100.0);
    let private = &report["workspaces"][1];
    assert_eq!(private["checks"]["applicable"], private["checks"]["passed"]);
    assert_eq!(ids(&private["checks"]["failed"]), Vec::<&str>::new());
}

#[test]
fn the_report_says_which_checks_failed() {
    let (exit, text) = report(&["testdata/reports/isolated"]);
    assert_eq!(exit, 0);
    assert!(
        text.contains(
            "  isolated      hub-research (Hub, testdata/reports/isolated/hub.bicep:4:1)\n      checks: 13 of 14 passed; failed: AML003\n"
        ),
        "{text}"
    );
    let (_, markdown) = report(&["--format", "markdown", "testdata/reports/isolated"]);
    assert!(
        markdown.contains("| `hub-research` | Hub | isolated | 13/14 | AML003 |"),
        "{markdown}"
    );
}

#[test]
fn a_module_called_twice_is_two_workspaces_named_by_their_callers() {
    let report = json(&["testdata/reports/modules"]);
    // Each instance is judged on its own findings: the public one does not sink the other.
    assert_eq!(
        statuses(&report),
        pairs(&[("mlw-team-b", "not-isolated"), ("mlw-team-a", "isolated")])
    );
    let team_b = &report["workspaces"][0];
    assert_eq!(ids(&team_b["checks"]["failed"]), ["AML001"]);
    assert_eq!(team_b["reasons"].as_array().unwrap().len(), 1);
    // The kind is spelled as Azure documents it, whatever case the template wrote.
    assert_eq!(team_b["kind"], "Hub");
}

#[test]
fn a_public_workspace_is_not_isolated_and_says_why() {
    let report = json(&["testdata/reports/public"]);
    assert_eq!(statuses(&report), pairs(&[("mlw-demo", "not-isolated")]));
    let workspace = &report["workspaces"][0];
    let reasons: Vec<&str> = workspace["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"]["id"].as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"AML001") && reasons.contains(&"AML101"),
        "{reasons:?}"
    );
    // Every failed check is named, those that break isolation and the others.
    let failed = ids(&workspace["checks"]["failed"]);
    assert!(
        failed.contains(&"AML001") && failed.contains(&"AML002"),
        "{failed:?}"
    );
    assert_eq!(
        workspace["checks"]["applicable"].as_u64().unwrap(),
        workspace["checks"]["passed"].as_u64().unwrap() + failed.len() as u64
    );
    assert_eq!(report["summary"]["isolatedPercent"], 0.0);
}

#[test]
fn a_workspace_that_depends_on_unknowns_is_unverified() {
    let report = json(&["testdata/reports/unverified"]);
    assert_eq!(statuses(&report), pairs(&[("mlw-param", "unverified")]));
    let workspace = &report["workspaces"][0];
    let reason = &workspace["reasons"][0];
    assert_eq!(reason["rule"]["id"], "AML001");
    assert_eq!(reason["unresolved"], true);
    assert_eq!(ids(&workspace["checks"]["failed"]), Vec::<&str>::new());
    assert!(ids(&workspace["checks"]["unsettled"]).contains(&"AML001"));
    // A parameter value settles it.
    let dir = tempfile::tempdir().unwrap();
    let params = dir.path().join("p.json");
    std::fs::write(
        &params,
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "publicAccess": { "value": "Disabled" } }
}"#,
    )
    .unwrap();
    let settled = json(&[
        "testdata/reports/unverified",
        "--parameters",
        params.to_str().unwrap(),
    ]);
    assert_eq!(statuses(&settled), pairs(&[("mlw-param", "isolated")]));
}

#[test]
fn exceptions_list_owner_reason_and_expiry_sorted_and_marked() {
    let report = json(&["testdata/reports/exception"]);
    // An exception hides nothing from the report: the storage account is still open.
    assert_eq!(statuses(&report), pairs(&[("mlw-legacy", "not-isolated")]));
    let exceptions = report["exceptions"].as_array().unwrap();
    let expiries: Vec<&serde_json::Value> = exceptions.iter().map(|e| &e["until"]).collect();
    assert_eq!(
        expiries,
        [
            &serde_json::json!("2020-01-31"),
            &serde_json::json!("2099-12-31"),
            &serde_json::Value::Null
        ]
    );
    assert_eq!(exceptions[0]["expired"], true);
    assert_eq!(exceptions[1]["expired"], false);
    assert_eq!(exceptions[1]["approvedBy"], "secops");
    assert_eq!(
        exceptions[1]["reason"],
        "legacy data import, migration tracked in SEC-42"
    );
    assert_eq!(ids(&exceptions[1]["rules"]), ["AML101"]);
    // The kinds `check`'s JSON gives suppressions.
    assert_eq!(exceptions[1]["kind"], "external");
    assert_eq!(exceptions[2]["kind"], "inSource");
    assert_eq!(report["summary"]["expiredExceptions"], 1);
}

#[test]
fn the_three_formats_as_reviewed() {
    let (text_exit, text) = report(&IAC_CASES);
    let mut args = vec!["--format", "markdown"];
    args.extend(IAC_CASES);
    let (markdown_exit, markdown) = report(&args);
    args[1] = "json";
    let (json_exit, json) = report(&args);
    assert_eq!((text_exit, markdown_exit, json_exit), (0, 0, 0));
    let mut json: serde_json::Value = serde_json::from_str(&json).unwrap();
    json["date"] = serde_json::Value::String("[today]".into());
    json["tool"]["version"] = serde_json::Value::String("[version]".into());
    insta::with_settings!({
        snapshot_path => root().join("testdata/reports/snapshots"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("report.txt", text);
        insta::assert_snapshot!("report.md", markdown);
        insta::assert_snapshot!("report.json", serde_json::to_string_pretty(&json).unwrap());
    });
}

#[test]
fn unreadable_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.json"), "{ \"resources\": [").unwrap();
    let (exit, _) = report(&[dir.path().to_str().unwrap()]);
    assert_eq!(exit, 2);
    let (exit, _) = report(&["--config", "no/such/isolint.toml", "."]);
    assert_eq!(exit, 2);
}

#[test]
fn paths_are_relative_to_the_current_folder_even_outside_it() {
    let (exit, out) = report_in(
        &root().join("crates"),
        &["--format", "json", "../testdata/reports/public"],
    );
    assert_eq!(exit, 0, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        report["workspaces"][0]["location"]["path"],
        "../testdata/reports/public/azuredeploy.json"
    );
    let absolute = root().display().to_string();
    assert!(!out.contains(&absolute), "no absolute path: {out}");
    let (_, text) = report_in(&root().join("crates"), &["../testdata/reports/public"]);
    assert!(!text.contains(&absolute), "no absolute path: {text}");
}

#[test]
fn a_json_report_written_into_the_folder_it_reads_is_known_as_isolint_s_own() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("testdata/reports/public/azuredeploy.json"),
        dir.path().join("azuredeploy.json"),
    )
    .unwrap();
    let write = || {
        report_in(
            dir.path(),
            &["--format", "json", "-o", "isolation.json", "."],
        )
    };
    assert_eq!(write().0, 0);
    // The second run reads the first one's output, and may write over it.
    assert_eq!(write().0, 0);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("isolation.json")).unwrap())
            .unwrap();
    assert_eq!(written["tool"]["name"], "isolint");
    // A JSON file of someone else's is an input, and is never written over.
    std::fs::write(dir.path().join("other.json"), r#"{ "version": 1 }"#).unwrap();
    let (exit, _) = report_in(dir.path(), &["--format", "json", "-o", "other.json", "."]);
    assert_eq!(exit, 2);
}

/// Runs `isolint check` with `args` from the workspace root; returns standard output and
/// standard error.
fn check(args: &[&str]) -> (String, String) {
    let output = cargo_bin_cmd!("isolint")
        .current_dir(root())
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_pull_request_summary_nests_the_report_and_counts_files_as_the_summary_does() {
    let mut args = vec!["--format", "markdown"];
    args.extend(IAC_CASES);
    let (markdown, _) = check(&args);
    let headings: Vec<&str> = markdown
        .lines()
        .filter(|line| line.starts_with('#'))
        .map(|line| line.split(' ').next().unwrap_or_default())
        .collect();
    assert_eq!(headings.first(), Some(&"##"), "{markdown}");
    assert!(
        headings.iter().skip(1).all(|h| h.len() >= 3),
        "nothing above or beside the title: {headings:?}"
    );
    assert!(
        markdown.contains("\n### Network isolation report\n"),
        "{markdown}"
    );
    assert!(markdown.contains("\n#### Workspaces\n"), "{markdown}");
    // The run summary of the same files (text format, on standard error) counts as many.
    let (_, summary) = check(&IAC_CASES);
    let files = summary
        .lines()
        .last()
        .and_then(|line| line.split(' ').next())
        .unwrap();
    assert!(
        markdown.contains(&format!("\n{files} files checked: **")),
        "{files} files: {markdown}"
    );
}

/// The estate's export, read, checked and reported through the libraries, as the command
/// line will once it routes exports; rendered with paths relative to the repository root.
fn estate_report(format: ReportFormat) -> String {
    let sources = SourceMap::new();
    let export = root().join("testdata/reports/estate/graph.json");
    let analysis = isolint_inventory::read_file(&export, &sources);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    let model = Model::new(analysis.resources);
    // As `isolint report` runs the rules: every one, noting what cannot be settled.
    let options = Options {
        strict: true,
        ..Options::default()
    };
    let findings = isolint_rules::check(&model, &options);
    let report: IsolationReport = isolint_rules::report::build(
        &model,
        &sources,
        &findings,
        &[],
        &options,
        Date::from_unix_seconds(0),
    );
    render_report(
        format,
        &report,
        &sources,
        &ReportOptions {
            relative_to: Some(root()),
            ..ReportOptions::default()
        },
    )
}

#[test]
fn the_estate_is_reported_per_subscription_and_resource_group() {
    let report: serde_json::Value =
        serde_json::from_str(&estate_report(ReportFormat::Json)).unwrap();
    let groups: Vec<(&str, &str, u64, u64)> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["subscription"].as_str().unwrap(),
                g["resourceGroup"].as_str().unwrap(),
                g["summary"]["workspaces"].as_u64().unwrap(),
                g["summary"]["isolated"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (SUBSCRIPTION_A, "rg-ml-dev", 1, 0),
            (SUBSCRIPTION_A, "rg-ml-prod", 1, 1),
            (SUBSCRIPTION_B, "rg-genai", 1, 1),
            (SUBSCRIPTION_B, "rg-research", 1, 0),
        ]
    );
    // The workspaces that fail the most checks first, each with its scope.
    let failed: Vec<(&str, &str, usize)> = report["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["name"].as_str().unwrap(),
                w["resourceGroup"].as_str().unwrap(),
                w["checks"]["failed"].as_array().unwrap().len(),
            )
        })
        .collect();
    let counts: Vec<usize> = failed.iter().map(|(_, _, count)| *count).collect();
    let mut sorted = counts.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(counts, sorted, "{failed:?}");
    assert_eq!(failed[0].0, "mlw-contoso");
    assert_eq!(failed[0].1, "rg-ml-dev");
    // The workspace is named as the estate knows it: its full resource ID.
    assert_eq!(
        report["workspaces"][0]["resource"]["qualifiedName"],
        format!(
            "/subscriptions/{SUBSCRIPTION_A}/resourceGroups/rg-ml-dev/providers/Microsoft.MachineLearningServices/workspaces/mlw-contoso"
        )
    );
}

/// Every key path of `value` (`/workspaces/[]/checks/failed`), into `out`.
fn keys(value: &serde_json::Value, at: &str, out: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let path = format!("{at}/{key}");
                out.insert(path.clone());
                keys(value, &path, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                keys(item, &format!("{at}/[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_estate_report_has_the_fields_of_the_infrastructure_as_code_report() {
    let estate: serde_json::Value =
        serde_json::from_str(&estate_report(ReportFormat::Json)).unwrap();
    let iac = json(&IAC_CASES);
    // Every key of the IaC report is in the estate's, at every level, and the other way.
    let (mut estate_keys, mut iac_keys) = Default::default();
    keys(&estate, "", &mut estate_keys);
    keys(&iac, "", &mut iac_keys);
    // Exports carry no exceptions and no orphan projects here; labels and hubs are optional.
    let comparable = |key: &&String| {
        !key.starts_with("/exceptions")
            && !key.starts_with("/inheritingProjects")
            && !key.contains("/labels/[]")
            && !key.ends_with("/hub")
    };
    let only_estate: Vec<&String> = estate_keys
        .difference(&iac_keys)
        .filter(comparable)
        .collect();
    let only_iac: Vec<&String> = iac_keys
        .difference(&estate_keys)
        .filter(comparable)
        .collect();
    assert!(
        only_estate.is_empty() && only_iac.is_empty(),
        "{only_estate:?} {only_iac:?}"
    );
}

#[test]
fn the_estate_report_as_reviewed() {
    insta::with_settings!({
        snapshot_path => root().join("testdata/reports/snapshots"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("estate.txt", estate_report(ReportFormat::Text));
        insta::assert_snapshot!("estate.md", estate_report(ReportFormat::Markdown));
    });
}

#[test]
fn the_estate_guide_shows_the_summary_the_libraries_give() {
    let guide = std::fs::read_to_string(root().join("docs/estate.md")).unwrap();
    let shown = guide
        .split_once("level 4; `crates/isolint/tests/report.rs` fails when they differ. -->\n\n")
        .and_then(|(_, rest)| rest.split_once("\n<!-- end of the summary -->"))
        .map(|(summary, _)| summary)
        .expect("docs/estate.md marks the summary");
    // The guide nests the report under its own headings.
    let rendered = estate_report(ReportFormat::Markdown)
        .replacen("# Network isolation report\n\n", "", 1)
        .replace("\n## ", "\n#### ");
    assert_eq!(shown, rendered);
}

/// The command line routes exports by their content (the deployment graph): `isolint
/// report` on the estate's folder gives what the libraries give.
#[test]
fn the_command_line_reports_the_estate_as_the_libraries_do() {
    let (exit, markdown) = report(&["--format", "markdown", "testdata/reports/estate"]);
    assert_eq!(exit, 0, "{markdown}");
    assert_eq!(markdown, estate_report(ReportFormat::Markdown));
    let (_, text) = report(&["testdata/reports/estate"]);
    assert_eq!(text, estate_report(ReportFormat::Text));
}

const SUBSCRIPTION_A: &str = "00000000-0000-0000-0000-00000000000a";
const SUBSCRIPTION_B: &str = "00000000-0000-0000-0000-00000000000b";
