//! Resource identity as a hash key, so that finding the resource a reference names, or the
//! declaration a redeclaration merges into, costs the same however many resources there are.

use std::sync::Arc;

use crate::id::{NamePart, ResourceId};

/// A type and name segments reduced to what [`ResourceId::matches`] compares: the type and
/// known names ASCII-lowercased (they compare case-insensitively), symbolic names as
/// written (they compare by expression). Two IDs match exactly when their keys are equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct IdKey {
    ty: Box<str>,
    names: Box<[NamePart]>,
}

impl IdKey {
    /// The key of a resource of type `ty` named `names`.
    pub(crate) fn new(ty: &str, names: &[NamePart]) -> Self {
        let names = names
            .iter()
            .map(|name| match name {
                NamePart::Known(text) if text.bytes().any(|b| b.is_ascii_uppercase()) => {
                    NamePart::Known(text.to_ascii_lowercase().into())
                }
                NamePart::Known(text) => NamePart::Known(Arc::clone(text)),
                NamePart::Symbolic(expr) => NamePart::Symbolic(Arc::clone(expr)),
            })
            .collect();
        Self {
            ty: ty.to_ascii_lowercase().into(),
            names,
        }
    }

    /// The key of a resource ID.
    pub(crate) fn of(id: &ResourceId) -> Self {
        Self::new(&id.ty, &id.names)
    }

    /// Whether every name segment is known, so that the ID means the same in every root.
    pub(crate) fn is_known(&self) -> bool {
        self.names.iter().all(|n| matches!(n, NamePart::Known(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(ty: &str, names: &[NamePart]) -> ResourceId {
        ResourceId::new(ty, names.to_vec())
    }

    #[test]
    fn equal_keys_are_matching_ids() {
        let known = |s: &str| NamePart::Known(s.into());
        let symbolic = |s: &str| NamePart::Symbolic(s.into());
        let ids = [
            id("Microsoft.Storage/storageAccounts", &[known("St1")]),
            id("microsoft.storage/STORAGEACCOUNTS", &[known("sT1")]),
            id("Microsoft.Storage/storageAccounts", &[known("st2")]),
            id(
                "Microsoft.Storage/storageAccounts",
                &[symbolic("parameters('n')")],
            ),
            id(
                "Microsoft.Storage/storageAccounts",
                &[symbolic("parameters('N')")],
            ),
            id("Microsoft.Storage/storageAccounts", &[symbolic("'st1'")]),
            id("Microsoft.KeyVault/vaults", &[known("st1")]),
            id("A/b/c", &[known("x"), known("y")]),
            id("A/b/c", &[known("x")]),
        ];
        for a in &ids {
            for b in &ids {
                assert_eq!(IdKey::of(a) == IdKey::of(b), a.matches(b), "{a} and {b}");
            }
        }
    }
}
