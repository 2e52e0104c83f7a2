//! `isolint policy` end to end: the template on standard output or in a file, the options
//! that shape it, and a usage error for a bad name.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::str::contains;
use serde_json::Value;

#[test]
fn policy_writes_the_initiative_to_standard_output_or_a_file() {
    let stdout = cargo_bin_cmd!("isolint")
        .arg("policy")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let template: Value = serde_json::from_slice(&stdout).unwrap();
    let set = template["resources"].as_array().unwrap().last().unwrap();
    assert_eq!(set["type"], "Microsoft.Authorization/policySetDefinitions");
    assert_eq!(set["name"], "isolint-aml-network-isolation");
    assert_eq!(
        set["properties"]["parameters"]["effect"]["defaultValue"],
        "Audit"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("initiative.json");
    cargo_bin_cmd!("isolint")
        .args(["policy", "--effect", "deny", "--scope", "subscription"])
        .args([
            "--name",
            "aml-guardrails",
            "--display-name",
            "AML guardrails",
            "-o",
        ])
        .arg(&file)
        .assert()
        .success()
        .stdout("");
    let template: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(
        template["$schema"]
            .as_str()
            .unwrap()
            .contains("subscriptionDeploymentTemplate")
    );
    let set = template["resources"].as_array().unwrap().last().unwrap();
    assert_eq!(set["name"], "aml-guardrails");
    assert_eq!(set["properties"]["displayName"], "AML guardrails");
    assert_eq!(
        set["properties"]["parameters"]["effect"]["defaultValue"],
        "Deny"
    );

    cargo_bin_cmd!("isolint")
        .args(["policy", "--name", "a/b"])
        .assert()
        .code(2)
        .stderr(contains("`/` is not allowed in a name"));
}
