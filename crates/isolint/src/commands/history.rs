//! `isolint report --history [--since DATE]`: walks the current branch's commits (first
//! parent, from the oldest in the window), analyses each commit whose infrastructure files
//! differ from the one before (an unchanged tree is not even listed again, an unchanged
//! blob not read again), and records when each finding of each workspace opened and closed;
//! `isolint_rules::history` does the arithmetic, `isolint_output` the rendering.

use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use isolint_model::Severity;
use isolint_output::ReportFormat as Format;
use isolint_rules::Date;
use isolint_rules::change::{Comparison, continued};
use isolint_rules::history::{self, Ledger, Walk};

use crate::analysis::Analyzed;
use crate::cli::{GIT, ReportArgs, ReportFormat};
use crate::console;
use crate::context::{self, Context};
use crate::exit::Outcome;
use crate::git::{Commit, Repository, SHALLOW_HELP};
use crate::revision::Revisions;

/// The options of `isolint report` that turn it into the history of the findings.
#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// Report, per workspace, when each finding opened and closed over the commits of the
    /// current branch (first parent), the mean time to remediate (MTTR) and the age of the
    /// findings still open, instead of the state of the work tree.
    #[arg(long, help_heading = GIT)]
    pub(crate) history: bool,

    /// With --history: start at the first commit of DATE (YYYY-MM-DD, UTC). Findings there
    /// already opened on or before it, and are left out of the MTTR.
    #[arg(long, value_name = "DATE", requires = "history", value_parser = parse_date, help_heading = GIT)]
    pub(crate) since: Option<Date>,
}

/// Commits walked at most: far more than any branch a review looks at, and a bound on the
/// work a crafted repository can ask for.
const MAX_COMMITS: usize = 1_000_000;

/// Runs `isolint report --history`.
pub(crate) fn run(args: &ReportArgs) -> Outcome {
    match walk(args) {
        Ok(outcome) => outcome,
        Err(message) => {
            console::error(&message);
            Outcome::Error
        }
    }
}

fn walk(args: &ReportArgs) -> Result<Outcome, String> {
    let context = Context::load(&args.input)?;
    let first = args
        .input
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| ".".into());
    let repo = Repository::discover(&first)?;
    let since = args.history.since;
    let (commits, cut) = branch(&repo, since)?;

    // Every rule, strictly as the report does; only problems are tracked.
    let options = context.rule_options(&[], &[], true);
    let mut revisions = Revisions::new(&repo);
    let mut ledger = Ledger::default();
    let mut previous: Option<Evaluated> = None;
    let mut previous_listing = None;
    let mut evaluated = 0;
    for (position, commit) in commits.iter().enumerate() {
        let listing = revisions.listing(commit)?;
        if previous_listing.as_ref() == Some(&listing) {
            continue;
        }
        previous_listing = Some(listing.clone());
        let analyzed = revisions.analyze(&context, &listing, &commit.short_id(), &options);
        // A commit whose files cannot all be read says nothing of the findings in them:
        // its findings would seem to close, and open again at the fix.
        if analyzed
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
        {
            continue;
        }
        evaluated += 1;
        let shown = history_commit(commit);
        let findings: Vec<isolint_rules::Finding> = analyzed
            .findings
            .iter()
            .filter(|f| history::tracks(f) && options.enables(f.rule))
            .cloned()
            .collect();
        let workspaces = history::workspaces_of(&analyzed.model, &findings);
        let opened_before = position == 0 && cut;
        let mut handles: Vec<Vec<(String, usize)>> = Vec::with_capacity(findings.len());
        match &previous {
            None => {
                for (finding, names) in findings.iter().zip(&workspaces) {
                    handles.push(
                        names
                            .iter()
                            .map(|name| {
                                (
                                    name.clone(),
                                    ledger.open(finding, name, &shown, opened_before),
                                )
                            })
                            .collect(),
                    );
                }
            }
            Some(before) => {
                let comparison = Comparison::new(
                    &before.analyzed.model,
                    &before.analyzed.sources,
                    &analyzed.model,
                    &analyzed.sources,
                );
                let earlier = continued(&comparison, &before.findings, &findings);
                let mut carried = vec![false; before.findings.len()];
                for ((finding, names), earlier) in findings.iter().zip(&workspaces).zip(earlier) {
                    let old: &[(String, usize)] = match earlier {
                        Some(index) => {
                            carried[index] = true;
                            &before.handles[index]
                        }
                        None => &[],
                    };
                    let mut mine = Vec::with_capacity(names.len());
                    for name in names {
                        let handle = old
                            .iter()
                            .find(|(workspace, _)| workspace == name)
                            .map_or_else(|| ledger.open(finding, name, &shown, false), |(_, h)| *h);
                        mine.push((name.clone(), handle));
                    }
                    // A workspace the finding no longer counts for is rid of it.
                    for (workspace, handle) in old {
                        if !names.contains(workspace) {
                            ledger.close(*handle, &shown);
                        }
                    }
                    handles.push(mine);
                }
                for (index, kept) in carried.into_iter().enumerate() {
                    if !kept {
                        for (_, handle) in &before.handles[index] {
                            ledger.close(*handle, &shown);
                        }
                    }
                }
            }
        }
        previous = Some(Evaluated {
            analyzed,
            findings,
            handles,
        });
    }

    let walk = Walk {
        since,
        now: now(),
        commits: commits.len(),
        evaluated,
        head: commits.last().map(history_commit),
    };
    let history = ledger.into_history(walk);
    let rendered = isolint_output::render_history(
        match args.format {
            ReportFormat::Text => Format::Text,
            ReportFormat::Json => Format::Json,
            ReportFormat::Markdown => Format::Markdown,
        },
        &history,
    );
    let sources = previous
        .map(|last| last.analyzed.sources)
        .unwrap_or_default();
    Ok(context::write_output(
        &context,
        args.output.as_deref(),
        &rendered,
        &sources,
    ))
}

/// The analysis of the last commit evaluated, and the ledger's handles of its findings.
struct Evaluated {
    analyzed: Analyzed,
    /// The tracked findings.
    findings: Vec<isolint_rules::Finding>,
    /// For each of `findings`, the workspaces it counts for and its record there.
    handles: Vec<Vec<(String, usize)>>,
}

/// The commits of the current branch from `HEAD` back along first parents, the oldest
/// first, stopping before the first commit older than `since`; and whether the walk was
/// cut there (earlier commits exist). A history that stops short of `since` in a shallow
/// clone is an error: its first findings would seem to open at the clone's depth.
fn branch(repo: &Repository, since: Option<Date>) -> Result<(Vec<Commit>, bool), String> {
    let start = since.map(Date::unix_seconds);
    let mut commits = Vec::new();
    let mut next = Some(repo.head()?);
    let mut cut = false;
    while let Some(commit) = next.take() {
        if start.is_some_and(|start| commit.seconds < start) {
            cut = true;
            break;
        }
        if commits.len() >= MAX_COMMITS {
            return Err(format!(
                "the branch has more than {MAX_COMMITS} commits: give --since a later date"
            ));
        }
        if let Some(parent) = commit.parent {
            next = repo.commit(parent)?;
            if next.is_none() {
                return Err(format!(
                    "the history stops at commit {} ({}): its parent `{parent}` is missing{}",
                    commit.short_id(),
                    Date::from_unix_seconds(u64::try_from(commit.seconds).unwrap_or(0)),
                    if repo.is_shallow() {
                        SHALLOW_HELP
                    } else {
                        "; the repository is damaged"
                    }
                ));
            }
        }
        commits.push(commit);
    }
    commits.reverse();
    Ok((commits, cut))
}

fn history_commit(commit: &Commit) -> history::Commit {
    history::Commit {
        id: commit.short_id(),
        seconds: commit.seconds,
        summary: commit.summary.clone(),
    }
}

/// The moment open findings are aged at: `SOURCE_DATE_EPOCH` when set (reproducible
/// reports), else the clock.
fn now() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|text| text.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| {
                    i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
                })
        })
}

/// `--since`: a date of the form YYYY-MM-DD.
fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text.trim())
}
