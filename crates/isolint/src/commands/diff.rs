//! `isolint diff --base REF`: the deployment at a git revision and in the work tree, each
//! analysed as `check` analyses it, resources matched by identity. The change rules say
//! what deploying the difference does to what exists (computes to recreate, transitions
//! and changes Azure refuses); every other finding is new, unchanged or gone. Only new
//! findings decide the exit code.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use isolint_model::{Severity, SourceMap};
use isolint_output::{DiffFormat, DiffReport, TextOptions};
use isolint_rules::change::{CHANGE_RULES, Comparison, check_changes, compare_findings};
use isolint_rules::{Finding, Level, RULES, Rule};

use crate::analysis::{Analyzed, Tree};
use crate::cli::{ColorChoice, FailLevel, GIT, InputArgs, OUTPUT, RULES as RULES_HEADING};
use crate::console;
use crate::context::{self, Context};
use crate::exit::{self, Outcome};
use crate::git::Repository;
use crate::revision::{self, Revisions};
use crate::suppress;

/// Arguments of `isolint diff`.
#[derive(Debug, Args)]
#[command(after_help = "\
REF is read from the repository that holds the first PATH, with its files at the paths they \
have in the work tree, so that a file renamed since REF keeps its findings: resources are \
matched by identity (type, name and module path), not by file. A shallow clone must fetch \
REF first (`fetch-depth: 0` in actions/checkout).

Exit codes: 0 no new finding at or above the fail level, 1 new findings, 2 usage, I/O or parse \
error, REF not found, or no file to check under the paths.")]
pub(crate) struct DiffArgs {
    /// What is read, and how.
    #[command(flatten)]
    pub(crate) input: InputArgs,

    /// The git revision to compare with: a branch, a tag or a commit (`main`,
    /// `origin/main`, `HEAD~1`). It is read from the repository, never checked out.
    #[arg(long, value_name = "REF", help_heading = GIT)]
    pub(crate) base: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffOutputFormat::Text, help_heading = OUTPUT)]
    pub(crate) format: DiffOutputFormat,

    /// Write the report to FILE instead of standard output (never a folder or a file the
    /// run reads).
    #[arg(short, long, value_name = "FILE", help_heading = OUTPUT)]
    pub(crate) output: Option<PathBuf>,

    /// Report values isolint could not settle as notes instead of staying silent.
    #[arg(long, help_heading = RULES_HEADING)]
    pub(crate) strict: bool,

    /// The lowest level of a new finding that makes the run fail (exit code 1) [default:
    /// warning, or the configuration's `fail_level`].
    #[arg(long, value_enum, value_name = "LEVEL", help_heading = RULES_HEADING)]
    pub(crate) fail_level: Option<FailLevel>,

    /// When to colour the output: `auto` colours only a terminal, and not when `NO_COLOR`
    /// is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, help_heading = OUTPUT)]
    pub(crate) color: ColorChoice,

    /// Don't print the summary line.
    #[arg(short, long, help_heading = OUTPUT)]
    pub(crate) quiet: bool,
}

/// The formats of `isolint diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffOutputFormat {
    /// The new findings with source snippets, then the fixed ones.
    Text,
    /// `check`'s JSON document, each finding with its `baselineState`.
    Json,
    /// SARIF 2.1.0, each result with its `baselineState` (`new`, `unchanged`, `absent`).
    Sarif,
    /// A pull-request summary: the migration plan, the new findings, the fixed ones.
    Markdown,
}

impl From<DiffOutputFormat> for DiffFormat {
    fn from(format: DiffOutputFormat) -> Self {
        match format {
            DiffOutputFormat::Text => Self::Text,
            DiffOutputFormat::Json => Self::Json,
            DiffOutputFormat::Sarif => Self::Sarif,
            DiffOutputFormat::Markdown => Self::Markdown,
        }
    }
}

/// Runs `isolint diff`.
pub(crate) fn run(args: &DiffArgs, started: Instant) -> Outcome {
    let context = match Context::load(&args.input) {
        Ok(context) => context,
        Err(message) => {
            console::error(&message);
            return Outcome::Error;
        }
    };
    let first = args
        .input
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let resolved = Repository::discover(&first)
        .and_then(|repo| repo.resolve(&args.base).map(|commit| (repo, commit)));
    let (repo, base_commit) = match resolved {
        Ok(resolved) => resolved,
        Err(message) => {
            console::error(&message);
            return Outcome::Error;
        }
    };

    let discovered = match context.discover_checked() {
        Ok(discovered) => discovered,
        Err(outcome) => return outcome,
    };
    let options = context.rule_options(&[], &[], args.strict);
    let current = revision::analyze(&context, Tree::Disk, discovered, &options);

    let mut revisions = Revisions::new(&repo);
    let listing = match revisions.listing(&base_commit) {
        Ok(listing) => listing,
        Err(message) => {
            console::error(&message);
            return Outcome::Error;
        }
    };
    let base = revisions.analyze(&context, &listing, &args.base, &options);

    let comparison = Comparison::new(&base.model, &base.sources, &current.model, &current.sources);
    let mut current_findings = current.selected(&options);
    current_findings.extend(check_changes(&comparison, &options));
    let current_findings = shown(&context, &current, current_findings, &options);
    let base_findings = shown(&context, &base, base.selected(&options), &options);
    let same_files = same_files(&base.sources, &current.sources);
    let mut compared = compare_findings(&comparison, base_findings, current_findings);
    if same_files {
        compared = isolint_rules::change::Compared::default();
    }
    isolint_rules::sort_findings(&mut compared.new, &current.sources);
    isolint_rules::sort_findings(&mut compared.unchanged, &current.sources);
    isolint_rules::sort_findings(&mut compared.absent, &base.sources);

    let rules: Vec<&'static Rule> = RULES
        .iter()
        .chain(CHANGE_RULES)
        .copied()
        .filter(|rule| options.enables(rule))
        .collect();
    let commit = base_commit.short_id();
    let report = DiffReport {
        base: &args.base,
        commit: &commit,
        same_files,
        new: &compared.new,
        unchanged: &compared.unchanged,
        absent: &compared.absent,
        diagnostics: &current.diagnostics,
        sources: &current.sources,
        base_sources: &base.sources,
        rules: &rules,
        files: current.files,
    };
    let text_options = TextOptions {
        color: args.color.enabled(
            args.output.is_none() && std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        ),
        ..TextOptions::default()
    };
    let rendered = isolint_output::render_diff(args.format.into(), &report, &text_options);

    let fail_level = args
        .fail_level
        .map(Level::from)
        .or(context.config.as_ref().and_then(|c| c.fail_level))
        .unwrap_or(Level::Warning);
    let outcome = Outcome::of(&compared.new, &current.diagnostics, fail_level);
    let written = context::write_output(
        &context,
        args.output.as_deref(),
        &rendered,
        &current.sources,
    );
    if args.format == DiffOutputFormat::Text && !args.quiet {
        for note in &current.notes {
            console::stderr_line(&format!("note: {note}"));
        }
        for diagnostic in base
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            console::stderr_line(&format!(
                "note: at `{}`, {}: {} (its findings there are unknown, so those of the work tree count as new)",
                args.base,
                isolint_model::source::display_name(&diagnostic.path),
                diagnostic.message
            ));
        }
        console::stderr_line(&format!(
            "diff against `{}` ({commit}): {}, {} unchanged, {} fixed; {} in {} ms",
            args.base,
            exit::counted(compared.new.len(), "new finding", "new findings"),
            compared.unchanged.len(),
            compared.absent.len(),
            exit::counted(current.files, "file", "files"),
            started.elapsed().as_millis(),
        ));
    }
    outcome.max(written)
}

/// The findings `check` would show of one side: suppressions applied (they hide findings
/// in both revisions alike), with the suppressions' own findings.
fn shown(
    context: &Context<'_>,
    analyzed: &Analyzed,
    findings: Vec<Finding>,
    options: &isolint_rules::Options,
) -> Vec<Finding> {
    isolint_rules::apply_suppressions(
        findings,
        &analyzed.suppressions,
        context::today(),
        options,
        &|file| suppress::relative_path(&analyzed.sources, context.exceptions_root(), file),
    )
    .findings
}

/// Whether both revisions read the same files with the same texts.
fn same_files(base: &SourceMap, current: &SourceMap) -> bool {
    let texts = |sources: &SourceMap| {
        let mut files: Vec<(String, std::sync::Arc<str>)> = sources
            .files()
            .iter()
            .map(|file| (file.name.clone(), std::sync::Arc::clone(&file.text)))
            .collect();
        files.sort();
        files
    };
    texts(base) == texts(current)
}
