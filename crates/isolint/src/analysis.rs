//! The one analysis pass of a run: the discovered files through the frontends into the
//! model, every rule over it (strictly, so that values isolint cannot settle are noted),
//! and the suppressions collected. Each command then takes what it shows from the result:
//! `check` its selection of rules and, without `--strict`, none of the notes; `report`
//! everything.

use isolint_model::{Diagnostic, Model, SourceMap, Span};
use isolint_rules::report::IsolationReport;
use isolint_rules::{Finding, Suppression};

use crate::context::{self, Context};
use crate::discover::Discovered;
use crate::frontend::{self, FrontendOptions};
use crate::suppress;

/// What the pass produces.
pub(crate) struct Analyzed {
    /// Every file read.
    pub(crate) sources: SourceMap,
    /// The model of every resource.
    pub(crate) model: Model,
    /// The findings of every rule that runs (whatever `select` and `ignore` say), with the
    /// notes about unsettled values, before suppressions, in the engine's order.
    pub(crate) findings: Vec<Finding>,
    /// The suppressions found in the configuration and the files.
    pub(crate) suppressions: Vec<Suppression>,
    /// Discovery, frontend and suppression diagnostics, sorted.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Notes of discovery and of the frontends, in that order.
    pub(crate) notes: Vec<String>,
    /// How many files were read.
    pub(crate) files: usize,
}

/// Lowers the discovered files, runs every rule and collects the suppressions. `options`
/// are the run's rule options: their levels and required tags apply; their selection and
/// strictness are left to the command.
pub(crate) fn analyze(
    context: &Context<'_>,
    discovered: Discovered,
    options: &isolint_rules::Options,
) -> Analyzed {
    analyze_in(context, SourceMap::new(), discovered, options)
}

/// [`analyze`] reading through `sources`: a map of the disk, or one that serves the files of
/// a git revision (`diff`, `report --history`).
pub(crate) fn analyze_in(
    context: &Context<'_>,
    sources: SourceMap,
    discovered: Discovered,
    options: &isolint_rules::Options,
) -> Analyzed {
    let input = context.input;
    let frontend_options = FrontendOptions {
        arm: isolint_arm::Options {
            parameter_files: input.parameter_files.clone(),
        },
        include_compiled: input.include_compiled,
        terraform: isolint_terraform::Options {
            var_files: input.var_files.clone(),
            vars: input.vars.clone(),
        },
    };
    let analysis = frontend::analyze_all(&discovered.files, &sources, &frontend_options);
    let mut diagnostics = discovered.diagnostics;
    diagnostics.extend(analysis.diagnostics);
    let mut notes = discovered.notes;
    notes.extend(analysis.notes);

    let model = Model::new(analysis.resources);
    let every_rule = isolint_rules::Options {
        select: Vec::new(),
        ignore: Vec::new(),
        strict: true,
        ..options.clone()
    };
    let findings = isolint_rules::check(&model, &every_rule);

    let mut collected = suppress::Collected::default();
    if let Some(config) = &context.config {
        suppress::from_config(config, &sources, &mut collected);
    }
    suppress::from_templates(&sources, &mut collected);
    let declarations: Vec<Span> = model
        .graph()
        .resources()
        .iter()
        .flat_map(|r| r.origin.decls.iter().copied())
        .collect();
    suppress::from_line_comments(&sources, &declarations, &mut collected);
    diagnostics.append(&mut collected.diagnostics);
    // A file full of errors (minified garbage, a binary renamed `.bicep`) says so in its
    // first hundred diagnostics and one "and N more": output and memory stay bounded.
    isolint_model::diagnostic::cap_per_file(
        &mut diagnostics,
        isolint_model::diagnostic::MAX_PER_FILE,
    );
    context::sort_diagnostics(&mut diagnostics);

    Analyzed {
        sources,
        model,
        findings,
        suppressions: collected.suppressions,
        diagnostics,
        notes,
        files: discovered.files.len(),
    }
}

impl Analyzed {
    /// The findings a command with these rule options shows: those of the rules it selects
    /// and, unless it is strict, none of the notes about unsettled values. The same as
    /// running only those rules, since a rule's findings never depend on the others and
    /// strictness only adds notes.
    pub(crate) fn selected(&self, options: &isolint_rules::Options) -> Vec<Finding> {
        self.findings
            .iter()
            .filter(|f| options.enables(f.rule) && (options.strict || !f.unresolved))
            .cloned()
            .collect()
    }

    /// The isolation report: every rule's findings, strictly, before suppressions (an
    /// exception hides a finding from `check`, not from the report).
    pub(crate) fn isolation_report(&self, options: &isolint_rules::Options) -> IsolationReport {
        isolint_rules::report::build(
            &self.model,
            &self.sources,
            &self.findings,
            &self.suppressions,
            options,
            context::today(),
        )
    }
}
