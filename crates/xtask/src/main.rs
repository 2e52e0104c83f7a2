//! `cargo xtask`: isolint's project automation (`docs [--check]`, `man [--check]`,
//! `new-rule`, `fuzz-seed`).
#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a developer tool whose output is its interface"
)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::generated::Change;
use xtask::new_rule::{self, Request};
use xtask::{Error, docs, fuzz_seed, man, workspace_root};

/// isolint's project automation.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write docs/rules/ and the rules table in README.md from the registry and rules/<ID>/.
    Docs {
        /// Write nothing; fail with a summary when a generated file is stale or missing.
        #[arg(long)]
        check: bool,
    },
    /// Write docs/man/ (isolint.1 and a page per subcommand) from the command line.
    Man {
        /// Write nothing; fail with a summary when a page is stale or missing.
        #[arg(long)]
        check: bool,
    },
    /// Scaffold a rule: its source file, its mod, registry and examples-test lines, and
    /// rules/<ID>/.
    NewRule {
        /// The permanent ID, e.g. AML104.
        id: String,
        /// The kebab-case name, e.g. container-registry-sku-not-premium.
        name: String,
        /// The group: a module folder of the rules crate, such as aml.
        #[arg(long, default_value = "aml")]
        group: String,
        /// The default level: note, warning or error.
        #[arg(long, default_value = "warning", value_parser = new_rule::parse_level)]
        level: isolint_rules::Level,
        /// Print what would be written, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Fill fuzz/corpus/deployment/ (git-ignored) for the end-to-end fuzz target, from the
    /// real-world corpus (`$ISOLINT_CORPUS`, else `../shared/corpus`) and the repository's
    /// templates; and fuzz/corpus/deployment-FORMAT/ with the seeds of each format.
    FuzzSeed,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), Error> {
    let root = workspace_root();
    match command {
        Command::Docs { check: true } => {
            let count = docs::check(&root)?;
            println!("{count} generated files are up to date");
        }
        Command::Docs { check: false } => report(&docs::write(&root)?, "generated docs"),
        Command::Man { check: true } => {
            let count = man::check(&root)?;
            println!("{count} manual pages are up to date");
        }
        Command::Man { check: false } => report(&man::write(&root)?, "manual pages"),
        Command::NewRule {
            id,
            name,
            group,
            level,
            dry_run,
        } => {
            let request = Request {
                id,
                name,
                group,
                level,
            };
            let plan = new_rule::plan(&root, &request)?;
            if dry_run {
                for file in &plan {
                    let verb = if file.created { "create" } else { "edit" };
                    println!("--- {verb} {}\n{}", file.path.display(), file.content);
                }
                return Ok(());
            }
            new_rule::apply(&root, &plan)?;
            for file in &plan {
                let verb = if file.created { "created" } else { "edited " };
                println!("{verb} {}", file.path.display());
            }
            let id = &request.id;
            println!(
                "\nnext:\n  \
                 1. write the doc comment and the help (every `(new-rule: ...)` placeholder), \
                 the targets and `check`\n  \
                 2. make rules/{id}/bad.json produce {id} and good.json pass; add bad-default and \
                 good-unknown where they apply\n  \
                 3. cargo test, cargo insta review, cargo xtask docs"
            );
        }
        Command::FuzzSeed => {
            let seeded = fuzz_seed::write(&root)?;
            if !seeded.corpus_found {
                eprintln!(
                    "note: no corpus at {} (set ISOLINT_CORPUS to read one elsewhere): seeded \
                     with the repository's templates only",
                    seeded.corpus.display()
                );
            }
            let total: usize = seeded.by_format.values().sum();
            let formats: Vec<String> = seeded
                .by_format
                .iter()
                .map(|(format, count)| format!("{format} {count}"))
                .collect();
            println!(
                "wrote {total} seeds to {} ({}), and each to {0}-FORMAT",
                fuzz_seed::SEED_FOLDER,
                formats.join(", ")
            );
        }
    }
    Ok(())
}

/// Prints what a generating command changed, or that `what` was up to date already.
fn report(changes: &[Change], what: &str) {
    if changes.is_empty() {
        println!("{what} are up to date");
    }
    for change in changes {
        match change {
            Change::Written(path) => println!("wrote   {}", path.display()),
            Change::Removed(path) => println!("removed {}", path.display()),
        }
    }
}
