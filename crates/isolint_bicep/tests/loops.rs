//! Bicep `for` loops: a loop variable stands for its own resource's index wherever it is
//! used (inside a `[for]` of the resource's body, in a reference `sym[i]`, in a nested
//! child), so that it never reads another loop's index, nor none at all (which isolint
//! reported as a `copyIndex()` the user had not written).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failure to set up is a failed test"
)]

use std::path::{Path, PathBuf};

use isolint_model::{Analysis, Node, Resource, SourceMap};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn analyze(text: &str) -> Analysis {
    let dir = tempfile::tempdir().unwrap();
    let main = write(dir.path(), "main.bicep", text);
    isolint_deploy::analyze_files(
        &[main],
        &SourceMap::new(),
        &isolint_deploy::Options::default(),
    )
}

fn named<'a>(analysis: &'a Analysis, ty: &str) -> Vec<(String, &'a Resource)> {
    let mut found: Vec<(String, &Resource)> = analysis
        .resources
        .iter()
        .filter(|r| r.is(ty))
        .map(|r| (r.id.to_string(), r))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn strings(node: &Node) -> Vec<String> {
    node.as_array()
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect()
}

const WORKSPACES_AND_ENDPOINTS: &str = "param names array = ['a', 'b']

resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = [for (name, i) in names: {
  name: 'mlw-${name}'
  location: 'westeurope'
  properties: {
    friendlyName: [for x in ['p', 'q']: '${name}-${x}-${i}']
  }
  resource cluster 'computes' = {
    name: 'cpu-${name}'
    location: 'westeurope'
    properties: {
      computeType: 'AmlCompute'
    }
  }
}]

resource pe 'Microsoft.Network/privateEndpoints@2023-04-01' = [for (name, i) in names: {
  name: 'pe-${name}'
  location: 'westeurope'
  properties: {
    privateLinkServiceConnections: [for g in ['amlworkspace']: {
      name: '${name}-${g}'
      properties: {
        privateLinkServiceId: ws[i].id
        groupIds: [g]
      }
    }]
  }
}]
";

/// A `[for]` inside a looped resource used to take the resource's loop variables over:
/// `name` and `i` read the inner loop's index, so every private endpoint targeted the first
/// workspace (and a workspace looked unreachable).
#[test]
fn a_loop_variable_keeps_its_resource_index_inside_an_inner_loop() {
    let analysis = analyze(WORKSPACES_AND_ENDPOINTS);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    let workspaces = named(&analysis, "Microsoft.MachineLearningServices/workspaces");
    let names: Vec<&str> = workspaces
        .iter()
        .map(|(_, ws)| {
            ws.get("properties.friendlyName")
                .known()
                .and_then(|n| n.as_array())
                .and_then(|items| items.first())
                .and_then(Node::as_str)
                .unwrap()
        })
        .collect();
    assert_eq!(names, ["a-p-0", "b-p-1"]);
    let friendly = workspaces[1].1.get("properties.friendlyName");
    assert_eq!(strings(friendly.known().unwrap()), ["b-p-1", "b-q-1"]);

    let endpoints = named(&analysis, "Microsoft.Network/privateEndpoints");
    assert_eq!(endpoints.len(), 2);
    for ((_, endpoint), suffix) in endpoints.iter().zip(["a", "b"]) {
        let connection = endpoint
            .get("properties.privateLinkServiceConnections")
            .known()
            .and_then(|n| n.as_array())
            .and_then(|items| items.first())
            .unwrap();
        let target = connection.lookup("properties.privateLinkServiceId", &[]);
        let rendered = target.known().unwrap().render();
        assert!(
            rendered.contains(&format!("'mlw-{suffix}'")),
            "pe-{suffix} targets {rendered}"
        );
        assert_eq!(
            connection
                .lookup("name", &[])
                .known()
                .and_then(Node::as_str),
            Some(format!("{suffix}-amlworkspace").as_str())
        );
    }
}

/// A nested child takes its looped parent's loop: one child per parent instance, named
/// after it, with no warning about a loop index.
#[test]
fn a_nested_child_names_its_own_parent_instance() {
    let analysis = analyze(WORKSPACES_AND_ENDPOINTS);
    let clusters = named(
        &analysis,
        "Microsoft.MachineLearningServices/workspaces/computes",
    );
    let ids: Vec<&str> = clusters.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids[0].contains("mlw-a/cpu-a"), "{ids:?}");
    assert!(ids[1].contains("mlw-b/cpu-b"), "{ids:?}");
}

/// A `copyIndex()` the user did write outside any loop is reported as written.
#[test]
fn a_copy_index_written_outside_a_loop_is_reported_as_written() {
    let analysis = analyze(
        "resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-${copyIndex()}'
  location: 'westeurope'
}
",
    );
    let messages: Vec<&str> = analysis
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        ["`copyIndex()` is outside of a copy loop; its value is unknown"]
    );
}
