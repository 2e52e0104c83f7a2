//! `isolint check - --stdin-filename PATH`: standard input checked as the file it names,
//! in that file's deployment context (its caller reads the unsaved text), and the usage
//! errors around it.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails by panicking, helpers included"
)]

use std::fs;

use predicates::str::contains;

mod project;
use project::{isolint_in, tree};

fn workspace(access: &str) -> String {
    format!(
        "resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {{
  name: 'mlw'
  location: 'westeurope'
  properties: {{
    publicNetworkAccess: '{access}'
  }}
}}
"
    )
}

#[test]
fn standard_input_replaces_the_file_it_names() {
    let dir = tree(&[("infra/main.bicep", &workspace("Disabled"))]);
    isolint_in(dir.path())
        .args(["check", "--format", "compact", "--select", "AML001"])
        .args(["-", "--stdin-filename", "infra/main.bicep"])
        .write_stdin(workspace("Enabled"))
        .assert()
        .code(1)
        .stdout(contains(
            "infra/main.bicep:5:26: error[AML001 workspace-public-network-access]",
        ));
    // The disk still says `Disabled`: nothing was written.
    isolint_in(dir.path())
        .args(["check", "--select", "AML001", "infra/main.bicep"])
        .assert()
        .code(0);
}

#[test]
fn a_file_not_saved_yet_is_checked_in_its_format() {
    let dir = tree(&[("infra/keep.txt", "")]);
    isolint_in(dir.path())
        .args(["check", "--format", "compact", "--select", "AML001"])
        .args(["-", "--stdin-filename", "infra/new.tf"])
        .write_stdin(
            "resource \"azurerm_machine_learning_workspace\" \"main\" {\n  name = \"mlw\"\n  public_network_access_enabled = true\n}\n",
        )
        .assert()
        .code(1)
        .stdout(contains("infra/new.tf:3:35: error[AML001"));
}

/// A module read from standard input is judged through its caller on the disk, which reads
/// the unsaved text, as `isolint check module.bicep` judges the saved one.
#[test]
fn a_module_on_standard_input_is_judged_through_its_caller() {
    let dir = tree(&[
        (
            "main.bicep",
            "module ws 'modules/workspace.bicep' = {\n  name: 'ws'\n  params: { access: 'Enabled' }\n}\n",
        ),
        ("modules/workspace.bicep", "param access string\n"),
    ]);
    let module = workspace("Disabled").replace("'Disabled'", "access");
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    isolint_in(dir.path())
        .args(["check", "--format", "compact", "--select", "AML001"])
        .args(["-", "--stdin-filename", "modules/workspace.bicep"])
        .write_stdin(format!("param access string\n{module}"))
        .assert()
        .code(1)
        .stdout(contains("error[AML001"))
        .stdout(contains("modules/workspace.bicep"));
}

#[test]
fn standard_input_needs_its_file_name_and_no_fix() {
    let dir = tree(&[("main.bicep", &workspace("Disabled"))]);
    for (args, message) in [
        (vec!["check", "-"], "needs --stdin-filename PATH"),
        (
            vec!["check", "-", "main.bicep", "--stdin-filename", "x.bicep"],
            "must be the only PATH",
        ),
        (
            vec!["check", "--stdin-filename", "main.bicep"],
            "give `-` as the PATH",
        ),
        (
            vec!["check", "--fix", "-", "--stdin-filename", "main.bicep"],
            "cannot apply to standard input",
        ),
    ] {
        isolint_in(dir.path())
            .args(&args)
            .write_stdin(workspace("Enabled"))
            .assert()
            .code(2)
            .stderr(contains(message));
    }
}

#[test]
fn standard_input_that_is_not_text_is_an_error() {
    let dir = tree(&[("main.bicep", &workspace("Disabled"))]);
    isolint_in(dir.path())
        .args(["check", "-", "--stdin-filename", "main.bicep"])
        .write_stdin(vec![0xff, 0xfe, 0x00])
        .assert()
        .code(2)
        .stderr(contains("cannot read standard input: it is not UTF-8 text"));
}
