//! The steps `isolint check` and `isolint report` share: from the discovered files to the
//! model, the rules' findings and the suppressions, before either decides what to show.

use isolint_model::{Diagnostic, Model, SourceMap};
use isolint_rules::{Finding, Rule};

use crate::cli::InputArgs;
use crate::config::Config;
use crate::discover::Discovered;
use crate::frontend::{self, FrontendOptions};
use crate::suppress;

/// The options that decide what is read and how it is lowered and checked, borrowed from
/// the arguments of `check` or `report`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Inputs<'a> {
    /// What is read, and how: the arguments `check` and `report` share.
    pub(crate) input: &'a InputArgs,
    /// `--strict`.
    pub(crate) strict: bool,
    /// `--select`.
    pub(crate) select: &'a [&'static Rule],
    /// `--ignore`.
    pub(crate) ignore: &'a [&'static Rule],
}

/// What the shared steps produce.
pub(crate) struct Analyzed {
    /// Every file read.
    pub(crate) sources: SourceMap,
    /// The model of every resource.
    pub(crate) model: Model,
    /// The rule options of the run: the command line merged with the configuration.
    pub(crate) rule_options: isolint_rules::Options,
    /// The rules' findings, before suppressions.
    pub(crate) findings: Vec<Finding>,
    /// The suppressions found in the configuration and the files.
    pub(crate) suppressions: Vec<isolint_rules::Suppression>,
    /// Discovery, frontend and suppression diagnostics, sorted.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Notes of discovery and of the frontends, in that order.
    pub(crate) notes: Vec<String>,
    /// How many files were read.
    pub(crate) files: usize,
}

/// Lowers the discovered files, runs the rules and collects the suppressions.
pub(crate) fn analyze(
    inputs: &Inputs<'_>,
    config: Option<&Config>,
    discovered: Discovered,
) -> Analyzed {
    let sources = SourceMap::new();
    let frontend_options = FrontendOptions {
        arm: isolint_arm::Options {
            parameter_files: inputs.input.parameter_files.clone(),
        },
        bicep: isolint_bicep::Options {
            include_compiled: inputs.input.include_compiled,
        },
        terraform: isolint_terraform::Options {
            var_files: inputs.input.var_files.clone(),
            vars: inputs.input.vars.clone(),
        },
    };
    let analysis = frontend::analyze_all(&discovered.files, &sources, &frontend_options);
    let mut diagnostics = discovered.diagnostics;
    diagnostics.extend(analysis.diagnostics);
    let mut notes = discovered.notes;
    notes.extend(analysis.notes);

    let mut rule_options = isolint_rules::Options {
        select: inputs.select.iter().map(|r| r.id.to_owned()).collect(),
        ignore: inputs.ignore.iter().map(|r| r.id.to_owned()).collect(),
        strict: inputs.strict,
        required_tags: inputs.input.required_tags.clone(),
        ..isolint_rules::Options::default()
    };
    if let Some(config) = config {
        apply_config(&mut rule_options, config);
    }
    let model = Model::new(analysis.resources);
    let findings = isolint_rules::check(&model, &rule_options);

    let mut collected = suppress::Collected::default();
    if let Some(config) = config {
        suppress::from_config(config, &sources, &mut collected);
    }
    suppress::from_templates(&sources, &mut collected);
    let declarations: Vec<isolint_model::Span> = model
        .graph()
        .resources()
        .iter()
        .flat_map(|r| r.origin.decls.iter().copied())
        .collect();
    suppress::from_line_comments(&sources, &declarations, &mut collected);
    diagnostics.append(&mut collected.diagnostics);
    crate::run::sort_diagnostics(&mut diagnostics);

    Analyzed {
        sources,
        model,
        rule_options,
        findings,
        suppressions: collected.suppressions,
        diagnostics,
        notes,
        files: discovered.files.len(),
    }
}

/// Merges the configuration into the options from the command line, which win: `select`
/// from the command line replaces the configuration's, `ignore` adds to it, `strict` is
/// on when either asks, `--required-tag` replaces `required_tags`.
fn apply_config(options: &mut isolint_rules::Options, config: &Config) {
    if options.select.is_empty() {
        options.select = config.select.iter().map(|r| r.id.to_owned()).collect();
    }
    options
        .ignore
        .extend(config.ignore.iter().map(|r| r.id.to_owned()));
    options.strict |= config.strict.unwrap_or(false);
    if options.required_tags.is_empty() {
        options.required_tags.clone_from(&config.required_tags);
    }
    options.levels.clone_from(&config.levels);
}
