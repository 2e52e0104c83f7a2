//! Coverage gaps: where a module that cannot be read is called, why, and what to run.

use std::sync::Arc;

use isolint_model::coverage::{Gap, Remedy};
use isolint_model::{Analysis, RootId, Span, Syntax};
use rustc_hash::FxHashSet;

use crate::unresolved::{Unresolved, UnresolvedCause};

/// Where a module is called: what a gap about it is located at.
#[derive(Clone, Debug)]
pub(crate) struct Call {
    /// The reference as written (`br/public:avm/res/x:1.0.0`, `./modules/sa`).
    pub(crate) reference: String,
    /// Where the reference is written.
    pub(crate) at: Span,
    /// The whole module call.
    pub(crate) declaration: Span,
    /// The language of the file it is written in.
    pub(crate) syntax: Syntax,
}

impl Call {
    /// A gap at this call.
    pub(crate) fn gap(&self, reason: String, fix: String, remedy: Remedy, subject: String) -> Gap {
        Gap {
            reference: self.reference.clone(),
            reason,
            fix,
            remedy,
            subject,
            at: self.at,
            declaration: self.declaration,
            syntax: self.syntax,
            module_path: Arc::from(Vec::new()),
            calls: Arc::from(Vec::new()),
        }
    }

    /// The gap of a module a resolver could not follow; `subject` is what its fix names
    /// (the Bicep file to restore, the Terraform folder to initialise).
    pub(crate) fn unresolved(&self, unresolved: &Unresolved, subject: String) -> Gap {
        let remedy = match unresolved.cause {
            UnresolvedCause::InvalidReference | UnresolvedCause::UnknownAlias => Remedy::Reference,
            UnresolvedCause::NoCache | UnresolvedCause::NotRestored => Remedy::BicepRestore,
            UnresolvedCause::NotInitialized
            | UnresolvedCause::ManifestUnreadable
            | UnresolvedCause::NotInstalled
            | UnresolvedCause::Stale => Remedy::TerraformInit,
            UnresolvedCause::OutsideRoot => Remedy::OutsideRoot,
        };
        self.gap(
            unresolved.reason.clone(),
            unresolved.fix.clone(),
            remedy,
            subject,
        )
    }
}

/// Adds each gap once (by location and reference) to `analysis`, as a resource.
pub(crate) fn add_resources(gaps: impl Iterator<Item = Gap>, analysis: &mut Analysis) {
    let mut seen: FxHashSet<(Span, String)> = FxHashSet::default();
    let root = RootId::fresh();
    for gap in gaps {
        if seen.insert((gap.at, gap.reference.clone())) {
            analysis.resources.push(gap.into_resource(root));
        }
    }
}
