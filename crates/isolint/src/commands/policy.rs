//! `isolint policy`: writes the Azure Policy initiative that enforces isolint's rules at
//! deployment, as one ARM deployment template (see `isolint_output::policy` and
//! docs/policy.md).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use isolint_output::policy::{
    DEFAULT_DISPLAY_NAME, DEFAULT_NAME, Effect, PolicyOptions, Scope, check_display_name,
    check_name, render,
};

use crate::console;
use crate::exit::Outcome;
use crate::files;

/// Arguments of `isolint policy`.
#[derive(Debug, Args)]
#[command(after_help = "\
The output is an ARM deployment template holding isolint's custom policy definitions and the \
initiative (policySetDefinition) that uses them and Azure's built-in definitions. Deploy it \
with `az deployment mg create --management-group-id MG --location LOCATION --template-file \
FILE` (or `az deployment sub create` with --scope subscription), then assign the initiative. \
See docs/policy.md.

Exit codes: 0 the template was written, 2 usage or I/O error.")]
pub(crate) struct PolicyArgs {
    /// The default effect of the members that can deny a deployment (those that can only
    /// audit keep auditing).
    #[arg(long, value_enum, default_value_t = EffectArg::Audit)]
    effect: EffectArg,

    /// Where the template deploys the definitions and the initiative.
    #[arg(long, value_enum, default_value_t = ScopeArg::ManagementGroup)]
    scope: ScopeArg,

    /// The initiative's resource name (letters, digits, `-` and `_`).
    #[arg(long, value_name = "NAME", default_value = DEFAULT_NAME, value_parser = parse_name)]
    name: String,

    /// The initiative's display name, as the portal shows it.
    #[arg(
        long,
        value_name = "TEXT",
        default_value = DEFAULT_DISPLAY_NAME,
        value_parser = parse_display_name
    )]
    display_name: String,

    /// Write the template to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `--effect`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum EffectArg {
    /// Report non-compliant resources.
    Audit,
    /// Refuse to deploy them.
    Deny,
}

/// `--scope`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ScopeArg {
    /// A management group (`az deployment mg create`).
    ManagementGroup,
    /// A subscription (`az deployment sub create`).
    Subscription,
}

fn parse_name(text: &str) -> Result<String, String> {
    check_name(text).map(|()| text.to_owned())
}

fn parse_display_name(text: &str) -> Result<String, String> {
    check_display_name(text).map(|()| text.to_owned())
}

/// Runs `isolint policy`.
pub(crate) fn run(args: &PolicyArgs) -> Outcome {
    let options = PolicyOptions {
        name: args.name.clone(),
        display_name: args.display_name.clone(),
        effect: match args.effect {
            EffectArg::Audit => Effect::Audit,
            EffectArg::Deny => Effect::Deny,
        },
        scope: match args.scope {
            ScopeArg::ManagementGroup => Scope::ManagementGroup,
            ScopeArg::Subscription => Scope::Subscription,
        },
    };
    match render(&options) {
        Ok(template) => write(args.output.as_deref(), &template),
        Err(error) => {
            console::error(&error.to_string());
            Outcome::Error
        }
    }
}

/// Writes the template to `--output FILE` (atomically, never into a folder), or to standard
/// output.
fn write(output: Option<&std::path::Path>, template: &str) -> Outcome {
    let Some(path) = output else {
        return console::stdout(template);
    };
    let written = files::check_target(path, &[])
        .and_then(|()| files::write_atomic(path, template).map_err(|err| files::io_message(&err)));
    match written {
        Ok(()) => Outcome::Clean,
        Err(reason) => {
            console::error(&format!("cannot write `{}`: {reason}", path.display()));
            Outcome::Error
        }
    }
}
