//! Hashes of resource identities and types that agree with how ARM compares them: types
//! and known names ignoring ASCII case, symbolic names by expression. The graph's indexes
//! hash a resource (or a reference) in place and compare candidates with
//! [`ResourceId::matches`](crate::id::ResourceId::matches), so that finding the resource a
//! reference names costs the same however many resources there are, and allocates nothing.

use std::hash::Hasher as _;

use rustc_hash::FxHasher;

use crate::id::NamePart;
use crate::resource::RootId;

/// The hash of the resource of type `ty` named `names`, in `root` when given (identities
/// of symbolic names only mean something within one root). Matching IDs hash alike.
pub(crate) fn identity_hash(root: Option<RootId>, ty: &str, names: &[NamePart]) -> u64 {
    let mut hasher = FxHasher::default();
    if let Some(RootId(root)) = root {
        hasher.write_u32(root);
    }
    write_folded(&mut hasher, ty);
    for name in names {
        match name {
            NamePart::Known(text) => {
                hasher.write_u8(0);
                write_folded(&mut hasher, text);
            }
            NamePart::Symbolic(expr) => {
                hasher.write_u8(1);
                hasher.write(expr.as_bytes());
                hasher.write_u8(0xff);
            }
        }
    }
    hasher.finish()
}

/// The hash of an ARM type; types that differ only in case hash alike.
pub(crate) fn type_hash(ty: &str) -> u64 {
    let mut hasher = FxHasher::default();
    write_folded(&mut hasher, ty);
    hasher.finish()
}

/// Feeds `text` ASCII-lowercased, then a byte no UTF-8 text holds, so that the segments
/// `ab`, `c` and `a`, `bc` hash apart. The text goes through a buffer on the stack, a
/// chunk at a time: hashing byte by byte costs a round of the hash per byte.
fn write_folded(hasher: &mut FxHasher, text: &str) {
    let mut buffer = [0u8; 64];
    for chunk in text.as_bytes().chunks(buffer.len()) {
        let folded = &mut buffer[..chunk.len()];
        folded.copy_from_slice(chunk);
        folded.make_ascii_lowercase();
        hasher.write(folded);
    }
    hasher.write_u8(0xff);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::ResourceId;

    #[test]
    fn matching_ids_hash_alike() {
        let known = |s: &str| NamePart::Known(s.into());
        let symbolic = |s: &str| NamePart::Symbolic(s.into());
        let ids = [
            ResourceId::new("Microsoft.Storage/storageAccounts", vec![known("St1")]),
            ResourceId::new("microsoft.storage/STORAGEACCOUNTS", vec![known("sT1")]),
            ResourceId::new("Microsoft.Storage/storageAccounts", vec![known("st2")]),
            ResourceId::new(
                "Microsoft.Storage/storageAccounts",
                vec![symbolic("p('n')")],
            ),
            ResourceId::new(
                "Microsoft.Storage/storageAccounts",
                vec![symbolic("p('N')")],
            ),
            ResourceId::new("Microsoft.Storage/storageAccounts", vec![symbolic("'st1'")]),
            ResourceId::new("Microsoft.KeyVault/vaults", vec![known("st1")]),
            ResourceId::new("A/b/c", vec![known("x"), known("y")]),
            ResourceId::new("A/b/c", vec![known("xy")]),
        ];
        let hash = |id: &ResourceId, root| identity_hash(root, &id.ty, &id.names);
        for a in &ids {
            for b in &ids {
                for root in [None, Some(RootId(7))] {
                    if a.matches(b) {
                        assert_eq!(hash(a, root), hash(b, root), "{a} and {b}");
                    } else {
                        // Not required, but a sign that the hash tells them apart.
                        assert_ne!(hash(a, root), hash(b, root), "{a} and {b}");
                    }
                }
            }
        }
        assert_ne!(
            hash(&ids[0], Some(RootId(1))),
            hash(&ids[0], Some(RootId(2)))
        );
        assert_eq!(
            type_hash("Microsoft.Storage/storageAccounts"),
            type_hash("MICROSOFT.STORAGE/storageaccounts")
        );
    }
}
