//! Module expansion is bounded: modules that each call the next one twice end quickly,
//! with a warning at the module call that is not followed.

use isolint_model::{Severity, SourceMap};

#[test]
fn a_diamond_of_30_modules_stops_at_the_instance_budget() {
    // `m0` calls `m1` twice, which calls `m2` twice, ...: 2^16 instances down to the depth
    // limit without a budget.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut paths = Vec::new();
    for level in 0..30 {
        let text = if level < 29 {
            let next = level + 1;
            format!(
                "module \"left\" {{\n  source = \"../m{next}\"\n}}\n\nmodule \"right\" {{\n  source = \"../m{next}\"\n}}\n"
            )
        } else {
            "resource \"azurerm_storage_account\" \"st\" {\n  name = \"st\"\n}\n".to_owned()
        };
        let folder = dir.path().join(format!("m{level}"));
        std::fs::create_dir_all(&folder).expect("mkdir");
        let path = folder.join("main.tf");
        std::fs::write(&path, text).expect("write");
        paths.push(path);
    }
    let sources = SourceMap::new();
    let analysis =
        isolint_deploy::analyze_files(&paths, &sources, &isolint_deploy::Options::default());
    let warnings: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "expansion-budget")
        .collect();
    assert!(!warnings.is_empty(), "{:#?}", analysis.diagnostics);
    for warning in warnings {
        assert_eq!(warning.severity, Severity::Warning);
        assert!(warning.message.contains("5000 instances"), "{warning:?}");
        // At the call's `source`.
        let span = warning.span.expect("located");
        let file = sources.get(span.file).expect("a known file");
        assert_eq!(file.path, warning.path);
        assert!(
            file.slice(span).starts_with("source = \"../m"),
            "{}",
            file.slice(span)
        );
    }
    // At most one storage account per instance followed.
    assert!(
        analysis.resources.len() < 5000,
        "{}",
        analysis.resources.len()
    );
}
