//! A deployment at a git commit, analysed as the work tree is: the commit's tree listed,
//! the same discovery over the listing, its files served at their work-tree paths by a
//! map of sources that reads nothing of the work tree but its module caches, and the same analysis.
//!
//! [`analyze`] is the one door of `diff` and `report --history` into the analysis: the work
//! tree's side and every revision's go through it, and through the same deployment graph.

use std::path::Path;

use crate::analysis::{self, Analyzed, Tree};
use crate::context::Context;
use crate::discover::Discovered;
use crate::frontend;
use crate::git::discover::{self as tree_discovery, IgnoreRules, is_ignore_file};
use crate::git::snapshot::{Listing, Reader};
use crate::git::{Commit, Repository};

/// The analysis of the files of `discovered`, read from `tree` (the disk, or a revision's
/// files), with the run's rule options.
pub(crate) fn analyze(
    context: &Context<'_>,
    tree: Tree,
    discovered: Discovered,
    options: &isolint_rules::Options,
) -> Analyzed {
    analysis::analyze_in(context, tree, discovered, options)
}

/// Whether a file of a tree matters to a run: a frontend reads it (a template, a parameter
/// or variable file), or discovery does (an ignore file).
fn listed(path: &Path) -> bool {
    served(path) || is_ignore_file(path)
}

/// Whether a frontend may read a file of a tree.
fn served(path: &Path) -> bool {
    frontend::accepts_any(path) || frontend::configured_by(path).is_some()
}

/// Reads the commits of one repository for one run, remembering the trees and blobs read.
pub(crate) struct Revisions<'r> {
    repo: &'r Repository,
    reader: Reader<'r>,
}

impl<'r> Revisions<'r> {
    /// A reader of `repo`'s commits.
    pub(crate) fn new(repo: &'r Repository) -> Self {
        Self {
            repo,
            reader: Reader::new(repo, listed),
        }
    }

    /// The files of `commit` that matter to a run (each tree is listed once per reader).
    pub(crate) fn listing(&mut self, commit: &Commit) -> Result<Listing, String> {
        self.reader.list(commit.tree)
    }

    /// The deployment of `listing` (the files of the commit named `at`): discovered from the
    /// paths of the run and analysed with `options`.
    pub(crate) fn analyze(
        &mut self,
        context: &Context<'_>,
        listing: &Listing,
        at: &str,
        options: &isolint_rules::Options,
    ) -> Analyzed {
        let work_tree = self.repo.work_tree();
        let mut diagnostics = Vec::new();
        let ignore_rules =
            IgnoreRules::compile(listing, &mut self.reader, work_tree, &mut diagnostics);
        let mut discovered = tree_discovery::discover(
            listing,
            &ignore_rules,
            work_tree,
            &context.input.paths,
            context.settings(),
            at,
        );
        let (texts, unreadable) = self.reader.texts(listing, served, at);
        // A file that cannot be served (too large, binary) is an error where the run reads
        // it, and nothing elsewhere in the tree.
        for diagnostic in unreadable {
            if let Some(position) = discovered.files.iter().position(|f| *f == diagnostic.path) {
                discovered.files.remove(position);
                discovered.diagnostics.push(diagnostic);
            }
        }
        discovered.diagnostics.extend(diagnostics);
        analyze(context, Tree::Revision(texts), discovered, options)
    }
}
