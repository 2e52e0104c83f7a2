//! The pair test on the real module cache `../shared/bicep-cache`: the corpus's
//! `avm/ptn/ai-platform/baseline/main.bicep`, its registry modules read from that cache,
//! gives the findings of its compiled `main.json` (which inlines them), as (rule, type)
//! pairs. Without the cache or the corpus the test says so and checks nothing.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use isolint_model::{Model, Project, Severity, SourceMap};

fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(name)
}

/// The (rule, resource type) pairs of the findings of `file`, read with `options`.
fn pairs(
    file: &Path,
    project: Project,
    options: &isolint_deploy::Options,
) -> (BTreeSet<(String, String)>, Vec<String>) {
    let sources = SourceMap::confined(project);
    let analysis = isolint_deploy::analyze_files(&[file.to_path_buf()], &sources, options);
    let errors = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.path.display(), d.message))
        .collect();
    let model = Model::new(analysis.resources);
    let findings = isolint_rules::check(&model, &isolint_rules::Options::default());
    let pairs = findings
        .iter()
        .map(|f| (f.rule.id.to_owned(), f.resource.ty.to_ascii_lowercase()))
        .collect();
    (pairs, errors)
}

#[test]
fn the_baseline_with_its_cached_modules_gives_the_findings_of_its_compiled_json() {
    let cache = shared("bicep-cache");
    let corpus = std::env::var_os("ISOLINT_CORPUS").map_or_else(|| shared("corpus"), PathBuf::from);
    let project = corpus.join("Azure__bicep-registry-modules");
    let folder = project.join("avm/ptn/ai-platform/baseline");
    for (path, present) in [
        (&cache, cache.join("br").is_dir()),
        (&folder, folder.join("main.bicep").is_file()),
    ] {
        if !present {
            let _ = writeln!(
                std::io::stderr(),
                "note: no {} (the corpus can be named with ISOLINT_CORPUS): the pair test checks nothing",
                path.display()
            );
            return;
        }
    }
    let options = isolint_deploy::Options {
        bicep_cache: Some(cache.clone()),
        ..isolint_deploy::Options::default()
    };
    let (from_bicep, errors) = pairs(
        &folder.join("main.bicep"),
        Project::new(&project).with_cache(&cache),
        &options,
    );
    assert_eq!(errors, Vec::<String>::new());
    let (from_json, errors) = pairs(&folder.join("main.json"), Project::new(&project), &options);
    assert_eq!(errors, Vec::<String>::new());
    assert!(!from_json.is_empty());
    assert_eq!(from_bicep, from_json);
    let _ = writeln!(
        std::io::stderr(),
        "the baseline with its cached modules and its compiled JSON agree: {from_json:?}"
    );
}
