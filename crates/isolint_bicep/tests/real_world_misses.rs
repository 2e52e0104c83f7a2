//! Shapes found on public repositories that isolint used to misread (issue 9, item 7), as
//! Bicep: nullable user-defined types.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure to set up is a failed test"
)]

use std::path::{Path, PathBuf};

use isolint_model::{Analysis, Resource, SourceMap};

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
    let analysis = isolint_bicep::analyze(files, &sources);
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
