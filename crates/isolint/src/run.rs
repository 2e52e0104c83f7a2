//! The `check` pipeline: discover, analyze per frontend, build the model, run the rules,
//! render, write, and pick the exit code.

use std::ffi::OsStr;
use std::io::IsTerminal as _;
use std::time::Instant;

use globset::{Glob, GlobSet, GlobSetBuilder};
use isolint_model::{Diagnostic, Model, Severity, SourceMap};
use isolint_output::{Report, TextOptions};
use isolint_rules::{RULES, Rule};

use crate::cli::{CheckArgs, OutputFormat};
use crate::console;
use crate::discover::{self, Discovered, Settings};
use crate::exit::{self, Outcome};
use crate::frontend::{self, FrontendOptions};

/// The wrap width of the text format when `COLUMNS` does not say.
const DEFAULT_WIDTH: usize = 80;

/// Runs `isolint check`.
pub(crate) fn check(args: &CheckArgs, started: Instant) -> Outcome {
    let settings = match discovery_settings(args) {
        Ok(settings) => settings,
        Err(message) => {
            console::error(&message);
            return Outcome::Error;
        }
    };
    let discovered = discover::discover(&args.paths, &settings);
    if args.list_files {
        return list_files(discovered, args.quiet);
    }

    let sources = SourceMap::new();
    let frontend_options = FrontendOptions {
        arm: isolint_arm::Options {
            parameter_files: args.parameter_files.clone(),
        },
    };
    let analysis = frontend::analyze_all(&discovered.files, &sources, &frontend_options);
    let mut diagnostics = discovered.diagnostics;
    diagnostics.extend(analysis.diagnostics);
    sort_diagnostics(&mut diagnostics);

    let rule_options = isolint_rules::Options {
        select: args.select.iter().map(|r| r.id.to_owned()).collect(),
        ignore: args.ignore.iter().map(|r| r.id.to_owned()).collect(),
        strict: args.strict,
    };
    let model = Model::new(analysis.resources);
    let mut findings = isolint_rules::check(&model, &rule_options);
    isolint_rules::sort_findings(&mut findings, &sources);
    let rules: Vec<&'static Rule> = RULES
        .iter()
        .copied()
        .filter(|rule| rule_options.enables(rule))
        .collect();

    let report = Report {
        findings: &findings,
        diagnostics: &diagnostics,
        sources: &sources,
        rules: &rules,
    };
    let text_options = TextOptions {
        color: args.color.enabled(
            args.output.is_none() && std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        ),
        width: width(std::env::var_os("COLUMNS").as_deref()),
        ..TextOptions::default()
    };
    let rendered = isolint_output::render(args.format.into(), &report, &text_options);

    let mut outcome = Outcome::of(&findings, &diagnostics, args.fail_level.into());
    let written = match &args.output {
        Some(path) => match std::fs::write(path, &rendered) {
            Ok(()) => Outcome::Clean,
            Err(err) => {
                console::error(&format!("cannot write `{}`: {err}", path.display()));
                Outcome::Error
            }
        },
        None => console::stdout(&rendered),
    };
    outcome = outcome.max(written);

    if args.format == OutputFormat::Text && !args.quiet {
        for note in discovered.notes.iter().chain(&analysis.notes) {
            console::stderr_line(&format!("note: {note}"));
        }
        console::stderr_line(&exit::summary(
            discovered.files.len(),
            &findings,
            &diagnostics,
            started.elapsed(),
        ));
    }
    outcome
}

/// Compiles `--include`/`--exclude` and collects the walk options.
fn discovery_settings(args: &CheckArgs) -> Result<Settings, String> {
    Ok(Settings {
        include: glob_set(&args.include, "--include")?,
        exclude: glob_set(&args.exclude, "--exclude")?,
        honour_ignore_files: !args.no_ignore,
        follow_links: args.follow,
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
fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
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
