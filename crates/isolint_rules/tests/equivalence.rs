//! Same deployment, same answer: each folder in `testdata/equivalence/` holds one deployment
//! written as ARM JSON (`azuredeploy.json`) and as Terraform (`main.tf`); both must give
//! the same findings, as (rule ID, resource type, resource name).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use isolint_model::{Analysis, Model, Severity, SourceMap};
use isolint_rules::{Options, check};

fn findings(analysis: Analysis) -> BTreeSet<(String, String, String)> {
    let errors: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.as_str())
        .collect();
    assert!(errors.is_empty(), "errors: {errors:?}");
    let model = Model::new(analysis.resources);
    check(&model, &Options::default())
        .iter()
        .filter(|f| !f.unresolved)
        .map(|f| {
            (
                f.rule.id.to_owned(),
                f.resource.ty.to_ascii_lowercase(),
                f.resource.name.to_ascii_lowercase(),
            )
        })
        .collect()
}

#[test]
fn arm_and_terraform_give_the_same_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/equivalence");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/equivalence")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let sources = SourceMap::new();
        let options = isolint_deploy::Options::default();
        let arm = findings(isolint_deploy::analyze_files(
            &[case.join("azuredeploy.json")],
            &sources,
            &options,
        ));
        let terraform = findings(isolint_deploy::analyze_files(
            &[case.join("main.tf")],
            &sources,
            &options,
        ));
        assert!(!arm.is_empty(), "{}: no finding at all", case.display());
        assert_eq!(arm, terraform, "{}", case.display());
    }
}
