//! A resource as every frontend describes it: ARM type, name, evaluated body, origin.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::id::{NamePart, ResourceId};
use crate::paths;
use crate::source::{FileId, Span};
use crate::types::same_type;
use crate::value::{Node, Prop};
use crate::vocabulary::Vocabulary;

/// One root evaluation: a template with everything it calls (nested deployments, modules).
/// Symbolic names only match within one root, because `parameters('name')` in two
/// unrelated templates names two different things.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RootId(pub u32);

impl RootId {
    /// A root id no other evaluation in this process has.
    pub fn fresh() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// The language a declaration was written in, so that help can be given in its syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// An ARM JSON template.
    Arm,
    /// A Bicep file.
    Bicep,
    /// A Terraform `azurerm_*` resource (attribute names differ from ARM's).
    Terraform,
    /// A Terraform `azapi_*` resource (an ARM body written in HCL).
    Azapi,
}

/// Whether a resource is always deployed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Deployed unconditionally (or under a condition that evaluated to true without
    /// depending on anything a deployment could change).
    Always,
    /// Deployed only when this expression holds at deployment time (or under parameter
    /// defaults). Linted as if deployed.
    When {
        /// The condition, as canonical ARM expression text.
        expr: Arc<str>,
    },
}

/// Where a resource was declared.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The file that declares it.
    pub file: FileId,
    /// The whole declaration; several when later declarations of the same resource were
    /// merged into it (the first is the original).
    pub decls: Vec<Span>,
    /// The declaration header: where findings about absent properties point (ARM: the
    /// `"name"` line; Bicep: `resource sym 'Type@ver'`; Terraform: `resource "t" "n"`).
    pub header: Span,
    /// The name as the user wrote it (`[parameters('workspaceName')]`, `mlw-${env}`).
    pub name_text: Arc<str>,
    /// The chain of modules or nested deployments it was reached through, outermost first:
    /// the instance path (`ws`, `module.aml["x"]`), part of its identity.
    pub module_path: Arc<[Arc<str>]>,
    /// Where each module call of [`module_path`](Self::module_path) is written, outermost
    /// first: a finding inside a module read from a cache moves to the innermost call
    /// written in a file the user owns.
    pub calls: Arc<[Span]>,
    /// The root evaluation it belongs to.
    pub root: RootId,
    /// The language of the declaration.
    pub syntax: Syntax,
    /// The address users know the resource by when it is not a declaration in a template:
    /// a deployed resource's full resource ID, read from an export of the live estate, or
    /// a resource's address in a Terraform plan (`module.aml.azapi_resource.this[0]`).
    /// When set, it is the resource's qualified name (SARIF `fullyQualifiedName`,
    /// fingerprints) instead of type and name, and messages name the resource with it (see
    /// [`Resource::display_name`]).
    pub address: Option<Arc<str>>,
    /// The name the declaration has in its file, when its language gives it one: a Bicep
    /// symbolic name (`workspace`, `workspace::cluster`), a Terraform resource address
    /// within its module (`azurerm_machine_learning_workspace.main`). Messages name the
    /// resource by it (see [`Resource::display_name`]).
    pub symbol: Option<Arc<str>>,
    /// How the file names properties and spells values, when not as ARM does (an azurerm
    /// resource): the frontend's mapping table, read backwards.
    pub vocabulary: Option<&'static dyn Vocabulary>,
}

/// A resource declaration, evaluated.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The full ARM type as written (`Microsoft.MachineLearningServices/workspaces/computes`).
    pub ty: Arc<str>,
    /// The API version, when given.
    pub api_version: Option<Arc<str>>,
    /// The full name (`ws/cluster` for a child).
    pub name: Node,
    /// The symbolic ID, from type and name.
    pub id: ResourceId,
    /// The evaluated declaration as an object in ARM shape: `properties`, `sku`, `kind`,
    /// `tags`, `identity`, `location`.
    pub body: Node,
    /// Whether it is deployed conditionally.
    pub condition: Condition,
    /// Whether the declaration is a loop (`copy`, `for`, `count`, `for_each`). A finding is
    /// reported once per declaration, not once per instance.
    pub looped: bool,
    /// A reference to a resource that exists elsewhere (Bicep/ARM `existing`, a Terraform
    /// data source): never linted, and never a link target whose settings are known.
    pub existing: bool,
    /// A partial update of a resource declared elsewhere (`azapi_update_resource`,
    /// `azurerm_storage_account_network_rules`): merged into its target, dropped without one.
    pub update: bool,
    /// Where it was declared.
    pub origin: Origin,
}

impl Resource {
    /// Looks up a dotted ARM path in the body (`properties.publicNetworkAccess`).
    pub fn get(&self, path: &str) -> Prop<'_> {
        self.body.lookup(path, &self.origin.decls)
    }

    /// The declaration header, where findings about absent properties point.
    pub fn header(&self) -> Span {
        self.origin.header
    }

    /// Whether the resource is of ARM type `ty`.
    pub fn is(&self, ty: &str) -> bool {
        same_type(&self.ty, ty)
    }

    /// The `kind`, if known.
    pub fn kind(&self) -> Option<&str> {
        self.get(paths::KIND).known().and_then(|n| n.as_str())
    }

    /// The type and the name as written: `Microsoft.Storage/storageAccounts/[variables('n')]`,
    /// or the resource's [`Origin::address`] when it has one. SARIF's logical location.
    pub fn qualified_name(&self) -> String {
        match &self.origin.address {
            Some(address) => address.to_string(),
            None => format!("{}/{}", self.ty, self.origin.name_text),
        }
    }

    /// A stable identity for fingerprints: the module path, the type and the name as
    /// written. It does not change when lines move.
    pub fn identity(&self) -> String {
        let mut out = String::new();
        for module in self.origin.module_path.iter() {
            out.push_str(module);
            out.push_str("::");
        }
        out.push_str(&self.qualified_name());
        out
    }

    /// The name for messages: the last name segment when it is known, else the name as the
    /// user wrote it (`[variables('storageName')]`). A loop's findings speak for every
    /// instance, so a looped resource is named as written. A resource with an
    /// [`Origin::address`] (a deployed one) is one of many with the same name in an
    /// estate: its name is followed by the known resource group and subscription,
    /// `mlw (resource group rg-ml, subscription 0000…)`; one from a Terraform plan by its
    /// address, `mlw (module.aml.azapi_resource.this[0])`.
    pub fn display_name(&self) -> String {
        let name = match self.id.last_name() {
            Some(NamePart::Known(name)) if !self.looped => name.to_string(),
            _ => self.origin.name_text.to_string(),
        };
        let Some(address) = &self.origin.address else {
            return name;
        };
        if !address.starts_with('/') {
            return if **address == *name {
                name
            } else {
                format!("{name} ({address})")
            };
        }
        self.with_scope(name)
    }

    /// `name` followed by the known resource group and subscription of a deployed
    /// resource: `mlw (resource group rg-ml, subscription 0000…)`.
    fn with_scope(&self, name: String) -> String {
        let scope: Vec<String> = [
            ("resource group", &self.id.resource_group),
            ("subscription", &self.id.subscription),
        ]
        .into_iter()
        .filter_map(|(what, part)| {
            part.as_ref()?
                .known()
                .map(|known| format!("{what} {known}"))
        })
        .collect();
        if scope.is_empty() {
            name
        } else {
            format!("{name} ({})", scope.join(", "))
        }
    }

    /// The name findings give the resource, as users know it from their files.
    ///
    /// - A declaration with a [`Origin::symbol`] (Bicep, Terraform) is named by it, after
    ///   the module instances it was reached through, and followed by its evaluated name
    ///   when that is known and says more: `azurerm_machine_learning_workspace.main
    ///   (mlw-prod)`, `module.aml["dev"].azurerm_machine_learning_workspace.main (mlw-dev)`,
    ///   `aml[1] > workspace (mlw-dev)`.
    /// - An ARM declaration is named by its last name segment when it is known, else by the
    ///   name as written (`[variables('storageName')]`), after the nested deployments it
    ///   was reached through (`deploy-ml > mlw`).
    /// - A loop's findings speak for every instance: a looped resource is named by its
    ///   symbol, or its name as written, never by one instance's name.
    /// - A resource with an [`Origin::address`] from a Terraform plan is named by its
    ///   address, `module.aml.azapi_resource.this[0] (mlw)`; a deployed one (an export of
    ///   the estate) is one of many with the same name: its name is followed by the known
    ///   resource group and subscription, `mlw (resource group rg-ml, subscription 0000…)`.
    pub fn known_as(&self) -> String {
        let known = match self.id.last_name() {
            Some(NamePart::Known(name)) if !self.looped => Some(name.to_string()),
            _ => None,
        };
        let named = |who: &str| match &known {
            Some(name) if name != who => format!("{who} ({name})"),
            _ => who.to_owned(),
        };
        if let Some(address) = &self.origin.address {
            if !address.starts_with('/') {
                return named(address);
            }
            return self.with_scope(known.unwrap_or_else(|| self.origin.name_text.to_string()));
        }
        let mut out = self.module_prefix();
        match &self.origin.symbol {
            Some(symbol) => out.push_str(&named(symbol)),
            None => out.push_str(known.as_deref().unwrap_or(&self.origin.name_text)),
        }
        out
    }

    /// The module instances a resource was reached through, as its language writes a path
    /// into them: `module.aml["dev"].` in Terraform, `aml[1] > ` elsewhere.
    fn module_prefix(&self) -> String {
        let separator = match self.origin.syntax {
            Syntax::Terraform | Syntax::Azapi => ".",
            Syntax::Arm | Syntax::Bicep => " > ",
        };
        let mut out = String::new();
        for module in self.origin.module_path.iter() {
            out.push_str(module);
            out.push_str(separator);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{object, resource};
    use crate::types::ML_WORKSPACE;

    fn workspace(name: &str, syntax: Syntax, symbol: Option<&str>, modules: &[&str]) -> Resource {
        let mut ws = resource(0, ML_WORKSPACE, &[name], object(vec![]));
        ws.origin.syntax = syntax;
        ws.origin.symbol = symbol.map(Arc::from);
        ws.origin.module_path = modules.iter().map(|m| Arc::from(*m)).collect();
        ws
    }

    #[test]
    fn resources_are_known_by_their_symbol_their_name_and_their_module_instance() {
        let cases = [
            (
                workspace(
                    "mlw-prod",
                    Syntax::Terraform,
                    Some("azurerm_machine_learning_workspace.main"),
                    &[],
                ),
                "azurerm_machine_learning_workspace.main (mlw-prod)",
            ),
            (
                workspace(
                    "mlw-dev",
                    Syntax::Terraform,
                    Some("azurerm_machine_learning_workspace.this"),
                    &["module.aml[\"dev\"]"],
                ),
                "module.aml[\"dev\"].azurerm_machine_learning_workspace.this (mlw-dev)",
            ),
            (
                workspace("mlw-a", Syntax::Bicep, Some("workspace"), &["teams[0]"]),
                "teams[0] > workspace (mlw-a)",
            ),
            (workspace("mlw", Syntax::Bicep, Some("mlw"), &[]), "mlw"),
            (
                workspace("$parameters('name')", Syntax::Bicep, Some("workspace"), &[]),
                "workspace",
            ),
            (
                workspace("mlw", Syntax::Arm, None, &["deploy-ml"]),
                "deploy-ml > mlw",
            ),
        ];
        for (resource, expected) in cases {
            assert_eq!(resource.known_as(), expected);
        }
    }

    #[test]
    fn a_loop_is_known_by_its_symbol_alone() {
        let mut ws = workspace("mlw-0", Syntax::Bicep, Some("workspaces"), &[]);
        ws.looped = true;
        assert_eq!(ws.known_as(), "workspaces");
    }

    #[test]
    fn a_planned_resource_is_known_by_its_address() {
        let mut ws = workspace("mlw", Syntax::Terraform, None, &["module.aml"]);
        ws.origin.address = Some("module.aml.azapi_resource.this[0]".into());
        assert_eq!(ws.known_as(), "module.aml.azapi_resource.this[0] (mlw)");
    }
}
