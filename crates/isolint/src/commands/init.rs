//! `isolint init`: writes the commented starter configuration, never over an existing file
//! unless `--force`, and never through a symbolic link.

use std::fs;

use crate::cli::InitArgs;
use crate::config;
use crate::console;
use crate::exit::Outcome;
use crate::files;

/// Runs `isolint init`.
pub(crate) fn run(args: &InitArgs) -> Outcome {
    let path = &args.path;
    // `symlink_metadata` sees a link itself, dangling or not: a link is replaced (with
    // `--force`), never written through to a file elsewhere.
    match fs::symlink_metadata(path) {
        Ok(existing) if existing.is_dir() => {
            console::error(&format!("`{}` is a folder", path.display()));
            return Outcome::Error;
        }
        Ok(existing) if !args.force => {
            let what = if existing.file_type().is_symlink() {
                "exists (a symbolic link)"
            } else {
                "exists"
            };
            console::error(&format!(
                "`{}` {what}; use --force to replace it",
                path.display()
            ));
            return Outcome::Error;
        }
        _ => {}
    }
    match files::write_atomic(path, config::STARTER) {
        Ok(()) => {
            console::stderr_line(&format!("wrote `{}`", path.display()));
            Outcome::Clean
        }
        Err(err) => {
            console::error(&format!(
                "cannot write `{}`: {}",
                path.display(),
                files::io_message(&err)
            ));
            Outcome::Error
        }
    }
}
