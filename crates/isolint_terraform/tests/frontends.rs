//! Frontend snapshots: each folder in `testdata/frontends/terraform/` (with its local
//! modules) is lowered into the model (no rules involved) and the resources, diagnostics
//! and notes are compared with a reviewed snapshot in
//! `testdata/frontends/terraform/snapshots/`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use isolint_model::SourceMap;
use isolint_model::describe::describe;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            tf_files(&path, out);
        } else if isolint_terraform::accepts(&path) {
            out.push(path);
        }
    }
}

fn lowered(dir: &Path) -> String {
    let mut files = Vec::new();
    tf_files(dir, &mut files);
    let sources = SourceMap::new();
    let analysis =
        isolint_deploy::analyze_files(&files, &sources, &isolint_deploy::Options::default());
    let mut out = String::new();
    for resource in &analysis.resources {
        out.push_str(&describe(resource, &sources));
        for (path, what) in [
            ("properties.publicNetworkAccess", "publicNetworkAccess"),
            ("properties.allowBlobPublicAccess", "allowBlobPublicAccess"),
            (
                "properties.properties.remoteLoginPortPublicAccess",
                "remoteLoginPortPublicAccess",
            ),
            (
                "properties.properties.sshSettings.sshPublicAccess",
                "sshPublicAccess",
            ),
        ] {
            let prop = resource.get(path);
            for decider in prop.provenance.deciders() {
                let _ = writeln!(out, "  decided: {what} by {decider:?}");
            }
        }
    }
    for diagnostic in &analysis.diagnostics {
        let at = diagnostic
            .span
            .and_then(|s| sources.get(s.file).map(|f| f.position(s.start)))
            .map_or_else(String::new, |p| format!(":{}:{}", p.line, p.column));
        let _ = writeln!(
            out,
            "{:?} {} {}{at}: {}",
            diagnostic.severity,
            diagnostic.code,
            diagnostic
                .path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            diagnostic.message
        );
    }
    for note in &analysis.notes {
        let _ = writeln!(out, "note: {note}");
    }
    let root = std::fs::canonicalize(workspace_root()).unwrap_or_else(|_| workspace_root());
    out.replace(&format!("{}/", root.display()), "")
        .replace(&format!("{}/", workspace_root().display()), "")
}

#[test]
fn terraform_folders_lower_as_reviewed() {
    let dir = std::fs::canonicalize(workspace_root().join("testdata/frontends/terraform"))
        .expect("testdata");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && !p.ends_with("snapshots"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let name = case
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or("case")
            .to_owned();
        insta::with_settings!({
            snapshot_path => dir.join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, lowered(&case));
        });
    }
}
