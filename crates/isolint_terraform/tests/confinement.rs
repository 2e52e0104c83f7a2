//! No Terraform module outside the project root is read: a local module whose folder (or
//! one of whose files) is a symbolic link out of the root is a coverage gap at the module
//! call's `source`, and its files are not read.

#![cfg(unix)]
#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure to set up is a failed test"
)]

use std::path::Path;

use isolint_model::coverage::GapReport;
use isolint_model::{Project, SourceMap};

const SECRET: &str = "SECRET-TEXT-THAT-MUST-NOT-BE-PRINTED";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CALLER: &str = r#"module "net" {
  source = "./modules/net"
}
resource "azurerm_key_vault" "kv" {
  name = "kv"
}
"#;

fn check(project: &Path) {
    let sources = SourceMap::confined(Project::new(project));
    let analysis = isolint_deploy::analyze_files(
        &[project.join("main.tf")],
        &sources,
        &isolint_deploy::Options::default(),
    );
    let refused: Vec<_> = analysis
        .resources
        .iter()
        .filter_map(|r| Some((GapReport::of(r)?, r.header())))
        .collect();
    assert_eq!(refused.len(), 1, "{:#?}", analysis.diagnostics);
    let (gap, span) = &refused[0];
    let file = sources.get(span.file).unwrap();
    assert!(file.path.ends_with("main.tf"));
    assert_eq!(file.slice(*span), "\"./modules/net\"");
    assert!(
        gap.reason
            .contains("outside the project root: not followed")
    );
    for diagnostic in &analysis.diagnostics {
        assert!(!diagnostic.message.contains(SECRET), "{diagnostic:?}");
    }
    for file in sources.files() {
        assert!(!file.text.contains(SECRET), "{} was read", file.name);
    }
    let names: Vec<String> = analysis
        .resources
        .iter()
        .filter(|r| GapReport::of(r).is_none())
        .map(isolint_model::Resource::display_name)
        .collect();
    assert_eq!(names, ["kv"]);
}

#[test]
fn a_module_folder_linked_out_of_the_root_is_refused_at_the_call() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let outside = dir.path().join("outside");
    write(
        &outside.join("main.tf"),
        &format!("resource \"azurerm_key_vault\" \"evil\" {{\n  name = \"{SECRET}\"\n}}\n"),
    );
    write(&project.join("main.tf"), CALLER);
    std::fs::create_dir_all(project.join("modules")).unwrap();
    std::os::unix::fs::symlink(&outside, project.join("modules/net")).unwrap();
    check(&project);
}

#[test]
fn a_module_file_linked_out_of_the_root_is_refused_at_the_call() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let outside = dir.path().join("outside");
    write(
        &outside.join("evil.tf"),
        &format!("resource \"azurerm_key_vault\" \"evil\" {{\n  name = \"{SECRET}\"\n}}\n"),
    );
    write(&project.join("main.tf"), CALLER);
    write(
        &project.join("modules/net/variables.tf"),
        "variable \"x\" {}\n",
    );
    std::os::unix::fs::symlink(outside.join("evil.tf"), project.join("modules/net/evil.tf"))
        .unwrap();
    check(&project);
}
