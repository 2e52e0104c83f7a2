//! `isolint report`: the cases in `testdata/reports/<case>/` (an isolated workspace and a
//! hub with its project, a public one, an unverified one, an approved exception) run
//! through the real binary. The three formats of the whole folder are snapshots in
//! `testdata/reports/snapshots/`; each case's verdict is asserted from the JSON.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking, helpers included"
)]

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root")
}

/// Runs `isolint report` with `args` from the workspace root; returns the exit code and
/// standard output.
fn report(args: &[&str]) -> (i32, String) {
    let output = cargo_bin_cmd!("isolint")
        .current_dir(root())
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

#[test]
fn an_isolated_workspace_and_a_hub_with_its_project() {
    let report = json(&["testdata/reports/isolated"]);
    assert_eq!(
        statuses(&report),
        pairs(&[("mlw-private", "isolated"), ("hub-research", "isolated")])
    );
    let hub = &report["workspaces"][1];
    assert_eq!(hub["projects"][0]["name"], "proj-vision");
    assert_eq!(report["summary"]["isolatedPercent"], 100.0);
    assert_eq!(
        report["workspaces"][0]["checks"]["applicable"],
        report["workspaces"][0]["checks"]["passed"]
    );
}

#[test]
fn a_public_workspace_is_not_isolated_and_says_why() {
    let report = json(&["testdata/reports/public"]);
    assert_eq!(statuses(&report), pairs(&[("mlw-demo", "not-isolated")]));
    let reasons: Vec<&str> = report["workspaces"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"AML001") && reasons.contains(&"AML101"),
        "{reasons:?}"
    );
    assert_eq!(report["summary"]["isolatedPercent"], 0.0);
}

#[test]
fn a_workspace_that_depends_on_unknowns_is_unverified() {
    let report = json(&["testdata/reports/unverified"]);
    assert_eq!(statuses(&report), pairs(&[("mlw-param", "unverified")]));
    let reason = &report["workspaces"][0]["reasons"][0];
    assert_eq!(reason["ruleId"], "AML001");
    assert_eq!(reason["unresolved"], true);
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
    assert_eq!(exceptions[2]["kind"], "inline");
    assert_eq!(report["summary"]["expiredExceptions"], 1);
}

#[test]
fn the_three_formats_as_reviewed() {
    let (text_exit, text) = report(&["testdata/reports"]);
    let (markdown_exit, markdown) = report(&["--format", "markdown", "testdata/reports"]);
    let (json_exit, json) = report(&["--format", "json", "testdata/reports"]);
    assert_eq!((text_exit, markdown_exit, json_exit), (0, 0, 0));
    let mut json: serde_json::Value = serde_json::from_str(&json).unwrap();
    json["date"] = serde_json::Value::String("[today]".into());
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
