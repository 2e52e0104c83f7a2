//! Benchmarks of the plan reader on generated plans (`benches/plan_input`): 10,000
//! resources (1,000 module instances, 17.7 MB) parsed and read into the model, and read
//! alone from the parsed JSON; and a plan of 101 MB (57,000 resources), parsed and read.
//! The `plan_scale` example measures the same with peak memory, and the graph and rules
//! after them.
//!
//! `cargo bench -p isolint_terraform --bench plan`

#![expect(
    clippy::expect_used,
    reason = "a benchmark binary stops on a broken setup"
)]

mod plan_input;

use std::path::Path;
use std::sync::{Arc, LazyLock};

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use isolint_model::{SourceFile, SourceMap};

fn main() {
    divan::main();
}

/// Module instances of the typical large plan: 10,000 resources.
const INSTANCES: usize = 1_000;

/// Module instances of the 100 MB plan.
const HUNDRED_MEGABYTES: usize = 5_700;

/// A plan of `instances` module instances, as a source file.
fn source(instances: usize) -> (SourceMap, Arc<SourceFile>) {
    let sources = SourceMap::new();
    let file = sources.add(Path::new("plan.json"), plan_input::plan(instances).into());
    (sources, file)
}

static TEN_THOUSAND: LazyLock<(SourceMap, Arc<SourceFile>)> = LazyLock::new(|| source(INSTANCES));

/// Parsing and reading 10,000 resources.
#[divan::bench(sample_count = 10)]
fn parse_and_read_10k_resources(bencher: Bencher<'_, '_>) {
    let (_, file) = &*TEN_THOUSAND;
    bencher
        .counter(ItemsCount::new(
            INSTANCES * plan_input::RESOURCES_PER_INSTANCE,
        ))
        .counter(BytesCount::of_str(&file.text))
        .bench(|| {
            let json = isolint_json::parse(file).expect("the generated plan parses");
            let analysis = isolint_terraform::plan::read(&json, file);
            assert!(analysis.diagnostics.is_empty());
            black_box(analysis)
        });
}

/// Reading 10,000 resources from the parsed plan: the plan reader and the lowering alone.
#[divan::bench(sample_count = 10)]
fn read_10k_resources(bencher: Bencher<'_, '_>) {
    let (_, file) = &*TEN_THOUSAND;
    let json = isolint_json::parse(file).expect("the generated plan parses");
    bencher
        .counter(ItemsCount::new(
            INSTANCES * plan_input::RESOURCES_PER_INSTANCE,
        ))
        .bench(|| black_box(isolint_terraform::plan::read(&json, file)));
}

/// Parsing and reading a plan of 101 MB.
#[divan::bench(sample_count = 3)]
fn parse_and_read_100_megabytes(bencher: Bencher<'_, '_>) {
    let (_, file) = source(HUNDRED_MEGABYTES);
    bencher.counter(BytesCount::of_str(&file.text)).bench(|| {
        let json = isolint_json::parse(&file).expect("the generated plan parses");
        black_box(isolint_terraform::plan::read(&json, &file))
    });
}
