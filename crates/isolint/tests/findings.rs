//! The `isolint` binary on real ARM templates: findings, exit codes 0/1/2, SARIF.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails by panicking, helpers included"
)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use predicates::str::contains;

/// The folder with the templates (its `.isolintignore` hides them from repository scans;
/// a file named on the command line is checked anyway).
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `isolint` run in the fixtures folder, so that paths print relative to it.
fn isolint() -> Command {
    let mut cmd = cargo_bin_cmd!("isolint");
    cmd.current_dir(fixtures())
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS");
    cmd
}

fn sarif(args: &[&str]) -> serde_json::Value {
    let output = isolint()
        .args(["check", "--format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_public_workspace_is_aml001_and_exits_1() {
    isolint()
        .args(["check", "--format", "compact", "workspace-public.json"])
        .assert()
        .code(1)
        .stdout(contains("workspace-public.json:15:"))
        .stdout(contains("error[AML001 workspace-public-network-access]"));
}

#[test]
fn the_text_summary_counts_the_finding() {
    isolint()
        .args(["check", "--select", "AML001", "workspace-public.json"])
        .assert()
        .code(1)
        .stdout(contains("AML001"))
        .stderr(contains("1 file, 1 error, 0 warnings in "));
}

#[test]
fn an_isolated_workspace_passes_aml001() {
    isolint()
        .args(["check", "--select", "AML001", "workspace-isolated.json"])
        .assert()
        .success()
        .stderr(contains("1 file, 0 errors, 0 warnings in "));
}

#[test]
fn an_ignored_rule_is_not_reported() {
    for rule in ["AML001", "workspace-public-network-access"] {
        isolint()
            .args(["check", "--format", "compact", "--ignore", rule])
            .arg("workspace-public.json")
            .assert()
            .stdout(contains("AML001").not());
        // With nothing else selected, nothing is left to fail the run.
        isolint()
            .args(["check", "--select", "AML001", "--ignore", rule])
            .arg("workspace-public.json")
            .assert()
            .success();
    }
}

#[test]
fn an_error_fails_at_every_fail_level() {
    for level in ["note", "warning", "error"] {
        isolint()
            .args(["check", "--fail-level", level, "workspace-public.json"])
            .assert()
            .code(1);
    }
}

#[test]
fn strict_notes_fail_only_at_fail_level_note() {
    let template = "workspace-unknown.json";
    // Without --strict, an unknown value is silent.
    isolint()
        .args(["check", "--select", "AML001", template])
        .assert()
        .success()
        .stderr(contains("0 errors, 0 warnings in"));
    isolint()
        .args(["check", "--select", "AML001", "--strict", template])
        .assert()
        .success()
        .stderr(contains("0 errors, 0 warnings, 1 note in"));
    isolint()
        .args(["check", "--select", "AML001", "--strict"])
        .args(["--fail-level", "note", template])
        .assert()
        .code(1);
}

#[test]
fn a_parameter_file_settles_an_unknown_value() {
    isolint()
        .args(["check", "--format", "compact", "--select", "AML001"])
        .args(["--parameters", "enable-public-access.parameters.json"])
        .arg("workspace-unknown.json")
        .assert()
        .code(1)
        .stdout(contains("AML001"));
}

#[test]
fn a_parse_error_exits_2_and_the_other_files_are_still_checked() {
    isolint()
        .args(["check", "--format", "compact"])
        .args(["broken.json", "workspace-public.json"])
        .assert()
        .code(2)
        .stdout(contains("broken.json:"))
        .stdout(contains("AML001"));
    isolint()
        .args(["check", "broken.json", "workspace-isolated.json"])
        .assert()
        .code(2)
        .stderr(contains("2 files, ").and(contains("1 parse error")));
}

#[test]
fn sarif_reports_the_finding_at_the_property() {
    let log = sarif(&["--select", "AML001", "workspace-public.json"]);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "isolint");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:#?}");
    let result = &results[0];
    assert_eq!(result["ruleId"], "AML001");
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert!(
        location["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("workspace-public.json")
    );
    assert_eq!(location["region"]["startLine"], 15);
}

#[test]
fn sarif_goes_to_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("isolint.sarif");
    isolint()
        .args([
            "check", "--format", "sarif", "--select", "AML001", "--output",
        ])
        .arg(&out)
        .arg("workspace-public.json")
        .assert()
        .code(1)
        .stdout("");
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "AML001");
}

#[test]
fn an_isolated_workspace_has_no_aml001_in_sarif() {
    let log = sarif(&["workspace-isolated.json"]);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().all(|r| r["ruleId"] != "AML001"),
        "{results:#?}"
    );
}
