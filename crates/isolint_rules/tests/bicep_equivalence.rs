//! Same deployment, same answer, Bicep edition: every `testdata/equivalence/<case>/main.bicep`
//! gives the findings of the `azuredeploy.json` beside it, as (rule ID, resource type,
//! resource name); and every corpus folder (`../shared/corpus`, or `$ISOLINT_CORPUS`) that
//! holds a `main.bicep` and JSON compiled from it gives the same (rule ID, resource type)
//! pairs from both, parameter files aside.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use isolint_model::{Analysis, Model, Severity, SourceMap};
use isolint_rules::{Options, check};

mod support;

fn findings(analysis: Analysis, with_names: bool) -> BTreeSet<(String, String, String)> {
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
                if with_names {
                    f.resource.name.to_ascii_lowercase()
                } else {
                    String::new()
                },
            )
        })
        .collect()
}

/// The Bicep side. Without a module cache, a registry module is a coverage gap (COV001)
/// where the compiled JSON holds the module inlined: the gaps are left out of the
/// comparison (the pair test with the cache is `isolint_deploy`'s).
fn bicep(path: &Path, with_names: bool) -> BTreeSet<(String, String, String)> {
    let sources = SourceMap::new();
    let mut found = findings(
        isolint_deploy::analyze_files(
            &[path.to_path_buf()],
            &sources,
            &isolint_deploy::Options::default(),
        ),
        with_names,
    );
    found.retain(|(rule, _, _)| rule != "COV001");
    found
}

/// The JSON side, without the parameter file found beside it (an empty one is given).
fn arm(path: &Path, no_parameters: &Path, with_names: bool) -> BTreeSet<(String, String, String)> {
    let sources = SourceMap::new();
    let options = isolint_deploy::Options {
        parameter_files: vec![no_parameters.to_path_buf()],
        ..isolint_deploy::Options::default()
    };
    findings(
        isolint_deploy::analyze_files(&[path.to_path_buf()], &sources, &options),
        with_names,
    )
}

#[expect(
    clippy::expect_used,
    reason = "a test helper: a failure to write is a failed test"
)]
fn empty_parameters() -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "isolint-empty-{}.parameters.json",
        std::process::id()
    ));
    std::fs::write(
        &path,
        r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {} }"#,
    )
    .expect("a temporary file");
    path
}

#[test]
fn bicep_and_arm_give_the_same_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/equivalence");
    let no_parameters = empty_parameters();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/equivalence")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("main.bicep").is_file())
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    for case in cases {
        let from_bicep = bicep(&case.join("main.bicep"), true);
        let from_arm = arm(&case.join("azuredeploy.json"), &no_parameters, true);
        assert!(
            !from_arm.is_empty(),
            "{}: no finding at all",
            case.display()
        );
        assert_eq!(from_bicep, from_arm, "{}", case.display());
    }
}

/// Corpus folders whose compiled JSON holds what a registry module deploys (inlined by
/// the compiler; without a module cache, a coverage gap in the `.bicep` source; the pair
/// test with the cache is `isolint_deploy`'s `baseline_pair`).
const REGISTRY_MODULES: &[&str] = &["avm/ptn/ai-platform/baseline"];

fn compiled_pairs(dir: &Path, out: &mut Vec<(PathBuf, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    let main = dir.join("main.bicep");
    for path in &entries {
        if path.is_dir() {
            compiled_pairs(path, out);
        } else if main.is_file()
            && !dir.join("main.bicepparam").exists()
            && path.extension().is_some_and(|e| e == "json")
            && isolint_bicep::compiled_copies(&[main.clone(), path.clone()], &SourceMap::new())
                .contains(path)
        {
            out.push((main.clone(), path.clone()));
        }
    }
}

#[test]
fn bicep_sources_and_their_compiled_json_in_the_corpus_agree() {
    let corpus = support::corpus_dir();
    if !corpus.is_dir() {
        support::say_absent(&corpus, "the Bicep/compiled JSON differential test");
        return;
    }
    let no_parameters = empty_parameters();
    let mut pairs = Vec::new();
    compiled_pairs(&corpus, &mut pairs);
    assert!(!pairs.is_empty());
    let mut failures = Vec::new();
    for (source, compiled) in &pairs {
        let shown = compiled.display().to_string();
        if REGISTRY_MODULES.iter().any(|m| shown.contains(m)) {
            continue;
        }
        let from_bicep = bicep(source, false);
        let from_arm = arm(compiled, &no_parameters, false);
        if from_bicep != from_arm {
            failures.push(format!(
                "{shown}:\n  bicep {from_bicep:?}\n  json  {from_arm:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("corpus: {} Bicep/compiled JSON pairs agree", pairs.len());
}
