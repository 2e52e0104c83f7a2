//! Fuzzes isolint end to end: the first byte picks a format (Bicep, `.bicepparam`, ARM
//! template or parameters, Terraform HCL, `.tf.json`, tfvars, a `terraform show -json`
//! plan, an export of deployed resources) and whether the file is named alone; the rest
//! is its text, read through the deployment graph, every rule (strictly) and every
//! renderer, as `isolint check` reads it. Nothing may panic, and every span must lie inside
//! its file. The pipeline is `isolint::fuzzing::run`, which the fixed-seed smoke test of
//! `cargo test` (`crates/isolint/tests/fuzz_smoke.rs`) runs too.
//!
//! Seed it with `cargo xtask fuzz-seed` (the real-world corpus and the repository's
//! templates, each behind its format byte). Every 2^14 inputs it prints how many each
//! format had, since libFuzzer counts only the total.
//!
//! With `ISOLINT_FUZZ_FORMAT=NAME` (`bicep`, `bicepparam`, `arm`, `arm-parameters`,
//! `terraform`, `terraform-json`, `tfvars`, `plan`, `export`), every input is read as that
//! format, whatever its first byte says (its other bit still names the file alone): a
//! campaign on one format, whose every run counts for it. A crash it saves is replayed
//! with the same variable set (`ISOLINT_FUZZ_LAST` holds the input as it was read).
//!
//! A stack overflow kills the process before libFuzzer can save the input (no signal
//! handler runs on an overflowed stack): with `ISOLINT_FUZZ_LAST=FILE`, every input is
//! written there before it runs, so the one that crashed is left behind.

#![no_main]

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use isolint::fuzzing::Format;
use libfuzzer_sys::fuzz_target;

/// Inputs run, by format.
static RUNS: [AtomicU64; Format::ALL.len()] = [const { AtomicU64::new(0) }; Format::ALL.len()];

/// Inputs run in all.
static TOTAL: AtomicU64 = AtomicU64::new(0);

/// Where each input is written before it runs (`ISOLINT_FUZZ_LAST`), if anywhere.
static LAST: OnceLock<Option<PathBuf>> = OnceLock::new();

/// The format every input is read as (`ISOLINT_FUZZ_FORMAT`), if one is forced.
static FORCED: OnceLock<Option<Format>> = OnceLock::new();

/// The format `ISOLINT_FUZZ_FORMAT` names; a name no format has stops the campaign.
fn forced() -> Option<Format> {
    let name = std::env::var("ISOLINT_FUZZ_FORMAT").ok()?;
    let format = Format::named(&name);
    assert!(
        format.is_some(),
        "ISOLINT_FUZZ_FORMAT={name}: no format has that name"
    );
    format
}

fuzz_target!(|data: &[u8]| {
    let mut input = Cow::Borrowed(data);
    if let (Some(format), Some(&first)) = (*FORCED.get_or_init(forced), data.first()) {
        input.to_mut()[0] = format.forced_on(first);
    }
    if let Some(last) =
        LAST.get_or_init(|| std::env::var_os("ISOLINT_FUZZ_LAST").map(PathBuf::from))
    {
        let _ = std::fs::write(last, &input);
    }
    if let Some(&first) = input.first() {
        let format = Format::from_byte(first);
        if let Some(at) = Format::ALL.iter().position(|&f| f == format) {
            RUNS[at].fetch_add(1, Ordering::Relaxed);
        }
    }
    if TOTAL.fetch_add(1, Ordering::Relaxed) % (1 << 14) == (1 << 14) - 1 {
        let counts: Vec<String> = Format::ALL
            .iter()
            .zip(&RUNS)
            .map(|(format, runs)| format!("{} {}", format.name(), runs.load(Ordering::Relaxed)))
            .collect();
        eprintln!("runs by format: {}", counts.join(", "));
    }
    if let Err(reason) = isolint::fuzzing::run(&input) {
        panic!("{reason}");
    }
});
