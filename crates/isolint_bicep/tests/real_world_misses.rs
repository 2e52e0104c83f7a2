//! Shapes found on public repositories that isolint used to misread (issue 9, item 7), as
//! Bicep: nullable user-defined types, the scope of modules and `existing` resources, and
//! compile-time imports of local files.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure to set up is a failed test"
)]

use std::path::{Path, PathBuf};

use isolint_model::{
    Analysis, LinkKind, Model, NamePart, Project, Resource, Severity, SourceMap, Target,
};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn analyze(files: &[PathBuf]) -> (Analysis, SourceMap) {
    let sources = SourceMap::new();
    let analysis =
        isolint_deploy::analyze_files(files, &sources, &isolint_deploy::Options::default());
    (analysis, sources)
}

fn of_type<'a>(analysis: &'a Analysis, ty: &str) -> Vec<&'a Resource> {
    analysis.resources.iter().filter(|r| r.is(ty)).collect()
}

fn text<'a>(resource: &'a Resource, path: &str) -> Option<&'a str> {
    resource.get(path).known().and_then(|n| n.as_str())
}

const WORKSPACE: &str = "Microsoft.MachineLearningServices/workspaces";

/// CARML/AVM style: `privateEndpoints` is of a user-defined type `{...}[]?` and has no
/// default, so it is `null` and the workspace opens its public endpoint (AML001 used to be
/// missed because the ternary stayed unknown).
#[test]
fn a_parameter_of_a_nullable_user_defined_type_without_default_is_null() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.bicep",
        "type privateEndpointType = {
  subnetResourceId: string
  service: string?
}[]?

type endpointsAlias = privateEndpointType

type requiredType = {
  name: string
}[]

param privateEndpoints privateEndpointType
param aliased endpointsAlias
param required requiredType

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    publicNetworkAccess: !empty(privateEndpoints) ? 'Disabled' : 'Enabled'
    friendlyName: empty(aliased) ? 'aliased-null' : 'aliased-set'
    description: empty(required) ? 'a' : 'b'
  }
}
",
    );
    let (analysis, _) = analyze(&[main]);
    let ws = of_type(&analysis, WORKSPACE);
    assert_eq!(ws.len(), 1);
    assert_eq!(
        text(ws[0], "properties.publicNetworkAccess"),
        Some("Enabled")
    );
    assert_eq!(text(ws[0], "properties.friendlyName"), Some("aliased-null"));
    assert!(ws[0].get("properties.description").unknown().is_some());
}

fn known(text: &str) -> NamePart {
    NamePart::Known(text.into())
}

const STORAGE: &str = "Microsoft.Storage/storageAccounts";

const STORAGE_MODULE: &str = "param locked bool
resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stdata'
  location: 'westeurope'
  properties: {
    publicNetworkAccess: locked ? 'Disabled' : 'Enabled'
  }
}
output id string = st.id
";

/// Resources in a module deployed with `scope:` carry that scope in their IDs (a resource
/// group by name or declared in the file, a subscription, the tenant), so two storage
/// accounts of one name in two resource groups stay two, and the workspace links the one
/// in the resource group its ID names.
#[test]
fn resources_in_a_scoped_module_carry_its_scope() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "storage.bicep", STORAGE_MODULE);
    write(
        dir.path(),
        "workspace.bicep",
        "param storageId string
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    storageAccount: storageId
    friendlyName: resourceGroup().name
  }
}
",
    );
    write(
        dir.path(),
        "shared.bicep",
        "targetScope = 'subscription'
module inSubscription './storage.bicep' = {
  name: 'in-subscription'
  scope: resourceGroup('rg-shared')
  params: {
    locked: true
  }
}
",
    );
    write(
        dir.path(),
        "inner.bicep",
        "module top './storage.bicep' = {
  name: 'top'
  scope: tenant()
  params: {
    locked: true
  }
}
",
    );
    let main = write(
        dir.path(),
        "main.bicep",
        "targetScope = 'subscription'
resource rgData 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-data'
  location: 'westeurope'
}
module open './storage.bicep' = {
  name: 'open'
  scope: resourceGroup('rg-open')
  params: {
    locked: false
  }
}
module locked './storage.bicep' = {
  name: 'locked'
  scope: rgData
  params: {
    locked: true
  }
}
module ml './workspace.bicep' = {
  name: 'ml'
  scope: resourceGroup('rg-data')
  params: {
    storageId: locked.outputs.id
  }
}
module shared './shared.bicep' = {
  name: 'shared'
  scope: subscription('00000000-0000-0000-0000-00000000000b')
}
module inner './inner.bicep' = {
  name: 'inner'
  scope: resourceGroup('rg-inner')
}
",
    );
    let (analysis, _) = analyze(&[main]);
    let in_module = |module: &str| {
        analysis
            .resources
            .iter()
            .find(|r| r.is(STORAGE) && r.origin.module_path.last().is_some_and(|m| &**m == module))
            .unwrap()
    };
    assert_eq!(in_module("open").id.resource_group, Some(known("rg-open")));
    assert_eq!(
        in_module("locked").id.resource_group,
        Some(known("rg-data"))
    );
    let shared = in_module("inSubscription");
    assert_eq!(shared.id.resource_group, Some(known("rg-shared")));
    assert_eq!(
        shared.id.subscription,
        Some(known("00000000-0000-0000-0000-00000000000b"))
    );
    // At the tenant: not in the resource group of the module that deploys it.
    assert_eq!(in_module("top").id.resource_group, None);
    let ws = of_type(&analysis, WORKSPACE);
    assert_eq!(text(ws[0], "properties.friendlyName"), Some("rg-data"));

    let model = Model::new(analysis.resources.clone());
    for group in ["rg-open", "rg-data", "rg-shared"] {
        let in_group = model
            .graph()
            .resources()
            .iter()
            .filter(|r| r.is(STORAGE) && r.id.resource_group == Some(known(group)));
        assert_eq!(in_group.count(), 1, "one account in {group}");
    }
    let ws = model.graph().iter().find(|r| r.is(WORKSPACE)).unwrap();
    let Target::Declared(storage) = model.link(ws, LinkKind::StorageAccount).target else {
        panic!("the storage link is not resolved");
    };
    assert_eq!(storage.id.resource_group, Some(known("rg-data")));
    assert_eq!(
        text(&storage, "properties.publicNetworkAccess"),
        Some("Disabled")
    );
}

const SHARED: &str = "@export()
var workspaceDefaults = {
  publicNetworkAccess: 'Enabled'
  isolation: isolationMode
}

// Not exported, but what an exported value is made of.
var isolationMode = 'Disabled'

@export()
type endpointsType = {
  subnetResourceId: string
}[]?

@export()
func storageName(suffix string) string => 'st${prefix()}${suffix}'

func prefix() string => 'x'

import { tier } from './nested/tiers.bicep'

@export()
var sku = tier
";

/// `import {...} from './shared.bicep'` and `import * as ns from ...` give the exported
/// variables (with what they are made of, imports of the other file included), functions
/// and nullable types of a local file; a registry import stays types only.
#[test]
fn imports_of_a_local_file_give_its_exported_values() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "shared.bicep", SHARED);
    write(
        dir.path(),
        "nested/tiers.bicep",
        "@export()\nvar tier = 'Premium'\n",
    );
    let main = write(
        dir.path(),
        "main.bicep",
        "import { workspaceDefaults, endpointsType as endpoints, storageName } from './shared.bicep'
import * as shared from './shared.bicep'
import {
  lockType
  roleAssignmentType
} from 'br/public:avm/utl/types/avm-common-types:0.6.0'

param privateEndpoints endpoints
param more shared.endpointsType
param lock lockType?

resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    publicNetworkAccess: workspaceDefaults.publicNetworkAccess
    managedNetwork: {
      isolationMode: shared.workspaceDefaults.isolation
    }
    friendlyName: storageName('data')
    description: shared.storageName('y')
    discoveryUrl: empty(privateEndpoints) && empty(more) ? 'none' : 'some'
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acr'
  sku: {
    name: shared.sku
  }
}
",
    );
    let (analysis, _) = analyze(&[main]);
    let problems: Vec<String> = analysis
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    let ws = of_type(&analysis, WORKSPACE);
    assert_eq!(
        text(ws[0], "properties.publicNetworkAccess"),
        Some("Enabled")
    );
    assert_eq!(
        text(ws[0], "properties.managedNetwork.isolationMode"),
        Some("Disabled")
    );
    assert_eq!(text(ws[0], "properties.friendlyName"), Some("stxdata"));
    assert_eq!(text(ws[0], "properties.description"), Some("stxy"));
    assert_eq!(text(ws[0], "properties.discoveryUrl"), Some("none"));
    let registry = of_type(&analysis, "Microsoft.ContainerRegistry/registries");
    assert_eq!(text(registry[0], "sku.name"), Some("Premium"));
}

/// An import of a file outside the project root is refused with a warning at its path,
/// and nothing of it is read; a missing file is a located warning too.
#[test]
fn imports_are_confined_and_missing_ones_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    write(
        dir.path(),
        "outside/secret.bicep",
        "@export()\nvar secret = 'SECRET-TEXT'\n",
    );
    let main = write(
        &project,
        "main.bicep",
        "import { secret } from '../outside/secret.bicep'
import { gone } from './gone.bicep'

resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    friendlyName: secret
    description: gone
  }
}
",
    );
    let sources = SourceMap::confined(Project::new(&project));
    let analysis =
        isolint_deploy::analyze_files(&[main], &sources, &isolint_deploy::Options::default());
    let located: Vec<(String, String)> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| {
            let span = d.span.unwrap();
            let at = sources.get(span.file).unwrap().slice(span).to_owned();
            (d.code.to_owned(), at)
        })
        .collect();
    assert!(
        located.contains(&("outside-root".into(), "'../outside/secret.bicep'".into())),
        "{located:?}"
    );
    assert!(
        located.contains(&("import-missing".into(), "'./gone.bicep'".into())),
        "{located:?}"
    );
    for file in sources.files() {
        assert!(
            !file.text.contains("SECRET-TEXT"),
            "read {}",
            file.path.display()
        );
    }
    let ws = of_type(&analysis, WORKSPACE);
    assert!(ws[0].get("properties.friendlyName").unknown().is_some());
}

/// Imports that form a cycle, or a file that imports itself, end.
#[test]
fn import_cycles_end() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.bicep",
        "import { b } from './b.bicep'\n@export()\nvar a = 'a${b}'\n",
    );
    write(
        dir.path(),
        "b.bicep",
        "import { a } from './a.bicep'\n@export()\nvar b = 'b${a}'\n",
    );
    let main = write(
        dir.path(),
        "main.bicep",
        "import { a } from './a.bicep'
import { itself } from './main.bicep'
@export()
var itself = 'x'
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    friendlyName: a
  }
}
",
    );
    let (analysis, _) = analyze(&[main]);
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "import-cycle"),
        "{:?}",
        analysis.diagnostics
    );
    assert_eq!(of_type(&analysis, WORKSPACE).len(), 1);
}
