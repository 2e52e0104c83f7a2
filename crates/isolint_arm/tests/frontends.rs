//! Frontend snapshots: each template in `testdata/frontends/arm/` is lowered into the model
//! (no rules involved) and the resources and diagnostics are compared with a reviewed
//! snapshot in `testdata/frontends/arm/snapshots/`.

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
        out.push_str(&format!(
            "{:?} {}{at}: {}\n",
            diagnostic.severity, diagnostic.code, diagnostic.message
        ));
    }
    for note in &analysis.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    let root = std::fs::canonicalize(workspace_root()).unwrap_or_else(|_| workspace_root());
    out.replace(&format!("{}/", root.display()), "")
        .replace(&format!("{}/", workspace_root().display()), "")
}

#[test]
fn arm_templates_lower_as_reviewed() {
    let dir =
        std::fs::canonicalize(workspace_root().join("testdata/frontends/arm")).expect("testdata");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                && !name.ends_with(".parameters.json")
        })
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let name = case
            .file_stem()
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
