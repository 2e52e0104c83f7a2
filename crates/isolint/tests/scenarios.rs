//! Scenarios: whole projects in `testdata/scenarios/<case>/` run through the real binary.
//! The exit code, the compact and text reports and the SARIF results are snapshots in
//! `testdata/scenarios/snapshots/`, reviewed like code.

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

/// Runs `isolint check --format <format> testdata/scenarios/<case>` from the workspace
/// root, so that paths print relative to it; returns the exit code and standard output.
/// The home directory is `testdata/bicep-home`, whose `.bicep` is the Bicep module cache
/// the scenarios restore from (so that no machine's own cache changes the answers).
fn run(case: &str, format: &str) -> (i32, String) {
    let output = cargo_bin_cmd!("isolint")
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("TF_DATA_DIR")
        .env("HOME", root().join("testdata/bicep-home"))
        .env("COLUMNS", "100")
        .args(["check", "--quiet", "--format", format])
        .arg(format!("testdata/scenarios/{case}"))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// The SARIF log without the rule table (covered by the output crate's tests) and with the
/// version redacted.
fn sarif_results(text: &str) -> String {
    let mut log: serde_json::Value = serde_json::from_str(text).unwrap();
    for run in log["runs"].as_array_mut().unwrap() {
        let driver = &mut run["tool"]["driver"];
        driver["rules"] =
            serde_json::Value::String("[redacted: see isolint_output's tests]".into());
        driver["version"] = serde_json::Value::String("[version]".into());
        driver["semanticVersion"] = serde_json::Value::String("[version]".into());
    }
    serde_json::to_string_pretty(&log).unwrap()
}

#[test]
fn scenarios_report_as_reviewed() {
    let dir = root().join("testdata/scenarios");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir() && e.file_name() != "snapshots")
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let (exit, compact) = run(&case, "compact");
        let (text_exit, text) = run(&case, "text");
        let (sarif_exit, sarif) = run(&case, "sarif");
        assert_eq!(
            exit, text_exit,
            "{case}: the exit code depends on the format"
        );
        assert_eq!(
            exit, sarif_exit,
            "{case}: the exit code depends on the format"
        );
        insta::with_settings!({
            snapshot_path => dir.join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(
                case.clone(),
                format!("exit code: {exit}\n\n--- compact\n{compact}\n--- text\n{text}")
            );
            insta::assert_snapshot!(format!("{case}.sarif"), sarif_results(&sarif));
        });
    }
}
