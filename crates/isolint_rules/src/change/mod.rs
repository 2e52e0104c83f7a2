//! Change rules (`CHGxxx`): what deploying the working tree does to the resources that exist
//! at a base revision. `isolint diff --base REF` runs them; `check` never does, since they
//! need two revisions (so they have no single-file examples under `rules/`).
//!
//! A [`Comparison`] matches the resources of the two revisions by identity, whatever file
//! declares them (files are renamed and split): first by identity and file, then by identity
//! alone, then by type, module path and evaluated name. [`check_changes`] runs the change
//! rules over it, and [`compare_findings`] sorts the rule findings of the working tree into
//! new and unchanged, and those of the base that are gone.

pub(crate) mod managed_network_enabled_with_computes;
pub(crate) mod managed_network_transition_refused;
pub(crate) mod property_fixed_at_creation;

use std::collections::HashMap;
use std::hash::Hash;

use isolint_model::id::NamePart;
use isolint_model::paths::ISOLATION_MODE;
use isolint_model::{Model, Prop, Resource, ResourceIdx, ResourceRef, SourceMap, Span, Value};

use crate::engine::{self, Options};
use crate::finding::{Finding, ResourceIdentity};
use crate::rule::Rule;

/// The change rules, sorted by ID. They inspect the working tree's resources and compare
/// each with its match at the base revision.
pub static CHANGE_RULES: &[&Rule] = &[
    &managed_network_enabled_with_computes::MANAGED_NETWORK_ENABLED_WITH_COMPUTES,
    &managed_network_transition_refused::MANAGED_NETWORK_TRANSITION_REFUSED,
    &property_fixed_at_creation::PROPERTY_FIXED_AT_CREATION,
];

/// The deployment at a base revision and in the working tree, their resources matched.
pub struct Comparison<'m> {
    base: &'m Model,
    current: &'m Model,
    /// For each resource of `current`, by index, its match in `base`.
    to_base: Vec<Option<ResourceIdx>>,
    /// For each resource of `base`, by index, its match in `current`.
    to_current: Vec<Option<ResourceIdx>>,
}

impl<'m> Comparison<'m> {
    /// Matches the resources of `base` (read through `base_sources`) with those of
    /// `current` (read through `current_sources`).
    pub fn new(
        base: &'m Model,
        base_sources: &SourceMap,
        current: &'m Model,
        current_sources: &SourceMap,
    ) -> Self {
        let mut to_base = vec![None; current.graph().resources().len()];
        let mut to_current = vec![None; base.graph().resources().len()];
        let steps: [MatchKey; 3] = [identity_in_file, identity, evaluated_identity];
        for key in steps {
            let unmatched_base: Vec<ResourceRef<'_>> = base
                .graph()
                .iter()
                .filter(|r| to_current[r.idx().index()].is_none())
                .collect();
            let unmatched_current: Vec<ResourceRef<'_>> = current
                .graph()
                .iter()
                .filter(|r| to_base[r.idx().index()].is_none())
                .collect();
            let pairs = unique_pairs(
                &unmatched_base,
                &unmatched_current,
                |r| key(r, base_sources),
                |r| key(r, current_sources),
            );
            for (b, c) in pairs {
                to_base[c.index()] = Some(b);
                to_current[b.index()] = Some(c);
            }
        }
        Self {
            base,
            current,
            to_base,
            to_current,
        }
    }

    /// The deployment at the base revision.
    pub fn base(&self) -> &'m Model {
        self.base
    }

    /// The deployment of the working tree.
    pub fn current(&self) -> &'m Model {
        self.current
    }

    /// `resource` of the working tree as it is at the base revision, if it exists there.
    pub fn before(&self, resource: ResourceRef<'_>) -> Option<ResourceRef<'m>> {
        let idx = (*self.to_base.get(resource.idx().index())?)?;
        self.base.graph().get(idx)
    }

    /// `resource` of the base revision as it is in the working tree, if it still exists.
    pub fn after(&self, resource: ResourceRef<'_>) -> Option<ResourceRef<'m>> {
        let idx = (*self.to_current.get(resource.idx().index())?)?;
        self.current.graph().get(idx)
    }
}

/// A key resources are matched by, in one of the steps of [`Comparison::new`].
type MatchKey = fn(&Resource, &SourceMap) -> Option<String>;

/// Identity and the file that declares it: what tells apart two deployments that declare
/// the same names (`dev/main.bicep` and `prod/main.bicep`).
fn identity_in_file(resource: &Resource, sources: &SourceMap) -> Option<String> {
    let file = sources.get(resource.origin.file)?;
    Some(format!("{}\0{}", resource.identity(), file.name))
}

/// Identity alone: the module path, the type and the name as written, whatever the file.
#[expect(
    clippy::unnecessary_wraps,
    reason = "every step's key has the type of a step that may have none"
)]
fn identity(resource: &Resource, _: &SourceMap) -> Option<String> {
    Some(resource.identity())
}

/// Type, module path and fully evaluated name: how a resource is matched once its name is
/// written differently (a parameter renamed, a literal moved into a variable).
fn evaluated_identity(resource: &Resource, _: &SourceMap) -> Option<String> {
    let mut key = resource.ty.to_ascii_lowercase();
    for module in resource.origin.module_path.iter() {
        key.push('\0');
        key.push_str(module);
    }
    key.push('\u{1}');
    for part in &resource.id.names {
        match part {
            NamePart::Known(name) => {
                key.push('/');
                key.push_str(&name.to_ascii_lowercase());
            }
            NamePart::Symbolic(_) => return None,
        }
    }
    Some(key)
}

/// The pairs whose key is shared by exactly one item on each side.
fn unique_pairs<K: Eq + Hash>(
    base: &[ResourceRef<'_>],
    current: &[ResourceRef<'_>],
    base_key: impl Fn(&Resource) -> Option<K>,
    current_key: impl Fn(&Resource) -> Option<K>,
) -> Vec<(ResourceIdx, ResourceIdx)> {
    let mut by_key: HashMap<K, (Vec<ResourceIdx>, Vec<ResourceIdx>)> = HashMap::new();
    for r in base {
        if let Some(key) = base_key(r) {
            by_key.entry(key).or_default().0.push(r.idx());
        }
    }
    for r in current {
        if let Some(key) = current_key(r) {
            by_key.entry(key).or_default().1.push(r.idx());
        }
    }
    let mut pairs: Vec<(ResourceIdx, ResourceIdx)> = by_key
        .into_values()
        .filter_map(|(b, c)| match (b.as_slice(), c.as_slice()) {
            ([b], [c]) => Some((*b, *c)),
            _ => None,
        })
        .collect();
    pairs.sort_unstable();
    pairs
}

/// Runs the change rules that `options` enable over the working tree's resources, each
/// compared with its match at the base revision.
pub fn check_changes(comparison: &Comparison<'_>, options: &Options) -> Vec<Finding> {
    engine::run(comparison.current, options, CHANGE_RULES, Some(comparison))
}

/// The rule findings of two revisions, sorted by how they changed.
#[derive(Debug, Default)]
pub struct Compared {
    /// Findings of the working tree that the base revision does not have.
    pub new: Vec<Finding>,
    /// Findings of the working tree that the base revision has too.
    pub unchanged: Vec<Finding>,
    /// Findings of the base revision that the working tree no longer has (fixed, or their
    /// resource removed); their spans point into the base revision's files.
    pub absent: Vec<Finding>,
}

/// Sorts findings by whether the base revision has them (see [`continued`]).
pub fn compare_findings(
    comparison: &Comparison<'_>,
    base: Vec<Finding>,
    current: Vec<Finding>,
) -> Compared {
    let earlier = continued(comparison, &base, &current);
    let mut compared = Compared::default();
    let mut kept = vec![false; base.len()];
    for (finding, earlier) in current.into_iter().zip(earlier) {
        match earlier {
            Some(index) => {
                kept[index] = true;
                compared.unchanged.push(finding);
            }
            None => compared.new.push(finding),
        }
    }
    compared.absent = base
        .into_iter()
        .zip(kept)
        .filter_map(|(finding, kept)| (!kept).then_some(finding))
        .collect();
    compared
}

/// For each finding of `current`, the index of the finding of `base` it continues: the same
/// rule, about the same property of the same resource (matched as [`Comparison`] matches
/// them), whatever the line, the file or the message. A finding that appears more often
/// than before continues as many as there were, and the others are new.
pub fn continued(
    comparison: &Comparison<'_>,
    base: &[Finding],
    current: &[Finding],
) -> Vec<Option<usize>> {
    let base_index = declarations(comparison.base);
    let current_index = declarations(comparison.current);
    // A finding's key names its resource by the base revision's index when it has one. A
    // finding about no resource of the model (the suppression rules') goes by identity.
    let key = |finding: &Finding, at_base: bool| -> FindingKey {
        let index = if at_base { &base_index } else { &current_index };
        let declared = (
            finding.resource.identity.clone(),
            finding.resource.declaration,
        );
        let resource = match index.get(&declared) {
            Some(&idx) if at_base => ResourceKey::Matched(idx),
            Some(&idx) => match comparison.to_base.get(idx.index()).copied().flatten() {
                Some(base_idx) => ResourceKey::Matched(base_idx),
                None => ResourceKey::New,
            },
            None => ResourceKey::Unmatched(declared.0),
        };
        FindingKey {
            rule: finding.rule.id,
            property: finding.property.clone(),
            unresolved: finding.unresolved,
            resource,
        }
    };
    let mut remaining: HashMap<FindingKey, Vec<usize>> = HashMap::new();
    for (index, finding) in base.iter().enumerate().rev() {
        remaining.entry(key(finding, true)).or_default().push(index);
    }
    current
        .iter()
        .map(|finding| remaining.get_mut(&key(finding, false)).and_then(Vec::pop))
        .collect()
}

/// What decides whether two findings are the same.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct FindingKey {
    rule: &'static str,
    property: String,
    unresolved: bool,
    resource: ResourceKey,
}

/// The resource of a finding, across revisions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum ResourceKey {
    /// A resource of the base revision (the match of one of the working tree).
    Matched(ResourceIdx),
    /// A finding about no resource of the model, by the identity it names.
    Unmatched(String),
    /// A resource that exists only in the working tree: its findings are all new.
    New,
}

/// Every resource of `model` by identity and declaration, as findings name them.
fn declarations(model: &Model) -> HashMap<(String, Span), ResourceIdx> {
    model
        .graph()
        .iter()
        .map(|r| {
            let named = ResourceIdentity::of(&r);
            ((named.identity, named.declaration), r.idx())
        })
        .collect()
}

/// A workspace's managed-network mode, as the change rules compare it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// No managed network: absent, `null` or `Disabled`.
    Disabled,
    /// `AllowInternetOutbound`.
    AllowInternetOutbound,
    /// `AllowOnlyApprovedOutbound`.
    AllowOnlyApprovedOutbound,
}

impl Mode {
    /// The mode `isolationMode` sets, `None` when it is unknown or not a mode.
    pub(crate) fn of(prop: &Prop<'_>) -> Option<Self> {
        match &prop.value {
            Value::Absent => Some(Self::Disabled),
            Value::Known(node) if node.str_eq("Disabled") => Some(Self::Disabled),
            Value::Known(node) if node.str_eq("AllowInternetOutbound") => {
                Some(Self::AllowInternetOutbound)
            }
            Value::Known(node) if node.str_eq("AllowOnlyApprovedOutbound") => {
                Some(Self::AllowOnlyApprovedOutbound)
            }
            Value::Known(_) | Value::Unknown(_) => None,
        }
    }

    /// The mode of `workspace`.
    pub(crate) fn of_workspace(workspace: &Resource) -> Option<Self> {
        Self::of(&workspace.get(ISOLATION_MODE))
    }

    /// How it is written.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Disabled => "Disabled",
            Self::AllowInternetOutbound => "AllowInternetOutbound",
            Self::AllowOnlyApprovedOutbound => "AllowOnlyApprovedOutbound",
        }
    }
}

#[cfg(test)]
mod tests;
