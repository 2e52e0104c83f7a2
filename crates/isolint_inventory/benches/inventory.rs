//! Benchmarks of the inventory frontend on a generated estate of 100,000 resources as
//! Resource Graph pages (`benches/estate`): reading it with a tenth of the resources in
//! Machine Learning stacks (a typical estate) and with all of them (the worst case), and
//! reading and checking (graph and every rule) the typical one. Checking the worst case
//! takes about a minute, in the resource graph's lookups: the `estate` example measures
//! it, and peak memory (see its documentation and `docs/estate.md`).
//!
//! `cargo bench -p isolint_inventory --bench inventory`.

#![expect(
    clippy::expect_used,
    reason = "a benchmark binary stops on a broken setup"
)]

mod estate;

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use isolint_model::{Model, SourceMap};
use isolint_rules::{Options, check};

const RESOURCES: usize = 100_000;

fn main() {
    divan::main();
}

/// A generated estate in a temporary folder, kept for the whole run.
struct Estate {
    _dir: tempfile::TempDir,
    pages: Vec<PathBuf>,
}

fn generated(ml_share: f64) -> Estate {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pages = estate::write_estate(dir.path(), RESOURCES, ml_share).expect("written");
    Estate { _dir: dir, pages }
}

static TYPICAL: LazyLock<Estate> = LazyLock::new(|| generated(0.1));
static ALL_ML: LazyLock<Estate> = LazyLock::new(|| generated(1.0));

fn estate(ml_share: &str) -> &'static Estate {
    if ml_share == "all" { &ALL_ML } else { &TYPICAL }
}

#[divan::bench(args = ["tenth", "all"], sample_count = 5, sample_size = 1)]
fn read(bencher: Bencher, ml_share: &str) {
    let estate = estate(ml_share);
    bencher.counter(ItemsCount::new(RESOURCES)).bench(|| {
        let sources = SourceMap::new();
        black_box(isolint_inventory::analyze(&estate.pages, &sources))
    });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn read_and_check(bencher: Bencher) {
    let estate = &*TYPICAL;
    bencher.counter(ItemsCount::new(RESOURCES)).bench(|| {
        let sources = SourceMap::new();
        let analysis = isolint_inventory::analyze(&estate.pages, &sources);
        let model = Model::new(analysis.resources);
        black_box(check(&model, &Options::default()))
    });
}
