//! `check --fix`: the edits rules attach to findings, applied to the files of the scan.
//!
//! A fix rewrites a literal (`'Enabled'` → `'Disabled'`); it is applied only in a file the
//! run was asked to check (discovered under the paths given), never in a module cache or a
//! file read only because something referenced it, and only where the file still holds
//! the literal the rule saw. Safe fixes are applied; unsafe ones (a parameter's default,
//! which other resources may share) only with `--unsafe-fixes`. Each file is rewritten
//! atomically, once per pass; the analysis runs again after each pass, since a fix may
//! reveal the next (a finding about two switches closes one per pass), until nothing is
//! left to fix: a second `--fix` changes nothing.

use std::collections::BTreeMap;
use std::path::PathBuf;

use isolint_model::source::normalize;
use isolint_model::{FileId, SourceMap};
use isolint_rules::{Finding, Fix, Safety};

use crate::analysis::{self, Analyzed};
use crate::console;
use crate::context::{self, Context};
use crate::exit;
use crate::files;
use crate::suppress;

/// The most passes `--fix` makes: each pass fixes what the last analysis offered.
const MAX_PASSES: usize = 8;

/// What `--fix` applies.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FixOptions {
    /// Also the unsafe fixes (`--unsafe-fixes`).
    pub(crate) unsafe_fixes: bool,
    /// Print nothing but errors (`--quiet`).
    pub(crate) quiet: bool,
}

/// One edit made.
struct Change {
    /// Where, as the user reads it: `infra/main.bicep:12:26`.
    at: String,
    /// What it did.
    title: String,
    /// The rule whose finding it fixed.
    rule: &'static str,
}

/// Applies the fixes of `analyzed`'s findings (the selected, unsuppressed ones) pass after
/// pass, printing each change, and returns the analysis of the fixed files. An error (a
/// file that cannot be written) ends the passes; it is printed, and the flag returned is
/// set.
pub(crate) fn fix(
    context: &Context<'_>,
    rule_options: &isolint_rules::Options,
    mut analyzed: Analyzed,
    options: FixOptions,
) -> (Analyzed, bool) {
    let mut made = 0;
    let mut files_changed = std::collections::BTreeSet::new();
    for _ in 0..MAX_PASSES {
        let discovered = context.discover();
        let editable: Vec<PathBuf> = discovered.files.iter().map(|f| normalize(f)).collect();
        let findings = unsuppressed(context, rule_options, &analyzed);
        let pass = match apply_pass(&findings, &analyzed.sources, &editable, options) {
            Ok(pass) => pass,
            Err(message) => {
                console::error(&message);
                return (analyzed, true);
            }
        };
        if pass.is_empty() {
            break;
        }
        for (path, changes) in &pass {
            files_changed.insert(path.clone());
            made += changes.len();
            if !options.quiet {
                for change in changes {
                    console::stderr_line(&format!(
                        "fixed {}: {} ({})",
                        change.at, change.title, change.rule
                    ));
                }
            }
        }
        analyzed = analysis::analyze(context, discovered, rule_options);
    }
    if !options.quiet && made > 0 {
        console::stderr_line(&format!(
            "applied {} to {}",
            exit::counted(made, "fix", "fixes"),
            exit::counted(files_changed.len(), "file", "files"),
        ));
    }
    (analyzed, false)
}

/// The selected findings that no suppression hides: the ones `check` would show.
fn unsuppressed(
    context: &Context<'_>,
    rule_options: &isolint_rules::Options,
    analyzed: &Analyzed,
) -> Vec<Finding> {
    let sources = &analyzed.sources;
    isolint_rules::apply_suppressions(
        analyzed.selected(rule_options),
        &analyzed.suppressions,
        context::today(),
        rule_options,
        &|file| suppress::relative_path(sources, context.exceptions_root(), file),
    )
    .findings
}

/// One pass: the fixes of `findings` that may be applied, grouped by file, applied to each
/// file's text and written. The changes made, by file.
fn apply_pass(
    findings: &[Finding],
    sources: &SourceMap,
    editable: &[PathBuf],
    options: FixOptions,
) -> Result<BTreeMap<PathBuf, Vec<Change>>, String> {
    let mut by_file: BTreeMap<FileId, Vec<(&Fix, &'static str)>> = BTreeMap::new();
    for finding in findings {
        let Some(fix) = &finding.fix else {
            continue;
        };
        if fix.safety == Safety::Unsafe && !options.unsafe_fixes {
            continue;
        }
        by_file
            .entry(fix.span.file)
            .or_default()
            .push((fix, finding.rule.id));
    }
    let mut out = BTreeMap::new();
    for (file, fixes) in by_file {
        let Some(source) = sources.get(file) else {
            continue;
        };
        if source.hidden || !editable.contains(&normalize(&source.path)) {
            continue;
        }
        // The file must still be what was analyzed, or the spans mean nothing.
        match std::fs::read_to_string(&source.path) {
            Ok(on_disk) if *on_disk == *source.text => {}
            _ => continue,
        }
        let edits: Vec<&Fix> = fixes.iter().map(|(fix, _)| *fix).collect();
        let (text, applied) = isolint_rules::apply_fixes(&source.text, &edits);
        if applied.is_empty() {
            continue;
        }
        files::write_atomic(&source.path, &text).map_err(|err| {
            format!(
                "cannot write the fixes to `{}`: {}",
                source.name,
                files::io_message(&err)
            )
        })?;
        let changes = applied
            .iter()
            .map(|fix| {
                let position = source.position(fix.span.start);
                let rule = fixes
                    .iter()
                    .find(|(candidate, _)| std::ptr::eq(*candidate, *fix))
                    .map_or("", |(_, rule)| rule);
                Change {
                    at: format!("{}:{}:{}", source.name, position.line, position.column),
                    title: fix.title.clone(),
                    rule,
                }
            })
            .collect();
        out.insert(source.path.clone(), changes);
    }
    Ok(out)
}

/// How many of `findings` a `--fix` run would fix, and how many more with
/// `--unsafe-fixes`: for the summary of a run without `--fix`.
pub(crate) fn available(findings: &[Finding]) -> (usize, usize) {
    let count = |safety| {
        findings
            .iter()
            .filter(|f| f.fix.as_ref().is_some_and(|fix| fix.safety == safety))
            .count()
    };
    (count(Safety::Safe), count(Safety::Unsafe))
}

/// The note of a run without `--fix` whose findings have fixes.
pub(crate) fn available_note(safe: usize, unsafe_fixes: usize) -> String {
    let findings = |n| exit::counted(n, "finding", "findings");
    match (safe, unsafe_fixes) {
        (0, n) => format!(
            "note: {} can be fixed with --fix --unsafe-fixes, which rewrites parameter defaults",
            findings(n)
        ),
        (n, 0) => format!("note: {} can be fixed with --fix", findings(n)),
        (n, more) => format!(
            "note: {} can be fixed with --fix ({more} more with --unsafe-fixes, which rewrites parameter defaults)",
            findings(n)
        ),
    }
}
