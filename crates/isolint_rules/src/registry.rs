//! The registry: every rule, sorted by ID.

use crate::aml;
use crate::compute;
use crate::coverage;
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
    &coverage::module_not_read::MODULE_NOT_READ,
];

/// The rule with this ID or name (case-insensitive).
pub fn find_rule(selector: &str) -> Option<&'static Rule> {
    find_rule_in(RULES, selector)
}

/// The rule of `rules` with this ID or name. Deprecated rules are found like the others:
/// IDs are permanent, so a configuration or `--select` that names a retired rule keeps
/// working (and the rule does not run).
fn find_rule_in(rules: &[&'static Rule], selector: &str) -> Option<&'static Rule> {
    rules.iter().copied().find(|r| r.is_named(selector))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use isolint_model::types::ML_WORKSPACE;

    use super::*;
    use crate::compute::tests::{obj, resource};
    use crate::engine::check_rules;
    use crate::rule::{Level, Protects, Status, Weight};
    use crate::{Date, Help, Options, Scope, Suppression, SuppressionKind, apply_suppressions};

    /// A retired rule, for tests only: it would report every workspace if it ran.
    static RETIRED: Rule = Rule {
        id: "AML098",
        name: "retired-rule",
        level: Level::Error,
        protects: Protects::Workspace,
        since: "0.1.0",
        status: Status::Deprecated {
            replaced_by: Some("AML001"),
        },
        weighs: Weight::Advisory,
        docs: " ## What it does\n Flags every workspace.\n",
        help: &[Help::everywhere("do not run")],
        targets: &[ML_WORKSPACE],
        check: |workspace, cx| {
            cx.report(workspace.header(), "", "a deprecated rule ran");
        },
        source: file!(),
    };

    #[test]
    fn a_deprecated_rule_can_be_named_but_never_runs() {
        let rules = [
            &aml::workspace_public_network_access::WORKSPACE_PUBLIC_NETWORK_ACCESS,
            &RETIRED,
        ];
        for selector in ["AML098", "aml098", "retired-rule"] {
            assert_eq!(find_rule_in(&rules, selector).map(|r| r.id), Some("AML098"));
        }
        let model = isolint_model::Model::new(vec![resource(ML_WORKSPACE, &["ws"], obj(vec![]))]);
        let everything = Options::default();
        let named = Options {
            select: vec!["AML098".to_owned(), "AML001".to_owned()],
            levels: BTreeMap::from([("retired-rule".to_owned(), Level::Warning)]),
            ..Options::default()
        };
        for options in [everything, named] {
            assert!(!options.enables(&RETIRED));
            let findings = check_rules(&model, &options, &rules);
            assert!(!findings.is_empty(), "AML001 runs beside it");
            assert!(findings.iter().all(|f| f.rule.id == "AML001"));
        }
        // A suppression that names it is not "unused" (SUP003): the rule did not run.
        let at = isolint_model::Span::new(isolint_model::FileId(0), 0, 1);
        let suppression = Suppression {
            rules: vec![&RETIRED],
            scope: Scope::Within(at),
            reason: Some("retired".to_owned()),
            approved_by: None,
            until: None,
            kind: SuppressionKind::InSource,
            at,
            name: "retired".to_owned(),
        };
        let today = Date::from_unix_seconds(0);
        let applied = apply_suppressions(
            Vec::new(),
            &[suppression],
            today,
            &Options::default(),
            &|_| None,
        );
        assert!(applied.findings.is_empty());
    }

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
                "COV0" => Protects::Coverage,
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
