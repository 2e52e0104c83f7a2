//! What following registry modules costs: the corpus's
//! `avm/ptn/ai-platform/baseline/main.bicep` with its modules read from the real Bicep
//! module cache (`../shared/bicep-cache`), against its compiled `main.json`, which holds
//! the same modules inlined. Both analyses read the same templates; the first also parses
//! the Bicep file and resolves every `br/public:` reference in the cache. Skipped, with a
//! note, when the corpus or the cache is absent.
//!
//! `cargo bench -p isolint_deploy --bench modules`

#![expect(
    clippy::print_stderr,
    reason = "a benchmark binary: it says why a benchmark is skipped"
)]

use std::path::{Path, PathBuf};

use divan::{Bencher, black_box};
use isolint_model::{Project, SourceMap};

fn main() {
    if baseline().is_none() {
        eprintln!(
            "note: no baseline template or module cache under {}: the benchmarks are skipped",
            shared().display()
        );
    }
    divan::main();
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The project holding the baseline, its folder and the module cache, when all exist.
fn baseline() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let cache = shared().join("bicep-cache");
    let corpus =
        std::env::var_os("ISOLINT_CORPUS").map_or_else(|| shared().join("corpus"), PathBuf::from);
    let project = corpus.join("Azure__bicep-registry-modules");
    let folder = project.join("avm/ptn/ai-platform/baseline");
    (cache.join("br").is_dir() && folder.join("main.bicep").is_file())
        .then_some((project, folder, cache))
}

/// Analyses `file` of the baseline's folder with a fresh map, as one run does.
fn analyze(bencher: Bencher<'_, '_>, file: &str) {
    let Some((project, folder, cache)) = baseline() else {
        return;
    };
    let options = isolint_deploy::Options {
        bicep_cache: Some(cache.clone()),
        ..isolint_deploy::Options::default()
    };
    let file = folder.join(file);
    bencher.bench(|| {
        let sources = SourceMap::confined(Project::new(&project).with_cache(&cache));
        black_box(isolint_deploy::analyze_files(
            std::slice::from_ref(&file),
            &sources,
            &options,
        ))
    });
}

/// `main.bicep`, its registry modules followed in the cache.
#[divan::bench]
fn bicep_following_cached_modules(bencher: Bencher<'_, '_>) {
    analyze(bencher, "main.bicep");
}

/// `main.json`, the same modules inlined by the compiler.
#[divan::bench]
fn compiled_json_with_modules_inlined(bencher: Bencher<'_, '_>) {
    analyze(bencher, "main.json");
}
