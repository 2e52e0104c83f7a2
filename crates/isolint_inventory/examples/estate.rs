//! Generates a live estate of Resource Graph pages, or checks one phase by phase: the
//! numbers behind the inventory benchmark, with peak memory measured from outside.
//!
//! ```text
//! cargo build --release -p isolint_inventory --example estate
//! target/release/examples/estate generate /tmp/estate 100000 0.1
//! /usr/bin/time -v target/release/examples/estate check /tmp/estate
//! ```
//!
//! `generate DIR [RESOURCES] [ML_SHARE]` writes `RESOURCES` (100,000) resources, a share
//! `ML_SHARE` (0.1) of them in Machine Learning stacks; `check DIR` reads every page in
//! `DIR` as one estate, builds the resource graph and runs every rule, and prints how long
//! each step took.

#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line example prints its measurements"
)]

#[path = "../benches/estate/mod.rs"]
mod estate;

use std::path::PathBuf;
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
        ["generate", dir, rest @ ..] => generate(dir, rest),
        ["check", dir] => run(dir),
        _ => {
            eprintln!("usage: estate generate DIR [RESOURCES] [ML_SHARE] | estate check DIR");
            ExitCode::from(2)
        }
    }
}

fn generate(dir: &str, rest: &[&str]) -> ExitCode {
    let resources = rest.first().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let share = rest.get(1).and_then(|s| s.parse().ok()).unwrap_or(0.1);
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| estate::write_estate(&PathBuf::from(dir), resources, share));
    match written {
        Ok(pages) => {
            println!("{} pages of {resources} resources in {dir}", pages.len());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot write the estate: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &str) -> ExitCode {
    let mut pages: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(error) => {
            eprintln!("cannot list {dir}: {error}");
            return ExitCode::FAILURE;
        }
    };
    pages.sort();
    let bytes: u64 = pages
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let started = Instant::now();
    let sources = SourceMap::new();
    let analysis = isolint_inventory::analyze(&pages, &sources);
    let read = started.elapsed().as_secs_f64();
    let diagnostics = analysis.diagnostics.len();
    let notes = analysis.notes.join("; ");
    let model = Model::new(analysis.resources);
    let built = started.elapsed().as_secs_f64();
    let findings = check(&model, &Options::default());
    let checked = started.elapsed().as_secs_f64();
    println!(
        "{} pages, {} MB: {notes}; {diagnostics} diagnostics",
        pages.len(),
        bytes / 1_000_000
    );
    println!(
        "read {:.2} s, graph {:.2} s, rules {:.2} s, total {:.2} s: {} resources in the model, {} findings",
        read,
        built - read,
        checked - built,
        checked,
        model.graph().resources().len(),
        findings.len()
    );
    ExitCode::SUCCESS
}
