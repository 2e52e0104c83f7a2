//! The generic graph on hand-built resources: identity, roots, redeclarations, parents.

use crate::graph::{Graph, ResourceRef, Target};
use crate::model::Model;
use crate::paths;
use crate::resource::RootId;
use crate::source::{FileId, Span};
use crate::testing::{array, endpoint, id, object, resource, storage, string, unknown, workspace};
use crate::types::{ML_COMPUTE, ML_WORKSPACE, STORAGE_ACCOUNT};

/// What the workspace `ws`'s storage link resolves to.
fn storage_link<'g>(graph: &'g Graph, ws: ResourceRef<'g>) -> Target<'g> {
    graph.resolve(&ws, &ws.resource().get(paths::STORAGE_ACCOUNT).value)
}

#[test]
fn references_resolve_by_identity_whatever_the_case_of_known_names() {
    let graph = Graph::new(vec![
        storage(1, "StData"),
        workspace(
            1,
            id("microsoft.storage/STORAGEACCOUNTS", &["stdata"]),
            None,
        ),
    ]);
    let ws = graph.resources_of(ML_WORKSPACE).next().unwrap();
    let Target::Declared(found) = storage_link(&graph, ws) else {
        panic!("expected the declared storage account")
    };
    assert_eq!(found.idx().index(), 0);
    assert_eq!(graph.get(found.idx()), Some(found));
}

#[test]
fn symbolic_ids_resolve_only_within_their_root_and_literal_ones_anywhere() {
    let literal = string(
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stdata",
    );
    let graph = Graph::new(vec![
        storage(1, "$variables('st')"),
        storage(1, "stdata"),
        workspace(2, id(STORAGE_ACCOUNT, &["$variables('st')"]), None),
        workspace(3, literal, None),
    ]);
    let workspaces: Vec<ResourceRef<'_>> = graph.resources_of(ML_WORKSPACE).collect();
    assert!(matches!(
        storage_link(&graph, workspaces[0]),
        Target::External(_)
    ));
    assert!(matches!(
        storage_link(&graph, workspaces[1]),
        Target::Declared(st) if st.origin.root == RootId(1)
    ));
}

#[test]
fn a_resource_of_its_own_root_is_preferred_and_existing_ones_come_last() {
    let mut existing = storage(2, "stdata");
    existing.existing = true;
    let graph = Graph::new(vec![
        storage(1, "stdata"),
        existing,
        storage(2, "stdata"),
        storage(3, "other"),
    ]);
    let id = crate::id::ResourceId::new(
        STORAGE_ACCOUNT,
        vec![crate::id::NamePart::Known("STDATA".into())],
    );
    let Target::Declared(own) = graph.find(&id, RootId(2)) else {
        panic!("expected a declared storage account")
    };
    assert_eq!((own.idx().index(), own.existing), (2, false));
    let Target::Declared(first) = graph.find(&id, RootId(3)) else {
        panic!("expected a declared storage account")
    };
    assert_eq!(first.idx().index(), 0);

    // Declared nowhere but `existing` in root 5: found as existing there only.
    let mut existing = storage(5, "$parameters('st')");
    existing.existing = true;
    let graph = Graph::new(vec![existing]);
    let symbolic = crate::id::ResourceId::new(
        STORAGE_ACCOUNT,
        vec![crate::id::NamePart::Symbolic("parameters('st')".into())],
    );
    assert!(matches!(
        graph.find(&symbolic, RootId(5)),
        Target::Existing(_)
    ));
    assert!(matches!(
        graph.find(&symbolic, RootId(6)),
        Target::External(_)
    ));
}

#[test]
fn children_find_their_parent() {
    let ws = workspace(1, unknown("parameters('st')"), None);
    let compute = resource(1, ML_COMPUTE, &["WS", "cpu"], object(vec![]));
    let stray = resource(1, ML_COMPUTE, &["other", "cpu"], object(vec![]));
    let graph = Graph::new(vec![compute, ws, stray]);
    let ws = graph.resources_of(ML_WORKSPACE).next().unwrap();
    let computes: Vec<ResourceRef<'_>> = graph.resources_of(ML_COMPUTE).collect();
    assert_eq!(graph.parent_of(computes[0]), Some(ws));
    assert_eq!(graph.parent_of(computes[1]), None);
    assert_eq!(graph.children_of(ws).collect::<Vec<_>>(), [computes[0]]);
}

#[test]
fn redeclarations_merge_and_orphan_updates_are_dropped() {
    let mut first = storage(1, "st");
    first.body = object(vec![(
        "properties",
        object(vec![
            ("publicNetworkAccess", string("Enabled")),
            ("minimumTlsVersion", string("TLS1_2")),
        ]),
    )]);
    let mut update = storage(1, "ST");
    update.update = true;
    update.body = object(vec![(
        "properties",
        object(vec![("publicNetworkAccess", string("Disabled"))]),
    )]);
    update.origin.decls = vec![Span::new(FileId(0), 2000, 3000)];
    let mut orphan = storage(1, "elsewhere");
    orphan.update = true;
    let graph = Graph::new(vec![first, update, orphan]);
    let all: Vec<ResourceRef<'_>> = graph.resources_of(STORAGE_ACCOUNT).collect();
    assert_eq!(all.len(), 1);
    assert!(all[0].get(paths::PUBLIC_NETWORK_ACCESS).is("Disabled"));
    assert!(all[0].get("properties.minimumTlsVersion").is("TLS1_2"));
    assert_eq!(all[0].origin.decls.len(), 2);
}

/// Relations are keyed by index, never by address: a copy of a resource is not a resource
/// of the graph, and the API takes the [`ResourceRef`] the graph handed out (asking with a
/// `&Resource` does not compile: see the doctest of [`ResourceRef`]). A copy's identity
/// still finds the original, with its private endpoint.
#[test]
fn a_copy_of_a_resource_is_never_mistaken_for_one_without_endpoints() {
    let model = Model::new(vec![
        storage(1, "st"),
        endpoint(1, id(STORAGE_ACCOUNT, &["st"]), array(vec![string("blob")])),
    ]);
    let st = model.graph().resources_of(STORAGE_ACCOUNT).next().unwrap();
    assert_eq!(model.private_endpoints_to(st).len(), 1);

    let copy = st.resource().clone();
    let Target::Declared(found) = model.graph().find(&copy.id, copy.origin.root) else {
        panic!("the copy's identity names the declared storage account")
    };
    assert_eq!(found, st);
    assert_eq!(model.private_endpoints_to(found).len(), 1);
}
