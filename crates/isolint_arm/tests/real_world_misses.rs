//! Shapes found on public repositories that isolint used to misread (issue 9, item 7), as
//! ARM JSON: nullable user-defined types, and the scope a nested deployment gives the IDs
//! of its resources.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure to set up is a failed test"
)]

use std::path::{Path, PathBuf};

use isolint_model::{Analysis, NamePart, Resource, SourceMap};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn analyze(files: &[PathBuf]) -> Analysis {
    let sources = SourceMap::new();
    isolint_deploy::analyze_files(files, &sources, &isolint_deploy::Options::default())
}

fn known(text: &str) -> NamePart {
    NamePart::Known(text.into())
}

fn workspaces(analysis: &Analysis) -> Vec<&Resource> {
    analysis
        .resources
        .iter()
        .filter(|r| r.is("Microsoft.MachineLearningServices/workspaces"))
        .collect()
}

/// A CARML/AVM-style module compiled from Bicep (`languageVersion` 2.0): `privateEndpoints`
/// is of a user-defined type `{...}[]?`, so without a value it is `null`, and the workspace
/// opens its public endpoint.
#[test]
fn a_parameter_of_a_nullable_defined_type_without_default_is_null() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.json",
        r##"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "definitions": {
    "privateEndpointType": {
      "type": "array",
      "items": { "type": "object", "properties": { "subnetResourceId": { "type": "string" } } },
      "nullable": true
    },
    "endpointsAlias": { "$ref": "#/definitions/privateEndpointType" },
    "_1.sharedType": { "type": "object", "nullable": true },
    "required": { "type": "array" }
  },
  "parameters": {
    "privateEndpoints": { "$ref": "#/definitions/privateEndpointType" },
    "aliased": { "$ref": "#/definitions/endpointsAlias" },
    "imported": { "$ref": "#/definitions/_1.sharedType" },
    "mandatory": { "$ref": "#/definitions/required" }
  },
  "resources": {
    "workspace": {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "mlw",
      "properties": {
        "publicNetworkAccess": "[if(not(empty(parameters('privateEndpoints'))), 'Disabled', 'Enabled')]",
        "friendlyName": "[if(empty(parameters('aliased')), 'aliased-null', 'aliased-set')]",
        "description": "[if(empty(parameters('imported')), 'imported-null', 'imported-set')]",
        "discoveryUrl": "[if(empty(parameters('mandatory')), 'a', 'b')]"
      }
    }
  }
}
"##,
    );
    let analysis = analyze(&[main]);
    let ws = workspaces(&analysis);
    assert_eq!(ws.len(), 1);
    let text = |path: &str| ws[0].get(path).known().and_then(|n| n.as_str());
    assert_eq!(text("properties.publicNetworkAccess"), Some("Enabled"));
    assert_eq!(text("properties.friendlyName"), Some("aliased-null"));
    assert_eq!(text("properties.description"), Some("imported-null"));
    // A parameter of a type that is not nullable stays unknown.
    assert!(ws[0].get("properties.discoveryUrl").unknown().is_some());
}

/// `"$ref"` chains that loop, or point outside `definitions`, are not nullable and never
/// hang.
#[test]
fn reference_cycles_and_foreign_pointers_are_not_nullable() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.json",
        r##"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "languageVersion": "2.0",
  "contentVersion": "1.0.0.0",
  "definitions": {
    "a": { "$ref": "#/definitions/b" },
    "b": { "$ref": "#/definitions/a" }
  },
  "parameters": {
    "loop": { "$ref": "#/definitions/a" },
    "foreign": { "$ref": "https://example.com/types.json#/definitions/a" }
  },
  "resources": {
    "workspace": {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "mlw",
      "properties": {
        "publicNetworkAccess": "[parameters('loop')]",
        "friendlyName": "[parameters('foreign')]"
      }
    }
  }
}
"##,
    );
    let analysis = analyze(&[main]);
    let ws = workspaces(&analysis);
    assert!(
        ws[0]
            .get("properties.publicNetworkAccess")
            .unknown()
            .is_some()
    );
    assert!(ws[0].get("properties.friendlyName").unknown().is_some());
}

/// A nested deployment's `subscriptionId` and `resourceGroup` are the scope of the
/// resources it deploys: two storage accounts of the same name in two resource groups stay
/// two, and `resourceId()` and `resourceGroup()` inside the nested template mean its
/// resource group.
#[test]
fn a_nested_deployment_gives_its_resources_its_scope() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.json",
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "data",
      "subscriptionId": "00000000-0000-0000-0000-00000000000a",
      "resourceGroup": "rg-data",
      "properties": {
        "mode": "Incremental",
        "expressionEvaluationOptions": { "scope": "inner" },
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "resources": [
            {
              "type": "Microsoft.Storage/storageAccounts",
              "apiVersion": "2023-01-01",
              "name": "stdata",
              "properties": {}
            },
            {
              "type": "Microsoft.MachineLearningServices/workspaces",
              "apiVersion": "2024-10-01",
              "name": "mlw",
              "properties": {
                "storageAccount": "[resourceId('Microsoft.Storage/storageAccounts', 'stdata')]",
                "friendlyName": "[resourceGroup().name]"
              }
            }
          ]
        }
      }
    },
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-01-01",
      "name": "stdata",
      "properties": {}
    }
  ]
}
"#,
    );
    let analysis = analyze(&[main]);
    let storage: Vec<&Resource> = analysis
        .resources
        .iter()
        .filter(|r| r.is("Microsoft.Storage/storageAccounts"))
        .collect();
    assert_eq!(storage.len(), 2);
    let nested = storage
        .iter()
        .find(|r| !r.origin.module_path.is_empty())
        .unwrap();
    assert_eq!(nested.id.resource_group, Some(known("rg-data")));
    assert_eq!(
        nested.id.subscription,
        Some(known("00000000-0000-0000-0000-00000000000a"))
    );
    let outer = storage
        .iter()
        .find(|r| r.origin.module_path.is_empty())
        .unwrap();
    assert_eq!(outer.id.resource_group, None);
    let ws = workspaces(&analysis);
    let linked = ws[0].get("properties.storageAccount");
    let Some(isolint_model::NodeKind::ResourceId(id)) = linked.known().map(|n| &n.kind) else {
        panic!("not a resource ID: {linked:?}");
    };
    assert_eq!(id.resource_group, Some(known("rg-data")));
    assert!(id.matches(&nested.id));
    assert_eq!(
        ws[0]
            .get("properties.friendlyName")
            .known()
            .and_then(|n| n.as_str()),
        Some("rg-data")
    );
}
