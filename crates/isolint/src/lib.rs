//! `isolint`: lints Bicep, ARM JSON and Terraform for Azure Machine Learning network
//! isolation. This crate is the only one that prints; it parses the command line, finds
//! the files, drives the frontends, the rules and the renderers, and picks the exit code.
//!
//! It is a library with a one-line binary, so that the repository root's package (which
//! pre-commit's `language: rust` builds) can be the same program without repeating it.

mod baseline;
mod catalog;
mod cli;
mod config;
mod console;
mod discover;
mod exit;
mod frontend;
mod pipeline;
mod policy;
mod report;
mod run;
mod suppress;

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use crate::cli::{Cli, Command};

/// Runs the command line in `std::env::args` and returns the exit code.
pub fn main() -> ExitCode {
    let started = Instant::now();
    // Usage errors exit here with code 2; `--help` and `--version` with 0.
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check(args) => run::check(&args, started),
        Command::Rules(args) => console::stdout(&catalog::rules_listing(args.format)),
        Command::Explain(args) => console::stdout(&catalog::explanation(args.rule)),
        Command::Init(args) => run::init(&args),
        Command::Report(args) => report::run(&args),
        Command::Policy(args) => policy::run(&args),
    };
    outcome.into()
}
