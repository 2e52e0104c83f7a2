//! `isolint server`: the language server (crate `isolint_server`) on standard input and
//! output, judging each open document with the analysis `isolint check` runs.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser};
use isolint_model::{Diagnostic, Project};
use isolint_server::{Analysis, Analyzer, Request};

use crate::analysis::{self, Tree};
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
Bicep, ARM JSON or Terraform document is analysed as `isolint check FOLDER DOCUMENT` \
analyses it: with its folder (configuration, parameter and variable files), the project's \
templates and modules that call it, and the unsaved text of every open document of the \
project. Its findings are published as diagnostics, with the rules' fixes and suppressions \
as quick fixes. The project is the git work tree that holds the document, else the \
editor's workspace folder. See docs/editors.md for VS Code, Neovim and Helix.

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
/// server's analysis is defined. It is `isolint check --root ROOT FOLDER DOCUMENT` (the
/// document's folder walked as `check` walks it, the document named so that the project's
/// templates and Terraform modules that call it are read too; a Terraform variable file is
/// also applied with `--var-file`), through `check`'s one analysis (the deployment graph,
/// the confined source map, the rules, the configuration found from the folder upward, the
/// suppressions; no baseline), with the editor's open documents offered over the disk.
fn analyze_document(request: &Request<'_>) -> Analysis {
    let document = request.document;
    let folder = document.parent().unwrap_or(document);
    let root = project_root(document, request.workspace_root);
    let mut arguments: Vec<&OsStr> = vec![
        OsStr::new("isolint"),
        OsStr::new("--root"),
        root.as_os_str(),
        folder.as_os_str(),
        document.as_os_str(),
    ];
    if frontend::configured_by(document).is_some() {
        arguments.extend([OsStr::new("--var-file"), document.as_os_str()]);
    }
    let input = match DocumentInput::try_parse_from(arguments) {
        Ok(parsed) => parsed.input,
        Err(error) => return failed(document, folder, error.to_string()),
    };
    let context = match Context::load(&input) {
        Ok(context) => context,
        Err(message) => return failed(document, folder, message),
    };

    let texts: Vec<(PathBuf, Arc<str>)> = request
        .overlays
        .iter()
        .map(|o| (o.path.clone(), Arc::clone(&o.text)))
        .collect();
    let mut discovered = context.discover();
    discovered.with_edited(&texts, folder);

    let options = context.rule_options(&[], &[], false);
    let analyzed = analysis::analyze_in(&context, Tree::Edited(texts), discovered, &options);
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

/// The project a document belongs to, which confines what its analysis reads: the git
/// work tree that holds it (as `check` finds it), else the client's workspace folder that
/// holds it, else its folder.
fn project_root(document: &Path, workspace_root: Option<&Path>) -> PathBuf {
    let discovered = Project::discover(document).root;
    if discovered.join(".git").symlink_metadata().is_ok() {
        return discovered;
    }
    workspace_root.map_or(discovered, Path::to_path_buf)
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
