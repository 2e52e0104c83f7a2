//! Rules about the computes of Azure Machine Learning workspaces (`AML2xx`), and what they
//! share: which computes are checked, whether a compute sets a subnet, and whether its
//! workspace has a managed network.
//!
//! Only compute clusters (`AmlCompute`) and compute instances (`ComputeInstance`) are
//! checked: the other compute types (AKS, Kubernetes, attached VMs, ...) have network
//! settings of their own, outside these properties.

pub(crate) mod compute_local_auth_enabled;
pub(crate) mod compute_outside_network;
pub(crate) mod compute_public_ip;
pub(crate) mod compute_ssh_public_access;
pub(crate) mod compute_subnet_with_managed_network;

use std::sync::Arc;

use isolint_model::paths::{COMPUTE_TYPE, HUB_RESOURCE_ID, ISOLATION_MODE, KIND, SUBNET_ID};
use isolint_model::types::ML_WORKSPACE;
use isolint_model::{
    NodeKind, Prop, Resource, ResourceRef, StrPart, Target, Unknown, UnknownReason, Value,
};

use crate::Cx;
use crate::aml::WorkspaceKind;
use crate::terms::Terms;

/// The compute types the `AML2xx` rules check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ComputeType {
    /// A compute cluster.
    AmlCompute,
    /// A compute instance.
    ComputeInstance,
}

impl ComputeType {
    /// What the type is called in messages.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Self::AmlCompute => "compute cluster",
            Self::ComputeInstance => "compute instance",
        }
    }
}

/// The type of `compute` when the rules check it. `None` for another type or no type at
/// all (silently), and for a type that is a parameter without a value (noted under
/// `--strict`).
pub(crate) fn checked_type(compute: &Resource, cx: &mut Cx<'_>) -> Option<ComputeType> {
    let ty = compute.get(COMPUTE_TYPE);
    match &ty.value {
        Value::Known(node) if node.str_eq("AmlCompute") => Some(ComputeType::AmlCompute),
        Value::Known(node) if node.str_eq("ComputeInstance") => Some(ComputeType::ComputeInstance),
        Value::Unknown(unknown) => {
            cx.unresolved(ty.span_or(compute.header()), COMPUTE_TYPE, unknown);
            None
        }
        Value::Known(_) | Value::Absent => None,
    }
}

/// Whether a compute sets a subnet (`properties.properties.subnet.id`).
#[derive(Clone, Debug)]
pub(crate) enum Subnet {
    /// It does.
    Set,
    /// It does not: absent, `null` or an empty string (Azure Policy counts an empty ID as
    /// missing, and so does the service).
    NotSet,
    /// It depends on a value isolint cannot settle.
    Unknown(Arc<Unknown>),
}

/// The subnet of `compute`, and the property to point at.
pub(crate) fn subnet_of(compute: &Resource) -> (Subnet, Prop<'_>) {
    let id = compute.get(SUBNET_ID);
    let subnet = match &id.value {
        // A subnet ID built from known text and runtime pieces (`subscription().subscriptionId`)
        // is not empty, whatever the pieces turn out to be.
        Value::Unknown(unknown) if has_known_text(unknown) => Subnet::Set,
        Value::Unknown(unknown) => Subnet::Unknown(Arc::clone(unknown)),
        Value::Absent => Subnet::NotSet,
        Value::Known(node) => match &node.kind {
            NodeKind::String(text) if text.trim().is_empty() => Subnet::NotSet,
            _ => Subnet::Set,
        },
    };
    (subnet, id)
}

/// Whether a partly known string has a known piece that is not blank.
fn has_known_text(unknown: &Unknown) -> bool {
    unknown
        .parts
        .iter()
        .flat_map(|parts| parts.iter())
        .any(|part| match part {
            StrPart::Text(text) => !text.trim().is_empty(),
            StrPart::Hole(_) => false,
        })
}

/// Whether the workspace a compute belongs to has a managed network.
#[derive(Clone, Debug)]
pub(crate) enum ManagedNetwork<'m> {
    /// It has: `isolationMode` is set and not `Disabled`. The workspace whose setting
    /// decides it (a project's hub), and the setting as it reads in a message.
    Yes(&'m Resource, String),
    /// It has none: `isolationMode` is absent or `Disabled`. The deciding workspace.
    No(&'m Resource),
    /// It cannot be told: the workspace (or a project's hub) is not in the scan, or the
    /// mode is a parameter without a value.
    Unknown(Arc<Unknown>),
}

/// Whether the workspace of `compute` has a managed network. A project answers with its
/// hub's network (`hubResourceId`), since it inherits it.
pub(crate) fn managed_network<'m>(cx: &Cx<'m>, compute: ResourceRef<'_>) -> ManagedNetwork<'m> {
    let model = cx.model();
    let Some(workspace) = model.workspace_of(compute) else {
        let parent = compute.id.parent().map_or_else(
            || compute.origin.name_text.to_string(),
            |id| id.render_expression(),
        );
        return ManagedNetwork::Unknown(Arc::new(Unknown::new(
            parent,
            UnknownReason::External {
                what: format!("the workspace of compute `{}`", compute.known_as()).into(),
            },
        )));
    };
    let deciding = match WorkspaceKind::of(&workspace) {
        WorkspaceKind::Other => workspace,
        WorkspaceKind::Unknown => {
            let unknown = workspace.get(KIND).unknown().map(Arc::clone);
            return ManagedNetwork::Unknown(unknown.unwrap_or_else(|| {
                Arc::new(Unknown::new(
                    KIND,
                    UnknownReason::Invalid {
                        message: "the workspace kind cannot be read".into(),
                    },
                ))
            }));
        }
        WorkspaceKind::Project => {
            let hub = workspace.get(HUB_RESOURCE_ID);
            match model.graph().resolve(&workspace, &hub.value) {
                Target::Declared(hub) if hub.is(ML_WORKSPACE) => hub,
                Target::Unknown(unknown) => {
                    return ManagedNetwork::Unknown(unknown);
                }
                _ => {
                    return ManagedNetwork::Unknown(Arc::new(Unknown::new(
                        format!("{}.{HUB_RESOURCE_ID}", workspace.known_as()),
                        UnknownReason::External {
                            what: format!(
                                "the hub of project `{}`, whose network the project inherits,",
                                workspace.known_as()
                            )
                            .into(),
                        },
                    )));
                }
            }
        }
    };
    let mode = deciding.get(ISOLATION_MODE);
    match &mode.value {
        Value::Unknown(unknown) => ManagedNetwork::Unknown(Arc::clone(unknown)),
        Value::Known(node) if !node.str_eq("Disabled") => ManagedNetwork::Yes(
            deciding.resource(),
            Terms::of(&deciding).is(ISOLATION_MODE, node),
        ),
        Value::Known(_) | Value::Absent => ManagedNetwork::No(deciding.resource()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Hand-built models for the edge cases the examples do not show.

    use std::sync::Arc;

    use isolint_model::types::{ML_COMPUTE, ML_WORKSPACE};
    use isolint_model::{
        Condition, Entry, FileId, Model, NamePart, Node, NodeKind, Object, Origin, Resource,
        ResourceId, RootId, Span, StrPart, Syntax, Unknown, UnknownReason,
    };

    use crate::{Finding, Options, check};

    fn span() -> Span {
        Span::new(FileId(0), 10, 20)
    }

    /// A string value.
    pub(crate) fn s(text: &str) -> Node {
        Node::string(text, span())
    }

    /// A boolean value.
    pub(crate) fn b(value: bool) -> Node {
        Node::new(NodeKind::Bool(value), span())
    }

    /// A parameter without a value.
    pub(crate) fn param(name: &str) -> Node {
        Node::unknown(
            Unknown::new(
                format!("parameters('{name}')"),
                UnknownReason::Parameter { name: name.into() },
            ),
            span(),
        )
    }

    /// An object value.
    pub(crate) fn obj(entries: Vec<(&str, Node)>) -> Node {
        Node::object(
            Object {
                entries: entries
                    .into_iter()
                    .map(|(key, value)| Entry {
                        key: key.into(),
                        key_span: span(),
                        value,
                    })
                    .collect(),
                rest: None,
            },
            span(),
        )
    }

    /// A resource of `ty` named `names` (`["ws", "cpu"]` for a compute) in one root.
    pub(crate) fn resource(ty: &str, names: &[&str], body: Node) -> Resource {
        let name = names.join("/");
        Resource {
            ty: ty.into(),
            api_version: Some("2024-10-01".into()),
            name: s(&name),
            id: ResourceId::new(
                ty,
                names.iter().map(|n| NamePart::Known((*n).into())).collect(),
            ),
            body,
            condition: Condition::Always,
            looped: false,
            existing: false,
            update: false,
            origin: Origin {
                file: FileId(0),
                decls: vec![Span::new(FileId(0), 0, 100)],
                header: Span::new(FileId(0), 0, 5),
                name_text: name.into(),
                module_path: Arc::from(Vec::new()),
                calls: Arc::from(Vec::new()),
                root: RootId(0),
                syntax: Syntax::Arm,
                address: None,
                symbol: None,
                vocabulary: None,
            },
        }
    }

    /// The rule IDs that fire (and, apart, the notes) on `resources` with `options`.
    pub(crate) fn run(resources: Vec<Resource>, options: &Options) -> (Vec<Finding>, Vec<Finding>) {
        let model = Model::new(resources);
        check(&model, options)
            .into_iter()
            .partition(|f| !f.unresolved)
    }

    fn ids(findings: &[Finding]) -> Vec<&'static str> {
        let mut ids: Vec<&str> = findings.iter().map(|f| f.rule.id).collect();
        ids.sort_unstable();
        ids
    }

    fn compute_rules(strict: bool) -> Options {
        Options {
            select: ["AML201", "AML202", "AML203", "AML204", "AML205"]
                .map(String::from)
                .to_vec(),
            strict,
            ..Options::default()
        }
    }

    fn workspace(name: &str, properties: Node) -> Resource {
        resource(ML_WORKSPACE, &[name], obj(vec![("properties", properties)]))
    }

    fn compute(names: &[&str], properties: Node) -> Resource {
        resource(ML_COMPUTE, names, obj(vec![("properties", properties)]))
    }

    #[test]
    fn a_compute_without_a_usable_type_is_not_checked() {
        for ty in [None, Some(s("Kubernetes")), Some(b(true))] {
            let mut properties = vec![("properties", obj(vec![("vmSize", s("Standard_DS3_v2"))]))];
            if let Some(ty) = ty {
                properties.push(("computeType", ty));
            }
            let (fired, notes) = run(
                vec![
                    workspace("ws", obj(vec![])),
                    compute(&["ws", "cpu"], obj(properties)),
                ],
                &compute_rules(true),
            );
            assert!(fired.is_empty() && notes.is_empty(), "{:?}", ids(&fired));
        }
    }

    #[test]
    fn an_unknown_type_is_noted_once_per_rule_under_strict() {
        let (fired, notes) = run(
            vec![
                workspace("ws", obj(vec![])),
                compute(
                    &["ws", "cpu"],
                    obj(vec![("computeType", param("computeType"))]),
                ),
            ],
            &compute_rules(true),
        );
        assert!(fired.is_empty());
        assert_eq!(
            ids(&notes),
            ["AML201", "AML202", "AML203", "AML204", "AML205"]
        );
    }

    #[test]
    fn a_bare_cluster_in_a_bare_workspace_fires_every_rule_but_the_subnet_one() {
        let (fired, notes) = run(
            vec![
                workspace("ws", obj(vec![])),
                compute(&["ws", "cpu"], obj(vec![("computeType", s("amlcompute"))])),
            ],
            &compute_rules(true),
        );
        assert_eq!(ids(&fired), ["AML201", "AML202", "AML203", "AML205"]);
        assert!(notes.is_empty());
    }

    #[test]
    fn a_compute_whose_workspace_is_not_scanned_is_judged_only_on_its_own_settings() {
        let (fired, notes) = run(
            vec![compute(
                &["elsewhere", "cpu"],
                obj(vec![("computeType", s("AmlCompute"))]),
            )],
            &compute_rules(true),
        );
        assert_eq!(ids(&fired), ["AML201", "AML202"]);
        assert_eq!(ids(&notes), ["AML203", "AML205"]);
    }

    #[test]
    fn a_project_answers_with_its_hubs_managed_network() {
        let hub = workspace(
            "hub",
            obj(vec![(
                "managedNetwork",
                obj(vec![("isolationMode", s("AllowInternetOutbound"))]),
            )]),
        );
        let hub_id = hub.id.clone();
        let project = resource(
            ML_WORKSPACE,
            &["project"],
            obj(vec![
                ("kind", s("Project")),
                (
                    "properties",
                    obj(vec![(
                        "hubResourceId",
                        Node::new(NodeKind::ResourceId(Arc::new(hub_id)), span()),
                    )]),
                ),
            ]),
        );
        let subnet = obj(vec![(
            "id",
            s(
                "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet",
            ),
        )]);
        let (fired, _) = run(
            vec![
                hub,
                project,
                compute(
                    &["project", "ci"],
                    obj(vec![
                        ("computeType", s("ComputeInstance")),
                        ("disableLocalAuth", b(true)),
                        (
                            "properties",
                            obj(vec![("enableNodePublicIp", b(false)), ("subnet", subnet)]),
                        ),
                    ]),
                ),
            ],
            &compute_rules(true),
        );
        assert_eq!(ids(&fired), ["AML204"]);
    }

    #[test]
    fn a_subnet_id_with_runtime_pieces_is_a_subnet() {
        let subscription = Arc::new(Unknown::new(
            "subscription().subscriptionId",
            UnknownReason::Runtime {
                function: "subscription".into(),
            },
        ));
        let id = Unknown::concat(vec![
            StrPart::Text("/subscriptions/".into()),
            StrPart::Hole(subscription),
            StrPart::Text(
                "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet"
                    .into(),
            ),
        ]);
        let cluster = |names: &[&str]| {
            compute(
                names,
                obj(vec![
                    ("computeType", s("AmlCompute")),
                    ("disableLocalAuth", b(true)),
                    (
                        "properties",
                        obj(vec![
                            ("enableNodePublicIp", b(false)),
                            (
                                "subnet",
                                obj(vec![("id", Node::unknown(id.clone(), span()))]),
                            ),
                        ]),
                    ),
                ]),
            )
        };
        let (fired, notes) = run(
            vec![workspace("ws", obj(vec![])), cluster(&["ws", "cpu"])],
            &compute_rules(true),
        );
        assert!(fired.is_empty() && notes.is_empty(), "{:?}", ids(&fired));
        let managed = obj(vec![(
            "managedNetwork",
            obj(vec![("isolationMode", s("AllowOnlyApprovedOutbound"))]),
        )]);
        let (fired, _) = run(
            vec![workspace("ws", managed), cluster(&["ws", "cpu"])],
            &compute_rules(true),
        );
        assert_eq!(ids(&fired), ["AML204"]);
    }

    #[test]
    fn an_empty_subnet_is_no_subnet() {
        let (fired, _) = run(
            vec![
                workspace("ws", obj(vec![])),
                compute(
                    &["ws", "cpu"],
                    obj(vec![
                        ("computeType", s("AmlCompute")),
                        ("disableLocalAuth", b(true)),
                        (
                            "properties",
                            obj(vec![
                                ("enableNodePublicIp", b(false)),
                                ("subnet", obj(vec![("id", s(" "))])),
                            ]),
                        ),
                    ]),
                ),
            ],
            &compute_rules(false),
        );
        assert_eq!(ids(&fired), ["AML205"]);
    }
}
