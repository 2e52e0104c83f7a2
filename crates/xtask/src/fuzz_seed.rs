//! `cargo xtask fuzz-seed`: fills `fuzz/corpus/deployment/` for the end-to-end fuzz target
//! with the real-world corpus (`../shared/corpus`, or `$ISOLINT_CORPUS`) and the
//! repository's templates (rules' examples, test data, examples), each behind the byte
//! of its format (`isolint::fuzzing::Format`), and the crashes found so far
//! (`testdata/fuzz/deployment/`); and each seed again in `fuzz/corpus/deployment-FORMAT/`,
//! the seeds of a campaign on one format (`ISOLINT_FUZZ_FORMAT`, `scripts/fuzz-campaign.sh`).
//! The folders are git-ignored: the corpus is never committed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use isolint::fuzzing::{self, Format};

use crate::Error;

/// Where the seeds go, relative to the workspace root.
pub const SEED_FOLDER: &str = "fuzz/corpus/deployment";

/// Where the seeds of one format go too, relative to the workspace root.
fn format_folder(format: Format) -> PathBuf {
    PathBuf::from(format!("{SEED_FOLDER}-{}", format.name()))
}

/// What [`write`] did.
#[derive(Debug)]
pub struct Seeded {
    /// Seeds written, by format name (files of the same content count once).
    pub by_format: BTreeMap<&'static str, usize>,
    /// The real-world corpus looked at.
    pub corpus: PathBuf,
    /// Whether it held any seed.
    pub corpus_found: bool,
}

/// Writes the seeds of the workspace at `root` to [`SEED_FOLDER`], each named by a hash of
/// its content, so that running it again adds nothing and leaves the fuzzer's own finds.
pub fn write(root: &Path) -> Result<Seeded, Error> {
    let corpus = fuzzing::corpus_dir(root);
    let from_corpus = fuzzing::seeds_under(&corpus);
    let corpus_found = !from_corpus.is_empty();
    let seeds = fuzzing::repository_seed_folders(root)
        .into_iter()
        .flat_map(|folder| fuzzing::seeds_under(&folder))
        .chain(from_corpus);
    let regressions = fuzzing::regressions(root)
        .into_iter()
        .map(|(_, input)| input);
    let mut by_format: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut names = std::collections::BTreeSet::new();
    for input in seeds.map(|seed| seed.input()).chain(regressions) {
        let name = format!("seed-{:016x}", fnv1a(&input));
        if !names.insert(name.clone()) {
            continue;
        }
        let format = input
            .first()
            .map_or(Format::Bicep, |&byte| Format::from_byte(byte));
        for folder in [PathBuf::from(SEED_FOLDER), format_folder(format)] {
            write_seed(root, &folder.join(&name), &input)?;
        }
        *by_format.entry(format.name()).or_default() += 1;
    }
    Ok(Seeded {
        by_format,
        corpus,
        corpus_found,
    })
}

/// Writes `input` at `relative` (to `root`), creating its folder.
fn write_seed(root: &Path, relative: &Path, input: &[u8]) -> Result<(), Error> {
    if let Some(folder) = relative.parent() {
        std::fs::create_dir_all(root.join(folder)).map_err(|source| Error::Io {
            action: "create",
            path: folder.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(root.join(relative), input).map_err(|source| Error::Io {
        action: "write",
        path: relative.to_path_buf(),
        source,
    })
}

/// The 64-bit FNV-1a hash of `bytes`: a stable file name for a seed.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_names_are_stable_hashes_of_the_input() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
