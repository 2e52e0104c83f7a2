//! The registry: every rule, sorted by ID.

use crate::aml;
use crate::compute;
use crate::rule::Rule;

/// Every rule, sorted by ID. Adding a rule is one line here and one `mod` line in its group.
pub static RULES: &[&Rule] = &[
    &aml::workspace_public_network_access::WORKSPACE_PUBLIC_NETWORK_ACCESS,
    &aml::workspace_managed_network_disabled::WORKSPACE_MANAGED_NETWORK_DISABLED,
    &aml::workspace_private_endpoint_missing::WORKSPACE_PRIVATE_ENDPOINT_MISSING,
    &aml::workspace_private_dns_incomplete::WORKSPACE_PRIVATE_DNS_INCOMPLETE,
    &aml::outbound_rule_requires_approved_mode::OUTBOUND_RULE_REQUIRES_APPROVED_MODE,
    &aml::outbound_rule_wildcard_destination::OUTBOUND_RULE_WILDCARD_DESTINATION,
    &aml::image_build_compute_missing::IMAGE_BUILD_COMPUTE_MISSING,
    &aml::storage_public_network_access::STORAGE_PUBLIC_NETWORK_ACCESS,
    &aml::storage_private_endpoint_missing::STORAGE_PRIVATE_ENDPOINT_MISSING,
    &aml::key_vault_public_network_access::KEY_VAULT_PUBLIC_NETWORK_ACCESS,
    &aml::key_vault_private_endpoint_missing::KEY_VAULT_PRIVATE_ENDPOINT_MISSING,
    &aml::container_registry_public_network_access::CONTAINER_REGISTRY_PUBLIC_NETWORK_ACCESS,
    &aml::container_registry_private_endpoint_missing::CONTAINER_REGISTRY_PRIVATE_ENDPOINT_MISSING,
    &aml::container_registry_sku_not_premium::CONTAINER_REGISTRY_SKU_NOT_PREMIUM,
    &aml::application_insights_public_access::APPLICATION_INSIGHTS_PUBLIC_ACCESS,
    &compute::compute_public_ip::COMPUTE_PUBLIC_IP,
    &compute::compute_local_auth_enabled::COMPUTE_LOCAL_AUTH_ENABLED,
    &compute::compute_ssh_public_access::COMPUTE_SSH_PUBLIC_ACCESS,
    &compute::compute_subnet_with_managed_network::COMPUTE_SUBNET_WITH_MANAGED_NETWORK,
    &compute::compute_outside_network::COMPUTE_OUTSIDE_NETWORK,
    &aml::workspace_required_tags_missing::WORKSPACE_REQUIRED_TAGS_MISSING,
];

/// The rule with this ID or name (case-insensitive).
pub fn find_rule(selector: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.is_named(selector))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_sorted() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn what_a_rule_protects_follows_its_id_group() {
        use crate::rule::Protects;
        for rule in RULES {
            let expected = match &rule.id[..4] {
                "AML0" => Protects::Workspace,
                "AML1" => Protects::Dependency,
                "AML2" => Protects::Compute,
                "AML3" => Protects::Governance,
                other => panic!("{}: no group for `{other}`", rule.id),
            };
            assert_eq!(rule.protects, expected, "{}", rule.id);
            assert!(
                rule.since.split('.').count() == 3,
                "{}: `since` is a version",
                rule.id
            );
        }
    }

    #[test]
    fn names_are_unique_kebab_case() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        for name in &names {
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{name} is not kebab-case"
            );
        }
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn docs_have_the_fixed_headings_and_a_short_summary() {
        for rule in RULES {
            for heading in ["What it does", "Why is this bad?", "How to fix"] {
                assert!(
                    rule.section(heading).is_some(),
                    "{}: no `## {heading}`",
                    rule.id
                );
            }
            let summary = rule.summary();
            assert!(
                summary.ends_with('.') && summary.len() <= 160,
                "{}: summary `{summary}`",
                rule.id
            );
        }
    }
}
