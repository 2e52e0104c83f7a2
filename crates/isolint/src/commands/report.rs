//! `isolint report`: the figures compliance teams track (per workspace, whether it is
//! network-isolated; the share of isolated workspaces; a compliance score; the open
//! exceptions), built by `isolint_rules::report` from the run's one analysis and rendered
//! by `isolint_output`.

use isolint_model::Severity;
use isolint_output::ReportFormat as Format;

use crate::analysis;
use crate::cli::{ReportArgs, ReportFormat};
use crate::console;
use crate::context::{self, Context};
use crate::exit::Outcome;

/// Runs `isolint report`.
pub(crate) fn run(args: &ReportArgs) -> Outcome {
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
    let analyzed = analysis::analyze(&context, context.discover(), &options);
    let report = analyzed.isolation_report(&options);
    let rendered = isolint_output::render_report(
        match args.format {
            ReportFormat::Text => Format::Text,
            ReportFormat::Json => Format::Json,
            ReportFormat::Markdown => Format::Markdown,
        },
        &report,
        &analyzed.sources,
    );

    let mut failed = false;
    for diagnostic in &analyzed.diagnostics {
        if diagnostic.severity == Severity::Error {
            failed = true;
            console::stderr_line(&format!(
                "error[{}]: {}: {}",
                diagnostic.code,
                diagnostic.path.display(),
                diagnostic.message
            ));
        }
    }
    let written = context::write_output(args.output.as_deref(), &rendered);
    written.max(if failed {
        Outcome::Error
    } else {
        Outcome::Clean
    })
}
