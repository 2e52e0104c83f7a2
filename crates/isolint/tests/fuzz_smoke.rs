//! A fixed-seed smoke of the end-to-end fuzz target (`fuzz/fuzz_targets/deployment.rs`):
//! the same pipeline (`isolint::fuzzing::run`: every format through the deployment graph,
//! the rules and every renderer), over the repository's templates and a few hundred of the
//! real-world corpus (`../shared/corpus`, or `$ISOLINT_CORPUS`), 500 inputs made of them
//! by about 2,000 mutations by a deterministic generator: byte changes, syntax tokens
//! of every format, cuts, copies and splices. Nothing may panic, and every span must lie
//! inside its file. A failure names the case, which the same seed reproduces. The inputs
//! of the crashes the fuzzer found (`testdata/fuzz/deployment/`) run too.

#![expect(clippy::panic, reason = "a test fails by panicking, helpers included")]

use std::io::Write as _;
use std::path::{Path, PathBuf};

use isolint::fuzzing::{self, Format, Seed};

/// How many mutated inputs run: each costs about 7 ms in a debug build, most of it in
/// rendering SARIF's rule table, so this many keep the test to a few seconds.
const MUTATED_CASES: usize = 500;

/// The most mutations of one input: about 2,000 in all.
const MAX_MUTATIONS: usize = 8;

/// Corpus files taken, at most (every n-th, to cover all its sources).
const CORPUS_SEEDS: usize = 300;

/// The longest text a case keeps, as the fuzzer's `-max_len`.
const MAX_LEN: usize = 8192;

/// Tokens of the formats' syntaxes, and values that trouble readers.
const TOKENS: &[&str] = &[
    "'",
    "\"",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "${",
    "\n",
    "\r\n",
    "/*",
    "*/",
    "//",
    "#",
    "@",
    "=",
    ":",
    ",",
    ".",
    "?",
    "??",
    "!",
    "..",
    "...",
    "[[",
    "'[",
    "]'",
    "\"[",
    "]\"",
    "\\",
    "\\u0000",
    "'''",
    "<<EOF\n",
    "\nEOF\n",
    "module ",
    "resource ",
    "param ",
    "var ",
    "output ",
    "existing",
    "for i in range(0, 3): ",
    "if (true) ",
    "using './main.bicep'\n",
    "import ",
    "null",
    "true",
    "false",
    "-1",
    "0",
    "18446744073709551616",
    "1e999",
    "-0.0",
    "é",
    "\u{10FFFF}",
    "\t",
    "copyIndex()",
    "parameters('",
    "variables('",
    "reference(",
    "resourceId(",
    "concat(",
    "format('{0}', ",
    "union(",
    "createObject(",
    "if(",
    "br:",
    "br/public:",
    "ts:",
    "'./x.bicep'",
    "'../../../etc/passwd'",
    "'/proc/self/environ'",
    "var.",
    "local.",
    "count = 3\n",
    "for_each = ",
    "dynamic \"x\" {",
    "jsonencode(",
    "azapi_resource",
    "\"copy\": {\"name\": \"c\", \"count\": 99999999}",
    "\"templateLink\": {\"relativePath\": \"a.json\"}",
    "\"type\": \"Microsoft.MachineLearningServices/workspaces\"",
    "publicNetworkAccess",
    "\"resources\": [",
    "\"values\": {",
    "\"root_module\": {",
    "\"resource_changes\": [",
    "isolint-ignore AML001 reason=\"x\" until=2000-01-01",
    "// isolint-ignore ",
    "\"isolint-ignore\": [{\"rule\": \"AML001\"}]",
];

/// A small deterministic generator (xorshift64).
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number below `bound` (at least 1).
    fn below(&mut self, bound: usize) -> usize {
        usize::try_from(self.next() % bound.max(1) as u64).unwrap_or(0)
    }
}

/// The repository this test belongs to.
fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The repository's templates, and every n-th of the corpus, up to [`CORPUS_SEEDS`]; a
/// missing corpus is said on the standard error stream (which a passing test does not hide
/// when written to directly).
fn seeds() -> Vec<Seed> {
    let repository = repository();
    let mut seeds: Vec<Seed> = fuzzing::repository_seed_folders(&repository)
        .iter()
        .flat_map(|folder| fuzzing::seeds_under(folder))
        .collect();
    let corpus_dir = fuzzing::corpus_dir(&repository);
    let corpus = fuzzing::seeds_under(&corpus_dir);
    if corpus.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "note: no corpus at {} (set ISOLINT_CORPUS to read one elsewhere): the end-to-end \
             smoke runs on the repository's templates only",
            corpus_dir.display()
        );
    }
    let step = corpus.len().div_ceil(CORPUS_SEEDS).max(1);
    seeds.extend(corpus.into_iter().step_by(step));
    seeds
}

/// `text` cut to [`MAX_LEN`] bytes, as the fuzzer reads it.
fn cut(text: &str) -> &[u8] {
    &text.as_bytes()[..text.len().min(MAX_LEN)]
}

/// One mutation of `bytes`, maybe with a piece of `other`.
fn mutate(bytes: &mut Vec<u8>, other: &[u8], generator: &mut Generator) {
    let at = generator.below(bytes.len() + 1);
    match generator.below(6) {
        0 if !bytes.is_empty() => {
            let at = generator.below(bytes.len());
            bytes[at] = u8::try_from(generator.below(256)).unwrap_or(0);
        }
        1 | 2 => {
            let token = TOKENS[generator.below(TOKENS.len())].as_bytes();
            bytes.splice(at..at, token.iter().copied());
        }
        3 => {
            let end = (at + 1 + generator.below(32)).min(bytes.len());
            bytes.drain(at.min(end)..end);
        }
        4 => {
            let start = generator.below(bytes.len() + 1);
            let end = (start + generator.below(128)).min(bytes.len());
            let copy = bytes[start..end].to_vec();
            bytes.splice(at..at, copy);
        }
        _ if generator.below(8) == 0 => bytes.truncate(at),
        _ => {
            let start = generator.below(other.len() + 1);
            let end = (start + generator.below(512)).min(other.len());
            bytes.splice(at..at, other[start..end].iter().copied());
        }
    }
}

/// Runs one input, failing with `case` and the reason when a span lies outside its file;
/// the input is then written to a temporary file, for `cargo fuzz run deployment FILE`.
fn run(case: &str, input: &[u8]) -> fuzzing::Ran {
    match fuzzing::run(input) {
        Ok(ran) => ran,
        Err(reason) => {
            let kept = std::env::temp_dir().join("isolint-fuzz-smoke-failure");
            let written = std::fs::write(&kept, input).map_or_else(
                |error| format!("(not written: {error})"),
                |()| format!("(input in {})", kept.display()),
            );
            panic!("{case}: {reason} {written}");
        }
    }
}

#[test]
fn every_format_survives_thousands_of_mutations_end_to_end() {
    let seeds = seeds();
    assert!(
        Format::ALL
            .iter()
            .all(|format| seeds.iter().any(|seed| seed.format == *format)),
        "the repository holds a template of every format"
    );
    // Each case has a generator of its own, so that a case runs the same whichever thread
    // takes it, and alone.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let totals: Vec<fuzzing::Ran> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                let seeds = &seeds;
                scope.spawn(move || {
                    let mut total = fuzzing::Ran::default();
                    for case in (first..MUTATED_CASES).step_by(threads) {
                        let ran = run_case(case, seeds);
                        total.findings += ran.findings;
                        total.diagnostics += ran.diagnostics;
                        total.resources += ran.resources;
                        total.output_bytes += ran.output_bytes;
                    }
                    total
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    // The cases reached the rules and the renderers, not only the parsers' errors.
    assert!(totals.iter().any(|t| t.resources > 0));
    assert!(totals.iter().any(|t| t.findings > 0));
    assert!(totals.iter().any(|t| t.diagnostics > 0));
}

/// Every crash the fuzzer found is a case of its own, kept in `testdata/fuzz/deployment/`.
#[test]
fn the_crashes_the_fuzzer_found_stay_fixed() {
    let regressions = fuzzing::regressions(&repository());
    assert!(
        !regressions.is_empty(),
        "{} holds the crashes found",
        fuzzing::REGRESSIONS
    );
    for (path, input) in &regressions {
        run(&path.display().to_string(), input);
    }
}

/// A campaign on one format (`ISOLINT_FUZZ_FORMAT`) reads any first byte as that format,
/// and keeps whether the file is named alone.
#[test]
fn a_forced_format_takes_every_first_byte() {
    for format in Format::ALL {
        assert_eq!(Format::named(format.name()), Some(format));
        for byte in 0..=u8::MAX {
            let forced = format.forced_on(byte);
            assert_eq!(Format::from_byte(forced), format);
            assert_eq!(
                forced & !0x0f,
                byte & !0x0f,
                "{} on {byte:#04x}",
                format.name()
            );
        }
    }
    assert_eq!(Format::named("hcl"), None);
}

/// Mutated case number `case`: a seed, one to [`MAX_MUTATIONS`] mutations (some bringing a piece of
/// another seed), and now and then another first byte (the text read as another format,
/// or named alone).
fn run_case(case: usize, seeds: &[Seed]) -> fuzzing::Ran {
    let mut generator =
        Generator(0x1503_1e57_f022_5eed ^ (case as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let seed = &seeds[generator.below(seeds.len())];
    let other = &seeds[generator.below(seeds.len())];
    let mut bytes = cut(&seed.text).to_vec();
    for _ in 0..=generator.below(MAX_MUTATIONS) {
        mutate(&mut bytes, cut(&other.text), &mut generator);
    }
    let mut first = seed.format.byte();
    if generator.below(8) == 0 {
        first = u8::try_from(generator.below(256)).unwrap_or(0);
    }
    let mut input = vec![first];
    input.extend_from_slice(&bytes);
    run(
        &format!(
            "case {case} (from {}, with a piece of {})",
            seed.path.display(),
            other.path.display()
        ),
        &input,
    )
}
