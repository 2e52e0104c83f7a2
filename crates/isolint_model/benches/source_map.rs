//! Benchmarks of the file gateway: reading 4,000 and 16,000 small files through a fresh
//! [`SourceMap`], then finding each again by a differently spelled path. Keyed by path,
//! the map costs the same per file at any count: 16,000 files take about four times as
//! long as 4,000 (a map that scanned its files on every read took the square).
//!
//! `cargo bench -p isolint_model --bench source_map`

#![expect(
    clippy::expect_used,
    reason = "a benchmark binary: it stops on a broken setup and says why"
)]

use std::path::PathBuf;
use std::sync::LazyLock;

use divan::{Bencher, black_box};
use isolint_model::SourceMap;

fn main() {
    divan::main();
}

/// The most files a benchmark reads.
const MOST: usize = 16_000;

/// `MOST` small files, 100 to a folder, written once.
static FILES: LazyLock<(tempfile::TempDir, Vec<PathBuf>)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let files = (0..MOST)
        .map(|i| {
            let folder = dir.path().join(format!("m{}", i / 100));
            std::fs::create_dir_all(&folder).expect("a folder");
            let path = folder.join(format!("f{i}.tf"));
            std::fs::write(&path, format!("locals {{\n  n = {i}\n}}\n")).expect("a file");
            path
        })
        .collect();
    (dir, files)
});

#[divan::bench(args = [4_000, 16_000], sample_count = 10)]
fn read_then_find(bencher: Bencher<'_, '_>, count: usize) {
    let files = &FILES.1[..count];
    bencher.bench(|| {
        let sources = SourceMap::new();
        for path in files {
            let _ = black_box(sources.read(path));
        }
        for path in files {
            let again = path
                .parent()
                .map(|p| p.join("..").join(p.file_name().unwrap_or_default()))
                .map(|p| p.join(path.file_name().unwrap_or_default()));
            let _ = black_box(again.and_then(|p| sources.find(&p)));
        }
        sources
    });
}
