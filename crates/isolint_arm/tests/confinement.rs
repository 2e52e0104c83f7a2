//! No linked template outside the project root is read: a `templateLink.relativePath`
//! that escapes it (by `..`, by an absolute path or through a symbolic link) is a coverage
//! gap at the relative path, and the file is not read.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure to set up is a failed test"
)]

use std::path::{Path, PathBuf};

use isolint_model::coverage::GapReport;
use isolint_model::{Project, SourceMap};

const SECRET: &str = "SECRET-TEXT-THAT-MUST-NOT-BE-PRINTED";

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// A template deploying each of `links` with `templateLink.relativePath`.
fn caller(links: &[&str]) -> String {
    let deployments: Vec<String> = links
        .iter()
        .enumerate()
        .map(|(i, link)| {
            format!(
                r#"{{
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "d{i}",
      "properties": {{ "mode": "Incremental", "templateLink": {{ "relativePath": "{link}" }} }}
    }}"#
            )
        })
        .collect();
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {}
  ]
}}"#,
        deployments.join(",\n    ")
    )
}

#[test]
fn linked_templates_outside_the_root_are_refused_at_the_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let outside = dir.path().join("outside");
    write(
        &outside.join("evil.json"),
        &format!("{{ \"resources\": [ {SECRET} }}"),
    );
    let mut links = vec![
        "../outside/evil.json".to_owned(),
        "../../../../../../../../../etc/passwd".to_owned(),
        "/proc/self/environ".to_owned(),
    ];
    #[cfg(unix)]
    {
        std::fs::create_dir_all(&project).unwrap();
        std::os::unix::fs::symlink(&outside, project.join("linked")).unwrap();
        links.push("linked/evil.json".to_owned());
    }
    let link_texts: Vec<&str> = links.iter().map(String::as_str).collect();
    let main = write(&project.join("azuredeploy.json"), &caller(&link_texts));

    let sources = SourceMap::confined(Project::new(&project));
    let analysis =
        isolint_deploy::analyze_files(&[main], &sources, &isolint_deploy::Options::default());
    let mut refused: Vec<String> = analysis
        .resources
        .iter()
        .filter(|r| {
            GapReport::of(r).is_some_and(|gap| {
                gap.reason.contains("outside the project root")
                    || gap.reason.contains("not a regular file")
            })
        })
        .map(|gap| {
            let span = gap.header();
            sources.get(span.file).unwrap().slice(span).to_owned()
        })
        .collect();
    refused.sort();
    let mut expected: Vec<String> = links.iter().map(|l| format!("\"{l}\"")).collect();
    expected.sort();
    assert_eq!(refused, expected);
    for diagnostic in &analysis.diagnostics {
        assert!(!diagnostic.message.contains(SECRET), "{diagnostic:?}");
        assert!(!diagnostic.message.contains("root:x:0:0"), "{diagnostic:?}");
    }
    for file in sources.files() {
        assert!(file.path.starts_with(&project), "{} was read", file.name);
    }
}
