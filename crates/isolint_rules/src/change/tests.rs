//! Tests of the matching of resources across revisions and of the comparison of findings,
//! on Bicep read from memory.

use std::path::{Path, PathBuf};

use isolint_model::types::ML_WORKSPACE;
use isolint_model::{Model, SourceMap};

use super::*;
use crate::Options;

/// The model of `files` (path, text), read through a map of preloaded texts only.
fn model(files: &[(&str, &str)]) -> (Model, SourceMap) {
    let sources = SourceMap::new().only_preloaded();
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(path, text)| {
            let path = Path::new("/repo").join(path);
            sources.offer(&path, (*text).into());
            path
        })
        .collect();
    let analysis =
        isolint_deploy::analyze_files(&paths, &sources, &isolint_deploy::Options::default());
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    (Model::new(analysis.resources), sources)
}

fn workspace(name: &str, mode: &str) -> String {
    format!(
        "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {{
  name: '{name}'
  location: 'westeurope'
  properties: {{ publicNetworkAccess: 'Disabled', managedNetwork: {{ isolationMode: '{mode}' }} }}
}}
"
    )
}

/// The workspace of `model` declared in a file whose path ends with `file`.
fn workspace_in<'m>(model: &'m Model, sources: &SourceMap, file: &str) -> ResourceRef<'m> {
    model
        .graph()
        .resources_of(ML_WORKSPACE)
        .find(|ws| {
            sources
                .get(ws.origin.file)
                .is_some_and(|f| f.path.ends_with(file))
        })
        .unwrap()
}

#[test]
fn resources_are_matched_by_identity_across_renamed_files() {
    // Two deployments declare the same identity; one of them moves to another file.
    let (base, base_sources) = model(&[
        ("dev/main.bicep", &workspace("mlw-dev", "Disabled")),
        (
            "prod/main.bicep",
            &workspace("mlw-prod", "AllowInternetOutbound"),
        ),
    ]);
    let (current, current_sources) = model(&[
        ("envs/dev.bicep", &workspace("mlw-dev", "Disabled")),
        (
            "prod/main.bicep",
            &workspace("mlw-prod", "AllowInternetOutbound"),
        ),
    ]);
    let comparison = Comparison::new(&base, &base_sources, &current, &current_sources);
    let prod = workspace_in(&current, &current_sources, "prod/main.bicep");
    let dev = workspace_in(&current, &current_sources, "envs/dev.bicep");
    let before = |ws: ResourceRef<'_>| {
        let was = comparison.before(ws).unwrap();
        base_sources.get(was.origin.file).unwrap().path.clone()
    };
    // Same file first; the renamed one by its evaluated name, since both identities are
    // `'mlw-...'` names that differ.
    assert!(before(prod).ends_with("prod/main.bicep"));
    assert!(before(dev).ends_with("dev/main.bicep"));
    let was = comparison.before(dev).unwrap();
    assert_eq!(comparison.after(was).map(ResourceRef::idx), Some(dev.idx()));
}

#[test]
fn a_new_resource_has_no_past_and_its_findings_are_new() {
    let (base, base_sources) = model(&[("main.bicep", &workspace("mlw-a", "Disabled"))]);
    let (current, current_sources) = model(&[
        ("main.bicep", &workspace("mlw-a", "Disabled")),
        ("other.bicep", &workspace("mlw-b", "Disabled")),
    ]);
    let comparison = Comparison::new(&base, &base_sources, &current, &current_sources);
    let added = workspace_in(&current, &current_sources, "other.bicep");
    assert!(comparison.before(added).is_none());

    let options = Options::default();
    let compared = compare_findings(
        &comparison,
        crate::check(&base, &options),
        crate::check(&current, &options),
    );
    assert!(!compared.unchanged.is_empty());
    assert!(compared.absent.is_empty());
    assert!(!compared.new.is_empty());
    assert!(
        compared.new.iter().all(|f| f.resource.name == "mlw-b"),
        "{:?}",
        compared.new
    );
}

#[test]
fn change_rules_run_only_with_a_base_revision() {
    let (base, base_sources) =
        model(&[("main.bicep", &workspace("mlw", "AllowOnlyApprovedOutbound"))]);
    let (current, current_sources) =
        model(&[("main.bicep", &workspace("mlw", "AllowInternetOutbound"))]);
    // `check` never runs them.
    assert!(
        crate::check(&current, &Options::default())
            .iter()
            .all(|f| !f.rule.id.starts_with("CHG"))
    );
    let comparison = Comparison::new(&base, &base_sources, &current, &current_sources);
    let findings = check_changes(&comparison, &Options::default());
    let ids: Vec<&str> = findings.iter().map(|f| f.rule.id).collect();
    assert_eq!(ids, ["CHG002"]);
    // `--ignore` turns them off like any rule.
    let ignored = Options {
        ignore: vec!["managed-network-transition-refused".to_owned()],
        ..Options::default()
    };
    assert!(check_changes(&comparison, &ignored).is_empty());
}

#[test]
fn change_rules_are_documented_like_the_others() {
    let mut ids: Vec<&str> = CHANGE_RULES.iter().map(|r| r.id).collect();
    let sorted = {
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted
    };
    assert_eq!(ids, sorted);
    ids.dedup();
    assert_eq!(ids.len(), CHANGE_RULES.len());
    for rule in CHANGE_RULES {
        assert!(rule.id.starts_with("CHG"), "{}", rule.id);
        assert!(
            crate::find_rule(rule.id).is_none(),
            "{} is not in RULES",
            rule.id
        );
        for heading in [
            "What it does",
            "Why is this bad?",
            "How to fix",
            "Known limitations",
        ] {
            assert!(
                rule.section(heading).is_some(),
                "{}: no `## {heading}`",
                rule.id
            );
        }
        let summary = rule.summary();
        assert!(
            summary.ends_with('.') && summary.len() <= 160,
            "{}: {summary}",
            rule.id
        );
        for help in rule.help {
            assert!(help.texts().iter().all(|(_, text)| !text.trim().is_empty()));
        }
    }
}
