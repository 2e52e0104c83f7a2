//! `isolint init`: writes the commented starter configuration, never over an existing file
//! unless `--force`.

use crate::cli::InitArgs;
use crate::config;
use crate::console;
use crate::exit::Outcome;

/// Runs `isolint init`.
pub(crate) fn run(args: &InitArgs) -> Outcome {
    if args.path.exists() && !args.force {
        console::error(&format!(
            "`{}` exists; use --force to overwrite it",
            args.path.display()
        ));
        return Outcome::Error;
    }
    match std::fs::write(&args.path, config::STARTER) {
        Ok(()) => {
            console::stderr_line(&format!("wrote `{}`", args.path.display()));
            Outcome::Clean
        }
        Err(err) => {
            console::error(&format!("cannot write `{}`: {err}", args.path.display()));
            Outcome::Error
        }
    }
}
