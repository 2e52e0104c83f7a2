//! Where the corpus tests of this crate find the real-world corpus, and how they say that it
//! is absent.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The corpus: `$ISOLINT_CORPUS` when set, else `../shared/corpus` beside the repository.
pub(crate) fn corpus_dir() -> PathBuf {
    std::env::var_os("ISOLINT_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
        PathBuf::from,
    )
}

/// Says that `test` checked nothing because the corpus is not at `dir`. It writes to the
/// standard error stream itself: the test harness captures `eprintln!` of a passing test, so
/// a note written that way would let a missing corpus pass unseen.
pub(crate) fn say_absent(dir: &Path, test: &str) {
    let _ = writeln!(
        std::io::stderr(),
        "note: no corpus at {} (set ISOLINT_CORPUS to read one elsewhere): {test} checks nothing",
        dir.display()
    );
}
