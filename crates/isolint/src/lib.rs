//! `isolint`: lints Bicep, ARM JSON and Terraform for Azure Machine Learning network
//! isolation. This crate is the only one that prints; it parses the command line, finds
//! the files, drives the frontends, the rules and the renderers, and picks the exit code.
//!
//! It is a library with a one-line binary, so that the repository root's package (which
//! pre-commit's `language: rust` builds) can be the same program without repeating it.

mod analysis;
mod baseline;
mod catalog;
mod cli;
mod commands;
mod config;
mod console;
mod context;
mod discover;
mod exit;
mod files;
mod fixes;
mod frontend;
#[doc(hidden)]
pub mod fuzzing;
mod git;
mod globs;
mod notes;
mod revision;
mod suppress;

use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, Parser};

use crate::cli::{Cli, Command};

/// The command-line definition, as clap builds it: what `cargo xtask` generates the man
/// pages and the README's option table from, and what the completion scripts complete.
pub fn command() -> clap::Command {
    Cli::command()
}

/// The analysis `isolint server` runs on each document, for the language server's tests.
pub fn language_server_analyzer() -> std::sync::Arc<dyn isolint_server::Analyzer> {
    commands::server::analyzer()
}

/// Runs the command line in `std::env::args` and returns the exit code.
pub fn main() -> ExitCode {
    let started = Instant::now();
    // Usage errors exit here with code 2; `--help` and `--version` with 0.
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check(args) => commands::check::run(&args, started),
        Command::Rules(args) => commands::rules::run(&args),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Init(args) => commands::init::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Diff(args) => commands::diff::run(&args, started),
        Command::Policy(args) => commands::policy::run(&args),
        Command::Completions(args) => commands::completions::run(&args),
        Command::Server(args) => return commands::server::run(&args),
    };
    outcome.into()
}
