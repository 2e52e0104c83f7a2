//! `isolint policy`'s initiative: a golden copy, and the shape Azure requires of a template
//! that declares policy definitions and a `policySetDefinition`.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a test fails by panicking, helpers included"
)]

use std::collections::{BTreeSet, HashSet};

use isolint_output::policy::{PolicyOptions, Scope, render};
use isolint_rules::policy::{built_in_definition, documented_alias, members};
use serde_json::Value;

const DEFINITION_TYPE: &str = "Microsoft.Authorization/policyDefinitions";
const SET_TYPE: &str = "Microsoft.Authorization/policySetDefinitions";
const BUILT_IN_PREFIX: &str = "/providers/Microsoft.Authorization/policyDefinitions/";
/// The standard fields a policy rule may read besides aliases.
const STANDARD_FIELDS: &[&str] = &["type", "kind", "fullName"];

fn template(options: &PolicyOptions) -> Value {
    serde_json::from_str(&render(options).unwrap()).unwrap()
}

fn str_of<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer}"))
}

/// A policy expression as Azure Policy receives it: ARM turns `[[` into `[`.
fn unescaped(text: &str) -> String {
    text.strip_prefix("[[")
        .map_or_else(|| text.to_owned(), |rest| format!("[{rest}"))
}

/// Every string in `value`, with the path to it.
fn strings<'v>(value: &'v Value, path: &str, out: &mut Vec<(String, &'v str)>) {
    match value {
        Value::String(text) => out.push((path.to_owned(), text)),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                strings(item, &format!("{path}/{index}"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                strings(item, &format!("{path}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// Every field a policy rule reads: `"field"` conditions and `field('...')` in expressions.
fn fields_read(rule: &Value) -> BTreeSet<String> {
    let mut found = Vec::new();
    strings(rule, "", &mut found);
    let mut fields = BTreeSet::new();
    for (path, text) in found {
        if path.ends_with("/field") {
            fields.insert(text.to_owned());
        }
        for part in text.split("field('").skip(1) {
            fields.insert(part.split('\'').next().unwrap().to_owned());
        }
    }
    fields
}

#[test]
fn the_initiative_matches_its_golden_copy() {
    insta::assert_snapshot!("initiative", render(&PolicyOptions::default()).unwrap());
}

#[test]
fn the_template_has_the_shape_azure_requires() {
    let template = template(&PolicyOptions::default());
    assert!(str_of(&template, "/$schema").contains("managementGroupDeploymentTemplate"));
    let resources = template["resources"].as_array().unwrap();
    let (set, customs) = resources.split_last().unwrap();
    assert_eq!(str_of(set, "/type"), SET_TYPE, "the initiative comes last");

    // The custom definitions: valid policy rules over documented aliases only.
    let mut custom_ids = Vec::new();
    let mut custom_effects = Vec::new();
    for custom in customs {
        assert_eq!(str_of(custom, "/type"), DEFINITION_TYPE);
        let name = str_of(custom, "/name");
        let properties = &custom["properties"];
        assert_eq!(str_of(properties, "/policyType"), "Custom");
        assert!(!str_of(properties, "/displayName").is_empty());
        let rule = &properties["policyRule"];
        assert!(rule["if"].is_object(), "{name}: `if`");
        assert_eq!(
            str_of(rule, "/then/effect"),
            "[[parameters('effect')]",
            "{name}"
        );
        let declared = properties["parameters"].as_object().unwrap();
        assert_eq!(declared.keys().collect::<Vec<_>>(), ["effect"], "{name}");
        for field in fields_read(rule) {
            assert!(
                STANDARD_FIELDS.contains(&field.as_str()) || documented_alias(&field).is_some(),
                "{name} reads `{field}`, which is no documented alias"
            );
        }
        custom_ids.push(format!(
            "[extensionResourceId(managementGroup().id, '{DEFINITION_TYPE}', '{name}')]"
        ));
        custom_effects.push(declared["effect"]["allowedValues"].clone());
    }
    assert!(!customs.is_empty());

    // The initiative.
    let properties = &set["properties"];
    assert!(!str_of(properties, "/displayName").is_empty());
    assert_eq!(str_of(properties, "/policyType"), "Custom");
    let parameters = properties["parameters"].as_object().unwrap();
    assert_eq!(
        str_of(properties, "/parameters/effect/defaultValue"),
        "Audit"
    );
    let depends_on: Vec<&str> = set["dependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    assert_eq!(depends_on, custom_ids);
    let groups: HashSet<&str> = properties["policyDefinitionGroups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| str_of(group, "/name"))
        .collect();

    let references = properties["policyDefinitions"].as_array().unwrap();
    assert_eq!(references.len(), members().count());
    let mut reference_ids = HashSet::new();
    let mut parameters_used = HashSet::new();
    for reference in references {
        let reference_id = str_of(reference, "/policyDefinitionReferenceId");
        assert!(reference_ids.insert(reference_id), "{reference_id} twice");
        let id = str_of(reference, "/policyDefinitionId");
        // The effects the member's definition allows, and the parameter that takes them.
        let (allowed, effect_parameter): (Vec<String>, &str) = if let Some(guid) =
            id.strip_prefix(BUILT_IN_PREFIX)
        {
            let definition = built_in_definition(guid).unwrap();
            assert!(!definition.deprecated, "{guid}");
            assert_ne!(guid, "40cec1dd-a100-4920-b15b-3024fe8901ab");
            let major = definition.version.split('.').next().unwrap();
            assert_eq!(
                str_of(reference, "/definitionVersion"),
                format!("{major}.*.*")
            );
            let (_, member) = members()
                .find(|(_, member)| {
                    matches!(member.definition,
                            isolint_rules::policy::Definition::BuiltIn { id, .. } if id == guid)
                })
                .unwrap();
            let allowed = definition
                .effects
                .iter()
                .map(|e| e.to_lowercase())
                .collect();
            (allowed, member.definition.effect_parameter())
        } else {
            let index = custom_ids.iter().position(|custom| custom == id);
            let index = index.unwrap_or_else(|| panic!("{id} is neither a built-in nor declared"));
            let allowed = custom_effects[index]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap().to_lowercase())
                .collect();
            (allowed, "effect")
        };
        let passed = reference["parameters"].as_object().unwrap();
        assert_eq!(
            passed.keys().collect::<Vec<_>>(),
            [effect_parameter],
            "{reference_id}"
        );
        let value = unescaped(str_of(&passed[effect_parameter], "/value"));
        let name = value
            .strip_prefix("[parameters('")
            .and_then(|rest| rest.strip_suffix("')]"))
            .unwrap_or_else(|| panic!("{reference_id}: `{value}` is no parameter reference"));
        let declared = parameters
            .get(name)
            .unwrap_or_else(|| panic!("{reference_id}: `{name}` is not declared"));
        for effect in declared["allowedValues"].as_array().unwrap() {
            let effect = effect.as_str().unwrap().to_lowercase();
            assert!(
                allowed.contains(&effect),
                "{reference_id} may be given `{effect}`, which it does not allow"
            );
        }
        parameters_used.insert(name.to_owned());
        for group in reference["groupNames"].as_array().unwrap() {
            assert!(groups.contains(group.as_str().unwrap()), "{reference_id}");
        }
    }
    let declared: HashSet<String> = parameters.keys().cloned().collect();
    assert_eq!(declared, parameters_used, "every parameter is used");

    // Nothing ARM would evaluate except the resource IDs meant for it.
    let mut found = Vec::new();
    strings(&template, "", &mut found);
    for (path, text) in found {
        let expression = text.starts_with('[') && text.ends_with(']') && !text.starts_with("[[");
        let meant = path.ends_with("/policyDefinitionId")
            || path.contains("/dependsOn/")
            || path.starts_with("/outputs/");
        assert_eq!(expression, meant && text.starts_with('['), "{path}: {text}");
    }
}

#[test]
fn options_set_the_default_effect_the_scope_and_the_names() {
    let options = PolicyOptions {
        name: "aml-guardrails".to_owned(),
        display_name: "[AML guardrails]".to_owned(),
        effect: isolint_output::policy::Effect::Deny,
        scope: Scope::Subscription,
    };
    let template = template(&options);
    assert!(str_of(&template, "/$schema").contains("subscriptionDeploymentTemplate"));
    let set = template["resources"].as_array().unwrap().last().unwrap();
    assert_eq!(str_of(set, "/name"), "aml-guardrails");
    // A display name that reads like an expression is escaped.
    assert_eq!(str_of(set, "/properties/displayName"), "[[AML guardrails]");
    let parameters = &set["properties"]["parameters"];
    assert_eq!(str_of(parameters, "/effect/defaultValue"), "Deny");
    assert_eq!(str_of(parameters, "/auditEffect/defaultValue"), "Audit");
    assert_eq!(
        str_of(parameters, "/auditIfNotExistsEffect/defaultValue"),
        "AuditIfNotExists"
    );
    assert_eq!(
        str_of(&template, "/outputs/policySetDefinitionId/value"),
        "[subscriptionResourceId('Microsoft.Authorization/policySetDefinitions', 'aml-guardrails')]"
    );
    for id in set["dependsOn"].as_array().unwrap() {
        assert!(id.as_str().unwrap().starts_with(
            "[subscriptionResourceId('Microsoft.Authorization/policyDefinitions', 'isolint-"
        ));
    }
}
