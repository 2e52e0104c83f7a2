//! The expansion budget of one root evaluation: how many deployments (Bicep modules,
//! nested and linked templates) it instantiates, how deeply they nest, how many resources
//! it deploys, and how many iterations nested copy loops multiply to.
//!
//! Each file is small, but expansion multiplies: 31 templates that each deploy the next
//! one twice stand for 2^31 deployments, and a copy loop inside a copy loop inside a
//! module loop for 800^3 values. A budget spent gives a warning at the declaration that
//! crossed it, and evaluation goes on without what it would have expanded (a deployment
//! not followed has unknown outputs; a loop past the product is unknown), so the answer
//! comes in about a second whatever the input.
//!
//! The limits lie far above real templates: across the corpus (`../shared/corpus`: Azure
//! Verified Modules, quickstarts, `azureml-examples`), the largest root instantiates 88
//! deployments, nested 4 deep, and deploys 188 resources; the largest copy product is 23.

use std::cell::Cell;

/// How many deployments one root may instantiate, all levels together.
pub(crate) const MAX_DEPLOYMENTS: usize = 5_000;
/// How deeply deployments may nest (a linked template that deploys itself stops here).
pub(crate) const MAX_NESTING: usize = 32;
/// How many resources one root may deploy: more than a 50 MB template declares (86,000
/// storage accounts) and six times the largest benchmark (8,000 workspace and storage
/// pairs in one template).
pub(crate) const MAX_RESOURCES: usize = 100_000;
/// How many iterations nested copy loops (module, resource, property and variable copies,
/// Bicep `for` expressions) may multiply to: ARM cuts each loop at 800, and the product of
/// two such loops is already 640,000 values.
pub(crate) const MAX_COPY_PRODUCT: usize = 100_000;

/// What one root evaluation has spent of its budget.
#[derive(Default)]
pub(crate) struct Budget {
    deployments: Cell<usize>,
    resources: Cell<usize>,
}

impl Budget {
    /// Counts one more deployment; `false` when it is one too many.
    pub(crate) fn take_deployment(&self) -> bool {
        take(&self.deployments, MAX_DEPLOYMENTS)
    }

    /// Counts one more resource; `false` when it is one too many.
    pub(crate) fn take_resource(&self) -> bool {
        take(&self.resources, MAX_RESOURCES)
    }
}

fn take(spent: &Cell<usize>, limit: usize) -> bool {
    let count = spent.get();
    if count >= limit {
        return false;
    }
    spent.set(count + 1);
    true
}

/// How many times the body of a loop of `length` iterations runs when the loop itself runs
/// `outer` times; `None` past [`MAX_COPY_PRODUCT`].
pub(crate) fn repeats(outer: usize, length: usize) -> Option<usize> {
    outer
        .checked_mul(length)
        .filter(|product| *product <= MAX_COPY_PRODUCT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_gives_exactly_its_limit() {
        let budget = Budget::default();
        assert!((0..MAX_DEPLOYMENTS).all(|_| budget.take_deployment()));
        assert!(!budget.take_deployment());
        assert!(budget.take_resource());
    }

    #[test]
    fn loop_products_stop_at_the_limit() {
        assert_eq!(repeats(800, 125), Some(MAX_COPY_PRODUCT));
        assert_eq!(repeats(800, 126), None);
        assert_eq!(repeats(usize::MAX, 2), None);
        assert_eq!(repeats(1, 0), Some(0));
    }
}
