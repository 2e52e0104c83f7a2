//! The AML facts on hand-built models: links, private connections, outbound rules, DNS
//! zones, computes.

use crate::aml::dns::DnsZones;
use crate::aml::endpoints::{EndpointKind, EndpointSearch};
use crate::aml::links::LinkKind;
use crate::aml::outbound::OutboundRuleType;
use crate::graph::{ResourceRef, Target};
use crate::model::Model;
use crate::resource::{Resource, RootId};
use crate::testing::{array, endpoint, id, object, resource, storage, string, unknown, workspace};
use crate::types::{
    ML_COMPUTE, ML_OUTBOUND_RULE, ML_WORKSPACE, PRIVATE_DNS_ZONE, PRIVATE_DNS_ZONE_GROUP,
    PRIVATE_ENDPOINT, STORAGE_ACCOUNT,
};
use crate::value::Node;

#[test]
fn symbolic_links_resolve_only_within_their_root() {
    let model = Model::new(vec![
        storage(1, "$variables('st')"),
        workspace(1, id(STORAGE_ACCOUNT, &["$variables('st')"]), None),
        storage(2, "$variables('st')"),
        workspace(2, id(STORAGE_ACCOUNT, &["$other"]), None),
    ]);
    let workspaces: Vec<ResourceRef<'_>> = model.graph().resources_of(ML_WORKSPACE).collect();
    let first = model.link(workspaces[0], LinkKind::StorageAccount);
    let Target::Declared(found) = first.target else {
        panic!("expected a declared storage account")
    };
    assert_eq!(found.origin.root, RootId(1));
    assert!(matches!(
        model.link(workspaces[1], LinkKind::StorageAccount).target,
        Target::External(_)
    ));
    let storages: Vec<ResourceRef<'_>> = model.graph().resources_of(STORAGE_ACCOUNT).collect();
    assert_eq!(model.workspaces_linking(storages[0]).len(), 1);
    assert!(model.workspaces_linking(storages[1]).is_empty());
}

#[test]
fn literal_ids_resolve_across_roots_and_prefer_their_own() {
    let literal = string(
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/STDATA",
    );
    let model = Model::new(vec![storage(1, "stdata"), workspace(2, literal, None)]);
    let ws = model.graph().resources_of(ML_WORKSPACE).next().unwrap();
    assert!(matches!(
        model.link(ws, LinkKind::StorageAccount).target,
        Target::Declared(_)
    ));
}

#[test]
fn private_endpoints_are_found_by_group() {
    let model = Model::new(vec![
        storage(1, "st"),
        endpoint(1, id(STORAGE_ACCOUNT, &["st"]), array(vec![string("BLOB")])),
    ]);
    let st = model.graph().resources_of(STORAGE_ACCOUNT).next().unwrap();
    assert!(matches!(
        model.find_private_endpoint(st, "blob"),
        EndpointSearch::Found(_)
    ));
    assert!(matches!(
        model.find_private_endpoint(st, "file"),
        EndpointSearch::Missing
    ));
    assert_eq!(model.private_endpoints_to(st).len(), 1);
}

#[test]
fn unknown_groups_or_targets_make_the_search_unknown() {
    let unknown_groups = Model::new(vec![
        storage(1, "st"),
        endpoint(
            1,
            id(STORAGE_ACCOUNT, &["st"]),
            unknown("parameters('groups')"),
        ),
    ]);
    let st = unknown_groups
        .graph()
        .resources_of(STORAGE_ACCOUNT)
        .next()
        .unwrap();
    assert!(matches!(
        unknown_groups.find_private_endpoint(st, "blob"),
        EndpointSearch::Unknown(_)
    ));

    let unknown_target = Model::new(vec![
        storage(1, "st"),
        endpoint(
            1,
            unknown("parameters('target')"),
            array(vec![string("blob")]),
        ),
    ]);
    let st = unknown_target
        .graph()
        .resources_of(STORAGE_ACCOUNT)
        .next()
        .unwrap();
    assert!(matches!(
        unknown_target.find_private_endpoint(st, "blob"),
        EndpointSearch::Unknown(_)
    ));
    assert!(matches!(
        unknown_target.find_private_endpoint(st, "file"),
        EndpointSearch::Missing
    ));

    // An endpoint with an unknown target in another root cannot be this one's.
    let elsewhere = Model::new(vec![
        storage(1, "st"),
        endpoint(
            2,
            unknown("parameters('target')"),
            array(vec![string("blob")]),
        ),
    ]);
    let st = elsewhere
        .graph()
        .resources_of(STORAGE_ACCOUNT)
        .next()
        .unwrap();
    assert!(matches!(
        elsewhere.find_private_endpoint(st, "blob"),
        EndpointSearch::Missing
    ));
}

#[test]
fn outbound_rules_count_only_with_a_managed_network() {
    let rule = object(vec![(
        "pe-st",
        object(vec![
            ("type", string("PrivateEndpoint")),
            (
                "destination",
                object(vec![
                    ("serviceResourceId", id(STORAGE_ACCOUNT, &["st"])),
                    ("subresourceTarget", string("blob")),
                ]),
            ),
        ]),
    )]);
    for (mode, expected) in [
        (Some("AllowOnlyApprovedOutbound"), true),
        (None, false),
        (Some("Disabled"), false),
    ] {
        let mut properties = vec![("outboundRules", rule.clone())];
        if let Some(mode) = mode {
            properties.push(("isolationMode", string(mode)));
        }
        let ws = resource(
            1,
            ML_WORKSPACE,
            &["ws"],
            object(vec![("managedNetwork", object(properties))]),
        );
        let model = Model::new(vec![storage(1, "st"), ws]);
        let st = model.graph().resources_of(STORAGE_ACCOUNT).next().unwrap();
        let found = matches!(model.find_private_endpoint(st, "blob"), EndpointSearch::Found(e) if e.kind == EndpointKind::OutboundRule);
        assert_eq!(found, expected, "isolation mode {mode:?}");
    }
}

#[test]
fn computes_belong_to_their_workspace() {
    let ws = workspace(1, unknown("parameters('st')"), None);
    let compute = resource(1, ML_COMPUTE, &["ws", "cpu"], object(vec![]));
    let stray = resource(1, ML_COMPUTE, &["other", "cpu"], object(vec![]));
    let model = Model::new(vec![ws, compute, stray]);
    let ws = model.graph().resources_of(ML_WORKSPACE).next().unwrap();
    assert_eq!(model.computes_of(ws).count(), 1);
    let computes: Vec<ResourceRef<'_>> = model.graph().resources_of(ML_COMPUTE).collect();
    assert!(model.workspace_of(computes[0]).is_some());
    assert!(model.workspace_of(computes[1]).is_none());
}

fn managed_workspace(rules: Node) -> Resource {
    resource(
        1,
        ML_WORKSPACE,
        &["ws"],
        object(vec![(
            "managedNetwork",
            object(vec![
                ("isolationMode", string("AllowInternetOutbound")),
                ("outboundRules", rules),
            ]),
        )]),
    )
}

#[test]
fn outbound_rules_inline_and_as_resources() {
    let inline = object(vec![
        (
            "pypi",
            object(vec![
                ("type", string("fqdn")),
                ("destination", string("pypi.org")),
            ]),
        ),
        ("broken", string("not an object")),
        // Repeated key: the last one wins.
        (
            "later",
            object(vec![
                ("type", string("FQDN")),
                ("destination", string("x.org")),
            ]),
        ),
        ("later", unknown("parameters('rule')")),
    ]);
    let child = resource(
        1,
        ML_OUTBOUND_RULE,
        &["ws", "tag"],
        object(vec![
            ("type", string("ServiceTag")),
            (
                "destination",
                object(vec![("serviceTag", string("AppService"))]),
            ),
        ]),
    );
    let model = Model::new(vec![managed_workspace(inline), child]);
    let ws = model.graph().resources_of(ML_WORKSPACE).next().unwrap();
    let rules = model.outbound_rules(ws);
    assert!(rules.unknown.is_none());
    let summary: Vec<(&str, OutboundRuleType, bool)> = rules
        .rules
        .iter()
        .map(|r| (&*r.name, r.ty.clone(), r.inline))
        .collect();
    assert_eq!(summary.len(), 3, "{summary:?}");
    assert_eq!(summary[0].0, "pypi");
    assert_eq!(summary[0].1, OutboundRuleType::Fqdn);
    assert!(rules.rules[0].destination.is("pypi.org"));
    assert_eq!(
        rules.rules[0].property,
        "properties.managedNetwork.outboundRules.pypi"
    );
    assert_eq!(summary[1].0, "later");
    assert!(matches!(summary[1].1, OutboundRuleType::Unknown(_)));
    assert_eq!(summary[2], ("tag", OutboundRuleType::ServiceTag, false));
    assert!(rules.rules[2].declared_by.is(ML_OUTBOUND_RULE));
}

#[test]
fn outbound_rules_that_are_not_an_object_or_unknown() {
    let model = Model::new(vec![managed_workspace(array(vec![string("pypi.org")]))]);
    let ws = model.graph().resources_of(ML_WORKSPACE).next().unwrap();
    let rules = model.outbound_rules(ws);
    assert!(rules.rules.is_empty() && rules.unknown.is_none());

    let model = Model::new(vec![managed_workspace(unknown("parameters('rules')"))]);
    let ws = model.graph().resources_of(ML_WORKSPACE).next().unwrap();
    let rules = model.outbound_rules(ws);
    assert!(rules.rules.is_empty());
    assert_eq!(&*rules.unknown.unwrap().0.expr, "parameters('rules')");
}

fn zone_group(endpoint: &str, zone_ids: Vec<Node>) -> Resource {
    let configs = zone_ids
        .into_iter()
        .map(|id| object(vec![("properties", object(vec![("privateDnsZoneId", id)]))]))
        .collect();
    resource(
        1,
        PRIVATE_DNS_ZONE_GROUP,
        &[endpoint, "default"],
        object(vec![("privateDnsZoneConfigs", array(configs))]),
    )
}

fn zones_of(model: &Model) -> DnsZones {
    let pe = model.graph().resources_of(PRIVATE_ENDPOINT).next().unwrap();
    let (connection, _) = model.connections_of(pe).next().unwrap();
    model.dns_zones(connection)
}

#[test]
fn dns_zone_names_from_ids_literals_and_declared_zones() {
    let model = Model::new(vec![
        workspace(1, unknown("parameters('st')"), None),
        endpoint(
            1,
            id(ML_WORKSPACE, &["ws"]),
            array(vec![string("amlworkspace")]),
        ),
        resource(
            1,
            PRIVATE_DNS_ZONE,
            &["privatelink.notebooks.azure.net"],
            object(vec![]),
        ),
        zone_group(
            "pe",
            vec![
                id(PRIVATE_DNS_ZONE, &["privatelink.api.azureml.ms"]),
                string(
                    "/subscriptions/s/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net",
                ),
                id(PRIVATE_DNS_ZONE, &["privatelink.notebooks.azure.net"]),
                id(STORAGE_ACCOUNT, &["st"]),
            ],
        ),
    ]);
    let pe = model.graph().resources_of(PRIVATE_ENDPOINT).next().unwrap();
    let (_, target) = model.connections_of(pe).next().unwrap();
    assert!(target.is_some_and(|t| t.is(ML_WORKSPACE)));
    let zones = zones_of(&model);
    assert!(zones.unknown.is_none());
    assert!(zones.contains("PRIVATELINK.API.AZUREML.MS"));
    assert!(zones.contains("privatelink.blob.core.windows.net"));
    assert!(zones.contains("privatelink.notebooks.azure.net"));
    assert_eq!(zones.known.len(), 3);
}

#[test]
fn dns_zones_with_a_symbolic_name_resolve_through_the_declared_zone() {
    let zone_id = || id(PRIVATE_DNS_ZONE, &["$parameters('zone')"]);
    let undeclared = Model::new(vec![
        endpoint(
            1,
            id(ML_WORKSPACE, &["ws"]),
            array(vec![string("amlworkspace")]),
        ),
        zone_group("pe", vec![zone_id()]),
    ]);
    let zones = zones_of(&undeclared);
    assert!(zones.known.is_empty());
    assert_eq!(&*zones.unknown.unwrap().0.expr, "parameters('zone')");

    // Declared with the same symbolic name: still not known.
    let declared = Model::new(vec![
        endpoint(
            1,
            id(ML_WORKSPACE, &["ws"]),
            array(vec![string("amlworkspace")]),
        ),
        resource(
            1,
            PRIVATE_DNS_ZONE,
            &["$parameters('zone')"],
            object(vec![]),
        ),
        zone_group("pe", vec![zone_id()]),
    ]);
    assert!(zones_of(&declared).unknown.is_some());
}

#[test]
fn dns_zone_ids_that_are_expressions_are_unknown_zones() {
    let model = Model::new(vec![
        endpoint(
            1,
            id(ML_WORKSPACE, &["ws"]),
            array(vec![string("amlworkspace")]),
        ),
        zone_group(
            "pe",
            vec![
                unknown("parameters('apiZoneId')"),
                id(PRIVATE_DNS_ZONE, &["privatelink.notebooks.azure.net"]),
            ],
        ),
    ]);
    let zones = zones_of(&model);
    assert!(zones.contains("privatelink.notebooks.azure.net"));
    assert_eq!(&*zones.unknown.unwrap().0.expr, "parameters('apiZoneId')");

    let whole_list = resource(
        1,
        PRIVATE_DNS_ZONE_GROUP,
        &["pe", "default"],
        object(vec![(
            "privateDnsZoneConfigs",
            unknown("parameters('configs')"),
        )]),
    );
    let model = Model::new(vec![
        endpoint(
            1,
            id(ML_WORKSPACE, &["ws"]),
            array(vec![string("amlworkspace")]),
        ),
        whole_list,
    ]);
    assert!(zones_of(&model).unknown.is_some());
}

#[test]
fn a_compute_without_compute_type_is_still_a_compute_of_its_workspace() {
    let ws = workspace(1, unknown("parameters('st')"), None);
    let compute = resource(
        1,
        ML_COMPUTE,
        &["ws", "cpu"],
        object(vec![(
            "properties",
            object(vec![("vmSize", string("STANDARD_DS3_V2"))]),
        )]),
    );
    let model = Model::new(vec![ws, compute]);
    let ws = model.graph().resources_of(ML_WORKSPACE).next().unwrap();
    let computes: Vec<ResourceRef<'_>> = model.computes_of(ws).collect();
    assert_eq!(computes.len(), 1);
    assert!(computes[0].get("properties.computeType").is_absent());
    assert!(model.outbound_rules(ws).rules.is_empty());
}
