//! Frontend snapshots: each `testdata/frontends/bicep/*.bicep` file, and the `main.bicep` of
//! each folder there, is lowered into the model (no rules involved) and the resources,
//! diagnostics and notes are compared with a reviewed snapshot in
//! `testdata/frontends/bicep/snapshots/`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use isolint_model::SourceMap;
use isolint_model::describe::describe;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn lowered(path: &Path) -> String {
    let sources = SourceMap::new();
    let analysis = isolint_deploy::analyze_files(
        &[path.to_path_buf()],
        &sources,
        &isolint_deploy::Options::default(),
    );
    let mut out = String::new();
    for resource in &analysis.resources {
        out.push_str(&describe(resource, &sources));
    }
    for diagnostic in &analysis.diagnostics {
        let at = diagnostic
            .span
            .and_then(|s| sources.get(s.file).map(|f| f.position(s.start)))
            .map_or_else(String::new, |p| format!(":{}:{}", p.line, p.column));
        let _ = writeln!(
            out,
            "{:?} {}{at}: {}",
            diagnostic.severity, diagnostic.code, diagnostic.message
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
fn bicep_files_lower_as_reviewed() {
    let dir =
        std::fs::canonicalize(workspace_root().join("testdata/frontends/bicep")).expect("testdata");
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_owned();
            if p.is_dir() {
                let main = p.join("main.bicep");
                main.is_file().then_some((name, main))
            } else {
                p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("bicep"))
                    .then_some((name, p))
            }
        })
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for (name, case) in cases {
        insta::with_settings!({
            snapshot_path => dir.join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, lowered(&case));
        });
    }
}
