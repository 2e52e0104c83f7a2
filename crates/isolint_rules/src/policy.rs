//! How each rule is enforced at deployment by Azure Policy: the data behind `isolint policy`.
//!
//! Three tables, all data:
//! - [`BUILT_IN_DEFINITIONS`]: the built-in Azure Policy definitions the references list
//!   (`reference/modules-and-inputs.md` §6, Azure/azure-policy @ f4a50ba), by ID, display name
//!   and version. Every built-in the mapping uses, and every definition ID any text here
//!   names, must be in it (a test says so).
//! - [`PROPERTY_ALIASES`]: the ARM property paths isolint's rules read, each with the policy
//!   alias that reads it where the references document one. A custom definition uses only
//!   documented aliases: an alias Azure does not know makes the whole deployment fail.
//! - [`RULE_POLICIES`]: per rule, the members of the initiative that enforce it (built-in or
//!   custom definitions, and how each differs from the rule), or why Azure Policy cannot.
//!
//! The renderer (`isolint_output::policy`) turns them into a deployable initiative; the docs
//! generator (`cargo xtask docs`) into each rule page's "Azure Policy" section.

/// A built-in Azure Policy definition, as the references list it.
#[derive(Debug)]
pub struct BuiltInDefinition {
    /// The definition's name: a GUID.
    pub id: &'static str,
    /// The display name.
    pub display_name: &'static str,
    /// The version (`2.0.1`).
    pub version: &'static str,
    /// The effects the references list for it.
    pub effects: &'static [&'static str],
    /// Retired by Microsoft: never used.
    pub deprecated: bool,
}

impl BuiltInDefinition {
    /// The ID an initiative references it by: built-ins live at the tenant root.
    pub fn resource_id(&self) -> String {
        format!(
            "/providers/Microsoft.Authorization/policyDefinitions/{}",
            self.id
        )
    }

    /// The version pattern an initiative pins: the same major version (`2.*.*`), so that
    /// Microsoft's fixes apply and a breaking change does not.
    pub fn definition_version(&self) -> String {
        let major = self.version.split('.').next().unwrap_or(self.version);
        format!("{major}.*.*")
    }
}

const AUDIT_DENY_DISABLED: &[&str] = &["Audit", "Deny", "Disabled"];
const AUDIT_DISABLED: &[&str] = &["Audit", "Disabled"];
const AUDIT_IF_NOT_EXISTS: &[&str] = &["AuditIfNotExists", "Disabled"];
const MODIFY: &[&str] = &["Modify"];
const DEPLOY_IF_NOT_EXISTS: &[&str] = &["DeployIfNotExists"];

/// The built-in definitions of `reference/modules-and-inputs.md` §6, in its order.
pub static BUILT_IN_DEFINITIONS: &[BuiltInDefinition] = &[
    built_in(
        "438c38d2-3772-465a-a9cc-7a6666a275ce",
        "Azure Machine Learning Workspaces should disable public network access",
        "2.0.1",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "a10ee784-7409-4941-b091-663697637c0f",
        "Configure Azure Machine Learning Workspaces to disable public network access",
        "1.0.3",
        MODIFY,
    ),
    built_in(
        "45e05259-1eb5-4f70-9574-baf73e9d219b",
        "Azure Machine Learning workspaces should use private link",
        "1.0.0",
        AUDIT_DISABLED,
    ),
    BuiltInDefinition {
        id: "40cec1dd-a100-4920-b15b-3024fe8901ab",
        display_name: "[Deprecated]: Azure Machine Learning workspaces should use private link",
        version: "1.1.0-deprecated",
        effects: &[],
        deprecated: true,
    },
    built_in(
        "7838fd83-5cbb-4b5d-888c-bfa240972597",
        "Configure Azure Machine Learning workspaces with private endpoints",
        "1.0.0",
        DEPLOY_IF_NOT_EXISTS,
    ),
    built_in(
        "ee40564d-486e-4f68-a5ca-7a621edae0fb",
        "Configure Azure Machine Learning workspace to use private DNS zones",
        "1.1.0",
        DEPLOY_IF_NOT_EXISTS,
    ),
    built_in(
        "6ddb1705-c8cf-450e-aa4b-19ad6703c440",
        "Azure Machine Learning and Ai Studio should use Allow Only Approved Outbound Managed Vnet mode",
        "1.0.0",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "7804b5c7-01dc-4723-969b-ae300cc07ff1",
        "Azure Machine Learning Computes should be in a virtual network",
        "1.0.1",
        AUDIT_DISABLED,
    ),
    built_in(
        "e96a9a5f-07ca-471b-9bc5-6a0f33cbd68f",
        "Azure Machine Learning Computes should have local authentication methods disabled",
        "2.1.0",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "a6f9a2d0-cff7-4855-83ad-4cd750666512",
        "Configure Azure Machine Learning Computes to disable local authentication methods",
        "2.1.0",
        MODIFY,
    ),
    built_in(
        "e413671a-dd10-4cc1-a943-45b598596cb7",
        "Azure Machine Learning workspaces should enable V1LegacyMode to support network isolation backward compatibility",
        "1.0.0",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "5f0c7d88-c7de-45b8-ac49-db49e72eaa78",
        "Azure Machine Learning workspaces should use user-assigned managed identity",
        "1.0.0",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "ba769a63-b8cc-4b2d-abf6-ac33c7204be8",
        "Azure Machine Learning workspaces should be encrypted with a customer-managed key",
        "1.1.0",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "bd560fc0-3c69-498a-ae9f-aa8eb7de0e13",
        "Container registries should have SKUs that support Private Links",
        "1.0.0",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "e8eef0a8-67cf-4eb4-9386-14b0e78733d4",
        "Container registries should use private link",
        "1.0.1",
        AUDIT_DISABLED,
    ),
    built_in(
        "0fdf0491-d080-4575-b627-ad0e843cba0f",
        "Public network access should be disabled for Container registries",
        "1.0.0",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "d0793b48-0edc-4296-a390-4c75d1bdfd71",
        "Container registries should not allow unrestricted network access",
        "2.0.0",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "6edd7eda-6dd8-40f7-810d-67160c639cd9",
        "Storage accounts should use private link",
        "2.0.0",
        AUDIT_IF_NOT_EXISTS,
    ),
    built_in(
        "b2982f36-99f2-4db5-8eff-283140c09693",
        "Storage accounts should disable public network access",
        "1.0.1",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "34c877ad-507e-4c82-993e-3452a6e0ad3c",
        "Storage accounts should restrict network access",
        "1.1.1",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "a6abeaec-4d90-4a02-805f-6b26c4d3fbe9",
        "Azure Key Vaults should use private link",
        "1.2.1",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "405c5871-3e91-4644-8a63-58e19d68ff5b",
        "Azure Key Vault should disable public network access",
        "1.1.0",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "55615ac9-af46-4a59-874e-391cc3dfb490",
        "Azure Key Vault should have firewall enabled or public network access disabled",
        "3.3.0",
        AUDIT_DENY_DISABLED,
    ),
    built_in(
        "1bc02227-0cb6-4e11-8f53-eb0b22eab7e8",
        "Application Insights components should block log ingestion and querying from public networks",
        "1.1.0",
        &["audit", "deny", "disabled"],
    ),
    built_in(
        "a499fed8-bcc8-4195-b154-641f14743757",
        "Azure Monitor Private Link Scope should block access to non private link resources",
        "1.0.0",
        AUDIT_DENY_DISABLED,
    ),
];

/// A row of [`BUILT_IN_DEFINITIONS`] that Microsoft has not retired.
const fn built_in(
    id: &'static str,
    display_name: &'static str,
    version: &'static str,
    effects: &'static [&'static str],
) -> BuiltInDefinition {
    BuiltInDefinition {
        id,
        display_name,
        version,
        effects,
        deprecated: false,
    }
}

/// The built-in definition with this ID, if the references list it.
pub fn built_in_definition(id: &str) -> Option<&'static BuiltInDefinition> {
    BUILT_IN_DEFINITIONS
        .iter()
        .find(|definition| definition.id.eq_ignore_ascii_case(id))
}

/// The effects a member of the initiative may be given, which decides the initiative
/// parameter it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effects {
    /// `Audit`, `Deny` or `Disabled`: the initiative's effect parameter, which
    /// `isolint policy --effect` sets.
    AuditOrDeny,
    /// `Audit` or `Disabled`: a check that can only hold after deployment (a private
    /// endpoint is created after the resource it reaches), so that `Deny` would refuse every
    /// new resource.
    AuditOnly,
    /// `AuditIfNotExists` or `Disabled`: a check on a related resource.
    AuditIfNotExists,
}

impl Effects {
    /// The initiative parameter that members given these effects read.
    pub fn parameter(self) -> &'static str {
        match self {
            Self::AuditOrDeny => "effect",
            Self::AuditOnly => "auditEffect",
            Self::AuditIfNotExists => "auditIfNotExistsEffect",
        }
    }

    /// The values the effect parameter allows, the default first.
    pub fn allowed(self) -> &'static [&'static str] {
        match self {
            Self::AuditOrDeny => AUDIT_DENY_DISABLED,
            Self::AuditOnly => AUDIT_DISABLED,
            Self::AuditIfNotExists => AUDIT_IF_NOT_EXISTS,
        }
    }
}

/// An ARM property path that a rule reads, and the Azure Policy alias that reads it.
#[derive(Debug)]
pub struct PropertyAlias {
    /// The ARM resource type.
    pub resource_type: &'static str,
    /// The ARM path, as the rules spell it (`properties.publicNetworkAccess`).
    pub property: &'static str,
    /// The alias, where the references document one: `None` otherwise, and then no
    /// definition of isolint's may use the property.
    pub alias: Option<&'static str>,
    /// The built-in definition (in [`BUILT_IN_DEFINITIONS`]) whose policy rule uses the
    /// alias, which is how the references document it; for an undocumented property, what
    /// would be needed.
    pub evidence: &'static str,
}

/// What the rules read, and the aliases the references document for it. An alias is
/// documented when a built-in definition of [`BUILT_IN_DEFINITIONS`] uses it in its policy
/// rule (the rule texts are in Azure/azure-policy, the references' source [POL]).
pub static PROPERTY_ALIASES: &[PropertyAlias] = &[
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces",
        property: "properties.publicNetworkAccess",
        alias: Some("Microsoft.MachineLearningServices/workspaces/publicNetworkAccess"),
        evidence: "438c38d2-3772-465a-a9cc-7a6666a275ce",
    },
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces",
        property: "properties.managedNetwork.isolationMode",
        alias: Some("Microsoft.MachineLearningServices/workspaces/managedNetwork.isolationMode"),
        evidence: "6ddb1705-c8cf-450e-aa4b-19ad6703c440",
    },
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces",
        property: "properties.privateEndpointConnections[*]",
        alias: Some("Microsoft.MachineLearningServices/workspaces/privateEndpointConnections[*]"),
        evidence: "45e05259-1eb5-4f70-9574-baf73e9d219b",
    },
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces",
        property: "properties.privateEndpointConnections[*].properties.privateLinkServiceConnectionState.status",
        alias: Some(
            "Microsoft.MachineLearningServices/workspaces/privateEndpointConnections[*].privateLinkServiceConnectionState.status",
        ),
        evidence: "45e05259-1eb5-4f70-9574-baf73e9d219b",
    },
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces/computes",
        property: "properties.computeType",
        alias: Some("Microsoft.MachineLearningServices/workspaces/computes/computeType"),
        evidence: "7804b5c7-01dc-4723-969b-ae300cc07ff1",
    },
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces/computes",
        property: "properties.properties.subnet.id",
        alias: Some("Microsoft.MachineLearningServices/workspaces/computes/subnet.id"),
        evidence: "7804b5c7-01dc-4723-969b-ae300cc07ff1",
    },
    PropertyAlias {
        resource_type: "Microsoft.Storage/storageAccounts",
        property: "properties.publicNetworkAccess",
        alias: Some("Microsoft.Storage/storageAccounts/publicNetworkAccess"),
        evidence: "b2982f36-99f2-4db5-8eff-283140c09693",
    },
    PropertyAlias {
        resource_type: "Microsoft.Storage/storageAccounts",
        property: "properties.networkAcls.defaultAction",
        alias: Some("Microsoft.Storage/storageAccounts/networkAcls.defaultAction"),
        evidence: "34c877ad-507e-4c82-993e-3452a6e0ad3c",
    },
    // Not documented: no built-in definition of the references reads these properties, so
    // their aliases (if Azure has them) are not known here, and nothing of isolint's uses
    // them. `az provider show --namespace Microsoft.MachineLearningServices --expand
    // "resourceTypes/aliases"` lists the aliases Azure has; add one here with its evidence
    // before a definition uses it.
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces",
        property: "properties.allowPublicAccessWhenBehindVnet",
        alias: None,
        evidence: "no built-in definition of the references reads it",
    },
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces",
        property: "properties.managedNetwork.outboundRules",
        alias: None,
        evidence: "no built-in definition of the references reads it",
    },
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces",
        property: "properties.imageBuildCompute",
        alias: None,
        evidence: "no built-in definition of the references reads it",
    },
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces/computes",
        property: "properties.properties.enableNodePublicIp",
        alias: None,
        evidence: "no built-in definition of the references reads it",
    },
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces/computes",
        property: "properties.properties.remoteLoginPortPublicAccess",
        alias: None,
        evidence: "no built-in definition of the references reads it",
    },
    PropertyAlias {
        resource_type: "Microsoft.MachineLearningServices/workspaces/computes",
        property: "properties.properties.sshSettings.sshPublicAccess",
        alias: None,
        evidence: "no built-in definition of the references reads it",
    },
];

/// The documented alias with this name, if any.
pub fn documented_alias(alias: &str) -> Option<&'static PropertyAlias> {
    PROPERTY_ALIASES.iter().find(|entry| {
        entry
            .alias
            .is_some_and(|known| known.eq_ignore_ascii_case(alias))
    })
}

/// A policy definition of isolint's own, for a rule no built-in matches. It is deployed
/// beside the initiative, in the same template.
#[derive(Debug)]
pub struct CustomDefinition {
    /// The definition's resource name: `isolint-<rule ID>-<rule name>`, lower case.
    pub name: &'static str,
    /// The display name.
    pub display_name: &'static str,
    /// What it checks, for the portal.
    pub description: &'static str,
    /// The policy category (`Machine Learning`, `Storage`).
    pub category: &'static str,
    /// The definition's version; raise it when the policy rule changes.
    pub version: &'static str,
    /// `Indexed` or `All` (child resources such as computes are evaluated in `All`).
    pub mode: &'static str,
    /// The effects its `effect` parameter allows.
    pub effects: Effects,
    /// The policy rule, as Azure Policy JSON: `if` and `then`, whose effect is
    /// `[parameters('effect')]`. Only documented aliases ([`PROPERTY_ALIASES`]) and the
    /// standard fields `type`, `kind` and `fullName` are read.
    pub policy_rule: &'static str,
}

/// A definition the initiative includes.
#[derive(Debug)]
pub enum Definition {
    /// A built-in definition, referenced by ID.
    BuiltIn {
        /// Its ID, which [`BUILT_IN_DEFINITIONS`] lists.
        id: &'static str,
        /// The name of the parameter its policy rule reads the effect from.
        effect_parameter: &'static str,
        /// The effects given to it.
        effects: Effects,
    },
    /// One of isolint's own definitions, whose effect parameter is `effect`.
    Custom(&'static CustomDefinition),
}

impl Definition {
    /// The effects given to the definition.
    pub fn effects(&self) -> Effects {
        match self {
            Self::BuiltIn { effects, .. } => *effects,
            Self::Custom(custom) => custom.effects,
        }
    }

    /// The name of the definition's effect parameter.
    pub fn effect_parameter(&self) -> &'static str {
        match self {
            Self::BuiltIn {
                effect_parameter, ..
            } => effect_parameter,
            Self::Custom(_) => "effect",
        }
    }
}

/// One member of the initiative, and how it differs from the rule.
#[derive(Debug)]
pub struct Member {
    /// The definition.
    pub definition: Definition,
    /// How the definition's verdict differs from the rule's, in Markdown; empty when it
    /// does not.
    pub differences: &'static str,
}

/// How a rule is enforced at deployment.
#[derive(Debug)]
pub enum Enforcement {
    /// By these members of the initiative.
    Members(&'static [Member]),
    /// Not at all: why Azure Policy cannot enforce it, in Markdown.
    NotEnforceable(&'static str),
}

/// The Azure Policy enforcement of one rule.
#[derive(Debug)]
pub struct RulePolicy {
    /// The rule's ID.
    pub rule: &'static str,
    /// How it is enforced.
    pub enforcement: Enforcement,
}

/// The enforcement of `rule_id`, if the table has it (every rule in
/// [`RULES`](crate::RULES) does; a test says so).
pub fn policy_for(rule_id: &str) -> Option<&'static RulePolicy> {
    RULE_POLICIES
        .iter()
        .find(|entry| entry.rule.eq_ignore_ascii_case(rule_id))
}

/// Every rule's enforcement, by rule ID.
pub static RULE_POLICIES: &[RulePolicy] = &[
    RulePolicy {
        rule: "AML001",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::Custom(&WORKSPACE_PUBLIC_NETWORK_ACCESS),
            differences: "Built-in 438c38d2-3772-465a-a9cc-7a6666a275ce also flags a \
                workspace of kind `Project` that leaves `publicNetworkAccess` out, which \
                inherits its hub's network and passes this rule: with `Deny` it would refuse \
                such projects, so isolint's own definition exempts them. The legacy switch \
                `allowPublicAccessWhenBehindVnet` is not enforced: the references document no \
                policy alias for it.",
        }]),
    },
    RulePolicy {
        rule: "AML002",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::Custom(&WORKSPACE_MANAGED_NETWORK_DISABLED),
            differences: "Built-in 6ddb1705-c8cf-450e-aa4b-19ad6703c440 compares \
                `managedNetwork.isolationMode` with one value, its `isolationMode` parameter \
                (default `Disabled`): it cannot accept both managed modes as this rule does, \
                so isolint uses its own definition. A workspace that brings its own virtual \
                network instead needs a policy exemption, as it needs a suppression here.",
        }]),
    },
    RulePolicy {
        rule: "AML003",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::Custom(&WORKSPACE_PRIVATE_ENDPOINT_MISSING),
            differences: "Azure sees approved private endpoint connections, not the files: \
                an endpoint declared elsewhere counts, a pending one does not, and the private \
                endpoint a managed network creates to the workspace counts although clients \
                cannot use it. It audits only (a private endpoint is created after its \
                workspace, so `Deny` would refuse every workspace). Built-in \
                45e05259-1eb5-4f70-9574-baf73e9d219b is not used: it also flags public \
                workspaces and projects, which this rule leaves to AML001 and to the hub.",
        }]),
    },
    RulePolicy {
        rule: "AML004",
        enforcement: Enforcement::NotEnforceable(
            "The zones are in a child resource (`privateDnsZoneGroups`) of the private \
             endpoint, deployed after it, and the references document no alias for its zone \
             configurations, so no audit or deny can compare them. Built-in \
             ee40564d-486e-4f68-a5ca-7a621edae0fb (`DeployIfNotExists`) remediates instead: it \
             creates the zone group when given the zone IDs and a managed identity, which is \
             an assignment of its own, not part of an audit/deny initiative.",
        ),
    },
    RulePolicy {
        rule: "AML005",
        enforcement: Enforcement::NotEnforceable(
            "The references document no policy alias for `managedNetwork.outboundRules` (nor \
             for the `workspaces/outboundRules` child resource), so no definition can read an \
             outbound rule's type.",
        ),
    },
    RulePolicy {
        rule: "AML006",
        enforcement: Enforcement::NotEnforceable(
            "The references document no policy alias for `managedNetwork.outboundRules` (nor \
             for the `workspaces/outboundRules` child resource), so no definition can read an \
             outbound rule's destination.",
        ),
    },
    RulePolicy {
        rule: "AML007",
        enforcement: Enforcement::NotEnforceable(
            "The rule joins the workspace with the container registry it links (private or \
             not), which a policy evaluating one resource cannot do, and the references \
             document no policy alias for `imageBuildCompute`.",
        ),
    },
    RulePolicy {
        rule: "AML101",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::Custom(&STORAGE_PUBLIC_NETWORK_ACCESS),
            differences: "Policy sees every storage account in the assignment's scope, not only \
                those a workspace links. Built-ins b2982f36-99f2-4db5-8eff-283140c09693 \
                (public network access) and 34c877ad-507e-4c82-993e-3452a6e0ad3c (network \
                rules) each flag an account that closes the other door, which passes this \
                rule, so isolint uses its own definition that requires both to be open.",
        }]),
    },
    RulePolicy {
        rule: "AML102",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::BuiltIn {
                id: "6edd7eda-6dd8-40f7-810d-67160c639cd9",
                effect_parameter: "effect",
                effects: Effects::AuditIfNotExists,
            },
            differences: "Policy sees every storage account in the assignment's scope, and \
                one approved private endpoint connection of any group satisfies it (the rule \
                wants `blob` and `file`). The private endpoints a managed network creates \
                count once the network is provisioned (at its first compute), so a covered \
                account is audited until then. It audits only, after deployment.",
        }]),
    },
    RulePolicy {
        rule: "AML111",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::BuiltIn {
                id: "55615ac9-af46-4a59-874e-391cc3dfb490",
                effect_parameter: "effect",
                effects: Effects::AuditOrDeny,
            },
            differences: "Policy sees every key vault in the assignment's scope, not only those \
                a workspace links, and skips vaults created in recover mode.",
        }]),
    },
    RulePolicy {
        rule: "AML112",
        enforcement: Enforcement::Members(&[Member {
            // The references list Audit/Deny/Disabled: that is the deprecated `effect`
            // parameter, which the policy rule no longer reads. It reads `audit_effect`
            // (Audit/Disabled): Azure/azure-policy `Key Vault/Should_Use_PrivateEndpoint_Audit.json`.
            definition: Definition::BuiltIn {
                id: "a6abeaec-4d90-4a02-805f-6b26c4d3fbe9",
                effect_parameter: "audit_effect",
                effects: Effects::AuditOnly,
            },
            differences: "Policy sees every key vault in the assignment's scope and wants an \
                approved private endpoint connection; the ones a managed network creates count \
                once it is provisioned. It audits only: a vault and its private endpoint \
                cannot be created together, so `Deny` would refuse every vault.",
        }]),
    },
    RulePolicy {
        rule: "AML121",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::BuiltIn {
                id: "d0793b48-0edc-4296-a390-4c75d1bdfd71",
                effect_parameter: "effect",
                effects: Effects::AuditOrDeny,
            },
            differences: "Policy sees every container registry in the assignment's scope, not \
                only those a workspace links.",
        }]),
    },
    RulePolicy {
        rule: "AML122",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::BuiltIn {
                id: "e8eef0a8-67cf-4eb4-9386-14b0e78733d4",
                effect_parameter: "effect",
                effects: Effects::AuditOnly,
            },
            differences: "Policy sees every container registry in the assignment's scope and \
                wants an approved private endpoint connection; the ones a managed network \
                creates count once it is provisioned. It audits only, after deployment.",
        }]),
    },
    RulePolicy {
        rule: "AML123",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::BuiltIn {
                id: "bd560fc0-3c69-498a-ae9f-aa8eb7de0e13",
                effect_parameter: "effect",
                effects: Effects::AuditOrDeny,
            },
            differences: "Policy sees every container registry in the assignment's scope, not \
                only those a workspace links.",
        }]),
    },
    RulePolicy {
        rule: "AML131",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::BuiltIn {
                id: "1bc02227-0cb6-4e11-8f53-eb0b22eab7e8",
                effect_parameter: "effect",
                effects: Effects::AuditOrDeny,
            },
            differences: "Policy sees every Application Insights component in the \
                assignment's scope, not only those a workspace links.",
        }]),
    },
    RulePolicy {
        rule: "AML201",
        enforcement: Enforcement::NotEnforceable(
            "The references document no policy alias for \
             `properties.properties.enableNodePublicIp`.",
        ),
    },
    RulePolicy {
        rule: "AML202",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::BuiltIn {
                id: "e96a9a5f-07ca-471b-9bc5-6a0f33cbd68f",
                effect_parameter: "effect",
                effects: Effects::AuditOrDeny,
            },
            differences: "",
        }]),
    },
    RulePolicy {
        rule: "AML203",
        enforcement: Enforcement::NotEnforceable(
            "The references document no policy alias for \
             `properties.properties.remoteLoginPortPublicAccess` or \
             `properties.properties.sshSettings.sshPublicAccess`, and for a cluster that \
             leaves its SSH port unspecified the rule also depends on the node public IP \
             (undocumented too) and the workspace's network.",
        ),
    },
    RulePolicy {
        rule: "AML204",
        enforcement: Enforcement::NotEnforceable(
            "Azure itself refuses a compute with a subnet in a workspace with a managed \
             network, so the deployment fails without a policy; the rule exists to say so \
             before it does.",
        ),
    },
    RulePolicy {
        rule: "AML205",
        enforcement: Enforcement::Members(&[Member {
            definition: Definition::Custom(&COMPUTE_OUTSIDE_NETWORK),
            differences: "Built-in 7804b5c7-01dc-4723-969b-ae300cc07ff1 flags every compute \
                without a subnet, also those in a managed network, where a subnet is an error \
                (AML204), so isolint uses its own definition, which looks up the compute's \
                workspace. A project's computes are not judged (policy cannot follow the \
                project to its hub). It audits only, after deployment.",
        }]),
    },
    RulePolicy {
        rule: "AML301",
        enforcement: Enforcement::NotEnforceable(
            "The tags come from isolint's configuration (`required_tags`), which an initiative \
             generated without it cannot know; assign Azure's tag policies once per tag \
             instead.",
        ),
    },
    RulePolicy {
        rule: "COV001",
        enforcement: Enforcement::NotEnforceable(
            "A module isolint could not read is a fact about the files it was given, not a \
             property of a deployed resource: at deployment Azure sees every module's \
             resources, and the other rules' policies judge them.",
        ),
    },
];

/// AML001's definition: the built-in test, with projects that leave the property out
/// exempt.
static WORKSPACE_PUBLIC_NETWORK_ACCESS: CustomDefinition = CustomDefinition {
    name: "isolint-aml001-workspace-public-network-access",
    display_name: "isolint AML001: Azure Machine Learning workspaces should disable public network access",
    description: "Flags workspaces whose publicNetworkAccess is not Disabled; a workspace of kind Project that leaves it out inherits its hub's network and passes. isolint rule AML001.",
    category: "Machine Learning",
    version: "1.0.0",
    mode: "Indexed",
    effects: Effects::AuditOrDeny,
    policy_rule: r#"{
  "if": {
    "allOf": [
      { "field": "type", "equals": "Microsoft.MachineLearningServices/workspaces" },
      {
        "anyOf": [
          {
            "allOf": [
              { "field": "Microsoft.MachineLearningServices/workspaces/publicNetworkAccess", "exists": "true" },
              { "field": "Microsoft.MachineLearningServices/workspaces/publicNetworkAccess", "notEquals": "Disabled" }
            ]
          },
          {
            "allOf": [
              { "field": "Microsoft.MachineLearningServices/workspaces/publicNetworkAccess", "exists": "false" },
              { "field": "kind", "notEquals": "Project" }
            ]
          }
        ]
      }
    ]
  },
  "then": { "effect": "[parameters('effect')]" }
}"#,
};

/// AML002's definition: either managed mode passes.
static WORKSPACE_MANAGED_NETWORK_DISABLED: CustomDefinition = CustomDefinition {
    name: "isolint-aml002-workspace-managed-network-disabled",
    display_name: "isolint AML002: Azure Machine Learning workspaces should use a managed virtual network",
    description: "Flags workspaces whose managedNetwork.isolationMode is absent or Disabled; AllowInternetOutbound and AllowOnlyApprovedOutbound both pass. Projects inherit their hub's network and are not checked. isolint rule AML002.",
    category: "Machine Learning",
    version: "1.0.0",
    mode: "Indexed",
    effects: Effects::AuditOrDeny,
    policy_rule: r#"{
  "if": {
    "allOf": [
      { "field": "type", "equals": "Microsoft.MachineLearningServices/workspaces" },
      { "field": "kind", "notEquals": "Project" },
      {
        "anyOf": [
          { "field": "Microsoft.MachineLearningServices/workspaces/managedNetwork.isolationMode", "exists": "false" },
          {
            "field": "Microsoft.MachineLearningServices/workspaces/managedNetwork.isolationMode",
            "notIn": ["AllowInternetOutbound", "AllowOnlyApprovedOutbound"]
          }
        ]
      }
    ]
  },
  "then": { "effect": "[parameters('effect')]" }
}"#,
};

/// AML003's definition: a closed workspace without an approved private endpoint.
static WORKSPACE_PRIVATE_ENDPOINT_MISSING: CustomDefinition = CustomDefinition {
    name: "isolint-aml003-workspace-private-endpoint-missing",
    display_name: "isolint AML003: Azure Machine Learning workspaces closed to the public should have a private endpoint",
    description: "Flags workspaces whose publicNetworkAccess is Disabled and that have no approved private endpoint connection: clients cannot reach them. Projects are reached through their hub and are not checked. isolint rule AML003.",
    category: "Machine Learning",
    version: "1.0.0",
    mode: "Indexed",
    effects: Effects::AuditOnly,
    policy_rule: r#"{
  "if": {
    "allOf": [
      { "field": "type", "equals": "Microsoft.MachineLearningServices/workspaces" },
      { "field": "kind", "notEquals": "Project" },
      { "field": "Microsoft.MachineLearningServices/workspaces/publicNetworkAccess", "equals": "Disabled" },
      {
        "count": {
          "field": "Microsoft.MachineLearningServices/workspaces/privateEndpointConnections[*]",
          "where": {
            "field": "Microsoft.MachineLearningServices/workspaces/privateEndpointConnections[*].privateLinkServiceConnectionState.status",
            "equals": "Approved"
          }
        },
        "less": 1
      }
    ]
  },
  "then": { "effect": "[parameters('effect')]" }
}"#,
};

/// AML101's definition: both doors of the storage account open.
static STORAGE_PUBLIC_NETWORK_ACCESS: CustomDefinition = CustomDefinition {
    name: "isolint-aml101-storage-public-network-access",
    display_name: "isolint AML101: Storage accounts should not be open to all networks",
    description: "Flags storage accounts whose publicNetworkAccess is not Disabled and whose networkAcls.defaultAction is not Deny: open to every network. isolint rule AML101.",
    category: "Storage",
    version: "1.0.0",
    mode: "Indexed",
    effects: Effects::AuditOrDeny,
    policy_rule: r#"{
  "if": {
    "allOf": [
      { "field": "type", "equals": "Microsoft.Storage/storageAccounts" },
      { "field": "Microsoft.Storage/storageAccounts/publicNetworkAccess", "notEquals": "Disabled" },
      { "field": "Microsoft.Storage/storageAccounts/networkAcls.defaultAction", "notEquals": "Deny" }
    ]
  },
  "then": { "effect": "[parameters('effect')]" }
}"#,
};

/// AML205's definition: a compute without a subnet whose workspace has no managed network.
/// The workspace is the related resource: a compute's full name is `<workspace>/<compute>`,
/// and both live in one resource group.
static COMPUTE_OUTSIDE_NETWORK: CustomDefinition = CustomDefinition {
    name: "isolint-aml205-compute-outside-network",
    display_name: "isolint AML205: Azure Machine Learning computes should be in a virtual network or a managed network",
    description: "Flags compute clusters and instances that set no subnet while their workspace has no managed network. Unlike the built-in policy, a compute in a managed network passes. Computes of a project are not judged. isolint rule AML205.",
    category: "Machine Learning",
    version: "1.0.0",
    mode: "All",
    effects: Effects::AuditIfNotExists,
    policy_rule: r#"{
  "if": {
    "allOf": [
      { "field": "type", "equals": "Microsoft.MachineLearningServices/workspaces/computes" },
      { "field": "Microsoft.MachineLearningServices/workspaces/computes/computeType", "in": ["AmlCompute", "ComputeInstance"] },
      {
        "anyOf": [
          { "field": "Microsoft.MachineLearningServices/workspaces/computes/subnet.id", "exists": "false" },
          { "value": "[empty(field('Microsoft.MachineLearningServices/workspaces/computes/subnet.id'))]", "equals": true }
        ]
      }
    ]
  },
  "then": {
    "effect": "[parameters('effect')]",
    "details": {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "name": "[first(split(field('fullName'), '/'))]",
      "existenceCondition": {
        "anyOf": [
          {
            "field": "Microsoft.MachineLearningServices/workspaces/managedNetwork.isolationMode",
            "in": ["AllowInternetOutbound", "AllowOnlyApprovedOutbound"]
          },
          { "field": "kind", "equals": "Project" }
        ]
      }
    }
  }
}"#,
};

/// Every member of the initiative with the rule it enforces, in rule order.
pub fn members() -> impl Iterator<Item = (&'static str, &'static Member)> {
    RULE_POLICIES.iter().flat_map(|entry| {
        let members: &'static [Member] = match &entry.enforcement {
            Enforcement::Members(members) => members,
            Enforcement::NotEnforceable(_) => &[],
        };
        members.iter().map(move |member| (entry.rule, member))
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::RULES;

    #[test]
    fn every_rule_is_mapped_or_explained_once_in_registry_order() {
        let mapped: Vec<&str> = RULE_POLICIES.iter().map(|entry| entry.rule).collect();
        let registered: Vec<&str> = RULES.iter().map(|rule| rule.id).collect();
        let mut sorted = registered.clone();
        sorted.sort_unstable();
        assert_eq!(mapped, sorted, "one entry per rule in RULES, sorted by ID");
        for entry in RULE_POLICIES {
            match &entry.enforcement {
                Enforcement::Members(members) => assert!(!members.is_empty(), "{}", entry.rule),
                Enforcement::NotEnforceable(reason) => {
                    assert!(reason.ends_with('.') && reason.len() > 40, "{}", entry.rule);
                }
            }
        }
    }

    /// Every GUID-shaped word in `text`.
    fn guids(text: &str) -> Vec<&str> {
        let shape = [8, 4, 4, 4, 12];
        text.split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
            .filter(|word| {
                let parts: Vec<&str> = word.split('-').collect();
                parts.len() == shape.len()
                    && parts.iter().zip(shape).all(|(part, len)| part.len() == len)
            })
            .collect()
    }

    /// Every text of the mapping: differences, reasons, custom definitions.
    fn texts() -> Vec<&'static str> {
        let mut texts = Vec::new();
        for entry in RULE_POLICIES {
            match &entry.enforcement {
                Enforcement::Members(members) => {
                    texts.extend(members.iter().map(|member| member.differences));
                }
                Enforcement::NotEnforceable(reason) => texts.push(reason),
            }
        }
        for (_, member) in members() {
            if let Definition::Custom(custom) = member.definition {
                texts.extend([custom.display_name, custom.description, custom.policy_rule]);
            }
        }
        texts
    }

    #[test]
    fn every_definition_id_used_or_named_is_a_listed_current_built_in() {
        let mut used: Vec<&str> = members()
            .filter_map(|(_, member)| match member.definition {
                Definition::BuiltIn { id, .. } => Some(id),
                Definition::Custom(_) => None,
            })
            .collect();
        let named: Vec<&str> = texts().into_iter().flat_map(guids).collect();
        assert!(
            named.contains(&"6ddb1705-c8cf-450e-aa4b-19ad6703c440"),
            "the differences name the built-ins they compare with"
        );
        used.extend(named);
        for id in used {
            let definition = built_in_definition(id)
                .unwrap_or_else(|| panic!("{id} is not in BUILT_IN_DEFINITIONS"));
            assert!(!definition.deprecated, "{id} is deprecated");
            assert_eq!(definition.id, id, "spelled as the table spells it");
        }
        for alias in PROPERTY_ALIASES
            .iter()
            .filter(|alias| alias.alias.is_some())
        {
            let definition = built_in_definition(alias.evidence);
            assert!(
                definition.is_some_and(|d| !d.deprecated),
                "{}: evidence",
                alias.property
            );
        }
    }

    #[test]
    fn the_catalog_is_well_formed() {
        let mut ids = HashSet::new();
        for definition in BUILT_IN_DEFINITIONS {
            assert_eq!(guids(definition.id), [definition.id]);
            assert!(ids.insert(definition.id), "{} twice", definition.id);
            assert!(
                definition.version.split('.').count() >= 3,
                "{}",
                definition.id
            );
            assert_eq!(
                definition.deprecated,
                definition.display_name.starts_with("[Deprecated]")
            );
        }
        let deprecated = built_in_definition("40cec1dd-a100-4920-b15b-3024fe8901ab");
        assert!(deprecated.is_some_and(|d| d.deprecated));
        let pna = built_in_definition("438c38d2-3772-465a-a9cc-7a6666a275ce");
        assert_eq!(
            pna.map(BuiltInDefinition::resource_id).as_deref(),
            Some(
                "/providers/Microsoft.Authorization/policyDefinitions/438c38d2-3772-465a-a9cc-7a6666a275ce"
            )
        );
        assert_eq!(
            pna.map(BuiltInDefinition::definition_version).as_deref(),
            Some("2.*.*")
        );
    }

    #[test]
    fn built_ins_are_given_only_effects_they_allow_and_used_once() {
        let mut seen = HashSet::new();
        for (rule, member) in members() {
            let key = match &member.definition {
                Definition::BuiltIn { id, effects, .. } => {
                    let listed = built_in_definition(id).map_or(&[][..], |d| d.effects);
                    for effect in effects.allowed() {
                        assert!(
                            listed.iter().any(|l| l.eq_ignore_ascii_case(effect)),
                            "{rule}: {id} does not allow {effect}"
                        );
                    }
                    *id
                }
                Definition::Custom(custom) => custom.name,
            };
            assert!(seen.insert(key), "{key} is used twice");
        }
    }

    #[test]
    fn custom_definitions_follow_the_naming_convention() {
        for (rule_id, member) in members() {
            let Definition::Custom(custom) = member.definition else {
                continue;
            };
            let rule = RULES.iter().find(|rule| rule.id == rule_id);
            let expected =
                rule.map(|rule| format!("isolint-{}-{}", rule_id.to_lowercase(), rule.name));
            assert_eq!(Some(custom.name), expected.as_deref());
            // Policy definition names: at most 64 characters at a management group.
            assert!(custom.name.len() <= 64, "{}", custom.name);
            assert!(
                custom
                    .display_name
                    .starts_with(&format!("isolint {rule_id}: "))
            );
            assert!(
                custom
                    .description
                    .ends_with(&format!("isolint rule {rule_id}."))
            );
            assert!(matches!(custom.mode, "Indexed" | "All"));
            assert!(custom.policy_rule.contains("\"[parameters('effect')]\""));
        }
    }

    #[test]
    fn undocumented_properties_are_named_where_a_rule_is_left_out() {
        let undocumented: Vec<&str> = PROPERTY_ALIASES
            .iter()
            .filter(|alias| alias.alias.is_none())
            .map(|alias| alias.property.trim_start_matches("properties."))
            .collect();
        let texts = texts().join("\n");
        for property in undocumented {
            let leaf = property.rsplit('.').next().unwrap_or(property);
            assert!(
                texts.contains(leaf),
                "no text says why `{property}` is not used"
            );
        }
    }
}
