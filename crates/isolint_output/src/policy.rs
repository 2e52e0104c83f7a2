//! `isolint policy`: an Azure Policy initiative that enforces at deployment what the rules
//! check in review, rendered from the mapping in [`isolint_rules::policy`].
//!
//! A `policySetDefinition` can only reference definitions that already exist, and some
//! rules need definitions of isolint's own. So the output is one ARM deployment template, at
//! management group or subscription scope, that declares the custom
//! `policyDefinitions` and the `policySetDefinitions` resource that references them and the
//! built-ins: one self-contained file that `az deployment mg create` (or `sub create`)
//! deploys in one step. Policy expressions inside it (`[parameters('effect')]`,
//! `[field(...)]`) are escaped as `[[...]`, so that ARM passes them to Azure Policy
//! instead of evaluating them as template expressions.
//!
//! The output is deterministic: the same options always give the same bytes (keys in the
//! order written here, members in rule order).

use std::fmt;

use isolint_rules::policy::{
    BuiltInDefinition, CustomDefinition, Definition, Effects, Enforcement, RULE_POLICIES,
    built_in_definition, members,
};
use isolint_rules::{Rule, find_rule};
use serde_json::{Map, Value, json};

/// The API version of both resource types: the first with `definitionVersion` on a member.
const API_VERSION: &str = "2023-04-01";
/// The resource type of a policy definition.
const DEFINITION_TYPE: &str = "Microsoft.Authorization/policyDefinitions";
/// The resource type of an initiative.
const SET_TYPE: &str = "Microsoft.Authorization/policySetDefinitions";
/// The initiative's version, in its metadata; raise it when its members change.
const INITIATIVE_VERSION: &str = "1.0.0";

/// The initiative's name unless `--name` gives one.
pub const DEFAULT_NAME: &str = "isolint-aml-network-isolation";
/// The initiative's display name unless `--display-name` gives one.
pub const DEFAULT_DISPLAY_NAME: &str = "isolint: Azure Machine Learning network isolation";

/// The effect the initiative's `effect` parameter defaults to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Effect {
    /// Report non-compliant resources.
    #[default]
    Audit,
    /// Refuse to deploy them.
    Deny,
}

impl Effect {
    /// The value as Azure Policy spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Audit => "Audit",
            Self::Deny => "Deny",
        }
    }
}

/// Where the template deploys the definitions and the initiative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// A management group (`az deployment mg create`): assignable to every subscription
    /// below it.
    #[default]
    ManagementGroup,
    /// A subscription (`az deployment sub create`).
    Subscription,
}

impl Scope {
    /// The template's `$schema` for this scope.
    fn schema(self) -> &'static str {
        match self {
            Self::ManagementGroup => {
                "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#"
            }
            Self::Subscription => {
                "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
            }
        }
    }

    /// The template expression for the ID of a resource of `resource_type` named `name`
    /// deployed at this scope.
    fn resource_id(self, resource_type: &str, name: &str) -> String {
        // Inside an ARM string literal, a quote is doubled.
        let name = name.replace('\'', "''");
        match self {
            Self::ManagementGroup => {
                format!("[extensionResourceId(managementGroup().id, '{resource_type}', '{name}')]")
            }
            Self::Subscription => format!("[subscriptionResourceId('{resource_type}', '{name}')]"),
        }
    }
}

/// What `isolint policy` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyOptions {
    /// The initiative's resource name (see [`check_name`]).
    pub name: String,
    /// The initiative's display name (see [`check_display_name`]).
    pub display_name: String,
    /// The default of the initiative's `effect` parameter.
    pub effect: Effect,
    /// Where the template deploys.
    pub scope: Scope,
}

impl Default for PolicyOptions {
    fn default() -> Self {
        Self {
            name: DEFAULT_NAME.to_owned(),
            display_name: DEFAULT_DISPLAY_NAME.to_owned(),
            effect: Effect::default(),
            scope: Scope::default(),
        }
    }
}

/// An initiative name: 1 to 64 letters, digits, `-` and `_` (Azure allows more, but these
/// are safe in every command line, URL and template expression).
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 64 {
        return Err("the name must be 1 to 64 characters long".to_owned());
    }
    match name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
    {
        Some(c) => Err(format!(
            "`{c}` is not allowed in a name: use letters, digits, `-` and `_`"
        )),
        None => Ok(()),
    }
}

/// A display name: 1 to 128 characters, no control characters.
pub fn check_display_name(display_name: &str) -> Result<(), String> {
    let length = display_name.chars().count();
    if display_name.trim().is_empty() || length > 128 {
        return Err("the display name must be 1 to 128 characters long".to_owned());
    }
    if display_name.chars().any(char::is_control) {
        return Err("the display name must not hold control characters".to_owned());
    }
    Ok(())
}

/// A custom definition whose policy rule is not valid JSON: a bug in the mapping, which a
/// test prevents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The custom definition's name.
    pub definition: &'static str,
    /// What the JSON parser said.
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the policy rule of `{}` is not valid JSON: {}",
            self.definition, self.message
        )
    }
}

impl std::error::Error for PolicyError {}

/// The deployment template: the custom definitions, then the initiative, pretty-printed
/// with a trailing newline.
pub fn render(options: &PolicyOptions) -> Result<String, PolicyError> {
    let mut resources = Vec::new();
    let mut custom_ids = Vec::new();
    for (rule, member) in members() {
        let Definition::Custom(custom) = member.definition else {
            continue;
        };
        resources.push(custom_definition(rule, custom)?);
        custom_ids.push(Value::String(
            options.scope.resource_id(DEFINITION_TYPE, custom.name),
        ));
    }
    resources.push(initiative(options, &custom_ids));
    let template = json!({
        "$schema": options.scope.schema(),
        "contentVersion": "1.0.0.0",
        "metadata": {
            "description": literal(
                "Generated by `isolint policy`: isolint's custom policy definitions and the \
                 initiative that enforces isolint's rules at deployment. See docs/policy.md."
            ),
        },
        "resources": resources,
        "outputs": {
            "policySetDefinitionId": {
                "type": "string",
                "value": options.scope.resource_id(SET_TYPE, &options.name),
            },
        },
    });
    // Serializing a `Value` cannot fail: every key is a string.
    let mut out = serde_json::to_string_pretty(&template).unwrap_or_default();
    out.push('\n');
    Ok(out)
}

/// A `policyDefinitions` resource for one of isolint's own definitions, which enforces the
/// rule `rule`.
fn custom_definition(rule: &str, custom: &CustomDefinition) -> Result<Value, PolicyError> {
    let policy_rule: Value =
        serde_json::from_str(custom.policy_rule).map_err(|error| PolicyError {
            definition: custom.name,
            message: error.to_string(),
        })?;
    Ok(json!({
        "type": DEFINITION_TYPE,
        "apiVersion": API_VERSION,
        "name": custom.name,
        "properties": {
            "displayName": literal(custom.display_name),
            "description": literal(custom.description),
            "policyType": "Custom",
            "mode": custom.mode,
            "metadata": {
                "category": custom.category,
                "version": custom.version,
                "source": "isolint",
                "isolintRule": rule,
            },
            "parameters": {
                "effect": parameter(
                    custom.effects,
                    custom.effects.allowed()[0],
                    "Effect",
                    effect_description(custom.effects),
                ),
            },
            "policyRule": arm_literal(policy_rule),
        },
    }))
}

/// The `policySetDefinitions` resource.
fn initiative(options: &PolicyOptions, custom_ids: &[Value]) -> Value {
    let mut parameters = Map::new();
    for effects in [
        Effects::AuditOrDeny,
        Effects::AuditOnly,
        Effects::AuditIfNotExists,
    ] {
        if !members().any(|(_, member)| member.definition.effects() == effects) {
            continue;
        }
        let default = match effects {
            Effects::AuditOrDeny => options.effect.as_str(),
            Effects::AuditOnly | Effects::AuditIfNotExists => effects.allowed()[0],
        };
        parameters.insert(
            effects.parameter().to_owned(),
            parameter(
                effects,
                default,
                initiative_parameter_title(effects),
                effect_description(effects),
            ),
        );
    }

    let groups: Vec<Value> = RULE_POLICIES
        .iter()
        .filter(|entry| matches!(entry.enforcement, Enforcement::Members(_)))
        .map(|entry| {
            let rule = find_rule(entry.rule);
            json!({
                "name": entry.rule,
                "displayName": literal(&rule.map_or_else(
                    || entry.rule.to_owned(),
                    |rule| format!("{} {}", rule.id, rule.name),
                )),
                "description": literal(&rule.map(Rule::summary).unwrap_or_default()),
            })
        })
        .collect();

    let references: Vec<Value> = members()
        .map(|(rule, member)| {
            let definition = &member.definition;
            let mut reference = Map::new();
            let (reference_id, definition_id, version) = match definition {
                Definition::BuiltIn { id, .. } => (
                    format!("{rule}-{}", id.split('-').next().unwrap_or(id)),
                    built_in_definition(id).map_or_else(
                        || format!("/providers/Microsoft.Authorization/policyDefinitions/{id}"),
                        BuiltInDefinition::resource_id,
                    ),
                    built_in_definition(id).map(BuiltInDefinition::definition_version),
                ),
                Definition::Custom(custom) => (
                    format!("{rule}-isolint"),
                    options.scope.resource_id(DEFINITION_TYPE, custom.name),
                    None,
                ),
            };
            reference.insert("policyDefinitionReferenceId".into(), reference_id.into());
            reference.insert("policyDefinitionId".into(), definition_id.into());
            if let Some(version) = version {
                reference.insert("definitionVersion".into(), version.into());
            }
            reference.insert(
                "parameters".into(),
                json!({
                    definition.effect_parameter(): {
                        "value": literal(&format!(
                            "[parameters('{}')]",
                            definition.effects().parameter()
                        )),
                    },
                }),
            );
            reference.insert("groupNames".into(), json!([rule]));
            Value::Object(reference)
        })
        .collect();

    let not_enforced: Vec<&str> = RULE_POLICIES
        .iter()
        .filter(|entry| matches!(entry.enforcement, Enforcement::NotEnforceable(_)))
        .map(|entry| entry.rule)
        .collect();
    let description = format!(
        "Enforces at deployment what isolint's rules check in review: Azure Machine Learning \
         workspaces, their storage, key vault, container registry and Application Insights, \
         and their computes, network-isolated. Not enforceable by Azure Policy: {} (each \
         rule's page says why).",
        not_enforced.join(", ")
    );

    json!({
        "type": SET_TYPE,
        "apiVersion": API_VERSION,
        "name": literal(&options.name),
        "dependsOn": custom_ids,
        "properties": {
            "displayName": literal(&options.display_name),
            "description": literal(&description),
            "policyType": "Custom",
            "metadata": {
                "category": "Machine Learning",
                "version": INITIATIVE_VERSION,
                "source": "isolint",
            },
            "parameters": parameters,
            "policyDefinitionGroups": groups,
            "policyDefinitions": references,
        },
    })
}

/// The portal's title for an initiative parameter.
fn initiative_parameter_title(effects: Effects) -> &'static str {
    match effects {
        Effects::AuditOrDeny => "Effect",
        Effects::AuditOnly => "Effect of the audit-only members",
        Effects::AuditIfNotExists => "Effect of the members that audit a related resource",
    }
}

/// What an effect parameter decides, for the portal.
fn effect_description(effects: Effects) -> &'static str {
    match effects {
        Effects::AuditOrDeny => {
            "Audit reports a non-compliant resource, Deny refuses to deploy it, Disabled turns \
             the check off."
        }
        Effects::AuditOnly => {
            "Audit or Disabled. These checks can only hold after deployment (a private \
             endpoint is created after the resource it reaches), so Deny would refuse every \
             new resource."
        }
        Effects::AuditIfNotExists => {
            "AuditIfNotExists or Disabled. These checks look at a related resource after \
             deployment."
        }
    }
}

/// A `String` effect parameter declaration.
fn parameter(effects: Effects, default: &str, title: &str, description: &str) -> Value {
    json!({
        "type": "String",
        "metadata": {
            "displayName": literal(title),
            "description": literal(description),
        },
        "allowedValues": effects.allowed(),
        "defaultValue": default,
    })
}

/// A string that ARM must pass through as it is: one that reads as a template expression
/// (`[...]`) is escaped as `[[...]`.
fn literal(text: &str) -> Value {
    if text.starts_with('[') && text.ends_with(']') {
        Value::String(format!("[{text}"))
    } else {
        Value::String(text.to_owned())
    }
}

/// `value` with every string ARM would evaluate escaped, so that Azure Policy receives the
/// policy expressions (`[parameters('effect')]`, `[field(...)]`) unevaluated.
fn arm_literal(value: Value) -> Value {
    match value {
        Value::String(text) => literal(&text),
        Value::Array(items) => Value::Array(items.into_iter().map(arm_literal).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (key, arm_literal(value)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_are_escaped_and_literals_kept() {
        assert_eq!(
            literal("[parameters('effect')]"),
            json!("[[parameters('effect')]")
        );
        assert_eq!(literal("[not an expression"), json!("[not an expression"));
        assert_eq!(literal("Audit"), json!("Audit"));
        assert_eq!(
            arm_literal(json!({ "a": ["[x]", 1, { "b": "[y]" }] })),
            json!({ "a": ["[[x]", 1, { "b": "[[y]" }] })
        );
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name(DEFAULT_NAME).is_ok());
        assert!(check_name("a_B-9").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name(&"a".repeat(65)).is_err());
        assert!(check_name("it's").unwrap_err().contains("`'`"));
        assert!(check_name("a/b").is_err());
        assert!(check_display_name(DEFAULT_DISPLAY_NAME).is_ok());
        assert!(check_display_name("[Preview] mine").is_ok());
        assert!(check_display_name(" ").is_err());
        assert!(check_display_name("a\nb").is_err());
        assert!(check_display_name(&"é".repeat(129)).is_err());
    }

    #[test]
    fn ids_quote_names_for_each_scope() {
        assert_eq!(
            Scope::ManagementGroup.resource_id(SET_TYPE, "a'b"),
            "[extensionResourceId(managementGroup().id, 'Microsoft.Authorization/policySetDefinitions', 'a''b')]"
        );
        assert_eq!(
            Scope::Subscription.resource_id(DEFINITION_TYPE, "x"),
            "[subscriptionResourceId('Microsoft.Authorization/policyDefinitions', 'x')]"
        );
    }
}
