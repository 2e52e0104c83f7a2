//! `isolint report`: the figures compliance teams track (per workspace, whether it is
//! network-isolated; the share of isolated workspaces; a compliance score; the open
//! exceptions), built by `isolint_rules::report` from the run's one analysis and rendered
//! by `isolint_output`.

use isolint_model::Severity;
use isolint_output::{ReportFormat as Format, ReportOptions};

use crate::analysis;
use crate::cli::{ReportArgs, ReportFormat};
use crate::console;
use crate::context::{self, Context};
use crate::exit::Outcome;

/// Runs `isolint report`.
pub(crate) fn run(args: &ReportArgs) -> Outcome {
    if args.history.history {
        return super::history::run(args);
    }
    let context = match Context::load(&args.input) {
        Ok(context) => context,
        Err(message) => {
            console::error(&message);
            return Outcome::Error;
        }
    };
    // The report always notes what it cannot settle (that is what "unverified" means) and
    // runs every rule whatever the selection, so that scores compare across teams.
    let options = context.rule_options(&[], &[], true);
    let discovered = match context.discover_checked() {
        Ok(discovered) => discovered,
        Err(outcome) => return outcome,
    };
    let analyzed = analysis::analyze(&context, discovered, &options);
    let report = analyzed.isolation_report(&options);
    // Paths relative to the working directory, through `..` when a file lies outside it:
    // a report is shared, and an absolute path says where someone's checkout was.
    let layout = ReportOptions {
        relative_to: std::env::current_dir().ok(),
        ..ReportOptions::default()
    };
    let rendered = isolint_output::render_report(
        match args.format {
            ReportFormat::Text => Format::Text,
            ReportFormat::Json => Format::Json,
            ReportFormat::Markdown => Format::Markdown,
        },
        &report,
        &analyzed.sources,
        &layout,
    );

    for diagnostic in &analyzed.diagnostics {
        if diagnostic.severity == Severity::Error {
            console::diagnostic(diagnostic);
        }
    }
    let written = context::write_output(
        &context,
        args.output.as_deref(),
        &rendered,
        &analyzed.sources,
    );
    written.max(Outcome::of_input(&analyzed.diagnostics))
}
