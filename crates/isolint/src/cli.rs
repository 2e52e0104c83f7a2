//! The command line: clap types and the value parsers that turn arguments into rules, globs
//! and formats, so that every malformed argument is a clap usage error (exit code 2).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use globset::Glob;
use isolint_rules::{Level, Rule};

use crate::catalog;
use crate::globs::parse_glob;

// The headings that group options in `--help`, shared so that `check` and `report` group
// the options they share alike (clap lists the headings in the order they are first used).
/// Which files are read and how folders are walked.
const FILES: &str = "Files";
/// Values given to the templates: parameter files and Terraform variables.
const INPUTS: &str = "Inputs";
/// Which rules run, with what settings, and what fails the run.
pub(crate) const RULES: &str = "Rules";
/// What is written, where and how.
pub(crate) const OUTPUT: &str = "Output";
/// Findings recorded earlier or suppressed.
const BASELINE: &str = "Baseline and suppressions";
/// The git revisions compared or walked (`diff --base`, `report --history`).
pub(crate) const GIT: &str = "Git history";
/// Rewriting the files to fix findings.
const FIXES: &str = "Fixes";

/// Checks that Azure Machine Learning workspaces in Bicep, ARM JSON and Terraform are
/// network-isolated.
#[derive(Debug, Parser)]
#[command(
    name = "isolint",
    version,
    about,
    subcommand_required = true,
    arg_required_else_help = true
)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Lint files and folders.
    Check(CheckArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain(ExplainArgs),
    /// Write a commented starter configuration file (`isolint.toml`).
    Init(InitArgs),
    /// Report, per workspace, whether it is network-isolated, with a compliance score and
    /// the open exceptions.
    Report(ReportArgs),
    /// Compare with a git revision: the findings a change brings and fixes, and what
    /// deploying it does to the resources that exist (a migration plan).
    Diff(crate::commands::diff::DiffArgs),
    /// Write an Azure Policy initiative that enforces isolint's rules at deployment.
    Policy(crate::commands::policy::PolicyArgs),
    /// Print a shell completion script (bash, zsh, fish, PowerShell, Elvish).
    Completions(crate::commands::completions::CompletionsArgs),
}

/// The arguments `check` and `report` share: what is read, and how.
#[derive(Clone, Debug, Args)]
pub(crate) struct InputArgs {
    /// Files and folders to read.
    #[arg(value_name = "PATH", default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,

    /// Read the configuration from FILE instead of the `isolint.toml` or `.isolint.toml`
    /// found from the first PATH upward to the repository root.
    #[arg(long, value_name = "FILE", help_heading = FILES)]
    pub(crate) config: Option<PathBuf>,

    /// A tag every workspace must carry (repeatable; rule AML301, which is off without
    /// any). Tag names compare case-insensitively.
    #[arg(long = "required-tag", value_name = "NAME", help_heading = RULES)]
    pub(crate) required_tags: Vec<String>,

    /// An ARM deployment parameters file or a `.bicepparam` file (repeatable), for every
    /// ARM or Bicep template that declares one of its parameters, instead of the files
    /// found beside the templates.
    #[arg(long = "parameters", value_name = "FILE", help_heading = INPUTS)]
    pub(crate) parameter_files: Vec<PathBuf>,

    /// The project root: nothing outside it is read (after symbolic links), but module
    /// caches [default: the git work tree holding the first PATH, else that PATH].
    #[arg(long, value_name = "DIR", help_heading = FILES)]
    pub(crate) root: Option<PathBuf>,

    /// The Bicep module cache to read registry modules and template specs from, as
    /// `bicep restore` fills it [default: `cacheRootDirectory` of bicepconfig.json, else
    /// ~/.bicep].
    #[arg(long, value_name = "DIR", help_heading = INPUTS)]
    pub(crate) bicep_cache: Option<PathBuf>,

    /// Also read ARM JSON compiled from a Bicep file that is read too (by default the
    /// Bicep source is read and the compiled copy skipped).
    #[arg(long, help_heading = FILES)]
    pub(crate) include_compiled: bool,

    /// A Terraform variable file (repeatable), applied after `terraform.tfvars` and
    /// `*.auto.tfvars`, later files winning.
    #[arg(long = "var-file", value_name = "FILE", help_heading = INPUTS)]
    pub(crate) var_files: Vec<PathBuf>,

    /// A Terraform variable (repeatable), applied last. VALUE is read as an HCL literal
    /// (`true`, `3`, `["a"]`) when it is one, and as a string otherwise.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var, help_heading = INPUTS)]
    pub(crate) vars: Vec<(String, String)>,

    /// Read only files matching GLOB, relative to the folder walked (repeatable). A glob
    /// without `/` matches at any depth; a glob matching a folder matches all below it.
    #[arg(long, value_name = "GLOB", value_parser = parse_glob, help_heading = FILES)]
    pub(crate) include: Vec<Glob>,

    /// Skip files matching GLOB, relative to the folder walked (repeatable). Same matching
    /// as --include; applies after it.
    #[arg(long, value_name = "GLOB", value_parser = parse_glob, help_heading = FILES)]
    pub(crate) exclude: Vec<Glob>,

    /// Don't honour .gitignore, .ignore and .isolintignore files.
    #[arg(long, help_heading = FILES)]
    pub(crate) no_ignore: bool,

    /// Follow symbolic links while walking folders.
    #[arg(short = 'L', long, help_heading = FILES)]
    pub(crate) follow: bool,
}

/// Arguments of `isolint check`.
#[derive(Debug, Args)]
#[command(after_help = "\
Folders are walked honouring .gitignore (in and outside git repositories), .ignore and \
.isolintignore files; hidden files and folders are skipped. A file named on the command line \
is always checked. Symbolic links are not followed unless --follow is given.

Exit codes: 0 no finding at or above the fail level (isolint's own warnings count as \
warnings), 1 findings, 2 usage, I/O or parse error, or no file to check under the paths.")]
#[expect(
    clippy::struct_excessive_bools,
    reason = "each bool is a command-line switch, which is what clap derives flags from"
)]
pub(crate) struct CheckArgs {
    /// What is read, and how.
    #[command(flatten)]
    pub(crate) input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, help_heading = OUTPUT)]
    pub(crate) format: OutputFormat,

    /// Write the report to FILE instead of standard output (never a folder or a file the
    /// run reads).
    #[arg(short, long, value_name = "FILE", help_heading = OUTPUT)]
    pub(crate) output: Option<PathBuf>,

    /// Report values isolint could not settle (parameters without default, runtime
    /// functions) as notes instead of staying silent.
    #[arg(long, help_heading = RULES)]
    pub(crate) strict: bool,

    /// The lowest finding level that makes the run fail (exit code 1) [default: warning,
    /// or the configuration's `fail_level`].
    #[arg(long, value_enum, value_name = "LEVEL", help_heading = RULES)]
    pub(crate) fail_level: Option<FailLevel>,

    /// Report only findings that the baseline FILE does not record (by file and
    /// fingerprint), and list its entries that match no finding any more.
    #[arg(long, value_name = "FILE", help_heading = BASELINE)]
    pub(crate) baseline: Option<PathBuf>,

    /// Record the current findings in the baseline FILE (and exit 0); nothing is written
    /// when an input cannot be read or parsed (exit 2).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline", help_heading = BASELINE)]
    pub(crate) write_baseline: Option<PathBuf>,

    /// Also show suppressed findings in text, compact, GitHub and Markdown output (SARIF
    /// always records them, with their justification).
    #[arg(long, help_heading = BASELINE)]
    pub(crate) show_suppressed: bool,

    /// Run only these rules (ID or name; repeatable, comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule, help_heading = RULES)]
    pub(crate) select: Vec<&'static Rule>,

    /// Do not run these rules (ID or name; repeatable, comma-separated).
    #[arg(long, value_name = "RULE", value_delimiter = ',', value_parser = parse_rule, help_heading = RULES)]
    pub(crate) ignore: Vec<&'static Rule>,

    /// Print the files that would be checked, one per line, and exit.
    #[arg(long, help_heading = FILES)]
    pub(crate) list_files: bool,

    /// When to colour the output: `auto` colours only a terminal, and not when `NO_COLOR`
    /// is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, help_heading = OUTPUT)]
    pub(crate) color: ColorChoice,

    /// Don't print the summary line.
    #[arg(short, long, help_heading = OUTPUT)]
    pub(crate) quiet: bool,

    /// List every item of the notes on standard error (compiled files skipped, modules not
    /// followed) instead of the first few and a count.
    #[arg(short, long, help_heading = OUTPUT)]
    pub(crate) verbose: bool,

    /// Rewrite the literal values that findings point at to their secure value
    /// (`'Enabled'` → `'Disabled'`), in the files checked (never in a module cache), print
    /// each change, and report what remains. Parameter defaults are left alone unless
    /// --unsafe-fixes.
    #[arg(long, help_heading = FIXES)]
    pub(crate) fix: bool,

    /// With --fix, also rewrite parameter and variable defaults, which other resources may
    /// share.
    #[arg(long, requires = "fix", help_heading = FIXES)]
    pub(crate) unsafe_fixes: bool,
}

/// Arguments of `isolint report`: `check`'s options about what is read and how.
#[derive(Debug, Args)]
#[command(after_help = "\
A workspace is isolated when no rule that protects it or a dependency it links, at the \
default level error, reports a problem: its public network access is off, its outbound rules \
restrict something, and its storage account, key vault and container registry are private. \
The report always evaluates as `check --strict` does: a workspace whose answer depends on \
values isolint cannot settle is unverified, never isolated.

Exit codes: 0 the report was written, 2 usage, I/O or parse error, or no file to report on.")]
pub(crate) struct ReportArgs {
    /// What is read, and how.
    #[command(flatten)]
    pub(crate) input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text, help_heading = OUTPUT)]
    pub(crate) format: ReportFormat,

    /// Write the report to FILE instead of standard output (never a folder or a file the
    /// run reads).
    #[arg(short, long, value_name = "FILE", help_heading = OUTPUT)]
    pub(crate) output: Option<PathBuf>,

    /// Accepted for symmetry with `check`: the report always notes what it cannot settle,
    /// and counts such workspaces as unverified.
    #[arg(long, help_heading = RULES)]
    pub(crate) strict: bool,

    /// The history of the findings over the branch's commits (`--history`, `--since`).
    #[command(flatten)]
    pub(crate) history: crate::commands::history::HistoryArgs,
}

/// The formats of `isolint report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// Plain text.
    Text,
    /// A JSON document (see docs/output.md).
    Json,
    /// Markdown tables, for a wiki page or a pull request.
    Markdown,
}

/// Arguments of `isolint init`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// Where to write the file.
    #[arg(value_name = "FILE", default_value = "isolint.toml")]
    pub(crate) path: PathBuf,

    /// Overwrite the file if it exists.
    #[arg(long)]
    pub(crate) force: bool,
}

/// Arguments of `isolint rules`.
#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub(crate) format: ListFormat,
}

/// Arguments of `isolint explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The rule, by ID (`AML001`) or name (`workspace-public-network-access`).
    #[arg(value_name = "RULE", value_parser = parse_rule)]
    pub(crate) rule: &'static Rule,
}

/// The report formats of `isolint check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Diagnostics with source snippets, and a summary on standard error.
    Text,
    /// One line per finding: `file:line:col: level[ID name] message`.
    Compact,
    /// A JSON document.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`): annotations on the diff.
    Github,
    /// A Markdown summary for a pull request: totals and a table per rule.
    Markdown,
}

impl From<OutputFormat> for isolint_output::Format {
    fn from(format: OutputFormat) -> Self {
        match format {
            OutputFormat::Text => Self::Text,
            OutputFormat::Compact => Self::Compact,
            OutputFormat::Json => Self::Json,
            OutputFormat::Sarif => Self::Sarif,
            OutputFormat::Github => Self::Github,
            OutputFormat::Markdown => Self::Markdown,
        }
    }
}

/// The formats of `isolint rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    /// An aligned table.
    Text,
    /// A JSON array.
    Json,
}

/// `--fail-level`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailLevel {
    /// Any finding fails the run.
    Note,
    /// Warnings and errors fail the run.
    Warning,
    /// Only errors fail the run.
    Error,
}

impl From<FailLevel> for Level {
    fn from(level: FailLevel) -> Self {
        match level {
            FailLevel::Note => Self::Note,
            FailLevel::Warning => Self::Warning,
            FailLevel::Error => Self::Error,
        }
    }
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (or is not) a terminal, given the value of
    /// `NO_COLOR` (<https://no-color.org>: set and not empty disables colour).
    pub(crate) fn enabled(self, is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => is_terminal && no_color.is_none_or(std::ffi::OsStr::is_empty),
        }
    }
}

/// A rule by ID or name, with a suggestion when the selector is close to one.
fn parse_rule(selector: &str) -> Result<&'static Rule, String> {
    catalog::lookup(selector.trim())
}

/// `--var NAME=VALUE`: the name must be an identifier; the value may be empty.
fn parse_var(text: &str) -> Result<(String, String), String> {
    let Some((name, value)) = text.split_once('=') else {
        return Err("expected NAME=VALUE".to_owned());
    };
    let name = name.trim();
    let mut chars = name.chars();
    let identifier = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !identifier {
        return Err(format!("`{name}` is not a variable name"));
    }
    Ok((name.to_owned(), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// `--help` groups the options of `check`, `report` and `diff` under headings; an option
    /// without one would land alone beside `--help` under "Options".
    #[test]
    fn every_option_of_check_and_report_has_a_heading() {
        let cli = Cli::command();
        for name in ["check", "report", "diff"] {
            let Some(command) = cli.find_subcommand(name) else {
                panic!("no subcommand {name}");
            };
            let loose: Vec<&str> = command
                .get_arguments()
                .filter(|arg| !arg.is_positional() && arg.get_help_heading().is_none())
                .map(|arg| arg.get_id().as_str())
                .collect();
            assert!(
                loose.is_empty(),
                "{name}: options without a heading: {loose:?}"
            );
        }
    }

    #[test]
    fn vars_are_name_value_pairs() {
        assert_eq!(
            parse_var("a=b=c").unwrap(),
            ("a".to_owned(), "b=c".to_owned())
        );
        assert_eq!(parse_var("x=").unwrap(), ("x".to_owned(), String::new()));
        assert!(parse_var("novalue").is_err());
        assert!(parse_var("=1").is_err());
        assert!(parse_var("1a=1").is_err());
    }

    #[test]
    fn no_color_only_matters_in_auto_mode() {
        let set = Some(std::ffi::OsStr::new("1"));
        let empty = Some(std::ffi::OsStr::new(""));
        assert!(ColorChoice::Auto.enabled(true, None));
        assert!(ColorChoice::Auto.enabled(true, empty));
        assert!(!ColorChoice::Auto.enabled(true, set));
        assert!(!ColorChoice::Auto.enabled(false, None));
        assert!(ColorChoice::Always.enabled(false, set));
        assert!(!ColorChoice::Never.enabled(true, None));
    }
}
