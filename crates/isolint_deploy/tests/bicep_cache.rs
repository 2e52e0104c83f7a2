//! The real Bicep module cache `../shared/bicep-cache` (what `bicep restore` left for the
//! corpus file `avm/ptn/ai-platform/baseline/main.bicep`; the corpus is `../shared/corpus`,
//! or `$ISOLINT_CORPUS`): every `br/public:` module that file declares resolves to a
//! `main.json` in that cache. Without the cache or the corpus the test says so and checks
//! nothing.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use isolint_deploy::bicep_registry::{self, Resolved, TemplateLayout};
use isolint_deploy::bicepconfig::{self, LoadOptions};
use isolint_model::SourceMap;

fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(name)
}

/// The module paths of the `module` declarations of a Bicep file (not its `import`s,
/// which bring types only).
fn module_references(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.trim_start().strip_prefix("module "))
        .filter_map(|rest| rest.split('\'').nth(1))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_registry_module_of_the_baseline_resolves_in_the_shared_cache() {
    let cache = shared("bicep-cache");
    let corpus = std::env::var_os("ISOLINT_CORPUS").map_or_else(|| shared("corpus"), PathBuf::from);
    let project = corpus.join("Azure__bicep-registry-modules");
    let main = project.join("avm/ptn/ai-platform/baseline/main.bicep");
    let required = [(&cache, cache.join("br").is_dir()), (&main, main.is_file())];
    for (path, present) in required {
        if !present {
            // Past the harness's capture of `eprintln!`, so that a missing cache or corpus
            // is seen.
            let _ = writeln!(
                std::io::stderr(),
                "note: no {} (the corpus can be named with ISOLINT_CORPUS): the cache test \
                 checks nothing",
                path.display()
            );
            return;
        }
    }
    let text = std::fs::read_to_string(&main).unwrap();
    let references: BTreeSet<String> = module_references(&text)
        .into_iter()
        .filter(|reference| reference.starts_with("br/public:"))
        .collect();
    assert_eq!(references.len(), 10, "{references:?}");
    assert!(
        text.contains("import { replicationType } from 'br/public:"),
        "the file also imports from the registry, which is not a module"
    );

    let cache = cache.canonicalize().unwrap();
    let sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let options = LoadOptions {
        project_root: &project,
        home: None,
        cache_override: Some(&cache),
    };
    let config = bicepconfig::for_file(&main, &options, &sources, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");

    for reference in &references {
        let resolved = bicep_registry::resolve(reference, &main, &config, &sources);
        let Ok(Resolved::Cached(cached)) = resolved else {
            panic!("{reference}: {resolved:?}");
        };
        assert_eq!(cached.layout, TemplateLayout::Template);
        assert!(cached.path.starts_with(&cache), "{}", cached.path.display());
        assert!(cached.path.is_file(), "{}", cached.path.display());
    }
    eprintln!(
        "checked {} registry modules against {}",
        references.len(),
        cache.display()
    );
}
