//! Generates a Terraform plan at scale, or reads one phase by phase: the numbers behind
//! the plan benchmark, with peak memory measured from outside.
//!
//! ```text
//! cargo build --release -p isolint_terraform --example plan_scale
//! target/release/examples/plan_scale generate /tmp/plan.json 1000
//! /usr/bin/time -v target/release/examples/plan_scale read /tmp/plan.json
//! ```
//!
//! `generate FILE [INSTANCES]` writes a plan of `INSTANCES` (1,000) module instances of ten
//! resources each (`benches/plan_input`); `read FILE` parses it, reads it into the model,
//! builds the resource graph and runs every rule, and prints how long each step took.

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line example prints its measurements"
)]

#[path = "../benches/plan_input/mod.rs"]
mod plan_input;

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use isolint_model::{Model, SourceMap};
use isolint_rules::{Options, check};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["generate", file, rest @ ..] => {
            let instances = rest.first().and_then(|n| n.parse().ok()).unwrap_or(1000);
            let text = plan_input::plan(instances);
            match std::fs::write(file, &text) {
                Ok(()) => {
                    println!(
                        "{file}: {} resources, {:.1} MB",
                        instances * plan_input::RESOURCES_PER_INSTANCE,
                        megabytes(text.len())
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("{file}: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        ["read", file] => read(Path::new(file)),
        _ => {
            eprintln!("usage: plan_scale generate FILE [INSTANCES] | plan_scale read FILE");
            ExitCode::from(2)
        }
    }
}

fn read(path: &Path) -> ExitCode {
    let sources = SourceMap::new();
    let step = Instant::now();
    let file = match sources.read(path) {
        Ok(file) => file,
        Err(diagnostic) => {
            eprintln!("{}", diagnostic.message);
            return ExitCode::FAILURE;
        }
    };
    let loaded = step.elapsed();
    let step = Instant::now();
    let json = match isolint_json::parse(&file) {
        Ok(json) => json,
        Err(diagnostic) => {
            eprintln!("{}", diagnostic.message);
            return ExitCode::FAILURE;
        }
    };
    let parsed = step.elapsed();
    let step = Instant::now();
    let analysis = isolint_terraform::plan::read(&json, &file);
    let lowered = step.elapsed();
    drop(json);
    let resources = analysis.resources.len();
    let step = Instant::now();
    let model = Model::new(analysis.resources);
    let findings = check(&model, &Options::default());
    let checked = step.elapsed();
    println!(
        "{:.1} MB, {resources} model resources, {} findings, {} diagnostics",
        megabytes(file.text.len()),
        findings.len(),
        analysis.diagnostics.len()
    );
    println!(
        "load {:.0} ms, parse {:.0} ms, read and lower {:.0} ms, graph and rules {:.0} ms",
        loaded.as_secs_f64() * 1e3,
        parsed.as_secs_f64() * 1e3,
        lowered.as_secs_f64() * 1e3,
        checked.as_secs_f64() * 1e3
    );
    ExitCode::SUCCESS
}

/// `bytes` in megabytes, to a kilobyte.
fn megabytes(bytes: usize) -> f64 {
    f64::from(u32::try_from(bytes / 1_000).unwrap_or(u32::MAX)) / 1e3
}
