//! An estate spread over several files, added the way the deployment graph adds them
//! (parsed once, recognised with `detect`, lowered with `FileExport::lower`, then `Estate::absorb`): links resolve across
//! files, and a resource exported in two files is read once.

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

use std::path::Path;

use isolint_inventory::{Estate, FileExport, Shape, detect};
use isolint_json as json;
use isolint_model::types::{ML_WORKSPACE, STORAGE_ACCOUNT};
use isolint_model::{Analysis, LinkKind, Model, SourceMap, Target};
use isolint_rules::{Finding, Options, check};

const SUBSCRIPTION: &str = "/subscriptions/00000000-0000-0000-0000-00000000000a";

fn workspace(group: &str, access: &str) -> String {
    format!(
        r#"{{"id": "{SUBSCRIPTION}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/mlw",
            "type": "Microsoft.MachineLearningServices/workspaces",
            "properties": {{"publicNetworkAccess": "{access}",
                            "storageAccount": "{SUBSCRIPTION}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stdata",
                            "managedNetwork": {{"isolationMode": "AllowOnlyApprovedOutbound", "outboundRules": {{}}}},
                            "privateEndpointConnections": []}}}}"#
    )
}

const STORAGE: &str = r#"{"id": "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stdata",
    "type": "microsoft.storage/storageaccounts",
    "properties": {"publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Allow"}, "privateEndpointConnections": []}}"#;

/// The model of `analysis` and the findings of every rule on it.
fn findings(analysis: Analysis) -> (Model, Vec<Finding>) {
    let model = Model::new(analysis.resources);
    let findings = check(&model, &Options::default());
    (model, findings)
}

/// Adds `text`, as the file `name`, to `estate` the way a caller that routes files by
/// content does; returns the shape it was recognised as.
fn add(estate: &mut Estate, sources: &SourceMap, name: &str, text: &str) -> Shape {
    let file = sources.add(Path::new(name), text.into());
    let parsed = json::parse(&file).expect("valid JSON");
    let shape = detect(&parsed).expect("an export");
    estate.absorb(FileExport::lower(&file, &parsed, shape));
    shape
}

#[test]
fn links_resolve_across_files_and_resource_groups() {
    let sources = SourceMap::new();
    let mut estate = Estate::new();
    let workspaces = format!(
        r#"{{"value": [{}, {}]}}"#,
        workspace("rg-a", "Disabled"),
        workspace("rg-b", "Enabled")
    );
    assert_eq!(
        add(&mut estate, &sources, "workspaces.json", &workspaces),
        Shape::RestList
    );
    assert_eq!(
        add(&mut estate, &sources, "storage.json", STORAGE),
        Shape::Resource
    );
    let analysis = estate.finish();
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    assert_eq!(analysis.templates, 2);
    let (model, findings) = findings(analysis);

    // Two workspaces named `mlw`, in two resource groups: two resources, both linking the
    // storage account of a third resource group, in another file.
    let workspaces: Vec<_> = model.graph().resources_of(ML_WORKSPACE).collect();
    assert_eq!(workspaces.len(), 2);
    for ws in &workspaces {
        assert!(matches!(
            model.link(*ws, LinkKind::StorageAccount).target,
            Target::Declared(storage) if storage.is(STORAGE_ACCOUNT)
        ));
    }
    let public: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule.id == "AML001")
        .map(|f| f.resource.name.as_str())
        .collect();
    assert_eq!(
        public,
        ["mlw (resource group rg-b, subscription 00000000-0000-0000-0000-00000000000a)"]
    );
    assert!(findings.iter().any(|f| f.rule.id == "AML101"));
}

#[test]
fn a_resource_in_two_files_is_read_from_the_later_one() {
    let sources = SourceMap::new();
    let mut estate = Estate::new();
    add(
        &mut estate,
        &sources,
        "old.json",
        &workspace("rg-a", "Enabled"),
    );
    add(
        &mut estate,
        &sources,
        "new.json",
        &format!("[{}]", workspace("RG-A", "Disabled")),
    );
    let analysis = estate.finish();
    let [duplicate] = analysis.diagnostics.as_slice() else {
        panic!("{:?}", analysis.diagnostics)
    };
    assert_eq!(duplicate.code, "export-duplicate-id");
    assert!(
        duplicate.path.ends_with("new.json"),
        "{}",
        duplicate.path.display()
    );
    assert!(
        duplicate.message.contains("old.json:1:2"),
        "{}",
        duplicate.message
    );
    let (_, findings) = findings(analysis);
    assert!(findings.iter().all(|f| f.rule.id != "AML001"));
}
