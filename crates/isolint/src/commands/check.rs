//! `isolint check`: discover, analyze once, keep the selected findings, apply suppressions
//! and the baseline, render, write, and pick the exit code.

use std::ffi::OsStr;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use isolint_model::source::{MAX_FILE_SIZE, normalize};
use isolint_model::{Diagnostic, Severity, SourceMap};
use isolint_output::{Report, ReportFormat, ReportOptions, TextOptions};
use isolint_rules::{Finding, Level, RULES, Rule, Suppressed, TOOL_RULES};

use crate::analysis::{self, Analyzed, Tree};
use crate::baseline;
use crate::catalog;
use crate::cli::{CheckArgs, InputArgs, OutputFormat};
use crate::console;
use crate::context::{self, Context};
use crate::discover::Discovered;
use crate::exit::{self, Outcome};
use crate::files;
use crate::fixes::{self, FixOptions};
use crate::notes;
use crate::suppress;

/// The wrap width of the text format when `COLUMNS` does not say.
const DEFAULT_WIDTH: usize = 80;

/// Runs `isolint check`.
pub(crate) fn run(args: &CheckArgs, started: Instant) -> Outcome {
    let stdin = match standard_input(args) {
        Ok(stdin) => stdin,
        Err(message) => {
            console::error(&message);
            return Outcome::Error;
        }
    };
    // Standard input stands for the file it names: that file is the one path checked.
    let input = match &stdin {
        Some((path, _)) => InputArgs {
            paths: vec![path.clone()],
            ..args.input.clone()
        },
        None => args.input.clone(),
    };
    let prepared = Context::load(&input).and_then(|context| {
        let baseline = args.baseline.as_deref().map(baseline::load).transpose()?;
        Ok((context, baseline))
    });
    let (context, baseline) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            console::error(&message);
            return Outcome::Error;
        }
    };
    let mut discovered = match context.discover_checked() {
        Ok(discovered) => discovered,
        Err(outcome) => return outcome,
    };
    let edited: Vec<(PathBuf, Arc<str>)> = stdin.into_iter().collect();
    if let Some((path, _)) = edited.first() {
        discovered.with_edited(&edited, path.parent().unwrap_or(path));
    }
    if args.list_files {
        return list_files(discovered, args.quiet);
    }

    let rule_options = context.rule_options(&args.select, &args.ignore, args.strict);
    let tree = if edited.is_empty() {
        Tree::Disk
    } else {
        Tree::Edited(edited)
    };
    let mut analyzed = analysis::analyze_in(&context, tree, discovered, &rule_options);
    let mut fix_failed = false;
    if args.fix {
        let options = FixOptions {
            unsafe_fixes: args.unsafe_fixes,
            quiet: args.quiet,
        };
        (analyzed, fix_failed) = fixes::fix(&context, &rule_options, analyzed, options);
    }
    // A pull-request summary carries the compliance KPIs of `isolint report`, from the same
    // analysis (every rule, strictly, before suppressions), as a section below its title.
    let kpis = (args.format == OutputFormat::Markdown).then(|| {
        isolint_output::render_report(
            ReportFormat::Markdown,
            &analyzed.isolation_report(&rule_options),
            &analyzed.sources,
            &ReportOptions {
                title_level: 3,
                ..ReportOptions::default()
            },
        )
    });
    let findings = analyzed.selected(&rule_options);
    let Analyzed {
        sources,
        suppressions,
        diagnostics,
        notes: input_notes,
        files,
        ..
    } = analyzed;

    // Suppressions, then the baseline: both only ever hide findings.
    let applied = isolint_rules::apply_suppressions(
        findings,
        &suppressions,
        context::today(),
        &rule_options,
        &|file| suppress::relative_path(&sources, context.exceptions_root(), file),
    );
    let mut findings = applied.findings;
    let mut suppressed = applied.suppressed;
    let mut notes = Vec::new();
    if let Some(baseline) = &baseline {
        // An entry of a rule isolint no longer knows is stale too.
        let ran = |id: &str| catalog::lookup(id).map_or(true, |rule| rule_options.enables(rule));
        let filtered = baseline.filter(&mut findings, &sources, &ran);
        if filtered.hidden > 0 {
            notes.push(format!(
                "{} findings recorded in the baseline are not shown",
                filtered.hidden
            ));
        }
        if !filtered.unmatched.is_empty() {
            notes.push(unmatched_note(&filtered.unmatched));
        }
    }
    isolint_rules::sort_findings(&mut findings, &sources);
    sort_suppressed(&mut suppressed, &sources);
    if !suppressed.is_empty() && !args.show_suppressed {
        notes.push(format!(
            "{} suppressed (--show-suppressed shows them)",
            exit::counted(suppressed.len(), "finding", "findings")
        ));
    }

    let rules = rules_run(&rule_options, !suppressions.is_empty());
    let fail_level = args
        .fail_level
        .map(Level::from)
        .or(context.config.as_ref().and_then(|c| c.fail_level))
        .unwrap_or(Level::Warning);

    if let Some(path) = &args.write_baseline {
        return write_baseline(
            &context,
            path,
            &findings,
            &sources,
            &diagnostics,
            args.quiet,
        );
    }

    // `--show-suppressed`: the hidden findings join the others, marked, in every format but
    // SARIF and JSON (which always record them, with their justification).
    let shown: Vec<Finding>;
    let visible = if args.show_suppressed
        && !matches!(args.format, OutputFormat::Sarif | OutputFormat::Json)
    {
        shown = with_suppressed(&findings, &suppressed, &sources);
        &shown
    } else {
        &findings
    };

    let report = Report {
        findings: visible,
        diagnostics: &diagnostics,
        sources: &sources,
        files,
        rules: &rules,
        suppressed: &suppressed,
    };
    let text_options = TextOptions {
        color: args.color.enabled(
            args.output.is_none() && std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        ),
        width: width(std::env::var_os("COLUMNS").as_deref()),
        ..TextOptions::default()
    };
    let mut rendered = isolint_output::render(args.format.into(), &report, &text_options);
    if let Some(kpis) = kpis {
        rendered.push('\n');
        rendered.push_str(&kpis);
    }

    let mut outcome = Outcome::of(&findings, &diagnostics, fail_level);
    if fix_failed {
        outcome = outcome.max(Outcome::Error);
    }
    let written = match &args.output {
        Some(path) => {
            let baseline_read: Vec<&Path> = args.baseline.iter().map(PathBuf::as_path).collect();
            match context.write(path, &rendered, &sources, &baseline_read) {
                Ok(()) => Outcome::Clean,
                Err(message) => {
                    console::error(&message);
                    Outcome::Error
                }
            }
        }
        None => console::stdout(&rendered),
    };
    outcome = outcome.max(written);

    if args.format == OutputFormat::Text && !args.quiet {
        for note in input_notes.iter().chain(&notes) {
            console::stderr_line(&format!("note: {}", notes::shown(note, args.verbose)));
        }
        let (safe, unsafe_fixes) = fixes::available(&findings);
        if safe + unsafe_fixes > 0 && !args.fix {
            console::stderr_line(&fixes::available_note(safe, unsafe_fixes));
        }
        console::stderr_line(&exit::summary(
            files,
            &findings,
            &diagnostics,
            started.elapsed(),
        ));
    }
    outcome
}

/// `--write-baseline FILE`: records the findings, unless some input could not be read or
/// parsed (its findings would be missing, and hidden from the next runs' view as new).
fn write_baseline(
    context: &Context<'_>,
    path: &Path,
    findings: &[Finding],
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    quiet: bool,
) -> Outcome {
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        for diagnostic in &errors {
            console::diagnostic(diagnostic);
        }
        console::error(&format!(
            "the baseline `{}` is not written: {} could not be read whole, and the findings in {} would be missing from it",
            path.display(),
            exit::counted(errors.len(), "input", "inputs"),
            if errors.len() == 1 { "it" } else { "them" },
        ));
        return Outcome::Error;
    }
    match context.write(
        path,
        &baseline::render(findings, sources, path),
        sources,
        &[],
    ) {
        Ok(()) => {
            if !quiet {
                console::stderr_line(&format!(
                    "wrote {} to the baseline `{}`",
                    exit::counted(findings.len(), "finding", "findings"),
                    path.display()
                ));
            }
            Outcome::of_input(diagnostics)
        }
        Err(message) => {
            console::error(&message);
            Outcome::Error
        }
    }
}

/// The note on baseline entries that match no finding any more, naming the first ten.
fn unmatched_note(unmatched: &[&baseline::Entry]) -> String {
    const SHOWN: usize = 10;
    let mut named: Vec<String> = unmatched
        .iter()
        .take(SHOWN)
        .map(|entry| {
            let rule = if entry.rule.is_empty() {
                "a finding"
            } else {
                entry.rule.as_str()
            };
            if entry.resource.is_empty() {
                format!("{rule} in {}", entry.path)
            } else {
                format!("{rule} on `{}` in {}", entry.resource, entry.path)
            }
        })
        .collect();
    if unmatched.len() > SHOWN {
        named.push(format!("and {} more", unmatched.len() - SHOWN));
    }
    format!(
        "{} in the baseline no longer {} (fixed, or moved to another file; --write-baseline records the findings of today): {}",
        exit::counted(unmatched.len(), "entry", "entries"),
        if unmatched.len() == 1 {
            "matches a finding"
        } else {
            "match a finding"
        },
        named.join("; ")
    )
}

/// The rules a run reports on (SARIF's rule table): those the options enable and, when
/// the run has suppressions, the tool's rules about them.
pub(crate) fn rules_run(
    rule_options: &isolint_rules::Options,
    has_suppressions: bool,
) -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = RULES
        .iter()
        .copied()
        .filter(|rule| rule_options.enables(rule))
        .collect();
    if has_suppressions {
        rules.extend(
            TOOL_RULES
                .iter()
                .copied()
                .filter(|r| rule_options.enables(r)),
        );
    }
    rules
}

/// Suppressed findings in the order findings are rendered.
pub(crate) fn sort_suppressed(suppressed: &mut [Suppressed], sources: &SourceMap) {
    let name = |s: &Suppressed| {
        sources
            .get(s.finding.span.file)
            .map(|f| f.name.clone())
            .unwrap_or_default()
    };
    suppressed.sort_by_cached_key(|s| {
        (
            name(s),
            s.finding.span.start,
            s.finding.rule.id,
            s.finding.message.clone(),
        )
    });
}

/// The findings and the suppressed ones, these marked in their message, in render order.
pub(crate) fn with_suppressed(
    findings: &[Finding],
    suppressed: &[Suppressed],
    sources: &SourceMap,
) -> Vec<Finding> {
    let mut all = findings.to_vec();
    all.extend(suppressed.iter().map(|hidden| {
        let mut finding = hidden.finding.clone();
        finding
            .message
            .push_str(&format!(" [suppressed: {}]", hidden.justification));
        finding
    }));
    isolint_rules::sort_findings(&mut all, sources);
    all
}

/// `--list-files`: the files on standard output, problems on standard error.
fn list_files(mut discovered: Discovered, quiet: bool) -> Outcome {
    context::sort_diagnostics(&mut discovered.diagnostics);
    let mut listing = String::new();
    for file in &discovered.files {
        listing.push_str(&file.to_string_lossy());
        listing.push('\n');
    }
    let written = console::stdout(&listing);
    for diagnostic in &discovered.diagnostics {
        console::diagnostic(diagnostic);
    }
    if !quiet {
        for note in &discovered.notes {
            console::stderr_line(&format!("note: {note}"));
        }
    }
    let failed = discovered
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    written.max(if failed {
        Outcome::Error
    } else {
        Outcome::Clean
    })
}

/// The wrap width: `COLUMNS` when it holds a sensible number.
fn width(columns: Option<&OsStr>) -> usize {
    columns
        .and_then(OsStr::to_str)
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20)
        .unwrap_or(DEFAULT_WIDTH)
}

/// The text of standard input and the path it stands for, when the only PATH is `-`
/// (`--stdin-filename` names the file); an error for `-` among other paths, without a
/// name, with `--fix` (which rewrites files), or for text that cannot be read.
fn standard_input(args: &CheckArgs) -> Result<Option<(PathBuf, Arc<str>)>, String> {
    let dash = |path: &PathBuf| path.as_os_str() == "-";
    let named = args.stdin_filename.as_ref();
    if !args.input.paths.iter().any(dash) {
        return match named {
            Some(_) => Err("--stdin-filename names the file standard input holds: give `-` as the PATH to read it".to_owned()),
            None => Ok(None),
        };
    }
    if args.input.paths.len() > 1 {
        return Err("`-` (standard input) must be the only PATH".to_owned());
    }
    let Some(path) = named else {
        return Err("reading standard input (`-`) needs --stdin-filename PATH: the file it stands for gives its format and its project".to_owned());
    };
    if args.fix {
        return Err("--fix rewrites files: it cannot apply to standard input".to_owned());
    }
    let path = normalize(path);
    let text = files::read_bounded(std::io::stdin().lock(), MAX_FILE_SIZE)
        .map_err(|reason| format!("cannot read standard input: {reason}"))?;
    Ok(Some((path, text.into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_comes_from_columns_when_sensible() {
        assert_eq!(width(None), DEFAULT_WIDTH);
        assert_eq!(width(Some(OsStr::new("120"))), 120);
        assert_eq!(width(Some(OsStr::new("5"))), DEFAULT_WIDTH);
        assert_eq!(width(Some(OsStr::new("wide"))), DEFAULT_WIDTH);
    }
}
