//! Every Terraform name that a rule's help tells users to write exists in the Terraform
//! frontend's mapping table: help that names an attribute isolint does not read would send
//! users to fix the wrong thing. Lives here because only the CLI crate sees both the rules
//! and a frontend (rules never import a frontend).

use std::collections::BTreeSet;

use isolint_rules::{RULES, TOOL_RULES};

/// The `snake_case` words of a help text that name Terraform things: `public_network_access_enabled`,
/// `network_rules`, `azurerm_private_endpoint`. A word needs an underscore to count, so plain
/// English and `{slots}` are left out.
fn terraform_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .filter(|word| word.contains('_') && !word.starts_with('_') && !word.ends_with('_'))
        .collect()
}

#[test]
fn terraform_help_names_only_attributes_the_mapping_reads() {
    let mapped = isolint_terraform::mapped_attributes();
    let types: BTreeSet<&str> = mapped.iter().map(|(ty, _)| *ty).collect();
    // Every segment of a mapped path: `network_rules.default_action` makes both the block
    // and its attribute known.
    let attributes: BTreeSet<&str> = mapped
        .iter()
        .flat_map(|(_, path)| path.split('.'))
        .collect();
    let mut unknown = Vec::new();
    for rule in RULES.iter().chain(TOOL_RULES) {
        for help in rule.help {
            for word in terraform_words(help.terraform) {
                let known = if word.starts_with("azurerm_") || word.starts_with("azapi_") {
                    types.contains(word)
                } else {
                    attributes.contains(word)
                };
                if !known {
                    unknown.push(format!("{}: `{word}`", rule.id));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "Terraform help names what the mapping table does not read:\n{}",
        unknown.join("\n")
    );
}

#[test]
fn words_are_snake_case_names() {
    assert_eq!(
        terraform_words(
            "set `public_network_access_enabled = false` (azurerm_ai_foundry: x) {zones}"
        ),
        ["public_network_access_enabled", "azurerm_ai_foundry"]
    );
}
