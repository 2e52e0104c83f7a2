//! A resource as every frontend describes it: ARM type, name, evaluated body, origin.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::id::{NamePart, ResourceId};
use crate::paths;
use crate::source::{FileId, Span};
use crate::types::same_type;
use crate::value::{Node, Prop};

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
}
