//! The `check` pipeline: discover, analyze per frontend, build the model, run the rules,
//! render, write, and pick the exit code.

use std::ffi::OsStr;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use globset::{Glob, GlobSet, GlobSetBuilder};
use isolint_model::{Diagnostic, Severity, SourceMap};
use isolint_output::{Report, TextOptions};
use isolint_rules::{Date, Finding, Level, RULES, Rule, Suppressed, TOOL_RULES};

use crate::baseline;
use crate::cli::{CheckArgs, InitArgs, OutputFormat};
use crate::config::{self, Config};
use crate::console;
use crate::discover::{self, Discovered, Settings};
use crate::exit::{self, Outcome};
use crate::frontend;
use crate::pipeline::{self, Analyzed, Inputs};
use crate::report;
use crate::suppress;

/// The wrap width of the text format when `COLUMNS` does not say.
const DEFAULT_WIDTH: usize = 80;

/// Runs `isolint check`.
pub(crate) fn check(args: &CheckArgs, started: Instant) -> Outcome {
    let inputs = check_inputs(args);
    let prepared = load_config(&inputs).and_then(|config| {
        let settings = discovery_settings(&inputs, config.as_ref())?;
        let baseline = args.baseline.as_deref().map(baseline::load).transpose()?;
        Ok((config, settings, baseline))
    });
    let (config, settings, baseline) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            console::error(&message);
            return Outcome::Error;
        }
    };
    let discovered = discover::discover(&args.input.paths, &settings);
    if args.list_files {
        return list_files(discovered, args.quiet);
    }
    // A pull-request summary carries the compliance KPIs of `isolint report`, which always
    // evaluates strictly (an unknown value makes a workspace unverified, not isolated).
    let kpis = (args.format == OutputFormat::Markdown)
        .then(|| report::markdown_kpis(&inputs, config.as_ref(), discovered.clone()));

    let Analyzed {
        sources,
        model: _,
        rule_options,
        findings,
        suppressions,
        diagnostics,
        notes: input_notes,
        files,
    } = pipeline::analyze(&inputs, config.as_ref(), discovered);

    // Suppressions, then the baseline: both only ever hide findings.
    let exceptions_root = config.as_ref().map_or(Path::new("."), Config::root);
    let applied = isolint_rules::apply_suppressions(
        findings,
        &suppressions,
        today(),
        &rule_options,
        &|file| suppress::relative_path(&sources, exceptions_root, file),
    );
    let mut findings = applied.findings;
    let mut suppressed = applied.suppressed;
    let mut notes = Vec::new();
    if let Some(baseline) = &baseline {
        let known = baseline.filter(&mut findings);
        if known > 0 {
            notes.push(format!(
                "{known} findings recorded in the baseline are not shown"
            ));
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

    let mut rules: Vec<&'static Rule> = RULES
        .iter()
        .copied()
        .filter(|rule| rule_options.enables(rule))
        .collect();
    if !suppressions.is_empty() {
        rules.extend(
            TOOL_RULES
                .iter()
                .copied()
                .filter(|r| rule_options.enables(r)),
        );
    }
    let fail_level = args
        .fail_level
        .map(Level::from)
        .or(config.as_ref().and_then(|c| c.fail_level))
        .unwrap_or(Level::Warning);

    if let Some(path) = &args.write_baseline {
        let written = match std::fs::write(path, baseline::render(&findings, &sources)) {
            Ok(()) => {
                if !args.quiet {
                    console::stderr_line(&format!(
                        "wrote {} to the baseline `{}`",
                        exit::counted(findings.len(), "finding", "findings"),
                        path.display()
                    ));
                }
                Outcome::Clean
            }
            Err(err) => {
                console::error(&format!("cannot write `{}`: {err}", path.display()));
                Outcome::Error
            }
        };
        return written.max(Outcome::of(&[], &diagnostics, fail_level));
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
    let written = write_output(args.output.as_deref(), &rendered);
    outcome = outcome.max(written);

    if args.format == OutputFormat::Text && !args.quiet {
        for note in input_notes.iter().chain(&notes) {
            console::stderr_line(&format!("note: {note}"));
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

/// The options `check` shares with `report`, borrowed from its arguments.
fn check_inputs(args: &CheckArgs) -> Inputs<'_> {
    Inputs {
        input: &args.input,
        strict: args.strict,
        select: &args.select,
        ignore: &args.ignore,
    }
}

/// The configuration: `--config FILE`, else the file found from the first path upward.
pub(crate) fn load_config(inputs: &Inputs<'_>) -> Result<Option<Config>, String> {
    let path: Option<PathBuf> = match &inputs.input.config {
        Some(path) => Some(path.clone()),
        None => inputs
            .input
            .paths
            .first()
            .and_then(|first| config::find(first)),
    };
    path.map(|path| config::load(&path)).transpose()
}

/// Today, in UTC, for suppressions' `until`.
pub(crate) fn today() -> Date {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Date::from_unix_seconds(seconds)
}

/// Suppressed findings in the order findings are rendered.
fn sort_suppressed(suppressed: &mut [Suppressed], sources: &SourceMap) {
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
fn with_suppressed(
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

/// `isolint init`: writes the starter configuration, never over an existing file unless
/// `--force`.
pub(crate) fn init(args: &InitArgs) -> Outcome {
    if args.path.exists() && !args.force {
        console::error(&format!(
            "`{}` exists; use --force to overwrite it",
            args.path.display()
        ));
        return Outcome::Error;
    }
    match std::fs::write(&args.path, config::STARTER) {
        Ok(()) => {
            console::stderr_line(&format!("wrote `{}`", args.path.display()));
            Outcome::Clean
        }
        Err(err) => {
            console::error(&format!("cannot write `{}`: {err}", args.path.display()));
            Outcome::Error
        }
    }
}

/// Compiles `--include`/`--exclude` and the configuration's globs, and collects the walk
/// options.
pub(crate) fn discovery_settings(
    inputs: &Inputs<'_>,
    config: Option<&Config>,
) -> Result<Settings, String> {
    let config_filter = match config {
        Some(config) if !config.include.is_empty() || !config.exclude.is_empty() => {
            Some(discover::ConfigFilter {
                root: std::path::absolute(config.root()).map_err(|err| {
                    format!("cannot resolve `{}`: {err}", config.root().display())
                })?,
                include: glob_set(&config.include, "include")?,
                exclude: glob_set(&config.exclude, "exclude")?,
            })
        }
        _ => None,
    };
    Ok(Settings {
        config_filter,
        include: glob_set(&inputs.input.include, "--include")?,
        exclude: glob_set(&inputs.input.exclude, "--exclude")?,
        honour_ignore_files: !inputs.input.no_ignore,
        follow_links: inputs.input.follow,
        accepts: frontend::accepts_any,
        formats: frontend::format_names(),
    })
}

fn glob_set(globs: &[Glob], option: &str) -> Result<Option<GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(glob.clone());
    }
    builder
        .build()
        .map(Some)
        .map_err(|err| format!("invalid {option} globs: {err}"))
}

/// `--list-files`: the files on standard output, problems on standard error.
fn list_files(mut discovered: Discovered, quiet: bool) -> Outcome {
    sort_diagnostics(&mut discovered.diagnostics);
    let mut listing = String::new();
    for file in &discovered.files {
        listing.push_str(&file.to_string_lossy());
        listing.push('\n');
    }
    let written = console::stdout(&listing);
    for diagnostic in &discovered.diagnostics {
        let severity = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        console::stderr_line(&format!(
            "{severity}[{}]: {}: {}",
            diagnostic.code,
            diagnostic.path.display(),
            diagnostic.message
        ));
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

/// Orders diagnostics by file and position, whichever thread or frontend found them.
pub(crate) fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        a.path
            .cmp(&b.path)
            .then_with(|| {
                a.span
                    .map(|s| (s.start, s.end))
                    .cmp(&b.span.map(|s| (s.start, s.end)))
            })
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// The wrap width: `COLUMNS` when it holds a sensible number.
fn width(columns: Option<&OsStr>) -> usize {
    columns
        .and_then(OsStr::to_str)
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20)
        .unwrap_or(DEFAULT_WIDTH)
}

/// Writes a rendered report to `--output FILE`, or to standard output.
pub(crate) fn write_output(output: Option<&Path>, rendered: &str) -> Outcome {
    match output {
        Some(path) => match std::fs::write(path, rendered) {
            Ok(()) => Outcome::Clean,
            Err(err) => {
                console::error(&format!("cannot write `{}`: {err}", path.display()));
                Outcome::Error
            }
        },
        None => console::stdout(rendered),
    }
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

    #[test]
    fn diagnostics_sort_by_path_then_position() {
        let mut diagnostics = vec![
            Diagnostic::error("io-error", "b", "z.json"),
            Diagnostic::error("parse-error", "a", "a.json"),
            Diagnostic::error("io-error", "a", "z.json"),
        ];
        sort_diagnostics(&mut diagnostics);
        let order: Vec<(String, &str)> = diagnostics
            .iter()
            .map(|d| (d.path.display().to_string(), d.message.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("a.json".to_owned(), "a"),
                ("z.json".to_owned(), "a"),
                ("z.json".to_owned(), "b"),
            ]
        );
    }
}
