//! Which units of a call graph are evaluated as roots: template files (ARM, Bicep) or
//! Terraform folders, read because the run asked for them or to judge a named file in its
//! context.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;

/// Why a unit was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scan {
    /// A unit of the run: a root unless another unit calls it.
    Requested,
    /// A unit read to judge a named file in its context: a root only if it reaches one.
    Context,
}

impl Scan {
    /// Records in `slot` why a unit is read, when it is read again for `requested` (a
    /// unit of the run) or for context: a unit the run asked for stays one.
    pub(crate) fn record(slot: &mut Option<Self>, requested: bool) {
        if *slot != Some(Self::Requested) {
            *slot = Some(if requested {
                Self::Requested
            } else {
                Self::Context
            });
        }
    }
}

/// The roots among `scanned` (in its order, cycles last): each unit nothing calls, then one
/// unit of each cycle no root reaches. A unit read for context stays a root only if what it
/// reaches satisfies `reaches_named`. `callees` gives the units a unit calls, or `None`
/// for a unit that was not read.
pub(crate) fn choose(
    scanned: &[(&PathBuf, Scan)],
    is_called: &dyn Fn(&Path) -> bool,
    callees: &dyn Fn(&Path) -> Option<Vec<PathBuf>>,
    reaches_named: &dyn Fn(&[PathBuf]) -> bool,
) -> Vec<PathBuf> {
    let reach = |from: &Path, reached: &mut FxHashSet<PathBuf>| {
        let mut pending = vec![from.to_path_buf()];
        while let Some(unit) = pending.pop() {
            if reached.contains(&unit) {
                continue;
            }
            if let Some(next) = callees(&unit) {
                reached.insert(unit);
                pending.extend(next);
            }
        }
    };
    let mut roots: Vec<(PathBuf, Scan)> = scanned
        .iter()
        .filter(|(unit, _)| !is_called(unit))
        .map(|(unit, scan)| ((*unit).clone(), *scan))
        .collect();
    let mut reached = FxHashSet::default();
    for (root, _) in &roots {
        reach(root, &mut reached);
    }
    for (unit, scan) in scanned {
        if !reached.contains(*unit) {
            reach(unit, &mut reached);
            roots.push(((*unit).clone(), *scan));
        }
    }
    roots
        .into_iter()
        .filter(|(root, scan)| {
            *scan == Scan::Requested || {
                let mut from_here = FxHashSet::default();
                reach(root, &mut from_here);
                reaches_named(&from_here.into_iter().collect::<Vec<_>>())
            }
        })
        .map(|(root, _)| root)
        .collect()
}
