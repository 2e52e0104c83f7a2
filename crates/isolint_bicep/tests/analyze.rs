//! End-to-end tests of the Bicep frontend: lowering, evaluation, modules, parameter files,
//! child resources, spans and compiled-copy detection, on small projects in a temporary
//! folder.

use std::path::{Path, PathBuf};

use isolint_model::coverage::GapReport;
use isolint_model::{Analysis, Resource, Severity, SourceMap};

#[expect(
    clippy::unwrap_used,
    reason = "a test helper: a failure to write is a failed test"
)]
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

fn errors(analysis: &Analysis) -> Vec<String> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

fn find<'a>(analysis: &'a Analysis, ty: &str) -> Vec<&'a Resource> {
    analysis
        .resources
        .iter()
        .filter(|r| r.ty.eq_ignore_ascii_case(ty))
        .collect()
}

fn value<'a>(resource: &'a Resource, path: &str) -> Option<&'a isolint_model::Node> {
    resource.body.lookup(path, &[]).value.known_node()
}

trait KnownNode<'a> {
    fn known_node(self) -> Option<&'a isolint_model::Node>;
}

impl<'a> KnownNode<'a> for isolint_model::Value<'a> {
    fn known_node(self) -> Option<&'a isolint_model::Node> {
        match self {
            isolint_model::Value::Known(node) => Some(node),
            _ => None,
        }
    }
}

const WORKSPACE: &str = "Microsoft.MachineLearningServices/workspaces";

#[test]
fn operators_lower_to_the_arm_functions_and_evaluate() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.bicep",
        "param pna string?
param mode string = 'AllowOnlyApprovedOutbound'
param extra object = {}
var suffix = toLower('DEV')
var enabled = !empty(extra) || 1 + 2 * 3 == 7 && 'A' =~ 'a'
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-${suffix}'
  properties: {
    publicNetworkAccess: pna ?? 'Disabled'
    managedNetwork: enabled
      ? {
          isolationMode: mode
        }
      : null
    friendlyName: extra.?name ?? 'none'
    tags: {
      ...extra
      env: 'dev'
    }
  }
}
",
    );
    let (analysis, _) = analyze(&[main]);
    assert_eq!(errors(&analysis), Vec::<String>::new());
    let ws = find(&analysis, WORKSPACE);
    assert_eq!(ws.len(), 1);
    assert_eq!(ws[0].name.as_str(), Some("mlw-dev"));
    assert_eq!(
        value(ws[0], "properties.publicNetworkAccess").and_then(|n| n.as_str()),
        Some("Disabled")
    );
    assert_eq!(
        value(ws[0], "properties.managedNetwork.isolationMode").and_then(|n| n.as_str()),
        Some("AllowOnlyApprovedOutbound")
    );
    assert_eq!(
        value(ws[0], "properties.friendlyName").and_then(|n| n.as_str()),
        Some("none")
    );
    assert_eq!(
        value(ws[0], "properties.tags.env").and_then(|n| n.as_str()),
        Some("dev")
    );
    assert_eq!(ws[0].origin.syntax, isolint_model::Syntax::Bicep);
}

#[test]
fn child_resources_in_all_three_spellings_get_full_types_and_names() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.bicep",
        "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  resource nested 'computes' = {
    name: 'nested'
  }
}
resource withParent 'Microsoft.MachineLearningServices/workspaces/computes@2024-10-01' = {
  parent: ws
  name: 'withparent'
}
resource slashed 'Microsoft.MachineLearningServices/workspaces/computes@2024-10-01' = {
  name: '${ws.name}/slashed'
}
output nestedId string = ws::nested.id
",
    );
    let (analysis, _) = analyze(&[main]);
    assert_eq!(errors(&analysis), Vec::<String>::new());
    let mut names: Vec<String> = find(
        &analysis,
        "Microsoft.MachineLearningServices/workspaces/computes",
    )
    .iter()
    .map(|r| r.name.as_str().unwrap_or("?").to_owned())
    .collect();
    names.sort();
    assert_eq!(names, ["mlw/nested", "mlw/slashed", "mlw/withparent"]);
    let nested = find(
        &analysis,
        "Microsoft.MachineLearningServices/workspaces/computes",
    )
    .into_iter()
    .find(|r| r.name.as_str() == Some("mlw/nested"))
    .unwrap();
    assert_eq!(nested.api_version.as_deref(), Some("2024-10-01"));
}

#[test]
fn loops_and_conditions_become_instances() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.bicep",
        "param deploy bool = false
param groups array = [
  'blob'
  'file'
]
resource pes 'Microsoft.Network/privateEndpoints@2024-05-01' = [for (g, i) in groups: {
  name: 'pe-${g}-${i}'
  properties: {
    groupIds: [for x in [g]: x]
  }
}]
resource skipped 'Microsoft.Storage/storageAccounts@2023-05-01' = if (deploy) {
  name: 'skipped'
}
",
    );
    let (analysis, _) = analyze(&[main]);
    assert_eq!(errors(&analysis), Vec::<String>::new());
    let mut names: Vec<&str> = find(&analysis, "Microsoft.Network/privateEndpoints")
        .iter()
        .filter_map(|r| r.name.as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["pe-blob-0", "pe-file-1"]);
    assert!(find(&analysis, "Microsoft.Storage/storageAccounts").is_empty());
}

#[test]
fn children_of_a_looped_parent_are_looped_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.bicep",
        "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = [for name in ['a', 'b']: {
  name: name
  resource compute 'computes' = {
    name: 'cpu-${name}'
  }
}]
",
    );
    let (analysis, _) = analyze(&[main]);
    assert_eq!(errors(&analysis), Vec::<String>::new());
    let mut names: Vec<&str> = find(
        &analysis,
        "Microsoft.MachineLearningServices/workspaces/computes",
    )
    .iter()
    .filter_map(|r| r.name.as_str())
    .collect();
    names.sort_unstable();
    assert_eq!(names, ["a/cpu-a", "b/cpu-b"]);
}

#[test]
fn local_modules_bind_params_and_read_outputs_and_registry_modules_are_gaps() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "modules/ws.bicep",
        "param access string = 'Enabled'
param storageId string
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    publicNetworkAccess: access
    storageAccount: storageId
  }
}
",
    );
    write(
        dir.path(),
        "modules/storage.json",
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [],
  "outputs": { "id": { "type": "string", "value": "[resourceId('Microsoft.Storage/storageAccounts', 'st')]" } }
}"#,
    );
    let main = write(
        dir.path(),
        "main.bicep",
        "module storage 'modules/storage.json' = {
  name: 'storage'
}
module ws 'modules/ws.bicep' = {
  name: 'ws'
  params: {
    access: 'Disabled'
    storageId: storage.outputs.id
  }
}
module pe 'br/public:avm/res/network/private-endpoint:0.10.1' = {
  name: 'pe'
}
",
    );
    let (analysis, _) = analyze(&[main, dir.path().join("modules/ws.bicep")]);
    assert_eq!(errors(&analysis), Vec::<String>::new());
    let ws = find(&analysis, WORKSPACE);
    assert_eq!(ws.len(), 1, "the module is linted through its caller only");
    assert_eq!(
        value(ws[0], "properties.publicNetworkAccess").and_then(|n| n.as_str()),
        Some("Disabled")
    );
    let storage = ws[0].body.lookup("properties.storageAccount", &[]);
    assert!(
        matches!(storage.value, isolint_model::Value::Known(_)),
        "{storage:?}"
    );
    // Without a module cache (no home directory here), the registry module is not read.
    let gaps: Vec<GapReport<'_>> = analysis
        .resources
        .iter()
        .filter_map(GapReport::of)
        .collect();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(
        gaps[0].reference,
        "br/public:avm/res/network/private-endpoint:0.10.1"
    );
    assert!(analysis.notes.is_empty(), "{:?}", analysis.notes);
}

#[test]
fn outputs_of_a_registry_module_are_unknown_not_absent() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.bicep",
        "module net 'br:contoso.azurecr.io/bicep/net:1.0' = {
  name: 'net'
}
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    publicNetworkAccess: net.outputs.?access ?? 'Enabled'
  }
}
",
    );
    let (analysis, _) = analyze(&[main]);
    let ws = find(&analysis, WORKSPACE);
    let access = ws[0].body.lookup("properties.publicNetworkAccess", &[]);
    assert!(
        matches!(access.value, isolint_model::Value::Unknown(_)),
        "{access:?}"
    );
}

#[test]
fn module_cycles_end() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.bicep",
        "module b 'b.bicep' = {\n  name: 'b'\n}\n",
    );
    let b = write(
        dir.path(),
        "b.bicep",
        "module a 'a.bicep' = {\n  name: 'a'\n}\n",
    );
    let (analysis, _) = analyze(&[a, b]);
    assert!(analysis.resources.is_empty());
    assert!(
        analysis
            .diagnostics
            .iter()
            .any(|d| d.code == "module-cycle"),
        "{:?}",
        analysis.diagnostics
    );
}

#[test]
fn a_bicepparam_beside_the_template_applies() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.bicep",
        "param access string = 'Enabled'
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    publicNetworkAccess: access
  }
}
",
    );
    write(
        dir.path(),
        "main.bicepparam",
        "using 'main.bicep'\n\nparam access = 'Disabled'\n",
    );
    let (analysis, _) = analyze(&[main]);
    let ws = find(&analysis, WORKSPACE);
    assert_eq!(
        value(ws[0], "properties.publicNetworkAccess").and_then(|n| n.as_str()),
        Some("Disabled")
    );
}

#[test]
fn a_bicepparam_checked_alone_brings_its_template() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "infra/workspace.bicep",
        "param access string = 'Enabled'
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    publicNetworkAccess: access
  }
}
",
    );
    let params = write(
        dir.path(),
        "prod.bicepparam",
        "using 'infra/workspace.bicep'\nparam access = 'Disabled'\n",
    );
    let (analysis, _) = analyze(&[params]);
    let ws = find(&analysis, WORKSPACE);
    assert_eq!(ws.len(), 1);
    assert_eq!(
        value(ws[0], "properties.publicNetworkAccess").and_then(|n| n.as_str()),
        Some("Disabled")
    );
}

#[test]
fn values_point_at_the_bicep_source() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.bicep",
        "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}
",
    );
    let (analysis, sources) = analyze(&[main]);
    let ws = find(&analysis, WORKSPACE);
    let prop = ws[0]
        .body
        .lookup("properties.publicNetworkAccess", &ws[0].origin.decls);
    let span = prop.span.unwrap();
    let file = sources.get(span.file).unwrap();
    let at = file.position(span.start);
    assert_eq!((at.line, at.column), (4, 26));
    let header = file.position(ws[0].origin.header.start);
    assert_eq!((header.line, header.column), (1, 1));
}

#[test]
fn syntax_errors_are_reported_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.bicep",
        "param x string = )
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
}
",
    );
    let (analysis, _) = analyze(&[main]);
    assert_eq!(errors(&analysis).len(), 1);
    assert_eq!(find(&analysis, WORKSPACE).len(), 1);
}

#[test]
fn compiled_copies_beside_their_source_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let bicep = write(dir.path(), "main.bicep", "param x string\n");
    let json = write(
        dir.path(),
        "azuredeploy.json",
        r#"{ "metadata": { "_generator": { "name": "bicep", "version": "0.30.0" } }, "resources": [] }"#,
    );
    let hand = write(
        dir.path(),
        "hand.json",
        r#"{ "metadata": {}, "resources": [] }"#,
    );
    let sources = SourceMap::new();
    let scanned = [bicep, json.clone(), hand];
    let skipped = isolint_bicep::compiled_copies(&scanned, &sources);
    assert_eq!(
        skipped.into_iter().collect::<Vec<_>>(),
        std::slice::from_ref(&json)
    );
    let alone = isolint_bicep::compiled_copies(std::slice::from_ref(&json), &sources);
    assert!(alone.is_empty(), "no `.bicep` file beside it");
    assert!(
        sources.files().is_empty(),
        "looked at, not added to the map"
    );
}

/// The resource ID a property of `resource` holds.
fn resource_id(resource: &Resource, path: &str) -> Option<isolint_model::ResourceId> {
    match &value(resource, path)?.kind {
        isolint_model::NodeKind::ResourceId(id) => Some((**id).clone()),
        _ => None,
    }
}

#[test]
fn scope_of_existing_resources_and_modules_goes_into_their_ids() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "network.bicep",
        "output subnetId string = 'x'\n",
    );
    let main = write(
        dir.path(),
        "main.bicep",
        "param sharedGroups array = ['rg-shared']
resource st 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: 'stshared'
  scope: resourceGroup(sharedGroups[0])
}
resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' existing = {
  name: 'vnet-hub'
  scope: resourceGroup('00000000-0000-0000-0000-000000000001', 'rg-network')
  resource subnet 'subnets' existing = {
    name: 'snet-training'
  }
}
resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv-local'
}
module network 'network.bicep' = {
  name: 'network'
  scope: resourceGroup('rg-network')
}
resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw'
  properties: {
    storageAccount: st.id
    keyVault: kv.id
    applicationInsights: network.outputs.subnetId
  }
  resource cluster 'computes' = {
    name: 'cpu'
    properties: {
      computeType: 'AmlCompute'
      properties: {
        subnet: {
          id: vnet::subnet.id
        }
      }
    }
  }
}
",
    );
    let (analysis, _) = analyze(&[main]);
    assert!(errors(&analysis).is_empty(), "{:?}", errors(&analysis));
    let known = |s: &str| Some(isolint_model::NamePart::Known(s.into()));
    let ws = find(&analysis, WORKSPACE);
    let storage = resource_id(ws[0], "properties.storageAccount").unwrap();
    assert_eq!(storage.resource_group, known("rg-shared"));
    assert_eq!(storage.subscription, None);
    let vault = resource_id(ws[0], "properties.keyVault").unwrap();
    assert_eq!(vault.resource_group, None);
    // The module's outputs are still found through its (now scoped) deployment ID.
    let insights = value(ws[0], "properties.applicationInsights").unwrap();
    assert_eq!(insights.as_str(), Some("x"));
    let compute = find(
        &analysis,
        "Microsoft.MachineLearningServices/workspaces/computes",
    );
    let subnet = resource_id(compute[0], "properties.properties.subnet.id").unwrap();
    assert_eq!(subnet.resource_group, known("rg-network"));
    assert_eq!(
        subnet.subscription,
        known("00000000-0000-0000-0000-000000000001")
    );
    assert_eq!(&*subnet.ty, "Microsoft.Network/virtualNetworks/subnets");
}

#[test]
fn a_child_names_the_parent_instance_its_parent_index_picks() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.bicep",
        "var zones = ['a', 'b']
resource pes 'Microsoft.Network/privateEndpoints@2023-11-01' = [for (z, i) in zones: {
  name: 'pe-${z}'
  properties: {}
}]
resource reversed 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01' = [for (z, i) in zones: {
  parent: pes[length(zones) - 1 - i]
  name: 'group-${z}'
  properties: {}
}]
resource first 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2023-11-01' = {
  parent: pes[0]
  name: 'only'
  properties: {}
}
",
    );
    let (analysis, _) = analyze(&[main]);
    assert!(errors(&analysis).is_empty(), "{:?}", errors(&analysis));
    let mut names: Vec<&str> = find(
        &analysis,
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
    )
    .iter()
    .filter_map(|r| r.name.as_str())
    .collect();
    names.sort_unstable();
    assert_eq!(names, ["pe-a/group-b", "pe-a/only", "pe-b/group-a"]);
}

/// What a case expects instead of a diagnostic code: a coverage gap (a module that
/// cannot be read) located in the file.
const GAP: &str = "coverage gap";

/// The issue's bad input: every case gives a located diagnostic (or coverage gap), no
/// panic, and the valid file analysed alongside still yields its workspace.
#[test]
fn bad_input_is_reported_and_the_other_files_still_lint() {
    let dir = tempfile::tempdir().unwrap();
    let valid = write(
        dir.path(),
        "valid.bicep",
        "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {\n  name: 'mlw-valid'\n  properties: {\n    publicNetworkAccess: 'Enabled'\n  }\n}\n",
    );
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "unterminated-string.bicep",
            b"var a = 'never closed\nvar b = 1\n".to_vec(),
            "parse-error",
        ),
        (
            "unterminated-interpolation.bicep",
            b"var a = 'x${y\n".to_vec(),
            "parse-error",
        ),
        (
            "unbalanced.bicep",
            b"var a = [1, 2\nvar b = ((1)\n".to_vec(),
            "parse-error",
        ),
        (
            "comma-newline.bicep",
            b"var a = [\n  1,\n  2\n]\n".to_vec(),
            "parse-error",
        ),
        (
            "lonely-decorator.bicep",
            b"@description('nothing follows')\n".to_vec(),
            "parse-error",
        ),
        (
            "parentheses.bicep",
            format!("var a = {}1{}\n", "(".repeat(10_000), ")".repeat(10_000)).into_bytes(),
            "parse-error",
        ),
        (
            "missing-module.bicep",
            b"module m './does-not-exist.bicep' = {\n  name: 'm'\n}\n".to_vec(),
            GAP,
        ),
        (
            "outside-module.bicep",
            b"module m '../../../../../../../../etc/passwd.bicep' = {\n  name: 'm'\n}\n".to_vec(),
            GAP,
        ),
        (
            "not-utf8.bicep",
            b"var a = 'ok'\nvar b = '\xff\xfe'\n".to_vec(),
            "encoding-error",
        ),
    ];
    for (name, bytes, code) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let (analysis, sources) = analyze(&[path.clone(), valid.clone()]);
        let in_file = |span: isolint_model::Span| {
            sources.get(span.file).is_some_and(|file| file.path == path)
        };
        let span = if code == GAP {
            analysis
                .resources
                .iter()
                .find(|r| GapReport::of(r).is_some() && in_file(r.header()))
                .map(isolint_model::Resource::header)
        } else {
            analysis
                .diagnostics
                .iter()
                .find(|d| d.path == path && d.code == code)
                .and_then(|d| d.span)
        };
        let span = span
            .unwrap_or_else(|| panic!("{name}: no located `{code}` in {:?}", analysis.diagnostics));
        let file = sources.get(span.file).unwrap();
        assert!(file.position(span.start).line >= 1, "{name}");
        assert_eq!(
            find(&analysis, WORKSPACE).len(),
            1,
            "{name}: the valid file's workspace is missing"
        );
    }
}
