//! The history of findings over commits (`isolint report --history`): per workspace, when
//! each finding opened and when it closed, the mean time to remediate (MTTR) over those that
//! closed, and the age of those still open. Plain arithmetic over what the CLI's walk
//! through the commits saw; `isolint_output` renders it.
//!
//! A finding is tracked per workspace it counts for (the workspace, its linked dependencies,
//! its computes and outbound rules, the private endpoints to it: the report's grouping), so
//! a storage account shared by two workspaces is a finding of each. Notes about values
//! isolint cannot settle, and the findings about suppressions, are not tracked: they are
//! no problem of the deployment. Suppressions do not close a finding: an exception is not
//! a remediation.

use std::collections::HashSet;

use isolint_model::types::ML_WORKSPACE;
use isolint_model::{Model, Span};

use crate::aml::WorkspaceKind;
use crate::finding::{Finding, ResourceIdentity};
use crate::report::group;
use crate::rule::{Protects, Rule};
use crate::suppression::Date;

/// A commit, as the history shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    /// The abbreviated id.
    pub id: String,
    /// The committer's time, in seconds since the Unix epoch.
    pub seconds: i64,
    /// The first line of the message.
    pub summary: String,
}

/// One finding of one workspace, from the commit that opened it to the one that closed it.
#[derive(Clone, Debug)]
pub struct Record {
    /// The rule that reported it.
    pub rule: &'static Rule,
    /// The workspace it counts for.
    pub workspace: String,
    /// The resource it is about.
    pub resource: String,
    /// The message when it was first reported.
    pub message: String,
    /// The first commit that had it.
    pub opened: Commit,
    /// Set when the history starts at `--since` with the finding already there: it opened
    /// at or before `opened`, and its time to remediate is not known.
    pub opened_before: bool,
    /// The first commit that no longer had it, if one did.
    pub closed: Option<Commit>,
}

impl Record {
    /// How long it stayed open, in seconds: until it closed, else until `now`.
    pub fn duration(&self, now: i64) -> i64 {
        let end = self.closed.as_ref().map_or(now, |closed| closed.seconds);
        (end - self.opened.seconds).max(0)
    }
}

/// The findings of a walk through history, as they open and close. The CLI walks the
/// commits from the oldest, and tells the ledger which findings each commit opens and which
/// it closes.
#[derive(Debug, Default)]
pub struct Ledger {
    records: Vec<Record>,
}

impl Ledger {
    /// Records `finding`, counted for `workspace`, as opened at `commit` (or before it, at
    /// the start of a window), and returns its handle for [`Ledger::close`].
    pub fn open(
        &mut self,
        finding: &Finding,
        workspace: &str,
        commit: &Commit,
        opened_before: bool,
    ) -> usize {
        self.records.push(Record {
            rule: finding.rule,
            workspace: workspace.to_owned(),
            resource: finding.resource.name.clone(),
            message: finding.message.clone(),
            opened: commit.clone(),
            opened_before,
            closed: None,
        });
        self.records.len() - 1
    }

    /// Records the finding `handle` as closed at `commit`.
    pub fn close(&mut self, handle: usize, commit: &Commit) {
        if let Some(record) = self.records.get_mut(handle)
            && record.closed.is_none()
        {
            record.closed = Some(commit.clone());
        }
    }

    /// The history, with open findings aged at `now`.
    pub fn into_history(self, walk: Walk) -> History {
        let mut names: Vec<String> = self.records.iter().map(|r| r.workspace.clone()).collect();
        names.sort();
        names.dedup();
        let mut workspaces: Vec<WorkspaceHistory> = names
            .into_iter()
            .map(|name| WorkspaceHistory {
                workspace: name,
                remediated: Vec::new(),
                open: Vec::new(),
            })
            .collect();
        for record in self.records {
            if let Some(row) = workspaces
                .iter_mut()
                .find(|w| w.workspace == record.workspace)
            {
                if record.closed.is_some() {
                    row.remediated.push(record);
                } else {
                    row.open.push(record);
                }
            }
        }
        for row in &mut workspaces {
            row.remediated.sort_by(|a, b| {
                (a.opened.seconds, a.rule.id, &a.resource).cmp(&(
                    b.opened.seconds,
                    b.rule.id,
                    &b.resource,
                ))
            });
            row.open.sort_by(|a, b| {
                (a.opened.seconds, a.rule.id, &a.resource).cmp(&(
                    b.opened.seconds,
                    b.rule.id,
                    &b.resource,
                ))
            });
        }
        History { walk, workspaces }
    }
}

/// What the walk covered.
#[derive(Clone, Debug)]
pub struct Walk {
    /// The first day of the window (`--since`), if one was given.
    pub since: Option<Date>,
    /// The moment ages are measured at, in seconds since the Unix epoch.
    pub now: i64,
    /// The commits of the branch in the window, first-parent.
    pub commits: usize,
    /// Those whose infrastructure files differ from the commit before, which were analysed.
    pub evaluated: usize,
    /// The newest commit.
    pub head: Option<Commit>,
}

/// One workspace's findings over the walk.
#[derive(Clone, Debug)]
pub struct WorkspaceHistory {
    /// The workspace's name.
    pub workspace: String,
    /// The findings that closed, the oldest first.
    pub remediated: Vec<Record>,
    /// The findings still open at the newest commit, the oldest first.
    pub open: Vec<Record>,
}

impl WorkspaceHistory {
    /// The mean time to remediate, in seconds, over the findings that closed and whose
    /// opening the walk saw; `None` when there is none.
    pub fn mttr(&self) -> Option<i64> {
        mean_time_to_remediate(self.remediated.iter())
    }
}

/// The whole history.
#[derive(Clone, Debug)]
pub struct History {
    /// What the walk covered.
    pub walk: Walk,
    /// The workspaces with findings, by name.
    pub workspaces: Vec<WorkspaceHistory>,
}

impl History {
    /// The mean time to remediate over every workspace's remediated findings.
    pub fn mttr(&self) -> Option<i64> {
        mean_time_to_remediate(self.workspaces.iter().flat_map(|w| &w.remediated))
    }

    /// How many findings closed.
    pub fn remediated(&self) -> usize {
        self.workspaces.iter().map(|w| w.remediated.len()).sum()
    }

    /// How many findings are open.
    pub fn open(&self) -> usize {
        self.workspaces.iter().map(|w| w.open.len()).sum()
    }
}

/// The mean of the times to remediate of `records` that closed and whose opening is known,
/// rounded down to the second.
fn mean_time_to_remediate<'r>(records: impl Iterator<Item = &'r Record>) -> Option<i64> {
    let durations: Vec<i64> = records
        .filter(|r| r.closed.is_some() && !r.opened_before)
        .map(|r| r.duration(0))
        .collect();
    let count = i64::try_from(durations.len()).ok().filter(|&n| n > 0)?;
    Some(durations.iter().sum::<i64>() / count)
}

/// Whether the history tracks `finding`: a problem of the deployment, not a note about a
/// value isolint cannot settle nor a finding about a suppression.
pub fn tracks(finding: &Finding) -> bool {
    !finding.unresolved && finding.rule.protects != Protects::Suppressions
}

/// For each finding, the names of the workspaces it counts for (projects answer to their
/// hub and have no row), sorted; a finding about no workspace's resources has none.
pub fn workspaces_of(model: &Model, findings: &[Finding]) -> Vec<Vec<String>> {
    let mut members: Vec<(String, HashSet<Span>)> = Vec::new();
    for workspace in model
        .graph()
        .resources_of(ML_WORKSPACE)
        .filter(|w| !w.existing && WorkspaceKind::of(w) != WorkspaceKind::Project)
    {
        let declarations = group(model, workspace)
            .into_iter()
            .map(|member| ResourceIdentity::of(member).declaration)
            .collect();
        members.push((workspace.display_name(), declarations));
    }
    findings
        .iter()
        .map(|finding| {
            let mut names: Vec<String> = members
                .iter()
                .filter(|(_, declared)| declared.contains(&finding.resource.declaration))
                .map(|(name, _)| name.clone())
                .collect();
            names.sort();
            names.dedup();
            names
        })
        .collect()
}

#[cfg(test)]
mod tests;
