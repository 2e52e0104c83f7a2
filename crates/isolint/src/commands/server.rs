//! `isolint server`: the language server (crate `isolint_server`) on standard input and
//! output, judging each open document with the analysis `isolint check` runs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser};
use isolint_model::{Diagnostic, SourceMap};
use isolint_server::{Analysis, Analyzer, Request};

use crate::analysis;
use crate::cli::InputArgs;
use crate::config;
use crate::console;
use crate::context::{self, Context};
use crate::frontend;
use crate::suppress;

/// How the client talks to the server.
const CONNECTION: &str = "Connection";

/// Arguments of `isolint server`.
#[derive(Debug, Args)]
#[command(after_help = "\
The server speaks the Language Server Protocol on standard input and output. Each open \
Bicep, ARM JSON or Terraform document is analysed as `isolint check` analyses its folder (its \
configuration, parameter and variable files included), with the unsaved text of every open \
document, and its findings are published as diagnostics with quick fixes and suppressions. \
See docs/editors.md for VS Code, Neovim and Helix.

Exit codes: 0 after the client's `shutdown` and `exit`, 1 when the client exits without \
`shutdown` or goes away.")]
pub(crate) struct ServerArgs {
    /// Talk over standard input and output: the only transport, and the default; accepted
    /// because clients such as VS Code's pass it.
    #[arg(long, help_heading = CONNECTION)]
    stdio: bool,
}

/// Runs `isolint server` until the client exits.
pub(crate) fn run(_args: &ServerArgs) -> ExitCode {
    match isolint_server::serve_stdio(analyzer()) {
        Ok(exit) => ExitCode::from(exit.status()),
        Err(error) => {
            console::error(&error.to_string());
            ExitCode::FAILURE
        }
    }
}

/// The analysis the language server runs.
pub(crate) fn analyzer() -> Arc<dyn Analyzer> {
    Arc::new(CheckAnalyzer)
}

/// Judges a document as `isolint check` judges it in its folder.
struct CheckAnalyzer;

impl Analyzer for CheckAnalyzer {
    fn accepts(&self, path: &Path) -> bool {
        frontend::accepts_any(path) || frontend::configured_by(path).is_some()
    }

    fn analyze(&self, request: &Request<'_>) -> Analysis {
        analyze_document(request)
    }
}

/// `check`'s input arguments, parsed alone.
#[derive(Parser)]
#[command(name = "isolint-server-document")]
struct DocumentInput {
    #[command(flatten)]
    input: InputArgs,
}

/// The findings of a document in its deployment context: the one place where the language
/// server's analysis is defined. For now it is `isolint check FOLDER DOCUMENT` (the
/// document's folder, walked as `check` walks it, with the configuration found from there
/// upward; a Terraform variable file is also applied with `--var-file`), reading the open
/// documents of that folder from the editor rather than the disk, with `check`'s default
/// rule options and suppressions, and no baseline. The deployment graph (`isolint_deploy`)
/// replaces it: callers of a module outside the folder, and unsaved modules outside it,
/// are then part of the context too.
fn analyze_document(request: &Request<'_>) -> Analysis {
    let document = request.document;
    let folder = document.parent().unwrap_or(document);
    let mut arguments: Vec<&Path> = vec![Path::new("isolint"), folder, document];
    if frontend::configured_by(document).is_some() {
        arguments.extend([Path::new("--var-file"), document]);
    }
    let input = match DocumentInput::try_parse_from(arguments) {
        Ok(parsed) => parsed.input,
        Err(error) => return failed(document, folder, error.to_string()),
    };
    let context = match Context::load(&input) {
        Ok(context) => context,
        Err(message) => return failed(document, folder, message),
    };

    let sources = SourceMap::new();
    let mut discovered = context.discover();
    for overlay in request
        .overlays
        .iter()
        .filter(|o| o.path.starts_with(folder))
    {
        sources.preload(&overlay.path, Arc::clone(&overlay.text));
        // A document not saved yet is not on the disk the walk saw.
        if frontend::accepts_any(&overlay.path) && !discovered.files.contains(&overlay.path) {
            discovered.files.push(overlay.path.clone());
        }
    }
    discovered.files.sort();

    let options = context.rule_options(&[], &[], false);
    let analyzed = analysis::analyze_in(sources, &context, discovered, &options);
    let applied = isolint_rules::apply_suppressions(
        analyzed.selected(&options),
        &analyzed.suppressions,
        context::today(),
        &options,
        &|file| suppress::relative_path(&analyzed.sources, context.exceptions_root(), file),
    );
    Analysis {
        sources: analyzed.sources,
        findings: applied.findings,
        diagnostics: analyzed.diagnostics,
    }
}

/// An analysis that could not start (an invalid configuration): one error, on the
/// configuration file when there is one.
fn failed(document: &Path, folder: &Path, message: String) -> Analysis {
    let path: PathBuf = config::find(folder).unwrap_or_else(|| document.to_path_buf());
    Analysis {
        diagnostics: vec![Diagnostic::error("config-error", message, path)],
        ..Analysis::default()
    }
}
